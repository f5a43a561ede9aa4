/*
 * write_csljson.c - the CSL-JSON writer.
 *
 * cvb_item_to_json() builds an item's jansson object (the CSL-YAML writer
 * uses it); cvb_write_csljson() writes the same JSON text directly, item by
 * item, handing it to a sink in 64 KiB pieces when streaming.
 *
 * Output is deterministic: items in model order; in each item "id",
 * "citation-key" and "type" first, then every variable in alphabetical order,
 * then "custom" holding the fields no mapping knows, in input order.
 * Two-space indentation, UTF-8, a final newline.  The output validates
 * against csl-data.json: fields outside the schema only ever go in "custom".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

struct outkey {
	const char	*name;
	int		 kind;		/* enum cvb_varkind */
	int		 idx;
};

static int
outkey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct outkey *)a)->name, ((const struct outkey *)b)->name);
}

static struct outkey keyorder[CVB_V__COUNT + CVB_DV__COUNT + CVB_NV__COUNT];
static size_t nkeyorder;

static void
keyorder_build(void)
{
	size_t n = 0;
	int i;

	for (i = 0; i < CVB_V__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_var_name((enum cvb_var)i), CVB_VK_STR, i };
	for (i = 0; i < CVB_DV__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_dvar_name((enum cvb_dvar)i), CVB_VK_DATE, i };
	for (i = 0; i < CVB_NV__COUNT; i++)
		keyorder[n++] = (struct outkey){ cvb_nvar_name((enum cvb_nvar)i), CVB_VK_NAME, i };
	qsort(keyorder, n, sizeof(keyorder[0]), outkey_cmp);
	nkeyorder = n;
}

/* A number variable that was a JSON number and still reads as one. */
static json_t *
number_value(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return json_integer(v);
	{
		double x = strtod(s, &end);

		if (*s != '\0' && *end == '\0')
			return json_real(x);
	}
	return json_string(s);
}

static json_t *
name_json(const struct cvb_name *n)
{
	json_t *o = json_object();

	if (n->family != NULL && (n->flags & CVB_NF_INSTITUTION) && n->given == NULL &&
	    n->literal == NULL && n->non_dropping_particle == NULL &&
	    n->dropping_particle == NULL) {
		/* an organisation: CSL-JSON has no flag for it, a literal name is one */
		json_object_set_new(o, "literal", json_string(n->family));
		return o;
	}
	if (n->family)
		json_object_set_new(o, "family", json_string(n->family));
	if (n->given)
		json_object_set_new(o, "given", json_string(n->given));
	if (n->dropping_particle)
		json_object_set_new(o, "dropping-particle", json_string(n->dropping_particle));
	if (n->non_dropping_particle)
		json_object_set_new(o, "non-dropping-particle", json_string(n->non_dropping_particle));
	if (n->suffix)
		json_object_set_new(o, "suffix", json_string(n->suffix));
	if (n->flags & CVB_NF_COMMA_SUFFIX)
		json_object_set_new(o, "comma-suffix", json_true());
	if (n->flags & CVB_NF_STATIC_ORDER)
		json_object_set_new(o, "static-ordering", json_true());
	if (n->literal)
		json_object_set_new(o, "literal", json_string(n->literal));
	if (n->flags & CVB_NF_PARSE_NAMES)
		json_object_set_new(o, "parse-names", json_true());
	else if (n->flags & CVB_NF_NO_PARSE)
		json_object_set_new(o, "parse-names", json_false());
	return o;
}

static json_t *
date_part_json(const struct cvb_date *d, int r, int i)
{
	if (d->strparts & (1u << (r * 3 + i)))
		return json_sprintf("%d", d->parts[r][i]);
	return json_integer(d->parts[r][i]);
}

static json_t *
date_json(const struct cvb_date *d)
{
	json_t *o = json_object();
	int r, i;

	if (d->nparts[0] > 0) {
		json_t *dp = json_array();

		for (r = 0; r < (d->range && d->nparts[1] > 0 ? 2 : 1); r++) {
			json_t *row = json_array();

			for (i = 0; i < d->nparts[r]; i++)
				json_array_append_new(row, date_part_json(d, r, i));
			json_array_append_new(dp, row);
		}
		json_object_set_new(o, "date-parts", dp);
	}
	if (d->season) {
		if (d->strparts & (1u << 6))
			json_object_set_new(o, "season", json_sprintf("%d", d->season));
		else
			json_object_set_new(o, "season", json_integer(d->season));
	} else if (d->season_str)
		json_object_set_new(o, "season", json_string(d->season_str));
	if (d->circa)
		json_object_set_new(o, "circa", json_true());
	if (d->literal)
		json_object_set_new(o, "literal", json_string(d->literal));
	if (d->raw)
		json_object_set_new(o, "raw", json_string(d->raw));
	else if (d->open_end && d->nparts[0] > 0)
		json_object_set_new(o, "raw", json_sprintf("%d/..", d->parts[0][0]));
	return o;
}


