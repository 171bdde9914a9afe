import Foundation
import Invariants
import SpecFormat
import Testing
@testable import p2m_check

/// The shipped board specs: every one proves, names its sources, and
/// validates against specs/schema.json.
struct BoardSpecsTests {
    /// The boards issue 5 asks for, by file.
    static let boards = ["arndale", "snow", "vexpress-ca15", "qemu-virt-arm64", "rpi4", "zcu102", "juno"]

    static func specFiles(in folder: String) throws -> [String] {
        let dir = TestSupport.spec(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".expect.json") && $0 != "schema.json" }
            .sorted()
            .map { "\(folder)/\($0)" }
    }

    static func validator() throws -> SchemaValidator {
        try SchemaValidator(schemaBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestSupport.spec("specs/schema.json")))))
    }

    static func json(_ path: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func everyListedBoardHasASpec() throws {
        let files = try Self.specFiles(in: "specs")
        for board in Self.boards { #expect(files.contains("specs/\(board).json"), "missing specs/\(board).json") }
    }

    @Test(arguments: try BoardSpecsTests.specFiles(in: "specs"))
    func everyShippedSpecProves(_ file: String) throws {
        let run = CheckRun.perform(specPath: TestSupport.spec(file), options: CheckOptions(), selection: nil)
        guard case .checked(let spec, _, let results) = run.result else {
            Issue.record("\(file): expected a checked run, got \(run.result)")
            return
        }
        // Every property of the catalogue was checked, and each was proved (Z3 unsat), except a
        // known real finding recorded in `X.expect.json` beside the spec (specs/rpi4.json), which
        // must be that property's only violation (CorpusTests checks its witness and paths).
        #expect(Set(results.map(\.property)) == Set(PropertyID.allCases))
        let findingFile = TestSupport.spec(file.replacingOccurrences(of: ".json", with: ".expect.json"))
        let finding: PropertyID? = FileManager.default.fileExists(atPath: findingFile)
            ? (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: findingFile))) as? [String: Any])
                .flatMap { $0["property"] as? String }.flatMap(PropertyID.init(rawValue:))
            : nil
        for r in results where r.property != finding {
            #expect(r.verdict == .proved, "\(file) \(r.property.rawValue): \(r.verdict)")
        }
        if let finding {
            #expect(results.contains { $0.property == finding && $0.verdict.name == "violated" }, "\(file): the recorded finding \(finding.rawValue)")
            #expect(run.exitStatus == .violated)
        } else {
            #expect(run.exitStatus == .proved)
        }
        #expect(spec.domains.contains { $0.isHardwareDomain && $0.directMap }, "\(file): a 1:1 dom0")
        // Each spec names its sources.
        let sources = try #require(try Self.json(TestSupport.spec(file)).kind.objectMember("source"))
        guard case .array(let list) = sources.kind else { Issue.record("\(file): source is not an array"); return }
        #expect(list.count >= 2, "\(file): sources")
    }

    @Test(arguments: try BoardSpecsTests.specFiles(in: "specs") + BoardSpecsTests.specFiles(in: "specs/broken"))
    func everyShippedSpecValidatesAgainstTheSchema(_ file: String) throws {
        let errors = try Self.validator().validate(try Self.json(TestSupport.spec(file)))
        #expect(errors.isEmpty, "\(file): \(errors)")
    }

    /// The validator is not a rubber stamp: each kind of mistake is reported with its path.
    @Test func theValidatorRejectsWhatTheSchemaForbids() throws {
        let validator = try Self.validator()
        let text = try String(contentsOfFile: TestSupport.spec("specs/arndale.json"), encoding: .utf8)
        let cases: [(String, String, String)] = [
            ("\"format\": \"p2m-check/v1\"", "\"format\": \"p2m-check/v2\"", "/format: not the required constant"),
            ("\"pa_bits\": 40", "\"pa_bits\": 64", "/pa_bits: above 52"),
            ("\"ipa_bits\": 40", "\"ipa_bits\": 41", "/ipa_bits: not one of the allowed values"),
            ("\"role\": \"gicd\"", "\"role\": \"gic\"", "/devices/0/role: not one of the allowed values"),
            ("\"size\": \"2G\"", "\"size\": \"2 G\"", "/memory/0/size: matches 0 of the oneOf alternatives, not exactly one"),
            ("\"vcpus\": 2", "\"vcpus\": \"2\"", "/domains/0/vcpus: expected integer, found a string"),
            ("\"direct_map\": true", "\"direct_map\": true, \"colour\": 3", "/domains/0/colour: property \"colour\" is not allowed"),
            ("\"name\": \"dram\",", "", "/memory/0: missing required \"name\""),
            ("\"size\": \"2G\"", "\"size\": 18446744073709551616", "/memory/0/size: matches 0 of the oneOf alternatives, not exactly one"),
        ]
        for (old, new, expected) in cases {
            #expect(text.contains(old))
            let broken = try JSONParser.parse(Array(text.replacingOccurrences(of: old, with: new).utf8))
            let errors = try validator.validate(broken)
            #expect(errors.contains(expected), "\(new): \(errors)")
        }
        #expect(try validator.validate(try JSONParser.parse(Array(text.utf8))).isEmpty)
    }
}

extension JSONValue.Kind {
    func objectMember(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
