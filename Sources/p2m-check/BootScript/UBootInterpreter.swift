import BootFiles
import DeviceTree
import P2MModel

/// Runs a U-Boot script far enough to know what is in memory when it jumps to
/// Xen: the files it loads and where, the variables it sets, the `fdt` edits
/// to the tree, and the boot command. Commands that do not change memory or
/// the tree are skipped; anything else it does not model becomes a note.
struct UBootInterpreter {
    var env: [String: String]
    var files: BootFileDirectory
    /// The board's device tree (`--dtb`); nil: the blob the script loads is read from the directory.
    var baseTree: FlattenedDeviceTree?
    private(set) var plan = BootPlan()
    private var editor: DeviceTreeEditor?
    private var treeAddress: UInt64?

    /// U-Boot's CONFIG_SYS_FDT_PAD: a tree booted in place grows by this much.
    static let fdtPad: UInt64 = 0x3000
    static let loadCommands: Set<String> = ["load", "fatload", "ext2load", "ext4load", "tftpb", "tftpboot"]
    /// Commands that neither load memory nor edit the tree.
    static let harmless: Set<String> = ["echo", "sleep", "printenv", "mmc", "usb", "scsi", "sata", "pci", "saveenv", "version", "bdinfo", "coninfo", "true", "false", "test", "itest"]

    init(env: [String: String], files: BootFileDirectory, baseTree: FlattenedDeviceTree?, dramStart: UInt64) {
        self.env = env
        self.files = files
        self.baseTree = baseTree
        plan.dramStart = dramStart
    }

    /// Runs the commands up to the boot command.
    /// - Throws: `BootScriptError` naming the line, for a file that is not in
    ///   the directory, an unset variable, a bad address or an `fdt` edit libfdt refuses.
    mutating func run(_ commands: [ScriptCommand]) throws(BootScriptError) -> BootPlan {
        _ = try runCommands(commands, depth: 0)
        if plan.boot == nil { plan.notes.append("the script has no booti, bootm or bootz: Xen's load address is unknown") }
        if let editor { plan.tree = editor.tree }
        plan.treeAddress = treeAddress
        return plan
    }

    private var notedConditional = false

    /// Runs commands until a boot command. - Returns: whether one ran.
    private mutating func runCommands(_ commands: [ScriptCommand], depth: Int) throws(BootScriptError) -> Bool {
        for (k, command) in commands.enumerated() {
            let words = try ScriptLexer.expand(command, env: env)
            guard let name = words.first else { continue }
            if command.conditional && !notedConditional {
                plan.notes.append("line \(command.line): && / || are run as if every command succeeds")
                notedConditional = true
            }
            if try execute(name, Array(words.dropFirst()), line: command.line, depth: depth) {
                if k + 1 < commands.count { plan.notes.append("line \(commands[k + 1].line) on: not run, \(name) at line \(command.line) does not return") }
                return true
            }
        }
        return false
    }

    /// `run VAR...`: each variable's value is run as a script (its commands carry the `run` line).
    private mutating func runVariables(_ names: [String], line: Int, depth: Int) throws(BootScriptError) -> Bool {
        guard depth < 8 else { throw BootScriptError(line: line, message: "run nests more than 8 deep") }
        for name in names {
            guard let text = env[name] else { throw BootScriptError(line: line, message: "run \(name): ${\(name)} is not set") }
            var commands: [ScriptCommand]
            do { commands = try ScriptLexer.commands(text) } catch { throw BootScriptError(line: line, message: "run \(name): \(error.message)") }
            for i in commands.indices { commands[i].line = line }
            if try runCommands(commands, depth: depth + 1) { return true }
        }
        return false
    }

