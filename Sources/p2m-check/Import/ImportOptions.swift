import P2MModel

/// What `import-dtb` needs beyond the device tree: the device tree describes
/// the board, not how Xen and dom0 are set up on it.
struct ImportOptions {
    /// The architecture, or nil to infer it from the CPU nodes' `compatible`.
    var architecture: Architecture?
    /// Machine address of the hypervisor image, or nil for the lowest free 2 MiB-aligned place in RAM.
    var hypervisorAddress: UInt64?
    /// Bytes of the hypervisor image (`_end - _start`).
    var hypervisorSize: UInt64 = 2 << 20
    /// Bytes of dom0 RAM, or nil for min(512 MiB, half of RAM).
    var dom0Memory: UInt64?
    /// Where the bootloader put this blob for Xen, if given: it becomes a boot
    /// module (Xen's BOOTMOD_FDT) of the blob's `totalsize`.
    var dtbAddress: UInt64?
    /// Where the blob was read from, for the `source` field.
    var sourceName: String
}
