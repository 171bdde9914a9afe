import Hypervisor
import P2MModel

/// A seeded benchmark layout of about `size` leaf mappings and `size` load
/// regions: an arm64 server with 1 TiB of RAM in two banks, running
///
/// - dom0, direct-mapped (1:1), that has ballooned out half of its RAM: of
///   each pair of pages one, chosen at random, stays mapped, so its p2m holds
///   `size / 2` 4 KiB leaves (neighbours coalesce into runs only when two kept
///   pages happen to touch), plus its devices;
/// - a domU of `size / 2` pages whose RAM was repopulated page by page from
///   wherever the heap had frames (a random permutation of its machine
///   frames), so its guest-contiguous leaves are machine-scattered: about one
///   run per leaf;
/// - about `size` boot modules (a dom0less set), 4 to 64 KiB each, packed in
///   random order, so `load-disjoint` and `load-in-ram` see `size` regions.
///
/// Every leaf is written by the hypervisor's own p2m code (`SystemBuilder`,
/// then `P2M.map` over each domain's own pool for the ballooned and the
/// repopulated domain), so the checker decodes real tables. The layout is
/// correct: every property holds.
public struct ServerLayout {
    public let size: Int
    public let seed: UInt64

    public init(size: Int, seed: UInt64) {
        self.size = size
        self.seed = seed
    }

    static let ipaBits = 44
    static let lowBank = AddressRange(uncheckedBase: MachineAddress(0x8000_0000), size: 2 << 30)
    static let highBank = AddressRange(uncheckedBase: MachineAddress(0x88_0000_0000), size: (1 << 40) - (2 << 30))
    static let moduleArea = MachineAddress(0x88_0020_0000)
    static let poolArea = MachineAddress(0x98_0000_0000)

    var dom0Leaves: Int { size / 2 }
    var domULeaves: Int { size - size / 2 }
    var moduleCount: Int { max(1, size - 8) }

    private func origin(_ path: String) -> SpecOrigin { SpecOrigin(path: path) }

    /// The board spec (what `p2m-check` would read from JSON).
    public func spec() -> BoardSpec {
        var random = SeededRandom(seed: seed)
        let mib: UInt64 = 1 << 20
        // Modules: random sizes, packed back to back in a random order.
        let sizes = (0..<moduleCount).map { _ in UInt64.random(in: 1...16, using: &random) * 4096 }
        var order = Array(0..<moduleCount)
        order.shuffle(using: &random)
        var bases = [UInt64](repeating: 0, count: moduleCount)
        var next = Self.moduleArea.rawValue
        for i in order {
            bases[i] = next
            next += sizes[i]
        }
        let modules = (0..<moduleCount).map { i in
            let range = AddressRange(uncheckedBase: MachineAddress(bases[i]), size: sizes[i])
            return BootModule(name: "module-\(i)", kind: i % 2 == 0 ? .kernel : .ramdisk, range: range, footprint: range, domain: "domU", origin: origin("/boot_modules/\(i)"))
        }
        let dom0Bytes = max(128 * mib, (UInt64(2 * dom0Leaves) * 4096 + 4 * mib - 1) / (4 * mib) * (4 * mib))
        let domUBytes = UInt64(domULeaves) * 4096
        let poolOrigins = (origin("/domains/0/p2m_pool"), origin("/domains/1/p2m_pool"))
        return BoardSpec(
            name: "seeded server, \(size) leaves (seed \(seed))", architecture: .arm64, paBits: 44, ipaBits: Self.ipaBits,
            ram: [
                RAMBank(name: "dram0", range: Self.lowBank, origin: origin("/memory/0")),
                RAMBank(name: "dram1", range: Self.highBank, origin: origin("/memory/1")),
            ],
            reserved: [ReservedRegion(name: "secure-firmware", range: AddressRange(uncheckedBase: MachineAddress(0xF000_0000), size: 32 * mib), origin: origin("/reserved_memory/0"))],
            devices: [
                Device(name: "gicd", range: AddressRange(uncheckedBase: MachineAddress(0x2F00_0000), size: 0x1_0000), role: .gicd, origin: origin("/devices/0")),
                Device(name: "gicc", range: AddressRange(uncheckedBase: MachineAddress(0x2C00_0000), size: 0x2000), role: .gicc, origin: origin("/devices/1")),
                Device(name: "gich", range: AddressRange(uncheckedBase: MachineAddress(0x2C01_0000), size: 0x2000), role: .gich, origin: origin("/devices/2")),
                Device(name: "gicv", range: AddressRange(uncheckedBase: MachineAddress(0x2C02_0000), size: 0x2000), role: .gicv, origin: origin("/devices/3")),
                Device(name: "uart0", range: AddressRange(uncheckedBase: MachineAddress(0x1C09_0000), size: 0x1000), role: .uart, origin: origin("/devices/4")),
                Device(name: "uart1", range: AddressRange(uncheckedBase: MachineAddress(0x1C0A_0000), size: 0x1000), role: .uart, origin: origin("/devices/5")),
                Device(name: "nic", range: AddressRange(uncheckedBase: MachineAddress(0x1C10_0000), size: 0x1_0000), role: .other, origin: origin("/devices/6")),
            ],
            hypervisor: HypervisorImage(name: "xen", range: AddressRange(uncheckedBase: Self.highBank.base, size: 2 * mib), console: "uart0", origin: origin("/hypervisor")),
            bootModules: modules,
            domains: [
                DomainSpec(name: "dom0", memorySize: dom0Bytes, directMap: true, vcpus: 4, isHardwareDomain: true, poolPlacement: .fixed(Self.poolArea), poolSize: nil, origin: origin("/domains/0"), poolOrigin: poolOrigins.0),
                DomainSpec(name: "domU", memorySize: domUBytes, directMap: false, vcpus: 2, isHardwareDomain: false, poolPlacement: .fixed(MachineAddress(Self.poolArea.rawValue + (1 << 30))), poolSize: nil, origin: origin("/domains/1"), poolOrigin: poolOrigins.1),
            ])
    }

