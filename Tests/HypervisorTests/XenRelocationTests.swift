import Hypervisor
import P2MModel
import Testing

/// Xen's own image (no relocation since 4.12; `get_xen_paddr` with LLC
/// colouring) and the VMIDs/VTTBRs of built domains.
struct XenRelocationTests {
    static let mib: UInt64 = 1 << 20

    @Test func xenStaysWhereTheBootloaderPutIt() throws {
        let spec = BoardFixtures.arndale()
        let system = try SystemBuilder.build(spec)
        // Nothing the hypervisor placed or allocated overlaps its image.
        let xen = spec.hypervisor.range
        #expect(system.placements.allSatisfy { !$0.range.overlaps(xen) })
        #expect(system.domains[0].ram.allSatisfy { !AddressRange(uncheckedBase: $0.machine, size: $0.guest.size).overlaps(xen) })
    }

    @Test func colouredXenGoesToTheHighestBankAvoidingModules() throws {
        // Two banks; 2M image x 4 colours = 8M. The top of bank 1 holds a module,
        // so the 2M-aligned end is just below it.
        let ram = [BoardFixtures.range(0x8000_0000, 1 << 30), BoardFixtures.range(0x8_8000_0000, 1 << 30)]
        let module = BoardFixtures.range(0x8_BFF0_0000, Self.mib)
        let target = try XenRelocation.colouredTarget(imageSize: 2 * Self.mib - 4096, colours: 4, ram: ram, obstacles: [module], architecture: .arm64)
        #expect(target == BoardFixtures.range(0x8_BF60_0000, 8 * Self.mib))
        // arm32 clamps each bank's end to 4 GiB: bank 1 cannot be used at all.
        let arm32 = try XenRelocation.colouredTarget(imageSize: 2 * Self.mib, colours: 4, ram: ram, obstacles: [module], architecture: .arm32LPAE)
        #expect(arm32 == BoardFixtures.range(0xBF80_0000, 8 * Self.mib))
    }

    @Test func colouredXenThatFitsNowhereIsRefused() {
        #expect(throws: BuildError.noRoomFor(what: "relocating Xen (Not enough memory to relocate Xen)", size: 64 * Self.mib)) {
            try XenRelocation.colouredTarget(imageSize: 4 * Self.mib, colours: 16, ram: [BoardFixtures.range(0x8000_0000, 32 * Self.mib)], obstacles: [], architecture: .arm64)
        }
    }

    @Test func domainsGetTheFirstFreeVMIDFromOne() throws {
        let system = try SystemBuilder.build(DomainBuildTests.arm64Board())
        #expect(system.domains.map(\.vmid) == [1, 2, 3])
        #expect(system.domains[1].vttbr == 0x0002_0008_FF50_0000)
        var vmids = VMIDAllocator(bits: 8)
        for expected in 1...255 { #expect(vmids.allocate() == UInt16(expected)) }
        #expect(vmids.allocate() == nil)
        vmids.free(7)
        #expect(vmids.allocate() == 7)
    }
}
