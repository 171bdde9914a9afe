import Foundation
import Invariants
import P2MModel
import Testing
@testable import p2m_check

struct CheckRunTests {
    @Test func arndaleProvesEveryProperty() throws {
        let run = CheckRun.perform(specPath: TestSupport.spec("specs/arndale.json"), options: CheckOptions(), selection: nil)
        guard case .checked(_, _, let results) = run.result else {
            Issue.record("expected the Arndale spec to be checked, got \(run.result)")
            return
        }
        #expect(results.map(\.property) == PropertyID.allCases)
        for r in results { #expect(r.verdict == .proved, "\(r.property.rawValue): \(r.verdict)") }
        #expect(run.exitStatus == .proved)
    }

    @Test func poolOverKernelIsCaughtWithAWitnessInsideBoth() throws {
        let run = CheckRun.perform(specPath: TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), options: CheckOptions(), selection: nil)
        guard case .checked(_, _, let results) = run.result else {
            Issue.record("expected the broken spec to be checked, got \(run.result)")
            return
        }
        #expect(run.exitStatus == .violated)
        let disjoint = try #require(results.first { $0.property == .loadDisjoint })
        guard case .violated(let violations) = disjoint.verdict else {
            Issue.record("load-disjoint should be violated, got \(disjoint.verdict)")
            return
        }
        let kernel = AddressRange(uncheckedBase: MachineAddress(0x4400_0000), size: 6 << 20)
        let pool = AddressRange(uncheckedBase: MachineAddress(0x4410_0000), size: 4 << 20)
        let kernelVsPool = try #require(violations.first { v in
            Set(v.regions.map(\.origin.path)) == ["/boot_modules/2", "/domains/0/p2m_pool"]
        })
        let witness = try #require(kernelVsPool.machineWitnesses.first)
        #expect(kernel.contains(witness) && pool.contains(witness))
        #expect(Set(kernelVsPool.regions.map(\.name)) == ["dom0-kernel", "p2m pool of dom0"])
        // Page-table pages written into the kernel are reported too (outside no pool here: the
        // pool itself is inside the kernel, so tables inside the pool are covered by this pair).
        // The other properties still hold: the tables translate correctly.
        for id in [PropertyID.s2Injective, .identity] {
            #expect(results.first { $0.property == id }?.verdict == .proved)
        }
    }

    @Test func malformedSpecNamesTheJSONPath() throws {
        let path = try TestSupport.arndaleVariant(replacing: "\"base\": \"0x12c20000\"", with: "\"base\": \"0x12c2zz00\"")
        let run = CheckRun.perform(specPath: path, options: CheckOptions(), selection: nil)
        guard case .badInput(let problem) = run.result else {
            Issue.record("expected bad input, got \(run.result)")
            return
        }
        #expect(problem.message.contains("/devices/") && problem.message.contains("/base: "))
        #expect(problem.message.contains("0x12c2zz00"))
        // The parts, for programs: the pointer, the position of the value in the file, the reason alone.
        #expect(problem.jsonPath?.hasPrefix("/devices/") == true && problem.jsonPath?.hasSuffix("/base") == true)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(problem.line)
        let column = try #require(problem.column)
        #expect(lines[line - 1].dropFirst(column - 1).hasPrefix("\"0x12c2zz00\""))
        #expect(problem.reason.contains("0x12c2zz00") && !problem.reason.contains("/base"))
        #expect(run.exitStatus == .badInput)
    }

    @Test func dom0LargerThanRAMFailsTheBuild() throws {
        let path = try TestSupport.arndaleVariant(replacing: "\"memory\": \"512M\"", with: "\"memory\": \"3G\"")
        let run = CheckRun.perform(specPath: path, options: CheckOptions(), selection: nil)
        guard case .buildFailed(let error, _) = run.result else {
            Issue.record("expected a build failure, got \(run.result)")
            return
        }
        #expect(error.description.contains("dom0"))
        #expect(run.exitStatus == .violated)
    }
}
