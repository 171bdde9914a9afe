import P2MModel
import Testing

struct Stage2ConfigurationTests {
    @Test func arm32FortyBitUsesTwoConcatenatedLevel1Pages() throws {
        let c = try Stage2Configuration(ipaBits: 40, architecture: .arm32LPAE)
        #expect(c.rootLevel == .one)
        #expect(c.rootPageCount == 2)
        #expect(c.t0sz == 24)
        #expect(c.sl0 == 1)
        // 2^39 is the first address of the second root page.
        #expect(c.rootPageIndex(of: GuestAddress(1 << 39)) == 1)
        #expect(c.rootPageIndex(of: GuestAddress((1 << 39) - 1)) == 0)
    }

    @Test func arm64FortyEightBitStartsAtLevel0() throws {
        let c = try Stage2Configuration(ipaBits: 48, architecture: .arm64)
        #expect(c.rootLevel == .zero)
        #expect(c.rootPageCount == 1)
        #expect(c.t0sz == 16)
        let c42 = try Stage2Configuration(ipaBits: 42, architecture: .arm64)
        #expect(c42.rootPageCount == 8)
    }

    @Test func unsupportedSizes() {
        #expect(throws: Stage2ConfigurationError.unsupportedIPASize(bits: 36, architecture: .arm32LPAE)) {
            try Stage2Configuration(ipaBits: 36, architecture: .arm32LPAE)
        }
        #expect(throws: Stage2ConfigurationError.unsupportedIPASize(bits: 52, architecture: .arm64)) {
            try Stage2Configuration(ipaBits: 52, architecture: .arm64)
        }
    }

    @Test func levels() {
        #expect(TranslationLevel.one.entrySize == 1 << 30)
        #expect(TranslationLevel.two.entrySize == 2 << 20)
        #expect(TranslationLevel.three.entrySize == 4096)
        #expect(TranslationLevel.two.index(of: 0x6020_0000) == 0x101)
        #expect(!TranslationLevel.zero.allowsLeaf)
    }
}

struct XenIPAChoiceTests {
    @Test func arm64IPAFollowsThePARangeCappedAt48() throws {
        for (pa, levels, root) in [(32, 3, 1), (36, 3, 1), (40, 3, 2), (42, 3, 8), (44, 4, 1), (48, 4, 1), (52, 4, 1)] {
            let c = try Stage2Configuration.xen(paBits: pa, architecture: .arm64)
            #expect(c.ipaBits == min(pa, 48))
            #expect(c.levelCount == levels)
            #expect(c.rootPageCount == root)
        }
        // An IOMMU restricting the IPA to 40 bits on a 48-bit CPU.
        #expect(try Stage2Configuration.xen(paBits: 48, architecture: .arm64, restrictedIPABits: 40).ipaBits == 40)
    }

    @Test func arm32IsAlwaysFortyBit() throws {
        let c = try Stage2Configuration.xen(paBits: 32, architecture: .arm32LPAE)
        #expect(c.ipaBits == 40 && c.rootPageCount == 2 && c.levelCount == 3)
    }

    @Test func vtcrValues() throws {
        // RES1 | SH0 inner | ORGN0/IRGN0 WBWA | SL0 | T0SZ (| PS on arm64).
        #expect(try Stage2Configuration(ipaBits: 40, architecture: .arm32LPAE).vtcr == 0x8000_3558)
        #expect(try Stage2Configuration(ipaBits: 40, architecture: .arm64).vtcr == 0x8002_3558)
        #expect(try Stage2Configuration(ipaBits: 48, architecture: .arm64).vtcr == 0x8005_3590)
        #expect(try Stage2Configuration(ipaBits: 32, architecture: .arm64).vtcr == 0x8000_3560)
    }

    @Test func unknownPARangeIsTyped() {
        #expect(throws: Stage2ConfigurationError.unsupportedIPASize(bits: 34, architecture: .arm64)) {
            try Stage2Configuration.xen(paBits: 34, architecture: .arm64)
        }
    }
}
