import DeviceTree
import Foundation

/// Reads a flattened device tree blob without reading more than it can be:
/// the 40-byte header first (a file that is not a blob is refused after 40
/// bytes, however large it is), then the `totalsize` the header declares,
/// refused above `maximumSize`.
enum DeviceTreeBlobFile {
    /// The largest blob Xen maps at boot: 2 MiB (`MAX_FDT_SIZE`, checked in
    /// `early_fdt_map`, xen/arch/arm/mm.c), so no bigger tree can describe a
    /// board Xen boots on.
    static let maximumSize: UInt32 = 2 << 20

    /// Why a blob file is refused before it is parsed.
    enum Problem: Error, CustomStringConvertible {
        case file(InputFileError)
        case deviceTree(CommandLinePath, DeviceTreeError)
        case tooLarge(CommandLinePath, declared: UInt32)

        var description: String {
            switch self {
            case .file(let error): return error.description
            case .deviceTree(let path, let error): return "\(path): \(error.description)"
            case .tooLarge(let path, let declared):
                return "\(path): the header's totalsize is \(declared) bytes; Xen maps at most \(DeviceTreeBlobFile.maximumSize) (2 MiB, MAX_FDT_SIZE)"
            }
        }
    }

    /// The blob's `totalsize` bytes (fewer when the file is shorter: the
    /// parser then says the blob is truncated).
    static func read(_ path: CommandLinePath) throws(Problem) -> [UInt8] {
        let descriptor: Int32
        do { descriptor = try InputFile.open(path) } catch { throw .file(error) }
        defer { _ = close(descriptor) }
        let header: [UInt8]
        do { header = try InputFile.read(descriptor, path, upTo: FlattenedDeviceTreeHeader.size) } catch { throw .file(error) }
        guard header.count == FlattenedDeviceTreeHeader.size else { throw .deviceTree(path, .truncatedHeader(available: header.count)) }
        let magic = header[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard magic == FlattenedDeviceTreeHeader.magic else { throw .deviceTree(path, .badMagic(found: magic)) }
        let totalSize = header[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard totalSize <= maximumSize else { throw .tooLarge(path, declared: totalSize) }
        let rest: [UInt8]
        do { rest = try InputFile.read(descriptor, path, upTo: Int(totalSize) - header.count) } catch { throw .file(error) }
        return header + rest
    }
}
