import Stage2Decoder
import Z3
/// One property of the catalogue. Each conformer documents its Z3 encoding
/// and why that encoding is equivalent to the property.
protocol InvariantProperty: Sendable {
    static var id: PropertyID { get }
    /// Checks the property over `facts`.
    /// - Throws: `SolverError` when Z3 reports an error (the caller turns it into "unknown").
    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult
}