/*
 * ---- CV metadata.  What the model holds beyond CSL (the notes of an item,
 * its selected flag, the equal-contribution and corresponding-author marks
 * of its authors, the CV section it was found under) goes into "custom"
 * under the names the CV layer reads back (cv.c) and the BibTeX fields of
 * the same meaning: award, pubstate, presentation, addendum, selected,
 * equal-contribution, corresponding-author, highlight (the CV owner, as a
 * CV's own data names it), cv-section.  A name an extra
 * field of the item already uses is left to that field.
 */
struct cvmemb {
	const char	*name;
	json_t		*json;		/* a new reference */
};
#define CV_MEMBERS_MAX	8

static bool
extra_named(const struct cvb_item *it, const char *name)
{
	return cvb_item_extra(it, name) != NULL;
}

static json_t *
joined_notes(const struct cvb_item *it, enum cvb_note_kind k)
{
	const struct cvb_note *n;
	struct cvb_buf j = CVB_BUF_INIT;
	json_t *v = NULL;

	for (n = it->notes; n != NULL; n = n->next)
		if (n->kind == k && n->text != NULL && *n->text != '\0') {
			if (j.len > 0)
				cvb_buf_adds(&j, "; ");
			cvb_buf_adds(&j, n->text);
		}
	if (j.len > 0 && !j.err && cvb_utf8_valid(j.buf, j.len))
		v = json_string(j.buf);
	cvbib_buf_release(&j);
	return v;
}

/* 1-based positions of the authors flagged so, as a JSON array; NULL if none */
static json_t *
flagged_authors(const struct cvb_item *it, unsigned flag)
{
	const struct cvb_name *n;
	json_t *a = NULL;
	int pos = 0;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		pos++;
		if (!(n->flags & flag))
			continue;
		if (a == NULL)
			a = json_array();
		json_array_append_new(a, json_integer(pos));
	}
	return a;
}

static size_t
cv_members(const struct cvb_item *it, struct cvmemb v[CV_MEMBERS_MAX])
{
	static const struct { const char *name; enum cvb_note_kind kind; } notes[] = {
		{ "award", CVB_NOTE_AWARD }, { "pubstate", CVB_NOTE_STATUS },
		{ "presentation", CVB_NOTE_PRESENTATION }, { "addendum", CVB_NOTE_OTHER },
	};
	/* biblatex's annotation (kept as it was read) already says who is marked */
	bool annotated = extra_named(it, "author+an");
	size_t n = 0, i;
	json_t *x;

	if ((it->flags & CVB_IF_SELECTED) && !extra_named(it, "selected"))
		v[n++] = (struct cvmemb){ "selected", json_true() };
	for (i = 0; i < CVB_ARRAY_SIZE(notes); i++)
		if (!extra_named(it, notes[i].name) && (x = joined_notes(it, notes[i].kind)) != NULL)
			v[n++] = (struct cvmemb){ notes[i].name, x };
	if (!annotated && !extra_named(it, "equal-contribution") &&
	    (x = flagged_authors(it, CVB_NF_EQUAL)) != NULL)
		v[n++] = (struct cvmemb){ "equal-contribution", x };
	if (!annotated && !extra_named(it, "corresponding-author") &&
	    (x = flagged_authors(it, CVB_NF_CORRESP)) != NULL)
		v[n++] = (struct cvmemb){ "corresponding-author", x };
	if (!annotated && !extra_named(it, "highlight") &&
	    (x = flagged_authors(it, CVB_NF_HIGHLIGHT)) != NULL)
		v[n++] = (struct cvmemb){ "highlight", x };
	if (it->group != NULL && *it->group != '\0' && !extra_named(it, "cv-section") &&
	    cvb_utf8_valid(it->group, strlen(it->group)))
		v[n++] = (struct cvmemb){ "cv-section", json_string(it->group) };
	return n;
}

/*
 * The arXiv id an entry prints ("PRX Quantum 2, 010342 (2021)
 * [arXiv:2008.10322]") as CSL-JSON's number, "arXiv:ID", when the item has
 * no number: how CSL-JSON carries a preprint's id (Zotero's archive ID), and
 * how the real-CV labels carry any printed one.  The model keeps it as the
 * eprint (BibTeX's eprint, not a journal article's issue number, and cvbib's
 * own CSL rendering prints no "Article arXiv:..."): NULL when there is none.
 */
