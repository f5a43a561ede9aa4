/*
 * cv_engine_stub.c - stands in for the CSL engine's entry API while src/csl.h
 * is not in the tree: it reports that formatting is not built yet.  Compiles
 * to nothing once the engine exists.  Delete it after the engine is merged.
 */
#include "cvb_int.h"
#include "cv_engine.h"

#ifndef CV_HAVE_CSL_H
int
cvb_csl_bibliography_entries(cvbib_style *s, cvbib_biblio *b, enum cvbib_outfmt f,
    int use_style_sort, struct cvb_csl_entry **entries, size_t *n,
    struct cvbib_diags *d)
{
	(void)s; (void)b; (void)f; (void)use_style_sort;
	*entries = NULL;
	*n = 0;
	cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "the CSL engine is not built yet");
	return -CVBIB_EUNSUPP;
}

void
cvb_csl_entries_free(struct cvb_csl_entry *e, size_t n)
{
	(void)e; (void)n;
}
#else
typedef int cv_engine_stub_unused;
#endif
