import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// The body of the running fuzz target; set once by `runFuzzer` before the loop starts.
nonisolated(unsafe) private var currentBody: (([UInt8]) -> Void)?

/// Runs libFuzzer's loop over `body`, passing the process's command line to
/// libFuzzer (so `-max_total_time=60 corpus/` etc. work), then exits with
/// libFuzzer's status.
///
/// `body` gets each input as bytes. It must return normally for every input;
/// a trap (failed precondition, overflow, out-of-bounds index), a sanitizer
/// report, a hang past libFuzzer's `-timeout` or memory past `-rss_limit_mb`
/// is a finding and stops the run with a reproducer file.
///
/// Precondition: the executable was built with `-sanitize=fuzzer`, which
/// links libFuzzer's driver.
public func runFuzzer(_ body: @escaping ([UInt8]) -> Void) -> Never {
    currentBody = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
}

/// libFuzzer's per-input callback. Also exported under the conventional name,
/// because `-sanitize=fuzzer` links libFuzzer's own `main` object, which
/// refers to it (our `main` still wins: SwiftPM points `main` at the target's
/// entry point).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    currentBody?(bytes)
    return 0
}
