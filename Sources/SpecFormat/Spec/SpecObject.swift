/// A JSON object being decoded as part of a spec: field access that throws
/// `SpecError` with paths, and a closing check that no unknown field is left.
struct SpecObject {
    let value: JSONValue
    private var reader: JSONObjectReader

    init(_ value: JSONValue) throws(SpecError) {
        self.value = value
        do { reader = try JSONObjectReader(value) } catch { throw SpecError(error) }
    }

    mutating func required(_ key: String) throws(SpecError) -> JSONValue {
        do { return try reader.required(key) } catch { throw SpecError(error) }
    }

    mutating func optional(_ key: String) -> JSONValue? {
        reader.optional(key)
    }

    /// The most entries one section (`/devices`, `/memory`, ...) may have.
    /// Real boards have hundreds of devices; the limit keeps a hostile spec
    /// from making the hypervisor model map millions of regions.
    static let maximumEntries = 4096

    /// The array at `key` (required unless `optional`), element by element.
    /// - Throws: when it is missing (and required), not an array, or longer than `maximumEntries`.
    mutating func array(_ key: String, optional isOptional: Bool = false) throws(SpecError) -> [JSONValue] {
        let v: JSONValue
        if isOptional {
            guard let o = reader.optional(key) else { return [] }
            v = o
        } else {
            v = try required(key)
        }
        let items: [JSONValue]
        do { items = try v.asArray() } catch { throw SpecError(error) }
        guard items.count <= Self.maximumEntries else {
            throw SpecError(path: v.path, location: v.location, message: "\(items.count) entries; at most \(Self.maximumEntries) are supported")
        }
        return items
    }

    /// Fails on any field that was not asked for.
    func finish() throws(SpecError) {
        do { try reader.rejectUnknownKeys() } catch { throw SpecError(error) }
    }
}
