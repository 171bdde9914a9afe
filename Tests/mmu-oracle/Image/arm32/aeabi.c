// ARM run-time ABI helpers the armv7 Swift code calls at -Osize (memory
// routines, 64-bit shifts) and ceil(): integer-only code, so none of it calls
// back into soft-float or shift helpers.
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void __aeabi_memcpy(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
void __aeabi_memcpy4(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
void __aeabi_memcpy8(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
void __aeabi_memclr(void *dst, size_t n) { memset(dst, 0, n); }
void __aeabi_memclr4(void *dst, size_t n) { memset(dst, 0, n); }
void __aeabi_memclr8(void *dst, size_t n) { memset(dst, 0, n); }
void __aeabi_memset(void *dst, size_t n, int c) { memset(dst, c, n); }
void __aeabi_memset4(void *dst, size_t n, int c) { memset(dst, c, n); }
void __aeabi_memset8(void *dst, size_t n, int c) { memset(dst, c, n); }

uint64_t __aeabi_llsl(uint64_t value, int shift) {
    uint32_t lo = (uint32_t)value, hi = (uint32_t)(value >> 32);
    if (shift >= 64) return 0;
    if (shift >= 32) { hi = lo << (shift - 32); lo = 0; }
    else if (shift > 0) { hi = hi << shift | lo >> (32 - shift); lo <<= shift; }
    return (uint64_t)hi << 32 | lo;
}

uint64_t __aeabi_llsr(uint64_t value, int shift) {
    uint32_t lo = (uint32_t)value, hi = (uint32_t)(value >> 32);
    if (shift >= 64) return 0;
    if (shift >= 32) { lo = hi >> (shift - 32); hi = 0; }
    else if (shift > 0) { lo = lo >> shift | hi << (32 - shift); hi >>= shift; }
    return (uint64_t)hi << 32 | lo;
}

// ceil on the IEEE 754 bit pattern (used by the standard library's hash-table sizing).
double ceil(double x) {
    union { double d; uint64_t u; } v = { x };
    int exponent = (int)((v.u >> 52) & 0x7ff) - 1023;
    if (exponent >= 52) return x;                       // integral, infinite or NaN
    if (exponent < 0) {                                 // |x| < 1
        if ((v.u << 1) == 0) return x;                  // +-0
        v.u = (v.u >> 63) ? 0x8000000000000000ull : 0x3ff0000000000000ull;  // -0 or 1
        return v.d;
    }
    uint64_t fraction = 0x000fffffffffffffull >> exponent;
    if ((v.u & fraction) == 0) return x;
    if (!(v.u >> 63)) v.u += (1ull << 52) >> exponent;  // round a positive value up
    v.u &= ~fraction;
    return v.d;
}

// Soft-float equality (operands passed in core registers, as uint64 bit patterns).
int __aeabi_dcmpeq(uint64_t a, uint64_t b) {
    uint64_t nan = 0x7ff0000000000000ull;
    if ((a & ~(1ull << 63)) > nan || (b & ~(1ull << 63)) > nan) return 0;  // NaN
    if (((a | b) << 1) == 0) return 1;                                     // +0 == -0
    return a == b;
}
