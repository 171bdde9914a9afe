import CZ3

extension Z3Context {
    /// Runs `body` with a parameter set holding the timeout (ms) and resource limit, if given.
    func withParameters<T>(timeoutMilliseconds: UInt32?, resourceLimit: UInt32? = nil, _ body: (Z3_params) throws -> T) rethrows -> T {
        let params = Z3_mk_params(raw)!
        Z3_params_inc_ref(raw, params)
        defer { Z3_params_dec_ref(raw, params) }
        if let t = timeoutMilliseconds { Z3_params_set_uint(raw, params, Z3_mk_string_symbol(raw, "timeout"), t) }
        if let r = resourceLimit { Z3_params_set_uint(raw, params, Z3_mk_string_symbol(raw, "rlimit"), r) }
        return try body(params)
    }

    /// The model Z3 returned after a sat answer.
    /// - Throws: a Z3 error, or `SolverError.z3` when there is no model.
    func satisfyingModel(_ model: Z3_model?) throws -> Z3Model {
        try checkError()
        guard let model else { throw SolverError.z3(code: -1, message: "sat without a model") }
        return Z3Model(context: self, raw: model)
    }
}
