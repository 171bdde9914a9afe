import P2MModel

/// The check shared by the per-run properties of one domain (`hyp-private`,
/// `leaf-in-backing`, `attributes`, the leaf rules of `ranges`): every
/// translation run's machine range (or guest range) lies in the allowed set
/// the property gives for that run, decided by `SetContainment` in time
/// linear in the number of runs. Each offending run is reported once, at a
/// witness address Z3 found outside its set.
struct RunContainment {
    let domain: DomainFacts
    let options: CheckOptions

    /// Which address of a run must lie in the allowed set.
    enum Side {
        case guest
        case machine
    }

    /// Adds the domain's verdict to `out` (unknown if its walk did not complete).
    /// - Parameters:
    ///   - side: whether the runs' guest or machine ranges are checked.
    ///   - sets: the allowed sets.
    ///   - set: the index in `sets` of the set run `k` must lie in.
    ///   - explain: given the run index and a witness (guest and machine
    ///     address of one byte), the violation, or nil if the witness does not
    ///     re-check; the verdict is then unknown.
    /// - Throws: `SolverError` on a Z3 error.
    func run(
        _ side: Side,
        sets: [SetContainment.AllowedSet],
        set: (Int, TranslationRun) -> Int,
        explain: (Int, GuestAddress, MachineAddress) -> Violation?,
        into out: inout ResultBuilder
    ) throws {
        guard out.walkComplete(domain) else { return }
        let runs = domain.decoded.runs
        let items = runs.indices.compactMap { k -> SetContainment.Item? in
            let range = side == .guest ? ClosedInterval(runs[k].guest) : ClosedInterval(runs[k].machineRange)
            return range.map { SetContainment.Item(range: $0, set: set(k, runs[k]), tag: k) }
        }
        var outcome = try SetContainment(options: options).check(items, sets: sets)
        var violations: [Violation] = []
        for finding in outcome.findings {
            let run = runs[finding.tag]
            let (g, m): (GuestAddress, MachineAddress)
            switch side {
            case .guest:
                g = GuestAddress(finding.witness)
                m = Translation.translate(g, by: run)
            case .machine:
                m = MachineAddress(finding.witness)
                g = GuestAddress(run.guest.base.rawValue &+ (m.rawValue &- run.machine.rawValue))
            }
            guard run.guest.contains(g), let violation = explain(finding.tag, g, m) else {
                outcome.unknownReason = "a Z3 model did not re-check against the tables of \(domain.spec.name)"
                violations = []
                break
            }
            violations.append(violation)
        }
        out.add(outcome, violations)
    }

    /// One allowed set per distinct attribute value among the domain's runs
    /// (a domain has a handful), and the index of each run's set.
    static func setsByAttributes(of domain: DomainFacts, _ make: (UInt64) -> SetContainment.AllowedSet) -> (sets: [SetContainment.AllowedSet], index: (Int, TranslationRun) -> Int) {
        var index: [UInt64: Int] = [:]
        var sets: [SetContainment.AllowedSet] = []
        for run in domain.decoded.runs where index[run.attributeBits] == nil {
            index[run.attributeBits] = sets.count
            sets.append(make(run.attributeBits))
        }
        return (sets, { _, run in index[run.attributeBits]! })
    }
}
