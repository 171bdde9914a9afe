import P2MModel
import Stage2Decoder
import Z3

/// `ranges`: every guest address a leaf maps is below 2^ipa_bits and every
/// machine address below 2^pa_bits; the walk is well formed: every table
/// page lies in the domain's p2m pool and is reached through one descriptor
/// only (no sharing, no loops), no descriptor has must-be-zero bits set, and
/// no descriptor uses a reserved encoding.
///
/// Encoding, per domain, three queries:
/// 1. leaves (`RunContainment` over `SetContainment`, linear in the runs):
///    each run's guest range lies in `G(g) = g <u 2^ipa`, and its machine
///    range in `M_a(m) = m <u 2^pa and (a & reserved) == 0` with `a` the
///    run's attribute bits (one set per distinct value);
/// 2. table pages: the sorted-order certificate that they are pairwise
///    disjoint (a page listed twice was reached twice), and the containment
///    certificate that they lie in the pool, with the exact query
///    `or_i (t in page_i and not t in pool)` over the pages it cannot certify
///    (see `tablePages`);
/// 3. other descriptors the walk flagged (table descriptors with reserved
///    bits, reserved encodings): variable `i`; `or_j (i == j and bad_j)` with
///    `bad_j` the rule over that descriptor's bits as constants.
/// Each is satisfiable exactly when the tables break the rule.
struct Ranges: InvariantProperty {
    static let id = PropertyID.ranges

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        let ipaLimit = UInt64(1) << UInt64(facts.spec.ipaBits)
        let paLimit = UInt64(1) << UInt64(facts.spec.paBits)
        for domain in facts.domains {
            let explain = { (k: Int, g: GuestAddress, m: MachineAddress) -> Violation? in
                let run = domain.decoded.runs[k]
                let why: String
                if g.rawValue >= ipaLimit { why = "guest address \(g) is beyond the \(facts.spec.ipaBits)-bit IPA size (the MMU faults there)" }
                else if m.rawValue >= paLimit { why = "machine address \(m) is beyond the \(facts.spec.paBits)-bit PA size" }
                else if run.attributeBits & Stage2Descriptor.reservedMask != 0 { why = "leaf descriptor has reserved bits \(Hex.format(run.attributeBits & Stage2Descriptor.reservedMask)) set" }
                else { return nil }
                return Violation(property: Self.id, message: "\(domain.spec.name): \(why)",
                                 regions: [facts.reference(for: run, in: domain), facts.attribute(m)],
                                 machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
            }
            let check = RunContainment(domain: domain, options: options)
            let guestSpace = SetContainment.AllowedSet(
                name: "the \(facts.spec.ipaBits)-bit IPA space",
                definition: { terms, g in try g.ult(try terms.constant(ipaLimit)) },
                intervals: IntervalSet([ClosedInterval(first: 0, last: ipaLimit - 1)]))
            try check.run(.guest, sets: [guestSpace], set: { _ in 0 }, explain: explain, into: &out)
            let machineSpace = IntervalSet([ClosedInterval(first: 0, last: paLimit - 1)])
            let (sets, setIndex) = RunContainment.setsByAttributes(of: domain) { bits in
                SetContainment.AllowedSet(
                    name: "what a leaf with attribute bits \(Hex.format(bits)) may map in the \(facts.spec.paBits)-bit PA space",
                    definition: { terms, m in
                        try Formula.and([
                            try m.ult(try terms.constant(paLimit)),
                            try (try terms.constant(bits).and(try terms.constant(Stage2Descriptor.reservedMask))).equals(try terms.constant(0)),
                        ])
                    },
                    intervals: bits & Stage2Descriptor.reservedMask != 0 ? .empty : machineSpace)
            }
            try check.run(.machine, sets: sets, set: setIndex, explain: explain, into: &out)
            let tables = try tablePages(domain, facts: facts, options: options, out: &out)
            out.add(tables)
            out.add(try anomalies(domain, facts: facts, options: options))
        }
        return out.result()
    }

