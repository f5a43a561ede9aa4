/*
 * ris.c - RIS (Research Information Systems) tagged records, read and
 * written.  doc/formats.md lists the tags and what they map to.
 *
 * A record is "TY  - TYPE" ... "ER  - ".  A tag line is two characters
 * (a capital letter, then a capital letter or digit), spaces, '-' and the
 * value; exporters differ in the spaces ("TY - JOUR"), in trailing
 * white space, and in what they put between records (headers, numbers),
 * which is skipped.  A line that is not a tag line continues the value
 * before it.  Dialects: Reference Manager and Google Scholar (T1, A1, JO,
 * Y1), Scopus and Web of Science (T2, N1 notes, DA), Zotero (A2 editors,
 * DA dates with times, L1 files), Mendeley (PY "1991/aug/", abbreviated
 * EP), EndNote (every type, C1-C8, M1-M4).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

/* RIS types and CSL types: the first line for a CSL type is what is written. */
static const struct fmt_type ris_types[] = {
	{ "JOUR", CVB_T_ARTICLE_JOURNAL }, { "BOOK", CVB_T_BOOK }, { "CHAP", CVB_T_CHAPTER },
	{ "CONF", CVB_T_PAPER_CONFERENCE }, { "THES", CVB_T_THESIS }, { "RPRT", CVB_T_REPORT },
	{ "PAT", CVB_T_PATENT }, { "ELEC", CVB_T_WEBPAGE }, { "DATA", CVB_T_DATASET },
	{ "COMP", CVB_T_SOFTWARE }, { "MAP", CVB_T_MAP }, { "CASE", CVB_T_LEGAL_CASE },
	{ "BILL", CVB_T_BILL }, { "STAT", CVB_T_LEGISLATION }, { "HEAR", CVB_T_HEARING },
	{ "UNPB", CVB_T_MANUSCRIPT }, { "PCOMM", CVB_T_PERSONAL_COMMUNICATION },
	{ "MGZN", CVB_T_ARTICLE_MAGAZINE }, { "NEWS", CVB_T_ARTICLE_NEWSPAPER },
	{ "MPCT", CVB_T_MOTION_PICTURE }, { "SOUND", CVB_T_SONG }, { "ART", CVB_T_GRAPHIC },
	{ "FIGURE", CVB_T_FIGURE }, { "BLOG", CVB_T_POST_WEBLOG }, { "STAND", CVB_T_STANDARD },
	{ "ENCYC", CVB_T_ENTRY_ENCYCLOPEDIA }, { "DICT", CVB_T_ENTRY_DICTIONARY },
	{ "PAMP", CVB_T_PAMPHLET }, { "GEN", CVB_T_DOCUMENT }, { "ABST", CVB_T_ARTICLE },
	{ "CLSWK", CVB_T_CLASSIC }, { "SLIDE", CVB_T_SPEECH }, { "MUSIC", CVB_T_MUSICAL_SCORE },
	{ "GRANT", CVB_T_DOCUMENT }, { "INPR", CVB_T_ARTICLE_JOURNAL }, { "PREPRINT", CVB_T_ARTICLE },
	{ "REVIEW", CVB_T_REVIEW }, { "INTERVIEW", CVB_T_INTERVIEW },
	/* read only */
	{ "JFULL", CVB_T_ARTICLE_JOURNAL }, { "EJOUR", CVB_T_ARTICLE_JOURNAL },
	{ "EBOOK", CVB_T_BOOK }, { "EDBOOK", CVB_T_BOOK }, { "WHOLE", CVB_T_BOOK },
	{ "SER", CVB_T_BOOK }, { "CTLG", CVB_T_BOOK }, { "ECHAP", CVB_T_CHAPTER },
	{ "CPAPER", CVB_T_PAPER_CONFERENCE }, { "GOVDOC", CVB_T_REPORT },
	{ "WEB", CVB_T_WEBPAGE }, { "ICOMM", CVB_T_PERSONAL_COMMUNICATION },
	{ "DBASE", CVB_T_DATASET }, { "AGGR", CVB_T_DATASET }, { "ANCIENT", CVB_T_CLASSIC },
	{ "CHART", CVB_T_FIGURE }, { "EQUA", CVB_T_FIGURE }, { "LEGAL", CVB_T_LEGISLATION },
	{ "MULTI", CVB_T_MOTION_PICTURE }, { "VIDEO", CVB_T_MOTION_PICTURE },
	{ "ADVS", CVB_T_MOTION_PICTURE }, { "MANSCPT", CVB_T_MANUSCRIPT },
	{ NULL, CVB_T_NONE }
};

