import P2MModel

/// One store of a descriptor into a table page, in program order. The
/// sequence lets tests check break-before-make: a valid entry is only ever
/// replaced by another valid entry through an intervening invalid write and
/// TLB flush.
public enum TableEvent: Hashable, Sendable {
    /// A descriptor store: where, what was there, what was written.
    case write(at: MachineAddress, old: Stage2Descriptor, new: Stage2Descriptor, level: TranslationLevel)
    /// A TLB invalidation for the domain's VMID (Xen's `p2m_tlb_flush_sync`).
    case tlbFlush
    /// A table page given back to the pool, zeroed (after the flush that
    /// made it unreachable).
    case tableFreed(MachineAddress)
}
