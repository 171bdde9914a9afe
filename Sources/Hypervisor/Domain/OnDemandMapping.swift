import P2MModel

/// A mapping the hypervisor does not write when it builds a domain but on
/// the domain's first access to the window (a stage-2 data abort).
public struct OnDemandMapping: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// GICv2: the guest's GIC CPU interface window, backed by the host's
        /// virtual CPU interface (GICV) frames.
        case gicCPUInterface = "gic-cpu-interface"
    }
    public var kind: Kind
    public var guest: AddressRange<GuestAddress>
    /// The first machine page behind `guest`.
    public var machine: MachineAddress
    public var type: P2MType
    /// The devices it stands for (for reports).
    public var devices: [Device]

    /// A domain's GICv2 CPU interface as Xen shows it, backed by the host
    /// GICV frames as `p2m_mmio_direct_dev` on the domain's first access
    /// (xen/arch/arm/traps.c, stage-2 abort path / `map_mmio_regions`):
    /// - the hardware domain and direct-mapped domUs see it at the host GICC
    ///   address (dom0's GIC node keeps the GICD and GICC `reg` entries and
    ///   drops GICH and GICV), page-granular, at least 8 KiB (Xen's fix-up of
    ///   a smaller GICC);
    /// - other domUs at GUEST_GICC_BASE, 8 KiB.
    /// - Returns: nil when the board has no GICv2 GICC and GICV pair.
    public static func cpuInterface(for domain: DomainSpec, in spec: BoardSpec) -> OnDemandMapping? {
        guard let gicc = spec.devices.first(where: { $0.role == .gicc }),
              let gicv = spec.devices.first(where: { $0.role == .gicv }) else { return nil }
        let guest: AddressRange<GuestAddress>
        if domain.isHardwareDomain || domain.directMap {
            let (first, pages) = MMIOPolicy.mappedPages(of: gicc.range)
            let size = max(pages, 2) * 4096
            guard first.adding(size - 1) != nil else { return nil }
            guest = AddressRange(uncheckedBase: GuestAddress(first.rawValue), size: size)
        } else {
            guest = GuestLayout.gicCPUInterface
        }
        return OnDemandMapping(kind: .gicCPUInterface, guest: guest, machine: gicv.range.base.alignedDown(to: 4096), type: .mmioDirectDevice, devices: [gicc, gicv])
    }
}
