import P2MModel
import Stage2Decoder
import Z3

/// The solve loop shared by every property: ask Z3 for a model of "the
/// property is violated"; turn each model into a `Violation` that Swift
/// re-checks against the facts; block that counterexample and ask again,
/// until Z3 answers unsat, the limit is reached, or Z3 gives up.
struct ViolationSearch {
    /// What one model says, once re-checked: the violation and a formula that
    /// rules out this counterexample (and its obvious repeats).
    struct Finding {
        var violation: Violation
        var block: Formula
    }

    let solver: Z3Solver
    let options: CheckOptions
    private(set) var queries = 0
    /// Seconds spent inside Z3's `check`.
    private(set) var solveSeconds: Double = 0
    private(set) var violations: [Violation] = []

    init(solver: Z3Solver, options: CheckOptions) {
        self.solver = solver
        self.options = options
    }

    enum Outcome {
        /// Z3 answered unsat once no (more) counterexample was left.
        case exhausted
        /// The violation limit was reached; more may exist.
        case limitReached
        /// Z3 did not answer, or a model did not re-check.
        case unknown(String)
    }

    /// Runs the loop. `interpret` reads a model; it returns nil if the model
    /// does not re-check in Swift, which stops the search as unknown.
    mutating func run(_ interpret: (Z3Model) throws -> Finding?) throws -> Outcome {
        while violations.count < max(1, options.maximumViolations) {
            queries += 1
            let clock = ContinuousClock()
            let before = clock.now
            let answer = try solver.check(options)
            solveSeconds += (clock.now - before).seconds
            switch answer {
            case .unsatisfiable:
                return .exhausted
            case .unknown(let reason):
                return .unknown(options.unknownReason(reason))
            case .satisfiable(let model):
                guard let finding = try interpret(model) else {
                    return .unknown("a Z3 model did not re-check against the decoded facts")
                }
                violations.append(finding.violation)
                try solver.assert(finding.block.negated())
            }
        }
        return .limitReached
    }

    /// The verdict for what has been found so far plus `outcome`.
    func verdict(_ outcome: Outcome) -> Verdict {
        switch outcome {
        case .exhausted:
            return violations.isEmpty ? .proved : .violated(violations)
        case .limitReached:
            return violations.isEmpty ? .unknown(reason: "no query was answered") : .violated(violations)
        case .unknown(let reason):
            return violations.isEmpty ? .unknown(reason: reason) : .violated(violations)
        }
    }
}
