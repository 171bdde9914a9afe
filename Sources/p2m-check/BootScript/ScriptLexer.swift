/// One command of a U-Boot script as written: its words (not yet expanded:
/// `${var}` is looked up when the command runs, after earlier `setenv`s) and
/// the line it starts on.
struct ScriptCommand {
    enum Part {
        case literal(String)
        /// `$name` or `${name}`; `quoted` inside double quotes (no word splitting).
        case variable(String, quoted: Bool)
    }

    /// Each word is a list of parts that join into one string.
    var words: [[Part]]
    var line: Int
    /// The separator that ended the command was `&&` or `||` (run here as if
    /// every command succeeds).
    var conditional = false
}

/// Why a script could not be read; every error names its line.
struct BootScriptError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    /// `line N: message`; a problem of the whole file (line 0) is just the message.
    var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// Splits a U-Boot (hush) script into commands: `;`, newlines, `&&` and `||`
/// separate commands; `#` at the start of a word comments out the rest of the
/// line; single quotes keep everything literal, double quotes keep spaces and
/// expand variables; a backslash escapes the next character (a line end: the
/// command continues).
enum ScriptLexer {
    static func commands(_ text: String) throws(BootScriptError) -> [ScriptCommand] {
        var out: [ScriptCommand] = []
        var words: [[ScriptCommand.Part]] = []
        var word: [ScriptCommand.Part] = []
        var literal = ""
        var inWord = false
        var line = 1
        var start = 1
        var quote: Character?
        let chars = Array(text)
        var i = 0

        func flushLiteral() { if !literal.isEmpty { word.append(.literal(literal)); literal = "" } }
        func endWord() {
            flushLiteral()
            if inWord { words.append(word) }
            word = []
            inWord = false
        }
        func endCommand(conditional: Bool = false) {
            endWord()
            if !words.isEmpty { out.append(ScriptCommand(words: words, line: start, conditional: conditional)) }
            words = []
        }

        while i < chars.count {
            let c = chars[i]
            if words.isEmpty && !inWord && quote == nil { start = line }
            if c == "\n" { line += 1 }
            if let q = quote {
                if c == q { quote = nil; i += 1; continue }
                if q == "\"" && c == "\\" && i + 1 < chars.count && "\"\\$".contains(chars[i + 1]) {
                    literal.append(chars[i + 1]); i += 2; continue
                }
                if q == "\"" && c == "$", let (name, next) = variable(chars, i) {
                    flushLiteral(); word.append(.variable(name, quoted: true)); i = next; continue
                }
                literal.append(c); i += 1; continue
            }
            switch c {
            case "\\":
                if i + 1 < chars.count {
                    if chars[i + 1] == "\n" { line += 1 } else { literal.append(chars[i + 1]); inWord = true }
                    i += 2
                } else { i += 1 }
            case "'", "\"":
                quote = c; inWord = true; i += 1
            case " ", "\t", "\r":
                endWord(); i += 1
            case "\n", ";":
                endCommand(); i += 1
            case "&", "|":
                if i + 1 < chars.count, chars[i + 1] == c { endCommand(conditional: true); i += 2 } else { literal.append(c); inWord = true; i += 1 }
            case "#" where !inWord:
                while i < chars.count, chars[i] != "\n" { i += 1 }
            case "$":
                if let (name, next) = variable(chars, i) {
                    flushLiteral(); word.append(.variable(name, quoted: false)); inWord = true; i = next
                } else { literal.append(c); inWord = true; i += 1 }
            default:
                literal.append(c); inWord = true; i += 1
            }
        }
        if quote != nil { throw BootScriptError(line: start, message: "unterminated \(quote == "'" ? "single" : "double") quote") }
        endCommand()
        return out
    }

    /// `$name` or `${name}` at `i`: the name and the index after it.
    private static func variable(_ chars: [Character], _ i: Int) -> (String, Int)? {
        var j = i + 1
        if j < chars.count, chars[j] == "{" {
            guard let close = chars[(j + 1)...].firstIndex(of: "}") else { return nil }
            return (String(chars[(j + 1)..<close]), close + 1)
        }
        var name = ""
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { name.append(chars[j]); j += 1 }
        return name.isEmpty ? nil : (name, j)
    }

    /// The command's words with variables replaced from `env`: an unquoted
    /// value is split at spaces, as hush does.
    /// - Throws: naming the variable when it is not set.
    static func expand(_ command: ScriptCommand, env: [String: String]) throws(BootScriptError) -> [String] {
        var out: [String] = []
        for word in command.words {
            var pieces: [String] = [""]
            for part in word {
                switch part {
                case .literal(let s): pieces[pieces.count - 1] += s
                case .variable(let name, let quoted):
                    guard let value = env[name] else {
                        throw BootScriptError(line: command.line, message: "${\(name)} is not set (set it in the script or pass --env \(name)=VALUE)")
                    }
                    if quoted {
                        pieces[pieces.count - 1] += value
                    } else {
                        let split = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                        guard let first = split.first else { continue }
                        pieces[pieces.count - 1] += first
                        pieces += split.dropFirst()
                    }
                }
            }
            out += pieces
        }
        return out
    }
}
