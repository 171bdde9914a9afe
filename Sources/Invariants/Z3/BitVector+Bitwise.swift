import CZ3

extension BitVector {
    /// Bitwise and.
    /// - Throws: `SolverError.widthMismatch` or a Z3 error.
    public func bitAnd(_ other: BitVector) throws -> BitVector {
        guard width == other.width else { throw SolverError.widthMismatch(width, other.width) }
        try context.require(self)
        try context.require(other)
        return BitVector(context: context, ast: try context.make { Z3_mk_bvand(context.raw, ast, other.ast) }, width: width)
    }
}
