/// Edits a parsed device tree the way U-Boot's `fdt` command does through
/// libfdt: set or delete a property, add or delete a node, resize the blob.
/// Paths are absolute (`/chosen/domU0`) or start with an alias from
/// `/aliases`; a component without a unit address matches a node whose name
/// before `@` is equal, as libfdt's lookup does.
///
/// The tree is rebuilt by `tree` (parents before children, fresh indices), so
/// whatever reads a `FlattenedDeviceTree` reads the edited one.
public struct DeviceTreeEditor: Sendable {
    /// Why an edit was refused; U-Boot prints the libfdt error and the command fails.
    public enum EditError: Error, Equatable, Sendable, CustomStringConvertible {
        case noSuchNode(path: String)
        case nodeExists(path: String)
        case noSuchProperty(path: String, property: String)
        case cannotRemoveRoot
        case badName(String)

        public var description: String {
            switch self {
            case .noSuchNode(let p): return "no node at \(p) (FDT_ERR_NOTFOUND)"
            case .nodeExists(let p): return "\(p) already exists (FDT_ERR_EXISTS)"
            case .noSuchProperty(let p, let n): return "\(p) has no property \(n) (FDT_ERR_NOTFOUND)"
            case .cannotRemoveRoot: return "the root node cannot be removed"
            case .badName(let n): return "\"\(n)\" is not a valid node name (FDT_ERR_BADPATH)"
            }
        }
    }

    private var nodes: [DeviceTreeNode]
    private var removed: [Bool]
    private var reservations: [FlattenedDeviceTree.Reservation]
    private var header: FlattenedDeviceTreeHeader

    public init(_ tree: FlattenedDeviceTree) {
        nodes = tree.nodes
        removed = Array(repeating: false, count: tree.nodes.count)
        reservations = tree.reservations
        header = tree.header
    }

    /// The edited tree. Its header's `totalSize` is the blob's current size
    /// (as `resize` left it, and never less than its contents need).
    public var tree: FlattenedDeviceTree {
        var out: [DeviceTreeNode] = []
        func copy(_ index: Int, parent: Int?, depth: Int) {
            var node = nodes[index]
            let me = out.count
            node.parent = parent
            node.depth = depth
            node.children = []
            out.append(node)
            if let parent { out[parent].children.append(me) }
            for child in nodes[index].children where !removed[child] { copy(child, parent: me, depth: depth + 1) }
        }
        copy(0, parent: nil, depth: 0)
        var h = header
        h.totalSize = max(h.totalSize, UInt32(truncatingIfNeeded: min(contentSize, UInt64(UInt32.max))))
        return FlattenedDeviceTree(header: h, reservations: reservations, nodes: out)
    }

    /// Bytes up to the end of the strings block of a blob holding this tree
    /// (libfdt's `fdt_off_dt_strings + fdt_size_dt_strings`, as dtc lays a blob
    /// out: header, reservation map, structure, strings; names not shared).
    public var contentSize: UInt64 {
        var structure: UInt64 = 4  // FDT_END
        var names: Set<String> = []
        func walk(_ i: Int) {
            structure += 8 + align4(UInt64(nodes[i].name.utf8.count) + 1)
            for p in nodes[i].properties {
                structure += 12 + align4(UInt64(p.value.count))
                names.insert(p.name)
            }
            for c in nodes[i].children where !removed[c] { walk(c) }
        }
        walk(0)
        let strings = names.reduce(UInt64(0)) { $0 + UInt64($1.utf8.count) + 1 }
        return 40 + UInt64(reservations.count + 1) * 16 + structure + strings
    }

    /// `fdt resize [extra]`: U-Boot's `fdt_shrink_to_minimum` sets the blob's
    /// size to its contents, room for 5 reservation entries and `extra`, so
    /// that it ends on a 4 KiB boundary (from `address`).
    public mutating func resize(extra: UInt64, address: UInt64) {
        let page = address & 0xfff
        let needed = contentSize + 5 * 16 + extra + page
        let size = ((needed + 0xfff) & ~UInt64(0xfff)) - page
        header.totalSize = UInt32(truncatingIfNeeded: min(size, UInt64(UInt32.max)))
    }

    /// Grows the blob's size by `bytes` (U-Boot pads the tree it boots in
    /// place by CONFIG_SYS_FDT_PAD).
    public mutating func grow(by bytes: UInt64) {
        header.totalSize = UInt32(truncatingIfNeeded: min(UInt64(header.totalSize) + bytes, UInt64(UInt32.max)))
    }

    /// `fdt set PATH NAME VALUE`: creates or replaces a property.
    public mutating func setProperty(_ name: String, _ value: [UInt8], at path: String) throws(EditError) {
        let i = try lookup(path)
        if let p = nodes[i].properties.firstIndex(where: { $0.name == name }) {
            nodes[i].properties[p].value = value
        } else {
            nodes[i].properties.append(DeviceTreeProperty(name: name, value: value))
        }
    }

    /// `fdt mknod PATH NAME`.
    public mutating func makeNode(_ name: String, under path: String) throws(EditError) {
        guard !name.isEmpty, !name.contains("/") else { throw .badName(name) }
        let parent = try lookup(path)
        if nodes[parent].children.contains(where: { !removed[$0] && nodes[$0].name == name }) {
            throw .nodeExists(path: (path == "/" ? "" : path) + "/" + name)
        }
        let index = nodes.count
        nodes.append(DeviceTreeNode(name: name, parent: parent, children: [], properties: [], depth: nodes[parent].depth + 1, offset: 0))
        removed.append(false)
        nodes[parent].children.append(index)
    }

    /// `fdt rm PATH [NAME]`: removes a property, or the node with everything under it.
    public mutating func remove(_ path: String, property: String? = nil) throws(EditError) {
        let i = try lookup(path)
        if let property {
            guard let p = nodes[i].properties.firstIndex(where: { $0.name == property }) else { throw .noSuchProperty(path: path, property: property) }
            nodes[i].properties.remove(at: p)
            return
        }
        guard i != 0 else { throw .cannotRemoveRoot }
        removed[i] = true
    }

    /// The value of a property, if the node and property exist.
    public func property(_ name: String, at path: String) -> [UInt8]? {
        guard let i = try? lookup(path) else { return nil }
        return nodes[i].property(name)?.value
    }

    /// Whether a node exists at `path`.
    public func exists(_ path: String) -> Bool { (try? lookup(path)) != nil }

    private func lookup(_ path: String) throws(EditError) -> Int {
        var current = 0
        var rest = Substring(path)
        if !path.hasPrefix("/") {
            // An alias: its value is the path of the node it names.
            let alias = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let aliases = try? lookup("/aliases"), let target = nodes[aliases].property(String(alias[0]))?.string, target.hasPrefix("/") else {
                throw .noSuchNode(path: path)
            }
            current = try lookup(target)
            rest = alias.count > 1 ? alias[1] : ""
        }
        for component in rest.split(separator: "/") {
            let live = nodes[current].children.filter { !removed[$0] }
            if let exact = live.first(where: { nodes[$0].name == component }) {
                current = exact
            } else if !component.contains("@"), let loose = live.first(where: { nodes[$0].baseName == component }) {
                current = loose
            } else {
                throw .noSuchNode(path: path)
            }
        }
        return current
    }

    private func align4(_ v: UInt64) -> UInt64 { (v + 3) & ~3 }
}
