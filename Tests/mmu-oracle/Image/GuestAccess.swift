import Hypervisor
import P2MModel

/// Runs a domain's guest at EL1 for real: the guest code (`oracle_guest_stub`)
/// is copied into a page of the domain's RAM, entered with ERET under the
/// domain's stage 2, and traps back with HVC (or an abort, if its access faults).
enum GuestAccess {
    /// The plan's "no machine address": the access is expected to fault.
    static let unmapped: UInt64 = .max

    /// Copies the guest code to `stub.machine` (which backs `stub.guest`).
    static func install(_ stub: ProbePlan.Stub) {
        let start = UInt(bitPattern: oracle_guest_stub_address())
        let end = UInt(bitPattern: oracle_guest_stub_end_address())
        var offset: UInt = 0
        while start + offset < end {
            BareMetalMemory.store(BareMetalMemory.load(UInt64(start + offset)), at: stub.machine.rawValue + UInt64(offset))
            offset += 8
        }
        oracle_sync_icache()
    }

    /// One guest run: optionally store `value` at `guest`, then load it.
    static func run(entry: GuestAddress, guest: GuestAddress, value: UInt64, write: Bool) -> oracle_guest_exit {
        var exit = oracle_guest_exit(value: 0, esr: 0, far: 0, hpfar: 0)
        oracle_run_guest(entry.rawValue, guest.rawValue, value, write ? 1 : 0, &exit)
        return exit
    }

    /// Performs `access` in its domain (whose stage 2 is installed) and prints
    /// what the guest and EL2 saw:
    ///
    /// 1. EL2 reads the machine word (`before`); the guest stores `value` at
    ///    the guest address and loads it back (`loaded`); EL2 reads the
    ///    machine word again (`after`).
    /// 2. EL2 stores `~value` at the machine address; the guest loads the
    ///    guest address (`readback`).
    static func perform(_ access: ProbePlan.Access, entry: GuestAddress) {
        let machine = access.machine.rawValue
        let mapped = machine != unmapped
        let before = mapped ? BareMetalMemory.load(machine) : 0
        let first = run(entry: entry, guest: access.guest, value: access.value, write: true)
        let after = mapped ? BareMetalMemory.load(machine) : 0
        if mapped { BareMetalMemory.store(~access.value, at: machine) }
        let second = run(entry: entry, guest: access.guest, value: 0, write: false)
        var text = "access domain=\(access.domain) guest=\(Console.hex(access.guest.rawValue))"
        text += " machine=" + (mapped ? Console.hex(machine) : "none")
        text += " value=\(Console.hex(access.value)) before=\(Console.hex(before)) after=\(Console.hex(after))"
        text += " loaded=\(Console.hex(first.value)) esr=\(Console.hex(first.esr)) far=\(Console.hex(first.far)) hpfar=\(Console.hex(first.hpfar))"
        text += " readback=\(Console.hex(second.value)) readesr=\(Console.hex(second.esr))"
        Console.line(text)
    }
}
