/// Hexadecimal formatting without Foundation.
public enum Hex {
    /// Formats `value` as `0x` followed by lower-case hex digits, no padding.
    public static func format(_ value: UInt64) -> String {
        if value == 0 { return "0x0" }
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        var v = value
        while v != 0 {
            out.append(digits[Int(v & 0xF)])
            v >>= 4
        }
        return "0x" + String(decoding: out.reversed(), as: UTF8.self)
    }
}
