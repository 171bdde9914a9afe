import Foundation
import Invariants

/// The violations of the checked specs that a baseline accepts.
struct KnownFindings {
    var baseline: Baseline
    /// The directory the runs' spec paths are relative to (the current
    /// directory; the work tree's top for staged files).
    var specDirectory: String

    /// The entry that accepts `violation` in `specPath`, if any: same spec
    /// file, same property, the same set of JSON paths and, when the entry
    /// names regions, the same set of region names.
    func entry(for violation: Violation, property: PropertyID, specPath: String) -> Baseline.Entry? {
        baseline.entries.first { e in
            e.property == property
                && e.paths == Set(violation.regions.map(\.origin.path))
                && (e.regions.map { $0 == Set(violation.regions.map(\.name)) } ?? true)
                && sameFile(e.spec, specPath)
        }
    }

    /// Whether every violation of `result` is known.
    func isKnown(_ result: PropertyResult, specPath: String) -> Bool {
        guard case .violated(let list) = result.verdict else { return false }
        return list.allSatisfy { entry(for: $0, property: result.property, specPath: specPath) != nil }
    }

    /// The run's exit status once known findings are accepted: a run whose
    /// only violations are known exits as if those properties were proved
    /// (0, or 3 when another is unknown). Bad input and a layout Xen refuses
    /// are never accepted.
    func exitStatus(of run: CheckRun) -> ExitStatus {
        guard run.exitStatus == .violated, case .checked(_, _, let results) = run.result else { return run.exitStatus }
        var rest: [ExitStatus] = []
        for r in results {
            switch r.verdict {
            case .proved: rest.append(.proved)
            case .unknown: rest.append(.unknown)
            case .violated: rest.append(isKnown(r, specPath: run.specPath) ? .proved : .violated)
            }
        }
        return ExitStatus.worst(rest)
    }

    /// Entries that match no violation of `runs` whose spec they name (the
    /// finding was fixed, or the spec changed): worth removing. Entries for
    /// specs not among `runs` are not stale, just not checked.
    func staleEntries(in runs: [CheckRun]) -> [Baseline.Entry] {
        baseline.entries.filter { e in
            let runsOfSpec = runs.filter { sameFile(e.spec, $0.specPath) }
            guard !runsOfSpec.isEmpty else { return false }
            return !runsOfSpec.contains { run in
                guard case .checked(_, _, let results) = run.result else { return true }
                return results.contains { r in
                    guard case .violated(let list) = r.verdict else { return false }
                    return list.contains { entry(for: $0, property: r.property, specPath: run.specPath) == e }
                }
            }
        }
    }

    /// Whether the baseline's `entrySpec` (relative to the baseline's
    /// directory) and a run's `specPath` (relative to `specDirectory`) are the
    /// same file: the same device and inode when both exist, else the same
    /// normalised path.
    func sameFile(_ entrySpec: String, _ specPath: String) -> Bool {
        let baselineDirectory = URL(fileURLWithPath: baseline.path.text).deletingLastPathComponent().path
        let a = Self.absolute(entrySpec, from: baselineDirectory)
        let b = Self.absolute(specPath, from: specDirectory)
        var sa = stat(), sb = stat()
        if CommandLinePath(a).withCString({ stat($0, &sa) }) == 0, CommandLinePath(b).withCString({ stat($0, &sb) }) == 0 {
            return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
        }
        return a == b
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: directory).appendingPathComponent(path)).standardizedFileURL.path
    }
}
