/*
 * medline.c - PubMed's MEDLINE format (.nbib, .txt), and ERIC's export in
 * the same format.  A line is a tag of up to four characters padded to
 * four, "- " and the value; a line starting with spaces continues the value
 * before it; a blank line ends a record.
 *
 * FAU (full names) are the authors, AU (Vancouver "Doe JQ") when there is
 * no FAU; CN adds a group author; FED/ED editors.  JT is the journal and TA
 * its abbreviation; DP "1996 Jul 9" the date; LID/AID "... [doi]" the DOI;
 * PT "Book"/"Book Chapter" and BTI make books and chapters; OT keywords,
 * MH (MeSH) kept as a field.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "formats/fmt.h"

/* "PMID- 123", "TI  - x", "AU  - x", "FAU - x" */
static bool
tag_line(const char *s, size_t n, char tag[5], size_t *vs)
{
	size_t i = 0, k;

	/* two to four capitals or digits, padding, '-' ("TI  - ", "ISSN - ", "TI-") */
	while (i < n && i < 4 && (isupper((unsigned char)s[i]) || (i > 0 && isdigit((unsigned char)s[i]))))
		i++;
	if (i < 2)
		return false;
	memcpy(tag, s, i);
	tag[i] = '\0';
	k = i;
	while (k < n && k < 5 && s[k] == ' ')
		k++;
	if (k >= n || s[k] != '-')
		return false;
	k++;
	if (k < n && s[k] == ' ')
		k++;
	*vs = k;
	return true;
}

/* Do the first lines of text read as MEDLINE (three tag lines of the
 * first five, the first among them)? */
bool
fmt_medline_lines(const char *s, size_t n)
{
	size_t seen = 0, tags = 0, vs;
	char tag[5];

	while (n > 0 && (*s == '\n' || *s == '\r'))
		s++, n--;
	while (n > 0 && seen < 5) {
		const char *e = memchr(s, '\n', n);
		size_t ln = e ? (size_t)(e - s) : n;

		if (tag_line(s, ln, tag, &vs))
			tags++;
		else if (seen == 0)
			return false;
		seen++;
		if (e == NULL)
			break;
		n -= ln + 1;
		s = e + 1;
	}
	return tags >= 3;
}

/* "10.1/x [doi]" -> kind "doi", value "10.1/x" */
static const char *
bracketed(struct fmt *f, const char *v, const char *kind)
{
	const char *b = strrchr(v, '[');
	size_t k = strlen(kind);

	if (b == NULL || strncmp(b + 1, kind, k) != 0 || b[1 + k] != ']')
		return NULL;
	return fmt_strn(f, v, (size_t)(b - v));
}

/* the tags that set one variable with their value as it is */
static const struct fmt_tagvar medline_vars[] = {
	{ "TT|VTI", CVB_V_ORIGINAL_TITLE },
	{ "JT", CVB_V_CONTAINER_TITLE },
	{ "TA", CVB_V_CONTAINER_TITLE_SHORT },
	{ "VI", CVB_V_VOLUME },
	{ "IP", CVB_V_ISSUE },
	{ "PMID", CVB_V_PMID },
	{ "PMC", CVB_V_PMCID },
	{ "LA", CVB_V_LANGUAGE },
	{ "PB", CVB_V_PUBLISHER },
	{ NULL, CVB_V__COUNT },
};

