import Foundation
import Testing
@testable import p2m_check

/// No command loses a user's file: an output that is an input (by any path,
/// through a symbolic or hard link) is refused even with --force, an existing
/// output needs --force, and a write that fails (a full device, a missing
/// directory) is exit 2 with the old content intact. All through the built
/// executable.
struct OutputSafetyTests {
    /// A scratch directory holding a copy of the Arndale spec as `a.json`.
    struct Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("p2m-out-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path + "/dir", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestSupport.spec("specs/arndale.json"), toPath: path + "/a.json")
        }
        func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try TestSupport.run(arguments, in: path)
        }
        func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)) }
        var spec: Data { get throws { try Data(contentsOf: URL(fileURLWithPath: TestSupport.spec("specs/arndale.json"))) } }
    }

    @Test(arguments: [
        ["render", "a.json", "-o", "a.json"],
        ["render", "a.json", "-o", "a.json", "--force"],
        ["render", "a.json", "-o", "a.json", "--html", "--force"],
        ["render", "a.json", "-o", "link.json", "--force"],
        ["render", "a.json", "-o", "dir/../a.json", "--force"],
        ["render", "a.json", "-o", "hard.json", "--force"],
        ["explore", "a.json", "-o", "a.json", "--force"],
        ["explore", "a.json", "-o", "link.json", "--force"],
        ["hook", "a.json", "--sarif", "a.json", "--force"],
        ["hook", "a.json", "--sarif", "link.json", "--force"],
    ])
    func anOutputThatIsAnInputIsRefusedEvenWithForce(_ arguments: [String]) throws {
        let s = try Scratch()
        try FileManager.default.createSymbolicLink(atPath: s.path + "/link.json", withDestinationPath: "a.json")
        try FileManager.default.linkItem(atPath: s.path + "/a.json", toPath: s.path + "/hard.json")
        let r = try s.run(arguments)
        #expect(r.status == 2, "\(arguments): \(r.stdout)")
        #expect(r.stderr.contains("is an input of this command; refusing to overwrite it"), "\(r.stderr)")
        #expect(try s.bytes("a.json") == s.spec, "the spec was changed by \(arguments)")
        #expect(r.stdout.isEmpty, "nothing is checked before the output is refused: \(r.stdout)")
    }

    @Test func aParentDirectoryPathToTheSpecIsTheSpec() throws {
        let s = try Scratch()
        let through = "../" + URL(fileURLWithPath: s.path).lastPathComponent + "/a.json"
        let r = try TestSupport.run(["render", "a.json", "-o", through, "--html", "--force"], in: s.path + "/dir/..")
        #expect(r.status == 2 && r.stderr.contains("(the same file as a.json) is an input"), "\(r.stderr)")
        #expect(try s.bytes("a.json") == s.spec)
    }

    @Test func importDTBNeverOverwritesTheBlob() throws {
        let s = try Scratch()
        let blob = try Data(contentsOf: URL(fileURLWithPath: try DTC.compile(fixture: "arm64-gicv3")))
        try blob.write(to: URL(fileURLWithPath: s.path + "/self.dtb"))
        let r = try s.run(["import-dtb", "self.dtb", "-o", "self.dtb", "--force"])
        #expect(r.status == 2 && r.stderr.contains("self.dtb is an input"), "\(r.stderr)")
        #expect(try s.bytes("self.dtb") == blob)
    }

    @Test(arguments: [
        (["render", "a.json", "-o", "out"], "out"),
        (["explore", "a.json", "-o", "out"], "out"),
        (["explore", "a.json"], "a.solved.json"),
        (["hook", "a.json", "--sarif", "out"], "out"),
    ])
    func anExistingOutputNeedsForce(_ arguments: [String], _ output: String) throws {
        let s = try Scratch()
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: s.path + "/" + output))
        let refused = try s.run(arguments)
        #expect(refused.status == 2, "\(arguments): \(refused.stdout)")
        #expect(refused.stderr.contains("\(output) already exists; use --force to replace it"), "\(refused.stderr)")
        #expect(try s.bytes(output) == Data("keep me\n".utf8))
        let forced = try s.run(arguments + ["--force"])
        #expect(forced.status == 0, "\(arguments) --force: \(forced.stdout)\(forced.stderr)")
        #expect(try s.bytes(output) != Data("keep me\n".utf8))
    }

    @Test func importDTBToAnExistingFileNeedsForce() throws {
        let s = try Scratch()
        let blob = try Data(contentsOf: URL(fileURLWithPath: try DTC.compile(fixture: "arm64-gicv3")))
        try blob.write(to: URL(fileURLWithPath: s.path + "/virt.dtb"))
        let r = try s.run(["import-dtb", "virt.dtb", "-o", "a.json"])
        #expect(r.status == 2 && r.stderr.contains("a.json already exists; use --force"), "\(r.stderr)")
        #expect(try s.bytes("a.json") == s.spec)
        let forced = try s.run(["import-dtb", "virt.dtb", "-o", "a.json", "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(decoding: s.bytes("a.json"), as: UTF8.self).contains("\"format\": \"p2m-check/v1\""))
    }

    @Test func aForcedOutputReplacesASymbolicLinkNotItsTarget() throws {
        let s = try Scratch()
        try Data("tracked\n".utf8).write(to: URL(fileURLWithPath: s.path + "/dir/tracked.svg"))
        try FileManager.default.createSymbolicLink(atPath: s.path + "/map.svg", withDestinationPath: "dir/tracked.svg")
        let r = try s.run(["render", "a.json", "-o", "map.svg", "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try s.bytes("dir/tracked.svg") == Data("tracked\n".utf8))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: s.path + "/map.svg")) == nil, "map.svg is now a file")
        #expect(String(decoding: try s.bytes("map.svg"), as: UTF8.self).contains("<svg"))
    }

    @Test func installHookForceReplacesASymlinkedHookNotItsTrackedTarget() throws {
        let repo = try HookTests.Repository()
        let tracked = repo.path + "/tools/pre-commit"
        try FileManager.default.createDirectory(atPath: repo.path + "/tools", withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho team hook\n".utf8).write(to: URL(fileURLWithPath: tracked))
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/hooks", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/.git/hooks/pre-commit", withDestinationPath: tracked)
        let refused = try repo.p2mCheck(["install-hook", "--executable", TestSupport.executable.path])
        #expect(refused.status == 2 && refused.stderr.contains("already exists and was not written by p2m-check"), "\(refused.stderr)")
        let r = try repo.p2mCheck(["install-hook", "--executable", TestSupport.executable.path, "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("replaced the symbolic link"))
        #expect(try String(contentsOfFile: tracked, encoding: .utf8) == "#!/bin/sh\necho team hook\n", "the tracked file was written through the link")
        let hook = try String(contentsOfFile: repo.path + "/.git/hooks/pre-commit", encoding: .utf8)
        #expect(hook.contains(InstallHookCommand.marker))
        let mode = try FileManager.default.attributesOfItem(atPath: repo.path + "/.git/hooks/pre-commit")[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o111 == 0o111 } == true, "the hook is executable")
    }

    /// Runs the executable with standard output on /dev/full.
    private func runToFullDevice(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = TestSupport.executable
        process.arguments = arguments
        process.environment = ["NO_COLOR": "1", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: [
        ["specs/arndale.json"],
        ["specs/arndale.json", "--format", "json"],
        ["specs/arndale.json", "--format", "sarif"],
        ["render", "specs/arndale.json"],
        ["explain"],
        ["hook", "specs/arndale.json"],
        ["--help"],
    ])
    func aReportToAFullDeviceIsExitTwo(_ arguments: [String]) throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let r = try runToFullDevice(arguments.map { $0.hasPrefix("specs/") ? TestSupport.spec($0) : $0 })
        #expect(r.status == 2, "\(arguments): exit \(r.status)")
        #expect(r.stderr.contains("cannot write to standard output: no space left on the device"), "\(r.stderr)")
    }

    @Test func anOutputFileOnAFullDeviceIsExitTwo() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let r = try TestSupport.run(["render", TestSupport.spec("specs/arndale.json"), "-o", "/dev/full"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: cannot write /dev/full: no space left on the device\n", "\(r.stderr)")
        #expect(!r.stdout.contains("wrote"))
    }

    @Test func anUnwritableOutputSaysSoBeforeAnyWork() throws {
        let s = try Scratch()
        let explore = try s.run(["explore", "a.json", "-o", "missing/solved.json"])
        #expect(explore.status == 2)
        #expect(explore.stderr == "error: cannot write missing/solved.json: no such file or directory\n", "\(explore.stderr)")
        #expect(!explore.stderr.contains("cannot read"))
        #expect(explore.stdout.isEmpty)
        let notDirectory = try s.run(["render", "a.json", "-o", "a.json/map.svg"])
        #expect(notDirectory.status == 2 && notDirectory.stderr.contains("a part of the path is not a directory"), "\(notDirectory.stderr)")
        let directory = try s.run(["render", "a.json", "-o", "dir"])
        #expect(directory.status == 2 && directory.stderr.contains("dir is a directory; give a file name"), "\(directory.stderr)")
        for r in [explore, notDirectory, directory] {
            #expect(!r.stderr.contains("NSCocoaErrorDomain") && !r.stderr.contains("Error Domain"), "\(r.stderr)")
        }
    }

    @Test func noTemporaryFileIsLeftBehind() throws {
        let s = try Scratch()
        #expect(try s.run(["render", "a.json", "-o", "map.svg"]).status == 0)
        #expect(try s.run(["render", "a.json", "-o", "map.svg", "--force"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: s.path)
        #expect(Set(names) == ["a.json", "dir", "map.svg"], "\(names)")
    }
}
