import BenchLayouts
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder
import P2MModel
import Testing

/// Each fast encoding against the direct one (and a brute-force Swift check)
/// on seeded random inputs, violations included; every witness re-checks.
struct EncodingEquivalenceTests {
    let options = CheckOptions(timeoutMilliseconds: 30_000, maximumViolations: 64)

    /// Random ranges over a small window (so that overlaps are common), with
    /// touching neighbours, duplicates, empty ranges and ranges at the top of
    /// the 64-bit space mixed in.
    func randomRanges(_ random: inout SeededRandom, count: Int) -> [TaggedRange<MachineAddress>] {
        let top = UInt64.max - 0xF_FFFF
        var ranges: [AddressRange<MachineAddress>] = []
        for _ in 0..<count {
            let base = (Bool.random(using: &random) ? 0 : top) + UInt64.random(in: 0..<0x10000, using: &random) * 16
            let room = UInt64.max - base
            let wanted = UInt64.random(in: 0...0x4000, using: &random) * 2
            let size = room == .max ? wanted : min(wanted, room + 1)  // may end exactly at 2^64
            ranges.append(AddressRange(uncheckedBase: MachineAddress(base), size: size))
            if let last = ranges.last, Int.random(in: 0..<8, using: &random) == 0 {
                if let end = last.end { ranges.append(AddressRange(uncheckedBase: end, size: end.rawValue == 0 ? 0x100 : min(0x100, UInt64.max - end.rawValue + 1))) }  // touching
                ranges.append(last)  // duplicate
            }
        }
        return ranges.prefix(count).enumerated().map { TaggedRange(range: $1, tag: $0) }
    }

    func bruteForceDisjoint(_ ranges: [TaggedRange<MachineAddress>]) -> Bool {
        for i in ranges.indices { for j in ranges.indices where i < j && ranges[i].range.overlaps(ranges[j].range) { return false } }
        return true
    }

    func expectRechecks(_ findings: [RangeOverlap<MachineAddress>], _ ranges: [TaggedRange<MachineAddress>]) {
        for f in findings {
            #expect(f.first != f.second)
            #expect(ranges[f.first].range.contains(f.witness), "witness \(f.witness) not in \(ranges[f.first].range)")
            #expect(ranges[f.second].range.contains(f.witness), "witness \(f.witness) not in \(ranges[f.second].range)")
        }
    }

    @Test func sortedCertificateAgreesWithPairwise() throws {
        var random = SeededRandom(seed: 7)
        var violated = 0
        for round in 0..<40 {
            let ranges = randomRanges(&random, count: 2 + round % 25)
            // A small chunk size puts chunk boundaries inside the list.
            let fast = try SortedDisjointness<MachineAddress>(options: options, chunkSize: 1 + round % 4).check(ranges)
            let pairwise = try PairwiseDisjointness<MachineAddress>(options: options).check(ranges)
            let truth = bruteForceDisjoint(ranges)
            #expect(fast.unknownReason == nil && pairwise.unknownReason == nil)
            #expect(fast.findings.isEmpty == truth, "round \(round): sorted certificate says \(fast.findings.isEmpty), truth \(truth)")
            #expect(pairwise.findings.isEmpty == truth, "round \(round): pairwise says \(pairwise.findings.isEmpty), truth \(truth)")
            expectRechecks(fast.findings, ranges)
            expectRechecks(pairwise.findings, ranges)
            if !truth { violated += 1 }
        }
        // The inputs must exercise both answers.
        #expect(violated > 8 && violated < 36, "\(violated) of 40 rounds violated")
    }

    @Test func overlapAtAChunkBoundaryIsFound() throws {
        // Twelve disjoint pages, then the ninth made to overlap the tenth: with chunks of 4 pairs,
        // pair 8-9 is the first of the third chunk.
        var ranges = (0..<12).map { TaggedRange(range: AddressRange(uncheckedBase: MachineAddress(UInt64($0) * 0x2000), size: 0x1000), tag: $0) }
        ranges[8].range = AddressRange(uncheckedBase: MachineAddress(8 * 0x2000), size: 0x2800)
        let outcome = try SortedDisjointness<MachineAddress>(options: options, chunkSize: 4).check(ranges)
        #expect(outcome.findings == [RangeOverlap(first: 8, second: 9, witness: MachineAddress(9 * 0x2000))])
        #expect(outcome.queries == 3 + 1)  // three chunks, one of them asked again after blocking
    }

