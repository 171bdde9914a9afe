import Hypervisor
import P2MModel
import Testing

/// Whole-system builds for arm32 and arm64 boards with dom0 and dom0less
/// domUs: exact bank addresses, load addresses and descriptors.
struct DomainBuildTests {
    static let mib: UInt64 = 1 << 20
    /// ram_rw block (levels 1-2) with output `out`.
    static func ramBlock(_ out: UInt64) -> UInt64 { 0x0080_0000_0000_07FD | out }

    /// The descriptor that translates `gpa` at `level` in `domain`'s tables.
    func descriptor(_ system: BuiltSystem, _ domain: BuiltDomain, _ gpa: UInt64, level: TranslationLevel) -> UInt64? {
        let c = domain.configuration
        var table = MachineAddress(domain.rootAddress.rawValue + UInt64(c.rootPageIndex(of: GuestAddress(gpa))) * 4096)
        var l = c.rootLevel
        while true {
            let entry = system.memory.read64(MachineAddress(table.rawValue + UInt64(l.index(of: gpa)) * 8))
            if l == level { return entry }
            guard case .table(let next) = Stage2Descriptor(rawValue: entry).kind(at: l), let deeper = l.next else { return nil }
            table = next
            l = deeper
        }
    }

    @Test func arm32DomUGetsXensGuestLayoutAndDom0TheZImageRules() throws {
        var spec = BoardFixtures.arndale()
        spec.bootModules[2].imageFormat = .zImage
        spec.domains.append(DomainSpec(name: "guest1", memorySize: 128 * Self.mib, directMap: false, vcpus: 1, isHardwareDomain: false,
                                       poolPlacement: .automatic, poolSize: nil, origin: BoardFixtures.origin("/domains/1"), poolOrigin: BoardFixtures.origin("/domains/1")))
        let system = try SystemBuilder.build(spec)
        let dom0 = system.domains[0], guest = system.domains[1]
        // guest1's pool (4K x (256 + 128 + 128) = 2M) goes right below dom0's (0xBBB00000, 2M aligned).
        #expect(guest.pool.range == BoardFixtures.range(0xBB80_0000, 2 * Self.mib))
        // dom0 bank 0 is unchanged: the highest 512M block below 2^31.
        #expect(dom0.memoryNode == [AddressRange(uncheckedBase: GuestAddress(0x6000_0000), size: 512 * Self.mib)])
        // zImage: (min(bank + 128M, end) - 6M) & ~(2M - 1); DTB + initrd at the top of bank 0.
        let layout = try #require(dom0.loadLayout)
        #expect(layout.kernel == AddressRange(uncheckedBase: GuestAddress(0x67A0_0000), size: 6 * Self.mib))
        #expect(layout.deviceTree == AddressRange(uncheckedBase: GuestAddress(0x7F60_0000), size: 2 * Self.mib))
        #expect(layout.initrd == AddressRange(uncheckedBase: GuestAddress(0x7F80_0000), size: 8 * Self.mib))
        // guest1: GUEST_RAM0_BASE, backed by the highest free 128M block (below the pools).
        #expect(guest.memoryNode == [AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 128 * Self.mib)])
        #expect(guest.ram.map(\.guest) == [AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 128 * Self.mib)])
        #expect(guest.ram.map(\.machine) == [MachineAddress(0xB000_0000)])
        #expect(guest.loadLayout == nil)
        // 2M blocks (128M is not a whole 1G): first and last of them.
        #expect(descriptor(system, guest, 0x4000_0000, level: .two) == Self.ramBlock(0xB000_0000))
        #expect(descriptor(system, guest, 0x47E0_0000, level: .two) == Self.ramBlock(0xB7E0_0000))
        #expect(descriptor(system, guest, 0x4800_0000, level: .two) == 0)
    }

    static func arm64Board() -> BoardSpec {
        let o = BoardFixtures.origin
        let r = BoardFixtures.range
        var guest1 = DomainSpec(name: "guest1", memorySize: 256 * mib, directMap: false, vcpus: 1, isHardwareDomain: false,
                                poolPlacement: .automatic, poolSize: nil, origin: o("/domains/1"), poolOrigin: o("/domains/1"))
        guest1.passthrough = [PassthroughRegion(device: "ethernet", guestBase: GuestAddress(0x2300_0000), origin: o("/domains/1/passthrough/0"))]
        var static1 = DomainSpec(name: "static1", memorySize: 128 * mib, directMap: true, vcpus: 1, isHardwareDomain: false,
                                 poolPlacement: .automatic, poolSize: nil, origin: o("/domains/2"), poolOrigin: o("/domains/2"))
        static1.staticMemory = [StaticMemoryBank(range: r(0x9000_0000, 128 * mib), origin: o("/domains/2/static_memory/0"))]
        var spec = BoardSpec(
            name: "arm64-board", architecture: .arm64, paBits: 40, ipaBits: 40,
            ram: [RAMBank(name: "dram0", range: r(0x8000_0000, 2 << 30), origin: o("/memory/0")),
                  RAMBank(name: "dram1", range: r(0x8_8000_0000, 2 << 30), origin: o("/memory/1"))],
            reserved: [],
            devices: [
                Device(name: "gicd", range: r(0x2F00_0000, 0x1000), role: .gicd, origin: o("/devices/0")),
                Device(name: "gicc", range: r(0x2C00_0000, 0x2000), role: .gicc, origin: o("/devices/1")),
                Device(name: "gich", range: r(0x2C01_0000, 0x2000), role: .gich, origin: o("/devices/2")),
                Device(name: "gicv", range: r(0x2C02_F000, 0x2000), role: .gicv, origin: o("/devices/3")),
                Device(name: "uart0", range: r(0x1C09_0000, 0x1000), role: .uart, origin: o("/devices/4")),
                Device(name: "uart1", range: r(0x1C0A_0000, 0x1000), role: .uart, origin: o("/devices/5")),
                Device(name: "ethernet", range: r(0x1A00_0000, 0x10000), role: .other, origin: o("/devices/6")),
            ],
            hypervisor: HypervisorImage(name: "xen", range: r(0x8400_0000, 2 * mib), console: "uart0", origin: o("/hypervisor")),
            bootModules: [
                BootModule(name: "dom0-kernel", kind: .kernel, range: r(0x8800_0000, 20 * mib), footprint: r(0x8800_0000, 20 * mib), domain: "dom0", origin: o("/boot_modules/0")),
                BootModule(name: "dom0-dtb", kind: .deviceTree, range: r(0x8A00_0000, 64 << 10), footprint: r(0x8A00_0000, 64 << 10), domain: "dom0", origin: o("/boot_modules/1")),
                BootModule(name: "guest1-kernel", kind: .kernel, range: r(0x8C00_0000, 10 * mib), footprint: r(0x8C00_0000, 10 * mib), domain: "guest1", origin: o("/boot_modules/2")),
            ],
            domains: [
                DomainSpec(name: "dom0", memorySize: 1 << 30, directMap: true, vcpus: 2, isHardwareDomain: true,
                           poolPlacement: .automatic, poolSize: nil, origin: o("/domains/0"), poolOrigin: o("/domains/0")),
                guest1, static1,
            ])
        spec.bootModules[0].imageFormat = .arm64Image(textOffset: 0, imageSize: 24 * mib)
        spec.bootModules[2].imageFormat = .arm64Image(textOffset: 0x8_0000, imageSize: 12 * mib)
        return spec
    }

