import P2MModel

/// Dom0's extended regions: guest-physical ranges it may use for foreign and
/// grant mappings, listed after the grant-table region in `/hypervisor` `reg`
/// (xen/arch/arm/domain_build.c, `make_hypervisor_node`,
/// `find_host_extended_regions`, `find_memory_holes`, `add_ext_regions`).
public enum ExtendedRegions {
    /// `add_ext_regions` keeps a candidate only from this size on.
    public static let minimumSize: UInt64 = 64 << 20
    public static let maximumCount = 256
    static let twoMiB: UInt64 = 2 << 20

    /// The regions for the hardware domain `domain` with RAM `dom0RAM` and
    /// grant-table window `grantTable`:
    /// - none for a 32-bit dom0 (arm32 boards here);
    /// - without an IOMMU: host RAM minus dom0's RAM, reserved memory
    ///   (`/reserved-memory`, static memory of every domain), the grant-table
    ///   window and static shared memory, i.e. RAM dom0 does not own;
    /// - with an IOMMU (a device of role `iommu`): the whole IPA space minus
    ///   every `reg` range of the host (RAM, reserved memory and devices) and
    ///   static shared memory;
    /// then each candidate's start is rounded up and its end down to 2 MiB,
    /// those under 64 MiB are dropped, and at most 256 are kept.
    public static func compute(for domain: DomainSpec, dom0RAM: [AddressRange<MachineAddress>], grantTable: AddressRange<MachineAddress>?, spec: BoardSpec) -> [AddressRange<GuestAddress>] {
        guard domain.isHardwareDomain, spec.architecture == .arm64 else { return [] }
        let shared = spec.sharedMemory.map { $0.range }
        var candidates: [AddressRange<MachineAddress>]
        var holes: [AddressRange<MachineAddress>]
        if spec.devices.contains(where: { $0.role == .iommu }) {
            let top: UInt64 = spec.ipaBits >= 64 ? .max : (1 << UInt64(spec.ipaBits)) - 1
            candidates = [AddressRange(first: MachineAddress(0), last: MachineAddress(top))]
            holes = spec.ram.map { $0.range } + spec.reserved.map { $0.range } + spec.devices.map { $0.range } + shared
        } else {
            candidates = spec.ram.map { $0.range }
            holes = dom0RAM + spec.reserved.map { $0.range } + spec.domains.flatMap { $0.staticMemory.map { $0.range } } + shared
            if let grantTable { holes.append(grantTable) }
        }
        for hole in holes where !hole.isEmpty {
            candidates = candidates.flatMap { BootHeap.subtract(hole, from: $0) }
        }
        var regions: [AddressRange<GuestAddress>] = []
        for c in candidates.sorted(by: { $0.base < $1.base }) {
            guard let last = c.last else { continue }
            let (startUp, overflow) = c.base.rawValue.addingReportingOverflow(twoMiB - 1)
            guard !overflow else { continue }
            let start = startUp & ~(twoMiB - 1)
            // The last byte of the last whole 2 MiB block inside `c`.
            let lastWhole: UInt64
            if last.rawValue & (twoMiB - 1) == twoMiB - 1 {
                lastWhole = last.rawValue
            } else {
                let floor = last.rawValue & ~(twoMiB - 1)
                guard floor > 0 else { continue }
                lastWhole = floor - 1
            }
            guard lastWhole >= start, lastWhole - start + 1 >= minimumSize, regions.count < maximumCount else { continue }
            regions.append(AddressRange(first: GuestAddress(start), last: GuestAddress(lastWhole)))
        }
        return regions
    }
}