/* one tag line and its continuation lines */
static bool
is_tag_line(const char *s, size_t n, size_t *vstart)
{
	size_t i = 2;

	if (n < 3 || !isupper((unsigned char)s[0]) ||
	    !(isupper((unsigned char)s[1]) || isdigit((unsigned char)s[1])))
		return false;
	while (i < n && s[i] == ' ')
		i++;
	if (i == 2 || i > 4 || i >= n || s[i] != '-')
		return false;
	i++;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return false;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*vstart = i;
	return true;
}

/* tags whose continuation lines start new lines of text */
static bool
multiline_tag(const char *t)
{
	return strcmp(t, "AB") == 0 || strcmp(t, "N1") == 0 || strcmp(t, "N2") == 0 ||
	    strcmp(t, "RN") == 0 || strcmp(t, "AD") == 0;
}

/* "1234" and "56" are "1234-1256"; "7160" and "4" are "7160-7164" */
static const char *
expand_last_page(struct fmt *f, const char *first, const char *last)
{
	size_t nf, nl;

	if (first == NULL || last == NULL)
		return last;
	nf = strlen(first);
	nl = strlen(last);
	if (nl >= nf || strspn(first, "0123456789") != nf || strspn(last, "0123456789") != nl)
		return last;
	/* "1204-22" is 1204-1222; "2025-07" is no range ending at 2007 */
	if (strcmp(first + nf - nl, last) >= 0)
		return last;
	return cvb_arena_printf(&f->b->arena, "%.*s%s", (int)(nf - nl), first, last);
}

static bool
looks_isbn(const char *s)
{
	size_t digits = 0;

	for (; *s != '\0' && *s != ' ' && *s != '('; s++)
		if (isdigit((unsigned char)*s) || *s == 'X' || *s == 'x')
			digits++;
	return digits == 10 || digits == 13;
}

/* the tags that set one variable with their value as it is */
static const struct fmt_tagvar ris_vars[] = {
	{ "TI|T1|CT", CVB_V_TITLE },
	{ "T3", CVB_V_COLLECTION_TITLE },
	{ "ST", CVB_V_TITLE_SHORT },
	{ "TT|OP", CVB_V_ORIGINAL_TITLE },
	{ "VL|VO", CVB_V_VOLUME },
	{ "IS|CP", CVB_V_ISSUE },
	{ "ET", CVB_V_EDITION },
	{ "NV", CVB_V_NUMBER_OF_VOLUMES },
	{ "SE", CVB_V_SECTION },
	{ "PB", CVB_V_PUBLISHER },
	{ "CY|PP", CVB_V_PUBLISHER_PLACE },
	{ "AB|N2", CVB_V_ABSTRACT },
	{ "LA", CVB_V_LANGUAGE },
	{ "CN", CVB_V_CALL_NUMBER },
	{ "DB|DP", CVB_V_SOURCE },
	{ "AN", CVB_V_ARCHIVE_LOCATION },
	{ NULL, CVB_V__COUNT },
};

/*
 * Build one item from a record; false when it holds nothing to cite.  Long,
 * but flat: one branch per RIS tag, read as the tag table it is; the tags
 * that depend on others (BT/T2/JF/JO/JA for the container, SP/EP, PY/DA) are
 * settled after the loop.
 */
