import Foundation
import Testing
@testable import DeviceTree

/// Compiles the .dts fixtures under Fixtures/ with `dtc` (Debian's
/// device-tree-compiler, installed by .ci/steps/20-dtc.apt). A missing dtc is
/// a test failure, never a skip.
enum DTCFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func dtcPath() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/dtc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(description: "dtc (Debian package device-tree-compiler) is not on PATH; .ci/run installs it from .ci/steps/20-dtc.apt")
    }

    /// The blob dtc makes of `Fixtures/<name>.dts`.
    static func blob(_ name: String) throws -> [UInt8] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-dtc-\(UUID().uuidString).dtb")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try dtcPath())
        process.arguments = ["-q", "-I", "dts", "-O", "dtb", "-o", out.path, directory.appendingPathComponent("\(name).dts").path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Missing(description: "dtc failed on \(name).dts: \(String(decoding: message, as: UTF8.self))")
        }
        return [UInt8](try Data(contentsOf: out))
    }

    static func tree(_ name: String) throws -> FlattenedDeviceTree {
        try FlattenedDeviceTree.parse(try blob(name))
    }
}
