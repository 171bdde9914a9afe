import Foundation

/// Why a git query for the pre-commit hook failed.
enum GitError: Error, CustomStringConvertible {
    /// `git` could not be started.
    case notRunnable(String)
    /// `git` ran and failed.
    case failed(command: String, status: Int32, stderr: String)

    var description: String {
        switch self {
        case .notRunnable(let why): return "cannot run git: \(why)"
        case .failed(let command, let status, let stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "`\(command)` failed with status \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        }
    }
}

/// The few git queries the hook needs, run through the `git` on PATH.
struct Git {
    /// The directory git runs in (a work tree, or anywhere inside one).
    var directory: String

    /// Runs `git <arguments>` and returns its standard output.
    /// - Throws: `GitError` when git cannot start or exits non-zero.
    func run(_ arguments: [String]) throws(GitError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw .notRunnable("\(error)") }
        // git writes little to stderr (a message at most), so reading stdout
        // to its end first cannot block on a full stderr pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .failed(command: (["git"] + arguments).joined(separator: " "), status: process.terminationStatus,
                          stderr: String(decoding: errData, as: UTF8.self))
        }
        return [UInt8](outData)
    }

    /// Paths (relative to the work tree's top) of files added, copied,
    /// modified or renamed in the index.
    func stagedPaths() throws(GitError) -> [String] {
        try run(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"])
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The staged content of `path` (relative to the work tree's top).
    func stagedContent(of path: String) throws(GitError) -> [UInt8] {
        try run(["cat-file", "blob", ":" + path])
    }

    /// The work tree's top directory.
    func topLevel() throws(GitError) -> String {
        String(decoding: try run(["rev-parse", "--show-toplevel"]), as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// The hooks directory (honours `core.hooksPath` and linked work trees), absolute.
    func hooksDirectory() throws(GitError) -> String {
        let path = String(decoding: try run(["rev-parse", "--git-path", "hooks"]), as: UTF8.self).trimmingCharacters(in: .newlines)
        return path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }
}
