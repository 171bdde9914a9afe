import SpecFormat
import Testing

/// `PrintableText`: what is escaped and what is kept.
struct PrintableTextTests {
    @Test func controlsAndOverridesAreEscapedLettersAreKept() {
        #expect(PrintableText.escape("a\u{1B}[2Jb\nc\u{202E}d\u{85}e\u{7F}") == #"a\u001b[2Jb\u000ac\u202ed\u0085e\u007f"#)
        #expect(PrintableText.escape("dom0-kernel é 日本 🙂 <&>") == "dom0-kernel é 日本 🙂 <&>")
        #expect(PrintableText.escape("\u{2028}\u{FFFE}\u{FFFF}\u{2066}\u{200F}\u{61C}") == #"\u2028\ufffe\uffff\u2066\u200f\u061c"#)
    }

    @Test func bytesThatAreNotUTF8AreShownOneByOne() {
        // Valid: ASCII, é (c3 a9), € (e2 82 ac), 🙂 (f0 9f 99 82).
        #expect(PrintableText.escape(bytes: [0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x99, 0x82]) == "aé€🙂")
        // Stray continuation, overlong "/", a UTF-8-encoded surrogate, beyond U+10FFFF, truncated at the end.
        #expect(PrintableText.escape(bytes: [0x80]) == #"\x80"#)
        #expect(PrintableText.escape(bytes: [0xC0, 0xAF]) == #"\xc0\xaf"#)
        #expect(PrintableText.escape(bytes: [0xED, 0xA0, 0x80]) == #"\xed\xa0\x80"#)
        #expect(PrintableText.escape(bytes: [0xF5, 0x80, 0x80, 0x80]) == #"\xf5\x80\x80\x80"#)
        #expect(PrintableText.escape(bytes: [0x61, 0xE2, 0x82]) == #"a\xe2\x82"#)
        // Controls inside valid UTF-8 are still escaped.
        #expect(PrintableText.escape(bytes: [0x1B, 0xFF, 0x0A]) == #"\u001b\xff\u000a"#)
    }
}
