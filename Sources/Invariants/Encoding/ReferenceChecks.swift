import P2MModel
import Stage2Decoder
import Z3

/// The two references `p2m-bench` measures the catalogue against, run on the
/// same decoded facts. Neither is used to decide a verdict of `p2m-check`:
/// no property calls into this file.
public enum ReferenceChecks {
    /// What a reference concluded and what it cost.
    public struct Outcome: Sendable {
        /// True when the reference found the properties hold, false when it
        /// found a violation, nil when Z3 did not answer.
        public var holds: Bool?
        /// Z3 terms of the queries (0 for the sweep).
        public var termCount: Int
    }

    /// The properties `pairwise` decides (alias freedom being the core of `s2-injective`).
    public static let pairwiseProperties: [PropertyID] = [.loadDisjoint, .s2Injective]
    /// The properties `sortAndSweep` decides.
    public static let sweepProperties: [PropertyID] = [.loadDisjoint, .loadInRAM, .s2Injective, .identity]

    /// `load-disjoint` and the alias freedom of `s2-injective` with the
    /// quadratic pairwise encoding (`PairwiseDisjointness`): one query over
    /// the load regions' pieces and one per domain over its runs' machine
    /// ranges (the same reduction `S2Injective` documents).
    /// - Throws: `SolverError` on a Z3 error.
    public static func pairwise(_ facts: SystemFacts, options: CheckOptions) throws -> Outcome {
        let regions = facts.loadRegions
        let pieces = regions.indices.flatMap { i in regions[i].exclusivePieces(in: regions).map { TaggedRange(range: $0, tag: i) } }
        let load = try PairwiseDisjointness<MachineAddress>(options: options).check(pieces)
        var holds: Bool? = load.unknownReason == nil ? load.findings.isEmpty : nil
        var terms = load.termCount
        for domain in facts.domains {
            let runs = domain.decoded.runs
            let alias = try PairwiseDisjointness<MachineAddress>(options: options).check(runs.indices.map { TaggedRange(range: runs[$0].machineRange, tag: $0) })
            terms += alias.termCount
            if !alias.findings.isEmpty { holds = false } else if alias.unknownReason != nil, holds == true { holds = nil }
        }
        return Outcome(holds: holds, termCount: terms)
    }

    /// The four properties of the v1 catalogue (`load-disjoint`,
    /// `load-in-ram`, `s2-injective`, `identity`) decided in Swift alone by
    /// sorting and one sweep, without Z3: what the Z3 encodings must stay
    /// close to in speed.
    public static func sortAndSweep(_ facts: SystemFacts) -> Outcome {
        let regions = facts.loadRegions
        let pieces = regions.indices.flatMap { i in regions[i].exclusivePieces(in: regions) }
        var holds = disjoint(pieces)
        let allowed = RangeArithmetic.allowedIntervals(ram: facts.spec.ram.map(\.range), reserved: facts.spec.reserved.map(\.range))
        for piece in pieces where holds {
            // Last allowed interval starting at or below the piece's base.
            var (low, high) = (0, allowed.count)
            while low < high {
                let mid = (low + high) / 2
                if allowed[mid].base <= piece.base { low = mid + 1 } else { high = mid }
            }
            holds = low > 0 && allowed[low - 1].contains(piece)
        }
        for domain in facts.domains where holds {
            let runs = domain.decoded.runs
            holds = domain.decoded.isComplete && disjoint(runs.map(\.guest)) && disjoint(runs.map(\.machineRange))
            if domain.spec.directMap { holds = holds && runs.allSatisfy { $0.guest.base.rawValue == $0.machine.rawValue } }
        }
        return Outcome(holds: holds, termCount: 0)
    }

    /// Whether the non-empty ones among `ranges` are pairwise disjoint (sort by base, compare neighbours).
    static func disjoint<A: PhysicalAddress>(_ ranges: [AddressRange<A>]) -> Bool {
        var sorted = ranges.filter { !$0.isEmpty }
        sorted.sort { $0.base < $1.base }
        for i in sorted.indices.dropLast() where sorted[i + 1].base <= sorted[i].last! { return false }
        return true
    }
}
