import P2MModel
import Stage2Decoder
import Z3

/// `load-disjoint`: the hypervisor image, every boot module footprint, the
/// heaps and pools, and every page-table page the walk reached are pairwise
/// disjoint in machine memory.
///
/// What each region occupies, for this property: its range, except that a
/// table page is allowed to lie in the pool its domain's tables live in (that
/// is the design, not an overlap), so a table page stands for its range minus
/// that pool: zero, one or two intervals (`LoadRegion.exclusivePieces`).
/// The property is then "these intervals are pairwise disjoint", checked by
/// the sorted-order certificate (`SortedDisjointness`, linear size; its doc
/// argues the equivalence). Two pieces of one region never overlap (they lie
/// on either side of the pool). Each witness is re-checked in Swift against
/// the regions themselves and reported as the two regions containing it.
struct LoadDisjoint: InvariantProperty {
    static let id = PropertyID.loadDisjoint

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let regions = facts.loadRegions
        let pieces = regions.indices.flatMap { i in
            regions[i].exclusivePieces(in: regions).map { TaggedRange(range: $0, tag: i) }
        }
        let outcome = try SortedDisjointness<MachineAddress>(options: options).check(pieces)
        var violations: [Violation] = []
        for overlap in outcome.findings {
            let (a, b) = (regions[overlap.first], regions[overlap.second])
            let w = overlap.witness
            // Re-check against the regions, not the pieces.
            guard a.occupies(w, in: regions), b.occupies(w, in: regions) else {
                return PropertyResult(property: Self.id, verdict: .unknown(reason: "a Z3 model did not re-check against the load regions"), queries: outcome.queries, seconds: (clock.now - start).seconds)
            }
            violations.append(Violation(
                property: Self.id,
                message: "\(a.reference.name) \(a.range) overlaps \(b.reference.name) \(b.range); machine address \(w) is in both",
                regions: [a.reference, b.reference], machineWitnesses: [w]))
        }
        let tablePages = regions.filter { $0.container != nil }.count
        var result = PropertyResult(
            property: Self.id, verdict: outcome.verdict(violations), queries: outcome.queries,
            seconds: (clock.now - start).seconds,
            notes: ["\(regions.count) regions (\(tablePages) page-table pages found by the walk)"])
        result.solveSeconds = outcome.solveSeconds
        result.termCount = outcome.termCount
        return result
    }
}

extension LoadRegion {
    /// Whether machine address `x` counts as occupied by this region (for a
    /// table page: inside its range and outside its own pool).
    func occupies(_ x: MachineAddress, in regions: [LoadRegion]) -> Bool {
        guard range.contains(x) else { return false }
        return container.map { !regions[$0].range.contains(x) } ?? true
    }

    /// The intervals this region occupies: its range, minus its container's
    /// range for a table page. Exactly the addresses `occupies` accepts.
    func exclusivePieces(in regions: [LoadRegion]) -> [AddressRange<MachineAddress>] {
        guard let container else { return range.isEmpty ? [] : [range] }
        return RangeArithmetic.subtract([regions[container].range], from: range)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
