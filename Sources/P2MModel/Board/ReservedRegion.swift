/// Memory that nothing may be placed in or handed to a guest as RAM:
/// `/memreserve/` entries, `/reserved-memory` children, firmware carve-outs.
public struct ReservedRegion: Hashable, Sendable {
    /// Where the host device tree declares it, which decides what Xen does
    /// with it for the hardware domain.
    public enum Source: String, Hashable, Sendable, CaseIterable {
        /// A `/memreserve/` entry: kept from Xen's allocator, not given to dom0.
        case memreserve
        /// A child of `/reserved-memory`: Xen copies the node into dom0's
        /// device tree, lists it in a second `/memory` node and maps it 1:1
        /// as `p2m_mmio_direct_c`.
        case reservedMemory = "reserved-memory"
    }

    public var name: String
    public var range: AddressRange<MachineAddress>
    public var source: Source
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, source: Source = .memreserve, origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.source = source
        self.origin = origin
    }
}
