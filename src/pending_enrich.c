/*
 * pending_enrich.c - placeholder until the module lands: every entry point reports
 * that the feature is not built yet.  Delete this file when the real module exists.
 */
#include "cvb_int.h"

int cvbib_enrich(cvbib_biblio *b, const struct cvbib_options *o, struct cvbib_diags *d)
{ (void)b; (void)o; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "DOI enrichment is not built yet"); return -CVBIB_EUNSUPP; }
