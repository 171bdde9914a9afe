import Hypervisor
import P2MModel
import Testing

struct P2MTests {
    func makeP2M(_ memory: inout SimulatedMachineMemory, poolPages: UInt64 = 16) throws -> P2M {
        let config = try Stage2Configuration(ipaBits: 40, architecture: .arm32LPAE)
        let pool = P2MPool(range: AddressRange(uncheckedBase: MachineAddress(0x8000_0000), size: poolPages * 4096))
        return try P2M(configuration: config, pool: pool, memory: &memory)
    }

    @Test func orderFollowsGfnMfnAndRemainingCount() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        // 2M + 4K at a 2M-aligned address: the remaining count (513 pages) is odd,
        // so Xen maps one 4K page first, then 511 more pages... until the count is 2M aligned.
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x4000_0000), pageCount: 513, type: .ramReadWrite, memory: &memory)
        let first = try #require(p2m.lookup(GuestAddress(0x4000_0000), memory: memory))
        #expect(first.level == .three)
        // After one 4K page the remaining 512 pages are 2M aligned in count but the
        // addresses are not, so everything is 4K pages.
        let later = try #require(p2m.lookup(GuestAddress(0x4020_0000), memory: memory))
        #expect(later.level == .three)
        #expect(later.machine == MachineAddress(0x4020_0000))
        #expect(p2m.lookup(GuestAddress(0x4020_1000), memory: memory) == nil)
    }

    @Test func aligned1GUsesABlock() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x8000_0000), machine: MachineAddress(0x1_0000_0000), pageCount: 1 << 18, type: .ramReadWrite, memory: &memory)
        let hit = try #require(p2m.lookup(GuestAddress(0x8123_4000), memory: memory))
        #expect(hit.level == .one)
        #expect(hit.machine == MachineAddress(0x1_0123_4000))
    }

    @Test func remappingInsideABlockSplitsWithBreakBeforeMake() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x4000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        let before = p2m.events.count
        try p2m.map(guest: GuestAddress(0x4000_1000), machine: MachineAddress(0x9000_0000), pageCount: 1, type: .ramReadOnly, memory: &memory)
        // Neighbours keep the block's translation, the remapped page moves.
        #expect(p2m.lookup(GuestAddress(0x4000_0000), memory: memory)?.machine == MachineAddress(0x4000_0000))
        #expect(p2m.lookup(GuestAddress(0x4000_2000), memory: memory)?.machine == MachineAddress(0x4000_2000))
        #expect(p2m.lookup(GuestAddress(0x4000_1000), memory: memory)?.machine == MachineAddress(0x9000_0000))
        #expect(p2m.lookup(GuestAddress(0x4000_1000), memory: memory)?.attributes.type == .ramReadOnly)
        // Every valid -> valid replacement went through an invalid write and a flush.
        let events = Array(p2m.events[before...])
        var pendingInvalid: Set<MachineAddress> = []
        for (i, event) in events.enumerated() {
            guard case .write(let at, let old, let new, _) = event else { continue }
            if old.isValid && new.isValid {
                #expect(pendingInvalid.contains(at), "valid entry at \(at) replaced without break-before-make")
            }
            if old.isValid && !new.isValid {
                #expect(i + 1 < events.count && events[i + 1] == .tlbFlush)
                pendingInvalid.insert(at)
            }
        }
    }

    @Test func poolExhaustionIsTypedError() throws {
        var memory = SimulatedMachineMemory()
        // Two root pages and nothing else.
        var p2m = try makeP2M(&memory, poolPages: 2)
        #expect(throws: P2MError.poolExhausted(pool: AddressRange(uncheckedBase: MachineAddress(0x8000_0000), size: 2 * 4096))) {
            try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x4000_0000), pageCount: 1, type: .ramReadWrite, memory: &memory)
        }
    }

    @Test func guestAddressBeyondIPA() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        #expect(throws: P2MError.guestAddressOutOfRange(GuestAddress(1 << 40), ipaBits: 40)) {
            try p2m.map(guest: GuestAddress(1 << 40), machine: MachineAddress(0x4000_0000), pageCount: 1, type: .ramReadWrite, memory: &memory)
        }
    }
}
