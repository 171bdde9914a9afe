import Invariants
import Z3
import Stage2Decoder
import Testing

/// `Z3Context.withTermScope` and reference-counted contexts (`releasesTerms`):
/// what ChunkedQuery relies on to run every chunk in one context.
struct Z3TermScopeTests {
    @Test(arguments: [false, true])
    func termsOfAnEndedScopeAreRefused(releasesTerms: Bool) throws {
        let z = try Z3Context(releasesTerms: releasesTerms)
        let x = try z.bitVectorVariable("x")
        let escaped = try z.withTermScope { try z.bitVector(0x8000_0000_1000) }
        let escapedFormula = try z.withTermScope { try x.ule(try z.bitVector(7)) }
        #expect(throws: SolverError.termReleased) { try x.ule(escaped) }
        #expect(throws: SolverError.termReleased) { try escaped.ule(x) }
        #expect(throws: SolverError.termReleased) { try escapedFormula.negated() }
        #expect(throws: SolverError.termReleased) { try Formula.or([escapedFormula], in: z) }
        #expect(throws: SolverError.termReleased) { try Z3Solver(context: z).assert(escapedFormula) }
        // A term of the context's own scope outlives every scope.
        #expect(throws: Never.self) { try x.ule(try z.bitVector(1)) }
    }

    @Test(arguments: [false, true])
    func nestedScopesReleaseInnermostFirst(releasesTerms: Bool) throws {
        let z = try Z3Context(releasesTerms: releasesTerms)
        try z.withTermScope {
            let outer = try z.bitVectorVariable("outer")
            let inner = try z.withTermScope { try z.bitVector(0x1234) }
            #expect(throws: SolverError.termReleased) { try outer.equals(inner) }
            // The outer scope's terms are still usable inside it.
            let s = try Z3Solver(context: z)
            try s.assert(try outer.equals(try z.bitVector(0x1234)))
            guard case .satisfiable(let model) = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
                Issue.record("expected sat")
                return
            }
            #expect(try model.value(of: outer) == 0x1234)
        }
    }

    /// An assertion made inside a scope stays in the solver after the scope
    /// has released the Swift side's references to its terms.
    @Test func assertionsOutliveTheirScope() throws {
        let z = try Z3Context(releasesTerms: true)
        let x = try z.bitVectorVariable("x")
        let s = try Z3Solver(context: z)
        for round in 0..<200 {
            try z.withTermScope { try s.assert(try x.uge(try z.bitVector(UInt64(round)))) }
        }
        try z.withTermScope { try s.assert(try x.ult(try z.bitVector(1 << 40))) }
        guard case .satisfiable(let model) = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
            Issue.record("expected sat")
            return
        }
        let value = try model.value(of: x)
        #expect(value >= 199 && value < 1 << 40)
        try z.withTermScope { try s.assert(try x.ult(try z.bitVector(199))) }
        guard case .unsatisfiable = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
            Issue.record("the assertions of ended scopes were lost")
            return
        }
    }

    /// Push/pop inside scopes, as ChunkedQuery does it: each scope's query is
    /// answered alone, whatever the earlier scopes asserted.
    @Test func poppedScopesLeaveNoAssertionBehind() throws {
        let z = try Z3Context(releasesTerms: true)
        let x = try z.bitVectorVariable("x")
        let s = try Z3Solver(context: z, simple: true)
        for value in [UInt64(5), 6, 0xFFFF_FFFF_FFFF_F000] {
            try z.withTermScope {
                try s.push()
                try s.assert(try x.equals(try z.bitVector(value)))
                guard case .satisfiable(let model) = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
                    Issue.record("a popped assertion of an earlier scope was still there")
                    return
                }
                #expect(try model.value(of: x) == value)
                try s.pop()
            }
        }
    }
}
