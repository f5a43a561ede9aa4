/*
 * fuzz-render.c - format whatever the BibTeX reader makes of the input with
 * shipped styles (APA: initials, particles, et al.; IEEE: numbering) as text
 * and HTML.  The CSL engine's handling of names, titles and dates as they
 * come from user files (fuzz-csl fuzzes the styles with fixed items).
 * Guards issue 20 finding 2 (a given name with a lone '<' looped forever).
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cvbib_style *styles[2];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[2] = { "apa", "ieee" };
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvbib_options o;
	size_t i;

	cvbib_options_init(&o);
	for (i = 0; i < 2; i++)
		if (styles[i] == NULL)
			cvbib_style_load(&styles[i], names[i], NULL, &o, &d);
	if ((b = cvbib_biblio_new()) == NULL)
		return 0;
	cvbib_read(b, (const char *)data, size, "fuzz.bib", CVBIB_FMT_BIBTEX, &o, &d);
	cvbib_read_done(b, &o, &d);
	for (i = 0; i < 2; i++)
		if (styles[i] != NULL) {
			cvbib_format_bibliography(styles[i], b, CVBIB_OUT_TEXT, &out, &d);
			cvbib_format_bibliography(styles[i], b, CVBIB_OUT_HTML, &out, &d);
		}
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
