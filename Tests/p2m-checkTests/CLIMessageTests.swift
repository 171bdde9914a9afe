import Foundation
import Testing
@testable import p2m_check

/// The messages a careless or hostile command line gets, through the built
/// executable: each names the cause, none leaks Foundation's internals.
struct CLIMessageTests {
    private func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-msg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aSubcommandNameThatIsNotAFileSuggestsVersionOrHelp() throws {
        let version = try TestSupport.run(["version"])
        #expect(version.status == 2)
        #expect(version.stderr == "error: version: no such file; for the version, run p2m-check --version\n", "\(version.stderr)")
        let other = try TestSupport.run(["chek"])
        #expect(other.status == 2 && other.stderr.contains("chek: no such file; it is not a subcommand either (check, explain, render"), "\(other.stderr)")
        let real = try TestSupport.run(["--version"])
        #expect(real.status == 0 && real.stdout == "\(P2MCheck.configuration.version)\n")
    }

    @Test func aSymbolicLinkLoopIsNotMissing() throws {
        let dir = try scratch()
        try FileManager.default.createSymbolicLink(atPath: dir + "/a.json", withDestinationPath: "b.json")
        try FileManager.default.createSymbolicLink(atPath: dir + "/b.json", withDestinationPath: "a.json")
        for arguments in [["a.json"], ["render", "a.json"], ["explore", "a.json"], ["import-dtb", "a.json"], ["hook", "a.json"]] {
            let r = try TestSupport.run(arguments, in: dir)
            #expect(r.status == 2, "\(arguments)")
            #expect((r.stderr + r.stdout).contains("a.json: symbolic link loop"), "\(arguments): \(r.stderr)\(r.stdout)")
            #expect(!(r.stderr + r.stdout).contains("no such file"))
        }
    }