    @Test func arm64Dom0GetsA1GBankAndA1GBlock() throws {
        let system = try SystemBuilder.build(Self.arm64Board())
        let dom0 = system.domains[0]
        #expect(dom0.configuration.rootPageCount == 2 && dom0.configuration.levelCount == 3)
        // Pools at the top of dram1, highest first, 2M-aligned ends: dom0 7M, guest1 3M, static1 2M.
        #expect(system.placements.map(\.range) == [BoardFixtures.range(0x8_FF90_0000, 7 * Self.mib), BoardFixtures.range(0x8_FF50_0000, 3 * Self.mib), BoardFixtures.range(0x8_FF20_0000, 2 * Self.mib)])
        // Bank 0 for 1G: no RAM below 2^30 or 2^31; below 2^32 the highest free 1G block is 0xC0000000.
        #expect(dom0.memoryNode == [AddressRange(uncheckedBase: GuestAddress(0xC000_0000), size: 1 << 30)])
        #expect(descriptor(system, dom0, 0xC000_0000, level: .one) == Self.ramBlock(0xC000_0000))
        // Image at bank 0 + text_offset (0); DTB at bank 0 + 128M; no initrd.
        let layout = try #require(dom0.loadLayout)
        #expect(layout.kernel == AddressRange(uncheckedBase: GuestAddress(0xC000_0000), size: 20 * Self.mib))
        #expect(layout.deviceTree == AddressRange(uncheckedBase: GuestAddress(0xC800_0000), size: 2 * Self.mib))
        #expect(layout.initrd == nil)
        // MMIO 1:1 as p2m_mmio_direct_c (outer shareable, XN): uart1 and ethernet; not the console,
        // not the GIC, not the device passed through to guest1.
        #expect(dom0.devices.map(\.device.name) == ["uart1"])
        #expect(descriptor(system, dom0, 0x1C0A_0000, level: .three) == 0x02C0_0000_1C0A_06FF)
    }

    @Test func arm64DomUsUseTheGuestLayoutAndStaticMemory() throws {
        let system = try SystemBuilder.build(Self.arm64Board())
        let guest = system.domains[1], static1 = system.domains[2]
        // guest1: 256M at GUEST_RAM0_BASE backed by the highest free 256M block (0x8F0000000 holds the pools).
        #expect(guest.ram.map(\.guest) == [AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 256 * Self.mib)])
        #expect(guest.ram.map(\.machine) == [MachineAddress(0x8_E000_0000)])
        #expect(descriptor(system, guest, 0x4000_0000, level: .two) == Self.ramBlock(0x8_E000_0000))
        let layout = try #require(guest.loadLayout)
        #expect(layout.kernel == AddressRange(uncheckedBase: GuestAddress(0x4008_0000), size: 10 * Self.mib))
        #expect(layout.deviceTree == AddressRange(uncheckedBase: GuestAddress(0x4800_0000), size: 2 * Self.mib))
        // Passthrough: 16 device pages at the guest address, p2m_mmio_direct_dev (MemAttr 0x1, outer, XN).
        #expect(descriptor(system, guest, 0x2300_0000, level: .three) == 0x01C0_0000_1A00_06C7)
        #expect(descriptor(system, guest, 0x2300_F000, level: .three) == 0x01C0_0000_1A00_F6C7)
        // static1: xen,static-mem mapped guest == machine with 2M blocks.
        #expect(static1.memoryNode == [AddressRange(uncheckedBase: GuestAddress(0x9000_0000), size: 128 * Self.mib)])
        #expect(descriptor(system, static1, 0x9000_0000, level: .two) == Self.ramBlock(0x9000_0000))
        #expect(descriptor(system, static1, 0x97E0_0000, level: .two) == Self.ramBlock(0x97E0_0000))
        #expect(static1.loadLayout == nil)
    }
}
