/* TEMPORARY: readers not written yet */
#include "formats/fmt.h"
#define STUB(fn) int fn(cvbib_biblio *b, const char *data, size_t len, const char *file, \
    const struct cvbib_options *o, struct cvbib_diags *d) { (void)b; (void)data; (void)len; (void)o; \
    cvb_diag(d, CVB_D_UNSUPP_FORMAT, file, 0, 0, "not yet"); return -CVBIB_EUNSUPP; }
int cvb_write_datayml(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out, struct cvbib_diags *d) { (void)b; (void)o; (void)out; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "not yet"); return -CVBIB_EUNSUPP; }
int cvb_write_site(cvbib_biblio *b, enum cvbib_format f, const struct cvbib_options *o, struct cvb_buf *out, struct cvbib_diags *d) { (void)b; (void)f; (void)o; (void)out; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "not yet"); return -CVBIB_EUNSUPP; }
int cvb_write_site_dir(cvbib_biblio *b, enum cvbib_format f, const char *dir, const struct cvbib_options *o, struct cvbib_diags *d) { (void)b; (void)f; (void)dir; (void)o; cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "not yet"); return -CVBIB_EUNSUPP; }
