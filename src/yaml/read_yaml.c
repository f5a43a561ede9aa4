/*
 * read_yaml.c - the YAML and CV data readers: CSL-YAML, RenderCV, JSON Resume
 * (YAML or JSON), academicpages and Hugo Blox publication front matter.
 *
 * yaml_tree.c turns the text into jansson values with positions; this file
 * decides what each document holds and maps it to the model:
 *  - a list, or a mapping with "references" (pandoc): CSL items, read by the
 *    CSL-JSON item reader (read_csljson.c), so CSL-YAML means what CSL-JSON
 *    means;
 *  - a mapping with "cv" (RenderCV): the publication entries of cv.sections;
 *  - a mapping with "publications" (JSON Resume);
 *  - a mapping with "title" and front matter keys: one academicpages or Hugo
 *    Blox publication.
 * A markdown file is read for its front matter only.  Keys that no mapping
 * knows are kept as extra fields holding their JSON text.  doc/yaml.md lists
 * every mapping.  This file owns nothing beyond the call.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "cvb_int.h"

struct yctx {
	cvbib_biblio		*b;
	struct cvbib_diags	*d;
	const char		*file;
	const struct cvb_ytree	*t;	/* NULL: JSON without positions */
	const json_t		*list;	/* the list the CSL items are in */
	const json_t		*orig;	/* the item as parsed (positions are its) */
	struct cvb_item		*cur;	/* the CV data item being read */
	json_t			*ids;	/* ids in use, made on first need */
	json_t			*id_next; /* id base -> first suffix not tried */
	unsigned		 eline, ecol; /* where an entry read by itself starts */
	const char		*data;	/* the text read, and its line starts, for */
	size_t			 len;	/* an in-place rewrite that keeps what did */
	struct cvb_srcmap	*map;	/* not change (keep_unchanged) */
};

/* ---- small helpers ------------------------------------------------------- */

static void
node_pos(const struct yctx *c, const json_t *node, unsigned *line, unsigned *col)
{
	cvb_ytree_node_pos(c->t, node, line, col);
}

static void
key_pos(const struct yctx *c, const json_t *obj, const char *key, unsigned *line, unsigned *col)
{
	cvb_ytree_pos(c->t, obj, key, 0, line, col);
}

#define KWARN(c, obj, key, code, ...) do {				\
	unsigned l_, c_;						\
	key_pos((c), (obj), (key), &l_, &c_);				\
	cvb_diag((c)->d, (code), (c)->file, l_, c_, __VA_ARGS__);	\
} while (0)

static const char *
jtype(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "a mapping";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* The text of a scalar in the arena; NULL for null, "" and collections. */
static const char *
text_of(struct yctx *c, const json_t *v)
{
	if (json_is_string(v))
		return json_string_length(v) > 0 ? cvb_arena_strndup(&c->b->arena,
		    json_string_value(v), json_string_length(v)) : NULL;
	if (json_is_integer(v))
		return cvb_arena_printf(&c->b->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		const char *r = s ? cvb_arena_strdup(&c->b->arena, s) : NULL;

		free(s);
		return r;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

static void keep(struct yctx *, struct cvb_item *, const char *, const json_t *);

/*
 * A scalar field of the item being read; a collection is warned about,
 * kept as an extra field, and NULL is returned.
 */
static const char *
field_text(struct yctx *c, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_object(v) || json_is_array(v)) {
		KWARN(c, obj, key, CVB_D_YAML_BAD_VALUE, "'%s' is %s, expected text; kept as an extra field",
		    key, jtype(v));
		if (c->cur != NULL)
			keep(c, c->cur, key, v);
		return NULL;
	}
	return text_of(c, v);
}

static bool
truthy(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcasecmp(json_string_value(v), "true") == 0 ||
		    strcasecmp(json_string_value(v), "yes") == 0;
	return false;
}

static void
keep(struct yctx *c, struct cvb_item *it, const char *key, const json_t *v)
{
	char *s;

	if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return;		/* placeholders of site templates */
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL) {
		cvb_item_add_field(c->b, it, key, s, CVB_FF_JSON);
		free(s);
	}
}

/* Is key one of the NULL-terminated list? */
static bool
known(const char *key, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

/* Keep every key of obj that is not in list. */
static void
keep_unknown(struct yctx *c, struct cvb_item *it, const json_t *obj, const char *const *list)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)obj, k, v)
		if (!known(k, list))
			keep(c, it, k, v);
}

/* Markdown (pandoc's inline syntax) to CSL rich text, in the arena. */
static const char *
md_rich(struct yctx *c, const char *s)
{
	struct cvb_buf out = CVB_BUF_INIT;
	const char *r;

	if (s == NULL || strpbrk(s, "*_[\\`^~$&") == NULL)
		return s;
	cvb_md_to_rich(&out, s, strlen(s));
	r = out.err ? s : cvb_arena_strndup(&c->b->arena, out.buf, out.len);
	cvbib_buf_release(&out);
	return r;
}

/*
 * A copy of a CSL-YAML item whose strings, read by pandoc as markdown, are
 * rich text, as in CSL-JSON, and whose keys without a value are left out.
 * The "custom" fields are cvbib's own and stay as they are.  A copy, because
 * aliases share values between items.
 */
static json_t *
md_tree(json_t *v, bool top)
{
	json_t *r = NULL, *x;
	const char *k;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING: {
		struct cvb_buf o = CVB_BUF_INIT;

		if (strpbrk(json_string_value(v), "*_[\\`^~$&") == NULL)
			return json_incref(v);
		cvb_md_to_rich(&o, json_string_value(v), json_string_length(v));
		r = o.err ? NULL : json_stringn_nocheck(o.buf, o.len);
		cvbib_buf_release(&o);
		return r;
	}
	case JSON_ARRAY:
		if ((r = json_array()) == NULL)
			return NULL;
		for (i = 0; i < json_array_size(v); i++)
			if (json_array_append_new(r, md_tree(json_array_get(v, i), false)) != 0) {
				json_decref(r);
				return NULL;
			}
		return r;
	case JSON_OBJECT:
		if ((r = json_object()) == NULL)
			return NULL;
		json_object_foreach(v, k, x) {
			json_t *y;

			if (json_is_null(x))
				continue;	/* "DOI:" with nothing: absent */
			y = top && strcmp(k, "custom") == 0 ? json_incref(x) : md_tree(x, false);

			if (json_object_set_new(r, k, y) != 0) {
				json_decref(r);
				return NULL;
			}
		}
		return r;
	default:
		return json_incref(v);
	}
}

/* A date as written in CV data: EDTF/ISO (a time part is dropped), else literal. */
static struct cvb_date *
cv_date(struct yctx *c, const char *s)
{
	struct cvb_date *d;
	char buf[64];
	const char *t;

	if (s == NULL)
		return NULL;
	d = cvb_date_parse_edtf(c->b, s);
	if (d == NULL && (t = strchr(s, 'T')) != NULL && (size_t)(t - s) < sizeof(buf) &&
	    t > s && isdigit((unsigned char)t[-1])) {
		memcpy(buf, s, (size_t)(t - s));
		buf[t - s] = '\0';
		d = cvb_date_parse_edtf(c->b, buf);
	}
	if (d == NULL && (d = cvb_date_new(c->b)) != NULL)
		d->literal = s;
	return d;
}

/* ---- names ----------------------------------------------------------------- */

/* A lower-case name particle (data/name-particles.txt)? */
static bool
is_particle(const char *w, size_t n)
{
	return n > 0 && islower((unsigned char)*w) && cvb_bibtex_is_particle(w, n);
}

static char *
trimdup(struct yctx *c, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n > 0 ? cvb_arena_strndup(&c->b->arena, s, n) : NULL;
}

