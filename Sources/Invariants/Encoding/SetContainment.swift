import P2MModel
import Stage2Decoder
import Z3

/// "Every range lies in its allowed set", with an encoding linear in the
/// number of ranges and nothing trusted from Swift.
///
/// An allowed set `S` is given twice: as its definition, a formula `S(x)`
/// over a 64-bit variable that the property states directly (a Boolean
/// combination of membership in the spec's few regions and of the
/// descriptor bits of one attribute value), and as Swift's interval form
/// `I`, an `IntervalSet` in normal form. Ranges are the many things to check
/// (translation runs: 10^6 of them on a large layout); sets are few.
///
/// Three kinds of Z3 query, whose unsat together is the property:
/// 1. The interval form is inside the set (`I ⊆ S`), once per set. For a
///    set given by a formula, one small symbolic query `I(x) xor S(x)`, with
///    `I(x) = or_j (first_j <=u x <=u last_j)`; it also checks `S ⊆ I`, so
///    Swift's interval arithmetic is checked both ways. For a set that is the
///    union of many ranges `R` (a fragmented `/memory` node), the covering
///    certificate that each interval of `I` is covered by `R` (`Covering`);
///    for the complement of many ranges `P` (every page-table page), the
///    certificate that no interval of `I` meets `P` (`ClassDisjointness`).
///    Both are linear. A failure is a defect of p2m-check, reported as unknown.
/// 2. Containment certificates, ground and linear (`ChunkedQuery`): for a
///    range `r` that Swift finds inside interval `j` of its set, the
///    obligation `first_j <=u base(r) and last(r) <=u last_j`. With (1) it
///    gives `r ⊆ I ⊆ S`. A wrong pick by Swift fails the obligation.
/// 3. Exact queries for every range Swift could not certify:
///    `x in r and not S(x)` (for a union or a complement, `S` restricted to
///    the ranges that meet `r`: no other range can hold an address of `r`).
///    When `I` is exactly `S` in normal form (maximal, non-touching
///    intervals), a range inside `S` always lies in one interval, so these
///    are the ranges that leave their set and each query is sat; its model is
///    the witness, re-checked in Swift against `I`. Z3 decides them all the
///    same, so an unsat here is proved.
///
/// So every range is either certified (2, with 1) or decided exactly (3),
/// and the property holds exactly when every query is unsat.
struct SetContainment {
    var options: CheckOptions

    /// An allowed set: its definition for Z3 and its interval form from Swift.
    struct AllowedSet {
        /// How the property defines the set.
        enum Definition {
            /// `S(x)`, a formula over a 64-bit variable (small: a few ranges and constants).
            case formula((RangeTerms, BitVector) throws -> Formula)
            /// The union of these ranges (any number).
            case union([ClosedInterval])
            /// Every address outside these ranges (any number).
            case outside([ClosedInterval])
        }

        /// What the set is, for messages (e.g. "the backing of RAM-typed leaves").
        var name: String
        var definition: Definition
        /// Swift's computation of the same set.
        var intervals: IntervalSet

        /// A set defined by a formula, with Swift's interval form of it.
        init(name: String, definition: @escaping (RangeTerms, BitVector) throws -> Formula, intervals: IntervalSet) {
            self.name = name
            self.definition = .formula(definition)
            self.intervals = intervals
        }

        /// The union of `ranges`.
        static func union<A: PhysicalAddress>(_ name: String, _ ranges: [AddressRange<A>]) -> AllowedSet {
            let intervals = ranges.compactMap { ClosedInterval($0) }
            return AllowedSet(name: name, definition: .union(intervals), intervals: IntervalSet(intervals))
        }

        /// Every address outside `ranges`.
        static func outside<A: PhysicalAddress>(_ name: String, _ ranges: [AddressRange<A>]) -> AllowedSet {
            let intervals = ranges.compactMap { ClosedInterval($0) }
            return AllowedSet(name: name, definition: .outside(intervals), intervals: IntervalSet(intervals).complement)
        }

        private init(name: String, definition: Definition, intervals: IntervalSet) {
            self.name = name
            self.definition = definition
            self.intervals = intervals
        }
    }

    /// A range that must lie in `sets[set]`; `tag` names it in the caller's terms.
    struct Item {
        var range: ClosedInterval
        var set: Int
        var tag: Int
    }

    /// A range that leaves its set, with an address of it outside the set.
    struct Finding: Hashable {
        var tag: Int
        var witness: UInt64
    }

