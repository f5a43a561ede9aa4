/*
 * pending_csl.c - placeholder until the module lands: every entry point reports
 * that the feature is not built yet.  Delete this file when the real module exists.
 */
#include "cvb_int.h"

int cvbib_style_load(cvbib_style **s, const char *n, const char *l, const struct cvbib_options *o, struct cvbib_diags *d)
{ (void)n; (void)l; (void)o; *s = NULL; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "the CSL engine is not built yet"); return -CVBIB_EUNSUPP; }
int cvbib_style_load_mem(cvbib_style **s, const char *x, size_t n, const char *f, const char *l, const struct cvbib_options *o, struct cvbib_diags *d)
{ (void)x; (void)n; (void)l; (void)o; *s = NULL; cvb_diag(d, CVB_D_UNSUPP_FORMAT, f, 0, 0, "the CSL engine is not built yet"); return -CVBIB_EUNSUPP; }
void cvbib_style_free(cvbib_style *s) { (void)s; }
int cvbib_format_bibliography(cvbib_style *s, cvbib_biblio *b, enum cvbib_outfmt f, struct cvbib_buf *out, struct cvbib_diags *d)
{ (void)s; (void)b; (void)f; (void)out; (void)d; return -CVBIB_EUNSUPP; }
int cvbib_format_citations(cvbib_style *s, cvbib_biblio *b, struct cvbib_citation *c, size_t n, enum cvbib_outfmt f, struct cvbib_buf *out, struct cvbib_diags *d)
{ (void)s; (void)b; (void)c; (void)n; (void)f; (void)out; (void)d; return -CVBIB_EUNSUPP; }
