import P2MModel

/// Where the hypervisor puts a domain's kernel, device tree and initrd in
/// the guest's first RAM bank, after Xen's `kernel_zimage_place_in_bank`
/// and `find_dtb_initrd_placement` (xen/arch/arm/kernel.c).
public struct GuestLoadLayout: Hashable, Sendable {
    /// The kernel as copied: `[load address, load address + len)`.
    public var kernel: AddressRange<GuestAddress>
    /// The device tree slot: its base and Xen's 2 MiB-rounded length.
    public var deviceTree: AddressRange<GuestAddress>
    /// The initrd slot (2 MiB-rounded), right after the device tree; nil without an initrd.
    public var initrd: AddressRange<GuestAddress>?
}

/// Why Xen cannot place a domain's images; each carries Xen's panic message.
public enum KernelPlacementError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A PIE zImage longer than the space below min(bank 0 + 128 MiB, bank 0 end) (Xen 4.22+).
    case kernelDoesNotFit(kernelBytes: UInt64, window: AddressRange<GuestAddress>)
    /// `first_bank_can_fit_modules`: kernel (end rounded up to 2 MiB) + DTB + initrd exceed bank 0.
    case modulesExceedFirstBank(needed: UInt64, bank0: AddressRange<GuestAddress>)
    /// None of the three DTB/initrd rules applies.
    case noRoomForDeviceTreeAndInitrd(needed: UInt64, bank0: AddressRange<GuestAddress>)
    /// The fixed load address makes the kernel wrap the address space.
    case kernelWraps(load: GuestAddress, kernelBytes: UInt64)

    public var description: String {
        switch self {
        case .kernelDoesNotFit(let len, let window):
            return "Unable to find suitable location for the kernel: \(Hex.format(len)) bytes do not fit in \(window), the first 128 MiB of bank 0"
        case .modulesExceedFirstBank(let needed, let bank0):
            return "Not enough memory in the first bank for the kernel+dtb+initrd: \(Hex.format(needed)) bytes needed, bank 0 \(bank0)"
        case .noRoomForDeviceTreeAndInitrd(let needed, let bank0):
            return "Unable to find suitable location for dtb+initrd: \(Hex.format(needed)) bytes neither at bank 0 + 128 MiB, at the top of bank 0 \(bank0), nor below the kernel"
        case .kernelWraps(let load, let len):
            return "kernel of \(Hex.format(len)) bytes at \(load) wraps the address space"
        }
    }
}

/// Xen's placement rules for a domain's boot images in its bank 0.
public enum KernelPlacement {
    static let twoMiB: UInt64 = 2 << 20
    static let window: UInt64 = 128 << 20

    /// The kernel load range for a kernel of `kernelBytes` (Xen's `image.len`:
    /// the module size) in `format`, in `bank0`:
    /// - arm64 `Image` (or a PIE uImage on arm64): bank 0 + `text_offset`, unchecked;
    /// - PIE `zImage` (or a PIE uImage on arm32): as high as possible below
    ///   min(bank 0 + 128 MiB, bank 0 end), rounded down to 2 MiB;
    /// - uImage with a load address: there, unchecked.
    /// - Throws: `KernelPlacementError.kernelDoesNotFit` (zImage, Xen 4.22+) or `.kernelWraps`.
    public static func kernel(_ format: KernelImageFormat, kernelBytes: UInt64, bank0: AddressRange<GuestAddress>, architecture: Architecture) throws(KernelPlacementError) -> AddressRange<GuestAddress> {
        let load: UInt64
        switch format {
        case .arm64Image(let textOffset, _):
            load = bank0.base.rawValue &+ textOffset
        case .uImage(let address) where address.rawValue != 0:
            load = address.rawValue
        case .uImage where architecture == .arm64:
            load = bank0.base.rawValue
        case .zImage, .uImage:
            let loadEnd = min(bank0.base.rawValue &+ window, bank0.end?.rawValue ?? .max)
            guard loadEnd - bank0.base.rawValue >= kernelBytes else {
                throw .kernelDoesNotFit(kernelBytes: kernelBytes, window: AddressRange(uncheckedBase: bank0.base, size: loadEnd - bank0.base.rawValue))
            }
            load = (loadEnd - kernelBytes) & ~(twoMiB - 1)
        }
        guard let range = try? AddressRange(base: GuestAddress(load), size: kernelBytes) else {
            throw .kernelWraps(load: GuestAddress(load), kernelBytes: kernelBytes)
        }
        return range
    }

