/* fuzz-enw.c - the EndNote tagged text reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.enw"
#define FUZZ_FORMAT CVBIB_FMT_ENW
#include "fuzz-fmt.h"