static bool
rec_item(struct fmt *f, struct fmt_trec *r)
{
	struct cvb_item *it;
	const char *ty = NULL, *sp = NULL, *ep = NULL, *id = NULL, *jo = NULL, *jf = NULL,
	    *ja = NULL, *t2 = NULL, *bt = NULL;
	struct cvb_date *py = NULL, *da = NULL;
	size_t i;
	unsigned col = 1;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].tag, "TY") == 0 && ty == NULL)
			ty = r->v[i].value;
	it = cvb_item_new(f->b, f->file, r->line, col);
	if (it == NULL)
		return false;
	it->type = fmt_type(ris_types, ty);
	if (it->type == CVB_T_NONE)	/* "TY  - Journal Article": EndNote's names */
		it->type = fmt_endnote_type(ty);
	if (it->type == CVB_T_NONE) {
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, r->line, 1,
		    "unknown RIS type '%s', read as a document", ty ? ty : "");
		it->type = CVB_T_DOCUMENT;
		it->type_raw = fmt_str(f, ty);
	}
	if (ty != NULL && strcasecmp(ty, "INPR") == 0)
		fmt_set(f, it, CVB_V_STATUS, "in press", false);
	for (i = 0; i < r->n; i++) {
		const char *t = r->v[i].tag, *v = r->v[i].value;

		if (*v == '\0' || strcmp(t, "TY") == 0 || strcmp(t, "ER") == 0)
			continue;
		if (fmt_tag_set(f, it, ris_vars, t, v))
			continue;
		if (strcmp(t, "AU") == 0 || strcmp(t, "A1") == 0)
			fmt_add_name(f, it, CVB_NV_AUTHOR, v, strlen(v));
		else if (strcmp(t, "A2") == 0 || strcmp(t, "ED") == 0)
			fmt_add_name(f, it, CVB_NV_EDITOR, v, strlen(v));
		else if (strcmp(t, "A3") == 0)
			fmt_add_name(f, it, CVB_NV_COLLECTION_EDITOR, v, strlen(v));
		else if (strcmp(t, "A4") == 0)
			fmt_add_name(f, it, CVB_NV_TRANSLATOR, v, strlen(v));
		else if (strcmp(t, "BT") == 0)
			bt = v;
		else if (strcmp(t, "T2") == 0)
			t2 = v;
		else if (strcmp(t, "JF") == 0)
			jf = v;
		else if (strcmp(t, "JO") == 0)
			jo = v;
		else if (strcmp(t, "JA") == 0 || strcmp(t, "J2") == 0 || strcmp(t, "J1") == 0) {
			if (ja == NULL)
				ja = v;
		} else if (strcmp(t, "PY") == 0 || strcmp(t, "Y1") == 0) {
			if (py == NULL && (py = fmt_date(f, v)) == NULL)
				cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, r->v[i].line, 7,
				    "no year in %s '%s'", t, v);
		} else if (strcmp(t, "DA") == 0) {
			if (da == NULL)
				da = fmt_date(f, v);
		} else if (strcmp(t, "Y2") == 0) {
			if (it->date[CVB_DV_ACCESSED] == NULL)
				it->date[CVB_DV_ACCESSED] = fmt_date(f, v);
		} else if (strcmp(t, "SP") == 0)
			sp = v;
		else if (strcmp(t, "EP") == 0)
			ep = v;
		else if (strcmp(t, "SN") == 0) {
			bool book = it->type == CVB_T_BOOK || it->type == CVB_T_CHAPTER ||
			    it->type == CVB_T_PATENT || it->type == CVB_T_REPORT;

			fmt_set(f, it, !fmt_looks_issn(v) && (book || looks_isbn(v)) ? CVB_V_ISBN : CVB_V_ISSN, v, false);
		} else if (strcmp(t, "DO") == 0) {
			if (!fmt_doi(f, it, v))
				cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, r->v[i].line, 7,
				    "not a DOI: '%s'", v);
		} else if (strcmp(t, "UR") == 0) {
			if (fmt_prefix(v, "//"))	/* protocol-relative */
				v = cvb_arena_printf(&f->b->arena, "https:%s", v);
			if (it->str[CVB_V_URL] == NULL)
				fmt_set(f, it, CVB_V_URL, v, false);
			else if (!(it->str[CVB_V_DOI] == NULL && fmt_doi(f, it, v) &&
			    strstr(v, "doi.org/") != NULL))
				fmt_extra(f, it, "UR", v);
		} else if (strcmp(t, "L1") == 0 || strcmp(t, "L4") == 0) {
			if (fmt_prefix(v, "doi:"))
				fmt_doi(f, it, v);
			else
				fmt_extra(f, it, "pdf", v);
		} else if (strcmp(t, "KW") == 0)
			fmt_keywords(f, it, v);
		else if (strcmp(t, "N1") == 0 || strcmp(t, "RN") == 0)
			fmt_append(f, it, CVB_V_NOTE, v, "\n");
		else if (strcmp(t, "ID") == 0)
			id = v;
		else if (strcmp(t, "M3") == 0) {
			if (strncmp(v, "10.", 3) != 0 || !fmt_doi(f, it, v))	/* SciFinder */
				fmt_set(f, it, CVB_V_GENRE, v, false);
		}
		else {
			/* a tag no mapping knows; repeated ones in one field, a line each */
			struct cvb_field *x;

			for (x = it->extra; x != NULL && strcmp(x->name, t) != 0; x = x->next)
				;
			if (x != NULL)
				x->value = cvb_arena_printf(&f->b->arena, "%s\n%s", x->value, v);
			else
				fmt_extra(f, it, t, v);
		}
	}
	if (it->str[CVB_V_TITLE] == NULL && it->str[CVB_V_TITLE_SHORT] != NULL) {
		it->str[CVB_V_TITLE] = it->str[CVB_V_TITLE_SHORT];
		it->str[CVB_V_TITLE_SHORT] = NULL;
	}
	/* the container: T2, JF, JO in that order; an abbreviation is short */
	{
		const char *full = t2 ? t2 : jf ? jf : jo ? jo : NULL;

		if (bt != NULL && (it->type == CVB_T_BOOK) && it->str[CVB_V_TITLE] == NULL)
			fmt_set(f, it, CVB_V_TITLE, bt, false);
		else if (bt != NULL && full == NULL)
			full = bt;
		fmt_set(f, it, CVB_V_CONTAINER_TITLE, full, false);
		if (jo != NULL && full != jo)
			fmt_set(f, it, CVB_V_CONTAINER_TITLE_SHORT, jo, false);
		else if (ja != NULL && (full == NULL || strcmp(ja, full) != 0))
			fmt_set(f, it, full ? CVB_V_CONTAINER_TITLE_SHORT : CVB_V_CONTAINER_TITLE, ja, false);
	}
	/* pages; for a whole book SP is its number of pages (EndNote) */
	if (sp != NULL && ep == NULL && it->type == CVB_T_BOOK && strspn(sp, "0123456789") == strlen(sp))
		fmt_set(f, it, CVB_V_NUMBER_OF_PAGES, sp, false);
	else
		fmt_pages(f, it, sp, expand_last_page(f, fmt_str(f, sp), fmt_str(f, ep)));
	/* DA is the fuller date, PY the year */
	if (da != NULL && (py == NULL || (da->parts[0][0] == py->parts[0][0] && da->nparts[0] > py->nparts[0])))
		py = da;
	it->date[CVB_DV_ISSUED] = py;
	/* a record that names no work is no entry, unless it has its own ID (a
	 * key's entry written back, as cvbib writes an entry without a title) */
	if (it->str[CVB_V_TITLE] == NULL && it->names[CVB_NV_AUTHOR] == NULL &&
	    it->str[CVB_V_CONTAINER_TITLE] == NULL && id == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, r->line, 1,
		    "RIS record with no title, author or source");
		cvb_item_drop_last(f->b);
		return false;
	}
	/* LaTeX math in the text, as cvbib's RIS writer and BibTeX exports
	 * (Zotero's Better BibTeX) leave it: math again */
	{
		static const enum cvb_var text[] = {
			CVB_V_TITLE, CVB_V_TITLE_SHORT, CVB_V_ORIGINAL_TITLE,
			CVB_V_CONTAINER_TITLE, CVB_V_COLLECTION_TITLE, CVB_V_ABSTRACT, CVB_V_NOTE,
		};
		size_t k;

		for (k = 0; k < CVB_ARRAY_SIZE(text); k++)
			it->str[text[k]] = fmt_math(f, it->str[text[k]]);
	}
	fmt_key(f, it, id);
	return true;
}

