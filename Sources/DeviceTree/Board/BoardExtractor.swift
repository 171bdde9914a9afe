/// Turns a parsed device tree into a `BoardDescription`:
///
/// - RAM: every node with `device_type = "memory"`, each `reg` entry a bank;
/// - reserved: every `/memreserve/` entry and every `/reserved-memory` child
///   with a `reg` (dynamic reservations, `size` without `reg`, are noted);
///   the region's `dtPath` tells the two apart (Xen maps `/reserved-memory`
///   children 1:1 into dom0, `/memreserve/` entries not at all);
/// - devices: every other node with a `reg`, translated through the parents'
///   `ranges`; GIC frames get their role from the node's `compatible`;
/// - the console: the node `/chosen/stdout-path` names (through `/aliases`);
/// - boot modules: `/chosen` children compatible with `multiboot,module`,
///   and `linux,initrd-start`/`-end`; dom0less guests (`xen,domain`).
///
/// `/cpus` and `/chosen` are not devices. Nothing is dropped silently: each
/// node or entry that is skipped gets a line in `notes`.
public enum BoardExtractor {
    /// Extracts the board description from `tree`. Never fails: what cannot
    /// be interpreted becomes a note.
    public static func describe(_ tree: FlattenedDeviceTree) -> BoardDescription {
        var state = Extraction(tree: tree)
        state.run()
        return state.board
    }
}

private struct Extraction {
    let tree: FlattenedDeviceTree
    let translation: AddressTranslation
    var board: BoardDescription
    var names = UniqueNames()

    init(tree: FlattenedDeviceTree) {
        self.tree = tree
        translation = AddressTranslation(tree: tree)
        let root = tree.nodes[0]
        board = BoardDescription(model: root.property("model")?.string, compatible: root.compatible, cpuCompatible: [], cpuCount: 0,
                                 memory: [], reserved: [], devices: [], console: nil, modules: [], domains: [], notes: [])
    }

    mutating func run() {
        _ = names.claim("dom0", path: "/")  // the hardware domain's name in the spec
        for (i, r) in tree.reservations.enumerated() {
            guard r.size > 0 else {
                board.notes.append("/memreserve/ entry \(i) at \(hex64(r.address)) has size 0: not imported")
                continue
            }
            board.reserved.append(region(names.claim("memreserve-\(i)", path: "/memreserve/\(i)"), r.address, r.size, "/memreserve/"))
        }
        let cpus = tree.node(at: "/cpus")
        let chosen = tree.node(at: "/chosen")
        let reservedMemory = tree.node(at: "/reserved-memory")
        var unmappedBuses: [String: [String]] = [:]
        for index in tree.nodes.indices where index != 0 {
            let node = tree.nodes[index]
            let path = tree.path(of: index)
            if let cpus, isInside(index, cpus) {
                if node.parent == cpus, node.property("device_type")?.string == "cpu" {
                    board.cpuCount += 1
                    if board.cpuCompatible.isEmpty { board.cpuCompatible = node.compatible }
                }
                continue
            }
            if let chosen, isInside(index, chosen) { continue }
            guard node.property("reg") != nil else { continue }
            if node.property("device_type")?.string == "memory" {
                addRanges(index, path) { this, name, base, size in this.board.memory.append(this.region(name, base, size, path)) }
                continue
            }
            if let reservedMemory, node.parent == reservedMemory {
                // Reserved for the OS; the spec's "source" says so, and the checker's model of Xen
                // maps it 1:1 into dom0 (Xen copies /reserved-memory and maps each child).
                addRanges(index, path) { this, name, base, size in this.board.reserved.append(this.region(name, base, size, path)) }
                continue
            }
            if let parent = node.parent, translation.sizeCells(of: parent) == 0 {
                unmappedBuses[tree.path(of: parent), default: []].append(node.name)
                continue
            }
            addDevice(index, path)
        }
        if let reservedMemory {
            for child in tree.nodes[reservedMemory].children where tree.nodes[child].property("reg") == nil {
                let size = tree.nodes[child].property("size").map { "size \($0.value.count / 4) cell(s)" } ?? "no size"
                board.notes.append("\(tree.path(of: child)): dynamic reserved-memory region (\(size), no reg) is placed by the OS at boot; not imported")
            }
        }
        for bus in unmappedBuses.keys.sorted() {
            let children = unmappedBuses[bus] ?? []
            board.notes.append("\(bus): \(children.count) child node(s) with reg on a bus with #size-cells = 0 (not memory-mapped), not imported: \(children.joined(separator: ", "))")
        }
        if let chosen {
            ChosenNode.read(chosen, tree: tree, translation: translation, names: &names, into: &board)
        } else {
            board.notes.append("no /chosen node: no console and no boot modules")
        }
        if board.memory.isEmpty {
            board.notes.append("no memory node (device_type = \"memory\") with a reg: the firmware fills it in; add RAM banks by hand")
        }
    }

