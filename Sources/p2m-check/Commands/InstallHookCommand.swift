import ArgumentParser
import Foundation
import SpecFormat

/// `p2m-check install-hook`: writes a plain git pre-commit hook that runs
/// `p2m-check hook --staged`, so a commit whose staged specs are not proved
/// is refused.
struct InstallHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install a git pre-commit hook that checks the staged board specs.",
        discussion: """
            Examples:
              p2m-check install-hook
              p2m-check install-hook --include '^boards/' --exclude '^boards/bad/'
              p2m-check install-hook --force   # replace a hook p2m-check did not write
            """
    )

    /// A line every hook written by this command carries, so that it can be replaced safely.
    static let marker = "# p2m-check pre-commit hook (written by `p2m-check install-hook`)"

    @Option(help: "A directory inside the git work tree to install into.")
    var repository: String = "."

    @Option(help: "The p2m-check binary the hook runs. Default: this binary.")
    var executable: String?

    @Option(help: "Regular expression a staged path (from the repository top) must match to be checked.")
    var include: String = SpecFilter.defaultInclude

    @Option(help: "Regular expression of staged paths not to check; empty for none.")
    var exclude: String = SpecFilter.defaultExclude

    @Flag(help: "Replace an existing pre-commit hook that p2m-check did not write.")
    var force = false

    func validate() throws {
        do { _ = try SpecFilter(include: include, exclude: exclude) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let binary = executable.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? Self.currentExecutable()
        let hooks: String
        do { hooks = try Git(directory: repository).hooksDirectory() } catch {
            throw ValidationError("\(repository) is not inside a git work tree: \(error)")
        }
        let hook = CommandLinePath(URL(fileURLWithPath: hooks).appendingPathComponent("pre-commit").path)
        var info = stat()
        let exists = hook.withCString { lstat($0, &info) } == 0
        let isLink = exists && info.st_mode & S_IFMT == S_IFLNK
        if exists, !force {
            let text = (try? InputFile.read(hook, upTo: 1 << 20)).map { String(decoding: $0, as: UTF8.self) }
            guard let text, text.contains(Self.marker) else {
                throw ValidationError("\(hook) already exists and was not written by p2m-check; use --force to replace it")
            }
        }
        do { try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true) } catch {
            Console.error("error: cannot create the hooks directory \(CommandLinePath(hooks))")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        // A symbolic link is replaced by the new hook; the file it points to (often tracked) is left alone.
        try OutputFile.writeOrExit(Array(Self.script(executable: binary, include: include, exclude: exclude).utf8), to: hook, inputs: [], force: true, mode: 0o755)
        print("installed \(hook): checks staged specs matching \(PrintableText.escape(include))\(exclude.isEmpty ? "" : " except \(PrintableText.escape(exclude))") with \(CommandLinePath(binary))")
        if isLink { print("replaced the symbolic link \(hook); the file it pointed to is unchanged") }
    }

    /// The hook script. The binary falls back to `p2m-check` on PATH when moved.
    static func script(executable: String, include: String, exclude: String) -> String {
        """
        #!/bin/sh
        \(marker)
        # Checks the staged content (not the working tree) of every staged spec
        # whose path from the repository top matches INCLUDE and not EXCLUDE
        # (regular expressions, Swift Regex syntax; an empty EXCLUDE skips none),
        # and refuses the commit unless every property of each is proved.
        # Bypass once with `git commit --no-verify`.
        P2M_CHECK=\(quote(executable))
        INCLUDE=\(quote(include))
        EXCLUDE=\(quote(exclude))
        if [ ! -x "$P2M_CHECK" ]; then
          P2M_CHECK=$(command -v p2m-check) || { echo "p2m-check pre-commit hook: p2m-check not found" >&2; exit 1; }
        fi
        exec "$P2M_CHECK" hook --staged --include "$INCLUDE" --exclude "$EXCLUDE"

        """
    }

    /// `text` as one single-quoted shell word.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// The absolute path of the running binary.
    static func currentExecutable() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
