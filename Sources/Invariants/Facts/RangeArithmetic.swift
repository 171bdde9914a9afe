import P2MModel

/// The checker's own arithmetic on machine ranges (it shares none with the
/// builder's heap): cutting a hole out of a range, and RAM minus reserved
/// memory as the intervals a load region must lie in.
enum RangeArithmetic {
    /// `range` without the bytes of `hole`: zero, one or two pieces, in address order.
    static func subtract<A: PhysicalAddress>(_ hole: AddressRange<A>, from range: AddressRange<A>) -> [AddressRange<A>] {
        guard let common = range.intersection(hole), let rangeLast = range.last, let commonLast = common.last else { return [range] }
        var pieces: [AddressRange<A>] = []
        if common.base > range.base { pieces.append(AddressRange(first: range.base, last: A(common.base.rawValue - 1))) }
        if commonLast < rangeLast { pieces.append(AddressRange(first: A(commonLast.rawValue + 1), last: rangeLast)) }
        return pieces
    }

    /// `range` without every range in `holes`.
    static func subtract<A: PhysicalAddress>(_ holes: [AddressRange<A>], from range: AddressRange<A>) -> [AddressRange<A>] {
        holes.reduce([range]) { pieces, hole in pieces.flatMap { subtract(hole, from: $0) } }.filter { !$0.isEmpty }
    }

    /// RAM minus reserved memory as sorted, disjoint, non-touching intervals
    /// (touching banks are merged, so a region spanning them is inside one interval).
    static func allowedIntervals(ram: [AddressRange<MachineAddress>], reserved: [AddressRange<MachineAddress>]) -> [AddressRange<MachineAddress>] {
        var merged: [AddressRange<MachineAddress>] = []
        for bank in ram.filter({ !$0.isEmpty }).sorted(by: { $0.base < $1.base }) {
            if let previous = merged.last, let previousLast = previous.last, bank.base.rawValue <= previousLast.rawValue &+ 1, previousLast.rawValue != .max,
               !(previous.base.rawValue == 0 && bank.last!.rawValue == .max) {
                merged[merged.count - 1] = AddressRange(first: previous.base, last: max(previousLast, bank.last!))
            } else {
                merged.append(bank)
            }
        }
        return merged.flatMap { subtract(reserved.filter { !$0.isEmpty }, from: $0) }
    }
}
