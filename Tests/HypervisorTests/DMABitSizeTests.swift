import Hypervisor
import P2MModel
import Testing

/// Xen's Raspberry Pi 4 platform sets dma_bitsize = 30: dom0's 1:1 bank 0 (and
/// the low-memory fill) must then stay below 1 GiB, on a board whose RAM
/// starts at machine address 0.
struct DMABitSizeTests {
    typealias F = BoardFixtures

    /// RPi 4 (4 GB): RAM [0, 0x3b400000) and [0x40000000, 0xfc000000); firmware
    /// page at 0 reserved; Xen at 2M; kernel, DTB and initrd low; dom0 1G 1:1.
    static func rpi4(dmaBitSize: Int) -> BoardSpec {
        BoardSpec(
            name: "rpi4", architecture: .arm64, paBits: 44, ipaBits: 44,
            ram: [
                RAMBank(name: "dram-low", range: F.range(0, 0x3B40_0000), origin: F.origin("/memory/0")),
                RAMBank(name: "dram-high", range: F.range(0x4000_0000, 0xBC00_0000), origin: F.origin("/memory/1")),
            ],
            reserved: [ReservedRegion(name: "firmware-spin-tables", range: F.range(0, 0x1000), origin: F.origin("/reserved_memory/0"))],
            devices: [Device(name: "mini-uart", range: F.range(0xFE21_5040, 0x40), role: .uart, origin: F.origin("/devices/0"))],
            hypervisor: HypervisorImage(name: "xen", range: F.range(0x20_0000, 4 << 20), console: "mini-uart", origin: F.origin("/hypervisor")),
            bootModules: [
                BootModule(name: "dom0-kernel", kind: .kernel, range: F.range(0x80_0000, 36 << 20), footprint: F.range(0x80_0000, 40 << 20), domain: "dom0", origin: F.origin("/boot_modules/0")),
                BootModule(name: "dom0-dtb", kind: .deviceTree, range: F.range(0x560_0000, 64 << 10), footprint: F.range(0x560_0000, 64 << 10), domain: "dom0", origin: F.origin("/boot_modules/1")),
                BootModule(name: "dom0-initrd", kind: .ramdisk, range: F.range(0x570_0000, 32 << 20), footprint: F.range(0x570_0000, 32 << 20), domain: "dom0", origin: F.origin("/boot_modules/2")),
            ],
            domains: [DomainSpec(name: "dom0", memorySize: 1 << 30, directMap: true, vcpus: 4, isHardwareDomain: true, poolPlacement: .automatic, poolSize: nil, origin: F.origin("/domains/0"), poolOrigin: F.origin("/domains/0"))],
            dmaBitSize: dmaBitSize)
    }

    static func guest(_ base: UInt64, _ size: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(base), size: size)
    }

    @Test func defaultLowMemoryIs32Bits() throws {
        let dom0 = try #require(try SystemBuilder.build(Self.rpi4(dmaBitSize: 32)).domains.first)
        // 1G as one block below 4 GiB: the only free naturally aligned 1G block is [1G, 2G).
        #expect(dom0.memoryNode == [Self.guest(0x4000_0000, 1 << 30)])
    }

    @Test func raspberryPiKeepsBankZeroBelowOneGiB() throws {
        let dom0 = try #require(try SystemBuilder.build(Self.rpi4(dmaBitSize: 30)).domains.first)
        // Bank 0: 1G and 512M blocks below 2^30 all hit Xen, the modules or the VideoCore
        // hole; 256M at [256M, 512M) is the first fit. The low fill adds [512M, 768M),
        // [768M, 896M) and [128M, 256M); the last 256M comes from the top of RAM.
        #expect(dom0.memoryNode == [Self.guest(0x0800_0000, 768 << 20), Self.guest(0xE000_0000, 256 << 20)])
        #expect(dom0.ram.first?.machine == MachineAddress(0x1000_0000))
        // Nothing of dom0's RAM touches the firmware page at 0 or the hypervisor.
        for chunk in dom0.ram {
            #expect(chunk.machine.rawValue >= 0x0800_0000)
        }
    }

    @Test func lowMemoryIsNeverAbove32Bits() throws {
        // A platform value above 32 still uses the 32-bit low-memory limit (min(32, dma_bitsize)).
        let dom0 = try #require(try SystemBuilder.build(Self.rpi4(dmaBitSize: 40)).domains.first)
        #expect(dom0.memoryNode == [Self.guest(0x4000_0000, 1 << 30)])
    }
}
