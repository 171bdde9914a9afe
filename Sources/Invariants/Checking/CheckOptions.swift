/// Limits for checking.
public struct CheckOptions: Sendable, Hashable {
    /// Z3 timeout per query, in milliseconds. A query that hits it is "unknown".
    public var timeoutMilliseconds: UInt32
    /// Z3 resource limit per query (rlimit), or nil for none.
    public var resourceLimit: UInt32?
    /// Counterexamples to enumerate per property before stopping.
    public var maximumViolations: Int
    /// Whether to count the terms of every query (`PropertyResult.termCount`);
    /// off by default because the count walks each formula once more.
    public var countTerms: Bool

    public init(timeoutMilliseconds: UInt32 = 30_000, resourceLimit: UInt32? = nil, maximumViolations: Int = 8, countTerms: Bool = false) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.resourceLimit = resourceLimit
        self.maximumViolations = maximumViolations
        self.countTerms = countTerms
    }
}
