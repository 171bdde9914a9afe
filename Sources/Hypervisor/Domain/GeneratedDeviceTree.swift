import P2MModel

/// The memory description the hypervisor writes into a domain's device
/// tree, generated from what it allocated (xen/common/device-tree/
/// domain-build.c `make_memory_node`, `make_resv_memory_node`; dom0less
/// `prepare_dtb_domU`).
public struct GeneratedDeviceTree: Hashable, Sendable {
    /// `reg` of `/memory@<first bank>`: the domain's RAM banks in allocation
    /// order (ascending for 1:1 dom0, property order for direct-mapped static
    /// memory), then the static shared-memory banks it borrows or owns.
    public var memory: [AddressRange<GuestAddress>]
    /// For the hardware domain: a second `/memory` node listing the host's
    /// `/reserved-memory` children (Xen skips `/memreserve/` banks there);
    /// empty for other domains.
    public var reservedMemoryBanks: [AddressRange<GuestAddress>]
    /// Children of `/reserved-memory`: the host's (hardware domain, 1:1) and
    /// one `xen,shared-memory-v1` child per static shared-memory region.
    public var reservedMemory: [AddressRange<GuestAddress>]
    /// The GIC node's `reg`: distributor then CPU interface, at the host
    /// addresses for dom0 and direct-mapped domUs, at GUEST_GICD/GUEST_GICC
    /// otherwise (GICv2). Empty when the board has no GICv2 pair.
    public var gic: [AddressRange<GuestAddress>]
    /// `/hypervisor` `reg` of the hardware domain: the grant-table window,
    /// then the extended regions (`ExtendedRegions`); empty for other domains.
    public var hypervisorNode: [AddressRange<GuestAddress>] = []

    /// The description for `domain`, given its RAM banks (guest == machine for the hardware domain) (`ramBanks`, in
    /// Xen's order) and `spec`.
    public static func generate(for domain: DomainSpec, ramBanks: [AddressRange<GuestAddress>], spec: BoardSpec) -> GeneratedDeviceTree {
        var shared: [AddressRange<GuestAddress>] = []
        for region in spec.sharedMemory {
            guard let user = region.domains.first(where: { $0.domain == domain.name }) else { continue }
            shared.append(AddressRange(uncheckedBase: user.guestBase, size: region.range.size))
        }
        let host = domain.isHardwareDomain ? spec.reserved.filter { $0.source == .reservedMemory }.map { $0.range.reinterpreted(as: GuestAddress.self) } : []
        var gic: [AddressRange<GuestAddress>] = []
        if let gicd = spec.devices.first(where: { $0.role == .gicd }), let cpu = OnDemandMapping.cpuInterface(for: domain, in: spec) {
            let distributor = domain.isHardwareDomain || domain.directMap ? gicd.range.reinterpreted(as: GuestAddress.self) : GuestLayout.gicDistributor
            gic = [distributor, cpu.guest]
        }
        var hypervisorNode: [AddressRange<GuestAddress>] = []
        if domain.isHardwareDomain {
            let grantTable = GuestLayout.emulatedRegions(for: domain, in: spec).first { $0.kind == .grantTable }?.guest
            if let grantTable { hypervisorNode.append(grantTable) }
            hypervisorNode += ExtendedRegions.compute(for: domain, dom0RAM: ramBanks.map { $0.reinterpreted(as: MachineAddress.self) },
                                                      grantTable: grantTable?.reinterpreted(as: MachineAddress.self), spec: spec)
        }
        return GeneratedDeviceTree(memory: ramBanks + shared, reservedMemoryBanks: host, reservedMemory: host + shared, gic: gic, hypervisorNode: hypervisorNode)
    }
}
