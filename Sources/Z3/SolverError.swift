/// Errors from the Z3 layer. Z3 never aborts the process: every error it
/// reports becomes one of these, and misuse that Z3 would not catch (terms
/// of two contexts, impossible widths) is refused in Swift before Z3 sees it.
public enum SolverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Z3 reported an error (sort mismatch, invalid argument, exception, ...).
    case z3(code: Int, message: String)
    /// Z3 ran out of memory (its `memory_max_size` limit, or the machine's).
    case outOfMemory(String)
    /// Two bit-vectors of different widths were combined.
    case widthMismatch(Int, Int)
    /// A bit-vector width that is not positive, or a constant wider than 64 bits.
    case invalidWidth(Int)
    /// `extract(high:low:)` outside `width > high >= low >= 0`.
    case invalidExtract(high: Int, low: Int, width: Int)
    /// Terms or solvers of two different contexts were combined (Z3 itself
    /// would read freed or foreign memory).
    case contextMismatch
    /// Z3 could not create a context.
    case contextCreationFailed
    /// A model value could not be read as a 64-bit number.
    case valueUnavailable(String)
    /// A term was used after the `Z3Context.withTermScope` it was made in had
    /// ended (its memory may be released).
    case termReleased

    public var description: String {
        switch self {
        case .z3(let code, let message): return "Z3 error \(code): \(message)"
        case .outOfMemory(let message): return "Z3 ran out of memory: \(message)"
        case .widthMismatch(let a, let b): return "bit-vector widths differ: \(a) and \(b)"
        case .invalidWidth(let w): return "invalid bit-vector width \(w)"
        case .invalidExtract(let high, let low, let width): return "cannot extract bits \(high)...\(low) of a \(width)-bit vector"
        case .contextMismatch: return "terms from two different Z3 contexts were combined"
        case .contextCreationFailed: return "Z3 could not create a context"
        case .valueUnavailable(let what): return "no value in the model for \(what)"
        case .termReleased: return "a Z3 term was used after the scope it was made in had ended"
        }
    }
}
