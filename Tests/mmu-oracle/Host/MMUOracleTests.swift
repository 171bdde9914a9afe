import Foundation
import Hypervisor
import Invariants
import P2MModel
import Testing

/// Runs of the bare-metal image shared by the tests (QEMU runs once per plan).
enum OracleRuns {
    /// In CI QEMU is installed; there a missing QEMU must fail, not skip.
    static let qemuRequired = ProcessInfo.processInfo.environment["P2M_REQUIRE_QEMU"] == "1"
    static let unavailableReason = OracleImage.unavailableReason(for: OracleTarget.all)
    static let canRun = unavailableReason == nil || qemuRequired
    static let skipReason = Comment(rawValue: "SKIPPED, not passed: " + (unavailableReason ?? ""))

    struct Run: Sendable {
        var session: OracleSession
        var plan: ProbePlan
        var output: OracleOutput
        var comparisons: [OracleSession.ProbeComparison]
    }

    /// Runs the plan `makePlan` makes from the decoded tables. With
    /// `checkerSeesPatches`, the host decodes the patched tables too.
    static func run(_ target: OracleTarget, checkerSeesPatches: Bool = false, _ makePlan: (OracleSession) -> ProbePlan) throws -> Run {
        if let reason = unavailableReason { throw OracleUnavailable(reason: reason) }
        var session = try OracleSession(target)
        let plan = makePlan(session)
        if checkerSeesPatches { session = try OracleSession(target, patches: plan.patches) }
        let output = try OracleOutput.parse(try OracleImage.run(target, plan: plan))
        return Run(session: session, plan: plan, output: output, comparisons: session.compare(output))
    }

    /// The unmodified tables: every probe and every EL1 access, per architecture.
    static let cleanARM64 = Result { try run(.arm64) { $0.plan() } }
    static let cleanARM32 = Result { try run(.arm32) { $0.plan() } }
    static func clean(_ target: OracleTarget) throws -> Run {
        try (target.architecture == .arm64 ? cleanARM64 : cleanARM32).get()
    }

    struct OracleUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "P2M_REQUIRE_QEMU=1 but \(reason)" }
    }
}

@Suite(.serialized) struct MMUOracleTests {
    @Test(.enabled(if: OracleRuns.canRun, OracleRuns.skipReason), arguments: OracleTarget.all)
    func mmuAgreesWithCheckerOnEveryProbe(_ target: OracleTarget) throws {
        let run = try OracleRuns.clean(target)
        #expect(run.output.errors.isEmpty, "\(run.output.errors)")
        let finished = run.output.finished
        #expect(finished, "the image did not reach its end line")
        // The image built the same tables, word for word, at the same roots.
        #expect(run.output.domains.map(\.root) == run.session.system.domains.map { $0.rootAddress.rawValue })
        #expect(run.output.domains.map(\.differingWords) == [0, 0])
        // Every probe was answered, and every answer matches the checker's.
        #expect(run.output.probes.count == run.plan.probes.count)
        #expect(zip(run.output.probes, run.plan.probes).allSatisfy { $0.domain == $1.domain && $0.guest == $1.guest.rawValue })
        let disagreements = run.comparisons.filter { !$0.agrees }
        #expect(disagreements.isEmpty, "\(disagreements.count) probes disagree:\n\(disagreements.prefix(20).map(\.description).joined(separator: "\n"))")
        // Not vacuous: both domains, translations and faults at several levels.
        for domain in ["dom0", "domU"] {
            let mine = run.comparisons.filter { $0.domain == domain }
            #expect(mine.contains { if case .translated = $0.mmu { true } else { false } })
            #expect(mine.contains { if case .fault = $0.mmu { true } else { false } })
        }
        let faultLevels = Set(run.comparisons.compactMap { if case .fault(.translation, let level, 2) = $0.mmu { level } else { nil } })
        #expect(faultLevels.isSuperset(of: [1, 2, 3]))
        let perDomain = ["dom0", "domU"].map { d in "\(d) \(run.comparisons.filter { $0.domain == d }.count)" }.joined(separator: ", ")
        print("mmu-oracle \(target.name): \(run.comparisons.count) probes compared with \(target.atInstruction) (\(perDomain)), \(disagreements.count) disagreements")
    }

