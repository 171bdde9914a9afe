import P2MModel

/// Dom0's 1:1 RAM allocation, after Xen's `allocate_memory_11` and
/// `insert_11_bank` (xen/arch/arm/domain_build.c):
///
/// 1. Bank 0, "the largest thing as low as possible": for each order from the
///    largest that fits the request down to ceil(min(request, 128 MiB)), try
///    address limits of order+12 ... `lowmem_bitsize` bits (min(32, the
///    platform's DMA bit size)); the first block found is bank 0. A 32-bit
///    dom0 that gets none fails.
/// 2. Fill: allocate the largest order that fits what is left, below 4 GiB
///    while `lowmem`, then anywhere; on failure lower the order (switching off
///    `lowmem` below the bank-0 minimum, stopping below 4 MiB).
/// 3. A chunk smaller than 128 MiB lying wholly below bank 0 is refused and
///    freed; others extend an adjacent bank or become a new bank, kept sorted.
///
/// Each accepted chunk is reported in allocation order, for mapping.
public struct DirectMapAllocator {
    public static let lowMemoryLimitBits = 32
    static let minimumLowOrderBytes: UInt64 = 128 << 20
    static let minimumOrder = 10  // 4 MiB
    public static let maximumOrder = 18  // CONFIG_PAGEALLOC_MAX_ORDER: 1 GiB
    public static let maximumBanks = 256

    /// Result of the allocation.
    public struct Allocation: Sendable {
        /// The banks in ascending address order (what dom0's /memory node lists).
        public var banks: [AddressRange<MachineAddress>]
        /// Every chunk that was accepted, in allocation order (each is mapped 1:1).
        public var chunks: [AddressRange<MachineAddress>]
    }

    /// Allocates `bytes` of 1:1 RAM from `heap`. `dmaBitSize` is the
    /// platform's (Xen's `arch_get_dma_bitsize`, 32 by default); the low-memory
    /// limit is min(32, dmaBitSize) bits.
    /// - Throws: `BuildError.firstBankUnavailable` (32-bit dom0 with no low bank)
    ///   or `BuildError.domainMemoryUnallocated` when memory remains unassigned.
    public static func allocate(bytes: UInt64, architecture: Architecture, dmaBitSize: Int = 32, domain: String, heap: inout BootHeap) throws(BuildError) -> Allocation {
        let lowMemoryBits = min(lowMemoryLimitBits, max(dmaBitSize, 12))
        var unassigned = bytes / 4096
        var banks: [AddressRange<MachineAddress>] = []
        var chunks: [AddressRange<MachineAddress>] = []

        func allocationOrder(_ pages: UInt64) -> Int {
            // Largest order with 2^order <= pages (Xen's get_allocation_size), capped at MAX_ORDER.
            guard pages > 0 else { return 0 }
            return min(63 - pages.leadingZeroBitCount, maximumOrder)
        }
        func ceilingOrder(_ pages: UInt64) -> Int {
            guard pages > 1 else { return 0 }
            return 64 - (pages - 1).leadingZeroBitCount
        }
        /// insert_11_bank: true when accepted.
        func insert(_ chunk: AddressRange<MachineAddress>) -> Bool {
            if let bank0 = banks.first, chunk.size < minimumLowOrderBytes, let end = chunk.end, end < bank0.base {
                return false
            }
            for i in banks.indices {
                let bank = banks[i]
                if chunk.end == bank.base {
                    banks[i] = AddressRange(uncheckedBase: chunk.base, size: chunk.size + bank.size)
                    chunks.append(chunk)
                    return true
                }
                if bank.end == chunk.base {
                    banks[i] = AddressRange(uncheckedBase: bank.base, size: bank.size + chunk.size)
                    chunks.append(chunk)
                    return true
                }
                if let end = chunk.end, end < bank.base {
                    guard banks.count < maximumBanks else { return false }
                    banks.insert(chunk, at: i)
                    chunks.append(chunk)
                    return true
                }
            }
            guard banks.count < maximumBanks else { return false }
            banks.append(chunk)
            chunks.append(chunk)
            return true
        }

        // Bank 0.
        let minLowOrder = ceilingOrder(min(unassigned, minimumLowOrderBytes / 4096))
        var lowmem = true
        var order = allocationOrder(unassigned)
        bank0: while order >= minLowOrder {
            if order + 12 <= lowMemoryBits {
                for bits in (order + 12)...lowMemoryBits {
                    if let chunk = heap.allocate(order: order, limitBits: bits) {
                        _ = insert(chunk)
                        unassigned -= chunk.size / 4096
                        break bank0
                    }
                }
            }
            order -= 1
        }
        if banks.isEmpty {
            if architecture == .arm32LPAE { throw .firstBankUnavailable(domain: domain) }
            lowmem = false
        }

        // Fill.
        order = allocationOrder(unassigned)
        while unassigned > 0 && banks.count < maximumBanks {
            guard let chunk = heap.allocate(order: order, limitBits: lowmem ? lowMemoryBits : nil) else {
                order -= 1
                if lowmem && order < minLowOrder {
                    lowmem = false
                    order = allocationOrder(unassigned)
                } else if order < minimumOrder || order < 0 {
                    break
                }
                continue
            }
            if !insert(chunk) {
                heap.give(chunk)
                if banks.count == maximumBanks { break }
                if lowmem {
                    lowmem = false
                    order = allocationOrder(unassigned)
                    continue
                }
                break
            }
            unassigned -= chunk.size / 4096
            order = allocationOrder(unassigned)
        }
        if unassigned > 0 {
            throw .domainMemoryUnallocated(domain: domain, missingBytes: unassigned * 4096)
        }
        return Allocation(banks: banks, chunks: chunks)
    }
}
