// The oracle image's interface to its start-up code and support library.
// Functions named oracle_* are implemented in arm64/start.S (system
// registers, AT, guest entry) or support.c (console, power-off).
#ifndef ORACLE_H
#define ORACLE_H
#include <stdint.h>

/// What the guest left when it trapped back to EL2.
struct oracle_guest_exit {
    uint64_t value;   // the guest's x3: the word it loaded (valid for an HVC exit)
    uint64_t esr;     // ESR_EL2
    uint64_t far;     // FAR_EL2
    uint64_t hpfar;   // HPFAR_EL2
};

/// The current exception level (0-3).
uint64_t oracle_current_el(void);
/// Programs VTCR_EL2, VTTBR_EL2 and HCR_EL2, then invalidates all stage 1+2 TLB entries.
void oracle_set_stage2(uint64_t vtcr, uint64_t vttbr, uint64_t hcr);
/// TLBI VMALLS12E1IS for the current VMID (after a descriptor changed).
void oracle_flush_tlb(void);
/// AT S12E1R on `address` (stage 1 off: VA == IPA) and returns PAR_EL1.
uint64_t oracle_at_s12e1r(uint64_t address);
/// Enters EL1 at `entry` with x0=address, x1=value, x2=write and returns when
/// the guest traps to EL2 (HVC or abort), filling `exit`.
void oracle_run_guest(uint64_t entry, uint64_t address, uint64_t value, uint64_t write, struct oracle_guest_exit *exit);
/// Makes instruction fetches see code just written to memory.
void oracle_sync_icache(void);
/// Start and end of the guest code (position independent, in start.S).
const void *oracle_guest_stub_address(void);
const void *oracle_guest_stub_end_address(void);

/// Writes one byte to the PL011.
void oracle_putc(uint8_t c);
/// PSCI SYSTEM_OFF: QEMU exits.
void oracle_power_off(void) __attribute__((noreturn));
#endif
