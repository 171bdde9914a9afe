import Stage2Decoder
import Z3
/// "Ranges of different classes never overlap" (RAM vs MMIO vs emulated
/// windows of one guest space; what domain A reaches vs what domain B
/// reaches), with an encoding linear in the number of ranges. Ranges of one
/// class may overlap or touch each other freely.
///
/// Swift merges each class's ranges into its union `U_c`, an `IntervalSet`
/// in normal form. Z3 then checks two lists of ground obligations
/// (`ChunkedQuery`):
/// 1. membership certificates: each range `r` of class `c` lies in the
///    interval `u` of `U_c` that Swift picked: `first(u) <=u first(r) and
///    last(r) <=u last(u)`. So every range is inside the intervals of its
///    class, whatever Swift's union computation did.
/// 2. the sorted-order certificate over all union intervals of all classes,
///    sorted by first address: `last(u_i) <u first(u_{i+1})` for every
///    adjacent pair. As in `SortedDisjointness`, the chain makes every two
///    union intervals disjoint.
///
/// Both unsat => ranges of different classes are disjoint (each lies in an
/// interval of its class, and intervals of different classes are disjoint).
/// Conversely, if ranges of classes `a != b` share an address, the union
/// intervals holding it overlap, and (with intervals of one class disjoint in
/// normal form) some adjacent pair of the sorted list overlaps; its failed
/// obligation gives the witness `first(u_{i+1})`, which Swift re-checks to
/// lie in a range of each class. So the queries are unsat exactly when the
/// property holds.
struct ClassDisjointness {
    var options: CheckOptions

    /// A range of class `kind`; `tag` names it in the caller's terms.
    struct Item {
        var range: ClosedInterval
        var kind: Int
        var tag: Int
    }

    /// Ranges of two classes sharing `witness`.
    struct Overlap: Hashable {
        var first: Int
        var second: Int
        var witness: UInt64
    }

    /// - Returns: overlaps, each between two items of different classes that
    ///   both hold the witness (re-checked in Swift); an unknown reason when a
    ///   query was not answered or a certificate failed.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ items: [Item]) throws -> ChunkedQuery.Outcome<Overlap> {
        let kinds = Set(items.map(\.kind)).sorted()
        var unions: [Int: IntervalSet] = [:]
        for kind in kinds { unions[kind] = IntervalSet(items.filter { $0.kind == kind }.map(\.range)) }
        var outcome = ChunkedQuery.Outcome<Overlap>()

        var claims: [(range: ClosedInterval, within: ClosedInterval)] = []
        claims.reserveCapacity(items.count)
        for item in items {
            guard let union = unions[item.kind], let j = union.index(containing: item.range) else {
                outcome.unknownReason = "Swift's union of a class of ranges misses one of them (a defect in p2m-check)"
                return outcome
            }
            claims.append((item.range, union.intervals[j]))
        }
        let membership = try ContainmentClaims(options: options).check(claims)
        outcome.absorb(membership)
        if !membership.findings.isEmpty {
            outcome.unknownReason = "a membership certificate failed in Z3 though Swift found it held (a defect in p2m-check)"
        }
        if outcome.unknownReason != nil { return outcome }

        var sorted = kinds.flatMap { kind in unions[kind]!.intervals.map { (interval: $0, kind: kind) } }
        sorted.sort { $0.interval.first < $1.interval.first }
        let order = try ChunkedQuery(options: options).runConcurrently(
            count: max(0, sorted.count - 1),
            fails: { [sorted] terms, _, i in
                try terms.constant(sorted[i + 1].interval.first).ule(try terms.constant(sorted[i].interval.last))
            },
            interpret: { [sorted] _, i -> Overlap? in
                let witness = sorted[i + 1].interval.first
                guard sorted[i].kind != sorted[i + 1].kind, sorted[i].interval.contains(witness),
                      let a = items.firstIndex(where: { $0.kind == sorted[i].kind && $0.range.contains(witness) }),
                      let b = items.firstIndex(where: { $0.kind == sorted[i + 1].kind && $0.range.contains(witness) })
                else { return nil }
                return Overlap(first: items[a].tag, second: items[b].tag, witness: witness)
            })
        outcome.absorb(order)
        outcome.findings = order.findings
        outcome.unknownReason = order.unknownReason
        outcome.limitReached = order.limitReached
        return outcome
    }
}

extension ChunkedQuery.Outcome {
    /// Adds `other`'s queries, solve time and terms to this outcome's counts.
    mutating func absorb<Other>(_ other: ChunkedQuery.Outcome<Other>) {
        queries += other.queries
        solveSeconds += other.solveSeconds
        termCount += other.termCount
        if unknownReason == nil { unknownReason = other.unknownReason }
    }
}
