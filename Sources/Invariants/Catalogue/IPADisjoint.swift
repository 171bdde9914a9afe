import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// `ipa-disjoint`: in each guest address space, RAM, MMIO and the windows
/// the hypervisor emulates do not overlap.
///
/// Three kinds of guest region, each the union of what the tables map and
/// what the domain is told:
/// - RAM: runs mapped with a RAM-like p2m type, and the banks of the
///   domain's device-tree `/memory` node;
/// - MMIO: runs mapped with a direct-MMIO type, and the device nodes of the
///   domain's device tree (1:1 devices of the hardware domain, passthrough);
/// - emulated: the vGIC distributor/redistributors, grant-table and magic
///   windows (`GuestLayout.emulatedRegions`), which must not be mapped at all.
///
/// Encoding, per domain (`ClassDisjointness`, linear in the regions): the
/// three kinds are classes; Z3 checks that each region lies in its kind's
/// union as Swift computed it and that the union intervals of all kinds,
/// sorted, form a strictly increasing chain; both unsat exactly when no guest
/// address belongs to two kinds. A failed chain link's witness is re-checked
/// in Swift against a region of each kind.
struct IPADisjoint: InvariantProperty {
    static let id = PropertyID.ipaDisjoint

    struct GuestRegion {
        var kind: Int  // 0 RAM, 1 MMIO, 2 emulated
        var guest: AddressRange<GuestAddress>
        var reference: RegionReference
    }

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        for domain in facts.domains {
            guard out.walkComplete(domain) else { continue }
            let regions = Self.regions(of: domain, facts: facts)
            let items = regions.indices.compactMap { i in
                ClosedInterval(regions[i].guest).map { ClassDisjointness.Item(range: $0, kind: regions[i].kind, tag: i) }
            }
            let outcome = try ClassDisjointness(options: options).check(items)
            let violations = outcome.findings.map { overlap in
                let (first, second) = (regions[overlap.first], regions[overlap.second])
                let w = GuestAddress(overlap.witness)
                return Violation(
                    property: Self.id,
                    message: "\(domain.spec.name): guest address \(w) is both \(first.reference.name) and \(second.reference.name)",
                    regions: [first.reference, second.reference], guestWitnesses: [w], domain: domain.spec.name)
            }
            out.add(outcome, violations)
            out.notes.append("\(domain.spec.name): \(regions.count) guest regions (\(domain.emulated.count) emulated)")
        }
        return out.result()
    }

    static func regions(of domain: DomainFacts, facts: SystemFacts) -> [GuestRegion] {
        var regions: [GuestRegion] = []
        for run in domain.decoded.runs {
            let kind = run.isRAMMapping ? 0 : (run.isMMIOMapping ? 1 : nil)
            guard let kind else { continue }
            regions.append(GuestRegion(kind: kind, guest: run.guest, reference: facts.reference(for: run, in: domain)))
        }
        for bank in domain.deviceTreeMemory {
            regions.append(GuestRegion(kind: 0, guest: bank, reference: RegionReference(
                name: "\(domain.spec.name) device-tree memory \(bank)", kind: .guestRAM, range: nil, guestRange: bank, origin: domain.deviceTreeMemoryOrigin)))
        }
        for node in domain.deviceNodes {
            regions.append(GuestRegion(kind: 1, guest: node.guest, reference: RegionReference(
                name: "\(domain.spec.name) device node \(node.device.name) \(node.guest)", kind: .device, range: node.device.range, guestRange: node.guest, origin: node.device.origin)))
        }
        for e in domain.emulated {
            regions.append(GuestRegion(kind: 2, guest: e.guest, reference: RegionReference(
                name: "\(domain.spec.name) emulated \(e.kind.rawValue) window \(e.guest)", kind: .emulated, range: nil, guestRange: e.guest, origin: domain.spec.origin)))
        }
        return regions
    }
}
