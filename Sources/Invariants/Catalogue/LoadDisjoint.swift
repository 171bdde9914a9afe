import P2MModel

/// `load-disjoint`: the hypervisor image, every boot module footprint, the
/// heaps and pools, and every page-table page the walk reached are pairwise
/// disjoint in machine memory.
///
/// Encoding: one 64-bit variable `x`. For region `i`, `in_i(x)` is
/// `base_i <=u x <=u last_i`; for a table page, also `not in_pool(x)` where
/// the pool is the one its domain's tables are allowed to live in (a table
/// page inside its own pool is the design, not an overlap). The query is
/// `sum_i ite(in_i(x), 1, 0) >=u 2` (a 32-bit sum, which cannot overflow for
/// fewer than 2^32 regions). It is satisfiable exactly when some address lies
/// in two regions, i.e. when two regions overlap; its size is linear in the
/// number of regions. Each model is re-checked in Swift, reported as the first
/// two regions containing `x`, and blocked with `not (in_i(x) and in_j(x))`
/// so that the next query finds a different pair.
struct LoadDisjoint: InvariantProperty {
    static let id = PropertyID.loadDisjoint

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let regions = facts.loadRegions
        var indicators: [Formula] = []
        for region in regions {
            var inside = try terms.contains(region.range, x)
            if let container = region.container {
                inside = try Formula.and([inside, try terms.contains(regions[container].range, x).negated()])
            }
            indicators.append(inside)
        }
        let one = try context.bitVector(1, width: 32)
        let zero = try context.bitVector(0, width: 32)
        var count = zero
        for indicator in indicators {
            count = try count + (try Formula.ite(indicator, one, zero))
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try count.uge(try context.bitVector(2, width: 32)))

        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let witness = MachineAddress(try model.value(of: x))
            let members = regions.indices.filter { i in
                guard regions[i].range.contains(witness) else { return false }
                if let c = regions[i].container { return !regions[c].range.contains(witness) }
                return true
            }
            guard members.count >= 2 else { return nil }
            let (a, b) = (regions[members[0]], regions[members[1]])
            let violation = Violation(
                property: Self.id,
                message: "\(a.reference.name) \(a.range) overlaps \(b.reference.name) \(b.range); machine address \(witness) is in both",
                regions: [a.reference, b.reference], machineWitnesses: [witness])
            return .init(violation: violation, block: try Formula.and([indicators[members[0]], indicators[members[1]]]))
        }
        let tablePages = regions.filter { $0.container != nil }.count
        return PropertyResult(
            property: Self.id, verdict: search.verdict(outcome), queries: search.queries,
            seconds: (clock.now - start).seconds,
            notes: ["\(regions.count) regions (\(tablePages) page-table pages found by the walk)"])
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
