/// Where U-Boot's `booti` runs an arm64 Image that was loaded at `address`
/// (U-Boot arch/arm/lib/image.c, `booti_setup`): with bit 3 of the header's
/// flags set, the Image's 2 MiB-aligned base may be anywhere, so the Image
/// runs at `align_up(address - text_offset, 2 MiB) + text_offset`; without
/// it, at `align_up(start of DRAM, 2 MiB) + text_offset`. A header without
/// `image_size` is taken as text_offset 0x80000, 16 MiB. When the result is
/// not `address`, `booti` moves `image_size` bytes there before jumping.
public enum BootiRelocation {
    public struct Result: Hashable, Sendable {
        /// Where the Image runs.
        public var address: UInt64
        /// Bytes `booti` takes the Image to cover from there (`image_size`).
        public var size: UInt64
        public var moved: Bool
    }

    /// - Returns: nil when `image` is not an arm64 Image (booti refuses it:
    ///   "Bad Linux ARM64 Image magic!").
    public static func place(_ image: BootImage, loadedAt address: UInt64, dramStart: UInt64) -> Result? {
        guard case .arm64Image(let t, let s, let flags) = image.format else { return nil }
        let (textOffset, size) = s == 0 ? (UInt64(0x80000), UInt64(16 << 20)) : (t, s)
        let mib2: UInt64 = 2 << 20
        let base = flags & (1 << 3) != 0 ? address &- textOffset : dramStart
        let aligned = (base &+ mib2 &- 1) & ~(mib2 - 1)
        let run = aligned &+ textOffset
        return Result(address: run, size: max(size, image.length), moved: run != address)
    }
}
