import Foundation
import Invariants
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

    /// Properties whose queries need search (not only Z3's simplifier): under a tiny limit they
    /// cannot be answered. The linear certificates (load-disjoint, s2-injective, identity, and on
    /// Arndale every query of hyp-private and dt-consistent) are ground or decided by the
    /// simplifier, so they may be decided within any limit, and then only because Z3 answered unsat.
    static let searching = ["load-in-ram", "attributes", "leaf-in-backing"]
    static var searchingArguments: [String] { searching.flatMap { ["--property", $0] } }

    /// Lines of the text report that say "proved".
    static func provedLines(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  proved") }
    }

    @Test func aTinyResourceLimitIsUnknownNotProved() throws {
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "1"] + Self.searchingArguments, deadline: 60)
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(Self.verdicts(r.stdout) == Array(repeating: "unknown", count: Self.searching.count))
        #expect(r.stdout.contains("resource limit"))
        #expect(r.stdout.contains("0 proved, 0 violated, \(Self.searching.count) unknown"))
        // The whole catalogue under the same limit: unknown overall, nothing violated, and none of
        // the searching properties proved.
        let all = try BoundedProcess.run([Self.arndale, "--rlimit", "1"], deadline: 60)
        #expect(all.status == 3)
        #expect(!Self.verdicts(all.stdout).contains("VIOLATED"))
        for line in Self.provedLines(all.stdout) {
            #expect(!Self.searching.contains { line.contains(" \($0) ") }, "\(line)")
        }
    }

    @Test func unknownIsUnknownInTheJSONReportToo() throws {
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "1", "--format", "json"] + Self.searchingArguments, deadline: 60)
        #expect(r.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["exit_code"] as? Int == 3)
        let properties = try #require(object["properties"] as? [[String: Any]])
        #expect(properties.count == Self.searching.count)
        #expect(properties.allSatisfy { $0["verdict"] as? String == "unknown" })
        #expect(properties.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test func aGenerousResourceLimitStillProves() throws {
        // The limit is per query: one big enough for each query proves everything.
        let r = try BoundedProcess.run([Self.arndale, "--rlimit", "50000000"], deadline: 60)
        #expect(r.status == 0, "stdout: \(r.stdout)")
        #expect(Self.verdicts(r.stdout) == Array(repeating: "proved", count: PropertyID.allCases.count))
    }

    @Test func aTinyMemoryLimitIsUnknownNotAnAbort() throws {
        let r = try BoundedProcess.run([Self.arndale, "--memory-limit", "1"], deadline: 60)
        #expect(!r.crashed, "stderr: \(r.stderr)")
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(Self.verdicts(r.stdout).count == PropertyID.allCases.count)
        // Only a property with nothing to ask Z3 (isolation on a one-domain board: 0 queries) proves.
        for line in Self.provedLines(r.stdout) { #expect(line.contains(" isolation ") && line.contains("[0 queries"), "\(line)") }
    }

    @Test func z3OutOfMemoryIsATypedErrorAndUnknown() throws {
        // 25 MB is enough for Z3 to start but not to finish the Arndale queries
        // (Z3 4.8.12): the failures come back as "out of memory", not an abort.
        let r = try BoundedProcess.run([Self.arndale, "--memory-limit", "25"], deadline: 60)
        #expect(!r.crashed, "stderr: \(r.stderr)")
        #expect(r.status == 3, "stdout: \(r.stdout) stderr: \(r.stderr)")
        #expect(!Self.verdicts(r.stdout).contains("VIOLATED"))
        for line in Self.provedLines(r.stdout) { #expect(line.contains(" isolation ") && line.contains("[0 queries"), "\(line)") }
        #expect(r.stdout.contains("out of memory") || r.stdout.contains("could not create a context"))
    }

    @Test func badLimitsAreUsageErrors() throws {
        for arguments in [["--rlimit", "0"], ["--rlimit", "-5"], ["--rlimit", "many"], ["--memory-limit", "0"], ["--timeout", "0"], ["--timeout", "-1"], ["--timeout", "nan"]] {
            let r = try BoundedProcess.run([Self.arndale] + arguments, deadline: 30)
            #expect(r.status == 2, "\(arguments): exit \(r.status)")
            #expect(!r.stderr.isEmpty)
        }
    }
}
