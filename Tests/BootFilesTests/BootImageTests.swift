import Testing
@testable import BootFiles

/// What a boot file's header says it occupies in memory.
struct BootImageTests {
    @Test func arm64ImageCoversImageSizeBeyondTheFile() {
        let image = BootImage.read(HeaderBytes.arm64(textOffset: 0x8_0000, imageSize: 0x1C8_0000), length: 0x1A2_0200)
        #expect(image.format == .arm64Image(textOffset: 0x8_0000, imageSize: 0x1C8_0000, flags: 0xA))
        #expect(image.footprint == 0x1C8_0000)
    }

    @Test func arm64ImageNeverCoversLessThanItsFile() {
        #expect(BootImage.read(HeaderBytes.arm64(imageSize: 0x1000), length: 0x2000).footprint == 0x2000)
        // Before Linux 3.17 image_size is 0: only the length is known.
        let old = BootImage.read(HeaderBytes.arm64(imageSize: 0), length: 0x5000)
        #expect(old.footprint == 0x5000)
        #expect(old.footprintReason.contains("without image_size"))
    }

    @Test func xenArm32ZImageHeaderGivesEndMinusStart() {
        // Xen's arm32 head.S writes start 0 and end = _end - start (.bss included).
        let xen = BootImage.read(HeaderBytes.zImage(end: 0x12_0000), length: 0xD_C000)
        #expect(xen.format == .zImage(start: 0, end: 0x12_0000))
        #expect(xen.footprint == 0x12_0000)
        // A Linux zImage's end is its length.
        #expect(BootImage.read(HeaderBytes.zImage(start: 0, end: 0x58_0000), length: 0x58_0000).footprint == 0x58_0000)
    }

    @Test func uImageReadsItsPayloadsHeader() {
        let inner = HeaderBytes.arm64(imageSize: 0x13_0000)
        let wrapped = BootImage.read(HeaderBytes.uImage(payload: inner, dataSize: 0xF_8000, load: 0x4200_0000), length: 0xF_8040)
        guard case .uImage(let h) = wrapped.format else {
            Issue.record("not read as a uImage: \(wrapped.format)")
            return
        }
        #expect(h.loadAddress == 0x4200_0000 && h.dataSize == 0xF_8000 && h.imageType == 2)
        #expect(h.payloadFootprint == 0x13_0000)
        #expect(h.payloadBytes == 0x13_0000)
        #expect(wrapped.footprint == 0xF_8040)
        // Compressed payloads are not looked into.
        let compressed = BootImage.read(HeaderBytes.uImage(payload: inner, dataSize: 0x8_0000, load: 0x4200_0000, compression: 1), length: 0x8_0040)
        guard case .uImage(let c) = compressed.format else { Issue.record("not a uImage"); return }
        #expect(c.payloadFootprint == nil && c.payloadBytes == 0x8_0000)
    }

    @Test func deviceTreeGzipAndUnknown() {
        let dtb = HeaderBytes.be32(0xD00D_FEED) + HeaderBytes.be32(0x6000) + [UInt8](repeating: 0, count: 32)
        #expect(BootImage.read(dtb, length: 0x1300).footprint == 0x6000)
        #expect(BootImage.read([0x1F, 0x8B, 8, 0], length: 0x10_0000).format == .gzip)
        #expect(BootImage.read(Array("070701".utf8), length: 0x70_0000).format == .unknown)
        #expect(BootImage.read(Array("070701".utf8), length: 0x70_0000).footprint == 0x70_0000)
    }

    @Test func everyPrefixOfAHeaderIsReadWithoutTrapping() {
        let headers = [HeaderBytes.arm64(imageSize: 0x10_0000), HeaderBytes.zImage(end: 0x1000), HeaderBytes.uImage(payload: HeaderBytes.arm64(imageSize: 0x2000), dataSize: 0x2000, load: 0)]
        for header in headers {
            for n in 0...header.count {
                let image = BootImage.read(Array(header.prefix(n)), length: UInt64(n))
                #expect(image.footprint >= UInt64(n))
            }
        }
        // The full arm64 header is recognised, one byte short is not.
        #expect(BootImage.read(Array(headers[0].prefix(0x3C)), length: 0x3C).format != .unknown)
        #expect(BootImage.read(Array(headers[0].prefix(0x3B)), length: 0x3B).format == .unknown)
    }
}

/// Where U-Boot's booti runs an arm64 Image.
struct BootiRelocationTests {
    let xen = BootImage.read(HeaderBytes.arm64(imageSize: 0x13_0000, flags: 0xA), length: 0xF_8000)

    @Test func anAlignedImageWithTheAnywhereFlagRunsInPlace() {
        let placed = BootiRelocation.place(xen, loadedAt: 0x660_0000, dramStart: 0)
        #expect(placed == BootiRelocation.Result(address: 0x660_0000, size: 0x13_0000, moved: false))
    }

    @Test func anUnalignedImageIsMovedUpToTheNext2MiB() {
        let placed = BootiRelocation.place(xen, loadedAt: 0x660_1000, dramStart: 0)
        #expect(placed?.address == 0x680_0000 && placed?.moved == true)
        let offset = BootImage.read(HeaderBytes.arm64(textOffset: 0x8_0000, imageSize: 0x100_0000), length: 0xE0_0000)
        #expect(BootiRelocation.place(offset, loadedAt: 0x4008_0000, dramStart: 0)?.moved == false)
        #expect(BootiRelocation.place(offset, loadedAt: 0x4000_0000, dramStart: 0)?.address == 0x4008_0000)
    }

    @Test func withoutTheAnywhereFlagTheImageGoesToTheStartOfDRAM() {
        let pinned = BootImage.read(HeaderBytes.arm64(textOffset: 0x8_0000, imageSize: 0x100_0000, flags: 0x2), length: 0xE0_0000)
        #expect(BootiRelocation.place(pinned, loadedAt: 0x4800_0000, dramStart: 0x4000_0000)?.address == 0x4008_0000)
        let old = BootImage.read(HeaderBytes.arm64(imageSize: 0, flags: 0), length: 0xE0_0000)  // pre-3.17: no flags
        #expect(BootiRelocation.place(old, loadedAt: 0x4800_0000, dramStart: 0x4000_0000) == BootiRelocation.Result(address: 0x4008_0000, size: 16 << 20, moved: true))
    }

    @Test func bootiRefusesWhatIsNotAnImage() {
        #expect(BootiRelocation.place(BootImage.read(HeaderBytes.zImage(end: 0x1000), length: 0x1000), loadedAt: 0, dramStart: 0) == nil)
    }
}
