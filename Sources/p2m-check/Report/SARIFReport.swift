import Invariants
import P2MModel
import SpecFormat

/// The report in SARIF 2.1.0 (OASIS), for code-scanning tools: one run, one
/// rule per property id (plus `build-failed`), one result per violation
/// located at the spec entry of its first region, with the other regions as
/// related locations. An unknown verdict is a `warning` result of kind
/// `open`; a spec that cannot be read is a failed invocation with an error
/// notification at the offending line and column. A violation a baseline
/// accepts carries an accepted external suppression with the baseline's
/// reason (code scanning shows it as dismissed). Names and paths in message
/// texts are escaped (`PrintableText`); JSON escaping alone would hand a
/// viewer the raw controls and bidirectional overrides.
struct SARIFReport {
    /// One outcome per spec file checked.
    var outcomes: [CheckRun]
    /// Findings a baseline accepts.
    var known: KnownFindings? = nil

    /// The id of the rule for a system the hypervisor would refuse to build.
    static let buildRuleID = "build-failed"

    func render() -> String {
        let exit = ExitStatus.worst(outcomes.map { known?.exitStatus(of: $0) ?? $0.exitStatus })
        let failures = outcomes.compactMap { o -> JSONOutput? in
            guard case .badInput(let problem) = o.result else { return nil }
            return notification(problem, spec: o.specPath)
        }
        let run: JSONOutput = .object([
            ("tool", .object([("driver", .object([
                ("name", .string("p2m-check")),
                ("version", .string(P2MCheck.configuration.version)),
                ("rules", .array(Self.rules)),
            ]))])),
            ("invocations", .array([.object([
                ("executionSuccessful", .bool(failures.isEmpty)),
                ("exitCode", .integer(Int(exit.rawValue))),
                ("toolExecutionNotifications", .array(failures)),
            ])])),
            ("artifacts", .array(outcomes.map { .object([("location", .object([("uri", .string(Self.uri($0.specPath)))]))]) })),
            ("results", .array(outcomes.flatMap(results))),
        ])
        return JSONOutput.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).rendered()
    }

    // MARK: rules

    static var ruleIDs: [String] { PropertyID.allCases.map(\.rawValue) + [buildRuleID] }

    static var rules: [JSONOutput] {
        var rules: [JSONOutput] = PropertyID.allCases.map { p in
            let e = ExplanationCatalogue.explanation(for: p.rawValue)
            return .object([
                ("id", .string(p.rawValue)),
                ("name", .string(p.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
                ("shortDescription", .object([("text", .string(p.statement))])),
                ("fullDescription", .object([("text", .string(e?.meaning ?? p.statement))])),
                ("help", .object([("text", .string(e?.rendered() ?? p.statement))])),
                ("defaultConfiguration", .object([("level", .string("error"))])),
            ])
        }
        rules.append(.object([
            ("id", .string(buildRuleID)),
            ("name", .string("BuildFailed")),
            ("shortDescription", .object([("text", .string("the hypervisor would refuse this layout at boot"))])),
            ("defaultConfiguration", .object([("level", .string("error"))])),
        ]))
        return rules
    }

    // MARK: results

    private func results(_ outcome: CheckRun) -> [JSONOutput] {
        switch outcome.result {
        case .badInput:
            return []
        case .buildFailed(let error, _):
            return [result(rule: Self.buildRuleID, level: "error", kind: "fail", message: "the hypervisor would refuse this layout at boot: \(PrintableText.escape("\(error)"))",
                           spec: outcome.specPath, primary: nil, related: [], fingerprint: "\(Self.buildRuleID):\(error)")]
        case .checked(_, _, let properties):
            return properties.flatMap { r -> [JSONOutput] in
                switch r.verdict {
                case .proved: return []
                case .unknown(let reason):
                    return [result(rule: r.property.rawValue, level: "warning", kind: "open", message: "\(r.property.rawValue) not proved: \(PrintableText.escape(reason))",
                                   spec: outcome.specPath, primary: nil, related: [], fingerprint: "\(r.property.rawValue):unknown")]
                case .violated(let violations):
                    return violations.map { v in
                        var witness = v.machineWitnesses.map { "machine \($0)" }
                        witness += v.guestWitnesses.map { "guest \($0)" }
                        let message = "\(PrintableText.escape(v.message)) (witness: \(witness.joined(separator: ", "))). Run `p2m-check explain \(r.property.rawValue)`."
                        let paths = v.regions.map(\.origin.path).joined(separator: ",")
                        let entry = known?.entry(for: v, property: r.property, specPath: outcome.specPath)
                        return result(rule: r.property.rawValue, level: "error", kind: "fail", message: message, spec: outcome.specPath,
                                      primary: v.regions.first, related: Array(v.regions.dropFirst()), fingerprint: "\(r.property.rawValue):\(paths)",
                                      witness: witness, accepted: entry.map { "known finding (baseline \(known!.baseline.path)): \(PrintableText.escape($0.reason))" })
                    }
                }
            }
        }
    }

    private func result(rule: String, level: String, kind: String, message: String, spec: String, primary: RegionReference?,
                        related: [RegionReference], fingerprint: String, witness: [String] = [], accepted: String? = nil) -> JSONOutput {
        var m: [(String, JSONOutput)] = [
            ("ruleId", .string(rule)),
            ("ruleIndex", .integer(Self.ruleIDs.firstIndex(of: rule) ?? 0)),
            ("level", .string(level)),
            ("kind", .string(kind)),
            ("message", .object([("text", .string(message))])),
            ("locations", .array([location(spec, primary)])),
        ]
        if !related.isEmpty {
            m.append(("relatedLocations", .array(related.enumerated().map { i, r in
                guard case .object(var members) = location(spec, r) else { return .null }
                members.insert(("id", .integer(i + 1)), at: 0)
                return .object(members)
            })))
        }
        if let accepted {
            m.append(("suppressions", .array([.object([
                ("kind", .string("external")), ("status", .string("accepted")), ("justification", .string(accepted)),
            ])])))
        }
        m.append(("partialFingerprints", .object([("p2mCheckRegions/v1", .string(fingerprint))])))
        if !witness.isEmpty || primary != nil {
            m.append(("properties", .object([
                ("witness", .array(witness.map(JSONOutput.string))),
                ("regions", .array(([primary].compactMap { $0 } + related).map { .string(PrintableText.escape("\($0.name) at \($0.origin.path)")) })),
            ])))
        }
        return .object(m)
    }

    /// A physical location in `spec`, with the region's line and column when known.
    private func location(_ spec: String, _ region: RegionReference?) -> JSONOutput {
        var physical: [(String, JSONOutput)] = [("artifactLocation", .object([("uri", .string(Self.uri(spec)))]))]
        if let o = region?.origin, let line = o.line, line >= 1 {
            var r: [(String, JSONOutput)] = [("startLine", .integer(line))]
            if let column = o.column, column >= 1 { r.append(("startColumn", .integer(column))) }
            physical.append(("region", .object(r)))
        }
        var m: [(String, JSONOutput)] = [("physicalLocation", .object(physical))]
        if let region {
            m.append(("message", .object([("text", .string(PrintableText.escape("\(region.name) (\(region.kind.rawValue)) at \(region.origin.path)")))])))
        }
        return .object(m)
    }

    /// A tool-execution notification for a spec that could not be read or decoded.
    private func notification(_ problem: BadInput, spec: String) -> JSONOutput {
        var physical: [(String, JSONOutput)] = [("artifactLocation", .object([("uri", .string(Self.uri(spec)))]))]
        if let line = problem.line, let column = problem.column {
            physical.append(("region", .object([("startLine", .integer(line)), ("startColumn", .integer(column))])))
        }
        return .object([
            ("level", .string("error")),
            ("message", .object([("text", .string(PrintableText.escape(problem.message)))])),
            ("locations", .array([.object([("physicalLocation", .object(physical))])])),
        ])
    }

    /// A URI reference for a spec path: relative paths stay relative (to the
    /// repository root, as code scanning expects), with `./` dropped;
    /// absolute paths become `file://` URIs. Characters outside RFC 3986's
    /// unreserved set and `/` are percent-encoded.
    static func uri(_ path: String) -> String {
        // The bytes the user gave (a name that is not UTF-8 keeps its bytes as %XX).
        var p = CommandLinePath(path).bytes[...]
        while p.starts(with: Array("./".utf8)) { p = p.dropFirst(2) }
        var out = p.first == UInt8(ascii: "/") ? "file://" : ""
        for byte in p {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
