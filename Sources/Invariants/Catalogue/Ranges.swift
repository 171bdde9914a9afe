import P2MModel

/// `ranges`: every guest address a leaf maps is below 2^ipa_bits and every
/// machine address below 2^pa_bits; the walk is well formed: every table
/// page lies in the domain's p2m pool and is reached through one descriptor
/// only (no sharing, no loops), no descriptor has must-be-zero bits set, and
/// no descriptor uses a reserved encoding.
///
/// Encoding, per domain, three queries:
/// 1. leaves (`RunSearch`): `bad_k` is `g >=u 2^ipa or m_k(g) >=u 2^pa or
///    (a_k & reserved) != 0` with `a_k` the run's attribute bits;
/// 2. table pages: variable `t`; `or_i (t in page_i and not t in pool)` or
///    `sum_i ite(t in page_i, 1, 0) >= 2` (a page listed twice was reached
///    twice);
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
            out.add(try RunSearch(domain: domain, options: options).run(
                bad: { d, k, g, m in
                    let a = try d.terms.constant(d.runs[k].attributeBits)
                    return try Formula.or([
                        try g.uge(try d.terms.constant(ipaLimit)),
                        try m.uge(try d.terms.constant(paLimit)),
                        try (try a.and(try d.terms.constant(Stage2Descriptor.reservedMask))).notEquals(try d.terms.constant(0)),
                    ], in: d.context)
                },
                explain: { k, g, m in
                    let run = domain.decoded.runs[k]
                    let why: String
                    if g.rawValue >= ipaLimit { why = "guest address \(g) is beyond the \(facts.spec.ipaBits)-bit IPA size (the MMU faults there)" }
                    else if m.rawValue >= paLimit { why = "machine address \(m) is beyond the \(facts.spec.paBits)-bit PA size" }
                    else if run.attributeBits & Stage2Descriptor.reservedMask != 0 { why = "leaf descriptor has reserved bits \(Hex.format(run.attributeBits & Stage2Descriptor.reservedMask)) set" }
                    else { return nil }
                    return Violation(property: Self.id, message: "\(domain.spec.name): \(why)",
                                     regions: [facts.reference(for: run, in: domain), facts.attribute(m)],
                                     machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
                }))
            out.add(try tablePages(domain, facts: facts, options: options))
            out.add(try anomalies(domain, facts: facts, options: options))
        }
        return out.result()
    }

    private func tablePages(_ domain: DomainFacts, facts: SystemFacts, options: CheckOptions) throws -> (Verdict, Int) {
        let pages = domain.decoded.tablePages.map { AddressRange(uncheckedBase: $0.address, size: 4096) }
        guard !pages.isEmpty else { return (.proved, 0) }
        let context = try Z3Context.forCheck()
        let terms = RangeTerms(context: context)
        let t = try terms.variable("t")
        let inPool = try domain.pool.map { try terms.contains($0, t) } ?? context.falseFormula
        let one = try context.bitVector(1, width: 32)
        let zero = try context.bitVector(0, width: 32)
        var count = zero
        var outside: [Formula] = []
        for page in pages {
            let inside = try terms.contains(page, t)
            count = try count + (try Formula.ite(inside, one, zero))
            outside.append(try Formula.and([inside, try inPool.negated()]))
        }
        let solver = try Z3Solver(context: context)
        try solver.assert(try Formula.or([try Formula.or(outside, in: context), try count.uge(try context.bitVector(2, width: 32))], in: context))
        var search = ViolationSearch(solver: solver, options: options)
        let outcome = try search.run { model in
            let w = MachineAddress(try model.value(of: t))
            let hits = pages.indices.filter { pages[$0].contains(w) }
            guard let first = hits.first else { return nil }
            let outsidePool = !(domain.pool?.contains(w) ?? false)
            guard outsidePool || hits.count >= 2 else { return nil }
            let page = RegionReference(name: "\(domain.spec.name) table page \(pages[first].base)", kind: .tablePage, range: pages[first], origin: domain.spec.poolOrigin)
            let other = outsidePool ? facts.attribute(w)
                : RegionReference(name: "a second descriptor pointing at it", kind: .tablePage, range: pages[first], origin: domain.spec.poolOrigin)
            let message = outsidePool ? "\(domain.spec.name): table page \(pages[first].base) is outside its p2m pool" : "\(domain.spec.name): table page \(pages[first].base) is reached through \(hits.count) descriptors (shared or looped)"
            let violation = Violation(property: Self.id, message: message, regions: [page, other], machineWitnesses: [w], domain: domain.spec.name)
            return .init(violation: violation, block: try terms.contains(pages[first], t))
        }
        return (search.verdict(outcome), search.queries)
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
        let context = try Z3Context.forCheck()
        let i = try context.bitVectorVariable("i", width: 32)
        var cases: [Formula] = []
        for (j, f) in flagged.enumerated() {
            let value = try context.bitVector(f.value)
            let bad = f.isBits
                ? try (try value.and(try context.bitVector(Stage2Descriptor.reservedMask))).notEquals(try context.bitVector(0))
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
