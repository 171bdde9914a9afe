import P2MModel

/// `s2-injective`: within one domain, no two guest addresses translate to the
/// same machine address, except inside static shared memory the spec declares
/// for that domain (the query adds `not shared(m)`; the notes say when a
/// declared region is mapped).
///
/// Encoding, per domain, over the coalesced translation runs of its decoded
/// tables (`TranslationRun`: the same affine map as its leaves): variables
/// `g1`, `g2`, `m`; `maps(g, m)` is `or_k (g in guest_k and m == g - gbase_k +
/// mbase_k)`. The query is `maps(g1, m) and maps(g2, m) and g1 != g2`. Guest
/// ranges of runs are disjoint (they come from one table tree), so `maps` is
/// the translation function; the query is satisfiable exactly when two guest
/// addresses reach one machine address. Linear in the number of runs. Each
/// model is re-checked by translating `g1` and `g2` in Swift; the pair of runs
/// is then blocked.
struct S2Injective: InvariantProperty {
    static let id = PropertyID.s2Injective

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var verdicts: [Verdict] = []
        var queries = 0
        var notes: [String] = []
        for domain in facts.domains {
            guard domain.decoded.isComplete else {
                verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
                continue
            }
            let runs = domain.decoded.runs
            let context = try Z3Context.forCheck()
            let terms = RangeTerms(context: context)
            let g1 = try terms.variable("g1")
            let g2 = try terms.variable("g2")
            let m = try terms.variable("m")
            func inRun(_ k: Int, _ g: BitVector) throws -> Formula { try terms.contains(runs[k].guest, g) }
            func maps(_ g: BitVector) throws -> Formula {
                try Formula.or(runs.indices.map { k in
                    let translated = try (g - (try terms.constant(runs[k].guest.base.rawValue))) + (try terms.constant(runs[k].machine.rawValue))
                    return try Formula.and([try inRun(k, g), try m.equals(translated)])
                }, in: context)
            }
            let solver = try Z3Solver(context: context)
            let shared = facts.spec.sharedMemory.filter { r in r.domains.contains { $0.domain == domain.spec.name } }.map(\.range)
            let notShared = try Formula.or(shared.map { try terms.contains($0, m) }, in: context).negated()
            try solver.assert(try Formula.and([try maps(g1), try maps(g2), try g1.notEquals(g2), notShared]))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let a = GuestAddress(try model.value(of: g1))
                let b = GuestAddress(try model.value(of: g2))
                guard a != b, let ka = Translation.run(containing: a, in: runs), let kb = Translation.run(containing: b, in: runs) else { return nil }
                let ma = Translation.translate(a, by: runs[ka])
                guard ma == Translation.translate(b, by: runs[kb]), !shared.contains(where: { $0.contains(ma) }) else { return nil }
                let violation = Violation(
                    property: Self.id,
                    message: "\(domain.spec.name): guest addresses \(a) and \(b) both reach machine address \(ma)",
                    regions: [facts.reference(for: runs[ka], in: domain), facts.reference(for: runs[kb], in: domain)],
                    machineWitnesses: [ma], guestWitnesses: [a, b], domain: domain.spec.name)
                let block = try Formula.or([
                    try Formula.and([try inRun(ka, g1), try inRun(kb, g2)]),
                    try Formula.and([try inRun(kb, g1), try inRun(ka, g2)]),
                ], in: context)
                return .init(violation: violation, block: block)
            }
            queries += search.queries
            verdicts.append(search.verdict(outcome))
            notes.append("\(domain.spec.name): \(domain.decoded.leaves.count) leaves in \(runs.count) runs; " + (shared.isEmpty ? "no shared memory declared" : "aliasing allowed inside declared shared memory \(shared.map(\.description).joined(separator: ", "))"))
        }
        return PropertyResult(property: Self.id, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
    }
}
