/// A parsed JSON value that knows where it came from: its JSON Pointer and
/// its position in the source.
struct JSONValue: Sendable {
    /// One member of an object, in source order.
    struct Member: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: JSONValue
    }

    indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number exactly as written; `isInteger` when it has no fraction or exponent.
        case number(literal: String, isInteger: Bool)
        case string(String)
        case array([JSONValue])
        case object([Member])
    }

    var kind: Kind
    var location: SourceLocation
    var path: JSONPointer

    /// "null", "boolean", "number", "string", "array" or "object", for messages.
    var kindName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    private func mismatch(_ expected: String) -> JSONDecodeError {
        JSONDecodeError(path: path, location: location, message: "expected \(expected), found \(kindName)")
    }

    func asString() throws(JSONDecodeError) -> String {
        guard case .string(let s) = kind else { throw mismatch("a string") }
        return s
    }

    func asBool() throws(JSONDecodeError) -> Bool {
        guard case .bool(let b) = kind else { throw mismatch("true or false") }
        return b
    }

    func asArray() throws(JSONDecodeError) -> [JSONValue] {
        guard case .array(let a) = kind else { throw mismatch("an array") }
        return a
    }

    /// The literal text of an integer number.
    /// - Throws: for non-numbers and for floats ("floating-point numbers are not allowed ...").
    func asIntegerLiteral() throws(JSONDecodeError) -> String {
        guard case .number(let literal, let isInteger) = kind else { throw mismatch("an integer") }
        guard isInteger else {
            throw JSONDecodeError(path: path, location: location, message: "floating-point numbers are not allowed; write an integer or a hex string")
        }
        return literal
    }
}
