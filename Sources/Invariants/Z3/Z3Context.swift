import CZ3

/// A Z3 context: owns every term built in it. One per check; not shared
/// across tasks (it is deliberately not `Sendable`).
///
/// Z3's error handler is switched off, so Z3 records errors instead of
/// aborting; every call that can fail is followed by `checkError()`, which
/// turns a recorded error into `SolverError.z3`.
public final class Z3Context {
    let raw: Z3_context

    /// Creates a context with model generation on.
    /// - Throws: `SolverError.contextCreationFailed`.
    public init() throws {
        guard let config = Z3_mk_config() else { throw SolverError.contextCreationFailed }
        defer { Z3_del_config(config) }
        Z3_set_param_value(config, "model", "true")
        guard let context = Z3_mk_context(config) else { throw SolverError.contextCreationFailed }
        raw = context
        Z3_set_error_handler(raw, nil)
    }

    deinit { Z3_del_context(raw) }

    /// Throws the error Z3 recorded since the last call, and clears it.
    func checkError() throws {
        let code = Z3_get_error_code(raw)
        guard code != Z3_OK else { return }
        let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown error"
        Z3_set_error(raw, Z3_OK)
        throw SolverError.z3(code: Int(code.rawValue), message: message)
    }

    /// Runs a Z3 call that yields a term and checks for errors.
    func make(_ body: () -> Z3_ast?) throws -> Z3_ast {
        let ast = body()
        try checkError()
        guard let ast else { throw SolverError.z3(code: -1, message: "Z3 returned no term") }
        return ast
    }

    /// A `width`-bit constant.
    /// - Precondition: `1 <= width <= 64`.
    public func bitVector(_ value: UInt64, width: Int = 64) throws -> BitVector {
        precondition((1...64).contains(width))
        let sort = Z3_mk_bv_sort(raw, UInt32(width))
        return BitVector(context: self, ast: try make { Z3_mk_unsigned_int64(raw, value, sort) }, width: width)
    }

    /// A fresh `width`-bit variable named `name`.
    public func bitVectorVariable(_ name: String, width: Int = 64) throws -> BitVector {
        let sort = Z3_mk_bv_sort(raw, UInt32(width))
        let symbol = Z3_mk_string_symbol(raw, name)
        return BitVector(context: self, ast: try make { Z3_mk_const(raw, symbol, sort) }, width: width)
    }

    /// The constant `true`.
    public var trueFormula: Formula { Formula(context: self, ast: Z3_mk_true(raw)) }
    /// The constant `false`.
    public var falseFormula: Formula { Formula(context: self, ast: Z3_mk_false(raw)) }
}
