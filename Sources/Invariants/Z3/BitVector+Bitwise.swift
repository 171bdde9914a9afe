import CZ3

extension BitVector {
    /// Bitwise and.
    /// - Throws: `SolverError.widthMismatch` or a Z3 error.
    public func bitAnd(_ other: BitVector) throws -> BitVector {
        guard width == other.width else { throw SolverError.widthMismatch(width, other.width) }
        return BitVector(context: context, ast: try context.make { Z3_mk_bvand(context.raw, ast, other.ast) }, width: width)
    }
}