int
cvb_read_ris(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	struct fmt_trec r = { NULL, 0, 0, 0 };
	struct fmt_lines ln;
	const char *p;
	size_t n;
	unsigned line = 0;
	enum { OUT, IN, SKIP } st = OUT;
	int rc;

	(void)opts;
	fmt_begin(&f, b, file, d);
	fmt_lines_init(&ln, data, len);
	while (fmt_lines_next(&ln, &p, &n, false)) {
		size_t vs;

		line = ln.line;
		if (is_tag_line(p, n, &vs)) {
			const char *v = p + vs;
			size_t vn = n - vs;

			while (vn > 0 && isspace((unsigned char)v[vn - 1]))
				vn--;
			if (strncmp(p, "TY", 2) == 0) {
				if (st == IN) {
					cvb_diag(d, CVB_D_FMT_BAD_VALUE, file, line, 1,
					    "the RIS record of line %u has no 'ER' line; it ends here", r.line);
					rec_item(&f, &r);
				}
				fmt_trec_clear(&r);
				r.line = line;
				st = IN;
				if (fmt_trec_add(&r, "TY", 2, v, vn, line) != 0)
					break;
			} else if (strncmp(p, "ER", 2) == 0) {
				if (st == IN)
					rec_item(&f, &r);
				fmt_trec_clear(&r);
				st = OUT;
			} else if (st == OUT) {
				cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, line, 1,
				    "RIS record without a 'TY' line (it starts with '%.2s')", p);
				st = SKIP;
			} else if (st == IN) {
				if (fmt_trec_add(&r, p, 2, v, vn, line) != 0)
					break;
			}
		} else if (st == IN && r.n > 0) {
			if (fmt_trec_cont(&r, p, n, multiline_tag(r.v[r.n - 1].tag) ? '\n' : ' ') != 0)
				break;
		}
	}
	if (st == IN) {
		cvb_diag(d, CVB_D_FMT_BAD_VALUE, file, line, 1,
		    "the RIS record of line %u has no 'ER' line", r.line);
		rec_item(&f, &r);
	}
	fmt_trec_release(&r);
	rc = fmt_end(&f, "no RIS records ('TY  - ' ... 'ER  - ')");
	return rc;
}

