import Foundation

/// Runs the built `p2m-check` with a deadline: a hang guard for hostile
/// inputs, not a benchmark. Output goes to temporary files, so a large error
/// message can never block the child on a full pipe.
enum BoundedProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
        /// The child was still running at the deadline and was killed.
        var timedOut: Bool
        /// The child died of a signal (a trap or a crash) rather than exiting.
        var crashed: Bool
    }

    static func run(_ arguments: [String], deadline seconds: Double = 30) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-check-bounded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = TestSupport.executable
        process.arguments = arguments
        process.environment = ["NO_COLOR": "1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let timedOut = done.wait(timeout: .now() + seconds) == .timedOut
        if timedOut {
            process.terminate()
            done.wait()
        }
        let elapsed = clock.now - start
        try out.close()
        try err.close()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            timedOut: timedOut,
            crashed: process.terminationReason == .uncaughtSignal)
    }
}
