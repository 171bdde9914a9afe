import P2MModel
import SpecFormat

/// One named requirement of the layout problem, stated in the spec's terms.
/// Each is asserted behind its own tracking literal, so that an unsat core is
/// a list of these.
enum LayoutConstraint: Sendable {
    /// The spec fixes item's address.
    case fixed(item: Int, address: UInt64)
    /// The item's base is a multiple of `alignment`.
    case aligned(item: Int, alignment: UInt64)
    /// The item lies in `[minimum, maximum)` (the auto bounds).
    case window(item: Int, minimum: UInt64?, maximum: UInt64?)
    /// The item lies inside one RAM bank (or the RAM span for the xenheap).
    case inRAM(item: Int)
    /// The item avoids a reserved-memory region.
    case avoidsReserved(item: Int, reserved: Int)
    /// Two items do not overlap.
    case disjoint(Int, Int)
    /// The RAM left after every placed item is at least what the domains ask for.
    case domainMemoryFits(total: UInt64)
    /// p2m pools with a base in the spec avoid the arm32 xenheap where Xen will
    /// place it (learnt lazily: see `LayoutSolver.xenheapLemma`).
    case poolsClearOfXenheap

    /// Indices of the items this constraint mentions.
    var items: [Int] {
        switch self {
        case .fixed(let i, _), .aligned(let i, _), .window(let i, _, _), .inRAM(let i), .avoidsReserved(let i, _): return [i]
        case .disjoint(let a, let b): return [a, b]
        case .domainMemoryFits, .poolsClearOfXenheap: return []
        }
    }

    /// The sentence a user reads, e.g. "dom0-initrd must lie below 0x48000000 (/boot_modules/1/load_address)".
    func describe(_ items: [LayoutItem], spec: BoardSpec) -> String {
        func label(_ i: Int) -> String { "\(items[i].name) (\(items[i].what))" }
        switch self {
        case .fixed(let i, let address):
            return "\(label(i)) is fixed at \(Hex.format(address)) by the spec (\(items[i].path.displayString))"
        case .aligned(let i, let alignment):
            return "\(items[i].name) must be \(SizeText.format(alignment)) aligned"
        case .window(let i, let minimum, let maximum):
            let path = items[i].autoField?.path.displayString ?? items[i].path.displayString
            switch (minimum, maximum) {
            case (let lo?, let hi?): return "\(label(i)) must lie within [\(Hex.format(lo)), \(Hex.format(hi))) (\(path))"
            case (let lo?, nil): return "\(label(i)) must lie at or above \(Hex.format(lo)) (\(path))"
            case (nil, let hi?): return "\(label(i)) must lie below \(Hex.format(hi)) (\(path))"
            case (nil, nil): return "\(label(i)) has no bounds"
            }
        case .inRAM(let i):
            let banks = spec.ram.map { "\($0.name) \($0.range)" }.joined(separator: ", ")
            if case .ramSpan = items[i].region { return "\(label(i)) must lie between the lowest and highest RAM address (\(banks))" }
            return "\(label(i)) must lie inside one RAM bank (\(banks))"
        case .avoidsReserved(let i, let r):
            return "\(items[i].name) must avoid reserved memory \(spec.reserved[r].name) \(spec.reserved[r].range) (\(spec.reserved[r].origin.path))"
        case .disjoint(let a, let b):
            return "\(items[a].name) and \(items[b].name) must not overlap"
        case .domainMemoryFits(let total):
            let ram = spec.ram.reduce(UInt64(0)) { $0 + $1.range.size }
            return "the domains' memory (\(SizeText.format(total))) must fit in the RAM (\(SizeText.format(ram))) left over by everything placed"
        case .poolsClearOfXenheap:
            return "p2m pools with a base in the spec must avoid the xenheap where Xen places it (the highest 32M-aligned fit between the lowest and highest RAM address that avoids the hypervisor, the boot modules and reserved memory)"
        }
    }
}
