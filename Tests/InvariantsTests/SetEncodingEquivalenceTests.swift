import BenchLayouts
import Hypervisor
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder
import P2MModel
import Testing

/// The set encodings (`IntervalSet`, `SetContainment`, `ClassDisjointness`,
/// `Covering`) against brute force and against the direct Z3 query each one
/// replaces, on seeded random inputs with violations; every witness re-checks.
extension EncodingEquivalenceTests {
    /// Whether `build(terms, x)` is satisfiable, asked directly (the quadratic / symbolic
    /// encoding the linear ones replace).
    func directlySatisfiable(_ build: (RangeTerms, BitVector) throws -> Formula) throws -> Bool {
        let context = try Z3Context()
        let terms = RangeTerms(context: context)
        let solver = try Z3Solver(context: context)
        try solver.assert(try build(terms, try terms.variable("x")))
        switch try solver.check(timeoutMilliseconds: 30_000, resourceLimit: nil) {
        case .satisfiable: return true
        case .unsatisfiable: return false
        case .unknown(let reason): throw SolverError.z3(code: -1, message: "unknown: \(reason)")
        }
    }

    func intervals(_ ranges: [TaggedRange<MachineAddress>]) -> [ClosedInterval] {
        ranges.compactMap { ClosedInterval($0.range) }
    }

    /// Addresses worth probing: every bound, its neighbours, and both ends of the space.
    func probes(_ lists: [[ClosedInterval]]) -> [UInt64] {
        var points: Set<UInt64> = [0, 1, .max, .max - 1]
        for list in lists {
            for i in list { points.formUnion([i.first, i.last, i.first &- 1, i.last &+ 1]) }
        }
        return points.sorted()
    }

