/* fuzz-scholar.c - the Google Scholar CSV reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.csv"
#define FUZZ_FORMAT CVBIB_FMT_SCHOLAR_CSV
#include "fuzz-fmt.h"
