import Invariants
import P2MModel

/// The machine-readable report, format `p2m-check-report/v1` (documented in
/// docs/report-format.md). Keys and their order are stable.
struct JSONReport {
    var outcome: CheckRun

    func render() -> String {
        var members: [(String, JSONOutput)] = [
            ("format", .string("p2m-check-report/v1")),
            ("spec", .string(outcome.specPath)),
            ("exit_code", .integer(Int(outcome.exitStatus.rawValue))),
        ]
        switch outcome.result {
        case .badInput(let problem):
            members.append(("status", .string("bad-input")))
            members.append(("error", .string(problem.message)))
            members.append(("reason", .string(problem.reason)))
            members.append(("json_path", problem.jsonPath.map(JSONOutput.string) ?? .null))
            members.append(("line", problem.line.map(JSONOutput.integer) ?? .null))
            members.append(("column", problem.column.map(JSONOutput.integer) ?? .null))
        case .buildFailed(let error, let spec):
            members.append(("status", .string("build-failed")))
            members.append(("board", .string(spec.name)))
            members.append(("error", .string(error.description)))
        case .checked(let spec, let facts, let results):
            members.append(("status", .string("checked")))
            members.append(("board", .string(spec.name)))
            members.append(("architecture", .string(spec.architecture.rawValue)))
            let proved = results.filter { $0.verdict == .proved }.count
            let violated = results.filter { if case .violated = $0.verdict { return true } else { return false } }.count
            members.append(("summary", .object([
                ("proved", .integer(proved)), ("violated", .integer(violated)), ("unknown", .integer(results.count - proved - violated)),
            ])))
            members.append(("properties", .array(results.map(property))))
            members.append(("layout", layout(MachineMemoryMap(facts: facts))))
        }
        return JSONOutput.object(members).rendered()
    }

    private func property(_ r: PropertyResult) -> JSONOutput {
        var m: [(String, JSONOutput)] = [
            ("id", .string(r.property.rawValue)),
            ("statement", .string(r.property.statement)),
            ("verdict", .string(r.verdict.name)),
        ]
        switch r.verdict {
        case .proved: break
        case .unknown(let reason): m.append(("reason", .string(reason)))
        case .violated(let list): m.append(("violations", .array(list.map(violation))))
        }
        m.append(("queries", .integer(r.queries)))
        m.append(("seconds", .number(r.seconds)))
        m.append(("notes", .array(r.notes.map(JSONOutput.string))))
        return .object(m)
    }

    private func violation(_ v: Violation) -> JSONOutput {
        var m: [(String, JSONOutput)] = [("message", .string(v.message))]
        if let d = v.domain { m.append(("domain", .string(d))) }
        m.append(("witness", .object([
            ("machine", .array(v.machineWitnesses.map { .string($0.description) })),
            ("guest", .array(v.guestWitnesses.map { .string($0.description) })),
        ])))
        m.append(("regions", .array(v.regions.map(region))))
        return .object(m)
    }

    private func region(_ r: RegionReference) -> JSONOutput {
        var m: [(String, JSONOutput)] = [("name", .string(r.name)), ("kind", .string(r.kind.rawValue))]
        m.append(("machine_range", r.range.map(range) ?? .null))
        m.append(("guest_range", r.guestRange.map(range) ?? .null))
        m.append(("json_path", .string(r.origin.path)))
        m.append(("line", r.origin.line.map(JSONOutput.integer) ?? .null))
        m.append(("column", r.origin.column.map(JSONOutput.integer) ?? .null))
        return .object(m)
    }

    private func range<A: PhysicalAddress>(_ r: AddressRange<A>) -> JSONOutput {
        .object([
            ("base", .string(r.base.description)),
            ("size", .string(Hex.format(r.size))),
            ("last", r.last.map { .string($0.description) } ?? .null),
        ])
    }

    private func layout(_ map: MachineMemoryMap) -> JSONOutput {
        .object([
            ("occupied", .array(map.occupied.map { e in
                .object([("name", .string(e.occupant?.name ?? "")), ("kind", .string(e.occupant?.kind.rawValue ?? "")), ("range", range(e.range))])
            })),
            ("free", .array(map.free.map(range))),
            ("free_bytes", .string(Hex.format(map.freeBytes))),
        ])
    }
}
