import Foundation

/// Fake boot files with real headers (the rest zeros, sparse), written to
/// fresh temporary directories, and the shipped examples' files.
enum BootFixtures {
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(truncatingIfNeeded: v)) + le32(UInt32(v >> 32)) }
    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }

    /// arm64 Image header (Xen's arm64 binary has the same): flags 0xA (4K pages, anywhere in RAM).
    static func arm64(imageSize: UInt64, textOffset: UInt64 = 0) -> [UInt8] {
        [UInt8](repeating: 0, count: 8) + le64(textOffset) + le64(imageSize) + le64(0xA) + le64(0) + le64(0) + le64(0) + Array("ARMd".utf8) + le32(0x40)
    }

    static func zImage(end: UInt32) -> [UInt8] { [UInt8](repeating: 0, count: 36) + le32(0x016f_2818) + le32(0) + le32(end) }

    static func uImage(wrapping payload: [UInt8], payloadLength: UInt32, load: UInt32) -> [UInt8] {
        be32(0x2705_1956) + be32(0) + be32(0) + be32(payloadLength) + be32(load) + be32(load) + be32(0) + [5, 2, 2, 0] + [UInt8](repeating: 0, count: 32) + payload
    }

    static let cpio = Array("070701".utf8)

    /// A fresh directory.
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-boot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// Writes `header` and extends the file to `length` bytes.
    static func write(_ header: [UInt8], length: UInt64, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(header))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: length)
        try handle.close()
    }

    static func copy(_ relative: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: TestSupport.spec(relative), toPath: path)
    }

    /// The example files, written by specs/examples/make-boot-files.sh.
    static func examples() throws -> String {
        let dir = try directory()
        let result = try TestSupport.run(["bash", TestSupport.spec("specs/examples/make-boot-files.sh"), dir], executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        return dir
    }
}
