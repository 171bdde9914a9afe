/// A level of the stage-2 walk with the 4 KiB granule: 0 (512 GiB per entry)
/// down to 3 (4 KiB pages).
public struct TranslationLevel: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 0 ... 3.
    public let rawValue: Int

    /// - Returns: nil when `rawValue` is outside 0...3.
    public init?(_ rawValue: Int) {
        guard (0...3).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public static let zero = TranslationLevel(0)!
    public static let one = TranslationLevel(1)!
    public static let two = TranslationLevel(2)!
    public static let three = TranslationLevel(3)!

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// Shift of the address bits this level indexes: 39, 30, 21, 12.
    public var indexShift: UInt64 { UInt64(12 + 9 * (3 - rawValue)) }
    /// Bytes covered by one entry at this level: 512G, 1G, 2M, 4K.
    public var entrySize: UInt64 { 1 << indexShift }
    /// Whether a leaf (block or page) may sit at this level with 4 KiB granule.
    /// Level 0 blocks do not exist; Xen also never writes them.
    public var allowsLeaf: Bool { rawValue >= 1 }
    /// The next level down, or nil at level 3.
    public var next: TranslationLevel? { TranslationLevel(rawValue + 1) }
    /// The 9-bit table index of `address` at this level.
    public func index(of address: UInt64) -> Int { Int((address >> indexShift) & 0x1FF) }

    public var description: String { "L\(rawValue)" }
}
