import P2MModel

/// Result lines on the PL011, one record per line: a tag, then `key=value`
/// fields with hexadecimal numbers. `Tests/mmu-oracle/Host/OracleOutput.swift`
/// parses them.
enum Console {
    static func line(_ text: String) {
        for byte in text.utf8 { oracle_putc(byte) }
        oracle_putc(10)
    }

    static func hex(_ value: UInt64) -> String { Hex.format(value) }
}
