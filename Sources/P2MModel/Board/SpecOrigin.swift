/// Where a model element came from in the spec: its JSON Pointer (RFC 6901)
/// and, when known, its line and column in the spec file. Every report that
/// names a region carries the origin of the entry that produced it.
public struct SpecOrigin: Hashable, Sendable, CustomStringConvertible {
    /// JSON Pointer of the entry, e.g. `/boot_modules/0`.
    public var path: String
    /// 1-based line of the entry in the spec file, if known.
    public var line: Int?
    /// 1-based column of the entry in the spec file, if known.
    public var column: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// An origin for elements the hypervisor derives rather than reads (e.g. a table page).
    public static func derived(from parent: SpecOrigin) -> SpecOrigin { parent }

    public var description: String { path.isEmpty ? "/" : path }
}
