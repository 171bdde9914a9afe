/// Translation granule. Xen's p2m uses the 4 KiB granule only, so that is the
/// only one modelled; the type exists so that sizes and shifts are named.
public enum Granule: Sendable {
    case size4K

    /// Bytes in one page.
    public var pageSize: UInt64 { 4096 }
    /// log2 of the page size.
    public var pageShift: UInt64 { 12 }
    /// Descriptors in one table page (8 bytes each).
    public var entriesPerTable: Int { 512 }
    /// Bits of address resolved by one level.
    public var bitsPerLevel: UInt64 { 9 }
}