    func isInside(_ index: Int, _ ancestor: Int) -> Bool {
        var current: Int? = index
        while let c = current, c >= ancestor {
            if c == ancestor { return true }
            current = tree.nodes[c].parent
        }
        return false
    }

    func region(_ name: String, _ base: UInt64, _ size: UInt64, _ path: String) -> BoardDescription.Region {
        BoardDescription.Region(name: name, base: base, size: size, dtPath: path)
    }

    /// Adds every non-empty translated `reg` window of a node, named after the node.
    mutating func addRanges(_ index: Int, _ path: String, _ add: (inout Extraction, String, UInt64, UInt64) -> Void) {
        switch translation.physicalRanges(of: index) {
        case .failure(let problem):
            board.notes.append("\(path): \(problem); not imported")
        case .success(let ranges):
            for (i, r) in ranges.enumerated() {
                guard r.size > 0 else {
                    board.notes.append("\(path): reg entry \(i) has size 0; not imported")
                    continue
                }
                let name = names.claim(ranges.count == 1 ? tree.nodes[index].name : "\(tree.nodes[index].name)#\(i)", path: path)
                add(&self, name, r.base, r.size)
            }
        }
    }

    mutating func addDevice(_ index: Int, _ path: String) {
        let node = tree.nodes[index]
        let compatible = node.compatible
        if compatible.contains(where: DeviceClassification.notDevices.contains) {
            board.notes.append("\(path): \(compatible.first ?? "") node is hypervisor configuration, not a device; not imported")
            return
        }
        let ranges: [(base: UInt64, size: UInt64)]
        switch translation.physicalRanges(of: index) {
        case .failure(let problem):
            board.notes.append("\(path): \(problem); not imported")
            return
        case .success(let r): ranges = r
        }
        let regNames = node.property("reg-names")?.strings ?? []
        var roles = Array(repeating: DeviceClassification.role(of: node), count: ranges.count)
        var suffixes: [String] = []
        if let gic = DeviceClassification.gic(compatible) {
            let regions = Int(min(node.property("#redistributor-regions")?.u32 ?? 1, 1024))
            roles = DeviceClassification.gicRoles(gic, count: ranges.count, redistributorRegions: regions)
            var redistributor = 0
            for role in roles {
                if role == .gicr {
                    suffixes.append(regions > 1 ? "-gicr\(redistributor)" : "-gicr")
                    redistributor += 1
                } else {
                    suffixes.append("-" + role.rawValue)
                }
            }
        } else {
            for i in ranges.indices {
                if ranges.count == 1 { suffixes.append("") } else if i < regNames.count, regNames.count == ranges.count { suffixes.append("-" + regNames[i]) } else { suffixes.append("#\(i)") }
            }
        }
        let skipped = compatible.contains(where: DeviceClassification.skippedByXen.contains)
        if skipped { board.notes.append("\(path): Xen skips \(compatible.first ?? "") nodes for dom0; imported with owner \"hypervisor\" (never mapped)") }
        let status = node.property("status")?.string
        for (i, r) in ranges.enumerated() {
            guard r.size > 0 else {
                board.notes.append("\(path): reg entry \(i) has size 0; not imported")
                continue
            }
            let name = names.claim(node.name + suffixes[i], path: path)
            board.devices.append(BoardDescription.DeviceWindow(region: region(name, r.base, r.size, path), role: roles[i], compatible: compatible.first, status: status, skippedByXen: skipped))
        }
        if node.property("device_type")?.string == "pci" {
            switch PCIWindows.windows(of: index, translation: translation) {
            case .failure(let problem):
                board.notes.append("\(path): PCI windows (ranges): \(problem); not imported")
            case .success(let windows):
                for w in windows where w.size > 0 {
                    let name = names.claim("\(node.name)-\(w.space)-window", path: path)
                    board.devices.append(BoardDescription.DeviceWindow(region: region(name, w.base, w.size, path), role: .other, compatible: compatible.first, status: status, skippedByXen: skipped))
                }
                if !windows.isEmpty { board.notes.append("\(path): \(windows.count) PCI window(s) from ranges imported as devices (Xen maps a host bridge's ranges into dom0)") }
            }
        }
    }
}

/// Region names must be unique in a spec: a clash gets the parent path folded
/// in, then a counter.
struct UniqueNames {
    private var used: Set<String> = []

    mutating func claim(_ name: String, path: String) -> String {
        var candidate = name
        if used.contains(candidate) {
            let parent = path.split(separator: "/").dropLast().last.map(String.init) ?? "root"
            candidate = parent + "/" + name
        }
        var n = 2
        let stem = candidate
        while used.contains(candidate) {
            candidate = "\(stem)-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }
}
