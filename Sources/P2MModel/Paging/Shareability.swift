/// The SH[1:0] field of a leaf descriptor.
public enum Shareability: UInt8, Sendable, CustomStringConvertible {
    case nonShareable = 0
    case reserved = 1
    case outer = 2
    case inner = 3

    public var description: String {
        switch self {
        case .nonShareable: return "non-shareable"
        case .reserved: return "reserved"
        case .outer: return "outer-shareable"
        case .inner: return "inner-shareable"
        }
    }
}
