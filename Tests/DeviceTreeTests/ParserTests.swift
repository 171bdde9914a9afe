import Testing
@testable import DeviceTree

struct ParserTests {
    @Test func headerReservationsAndNodes() throws {
        let blob = try DTCFixtures.blob("arm32-board")
        let tree = try FlattenedDeviceTree.parse(blob)
        #expect(tree.header.totalSize == UInt32(blob.count))
        #expect(tree.header.version == 17)
        #expect(tree.header.lastCompatibleVersion == 16)
        #expect(tree.reservations == [.init(address: 0x8000_0000, size: 0x1000)])
        #expect(tree.nodes[0].name == "" && tree.nodes[0].parent == nil && tree.nodes[0].depth == 0)
        let uart = try #require(tree.node(at: "/bus@8000000/motherboard/uart@90000"))
        #expect(tree.path(of: uart) == "/bus@8000000/motherboard/uart@90000")
        #expect(tree.nodes[uart].depth == 3)
        #expect(tree.nodes[uart].compatible == ["arm,pl011", "arm,primecell"])
        #expect(tree.nodes[uart].property("reg")?.cells == [3, 0x90000, 0x1000])
        let chosen = try #require(tree.node(at: "/chosen"))
        #expect(tree.nodes[chosen].property("stdout-path")?.string == "serial0:38400n8")
        #expect(tree.nodes[chosen].children.count == 2)
        // Boolean (empty) properties are kept, with an empty value.
        let vram = try #require(tree.node(at: "/reserved-memory/vram@18000000"))
        #expect(tree.nodes[vram].property("no-map")?.value == [])
        // Every child points back at its parent, and parents come first.
        for (i, node) in tree.nodes.enumerated() {
            for c in node.children { #expect(tree.nodes[c].parent == i && c > i) }
        }
        #expect(tree.node(at: "/nonexistent") == nil)
        #expect(tree.node(at: "relative") == nil)
    }

    @Test func propertyValueDecoding() {
        #expect(DeviceTreeProperty(name: "a", value: [0, 0, 0, 2]).u32 == 2)
        #expect(DeviceTreeProperty(name: "a", value: [0, 0, 2]).u32 == nil)
        #expect(DeviceTreeProperty(name: "a", value: [0, 0, 2]).cells == nil)
        #expect(DeviceTreeProperty(name: "c", value: Array("a,b\0c\0".utf8)).strings == ["a,b", "c"])
        #expect(DeviceTreeProperty(name: "c", value: Array("unterminated".utf8)).strings == nil)
        #expect(DeviceTreeProperty(name: "c", value: []).string == nil)
    }
}
