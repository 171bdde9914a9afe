/// A machine (host-physical) address: what the memory system sees after
/// stage-2 translation. RAM banks, devices, the hypervisor image, boot
/// modules and page-table pages live in this space.
public struct MachineAddress: PhysicalAddress {
    public let rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}
