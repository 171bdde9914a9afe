/// A parsed JSON value that knows where it came from: its JSON Pointer and
/// its position in the source.
public struct JSONValue: Sendable {
    /// One member of an object, in source order.
    public struct Member: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: JSONValue
    }

    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number exactly as written; `isInteger` when it has no fraction or exponent.
        case number(literal: String, isInteger: Bool)
        case string(String)
        case array([JSONValue])
        case object([Member])
    }

    public var kind: Kind
    public var location: SourceLocation
    public var path: JSONPointer

    /// "null", "boolean", "number", "string", "array" or "object", for messages.
    public var kindName: String {
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

    public func asString() throws(JSONDecodeError) -> String {
        guard case .string(let s) = kind else { throw mismatch("a string") }
        return s
    }

    public func asBool() throws(JSONDecodeError) -> Bool {
        guard case .bool(let b) = kind else { throw mismatch("true or false") }
        return b
    }

    public func asArray() throws(JSONDecodeError) -> [JSONValue] {
        guard case .array(let a) = kind else { throw mismatch("an array") }
        return a
    }

    /// The literal text of an integer number.
    /// - Throws: for non-numbers and for floats ("floating-point numbers are not allowed ...").
    public func asIntegerLiteral() throws(JSONDecodeError) -> String {
        guard case .number(let literal, let isInteger) = kind else { throw mismatch("an integer") }
        guard isInteger else {
            throw JSONDecodeError(path: path, location: location, message: "floating-point numbers are not allowed; write an integer or a hex string")
        }
        return literal
    }
}
