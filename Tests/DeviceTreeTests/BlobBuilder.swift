/// Builds flattened device tree blobs by hand, so that tests can write what
/// dtc never would: bad tokens, cut strings, deep nesting.
struct BlobBuilder {
    var structure: [UInt8] = []
    var strings: [UInt8] = []
    var reservations: [(UInt64, UInt64)] = []
    var terminateReservations = true

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(v & 0xFFFF_FFFF)) }

    mutating func token(_ t: UInt32) { structure += Self.be32(t) }

    mutating func begin(_ name: String) {
        token(1)
        structure += Array(name.utf8) + [0]
        pad()
    }

    mutating func end() { token(2) }

    mutating func property(_ name: String, _ value: [UInt8]) {
        let offset: UInt32
        if let existing = find(name) { offset = existing } else {
            offset = UInt32(strings.count)
            strings += Array(name.utf8) + [0]
        }
        token(3)
        structure += Self.be32(UInt32(value.count)) + Self.be32(offset) + value
        pad()
    }

    mutating func pad() { while structure.count % 4 != 0 { structure.append(0) } }

    private func find(_ name: String) -> UInt32? {
        let needle = Array(name.utf8) + [0]
        guard strings.count >= needle.count else { return nil }
        for i in 0...(strings.count - needle.count) where Array(strings[i ..< i + needle.count]) == needle && (i == 0 || strings[i - 1] == 0) {
            return UInt32(i)
        }
        return nil
    }

    /// The blob: header, reservation map, structure, strings (v17).
    func bytes() -> [UInt8] {
        var map: [UInt8] = []
        for (a, s) in reservations { map += Self.be64(a) + Self.be64(s) }
        if terminateReservations { map += Self.be64(0) + Self.be64(0) }
        let mapOffset = 40
        let structOffset = mapOffset + map.count
        let stringsOffset = structOffset + structure.count
        let total = stringsOffset + strings.count
        var header: [UInt8] = []
        for v in [0xD00D_FEED, total, structOffset, stringsOffset, mapOffset, 17, 16, 0, strings.count, structure.count] {
            header += Self.be32(UInt32(v))
        }
        return header + map + structure + strings
    }

    /// A minimal valid tree: a root with one child that has a reg.
    static func minimal() -> BlobBuilder {
        var b = BlobBuilder()
        b.begin("")
        b.property("#address-cells", be32(1))
        b.begin("dev@1000")
        b.property("reg", be32(0x1000) + be32(0x100))
        b.end()
        b.end()
        b.token(9)
        return b
    }
}

extension Array where Element == UInt8 {
    /// A copy with the big-endian word at `offset` replaced.
    func settingWord(_ offset: Int, _ value: UInt32) -> [UInt8] {
        var copy = self
        copy.replaceSubrange(offset ..< offset + 4, with: BlobBuilder.be32(value))
        return copy
    }
}
