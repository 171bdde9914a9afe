import Foundation

/// Compiles the DeviceTree test fixtures (Tests/DeviceTreeTests/Fixtures/*.dts)
/// with `dtc`. A missing dtc throws (the test fails); it is never skipped.
enum DTC {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func compile(fixture name: String) throws -> String {
        let source = TestSupport.spec("Tests/DeviceTreeTests/Fixtures/\(name).dts")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-check-dtb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("\(name).dtb").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, source]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "dtc (Debian device-tree-compiler, installed by .ci/steps/20-dtc.apt) failed or is missing: status \(process.terminationStatus) \(message)")
        }
        return out
    }
}
