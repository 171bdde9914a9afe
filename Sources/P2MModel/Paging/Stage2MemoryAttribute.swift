/// The stage-2 MemAttr[3:0] field of a leaf descriptor (ARM ARM, stage 2
/// memory attributes with FEAT_S2FWB off).
///
/// MemAttr[3:2] == 0b00 means Device memory (MemAttr[1:0] picks nGnRnE,
/// nGnRE, nGRE, GRE); otherwise MemAttr[3:2] is the outer and MemAttr[1:0]
/// the inner cacheability of Normal memory.
public struct Stage2MemoryAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The 4-bit field value.
    public let rawValue: UInt8

    /// - Precondition: `rawValue < 16`.
    public init(_ rawValue: UInt8) {
        precondition(rawValue < 16)
        self.rawValue = rawValue
    }

    /// Device-nGnRE: Xen's `MATTR_DEV` (0x1).
    public static let deviceNGnRE = Stage2MemoryAttribute(0x1)
    /// Normal, inner and outer non-cacheable: Xen's `MATTR_MEM_NC` (0x5).
    public static let normalNonCacheable = Stage2MemoryAttribute(0x5)
    /// Normal, inner and outer write-back: Xen's `MATTR_MEM` (0xF).
    public static let normalWriteBack = Stage2MemoryAttribute(0xF)

    /// Device memory of any kind.
    public var isDevice: Bool { rawValue & 0xC == 0 }
    /// Normal memory, inner and outer write-back cacheable.
    public var isNormalWriteBack: Bool { rawValue == 0xF }

    public var description: String {
        switch rawValue {
        case 0x0: return "Device-nGnRnE"
        case 0x1: return "Device-nGnRE"
        case 0x2: return "Device-nGRE"
        case 0x3: return "Device-GRE"
        case 0x5: return "Normal-NC"
        case 0xA: return "Normal-WT"
        case 0xF: return "Normal-WB"
        default: return "Normal(MemAttr=\(Hex.format(UInt64(rawValue))))"
        }
    }
}
