import BootFiles
import DeviceTree
import P2MModel

/// Puts what a bootloader loaded next to what the device tree declares to Xen
/// (`/chosen` modules, the tree itself, Xen's own image) and amends the
/// imported spec:
///
/// - Xen's own image covers its header's size (.bss included) where it runs:
///   Xen runs in place and zeroes its .bss there;
/// - a declared kernel gets its image format (arm64 Image `image_size`, which
///   module-rules uses in the guest). Its footprint in place stays its loaded
///   bytes: Xen copies a kernel module's `reg` bytes into the guest
///   (xen/arch/arm/kernel.c, `kernel_zimage64_probe` takes the module size as
///   the length, `kernel_zimage_load` copies it), so a kernel's .bss never
///   lives where the bootloader put it;
/// - bytes loaded where no module is declared, or past the end of a module's
///   `reg`, become boot modules with `"declared": false`: they are occupied,
///   but Xen treats them as free RAM (`populate_boot_allocator` skips only its
///   boot modules and reserved memory), so its heap, pools and page tables may
///   land in them, which `load-disjoint` reports;
/// - a declared module nothing was loaded into is a note.
struct LoadedImages {
    var plan: BootPlan
    /// import-dtb's `--kernel`/`--ramdisk`: a file the user names is declared
    /// (added as a module when the tree has none there); a script's loads are
    /// compared with the tree instead.
    var declareMissing: Bool
    /// Which module a `--kernel`/`--ramdisk` file is (import-dtb only).
    var kinds: [String: BootModuleKind] = [:]
    /// Whether the loads are all the bootloader loads (a script), so that a
    /// declared module nothing was loaded into is worth a note.
    var loadsAreComplete: Bool { !declareMissing }

    /// What the importer must be told before the tree becomes a spec: Xen's
    /// address and size and where the tree is.
    func apply(to options: inout ImportOptions) {
        if let boot = plan.boot {
            options.hypervisorAddress = boot.runAddress
            options.hypervisorSize = (boot.runSize + 0xfff) & ~UInt64(0xfff)
        }
        if let address = plan.treeAddress { options.dtbAddress = address }
    }

    /// The spec document with footprints, formats and undeclared images, and the notes it adds.
    func amend(_ spec: ImportedSpec) -> (document: JSONOutput, notes: [String]) {
        var notes = plan.notes
        var extra: [String: [(String, JSONOutput)]] = [:]
        var added: [JSONOutput] = []
        var names = Set(spec.board.modules.map(\.region.name))
        func unique(_ base: String) -> String {
            var name = base
            var k = 2
            while names.contains(name) { name = "\(base)-\(k)"; k += 1 }
            names.insert(name)
            return name
        }
        let xenLoad = plan.boot.map(\.address)
        let declared = plan.tree.map(DeclaredModules.read) ?? []
        for load in plan.loads where load.address != xenLoad && load.address != plan.treeAddress && !plan.consumed.contains(load.address) {
            let why = "\(load.file) (\(load.origin), \(Hex.format(load.bytes)) bytes, \(load.image.footprintReason))"
            if let module = spec.board.modules.first(where: { $0.region.base == load.address }) {
                let covered = module.region.size
                if module.kind == .kernel {
                    let fields = Self.format(load.image)
                    if !fields.isEmpty { extra[module.region.name] = fields }
                }
                if load.bytes > covered {
                    let name = unique(module.region.name + "-past-reg")
                    notes.append("\(why) is longer than \(module.region.dtPath)'s reg (\(Hex.format(covered)) bytes): Xen takes the \(Hex.format(load.bytes - covered)) bytes after it as free memory; added as undeclared module \(name)")
                    added.append(Self.module(name, kind: .other, base: load.address + covered, size: load.bytes - covered, declared: false, extra: []))
                }
                continue
            }
            if let other = declared.first(where: { $0.base == load.address }) {
                notes.append("\(why): declared by \(other.path), which the import left out (see its note); not counted as undeclared")
                continue
            }
            let kind = kinds[load.origin] ?? Self.kind(of: load.image)
            if declareMissing {
                let name = unique("dom0-" + kind.rawValue)
                notes.append("\(why): no /chosen module at \(Hex.format(load.address)); added as declared module \(name) for dom0, so the bootloader must describe it to Xen in /chosen")
                added.append(Self.module(name, kind: kind, base: load.address, size: load.bytes, declared: true, extra: kind == .kernel ? Self.format(load.image) : []))
            } else {
                let name = unique("undeclared-" + (load.file.split(separator: "/").last.map(String.init) ?? load.file))
                notes.append("\(why) at \(Hex.format(load.address)) is loaded but no /chosen module declares it: Xen treats those bytes as free and may put its heap or page tables in them; added as undeclared module \(name)")
                added.append(Self.module(name, kind: kind, base: load.address, size: load.bytes, declared: false, extra: []))
            }
        }
        if loadsAreComplete {
            for module in spec.board.modules where module.region.dtPath != "/" && !plan.loads.contains(where: { $0.address == module.region.base }) {
                notes.append("\(module.region.dtPath) declares \(module.region.name) at \(Hex.format(module.region.base)), but nothing was loaded there")
            }
        }
        if let boot = plan.boot, let xen = plan.load(at: boot.address) {
            notes.append("Xen: \(xen.file) (\(boot.origin), \(boot.command)) runs at \(Hex.format(boot.runAddress)) and covers \(Hex.format(boot.runSize)) bytes (\(xen.image.footprintReason))")
        }
        return (Self.patch(spec.document(), extra: extra, added: added, notes: notes), notes)
    }

