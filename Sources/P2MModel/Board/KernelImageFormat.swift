/// The format of a kernel boot module, which fixes where the hypervisor puts
/// it in the guest (xen/arch/arm/kernel.c, `kernel_zimage_place_in_bank`).
public enum KernelImageFormat: Hashable, Sendable {
    /// arm64 `Image`: loaded at guest bank 0 + `textOffset`; occupies
    /// `imageSize` bytes from there (the header's `image_size`, .bss included).
    /// Linux needs the base (load address - text_offset) 2 MiB aligned.
    case arm64Image(textOffset: UInt64, imageSize: UInt64)
    /// Position-independent arm32 `zImage`: placed by the hypervisor,
    /// 2 MiB aligned, as high as possible below bank 0 + 128 MiB.
    case zImage
    /// `uImage` with a fixed load address: loaded there, unchecked by Xen.
    case uImage(loadAddress: GuestAddress)
}
