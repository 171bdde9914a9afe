import P2MModel
import Testing

/// Xen's type -> attributes table (`mfn_to_p2m_entry` + `p2m_set_permission`
/// with access rwx), every type, as exact 4 KiB page descriptors at 0x1000.
struct P2MTypeAttributeTests {
    @Test func everyTypeEncodesAsXenWritesIt() {
        // MemAttr, SH, XN, W and the type field; R, AF and valid are always set.
        let expected: [(P2MType, UInt64)] = [
            (.ramReadWrite, 0x0080_0000_0000_17FF),            // MEM 0xF, inner, W, X allowed
            (.ramReadOnly, 0x0100_0000_0000_177F),             // no W
            (.mmioDirectDevice, 0x01C0_0000_0000_16C7),        // DEV 0x1, outer, XN
            (.mmioDirectNonCacheable, 0x0240_0000_0000_16D7),  // MEM_NC 0x5, outer, XN
            (.mmioDirectCacheable, 0x02C0_0000_0000_16FF),     // MEM 0xF, outer, XN
            (.foreignReadWrite, 0x0340_0000_0000_17FF),        // MEM, inner, XN
            (.foreignReadOnly, 0x03C0_0000_0000_177F),
            (.grantReadWrite, 0x0440_0000_0000_17FF),
            (.grantReadOnly, 0x04C0_0000_0000_177F),
            (.iommuReadWrite, 0x0540_0000_0000_17FF),
            (.iommuReadOnly, 0x05C0_0000_0000_177F),
        ]
        for (type, raw) in expected {
            let d = Stage2Descriptor.leaf(output: MachineAddress(0x1000), attributes: type.defaultAttributes, level: .three)
            #expect(d.rawValue == raw, "\(type): \(Hex.format(d.rawValue)) != \(Hex.format(raw))")
            #expect(d.p2mType == type)
        }
    }
}

/// `p2m_set_permission`'s narrowing by `p2m_access_t`.
struct P2MAccessTests {
    @Test func everyAccessNarrowsRAMAsXenDoes() {
        let expected: [P2MAccess: String] = [
            .rwx: "rwx", .wx: "-wx", .rw: "rw-", .w: "-w-", .rx: "r-x", .rx2rw: "r-x",
            .x: "--x", .r: "r--", .rPW: "r--", .n: "---", .n2rwx: "---",
        ]
        for access in P2MAccess.allCases {
            #expect(P2MType.ramReadWrite.attributes(access: access).access.description == expected[access], "\(access)")
        }
    }

    @Test func accessNeverWidensAType() {
        // ram_ro stays read-only and MMIO stays execute-never under rwx and rx.
        #expect(P2MType.ramReadOnly.attributes(access: .rwx).access.description == "r-x")
        #expect(P2MType.mmioDirectDevice.attributes(access: .rx).access.description == "r--")
        // The descriptor: ram_rw under r is R, XN, no W.
        let d = Stage2Descriptor.leaf(output: MachineAddress(0x1000), attributes: P2MType.ramReadWrite.attributes(access: .r), level: .three)
        #expect(d.rawValue == 0x00C0_0000_0000_177F)
    }
}
