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

static bool
truthy(const char *s)
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

/* Mark the names listed in a custom field ("equal-contribution": [1, 2] or
 * ["Haan, A."]) with flag. */
static void
mark_names(cvbib_biblio *b, struct cvb_item *it, const char *field, unsigned flag,
    struct cvbib_diags *d)
{
	const struct cvb_field *f = extra_field(it, field);
	json_t *v, *x;
	size_t i;

	if (f == NULL)
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
static void
read_annotation(cvbib_biblio *b, struct cvb_item *it, enum cvb_nvar nv,
    struct cvbib_diags *d)
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
		return;
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
			cvb_diag(d, CVB_D_CV_MARKER, it->loc.file, it->loc.line, it->loc.column,
			    "'%s' names no name of '%s'", fname, it->id ? it->id : "?");
			all_known = false;
			continue;
		}
		n->flags |= flags;
	}
	if (all_known) {
		*fp = f->next;
		if (it->extra_tail == &f->next)
			it->extra_tail = fp;
	}
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

static bool
has_note(const struct cvb_item *it, enum cvb_note_kind k, const char *text)
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

	if (truthy(cvb_cv_extra(b, it, "selected")))
		it->flags |= CVB_IF_SELECTED;
	if (it->group == NULL && (s = cvb_cv_extra(b, it, "cv-section")) != NULL && *s != '\0')
		it->group = s;
	for (i = 0; i < CVB_ARRAY_SIZE(notes); i++) {
		s = cvb_cv_extra(b, it, notes[i].name);
		/* al-folio's award is a flag with the text in award_name */
		if (s != NULL && *s != '\0' && !truthy(s) && strcmp(s, "false") != 0 &&
		    !has_note(it, notes[i].kind, s) &&
		    /* al-folio's award_name labels the award text it already has */
		    !(strcmp(notes[i].name, "award_name") == 0 && has_kind(it, CVB_NOTE_AWARD)))
			cvb_item_add_note(b, it, notes[i].kind, s);
	}
	mark_names(b, it, "equal-contribution", CVB_NF_EQUAL, d);
	mark_names(b, it, "corresponding-author", CVB_NF_CORRESP, d);
	mark_names(b, it, "highlight", CVB_NF_HIGHLIGHT, d);
	read_annotation(b, it, CVB_NV_AUTHOR, d);
	read_annotation(b, it, CVB_NV_EDITOR, d);
	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		if (n->flags & CVB_NF_EQUAL)
			it->flags |= CVB_IF_HAS_EQUAL;
		if (n->flags & CVB_NF_CORRESP)
			it->flags |= CVB_IF_HAS_CORRESP;
	}
}

/* Is the input itself a CV (so that the output is a CV list)? */
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
		return true;
	default:
		return false;
	}
}

static bool
is_cv_list(const cvbib_biblio *b, const struct cvbib_options *e)
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
	size_t nhl = 0, i, k;
	struct cvb_cv_pattern *pat = NULL;
	size_t *hits = NULL;

	*eff = *opts;
	for (i = 0; opts->highlight != NULL && opts->highlight[i] != NULL; i++)
		add_highlight(b, &hl, &nhl, opts->highlight[i]);
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
		if (pat[k].family != NULL && hits[k] == 0 && b->n > 0)
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

/* ---------------------------------------------------------------- grouping */

enum groupby { GB_NONE, GB_TYPE, GB_YEAR, GB_KEYWORD, GB_SELECTED, GB_SECTION };

/* Default headings and number prefixes of the type groups, in their order. */
static const struct {
	const char	*type;
	const char	*title;
	const char	*prefix;
} type_groups[] = {
	{ "article-journal", "Journal Articles", "J" },
	{ "paper-conference", "Conference Papers", "C" },
	{ "chapter", "Book Chapters", "BC" },
	{ "book", "Books", "B" },
	{ "article", "Preprints", "P" },
	{ "report", "Technical Reports", "R" },
	{ "thesis", "Theses", "T" },
	{ "patent", "Patents", "PA" },
	{ "speech", "Talks", "TK" },
	{ "dataset", "Datasets", "D" },
	{ "software", "Software", "S" },
	{ "article-magazine", "Magazine Articles", "M" },
	{ "manuscript", "Manuscripts", "MS" },
	{ "review", "Reviews", "RV" },
	{ "webpage", "Web Pages", "W" },
	{ "*", "Other Publications", "O" },
};

struct group {
	const char	*key;		/* folded match key */
	const char	*title;		/* heading, NULL for none */
	const char	*prefix;	/* number prefix, "" for none */
	const char	*slug;		/* for CSS classes */
	struct cvb_item	**items;
	size_t		 n;
	size_t		 order;		/* rank in the spec; -1 when unlisted */
	bool		 wildcard;	/* '*' in the spec: everything unlisted */
	size_t		 seq;		/* creation order: first appearance */
	int		 gb;		/* enum groupby, for group_cmp() */
	bool		 descending;	/* year groups newest first */
	const char	*keys[8];	/* the spec's keys ("a+b") */
	size_t		 nkeys;
};

struct glist {
	struct group	*v;
	size_t		 n, alloc;
};

static char *
fold_dup(cvbib_biblio *b, const char *s)
{
	struct cvb_buf f = CVB_BUF_INIT;
	char *r;

	cvb_cv_fold(&f, s);
	r = cvb_arena_strdup(&b->arena, f.buf);
	cvbib_buf_release(&f);
	return r;
}

static char *
slug(cvbib_biblio *b, const char *s)
{
	char *r = fold_dup(b, s), *p;

	for (p = r; p != NULL && *p != '\0'; p++)
		if (!isalnum((unsigned char)*p))
			*p = '-';
	return r;
}

static struct group *
glist_add(cvbib_biblio *b, struct glist *g, const char *key)
{
	struct group *x;

	if (g->n == g->alloc) {
		size_t na = g->alloc ? 2 * g->alloc : 16;
		struct group *v = realloc(g->v, na * sizeof(*v));

		if (v == NULL)
			return NULL;
		g->v = v;
		g->alloc = na;
	}
	x = &g->v[g->n++];
	memset(x, 0, sizeof(*x));
	x->key = key;
	x->seq = g->n - 1;
	x->prefix = "";
	x->order = (size_t)-1;
	x->slug = slug(b, key);
	return x;
}

/* Parse --groups: "KEY[+KEY...][:PREFIX][=Heading]" separated by ';' (or ','
 * when there is no ';').  "*" stands for every group not listed. */
