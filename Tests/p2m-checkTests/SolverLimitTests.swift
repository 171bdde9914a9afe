import Foundation
import Testing

/// Solver limits from the command line: a query Z3 does not answer within
/// them is reported unknown with exit 3, never proved.
struct SolverLimitTests {
    static let arndale = TestSupport.spec("specs/arndale.json")

    /// The verdict words of the text report, one per property line.
    static func verdicts(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard line.hasPrefix("  "), let first = words.first, ["proved", "VIOLATED", "unknown"].contains(String(first)) else { return nil }
            return String(first)
        }
    }

    @Test func aTinyResourceLimitIsUnknownNotProved() throws {
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "1"], deadline: 60)
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(Self.verdicts(r.stdout) == ["unknown", "unknown", "unknown", "unknown"])
        #expect(r.stdout.contains("resource limit"))
        #expect(r.stdout.contains("0 proved, 0 violated, 4 unknown"))
    }

    @Test func unknownIsUnknownInTheJSONReportToo() throws {
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "1", "--format", "json"], deadline: 60)
        #expect(r.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 3)
        let properties = try #require(object["properties"] as? [[String: Any]])
        #expect(properties.count == 4)
        #expect(properties.allSatisfy { $0["verdict"] as? String == "unknown" })
        #expect(properties.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test func aGenerousResourceLimitStillProves() throws {
        // The limit is per query: one big enough for each query proves everything.
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "50000000"], deadline: 60)
        #expect(r.status == 0, "stdout: \(r.stdout)")
        #expect(Self.verdicts(r.stdout) == ["proved", "proved", "proved", "proved"])
    }

    @Test func aTinyMemoryLimitIsUnknownNotAnAbort() throws {
        let r = try BoundedProcess.run([Self.arndale, "--memory-limit", "1"], deadline: 60)
        #expect(!r.crashed, "stderr: \(r.stderr)")
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(!Self.verdicts(r.stdout).contains("proved"))
        #expect(Self.verdicts(r.stdout).count == 4)
    }

    @Test func z3OutOfMemoryIsATypedErrorAndUnknown() throws {
        // 25 MB is enough for Z3 to start but not to finish the Arndale queries
        // (Z3 4.8.12): the failures come back as "out of memory", not an abort.
        let r = try BoundedProcess.run([Self.arndale, "--memory-limit", "25"], deadline: 60)
        #expect(!r.crashed, "stderr: \(r.stderr)")
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(Self.verdicts(r.stdout) == ["unknown", "unknown", "unknown", "unknown"])
        #expect(r.stdout.contains("out of memory"))
    }

    @Test func badLimitsAreUsageErrors() throws {
        for arguments in [["--rlimit", "0"], ["--rlimit", "-5"], ["--rlimit", "many"], ["--memory-limit", "0"], ["--timeout", "0"], ["--timeout", "-1"], ["--timeout", "nan"]] {
            let r = try BoundedProcess.run([Self.arndale] + arguments, deadline: 30)
            #expect(r.status == 2, "\(arguments): exit \(r.status)")
            #expect(!r.stderr.isEmpty)
        }
    }
}
