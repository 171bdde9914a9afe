import Hypervisor
import P2MModel

/// `hyp-private`: no guest mapping reaches memory the hypervisor keeps for
/// itself: any domain's page-table pages (as found by the walk), the p2m
/// pools, the xenheap, the hypervisor image, the GIC hypervisor interface
/// (GICH), IOMMUs (Xen never hands an IOMMU node to dom0, whatever the spec
/// says), the hypervisor's console and the devices the spec gives to it.
///
/// Encoding, per domain (`RunSearch`): `or_k (g in run_k and
/// or_i (m_k(g) in private_i))` with `m_k(g) = g - gbase_k + mbase_k`. It is
/// satisfiable exactly when some guest address of the domain translates into
/// a private region. Each offending run is reported once.
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
        for domain in facts.domains {
            out.add(try RunSearch(domain: domain, options: options).run(
                bad: { d, _, _, m in try d.inAny(ranges, m) },
                explain: { k, g, m in
                    guard let hit = privateRegions.first(where: { $0.range?.contains(m) ?? false }) else { return nil }
                    return Violation(
                        property: Self.id,
                        message: "\(domain.spec.name) guest address \(g) reaches machine address \(m) in \(hit.name), which is the hypervisor's",
                        regions: [facts.reference(for: domain.decoded.runs[k], in: domain), hit],
                        machineWitnesses: [m], guestWitnesses: [g], domain: domain.spec.name)
                }))
        }
        out.notes.append("\(privateRegions.count) private regions")
        return out.result()
    }
}
