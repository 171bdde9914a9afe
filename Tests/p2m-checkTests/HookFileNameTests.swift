import Foundation
import Testing
@testable import p2m_check

/// The pre-commit hook with every name git can stage: a newline, a byte that
/// is not UTF-8; the default filter skips *.expect.json; and the README's CI
/// command passes on this repository (with its baseline).
struct HookFileNameTests {
    private func installed() throws -> HookTests.Repository {
        let repo = try HookTests.Repository()
        let r = try repo.p2mCheck(["install-hook", "--executable", TestSupport.executable.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        return repo
    }

    /// Runs a shell command in the repository (for names a Swift String cannot carry).
    private func shell(_ repo: HookTests.Repository, _ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.run(["-c", script], executable: URL(fileURLWithPath: "/bin/sh"), environment: repo.environment, in: repo.path)
    }

    @Test func aBrokenSpecWithANewlineInItsNameIsBlocked() throws {
        let repo = try installed()
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "specs/nl\nname.json")
        try repo.git(["add", "--", "specs/nl\nname.json"])
        let blocked = try repo.git(["commit", "-q", "-m", "broken board, odd name"])
        #expect(blocked.status != 0, "the commit went through: \(blocked.stdout)\(blocked.stderr)")
        #expect(repo.commitCount == 0)
        let said = blocked.stdout + blocked.stderr
        #expect(said.contains("VIOLATED  load-disjoint"))
        #expect(said.contains(#"specs/nl\u000aname.json"#), "\(said)")
        #expect(said.contains("commit blocked"))
    }

    @Test func aBrokenSpecWhoseNameIsNotUTF8IsBlocked() throws {
        let repo = try installed()
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "source.json")
        let staged = try shell(repo, "f=$(printf 'specs/x\\377.json'); cp source.json \"$f\" && git add -- \"$f\"")
        #expect(staged.status == 0, "\(staged.stderr)")
        let blocked = try repo.git(["commit", "-q", "-m", "broken board, non-UTF-8 name"])
        #expect(blocked.status != 0)
        #expect(repo.commitCount == 0)
        let said = blocked.stdout + blocked.stderr
        #expect(said.contains("VIOLATED  load-disjoint"), "\(said)")
        #expect(said.contains(#"specs/x\xff.json"#) || said.contains("specs/x\u{FFFD}.json"), "\(said)")
    }

    @Test func expectedFindingsAreNotSpecsToProve() throws {
        let repo = try installed()
        try repo.put("specs/rpi4.expect.json", at: "specs/board.expect.json")
        try repo.put("specs/arndale.json", at: "specs/board.json")
        try repo.git(["add", "specs"])
        let r = try repo.git(["commit", "-q", "-m", "a board and its expected finding"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(repo.commitCount == 1)
        #expect(SpecFilter.defaultExclude.contains(#"\.expect\.json$"#))
    }

    @Test func explicitFilesTheExcludeMatchesAreSkippedAndListed() throws {
        let r = try TestSupport.run(["hook", "specs/arndale.json", "specs/schema.json", "./specs/rpi4.expect.json"], in: TestSupport.repositoryRoot.path)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("p2m-check: skipped (--exclude "), "\(r.stdout)")
        #expect(r.stdout.contains("specs/schema.json, ./specs/rpi4.expect.json"))
        let all = try TestSupport.run(["hook", "--exclude", "", "specs/schema.json"], in: TestSupport.repositoryRoot.path)
        #expect(all.status == 2, "with --exclude '' the schema is checked, and is not a spec")
    }

    /// The README's CI example, as written there, on this repository: exit 0,
    /// the Raspberry Pi 4 finding printed as known and suppressed in the SARIF log.
    @Test func theReadmeCIExamplePassesOnThisRepository() throws {
        let readme = try String(contentsOfFile: TestSupport.spec("README.md"), encoding: .utf8)
        let command = "p2m-check hook specs/*.json --baseline p2m-baseline.json --sarif p2m.sarif"
        #expect(readme.contains(command), "the README shows the CI command this test runs")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-ci-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = "cd \(InstallHookCommand.quote(TestSupport.repositoryRoot.path)) && exec \(InstallHookCommand.quote(TestSupport.executable.path)) hook specs/*.json --baseline p2m-baseline.json --sarif \(InstallHookCommand.quote(dir + "/p2m.sarif"))"
        let r = try TestSupport.run(["-c", script], executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("known     dt-consistent"))
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/p2m.sarif"))) as? [String: Any])
        let results = try #require(((log["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        #expect(results.count == 2 && results.allSatisfy { ($0["suppressions"] as? [[String: Any]])?.first?["status"] as? String == "accepted" })
    }
}

extension HookFileNameTests {
    @Test func aStagedSymbolicLinkIsCheckedThroughItsTarget() throws {
        let repo = try installed()
        try FileManager.default.createDirectory(atPath: repo.path + "/elsewhere", withIntermediateDirectories: true)
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "elsewhere/board.json")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/specs/board.json", withDestinationPath: "../elsewhere/board.json")
        try repo.git(["add", "specs/board.json", "elsewhere/board.json"])
        let blocked = try repo.git(["commit", "-q", "-m", "a link to a broken spec"])
        #expect(blocked.status != 0, "\(blocked.stdout)\(blocked.stderr)")
        #expect((blocked.stdout + blocked.stderr).contains("VIOLATED  load-disjoint"))
        #expect(repo.commitCount == 0)
    }
}
