import Stage2Decoder
import Z3
/// "Every byte of each target range lies in some piece" (the `/memory`
/// banks of a device tree are all mapped as RAM by the runs of the tables),
/// with an encoding linear in the number of pieces: the chain certificate.
///
/// For a target `t`, Swift picks a chain of pieces `c_0, ..., c_r` by the
/// greedy cover (from the first uncovered address, the piece starting at or
/// before it that reaches furthest). Z3 checks the ground obligations
/// - `first(c_0) <=u first(t)` and `last(t) <=u last(c_r)`;
/// - for each link `i < r`: `last(c_i) <u last(t)` (so `last(c_i) + 1`
///   does not wrap) and `first(c_{i+1}) <=u last(c_i) + 1` (no gap; the sum is
///   a Z3 term).
/// By induction the pieces of the chain cover `[first(c_0), last(c_r)]`
/// without a gap, which holds `t`. The numerals are the pieces' own bounds;
/// Swift's choice is not trusted, a wrong one fails an obligation.
///
/// When the greedy cover stops at an address `w` no piece holds, `t` is not
/// covered there; Z3 decides it exactly with
/// `x in [first(t), w] and not or_p (x in p)` over the pieces that overlap
/// `[first(t), w]` (no other piece can hold such an `x`): sat, and the model
/// is the witness, re-checked in Swift against every piece.
struct Covering {
    var options: CheckOptions

    /// A range that must be covered; `tag` names it in the caller's terms.
    struct Target {
        var range: ClosedInterval
        var tag: Int
    }

    /// An address of target `tag` in no piece.
    struct Gap: Hashable {
        var tag: Int
        var witness: UInt64
    }

    /// - Returns: one gap per uncovered target (up to `options.maximumViolations`),
    ///   or an unknown reason when a query was not answered or did not re-check.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ targets: [Target], pieces: [ClosedInterval]) throws -> ChunkedQuery.Outcome<Gap> {
        let sorted = pieces.sorted { $0.first < $1.first }
        // Prefix maxima of `last`: the piece reaching furthest among the first i + 1.
        var furthest: [Int] = []
        furthest.reserveCapacity(sorted.count)
        for i in sorted.indices {
            furthest.append(i > 0 && sorted[furthest[i - 1]].last >= sorted[i].last ? furthest[i - 1] : i)
        }
        /// The piece starting at or before `x` that reaches furthest.
        func reaching(_ x: UInt64) -> ClosedInterval? {
            var (low, high) = (0, sorted.count)
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid].first <= x { low = mid + 1 } else { high = mid }
            }
            return low > 0 ? sorted[furthest[low - 1]] : nil
        }

        enum Obligation {
            case startsBy(piece: ClosedInterval, target: ClosedInterval)
            case endsBy(piece: ClosedInterval, target: ClosedInterval)
            case link(from: ClosedInterval, to: ClosedInterval, target: ClosedInterval)
        }
        var obligations: [Obligation] = []
        var gaps: [(target: Target, at: UInt64)] = []
        for target in targets {
            var cursor = target.range.first
            var previous: ClosedInterval?
            while true {
                guard let piece = reaching(cursor), piece.last >= cursor else {
                    gaps.append((target, cursor))
                    break
                }
                if let previous { obligations.append(.link(from: previous, to: piece, target: target.range)) }
                else { obligations.append(.startsBy(piece: piece, target: target.range)) }
                if piece.last >= target.range.last {
                    obligations.append(.endsBy(piece: piece, target: target.range))
                    break
                }
                previous = piece
                cursor = piece.last + 1
            }
        }

        var outcome = ChunkedQuery.Outcome<Gap>()
        for (target, at) in gaps {
            try decide(target, upTo: at, pieces: sorted, into: &outcome)
            if outcome.unknownReason != nil || outcome.limitReached { return outcome }
        }
        let certificates = try ChunkedQuery(options: options).runConcurrently(
            count: obligations.count,
            fails: { [obligations] terms, _, i in
                let c = { (v: UInt64) throws -> BitVector in try terms.constant(v) }
                switch obligations[i] {
                case .startsBy(let piece, let target): return try c(target.first).ult(try c(piece.first))
                case .endsBy(let piece, let target): return try c(piece.last).ult(try c(target.last))
                case .link(let from, let to, let target):
                    return try Formula.or([
                        try c(target.last).ule(try c(from.last)),
                        try (try c(from.last) + (try c(1))).ult(try c(to.first)),
                    ], in: terms.context)
                }
            },
            interpret: { _, i in Gap(tag: i, witness: 0) })
        outcome.absorb(certificates)
        if !certificates.findings.isEmpty {
            outcome.unknownReason = "a covering certificate failed in Z3 though Swift built it (a defect in p2m-check)"
        }
        return outcome
    }

    /// The exact query for a target the greedy cover left at `gap`.
    private func decide(_ target: Target, upTo gap: UInt64, pieces: [ClosedInterval], into outcome: inout ChunkedQuery.Outcome<Gap>) throws {
        let span = ClosedInterval(first: target.range.first, last: gap)
        let near = pieces.filter { $0.first <= span.last && span.first <= $0.last }
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let query = try Formula.and([
            try terms.contains(span, x),
            try Formula.or(try near.map { try terms.contains($0, x) }, in: context).negated(),
        ])
        if options.countTerms { outcome.termCount += query.termCount }
        let solver = try Z3Solver(context: context, simple: true)
        try solver.assert(query)
        switch try outcome.check(solver, options) {
        case .unknown(let reason):
            outcome.unknownReason = options.unknownReason(reason)
        case .unsatisfiable:
            outcome.unknownReason = "Z3 found no gap where Swift's cover stopped (a defect in p2m-check)"
        case .satisfiable(let model):
            let witness = try model.value(of: x)
            guard target.range.contains(witness), !pieces.contains(where: { $0.contains(witness) }) else {
                outcome.unknownReason = "a Z3 model did not re-check against the decoded facts"
                return
            }
            outcome.findings.append(Gap(tag: target.tag, witness: witness))
            outcome.limitReached = outcome.findings.count >= max(1, options.maximumViolations)
        }
    }
}
