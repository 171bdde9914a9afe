import P2MModel
import Stage2Decoder
import Z3

/// A concrete counterexample to a property, taken from a Z3 model and
/// re-checked in Swift against the same facts.
public struct Violation: Hashable, Sendable {
    public var property: PropertyID
    /// One sentence saying what is wrong.
    public var message: String
    /// The regions involved, by name, with their spec origins (usually two).
    public var regions: [RegionReference]
    /// Machine addresses that witness the violation.
    public var machineWitnesses: [MachineAddress]
    /// Guest addresses that witness the violation, with the domain.
    public var guestWitnesses: [GuestAddress]
    /// The domain, for per-domain properties.
    public var domain: String?

    public init(property: PropertyID, message: String, regions: [RegionReference], machineWitnesses: [MachineAddress] = [], guestWitnesses: [GuestAddress] = [], domain: String? = nil) {
        self.property = property
        self.message = message
        self.regions = regions
        self.machineWitnesses = machineWitnesses
        self.guestWitnesses = guestWitnesses
        self.domain = domain
    }
}
