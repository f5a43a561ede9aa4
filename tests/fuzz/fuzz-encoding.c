/*
 * fuzz-encoding.c - the BibTeX reader's encodings (--encoding, detection,
 * hints in the first lines, iconv conversion): the first byte picks the
 * encoding named (or none: detect), the rest is the file; then BibTeX and
 * CSL-JSON are written.
 */
#include <stdint.h>
#include <stddef.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encs[] = {
		NULL, "utf-8", "latin1", "latin9", "cp1252", "gbk", "gb18030", "l1", "bogus",
	};
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvbib_options o;

	if (size < 1 || (b = cvbib_biblio_new()) == NULL)
		return 0;
	cvbib_options_init(&o);
	o.encoding = encs[data[0] % (sizeof(encs) / sizeof(encs[0]))];
	cvbib_read(b, (const char *)data + 1, size - 1, "fuzz.bib", CVBIB_FMT_BIBTEX, &o, &d);
	cvbib_read_done(b, &o, &d);
	cvbib_write(b, CVBIB_FMT_BIBTEX, &o, &out, &d);
	cvbib_write(b, CVBIB_FMT_CSLJSON, &o, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
