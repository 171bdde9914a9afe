import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import Testing

/// Faults written straight into the tables in simulated memory, bypassing the
/// builder: the checker must see what the MMU would see.
struct HandWrittenTableTests {
    func result(_ system: BuiltSystem, _ property: PropertyID) throws -> PropertyResult {
        try #require(Checker.check(system, selection: [property]).first)
    }

    func violations(_ r: PropertyResult) -> [Violation] {
        if case .violated(let list) = r.verdict { return list }
        return []
    }

    /// The descriptor slot of dom0's leaf for guest `gpa`, found by walking from the root.
    func leafSlot(_ system: BuiltSystem, _ gpa: UInt64) -> MachineAddress? {
        let dom0 = system.domains[0]
        var level = dom0.configuration.rootLevel
        var table = MachineAddress(dom0.rootAddress.rawValue + UInt64(dom0.configuration.rootPageIndex(of: GuestAddress(gpa))) * 4096)
        while true {
            let slot = MachineAddress(table.rawValue + UInt64(level.index(of: gpa)) * 8)
            switch Stage2Descriptor(rawValue: system.memory.read64(slot)).kind(at: level) {
            case .table(let next):
                guard let n = level.next else { return nil }
                (table, level) = (next, n)
            case .block, .page: return slot
            case .invalid, .reserved: return nil
            }
        }
    }

    @Test func reservedBitInALeafIsARangesViolation() throws {
        var system = try SystemBuilder.build(BoardFixtures.arndale())
        let slot = try #require(leafSlot(system, 0x6000_0000))
        system.memory.write64(system.memory.read64(slot) | (1 << 60), at: slot)
        let v = try #require(violations(try result(system, .ranges)).first)
        #expect(v.message.contains("reserved bits"))
        #expect(v.guestWitnesses.first.map { $0.rawValue >= 0x6000_0000 } == true)
    }

    @Test func executableRAMTurnedDeviceIsAnAttributesViolation() throws {
        var system = try SystemBuilder.build(BoardFixtures.arndale())
        // dom0's uart3 page 0x12c30000: clear XN and make it p2m_ram_rw, as a corrupted entry would.
        let slot = try #require(leafSlot(system, 0x12C3_0000))
        let raw = system.memory.read64(slot) & ~(UInt64(1) << 54) & ~(UInt64(0xF) << 55) | (UInt64(1) << 55)
        system.memory.write64(raw, at: slot)
        let v = try #require(violations(try result(system, .attributes)).first)
        #expect(v.machineWitnesses == [MachineAddress(0x12C3_0000)])
        #expect(v.regions.contains { $0.name == "uart3" })
        #expect(try result(system, .leafInBacking).verdict != .proved)
    }

    @Test func leafPointingOutsideRAMIsCaught() throws {
        var system = try SystemBuilder.build(BoardFixtures.arndale())
        // Redirect one 4K page of dom0 RAM to 0x0 (no RAM, no device there).
        let ramSlot = try #require(leafSlot(system, 0x6000_0000))
        let descriptor = Stage2Descriptor(rawValue: system.memory.read64(ramSlot))
        // A 2M or 1G block: point it at machine 0.
        system.memory.write64(descriptor.rawValue & ~Stage2Descriptor.outputAddressMask, at: ramSlot)
        let v = try #require(violations(try result(system, .leafInBacking)).first)
        #expect(v.machineWitnesses.first.map { $0.rawValue < 0x4000_0000 } == true)
        #expect(!violations(try result(system, .identity)).isEmpty)
    }
}
