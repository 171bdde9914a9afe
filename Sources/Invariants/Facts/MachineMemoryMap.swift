import P2MModel
import Stage2Decoder
import Z3

/// The machine address space as the checker sees it after the build: what
/// occupies each part of RAM (hypervisor, modules, heaps, pools, table pages,
/// each domain's RAM as decoded from its tables, reserved memory and any
/// device window inside a RAM bank) and what RAM is still free: RAM that
/// nothing of these covers, which is what a new module or domain could use.
public struct MachineMemoryMap: Sendable {
    /// One occupied or free stretch of RAM.
    public struct Entry: Sendable, Hashable {
        public var range: AddressRange<MachineAddress>
        /// What is there, or nil for free RAM.
        public var occupant: RegionReference?
    }

    /// Occupied stretches, sorted by base. They may overlap (overlaps are `load-disjoint`'s business).
    public var occupied: [Entry]
    /// Free RAM: bank ranges not covered by anything, sorted.
    public var free: [AddressRange<MachineAddress>]

    public init(facts: SystemFacts) {
        var used: [Entry] = facts.loadRegions.filter { $0.container == nil }.map { Entry(range: $0.range, occupant: $0.reference) }
        for r in facts.spec.reserved {
            used.append(Entry(range: r.range, occupant: RegionReference(name: r.name, kind: .reserved, range: r.range, origin: r.origin)))
        }
        for d in facts.spec.devices where facts.spec.ram.contains(where: { $0.range.overlaps(d.range) }) {
            used.append(Entry(range: d.range, occupant: RegionReference(name: d.name, kind: .device, range: d.range, origin: d.origin)))
        }
        for domain in facts.domains {
            for run in domain.decoded.runs {
                let target = facts.attribute(run.machine)
                guard run.isRAMMapping, target.kind == .ramBank || target.kind == .reserved else { continue }
                used.append(Entry(range: run.machineRange, occupant: RegionReference(
                    name: "\(domain.spec.name) RAM", kind: .guestRAM, range: run.machineRange, guestRange: run.guest, origin: domain.spec.origin)))
            }
        }
        used.sort { $0.range.base < $1.range.base }
        // Merge adjacent stretches of the same domain's RAM for readability.
        var merged: [Entry] = []
        for e in used {
            if let last = merged.last, last.occupant?.kind == .guestRAM, e.occupant?.kind == .guestRAM,
               last.occupant?.name == e.occupant?.name, last.range.end == e.range.base {
                merged[merged.count - 1].range = AddressRange(uncheckedBase: last.range.base, size: last.range.size + e.range.size)
            } else {
                merged.append(e)
            }
        }
        occupied = merged
        free = Self.free(ram: facts.spec.ram.map(\.range), used: used.map(\.range))
    }

    /// Each bank minus the union of `used`, as separate pieces per bank
    /// (banks that touch stay apart), sorted by base. One sweep per bank over
    /// the sorted union, found by binary search.
    static func free(ram: [AddressRange<MachineAddress>], used: [AddressRange<MachineAddress>]) -> [AddressRange<MachineAddress>] {
        let taken = IntervalSet(used).intervals
        var pieces: [AddressRange<MachineAddress>] = []
        for bank in ram.compactMap({ ClosedInterval($0) }).sorted(by: { $0.first < $1.first }) {
            // First union interval that ends at or after the bank's first byte.
            var (low, high) = (0, taken.count)
            while low < high {
                let mid = (low + high) / 2
                if taken[mid].last < bank.first { low = mid + 1 } else { high = mid }
            }
            var next: UInt64? = bank.first  // lowest byte not yet decided; nil once past the bank
            var k = low
            while let start = next, k < taken.count, taken[k].first <= bank.last {
                if taken[k].first > start {
                    pieces.append(AddressRange(first: MachineAddress(start), last: MachineAddress(taken[k].first - 1)))
                }
                next = taken[k].last >= bank.last ? nil : taken[k].last + 1
                k += 1
            }
            if let start = next { pieces.append(AddressRange(first: MachineAddress(start), last: MachineAddress(bank.last))) }
        }
        return pieces
    }

    /// Total free RAM in bytes.
    public var freeBytes: UInt64 { free.reduce(0) { $0 + $1.size } }
}