/*
 * A person's name as CV data writes it: "Given Family", "Family, Given",
 * "Family, Jr., Given", with particles ("Ludwig van Beethoven").  The CV
 * markers come off first: **bold** (the CV owner), and a trailing *, † or ‡
 * (but not markdown's "\*", a star of the name itself).
 */
static struct cvb_name *
cv_name_split(struct yctx *c, const char *s)
{
	struct cvb_name *n = cvb_name_new(c->b);
	char *w, *tail, *em;
	size_t len;
	const char *comma, *p;

	if (n == NULL || s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	w = cvb_arena_strndup(&c->b->arena, s, len);
	if (w == NULL)
		return NULL;
	/*
	 * The CV owner in emphasis: "**A B**" (RenderCV's documentation) or
	 * "*A B*" (its examples); markers may follow the closing stars.
	 */
	if (strncmp(w, "**", 2) == 0 && (em = strstr(w + 2, "**")) != NULL && em > w + 2) {
		n->flags |= CVB_NF_HIGHLIGHT;
		*em = '\0';
		tail = em + 2;
		w += 2;
	} else if (w[0] == '*' && w[1] != '*' && (em = strchr(w + 1, '*')) != NULL && em > w + 1) {
		n->flags |= CVB_NF_HIGHLIGHT;
		*em = '\0';
		tail = em + 1;
		w += 1;
	} else
		tail = w;
	/* markers after the name: "A B*", "A B†", "**A B***" */
	for (;;) {
		len = strlen(tail);
		if (len >= 3 && strncmp(tail + len - 3, "\xE2\x80\xA0", 3) == 0) {	/* † */
			n->flags |= CVB_NF_CORRESP;
			n->marker = "\xE2\x80\xA0";
			tail[len - 3] = '\0';
		} else if (len >= 3 && strncmp(tail + len - 3, "\xE2\x80\xA1", 3) == 0) {	/* ‡ */
			n->flags |= CVB_NF_EQUAL;
			n->marker = "\xE2\x80\xA1";
			tail[len - 3] = '\0';
		} else if (len >= 1 && tail[len - 1] == '*' && !(len >= 2 && tail[len - 2] == '\\')) {
			n->flags |= CVB_NF_EQUAL;
			n->marker = "*";
			tail[len - 1] = '\0';
		} else
			break;
	}
	while (isspace((unsigned char)*w))
		w++;
	len = strlen(w);
	while (len > 0 && isspace((unsigned char)w[len - 1]))
		w[--len] = '\0';
	/* a linked name, "[A B](https://...)": its text */
	if (w[0] == '[' && len > 0 && w[len - 1] == ')' && (em = strstr(w, "](")) != NULL) {
		*em = '\0';
		w++;
		len = strlen(w);
	}
	if (len == 0)
		return NULL;
	if (strcmp(w, "others") == 0 || strcmp(w, "et al.") == 0 || strcmp(w, "et al") == 0) {
		/* "and others" as the model keeps it (the BibTeX and CSL-JSON readers) */
		n->flags |= CVB_NF_OTHERS;
		n->literal = "others";
		return n;
	}
	if ((comma = strchr(w, ',')) != NULL) {
		const char *comma2 = strchr(comma + 1, ',');

		n->family = trimdup(c, w, (size_t)(comma - w));
		/* "van der Berg, J.": the lower-case particles */
		while (n->family != NULL && (p = strchr(n->family, ' ')) != NULL &&
		    is_particle(n->family, (size_t)(p - n->family))) {
			const char *f = n->family, *last = p;

			while ((p = strchr(last + 1, ' ')) != NULL &&
			    is_particle(last + 1, (size_t)(p - last - 1)))
				last = p;
			n->non_dropping_particle = trimdup(c, f, (size_t)(last - f));
			n->family = trimdup(c, last + 1, strlen(last + 1));
			break;
		}
		if (comma2 != NULL) {
			n->suffix = trimdup(c, comma + 1, (size_t)(comma2 - comma - 1));
			n->given = trimdup(c, comma2 + 1, strlen(comma2 + 1));
		} else
			n->given = trimdup(c, comma + 1, strlen(comma + 1));
	} else if ((p = strrchr(w, ' ')) == NULL) {
		n->literal = w;		/* one word: a mononym or "admin" */
		return n;
	} else {
		/* "Given [particles] Family [Jr.]" */
		const char *end = w + len, *fam, *q;

		if (p + 1 < end && (strcmp(p + 1, "Jr.") == 0 || strcmp(p + 1, "Sr.") == 0 ||
		    strcmp(p + 1, "Jr") == 0 || strcmp(p + 1, "II") == 0 || strcmp(p + 1, "III") == 0)) {
			n->suffix = trimdup(c, p + 1, strlen(p + 1));
			end = p;
			while (end > w && (end[-1] == ' ' || end[-1] == ','))
				end--;
			for (p = end - 1; p > w && *p != ' '; p--)
				;
			if (*p != ' ') {
				n->family = trimdup(c, w, (size_t)(end - w));
				return n;
			}
		}
		fam = p + 1;
		/* particles: lower-case words just before the family name */
		q = p;
		while (q > w) {
			const char *ws = q - 1;

			while (ws > w && ws[-1] != ' ')
				ws--;
			if (ws == w || !is_particle(ws, (size_t)(q - ws)))
				break;
			q = ws - 1;
		}
		if (q < p) {
			n->non_dropping_particle = trimdup(c, q + 1, (size_t)(p - q - 1));
			p = q;
		}
		n->family = trimdup(c, fam, (size_t)(end - fam));
		n->given = trimdup(c, w, (size_t)(p - w));
	}
	return n;
}

/* Part p of a name as text: markdown's "\*" is a star, and the no-break
 * spaces that hold the words of a family name or of a name in one piece
 * together (write_yaml.c) are spaces. */
static const char *
name_part(struct yctx *c, const char *p)
{
	char *t, *q;
	const char *r;

	if (p == NULL || (strstr(p, "\\*") == NULL && strstr(p, "\xC2\xA0") == NULL))
		return p;
	t = cvb_arena_strdup(&c->b->arena, p);
	if (t == NULL)
		return p;
	for (q = t, r = p; *r != '\0'; ) {
		if (r[0] == '\\' && r[1] == '*') {
			*q++ = '*';
			r += 2;
		} else if ((unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0) {
			*q++ = ' ';
			r += 2;
		} else
			*q++ = *r++;
	}
	*q = '\0';
	return t;
}

static struct cvb_name *
cv_name(struct yctx *c, const char *s)
{
	struct cvb_name *n = cv_name_split(c, s);

	if (n != NULL && !(n->flags & CVB_NF_OTHERS)) {
		n->family = name_part(c, n->family);
		n->given = name_part(c, n->given);
		n->literal = name_part(c, n->literal);
		n->non_dropping_particle = name_part(c, n->non_dropping_particle);
		n->suffix = name_part(c, n->suffix);
	}
	return n;
}

static void
add_names(struct yctx *c, struct cvb_item *it, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	size_t i;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v)) {
		/* "A and B and C" */
		const char *s = json_string_value(v), *e;

		while (*s != '\0') {
			struct cvb_name *n;

			e = strstr(s, " and ");
			n = cv_name(c, e ? cvb_arena_strndup(&c->b->arena, s, (size_t)(e - s)) : s);
			if (n != NULL)
				cvb_item_add_name(it, CVB_NV_AUTHOR, n);
			if (e == NULL)
				break;
			s = e + 5;
		}
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i);
			struct cvb_name *n;

			if (!json_is_string(x)) {
				KWARN(c, obj, key, CVB_D_YAML_BAD_VALUE, "an author in '%s' is %s, skipped",
				    key, jtype(x));
				continue;
			}
			if ((n = cv_name(c, json_string_value(x))) != NULL)
				cvb_item_add_name(it, CVB_NV_AUTHOR, n);
		}
	} else {
		KWARN(c, obj, key, CVB_D_YAML_BAD_VALUE, "'%s' is %s, expected a list of names",
		    key, jtype(v));
		return;
	}
	for (struct cvb_name *n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
		if (n->flags & CVB_NF_EQUAL)
			it->flags |= CVB_IF_HAS_EQUAL;
		else if (n->flags & CVB_NF_CORRESP)
			it->flags |= CVB_IF_HAS_CORRESP;
}

