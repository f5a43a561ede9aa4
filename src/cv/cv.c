/*
 * cv.c - the CV presentation layer: formatted publication lists.
 *
 * cvb_write_formatted() serves --format text, markdown, html and latex.  A
 * plain reference list (no CV option given, input not a CV) is the CSL
 * engine's bibliography as it is.  A CV list goes through this module:
 *
 *   CV fields to flags and notes -> highlight the owner ->
 *   merge duplicates -> order -> group -> number -> CSL engine, one entry per
 *   item -> notes, links -> the list structure of the output, with headings
 *   and the legend of the markers.
 *
 * The engine formats the entries (src/csl/csl.h); this module never formats a
 * reference itself.  What it writes around them is documented in doc/cv.md
 * (CSS classes, LaTeX macros).  It owns the working arrays of one call; the
 * flags, markers and notes it sets live in the bibliography's arena.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>
#include "cvb_int.h"
#include "csl/csl.h"
#include "cv/cv.h"

/* ------------------------------------------------------------ extra fields */

static const struct cvb_field *
extra_field(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (f->name != NULL && strcasecmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* JSON value as text: strings as they are, true/false, numbers; else NULL. */
static const char *
json_text(cvbib_biblio *b, json_t *v)
{
	if (json_is_string(v))
		return cvb_arena_strdup(&b->arena, json_string_value(v));
	if (json_is_true(v))
		return "true";
	if (json_is_false(v) || json_is_null(v))
		return "false";
	if (json_is_integer(v))
		return cvb_arena_printf(&b->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return cvb_arena_printf(&b->arena, "%g", json_real_value(v));
	return NULL;
}

const char *
cvb_cv_extra(cvbib_biblio *b, const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f = extra_field(it, name);
	const char *r;
	json_t *v;

	if (f == NULL || f->value == NULL)
		return NULL;
	if (!(f->flags & CVB_FF_JSON))
		return f->value;
	v = json_loads(f->value, JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return f->value;
	r = json_text(b, v);
	json_decref(v);
	return r;
}

bool
cvb_cv_truthy(const char *s)
{
	return s != NULL && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "on") == 0);
}

static void
add_highlight(cvbib_biblio *b, const char ***list, size_t *n, const char *name)
{
	const char **v = cvb_arena_alloc(&b->arena, (*n + 2) * sizeof(*v));

	if (v == NULL)
		return;
	if (*n > 0)
		memcpy(v, *list, *n * sizeof(*v));
	v[(*n)++] = name;
	v[*n] = NULL;
	*list = v;
}

/* ----------------------------------------------- CV fields to the model */

/* Drop the extra field f of it. */
static void
extra_drop(struct cvb_item *it, const struct cvb_field *f)
{
	struct cvb_field **fp;

	for (fp = &it->extra; *fp != NULL; fp = &(*fp)->next)
		if (*fp == f) {
			*fp = f->next;
			if (it->extra_tail == &f->next)
				it->extra_tail = fp;
			return;
		}
}

/* Does every element of the array v name an author of it by position? */
static bool
all_positions(const struct cvb_item *it, json_t *v)
{
	json_t *x;
	size_t i, na = 0;
	const struct cvb_name *n;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
		na++;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return false;
	json_array_foreach(v, i, x)
		if (!json_is_integer(x) || json_integer_value(x) < 1 ||
		    (size_t)json_integer_value(x) > na)
			return false;
	return true;
}

/*
 * Mark the names listed in a custom field ("equal-contribution": [1, 2] or
 * ["Haan, A."]) with flag.  With reading set (the data is being read, not
 * listed), only a list of positions that all name an author is taken, and
 * the field is dropped: the writers give the flags back in their own form
 * (a position list in CSL-JSON and BibTeX, biblatex's author+an, RenderCV's
 * markers); anything else is left to the CV layer, which reports it.
 */
static void
mark_names(cvbib_biblio *b, struct cvb_item *it, const char *field, unsigned flag,
    struct cvbib_diags *d, bool reading)
{
	const struct cvb_field *f = extra_field(it, field);
	json_t *v, *x;
	size_t i;

	if (f == NULL || f->value == NULL)
		return;
	v = (f->flags & CVB_FF_JSON) ? json_loads(f->value, JSON_DECODE_ANY, NULL)
	    : json_string(f->value);
	if (json_is_string(v) && json_string_length(v) > 0 &&
	    strspn(json_string_value(v), "0123456789, ") == json_string_length(v)) {
		/* "1,2": positions as a BibTeX field holds them */
		const char *p = json_string_value(v);
		json_t *a = json_array();

		while (*p != '\0') {
			char *end;
			long k = strtol(p, &end, 10);

			if (end == p) {
				p++;
				continue;
			}
			json_array_append_new(a, json_integer(k));
			p = end;
		}
		json_decref(v);
		v = a;
	}
	if (v != NULL && !json_is_array(v)) {
		json_t *a = json_array();

		json_array_append_new(a, v);
		v = a;
	}
	if (reading) {
		if (all_positions(it, v)) {
			json_array_foreach(v, i, x) {
				struct cvb_name *n = it->names[CVB_NV_AUTHOR];
				json_int_t k;

				for (k = json_integer_value(x); k > 1; k--)
					n = n->next;
				n->flags |= flag;
			}
			extra_drop(it, f);
		}
		json_decref(v);
		return;
	}
	json_array_foreach(v, i, x) {
		struct cvb_name *n = it->names[CVB_NV_AUTHOR];
		bool found = false;

		if (json_is_integer(x)) {
			json_int_t k = json_integer_value(x);

			for (; n != NULL && k > 1; n = n->next, k--)
				;
			if (k == 1 && n != NULL) {
				n->flags |= flag;
				found = true;
			}
		} else if (json_is_string(x)) {
			struct cvb_cv_pattern p;

			if (cvb_cv_pattern_parse(&p, json_string_value(x)) == 0) {
				for (; n != NULL; n = n->next)
					if (cvb_cv_name_matches(&p, n)) {
						n->flags |= flag;
						found = true;
					}
				cvb_cv_pattern_release(&p);
			}
		}
		if (!found) {
			char *s = json_dumps(x, JSON_ENCODE_ANY);

			cvb_diag(d, CVB_D_CV_MARKER, it->loc.file, it->loc.line, it->loc.column,
			    "'%s' names no author of '%s': %s", field, it->id ? it->id : "?",
			    s ? s : "?");
			free(s);
		}
	}
	json_decref(v);
	(void)b;
}

/*
 * biblatex's data annotation of a name list, as the biblatex writer writes it
 * ("author+an = {1=highlight,equal; 3=corresponding}"): the names it marks
 * get their flags, and the field is dropped (the writer makes it again from
 * the flags).  Annotations of other kinds (a field or an item annotation,
 * unknown words) are left as they are.
 */
static bool
read_annotation(cvbib_biblio *b, struct cvb_item *it, enum cvb_nvar nv,
    struct cvbib_diags *d, bool apply)
{
	char fname[64];
	struct cvb_field *f, **fp;
	const char *p;
	bool all_known = true;

	snprintf(fname, sizeof(fname), "%s+an", cvb_nvar_name(nv));
	for (fp = &it->extra; (f = *fp) != NULL; fp = &f->next)
		if (strcmp(f->name, fname) == 0)
			break;
	if (f == NULL || f->value == NULL)
		return false;
	p = cvb_cv_extra(b, it, fname);
	while (p != NULL && *p != '\0') {
		char *end;
		long pos;
		struct cvb_name *n;
		unsigned flags = 0;

		while (*p == ' ' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		pos = strtol(p, &end, 10);
		if (end == p || *end != '=') {
			all_known = false;	/* ":field=..." or an item annotation */
			p = strchr(p, ';');
			continue;
		}
		p = end + 1;
		while (*p != '\0' && *p != ';') {
			size_t w = strcspn(p, ",;");

			while (w > 0 && p[w - 1] == ' ')
				w--;
			if (w == 9 && strncmp(p, "highlight", 9) == 0)
				flags |= CVB_NF_HIGHLIGHT;
			else if (w == 5 && strncmp(p, "equal", 5) == 0)
				flags |= CVB_NF_EQUAL;
			else if (w == 13 && strncmp(p, "corresponding", 13) == 0)
				flags |= CVB_NF_CORRESP;
			else
				all_known = false;
			p += strcspn(p, ",;");
			if (*p == ',')
				p++;
			while (*p == ' ')
				p++;
		}
		for (n = it->names[nv]; n != NULL && pos > 1; n = n->next)
			if (!(n->flags & CVB_NF_OTHERS))
				pos--;
		if (n == NULL || pos < 1) {
			if (apply)
				cvb_diag(d, CVB_D_CV_MARKER, it->loc.file, it->loc.line,
				    it->loc.column, "'%s' names no name of '%s'", fname,
				    it->id ? it->id : "?");
			all_known = false;
			continue;
		}
		if (apply)
			n->flags |= flags;
	}
	if (all_known && apply) {
		*fp = f->next;
		if (it->extra_tail == &f->next)
			it->extra_tail = fp;
	}
	return all_known;
}

static bool
has_kind(const struct cvb_item *it, enum cvb_note_kind k)
{
	const struct cvb_note *n;

	for (n = it->notes; n != NULL; n = n->next)
		if (n->kind == k)
			return true;
	return false;
}

bool
cvb_cv_has_note(const struct cvb_item *it, enum cvb_note_kind k, const char *text)
{
	const struct cvb_note *n;

	for (n = it->notes; n != NULL; n = n->next)
		if (n->kind == k && strcasecmp(n->text, text) == 0)
			return true;
	return false;
}

/* The al-folio and CV fields that arrive as extra fields (CSL-JSON "custom",
 * unknown BibTeX fields) become the model's flags and notes. */
static void
apply_cv_fields(cvbib_biblio *b, struct cvb_item *it, struct cvbib_diags *d)
{
	static const struct { const char *name; enum cvb_note_kind kind; } notes[] = {
		{ "award", CVB_NOTE_AWARD }, { "award_name", CVB_NOTE_AWARD },
		{ "presentation", CVB_NOTE_PRESENTATION },
		{ "cv-status", CVB_NOTE_STATUS }, { "cv-note", CVB_NOTE_OTHER },
		/* the names the CSL-JSON writer gives the model's notes */
		{ "pubstate", CVB_NOTE_STATUS }, { "addendum", CVB_NOTE_OTHER },
	};
	const char *s;
	size_t i;
	struct cvb_name *n;

	if (cvb_cv_truthy(cvb_cv_extra(b, it, "selected")))
		it->flags |= CVB_IF_SELECTED;
	if (it->group == NULL && (s = cvb_cv_extra(b, it, "cv-section")) != NULL && *s != '\0')
		it->group = s;
	/* the CV's own legend of its equal-contribution marker (read_text.c) */
	if (b->equal_legend == NULL && (s = cvb_cv_extra(b, it, "cv-legend")) != NULL && *s != '\0') {
		const struct cvb_field *f = extra_field(it, "cv-legend");
		struct cvb_buf r = CVB_BUF_INIT, t = CVB_BUF_INIT;

		b->equal_legend = s;
		if (f->flags & CVB_FF_BIBTEX) {
			/* a BibTeX field: its LaTeX ({\dag}) as text */
			cvb_latex_to_rich(&r, s, strlen(s), CVB_LTX_PLAIN);
			cvb_rich_plain(&t, r.buf != NULL ? r.buf : "");
			if (!r.err && !t.err && t.len > 0)
				b->equal_legend = cvb_arena_strndup(&b->arena, t.buf, t.len);
		}
		cvbib_buf_release(&r);
		cvbib_buf_release(&t);
	}
	for (i = 0; i < CVB_ARRAY_SIZE(notes); i++) {
		s = cvb_cv_extra(b, it, notes[i].name);
		/* al-folio's award is a flag with the text in award_name */
		if (s != NULL && *s != '\0' && !cvb_cv_truthy(s) && strcmp(s, "false") != 0 &&
		    !cvb_cv_has_note(it, notes[i].kind, s) &&
		    /* al-folio's award_name labels the award text it already has */
		    !(strcmp(notes[i].name, "award_name") == 0 && has_kind(it, CVB_NOTE_AWARD)))
			cvb_item_add_note(b, it, notes[i].kind, s);
	}
	mark_names(b, it, "equal-contribution", CVB_NF_EQUAL, d, false);
	mark_names(b, it, "corresponding-author", CVB_NF_CORRESP, d, false);
	mark_names(b, it, "highlight", CVB_NF_HIGHLIGHT, d, false);
	read_annotation(b, it, CVB_NV_AUTHOR, d, true);
	read_annotation(b, it, CVB_NV_EDITOR, d, true);
	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		if (n->flags & CVB_NF_EQUAL)
			it->flags |= CVB_IF_HAS_EQUAL;
		if (n->flags & CVB_NF_CORRESP)
			it->flags |= CVB_IF_HAS_CORRESP;
	}
}

/* Is the input itself a CV (so that the output is a CV list)? */
void
cvb_cv_read_marks(cvbib_biblio *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		const struct cvb_name *n;

		mark_names(b, it, "equal-contribution", CVB_NF_EQUAL, NULL, true);
		mark_names(b, it, "corresponding-author", CVB_NF_CORRESP, NULL, true);
		mark_names(b, it, "highlight", CVB_NF_HIGHLIGHT, NULL, true);
		if (read_annotation(b, it, CVB_NV_AUTHOR, NULL, false))
			read_annotation(b, it, CVB_NV_AUTHOR, NULL, true);
		if (read_annotation(b, it, CVB_NV_EDITOR, NULL, false))
			read_annotation(b, it, CVB_NV_EDITOR, NULL, true);
		for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
			if (n->flags & CVB_NF_EQUAL)
				it->flags |= CVB_IF_HAS_EQUAL;
			if (n->flags & CVB_NF_CORRESP)
				it->flags |= CVB_IF_HAS_CORRESP;
		}
	}
}

