/// A position in a source file: 1-based line and column (column counted in
/// bytes of UTF-8 from the start of the line) and the 0-based byte offset.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public var description: String { "line \(line), column \(column)" }
}
