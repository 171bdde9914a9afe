import P2MModel

/// Which devices the hardware domain gets, after Xen's device-tree walk for
/// dom0 (`handle_node` in xen/arch/arm/domain_build.c):
///
/// - the GIC is never mapped from the device tree: the distributor and
///   redistributors are emulated, the CPU interface is backed by the virtual
///   CPU interface on demand, and the hypervisor interface (GICH) is Xen's;
/// - the hypervisor's console UART and IOMMUs are Xen's;
/// - an explicit `owner` in the spec overrides the rule (platform blacklists,
///   such as the Exynos MCT, are written that way);
/// - everything else is mapped 1:1 as `p2m_mmio_direct_c`, Xen's dom0 default.
public enum MMIOPolicy {
    /// The owner of `device` on a board whose hypervisor console is `console`.
    public static func owner(of device: Device, console: String?) -> DeviceOwner {
        if let owner = device.owner { return owner }
        if let console, device.name == console { return .hypervisor }
        switch device.role {
        case .gich, .iommu: return .hypervisor
        case .gicd, .gicc, .gicv, .gicr, .its: return .emulated
        case .uart, .timer, .other: return .hardwareDomain
        }
    }

    /// The page-granular guest range Xen maps for a `reg` window: it starts at
    /// the page holding the base and spans `PFN_UP(size)` pages, so a window
    /// that is not page aligned and crosses a page boundary loses its last page
    /// (an observation about `map_range_to_domain`, kept on purpose).
    public static func mappedPages(of range: AddressRange<MachineAddress>) -> (first: MachineAddress, pages: UInt64) {
        let pages = (range.size >> 12) + (range.size & 0xFFF == 0 ? 0 : 1)
        return (range.base.alignedDown(to: 4096), pages)
    }

    /// Xen's type for dom0 device-tree MMIO.
    public static let hardwareDomainType = P2MType.mmioDirectCacheable

    /// The host's `/reserved-memory` children as the hardware domain sees
    /// them: device-tree nodes with `reg` that Xen maps 1:1 (role `other`,
    /// owned by the hardware domain). `/memreserve/` entries are not nodes.
    public static func reservedMemoryNodes(of spec: BoardSpec) -> [Device] {
        spec.reserved.filter { $0.source == .reservedMemory }.map {
            Device(name: $0.name, range: $0.range, role: .other, owner: .hardwareDomain, origin: $0.origin)
        }
    }
}