static bool
cv_input(const cvbib_biblio *b)
{
	switch (b->input_format) {
	case CVBIB_FMT_RENDERCV:
	case CVBIB_FMT_JSONRESUME:
	case CVBIB_FMT_FRONTMATTER:
	case CVBIB_FMT_TEXT:
	case CVBIB_FMT_MARKDOWN:
	case CVBIB_FMT_HTML:
	/* a profile's export is one person's publication list */
	case CVBIB_FMT_ORCID:
	case CVBIB_FMT_DBLP:
	case CVBIB_FMT_OPENALEX:
	case CVBIB_FMT_SCHOLAR_CSV:
		return true;
	default:
		return false;
	}
}

bool
cvb_cv_is_list(const cvbib_biblio *b, const struct cvbib_options *e)
{
	return (e->highlight != NULL && e->highlight[0] != NULL) || e->group_by != NULL ||
	    e->sort != NULL || e->countdown > 0 || e->group_prefix > 0 || e->dedupe > 0 ||
	    e->standalone > 0 || e->latex_list != NULL || e->groups != NULL || cv_input(b);
}

int
cvb_cv_prepare(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvbib_options *eff, struct cvbib_diags *d)
{
	const char **hl = NULL;
	size_t nhl = 0, nopt, i, k;
	struct cvb_cv_pattern *pat = NULL;
	size_t *hits = NULL;

	*eff = *opts;
	for (i = 0; opts->highlight != NULL && opts->highlight[i] != NULL; i++)
		add_highlight(b, &hl, &nhl, opts->highlight[i]);
	/* a profile export names its owner (src/formats/): highlighted unless
	 * --highlight says whom */
	nopt = nhl;
	if (nhl == 0 && b->owner != NULL)
		add_highlight(b, &hl, &nhl, b->owner);
	eff->highlight = hl;
	for (i = 0; i < b->n; i++)
		apply_cv_fields(b, b->items[i], d);
	if (nhl == 0)
		return 0;
	pat = calloc(nhl, sizeof(*pat));
	hits = calloc(nhl, sizeof(*hits));
	if (pat == NULL || hits == NULL) {
		free(pat);
		free(hits);
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	for (k = 0; k < nhl; k++)
		if (cvb_cv_pattern_parse(&pat[k], hl[k]) != 0)
			cvb_diag(d, CVB_D_CV_OPTION, NULL, 0, 0,
			    "--highlight '%s' is not a person's name", hl[k]);
	for (i = 0; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		size_t v;

		for (v = 0; v < CVB_NV__COUNT; v++) {
			struct cvb_name *n;

			for (n = it->names[v]; n != NULL; n = n->next)
				for (k = 0; k < nhl; k++)
					if (pat[k].family != NULL && cvb_cv_name_matches(&pat[k], n)) {
						n->flags |= CVB_NF_HIGHLIGHT;
						hits[k]++;
					}
		}
	}
	for (k = 0; k < nhl; k++) {
		if (pat[k].family != NULL && hits[k] == 0 && b->n > 0 && k < nopt)
			cvb_diag(d, CVB_D_CV_NO_MATCH, NULL, 0, 0, "'%s'", hl[k]);
		cvb_cv_pattern_release(&pat[k]);
	}
	free(pat);
	free(hits);
	return 0;
}

/* ----------------------------------------------------------------- sorting */

/* Compare dates: -1 when a is older.  An undated item is the newest (in
 * press).  Unknown months and days count as earlier than known ones. */
static int
date_cmp(const struct cvb_item *a, const struct cvb_item *b)
{
	const struct cvb_date *x = a->date[CVB_DV_ISSUED], *y = b->date[CVB_DV_ISSUED];
	bool hx = x != NULL && x->nparts[0] > 0, hy = y != NULL && y->nparts[0] > 0;
	int i;

	if (!hx || !hy)
		return hx == hy ? 0 : hx ? -1 : 1;
	for (i = 0; i < 3; i++) {
		int vx = i < x->nparts[0] ? x->parts[0][i] : 0;
		int vy = i < y->nparts[0] ? y->parts[0][i] : 0;

		if (vx != vy)
			return vx < vy ? -1 : 1;
	}
	return 0;
}

static int
str_key_cmp(const char *a, const char *b)
{
	struct cvb_buf x = CVB_BUF_INIT, y = CVB_BUF_INIT;
	int c;

	cvb_cv_fold(&x, a ? a : "");
	cvb_cv_fold(&y, b ? b : "");
	c = strcmp(x.buf, y.buf);
	cvbib_buf_release(&x);
	cvbib_buf_release(&y);
	return c;
}

static const char *
first_family(const struct cvb_item *it)
{
	const struct cvb_name *n = it->names[CVB_NV_AUTHOR];

	if (n == NULL)
		n = it->names[CVB_NV_EDITOR];
	return n == NULL ? NULL : n->family ? n->family : n->literal;
}

enum sortkey { SK_NEWEST, SK_OLDEST, SK_AUTHOR, SK_TITLE, SK_NONE };

static int
cmp_by(const struct cvb_item *a, const struct cvb_item *b, enum sortkey k)
{
	int c = 0;

	switch (k) {
	case SK_NEWEST:
		c = -date_cmp(a, b);
		break;
	case SK_OLDEST:
		c = date_cmp(a, b);
		/* undated (in press) last when oldest first */
		break;
	case SK_AUTHOR:
		c = str_key_cmp(first_family(a), first_family(b));
		if (c == 0)
			c = -date_cmp(a, b);
		break;
	case SK_TITLE:
		c = str_key_cmp(a->str[CVB_V_TITLE], b->str[CVB_V_TITLE]);
		break;
	case SK_NONE:
		break;
	}
	if (c == 0)
		c = a->seq < b->seq ? -1 : a->seq > b->seq;
	return c;
}

/* A stable merge sort (qsort is not stable). */
static void
msort(struct cvb_item **v, struct cvb_item **tmp, size_t n, enum sortkey k)
{
	size_t m = n / 2, i = 0, j = m, o = 0;

	if (n < 2)
		return;
	msort(v, tmp, m, k);
	msort(v + m, tmp, n - m, k);
	while (i < m && j < n)
		tmp[o++] = cmp_by(v[j], v[i], k) < 0 ? v[j++] : v[i++];
	while (i < m)
		tmp[o++] = v[i++];
	while (j < n)
		tmp[o++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

int
cvb_cv_sort(struct cvb_item **items, size_t n, const char *key)
{
	static const char *const names[] = { "newest", "oldest", "author", "title", "none" };
	struct cvb_item **tmp;
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(names); i++)
		if (strcmp(key, names[i]) == 0)
			break;
	if (i == CVB_ARRAY_SIZE(names))
		return -1;
	if (i == SK_NONE || n < 2)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	if (tmp == NULL)
		return -CVBIB_ENOMEM;
	msort(items, tmp, n, (enum sortkey)i);
	free(tmp);
	return 0;
}
