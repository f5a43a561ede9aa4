/* fuzz-endnote.c - the EndNote XML reader (tests/fuzz/fuzz-fmt.h) */
#define FUZZ_FILE "fuzz.xml"
#define FUZZ_FORMAT CVBIB_FMT_ENDNOTE_XML
#include "fuzz-fmt.h"
