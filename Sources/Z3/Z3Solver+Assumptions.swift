import CZ3

/// The answer to a query checked under assumption literals.
public enum AssumptionOutcome {
    case satisfiable(Z3Model)
    /// Unsatisfiable; `core` holds the indices (into the assumptions passed)
    /// of a subset of assumptions that is already unsatisfiable together
    /// with the solver's assertions.
    case unsatisfiable(core: [Int])
    case unknown(reason: String)
}

extension Z3Context {
    /// A fresh Boolean variable named `name` (a tracking literal).
    public func booleanVariable(_ name: String) throws -> Formula {
        let symbol = Z3_mk_string_symbol(raw, name)
        return Formula(context: self, ast: try make { Z3_mk_const(raw, symbol, Z3_mk_bool_sort(raw)) })
    }
}

extension Z3Solver {
    /// Checks the assertions with every literal of `assumptions` assumed true.
    /// Used with tracking literals (`literal -> constraint`) so that an unsat
    /// core names the constraints that conflict.
    /// - Throws: a Z3 error.
    public func check(assuming assumptions: [Formula], timeoutMilliseconds: UInt32?) throws -> AssumptionOutcome {
        for literal in assumptions { try context.require(literal) }
        try apply(timeoutMilliseconds: timeoutMilliseconds, resourceLimit: nil)
        let asts: [Z3_ast?] = assumptions.map(\.ast)
        let result = asts.withUnsafeBufferPointer { Z3_solver_check_assumptions(context.raw, raw, UInt32($0.count), $0.baseAddress) }
        try context.checkError()
        switch result {
        case Z3_L_TRUE:
            return .satisfiable(try context.satisfyingModel(Z3_solver_get_model(context.raw, raw)))
        case Z3_L_FALSE:
            guard let vector = Z3_solver_get_unsat_core(context.raw, raw) else { throw SolverError.z3(code: -1, message: "unsat without a core") }
            Z3_ast_vector_inc_ref(context.raw, vector)
            defer { Z3_ast_vector_dec_ref(context.raw, vector) }
            var ids: Set<UInt32> = []
            for i in 0..<Z3_ast_vector_size(context.raw, vector) {
                if let ast = Z3_ast_vector_get(context.raw, vector, i) { ids.insert(Z3_get_ast_id(context.raw, ast)) }
            }
            try context.checkError()
            let core = assumptions.indices.filter { ids.contains(Z3_get_ast_id(context.raw, assumptions[$0].ast)) }
            return .unsatisfiable(core: core)
        default:
            let reason = Z3_solver_get_reason_unknown(context.raw, raw).map { String(cString: $0) } ?? "unknown"
            return .unknown(reason: reason)
        }
    }
}
