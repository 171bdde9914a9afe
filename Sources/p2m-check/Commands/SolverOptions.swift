import ArgumentParser
import Invariants

/// The solver options shared by `render`, `hook` and `explore`.
struct SolverOptions: ParsableArguments {
    // `.unconditional`: `--timeout -1` is a value (refused by `validate`), not an unknown option.
    @Option(parsing: .unconditional, help: "Z3 timeout per query, in seconds (more than 0, at most 86400).")
    var timeout: Double = 30

    func validate() throws { try Self.validate(timeout: timeout) }

    /// The checker's options for these settings.
    var checkOptions: CheckOptions { CheckOptions(timeoutMilliseconds: Self.milliseconds(timeout)) }

    /// Refuses a timeout that is not more than 0 and at most a day (NaN included).
    static func validate(timeout: Double) throws {
        guard timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be more than 0 and at most 86400 seconds, not \(timeout.isNaN ? "nan" : "\(timeout)")")
        }
    }

    /// Z3's timeout for a validated number of seconds: at least 1 ms.
    static func milliseconds(_ seconds: Double) -> UInt32 { UInt32(max(1, min(seconds * 1000, Double(UInt32.max)))) }
}
