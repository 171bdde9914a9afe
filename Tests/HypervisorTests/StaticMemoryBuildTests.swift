import Hypervisor
import P2MModel
import Testing

/// Dom0less static memory (`xen,static-mem`), with and without direct-map,
/// and static shared memory between domains.
struct StaticMemoryBuildTests {
    static let mib: UInt64 = 1 << 20
    static func guest(_ base: UInt64, _ size: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(base), size: size)
    }

    func withStaticBanks(_ banks: [AddressRange<MachineAddress>], memory: UInt64, directMap: Bool) -> BoardSpec {
        var spec = DomainBuildTests.arm64Board()
        spec.domains[2].memorySize = memory
        spec.domains[2].directMap = directMap
        spec.domains[2].staticMemory = banks.enumerated().map { StaticMemoryBank(range: $0.element, origin: BoardFixtures.origin("/domains/2/static_memory/\($0.offset)")) }
        return spec
    }

    @Test func nonDirectStaticBanksArePackedIntoGuestRAM0InPropertyOrder() throws {
        // Property order, not address order: the higher host bank comes first in the guest.
        let spec = withStaticBanks([BoardFixtures.range(0x9800_0000, 64 * Self.mib), BoardFixtures.range(0x9000_0000, 128 * Self.mib)], memory: 192 * Self.mib, directMap: false)
        let system = try SystemBuilder.build(spec)
        let d = system.domains[2]
        #expect(d.ram.map(\.guest) == [Self.guest(0x4000_0000, 64 * Self.mib), Self.guest(0x4400_0000, 128 * Self.mib)])
        #expect(d.ram.map(\.machine) == [MachineAddress(0x9800_0000), MachineAddress(0x9000_0000)])
        #expect(d.memoryNode == [Self.guest(0x4000_0000, 192 * Self.mib)])
        #expect(d.p2m.lookup(GuestAddress(0x4400_0000), memory: system.memory)?.machine == MachineAddress(0x9000_0000))
        // A non-direct-mapped static domU sees the guest GIC.
        #expect(d.deviceTree.gic.first == GuestLayout.gicDistributor)
    }

    @Test func directMapStaticBanksKeepPropertyOrder() throws {
        let spec = withStaticBanks([BoardFixtures.range(0x9800_0000, 64 * Self.mib), BoardFixtures.range(0x9000_0000, 128 * Self.mib)], memory: 192 * Self.mib, directMap: true)
        let d = try SystemBuilder.build(spec).domains[2]
        #expect(d.deviceTree.memory == [Self.guest(0x9800_0000, 64 * Self.mib), Self.guest(0x9000_0000, 128 * Self.mib)])
    }

    @Test func memoryMustEqualTheStaticBanks() {
        let spec = withStaticBanks([BoardFixtures.range(0x9000_0000, 128 * Self.mib)], memory: 100 * Self.mib, directMap: true)
        #expect(throws: BuildError.staticMemorySizeMismatch(domain: "static1", memory: 100 * Self.mib, staticTotal: 128 * Self.mib)) {
            try SystemBuilder.build(spec)
        }
    }

    @Test func directMapWithoutStaticMemoryIsRefused() {
        let spec = withStaticBanks([], memory: 128 * Self.mib, directMap: true)
        #expect(throws: BuildError.directMapNeedsStaticMemory(domain: "static1")) {
            try SystemBuilder.build(spec)
        }
    }

    @Test func sharedMemoryIsRAMForTheOwnerAndForeignForTheBorrower() throws {
        var spec = DomainBuildTests.arm64Board()
        let o = BoardFixtures.origin
        spec.sharedMemory = [SharedMemoryRegion(name: "shm0", range: BoardFixtures.range(0x9C00_0000, 2 * Self.mib), domains: [
            .init(domain: "guest1", guestBase: GuestAddress(0x6000_0000), origin: o("/shared_memory/0/domains/0")),
            .init(domain: "static1", guestBase: GuestAddress(0x9C00_0000), origin: o("/shared_memory/0/domains/1")),
        ], origin: o("/shared_memory/0"))]
        let system = try SystemBuilder.build(spec)
        let owner = system.domains[1], borrower = system.domains[2]
        // Owner: p2m_ram_rw 2M block; borrower: p2m_map_foreign_rw (XN, type 6).
        #expect(owner.events.contains { if case .write(_, _, let d, .two) = $0 { return d.rawValue == 0x0080_0000_9C00_07FD }; return false })
        #expect(borrower.events.contains { if case .write(_, _, let d, .two) = $0 { return d.rawValue == 0x0340_0000_9C00_07FD }; return false })
        #expect(owner.p2m.lookup(GuestAddress(0x6010_0000), memory: system.memory)?.machine == MachineAddress(0x9C10_0000))
        // Both device trees list it in /memory and as a /reserved-memory child.
        #expect(owner.deviceTree.memory == [Self.guest(0x4000_0000, 256 * Self.mib), Self.guest(0x6000_0000, 2 * Self.mib)])
        #expect(owner.deviceTree.reservedMemory == [Self.guest(0x6000_0000, 2 * Self.mib)])
        #expect(borrower.deviceTree.reservedMemory == [Self.guest(0x9C00_0000, 2 * Self.mib)])
    }
}
