/*
 * fuzz-text.c - feed the free-text CV reader.  The first byte picks the kind
 * (text, Markdown, HTML); the result is written as CSL-JSON and refpred.
 */
#include <stdint.h>
#include <stddef.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cvbib_format kinds[] = { CVBIB_FMT_TEXT, CVBIB_FMT_MARKDOWN, CVBIB_FMT_HTML };
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	enum cvbib_format k;

	if (size == 0)
		return 0;
	k = kinds[data[0] % 3];
	b = cvbib_biblio_new();
	if (b == NULL)
		return 0;
	cvbib_read(b, (const char *)data + 1, size - 1, "fuzz.txt", k, NULL, &d);
	cvbib_write(b, CVBIB_FMT_CSLJSON, NULL, &out, &d);
	cvbib_write(b, CVBIB_FMT_REFPRED, NULL, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
