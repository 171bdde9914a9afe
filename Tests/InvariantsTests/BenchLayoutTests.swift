import BenchLayouts
import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import Testing

/// The benchmark's seeded layout, small: the catalogue proves it and both
/// references agree; one descriptor rewritten into an alias is caught by the
/// catalogue and by both references, with witnesses that translate.
struct BenchLayoutTests {
    func layout() throws -> (ServerLayout, BuiltSystem) {
        let layout = ServerLayout(size: 600, seed: 3)
        return (layout, try layout.build(layout.spec()))
    }

    @Test func seededLayoutIsProvedAndReferencesAgree() throws {
        let (_, system) = try layout()
        let facts = SystemFacts(system: system)
        let leaves = facts.domains.reduce(0) { $0 + $1.decoded.leaves.count }
        #expect(leaves >= 600 && leaves < 620)
        #expect(facts.loadRegions.count >= 590)
        for result in Checker.check(facts) { #expect(result.verdict == .proved, "\(result.property.rawValue): \(result.verdict)") }
        #expect(ReferenceChecks.sortAndSweep(facts).holds == true)
        #expect(try ReferenceChecks.pairwise(facts, options: CheckOptions()).holds == true)
        // The domU is machine-scattered: nearly one run per leaf.
        let domU = facts.domains[1].decoded
        #expect(domU.runs.count * 10 > domU.leaves.count * 9)
    }

    @Test func aliasRewrittenIntoDomUIsCaught() throws {
        var (_, system) = try layout()
        let domU = SystemFacts(system: system).domains[1].decoded
        let (a, b) = (domU.leaves[0], domU.leaves[5])
        let rewritten = (a.descriptor.rawValue & ~Stage2Descriptor.outputAddressMask) | b.machine.rawValue
        system.memory.write64(rewritten, at: a.descriptorAddress)
        let facts = SystemFacts(system: system)
        let result = try #require(Checker.check(facts, selection: [.s2Injective]).first)
        guard case .violated(let list) = result.verdict else { Issue.record("expected a violation, got \(result.verdict)"); return }
        let alias = try #require(list.first)
        #expect(Set(alias.guestWitnesses) == [a.guest.base, b.guest.base])
        #expect(alias.machineWitnesses == [b.machine])
        #expect(alias.domain == "domU")
        #expect(ReferenceChecks.sortAndSweep(facts).holds == false)
        #expect(try ReferenceChecks.pairwise(facts, options: CheckOptions()).holds == false)
    }
}
