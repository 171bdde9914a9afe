/// The 40-byte header of a flattened device tree blob (Devicetree
/// Specification v0.4, section 5.2), every field big-endian.
public struct FlattenedDeviceTreeHeader: Hashable, Sendable {
    public static let magic: UInt32 = 0xD00D_FEED
    public static let size = 40

    public var totalSize: UInt32
    public var structureOffset: UInt32
    public var stringsOffset: UInt32
    public var reservationMapOffset: UInt32
    public var version: UInt32
    public var lastCompatibleVersion: UInt32
    public var bootCPU: UInt32
    public var stringsSize: UInt32
    public var structureSize: UInt32

    /// Reads and validates the header: magic, total size against the blob,
    /// version, and every block inside `[40, totalsize)`, the structure block
    /// disjoint from the other two.
    /// - Throws: `truncatedHeader`, `badMagic`, `totalSizeMismatch`,
    ///   `unsupportedVersion`, `blockOutOfBounds`, `blocksOverlap`.
    public init(_ bytes: [UInt8]) throws(DeviceTreeError) {
        let r = BigEndianReader(bytes)
        guard bytes.count >= Self.size, let magic = r.u32(at: 0) else { throw .truncatedHeader(available: bytes.count) }
        guard magic == Self.magic else { throw .badMagic(found: magic) }
        func field(_ i: Int) -> UInt32 { r.u32(at: 4 * i) ?? 0 }
        totalSize = field(1)
        structureOffset = field(2)
        stringsOffset = field(3)
        reservationMapOffset = field(4)
        version = field(5)
        lastCompatibleVersion = field(6)
        bootCPU = field(7)
        stringsSize = field(8)
        structureSize = field(9)
        guard UInt64(totalSize) <= UInt64(bytes.count), totalSize >= UInt32(Self.size) else {
            throw .totalSizeMismatch(declared: totalSize, available: bytes.count)
        }
        guard version >= 16, lastCompatibleVersion <= 17 else {
            throw .unsupportedVersion(version: version, lastCompatible: lastCompatibleVersion)
        }
        if version < 17 {
            // v16 has no size_dt_struct: the structure block runs to the strings block, or to the end.
            let end = stringsOffset > structureOffset ? stringsOffset : totalSize
            structureSize = structureOffset <= end ? end - structureOffset : 0
        }
        let structure = try Self.block("structure", structureOffset, structureSize, totalSize)
        let strings = try Self.block("strings", stringsOffset, stringsSize, totalSize)
        // The reservation map's length is only known by walking it; it needs at least its terminator.
        let reservations = try Self.block("memory reservation map", reservationMapOffset, 16, totalSize)
        if structure.overlaps(strings) { throw .blocksOverlap(first: "structure", second: "strings") }
        if structure.contains(reservations.lowerBound) || reservations.contains(structure.lowerBound) {
            throw .blocksOverlap(first: "structure", second: "memory reservation map")
        }
    }

    private static func block(_ name: String, _ offset: UInt32, _ size: UInt32, _ total: UInt32) throws(DeviceTreeError) -> Range<UInt64> {
        let start = UInt64(offset)
        let end = start + UInt64(size)
        guard start >= UInt64(Self.size), end <= UInt64(total) else {
            throw .blockOutOfBounds(block: name, offset: offset, size: size, totalSize: total)
        }
        return start ..< end
    }
}
