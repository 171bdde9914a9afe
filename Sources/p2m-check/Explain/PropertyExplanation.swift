/// What `p2m-check explain <id>` prints for one property, and the short
/// "why" line the text report puts under each violation.
struct PropertyExplanation: Sendable {
    /// A usual cause of a violation and how to fix it.
    struct Cause: Sendable {
        var cause: String
        var fix: String
    }

    /// The stable property id (`load-disjoint`, ...), as in DESIGN.md.
    var id: String
    /// One line for the text report under a violation.
    var summary: String
    /// What the property means, precisely.
    var meaning: String
    /// What goes wrong on a real board when it does not hold.
    var whyItMatters: String
    var causes: [Cause]

    /// The full text for `p2m-check explain`, wrapped at 78 columns.
    func rendered() -> String {
        var out = Self.wrap("\(id): \(summary)", first: "", rest: "  ") + "\n\n"
        out += "What it means\n" + Self.wrap(meaning, first: "  ", rest: "  ") + "\n\n"
        out += "Why it matters\n" + Self.wrap(whyItMatters, first: "  ", rest: "  ") + "\n\n"
        out += "Usual causes and fixes\n"
        for c in causes {
            out += Self.wrap(c.cause, first: "  - ", rest: "    ") + "\n"
            out += Self.wrap(c.fix, first: "    fix: ", rest: "         ") + "\n"
        }
        return out
    }

    /// Greedy word wrap: the first line starts with `first`, the others with `rest`.
    static func wrap(_ text: String, first: String, rest: String, width: Int = 78) -> String {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
