/// Text from a spec, a device tree or a file name, made safe to print on a
/// terminal or to put into an XML, HTML or SARIF document: one line, no
/// character that moves the cursor, drives the terminal or reorders what is
/// shown.
///
/// Characters that are escaped (as `\u001b`, four hex digits):
/// - C0 controls U+0000-U+001F (NUL, BEL, ESC, newline, tab, ...) and DEL U+007F;
/// - C1 controls U+0080-U+009F (CSI U+009B is ESC [ on some terminals);
/// - bidirectional controls: ALM U+061C, LRM/RLM U+200E/U+200F, the embeddings
///   and overrides U+202A-U+202E (RLO is U+202E), the isolates U+2066-U+2069;
/// - the line and paragraph separators U+2028/U+2029 and the noncharacters
///   U+FFFE/U+FFFF (not allowed in XML 1.0).
/// Bytes that are not UTF-8 (file names) are written `\xff` by `escape(bytes:)`.
/// Everything else, including other non-ASCII letters, is kept.
public enum PrintableText {
    /// Whether `scalar` is escaped by `escape(_:)`.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x2028, 0x2029, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// `text` with every hidden character as a `\u001b`-style escape.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                out.append(contentsOf: unicodeEscape(scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Bytes that should be UTF-8 (a file name from the command line or from
    /// git): each byte that is not part of a valid UTF-8 sequence as `\xNN`,
    /// the rest as `escape(_:)` writes it.
    public static func escape(bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let length = validSequenceLength(bytes, at: i)
            if length == 0 {
                out += "\\x" + hex(UInt32(bytes[i]), digits: 2)
                i += 1
            } else {
                out += escape(String(decoding: bytes[i..<(i + length)], as: UTF8.self))
                i += length
            }
        }
        return out
    }

    /// The length of the valid UTF-8 sequence that starts at `i`, or 0 when
    /// the byte there does not start one (stray continuation, overlong form,
    /// surrogate, beyond U+10FFFF, truncated).
    static func validSequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let b0 = bytes[i]
        if b0 < 0x80 { return 1 }
        func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + k < bytes.count && range.contains(bytes[i + k])
        }
        switch b0 {
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }

    private static func unicodeEscape(_ value: UInt32) -> String { "\\u" + hex(value, digits: 4) }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
