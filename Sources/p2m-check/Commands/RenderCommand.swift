import ArgumentParser
import Foundation
import Invariants
import SpecFormat

/// `p2m-check render <spec> -o map.svg [--html]`: checks the spec and draws
/// the machine and guest address spaces with the violations in red. Exits
/// like `check` (0 proved, 1 violated, 2 bad input, 3 unknown) once the
/// picture is written, so a CI job can publish the picture and still fail.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw the memory map (SVG, or an HTML page with --html), violations in red.",
        discussion: """
            Examples:
              p2m-check render specs/broken/arndale-pt-in-kernel.json -o map.svg
              p2m-check render board.json -o map.html --html   # verdicts, map, regions
              p2m-check render board.json -o map.svg --force   # replace map.svg
            The output is never the spec itself; an existing output needs --force.
            """
    )

    @Argument(help: "The board spec (JSON, format p2m-check/v1).", completion: .file(extensions: ["json"]))
    var spec: String

    @Option(name: .shortAndLong, help: "Output file. Default: standard output.")
    var output: String?

    @Flag(help: "Write an HTML page with the SVG, the verdicts and a table of the regions.")
    var html = false

    @Flag(help: "Replace the output file if it exists (never the spec itself).")
    var force = false

    @Flag(name: .shortAndLong, help: "Do not print the \"wrote\" line.")
    var quiet = false

    @OptionGroup var solver: SolverOptions

    func run() throws {
        let target = output.map(CommandLinePath.init)
        if let target { try OutputFile.checkOrExit(target, inputs: [CommandLinePath(spec)], force: force) }
        let outcome = CheckRun.perform(specPath: spec, options: solver.checkOptions, selection: nil)
        guard let picture = PictureBuilder.make(outcome) else {
            if case .badInput(let problem) = outcome.result { Console.error("error: \(problem.message)") }
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        let document = html ? HTMLMemoryMap(picture: picture, specPath: CommandLinePath(spec).description).render() : SVGMemoryMap(picture: picture).render()
        if let target {
            try OutputFile.writeOrExit(Array(document.utf8), to: target, inputs: [CommandLinePath(spec)], force: force)
            if !quiet { print("p2m-check: wrote \(target): \(PrintableText.escape(picture.verdictLine))") }
        } else {
            print(document, terminator: "")
        }
        throw ExitCode(outcome.exitStatus.rawValue)
    }
}
