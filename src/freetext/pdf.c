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
#include <ctype.h>
#include <dlfcn.h>
#include <math.h>
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
	gboolean (*get_layout)(PopplerPage *, PopplerRectangle **, guint *);
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
	/* the boxes of the characters: optional (line breaks then as given) */
	*(void **)&pp.get_layout = dlsym(dl, "poppler_page_get_text_layout");
	pp.ok = 1;
	return 0;
}

/* A line's box: the top and bottom of its characters and the tallest. */
struct box {
	double	top, bot, h;
	int	set;
};

static int
is_space_char(const char *s)
{
	return *s == ' ' || *s == '\t' || ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0);
}

/* A line of a page as poppler gives it, with its box. */
struct pline {
	const char	*s;
	size_t		 n;
	const PopplerRectangle *r;	/* from the line's first character on; NULL none */
	unsigned	 line;
	struct box	 b;
	double		 x1, x2;	/* the left and right of its inked characters */
	int		 date;		/* margin_date() of its text */
	size_t		 before;	/* a margin date: put before that line; else (size_t)-1 */
};

/* The box of a line from its characters' rectangles. */
static void
line_box(struct pline *pl)
{
	size_t i, c;
	const PopplerRectangle *r = pl->r;

	memset(&pl->b, 0, sizeof pl->b);
	if (r == NULL)
		return;
	for (i = 0, c = 0; i < pl->n; c++) {
		size_t k = i + 1;

		while (k < pl->n && ((unsigned char)pl->s[k] & 0xc0) == 0x80)
			k++;
		if (!is_space_char(pl->s + i) && r[c].y2 > r[c].y1) {
			if (!pl->b.set || r[c].y1 < pl->b.top)
				pl->b.top = r[c].y1;
			if (!pl->b.set || r[c].y2 > pl->b.bot)
				pl->b.bot = r[c].y2;
			if (r[c].y2 - r[c].y1 > pl->b.h)
				pl->b.h = r[c].y2 - r[c].y1;
			if (!pl->b.set || r[c].x1 < pl->x1)
				pl->x1 = r[c].x1;
			if (!pl->b.set || r[c].x2 > pl->x2)
				pl->x2 = r[c].x2;
			pl->b.set = 1;
		}
		i = k;
	}
}

/*
 * Is the line a date as CVs set them in a margin column ("2019", "2019-21",
 * "Sep 2021")?  A year (19xx, 20xx) in at most three words and 20 bytes.
 */
static int
margin_date(const char *s, size_t n)
{
	size_t i, words = 0;
	int year = 0, in = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n == 0 || n > 20)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ')
			in = 0;
		else if (!in)
			in = 1, words++;
		if (i + 4 <= n && (strncmp(s + i, "19", 2) == 0 || strncmp(s + i, "20", 2) == 0) &&
		    isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
		    (i == 0 || !isdigit((unsigned char)s[i - 1])) &&
		    (i + 4 == n || !isdigit((unsigned char)s[i + 4])))
			year = 1;
	}
	return year && words <= 3;
}

/*
 * poppler reads a margin column of dates as a block of its own, before or
 * after the lines the dates stand beside ("2025" ... "2022", then the
 * entries): each such date goes back before the line it is level with.
 */
static void
place_margin_dates(struct pline *pl, size_t np)
{
	size_t i, j;

	for (i = 0; i < np; i++)
		pl[i].date = pl[i].b.set && margin_date(pl[i].s, pl[i].n);
	for (i = 0; i < np; i++) {
		double best = 0;

		pl[i].before = (size_t)-1;
		if (!pl[i].date)
			continue;
		for (j = 0; j < np; j++) {
			double h = pl[i].b.h > pl[j].b.h ? pl[i].b.h : pl[j].b.h;

			if (j == i || !pl[j].b.set || pl[j].date)
				continue;
			if (fabs(pl[j].b.top - pl[i].b.top) > 0.5 * h ||
			    pl[j].x1 - pl[i].x2 <= 1.2 * pl[i].b.h)
				continue;
			if (pl[i].before == (size_t)-1 || pl[j].x1 < best)
				pl[i].before = j, best = pl[j].x1;
		}
		if (pl[i].before == i + 1)
			pl[i].before = (size_t)-1;	/* in its place already */
	}
}