const char *
cvb_item_arxiv_number(const struct cvb_item *it, struct cvb_buf *tmp)
{
	if (!(it->flags & CVB_IF_ARXIV_NUMBER) || it->str[CVB_V_NUMBER] != NULL)
		return NULL;
	cvb_buf_setlen(tmp, 0);
	cvb_buf_adds(tmp, "arXiv:");
	return cvb_item_extra_text(it, "arxiv", tmp) != NULL ? tmp->buf : NULL;
}

/*
 * What an entry prints beside its fields that CSL has no variable for, as
 * CSL-JSON's note when it has no note of its own: a status phrase that says
 * more than the status ("Conditionally accepted", "In revision"), its awards
 * ("Best Paper Award") and its other remarks (biblatex's addendum), "; "-joined.
 * A note is where a reader of the CSL-JSON (and a style that prints notes)
 * finds them; custom.pubstate, custom.award and custom.addendum keep them
 * apart for the CV writers, and the CSL-JSON reader drops a note that only
 * repeats them.  NULL when there are none.
 */
const char *
cvb_item_remark_note(const struct cvb_item *it, struct cvb_buf *tmp)
{
	static const struct { enum cvb_note_kind kind; const char *extra; } part[] = {
		{ CVB_NOTE_STATUS, "pubstate" }, { CVB_NOTE_AWARD, "award" }, { CVB_NOTE_OTHER, "addendum" },
	};
	const struct cvb_note *n;
	size_t k, at, from;

	if (it->str[CVB_V_NOTE] != NULL)
		return NULL;
	cvb_buf_setlen(tmp, 0);
	for (k = 0; k < CVB_ARRAY_SIZE(part); k++) {
		bool any = false;

		for (n = it->notes; n != NULL; n = n->next) {
			if (n->kind != part[k].kind || n->text == NULL || *n->text == '\0')
				continue;
			any = true;
			if (part[k].kind == CVB_NOTE_STATUS && !cvb_status_says_more(n->text))
				continue;
			if (tmp->len > 0)
				cvb_buf_adds(tmp, "; ");
			cvb_buf_adds(tmp, n->text);
		}
		if (any)
			continue;
		/* or as read back from CSL-JSON's custom (or a BibTeX field) */
		at = tmp->len;
		if (at > 0)
			cvb_buf_adds(tmp, "; ");
		from = tmp->len;
		if (cvb_item_extra_text(it, part[k].extra, tmp) == NULL ||
		    (part[k].kind == CVB_NOTE_STATUS && !cvb_status_says_more(tmp->buf + from)))
			cvb_buf_setlen(tmp, at);
	}
	return tmp->len > 0 && !tmp->err && cvb_utf8_valid(tmp->buf, tmp->len) ? tmp->buf : NULL;
}

/* The item's extra field name as text (a string kept as JSON from a CSL-JSON
 * "custom" is decoded), appended to tmp; NULL when there is none. */
const char *
cvb_item_extra_text(const struct cvb_item *it, const char *name, struct cvb_buf *tmp)
{
	const struct cvb_field *f = cvb_item_extra(it, name);
	size_t at = tmp->len;

	if (f == NULL || f->value == NULL)
		return NULL;
	if (f->flags & CVB_FF_JSON) {
		json_t *v = json_loads(f->value, JSON_DECODE_ANY, NULL);

		if (json_is_string(v))
			cvb_buf_add(tmp, json_string_value(v), json_string_length(v));
		json_decref(v);
	} else
		cvb_buf_adds(tmp, f->value);
	if (tmp->len == at || tmp->buf == NULL)
		return NULL;
	return tmp->buf + at;
}

