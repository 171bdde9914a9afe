import Hypervisor
import P2MModel
import Testing

/// Bytes a bootloader loaded that no /chosen node declares: Xen does not know
/// them (populate_boot_allocator skips only its boot modules and reserved
/// memory), so the builder neither avoids them nor boots from them.
struct UndeclaredModuleTests {
    /// Arndale with one more module over the top of RAM, where the xenheap goes.
    func arndale(declared: Bool) -> BoardSpec {
        var spec = BoardFixtures.arndale()
        var module = BootModule(name: "loaded-high", kind: .kernel, range: BoardFixtures.range(0xBE00_0000, 6 << 20), footprint: BoardFixtures.range(0xBE00_0000, 6 << 20), domain: "dom0", origin: BoardFixtures.origin("/boot_modules/3"))
        module.declared = declared
        spec.bootModules.append(module)
        return spec
    }

    @Test func theXenheapIsPlacedOverAnUndeclaredImage() throws {
        let system = try SystemBuilder.build(arndale(declared: false))
        let xenheap = try #require(system.placements.first { $0.kind == .xenheap })
        #expect(xenheap.range == BoardFixtures.range(0xBC00_0000, 64 << 20))
        #expect(xenheap.range.intersection(BoardFixtures.range(0xBE00_0000, 6 << 20)) != nil)
    }

    @Test func aDeclaredModuleThereIsAvoided() throws {
        let system = try SystemBuilder.build(arndale(declared: true))
        let xenheap = try #require(system.placements.first { $0.kind == .xenheap })
        #expect(xenheap.range.intersection(BoardFixtures.range(0xBE00_0000, 6 << 20)) == nil)
        #expect(xenheap.range == BoardFixtures.range(0xBA00_0000, 64 << 20))
    }

    @Test func anUndeclaredKernelIsNotBootedFrom() throws {
        // dom0's declared kernel is at 0x44000000; an undeclared kernel first in the list must not replace it.
        var spec = BoardFixtures.arndale()
        var undeclared = BootModule(name: "stale", kind: .kernel, range: BoardFixtures.range(0x5000_0000, 2 << 20), footprint: BoardFixtures.range(0x5000_0000, 2 << 20), domain: "dom0", origin: BoardFixtures.origin("/boot_modules/3"))
        undeclared.declared = false
        undeclared.imageFormat = .zImage
        spec.bootModules.insert(undeclared, at: 0)
        spec.bootModules[3].imageFormat = .zImage
        let withStale = try SystemBuilder.build(spec)
        spec.bootModules.removeFirst()
        let without = try SystemBuilder.build(spec)
        #expect(withStale.domains[0].loadLayout == without.domains[0].loadLayout)
        #expect(without.domains[0].loadLayout != nil)
    }
}
