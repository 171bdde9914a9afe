import Foundation
@testable import p2m_check

/// Paths and helpers shared by the command-line tests.
enum TestSupport {
    /// The repository root (this file is Tests/p2m-checkTests/TestSupport.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func spec(_ relative: String) -> String { repositoryRoot.appendingPathComponent(relative).path }

    /// The built `p2m-check` executable next to the test bundle.
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // Swift Testing may run from inside an .xctest bundle directory.
        while dir.lastPathComponent.hasSuffix(".xctest") || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("p2m-check")
    }

    /// Runs the executable; returns exit status, stdout and stderr. The
    /// environment is PATH and NO_COLOR=1 unless `environment` is given.
    static func run(_ arguments: [String], executable: URL = executable, environment: [String: String]? = nil,
                    in directory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment ?? ["NO_COLOR": "1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporarySpec(_ text: String, name: String = "spec.json") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-check-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The Arndale spec with one textual replacement applied (the replacement must happen).
    static func arndaleVariant(replacing old: String, with new: String) throws -> String {
        let text = try String(contentsOfFile: spec("specs/arndale.json"), encoding: .utf8)
        precondition(text.contains(old), "fixture text not found: \(old)")
        return try temporarySpec(text.replacingOccurrences(of: old, with: new))
    }
}
