import Testing
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder

/// The Optimize and assumption/unsat-core additions to the Z3 layer.
struct Z3OptimizeTests {
    @Test func optimizeFindsTheExtremes() throws {
        let context = try Z3Context()
        let x = try context.bitVectorVariable("x")
        let optimize = try Z3Optimize(context: context)
        // x in [0x1000, 0x9000], 0x1000-aligned.
        try optimize.assert(try x.uge(try context.bitVector(0x1000)))
        try optimize.assert(try x.ule(try context.bitVector(0x9000)))
        try optimize.assert(try x.and(try context.bitVector(0xFFF)).equals(try context.bitVector(0)))
        try optimize.maximize(x)
        guard case .satisfiable(let model) = try optimize.check(timeoutMilliseconds: 10_000) else { Issue.record("expected sat"); return }
        #expect(try model.value(of: x) == 0x9000)

        let low = try Z3Optimize(context: context)
        try low.assert(try x.ugt(try context.bitVector(0x1234)))
        try low.assert(try x.and(try context.bitVector(0xFFF)).equals(try context.bitVector(0)))
        try low.minimize(x)
        guard case .satisfiable(let m2) = try low.check(timeoutMilliseconds: 10_000) else { Issue.record("expected sat"); return }
        #expect(try m2.value(of: x) == 0x2000)
    }

    @Test func unsatCoreNamesTheConflictingAssumptions() throws {
        let context = try Z3Context()
        let x = try context.bitVectorVariable("x")
        let solver = try Z3Solver(context: context)
        let facts = [
            try x.ugt(try context.bitVector(10)),   // 0: conflicts with 2
            try x.notEquals(try context.bitVector(99)),  // 1: irrelevant
            try x.ult(try context.bitVector(5)),    // 2
        ]
        let literals = try facts.indices.map { try context.booleanVariable("t\($0)") }
        for (l, f) in zip(literals, facts) { try solver.assert(try l.implies(f)) }
        guard case .unsatisfiable(let core) = try solver.check(assuming: literals, timeoutMilliseconds: 10_000) else { Issue.record("expected unsat"); return }
        #expect(Set(core).isSuperset(of: [0, 2]))
        guard case .satisfiable(let model) = try solver.check(assuming: [literals[0], literals[1]], timeoutMilliseconds: 10_000) else { Issue.record("expected sat"); return }
        #expect(try model.value(of: x) > 10)
    }
}
