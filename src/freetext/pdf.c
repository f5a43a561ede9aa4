/*
 * pdf.c - a PDF CV read through poppler (poppler-glib): the text of each page
 * in poppler's reading order, line by line, as plain text lines.  Page
 * footers and headers repeat on every page; they are ordinary lines here and
 * the segmenter labels them.
 *
 * poppler-glib is loaded with dlopen() the first time a PDF is read, not
 * linked: it brings glib, cairo and some fifty libraries whose loading would
 * cost every run of cvbib milliseconds (a CV in Markdown reads in a few).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <poppler.h>
#include "cvb_int.h"
#include "freetext/ft.h"

#ifndef CVB_POPPLER_SONAME
#define CVB_POPPLER_SONAME "libpoppler-glib.so.8"
#endif

static struct {
	int	 tried, ok;
	GBytes	*(*bytes_new)(gconstpointer, gsize);
	void	 (*bytes_unref)(GBytes *);
	void	 (*error_free)(GError *);
	void	 (*free)(gpointer);
	void	 (*object_unref)(gpointer);
	PopplerDocument *(*doc_new)(GBytes *, const char *, GError **);
	int	 (*n_pages)(PopplerDocument *);
	PopplerPage *(*get_page)(PopplerDocument *, int);
	char	*(*get_text)(PopplerPage *);
} pp;

/* Load poppler-glib once; 0, or -1 when it is not installed. */
static int
load_poppler(void)
{
	void *dl;

	if (pp.tried)
		return pp.ok ? 0 : -1;
	pp.tried = 1;
	dl = dlopen(CVB_POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL)
		return -1;
#define SYM(f, name) if ((*(void **)&pp.f = dlsym(dl, name)) == NULL) return -1
	SYM(bytes_new, "g_bytes_new");
	SYM(bytes_unref, "g_bytes_unref");
	SYM(error_free, "g_error_free");
	SYM(free, "g_free");
	SYM(object_unref, "g_object_unref");
	SYM(doc_new, "poppler_document_new_from_bytes");
	SYM(n_pages, "poppler_document_get_n_pages");
	SYM(get_page, "poppler_document_get_page");
	SYM(get_text, "poppler_page_get_text");
#undef SYM
	pp.ok = 1;
	return 0;
}

int
ft_pdf_lines(struct lines *L, const char *data, size_t len, const char *file,
    struct cvbib_diags *d)
{
	GBytes *bytes;
	GError *err = NULL;
	PopplerDocument *doc;
	int np, p, fence = 0;
	unsigned line = 0;

	if (load_poppler() < 0) {
		cvb_diag(d, CVB_D_TEXT_PDF, file, 0, 0, "%s could not be loaded (install poppler-glib)",
		    CVB_POPPLER_SONAME);
		return -CVBIB_EUNSUPP;
	}
	bytes = pp.bytes_new(data, len);
	doc = pp.doc_new(bytes, NULL, &err);
	if (doc == NULL) {
		cvb_diag(d, CVB_D_TEXT_PDF, file, 0, 0, "%s", err && err->message ? err->message :
		    "not a PDF poppler can read");
		if (err)
			pp.error_free(err);
		pp.bytes_unref(bytes);
		return -CVBIB_EINPUT;
	}
	np = pp.n_pages(doc);
	for (p = 0; p < np && !L->err; p++) {
		PopplerPage *page = pp.get_page(doc, p);
		char *text, *s;

		if (page == NULL)
			continue;
		text = pp.get_text(page);
		for (s = text; s != NULL && *s && !L->err;) {
			char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);

			line++;
			ft_add_text_line(L, s, n, line, CVB_TK_TEXT, &fence);
			s += n + (nl != NULL);
		}
		/* a page break is a paragraph break */
		{
			struct tline *t = ft_lines_add(L);

			if (t != NULL)
				t->blank = 1, t->lineno = line;
		}
		pp.free(text);
		pp.object_unref(page);
	}
	pp.object_unref(doc);
	pp.bytes_unref(bytes);
	return L->err ? -CVBIB_ENOMEM : 0;
}
