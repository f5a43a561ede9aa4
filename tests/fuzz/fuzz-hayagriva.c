/*
 * fuzz-hayagriva.c - feed the hayagriva reader, then write hayagriva, the
 * Typst fragment, typst-data and CSL-JSON (the writers see whatever the
 * reader made of the input).
 */
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
	cvbib_read(b, (const char *)data, size, "fuzz.yml", CVBIB_FMT_HAYAGRIVA, &o, &d);
	cvbib_read_done(b, &o, &d);
	cvbib_write(b, CVBIB_FMT_HAYAGRIVA, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_CSLJSON, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_TYPST, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_TYPST_DATA, &o, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
