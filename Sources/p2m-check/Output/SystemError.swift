import Foundation

/// An `errno` value said in words, without the C library's or Foundation's
/// phrasing where a user needs to know what to do.
struct SystemError: Error, Equatable, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) { self.code = code }

    /// The current `errno`.
    static var current: SystemError { SystemError(errno) }

    var description: String {
        switch code {
        case ENOENT: return "no such file or directory"
        case ENOTDIR: return "a part of the path is not a directory"
        case EISDIR: return "is a directory"
        case ELOOP: return "too many levels of symbolic links (a symbolic link loop?)"
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EROFS: return "read-only file system"
        case ENAMETOOLONG: return "file name too long"
        case EIO: return "input/output error"
        case EFBIG: return "file too large for the file system"
        case EPIPE: return "the reader closed the pipe"
        case EBADF: return "not open (closed file descriptor)"
        case ETXTBSY: return "the file is a running program"
        case EXDEV: return "the temporary file and the output are on different file systems"
        case EMFILE, ENFILE: return "too many open files"
        default: return String(cString: strerror(code)).lowercased() + " (errno \(code))"
        }
    }
}
