import P2MModel

/// Word access to machine memory, as the hypervisor's p2m code needs it to
/// write and read stage-2 descriptors. On a real hypervisor this is a direct
/// load/store through its own mapping of RAM; in the checker it is simulated.
public protocol MachineMemory {
    /// Reads the 64-bit word at `address`.
    /// - Precondition: `address` is 8-byte aligned.
    func read64(_ address: MachineAddress) -> UInt64
    /// Writes the 64-bit word at `address`.
    /// - Precondition: `address` is 8-byte aligned.
    mutating func write64(_ value: UInt64, at address: MachineAddress)
}
