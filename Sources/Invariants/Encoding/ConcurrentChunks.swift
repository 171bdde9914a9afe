import Stage2Decoder
import Z3
extension ChunkedQuery {
    /// `run`, with the obligations cut into up to `options.concurrency`
    /// contiguous slices checked at once, each on a thread of its own with
    /// its own Z3 context (one per slice, as in `run`). Obligations are
    /// independent, so the slices together are unsat exactly when every
    /// obligation holds, as in `run`; the outcome merges the slices in order.
    /// A list shorter than two chunks per slice runs on the calling thread.
    ///
    /// Findings: each slice stops at `options.maximumViolations`; the merged
    /// list keeps that many, from the lowest slices first.
    /// - Throws: the first `SolverError` a slice threw.
    func runConcurrently<Finding: Sendable>(
        count: Int,
        fails: @escaping @Sendable (RangeTerms, BitVector, Int) throws -> Formula,
        interpret: @escaping @Sendable (UInt64, Int) throws -> Finding?
    ) throws -> Outcome<Finding> {
        let slices = min(max(1, options.concurrency), count / max(1, 2 * chunkSize))
        if slices <= 1 { return try run(count: count, fails: fails, interpret: interpret) }
        let bounds = (0...slices).map { count * $0 / slices }
        let query = self
        let results = concurrentMap(slices, width: slices) { s in
            let lower = bounds[s]
            return Result {
                try query.run(count: bounds[s + 1] - lower, fails: { terms, x, i in try fails(terms, x, lower + i) },
                              interpret: { value, i in try interpret(value, lower + i) })
            }
        }
        var merged = Outcome<Finding>()
        for result in results {
            let part = try result.get()
            merged.findings += part.findings
            merged.queries += part.queries
            merged.solveSeconds += part.solveSeconds
            merged.termCount += part.termCount
            merged.limitReached = merged.limitReached || part.limitReached
            if merged.unknownReason == nil { merged.unknownReason = part.unknownReason }
        }
        let limit = max(1, options.maximumViolations)
        if merged.findings.count >= limit {
            merged.findings = Array(merged.findings.prefix(limit))
            merged.limitReached = true
        }
        return merged
    }
}

