import Testing
@testable import DeviceTree

/// U-Boot's `fdt` edits on a parsed tree, read back through BoardExtractor.
struct DeviceTreeEditorTests {
    /// A root with 2 address cells, a memory node, /chosen, an alias, and a bus with a device.
    static func tree() throws -> FlattenedDeviceTree {
        var b = BlobBuilder()
        b.begin("")
        b.property("#address-cells", BlobBuilder.be32(2))
        b.property("#size-cells", BlobBuilder.be32(2))
        b.begin("aliases")
        b.property("serial0", Array("/soc/serial@9000000".utf8) + [0])
        b.end()
        b.begin("memory@40000000")
        b.property("device_type", Array("memory".utf8) + [0])
        b.property("reg", BlobBuilder.be64(0x4000_0000) + BlobBuilder.be64(0x4000_0000))
        b.end()
        b.begin("chosen")
        b.end()
        b.begin("soc")
        b.property("#address-cells", BlobBuilder.be32(2))
        b.property("#size-cells", BlobBuilder.be32(2))
        b.property("ranges", [])
        b.begin("serial@9000000")
        b.property("compatible", Array("arm,pl011".utf8) + [0])
        b.property("reg", BlobBuilder.be64(0x900_0000) + BlobBuilder.be64(0x1000))
        b.end()
        b.end()
        b.end()
        b.token(9)
        return try FlattenedDeviceTree.parse(b.bytes())
    }

    static func cells(_ values: UInt32...) -> [UInt8] { values.flatMap(BlobBuilder.be32) }

    @Test func addedModulesAreReadAsChosenModules() throws {
        var e = DeviceTreeEditor(try Self.tree())
        try e.setProperty("#address-cells", Self.cells(2), at: "/chosen")
        try e.setProperty("#size-cells", Self.cells(2), at: "/chosen")
        try e.makeNode("dom0", under: "/chosen")
        try e.setProperty("compatible", Array("multiboot,kernel\0multiboot,module\0".utf8), at: "/chosen/dom0")
        try e.setProperty("reg", Self.cells(0, 0x4400_0000, 0, 0x60_0000), at: "/chosen/dom0")
        let board = BoardExtractor.describe(e.tree)
        #expect(board.modules.map(\.region.base) == [0x4400_0000])
        #expect(board.modules.first?.kind == .kernel && board.modules.first?.region.size == 0x60_0000)
        // A second mknod of the same name is refused, as libfdt does.
        #expect(throws: DeviceTreeEditor.EditError.nodeExists(path: "/chosen/dom0")) { try e.makeNode("dom0", under: "/chosen") }
    }

    @Test func setReplacesAndRemoveDeletes() throws {
        var e = DeviceTreeEditor(try Self.tree())
        try e.setProperty("reg", Self.cells(0, 0x4000_0000, 0, 0x2000_0000), at: "/memory")
        #expect(BoardExtractor.describe(e.tree).memory.map(\.size) == [0x2000_0000])
        try e.remove("/soc/serial@9000000")
        #expect(BoardExtractor.describe(e.tree).devices.isEmpty)
        #expect(!e.exists("/soc/serial@9000000") && e.exists("/soc"))
        try e.remove("/soc", property: "ranges")
        #expect(e.property("ranges", at: "/soc") == nil)
        #expect(throws: DeviceTreeEditor.EditError.noSuchProperty(path: "/soc", property: "ranges")) { try e.remove("/soc", property: "ranges") }
        #expect(throws: DeviceTreeEditor.EditError.cannotRemoveRoot) { try e.remove("/") }
        #expect(throws: DeviceTreeEditor.EditError.noSuchNode(path: "/nope")) { try e.setProperty("x", [], at: "/nope") }
    }

    @Test func aliasesAndUnitlessNamesFindNodes() throws {
        var e = DeviceTreeEditor(try Self.tree())
        try e.setProperty("status", Array("disabled\0".utf8), at: "serial0")
        #expect(e.property("status", at: "/soc/serial@9000000") == Array("disabled\0".utf8))
        #expect(e.exists("/soc/serial"))
        #expect(!e.exists("serial1"))
    }

    @Test func theRebuiltTreeKeepsParentsBeforeChildren() throws {
        var e = DeviceTreeEditor(try Self.tree())
        try e.makeNode("domU0", under: "/chosen")
        try e.makeNode("module@1", under: "/chosen/domU0")
        try e.remove("/aliases")
        let t = e.tree
        for (i, node) in t.nodes.enumerated() {
            if let p = node.parent { #expect(p < i && t.nodes[p].children.contains(i)) }
            for c in node.children { #expect(t.nodes[c].parent == i && t.nodes[c].depth == node.depth + 1) }
        }
        #expect(t.node(at: "/chosen/domU0/module@1") != nil && t.node(at: "/aliases") == nil)
    }

    @Test func resizeEndsTheBlobOnA4KiBoundary() throws {
        var e = DeviceTreeEditor(try Self.tree())
        let content = e.contentSize
        e.resize(extra: 0x1024, address: 0x680_0000)
        let size = UInt64(e.tree.header.totalSize)
        #expect(size % 0x1000 == 0 && size >= content + 80 + 0x1024 && size < content + 80 + 0x1024 + 0x1000)
        // From an address 0x100 into a page, the end (not the size) is page aligned.
        e.resize(extra: 0, address: 0x680_0100)
        #expect((0x680_0100 + UInt64(e.tree.header.totalSize)) % 0x1000 == 0)
        e.grow(by: 0x3000)
        #expect((0x680_0100 + UInt64(e.tree.header.totalSize)) % 0x1000 == 0)
    }
}
