import Hypervisor
import P2MModel
import Testing

/// Dom0's generated memory/reserved-memory/GIC description and the GICv2
/// CPU interface mapped to GICV on first access.
struct GeneratedDeviceTreeTests {
    static func guest(_ base: UInt64, _ size: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(base), size: size)
    }

    @Test func dom0CPUInterfaceIsBackedByGICVOnFirstAccess() throws {
        var system = try SystemBuilder.build(BoardFixtures.arndale())
        let dom0 = system.domains[0]
        // Not in the tables Xen builds...
        #expect(dom0.p2m.lookup(GuestAddress(0x1048_2000), memory: system.memory) == nil)
        #expect(dom0.onDemand.map(\.guest) == [Self.guest(0x1048_2000, 0x2000)])
        // ...an access outside the window is not resolved...
        #expect(try system.resolveDataAbort(domain: 0, at: GuestAddress(0x1048_4000)) == nil)
        // ...the first access maps both GICC pages to the GICV frames, device memory, XN.
        let window = try #require(try system.resolveDataAbort(domain: 0, at: GuestAddress(0x1048_3004)))
        #expect(window.machine == MachineAddress(0x1048_6000))
        let p2m = system.domains[0].p2m
        let first = try #require(p2m.lookup(GuestAddress(0x1048_2000), memory: system.memory))
        #expect(first.machine == MachineAddress(0x1048_6000) && first.level == .three && first.attributes.type == .mmioDirectDevice)
        #expect(p2m.lookup(GuestAddress(0x1048_3ABC), memory: system.memory)?.machine == MachineAddress(0x1048_7ABC))
        // The exact level-3 descriptor: MemAttr 0x1, R, W, outer shareable, AF, XN, type 3.
        let l3 = try #require(system.domains[0].events.last)
        guard case .write(_, _, let new, let level) = l3 else { Issue.record("expected a descriptor write"); return }
        #expect(level == .three && new.rawValue == 0x01C0_0000_1048_76C7)
    }

    @Test func dom0MemoryAndGICNodesComeFromWhatWasAllocated() throws {
        var spec = BoardFixtures.arndale()
        spec.reserved = [ReservedRegion(name: "secure-ram", range: BoardFixtures.range(0xBF00_0000, 16 << 20), origin: BoardFixtures.origin("/reserved_memory/0"))]
        let system = try SystemBuilder.build(spec)
        let tree = system.domains[0].deviceTree
        #expect(tree.memory == [Self.guest(0x6000_0000, 512 << 20)])
        #expect(tree.reservedMemoryBanks == [Self.guest(0xBF00_0000, 16 << 20)])
        #expect(tree.reservedMemory == [Self.guest(0xBF00_0000, 16 << 20)])
        // GICD and GICC at the host addresses; GICH and GICV are not shown.
        #expect(tree.gic == [Self.guest(0x1048_1000, 0x1000), Self.guest(0x1048_2000, 0x2000)])
    }

    @Test func domUsSeeTheGuestGICAndTheirOwnBanks() throws {
        let system = try SystemBuilder.build(DomainBuildTests.arm64Board())
        let guest1 = system.domains[1].deviceTree, static1 = system.domains[2].deviceTree
        #expect(guest1.memory == [Self.guest(0x4000_0000, 256 << 20)])
        #expect(guest1.gic == [GuestLayout.gicDistributor, GuestLayout.gicCPUInterface])
        #expect(guest1.gic == [Self.guest(0x0300_1000, 0x1000), Self.guest(0x0300_2000, 0x2000)])
        #expect(guest1.reservedMemoryBanks.isEmpty && guest1.reservedMemory.isEmpty)
        // Direct-mapped: the host GIC addresses.
        #expect(static1.gic == [Self.guest(0x2F00_0000, 0x1000), Self.guest(0x2C00_0000, 0x2000)])
        #expect(static1.memory == [Self.guest(0x9000_0000, 128 << 20)])
        #expect(system.domains[1].onDemand.isEmpty)
    }
}
