import Z3
import P2MModel

/// The layout problem in Z3: one 64-bit base per item, each requirement a
/// `LayoutConstraint` asserted behind a tracking literal.
///
/// Satisfiable: the (optimal) bases of the auto items. Unsatisfiable: a
/// minimal set of constraints that conflict (deletion-minimised unsat core).
struct LayoutSolver {
    enum Outcome {
        /// Chosen base per item index (auto items only).
        case solved([Int: UInt64])
        /// These constraints cannot hold together; removing any one of them leaves a satisfiable set.
        case conflict([LayoutConstraint])
        case unknown(String)
    }

    let spec: BoardSpec
    let items: [LayoutItem]
    let objectives: [ExploreObjective]
    let timeoutMilliseconds: UInt32?

    /// Every constraint of the problem, in a stable order.
    var constraints: [LayoutConstraint] {
        var out: [LayoutConstraint] = []
        for (i, item) in items.enumerated() {
            if case .fixed(let a) = item.placement { out.append(.fixed(item: i, address: a)) }
            if item.autoField != nil || { if case .hypervisorPlaced = item.placement { return true } else { return false } }() {
                out.append(.aligned(item: i, alignment: item.alignment))
            }
            if let f = item.autoField, f.minimum != nil || f.maximum != nil { out.append(.window(item: i, minimum: f.minimum, maximum: f.maximum)) }
            out.append(.inRAM(item: i))
            for r in spec.reserved.indices where item.region == .oneBank { out.append(.avoidsReserved(item: i, reserved: r)) }
        }
        for a in items.indices {
            for b in items.indices where b > a { out.append(.disjoint(a, b)) }
        }
        out.append(.domainMemoryFits(total: spec.domains.reduce(0) { $0 + $1.memorySize }))
        if items.contains(where: { $0.role == .xenheap }), items.contains(where: { $0.role == .p2mPool && $0.isSpecPlaced }) {
            out.append(.poolsClearOfXenheap)
        }
        return out
    }

    /// Solves the problem.
    /// - Throws: `SolverError` from Z3, or `ExploreError.badArgument` for an objective naming no item.
    func solve() throws -> Outcome {
        let context = try Z3Context()
        let bases = try items.indices.map { try context.bitVectorVariable("base\($0)") }
        let all = constraints
        let formulas = try all.map { try formula($0, bases: bases, context: context) }
        let literals = try all.indices.map { try context.booleanVariable("c\($0)") }
        let solver = try Z3Solver(context: context)
        for (literal, f) in zip(literals, formulas) { try solver.assert(try literal.implies(f)) }

        // Xen places the arm32 xenheap as a function of the hypervisor and module
        // addresses; pools with a spec base must avoid it. That function is learnt
        // lazily: each round that places a pool on the real xenheap adds the exact
        // lemma "with the hypervisor and modules here, the pools avoid this range".
        var lemmas: [Formula] = []
        for _ in 0...Self.maximumRefinements {
            switch try solver.check(assuming: literals, timeoutMilliseconds: timeoutMilliseconds) {
            case .unknown(let reason): return .unknown(reason)
            case .unsatisfiable(let core):
                return try minimise(core, literals: literals, solver: solver).map { .conflict($0.map { all[$0] }) } ?? .unknown("core minimisation timed out")
            case .satisfiable(let model):
                var chosen = try placedBases(model, bases)
                if !objectives.isEmpty {
                    let optimize = try Z3Optimize(context: context)
                    for f in formulas + lemmas { try optimize.assert(f) }
                    for objective in objectives { try add(objective, to: optimize, bases: bases, context: context) }
                    switch try optimize.check(timeoutMilliseconds: timeoutMilliseconds) {
                    case .satisfiable(let best): chosen = try placedBases(best, bases)
                    case .unsatisfiable: return .unknown("the optimiser found no layout although the solver did")
                    case .unknown(let reason): return .unknown("optimisation: \(reason)")
                    }
                }
                guard let lemma = try xenheapLemma(chosen, bases: bases, context: context) else {
                    return .solved(chosen.filter { items[$0.key].autoField != nil })
                }
                lemmas.append(lemma)
                if let i = all.firstIndex(where: { if case .poolsClearOfXenheap = $0 { return true } else { return false } }) {
                    try solver.assert(try literals[i].implies(lemma))
                }
            }
        }
        return .unknown("no layout kept the p2m pools clear of the xenheap after \(Self.maximumRefinements) refinements")
    }

    /// Rounds of xenheap refinement before giving up (unknown, never a pass).
    static let maximumRefinements = 32

