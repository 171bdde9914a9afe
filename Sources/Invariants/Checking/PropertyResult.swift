import Stage2Decoder
import Z3
/// The verdict on one property.
public enum Verdict: Sendable, Hashable {
    /// Every query for the property was answered unsat by Z3.
    case proved
    /// Z3 found at least one model; each is a checked counterexample.
    case violated([Violation])
    /// Some query was not answered (timeout, resource limit, incomplete walk,
    /// solver error): nothing is claimed.
    case unknown(reason: String)

    public var name: String {
        switch self {
        case .proved: return "proved"
        case .violated: return "violated"
        case .unknown: return "unknown"
        }
    }
}

/// The result of checking one property, with what it cost.
public struct PropertyResult: Sendable, Hashable {
    public var property: PropertyID
    public var verdict: Verdict
    /// Z3 queries issued.
    public var queries: Int
    /// Wall-clock seconds spent in encoding and solving.
    public var seconds: Double
    /// Remarks a user should see (e.g. what was excluded and why).
    public var notes: [String]
    /// Of `seconds`, the part spent inside Z3's `check` (the rest is encoding).
    public var solveSeconds: Double = 0
    /// Terms (DAG nodes) of the queries, summed; 0 unless `CheckOptions.countTerms`.
    public var termCount: Int = 0

    public init(property: PropertyID, verdict: Verdict, queries: Int, seconds: Double, notes: [String] = []) {
        self.property = property
        self.verdict = verdict
        self.queries = queries
        self.seconds = seconds
        self.notes = notes
    }
}
