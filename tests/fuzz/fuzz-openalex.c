/* fuzz-openalex.c - the OpenAlex works reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.json"
#define FUZZ_FORMAT CVBIB_FMT_OPENALEX
#include "fuzz-fmt.h"
