import BootFiles
import P2MModel

/// Writes the `boot.source` that ImageBuilder's `uboot-script-gen` writes
/// for a Xen config (the plain script, not the FIT variant), placing the
/// images by its rule:
///
/// - the script at MEMORY_START + 2 MiB (at least 0xC00000), the first image
///   2 MiB above it;
/// - images in the order dom0 kernel, dom0 ramdisk, then per domU: kernel,
///   ramdisk, passthrough DTB; then Xen (a uImage of it for `bootm`), then
///   the host device tree;
/// - each image starts where the previous one's *file length* ends, rounded
///   up to 2 MiB. An image's footprint in memory (an Image's .bss) is not
///   counted, so it can run into the next slot. That matters for Xen, which
///   runs in place and is followed by the device tree: `load-disjoint` sees
///   Xen's image over the tree.
///
/// The tree edits follow its `xen_device_tree_editing`: /chosen cells,
/// xen,xen-bootargs, the dom0 nodes, and one `xen,domain` node per domU with
/// memory, cpus, static memory, direct map, vpl011, colours and its modules.
struct ImageBuilderScript {
    static let slot: UInt64 = 2 << 20

    var config: ImageBuilderConfig
    var files: BootFileDirectory
    private(set) var lines: [String] = []
    private(set) var notes: [String] = []
    private var next: UInt64 = 0
    private(set) var memoryEnd: UInt64 = 0

    init(config: ImageBuilderConfig, files: BootFileDirectory) {
        self.config = config
        self.files = files
    }

