import P2MModel

/// Errors of the stage-2 table code, mirroring the failures Xen's p2m reports.
public enum P2MError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pool has no free page left (Xen: -ENOMEM from `p2m_alloc_page`).
    case poolExhausted(pool: AddressRange<MachineAddress>)
    /// The guest address is beyond the configured IPA size (Xen: -EINVAL, root index out of range).
    case guestAddressOutOfRange(GuestAddress, ipaBits: Int)
    /// The machine address does not fit the descriptor's output field.
    case machineAddressOutOfRange(MachineAddress)
    /// The pool cannot hold the concatenated root table with its alignment.
    case poolTooSmallForRoot(pool: AddressRange<MachineAddress>, rootPages: Int)
    /// A mapping of zero pages, or one whose end wraps.
    case invalidRange(GuestAddress, pages: UInt64)
    /// The address handed to a pool is not one of its pages.
    case foreignPage(MachineAddress)
    /// A RAM-type page to remove maps another machine page than expected (Xen: -EILSEQ).
    case unexpectedMachineFrame(GuestAddress, expected: MachineAddress, found: MachineAddress)

    public var description: String {
        switch self {
        case .poolExhausted(let pool): return "p2m pool \(pool) exhausted: no free page for a page table"
        case .guestAddressOutOfRange(let a, let bits): return "guest address \(a) is beyond the \(bits)-bit IPA space"
        case .machineAddressOutOfRange(let a): return "machine address \(a) does not fit a stage-2 descriptor (48 bits)"
        case .poolTooSmallForRoot(let pool, let n): return "p2m pool \(pool) cannot hold the \(n)-page root table"
        case .invalidRange(let a, let n): return "cannot map \(n) pages at \(a)"
        case .foreignPage(let a): return "page \(a) does not belong to this p2m pool"
        case .unexpectedMachineFrame(let g, let e, let f): return "guest page \(g) maps \(f), not the expected \(e): refusing to remove it"
        }
    }
}
