import Stage2Decoder
import Z3
/// Stable identifiers of the invariant catalogue (DESIGN.md). Reports,
/// expectations and `explain` use these strings; they never change.
public enum PropertyID: String, Sendable, CaseIterable, Hashable, Comparable {
    case loadDisjoint = "load-disjoint"
    case loadInRAM = "load-in-ram"
    case s2Injective = "s2-injective"
    case isolation = "isolation"
    case hypPrivate = "hyp-private"
    case identity = "identity"
    case ipaDisjoint = "ipa-disjoint"
    case attributes = "attributes"
    case leafInBacking = "leaf-in-backing"
    case ranges = "ranges"
    case dtConsistent = "dt-consistent"
    case moduleRules = "module-rules"

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// One-line statement of the property.
    public var statement: String {
        switch self {
        case .loadDisjoint:
            return "hypervisor image, boot modules, heaps, p2m pools and page-table pages are pairwise disjoint in machine memory"
        case .loadInRAM:
            return "each of those lies in RAM and outside reserved memory"
        case .s2Injective:
            return "within one domain no two guest addresses reach the same machine address, except in declared shared memory"
        case .isolation:
            return "no machine page is mapped into two domains unless declared shared"
        case .hypPrivate:
            return "no guest mapping reaches a page-table page, hypervisor memory, the GIC hypervisor interface or the hypervisor's devices"
        case .ipaDisjoint:
            return "in each guest address space RAM, MMIO and emulated windows do not overlap"
        case .attributes:
            return "RAM is Normal write-back; MMIO is execute-never with its type's memory attribute; permissions match the p2m type"
        case .leafInBacking:
            return "every leaf lies wholly inside what backs it: RAM (the domain's static memory if it has any) or a device window"
        case .ranges:
            return "guest addresses fit the IPA size, machine addresses the PA size; the table walk is well formed"
        case .dtConsistent:
            return "the memory and device nodes a domain boots with describe exactly what is mapped"
        case .moduleRules:
            return "each boot image obeys its format's placement rules"
        case .identity:
            return "a direct-mapped domain's mappings have guest address == machine address"
        }
    }
}
