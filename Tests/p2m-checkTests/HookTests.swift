import Foundation
import Invariants
import Testing
@testable import p2m_check

/// The pre-commit hook in a real, temporary git repository: a commit of a
/// broken spec is refused, a good one goes through, and the staged content
/// (not the working-tree file) is what gets checked.
struct HookTests {
    /// A scratch git repository with an isolated environment (no user or system git config).
    struct Repository {
        let path: String
        let environment: [String: String]

        init() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-hook-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("specs/broken"), withIntermediateDirectories: true)
            path = dir.path
            environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HOME": path, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
                "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
            ]
            let r = try git(["init", "-q", "."])
            precondition(r.status == 0, r.stderr)
        }

        @discardableResult
        func git(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try TestSupport.run(["git"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"), environment: environment, in: path)
        }

        func p2mCheck(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try TestSupport.run(arguments, environment: environment, in: path)
        }

        /// Copies a spec of this repository into the scratch repository.
        func put(_ spec: String, at relative: String) throws {
            let target = URL(fileURLWithPath: path).appendingPathComponent(relative)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(atPath: TestSupport.spec(spec), toPath: target.path)
        }

        var commitCount: Int {
            let r = try? git(["rev-list", "--count", "HEAD"])
            return r?.status == 0 ? Int(r!.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
        }
    }

    private func installedRepository() throws -> Repository {
        let repo = try Repository()
        let r = try repo.p2mCheck(["install-hook", "--executable", TestSupport.executable.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let hook = try String(contentsOfFile: repo.path + "/.git/hooks/pre-commit", encoding: .utf8)
        #expect(hook.hasPrefix("#!/bin/sh\n") && hook.contains(InstallHookCommand.marker))
        #expect(hook.contains("P2M_CHECK='\(TestSupport.executable.path)'"))
        return repo
    }

    @Test func brokenSpecIsBlockedAndGoodSpecIsCommitted() throws {
        let repo = try installedRepository()
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "specs/board.json")
        try repo.git(["add", "specs/board.json"])
        let blocked = try repo.git(["commit", "-q", "-m", "broken board"])
        #expect(blocked.status != 0)
        #expect(repo.commitCount == 0)
        let said = blocked.stdout + blocked.stderr
        #expect(said.contains("VIOLATED  load-disjoint"))
        #expect(said.contains("specs/board.json"))
        #expect(said.contains("commit blocked"))

        try repo.put("specs/arndale.json", at: "specs/board.json")
        try repo.git(["add", "specs/board.json"])
        let accepted = try repo.git(["commit", "-q", "-m", "good board"])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(repo.commitCount == 1)
    }

    @Test func theStagedContentIsCheckedNotTheWorkingTree() throws {
        let repo = try installedRepository()
        // Broken in the index, good on disk: blocked.
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "specs/board.json")
        try repo.git(["add", "specs/board.json"])
        try repo.put("specs/arndale.json", at: "specs/board.json")
        #expect(try repo.git(["commit", "-q", "-m", "x"]).status != 0)
        #expect(repo.commitCount == 0)
        // Good in the index, broken on disk: committed.
        try repo.git(["add", "specs/board.json"])
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "specs/board.json")
        #expect(try repo.git(["commit", "-q", "-m", "y"]).status == 0)
        #expect(repo.commitCount == 1)
    }

    @Test func specsBrokenOnPurposeAreExcludedByDefault() throws {
        let repo = try installedRepository()
        try repo.put("specs/broken/arndale-pt-in-kernel.json", at: "specs/broken/known-bad.json")
        try repo.put("specs/schema.json", at: "specs/schema.json")
        try repo.git(["add", "specs"])
        let r = try repo.git(["commit", "-q", "-m", "known-bad example"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(repo.commitCount == 1)
    }

    @Test func anExistingForeignHookIsKeptUnlessForced() throws {
        let repo = try Repository()
        let hook = repo.path + "/.git/hooks/pre-commit"
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/hooks", withIntermediateDirectories: true)
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: hook))
        let refused = try repo.p2mCheck(["install-hook", "--executable", TestSupport.executable.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\nexit 0\n")
        #expect(try repo.p2mCheck(["install-hook", "--force", "--executable", TestSupport.executable.path]).status == 0)
        #expect(try String(contentsOfFile: hook, encoding: .utf8).contains(InstallHookCommand.marker))
    }

    @Test func outsideARepositoryOrWithABadPatternIsAUsageError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin", "GIT_CEILING_DIRECTORIES": dir.deletingLastPathComponent().path]
        #expect(try TestSupport.run(["install-hook"], environment: env, in: dir.path).status == 2)
        #expect(try TestSupport.run(["hook", "--staged", "--include", "(["]).status == 2)
    }

    /// What the pre-commit framework does: run `entry` with the changed files that match `files` and not `exclude`.
    @Test func preCommitFrameworkManifestRunsTheHookOnChangedSpecs() throws {
        let manifest = try String(contentsOfFile: TestSupport.spec(".pre-commit-hooks.yaml"), encoding: .utf8)
        func value(_ key: String) -> String? {
            manifest.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix(key + ": ") || $0.hasPrefix("- " + key + ": ") }
                .map { String($0[$0.range(of: key + ": ")!.upperBound...]) }
        }
        #expect(value("id") == "p2m-check")
        #expect(value("language") == "swift")
        #expect(value("entry") == "p2m-check hook")
        let files = try Regex(try #require(value("files")))
        let exclude = try Regex(try #require(value("exclude")))
        let changed = ["specs/arndale.json", "specs/broken/arndale-pt-in-kernel.json", "specs/schema.json", "README.md"]
        let selected = changed.filter { $0.contains(files) && !$0.contains(exclude) }
        #expect(selected == ["specs/arndale.json"])
        let good = try TestSupport.run(["hook"] + selected.map(TestSupport.spec))
        #expect(good.status == 0)
        #expect(good.stdout.contains("\(PropertyID.allCases.count) properties proved"))
        let bad = try TestSupport.run(["hook", TestSupport.spec("specs/arndale.json"), TestSupport.spec("specs/broken/arndale-pt-in-kernel.json")])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("1 of 2 specs not proved"))
    }

    @Test func oneSARIFLogForEverySpecChecked() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-hook-\(UUID().uuidString).sarif")
        let specs = ["specs/arndale.json", "specs/broken/arndale-pt-in-kernel.json"]
        // --exclude '': the broken spec is checked although the default exclude skips specs/broken/.
        let r = try TestSupport.run(["hook", "--exclude", "", "--sarif", out.path] + specs, in: TestSupport.repositoryRoot.path)
        #expect(r.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let artifacts = (run["artifacts"] as? [[String: Any]])?.compactMap { ($0["location"] as? [String: Any])?["uri"] as? String }
        #expect(artifacts == specs)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["load-disjoint"])
        let uri = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uri == "specs/broken/arndale-pt-in-kernel.json")
    }
}