json_t *
cvb_item_to_json(const struct cvb_item *it)
{
	json_t *o = json_object(), *custom = NULL;
	const struct cvb_field *f;
	struct cvmemb cvm[CV_MEMBERS_MAX];
	struct cvb_buf tmp = CVB_BUF_INIT;
	size_t k, ncvm;

	if (o == NULL)
		return NULL;
	if (nkeyorder == 0)
		keyorder_build();
	if (it->id != NULL) {
		if (it->flags & CVB_IF_ID_NUMBER)
			json_object_set_new(o, "id", number_value(it->id));
		else
			json_object_set_new(o, "id", json_string(it->id));
	}
	if (it->key != NULL)
		json_object_set_new(o, "citation-key", json_string(it->key));
	if (it->type != CVB_T_NONE)
		json_object_set_new(o, "type", json_string(cvb_type_name(it->type)));
	else
		json_object_set_new(o, "type", json_string("document"));
	if (it->categories != NULL) {
		json_t *a = json_array();

		for (k = 0; it->categories[k] != NULL; k++)
			json_array_append_new(a, json_string(it->categories[k]));
		json_object_set_new(o, "categories", a);
	}
	for (k = 0; k < nkeyorder; k++) {
		const struct outkey *ok = &keyorder[k];

		switch (ok->kind) {
		case CVB_VK_STR: {
			const char *s = it->str[ok->idx];

			if (s == NULL && ((ok->idx == CVB_V_NUMBER && (s = cvb_item_arxiv_number(it, &tmp)) != NULL) ||
			    (ok->idx == CVB_V_NOTE && (s = cvb_item_remark_note(it, &tmp)) != NULL))) {
				json_object_set_new(o, ok->name, json_string(s));
				break;
			}
			if (s == NULL)
				break;
			if (it->numeric[ok->idx / 64] & ((uint64_t)1 << (ok->idx % 64)))
				json_object_set_new(o, ok->name, number_value(s));
			else
				json_object_set_new(o, ok->name, json_string(s));
			break;
		}
		case CVB_VK_DATE:
			if (it->date[ok->idx] != NULL)
				json_object_set_new(o, ok->name, date_json(it->date[ok->idx]));
			break;
		case CVB_VK_NAME:
			if (it->names[ok->idx] != NULL) {
				json_t *a = json_array();
				const struct cvb_name *n;

				for (n = it->names[ok->idx]; n != NULL; n = n->next)
					json_array_append_new(a, name_json(n));
				json_object_set_new(o, ok->name, a);
			}
			break;
		}
	}
	if (it->type == CVB_T_NONE && it->type_raw != NULL) {
		custom = json_object();
		json_object_set_new(custom, "type", json_string(it->type_raw));
	}
	for (f = it->extra; f != NULL; f = f->next) {
		json_t *v = NULL;

		if (custom == NULL)
			custom = json_object();
		if (f->flags & CVB_FF_JSON)
			v = json_loads(f->value, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			v = json_string(f->value);
		json_object_set_new(custom, f->name, v);
	}
	ncvm = cv_members(it, cvm);
	for (k = 0; k < ncvm; k++) {
		if (custom == NULL)
			custom = json_object();
		json_object_set_new(custom, cvm[k].name, cvm[k].json);
	}
	if (custom != NULL)
		json_object_set_new(o, "custom", custom);
	cvbib_buf_release(&tmp);
	return o;
}

/*
 * ---- The streaming writer.
 *
 * jansson has no streaming encoder, and building a tree per item cost more
 * than all the parsing, so the output is written directly, byte for byte as
 * dumping cvb_item_to_json(it) with JSON_INDENT(2) | JSON_PRESERVE_ORDER
 * inside the top-level array would write it (tests/unit/t-bibperf.c compares
 * the two over the corpus).  jansson's rules kept here:
 *  - a string that is not valid UTF-8 has no JSON value: its member (or array
 *    element) is left out, as json_object_set_new() leaves out a NULL value;
 *  - setting a key that is already set replaces its value in place;
 *  - escapes: \" \\ \b \f \n \r \t, other controls as \u00XX, nothing else.
 * Reals and the JSON texts kept in "custom" (CVB_FF_JSON) go through jansson.
 * With compact set it writes what JSON_COMPACT would (no new lines, ":"):
 * refpred.c's lines.
 */


#define puts_lit(o, s)	cvb_buf_add((o), (s), sizeof(s) - 1)

/* 1: the byte needs a look (escape, or UTF-8 to validate) */
static unsigned char jw_special[256];
static pthread_once_t jw_special_once = PTHREAD_ONCE_INIT;

static void
jw_init_tables(void)
{
	int c;

	for (c = 0; c < 0x20; c++)
		jw_special[c] = 1;
	jw_special['"'] = jw_special['\\'] = 1;
	for (c = 0x80; c < 0x100; c++)
		jw_special[c] = 1;
}

static const char spaces[] = "\n                                ";

static void
jw_newline(struct cvb_jw *w, int depth)
{
	size_t n = (size_t)depth * 2 + 1;

	if (w->compact)
		return;
	if (n <= sizeof(spaces) - 1) {
		cvb_buf_add(w->out, spaces, n);		/* "\n" and the indentation */
		return;
	}
	cvb_buf_addch(w->out, '\n');
	for (n--; n > 0; ) {
		size_t k = n < sizeof(spaces) - 2 ? n : sizeof(spaces) - 2;

		cvb_buf_add(w->out, spaces + 1, k);
		n -= k;
	}
}

/* A quoted, escaped string, as jansson's json_dumps() writes it; false (and
 * nothing kept) when s is not UTF-8.  Shared: refpred.c writes with it. */
bool
cvb_json_put_string(struct cvb_buf *out, const char *s)
{
	size_t mark = out->len;
	const unsigned char *p = (const unsigned char *)s, *run = p;

	pthread_once(&jw_special_once, jw_init_tables);
	cvb_buf_addch(out, '"');
	for (;;) {
		unsigned char c;

		while (!jw_special[*p])
			p++;
		if (p > run)
			cvb_buf_add(out, run, (size_t)(p - run));
		c = *p;
		if (c == '\0')
			break;
		if (c >= 0x80) {
			uint32_t cp;
			int k = cvb_utf8_decode((const char *)p, 4, &cp);	/* stops at the NUL */

			if (cp == 0xFFFD && k == 1) {
				cvb_buf_setlen(out, mark);
				return false;
			}
			cvb_buf_add(out, p, (size_t)k);
			p += k;
		} else {
			char esc[8];

			switch (c) {
			case '"': cvb_buf_add(out, "\\\"", 2); break;
			case '\\': cvb_buf_add(out, "\\\\", 2); break;
			case '\b': cvb_buf_add(out, "\\b", 2); break;
			case '\f': cvb_buf_add(out, "\\f", 2); break;
			case '\n': cvb_buf_add(out, "\\n", 2); break;
			case '\r': cvb_buf_add(out, "\\r", 2); break;
			case '\t': cvb_buf_add(out, "\\t", 2); break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04X", c);
				cvb_buf_add(out, esc, 6);
			}
			p++;
		}
		run = p;
	}
	cvb_buf_addch(out, '"');
	return true;
}

static bool
jw_string(struct cvb_jw *w, const char *s)
{
	return cvb_json_put_string(w->out, s);
}

/* Open a container ('{' or '['). */
void
cvb_jw_open(struct cvb_jw *w, char c)
{
	cvb_buf_addch(w->out, c);
	w->depth++;
	w->nmemb[w->depth] = 0;
}

void
cvb_jw_close(struct cvb_jw *w, char c)
{
	w->depth--;
	if (w->nmemb[w->depth + 1] > 0)
		jw_newline(w, w->depth);
	cvb_buf_addch(w->out, c);
}

/* Start a member (key == NULL: an array element); returns the rollback mark. */
size_t
cvb_jw_member(struct cvb_jw *w, const char *key)
{
	size_t mark = w->out->len;

	if (w->nmemb[w->depth] > 0)
		cvb_buf_addch(w->out, ',');
	jw_newline(w, w->depth);
	if (key != NULL) {
		jw_string(w, key);	/* our keys are ASCII, custom ones are checked first */
		cvb_buf_add(w->out, ": ", w->compact ? 1 : 2);
	}
	return mark;
}

/* End a member: counted when ok, else taken back. */
void
cvb_jw_done(struct cvb_jw *w, size_t mark, bool ok)
{
	if (ok)
		w->nmemb[w->depth]++;
	else
		cvb_buf_setlen(w->out, mark);
}

/* A member whose value is a string (key NULL: array element). */
bool
cvb_jw_str_member(struct cvb_jw *w, const char *key, const char *s)
{
	size_t mark = cvb_jw_member(w, key);
	bool ok = jw_string(w, s);

	cvb_jw_done(w, mark, ok);
	return ok;
}

/* A member whose value is a literal (true, false, a number). */
void
cvb_jw_lit_member(struct cvb_jw *w, const char *key, const char *lit)
{
	cvb_jw_member(w, key);
	cvb_buf_add(w->out, lit, strlen(lit));
	w->nmemb[w->depth]++;
}

/* A jansson value as it would be dumped at the current depth. */
static int
jw_dump_cb(const char *chunk, size_t n, void *data)
{
	struct cvb_jw *w = data;
	const char *p = chunk, *end = chunk + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		cvb_buf_add(w->out, p, (size_t)(nl - p));
		jw_newline(w, w->depth);
		p = nl + 1;
	}
	cvb_buf_add(w->out, p, (size_t)(end - p));
	return w->out->err ? -1 : 0;
}

