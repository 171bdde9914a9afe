import P2MModel

/// One domain's stage-2 translation tables, written into machine memory with
/// pages from the domain's p2m pool. Modelled on Xen's `p2m_set_entry` and
/// `__p2m_set_entry` (xen/arch/arm/mmu/p2m.c):
///
/// - each step maps the largest of 1 GiB / 2 MiB / 4 KiB whose alignment is
///   met by the guest frame, the machine frame *and* the remaining page count;
/// - missing intermediate tables are allocated from the pool and zeroed;
/// - a block in the way of a smaller mapping is split into a table of 512
///   entries with the block's attributes, installed with break-before-make;
/// - replacing a valid entry writes an invalid entry and flushes first.
///
/// The root table (concatenated pages for some IPA sizes) is taken from the
/// start of the pool, so that every page of a domain's tables lies in one
/// region the checker can account for. (Xen takes the root from the domheap;
/// the difference changes no translation.)
public struct P2M: Sendable {
    public let configuration: Stage2Configuration
    /// Machine address of the root table: what VTTBR_EL2.BADDR holds.
    public let rootAddress: MachineAddress
    public private(set) var pool: P2MPool
    /// Every descriptor store and TLB flush, in order.
    public private(set) var events: [TableEvent] = []
    /// Table pages unlinked by an unmap in progress, released after its flush.
    private var pendingRelease: [MachineAddress] = []

    /// Creates an empty p2m and its zeroed root table.
    /// - Throws: `P2MError.poolTooSmallForRoot` if the pool cannot supply the root.
    public init<Memory: MachineMemory>(configuration: Stage2Configuration, pool: P2MPool, memory: inout Memory) throws(P2MError) {
        self.configuration = configuration
        var pool = pool
        let root = try pool.allocateContiguous(count: configuration.rootPageCount)
        for page in 0..<configuration.rootPageCount {
            Self.zeroPage(MachineAddress(root.rawValue + UInt64(page) * 4096), memory: &memory)
        }
        self.rootAddress = root
        self.pool = pool
    }

    /// Maps `pageCount` 4 KiB pages at `guest` to `machine` with Xen's type
    /// `type`, its permissions narrowed by `access` (default rwx: unchanged).
    /// - Precondition: `guest` and `machine` are 4 KiB aligned.
    /// - Throws: `P2MError` when the range is empty or wraps, exceeds the IPA or
    ///   PA limits, or the pool runs out of pages.
    public mutating func map<Memory: MachineMemory>(guest: GuestAddress, machine: MachineAddress, pageCount: UInt64, type: P2MType, access: P2MAccess = .rwx, memory: inout Memory) throws(P2MError) {
        try map(guest: guest, machine: machine, pageCount: pageCount, type: type, access: access, memory: &memory, steps: XenBuildSteps())
    }

    /// `map` with the mapping size of each step chosen by `steps.mappingOrder`
    /// (tests inject faulty choices). A step never maps less than one page.
    public mutating func map<Memory: MachineMemory, Steps: BuildSteps>(guest: GuestAddress, machine: MachineAddress, pageCount: UInt64, type: P2MType, access: P2MAccess = .rwx, memory: inout Memory, steps: Steps) throws(P2MError) {
        precondition(guest.isAligned(to: 4096) && machine.isAligned(to: 4096), "map needs page-aligned addresses")
        guard pageCount > 0, pageCount <= (UInt64.max >> 12),
              guest.adding((pageCount << 12) - 1) != nil, machine.adding((pageCount << 12) - 1) != nil
        else { throw .invalidRange(guest, pages: pageCount) }
        var gfn = guest.frameNumber
        var mfn = machine.frameNumber
        var remaining = pageCount
        let attributes = type.attributes(access: access)
        while remaining > 0 {
            let chosen = steps.mappingOrder(gfn: gfn, mfn: mfn, remaining: remaining)
            let order: UInt64 = chosen >= 18 ? 18 : (chosen >= 9 ? 9 : 0)
            try setEntry(gfn: gfn, mfn: mfn, order: order, attributes: attributes, memory: &memory)
            gfn += 1 << order
            mfn += 1 << order
            remaining -= min(remaining, 1 << order)
        }
    }

