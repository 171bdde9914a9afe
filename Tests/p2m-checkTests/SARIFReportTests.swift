import Foundation
import Invariants
import Testing
@testable import p2m_check

/// `--format sarif`: the SARIF 2.1.0 shape code-scanning tools read, parsed back.
struct SARIFReportTests {
    private func sarif(_ arguments: [String]) throws -> (status: Int32, run: [String: Any]) {
        let r = try TestSupport.run(arguments + ["--format", "sarif"])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return (r.status, runs[0])
    }

    private func rules(_ run: [String: Any]) throws -> [[String: Any]] {
        let tool = try #require(run["tool"] as? [String: Any])
        let driver = try #require(tool["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "p2m-check")
        return try #require(driver["rules"] as? [[String: Any]])
    }

    private func region(_ location: [String: Any]) throws -> (uri: String, line: Int?, column: Int?) {
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        let artifact = try #require(physical["artifactLocation"] as? [String: Any])
        let region = physical["region"] as? [String: Any]
        return (try #require(artifact["uri"] as? String), region?["startLine"] as? Int, region?["startColumn"] as? Int)
    }

    @Test func brokenSpecGivesOneResultAtTheOffendingEntries() throws {
        // A relative path, as pre-commit and CI pass it, so the uri is relative to the repository.
        let relative = "specs/broken/arndale-pt-in-kernel.json"
        let r = try TestSupport.run([relative, "--format", "sarif"], in: TestSupport.repositoryRoot.path)
        #expect(r.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try rules(run)
        #expect(rules.compactMap { $0["id"] as? String } == PropertyID.allCases.map(\.rawValue) + ["build-failed"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let result = try #require(results.first)
        #expect(result["ruleId"] as? String == "load-disjoint")
        #expect(result["level"] as? String == "error")
        let index = try #require(result["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "load-disjoint")
        let message = try #require((result["message"] as? [String: Any])?["text"] as? String)
        #expect(message.contains("dom0-kernel") && message.contains("p2m pool of dom0") && message.contains("0x44100000"))
        // The kernel module entry, then the pool entry, with the lines the spec has them on.
        let primary = try region(try #require((result["locations"] as? [[String: Any]])?.first))
        #expect(primary.uri == relative)
        #expect(primary.line == 392 && primary.column == 5)
        let related = try #require(result["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
        let pool = try region(related[0])
        #expect(pool.uri == relative)
        #expect(pool.line == 406 && pool.column == 19)
        #expect(related[0]["id"] as? Int == 1)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == true)
        #expect(invocation["exitCode"] as? Int == 1)
    }

    @Test func goodSpecHasNoResults() throws {
        let (status, run) = try sarif([TestSupport.spec("specs/arndale.json")])
        #expect(status == 0)
        #expect((run["results"] as? [Any])?.isEmpty == true)
        #expect(try rules(run).count == PropertyID.allCases.count + 1)
        let artifact = try #require((run["artifacts"] as? [[String: Any]])?.first?["location"] as? [String: Any])
        #expect((artifact["uri"] as? String)?.hasPrefix("file:///") == true)
    }

    @Test func badSpecIsAFailedInvocationAtItsLineAndColumn() throws {
        let path = try TestSupport.temporarySpec("{\n  \"format\": \"p2m-check/v1\",\n  \"board\": 3\n}\n")
        let (status, run) = try sarif([path])
        #expect(status == 2)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        let note = try #require((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
        #expect(((note["message"] as? [String: Any])?["text"] as? String)?.contains("/board") == true)
        let place = try region(try #require((note["locations"] as? [[String: Any]])?.first))
        #expect(place.line == 3)
        #expect(place.column != nil)
    }

    @Test func buildFailureIsAResultOfItsOwnRule() throws {
        let path = try TestSupport.arndaleVariant(replacing: "\"memory\": \"512M\"", with: "\"memory\": \"3G\"")
        let (status, run) = try sarif([path])
        #expect(status == 1)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["build-failed"])
    }

    @Test func urisArePercentEncodedAndRelativePathsStayRelative() {
        #expect(SARIFReport.uri("./specs/my board.json") == "specs/my%20board.json")
        #expect(SARIFReport.uri("/tmp/a#b.json") == "file:///tmp/a%23b.json")
    }

    @Test func anUnprovedPropertyIsAnOpenWarningNeverAPass() throws {
        var outcome = CheckRun.perform(specPath: "specs/arndale.json", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: TestSupport.spec("specs/arndale.json")))),
                                       options: .init(), selection: nil)
        guard case .checked(let spec, let facts, var results) = outcome.result else {
            Issue.record("expected a checked system")
            return
        }
        results[1].verdict = .unknown(reason: "Z3 timeout after 30000 ms")
        outcome.result = .checked(spec: spec, facts: facts, results: results)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(SARIFReport(outcomes: [outcome]).render().utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let only = try #require(run["results"] as? [[String: Any]])
        #expect(only.count == 1)
        #expect(only.first?["ruleId"] as? String == "load-in-ram")
        #expect(only.first?["level"] as? String == "warning" && only.first?["kind"] as? String == "open")
        #expect((run["invocations"] as? [[String: Any]])?.first?["exitCode"] as? Int == 3)
    }
}
