import Testing
@testable import DeviceTree

/// Every field import-dtb takes from the fixtures, checked against the .dts text.
struct BoardExtractorTests {
    typealias Region = BoardDescription.Region

    private func device(_ board: BoardDescription, _ name: String) throws -> BoardDescription.DeviceWindow {
        try #require(board.devices.first { $0.region.name == name }, "no device \(name) in \(board.devices.map(\.region.name))")
    }

    @Test func arm32BoardEveryField() throws {
        let board = BoardExtractor.describe(try DTCFixtures.tree("arm32-board"))
        #expect(board.model == "Fixture Board A15")
        #expect(board.compatible == ["p2m-check,fixture-a15"])
        #expect(board.cpuCount == 2)
        #expect(board.cpuCompatible == ["arm,cortex-a15"])
        #expect(board.memory == [Region(name: "memory@80000000", base: 0x8000_0000, size: 0x4000_0000, dtPath: "/memory@80000000")])
        #expect(board.reserved == [
            Region(name: "memreserve-0", base: 0x8000_0000, size: 0x1000, dtPath: "/memreserve/"),
            Region(name: "vram@18000000", base: 0x1800_0000, size: 0x80_0000, dtPath: "/reserved-memory/vram@18000000"),
        ])
        let expected: [(String, UInt64, UInt64, BoardDescription.Role, String)] = [
            ("interrupt-controller@2c001000-gicd", 0x2C00_1000, 0x1000, .gicd, "/interrupt-controller@2c001000"),
            ("interrupt-controller@2c001000-gicc", 0x2C00_2000, 0x2000, .gicc, "/interrupt-controller@2c001000"),
            ("interrupt-controller@2c001000-gich", 0x2C00_4000, 0x2000, .gich, "/interrupt-controller@2c001000"),
            ("interrupt-controller@2c001000-gicv", 0x2C00_6000, 0x2000, .gicv, "/interrupt-controller@2c001000"),
            ("timer@2a810000", 0x2A81_0000, 0x1000, .timer, "/timer@2a810000"),
            // Translated through bus@8000000's 2-cell ranges (chip select 0 and 3).
            ("flash@0,0", 0x0800_0000, 0x400_0000, .other, "/bus@8000000/flash@0,0"),
            ("uart@90000", 0x1C09_0000, 0x1000, .uart, "/bus@8000000/motherboard/uart@90000"),
            ("uart@a0000", 0x1C0A_0000, 0x1000, .uart, "/bus@8000000/motherboard/uart@a0000"),
            ("i2c@160000", 0x1C16_0000, 0x1000, .other, "/bus@8000000/motherboard/i2c@160000"),
            ("sysreg@1c010000", 0x1C01_0000, 0x1000, .other, "/sysreg@1c010000"),
            ("hdlcd@2b000000-ctrl", 0x2B00_0000, 0x1000, .other, "/hdlcd@2b000000"),
            ("hdlcd@2b000000-fb", 0x2B01_0000, 0x1000, .other, "/hdlcd@2b000000"),
        ]
        #expect(board.devices.map(\.region.name) == expected.map(\.0))
        for (name, base, size, role, path) in expected {
            let d = try device(board, name)
            #expect(d.region == Region(name: name, base: base, size: size, dtPath: path))
            #expect(d.role == role, "\(name)")
        }
        #expect(try device(board, "uart@a0000").status == "disabled")
        #expect(try device(board, "uart@90000").status == nil)
        #expect(try device(board, "uart@90000").compatible == "arm,pl011")
        #expect(try device(board, "timer@2a810000").skippedByXen)
        #expect(board.devices.filter(\.skippedByXen).count == 1)
        #expect(board.console == "uart@90000")
        #expect(board.modules == [
            .init(region: Region(name: "dom0-module@82000000", base: 0x8200_0000, size: 0x60_0000, dtPath: "/chosen/module@82000000"), kind: .kernel, domain: "dom0"),
            .init(region: Region(name: "dom0-module@83000000", base: 0x8300_0000, size: 0x80_0000, dtPath: "/chosen/module@83000000"), kind: .ramdisk, domain: "dom0"),
        ])
        // What was not imported is reported, one note each.
        #expect(board.notes.count == 4)
        #expect(board.notes.contains { $0.hasPrefix("/i2c-bus/eeprom@50: parent bus /i2c-bus has no ranges property") })
        #expect(board.notes.contains { $0.hasPrefix("/reserved-memory/linux,cma: dynamic reserved-memory region") })
        #expect(board.notes.contains { $0.hasPrefix("/bus@8000000/motherboard/i2c@160000: 1 child node(s) with reg on a bus with #size-cells = 0") && $0.hasSuffix("dvi-transmitter@39") })
        #expect(board.notes.contains { $0.hasPrefix("/timer@2a810000: Xen skips arm,armv7-timer-mem") })
    }

    @Test func arm64GICv3EveryField() throws {
        let board = BoardExtractor.describe(try DTCFixtures.tree("arm64-gicv3"))
        #expect(board.model == "Fixture Board GICv3")
        #expect(board.cpuCount == 4)
        #expect(board.cpuCompatible == ["arm,cortex-a57"])
        // 2-cell addresses and sizes: a bank above 4 GiB of 4 GiB.
        #expect(board.memory == [
            Region(name: "memory@40000000", base: 0x4000_0000, size: 0x4000_0000, dtPath: "/memory@40000000"),
            Region(name: "memory@880000000", base: 0x8_8000_0000, size: 0x1_0000_0000, dtPath: "/memory@880000000"),
        ])
        #expect(board.reserved == [Region(name: "optee@7fe00000", base: 0x7FE0_0000, size: 0x20_0000, dtPath: "/reserved-memory/optee@7fe00000")])
        let expected: [(String, UInt64, UInt64, BoardDescription.Role)] = [
            ("intc@8000000-gicd", 0x0800_0000, 0x1_0000, .gicd),
            ("intc@8000000-gicr0", 0x080A_0000, 0xF6_0000, .gicr),
            ("intc@8000000-gicr1", 0x40_0000_0000, 0x10_0000, .gicr),
            ("intc@8000000-gicc", 0x0801_0000, 0x1_0000, .gicc),
            ("intc@8000000-gich", 0x0803_0000, 0x1_0000, .gich),
            ("intc@8000000-gicv", 0x0804_0000, 0x1_0000, .gicv),
            ("its@8080000", 0x0808_0000, 0x2_0000, .its),
            ("serial@9000000", 0x0900_0000, 0x1000, .uart),
            ("iommu@9050000", 0x0905_0000, 0x2_0000, .iommu),
            ("pcie@4010000000", 0x40_1000_0000, 0x1000_0000, .other),
            // The host bridge's ranges (space code 0b10: 32-bit memory), which Xen maps into dom0.
            ("pcie@4010000000-mem32-window", 0x1000_0000, 0x2EFF_0000, .other),
        ]
        #expect(board.devices.map(\.region.name) == expected.map(\.0))
        for (name, base, size, role) in expected {
            let d = try device(board, name)
            #expect(d.region.base == base && d.region.size == size && d.role == role, "\(name): \(d)")
        }
        #expect(try device(board, "its@8080000").region.dtPath == "/intc@8000000/its@8080000")
        #expect(board.console == "serial@9000000")
        #expect(board.modules.isEmpty)
        #expect(board.notes == [
            "/pcie@4010000000: 1 PCI window(s) from ranges imported as devices (Xen maps a host bridge's ranges into dom0)",
            "/pcie@4010000000/ethernet@0: /pcie@4010000000 uses 3-cell addresses; addresses wider than 64 bits are not translated; not imported",
        ])
    }

    @Test func quirksAreReportedNotDropped() throws {
        let board = BoardExtractor.describe(try DTCFixtures.tree("quirks"))
        #expect(board.console == nil)
        #expect(board.devices.isEmpty)
        #expect(board.modules == [
            .init(region: Region(name: "domU1-module@50000000", base: 0x5000_0000, size: 0x80_0000, dtPath: "/chosen/domU1/module@50000000"), kind: .kernel, domain: "domU1"),
            .init(region: Region(name: "dom0-initrd", base: 0x4800_0000, size: 0x40_0000, dtPath: "/chosen"), kind: .ramdisk, domain: "dom0"),
        ])
        #expect(board.domains == [.init(name: "domU1", memory: 128 << 20, vcpus: 2, dtPath: "/chosen/domU1")])
        #expect(board.notes.sorted() == [
            "/chosen/domU2: dom0less domain with xen,static-mem or direct-map; static memory is not in the spec format, domain not imported",
            "/chosen/stdout-path \"serial0:115200n8\": alias cycle serial0 -> console -> serial0; no console imported",
            "/empty@10000000: reg entry 0 has size 0; not imported",
            "/odd@11000000: reg has 12 bytes, not a multiple of the 8-byte entry size; not imported",
        ])
    }

    @Test func translationFollowsEveryRangesLevel() throws {
        let tree = try DTCFixtures.tree("arm32-board")
        let translation = AddressTranslation(tree: tree)
        let motherboard = try #require(tree.node(at: "/bus@8000000/motherboard"))
        // Chip select 3 offset 0x90000 -> 0x1c090000; chip select 1 is not in the ranges.
        #expect(try translation.translate(0x3_0009_0000, size: 0x1000, onBusOf: motherboard).get() == 0x1C09_0000)
        #expect(translation.translate(0x1_0000_0000, size: 0x1000, onBusOf: motherboard) == .failure(.outsideRanges(bus: "/bus@8000000", address: 0x1_0000_0000)))
        // A window that starts inside a ranges entry but runs past its end is not translated.
        #expect(translation.translate(0x3_03FF_F000, size: 0x2000, onBusOf: motherboard) == .failure(.outsideRanges(bus: "/bus@8000000", address: 0x3_03FF_F000)))
    }
}
