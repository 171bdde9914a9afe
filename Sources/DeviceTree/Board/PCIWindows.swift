/// The CPU-side windows of a PCI host bridge (`device_type = "pci"`): its
/// `ranges` entries, 3-cell PCI child addresses to parent-bus addresses. Xen
/// maps them 1:1 into the hardware domain beside the bridge's `reg`
/// (domain_build.c, `handle_device` for PCI nodes), so import-dtb imports them
/// as devices.
enum PCIWindows {
    struct Window {
        /// `io`, `mem32`, `mem64` or `config`, from the space code of the child address.
        var space: String
        var base: UInt64
        var size: UInt64
    }

    /// The windows of `bridge`, translated to CPU physical addresses.
    static func windows(of bridge: Int, translation: AddressTranslation) -> Result<[Window], AddressTranslation.Problem> {
        let tree = translation.tree
        let path = tree.path(of: bridge)
        guard let ranges = tree.nodes[bridge].property("ranges"), !ranges.value.isEmpty else { return .success([]) }
        guard let parent = tree.nodes[bridge].parent, let childCells = translation.addressCells(of: bridge),
              let sizeCells = translation.sizeCells(of: bridge), let parentCells = translation.addressCells(of: parent) else {
            return .failure(.badCells(node: path, property: "#address-cells/#size-cells"))
        }
        let entry = childCells + parentCells + sizeCells
        guard childCells == 3, entry > 0, let cells = ranges.cells, cells.count % entry == 0 else { return .failure(.malformedRanges(bus: path)) }
        var out: [Window] = []
        var i = 0
        while i < cells.count {
            guard let address = AddressTranslation.number(cells, i + childCells, parentCells),
                  let size = AddressTranslation.number(cells, i + childCells + parentCells, sizeCells) else {
                return .failure(.wideAddress(bus: path, cells: max(parentCells, sizeCells)))
            }
            let space: String
            switch (cells[i] >> 24) & 3 {
            case 0: space = "config"
            case 1: space = "io"
            case 2: space = "mem32"
            default: space = "mem64"
            }
            switch translation.translate(address, size: size, onBusOf: parent) {
            case .success(let base): out.append(Window(space: space, base: base, size: size))
            case .failure(let problem): return .failure(problem)
            }
            i += entry
        }
        return .success(out)
    }
}
