import Foundation
import Testing

/// The malformed-input corpus (`Tests/MalformedSpecs/`): every case must exit
/// 2 with one error line naming the expected JSON path and message, quickly,
/// with nothing on stdout, no trap and no hang. Each `<case>.json` has a
/// `<case>.expect` beside it:
///
///     path: /devices/0/base        (exact; a trailing "/*" means "this prefix, then more")
///     message: is negative         (a fragment of the message)
struct MalformedSpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var path: String
        var message: String
        var testDescription: String { name }
    }

    /// Generous: a hang guard. A case normally takes well under a second.
    static let timeBound = 10.0
    static let corpus = TestSupport.repositoryRoot.appendingPathComponent("Tests/MalformedSpecs")

    static let cases: [Case] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let name = String(file.dropLast(".json".count))
            let expect = (try? String(contentsOf: corpus.appendingPathComponent(name + ".expect"), encoding: .utf8)) ?? ""
            var fields: [String: String] = [:]
            for line in expect.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[String(line[..<colon])] = String(line[line.index(after: colon)...].dropFirst())
            }
            return Case(name: name, file: corpus.appendingPathComponent(file).path, path: fields["path"] ?? "", message: fields["message"] ?? "")
        }
    }()

    /// The JSON path in `error: <file>[:<line>:<column>]: <path>: <message>`.
    static func reportedPath(_ stderr: String, file: String) -> String? {
        guard let prefix = stderr.range(of: file + ":") else { return nil }
        var rest = stderr[prefix.upperBound...]
        if rest.first?.isNumber == true {
            // Skip "<line>:<column>:".
            guard let afterPosition = rest.range(of: ": ") else { return nil }
            rest = rest[afterPosition.lowerBound...].dropFirst()
        }
        rest = rest.drop { $0 == " " }
        // By scalars: the first token may start with a combining mark that joins the "/".
        guard rest.unicodeScalars.first == "/", let end = rest.range(of: ": ") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    static func expectRejected(_ outcome: BoundedProcess.Outcome, file: String, path: String, message: String) {
        #expect(!outcome.timedOut, "hung: still running after \(timeBound) s")
        #expect(!outcome.crashed, "crashed: \(outcome.stderr.suffix(2000))")
        #expect(outcome.status == 2, "exit \(outcome.status); stderr: \(outcome.stderr.prefix(500)) stdout: \(outcome.stdout.prefix(500))")
        #expect(outcome.seconds < timeBound)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.hasPrefix("error: \(file):"), "\(outcome.stderr.prefix(300))")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one error line expected")
        #expect(outcome.stderr.contains(message), "message \"\(message)\" not in: \(outcome.stderr.prefix(500))")
        let reported = reportedPath(outcome.stderr, file: file)
        if path.hasSuffix("/*") {
            let prefix = String(path.dropLast())
            #expect(reported.map { Array($0.utf8).starts(with: Array(prefix.utf8)) } == true, "path \(reported ?? "none") does not start with \(prefix)")
        } else {
            #expect(reported == path, "path \(reported ?? "none"), expected \(path)")
        }
    }

    @Test func theCorpusIsLargeAndEveryCaseHasExpectations() {
        #expect(Self.cases.count >= 40)
        for c in Self.cases {
            #expect(c.path.unicodeScalars.first == "/", "\(c.name).expect has no path")
            #expect(!c.message.isEmpty, "\(c.name).expect has no message")
        }
    }

    @Test(arguments: cases)
    func rejectedWithPathAndMessage(_ c: Case) throws {
        let outcome = try BoundedProcess.run([c.file], deadline: Self.timeBound)
        Self.expectRejected(outcome, file: c.file, path: c.path, message: c.message)
    }

    // Generated cases, too big to commit.

    /// The corpus base spec with `devices` replaced by `count` generated entries.
    static func withDevices(_ count: Int) throws -> String {
        let base = try String(contentsOf: corpus.appendingPathComponent("unknown-device-field.json"), encoding: .utf8)
        let start = try #require(base.range(of: "\"devices\": ["))
        let end = try #require(base.range(of: "],\n  \"hypervisor\""))
        var devices: [String] = []
        devices.reserveCapacity(count)
        for i in 0..<count {
            devices.append("{\"name\":\"d\(i)\",\"base\":\"0x\(String(0x1_0000_0000 + UInt64(i) * 0x1000, radix: 16))\",\"size\":\"4K\"}")
        }
        return base.replacingCharacters(in: start.upperBound..<end.lowerBound, with: devices.joined(separator: ","))
    }

    @Test func aMillionDevicesAreRefusedQuickly() throws {
        let file = try TestSupport.temporarySpec(try Self.withDevices(1_000_000))
        let outcome = try BoundedProcess.run([file], deadline: Self.timeBound)
        Self.expectRejected(outcome, file: file, path: "/", message: "more than 2097152 bytes (2 MiB)")
    }

    @Test func moreDevicesThanTheLimitAreRefusedByPath() throws {
        let file = try TestSupport.temporarySpec(try Self.withDevices(4097))
        let outcome = try BoundedProcess.run([file], deadline: Self.timeBound)
        Self.expectRejected(outcome, file: file, path: "/devices", message: "4097 entries; at most 4096 are supported")
    }

    @Test func aMillionLevelsOfNestingAreAnErrorNotAStackOverflow() throws {
        let file = try TestSupport.temporarySpec(String(repeating: "[", count: 1_000_000))
        let outcome = try BoundedProcess.run([file], deadline: Self.timeBound)
        Self.expectRejected(outcome, file: file, path: "/0/0/0/*", message: "nesting deeper than 512 levels")
    }

    @Test func aHugeFlatArrayIsRefusedQuickly() throws {
        // Just under the size limit: a million numbers, then the wrong top-level type.
        let file = try TestSupport.temporarySpec("[" + String(repeating: "0,", count: 1_000_000) + "0]")
        let outcome = try BoundedProcess.run([file], deadline: Self.timeBound)
        Self.expectRejected(outcome, file: file, path: "/", message: "expected an object, found an array")
    }
}
