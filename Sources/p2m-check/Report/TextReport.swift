import Invariants
import P2MModel
import SpecFormat

/// The human-readable report: one line per property, an explanation under
/// each violation, colour only on a terminal. Every name, path, message and
/// reason is one line of printable text (`PrintableText`): a spec cannot
/// forge report lines or drive the terminal.
struct TextReport {
    var outcome: CheckRun
    var colour: Bool
    var showLayout: Bool
    /// Violations a baseline accepts are printed as `known`, with the baseline's reason.
    var known: KnownFindings? = nil
    /// Leave out the proved properties (and print nothing when every one is proved).
    var quiet = false

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func esc(_ text: String) -> String { PrintableText.escape(text) }
    private func esc<T>(_ value: T) -> String { PrintableText.escape("\(value)") }

    func render() -> String {
        switch outcome.result {
        case .badInput(let problem):
            return "error: \(esc(problem.message))\n"
        case .buildFailed(let error, let spec):
            var out = "p2m-check: \(shownPath): \(esc(spec.name))\n"
            out += paint("BUILD FAILED", "1;31") + "  the hypervisor would refuse this layout at boot\n"
            out += "    \(esc(error))\n"
            out += "exit 1: the system cannot be built, so no property was checked\n"
            return out
        case .checked(let spec, let facts, let results):
            let knownCount = results.filter { known?.isKnown($0, specPath: outcome.specPath) ?? false }.count
            if quiet, results.allSatisfy({ $0.verdict == .proved }) { return "" }
            var out = "p2m-check: \(shownPath): \(esc(spec.name)) (\(spec.architecture.rawValue), \(spec.domains.count) domain\(spec.domains.count == 1 ? "" : "s"))\n"
            let width = results.map(\.property.rawValue.count).max() ?? 0
            for result in results {
                let id = result.property.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let timing = "[\(result.queries) quer\(result.queries == 1 ? "y" : "ies"), \(formatSeconds(result.seconds))]"
                switch result.verdict {
                case .proved:
                    if quiet { continue }
                    out += "  \(paint("proved  ", "32"))  \(id)  \(result.property.statement) \(timing)\n"
                case .unknown(let reason):
                    out += "  \(paint("unknown ", "33"))  \(id)  \(esc(reason)) \(timing)\n"
                case .violated(let violations):
                    let allKnown = known?.isKnown(result, specPath: outcome.specPath) ?? false
                    out += "  \(allKnown ? paint("known   ", "35") : paint("VIOLATED", "1;31"))  \(id)  \(result.property.statement) \(timing)\n"
                    for v in violations {
                        out += "      \(esc(v.message))\n"
                        if let entry = known?.entry(for: v, property: result.property, specPath: outcome.specPath) {
                            out += "        known (baseline \(known!.baseline.path):\(entry.location.line)): \(esc(entry.reason))\n"
                        }
                        for r in v.regions {
                            let where_ = r.range.map { " machine \($0)" } ?? ""
                            let guest = r.guestRange.map { " guest \($0)" } ?? ""
                            out += "        - \(esc(r.name)) [\(r.kind.rawValue)]\(guest)\(where_) at \(esc(Describe.origin(r.origin)))\n"
                        }
                        var witness: [String] = v.machineWitnesses.map { "machine \($0)" }
                        witness += v.guestWitnesses.map { "guest \($0)" }
                        out += "        witness: \(witness.joined(separator: ", "))\n"
                    }
                    if let why = ExplanationCatalogue.explanation(for: result.property.rawValue) {
                        out += "      why: \(why.summary)\n"
                        out += "      more: p2m-check explain \(result.property.rawValue)\n"
                    }
                }
            }
            let proved = results.filter { $0.verdict == .proved }.count
            let violated = results.filter { if case .violated = $0.verdict { return true } else { return false } }.count
            let unknown = results.count - proved - violated
            if showLayout { out += layout(facts) }
            if known != nil {
                out += "\(proved) proved, \(violated - knownCount) violated, \(knownCount) known (baseline), \(unknown) unknown\n"
            } else {
                out += "\(proved) proved, \(violated) violated, \(unknown) unknown\n"
            }
            return out
        }
    }

    private func layout(_ facts: SystemFacts) -> String {
        let map = MachineMemoryMap(facts: facts)
        var out = "machine memory map:\n"
        for e in map.occupied {
            // Padded, never cut: a size such as 0x1f6da00 is longer than the column.
            let size = Describe.size(e.range.size)
            out += "    \(e.range)  \(size)\(String(repeating: " ", count: max(0, 6 - size.count)))  \(esc(e.occupant?.name ?? ""))\n"
        }
        out += "free RAM (\(Describe.size(map.freeBytes)) in \(map.free.count) range\(map.free.count == 1 ? "" : "s")):\n"
        for f in map.free {
            out += "    \(f)  \(Describe.size(f.size))\n"
        }
        return out
    }

    /// The spec's path, escaped (a name that is not UTF-8 shows its bytes as `\xNN`).
    private var shownPath: String { CommandLinePath(outcome.specPath).description }

    private func formatSeconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        return "\(ms) ms"
    }
}
