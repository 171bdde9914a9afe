import Foundation
import SpecFormat

/// A validator for the subset of JSON Schema (2020-12) that specs/schema.json
/// uses: type, required, properties, patternProperties, additionalProperties,
/// items, enum, const, minItems, maxItems, minLength, minimum, maximum, oneOf, pattern and
/// local `$ref`s into `$defs`. A keyword outside that subset is an error, so a
/// schema that grows past what this validator understands fails the tests
/// instead of passing unchecked. Test support only: no Swift JSON Schema
/// package is available.
struct SchemaValidator {
    let root: JSONValue

    struct UnsupportedKeyword: Error, CustomStringConvertible {
        var keyword: String
        var at: String
        var description: String { "schema keyword \"\(keyword)\" at \(at) is not supported by the test validator" }
    }

    /// Annotations that do not constrain anything.
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs", "$comment", "examples", "default"]
    static let supported: Set<String> = ["type", "required", "properties", "patternProperties", "additionalProperties", "items", "enum", "const",
                                         "minItems", "maxItems", "minLength", "minimum", "maximum", "oneOf", "pattern", "$ref"]

    init(schemaBytes: [UInt8]) throws {
        root = try JSONParser.parse(schemaBytes)
    }

    /// Every violation of the schema by `instance`, as "<JSON pointer>: <what>"; empty when valid.
    func validate(_ instance: JSONValue) throws -> [String] {
        try validate(instance, against: root, schemaPath: "#")
    }

    private static func members(_ v: JSONValue) -> [JSONValue.Member] {
        if case .object(let m) = v.kind { return m }
        return []
    }

    private static func member(_ v: JSONValue, _ key: String) -> JSONValue? {
        members(v).first { $0.key == key }?.value
    }

    private func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var current = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = Self.member(current, String(part)) else { return nil }
            current = next
        }
        return current
    }

    private func validate(_ value: JSONValue, against schema: JSONValue, schemaPath: String) throws -> [String] {
        let here = value.path.displayString
        var errors: [String] = []
        for m in Self.members(schema) where !Self.annotations.contains(m.key) && !Self.supported.contains(m.key) {
            throw UnsupportedKeyword(keyword: m.key, at: schemaPath)
        }
        if let ref = Self.member(schema, "$ref") {
            guard case .string(let r) = ref.kind, let target = resolve(r) else { throw UnsupportedKeyword(keyword: "$ref (non-local)", at: schemaPath) }
            errors += try validate(value, against: target, schemaPath: r)
        }
        if let type = Self.member(schema, "type"), case .string(let t) = type.kind, !Self.has(type: t, value) {
            return errors + ["\(here): expected \(t), found \(value.kindName)"]
        }
        if let e = Self.member(schema, "enum"), case .array(let options) = e.kind, !options.contains(where: { Self.equal($0, value) }) {
            errors.append("\(here): not one of the allowed values")
        }
        if let c = Self.member(schema, "const"), !Self.equal(c, value) {
            errors.append("\(here): not the required constant")
        }
        if let one = Self.member(schema, "oneOf"), case .array(let alternatives) = one.kind {
            var matches = 0
            for (i, alternative) in alternatives.enumerated() where try validate(value, against: alternative, schemaPath: "\(schemaPath)/oneOf/\(i)").isEmpty {
                matches += 1
            }
            if matches != 1 { errors.append("\(here): matches \(matches) of the oneOf alternatives, not exactly one") }
        }
        switch value.kind {
        case .string(let s):
            if let min = Self.integer(Self.member(schema, "minLength")), s.count < min { errors.append("\(here): shorter than \(min)") }
            if let p = Self.member(schema, "pattern"), case .string(let pattern) = p.kind {
                let regex = try NSRegularExpression(pattern: pattern)
                if regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil { errors.append("\(here): does not match \(pattern)") }
            }
        case .number(let literal, _):
            if let m = Self.member(schema, "minimum"), case .number(let bound, _) = m.kind, Self.compare(literal, bound) < 0 { errors.append("\(here): below \(bound)") }
            if let m = Self.member(schema, "maximum"), case .number(let bound, _) = m.kind, Self.compare(literal, bound) > 0 { errors.append("\(here): above \(bound)") }
        case .array(let items):
            if let min = Self.integer(Self.member(schema, "minItems")), items.count < min { errors.append("\(here): fewer than \(min) items") }
            if let max = Self.integer(Self.member(schema, "maxItems")), items.count > max { errors.append("\(here): more than \(max) items") }
            if let itemSchema = Self.member(schema, "items") {
                for item in items { errors += try validate(item, against: itemSchema, schemaPath: schemaPath + "/items") }
            }
        case .object(let fields):
            if let required = Self.member(schema, "required"), case .array(let names) = required.kind {
                for case .string(let name) in names.map(\.kind) where !fields.contains(where: { $0.key == name }) {
                    errors.append("\(here): missing required \"\(name)\"")
                }
            }
            let properties = Self.member(schema, "properties").map(Self.members) ?? []
            let patterns = Self.member(schema, "patternProperties").map(Self.members) ?? []
            let additional = Self.member(schema, "additionalProperties")
            for field in fields {
                var matched = false
                if let p = properties.first(where: { $0.key == field.key }) {
                    matched = true
                    errors += try validate(field.value, against: p.value, schemaPath: "\(schemaPath)/properties/\(field.key)")
                }
                for p in patterns where try NSRegularExpression(pattern: p.key).firstMatch(in: field.key, range: NSRange(field.key.startIndex..., in: field.key)) != nil {
                    matched = true
                    errors += try validate(field.value, against: p.value, schemaPath: "\(schemaPath)/patternProperties")
                }
                if !matched, let additional {
                    if case .bool(false) = additional.kind {
                        errors.append("\(field.value.path.displayString): property \"\(field.key)\" is not allowed")
                    } else {
                        errors += try validate(field.value, against: additional, schemaPath: "\(schemaPath)/additionalProperties")
                    }
                }
            }
        default: break
        }
        return errors
    }

    private static func has(type: String, _ v: JSONValue) -> Bool {
        switch (type, v.kind) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): return true
        case ("integer", .number(_, let isInteger)): return isInteger
        default: return false
        }
    }

    private static func integer(_ v: JSONValue?) -> Int? {
        guard let v, case .number(let literal, true) = v.kind else { return nil }
        return Int(literal)
    }

    /// Compares two integer literals exactly (they may exceed 64 bits).
    static func compare(_ a: String, _ b: String) -> Int {
        let (na, da) = (a.hasPrefix("-"), a.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
        let (nb, db) = (b.hasPrefix("-"), b.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
        if na != nb { return na ? -1 : 1 }
        let magnitude = da.count != db.count ? (da.count < db.count ? -1 : 1) : (da == db ? 0 : (da < db ? -1 : 1))
        return na ? -magnitude : magnitude
    }

    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a.kind, b.kind) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x, _), .number(let y, _)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.value, m.value) } }
        default: return false
        }
    }
}
