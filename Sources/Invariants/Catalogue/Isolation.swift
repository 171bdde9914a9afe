import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// `isolation`: no machine page is mapped into two domains, unless it lies in
/// a static shared-memory region the spec declares for both. GIC virtual CPU
/// interface frames are exempt: the hardware banks them per VM.
///
/// Encoding, per pair of domains `(A, B)`, linear in their runs: each
/// domain's runs are merged per attribute value (`RunUnions`, with the lemma
/// that every run lies in an interval of its union, proved once per check);
/// Swift cuts the allowed ranges (`shared_AB`, the declared regions listing
/// both domains, and the GICV frames) out of those intervals, and the pieces
/// of A and of B are the two classes of `ClassDisjointness`. Z3 checks that
/// each piece lies in its class's merged union and that the union intervals
/// of both classes, sorted, form a strictly increasing chain: unsat exactly
/// when no machine address is reachable from both domains outside declared
/// sharing. An overlap's witness `m` is re-checked by finding the runs of A
/// and B that reach it and translating back to both guest addresses in Swift.
struct Isolation: InvariantProperty {
    static let id = PropertyID.isolation

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        let gicv = facts.spec.devices.filter { $0.role == .gicv }.compactMap { $0.range.expanded(toAlignment: 4096) }
        // The machine run unions of each domain (proved once per check, shared with hyp-private & co).
        var unions: [RunUnions?] = []
        for domain in facts.domains {
            guard domain.decoded.isComplete, facts.domains.count > 1 else {
                unions.append(nil)
                continue
            }
            let (shared, computed) = try RunUnions.shared(domain, .machine, options: options)
            if computed { out.count(shared.lemma) }
            unions.append(shared)
        }
        for i in facts.domains.indices {
            for j in facts.domains.indices where j > i {
                let (a, b) = (facts.domains[i], facts.domains[j])
                guard let ua = unions[i], let ub = unions[j] else {
                    out.verdicts.append(.unknown(reason: "the walk of \(a.spec.name)'s or \(b.spec.name)'s tables did not complete"))
                    continue
                }
                if let problem = ua.problem ?? ub.problem {
                    out.verdicts.append(.unknown(reason: problem))
                    continue
                }
                let declared = facts.spec.sharedMemory.filter { r in
                    r.domains.contains { $0.domain == a.spec.name } && r.domains.contains { $0.domain == b.spec.name }
                }
                for region in declared where Self.reaches(a, region.range) && Self.reaches(b, region.range) {
                    out.notes.append("declared shared memory \(region.name) \(region.range) is mapped in \(a.spec.name) and \(b.spec.name): allowed")
                }
                let allowed = declared.map(\.range) + gicv
                let items = Self.pieces(of: ua, outside: allowed).map { ClassDisjointness.Item(range: $0, kind: 0, tag: 0) }
                    + Self.pieces(of: ub, outside: allowed).map { ClassDisjointness.Item(range: $0, kind: 1, tag: 1) }
                let outcome = try ClassDisjointness(options: options).check(items)
                var violations: [Violation] = []
                var rechecked = true
                for overlap in outcome.findings {
                    let machine = MachineAddress(overlap.witness)
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
                out.verdicts.append(rechecked ? outcome.verdict(violations) : .unknown(reason: "a Z3 model did not re-check against the tables of \(a.spec.name) and \(b.spec.name)"))
                out.count(outcome)
            }
        }
        if facts.domains.count < 2 { out.notes.append("one domain: nothing to share") }
        return out.result()
    }

    /// The machine addresses a domain's runs reach outside `allowed`: each
    /// interval of its run unions (one union per attribute value, every run
    /// inside one of its intervals by the proved lemma) with the allowed
    /// ranges cut out.
    static func pieces(of unions: RunUnions, outside allowed: [AddressRange<MachineAddress>]) -> [ClosedInterval] {
        let holes = IntervalSet(allowed)
        return unions.classes.flatMap { $0.union.subtracting(holes).intervals }
    }

    /// Whether some run of `domain` reaches a byte of `range`.
    static func reaches(_ domain: DomainFacts, _ range: AddressRange<MachineAddress>) -> Bool {
        domain.decoded.runs.contains { $0.machineRange.overlaps(range) }
    }
}
