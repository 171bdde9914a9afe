/// Why a flattened device tree blob was rejected. Every case carries the byte
/// offset (from the start of the blob) where the problem was found, so that a
/// user can look at the blob with a hex dump.
public enum DeviceTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the 40-byte header.
    case truncatedHeader(available: Int)
    /// The first word is not 0xd00dfeed.
    case badMagic(found: UInt32)
    /// `totalsize` claims more bytes than the blob has (or less than the header).
    case totalSizeMismatch(declared: UInt32, available: Int)
    /// A version this parser does not read (it reads 16 and 17, as libfdt does).
    case unsupportedVersion(version: UInt32, lastCompatible: UInt32)
    /// A block (`structure`, `strings`, `memory reservation map`) lies outside the blob, or overlaps the header.
    case blockOutOfBounds(block: String, offset: UInt32, size: UInt32, totalSize: UInt32)
    /// The structure block overlaps the strings block or the memory reservation map.
    case blocksOverlap(first: String, second: String)
    /// A read of `length` bytes at `offset` ran past the end of its block.
    case truncated(what: String, offset: Int)
    /// A structure-block token that is not one of BEGIN_NODE, END_NODE, PROP, NOP, END.
    case unknownToken(token: UInt32, offset: Int)
    /// A node name with no NUL terminator before the end of the structure block.
    case unterminatedNodeName(offset: Int)
    /// A property name offset past the end of the strings block.
    case propertyNameOutOfBounds(nameOffset: UInt32, stringsSize: UInt32, offset: Int)
    /// A property name with no NUL terminator before the end of the strings block.
    case unterminatedPropertyName(nameOffset: UInt32, offset: Int)
    /// A property or END_NODE outside any node, a second root, or END before every node was closed.
    case badNesting(String, offset: Int)
    /// The structure block ended without an END token.
    case missingEnd(offset: Int)
    /// The reservation map has no (0, 0) terminator within the limits.
    case unterminatedReservationMap(offset: Int)
    /// A resource limit was reached (depth, nodes, properties, reservations).
    case limitExceeded(what: String, limit: Int)
    /// A reservation or `reg` entry whose base + size wraps past 2^64.
    case rangeWraps(what: String, base: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case .truncatedHeader(let n):
            return "truncated blob: \(n) bytes, a flattened device tree header needs 40"
        case .badMagic(let found):
            return "bad magic \(hex32(found)) at offset 0x0: not a flattened device tree (expected 0xd00dfeed)"
        case .totalSizeMismatch(let declared, let available):
            return "header totalsize \(hex32(declared)) does not fit the blob (\(available) bytes available, at least 40 needed): truncated blob?"
        case .unsupportedVersion(let v, let last):
            return "unsupported device tree version \(v) (last compatible \(last)); versions 16 and 17 are read"
        case .blockOutOfBounds(let block, let offset, let size, let total):
            return "\(block) block [\(hex32(offset)), +\(hex32(size))) lies outside the blob of \(hex32(total)) bytes or overlaps the header"
        case .blocksOverlap(let a, let b):
            return "the \(a) block overlaps the \(b) block"
        case .truncated(let what, let offset):
            return "truncated \(what) at offset \(hexInt(offset))"
        case .unknownToken(let token, let offset):
            return "unknown structure token \(hex32(token)) at offset \(hexInt(offset))"
        case .unterminatedNodeName(let offset):
            return "unterminated node name at offset \(hexInt(offset))"
        case .propertyNameOutOfBounds(let nameOffset, let size, let offset):
            return "property at offset \(hexInt(offset)) names string offset \(hex32(nameOffset)), past the strings block of \(hex32(size)) bytes"
        case .unterminatedPropertyName(let nameOffset, let offset):
            return "property at offset \(hexInt(offset)): its name at string offset \(hex32(nameOffset)) is not NUL-terminated inside the strings block"
        case .badNesting(let what, let offset):
            return "malformed structure block at offset \(hexInt(offset)): \(what)"
        case .missingEnd(let offset):
            return "structure block ends at offset \(hexInt(offset)) without an END token"
        case .unterminatedReservationMap(let offset):
            return "memory reservation map starting at offset \(hexInt(offset)) has no (0, 0) terminator"
        case .limitExceeded(let what, let limit):
            return "too many \(what) (limit \(limit)); refusing the blob"
        case .rangeWraps(let what, let base, let size):
            return "\(what): base \(hex64(base)) + size \(hex64(size)) wraps past 2^64"
        }
    }
}

func hex32(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
func hex64(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
func hexInt(_ v: Int) -> String { v < 0 ? String(v) : "0x" + String(v, radix: 16) }