    /// The spec fields of a kernel's image format, when its header tells.
    static func format(_ image: BootImage) -> [(String, JSONOutput)] {
        switch image.format {
        case .arm64Image(let t, let s, _) where s > 0:
            return [("format", .string("arm64-image")), ("text_offset", .string(Hex.format(t))), ("image_size", .string(Hex.format(s)))]
        case .zImage: return [("format", .string("zimage"))]
        case .uImage(let h) where h.imageType == 2: return [("format", .string("uimage")), ("uimage_load_address", .string(Hex.format(UInt64(h.loadAddress))))]
        default: return []
        }
    }

    static func kind(of image: BootImage) -> BootModuleKind {
        switch image.format {
        case .arm64Image, .zImage: return .kernel
        case .uImage(let h): return h.imageType == 2 ? .kernel : (h.imageType == 3 ? .ramdisk : .other)
        case .deviceTree: return .deviceTree
        case .gzip, .unknown: return .other
        }
    }

    static func module(_ name: String, kind: BootModuleKind, base: UInt64, size: UInt64, declared: Bool, extra: [(String, JSONOutput)]) -> JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("name", .string(name)), ("kind", .string(kind.rawValue)), ("load_address", .string(Hex.format(base))), ("size", .string(Hex.format(size))),
            ("domain", .string("dom0")),
        ]
        fields += extra
        if !declared { fields.append(("declared", .bool(false))) }
        return .object(fields)
    }

    /// Adds `extra` fields to the named boot modules, appends `added`, and replaces the notes.
    static func patch(_ document: JSONOutput, extra: [String: [(String, JSONOutput)]], added: [JSONOutput], notes: [String]) -> JSONOutput {
        guard case .object(var top) = document else { return document }
        for (i, (key, value)) in top.enumerated() {
            if key == "boot_modules", case .array(let modules) = value {
                let amended: [JSONOutput] = modules.map { m in
                    guard case .object(let fields) = m, let nameField = fields.first(where: { $0.0 == "name" }),
                          case .string(let name) = nameField.1, let more = extra[name] else { return m }
                    let kept = fields.filter { f in !more.contains { $0.0 == f.0 } }
                    return .object(kept + more)
                }
                top[i].1 = .array(amended + added)
            }
            if key == "notes", case .array(let old) = value {
                top[i].1 = .array(old + notes.map(JSONOutput.string))
            }
        }
        return .object(top)
    }
}
