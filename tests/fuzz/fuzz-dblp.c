/* fuzz-dblp.c - the DBLP person XML reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.xml"
#define FUZZ_FORMAT CVBIB_FMT_DBLP
#include "fuzz-fmt.h"
