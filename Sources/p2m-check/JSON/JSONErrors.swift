/// Malformed JSON text.
struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    var location: SourceLocation
    /// Pointer of the value being parsed when the error was found.
    var path: JSONPointer
    var message: String

    var description: String { "\(location) (at \(path.displayString)): \(message)" }
}

/// Well-formed JSON that does not have the expected shape.
struct JSONDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    var path: JSONPointer
    var location: SourceLocation?
    var message: String

    var description: String { "\(path.displayString): \(message)" }
}
