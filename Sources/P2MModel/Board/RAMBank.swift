/// A bank of machine RAM, as a `/memory` node of the device tree describes it.
public struct RAMBank: Hashable, Sendable {
    public var name: String
    public var range: AddressRange<MachineAddress>
    public var origin: SpecOrigin

    public init(name: String, range: AddressRange<MachineAddress>, origin: SpecOrigin) {
        self.name = name
        self.range = range
        self.origin = origin
    }
}