static struct cvb_item *
new_item(struct yctx *c, const json_t *obj)
{
	unsigned line, col;
	struct cvb_item *it;

	node_pos(c, obj, &line, &col);
	it = cvb_item_new(c->b, c->file, line, col);
	c->cur = it;
	return it;
}

/* Append the ASCII letters and digits of s, lower-cased, at most max of them. */
static void
add_ascii(struct cvb_buf *o, const char *s, size_t max)
{
	size_t k = 0;

	for (; s != NULL && *s != '\0' && k < max; s++)
		if (isalnum((unsigned char)*s) && (unsigned char)*s < 0x80) {
			cvb_buf_addch(o, tolower((unsigned char)*s));
			k++;
		}
}

/*
 * Give a CV data item (which has no id of its own) an id: the first author's
 * family name, the year and the first long word of the title, as
 * "doe2021learning", made unique with a letter or a number.
 */
static void
make_id(struct yctx *c, struct cvb_item *it)
{
	const struct cvb_name *a = it->names[CVB_NV_AUTHOR];
	struct cvb_buf id = CVB_BUF_INIT, title = CVB_BUF_INIT;
	const char *p;
	size_t i, base;
	int year = cvb_item_year(it);
	const struct cvb_date *dt = it->date[CVB_DV_ISSUED];

	if (c->ids == NULL) {
		if ((c->ids = json_object()) == NULL)
			goto out;
		for (i = 0; i < c->b->n; i++)
			if (c->b->items[i]->id != NULL)
				json_object_set_new(c->ids, c->b->items[i]->id, json_true());
	}
	if (a != NULL && !(a->flags & CVB_NF_OTHERS))
		add_ascii(&id, a->family ? a->family : a->literal, 20);
	if (year == 0 && dt != NULL && dt->literal != NULL)	/* "Fall 2023" */
		for (p = dt->literal; *p != '\0' && year == 0; p++)
			if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
			    !isdigit((unsigned char)p[4]) && (p == dt->literal || !isdigit((unsigned char)p[-1])))
				year = atoi(p);
	if (year > 0)
		cvb_buf_addf(&id, "%d", year);
	cvb_rich_plain(&title, it->str[CVB_V_TITLE]);
	for (p = title.buf; *p != '\0'; ) {
		size_t n = 0;

		while (p[n] != '\0' && isalpha((unsigned char)p[n]))
			n++;
		if (n >= 4 && !cvb_key_stopword(p, n)) {
			char w[24];

			snprintf(w, sizeof(w), "%.*s", (int)(n < 16 ? n : 16), p);
			add_ascii(&id, w, 16);
			break;
		}
		p += n > 0 ? n : 1;
	}
	if (id.len == 0)
		cvb_buf_adds(&id, "item");
	base = id.len;
	if (c->id_next == NULL)
		c->id_next = json_object();
	/* candidate k: the base (0), base+a .. base+z (1-26), base-1, ...
	 * (27 ...); each base goes on from its first untried one, so that many
	 * entries of one base cost linear time (issue 20) */
	{
		json_t *nx = c->id_next && !id.err ? json_object_get(c->id_next, id.buf) : NULL;
		char *b0 = id.err ? NULL : strdup(id.buf);
		size_t k = nx ? (size_t)json_integer_value(nx) : 0;

		for (;; k++) {
			cvb_buf_setlen(&id, base);
			if (k >= 1 && k <= 26)
				cvb_buf_addch(&id, 'a' + (int)(k - 1));
			else if (k > 26)
				cvb_buf_addf(&id, "-%zu", k - 26);
			if (id.err || json_object_get(c->ids, id.buf) == NULL)
				break;
		}
		if (b0 != NULL && c->id_next != NULL)
			json_object_set_new(c->id_next, b0, json_integer((json_int_t)k + 1));
		free(b0);
	}
	if (!id.err) {
		it->id = cvb_arena_strdup(&c->b->arena, id.buf);
		json_object_set_new(c->ids, id.buf, json_true());
	}
out:
	if (it->id == NULL)
		it->id = cvb_arena_printf(&c->b->arena, "item-%zu", it->seq + 1);
	cvbib_buf_release(&id);
	cvbib_buf_release(&title);
}

static void
set_str(struct yctx *c, struct cvb_item *it, enum cvb_var v, const char *s)
{
	(void)c;
	if (s != NULL)
		it->str[v] = s;
}

/* An entry that is not a mapping, or one without a title. */
static bool
check_entry(struct yctx *c, const json_t *list, size_t i, const json_t *e, const char *what,
    const char *titlekey)
{
	unsigned line, col;

	cvb_ytree_pos(c->t, list, NULL, i, &line, &col);
	if (line == 0)	/* an entry read by itself (JSON Resume's recovery) */
		node_pos(c, e, &line, &col);
	if (line == 0) {
		line = c->eline;
		col = c->ecol;
	}
	if (!json_is_object(e)) {
		cvb_diag(c->d, CVB_D_YAML_NOT_ENTRY, c->file, line, col, "%s %zu is %s, not a mapping",
		    what, i + 1, jtype(e));
		return false;
	}
	if (!(json_is_string(json_object_get(e, titlekey)) &&
	    json_string_length(json_object_get(e, titlekey)) > 0) &&
	    !json_is_number(json_object_get(e, titlekey))) {
		cvb_diag(c->d, CVB_D_YAML_NOT_ENTRY, c->file, line, col, "%s %zu has no '%s'",
		    what, i + 1, titlekey);
		return false;
	}
	return true;
}

/* ---- CSL-YAML -------------------------------------------------------------- */

static void
csl_pos(void *ctx, size_t idx, const json_t *item, const char *key, unsigned *line, unsigned *col)
{
	const struct yctx *c = ctx;

	(void)item;
	if (key != NULL && json_is_object(c->orig))
		cvb_ytree_pos(c->t, c->orig, key, 0, line, col);
	else
		cvb_ytree_pos(c->t, c->list, NULL, idx, line, col);
}

static void
read_csl_item(struct yctx *c, json_t *item, size_t i, const struct cvb_jpos *pos)
{
	json_t *rich = md_tree(item, true);

	if (rich == NULL) {
		c->b->arena.err = CVBIB_ENOMEM;
		return;
	}
	c->orig = item;
	cvb_csljson_read_item(c->b, rich, i, c->file, pos, CVB_JR_YAML, c->d);
	c->orig = NULL;
	json_decref(rich);
}

