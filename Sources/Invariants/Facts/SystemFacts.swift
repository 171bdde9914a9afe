import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// The checker's view of a built system: the spec's regions, where the
/// hypervisor placed heaps and pools, and each domain's tables as decoded
/// from machine memory. Nothing here comes from the builder's record of
/// what it mapped.
public struct SystemFacts: Sendable {
    public var spec: BoardSpec
    /// Hypervisor image, boot modules, heaps, pools and table pages, in that order.
    public var loadRegions: [LoadRegion]
    public var domains: [DomainFacts]

    /// Decodes every domain's tables from `system.memory` and collects the regions.
    public init(system: BuiltSystem) {
        spec = system.spec
        var regions: [LoadRegion] = []
        let hyp = system.spec.hypervisor
        regions.append(LoadRegion(reference: RegionReference(name: hyp.name, kind: .hypervisorImage, range: hyp.range, origin: hyp.origin), container: nil))
        for module in system.spec.bootModules {
            regions.append(LoadRegion(reference: RegionReference(name: module.name, kind: .bootModule, range: module.footprint, origin: module.origin), container: nil))
        }
        var poolIndex: [String: Int] = [:]
        for placed in system.placements {
            let kind: RegionKind = placed.kind == .xenheap ? .xenheap : .p2mPool
            if let domain = placed.domain { poolIndex[domain] = regions.count }
            regions.append(LoadRegion(reference: RegionReference(name: placed.name, kind: kind, range: placed.range, origin: placed.origin), container: nil))
        }
        var domains: [DomainFacts] = []
        for built in system.domains {
            let decoded = Stage2Decoder.decode(
                root: built.rootAddress, configuration: built.configuration, memory: system.memory,
                outputAddressBits: Stage2Decoder.outputAddressBits(for: system.spec.architecture))
            for page in decoded.tablePages {
                let name = "\(built.spec.name) \(page.referencedFrom == nil ? "root" : "\(page.level)") table page \(page.address)"
                regions.append(LoadRegion(
                    reference: RegionReference(name: name, kind: .tablePage, range: AddressRange(uncheckedBase: page.address, size: 4096), origin: built.spec.poolOrigin),
                    container: poolIndex[built.spec.name]))
            }
            var domain = DomainFacts(spec: built.spec, decoded: decoded)
            domain.deviceTreeMemory = built.spec.deviceTreeMemory ?? built.memoryNode
            domain.kernelBanks = built.memoryNode
            domain.deviceNodes = Self.deviceNodes(of: built.spec, in: system.spec)
            domain.emulated = built.emulated
            domain.pool = built.pool.range
            domains.append(domain)
        }
        loadRegions = regions
        self.domains = domains
    }

    /// The device nodes a domain's device tree carries: for the hardware
    /// domain every device Xen gives it (1:1), for any domain its passthrough regions.
    static func deviceNodes(of domain: DomainSpec, in spec: BoardSpec) -> [(device: Device, guest: AddressRange<GuestAddress>)] {
        var nodes: [(device: Device, guest: AddressRange<GuestAddress>)] = []
        let passedThrough = Set(spec.domains.flatMap { $0.passthrough.map(\.device) })
        if domain.isHardwareDomain {
            for device in spec.devices where MMIOPolicy.owner(of: device, console: spec.hypervisor.console) == .hardwareDomain && !passedThrough.contains(device.name) {
                nodes.append((device, device.range.reinterpreted(as: GuestAddress.self)))
            }
            for node in MMIOPolicy.reservedMemoryNodes(of: spec) { nodes.append((node, node.range.reinterpreted(as: GuestAddress.self))) }
        }
        for region in domain.passthrough {
            guard let device = spec.devices.first(where: { $0.name == region.device }) else { continue }
            let offset = device.range.base.rawValue & 0xFFF
            nodes.append((device, AddressRange(uncheckedBase: GuestAddress(region.guestBase.rawValue + offset), size: device.range.size)))
        }
        return nodes
    }

    /// The spec region that machine address `address` belongs to, for naming
    /// what a guest mapping reaches: a device, a RAM bank, reserved memory, or
    /// "no RAM or device".
    public func attribute(_ address: MachineAddress) -> RegionReference {
        if let d = spec.devices.first(where: { $0.range.expanded(toAlignment: 4096)?.contains(address) ?? false }) {
            return RegionReference(name: d.name, kind: .device, range: d.range, origin: d.origin)
        }
        if let r = spec.reserved.first(where: { $0.range.contains(address) }) {
            return RegionReference(name: r.name, kind: .reserved, range: r.range, origin: r.origin)
        }
        if let b = spec.ram.first(where: { $0.range.contains(address) }) {
            return RegionReference(name: b.name, kind: .ramBank, range: b.range, origin: b.origin)
        }
        return RegionReference(name: "no RAM bank or device", kind: .unbacked, range: nil, origin: SpecOrigin(path: "/memory"))
    }

    /// A reference for a guest mapping run of `domain`, named after what it
    /// reaches, at the spec entry that made it: the device (or `/reserved-memory`
    /// child) for an MMIO mapping of one, else the domain.
    public func reference(for run: TranslationRun, in domain: DomainFacts) -> RegionReference {
        let target = attribute(run.machine)
        let what = target.kind == .device ? "MMIO \(target.name)" : (target.kind == .ramBank ? "RAM" : target.name)
        let fromTarget = target.kind == .device || (target.kind == .reserved && run.isMMIOMapping)
        return RegionReference(
            name: "\(domain.spec.name) \(what) mapping \(run.guest)", kind: .guestMapping, range: run.machineRange,
            guestRange: run.guest, origin: fromTarget ? target.origin : domain.spec.origin)
    }
}
