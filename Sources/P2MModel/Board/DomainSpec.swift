/// Where a domain's p2m pool (the pages its stage-2 tables are built in) lives.
public enum PoolPlacement: Hashable, Sendable {
    /// The hypervisor picks the place, as Xen's allocator would (highest fit in RAM avoiding boot modules and reserved memory).
    case automatic
    /// The spec fixes the machine address of the pool.
    case fixed(MachineAddress)
}

/// A domain to build: its RAM size, whether guest-physical equals machine
/// addresses (1:1, `direct_map`), and its p2m pool.
public struct DomainSpec: Hashable, Sendable {
    public var name: String
    /// Bytes of RAM.
    public var memorySize: UInt64
    /// Guest-physical == machine for RAM (and dom0's MMIO).
    public var directMap: Bool
    public var vcpus: Int
    /// Whether this is the hardware domain (dom0): it gets the board's devices.
    public var isHardwareDomain: Bool
    public var poolPlacement: PoolPlacement
    /// Pool size in bytes, or nil for Xen's default formula.
    public var poolSize: UInt64?
    public var origin: SpecOrigin
    /// Origin of the `p2m_pool` entry, or of the domain when the pool is implicit.
    public var poolOrigin: SpecOrigin
    /// `xen,static-mem` banks; empty for heap-allocated RAM. With `directMap`
    /// each bank is mapped guest == machine, otherwise packed into the guest RAM banks.
    public var staticMemory: [StaticMemoryBank] = []
    /// Device regions passed through to this domain (`xen,reg`).
    public var passthrough: [PassthroughRegion] = []
    /// The `/memory` description handed to this domain when the spec supplies
    /// one (a bootloader- or user-provided device tree); nil when the
    /// hypervisor generates it from what it allocated.
    public var deviceTreeMemory: [AddressRange<GuestAddress>]?
    /// Origin of the `device_tree_memory` entry.
    public var deviceTreeMemoryOrigin: SpecOrigin?

    public init(name: String, memorySize: UInt64, directMap: Bool, vcpus: Int, isHardwareDomain: Bool, poolPlacement: PoolPlacement, poolSize: UInt64?, origin: SpecOrigin, poolOrigin: SpecOrigin) {
        self.name = name
        self.memorySize = memorySize
        self.directMap = directMap
        self.vcpus = vcpus
        self.isHardwareDomain = isHardwareDomain
        self.poolPlacement = poolPlacement
        self.poolSize = poolSize
        self.origin = origin
        self.poolOrigin = poolOrigin
    }
}
