@testable import Hypervisor
import P2MModel

/// A random small system: everything lies in a 64-page machine window and a
/// 64-page guest window, all page aligned, so that a brute-force oracle can
/// enumerate every page. Built from a list of small choices (what the
/// property-based generator produces and shrinks); the tables are written by
/// the real `P2M` code with random mappings, including ones a correct builder
/// would never make.
struct SmallLayout: CustomStringConvertible {
    static let machineBase: UInt64 = 0x4000_0000
    static let guestBase: UInt64 = 0x4000_0000
    static let pages: UInt64 = 64
    static let poolPages: UInt64 = 8

    var system: BuiltSystem
    var description: String

    /// Reads choices in order; past the end, every choice is 0.
    struct Choices {
        var values: [Int]
        var next = 0
        mutating func take(_ bound: Int) -> Int {
            defer { next += 1 }
            return next < values.count ? values[next] % bound : 0
        }
    }

    static func machine(_ page: UInt64, _ count: UInt64) -> AddressRange<MachineAddress> {
        AddressRange(uncheckedBase: MachineAddress(machineBase + page * 4096), size: count * 4096)
    }

    static func guest(_ page: UInt64, _ count: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(guestBase + page * 4096), size: count * 4096)
    }

    init(_ values: [Int]) {
        var c = Choices(values: values)
        func pageRange(maxCount: Int) -> (UInt64, UInt64) {
            let start = UInt64(c.take(Int(Self.pages)))
            let count = UInt64(1 + c.take(maxCount))
            return (start, min(count, Self.pages - start))
        }
        var ram: [RAMBank] = []
        for i in 0..<(1 + c.take(2)) {
            let (p, n) = pageRange(maxCount: 64)
            ram.append(RAMBank(name: "ram\(i)", range: Self.machine(p, n), origin: SpecOrigin(path: "/memory/\(i)")))
        }
        var reserved: [ReservedRegion] = []
        if c.take(3) == 0 {
            let (p, n) = pageRange(maxCount: 4)
            reserved.append(ReservedRegion(name: "resv", range: Self.machine(p, n), origin: SpecOrigin(path: "/reserved_memory/0")))
        }
        let roles: [DeviceRole] = [.other, .other, .uart, .gich, .iommu, .gicv]
        var devices: [Device] = []
        for i in 0..<c.take(4) {
            let (p, n) = pageRange(maxCount: 4)
            devices.append(Device(name: "dev\(i)", range: Self.machine(p, n), role: roles[c.take(roles.count)], origin: SpecOrigin(path: "/devices/\(i)")))
        }
        let console = devices.first { $0.role == .uart }?.name
        let (hp, hn) = pageRange(maxCount: 4)
        let hypervisor = HypervisorImage(name: "xen", range: Self.machine(hp, hn), console: console, origin: SpecOrigin(path: "/hypervisor"))
        var modules: [BootModule] = []
        for i in 0..<c.take(3) {
            let (p, n) = pageRange(maxCount: 6)
            modules.append(BootModule(name: "mod\(i)", kind: .ramdisk, range: Self.machine(p, n), footprint: Self.machine(p, n), domain: "d0", origin: SpecOrigin(path: "/boot_modules/\(i)")))
        }
        // Pools in distinct 4-page slots of the window.
        var slots = Array(0..<Int(Self.pages / Self.poolPages))
        var domains: [DomainSpec] = []
        var poolRanges: [AddressRange<MachineAddress>] = []
        for i in 0..<(1 + c.take(3)) {
            let slot = slots.remove(at: c.take(slots.count))
            let name = "d\(i)"
            var spec = DomainSpec(name: name, memorySize: 4096, directMap: c.take(2) == 0, vcpus: 1, isHardwareDomain: i == 0, poolPlacement: .automatic, poolSize: nil,
                                  origin: SpecOrigin(path: "/domains/\(i)"), poolOrigin: SpecOrigin(path: "/domains/\(i)/p2m_pool"))
            if c.take(2) == 0 {
                var banks: [AddressRange<GuestAddress>] = []
                for _ in 0..<(1 + c.take(2)) {
                    let (p, n) = pageRange(maxCount: 16)
                    banks.append(Self.guest(p, n))
                }
                spec.deviceTreeMemory = banks
                spec.deviceTreeMemoryOrigin = SpecOrigin(path: "/domains/\(i)/device_tree_memory")
            }
            domains.append(spec)
            poolRanges.append(Self.machine(UInt64(slot) * Self.poolPages, Self.poolPages))
        }
        var board = BoardSpec(name: "small", architecture: .arm64, paBits: 40, ipaBits: 32, ram: ram, reserved: reserved, devices: devices, hypervisor: hypervisor, bootModules: modules, domains: domains)
        if domains.count >= 2 && c.take(2) == 0 {
            let (p, n) = pageRange(maxCount: 8)
            board.sharedMemory = [SharedMemoryRegion(name: "shm", range: Self.machine(p, n), domains: [
                .init(domain: "d0", guestBase: GuestAddress(Self.guestBase + UInt64(c.take(56)) * 4096), origin: SpecOrigin(path: "/shared_memory/0/domains/0")),
                .init(domain: "d1", guestBase: GuestAddress(Self.guestBase + UInt64(c.take(56)) * 4096), origin: SpecOrigin(path: "/shared_memory/0/domains/1")),
            ], origin: SpecOrigin(path: "/shared_memory/0"))]
        }

        let configuration = try! Stage2Configuration(ipaBits: 32, architecture: .arm64)
        let types: [P2MType] = [.ramReadWrite, .ramReadWrite, .mmioDirectDevice, .mmioDirectCacheable]
        var memory = SimulatedMachineMemory()
        var built: [BuiltDomain] = []
        var placements: [PlacedRegion] = []
        var text = "ram \(ram.map(\.range)) resv \(reserved.map(\.range)) devices \(devices.map { "\($0.name) \($0.role) \($0.range)" }) xen \(hypervisor.range) modules \(modules.map(\.range)) shm \(board.sharedMemory.map(\.range))"
        for (i, spec) in domains.enumerated() {
            let pool = PlacedRegion(name: "p2m pool of \(spec.name)", kind: .p2mPool, range: poolRanges[i], origin: spec.poolOrigin, domain: spec.name)
            placements.append(pool)
            var p2m = try! P2M(configuration: configuration, pool: P2MPool(range: pool.range), memory: &memory)
            var mapped: [String] = []
            for _ in 0..<c.take(5) {
                let machinePage = UInt64(c.take(Int(Self.pages)))
                let guestPage = spec.directMap && c.take(4) != 0 ? machinePage : UInt64(c.take(Int(Self.pages)))
                let count = min(UInt64(1 + c.take(8)), Self.pages - max(machinePage, guestPage))
                let type = types[c.take(types.count)]
                // Now and then a mapping beyond the 32-bit IPA (Xen's p2m accepts it: the root has the slot).
                let high: UInt64 = c.take(8) == 0 ? 1 << 32 : 0
                // The pool holds the root and an L2 and L3 page for each of the two 1G regions used: this never throws.
                try! p2m.map(guest: GuestAddress(high + Self.guestBase + guestPage * 4096), machine: MachineAddress(Self.machineBase + machinePage * 4096), pageCount: count, type: type, memory: &memory)
                mapped.append("\(high != 0 ? "4G+" : "")g\(guestPage)->m\(machinePage) x\(count) \(type)")
            }
            var emulated: [EmulatedRegion] = []
            if c.take(3) == 0 {
                let (p, n) = pageRange(maxCount: 4)
                emulated.append(EmulatedRegion(kind: .grantTable, guest: Self.guest(p, n)))
            }
            text += "\n  \(spec.name)\(spec.directMap ? " 1:1" : "")\(spec.isHardwareDomain ? " hw" : "") pool \(pool.range) dt \(spec.deviceTreeMemory.map { "\($0)" } ?? "-") emulated \(emulated.map(\.guest)) maps \(mapped)"
            built.append(BuiltDomain(spec: spec, domainID: i, configuration: configuration, rootAddress: p2m.rootAddress, vmid: UInt16(i + 1), pool: pool, ram: [],
                                     memoryNode: spec.deviceTreeMemory ?? [], devices: [], emulated: emulated, events: p2m.events,
                                     deviceTree: GeneratedDeviceTree.generate(for: spec, ramBanks: spec.deviceTreeMemory ?? [], spec: board), p2m: p2m))
        }
        system = BuiltSystem(spec: board, memory: memory, placements: placements, domains: built)
        description = text
    }
}