static int
parse_groups(cvbib_biblio *b, const char *spec, struct glist *g, struct cvbib_diags *d)
{
	char sep = strchr(spec, ';') ? ';' : ',';
	const char *p = spec;
	size_t rank = 0;

	while (*p != '\0') {
		const char *e = strchr(p, sep), *eq, *colon;
		char *item, *keys, *k;
		struct group *x;

		if (e == NULL)
			e = p + strlen(p);
		item = cvb_arena_strndup(&b->arena, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
		if (item == NULL)
			return -CVBIB_ENOMEM;
		while (isspace((unsigned char)*item))
			item++;
		if (*item == '\0')
			continue;
		eq = strchr(item, '=');
		if (eq != NULL)
			*(char *)eq = '\0';
		colon = strchr(item, ':');
		if (colon != NULL)
			*(char *)colon = '\0';
		keys = item;
		for (k = keys + strlen(keys); k > keys && isspace((unsigned char)k[-1]); )
			*--k = '\0';
		x = glist_add(b, g, fold_dup(b, keys));
		if (x == NULL)
			return -CVBIB_ENOMEM;
		x->order = rank++;
		x->wildcard = strcmp(keys, "*") == 0;
		if (eq != NULL) {
			const char *t = eq + 1;

			char *te;

			while (isspace((unsigned char)*t))
				t++;
			for (te = (char *)t + strlen(t); te > t && isspace((unsigned char)te[-1]); )
				*--te = '\0';
			x->title = t;
		}
		if (colon != NULL) {
			char *q = (char *)colon + 1;

			while (isspace((unsigned char)*q))
				q++;
			for (k = q + strlen(q); k > q && isspace((unsigned char)k[-1]); )
				*--k = '\0';
			x->prefix = q;
		}
		for (k = keys; k != NULL && x->nkeys < CVB_ARRAY_SIZE(x->keys); ) {
			char *plus = strchr(k, '+');

			if (plus != NULL)
				*plus = '\0';
			x->keys[x->nkeys++] = fold_dup(b, k);
			k = plus ? plus + 1 : NULL;
		}
		x->slug = x->wildcard ? "other" : slug(b, x->keys[0]);
	}
	if (g->n == 0) {
		cvb_diag(d, CVB_D_CV_OPTION, NULL, 0, 0, "--groups '%s' lists no group", spec);
		return -CVBIB_EUSAGE;
	}
	return 0;
}

/* The group keys an item belongs to under gb (folded), best first. */
static size_t
item_keys(cvbib_biblio *b, const struct cvb_item *it, enum groupby gb,
    const char **keys, const char **titles, size_t max)
{
	size_t n = 0;

	switch (gb) {
	case GB_NONE:
		keys[n] = "all", titles[n++] = NULL;
		break;
	case GB_TYPE: {
		const char *t = it->type != CVB_T_NONE ? cvb_type_name(it->type) : it->type_raw;

		keys[n] = t ? t : "other", titles[n++] = NULL;
		break;
	}
	case GB_YEAR: {
		int y = cvb_item_year(it);

		keys[n] = y ? cvb_arena_printf(&b->arena, "%d", y) : "undated";
		titles[n++] = y ? keys[0] : "Undated";
		break;
	}
	case GB_SELECTED:
		keys[n] = "selected", titles[n++] = "Selected Publications";
		break;
	case GB_SECTION:
		keys[n] = it->group ? fold_dup(b, it->group) : "other";
		titles[n++] = it->group ? it->group : "Other";
		break;
	case GB_KEYWORD: {
		const char *kw = it->str[CVB_V_KEYWORD];
		size_t i;

		while (kw != NULL && *kw != '\0' && n < max) {
			const char *e = kw + strcspn(kw, ",;");
			char *w;

			while (kw < e && isspace((unsigned char)*kw))
				kw++;
			w = cvb_arena_strndup(&b->arena, kw, (size_t)(e - kw));
			while (w != NULL && *w != '\0' && isspace((unsigned char)w[strlen(w) - 1]))
				w[strlen(w) - 1] = '\0';
			if (w != NULL && *w != '\0') {
				titles[n] = w;
				keys[n++] = fold_dup(b, w);
			}
			kw = *e ? e + 1 : e;
		}
		for (i = 0; it->categories != NULL && it->categories[i] != NULL && n < max; i++) {
			titles[n] = it->categories[i];
			keys[n++] = fold_dup(b, it->categories[i]);
		}
		if (n == 0)
			keys[n] = "other", titles[n++] = "Other";
		break;
	}
	}
	for (size_t i = 0; i < n; i++)
		if (gb != GB_NONE && gb != GB_SELECTED)
			keys[i] = fold_dup(b, keys[i]);
	return n;
}

static struct group *
find_group(struct glist *g, const char *key, bool listed_only)
{
	size_t i, k;

	for (i = 0; i < g->n; i++) {
		if (listed_only && g->v[i].order == (size_t)-1)
			continue;
		for (k = 0; k < g->v[i].nkeys; k++)
			if (strcmp(g->v[i].keys[k], key) == 0)
				return &g->v[i];
		if (g->v[i].nkeys == 0 && strcmp(g->v[i].key, key) == 0)
			return &g->v[i];
	}
	return NULL;
}

static int
type_rank(const char *key)
{
	size_t i;

	for (i = 0; i + 1 < CVB_ARRAY_SIZE(type_groups); i++) {
		const char *t = type_groups[i].type, *k = key;

		/* keys are folded: "paper-conference" is "paper conference" */
		while (*t != '\0' && (*t == *k || (*t == '-' && *k == ' ')))
			t++, k++;
		if (*t == '\0' && *k == '\0')
			return (int)i;
	}
	return (int)CVB_ARRAY_SIZE(type_groups);
}

static int
group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;	/* listed first, in spec order */
	if (a->gb == GB_TYPE) {
		int x = type_rank(a->key), y = type_rank(b->key);

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (a->gb == GB_YEAR) {
		int x = atoi(a->key), y = atoi(b->key);

		if (x != y) {
			if (x == 0 || y == 0)	/* undated with the newest */
				return (x == 0) == a->descending ? -1 : 1;
			return (x < y) == a->descending ? 1 : -1;
		}
	}
	if (a->gb == GB_KEYWORD && strcmp(a->key, b->key) != 0)
		return strcmp(a->key, b->key);
	return a->seq < b->seq ? -1 : a->seq > b->seq;	/* qsort is not stable */
}

static int
build_groups(cvbib_biblio *b, const struct cvbib_options *e, enum groupby gb,
    struct cvb_item **items, size_t n, struct glist *g, struct cvbib_diags *d)
{
	struct group *wild = NULL;
	size_t i, j;
	int rc;

	if (e->groups != NULL && (rc = parse_groups(b, e->groups, g, d)) != 0)
		return rc;
	for (i = 0; i < g->n; i++)
		if (g->v[i].wildcard)
			wild = &g->v[i];
	for (i = 0; i < n; i++) {
		const char *keys[16], *titles[16];
		size_t nk = item_keys(b, items[i], gb, keys, titles, 16), k;
		struct group *x = NULL;

		if (gb == GB_SELECTED && !(items[i]->flags & CVB_IF_SELECTED))
			continue;
		/* the first listed group that takes one of the item's keys */
		for (j = 0; j < g->n && x == NULL; j++)
			for (k = 0; k < nk && x == NULL; k++)
				if (!g->v[j].wildcard && g->v[j].order != (size_t)-1 &&
				    find_group(g, keys[k], true) == &g->v[j]) {
					x = &g->v[j];
					/* listed without a heading: the key as written */
					if (x->title == NULL && gb != GB_TYPE)
						x->title = titles[k];
				}
		if (x == NULL && wild != NULL)
			x = wild;
		if (x == NULL)
			x = find_group(g, keys[0], false);
		if (x == NULL) {
			x = glist_add(b, g, keys[0]);
			if (x == NULL)
				return -CVBIB_ENOMEM;
			x->keys[x->nkeys++] = keys[0];
			x->title = titles[0];
			if (wild != NULL)	/* glist_add may have moved the array */
				for (j = 0; j < g->n; j++)
					if (g->v[j].wildcard)
						wild = &g->v[j];
		}
		if (x->items == NULL) {
			x->items = malloc(n * sizeof(*x->items));
			if (x->items == NULL)
				return -CVBIB_ENOMEM;
		}
		x->items[x->n++] = items[i];
	}
	/* default headings and prefixes */
	for (i = 0; i < g->n; i++) {
		struct group *x = &g->v[i];

		if (gb == GB_TYPE) {
			int r = type_rank(x->wildcard ? "*" : x->keys[0]);

			if (r == (int)CVB_ARRAY_SIZE(type_groups))
				r = (int)CVB_ARRAY_SIZE(type_groups) - 1;
			if (x->title == NULL)
				x->title = type_groups[r].title;
			if (*x->prefix == '\0')
				x->prefix = type_groups[r].prefix;
		}
		if (x->title == NULL && gb == GB_SELECTED)
			x->title = "Selected Publications";
		if (x->title == NULL && gb != GB_NONE)
			x->title = x->wildcard ? "Other" : x->keys[0];
	}
	for (i = 0; i < g->n; i++) {
		g->v[i].gb = gb;
		g->v[i].descending = e->sort == NULL || strcmp(e->sort, "oldest") != 0;
	}
	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), group_cmp);
	return 0;
}

