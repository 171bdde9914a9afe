import Hypervisor
import P2MModel

/// Machine memory as the hypervisor sees it on bare metal at EL2 with its MMU
/// off: virtual == physical, so a descriptor store is a plain 64-bit store at
/// the machine address, and the MMU's stage-2 walker reads exactly those words.
///
/// Stores are confined to `writable` (the p2m pools): a table write anywhere
/// else would corrupt the image itself, so it traps instead.
struct BareMetalMemory: MachineMemory {
    let writable: [AddressRange<MachineAddress>]

    func read64(_ address: MachineAddress) -> UInt64 {
        precondition(address.isAligned(to: 8), "unaligned 64-bit read")
        return Self.load(address.rawValue)
    }

    mutating func write64(_ value: UInt64, at address: MachineAddress) {
        precondition(address.isAligned(to: 8), "unaligned 64-bit write")
        precondition(writable.contains { $0.contains(address) }, "table store outside the p2m pools")
        Self.store(value, at: address.rawValue)
    }

    /// A raw load at a physical address.
    static func load(_ address: UInt64) -> UInt64 {
        UnsafePointer<UInt64>(bitPattern: UInt(address))!.pointee
    }

    /// A raw store at a physical address (for guest RAM the oracle sets up itself).
    static func store(_ value: UInt64, at address: UInt64) {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(address))!.pointee = value
    }
}
