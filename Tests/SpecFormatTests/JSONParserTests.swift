import Testing
@testable import SpecFormat

struct JSONParserTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func parseError(_ bytes: [UInt8]) -> JSONParseError? {
        do { _ = try JSONParser.parse(bytes) } catch { return error }
        return nil
    }

    @Test func pathsAndPositions() throws {
        let v = try parse("{\n  \"devices\": [\n    {\"base\": \"0x1000\"},\n    {\"base\": 4096}\n  ]\n}")
        guard case .object(let top) = v.kind, case .array(let devices) = top[0].value.kind,
              case .object(let second) = devices[1].kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(devices[1].path.description == "/devices/1")
        #expect(second[0].value.path.description == "/devices/1/base")
        #expect(second[0].value.location == SourceLocation(line: 4, column: 14, offset: 54))
        guard case .number(let literal, let isInteger) = second[0].value.kind else {
            Issue.record("expected a number")
            return
        }
        #expect(literal == "4096" && isInteger)
    }

    @Test func numbersKeepTheirLiteral() throws {
        for (text, integer) in [("-0", true), ("18446744073709551616", true), ("1.5", false), ("1e3", false), ("-2E-2", false)] {
            guard case .number(let literal, let isInteger) = try parse(text).kind else {
                Issue.record("\(text) is not a number")
                continue
            }
            #expect(literal == text && isInteger == integer)
        }
    }

    @Test func escapesAndSurrogatePairs() throws {
        guard case .string(let s) = try parse(#""caf\u00e9 \ud83d\ude00 \n\t\/""#).kind else {
            Issue.record("expected a string")
            return
        }
        #expect(s == "café 😀 \n\t/")
    }

    @Test(arguments: [
        ("", "empty document"), ("[1,]", "expected a JSON value"), ("{\"a\":1,}", "expected a string key"),
        ("// c\n{}", "unexpected character"), ("{'a':1}", "expected a string key"), ("012", "leading zeros"),
        ("NaN", "unexpected character"), ("\"a\u{01}b\"", "control character"), (#""\x""#, "invalid escape"),
        (#""\ud83d""#, "unpaired UTF-16 surrogate"), (#""\ude00""#, "unpaired UTF-16 surrogate"), ("{} {}", "after the top-level value"),
        ("[1 2]", "expected ',' or ']'"), ("{\"a\" 1}", "expected ':'"), ("tru", "expected true"), ("1.", "digits after '.'"),
        ("\"abc", "unterminated string"), ("-", "expected a digit"),
    ])
    func rejected(text: String, message: String) {
        let e = parseError(Array(text.utf8))
        #expect(e?.message.contains(message) == true, "\(text): \(String(describing: e))")
    }

    @Test func duplicateKeyNamesBothPlaces() {
        let e = parseError(Array("{\"a\": 1,\n \"a\": 2}".utf8))
        #expect(e?.path.description == "/a")
        #expect(e?.message == "duplicate key \"a\" (first at line 1, column 2)")
        #expect(e?.location.line == 2)
    }

    @Test(arguments: [
        [0x22, 0xC0, 0x80, 0x22],  // overlong NUL
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-16 surrogate encoded in UTF-8
        [0x22, 0xE2, 0x82, 0x22],  // truncated 3-byte sequence
        [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xFF, 0x22],  // never valid
        [0x22, 0x80, 0x22],  // lone continuation byte
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        let e = parseError(bytes)
        #expect(e?.message.contains("UTF-8") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let e = parseError([UInt8](repeating: UInt8(ascii: "["), count: 100_000))
        #expect(e?.message == "nesting deeper than 512 levels")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let v = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8))
        #expect(v.location.column == 1)
    }

    @Test func pointerEscaping() {
        let p = JSONPointer.root.appending(key: "a/b").appending(key: "m~n").appending(index: 3)
        #expect(p.description == "/a~1b/m~0n/3")
        #expect(JSONPointer.root.displayString == "/")
    }

    @Test func readerRejectsUnknownAndMissingFields() throws {
        let v = try parse("{\"base\": 1, \"bsae\": 2, \"$schema\": \"x\", \"_comment\": \"ok\"}")
        var reader = try JSONObjectReader(v)
        _ = try reader.required("base")
        #expect(throws: JSONDecodeError(path: .root, location: v.location, message: "missing required field \"size\"")) {
            _ = try reader.required("size")
        }
        do {
            try reader.rejectUnknownKeys()
            Issue.record("unknown key accepted")
        } catch {
            #expect(error.description == "/bsae: unknown field \"bsae\"; expected one of base, size")
        }
    }
}