    @Test func aFileNameThatIsNotUTF8IsReadOrNamedByItsBytes() throws {
        let dir = try scratch()
        try FileManager.default.copyItem(atPath: TestSupport.spec("specs/arndale.json"), toPath: dir + "/source.json")
        let exe = InstallHookCommand.quote(TestSupport.executable.path)
        // An existing file whose name has the byte 0xff: it is read and checked.
        let found = try TestSupport.run(["-c", "f=$(printf 'b\\377.json'); cp source.json \"$f\"; exec \(exe) \"$f\""],
                                        executable: URL(fileURLWithPath: "/bin/sh"), in: dir)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.hasPrefix(#"p2m-check: b\xff.json: Insignal Arndale"#), "\(found.stdout.prefix(120))")
        // A missing one: said as missing, with the bytes shown.
        let missing = try TestSupport.run(["-c", "exec \(exe) \"$(printf 'c\\377.json')\""], executable: URL(fileURLWithPath: "/bin/sh"), in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: c\\xff.json: no such file (the name is not valid UTF-8; the bytes shown as \\xNN are as given)\n", "\(missing.stderr)")
    }

    @Test(arguments: [
        (["--timeout", "0"], "--timeout must be more than 0 and at most 86400 seconds, not 0.0"),
        (["--timeout", "-1"], "--timeout must be more than 0 and at most 86400 seconds, not -1.0"),
        (["--timeout", "nan"], "--timeout must be more than 0 and at most 86400 seconds, not nan"),
        (["--timeout", "86401"], "--timeout must be more than 0 and at most 86400 seconds, not 86401.0"),
    ])
    func timeoutsOutOfRangeSayWhatIsAllowed(_ arguments: [String], _ message: String) throws {
        for command in [[], ["render"], ["hook"], ["explore"]] {
            let r = try TestSupport.run(command + [TestSupport.spec("specs/arndale.json")] + arguments)
            #expect(r.status == 2, "\(command + arguments)")
            #expect(r.stderr.contains(message), "\(command + arguments): \(r.stderr)")
            #expect(!r.stderr.contains("Missing value") && !r.stderr.contains("between 0 and"))
        }
        let small = try TestSupport.run([TestSupport.spec("specs/arndale.json"), "--timeout", "0.5", "--property", "identity"])
        #expect(small.status == 0, "a timeout above 0 is accepted: \(small.stderr)")
    }

    @Test func importDTBRejectsAHugeFileByItsHeader() throws {
        let dir = try scratch()
        // 3 GB, sparse: only the header is read before the magic is refused.
        let huge = dir + "/huge.dtb"
        #expect(FileManager.default.createFile(atPath: huge, contents: Data("not a blob".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let r = try TestSupport.run(["import-dtb", huge])
        #expect(r.status == 2)
        #expect(r.stderr.contains("huge.dtb: bad magic 0x6e6f7420 at offset 0x0: not a flattened device tree"), "\(r.stderr)")
        // A real magic with a totalsize over Xen's 2 MiB limit is refused before reading it.
        var header = [UInt8](repeating: 0, count: 40)
        header[0...3] = [0xd0, 0x0d, 0xfe, 0xed]
        header[4...7] = [0xc0, 0x00, 0x00, 0x00]
        try Data(header).write(to: URL(fileURLWithPath: dir + "/big.dtb"))
        let big = try TestSupport.run(["import-dtb", dir + "/big.dtb"])
        #expect(big.status == 2 && big.stderr.contains("the header's totalsize is 3221225472 bytes; Xen maps at most 2097152 (2 MiB, MAX_FDT_SIZE)"), "\(big.stderr)")
        let directory = try TestSupport.run(["import-dtb", dir])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory, not a file"), "\(directory.stderr)")
    }

    @Test func layoutPrintsSizesThatAreNotWholeKiBInFull() throws {
        let path = try TestSupport.arndaleVariant(replacing: "\"load_address\": \"0x43300000\",\n      \"size\": \"8M\"",
                                                  with: "\"load_address\": \"0x43300000\",\n      \"size\": \"0xcfda00\"")
        let r = try TestSupport.run([path, "--layout"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("    [0x43300000, 0x43ffda00)  0xcfda00  dom0-initrd\n"), "\(r.stdout)")
    }

    @Test func exploreErrorsCarryLineAndColumn() throws {
        let dir = try scratch()
        let text = try String(contentsOfFile: TestSupport.spec("specs/explore/arndale-auto.json"), encoding: .utf8)
        // "auto" where explore cannot choose: the board's RAM base.
        let misplaced = text.replacingOccurrences(of: "\"base\": \"0x40000000\"", with: "\"base\": \"auto\"")
        #expect(misplaced != text)
        try Data(misplaced.utf8).write(to: URL(fileURLWithPath: dir + "/a.json"))
        let r = try TestSupport.run(["explore", "a.json"], in: dir)
        #expect(r.status == 2)
        let line = try #require(r.stderr.split(separator: "\n").first.map(String.init))
        #expect(line.range(of: #"^error: a\.json:\d+:\d+: /memory/0/base: "auto" is allowed only for"#, options: .regularExpression) != nil, "\(line)")
        // Malformed JSON: the parser's position.
        try Data("{\n  \"board\": ,\n}".utf8).write(to: URL(fileURLWithPath: dir + "/b.json"))
        let bad = try TestSupport.run(["explore", "b.json"], in: dir)
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: b.json:2:12: "), "\(bad.stderr)")
    }
}

/// What users of a CLI expect: examples in every subcommand's help, the
/// manual lists every subcommand, --quiet prints nothing when all is proved.
struct CLIConventionTests {
    @Test func everySubcommandsHelpEndsWithExamplesThatFitATerminal() throws {
        for command in P2MCheck.configuration.subcommands {
            let name = try #require(command.configuration.commandName)
            let r = try TestSupport.run([name, "--help"])
            #expect(r.status == 0)
            let examples = try #require(r.stdout.components(separatedBy: "Examples:\n").dropFirst().first, "\(name) --help has no examples")
            let lines = examples.components(separatedBy: "\n\nUSAGE:")[0].split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("  p2m-check \(name == "check" ? "" : name)") }, "\(name): \(lines)")
            #expect(lines.allSatisfy { !$0.hasPrefix(" ") || $0.hasPrefix("  ") }, "\(name): an example wrapped: \(lines)")
        }
    }

    @Test func theManualCoversEverySubcommandAndOption() throws {
        let page = try String(contentsOfFile: TestSupport.spec("docs/man/p2m-check.1"), encoding: .utf8)
        #expect(page.hasPrefix(".\\\" \"Generated by swift-argument-parser\""))
        for command in P2MCheck.configuration.subcommands {
            #expect(page.contains(".It Em \(command.configuration.commandName ?? "?")"), "\(command) is not in the manual")
        }
        let options = page.split(separator: "\n").filter { $0.hasPrefix(".It Fl") }
        for option in ["-baseline", "-quiet", "-force", "-sarif", "-timeout"] {
            #expect(options.contains { $0.contains(" \(option)") }, "\(option) is not in the manual")
        }
    }

    @Test func quietPrintsOnlyWhatIsNotProved() throws {
        let proved = try TestSupport.run([TestSupport.spec("specs/arndale.json"), "--quiet"])
        #expect(proved.status == 0 && proved.stdout.isEmpty, "\(proved.stdout)")
        let broken = try TestSupport.run([TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), "-q"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("VIOLATED  load-disjoint") && !broken.stdout.contains("proved    "), "\(broken.stdout)")
        #expect(broken.stdout.hasSuffix("11 proved, 1 violated, 0 unknown\n"))
        let hook = try TestSupport.run(["hook", "-q", TestSupport.spec("specs/arndale.json")])
        #expect(hook.status == 0 && hook.stdout.isEmpty)
    }

    @Test func theHTMLPageLinksToTheFirstViolationAtTheTop() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-html-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let broken = try TestSupport.run(["render", TestSupport.spec("specs/broken/arndale-pt-in-kernel.json"), "--html", "-o", dir + "/b.html"])
        #expect(broken.status == 1)
        let page = try String(contentsOfFile: dir + "/b.html", encoding: .utf8)
        let link = try #require(page.range(of: "<p class=\"first-violation\"><a href=\"#first-violation\">First violation: load-disjoint: dom0-kernel"))
        let row = try #require(page.range(of: "<tr id=\"first-violation\" class=\"violated violated\"><td class=\"id\">load-disjoint</td>"))
        #expect(link.lowerBound < (page.range(of: "<h2>Properties</h2>")?.lowerBound ?? page.startIndex), "the link comes before the tables")
        #expect(link.lowerBound < row.lowerBound)
        #expect(page.components(separatedBy: "id=\"first-violation\"").count == 2, "one anchor")
        let proved = try TestSupport.run(["render", TestSupport.spec("specs/arndale.json"), "--html", "-o", dir + "/g.html"])
        #expect(proved.status == 0)
        #expect(!(try String(contentsOfFile: dir + "/g.html", encoding: .utf8)).contains("first-violation"))
    }

    @Test func completionScriptsOfferThePropertyIds() throws {
        let r = try TestSupport.run(["--generate-completion-script", "bash"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("load-disjoint") && r.stdout.contains("module-rules"))
    }
}
