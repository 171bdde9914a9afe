import P2MModel

/// `load-in-ram`: every region of `load-disjoint` lies inside RAM and outside
/// reserved memory.
///
/// Encoding: one 64-bit variable `x`; `ram(x)` is the disjunction of
/// `x in bank` over the RAM banks, `reserved(x)` the disjunction over reserved
/// regions. The query is `or_i (in_i(x) and (not ram(x) or reserved(x)))`,
/// satisfiable exactly when some byte of some region is outside every bank or
/// inside reserved memory. RAM is the union of the banks, so a region that
/// spans two banks that touch is in RAM (as it is on the board). Table pages
/// inside their own pool are covered by the pool's own check. Each model is
/// re-checked in Swift and the offending region blocked.
struct LoadInRAM: InvariantProperty {
    static let id = PropertyID.loadInRAM

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let inRAM = try Formula.or(facts.spec.ram.map { try terms.contains($0.range, x) }, in: context)
        let inReserved = try Formula.or(facts.spec.reserved.map { try terms.contains($0.range, x) }, in: context)
        let misplaced = try Formula.or([try inRAM.negated(), inReserved], in: context)
        let regions = facts.loadRegions
        var faults: [Formula] = []
        for region in regions {
            var inside = try terms.contains(region.range, x)
            if let container = region.container {
                inside = try Formula.and([inside, try terms.contains(regions[container].range, x).negated()])
            }
            faults.append(try Formula.and([inside, misplaced]))
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try Formula.or(faults, in: context))

        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let witness = MachineAddress(try model.value(of: x))
            guard let i = regions.indices.first(where: { i in
                regions[i].range.contains(witness)
                    && !(regions[i].container.map { regions[$0].range.contains(witness) } ?? false)
            }) else { return nil }
            let region = regions[i]
            let other: RegionReference
            let why: String
            if let r = facts.spec.reserved.first(where: { $0.range.contains(witness) }) {
                other = RegionReference(name: r.name, kind: .reserved, range: r.range, origin: r.origin)
                why = "is reserved memory \(r.name) \(r.range)"
            } else if !facts.spec.ram.contains(where: { $0.range.contains(witness) }) {
                other = RegionReference(name: "no RAM bank", kind: .unbacked, range: nil, origin: SpecOrigin(path: "/memory"))
                why = "is not in any RAM bank"
            } else {
                return nil
            }
            let violation = Violation(
                property: Self.id, message: "\(region.reference.name) \(region.range): machine address \(witness) \(why)",
                regions: [region.reference, other], machineWitnesses: [witness])
            return .init(violation: violation, block: faults[i])
        }
        return PropertyResult(property: Self.id, verdict: search.verdict(outcome), queries: search.queries, seconds: (clock.now - start).seconds)
    }
}
