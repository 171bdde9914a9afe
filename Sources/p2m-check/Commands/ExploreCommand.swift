import ArgumentParser
import Foundation
import Invariants
import SpecFormat

/// `p2m-check explore <spec>`: Z3 fills the spec's `"auto"` fields, the
/// completed spec is written and then checked by the normal pipeline.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Choose the spec's \"auto\" addresses and memory sizes so that every property proves.",
        discussion: """
            Any load address, p2m pool base or domain memory may be "auto" or \
            {"auto": {"min": ..., "max": ..., "align": ...}}; an address's min/max bound the whole item. \
            Z3 places the addresses (alignment, one RAM bank, outside reserved memory, disjoint from \
            everything, room left for the xenheap and pools the hypervisor places); "auto" memory is the \
            largest size for which the real builder and checker prove every property. The completed spec \
            is written (-o) and checked; the exit code is the check's. If no layout exists, the \
            conflicting requirements are listed (exit 1).
            With --sweep, one line per value of a field, e.g. --sweep dom0.memory=128M..2G:128M.
            Examples:
              p2m-check explore specs/explore/arndale-auto.json -o solved.json
              p2m-check explore board.json --objective compact --objective largest:dom0
              p2m-check explore --sweep dom0.memory=1536M..2G:256M board.json
            The output is never the spec; an existing output needs --force.
            """
    )

    @Argument(help: "The board spec with \"auto\" fields.", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(name: .customLong("objective"), help: "low (default), high, compact, lowest:NAME, highest:NAME (Z3 Optimize, repeatable, in priority order) or largest:DOMAIN (needs its memory \"auto\").")
    var objectives: [String] = []

    @Option(name: .shortAndLong, help: "Where to write the completed spec (default: SPEC with .solved.json).")
    var output: String?

    @Option(help: "Sweep a field over values: NAME.FIELD=LO..HI:STEP.")
    var sweep: String?

    @Flag(help: "Also print the completed spec's machine memory map (where the hypervisor put the xenheap, pools and dom0's RAM).")
    var layout = false

    @Flag(help: "Replace the output file if it exists (never the spec itself).")
    var force = false

    @OptionGroup var solver: SolverOptions

    func validate() throws {
        if sweep != nil, output != nil { throw ValidationError("-o/--output is not used with --sweep (a sweep writes no spec)") }
    }

    func run() throws {
        let source = CommandLinePath(spec)
        let bytes: [UInt8]
        do { bytes = try InputFile.read(source, upTo: SpecDecoder.maximumBytes + 1) } catch {
            Console.error("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        let target = CommandLinePath(output ?? Self.defaultOutput(for: spec))
        if sweep == nil { try OutputFile.checkOrExit(target, inputs: [source], force: force) }
        do {
            let template = try SpecTemplate(bytes: bytes)
            var parsed: [ExploreObjective] = []
            for o in objectives { parsed.append(try ExploreObjective.parse(o)) }
            if !parsed.contains(.low), !parsed.contains(.high) { parsed.append(.low) }
            if let sweep {
                throw ExitCode(try runSweep(Sweep(sweep, template: template), template: template, objectives: parsed).rawValue)
            }
            let explorer = Explorer(template: template, objectives: parsed, options: solver.checkOptions, reportPath: target.text)
            throw ExitCode(try report(explorer.run(), writingTo: target).rawValue)
        } catch let error as ExploreError {
            Console.error("error: \(source)\(Self.place(of: error, in: bytes)): \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// `:line:column` of the spec entry an error names, when it names one.
    static func place(of error: ExploreError, in bytes: [UInt8]) -> String {
        let location: SourceLocation?
        switch error {
        case .spec(let e): location = e.location
        case .autoNotAllowed(let path), .badBounds(let path, _):
            location = (try? JSONParser.parse(bytes)).flatMap { SpecTemplate.value(at: path, in: $0)?.location }
        case .unreadable, .badArgument: location = nil
        }
        return location.map { ":\($0.line):\($0.column)" } ?? ""
    }

    static func defaultOutput(for spec: String) -> String {
        (spec.hasSuffix(".json") ? String(spec.dropLast(5)) : spec) + ".solved.json"
    }

    private func report(_ outcome: Explorer.Outcome, writingTo path: CommandLinePath) throws -> ExitStatus {
        let shown = CommandLinePath(spec)
        switch outcome {
        case .unknown(let reason):
            print("explore: \(shown): unknown: \(PrintableText.escape(reason)); nothing is claimed")
            return .unknown
        case .noLayout(let explanation):
            print("explore: \(shown): " + explanation.render(), terminator: "")
            return .violated
        case .completed(let bytes, let choices, let run, let note):
            print(choices.isEmpty ? "explore: \(shown): nothing is \"auto\"; the spec is checked as written" : "explore: \(shown): chose")
            let width = choices.map { PrintableText.escape($0.field.path.displayString).count }.max() ?? 0
            for c in choices {
                let field = PrintableText.escape(c.field.path.displayString)
                print("  \(field.padding(toLength: width, withPad: " ", startingAt: 0))  \(c.text)  (\(PrintableText.escape(c.owner)))")
            }
            if let note { print("  \(PrintableText.escape(note))") }
            try OutputFile.writeOrExit(bytes, to: path, inputs: [CommandLinePath(spec)], force: force)
            print("wrote \(path); its check by the normal pipeline:")
            print(TextReport(outcome: run, colour: Terminal.wantsColour, showLayout: layout).render(), terminator: "")
            return run.exitStatus
        }
    }

    /// One line per value; a progress bar on standard error when standard output is a terminal.
    /// Exit 0 when at least one value proves, 1 when none does.
    private func runSweep(_ sweep: Sweep, template: SpecTemplate, objectives: [ExploreObjective]) throws -> ExitStatus {
        let bar = isatty(STDOUT_FILENO) == 1 ? ProgressBar(total: sweep.values.count) : nil
        let width = max(sweep.label.count, sweep.values.map { sweep.text($0).count }.max() ?? 0)
        print("\(sweep.label.padding(toLength: width, withPad: " ", startingAt: 0))  verdict")
        var anyProved = false
        for (i, value) in sweep.values.enumerated() {
            bar?.draw(done: i, current: "\(sweep.label)=\(sweep.text(value))")
            let explorer = Explorer(template: try sweep.template(template, value: value), objectives: objectives,
                                    options: solver.checkOptions, reportPath: spec)
            let verdict = Sweep.verdict(try explorer.run())
            if verdict == "proved" { anyProved = true }
            bar?.clear()
            print("\(sweep.text(value).padding(toLength: width, withPad: " ", startingAt: 0))  \(PrintableText.escape(verdict))")
        }
        return anyProved ? .proved : .violated
    }
}
