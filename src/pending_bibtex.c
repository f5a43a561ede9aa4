/*
 * pending_bibtex.c - placeholder until the module lands: every entry point reports
 * that the feature is not built yet.  Delete this file when the real module exists.
 */
#include "cvb_int.h"

int cvb_read_bibtex(cvbib_biblio *b, const char *data, size_t len, const char *file, const struct cvbib_options *o, struct cvbib_diags *d) { (void)b; (void)data; (void)len; (void)o; cvb_diag(d, CVB_D_UNSUPP_FORMAT, file, 0, 0, "this reader is not built yet"); return -CVBIB_EUNSUPP; }
int cvb_write_bibtex(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out, struct cvbib_diags *d) { (void)b; (void)o; (void)out; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "this writer is not built yet"); return -CVBIB_EUNSUPP; }
int cvb_write_biblatex(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out, struct cvbib_diags *d) { (void)b; (void)o; (void)out; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "this writer is not built yet"); return -CVBIB_EUNSUPP; }
