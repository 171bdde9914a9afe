@ AEABI 64-bit division entry points: quotient in r0:r1, remainder in r2:r3.
    .syntax unified
    .arm
    .text
    .global __aeabi_uldivmod
__aeabi_uldivmod:
    push    {r11, lr}
    sub     sp, sp, #16
    add     r12, sp, #8
    str     r12, [sp]
    bl      oracle_udivmod64
    ldrd    r2, r3, [sp, #8]
    add     sp, sp, #16
    pop     {r11, pc}

    .global __aeabi_ldivmod
__aeabi_ldivmod:
    push    {r11, lr}
    sub     sp, sp, #16
    add     r12, sp, #8
    str     r12, [sp]
    bl      oracle_divmod64
    ldrd    r2, r3, [sp, #8]
    add     sp, sp, #16
    pop     {r11, pc}

    .global __aeabi_uidivmod
__aeabi_uidivmod:                       @ quotient r0, remainder r1
    push    {r4, lr}
    mov     r4, r0
    push    {r0, r1}
    bl      __aeabi_uidiv
    pop     {r2, r3}
    mul     r1, r0, r3
    sub     r1, r2, r1
    pop     {r4, pc}

    .global __aeabi_idivmod
__aeabi_idivmod:
    push    {r4, lr}
    push    {r0, r1}
    bl      __aeabi_idiv
    pop     {r2, r3}
    mul     r1, r0, r3
    sub     r1, r2, r1
    pop     {r4, pc}
