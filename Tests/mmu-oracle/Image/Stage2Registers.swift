import P2MModel

/// The EL2 register values that point the MMU at one domain's stage-2 tables,
/// with the fields Xen's `setup_virt_paging` and `p2m_restore_state` use.
struct Stage2Registers {
    let vtcr: UInt64
    let vttbr: UInt64
    let hcr: UInt64

    /// - Parameters:
    ///   - root: the root table (VTTBR.BADDR); `configuration` fixes T0SZ and SL0.
    ///   - vmid: the domain's VMID (VTTBR[55:48]).
    init(configuration: Stage2Configuration, root: MachineAddress, vmid: UInt64) {
        var vtcr: UInt64 = 1 << 31                       // RES1
        vtcr |= UInt64(configuration.t0sz)               // T0SZ (arm32: T0SZ[3:0] and S, as Xen writes it)
        vtcr |= UInt64(configuration.sl0) << 6           // SL0: starting level
        vtcr |= 1 << 8 | 1 << 10                         // IRGN0, ORGN0: write-back write-allocate walks
        vtcr |= 3 << 12                                  // SH0: inner shareable walks
        #if !arch(arm)
        vtcr |= 0b010 << 16                              // PS: 40-bit PA (OracleBoard paBits); arm32 has no PS
        #endif
        self.vtcr = vtcr                                 // TG0 = 0: 4 KiB granule
        self.vttbr = root.rawValue | vmid << 48
        // VM: stage 2 on. DC: EL1 stage 1 off behaves as Normal write-back, so
        // PAR's attributes are stage 2's. RW (arm64 only): EL1 is AArch64.
        #if arch(arm)
        self.hcr = 1 << 0 | 1 << 12
        #else
        self.hcr = 1 << 0 | 1 << 12 | 1 << 31
        #endif
    }

    /// Loads the registers and invalidates the TLBs.
    func install() {
        oracle_set_stage2(vtcr, vttbr, hcr)
    }
}
