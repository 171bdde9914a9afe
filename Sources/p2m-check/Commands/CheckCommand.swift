import ArgumentParser
import Foundation
import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel

/// `p2m-check [check] <spec>`: build, decode, prove, report.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a board spec (the default command)."
    )

    @Argument(help: "The board spec (JSON, format p2m-check/v1).")
    var spec: String

    @Option(help: "Output format: text, json or sarif.")
    var format: ReportFormat = .text

    @Option(help: "Z3 timeout per query, in seconds; a query that hits it is unknown (exit 3), never proved.")
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Z3 resource limit per query (Z3's deterministic rlimit units); a query that hits it is unknown (exit 3). Default: none.", valueName: "units"))
    var rlimit: UInt32?

    @Option(help: ArgumentHelp("Cap on the memory Z3 may use, in MB; a query that needs more is unknown (exit 3). Default: none.", valueName: "MB"))
    var memoryLimit: UInt32?

    @Option(name: .customLong("property"), help: "Check only this property (repeatable). Default: all.")
    var properties: [String] = []

    @Option(help: "Counterexamples to report per property.")
    var maxViolations: Int = 8

    @Option(help: "Properties checked at once, each on a thread of its own (verdicts do not depend on it). Default: the number of processors.")
    var jobs: Int = CheckOptions.processorCount

    @Flag(help: "Also print the machine memory map with the free RAM that is left.")
    var layout = false

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
        if let memoryLimit, memoryLimit == 0 { throw ValidationError("--memory-limit must be at least 1 MB (omit it for no limit)") }
        if let rlimit, rlimit == 0 { throw ValidationError("--rlimit must be at least 1 (omit it for no limit)") }
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        guard maxViolations >= 1 else { throw ValidationError("--max-violations must be at least 1") }
        for p in properties where PropertyID(rawValue: p) == nil {
            throw ValidationError("unknown property \"\(p)\"; expected one of \(PropertyID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        if let memoryLimit { Z3Context.setMemoryLimit(megabytes: memoryLimit) }
        let outcome = CheckRun.perform(
            specPath: spec,
            options: CheckOptions(timeoutMilliseconds: UInt32(max(1, min(timeout * 1000, Double(UInt32.max)))), resourceLimit: rlimit, maximumViolations: maxViolations, concurrency: jobs),
            selection: properties.isEmpty ? nil : Set(properties.compactMap(PropertyID.init(rawValue:))))
        let rendered: String
        switch format {
        case .text: rendered = TextReport(outcome: outcome, colour: Terminal.wantsColour, showLayout: layout).render()
        case .json: rendered = JSONReport(outcome: outcome).render()
        case .sarif: rendered = SARIFReport(outcomes: [outcome]).render()
        }
        if case .badInput = outcome.result, format == .text {
            FileHandle.standardError.write(Data(rendered.utf8))
        } else {
            print(rendered, terminator: "")
        }
        throw ExitCode(outcome.exitStatus.rawValue)
    }
}
