import P2MModel
import Testing

struct SizeLiteralTests {
    @Test(arguments: [
        ("4K", UInt64(4096)), ("512M", 512 << 20), ("2G", 2 << 30), ("1T", 1 << 40), ("2GiB", 2 << 30),
        ("0x40000000", 0x4000_0000), ("0X4000_0000", 0x4000_0000), ("4096", 4096), ("0", 0),
        ("18446744073709551615", .max), ("0xffffffffffffffff", .max), ("16777215T", 16_777_215 << 40),
    ])
    func accepted(text: String, value: UInt64) throws {
        #expect(try SizeLiteral.parse(text) == value)
    }

    @Test func rejected() {
        #expect(throws: SizeLiteralError.negative("-1")) { try SizeLiteral.parse("-1") }
        #expect(throws: SizeLiteralError.fraction("1.5G")) { try SizeLiteral.parse("1.5G") }
        #expect(throws: SizeLiteralError.tooLarge("18446744073709551616")) { try SizeLiteral.parse("18446744073709551616") }
        #expect(throws: SizeLiteralError.tooLarge("0x10000000000000000")) { try SizeLiteral.parse("0x10000000000000000") }
        #expect(throws: SizeLiteralError.tooLarge("16777216T")) { try SizeLiteral.parse("16777216T") }
        #expect(throws: SizeLiteralError.unknownSuffix("2X")) { try SizeLiteral.parse("2X") }
        #expect(throws: SizeLiteralError.malformed("0x")) { try SizeLiteral.parse("0x") }
        #expect(throws: SizeLiteralError.malformed("0x4__0")) { try SizeLiteral.parse("0x4__0") }
        #expect(throws: SizeLiteralError.empty) { try SizeLiteral.parse("") }
        #expect(throws: SizeLiteralError.malformed("G")) { try SizeLiteral.parse("G") }
    }
}
