import Foundation
import Hypervisor
import Invariants
import P2MModel
import SpecFormat

/// One run of the checker on one spec file, from bytes to verdicts.
struct CheckRun {
    enum Result {
        /// The spec could not be read or decoded.
        case badInput(String)
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
        guard let data = FileManager.default.contents(atPath: specPath) else {
            return CheckRun(specPath: specPath, result: .badInput("\(specPath): cannot read the file"))
        }
        return perform(specPath: specPath, bytes: [UInt8](data), options: options, selection: selection)
    }

    /// Decodes, builds and checks `bytes` (for example the staged content of
    /// a file), reporting them under `specPath`. Never throws.
    static func perform(specPath: String, bytes: [UInt8], options: CheckOptions, selection: Set<PropertyID>?) -> CheckRun {
        let spec: BoardSpec
        do {
            spec = try SpecDecoder.decode(bytes)
        } catch {
            let place = error.location.map { ":\($0.line):\($0.column)" } ?? ""
            return CheckRun(specPath: specPath, result: .badInput("\(specPath)\(place): \(error.description)"))
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
