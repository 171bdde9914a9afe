import ArgumentParser
import Foundation
import P2MModel

/// `p2m-check import-uboot SCRIPT --dtb BOARD.dtb --files DIR [-o spec.json]`.
struct ImportUBootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-uboot",
        abstract: "Write a board spec from a U-Boot boot script, the board's device tree and the files it loads.",
        discussion: """
            Runs the script's load/fatload/ext2load/ext4load/tftpb commands (sizes and footprints from the \
            files' headers), setenv and ${var}, the fdt commands (addr, resize, set, mknod, rm, chosen) on the \
            tree, and booti/bootm/bootz (the image booted is Xen). An image loaded where no /chosen module \
            declares it becomes a boot module with "declared": false. Exit 0 on success, 2 on bad input \
            (every script error names its line).

            Examples:
              p2m-check import-uboot boot.cmd --files /srv/tftp -o board.json
              p2m-check import-uboot boot.scr --dtb board.dtb --env kernel_addr_r=0x42000000
              p2m-check import-uboot boot.cmd --files /srv/tftp -o board.json --force
            """
    )

    @Argument(help: "The U-Boot script (text, boot.source, or a mkimage'd boot.scr).")
    var script: String

    @Option(help: "The board's device tree (default: the blob the script loads, from --files).")
    var dtb: String?

    @Option(help: "Directory holding the files the script loads (default: the script's directory).")
    var files: String?

    @Option(name: .customLong("env"), help: "A U-Boot variable the script uses but does not set, NAME=VALUE (repeatable).")
    var environment: [String] = []

    @OptionGroup var common: ImportCommonOptions

    @Option(name: .shortAndLong, help: "Write the spec here instead of standard output.")
    var output: String?

    func run() throws {
        guard let bytes = FileManagerShim.contents(script) else { throw importFailure("import-uboot", "\(script): cannot read the file") }
        var env: [String: String] = [:]
        for pair in environment {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("--env must be NAME=VALUE, not \"\(pair)\"") }
            env[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let directory = files ?? ((script as NSString).deletingLastPathComponent.isEmpty ? "." : (script as NSString).deletingLastPathComponent)
        let options = try common.options(sourceName: dtb ?? script)
        do {
            let result = try BootScriptImport.importSpec(
                script: BootScriptImport.scriptText(bytes), scriptName: script, files: BootFileDirectory(root: directory),
                dtbPath: dtb, env: env, options: options)
            try BootScriptImport.emit(result.document, notes: result.notes, command: "import-uboot", output: output)
        } catch let failure as BootScriptImport.Failure {
            throw importFailure("import-uboot", failure.description)
        }
    }
}

/// What the boot-file importers share with import-dtb's own choices.
struct ImportCommonOptions: ParsableArguments {
    @Option(help: "arm32-lpae or arm64 (default: from the CPU nodes' compatible).")
    var architecture: String?

    @Option(help: "dom0's RAM (default: min(512M, half of RAM)).")
    var dom0Memory: String?

    func options(sourceName: String) throws -> ImportOptions {
        var options = ImportOptions(sourceName: sourceName)
        if let a = architecture {
            guard let arch = Architecture(rawValue: a) else { throw ValidationError("--architecture must be arm32-lpae or arm64, not \"\(a)\"") }
            options.architecture = arch
        }
        if let text = dom0Memory {
            let m: UInt64
            do { m = try SizeLiteral.parse(text) } catch { throw ValidationError("--dom0-memory: \(error.description)") }
            guard m > 0, m % 4096 == 0 else { throw ValidationError("--dom0-memory must be a non-zero multiple of 4K") }
            options.dom0Memory = m
        }
        return options
    }
}

/// Prints `p2m-check: COMMAND: message` and exits 2.
func importFailure(_ command: String, _ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("p2m-check: \(command): \(message)\n".utf8))
    return ExitCode(ExitStatus.badInput.rawValue)
}