    /// `setexpr NAME A [OP B]`: hex arithmetic, the result stored in hex (U-Boot cmd/setexpr.c).
    private mutating func setexpr(_ args: [String], line: Int) throws(BootScriptError) {
        guard args.count == 2 || args.count == 4 else {
            plan.notes.append("line \(line): setexpr \(args.dropFirst().first ?? "") is not modelled")
            return
        }
        guard let a = Self.number(args[1], base: 16) else { throw BootScriptError(line: line, message: "setexpr: \"\(args[1])\" is not a hex number") }
        var result = a
        if args.count == 4 {
            guard let b = Self.number(args[3], base: 16) else { throw BootScriptError(line: line, message: "setexpr: \"\(args[3])\" is not a hex number") }
            switch args[2] {
            case "+": result = a &+ b
            case "-": result = a &- b
            case "*": result = a &* b
            case "/", "%":
                guard b != 0 else { throw BootScriptError(line: line, message: "setexpr: division by zero") }
                result = args[2] == "/" ? a / b : a % b
            case "&": result = a & b
            case "|": result = a | b
            case "^": result = a ^ b
            default: throw BootScriptError(line: line, message: "setexpr: operator \"\(args[2])\" is not modelled")
            }
        }
        env[args[0]] = String(result, radix: 16)
    }

    /// Runs one command. - Returns: true for a boot command (nothing after it runs).
    private mutating func execute(_ name: String, _ args: [String], line: Int, depth: Int) throws(BootScriptError) -> Bool {
        if let eq = name.firstIndex(of: "="), args.isEmpty, eq != name.startIndex {
            env[String(name[..<eq])] = String(name[name.index(after: eq)...])
            return false
        }
        switch name {
        case "setenv":
            try setenv(args, line: line)
        case "env":
            guard args.first == "set" else { plan.notes.append("line \(line): env \(args.first ?? "") not modelled"); return false }
            try setenv(Array(args.dropFirst().filter { $0 != "-f" }), line: line)
        case _ where Self.loadCommands.contains(name):
            try load(name, args, line: line)
        case "fdt":
            try fdt(args, line: line)
        case "booti", "bootm", "bootz":
            try boot(name, args, line: line)
            return true
        case "run":
            return try runVariables(args, line: line, depth: depth)
        case "fpga", "source":
            // fpga load[b] DEV ADDR SIZE; source [ADDR]: U-Boot reads those bytes and is done with them.
            let at = name == "fpga" ? 2 : 0
            if args.count > at, let address = Self.number(args[at], base: 16) { plan.consumed.insert(address) }
            plan.notes.append("line \(line): \(name) is not followed; the bytes it reads are taken as consumed before Xen runs")
        case _ where name == "setexpr" || name.hasPrefix("setexpr."):
            try setexpr(args, line: line)
        case "if", "then", "else", "elif", "fi", "while", "do", "done", "for":
            plan.notes.append("line \(line): shell control flow (\(name)) is not modelled: every command is run in order")
        case _ where Self.harmless.contains(name):
            break
        default:
            plan.notes.append("line \(line): \(name) is not modelled (it may load or move memory the spec does not show)")
        }
        return false
    }

    private mutating func setenv(_ args: [String], line: Int) throws(BootScriptError) {
        guard let key = args.first else { throw BootScriptError(line: line, message: "setenv needs a variable name") }
        if args.count == 1 { env[key] = nil } else { env[key] = args.dropFirst().joined(separator: " ") }
    }

