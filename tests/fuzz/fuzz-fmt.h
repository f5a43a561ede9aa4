/*
 * fuzz-fmt.h - the body shared by the fuzz targets of src/formats/: read
 * the input as FUZZ_FORMAT, then write it as BibTeX, CSL-JSON, RIS and the
 * site formats, and run the CV layer (HTML) over it.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cvbib_format outs[] = { CVBIB_FMT_BIBTEX, CVBIB_FMT_CSLJSON,
	    CVBIB_FMT_RIS, CVBIB_FMT_ACADEMICPAGES, CVBIB_FMT_HUGOBLOX, CVBIB_FMT_DATAYML,
	    CVBIB_FMT_HTML };
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvbib_options o;
	size_t i;

	if (b == NULL)
		return 0;
	cvbib_options_init(&o);
	cvbib_read(b, (const char *)data, size, FUZZ_FILE, FUZZ_FORMAT, &o, &d);
	cvbib_read_done(b, &o, &d);
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		cvbib_write(b, outs[i], &o, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
