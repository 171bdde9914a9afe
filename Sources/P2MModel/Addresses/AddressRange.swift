/// A half-open range `[base, base + size)` of addresses in one address space.
///
/// The range is stored as base and size, never as an exclusive end, so a
/// range that ends exactly at the top of the 64-bit space (`base + size ==
/// 2^64`) is representable and every query stays correct there. Ranges that
/// would wrap past 2^64 cannot be constructed. An empty range (size 0)
/// contains no address and overlaps nothing, wherever its base is.
public struct AddressRange<Address: PhysicalAddress>: Hashable, Sendable, CustomStringConvertible {
    /// First address of the range.
    public let base: Address
    /// Number of bytes in the range.
    public let size: UInt64

    /// Creates `[base, base + size)`.
    /// - Throws: `AddressRangeError.wrapsAddressSpace` if `base + size` exceeds 2^64.
    @inlinable public init(base: Address, size: UInt64) throws(AddressRangeError) {
        if size > 0 && size - 1 > UInt64.max - base.rawValue {
            throw .wrapsAddressSpace(base: base.rawValue, size: size)
        }
        self.base = base
        self.size = size
    }

    /// Creates the non-empty range `[first, last]` (both ends included).
    /// - Precondition: `first <= last`, and the range is not the whole 64-bit space.
    @inlinable public init(first: Address, last: Address) {
        precondition(first <= last, "first must not be above last")
        precondition(!(first.rawValue == 0 && last.rawValue == .max), "whole space is not representable")
        self.base = first
        self.size = last.rawValue - first.rawValue + 1
    }

    /// Creates `[base, base + size)` where the caller has already checked that it does not wrap.
    /// - Precondition: `base + size <= 2^64`.
    @inlinable public init(uncheckedBase base: Address, size: UInt64) {
        precondition(size == 0 || size - 1 <= UInt64.max - base.rawValue, "range wraps the address space")
        self.base = base
        self.size = size
    }

    @inlinable public var isEmpty: Bool { size == 0 }

    /// The last address in the range, or nil for an empty range.
    @inlinable public var last: Address? { isEmpty ? nil : Address(base.rawValue + (size - 1)) }

    /// The exclusive end, or nil when the range ends exactly at 2^64 (or is empty at the top).
    @inlinable public var end: Address? {
        let (sum, overflow) = base.rawValue.addingReportingOverflow(size)
        return overflow ? nil : Address(sum)
    }

    /// Whether `address` lies in the range.
    @inlinable public func contains(_ address: Address) -> Bool {
        guard let last else { return false }
        return base <= address && address <= last
    }

    /// Whether every address of `other` lies in this range. An empty `other` is contained.
    @inlinable public func contains(_ other: AddressRange<Address>) -> Bool {
        guard let otherLast = other.last else { return true }
        return contains(other.base) && contains(otherLast)
    }

    /// Whether the two ranges share at least one address.
    @inlinable public func overlaps(_ other: AddressRange<Address>) -> Bool {
        guard let last, let otherLast = other.last else { return false }
        return base <= otherLast && other.base <= last
    }

    /// The common part of the two ranges, or nil if they do not overlap.
    @inlinable public func intersection(_ other: AddressRange<Address>) -> AddressRange<Address>? {
        guard overlaps(other), let last, let otherLast = other.last else { return nil }
        return AddressRange(first: max(base, other.base), last: min(last, otherLast))
    }

    /// The same bytes seen in another address space (for 1:1 mappings).
    @inlinable public func reinterpreted<Other: PhysicalAddress>(as _: Other.Type) -> AddressRange<Other> {
        AddressRange<Other>(uncheckedBase: Other(base.rawValue), size: size)
    }

    /// The smallest range of whole `alignment` blocks covering this range, or nil if that wraps.
    /// - Precondition: `alignment` is a power of two.
    @inlinable public func expanded(toAlignment alignment: UInt64) -> AddressRange<Address>? {
        guard let last else { return self }
        let first = base.alignedDown(to: alignment)
        let lastBlock = last.alignedDown(to: alignment).rawValue
        let (lastByte, overflow) = lastBlock.addingReportingOverflow(alignment - 1)
        if overflow { return nil }
        if first.rawValue == 0 && lastByte == .max { return nil }
        return AddressRange(first: first, last: Address(lastByte))
    }

    /// `[base, end)` in hex; the end is written as 2^64 when the range reaches the top.
    public var description: String {
        let endText = end.map { $0.description } ?? "0x10000000000000000"
        return "[\(base), \(endText))"
    }
}

/// Errors building an `AddressRange`.
public enum AddressRangeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `base + size` is larger than 2^64.
    case wrapsAddressSpace(base: UInt64, size: UInt64)

    public var description: String {
        switch self {
        case .wrapsAddressSpace(let base, let size):
            return "base \(Hex.format(base)) + size \(Hex.format(size)) wraps past the top of the 64-bit address space"
        }
    }
}
