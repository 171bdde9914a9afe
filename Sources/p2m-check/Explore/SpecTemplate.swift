import P2MModel
import SpecFormat

/// A parsed spec whose `"auto"` fields explore fills in. Substitution works
/// on the JSON tree, so the completed spec keeps every other field, and the
/// normal decoder then reads it as it would any hand-written spec.
struct SpecTemplate {
    let root: JSONValue
    let autos: [AutoField]

    /// - Throws: `ExploreError.spec` for malformed JSON; `ExploreError` for misplaced or malformed auto fields.
    init(bytes: [UInt8]) throws(ExploreError) {
        do { root = try JSONParser.parse(bytes) } catch {
            throw .spec(SpecError(path: error.path, location: error.location, message: error.message))
        }
        autos = try AutoField.find(in: root)
    }

    init(root: JSONValue) throws(ExploreError) {
        self.root = root
        autos = try AutoField.find(in: root)
    }

    /// The tree with the string `text` at each path of `values`.
    func substituting(_ values: [JSONPointer: String]) -> JSONValue {
        Self.substitute(root, values)
    }

    private static func substitute(_ value: JSONValue, _ values: [JSONPointer: String]) -> JSONValue {
        var out = value
        if let text = values[value.path] {
            out.kind = .string(text)
            return out
        }
        switch value.kind {
        case .array(let items): out.kind = .array(items.map { substitute($0, values) })
        case .object(let members):
            out.kind = .object(members.map { m in
                var m = m
                m.value = substitute(m.value, values)
                return m
            })
        default: break
        }
        return out
    }

    /// The value at `path`, if the document has one.
    func value(at path: JSONPointer) -> JSONValue? { Self.value(at: path, in: root) }

    /// The value at `path` in the tree `root`, if it has one.
    static func value(at path: JSONPointer, in root: JSONValue) -> JSONValue? {
        var current = root
        for token in path.tokens {
            switch current.kind {
            case .object(let members):
                guard let m = members.first(where: { $0.key == token }) else { return nil }
                current = m.value
            case .array(let items):
                guard let i = Int(token), items.indices.contains(i) else { return nil }
                current = items[i]
            default: return nil
            }
        }
        return current
    }

    /// The path of the entry named `name` in /hypervisor, /boot_modules, /domains, /memory, /reserved_memory or /devices.
    func entry(named name: String) -> JSONPointer? {
        if let hyp = value(at: JSONPointer.root.appending(key: "hypervisor")), Self.name(of: hyp) == name { return hyp.path }
        for section in ["boot_modules", "domains", "memory", "reserved_memory", "devices"] {
            guard let list = value(at: JSONPointer.root.appending(key: section)), case .array(let items) = list.kind else { continue }
            if let hit = items.first(where: { Self.name(of: $0) == name }) { return hit.path }
        }
        return nil
    }

    private static func name(of entry: JSONValue) -> String? {
        guard case .object(let members) = entry.kind, let n = members.first(where: { $0.key == "name" }), case .string(let s) = n.value.kind else { return nil }
        return s
    }

    /// The tree as JSON text, two-space indented, members in source order.
    static func render(_ value: JSONValue) -> String { output(value).rendered() }

    private static func output(_ value: JSONValue) -> JSONOutput {
        switch value.kind {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let literal, _):
            if let i = Int(literal) { return .integer(i) }
            return .number(Double(literal) ?? 0)
        case .array(let items): return .array(items.map(output))
        case .object(let members): return .object(members.map { ($0.key, output($0.value)) })
        }
    }
}

/// Human size text for values explore writes: "512M", "2G", "64K", else hex.
enum SizeText {
    static func format(_ value: UInt64) -> String {
        for (shift, suffix) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where value != 0 && value % (UInt64(1) << UInt64(shift)) == 0 {
            return "\(value >> UInt64(shift))\(suffix)"
        }
        return Hex.format(value)
    }
}
