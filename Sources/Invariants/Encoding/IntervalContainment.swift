import P2MModel
import Stage2Decoder
import Z3

/// "Each range lies inside one of a few allowed intervals", with an encoding
/// linear in the number of ranges: the containment certificate.
///
/// Swift picks, for each range, the allowed interval it claims the range
/// lies in (binary search over the sorted intervals). Z3 then checks each
/// claim as a ground obligation `abase <=u base and last <=u alast`; its
/// failure formula is the negation. Every
/// obligation holding means every certified range lies in an allowed
/// interval, whichever interval Swift picked (a wrong pick fails an
/// obligation: it is never trusted). Ranges for which Swift finds no
/// containing interval are returned as `uncertified`: the caller must decide
/// those exactly (they are the candidates for a violation).
struct IntervalContainment<Address: PhysicalAddress> {
    var options: CheckOptions

    /// Result: the Z3 outcome over the certified ranges (each finding is a
    /// failed claim, i.e. a certificate error) and the tags left to the caller.
    struct Result {
        var certified: ChunkedQuery.Outcome<Int>
        var uncertified: Set<Int>
    }

    /// - Precondition: `allowed` sorted by base, pairwise disjoint, non-empty.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ ranges: [TaggedRange<Address>], allowed: [AddressRange<Address>]) throws -> Result {
        var claims: [(range: AddressRange<Address>, within: AddressRange<Address>)] = []
        var uncertified: Set<Int> = []
        for item in ranges where !item.range.isEmpty {
            var (low, high) = (0, allowed.count)
            while low < high {
                let mid = (low + high) / 2
                if allowed[mid].base <= item.range.base { low = mid + 1 } else { high = mid }
            }
            if low > 0, allowed[low - 1].contains(item.range) {
                claims.append((item.range, allowed[low - 1]))
            } else {
                uncertified.insert(item.tag)
            }
        }
        let outcome = try ContainmentClaims(options: options).check(claims.map { (ClosedInterval($0.range)!, ClosedInterval($0.within)!) })
        return Result(certified: outcome, uncertified: uncertified)
    }
}
