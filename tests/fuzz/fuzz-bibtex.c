/* fuzz-bibtex.c - feed the BibTeX reader, then write BibTeX, biblatex and CSL-JSON. */
#include <stdint.h>
#include <stddef.h>
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
	cvbib_read(b, (const char *)data, size, "fuzz.bib", CVBIB_FMT_BIBTEX, &o, &d);
	cvbib_write(b, CVBIB_FMT_BIBTEX, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_BIBLATEX, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_CSLJSON, &o, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
