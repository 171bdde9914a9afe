import P2MModel

/// Typed reading of spec values (addresses, sizes, small integers, enums),
/// each failure a `SpecError` at the value's path.
enum SpecValues {
    /// A 64-bit address or size: a string (`"0x40000000"`, `"2G"`, `"4096"`) or a JSON integer.
    static func uint64(_ value: JSONValue) throws(SpecError) -> UInt64 {
        if value.isAutoPlaceholder {
            throw SpecError(path: value.path, location: value.location, message: "\"auto\" is a placeholder that only `p2m-check explore` fills in; run `p2m-check explore <spec> -o solved.json` and check the solved spec")
        }
        let text: String
        if case .string(let s) = value.kind {
            text = s
        } else if case .number(let literal, let isInteger) = value.kind {
            guard isInteger else {
                throw SpecError(path: value.path, location: value.location, message: "floating-point numbers are not allowed; write an integer or a hex string")
            }
            text = literal
        } else {
            throw SpecError(path: value.path, location: value.location, message: "expected a hex string like \"0x40000000\" or a size like \"2G\", found \(value.kindName)")
        }
        do { return try SizeLiteral.parse(text) } catch {
            throw SpecError(path: value.path, location: value.location, message: error.description)
        }
    }

    /// A small non-negative integer in `bounds` (bit widths, vCPU counts).
    static func integer(_ value: JSONValue, in bounds: ClosedRange<Int>) throws(SpecError) -> Int {
        guard case .number(let literal, let isInteger) = value.kind, isInteger else {
            throw SpecError(path: value.path, location: value.location, message: "expected an integer in \(bounds.lowerBound)...\(bounds.upperBound), found \(value.kindName)")
        }
        guard let n = Int(literal), bounds.contains(n) else {
            throw SpecError(path: value.path, location: value.location, message: "\(literal) is out of range; expected \(bounds.lowerBound)...\(bounds.upperBound)")
        }
        return n
    }

    /// A non-empty string.
    static func name(_ value: JSONValue) throws(SpecError) -> String {
        let s: String
        do { s = try value.asString() } catch { throw SpecError(error) }
        guard !s.isEmpty else { throw SpecError(path: value.path, location: value.location, message: "must not be empty") }
        return s
    }

    /// One of the raw values of `E`.
    static func enumeration<E: RawRepresentable & CaseIterable>(_ value: JSONValue, as _: E.Type) throws(SpecError) -> E where E.RawValue == String {
        let s: String
        do { s = try value.asString() } catch { throw SpecError(error) }
        guard let e = E(rawValue: s) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError(path: value.path, location: value.location, message: "unknown value \"\(s)\"; expected one of \(allowed)")
        }
        return e
    }

    static func array(_ value: JSONValue) throws(SpecError) -> [JSONValue] {
        do { return try value.asArray() } catch { throw SpecError(error) }
    }

    static func bool(_ value: JSONValue) throws(SpecError) -> Bool {
        do { return try value.asBool() } catch { throw SpecError(error) }
    }

    /// A non-empty string, or a non-empty array of non-empty strings (a
    /// device-tree string list such as `compatible`).
    static func strings(_ value: JSONValue) throws(SpecError) -> [String] {
        if case .string = value.kind { return [try name(value)] }
        let items = try array(value)
        guard !items.isEmpty else { throw SpecError(path: value.path, location: value.location, message: "must be a string or a non-empty array of strings") }
        var result: [String] = []
        for item in items { result.append(try name(item)) }
        return result
    }

    /// A Xen release, "MAJOR.MINOR" or "MAJOR.MINOR.PATCH", within the releases
    /// the model describes.
    static func xenVersion(_ value: JSONValue) throws(SpecError) -> XenVersion {
        let text = try name(value)
        guard let version = XenVersion(parsing: text) else {
            throw SpecError(path: value.path, location: value.location, message: "\"\(text)\" is not a Xen version; expected MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. \"4.17\" or \"4.19.2\"")
        }
        guard version >= .oldestModelled, version <= .newestModelled else {
            throw SpecError(path: value.path, location: value.location, message: "Xen \(text) is outside the releases this checker models (4.17 to 4.22)")
        }
        return version
    }

    static func origin(_ value: JSONValue) -> SpecOrigin {
        SpecOrigin(path: value.path.description, line: value.location.line, column: value.location.column)
    }
}
