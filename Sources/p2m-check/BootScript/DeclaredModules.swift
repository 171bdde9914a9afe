import DeviceTree

/// Every boot module a tree declares to Xen, read straight from the tree
/// (`multiboot,module` / `xen,multiboot-module` nodes anywhere under
/// `/chosen`, and `linux,initrd-start/-end`), whether or not the importer
/// turned it into a spec entry: a module it left out (a static-memory guest's,
/// say) is still declared, so its bytes are not "loaded but undeclared".
enum DeclaredModules {
    struct Module {
        var path: String
        var base: UInt64
        var size: UInt64
    }

    static func read(_ tree: FlattenedDeviceTree) -> [Module] {
        guard let chosen = tree.node(at: "/chosen") else { return [] }
        var out: [Module] = []
        var stack = [chosen]
        while let index = stack.popLast() {
            let node = tree.nodes[index]
            stack += node.children
            let compatible = node.compatible
            guard compatible.contains("multiboot,module") || compatible.contains("xen,multiboot-module"),
                  let parent = node.parent, let reg = node.property("reg")?.cells else { continue }
            let a = Int(tree.nodes[parent].property("#address-cells")?.u32 ?? 2)
            let s = Int(tree.nodes[parent].property("#size-cells")?.u32 ?? 1)
            guard a + s > 0, let base = number(reg, 0, a), let size = number(reg, a, s) else { continue }
            out.append(Module(path: tree.path(of: index), base: base, size: size))
        }
        let c = tree.nodes[chosen]
        if let start = c.property("linux,initrd-start")?.cells, let end = c.property("linux,initrd-end")?.cells,
           let s = number(start, 0, start.count), let e = number(end, 0, end.count), e > s {
            out.append(Module(path: "/chosen", base: s, size: e - s))
        }
        return out
    }

    private static func number(_ cells: [UInt32], _ index: Int, _ count: Int) -> UInt64? {
        guard count > 0, count <= 2, index + count <= cells.count else { return nil }
        return cells[index..<index + count].reduce(UInt64(0)) { $0 << 32 | UInt64($1) }
    }
}
