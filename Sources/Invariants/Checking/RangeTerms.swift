import P2MModel
import Stage2Decoder
import Z3

/// Builds the few kinds of terms every encoding uses, over 64-bit
/// bit-vectors: range membership (`base <=u x <=u last`, exact at both ends
/// of the 64-bit space because the last address is used, never an exclusive
/// end) and affine translation.
struct RangeTerms {
    let context: Z3Context

    func constant(_ value: UInt64) throws -> BitVector {
        try context.bitVector(value, width: 64)
    }

    func variable(_ name: String) throws -> BitVector {
        try context.bitVectorVariable(name, width: 64)
    }

    /// `x` lies in `[base, last]`; `false` for an empty range.
    func contains<A: PhysicalAddress>(_ range: AddressRange<A>, _ x: BitVector) throws -> Formula {
        guard let last = range.last else { return context.falseFormula }
        return try Formula.and([try constant(range.base.rawValue).ule(x), try x.ule(try constant(last.rawValue))])
    }

    /// `x` lies in one of `ranges`.
    func inAny<A: PhysicalAddress>(_ ranges: [AddressRange<A>], _ x: BitVector) throws -> Formula {
        try Formula.or(ranges.map { try contains($0, x) }, in: context)
    }
}