    @Test(.enabled(if: OracleRuns.canRun, OracleRuns.skipReason), arguments: OracleTarget.all)
    func guestWritesLandAtTheCheckersMachineAddress(_ target: OracleTarget) throws {
        let run = try OracleRuns.clean(target)
        #expect(run.output.accesses.count == run.plan.accesses.count)
        #expect(run.output.accesses.contains { $0.machine == nil }, "no faulting access was tried")
        #expect(Set(run.output.accesses.map(\.domain)) == [0, 1])
        let problems = run.output.accesses.compactMap { run.session.problem(with: $0) }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // domU is not 1:1: its writes must land away from the guest address.
        #expect(run.output.accesses.contains { $0.domain == 1 && $0.machine != nil && $0.machine != $0.guest })
        print("mmu-oracle \(target.name): \(run.output.accesses.count) EL1 guest accesses checked against machine memory, \(problems.count) problems")
    }

    @Test(.enabled(if: OracleRuns.canRun, OracleRuns.skipReason), arguments: OracleTarget.all)
    func corruptedDescriptorsMakeThemDisagree(_ target: OracleTarget) throws {
        // domU: the first RAM block now outputs 2 MiB higher. dom0: the table
        // descriptor above the virtio-mmio page table is invalidated.
        var targets: [(domain: String, guest: AddressRange<GuestAddress>)] = []
        let run = try OracleRuns.run(target) { session in
            let domU = session.decoded[1]
            let block = domU.leaves.first { $0.level == .two && $0.descriptor.p2mType == .ramReadWrite }!
            let dom0 = session.decoded[0]
            let virtioPage = session.expected[0].leaf(containing: GuestAddress(0x0A00_0000))!
            let table = dom0.tablePages.first { $0.address.rawValue == virtioPage.descriptorAddress.rawValue & ~0xFFF }!
            targets = [("domU", block.guest), ("dom0", AddressRange(uncheckedBase: GuestAddress(0x0A00_0000 & ~0x1F_FFFF), size: 2 << 20))]
            return session.plan(patches: [
                ProbePlan.Patch(descriptor: block.descriptorAddress, xorMask: 1 << 21),
                ProbePlan.Patch(descriptor: table.referencedFrom!, xorMask: 1),
            ])
        }
        let (errors, finished) = (run.output.errors, run.output.finished)
        #expect(errors.isEmpty && finished)
        #expect(run.output.patches.count == 2)
        let disagreements = run.comparisons.filter { !$0.agrees }
        let inTargets = run.comparisons.filter { c in targets.contains { $0.domain == c.domain && $0.guest.contains(c.guest) } }
        #expect(!inTargets.isEmpty)
        // Exactly the probes under the corrupted descriptors disagree, and the report says how.
        #expect(disagreements.map(\.description) == inTargets.map(\.description))
        #expect(disagreements.contains { $0.domain == "domU" && $0.description.contains("MMU says machine") })
        #expect(disagreements.contains { $0.domain == "dom0" && $0.mmu == .fault(.translation, level: 2, stage: 2) })
        // The guest's writes through the corrupted domU block land 2 MiB away from
        // where the checker says, and the access check reports exactly those.
        let failedAccesses = run.output.accesses.filter { run.session.problem(with: $0) != nil }
        let blockAccesses = run.output.accesses.filter { $0.domain == 1 && targets[0].guest.contains(GuestAddress($0.guest)) }
        #expect(!blockAccesses.isEmpty)
        #expect(failedAccesses.map(\.guest) == blockAccesses.map(\.guest))
        print("mmu-oracle \(target.name), corrupted tables: \(failedAccesses.count) EL1 accesses report a problem, e.g. \(failedAccesses.first.flatMap { run.session.problem(with: $0) } ?? "-")")
        print("mmu-oracle \(target.name), corrupted tables: \(disagreements.count) of \(run.comparisons.count) probes disagree, e.g.\n  \(disagreements.first.map(\.description) ?? "-")\n  \(disagreements.last.map(\.description) ?? "-")")
    }

