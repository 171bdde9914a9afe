import P2MModel

/// Why the hypervisor could not build the system. Each case carries the
/// message Xen would panic with, where Xen has one.
public enum BuildError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A 32-bit dom0 got no first bank below 4 GiB ("Unable to allocate first memory bank").
    case firstBankUnavailable(domain: String)
    /// RAM left unassigned ("Failed to allocate requested dom0 memory. %ldMB unallocated").
    case domainMemoryUnallocated(domain: String, missingBytes: UInt64)
    /// No room in RAM for a pool or heap the hypervisor must place.
    case noRoomFor(what: String, size: UInt64)
    /// The stage-2 code failed while building a domain.
    case p2m(domain: String, P2MError)
    /// The IPA size is not one Xen supports.
    case configuration(Stage2ConfigurationError)
    /// A domU asked for direct-map without static memory.
    case directMapNeedsStaticMemory(domain: String)
    /// `memory` differs from the sum of the `xen,static-mem` banks.
    case staticMemorySizeMismatch(domain: String, memory: UInt64, staticTotal: UInt64)
    /// Static memory needs more than Xen's two guest RAM banks.
    case guestBanksExhausted(domain: String)
    /// More domains than VMIDs ("VMID pool exhausted").
    case vmidPoolExhausted(domain: String)
    /// The kernel, DTB or initrd cannot be placed in the domain's bank 0.
    case placement(domain: String, KernelPlacementError)

    public var description: String {
        switch self {
        case .firstBankUnavailable(let d): return "\(d): Unable to allocate first memory bank (no RAM block below 4 GiB)"
        case .domainMemoryUnallocated(let d, let bytes): return "\(d): Failed to allocate requested memory. \(bytes >> 20)MB unallocated"
        case .noRoomFor(let what, let size): return "not enough free RAM for \(what) (\(Hex.format(size)) bytes) outside boot modules and reserved memory"
        case .p2m(let d, let e): return "\(d): \(e)"
        case .configuration(let e): return e.description
        case .directMapNeedsStaticMemory(let d): return "direct-map is not valid for domain \(d) without static allocation"
        case .staticMemorySizeMismatch(let d, let m, let t): return "\(d): Size of \"memory\" property (\(Hex.format(m))) doesn't match up with the sum-up of \"xen,static-mem\" (\(Hex.format(t)))"
        case .guestBanksExhausted(let d): return "\(d): Exhausted all possible guest banks"
        case .placement(let d, let e): return "\(d): \(e)"
        case .vmidPoolExhausted(let d): return "\(d): VMID pool exhausted"
        }
    }
}
