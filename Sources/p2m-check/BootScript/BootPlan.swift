import BootFiles
import DeviceTree

/// What a boot script (or a set of `--xen`/`--kernel`/`--ramdisk` options)
/// leaves in memory when the bootloader jumps to Xen.
struct BootPlan {
    /// One file copied into memory.
    struct Load {
        /// The file name as the script wrote it.
        var file: String
        var address: UInt64
        /// Bytes copied (the file's length, or the load command's byte count).
        var bytes: UInt64
        var image: BootImage
        /// Where it came from: `line 12` of the script, or `--kernel`.
        var origin: String
        /// What the image occupies from `address` when it runs in place (its header's size, never less than `bytes`).
        var footprint: UInt64 { max(bytes, image.footprint) }
    }

    /// How the bootloader starts Xen.
    struct Boot {
        /// `booti`, `bootm`, `bootz`, or `--xen`.
        var command: String
        /// The address given to the boot command.
        var address: UInt64
        /// Where Xen runs and the bytes it covers there (after `booti`'s relocation or `bootm`'s copy).
        var runAddress: UInt64
        var runSize: UInt64
        var origin: String
    }

    var loads: [Load] = []
    var boot: Boot?
    /// The device tree Xen gets (edited by `fdt` commands) and where it is.
    var tree: FlattenedDeviceTree?
    var treeAddress: UInt64?
    /// Addresses of loads the bootloader itself consumed before booting (an
    /// overlay `fdt apply` read, a bitstream `fpga load` sent, a script
    /// `source` ran): dead bytes once Xen runs, never modules.
    var consumed: Set<UInt64> = []
    /// What was not modelled, or modelled with an assumption.
    var notes: [String] = []
    /// Start of DRAM (for `booti` without the "anywhere" flag).
    var dramStart: UInt64 = 0

    /// The load whose bytes start at `address` (the latest one, if several did).
    func load(at address: UInt64) -> Load? { loads.last { $0.address == address } }
}
