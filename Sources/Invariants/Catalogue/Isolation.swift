import P2MModel

/// `isolation`: no machine page is mapped into two domains, unless it lies in
/// a static shared-memory region the spec declares for both. GIC virtual CPU
/// interface frames are exempt: the hardware banks them per VM.
///
/// Encoding, per pair of domains `(A, B)`, over their coalesced runs
/// (`DomainTerms`): variables `ga`, `gb`, `m`; the query is
/// `mapsA(ga, m) and mapsB(gb, m) and not shared_AB(m) and not gicv(m)`,
/// where `shared_AB` is the union of the declared regions listing both
/// domains. It is satisfiable exactly when some machine address is reachable
/// from both domains outside declared sharing. Linear in the number of runs.
/// Each model is re-checked by translating `ga` and `gb` in Swift, and the pair
/// of runs is blocked.
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
                let context = try Z3Context.forCheck()
                let ta = DomainTerms(context: context, domain: a)
                let tb = DomainTerms(context: context, domain: b)
                let ga = try ta.terms.variable("ga")
                let gb = try ta.terms.variable("gb")
                let m = try ta.terms.variable("m")
                let solver = try Z3Solver(context: context)
                try solver.assert(try Formula.and([try ta.maps(ga, m), try tb.maps(gb, m), try ta.inAny(allowed, m).negated()]))
                var search = ViolationSearch(solver: solver, options: options)
                let outcome = try search.run { model in
                    let wa = GuestAddress(try model.value(of: ga))
                    let wb = GuestAddress(try model.value(of: gb))
                    guard let ka = Translation.run(containing: wa, in: ta.runs), let kb = Translation.run(containing: wb, in: tb.runs) else { return nil }
                    let machine = Translation.translate(wa, by: ta.runs[ka])
                    guard machine == Translation.translate(wb, by: tb.runs[kb]), !allowed.contains(where: { $0.contains(machine) }) else { return nil }
                    let violation = Violation(
                        property: Self.id,
                        message: "machine address \(machine) (\(facts.attribute(machine).name)) is mapped into \(a.spec.name) at \(wa) and into \(b.spec.name) at \(wb), and no declared shared memory covers it",
                        regions: [facts.reference(for: ta.runs[ka], in: a), facts.reference(for: tb.runs[kb], in: b)],
                        machineWitnesses: [machine], guestWitnesses: [wa, wb], domain: a.spec.name)
                    return .init(violation: violation, block: try Formula.and([try ta.inRun(ka, ga), try tb.inRun(kb, gb)]))
                }
                out.add((search.verdict(outcome), search.queries))
            }
        }
        if facts.domains.count < 2 { out.notes.append("one domain: nothing to share") }
        return out.result()
    }

    /// Whether some run of `domain` reaches a byte of `range`.
    static func reaches(_ domain: DomainFacts, _ range: AddressRange<MachineAddress>) -> Bool {
        domain.decoded.runs.contains { $0.machineRange.overlaps(range) }
    }
}
