import ArgumentParser
import BootFiles
import P2MModel

/// `import-dtb`'s boot files: the images the bootloader loads, read for their
/// headers so that Xen's size (.bss included) and each kernel's format come
/// from the files, not from guesses.
struct BootFileArguments: ParsableArguments {
    @Option(help: "Xen's binary and where the bootloader loads it, FILE@ADDR: Xen's size (.bss included) comes from its header.")
    var xen: String?

    @Option(help: "dom0's kernel and its load address, FILE@ADDR (arm64 Image, zImage or uImage; its header gives the format).")
    var kernel: String?

    @Option(help: "dom0's ramdisk and its load address, FILE@ADDR.")
    var ramdisk: String?

    /// The files named, read; nil when none is.
    /// - Throws: `ValidationError` for a malformed FILE@ADDR or a file that cannot be read.
    func plan() throws -> (plan: BootPlan, kinds: [String: BootModuleKind])? {
        guard xen != nil || kernel != nil || ramdisk != nil else { return nil }
        var plan = BootPlan()
        var kinds: [String: BootModuleKind] = [:]
        if let xen {
            let load = try Self.load(xen, option: "--xen")
            plan.loads.append(load)
            var run = (address: load.address, size: load.footprint)
            if case .uImage(let h) = load.image.format {
                run = (UInt64(h.loadAddress), h.payloadBytes)
                plan.notes.append("--xen: \(load.file) is a uImage: bootm copies its payload to \(Hex.format(run.address)), where Xen runs")
            } else if let placed = BootiRelocation.place(load.image, loadedAt: load.address, dramStart: 0), placed.moved {
                plan.notes.append("--xen: booti would run \(load.file) at \(Hex.format(placed.address)), not \(Hex.format(load.address)) (an arm64 Image's base must be 2 MiB aligned); the spec uses \(Hex.format(load.address))")
            }
            plan.boot = BootPlan.Boot(command: "--xen", address: load.address, runAddress: run.address, runSize: run.size, origin: "--xen")
        }
        for (text, option, kind) in [(kernel, "--kernel", BootModuleKind.kernel), (ramdisk, "--ramdisk", .ramdisk)] {
            guard let text else { continue }
            plan.loads.append(try Self.load(text, option: option))
            kinds[option] = kind
        }
        return (plan, kinds)
    }

    /// The spec `import-dtb` wrote, amended with the files (unchanged when none is named).
    func amend(_ spec: ImportedSpec, files: (plan: BootPlan, kinds: [String: BootModuleKind])?) -> (document: JSONOutput, notes: [String]) {
        guard let files else { return (spec.document(), []) }
        var loaded = LoadedImages(plan: files.plan, declareMissing: true)
        loaded.kinds = files.kinds
        return loaded.amend(spec)
    }

    static func load(_ text: String, option: String) throws -> BootPlan.Load {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex else { throw ValidationError("\(option) must be FILE@ADDR, not \"\(text)\"") }
        let path = String(text[..<at])
        let address: UInt64
        do { address = try SizeLiteral.parse(String(text[text.index(after: at)...])) } catch { throw ValidationError("\(option): \(error.description)") }
        guard let image = BootFileDirectory.read(path) else { throw ValidationError("\(option): cannot read \(path)") }
        return BootPlan.Load(file: path, address: address, bytes: image.length, image: image, origin: option)
    }
}
