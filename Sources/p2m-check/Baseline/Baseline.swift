import Foundation
import Invariants
import SpecFormat

/// A file of known findings, format `p2m-check-baseline/v1`
/// (docs/report-format.md): each entry names a spec, a property, and the
/// JSON paths (and optionally the region names) of one violation that is
/// known and accepted for now. With `--baseline FILE`, a violation that
/// matches an entry is reported as `known` (still printed, with the entry's
/// reason) and does not fail the run; any other violation still does.
struct Baseline {
    /// One known finding.
    struct Entry: Equatable {
        /// The spec file, as written in the baseline (relative to the baseline's directory).
        var spec: String
        var property: PropertyID
        /// The JSON paths of the violation's regions (compared as a set).
        var paths: Set<String>
        /// The violation's region names (compared as a set), when the entry gives them.
        var regions: Set<String>?
        /// Why the finding is accepted; printed next to it.
        var reason: String
        /// Where the entry is in the baseline file.
        var location: SourceLocation
    }

    static let format = "p2m-check-baseline/v1"

    /// The baseline file as given on the command line.
    var path: CommandLinePath
    var entries: [Entry]

    /// Reads and validates a baseline file.
    /// - Throws: `BaselineError` with the file, line:column and JSON path of what is wrong.
    static func load(_ path: CommandLinePath) throws(BaselineError) -> Baseline {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path, upTo: SpecDecoder.maximumBytes + 1) } catch { throw .file(error) }
        guard bytes.count <= SpecDecoder.maximumBytes else { throw BaselineError(path, nil, .root, "larger than \(SpecDecoder.maximumBytes) bytes") }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw BaselineError(path, error.location, error.path, error.message) }
        return Baseline(path: path, entries: try entries(in: root, path))
    }

    private static func entries(in root: JSONValue, _ file: CommandLinePath) throws(BaselineError) -> [Entry] {
        let top = try members(root, ["format", "known"], file)
        guard let format = top["format"], case .string(let text) = format.kind, text == Self.format else {
            throw BaselineError(file, (top["format"] ?? root).location, (top["format"] ?? root).path, "\"format\" must be \"\(Self.format)\"")
        }
        guard let known = top["known"], case .array(let items) = known.kind else {
            throw BaselineError(file, root.location, root.path.appending(key: "known"), "\"known\" must be an array of findings")
        }
        var entries: [Entry] = []
        for item in items {
            let m = try members(item, ["spec", "property", "paths", "regions", "reason"], file)
            let spec = try string(m["spec"], "spec", in: item, file)
            let propertyText = try string(m["property"], "property", in: item, file)
            guard let property = PropertyID(rawValue: propertyText) else {
                let ids = PropertyID.allCases.map(\.rawValue).joined(separator: ", ")
                throw BaselineError(file, m["property"]?.location, item.path.appending(key: "property"), "unknown property \"\(propertyText)\"; expected one of \(ids)")
            }
            let paths = try strings(m["paths"], "paths", in: item, file)
            guard !paths.isEmpty else { throw BaselineError(file, m["paths"]?.location, item.path.appending(key: "paths"), "give the JSON paths of the finding's regions") }
            let regions = m["regions"] == nil ? nil : try strings(m["regions"], "regions", in: item, file)
            let reason = try string(m["reason"], "reason", in: item, file)
            entries.append(Entry(spec: spec, property: property, paths: Set(paths), regions: regions.map(Set.init), reason: reason, location: item.location))
        }
        return entries
    }

    private static func members(_ value: JSONValue, _ allowed: [String], _ file: CommandLinePath) throws(BaselineError) -> [String: JSONValue] {
        guard case .object(let list) = value.kind else { throw BaselineError(file, value.location, value.path, "expected an object, found \(value.kindName)") }
        var out: [String: JSONValue] = [:]
        for m in list {
            guard allowed.contains(m.key) else {
                throw BaselineError(file, m.keyLocation, m.value.path, "unknown field \"\(m.key)\"; expected one of \(allowed.joined(separator: ", "))")
            }
            out[m.key] = m.value
        }
        return out
    }

    private static func string(_ value: JSONValue?, _ key: String, in parent: JSONValue, _ file: CommandLinePath) throws(BaselineError) -> String {
        guard let value else { throw BaselineError(file, parent.location, parent.path.appending(key: key), "missing \"\(key)\"") }
        guard case .string(let s) = value.kind, !s.isEmpty else { throw BaselineError(file, value.location, value.path, "\"\(key)\" must be a non-empty string") }
        return s
    }

    private static func strings(_ value: JSONValue?, _ key: String, in parent: JSONValue, _ file: CommandLinePath) throws(BaselineError) -> [String] {
        guard let value else { throw BaselineError(file, parent.location, parent.path.appending(key: key), "missing \"\(key)\"") }
        guard case .array(let items) = value.kind else { throw BaselineError(file, value.location, value.path, "\"\(key)\" must be an array of strings") }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item.kind else { throw BaselineError(file, item.location, item.path, "expected a string, found \(item.kindName)") }
            out.append(s)
        }
        return out
    }
}

/// Why a baseline file cannot be used. Always exit 2.
struct BaselineError: Error, CustomStringConvertible {
    var message: String

    init(_ file: CommandLinePath, _ location: SourceLocation?, _ path: JSONPointer, _ reason: String) {
        let place = location.map { ":\($0.line):\($0.column)" } ?? ""
        message = "\(file)\(place): \(PrintableText.escape(path.displayString)): \(PrintableText.escape(reason))"
    }

    static func file(_ error: InputFileError) -> BaselineError {
        var e = BaselineError(error.path, nil, .root, "")
        e.message = error.description
        return e
    }

    var description: String { "baseline: \(message)" }
}
