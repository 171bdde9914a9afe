// Run-time helpers the armv7 compiler calls for division (the generic
// armv7-none-none-eabi target has no divide instructions): shift-subtract,
// so that nothing here calls back into them.
#include <stdint.h>

uint64_t oracle_udivmod64(uint64_t n, uint64_t d, uint64_t *remainder) {
    uint64_t q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) { r -= d; q |= (uint64_t)1 << i; }
    }
    if (remainder) *remainder = r;
    return q;
}

int64_t oracle_divmod64(int64_t n, int64_t d, int64_t *remainder) {
    int negative_q = (n < 0) != (d < 0), negative_r = n < 0;
    uint64_t un = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    uint64_t ur;
    uint64_t uq = oracle_udivmod64(un, ud, &ur);
    if (remainder) *remainder = negative_r ? -(int64_t)ur : (int64_t)ur;
    return negative_q ? -(int64_t)uq : (int64_t)uq;
}

uint32_t __aeabi_uidiv(uint32_t n, uint32_t d) { return (uint32_t)oracle_udivmod64(n, d, 0); }
int32_t __aeabi_idiv(int32_t n, int32_t d) { return (int32_t)oracle_divmod64(n, d, 0); }
