import CZ3
import Foundation
import Invariants
import Z3
import Stage2Decoder

/// `p2m-bench --worker z3cost [--size N]`: where the cost of a ground proof
/// obligation goes in Z3 (docs/performance.md, "Z3 term cost").
///
/// The workload is the sorted-order certificate's: N obligations
/// `base_{i+1} <=u last_i` (the failure formula of one adjacent pair) over
/// N+1 sorted, disjoint 64-bit ranges like a layout's runs, so every query is
/// unsat, as in a proved layout. Each line times one way of making and
/// checking them through the raw C API (the same library the checker links)
/// or through the checker's own Swift layer, so the ratios between lines
/// come from one process on one machine state. Times are this thread's CPU
/// time (not wall time: the machine is shared), the best of three runs for
/// sections 3 to 6.
enum Z3Cost {
    /// How the obligations of successive chunks get a context and a solver.
    enum Strategy: String, CaseIterable {
        /// A new (not reference-counted) context and simple solver per chunk: the checker before this study.
        case freshContext = "fresh context per chunk"
        /// One reference-counted context for all chunks, a new solver per chunk.
        case sharedContextNewSolver = "rc context reused, solver per chunk"
        /// One reference-counted context and one solver; each chunk inside push/pop.
        case sharedContextPushPop = "rc context reused, one solver, push/pop"
        /// One reference-counted context and one solver, `Z3_solver_reset` after each chunk.
        case sharedContextReset = "rc context reused, one solver, reset"
    }

    /// Which solver checks a chunk.
    enum SolverKind: String, CaseIterable {
        case simple = "simple"
        case qfbv = "QF_BV"
        case standard = "default"
    }

    /// Prints the whole report to standard output.
    static func report(obligations n: Int) throws {
        let data = Workload(count: n)
        print("z3cost: \(n) ground obligations base_{i+1} <=u last_i (all hold); Z3 \(version()); thread CPU microseconds per obligation unless marked")
        print("")
        print("1. context creation (mean of 200, create + delete)")
        for rc in [false, true] {
            let t = seconds { for _ in 0..<200 { let c = makeContext(referenceCounted: rc); Z3_del_context(c) } }
            print(pad("   Z3_mk_context\(rc ? "_rc" : "")", 48) + fmt(t / 200 * 1e3) + " ms")
        }
        for release in [false, true] {
            let t = seconds { for _ in 0..<100 { smallQuery(releaseBeforeDelete: release) } }
            print(pad("   rc context, 20 obligations checked, deleted with references " + (release ? "released" : "held"), 48) + fmt(t / 100 * 1e3) + " ms")
        }
        print("")
        print("2. making terms as one context fills (not reference counted, nothing freed); microseconds per term")
        for cachedSort in [false, true] { termGrowth(data, cachedSort: cachedSort) }
        termGrowthBounded(data)
        numeralFromString(data)
        print("")
        print("3. whole obligations (make, or, assert, check, free), chunks of 2048, simple solver")
        var baseline = 0.0
        for strategy in Strategy.allCases {
            let t = best { endToEnd(data, strategy: strategy, solver: .simple, chunk: 2048) }
            if strategy == .freshContext { baseline = t }
            print(pad("   " + strategy.rawValue, 48) + fmt(t / Double(n) * 1e6) + "   (x\(fmt(baseline / t, 2)) vs fresh context)")
        }
        print("")
        print("4. solver kind, rc context reused with push/pop, chunks of 2048")
        for kind in SolverKind.allCases {
            let t = best { endToEnd(data, strategy: .sharedContextPushPop, solver: kind, chunk: 2048) }
            print(pad("   " + kind.rawValue, 48) + fmt(t / Double(n) * 1e6))
        }
        print("")
        print("5. chunk size (fresh context per chunk | rc context reused with push/pop)")
        for chunk in [1, 16, 64, 256, 1024, 2048, 16384] where chunk <= n {
            let m = chunk < 256 ? min(n, chunk * 2000) : n
            let sample = Workload(count: m)
            let fresh = best { endToEnd(sample, strategy: .freshContext, solver: .simple, chunk: chunk) }
            let reused = best { endToEnd(sample, strategy: .sharedContextPushPop, solver: .simple, chunk: chunk) }
            print(pad("   \(chunk)", 48) + fmt(fresh / Double(m) * 1e6) + " | " + fmt(reused / Double(m) * 1e6))
        }
        print("")
        print("6. the checker's Swift layer (Invariants' public Z3 API), simple solver")
        for scoped in [false, true] {
            for countTerms in [false, true] {
                let t = try best { try swiftLayer(data, scoped: scoped, chunk: scoped ? 256 : 2048, countTerms: countTerms) }
                let how = scoped ? "one context releasing terms per chunk of 256, push/pop (ChunkedQuery now)" : "fresh Z3Context and solver per chunk of 2048 (ChunkedQuery before)"
                print("   " + how + (countTerms ? ", + Formula.termCount" : "") + ": " + fmt(t / Double(n) * 1e6))
            }
        }
        print("")
        // Last: a global parameter cannot be unset, so this changes every later context of the process.
        print("7. Z3's memory_max_size (p2m-check --memory-limit): rc context reused with push/pop, chunks of 256")
        let unlimited = best { endToEnd(data, strategy: .sharedContextPushPop, solver: .simple, chunk: 256) }
        Z3Context.setMemoryLimit(megabytes: 16_384)
        let limited = best { endToEnd(data, strategy: .sharedContextPushPop, solver: .simple, chunk: 256) }
        print(pad("   no limit | memory_max_size=16384", 48) + fmt(unlimited / Double(n) * 1e6) + " | " + fmt(limited / Double(n) * 1e6))
    }

