import ArgumentParser
import Invariants

/// The solver options shared by `render` and `hook`.
struct SolverOptions: ParsableArguments {
    @Option(help: "Z3 timeout per query, in seconds.")
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
    }

    /// The checker's options for these settings.
    var checkOptions: CheckOptions { CheckOptions(timeoutMilliseconds: UInt32(timeout * 1000)) }
}
