import CZ3

/// The answer to a satisfiability query.
public enum SolverOutcome {
    case satisfiable(Z3Model)
    case unsatisfiable
    /// Z3 gave up: timeout, resource limit, or incompleteness. Never a pass.
    case unknown(reason: String)
}

/// An incremental Z3 solver in one context.
public final class Z3Solver {
    let context: Z3Context
    let raw: Z3_solver

    /// - Parameter simple: use Z3's plain SMT core (`Z3_mk_simple_solver`, the
    ///   default) instead of the default solver, which first picks and builds
    ///   a tactic for the logic. Both are complete for bit-vectors; the simple
    ///   one costs far less to set up, which matters for many small ground
    ///   queries (`ChunkedQuery`).
    /// - Throws: a Z3 error if the solver cannot be created.
    public init(context: Z3Context, simple: Bool = true) throws {
        self.context = context
        let solver = simple ? Z3_mk_simple_solver(context.raw) : Z3_mk_solver(context.raw)
        try context.checkError()
        guard let solver else { throw SolverError.z3(code: -1, message: "Z3 returned no solver") }
        Z3_solver_inc_ref(context.raw, solver)
        raw = solver
    }

    deinit { Z3_solver_dec_ref(context.raw, raw) }

    /// Adds an assertion.
    /// - Throws: `SolverError.contextMismatch` for a formula of another context, or a Z3 error.
    public func assert(_ formula: Formula) throws {
        try context.require(formula)
        Z3_solver_assert(context.raw, raw, formula.ast)
        try context.checkError()
    }

    /// Opens a scope.
    public func push() throws {
        Z3_solver_push(context.raw, raw)
        try context.checkError()
    }

    /// Drops the assertions of the innermost scope.
    public func pop() throws {
        Z3_solver_pop(context.raw, raw, 1)
        try context.checkError()
    }

    /// The limits last handed to Z3 (`apply(timeoutMilliseconds:resourceLimit:)`).
    private var appliedLimits: (timeout: UInt32?, resourceLimit: UInt32?)?

    /// Sets the solver's timeout and resource limit, unless the same ones are
    /// already set: Z3 applies both to each `check` afresh, and setting
    /// parameters costs about 40 µs per call (docs/performance.md, "Z3 term
    /// cost"), as much as 20 ground obligations.
    /// - Throws: a Z3 error.
    func apply(timeoutMilliseconds: UInt32?, resourceLimit: UInt32?) throws {
        if let applied = appliedLimits, applied.timeout == timeoutMilliseconds, applied.resourceLimit == resourceLimit { return }
        try context.withParameters(timeoutMilliseconds: timeoutMilliseconds, resourceLimit: resourceLimit) { params in
            Z3_solver_set_params(context.raw, raw, params)
            try context.checkError()
        }
        appliedLimits = (timeoutMilliseconds, resourceLimit)
    }

    /// Checks the assertions, with an optional timeout (ms) and resource limit (rlimit units).
    /// Hitting either limit gives `.unknown`, never `.unsatisfiable`.
    /// - Throws: `SolverError.outOfMemory` when Z3 runs out of memory, or another Z3 error.
    public func check(timeoutMilliseconds: UInt32?, resourceLimit: UInt32?) throws -> SolverOutcome {
        try apply(timeoutMilliseconds: timeoutMilliseconds, resourceLimit: resourceLimit)
        let result = Z3_solver_check(context.raw, raw)
        try context.checkError()
        switch result {
        case Z3_L_TRUE:
            guard let model = Z3_solver_get_model(context.raw, raw) else { throw SolverError.z3(code: -1, message: "sat without a model") }
            try context.checkError()
            return .satisfiable(Z3Model(context: context, raw: model))
        case Z3_L_FALSE:
            return .unsatisfiable
        default:
            let reason = Z3_solver_get_reason_unknown(context.raw, raw).map { String(cString: $0) } ?? "unknown"
            return .unknown(reason: reason)
        }
    }
}

/// A satisfying assignment.
public final class Z3Model {
    let context: Z3Context
    let raw: Z3_model

    init(context: Z3Context, raw: Z3_model) {
        self.context = context
        self.raw = raw
        Z3_model_inc_ref(context.raw, raw)
    }

    deinit { Z3_model_dec_ref(context.raw, raw) }

    /// The value of `term` in the model (with model completion).
    /// - Throws: `SolverError.valueUnavailable` if the term does not evaluate to a number of at most 64 bits.
    public func value(of term: BitVector) throws -> UInt64 {
        try context.require(term)
        var out: Z3_ast?
        let evaluated = Z3_model_eval(context.raw, raw, term.ast, true, &out)
        try context.checkError()
        guard evaluated, let out else { throw SolverError.valueUnavailable("a bit-vector term") }
        var value: UInt64 = 0
        let isNumber = Z3_get_numeral_uint64(context.raw, out, &value)
        try context.checkError()
        guard isNumber else { throw SolverError.valueUnavailable("a bit-vector term") }
        return value
    }

    /// The truth value of `formula` in the model (with model completion).
    public func value(of formula: Formula) throws -> Bool {
        try context.require(formula)
        var out: Z3_ast?
        let evaluated = Z3_model_eval(context.raw, raw, formula.ast, true, &out)
        try context.checkError()
        guard evaluated, let out else { throw SolverError.valueUnavailable("a formula") }
        return Z3_get_bool_value(context.raw, out) == Z3_L_TRUE
    }
}
