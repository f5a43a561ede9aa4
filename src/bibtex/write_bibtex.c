/*
 * write_bibtex.c - the BibTeX and biblatex writers.
 *
 * --format bibtex writes classic BibTeX: BibTeX entry types and field names,
 * year and month (as a macro), and non-ASCII text LaTeX-encoded ({\"u}) so
 * that 8-bit BibTeX works.  --format biblatex writes UTF-8 with biblatex types
 * and fields (journaltitle, date, location, ...).  Both write the entries in
 * model order, each preceded by the @string, @preamble, @comment and @xdata
 * blocks and free text that came before it in the BibTeX input; fields come
 * in the order of the "out" rows of data/bibtex-fields.tsv (documented in
 * doc/bibtex.md), then notes, flags and the extra fields in input order.
 *
 * Every text value goes through cvb_latex_from_rich(), which escapes all that
 * TeX could read as a command: metadata can never inject LaTeX.  Only extra
 * fields read from BibTeX (CVB_FF_BIBTEX), the blocks, and fields whose LaTeX
 * the reader found harmless (struct cvb_bibsrc, cvb_latex_keep()) are written
 * back as the LaTeX they were.
 *
 * Citation keys are kept when present, else made from --key-pattern and made
 * unique (bibmap.c).  The writer allocates only scratch memory.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "cvb_int.h"

struct wr {
	cvbib_biblio	*b;
	const struct cvbib_options *o;
	struct cvbib_diags *d;
	struct cvb_buf	*out;
	bool		 biblatex;
	unsigned	 lflags;	/* CVB_LTX_ASCII or 0 */
	/* the entry being written */
	const struct cvb_item *it;
	const char	*type;
	const char	*used[64];
	size_t		 nused;
	bool		 first_field;
	struct cvb_buf	 tmp;
	struct cvb_keyset lossy;	/* "file\x1ffield" already reported */
};

static bool
extra_has(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (strcasecmp(f->name, name) == 0)
			return true;
	return false;
}

static bool
name_free(struct wr *w, const char *name)
{
	size_t i;

	if (extra_has(w->it, name))
		return false;
	for (i = 0; i < w->nused; i++)
		if (strcasecmp(w->used[i], name) == 0)
			return false;
	return true;
}

/* Start a field: "  name = " */
static void
field_start(struct wr *w, const char *name)
{
	if (!w->first_field)
		cvb_buf_adds(w->out, ",\n");
	w->first_field = false;
	cvb_buf_addf(w->out, "  %s = ", name);
	if (w->nused < CVB_ARRAY_SIZE(w->used))
		w->used[w->nused++] = name;
}

static void
field_rich(struct wr *w, const char *name, const char *rich)
{
	field_start(w, name);
	cvb_buf_addch(w->out, '{');
	cvb_latex_from_rich(w->out, rich, w->lflags);
	cvb_buf_addch(w->out, '}');
}

/* Pick the field name for a variable from "a|b" candidates (static strings). */
static const char *
pick(struct wr *w, const char *cands, char *buf, size_t bufsz)
{
	const char *p = cands;

	while (*p) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n < bufsz) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			if (name_free(w, buf))
				return buf;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return NULL;
}

/*
 * Pick a field name for variable v: the candidates in turn, then any field
 * the reader maps to v, then the CSL name itself.
 */
static const char *
pick_var(struct wr *w, const char *cands, struct cvb_varref v, char *buf, size_t bufsz)
{
	const struct cvb_bt_fieldin *fi;
	const char *n = pick(w, cands, buf, bufsz);
	size_t i;

	if (n != NULL)
		return n;
	for (fi = cvb_bt_fields_in; fi->field != NULL; fi++) {
		struct cvb_bfield f = cvb_bibtex_field(fi->field, strlen(fi->field));

		if ((f.kind == CVB_BFK_STR || f.kind == CVB_BFK_VERB || f.kind == CVB_BFK_PAGE ||
		    f.kind == CVB_BFK_NAME || f.kind == CVB_BFK_DATE) &&
		    f.var.kind == v.kind && f.var.idx == v.idx && name_free(w, fi->field) &&
		    strlen(fi->field) < bufsz) {
			memcpy(buf, fi->field, strlen(fi->field) + 1);
			return buf;
		}
	}
	n = v.kind == CVB_VK_NAME ? cvb_nvar_name((enum cvb_nvar)v.idx) : v.kind == CVB_VK_DATE
	    ? cvb_dvar_name((enum cvb_dvar)v.idx) : cvb_var_name((enum cvb_var)v.idx);
	for (i = 0; n[i] && i + 1 < bufsz; i++)
		buf[i] = (char)tolower((unsigned char)n[i]);
	buf[i] = '\0';
	return name_free(w, buf) ? buf : NULL;
}

