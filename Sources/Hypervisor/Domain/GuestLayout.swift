import P2MModel

/// A guest-physical window the hypervisor emulates (traps) rather than maps:
/// it must stay clear of the domain's RAM and MMIO mappings.
public struct EmulatedRegion: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case vgicDistributor = "vgic-distributor"
        case vgicRedistributor = "vgic-redistributor"
        case grantTable = "grant-table"
        case magicPages = "magic-pages"
    }
    public var kind: Kind
    public var guest: AddressRange<GuestAddress>
}

/// Xen's fixed guest layout (xen/include/public/arch-arm.h) and the windows
/// it emulates in each kind of domain.
public enum GuestLayout {
    /// Guest RAM banks of a non-direct-mapped domain: 3 GiB at 1 GiB, 1016 GiB at 8 GiB.
    public static let ramBanks: [AddressRange<GuestAddress>] = [
        AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 0xC000_0000),
        AddressRange(uncheckedBase: GuestAddress(0x2_0000_0000), size: 0xFE_0000_0000),
    ]
    /// GUEST_GICD_BASE / SIZE (GICv2).
    public static let gicDistributor = AddressRange(uncheckedBase: GuestAddress(0x0300_1000), size: 0x1000)
    /// GUEST_GICC_BASE / SIZE (GICv2): 8 KiB, backed by the host GICV.
    public static let gicCPUInterface = AddressRange(uncheckedBase: GuestAddress(0x0300_2000), size: 0x2000)
    /// GUEST_GICV3_GICD_BASE / SIZE (overlaps the GICv2 windows; only one set is used).
    public static let gicV3Distributor = AddressRange(uncheckedBase: GuestAddress(0x0300_1000), size: 0x1_0000)
    /// GUEST_GICV3_GICR0_BASE / SIZE: redistributors of vCPUs 0-127.
    public static let gicV3Redistributors = AddressRange(uncheckedBase: GuestAddress(0x0302_0000), size: 0x0100_0000)
    /// GUEST_VIRTIO_MMIO_BASE / SIZE.
    public static let virtioMMIO = AddressRange(uncheckedBase: GuestAddress(0x0200_0000), size: 0x0010_0000)
    /// GUEST_VPCI_ECAM_BASE / SIZE.
    public static let vpciECAM = AddressRange(uncheckedBase: GuestAddress(0x1000_0000), size: 0x1000_0000)
    /// GUEST_ACPI_BASE / SIZE.
    public static let acpi = AddressRange(uncheckedBase: GuestAddress(0x2000_0000), size: 0x0200_0000)
    /// GUEST_PL011_BASE / SIZE: the emulated vPL011 of a non-direct-mapped domU.
    public static let pl011 = AddressRange(uncheckedBase: GuestAddress(0x2200_0000), size: 0x1000)
    /// GUEST_VPCI_MEM_ADDR / SIZE.
    public static let vpciMemory = AddressRange(uncheckedBase: GuestAddress(0x2300_0000), size: 0x1000_0000)
    /// GUEST_VPCI_PREFETCH_MEM_ADDR / SIZE.
    public static let vpciPrefetchMemory = AddressRange(uncheckedBase: GuestAddress(0x1_0000_0000), size: 0x1_0000_0000)
    /// GUEST_RAM_MAX: RAM0 + RAM1 sizes, the most RAM a non-direct-mapped domain can have.
    public static let ramMaximum: UInt64 = 0xC000_0000 + 0xFE_0000_0000
    /// GUEST_GNTTAB_BASE / SIZE: also used by direct-mapped domUs, unchecked against the host layout.
    public static let grantTable = AddressRange(uncheckedBase: GuestAddress(0x3800_0000), size: 0x0100_0000)
    /// GUEST_MAGIC_BASE / SIZE.
    public static let magicPages = AddressRange(uncheckedBase: GuestAddress(0x3900_0000), size: 0x0100_0000)
    /// Default `max_grant_frames`.
    public static let defaultGrantFrames: UInt64 = 64

    /// The windows Xen emulates for `domain`:
    /// - the hardware domain and direct-mapped domUs see the host GIC
    ///   distributor (and redistributors) at their host addresses;
    /// - other domUs see GUEST_GICD, and the magic pages;
    /// - dom0's grant table sits at the machine address of Xen's image
    ///   (`find_gnttab_region`), min(max_grant_frames, image pages) pages;
    ///   every domU's at GUEST_GNTTAB_BASE.
    public static func emulatedRegions(for domain: DomainSpec, in spec: BoardSpec) -> [EmulatedRegion] {
        var regions: [EmulatedRegion] = []
        if domain.isHardwareDomain || domain.directMap {
            for device in spec.devices where device.role == .gicd || device.role == .gicr {
                guard let pages = device.range.expanded(toAlignment: 4096) else { continue }
                regions.append(EmulatedRegion(kind: device.role == .gicd ? .vgicDistributor : .vgicRedistributor, guest: pages.reinterpreted(as: GuestAddress.self)))
            }
        } else {
            regions.append(EmulatedRegion(kind: .vgicDistributor, guest: gicDistributor))
            regions.append(EmulatedRegion(kind: .magicPages, guest: magicPages))
        }
        if domain.isHardwareDomain {
            let image = spec.hypervisor.range
            let pages = min(defaultGrantFrames, image.size / 4096)
            if pages > 0 {
                regions.append(EmulatedRegion(kind: .grantTable, guest: AddressRange(uncheckedBase: GuestAddress(image.base.alignedDown(to: 4096).rawValue), size: pages * 4096)))
            }
        } else {
            regions.append(EmulatedRegion(kind: .grantTable, guest: grantTable))
        }
        return regions
    }
}
