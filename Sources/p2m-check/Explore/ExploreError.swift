import SpecFormat

/// Why `explore` cannot work on a spec or a command-line argument. Always exit 2.
enum ExploreError: Error, CustomStringConvertible {
    /// The spec file could not be read.
    case unreadable(String)
    /// The spec is not JSON, or (with its auto fields filled in) not a valid spec.
    case spec(SpecError)
    /// `"auto"` where explore cannot choose a value.
    case autoNotAllowed(JSONPointer)
    /// A malformed `{"auto": {...}}` object.
    case badBounds(JSONPointer, String)
    /// A malformed `--objective` or `--sweep`, or one naming nothing in the spec.
    case badArgument(String)

    var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the file"
        case .spec(let error): return error.description
        case .autoNotAllowed(let path):
            return "\(path.displayString): \"auto\" is allowed only for /hypervisor/load_address, /boot_modules/N/load_address, /domains/N/p2m_pool/base and /domains/N/memory"
        case .badBounds(let path, let message): return "\(path.displayString): \(message)"
        case .badArgument(let message): return message
        }
    }
}
