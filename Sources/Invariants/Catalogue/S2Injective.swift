import P2MModel
import Stage2Decoder
import Z3

/// `s2-injective`: within one domain, no two guest addresses translate to the
/// same machine address, except inside static shared memory the spec declares
/// for that domain (the query adds `not shared(m)`; the notes say when a
/// declared region is mapped).
///
/// Per domain, over the coalesced translation runs of its decoded tables
/// (`TranslationRun`: the same affine map as its leaves). Translation is the
/// union of the runs' maps `g -> mbase_k + (g - gbase_k)` on `guest_k`, each
/// injective on its run. Given that the runs' guest ranges are pairwise
/// disjoint, two distinct guest addresses reach one machine address exactly
/// when they lie in two different runs whose machine ranges share that
/// address; so the property is "the runs' machine ranges are pairwise
/// disjoint". Both facts are checked by the sorted-order certificate
/// (`SortedDisjointness`, linear size):
/// 1. the runs' guest ranges are pairwise disjoint (true of any walk of one
///    table tree; if Z3 found otherwise, the argument would not apply and
///    the verdict is unknown);
/// 2. the runs' machine ranges, minus the static shared memory declared for
///    this domain, are pairwise disjoint; an overlap at `m` of
///    runs `a` and `b` gives the aliases `gbase_a + (m - mbase_a)` and
///    `gbase_b + (m - mbase_b)`, re-checked by translating both in Swift.
/// `TranslationAliasQuery` (the direct encoding over the translation) is kept
/// as the reference this is compared with in tests.
struct S2Injective: InvariantProperty {
    static let id = PropertyID.s2Injective

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        var verdicts: [Verdict] = []
        var queries = 0
        var solveSeconds = 0.0
        var termCount = 0
        var notes: [String] = []
        let certificate = SortedDisjointness<GuestAddress>(options: options)
        let machineCertificate = SortedDisjointness<MachineAddress>(options: options)
        for domain in facts.domains {
            guard domain.decoded.isComplete else {
                verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
                continue
            }
            let runs = domain.decoded.runs
            let guest = try certificate.check(runs.indices.map { TaggedRange(range: runs[$0].guest, tag: $0) })
            // Declared static shared memory is the only aliasing allowed: the
            // machine certificate covers each run's machine range minus it.
            let shared = facts.spec.sharedMemory.filter { r in r.domains.contains { $0.domain == domain.spec.name } }.map(\.range)
            let machine = try machineCertificate.check(runs.indices.flatMap { k in
                RangeArithmetic.subtract(shared, from: runs[k].machineRange).map { TaggedRange(range: $0, tag: k) }
            })
            queries += guest.queries + machine.queries
            solveSeconds += guest.solveSeconds + machine.solveSeconds
            termCount += guest.termCount + machine.termCount
            notes.append("\(domain.spec.name): \(domain.decoded.leaves.count) leaves in \(runs.count) runs; " + (shared.isEmpty ? "no shared memory declared" : "aliasing allowed inside declared shared memory \(shared.map(\.description).joined(separator: ", "))"))
            if let overlap = guest.findings.first {
                verdicts.append(.unknown(reason: "\(domain.spec.name): decoded runs overlap in guest space at \(overlap.witness)"))
                continue
            }
            if guest.unknownReason != nil {
                verdicts.append(guest.verdict([]))
                continue
            }
            var violations: [Violation] = []
            var rechecked = true
            for overlap in machine.findings {
                let (a, b) = (runs[overlap.first], runs[overlap.second])
                let m = overlap.witness
                let ga = GuestAddress(a.guest.base.rawValue &+ (m.rawValue &- a.machine.rawValue))
                let gb = GuestAddress(b.guest.base.rawValue &+ (m.rawValue &- b.machine.rawValue))
                guard ga != gb, let ka = Translation.run(containing: ga, in: runs), let kb = Translation.run(containing: gb, in: runs),
                      Translation.translate(ga, by: runs[ka]) == m, Translation.translate(gb, by: runs[kb]) == m,
                      !shared.contains(where: { $0.contains(m) })
                else {
                    rechecked = false
                    break
                }
                violations.append(Violation(
                    property: Self.id,
                    message: "\(domain.spec.name): guest addresses \(ga) and \(gb) both reach machine address \(m)",
                    regions: [facts.reference(for: runs[ka], in: domain), facts.reference(for: runs[kb], in: domain)],
                    machineWitnesses: [m], guestWitnesses: [ga, gb], domain: domain.spec.name))
            }
            verdicts.append(rechecked ? machine.verdict(violations)
                : .unknown(reason: "a Z3 model did not re-check against \(domain.spec.name)'s tables"))
        }
        var result = PropertyResult(property: Self.id, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
        result.solveSeconds = solveSeconds
        result.termCount = termCount
        return result
    }
}
