import P2MModel

/// One leaf of a stage-2 table as the MMU reads it.
public struct DecodedLeaf: Hashable, Sendable {
    /// Guest-physical range the leaf translates (1G, 2M or 4K).
    public var guest: AddressRange<GuestAddress>
    /// Machine address of the first byte.
    public var machine: MachineAddress
    public var level: TranslationLevel
    public var descriptor: Stage2Descriptor
    /// Where the descriptor is stored.
    public var descriptorAddress: MachineAddress

    /// The machine range the leaf maps.
    public var machineRange: AddressRange<MachineAddress> { AddressRange(uncheckedBase: machine, size: guest.size) }
}

/// A run of leaves that are contiguous in both guest and machine space and
/// carry identical descriptor attributes. Translation over a run is the same
/// affine map `g -> machine + (g - guest.base)` as over each leaf in it, so
/// encoding runs instead of leaves changes no verdict; it only makes formulas
/// smaller.
public struct TranslationRun: Hashable, Sendable {
    public var guest: AddressRange<GuestAddress>
    public var machine: MachineAddress
    /// Descriptor bits other than the output address (identical for every leaf of the run).
    public var attributeBits: UInt64
    /// Index of the first leaf of the run in `DecodedStage2.leaves`.
    public var firstLeaf: Int
    public var leafCount: Int

    public var machineRange: AddressRange<MachineAddress> { AddressRange(uncheckedBase: machine, size: guest.size) }
}

/// A page the walk used as a translation table.
public struct DecodedTablePage: Hashable, Sendable {
    public var address: MachineAddress
    public var level: TranslationLevel
    /// The descriptor that points at it, or nil for a root page.
    public var referencedFrom: MachineAddress?
}

/// Something in the tables that is not well formed.
public enum WalkAnomaly: Hashable, Sendable, CustomStringConvertible {
    /// Valid with bit 1 clear at level 0 or 3.
    case reservedEncoding(descriptorAddress: MachineAddress, level: TranslationLevel, guest: GuestAddress)
    /// Must-be-zero bits set.
    case reservedBitsSet(descriptorAddress: MachineAddress, bits: UInt64)
    /// A table page reached through more than one descriptor.
    case tablePageSharedOrLooped(page: MachineAddress)
    /// The walk stopped after too many leaves (a malicious or corrupted table).
    case walkBudgetExceeded(leaves: Int)

    public var description: String {
        switch self {
        case .reservedEncoding(let a, let l, let g): return "reserved descriptor encoding at \(a) (\(l), guest \(g))"
        case .reservedBitsSet(let a, let bits): return "descriptor at \(a) has reserved bits \(Hex.format(bits)) set"
        case .tablePageSharedOrLooped(let p): return "table page \(p) is referenced more than once"
        case .walkBudgetExceeded(let n): return "walk stopped after \(n) leaves"
        }
    }
}

/// Everything a stage-2 walk of one domain found.
public struct DecodedStage2: Sendable {
    public var configuration: Stage2Configuration
    public var root: MachineAddress
    /// Leaves in ascending guest order.
    public var leaves: [DecodedLeaf]
    /// Coalesced runs of `leaves`, ascending guest order.
    public var runs: [TranslationRun]
    public var tablePages: [DecodedTablePage]
    public var anomalies: [WalkAnomaly]
    /// True when the walk did not finish; properties over it cannot be proved.
    public var isComplete: Bool
}
