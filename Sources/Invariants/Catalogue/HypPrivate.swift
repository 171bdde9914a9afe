import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// `hyp-private`: no guest mapping reaches memory the hypervisor keeps for
/// itself: any domain's page-table pages (as found by the walk), the p2m
/// pools, the xenheap, the hypervisor image, the GIC hypervisor interface
/// (GICH), IOMMUs (Xen never hands an IOMMU node to dom0, whatever the spec
/// says), the hypervisor's console and the devices the spec gives to it.
///
/// Encoding, per domain (`RunContainment` over `SetContainment`, linear in
/// the runs): every run's machine range lies in the allowed set
/// `S(m) = not or_i (m in private_i)`. Z3 checks that Swift's interval form
/// of `S` (the complement of the union of the private regions, which include
/// every page-table page) meets no private region, then each run's
/// containment certificate; a run no interval holds is decided by
/// `m in run_k and not S(m)`, whose model is the witness. Each offending run
/// is reported once.
struct HypPrivate: InvariantProperty {
    static let id = PropertyID.hypPrivate

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        var privateRegions: [RegionReference] = facts.loadRegions.map(\.reference).filter { $0.kind != .bootModule }
        for device in facts.spec.devices where device.role == .gich || device.role == .iommu || MMIOPolicy.owner(of: device, console: facts.spec.hypervisor.console) == .hypervisor {
            guard let pages = device.range.expanded(toAlignment: 4096) else { continue }
            privateRegions.append(RegionReference(name: device.name, kind: .device, range: pages, origin: device.origin))
        }
        let ranges = privateRegions.compactMap(\.range)
        let outside = SetContainment.AllowedSet.outside("memory outside the hypervisor's private regions", ranges)
        for domain in facts.domains {
            try RunContainment(domain: domain, options: options).run(
                .machine, sets: [outside], set: { _ in 0 },
                explain: { k, g, m in
                    guard let hit = privateRegions.first(where: { $0.range?.contains(m) ?? false }) else { return nil }
                    return Violation(
                        property: Self.id,
                        message: "\(domain.spec.name) guest address \(g) reaches machine address \(m) in \(hit.name), which is the hypervisor's",
                        regions: [facts.reference(for: domain.decoded.runs[k], in: domain), hit],
                        machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
                }, into: &out)
        }
        out.notes.append("\(privateRegions.count) private regions")
        return out.result()
    }
}
