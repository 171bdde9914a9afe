import Invariants
import Stage2Decoder
import P2MModel

/// The translation the checker's decoded tables predict for one guest
/// address, in `MMUOutcome` terms, for `AT S12E1R` with EL1's stage 1 off
/// and HCR_EL2.DC set (stage 1 then contributes Normal, write-back
/// read/write-allocate, non-shareable):
///
/// - a guest address inside a decoded leaf translates to the leaf's machine
///   address plus the offset, unless the leaf's access flag is clear
///   (access-flag fault), its S2AP denies reads (permission fault), or its
///   output lies beyond the PA size (address-size fault), all at its level;
/// - otherwise the walk stops at the deepest decoded table that covers the
///   address: a translation fault at that table's level;
/// - an IPA beyond the IPA size (VTCR_EL2.T0SZ) is a stage-2 translation
///   fault at level 0 (ARM ARM, AArch64.S2Walk: input address out of range).
struct ExpectedTranslation: Sendable {
    let decoded: DecodedStage2
    let paBits: Int
    /// Decoded leaves, ascending guest order (as the decoder returns them).
    private let leafBases: [UInt64]
    /// Each decoded table page's guest base and level.
    private let tables: [(guest: AddressRange<GuestAddress>, level: TranslationLevel)]

    init(decoded: DecodedStage2, paBits: Int) {
        self.decoded = decoded
        self.paBits = paBits
        leafBases = decoded.leaves.map { $0.guest.base.rawValue }
        var bases: [UInt64: UInt64] = [:]
        var tables: [(AddressRange<GuestAddress>, TranslationLevel)] = []
        let root = decoded.configuration.rootLevel
        for page in decoded.tablePages {
            let base: UInt64
            if let slot = page.referencedFrom {
                let parent = slot.rawValue & ~0xFFF
                guard let parentBase = bases[parent], let parentLevel = TranslationLevel(page.level.rawValue - 1) else { continue }
                base = parentBase + ((slot.rawValue & 0xFFF) >> 3) * parentLevel.entrySize
            } else {
                base = (page.address.rawValue - decoded.root.rawValue) / 4096 << (root.indexShift + 9)
            }
            if bases[page.address.rawValue] == nil { bases[page.address.rawValue] = base }
            tables.append((AddressRange(uncheckedBase: GuestAddress(base), size: page.level.entrySize * 512), page.level))
        }
        self.tables = tables
    }

    /// The decoded leaf holding `guest`, if any.
    func leaf(containing guest: GuestAddress) -> DecodedLeaf? {
        var low = 0, high = leafBases.count
        while low < high {
            let mid = (low + high) / 2
            if leafBases[mid] <= guest.rawValue { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let candidate = decoded.leaves[low - 1]
        return candidate.guest.contains(guest) ? candidate : nil
    }

    func outcome(for guest: GuestAddress) -> MMUOutcome {
        guard guest.rawValue < decoded.configuration.ipaSpaceSize else {
            return .fault(.translation, level: 0, stage: 2)
        }
        if let leaf = leaf(containing: guest) {
            let level = leaf.level.rawValue
            let d = leaf.descriptor
            if leaf.machine.rawValue >> paBits != 0 { return .fault(.addressSize, level: level, stage: 2) }
            if !d.accessFlag { return .fault(.accessFlag, level: level, stage: 2) }
            if !d.access.read { return .fault(.permission, level: level, stage: 2) }
            let machine = MachineAddress(leaf.machine.rawValue + (guest.rawValue - leaf.guest.base.rawValue))
            let (attributes, shareability) = Self.combinedWithDefaultStage1(d.memoryAttribute, d.shareability)
            return .translated(machine: MachineAddress(machine.rawValue & ~0xFFF), attributes: attributes, shareability: shareability)
        }
        let deepest = tables.filter { $0.guest.contains(guest) }.max { $0.level < $1.level }
        return .fault(.translation, level: deepest?.level.rawValue ?? decoded.configuration.rootLevel.rawValue, stage: 2)
    }

    /// PAR_EL1.ATTR (MAIR encoding) and PAR_EL1.SH for a stage-2 MemAttr and SH
    /// combined with HCR_EL2.DC's stage 1 (Normal, inner and outer write-back
    /// read/write-allocate, non-shareable), FEAT_S2FWB off (ARM ARM D8.5.5):
    /// the weaker cacheability wins per inner/outer domain, Device types come
    /// from stage 2; the larger shareability wins, and Device or fully
    /// non-cacheable memory reads back as outer shareable.
    static func combinedWithDefaultStage1(_ memory: Stage2MemoryAttribute, _ shareability: Shareability) -> (UInt8, UInt8) {
        let raw = memory.rawValue
        if memory.isDevice { return ((raw & 3) << 2, 0b10) }
        // Stage-2 cacheability of one domain (01 NC, 10 WT, 11 WB) as a MAIR nibble with stage 1's RaWa hints.
        func nibble(_ s2: UInt8) -> UInt8 {
            switch s2 {
            case 0b01: return 0x4        // Normal non-cacheable
            case 0b10: return 0xB        // write-through, read/write-allocate
            default: return 0xF          // write-back, read/write-allocate
            }
        }
        let outer = nibble(raw >> 2), inner = nibble(raw & 3)
        if outer == 0x4 && inner == 0x4 { return (0x44, 0b10) }
        return (outer << 4 | inner, shareability.rawValue)
    }
}
