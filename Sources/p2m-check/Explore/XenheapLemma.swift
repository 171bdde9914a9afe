import Hypervisor
import Z3
import P2MModel

extension LayoutSolver {
    /// Where Xen puts the arm32 xenheap for these hypervisor and module bases:
    /// the very code the builder runs (`ConsiderModules`, obstacles in Xen's order).
    func xenheap(_ chosen: [Int: UInt64]) -> AddressRange<MachineAddress>? {
        guard let heap = items.first(where: { $0.role == .xenheap }),
              let low = spec.ram.map({ $0.range.base.rawValue }).min(),
              let high = spec.ram.compactMap({ $0.range.end?.rawValue }).max() else { return nil }
        var obstacles: [AddressRange<MachineAddress>] = []
        for role in [LayoutItem.Role.hypervisor, .bootModule] {
            for (i, item) in items.enumerated() where item.role == role {
                guard let base = chosen[i] else { continue }
                obstacles.append(AddressRange(uncheckedBase: MachineAddress(base), size: item.size))
            }
        }
        obstacles += spec.reserved.map(\.range)
        return ConsiderModules.highestFit(start: low, end: high, size: heap.size, alignment: heap.alignment, obstacles: obstacles)
    }

    /// Nil when no pool with a spec base overlaps the real xenheap X; otherwise a
    /// lemma that holds for every layout, not just this one. `consider_modules`
    /// returns the highest free aligned slot, so X depends only on the obstacles
    /// meeting [X.base, highest RAM end): whenever each hypervisor/module item that
    /// met that window is where it is now and every other one stays out of it,
    /// the xenheap is X again, and the pools must avoid it.
    func xenheapLemma(_ chosen: [Int: UInt64], bases: [BitVector], context: Z3Context) throws -> Formula? {
        guard let heap = xenheap(chosen), let high = spec.ram.compactMap({ $0.range.end?.rawValue }).max() else { return nil }
        let pools = items.indices.filter { items[$0].role == .p2mPool && items[$0].isSpecPlaced }
        let hit = pools.contains { i in
            chosen[i].map { AddressRange(uncheckedBase: MachineAddress($0), size: items[i].size).overlaps(heap) } ?? false
        }
        guard hit else { return nil }
        let window = AddressRange(uncheckedBase: heap.base, size: high - heap.base.rawValue)
        let windowBase = try context.bitVector(window.base.rawValue)
        var same: [Formula] = []
        for i in items.indices where items[i].role == .hypervisor || items[i].role == .bootModule {
            guard let base = chosen[i] else { continue }
            if AddressRange(uncheckedBase: MachineAddress(base), size: items[i].size).overlaps(window) {
                same.append(try bases[i].equals(try context.bitVector(base)))
            } else {
                same.append(try apart(bases[i], items[i].size, windowBase, window.size, context: context))
            }
        }
        let heapBase = try context.bitVector(heap.base.rawValue)
        let avoid = try pools.map { try apart(bases[$0], items[$0].size, heapBase, heap.size, context: context) }
        return try (try Formula.and(same, in: context)).implies(try Formula.and(avoid, in: context))
    }
}
