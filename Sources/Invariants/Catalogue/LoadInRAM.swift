import P2MModel
import Stage2Decoder
import Z3

/// `load-in-ram`: every region of `load-disjoint` lies inside RAM and outside
/// reserved memory.
///
/// What a region occupies is as in `load-disjoint` (a table page inside its
/// own pool is covered by the pool's own check). RAM is the union of the
/// banks, so a region that spans two banks that touch is in RAM (as it is on
/// the board). Three queries, whose conjunction is the property:
/// 1. Swift computes the allowed intervals, RAM minus reserved memory
///    (merged, sorted). Z3 checks they are allowed: with `ram(x)` the
///    disjunction of `x in bank` and `reserved(x)` that of `x in reserved`,
///    `or_k (x in allowed_k and (not ram(x) or reserved(x)))` must be unsat
///    (size: banks + reserved regions; if sat, the verdict is unknown).
/// 2. For each region piece inside one allowed interval, Z3 checks that
///    containment (`IntervalContainment`, ground, linear). With 1, such a
///    piece is in RAM and outside reserved memory.
/// 3. The regions with a piece Swift found in no allowed interval are decided
///    exactly: `or_i (in_i(x) and (not ram(x) or reserved(x)))` over those
///    regions only, satisfiable exactly when some byte of one of them is
///    outside every bank or inside reserved memory. Each model is re-checked
///    in Swift and the offending region blocked.
/// Every region is covered by 2 or by 3, so unsat of all three proves the
/// property; a model of 3 is a violation.
struct LoadInRAM: InvariantProperty {
    static let id = PropertyID.loadInRAM

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let regions = facts.loadRegions
        var queries = 0
        var solveSeconds = 0.0
        var termCount = 0
        func finish(_ verdict: Verdict) -> PropertyResult {
            var result = PropertyResult(property: Self.id, verdict: verdict, queries: queries, seconds: (clock.now - start).seconds)
            result.solveSeconds = solveSeconds
            result.termCount = termCount
            return result
        }

        // 1. The allowed intervals are RAM and not reserved.
        let allowed = RangeArithmetic.allowedIntervals(ram: facts.spec.ram.map(\.range), reserved: facts.spec.reserved.map(\.range))
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let inRAM = try Formula.or(facts.spec.ram.map { try terms.contains($0.range, x) }, in: context)
        let inReserved = try Formula.or(facts.spec.reserved.map { try terms.contains($0.range, x) }, in: context)
        let misplaced = try Formula.or([try inRAM.negated(), inReserved], in: context)
        let allowedWrong = try Formula.or(allowed.map { try Formula.and([try terms.contains($0, x), misplaced]) }, in: context)
        let allowedSolver = try Z3Solver(context: context, simple: true)
        try allowedSolver.assert(allowedWrong)
        var allowedSearch = ViolationSearch(solver: allowedSolver, options: options)
        let allowedOutcome = try allowedSearch.run { _ in nil }
        queries += allowedSearch.queries
        solveSeconds += allowedSearch.solveSeconds
        if options.countTerms { termCount += allowedWrong.termCount }
        guard case .exhausted = allowedOutcome else {
            return finish(.unknown(reason: "the allowed intervals (RAM minus reserved memory) were not certified"))
        }

        // 2. Pieces inside one allowed interval.
        let pieces = regions.indices.flatMap { i in regions[i].exclusivePieces(in: regions).map { TaggedRange(range: $0, tag: i) } }
        let containment = try IntervalContainment<MachineAddress>(options: options).check(pieces, allowed: allowed)
        queries += containment.certified.queries
        solveSeconds += containment.certified.solveSeconds
        termCount += containment.certified.termCount
        guard containment.certified.findings.isEmpty, containment.certified.unknownReason == nil else {
            return finish(.unknown(reason: "the containment certificate of the load regions did not check"))
        }
        guard !containment.uncertified.isEmpty else { return finish(.proved) }

        // 3. The rest, exactly.
        let suspects = containment.uncertified.sorted()
        var faults: [Formula] = []
        for i in suspects {
            var inside = try terms.contains(regions[i].range, x)
            if let container = regions[i].container {
                inside = try Formula.and([inside, try terms.contains(regions[container].range, x).negated()])
            }
            faults.append(try Formula.and([inside, misplaced]))
        }
        let solver = try Z3Solver(context: context, simple: true)
        let query = try Formula.or(faults, in: context)
        if options.countTerms { termCount += query.termCount }
        try solver.assert(query)
        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let witness = MachineAddress(try model.value(of: x))
            guard let k = suspects.indices.first(where: { regions[suspects[$0]].occupies(witness, in: regions) }) else { return nil }
            let region = regions[suspects[k]]
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
            return .init(violation: violation, block: faults[k])
        }
        queries += search.queries
        solveSeconds += search.solveSeconds
        return finish(search.verdict(outcome))
    }
}
