import P2MModel

/// The image's console output, parsed: one record per line, a tag and
/// `key=value` fields (`Image/Console.swift`, `Image/OracleMain.swift`).
struct OracleOutput: Sendable {
    struct Domain: Sendable { var index: Int, name: String, root: UInt64, differingWords: Int }
    struct Probe: Sendable { var domain: Int, guest: UInt64, par: UInt64 }
    struct Patch: Sendable { var descriptor: UInt64, old: UInt64, new: UInt64 }
    struct Access: Sendable {
        var domain: Int, guest: UInt64, machine: UInt64?, value: UInt64
        var before: UInt64, after: UInt64, loaded: UInt64, esr: UInt64, far: UInt64, hpfar: UInt64
        var readback: UInt64, readESR: UInt64
    }

    var domains: [Domain] = []
    var probes: [Probe] = []
    var patches: [Patch] = []
    var accesses: [Access] = []
    /// `oracle error ...` and `oracle fatal ...` lines.
    var errors: [String] = []
    /// The image reached `oracle end`.
    var finished = false

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var reason: String
        var description: String { "cannot parse oracle line \"\(line)\": \(reason)" }
    }

    /// Parses the console text; lines that are not records (QEMU noise) are skipped.
    /// - Throws: `ParseError` for a record with a missing or malformed field.
    static func parse(_ text: String) throws -> OracleOutput {
        var output = OracleOutput()
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(raw)
            let words = line.split(separator: " ")
            guard let tag = words.first else { continue }
            var fields: [String: String] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            func number(_ key: String) throws -> UInt64 {
                guard let text = fields[key] else { throw ParseError(line: line, reason: "no \(key)") }
                let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
                guard let value else { throw ParseError(line: line, reason: "\(key) is not a number") }
                return value
            }
            switch tag {
            case "oracle":
                if words.count > 1, words[1].hasPrefix("error") || words[1].hasPrefix("fatal") { output.errors.append(line) }
                if words.count > 1, words[1] == "end" { output.finished = true }
            case "domain":
                output.domains.append(Domain(index: Int(try number("index")), name: fields["name"] ?? "", root: try number("root"), differingWords: Int(try number("differing"))))
            case "probe":
                output.probes.append(Probe(domain: Int(try number("domain")), guest: try number("guest"), par: try number("par")))
            case "patch":
                output.patches.append(Patch(descriptor: try number("descriptor"), old: try number("old"), new: try number("new")))
            case "access":
                output.accesses.append(Access(
                    domain: Int(try number("domain")), guest: try number("guest"),
                    machine: fields["machine"] == "none" ? nil : try number("machine"), value: try number("value"),
                    before: try number("before"), after: try number("after"), loaded: try number("loaded"),
                    esr: try number("esr"), far: try number("far"), hpfar: try number("hpfar"),
                    readback: try number("readback"), readESR: try number("readesr")))
            default:
                continue
            }
        }
        return output
    }
}
