// The little C the freestanding Embedded Swift image needs: an allocator,
// mem* routines, stack protector symbols, a deterministic random source for
// hashing and the PL011 console. (Power-off is in each architecture's start.S.)
#include <stddef.h>
#include <stdint.h>
#include "oracle.h"

#define UART_DR ((volatile uint32_t *)0x09000000)
#define UART_FR ((volatile uint32_t *)0x09000018)

void oracle_putc(uint8_t c) {
    while (*UART_FR & (1u << 5)) {}  // TX FIFO full
    *UART_DR = c;
}

int putchar(int c) {
    oracle_putc((uint8_t)c);
    return c;
}

static void put_string(const char *s) {
    while (*s) oracle_putc((uint8_t)*s++);
}

static void put_hex(uint64_t v) {
    put_string("0x");
    for (int shift = 60; shift >= 0; shift -= 4) oracle_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

// Bump allocator over [__heap_start, __heap_end); free() never returns memory
// (the image runs once and powers off).
extern char __heap_start[], __heap_end[];
static uintptr_t heap_next;

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < 16) alignment = 16;
    if (!heap_next) heap_next = (uintptr_t)__heap_start;
    uintptr_t base = (heap_next + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (base + size > (uintptr_t)__heap_end || base + size < base) {
        put_string("oracle fatal: out of heap\n");
        oracle_power_off();
    }
    heap_next = base + size;
    *out = (void *)base;
    return 0;
}

void *malloc(size_t size) {
    void *p;
    posix_memalign(&p, 16, size);
    return p;
}

void free(void *p) { (void)p; }

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    while (n--) *d++ = (uint8_t)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n--) *--d = *--s;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

uintptr_t __stack_chk_guard = (uintptr_t)0x5a17c0de5a17c0deull;

void __stack_chk_fail(void) {
    put_string("oracle fatal: stack smashing detected\n");
    oracle_power_off();
}

// Hashing seeds: deterministic, which only fixes Dictionary iteration order.
void arc4random_buf(void *buf, size_t n) {
    uint8_t *b = buf;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    while (n--) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; *b++ = (uint8_t)x; }
}

extern const uint32_t oracle_guest_stub[], oracle_guest_stub_end[];
const void *oracle_guest_stub_address(void) { return oracle_guest_stub; }
const void *oracle_guest_stub_end_address(void) { return oracle_guest_stub_end; }

void oracle_not_el2(void) {
    put_string("oracle fatal: not entered at EL2 (QEMU needs -M virt,virtualization=on)\n");
}

void oracle_trap(uint64_t esr, uint64_t elr, uint64_t far) {
    put_string("oracle fatal: unexpected exception esr=");
    put_hex(esr);
    put_string(" elr=");
    put_hex(elr);
    put_string(" far=");
    put_hex(far);
    put_string("\n");
}
