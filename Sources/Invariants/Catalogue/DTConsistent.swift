import P2MModel

/// `dt-consistent`: the device tree a domain boots with describes exactly
/// what its tables map: every byte of its `/memory` banks is mapped as RAM
/// and every RAM mapping is in a `/memory` bank; every byte of its device
/// nodes is mapped as MMIO and every MMIO mapping lies in (the pages of) a
/// device node. The `/memory` banks are the spec's `device_tree_memory` when
/// given (a device tree supplied by the bootloader or user), else the node
/// Xen generates; device nodes are the hardware domain's 1:1 devices and any
/// domain's passthrough regions.
///
/// Encoding, per domain: variable `g`; `ram(g)`/`mmio(g)` are membership in
/// the runs of each type, `mem(g)` in the `/memory` banks, `node(g)` in the
/// device nodes' exact ranges and `nodePages(g)` in their whole pages. The
/// query `(mem and not ram) or (ram and not mem) or (node and not mmio) or
/// (mmio and not nodePages)` is satisfiable exactly when the description and
/// the tables differ somewhere. Each model is re-checked in Swift; the bank,
/// node or run it falls in is then blocked.
struct DTConsistent: InvariantProperty {
    static let id = PropertyID.dtConsistent

    func check(_ facts: SystemFacts, options: CheckOptions) throws -> PropertyResult {
        var out = ResultBuilder(Self.id)
        for domain in facts.domains {
            guard out.walkComplete(domain) else { continue }
            let context = try Z3Context.forCheck()
            let d = DomainTerms(context: context, domain: domain)
            let g = try d.terms.variable("g")
            let memory = domain.deviceTreeMemory
            let nodes = domain.deviceNodes.map(\.guest)
            let nodePages = nodes.compactMap { $0.expanded(toAlignment: 4096) }
            let ram = try d.mapped(g, where: \.isRAMMapping)
            let mmio = try d.mapped(g, where: \.isMMIOMapping)
            let mem = try d.inAny(memory, g)
            let node = try d.inAny(nodes, g)
            let solver = try Z3Solver(context: context)
            try solver.assert(try Formula.or([
                try Formula.and([mem, try ram.negated()]), try Formula.and([ram, try mem.negated()]),
                try Formula.and([node, try mmio.negated()]), try Formula.and([mmio, try d.inAny(nodePages, g).negated()]),
            ], in: context))
            var search = ViolationSearch(solver: solver, options: options)
            let outcome = try search.run { model in
                let w = GuestAddress(try model.value(of: g))
                let run = Translation.run(containing: w, in: d.runs).map { d.runs[$0] }
                let isRAM = run?.isRAMMapping ?? false
                let isMMIO = run?.isMMIOMapping ?? false
                let bank = memory.first { $0.contains(w) }
                let nodeIndex = nodes.firstIndex { $0.contains(w) }
                let treeOrigin = domain.deviceTreeMemoryOrigin
                let message: String
                let regions: [RegionReference]
                let block: Formula
                if let bank, !isRAM {
                    message = "\(domain.spec.name)'s device tree lists memory \(bank) but guest address \(w) is \(run.map { "mapped as \($0.p2mType?.description ?? "?")" } ?? "not mapped")"
                    regions = [RegionReference(name: "\(domain.spec.name) /memory bank \(bank)", kind: .guestRAM, range: nil, guestRange: bank, origin: treeOrigin)] + (run.map { [facts.reference(for: $0, in: domain)] } ?? [])
                    block = try d.terms.contains(bank, g)
                } else if let run, isRAM, bank == nil {
                    message = "\(domain.spec.name) has RAM mapped at guest address \(w) that its device tree's /memory does not list"
                    regions = [facts.reference(for: run, in: domain), RegionReference(name: "\(domain.spec.name) /memory node", kind: .guestRAM, range: nil, origin: treeOrigin)]
                    block = try d.terms.contains(run.guest, g)
                } else if let nodeIndex, !isMMIO {
                    let n = domain.deviceNodes[nodeIndex]
                    message = "\(domain.spec.name)'s device tree has device \(n.device.name) at \(n.guest) but guest address \(w) is not mapped as MMIO"
                    regions = [RegionReference(name: "\(domain.spec.name) device node \(n.device.name)", kind: .device, range: n.device.range, guestRange: n.guest, origin: n.device.origin)] + (run.map { [facts.reference(for: $0, in: domain)] } ?? [])
                    block = try d.terms.contains(n.guest, g)
                } else if let run, isMMIO, !nodePages.contains(where: { $0.contains(w) }) {
                    message = "\(domain.spec.name) has MMIO mapped at guest address \(w) that no device node of its device tree describes"
                    regions = [facts.reference(for: run, in: domain), RegionReference(name: "\(domain.spec.name) device nodes", kind: .device, range: nil, origin: domain.spec.origin)]
                    block = try d.terms.contains(run.guest, g)
                } else {
                    return nil
                }
                return .init(violation: Violation(property: Self.id, message: message, regions: regions, guestWitnesses: [w], domain: domain.spec.name), block: block)
            }
            out.add((search.verdict(outcome), search.queries))
            out.notes.append("\(domain.spec.name): /memory \(domain.spec.deviceTreeMemory == nil ? "generated by the hypervisor" : "supplied by the spec"), \(nodes.count) device nodes")
        }
        return out.result()
    }
}