    /// Builds the system: `SystemBuilder` for the boot layout and the domains,
    /// then dom0's balloon and domU's repopulation written by `P2M.map` into
    /// fresh tables from each domain's pool (the builder's tables for them
    /// become unreachable: the root is rewritten in place).
    /// - Throws: `BuildError` or `P2MError` if the hypervisor refuses.
    public func build(_ spec: BoardSpec) throws -> BuiltSystem {
        var random = SeededRandom(seed: seed ^ 0x5EED)
        var system = try SystemBuilder.build(spec)

        // dom0: keep one page of each pair, 1:1, then its devices again.
        let dom0 = system.domains[0]
        var p2m0 = try P2M(configuration: dom0.configuration, pool: P2MPool(range: dom0.pool.range), memory: &system.memory)
        var kept = 0
        var keptFrames: [UInt64] = []
        chunks: for chunk in dom0.ram {
            var page = chunk.machine.rawValue
            let end = chunk.machine.rawValue + chunk.guest.size
            while page + 8192 <= end {
                if kept == dom0Leaves { break chunks }
                let frame = page + (Bool.random(using: &random) ? 4096 : 0)
                try p2m0.map(guest: GuestAddress(frame), machine: MachineAddress(frame), pageCount: 1, type: .ramReadWrite, memory: &system.memory)
                keptFrames.append(frame)
                kept += 1
                page += 8192
            }
        }
        for device in dom0.devices {
            try p2m0.map(guest: device.guest.base, machine: device.machine, pageCount: device.guest.size / 4096, type: MMIOPolicy.hardwareDomainType, memory: &system.memory)
        }
        // The layout is a dom0 booted with this fragmented memory: its /memory node lists exactly
        // the pages it has (dt-consistent compares the two).
        keptFrames.sort()
        var banks: [AddressRange<GuestAddress>] = []
        for frame in keptFrames {
            if let last = banks.last, last.end?.rawValue == frame {
                banks[banks.count - 1] = AddressRange(uncheckedBase: last.base, size: last.size + 4096)
            } else {
                banks.append(AddressRange(uncheckedBase: GuestAddress(frame), size: 4096))
            }
        }
        system.domains[0].memoryNode = banks
        system.domains[0].rootAddress = p2m0.rootAddress
        system.domains[0].events = p2m0.events

        // domU: the same guest pages, backed by its frames in a random order.
        let domU = system.domains[1]
        var frames: [UInt64] = []
        frames.reserveCapacity(domULeaves)
        for chunk in domU.ram {
            frames.append(contentsOf: stride(from: chunk.machine.rawValue, to: chunk.machine.rawValue + chunk.guest.size, by: 4096))
        }
        frames.shuffle(using: &random)
        var p2mU = try P2M(configuration: domU.configuration, pool: P2MPool(range: domU.pool.range), memory: &system.memory)
        var index = 0
        for chunk in domU.ram.sorted(by: { $0.guest.base < $1.guest.base }) {
            for guest in stride(from: chunk.guest.base.rawValue, to: chunk.guest.base.rawValue + chunk.guest.size, by: 4096) {
                try p2mU.map(guest: GuestAddress(guest), machine: MachineAddress(frames[index]), pageCount: 1, type: .ramReadWrite, memory: &system.memory)
                index += 1
            }
        }
        system.domains[1].rootAddress = p2mU.rootAddress
        system.domains[1].events = p2mU.events
        return system
    }
}
