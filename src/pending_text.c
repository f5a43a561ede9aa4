/*
 * pending_text.c - placeholder until the module lands: every entry point reports
 * that the feature is not built yet.  Delete this file when the real module exists.
 */
#include "cvb_int.h"

int cvb_read_text_kind(cvbib_biblio *b, const char *data, size_t len, const char *file, enum cvb_textkind k, const struct cvbib_options *o, struct cvbib_diags *d)
{ (void)k; (void)b; (void)data; (void)len; (void)o; cvb_diag(d, CVB_D_UNSUPP_FORMAT, file, 0, 0, "this reader is not built yet"); return -CVBIB_EUNSUPP; }
