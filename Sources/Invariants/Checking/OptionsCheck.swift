import Stage2Decoder
import Z3
extension Z3Solver {
    /// One check under `options`' timeout and resource limit. Debian's Z3
    /// 4.8.12 occasionally reports "canceled" long before the timeout (a race
    /// in its timer threads); such an answer is retried, at most twice. A real
    /// timeout or resource limit is not retried.
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ options: CheckOptions) throws -> SolverOutcome {
        let clock = ContinuousClock()
        var attempt = 0
        while true {
            let start = clock.now
            let outcome = try check(timeoutMilliseconds: options.timeoutMilliseconds, resourceLimit: options.resourceLimit)
            let elapsed = clock.now - start
            guard case .unknown(let reason) = outcome, reason == "canceled", attempt < 2,
                  elapsed < .milliseconds(Int(options.timeoutMilliseconds / 2)) else { return outcome }
            attempt += 1
        }
    }
}

extension CheckOptions {
    /// The reason for an unknown answer, with the limits the query ran under
    /// (Z3's simple solver reports a hit resource limit only as "unknown").
    func unknownReason(_ reason: String, _ context: String = "") -> String {
        var limits = ["a timeout of \(timeoutMilliseconds) ms"]
        if let r = resourceLimit { limits.append("a resource limit of \(r)") }
        return "Z3 returned unknown (\(reason))\(context.isEmpty ? "" : " " + context) under " + limits.joined(separator: " and ")
    }
}
