import ArgumentParser
import Foundation
import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import SpecFormat

/// `p2m-check [check] <spec>`: build, decode, prove, report.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a board spec (the default command).",
        discussion: """
            Examples:
              p2m-check specs/arndale.json            # exit 0: every property proved
              p2m-check specs/rpi4.json --property dt-consistent
              p2m-check specs/rpi4.json --baseline p2m-baseline.json   # known: exit 0
              p2m-check board.json --format sarif > board.sarif
              p2m-check board.json --layout           # and the memory map, free RAM
            """
    )

    @Argument(help: "The board spec (JSON, format p2m-check/v1).", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(help: "Output format: text, json or sarif.")
    var format: ReportFormat = .text

    // `.unconditional`: `--timeout -1` is a value (refused by `validate`), not an unknown option.
    @Option(parsing: .unconditional, help: "Z3 timeout per query, in seconds (more than 0, at most 86400); a query that hits it is unknown (exit 3), never proved.")
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Z3 resource limit per query (Z3's deterministic rlimit units); a query that hits it is unknown (exit 3). Default: none.", valueName: "units"))
    var rlimit: UInt32?

    @Option(help: ArgumentHelp("Cap on the memory Z3 may use, in MB; a query that needs more is unknown (exit 3). Default: none.", valueName: "MB"))
    var memoryLimit: UInt32?

    @Option(name: .customLong("property"), help: "Check only this property (repeatable). Default: all.",
            completion: .list(PropertyID.allCases.map(\.rawValue)))
    var properties: [String] = []

    @Option(help: "Known findings (format p2m-check-baseline/v1): matching violations are printed as known and do not fail (text and SARIF).",
            completion: .file(extensions: ["json"]))
    var baseline: String?

    @Flag(name: .shortAndLong, help: "Leave out the proved properties; print nothing when every property is proved.")
    var quiet = false

    @Option(help: "Counterexamples to report per property.")
    var maxViolations: Int = 8

    @Option(help: "Properties checked at once, each on a thread of its own (verdicts do not depend on it). Default: the number of processors.")
    var jobs: Int = CheckOptions.processorCount

    @Flag(help: "Also print the machine memory map with the free RAM that is left.")
    var layout = false

    func validate() throws {
        try SolverOptions.validate(timeout: timeout)
        if baseline != nil, format == .json { throw ValidationError("--baseline is not used with --format json (the JSON report gives every verdict as found); use --format text or sarif") }
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
        let known = try baseline.map { path throws(ExitCode) -> KnownFindings in
            do { return KnownFindings(baseline: try Baseline.load(CommandLinePath(path)), specDirectory: FileManager.default.currentDirectoryPath) } catch {
                Console.error("error: \(error)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        }
        let outcome = CheckRun.perform(
            specPath: spec,
            options: CheckOptions(timeoutMilliseconds: SolverOptions.milliseconds(timeout), resourceLimit: rlimit, maximumViolations: maxViolations, concurrency: jobs),
            selection: properties.isEmpty ? nil : Set(properties.compactMap(PropertyID.init(rawValue:))))
        let rendered: String
        switch format {
        case .text: rendered = TextReport(outcome: outcome, colour: Terminal.wantsColour, showLayout: layout, known: known, quiet: quiet).render()
        case .json: rendered = JSONReport(outcome: outcome).render()
        case .sarif: rendered = SARIFReport(outcomes: [outcome], known: known).render()
        }
        if case .badInput = outcome.result, format == .text {
            Console.error(String(rendered.dropLast(rendered.hasSuffix("\n") ? 1 : 0)))
        } else {
            print(rendered, terminator: "")
        }
        if let known {
            for entry in known.staleEntries(in: [outcome]) {
                Console.error("p2m-check: note: baseline \(known.baseline.path):\(entry.location.line): \(PrintableText.escape(entry.spec)) no longer has this \(entry.property.rawValue) finding; remove the entry")
            }
        }
        throw ExitCode((known?.exitStatus(of: outcome) ?? outcome.exitStatus).rawValue)
    }
}
