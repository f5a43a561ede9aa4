/* fuzz-crossref.c - feed the Crossref, DataCite and CSL-JSON answer mappers
 * (enrich.c), then merge the result into an entry; also the DOI normaliser,
 * the DOI finder and the markup converter on the same bytes.  The first byte
 * picks the mapper. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
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
	/* the same bytes as a DOI, as text with a DOI in it, and as markup */
	if (size < 4096) {
		char *z = malloc(size);
		struct cvb_buf o = CVB_BUF_INIT;

		if (z != NULL) {
			memcpy(z, data + 1, size - 1);
			z[size - 1] = '\0';
			cvb_doi_normalize(z, &o);
			cvb_doi_find(z, &o);
			cvb_buf_reset(&o);
			cvb_markup_to_rich(&o, z, data[0] & 1);
			(void)cvb_title_similarity(z, "a title");
			free(z);
		}
		cvbib_buf_release(&o);
	}
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