    /// The DTB and initrd slots for `kernel` in `bank0` (`place_dtb_initrd`).
    /// Both lengths are rounded up to 2 MiB; the initrd follows the DTB.
    /// The first rule that applies wins:
    /// 1. bank 0 + 128 MiB, if bank 0 reaches that + total and the kernel ends below it;
    /// 2. the top of bank 0, if that is strictly above the kernel end rounded up to 2 MiB;
    /// 3. just below the kernel, if strictly more than total lies between bank 0 and the kernel.
    /// - Throws: `.modulesExceedFirstBank` or `.noRoomForDeviceTreeAndInitrd`, as Xen panics.
    public static func deviceTreeAndInitrd(kernel: AddressRange<GuestAddress>, deviceTreeBytes: UInt64, initrdBytes: UInt64?, bank0: AddressRange<GuestAddress>) throws(KernelPlacementError) -> (deviceTree: AddressRange<GuestAddress>, initrd: AddressRange<GuestAddress>?) {
        let dtbLength = roundUp(deviceTreeBytes)
        let initrdLength = initrdBytes.map(roundUp) ?? 0
        let total = dtbLength + initrdLength
        let bankBase = bank0.base.rawValue
        let bankEnd = bank0.base.rawValue &+ bank0.size
        let kernelBase = kernel.base.rawValue
        let kernelEnd = kernel.base.rawValue &+ kernel.size
        let kernelEndRounded = roundUp(kernelEnd)
        // first_bank_can_fit_modules (in 64-bit arithmetic, like Xen's paddr_t).
        let needed = total &+ (kernelEndRounded &- kernelBase)
        guard needed <= bank0.size else { throw .modulesExceedFirstBank(needed: needed, bank0: bank0) }
        let ram128 = bankBase &+ window
        let base: UInt64
        if bankEnd >= ram128 &+ total && kernelEnd < ram128 {
            base = ram128
        } else if bankEnd &- total > kernelEndRounded {
            base = bankEnd - total
        } else if kernelBase &- bankBase > total {
            base = kernelBase - total
        } else {
            throw .noRoomForDeviceTreeAndInitrd(needed: total, bank0: bank0)
        }
        let dtb = AddressRange(uncheckedBase: GuestAddress(base), size: dtbLength)
        let initrd = initrdBytes.map { _ in AddressRange(uncheckedBase: GuestAddress(base + dtbLength), size: initrdLength) }
        return (dtb, initrd)
    }

    /// Kernel, DTB and initrd for one domain.
    /// - Throws: `KernelPlacementError` as above.
    public static func layout(_ format: KernelImageFormat, kernelBytes: UInt64, deviceTreeBytes: UInt64, initrdBytes: UInt64?, bank0: AddressRange<GuestAddress>, architecture: Architecture) throws(KernelPlacementError) -> GuestLoadLayout {
        let kernel = try kernel(format, kernelBytes: kernelBytes, bank0: bank0, architecture: architecture)
        let (dtb, initrd) = try deviceTreeAndInitrd(kernel: kernel, deviceTreeBytes: deviceTreeBytes, initrdBytes: initrdBytes, bank0: bank0)
        return GuestLoadLayout(kernel: kernel, deviceTree: dtb, initrd: initrd)
    }

    static func roundUp(_ bytes: UInt64) -> UInt64 { (bytes &+ (twoMiB - 1)) & ~(twoMiB - 1) }
}
