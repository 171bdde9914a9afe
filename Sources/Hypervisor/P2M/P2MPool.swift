import P2MModel

/// A domain's p2m pool: machine pages reserved for its stage-2 tables
/// (Xen's per-domain `paging` pool). Pages are handed out lowest address first.
public struct P2MPool: Hashable, Sendable {
    /// The machine memory the pool was carved from.
    public let range: AddressRange<MachineAddress>
    private var free: [MachineAddress]

    /// A pool over the whole 4 KiB pages of `range`.
    /// - Precondition: `range` is 4 KiB aligned in base and size.
    public init(range: AddressRange<MachineAddress>) {
        precondition(range.base.isAligned(to: 4096) && range.size % 4096 == 0, "pool must be whole pages")
        self.range = range
        let pages = range.size / 4096
        // Stored highest first so that `popLast` yields the lowest page.
        self.free = (0..<pages).reversed().map { MachineAddress(range.base.rawValue + $0 * 4096) }
    }

    /// Pages still free.
    public var freePageCount: Int { free.count }

    /// Takes one page.
    /// - Throws: `P2MError.poolExhausted` when none is left.
    public mutating func allocatePage() throws(P2MError) -> MachineAddress {
        guard let page = free.popLast() else { throw .poolExhausted(pool: range) }
        return page
    }

    /// Takes `count` contiguous pages aligned to `count` pages (for a concatenated root table).
    /// - Throws: `P2MError.poolTooSmallForRoot` when no such run is free.
    public mutating func allocateContiguous(count: Int) throws(P2MError) -> MachineAddress {
        let alignment = UInt64(count) * 4096
        let sorted = free.sorted()
        for (i, page) in sorted.enumerated() where page.isAligned(to: alignment) && i + count <= sorted.count {
            let run = sorted[i..<(i + count)]
            let contiguous = run.enumerated().allSatisfy { $0.element.rawValue == page.rawValue + UInt64($0.offset) * 4096 }
            if contiguous {
                let taken = Set(run)
                free.removeAll { taken.contains($0) }
                return page
            }
        }
        throw .poolTooSmallForRoot(pool: range, rootPages: count)
    }

    /// Returns a page to the pool.
    /// - Throws: `P2MError.foreignPage` if `page` is not a page of this pool.
    public mutating func releasePage(_ page: MachineAddress) throws(P2MError) {
        guard range.contains(page), page.isAligned(to: 4096), !free.contains(page) else { throw .foreignPage(page) }
        free.append(page)
        free.sort(by: >)
    }
}
