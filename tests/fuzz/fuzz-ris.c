/* fuzz-ris.c - the RIS reader and writer (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.ris"
#define FUZZ_FORMAT CVBIB_FMT_RIS
#include "fuzz-fmt.h"