    /// Removes the mappings of `pageCount` pages at `guest` (Xen's
    /// `p2m_remove_mapping` / `p2m_set_entry` with `p2m_invalid`).
    ///
    /// Each step takes the largest of 1 GiB / 2 MiB / 4 KiB allowed by the
    /// guest frame and the remaining count (the machine frame plays no part).
    /// A block that covers more than a step is split first (break-before-make);
    /// a table under a removed block-sized entry is freed; a table left with no
    /// valid entry is unlinked. Unmapped parts are skipped. The TLB flush is
    /// deferred to the end (Xen's `p2m_write_unlock`), and unlinked table
    /// pages go back to the pool only after it.
    /// - Precondition: `guest` is 4 KiB aligned.
    /// - Throws: `P2MError.invalidRange`, `.guestAddressOutOfRange`, or
    ///   `.poolExhausted` when splitting a block needs a page the pool lacks.
    public mutating func unmap<Memory: MachineMemory>(guest: GuestAddress, pageCount: UInt64, memory: inout Memory) throws(P2MError) {
        precondition(guest.isAligned(to: 4096), "unmap needs a page-aligned address")
        guard pageCount > 0, pageCount <= (UInt64.max >> 12), guest.adding((pageCount << 12) - 1) != nil
        else { throw .invalidRange(guest, pages: pageCount) }
        var gfn = guest.frameNumber
        var remaining = pageCount
        var needFlush = false
        defer {
            if needFlush { events.append(.tlbFlush) }
            for page in pendingRelease {
                // Every unlinked page came from this pool and was in use.
                do { try release(page, memory: &memory) } catch { preconditionFailure("unlinked table page is not a used pool page") }
            }
            pendingRelease = []
        }
        while remaining > 0 {
            let order = XenBuildSteps().mappingOrder(gfn: gfn, mfn: 0, remaining: remaining)
            if try setEntry(gfn: gfn, mfn: 0, order: order, attributes: nil, memory: &memory) { needFlush = true }
            gfn += 1 << order
            remaining -= 1 << order
        }
    }

    /// Xen's `p2m_remove_mapping`: unmaps `pageCount` pages at `guest` that
    /// the caller believes map `machine` onwards. Before touching anything,
    /// every page currently mapped with a RAM, grant or foreign type must map
    /// the expected machine page; MMIO and unmapped pages are not checked.
    /// - Precondition: `guest` and `machine` are 4 KiB aligned.
    /// - Throws: `P2MError.unexpectedMachineFrame` (Xen: -EILSEQ), or what `unmap` throws.
    public mutating func removeMapping<Memory: MachineMemory>(guest: GuestAddress, machine: MachineAddress, pageCount: UInt64, memory: inout Memory) throws(P2MError) {
        precondition(machine.isAligned(to: 4096), "removeMapping needs a page-aligned machine address")
        guard pageCount > 0, pageCount <= (UInt64.max >> 12), guest.adding((pageCount << 12) - 1) != nil
        else { throw .invalidRange(guest, pages: pageCount) }
        var offset: UInt64 = 0
        while offset < pageCount {
            let gpa = GuestAddress(guest.rawValue + (offset << 12))
            guard let hit = lookup(gpa, memory: memory) else { offset += 1; continue }
            let expected = MachineAddress(machine.rawValue &+ (offset << 12))
            if hit.attributes.type.isAnyRAM && hit.machine != expected {
                throw .unexpectedMachineFrame(gpa, expected: expected, found: hit.machine)
            }
            // The rest of this leaf advances in step with the expectation.
            offset += (hit.level.entrySize - (gpa.rawValue & (hit.level.entrySize - 1))) >> 12
        }
        try unmap(guest: guest, pageCount: pageCount, memory: &memory)
    }

