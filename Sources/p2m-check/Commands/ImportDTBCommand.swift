import ArgumentParser
import DeviceTree
import Foundation
import P2MModel
import SpecFormat

/// `p2m-check import-dtb board.dtb [-o spec.json]`: writes a spec from a
/// flattened device tree blob. What the tree does not say, or what could not
/// be interpreted, is printed as a note on stderr and kept in the spec's
/// `notes`.
struct ImportDTBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-dtb",
        abstract: "Write a board spec from a flattened device tree blob (.dtb).",
        discussion: """
            Reads RAM (memory nodes), /memreserve/ and /reserved-memory, every device with a reg \
            (translated through the parents' ranges), the GIC frames (by compatible), the \
            stdout-path console and the /chosen boot modules. Exit 0 on success, 2 on a bad blob \
            or usage.
            Examples:
              p2m-check import-dtb board.dtb > board.json
              p2m-check import-dtb virt.dtb -o virt.json --dom0-memory 1G
            The output is never the blob itself; an existing output needs --force.
            """
    )

    @Argument(help: "The flattened device tree blob.", completion: .file(extensions: ["dtb"]))
    var dtb: String

    @Option(name: .shortAndLong, help: "Write the spec here instead of standard output.")
    var output: String?

    @Flag(help: "Replace the output file if it exists (never the blob itself).")
    var force = false

    @Option(help: "arm32-lpae or arm64 (default: from the CPU nodes' compatible).")
    var architecture: String?

    @Option(help: "Machine address the hypervisor image is loaded at (default: lowest free 2 MiB-aligned RAM).")
    var hypervisorAddress: String?

    @Option(help: "Size of the hypervisor image including .bss.")
    var hypervisorSize: String = "2M"

    @Option(help: "dom0's RAM (default: min(512M, half of RAM)).")
    var dom0Memory: String?

    @Option(help: "Where the bootloader loads this blob for Xen: adds it as a boot module of its totalsize.")
    var dtbAddress: String?

    @OptionGroup(title: "Boot files") var bootFiles: BootFileArguments

    func run() throws {
        var options = ImportOptions(sourceName: dtb)
        if let a = architecture {
            guard let arch = Architecture(rawValue: a) else { throw ValidationError("--architecture must be arm32-lpae or arm64, not \"\(a)\"") }
            options.architecture = arch
        }
        options.hypervisorAddress = try hypervisorAddress.map { try Self.value($0, "--hypervisor-address") }
        options.hypervisorSize = try Self.value(hypervisorSize, "--hypervisor-size")
        options.dom0Memory = try dom0Memory.map { try Self.value($0, "--dom0-memory") }
        options.dtbAddress = try dtbAddress.map { try Self.value($0, "--dtb-address") }
        guard options.hypervisorSize > 0, options.hypervisorSize % 4096 == 0 else { throw ValidationError("--hypervisor-size must be a non-zero multiple of 4K") }
        if let m = options.dom0Memory, m == 0 || m % 4096 != 0 { throw ValidationError("--dom0-memory must be a non-zero multiple of 4K") }

        let target = output.map(CommandLinePath.init)
        if let target { try OutputFile.checkOrExit(target, inputs: [CommandLinePath(dtb)], force: force) }
        let files = try bootFiles.plan()
        files.map { LoadedImages(plan: $0.plan, declareMissing: true).apply(to: &options) }
        let spec: ImportedSpec
        do {
            spec = try Self.importSpec(path: dtb, options: options)
        } catch {
            Console.error("p2m-check: import-dtb: \(error.description)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        let amended = bootFiles.amend(spec, files: files)
        for note in spec.notes + amended.notes {
            Console.error("p2m-check: import-dtb: note: \(PrintableText.escape(note))")
        }
        let text = amended.document.rendered()
        if let target {
            try OutputFile.writeOrExit(Array(text.utf8), to: target, inputs: [CommandLinePath(dtb)], force: force)
        } else {
            print(text, terminator: "")
        }
    }

    /// Reads, parses and extracts; the spec's choices are in its `notes`.
    static func importSpec(path: String, options: ImportOptions) throws(ImportError) -> ImportedSpec {
        let data: [UInt8]
        do { data = try DeviceTreeBlobFile.read(CommandLinePath(path)) } catch { throw .file(error) }
        let tree: FlattenedDeviceTree
        do { tree = try FlattenedDeviceTree.parse(data) } catch { throw .deviceTree(path: path, error) }
        return try importSpec(tree: tree, options: options)
    }

    /// The tree-to-spec step on its own, for importers that edit the tree
    /// first (`import-uboot`, `import-imagebuilder`).
    static func importSpec(tree: FlattenedDeviceTree, options: ImportOptions) throws(ImportError) -> ImportedSpec {
        try ImportedSpec(board: BoardExtractor.describe(tree), options: options, blobSize: tree.header.totalSize)
    }

    private static func value(_ text: String, _ option: String) throws -> UInt64 {
        do { return try SizeLiteral.parse(text) } catch { throw ValidationError("\(option): \(error.description)") }
    }
}
