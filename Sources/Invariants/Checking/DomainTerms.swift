import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// The terms over one domain's decoded translation runs that the per-domain
/// encodings share: "guest address `g` lies in run `k`", "run `k` takes `g`
/// to machine address ...", and the translation relation `maps(g, m)`.
/// Guest ranges of runs are disjoint (they come from one table tree), so
/// `maps` is the translation function of the tables.
struct DomainTerms {
    let terms: RangeTerms
    let runs: [TranslationRun]

    var context: Z3Context { terms.context }

    init(context: Z3Context, domain: DomainFacts) {
        terms = RangeTerms(context: context)
        runs = domain.decoded.runs
    }

    /// `g` lies in run `k`'s guest range.
    func inRun(_ k: Int, _ g: BitVector) throws -> Formula { try terms.contains(runs[k].guest, g) }

    /// The machine address run `k` takes `g` to: `g - gbase_k + mbase_k`.
    func translated(_ k: Int, _ g: BitVector) throws -> BitVector {
        try (g - (try terms.constant(runs[k].guest.base.rawValue))) + (try terms.constant(runs[k].machine.rawValue))
    }

    /// `or_k (g in run_k and m == translated_k(g))`, restricted to runs passing `filter`.
    func maps(_ g: BitVector, _ m: BitVector, where filter: (TranslationRun) -> Bool = { _ in true }) throws -> Formula {
        try Formula.or(runs.indices.filter { filter(runs[$0]) }.map { k in
            try Formula.and([try inRun(k, g), try m.equals(try translated(k, g))])
        }, in: context)
    }

    /// `g` lies in some run passing `filter` (is mapped with such a leaf).
    func mapped(_ g: BitVector, where filter: (TranslationRun) -> Bool) throws -> Formula {
        try Formula.or(runs.indices.filter { filter(runs[$0]) }.map { try inRun($0, g) }, in: context)
    }

    /// `x` lies in one of `ranges`.
    func inAny<A: PhysicalAddress>(_ ranges: [AddressRange<A>], _ x: BitVector) throws -> Formula {
        try terms.inAny(ranges, x)
    }
}

extension TranslationRun {
    /// Xen's software p2m type of the run's leaves, or nil for a value Xen never writes.
    var p2mType: P2MType? { Stage2Descriptor(rawValue: attributeBits).p2mType }
    /// Mapped as the domain's own or borrowed RAM (ram, foreign, grant, IOMMU pages).
    var isRAMMapping: Bool { Self.isRAMMapping(attributeBits) }
    /// Mapped as direct MMIO.
    var isMMIOMapping: Bool { Self.isMMIOMapping(attributeBits) }

    /// Whether leaves with these attribute bits map RAM (ram, foreign, grant, IOMMU types).
    static func isRAMMapping(_ bits: UInt64) -> Bool { Stage2Descriptor(rawValue: bits).p2mType.map { !$0.isMMIO && $0 != .invalid } ?? false }
    /// Whether leaves with these attribute bits map direct MMIO.
    static func isMMIOMapping(_ bits: UInt64) -> Bool { Stage2Descriptor(rawValue: bits).p2mType?.isMMIO ?? false }
}

extension SystemFacts {
    /// Machine windows Xen maps with an MMIO type, widened to whole pages (what
    /// a mapping can reach): the board's devices and the host's
    /// `/reserved-memory` children (mapped 1:1 into dom0 as `p2m_mmio_direct_c`).
    var devicePages: [AddressRange<MachineAddress>] {
        (spec.devices + MMIOPolicy.reservedMemoryNodes(of: spec)).compactMap { $0.range.expanded(toAlignment: 4096) }
    }
}
