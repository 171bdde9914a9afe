import Foundation
import SpecFormat
import Testing
@testable import p2m_check
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every C0 and C1 control, DEL, the bidirectional controls, the line and
/// paragraph separators and the XML noncharacters, in the board name and in
/// a violated region's name, and a spec file name with ESC, a newline, RLO
/// and a byte that is not UTF-8, through every output format of the built
/// executable: the text is plain printable lines, JSON and SARIF parse (and
/// the JSON keeps the exact name), SVG and HTML parse as XML.
struct HostileTextTests {
    /// Every scalar `PrintableText` hides.
    static let hidden: [Unicode.Scalar] = (Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F)
        + [0x061C, 0x200E, 0x200F] + Array(0x202A...0x202E) + Array(0x2066...0x2069) + [0x2028, 0x2029, 0xFFFE, 0xFFFF])
        .map { Unicode.Scalar(UInt32($0))! }

    static var hostileName: String { "K" + String(String.UnicodeScalarView(hidden)) + "<&>\"'" }

    /// The broken Arndale spec with the hostile text in the board name and the kernel's name.
    static func hostileSpec() throws -> Data {
        let text = try String(contentsOfFile: TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), encoding: .utf8)
        let escaped = JSONOutput.quote(hostileName)
        let board = text.replacingOccurrences(of: #""board": ""#, with: #""board": "# + escaped.dropLast() + " ")
        precondition(board != text)
        let kernel = board.replacingOccurrences(of: #""name": "dom0-kernel""#, with: #""name": "# + escaped)
        precondition(kernel != board)
        return Data(kernel.utf8)
    }

    /// The spec file's name as printf(1) octal escapes: ESC, newline, RLO (UTF-8 e2 80 ae), 0xff.
    static let fileName = #"h\033[31m\n\342\200\256\377.json"#

    /// Runs `p2m-check ARGS` through sh, with `SPEC` in ARGS standing for the hostile file name.
    private func run(_ arguments: [String], in directory: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let words = arguments.map { $0 == "SPEC" ? "\"$spec\"" : InstallHookCommand.quote($0) }.joined(separator: " ")
        let script = "spec=$(printf '\(Self.fileName)'); [ -e \"$spec\" ] || cp source.json \"$spec\"; exec \(InstallHookCommand.quote(TestSupport.executable.path)) \(words)"
        return try TestSupport.run(["-c", script], executable: URL(fileURLWithPath: "/bin/sh"), in: directory)
    }

    private func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.hostileSpec().write(to: URL(fileURLWithPath: dir + "/source.json"))
        return dir
    }

    /// No hidden scalar on any line; U+FFFD (a repaired byte) does not appear
    /// either, except in JSON, where a name that is not UTF-8 cannot be kept.
    private func expectPlainLines(_ text: String, _ what: String, allowReplacement: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let bad = line.unicodeScalars.filter { PrintableText.isHidden($0) || (!allowReplacement && $0 == "\u{FFFD}") }
            #expect(bad.isEmpty, "\(what): \(bad.map { String($0.value, radix: 16) }) in \(line.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test func textReportsAreOnePrintableLineEach() throws {
        let dir = try scratch()
        for arguments in [["SPEC"], ["check", "SPEC", "--layout"], ["hook", "SPEC"], ["explore", "SPEC", "-o", "solved.json"], ["render", "SPEC", "-o", "map.svg"]] {
            let r = try run(arguments, in: dir)
            #expect(r.status == 1, "\(arguments): \(r.stdout)\(r.stderr)")
            expectPlainLines(r.stdout, "\(arguments) stdout")
            expectPlainLines(r.stderr, "\(arguments) stderr")
            if arguments[0] != "render" {
                #expect(r.stdout.contains(#"h\u001b[31m\u000a\u202e\xff.json"#), "\(arguments): the file name escaped: \(r.stdout.prefix(300))")
            }
        }
        let r = try run(["SPEC"], in: dir)
        #expect(r.stdout.contains(PrintableText.escape(Self.hostileName)), "the region name, escaped")
        #expect(r.stdout.contains(#"K\u0000\u0001"#) && r.stdout.contains(#"\u009f\u061c\u200e"#) && r.stdout.contains(#"\u2069\u2028\u2029\ufffe\uffff<&>"#))
        // A malformed spec with that name: the error line is escaped too.
        try Data("{\"board\": \u{1}".utf8).write(to: URL(fileURLWithPath: dir + "/bad.json"))
        let bad = try TestSupport.run(["bad.json"], in: dir)
        expectPlainLines(bad.stderr, "malformed spec error")
    }

    @Test func jsonAndSARIFParseAndKeepTheExactName() throws {
        let dir = try scratch()
        let json = try run(["SPEC", "--format", "json"], in: dir)
        #expect(json.status == 1)
        expectPlainLines(json.stdout, "JSON report", allowReplacement: true)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((report["board"] as? String)?.hasPrefix(Self.hostileName) == true, "JSON escaping is lossless")
        let names = ((report["properties"] as? [[String: Any]]) ?? []).flatMap { ($0["violations"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["regions"] as? [[String: Any]]) ?? [] }.compactMap { $0["name"] as? String }
        #expect(names.contains(Self.hostileName))

        let sarif = try run(["SPEC", "--format", "sarif"], in: dir)
        #expect(sarif.status == 1)
        expectPlainLines(sarif.stdout, "SARIF")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let message = try #require((results.first?["message"] as? [String: Any])?["text"] as? String)
        #expect(message.contains(PrintableText.escape(Self.hostileName)), "the message shows the escapes: \(message)")
        #expect(!message.unicodeScalars.contains(where: PrintableText.isHidden), "no live control in a SARIF message")
        let uri = ((run["artifacts"] as? [[String: Any]])?.first?["location"] as? [String: Any])?["uri"] as? String
        #expect(uri == "h%1B%5B31m%0A%E2%80%AE%FF.json", "\(uri ?? "nil")")
    }

    #if canImport(FoundationXML)
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if let n = attributes["data-name"] { names.append(n) }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    @Test(arguments: [false, true])
    func svgAndHTMLAreWellFormedXML(html: Bool) throws {
        let dir = try scratch()
        let out = html ? "map.html" : "map.svg"
        let r = try run(["render", "SPEC", "-o", out] + (html ? ["--html"] : []), in: dir)
        #expect(r.status == 1, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + out))
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "\(out) must be well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.names.contains(PrintableText.escape(Self.hostileName)), "the region's data-name holds the escaped name")
        // Newlines between elements are the document's own layout, not text from the spec.
        let everything = collector.text.replacingOccurrences(of: "\n", with: "") + collector.names.joined()
        let live = everything.unicodeScalars.filter(PrintableText.isHidden).map { String($0.value, radix: 16) }
        #expect(live.isEmpty, "no control or override reaches the document: \(live)")
        if html { #expect(collector.text.contains(#"h\u001b[31m\u000a\u202e\xff.json"#), "the spec path, escaped") }
    }
    #endif
}
