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