static bool
type_is(const char *t, const char *list)
{
	size_t n = strlen(t);
	const char *p;

	for (p = list; (p = strstr(p, t)) != NULL; p++)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static const char *
container_field(struct wr *w)
{
	if (type_is(w->type, "article periodical suppperiodical review"))
		return w->biblatex ? "journaltitle|journal|booktitle" : "journal|booktitle|journaltitle";
	return w->biblatex ? "booktitle|journaltitle|journal" : "booktitle|journal|journaltitle";
}

static const char *
publisher_field(struct wr *w)
{
	if (type_is(w->type, "phdthesis mastersthesis thesis"))
		return w->biblatex ? "institution|school|publisher" : "school|institution|publisher";
	if (type_is(w->type, "techreport report"))
		return "institution|publisher|organization";
	if (type_is(w->type, "misc booklet unpublished"))
		return "howpublished|publisher|organization";
	if (type_is(w->type, "manual online"))
		return "organization|publisher|howpublished";
	return "publisher|organization|howpublished";
}

/* A date as EDTF/biblatex: 2024, 2024-03-05, 2024-21 (spring), 2001/2003, 2004/, 1990~ */
static void
date_edtf(struct cvb_buf *o, const struct cvb_date *d)
{
	int r;

	for (r = 0; r < (d->range ? 2 : 1); r++) {
		const int *p = d->parts[r];

		if (r == 1) {
			cvb_buf_addch(o, '/');
			if (d->open_end || d->nparts[1] == 0)
				break;
		}
		if (d->nparts[r] == 0)
			continue;
		/* CSL's 2011 BC (-2011) is EDTF's astronomical year -2010 */
		if (p[0] < 0)
			cvb_buf_addf(o, p[0] == -1 ? "%04d" : "-%04d", -p[0] - 1);
		else
			cvb_buf_addf(o, "%04d", p[0]);
		if (d->nparts[r] >= 2)
			cvb_buf_addf(o, "-%02d", p[1]);
		else if (r == 0 && d->season >= 1 && d->season <= 4)
			cvb_buf_addf(o, "-%02d", 20 + d->season);
		if (d->nparts[r] >= 3)
			cvb_buf_addf(o, "-%02d", p[2]);
		if (d->circa)
			cvb_buf_addch(o, '~');
	}
}

static bool
date_simple(const struct cvb_date *d)
{
	/* a month outside 1-12 (CSL's seasons 21-24 included) has no macro, and
	 * a day outside 1-31 is no day: both go to 'date' (issue 20) */
	return d->nparts[0] >= 1 && !d->range && !d->circa && d->season == 0 &&
	    d->season_str == NULL && d->literal == NULL && d->parts[0][0] != 0 &&
	    (d->nparts[0] < 2 || cvb_bibtex_month_macro(d->parts[0][1]) != NULL) &&
	    (d->nparts[0] < 3 || (d->parts[0][2] >= 1 && d->parts[0][2] <= 31));
}

static const char *
extra_get(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (strcasecmp(f->name, name) == 0)
			return f->value;
	return NULL;
}

/*
 * Can a simple date go into year/month/day without mixing with extra fields
 * of those names?  A year alone can sit beside an extra month the reader
 * could not make sense of ("apr # - # may"): it reads back the same.
 */
static bool
ymd_fits(struct wr *w, const struct cvb_date *d)
{
	const char *m = extra_get(w->it, "month");

	if (d->nparts[0] == 1)
		return (m == NULL || cvb_bibtex_month(m, strlen(m)) == 0) &&
		    (m != NULL || extra_get(w->it, "day") == NULL);
	return name_free(w, "month") && name_free(w, "day");
}

static void
write_date(struct wr *w, const char *name, const struct cvb_date *d, bool issued)
{
	if (d->nparts[0] == 0) {
		const char *lit = d->literal ? d->literal : d->raw;

		if (lit == NULL)
			return;
		/*
		 * Not a date BibTeX or biblatex can read: the text in 'year',
		 * unless it is not ASCII (१९८७: TeX could not print it, and the
		 * input had it in 'date', which BibTeX ignores).
		 */
		bool ascii = true;
		const char *q;

		for (q = lit; *q; q++)
			if ((unsigned char)*q >= 0x80)
				ascii = false;
		if (issued && name_free(w, "year") && ascii)
			field_rich(w, "year", lit);
		else if (issued && name_free(w, "date"))
			field_rich(w, "date", lit);
		else if (!issued && name_free(w, name))
			field_rich(w, name, lit);
		return;
	}
	if (issued && (!w->biblatex || !name_free(w, "date")) && date_simple(d) &&
	    name_free(w, "year") && ymd_fits(w, d)) {
		if (name_free(w, "year")) {
			field_start(w, "year");
			cvb_buf_addf(w->out, "{%d}", d->parts[0][0]);
		}
		if (d->nparts[0] >= 2 && name_free(w, "month")) {
			field_start(w, "month");
			cvb_buf_adds(w->out, cvb_bibtex_month_macro(d->parts[0][1]));
		}
		if (d->nparts[0] >= 3 && name_free(w, "day")) {
			field_start(w, "day");
			cvb_buf_addf(w->out, "{%d}", d->parts[0][2]);
		}
		return;
	}
	if (issued)
		name = w->biblatex || !name_free(w, "year") || !ymd_fits(w, d) ? "date" : "year";
	if (!name_free(w, name))
		return;
	field_start(w, name);
	cvb_buf_addch(w->out, '{');
	date_edtf(w->out, d);
	cvb_buf_addch(w->out, '}');
}

/* Page ranges: a single '-' becomes '--'. */
static void
write_pages(struct wr *w, const char *name, const char *s)
{
	struct cvb_buf *t = &w->tmp;
	const char *p;

	cvb_buf_reset(t);
	for (p = s; *p; p++) {
		if (*p == '-' && p[1] != '-' && (p == s || p[-1] != '-'))
			cvb_buf_adds(t, "\xe2\x80\x93");
		else
			cvb_buf_addch(t, *p);
	}
	field_rich(w, name, t->buf);
}

static bool
verbatim_var(int v)
{
	return v == CVB_V_DOI || v == CVB_V_URL || v == CVB_V_ARCHIVE_LOCATION;
}

static bool
braces_balanced(const char *s)
{
	int d = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			continue;
		}
		if (*s == '{')
			d++;
		else if (*s == '}' && --d < 0)
			return false;
	}
	return d == 0;
}

