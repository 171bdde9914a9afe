import P2MModel

/// The board both sides of the MMU oracle build: QEMU's `virt` machine
/// (`-M virt,virtualization=on -m 2G`, GICv2, arm64 or arm32), memory map from QEMU's
/// `hw/arm/virt.c` as dumped from QEMU 7.2. The bare-metal image and the host
/// test compile this same file, so they run `SystemBuilder` on the same spec.
///
/// Machine RAM is `[0x40000000, 0xC0000000)`:
///
/// | range | what |
/// |---|---|
/// | `[0x40000000, 0x40080000)` | QEMU's device tree for a bare-metal ELF (reserved) |
/// | `[0x40080000, 0x48000000)` | the oracle image: code, data, its heap and stack (`link.ld`) |
/// | `[0x48000000, 0x48400000)` | the probe plan QEMU's loader puts there (reserved) |
/// | pools | dom0 at `0x48400000`, domU at `0x48C00000`, default sizes |
/// | the rest | the heap the hypervisor hands to domains |
///
/// dom0 is the 1:1 hardware domain with 1 GiB (it gets the 1 GiB block at
/// 0x80000000) and the board's devices; domU has 256 MiB at Xen's guest RAM
/// base 0x40000000, backed elsewhere (not 1:1).
public enum OracleBoard {
    public static let ramBase: UInt64 = 0x4000_0000
    public static let ramSize: UInt64 = 2 << 30
    /// Where the image is linked and QEMU enters it (`link.ld`).
    public static let imageBase: UInt64 = 0x4008_0000
    /// End of everything the image uses (`link.ld` checks this).
    public static let imageEnd: UInt64 = 0x4800_0000
    /// Where the host's probe plan is loaded (`-device loader,addr=`).
    public static let planBase: UInt64 = 0x4800_0000
    public static let planSize: UInt64 = 4 << 20
    /// QEMU virt's PL011 (the hypervisor's console, never given to dom0).
    public static let uartBase: UInt64 = 0x0900_0000

    /// The architecture this image is compiled for (`arm` is armv7 with LPAE).
    public static var imageArchitecture: Architecture {
        #if arch(arm)
        return .arm32LPAE
        #else
        return .arm64
        #endif
    }

    private static func range(_ base: UInt64, _ size: UInt64) -> AddressRange<MachineAddress> {
        AddressRange(uncheckedBase: MachineAddress(base), size: size)
    }

    private static func device(_ index: Int, _ name: String, _ base: UInt64, _ size: UInt64, _ role: DeviceRole) -> Device {
        Device(name: name, range: range(base, size), role: role, origin: SpecOrigin(path: "/devices/\(index)"))
    }

    /// QEMU virt's devices with virtualization=on and GICv2.
    public static func devices(architecture: Architecture) -> [Device] {
        var list: [(String, UInt64, UInt64, DeviceRole)] = [
            ("flash0", 0x0000_0000, 0x0400_0000, .other),
            ("flash1", 0x0400_0000, 0x0400_0000, .other),
            ("gic-distributor", 0x0800_0000, 0x1_0000, .gicd),
            ("gic-cpu-interface", 0x0801_0000, 0x1_0000, .gicc),
            ("gic-v2m", 0x0802_0000, 0x1000, .other),
            ("gic-hypervisor-interface", 0x0803_0000, 0x1_0000, .gich),
            ("gic-virtual-cpu-interface", 0x0804_0000, 0x1_0000, .gicv),
            ("uart0", uartBase, 0x1000, .uart),
            ("rtc", 0x0901_0000, 0x1000, .other),
            ("fw-cfg", 0x0902_0000, 0x18, .other),
            ("gpio", 0x0903_0000, 0x1000, .other),
        ]
        for i in 0..<32 {
            list.append(("virtio-mmio\(i)", 0x0A00_0000 + UInt64(i) * 0x200, 0x200, .other))
        }
        list.append(("pcie-mmio", 0x1000_0000, 0x2EFF_0000, .other))
        list.append(("pcie-pio", 0x3EFF_0000, 0x1_0000, .other))
        // 64-bit CPUs get the high ECAM; 32-bit ones the low one (virt.c, highmem off).
        if architecture == .arm64 {
            list.append(("pcie-ecam-high", 0x40_1000_0000, 0x1000_0000, .other))
        } else {
            list.append(("pcie-ecam", 0x3F00_0000, 0x100_0000, .other))
        }
        var devices: [Device] = []
        for (index, entry) in list.enumerated() {
            devices.append(device(index, entry.0, entry.1, entry.2, entry.3))
        }
        return devices
    }

    /// The spec for `architecture` (arm64: 40-bit IPA, root at level 1 with
    /// two concatenated pages; arm32-lpae: the same 40-bit row).
    public static func spec(architecture: Architecture) -> BoardSpec {
        BoardSpec(
            name: "QEMU virt (MMU oracle)", architecture: architecture, paBits: 40, ipaBits: 40,
            ram: [RAMBank(name: "ram", range: range(ramBase, ramSize), origin: SpecOrigin(path: "/memory/0"))],
            reserved: [
                ReservedRegion(name: "qemu-dtb", range: range(ramBase, imageBase - ramBase), origin: SpecOrigin(path: "/reserved/0")),
                ReservedRegion(name: "probe-plan", range: range(planBase, planSize), origin: SpecOrigin(path: "/reserved/1")),
            ],
            devices: devices(architecture: architecture),
            hypervisor: HypervisorImage(name: "mmu-oracle", range: range(imageBase, imageEnd - imageBase), console: "uart0", origin: SpecOrigin(path: "/hypervisor")),
            bootModules: [],
            domains: [
                DomainSpec(name: "dom0", memorySize: 1 << 30, directMap: true, vcpus: 1, isHardwareDomain: true,
                           poolPlacement: .fixed(MachineAddress(0x4840_0000)), poolSize: nil,
                           origin: SpecOrigin(path: "/domains/0"), poolOrigin: SpecOrigin(path: "/domains/0/p2m_pool")),
                DomainSpec(name: "domU", memorySize: 256 << 20, directMap: false, vcpus: 1, isHardwareDomain: false,
                           poolPlacement: .fixed(MachineAddress(0x48C0_0000)), poolSize: nil,
                           origin: SpecOrigin(path: "/domains/1"), poolOrigin: SpecOrigin(path: "/domains/1/p2m_pool")),
            ])
    }
}
