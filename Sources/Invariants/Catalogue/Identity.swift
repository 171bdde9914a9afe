import P2MModel
import Stage2Decoder
import Z3

/// `identity`: in a direct-mapped domain every mapping (RAM and, for dom0,
/// MMIO) has guest address == machine address.
///
/// Encoding, per direct-mapped domain, over its coalesced runs. A run
/// translates `g -> mbase + (g - gbase)` on `[gbase, glast]`; that equals `g`
/// for one `g` of the run exactly when `mbase == gbase` (mod 2^64), and then
/// for every `g` of it. So the property is the ground obligation
/// `mbase_k == gbase_k` for each run; its failure formula is
/// `mbase_k != gbase_k`, and then the run's first guest address reaches
/// `mbase_k`, not itself (the witness). Linear in the number of runs, checked
/// in chunks (`ChunkedQuery`). Each failure is re-checked by translating the
/// witness in Swift, and its run blocked.
struct Identity: InvariantProperty {
    static let id = PropertyID.identity

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var verdicts: [Verdict] = []
        var queries = 0
        var solveSeconds = 0.0
        var termCount = 0
        var notes: [String] = []
        for domain in facts.domains where domain.spec.directMap {
            guard domain.decoded.isComplete else {
                verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
                continue
            }
            let runs = domain.decoded.runs
            let outcome = try ChunkedQuery(options: options).runConcurrently(
                count: runs.count,
                fails: { terms, _, k in
                    try terms.constant(runs[k].guest.base.rawValue).notEquals(try terms.constant(runs[k].machine.rawValue))
                },
                interpret: { _, k -> Violation? in
                    let witness = runs[k].guest.base
                    let machine = Translation.translate(witness, by: runs[k])
                    guard machine.rawValue != witness.rawValue else { return nil }
                    let violation = Violation(
                        property: Self.id,
                        message: "\(domain.spec.name) is direct-mapped but guest address \(witness) reaches machine address \(machine)",
                        regions: [facts.reference(for: runs[k], in: domain), facts.attribute(machine)],
                        machineWitnesses: [machine], guestWitnesses: [witness], domain: domain.spec.name)
                    return violation
                })
            queries += outcome.queries
            solveSeconds += outcome.solveSeconds
            termCount += outcome.termCount
            verdicts.append(outcome.verdict(outcome.findings))
            notes.append("\(domain.spec.name): \(runs.count) runs")
        }
        if verdicts.isEmpty { notes.append("no direct-mapped domain: nothing to prove") }
        var result = PropertyResult(property: Self.id, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
        result.solveSeconds = solveSeconds
        result.termCount = termCount
        return result
    }
}
