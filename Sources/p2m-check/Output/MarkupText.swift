import SpecFormat

/// Text for an XML or HTML document (the SVG memory map, the HTML page):
/// markup characters as entities, and every character `PrintableText` hides
/// (controls, bidirectional overrides, noncharacters) as a visible
/// `\u001b`-style escape, so the document is always well-formed XML 1.0 and
/// shows what the name really holds.
enum MarkupText {
    static func escape(_ text: String) -> String {
        // Scalar by scalar: "&" followed by a combining mark is one Character.
        var out = ""
        for c in PrintableText.escape(text).unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
