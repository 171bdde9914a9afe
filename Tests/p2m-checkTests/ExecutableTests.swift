import Foundation
import Testing

/// Runs the real binary: exit codes and output streams as a user sees them.
struct ExecutableTests {
    @Test func arndaleExitsZero() throws {
        let r = try TestSupport.run([TestSupport.spec("specs/arndale.json")])
        #expect(r.status == 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)")
        #expect(r.stdout.contains("12 proved, 0 violated, 0 unknown"))
    }

    @Test func brokenSpecExitsOneWithWitness() throws {
        let r = try TestSupport.run([TestSupport.spec("specs/broken/arndale-pt-in-kernel.json")])
        #expect(r.status == 1)
        #expect(r.stdout.contains("VIOLATED  load-disjoint"))
        #expect(r.stdout.contains("/boot_modules/2"))
        #expect(r.stdout.contains("/domains/0/p2m_pool"))
        #expect(r.stdout.contains("witness: machine 0x44"))
    }

    @Test func malformedSpecExitsTwoOnStderr() throws {
        let path = try TestSupport.temporarySpec("{\"format\": \"p2m-check/v1\", \"board\": 3}")
        let r = try TestSupport.run([path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/board: "))
        #expect(r.stdout.isEmpty)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try TestSupport.run([]).status == 2)
        #expect(try TestSupport.run([TestSupport.spec("specs/arndale.json"), "--format", "xml"]).status == 2)
        #expect(try TestSupport.run([TestSupport.spec("specs/arndale.json"), "--property", "no-such"]).status == 2)
        #expect(try TestSupport.run(["/nonexistent/spec.json"]).status == 2)
        #expect(try TestSupport.run(["--help"]).status == 0)
    }

    @Test func jsonReportIsParseableAndCarriesWitnesses() throws {
        let r = try TestSupport.run([TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), "--format", "json"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "p2m-check-report/v1")
        #expect(object["exit_code"] as? Int == 1)
        let properties = try #require(object["properties"] as? [[String: Any]])
        let disjoint = try #require(properties.first { $0["id"] as? String == "load-disjoint" })
        #expect(disjoint["verdict"] as? String == "violated")
        let violations = try #require(disjoint["violations"] as? [[String: Any]])
        let regions = try #require(violations.first?["regions"] as? [[String: Any]])
        #expect(regions.allSatisfy { ($0["json_path"] as? String)?.hasPrefix("/") == true })
        #expect(regions.allSatisfy { $0["line"] as? Int != nil })
    }
}
