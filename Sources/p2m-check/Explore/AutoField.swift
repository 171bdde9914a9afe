import P2MModel
import SpecFormat

/// A value the spec leaves to `explore`: `"auto"` or
/// `{"auto": {"min": ..., "max": ..., "align": ...}}`.
///
/// For an address (a load address or a pool base) `min` and `max` bound the
/// whole item: it must lie in `[min, max)`. For a domain's memory they bound
/// the size, and `align` is the step of the search.
struct AutoField: Sendable {
    enum Kind: Sendable, Equatable {
        /// A load address or p2m pool base.
        case address
        /// A domain's RAM size: explore looks for the largest that proves.
        case memory
    }

    var path: JSONPointer
    var kind: Kind
    var minimum: UInt64?
    var maximum: UInt64?
    var alignment: UInt64?

    /// The auto fields of a parsed spec, in document order.
    /// - Throws: `ExploreError` for `"auto"` in a place explore does not fill, or malformed bounds.
    static func find(in root: JSONValue) throws(ExploreError) -> [AutoField] {
        var found: [AutoField] = []
        try walk(root, into: &found)
        return found
    }

    private static func walk(_ value: JSONValue, into found: inout [AutoField]) throws(ExploreError) {
        if value.isAutoPlaceholder {
            found.append(try AutoField(value))
            return
        }
        switch value.kind {
        case .array(let items): for item in items { try walk(item, into: &found) }
        case .object(let members): for m in members { try walk(m.value, into: &found) }
        default: break
        }
    }

    private init(_ value: JSONValue) throws(ExploreError) {
        path = value.path
        let t = value.path.tokens
        switch t.count {
        case 2 where t == ["hypervisor", "load_address"]: kind = .address
        case 3 where t[0] == "boot_modules" && t[2] == "load_address": kind = .address
        case 3 where t[0] == "domains" && t[2] == "memory": kind = .memory
        case 4 where t[0] == "domains" && t[2] == "p2m_pool" && t[3] == "base": kind = .address
        default: throw .autoNotAllowed(value.path)
        }
        guard case .object(let outer) = value.kind else { return }
        let bounds = outer[0].value
        guard case .object(let members) = bounds.kind else {
            throw .badBounds(bounds.path, "expected an object with optional \"min\", \"max\" and \"align\", found \(bounds.kindName)")
        }
        for m in members {
            let number = try Self.number(m.value)
            switch m.key {
            case "min": minimum = number
            case "max": maximum = number
            case "align":
                guard number > 0, number & (number - 1) == 0 else { throw .badBounds(m.value.path, "align must be a power of two") }
                alignment = number
            default: throw .badBounds(m.value.path, "unknown field \"\(m.key)\"; expected one of align, max, min")
            }
        }
        if let minimum, let maximum, minimum >= maximum {
            throw .badBounds(bounds.path, "min \(Hex.format(minimum)) must be below max \(Hex.format(maximum))")
        }
    }

    private static func number(_ value: JSONValue) throws(ExploreError) -> UInt64 {
        let text: String
        switch value.kind {
        case .string(let s): text = s
        case .number(let literal, true): text = literal
        default: throw .badBounds(value.path, "expected a hex string like \"0x40000000\", a size like \"2G\" or an integer, found \(value.kindName)")
        }
        do { return try SizeLiteral.parse(text) } catch { throw .badBounds(value.path, error.description) }
    }
}
