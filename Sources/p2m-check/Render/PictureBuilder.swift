import Hypervisor
import Invariants
import Stage2Decoder
import P2MModel

/// Builds a `MemoryPicture` from the outcome of a check: the regions come
/// from the spec, the hypervisor's placements and the decoded tables (the
/// same facts the properties were proved on), the red marks from the
/// violations.
enum PictureBuilder {
    /// Properties whose violation is two regions sharing bytes: the shared
    /// machine bytes are hatched.
    static let sharingProperties: Set<String> = ["load-disjoint", "s2-injective", "isolation", "hyp-private"]

    /// The picture, or nil when the spec could not be read (there is nothing to draw).
    static func make(_ outcome: CheckRun) -> MemoryPicture? {
        switch outcome.result {
        case .badInput:
            return nil
        case .buildFailed(let error, let spec):
            var boot = [region(spec.hypervisor.name, RegionKind.hypervisorImage.rawValue, spec.hypervisor.range, spec.hypervisor.origin)]
            boot += spec.bootModules.map { region($0.name, RegionKind.bootModule.rawValue, $0.footprint, $0.origin) }
            let machine = column("machine", "machine", [("memory map", memoryMap(spec)), ("boot layout", boot)])
            return MemoryPicture(title: spec.name, verdictLine: "BUILD FAILED: \(error) (no property checked)", status: .violated, columns: [machine],
                                 witnesses: [], overlaps: [], results: [])
        case .checked(let spec, let facts, let results):
            var picture = MemoryPicture(title: spec.name, verdictLine: verdictLine(results), status: outcome.exitStatus, columns: [machineColumn(spec, facts)] + facts.domains.map { guestColumn($0, facts) },
                                        witnesses: [], overlaps: [], results: results)
            for result in results {
                guard case .violated(let violations) = result.verdict else { continue }
                for v in violations { mark(v, in: &picture, facts: facts) }
            }
            return picture
        }
    }

    static func verdictLine(_ results: [PropertyResult]) -> String {
        let proved = results.filter { $0.verdict == .proved }.count
        let violated = results.filter { if case .violated = $0.verdict { return true } else { return false } }
        let unknown = results.count - proved - violated.count
        var line = "\(proved) proved, \(violated.count) violated, \(unknown) unknown"
        if !violated.isEmpty { line += " (violated: \(violated.map(\.property.rawValue).joined(separator: ", ")))" }
        return line
    }

    // MARK: columns

    private static func region<A: PhysicalAddress>(_ name: String, _ kind: String, _ range: AddressRange<A>, _ origin: SpecOrigin?) -> MemoryPicture.Region {
        MemoryPicture.Region(name: name, kind: kind, span: MemoryPicture.Span(range), origin: origin)
    }

    private static func memoryMap(_ spec: BoardSpec) -> [MemoryPicture.Region] {
        spec.ram.map { region($0.name, "ram-bank", $0.range, $0.origin) }
            + spec.reserved.map { region($0.name, "reserved-memory", $0.range, $0.origin) }
            + spec.devices.map { region($0.name, "device", $0.range, $0.origin) }
    }

    private static func machineColumn(_ spec: BoardSpec, _ facts: SystemFacts) -> MemoryPicture.Column {
        let boot = facts.loadRegions.filter { $0.container == nil }.map { region($0.reference.name, $0.reference.kind.rawValue, $0.range, $0.reference.origin) }
        // Contiguous table pages of one domain are drawn as one block.
        var tables: [MemoryPicture.Region] = []
        for page in facts.loadRegions.filter({ $0.reference.kind == .tablePage }).sorted(by: { $0.range.base < $1.range.base }) {
            let domain = String(page.reference.name.prefix { $0 != " " })
            if let last = tables.last, last.name.hasPrefix(domain + " "), last.span.end == page.range.base.rawValue, last.origin == page.reference.origin {
                tables[tables.count - 1].span.size += page.range.size
            } else {
                tables.append(region("\(domain) table pages", "page-table-page", page.range, page.reference.origin))
            }
        }
        for i in tables.indices { tables[i].name += " ×\(tables[i].span.size / 4096)" }
        let ram = MachineMemoryMap(facts: facts).occupied.compactMap { e -> MemoryPicture.Region? in
            guard let o = e.occupant, o.kind == .guestRAM else { return nil }
            return region(o.name, "guest-ram", e.range, o.origin)
        }
        return column("machine", "machine", [("memory map", memoryMap(spec)), ("boot layout", boot), ("table pages", tables), ("domain RAM", ram)])
    }