    /// What this p2m's own walk says about `gpa` (Xen's `p2m_get_entry`), or nil if unmapped.
    public func lookup<Memory: MachineMemory>(_ gpa: GuestAddress, memory: Memory) -> (machine: MachineAddress, attributes: LeafAttributes, level: TranslationLevel)? {
        guard gpa.rawValue < configuration.ipaSpaceSize else { return nil }
        var level = configuration.rootLevel
        var table = MachineAddress(rootAddress.rawValue + UInt64(configuration.rootPageIndex(of: gpa)) * 4096)
        while true {
            let entry = Stage2Descriptor(rawValue: memory.read64(entryAddress(table: table, level: level, gpa: gpa)))
            switch entry.kind(at: level) {
            case .table(let next):
                guard let nextLevel = level.next else { return nil }
                table = next
                level = nextLevel
            case .block(let out), .page(let out):
                guard let attributes = entry.leafAttributes else { return nil }
                let offset = gpa.rawValue & (level.entrySize - 1)
                return (MachineAddress(out.rawValue + offset), attributes, level)
            case .invalid, .reserved:
                return nil
            }
        }
    }

    // MARK: - One entry

    private func entryAddress(table: MachineAddress, level: TranslationLevel, gpa: GuestAddress) -> MachineAddress {
        MachineAddress(table.rawValue + UInt64(level.index(of: gpa.rawValue)) * 8)
    }

    /// Maps (`attributes` non-nil) or removes (`attributes` nil) one block or
    /// page of `2^order` pages at `gfn` (`__p2m_set_entry`).
    /// - Returns: whether a hardware-valid entry was removed (a TLB flush is owed).
    @discardableResult
    private mutating func setEntry<Memory: MachineMemory>(gfn: UInt64, mfn: UInt64, order: UInt64, attributes: LeafAttributes?, memory: inout Memory) throws(P2MError) -> Bool {
        let gpa = GuestAddress(gfn << 12)
        let output = MachineAddress(mfn << 12)
        // Xen's `p2m_get_root_pointer` only checks that the root index exists:
        // with a single level-1 root page (32-bit IPA) it accepts guest addresses
        // up to 512 GiB, beyond what VTCR.T0SZ lets the MMU translate.
        guard configuration.rootPageIndex(of: gpa) < configuration.rootPageCount else {
            throw .guestAddressOutOfRange(gpa, ipaBits: configuration.ipaBits)
        }
        if attributes != nil {
            guard output.rawValue & ~Stage2Descriptor.outputAddressMask == 0,
                  (output.rawValue + (4096 << order) - 1) & ~(Stage2Descriptor.outputAddressMask | 0xFFF) == 0
            else { throw .machineAddressOutOfRange(output) }
        }
        let target = TranslationLevel(3 - Int(order / 9))!
        var level = configuration.rootLevel
        var table = MachineAddress(rootAddress.rawValue + UInt64(configuration.rootPageIndex(of: gpa)) * 4096)
        // The tables walked through, root excluded, for freeing emptied ones.
        var path: [(slot: MachineAddress, level: TranslationLevel, table: MachineAddress)] = []
        while level < target {
            let slot = entryAddress(table: table, level: level, gpa: gpa)
            let entry = Stage2Descriptor(rawValue: memory.read64(slot))
            switch entry.kind(at: level) {
            case .table(let next):
                table = next
            case .block:
                table = try split(block: entry, at: slot, level: level, memory: &memory)
            case .invalid, .reserved, .page:
                // (.page cannot occur above level 3.) Removing from a missing
                // table is a no-op, as in Xen.
                guard attributes != nil else { return false }
                let page = try pool.allocatePage()
                Self.zeroPage(page, memory: &memory)
                store(.table(next: page), at: slot, level: level, memory: &memory)
                table = page
            }
            level = level.next!
            path.append((slot, level, table))
        }
        let slot = entryAddress(table: table, level: level, gpa: gpa)
        let old = Stage2Descriptor(rawValue: memory.read64(slot))
        guard let attributes else {
            guard old.isValid else { return false }
            store(.invalid, at: slot, level: level, memory: &memory)
            if case .table(let subtree) = old.kind(at: level) {
                pendingRelease += Self.subtreePages(subtree, level: level.next!, memory: memory)
            }
            freeEmptiedTables(path, memory: &memory)
            return true
        }
        if old.isValid {
            store(.invalid, at: slot, level: level, memory: &memory)
            events.append(.tlbFlush)
        }
        store(.leaf(output: output, attributes: attributes, level: level), at: slot, level: level, memory: &memory)
        if case .table(let subtree) = old.kind(at: level) {
            for page in Self.subtreePages(subtree, level: level.next!, memory: memory) {
                try release(page, memory: &memory)
            }
        }
        return false
    }

