import Hypervisor
import P2MModel
import Testing

/// Unmap, splitting on partial unmap, freeing tables, and the exact
/// descriptor stores with their break-before-make order.
struct P2MUnmapTests {
    static let poolBase: UInt64 = 0x8000_0000
    /// ram_rw attribute bits: valid, MemAttr 0xF, R, W, SH inner, AF, type 1 at bit 55.
    static let ramType: UInt64 = 0x0080_0000_0000_0000
    static func page(_ out: UInt64) -> UInt64 { ramType | out | 0x7FF }
    static func block(_ out: UInt64) -> UInt64 { ramType | out | 0x7FD }
    static func table(_ next: UInt64) -> UInt64 { ramType | next | 0x7FF }

    func makeP2M(_ memory: inout SimulatedMachineMemory, ipaBits: Int = 40, architecture: Architecture = .arm32LPAE, poolPages: UInt64 = 16) throws -> P2M {
        let config = try Stage2Configuration(ipaBits: ipaBits, architecture: architecture)
        let pool = P2MPool(range: AddressRange(uncheckedBase: MachineAddress(Self.poolBase), size: poolPages * 4096))
        return try P2M(configuration: config, pool: pool, memory: &memory)
    }

    func writes(_ events: ArraySlice<TableEvent>) -> [String] {
        events.map { event in
            switch event {
            case .write(let at, _, let new, let level): return "\(level) \(at) <- \(Hex.format(new.rawValue))"
            case .tlbFlush: return "flush"
            case .tableFreed(let page): return "free \(page)"
            }
        }
    }

    @Test func partialUnmapSplitsTheBlockWithBreakBeforeMake() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        // arm32 40-bit: root = pool pages 0-1, L2 table = page 2, the split L3 table = page 3.
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        let l1Slot = Self.poolBase + 1 * 8
        let l2Slot = Self.poolBase + 0x2000
        #expect(memory.read64(MachineAddress(l1Slot)) == Self.table(Self.poolBase + 0x2000))
        #expect(memory.read64(MachineAddress(l2Slot)) == Self.block(0x6000_0000))
        let before = p2m.events.count
        try p2m.unmap(guest: GuestAddress(0x4000_1000), pageCount: 1, memory: &memory)
        let l3 = Self.poolBase + 0x3000
        #expect(writes(p2m.events[before...]) == [
            "L2 \(MachineAddress(l2Slot)) <- 0x0",
            "flush",
            "L2 \(MachineAddress(l2Slot)) <- \(Hex.format(Self.table(l3)))",
            "L3 \(MachineAddress(l3 + 8)) <- 0x0",
            "flush",
        ])
        // The split table holds the block's 512 pages but the removed one.
        #expect(memory.read64(MachineAddress(l3)) == Self.page(0x6000_0000))
        #expect(memory.read64(MachineAddress(l3 + 8)) == 0)
        #expect(memory.read64(MachineAddress(l3 + 511 * 8)) == Self.page(0x601F_F000))
        #expect(p2m.lookup(GuestAddress(0x4000_1000), memory: memory) == nil)
        #expect(p2m.lookup(GuestAddress(0x4000_2000), memory: memory)?.machine == MachineAddress(0x6000_2000))
    }

    @Test func unmappingTheLastEntryFreesEmptyTablesAfterTheFlush() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        let free = p2m.pool.freePageCount
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 1, type: .ramReadWrite, memory: &memory)
        #expect(p2m.pool.freePageCount == free - 2)
        let before = p2m.events.count
        try p2m.unmap(guest: GuestAddress(0x4000_0000), pageCount: 1, memory: &memory)
        let l2 = MachineAddress(Self.poolBase + 0x2000), l3 = MachineAddress(Self.poolBase + 0x3000)
        #expect(writes(p2m.events[before...]) == [
            "L3 \(l3) <- 0x0",
            "L2 \(l2) <- 0x0",
            "L1 \(MachineAddress(Self.poolBase + 8)) <- 0x0",
            "flush",
            "free \(l3)",
            "free \(l2)",
        ])
        #expect(p2m.pool.freePageCount == free)
        #expect(memory.read64(MachineAddress(Self.poolBase + 8)) == 0)
    }

    @Test func unmappingABlockSizedRangeOverPagesFreesTheSubtree() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        let free = p2m.pool.freePageCount
        // 512 pages at a 2M-aligned guest address but odd machine frames: 4K pages in one L3 table.
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_1000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        #expect(p2m.lookup(GuestAddress(0x4000_0000), memory: memory)?.level == .three)
        // Unmapping ignores the machine frame: one 2M step removes the L3 table's entry.
        try p2m.unmap(guest: GuestAddress(0x4000_0000), pageCount: 512, memory: &memory)
        #expect(p2m.pool.freePageCount == free)
        #expect(p2m.lookup(GuestAddress(0x4000_0000), memory: memory) == nil)
        #expect(p2m.events.suffix(3).elementsEqual([.tlbFlush, .tableFreed(MachineAddress(Self.poolBase + 0x3000)), .tableFreed(MachineAddress(Self.poolBase + 0x2000))]))
    }

    @Test func unmappingNothingWritesNothing() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        let free = p2m.pool.freePageCount
        try p2m.unmap(guest: GuestAddress(0x4000_0000), pageCount: 1 << 18, memory: &memory)
        #expect(p2m.events.isEmpty)
        #expect(p2m.pool.freePageCount == free)
    }

    @Test func splittingOnUnmapWithAnEmptyPoolIsTyped() throws {
        var memory = SimulatedMachineMemory()
        // Root (2 pages) + one L2 table: the 2M block is mapped, nothing left to split it.
        var p2m = try makeP2M(&memory, poolPages: 3)
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        #expect(throws: P2MError.poolExhausted(pool: AddressRange(uncheckedBase: MachineAddress(Self.poolBase), size: 3 * 4096))) {
            try p2m.unmap(guest: GuestAddress(0x4000_0000), pageCount: 1, memory: &memory)
        }
        // The block is untouched.
        #expect(p2m.lookup(GuestAddress(0x4010_0000), memory: memory)?.machine == MachineAddress(0x6010_0000))
    }

    @Test func remapOfABlockWithADifferentBlockFlushesBeforeTheNewEntry() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        let before = p2m.events.count
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x7000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        let slot = MachineAddress(Self.poolBase + 0x2000)
        #expect(writes(p2m.events[before...]) == ["L2 \(slot) <- 0x0", "flush", "L2 \(slot) <- \(Hex.format(Self.block(0x7000_0000)))"])
    }

    @Test func arm64FortyEightBitWalksFourLevels() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory, ipaBits: 48, architecture: .arm64)
        // 1G block at 512G: L0 index 1 -> L1 table (pool page 1) -> block at index 0.
        try p2m.map(guest: GuestAddress(0x80_0000_0000), machine: MachineAddress(0x8_4000_0000), pageCount: 1 << 18, type: .ramReadWrite, memory: &memory)
        #expect(memory.read64(MachineAddress(Self.poolBase + 8)) == Self.table(Self.poolBase + 0x1000))
        #expect(memory.read64(MachineAddress(Self.poolBase + 0x1000)) == Self.block(0x8_4000_0000))
        let hit = try #require(p2m.lookup(GuestAddress(0x80_1234_5000), memory: memory))
        #expect(hit.level == .one && hit.machine == MachineAddress(0x8_5234_5000))
        // A 4K page at 0: L0 -> L1 -> L2 -> L3, three new tables.
        try p2m.map(guest: GuestAddress(0), machine: MachineAddress(0x9000_0000), pageCount: 1, type: .ramReadOnly, memory: &memory)
        #expect(p2m.lookup(GuestAddress(0), memory: memory)?.level == .three)
        #expect(p2m.pool.freePageCount == 16 - 1 - 1 - 3)
    }

    @Test func arm64FortyTwoBitUsesEightConcatenatedRootPages() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try makeP2M(&memory, ipaBits: 42, architecture: .arm64)
        #expect(p2m.rootAddress == MachineAddress(Self.poolBase))
        // 2^41 + 1G: root page 4, index 1.
        try p2m.map(guest: GuestAddress((1 << 41) + (1 << 30)), machine: MachineAddress(0x4000_0000), pageCount: 1 << 18, type: .ramReadWrite, memory: &memory)
        #expect(memory.read64(MachineAddress(Self.poolBase + 4 * 0x1000 + 8)) == Self.block(0x4000_0000))
        #expect(throws: P2MError.guestAddressOutOfRange(GuestAddress(1 << 42), ipaBits: 42)) {
            try p2m.map(guest: GuestAddress(1 << 42), machine: MachineAddress(0x4000_0000), pageCount: 1, type: .ramReadWrite, memory: &memory)
        }
    }
}