    /// - Throws: naming the config line, for a missing key or file, or images that do not fit below MEMORY_END.
    mutating func generate() throws(BootScriptError) -> String {
        guard let xen = config["XEN"] else { throw BootScriptError(line: 0, message: "XEN is not set (only Xen configs are imported)") }
        guard config["DEVICE_TREE"] != nil else { throw BootScriptError(line: 0, message: "DEVICE_TREE is not set") }
        guard let start = try config.number("MEMORY_START") else { throw BootScriptError(line: 0, message: "MEMORY_START is not set") }
        guard let end = try config.number("MEMORY_END") else { throw BootScriptError(line: 0, message: "MEMORY_END is not set") }
        memoryEnd = end
        let bootCommand = config["BOOT_CMD"] ?? "booti"
        guard ["booti", "bootm"].contains(bootCommand) else { throw BootScriptError(line: config.line("BOOT_CMD"), message: "BOOT_CMD \(bootCommand) is not modelled (booti or bootm)") }
        let domUs = Int(try config.number("NUM_DOMUS") ?? 0)
        let dom0Kernel = config["DOM0_KERNEL"]
        for key in ["FIT", "LINUX", "APPEND_EXTRA_CMDS", "NUM_CPUPOOLS"] where config[key] != nil {
            notes.append("config line \(config.line(key)): \(key) is not modelled")
        }
        if let command = config["LOAD_CMD"], loadCommand != command {
            notes.append("config line \(config.line("LOAD_CMD")): LOAD_CMD \(command) is not a load command this reads; the script uses load mmc 0:1 (the addresses are the same)")
        }
        if dom0Kernel == nil { notes.append("no DOM0_KERNEL: a true dom0less system; the spec still has the dom0 import-dtb writes") }

        var scriptAddress = start + Self.slot
        if scriptAddress < 0xC0_0000 { scriptAddress = 0xC0_0000 }
        next = scriptAddress + Self.slot
        notes.append("ImageBuilder puts the boot script at \(Hex.format(scriptAddress)); it is not kept by Xen (the bootloader is done with it)")

        var dom0: (UInt64, UInt64)?
        var ramdisk: (UInt64, UInt64)?
        if let kernel = dom0Kernel { dom0 = try load(kernel, key: "DOM0_KERNEL") }
        if let r = config["DOM0_RAMDISK"] { ramdisk = try load(r, key: "DOM0_RAMDISK") }
        var guests: [(index: Int, kernel: (UInt64, UInt64), ramdisk: (UInt64, UInt64)?, dtb: (UInt64, UInt64)?)] = []
        for i in 0..<domUs {
            if config["DOMU_ROOTFS", i] != nil || config["DOMU_NOBOOT", i] != nil { continue }
            guard let k = config["DOMU_KERNEL", i] else { throw BootScriptError(line: 0, message: "DOMU_KERNEL[\(i)] is not defined") }
            let kernel = try load(k, key: "DOMU_KERNEL[\(i)]")
            let r = try config["DOMU_RAMDISK", i].map { f throws(BootScriptError) in try load(f, key: "DOMU_RAMDISK[\(i)]") }
            let d = try config["DOMU_PASSTHROUGH_DTB", i].map { f throws(BootScriptError) in try load(f, key: "DOMU_PASSTHROUGH_DTB[\(i)]") }
            guests.append((i, kernel, r, d))
        }
        if bootCommand == "bootm" { notes.append("BOOT_CMD bootm: ImageBuilder wraps Xen with mkimage -a/-e at its slot; the uImage in --files must be that file (\(xen).ub)") }
        let xenAddress = try load(bootCommand == "bootm" ? xen + ".ub" : xen, key: "XEN").0
        var overlays: [UInt64] = []
        for i in 0..<Int(try config.number("NUM_DT_OVERLAY") ?? 0) {
            guard let file = config["DT_OVERLAY", i] else { throw BootScriptError(line: config.line("NUM_DT_OVERLAY"), message: "DT_OVERLAY[\(i)] is not set") }
            overlays.append(try load(file, key: "DT_OVERLAY[\(i)]").0)
        }
        let dtbAddress = try load(config["DEVICE_TREE"]!, key: "DEVICE_TREE").0
        if let bitstream = config["BITSTREAM"] {
            let (address, size) = try load(bitstream, key: "BITSTREAM")
            emit("fpga load 0 \(hex(address)) \(hex(size))")
        }

        emit("fdt addr \(hex(dtbAddress))")
        emit("fdt resize 1024")
        for address in overlays { emit("fdt apply \(hex(address))") }
        emit("fdt set /chosen \\#address-cells <0x2>")
        emit("fdt set /chosen \\#size-cells <0x2>")
        emit("fdt set /chosen xen,xen-bootargs \"\(xenCommandLine(hasDom0: dom0Kernel != nil))\"")
        if let (a, s) = dom0 {
            emit("fdt mknod /chosen dom0")
            emit("fdt set /chosen/dom0 compatible \"xen,linux-zimage\" \"xen,multiboot-module\" \"multiboot,module\"")
            emit("fdt set /chosen/dom0 reg <\(cells(a, s))>")
            emit("fdt set /chosen xen,dom0-bootargs \"\(config["DOM0_CMD"] ?? "console=hvc0 earlycon=xen earlyprintk=xen clk_ignore_unused root=/dev/ram0")\"")
        }
        if let (a, s) = ramdisk {
            emit("fdt mknod /chosen dom0-ramdisk")
            emit("fdt set /chosen/dom0-ramdisk compatible \"xen,linux-initrd\" \"xen,multiboot-module\" \"multiboot,module\"")
            emit("fdt set /chosen/dom0-ramdisk reg <\(cells(a, s))>")
        }
        for i in 0..<domUs {
            for path in (config["DOMU_PASSTHROUGH_PATHS", i] ?? "").split(separator: " ") { emit("fdt set \(path) xen,passthrough") }
        }
        for g in guests { try domU(g.index, kernel: g.kernel, ramdisk: g.ramdisk, dtb: g.dtb, hasDom0: dom0Kernel != nil) }
        emit("setenv fdt_high 0xffffffffffffffff")
        emit("\(bootCommand) \(hex(xenAddress)) - \(hex(dtbAddress))")
        if end < next + Self.slot {
            throw BootScriptError(line: config.line("MEMORY_END"), message: "not enough memory to load all binaries: they end at \(Hex.format(next)), MEMORY_END is \(Hex.format(end)) (ImageBuilder needs 2 MiB to spare)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One `load` line at the next slot; the slot after it starts at the file's length rounded up to 2 MiB.
    private mutating func load(_ file: String, key: String) throws(BootScriptError) -> (UInt64, UInt64) {
        guard let (_, image) = files.image(file) else { throw BootScriptError(line: config.line(key), message: "\(key): \(file) is not in \(files.root)") }
        let address = next
        emit("\(loadCommand) \(hex(address)) \(file)")
        next = (address + image.length + Self.slot - 1) & ~(Self.slot - 1)
        if address + image.footprint > next {
            let consequence = key == "XEN"
                ? "Xen runs in place and zeroes its .bss there, over the start of the next image"
                : "harmless for a module Xen copies out (only its loaded bytes are used in place)"
            notes.append("\(key): \(file) occupies \(Hex.format(image.footprint)) bytes in memory (\(image.footprintReason)) but ImageBuilder sized its slot by its length \(Hex.format(image.length)): it runs \(Hex.format(address + image.footprint - next)) bytes into the next slot at \(Hex.format(next)); \(consequence)")
        }
        return (address, image.length)
    }

    private mutating func domU(_ i: Int, kernel: (UInt64, UInt64), ramdisk: (UInt64, UInt64)?, dtb: (UInt64, UInt64)?, hasDom0: Bool) throws(BootScriptError) {
        let node = "/chosen/domU\(i)"
        emit("fdt mknod /chosen domU\(i)")
        emit("fdt set \(node) compatible \"xen,domain\"")
        emit("fdt set \(node) \\#address-cells <0x2>")
        emit("fdt set \(node) \\#size-cells <0x2>")
        var kib = (try config.number("DOMU_MEM", i) ?? 0) * 1024
        let staticMemory = (config["DOMU_STATIC_MEM", i] ?? "").split(separator: " ").map(String.init)
        if !staticMemory.isEmpty {
            var values: [UInt64] = []
            for v in staticMemory {
                guard let n = ImageBuilderConfig.number(v) else { throw BootScriptError(line: config.line("DOMU_STATIC_MEM[\(i)]"), message: "DOMU_STATIC_MEM[\(i)]: \(v) is not a number") }
                values.append(n)
            }
            guard values.count % 2 == 0 else { throw BootScriptError(line: config.line("DOMU_STATIC_MEM[\(i)]"), message: "DOMU_STATIC_MEM[\(i)] needs base size pairs") }
            let total = stride(from: 1, to: values.count, by: 2).reduce(UInt64(0)) { $0 + values[$1] } >> 10
            if kib != 0 && kib != total { notes.append("DOMU_MEM[\(i)] does not match DOMU_STATIC_MEM[\(i)]: ImageBuilder ignores DOMU_MEM") }
            kib = total
        }
        if kib == 0 { kib = 512 * 1024 }
        emit("fdt set \(node) memory <0x0 \(hex(kib))>")
        emit("fdt set \(node) cpus <\(try config.number("DOMU_VCPUS", i) ?? 1)>")
        if !staticMemory.isEmpty {
            let c = staticMemory.compactMap(ImageBuilderConfig.number).map { "\(hex($0 >> 32)) \(hex($0 & 0xffff_ffff))" }.joined(separator: " ")
            emit("fdt set \(node) xen,static-mem <\(c)>")
            if (config["DOMU_DIRECT_MAP", i] ?? "1") == "1" { emit("fdt set \(node) direct-map") }
        }
        emit(config["DOMU_VUART_PL011"] == "1" ? "fdt set \(node) vpl011 \"pl011\"" : "fdt set \(node) vpl011")
        let enhanced = config["DOMU_ENHANCED", i]
        if enhanced == "1" || (hasDom0 && enhanced != "0") { emit("fdt set \(node) xen,enhanced \"enabled\"") }
        if config["DOMU_VIOMMU", i] == "1" { emit("fdt set \(node) viommu") }
        if let colors = config["DOMU_COLORS", i] {
            let range = colors.split(separator: "-").compactMap { UInt64($0) }
            guard range.count == 2, range[0] <= range[1], range[1] < 64 else { throw BootScriptError(line: config.line("DOMU_COLORS[\(i)]"), message: "DOMU_COLORS[\(i)] must be FIRST-LAST") }
            let mask = (range[0]...range[1]).reduce(UInt64(0)) { $0 | 1 << $1 }
            emit("fdt set \(node) colors <\(hex(mask))>")
            notes.append("DOMU_COLORS[\(i)]: cache colouring is not in the spec format; the colours are in the tree only")
        }
        module(node, kernel, compatible: "multiboot,kernel", bootargs: config["DOMU_CMD", i] ?? "console=ttyAMA0")
        if let r = ramdisk { module(node, r, compatible: "multiboot,ramdisk", bootargs: nil) }
        if let d = dtb { module(node, d, compatible: "multiboot,device-tree", bootargs: nil) }
    }

    private mutating func module(_ node: String, _ m: (UInt64, UInt64), compatible: String, bootargs: String?) {
        let name = "module\(hex(m.0))"
        emit("fdt mknod \(node) \(name)")
        emit("fdt set \(node)/\(name) compatible \"\(compatible)\" \"multiboot,module\"")
        emit("fdt set \(node)/\(name) reg <\(cells(m.0, m.1))>")
        if let bootargs { emit("fdt set \(node)/\(name) bootargs \"\(bootargs)\"") }
    }

    /// XEN_CMD, or ImageBuilder's default built from DOM0_MEM (1500 MiB), DOM0_VCPUS (1) and the colours.
    private func xenCommandLine(hasDom0: Bool) -> String {
        var command = config["XEN_CMD"] ?? {
            var parts = ["console=dtuart", "dtuart=serial0", "dom0_mem=\(config["DOM0_MEM"] ?? "1500")M", "dom0_max_vcpus=\(config["DOM0_VCPUS"] ?? "1")",
                         "bootscrub=0", "vwfi=native", "sched=null"]
            if let c = config["XEN_COLORS"] { parts.append("xen_colors=\(c)") }
            if let c = config["DOM0_COLORS"] { parts.append("dom0_colors=\(c)") }
            if config["DOM0_VIOMMU"] == "1" { parts.append("dom0_viommu=1") }
            return parts.joined(separator: " ")
        }()
        if !hasDom0 { command = command.split(separator: " ").filter { !$0.hasPrefix("dom0") }.joined(separator: " ") }
        return command
    }

    private mutating func emit(_ line: String) { lines.append(line) }

    /// LOAD_CMD (uboot-script-gen's -t: "load mmc 0:1", "load scsi 0:1", "tftpb", ...).
    private var loadCommand: String {
        guard let command = config["LOAD_CMD"], let verb = command.split(separator: " ").first,
              UBootInterpreter.loadCommands.contains(String(verb)) else { return "load mmc 0:1" }
        return command
    }

    private func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16, uppercase: true) }

    private func cells(_ a: UInt64, _ s: UInt64) -> String {
        [a >> 32, a & 0xffff_ffff, s >> 32, s & 0xffff_ffff].map(hex).joined(separator: " ")
    }
}
