/// Bounds-checked big-endian reads from a byte array, within `[lower, upper)`.
/// Every read that would leave the window returns nil: nothing here traps on
/// any input.
struct BigEndianReader {
    let bytes: [UInt8]
    let lower: Int
    let upper: Int

    /// A window over `bytes[lower ..< upper]`, clamped to the array.
    init(_ bytes: [UInt8], lower: Int = 0, upper: Int? = nil) {
        self.bytes = bytes
        let top = min(upper ?? bytes.count, bytes.count)
        self.lower = max(0, min(lower, top))
        self.upper = top
    }

    func u32(at offset: Int) -> UInt32? {
        guard offset >= lower, offset <= upper - 4 else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[offset + i]) }
        return v
    }

    func u64(at offset: Int) -> UInt64? {
        guard let hi = u32(at: offset), let lo = u32(at: offset + 4) else { return nil }
        return UInt64(hi) << 32 | UInt64(lo)
    }

    /// The bytes `[offset, offset + length)`, or nil past the window.
    func slice(at offset: Int, length: Int) -> [UInt8]? {
        guard length >= 0, offset >= lower, offset <= upper, length <= upper - offset else { return nil }
        return Array(bytes[offset ..< offset + length])
    }

    /// Offset of the first NUL at or after `offset`, or nil if none before the window's end.
    func nul(from offset: Int) -> Int? {
        guard offset >= lower, offset < upper else { return nil }
        var i = offset
        while i < upper {
            if bytes[i] == 0 { return i }
            i += 1
        }
        return nil
    }
}

/// Decodes bytes as UTF-8, replacing invalid sequences (names in a blob are ASCII by the spec).
func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
