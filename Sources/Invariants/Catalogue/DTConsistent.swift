import P2MModel
import Stage2Decoder
import Z3

/// `dt-consistent`: the device tree a domain boots with describes exactly
/// what its tables map: every byte of its `/memory` banks is mapped as RAM
/// and every RAM mapping is in a `/memory` bank; every byte of its device
/// nodes is mapped as MMIO and every MMIO mapping lies in (the pages of) a
/// device node. The `/memory` banks are the spec's `device_tree_memory` when
/// given (a device tree supplied by the bootloader or user), else the node
/// Xen generates; device nodes are the hardware domain's 1:1 devices and any
/// domain's passthrough regions.
///
/// Encoding, per domain, linear in the runs:
/// 1. every run's guest range lies in its allowed set (`RunContainment`):
///    RAM runs in `mem(g)`, the `/memory` banks; MMIO runs in
///    `nodePages(g)`, the whole pages of the device nodes; other runs
///    anywhere (`true`);
/// 2. every `/memory` bank is covered by RAM runs, and every device node's
///    exact range by MMIO runs: the chain certificate (`Covering`), with an
///    exact query where the cover stops.
/// Together they are unsat exactly when `(mem and not ram) or (ram and not
/// mem) or (node and not mmio) or (mmio and not nodePages)` is, i.e. when the
/// description and the tables agree everywhere. Witnesses are re-checked in
/// Swift; each run, bank or node that differs is reported once.
struct DTConsistent: InvariantProperty {
    static let id = PropertyID.dtConsistent

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        for domain in facts.domains {
            guard out.walkComplete(domain) else { continue }
            let memory = domain.deviceTreeMemory
            let nodes = domain.deviceNodes.map(\.guest)
            let nodePages = nodes.compactMap { $0.expanded(toAlignment: 4096) }
            let runs = domain.decoded.runs
            let treeOrigin = domain.deviceTreeMemoryOrigin
            let sets = [
                SetContainment.AllowedSet.union("\(domain.spec.name)'s device-tree /memory", memory),
                SetContainment.AllowedSet.union("\(domain.spec.name)'s device-node pages", nodePages),
                SetContainment.AllowedSet(name: "any guest address", definition: { terms, _ in terms.context.trueFormula }, intervals: .all),
            ]
            try RunContainment(domain: domain, options: options).run(
                .guest, sets: sets, set: { TranslationRun.isRAMMapping($0) ? 0 : (TranslationRun.isMMIOMapping($0) ? 1 : 2) },
                explain: { k, w, _ in
                    let run = runs[k]
                    if run.isRAMMapping, !memory.contains(where: { $0.contains(w) }) {
                        return Violation(
                            property: Self.id,
                            message: "\(domain.spec.name) has RAM mapped at guest address \(w) that its device tree's /memory does not list",
                            regions: [facts.reference(for: run, in: domain), RegionReference(name: "\(domain.spec.name) /memory node", kind: .guestRAM, range: nil, origin: treeOrigin)],
                            guestWitnesses: [w], domain: domain.spec.name)
                    }
                    if run.isMMIOMapping, !nodePages.contains(where: { $0.contains(w) }) {
                        return Violation(
                            property: Self.id,
                            message: "\(domain.spec.name) has MMIO mapped at guest address \(w) that no device node of its device tree describes",
                            regions: [facts.reference(for: run, in: domain), RegionReference(name: "\(domain.spec.name) device nodes", kind: .device, range: nil, origin: domain.spec.origin)],
                            guestWitnesses: [w], domain: domain.spec.name)
                    }
                    return nil
                }, into: &out)

            /// What the tables map at `w`, for messages, and its region: the run,
            /// or the unmapped guest range between the runs around `w`.
            func mapping(at w: GuestAddress) -> (String, RegionReference) {
                if let k = Translation.run(containing: w, in: runs) {
                    return ("mapped as \(runs[k].p2mType?.description ?? "?")", facts.reference(for: runs[k], in: domain))
                }
                let first = runs.last { $0.guest.base < w }.flatMap { $0.guest.end } ?? GuestAddress(0)
                let last = runs.first { $0.guest.base > w }.map { GuestAddress($0.guest.base.rawValue - 1) } ?? GuestAddress(.max)
                let hole = first <= last && !(first.rawValue == 0 && last.rawValue == .max) ? AddressRange(first: first, last: last) : nil
                return ("not mapped", RegionReference(
                    name: "\(domain.spec.name) unmapped guest range \(hole.map(\.description) ?? "(whole space)")",
                    kind: .guestMapping, range: nil, guestRange: hole, origin: domain.spec.origin))
            }
            let banks = try Covering(options: options).check(
                memory.indices.compactMap { i in ClosedInterval(memory[i]).map { Covering.Target(range: $0, tag: i) } },
                pieces: runs.filter(\.isRAMMapping).compactMap { ClosedInterval($0.guest) })
            out.add(banks, banks.findings.map { gap in
                let (bank, w) = (memory[gap.tag], GuestAddress(gap.witness))
                let (what, region) = mapping(at: w)
                return Violation(
                    property: Self.id,
                    message: "\(domain.spec.name)'s device tree lists memory \(bank) but guest address \(w) is \(what)",
                    regions: [RegionReference(name: "\(domain.spec.name) /memory bank \(bank)", kind: .guestRAM, range: nil, guestRange: bank, origin: treeOrigin), region],
                    guestWitnesses: [w], domain: domain.spec.name)
            })
            let devices = try Covering(options: options).check(
                nodes.indices.compactMap { i in ClosedInterval(nodes[i]).map { Covering.Target(range: $0, tag: i) } },
                pieces: runs.filter(\.isMMIOMapping).compactMap { ClosedInterval($0.guest) })
            out.add(devices, devices.findings.map { gap in
                let (n, w) = (domain.deviceNodes[gap.tag], GuestAddress(gap.witness))
                let (what, region) = mapping(at: w)
                return Violation(
                    property: Self.id,
                    message: "\(domain.spec.name)'s device tree has device \(n.device.name) at \(n.guest) but guest address \(w) is \(what == "not mapped" ? what : what + ", not as MMIO")",
                    regions: [RegionReference(name: "\(domain.spec.name) device node \(n.device.name)", kind: .device, range: n.device.range, guestRange: n.guest, origin: n.device.origin), region],
                    guestWitnesses: [w], domain: domain.spec.name)
            })
            out.notes.append("\(domain.spec.name): /memory \(domain.spec.deviceTreeMemory == nil ? "generated by the hypervisor" : "supplied by the spec"), \(nodes.count) device nodes")
        }
        return out.result()
    }
}
