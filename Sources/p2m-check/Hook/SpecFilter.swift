/// Which staged files the pre-commit hook checks: paths (relative to the
/// work tree's top) that match `include` and do not match `exclude`.
struct SpecFilter {
    /// The default: every JSON file under `specs/`.
    static let defaultInclude = #"^specs/.*\.json$"#
    /// The default: specs that are broken on purpose, the JSON Schema, and
    /// the tests' expected findings (`*.expect.json`), which are not specs.
    static let defaultExclude = #"^specs/(broken/|schema\.json$)|\.expect\.json$"#

    let includePattern: String
    let excludePattern: String
    private let include: Regex<AnyRegexOutput>
    private let exclude: Regex<AnyRegexOutput>?

    /// - Throws: `FilterError.invalidPattern` when a pattern is not a valid regular expression.
    /// An empty `exclude` excludes nothing.
    init(include: String, exclude: String) throws(FilterError) {
        includePattern = include
        excludePattern = exclude
        // `.` matches a newline too: a path with a newline in its name is still a path.
        do { self.include = try Regex(include).dotMatchesNewlines() } catch { throw .invalidPattern(option: "--include", pattern: include, reason: "\(error)") }
        if exclude.isEmpty {
            self.exclude = nil
        } else {
            do { self.exclude = try Regex(exclude).dotMatchesNewlines() } catch { throw .invalidPattern(option: "--exclude", pattern: exclude, reason: "\(error)") }
        }
    }

    /// Whether `path` is excluded (an empty exclude excludes nothing).
    func excludes(_ path: String) -> Bool {
        guard let exclude else { return false }
        return path.contains(exclude)
    }

    /// Whether `path` is a spec to check.
    func selects(_ path: String) -> Bool {
        guard path.contains(include) else { return false }
        if let exclude, path.contains(exclude) { return false }
        return true
    }

    enum FilterError: Error, CustomStringConvertible {
        case invalidPattern(option: String, pattern: String, reason: String)

        var description: String {
            switch self {
            case .invalidPattern(let option, let pattern, let reason): return "\(option) \"\(pattern)\" is not a valid regular expression: \(reason)"
            }
        }
    }
}
