import Foundation

/// Why an input file could not be read. Always exit 2.
struct InputFileError: Error, CustomStringConvertible {
    var path: CommandLinePath
    var reason: String

    var description: String { "\(path): \(reason)" }
}

/// Reads input files (specs, blobs, baselines) with plain system calls, so
/// that every failure has a message that says what is wrong with the file,
/// and nothing larger than the caller's limit is ever read.
enum InputFile {
    /// At most `limit` bytes of the file at `path` (one more than a caller's
    /// maximum lets it say "too large" by itself).
    /// - Throws: `InputFileError` naming the cause: no such file, a symbolic
    ///   link loop, permission denied, a directory, a name that is not UTF-8
    ///   and does not exist, a read error.
    static func read(_ path: CommandLinePath, upTo limit: Int) throws(InputFileError) -> [UInt8] {
        let descriptor = try open(path)
        defer { close(descriptor) }
        return try read(descriptor, path, upTo: limit)
    }

    /// Opens `path` for reading; a directory is refused.
    static func open(_ path: CommandLinePath) throws(InputFileError) -> Int32 {
        guard !path.bytes.isEmpty else { throw InputFileError(path: path, reason: "the file name is empty") }
        guard !path.bytes.contains(0) else { throw InputFileError(path: path, reason: "the file name contains a NUL byte") }
        let descriptor = path.withCString { Foundation.open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw openError(path, SystemError.current) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw InputFileError(path: path, reason: "is a directory, not a file")
        }
        return descriptor
    }

    /// Reads from an open descriptor until end of file or `limit` bytes.
    static func read(_ descriptor: Int32, _ path: CommandLinePath, upTo limit: Int) throws(InputFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, wanted) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputFileError(path: path, reason: "cannot read: \(SystemError.current)")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// The size of an open regular file, nil for a pipe or device.
    static func regularFileSize(_ descriptor: Int32) -> UInt64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return UInt64(info.st_size)
    }

    private static func openError(_ path: CommandLinePath, _ error: SystemError) -> InputFileError {
        switch error.code {
        case ENOENT:
            if !path.isUTF8 { return InputFileError(path: path, reason: "no such file (the name is not valid UTF-8; the bytes shown as \\xNN are as given)") }
            if let hint = nonFileHint(path.text) { return InputFileError(path: path, reason: "no such file; \(hint)") }
            return InputFileError(path: path, reason: "no such file")
        case ELOOP: return InputFileError(path: path, reason: "symbolic link loop (too many levels of symbolic links)")
        default: return InputFileError(path: path, reason: "cannot open: \(error)")
        }
    }

    /// What the user probably meant when a bare word is not a file.
    static func nonFileHint(_ text: String) -> String? {
        guard !text.contains("/"), !text.contains(".") else { return nil }
        switch text {
        case "version": return "for the version, run p2m-check --version"
        case "help": return "for help, run p2m-check --help"
        default:
            let names = P2MCheck.configuration.subcommands.compactMap { $0.configuration.commandName }
            return "it is not a subcommand either (\(names.joined(separator: ", ")))"
        }
    }
}
