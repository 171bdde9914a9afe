import ArgumentParser
import Foundation
import Invariants
import SpecFormat

/// `p2m-check hook`: the pre-commit check. With `--staged` it checks the
/// staged content (the index, not the working tree) of every staged spec the
/// filter selects; otherwise it checks the files it is given (the pre-commit
/// framework passes the changed files and stashes unstaged edits itself),
/// except those `--exclude` matches. Exits like `check` for the worst spec:
/// 1 if any is violated or cannot be built, 2 if any cannot be read, 3 if any
/// is unknown, 0 otherwise (known findings of `--baseline` do not fail).
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Check changed specs for a pre-commit hook (staged content with --staged).",
        discussion: """
            Examples:
              p2m-check hook --staged      # what install-hook's hook runs
              # CI: every spec, known findings accepted, one SARIF log
              p2m-check hook specs/*.json --baseline p2m-baseline.json --sarif p2m.sarif
            Given files whose path matches --exclude (by default specs/broken/, specs/schema.json \
            and *.expect.json) are skipped and listed.
            """
    )

    @Argument(help: "Spec files to check (ignored with --staged).", completion: .file(extensions: ["json"]))
    var files: [String] = []

    @Flag(help: "Check the staged content of the staged specs the filter selects.")
    var staged = false

    @Option(help: "With --staged: regular expression a path (from the repository top) must match.")
    var include: String = SpecFilter.defaultInclude

    @Option(help: "Regular expression of paths to skip (staged paths from the repository top, or the files given); empty to skip none.")
    var exclude: String = SpecFilter.defaultExclude

    @Option(help: "Also write one SARIF 2.1.0 log of every spec checked to this file (for CI code scanning).", completion: .file(extensions: ["sarif"]))
    var sarif: String?

    @Option(help: "Known findings (format p2m-check-baseline/v1): matching violations are printed as known and do not fail.", completion: .file(extensions: ["json"]))
    var baseline: String?

    @Flag(help: "Replace the SARIF file if it exists (never a spec).")
    var force = false

    @Flag(name: .shortAndLong, help: "Print only the specs that are not proved (and the final line when some are not).")
    var quiet = false

    @OptionGroup var solver: SolverOptions

    func validate() throws {
        if !staged && files.isEmpty { throw ValidationError("give spec files to check, or --staged") }
    }

    func run() throws {
        let options = solver.checkOptions
        let filter: SpecFilter
        do { filter = try SpecFilter(include: include, exclude: exclude) } catch { throw ValidationError(error.description) }
        let loadedBaseline = try baseline.map { path throws(ExitCode) -> Baseline in
            do { return try Baseline.load(CommandLinePath(path)) } catch {
                Console.error("error: \(error)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        }
        var outcomes: [CheckRun] = []
        var inputs: [CommandLinePath] = []
        var specDirectory = FileManager.default.currentDirectoryPath
        var skipped: [String] = []
        if staged {
            do {
                let top = try Git(directory: FileManager.default.currentDirectoryPath).topLevel()
                specDirectory = top
                let git = Git(directory: top)
                for file in try git.stagedFiles() where filter.selects(file.text) {
                    if file.isSubmodule { continue }
                    let onDisk = CommandLinePath(bytes: Array(top.utf8) + Array("/".utf8) + file.path)
                    inputs.append(onDisk)
                    if file.isSymbolicLink {
                        // The blob is the link's text: check the file it leads to in the work tree
                        // (a missing target is an unreadable spec and blocks the commit).
                        let outcome = CheckRun.perform(specPath: onDisk.text, options: options, selection: nil)
                        outcomes.append(CheckRun(specPath: file.text, result: outcome.result))
                        continue
                    }
                    outcomes.append(CheckRun.perform(specPath: file.text, bytes: try git.blob(file.blob), options: options, selection: nil))
                }
            } catch {
                Console.error("p2m-check hook: \(PrintableText.escape("\(error)"))")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        } else {
            for file in files {
                let relative = file.hasPrefix("./") ? String(file.dropFirst(2)) : file
                if filter.excludes(relative) {
                    skipped.append(CommandLinePath(file).description)
                    continue
                }
                inputs.append(CommandLinePath(file))
                outcomes.append(CheckRun.perform(specPath: file, options: options, selection: nil))
            }
        }
        let target = sarif.map(CommandLinePath.init)
        if let target { try OutputFile.checkOrExit(target, inputs: inputs + files.map(CommandLinePath.init), force: force) }
        let known = loadedBaseline.map { KnownFindings(baseline: $0, specDirectory: specDirectory) }
        if !skipped.isEmpty, !quiet {
            print("p2m-check: skipped (--exclude \(PrintableText.escape(exclude))): \(skipped.joined(separator: ", "))")
        }
        let colour = Terminal.wantsColour
        var statuses: [ExitStatus] = []
        for outcome in outcomes {
            let status = known?.exitStatus(of: outcome) ?? outcome.exitStatus
            statuses.append(status)
            if outcome.exitStatus == .proved, case .checked(_, _, let results) = outcome.result {
                if !quiet { print("p2m-check: \(CommandLinePath(outcome.specPath)): \(results.count) properties proved") }
            } else {
                print(TextReport(outcome: outcome, colour: colour, showLayout: false, known: known, quiet: quiet).render(), terminator: "")
            }
        }
        if let known {
            for entry in known.staleEntries(in: outcomes) {
                print("p2m-check: note: baseline \(known.baseline.path):\(entry.location.line): \(PrintableText.escape(entry.spec)) no longer has this \(entry.property.rawValue) finding; remove the entry")
            }
        }
        if let target {
            try OutputFile.writeOrExit(Array(SARIFReport(outcomes: outcomes, known: known).render().utf8), to: target, inputs: inputs + files.map(CommandLinePath.init), force: force)
        }
        let failed = zip(outcomes, statuses).filter { $0.1 != .proved }.map(\.0)
        let worst = ExitStatus.worst(statuses)
        if !failed.isEmpty {
            print("p2m-check: \(failed.count) of \(outcomes.count) spec\(outcomes.count == 1 ? "" : "s") not proved: \(failed.map { CommandLinePath($0.specPath).description }.joined(separator: ", "))")
            if staged { print("p2m-check: commit blocked (fix the spec, or bypass once with git commit --no-verify)") }
        }
        throw ExitCode(worst.rawValue)
    }
}