/* --------------------------------------------------------------- escaping */

static void
html_escape(struct cvb_buf *o, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': cvb_buf_adds(o, "&amp;"); break;
		case '<': cvb_buf_adds(o, "&lt;"); break;
		case '>': cvb_buf_adds(o, "&gt;"); break;
		case '"': cvb_buf_adds(o, "&quot;"); break;
		default: cvb_buf_addch(o, *s); break;
		}
}

static void
md_escape(struct cvb_buf *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_{}[]<>()#+!|~$", *s) != NULL)
			cvb_buf_addch(o, '\\');
		cvb_buf_addch(o, *s);
	}
}

static void
esc(struct cvb_buf *o, enum cvbib_outfmt f, const char *s)
{
	switch (f) {
	case CVBIB_OUT_HTML: html_escape(o, s); break;
	case CVBIB_OUT_MARKDOWN: md_escape(o, s); break;
	case CVBIB_OUT_LATEX: cvb_cv_latex_escape(o, s); break;
	default: cvb_buf_adds(o, s); break;
	}
}

/* Plain text of rich text s, escaped for f. */
static void
esc_rich(struct cvb_buf *o, enum cvbib_outfmt f, const char *s)
{
	struct cvb_buf p = CVB_BUF_INIT;

	cvb_rich_plain(&p, s);
	esc(o, f, p.buf);
	cvbib_buf_release(&p);
}

/* ------------------------------------------------------------- links, notes */

/*
 * A link target as a browser reads it (the WHATWG URL parser): leading and
 * trailing C0 controls and spaces stripped, tabs and newlines removed
 * anywhere.  The scheme is decided on that string: http, https and mailto
 * are written, doi: becomes a doi.org link, a relative path (no scheme) is
 * written, anything else is refused (NULL).  Other control characters are
 * percent-encoded, so none reaches an attribute.  A '&' or '\' before the
 * first '/', '?' or '#' is refused too: a Markdown renderer would decode
 * "&#58;" or "\:" into the ':' of a scheme (issue 20).
 */
static const char *
link_target(cvbib_biblio *b, const char *u)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p, *e, *r = NULL;
	size_t i;

	while (*u != '\0' && (unsigned char)*u <= 0x20)
		u++;
	e = u + strlen(u);
	while (e > u && (unsigned char)e[-1] <= 0x20)
		e--;
	for (p = u; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			cvb_buf_addf(&t, "%%%02X", c);
		else
			cvb_buf_addch(&t, (int)c);
	}
	if (t.err || t.len == 0)
		goto out;
	for (i = 0; i < t.len && !strchr("/?#", t.buf[i]); i++)
		if (t.buf[i] == '&' || t.buf[i] == '\\')
			goto out;
	i = 0;
	if (isalpha((unsigned char)t.buf[0]))
		for (i = 1; isalnum((unsigned char)t.buf[i]) || t.buf[i] == '+' ||
		    t.buf[i] == '-' || t.buf[i] == '.'; i++)
			;
	if (i == 0 || t.buf[i] != ':')
		r = cvb_arena_strndup(&b->arena, t.buf, t.len);	/* relative */
	else if ((i == 4 && strncasecmp(t.buf, "http", 4) == 0) ||
	    (i == 5 && strncasecmp(t.buf, "https", 5) == 0) ||
	    (i == 6 && strncasecmp(t.buf, "mailto", 6) == 0))
		r = cvb_arena_strndup(&b->arena, t.buf, t.len);
	else if (i == 3 && strncasecmp(t.buf, "doi", 3) == 0) {
		const char *d = t.buf + 4;

		while (*d == '/')
			d++;
		if (strncmp(d, "10.", 3) == 0)
			r = cvb_arena_printf(&b->arena, "https://doi.org/%s", d);
	}
out:
	cvbib_buf_release(&t);
	return r;
}

struct link {
	const char	*label, *cls, *url;
};

static size_t
item_links(cvbib_biblio *b, const struct cvb_item *it, struct link *l, size_t max,
    struct cvbib_diags *d)
{
	static const struct { const char *field, *label, *cls; } fields[] = {
		{ "pdf", "PDF", "pdf" }, { "code", "Code", "code" }, { "slides", "Slides", "slides" },
		{ "poster", "Poster", "poster" }, { "video", "Video", "video" },
		{ "website", "Website", "website" }, { "html", "HTML", "html" },
		{ "supp", "Supplement", "supp" }, { "blog", "Blog", "blog" },
	};
	struct cvb_buf k = CVB_BUF_INIT;
	const char *doiurl = NULL;
	size_t n = 0, i;

	if (cvb_cv_doi_key(it, &k)) {
		doiurl = cvb_arena_printf(&b->arena, "https://doi.org/%s", it->str[CVB_V_DOI] ?
		    it->str[CVB_V_DOI] : strstr(it->str[CVB_V_URL], "doi.org/") + 8);
		/* keep the DOI as written, only without a URL or doi: prefix */
		if (it->str[CVB_V_DOI] != NULL && strncmp(it->str[CVB_V_DOI], "10.", 3) != 0)
			doiurl = cvb_arena_printf(&b->arena, "https://doi.org/%s",
			    strstr(it->str[CVB_V_DOI], "10."));
		l[n++] = (struct link){ "DOI", "doi", doiurl };
	}
	cvb_buf_reset(&k);
	if (cvb_cv_arxiv_key(it, &k) && n < max)
		l[n++] = (struct link){ "arXiv", "arxiv",
		    cvb_arena_printf(&b->arena, "https://arxiv.org/abs/%s", k.buf) };
	if (it->str[CVB_V_URL] != NULL && n < max &&
	    (doiurl == NULL || strcmp(it->str[CVB_V_URL], doiurl) != 0) &&
	    strstr(it->str[CVB_V_URL], "doi.org/") == NULL &&
	    strstr(it->str[CVB_V_URL], "arxiv.org/abs/") == NULL)
		l[n++] = (struct link){ "URL", "url", it->str[CVB_V_URL] };
	for (i = 0; i < CVB_ARRAY_SIZE(fields) && n < max; i++) {
		const char *u = cvb_cv_extra(b, it, fields[i].field);

		if (u == NULL || *u == '\0' || truthy(u) || strcmp(u, "false") == 0)
			continue;
		l[n++] = (struct link){ fields[i].label, fields[i].cls, u };
	}
	cvbib_buf_release(&k);
	/* drop what no browser should open */
	for (i = 0; i < n; ) {
		const char *t = link_target(b, l[i].url);

		if (t != NULL) {
			l[i++].url = t;
			continue;
		}
		{
			struct cvb_buf shown = CVB_BUF_INIT;
			const char *q;

			for (q = l[i].url; *q != '\0'; q++)	/* no control character in the message */
				if ((unsigned char)*q < 0x20 || *q == 0x7f)
					cvb_buf_addf(&shown, "\\x%02x", (unsigned char)*q);
				else
					cvb_buf_addch(&shown, *q);
			cvb_diag(d, CVB_D_CV_MARKER, it->loc.file, it->loc.line, it->loc.column,
			    "link '%s' dropped: only http, https, mailto, doi: and relative links are written",
			    shown.buf);
			cvbib_buf_release(&shown);
			memmove(&l[i], &l[i + 1], (n - i - 1) * sizeof(*l));
			n--;
		}
	}
	return n;
}

