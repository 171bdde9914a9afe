import Foundation
import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel
import SpecFormat
import Testing

/// The corpus of real bug classes in `specs/broken/`: each `X.json` has an
/// `X.expect.json` naming the property that must be violated, a range the
/// witness must lie in (machine or guest space) and the JSON paths the
/// violation must name. Every good spec in `specs/*.json` must prove every
/// property with no false alarm.
struct CorpusTests {
    static let specs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("specs")

    static func files(in directory: URL, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasSuffix(".expect.json") && $0 != "schema.json" }.sorted()
    }

    static let brokenSpecs = files(in: specs.appendingPathComponent("broken"), suffix: ".json")
    static let goodSpecs = files(in: specs, suffix: ".json")

    struct Expectation {
        var property: PropertyID
        var guestSpace: Bool
        var witness: ClosedRange<UInt64>
        var paths: [String]
    }

    static func expectation(_ url: URL) throws -> Expectation {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let id = try #require(object["property"] as? String)
        let property = try #require(PropertyID(rawValue: id))
        let witness = try #require(object["witness"] as? [String: Any])
        let baseText = try #require(witness["base"] as? String)
        let sizeText = try #require(witness["size"] as? String)
        let base = try SizeLiteral.parse(baseText)
        let size = try SizeLiteral.parse(sizeText)
        let space = try #require(witness["space"] as? String)
        #expect(space == "machine" || space == "guest")
        return Expectation(property: property, guestSpace: space == "guest", witness: base...(base + size - 1), paths: object["paths"] as? [String] ?? [])
    }

    static func check(_ url: URL, only: PropertyID? = nil) throws -> [PropertyResult] {
        let spec = try SpecDecoder.decode(Array(try Data(contentsOf: url)))
        let system = try SystemBuilder.build(spec)
        return Checker.check(system, selection: only.map { [$0] })
    }

    @Test func corpusIsLargeAndEveryEntryHasAnExpectation() throws {
        #expect(Self.brokenSpecs.count >= 20)
        let expects = Set(((try? FileManager.default.contentsOfDirectory(atPath: Self.specs.appendingPathComponent("broken").path)) ?? []).filter { $0.hasSuffix(".expect.json") })
        for name in Self.brokenSpecs {
            #expect(expects.contains(name.replacingOccurrences(of: ".json", with: ".expect.json")), "\(name) has no expectation")
        }
        #expect(expects.count == Self.brokenSpecs.count)
    }

    @Test(arguments: brokenSpecs)
    func brokenSpecIsCaughtAsExpected(_ name: String) throws {
        let url = Self.specs.appendingPathComponent("broken").appendingPathComponent(name)
        let expected = try Self.expectation(url.deletingPathExtension().appendingPathExtension("expect.json"))
        // Only the expected property is checked here (speed); `goodSpecProvesEverything` and the
        // command-line tests cover the full report.
        let results = try Self.check(url, only: expected.property)
        let result = try #require(results.first { $0.property == expected.property })
        guard case .violated(let violations) = result.verdict else {
            Issue.record("\(name): \(expected.property.rawValue) is \(result.verdict.name), expected violated")
            return
        }
        let matching = violations.filter { v in
            let witnesses = expected.guestSpace ? v.guestWitnesses.map(\.rawValue) : v.machineWitnesses.map(\.rawValue)
            return witnesses.contains { expected.witness.contains($0) }
        }
        #expect(!matching.isEmpty, "\(name): no \(expected.property.rawValue) witness in \(Hex.format(expected.witness.lowerBound))...\(Hex.format(expected.witness.upperBound)): \(violations.map(\.message))")
        let paths = Set(matching.flatMap { $0.regions.map(\.origin.path) })
        for path in expected.paths {
            #expect(paths.contains(path), "\(name): the violation does not name \(path); it names \(paths.sorted())")
        }
        for v in matching { #expect(v.regions.count >= 1 && !v.message.isEmpty) }
    }

    /// A good spec proves every property, unless it has an `X.expect.json` beside it: a known real
    /// finding on a real board (e.g. `specs/rpi4.json`), where exactly that property must be
    /// violated as recorded and every other one proved.
    @Test(arguments: goodSpecs)
    func goodSpecProvesEverything(_ name: String) throws {
        let url = Self.specs.appendingPathComponent(name)
        let results = try Self.check(url)
        #expect(results.map(\.property) == PropertyID.allCases)
        let finding = url.deletingPathExtension().appendingPathExtension("expect.json")
        let expected = FileManager.default.fileExists(atPath: finding.path) ? try Self.expectation(finding) : nil
        for r in results {
            if let expected, r.property == expected.property {
                guard case .violated(let violations) = r.verdict else {
                    Issue.record("\(name): known finding \(r.property.rawValue) is \(r.verdict.name), expected violated")
                    continue
                }
                let witnesses = violations.flatMap { expected.guestSpace ? $0.guestWitnesses.map(\.rawValue) : $0.machineWitnesses.map(\.rawValue) }
                #expect(witnesses.contains { expected.witness.contains($0) }, "\(name): no witness in the recorded range")
                let paths = Set(violations.flatMap { $0.regions.map(\.origin.path) })
                for path in expected.paths { #expect(paths.contains(path), "\(name): the finding does not name \(path)") }
            } else {
                #expect(r.verdict == .proved, "\(name): \(r.property.rawValue) is \(r.verdict)")
            }
        }
    }
}
