import Invariants
import Z3
import Stage2Decoder
import Testing

struct Z3LayerTests {
    @Test func wrapAroundModelValue() throws {
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let s = try Z3Solver(context: z)
        try s.assert(try (try x + (try z.bitVector(1))).equals(try z.bitVector(0)))
        guard case .satisfiable(let model) = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
            Issue.record("expected sat")
            return
        }
        #expect(try model.value(of: x) == .max)
    }

    @Test func contradictionIsUnsat() throws {
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let s = try Z3Solver(context: z)
        try s.assert(try Formula.and([try x.ult(try z.bitVector(0x1000)), try x.uge(try z.bitVector(0x1000))]))
        guard case .unsatisfiable = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
            Issue.record("expected unsat")
            return
        }
    }

    @Test func pushAndPop() throws {
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let s = try Z3Solver(context: z)
        try s.assert(try x.ugt(try z.bitVector(5)))
        try s.push()
        try s.assert(try x.ult(try z.bitVector(3)))
        if case .unsatisfiable = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) {} else { Issue.record("expected unsat inside the scope") }
        try s.pop()
        if case .satisfiable = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) {} else { Issue.record("expected sat after pop") }
    }

    @Test func widthMismatchIsATypedError() throws {
        let z = try Z3Context()
        let a = try z.bitVector(1, width: 32)
        let b = try z.bitVector(1, width: 64)
        #expect(throws: SolverError.widthMismatch(32, 64)) { try a + b }
        // The context stays usable.
        let c = try (try z.bitVector(2, width: 32)).zeroExtended(by: 32)
        #expect(c.width == 64)
        let low = try (try z.bitVector(0x12345)).extract(high: 11, low: 0)
        let s = try Z3Solver(context: z)
        try s.assert(try low.notEquals(try z.bitVector(0x345, width: 12)))
        if case .unsatisfiable = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) {} else { Issue.record("extract is wrong") }
    }

    @Test func resourceLimitGivesUnknownNotAPass() throws {
        // Factor a 62-bit semiprime with 64-bit multiplication: hard for bit-blasting.
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let y = try z.bitVectorVariable("y")
        let s = try Z3Solver(context: z)
        let n: UInt64 = 4_611_686_014_132_420_609  // (2^31 - 1)^2
        try s.assert(try Formula.and([
            try (try x * y).equals(try z.bitVector(n)),
            try x.ugt(try z.bitVector(1)), try y.ugt(try z.bitVector(1)),
            try x.ult(try z.bitVector(1 << 32)), try y.ult(try z.bitVector(1 << 32)),
        ]))
        guard case .unknown = try s.check(timeoutMilliseconds: nil, resourceLimit: 1) else {
            Issue.record("expected unknown under rlimit 1")
            return
        }
    }
}
