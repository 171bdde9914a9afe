/// A boot file as read from disk: its length, what its header says, and the
/// bytes it occupies in memory from the address it is loaded at.
public struct BootImage: Hashable, Sendable {
    /// Bytes in the file (what a `load` command copies).
    public var length: UInt64
    public var format: BootImageFormat

    public init(length: UInt64, format: BootImageFormat) {
        self.length = length
        self.format = format
    }

    /// Bytes the image occupies from its load address while it is in use,
    /// never less than the file: an arm64 Image's `image_size` (which counts
    /// .bss), a zImage's `end - start`, a uImage's header plus payload, a
    /// device tree's `totalsize`. Unknown formats and compressed files occupy
    /// their length.
    public var footprint: UInt64 {
        switch format {
        case .arm64Image(_, let imageSize, _): return max(length, imageSize)
        case .zImage(let start, let end): return max(length, end > start ? UInt64(end - start) : 0)
        case .uImage(let h): return max(length, UImageHeader.headerSize + UInt64(h.dataSize))
        case .deviceTree(let total): return max(length, UInt64(total))
        case .gzip, .unknown: return length
        }
    }

    /// Why the footprint is what it is, for notes (e.g. "arm64 Image, image_size 0x1a40000").
    public var footprintReason: String {
        switch format {
        case .arm64Image(let t, let s, _):
            return s == 0 ? "arm64 Image without image_size (pre-3.17 kernel): only its length is known" : "arm64 Image, text_offset \(hex(t)), image_size \(hex(s))"
        case .zImage(let start, let end): return "zImage, start \(hex(UInt64(start))), end \(hex(UInt64(end)))"
        case .uImage(let h): return "uImage, \(hex(UInt64(h.dataSize))) payload bytes, load address \(hex(UInt64(h.loadAddress)))"
        case .deviceTree(let t): return "device tree, totalsize \(hex(UInt64(t)))"
        case .gzip: return "gzip-compressed: its decompressed size is unknown, only its length is counted"
        case .unknown: return "no known header: only its length is counted"
        }
    }

    /// Reads the header of a boot file.
    /// - Parameters:
    ///   - bytes: at least the file's first 128 bytes (more is fine); fewer
    ///     bytes just mean fewer formats can be recognised.
    ///   - length: the file's length in bytes.
    /// Never traps, whatever the bytes.
    public static func read(_ bytes: [UInt8], length: UInt64) -> BootImage {
        BootImage(length: length, format: format(of: bytes, length: length))
    }

    static func format(of bytes: [UInt8], length: UInt64) -> BootImageFormat {
        if le32(bytes, 0x38) == 0x644d_5241 {  // "ARM\x64"
            return .arm64Image(textOffset: le64(bytes, 0x08) ?? 0, imageSize: le64(bytes, 0x10) ?? 0, flags: le64(bytes, 0x18) ?? 0)
        }
        if le32(bytes, 0x24) == 0x016f_2818, let start = le32(bytes, 0x28), let end = le32(bytes, 0x2c) {
            return .zImage(start: start, end: end)
        }
        if be32(bytes, 0) == 0xd00d_feed, let total = be32(bytes, 4) { return .deviceTree(totalSize: total) }
        if be32(bytes, 0) == 0x2705_1956, let size = be32(bytes, 12), let load = be32(bytes, 16), let entry = be32(bytes, 20),
           bytes.count >= 32 {
            let comp = bytes[31]
            var inner: UInt64?
            if comp == 0, bytes.count > 64 {
                let payload = Array(bytes[64...])
                let f = BootImage(length: UInt64(size), format: format(of: payload, length: UInt64(size)))
                if case .arm64Image = f.format { inner = f.footprint }
                if case .zImage = f.format { inner = f.footprint }
            }
            return .uImage(UImageHeader(dataSize: size, loadAddress: load, entryPoint: entry, imageType: bytes[30], compression: comp, payloadFootprint: inner))
        }
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b { return .gzip }
        return .unknown
    }

    static func le32(_ b: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, b.count >= at + 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[at + $1]) << (8 * UInt32($1)) }
    }

    static func le64(_ b: [UInt8], _ at: Int) -> UInt64? {
        guard let low = le32(b, at), let high = le32(b, at + 4) else { return nil }
        return UInt64(high) << 32 | UInt64(low)
    }

    static func be32(_ b: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, b.count >= at + 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(b[at + $1]) }
    }
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