    /// `load/fatload/ext2load/ext4load <if> <dev[:part]> [addr [file [bytes [pos]]]]`,
    /// `tftpb/tftpboot [addr] [[host:]file]`.
    private mutating func load(_ name: String, _ args: [String], line: Int) throws(BootScriptError) {
        var addressText: String?
        var file: String?
        var limit: UInt64?
        if name.hasPrefix("tftp") {
            if args.count == 1, Self.number(args[0], base: 16) != nil { addressText = args[0] }
            else if args.count == 1 { file = args[0] }
            else if args.count >= 2 { addressText = args[0]; file = args[1] }
            if let f = file, let colon = f.lastIndex(of: ":") { file = String(f[f.index(after: colon)...]) }
        } else {
            guard args.count >= 2 else { throw BootScriptError(line: line, message: "\(name) needs an interface and a device") }
            if args.count >= 3 { addressText = args[2] }
            if args.count >= 4 { file = args[3] }
            if args.count >= 5 {
                guard let n = Self.number(args[4], base: 16) else { throw BootScriptError(line: line, message: "\(name): byte count \"\(args[4])\" is not a hex number") }
                if n > 0 { limit = n }
            }
            if args.count >= 6, Self.number(args[5], base: 16) != 0 { plan.notes.append("line \(line): \(name) reads from file offset \(args[5]); the header read is the file's start") }
        }
        guard let a = addressText ?? env["loadaddr"], let address = Self.number(a, base: 16) else {
            throw BootScriptError(line: line, message: "\(name): no load address (\"\(addressText ?? "")\" is not a hex number and $loadaddr is not set)")
        }
        guard let f = file ?? env["bootfile"] else { throw BootScriptError(line: line, message: "\(name): no file name and $bootfile is not set") }
        guard let (_, image) = files.image(f) else { throw BootScriptError(line: line, message: "\(name): \(f) is not in \(files.root)") }
        let bytes = min(limit ?? image.length, image.length)
        for earlier in plan.loads where earlier.address < address &+ bytes && address < earlier.address &+ earlier.bytes {
            plan.notes.append("line \(line): \(f) at \(Hex.format(address)) overwrites \(earlier.file) loaded at \(Hex.format(earlier.address)) (\(earlier.origin))")
        }
        plan.loads.append(BootPlan.Load(file: f, address: address, bytes: bytes, image: image, origin: "line \(line)"))
        env["fileaddr"] = String(address, radix: 16)
        env["filesize"] = String(bytes, radix: 16)
    }

    private mutating func boot(_ name: String, _ args: [String], line: Int) throws(BootScriptError) {
        guard let a = args.first ?? env["loadaddr"], let address = Self.number(a, base: 16) else {
            throw BootScriptError(line: line, message: "\(name): no image address")
        }
        guard let load = plan.load(at: address) else { throw BootScriptError(line: line, message: "\(name) \(Hex.format(address)): nothing was loaded there") }
        var run = (address: address, size: load.footprint)
        switch name {
        case "booti":
            guard let placed = BootiRelocation.place(load.image, loadedAt: address, dramStart: plan.dramStart) else {
                throw BootScriptError(line: line, message: "booti \(Hex.format(address)): \(load.file) (\(load.image.format.name)) is not an arm64 Image (\"Bad Linux ARM64 Image magic!\")")
            }
            run = (placed.address, placed.size)
            if placed.moved { plan.notes.append("line \(line): booti moves \(load.file) from \(Hex.format(address)) to \(Hex.format(placed.address)) (text_offset and the header's flags): Xen runs there") }
        case "bootm":
            guard case .uImage(let h) = load.image.format else {
                throw BootScriptError(line: line, message: "bootm \(Hex.format(address)): \(load.file) (\(load.image.format.name)) is not a uImage (FIT images are not modelled)")
            }
            if h.compression != 0 { plan.notes.append("line \(line): \(load.file) is a compressed uImage: its decompressed size is unknown, the payload size is used") }
            run = (UInt64(h.loadAddress), h.payloadBytes)
            if UInt64(h.loadAddress) != address + UImageHeader.headerSize { plan.notes.append("line \(line): bootm copies \(load.file)'s payload to its load address \(Hex.format(UInt64(h.loadAddress))): Xen runs there") }
        default:
            guard case .zImage = load.image.format else {
                throw BootScriptError(line: line, message: "bootz \(Hex.format(address)): \(load.file) (\(load.image.format.name)) is not a zImage")
            }
        }
        plan.boot = BootPlan.Boot(command: name, address: address, runAddress: run.address, runSize: run.size, origin: "line \(line)")
        let initrdRange = args.count >= 2 && args[1] != "-" ? try initrd(args[1], line: line) : nil
        if args.count >= 3 {
            guard let fdtAddress = Self.number(args[2], base: 16) else { throw BootScriptError(line: line, message: "\(name): device tree address \"\(args[2])\" is not a hex number") }
            if fdtAddress != treeAddress { try selectTree(at: fdtAddress, line: line) }
        } else {
            plan.notes.append("line \(line): \(name) has no device tree argument: U-Boot would pass its own; the tree selected by fdt addr is used")
        }
        guard var e = editor else { throw BootScriptError(line: line, message: "\(name): no device tree (no fdt addr and no tree argument)") }
        if let (start, end) = initrdRange {
            do { try setInitrd(&e, start, end) } catch { throw BootScriptError(line: line, message: "\(name): \(error.description)") }
            editor = e
        }
        let high = env["fdt_high"].flatMap { Self.number($0, base: 16) }
        if high != UInt64.max && high != 0xffff_ffff {
            plan.notes.append("line \(line): fdt_high is not all ones: U-Boot copies the tree to an address of its choosing before booting; the spec keeps it where it was loaded")
        }
        editor?.grow(by: Self.fdtPad)
        plan.notes.append("line \(line): U-Boot pads the tree by CONFIG_SYS_FDT_PAD (0x3000 by default) and rewrites /memory with the DRAM it found; the spec uses the tree's /memory")
    }

