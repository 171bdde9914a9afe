import ArgumentParser
import Foundation
import Invariants

/// `p2m-check hook`: the pre-commit check. With `--staged` it checks the
/// staged content (the index, not the working tree) of every staged spec the
/// filter selects; otherwise it checks the files it is given (the pre-commit
/// framework passes the changed files and stashes unstaged edits itself).
/// Exits like `check` for the worst spec: 1 if any is violated or cannot be
/// built, 2 if any cannot be read, 3 if any is unknown, 0 otherwise.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Check changed specs for a pre-commit hook (staged content with --staged)."
    )

    @Argument(help: "Spec files to check (ignored with --staged).")
    var files: [String] = []

    @Flag(help: "Check the staged content of the staged specs the filter selects.")
    var staged = false

    @Option(help: "With --staged: regular expression a path (from the repository top) must match.")
    var include: String = SpecFilter.defaultInclude

    @Option(help: "With --staged: regular expression of paths to skip; empty to skip none.")
    var exclude: String = SpecFilter.defaultExclude

    @Option(help: "Also write one SARIF 2.1.0 log of every spec checked to this file (for CI code scanning).")
    var sarif: String?

    @OptionGroup var solver: SolverOptions

    func validate() throws {
        if !staged && files.isEmpty { throw ValidationError("give spec files to check, or --staged") }
    }

    func run() throws {
        let options = solver.checkOptions
        var outcomes: [CheckRun] = []
        if staged {
            let filter: SpecFilter
            do { filter = try SpecFilter(include: include, exclude: exclude) } catch { throw ValidationError(error.description) }
            do {
                let git = Git(directory: try Git(directory: FileManager.default.currentDirectoryPath).topLevel())
                for path in try git.stagedPaths() where filter.selects(path) {
                    outcomes.append(CheckRun.perform(specPath: path, bytes: try git.stagedContent(of: path), options: options, selection: nil))
                }
            } catch {
                FileHandle.standardError.write(Data("p2m-check hook: \(error)\n".utf8))
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        } else {
            outcomes = files.map { CheckRun.perform(specPath: $0, options: options, selection: nil) }
        }
        let colour = Terminal.wantsColour
        for outcome in outcomes {
            if outcome.exitStatus == .proved, case .checked(_, _, let results) = outcome.result {
                print("p2m-check: \(outcome.specPath): \(results.count) properties proved")
            } else {
                print(TextReport(outcome: outcome, colour: colour, showLayout: false).render(), terminator: "")
            }
        }
        if let sarif {
            do { try Data(SARIFReport(outcomes: outcomes).render().utf8).write(to: URL(fileURLWithPath: sarif)) } catch {
                FileHandle.standardError.write(Data("error: cannot write \(sarif): \(error.localizedDescription)\n".utf8))
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        }
        let failed = outcomes.filter { $0.exitStatus != .proved }
        let worst = ExitStatus.worst(outcomes.map(\.exitStatus))
        if !failed.isEmpty {
            print("p2m-check: \(failed.count) of \(outcomes.count) spec\(outcomes.count == 1 ? "" : "s") not proved: \(failed.map(\.specPath).joined(separator: ", "))")
            if staged { print("p2m-check: commit blocked (fix the spec, or bypass once with git commit --no-verify)") }
        }
        throw ExitCode(worst.rawValue)
    }
}