    @Test(.enabled(if: OracleRuns.canRun, OracleRuns.skipReason), arguments: OracleTarget.all)
    func checkerDecodesUnusualDescriptorsAsTheMMUDoes(_ target: OracleTarget) throws {
        // Descriptors Xen never writes, patched into both the real tables and
        // the checker's copy: each must still decode to what the MMU does.
        var cases: [(guest: AddressRange<GuestAddress>, domain: String, outcome: (MachineAddress) -> MMUOutcome)] = []
        let run = try OracleRuns.run(target, checkerSeesPatches: true) { session in
            let blocks = session.decoded[1].leaves.filter { $0.level == .two }
            let page = session.expected[0].leaf(containing: GuestAddress(0x0901_0000))!  // the RTC page of dom0
            func block(_ i: Int, _ mask: UInt64, _ outcome: @escaping (MachineAddress) -> MMUOutcome) -> ProbePlan.Patch {
                cases.append((blocks[i].guest, "domU", outcome))
                return ProbePlan.Patch(descriptor: blocks[i].descriptorAddress, xorMask: mask)
            }
            cases.append((page.guest, "dom0", { _ in .fault(.translation, level: 3, stage: 2) }))
            return session.plan(patches: [
                block(1, 1 << 10, { _ in .fault(.accessFlag, level: 2, stage: 2) }),                       // AF clear
                block(2, 1 << 6, { _ in .fault(.permission, level: 2, stage: 2) }),                        // S2AP: no read
                block(3, (0xF ^ 0x1) << 2, { .translated(machine: $0, attributes: 0x04, shareability: 2) }),  // Device-nGnRE
                block(4, (0xF ^ 0x5) << 2, { .translated(machine: $0, attributes: 0x44, shareability: 2) }),  // Normal-NC
                block(5, 1 << 40, { _ in .fault(.addressSize, level: 2, stage: 2) }),                       // output beyond 40-bit PA
                ProbePlan.Patch(descriptor: page.descriptorAddress, xorMask: 1 << 1),                      // L3 with bit 1 clear: reserved
            ], accesses: false)
        }
        let (errors, finished) = (run.output.errors, run.output.finished)
        #expect(errors.isEmpty && finished)
        // ARMv7 LPAE (Cortex-A15) has 40-bit output addresses: descriptor bits
        // [47:40] are UNK/SBZP and the MMU ignores them. The checker's decoder
        // ignores them too on arm32 (and reports them as must-be-zero bits set,
        // a `ranges` violation), so a corrupted descriptor with them set is
        // predicted to alias low memory, as the MMU does (this oracle found it).
        let disagreements = run.comparisons.filter { !$0.agrees }
        #expect(disagreements.isEmpty, "\(disagreements.map(\.description).joined(separator: "\n"))")
        for (index, (guest, domain, outcome)) in cases.enumerated() {
            let probes = run.comparisons.filter { $0.domain == domain && guest.contains($0.guest) }
            #expect(!probes.isEmpty, "no probe in \(guest)")
            for probe in probes {
                let machine: MachineAddress
                if case .translated(let m, _, _) = probe.checker { machine = m } else { machine = MachineAddress(0) }
                if index == 5, target.architecture == .arm32LPAE {
                    let leaf = run.session.expected[1].leaf(containing: probe.guest)!
                    let truncated = (leaf.machine.rawValue & ((1 << 40) - 1)) + (probe.guest.rawValue - leaf.guest.base.rawValue)
                    #expect(probe.mmu == .translated(machine: MachineAddress(truncated & ~0xFFF), attributes: 0xFF, shareability: 3))
                    #expect(probe.agrees, "\(probe)")
                    continue
                }
                #expect(probe.mmu == outcome(machine), "\(probe)")
            }
        }
        print("mmu-oracle \(target.name), unusual descriptors (AF clear, no read, Device, Normal-NC, output beyond PA, reserved L3): \(run.comparisons.count) probes, \(disagreements.count) disagreements")
    }
}