/* A field name BibTeX can read: letters, digits and -_.:+ */
static void
safe_name(char *dst, size_t n, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (isalnum(c) || strchr("-_.:+/", c)) ? (char)c : '-';
	}
	dst[i] = '\0';
	if (i == 0)
		snprintf(dst, n, "field");
}

static const char *
note_field(enum cvb_note_kind k)
{
	switch (k) {
	case CVB_NOTE_AWARD: return "award";
	case CVB_NOTE_STATUS: return "pubstate";
	case CVB_NOTE_PRESENTATION: return "presentation";
	default: return "addendum";
	}
}

static void
write_notes(struct wr *w)
{
	static const enum cvb_note_kind kinds[] = {
		CVB_NOTE_AWARD, CVB_NOTE_STATUS, CVB_NOTE_PRESENTATION, CVB_NOTE_OTHER,
	};
	size_t k;

	for (k = 0; k < CVB_ARRAY_SIZE(kinds); k++) {
		const struct cvb_note *n;
		struct cvb_buf joined = CVB_BUF_INIT;

		for (n = w->it->notes; n != NULL; n = n->next)
			if (n->kind == kinds[k]) {
				if (joined.len > 0)
					cvb_buf_adds(&joined, "; ");
				cvb_buf_adds(&joined, n->text);
			}
		if (joined.len > 0 && name_free(w, note_field(kinds[k])))
			field_rich(w, note_field(kinds[k]), joined.buf);
		cvbib_buf_release(&joined);
	}
}

