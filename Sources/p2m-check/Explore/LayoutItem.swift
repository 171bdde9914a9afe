import Hypervisor
import P2MModel
import SpecFormat

/// One block of machine memory in the layout problem.
struct LayoutItem: Sendable {
    enum Placement: Sendable {
        /// The spec gives the address.
        case fixed(UInt64)
        /// `"auto"` in the spec: explore chooses it and writes it at `field.path`.
        case auto(AutoField)
        /// The hypervisor places it at boot (xenheap, a p2m pool without a base):
        /// explore only requires that room for it exists.
        case hypervisorPlaced
    }

    /// How the item may be placed in RAM.
    enum Region: Sendable {
        /// Inside one RAM bank.
        case oneBank
        /// Anywhere in [lowest RAM, highest RAM end), as Xen's `setup_mm` places the arm32 xenheap.
        case ramSpan
    }

    /// What the item is, for the rules that depend on it.
    enum Role: Sendable, Equatable {
        case hypervisor, bootModule, xenheap, p2mPool
    }

    var name: String
    var role: Role
    /// For messages: "kernel, 6M".
    var what: String
    var size: UInt64
    var alignment: UInt64
    var placement: Placement
    var region: Region
    /// The spec entry this item comes from.
    var path: JSONPointer

    /// Fixed or auto: the spec holds its address.
    var isSpecPlaced: Bool {
        if case .hypervisorPlaced = placement { return false }
        return true
    }

    var autoField: AutoField? {
        if case .auto(let f) = placement { return f }
        return nil
    }

    /// The items of `spec` (decoded with placeholders where the template says auto).
    /// Default alignments where the spec gives none: 2 MiB for the hypervisor
    /// (Xen's XEN_PADDR_ALIGN) and kernels, 4 KiB for other modules and pools.
    static func items(of spec: BoardSpec, template: SpecTemplate) -> [LayoutItem] {
        func auto(_ path: JSONPointer) -> AutoField? { template.autos.first { $0.path == path } }
        func placement(_ path: JSONPointer, _ value: UInt64) -> Placement { auto(path).map { .auto($0) } ?? .fixed(value) }
        func alignment(_ path: JSONPointer, default d: UInt64) -> UInt64 { auto(path)?.alignment ?? d }
        let root = JSONPointer.root
        var items: [LayoutItem] = []

        let hypPath = root.appending(key: "hypervisor")
        let hypField = hypPath.appending(key: "load_address")
        items.append(LayoutItem(name: spec.hypervisor.name, role: .hypervisor, what: "hypervisor, \(SizeText.format(spec.hypervisor.range.size))", size: spec.hypervisor.range.size,
                                alignment: alignment(hypField, default: 2 << 20), placement: placement(hypField, spec.hypervisor.range.base.rawValue), region: .oneBank, path: hypPath))
        for (i, module) in spec.bootModules.enumerated() {
            let path = root.appending(key: "boot_modules").appending(index: i)
            let field = path.appending(key: "load_address")
            items.append(LayoutItem(name: module.name, role: .bootModule, what: "\(module.kind.rawValue), \(SizeText.format(module.footprint.size))", size: module.footprint.size,
                                    alignment: alignment(field, default: module.kind == .kernel ? 2 << 20 : 4096), placement: placement(field, module.range.base.rawValue), region: .oneBank, path: path))
        }
        if spec.architecture == .arm32LPAE {
            let ram = spec.ram.reduce(UInt64(0)) { $0 + $1.range.size }
            let size = SystemBuilder.xenheapSize(ramBytes: ram)
            items.append(LayoutItem(name: "xenheap", role: .xenheap, what: "placed by the hypervisor, \(SizeText.format(size)), 32M aligned", size: size, alignment: 32 << 20, placement: .hypervisorPlaced, region: .ramSpan, path: hypPath))
        }
        for (i, domain) in spec.domains.enumerated() {
            let path = root.appending(key: "domains").appending(index: i).appending(key: "p2m_pool")
            let size = domain.poolSize ?? SystemBuilder.defaultPoolSize(memoryBytes: domain.memorySize, vcpus: domain.vcpus)
            let name = "p2m pool of \(domain.name)"
            switch domain.poolPlacement {
            case .fixed(let base):
                let field = path.appending(key: "base")
                items.append(LayoutItem(name: name, role: .p2mPool, what: "p2m pool, \(SizeText.format(size))", size: size, alignment: alignment(field, default: 4096), placement: placement(field, base.rawValue), region: .oneBank, path: path))
            case .automatic:
                items.append(LayoutItem(name: name, role: .p2mPool, what: "placed by the hypervisor, \(SizeText.format(size))", size: size, alignment: 2 << 20, placement: .hypervisorPlaced, region: .oneBank, path: root.appending(key: "domains").appending(index: i)))
            }
        }
        return items
    }
}
