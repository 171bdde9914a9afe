/// Stage-2 translation set-up for one IPA size, as Xen's
/// `setup_virt_paging` chooses it (xen/arch/arm/mmu/p2m.c): starting level,
/// number of concatenated root pages, T0SZ and SL0 for VTCR.
public struct Stage2Configuration: Hashable, Sendable {
    /// Guest-physical address size in bits.
    public let ipaBits: Int
    /// Level of the root table.
    public let rootLevel: TranslationLevel
    /// Number of contiguous 4 KiB pages forming the (concatenated) root table.
    public let rootPageCount: Int
    /// VTCR.T0SZ.
    public let t0sz: Int
    /// VTCR.SL0.
    public let sl0: Int
    /// The architecture whose row this is.
    public let architecture: Architecture

    /// The configuration Xen uses for `ipaBits` on `architecture`.
    /// - Throws: `Stage2ConfigurationError.unsupportedIPASize` for a size Xen has no row for.
    public init(ipaBits: Int, architecture: Architecture) throws(Stage2ConfigurationError) {
        switch (architecture, ipaBits) {
        case (.arm32LPAE, 32): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 1, 0, 1)
        case (.arm32LPAE, 40): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 2, 24, 1)
        case (.arm64, 32): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 1, 32, 1)
        case (.arm64, 36): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 1, 28, 1)
        case (.arm64, 40): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 2, 24, 1)
        case (.arm64, 42): (rootLevel, rootPageCount, t0sz, sl0) = (.one, 8, 22, 1)
        case (.arm64, 44): (rootLevel, rootPageCount, t0sz, sl0) = (.zero, 1, 20, 2)
        case (.arm64, 48): (rootLevel, rootPageCount, t0sz, sl0) = (.zero, 1, 16, 2)
        default: throw .unsupportedIPASize(bits: ipaBits, architecture: architecture)
        }
        self.ipaBits = ipaBits
        self.architecture = architecture
    }

    /// The configuration Xen's `setup_virt_paging` picks on a CPU whose
    /// physical address range is `paBits` (ID_AA64MMFR0_EL1.PARange):
    /// - arm64: the IPA size is the PA range capped at Xen's `PADDR_BITS` (48),
    ///   so a 52-bit CPU gets the 48-bit row; an IOMMU may restrict it further
    ///   to `restrictedIPABits` (`p2m_restrict_ipa_bits`), which must name a row;
    /// - arm32: always the 40-bit row (`PADDR_BITS` = 40), whatever the CPU.
    /// - Throws: `Stage2ConfigurationError.unsupportedIPASize` when no row matches
    ///   (Xen panics "%u-bit P2M is not supported").
    public static func xen(paBits: Int, architecture: Architecture, restrictedIPABits: Int? = nil) throws(Stage2ConfigurationError) -> Stage2Configuration {
        let bits: Int
        switch architecture {
        case .arm32LPAE: bits = min(40, restrictedIPABits ?? 40)
        case .arm64: bits = min(paBits, 48, restrictedIPABits ?? 48)
        }
        return try Stage2Configuration(ipaBits: bits, architecture: architecture)
    }

    /// Number of lookup levels: 4 from a level-0 root, 3 from a level-1 root.
    public var levelCount: Int { 4 - rootLevel.rawValue }

    /// VTCR.PS on arm64: the PARange encoding of the IPA row (0 for 32 bits ... 5 for 48).
    public var physicalSizeField: UInt64 {
        switch ipaBits {
        case 32: return 0
        case 36: return 1
        case 40: return 2
        case 42: return 3
        case 44: return 4
        default: return 5
        }
    }

    /// The VTCR value Xen writes (8-bit VMIDs): RES1 (bit 31), SH0 inner
    /// shareable, ORGN0 and IRGN0 write-back write-allocate, SL0, T0SZ, and on
    /// arm64 TG0 = 4 KiB and PS. arm32's T0SZ is a 5-bit signed field (24 = -8).
    public var vtcr: UInt64 {
        var value: UInt64 = (1 << 31) | (0b11 << 12) | (0b01 << 10) | (0b01 << 8)
        value |= UInt64(sl0) << 6 | UInt64(t0sz) & 0x3F
        if architecture == .arm64 { value |= physicalSizeField << 16 }
        return value
    }

    /// Bytes of guest-physical address space: 2^ipaBits.
    public var ipaSpaceSize: UInt64 { ipaBits >= 64 ? .max : (1 << UInt64(ipaBits)) }

    /// Index of the root page (among the concatenated ones) that translates `gpa`.
    public func rootPageIndex(of gpa: GuestAddress) -> Int {
        Int(gpa.rawValue >> (rootLevel.indexShift + 9))
    }
}

/// Errors choosing a stage-2 configuration.
public enum Stage2ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case unsupportedIPASize(bits: Int, architecture: Architecture)

    public var description: String {
        switch self {
        case .unsupportedIPASize(let bits, let arch):
            let allowed = arch == .arm64 ? "32, 36, 40, 42, 44 or 48" : "32 or 40"
            return "\(bits)-bit P2M is not supported on \(arch.rawValue) (Xen accepts \(allowed))"
        }
    }
}
