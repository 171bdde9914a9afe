import Foundation
import Hypervisor
import Invariants
import P2MModel
import SpecFormat

/// One run of the checker on one spec file, from bytes to verdicts.
struct CheckRun {
    enum Result {
        /// The spec could not be read or decoded.
        case badInput(BadInput)
        /// The hypervisor would refuse to build (Xen panics at boot): a finding, exit 1.
        case buildFailed(BuildError, spec: BoardSpec)
        /// Properties were checked.
        case checked(spec: BoardSpec, facts: SystemFacts, results: [PropertyResult])
    }

    var specPath: String
    var result: Result

    var exitStatus: ExitStatus {
        switch result {
        case .badInput: return .badInput
        case .buildFailed: return .violated
        case .checked(_, _, let results):
            if results.contains(where: { if case .violated = $0.verdict { return true } else { return false } }) { return .violated }
            if results.contains(where: { if case .unknown = $0.verdict { return true } else { return false } }) { return .unknown }
            return .proved
        }
    }

    /// Reads, decodes, builds and checks. Never throws: every failure is a `Result`.
    static func perform(specPath: String, options: CheckOptions, selection: Set<PropertyID>?) -> CheckRun {
        let bytes: [UInt8]
        switch readSpecFile(specPath) {
        case .success(let b): bytes = b
        case .failure(let problem): return CheckRun(specPath: specPath, result: .badInput(BadInput(message: "\(CommandLinePath(specPath)): \(problem.message)", reason: problem.message)))
        }
        return perform(specPath: specPath, bytes: bytes, options: options, selection: selection)
    }

    /// Decodes, builds and checks `bytes` (for example the staged content of
    /// a file), reporting them under `specPath`. Never throws.
    static func perform(specPath: String, bytes: [UInt8], options: CheckOptions, selection: Set<PropertyID>?) -> CheckRun {
        let spec: BoardSpec
        do {
            spec = try SpecDecoder.decode(bytes)
        } catch {
            let place = error.location.map { ":\($0.line):\($0.column)" } ?? ""
            let problem = BadInput(
                message: "\(PrintableText.escape(specPath))\(place): \(error.description)", jsonPath: error.path.displayString,
                line: error.location?.line, column: error.location?.column, reason: error.message)
            return CheckRun(specPath: specPath, result: .badInput(problem))
        }
        let system: BuiltSystem
        do {
            system = try SystemBuilder.build(spec)
        } catch {
            return CheckRun(specPath: specPath, result: .buildFailed(error, spec: spec))
        }
        let facts = SystemFacts(system: system)
        let results = Checker.check(facts, options: options, selection: selection)
        return CheckRun(specPath: specPath, result: .checked(spec: spec, facts: facts, results: results))
    }
}

/// Why a spec file could not be read.
struct SpecFileProblem: Error {
    var message: String
}

/// Reads at most one byte more than `SpecDecoder.maximumBytes`, so that a
/// huge file or a device such as /dev/zero cannot make the checker hang or
/// exhaust memory; the decoder then refuses an oversized spec by name.
/// The message says why a file cannot be read (`InputFile`).
func readSpecFile(_ path: String) -> Result<[UInt8], SpecFileProblem> {
    do {
        return .success(try InputFile.read(CommandLinePath(path), upTo: SpecDecoder.maximumBytes + 1))
    } catch {
        return .failure(SpecFileProblem(message: error.reason))
    }
}
