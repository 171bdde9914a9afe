/// What the header of a boot file says it is. Only what decides where the
/// image sits in memory is kept.
public enum BootImageFormat: Hashable, Sendable {
    /// arm64 `Image` (Linux Documentation/arch/arm64/booting.rst; Xen's arm64
    /// binary carries the same header, xen/arch/arm/arm64/head.S): `ARM\x64`
    /// at 0x38, `text_offset` at 0x08, `image_size` (from the image's start,
    /// .bss included; 0 in kernels before 3.17) at 0x10, `flags` at 0x18.
    case arm64Image(textOffset: UInt64, imageSize: UInt64, flags: UInt64)
    /// arm32 `zImage` (and Xen's arm32 binary, xen/arch/arm/arm32/head.S):
    /// magic 0x016f2818 at 0x24, start and end addresses at 0x28 and 0x2c.
    /// `end - start` is the bytes the image covers; Xen writes `_end - start`
    /// there, so for Xen it includes .bss.
    case zImage(start: UInt32, end: UInt32)
    /// A legacy U-Boot `uImage`: a 64-byte big-endian header (magic 0x27051956)
    /// in front of `dataSize` bytes of payload.
    case uImage(UImageHeader)
    /// A flattened device tree (magic 0xd00dfeed); `totalSize` from its header.
    case deviceTree(totalSize: UInt32)
    /// gzip data (1f 8b): its size in memory once decompressed is unknown here.
    case gzip
    /// None of the above: only the file's length is known.
    case unknown

    /// A short human name, for notes.
    public var name: String {
        switch self {
        case .arm64Image: return "arm64 Image"
        case .zImage: return "zImage"
        case .uImage(let h): return "uImage (\(h.payloadName))"
        case .deviceTree: return "device tree blob"
        case .gzip: return "gzip-compressed file"
        case .unknown: return "file of unknown format"
        }
    }
}

/// The fields of a legacy `uImage` header that matter for placement
/// (U-Boot include/image.h, `struct legacy_img_hdr`).
public struct UImageHeader: Hashable, Sendable {
    public static let headerSize: UInt64 = 64
    /// `ih_size`: payload bytes after the header.
    public var dataSize: UInt32
    /// `ih_load`: where `bootm` puts the payload.
    public var loadAddress: UInt32
    /// `ih_ep`: the entry point.
    public var entryPoint: UInt32
    /// `ih_type`: 2 is a kernel, 3 a ramdisk, 6 a script, 8 a flat device tree.
    public var imageType: UInt8
    /// `ih_comp`: 0 is uncompressed.
    public var compression: UInt8
    /// The payload's own header (an arm64 Image or zImage inside), if uncompressed and recognised.
    public var payloadFootprint: UInt64?

    public init(dataSize: UInt32, loadAddress: UInt32, entryPoint: UInt32, imageType: UInt8, compression: UInt8, payloadFootprint: UInt64?) {
        self.dataSize = dataSize
        self.loadAddress = loadAddress
        self.entryPoint = entryPoint
        self.imageType = imageType
        self.compression = compression
        self.payloadFootprint = payloadFootprint
    }

    var payloadName: String {
        switch imageType {
        case 2: return "kernel"
        case 3: return "ramdisk"
        case 6: return "script"
        case 8: return "flat device tree"
        default: return "type \(imageType)"
        }
    }

    /// Bytes the payload occupies once `bootm` has put it at `loadAddress`:
    /// its own header's footprint, or its size.
    public var payloadBytes: UInt64 { max(UInt64(dataSize), payloadFootprint ?? 0) }
}
