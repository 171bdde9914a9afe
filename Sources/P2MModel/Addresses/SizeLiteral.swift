/// Parsing of address and size literals as they appear in specs.
///
/// Accepted forms: hexadecimal `0x40000000` (underscores allowed between
/// digits, as in `0x4000_0000`), decimal `4096`, and decimal with a binary
/// suffix `4K`, `512M`, `2G`, `1T` (also `KiB`, `MiB`, `GiB`, `TiB`, `KB`, ...:
/// always powers of 1024). Negative numbers, fractions and values above
/// 2^64 - 1 are rejected.
public enum SizeLiteral {
    /// Parses `text` into a 64-bit value.
    /// - Throws: `SizeLiteralError` saying what is wrong with the text.
    public static func parse(_ text: String) throws(SizeLiteralError) -> UInt64 {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        if bytes.first == UInt8(ascii: "-") { throw .negative(text) }
        if bytes.contains(UInt8(ascii: ".")) || bytes.contains(UInt8(ascii: "e")) && !isHex(bytes) {
            throw .fraction(text)
        }
        if isHex(bytes) {
            return try parseDigits(Array(bytes[2...]), radix: 16, original: text)
        }
        var digitEnd = 0
        while digitEnd < bytes.count, isDecimalDigit(bytes[digitEnd]) || bytes[digitEnd] == UInt8(ascii: "_") {
            digitEnd += 1
        }
        let digits = Array(bytes[..<digitEnd])
        let suffix = String(decoding: bytes[digitEnd...], as: UTF8.self)
        guard !digits.isEmpty else { throw .malformed(text) }
        let value = try parseDigits(digits, radix: 10, original: text)
        let shift: UInt64
        switch suffix.uppercased() {
        case "": shift = 0
        case "K", "KB", "KIB": shift = 10
        case "M", "MB", "MIB": shift = 20
        case "G", "GB", "GIB": shift = 30
        case "T", "TB", "TIB": shift = 40
        case "P", "PB", "PIB": shift = 50
        default: throw .unknownSuffix(text)
        }
        guard value <= (UInt64.max >> shift) else { throw .tooLarge(text) }
        return value << shift
    }

    private static func isHex(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == UInt8(ascii: "0") && (bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "X"))
    }

    private static func isDecimalDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func digitValue(_ b: UInt8) -> UInt64? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func parseDigits(_ digits: [UInt8], radix: UInt64, original: String) throws(SizeLiteralError) -> UInt64 {
        var value: UInt64 = 0
        var sawDigit = false
        var previousUnderscore = true
        for b in digits {
            if b == UInt8(ascii: "_") {
                if previousUnderscore { throw .malformed(original) }
                previousUnderscore = true
                continue
            }
            guard let d = digitValue(b), d < radix else { throw .malformed(original) }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { throw .tooLarge(original) }
            value = s
            sawDigit = true
            previousUnderscore = false
        }
        if !sawDigit || previousUnderscore { throw .malformed(original) }
        return value
    }
}

/// Why a size or address literal was rejected.
public enum SizeLiteralError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case negative(String)
    case fraction(String)
    case tooLarge(String)
    case unknownSuffix(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .empty: return "empty string; expected a hex address like \"0x40000000\" or a size like \"2G\""
        case .negative(let t): return "\"\(t)\" is negative; addresses and sizes are unsigned"
        case .fraction(let t): return "\"\(t)\" is not an integer; fractions are not allowed"
        case .tooLarge(let t): return "\"\(t)\" is larger than 2^64-1"
        case .unknownSuffix(let t): return "\"\(t)\" has an unknown suffix; use K, M, G, T or P (powers of 1024)"
        case .malformed(let t): return "\"\(t)\" is not a number; expected hex like \"0x40000000\", decimal like \"4096\" or a size like \"512M\""
        }
    }
}
