import BenchLayouts
import Glibc
import Hypervisor
import Invariants
import Stage2Decoder
import P2MModel

/// One measurement, run in its own process so that its peak memory is its own.
enum Worker {
    /// Peak resident set size of this process so far, in bytes (`getrusage`).
    static func peakMemoryBytes() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return UInt64(max(0, usage.ru_maxrss)) * 1024
    }

    /// CPU seconds this process has used so far (user + system).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds of the whole worker, by phase (what `timed` recorded).
    nonisolated(unsafe) static var cpu: [String: Double] = [:]

    /// Wall-clock seconds `body` takes; its CPU seconds go to `cpu[phase]`.
    static func seconds(_ phase: String = "", _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = cpuSeconds()
        try body()
        cpu[phase, default: 0] += cpuSeconds() - cpuStart
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Builds and decodes the layout of `size`, timing both.
    static func prepare(size: Int, seed: UInt64) throws -> (facts: SystemFacts, build: Double, decode: Double) {
        let layout = ServerLayout(size: size, seed: seed)
        var system: BuiltSystem?
        let build = try seconds("build") { system = try layout.build(layout.spec()) }
        var facts: SystemFacts?
        let decode = seconds("decode") { facts = SystemFacts(system: system!) }
        return (facts!, build, decode)
    }

    /// The full check of the layout (counting its terms, which is timed with
    /// it: the walk only makes the check look slower), then the sort-and-sweep
    /// reference on the same facts. One line of `key=value` fields.
    /// `selection` limits the check to those properties (all when nil).
    static func full(size: Int, seed: UInt64, jobs: Int, selection: Set<PropertyID>? = nil) throws -> String {
        let (facts, build, decode) = try prepare(size: size, seed: seed)
        var results: [PropertyResult] = []
        let check = seconds("check") { results = Checker.check(facts, options: CheckOptions(timeoutMilliseconds: 600_000, countTerms: true, concurrency: jobs), selection: selection) }
        let peak = peakMemoryBytes()
        let solve = results.reduce(0) { $0 + $1.solveSeconds }
        let alias = results.first { $0.property.rawValue == "s2-injective" }?.seconds ?? .nan
        // Like-for-like parts of the check for the two references: the properties each decides.
        func part(of ids: [String]) -> Double { results.filter { ids.contains($0.property.rawValue) }.reduce(0) { $0 + $1.seconds } }
        let sweepPart = part(of: ReferenceChecks.sweepProperties.map(\.rawValue))
        let pairwisePart = part(of: ReferenceChecks.pairwiseProperties.map(\.rawValue))
        let detail = results.map { "\($0.property.rawValue):\($0.seconds - $0.solveSeconds)/\($0.solveSeconds)" }.joined(separator: ",")
        let verdicts = results.map { "\($0.property.rawValue):\($0.verdict.name)" }.joined(separator: ",")
        var sweep: ReferenceChecks.Outcome?
        let sweepSeconds = seconds("sweep") { sweep = ReferenceChecks.sortAndSweep(facts) }
        let terms = results.reduce(0) { $0 + $1.termCount }
        let leaves = facts.domains.reduce(0) { $0 + $1.decoded.leaves.count }
        let runs = facts.domains.reduce(0) { $0 + $1.decoded.runs.count }
        return [
            "size=\(size)", "leaves=\(leaves)", "runs=\(runs)", "regions=\(facts.loadRegions.count)",
            "build=\(build)", "decode=\(decode)", "encode=\(check - solve)", "solve=\(solve)", "alias=\(alias)", "sweeppart=\(sweepPart)", "pairwisepart=\(pairwisePart)",
            "peak=\(peak)", "terms=\(terms)", "verdicts=\(verdicts)", "encode/solve=\(detail)",
            "sweep=\(sweepSeconds)", "cpubuild=\(cpu["build"] ?? 0)", "cpudecode=\(cpu["decode"] ?? 0)", "cpucheck=\(cpu["check"] ?? 0)", "cpusweep=\(cpu["sweep"] ?? 0)", "sweepholds=\(sweep?.holds.map { $0 ? "yes" : "no" } ?? "unknown")",
        ].joined(separator: " ")
    }

    /// The pairwise reference on the layout of `size`, with a Z3 timeout.
    static func pairwise(size: Int, seed: UInt64, timeoutSeconds: Int) throws -> String {
        let (facts, _, _) = try prepare(size: size, seed: seed)
        var outcome: ReferenceChecks.Outcome?
        let options = CheckOptions(timeoutMilliseconds: UInt32(timeoutSeconds * 1000), maximumViolations: 1)
        let time = try seconds("pairwise") { outcome = try ReferenceChecks.pairwise(facts, options: options) }
        return "size=\(size) pairwise=\(time) cpupairwise=\(cpu["pairwise"] ?? 0) pairwiseholds=\(outcome?.holds.map { $0 ? "yes" : "no" } ?? "unknown") peak=\(peakMemoryBytes())"
    }
}