    /// Table pages, with encodings linear in their number: (a) pairwise
    /// disjoint, so that no page is reached through two descriptors (a page
    /// the walk listed twice overlaps itself): the sorted-order certificate
    /// (`SortedDisjointness`); (b) inside the domain's pool: the containment
    /// certificate (`IntervalContainment`), and for the pages it cannot
    /// certify the exact query `or_i (t in page_i and not t in pool)`.
    /// Counts the certificates' queries, time and terms into `out`; returns the verdict and the
    /// queries of the exact search.
    private func tablePages(_ domain: DomainFacts, facts: SystemFacts, options: CheckOptions, out: inout ResultBuilder) throws -> (Verdict, Int) {
        let pages = domain.decoded.tablePages.map { AddressRange(uncheckedBase: $0.address, size: 4096) }
        guard !pages.isEmpty else { return (.proved, 0) }
        func page(_ i: Int) -> RegionReference {
            RegionReference(name: "\(domain.spec.name) table page \(pages[i].base)", kind: .tablePage, range: pages[i], origin: domain.spec.poolOrigin)
        }
        let tagged = pages.indices.map { TaggedRange(range: pages[$0], tag: $0) }
        var queries = 0
        var violations: [Violation] = []
        var unknown: String?

        let reached = try SortedDisjointness<MachineAddress>(options: options).check(tagged)
        out.count(reached)
        unknown = reached.unknownReason ?? unknown
        for overlap in reached.findings {
            violations.append(Violation(
                property: Self.id,
                message: "\(domain.spec.name): table page \(pages[overlap.first].base) is reached through more than one descriptor (shared or looped)",
                regions: [page(overlap.first), RegionReference(name: "a second descriptor pointing at it", kind: .tablePage, range: pages[overlap.second], origin: domain.spec.poolOrigin)],
                machineWitnesses: [overlap.witness], domain: domain.spec.name))
        }

        var outside = Set(pages.indices)
        if let pool = domain.pool {
            let containment = try IntervalContainment<MachineAddress>(options: options).check(tagged, allowed: [pool])
            out.count(containment.certified)
            unknown = containment.certified.unknownReason ?? unknown
            if !containment.certified.findings.isEmpty { unknown = "a containment claim for \(domain.spec.name)'s table pages did not hold in Z3" }
            outside = containment.uncertified
        }
        if !outside.isEmpty {
            let context = try Z3Context.forCheck()
            let terms = RangeTerms(context: context)
            let t = try terms.variable("t")
            let inPool = try domain.pool.map { try terms.contains($0, t) } ?? context.falseFormula
            let candidates = outside.sorted()
            let bad = try candidates.map { try Formula.and([try terms.contains(pages[$0], t), try inPool.negated()]) }
            let solver = try Z3Solver(context: context)
            try solver.assert(try Formula.or(bad, in: context))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let w = MachineAddress(try model.value(of: t))
                guard let k = candidates.indices.first(where: { pages[candidates[$0]].contains(w) }),
                      !(domain.pool?.contains(w) ?? false) else { return nil }
                let violation = Violation(
                    property: Self.id, message: "\(domain.spec.name): table page \(pages[candidates[k]].base) is outside its p2m pool",
                    regions: [page(candidates[k]), facts.attribute(w)], machineWitnesses: [w], domain: domain.spec.name)
                return .init(violation: violation, block: bad[k])
            }
            queries += search.queries
            switch search.verdict(outcome) {
            case .violated(let found): violations += found
            case .unknown(let reason): unknown = reason
            case .proved: break
            }
        }
        if !violations.isEmpty { return (.violated(violations), queries) }
        if let unknown { return (.unknown(reason: unknown), queries) }
        return (.proved, queries)
    }

    private func anomalies(_ domain: DomainFacts, facts: SystemFacts, options: CheckOptions) throws -> (Verdict, Int) {
        var flagged: [(anomaly: WalkAnomaly, address: MachineAddress, value: UInt64, isBits: Bool)] = []
        for a in domain.decoded.anomalies {
            switch a {
            case .reservedBitsSet(let address, let bits): flagged.append((a, address, bits, true))
            case .reservedEncoding(let address, let level, _): flagged.append((a, address, UInt64(level.rawValue), false))
            case .tablePageSharedOrLooped, .walkBudgetExceeded: continue
            }
        }
        guard !flagged.isEmpty else { return (.proved, 0) }
        // Must-be-zero bits: Xen's, plus on ARMv7 LPAE the output-address bits 47:40 its MMU ignores.
        let outputBits = UInt64(Stage2Decoder.outputAddressBits(for: facts.spec.architecture))
        let mustBeZero = Stage2Descriptor.reservedMask | (Stage2Descriptor.outputAddressMask & ~((UInt64(1) << outputBits) - 1))
        let context = try Z3Context.forCheck()
        let i = try context.bitVectorVariable("i", width: 32)
        var cases: [Formula] = []
        for (j, f) in flagged.enumerated() {
            let value = try context.bitVector(f.value)
            let bad = f.isBits
                ? try (try value.and(try context.bitVector(mustBeZero))).notEquals(try context.bitVector(0))
                : try Formula.or([try value.equals(try context.bitVector(0)), try value.equals(try context.bitVector(3))], in: context)
            cases.append(try Formula.and([try i.equals(try context.bitVector(UInt64(j), width: 32)), bad]))
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try Formula.or(cases, in: context))
        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let j = Int(try model.value(of: i))
            guard flagged.indices.contains(j) else { return nil }
            let f = flagged[j]
            let violation = Violation(
                property: Self.id, message: "\(domain.spec.name): \(f.anomaly)",
                regions: [RegionReference(name: "\(domain.spec.name) descriptor at \(f.address)", kind: .tablePage, range: AddressRange(uncheckedBase: f.address, size: 8), origin: domain.spec.poolOrigin), facts.attribute(f.address)],
                machineWitnesses: [f.address], domain: domain.spec.name)
            return .init(violation: violation, block: cases[j])
        }
        return (search.verdict(outcome), search.queries)
    }
}
