import CZ3

/// A bit-vector term of a fixed width in one context.
public struct BitVector {
    let context: Z3Context
    let ast: Z3_ast
    /// Width in bits.
    public let width: Int
    /// The term scope it was made in (`Z3Context.withTermScope`).
    let scope: UInt32

    init(context: Z3Context, ast: Z3_ast, width: Int) {
        self.context = context
        self.ast = ast
        self.width = width
        scope = context.currentScope
    }

    private func binary(_ other: BitVector, _ op: (Z3_context?, Z3_ast?, Z3_ast?) -> Z3_ast?) throws -> Z3_ast {
        try context.require(self)
        try context.require(other)
        guard width == other.width else { throw SolverError.widthMismatch(width, other.width) }
        return try context.make { op(context.raw, ast, other.ast) }
    }

    /// Wrapping addition.
    /// - Throws: `SolverError.widthMismatch` or a Z3 error.
    public static func + (a: BitVector, b: BitVector) throws -> BitVector {
        BitVector(context: a.context, ast: try a.binary(b, Z3_mk_bvadd), width: a.width)
    }

    /// Wrapping subtraction.
    public static func - (a: BitVector, b: BitVector) throws -> BitVector {
        BitVector(context: a.context, ast: try a.binary(b, Z3_mk_bvsub), width: a.width)
    }

    /// Wrapping multiplication.
    public static func * (a: BitVector, b: BitVector) throws -> BitVector {
        BitVector(context: a.context, ast: try a.binary(b, Z3_mk_bvmul), width: a.width)
    }

    /// Unsigned `self <= other`.
    public func ule(_ other: BitVector) throws -> Formula { Formula(context: context, ast: try binary(other, Z3_mk_bvule)) }
    /// Unsigned `self < other`.
    public func ult(_ other: BitVector) throws -> Formula { Formula(context: context, ast: try binary(other, Z3_mk_bvult)) }
    /// Unsigned `self >= other`.
    public func uge(_ other: BitVector) throws -> Formula { Formula(context: context, ast: try binary(other, Z3_mk_bvuge)) }
    /// Unsigned `self > other`.
    public func ugt(_ other: BitVector) throws -> Formula { Formula(context: context, ast: try binary(other, Z3_mk_bvugt)) }
    /// `self == other`.
    public func equals(_ other: BitVector) throws -> Formula { Formula(context: context, ast: try binary(other, Z3_mk_eq)) }
    /// `self != other`.
    public func notEquals(_ other: BitVector) throws -> Formula { try equals(other).negated() }

    /// Zero-extends by `bits` bits.
    /// - Throws: `SolverError.invalidWidth` for a negative `bits` or an oversized result.
    public func zeroExtended(by bits: Int) throws -> BitVector {
        guard bits >= 0, bits <= Int(UInt32.max) - width else { throw SolverError.invalidWidth(width + bits) }
        try context.require(self)
        return BitVector(context: context, ast: try context.make { Z3_mk_zero_ext(context.raw, UInt32(bits), ast) }, width: width + bits)
    }

    /// Bits `high` down to `low`, inclusive.
    /// - Throws: `SolverError.invalidExtract` unless `width > high >= low >= 0`.
    public func extract(high: Int, low: Int) throws -> BitVector {
        guard low >= 0, high >= low, high < width else { throw SolverError.invalidExtract(high: high, low: low, width: width) }
        try context.require(self)
        return BitVector(context: context, ast: try context.make { Z3_mk_extract(context.raw, UInt32(high), UInt32(low), ast) }, width: high - low + 1)
    }
}

extension Z3Context {
    /// Throws unless `term` is of this context and still alive (its term scope has not ended).
    func require(_ term: BitVector) throws {
        try requireSame(term.context)
        try requireLive(term.scope)
    }

    /// Throws unless `formula` is of this context and still alive (its term scope has not ended).
    func require(_ formula: Formula) throws {
        try requireSame(formula.context)
        try requireLive(formula.scope)
    }
}
