import Stage2Decoder
import Z3
/// Collects per-domain verdicts into one result.
struct ResultBuilder {
    let property: PropertyID
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var verdicts: [Verdict] = []
    var queries = 0
    var notes: [String] = []
    /// Seconds inside Z3's `check`, and terms of the queries (when counted).
    var solveSeconds = 0.0
    var termCount = 0

    init(_ property: PropertyID) {
        self.property = property
        start = clock.now
    }

    /// Whether `domain`'s walk completed; if not, records "unknown" for it
    /// (nothing over an incomplete walk can be proved).
    mutating func walkComplete(_ domain: DomainFacts) -> Bool {
        if domain.decoded.isComplete { return true }
        verdicts.append(.unknown(reason: "the walk of \(domain.spec.name)'s tables did not complete"))
        return false
    }

    mutating func add(_ result: (Verdict, Int)) {
        verdicts.append(result.0)
        queries += result.1
    }

    /// Records a linear encoding's outcome with the verdict it gives for `violations`.
    mutating func add<Finding>(_ outcome: ChunkedQuery.Outcome<Finding>, _ violations: [Violation]) {
        verdicts.append(outcome.verdict(violations))
        count(outcome)
    }

    /// Counts an outcome's queries, solve time and terms, without a verdict
    /// (for a lemma whose use is judged where it is used).
    mutating func count<Finding>(_ outcome: ChunkedQuery.Outcome<Finding>) {
        queries += outcome.queries
        solveSeconds += outcome.solveSeconds
        termCount += outcome.termCount
    }

    func result() -> PropertyResult {
        var result = PropertyResult(property: property, verdict: Verdict.combining(verdicts), queries: queries, seconds: (clock.now - start).seconds, notes: notes)
        result.solveSeconds = solveSeconds
        result.termCount = termCount
        return result
    }
}
