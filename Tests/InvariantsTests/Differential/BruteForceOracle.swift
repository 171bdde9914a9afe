@testable import Hypervisor
import Invariants
import Z3
import Stage2Decoder
import P2MModel

/// Decides each property by enumerating every page of a `SmallLayout`: its
/// own table walk (descriptor bits read straight from memory), no Z3, no run
/// coalescing. Every region of a small layout is page aligned, so a property
/// that holds for every byte holds for every page and vice versa.
struct BruteForceOracle {
    struct Leaf {
        var machinePage: UInt64
        var type: UInt64
    }

    let system: BuiltSystem
    /// Per domain: guest page number (absolute) -> leaf.
    var maps: [[UInt64: Leaf]] = []
    /// Per domain: table pages reached (absolute page numbers), with repeats.
    var tables: [[UInt64]] = []

    init(_ system: BuiltSystem) {
        self.system = system
        for domain in system.domains {
            var leaves: [UInt64: Leaf] = [:]
            var pages: [UInt64] = []
            // Level-1 root of a 32-bit IPA: one page covering 512G; walk it whole.
            walk(table: domain.rootAddress.rawValue, level: 1, guest: 0, leaves: &leaves, pages: &pages)
            maps.append(leaves)
            tables.append(pages)
        }
    }

    private func walk(table: UInt64, level: Int, guest: UInt64, leaves: inout [UInt64: Leaf], pages: inout [UInt64]) {
        pages.append(table >> 12)
        let shift = UInt64(12 + 9 * (3 - level))
        for i in 0..<UInt64(512) {
            let raw = system.memory.read64(MachineAddress(table + i * 8))
            guard raw & 1 == 1 else { continue }
            let out = raw & 0x0000_FFFF_FFFF_F000
            let g = guest + (i << shift)
            if raw & 2 != 0 && level < 3 {
                walk(table: out, level: level + 1, guest: g, leaves: &leaves, pages: &pages)
            } else if (raw & 2 != 0 && level == 3) || (raw & 2 == 0 && (level == 1 || level == 2)) {
                for p in 0..<(UInt64(1) << (shift - 12)) {
                    leaves[(g >> 12) + p] = Leaf(machinePage: (out >> 12) + p, type: (raw >> 55) & 0xF)
                }
            }
        }
    }

    private func pages<A: PhysicalAddress>(_ r: AddressRange<A>) -> Range<UInt64> { (r.base.rawValue >> 12)..<((r.base.rawValue + r.size) >> 12) }
    private func inAny<A: PhysicalAddress>(_ ranges: [AddressRange<A>], _ page: UInt64) -> Bool { ranges.contains { pages($0).contains(page) } }
    private var spec: BoardSpec { system.spec }
    private func isRAMType(_ t: UInt64) -> Bool { t != 0 && !(3...5).contains(t) && t <= 11 }
    private func isMMIOType(_ t: UInt64) -> Bool { (3...5).contains(t) }
    private var devicePages: [AddressRange<MachineAddress>] { spec.devices.map(\.range) }

    /// Load regions with, for table pages, the pool they may lie in.
    private var loadRegions: [(range: AddressRange<MachineAddress>, pool: AddressRange<MachineAddress>?)] {
        var regions: [(AddressRange<MachineAddress>, AddressRange<MachineAddress>?)] = [(spec.hypervisor.range, nil)]
        regions += spec.bootModules.map { ($0.footprint, nil) }
        regions += system.placements.map { ($0.range, nil) }
        for (i, domain) in system.domains.enumerated() {
            regions += tables[i].map { (AddressRange(uncheckedBase: MachineAddress($0 << 12), size: 4096), domain.pool.range) }
        }
        return regions
    }

    private var machineWindow: Range<UInt64> { (SmallLayout.machineBase >> 12)..<((SmallLayout.machineBase >> 12) + SmallLayout.pages) }