static void
url_attr(struct cvb_buf *o, const char *u)
{
	html_escape(o, u);
}

static void
md_url(struct cvb_buf *o, const char *u)
{
	for (; *u != '\0'; u++)
		switch (*u) {
		case ' ': cvb_buf_adds(o, "%20"); break;
		case '"': cvb_buf_adds(o, "%22"); break;
		case '(': cvb_buf_adds(o, "%28"); break;
		case ')': cvb_buf_adds(o, "%29"); break;
		case '<': cvb_buf_adds(o, "%3C"); break;
		case '>': cvb_buf_adds(o, "%3E"); break;
		case '\\': cvb_buf_adds(o, "%5C"); break;
		default: cvb_buf_addch(o, *u); break;
		}
}

static void
write_links(struct cvb_buf *o, enum cvbib_outfmt f, const struct link *l, size_t n)
{
	size_t i;

	if (n == 0 || (f != CVBIB_OUT_HTML && f != CVBIB_OUT_MARKDOWN))
		return;
	if (f == CVBIB_OUT_HTML)
		cvb_buf_adds(o, " <span class=\"cvbib-links\">");
	for (i = 0; i < n; i++) {
		if (f == CVBIB_OUT_HTML) {
			cvb_buf_addf(o, "%s<a class=\"cvbib-link cvbib-link-%s\" href=\"", i ? " " : "", l[i].cls);
			url_attr(o, l[i].url);
			cvb_buf_addf(o, "\">%s</a>", l[i].label);
		} else {
			cvb_buf_addf(o, " [%s](", l[i].label);
			md_url(o, l[i].url);
			cvb_buf_addch(o, ')');
		}
	}
	if (f == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "</span>");
}

/* Does the formatted entry already say s (case-insensitively)? */
static bool
says(const char *text, const char *s)
{
	return strcasestr(text, s) != NULL;
}

static void
write_note(struct cvb_buf *o, enum cvbib_outfmt f, enum cvb_note_kind k, const char *text)
{
	static const char *const cls[] = { "cvbib-award", "cvbib-status", "cvbib-presentation", "cvbib-note" };

	switch (f) {
	case CVBIB_OUT_HTML:
		cvb_buf_addf(o, " <span class=\"%s\">", cls[k]);
		if (k == CVB_NOTE_STATUS || k == CVB_NOTE_PRESENTATION)
			cvb_buf_addch(o, '(');
		esc_rich(o, f, text);
		if (k == CVB_NOTE_STATUS || k == CVB_NOTE_PRESENTATION)
			cvb_buf_addch(o, ')');
		cvb_buf_adds(o, "</span>");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " **" : k == CVB_NOTE_OTHER ? " " : " *(");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "**" : k == CVB_NOTE_OTHER ? "" : ")*");
		break;
	case CVBIB_OUT_LATEX:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " \\emph{" : k == CVB_NOTE_OTHER ? " " : " (");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "}" : k == CVB_NOTE_OTHER ? "" : ")");
		break;
	default:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " [" : k == CVB_NOTE_OTHER ? " " : " (");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "]" : k == CVB_NOTE_OTHER ? "" : ")");
		break;
	}
}

static void
write_notes(struct cvb_buf *o, enum cvbib_outfmt f, const struct cvb_item *it, const char *text)
{
	static const enum cvb_note_kind order[] = {
		CVB_NOTE_STATUS, CVB_NOTE_PRESENTATION, CVB_NOTE_AWARD, CVB_NOTE_OTHER
	};
	const struct cvb_note *n;
	size_t i;

	/* CSL's status variable, unless the style printed it */
	if (it->str[CVB_V_STATUS] != NULL && !says(text, it->str[CVB_V_STATUS]) &&
	    !has_note(it, CVB_NOTE_STATUS, it->str[CVB_V_STATUS]))
		write_note(o, f, CVB_NOTE_STATUS, it->str[CVB_V_STATUS]);
	for (i = 0; i < CVB_ARRAY_SIZE(order); i++)
		for (n = it->notes; n != NULL; n = n->next)
			if (n->kind == order[i] && n->text != NULL && *n->text != '\0' &&
			    (n->kind != CVB_NOTE_STATUS || !says(text, n->text)))
				write_note(o, f, n->kind, n->text);
}

/* ------------------------------------------------------ markers and legend */

#define MARK_EQUAL	"*"
#define MARK_CORRESP	"\xE2\x80\xA0"	/* U+2020 dagger */

/* The markers in use, for the legend: the first symbol seen of each kind. */
struct legend {
	const char	*equal, *corresp;
};

/* Give flagged names their marker (the input's own, else * and the dagger)
 * and note the symbols in use. */
static void
set_markers(cvbib_biblio *b, struct cvb_item *it, struct legend *lg)
{
	struct cvb_name *n;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		unsigned f = n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP);

		if (f == 0)
			continue;
		if (n->marker == NULL)
			n->marker = f == (CVB_NF_EQUAL | CVB_NF_CORRESP) ?
			    cvb_arena_strdup(&b->arena, MARK_EQUAL MARK_CORRESP) :
			    f == CVB_NF_EQUAL ? MARK_EQUAL : MARK_CORRESP;
		if (f == CVB_NF_EQUAL && lg->equal == NULL)
			lg->equal = n->marker;
		else if (f == CVB_NF_CORRESP && lg->corresp == NULL)
			lg->corresp = n->marker;
		else if (f == (CVB_NF_EQUAL | CVB_NF_CORRESP)) {
			/* one symbol for both: the defaults tell them apart */
			if (lg->equal == NULL)
				lg->equal = strcmp(n->marker, MARK_EQUAL MARK_CORRESP) == 0 ?
				    MARK_EQUAL : n->marker;
			if (lg->corresp == NULL)
				lg->corresp = strcmp(n->marker, MARK_EQUAL MARK_CORRESP) == 0 ?
				    MARK_CORRESP : n->marker;
		}
	}
}

static void
write_legend(struct cvb_buf *o, enum cvbib_outfmt f, const cvbib_biblio *b,
    const struct legend *lg)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (lg->equal == NULL && lg->corresp == NULL)
		return;
	if (lg->equal != NULL) {
		if (b->equal_legend != NULL) {
			/* the CV's own legend, as it wrote it */
			struct cvb_buf p = CVB_BUF_INIT;

			cvb_rich_plain(&p, b->equal_legend);
			cvb_buf_add(&t, p.buf, p.len);
			if (p.len > 0 && p.buf[p.len - 1] != '.')
				cvb_buf_addch(&t, '.');
			cvbib_buf_release(&p);
		} else
			cvb_buf_addf(&t, "%s Equal contribution.", lg->equal);
	}
	/* the CV's own legend line may explain both markers already */
	if (lg->corresp != NULL && !(lg->equal != NULL && b->equal_legend != NULL &&
	    (strstr(t.buf, lg->corresp) != NULL || strcasestr(t.buf, "correspond") != NULL)))
		cvb_buf_addf(&t, "%s%s Corresponding author.", t.len ? " " : "", lg->corresp);
	switch (f) {
	case CVBIB_OUT_HTML:
		cvb_buf_adds(o, "<p class=\"cvbib-legend\">");
		html_escape(o, t.buf);
		cvb_buf_adds(o, "</p>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		md_escape(o, t.buf);
		cvb_buf_adds(o, "\n");
		break;
	case CVBIB_OUT_LATEX:
		cvb_buf_adds(o, "\\par\\smallskip\\noindent{\\footnotesize ");
		cvb_cv_latex_escape(o, t.buf);
		cvb_buf_adds(o, "}\\par\n");
		break;
	default:
		cvb_buf_adds(o, t.buf);
		cvb_buf_addch(o, '\n');
		break;
	}
	cvbib_buf_release(&t);
}

