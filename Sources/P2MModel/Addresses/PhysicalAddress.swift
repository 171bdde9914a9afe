/// A 64-bit address in one particular address space.
///
/// Conformers are thin typed wrappers around `UInt64` so that a machine
/// (host-physical) address can never be passed where a guest-physical
/// (intermediate-physical) address is expected.
public protocol PhysicalAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a plain 64-bit number.
    var rawValue: UInt64 { get }
    /// Wraps a plain 64-bit number. Every value is a valid address.
    init(_ rawValue: UInt64)
}

extension PhysicalAddress {
    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `0x`-prefixed lower-case hexadecimal, as addresses appear in device trees and specs.
    public var description: String { Hex.format(rawValue) }

    /// The page frame number for a 4 KiB granule.
    @inlinable public var frameNumber: UInt64 { rawValue >> 12 }

    /// Whether the address is a multiple of `alignment`.
    /// - Precondition: `alignment` is a power of two.
    @inlinable public func isAligned(to alignment: UInt64) -> Bool { rawValue & (alignment &- 1) == 0 }

    /// The address rounded down to `alignment`.
    /// - Precondition: `alignment` is a power of two.
    @inlinable public func alignedDown(to alignment: UInt64) -> Self { Self(rawValue & ~(alignment &- 1)) }

    /// The address plus `offset`, or nil if that passes the top of the 64-bit space.
    @inlinable public func adding(_ offset: UInt64) -> Self? {
        let (sum, overflow) = rawValue.addingReportingOverflow(offset)
        return overflow ? nil : Self(sum)
    }
}
