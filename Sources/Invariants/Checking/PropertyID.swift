/// Stable identifiers of the invariant catalogue (DESIGN.md). Reports,
/// expectations and `explain` use these strings; they never change.
public enum PropertyID: String, Sendable, CaseIterable, Hashable, Comparable {
    case loadDisjoint = "load-disjoint"
    case loadInRAM = "load-in-ram"
    case s2Injective = "s2-injective"
    case identity = "identity"

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
            return "within one domain no two guest addresses reach the same machine address"
        case .identity:
            return "a direct-mapped domain's mappings have guest address == machine address"
        }
    }
}
