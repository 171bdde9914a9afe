import Synchronization
import P2MModel
import Stage2Decoder
import Z3

/// One domain's translation runs merged per attribute value, on one side
/// (guest or machine ranges), with the lemma that makes the merge usable:
/// every run lies in an interval of its class's union. Z3 proves the lemma
/// once per check (ground membership certificates, linear in the runs); the
/// per-run properties (`RunContainment`) then check the unions' intervals,
/// often far fewer than the runs (a domain repopulated from scattered frames
/// has one machine interval for thousands of runs).
///
/// Why it is sound: the lemma says run `k` of class `c` lies in some
/// interval of `U_c`; a property that proves every interval of `U_c` inside
/// its allowed set for `c` has then proved every run of class `c` inside it.
/// If the lemma is not proved (unknown, or a certificate fails, a defect),
/// the properties that need it say unknown.
struct RunUnions: Sendable {
    /// The runs of one attribute value and the union of their ranges.
    struct Class: Sendable {
        var attributeBits: UInt64
        var union: IntervalSet
    }

    var classes: [Class]
    /// Z3's outcome on the lemma (a finding is a failed certificate).
    var lemma: ChunkedQuery.Outcome<Int>

    /// Why the lemma cannot be used, or nil when Z3 proved it.
    var problem: String? {
        if !lemma.findings.isEmpty { return "a run-union membership certificate failed in Z3 though Swift found it held (a defect in p2m-check)" }
        return lemma.unknownReason
    }

    /// Builds the unions and proves the lemma.
    /// - Throws: `SolverError` on a Z3 error.
    static func build(_ domain: DomainFacts, _ side: RunContainment.Side, options: CheckOptions) throws -> RunUnions {
        let runs = domain.decoded.runs
        var index: [UInt64: Int] = [:]
        var members: [[ClosedInterval]] = []
        var bits: [UInt64] = []
        var claims: [(run: ClosedInterval, cls: Int)] = []
        for run in runs {
            guard let range = side == .guest ? ClosedInterval(run.guest) : ClosedInterval(run.machineRange) else { continue }
            let c: Int
            if let known = index[run.attributeBits] { c = known } else {
                c = members.count
                index[run.attributeBits] = c
                members.append([])
                bits.append(run.attributeBits)
            }
            members[c].append(range)
            claims.append((range, c))
        }
        let classes = members.indices.map { Class(attributeBits: bits[$0], union: IntervalSet(members[$0])) }
        var within: [ClosedInterval] = []
        within.reserveCapacity(claims.count)
        for claim in claims {
            guard let j = classes[claim.cls].union.index(containing: claim.run) else {
                var outcome = ChunkedQuery.Outcome<Int>()
                outcome.unknownReason = "Swift's union of \(domain.spec.name)'s runs misses one of them (a defect in p2m-check)"
                return RunUnions(classes: classes, lemma: outcome)
            }
            within.append(classes[claim.cls].union.intervals[j])
        }
        let lemma = try ContainmentClaims(options: options).check(zip(claims, within).map { ($0.run, $1) })
        return RunUnions(classes: classes, lemma: lemma)
    }

    /// The unions of `domain` on `side`: from the check's cache when one is
    /// set (each is then built and proved once per check, whichever property
    /// asks first), else built now. `computed` says whether this call did the work.
    /// - Throws: `SolverError` on a Z3 error.
    static func shared(_ domain: DomainFacts, _ side: RunContainment.Side, options: CheckOptions) throws -> (unions: RunUnions, computed: Bool) {
        guard let cache = RunUnionCache.current else { return (try build(domain, side, options: options), true) }
        return try cache.unions(domain, side, options: options)
    }
}

/// The run unions of one check, shared by the properties that run in it
/// (possibly on several threads: the cache is locked while a union is built).
final class RunUnionCache: Sendable {
    @TaskLocal static var current: RunUnionCache?

    private let entries = Mutex<[String: RunUnions]>([:])

    func unions(_ domain: DomainFacts, _ side: RunContainment.Side, options: CheckOptions) throws -> (unions: RunUnions, computed: Bool) {
        let key = "\(side == .guest ? "guest" : "machine") \(domain.spec.name)"
        return try entries.withLock { entries throws -> (unions: RunUnions, computed: Bool) in
            if let known = entries[key] { return (known, false) }
            let built = try RunUnions.build(domain, side, options: options)
            entries[key] = built
            return (built, true)
        }
    }
}
