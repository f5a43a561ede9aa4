/* fuzz-cff.c - the CITATION.cff reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.cff"
#define FUZZ_FORMAT CVBIB_FMT_CFF
#include "fuzz-fmt.h"
