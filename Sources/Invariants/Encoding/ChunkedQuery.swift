/// Checks a long list of independent proof obligations with Z3, a chunk at
/// a time, each chunk in its own context.
///
/// Obligation `i` is given as a formula `fails_i(x)`, satisfiable exactly
/// when the obligation does not hold; it may use the 64-bit witness variable
/// `x` (ground obligations ignore it). A chunk's query is
/// `or_{i in chunk} fails_i(x)`; it is unsat exactly when every obligation of
/// the chunk holds, so "every chunk unsat" is the same as "the disjunction of
/// all obligations' failures is unsat": nothing is lost by cutting the list.
/// When a chunk is sat, the failed obligation is the first `fails_i` true in
/// Z3's model; the caller re-checks it in Swift.
///
/// Why chunks and fresh contexts: `Z3Context` is not reference counted, so a
/// context keeps every term it ever made until it is deleted. One context
/// for 10^6 obligations holds them all at once (hundreds of MiB); a context
/// per chunk of `chunkSize` obligations bounds the memory at one chunk's
/// terms, and the cost of a context (about a millisecond) is paid once per
/// chunk. Within a chunk, each violation found is dropped from the
/// disjunction and the rest asked again (in the same context), so every
/// failed obligation is found, up to the limit.
struct ChunkedQuery {
    /// Obligations per context. Measured with Debian's Z3 4.8.12: making a
    /// term costs more the more terms the context holds, and a context costs
    /// a few milliseconds; 2048 is near the minimum of the sum (docs/performance.md).
    static let defaultChunkSize = 1 << 11

    /// What the obligations came to.
    struct Outcome<Finding> {
        /// Failed obligations, each re-checked by the caller's `interpret`, in order of discovery.
        var findings: [Finding] = []
        /// Z3 `check` calls made.
        var queries = 0
        /// Seconds spent inside Z3's `check`.
        var solveSeconds: Double = 0
        /// Sum over chunks of the DAG size of the chunk's query (0 unless counted).
        var termCount = 0
        /// Why some chunk was not answered, if one was not: nothing is then claimed for it.
        var unknownReason: String?
        /// True when the search stopped at `options.maximumViolations` findings.
        var limitReached = false
    }

    var options: CheckOptions
    var chunkSize = defaultChunkSize

    /// Runs the obligations `0..<count`.
    /// - Parameters:
    ///   - fails: `fails(terms, x, i)` is the failure formula of obligation `i`.
    ///   - interpret: given Z3's value of `x` and the index of the obligation the model
    ///     shows failed, re-checks that failure in Swift and returns the finding (the
    ///     obligation is then blocked), or nil if it does not re-check, which stops
    ///     the search with an unknown outcome.
    /// - Throws: `SolverError` on a Z3 error.
    func run<Finding>(
        count: Int,
        fails: (RangeTerms, BitVector, Int) throws -> Formula,
        interpret: (UInt64, Int) throws -> Finding?
    ) throws -> Outcome<Finding> {
        var outcome = Outcome<Finding>()
        let limit = max(1, options.maximumViolations)
        var start = 0
        chunks: while start < count {
            let chunk = start..<min(count, start + max(1, chunkSize))
            start = chunk.upperBound
            let context = try Z3Context()
            let terms = RangeTerms(context: context)
            let x = try terms.variable("x")
            var failures: [Formula] = []
            failures.reserveCapacity(chunk.count)
            for i in chunk { failures.append(try fails(terms, x, i)) }
            let query = try Formula.or(failures, in: context)
            if options.countTerms { outcome.termCount += query.termCount }
            var solver = try Z3Solver(context: context, simple: true)
            try solver.assert(query)
            var live = Array(failures.indices)
            while true {
                switch try outcome.check(solver, options) {
                case .unsatisfiable:
                    continue chunks
                case .unknown(let reason):
                    outcome.unknownReason = options.unknownReason(reason)
                    return outcome
                case .satisfiable(let model):
                    guard let offset = try live.first(where: { try model.value(of: failures[$0]) }),
                          let finding = try interpret(try model.value(of: x), chunk.lowerBound + offset)
                    else {
                        outcome.unknownReason = "a Z3 model did not re-check against the decoded facts"
                        return outcome
                    }
                    outcome.findings.append(finding)
                    if outcome.findings.count >= limit {
                        outcome.limitReached = true
                        return outcome
                    }
                    // Ask again without that obligation. (Asserting its negation instead would
                    // be inconsistent for a ground obligation, which is simply true when it
                    // fails: every later failure of the chunk would go unreported.)
                    live.removeAll { $0 == offset }
                    solver = try Z3Solver(context: context, simple: true)
                    try solver.assert(try Formula.or(live.map { failures[$0] }, in: context))
                }
            }
        }
        return outcome
    }
}

extension ChunkedQuery.Outcome {
    /// The verdict for re-checked `violations` found by this search: violated
    /// if there is one; else unknown if some chunk went unanswered; else proved.
    func verdict(_ violations: [Violation]) -> Verdict {
        if !violations.isEmpty { return .violated(violations) }
        if let unknownReason { return .unknown(reason: unknownReason) }
        return .proved
    }
}

extension ChunkedQuery.Outcome {
    /// Asks `solver` under `options`' limits, counting the query and its time.
    /// - Throws: `SolverError` on a Z3 error.
    mutating func check(_ solver: Z3Solver, _ options: CheckOptions) throws -> SolverOutcome {
        queries += 1
        let clock = ContinuousClock()
        let before = clock.now
        let answer = try solver.check(options)
        solveSeconds += (clock.now - before).seconds
        return answer
    }
}

extension ChunkedQuery.Outcome: Sendable where Finding: Sendable {}