/* Text BibTeX (7-bit) can take as it is; biblatex takes UTF-8 */
static bool
is_ascii(const char *s, const struct wr *w)
{
	if (!(w->lflags & CVB_LTX_ASCII))
		return true;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* A URL or file path: no white space, a scheme or a slash */
static bool
looks_verbatim(const char *s)
{
	return *s != '\0' && strpbrk(s, " \t\n") == NULL &&
	    (strstr(s, "://") != NULL || strncmp(s, "www.", 4) == 0 ||
	    (strchr(s, '/') != NULL && strchr(s, '.') != NULL));
}

/* Text of a field no mapping knows that can go as it is (see below) */
static bool
plain_extra(const struct wr *w, const char *s)
{
	return strpbrk(s, "\\{}<>\n\r") == NULL && is_ascii(s, w) &&
	    cvb_utf8_valid(s, strlen(s));
}

/* One scalar of a CSL-JSON "custom" value as field text.  A field no
 * mapping knows is not typeset by biblatex: text without a backslash or a
 * brace goes as it is (BibTeX reads it back the same); other text escaped. */
static bool
json_scalar_value(struct wr *w, json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		if (looks_verbatim(s))
			cvb_latex_verbatim(w->out, s);
		else if (plain_extra(w, s))
			cvb_buf_adds(w->out, s);
		else
			cvb_latex_from_rich(w->out, s, w->lflags);
	} else if (json_is_integer(v))
		cvb_buf_addf(w->out, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		cvb_buf_addf(w->out, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		cvb_buf_adds(w->out, json_is_true(v) ? "true" : "false");
	else
		return false;
	return true;
}

/*
 * The value of a field kept from CSL-JSON or YAML ("custom"), JSON text, as
 * BibTeX would hold it: a string as its text (a URL verbatim), a number or
 * boolean as written, a list of those comma-separated ("1,2", as biblatex
 * lists keywords); anything else (objects, nested lists) stays JSON text.
 */
static void
json_field_value(struct wr *w, const char *name, const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL), *x;
	size_t i, start = w->out->len;
	bool ok = v != NULL;

	/* what BibTeX cannot hold is said once per field name and input */
	if ((json_is_array(v) && json_array_size(v) > 1 &&
	    json_is_string(json_array_get(v, 0))) || json_is_object(v)) {
		char *tag = cvb_arena_printf(&w->b->arena, "%s\x1f%s",
		    w->it->loc.file ? w->it->loc.file : "-", name);

		if (tag != NULL && !cvb_keyset_has(&w->lossy, tag)) {
			cvb_keyset_add(&w->lossy, tag);
			cvb_diag(w->d, CVB_D_BIB_LOSSY, w->it->loc.file, 0, 0,
			    "'%s' is %s; written as text", name,
			    json_is_object(v) ? "an object" : "a list");
		}
	}

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if (i > 0)
				cvb_buf_adds(w->out, json_is_string(x) ? ", " : ",");
			if (!json_scalar_value(w, x)) {
				ok = false;
				break;
			}
		}
	} else if (ok)
		ok = json_scalar_value(w, v);
	json_decref(v);
	if (!ok) {
		cvb_buf_setlen(w->out, start);
		cvb_latex_from_rich(w->out, text, w->lflags);
	}
}

/*
 * BibTeX has no annotation: the equal-contribution, corresponding-author and
 * highlight (the CV owner) marks of the authors go into fields of those names
 * ("1,2"), which are read back as the marks (cvb_cv_read_marks(); biblatex
 * gets author+an from cv_latex.c instead).
 */
static void
write_marks(struct wr *w)
{
	static const struct { const char *name; unsigned flag; } marks[] = {
		{ "equal-contribution", CVB_NF_EQUAL },
		{ "corresponding-author", CVB_NF_CORRESP },
		{ "highlight", CVB_NF_HIGHLIGHT },
	};
	size_t k;

	if (extra_has(w->it, "author+an"))
		return;
	for (k = 0; k < CVB_ARRAY_SIZE(marks); k++) {
		const struct cvb_name *n;
		unsigned pos = 0;
		bool any = false;

		if (!name_free(w, marks[k].name))
			continue;
		for (n = w->it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
			pos++;
			if (!(n->flags & marks[k].flag))
				continue;
			if (!any)
				field_start(w, marks[k].name), cvb_buf_addch(w->out, '{');
			cvb_buf_addf(w->out, "%s%u", any ? "," : "", pos);
			any = true;
		}
		if (any)
			cvb_buf_addch(w->out, '}');
	}
}

/* Flags for writing the item's names: biblatex's format and useprefix. */
static unsigned
name_flags(struct wr *w)
{
	const char *o;

	if (!w->biblatex)
		return w->lflags;
	o = extra_get(w->it, "options");
	return w->lflags | CVB_LTX_EXTNAMES |
	    (o != NULL && cvb_bibtex_useprefix_off(o) ? CVB_LTX_USEPREFIX_FALSE : 0);
}

/* What the BibTeX reader kept of the field that set str[var] to s, if it is still s. */
static const struct cvb_bibsrc *
bibsrc_find(const struct cvb_item *it, int var, const char *s)
{
	const struct cvb_bibsrc *bs;

	for (bs = it->bibsrc; bs != NULL; bs = bs->next)
		if (bs->var == var && bs->value == s)
			return bs;
	return NULL;
}

/*
 * The field a publisher or container title was read from, in the
 * dialect's spelling (journal and journaltitle, school and institution are
 * one field to biblatex), when that name is free; else NULL.
 */
