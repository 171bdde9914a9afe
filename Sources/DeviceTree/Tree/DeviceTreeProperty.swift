/// One property of a device-tree node: a name and raw big-endian bytes.
public struct DeviceTreeProperty: Hashable, Sendable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// The value as 32-bit big-endian cells, or nil when its length is not a multiple of 4.
    public var cells: [UInt32]? {
        guard value.count % 4 == 0 else { return nil }
        let r = BigEndianReader(value)
        var out: [UInt32] = []
        out.reserveCapacity(value.count / 4)
        var i = 0
        while i < value.count, let c = r.u32(at: i) {
            out.append(c)
            i += 4
        }
        return out
    }

    /// A single cell (`#address-cells`, `phandle`, ...), or nil if the value is not exactly 4 bytes.
    public var u32: UInt32? {
        guard value.count == 4 else { return nil }
        return BigEndianReader(value).u32(at: 0)
    }

    /// The value as a list of NUL-terminated strings (`compatible`), or nil
    /// when it is empty or does not end in NUL.
    public var strings: [String]? {
        guard let last = value.last, last == 0 else { return nil }
        return value.dropLast().split(separator: 0, omittingEmptySubsequences: false).map { text($0) }
    }

    /// The value as one NUL-terminated string, or nil.
    public var string: String? {
        guard let list = strings, list.count == 1 else { return nil }
        return list[0]
    }
}