static bool
jw_json(struct cvb_jw *w, json_t *v)
{
	return json_dump_callback(v, jw_dump_cb, w,
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) == 0;
}

/* number_value(), written: false when it has no JSON value. */
static bool
jw_number(struct cvb_jw *w, const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s != '\0' && *end == '\0') {
		cvb_buf_addf(w->out, "%lld", v);
		return true;
	}
	{
		double x = strtod(s, &end);

		if (*s != '\0' && *end == '\0') {
			json_t *r = json_real(x);
			bool ok = r != NULL && jw_json(w, r);

			json_decref(r);
			return ok;
		}
	}
	return jw_string(w, s);
}

/* name_json(), written */
static void
jw_name(struct cvb_jw *w, const struct cvb_name *n)
{
	cvb_jw_open(w, '{');
	if (n->family != NULL && (n->flags & CVB_NF_INSTITUTION) && n->given == NULL &&
	    n->literal == NULL && n->non_dropping_particle == NULL &&
	    n->dropping_particle == NULL) {
		cvb_jw_str_member(w, "literal", n->family);
		cvb_jw_close(w, '}');
		return;
	}
	if (n->family)
		cvb_jw_str_member(w, "family", n->family);
	if (n->given)
		cvb_jw_str_member(w, "given", n->given);
	if (n->dropping_particle)
		cvb_jw_str_member(w, "dropping-particle", n->dropping_particle);
	if (n->non_dropping_particle)
		cvb_jw_str_member(w, "non-dropping-particle", n->non_dropping_particle);
	if (n->suffix)
		cvb_jw_str_member(w, "suffix", n->suffix);
	if (n->flags & CVB_NF_COMMA_SUFFIX)
		cvb_jw_lit_member(w, "comma-suffix", "true");
	if (n->flags & CVB_NF_STATIC_ORDER)
		cvb_jw_lit_member(w, "static-ordering", "true");
	if (n->literal)
		cvb_jw_str_member(w, "literal", n->literal);
	if (n->flags & CVB_NF_PARSE_NAMES)
		cvb_jw_lit_member(w, "parse-names", "true");
	else if (n->flags & CVB_NF_NO_PARSE)
		cvb_jw_lit_member(w, "parse-names", "false");
	cvb_jw_close(w, '}');
}