/* ----------------------------------------------------------------- output */

enum latexlist { LL_ITEMIZE, LL_ENUMERATE, LL_BIBLIOGRAPHY };

struct entry {
	struct cvb_item	*it;
	struct group	*g;
	char		 label[32];
	char		*text;		/* engine output, malloc'd */
	bool		 own_label;	/* we print the label (the style did not) */
};

struct cvctx {
	cvbib_biblio	*b;
	enum cvbib_outfmt fmt;
	const struct cvbib_options *e;
	enum latexlist	 ll;
	struct entry	*v;
	size_t		 n;
	struct cvbib_diags *d;
};

static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void
latex_key(struct cvb_buf *o, const struct entry *x, size_t i)
{
	const char *k = x->it->key ? x->it->key : x->it->id;

	if (k == NULL || *k == '\0') {
		cvb_buf_addf(o, "cvbib%zu", i + 1);
		return;
	}
	for (; *k != '\0'; k++)
		cvb_buf_addch(o, isalnum((unsigned char)*k) || strchr(":-_./", *k) ? *k : '-');
}

static void
write_heading(struct cvb_buf *o, const struct cvctx *c, const struct group *g)
{
	size_t i, n;

	if (g->title == NULL)
		return;
	switch (c->fmt) {
	case CVBIB_OUT_HTML:
		cvb_buf_adds(o, "<h2 class=\"cvbib-heading\">");
		html_escape(o, g->title);
		cvb_buf_adds(o, "</h2>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, "## ");
		md_escape(o, g->title);
		cvb_buf_adds(o, "\n\n");
		break;
	case CVBIB_OUT_LATEX:
		if (c->ll == LL_BIBLIOGRAPHY) {
			cvb_buf_adds(o, "\\def\\refname{");
			cvb_cv_latex_escape(o, g->title);
			cvb_buf_adds(o, "}\\def\\bibname{\\refname}%\n");
		} else {
			cvb_buf_adds(o, "\\cvbibheading{");
			cvb_cv_latex_escape(o, g->title);
			cvb_buf_adds(o, "}\n");
		}
		break;
	default:
		cvb_buf_adds(o, g->title);
		cvb_buf_addch(o, '\n');
		n = utf8_len(g->title);
		for (i = 0; i < n; i++)
			cvb_buf_addch(o, '-');
		cvb_buf_addch(o, '\n');
		break;
	}
}

static void
write_entry(struct cvb_buf *o, struct cvctx *c, struct entry *x, size_t idx)
{
	struct link links[16];
	size_t nl = item_links(c->b, x->it, links, CVB_ARRAY_SIZE(links), c->d);
	const char *text = x->text ? x->text : "";

	switch (c->fmt) {
	case CVBIB_OUT_HTML:
		cvb_buf_addf(o, "  <li class=\"cvbib-entry%s\">",
		    (x->it->flags & CVB_IF_SELECTED) ? " cvbib-selected" : "");
		if (x->own_label) {
			cvb_buf_adds(o, "<span class=\"cvbib-label\">[");
			html_escape(o, x->label);
			cvb_buf_adds(o, "]</span> ");
		}
		cvb_buf_adds(o, "<span class=\"cvbib-text\">");
		cvb_buf_adds(o, text);
		cvb_buf_adds(o, "</span>");
		write_notes(o, c->fmt, x->it, text);
		write_links(o, c->fmt, links, nl);
		cvb_buf_adds(o, "</li>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, "- ");
		if (x->own_label) {
			cvb_buf_adds(o, "\\[");
			md_escape(o, x->label);
			cvb_buf_adds(o, "\\] ");
		}
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		write_links(o, c->fmt, links, nl);
		cvb_buf_addch(o, '\n');
		break;
	case CVBIB_OUT_LATEX:
		if (c->ll == LL_BIBLIOGRAPHY) {
			cvb_buf_adds(o, "\\bibitem[{");
			cvb_cv_latex_escape(o, x->label);
			cvb_buf_adds(o, "}]{");
			latex_key(o, x, idx);
			cvb_buf_adds(o, "} ");
		} else if (x->own_label) {
			cvb_buf_adds(o, c->ll == LL_ENUMERATE ? "\\item[{" : "\\item[{[");
			cvb_cv_latex_escape(o, x->label);
			cvb_buf_adds(o, c->ll == LL_ENUMERATE ? ".}] " : "]}] ");
		} else
			cvb_buf_adds(o, "\\item{} ");	/* {}: text may start with '[' */
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		cvb_buf_addch(o, '\n');
		break;
	default:
		if (x->own_label)
			cvb_buf_addf(o, "[%s] ", x->label);
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		cvb_buf_addch(o, '\n');
		break;
	}
}

static const char latex_header[] =
"% Publication list written by cvbib (doc/cv.md).  \\input it in the body of\n"
"% a LaTeX document.  Each group heading is \\cvbibheading{TITLE}: define it\n"
"% before the \\input to change how headings look.\n"
"\\ifcsname cvbibheading\\endcsname\\else\n"
"\\ifcsname moderncvstyle\\endcsname\\def\\cvbibheading#1{\\subsection{#1}}%\n"
"\\else\\def\\cvbibheading#1{\\subsection*{#1}}\\fi\n"
"\\fi\n";

static void
write_groups(struct cvb_buf *o, struct cvctx *c, struct glist *g, const struct legend *legend)
{
	size_t i, k = 0;

	if (c->fmt == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "<div class=\"cvbib\">\n");
	if (c->fmt == CVBIB_OUT_LATEX && c->ll != LL_BIBLIOGRAPHY)
		cvb_buf_adds(o, latex_header);
	for (i = 0; i < g->n; i++) {
		struct group *x = &g->v[i];
		size_t j, widest = 0;

		if (x->n == 0)
			continue;
		if (c->fmt == CVBIB_OUT_HTML)
			cvb_buf_addf(o, "<section class=\"cvbib-group cvbib-group-%s\">\n", x->slug);
		else if (k > 0 && c->fmt != CVBIB_OUT_LATEX)
			cvb_buf_addch(o, '\n');
		if (c->fmt == CVBIB_OUT_LATEX && c->ll == LL_BIBLIOGRAPHY)
			cvb_buf_adds(o, "\\begingroup\n");
		write_heading(o, c, x);
		switch (c->fmt) {
		case CVBIB_OUT_HTML:
			cvb_buf_adds(o, "<ul class=\"cvbib-list\">\n");
			break;
		case CVBIB_OUT_LATEX:
			for (j = 0; j < x->n; j++)
				if (strlen(c->v[k + j].label) > strlen(c->v[k + widest].label))
					widest = j;
			if (c->ll == LL_BIBLIOGRAPHY) {
				cvb_buf_adds(o, "\\begin{thebibliography}{");
				cvb_cv_latex_escape(o, c->v[k + widest].label);
				cvb_buf_adds(o, "}\n");
			} else
				cvb_buf_adds(o, c->ll == LL_ENUMERATE ? "\\begin{enumerate}\n" :
				    "\\begin{itemize}\n");
			break;
		default:
			break;
		}
		for (j = 0; j < x->n; j++, k++)
			write_entry(o, c, &c->v[k], k);
		switch (c->fmt) {
		case CVBIB_OUT_HTML:
			cvb_buf_adds(o, "</ul>\n</section>\n");
			break;
		case CVBIB_OUT_LATEX:
			cvb_buf_adds(o, c->ll == LL_BIBLIOGRAPHY ? "\\end{thebibliography}\n\\endgroup\n" :
			    c->ll == LL_ENUMERATE ? "\\end{enumerate}\n" : "\\end{itemize}\n");
			break;
		default:
			break;
		}
	}
	if (legend->equal != NULL || legend->corresp != NULL) {
		if (c->fmt == CVBIB_OUT_TEXT || c->fmt == CVBIB_OUT_MARKDOWN)
			cvb_buf_addch(o, '\n');
		write_legend(o, c->fmt, c->b, legend);
	}
	if (c->fmt == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "</div>\n");
}

static const char html_css[] =
"body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.45;\n"
"       max-width: 50em; margin: 2em auto; padding: 0 1em; color: #222; }\n"
".cvbib-heading { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 1.5em; }\n"
".cvbib-list { list-style: none; padding-left: 0; }\n"
".cvbib-entry { margin: 0 0 0.6em 0; padding-left: 2em; text-indent: -2em; }\n"
".cvbib-label { display: inline-block; min-width: 2em; text-indent: 0; color: #555; }\n"
".cvbib-highlight { font-weight: bold; }\n"
".cvbib-award { font-weight: bold; color: #8a5a00; }\n"
".cvbib-status, .cvbib-presentation { font-style: italic; }\n"
".cvbib-links { white-space: nowrap; }\n"
".cvbib-link { font-size: 0.8em; border: 1px solid #888; border-radius: 3px;\n"
"              padding: 0 0.35em; text-decoration: none; text-indent: 0; }\n"
".cvbib-legend { font-size: 0.9em; color: #555; }\n";

/* Find the citation-number stand-in of entry i in text (case-insensitively). */
static char *
find_stand_in(char *text, size_t i, size_t *len)
{
	char tag[40];

	snprintf(tag, sizeof(tag), "cvbibnum%zuz", i);
	*len = strlen(tag);
	return strcasestr(text, tag);
}

/* Run the engine over the entries in display order and fill in their text. */
static int
format_entries(struct cvctx *c, cvbib_style *style)
{
	cvbib_biblio *tmp = cvbib_biblio_new();
	struct cvb_csl_entry *ents = NULL;
	const char **saved;
	size_t i, j, ne = 0;
	int rc;

	saved = calloc(c->n ? c->n : 1, sizeof(*saved));
	if (tmp == NULL || saved == NULL) {
		cvbib_biblio_free(tmp);
		free(saved);
		return -CVBIB_ENOMEM;
	}
	tmp->items = malloc((c->n ? c->n : 1) * sizeof(*tmp->items));
	if (tmp->items == NULL) {
		cvbib_biblio_free(tmp);
		free(saved);
		return -CVBIB_ENOMEM;
	}
	tmp->alloc = c->n ? c->n : 1;
	tmp->input_format = c->b->input_format;
	for (i = 0; i < c->n; i++) {
		struct cvb_item *it = c->v[i].it;

		saved[i] = it->str[CVB_V_CITATION_NUMBER];
		it->str[CVB_V_CITATION_NUMBER] = cvb_arena_printf(&c->b->arena, "cvbibnum%zuz", i);
		tmp->items[tmp->n++] = it;
	}
	rc = cvb_csl_bibliography_entries(style, tmp, c->fmt, 0, &ents, &ne, c->d);
	for (i = 0; i < c->n; i++)
		c->v[i].it->str[CVB_V_CITATION_NUMBER] = saved[i];
	if (rc == 0) {
		for (j = 0; j < ne; j++) {
			size_t k = j < c->n && c->v[j].it == ents[j].item ? j : c->n;

			for (i = 0; k == c->n && i < c->n; i++)
				if (c->v[i].it == ents[j].item && c->v[i].text == NULL)
					k = i;
			if (k == c->n || ents[j].text == NULL)
				continue;
			c->v[k].text = ents[j].text;
			ents[j].text = NULL;
		}
	}
	cvb_csl_entries_free(ents, ne);
	tmp->n = 0;
	cvbib_biblio_free(tmp);
	free(saved);
	return rc;
}

/* Is the style's number (the stand-in at p, len bytes) at the start of the
 * entry?  Then cut it out with its affixes ("[", "]", ".", the HTML margin
 * column of second-field-align) and return true: the list prints its own
 * label there, in one form for every style. */
static bool
cut_leading_number(char *text, char *p, size_t len)
{
	static const char margin[] = "<div class=\"csl-left-margin\">";
	static const char inline_[] = "<div class=\"csl-right-inline\">";
	char *s = text, *q, *m = NULL;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, margin, sizeof(margin) - 1) == 0) {
		m = s;
		s += sizeof(margin) - 1;
	}
	/* before: only brackets and escapes */
	for (q = s; q < p; q++)
		if (strchr("[(\\{", *q) == NULL)
			return false;
	if (p - s > 3)
		return false;
	q = p + len;
	/* after: closing brackets and punctuation, then space */
	for (n = 0; *q != '\0' && n < 4; q++, n++)
		if (strchr("])}.:", *q) == NULL &&
		    (*q != '\\' || q[1] == '\0' || strchr("])", q[1]) == NULL))
			break;	/* a backslash only as the escape of a bracket */
	if (m != NULL) {
		char *e;

		if (strncmp(q, "</div>", 6) != 0)
			return false;
		q += 6;
		while (isspace((unsigned char)*q))
			q++;
		if (strncmp(q, inline_, sizeof(inline_) - 1) == 0 &&
		    (e = strrchr(q, '<')) != NULL && strcmp(e, "</div>") == 0) {
			*e = '\0';		/* unwrap the right column */
			q += sizeof(inline_) - 1;
		}
		memmove(text, q, strlen(q) + 1);
		return true;
	}
	if (*q != '\0' && !isspace((unsigned char)*q) && q == p + len)
		return false;	/* "12345abc": not a label */
	while (isspace((unsigned char)*q))
		q++;
	memmove(text, q, strlen(q) + 1);
	return true;
}