/// The host-side pieces that need no QEMU.
struct MMUOracleHostTests {
    @Test func parDecoding() {
        #expect(MMUOutcome(par: 0xFF00_0000_8000_0B80) == .translated(machine: MachineAddress(0x8000_0000), attributes: 0xFF, shareability: 3))
        // F=1, FST=0b000101 (translation fault, level 1), S=1 (stage 2).
        #expect(MMUOutcome(par: 0xA0B) == .fault(.translation, level: 1, stage: 2))
        #expect(MMUOutcome(par: 1 | 0b001111 << 1 | 1 << 9) == .fault(.permission, level: 3, stage: 2))
        #expect(MMUOutcome(par: 1 | 0b001010 << 1) == .fault(.accessFlag, level: 2, stage: 1))
        #expect(MMUOutcome(dataAbortESR: 0x24 << 26 | 0b000110) == .fault(.translation, level: 2, stage: 2))
        #expect(MMUOutcome(dataAbortESR: 0x16 << 26) == nil)
    }

    @Test func stage2AttributesCombinedWithDefaultCacheableStage1() {
        #expect(ExpectedTranslation.combinedWithDefaultStage1(.normalWriteBack, .inner) == (0xFF, 3))
        #expect(ExpectedTranslation.combinedWithDefaultStage1(.normalWriteBack, .outer) == (0xFF, 2))
        #expect(ExpectedTranslation.combinedWithDefaultStage1(.normalNonCacheable, .inner) == (0x44, 2))
        #expect(ExpectedTranslation.combinedWithDefaultStage1(.deviceNGnRE, .inner) == (0x04, 2))
    }

    @Test func planRoundTripsThroughWords() throws {
        let plan = ProbePlan(
            probes: [.init(domain: 1, guest: GuestAddress(0x4000_0000))],
            accesses: [.init(domain: 0, guest: GuestAddress(0x8000_0000), machine: MachineAddress(0x8000_0000), value: 7)],
            stubs: [.init(domain: 0, guest: GuestAddress(0xBFFF_F000), machine: MachineAddress(0xBFFF_F000))],
            patches: [.init(descriptor: MachineAddress(0x4840_0008), xorMask: 1)])
        let words = plan.words
        #expect(try ProbePlan.decode(availableWords: UInt64(words.count)) { words[Int($0)] } == plan)
        #expect(throws: ProbePlanError.truncated) { try ProbePlan.decode(availableWords: UInt64(words.count - 1)) { words[Int($0)] } }
        #expect(throws: ProbePlanError.badMagic(0)) { try ProbePlan.decode(availableWords: 8) { _ in 0 } }
    }

    @Test(arguments: OracleTarget.all)
    func probesCoverEveryRunGapAndBlockOfTheOracleBoard(_ target: OracleTarget) throws {
        let session = try OracleSession(target)
        for (index, decoded) in session.decoded.enumerated() {
            let probes = Set(ProbePlanner.probes(for: decoded, inputLimit: target.inputLimit).map(\.rawValue))
            #expect(probes.allSatisfy { $0 < target.inputLimit ?? .max })
            for run in decoded.runs where run.guest.base.rawValue < target.inputLimit ?? .max {
                #expect(probes.contains(run.guest.base.rawValue) && probes.contains(run.guest.last!.rawValue), "domain \(index) run \(run.guest)")
            }
            for leaf in decoded.leaves where leaf.level < .three && leaf.guest.base.rawValue < target.inputLimit ?? .max {
                #expect(probes.contains(leaf.guest.last!.rawValue))
            }
            #expect(probes.contains(0) || decoded.leaves.first?.guest.base.rawValue == 0)
            #expect(probes.contains(decoded.configuration.ipaSpaceSize) == (target.inputLimit == nil))
        }
        // dom0 is 1:1 (on arm64 its 1 GiB of RAM is one level-1 block; on arm32
        // the xenheap takes the top of RAM first); domU is not 1:1.
        let dom0 = session.decoded[0]
        #expect(dom0.leaves.allSatisfy { $0.guest.base.rawValue == $0.machine.rawValue })
        #expect(dom0.leaves.contains { $0.level == .one && $0.guest.base.rawValue == 0x8000_0000 } == (target.architecture == .arm64))
        #expect(session.decoded[1].leaves.allSatisfy { $0.guest.base.rawValue != $0.machine.rawValue })
    }
}