/* date_json(), written */
static void
jw_date(struct cvb_jw *w, const struct cvb_date *d)
{
	char num[32];
	int r, i;

	cvb_jw_open(w, '{');
	if (d->nparts[0] > 0) {
		cvb_jw_member(w, "date-parts");
		cvb_jw_open(w, '[');
		for (r = 0; r < (d->range && d->nparts[1] > 0 ? 2 : 1); r++) {
			cvb_jw_member(w, NULL);
			cvb_jw_open(w, '[');
			for (i = 0; i < d->nparts[r]; i++) {
				snprintf(num, sizeof(num), (d->strparts & (1u << (r * 3 + i))) ?
				    "\"%d\"" : "%d", d->parts[r][i]);
				cvb_jw_lit_member(w, NULL, num);
			}
			cvb_jw_close(w, ']');
			w->nmemb[w->depth]++;
		}
		cvb_jw_close(w, ']');
		w->nmemb[w->depth]++;
	}
	if (d->season) {
		snprintf(num, sizeof(num), (d->strparts & (1u << 6)) ? "\"%d\"" : "%d", d->season);
		cvb_jw_lit_member(w, "season", num);
	} else if (d->season_str)
		cvb_jw_str_member(w, "season", d->season_str);
	if (d->circa)
		cvb_jw_lit_member(w, "circa", "true");
	if (d->literal)
		cvb_jw_str_member(w, "literal", d->literal);
	if (d->raw)
		cvb_jw_str_member(w, "raw", d->raw);
	else if (d->open_end && d->nparts[0] > 0) {
		snprintf(num, sizeof(num), "\"%d/..\"", d->parts[0][0]);
		cvb_jw_lit_member(w, "raw", num);
	}
	cvb_jw_close(w, '}');
}

static bool
var_is_set(const struct cvb_item *it, const struct outkey *ok)
{
	switch (ok->kind) {
	case CVB_VK_STR:
		return it->str[ok->idx] != NULL;
	case CVB_VK_DATE:
		return it->date[ok->idx] != NULL;
	default:
		return it->names[ok->idx] != NULL;
	}
}

/* The value of the (set) variable ok of it; false when JSON cannot hold it. */
static bool
jw_var_value(struct cvb_jw *w, const struct cvb_item *it, const struct outkey *ok)
{
	const struct cvb_name *n;

	switch (ok->kind) {
	case CVB_VK_STR:
		if (it->numeric[ok->idx / 64] & ((uint64_t)1 << (ok->idx % 64)))
			return jw_number(w, it->str[ok->idx]);
		return jw_string(w, it->str[ok->idx]);
	case CVB_VK_DATE:
		jw_date(w, it->date[ok->idx]);
		return true;
	default:
		cvb_jw_open(w, '[');
		for (n = it->names[ok->idx]; n != NULL; n = n->next) {
			cvb_jw_member(w, NULL);
			jw_name(w, n);
			w->nmemb[w->depth]++;
		}
		cvb_jw_close(w, ']');
		return true;
	}
}

/* keyorder index of the variable named "citation-key", or -1 */
static int citekey_var = -1;

/* One member of "custom": the last value set for a name, at its first place. */
struct cmemb {
	const char	*name;
	const char	*value;		/* a string value */
	json_t		*json;		/* or a parsed CVB_FF_JSON value */
};

