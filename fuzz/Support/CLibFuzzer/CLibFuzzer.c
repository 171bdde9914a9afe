// Declarations only: the symbols come from libFuzzer (see include/CLibFuzzer.h).
#include "CLibFuzzer.h"
