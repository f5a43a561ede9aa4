/*
 * scholar_csv.c - Google Scholar's profile export as CSV: a header line
 * "Authors,Title,Publication,Volume,Number,Pages,Year,Publisher" (after a
 * UTF-8 byte-order mark), RFC 4180 quoting, CRLF or LF line ends, authors
 * as "Family, Given; Family, Given; " (read with the BibTeX name grammar).
 *
 * Scholar does not say what kind of work a row is; it is guessed from the
 * venue: "arXiv preprint arXiv:ID" is a preprint, proceedings, conference,
 * symposium and workshop venues are conference papers, a row with a
 * publisher and no venue is a book, any other venue a journal.  The author
 * on every row (by family name and first initial) is the profile's owner.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

enum { C_AUTHORS, C_TITLE, C_PUB, C_VOLUME, C_NUMBER, C_PAGES, C_YEAR, C_PUBLISHER, C__N };
static const char *const cols[C__N] = { "Authors", "Title", "Publication", "Volume", "Number",
	"Pages", "Year", "Publisher" };

bool
fmt_scholar_header(const char *s, size_t n)
{
	static const char h[] = "Authors,Title,Publication,Volume,Number,Pages,Year,Publisher";

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, n -= 3;
	return n >= sizeof(h) - 1 && memcmp(s, h, sizeof(h) - 1) == 0 &&
	    (n == sizeof(h) - 1 || s[sizeof(h) - 1] == '\r' || s[sizeof(h) - 1] == '\n' ||
	    s[sizeof(h) - 1] == ',');
}

/*
 * One CSV record from *pp: fields into v (malloc'd, at most max), their
 * count in *nf.  Returns 1, 0 at the end, -1 for a quote left open (*pp
 * then at the end).  *lines counts the newlines taken.
 */
static int
csv_record(const char **pp, const char *end, char **v, size_t max, size_t *nf, unsigned *lines)
{
	const char *p = *pp;
	struct cvb_buf fld = CVB_BUF_INIT;
	size_t n = 0;
	bool quoted = false, open = false;

	*nf = 0;
	if (p >= end)
		return 0;
	for (;;) {
		if (p >= end || (!open && (*p == ',' || *p == '\n' || *p == '\r'))) {
			if (n < max && (v[n] = strdup(fld.err ? "" : fld.buf)) == NULL)
				cvb_nomem();	/* the row is left out (row_item) */
			n++;
			cvb_buf_reset(&fld);
			quoted = false;
			if (p >= end || *p != ',') {
				if (p < end && *p == '\r')
					p++;
				if (p < end && *p == '\n') {
					p++;
					(*lines)++;
				}
				break;
			}
			p++;
			continue;
		}
		if (*p == '"') {
			if (!open && fld.len == 0 && !quoted) {
				open = quoted = true;
				p++;
				continue;
			}
			if (open && p + 1 < end && p[1] == '"') {
				cvb_buf_addch(&fld, '"');
				p += 2;
				continue;
			}
			if (open) {
				open = false;
				p++;
				continue;
			}
		}
		if (*p == '\n')
			(*lines)++;
		cvb_buf_addch(&fld, *p++);
		if (open && p >= end) {
			cvbib_buf_release(&fld);
			*nf = n < max ? n : max;
			*pp = end;
			return -1;
		}
	}
	cvbib_buf_release(&fld);
	*nf = n < max ? n : max;
	*pp = p;
	return n > max ? 2 : 1;
}

static bool
has_word(const char *s, const char *w)
{
	return s != NULL && strcasestr(s, w) != NULL;
}

/* family name and first initial, folded, for finding the owner */
static void
owner_key(struct cvb_buf *o, const struct cvb_name *n)
{
	cvb_buf_reset(o);
	cvb_cv_fold(o, n->family ? n->family : n->literal ? n->literal : "");
	if (n->given != NULL && n->given[0] != '\0') {
		cvb_buf_addch(o, '|');
		cvb_buf_addch(o, tolower((unsigned char)n->given[0]));
	}
}

/* The owner: the name (family and first initial) on at least 4 rows in 5,
 * the most frequent one (the first such name in row order on a tie).
 * Scholar cuts long author lists, so not every row need hold it.  Rows
 * are counted per name in one pass (a name compared with every name of
 * every row was quadratic: issue 20). */
static void
mark_owner(struct fmt *f)
{
	struct cvb_buf k = CVB_BUF_INIT;
	struct cvb_name *m;
	size_t i, nitems = f->b->n - f->before, best = 0;
	json_t *rows = json_object();	/* key -> [rows, last row counted] */
	const char *found = NULL;

	if (nitems < 2 || rows == NULL) {
		json_decref(rows);
		return;
	}
	for (i = f->before; i < f->b->n; i++)
		for (m = f->b->items[i]->names[CVB_NV_AUTHOR]; m != NULL; m = m->next) {
			json_t *c;

			owner_key(&k, m);
			if (k.err || k.len <= 2)
				continue;
			if ((c = json_object_get(rows, k.buf)) == NULL) {
				c = json_pack("[iI]", 0, (json_int_t)-1);
				if (c == NULL || json_object_set_new(rows, k.buf, c) != 0)
					continue;
			}
			if (json_integer_value(json_array_get(c, 1)) != (json_int_t)i) {
				json_integer_set(json_array_get(c, 0),
				    json_integer_value(json_array_get(c, 0)) + 1);
				json_integer_set(json_array_get(c, 1), (json_int_t)i);
			}
		}
	for (i = f->before; i < f->b->n; i++)
		for (m = f->b->items[i]->names[CVB_NV_AUTHOR]; m != NULL; m = m->next) {
			json_t *c;
			size_t count;

			owner_key(&k, m);
			if (k.err || (c = json_object_get(rows, k.buf)) == NULL)
				continue;
			count = (size_t)json_integer_value(json_array_get(c, 0));
			if (count > best) {
				best = count;
				found = json_object_iter_key(json_object_iter_at(rows, k.buf));
			}
		}
	if (best * 5 < nitems * 4)
		found = NULL;
	for (i = f->before; found != NULL && i < f->b->n; i++)
		for (m = f->b->items[i]->names[CVB_NV_AUTHOR]; m != NULL; m = m->next) {
			owner_key(&k, m);
			if (!k.err && strcmp(found, k.buf) == 0)
				m->flags |= CVB_NF_HIGHLIGHT;
		}
	json_decref(rows);
	cvbib_buf_release(&k);
}

