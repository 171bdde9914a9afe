#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import Stage2Decoder
import Z3
#endif

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
    /// Properties checked at once, each on its own thread with its own Z3
    /// contexts; 1 checks them one after another. Verdicts do not depend on it.
    public var concurrency: Int

    public init(timeoutMilliseconds: UInt32 = 30_000, resourceLimit: UInt32? = nil, maximumViolations: Int = 8, countTerms: Bool = false, concurrency: Int = CheckOptions.processorCount) {
        self.concurrency = concurrency
        self.timeoutMilliseconds = timeoutMilliseconds
        self.resourceLimit = resourceLimit
        self.maximumViolations = maximumViolations
        self.countTerms = countTerms
    }
}

extension CheckOptions {
    /// Processors online (at least 1): the default `concurrency`.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
