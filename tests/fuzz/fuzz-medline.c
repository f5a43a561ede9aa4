/* fuzz-medline.c - the MEDLINE reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.nbib"
#define FUZZ_FORMAT CVBIB_FMT_MEDLINE
#include "fuzz-fmt.h"
