/* fuzz-orcid.c - the orcid reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.json"
#define FUZZ_FORMAT CVBIB_FMT_ORCID
#include "fuzz-fmt.h"
