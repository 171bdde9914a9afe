/// Errors from the Z3 layer. Z3 never aborts the process: every error it
/// reports becomes one of these.
public enum SolverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Z3 reported an error (sort mismatch, invalid argument, out of memory, ...).
    case z3(code: Int, message: String)
    /// Two bit-vectors of different widths were combined.
    case widthMismatch(Int, Int)
    /// Z3 could not create a context.
    case contextCreationFailed
    /// A model value could not be read as a 64-bit number.
    case valueUnavailable(String)

    public var description: String {
        switch self {
        case .z3(let code, let message): return "Z3 error \(code): \(message)"
        case .widthMismatch(let a, let b): return "bit-vector widths differ: \(a) and \(b)"
        case .contextCreationFailed: return "Z3 could not create a context"
        case .valueUnavailable(let what): return "no value in the model for \(what)"
        }
    }
}
