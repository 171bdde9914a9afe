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
        spec.reserved = [
            ReservedRegion(name: "secure-ram", range: BoardFixtures.range(0xBF00_0000, 16 << 20), source: .reservedMemory, origin: BoardFixtures.origin("/reserved_memory/0")),
            ReservedRegion(name: "spin-table", range: BoardFixtures.range(0x4000_0000, 0x1000), source: .memreserve, origin: BoardFixtures.origin("/reserved_memory/1")),
        ]
        let system = try SystemBuilder.build(spec)
        let tree = system.domains[0].deviceTree
        #expect(tree.memory == [Self.guest(0x6000_0000, 512 << 20)])
        // The /reserved-memory child is listed and copied; the /memreserve/ entry is neither.
        #expect(tree.reservedMemoryBanks == [Self.guest(0xBF00_0000, 16 << 20)])
        #expect(tree.reservedMemory == [Self.guest(0xBF00_0000, 16 << 20)])
        // ...and it is mapped 1:1 as p2m_mmio_direct_c (Normal write-back), the /memreserve/ entry not at all.
        let p2m = system.domains[0].p2m
        for offset: UInt64 in [0, 0x7F_F000, 0xFF_F000] {
            let leaf = try #require(p2m.lookup(GuestAddress(0xBF00_0000 + offset), memory: system.memory))
            #expect(leaf.machine == MachineAddress(0xBF00_0000 + offset) && leaf.attributes.type == .mmioDirectCacheable)
        }
        #expect(p2m.lookup(GuestAddress(0x4000_0000), memory: system.memory) == nil)
        #expect(system.domains[0].devices.map(\.device.name).contains("secure-ram"))
        // GICD and GICC at the host addresses; GICH and GICV are not shown.
        #expect(tree.gic == [Self.guest(0x1048_1000, 0x1000), Self.guest(0x1048_2000, 0x2000)])
    }

    @Test func domUsSeeTheGuestGICAndTheirOwnBanks() throws {
        var system = try SystemBuilder.build(DomainBuildTests.arm64Board())
        let guest1 = system.domains[1].deviceTree, static1 = system.domains[2].deviceTree
        #expect(guest1.memory == [Self.guest(0x4000_0000, 256 << 20)])
        #expect(guest1.gic == [GuestLayout.gicDistributor, GuestLayout.gicCPUInterface])
        #expect(guest1.gic == [Self.guest(0x0300_1000, 0x1000), Self.guest(0x0300_2000, 0x2000)])
        #expect(guest1.reservedMemoryBanks.isEmpty && guest1.reservedMemory.isEmpty)
        // Direct-mapped: the host GIC addresses.
        #expect(static1.gic == [Self.guest(0x2F00_0000, 0x1000), Self.guest(0x2C00_0000, 0x2000)])
        #expect(static1.memory == [Self.guest(0x9000_0000, 128 << 20)])
        // Each domU's CPU interface window is backed by the host GICV on first access too.
        #expect(system.domains[1].onDemand.map(\.guest) == [GuestLayout.gicCPUInterface])
        #expect(system.domains[2].onDemand.map(\.guest) == [Self.guest(0x2C00_0000, 0x2000)])
        #expect(system.domains[1].onDemand.map(\.machine) == [MachineAddress(0x2C02_F000)])
        #expect(system.domains[1].p2m.lookup(GuestAddress(0x0300_2000), memory: system.memory) == nil)
        _ = try system.resolveDataAbort(domain: 1, at: GuestAddress(0x0300_2000))
        #expect(system.domains[1].p2m.lookup(GuestAddress(0x0300_3010), memory: system.memory)?.machine == MachineAddress(0x2C03_0010))
    }
}

/// `/hypervisor` `reg`: the grant-table window, then dom0's extended regions.
struct ExtendedRegionTests {
    static func guest(_ base: UInt64, _ size: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(base), size: size)
    }

    @Test func withoutAnIOMMUTheyAreTheRAMDom0DoesNotOwn() throws {
        let system = try SystemBuilder.build(DomainBuildTests.arm64Board())
        // Grant table at Xen's image (64 frames); then host RAM minus dom0's 1G at 0xC0000000,
        // static1's static memory and the grant table, 2M-rounded, 64M or more.
        #expect(system.domains[0].deviceTree.hypervisorNode == [
            Self.guest(0x8400_0000, 64 * 4096),
            Self.guest(0x8000_0000, 64 << 20),              // below Xen: exactly 64M, kept
            Self.guest(0x8420_0000, 0x9000_0000 - 0x8420_0000), // after the grant table, start rounded up
            Self.guest(0x9800_0000, 0xC000_0000 - 0x9800_0000),
            Self.guest(0x8_8000_0000, 2 << 30),
        ])
        #expect(system.domains[1].deviceTree.hypervisorNode.isEmpty)
    }

    @Test func withAnIOMMUTheyAreHolesInTheHostMap() throws {
        var spec = DomainBuildTests.arm64Board()
        spec.devices.append(Device(name: "smmu", range: BoardFixtures.range(0x2B40_0000, 0x1_0000), role: .iommu, origin: BoardFixtures.origin("/devices/7")))
        let regions = try SystemBuilder.build(spec).domains[0].deviceTree.hypervisorNode.dropFirst()
        // [0, 2^40) minus RAM and every device window: the holes of 64M or more.
        #expect(Array(regions) == [
            Self.guest(0, 0x1A00_0000),                          // below the ethernet window
            Self.guest(0x1C20_0000, 0x2B40_0000 - 0x1C20_0000),  // uart1 end rounded up to 2M .. smmu
            Self.guest(0x2F20_0000, 0x8000_0000 - 0x2F20_0000),  // after the GIC distributor, rounded up
            Self.guest(0x1_0000_0000, 0x8_8000_0000 - 0x1_0000_0000),
            Self.guest(0x9_0000_0000, (1 << 40) - 0x9_0000_0000),
        ])
    }

    @Test func arm32Dom0HasNone() throws {
        let system = try SystemBuilder.build(BoardFixtures.arndale())
        // Only the grant table: Xen's image base, 64 frames.
        #expect(system.domains[0].deviceTree.hypervisorNode == [Self.guest(0x4200_0000, 64 * 4096)])
    }
}
