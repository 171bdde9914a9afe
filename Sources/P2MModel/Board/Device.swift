/// What a device register window is, as far as the hypervisor cares.
public enum DeviceRole: String, Sendable, CaseIterable {
    /// GIC distributor (emulated for guests; never mapped).
    case gicd
    /// GIC CPU interface (guests get the virtual CPU interface instead).
    case gicc
    /// GIC virtual interface control (hypervisor only).
    case gich
    /// GIC virtual CPU interface (backs a guest's GICC window).
    case gicv
    /// GICv3 redistributors (emulated).
    case gicr
    /// GICv3 ITS.
    case its
    case uart
    case timer
    case iommu
    case other
}

/// Who gets a device's registers.
public enum DeviceOwner: String, Sendable, CaseIterable {
    /// Mapped 1:1 into the hardware domain (dom0).
    case hardwareDomain = "dom0"
    /// Kept by the hypervisor: never mapped into any guest.
    case hypervisor
    /// Emulated by the hypervisor for guests (the GIC distributor, for instance); not mapped.
    case emulated
}

/// One register window of a device (one `reg` entry of a device-tree node).
public struct Device: Hashable, Sendable {
    public var name: String
    public var range: AddressRange<MachineAddress>
    public var role: DeviceRole
    /// An explicit owner from the spec, or nil to follow the hypervisor's rules for the role.
    public var owner: DeviceOwner?
    /// The device-tree node's `compatible` strings (spec `compatible`, a string
    /// or an array of strings), most specific first; empty when the spec has none.
    /// Who owns a device can depend on them (Xen drives only the IOMMUs its
    /// drivers match).
    public var compatible: [String]
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, role: DeviceRole, owner: DeviceOwner? = nil, compatible: [String] = [], origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.role = role
        self.owner = owner
        self.compatible = compatible
        self.origin = origin
    }
}
