/// Xen's software p2m type, kept in descriptor bits 58:55 (ignored by the
/// MMU). Values follow `p2m_type_t` in xen/arch/arm/include/asm/p2m.h.
public enum P2MType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case invalid = 0
    case ramReadWrite = 1
    case ramReadOnly = 2
    case mmioDirectDevice = 3
    case mmioDirectNonCacheable = 4
    case mmioDirectCacheable = 5
    case foreignReadWrite = 6
    case foreignReadOnly = 7
    case grantReadWrite = 8
    case grantReadOnly = 9
    case iommuReadWrite = 10
    case iommuReadOnly = 11

    /// RAM owned by the domain (ram_rw, ram_ro).
    public var isRAM: Bool { self == .ramReadWrite || self == .ramReadOnly }
    /// Xen's `p2m_is_any_ram`: RAM, grant and foreign mappings.
    public var isAnyRAM: Bool { isRAM || (6...9).contains(rawValue) }
    /// Direct MMIO of any cacheability.
    public var isMMIO: Bool { (3...5).contains(rawValue) }

    /// The leaf attributes Xen writes for this type with access `rwx`
    /// (`mfn_to_p2m_entry` + `p2m_set_permission`).
    public var defaultAttributes: LeafAttributes {
        switch self {
        case .mmioDirectDevice:
            return LeafAttributes(memory: .deviceNGnRE, shareability: .outer, access: .init(read: true, write: true, executeNever: true), type: self)
        case .mmioDirectNonCacheable:
            return LeafAttributes(memory: .normalNonCacheable, shareability: .outer, access: .init(read: true, write: true, executeNever: true), type: self)
        case .mmioDirectCacheable:
            return LeafAttributes(memory: .normalWriteBack, shareability: .outer, access: .init(read: true, write: true, executeNever: true), type: self)
        case .ramReadWrite:
            return LeafAttributes(memory: .normalWriteBack, shareability: .inner, access: .init(read: true, write: true, executeNever: false), type: self)
        case .ramReadOnly:
            return LeafAttributes(memory: .normalWriteBack, shareability: .inner, access: .init(read: true, write: false, executeNever: false), type: self)
        case .foreignReadWrite, .grantReadWrite, .iommuReadWrite:
            return LeafAttributes(memory: .normalWriteBack, shareability: .inner, access: .init(read: true, write: true, executeNever: true), type: self)
        case .foreignReadOnly, .grantReadOnly, .iommuReadOnly, .invalid:
            return LeafAttributes(memory: .normalWriteBack, shareability: .inner, access: .init(read: true, write: false, executeNever: true), type: self)
        }
    }

    public var description: String {
        switch self {
        case .invalid: return "p2m_invalid"
        case .ramReadWrite: return "p2m_ram_rw"
        case .ramReadOnly: return "p2m_ram_ro"
        case .mmioDirectDevice: return "p2m_mmio_direct_dev"
        case .mmioDirectNonCacheable: return "p2m_mmio_direct_nc"
        case .mmioDirectCacheable: return "p2m_mmio_direct_c"
        case .foreignReadWrite: return "p2m_map_foreign_rw"
        case .foreignReadOnly: return "p2m_map_foreign_ro"
        case .grantReadWrite: return "p2m_grant_map_rw"
        case .grantReadOnly: return "p2m_grant_map_ro"
        case .iommuReadWrite: return "p2m_iommu_map_rw"
        case .iommuReadOnly: return "p2m_iommu_map_ro"
        }
    }
}
