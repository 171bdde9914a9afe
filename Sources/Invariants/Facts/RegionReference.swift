import P2MModel
import Stage2Decoder
import Z3

/// What kind of thing a named machine region is.
public enum RegionKind: String, Sendable, Hashable {
    case hypervisorImage = "hypervisor-image"
    case bootModule = "boot-module"
    case xenheap
    case p2mPool = "p2m-pool"
    case tablePage = "page-table-page"
    case ramBank = "ram-bank"
    case reserved = "reserved-memory"
    case device
    case guestRAM = "guest-ram"
    case guestMapping = "guest-mapping"
    case unbacked = "no-ram"
    case emulated = "emulated-window"
    case sharedMemory = "shared-memory"
    case staticMemory = "static-memory"
}

/// A named region in a report: what it is, where it is, and which spec entry made it.
public struct RegionReference: Hashable, Sendable {
    public var name: String
    public var kind: RegionKind
    /// Machine range (for guest mappings: the machine range they reach).
    public var range: AddressRange<MachineAddress>?
    /// Guest range, for guest mappings.
    public var guestRange: AddressRange<GuestAddress>?
    public var origin: SpecOrigin

    public init(name: String, kind: RegionKind, range: AddressRange<MachineAddress>?, guestRange: AddressRange<GuestAddress>? = nil, origin: SpecOrigin) {
        self.name = name
        self.kind = kind
        self.range = range
        self.guestRange = guestRange
        self.origin = origin
    }
}
