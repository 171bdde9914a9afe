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

    /// A file as the index holds it.
    struct StagedFile {
        /// The path from the work tree's top, byte for byte as git stores it
        /// (any byte but NUL and `/`-separated components; not always UTF-8).
        var path: [UInt8]
        /// The staged blob's object id.
        var blob: String
        /// The index mode: 100644/100755 a file, 120000 a symbolic link, 160000 a submodule.
        var mode: String

        /// The path as a `String` (bytes that are not UTF-8 become U+FFFD).
        var text: String { String(decoding: path, as: UTF8.self) }
        var isSymbolicLink: Bool { mode == "120000" }
        var isSubmodule: Bool { mode == "160000" }
    }

    /// Files added, copied or modified in the index (a rename counts as the
    /// new path added), from `git diff --cached --raw -z`: NUL-separated,
    /// so every name git can stage (newlines, quotes, bytes that are not
    /// UTF-8) arrives intact, with the staged blob's id to read it by.
    func stagedFiles() throws(GitError) -> [StagedFile] {
        let output = try run(["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=ACM"])
        return Self.parseRaw(output)
    }

    /// Parses `--raw -z` output: `:old-mode new-mode old-id new-id status NUL path NUL`, repeated.
    static func parseRaw(_ output: [UInt8]) -> [StagedFile] {
        var files: [StagedFile] = []
        var fields = output.split(separator: 0, omittingEmptySubsequences: false)[...]
        while let header = fields.popFirst() {
            guard header.first == UInt8(ascii: ":"), let path = fields.popFirst() else { continue }
            let columns = String(decoding: header.dropFirst(), as: UTF8.self).split(separator: " ")
            guard columns.count >= 5 else { continue }
            files.append(StagedFile(path: Array(path), blob: String(columns[3]), mode: String(columns[1])))
        }
        return files
    }

    /// The content of a blob (a staged file, by its object id).
    func blob(_ id: String) throws(GitError) -> [UInt8] {
        try run(["cat-file", "blob", id])
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