static int
jw_custom(struct cvb_jw *w, const struct cvb_item *it)
{
	struct cmemb stackv[32], *v = stackv;
	size_t n = 0, cap = CVB_ARRAY_SIZE(stackv), i, ncvm, k;
	const struct cvb_field *f;
	struct cvmemb cvm[CV_MEMBERS_MAX];
	int rc = 0;

	if (it->type == CVB_T_NONE && it->type_raw != NULL &&
	    cvb_utf8_valid(it->type_raw, strlen(it->type_raw)))
		v[n++] = (struct cmemb){ "type", it->type_raw, NULL };
	for (f = it->extra; f != NULL; f = f->next) {
		struct cmemb m = { f->name, f->value, NULL };

		if (f->flags & CVB_FF_JSON)
			m.json = json_loads(f->value, JSON_DECODE_ANY, NULL);
		if (!cvb_utf8_valid(f->name, strlen(f->name)) ||
		    (m.json == NULL && !cvb_utf8_valid(f->value, strlen(f->value)))) {
			json_decref(m.json);
			continue;
		}
		for (i = 0; i < n; i++)
			if (strcmp(v[i].name, m.name) == 0)
				break;
		if (i < n) {
			json_decref(v[i].json);
			v[i] = m;
			continue;
		}
		if (n == cap) {
			struct cmemb *nv = malloc(2 * cap * sizeof(*nv));

			if (nv == NULL) {
				json_decref(m.json);
				rc = -1;
				break;
			}
			memcpy(nv, v, n * sizeof(*nv));
			if (v != stackv)
				free(v);
			v = nv;
			cap *= 2;
		}
		v[n++] = m;
	}
	ncvm = cv_members(it, cvm);
	for (k = 0; k < ncvm; k++) {
		if (rc == 0 && n == cap) {
			struct cmemb *nv = malloc(2 * cap * sizeof(*nv));

			if (nv == NULL)
				rc = -1;
			else {
				memcpy(nv, v, n * sizeof(*nv));
				if (v != stackv)
					free(v);
				v = nv;
				cap *= 2;
			}
		}
		if (rc == 0)
			v[n++] = (struct cmemb){ cvm[k].name, NULL, cvm[k].json };
		else
			json_decref(cvm[k].json);
	}
	cvb_jw_member(w, "custom");
	cvb_jw_open(w, '{');
	for (i = 0; i < n; i++) {
		size_t mark = cvb_jw_member(w, v[i].name);

		cvb_jw_done(w, mark, v[i].json != NULL ? jw_json(w, v[i].json) : jw_string(w, v[i].value));
		json_decref(v[i].json);
	}
	cvb_jw_close(w, '}');
	w->nmemb[w->depth]++;
	if (v != stackv)
		free(v);
	return rc;
}

/* Does cv_members() have anything to say?  (Most items have no CV metadata:
 * the cheap test first.) */
static bool
has_cv_members(const struct cvb_item *it)
{
	const struct cvb_name *n;
	struct cvmemb cvm[CV_MEMBERS_MAX];
	bool any = it->notes != NULL || (it->flags & CVB_IF_SELECTED) ||
	    (it->group != NULL && *it->group != '\0');
	size_t k, ncvm;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL && !any; n = n->next)
		any = (n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP | CVB_NF_HIGHLIGHT)) != 0;
	if (!any)
		return false;
	ncvm = cv_members(it, cvm);
	for (k = 0; k < ncvm; k++)
		json_decref(cvm[k].json);
	return ncvm > 0;
}

size_t
cvb_item_cv_members(const struct cvb_item *it, const char *names[8])
{
	struct cvmemb cvm[CV_MEMBERS_MAX];
	size_t k, ncvm;

	if (!has_cv_members(it))
		return 0;
	ncvm = cv_members(it, cvm);
	for (k = 0; k < ncvm; k++) {
		names[k] = cvm[k].name;
		json_decref(cvm[k].json);
	}
	return ncvm;
}

