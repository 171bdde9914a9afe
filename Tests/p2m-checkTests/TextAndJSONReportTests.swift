import Foundation
import Invariants
import Testing
@testable import p2m_check

/// The text report's explanations and colour rules, and the JSON report on a good spec.
struct TextAndJSONReportTests {
    @Test func violationsCarryAnExplanationAndProvedPropertiesDoNot() throws {
        let broken = try TestSupport.run([TestSupport.spec("specs/broken/arndale-pt-in-kernel.json")])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("      why: two things the hypervisor keeps in machine memory at boot share bytes"))
        #expect(broken.stdout.contains("      more: p2m-check explain load-disjoint"))
        let good = try TestSupport.run([TestSupport.spec("specs/arndale.json")])
        #expect(good.status == 0)
        #expect(!good.stdout.contains("why:"))
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let spec = TestSupport.spec("specs/broken/arndale-pt-in-kernel.json")
        // A pipe is not a terminal: no escape codes even without NO_COLOR.
        let piped = try TestSupport.run([spec], environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"])
        #expect(piped.status == 1)
        #expect(!piped.stdout.contains("\u{1B}["))
        // The report itself paints verdicts when asked to.
        let outcome = CheckRun.perform(specPath: spec, options: .init(), selection: nil)
        #expect(TextReport(outcome: outcome, colour: true, showLayout: false).render().contains("\u{1B}[1;31mVIOLATED\u{1B}[0m"))
        #expect(!TextReport(outcome: outcome, colour: false, showLayout: false).render().contains("\u{1B}["))
    }

    @Test func jsonOnAGoodSpecHasEveryVerdictAndTiming() throws {
        let r = try TestSupport.run([TestSupport.spec("specs/arndale.json"), "--format", "json"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "checked")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["proved": PropertyID.allCases.count, "violated": 0, "unknown": 0])
        let properties = try #require(object["properties"] as? [[String: Any]])
        #expect(properties.count == PropertyID.allCases.count)
        // Every property was proved and timed; only a property with nothing to prove on a single-domain
        // board (isolation) issues no query.
        #expect(properties.allSatisfy { $0["verdict"] as? String == "proved" && ($0["seconds"] as? Double ?? -1) >= 0 })
        #expect(properties.allSatisfy { ($0["queries"] as? Int ?? 0) >= 1 || $0["id"] as? String == "isolation" })
        #expect(properties.allSatisfy { $0["violations"] == nil })
    }

    @Test func jsonOnABadSpecNamesThePath() throws {
        let path = try TestSupport.temporarySpec("{\"format\": \"p2m-check/v1\", \"board\": 3}")
        let r = try TestSupport.run([path, "--format", "json"])
        #expect(r.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "bad-input")
        #expect(object["exit_code"] as? Int == 2)
        #expect((object["error"] as? String)?.contains("/board") == true)
    }
}
