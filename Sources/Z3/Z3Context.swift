import CZ3

/// A Z3 context: owns every term built in it. One per check; not shared
/// across tasks (it is deliberately not `Sendable`).
///
/// Z3's error handler is switched off, so Z3 records errors instead of
/// aborting; every call that can fail is followed by `checkError()`, which
/// turns a recorded error into `SolverError.z3`.
///
/// Term lifetime. By default (`releasesTerms == false`) the context is not
/// reference counted: Z3 keeps every term it ever made until the context is
/// deleted, so memory grows with the terms made. A context created with
/// `releasesTerms: true` is reference counted (`Z3_mk_context_rc`): it holds
/// one reference to each term it hands out, and `withTermScope` drops the
/// references of the terms made inside the scope when the scope ends, so a
/// long series of independent queries (`ChunkedQuery`) runs in one context
/// with memory bounded by one scope's terms. In both modes a term made inside
/// a scope is refused (`SolverError.termReleased`) once the scope has ended,
/// so no API here can hand Z3 a freed term.
public final class Z3Context {
    let raw: Z3_context
    /// Whether terms are reference counted and released when their `withTermScope` ends.
    public let releasesTerms: Bool
    /// The 64-bit sort, made once (addresses and the witness variable use it).
    let bitVector64Sort: Z3_sort
    /// Sorts of other widths, made once each.
    private var sorts: [Int: Z3_sort] = [:]
    /// With `releasesTerms`: every term this context holds a reference to, in order made.
    private var held: [Z3_ast] = []
    /// Ids of the open term scopes, innermost last; 0 is the context's own, never closed.
    private var openScopes: [UInt32] = []
    private var nextScope: UInt32 = 1

    /// Creates a context with model generation on.
    /// - Parameter releasesTerms: make a reference-counted context whose
    ///   terms are released by `withTermScope` (see the type's comment).
    /// - Throws: `SolverError.contextCreationFailed`.
    public init(releasesTerms: Bool = false) throws {
        guard let config = Z3_mk_config() else { throw SolverError.contextCreationFailed }
        defer { Z3_del_config(config) }
        Z3_set_param_value(config, "model", "true")
        guard let context = releasesTerms ? Z3_mk_context_rc(config) : Z3_mk_context(config) else { throw SolverError.contextCreationFailed }
        Z3_set_error_handler(context, nil)
        guard let sort = Z3_mk_bv_sort(context, 64) else {
            Z3_del_context(context)
            throw SolverError.contextCreationFailed
        }
        // A sort is a term too: hold it for the context's lifetime.
        if releasesTerms { Z3_inc_ref(context, Z3_sort_to_ast(context, sort)) }
        raw = context
        bitVector64Sort = sort
        self.releasesTerms = releasesTerms
    }

    deinit {
        // Z3 4.8.12 takes about 5 ms to delete a reference-counted context
        // that still holds references, and under 0.1 ms once they are all
        // released (docs/performance.md, "Z3 term cost"): release them first.
        // Solvers and models are gone by now (each keeps its context alive).
        if releasesTerms {
            for ast in held { Z3_dec_ref(raw, ast) }
            for sort in sorts.values { Z3_dec_ref(raw, Z3_sort_to_ast(raw, sort)) }
            Z3_dec_ref(raw, Z3_sort_to_ast(raw, bitVector64Sort))
        }
        Z3_del_context(raw)
    }

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

    /// The scope new terms belong to (0: the context's own).
    var currentScope: UInt32 { openScopes.last ?? 0 }

    /// Throws unless a term of `scope` is still alive: its scope is the
    /// context's own or still open.
    func requireLive(_ scope: UInt32) throws {
        guard scope == 0 || scope == openScopes.last || openScopes.contains(scope) else { throw SolverError.termReleased }
    }

    /// Runs `body` in a new term scope: the terms made inside belong to it
    /// and, with `releasesTerms`, are released (their references dropped)
    /// when it returns or throws. Scopes nest.
    ///
    /// Precondition: no term made inside is used afterwards; one that is
    /// makes the call using it throw `SolverError.termReleased` (in either
    /// mode). Solvers and models keep what they need themselves: a formula
    /// asserted inside a scope stays asserted after it.
    public func withTermScope<T>(_ body: () throws -> T) rethrows -> T {
        let id = nextScope
        nextScope = nextScope == UInt32.max ? 1 : nextScope + 1
        openScopes.append(id)
        let mark = held.count
        defer {
            openScopes.removeLast()
            if releasesTerms {
                for ast in held[mark...] { Z3_dec_ref(raw, ast) }
                held.removeSubrange(mark...)
            }
        }
        return try body()
    }

    /// Takes a reference to a term just made, when terms are reference counted.
    func hold(_ ast: Z3_ast) -> Z3_ast {
        if releasesTerms {
            Z3_inc_ref(raw, ast)
            held.append(ast)
        }
        return ast
    }

    /// A bit-vector sort of `width` bits, made once per context.
    /// - Throws: `SolverError.invalidWidth` for `width < 1`, or a Z3 error.
    func bitVectorSort(_ width: Int) throws -> Z3_sort {
        if width == 64 { return bitVector64Sort }
        if let sort = sorts[width] { return sort }
        guard width >= 1, width <= Int(UInt32.max) else { throw SolverError.invalidWidth(width) }
        let sort = Z3_mk_bv_sort(raw, UInt32(width))
        try checkError()
        guard let sort else { throw SolverError.z3(code: -1, message: "Z3 returned no sort") }
        if releasesTerms { Z3_inc_ref(raw, Z3_sort_to_ast(raw, sort)) }
        sorts[width] = sort
        return sort
    }

    /// Runs a Z3 call that yields a term, checks for errors, and holds the term
    /// (reference-counted contexts).
    func make(_ body: () -> Z3_ast?) throws -> Z3_ast {
        let ast = body()
        try checkError()
        guard let ast else { throw SolverError.z3(code: -1, message: "Z3 returned no term") }
        return hold(ast)
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
    public var trueFormula: Formula { Formula(context: self, ast: hold(Z3_mk_true(raw)!)) }
    /// The constant `false`.
    public var falseFormula: Formula { Formula(context: self, ast: hold(Z3_mk_false(raw)!)) }
}