/* Put the labels in.  Where the style printed the number at the start of an
 * entry, the list prints its label instead; where it printed it elsewhere,
 * the label takes its place; otherwise the list prints the label when
 * numbers are wanted (own_label). */
static void
place_labels(struct cvctx *c, bool want)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct entry *x = &c->v[i];
		struct cvb_buf t = CVB_BUF_INIT;
		size_t len;
		char *p;

		x->own_label = want;
		if (x->text == NULL || (p = find_stand_in(x->text, i, &len)) == NULL)
			continue;
		if (cut_leading_number(x->text, p, len)) {
			x->own_label = true;
			continue;
		}
		cvb_buf_add(&t, x->text, (size_t)(p - x->text));
		cvb_buf_adds(&t, x->label);
		cvb_buf_adds(&t, p + len);
		free(x->text);
		x->text = cvbib_buf_detach(&t, NULL);
		x->own_label = false;
	}
}

static int
check_choice(const char *v, const char *opt, const char *const *ok, struct cvbib_diags *d)
{
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(v, ok[i]) == 0)
			return (int)i;
	cvb_diag(d, CVB_D_CV_OPTION, NULL, 0, 0, "%s '%s' is not one of the choices (see --help)", opt, v);
	return -1;
}

int
cvb_write_formatted(cvbib_biblio *b, enum cvbib_outfmt fmt, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	static const char *const groupbys[] = { "none", "type", "year", "keyword", "selected", "section", NULL };
	static const char *const sorts[] = { "newest", "oldest", "author", "title", "none", "style", NULL };
	static const char *const lists[] = { "itemize", "enumerate", "thebibliography", NULL };
	static const char *const owner_etal[] = { "show", "all", "style", NULL };
	struct cvbib_options e;
	struct cvctx c;
	struct glist g = { NULL, 0, 0 };
	struct cvb_item **items = NULL;
	cvbib_style *style = NULL;
	struct cvb_buf body = CVB_BUF_INIT;
	enum groupby gb;
	size_t n, i, j, k;
	struct legend legend = { NULL, NULL };
	int rc, gbi, si, lli, oei;

	rc = cvb_cv_prepare(b, opts, &e, d);
	if (rc != 0)
		return rc;
	gbi = check_choice(e.group_by, "--group-by", groupbys, d);
	si = check_choice(e.sort, "--sort", sorts, d);
	lli = check_choice(e.latex_list, "--latex-list", lists, d);
	oei = check_choice(e.owner_in_etal, "--owner-in-etal", owner_etal, d);
	if (gbi < 0 || si < 0 || lli < 0 || oei < 0)
		return -CVBIB_EUSAGE;
	gb = (enum groupby)gbi;
	if (fmt == CVBIB_OUT_LATEX && e.latex_preamble > 0)
		return cvb_cv_biblatex_preamble(b, opts, out, d);
	rc = cvbib_style_load(&style, e.style ? e.style : "apa", e.locale, &e, d);
	if (rc != 0)
		return rc;
	/* show (the default), all, style */
	style->owner_etal = oei == 1 ? OWNER_ETAL_ALL : oei == 2 ? OWNER_ETAL_STYLE : OWNER_ETAL_SHOW;
	if (!is_cv_list(b, &e)) {
		/* a plain reference list: the engine's own */
		rc = cvbib_format_bibliography(style, b, fmt, out, d);
		cvbib_style_free(style);
		return rc;
	}
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.fmt = fmt;
	c.e = &e;
	c.d = d;
	c.ll = lli == 2 ? LL_BIBLIOGRAPHY : lli == 1 ? LL_ENUMERATE : LL_ITEMIZE;
	n = b->n;
	items = malloc((n ? n : 1) * sizeof(*items));
	if (items == NULL)
		goto nomem;
	if (n > 0)
		memcpy(items, b->items, n * sizeof(*items));
	if (e.dedupe != 0)
		n = cvb_cv_dedupe(b, items, n, d);
	if (e.sort != NULL && strcmp(e.sort, "style") == 0) {
		/* the style's order: ask the engine for it */
		struct cvb_csl_entry *ents = NULL;
		size_t ne = 0;
		cvbib_biblio *tmp = cvbib_biblio_new();

		if (tmp == NULL || (tmp->items = malloc(n * sizeof(*items) + 1)) == NULL) {
			cvbib_biblio_free(tmp);
			goto nomem;
		}
		memcpy(tmp->items, items, n * sizeof(*items));
		tmp->n = tmp->alloc = n;
		rc = cvb_csl_bibliography_entries(style, tmp, fmt, 1, &ents, &ne, d);
		if (rc == 0 && ne == n)
			for (i = 0; i < n; i++)
				items[i] = ents[i].item;
		cvb_csl_entries_free(ents, ne);
		tmp->n = 0;
		cvbib_biblio_free(tmp);
		if (rc != 0)
			goto done;
	} else if (cvb_cv_sort(items, n, e.sort ? e.sort : "newest") != 0)
		goto nomem;
	rc = build_groups(b, &e, gb, items, n, &g, d);
	if (rc != 0)
		goto done;
	for (i = 0, k = 0; i < g.n; i++)
		k += g.v[i].n;
	if (k == 0 && n > 0)
		cvb_diag(d, CVB_D_CV_EMPTY, NULL, 0, 0, "no entry is in any group%s",
		    gb == GB_SELECTED ? " (no entry is marked selected)" : "");
	c.v = calloc(k ? k : 1, sizeof(*c.v));
	if (c.v == NULL)
		goto nomem;
	/* number: per group with prefixes, else across all groups */
	for (i = 0; i < g.n; i++) {
		struct group *x = &g.v[i];

		for (j = 0; j < x->n; j++) {
			struct entry *y = &c.v[c.n];
			size_t num;

			y->it = x->items[j];
			y->g = x;
			if (e.group_prefix > 0)
				num = e.countdown > 0 ? x->n - j : j + 1;
			else
				num = e.countdown > 0 ? k - c.n : c.n + 1;
			snprintf(y->label, sizeof(y->label), "%s%zu",
			    e.group_prefix > 0 ? x->prefix : "", num);
			set_markers(b, y->it, &legend);
			c.n++;
		}
	}
	rc = format_entries(&c, style);
	if (rc != 0)
		goto done;
	place_labels(&c, e.countdown > 0 || e.group_prefix > 0 ||
	    (fmt == CVBIB_OUT_LATEX && c.ll != LL_ITEMIZE));
	write_groups(&body, &c, &g, &legend);
	if (fmt == CVBIB_OUT_HTML && e.standalone > 0) {
		cvb_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"generator\" content=\"cvbib " CVBIB_VERSION "\">\n"
		    "<link rel=\"icon\" href=\"data:,\">\n"
		    "<title>Publications</title>\n<style>\n");
		cvb_buf_adds(out, html_css);
		cvb_buf_adds(out, "</style>\n</head>\n<body>\n<main>\n"
		    "<h1 class=\"cvbib-title\">Publications</h1>\n");
		cvb_buf_add(out, body.buf, body.len);
		cvb_buf_adds(out, "</main>\n</body>\n</html>\n");
	} else
		cvb_buf_add(out, body.buf, body.len);
	if (out->err)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	rc = -CVBIB_ENOMEM;
