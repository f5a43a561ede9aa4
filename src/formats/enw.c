/*
 * enw.c - EndNote tagged text and refer (.enw): "%0 Journal Article",
 * "%A Family, Given", ... a record per block of % lines, as Google Scholar's
 * "Import into EndNote", Mendeley, library catalogues and Wanfang write it.
 * A line that does not start with '%' continues the value before it; a
 * blank line, or a %0 line after a %T, starts the next record.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "formats/fmt.h"

static void
build(struct fmt *f, struct fmt_trec *r)
{
	struct cvb_item *it;
	const char *label = NULL, *sec = NULL, *jour = NULL, *date8 = NULL;
	size_t i;

	if (r->n == 0)
		return;
	if ((it = cvb_item_new(f->b, f->file, r->line, 1)) == NULL)
		return;
	for (i = 0; i < r->n && it->type == CVB_T_NONE; i++)
		if (r->v[i].tag[0] == '0')
			it->type = fmt_endnote_type(r->v[i].value);
	for (i = 0; i < r->n; i++) {
		const char *v = r->v[i].value;

		if (*v == '\0')
			continue;
		switch (r->v[i].tag[0]) {
		case 'A':
			fmt_add_name(f, it, CVB_NV_AUTHOR, v, strlen(v));
			break;
		case 'E':
			fmt_add_name(f, it, CVB_NV_EDITOR, v, strlen(v));
			break;
		case 'Y':
		case '?':
			fmt_add_name(f, it, CVB_NV_TRANSLATOR, v, strlen(v));
			break;
		case 'T':
			fmt_set(f, it, CVB_V_TITLE, v, false);
			break;
		case 'J':
			if (jour == NULL)
				jour = v;
			else
				fmt_set(f, it, CVB_V_CONTAINER_TITLE_SHORT, v, false);	/* a second (translated) title */
			break;
		case 'B':
			sec = v;
			break;
		case 'S':
			fmt_set(f, it, CVB_V_COLLECTION_TITLE, v, false);
			break;
		case 'D':
			if ((it->date[CVB_DV_ISSUED] = fmt_date(f, v)) == NULL)
				cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, r->v[i].line, 4, "no year in %%D '%s'", v);
			break;
		case '8':
			date8 = v;
			break;
		case 'V':
			fmt_set(f, it, CVB_V_VOLUME, v, false);
			break;
		case 'N':
			fmt_set(f, it, CVB_V_ISSUE, v, false);
			break;
		case 'P':
			fmt_pages(f, it, v, NULL);
			break;
		case 'I':
			fmt_set(f, it, CVB_V_PUBLISHER, v, false);
			break;
		case 'C':
			fmt_set(f, it, CVB_V_PUBLISHER_PLACE, v, false);
			break;
		case '@':
			fmt_set(f, it, fmt_looks_issn(v) ? CVB_V_ISSN : CVB_V_ISBN, v, false);
			break;
		case 'R':
			if (!fmt_doi(f, it, v))
				fmt_extra(f, it, "identifier", v);
			break;
		case 'U':
			if (strstr(v, "doi.org/10.") != NULL && it->str[CVB_V_DOI] == NULL)
				fmt_doi(f, it, v);
			else if (it->str[CVB_V_URL] == NULL)
				fmt_set(f, it, CVB_V_URL, v, false);
			else
				fmt_extra(f, it, "url", v);
			break;
		case 'K':
			fmt_keywords(f, it, v);
			break;
		case 'X':
			fmt_set(f, it, CVB_V_ABSTRACT, v, false);
			break;
		case 'Z':
			fmt_append(f, it, CVB_V_NOTE, v, "\n");
			break;
		case '7':
			fmt_set(f, it, CVB_V_EDITION, v, false);
			break;
		case 'G':
			fmt_set(f, it, CVB_V_LANGUAGE, v, false);
			break;
		case 'F':
			label = v;
			break;
		case 'L':
			fmt_set(f, it, CVB_V_CALL_NUMBER, v, false);
			break;
		case 'M':
			fmt_set(f, it, CVB_V_ARCHIVE_LOCATION, v, false);
			break;
		case 'W':
			fmt_set(f, it, CVB_V_SOURCE, v, false);
			break;
		case '9':
			fmt_set(f, it, CVB_V_GENRE, v, false);
			break;
		case '!':
			fmt_set(f, it, CVB_V_TITLE_SHORT, v, false);
			break;
		case '&':
			fmt_set(f, it, CVB_V_SECTION, v, false);
			break;
		case '+':
			fmt_extra(f, it, "affiliation", v);
			break;
		default:
			break;
		}
	}
	if (it->type == CVB_T_NONE)
		it->type = jour != NULL ? CVB_T_ARTICLE_JOURNAL : sec != NULL ? CVB_T_CHAPTER :
		    it->str[CVB_V_PUBLISHER] != NULL ? CVB_T_BOOK : CVB_T_DOCUMENT;
	/* the container: %J a journal, %B a book's or conference's title */
	fmt_set(f, it, CVB_V_CONTAINER_TITLE, jour ? jour : sec, false);
	if (jour != NULL && sec != NULL)
		fmt_set(f, it, CVB_V_COLLECTION_TITLE, sec, false);
	if (date8 != NULL && it->date[CVB_DV_ISSUED] != NULL && it->date[CVB_DV_ISSUED]->nparts[0] == 1) {
		char *both = cvb_arena_printf(&f->b->arena, "%d %s", it->date[CVB_DV_ISSUED]->parts[0][0], date8);
		struct cvb_date *d = both ? fmt_date(f, both) : NULL;

		if (d != NULL)
			it->date[CVB_DV_ISSUED] = d;
	}
	if (it->str[CVB_V_TITLE] == NULL && it->names[CVB_NV_AUTHOR] == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, r->line, 1,
		    "EndNote record with neither title (%%T) nor author (%%A)");
		cvb_item_drop_last(f->b);
		return;
	}
	fmt_key(f, it, label);
}

int
cvb_read_enw(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	struct fmt_trec r = { NULL, 0, 0, 0 };
	bool has_title = false;	/* the record so far has a %T */
	struct fmt_lines ln;
	const char *p;
	size_t n;
	unsigned line;

	(void)opts;
	fmt_begin(&f, b, file, d);
	fmt_lines_init(&ln, data, len);
	while (fmt_lines_next(&ln, &p, &n, true)) {
		line = ln.line;
		if (n == 0) {
			build(&f, &r);
			fmt_trec_clear(&r);
			has_title = false;
		} else if (p[0] == '%' && n >= 2 && (n == 2 || p[2] == ' ')) {
			size_t vs = n > 2 ? 3 : 2;

			if (p[1] == '0' && has_title) {	/* no blank line between records */
				build(&f, &r);
				fmt_trec_clear(&r);
				has_title = false;
			}
			if (r.n == 0)
				r.line = line;
			if (fmt_trec_add(&r, p + 1, 1, p + vs, n - vs, line) != 0)
				break;
			if (p[1] == 'T')
				has_title = true;
		} else if (r.n > 0) {
			if (fmt_trec_cont(&r, p, n, r.v[r.n - 1].tag[0] == 'X' ||
			    r.v[r.n - 1].tag[0] == 'Z' ? '\n' : ' ') != 0)
				break;
		} else
			cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, line, 1,
			    "text outside a record (a line starting with %% and a tag); skipped");
	}
	build(&f, &r);
	fmt_trec_release(&r);
	return fmt_end(&f, "no EndNote records (%0 ... lines)");
}
