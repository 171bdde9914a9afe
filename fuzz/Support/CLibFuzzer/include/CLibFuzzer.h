#ifndef P2MCHECK_CLIBFUZZER_H
#define P2MCHECK_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver entry point (compiler-rt, LLVM 12 and later): runs the
/// fuzzing loop with the command-line options in argv, calling `callback` on
/// each input. Provided by the runtime that `-sanitize=fuzzer` links.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