/// `p2m_remove_mapping`'s check that RAM pages map what the caller expects.
struct P2MRemoveMappingTests {
    @Test func removingRAMThatMapsAnotherFrameIsRefusedBeforeAnyWrite() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try P2MUnmapTests().makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 512, type: .ramReadWrite, memory: &memory)
        try p2m.map(guest: GuestAddress(0x4020_0000), machine: MachineAddress(0x7000_0000), pageCount: 1, type: .ramReadWrite, memory: &memory)
        let before = p2m.events.count
        // The caller thinks the 2M + 4K range maps 0x60000000 onwards; the last page maps 0x70000000.
        #expect(throws: P2MError.unexpectedMachineFrame(GuestAddress(0x4020_0000), expected: MachineAddress(0x6020_0000), found: MachineAddress(0x7000_0000))) {
            try p2m.removeMapping(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 513, memory: &memory)
        }
        #expect(p2m.events.count == before)
        // With the right expectation the block goes.
        try p2m.removeMapping(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 512, memory: &memory)
        #expect(p2m.lookup(GuestAddress(0x4000_0000), memory: memory) == nil)
        #expect(p2m.lookup(GuestAddress(0x4020_0000), memory: memory)?.machine == MachineAddress(0x7000_0000))
    }

    @Test func mmioIsNotChecked() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try P2MUnmapTests().makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x1000_0000), machine: MachineAddress(0x1C00_0000), pageCount: 1, type: .mmioDirectDevice, memory: &memory)
        try p2m.removeMapping(guest: GuestAddress(0x1000_0000), machine: MachineAddress(0x2000_0000), pageCount: 1, memory: &memory)
        #expect(p2m.lookup(GuestAddress(0x1000_0000), memory: memory) == nil)
    }
}

struct P2MAccessMappingTests {
    @Test func mapWritesTheNarrowedPermissions() throws {
        var memory = SimulatedMachineMemory()
        var p2m = try P2MUnmapTests().makeP2M(&memory)
        try p2m.map(guest: GuestAddress(0x4000_0000), machine: MachineAddress(0x6000_0000), pageCount: 1, type: .ramReadWrite, access: .rx, memory: &memory)
        let hit = try #require(p2m.lookup(GuestAddress(0x4000_0000), memory: memory))
        #expect(hit.attributes.access.description == "r-x" && hit.attributes.type == .ramReadWrite)
    }
}
