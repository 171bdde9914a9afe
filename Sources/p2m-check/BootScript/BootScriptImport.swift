import ArgumentParser
import DeviceTree
import Foundation
import P2MModel

/// The path both `import-uboot` and `import-imagebuilder` take: run the script
/// over the board's tree, then hand the edited tree to `import-dtb`'s
/// tree-to-spec step and amend the spec with what was loaded.
enum BootScriptImport {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameters:
    ///   - script: the script's text; `scriptName` prefixes line numbers in errors.
    ///   - dtbPath: the board's tree, or nil to read the blob the script loads from `files`.
    /// - Throws: `Failure` whose message names the script's line, or the file.
    static func importSpec(script: String, scriptName: String, files: BootFileDirectory, dtbPath: String?, env: [String: String],
                           options base: ImportOptions) throws(Failure) -> (document: JSONOutput, notes: [String]) {
        var baseTree: FlattenedDeviceTree?
        if let dtbPath {
            guard let bytes = FileManagerShim.contents(dtbPath) else { throw Failure(description: "\(dtbPath): cannot read the file") }
            do { baseTree = try FlattenedDeviceTree.parse(bytes) } catch { throw Failure(description: "\(dtbPath): \(error.description)") }
        }
        let dramStart = baseTree.map { BoardExtractor.describe($0).memory.map(\.base).min() ?? 0 } ?? 0
        var interpreter = UBootInterpreter(env: env, files: files, baseTree: baseTree, dramStart: dramStart)
        let plan: BootPlan
        do {
            plan = try interpreter.run(try ScriptLexer.commands(script))
        } catch {
            throw Failure(description: "\(scriptName): \(error.description)")
        }
        guard let tree = plan.tree else { throw Failure(description: "\(scriptName): the script selects no device tree (fdt addr, or the boot command's tree argument)") }
        let loaded = LoadedImages(plan: plan, declareMissing: false)
        var options = base
        loaded.apply(to: &options)
        let spec: ImportedSpec
        do { spec = try ImportDTBCommand.importSpec(tree: tree, options: options) } catch { throw Failure(description: "\(scriptName): \(error.description)") }
        let amended = loaded.amend(spec)
        return (amended.document, spec.notes + amended.notes)
    }

    /// A script's text: plain text, or the payload of a `mkimage -T script`
    /// uImage (a 64-byte header, a zero-terminated list of lengths, the text).
    static func scriptText(_ bytes: [UInt8]) -> String {
        guard bytes.count > 72, bytes[0] == 0x27, bytes[1] == 0x05, bytes[2] == 0x19, bytes[3] == 0x56 else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var at = 64
        var lengths: [Int] = []
        while at + 4 <= bytes.count {
            let v = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            at += 4
            if v == 0 { break }
            lengths.append(v)
        }
        let length = min(lengths.first ?? 0, bytes.count - at)
        return String(decoding: bytes[at..<at + max(0, length)], as: UTF8.self)
    }

    /// Writes the spec like the other importers: to `output`, or standard output.
    static func emit(_ document: JSONOutput, notes: [String], command: String, output: String?) throws {
        for note in notes { FileHandle.standardError.write(Data("p2m-check: \(command): note: \(note)\n".utf8)) }
        let text = document.rendered()
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else {
                FileHandle.standardError.write(Data("p2m-check: \(command): cannot write \(output)\n".utf8))
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        } else {
            print(text, terminator: "")
        }
    }
}