    /// After a removal: every table on `path` (deepest first) left with no
    /// valid entry is unlinked from its parent; its page is returned to the
    /// pool after the TLB flush that ends the unmap.
    private mutating func freeEmptiedTables<Memory: MachineMemory>(_ path: [(slot: MachineAddress, level: TranslationLevel, table: MachineAddress)], memory: inout Memory) {
        for step in path.reversed() {
            let empty = (0..<512).allSatisfy { i in
                !Stage2Descriptor(rawValue: memory.read64(MachineAddress(step.table.rawValue + UInt64(i) * 8))).isValid
            }
            guard empty else { return }
            store(.invalid, at: step.slot, level: TranslationLevel(step.level.rawValue - 1)!, memory: &memory)
            pendingRelease.append(step.table)
        }
    }

    /// Replaces the block at `slot` by a table of 512 entries that map the same
    /// memory with the same attributes; returns the new table page.
    private mutating func split<Memory: MachineMemory>(block: Stage2Descriptor, at slot: MachineAddress, level: TranslationLevel, memory: inout Memory) throws(P2MError) -> MachineAddress {
        let page = try pool.allocatePage()
        let childLevel = level.next!
        let attributes = block.leafAttributes ?? P2MType.invalid.defaultAttributes
        for i in 0..<512 {
            let out = MachineAddress(block.outputAddress.rawValue + UInt64(i) * childLevel.entrySize)
            let child = Stage2Descriptor.leaf(output: out, attributes: attributes, level: childLevel)
            memory.write64(child.rawValue, at: MachineAddress(page.rawValue + UInt64(i) * 8))
        }
        // Break-before-make: invalidate, flush, then install the table.
        store(.invalid, at: slot, level: level, memory: &memory)
        events.append(.tlbFlush)
        store(.table(next: page), at: slot, level: level, memory: &memory)
        return page
    }

    /// Every table page of the subtree rooted at `table` (at `level`), children first.
    private static func subtreePages<Memory: MachineMemory>(_ table: MachineAddress, level: TranslationLevel, memory: Memory) -> [MachineAddress] {
        var pages: [MachineAddress] = []
        if let next = level.next {
            for i in 0..<512 {
                let entry = Stage2Descriptor(rawValue: memory.read64(MachineAddress(table.rawValue + UInt64(i) * 8)))
                if case .table(let child) = entry.kind(at: level) {
                    pages += subtreePages(child, level: next, memory: memory)
                }
            }
        }
        pages.append(table)
        return pages
    }

    /// Zeroes a table page and gives it back to the pool.
    private mutating func release<Memory: MachineMemory>(_ page: MachineAddress, memory: inout Memory) throws(P2MError) {
        Self.zeroPage(page, memory: &memory)
        try pool.releasePage(page)
        events.append(.tableFreed(page))
    }

    private mutating func store<Memory: MachineMemory>(_ descriptor: Stage2Descriptor, at slot: MachineAddress, level: TranslationLevel, memory: inout Memory) {
        let old = Stage2Descriptor(rawValue: memory.read64(slot))
        memory.write64(descriptor.rawValue, at: slot)
        events.append(.write(at: slot, old: old, new: descriptor, level: level))
    }

    private static func zeroPage<Memory: MachineMemory>(_ page: MachineAddress, memory: inout Memory) {
        for i in 0..<512 { memory.write64(0, at: MachineAddress(page.rawValue + UInt64(i) * 8)) }
    }
}
