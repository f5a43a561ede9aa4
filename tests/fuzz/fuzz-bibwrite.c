/*
 * fuzz-bibwrite.c - the BibTeX and biblatex writers fed from CSL-JSON, and
 * the round trip: what they write is read back, and every item must come
 * back as an entry with no error (issue 20 findings 5 and 10: a month
 * outside 1-12 crashed the writer; unbalanced braces made entries unreadable).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cvbib_format fmts[2] = { CVBIB_FMT_BIBTEX, CVBIB_FMT_BIBLATEX };
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	size_t i, n;

	if (b == NULL)
		return 0;
	cvbib_read(b, (const char *)data, size, "fuzz.json", CVBIB_FMT_CSLJSON, NULL, &d);
	cvbib_read_done(b, NULL, &d);
	for (i = 0; i < 2; i++) {
		struct cvbib_buf out = CVBIB_BUF_INIT;
		struct cvbib_diags d2 = CVBIB_DIAGS_INIT;
		cvbib_biblio *back;

		if (cvbib_write(b, fmts[i], NULL, &out, &d) == 0 && (back = cvbib_biblio_new()) != NULL) {
			cvbib_read(back, out.buf, out.len, "back.bib", fmts[i], NULL, &d2);
			cvbib_read_done(back, NULL, &d2);
			/* every item comes back (the writer merges entries that
			 * share a key and are duplicates: it counts what is left),
			 * and reading it back is no error */
			n = cvbib_biblio_count(b);
			if (cvbib_biblio_count(back) != n || d2.nerrors > 0)
				abort();
			cvbib_biblio_free(back);
		}
		cvbib_buf_release(&out);
		cvbib_diags_release(&d2);
	}
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
