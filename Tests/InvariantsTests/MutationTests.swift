import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import Testing

/// Test-only faulty variants of the builder's steps. Each test builds the same
/// spec with Xen's steps (every checked property proves) and with one faulty
/// step (the checker must catch it, with a witness where the fault is).
struct MutationTests {
    /// Places heaps and pools as if boot modules were free RAM.
    struct AllocatorIgnoringModules: BuildSteps {
        let xen = XenBuildSteps()
        func placementObstacles(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] {
            [spec.hypervisor.range] + spec.reserved.map(\.range)
        }
        func heapExclusions(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] { xen.heapExclusions(spec) }
        func mappingOrder(gfn: UInt64, mfn: UInt64, remaining: UInt64) -> UInt64 { xen.mappingOrder(gfn: gfn, mfn: mfn, remaining: remaining) }
    }

    /// Picks 2M and 1G blocks by alignment alone, ignoring how much is left to map.
    struct BlockMapperIgnoringBankEnds: BuildSteps {
        let xen = XenBuildSteps()
        func placementObstacles(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] { xen.placementObstacles(spec) }
        func heapExclusions(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] { xen.heapExclusions(spec) }
        func mappingOrder(gfn: UInt64, mfn: UInt64, remaining: UInt64) -> UInt64 {
            let mask = gfn | mfn
            return mask & ((1 << 18) - 1) == 0 ? 18 : (mask & ((1 << 9) - 1) == 0 ? 9 : 0)
        }
    }

    /// Hands out RAM without keeping device windows out of the heap.
    struct DirectMapSkippingMMIOCheck: BuildSteps {
        let xen = XenBuildSteps()
        func placementObstacles(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] { xen.placementObstacles(spec) }
        func heapExclusions(_ spec: BoardSpec) -> [AddressRange<MachineAddress>] { [] }
        func mappingOrder(gfn: UInt64, mfn: UInt64, remaining: UInt64) -> UInt64 { xen.mappingOrder(gfn: gfn, mfn: mfn, remaining: remaining) }
    }

    func results<Steps: BuildSteps>(_ spec: BoardSpec, _ steps: Steps, _ property: PropertyID) throws -> PropertyResult {
        let system = try SystemBuilder.build(spec, steps: steps)
        return try #require(Checker.check(system, selection: [property]).first)
    }

    func violations(_ r: PropertyResult) -> [Violation] {
        if case .violated(let list) = r.verdict { return list }
        return []
    }

    @Test func allocatorIgnoringModulesPutsTheXenheapOverTheKernel() throws {
        var spec = BoardFixtures.arndale()
        // The kernel sits at the top of RAM, where the xenheap goes when modules are ignored.
        spec.bootModules[2].range = BoardFixtures.range(0xBE00_0000, 6 << 20)
        spec.bootModules[2].footprint = spec.bootModules[2].range
        #expect(try results(spec, XenBuildSteps(), .loadDisjoint).verdict == .proved)
        let list = violations(try results(spec, AllocatorIgnoringModules(), .loadDisjoint))
        let v = try #require(list.first { Set($0.regions.map(\.name)).contains("dom0-kernel") })
        #expect(v.regions.contains { $0.kind == .xenheap || $0.kind == .p2mPool })
        #expect(spec.bootModules[2].range.contains(try #require(v.machineWitnesses.first)))
    }

    @Test func blockMapperIgnoringBankEndsOverreachesADevice() throws {
        var spec = BoardFixtures.arndale()
        // A 64K device at a 2M-aligned address: a 2M block would map 1984K of what is not that device.
        spec.devices.append(Device(name: "usb3-drd", range: BoardFixtures.range(0x1200_0000, 0x1_0000), role: .other, origin: BoardFixtures.origin("/devices/9")))
        for property in [PropertyID.leafInBacking, .dtConsistent] {
            #expect(try results(spec, XenBuildSteps(), property).verdict == .proved)
        }
        let list = violations(try results(spec, BlockMapperIgnoringBankEnds(), .leafInBacking))
        let v = try #require(list.first)
        let w = try #require(v.machineWitnesses.first).rawValue
        #expect(w >= 0x1201_0000 && w < 0x1220_0000)
        #expect(v.message.contains("2M block"))
        #expect(!violations(try results(spec, BlockMapperIgnoringBankEnds(), .dtConsistent)).isEmpty)
    }

    @Test func directMapWithoutMMIOCheckGivesDom0RAMOverADevice() throws {
        var spec = BoardFixtures.arndale()
        // A device window that a /memory bank also covers, right where dom0's first bank would go.
        spec.devices.append(Device(name: "fb-sram", range: BoardFixtures.range(0x7F00_0000, 1 << 20), role: .other, origin: BoardFixtures.origin("/devices/9")))
        let good = try SystemBuilder.build(spec)
        for r in Checker.check(good) { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
        let list = violations(try results(spec, DirectMapSkippingMMIOCheck(), .ipaDisjoint))
        let v = try #require(list.first)
        let w = try #require(v.guestWitnesses.first).rawValue
        #expect(w >= 0x7F00_0000 && w < 0x7F10_0000)
        #expect(v.regions.contains { $0.origin.path == "/devices/9" })
    }
}
