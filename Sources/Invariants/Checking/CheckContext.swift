import Stage2Decoder
import Z3
/// One Z3 context shared by every query of one `Checker.check` call.
/// Creating a context costs about as much as solving a small query, so the
/// properties take theirs from `Z3Context.forCheck()`, which returns the
/// context of the check in progress (a task-local value) or a new one.
/// A check runs on one task, so the context is never used concurrently.
final class CheckContext: @unchecked Sendable {
    let context: Z3Context

    init(_ context: Z3Context) { self.context = context }

    @TaskLocal static var current: CheckContext?
}

extension Z3Context {
    /// The context of the check in progress, or a fresh one outside a check.
    /// - Throws: `SolverError.contextCreationFailed`.
    static func forCheck() throws -> Z3Context {
        if let shared = CheckContext.current { return shared.context }
        return try Z3Context()
    }
}
