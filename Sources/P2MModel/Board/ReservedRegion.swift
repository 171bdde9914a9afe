/// Memory that nothing may be placed in or handed to a guest as RAM:
/// `/memreserve/` entries, `/reserved-memory` children, firmware carve-outs.
public struct ReservedRegion: Hashable, Sendable {
    public var name: String
    public var range: AddressRange<MachineAddress>
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.origin = origin
    }
}
