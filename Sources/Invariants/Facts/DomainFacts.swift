import Hypervisor
import P2MModel
import Stage2Decoder
import Z3

/// What the checker knows of one domain: its spec, its decoded tables, and
/// what the domain is told about its address space (its device tree and the
/// windows the hypervisor emulates). Nothing here is the builder's record of
/// what it mapped.
public struct DomainFacts: Sendable {
    public var spec: DomainSpec
    public var decoded: DecodedStage2
    /// The `/memory` banks in the device tree the domain boots with: the
    /// spec's `device_tree_memory` when given, else the node Xen generates.
    public var deviceTreeMemory: [AddressRange<GuestAddress>] = []
    /// Where the device-tree memory description comes from.
    public var deviceTreeMemoryOrigin: SpecOrigin
    /// Xen's kernel-info banks (bank 0 is where it places the kernel).
    public var kernelBanks: [AddressRange<GuestAddress>] = []
    /// Device nodes in the domain's device tree, with the guest range each describes.
    public var deviceNodes: [(device: Device, guest: AddressRange<GuestAddress>)] = []
    /// The machine range the domain's table pages must come from (its p2m pool).
    public var pool: AddressRange<MachineAddress>?
    /// Guest windows the hypervisor emulates for the domain.
    public var emulated: [EmulatedRegion] = []

    public init(spec: DomainSpec, decoded: DecodedStage2) {
        self.spec = spec
        self.decoded = decoded
        self.deviceTreeMemoryOrigin = spec.deviceTreeMemoryOrigin ?? spec.origin
    }
}