/* ------------------------------------------------------------ writing */

static void
put(struct cvb_buf *o, const char *tag, const char *v)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p;

	if (v == NULL || *v == '\0')
		return;
	cvb_rich_plain(&t, v);
	cvb_buf_addf(o, "%s  - ", tag);
	for (p = t.buf; *p != '\0'; p++) {
		if (*p == '\n') {
			/* a continuation line, indented so that it never reads as a tag */
			cvb_buf_adds(o, "\n      ");
			continue;
		}
		if (*p != '\r')
			cvb_buf_addch(o, *p);
	}
	cvb_buf_addch(o, '\n');
	cvbib_buf_release(&t);
}

static void
put_names(struct cvb_buf *o, const char *tag, const struct cvb_name *n)
{
	struct cvb_buf t = CVB_BUF_INIT;

	for (; n != NULL; n = n->next) {
		cvb_buf_reset(&t);
		if (n->flags & CVB_NF_OTHERS)
			continue;
		if (n->literal != NULL)
			cvb_buf_adds(&t, n->literal);
		else {
			if (n->non_dropping_particle)
				cvb_buf_addf(&t, "%s ", n->non_dropping_particle);
			if (n->family)
				cvb_buf_adds(&t, n->family);
			if (n->given || n->dropping_particle) {
				cvb_buf_adds(&t, ", ");
				if (n->given)
					cvb_buf_adds(&t, n->given);
				if (n->dropping_particle)
					cvb_buf_addf(&t, "%s%s", n->given ? " " : "", n->dropping_particle);
			}
			if (n->suffix)
				cvb_buf_addf(&t, ", %s", n->suffix);
		}
		put(o, tag, t.buf);
	}
	cvbib_buf_release(&t);
}

static const char *
ris_type_out(const struct cvb_item *it)
{
	const struct fmt_type *t;

	for (t = ris_types; t->name != NULL; t++)
		if (t->type == it->type)
			return t->name;
	if (it->type == CVB_T_POST)
		return "BLOG";
	return "GEN";
}

static void
put_date(struct cvb_buf *o, const char *tag, const struct cvb_date *d, bool year_only)
{
	if (d == NULL || d->nparts[0] == 0) {
		if (d != NULL && d->literal != NULL)
			put(o, tag, d->literal);
		return;
	}
	if (year_only || d->nparts[0] == 1) {
		cvb_buf_addf(o, "%s  - %04d\n", tag, d->parts[0][0]);
		return;
	}
	cvb_buf_addf(o, "%s  - %04d/%02d/", tag, d->parts[0][0], d->parts[0][1]);
	if (d->nparts[0] > 2)
		cvb_buf_addf(o, "%02d", d->parts[0][2]);
	cvb_buf_adds(o, "/\n");
}

/* What RIS cannot hold, once per field and output (lost[]: reported already). */
static void
ris_lost(struct cvbib_diags *d, const struct cvb_item *it, const char *what, json_t *lost)
{
	if (lost == NULL || json_object_get(lost, what) != NULL)
		return;
	json_object_set_new(lost, what, json_true());
	cvb_diag(d, CVB_D_RIS_LOST, it->loc.file, it->loc.line, it->loc.column,
	    "%s (first in '%s')", what, it->key ? it->key : it->id ? it->id : "?");
}

