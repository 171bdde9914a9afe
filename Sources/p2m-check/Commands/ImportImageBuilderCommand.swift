import ArgumentParser
import Foundation

/// `p2m-check import-imagebuilder CONFIG --files DIR [-o spec.json]`.
struct ImportImageBuilderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-imagebuilder",
        abstract: "Write a board spec from an ImageBuilder config: the layout uboot-script-gen would produce.",
        discussion: """
            Places the images by ImageBuilder's rule (2 MiB slots from MEMORY_START, each sized by its file's \
            length), writes the boot.source it would write, and imports that like import-uboot. An image whose \
            footprint (its header's size, .bss included) runs past its slot shows up as overlapping the next \
            image. Exit 0 on success, 2 on bad input (errors name the config line).

            Examples:
              p2m-check import-imagebuilder config --files /srv/images -o board.json
              p2m-check import-imagebuilder config --files /srv/images --script boot.source
            """
    )

    @Argument(help: "The ImageBuilder config file.")
    var config: String

    @Option(help: "Directory holding the files the config names (ImageBuilder's -d; default: the config's directory).")
    var files: String?

    @Option(help: "Also write the boot.source ImageBuilder would write here.")
    var script: String?

    @OptionGroup var common: ImportCommonOptions

    @Option(name: .shortAndLong, help: "Write the spec here instead of standard output.")
    var output: String?

    func run() throws {
        guard let bytes = FileManagerShim.contents(config) else { throw importFailure("import-imagebuilder", "\(config): cannot read the file") }
        let directory = files ?? ((config as NSString).deletingLastPathComponent.isEmpty ? "." : (config as NSString).deletingLastPathComponent)
        let dir = BootFileDirectory(root: directory)
        var options = try common.options(sourceName: config)
        let parsed: ImageBuilderConfig
        var generator: ImageBuilderScript
        let text: String
        do {
            parsed = try ImageBuilderConfig(String(decoding: bytes, as: UTF8.self))
            generator = ImageBuilderScript(config: parsed, files: dir)
            text = try generator.generate()
        } catch {
            throw importFailure("import-imagebuilder", "\(config): \(error.description)")
        }
        if options.dom0Memory == nil, parsed["XEN_CMD"] == nil, parsed["DOM0_KERNEL"] != nil {
            let mib = parsed["DOM0_MEM"].flatMap { UInt64($0) } ?? 1500
            options.dom0Memory = mib << 20
        }
        if let script {
            guard FileManager.default.createFile(atPath: script, contents: Data(text.utf8)) else { throw importFailure("import-imagebuilder", "cannot write \(script)") }
        }
        let treePath = dir.image(parsed["DEVICE_TREE"] ?? "")?.path
        do {
            let result = try BootScriptImport.importSpec(script: text, scriptName: "\(config) (generated boot.source)", files: dir, dtbPath: treePath, env: [:], options: options)
            try BootScriptImport.emit(result.document, notes: generator.notes + result.notes, command: "import-imagebuilder", output: output)
        } catch let failure as BootScriptImport.Failure {
            throw importFailure("import-imagebuilder", failure.description)
        }
    }
}
