/*
 * pdf.c - a PDF CV read through poppler (poppler-glib): the text of each page
 * in poppler's reading order, line by line, as plain text lines.  Page
 * footers and headers repeat on every page; they are ordinary lines here and
 * the segmenter labels them.
 */
#include <stdlib.h>
#include <string.h>
#include <poppler.h>
#include "cvb_int.h"
#include "freetext/ft.h"

int
ft_pdf_lines(struct lines *L, const char *data, size_t len, const char *file,
    struct cvbib_diags *d)
{
	GBytes *bytes;
	GError *err = NULL;
	PopplerDocument *doc;
	int np, p, fence = 0;
	unsigned line = 0;

	bytes = g_bytes_new(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (doc == NULL) {
		cvb_diag(d, CVB_D_TEXT_PDF, file, 0, 0, "%s", err && err->message ? err->message :
		    "not a PDF poppler can read");
		if (err)
			g_error_free(err);
		g_bytes_unref(bytes);
		return -CVBIB_EINPUT;
	}
	np = poppler_document_get_n_pages(doc);
	for (p = 0; p < np && !L->err; p++) {
		PopplerPage *page = poppler_document_get_page(doc, p);
		char *text, *s;

		if (page == NULL)
			continue;
		text = poppler_page_get_text(page);
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
		g_free(text);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	return L->err ? -CVBIB_ENOMEM : 0;
}
