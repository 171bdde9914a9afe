/// A node of a parsed device tree. Nodes live in `FlattenedDeviceTree.nodes`;
/// `parent` and `children` are indices into that array, and a parent always
/// comes before its children, so walking up always terminates.
public struct DeviceTreeNode: Hashable, Sendable {
    /// The unit name, e.g. `serial@12c20000`; empty for the root.
    public var name: String
    /// Index of the parent node, nil for the root.
    public var parent: Int?
    public var children: [Int]
    public var properties: [DeviceTreeProperty]
    /// Nesting depth: 0 for the root.
    public var depth: Int
    /// Byte offset of the node's BEGIN_NODE token in the blob.
    public var offset: Int

    /// The first property called `name`, if any.
    public func property(_ name: String) -> DeviceTreeProperty? {
        properties.first { $0.name == name }
    }

    /// The `compatible` strings, empty when absent or malformed.
    public var compatible: [String] { property("compatible")?.strings ?? [] }

    /// The name without its unit address (`serial` for `serial@12c20000`).
    public var baseName: String {
        if let at = name.firstIndex(of: "@") { return String(name[..<at]) }
        return name
    }
}
