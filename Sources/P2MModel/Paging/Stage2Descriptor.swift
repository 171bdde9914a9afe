/// One 64-bit stage-2 VMSAv8-64 / LPAE descriptor with the 4 KiB granule.
///
/// Bit layout (ARM ARM D8.3 and Xen's `lpae_p2m_t`):
///
/// | bits  | field |
/// |-------|-------|
/// | 0     | valid |
/// | 1     | 1 = table (levels 0-2) or page (level 3); 0 = block (levels 1-2) |
/// | 5:2   | MemAttr |
/// | 7:6   | S2AP (bit 6 read, bit 7 write) |
/// | 9:8   | SH |
/// | 10    | AF |
/// | 47:12 | output address (next-level table, block or page) |
/// | 52    | contiguous hint |
/// | 54    | XN |
/// | 58:55 | software: Xen's p2m type |
///
/// Bits 11, 51:48, 53 and 63:59 are written as zero by Xen; `reservedBits`
/// exposes them so that a checker can insist on it.
public struct Stage2Descriptor: Hashable, Sendable, CustomStringConvertible {
    /// The descriptor exactly as stored in memory.
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    static let validBit: UInt64 = 1 << 0
    static let tableBit: UInt64 = 1 << 1
    static let memAttrShift: UInt64 = 2
    static let readBit: UInt64 = 1 << 6
    static let writeBit: UInt64 = 1 << 7
    static let shShift: UInt64 = 8
    static let accessFlagBit: UInt64 = 1 << 10
    /// Bits 47:12.
    public static let outputAddressMask: UInt64 = 0x0000_FFFF_FFFF_F000
    static let contiguousBit: UInt64 = 1 << 52
    static let executeNeverBit: UInt64 = 1 << 54
    static let typeShift: UInt64 = 55
    /// Bits Xen always writes as zero: 11, 51:48, 53, 63:59.
    public static let reservedMask: UInt64 = (1 << 11) | (0xF << 48) | (1 << 53) | (0x1F << 59)

    /// The all-zero (invalid) descriptor.
    public static let invalid = Stage2Descriptor(rawValue: 0)

    /// A table descriptor pointing at the next-level table page.
    /// - Precondition: `next` is 4 KiB aligned and below 2^48.
    public static func table(next: MachineAddress) -> Stage2Descriptor {
        precondition(next.rawValue & ~outputAddressMask == 0, "table address must be 4K aligned and < 2^48")
        // Xen writes table entries as a p2m_ram_rw leaf with the table bit set;
        // the attribute bits are ignored by the MMU for table descriptors.
        var d = leafBits(output: next, attributes: P2MType.ramReadWrite.defaultAttributes)
        d |= tableBit
        return Stage2Descriptor(rawValue: d)
    }

    /// A leaf (block at levels 1-2, page at level 3) mapping `output`.
    /// - Precondition: `level.allowsLeaf`; `output` is aligned to `level.entrySize` and below 2^48.
    public static func leaf(output: MachineAddress, attributes: LeafAttributes, level: TranslationLevel) -> Stage2Descriptor {
        precondition(level.allowsLeaf, "no level-0 blocks with the 4K granule")
        precondition(output.isAligned(to: level.entrySize), "leaf output must be aligned to the entry size")
        precondition(output.rawValue & ~outputAddressMask == 0, "output address must be below 2^48")
        var d = leafBits(output: output, attributes: attributes)
        if level == .three { d |= tableBit }
        return Stage2Descriptor(rawValue: d)
    }

    private static func leafBits(output: MachineAddress, attributes a: LeafAttributes) -> UInt64 {
        var d: UInt64 = validBit
        d |= UInt64(a.memory.rawValue) << memAttrShift
        if a.access.read { d |= readBit }
        if a.access.write { d |= writeBit }
        d |= UInt64(a.shareability.rawValue) << shShift
        if a.accessFlag { d |= accessFlagBit }
        d |= output.rawValue & outputAddressMask
        if a.access.executeNever { d |= executeNeverBit }
        d |= UInt64(a.type.rawValue) << typeShift
        return d
    }

    // MARK: Fields

    /// Hardware valid bit (bit 0).
    public var isValid: Bool { rawValue & Self.validBit != 0 }
    /// Bit 1: table/page when set, block when clear.
    public var tableOrPageBit: Bool { rawValue & Self.tableBit != 0 }
    public var memoryAttribute: Stage2MemoryAttribute { Stage2MemoryAttribute(UInt8((rawValue >> Self.memAttrShift) & 0xF)) }
    public var shareability: Shareability { Shareability(rawValue: UInt8((rawValue >> Self.shShift) & 0x3))! }
    public var accessFlag: Bool { rawValue & Self.accessFlagBit != 0 }
    public var access: Stage2Access {
        Stage2Access(read: rawValue & Self.readBit != 0, write: rawValue & Self.writeBit != 0, executeNever: rawValue & Self.executeNeverBit != 0)
    }
    public var isContiguous: Bool { rawValue & Self.contiguousBit != 0 }
    /// Bits 47:12 as an address.
    public var outputAddress: MachineAddress { MachineAddress(rawValue & Self.outputAddressMask) }
    /// The raw 4-bit software type field.
    public var softwareTypeField: UInt8 { UInt8((rawValue >> Self.typeShift) & 0xF) }
    /// Xen's p2m type, or nil for a value Xen never writes (12-15).
    public var p2mType: P2MType? { P2MType(rawValue: softwareTypeField) }
    /// The bits among Xen's must-be-zero bits that are set.
    public var reservedBits: UInt64 { rawValue & Self.reservedMask }

    /// All leaf attributes, or nil if the software type field holds an unknown value.
    public var leafAttributes: LeafAttributes? {
        guard let type = p2mType else { return nil }
        return LeafAttributes(memory: memoryAttribute, shareability: shareability, access: access, type: type, accessFlag: accessFlag)
    }

    /// What the MMU makes of this descriptor at `level`.
    public func kind(at level: TranslationLevel) -> Stage2DescriptorKind {
        guard isValid else { return .invalid }
        if tableOrPageBit {
            return level == .three ? .page(outputAddress) : .table(outputAddress)
        }
        // Bit 1 clear: a block at levels 1 and 2; reserved (faults) at levels 0 and 3.
        return level == .one || level == .two ? .block(outputAddress) : .reserved
    }

    public var description: String { "Stage2Descriptor(\(Hex.format(rawValue)))" }
}

/// How the MMU interprets a stage-2 descriptor at a given level.
public enum Stage2DescriptorKind: Hashable, Sendable {
    /// Bit 0 clear: translation fault.
    case invalid
    /// Points at the next-level table page.
    case table(MachineAddress)
    /// A 1 GiB (level 1) or 2 MiB (level 2) block mapping.
    case block(MachineAddress)
    /// A 4 KiB page mapping (level 3).
    case page(MachineAddress)
    /// Valid with bit 1 clear at level 0 or 3: an architecturally reserved encoding that faults.
    case reserved
}
