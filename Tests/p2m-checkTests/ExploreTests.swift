import Foundation
import Invariants
import P2MModel
import SpecFormat
import Testing
@testable import p2m_check

/// `p2m-check explore`: auto fields solved by Z3, the completed spec proved by
/// the normal pipeline, conflicts explained, sweeps tabulated.
struct ExploreTests {
    static func template(_ relative: String) throws -> SpecTemplate {
        try SpecTemplate(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestSupport.spec(relative)))))
    }

    static func explore(_ template: SpecTemplate, _ objectives: [ExploreObjective] = [.low]) throws -> Explorer.Outcome {
        try Explorer(template: template, objectives: objectives, options: CheckOptions(), reportPath: "solved.json").run()
    }

    /// The completed spec, decoded independently of explore.
    static func solvedSpec(_ outcome: Explorer.Outcome) throws -> (BoardSpec, [UInt8]) {
        guard case .completed(let bytes, _, _, _) = outcome else {
            Issue.record("expected a completed spec, got \(outcome)")
            throw ExploreError.badArgument("not completed")
        }
        return (try SpecDecoder.decode(bytes), bytes)
    }

    @Test func arndaleWithEveryAddressAutoSolvesToASpecThatProves() throws {
        let template = try Self.template("specs/explore/arndale-auto.json")
        #expect(template.autos.map(\.path.description) == ["/hypervisor/load_address", "/boot_modules/0/load_address", "/boot_modules/1/load_address", "/boot_modules/2/load_address", "/domains/0/p2m_pool/base"])
        let outcome = try Self.explore(template)
        guard case .completed(_, let choices, let run, _) = outcome else { Issue.record("not solved: \(outcome)"); return }
        #expect(choices.count == 5)
        #expect(run.exitStatus == .proved)
        let (spec, bytes) = try Self.solvedSpec(outcome)
        // Re-verify the written spec from scratch, as `p2m-check solved.json` would.
        let again = CheckRun.perform(specPath: "again", bytes: bytes, options: CheckOptions(), selection: nil)
        guard case .checked(_, _, let results) = again.result else { Issue.record("solved spec did not check: \(again.result)"); return }
        #expect(results.allSatisfy { $0.verdict == .proved })
        #expect(results.count >= 4)
        // The chosen values obey what the spec asked.
        #expect(spec.hypervisor.range.base.rawValue % (2 << 20) == 0)
        for m in spec.bootModules where m.kind == .kernel || m.kind == .ramdisk {
            #expect(m.footprint.end!.rawValue <= 0x4800_0000, "\(m.name) must lie below 0x48000000")
        }
        let kernel = try #require(spec.bootModules.first { $0.kind == .kernel })
        #expect(kernel.range.base.rawValue % (2 << 20) == 0)
        let placed = [spec.hypervisor.range] + spec.bootModules.map(\.footprint)
        for (i, a) in placed.enumerated() {
            #expect(spec.ram.contains { $0.range.contains(a) })
            for b in placed[(i + 1)...] { #expect(!a.overlaps(b), "\(a) overlaps \(b)") }
        }
        guard case .fixed(let pool) = spec.domains[0].poolPlacement else { Issue.record("pool base not written"); return }
        #expect(pool.rawValue % 4096 == 0)
    }

    @Test func objectivesSteerTheChoice() throws {
        let template = try Self.template("specs/explore/arndale-auto.json")
        // The kernel (6M, 2M aligned) as high as its window allows: it ends exactly at 0x48000000.
        let high = try Self.solvedSpec(try Self.explore(template, [.highest("dom0-kernel"), .low])).0
        #expect(high.bootModules.first { $0.kind == .kernel }?.range.base.rawValue == 0x47A0_0000)
        // Lowest hypervisor: the bottom of RAM.
        let low = try Self.solvedSpec(try Self.explore(template, [.lowest("xen"), .low])).0
        #expect(low.hypervisor.range.base.rawValue == 0x4000_0000)
        // Compact: the three modules (64K + 8M + 6M) in the smallest window, 14M + 64K.
        let compact = try Self.solvedSpec(try Self.explore(template, [.compact, .low])).0
        let lo = compact.bootModules.map(\.footprint.base.rawValue).min()!
        let hi = compact.bootModules.map { $0.footprint.end!.rawValue }.max()!
        #expect(hi - lo == (14 << 20) + (64 << 10))
        #expect(throws: ExploreError.self) { try Self.explore(template, [.lowest("no-such-module")]) }
        // The pool as high as possible: the top of RAM is where Xen puts the arm32
        // xenheap, which the layout must learn to avoid; the completed spec proves.
        let poolHigh = try Self.explore(template, [.highest("p2m pool of dom0"), .low])
        let poolSpec = try Self.solvedSpec(poolHigh).0
        guard case .completed(_, _, let poolRun, _) = poolHigh, case .fixed(let poolBase) = poolSpec.domains[0].poolPlacement else { return }
        #expect(poolRun.exitStatus == .proved)
        #expect(poolBase.rawValue > 0xB000_0000)
        // largest:dom0 needs dom0's memory to be auto; here it is fixed at 512M.
        #expect(throws: ExploreError.self) { try Self.explore(template, [.largest("dom0")]) }
        #expect(try ExploreObjective.parse("largest:dom0") == .largest("dom0"))
    }

    @Test func autoMemoryIsTheLargestThatProves() throws {
        let text = try String(contentsOfFile: TestSupport.spec("specs/explore/arndale-auto.json"), encoding: .utf8)
        let auto = try SpecTemplate(bytes: Array(text.replacingOccurrences(of: "\"memory\": \"512M\"", with: "\"memory\": {\"auto\": {\"min\": \"256M\", \"align\": \"16M\"}}").utf8))
        #expect(auto.autos.filter { $0.kind == .memory }.map(\.path.description) == ["/domains/0/memory"])
        let outcome = try Self.explore(auto)
        let (spec, _) = try Self.solvedSpec(outcome)
        guard case .completed(_, _, let run, let note) = outcome else { return }
        #expect(run.exitStatus == .proved)
        #expect(note?.contains("largest memory that proves") == true)
        let chosen = spec.domains[0].memorySize
        #expect(chosen % (16 << 20) == 0 && chosen >= 256 << 20)
        // One more step does not prove: the search found the edge, not just some value.
        let bigger = try SpecTemplate(bytes: Array(text.replacingOccurrences(of: "\"memory\": \"512M\"", with: "\"memory\": \"\(SizeText.format(chosen + (16 << 20)))\"").utf8))
        let next = try Self.explore(bigger)
        if case .completed(_, _, let nextRun, _) = next {
            #expect(nextRun.exitStatus != .proved)
        } else if case .unknown(let reason) = next {
            Issue.record("one step more should be decided, got unknown: \(reason)")
        }
    }

    @Test func impossibleSpecExplainsItselfInTheSpecsTerms() throws {
        let outcome = try Self.explore(try Self.template("specs/explore/arndale-impossible.json"))
        guard case .noLayout(let explanation) = outcome else { Issue.record("expected no layout, got \(outcome)"); return }
        #expect(explanation.headline == "dom0-initrd (ramdisk, 96M) cannot fit within [0x42000000, 0x48800000) together with dom0-kernel and p2m pool of dom0")
        #expect(Set(explanation.itemNames) == ["dom0-initrd", "dom0-kernel", "p2m pool of dom0"])
        let text = explanation.render()
        for path in ["/boot_modules/1/load_address", "/boot_modules/2/load_address", "/domains/0/p2m_pool/base"] { #expect(text.contains(path)) }
        #expect(text.contains("dom0-initrd and dom0-kernel must not overlap"))
        #expect(!text.contains("xen"), "the hypervisor is not part of the conflict; the core is minimal")
    }

    @Test func commandWritesTheSolvedSpecAndExitsWithTheChecksCode() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(UUID().uuidString).json").path
        let r = try TestSupport.run(["explore", TestSupport.spec("specs/explore/arndale-auto.json"), "-o", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("wrote \(out)"))
        #expect(r.stdout.contains("proved    load-disjoint"))
        let check = try TestSupport.run([out])
        #expect(check.status == 0, "\(check.stdout)")
        let again = try TestSupport.run(["explore", TestSupport.spec("specs/explore/arndale-auto.json"), "-o", out])
        #expect(again.status == 2 && again.stderr.contains("already exists; use --force"), "\(again.stderr)")
        let layout = try TestSupport.run(["explore", "--layout", "--force", TestSupport.spec("specs/explore/arndale-auto.json"), "-o", out])
        #expect(layout.stdout.contains("[0xbc000000, 0xc0000000)  64M     xenheap"), "\(layout.stdout)")

        let impossible = try TestSupport.run(["explore", TestSupport.spec("specs/explore/arndale-impossible.json"), "-o", out + ".no"])
        #expect(impossible.status == 1)
        #expect(impossible.stdout.contains("no layout exists: dom0-initrd (ramdisk, 96M) cannot fit within [0x42000000, 0x48800000) together with dom0-kernel and p2m pool of dom0"))
        #expect(!FileManager.default.fileExists(atPath: out + ".no"))
    }

    @Test func sweepPrintsOneLinePerValue() throws {
        let r = try TestSupport.run(["explore", "--sweep", "dom0.memory=1536M..2G:256M", TestSupport.spec("specs/explore/arndale-auto.json")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            dom0.memory  verdict
            1536M        proved
            1792M        proved
            2G           no layout: the domains' memory (2G) must fit in the RAM (2G) left over by everything placed

            """)
        #expect(!r.stderr.contains("["), "no progress bar when stdout is not a terminal")
    }

    @Test func sweepOfAFixedSpecReportsBuildAndCheckVerdicts() throws {
        // No auto fields: each value goes straight to the pipeline, which catches the initrd moved onto the kernel at 0x44000000.
        let r = try TestSupport.run(["explore", "--sweep", "dom0-initrd.load_address=0x43300000..0x43f00000:0x600000", TestSupport.spec("specs/arndale.json")])
        #expect(r.stdout == """
            dom0-initrd.load_address  verdict
            0x43300000                proved
            0x43900000                violated: load-disjoint
            0x43f00000                violated: load-disjoint

            """)
    }

    @Test func badInputIsExit2WithItsPath() throws {
        let check = try TestSupport.run([TestSupport.spec("specs/explore/arndale-auto.json")])
        #expect(check.status == 2)
        #expect(check.stderr.contains("/hypervisor/load_address: \"auto\" is a placeholder that only `p2m-check explore` fills in"))

        let misplaced = try TestSupport.arndaleVariant(replacing: "\"base\": \"0x40000000\"", with: "\"base\": \"auto\"")
        let r = try TestSupport.run(["explore", misplaced])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/memory/0/base: \"auto\" is allowed only for"))

        let badAlign = try TestSupport.arndaleVariant(replacing: "\"load_address\": \"0x42000000\"", with: "\"load_address\": {\"auto\": {\"align\": \"3M\"}}")
        let a = try TestSupport.run(["explore", badAlign])
        #expect(a.status == 2)
        #expect(a.stderr.contains("/hypervisor/load_address/auto/align: align must be a power of two"))

        let sweep = try TestSupport.run(["explore", "--sweep", "domX.memory=1G..2G:1G", TestSupport.spec("specs/arndale.json")])
        #expect(sweep.status == 2)
        #expect(sweep.stderr.contains("no entry named \"domX\""))
    }

    @Test func sweepParsingAndProgressBar() throws {
        let template = try Self.template("specs/explore/arndale-auto.json")
        let sweep = try Sweep("dom0.memory=128M..512M:128M", template: template)
        #expect(sweep.path.description == "/domains/0/memory")
        #expect(sweep.values.map(sweep.text) == ["128M", "256M", "384M", "512M"])
        let size = try Sweep("dom0-initrd.size=1M..0x180000:0x80000", template: template)
        #expect(size.values.map(size.text) == ["1M", "1536K"])
        #expect(throws: ExploreError.self) { try Sweep("dom0.memory=2G..1G:1G", template: template) }
        #expect(throws: ExploreError.self) { try Sweep("dom0.vcpu=1..2:1", template: template) }
        #expect(throws: ExploreError.self) { try Sweep("dom0.memory=1..1000000000:1", template: template) }
        #expect(ProgressBar(total: 4, width: 8).line(done: 1, current: "dom0.memory=256M") == "[##......] 1/4 dom0.memory=256M")
        #expect(ProgressBar(total: 4, width: 8).line(done: 4, current: "") == "[########] 4/4 ")
    }

    @Test(arguments: try BoardSpecsTests.specFiles(in: "specs/explore"))
    func exploreSpecsValidateAgainstTheSchema(_ file: String) throws {
        let errors = try BoardSpecsTests.validator().validate(try BoardSpecsTests.json(TestSupport.spec(file)))
        #expect(errors.isEmpty, "\(file): \(errors)")
    }

    @Test func theSchemaAllowsAutoOnlyWhereExploreFillsIt() throws {
        let text = try String(contentsOfFile: TestSupport.spec("specs/explore/arndale-auto.json"), encoding: .utf8)
        let wrong = text.replacingOccurrences(of: "\"base\": \"0x40000000\"", with: "\"base\": \"auto\"")
        #expect(wrong != text)
        let errors = try BoardSpecsTests.validator().validate(try JSONParser.parse(Array(wrong.utf8)))
        #expect(errors.contains { $0.contains("/memory/0/base") }, "\(errors)")
    }

    /// Every shipped board, its hypervisor and boot module addresses all "auto":
    /// explore places them (multi-bank RAM, RAM at 0, reserved memory, dom0less
    /// guests) and the completed spec proves.
    @Test(arguments: try BoardSpecsTests.specFiles(in: "specs"))
    func everyShippedBoardWithAutoAddressesSolvesAndProves(_ file: String) throws {
        let original = try BoardSpecsTests.json(TestSupport.spec(file))
        var autoPaths: [JSONPointer: String] = [JSONPointer.root.appending(key: "hypervisor").appending(key: "load_address"): "auto"]
        if case .array(let modules)? = original.kind.objectMember("boot_modules")?.kind {
            for m in modules { autoPaths[m.path.appending(key: "load_address")] = "auto" }
        }
        let plain = try SpecTemplate(root: original)
        let template = try SpecTemplate(bytes: Array(SpecTemplate.render(plain.substituting(autoPaths)).utf8))
        #expect(template.autos.count == autoPaths.count)
        let (spec, bytes) = try Self.solvedSpec(try Self.explore(template))
        // A board with a recorded real finding (X.expect.json, e.g. rpi4's unaligned MMIO windows)
        // cannot prove whatever the load addresses: every other property must.
        let finding = TestSupport.spec(file.replacingOccurrences(of: ".json", with: ".expect.json"))
        let known = FileManager.default.fileExists(atPath: finding)
            ? ((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: finding))) as? [String: Any])?["property"] as? String)
            : nil
        let selection = Set(PropertyID.allCases.filter { $0.rawValue != known })
        let again = CheckRun.perform(specPath: file, bytes: bytes, options: CheckOptions(), selection: selection)
        #expect(again.exitStatus == .proved, "\(file)")
        let placed = [spec.hypervisor.range] + spec.bootModules.map(\.footprint)
        for r in placed {
            #expect(spec.ram.contains { $0.range.contains(r) }, "\(file): \(r) not in one bank")
            #expect(!spec.reserved.contains { $0.range.overlaps(r) }, "\(file): \(r) in reserved memory")
        }
    }
}