/* Does the name part s hold a word that starts in lower case (which reads
 * back as a particle) or a comma (which starts another part)? */
static bool
part_splits(const char *s, bool family)
{
	const char *p;

	if (s == NULL)
		return false;
	if (strchr(s, ',') != NULL || strchr(s, '\\') != NULL)
		return true;
	if (!family)
		return false;
	for (p = s; *p != '\0'; p++)
		if ((p == s || p[-1] == ' ') && islower((unsigned char)*p))
			return p != s || strchr(s, ' ') != NULL;
	return false;
}

/*
 * The names RIS does not give back as they are: "and others" (RIS has no et
 * al.), a name in one piece (an organisation: read back in parts), and parts
 * that read back as other parts.  Reported under the list's CSL name.
 */
static void
ris_names_lost(struct cvbib_diags *d, const struct cvb_item *it, json_t *lost)
{
	static const enum cvb_nvar lists[] = {
		CVB_NV_AUTHOR, CVB_NV_EDITOR, CVB_NV_COLLECTION_EDITOR, CVB_NV_TRANSLATOR,
	};
	const struct cvb_name *n;
	char what[128];
	size_t k;

	for (k = 0; k < CVB_ARRAY_SIZE(lists); k++)
		for (n = it->names[lists[k]]; n != NULL; n = n->next) {
			const char *why = NULL;

			if (n->flags & CVB_NF_OTHERS)
				why = "\"and others\": RIS has no et al.";
			else if (n->literal != NULL || (n->flags & CVB_NF_INSTITUTION))
				why = "a name in one piece is read back in parts";
			else if (part_splits(n->family, true) || part_splits(n->given, false) ||
			    part_splits(n->suffix, false) || n->dropping_particle != NULL ||
			    (n->non_dropping_particle != NULL && strchr(n->non_dropping_particle, ',')))
				why = "a name part that reads back as another part";
			if (why == NULL)
				continue;
			snprintf(what, sizeof(what), "%s (%s)", cvb_nvar_name(lists[k]), why);
			ris_lost(d, it, what, lost);
		}
}

/*
 * Everything of the item that the writer below has no tag for: the other
 * variables, name lists and dates, extra fields without a tag's name, and
 * the CV data (notes, marks, selected, the CV section).
 */
