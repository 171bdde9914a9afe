/// Xen's VMID allocator (xen/arch/arm/p2m.c, `p2m_alloc_vmid`): 8-bit VMIDs
/// unless every CPU supports 16-bit ones; VMID 0 is reserved
/// (`INVALID_VMID`); each domain takes the first free VMID.
public struct VMIDAllocator: Sendable {
    public let bits: Int
    private var used: [Bool]

    /// - Precondition: `bits` is 8 or 16.
    public init(bits: Int = 8) {
        precondition(bits == 8 || bits == 16, "VMIDs are 8 or 16 bits")
        self.bits = bits
        used = Array(repeating: false, count: 1 << bits)
        used[0] = true
    }

    /// The first free VMID, or nil when all are taken (Xen: -EBUSY, "VMID pool exhausted").
    public mutating func allocate() -> UInt16? {
        guard let vmid = used.firstIndex(of: false) else { return nil }
        used[vmid] = true
        return UInt16(vmid)
    }

    /// Gives `vmid` back (domain destruction).
    public mutating func free(_ vmid: UInt16) {
        if vmid != 0, Int(vmid) < used.count { used[Int(vmid)] = false }
    }
}
