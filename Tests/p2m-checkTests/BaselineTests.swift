import Foundation
import Testing
@testable import p2m_check

/// `--baseline`: a known finding stays visible but does not fail; anything
/// else still fails; a stale entry is pointed out; a bad baseline is exit 2
/// at its line and column. Through the built executable, from the repository root.
struct BaselineTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.run(arguments, in: TestSupport.repositoryRoot.path)
    }

    private func baseline(_ text: String) throws -> String {
        let path = TestSupport.repositoryRoot.appendingPathComponent(".build/p2m-baseline-test-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theKnownRaspberryPiFindingIsPrintedAndDoesNotFail() throws {
        let without = try run(["specs/rpi4.json"])
        #expect(without.status == 1)
        let with = try run(["specs/rpi4.json", "--baseline", "p2m-baseline.json"])
        #expect(with.status == 0, "\(with.stdout)\(with.stderr)")
        #expect(with.stdout.contains("  known     dt-consistent"))
        #expect(with.stdout.contains("known (baseline p2m-baseline.json:4): real finding on the Raspberry Pi 4"))
        #expect(with.stdout.contains("witness: guest 0xfef02000") && with.stdout.contains("witness: guest 0xfef07000"), "the finding stays visible")
        #expect(with.stdout.hasSuffix("11 proved, 0 violated, 1 known (baseline), 0 unknown\n"))
        let quiet = try run(["specs/rpi4.json", "--baseline", "p2m-baseline.json", "--quiet"])
        #expect(quiet.status == 0 && quiet.stdout.contains("known     dt-consistent") && !quiet.stdout.contains("proved    "))
    }

    @Test func aFindingTheBaselineDoesNotListStillFails() throws {
        // Only the HDMI0 entry: the HDMI1 violation is new.
        let text = try String(contentsOfFile: TestSupport.spec("p2m-baseline.json"), encoding: .utf8)
        let cut = text.components(separatedBy: "    },\n    {")[0] + "    }\n  ]\n}\n"
        let path = try baseline(cut.replacingOccurrences(of: "\"specs/rpi4.json\"", with: "\"../specs/rpi4.json\""))
        let r = try run(["specs/rpi4.json", "--baseline", path])
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.contains("  VIOLATED  dt-consistent"))
        #expect(r.stdout.contains("11 proved, 1 violated, 0 known (baseline), 0 unknown"))
        // Another spec's violation is never accepted by an rpi4 entry.
        let other = try run(["specs/broken/arndale-pt-in-kernel.json", "--baseline", "p2m-baseline.json"])
        #expect(other.status == 1 && other.stdout.contains("VIOLATED  load-disjoint"))
    }

    @Test func anEntryThatNoLongerMatchesIsPointedOut() throws {
        let path = try baseline("""
            {"format": "p2m-check-baseline/v1", "known": [
              {"spec": "../specs/arndale.json", "property": "load-disjoint", "paths": ["/boot_modules/2"], "reason": "fixed long ago"}
            ]}
            """)
        let r = try run(["specs/arndale.json", "--baseline", path])
        #expect(r.status == 0)
        #expect(r.stderr.contains(":2: ../specs/arndale.json no longer has this load-disjoint finding; remove the entry"), "\(r.stderr)")
    }

    @Test(arguments: [
        (#"{"format": "p2m-check-baseline/v2", "known": []}"#, #":1:12: /format: "format" must be "p2m-check-baseline/v1""#),
        (#"{"format": "p2m-check-baseline/v1", "known": [{"spec": "a.json", "property": "no-such", "paths": ["/x"], "reason": "r"}]}"#,
         #":1:78: /known/0/property: unknown property "no-such"; expected one of load-disjoint"#),
        (#"{"format": "p2m-check-baseline/v1", "known": [{"spec": "a.json", "property": "identity", "paths": [], "reason": "r"}]}"#,
         "/known/0/paths: give the JSON paths of the finding's regions"),
        (#"{"format": "p2m-check-baseline/v1", "known": [{"spec": "a.json", "property": "identity", "paths": ["/x"]}]}"#,
         #"/known/0/reason: missing "reason""#),
        (#"{"format": "p2m-check-baseline/v1", "known": [], "extra": 1}"#, #"/extra: unknown field "extra"; expected one of format, known"#),
        ("{\"format\": ", ":1:12: /format: "),
    ])
    func aBadBaselineIsExitTwoAtItsPosition(_ text: String, _ message: String) throws {
        let path = try baseline(text)
        let r = try run(["specs/arndale.json", "--baseline", path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: baseline: \(path)"), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "nothing is checked with a bad baseline")
        let missing = try run(["specs/arndale.json", "--baseline", "no-such-baseline.json"])
        #expect(missing.status == 2 && missing.stderr == "error: baseline: no-such-baseline.json: no such file\n", "\(missing.stderr)")
    }

    /// The repository's baseline and the test corpus's expected finding for
    /// the Raspberry Pi 4 say the same thing: every spec with an
    /// `X.expect.json` in specs/ has baseline entries for that property that
    /// cover the expected paths, and every entry names such a spec.
    @Test func theBaselineAgreesWithTheExpectedFindings() throws {
        let baseline = try Baseline.load(CommandLinePath(TestSupport.spec("p2m-baseline.json")))
        let specs = try FileManager.default.contentsOfDirectory(atPath: TestSupport.spec("specs")).filter { $0.hasSuffix(".expect.json") }
        #expect(!specs.isEmpty)
        for expectFile in specs {
            let expect = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: TestSupport.spec("specs/" + expectFile)))) as? [String: Any])
            let spec = "specs/" + expectFile.replacingOccurrences(of: ".expect.json", with: ".json")
            let entries = baseline.entries.filter { $0.spec == spec && $0.property.rawValue == expect["property"] as? String }
            #expect(!entries.isEmpty, "\(spec): no baseline entry for its expected finding")
            let paths = Set((expect["paths"] as? [String]) ?? [])
            #expect(paths.isSubset(of: entries.reduce(Set<String>()) { $0.union($1.paths) }), "\(spec): \(paths)")
        }
        for entry in baseline.entries {
            #expect(specs.contains(URL(fileURLWithPath: entry.spec).lastPathComponent.replacingOccurrences(of: ".json", with: ".expect.json")),
                    "\(entry.spec): a baseline entry without an expected finding in the test corpus")
        }
    }

    @Test func jsonFormatRefusesABaseline() throws {
        let r = try run(["specs/rpi4.json", "--baseline", "p2m-baseline.json", "--format", "json"])
        #expect(r.status == 2 && r.stderr.contains("--baseline is not used with --format json"))
    }
}
