import Hypervisor
import P2MModel
import Testing

struct SystemBuilderTests {
    @Test func arndalePlacementFollowsXensRules() throws {
        let system = try SystemBuilder.build(BoardFixtures.arndale())
        // xenheap: clamp(roundup(2G/32, 32M), 32M, 1G) = 64M, as high as possible, 32M aligned.
        let xenheap = try #require(system.placements.first { $0.kind == .xenheap })
        #expect(xenheap.range == BoardFixtures.range(0xBC00_0000, 64 << 20))
        // Pool: 4K x (256 x 2 + 512 + 128) = 4.5M -> 5M, highest 2M-aligned fit below the xenheap.
        let pool = try #require(system.placements.first { $0.kind == .p2mPool })
        #expect(pool.range == BoardFixtures.range(0xBBB0_0000, 5 << 20))
        let dom0 = try #require(system.domains.first)
        // Bank 0 for 512M: limits 2^29, 2^30 hold no RAM; below 2^31 the highest
        // naturally aligned free 512M block is 0x60000000 (0x40000000 holds Xen and modules).
        #expect(dom0.memoryNode == [AddressRange(uncheckedBase: GuestAddress(0x6000_0000), size: 512 << 20)])
        #expect(dom0.ram.count == 1)
        #expect(dom0.ram[0].machine == MachineAddress(0x6000_0000))
    }

    @Test func dom0DevicesFollowTheMMIOPolicy() throws {
        let system = try SystemBuilder.build(BoardFixtures.arndale())
        let mapped = Set(system.domains[0].devices.map(\.device.name))
        // GIC frames are emulated or Xen's, uart2 is Xen's console, the MCT is blacklisted.
        #expect(mapped == ["uart3", "hdmi", "sata"])
        let sata = try #require(system.domains[0].devices.first { $0.device.name == "sata" })
        #expect(sata.guest == AddressRange(uncheckedBase: GuestAddress(0x122F_0000), size: 0x1000))
    }

    @Test func tablesTranslateAsMapped() throws {
        let system = try SystemBuilder.build(BoardFixtures.arndale())
        let dom0 = system.domains[0]
        // The pool's first two pages (8K aligned) are the concatenated level-1 root.
        #expect(dom0.rootAddress == MachineAddress(0xBBB0_0000))
        // Root page 0, index 1 (1G..2G) -> level-2 table; 0x60000000 is a 2M block there.
        let l1 = system.memory.read64(MachineAddress(0xBBB0_0000 + 1 * 8))
        guard case .table(let l2) = Stage2Descriptor(rawValue: l1).kind(at: .one) else {
            Issue.record("expected a table at L1 index 1")
            return
        }
        let l2Entry = Stage2Descriptor(rawValue: system.memory.read64(MachineAddress(l2.rawValue + UInt64(TranslationLevel.two.index(of: 0x6000_0000)) * 8)))
        #expect(l2Entry.rawValue == 0x0080_0000_6000_07FD)
    }

    @Test func fixedPoolOverTheKernelIsBuiltAsRequested() throws {
        // The builder does what the spec says; it is the checker's job to object.
        let system = try SystemBuilder.build(BoardFixtures.arndale(pool: .fixed(MachineAddress(0x4410_0000)), poolSize: 4 << 20))
        #expect(system.domains[0].rootAddress == MachineAddress(0x4410_0000))
    }

    @Test func dom0TooLargeFails() {
        #expect(throws: BuildError.self) {
            try SystemBuilder.build(BoardFixtures.arndale(dom0Memory: 2 << 30))
        }
    }

    @Test func considerModulesPrefersAboveTheObstacle() {
        // [0, 16M) with an obstacle at [8M, 9M): the highest 1M block is [15M, 16M).
        let obstacle = BoardFixtures.range(8 << 20, 1 << 20)
        let fit = ConsiderModules.highestFit(start: 0, end: 16 << 20, size: 1 << 20, alignment: 1 << 20, obstacles: [obstacle])
        #expect(fit == BoardFixtures.range(15 << 20, 1 << 20))
        // Only room below the obstacle, at address 0: found, not mistaken for failure.
        let low = ConsiderModules.highestFit(start: 0, end: 2 << 20, size: 1 << 20, alignment: 1 << 20, obstacles: [BoardFixtures.range(1 << 20, 1 << 20)])
        #expect(low == BoardFixtures.range(0, 1 << 20))
        #expect(ConsiderModules.highestFit(start: 0, end: 1 << 20, size: 2 << 20, alignment: 4096, obstacles: []) == nil)
    }
}
