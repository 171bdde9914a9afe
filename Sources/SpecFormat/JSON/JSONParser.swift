/// A strict RFC 8259 JSON parser that records every value's JSON Pointer and
/// source position.
///
/// Rejected: invalid UTF-8 anywhere (overlong forms, encoded surrogates,
/// truncated sequences, bytes 0xF5-0xFF), trailing commas, comments, leading
/// zeros, NaN/Infinity, control characters in strings, invalid escapes,
/// unpaired `\u` surrogates, duplicate keys in one object, trailing content,
/// empty input, and nesting deeper than `maximumDepth`. A UTF-8 byte order
/// mark at the start is skipped.
public struct JSONParser {
    public static let defaultMaximumDepth = 512

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var index = 0
    private var line = 1
    private var lineStart = 0

    /// Parses a whole document.
    /// - Throws: `JSONParseError` with the location and path of the first problem.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        try parser.validateUTF8()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.index = 3
            parser.lineStart = 3
        }
        parser.skipWhitespace()
        guard parser.index < bytes.count else { throw parser.error("empty document; expected a JSON value", path: .root) }
        let value = try parser.parseValue(path: .root, depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected content after the top-level value", path: .root) }
        return value
    }

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private var location: SourceLocation { SourceLocation(line: line, column: index - lineStart + 1, offset: index) }

    private func error(_ message: String, path: JSONPointer) -> JSONParseError {
        JSONParseError(location: location, path: path, message: message)
    }

    // MARK: UTF-8

    private mutating func validateUTF8() throws(JSONParseError) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F  // no UTF-16 surrogates
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default:
                index = i
                throw error("invalid UTF-8 byte 0x\(String(b, radix: 16))", path: .root)
            }
            guard i + length <= n else {
                index = i
                throw error("truncated UTF-8 sequence", path: .root)
            }
            for k in 1..<length {
                let c = bytes[i + k]
                let (lo, hi) = k == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
                guard c >= lo && c <= hi else {
                    index = i
                    throw error("invalid UTF-8 sequence", path: .root)
                }
            }
            i += length
        }
        line = 1
        lineStart = 0
    }

    // MARK: Values

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue(path: JSONPointer, depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input; expected a value", path: path) }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels", path: path) }
            return JSONValue(kind: try parseObject(path: path, depth: depth), location: start, path: path)
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { throw error("nesting deeper than \(maximumDepth) levels", path: path) }
            return JSONValue(kind: try parseArray(path: path, depth: depth), location: start, path: path)
        case UInt8(ascii: "\""):
            return JSONValue(kind: .string(try parseString(path: path)), location: start, path: path)
        case UInt8(ascii: "t"):
            try expectWord("true", path: path)
            return JSONValue(kind: .bool(true), location: start, path: path)
        case UInt8(ascii: "f"):
            try expectWord("false", path: path)
            return JSONValue(kind: .bool(false), location: start, path: path)
        case UInt8(ascii: "n"):
            try expectWord("null", path: path)
            return JSONValue(kind: .null, location: start, path: path)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONValue(kind: try parseNumber(path: path), location: start, path: path)
        default:
            throw error("unexpected character; expected a JSON value (object, array, string, number, true, false or null)", path: path)
        }
    }

    private mutating func expectWord(_ word: String, path: JSONPointer) throws(JSONParseError) {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else {
            throw error("invalid literal; expected \(word)", path: path)
        }
        index += w.count
    }

    private mutating func parseObject(path: JSONPointer, depth: Int) throws(JSONParseError) -> JSONValue.Kind {
        index += 1
        var members: [JSONValue.Member] = []
        var seen: [String: SourceLocation] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input; expected a string key", path: path) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in double quotes", path: path)
            }
            let keyLocation = location
            let key = try parseString(path: path)
            let memberPath = path.appending(key: key)
            if let first = seen[key] {
                index = keyLocation.offset
                throw JSONParseError(location: keyLocation, path: memberPath, message: "duplicate key \"\(key)\" (first at \(first))")
            }
            seen[key] = keyLocation
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after object key", path: memberPath) }
            index += 1
            skipWhitespace()
            let value = try parseValue(path: memberPath, depth: depth + 1)
            members.append(JSONValue.Member(key: key, keyLocation: keyLocation, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input; expected ',' or '}' after object member", path: path) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            throw error("expected ',' or '}' after object member", path: path)
        }
    }

    private mutating func parseArray(path: JSONPointer, depth: Int) throws(JSONParseError) -> JSONValue.Kind {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(path: path.appending(index: items.count), depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input; expected ',' or ']' after array element", path: path) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            throw error("expected ',' or ']' after array element", path: path)
        }
    }

    private mutating func parseNumber(path: JSONPointer) throws(JSONParseError) -> JSONValue.Kind {
        let start = index
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.index
            while p.index < p.bytes.count, p.bytes[p.index] >= UInt8(ascii: "0"), p.bytes[p.index] <= UInt8(ascii: "9") { p.index += 1 }
            return p.index - s
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
            throw error("invalid number: expected a digit", path: path)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                throw error("invalid number: leading zeros are not allowed", path: path)
            }
        } else {
            _ = digits(&self)
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard digits(&self) > 0 else { throw error("invalid number: expected digits after '.'", path: path) }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("invalid number: expected digits in the exponent", path: path) }
        }
        return .number(literal: String(decoding: bytes[start..<index], as: UTF8.self), isInteger: isInteger)
    }

    private mutating func parseString(path: JSONPointer) throws(JSONParseError) -> String {
        index += 1
        var out: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw error("unterminated string", path: path) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in string; escape it", path: path) }
            if b != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            out.append(contentsOf: bytes[runStart..<index])
            index += 1
            guard index < bytes.count else { throw error("unterminated escape", path: path) }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(path: path)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired UTF-16 surrogate in \\u escape", path: path)
                    }
                    index += 2
                    let low = try hex4(path: path)
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired UTF-16 surrogate in \\u escape", path: path) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("unpaired UTF-16 surrogate in \\u escape", path: path)
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
            default:
                throw error("invalid escape '\\\(String(Unicode.Scalar(e)))'", path: path)
            }
            runStart = index
        }
    }

    private mutating func hex4(path: JSONPointer) throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape", path: path) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape: expected 4 hex digits", path: path)
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }
}