done:
	for (i = 0; i < c.n; i++)
		free(c.v[i].text);
	free(c.v);
	for (i = 0; i < g.n; i++)
		free(g.v[i].items);
	free(g.v);
	free(items);
	cvbib_buf_release(&body);
	cvbib_style_free(style);
	return rc;
}

/* ------------------------------------------------- biblatex: --latex-preamble */

static const char biblatex_setup[] =
"\\makeatletter\n"
"\\@ifpackageloaded{biblatex}{}{%\n"
"  \\RequirePackage[backend=biber,style=numeric,sorting=none]{biblatex}}\n"
"\\ExecuteBibliographyOptions{sorting=none}\n"
"% The CV owner in bold and the markers of equal contribution and\n"
"% corresponding authors, from the annotations that cvbib writes in the .bib\n"
"% (author+an = {2=highlight,equal}).\n"
"\\renewcommand*{\\mkbibcompletename}[1]{%\n"
"  \\ifitemannotation{highlight}{\\textbf{#1}}{#1}%\n"
"  \\ifitemannotation{equal}{\\textsuperscript{*}}{}%\n"
"  \\ifitemannotation{corresponding}{\\textsuperscript{\\textdagger}}{}}\n";

static const char biblatex_countdown[] =
"% Count-down numbers: the entries of each refsection are counted (once each)\n"
"% as they are read, and number k of n is printed as n+1-k.\n"
"\\AtDataInput{\\ifcsdef{cvbib@seen@\\the\\c@refsection @\\thefield{entrykey}}{}{%\n"
"  \\csgdef{cvbib@seen@\\the\\c@refsection @\\thefield{entrykey}}{}%\n"
"  \\csnumgdef{cvbib@total@\\the\\c@refsection}{%\n"
"    \\csuse{cvbib@total@\\the\\c@refsection}+1}}}\n"
"\\DeclareFieldFormat{labelnumber}{%\n"
"  \\number\\numexpr\\csuse{cvbib@total@\\the\\c@refsection}+1-#1\\relax}\n";

/* The keys under which the .bib holds the items: the BibTeX writer may make
 * keys of its own, so its output is read back (cvb_cv_biblatex_keys()). */