    /// N+1 sorted disjoint ranges of 4 KiB pages with gaps, above 2 GiB (so
    /// numerals do not fit in 32 bits, as in a real layout).
    struct Workload {
        var bases: [UInt64]
        var lasts: [UInt64]
        var count: Int { bases.count - 1 }

        init(count: Int) {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            var address: UInt64 = 0x8000_0000
            bases = []
            lasts = []
            bases.reserveCapacity(count + 1)
            lasts.reserveCapacity(count + 1)
            for _ in 0...count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                address += 4096 * (1 + state % 3)
                bases.append(address)
                lasts.append(address + 4095)
            }
        }
    }

    static func version() -> String {
        var major: UInt32 = 0, minor: UInt32 = 0, build: UInt32 = 0, revision: UInt32 = 0
        Z3_get_version(&major, &minor, &build, &revision)
        return "\(major).\(minor).\(build)"
    }

    static func makeContext(referenceCounted: Bool) -> Z3_context {
        let config = Z3_mk_config()
        defer { Z3_del_config(config) }
        Z3_set_param_value(config, "model", "true")
        let context = referenceCounted ? Z3_mk_context_rc(config)! : Z3_mk_context(config)!
        Z3_set_error_handler(context, nil)
        return context
    }

    static func makeSolver(_ c: Z3_context, _ kind: SolverKind) -> Z3_solver {
        let solver: Z3_solver
        switch kind {
        case .simple: solver = Z3_mk_simple_solver(c)
        case .qfbv: solver = Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c, "QF_BV"))
        case .standard: solver = Z3_mk_solver(c)
        }
        Z3_solver_inc_ref(c, solver)
        return solver
    }

    /// Section 1: a whole small run in a reference-counted context (make 20
    /// obligations, check them, delete the context), with or without
    /// releasing the context's references to its terms before deleting it.
    static func smallQuery(releaseBeforeDelete: Bool) {
        let c = makeContext(referenceCounted: true)
        let sort = Z3_mk_bv_sort(c, 64)!
        Z3_inc_ref(c, Z3_sort_to_ast(c, sort))
        let solver = makeSolver(c, .simple)
        var failures: [Z3_ast?] = []
        for i in 0..<20 {
            let a = Z3_mk_unsigned_int64(c, 0x8000_0000 + UInt64(i) * 8192 + 4096, sort)!
            Z3_inc_ref(c, a)
            let b = Z3_mk_unsigned_int64(c, 0x8000_0000 + UInt64(i) * 8192 + 4095, sort)!
            Z3_inc_ref(c, b)
            let u = Z3_mk_bvule(c, a, b)!
            Z3_inc_ref(c, u)
            Z3_dec_ref(c, a)
            Z3_dec_ref(c, b)
            failures.append(u)
        }
        let query = failures.withUnsafeBufferPointer { Z3_mk_or(c, UInt32($0.count), $0.baseAddress) }!
        Z3_inc_ref(c, query)
        Z3_solver_assert(c, solver, query)
        precondition(Z3_solver_check(c, solver) == Z3_L_FALSE, "a chunk of true obligations was not refuted")
        Z3_solver_dec_ref(c, solver)
        if releaseBeforeDelete {
            for u in failures { Z3_dec_ref(c, u) }
            Z3_dec_ref(c, query)
            Z3_dec_ref(c, Z3_sort_to_ast(c, sort))
        }
        Z3_del_context(c)
    }

    /// Section 2: cost per numeral and per `bvule` in one context that keeps every term.
    static func termGrowth(_ data: Workload, cachedSort: Bool) {
        let c = makeContext(referenceCounted: false)
        defer { Z3_del_context(c) }
        let sort = Z3_mk_bv_sort(c, 64)
        var numeral = 0.0, ule = 0.0, made = 0
        var line = "   " + (cachedSort ? "sort made once" : "Z3_mk_bv_sort per numeral") + ": numeral | bvule after"
        var next = 1000
        for i in 0..<data.count {
            let t0 = cpuNow()
            let a = Z3_mk_unsigned_int64(c, data.bases[i + 1], cachedSort ? sort : Z3_mk_bv_sort(c, 64))
            let b = Z3_mk_unsigned_int64(c, data.lasts[i], cachedSort ? sort : Z3_mk_bv_sort(c, 64))
            let t1 = cpuNow()
            _ = Z3_mk_bvule(c, a, b)
            let t2 = cpuNow()
            numeral += t1 - t0
            ule += t2 - t1
            made += 1
            if made == next || i == data.count - 1 {
                line += "  \(made): \(fmt(numeral / Double(2 * made) * 1e6)) | \(fmt(ule / Double(made) * 1e6))"
                next *= 10
            }
        }
        print(line + " (cumulative means)")
    }

    /// Section 2: the same in a reference-counted context where each chunk's terms are released.
    static func termGrowthBounded(_ data: Workload) {
        let c = makeContext(referenceCounted: true)
        defer { Z3_del_context(c) }
        let sort = Z3_mk_bv_sort(c, 64)!
        Z3_inc_ref(c, Z3_sort_to_ast(c, sort))
        var held: [Z3_ast] = []
        let t = seconds {
            for i in 0..<data.count {
                let a = Z3_mk_unsigned_int64(c, data.bases[i + 1], sort)!
                Z3_inc_ref(c, a)
                let b = Z3_mk_unsigned_int64(c, data.lasts[i], sort)!
                Z3_inc_ref(c, b)
                let u = Z3_mk_bvule(c, a, b)!
                Z3_inc_ref(c, u)
                Z3_dec_ref(c, a)
                Z3_dec_ref(c, b)
                held.append(u)
                if held.count == 2048 { for u in held { Z3_dec_ref(c, u) }; held.removeAll(keepingCapacity: true) }
            }
            for u in held { Z3_dec_ref(c, u) }
        }
        print(pad("   rc context, terms released per 2048", 48) + fmt(t / Double(data.count) * 1e6) + " per obligation (2 numerals + bvule + inc/dec_ref)")
    }

    /// Section 2: numerals parsed from decimal strings (`Z3_mk_numeral`).
    static func numeralFromString(_ data: Workload) {
        let c = makeContext(referenceCounted: false)
        defer { Z3_del_context(c) }
        let sort = Z3_mk_bv_sort(c, 64)
        let m = min(data.count, 100_000)
        let strings = (0..<m).map { String(data.bases[$0]) }
        let t = seconds { for s in strings { _ = Z3_mk_numeral(c, s, sort) } }
        let u = seconds { for i in 0..<m { _ = Z3_mk_unsigned_int64(c, data.lasts[i], sort) } }
        print(pad("   first \(m) numerals: Z3_mk_numeral(string)", 48) + fmt(t / Double(m) * 1e6) + " vs Z3_mk_unsigned_int64 " + fmt(u / Double(m) * 1e6))
    }

    /// Sections 3-5 and 7: CPU seconds to make and refute every obligation, chunk by chunk.
    static func endToEnd(_ data: Workload, strategy: Strategy, solver kind: SolverKind, chunk: Int) -> Double {
        let rc = strategy != .freshContext
        var shared: Z3_context? = rc ? makeContext(referenceCounted: true) : nil
        var sharedSolver: Z3_solver? = nil
        var failures: [Z3_ast?] = []
        let t = seconds {
            var sort: Z3_sort? = shared.map { Z3_mk_bv_sort($0, 64) }
            if let c = shared, let sort { Z3_inc_ref(c, Z3_sort_to_ast(c, sort)) }
            if let c = shared, strategy != .sharedContextNewSolver { sharedSolver = makeSolver(c, kind) }
            var start = 0
            while start < data.count {
                let end = min(data.count, start + chunk)
                let c = shared ?? makeContext(referenceCounted: false)
                if shared == nil { sort = Z3_mk_bv_sort(c, 64) }
                failures.removeAll(keepingCapacity: true)
                for i in start..<end {
                    let a = Z3_mk_unsigned_int64(c, data.bases[i + 1], sort)
                    if rc { Z3_inc_ref(c, a) }
                    let b = Z3_mk_unsigned_int64(c, data.lasts[i], sort)
                    if rc { Z3_inc_ref(c, b) }
                    let u = Z3_mk_bvule(c, a, b)
                    if rc { Z3_inc_ref(c, u); Z3_dec_ref(c, a); Z3_dec_ref(c, b) }
                    failures.append(u)
                }
                let query = failures.withUnsafeBufferPointer { Z3_mk_or(c, UInt32($0.count), $0.baseAddress) }!
                if rc { Z3_inc_ref(c, query); for u in failures { Z3_dec_ref(c, u) } }
                let solver = sharedSolver ?? makeSolver(c, kind)
                if strategy == .sharedContextPushPop { Z3_solver_push(c, solver) }
                Z3_solver_assert(c, solver, query)
                let answer = Z3_solver_check(c, solver)
                precondition(answer == Z3_L_FALSE, "a chunk of true obligations was not refuted")
                if rc { Z3_dec_ref(c, query) }
                switch strategy {
                case .freshContext: Z3_solver_dec_ref(c, solver); Z3_del_context(c)
                case .sharedContextNewSolver: Z3_solver_dec_ref(c, solver)
                case .sharedContextPushPop: Z3_solver_pop(c, solver, 1)
                case .sharedContextReset: Z3_solver_reset(c, solver)
                }
                start = end
            }
            if let c = shared {
                if let s = sharedSolver { Z3_solver_dec_ref(c, s) }
                Z3_del_context(c)
                shared = nil
            }
        }
        return t
    }

    /// Section 6: the same obligations through the checker's public Swift layer,
    /// either a fresh context and solver per chunk or one context whose terms
    /// are released per chunk (`withTermScope`) and one solver with push/pop.
    static func swiftLayer(_ data: Workload, scoped: Bool, chunk: Int, countTerms: Bool) throws -> Double {
        var failed: Error?
        let t = seconds {
            do {
                let shared = scoped ? try Z3Context(releasesTerms: true) : nil
                let sharedSolver = try shared.map { try Z3Solver(context: $0, simple: true) }
                var start = 0
                while start < data.count {
                    let end = min(data.count, start + chunk)
                    let context = try shared ?? Z3Context()
                    let solver = try sharedSolver ?? Z3Solver(context: context, simple: true)
                    try context.withTermScope {
                        if scoped { try solver.push() }
                        var failures: [Formula] = []
                        for i in start..<end {
                            failures.append(try context.bitVector(data.bases[i + 1]).ule(try context.bitVector(data.lasts[i])))
                        }
                        let query = try Formula.or(failures, in: context)
                        if countTerms { _ = query.termCount }
                        try solver.assert(query)
                        guard case .unsatisfiable = try solver.check(timeoutMilliseconds: 600_000, resourceLimit: nil) else {
                            preconditionFailure("a chunk of true obligations was not refuted")
                        }
                        if scoped { try solver.pop() }
                    }
                    start = end
                }
            } catch { failed = error }
        }
        if let failed { throw failed }
        return t
    }

    /// This thread's CPU seconds so far.
    static func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// This thread's CPU seconds in `body`.
    static func seconds(_ body: () -> Void) -> Double {
        let start = cpuNow()
        body()
        return cpuNow() - start
    }

    /// The least of three measurements.
    static func best(_ measure: () throws -> Double) rethrows -> Double {
        min(try measure(), try measure(), try measure())
    }

    static func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
}
