/* fuzz-refparse.c - feed one reference string per line to the reference parser. */
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

	if (b == NULL)
		return 0;
	cvbib_read(b, (const char *)data, size, "fuzz.txt", CVBIB_FMT_REFLINES, NULL, &d);
	cvbib_write(b, CVBIB_FMT_REFPRED, NULL, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