static void
row_item(struct fmt *f, char **v, size_t nf, unsigned line)
{
	struct cvb_item *it;
	const char *pub, *publisher, *p, *q;
	size_t i;

	for (i = 0; i < nf && i <= C__N; i++)
		if (v[i] == NULL)
			return;		/* no memory (cvb_nomem() was called) */
	pub = nf > C_PUB ? fmt_str(f, v[C_PUB]) : NULL;
	publisher = nf > C_PUBLISHER ? fmt_str(f, v[C_PUBLISHER]) : NULL;
	if (nf < C__N) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, 1,
		    "a Google Scholar CSV row with %zu fields instead of %d", nf, C__N);
		return;
	}
	if (fmt_str(f, v[C_TITLE]) == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, 1, "a Google Scholar CSV row with no title");
		return;
	}
	if ((it = cvb_item_new(f->b, f->file, line, 1)) == NULL)
		return;
	it->str[CVB_V_TITLE] = fmt_str(f, v[C_TITLE]);
	for (p = v[C_AUTHORS]; *p != '\0'; p = *q ? q + 1 : q) {
		q = p + strcspn(p, ";");
		if (fmt_strn(f, p, (size_t)(q - p)) != NULL) {
			if (strncmp(p, " ...", 4) == 0 || strncmp(p, "...", 3) == 0) {
				struct cvb_name *o = cvb_name_new(f->b);

				if (o != NULL) {
					o->flags |= CVB_NF_OTHERS;
					o->literal = "others";
					cvb_item_add_name(it, CVB_NV_AUTHOR, o);
				}
			} else {
				struct cvb_name *n = fmt_name(f, p, (size_t)(q - p));

				if (n != NULL)
					cvb_item_add_name(it, CVB_NV_AUTHOR, n);
			}
		}
	}
	fmt_set(f, it, CVB_V_VOLUME, v[C_VOLUME], false);
	fmt_set(f, it, CVB_V_ISSUE, v[C_NUMBER], false);
	fmt_pages(f, it, v[C_PAGES], NULL);
	if (fmt_str(f, v[C_YEAR]) != NULL && (it->date[CVB_DV_ISSUED] = fmt_date(f, v[C_YEAR])) == NULL)
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, 1, "no year in '%s'", v[C_YEAR]);
	fmt_set(f, it, CVB_V_PUBLISHER, publisher, false);
	if (pub != NULL && (q = strstr(pub, "arXiv:")) != NULL && has_word(pub, "arxiv preprint")) {
		it->type = CVB_T_ARTICLE;
		it->str[CVB_V_GENRE] = "Preprint";
		it->str[CVB_V_PUBLISHER] = "arXiv";
		fmt_arxiv(f, it, q + 6);
	} else if (pub != NULL && (has_word(pub, "proceedings") || has_word(pub, "conference") ||
	    has_word(pub, "symposium") || has_word(pub, "workshop"))) {
		it->type = CVB_T_PAPER_CONFERENCE;
		it->str[CVB_V_CONTAINER_TITLE] = pub;
	} else if (pub != NULL && (has_word(pub, "thesis") || has_word(pub, "dissertation"))) {
		it->type = CVB_T_THESIS;
		it->str[CVB_V_GENRE] = pub;
	} else if (pub != NULL) {
		it->type = CVB_T_ARTICLE_JOURNAL;
		it->str[CVB_V_CONTAINER_TITLE] = pub;
	} else
		it->type = publisher != NULL ? CVB_T_BOOK : CVB_T_DOCUMENT;
	fmt_key(f, it, NULL);
}

int
cvb_read_scholar_csv(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	const char *p = data, *end = data + len;
	char *v[C__N + 1];
	size_t nf, i;
	unsigned line = 1, start;
	int r;

	(void)opts;
	fmt_begin(&f, b, file, d);
	if (!fmt_scholar_header(data, len)) {
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, 1, 1,
		    "not a Google Scholar CSV (its first line is 'Authors,Title,Publication,...')");
		fmt_end(&f, "");
		return -CVBIB_EINPUT;
	}
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	/* the header */
	r = csv_record(&p, end, v, C__N + 1, &nf, &line);
	for (i = 0; i < nf; i++)
		free(v[i]);
	line = 2;
	for (;;) {
		start = line;
		r = csv_record(&p, end, v, C__N + 1, &nf, &line);
		if (r == 0)
			break;
		if (r < 0)
			cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, start, 1,
			    "a quoted field is not closed; the rest of the file is not read");
		else if (r == 2 || nf > C__N)
			cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, start, 1,
			    "a Google Scholar CSV row with more than %d fields", C__N);
		else if (!(nf == 1 && v[0] != NULL && v[0][0] == '\0'))	/* a blank line */
			row_item(&f, v, nf, start);
		for (i = 0; i < nf; i++)
			free(v[i]);
		if (r < 0)
			break;
	}
	(void)cols;
	mark_owner(&f);
	return fmt_end(&f, "a Google Scholar CSV without rows");
}
