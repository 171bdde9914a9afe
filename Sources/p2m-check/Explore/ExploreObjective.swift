/// What explore optimises when several layouts satisfy every constraint
/// (Z3 Optimize, objectives applied in order).
enum ExploreObjective: Sendable, Equatable, CustomStringConvertible {
    /// Every auto address as low as possible (the sum of bases is minimised). The default.
    case low
    /// Every auto address as high as possible.
    case high
    /// One item's address as low as possible.
    case lowest(String)
    /// One item's address as high as possible.
    case highest(String)
    /// The boot modules within the smallest window (max end - min base is minimised).
    case compact
    /// The domain's memory as large as proves. Not a Z3 objective: the domain's
    /// `memory` must be "auto", which explore searches over the builder and checker.
    case largest(String)

    /// Parses `low`, `high`, `lowest:NAME`, `highest:NAME` or `compact`.
    /// - Throws: `ExploreError.badArgument`.
    static func parse(_ text: String) throws(ExploreError) -> ExploreObjective {
        switch text {
        case "low": return .low
        case "high": return .high
        case "compact": return .compact
        default:
            if text.hasPrefix("lowest:"), text.count > 7 { return .lowest(String(text.dropFirst(7))) }
            if text.hasPrefix("highest:"), text.count > 8 { return .highest(String(text.dropFirst(8))) }
            if text.hasPrefix("largest:"), text.count > 8 { return .largest(String(text.dropFirst(8))) }
            throw .badArgument("unknown objective \"\(text)\"; expected low, high, compact, lowest:NAME, highest:NAME or largest:DOMAIN")
        }
    }

    var description: String {
        switch self {
        case .low: return "low"
        case .high: return "high"
        case .compact: return "compact"
        case .lowest(let n): return "lowest:\(n)"
        case .highest(let n): return "highest:\(n)"
        case .largest(let n): return "largest:\(n)"
        }
    }
}
