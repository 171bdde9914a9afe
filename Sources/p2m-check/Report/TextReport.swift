import Invariants
import P2MModel

/// The human-readable report: one line per property, an explanation under
/// each violation, colour only on a terminal.
struct TextReport {
    var outcome: CheckRun
    var colour: Bool
    var showLayout: Bool

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    func render() -> String {
        switch outcome.result {
        case .badInput(let problem):
            return "error: \(problem.message)\n"
        case .buildFailed(let error, let spec):
            var out = "p2m-check: \(outcome.specPath): \(spec.name)\n"
            out += paint("BUILD FAILED", "1;31") + "  the hypervisor would refuse this layout at boot\n"
            out += "    \(error)\n"
            out += "exit 1: the system cannot be built, so no property was checked\n"
            return out
        case .checked(let spec, let facts, let results):
            var out = "p2m-check: \(outcome.specPath): \(spec.name) (\(spec.architecture.rawValue), \(spec.domains.count) domain\(spec.domains.count == 1 ? "" : "s"))\n"
            let width = results.map(\.property.rawValue.count).max() ?? 0
            for result in results {
                let id = result.property.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let timing = "[\(result.queries) quer\(result.queries == 1 ? "y" : "ies"), \(formatSeconds(result.seconds))]"
                switch result.verdict {
                case .proved:
                    out += "  \(paint("proved  ", "32"))  \(id)  \(result.property.statement) \(timing)\n"
                case .unknown(let reason):
                    out += "  \(paint("unknown ", "33"))  \(id)  \(reason) \(timing)\n"
                case .violated(let violations):
                    out += "  \(paint("VIOLATED", "1;31"))  \(id)  \(result.property.statement) \(timing)\n"
                    for v in violations {
                        out += "      \(v.message)\n"
                        for r in v.regions {
                            let where_ = r.range.map { " machine \($0)" } ?? ""
                            let guest = r.guestRange.map { " guest \($0)" } ?? ""
                            out += "        - \(r.name) [\(r.kind.rawValue)]\(guest)\(where_) at \(Describe.origin(r.origin))\n"
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
            out += "\(proved) proved, \(violated) violated, \(unknown) unknown\n"
            return out
        }
    }

    private func layout(_ facts: SystemFacts) -> String {
        let map = MachineMemoryMap(facts: facts)
        var out = "machine memory map:\n"
        for e in map.occupied {
            out += "    \(e.range)  \(Describe.size(e.range.size).padding(toLength: 6, withPad: " ", startingAt: 0))  \(e.occupant?.name ?? "")\n"
        }
        out += "free RAM (\(Describe.size(map.freeBytes)) in \(map.free.count) range\(map.free.count == 1 ? "" : "s")):\n"
        for f in map.free {
            out += "    \(f)  \(Describe.size(f.size))\n"
        }
        return out
    }

    private func formatSeconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        return "\(ms) ms"
    }
}
