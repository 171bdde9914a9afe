import P2MModel
import Stage2Decoder
import Z3

/// A range handed to a disjointness encoding, tagged with what it stands for
/// in the caller's terms (a region index, a run index).
struct TaggedRange<Address: PhysicalAddress> {
    var range: AddressRange<Address>
    var tag: Int
}

/// Two tagged ranges that share `witness`.
struct RangeOverlap<Address: PhysicalAddress>: Hashable {
    var first: Int
    var second: Int
    var witness: Address
}

/// Pairwise disjointness of n ranges with an encoding of size O(n): the
/// sorted-order certificate.
///
/// Swift sorts the non-empty ranges by base, giving `r_0, ..., r_{n-1}`
/// (a permutation of them: `sort` moves elements, it neither drops nor
/// duplicates one). Z3 then checks, for every adjacent pair, the ground
/// obligation `last(r_i) <u base(r_{i+1})` (its failure formula is
/// `base(r_{i+1}) <=u last(r_i)`).
///
/// Why that is the property, both ways:
/// - every obligation holds => pairwise disjoint: each range is non-empty
///   (`base <= last`, guaranteed by `AddressRange.last` existing), so the
///   obligations chain into `base_0 <= last_0 < base_1 <= last_1 < ...`; for
///   `i < j`, `last_i < base_{i+1} <= ... <= base_j`, so `r_i` and `r_j` are
///   disjoint. Z3 checks every `<` of the chain; the chain itself is all the
///   argument needs, so the sort order need not be trusted, only that the
///   list holds every range (which the permutation guarantees).
/// - some pair overlaps => some obligation fails: let `r_i, r_j` (`i < j`)
///   overlap; then `base_i <= base_{i+1} <= base_j <= last_i` by the sort,
///   so `r_{i+1}` starts inside `r_i` and obligation `i` fails. Its witness
///   `base_{i+1}` lies in both `r_i` and `r_{i+1}`.
///
/// So the query is unsat exactly when the ranges are pairwise disjoint; a
/// model names the failed obligation `i`, and `base(r_{i+1})` is reported as
/// the witness once Swift has checked it lies in both ranges. Only adjacent
/// overlaps are enumerated: when one long range covers several others, the
/// later pairs it makes are implied and not listed separately.
///
/// Size: one obligation per adjacent pair (a comparison of two numerals);
/// checked in chunks (`ChunkedQuery`). Sorting is O(n log n) in Swift.
struct SortedDisjointness<Address: PhysicalAddress> {
    var options: CheckOptions
    /// Adjacent pairs per Z3 context (`ChunkedQuery`).
    var chunkSize = ChunkedQuery.defaultChunkSize

    /// Checks that `ranges` are pairwise disjoint; empty ranges hold no
    /// address and are left out. Each overlap's witness is re-checked to lie
    /// in both ranges before it is reported.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ ranges: [TaggedRange<Address>]) throws -> ChunkedQuery.Outcome<RangeOverlap<Address>> {
        var sorted = ranges.filter { !$0.range.isEmpty }
        sorted.sort { $0.range.base < $1.range.base }
        let lasts = sorted.map { $0.range.last!.rawValue }
        return try ChunkedQuery(options: options, chunkSize: chunkSize).runConcurrently(
            count: max(0, sorted.count - 1),
            fails: { [sorted] terms, _, i in
                try terms.constant(sorted[i + 1].range.base.rawValue).ule(try terms.constant(lasts[i]))
            },
            interpret: { [sorted] _, i in
                let witness = sorted[i + 1].range.base
                guard sorted[i].range.contains(witness) else { return nil }
                return RangeOverlap(first: sorted[i].tag, second: sorted[i + 1].tag, witness: witness)
            })
    }
}