static void
build(struct fmt *f, struct fmt_trec *r)
{
	struct cvb_item *it;
	size_t i, nfau = 0, nfed = 0;
	bool book = false, chapter = false;
	const char *bti = NULL, *s;

	if (r->n == 0)
		return;
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].tag, "FAU") == 0)
			nfau++;
		else if (strcmp(r->v[i].tag, "FED") == 0)
			nfed++;
		else if (strcmp(r->v[i].tag, "PT") == 0) {
			if (strcasecmp(r->v[i].value, "Book") == 0)
				book = true;
			else if (strcasecmp(r->v[i].value, "Book Chapter") == 0)
				chapter = true;
		} else if (strcmp(r->v[i].tag, "BTI") == 0)
			bti = r->v[i].value;
	}
	if ((it = cvb_item_new(f->b, f->file, r->line, 1)) == NULL)
		return;
	it->type = chapter ? CVB_T_CHAPTER : book ? CVB_T_BOOK : CVB_T_ARTICLE_JOURNAL;
	for (i = 0; i < r->n; i++) {
		const char *t = r->v[i].tag, *v = r->v[i].value;

		if (*v == '\0')
			continue;
		if (fmt_tag_set(f, it, medline_vars, t, v))
			continue;
		if (strcmp(t, "FAU") == 0 || (strcmp(t, "AU") == 0 && nfau == 0))
			fmt_add_name(f, it, CVB_NV_AUTHOR, v, strlen(v));
		else if (strcmp(t, "FED") == 0 || (strcmp(t, "ED") == 0 && nfed == 0))
			fmt_add_name(f, it, CVB_NV_EDITOR, v, strlen(v));
		else if (strcmp(t, "CN") == 0) {
			struct cvb_name *n = cvb_name_new(f->b);

			if (n != NULL) {
				n->literal = fmt_str(f, v);
				n->flags |= CVB_NF_INSTITUTION;
				cvb_item_add_name(it, CVB_NV_AUTHOR, n);
			}
		} else if (strcmp(t, "TI") == 0)
			fmt_set(f, it, CVB_V_TITLE, fmt_strip_period(f, v), false);
		else if (strcmp(t, "PG") == 0)
			fmt_pages(f, it, v, NULL);
		else if (strcmp(t, "DP") == 0) {
			if ((it->date[CVB_DV_ISSUED] = fmt_date(f, v)) == NULL)
				cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, r->v[i].line, 7, "no year in DP '%s'", v);
		} else if (strcmp(t, "AB") == 0)
			fmt_append(f, it, CVB_V_ABSTRACT, v, "\n");
		else if (strcmp(t, "LID") == 0 || strcmp(t, "AID") == 0) {
			if ((s = bracketed(f, v, "doi")) != NULL)
				fmt_doi(f, it, s);
			else if ((s = bracketed(f, v, "pii")) == NULL && fmt_prefix(v, "http")) {
				if (strstr(v, "doi.org/10.") != NULL && it->str[CVB_V_DOI] == NULL)
					fmt_doi(f, it, v);
				else if (it->str[CVB_V_URL] == NULL)
					it->str[CVB_V_URL] = fmt_str(f, v);
			}
		} else if (strcmp(t, "IS") == 0 || strcmp(t, "ISSN") == 0) {
			/* "0027-8424 (Print)", "EISSN-2375-5636" */
			const char *x = strncmp(v, "EISSN-", 6) == 0 ? v + 6 : strncmp(v, "ISSN-", 5) == 0 ? v + 5 : v;
			size_t n = strcspn(x, " (");

			fmt_set(f, it, CVB_V_ISSN, fmt_strn(f, x, n), false);
		} else if (strcmp(t, "ISBN") == 0)
			fmt_set(f, it, CVB_V_ISBN, fmt_prefix(v, "ISBN ") ? v + 5 : v, false);
		else if (strcmp(t, "OT") == 0)
			fmt_append(f, it, CVB_V_KEYWORD, v, ", ");
		else if (strcmp(t, "MH") == 0) {
			struct cvb_field *x;

			for (x = it->extra; x != NULL && strcmp(x->name, "mesh") != 0; x = x->next)
				;
			if (x != NULL)
				x->value = cvb_arena_printf(&f->b->arena, "%s; %s", x->value, v);
			else
				fmt_extra(f, it, "mesh", v);
		} else if (strcmp(t, "PL") == 0 && (book || chapter))
			fmt_set(f, it, CVB_V_PUBLISHER_PLACE, v, false);
		else if (strcmp(t, "GN") == 0)
			fmt_append(f, it, CVB_V_NOTE, v, "\n");
		else if (strcmp(t, "PT") == 0 && strcasecmp(v, "Preprint") == 0) {
			it->type = CVB_T_ARTICLE;
			it->str[CVB_V_GENRE] = "Preprint";
		} else if (strcmp(t, "OID") == 0 && (fmt_prefix(v, "EJ") || fmt_prefix(v, "ED")))
			fmt_extra(f, it, "eric", v);
	}
	if (bti != NULL) {
		if (chapter)
			fmt_set(f, it, CVB_V_CONTAINER_TITLE, bti, false);
		else
			fmt_set(f, it, CVB_V_TITLE, bti, false);
	}
	if (it->str[CVB_V_TITLE] == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, r->line, 1, "MEDLINE record with no title (TI)");
		cvb_item_drop_last(f->b);
		return;
	}
	fmt_key(f, it, NULL);
}

int
cvb_read_medline(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	struct fmt_trec r = { NULL, 0, 0, 0 };
	struct fmt_lines ln;
	const char *p;
	size_t n;
	unsigned line;

	(void)opts;
	fmt_begin(&f, b, file, d);
	fmt_lines_init(&ln, data, len);
	while (fmt_lines_next(&ln, &p, &n, true)) {
		size_t vs;
		char tag[5];

		line = ln.line;
		if (n == 0) {
			build(&f, &r);
			fmt_trec_clear(&r);
		} else if (tag_line(p, n, tag, &vs)) {
			if (strcmp(tag, "PMID") == 0 && r.n > 0) {	/* no blank line between records */
				build(&f, &r);
				fmt_trec_clear(&r);
			}
			if (r.n == 0)
				r.line = line;
			if (fmt_trec_add(&r, tag, strlen(tag), p + vs, n - vs, line) != 0)
				break;
		} else if (p[0] == ' ' && r.n > 0) {
			if (fmt_trec_cont(&r, p, n, ' ') != 0)
				break;
		} else {
			cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, line, 1,
			    "not a MEDLINE line (TAG - value); the record it is in is skipped");
			fmt_trec_clear(&r);
			/* skip to the blank line that ends the record, and past it */
			while (fmt_lines_next(&ln, &p, &n, true) && n > 0)
				;
		}
	}
	build(&f, &r);
	fmt_trec_release(&r);
	return fmt_end(&f, "no MEDLINE records");
}
