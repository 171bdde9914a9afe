// Start-up, exception vectors and system-register helpers of the arm64
// oracle image. QEMU enters _start at EL2 with the MMU off (VA == PA).
    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x0, CurrentEL
    ubfx    x0, x0, #2, #2
    ldr     x1, =__stack_top
    mov     sp, x1
    cmp     x0, #2
    b.ne    not_el2
    // Zero .bss.
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    // FP/SIMD not trapped at EL2 (CPTR_EL2 RES1 bits, TFP = 0).
    mov     x1, #0x33ff
    msr     cptr_el2, x1
    // EL1 stage 1 off, caches off (SCTLR_EL1 RES1 bits only).
    ldr     x1, =0x30d00800
    msr     sctlr_el1, x1
    isb
    bl      oracle_main
    bl      oracle_power_off
not_el2:
    bl      oracle_not_el2
    bl      oracle_power_off

    .text
    .global oracle_current_el
oracle_current_el:
    mrs     x0, CurrentEL
    ubfx    x0, x0, #2, #2
    ret

    .global oracle_set_stage2
oracle_set_stage2:
    msr     vtcr_el2, x0
    msr     vttbr_el2, x1
    msr     hcr_el2, x2
    isb
    dsb     ishst
    tlbi    alle1
    dsb     sy
    isb
    ret

    .global oracle_flush_tlb
oracle_flush_tlb:
    dsb     ishst
    tlbi    vmalls12e1
    dsb     sy
    isb
    ret

    .global oracle_at_s12e1r
oracle_at_s12e1r:
    at      s12e1r, x0
    isb
    mrs     x0, par_el1
    ret

    .global oracle_power_off
oracle_power_off:
    ldr     x0, =0x84000008             // PSCI SYSTEM_OFF
    smc     #0
3:  wfi
    b       3b

    .global oracle_sync_icache
oracle_sync_icache:
    dsb     sy
    ic      iallu
    dsb     sy
    isb
    ret

    // oracle_run_guest(entry, address, value, write, exit)
    .global oracle_run_guest
oracle_run_guest:
    stp     x29, x30, [sp, #-112]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    str     x4, [sp, #96]
    ldr     x9, =saved_sp
    mov     x10, sp
    str     x10, [x9]
    msr     elr_el2, x0
    mov     x9, #0x3c5              // EL1h, DAIF masked
    msr     spsr_el2, x9
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    mov     x3, xzr
    isb
    eret

guest_exit:
    ldr     x9, =saved_sp
    ldr     x10, [x9]
    mov     sp, x10
    ldr     x9, [sp, #96]
    str     x3, [x9]
    mrs     x10, esr_el2
    str     x10, [x9, #8]
    mrs     x10, far_el2
    str     x10, [x9, #16]
    mrs     x10, hpfar_el2
    str     x10, [x9, #24]
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #112
    ret

unexpected:
    mrs     x0, esr_el2
    mrs     x1, elr_el2
    mrs     x2, far_el2
    bl      oracle_trap
    bl      oracle_power_off

    // The guest: optionally store x1 at [x0], load [x0] into x3, HVC back.
    .global oracle_guest_stub
    .global oracle_guest_stub_end
    .balign 8
oracle_guest_stub:
    cbz     x2, 1f
    str     x1, [x0]
1:  ldr     x3, [x0]
    hvc     #0
    b       .
oracle_guest_stub_end:

    .section .text.vectors, "ax"
    .balign 2048
el2_vectors:
    .balign 0x80
    b       unexpected          // current EL, SP0: sync
    .balign 0x80
    b       unexpected          // irq
    .balign 0x80
    b       unexpected          // fiq
    .balign 0x80
    b       unexpected          // serror
    .balign 0x80
    b       unexpected          // current EL, SPx: sync
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       guest_exit          // lower EL, AArch64: sync (HVC, aborts)
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected          // lower EL, AArch32
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected
    .balign 0x80
    b       unexpected

    .bss
    .balign 8
saved_sp:
    .quad   0