    private static func guestColumn(_ domain: DomainFacts, _ facts: SystemFacts) -> MemoryPicture.Column {
        var regions: [MemoryPicture.Region] = []
        for piece in domain.decoded.runs.flatMap({ pieces(of: $0, facts.spec) }) {
            let (run, target) = (piece, facts.attribute(piece.machine))
            let (name, kind): (String, String)
            switch target.kind {
            case .device: (name, kind) = ("MMIO \(target.name)", "guest-mmio")
            case .ramBank: (name, kind) = ("RAM", "guest-ram")
            case .unbacked: (name, kind) = ("no RAM or device", "guest-unbacked")
            default: (name, kind) = (target.name, "guest-ram")
            }
            let machine = MemoryPicture.Span(run.machineRange)
            if let last = regions.last, last.name == name, last.span.end == run.guest.base.rawValue, let m = last.machine, m.end == machine.base {
                regions[regions.count - 1].span.size += run.guest.size
                regions[regions.count - 1].machine = MemoryPicture.Span(base: m.base, size: m.size + machine.size)
            } else {
                var r = region(name, kind, run.guest, target.kind == .device ? target.origin : domain.spec.origin)
                r.machine = machine
                regions.append(r)
            }
        }
        let title = "\(domain.spec.name) guest\(domain.spec.directMap ? " (1:1)" : "")"
        return column("guest:\(domain.spec.name)", title, [("mappings", regions)])
    }

    /// `run` cut where the machine region it reaches changes (a run over two
    /// adjacent devices is drawn as two mappings, each named after its device).
    private static func pieces(of run: TranslationRun, _ spec: BoardSpec) -> [TranslationRun] {
        let machine = run.machineRange
        var cuts = spec.devices.flatMap { d in d.range.expanded(toAlignment: 4096).map { [$0.base.rawValue, $0.base.rawValue &+ $0.size] } ?? [] }
        cuts += spec.ram.flatMap { [$0.range.base.rawValue, $0.range.base.rawValue &+ $0.range.size] }
        cuts += spec.reserved.flatMap { [$0.range.base.rawValue, $0.range.base.rawValue &+ $0.range.size] }
        let inside = Set(cuts.filter { $0 > machine.base.rawValue && $0 - machine.base.rawValue < machine.size }).sorted()
        var out: [TranslationRun] = []
        var start = machine.base.rawValue
        for end in inside + [machine.base.rawValue &+ machine.size] {
            var piece = run
            let offset = start - machine.base.rawValue
            piece.guest = AddressRange(uncheckedBase: GuestAddress(run.guest.base.rawValue + offset), size: end &- start)
            piece.machine = MachineAddress(start)
            out.append(piece)
            start = end
        }
        return out
    }

    /// A column with each group's regions spread over as few lanes as keep them from overlapping.
    private static func column(_ id: String, _ title: String, _ groups: [(String, [MemoryPicture.Region])]) -> MemoryPicture.Column {
        var all: [MemoryPicture.Region] = []
        var titles: [(title: String, lanes: Int)] = []
        var offset = 0
        for (name, regions) in groups {
            var laneEnds: [UInt64] = []
            for var r in regions.sorted(by: { ($0.span.base, $1.span.size) < ($1.span.base, $0.span.size) }) {
                if let free = laneEnds.firstIndex(where: { $0 <= r.span.base }) {
                    r.lane = offset + free
                    laneEnds[free] = r.span.end
                } else {
                    r.lane = offset + laneEnds.count
                    laneEnds.append(r.span.end)
                }
                all.append(r)
            }
            let lanes = max(laneEnds.count, 1)
            titles.append((name, lanes))
            offset += lanes
        }
        return MemoryPicture.Column(id: id, title: title, groups: titles, regions: all)
    }

    // MARK: violations

    private static func mark(_ v: Violation, in picture: inout MemoryPicture, facts: SystemFacts) {
        let domainColumn = v.domain.flatMap { name in facts.domains.firstIndex { $0.spec.name == name } }.map { $0 + 1 }
        for ref in v.regions {
            if let guest = ref.guestRange, let c = domainColumn ?? columnOf(ref, facts) {
                let span = MemoryPicture.Span(guest)
                for i in picture.columns[c].regions.indices where picture.columns[c].regions[i].span.overlaps(span) {
                    picture.columns[c].regions[i].violated = true
                }
            } else if let range = ref.range {
                let span = MemoryPicture.Span(range)
                for i in picture.columns[0].regions.indices {
                    let r = picture.columns[0].regions[i]
                    let same = r.span == span && (r.name == ref.name || r.kind == ref.kind.rawValue)
                    let tablePage = ref.kind == .tablePage && r.kind == "page-table-page" && r.span.contains(span)
                    if same || tablePage { picture.columns[0].regions[i].violated = true }
                }
            }
        }
        if sharingProperties.contains(v.property.rawValue) {
            let ranges = v.regions.compactMap(\.range)
            for i in ranges.indices {
                for j in ranges.indices where j > i {
                    if let shared = ranges[i].intersection(ranges[j]) {
                        picture.overlaps.append(MemoryPicture.Overlap(span: MemoryPicture.Span(shared), property: v.property.rawValue))
                    }
                }
            }
        }
        picture.witnesses += v.machineWitnesses.map { MemoryPicture.Witness(column: 0, address: $0.rawValue, property: v.property.rawValue) }
        if let c = domainColumn {
            picture.witnesses += v.guestWitnesses.map { MemoryPicture.Witness(column: c, address: $0.rawValue, property: v.property.rawValue) }
        }
    }

    /// The guest column of a guest-mapping reference, from the domain name it starts with.
    private static func columnOf(_ ref: RegionReference, _ facts: SystemFacts) -> Int? {
        facts.domains.firstIndex { ref.name.hasPrefix($0.spec.name + " ") }.map { $0 + 1 }
    }
}
