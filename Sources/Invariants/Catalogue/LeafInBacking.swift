import P2MModel

/// `leaf-in-backing`: every byte a leaf maps (1 GiB and 2 MiB blocks
/// included) lies in what backs a mapping of its type: a RAM-typed leaf in a
/// RAM bank outside every device window (and, for a domain with static
/// memory, inside its static banks or its declared shared memory); an
/// MMIO-typed leaf in a device window (whole pages). Catches blocks that
/// overreach a bank end and mappings of memory that is not there.
///
/// Encoding, per domain (`RunSearch`): `bad_k(m)` is `not back_T(m)` where
/// `T` is run `k`'s p2m type and `back_T` the disjunction of range membership
/// over the backing of that type; the query `or_k (g in run_k and bad_k(m_k(g)))`
/// is satisfiable exactly when some mapped byte lies outside its backing.
/// Checking every byte of the union is equivalent to "each leaf lies in the
/// union", and a leaf may span two banks that touch, as the hardware allows.
struct LeafInBacking: InvariantProperty {
    static let id = PropertyID.leafInBacking

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        let devices = facts.devicePages
        let ram = facts.spec.ram.map(\.range)
        for domain in facts.domains {
            let own: [AddressRange<MachineAddress>]? = domain.spec.staticMemory.isEmpty ? nil
                : domain.spec.staticMemory.map(\.range) + facts.spec.sharedMemory.filter { r in r.domains.contains { $0.domain == domain.spec.name } }.map(\.range)
            func backed(_ run: TranslationRun, _ m: MachineAddress) -> Bool {
                if run.isMMIOMapping { return devices.contains { $0.contains(m) } }
                guard run.isRAMMapping else { return false }
                return ram.contains { $0.contains(m) } && !devices.contains { $0.contains(m) } && (own?.contains { $0.contains(m) } ?? true)
            }
            out.add(try RunSearch(domain: domain, options: options).run(
                bad: { d, k, _, m in
                    let run = d.runs[k]
                    if run.isMMIOMapping { return try d.inAny(devices, m).negated() }
                    guard run.isRAMMapping else { return d.context.trueFormula }
                    var backing = [try d.inAny(ram, m), try d.inAny(devices, m).negated()]
                    if let own { backing.append(try d.inAny(own, m)) }
                    return try Formula.and(backing).negated()
                },
                explain: { k, g, m in
                    let run = domain.decoded.runs[k]
                    guard !backed(run, m) else { return nil }
                    let leaves = domain.decoded.leaves[run.firstLeaf..<(run.firstLeaf + run.leafCount)]
                    guard let leaf = leaves.first(where: { $0.guest.contains(g) }) else { return nil }
                    let kind = leaf.level == .three ? "4K page" : (leaf.level == .two ? "2M block" : "1G block")
                    let type = leaf.descriptor.p2mType.map(\.description) ?? "unknown type"
                    let backing = run.isMMIOMapping ? "any device window" : (own == nil ? "RAM" : "\(domain.spec.name)'s static or shared memory")
                    return Violation(
                        property: Self.id,
                        message: "\(domain.spec.name): \(type) \(kind) guest \(leaf.guest) -> machine \(leaf.machineRange) leaves \(backing): machine address \(m) is \(facts.attribute(m).name)",
                        regions: [facts.reference(for: run, in: domain), facts.attribute(m)],
                        machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
                }))
        }
        return out.result()
    }
}