/* The byte offset of 1-based line:col (col in characters) of the text, or SIZE_MAX. */
static size_t
text_off(const struct yctx *c, unsigned line, unsigned col)
{
	size_t off;

	if (line == 0 || col == 0 || line > c->map->nlines)
		return SIZE_MAX;
	off = c->map->lines[line - 1];
	/* libyaml's columns do not count a byte-order mark */
	if (line == 1 && c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
		off += 3;
	for (; col > 1; col--) {
		uint32_t cp;
		int l;

		if (off >= c->len || c->data[off] == '\n')
			return SIZE_MAX;
		l = cvb_utf8_decode(c->data + off, c->len - off, &cp);
		off += l > 0 ? (size_t)l : 1;
	}
	return off;
}

/*
 * Where element i of the CSL list lies in the text, for an in-place rewrite
 * that writes only the items that changed (cvb_write_cslyaml()): from the
 * start of the line of its "- " to the end of the line its last value ends
 * on (a comment there included), so that whatever is between items (blank
 * lines, comments) stays as it is; an item of a flow list ("[{...}, {...}]"),
 * its braces.  False when it is not so simple: a "-" on a line of its own,
 * text after the item on its last line, a flow item that is no mapping.
 */
static bool
item_span(const struct yctx *c, const json_t *list, size_t i, size_t *from, size_t *to)
{
	unsigned line, col;
	size_t s, e, q;
	bool dash = false;

	cvb_ytree_pos(c->t, list, NULL, i, &line, &col);
	if ((s = text_off(c, line, col)) == SIZE_MAX)
		return false;
	cvb_ytree_elem_end(c->t, list, i, &line, &col);
	if ((e = text_off(c, line, col)) == SIZE_MAX || e < s)
		return false;
	/* an item of a flow list ("[{id: a, DOI: ...}, {...}]"): the braces and
	 * what is between them, which write_yaml.c replaces by a flow mapping */
	if (c->data[s] == '{') {
		if (e <= s + 1 || c->data[e - 1] != '}')
			return false;
		*from = s;
		*to = e;
		return true;
	}
	/* back over the "- " (or "  - - ") to the start of the line */
	for (q = s; q > 0 && c->data[q - 1] != '\n'; q--) {
		if (c->data[q - 1] == '-')
			dash = true;
		else if (c->data[q - 1] != ' ')
			return false;
	}
	if (!dash)
		return false;
	*from = q;
	/* a block scalar ends where the next line's text starts */
	for (q = e; q > s && (c->data[q - 1] == ' ' || c->data[q - 1] == '\t'); q--)
		;
	if (q > s && c->data[q - 1] == '\n') {
		/* ... after the blank lines that follow it, which stay between items */
		for (;;) {
			size_t ls = q - 1, k;

			while (ls > s && c->data[ls - 1] != '\n')
				ls--;
			for (k = ls; k < q - 1 && (c->data[k] == ' ' || c->data[k] == '\t' ||
			    c->data[k] == '\r'); k++)
				;
			if (k < q - 1 || ls <= s)
				break;
			q = ls;
		}
		*to = q;
		return true;
	}
	/* the rest of the last line: white space and a comment only */
	for (q = e; q < c->len && (c->data[q] == ' ' || c->data[q] == '\t'); q++)
		;
	if (q < c->len && c->data[q] == '#' && q > e)
		while (q < c->len && c->data[q] != '\n' && c->data[q] != '\r')
			q++;
	if (q < c->len && c->data[q] == '\r')
		q++;
	if (q < c->len && c->data[q] != '\n')
		return false;
	*to = q < c->len ? q + 1 : q;
	return true;
}

static void
read_csl_list(struct yctx *c, json_t *list)
{
	struct cvb_jpos pos = { csl_pos, c };
	size_t i, before;
	cvbib_biblio *b = c->b;

	c->list = list;
	for (i = 0; i < json_array_size(list); i++) {
		before = b->n;
		read_csl_item(c, json_array_get(list, i), i, &pos);
		if (c->map == NULL || b->src_bad)
			continue;
		/* an in-place rewrite copies the items that did not change */
		b->src_items++;
		if (b->n == before + 1) {
			struct cvb_item *it = b->items[before];

			if (!item_span(c, list, i, &it->src_off, &it->src_end))
				b->src_bad = true;	/* written whole */
		}
	}
}

/* ---- RenderCV ---------------------------------------------------------------- */

static const char *const rendercv_keys[] = { "title", "authors", "doi", "url", "journal",
	"date", "summary", NULL };

/* Is name n the person called owner ("Given Family", as RenderCV's cv.name)? */
static bool
is_owner(const struct cvb_name *n, const char *owner)
{
	struct cvb_buf t = CVB_BUF_INIT;
	bool r;

	if (owner == NULL)
		return false;
	if (n->literal != NULL)
		cvb_buf_adds(&t, n->literal);
	else {
		if (n->given != NULL)
			cvb_buf_addf(&t, "%s ", n->given);
		if (n->non_dropping_particle != NULL)
			cvb_buf_addf(&t, "%s ", n->non_dropping_particle);
		if (n->family != NULL)
			cvb_buf_adds(&t, n->family);
	}
	r = !t.err && strcasecmp(t.buf, owner) == 0;
	cvbib_buf_release(&t);
	return r;
}

/* What kind of CV note a venue's last part is ("Best Paper Award", "Spotlight"), or -1. */
static int
venue_note_kind(const char *s, size_t n)
{
	static const struct { const char *word; enum cvb_note_kind kind; } words[] = {
		{ "award", CVB_NOTE_AWARD }, { "best paper", CVB_NOTE_AWARD },
		{ "honorable mention", CVB_NOTE_AWARD }, { "outstanding", CVB_NOTE_AWARD },
		{ "spotlight", CVB_NOTE_PRESENTATION }, { "oral", CVB_NOTE_PRESENTATION },
		{ "poster", CVB_NOTE_PRESENTATION }, { "under review", CVB_NOTE_STATUS },
		{ "to appear", CVB_NOTE_STATUS }, { "in press", CVB_NOTE_STATUS },
		{ "submitted", CVB_NOTE_STATUS }, { "accepted", CVB_NOTE_STATUS },
		{ "forthcoming", CVB_NOTE_STATUS },
	};
	size_t i, k, w;

	for (i = 0; i < CVB_ARRAY_SIZE(words); i++) {
		w = strlen(words[i].word);
		for (k = 0; k + w <= n; k++)
			if (strncasecmp(s + k, words[i].word, w) == 0 &&
			    (k == 0 || !isalpha((unsigned char)s[k - 1])) &&
			    (k + w == n || !isalpha((unsigned char)s[k + w])))
				return (int)words[i].kind;
	}
	return -1;
}

/*
 * RenderCV puts awards, presentations and status in the journal ("ICLR 2021,
 * Best Paper Award", "Nature (under review)"): such last parts become notes.
 */
static const char *
venue_notes(struct yctx *c, struct cvb_item *it, const char *journal)
{
	char *j;
	size_t len;

	if (journal == NULL || (j = cvb_arena_strdup(&c->b->arena, journal)) == NULL)
		return journal;
	for (;;) {
		char *cut = NULL, *part;
		int kind;

		len = strlen(j);
		if (len > 2 && j[len - 1] == ')' && (cut = strrchr(j, '(')) != NULL && cut > j) {
			part = cut + 1;
			kind = venue_note_kind(part, (size_t)(j + len - 1 - part));
			if (kind < 0)
				break;
			j[len - 1] = '\0';
		} else if ((cut = strrchr(j, ',')) != NULL && cut > j) {
			part = cut + 1;
			while (*part == ' ')
				part++;
			kind = venue_note_kind(part, strlen(part));
			if (kind < 0)
				break;
		} else
			break;
		/* notes come off from the end: insert each before the ones found */
		{
			struct cvb_note *nt = cvb_arena_alloc(&c->b->arena, sizeof(*nt));

			if (nt == NULL)
				break;
			nt->kind = (enum cvb_note_kind)kind;
			nt->text = cvb_arena_strdup(&c->b->arena, part);
			nt->next = it->notes;
			if (it->notes == NULL)
				it->notes_tail = &nt->next;
			it->notes = nt;
		}
		*cut = '\0';
		while (cut > j && cut[-1] == ' ')
			*--cut = '\0';
	}
	return j;
}

static void
read_rendercv_entry(struct yctx *c, const json_t *e, const char *section, const char *owner)
{
	struct cvb_item *it = new_item(c, e);
	struct cvb_name *nm;
	const char *s;

	if (it == NULL)
		return;
	it->group = section;
	set_str(c, it, CVB_V_TITLE, md_rich(c, field_text(c, e, "title")));
	add_names(c, it, e, "authors");
	/* the CV's owner, cv.name, is the owner in every author list */
	for (nm = it->names[CVB_NV_AUTHOR]; nm != NULL; nm = nm->next)
		if (is_owner(nm, owner))
			nm->flags |= CVB_NF_HIGHLIGHT;
	set_str(c, it, CVB_V_DOI, field_text(c, e, "doi"));
	set_str(c, it, CVB_V_URL, field_text(c, e, "url"));
	set_str(c, it, CVB_V_CONTAINER_TITLE, venue_notes(c, it, md_rich(c, field_text(c, e, "journal"))));
	set_str(c, it, CVB_V_ABSTRACT, md_rich(c, field_text(c, e, "summary")));
	if ((s = field_text(c, e, "date")) != NULL)
		it->date[CVB_DV_ISSUED] = cv_date(c, s);
	it->type = it->str[CVB_V_CONTAINER_TITLE] ? CVB_T_ARTICLE_JOURNAL : CVB_T_ARTICLE;
	keep_unknown(c, it, e, rendercv_keys);
	make_id(c, it);
}

static void
read_rendercv(struct yctx *c, const json_t *cv)
{
	json_t *sections = json_object_get(cv, "sections"), *list;
	const char *name, *owner = json_string_value(json_object_get(cv, "name"));
	size_t i, n = 0, nskipped = 0;
	struct cvb_buf skipped = CVB_BUF_INIT;

	if (sections == NULL || json_is_null(sections))
		return;
	if (!json_is_object(sections)) {
		KWARN(c, cv, "sections", CVB_D_YAML_BAD_VALUE, "'cv.sections' is %s, expected a mapping",
		    jtype(sections));
		return;
	}
	json_object_foreach(sections, name, list) {
		const char *section;
		size_t other = 0;

		if (!json_is_array(list)) {
			KWARN(c, sections, name, CVB_D_RCV_NOT_PUB, "section '%s' is %s, not a list of entries",
			    name, jtype(list));
			continue;
		}
		section = cvb_arena_strdup(&c->b->arena, name);
		for (i = 0; i < json_array_size(list); i++) {
			json_t *e = json_array_get(list, i);

			/* RenderCV tells entry kinds by their keys: title + authors */
			if (!json_is_object(e) || json_object_get(e, "authors") == NULL ||
			    json_object_get(e, "title") == NULL) {
				other++;
				continue;
			}
			read_rendercv_entry(c, e, section, owner);
			n++;
		}
		if (other > 0) {
			cvb_buf_addf(&skipped, "%s'%s'", skipped.len ? ", " : "", name);
			nskipped += other;
		}
	}
	/* education, experience, talks as text ...: said once per file */
	if (nskipped > 0 && !skipped.err)
		KWARN(c, cv, "sections", CVB_D_RCV_NOT_PUB, "%zu %s in section%s %s", nskipped,
		    nskipped == 1 ? "entry" : "entries", strchr(skipped.buf, ',') ? "s" : "", skipped.buf);
	cvbib_buf_release(&skipped);
}

/* ---- JSON Resume ---------------------------------------------------------------- */

static const char *const jsonresume_keys[] = { "name", "publisher", "releaseDate", "url",
	"summary", NULL };

/* Publication i of list (NULL: read by itself); 0, or -1 out of memory. */
static int
read_jsonresume_entry(struct yctx *c, const json_t *list, size_t i, json_t *e)
{
	struct cvb_item *it;
	const char *s;

	if (!check_entry(c, list, i, e, "publication", "name"))
		return 0;
	if ((it = new_item(c, e)) == NULL)
		return -1;
	set_str(c, it, CVB_V_TITLE, field_text(c, e, "name"));
	set_str(c, it, CVB_V_CONTAINER_TITLE, field_text(c, e, "publisher"));
	set_str(c, it, CVB_V_URL, field_text(c, e, "url"));
	set_str(c, it, CVB_V_ABSTRACT, field_text(c, e, "summary"));
	if ((s = field_text(c, e, "releaseDate")) != NULL)
		it->date[CVB_DV_ISSUED] = cv_date(c, s);
	it->type = it->str[CVB_V_CONTAINER_TITLE] ? CVB_T_ARTICLE_JOURNAL : CVB_T_ARTICLE;
	keep_unknown(c, it, e, jsonresume_keys);
	make_id(c, it);
	return 0;
}

static void
read_jsonresume_list(struct yctx *c, const json_t *root, const json_t *list)
{
	size_t i;

	if (!json_is_array(list)) {
		KWARN(c, root, "publications", CVB_D_YAML_BAD_VALUE, "'publications' is %s, expected a list",
		    jtype(list));
		return;
	}
	for (i = 0; i < json_array_size(list); i++)
		if (read_jsonresume_entry(c, list, i, json_array_get(list, i)) != 0)
			return;
}

/*
 * A JSON Resume that does not parse: its "publications" list is read
 * element by element as CSL-JSON's list is (cvb_json_read_array: a broken
 * publication is reported and skipped, the others are kept; issue 20).  Each
 * element's text also goes through libyaml by itself for the positions of
 * its warnings.
 */
struct jr_stream {
	struct yctx		*c;
	const char		*data;
	const struct cvb_srcmap	*map;
};

static void
jr_stream_entry(void *ctx, json_t *elem, size_t idx, size_t off, size_t end)
{
	struct jr_stream *js = ctx;
	struct yctx *c = js->c;
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	struct cvb_ytree *t = NULL;
	json_t *e = elem;
	unsigned line = 0, col = 0;

	cvb_srcmap_pos(js->map, off, &line, &col);
	c->eline = line;
	c->ecol = col;
	if (line > 0 && col > 0 && cvb_ytree_load(&t, js->data + off, end - off, c->file, &quiet) == 0 &&
	    t != NULL && cvb_ytree_ndocs(t) == 1 && json_equal(cvb_ytree_doc(t, 0), elem)) {
		cvb_ytree_shift(t, line - 1, col - 1);
		e = cvb_ytree_doc(t, 0);
		c->t = t;
	}
	cvbib_diags_release(&quiet);
	(void)read_jsonresume_entry(c, NULL, idx, e);
	c->t = NULL;
	c->eline = c->ecol = 0;
	cvb_ytree_free(t);
}

static bool
json_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The offset of the '[' of the list that is the value of key "publications",
 * preferably at the top of the document; len when there is none. */
static size_t
jr_find_list(const char *s, size_t len)
{
	size_t i, best = len;
	long depth = 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '"') {
			size_t k0 = i + 1, k;

			for (i++; i < len && s[i] != '"' && s[i] != '\n'; i++)
				if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n')
					i++;
			if (i == len)
				break;
			if (s[i] != '"' || i - k0 != 12 || memcmp(s + k0, "publications", 12) != 0)
				continue;
			for (k = i + 1; k < len && json_space(s[k]); k++)
				;
			if (k == len || s[k] != ':')
				continue;
			for (k++; k < len && json_space(s[k]); k++)
				;
			if (k < len && s[k] == '[') {
				if (depth == 1)
					return k;
				if (best == len)
					best = k;
			}
		} else if (ch == '{' || ch == '[')
			depth++;
		else if (ch == '}' || ch == ']')
			depth--;
	}
	return best;
}

