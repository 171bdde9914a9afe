import ArgumentParser
import Foundation

/// `p2m-check`: proves stage-2 (p2m) memory layout properties of a board spec.
@main
struct P2MCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "p2m-check",
        abstract: "Prove that a hypervisor's stage-2 memory layout for a board has no overlap or aliasing.",
        discussion: """
            Runs the hypervisor's p2m code on the board spec, decodes the stage-2 tables it \
            wrote as the MMU would, and proves each property with Z3 or prints a witness.
            Exit codes: 0 every property proved, 1 a property violated, 2 bad input or usage, \
            3 unknown (solver timeout or resource limit).
            """,
        version: "0.1.0",
        subcommands: [CheckCommand.self, ExplainCommand.self, RenderCommand.self, HookCommand.self, InstallHookCommand.self, ImportDTBCommand.self, ImportUBootCommand.self, ImportImageBuilderCommand.self, ExploreCommand.self],
        defaultSubcommand: CheckCommand.self
    )

    /// Parses and runs a command; every parse or usage error exits 2, as DESIGN.md requires.
    /// Standard output is flushed before exiting; a failed write is exit 2 (`Console.exit`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Console.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version.
                print(fullMessage(for: error))
                Console.exit(0)
            }
            Console.error(fullMessage(for: error))
            Console.exit(ExitStatus.badInput.rawValue)
        }
        Console.exit(0)
    }
}
