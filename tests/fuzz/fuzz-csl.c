/* fuzz-csl.c - feed the CSL style loader, then format a small fixed
 * bibliography and one citation with whatever style came out. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char items[] =
"[{\"id\":\"a\",\"type\":\"article-journal\",\"title\":\"A <i>title</i>\",\"page\":\"321-28\","
"\"volume\":\"2\",\"issued\":{\"date-parts\":[[2001,5,3],[2002,6]]},"
"\"author\":[{\"family\":\"van Doe\",\"given\":\"Jane-Ann\"},{\"literal\":\"ACME\"},{\"family\":\"Roe\",\"given\":\"R.\"}]},"
"{\"id\":\"b\",\"type\":\"book\",\"editor\":[{\"family\":\"Doe\",\"given\":\"J.\"}],\"issued\":{\"date-parts\":[[2001]]}}]";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cvbib_style *s = NULL;
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;

	if (cvbib_style_load_mem(&s, (const char *)data, size, "fuzz.csl", NULL, NULL, &d) == 0 && s) {
		b = cvbib_biblio_new();
		if (b) {
			struct cvbib_cite c[3];
			struct cvbib_citation cit[2];
			memset(c, 0, sizeof(c));
			c[0].id = "a"; c[0].locator = "12-14"; c[1].id = "b"; c[2].id = "a";
			cit[0].id = NULL; cit[0].note_index = 1; cit[0].cites = c; cit[0].ncites = 2;
			cit[1].id = NULL; cit[1].note_index = 2; cit[1].cites = c + 2; cit[1].ncites = 1;
			cvbib_read(b, items, sizeof(items) - 1, "items.json", CVBIB_FMT_CSLJSON, NULL, &d);
			cvbib_format_bibliography(s, b, CVBIB_OUT_HTML, &out, &d);
			cvbib_format_citations(s, b, cit, 2, CVBIB_OUT_LATEX, &out, &d);
			cvbib_biblio_free(b);
		}
	}
	cvbib_style_free(s);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	return 0;
}
