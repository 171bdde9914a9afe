import ArgumentParser
import Foundation
import Invariants
import Stage2Decoder

/// `swift run -c release p2m-bench`: the performance benchmark of p2m-check
/// (docs/performance.md). Each measurement runs in a child process of its
/// own so that peak memory is per size.
@main
struct P2MBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2m-bench",
        abstract: "Times the full check on seeded layouts of 10^3..10^6 leaves and regions against the pairwise Z3 encoding and a Swift sort-and-sweep.")

    @Option(help: "Layout sizes (leaf mappings, and about as many load regions), comma separated.")
    var sizes: String = "1000,10000,100000,1000000"

    @Option(help: "Seed of the layout generator.")
    var seed: UInt64 = 1

    @Option(help: "Seconds the pairwise encoding may take at one size; larger sizes are then not tried.")
    var pairwiseBudget: Int = 60

    @Option(help: "Properties the full check runs at once (p2m-check's --jobs). Default: the number of processors.")
    var jobs: Int = CheckOptions.processorCount

    @Option(help: .hidden)
    var worker: String?

    @Option(help: .hidden)
    var size: Int = 0

    @Option(help: "With --worker full: only these properties (comma separated ids), e.g. to time the linear ones alone.")
    var properties: String?

    mutating func run() throws {
        if let worker {
            if worker == "z3cost" {
                // Not a RESULT line: a report of its own (docs/performance.md, "Z3 term cost").
                try Z3Cost.report(obligations: size > 1 ? size : 100_000)
                return
            }
            let selection = try properties.map { list in
                Set(try list.split(separator: ",").map { id in
                    guard let property = PropertyID(rawValue: id.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--properties: unknown property id '\(id)'")
                    }
                    return property
                })
            }
            let line = worker == "pairwise"
                ? try Worker.pairwise(size: size, seed: seed, timeoutSeconds: pairwiseBudget)
                : try Worker.full(size: size, seed: seed, jobs: jobs, selection: selection)
            print("RESULT " + line)
            return
        }
        let list = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 1 }.sorted()
        guard !list.isEmpty else { throw ValidationError("--sizes needs at least one size above 1") }
        var rows: [BenchRow] = []
        var pairwiseGaveUp = false
        for n in list {
            FileHandle.standardError.write("p2m-bench: size \(n): full check and sort-and-sweep\n".data(using: .utf8)!)
            guard let full = ChildRun.run(["--worker", "full", "--size", "\(n)", "--seed", "\(seed)", "--jobs", "\(jobs)"], wallSeconds: 600) else {
                throw ValidationError("the full-check worker failed or ran over 600 s at size \(n)")
            }
            var row = BenchRow(full)
            if !pairwiseGaveUp {
                FileHandle.standardError.write("p2m-bench: size \(n): pairwise encoding (budget \(pairwiseBudget) s)\n".data(using: .utf8)!)
                let args = ["--worker", "pairwise", "--size", "\(n)", "--seed", "\(seed)", "--pairwise-budget", "\(pairwiseBudget)"]
                if let pairwise = ChildRun.run(args, wallSeconds: Double(pairwiseBudget)), let t = pairwise["pairwise"].flatMap(Double.init),
                   pairwise["pairwiseholds"] != "unknown", t <= Double(pairwiseBudget) {
                    row.pairwiseSeconds = t
                    row.pairwiseHolds = pairwise["pairwiseholds"]
                } else {
                    pairwiseGaveUp = true
                }
            }
            row.pairwiseOverBudget = row.pairwiseSeconds == nil ? Double(pairwiseBudget) : nil
            rows.append(row)
        }
        var table = BenchTable(rows: rows, seed: seed, pairwiseBudget: pairwiseBudget)
        // The alias-freedom target is about a run that proves only that: s2-injective alone, in a
        // worker of its own (in the full check it shares the processors with the other properties).
        if list.contains(1_000_000) {
            FileHandle.standardError.write("p2m-bench: size 1000000: s2-injective alone\n".data(using: .utf8)!)
            let args = ["--worker", "full", "--size", "1000000", "--seed", "\(seed)", "--jobs", "\(jobs)", "--properties", "s2-injective"]
            table.aliasOnly = ChildRun.run(args, wallSeconds: 600).map(BenchRow.init)
        }
        print(table.render())
        // A layout that is not proved, or a reference that disagrees, is a bug, not a slow run.
        if !table.consistent { throw ExitCode(1) }
    }
}