    /// Bases of every item the spec places (fixed or auto), from a model.
    private func placedBases(_ model: Z3Model, _ bases: [BitVector]) throws -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        for (i, item) in items.enumerated() where item.isSpecPlaced { out[i] = try model.value(of: bases[i]) }
        return out
    }

    /// Drops core members one at a time while the rest stays unsatisfiable. Nil if a check is not decided.
    private func minimise(_ core: [Int], literals: [Formula], solver: Z3Solver) throws -> [Int]? {
        var kept = core
        var index = 0
        while index < kept.count {
            var trial = kept
            trial.remove(at: index)
            switch try solver.check(assuming: trial.map { literals[$0] }, timeoutMilliseconds: timeoutMilliseconds) {
            case .unsatisfiable(let smaller): kept = smaller.map { trial[$0] }
            case .satisfiable: index += 1
            case .unknown: return nil
            }
        }
        return kept
    }

    private func formula(_ c: LayoutConstraint, bases: [BitVector], context: Z3Context) throws -> Formula {
        func k(_ v: UInt64) throws -> BitVector { try context.bitVector(v) }
        /// base in [lo, hi - size], i.e. [base, base + size) within [lo, hi), without wrapping.
        func within(_ i: Int, _ lo: UInt64, _ hi: UInt64) throws -> Formula {
            guard hi >= lo, hi - lo >= items[i].size else { return context.falseFormula }
            return try Formula.and([try bases[i].uge(try k(lo)), try bases[i].ule(try k(hi - items[i].size))])
        }
        switch c {
        case .fixed(let i, let address): return try bases[i].equals(try k(address))
        case .aligned(let i, let alignment): return try bases[i].and(try k(alignment - 1)).equals(try k(0))
        case .window(let i, let minimum, let maximum): return try within(i, minimum ?? 0, maximum ?? UInt64.max)
        case .inRAM(let i):
            let banks = spec.ram.map { ($0.range.base.rawValue, $0.range.end?.rawValue ?? UInt64.max) }
            switch items[i].region {
            case .oneBank: return try Formula.or(try banks.map { try within(i, $0.0, $0.1) }, in: context)
            case .ramSpan:
                guard let lo = banks.map(\.0).min(), let hi = banks.map(\.1).max() else { return context.falseFormula }
                return try within(i, lo, hi)
            }
        case .avoidsReserved(let i, let r):
            let range = spec.reserved[r].range
            return try apart(bases[i], items[i].size, try k(range.base.rawValue), range.size, context: context)
        case .disjoint(let a, let b):
            return try apart(bases[a], items[a].size, bases[b], items[b].size, context: context)
        case .poolsClearOfXenheap:
            return context.trueFormula  // strengthened by lemmas as they are learnt
        case .domainMemoryFits(let total):
            let ram = spec.ram.reduce(UInt64(0)) { $0 + $1.range.size }
            let placed = items.reduce(UInt64(0)) { $0 + $1.size }
            return placed <= ram && ram - placed >= total ? context.trueFormula : context.falseFormula
        }
    }

    /// [a, a + sa) and [b, b + sb) do not overlap (bases already known not to wrap via inRAM).
    func apart(_ a: BitVector, _ sa: UInt64, _ b: BitVector, _ sb: UInt64, context: Z3Context) throws -> Formula {
        let aEnd = try a + (try context.bitVector(sa))
        let bEnd = try b + (try context.bitVector(sb))
        return try Formula.or([try aEnd.ule(b), try bEnd.ule(a)], in: context)
    }

    private func add(_ objective: ExploreObjective, to optimize: Z3Optimize, bases: [BitVector], context: Z3Context) throws {
        func index(_ name: String) throws -> Int {
            guard let i = items.firstIndex(where: { $0.name == name && $0.autoField != nil }) else {
                let names = items.filter { $0.autoField != nil }.map(\.name).joined(separator: ", ")
                throw ExploreError.badArgument("objective \(objective): \"\(name)\" is not an item with an auto address; auto items: \(names)")
            }
            return i
        }
        let autoIndices = items.indices.filter { items[$0].autoField != nil }
        func sum(_ terms: [BitVector]) throws -> BitVector {
            var total = try (try context.bitVector(0)).zeroExtended(by: 8)
            for t in terms { total = try total + (try t.zeroExtended(by: 8)) }
            return total
        }
        switch objective {
        case .low: try optimize.minimize(try sum(autoIndices.map { bases[$0] }))
        case .high: try optimize.maximize(try sum(autoIndices.map { bases[$0] }))
        case .lowest(let name): try optimize.minimize(bases[try index(name)])
        case .highest(let name): try optimize.maximize(bases[try index(name)])
        case .largest:
            return  // searched by `Explorer` over the builder and checker, not optimised here
        case .compact:
            let modules = items.indices.filter { items[$0].path.tokens.first == "boot_modules" }
            guard !modules.isEmpty else { return }
            let lo = try context.bitVectorVariable("window_lo")
            let hi = try context.bitVectorVariable("window_hi")
            for m in modules {
                try optimize.assert(try lo.ule(bases[m]))
                try optimize.assert(try (try bases[m] + (try context.bitVector(items[m].size))).ule(hi))
            }
            try optimize.assert(try lo.ule(hi))
            try optimize.minimize(try hi - lo)
        }
    }
}