    @Test func intervalSetAgreesWithMembership() {
        var random = SeededRandom(seed: 41)
        for round in 0..<40 {
            let a = intervals(randomRanges(&random, count: 1 + round % 9))
            let b = intervals(randomRanges(&random, count: 1 + round % 7))
            let (sa, sb) = (IntervalSet(a), IntervalSet(b))
            // Normal form: sorted, disjoint, not touching.
            for set in [sa, sb, sa.complement, sa.union(sb), sa.intersection(sb), sa.subtracting(sb)] {
                for (x, y) in zip(set.intervals, set.intervals.dropFirst()) { #expect(x.last < y.first && x.last + 1 < y.first, "round \(round)") }
            }
            for p in probes([a, b]) {
                let (inA, inB) = (a.contains { $0.contains(p) }, b.contains { $0.contains(p) })
                #expect(sa.contains(p) == inA, "round \(round) at \(p)")
                #expect(sa.complement.contains(p) == !inA)
                #expect(sa.union(sb).contains(p) == (inA || inB))
                #expect(sa.intersection(sb).contains(p) == (inA && inB))
                #expect(sa.subtracting(sb).contains(p) == (inA && !inB))
            }
        }
        #expect(IntervalSet.empty.complement == .all && IntervalSet.all.complement == .empty)
    }

    @Test func setContainmentAgreesWithDirectQuery() throws {
        var random = SeededRandom(seed: 43)
        var violated = 0
        for round in 0..<36 {
            let items = intervals(randomRanges(&random, count: 2 + round % 15))
            let regions = intervals(randomRanges(&random, count: 1 + round % 6))
            let regionRanges = regions.map { AddressRange<MachineAddress>(first: MachineAddress($0.first), last: MachineAddress($0.last)) }
            // The same two sets three ways: a formula, a union, the complement of a union.
            let sets: [SetContainment.AllowedSet] = [
                .union("regions", regionRanges),
                .outside("outside the regions", regionRanges),
                SetContainment.AllowedSet(name: "regions (formula)", definition: { terms, x in try terms.inAny(regionRanges, x) }, intervals: IntervalSet(regions)),
            ]
            let inside = { (x: UInt64) in regions.contains { $0.contains(x) } }
            for (index, set) in sets.enumerated() {
                let wantsInside = index != 1
                let outcome = try SetContainment(options: options).check(items.enumerated().map { .init(range: $1, set: 0, tag: $0) }, sets: [set])
                #expect(outcome.unknownReason == nil, "round \(round) \(set.name): \(outcome.unknownReason ?? "")")
                // Direct: some item has an address outside the set.
                let direct = try directlySatisfiable { terms, x in
                    let s = try Formula.or(try regions.map { try terms.contains($0, x) }, in: terms.context)
                    return try Formula.and([
                        try Formula.or(try items.map { try terms.contains($0, x) }, in: terms.context),
                        wantsInside ? try s.negated() : s,
                    ])
                }
                #expect(outcome.findings.isEmpty == !direct, "round \(round) \(set.name)")
                // Exactly the offending items, each at a witness outside the set.
                let offending = Set(items.indices.filter { i in
                    let set = wantsInside ? IntervalSet(regions) : IntervalSet(regions).complement
                    return set.index(containing: items[i]) == nil
                })
                #expect(Set(outcome.findings.map(\.tag)) == offending, "round \(round) \(set.name)")
                for f in outcome.findings {
                    #expect(items[f.tag].contains(f.witness) && inside(f.witness) != wantsInside)
                }
                if direct { violated += 1 }
            }
        }
        #expect(violated > 20 && violated < 100, "\(violated) of 108 checks violated")
    }

    @Test func setContainmentRejectsAWrongIntervalForm() throws {
        // Swift's interval form claims more than the definition allows: never trusted.
        let wrong = SetContainment.AllowedSet(name: "pages 0 and 1", definition: { terms, x in try terms.contains(ClosedInterval(first: 0, last: 0xFFF), x) },
                                              intervals: IntervalSet([ClosedInterval(first: 0, last: 0x1FFF)]))
        let outcome = try SetContainment(options: options).check([.init(range: ClosedInterval(first: 0x1000, last: 0x1FFF), set: 0, tag: 0)], sets: [wrong])
        #expect(outcome.findings.isEmpty)
        #expect(outcome.unknownReason?.contains("disagrees with its definition at 0x1000") == true, "\(outcome.unknownReason ?? "nil")")
    }

    @Test func classDisjointnessAgreesWithPairwise() throws {
        var random = SeededRandom(seed: 47)
        var violated = 0
        for round in 0..<40 {
            let ranges = intervals(randomRanges(&random, count: 2 + round % 18))
            let items = ranges.enumerated().map { ClassDisjointness.Item(range: $1, kind: Int.random(in: 0..<3, using: &random), tag: $0) }
            let outcome = try ClassDisjointness(options: options).check(items)
            #expect(outcome.unknownReason == nil)
            let truth = !items.contains { a in items.contains { b in a.kind != b.kind && a.range.first <= b.range.last && b.range.first <= a.range.last } }
            let direct = try directlySatisfiable { terms, x in
                try Formula.or(try (0..<3).flatMap { ka in try (0..<3).filter { $0 > ka }.map { kb in
                    try Formula.and([
                        try Formula.or(try items.filter { $0.kind == ka }.map { try terms.contains($0.range, x) }, in: terms.context),
                        try Formula.or(try items.filter { $0.kind == kb }.map { try terms.contains($0.range, x) }, in: terms.context),
                    ])
                } }, in: terms.context)
            }
            #expect(direct == !truth)
            #expect(outcome.findings.isEmpty == truth, "round \(round)")
            for f in outcome.findings {
                let (a, b) = (items[f.first], items[f.second])
                #expect(a.kind != b.kind && a.range.contains(f.witness) && b.range.contains(f.witness))
            }
            if !truth { violated += 1 }
        }
        #expect(violated > 8 && violated < 36, "\(violated) of 40 rounds violated")
    }

    @Test func coveringAgreesWithDirectQuery() throws {
        var random = SeededRandom(seed: 53)
        var gaps = 0
        for round in 0..<40 {
            let pieces = intervals(randomRanges(&random, count: 2 + round % 20))
            // Targets: unions of a few pieces (covered), stretched at random (often not).
            let union = IntervalSet(pieces).intervals
            let targets = union.prefix(4).enumerated().map { i, u in
                let stretch = Bool.random(using: &random) ? UInt64.random(in: 1...0x100, using: &random) : 0
                return Covering.Target(range: ClosedInterval(first: u.first, last: u.last > .max - stretch ? .max : u.last + stretch), tag: i)
            }
            let outcome = try Covering(options: options).check(targets, pieces: pieces)
            #expect(outcome.unknownReason == nil, "round \(round): \(outcome.unknownReason ?? "")")
            let direct = try directlySatisfiable { terms, x in
                try Formula.and([
                    try Formula.or(try targets.map { try terms.contains($0.range, x) }, in: terms.context),
                    try Formula.or(try pieces.map { try terms.contains($0, x) }, in: terms.context).negated(),
                ])
            }
            #expect(outcome.findings.isEmpty == !direct, "round \(round)")
            for gap in outcome.findings {
                #expect(targets[gap.tag].range.contains(gap.witness) && !pieces.contains { $0.contains(gap.witness) })
            }
            if direct { gaps += 1 }
        }
        #expect(gaps > 8 && gaps < 36, "\(gaps) of 40 rounds had a gap")
    }

    @Test func classDisjointnessAtTheEdges() throws {
        let top = UInt64.max
        func overlaps(_ a: ClosedInterval, _ b: ClosedInterval) throws -> [UInt64] {
            try ClassDisjointness(options: options).check([.init(range: a, kind: 0, tag: 0), .init(range: b, kind: 1, tag: 1)]).findings.map(\.witness)
        }
        // One shared byte is an overlap; touching ranges are not; at 0 and at the top of the space.
        #expect(try overlaps(ClosedInterval(first: 0, last: 0xFFF), ClosedInterval(first: 0xFFF, last: 0x1FFF)) == [0xFFF])
        #expect(try overlaps(ClosedInterval(first: 0, last: 0xFFF), ClosedInterval(first: 0x1000, last: 0x1FFF)) == [])
        #expect(try overlaps(ClosedInterval(first: 0, last: 0), ClosedInterval(first: 0, last: top)) == [0])
        #expect(try overlaps(ClosedInterval(first: top - 0xFFF, last: top), ClosedInterval(first: top, last: top)) == [top])
        #expect(try overlaps(ClosedInterval(first: top - 0xFFF, last: top - 1), ClosedInterval(first: top, last: top)) == [])
    }

    @Test func coveringAtTheEdges() throws {
        let top = UInt64.max
        func gaps(_ target: ClosedInterval, _ pieces: [ClosedInterval]) throws -> [UInt64] {
            let outcome = try Covering(options: options).check([.init(range: target, tag: 0)], pieces: pieces)
            #expect(outcome.unknownReason == nil)
            return outcome.findings.map(\.witness)
        }
        // Touching pieces cover; a one-byte hole does not; up to the last address of the space.
        #expect(try gaps(ClosedInterval(first: 0, last: 0x1FFF), [ClosedInterval(first: 0x1000, last: 0x1FFF), ClosedInterval(first: 0, last: 0xFFF)]) == [])
        #expect(try gaps(ClosedInterval(first: 0, last: 0x1FFF), [ClosedInterval(first: 0, last: 0xFFE), ClosedInterval(first: 0x1000, last: 0x1FFF)]) == [0xFFF])
        #expect(try gaps(ClosedInterval(first: 0, last: top), [ClosedInterval(first: 0, last: top - 1), ClosedInterval(first: top, last: top)]) == [])
        #expect(try gaps(ClosedInterval(first: top - 1, last: top), [ClosedInterval(first: top - 1, last: top - 1)]) == [top])
        #expect(try gaps(ClosedInterval(first: 5, last: 5), []) == [5])
    }

    @Test func concurrentSlicesAgreeWithOneThread() throws {
        var random = SeededRandom(seed: 59)
        for round in 0..<20 {
            let ranges = randomRanges(&random, count: 20 + round)
            var one = options
            one.concurrency = 1
            var four = options
            four.concurrency = 4
            // Chunks of 2 pairs: 10+ chunks, so four threads each get slices of several chunks.
            let sequential = try SortedDisjointness<MachineAddress>(options: one, chunkSize: 2).check(ranges)
            let concurrent = try SortedDisjointness<MachineAddress>(options: four, chunkSize: 2).check(ranges)
            #expect(sequential.unknownReason == nil && concurrent.unknownReason == nil)
            // Every failed adjacent pair is found, whatever the threads, by witness (two pairs whose
            // obligations have the same two numbers are one Z3 term, so which of them is reported
            // depends on the chunk they share). Several failures in one chunk are all found.
            var sorted = ranges.filter { !$0.range.isEmpty }
            sorted.sort { $0.range.base < $1.range.base }
            let failed = Set(sorted.indices.dropLast().filter { sorted[$0].range.contains(sorted[$0 + 1].range.base) }.map { sorted[$0 + 1].range.base })
            #expect(Set(sequential.findings.map(\.witness)) == failed, "round \(round)")
            #expect(Set(concurrent.findings.map(\.witness)) == failed, "round \(round)")
            expectRechecks(concurrent.findings, ranges)
            #expect(concurrent.findings.isEmpty == bruteForceDisjoint(ranges))
        }
    }

    @Test func runUnionsHoldEveryRunAndAreProved() throws {
        let layout = ServerLayout(size: 600, seed: 5)
        let facts = SystemFacts(system: try layout.build(layout.spec()))
        for domain in facts.domains {
            for side in [RunContainment.Side.guest, .machine] {
                let unions = try RunUnions.build(domain, side, options: options)
                #expect(unions.problem == nil, "\(domain.spec.name): \(unions.problem ?? "")")
                #expect(unions.lemma.queries >= 1)
                for run in domain.decoded.runs {
                    let range = try #require(side == .guest ? ClosedInterval(run.guest) : ClosedInterval(run.machineRange))
                    let cls = try #require(unions.classes.first { $0.attributeBits == run.attributeBits })
                    #expect(cls.union.index(containing: range) != nil)
                }
            }
        }
        // The domU's frames are scattered but contiguous as a set: its machine union has far
        // fewer intervals than it has runs, which is what the per-run properties then check.
        let domU = facts.domains[1]
        let machine = try RunUnions.build(domU, .machine, options: options)
        #expect(machine.classes.reduce(0) { $0 + $1.union.intervals.count } * 20 < domU.decoded.runs.count)
    }
}
