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
