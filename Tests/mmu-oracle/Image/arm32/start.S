@ Start-up, Hyp vectors and CP15 helpers of the arm32 (LPAE) oracle image.
@ QEMU (-M virt,virtualization=on -cpu cortex-a15) enters _start in Hyp mode
@ with the Hyp MMU off (VA == PA).
    .syntax unified
    .arm
    .arch_extension virt
    .arch_extension sec
    .arch_extension idiv
    .fpu    vfpv3
    .section .text.boot, "ax"
    .global _start
_start:
    ldr     sp, =__stack_top
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    cmp     r0, #0x1a                   @ Hyp mode
    bne     not_hyp
    ldr     r1, =__bss_start
    ldr     r2, =__bss_end
    mov     r3, #0
1:  cmp     r1, r2
    strlo   r3, [r1], #4
    blo     1b
    ldr     r0, =hyp_vectors
    mcr     p15, 4, r0, c12, c0, 0      @ HVBAR
    @ The Swift code uses VFP registers: allow cp10/cp11, untrap them at Hyp, enable.
    ldr     r0, =(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2       @ CPACR
    mrc     p15, 4, r0, c1, c1, 2       @ HCPTR
    bic     r0, r0, #(3 << 10)          @ TCP10, TCP11
    bic     r0, r0, #(1 << 15)          @ TASE
    mcr     p15, 4, r0, c1, c1, 2
    isb
    mov     r0, #(1 << 30)
    vmsr    fpexc, r0                   @ FPEXC.EN
    ldr     r0, =0x00c50078             @ PL1 SCTLR: MMU and caches off
    mcr     p15, 0, r0, c1, c0, 0
    isb
    bl      oracle_main
    bl      oracle_power_off
not_hyp:
    bl      oracle_not_el2
    bl      oracle_power_off

    .text
    .global oracle_current_el
oracle_current_el:                      @ 2 in Hyp mode
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    cmp     r0, #0x1a
    moveq   r0, #2
    movne   r0, #1
    mov     r1, #0
    bx      lr

    .global oracle_set_stage2           @ (vtcr r0:r1, vttbr r2:r3, hcr [sp])
oracle_set_stage2:
    mcr     p15, 4, r0, c2, c1, 2       @ VTCR
    mcrr    p15, 6, r2, r3, c2          @ VTTBR
    ldr     r0, [sp]
    mcr     p15, 4, r0, c1, c1, 0       @ HCR
    isb
    dsb     ishst
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb     sy
    isb
    bx      lr

    .global oracle_flush_tlb
oracle_flush_tlb:
    dsb     ishst
    mcr     p15, 4, r0, c8, c7, 4       @ TLBIALLNSNH
    dsb     sy
    isb
    bx      lr

    .global oracle_at_s12e1r            @ (address r0:r1) -> PAR r0:r1
oracle_at_s12e1r:
    mcr     p15, 0, r0, c7, c8, 4       @ ATS12NSOPR
    isb
    mrrc    p15, 0, r0, r1, c7          @ 64-bit PAR
    bx      lr

    .global oracle_sync_icache
oracle_sync_icache:
    dsb     sy
    mcr     p15, 0, r0, c7, c5, 0       @ ICIALLU
    dsb     sy
    isb
    bx      lr

    .global oracle_power_off
oracle_power_off:
    ldr     r0, =0x84000008             @ PSCI SYSTEM_OFF
    smc     #0
2:  wfi
    b       2b

    @ oracle_run_guest(entry r0:r1, address r2:r3, value [sp], write [sp+8], exit [sp+16])
    .global oracle_run_guest
oracle_run_guest:
    push    {r4-r12, lr}                @ 40 bytes: the stack arguments move to sp+40
    ldr     r4, [sp, #40]
    ldr     r5, [sp, #44]
    ldr     r6, [sp, #48]
    ldr     r7, [sp, #56]
    ldr     r8, =saved_state
    str     sp, [r8]
    str     r7, [r8, #4]
    msr     elr_hyp, r0
    ldr     r9, =0x1d3                  @ SVC mode, A/I/F masked
    msr     spsr_cxsf, r9               @ SPSR_hyp (the banked form is UNPREDICTABLE in Hyp mode)
    mov     r0, r2                      @ address
    mov     r1, r6                      @ write flag
    mov     r2, r4                      @ value, low word
    mov     r3, r5                      @ value, high word
    eret

hyp_trap:                               @ HVC or abort from the guest
    ldr     r8, =saved_state
    ldr     sp, [r8]
    ldr     r7, [r8, #4]
    mov     r9, #0
    str     r4, [r7]
    str     r5, [r7, #4]
    mrc     p15, 4, r10, c5, c2, 0      @ HSR
    str     r10, [r7, #8]
    str     r9, [r7, #12]
    mrc     p15, 4, r10, c6, c0, 0      @ HDFAR
    str     r10, [r7, #16]
    str     r9, [r7, #20]
    mrc     p15, 4, r10, c6, c0, 4      @ HPFAR
    str     r10, [r7, #24]
    str     r9, [r7, #28]
    pop     {r4-r12, lr}
    bx      lr

unexpected:
    mrc     p15, 4, r0, c5, c2, 0       @ HSR
    mov     r1, #0
    mrs     r2, elr_hyp
    mov     r3, #0
    mrc     p15, 4, r4, c6, c0, 0       @ HDFAR
    mov     r5, #0
    push    {r4, r5}
    bl      oracle_trap
    bl      oracle_power_off

    @ The guest: optionally store r2:r3 at [r0], load [r0] into r4:r5, HVC back.
    .global oracle_guest_stub
    .global oracle_guest_stub_end
    .balign 8
oracle_guest_stub:
    cmp     r1, #0
    strdne  r2, r3, [r0]
    ldrd    r4, r5, [r0]
    hvc     #0
3:  b       3b
oracle_guest_stub_end:

    .balign 32
hyp_vectors:
    b       unexpected                  @ reset
    b       unexpected                  @ undefined instruction in Hyp mode
    b       unexpected                  @ HVC in Hyp mode
    b       unexpected                  @ prefetch abort in Hyp mode
    b       unexpected                  @ data abort in Hyp mode
    b       hyp_trap                    @ Hyp trap: HVC or stage-2 abort from the guest
    b       unexpected                  @ IRQ
    b       unexpected                  @ FIQ

    .bss
    .balign 8
saved_state:
    .word   0, 0
