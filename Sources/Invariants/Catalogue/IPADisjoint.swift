import Hypervisor
import P2MModel

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
/// Encoding, per domain: variable `g`; `ram(g)`, `mmio(g)`, `emu(g)` are the
/// disjunctions of range membership over each kind; the query is
/// `ite(ram,1,0) + ite(mmio,1,0) + ite(emu,1,0) >= 2`, satisfiable exactly
/// when some guest address belongs to two kinds. Each model is re-checked in
/// Swift and the pair of regions blocked.
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
            let context = try Z3Context.forCheck()
            let terms = RangeTerms(context: context)
            let g = try terms.variable("g")
            var kindFormulas: [Formula] = []
            for kind in 0..<3 {
                kindFormulas.append(try Formula.or(regions.filter { $0.kind == kind }.map { try terms.contains($0.guest, g) }, in: context))
            }
            let one = try context.bitVector(1, width: 2)
            let zero = try context.bitVector(0, width: 2)
            var count = zero
            for f in kindFormulas { count = try count + (try Formula.ite(f, one, zero)) }
            let solver = try Z3Solver(context: context)
            try solver.assert(try count.uge(try context.bitVector(2, width: 2)))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let w = GuestAddress(try model.value(of: g))
                let hits = regions.filter { $0.guest.contains(w) }
                guard let first = hits.first, let second = hits.first(where: { $0.kind != first.kind }) else { return nil }
                let violation = Violation(
                    property: Self.id,
                    message: "\(domain.spec.name): guest address \(w) is both \(first.reference.name) and \(second.reference.name)",
                    regions: [first.reference, second.reference], guestWitnesses: [w], domain: domain.spec.name)
                return .init(violation: violation, block: try Formula.and([try terms.contains(first.guest, g), try terms.contains(second.guest, g)]))
            }
            out.add((search.verdict(outcome), search.queries))
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
