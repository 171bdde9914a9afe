import P2MModel

/// Where Xen moves its own image. Since Xen 4.12 (commit f60658c6ae, "Stop
/// relocating Xen") it does not: it runs where the bootloader put it and
/// registers itself as boot module `BOOTMOD_XEN`, an obstacle for every later
/// placement. Since 4.20 it relocates again only with LLC colouring
/// (xen/arch/arm/llc-coloring.c, `get_xen_paddr`), which this models.
public enum XenRelocation {
    /// `XEN_PADDR_ALIGN`.
    public static let alignment: UInt64 = 2 << 20

    /// Xen's coloured relocation target (`get_xen_paddr`): the image needs
    /// roundup(image size x colours, 2 MiB); for every RAM bank at least that
    /// large, `consider_modules` gives the highest fitting end (on arm32 the
    /// bank end is clamped to 4 GiB); the bank giving the highest start wins.
    /// - Parameters:
    ///   - imageSize: bytes of Xen's image (`_end - _start`).
    ///   - colours: LLC colours Xen is given (at least 1).
    ///   - obstacles: boot modules (Xen's own included), reserved memory and
    ///     static shared memory, in `consider_modules` order.
    /// - Throws: `BuildError.noRoomFor` ("Not enough memory to relocate Xen").
    public static func colouredTarget(imageSize: UInt64, colours: UInt64, ram: [AddressRange<MachineAddress>], obstacles: [AddressRange<MachineAddress>], architecture: Architecture) throws(BuildError) -> AddressRange<MachineAddress> {
        let (product, overflow) = imageSize.multipliedReportingOverflow(by: max(colours, 1))
        let size = (product &+ (alignment - 1)) & ~(alignment - 1)
        guard !overflow, size >= product, size > 0 else { throw .noRoomFor(what: "relocating Xen", size: product) }
        var best: AddressRange<MachineAddress>?
        for bank in ram where bank.size >= size {
            var end = bank.end?.rawValue
            if architecture == .arm32LPAE { end = min(end ?? .max, 1 << 32) }
            guard let fit = ConsiderModules.highestFit(start: bank.base.rawValue, end: end, size: size, alignment: alignment, obstacles: obstacles) else { continue }
            if best.map({ fit.base > $0.base }) ?? true { best = fit }
        }
        guard let best else { throw .noRoomFor(what: "relocating Xen (Not enough memory to relocate Xen)", size: size) }
        return best
    }
}
