import Invariants
import Testing
@testable import p2m_check

/// `p2m-check explain`: every property of DESIGN.md's catalogue is explained.
struct ExplainTests {
    /// The twelve ids of DESIGN.md's invariant catalogue, in its order.
    static let designIDs = [
        "load-disjoint", "load-in-ram", "s2-injective", "isolation", "hyp-private", "identity",
        "ipa-disjoint", "attributes", "leaf-in-backing", "ranges", "dt-consistent", "module-rules",
    ]

    @Test func catalogueHoldsExactlyTheDesignIDs() {
        #expect(ExplanationCatalogue.ids == Self.designIDs)
    }

    @Test func everyCheckedPropertyIsExplained() {
        for p in PropertyID.allCases {
            #expect(ExplanationCatalogue.explanation(for: p.rawValue) != nil, "no explanation for \(p.rawValue)")
        }
    }

    @Test func explanationsAreComplete() {
        for e in ExplanationCatalogue.all {
            #expect(!e.summary.isEmpty && e.meaning.count > 80 && e.whyItMatters.count > 80, "\(e.id) is thin")
            #expect(e.causes.count >= 2, "\(e.id) needs usual causes")
            #expect(e.causes.allSatisfy { !$0.cause.isEmpty && !$0.fix.isEmpty })
            #expect(e.rendered().split(separator: "\n").allSatisfy { $0.count <= 78 }, "\(e.id) is not wrapped")
        }
    }

    @Test func commandPrintsOneExplanationOrTheList() throws {
        let one = try TestSupport.run(["explain", "load-disjoint"])
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix("load-disjoint: "))
        for heading in ["What it means", "Why it matters", "Usual causes and fixes", "fix: "] {
            #expect(one.stdout.contains(heading))
        }
        let list = try TestSupport.run(["explain"])
        #expect(list.status == 0)
        #expect(Self.designIDs.allSatisfy { list.stdout.contains("  \($0) ") })
        let unknown = try TestSupport.run(["explain", "no-such-property"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown property \"no-such-property\""))
    }
}
