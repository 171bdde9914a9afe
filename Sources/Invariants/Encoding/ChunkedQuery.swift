import Stage2Decoder
import Z3
/// Checks a long list of independent proof obligations with Z3, a chunk at
/// a time, in one reference-counted context whose terms are released after
/// each chunk.
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
/// One solver answers every chunk, each inside its own `push`/`pop`: when a
/// chunk is checked, the solver's assertions are exactly that chunk's query
/// (the pop of the previous chunk removed everything else), so each answer is
/// about that chunk alone, as with a fresh solver. Within a chunk, each
/// violation found is dropped from the disjunction and the rest asked again
/// (pop, push, assert the smaller disjunction), so every failed obligation is
/// found, up to the limit. (Asserting the found obligation's negation instead
/// would be inconsistent for a ground obligation, which is simply true when
/// it fails: every later failure of the chunk would go unreported.)
///
/// Why one reference-counted context: making a Z3 context costs about 2 ms,
/// as much as 500 to 1000 ground obligations, and a context that is not
/// reference counted keeps every term it made until it is deleted. The
/// context here (`Z3Context(releasesTerms: true)`) is made once per run;
/// each chunk's terms are made in a `withTermScope` and released when the
/// chunk is done, so memory stays bounded by one chunk's terms and the
/// per-chunk cost is only the `check`. Measured in docs/performance.md
/// ("Z3 term cost", `p2m-bench --worker z3cost`): about 1.5 to 2x fewer
/// microseconds per obligation than a fresh context per chunk, and with the
/// context reused, chunks of 64 to 2048 obligations cost about the same.
struct ChunkedQuery {
    /// Obligations per chunk. With the context reused, 256 was the cheapest
    /// chunk size measured (64 to 2048 are within about 15%; smaller chunks
    /// pay the `check` more often, larger ones make Z3's term tables outgrow
    /// the cache).
    static let defaultChunkSize = 1 << 8

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
    ///     Terms it makes live until its chunk is done: it must not keep them.
    ///   - interpret: given Z3's value of `x` and the index of the obligation the model
    ///     shows failed, re-checks that failure in Swift and returns the finding (the
    ///     obligation is then dropped from the chunk's query), or nil if it does not
    ///     re-check, which stops the search with an unknown outcome.
    /// - Throws: `SolverError` on a Z3 error.
    func run<Finding>(
        count: Int,
        fails: (RangeTerms, BitVector, Int) throws -> Formula,
        interpret: (UInt64, Int) throws -> Finding?
    ) throws -> Outcome<Finding> {
        var outcome = Outcome<Finding>()
        guard count > 0 else { return outcome }
        // A list of one chunk uses the check's context (making a context costs about as much as
        // 600 obligations); a longer one a reference-counted context of its own, whose terms are
        // released chunk by chunk.
        let context = count <= chunkSize ? try Z3Context.forCheck() : try Z3Context(releasesTerms: true)
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let solver = try Z3Solver(context: context, simple: true)
        var start = 0
        while start < count {
            let chunk = start..<min(count, start + max(1, chunkSize))
            start = chunk.upperBound
            // A throw ends the run, so a solver left unpopped is never asked again.
            let more = try context.withTermScope {
                try solver.push()
                let more = try check(chunk, terms: terms, x: x, solver: solver, fails: fails, interpret: interpret, into: &outcome)
                try solver.pop()
                return more
            }
            if !more { break }
        }
        return outcome
    }

    /// Checks one chunk in `solver` (inside the caller's push and term scope).
    /// - Returns: whether to go on with the next chunk (false once a chunk is
    ///   unknown, a model does not re-check, or the violation limit is reached).
    private func check<Finding>(
        _ chunk: Range<Int>, terms: RangeTerms, x: BitVector, solver: Z3Solver,
        fails: (RangeTerms, BitVector, Int) throws -> Formula,
        interpret: (UInt64, Int) throws -> Finding?,
        into outcome: inout Outcome<Finding>
    ) throws -> Bool {
        let limit = max(1, options.maximumViolations)
        var failures: [Formula] = []
        failures.reserveCapacity(chunk.count)
        for i in chunk { failures.append(try fails(terms, x, i)) }
        let query = try Formula.or(failures, in: terms.context)
        if options.countTerms { outcome.termCount += query.termCount }
        try solver.assert(query)
        var live = Array(failures.indices)
        while true {
            switch try outcome.check(solver, options) {
            case .unsatisfiable:
                return true
            case .unknown(let reason):
                outcome.unknownReason = options.unknownReason(reason)
                return false
            case .satisfiable(let model):
                guard let offset = try live.first(where: { try model.value(of: failures[$0]) }),
                      let finding = try interpret(try model.value(of: x), chunk.lowerBound + offset)
                else {
                    outcome.unknownReason = "a Z3 model did not re-check against the decoded facts"
                    return false
                }
                outcome.findings.append(finding)
                if outcome.findings.count >= limit {
                    outcome.limitReached = true
                    return false
                }
                // Ask again without that obligation: replace the chunk's scope
                // (the caller's push) by one holding the smaller disjunction.
                live.removeAll { $0 == offset }
                try solver.pop()
                try solver.push()
                try solver.assert(try Formula.or(live.map { failures[$0] }, in: terms.context))
            }
        }
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
