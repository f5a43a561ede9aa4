/*
 * fuzz-bibtex.c - feed the BibTeX reader, then write BibTeX, biblatex and
 * CSL-JSON.  A NUL byte splits the input into two files read one after the
 * other, so that links between inputs (crossref, xdata) are fuzzed too.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvbib_options o;

	if (b == NULL)
		return 0;
	cvbib_options_init(&o);
	{
		const uint8_t *nul = memchr(data, 0, size);
		size_t n1 = nul ? (size_t)(nul - data) : size;

		cvbib_read(b, (const char *)data, n1, "fuzz.bib", CVBIB_FMT_BIBTEX, &o, &d);
		if (nul != NULL)
			cvbib_read(b, (const char *)nul + 1, size - n1 - 1, "fuzz2.bib",
			    CVBIB_FMT_BIBTEX, &o, &d);
		cvbib_read_done(b, &o, &d);
	}
	cvbib_write(b, CVBIB_FMT_BIBTEX, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_BIBLATEX, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_CSLJSON, &o, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
