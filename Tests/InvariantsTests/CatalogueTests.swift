import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import Testing

/// Each property on the Arndale layout (proves) and on a layout with one seeded fault (violated,
/// with a witness that lies where it must).
struct CatalogueTests {
    func results(_ spec: BoardSpec) throws -> [PropertyID: PropertyResult] {
        let system = try SystemBuilder.build(spec)
        return Dictionary(uniqueKeysWithValues: Checker.check(system).map { ($0.property, $0) })
    }

    func violations(_ r: PropertyResult?) -> [Violation] {
        if case .violated(let list) = r?.verdict { return list }
        return []
    }

    @Test func arndaleProvesAll() throws {
        let r = try results(BoardFixtures.arndale())
        #expect(r.count == PropertyID.allCases.count)
        for (id, result) in r { #expect(result.verdict == .proved, "\(id.rawValue): \(result.verdict)") }
    }

    @Test func poolInsideKernel() throws {
        let r = try results(BoardFixtures.arndale(pool: .fixed(MachineAddress(0x4410_0000)), poolSize: 4 << 20))
        let list = violations(r[.loadDisjoint])
        #expect(!list.isEmpty)
        let kernel = BoardFixtures.range(0x4400_0000, 6 << 20)
        let pool = BoardFixtures.range(0x4410_0000, 4 << 20)
        let pair = try #require(list.first { Set($0.regions.map(\.name)) == ["dom0-kernel", "p2m pool of dom0"] })
        let w = try #require(pair.machineWitnesses.first)
        #expect(kernel.contains(w) && pool.contains(w))
    }

    @Test func hypervisorOverAModule() throws {
        var spec = BoardFixtures.arndale()
        spec.hypervisor.range = BoardFixtures.range(0x4320_0000, 2 << 20)  // runs into the initrd at 0x43300000
        let list = violations(try results(spec)[.loadDisjoint])
        let pair = try #require(list.first { Set($0.regions.map(\.name)) == ["xen", "dom0-initrd"] })
        let w = try #require(pair.machineWitnesses.first)
        #expect(w.rawValue >= 0x4330_0000 && w.rawValue < 0x4340_0000)
    }

    @Test func moduleOutsideRAM() throws {
        var spec = BoardFixtures.arndale()
        // The initrd crosses the end of the only bank at 0xc0000000.
        spec.bootModules[1].range = BoardFixtures.range(0xBFF0_0000, 2 << 20)
        spec.bootModules[1].footprint = spec.bootModules[1].range
        let list = violations(try results(spec)[.loadInRAM])
        let v = try #require(list.first { $0.regions.first?.name == "dom0-initrd" })
        let w = try #require(v.machineWitnesses.first)
        #expect(w.rawValue >= 0xC000_0000 && w.rawValue < 0xC010_0000)
        #expect(v.regions.last?.kind == .unbacked)
    }

    @Test func moduleInReservedMemory() throws {
        var spec = BoardFixtures.arndale()
        spec.reserved = [ReservedRegion(name: "secure-carveout", range: BoardFixtures.range(0x4430_0000, 1 << 20), origin: SpecOrigin(path: "/reserved_memory/0"))]
        let list = violations(try results(spec)[.loadInRAM])
        let v = try #require(list.first { $0.regions.map(\.name) == ["dom0-kernel", "secure-carveout"] })
        #expect(BoardFixtures.range(0x4430_0000, 1 << 20).contains(try #require(v.machineWitnesses.first)))
    }

    /// Tables written by hand into simulated memory: the decoder and s2-injective see what the
    /// tables say, whatever a builder meant.
    @Test func aliasWrittenIntoTheTablesIsFound() throws {
        var system = try SystemBuilder.build(BoardFixtures.arndale())
        let dom0 = system.domains[0]
        // Add a 4K page at guest 0x1000 that points at dom0's own RAM page 0x60000000 (already mapped at 0x60000000).
        var p2m = try P2M(configuration: dom0.configuration, pool: P2MPool(range: BoardFixtures.range(0x9000_0000, 16 * 4096)), memory: &system.memory)
        try p2m.map(guest: GuestAddress(0x1000), machine: MachineAddress(0x6000_0000), pageCount: 1, type: .ramReadWrite, memory: &system.memory)
        // Graft the new level-1 entry for guest 0..1G into dom0's root.
        let graft = system.memory.read64(p2m.rootAddress)
        system.memory.write64(graft, at: dom0.rootAddress)
        let r = Dictionary(uniqueKeysWithValues: Checker.check(system).map { ($0.property, $0) })
        let alias = try #require(violations(r[.s2Injective]).first)
        #expect(Set(alias.guestWitnesses) == [GuestAddress(0x1000), GuestAddress(0x6000_0000)])
        #expect(alias.machineWitnesses == [MachineAddress(0x6000_0000)])
        // Guest 0x1000 -> machine 0x60000000 is not 1:1 either.
        let moved = try #require(violations(r[.identity]).first)
        #expect(moved.guestWitnesses == [GuestAddress(0x1000)])
    }

    @Test func unknownIsNeverProved() throws {
        let system = try SystemBuilder.build(BoardFixtures.arndale())
        let r = Checker.check(system, options: CheckOptions(timeoutMilliseconds: 30_000, resourceLimit: 1))
        // With an rlimit of 1 Z3 cannot finish a query that needs search: those properties must say
        // unknown, never proved. The ground certificates of the linear encodings (load-disjoint,
        // s2-injective, identity, and on Arndale all of hyp-private's and dt-consistent's queries)
        // and queries the simplifier alone decides (module-rules on constant rules) are answered
        // within the limit, so they may prove, and only because Z3 answered unsat. Nothing may be
        // reported violated without a checked model.
        for id in [PropertyID.loadInRAM, .attributes, .leafInBacking] {
            let result = try #require(r.first { $0.property == id })
            if case .unknown = result.verdict {} else { Issue.record("\(id.rawValue) was \(result.verdict.name) under rlimit 1") }
        }
        for result in r {
            switch result.verdict {
            case .violated: Issue.record("\(result.property.rawValue) was violated under rlimit 1")
            case .proved: #expect(result.queries >= 1 || result.property == .isolation)
            case .unknown: break
            }
        }
    }
}
