import P2MModel
import Stage2Decoder
import Z3

/// `leaf-in-backing`: every byte a leaf maps (1 GiB and 2 MiB blocks
/// included) lies in what backs a mapping of its type: a RAM-typed leaf in a
/// RAM bank outside every device window (and, for a domain with static
/// memory, inside its static banks or its declared shared memory); an
/// MMIO-typed leaf in a device window (whole pages). Catches blocks that
/// overreach a bank end and mappings of memory that is not there.
///
/// Encoding, per domain (`RunContainment` over `SetContainment`, linear in
/// the runs): each run's machine range lies in the backing of its type,
/// defined for Z3 as `back_MMIO(m) = or_i (m in device_i)`,
/// `back_RAM(m) = or_b (m in ram_b) and not back_MMIO(m) [and or_s (m in own_s)]`
/// and `back(m) = false` for any other type. Z3 checks Swift's interval
/// forms of those sets against the definitions, then each run's containment
/// certificate; a run no interval holds is decided by
/// `m in run_k and not back_T(m)`, whose model is the witness. Checking every
/// byte is equivalent to "each leaf lies in the union", so a leaf may span
/// two banks that touch, as the hardware allows.
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
            let deviceSet = IntervalSet(devices)
            var ramSet = IntervalSet(ram).subtracting(deviceSet)
            if let own { ramSet = ramSet.intersection(IntervalSet(own)) }
            let sets = [
                SetContainment.AllowedSet.union("the device windows (backing of MMIO-typed leaves)", devices),
                SetContainment.AllowedSet(name: "\(domain.spec.name)'s backing of RAM-typed leaves", definition: { terms, m in
                    var backing = [try terms.inAny(ram, m), try terms.inAny(devices, m).negated()]
                    if let own { backing.append(try terms.inAny(own, m)) }
                    return try Formula.and(backing)
                }, intervals: ramSet),
                SetContainment.AllowedSet.union("the backing of leaves of no p2m type (none)", [AddressRange<MachineAddress>]()),
            ]
            try RunContainment(domain: domain, options: options).run(
                .machine, sets: sets, set: { TranslationRun.isMMIOMapping($0) ? 0 : (TranslationRun.isRAMMapping($0) ? 1 : 2) },
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
                }, into: &out)
        }
        return out.result()
    }
}