/* cvb_item_to_json(), written as an object at the current depth */
static int
jw_item(struct cvb_jw *w, const struct cvb_item *it)
{
	bool citekey_done = false;
	size_t k, mark;

	cvb_jw_open(w, '{');
	if (it->id != NULL) {
		mark = cvb_jw_member(w, "id");
		cvb_jw_done(w, mark, (it->flags & CVB_IF_ID_NUMBER) ? jw_number(w, it->id)
		    : jw_string(w, it->id));
	}
	if (it->key != NULL && cvb_utf8_valid(it->key, strlen(it->key))) {
		/* the variable "citation-key", when set, replaces it in place */
		const struct outkey *ok = citekey_var >= 0 ? &keyorder[citekey_var] : NULL;

		mark = cvb_jw_member(w, "citation-key");
		if (ok != NULL && var_is_set(it, ok) && jw_var_value(w, it, ok))
			citekey_done = true;
		else
			jw_string(w, it->key);
		cvb_jw_done(w, mark, true);
	}
	cvb_jw_str_member(w, "type", it->type != CVB_T_NONE ? cvb_type_name(it->type) : "document");
	if (it->categories != NULL) {
		cvb_jw_member(w, "categories");
		cvb_jw_open(w, '[');
		for (k = 0; it->categories[k] != NULL; k++)
			cvb_jw_str_member(w, NULL, it->categories[k]);
		cvb_jw_close(w, ']');
		w->nmemb[w->depth]++;
	}
	for (k = 0; k < nkeyorder; k++) {
		const struct outkey *ok = &keyorder[k];

		if (ok->kind == CVB_VK_STR && (ok->idx == CVB_V_NUMBER || ok->idx == CVB_V_NOTE) &&
		    !var_is_set(it, ok)) {
			struct cvb_buf tmp = CVB_BUF_INIT;
			const char *s = ok->idx == CVB_V_NUMBER ? cvb_item_arxiv_number(it, &tmp) :
			    cvb_item_remark_note(it, &tmp);

			if (s != NULL)
				cvb_jw_str_member(w, ok->name, s);
			cvbib_buf_release(&tmp);
			continue;
		}
		if (!var_is_set(it, ok) || ((int)k == citekey_var && citekey_done))
			continue;
		mark = cvb_jw_member(w, ok->name);
		cvb_jw_done(w, mark, jw_var_value(w, it, ok));
	}
	if ((it->type == CVB_T_NONE && it->type_raw != NULL) || it->extra != NULL ||
	    has_cv_members(it))
		if (jw_custom(w, it) != 0)
			return -1;
	cvb_jw_close(w, '}');
	return w->out->err ? -1 : 0;
}

static void
jw_setup(void)
{
	size_t k;

	if (nkeyorder == 0)
		keyorder_build();
	if (citekey_var >= 0)
		return;
	/* of the keys before the variables ("id", "citation-key", "type",
	 * "categories"), only "citation-key" is a variable too */
	for (k = 0; k < nkeyorder; k++)
		if (strcmp(keyorder[k].name, "citation-key") == 0)
			citekey_var = (int)k;
}

/*
 * Items are written one at a time into out; with a sink, out is handed to it
 * whenever it holds more than SINK_CHUNK bytes, so that memory does not grow
 * with the output.
 */
#define SINK_CHUNK	(64 * 1024)

int
cvb_write_csljson_to(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, cvbib_sink_fn *sink, void *ctx, struct cvbib_diags *d)
{
	struct cvb_jw w;
	size_t i;

	jw_setup();
	memset(&w, 0, sizeof(w));
	w.out = out;
	if (cvb_src_splice_ok(b, opts)) {
		/* an in-place rewrite after enrichment: the items enrichment did
		 * not change, and the text around them, are copied from the
		 * input; a changed one is written anew where it was */
		struct cvb_buf tmp = CVB_BUF_INIT;
		size_t at = 0;

		for (i = 0; i < b->n; i++) {
			const struct cvb_item *it = b->items[i];

			cvb_buf_add(out, b->src + at, it->src_off - at);
			if (!(it->flags & CVB_IF_CHANGED))
				cvb_buf_add(out, b->src + it->src_off, it->src_end - it->src_off);
			else {
				size_t from = out->len;

				w.depth = 1;
				if (jw_item(&w, it) != 0) {
					cvbib_buf_release(&tmp);
					goto nomem;
				}
				cvb_src_line_ends(out, from, b->src + it->src_off,
				    it->src_end - it->src_off, &tmp);
			}
			at = it->src_end;
		}
		cvb_buf_add(out, b->src + at, b->src_len - at);
		cvbib_buf_release(&tmp);
	} else if (b->n == 0)
		cvb_buf_adds(out, "[]\n");
	else {
		cvb_jw_open(&w, '[');
		for (i = 0; i < b->n; i++) {
			cvb_jw_member(&w, NULL);
			if (jw_item(&w, b->items[i]) != 0)
				goto nomem;
			w.nmemb[w.depth]++;
			if (sink != NULL && out->len >= SINK_CHUNK) {
				if (sink(ctx, out->buf, out->len) != 0)
					return -CVBIB_EIO;
				cvb_buf_reset(out);
			}
		}
		cvb_jw_close(&w, ']');
		cvb_buf_addch(out, '\n');
	}
	if (out->err)
		goto nomem;
	if (sink != NULL && out->len > 0) {
		if (sink(ctx, out->buf, out->len) != 0)
			return -CVBIB_EIO;
		cvb_buf_reset(out);
	}
	return 0;
nomem:
	cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	return -CVBIB_ENOMEM;
}

int
cvb_write_csljson(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	return cvb_write_csljson_to(b, opts, out, NULL, NULL, d);
}
