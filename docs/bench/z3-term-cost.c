/* What one ground obligation costs in Debian's libz3 4.8.12, without Swift:
 * n obligations `next_i <=u last_i` over fresh 64-bit numerals, in chunks of
 * `chunk` obligations, each chunk in its own context with a simple solver
 * (the scheme of Sources/Invariants/Encoding/ChunkedQuery.swift).
 *   cc -O2 docs/bench/z3-term-cost.c -lz3 -o /tmp/z3-term-cost
 *   for c in 256 1024 2048 8192 65536; do /tmp/z3-term-cost 200000 $c; done
 * Prints CPU seconds: context create+delete, term making, solving. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <z3.h>

static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s obligations chunk\n", argv[0]); return 2; }
    int n = atoi(argv[1]), chunk = atoi(argv[2]);
    double contexts = 0, make = 0, solve = 0, start = cpu();
    Z3_ast *failures = malloc(sizeof(Z3_ast) * (size_t)chunk);
    for (int first = 0; first < n; first += chunk) {
        double t0 = cpu();
        Z3_config config = Z3_mk_config();
        Z3_context c = Z3_mk_context(config);
        Z3_del_config(config);
        Z3_sort bv = Z3_mk_bv_sort(c, 64);
        double t1 = cpu();
        int m = n - first < chunk ? n - first : chunk;
        for (int i = 0; i < m; i++) {
            unsigned long long base = 0x8800000000ULL + (unsigned long long)(first + i) * 8192;
            failures[i] = Z3_mk_bvule(c, Z3_mk_unsigned_int64(c, base + 8192, bv), Z3_mk_unsigned_int64(c, base + 4095, bv));
        }
        Z3_ast query = Z3_mk_or(c, (unsigned)m, failures);
        double t2 = cpu();
        Z3_solver s = Z3_mk_simple_solver(c);
        Z3_solver_inc_ref(c, s);
        Z3_solver_assert(c, s, query);
        if (Z3_solver_check(c, s) != Z3_L_FALSE) { fprintf(stderr, "expected unsat\n"); return 1; }
        Z3_solver_dec_ref(c, s);
        double t3 = cpu();
        Z3_del_context(c);
        double t4 = cpu();
        contexts += (t1 - t0) + (t4 - t3);
        make += t2 - t1;
        solve += t3 - t2;
    }
    printf("obligations=%d chunk=%d cpu total=%.3f s (%.2f us each): contexts=%.3f make=%.3f solve=%.3f\n",
           n, chunk, cpu() - start, (cpu() - start) / n * 1e6, contexts, make, solve);
    free(failures);
    return 0;
}
