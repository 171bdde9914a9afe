/// Malformed JSON text.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    /// Pointer of the value being parsed when the error was found.
    public var path: JSONPointer
    public var message: String

    public var description: String { "\(location) (at \(path.displayString)): \(message)" }
}

/// Well-formed JSON that does not have the expected shape.
public struct JSONDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: JSONPointer
    public var location: SourceLocation?
    public var message: String

    public var description: String { "\(path.displayString): \(message)" }
}
