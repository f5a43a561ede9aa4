/*
 * fuzz-yaml.c - feed the YAML reader (CSL-YAML, RenderCV, JSON Resume, front
 * matter) and the JSON Resume reader, then write CSL-YAML and RenderCV.
 * The first byte picks the file name the reader sees (.yaml or .md), so that
 * both the stream and the front-matter paths are exercised.
 */
#include <stdint.h>
#include <stddef.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "fuzz.yaml", "fuzz.md", "fuzz.json" };
	static const enum cvbib_format fmts[] = { CVBIB_FMT_CSLYAML, CVBIB_FMT_FRONTMATTER,
	    CVBIB_FMT_JSONRESUME };
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	unsigned k = size > 0 ? data[0] % 3 : 0;

	if (b == NULL)
		return 0;
	if (size > 0) {
		data++;
		size--;
	}
	cvbib_read(b, (const char *)data, size, names[k], fmts[k], NULL, &d);
	cvbib_write(b, CVBIB_FMT_CSLYAML, NULL, &out, &d);
	cvbib_write(b, CVBIB_FMT_RENDERCV, NULL, &out, &d);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
