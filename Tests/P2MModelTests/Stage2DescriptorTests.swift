import P2MModel
import Testing

/// Descriptor values computed by hand from the bit layout (ARM ARM D8.3, Xen's lpae_p2m_t):
/// valid=bit0, table/page=bit1, MemAttr=5:2, S2AP R=6 W=7, SH=9:8, AF=10, OA=47:12, XN=54, type=58:55.
struct Stage2DescriptorTests {
    @Test func ramReadWrite2MBlock() {
        // 0x1 | 0xF<<2 | R | W | SH inner (3<<8) | AF = 0x7FD; type 1<<55 = 0x0080_0000_0000_0000.
        let d = Stage2Descriptor.leaf(output: MachineAddress(0x6000_0000), attributes: P2MType.ramReadWrite.defaultAttributes, level: .two)
        #expect(d.rawValue == 0x0080_0000_6000_07FD)
        #expect(d.kind(at: .two) == .block(MachineAddress(0x6000_0000)))
    }

    @Test func mmioCacheablePage() {
        // 0x1 | 0x2 | 0xF<<2 | R | W | SH outer (2<<8) | AF = 0x6FF; XN 1<<54 + type 5<<55 = 0x02C0_0000_0000_0000.
        let d = Stage2Descriptor.leaf(output: MachineAddress(0x12C2_0000), attributes: P2MType.mmioDirectCacheable.defaultAttributes, level: .three)
        #expect(d.rawValue == 0x02C0_0000_12C2_06FF)
        #expect(d.kind(at: .three) == .page(MachineAddress(0x12C2_0000)))
        #expect(d.access == Stage2Access(read: true, write: true, executeNever: true))
        #expect(d.shareability == .outer)
    }

    @Test func mmioDevicePage() {
        // MemAttr 0x1<<2 = 0x4: 0x1 | 0x2 | 0x4 | 0x40 | 0x80 | 0x200 | 0x400 = 0x6C7; XN + type 3<<55 = 0x01C0_...
        let d = Stage2Descriptor.leaf(output: MachineAddress(0x1000_0000), attributes: P2MType.mmioDirectDevice.defaultAttributes, level: .three)
        #expect(d.rawValue == 0x01C0_0000_1000_06C7)
        #expect(d.memoryAttribute == .deviceNGnRE)
        #expect(d.memoryAttribute.isDevice)
        #expect(d.p2mType == .mmioDirectDevice)
    }

    @Test func ramReadOnly1GBlock() {
        // 0x1 | 0x3C | R (0x40) | SH inner 0x300 | AF 0x400 = 0x77D; type 2<<55 = 0x0100_0000_0000_0000.
        let d = Stage2Descriptor.leaf(output: MachineAddress(0x8000_0000), attributes: P2MType.ramReadOnly.defaultAttributes, level: .one)
        #expect(d.rawValue == 0x0100_0000_8000_077D)
        #expect(d.access.write == false)
    }

    @Test func tableDescriptorAsXenWritesIt() {
        // Xen writes a table entry as a p2m_ram_rw leaf with bit 1 set: 0x7FF, type 1<<55.
        let d = Stage2Descriptor.table(next: MachineAddress(0x4000_1000))
        #expect(d.rawValue == 0x0080_0000_4000_17FF)
        #expect(d.kind(at: .one) == .table(MachineAddress(0x4000_1000)))
        #expect(d.kind(at: .zero) == .table(MachineAddress(0x4000_1000)))
        // The same bits at level 3 are a page.
        #expect(d.kind(at: .three) == .page(MachineAddress(0x4000_1000)))
    }

    @Test func decodingHandWrittenWords() {
        #expect(Stage2Descriptor(rawValue: 0).kind(at: .two) == .invalid)
        // Valid bit clear but everything else set: still invalid to the MMU.
        #expect(Stage2Descriptor(rawValue: 0x0080_0000_6000_07FC).kind(at: .two) == .invalid)
        // Bit 1 clear at level 3 or level 0: reserved encodings.
        #expect(Stage2Descriptor(rawValue: 0x0080_0000_6000_07FD).kind(at: .three) == .reserved)
        #expect(Stage2Descriptor(rawValue: 0x0080_0000_6000_07FD).kind(at: .zero) == .reserved)
        let d = Stage2Descriptor(rawValue: 0x0040_0000_0900_06C7 | (3 << 55))
        #expect(d.outputAddress == MachineAddress(0x0900_0000))
        #expect(d.accessFlag)
        #expect(d.leafAttributes?.type == .mmioDirectDevice)
    }

    @Test func reservedBits() {
        #expect(Stage2Descriptor(rawValue: 0x0080_0000_6000_07FD).reservedBits == 0)
        #expect(Stage2Descriptor(rawValue: 0x0080_0000_6000_0FFD).reservedBits == 0x800)
        #expect(Stage2Descriptor(rawValue: 1 << 63 | 1).reservedBits == 1 << 63)
        #expect(Stage2Descriptor(rawValue: 0x0001_0000_0000_0001).reservedBits == 0x0001_0000_0000_0000)
    }

    @Test func unknownSoftwareType() {
        let d = Stage2Descriptor(rawValue: 0x7DD | (13 << 55))
        #expect(d.p2mType == nil)
        #expect(d.leafAttributes == nil)
    }
}