/* 0: read; -1: there is no list to read (the caller reports the error). */
static int
jr_recover(struct yctx *c, const char *data, size_t len, const json_error_t *err)
{
	struct cvb_srcmap map;
	struct jr_stream js;
	size_t start = jr_find_list(data, len), end, at;

	if (start == len)
		return -1;
	if (cvb_srcmap_init(&map, data, len) != 0) {
		c->b->arena.err = CVBIB_ENOMEM;
		return 0;
	}
	js.c = c;
	js.data = data;
	js.map = &map;
	/* jansson's error is reported unless it is inside the list, where the
	 * list's reading reports it */
	at = err->position > 0 ? (size_t)err->position - 1 : 0;
	if (at < start)
		cvb_diag(c->d, CVB_D_JSON_SYNTAX, c->file, (unsigned)(err->line > 0 ? err->line : 0),
		    (unsigned)(err->column > 0 ? err->column : 0), "%s; 'publications' read by itself",
		    err->text);
	end = cvb_json_read_array(data, len, start, c->file, "publication", &map, jr_stream_entry, &js, c->d);
	if (at >= end && end < len)
		cvb_diag(c->d, CVB_D_JSON_SYNTAX, c->file, (unsigned)(err->line > 0 ? err->line : 0),
		    (unsigned)(err->column > 0 ? err->column : 0), "%s (after 'publications')",
		    err->text);
	cvb_srcmap_release(&map);
	return 0;
}