static const char *
field_as_read(struct wr *w, const struct cvb_bibsrc *src, char *buf, size_t bufsz)
{
	static const char *const fields[] = {
		"publisher", "organization", "howpublished", "institution", "school",
		"booktitle", "journal", "journaltitle",
	};
	const char *f = src->field;
	size_t i;

	if (src->var != CVB_V_PUBLISHER && src->var != CVB_V_CONTAINER_TITLE)
		return NULL;
	for (i = 0; i < CVB_ARRAY_SIZE(fields); i++)
		if (strcmp(fields[i], f) == 0)
			break;
	if (i == CVB_ARRAY_SIZE(fields))
		return NULL;	/* a CSL name such as container-title */
	if (strcmp(f, "journal") == 0 || strcmp(f, "journaltitle") == 0)
		f = w->biblatex ? "journaltitle" : "journal";
	else if (w->biblatex && strcmp(f, "school") == 0)
		f = "institution";
	if (!name_free(w, f) || strlen(f) >= bufsz)
		return NULL;
	memcpy(buf, f, strlen(f) + 1);
	return buf;
}

/* Does the field table (data/bibtex-fields.tsv) write the variable vn? */
static bool
listed_out(const char *vn)
{
	const struct cvb_bt_fieldout *r;

	for (r = cvb_bt_fields_out; r->var != NULL; r++)
		if (strcmp(r->var, vn) == 0)
			return true;
	return false;
}

