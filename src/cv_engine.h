/*
 * cv_engine.h - the part of the CSL engine's internal API (src/csl.h) that the
 * CV layer uses.  While the engine's header is not in the tree, the same
 * declarations are made here, so that the CV layer builds on its own; once
 * src/csl.h exists it is the one used.
 */
#ifndef CV_ENGINE_H
#define CV_ENGINE_H

#if defined(__has_include)
#if __has_include("csl.h")
#include "csl.h"
#define CV_HAVE_CSL_H 1
#endif
#endif

#ifndef CV_HAVE_CSL_H
/* one formatted bibliography entry in the output format, without list wrapper */
struct cvb_csl_entry {
	struct cvb_item	*item;
	char		*text;		/* malloc'd */
};
int	cvb_csl_bibliography_entries(cvbib_style *, cvbib_biblio *, enum cvbib_outfmt,
	    int use_style_sort, struct cvb_csl_entry **entries, size_t *n,
	    struct cvbib_diags *);
void	cvb_csl_entries_free(struct cvb_csl_entry *, size_t);
#endif

#endif /* CV_ENGINE_H */
