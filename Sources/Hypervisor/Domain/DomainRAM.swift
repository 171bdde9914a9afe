import P2MModel

/// A domain's RAM, after Xen's `allocate_memory` family
/// (xen/common/device-tree/domain-build.c, static-memory.c):
///
/// - static memory (`xen,static-mem`), direct-mapped: each host bank is one
///   guest bank with guest == machine, in property order
///   (`assign_static_memory_11`);
/// - static memory, not direct-mapped: host banks packed in order into guest
///   RAM bank 0, then bank 1 (`allocate_static_memory`);
/// - either way `memory` must equal the sum of the static banks;
/// - the hardware domain without static memory: 1:1 from the heap
///   (`allocate_memory_11`, see `DirectMapAllocator`);
/// - other domains: the guest RAM banks, backed by the highest free heap blocks.
enum DomainRAM {
    struct Result {
        var chunks: [GuestRAMChunk]
        /// Banks of the generated `/memory` node.
        var memoryNode: [AddressRange<GuestAddress>]
    }

    static func allocate(_ domain: DomainSpec, spec: BoardSpec, heap: inout BootHeap) throws(BuildError) -> Result {
        if !domain.staticMemory.isEmpty {
            let total = domain.staticMemory.reduce(UInt64(0)) { $0 &+ $1.range.size }
            guard total == domain.memorySize else {
                throw .staticMemorySizeMismatch(domain: domain.name, memory: domain.memorySize, staticTotal: total)
            }
            if domain.directMap {
                let chunks = domain.staticMemory.map { GuestRAMChunk(guest: $0.range.reinterpreted(as: GuestAddress.self), machine: $0.range.base) }
                return Result(chunks: chunks, memoryNode: chunks.map { $0.guest })
            }
            var chunks: [GuestRAMChunk] = []
            var bankIndex = 0
            var used: UInt64 = 0
            for bank in domain.staticMemory {
                var offset: UInt64 = 0
                while offset < bank.range.size {
                    guard bankIndex < GuestLayout.ramBanks.count else { throw .guestBanksExhausted(domain: domain.name) }
                    let guestBank = GuestLayout.ramBanks[bankIndex]
                    let piece = min(bank.range.size - offset, guestBank.size - used)
                    chunks.append(GuestRAMChunk(
                        guest: AddressRange(uncheckedBase: GuestAddress(guestBank.base.rawValue + used), size: piece),
                        machine: MachineAddress(bank.range.base.rawValue + offset)))
                    offset += piece
                    used += piece
                    if used == guestBank.size { bankIndex += 1; used = 0 }
                }
            }
            return Result(chunks: chunks, memoryNode: coalesced(chunks.map { $0.guest }))
        }
        if domain.directMap {
            guard domain.isHardwareDomain else { throw .directMapNeedsStaticMemory(domain: domain.name) }
            let allocation = try DirectMapAllocator.allocate(bytes: domain.memorySize, architecture: spec.architecture, dmaBitSize: spec.dmaBitSize, domain: domain.name, heap: &heap)
            return Result(
                chunks: allocation.chunks.map { GuestRAMChunk(guest: $0.reinterpreted(as: GuestAddress.self), machine: $0.base) },
                memoryNode: allocation.banks.map { $0.reinterpreted(as: GuestAddress.self) })
        }
        var chunks: [GuestRAMChunk] = []
        var memoryNode: [AddressRange<GuestAddress>] = []
        var remaining = domain.memorySize / 4096
        for bank in GuestLayout.ramBanks where remaining > 0 {
            let pagesHere = min(bank.size / 4096, remaining)
            var offset: UInt64 = 0
            var order = min(63 - pagesHere.leadingZeroBitCount, DirectMapAllocator.maximumOrder)
            while offset < pagesHere {
                let left = pagesHere - offset
                order = min(order, 63 - left.leadingZeroBitCount)
                guard let block = heap.allocate(order: order, limitBits: nil) else {
                    if order == 0 { throw .domainMemoryUnallocated(domain: domain.name, missingBytes: (remaining - offset) * 4096) }
                    order -= 1
                    continue
                }
                chunks.append(GuestRAMChunk(guest: AddressRange(uncheckedBase: GuestAddress(bank.base.rawValue + offset * 4096), size: block.size), machine: block.base))
                offset += block.size / 4096
            }
            memoryNode.append(AddressRange(uncheckedBase: bank.base, size: pagesHere * 4096))
            remaining -= pagesHere
        }
        return Result(chunks: chunks, memoryNode: memoryNode)
    }

    /// Adjacent guest ranges merged.
    static func coalesced(_ ranges: [AddressRange<GuestAddress>]) -> [AddressRange<GuestAddress>] {
        var out: [AddressRange<GuestAddress>] = []
        for r in ranges {
            if let last = out.last, last.end == r.base {
                out[out.count - 1] = AddressRange(uncheckedBase: last.base, size: last.size + r.size)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
