/// An ImageBuilder config (Xen's `scripts/uboot-script-gen` input): a bash
/// file of `KEY=value` and `KEY[i]=value` assignments. Quotes, `#` comments,
/// `$KEY` / `${KEY}` of earlier keys and blank lines are understood; any other
/// shell is refused with its line.
struct ImageBuilderConfig {
    private(set) var values: [String: String] = [:]
    /// The line each key was set on (for errors).
    private(set) var lines: [String: Int] = [:]

    init(_ text: String) throws(BootScriptError) {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = n + 1
            var s = raw.drop { $0 == " " || $0 == "\t" }
            if s.hasPrefix("export ") { s = s.dropFirst(7) }
            if s.isEmpty || s.hasPrefix("#") { continue }
            guard let eq = s.firstIndex(of: "="), Self.isKey(s[..<eq]) else {
                throw BootScriptError(line: line, message: "not a KEY=value assignment: \(raw)")
            }
            let key = String(s[..<eq])
            values[key] = try value(s[s.index(after: eq)...], line: line)
            lines[key] = line
        }
    }

    subscript(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
    subscript(_ key: String, _ index: Int) -> String? { self["\(key)[\(index)]"] }

    /// A number as bash arithmetic reads it (decimal, or 0x hex).
    func number(_ key: String) throws(BootScriptError) -> UInt64? {
        guard let text = self[key] else { return nil }
        guard let v = Self.number(text) else { throw BootScriptError(line: lines[key] ?? 0, message: "\(key)=\(text) is not a number") }
        return v
    }

    func number(_ key: String, _ index: Int) throws(BootScriptError) -> UInt64? { try number("\(key)[\(index)]") }

    func line(_ key: String) -> Int { lines[key] ?? 0 }

    static func number(_ text: String) -> UInt64? {
        let t = text.lowercased()
        return t.hasPrefix("0x") ? UInt64(t.dropFirst(2), radix: 16) : UInt64(t, radix: 10)
    }

    private static func isKey(_ s: Substring) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        var rest = s
        if let open = s.firstIndex(of: "[") {
            guard s.last == "]", s[s.index(after: open)..<s.index(before: s.endIndex)].allSatisfy(\.isNumber) else { return false }
            rest = s[..<open]
        }
        return rest.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// The value after `=`: quoted pieces joined, a trailing comment dropped, `$KEY` expanded.
    private func value(_ s: Substring, line: Int) throws(BootScriptError) -> String {
        var out = ""
        var quote: Character?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil; i = s.index(after: i); continue }
                if q == "\"" && c == "$" { try expand(s, &i, into: &out, line: line); continue }
                out.append(c); i = s.index(after: i); continue
            }
            switch c {
            case "\"", "'": quote = c
            case "#": return out
            case " ", "\t":
                let rest = s[i...].drop { $0 == " " || $0 == "\t" }
                if rest.isEmpty || rest.hasPrefix("#") { return out }
                throw BootScriptError(line: line, message: "unquoted space in a value (quote it)")
            case "$":
                try expand(s, &i, into: &out, line: line); continue
            case "`", "(", ")", ";", "|", "&":
                throw BootScriptError(line: line, message: "shell syntax \"\(c)\" in a value is not supported")
            default: out.append(c)
            }
            i = s.index(after: i)
        }
        if quote != nil { throw BootScriptError(line: line, message: "unterminated quote") }
        return out
    }

    private func expand(_ s: Substring, _ i: inout Substring.Index, into out: inout String, line: Int) throws(BootScriptError) {
        var j = s.index(after: i)
        var name = ""
        if j < s.endIndex, s[j] == "{" {
            guard let close = s[j...].firstIndex(of: "}") else { throw BootScriptError(line: line, message: "unterminated ${") }
            name = String(s[s.index(after: j)..<close])
            j = s.index(after: close)
        } else {
            while j < s.endIndex, s[j].isLetter || s[j].isNumber || s[j] == "_" { name.append(s[j]); j = s.index(after: j) }
        }
        guard !name.isEmpty else { throw BootScriptError(line: line, message: "shell expansion \"$\(j < s.endIndex ? String(s[j]) : "")\" is not supported") }
        out += values[name] ?? ""
        i = j
    }
}