static const char **
bib_keys(cvbib_biblio *b, const struct cvbib_options *o)
{
	const char **keys = cvb_arena_alloc(&b->arena, (b->n + 1) * sizeof(*keys));
	struct cvbib_options plain = *o;
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	struct cvb_buf bib = CVB_BUF_INIT;
	size_t i;

	if (keys == NULL)
		return NULL;
	plain.latex_preamble = 0;
	if (cvb_write_biblatex(b, &plain, &bib, &quiet) == 0)
		cvb_cv_biblatex_keys(b, bib.buf, keys);
	for (i = 0; i < b->n; i++)
		if (keys[i] == NULL)
			keys[i] = b->items[i]->key ? b->items[i]->key : b->items[i]->id;
	cvbib_buf_release(&bib);
	cvbib_diags_release(&quiet);
	return keys;
}

/* The keys of v[0..n) separated by commas; keys[] by position in b. */
static void
key_list(struct cvb_buf *o, struct cvb_item **v, size_t n, cvbib_biblio *b, const char **keys)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *k = v[i]->key ? v[i]->key : v[i]->id;

		if (keys != NULL && v[i]->seq < b->n && b->items[v[i]->seq] == v[i])
			k = keys[v[i]->seq];

		if (k == NULL)
			continue;
		if (i > 0)
			cvb_buf_addch(o, ',');
		cvb_buf_adds(o, k);
	}
}

/*
 * biblatex's maxbibnames for --owner-in-etal: "all" lists every name; "show"
 * (the default) lists at least as many names as the latest position of the
 * owner in an author list, so that biblatex's et al. never hides the owner
 * (maxbibnames and minbibnames both that many, and maxbibnames never below
 * biblatex's default of 3); "style" leaves biblatex's settings.
 */
static void
owner_maxbibnames(struct cvb_buf *out, struct cvb_item **items, size_t n, const char *mode)
{
	size_t i, k = 0;

	if (mode != NULL && strcmp(mode, "style") == 0)
		return;
	if (mode != NULL && strcmp(mode, "all") == 0) {
		cvb_buf_adds(out, "% every author (--owner-in-etal all)\n"
		    "\\ExecuteBibliographyOptions{maxbibnames=999,minbibnames=999}\n");
		return;
	}
	for (i = 0; i < n; i++) {
		const struct cvb_name *nm;
		size_t pos = 0;
		for (nm = items[i]->names[CVB_NV_AUTHOR]; nm != NULL; nm = nm->next) {
			pos++;
			if (nm->flags & CVB_NF_HIGHLIGHT) {
				if (pos > k) k = pos;
				break;
			}
		}
	}
	if (k <= 1)
		return;
	cvb_buf_addf(out, "%% the owner is never hidden by et al. (--owner-in-etal show): as many\n"
	    "%% names as the owner's latest position in an author list\n"
	    "\\ExecuteBibliographyOptions{maxbibnames=%zu,minbibnames=%zu}\n", k < 3 ? (size_t)3 : k, k);
}

int
cvb_cv_biblatex_preamble(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	static const char *const groupbys[] = { "none", "type", "year", "keyword", "selected", "section", NULL };
	static const char *const sorts[] = { "newest", "oldest", "author", "title", "none", NULL };
	static const char *const owner_etal[] = { "show", "all", "style", NULL };
	struct cvbib_options e;
	struct glist g = { NULL, 0, 0 };
	struct cvb_item **items;
	const char **keys;
	size_t n, i;
	int rc, gbi;

	rc = cvb_cv_prepare(b, opts, &e, d);
	if (rc != 0)
		return rc;
	gbi = check_choice(e.group_by, "--group-by", groupbys, d);
	if (gbi < 0 || check_choice(e.sort, "--sort", sorts, d) < 0 ||
	    check_choice(e.owner_in_etal, "--owner-in-etal", owner_etal, d) < 0)
		return -CVBIB_EUSAGE;
	n = b->n;
	items = malloc((n ? n : 1) * sizeof(*items));
	if (items == NULL)
		return -CVBIB_ENOMEM;
	if (n > 0)
		memcpy(items, b->items, n * sizeof(*items));
	if (e.dedupe != 0)
		n = cvb_cv_dedupe(b, items, n, d);
	if (cvb_cv_sort(items, n, e.sort ? e.sort : "newest") != 0) {
		free(items);
		return -CVBIB_ENOMEM;
	}
	rc = build_groups(b, &e, (enum groupby)gbi, items, n, &g, d);
	if (rc != 0)
		goto done;
	keys = bib_keys(b, &e);
	cvb_buf_adds(out,
	    "% biblatex set-up for a CV, written by cvbib --latex-preamble\n"
	    "% (doc/cv.md).  In the preamble:\n"
	    "%     \\input{THIS FILE}\n"
	    "%     \\addbibresource{publications.bib}  % cvbib --format biblatex\n"
	    "% and in the document, where the publications go:\n"
	    "%     \\cvbibpublications\n"
	    "% Then run pdflatex, biber, pdflatex.\n");
	cvb_buf_adds(out, biblatex_setup);
	owner_maxbibnames(out, items, n, e.owner_in_etal);
	if (e.countdown > 0)
		cvb_buf_adds(out, biblatex_countdown);
	cvb_buf_adds(out,
	    "\\ifcsname cvbibheading\\endcsname\\else\\def\\cvbibheading#1{\\subsection*{#1}}\\fi\n"
	    "\\defbibheading{cvbibgroup}[]{\\cvbibheading{#1}}\n");
	if (e.group_prefix <= 0) {
		/* one refsection, numbered across the groups; a category per group */
		size_t gi = 0;

		for (i = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_addf(out, "\\DeclareBibliographyCategory{cvbib%zu}\n", ++gi);
			cvb_buf_addf(out, "\\addtocategory{cvbib%zu}{", gi);
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
			cvb_buf_adds(out, "}\n");
		}
		cvb_buf_adds(out, "\\newcommand{\\cvbibpublications}{%\n  \\begin{refsection}%\n  \\nocite{");
		for (i = 0, gi = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			if (gi++ > 0)
				cvb_buf_addch(out, ',');
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
		}
		cvb_buf_adds(out, "}%\n");
		for (i = 0, gi = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_addf(out, "  \\printbibliography[category=cvbib%zu", ++gi);
			if (g.v[i].title != NULL) {
				cvb_buf_adds(out, ",heading=cvbibgroup,title={");
				cvb_cv_latex_escape(out, g.v[i].title);
				cvb_buf_adds(out, "}");
			} else
				cvb_buf_adds(out, ",heading=none");
			cvb_buf_adds(out, "]%\n");
		}
		cvb_buf_adds(out, "  \\end{refsection}}\n");
	} else {
		/* a refsection per group: numbers J1.. restart in each */
		cvb_buf_adds(out, "\\newcommand{\\cvbibpublications}{%\n");
		for (i = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_adds(out, "  \\begin{refsection}%\n  \\newrefcontext[labelprefix={");
			cvb_cv_latex_escape(out, g.v[i].prefix);
			cvb_buf_adds(out, "}]%\n  \\nocite{");
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
			cvb_buf_adds(out, "}%\n  \\printbibliography[");
			if (g.v[i].title != NULL) {
				cvb_buf_adds(out, "heading=cvbibgroup,title={");
				cvb_cv_latex_escape(out, g.v[i].title);
				cvb_buf_adds(out, "}");
			} else
				cvb_buf_adds(out, "heading=none");
			cvb_buf_adds(out, "]%\n  \\end{refsection}%\n");
		}
		cvb_buf_adds(out, "}\n");
	}
	cvb_buf_adds(out, "\\makeatother\n");
	rc = out->err ? -CVBIB_ENOMEM : 0;
done:
	for (i = 0; i < g.n; i++)
		free(g.v[i].items);
	free(g.v);
	free(items);
	return rc;
}
