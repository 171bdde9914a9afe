#ifndef P2MCHECK_CZ3_SHIM_H
#define P2MCHECK_CZ3_SHIM_H
#include <z3.h>
#endif
