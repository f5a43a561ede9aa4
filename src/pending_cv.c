/*
 * pending_cv.c - placeholder until the module lands: every entry point reports
 * that the feature is not built yet.  Delete this file when the real module exists.
 */
#include "cvb_int.h"

int cvb_write_formatted(cvbib_biblio *b, enum cvbib_outfmt f, const struct cvbib_options *o, struct cvb_buf *out, struct cvbib_diags *d)
{ (void)b; (void)f; (void)o; (void)out; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "formatted output is not built yet"); return -CVBIB_EUNSUPP; }
