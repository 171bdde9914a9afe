/// The hypervisor binary as the bootloader loaded it (Xen has run where it
/// was loaded since 4.12), and the device it keeps as its console.
public struct HypervisorImage: Hashable, Sendable {
    public var name: String
    /// `[load address, load address + image size)`, including .bss.
    public var range: AddressRange<MachineAddress>
    /// Name of the device that is the hypervisor's console, if any.
    public var console: String?
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, console: String?, origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.console = console
        self.origin = origin
    }
}
