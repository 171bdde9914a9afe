extension JSONValue {
    /// `"auto"` or `{"auto": {...}}`: a value the spec leaves for
    /// `p2m-check explore` to choose. The decoder rejects it at its path.
    public var isAutoPlaceholder: Bool {
        switch kind {
        case .string(let s): return s == "auto"
        case .object(let members): return members.count == 1 && members[0].key == "auto"
        default: return false
        }
    }
}