    func violated(_ property: PropertyID) -> Bool {
        switch property {
        case .loadDisjoint:
            let regions = loadRegions
            return machineWindow.contains { page in
                regions.filter { pages($0.range).contains(page) && !($0.pool.map { pages($0).contains(page) } ?? false) }.count >= 2
            }
        case .loadInRAM:
            return loadRegions.contains { region in
                pages(region.range).contains { page in
                    !(region.pool.map { pages($0).contains(page) } ?? false)
                        && (!inAny(spec.ram.map(\.range), page) || inAny(spec.reserved.map(\.range), page))
                }
            }
        case .s2Injective:
            return system.domains.indices.contains { i in
                let shared = spec.sharedMemory.filter { $0.domains.contains { $0.domain == system.domains[i].spec.name } }.map(\.range)
                var seen: Set<UInt64> = []
                for leaf in maps[i].values where !inAny(shared, leaf.machinePage) {
                    if !seen.insert(leaf.machinePage).inserted { return true }
                }
                return false
            }
        case .isolation:
            let gicv = spec.devices.filter { $0.role == .gicv }.map(\.range)
            for i in system.domains.indices {
                for j in system.domains.indices where j > i {
                    let (a, b) = (system.domains[i].spec.name, system.domains[j].spec.name)
                    let shared = spec.sharedMemory.filter { r in r.domains.contains { $0.domain == a } && r.domains.contains { $0.domain == b } }.map(\.range)
                    let reachedByA = Set(maps[i].values.map(\.machinePage))
                    if maps[j].values.contains(where: { reachedByA.contains($0.machinePage) && !inAny(shared + gicv, $0.machinePage) }) { return true }
                }
            }
            return false
        case .hypPrivate:
            var hidden = [spec.hypervisor.range] + system.placements.map(\.range)
            hidden += tables.flatMap { $0.map { AddressRange(uncheckedBase: MachineAddress($0 << 12), size: 4096) } }
            hidden += spec.devices.filter { $0.role == .gich || $0.role == .iommu || $0.name == spec.hypervisor.console }.map(\.range)
            return maps.contains { $0.values.contains { inAny(hidden, $0.machinePage) } }
        case .identity:
            return system.domains.indices.contains { i in
                system.domains[i].spec.directMap && maps[i].contains { $0.key != $0.value.machinePage }
            }
        case .leafInBacking:
            return maps.contains { domainMaps in
                domainMaps.values.contains { leaf in
                    let device = inAny(devicePages, leaf.machinePage)
                    if isMMIOType(leaf.type) { return !device }
                    if isRAMType(leaf.type) { return !(inAny(spec.ram.map(\.range), leaf.machinePage) && !device) }
                    return true
                }
            }
        case .attributes:
            // The builder writes Xen's default attributes for each type, so only the type can be wrong for the target.
            return maps.contains { domainMaps in
                domainMaps.values.contains { leaf in
                    let device = inAny(devicePages, leaf.machinePage)
                    if device { return !isMMIOType(leaf.type) }
                    if inAny(spec.ram.map(\.range), leaf.machinePage) { return !isRAMType(leaf.type) }
                    return false
                }
            }
        case .ipaDisjoint, .dtConsistent:
            return system.domains.indices.contains { i in
                let domain = system.domains[i]
                let memory = domain.spec.deviceTreeMemory ?? domain.memoryNode
                let nodes = domainDeviceNodes(domain.spec)
                let guestPages = Set(maps[i].keys).union(memory.flatMap { Array(pages($0)) }).union(nodes.flatMap { Array(pages($0)) }).union(domain.emulated.flatMap { Array(pages($0.guest)) })
                return guestPages.contains { page in
                    let leaf = maps[i][page]
                    let ramMapped = leaf.map { isRAMType($0.type) } ?? false
                    let mmioMapped = leaf.map { isMMIOType($0.type) } ?? false
                    let inMemory = inAny(memory, page)
                    let inNode = inAny(nodes, page)
                    if property == .dtConsistent {
                        return inMemory != ramMapped || inNode != mmioMapped
                    }
                    let kinds = [ramMapped || inMemory, mmioMapped || inNode, inAny(domain.emulated.map(\.guest), page)]
                    return kinds.filter { $0 }.count >= 2
                }
            }
        case .ranges:
            return maps.contains { $0.keys.contains { ($0 << 12) >= (UInt64(1) << UInt64(spec.ipaBits)) } }
                || tables.indices.contains { i in
                    Set(tables[i]).count != tables[i].count || tables[i].contains { !pages(system.domains[i].pool.range).contains($0) }
                }
        case .moduleRules:
            return false
        }
    }

    /// The hardware domain's 1:1 device nodes (devices Xen gives it), as guest ranges.
    private func domainDeviceNodes(_ domain: DomainSpec) -> [AddressRange<GuestAddress>] {
        guard domain.isHardwareDomain else { return [] }
        return spec.devices.filter { MMIOPolicy.owner(of: $0, console: spec.hypervisor.console) == .hardwareDomain }.map { $0.range.reinterpreted(as: GuestAddress.self) }
    }
}
