import P2MModel

/// `identity`: in a direct-mapped domain every mapping (RAM and, for dom0,
/// MMIO) has guest address == machine address.
///
/// Encoding, per direct-mapped domain, over its coalesced runs: variable `g`;
/// the query is `or_k (g in guest_k and g - gbase_k + mbase_k != g)`,
/// satisfiable exactly when some mapped guest address translates elsewhere.
/// Each model is re-checked in Swift and its run blocked.
struct Identity: InvariantProperty {
    static let id = PropertyID.identity

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var verdicts: [Verdict] = []
        var queries = 0
        var notes: [String] = []
        for domain in facts.domains where domain.spec.directMap {
            guard domain.decoded.isComplete else {
                verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
                continue
            }
            let runs = domain.decoded.runs
            let context = try Z3Context.forCheck()
            let terms = RangeTerms(context: context)
            let g = try terms.variable("g")
            let moved: [Formula] = try runs.indices.map { k in
                let translated = try (g - (try terms.constant(runs[k].guest.base.rawValue))) + (try terms.constant(runs[k].machine.rawValue))
                return try Formula.and([try terms.contains(runs[k].guest, g), try translated.notEquals(g)])
            }
            let solver = try Z3Solver(context: context)
            try solver.assert(try Formula.or(moved, in: context))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let witness = GuestAddress(try model.value(of: g))
                guard let k = Translation.run(containing: witness, in: runs) else { return nil }
                let machine = Translation.translate(witness, by: runs[k])
                guard machine.rawValue != witness.rawValue else { return nil }
                let violation = Violation(
                    property: Self.id,
                    message: "\(domain.spec.name) is direct-mapped but guest address \(witness) reaches machine address \(machine)",
                    regions: [facts.reference(for: runs[k], in: domain), facts.attribute(machine)],
                    machineWitnesses: [machine], guestWitnesses: [witness], domain: domain.spec.name)
                return .init(violation: violation, block: moved[k])
            }
            queries += search.queries
            verdicts.append(search.verdict(outcome))
            notes.append("\(domain.spec.name): \(runs.count) runs")
        }
        if verdicts.isEmpty { notes.append("no direct-mapped domain: nothing to prove") }
        return PropertyResult(property: Self.id, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
    }
}
