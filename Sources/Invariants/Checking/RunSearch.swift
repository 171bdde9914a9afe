import P2MModel

/// The solve loop for per-mapping properties of one domain: a guest variable
/// `g`, and for each run `k` a formula `bad_k(g, m_k)` where `m_k` is the
/// machine address run `k` takes `g` to. The query is
/// `or_k (g in run_k and bad_k(g, m_k))`; each model is re-checked by
/// `explain` on the concrete addresses and its run is blocked, so that each
/// offending run is reported once.
struct RunSearch {
    let domain: DomainFacts
    let options: CheckOptions

    /// - Parameters:
    ///   - bad: the violation condition for run `k` over `g` and `m`.
    ///   - explain: given the run, the concrete guest and machine addresses,
    ///     a violation, or nil if the condition does not hold there (the search then stops as unknown).
    /// - Returns: the verdict and the number of queries.
    func run(
        bad: (DomainTerms, Int, BitVector, BitVector) throws -> Formula,
        explain: (Int, GuestAddress, MachineAddress) -> Violation?
    ) throws -> (Verdict, Int) {
        guard domain.decoded.isComplete else {
            return (.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"), 0)
        }
        let context = try Z3Context.forCheck()
        let d = DomainTerms(context: context, domain: domain)
        let g = try d.terms.variable("g")
        var perRun: [Formula] = []
        for k in d.runs.indices {
            perRun.append(try Formula.and([try d.inRun(k, g), try bad(d, k, g, try d.translated(k, g))]))
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try Formula.or(perRun, in: context))
        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let witness = GuestAddress(try model.value(of: g))
            guard let k = Translation.run(containing: witness, in: d.runs),
                  let violation = explain(k, witness, Translation.translate(witness, by: d.runs[k])) else { return nil }
            return .init(violation: violation, block: try d.inRun(k, g))
        }
        return (search.verdict(outcome), search.queries)
    }
}

/// Collects per-domain verdicts into one result.
struct ResultBuilder {
    let property: PropertyID
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var verdicts: [Verdict] = []
    var queries = 0
    var notes: [String] = []

    init(_ property: PropertyID) {
        self.property = property
        start = clock.now
    }

    /// Whether `domain`'s walk completed; if not, records "unknown" for it
    /// (nothing over an incomplete walk can be proved).
    mutating func walkComplete(_ domain: DomainFacts) -> Bool {
        if domain.decoded.isComplete { return true }
        verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
        return false
    }

    mutating func add(_ result: (Verdict, Int)) {
        verdicts.append(result.0)
        queries += result.1
    }

    func result() -> PropertyResult {
        PropertyResult(property: property, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
    }
}