/* The variables the table does not list: written under their CSL names. */
static void
write_unlisted(struct wr *w, const struct cvb_item *it)
{
	int i;
	char nb[64];

	for (i = 0; i < CVB_V__COUNT; i++) {
		const char *vn = cvb_var_name((enum cvb_var)i);

		if (it->str[i] == NULL)
			continue;
		if (listed_out(vn) || i == CVB_V_CITATION_KEY)
			continue;
		safe_name(nb, sizeof(nb), vn);
		for (char *c = nb; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		if (!name_free(w, nb))
			continue;
		field_rich(w, cvb_arena_strdup(&w->b->arena, nb), it->str[i]);
	}
	for (i = 0; i < CVB_NV__COUNT; i++) {
		const char *vn = cvb_nvar_name((enum cvb_nvar)i);

		if (it->names[i] == NULL)
			continue;
		if (listed_out(vn) || !name_free(w, vn))
			continue;
		field_start(w, vn);
		cvb_buf_addch(w->out, '{');
		cvb_bibtex_write_names(w->out, it->names[i], name_flags(w));
		cvb_buf_addch(w->out, '}');
	}
	for (i = 0; i < CVB_DV__COUNT; i++) {
		const char *vn = cvb_dvar_name((enum cvb_dvar)i);

		if (it->date[i] == NULL)
			continue;
		if (!listed_out(vn) && name_free(w, vn))
			write_date(w, vn, it->date[i], false);
	}

}

static void
write_item(struct wr *w, const struct cvb_item *it, const char *key)
{
	const struct cvb_bt_fieldout *row;
	const struct cvb_field *f;
	const char *implied = NULL;

	w->it = it;
	w->type = cvb_bibtex_type_out(it, w->biblatex);
	w->nused = 0;
	w->first_field = true;
	cvb_bibtex_type_in(w->type, &implied);
	cvb_buf_addf(w->out, "@%s{%s,\n", w->type, key);
	for (row = cvb_bt_fields_out; row->var != NULL; row++) {
		const char *cands = w->biblatex ? row->biblatex : row->bibtex;
		char nb[32];
		const char *name;
		struct cvb_varref v;

		if (strcmp(cands, "*date") == 0) {
			if (it->date[CVB_DV_ISSUED] != NULL)
				write_date(w, "date", it->date[CVB_DV_ISSUED], true);
			continue;
		}
		if (strcmp(cands, "*container") == 0)
			cands = container_field(w);
		else if (strcmp(cands, "*publisher") == 0)
			cands = publisher_field(w);
		else if (strcmp(cands, "*issue") == 0)
			cands = type_is(w->type, "article periodical suppperiodical review")
			    ? "number|issue" : "issue|number";
		v = cvb_var_lookup(row->var);
		switch (v.kind) {
		case CVB_VK_STR:
		case CVB_VK_NUM: {
			const char *s = it->str[v.idx];
			const struct cvb_bibsrc *src;

			if (s == NULL)
				break;
			if (v.idx == CVB_V_GENRE && implied != NULL && strcmp(s, implied) == 0)
				break;
			src = bibsrc_find(it, v.idx, s);
			name = src != NULL ? field_as_read(w, src, nb, sizeof(nb)) : NULL;
			if (name == NULL && (name = pick_var(w, cands, v, nb, sizeof(nb))) == NULL)
				break;
			/* field_start keeps the pointer: copy it to the arena */
			name = cvb_arena_strdup(&w->b->arena, name);
			if (name == NULL)
				break;
			if (verbatim_var(v.idx)) {
				field_start(w, name);
				cvb_buf_addch(w->out, '{');
				cvb_latex_verbatim(w->out, s);
				cvb_buf_addch(w->out, '}');
			} else if (v.idx == CVB_V_PAGE)
				write_pages(w, name, s);
			else if (src != NULL && src->latex != NULL) {
				/* harmless LaTeX from the input (\cite, \mbox, ...) */
				field_start(w, name);
				cvb_buf_addch(w->out, '{');
				cvb_latex_raw(w->out, src->latex, w->lflags);
				cvb_buf_addch(w->out, '}');
			} else if (v.idx == CVB_V_LANGUAGE && cvb_bibtex_language_name(s) != NULL)
				/* de-DE: biblatex's langid and babel want "german" */
				field_rich(w, name, cvb_bibtex_language_name(s));
			else
				field_rich(w, name, s);
			break;
		}
		case CVB_VK_NAME:
			if (it->names[v.idx] == NULL || (name = pick_var(w, cands, v, nb, sizeof(nb))) == NULL)
				break;
			name = cvb_arena_strdup(&w->b->arena, name);
			if (name == NULL)
				break;
			field_start(w, name);
			cvb_buf_addch(w->out, '{');
			cvb_bibtex_write_names(w->out, it->names[v.idx], name_flags(w));
			cvb_buf_addch(w->out, '}');
			break;
		case CVB_VK_DATE:
			if (it->date[v.idx] == NULL || (name = pick_var(w, cands, v, nb, sizeof(nb))) == NULL)
				break;
			name = cvb_arena_strdup(&w->b->arena, name);
			if (name != NULL)
				write_date(w, name, it->date[v.idx], false);
			break;
		default:
			break;
		}
	}
	write_unlisted(w, it);
	write_notes(w);
	if ((it->flags & CVB_IF_SELECTED) && name_free(w, "selected")) {
		field_start(w, "selected");
		cvb_buf_adds(w->out, "{true}");
	}
	for (f = it->extra; f != NULL; f = f->next) {
		char nb[64];

		safe_name(nb, sizeof(nb), f->name);
		if (!w->first_field)
			cvb_buf_adds(w->out, ",\n");
		w->first_field = false;
		cvb_buf_addf(w->out, "  %s = {", nb);
		if ((f->flags & CVB_FF_BIBTEX) && braces_balanced(f->value))
			cvb_buf_adds(w->out, f->value);
		else if (f->flags & CVB_FF_JSON)
			json_field_value(w, f->name, f->value);
		else if (plain_extra(w, f->value))
			cvb_buf_adds(w->out, f->value);
		else
			cvb_latex_from_rich(w->out, f->value, w->lflags);
		cvb_buf_addch(w->out, '}');
	}
	/* the CV section the entry was found under (free-text CVs, RenderCV) */
	if (it->group != NULL && *it->group != '\0' && name_free(w, "cv-section"))
		field_rich(w, "cv-section", it->group);
	if (!w->biblatex)
		write_marks(w);
	if (it->type == CVB_T_NONE && it->type_raw != NULL && it->bibtype == NULL &&
	    name_free(w, "entrysubtype")) {
		/* a CSL-JSON type cvbib does not know: kept for the next reader */
		field_rich(w, "entrysubtype", it->type_raw);
	} else if (it->type != CVB_T_NONE && it->bibtype == NULL && name_free(w, "entrysubtype")) {
		/*
		 * An entry type that stands for several CSL types (@article for a
		 * review, @misc for an article): the CSL type goes into
		 * entrysubtype, which the reader takes back (bibmap.c); biblatex's
		 * own words for an @article in a magazine or a newspaper.
		 */
		if (it->type == CVB_T_ARTICLE_MAGAZINE && strcmp(w->type, "article") == 0)
			field_rich(w, "entrysubtype", "magazine");
		else if (it->type == CVB_T_ARTICLE_NEWSPAPER && strcmp(w->type, "article") == 0)
			field_rich(w, "entrysubtype", "newspaper");
		else if (cvb_bibtex_type_back(it, w->type) != it->type)
			field_rich(w, "entrysubtype", cvb_type_name(it->type));
	}
	cvb_buf_adds(w->out, w->first_field ? "}\n" : "\n}\n");
}

/* A key BibTeX can read: no white space, commas, braces, quotes, '#', '%', '(', ')' or '='. */
static const char *
clean_key(struct wr *w, const char *key)
{
	const char *p;
	char *k, *q;

	for (p = key; *p; p++)
		if (isspace((unsigned char)*p) || strchr(",{}#%()=\\", *p))
			break;
	if (*p == '\0' && *key != '\0')
		return key;
	k = cvb_arena_strdup(&w->b->arena, *key ? key : "ref");
	if (k == NULL)
		return key;
	for (q = k; *q; q++)
		if (isspace((unsigned char)*q) || strchr(",{}#%()=\\", *q))
			*q = '_';
	cvb_diag(w->d, CVB_D_BIB_BAD_KEY, w->it ? w->it->loc.file : NULL,
	    w->it ? w->it->loc.line : 0, w->it ? w->it->loc.column : 0, "'%s' to '%s'", key, k);
	return k;
}

/*
 * Is the item's id a citation key to keep?  Not when a reader made it up
 * ("item-3") or it is a URI (Zotero's "http://zotero.org/users/...").
 */
static bool
usable_id(const struct cvb_item *it)
{
	char made[32];

	if (it->id == NULL || *it->id == '\0' || strstr(it->id, "://") != NULL)
		return false;
	snprintf(made, sizeof(made), "item-%zu", it->seq + 1);
	return strcmp(it->id, made) != 0;
}

/*
 * A block read from BibTeX input, written back as it was: @string,
 * @preamble, @comment, an @xdata entry, or free text between entries.
 */
static void
write_block(struct cvb_buf *out, const struct cvb_field *f)
{
	if (!(f->flags & CVB_FF_BIBTEX))
		return;
	const char *sep = (f->flags & CVB_FF_ADJACENT) ? "\n" : "\n\n";

	if (strcmp(f->name, "entry") == 0 || strcmp(f->name, "text") == 0)
		cvb_buf_addf(out, "%s%s", f->value, sep);
	else if (strcmp(f->name, "string") == 0 || strcmp(f->name, "preamble") == 0 ||
	    strcmp(f->name, "comment") == 0)
		cvb_buf_addf(out, "@%s{%s}%s", f->name, f->value, sep);
}

/* The key an item will be written under when it has one of its own. */
static const char *
own_key(const struct cvb_item *it)
{
	if (it->key != NULL && *it->key != '\0')
		return it->key;
	return usable_id(it) ? it->id : NULL;
}

/*
 * Every key written once: an item whose key an earlier item has (several
 * inputs, or a key twice in one file) is merged into that item when the two
 * are the same publication (the CV layer's rules: DOI, arXiv id, or title,
 * year and first author), else given the next free key ("lee2021a").
 * Both are reported.
 */
static void
unique_keys(cvbib_biblio *b, struct cvbib_diags *d)
{
	struct cvb_keyset seen = { NULL, 0, 0, NULL, 0, 0 }, all = { NULL, 0, 0, NULL, 0, 0 };
	size_t i, j, out = 0;

	for (i = 0; i < b->n; i++)
		if (own_key(b->items[i]) != NULL)
			cvb_keyset_add(&all, own_key(b->items[i]));
	for (i = 0; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		const char *k = own_key(it);

		if (k == NULL || !cvb_keyset_has(&seen, k)) {
			if (k != NULL)
				cvb_keyset_add(&seen, k);
			b->items[out++] = it;
			continue;
		}
		for (j = 0; j < out; j++)
			if (own_key(b->items[j]) != NULL && strcasecmp(own_key(b->items[j]), k) == 0)
				break;
		if (j < out) {
			struct cvb_item *pair[2] = { b->items[j], it };

			if (cvb_cv_dedupe(b, pair, 2, d) == 1) {
				/* the one kept takes the first one's place and key */
				if (pair[0] != b->items[j]) {
					pair[0]->key = own_key(b->items[j]);
					b->items[j] = pair[0];
				}
				continue;
			}
		}
		{
			struct cvb_buf nk = CVB_BUF_INIT;
			const char *renamed;
			size_t base, n;

			cvb_buf_adds(&nk, k);
			base = nk.len;
			for (n = 0; n < 26 * 27; n++) {
				cvb_buf_setlen(&nk, base);
				if (n >= 26)
					cvb_buf_addch(&nk, (char)('a' + n / 26 - 1));
				cvb_buf_addch(&nk, (char)('a' + n % 26));
				if (!cvb_keyset_has(&all, nk.buf))
					break;
			}
			renamed = nk.err ? NULL : cvb_arena_strdup(&b->arena, nk.buf);
			cvbib_buf_release(&nk);
			if (renamed != NULL) {
				cvb_diag(d, CVB_D_BIB_KEY_RENAMED, it->loc.file, it->loc.line,
				    it->loc.column, "'%s' is the key of another entry; written as '%s'",
				    k, renamed);
				it->key = renamed;
				cvb_keyset_add(&all, renamed);
				cvb_keyset_add(&seen, renamed);
			}
			b->items[out++] = it;
		}
	}
	b->n = out;
	cvb_keyset_release(&seen);
	cvb_keyset_release(&all);
}

static int
write_all(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out,
    struct cvbib_diags *d, bool biblatex)
{
	struct wr w;
	struct cvb_keyset keys = { NULL, 0, 0, NULL, 0, 0 };
	const struct cvb_field *f;
	size_t i, at = 0;
	bool splice;
	const char **keys_read = NULL;

	if (o->key_pattern != NULL && cvb_bibtex_key_pattern_error(o->key_pattern) != NULL) {
		cvb_diag(d, CVB_D_BIB_KEY_PATTERN, NULL, 0, 0, "'%s': %s", o->key_pattern,
		    cvb_bibtex_key_pattern_error(o->key_pattern));
		return -CVBIB_EUSAGE;
	}
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.o = o;
	w.d = d;
	w.out = out;
	w.biblatex = biblatex;
	w.lflags = (!biblatex || o->ascii) ? CVB_LTX_ASCII : 0;
	w.tmp = (struct cvb_buf)CVB_BUF_INIT;
	/* keep_unchanged: the entries enrichment did not change, and the text
	 * around them, are copied from the input (issue 20); an entry whose key
	 * must change is written anew */
	splice = cvb_src_splice_ok(b, o);
	if (splice && (keys_read = calloc(b->n ? b->n : 1, sizeof(*keys_read))) == NULL)
		splice = false;
	for (i = 0; splice && i < b->n; i++)
		keys_read[i] = b->items[i]->key;
	unique_keys(b, d);
	if (splice && !cvb_src_splice_ok(b, o))
		splice = false;	/* two entries became one */
	f = b->preamble;
	for (i = 0; i < b->n; i++)
		if (b->items[i]->key != NULL && *b->items[i]->key != '\0')
			cvb_keyset_add(&keys, b->items[i]->key);
		else if (usable_id(b->items[i]))
			cvb_keyset_add(&keys, b->items[i]->id);	/* will be its key */
	for (i = 0; i < b->n; i++) {
		const struct cvb_item *it = b->items[i];
		const char *key = it->key;

		w.it = it;
		if ((key == NULL || *key == '\0') && usable_id(it))
			key = it->id;	/* a CSL-JSON id is the citation key */
		if (key == NULL || *key == '\0')
			key = cvb_bibtex_make_key(b, it, o->key_pattern, &keys);
		if (key == NULL)
			break;
		{
			const char *k = clean_key(&w, key);

			/* a key made BibTeX-safe may meet another: made unique */
			if (k != key && cvb_keyset_has(&keys, k))
				k = cvb_bibtex_key_unique(b, k, &keys);
			else if (k != key)
				cvb_keyset_add(&keys, k);
			if (k == NULL)
				break;
			key = k;
		}
		if (splice) {
			cvb_buf_add(out, b->src + at, it->src_off - at);
			if (!(it->flags & CVB_IF_CHANGED) && key == keys_read[i])
				cvb_buf_add(out, b->src + it->src_off, it->src_end - it->src_off);
			else {
				size_t from = out->len;

				write_item(&w, it, key);
				/* the input's own line end follows */
				if (out->len > from && out->buf[out->len - 1] == '\n')
					cvb_buf_setlen(out, out->len - 1);
				cvb_src_line_ends(out, from, b->src + it->src_off,
				    it->src_end - it->src_off, &w.tmp);
			}
			at = it->src_end;
			continue;
		}
		if (i > 0 && !(f != NULL && f->anchor <= it->seq && (f->flags & CVB_FF_TIGHT)))
			cvb_buf_addch(out, '\n');
		/* the blocks and free text that came before this entry */
		for (; f != NULL && f->anchor <= it->seq; f = f->next)
			write_block(out, f);
		write_item(&w, it, key);
	}
	if (splice)
		cvb_buf_add(out, b->src + at, b->src_len - at);
	else if (f != NULL) {
		/* the blocks after the last entry; no blank line at the end */
		if (b->n > 0 && !(f->flags & CVB_FF_TIGHT))
			cvb_buf_addch(out, '\n');
		for (; f != NULL; f = f->next)
			write_block(out, f);
		if (out->len >= 2 && out->buf[out->len - 2] == '\n')
			cvb_buf_setlen(out, out->len - 1);
	}
	free(keys_read);
	cvb_keyset_release(&keys);
	cvb_keyset_release(&w.lossy);
	cvbib_buf_release(&w.tmp);
	if (out->err || b->arena.err) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return 0;
}

int
cvb_write_bibtex(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out,
    struct cvbib_diags *d)
{
	return write_all(b, o, out, d, false);
}

int
cvb_write_biblatex(cvbib_biblio *b, const struct cvbib_options *o, struct cvb_buf *out,
    struct cvbib_diags *d)
{
	return write_all(b, o, out, d, true);
}