static void
report_lost(struct cvbib_diags *d, const struct cvb_item *it, json_t *lost)
{
	static const enum cvb_var written[] = {
		CVB_V_TITLE, CVB_V_TITLE_SHORT, CVB_V_CONTAINER_TITLE, CVB_V_CONTAINER_TITLE_SHORT,
		CVB_V_COLLECTION_TITLE, CVB_V_ORIGINAL_TITLE, CVB_V_VOLUME, CVB_V_ISSUE,
		CVB_V_EDITION, CVB_V_NUMBER_OF_VOLUMES, CVB_V_SECTION, CVB_V_PAGE, CVB_V_PUBLISHER,
		CVB_V_PUBLISHER_PLACE, CVB_V_ISBN, CVB_V_ISSN, CVB_V_DOI, CVB_V_URL, CVB_V_KEYWORD,
		CVB_V_ABSTRACT, CVB_V_NOTE, CVB_V_LANGUAGE, CVB_V_CALL_NUMBER, CVB_V_SOURCE,
		CVB_V_GENRE, CVB_V_ARCHIVE_LOCATION, CVB_V_CITATION_KEY,
	};
	const char *cvm[8];
	const struct cvb_field *x;
	size_t i, k;

	for (i = 0; i < CVB_V__COUNT; i++) {
		if (it->str[i] == NULL)
			continue;
		for (k = 0; k < CVB_ARRAY_SIZE(written); k++)
			if ((size_t)written[k] == i)
				break;
		if (k == CVB_ARRAY_SIZE(written) && !(i == CVB_V_NUMBER_OF_PAGES &&
		    it->type == CVB_T_BOOK && it->str[CVB_V_PAGE] == NULL))
			ris_lost(d, it, cvb_var_name((enum cvb_var)i), lost);
	}
	for (i = 0; i < CVB_NV__COUNT; i++)
		if (it->names[i] != NULL && i != CVB_NV_AUTHOR && i != CVB_NV_EDITOR &&
		    i != CVB_NV_COLLECTION_EDITOR && i != CVB_NV_TRANSLATOR)
			ris_lost(d, it, cvb_nvar_name((enum cvb_nvar)i), lost);
	for (i = 0; i < CVB_DV__COUNT; i++)
		if (it->date[i] != NULL && i != CVB_DV_ISSUED && i != CVB_DV_ACCESSED)
			ris_lost(d, it, cvb_dvar_name((enum cvb_dvar)i), lost);
	for (x = it->extra; x != NULL; x = x->next)
		if (!(strcmp(x->name, "pdf") == 0 || (strlen(x->name) == 2 &&
		    isupper((unsigned char)x->name[0]) && (isupper((unsigned char)x->name[1]) ||
		    isdigit((unsigned char)x->name[1])) && !(x->flags & CVB_FF_JSON))))
			ris_lost(d, it, x->name, lost);
	/* the CV metadata, by the names CSL-JSON's custom gives it */
	for (k = 0, i = cvb_item_cv_members(it, cvm); k < i; k++)
		ris_lost(d, it, cvm[k], lost);
	/* a type that TY does not give back */
	if (it->type_raw != NULL)
		ris_lost(d, it, "type (a type no CSL type stands for, kept as written)", lost);
	else if (it->type != CVB_T_NONE && fmt_type(ris_types, ris_type_out(it)) != it->type)
		ris_lost(d, it, "type (RIS has no type of its own for it)", lost);
	/* SP and EP: an open range ("123-") reads back as one page */
	if (it->str[CVB_V_PAGE] != NULL && *it->str[CVB_V_PAGE] != '\0' &&
	    it->str[CVB_V_PAGE][strlen(it->str[CVB_V_PAGE]) - 1] == '-')
		ris_lost(d, it, "page (an open range)", lost);
	/* a short journal title without the full one is read back as the title,
	 * one the same as the full title as nothing (J2 repeating T2) */
	if (it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL && (it->str[CVB_V_CONTAINER_TITLE] == NULL ||
	    strcmp(it->str[CVB_V_CONTAINER_TITLE], it->str[CVB_V_CONTAINER_TITLE_SHORT]) == 0))
		ris_lost(d, it, "container-title-short (without a container-title of its own)", lost);
	/* one date each: no range, season or date as text */
	for (i = 0; i < CVB_DV__COUNT; i++) {
		const struct cvb_date *dt = it->date[i];

		if (dt != NULL && (i == CVB_DV_ISSUED || i == CVB_DV_ACCESSED) &&
		    (dt->nparts[0] == 0 || dt->range || dt->nparts[1] > 0 || dt->season ||
		    dt->literal != NULL || dt->circa || dt->raw != NULL)) {
			char what[96];

			snprintf(what, sizeof(what), "%s (RIS holds one date: %s)",
			    cvb_dvar_name((enum cvb_dvar)i), "no range, season or text");
			ris_lost(d, it, what, lost);
		}
	}
	ris_names_lost(d, it, lost);
}

int
cvb_write_ris(cvbib_biblio *b, const struct cvbib_options *opts, struct cvb_buf *out,
    struct cvbib_diags *d)
{
	size_t i;
	json_t *lost = json_object();

