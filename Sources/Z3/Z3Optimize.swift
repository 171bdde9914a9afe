import CZ3

/// Z3's optimising solver (`Z3_mk_optimize`): hard assertions plus
/// objectives, solved lexicographically in the order they were added.
public final class Z3Optimize {
    let context: Z3Context
    let raw: Z3_optimize

    /// - Throws: a Z3 error if the optimiser cannot be created.
    public init(context: Z3Context) throws {
        self.context = context
        let optimize = Z3_mk_optimize(context.raw)
        try context.checkError()
        guard let optimize else { throw SolverError.z3(code: -1, message: "Z3 returned no optimizer") }
        Z3_optimize_inc_ref(context.raw, optimize)
        raw = optimize
    }

    deinit { Z3_optimize_dec_ref(context.raw, raw) }

    /// Adds a hard assertion.
    public func assert(_ formula: Formula) throws {
        try context.require(formula)
        Z3_optimize_assert(context.raw, raw, formula.ast)
        try context.checkError()
    }

    /// Asks for the smallest unsigned value of `term` (after earlier objectives).
    public func minimize(_ term: BitVector) throws {
        try context.require(term)
        _ = Z3_optimize_minimize(context.raw, raw, term.ast)
        try context.checkError()
    }

    /// Asks for the largest unsigned value of `term` (after earlier objectives).
    public func maximize(_ term: BitVector) throws {
        try context.require(term)
        _ = Z3_optimize_maximize(context.raw, raw, term.ast)
        try context.checkError()
    }

    /// Solves with an optional timeout (ms). `satisfiable` carries the optimal model.
    /// - Throws: a Z3 error.
    public func check(timeoutMilliseconds: UInt32?) throws -> SolverOutcome {
        try context.withParameters(timeoutMilliseconds: timeoutMilliseconds) { params in
            Z3_optimize_set_params(context.raw, raw, params)
            try context.checkError()
        }
        let result = Z3_optimize_check(context.raw, raw, 0, nil)
        try context.checkError()
        switch result {
        case Z3_L_TRUE:
            return .satisfiable(try context.satisfyingModel(Z3_optimize_get_model(context.raw, raw)))
        case Z3_L_FALSE:
            return .unsatisfiable
        default:
            let reason = Z3_optimize_get_reason_unknown(context.raw, raw).map { String(cString: $0) } ?? "unknown"
            return .unknown(reason: reason)
        }
    }
}
