import BootFiles
import Foundation

/// The directory a script's file names are looked up in (`--files DIR`): a
/// name is tried as written under DIR, then by its last component.
struct BootFileDirectory {
    var root: String

    /// The path and header of `name`, or nil when no such file is in the directory.
    func image(_ name: String) -> (path: String, image: BootImage)? {
        let trimmed = name.drop { $0 == "/" }
        let candidates = [root + "/" + trimmed, root + "/" + (trimmed.split(separator: "/").last.map(String.init) ?? String(trimmed))]
        for path in candidates {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let image = Self.read(path) else { continue }
            return (path, image)
        }
        return nil
    }

    /// Reads a file's first 4 KiB and its length.
    static func read(_ path: String) -> BootImage? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096), let end = try? handle.seekToEnd() else { return nil }
        return BootImage.read([UInt8](head), length: end)
    }
}

/// Whole-file reads for small files (device trees, scripts, configs).
enum FileManagerShim {
    static func contents(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }
}
