import Foundation
@testable import Hypervisor
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder
import P2MModel
import PropertyBased
import Testing

/// Z3's verdict against a brute-force oracle (every page enumerated) on
/// thousands of random small layouts, seeded so that every run sees the same
/// layouts. They must agree every time; Z3 must never say "unknown" on
/// layouts this small.
///
/// To stay quick, layout `n` is checked for property `n mod 11` only (each
/// property meets 200 different layouts). `P2M_CHECK_DIFFERENTIAL_FULL=1`
/// checks every property on every layout (about ten times slower).
struct DifferentialTests {
    static let compared: [PropertyID] = [
        .loadDisjoint, .loadInRAM, .s2Injective, .isolation, .hypPrivate, .identity,
        .ipaDisjoint, .attributes, .leafInBacking, .ranges, .dtConsistent,
    ]

    /// Layouts per run.
    static let count = 2200
    static let full = ProcessInfo.processInfo.environment["P2M_CHECK_DIFFERENTIAL_FULL"] == "1"

    /// The seed: every run checks the same layouts, and a failure names the layout.
    static let seed: (UInt64, UInt64, UInt64, UInt64) = (0x7032_6D2D, 0x6368_6563, 0x6B20_6469, 0x6666_2032)

    @Test func z3AgreesWithTheOracle() throws {
        // Sequential on purpose: Debian's Z3 4.8.12 can report a spurious "canceled" when
        // contexts with timeouts run on several threads at once.
        let tallies = Self.run(seed: Self.seed, first: 0, count: Self.count)
        // The layouts exercise both verdicts of every compared property.
        for id in Self.compared {
            let seen = tallies[id] ?? 0
            let checked = Self.full ? Self.count : Self.count / Self.compared.count
            #expect(seen > 0 && seen < checked, "\(id.rawValue) violated in \(seen) of \(checked) layouts")
        }
    }

    /// Checks `count` layouts drawn from `seed`; returns how often each property was violated.
    static func run(seed: (UInt64, UInt64, UInt64, UInt64), first: Int, count: Int) -> [PropertyID: Int] {
        var rng = Xoshiro(seed: seed)
        let choices = Gen.int(in: 0...1023).array(of: 48...96)
        var violatedSeen: [PropertyID: Int] = [:]
        // One Z3 context per task for all its layouts (creating one costs more than a small query).
        guard let context = try? Z3Context() else {
            Issue.record("no Z3 context")
            return [:]
        }
        CheckContext.$current.withValue(CheckContext(context)) {
            for n in first..<(first + count) {
                let layout = SmallLayout(choices.run(using: &rng))
                let oracle = BruteForceOracle(layout.system)
                let selection = full ? Set(compared) : [compared[n % compared.count]]
                let results = Checker.check(layout.system, options: CheckOptions(maximumViolations: 1), selection: selection)
                #expect(results.count == selection.count)
                for r in results {
                    let z3Violated: Bool
                    switch r.verdict {
                    case .proved: z3Violated = false
                    case .violated: z3Violated = true
                    case .unknown(let reason):
                        Issue.record("layout \(n): \(r.property.rawValue) unknown (\(reason)) on \(layout)")
                        continue
                    }
                    if z3Violated { violatedSeen[r.property, default: 0] += 1 }
                    #expect(z3Violated == oracle.violated(r.property), "layout \(n): \(r.property.rawValue): Z3 says \(r.verdict.name), the oracle disagrees, on \(layout)")
                }
            }
        }
        return violatedSeen
    }
}
