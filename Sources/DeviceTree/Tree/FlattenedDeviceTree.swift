/// A parsed flattened device tree: header, memory reservation map and nodes.
///
/// `parse` is meant to face untrusted input (a fuzzer links it): every read is
/// bounds-checked, nothing is force-unwrapped, nesting depth and node,
/// property and reservation counts are limited, and the node graph is built
/// from the linear token stream, so it cannot contain a cycle.
public struct FlattenedDeviceTree: Hashable, Sendable {
    /// Resource limits applied while parsing.
    public struct Limits: Hashable, Sendable {
        public var maximumDepth: Int
        public var maximumNodes: Int
        public var maximumProperties: Int
        public var maximumReservations: Int

        public init(maximumDepth: Int = 64, maximumNodes: Int = 65_536, maximumProperties: Int = 1_048_576, maximumReservations: Int = 4096) {
            self.maximumDepth = maximumDepth
            self.maximumNodes = maximumNodes
            self.maximumProperties = maximumProperties
            self.maximumReservations = maximumReservations
        }
    }

    /// One `/memreserve/` entry.
    public struct Reservation: Hashable, Sendable {
        public var address: UInt64
        public var size: UInt64
    }

    public var header: FlattenedDeviceTreeHeader
    public var reservations: [Reservation]
    /// Every node; index 0 is the root.
    public var nodes: [DeviceTreeNode]

    static let beginNode: UInt32 = 1
    static let endNode: UInt32 = 2
    static let property: UInt32 = 3
    static let nop: UInt32 = 4
    static let end: UInt32 = 9

