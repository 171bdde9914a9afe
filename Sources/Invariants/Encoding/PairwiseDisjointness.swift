import P2MModel
import Stage2Decoder
import Z3

/// Pairwise disjointness of n ranges, encoded directly: one query, with
/// witness `x`, `or_{i<j} (x in r_i and x in r_j)`. It is satisfiable exactly
/// when two ranges share an address, and then `x` is such an address. Its
/// size is quadratic in n.
///
/// Kept as the reference the fast encodings are compared with: the
/// equivalence tests check that `SortedDisjointness` gives the same verdict
/// on random inputs, and the benchmark (`p2m-bench`) measures both.
struct PairwiseDisjointness<Address: PhysicalAddress> {
    var options: CheckOptions

    /// Checks that `ranges` are pairwise disjoint in one Z3 query. Each
    /// witness is re-checked to lie in both ranges it names.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ ranges: [TaggedRange<Address>]) throws -> ChunkedQuery.Outcome<RangeOverlap<Address>> {
        let items = ranges.filter { !$0.range.isEmpty }
        // Obligation i: r_i is disjoint from every later range.
        var query = ChunkedQuery(options: options)
        query.chunkSize = max(1, items.count)
        return try query.run(
            count: items.count,
            fails: { terms, x, i in
                let later = try (items.index(after: i)..<items.endIndex).map { j in try terms.contains(items[j].range, x) }
                return try Formula.and([try terms.contains(items[i].range, x), try Formula.or(later, in: terms.context)])
            },
            interpret: { x, i in
                let witness = Address(x)
                guard items[i].range.contains(witness),
                      let j = items[(i + 1)...].indices.first(where: { items[$0].range.contains(witness) })
                else { return nil }
                return RangeOverlap(first: items[i].tag, second: items[j].tag, witness: witness)
            })
    }
}
