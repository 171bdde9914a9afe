/// One `xen,static-mem` bank of a dom0less domain: machine RAM reserved for
/// that domain at boot and never given to the heap.
public struct StaticMemoryBank: Hashable, Sendable {
    public var range: AddressRange<MachineAddress>
    public var origin: SpecOrigin

    public init(range: AddressRange<MachineAddress>, origin: SpecOrigin) {
        self.range = range
        self.origin = origin
    }
}

/// A static shared-memory region (`xen,domain-shared-memory-v1`): one
/// machine range mapped into several domains on purpose. It is the only
/// aliasing the checker accepts (in `s2-injective` and `isolation`).
public struct SharedMemoryRegion: Hashable, Sendable {
    /// One domain's view of the region.
    public struct Borrower: Hashable, Sendable {
        public var domain: String
        /// Guest address the region appears at in that domain.
        public var guestBase: GuestAddress
        public var origin: SpecOrigin

        public init(domain: String, guestBase: GuestAddress, origin: SpecOrigin) {
            self.domain = domain
            self.guestBase = guestBase
            self.origin = origin
        }
    }

    public var name: String
    public var range: AddressRange<MachineAddress>
    /// The first domain is the owner (mapped `p2m_ram_rw`); the others borrow it (`p2m_map_foreign_rw`).
    public var domains: [Borrower]
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, domains: [Borrower], origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.domains = domains
        self.origin = origin
    }
}

/// A device region passed through to a dom0less domain (`xen,reg`): host
/// range, guest address and the p2m type it is mapped with.
public struct PassthroughRegion: Hashable, Sendable {
    /// Name of the device in the board's device list.
    public var device: String
    public var guestBase: GuestAddress
    /// Xen maps `xen,reg` as `p2m_mmio_direct_dev`; a spec may say otherwise to model another path.
    public var type: P2MType
    public var origin: SpecOrigin

    public init(device: String, guestBase: GuestAddress, type: P2MType = .mmioDirectDevice, origin: SpecOrigin) {
        self.device = device
        self.guestBase = guestBase
        self.type = type
        self.origin = origin
    }
}
