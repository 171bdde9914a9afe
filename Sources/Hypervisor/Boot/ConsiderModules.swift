import P2MModel

/// Xen's `consider_modules` (xen/arch/arm/mmu/setup.c): the highest end
/// address `e'` such that `[e' - size, e')` lies in `[start, end)`, is aligned,
/// and avoids every obstacle from index `first` on.
///
/// The search tries the part above the first overlapping obstacle before the
/// part below it, recursing on later obstacles only, exactly as Xen does.
/// Unlike Xen (which returns 0 for "none"), the result is optional, so a block
/// that fits at machine address 0 is not mistaken for a failure.
public enum ConsiderModules {
    /// - Parameters:
    ///   - start: lowest usable address (inclusive).
    ///   - end: highest usable address (exclusive), or nil for 2^64.
    ///   - size: bytes needed.
    ///   - alignment: power of two the block's base and end are aligned to.
    ///   - obstacles: ranges to avoid, in Xen's order (boot modules, reserved memory, ...).
    /// - Returns: the placed block, or nil if nothing fits.
    public static func highestFit(start: UInt64, end: UInt64?, size: UInt64, alignment: UInt64, obstacles: [AddressRange<MachineAddress>], first: Int = 0) -> AddressRange<MachineAddress>? {
        guard size > 0 else { return nil }
        let mask = alignment - 1
        let (roundedStart, overflow) = start.addingReportingOverflow(mask)
        if overflow { return nil }
        let s = roundedStart & ~mask
        // Treat an end of 2^64 as the highest aligned address below it.
        let e = (end ?? (UInt64.max & ~mask)) & ~mask
        guard e >= s, e - s >= size else { return nil }
        for i in first..<obstacles.count {
            let obstacle = obstacles[i]
            guard let obstacleLast = obstacle.last else { continue }
            // Overlap of the obstacle with [s, e).
            if obstacle.base.rawValue < e && obstacleLast.rawValue >= s {
                if obstacleLast.rawValue < UInt64.max,
                   let above = highestFit(start: obstacleLast.rawValue + 1, end: e, size: size, alignment: alignment, obstacles: obstacles, first: i + 1) {
                    return above
                }
                return highestFit(start: s, end: obstacle.base.rawValue, size: size, alignment: alignment, obstacles: obstacles, first: i + 1)
            }
        }
        return AddressRange(uncheckedBase: MachineAddress(e - size), size: size)
    }
}
