/// A whole board and what runs on it: the input of the hypervisor model and
/// of the checker. Built by the spec decoder; every element knows its origin.
public struct BoardSpec: Hashable, Sendable {
    public var name: String
    public var architecture: Architecture
    /// Machine physical address size in bits.
    public var paBits: Int
    /// Guest physical (IPA) size in bits used for stage 2.
    public var ipaBits: Int
    public var ram: [RAMBank]
    public var reserved: [ReservedRegion]
    public var devices: [Device]
    public var hypervisor: HypervisorImage
    public var bootModules: [BootModule]
    public var domains: [DomainSpec]
    /// The platform's DMA address width (Xen's `arch_get_dma_bitsize`): 32
    /// unless the platform sets it (Raspberry Pi 4: 30). Dom0's 1:1 bank 0
    /// is looked for below 2^min(32, dmaBitSize).
    public var dmaBitSize: Int
    /// Declared static shared memory: the only aliasing allowed.
    public var sharedMemory: [SharedMemoryRegion] = []
    /// The Xen release whose rules apply (spec `xen_version`; default 4.17,
    /// the release the real-Xen oracle boots).
    public var xenVersion: XenVersion = .oracleDefault

    public init(name: String, architecture: Architecture, paBits: Int, ipaBits: Int, ram: [RAMBank], reserved: [ReservedRegion], devices: [Device], hypervisor: HypervisorImage, bootModules: [BootModule], domains: [DomainSpec], dmaBitSize: Int = 32) {
        self.name = name
        self.architecture = architecture
        self.paBits = paBits
        self.ipaBits = ipaBits
        self.ram = ram
        self.reserved = reserved
        self.devices = devices
        self.hypervisor = hypervisor
        self.bootModules = bootModules
        self.domains = domains
        self.dmaBitSize = dmaBitSize
    }
}