    /// - Precondition: every item's `set` indexes `sets`.
    /// - Returns: one finding per offending item (up to `options.maximumViolations`),
    ///   or an unknown reason when some query was not answered or did not re-check.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ items: [Item], sets: [AllowedSet]) throws -> ChunkedQuery.Outcome<Finding> {
        var outcome = ChunkedQuery.Outcome<Finding>()
        var claims: [(item: Item, within: ClosedInterval)] = []
        var uncertified = Array(repeating: [Item](), count: sets.count)
        for item in items {
            if let j = sets[item.set].intervals.index(containing: item.range) {
                claims.append((item, sets[item.set].intervals.intervals[j]))
            } else {
                uncertified[item.set].append(item)
            }
        }
        let used = Set(items.map(\.set))
        for (index, set) in sets.enumerated() where used.contains(index) {
            try decide(set, uncertified[index], into: &outcome)
            if outcome.unknownReason != nil || outcome.limitReached { return outcome }
        }
        let certificates = try ContainmentClaims(options: options).check(claims.map { ($0.item.range, $0.within) })
        outcome.absorb(certificates)
        if !certificates.findings.isEmpty {
            outcome.unknownReason = "a containment certificate failed in Z3 though Swift found it held (a defect in p2m-check)"
        }
        return outcome
    }

    /// Queries (1) and (3) for one set.
    private func decide(_ set: AllowedSet, _ items: [Item], into outcome: inout ChunkedQuery.Outcome<Finding>) throws {
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let x = try terms.variable("x")
        let solver = try Z3Solver(context: context, simple: true)
        let form = set.intervals.intervals

        // (1): the interval form lies in the set.
        var certificateFailed = false
        switch set.definition {
        case .formula(let definition):
            let s = try definition(terms, x)
            let i = try Formula.or(try form.map { try terms.contains($0, x) }, in: context)
            let identity = try Formula.or([try Formula.and([s, try i.negated()]), try Formula.and([i, try s.negated()])], in: context)
            if options.countTerms { outcome.termCount += identity.termCount }
            switch try timed(solver, identity, &outcome) {
            case .unsatisfiable: break
            case .unknown(let reason):
                outcome.unknownReason = options.unknownReason(reason, "on the interval form of \(set.name)")
                return
            case .satisfiable(let model):
                outcome.unknownReason = "Swift's interval form of \(set.name) disagrees with its definition at \(Hex.format(try model.value(of: x))) (a defect in p2m-check)"
                return
            }
        case .union(let ranges):
            let covered = try Covering(options: options).check(form.enumerated().map { Covering.Target(range: $1, tag: $0) }, pieces: ranges)
            outcome.absorb(covered)
            certificateFailed = !covered.findings.isEmpty
        case .outside(let ranges):
            let apart = try ClassDisjointness(options: options).check(
                form.enumerated().map { ClassDisjointness.Item(range: $1, kind: 0, tag: $0) } + ranges.enumerated().map { ClassDisjointness.Item(range: $1, kind: 1, tag: $0) })
            outcome.absorb(apart)
            certificateFailed = !apart.findings.isEmpty
        }
        if certificateFailed {
            outcome.unknownReason = "Swift's interval form of \(set.name) is not inside it (a defect in p2m-check)"
        }
        if outcome.unknownReason != nil { return }

        // (3): the ranges no interval holds.
        for item in items {
            let outside: Formula
            switch set.definition {
            case .formula(let definition): outside = try definition(terms, x).negated()
            case .union(let ranges), .outside(let ranges):
                let near = try Formula.or(try ranges.filter { $0.first <= item.range.last && item.range.first <= $0.last }.map { try terms.contains($0, x) }, in: context)
                if case .union = set.definition { outside = try near.negated() } else { outside = near }
            }
            let query = try Formula.and([try terms.contains(item.range, x), outside])
            if options.countTerms { outcome.termCount += query.termCount }
            switch try timed(solver, query, &outcome) {
            case .unsatisfiable: continue
            case .unknown(let reason):
                outcome.unknownReason = options.unknownReason(reason)
                return
            case .satisfiable(let model):
                let witness = try model.value(of: x)
                guard item.range.contains(witness), !set.intervals.contains(witness) else {
                    outcome.unknownReason = "a Z3 model did not re-check against the decoded facts"
                    return
                }
                outcome.findings.append(Finding(tag: item.tag, witness: witness))
                if outcome.findings.count >= max(1, options.maximumViolations) {
                    outcome.limitReached = true
                    return
                }
            }
        }
    }

    /// Checks `query` alone (pushed, then popped), counting the query and its time.
    private func timed(_ solver: Z3Solver, _ query: Formula, _ outcome: inout ChunkedQuery.Outcome<Finding>) throws -> SolverOutcome {
        try solver.push()
        defer { try? solver.pop() }
        try solver.assert(query)
        return try outcome.check(solver, options)
    }
}

extension RangeTerms {
    /// `x` lies in `[first, last]`.
    func contains(_ interval: ClosedInterval, _ x: BitVector) throws -> Formula {
        try Formula.and([try constant(interval.first).ule(x), try x.ule(try constant(interval.last))])
    }
}
