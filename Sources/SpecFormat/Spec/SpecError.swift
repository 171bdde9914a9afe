import P2MModel

/// A spec that cannot be used, with the JSON path of the offending entry.
/// Always reported with exit code 2.
public struct SpecError: Error, Equatable, CustomStringConvertible {
    /// JSON Pointer of the offending value ("" is the document).
    public var path: JSONPointer
    public var location: SourceLocation?
    public var message: String

    public init(path: JSONPointer, location: SourceLocation?, message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    init(_ error: JSONDecodeError) {
        self.init(path: error.path, location: error.location, message: error.message)
    }

    init(_ error: JSONParseError) {
        self.init(path: error.path, location: error.location, message: error.message)
    }

    /// `"/devices/3/base: expected ..."`, the form users grep for. Always one
    /// line of printable text: control characters and bidirectional overrides
    /// that came from the spec (in a key, a name, a value) are shown as
    /// `\u001b`-style escapes, so a hostile spec cannot forge output lines or
    /// drive the terminal.
    public var description: String { Self.printable("\(path.displayString): \(message)") }

    static func printable(_ text: String) -> String { PrintableText.escape(text) }
}