    @Test func unansweredChunkIsUnknownNeverProved() throws {
        // The pairwise query needs search over `x`; under an rlimit of 1 Z3 cannot answer it.
        let ranges = (0..<40).map { TaggedRange(range: AddressRange(uncheckedBase: MachineAddress(UInt64($0) * 0x3000), size: 0x2000), tag: $0) }
        let outcome = try PairwiseDisjointness<MachineAddress>(options: CheckOptions(timeoutMilliseconds: 30_000, resourceLimit: 1)).check(ranges)
        #expect(outcome.unknownReason != nil)
        guard case .unknown = outcome.verdict([]) else { Issue.record("expected unknown, got \(outcome.verdict([]))"); return }
    }

    /// Random translation runs of one domain (guest-sorted, guest-disjoint, as a walk yields
    /// them), machine ranges random so that aliasing is common.
    func randomRuns(_ random: inout SeededRandom, count: Int) -> [TranslationRun] {
        var runs: [TranslationRun] = []
        var guest: UInt64 = 0x4000_0000
        for k in 0..<count {
            guest += UInt64.random(in: 0...2, using: &random) * 0x1000
            let size = UInt64.random(in: 1...4, using: &random) * 0x1000
            let machine = 0x8000_0000 + UInt64.random(in: 0..<64, using: &random) * 0x1000
            runs.append(TranslationRun(guest: AddressRange(uncheckedBase: GuestAddress(guest), size: size), machine: MachineAddress(machine), attributeBits: 0, firstLeaf: k, leafCount: 1))
            guest += size
        }
        return runs
    }

    @Test func aliasReductionAgreesWithTranslationQuery() throws {
        var random = SeededRandom(seed: 11)
        var aliased = 0
        for round in 0..<40 {
            let runs = randomRuns(&random, count: 1 + round % 12)
            let machine = try SortedDisjointness<MachineAddress>(options: options, chunkSize: 3).check(runs.indices.map { TaggedRange(range: runs[$0].machineRange, tag: $0) })
            let guest = try SortedDisjointness<GuestAddress>(options: options).check(runs.indices.map { TaggedRange(range: runs[$0].guest, tag: $0) })
            let direct = try TranslationAliasQuery(options: options).check(runs)
            #expect(guest.findings.isEmpty && guest.unknownReason == nil)
            #expect(direct.complete)
            #expect(machine.findings.isEmpty == direct.aliases.isEmpty, "round \(round)")
            for alias in direct.aliases {
                #expect(alias.first != alias.second)
            }
            // Each machine overlap is a real alias: both guest preimages translate to the witness.
            for overlap in machine.findings {
                let (a, b) = (runs[overlap.first], runs[overlap.second])
                let ga = GuestAddress(a.guest.base.rawValue + (overlap.witness.rawValue - a.machine.rawValue))
                let gb = GuestAddress(b.guest.base.rawValue + (overlap.witness.rawValue - b.machine.rawValue))
                #expect(ga != gb)
                #expect(Translation.translate(ga, by: a) == overlap.witness && Translation.translate(gb, by: b) == overlap.witness)
            }
            if !direct.aliases.isEmpty { aliased += 1 }
        }
        #expect(aliased > 5 && aliased < 38, "\(aliased) of 40 rounds aliased")
    }

    @Test func containmentCertificateClaimsOnlyWhatHolds() throws {
        var random = SeededRandom(seed: 23)
        for round in 0..<30 {
            let ranges = randomRanges(&random, count: 3 + round % 20)
            var allowed: [AddressRange<MachineAddress>] = []
            var base: UInt64 = UInt64.random(in: 0..<0x1000, using: &random) * 16
            for _ in 0..<4 {
                let size = UInt64.random(in: 1...0x8000, using: &random) * 16
                allowed.append(AddressRange(uncheckedBase: MachineAddress(base), size: size))
                base += size + UInt64.random(in: 1...0x8000, using: &random) * 16
            }
            let result = try IntervalContainment<MachineAddress>(options: options).check(ranges, allowed: allowed)
            #expect(result.certified.findings.isEmpty && result.certified.unknownReason == nil)
            for item in ranges where !item.range.isEmpty {
                let inOne = allowed.contains { $0.contains(item.range) }
                #expect(inOne == !result.uncertified.contains(item.tag), "round \(round): \(item.range)")
            }
        }
    }
}