/* ---- academicpages (Jekyll) front matter ---------------------------------------- */

static const char *const academic_keys[] = { "title", "venue", "date", "paperurl",
	"category", "collection", NULL };

/* "J.", "J. R.", "J.R.", "You.": given names written as initials. */
static bool
initials(const char *s)
{
	int letters = 0, total = 0;
	bool dot = false, upper = true;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-' || *s == '.') {
			dot |= *s == '.';
			letters = 0;
			continue;
		}
		if (!isalpha((unsigned char)*s) || ++letters > 3)
			return false;
		upper &= isupper((unsigned char)*s) != 0;
		total++;
	}
	return total > 0 && (dot || (upper && total <= 3));
}

/* The end of the authors in a citation: the year in brackets, a quote, the title. */
static size_t
authors_end(const char *cit, const char *title)
{
	size_t end = strlen(cit), i;
	const char *q;

	for (i = 0; cit[i] != '\0'; i++) {
		if (cit[i] == '(' && isdigit((unsigned char)cit[i + 1]) && isdigit((unsigned char)cit[i + 2]) &&
		    isdigit((unsigned char)cit[i + 3]) && isdigit((unsigned char)cit[i + 4]))
			break;
		if (cit[i] == '"' || strncmp(cit + i, "\xE2\x80\x9C", 3) == 0)	/* " or “ */
			break;
		if (cit[i] == '.' && cit[i + 1] == ' ' && isdigit((unsigned char)cit[i + 2]) &&
		    isdigit((unsigned char)cit[i + 3]) && isdigit((unsigned char)cit[i + 4]) &&
		    isdigit((unsigned char)cit[i + 5]) && !isdigit((unsigned char)cit[i + 6]))
			break;
	}
	if (i < end)
		end = i;
	if (title != NULL && strlen(title) >= 8) {
		char head[16];
		size_t k = strlen(title) < 12 ? strlen(title) : 12;

		memcpy(head, title, k);
		head[k] = '\0';
		if ((q = strstr(cit, head)) != NULL && (size_t)(q - cit) < end)
			end = (size_t)(q - cit);
	}
	return end;
}

/*
 * The authors of an academicpages citation, such as "Doe, J., &amp; Roe, R.
 * (2020). &quot;Title.&quot; <i>Venue</i>.": the text before the year, a quote
 * or the title, split at commas, "and", "&" and ";", with "Family, Initials"
 * pairs joined.  Names in <b>...</b> are the CV owner.  A guess, made only
 * because this front matter has no authors field; the citation itself is
 * kept as an extra field.
 */
static void
citation_authors(struct yctx *c, struct cvb_item *it, const char *cit)
{
	struct cvb_buf t = CVB_BUF_INIT;
	char *seg, *tok[64];
	bool bold[64], inbold = false;
	size_t end, n = 0, i;
	char *p;

	cvb_md_to_rich(&t, cit, strlen(cit));
	if (t.err)
		goto out;
	end = authors_end(t.buf, it->str[CVB_V_TITLE]);
	while (end > 0 && strchr(" .,:;(", t.buf[end - 1]) != NULL && !(t.buf[end - 1] == '.' &&
	    end >= 2 && isupper((unsigned char)t.buf[end - 2]) && (end < 3 || !isalpha((unsigned char)t.buf[end - 3]))))
		end--;
	if (end == 0 || (seg = cvb_arena_strndup(&c->b->arena, t.buf, end)) == NULL)
		goto out;
	/* separators to commas */
	for (p = seg; *p != '\0'; p++) {
		if (strncmp(p, " and ", 5) == 0) {
			memcpy(p, ",    ", 5);
		} else if (strncmp(p, " & ", 3) == 0) {
			memcpy(p, ",  ", 3);
		} else if (*p == ';')
			*p = ',';
	}
	for (p = seg; p != NULL && n < CVB_ARRAY_SIZE(tok); ) {
		char *e, *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		while (*p == ' ')
			p++;
		e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		if (*p != '\0') {
			bold[n] = inbold || strstr(p, "<b>") != NULL;
			if (strstr(p, "<b>") != NULL)
				inbold = true;
			if (strstr(p, "</b>") != NULL)
				inbold = false;
			tok[n++] = p;
		}
		p = comma != NULL ? comma + 1 : NULL;
	}
	/* the tokens without their tags (a bold name may span two tokens) */
	for (i = 0; i < n; i++) {
		static const char *const tags[] = { "<b>", "</b>", "<i>", "</i>", "<strong>",
		    "</strong>", "<em>", "</em>", NULL };
		size_t k;
		char *q;

		for (k = 0; tags[k] != NULL; k++)
			while ((q = strstr(tok[i], tags[k])) != NULL)
				memmove(q, q + strlen(tags[k]), strlen(q + strlen(tags[k])) + 1);
	}
	{
		bool pairs = n >= 2 && n % 2 == 0;

		for (i = 0; pairs && i < n; i += 2)
			if (initials(tok[i]) || !initials(tok[i + 1]))
				pairs = false;
		for (i = 0; i < n; i += pairs ? 2 : 1) {
			struct cvb_name *nm = cv_name(c, pairs ? cvb_arena_printf(&c->b->arena, "%s, %s",
			    tok[i], tok[i + 1]) : tok[i]);

			if (nm == NULL)
				continue;
			if (bold[i] || (pairs && bold[i + 1]))
				nm->flags |= CVB_NF_HIGHLIGHT;
			cvb_item_add_name(it, CVB_NV_AUTHOR, nm);
		}
	}
out:
	cvbib_buf_release(&t);
}

/*
 * cvbib's own site writers (src/formats/site.c) keep each entry's CSL-JSON
 * under the key "cvbib", which the themes ignore: read it, so that what
 * cvbib wrote reads back the same.  False when there is none.
 */
static void
blob_pos(void *ctx, size_t idx, const json_t *item, const char *key, unsigned *line, unsigned *col)
{
	const struct yctx *c = ctx;

	(void)idx;
	if (key != NULL)
		cvb_ytree_pos(c->t, item, key, 0, line, col);
	else
		cvb_ytree_node_pos(c->t, item, line, col);
}

static bool
read_cvbib_key(struct yctx *c, const json_t *fm)
{
	json_t *v = json_object_get(fm, "cvbib");
	struct cvb_jpos pos = { blob_pos, c };
	struct cvb_item *it;

	if (!json_is_object(v) || json_object_get(v, "type") == NULL)
		return false;
	it = cvb_csljson_read_item(c->b, v, 0, c->file, &pos, 0, c->d);
	if (it != NULL && (truthy(json_object_get(fm, "featured")) || truthy(json_object_get(fm, "selected"))))
		it->flags |= CVB_IF_SELECTED;
	return true;
}

