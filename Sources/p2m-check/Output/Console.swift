// @preconcurrency: Swift 6 refuses to name the C library's `stdout` otherwise.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output and standard error for the commands.
///
/// Reports go to standard output through `print` (buffered by the C
/// library); `finishStandardOutput()` flushes it once at exit and says whether
/// every byte arrived, so a report written to a full device, a closed pipe or
/// a full disk is an error (exit 2), not a silent success.
enum Console {
    /// Writes `text` and a newline to standard error. Failures to write an
    /// error message are ignored: there is nowhere left to say them.
    static func error(_ text: String) {
        _ = OutputFile.writeAll(Array((text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Flushes standard output. Returns nil when everything printed was
    /// written, or why it was not.
    static func finishStandardOutput() -> SystemError? {
        // A failed write mid-report sets the stream's error flag (and glibc
        // drops the buffer), so the flush alone would not tell.
        let flushed = fflush(stdout) == 0
        let code = errno
        if !flushed { return SystemError(code) }
        if ferror(stdout) != 0 { return SystemError(code == 0 ? EIO : code) }
        return nil
    }

    /// Exits with `status` once standard output is flushed; a failed write
    /// turns any status into exit 2 with a message on standard error.
    static func exit(_ status: Int32) -> Never {
        if let failure = finishStandardOutput() {
            error("p2m-check: error: cannot write to standard output: \(failure); the report is lost")
            terminate(ExitStatus.badInput.rawValue)
        }
        terminate(status)
    }
}

/// The C library's `exit` (inside `Console`, `exit` names `Console.exit`).
private func terminate(_ status: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(status)
    #else
    Darwin.exit(status)
    #endif
}
