import P2MModel
import Stage2Decoder
import Z3

/// Two guest addresses of one domain that reach the same machine address.
struct GuestAlias: Hashable {
    var first: GuestAddress
    var second: GuestAddress
    var machine: MachineAddress
}

/// Aliasing in one domain's translation, encoded over the translation
/// itself (the encoding `s2-injective` used before the sorted certificate;
/// kept as an independent reference for the equivalence tests and the
/// benchmark): variables `g1`, `g2`, `m`; `maps(g, m)` is
/// `or_k (g in guest_k and m == g - gbase_k + mbase_k)`; the query is
/// `maps(g1, m) and maps(g2, m) and g1 != g2`. Its size is linear in the
/// number of runs, but Z3 must search over three 64-bit variables. It does
/// not rely on the runs' guest ranges being disjoint beyond `maps` being
/// what the runs say.
struct TranslationAliasQuery {
    var options: CheckOptions

    /// Finds aliases (at most `options.maximumViolations`), each re-checked by
    /// translating both guest addresses in Swift. `complete` is false when Z3
    /// did not answer or a model did not re-check.
    /// - Precondition: `runs` sorted by guest base with disjoint guest ranges (as decoded).
    /// - Throws: `SolverError` on a Z3 error.
    func check(_ runs: [TranslationRun]) throws -> (aliases: [GuestAlias], complete: Bool) {
        let context = try Z3Context()
        let terms = RangeTerms(context: context)
        let g1 = try terms.variable("g1")
        let g2 = try terms.variable("g2")
        let m = try terms.variable("m")
        func inRun(_ k: Int, _ g: BitVector) throws -> Formula { try terms.contains(runs[k].guest, g) }
        func maps(_ g: BitVector) throws -> Formula {
            try Formula.or(runs.indices.map { k in
                let translated = try (g - (try terms.constant(runs[k].guest.base.rawValue))) + (try terms.constant(runs[k].machine.rawValue))
                return try Formula.and([try inRun(k, g), try m.equals(translated)])
            }, in: context)
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try Formula.and([try maps(g1), try maps(g2), try g1.notEquals(g2)]))
        var aliases: [GuestAlias] = []
        while aliases.count < max(1, options.maximumViolations) {
            switch try solver.check(options) {
            case .unsatisfiable:
                return (aliases, true)
            case .unknown:
                return (aliases, false)
            case .satisfiable(let model):
                let a = GuestAddress(try model.value(of: g1))
                let b = GuestAddress(try model.value(of: g2))
                guard a != b, let ka = Translation.run(containing: a, in: runs), let kb = Translation.run(containing: b, in: runs) else { return (aliases, false) }
                let machine = Translation.translate(a, by: runs[ka])
                guard machine == Translation.translate(b, by: runs[kb]) else { return (aliases, false) }
                aliases.append(GuestAlias(first: a, second: b, machine: machine))
                try solver.assert(try Formula.or([
                    try Formula.and([try inRun(ka, g1), try inRun(kb, g2)]),
                    try Formula.and([try inRun(kb, g1), try inRun(ka, g2)]),
                ], in: context).negated())
            }
        }
        return (aliases, true)
    }
}