static void
read_academicpages(struct yctx *c, const json_t *fm)
{
	struct cvb_item *it;
	const char *s;

	if (read_cvbib_key(c, fm))
		return;
	if ((it = new_item(c, fm)) == NULL)
		return;
	set_str(c, it, CVB_V_TITLE, field_text(c, fm, "title"));
	set_str(c, it, CVB_V_CONTAINER_TITLE, field_text(c, fm, "venue"));
	set_str(c, it, CVB_V_URL, field_text(c, fm, "paperurl"));
	if ((s = field_text(c, fm, "date")) != NULL)
		it->date[CVB_DV_ISSUED] = cv_date(c, s);
	if (json_is_string(json_object_get(fm, "citation")))
		citation_authors(c, it, json_string_value(json_object_get(fm, "citation")));
	s = field_text(c, fm, "category");
	if (s != NULL && strcmp(s, "conferences") == 0)
		it->type = CVB_T_PAPER_CONFERENCE;
	else if (s != NULL && strcmp(s, "books") == 0)
		it->type = CVB_T_BOOK;
	else
		it->type = CVB_T_ARTICLE_JOURNAL;
	if (s != NULL && strcmp(s, "conferences") != 0 && strcmp(s, "books") != 0 &&
	    strcmp(s, "manuscripts") != 0)
		keep(c, it, "category", json_object_get(fm, "category"));
	s = field_text(c, fm, "collection");
	if (s != NULL && strcmp(s, "publications") != 0)
		keep(c, it, "collection", json_object_get(fm, "collection"));
	keep_unknown(c, it, fm, academic_keys);
	make_id(c, it);
}

/* ---- Hugo Blox front matter -------------------------------------------------------- */

static const char *const hugo_keys[] = { "title", "authors", "author_notes", "date",
	"doi", "publication_types", "publication", "publication_short", "abstract",
	"featured", "tags", "url_pdf", NULL };

/* Old Hugo Academic numeric publication types. */
static enum cvb_type
hugo_type(const char *s)
{
	static const enum cvb_type codes[] = { CVB_T_ARTICLE, CVB_T_PAPER_CONFERENCE,
	    CVB_T_ARTICLE_JOURNAL, CVB_T_ARTICLE, CVB_T_REPORT, CVB_T_BOOK, CVB_T_CHAPTER,
	    CVB_T_THESIS, CVB_T_PATENT };

	if (s[0] >= '0' && s[0] <= '8' && s[1] == '\0')
		return codes[s[0] - '0'];
	return cvb_type_lookup(s);
}

/* Hugo's "In *Venue*": the venue as plain text (styles italicise it themselves). */
static const char *
venue(struct yctx *c, const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const char *r;

	if ((s = md_rich(c, s)) == NULL)
		return NULL;
	if (strncmp(s, "In ", 3) == 0)
		s += 3;
	cvb_rich_plain(&o, s);
	r = o.err ? NULL : trimdup(c, o.buf, o.len);
	cvbib_buf_release(&o);
	return r;
}