    /// Parses a blob.
    /// - Parameter bytes: the whole `.dtb` file.
    /// - Throws: `DeviceTreeError` naming what is wrong and where (offset).
    ///   Never traps, whatever the bytes.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(DeviceTreeError) -> FlattenedDeviceTree {
        let header = try FlattenedDeviceTreeHeader(bytes)
        let reservations = try parseReservations(bytes, header: header, limits: limits)
        let nodes = try parseStructure(bytes, header: header, limits: limits)
        return FlattenedDeviceTree(header: header, reservations: reservations, nodes: nodes)
    }

    private static func parseReservations(_ bytes: [UInt8], header: FlattenedDeviceTreeHeader, limits: Limits) throws(DeviceTreeError) -> [Reservation] {
        let r = BigEndianReader(bytes, upper: Int(header.totalSize))
        let start = Int(header.reservationMapOffset)
        var out: [Reservation] = []
        var at = start
        while true {
            guard let address = r.u64(at: at), let size = r.u64(at: at + 8) else {
                throw .unterminatedReservationMap(offset: start)
            }
            if address == 0 && size == 0 { return out }
            guard out.count < limits.maximumReservations else {
                throw .limitExceeded(what: "memory reservation entries", limit: limits.maximumReservations)
            }
            guard address.addingReportingOverflow(size).overflow == false else {
                throw .rangeWraps(what: "/memreserve/ entry \(out.count)", base: address, size: size)
            }
            out.append(Reservation(address: address, size: size))
            at += 16
        }
    }

    private static func parseStructure(_ bytes: [UInt8], header: FlattenedDeviceTreeHeader, limits: Limits) throws(DeviceTreeError) -> [DeviceTreeNode] {
        let structure = BigEndianReader(bytes, lower: Int(header.structureOffset), upper: Int(header.structureOffset) + Int(header.structureSize))
        let stringsStart = Int(header.stringsOffset)
        let strings = BigEndianReader(bytes, lower: stringsStart, upper: stringsStart + Int(header.stringsSize))
        var nodes: [DeviceTreeNode] = []
        var open: [Int] = []  // stack of node indices
        var propertyCount = 0
        var at = structure.lower
        var rootClosed = false

        while true {
            guard let token = structure.u32(at: at) else { throw .missingEnd(offset: at) }
            let tokenOffset = at
            at += 4
            switch token {
            case beginNode:
                guard !rootClosed else { throw .badNesting("a second root node", offset: tokenOffset) }
                guard let nul = structure.nul(from: at) else { throw .unterminatedNodeName(offset: at) }
                let name = text(bytes[at ..< nul])
                at = align4(nul + 1)
                guard open.count < limits.maximumDepth else { throw .limitExceeded(what: "levels of node nesting", limit: limits.maximumDepth) }
                guard nodes.count < limits.maximumNodes else { throw .limitExceeded(what: "nodes", limit: limits.maximumNodes) }
                let index = nodes.count
                nodes.append(DeviceTreeNode(name: name, parent: open.last, children: [], properties: [], depth: open.count, offset: tokenOffset))
                if let parent = open.last { nodes[parent].children.append(index) }
                open.append(index)
            case endNode:
                guard open.popLast() != nil else { throw .badNesting("END_NODE without an open node", offset: tokenOffset) }
                if open.isEmpty { rootClosed = true }
            case property:
                guard let length = structure.u32(at: at), let nameOffset = structure.u32(at: at + 4) else {
                    throw .truncated(what: "property header", offset: tokenOffset)
                }
                at += 8
                // (Every offset below is within the validated totalsize; a length may not fit an Int on 32-bit targets.)
                guard let count = Int(exactly: length), let value = structure.slice(at: at, length: count) else {
                    throw .truncated(what: "property value of \(length) bytes", offset: at)
                }
                at = align4(at + count)
                guard nameOffset < header.stringsSize else {
                    throw .propertyNameOutOfBounds(nameOffset: nameOffset, stringsSize: header.stringsSize, offset: tokenOffset)
                }
                let nameStart = stringsStart + Int(nameOffset)
                guard let nul = strings.nul(from: nameStart) else {
                    throw .unterminatedPropertyName(nameOffset: nameOffset, offset: tokenOffset)
                }
                guard let current = open.last else { throw .badNesting("a property outside any node", offset: tokenOffset) }
                propertyCount += 1
                guard propertyCount <= limits.maximumProperties else { throw .limitExceeded(what: "properties", limit: limits.maximumProperties) }
                nodes[current].properties.append(DeviceTreeProperty(name: text(bytes[nameStart ..< nul]), value: value))
            case nop:
                continue
            case end:
                guard open.isEmpty else { throw .badNesting("END while \(open.count) node(s) are still open", offset: tokenOffset) }
                guard !nodes.isEmpty else { throw .badNesting("no root node", offset: tokenOffset) }
                return nodes
            default:
                throw .unknownToken(token: token, offset: tokenOffset)
            }
        }
    }

    private static func align4(_ v: Int) -> Int { (v + 3) & ~3 }

    // MARK: - Lookup

    /// The full path of node `index` (`/soc/serial@12c20000`); `/` for the root.
    /// - Precondition: `index` is a valid index into `nodes`.
    public func path(of index: Int) -> String {
        var parts: [String] = []
        var current: Int? = index
        while let i = current, i > 0, i < nodes.count {
            parts.append(nodes[i].name)
            current = nodes[i].parent
        }
        return "/" + parts.reversed().joined(separator: "/")
    }

    /// The node at an absolute path such as `/soc/serial@12c20000`. A
    /// component without a unit address matches a node whose base name is
    /// equal when no exact name matches (as `/chosen` or `/memory` lookups do).
    public func node(at path: String) -> Int? {
        guard path.hasPrefix("/"), !nodes.isEmpty else { return nil }
        var current = 0
        for component in path.split(separator: "/") {
            let children = nodes[current].children
            if let exact = children.first(where: { nodes[$0].name == component }) {
                current = exact
            } else if !component.contains("@"), let loose = children.first(where: { nodes[$0].baseName == component }) {
                current = loose
            } else {
                return nil
            }
        }
        return current
    }
}
