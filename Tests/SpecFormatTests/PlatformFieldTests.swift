import P2MModel
import Testing
@testable import SpecFormat

/// `dma_bitsize` (a platform fact) and `notes` (written by import-dtb).
struct PlatformFieldTests {
    let base = SpecDecoderTests()

    @Test func dmaBitSizeDefaultsTo32AndIsRead() throws {
        #expect(try base.decode(SpecDecoderTests.minimal).dmaBitSize == 32)
        let spec = try base.decode(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"dma_bitsize\": 30,"))
        #expect(spec.dmaBitSize == 30)
    }

    @Test func dmaBitSizeOutOfRangeNamesItsPath() throws {
        let e = try #require(base.error(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"dma_bitsize\": 8,")))
        #expect(e.path.displayString == "/dma_bitsize")
        let f = try #require(base.error(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"dma_bitsize\": \"30\",")))
        #expect(f.path.displayString == "/dma_bitsize")
    }

    @Test func notesAreAccepted() throws {
        let spec = try base.decode(base.variant("\"pa_bits\": 40,", "\"pa_bits\": 40, \"notes\": [\"imported\"],"))
        #expect(spec.name == "b")
    }
}
