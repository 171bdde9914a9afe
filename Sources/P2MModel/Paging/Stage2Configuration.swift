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
