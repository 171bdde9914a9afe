import P2MModel

/// Builds every domain of a board spec the way Xen on ARM boots it:
///
/// 1. Boot modules, the hypervisor image and reserved memory are obstacles.
/// 2. arm32: the xenheap is placed with `consider_modules` over
///    [lowest RAM, highest RAM end) (holes between banks are not excluded, as
///    in Xen's `setup_mm`), 32 MiB aligned, as high as possible.
/// 3. Each domain's p2m pool is placed where the spec says, or as high as
///    possible in a RAM bank, avoiding everything placed so far.
/// 4. The rest of RAM is the heap. The hardware domain gets 1:1 RAM
///    (`allocate_memory_11`) and its devices mapped 1:1; other domains get RAM
///    at Xen's guest RAM bases, backed by the highest free heap blocks.
public enum SystemBuilder {
    /// Xen's guest RAM banks (xen/include/public/arch-arm.h).
    public static var guestRAMBanks: [AddressRange<GuestAddress>] { GuestLayout.ramBanks }

    /// Default pool size: Xen's dom0less formula, 4 KiB x (256 x vCPUs + MiB of RAM + 128), rounded up to whole MiB.
    public static func defaultPoolSize(memoryBytes: UInt64, vcpus: Int) -> UInt64 {
        let pages = 256 * UInt64(vcpus) + (memoryBytes >> 20) + 128
        let bytes = pages * 4096
        return (bytes + (1 << 20) - 1) & ~((1 << 20) - 1)
    }

    /// arm32 xenheap size: clamp(roundup(RAM pages / 32, 32 MiB), 32 MiB, 1 GiB).
    public static func xenheapSize(ramBytes: UInt64) -> UInt64 {
        let mib32: UInt64 = 32 << 20
        let share = ramBytes / 32
        let rounded = (share + mib32 - 1) / mib32 * mib32
        return min(max(rounded, mib32), 1 << 30)
    }

    /// Builds the system.
    /// - Throws: `BuildError` for what Xen would refuse or panic on.
    public static func build(_ spec: BoardSpec) throws(BuildError) -> BuiltSystem {
        try build(spec, steps: XenBuildSteps())
    }

    /// Builds the system with the placement and mapping decisions of `steps`
    /// (tests inject faulty steps; `build(_:)` uses Xen's).
    public static func build<Steps: BuildSteps>(_ spec: BoardSpec, steps: Steps) throws(BuildError) -> BuiltSystem {
        var memory = SimulatedMachineMemory()
        let ramRanges = spec.ram.map { $0.range }
        var obstacles = steps.placementObstacles(spec)
        var placements: [PlacedRegion] = []

        if spec.architecture == .arm32LPAE, let low = ramRanges.map({ $0.base }).min(),
           let high = ramRanges.compactMap({ $0.end }).max() {
            let size = xenheapSize(ramBytes: ramRanges.reduce(0) { $0 + $1.size })
            guard let heap = ConsiderModules.highestFit(start: low.rawValue, end: high.rawValue, size: size, alignment: 32 << 20, obstacles: obstacles) else {
                throw .noRoomFor(what: "the xenheap", size: size)
            }
            placements.append(PlacedRegion(name: "xenheap", kind: .xenheap, range: heap, origin: spec.hypervisor.origin, domain: nil))
            obstacles.append(heap)
        }

        var pools: [PlacedRegion] = []
        for domain in spec.domains {
            let size = domain.poolSize ?? defaultPoolSize(memoryBytes: domain.memorySize, vcpus: domain.vcpus)
            let range: AddressRange<MachineAddress>
            switch domain.poolPlacement {
            case .fixed(let base):
                guard let fixed = try? AddressRange(base: base, size: size) else { throw .noRoomFor(what: "the p2m pool of \(domain.name)", size: size) }
                range = fixed
            case .automatic:
                let candidates = ramRanges.compactMap {
                    ConsiderModules.highestFit(start: $0.base.rawValue, end: $0.end?.rawValue, size: size, alignment: 2 << 20, obstacles: obstacles)
                }
                guard let best = candidates.max(by: { $0.base < $1.base }) else {
                    throw .noRoomFor(what: "the p2m pool of \(domain.name)", size: size)
                }
                range = best
            }
            let pool = PlacedRegion(name: "p2m pool of \(domain.name)", kind: .p2mPool, range: range, origin: domain.poolOrigin, domain: domain.name)
            pools.append(pool)
            placements.append(pool)
            obstacles.append(range)
        }

        var heap = BootHeap(ram: ramRanges, used: obstacles + steps.heapExclusions(spec))
        var domains: [BuiltDomain] = []
        var vmids = VMIDAllocator()
        for (index, domain) in spec.domains.enumerated() {
            guard let vmid = vmids.allocate() else { throw .vmidPoolExhausted(domain: domain.name) }
            let built = try buildDomain(domain, id: index, vmid: vmid, pool: pools[index], spec: spec, heap: &heap, memory: &memory, steps: steps)
            domains.append(built)
        }
        return BuiltSystem(spec: spec, memory: memory, placements: placements, domains: domains)
    }

