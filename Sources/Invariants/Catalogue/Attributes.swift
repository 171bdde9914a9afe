import P2MModel
import Stage2Decoder
import Z3

/// `attributes`: each leaf's attributes fit what it maps and its p2m type.
///
/// - A leaf reaching a device window must have a direct-MMIO type, be
///   execute-never, and carry its type's MemAttr: Device (MemAttr[3:2] = 0)
///   for `p2m_mmio_direct_dev`, Normal non-cacheable (0x5) for `_nc`, Normal
///   write-back (0xF) for `_c`. (Xen maps dom0's device-tree MMIO as
///   `p2m_mmio_direct_c`, Normal write-back at stage 2 so that dom0's stage-1
///   attributes decide; that is accepted, executable or RAM-typed MMIO is not.)
/// - A leaf reaching RAM must have a RAM-like type (ram, foreign, grant, IOMMU)
///   and be Normal write-back, inner shareable.
/// - Every leaf: readable, access flag set; read-only types not writable;
///   foreign, grant and IOMMU pages execute-never.
///
/// Encoding, per domain (`RunContainment` over `SetContainment`, linear in
/// the runs): runs are grouped by their attribute bits `a` (a domain has a
/// handful of distinct values). For each `a`, the allowed set is
/// `S_a(m) = not bad(a, m)`: `a` is a 64-bit constant, fields are `extract`s
/// of it (type 58:55, XN 54, AF 10, SH 9:8, S2AP 7:6, MemAttr 5:2), and
/// `device(m)`, `ram(m)` classify the machine address; `bad` is the
/// disjunction of the rules above negated. Z3 checks Swift's interval form
/// of each `S_a` (from `problem`, the same rules in Swift) against that
/// definition, so the two statements of the rules are checked against each
/// other; then each run's containment certificate. A run no interval holds is
/// decided by `m in run_k and not S_a(m)`, whose model is the witness.
struct Attributes: InvariantProperty {
    static let id = PropertyID.attributes

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        let devices = facts.devicePages
        let ram = facts.spec.ram.map(\.range)
        let deviceSet = IntervalSet(devices)
        let ramSet = IntervalSet(ram).subtracting(deviceSet)
        let otherSet = deviceSet.union(ramSet).complement
        for domain in facts.domains {
            let (sets, setIndex) = RunContainment.setsByAttributes(of: domain) { bits in
                var allowed = IntervalSet.empty
                if Self.problem(bits, reachesDevice: true, reachesRAM: false) == nil { allowed = allowed.union(deviceSet) }
                if Self.problem(bits, reachesDevice: false, reachesRAM: true) == nil { allowed = allowed.union(ramSet) }
                if Self.problem(bits, reachesDevice: false, reachesRAM: false) == nil { allowed = allowed.union(otherSet) }
                return SetContainment.AllowedSet(
                    name: "the machine memory attributes \(Hex.format(bits)) may map",
                    definition: { terms, m in try Self.bad(bits, at: m, devices: devices, ram: ram, terms: terms).negated() },
                    intervals: allowed)
            }
            try RunContainment(domain: domain, options: options).run(
                .machine, sets: sets, set: setIndex,
                explain: { k, g, m in
                    let run = domain.decoded.runs[k]
                    guard let problem = Self.problem(run.attributeBits, reachesDevice: devices.contains { $0.contains(m) }, reachesRAM: ram.contains { $0.contains(m) }) else { return nil }
                    return Violation(
                        property: Self.id,
                        message: "\(domain.spec.name) guest address \(g) -> \(m) (\(facts.attribute(m).name)): \(problem)",
                        regions: [facts.reference(for: run, in: domain), facts.attribute(m)],
                        machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
                }, into: &out)
        }
        return out.result()
    }

    /// `bad(a, m)`: the rules above, negated, over the attribute bits `a`
    /// (a constant) of a leaf that reaches machine address `m`.
    static func bad(_ bits: UInt64, at m: BitVector, devices: [AddressRange<MachineAddress>], ram: [AddressRange<MachineAddress>], terms: RangeTerms) throws -> Formula {
        let context = terms.context
        let a = try terms.constant(bits)
        func type(_ values: [UInt64]) throws -> Formula {
            try Formula.or(values.map { try a.field(high: 58, low: 55, equals: $0) }, in: context)
        }
        let xn = try a.field(high: 54, low: 54, equals: 1)
        let memAttr = { (v: UInt64) throws -> Formula in try a.field(high: 5, low: 2, equals: v) }
        let mmioOK = try Formula.or([
            try Formula.and([try type([3]), try a.field(high: 5, low: 4, equals: 0)]),
            try Formula.and([try type([4]), try memAttr(0x5)]),
            try Formula.and([try type([5]), try memAttr(0xF)]),
        ], in: context)
        let deviceRule = try Formula.and([mmioOK, xn])
        let ramRule = try Formula.and([try type([1, 2, 6, 7, 8, 9, 10, 11]), try memAttr(0xF), try a.field(high: 9, low: 8, equals: 3)])
        let common = try Formula.and([
            try a.field(high: 6, low: 6, equals: 1), try a.field(high: 10, low: 10, equals: 1),
            try Formula.or([try type([2, 7, 9, 11]).negated(), try a.field(high: 7, low: 7, equals: 0)], in: context),
            try Formula.or([try type([6, 7, 8, 9, 10, 11]).negated(), xn], in: context),
        ])
        let isDevice = try terms.inAny(devices, m)
        let isRAM = try Formula.and([try terms.inAny(ram, m), try isDevice.negated()])
        return try Formula.or([
            try Formula.and([isDevice, try deviceRule.negated()]),
            try Formula.and([isRAM, try ramRule.negated()]),
            try common.negated(),
        ], in: context)
    }

    /// The rule a leaf with attribute bits `bits` breaks, computed in Swift
    /// (it gives the interval form of the allowed sets and re-checks Z3's models).
    static func problem(_ bits: UInt64, reachesDevice: Bool, reachesRAM: Bool) -> String? {
        let d = Stage2Descriptor(rawValue: bits)
        let what = "mapped as \(d.p2mType.map(\.description) ?? "unknown type \(d.softwareTypeField)") \(d.memoryAttribute) \(d.access)"
        let type = d.p2mType
        if reachesDevice {
            let memOK: Bool
            switch type {
            case .mmioDirectDevice: memOK = d.memoryAttribute.isDevice
            case .mmioDirectNonCacheable: memOK = d.memoryAttribute == .normalNonCacheable
            case .mmioDirectCacheable: memOK = d.memoryAttribute.isNormalWriteBack
            default: memOK = false
            }
            if !memOK { return "device memory \(what): not an MMIO type with its memory attribute" }
            if !d.access.executeNever { return "device memory \(what): executable" }
        } else if reachesRAM {
            let ramLike = type.map { !$0.isMMIO && $0 != .invalid } ?? false
            if !ramLike || !d.memoryAttribute.isNormalWriteBack || d.shareability != .inner {
                return "RAM \(what), \(d.shareability): not RAM-typed Normal write-back inner-shareable"
            }
        }
        if !d.access.read || !d.accessFlag { return "\(what): not readable or access flag clear" }
        if let type, [.ramReadOnly, .foreignReadOnly, .grantReadOnly, .iommuReadOnly].contains(type), d.access.write { return "\(what): writable read-only type" }
        if let type, (6...11).contains(type.rawValue), !d.access.executeNever { return "\(what): executable foreign/grant page" }
        return nil
    }
}
