import P2MModel
import Stage2Decoder
import Z3

/// A closed interval `[first, last]` of 64-bit addresses; unlike a half-open
/// `AddressRange` it can hold the whole space `[0, 2^64 - 1]`, which the
/// complement of a small set needs.
struct ClosedInterval: Hashable {
    var first: UInt64
    var last: UInt64

    /// - Precondition: `first <= last`.
    init(first: UInt64, last: UInt64) {
        precondition(first <= last, "an empty closed interval")
        self.first = first
        self.last = last
    }

    /// The bytes of a non-empty range; nil for an empty one.
    init?<A: PhysicalAddress>(_ range: AddressRange<A>) {
        guard let last = range.last else { return nil }
        self.init(first: range.base.rawValue, last: last.rawValue)
    }

    func contains(_ x: UInt64) -> Bool { first <= x && x <= last }
    func contains(_ other: ClosedInterval) -> Bool { first <= other.first && other.last <= last }
}

/// A set of 64-bit addresses in normal form: sorted, pairwise disjoint and
/// non-adjacent closed intervals (two intervals that touch are merged). The
/// normal form is what makes "a range lies in the set" the same as "a range
/// lies in one interval of it", which `SetContainment` relies on.
///
/// Used to compute, in Swift, the interval form of an allowed set that a
/// property defines as a Boolean combination of range memberships (RAM minus
/// device windows, the complement of the hypervisor's regions). Nothing
/// computed here is trusted: `SetContainment` has Z3 check that the interval
/// form and the property's definition agree on every address.
struct IntervalSet: Equatable {
    /// The intervals, in normal form.
    private(set) var intervals: [ClosedInterval]

    static let empty = IntervalSet(normalized: [])
    static let all = IntervalSet(normalized: [ClosedInterval(first: 0, last: .max)])

    private init(normalized: [ClosedInterval]) { intervals = normalized }

    /// The union of `intervals`, in any order, overlapping or not.
    init(_ intervals: [ClosedInterval]) {
        let sorted = intervals.sorted { $0.first < $1.first }
        var merged: [ClosedInterval] = []
        merged.reserveCapacity(sorted.count)
        for next in sorted {
            // Overlapping or touching the previous interval: extend it.
            if let previous = merged.last, previous.last == .max || next.first <= previous.last + 1 {
                merged[merged.count - 1].last = max(previous.last, next.last)
            } else {
                merged.append(next)
            }
        }
        self.init(normalized: merged)
    }

    /// The union of the bytes of `ranges` (empty ranges add nothing).
    init<A: PhysicalAddress>(_ ranges: [AddressRange<A>]) {
        self.init(ranges.compactMap { ClosedInterval($0) })
    }

    /// Every address not in the set.
    var complement: IntervalSet {
        var gaps: [ClosedInterval] = []
        var next: UInt64? = 0  // first address not yet covered; nil past 2^64 - 1
        for interval in intervals {
            if let start = next, start < interval.first { gaps.append(ClosedInterval(first: start, last: interval.first - 1)) }
            next = interval.last == .max ? nil : interval.last + 1
        }
        if let start = next { gaps.append(ClosedInterval(first: start, last: .max)) }
        return IntervalSet(normalized: gaps)
    }

    func union(_ other: IntervalSet) -> IntervalSet { IntervalSet(intervals + other.intervals) }
    func intersection(_ other: IntervalSet) -> IntervalSet { complement.union(other.complement).complement }
    func subtracting(_ other: IntervalSet) -> IntervalSet { intersection(other.complement) }

    /// The index of the interval holding `x`, or nil (binary search).
    func index(containing x: UInt64) -> Int? {
        var (low, high) = (0, intervals.count)
        while low < high {
            let mid = (low + high) / 2
            if intervals[mid].first <= x { low = mid + 1 } else { high = mid }
        }
        return low > 0 && intervals[low - 1].contains(x) ? low - 1 : nil
    }

    func contains(_ x: UInt64) -> Bool { index(containing: x) != nil }

    /// The index of the one interval holding all of `range`, or nil if no
    /// interval does (in normal form: exactly when some byte of `range` is
    /// outside the set).
    func index(containing range: ClosedInterval) -> Int? {
        guard let i = index(containing: range.first), intervals[i].contains(range) else { return nil }
        return i
    }
}