	(void)opts;
	for (i = 0; i < b->n; i++) {
		const struct cvb_item *it = b->items[i];
		const struct cvb_field *x;
		const char *pg = it->str[CVB_V_PAGE], *dash;
		bool book = it->type == CVB_T_BOOK || it->type == CVB_T_CHAPTER;

		if (i > 0)
			cvb_buf_addch(out, '\n');
		cvb_buf_addf(out, "TY  - %s\n", it->type_raw && it->type == CVB_T_DOCUMENT ?
		    it->type_raw : ris_type_out(it));
		put_names(out, "AU", it->names[CVB_NV_AUTHOR]);
		put_names(out, "A2", it->names[CVB_NV_EDITOR]);
		put_names(out, "A3", it->names[CVB_NV_COLLECTION_EDITOR]);
		put_names(out, "A4", it->names[CVB_NV_TRANSLATOR]);
		put(out, "TI", it->str[CVB_V_TITLE]);
		put(out, "ST", it->str[CVB_V_TITLE_SHORT]);
		put(out, "T2", it->str[CVB_V_CONTAINER_TITLE]);
		put(out, "J2", it->str[CVB_V_CONTAINER_TITLE_SHORT]);
		put(out, "T3", it->str[CVB_V_COLLECTION_TITLE]);
		put(out, "OP", it->str[CVB_V_ORIGINAL_TITLE]);
		put_date(out, "PY", it->date[CVB_DV_ISSUED], true);
		if (it->date[CVB_DV_ISSUED] != NULL && it->date[CVB_DV_ISSUED]->nparts[0] > 1)
			put_date(out, "DA", it->date[CVB_DV_ISSUED], false);
		put_date(out, "Y2", it->date[CVB_DV_ACCESSED], false);
		put(out, "VL", it->str[CVB_V_VOLUME]);
		put(out, "IS", it->str[CVB_V_ISSUE]);
		put(out, "ET", it->str[CVB_V_EDITION]);
		put(out, "NV", it->str[CVB_V_NUMBER_OF_VOLUMES]);
		put(out, "SE", it->str[CVB_V_SECTION]);
		if (pg != NULL && (dash = strchr(pg, '-')) != NULL) {
			char *first = strndup(pg, (size_t)(dash - pg));

			if (first == NULL)
				cvb_nomem();
			put(out, "SP", first);
			free(first);
			while (*dash == '-')
				dash++;
			put(out, "EP", dash);
		} else if (pg != NULL)
			put(out, "SP", pg);
		else if (it->type == CVB_T_BOOK)
			put(out, "SP", it->str[CVB_V_NUMBER_OF_PAGES]);
		put(out, "PB", it->str[CVB_V_PUBLISHER]);
		put(out, "CY", it->str[CVB_V_PUBLISHER_PLACE]);
		put(out, "SN", it->str[CVB_V_ISBN] && (book || !it->str[CVB_V_ISSN]) ?
		    it->str[CVB_V_ISBN] : it->str[CVB_V_ISSN]);
		if (it->str[CVB_V_ISBN] && it->str[CVB_V_ISSN])
			put(out, "SN", book ? it->str[CVB_V_ISSN] : it->str[CVB_V_ISBN]);
		put(out, "DO", it->str[CVB_V_DOI]);
		put(out, "UR", it->str[CVB_V_URL]);
		if (it->str[CVB_V_KEYWORD] != NULL) {
			const char *p = it->str[CVB_V_KEYWORD];

			while (*p != '\0') {
				size_t n = strcspn(p, ",;");
				char *k = strndup(p, n);

				if (k != NULL) {
					char *s = k;

					while (*s == ' ')
						s++;
					put(out, "KW", s);
					free(k);
				}
				p += n;
				if (*p != '\0')
					p++;
			}
		}
		put(out, "AB", it->str[CVB_V_ABSTRACT]);
		{
			/* its note, or its awards and remarks as CSL-JSON has them */
			struct cvb_buf a = CVB_BUF_INIT;
			const char *rn = cvb_item_remark_note(it, &a);

			put(out, "N1", rn != NULL ? rn : it->str[CVB_V_NOTE]);
			cvbib_buf_release(&a);
		}
		put(out, "LA", it->str[CVB_V_LANGUAGE]);
		put(out, "CN", it->str[CVB_V_CALL_NUMBER]);
		put(out, "DB", it->str[CVB_V_SOURCE]);
		put(out, "M3", it->str[CVB_V_GENRE]);
		put(out, "AN", it->str[CVB_V_ARCHIVE_LOCATION]);
		for (x = it->extra; x != NULL; x = x->next) {
			if (strcmp(x->name, "pdf") == 0)
				put(out, "L1", x->value);
			else if (strlen(x->name) == 2 && isupper((unsigned char)x->name[0]) &&
			    (isupper((unsigned char)x->name[1]) || isdigit((unsigned char)x->name[1])) &&
			    !(x->flags & CVB_FF_JSON)) {
				const char *p = x->value;

				while (*p != '\0') {	/* a line each: repeated tags */
					size_t n = strcspn(p, "\n");
					char *v = strndup(p, n);

					if (v != NULL)
						put(out, x->name, v);
					free(v);
					p += n;
					if (*p != '\0')
						p++;
				}
			}
		}
		put(out, "ID", it->key ? it->key : it->id);
		cvb_buf_adds(out, "ER  - \n");
		report_lost(d, it, lost);
	}
	json_decref(lost);
	if (out->err) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return 0;
}
