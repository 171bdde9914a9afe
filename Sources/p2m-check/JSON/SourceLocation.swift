/// A position in a source file: 1-based line and column (column counted in
/// bytes of UTF-8 from the start of the line) and the 0-based byte offset.
struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int
    var offset: Int

    var description: String { "line \(line), column \(column)" }
}
