import Hypervisor
import P2MModel

/// `isolation`: no machine page is mapped into two domains, unless it lies in
/// a static shared-memory region the spec declares for both. GIC virtual CPU
/// interface frames are exempt: the hardware banks them per VM.
///
/// Encoding, per pair of domains `(A, B)`, linear in their runs: Swift
/// takes each domain's runs' machine ranges, removes the allowed ranges
/// (`shared_AB`, the declared regions listing both domains, and the GICV
/// frames) and merges what is left into the union of disjoint intervals
/// `U_A` (resp. `U_B`): exactly the machine addresses the domain reaches
/// outside the allowed ranges. The intervals of one union are pairwise
/// disjoint by construction, so the intervals of `U_A` and `U_B` together are
/// pairwise disjoint exactly when no machine address is reachable from both
/// domains outside declared sharing; Z3 checks that with the sorted-order
/// certificate (`SortedDisjointness`). An overlap's witness `m` is re-checked
/// by finding the runs of A and B that reach it and translating back to both
/// guest addresses in Swift.
struct Isolation: InvariantProperty {
    static let id = PropertyID.isolation

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        let gicv = facts.spec.devices.filter { $0.role == .gicv }.compactMap { $0.range.expanded(toAlignment: 4096) }
        for i in facts.domains.indices {
            for j in facts.domains.indices where j > i {
                let (a, b) = (facts.domains[i], facts.domains[j])
                guard a.decoded.isComplete, b.decoded.isComplete else {
                    out.verdicts.append(.unknown(reason: "the walk of \(a.spec.name)'s or \(b.spec.name)'s tables did not complete"))
                    continue
                }
                let declared = facts.spec.sharedMemory.filter { r in
                    r.domains.contains { $0.domain == a.spec.name } && r.domains.contains { $0.domain == b.spec.name }
                }
                for region in declared where Self.reaches(a, region.range) && Self.reaches(b, region.range) {
                    out.notes.append("declared shared memory \(region.name) \(region.range) is mapped in \(a.spec.name) and \(b.spec.name): allowed")
                }
                let allowed = declared.map(\.range) + gicv
                let outcome = try SortedDisjointness<MachineAddress>(options: options).check(
                    Self.reached(by: a, outside: allowed).map { TaggedRange(range: $0, tag: 0) }
                        + Self.reached(by: b, outside: allowed).map { TaggedRange(range: $0, tag: 1) })
                var violations: [Violation] = []
                var rechecked = true
                for overlap in outcome.findings {
                    let machine = overlap.witness
                    guard overlap.first != overlap.second,
                          let ka = a.decoded.runs.firstIndex(where: { $0.machineRange.contains(machine) }),
                          let kb = b.decoded.runs.firstIndex(where: { $0.machineRange.contains(machine) }),
                          !allowed.contains(where: { $0.contains(machine) })
                    else {
                        rechecked = false
                        break
                    }
                    let (ra, rb) = (a.decoded.runs[ka], b.decoded.runs[kb])
                    let wa = GuestAddress(ra.guest.base.rawValue &+ (machine.rawValue &- ra.machine.rawValue))
                    let wb = GuestAddress(rb.guest.base.rawValue &+ (machine.rawValue &- rb.machine.rawValue))
                    guard Translation.translate(wa, by: ra) == machine, Translation.translate(wb, by: rb) == machine else {
                        rechecked = false
                        break
                    }
                    violations.append(Violation(
                        property: Self.id,
                        message: "machine address \(machine) (\(facts.attribute(machine).name)) is mapped into \(a.spec.name) at \(wa) and into \(b.spec.name) at \(wb), and no declared shared memory covers it",
                        regions: [facts.reference(for: ra, in: a), facts.reference(for: rb, in: b)],
                        machineWitnesses: [machine], guestWitnesses: [wa, wb], domain: a.spec.name))
                }
                out.add((rechecked ? outcome.verdict(violations) : .unknown(reason: "a Z3 model did not re-check against the tables of \(a.spec.name) and \(b.spec.name)"), outcome.queries))
            }
        }
        if facts.domains.count < 2 { out.notes.append("one domain: nothing to share") }
        return out.result()
    }

    /// The machine addresses `domain`'s runs reach outside `allowed`, as a
    /// sorted union of pairwise disjoint, non-adjacent intervals.
    static func reached(by domain: DomainFacts, outside allowed: [AddressRange<MachineAddress>]) -> [AddressRange<MachineAddress>] {
        var pieces = domain.decoded.runs.flatMap { run in
            allowed.reduce([run.machineRange]) { parts, hole in parts.flatMap { BootHeap.subtract(hole, from: $0) } }
        }.filter { !$0.isEmpty }
        pieces.sort { $0.base < $1.base }
        var union: [AddressRange<MachineAddress>] = []
        for piece in pieces {
            guard let last = union.last, let lastByte = last.last, let pieceLast = piece.last else {
                union.append(piece)
                continue
            }
            // Overlapping or adjacent: extend (the end never exceeds 2^64: both ranges exist).
            if piece.base.rawValue <= lastByte.rawValue || piece.base.rawValue == lastByte.rawValue &+ 1 && lastByte.rawValue != .max {
                if pieceLast > lastByte { union[union.count - 1] = AddressRange(first: last.base, last: pieceLast) }
            } else {
                union.append(piece)
            }
        }
        return union
    }

    /// Whether some run of `domain` reaches a byte of `range`.
    static func reaches(_ domain: DomainFacts, _ range: AddressRange<MachineAddress>) -> Bool {
        domain.decoded.runs.contains { $0.machineRange.overlaps(range) }
    }
}
