import Hypervisor
import P2MModel
import Testing

/// Xen's `kernel_zimage_place_in_bank` and `find_dtb_initrd_placement`,
/// one test per rule, with the exact addresses the rules give.
struct KernelPlacementTests {
    static func bank(_ base: UInt64, _ size: UInt64) -> AddressRange<GuestAddress> {
        AddressRange(uncheckedBase: GuestAddress(base), size: size)
    }
    static let mib: UInt64 = 1 << 20

    @Test func zImageGoesHighBelow128MiBAndTheDTBToTheTopOfTheBank() throws {
        // Arndale dom0: bank 0 = 512M at 0x60000000, 6M zImage, 64K DTB, 8M initrd.
        let layout = try KernelPlacement.layout(.zImage, kernelBytes: 6 * Self.mib, deviceTreeBytes: 64 << 10, initrdBytes: 8 * Self.mib,
                                                bank0: Self.bank(0x6000_0000, 512 * Self.mib), architecture: .arm32LPAE)
        // load_end = min(bank + 128M, bank end) = 0x68000000; (0x68000000 - 6M) & ~(2M - 1).
        #expect(layout.kernel == Self.bank(0x67A0_0000, 6 * Self.mib))
        // The kernel ends at bank + 128M exactly, so rule 1 fails (kernend < ram128 is strict);
        // rule 2: top of bank 0 minus (2M DTB + 8M initrd).
        #expect(layout.deviceTree == Self.bank(0x7F60_0000, 2 * Self.mib))
        #expect(layout.initrd == Self.bank(0x7F80_0000, 8 * Self.mib))
    }

    @Test func arm64ImageAtTextOffsetAndTheDTBAt128MiB() throws {
        let layout = try KernelPlacement.layout(.arm64Image(textOffset: 0x8_0000, imageSize: 24 * Self.mib), kernelBytes: 20 * Self.mib, deviceTreeBytes: 100 << 10,
                                                initrdBytes: 3 * Self.mib, bank0: Self.bank(0x8000_0000, 1 << 30), architecture: .arm64)
        // Xen's len for an Image is the module size, not the header's image_size.
        #expect(layout.kernel == Self.bank(0x8008_0000, 20 * Self.mib))
        #expect(layout.deviceTree == Self.bank(0x8800_0000, 2 * Self.mib))
        #expect(layout.initrd == Self.bank(0x8820_0000, 4 * Self.mib))
    }

    @Test func smallBankPutsDTBAndInitrdBelowTheKernel() throws {
        // 64M bank: the zImage fills the top, the modules go just below it (rule 3).
        let layout = try KernelPlacement.layout(.zImage, kernelBytes: 4 * Self.mib, deviceTreeBytes: 4096, initrdBytes: 4 * Self.mib,
                                                bank0: Self.bank(0x4000_0000, 64 * Self.mib), architecture: .arm32LPAE)
        #expect(layout.kernel == Self.bank(0x43C0_0000, 4 * Self.mib))
        #expect(layout.deviceTree == Self.bank(0x4360_0000, 2 * Self.mib))
        #expect(layout.initrd == Self.bank(0x4380_0000, 4 * Self.mib))
    }

    @Test func fixedAddressUImageIsLoadedWhereItSays() throws {
        let kernel = try KernelPlacement.kernel(.uImage(loadAddress: GuestAddress(0x4100_8000)), kernelBytes: 5 * Self.mib, bank0: Self.bank(0x4000_0000, 1 << 30), architecture: .arm32LPAE)
        #expect(kernel == Self.bank(0x4100_8000, 5 * Self.mib))
        // A PIE uImage (load address 0) is placed like a zImage on arm32, at bank 0 on arm64.
        let pie32 = try KernelPlacement.kernel(.uImage(loadAddress: GuestAddress(0)), kernelBytes: 5 * Self.mib, bank0: Self.bank(0x4000_0000, 1 << 30), architecture: .arm32LPAE)
        #expect(pie32 == Self.bank(0x47A0_0000, 5 * Self.mib))
        let pie64 = try KernelPlacement.kernel(.uImage(loadAddress: GuestAddress(0)), kernelBytes: 5 * Self.mib, bank0: Self.bank(0x4000_0000, 1 << 30), architecture: .arm64)
        #expect(pie64 == Self.bank(0x4000_0000, 5 * Self.mib))
    }

    @Test func zImageLargerThanTheWindowIsRefused() {
        #expect(throws: KernelPlacementError.kernelDoesNotFit(kernelBytes: 20 * Self.mib, window: Self.bank(0x4000_0000, 16 * Self.mib))) {
            try KernelPlacement.kernel(.zImage, kernelBytes: 20 * Self.mib, bank0: Self.bank(0x4000_0000, 16 * Self.mib), architecture: .arm32LPAE)
        }
    }

    @Test func modulesThatExceedTheFirstBankAreRefused() {
        // 8M kernel (at 0x40800000) + 2M DTB + 8M initrd > 16M.
        #expect(throws: KernelPlacementError.modulesExceedFirstBank(needed: 18 * Self.mib, bank0: Self.bank(0x4000_0000, 16 * Self.mib))) {
            try KernelPlacement.layout(.zImage, kernelBytes: 8 * Self.mib, deviceTreeBytes: 4096, initrdBytes: 8 * Self.mib,
                                       bank0: Self.bank(0x4000_0000, 16 * Self.mib), architecture: .arm32LPAE)
        }
    }

    @Test func noRuleLeftIsRefused() {
        // 7M kernel at 0x40800000 (8M below it), total 2M + 6M = 8M: rule 3 needs strictly more.
        #expect(throws: KernelPlacementError.noRoomForDeviceTreeAndInitrd(needed: 8 * Self.mib, bank0: Self.bank(0x4000_0000, 16 * Self.mib))) {
            try KernelPlacement.layout(.zImage, kernelBytes: 7 * Self.mib, deviceTreeBytes: 4096, initrdBytes: 5 * Self.mib,
                                       bank0: Self.bank(0x4000_0000, 16 * Self.mib), architecture: .arm32LPAE)
        }
    }
}

struct KernelPlacementInBuildTests {
    @Test func dom0WhoseModulesDoNotFitBank0FailsTheBuild() {
        // 16M dom0 on Arndale: bank 0 = [0x7F000000, 16M); the 6M zImage sits at 0x7FA00000,
        // leaving exactly 10M below it for 2M DTB + 8M initrd: rule 3 needs strictly more.
        var spec = BoardFixtures.arndale(dom0Memory: 16 << 20)
        spec.bootModules[2].imageFormat = .zImage
        let bank0 = AddressRange(uncheckedBase: GuestAddress(0x7F00_0000), size: 16 << 20)
        #expect(throws: BuildError.placement(domain: "dom0", .noRoomForDeviceTreeAndInitrd(needed: 10 << 20, bank0: bank0))) {
            try SystemBuilder.build(spec)
        }
    }

    @Test func fixedLoadAddressThatWrapsIsRefused() {
        #expect(throws: KernelPlacementError.kernelWraps(load: GuestAddress(0xFFFF_FFFF_FFF0_0000), kernelBytes: 2 << 20)) {
            try KernelPlacement.kernel(.uImage(loadAddress: GuestAddress(0xFFFF_FFFF_FFF0_0000)), kernelBytes: 2 << 20,
                                       bank0: AddressRange(uncheckedBase: GuestAddress(0x4000_0000), size: 1 << 30), architecture: .arm32LPAE)
        }
    }
}