    private static func buildDomain<Steps: BuildSteps>(_ domain: DomainSpec, id: Int, vmid: UInt16, pool: PlacedRegion, spec: BoardSpec, heap: inout BootHeap, memory: inout SimulatedMachineMemory, steps: Steps) throws(BuildError) -> BuiltDomain {
        let configuration: Stage2Configuration
        do { configuration = try Stage2Configuration(ipaBits: spec.ipaBits, architecture: spec.architecture) } catch { throw .configuration(error) }
        var p2m: P2M
        do { p2m = try P2M(configuration: configuration, pool: P2MPool(range: pool.range), memory: &memory) } catch { throw .p2m(domain: domain.name, error) }

        let ram = try DomainRAM.allocate(domain, spec: spec, heap: &heap)
        let loadLayout = try placeImages(of: domain, bank0: ram.memoryNode.first, spec: spec)
        var chunks = ram.chunks
        var memoryNode = ram.memoryNode
        do {
            for chunk in chunks {
                try p2m.map(guest: chunk.guest.base, machine: chunk.machine, pageCount: chunk.guest.size / 4096, type: .ramReadWrite, memory: &memory, steps: steps)
            }
            // Static shared memory: the owner (first domain) maps it as RAM, borrowers as foreign pages.
            for region in spec.sharedMemory {
                guard let k = region.domains.firstIndex(where: { $0.domain == domain.name }) else { continue }
                let guest = region.domains[k].guestBase
                try p2m.map(guest: guest, machine: region.range.base, pageCount: region.range.size / 4096, type: k == 0 ? .ramReadWrite : .foreignReadWrite, memory: &memory, steps: steps)
                let shared = AddressRange(uncheckedBase: guest, size: region.range.size)
                chunks.append(GuestRAMChunk(guest: shared, machine: region.range.base))
                memoryNode.append(shared)
            }
        } catch { throw .p2m(domain: domain.name, error) }
        memoryNode.sort { $0.base < $1.base }

        var devices: [MappedDevice] = []
        let passedThrough = spec.domains.flatMap { d in d.passthrough.map { $0.device } }
        if domain.isHardwareDomain {
            // Its devices, and the host /reserved-memory children: Xen copies those into dom0's
            // device tree and maps them 1:1 as p2m_mmio_direct_c like any node with `reg`
            // (handle_device, map_range_to_domain).
            let nodes = spec.devices.filter { MMIOPolicy.owner(of: $0, console: spec.hypervisor.console) == .hardwareDomain && !passedThrough.contains($0.name) }
                + MMIOPolicy.reservedMemoryNodes(of: spec)
            for device in nodes {
                let (first, pages) = MMIOPolicy.mappedPages(of: device.range)
                guard pages > 0 else { continue }
                do {
                    try p2m.map(guest: GuestAddress(first.rawValue), machine: first, pageCount: pages, type: MMIOPolicy.hardwareDomainType, memory: &memory, steps: steps)
                } catch { throw .p2m(domain: domain.name, error) }
                devices.append(MappedDevice(device: device, guest: AddressRange(uncheckedBase: GuestAddress(first.rawValue), size: pages * 4096), machine: first))
            }
        }
        for region in domain.passthrough {
            guard let device = spec.devices.first(where: { $0.name == region.device }) else { continue }
            let (first, pages) = MMIOPolicy.mappedPages(of: device.range)
            guard pages > 0 else { continue }
            do {
                try p2m.map(guest: region.guestBase, machine: first, pageCount: pages, type: region.type, memory: &memory, steps: steps)
            } catch { throw .p2m(domain: domain.name, error) }
            devices.append(MappedDevice(device: device, guest: AddressRange(uncheckedBase: region.guestBase, size: pages * 4096), machine: first))
        }
        return BuiltDomain(
            spec: domain, domainID: id, configuration: configuration, rootAddress: p2m.rootAddress, vmid: vmid, pool: pool, ram: chunks,
            memoryNode: memoryNode, devices: devices, emulated: GuestLayout.emulatedRegions(for: domain, in: spec), events: p2m.events,
            loadLayout: loadLayout,
            deviceTree: GeneratedDeviceTree.generate(for: domain, ramBanks: ram.memoryNode, spec: spec),
            onDemand: OnDemandMapping.cpuInterface(for: domain, in: spec).map { [$0] } ?? [],
            p2m: p2m)
    }

    /// Xen's kernel, DTB and initrd placement in bank 0 (`construct_domain`):
    /// `len` is the kernel module's size; the DTB is the domain's `dtb`
    /// module (Xen rounds it to 2 MiB, so any size up to 2 MiB gives one slot).
    private static func placeImages(of domain: DomainSpec, bank0: AddressRange<GuestAddress>?, spec: BoardSpec) throws(BuildError) -> GuestLoadLayout? {
        let modules = spec.bootModules.filter { $0.declared && $0.domain == domain.name }
        guard let kernel = modules.first(where: { $0.kind == .kernel }), let format = kernel.imageFormat, let bank0 else { return nil }
        let dtbBytes = max(modules.first { $0.kind == .deviceTree }?.range.size ?? 1, 1)
        let initrdBytes = modules.first { $0.kind == .ramdisk }?.range.size
        do {
            return try KernelPlacement.layout(format, kernelBytes: kernel.range.size, deviceTreeBytes: dtbBytes, initrdBytes: initrdBytes, bank0: bank0, architecture: spec.architecture)
        } catch { throw .placement(domain: domain.name, error) }
    }
}
