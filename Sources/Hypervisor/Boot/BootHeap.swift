import P2MModel

/// The hypervisor's free machine memory after boot placement: RAM minus the
/// hypervisor, boot modules, reserved memory, heaps and pools. Used for
/// domain RAM.
///
/// Allocation returns a naturally aligned block of `2^order` pages. Xen's buddy
/// allocator takes the highest zone (zone = log2 of the frame number) below the
/// address limit first; which block of a zone it returns depends on free-list
/// history, which this model fixes as "the highest block". So an allocation
/// returns the highest naturally aligned free block below the limit.
public struct BootHeap: Sendable {
    /// Free ranges, sorted by base, non-overlapping.
    public private(set) var free: [AddressRange<MachineAddress>]

    /// The heap over `ram` minus every range in `used`.
    ///
    /// Each bank (sorted by base) is swept once against the used ranges sorted
    /// by base, so the cost is O((banks + used) log used), not banks x used:
    /// boards with many boot modules stay fast. The result is each bank minus
    /// the union of `used`, as separate pieces per bank.
    public init(ram: [AddressRange<MachineAddress>], used: [AddressRange<MachineAddress>]) {
        let holes = used.filter { !$0.isEmpty }.sorted { $0.base < $1.base }
        // Running maximum of the holes' last addresses: holes[k...] can only reach
        // back to a bank if some hole before them does not already cover it.
        var reach: [UInt64] = []
        reach.reserveCapacity(holes.count)
        for hole in holes { reach.append(max(reach.last ?? 0, hole.last!.rawValue)) }
        var pieces: [AddressRange<MachineAddress>] = []
        for bank in ram.filter({ !$0.isEmpty }).sorted(by: { $0.base < $1.base }) {
            let bankLast = bank.last!.rawValue
            // First hole whose running reach gets to the bank's base.
            var (low, high) = (0, holes.count)
            while low < high {
                let mid = (low + high) / 2
                if reach[mid] < bank.base.rawValue { low = mid + 1 } else { high = mid }
            }
            var next = bank.base.rawValue  // lowest address of the bank not yet decided
            var open = true  // whether `next` is still inside the bank
            var k = low
            while open, k < holes.count, holes[k].base.rawValue <= bankLast {
                let hole = holes[k]
                let holeLast = hole.last!.rawValue
                if holeLast >= next {
                    if hole.base.rawValue > next {
                        pieces.append(AddressRange(first: MachineAddress(next), last: MachineAddress(hole.base.rawValue - 1)))
                    }
                    if holeLast >= bankLast { open = false } else { next = holeLast + 1 }
                }
                k += 1
            }
            if open { pieces.append(AddressRange(first: MachineAddress(next), last: MachineAddress(bankLast))) }
        }
        free = pieces
    }

    /// `range` without `hole`: zero, one or two pieces.
    public static func subtract(_ hole: AddressRange<MachineAddress>, from range: AddressRange<MachineAddress>) -> [AddressRange<MachineAddress>] {
        guard let common = range.intersection(hole), let rangeLast = range.last, let commonLast = common.last else { return [range] }
        var pieces: [AddressRange<MachineAddress>] = []
        if common.base > range.base {
            pieces.append(AddressRange(first: range.base, last: MachineAddress(common.base.rawValue - 1)))
        }
        if commonLast < rangeLast {
            pieces.append(AddressRange(first: MachineAddress(commonLast.rawValue + 1), last: rangeLast))
        }
        return pieces
    }

    /// Allocates the highest free, naturally aligned block of `2^order` pages
    /// lying wholly below `2^limitBits` (no limit when nil).
    /// - Returns: the block, or nil when none is free.
    public mutating func allocate(order: Int, limitBits: Int?) -> AddressRange<MachineAddress>? {
        let size: UInt64 = 4096 << UInt64(order)
        let limit: UInt64? = limitBits.flatMap { $0 >= 64 ? nil : (1 << UInt64($0)) }
        for r in free.reversed() {
            guard let last = r.last else { continue }
            var top = last.rawValue
            if let limit {
                if r.base.rawValue >= limit { continue }
                top = min(top, limit - 1)
            }
            // Highest aligned base with base + size - 1 <= top.
            guard top - r.base.rawValue + 1 >= size else { continue }
            let base = (top - (size - 1)) & ~(size - 1)
            if base >= r.base.rawValue {
                let block = AddressRange(uncheckedBase: MachineAddress(base), size: size)
                take(block)
                return block
            }
        }
        return nil
    }

    /// Allocates the highest free block of exactly `size` bytes aligned to `alignment`.
    public mutating func allocateHighest(size: UInt64, alignment: UInt64) -> AddressRange<MachineAddress>? {
        for r in free.reversed() {
            guard let last = r.last, r.size >= size else { continue }
            let base = (last.rawValue - (size - 1)) & ~(alignment - 1)
            if base >= r.base.rawValue {
                let block = AddressRange(uncheckedBase: MachineAddress(base), size: size)
                take(block)
                return block
            }
        }
        return nil
    }

    /// Returns `block` to the heap (Xen frees a chunk `insert_11_bank` refused).
    public mutating func give(_ block: AddressRange<MachineAddress>) {
        free.append(block)
        free.sort { $0.base < $1.base }
        var merged: [AddressRange<MachineAddress>] = []
        for r in free {
            if let previous = merged.last, let end = previous.end, end == r.base {
                merged[merged.count - 1] = AddressRange(uncheckedBase: previous.base, size: previous.size + r.size)
            } else {
                merged.append(r)
            }
        }
        free = merged
    }

    /// Removes `block` from the free ranges.
    /// - Precondition: `block` is wholly free.
    public mutating func take(_ block: AddressRange<MachineAddress>) {
        free = free.flatMap { Self.subtract(block, from: $0) }
    }
}
