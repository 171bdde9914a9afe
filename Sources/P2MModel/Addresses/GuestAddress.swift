/// A guest-physical address (an IPA in ARM terms): the input of stage-2
/// translation, as seen by one domain.
public struct GuestAddress: PhysicalAddress {
    public let rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}
