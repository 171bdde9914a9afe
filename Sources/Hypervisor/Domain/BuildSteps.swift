import P2MModel

/// The builder steps that decide where things go, made injectable so that
/// tests can run the builder with a faulty step and check that the checker
/// catches the result. Generic (never an existential) so that the hypervisor
/// stays Embedded-Swift clean.
public protocol BuildSteps {
    /// What the xenheap and the p2m pools must avoid (Xen's `consider_modules`
    /// obstacles: the hypervisor image, the boot modules Xen was told about,
    /// reserved memory, static memory and static shared memory).
    func placementObstacles(_ spec: BoardSpec) -> [AddressRange<MachineAddress>]
    /// Machine ranges kept out of the heap that domain RAM is allocated from,
    /// besides everything placed so far.
    func heapExclusions(_ spec: BoardSpec) -> [AddressRange<MachineAddress>]
    /// log2 of the pages the next step of a mapping writes (0, 9 or 18), given
    /// the next guest and machine frame numbers and the pages left to map.
    func mappingOrder(gfn: UInt64, mfn: UInt64, remaining: UInt64) -> UInt64
}

/// The steps as Xen performs them.
public struct XenBuildSteps: BuildSteps {
    public init() {}

    public func placementObstacles(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] {
        [spec.hypervisor.range] + spec.bootModules.filter { $0.declared }.map { $0.footprint } + spec.reserved.map { $0.range }
            + spec.domains.flatMap { $0.staticMemory.map { $0.range } } + spec.sharedMemory.map { $0.range }
    }

    /// Device windows: a `reg` range that a device claims is never handed out
    /// as RAM, even when a `/memory` bank also covers it.
    public func heapExclusions(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] {
        spec.devices.compactMap { $0.range.expanded(toAlignment: 4096) }
    }

    /// `p2m_set_entry`: the largest of 1 GiB / 2 MiB / 4 KiB whose alignment is
    /// met by the guest frame, the machine frame and the remaining page count.
    public func mappingOrder(gfn: UInt64, mfn: UInt64, remaining: UInt64) -> UInt64 {
        let mask = gfn | mfn | remaining
        return mask & ((1 << 18) - 1) == 0 ? 18 : (mask & ((1 << 9) - 1) == 0 ? 9 : 0)
    }
}
