import CZ3
import Testing
@testable import Invariants
@testable import Z3
@testable import Stage2Decoder

/// Z3 errors reach Swift as typed `SolverError`s and never abort the
/// process; misuse Z3 would not catch is refused before Z3 sees it. After an
/// error the context stays usable.
struct Z3ErrorTests {
    /// Solves `x + 1 == 0` in `z`: proves the context still works.
    func stillSolves(_ z: Z3Context) throws -> Bool {
        let x = try z.bitVectorVariable("after")
        let s = try Z3Solver(context: z)
        try s.assert(try (try x + (try z.bitVector(1))).equals(try z.bitVector(0)))
        guard case .satisfiable(let model) = try s.check(timeoutMilliseconds: 5000, resourceLimit: nil) else { return false }
        return try model.value(of: x) == .max
    }

    @Test func z3SortErrorIsTyped() throws {
        // Bypass the width check of `BitVector` and hand Z3 a 32-bit and a
        // 64-bit term to add: Z3 itself reports the sort mismatch.
        let z = try Z3Context()
        let a = try z.bitVector(1, width: 32)
        let b = try z.bitVector(1, width: 64)
        #expect {
            _ = try z.make { Z3_mk_bvadd(z.raw, a.ast, b.ast) }
        } throws: { error in
            // Z3 4.8 reports ill-sorted applications as an exception (code 12)
            // whose message names the declaration; later versions as a sort error.
            guard case SolverError.z3(let code, let message) = error else { return false }
            return [Int(Z3_SORT_ERROR.rawValue), Int(Z3_EXCEPTION.rawValue)].contains(code) && message.contains("bvadd")
        }
        #expect(try stillSolves(z))
    }

    @Test func z3BooleanBitVectorMismatchIsTyped() throws {
        // `and` of a bit-vector: a sort error inside Z3, through the Swift layer.
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let bogus = Formula(context: z, ast: x.ast)
        #expect {
            _ = try Formula.and([bogus, z.trueFormula])
        } throws: { error in
            guard case SolverError.z3(let code, let message) = error else { return false }
            return [Int(Z3_SORT_ERROR.rawValue), Int(Z3_EXCEPTION.rawValue)].contains(code) && message.contains("Sort mismatch")
        }
        #expect(try stillSolves(z))
    }

    @Test func z3InvalidExtractIsTyped() throws {
        // Z3's own check of extract bounds (the Swift layer checks first; here we go around it).
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x", width: 8)
        #expect(throws: SolverError.self) {
            _ = try z.make { Z3_mk_extract(z.raw, 40, 2, x.ast) }
        }
        #expect(try stillSolves(z))
    }

    @Test func swiftLayerRefusesBadWidthsAndExtracts() throws {
        let z = try Z3Context()
        #expect(throws: SolverError.invalidWidth(0)) { try z.bitVector(0, width: 0) }
        #expect(throws: SolverError.invalidWidth(65)) { try z.bitVector(0, width: 65) }
        #expect(throws: SolverError.invalidWidth(0)) { try z.bitVectorVariable("v", width: 0) }
        #expect(throws: SolverError.invalidWidth(-3)) { try z.bitVectorVariable("v", width: -3) }
        let x = try z.bitVectorVariable("x", width: 16)
        #expect(throws: SolverError.invalidExtract(high: 16, low: 0, width: 16)) { try x.extract(high: 16, low: 0) }
        #expect(throws: SolverError.invalidExtract(high: 3, low: 4, width: 16)) { try x.extract(high: 3, low: 4) }
        #expect(throws: SolverError.invalidExtract(high: 3, low: -1, width: 16)) { try x.extract(high: 3, low: -1) }
        #expect(throws: SolverError.invalidWidth(15)) { try x.zeroExtended(by: -1) }
        #expect(try x.extract(high: 15, low: 8).width == 8)
        #expect(try stillSolves(z))
    }

    @Test func termsOfTwoContextsAreRefused() throws {
        let z1 = try Z3Context()
        let z2 = try Z3Context()
        let a = try z1.bitVectorVariable("a")
        let b = try z2.bitVectorVariable("b")
        #expect(throws: SolverError.contextMismatch) { try a + b }
        #expect(throws: SolverError.contextMismatch) { try a.ult(b) }
        let f1 = try a.ult(try z1.bitVector(4))
        let f2 = try b.ult(try z2.bitVector(4))
        #expect(throws: SolverError.contextMismatch) { try Formula.and([f1, f2]) }
        #expect(throws: SolverError.contextMismatch) { try Formula.or([f1, f2], in: z1) }
        #expect(throws: SolverError.contextMismatch) { try f1.implies(f2) }
        #expect(throws: SolverError.contextMismatch) { try Formula.ite(f2, a, a) }
        let s1 = try Z3Solver(context: z1)
        #expect(throws: SolverError.contextMismatch) { try s1.assert(f2) }
        try s1.assert(f1)
        guard case .satisfiable(let model) = try s1.check(timeoutMilliseconds: 5000, resourceLimit: nil) else {
            Issue.record("expected sat")
            return
        }
        #expect(throws: SolverError.contextMismatch) { try model.value(of: b) }
        #expect(try model.value(of: a) < 4)
    }

    @Test func aTimeoutGivesUnknownNeverUnsat() throws {
        // The hard factoring query of Z3LayerTests, with a 1 ms timeout instead of an rlimit.
        let z = try Z3Context()
        let x = try z.bitVectorVariable("x")
        let y = try z.bitVectorVariable("y")
        let s = try Z3Solver(context: z)
        try s.assert(try Formula.and([
            try (try x * y).equals(try z.bitVector(4_611_686_014_132_420_609)),
            try x.ugt(try z.bitVector(1)), try y.ugt(try z.bitVector(1)),
            try x.ult(try z.bitVector(1 << 32)), try y.ult(try z.bitVector(1 << 32)),
        ]))
        guard case .unknown(let reason) = try s.check(timeoutMilliseconds: 1, resourceLimit: nil) else {
            Issue.record("expected unknown under a 1 ms timeout")
            return
        }
        #expect(reason.contains("timeout") || reason.contains("canceled"), "reason: \(reason)")
    }
}
