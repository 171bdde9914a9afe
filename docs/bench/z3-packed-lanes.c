/* Would packing many ground obligations into one wide bit-vector make Z3
 * cheaper per obligation? (It does not, with Debian's libz3 4.8.12.)
 *
 * The idea (SIMD within a register): k obligations `a_i <u b_i` become three
 * numerals of k lanes of 66 bits, X = sum (2^65 + b_i) << 66i,
 * Y = sum a_i << 66i, E = sum 1 << 66i, and one check
 * `((X - Y) - E) & H != H` with H = sum 2^65 << 66i: lane i of X - Y - E is
 * 2^65 + b_i - a_i - 1, which stays in [0, 2^66) so no borrow crosses lanes,
 * and its top bit is set exactly when a_i < b_i. Z3's rewriter folds the
 * numerals, so a chunk costs a handful of terms instead of 3k.
 *
 *   cc -O2 docs/bench/z3-packed-lanes.c -lz3 -o /tmp/z3-packed-lanes
 *   /tmp/z3-packed-lanes 200000 0      # one term per obligation, chunks of 2048
 *   /tmp/z3-packed-lanes 200000 64     # 64 lanes per numeral, numerals from bit arrays
 *   DECIMAL=1 /tmp/z3-packed-lanes 200000 64   # numerals from decimal strings
 *   FAIL=12345 /tmp/z3-packed-lanes 200000 64  # one failed obligation: one chunk is sat
 *
 * Measured here (2-core machine, 200000 obligations, one run each): one term each 1.06 s;
 * 16 lanes 2.24 s; 64 lanes 2.98 s (bit arrays) and 10.3 s (decimal strings); 256 lanes
 * (decimal) 20 s. A failed obligation is found either way. Making a wide numeral costs
 * time quadratic in its width in this libz3 (it is built bit by bit, or digit by digit,
 * on arbitrary-precision integers), more than the terms it saves. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <z3.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Sets lane `i` (66 bits: `low` then the two bits of `high`) of a little-endian bit array. */
static void set_lane(bool *bits, int i, uint64_t low, unsigned high) {
    for (int b = 0; b < 66; b++) bits[i * 66 + b] = b < 64 ? (low >> b) & 1 : (high >> (b - 64)) & 1;
}

/* The decimal digits of a little-endian bit array (schoolbook, 32-bit limbs). */
static char *decimal(const bool *bits, int n) {
    int words = (n + 31) / 32;
    uint32_t *w = calloc((size_t)words, 4);
    for (int b = 0; b < n; b++) if (bits[b]) w[b / 32] |= 1u << (b % 32);
    char *out = malloc((size_t)words * 10 + 2);
    int len = words, pos = 0;
    do {
        uint64_t r = 0;
        for (int i = len - 1; i >= 0; i--) {
            uint64_t cur = (r << 32) | w[i];
            w[i] = (uint32_t)(cur / 10);
            r = cur % 10;
        }
        out[pos++] = (char)('0' + r);
        while (len > 0 && w[len - 1] == 0) len--;
    } while (len > 0);
    for (int i = 0; i < pos / 2; i++) { char c = out[i]; out[i] = out[pos - 1 - i]; out[pos - 1 - i] = c; }
    out[pos] = 0;
    free(w);
    return out;
}

static Z3_ast numeral(Z3_context c, const bool *bits, int n) {
    if (!getenv("DECIMAL")) return Z3_mk_bv_numeral(c, (unsigned)n, bits);
    char *digits = decimal(bits, n);
    Z3_ast a = Z3_mk_numeral(c, digits, Z3_mk_bv_sort(c, (unsigned)n));
    free(digits);
    return a;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s obligations lanes (0: one term each)\n", argv[0]); return 2; }
    int n = atoi(argv[1]), k = atoi(argv[2]), unsat = 0, chunks = 0;
    uint64_t *a = malloc(sizeof(uint64_t) * (size_t)n), *b = malloc(sizeof(uint64_t) * (size_t)n);
    for (int i = 0; i < n; i++) { a[i] = (uint64_t)i * 8192 + 4095; b[i] = (uint64_t)i * 8192 + 8192; }  /* all hold */
    if (getenv("FAIL")) { int f = atoi(getenv("FAIL")); a[f] = b[f]; }  /* FAIL=i: obligation i fails (a_i == b_i) */
    double start = now();
    int per = k == 0 ? 2048 : 64 * k;  /* obligations per context */
    for (int first = 0; first < n; first += per, chunks++) {
        Z3_config config = Z3_mk_config();
        Z3_context c = Z3_mk_context(config);
        Z3_del_config(config);
        int m = n - first < per ? n - first : per, parts = 0;
        Z3_ast *fails = malloc(sizeof(Z3_ast) * (size_t)m);
        if (k == 0) {
            Z3_sort bv = Z3_mk_bv_sort(c, 64);
            for (int i = 0; i < m; i++)
                fails[parts++] = Z3_mk_bvule(c, Z3_mk_unsigned_int64(c, b[first + i], bv), Z3_mk_unsigned_int64(c, a[first + i], bv));
        } else {
            for (int s = 0; s < m; s += k) {
                int lanes = m - s < k ? m - s : k, width = lanes * 66;
                bool *x = calloc((size_t)width, 1), *y = calloc((size_t)width, 1), *e = calloc((size_t)width, 1), *h = calloc((size_t)width, 1);
                for (int i = 0; i < lanes; i++) {
                    set_lane(x, i, b[first + s + i], 2);
                    set_lane(y, i, a[first + s + i], 0);
                    set_lane(e, i, 1, 0);
                    set_lane(h, i, 0, 2);
                }
                Z3_ast high = numeral(c, h, width);
                Z3_ast z = Z3_mk_bvsub(c, Z3_mk_bvsub(c, numeral(c, x, width), numeral(c, y, width)), numeral(c, e, width));
                fails[parts++] = Z3_mk_not(c, Z3_mk_eq(c, Z3_mk_bvand(c, z, high), high));
                free(x); free(y); free(e); free(h);
            }
        }
        Z3_solver solver = Z3_mk_simple_solver(c);
        Z3_solver_inc_ref(c, solver);
        Z3_solver_assert(c, solver, Z3_mk_or(c, (unsigned)parts, fails));
        if (Z3_solver_check(c, solver) == Z3_L_FALSE) unsat++;
        Z3_solver_dec_ref(c, solver);
        free(fails);
        Z3_del_context(c);
    }
    printf("%d obligations, %s: %.3f s wall, %d of %d chunks unsat\n", n,
           k == 0 ? "one term each" : (getenv("DECIMAL") ? "packed, decimal numerals" : "packed, bit-array numerals"),
           now() - start, unsat, chunks);
    return unsat == chunks - (getenv("FAIL") ? 1 : 0) ? 0 : 1;
}
