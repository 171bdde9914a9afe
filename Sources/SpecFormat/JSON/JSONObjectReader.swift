/// Reads the members of a JSON object by key, remembering which keys were
/// asked for, so that `rejectUnknownKeys()` can name any field the decoder
/// does not know (typos like `bsae` never pass silently). Keys starting with
/// `$` (such as `$schema`) or `_comment` are always allowed.
struct JSONObjectReader {
    private let object: JSONValue
    private let members: [JSONValue.Member]
    private var asked: [String] = []

    /// - Throws: `JSONDecodeError` if `value` is not an object.
    init(_ value: JSONValue) throws(JSONDecodeError) {
        guard case .object(let m) = value.kind else {
            throw JSONDecodeError(path: value.path, location: value.location, message: "expected an object, found \(value.kindName)")
        }
        object = value
        members = m
    }

    /// The value at `key`.
    /// - Throws: `JSONDecodeError` naming the object's path and the key when it is missing.
    mutating func required(_ key: String) throws(JSONDecodeError) -> JSONValue {
        guard let v = optional(key) else {
            throw JSONDecodeError(path: object.path, location: object.location, message: "missing required field \"\(key)\"")
        }
        return v
    }

    /// The value at `key`, or nil.
    mutating func optional(_ key: String) -> JSONValue? {
        asked.append(key)
        return members.first { $0.key == key }?.value
    }

    /// - Throws: `JSONDecodeError` at the first member whose key was never asked for.
    func rejectUnknownKeys() throws(JSONDecodeError) {
        for m in members where !asked.contains(m.key) && !m.key.hasPrefix("$") && !m.key.hasPrefix("_comment") {
            let allowed = Array(Set(asked)).sorted().joined(separator: ", ")
            throw JSONDecodeError(path: m.value.path, location: m.keyLocation, message: "unknown field \"\(m.key)\"; expected one of \(allowed)")
        }
    }
}