static void
read_hugo(struct yctx *c, const json_t *fm)
{
	struct cvb_item *it;
	json_t *v;
	const char *s;
	size_t i;

	if (read_cvbib_key(c, fm))
		return;
	if ((it = new_item(c, fm)) == NULL)
		return;
	set_str(c, it, CVB_V_TITLE, md_rich(c, field_text(c, fm, "title")));
	add_names(c, it, fm, "authors");
	/* "admin" (Hugo Academic, Wowchemy) or "me" (newer Hugo Blox) is the site's owner */
	for (struct cvb_name *n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
		if (n->literal != NULL && (strcmp(n->literal, "admin") == 0 || strcmp(n->literal, "me") == 0))
			n->flags |= CVB_NF_HIGHLIGHT;
	v = json_object_get(fm, "author_notes");
	if (json_is_array(v)) {
		struct cvb_name *n = it->names[CVB_NV_AUTHOR];

		for (i = 0; i < json_array_size(v) && n != NULL; i++, n = n->next) {
			const char *note = text_of(c, json_array_get(v, i));

			if (note == NULL)
				continue;
			if (strncasecmp(note, "equal contribution", 18) == 0) {
				n->flags |= CVB_NF_EQUAL;
				it->flags |= CVB_IF_HAS_EQUAL;
			} else if (strncasecmp(note, "corresponding", 13) == 0) {
				n->flags |= CVB_NF_CORRESP;
				it->flags |= CVB_IF_HAS_CORRESP;
			} else {
				struct cvb_buf nb = CVB_BUF_INIT;

				cvb_buf_addf(&nb, "%s: %s", n->literal ? n->literal :
				    n->family ? n->family : "?", note);
				if (!nb.err)
					cvb_item_add_note(c->b, it, CVB_NOTE_OTHER, nb.buf);
				cvbib_buf_release(&nb);
			}
		}
	} else if (v != NULL && !json_is_null(v))
		KWARN(c, fm, "author_notes", CVB_D_YAML_BAD_VALUE, "'author_notes' is %s, expected a list",
		    jtype(v));
	if ((s = field_text(c, fm, "date")) != NULL)
		it->date[CVB_DV_ISSUED] = cv_date(c, s);
	set_str(c, it, CVB_V_DOI, field_text(c, fm, "doi"));
	set_str(c, it, CVB_V_CONTAINER_TITLE, venue(c, field_text(c, fm, "publication")));
	set_str(c, it, CVB_V_CONTAINER_TITLE_SHORT, venue(c, field_text(c, fm, "publication_short")));
	set_str(c, it, CVB_V_ABSTRACT, field_text(c, fm, "abstract"));
	v = json_object_get(fm, "publication_types");
	if (json_is_string(v))
		it->type = hugo_type(json_string_value(v));
	else if (json_is_array(v) && json_array_size(v) > 0 && (s = text_of(c, json_array_get(v, 0))) != NULL)
		it->type = hugo_type(s);
	if (it->type == CVB_T_NONE) {
		if (v != NULL && !json_is_null(v))
			KWARN(c, fm, "publication_types", CVB_D_YAML_BAD_VALUE,
			    "unknown publication type, kept as an extra field");
		if (v != NULL)
			keep(c, it, "publication_types", v);
		it->type = it->str[CVB_V_CONTAINER_TITLE] ? CVB_T_ARTICLE_JOURNAL : CVB_T_ARTICLE;
	}
	if (truthy(json_object_get(fm, "featured")))
		it->flags |= CVB_IF_SELECTED;
	v = json_object_get(fm, "tags");
	if (json_is_array(v) && json_array_size(v) > 0) {
		struct cvb_buf kb = CVB_BUF_INIT;

		for (i = 0; i < json_array_size(v); i++) {
			const char *t = text_of(c, json_array_get(v, i));

			if (t == NULL)
				continue;
			if (kb.len > 0)
				cvb_buf_adds(&kb, ", ");
			cvb_buf_adds(&kb, t);
		}
		if (!kb.err && kb.len > 0)
			it->str[CVB_V_KEYWORD] = cvb_arena_strdup(&c->b->arena, kb.buf);
		cvbib_buf_release(&kb);
	}
	/* the PDF link is the item's URL; all links are kept as they are */
	if ((s = field_text(c, fm, "url_pdf")) != NULL)
		it->str[CVB_V_URL] = s;
	keep_unknown(c, it, fm, hugo_keys);
	make_id(c, it);
}

/* ---- what a document holds --------------------------------------------------------- */

static bool
has(const json_t *o, const char *k)
{
	return json_object_get(o, k) != NULL;
}

static void
read_doc(struct yctx *c, json_t *root)
{
	json_t *v;
	unsigned line, col;

	if (json_is_array(root)) {
		read_csl_list(c, root);
		return;
	}
	if (json_is_null(root))
		return;
	if (json_is_object(root)) {
		if ((v = json_object_get(root, "references")) != NULL) {
			if (json_is_array(v))
				read_csl_list(c, v);
			else if (!json_is_null(v))
				KWARN(c, root, "references", CVB_D_YAML_BAD_VALUE,
				    "'references' is %s, expected a list of CSL items", jtype(v));
			return;
		}
		if ((v = json_object_get(root, "cv")) != NULL && json_is_object(v)) {
			read_rendercv(c, v);
			return;
		}
		if ((v = json_object_get(root, "publications")) != NULL) {
			read_jsonresume_list(c, root, v);
			return;
		}
		/* a page cvbib wrote for an entry without a title: its CSL-JSON */
		if (!has(root, "title") && read_cvbib_key(c, root))
			return;
		if (has(root, "title") && (has(root, "publication_types") || has(root, "author_notes") ||
		    has(root, "publication") || has(root, "authors"))) {
			read_hugo(c, root);
			return;
		}
		if (has(root, "title") && (has(root, "venue") || has(root, "paperurl") ||
		    has(root, "citation") || has(root, "collection"))) {
			read_academicpages(c, root);
			return;
		}
		if (!has(root, "title") && (has(root, "publication_types") || has(root, "author_notes") ||
		    has(root, "venue") || has(root, "paperurl") || has(root, "citation"))) {
			node_pos(c, root, &line, &col);
			cvb_diag(c->d, CVB_D_YAML_NOT_ENTRY, c->file, line, col,
			    "publication front matter without a 'title'");
			return;
		}
		if (has(root, "type") && (has(root, "id") || has(root, "title"))) {
			/* one CSL item */
			json_t *list = json_array();

			if (list == NULL)
				return;
			json_array_append(list, root);
			c->list = list;
			{
				struct cvb_jpos pos = { csl_pos, c };

				read_csl_item(c, root, 0, &pos);
			}
			json_decref(list);
			return;
		}
	}
	node_pos(c, root, &line, &col);
	if (line == 0)
		line = col = 1;
	cvb_diag(c->d, CVB_D_YAML_UNKNOWN_DOC, c->file, line, col,
	    "%s (expected a list of CSL items, 'references', 'cv', 'publications', or "
	    "publication front matter)", json_is_object(root) ? "a mapping" : jtype(root));
}

/* The length of a line starting at p (without its end), and where the next starts. */
static size_t
line_len(const char *p, const char *end, const char **next)
{
	const char *e = memchr(p, '\n', (size_t)(end - p));

	*next = e ? e + 1 : end;
	if (e == NULL)
		e = end;
	if (e > p && e[-1] == '\r')
		e--;
	return (size_t)(e - p);
}

static bool
is_delim(const char *p, size_t n, const char *delim)
{
	size_t k = strlen(delim);

	if (n < k || memcmp(p, delim, k) != 0)
		return false;
	for (; k < n; k++)
		if (p[k] != ' ' && p[k] != '\t')
			return false;
	return true;
}

static bool
ext_is(const char *file, const char *ext)
{
	size_t n = strlen(file), e = strlen(ext);

	return n > e && strcasecmp(file + n - e, ext) == 0;
}

static int
read_tree(struct yctx *c, const char *data, size_t len)
{
	struct cvb_ytree *t;
	size_t i, before = c->b->n;
	int rc, errs = c->d->nerrors;

	c->data = data;
	c->len = len;
	rc = cvb_ytree_load(&t, data, len, c->file, c->d);
	if (t != NULL) {
		c->t = t;
		for (i = 0; i < cvb_ytree_ndocs(t); i++)
			read_doc(c, cvb_ytree_doc(t, i));
		cvb_ytree_free(t);
		c->t = NULL;
	}
	json_decref(c->ids);
	c->ids = NULL;
	json_decref(c->id_next);
	c->id_next = NULL;
	if (rc == 0 && c->b->n == before && c->d->nerrors == errs)
		cvb_diag(c->d, CVB_D_YAML_NO_ITEMS, c->file, 0, 0, NULL);
	if (c->b->arena.err) {
		cvb_diag(c->d, CVB_D_NOMEM, c->file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return rc;
}

static int read_yaml(struct yctx *c, const char *data, size_t len);

int
cvb_read_yaml(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct yctx c = { b, d, file, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, NULL };
	int rc;

	/* the input as it is, for a rewrite that keeps the items that did not
	 * change (one input, a CSL list) */
	if (opts != NULL && opts->keep_unchanged) {
		struct cvb_srcmap map;

		if (b->src != NULL || b->src_bad || b->n > 0 || len == 0)
			b->src_bad = true;
		else if ((b->src = cvb_arena_alloc(&b->arena, len)) != NULL) {
			memcpy((char *)b->src, data, len);
			b->src_len = len;
			if (cvb_srcmap_init(&map, data, len) == 0)
				c.map = &map;
			else
				b->src_bad = true;
		}
		rc = read_yaml(&c, data, len);
		if (c.map != NULL)
			cvb_srcmap_release(c.map);
		if (b->src != NULL && b->src_items == 0)
			b->src_bad = true;	/* not a CSL list: written whole */
		return rc;
	}
	return read_yaml(&c, data, len);
}

static int
read_yaml(struct yctx *c, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *next;
	const char *file = c->file;
	struct cvbib_diags *d = c->d;
	size_t n;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	n = line_len(p, end, &next);
	if (is_delim(p, n, "+++")) {
		cvb_diag(d, CVB_D_YAML_TOML, file, 1, 1, NULL);
		return -CVBIB_EUNSUPP;
	}
	/*
	 * Front matter: a first line "---" and a closing "---" or "...".  A YAML
	 * file (.yaml, .yml) is read as a stream of documents instead.
	 */
	if (is_delim(p, n, "---") && !ext_is(file, ".yaml") && !ext_is(file, ".yml")) {
		const char *q = next;

		while (q < end) {
			size_t m = line_len(q, end, &next);

			if (is_delim(q, m, "---") || is_delim(q, m, "...")) {
				/* keep the opening delimiter so lines and columns stay true */
				c->b->src_doc = true;
				return read_tree(c, data, (size_t)(q - data));
			}
			q = next;
		}
	}
	return read_tree(c, data, len);
}

int
cvb_read_jsonresume(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct yctx c = { b, d, file, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, NULL };
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	struct cvb_ytree *t = NULL;
	json_error_t err;
	json_t *root, *v;
	size_t before = b->n;
	int errs = d->nerrors;

	(void)opts;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	root = json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (root == NULL && jr_recover(&c, data, len, &err) == 0) {
		json_decref(c.ids);
		json_decref(c.id_next);
		if (b->arena.err) {
			cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
			return -CVBIB_ENOMEM;
		}
		return 0;
	}
	if (root == NULL) {
		cvb_diag(d, CVB_D_JSON_SYNTAX, file, (unsigned)(err.line > 0 ? err.line : 0),
		    (unsigned)(err.column > 0 ? err.column : 0), "%s", err.text);
		return -CVBIB_EINPUT;
	}
	/* positions: the same text through libyaml (JSON is YAML), when it can */
	if (cvb_ytree_load(&t, data, len, file, &quiet) == 0 && t != NULL &&
	    cvb_ytree_ndocs(t) == 1) {
		json_decref(root);
		root = json_incref(cvb_ytree_doc(t, 0));
		c.t = t;
	}
	cvbib_diags_release(&quiet);
	v = json_is_object(root) ? json_object_get(root, "publications") : NULL;
	if (v == NULL) {
		cvb_diag(d, CVB_D_YAML_UNKNOWN_DOC, file, 1, 1,
		    "a JSON Resume needs a 'publications' list");
		json_decref(root);
		cvb_ytree_free(t);
		return -CVBIB_EINPUT;
	}
	read_jsonresume_list(&c, root, v);
	json_decref(c.ids);
	json_decref(c.id_next);
	json_decref(root);
	cvb_ytree_free(t);
	if (b->n == before && d->nerrors == errs)
		cvb_diag(d, CVB_D_YAML_NO_ITEMS, file, 0, 0, NULL);
	if (b->arena.err) {
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return 0;
}
