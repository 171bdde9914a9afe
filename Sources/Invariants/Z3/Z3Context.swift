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

    /// Caps the memory Z3 may use, for every context in this process (Z3's
    /// global `memory_max_size`). A query that needs more fails with
    /// `SolverError.outOfMemory` or is answered unknown, never with an abort.
    /// - Parameter megabytes: the cap, or 0 for none.
    public static func setMemoryLimit(megabytes: UInt32) {
        Z3_global_param_set("memory_max_size", String(megabytes))
    }

    /// Throws the error Z3 recorded since the last call, and clears it.
    /// - Throws: `SolverError.outOfMemory` for Z3's memory-out, `SolverError.z3` otherwise.
    func checkError() throws {
        let code = Z3_get_error_code(raw)
        guard code != Z3_OK else { return }
        let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "unknown error"
        Z3_set_error(raw, Z3_OK)
        if code == Z3_MEMOUT_FAIL { throw SolverError.outOfMemory(message) }
        throw SolverError.z3(code: Int(code.rawValue), message: message)
    }

    /// Throws unless `other` is this context.
    func requireSame(_ other: Z3Context) throws {
        guard other === self else { throw SolverError.contextMismatch }
    }

    /// A bit-vector sort of `width` bits.
    /// - Throws: `SolverError.invalidWidth` for `width < 1`, or a Z3 error.
    func bitVectorSort(_ width: Int) throws -> Z3_sort {
        guard width >= 1, width <= Int(UInt32.max) else { throw SolverError.invalidWidth(width) }
        let sort = Z3_mk_bv_sort(raw, UInt32(width))
        try checkError()
        guard let sort else { throw SolverError.z3(code: -1, message: "Z3 returned no sort") }
        return sort
    }

    /// Runs a Z3 call that yields a term and checks for errors.
    func make(_ body: () -> Z3_ast?) throws -> Z3_ast {
        let ast = body()
        try checkError()
        guard let ast else { throw SolverError.z3(code: -1, message: "Z3 returned no term") }
        return ast
    }

    /// A `width`-bit constant (`value` truncated to `width` bits).
    /// - Throws: `SolverError.invalidWidth` unless `1 <= width <= 64`.
    public func bitVector(_ value: UInt64, width: Int = 64) throws -> BitVector {
        guard (1...64).contains(width) else { throw SolverError.invalidWidth(width) }
        let sort = try bitVectorSort(width)
        return BitVector(context: self, ast: try make { Z3_mk_unsigned_int64(raw, value, sort) }, width: width)
    }

    /// A fresh `width`-bit variable named `name`.
    /// - Throws: `SolverError.invalidWidth` for `width < 1`, or a Z3 error.
    public func bitVectorVariable(_ name: String, width: Int = 64) throws -> BitVector {
        let sort = try bitVectorSort(width)
        let symbol = Z3_mk_string_symbol(raw, name)
        return BitVector(context: self, ast: try make { Z3_mk_const(raw, symbol, sort) }, width: width)
    }

    /// The constant `true`.
    public var trueFormula: Formula { Formula(context: self, ast: Z3_mk_true(raw)) }
    /// The constant `false`.
    public var falseFormula: Formula { Formula(context: self, ast: Z3_mk_false(raw)) }
}
