import P2MModel

/// Small board specs built in Swift (no JSON), with the facts of the Arndale
/// layout used throughout the tests.
enum BoardFixtures {
    static func range(_ base: UInt64, _ size: UInt64) -> AddressRange<MachineAddress> {
        AddressRange(uncheckedBase: MachineAddress(base), size: size)
    }

    static func origin(_ path: String) -> SpecOrigin { SpecOrigin(path: path) }

    /// Arndale: 2G of RAM at 1G, Xen at 0x42000000, DTB, initrd and kernel after it, dom0 512M 1:1.
    static func arndale(pool: PoolPlacement = .automatic, poolSize: UInt64? = nil, dom0Memory: UInt64 = 512 << 20) -> BoardSpec {
        BoardSpec(
            name: "arndale", architecture: .arm32LPAE, paBits: 40, ipaBits: 40,
            ram: [RAMBank(name: "dram", range: range(0x4000_0000, 0x8000_0000), origin: origin("/memory/0"))],
            reserved: [],
            devices: [
                Device(name: "gic-distributor", range: range(0x1048_1000, 0x1000), role: .gicd, origin: origin("/devices/0")),
                Device(name: "gic-cpu-interface", range: range(0x1048_2000, 0x2000), role: .gicc, origin: origin("/devices/1")),
                Device(name: "gic-hypervisor-interface", range: range(0x1048_4000, 0x2000), role: .gich, origin: origin("/devices/2")),
                Device(name: "gic-virtual-cpu-interface", range: range(0x1048_6000, 0x2000), role: .gicv, origin: origin("/devices/3")),
                Device(name: "uart2", range: range(0x12C2_0000, 0x100), role: .uart, origin: origin("/devices/4")),
                Device(name: "uart3", range: range(0x12C3_0000, 0x100), role: .uart, origin: origin("/devices/5")),
                Device(name: "mct", range: range(0x101C_0000, 0x800), role: .timer, owner: .hypervisor, origin: origin("/devices/6")),
                Device(name: "hdmi", range: range(0x1453_0000, 0x7_0000), role: .other, origin: origin("/devices/7")),
                Device(name: "sata", range: range(0x122F_0000, 0x1FF), role: .other, origin: origin("/devices/8")),
            ],
            hypervisor: HypervisorImage(name: "xen", range: range(0x4200_0000, 2 << 20), console: "uart2", origin: origin("/hypervisor")),
            bootModules: [
                BootModule(name: "dom0-dtb", kind: .deviceTree, range: range(0x4300_0000, 64 << 10), footprint: range(0x4300_0000, 64 << 10), domain: "dom0", origin: origin("/boot_modules/0")),
                BootModule(name: "dom0-initrd", kind: .ramdisk, range: range(0x4330_0000, 8 << 20), footprint: range(0x4330_0000, 8 << 20), domain: "dom0", origin: origin("/boot_modules/1")),
                BootModule(name: "dom0-kernel", kind: .kernel, range: range(0x4400_0000, 6 << 20), footprint: range(0x4400_0000, 6 << 20), domain: "dom0", origin: origin("/boot_modules/2")),
            ],
            domains: [
                DomainSpec(name: "dom0", memorySize: dom0Memory, directMap: true, vcpus: 2, isHardwareDomain: true, poolPlacement: pool, poolSize: poolSize, origin: origin("/domains/0"), poolOrigin: origin("/domains/0/p2m_pool"))
            ])
    }
}