/*
 * Add a line of a page.  poppler gives the lines of a page in reading order
 * but says nothing of the space between them, where pdftotext (what a user
 * would compare with) keeps its blocks apart: so a gap wider than the line
 * is tall (a date in a margin column, "09/18" then the authors) splits the
 * line into blocks, and a line set lower than a line's spacing below the
 * last (or above it: another column) starts a new block: a blank line
 * between blocks.  apart: the line is a block of its own (a margin date).
 */
static void
add_pdf_line(struct lines *L, const struct pline *pl, struct box *last, int apart, int *fence)
{
	const char *s = pl->s;
	const PopplerRectangle *r = pl->r;
	size_t i, c, from, n = pl->n;
	double prev_x2 = 0;
	int have_prev = 0;

	if (r == NULL || !pl->b.set) {
		ft_add_text_line(L, s, n, pl->line, CVB_TK_TEXT, fence);
		return;
	}
	if (apart || (last->set && (pl->b.top - last->bot > 0.6 * pl->b.h ||
	    pl->b.top < last->top - 0.5 * pl->b.h)))
		ft_add_text_line(L, "", 0, pl->line, CVB_TK_TEXT, fence);
	*last = pl->b;
	for (i = 0, c = 0, from = 0; i < n; c++) {
		size_t k = i + 1;

		while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
			k++;
		if (!is_space_char(s + i) && r[c].y2 > r[c].y1) {
			if (have_prev && r[c].x1 - prev_x2 > 1.2 * pl->b.h) {
				ft_add_text_line(L, s + from, i - from, pl->line, CVB_TK_TEXT, fence);
				ft_add_text_line(L, "", 0, pl->line, CVB_TK_TEXT, fence);
				from = i;
			}
			prev_x2 = r[c].x2;
			have_prev = 1;
		}
		i = k;
	}
	ft_add_text_line(L, s + from, n - from, pl->line, CVB_TK_TEXT, fence);
	if (apart)
		ft_add_text_line(L, "", 0, pl->line, CVB_TK_TEXT, fence);
}

/* The number of characters in s (UTF-8). */
static size_t
count_chars(const char *s)
{
	size_t c = 0;

	for (; *s; s++)
		c += ((unsigned char)*s & 0xc0) != 0x80;
	return c;
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
	struct pline *pls = NULL;
	size_t cap = 0, npl;

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
		PopplerRectangle *rects = NULL;
		guint nrects = 0;
		struct box last = { 0, 0, 0, 0 };
		size_t ci = 0;
		char *text, *s;

		if (page == NULL)
			continue;
		L->page = p;
		text = pp.get_text(page);
		/* the boxes, one a character of the text, when they are that */
		if (text != NULL && pp.get_layout != NULL && !pp.get_layout(page, &rects, &nrects))
			rects = NULL;
		if (rects != NULL && count_chars(text) != nrects) {
			pp.free(rects);
			rects = NULL;
		}
		npl = 0;
		for (s = text; s != NULL && *s;) {
			char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			struct pline *pl;

			line++;
			if (npl == cap) {
				struct pline *t = realloc(pls, (cap = cap ? 2 * cap : 64) * sizeof *pls);

				if (t == NULL) {
					L->err = 1;
					break;
				}
				pls = t;
			}
			pl = &pls[npl++];
			pl->s = s, pl->n = n, pl->line = line;
			pl->r = rects ? rects + ci : NULL;
			line_box(pl);
			if (rects != NULL) {
				char save = s[n];

				s[n] = '\0';
				ci += count_chars(s) + (nl != NULL);
				s[n] = save;
			}
			s += n + (nl != NULL);
		}
		if (!L->err) {
			size_t i, k;

			place_margin_dates(pls, npl);
			for (i = 0; i < npl && !L->err; i++) {
				if (pls[i].before != (size_t)-1)
					continue;
				for (k = 0; k < npl; k++)
					if (pls[k].before == i)
						add_pdf_line(L, &pls[k], &last, 1, &fence);
				add_pdf_line(L, &pls[i], &last, 0, &fence);
			}
		}
		/* a page break is a paragraph break */
		{
			struct tline *t = ft_lines_add(L);

			if (t != NULL)
				t->blank = 1, t->lineno = line;
		}
		if (rects != NULL)
			pp.free(rects);
		pp.free(text);
		pp.object_unref(page);
	}
	free(pls);
	pp.object_unref(doc);
	pp.bytes_unref(bytes);
	return L->err ? -CVBIB_ENOMEM : 0;
}