    /// `booti ADDR INITRD[:SIZE] ...`: U-Boot writes linux,initrd-start/-end into /chosen.
    private func initrd(_ text: String, line: Int) throws(BootScriptError) -> (UInt64, UInt64) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let start = Self.number(parts[0], base: 16) else { throw BootScriptError(line: line, message: "initrd address \"\(text)\" is not a hex number") }
        let size = parts.count > 1 ? Self.number(parts[1], base: 16) : plan.load(at: start)?.bytes
        guard let size else { throw BootScriptError(line: line, message: "initrd \(Hex.format(start)): nothing was loaded there and no :size is given") }
        return (start, start &+ size)
    }

    /// `fdt addr`: the blob at `address` becomes the working tree. Selecting
    /// the current one again keeps its edits (they are in memory there).
    private mutating func selectTree(at address: UInt64, line: Int) throws(BootScriptError) {
        if address == treeAddress, editor != nil { return }
        var tree = baseTree
        if tree == nil {
            guard let load = plan.load(at: address), let (path, _) = files.image(load.file) else {
                throw BootScriptError(line: line, message: "no device tree was loaded at \(Hex.format(address)) (and no --dtb was given)")
            }
            tree = Self.parseTree(path)
            if tree == nil { throw BootScriptError(line: line, message: "\(load.file) at \(Hex.format(address)) is not a valid device tree blob") }
        } else if let load = plan.load(at: address), case .deviceTree = load.image.format {
            // --dtb stands for the blob the script loaded.
        } else {
            plan.notes.append("line \(line): nothing was loaded at \(Hex.format(address)) as a device tree; --dtb is taken to be there")
        }
        if let tree { editor = DeviceTreeEditor(tree) }
        treeAddress = address
    }

    // MARK: - fdt

    private mutating func fdt(_ args: [String], line: Int) throws(BootScriptError) {
        guard let sub = args.first else { return }
        let rest = Array(args.dropFirst())
        switch sub {
        case "addr":
            let plain = rest.filter { !$0.hasPrefix("-") }
            guard let text = plain.first else { return }
            guard let address = Self.number(text, base: 16) else { throw BootScriptError(line: line, message: "fdt addr: \"\(text)\" is not a hex number") }
            try selectTree(at: address, line: line)
        case "print", "list", "get", "header", "checksum":
            break
        default:
            guard var e = editor else { throw BootScriptError(line: line, message: "fdt \(sub): no device tree selected (fdt addr first)") }
            do {
                switch sub {
                case "resize":
                    let extra = rest.first.flatMap { Self.number($0, base: 16) } ?? 0
                    e.resize(extra: extra, address: treeAddress ?? 0)
                case "set":
                    guard rest.count >= 2 else { throw BootScriptError(line: line, message: "fdt set needs a path and a property name") }
                    let value = try Self.propertyValue(Array(rest.dropFirst(2)), line: line)
                    try e.setProperty(rest[1], value, at: rest[0])
                case "mknod", "mknode":
                    guard rest.count == 2 else { throw BootScriptError(line: line, message: "fdt mknod needs a path and a node name") }
                    try e.makeNode(rest[1], under: rest[0])
                case "rm":
                    guard let path = rest.first else { throw BootScriptError(line: line, message: "fdt rm needs a path") }
                    try e.remove(path, property: rest.count > 1 ? rest[1] : nil)
                case "apply":
                    if let a = rest.first, let address = Self.number(a, base: 16) { plan.consumed.insert(address) }
                    plan.notes.append("line \(line): fdt apply is not modelled: the overlay's nodes are not in the tree the spec is made from")
                case "chosen":
                    if !e.exists("/chosen") { try e.makeNode("chosen", under: "/") }
                    if rest.count >= 2, let s = Self.number(rest[0], base: 16), let end = Self.number(rest[1], base: 16) {
                        try setInitrd(&e, s, end)
                    }
                default:
                    plan.notes.append("line \(line): fdt \(sub) is not modelled (the tree may differ from what Xen gets)")
                }
            } catch let error as DeviceTreeEditor.EditError {
                throw BootScriptError(line: line, message: "fdt \(sub): \(error.description)")
            } catch let error as BootScriptError {
                throw error
            } catch {
                throw BootScriptError(line: line, message: "fdt \(sub): \(error)")
            }
            editor = e
        }
    }

    private func setInitrd(_ e: inout DeviceTreeEditor, _ start: UInt64, _ end: UInt64) throws(DeviceTreeEditor.EditError) {
        let wide = e.property("#address-cells", at: "/").map { $0 == [0, 0, 0, 2] } ?? true
        func cells(_ v: UInt64) -> [UInt8] { wide ? Self.be(UInt32(v >> 32)) + Self.be(UInt32(truncatingIfNeeded: v)) : Self.be(UInt32(truncatingIfNeeded: v)) }
        try e.setProperty("linux,initrd-start", cells(start), at: "/chosen")
        try e.setProperty("linux,initrd-end", cells(end), at: "/chosen")
    }

    /// `fdt set` values (U-Boot cmd/fdt.c): `<1 0x2 ...>` 32-bit cells (C
    /// number syntax), `[00 1a ...]` bytes in hex, anything else one
    /// NUL-terminated string per argument; nothing is an empty property.
    static func propertyValue(_ args: [String], line: Int) throws(BootScriptError) -> [UInt8] {
        var out: [UInt8] = []
        guard let first = args.first?.first, first == "<" || first == "[" else {
            for a in args { out += Array(a.utf8) + [0] }
            return out
        }
        let close: Character = first == "<" ? ">" : "]"
        let text = args.joined(separator: " ").dropFirst()
        guard let end = text.firstIndex(of: close) else { throw BootScriptError(line: line, message: "fdt set: \(first)...\(close) is not closed") }
        for token in text[..<end].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if first == "<" {
                guard let v = number(String(token), base: 0), v <= UInt32.max else { throw BootScriptError(line: line, message: "fdt set: cell \"\(token)\" is not a 32-bit number") }
                out += be(UInt32(v))
            } else {
                guard let v = UInt8(token, radix: 16) else { throw BootScriptError(line: line, message: "fdt set: byte \"\(token)\" is not two hex digits") }
                out.append(v)
            }
        }
        return out
    }

    static func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }

    /// U-Boot numbers: base 16 for addresses (`hextoul`, optional 0x), base 0
    /// (C syntax: 0x hex, leading 0 octal, else decimal) for cells.
    static func number(_ text: String, base: Int) -> UInt64? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { return UInt64(lower.dropFirst(2), radix: 16) }
        if base == 0 { return lower.count > 1 && lower.hasPrefix("0") ? UInt64(lower.dropFirst(), radix: 8) : UInt64(lower, radix: 10) }
        return UInt64(lower, radix: base)
    }

    static func parseTree(_ path: String) -> FlattenedDeviceTree? {
        guard let data = FileManagerShim.contents(path) else { return nil }
        return try? FlattenedDeviceTree.parse(data)
    }
}
