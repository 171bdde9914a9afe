import P2MModel
import Stage2Decoder
import Z3

/// The check shared by the per-run properties of one domain (`hyp-private`,
/// `leaf-in-backing`, `attributes`, the leaf rules of `ranges`,
/// `dt-consistent`'s runs): every translation run's machine range (or guest
/// range) lies in the allowed set the property gives for the run's
/// attribute value.
///
/// Through `RunUnions`: the runs of one attribute value are merged into a
/// union whose intervals hold them all (a lemma Z3 proves once per check),
/// and `SetContainment` decides each interval of each union against the
/// allowed set of its attribute value, in time linear in the intervals. An
/// interval that leaves its set gives a witness address; the run of that
/// class holding the witness is reported, once per interval.
struct RunContainment {
    let domain: DomainFacts
    let options: CheckOptions

    /// Which address of a run must lie in the allowed set.
    enum Side {
        case guest
        case machine
    }

    /// Adds the domain's verdict to `out` (unknown if its walk did not
    /// complete, or if the run-union lemma was not proved).
    /// - Parameters:
    ///   - side: whether the runs' guest or machine ranges are checked.
    ///   - sets: the allowed sets.
    ///   - set: the index in `sets` of the set for runs with these attribute bits.
    ///   - explain: given the run index and a witness (guest and machine
    ///     address of one byte), the violation, or nil if the witness does not
    ///     re-check; the verdict is then unknown.
    /// - Throws: `SolverError` on a Z3 error.
    func run(
        _ side: Side,
        sets: [SetContainment.AllowedSet],
        set: (UInt64) -> Int,
        explain: (Int, GuestAddress, MachineAddress) -> Violation?,
        into out: inout ResultBuilder
    ) throws {
        guard out.walkComplete(domain) else { return }
        let (unions, computed) = try RunUnions.shared(domain, side, options: options)
        var outcome = ChunkedQuery.Outcome<SetContainment.Finding>()
        if computed { outcome.absorb(unions.lemma) }
        if let problem = unions.problem {
            outcome.unknownReason = problem
            out.add(outcome, [])
            return
        }
        var items: [SetContainment.Item] = []
        var classOf: [Int] = []
        for (c, cls) in unions.classes.enumerated() {
            for interval in cls.union.intervals {
                items.append(SetContainment.Item(range: interval, set: set(cls.attributeBits), tag: items.count))
                classOf.append(c)
            }
        }
        let contained = try SetContainment(options: options).check(items, sets: sets)
        outcome.absorb(contained)
        outcome.findings = contained.findings
        outcome.limitReached = contained.limitReached
        let runs = domain.decoded.runs
        var violations: [Violation] = []
        for finding in outcome.findings {
            let bits = unions.classes[classOf[finding.tag]].attributeBits
            let k = runs.indices.first { k in
                runs[k].attributeBits == bits && (side == .guest ? runs[k].guest.contains(GuestAddress(finding.witness)) : runs[k].machineRange.contains(MachineAddress(finding.witness)))
            }
            guard let k else {
                outcome.unknownReason = "a Z3 witness lies in no run of \(domain.spec.name) (a defect in p2m-check)"
                violations = []
                break
            }
            let run = runs[k]
            let (g, m): (GuestAddress, MachineAddress)
            switch side {
            case .guest:
                g = GuestAddress(finding.witness)
                m = Translation.translate(g, by: run)
            case .machine:
                m = MachineAddress(finding.witness)
                g = GuestAddress(run.guest.base.rawValue &+ (m.rawValue &- run.machine.rawValue))
            }
            guard run.guest.contains(g), let violation = explain(k, g, m) else {
                outcome.unknownReason = "a Z3 model did not re-check against the tables of \(domain.spec.name)"
                violations = []
                break
            }
            violations.append(violation)
        }
        out.add(outcome, violations)
    }

    /// One allowed set per distinct attribute value among the domain's runs
    /// (a domain has a handful), and the index of the set for each value.
    static func setsByAttributes(of domain: DomainFacts, _ make: (UInt64) -> SetContainment.AllowedSet) -> (sets: [SetContainment.AllowedSet], index: (UInt64) -> Int) {
        var index: [UInt64: Int] = [:]
        var sets: [SetContainment.AllowedSet] = []
        for run in domain.decoded.runs where index[run.attributeBits] == nil {
            index[run.attributeBits] = sets.count
            sets.append(make(run.attributeBits))
        }
        return (sets, { index[$0]! })
    }
}
