/// Builds the first bytes of boot files with real headers, for the tests.
enum HeaderBytes {
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le64(_ v: UInt64) -> [UInt8] { le32(UInt32(truncatingIfNeeded: v)) + le32(UInt32(v >> 32)) }
    static func be32(_ v: UInt32) -> [UInt8] { le32(v).reversed() }

    /// arm64 Image: code0/code1, text_offset, image_size, flags, 3 reserved, "ARM\x64", res5.
    static func arm64(textOffset: UInt64 = 0, imageSize: UInt64, flags: UInt64 = 0xA) -> [UInt8] {
        [UInt8](repeating: 0, count: 8) + le64(textOffset) + le64(imageSize) + le64(flags) + le64(0) + le64(0) + le64(0) + Array("ARMd".utf8) + le32(0x40)
    }

    /// arm32 zImage: 36 bytes of code, magic, start, end.
    static func zImage(start: UInt32 = 0, end: UInt32) -> [UInt8] {
        [UInt8](repeating: 0, count: 36) + le32(0x016f_2818) + le32(start) + le32(end)
    }

    /// Legacy uImage header followed by `payload`.
    static func uImage(payload: [UInt8], dataSize: UInt32, load: UInt32, type: UInt8 = 2, compression: UInt8 = 0) -> [UInt8] {
        var h = be32(0x2705_1956) + be32(0) + be32(0) + be32(dataSize) + be32(load) + be32(load) + be32(0)
        h += [5, 2, type, compression] + [UInt8](repeating: 0, count: 32)
        return h + payload
    }
}
