/// The kind of a boot module handed to the hypervisor by the bootloader.
public enum BootModuleKind: String, Sendable, CaseIterable {
    case kernel
    case ramdisk
    case deviceTree = "dtb"
    case xsm
    case other
}

/// A boot module: bytes the bootloader put in machine RAM before the
/// hypervisor starts (dom0 kernel, initrd, device tree, ...).
public struct BootModule: Hashable, Sendable {
    public var name: String
    public var kind: BootModuleKind
    /// The loaded bytes.
    public var range: AddressRange<MachineAddress>
    /// What the module occupies in place while in use (loaded bytes plus, e.g.,
    /// an image's .bss or decompression space). Always contains `range`'s base
    /// and is at least as large.
    public var footprint: AddressRange<MachineAddress>
    /// The domain the module is for.
    public var domain: String
    public var origin: SpecOrigin
    /// For a kernel: its image format, which fixes where it runs in the guest.
    public var imageFormat: KernelImageFormat?
    /// Whether Xen is told about the module (a `/chosen` node's `reg`, or the
    /// hypervisor's own device tree). False for bytes a bootloader loaded that
    /// nothing declares: they are occupied in machine memory, but Xen does not
    /// know it, keeps no boot module for them and hands them to its heap
    /// (`populate_boot_allocator` skips only its boot modules and reserved memory).
    public var declared: Bool = true

    public init(name: String, kind: BootModuleKind, range: AddressRange<MachineAddress>, footprint: AddressRange<MachineAddress>, domain: String, origin: SpecOrigin) {
        self.name = name
        self.kind = kind
        self.range = range
        self.footprint = footprint
        self.domain = domain
        self.origin = origin
    }
}
