import P2MModel

/// A region of machine memory the hypervisor itself placed at boot.
public struct PlacedRegion: Hashable, Sendable {
    public enum Kind: String, Sendable {
        /// arm32's always-mapped xenheap.
        case xenheap
        /// A domain's p2m pool (its stage-2 table pages).
        case p2mPool = "p2m-pool"
    }
    public var name: String
    public var kind: Kind
    public var range: AddressRange<MachineAddress>
    /// The spec entry that caused it (the domain for a pool, the hypervisor for a heap).
    public var origin: SpecOrigin
    /// The domain it belongs to, for pools.
    public var domain: String?
}

/// A contiguous piece of a domain's RAM as the builder allocated it.
public struct GuestRAMChunk: Hashable, Sendable {
    public var guest: AddressRange<GuestAddress>
    public var machine: MachineAddress
}

/// A device window the builder mapped into a domain.
public struct MappedDevice: Hashable, Sendable {
    public var device: Device
    public var guest: AddressRange<GuestAddress>
    public var machine: MachineAddress
}

/// One built domain: its stage-2 root and, for reference only, what the
/// builder meant to map. The checker reads the tables from memory instead.
public struct BuiltDomain: Sendable {
    public var spec: DomainSpec
    public var domainID: Int
    public var configuration: Stage2Configuration
    /// VTTBR base: the root table in machine memory.
    public var rootAddress: MachineAddress
    /// The domain's VMID (first free, from 1).
    public var vmid: UInt16
    /// VTTBR_EL2 as Xen writes it: root address | VMID << 48.
    public var vttbr: UInt64 { rootAddress.rawValue | UInt64(vmid) << 48 }
    public var pool: PlacedRegion
    /// RAM chunks in allocation order.
    public var ram: [GuestRAMChunk]
    /// Banks of the domain's `/memory` device-tree node, ascending.
    public var memoryNode: [AddressRange<GuestAddress>]
    public var devices: [MappedDevice]
    /// Guest windows the hypervisor emulates for this domain (never mapped).
    public var emulated: [EmulatedRegion]
    /// Every descriptor store and flush, in order.
    public var events: [TableEvent]
    /// Where the kernel, DTB and initrd go in guest RAM, when the domain has
    /// a kernel module with a declared image format.
    public var loadLayout: GuestLoadLayout?
    /// The memory, reserved-memory and GIC description in the domain's device tree.
    public var deviceTree: GeneratedDeviceTree
    /// Windows the hypervisor maps on the domain's first access, not at build.
    public var onDemand: [OnDemandMapping] = []
    /// The domain's stage-2 tables with their pool, for changes after the build.
    public var p2m: P2M
}

/// Everything the hypervisor model produced for a board spec.
public struct BuiltSystem: Sendable {
    public var spec: BoardSpec
    /// Machine memory holding every stage-2 table.
    public var memory: SimulatedMachineMemory
    /// Heaps and pools the hypervisor placed.
    public var placements: [PlacedRegion]
    public var domains: [BuiltDomain]

    /// What Xen does on a stage-2 data abort of domain `index` at `address`:
    /// if an on-demand window covers it, the whole window is mapped.
    /// - Returns: the mapping written, or nil when no window covers `address`
    ///   (Xen then injects the abort into the guest).
    /// - Precondition: `index` is a valid domain index.
    /// - Throws: `P2MError` from the table code (pool exhausted, ...).
    public mutating func resolveDataAbort(domain index: Int, at address: GuestAddress) throws(P2MError) -> OnDemandMapping? {
        guard let window = domains[index].onDemand.first(where: { $0.guest.contains(address) }) else { return nil }
        try domains[index].p2m.map(guest: window.guest.base, machine: window.machine, pageCount: window.guest.size / 4096, type: window.type, memory: &memory)
        domains[index].events = domains[index].p2m.events
        return window
    }
}
