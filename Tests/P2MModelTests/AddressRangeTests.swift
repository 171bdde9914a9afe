import P2MModel
import Testing

struct AddressRangeTests {
    typealias MRange = AddressRange<MachineAddress>

    @Test func halfOpenEnds() throws {
        let a = try MRange(base: MachineAddress(0x1000), size: 0x1000)
        let b = try MRange(base: MachineAddress(0x2000), size: 0x1000)
        #expect(!a.overlaps(b))
        #expect(!b.overlaps(a))
        #expect(a.contains(MachineAddress(0x1FFF)))
        #expect(!a.contains(MachineAddress(0x2000)))
        #expect(a.end == MachineAddress(0x2000))
        #expect(a.last == MachineAddress(0x1FFF))
    }

    @Test func regionAtZero() throws {
        let zero = try MRange(base: MachineAddress(0), size: 0x1000)
        #expect(zero.contains(MachineAddress(0)))
        #expect(zero.overlaps(try MRange(base: MachineAddress(0xFFF), size: 1)))
        #expect(!zero.overlaps(try MRange(base: MachineAddress(0x1000), size: 1)))
    }

    @Test func topOfAddressSpace() throws {
        let top = try MRange(base: MachineAddress(0xFFFF_FFFF_FFFF_F000), size: 0x1000)
        #expect(top.end == nil)
        #expect(top.last == MachineAddress(.max))
        #expect(top.contains(MachineAddress(.max)))
        #expect(top.overlaps(try MRange(base: MachineAddress(.max), size: 1)))
        #expect(!top.overlaps(try MRange(base: MachineAddress(0), size: 0x1000)))
        #expect(top.description == "[0xfffffffffffff000, 0x10000000000000000)")
        #expect(throws: AddressRangeError.wrapsAddressSpace(base: 0xFFFF_FFFF_FFFF_F000, size: 0x1001)) {
            try MRange(base: MachineAddress(0xFFFF_FFFF_FFFF_F000), size: 0x1001)
        }
    }

    @Test func emptyRangesOverlapNothing() throws {
        let empty = try MRange(base: MachineAddress(0x1000), size: 0)
        let around = try MRange(base: MachineAddress(0), size: 0x10000)
        #expect(!empty.overlaps(around))
        #expect(!around.overlaps(empty))
        #expect(!empty.contains(MachineAddress(0x1000)))
        #expect(around.contains(empty))
    }

    @Test func intersectionAndContainment() throws {
        let a = try MRange(base: MachineAddress(0x4000_0000), size: 0x8000_0000)
        let b = try MRange(base: MachineAddress(0xBFF0_0000), size: 0x20_0000)
        #expect(a.intersection(b) == MRange(first: MachineAddress(0xBFF0_0000), last: MachineAddress(0xBFFF_FFFF)))
        #expect(!a.contains(b))
        #expect(a.contains(try MRange(base: MachineAddress(0x4000_0000), size: 0x8000_0000)))
    }

    @Test func pageExpansion() throws {
        let uart = try MRange(base: MachineAddress(0x12C2_0000), size: 0x100)
        #expect(uart.expanded(toAlignment: 4096) == (try MRange(base: MachineAddress(0x12C2_0000), size: 0x1000)))
        let straddle = try MRange(base: MachineAddress(0xFF0), size: 0x20)
        #expect(straddle.expanded(toAlignment: 4096) == (try MRange(base: MachineAddress(0), size: 0x2000)))
    }
}
