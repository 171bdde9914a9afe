/// Reading `reg` and translating bus addresses to CPU physical addresses
/// through every parent's `ranges`, as the Devicetree Specification (v0.4,
/// 2.3.5, 2.3.8) describes. Numbers wider than 64 bits (PCI's 3-cell
/// addresses) are reported as untranslatable, not truncated.
public struct AddressTranslation: Sendable {
    public let tree: FlattenedDeviceTree

    public init(tree: FlattenedDeviceTree) { self.tree = tree }

    /// Why a `reg` could not be turned into CPU physical ranges.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case badCells(node: String, property: String)
        case malformedReg(length: Int, entryBytes: Int)
        case noMemoryMappedBus(bus: String)
        case noRanges(bus: String)
        case malformedRanges(bus: String)
        case wideAddress(bus: String, cells: Int)
        case outsideRanges(bus: String, address: UInt64)
        case wraps(base: UInt64, size: UInt64)

        public var description: String {
            switch self {
            case .badCells(let node, let property): return "\(node): \(property) is missing a valid value (0 to 4 cells expected)"
            case .malformedReg(let length, let entry): return "reg has \(length) bytes, not a multiple of the \(entry)-byte entry size"
            case .noMemoryMappedBus(let bus): return "parent \(bus) has #size-cells = 0: its children are not memory-mapped"
            case .noRanges(let bus): return "parent bus \(bus) has no ranges property: not reachable from the CPU"
            case .malformedRanges(let bus): return "\(bus): ranges is malformed"
            case .wideAddress(let bus, let cells): return "\(bus) uses \(cells)-cell addresses; addresses wider than 64 bits are not translated"
            case .outsideRanges(let bus, let address): return "address \(hex64(address)) is outside every ranges entry of \(bus)"
            case .wraps(let base, let size): return "base \(hex64(base)) + size \(hex64(size)) wraps past 2^64"
            }
        }
    }

    /// `#address-cells` a node gives its children (default 2).
    public func addressCells(of node: Int) -> Int? { cells(node, "#address-cells", default: 2) }
    /// `#size-cells` a node gives its children (default 1).
    public func sizeCells(of node: Int) -> Int? { cells(node, "#size-cells", default: 1) }

    private func cells(_ node: Int, _ name: String, default value: Int) -> Int? {
        guard let p = tree.nodes[node].property(name) else { return value }
        guard let v = p.u32, v <= 4 else { return nil }
        return Int(v)
    }

    /// Reads `count` cells starting at `index` as one number; nil if wider than 64 bits.
    static func number(_ cells: [UInt32], _ index: Int, _ count: Int) -> UInt64? {
        guard index >= 0, count >= 0, index + count <= cells.count else { return nil }
        var v: UInt64 = 0
        for i in index ..< index + count {
            guard v >> 32 == 0 else { return nil }
            v = v << 32 | UInt64(cells[i])
        }
        return v
    }

    /// The CPU physical ranges of a property of `node` laid out as `reg` is
    /// (address, size pairs in the parent's cells), translated through every
    /// ancestor's `ranges` unless `translated` is false (`/chosen` module
    /// `reg`s are CPU physical addresses in `/chosen`'s cells, not bus addresses).
    /// - Precondition: `node` is a valid, non-root index.
    public func physicalRanges(of node: Int, property name: String = "reg", translated: Bool = true) -> Result<[(base: UInt64, size: UInt64)], Problem> {
        guard let parent = tree.nodes[node].parent, let prop = tree.nodes[node].property(name) else { return .success([]) }
        let parentPath = tree.path(of: parent)
        guard let ac = addressCells(of: parent) else { return .failure(.badCells(node: parentPath, property: "#address-cells")) }
        guard let sc = sizeCells(of: parent) else { return .failure(.badCells(node: parentPath, property: "#size-cells")) }
        guard sc > 0 else { return .failure(.noMemoryMappedBus(bus: parentPath)) }
        let entry = ac + sc
        guard entry > 0, let cells = prop.cells, cells.count % entry == 0 else {
            return .failure(.malformedReg(length: prop.value.count, entryBytes: 4 * max(entry, 1)))
        }
        guard ac <= 2 else { return .failure(.wideAddress(bus: parentPath, cells: ac)) }
        var out: [(base: UInt64, size: UInt64)] = []
        var i = 0
        while i < cells.count {
            guard let address = Self.number(cells, i, ac), let size = Self.number(cells, i + ac, sc) else {
                return .failure(.wideAddress(bus: parentPath, cells: sc))
            }
            guard translated else {
                guard address.addingReportingOverflow(size).overflow == false else { return .failure(.wraps(base: address, size: size)) }
                out.append((address, size))
                i += entry
                continue
            }
            switch translate(address, size: size, onBusOf: parent) {
            case .success(let base): out.append((base, size))
            case .failure(let problem): return .failure(problem)
            }
            i += entry
        }
        return .success(out)
    }

    /// Translates `address` on the bus that `bus` provides to a CPU physical address.
    public func translate(_ address: UInt64, size: UInt64, onBusOf bus: Int) -> Result<UInt64, Problem> {
        var address = address
        var current = bus
        // Each step moves to an ancestor (a smaller index), so this terminates.
        while let up = tree.nodes[current].parent {
            let busPath = tree.path(of: current)
            guard let ranges = tree.nodes[current].property("ranges") else { return .failure(.noRanges(bus: busPath)) }
            if ranges.value.isEmpty {
                current = up
                continue
            }
            guard let childCells = addressCells(of: current), let sizeCells = sizeCells(of: current), let parentCells = addressCells(of: up) else {
                return .failure(.badCells(node: busPath, property: "#address-cells/#size-cells"))
            }
            let entry = childCells + parentCells + sizeCells
            guard entry > 0, let cells = ranges.cells, cells.count % entry == 0 else { return .failure(.malformedRanges(bus: busPath)) }
            guard childCells <= 2, parentCells <= 2 else { return .failure(.wideAddress(bus: busPath, cells: max(childCells, parentCells))) }
            var mapped: UInt64?
            var i = 0
            while i < cells.count {
                guard let child = Self.number(cells, i, childCells), let parentBase = Self.number(cells, i + childCells, parentCells),
                      let length = Self.number(cells, i + childCells + parentCells, sizeCells) else {
                    return .failure(.malformedRanges(bus: busPath))
                }
                if address >= child, address - child < length, size <= length - (address - child) {
                    let (sum, overflow) = parentBase.addingReportingOverflow(address - child)
                    guard !overflow else { return .failure(.wraps(base: parentBase, size: address - child)) }
                    mapped = sum
                    break
                }
                i += entry
            }
            guard let next = mapped else { return .failure(.outsideRanges(bus: busPath, address: address)) }
            address = next
            current = up
        }
        guard address.addingReportingOverflow(size).overflow == false else { return .failure(.wraps(base: address, size: size)) }
        return .success(address)
    }
}
