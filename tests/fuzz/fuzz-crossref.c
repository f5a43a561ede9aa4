/* fuzz-crossref.c - feed the Crossref, DataCite and CSL-JSON answer mappers
 * (enrich.c), then merge the result into an entry.  The first byte picks the
 * mapper. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include "cvb_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char user[] = "[{\"id\":\"k\",\"title\":\"T\",\"page\":\"1\"}]";
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_item *it;
	enum cvb_src src;

	if (size < 1)
		return 0;
	src = data[0] % 3 == 0 ? CVB_SRC_CROSSREF : data[0] % 3 == 1 ? CVB_SRC_DATACITE : CVB_SRC_CSL;
	b = cvbib_biblio_new();
	if (b == NULL)
		return 0;
	cvbib_read(b, user, strlen(user), "u.json", CVBIB_FMT_CSLJSON, NULL, &d);
	it = cvb_enrich_map_text(b, src, (const char *)data + 1, size - 1);
	if (it != NULL && b->n > 0) {
		cvb_enrich_merge(b, b->items[0], it, NULL, true, NULL, NULL);
		cvb_enrich_merge(b, b->items[0], it, "all", true, NULL, NULL);
	}
	if (it != NULL && it->str[CVB_V_TITLE] != NULL) {
		struct cvb_buf f = CVB_BUF_INIT;

		cvb_fold_text(&f, it->str[CVB_V_TITLE]);
		cvbib_buf_release(&f);
	}
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
