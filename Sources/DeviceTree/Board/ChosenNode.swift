/// `/chosen`: the console (`stdout-path`) and the boot modules the bootloader
/// described for Xen (docs/misc/arm/device-tree/booting.txt): children
/// compatible with `multiboot,module` (or the older `xen,multiboot-module`),
/// their kind from the second compatible string or, failing that, by order
/// (first kernel, second ramdisk), and `linux,initrd-start`/`-end`; and the
/// dom0less guests (`xen,domain` children) with their own modules.
enum ChosenNode {
    static let maximumAliasHops = 8

    static func read(_ chosen: Int, tree: FlattenedDeviceTree, translation: AddressTranslation, names: inout UniqueNames, into board: inout BoardDescription) {
        readConsole(chosen, tree: tree, into: &board)
        readModules(chosen, tree: tree, translation: translation, names: &names, into: &board)
    }

    /// Resolves stdout-path (`serial2:115200n8`, `/soc/serial@...`) to a device name.
    static func readConsole(_ chosen: Int, tree: FlattenedDeviceTree, into board: inout BoardDescription) {
        let node = tree.nodes[chosen]
        guard let value = (node.property("stdout-path") ?? node.property("linux,stdout-path"))?.string else {
            board.notes.append("/chosen has no stdout-path: no hypervisor console imported")
            return
        }
        var target = String(value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        var seen: [String] = []
        while !target.hasPrefix("/") {
            guard !seen.contains(target) else {
                board.notes.append("/chosen/stdout-path \"\(value)\": alias cycle \(seen.joined(separator: " -> ")) -> \(target); no console imported")
                return
            }
            guard seen.count < maximumAliasHops else {
                board.notes.append("/chosen/stdout-path \"\(value)\": more than \(maximumAliasHops) alias hops; no console imported")
                return
            }
            seen.append(target)
            guard let aliases = tree.node(at: "/aliases"), let next = tree.nodes[aliases].property(target)?.string else {
                board.notes.append("/chosen/stdout-path \"\(value)\": alias \"\(target)\" is not defined in /aliases; no console imported")
                return
            }
            target = next
        }
        guard let index = tree.node(at: target) else {
            board.notes.append("/chosen/stdout-path \"\(value)\": no node at \(target); no console imported")
            return
        }
        let path = tree.path(of: index)
        guard let window = board.devices.first(where: { $0.region.dtPath == path }) else {
            board.notes.append("/chosen/stdout-path \"\(value)\": \(path) has no imported reg window; no console imported")
            return
        }
        board.console = window.region.name
    }

    static func readModules(_ chosen: Int, tree: FlattenedDeviceTree, translation: AddressTranslation, names: inout UniqueNames, into board: inout BoardDescription) {
        readModules(in: chosen, domain: "dom0", tree: tree, translation: translation, names: &names, into: &board)
        readInitrd(chosen, tree: tree, names: &names, into: &board)
    }

    /// The `multiboot,module` children of `container` (`/chosen` for dom0, a
    /// `xen,domain` node for a dom0less guest); `xen,domain` children of
    /// `/chosen` become domains.
    static func readModules(in container: Int, domain: String, tree: FlattenedDeviceTree, translation: AddressTranslation, names: inout UniqueNames, into board: inout BoardDescription) {
        var untyped = 0
        for child in tree.nodes[container].children {
            let c = tree.nodes[child]
            let path = tree.path(of: child)
            let compatible = c.compatible
            if compatible.contains("xen,domain") {
                if domain == "dom0" {
                    readDomain(child, tree: tree, translation: translation, names: &names, into: &board)
                } else {
                    board.notes.append("\(path): a xen,domain node inside a domain node; not imported")
                }
                continue
            }
            guard compatible.contains("multiboot,module") || compatible.contains("xen,multiboot-module") else {
                if c.property("reg") != nil { board.notes.append("\(path): child with reg that is not a multiboot,module; not imported") }
                continue
            }
            var kind = moduleKind(compatible)
            if kind == nil {
                kind = untyped == 0 ? .kernel : (untyped == 1 ? .ramdisk : .other)
                board.notes.append("\(path): module without a kind in compatible; taken as \((kind ?? .other).rawValue) by its order, as Xen does")
                untyped += 1
            }
            switch translation.physicalRanges(of: child, translated: false) {
            case .failure(let problem):
                board.notes.append("\(path): \(problem); module not imported")
            case .success(let ranges):
                guard let first = ranges.first, first.size > 0 else {
                    board.notes.append("\(path): module has no non-empty reg; not imported")
                    continue
                }
                if ranges.count > 1 { board.notes.append("\(path): module reg has \(ranges.count) entries; only the first is the module") }
                let name = names.claim(domain + "-" + c.name, path: path)
                board.modules.append(BoardDescription.Module(region: BoardDescription.Region(name: name, base: first.base, size: first.size, dtPath: path), kind: kind ?? .other, domain: domain))
            }
        }
    }

    /// A dom0less guest (docs/misc/arm/device-tree/booting.txt): `memory` in
    /// KiB (one or two cells), `cpus`, and its modules. Static memory and
    /// direct-map guests need `xen,static-mem`, which the spec format does not
    /// describe: such a guest is noted and left out.
    static func readDomain(_ node: Int, tree: FlattenedDeviceTree, translation: AddressTranslation, names: inout UniqueNames, into board: inout BoardDescription) {
        let n = tree.nodes[node]
        let path = tree.path(of: node)
        if n.property("xen,static-mem") != nil || n.property("direct-map") != nil {
            board.notes.append("\(path): dom0less domain with xen,static-mem or direct-map; static memory is not in the spec format, domain not imported")
            return
        }
        guard let cells = n.property("memory")?.cells, (1...2).contains(cells.count),
              let kib = AddressTranslation.number(cells, 0, cells.count), kib > 0, kib % 4 == 0, kib <= UInt64.max >> 10 else {
            board.notes.append("\(path): dom0less domain without a valid memory property (KiB, 1 or 2 cells, a multiple of 4); not imported")
            return
        }
        let vcpus = Int(min(n.property("cpus")?.u32 ?? 1, 128))
        let name = names.claim(n.name, path: path)
        board.domains.append(BoardDescription.Domain(name: name, memory: kib << 10, vcpus: max(1, min(vcpus, 128)), dtPath: path))
        readModules(in: node, domain: name, tree: tree, translation: translation, names: &names, into: &board)
    }

    static func moduleKind(_ compatible: [String]) -> BoardDescription.ModuleKind? {
        for c in compatible {
            switch c {
            case "multiboot,kernel", "xen,linux-zimage": return .kernel
            case "multiboot,ramdisk", "xen,linux-initrd": return .ramdisk
            case "multiboot,device-tree": return .dtb
            case "xen,xsm-policy": return .xsm
            default: continue
            }
        }
        return nil
    }

    /// `linux,initrd-start` / `linux,initrd-end` (one or two cells each; end exclusive).
    static func readInitrd(_ chosen: Int, tree: FlattenedDeviceTree, names: inout UniqueNames, into board: inout BoardDescription) {
        let node = tree.nodes[chosen]
        guard let startProperty = node.property("linux,initrd-start") else { return }
        guard let endProperty = node.property("linux,initrd-end"),
              let startCells = startProperty.cells, let endCells = endProperty.cells,
              let start = AddressTranslation.number(startCells, 0, startCells.count),
              let end = AddressTranslation.number(endCells, 0, endCells.count), end > start else {
            board.notes.append("/chosen: linux,initrd-start/-end are malformed or empty; initrd not imported")
            return
        }
        if board.modules.contains(where: { $0.kind == .ramdisk && $0.domain == "dom0" }) {
            board.notes.append("/chosen: linux,initrd-start/-end ignored: a multiboot ramdisk module is present")
            return
        }
        let name = names.claim("dom0-initrd", path: "/chosen")
        board.modules.append(BoardDescription.Module(region: BoardDescription.Region(name: name, base: start, size: end - start, dtPath: "/chosen"), kind: .ramdisk, domain: "dom0"))
    }
}
