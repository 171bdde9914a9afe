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

    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let hidden = v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            guard hidden else {
                out.append(scalar)
                continue
            }
            let digits = String(v, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits).unicodeScalars)
        }
        return String(out)
    }
}
