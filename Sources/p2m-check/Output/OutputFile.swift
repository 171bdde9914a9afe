import ArgumentParser
import Foundation

/// Why an output file was not written. Always exit 2; nothing was changed.
enum OutputFileError: Error, CustomStringConvertible {
    /// The output is one of the command's inputs (the same file, through any
    /// path, symbolic or hard link).
    case sameAsInput(output: CommandLinePath, input: CommandLinePath)
    /// The output exists and `--force` was not given.
    case exists(CommandLinePath)
    case isDirectory(CommandLinePath)
    /// A system call failed.
    case system(CommandLinePath, step: String, SystemError)

    var description: String {
        switch self {
        case .sameAsInput(let output, let input):
            let same = output.bytes == input.bytes ? "" : " (the same file as \(input))"
            return "\(output)\(same) is an input of this command; refusing to overwrite it; choose another output file"
        case .exists(let path): return "\(path) already exists; use --force to replace it"
        case .isDirectory(let path): return "\(path) is a directory; give a file name"
        case .system(let path, let step, let error): return "cannot \(step) \(path): \(error)"
        }
    }
}

/// Writes an output file without ever losing the user's data:
/// - an output that is one of the command's inputs (same device and inode,
///   whatever the path or link) is refused, even with `force`;
/// - an existing regular file (or a symbolic link to one) is replaced only
///   with `force`; a symbolic link is replaced by the new file, its target is
///   left alone;
/// - the bytes go to a temporary file in the same directory, which is flushed
///   to disk and then renamed over the output, so a failed write leaves the
///   old file as it was;
/// - an existing device or pipe (`/dev/stdout`, a FIFO) is written in place;
/// - every failed system call is an error (a full disk is not a success).
enum OutputFile {
    /// Writes `bytes` to `path`.
    /// - Parameters:
    ///   - inputs: the files the command read; the output may not be any of them.
    ///   - force: replace an existing regular file.
    ///   - mode: permission bits of the new file; nil keeps an existing
    ///     file's bits, or 0666 less the umask for a new one.
    /// - Throws: `OutputFileError`; the output is then unchanged.
    static func write(_ bytes: [UInt8], to path: CommandLinePath, inputs: [CommandLinePath], force: Bool, mode: mode_t? = nil) throws(OutputFileError) {
        switch try check(path, inputs: inputs, force: force) {
        case .inPlace: try writeInPlace(bytes, to: path)
        case .replace(let keptMode): try replace(path, with: bytes, mode: mode ?? keptMode ?? (0o666 & ~currentUmask()))
        }
    }

    /// How an output will be written.
    enum Plan {
        /// A device or pipe: opened and written.
        case inPlace
        /// A new file renamed over the path; the permission bits of the regular file it replaces, if any.
        case replace(keptMode: mode_t?)
    }

    /// What `write` checks before writing, without writing: call it before
    /// the work that produces the output, so a refused output costs nothing.
    /// - Throws: `OutputFileError.sameAsInput`, `.exists` (without `force`), `.isDirectory`.
    @discardableResult
    static func check(_ path: CommandLinePath, inputs: [CommandLinePath], force: Bool) throws(OutputFileError) -> Plan {
        try checkNotAnInput(path, inputs: inputs)
        var link = stat()
        let exists = path.withCString { lstat($0, &link) } == 0
        var target = stat()
        let targetExists = path.withCString { stat($0, &target) } == 0
        if targetExists, target.st_mode & S_IFMT == S_IFDIR { throw .isDirectory(path) }
        if targetExists, target.st_mode & S_IFMT != S_IFREG { return .inPlace }
        if !exists {
            let folder = CommandLinePath(bytes: split(path.bytes).directory)
            var info = stat()
            guard folder.withCString({ stat($0, &info) }) == 0 else { throw .system(path, step: "write", .current) }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .system(path, step: "write", SystemError(ENOTDIR)) }
        }
        if exists && !force { throw .exists(path) }
        return .replace(keptMode: targetExists && link.st_mode & S_IFMT == S_IFREG ? target.st_mode & 0o7777 : nil)
    }

    /// Refuses an output that is the same file as an input.
    static func checkNotAnInput(_ path: CommandLinePath, inputs: [CommandLinePath]) throws(OutputFileError) {
        var output = stat()
        guard path.withCString({ stat($0, &output) }) == 0 else { return }
        for input in inputs {
            var info = stat()
            guard input.withCString({ stat($0, &info) }) == 0 else { continue }
            if info.st_dev == output.st_dev && info.st_ino == output.st_ino { throw .sameAsInput(output: path, input: input) }
        }
    }

    private static func writeInPlace(_ bytes: [UInt8], to path: CommandLinePath) throws(OutputFileError) {
        let descriptor = path.withCString { open($0, O_WRONLY | O_TRUNC | O_CLOEXEC) }
        guard descriptor >= 0 else { throw .system(path, step: "open", .current) }
        if let error = writeAll(bytes, to: descriptor) {
            close(descriptor)
            throw .system(path, step: "write", error)
        }
        guard close(descriptor) == 0 else { throw .system(path, step: "write", .current) }
    }

    private static func replace(_ path: CommandLinePath, with bytes: [UInt8], mode: mode_t) throws(OutputFileError) {
        let (directory, name) = split(path.bytes)
        let template = CommandLinePath(bytes: directory + Array("/.".utf8) + name + Array(".p2m-check-XXXXXX".utf8))
        var templateBytes = template.bytes.map { CChar(bitPattern: $0) } + [0]
        let descriptor = mkstemp(&templateBytes)
        guard descriptor >= 0 else { throw .system(path, step: "write (a temporary file beside)", .current) }
        let temporary = CommandLinePath(bytes: templateBytes.dropLast().map { UInt8(bitPattern: $0) })
        var failure: (step: String, error: SystemError)?
        if let error = writeAll(bytes, to: descriptor) { failure = ("write", error) }
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = ("set the permissions of", .current) }
        if failure == nil, fsync(descriptor) != 0 { failure = ("write", .current) }
        if close(descriptor) != 0, failure == nil { failure = ("write", .current) }
        if failure == nil, temporary.withCString({ t in path.withCString { rename(t, $0) } }) != 0 { failure = ("replace", .current) }
        if let failure {
            _ = temporary.withCString { unlink($0) }
            throw .system(path, step: failure.step, failure.error)
        }
        let folder = CommandLinePath(bytes: directory)
        let directoryDescriptor = folder.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Writes every byte, retrying short writes; the error of the first failed write.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> SystemError? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return .current
            }
            offset += n
        }
        return nil
    }

    /// The directory part (`.` when there is none) and the last component.
    private static func split(_ path: [UInt8]) -> (directory: [UInt8], name: [UInt8]) {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return (Array(".".utf8), path) }
        let directory = slash == 0 ? Array("/".utf8) : Array(path[..<slash])
        return (directory, Array(path[(slash + 1)...]))
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}

extension OutputFile {
    /// `check`, with a refusal said on standard error as `error: ...` and exit 2.
    static func checkOrExit(_ path: CommandLinePath, inputs: [CommandLinePath], force: Bool) throws(ExitCode) {
        do { try check(path, inputs: inputs, force: force) } catch {
            Console.error("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// `write`, with a failure said on standard error as `error: ...` and exit 2.
    static func writeOrExit(_ bytes: [UInt8], to path: CommandLinePath, inputs: [CommandLinePath], force: Bool, mode: mode_t? = nil) throws(ExitCode) {
        do { try write(bytes, to: path, inputs: inputs, force: force, mode: mode) } catch {
            Console.error("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }
}
