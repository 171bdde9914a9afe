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

    /// The array at `key` (required unless `optional`), element by element.
    mutating func array(_ key: String, optional isOptional: Bool = false) throws(SpecError) -> [JSONValue] {
        let v: JSONValue
        if isOptional {
            guard let o = reader.optional(key) else { return [] }
            v = o
        } else {
            v = try required(key)
        }
        do { return try v.asArray() } catch { throw SpecError(error) }
    }

    /// Fails on any field that was not asked for.
    func finish() throws(SpecError) {
        do { try reader.rejectUnknownKeys() } catch { throw SpecError(error) }
    }
}
