import Stage2Decoder
import Z3
/// Ground certificates that ranges lie in the intervals Swift picked for
/// them: for claim `i`, Z3 checks `first(within_i) <=u first(range_i)` and
/// `last(range_i) <=u last(within_i)` (its failure formula is the negation),
/// in chunks (`ChunkedQuery`, concurrently for long lists). Every claim
/// holding means every range lies in its interval, whichever interval Swift
/// picked: a wrong pick fails its claim, it is never trusted.
///
/// Used wherever Swift has computed where each range lies
/// (`IntervalContainment`, `SetContainment`, `ClassDisjointness`,
/// `RunUnions`).
struct ContainmentClaims {
    var options: CheckOptions

    /// - Returns: the outcome; a finding is the index of a claim that failed in
    ///   Z3 and does not hold in Swift either (a model that fails a claim Swift
    ///   finds true does not re-check, and the outcome is unknown).
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ claims: [(range: ClosedInterval, within: ClosedInterval)]) throws -> ChunkedQuery.Outcome<Int> {
        try ChunkedQuery(options: options).runConcurrently(
            count: claims.count,
            fails: { [claims] terms, _, i in
                try Formula.or([
                    try terms.constant(claims[i].range.first).ult(try terms.constant(claims[i].within.first)),
                    try terms.constant(claims[i].within.last).ult(try terms.constant(claims[i].range.last)),
                ], in: terms.context)
            },
            interpret: { [claims] _, i in claims[i].within.contains(claims[i].range) ? nil : i })
    }
}
