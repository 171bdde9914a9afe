import CZ3

extension BitVector {
    /// Bitwise and.
    /// - Throws: `SolverError.widthMismatch` or a Z3 error.
    public func and(_ other: BitVector) throws -> BitVector {
        guard width == other.width else { throw SolverError.widthMismatch(width, other.width) }
        try context.require(self)
        try context.require(other)
        return BitVector(context: context, ast: try context.make { Z3_mk_bvand(context.raw, ast, other.ast) }, width: width)
    }

    /// Bits `high...low` of `self` equal `value`.
    /// - Precondition: `width > high >= low >= 0`.
    public func field(high: Int, low: Int, equals value: UInt64) throws -> Formula {
        try extract(high: high, low: low).equals(try context.bitVector(value, width: high - low + 1))
    }
}
