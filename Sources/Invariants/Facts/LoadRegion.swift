import P2MModel
import Stage2Decoder
import Z3

/// A machine region the hypervisor's boot layout occupies: its image, a boot
/// module, a heap, a p2m pool, or a page-table page found by the walk.
public struct LoadRegion: Hashable, Sendable {
    public var reference: RegionReference
    public var range: AddressRange<MachineAddress> { reference.range! }
    /// For a table page: index (in the same list) of the pool it is allowed to
    /// lie in. Overlap with that pool is by design, not a violation.
    public var container: Int?
}
