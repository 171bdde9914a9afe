import Foundation

/// Runs this executable again as a worker and reads its one result line.
enum ChildRun {
    /// The result fields of a worker, or nil when it failed or ran past `wallSeconds` (then it is killed).
    static func run(_ arguments: [String], wallSeconds: Double) -> [String: String]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        // A worker prints one short line at its end, so the pipe never fills
        // while it runs; it is read once the worker has exited.
        let deadline = Date().addingTimeInterval(wallSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0,
              let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") })
        else { return nil }
        var fields: [String: String] = [:]
        for field in line.dropFirst("RESULT ".count).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }
}
