/*
 * read_csljson.c - the CSL-JSON reader (jansson).
 *
 * jansson parses the text; because it keeps no positions for values, a small
 * scan of the same text (posindex below) records where each item and each of
 * its keys start, so that warnings carry line:column.  Values of the wrong
 * JSON type, unknown types and unknown variables are warned about and kept
 * where the model has room: unknown variables become extra fields holding
 * their JSON text, and are written back under "custom".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

/* ---- where items and keys start ---------------------------------------- */

struct keypos {
	size_t	 off, klen;	/* key text (raw, without quotes) at off+1 */
};
struct itempos {
	size_t	 off;
	size_t	 first, n;	/* range in keys[] */
};
struct posindex {
	const char	*data;
	size_t		 len;
	struct itempos	*items;
	size_t		 nitems, aitems;
	struct keypos	*keys;
	size_t		 nkeys, akeys;
	struct cvb_srcmap map;
	/* The scan is made when a key's position is first asked for (a
	 * warning): items read one by one tell where they start themselves. */
	bool		 built, nomem;
	bool		 cur_set;
	size_t		 cur_idx, cur_off;	/* the item being read and its offset */
	size_t		 cur_end;		/* ... and where it ends */
	size_t		 span_built;		/* 1 + the item whose keys are indexed */
};

static size_t
skip_string(const char *s, size_t len, size_t i)
{
	/* s[i] is the opening quote; returns the index after the closing one */
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* Record an item starting at offset off. */
static int
push_item(struct posindex *x, size_t off)
{
	if (x->nitems == x->aitems) {
		size_t na = x->aitems ? x->aitems * 2 : 64;
		struct itempos *v = realloc(x->items, na * sizeof(*v));

		if (v == NULL)
			return -1;
		x->items = v;
		x->aitems = na;
	}
	x->items[x->nitems].off = off;
	x->items[x->nitems].first = x->nkeys;
	x->items[x->nitems].n = 0;
	x->nitems++;
	return 0;
}

static int
posindex_init(struct posindex *x, const char *s, size_t len)
{
	memset(x, 0, sizeof(*x));
	x->data = s;
	x->len = len;
	return cvb_srcmap_init(&x->map, s, len) != 0 ? -1 : 0;
}

/* Index the items and keys in data[from..len); the whole document, or (an
 * item read by itself) the item's own text. */
static int
posindex_build(struct posindex *x, size_t from, size_t len)
{
	size_t i = from;
	const char *s = x->data;
	int depth = 0, itemdepth;
	/* stack of container kinds: '[' or '{' */
	char stack[64];

	x->nitems = x->nkeys = 0;
	while (i < len && s[i] != '[' && s[i] != '{')
		i++;
	if (i == len)
		return 0;
	itemdepth = s[i] == '[' ? 1 : 0;
	for (; i < len; i++) {
		char c = s[i];

		if (c == '"') {
			size_t start = i, j;

			i = skip_string(s, len, i);
			if (depth == itemdepth + 1 && depth <= 64 && stack[depth - 1] == '{') {
				for (j = i; j < len && (s[j] == ' ' || s[j] == '\t' ||
				    s[j] == '\n' || s[j] == '\r'); j++)
					;
				if (j < len && s[j] == ':' && x->nitems > 0) {
					if (x->nkeys == x->akeys) {
						size_t na = x->akeys ? x->akeys * 2 : 256;
						struct keypos *v = realloc(x->keys, na * sizeof(*v));

						if (v == NULL)
							return -1;
						x->keys = v;
						x->akeys = na;
					}
					x->keys[x->nkeys].off = start;
					x->keys[x->nkeys].klen = i - start - 2;
					x->nkeys++;
					x->items[x->nitems - 1].n++;
				}
			}
			i--;
			continue;
		}
		if (c == '[' || c == '{') {
			if (depth == itemdepth) {
				if (push_item(x, i) != 0)
					return -1;
			}
			if (depth < 64)
				stack[depth] = c;
			depth++;
		} else if (c == ']' || c == '}') {
			if (depth > 0)	/* a stray closer in malformed text */
				depth--;
		} else if (depth == itemdepth && itemdepth == 1 && c != ',' && c != ' ' &&
		    c != '\t' && c != '\n' && c != '\r') {
			/* a scalar array element: an item that is not an object */
			if (push_item(x, i) != 0)
				return -1;
			while (i + 1 < len && s[i + 1] != ',' && s[i + 1] != ']')
				i++;
		}
	}
	return 0;
}

static void
posindex_release(struct posindex *x)
{
	free(x->items);
	free(x->keys);
	cvb_srcmap_release(&x->map);
}

/* Position of item i, or of its key named key when found. */
static void
pos_of(struct posindex *x, size_t i, const char *key, unsigned *line, unsigned *col)
{
	size_t off = 0, k;

	*line = *col = 0;
	if (x->cur_set && i == x->cur_idx) {
		/* an item read by itself: its own keys are indexed (a broken
		 * item before it cannot shift the count) */
		if (key == NULL) {
			cvb_srcmap_pos(&x->map, x->cur_off, line, col);
			return;
		}
		if (x->span_built != i + 1) {
			x->built = false;
			x->span_built = i + 1;
			if (posindex_build(x, x->cur_off, x->cur_end) != 0)
				x->nomem = true;
		}
		i = 0;
	} else if (!x->built) {
		x->span_built = 0;
		x->built = true;
		if (posindex_build(x, 0, x->len) != 0)
			x->nomem = true;
	}
	if (i >= x->nitems)
		return;
	off = x->items[i].off;
	if (key != NULL) {
		size_t kl = strlen(key);

		for (k = x->items[i].first; k < x->items[i].first + x->items[i].n; k++)
			if (x->keys[k].klen == kl && memcmp(x->data + x->keys[k].off + 1, key, kl) == 0) {
				off = x->keys[k].off;
				break;
			}
	}
	cvb_srcmap_pos(&x->map, off, line, col);
}

/* ---- values -------------------------------------------------------------- */

/* The position callback of CSL-JSON input: the posindex above. */
static void
posindex_pos(void *ctx, size_t idx, const json_t *item, const char *key,
    unsigned *line, unsigned *col)
{
	(void)item;
	pos_of(ctx, idx, key, line, col);
}

struct jctx {
	cvbib_biblio		*b;
	struct cvbib_diags	*d;
	const char		*file;
	const struct cvb_jpos	*pos;
	const json_t		*item;
	size_t			 idx;	/* item index in the input */
	unsigned		 flags;	/* CVB_JR_* */
};

#define WARN(c, code, key, ...) do {					\
	unsigned l_, c_;						\
	(c)->pos->pos((c)->pos->ctx, (c)->idx, (c)->item, (key), &l_, &c_); \
	cvb_diag((c)->d, (code), (c)->file, l_, c_, __VA_ARGS__);	\
} while (0)

static const char *
jtype_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* The text of a scalar (string or number); NULL for other types. */
static const char *
scalar_text(struct jctx *c, const json_t *v, bool *isnum)
{
	*isnum = false;
	if (json_is_string(v))
		return cvb_arena_strndup(&c->b->arena, json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		*isnum = true;
		return cvb_arena_printf(&c->b->arena, "%lld", (long long)json_integer_value(v));
	}
	if (json_is_real(v)) {
		*isnum = true;
		return cvb_arena_printf(&c->b->arena, "%.17g", json_real_value(v));
	}
	return NULL;
}

static bool
truthy(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return json_string_length(v) > 0 && strcmp(json_string_value(v), "false") != 0 &&
		    strcmp(json_string_value(v), "0") != 0;
	return false;
}

static void
keep_json(struct jctx *c, struct cvb_item *it, const char *key, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		json_free_t fr;

		cvb_item_add_field(c->b, it, key, s, CVB_FF_JSON);
		/* jansson's own free: the string may come from the item's block */
		json_get_alloc_funcs(NULL, &fr);
		fr(s);
	}
}

static void
read_name(struct jctx *c, struct cvb_item *it, enum cvb_nvar nv, const char *key, json_t *v)
{
	struct cvb_name *n = cvb_name_new(c->b);
	const char *k;
	json_t *x;
	bool isnum;

	if (n == NULL)
		return;
	if (json_is_string(v)) {
		WARN(c, CVB_D_JSON_BAD_NAME, key, "a name in '%s' is a string, kept as a literal name", key);
		n->literal = scalar_text(c, v, &isnum);
		cvb_item_add_name(it, nv, n);
		return;
	}
	if (!json_is_object(v)) {
		WARN(c, CVB_D_JSON_BAD_NAME, key, "a name in '%s' is %s, skipped", key, jtype_name(v));
		return;
	}
	json_object_foreach(v, k, x) {
		const char **slot = NULL;

		if (strcmp(k, "family") == 0) slot = &n->family;
		else if (strcmp(k, "given") == 0) slot = &n->given;
		else if (strcmp(k, "dropping-particle") == 0) slot = &n->dropping_particle;
		else if (strcmp(k, "non-dropping-particle") == 0) slot = &n->non_dropping_particle;
		else if (strcmp(k, "suffix") == 0) slot = &n->suffix;
		else if (strcmp(k, "literal") == 0) slot = &n->literal;
		else if (strcmp(k, "comma-suffix") == 0) {
			if (truthy(x)) n->flags |= CVB_NF_COMMA_SUFFIX;
			continue;
		} else if (strcmp(k, "static-ordering") == 0) {
			if (truthy(x)) n->flags |= CVB_NF_STATIC_ORDER;
			continue;
		} else if (strcmp(k, "parse-names") == 0) {
			n->flags |= truthy(x) ? CVB_NF_PARSE_NAMES : CVB_NF_NO_PARSE;
			continue;
		} else if (strcmp(k, "isInstitution") == 0) {
			if (truthy(x)) n->flags |= CVB_NF_INSTITUTION;
			continue;
		} else {
			WARN(c, CVB_D_JSON_BAD_NAME, key, "unknown name part '%s' in '%s', skipped", k, key);
			continue;
		}
		*slot = scalar_text(c, x, &isnum);
		if (*slot == NULL)
			WARN(c, CVB_D_JSON_BAD_TYPE, key, "'%s' of a name in '%s' is %s, skipped",
			    k, key, jtype_name(x));
	}
	if (n->family == NULL && n->given == NULL && n->literal == NULL &&
	    n->dropping_particle == NULL && n->non_dropping_particle == NULL && n->suffix == NULL)
		return;	/* nothing usable; the warnings above said why */
	/* "and others", as the BibTeX reader keeps it and this writer writes it */
	if (n->literal != NULL && strcmp(n->literal, "others") == 0 && n->family == NULL &&
	    n->given == NULL)
		n->flags |= CVB_NF_OTHERS;
	/* Zotero writes organisations as {"family": "...", "given": "",
	 * "isInstitution": true}: an empty given name is no given name */
	if ((n->flags & CVB_NF_INSTITUTION) && n->given != NULL && *n->given == '\0')
		n->given = NULL;
	cvb_item_add_name(it, nv, n);
}

static int
date_part(json_t *v, int *out, bool *isstr)
{
	*isstr = false;
	/* a date part beyond a million is no date (and converting one beyond
	 * what an int holds would be undefined behaviour): -2 */
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x < -1000000 || x > 1000000)
			return -2;
		*out = (int)x;
		return 0;
	}
	if (json_is_string(v)) {
		char *end;
		long x = strtol(json_string_value(v), &end, 10);

		if (*json_string_value(v) == '\0')
			return 1;	/* "" : absent */
		if (*end != '\0')
			return -1;
		if (x < -1000000 || x > 1000000)
			return -2;
		*out = (int)x;
		*isstr = true;
		return 0;
	}
	if (json_is_real(v)) {
		double x = json_real_value(v);

		if (!(x >= -1000000 && x <= 1000000))	/* NaN too */
			return -2;
		*out = (int)x;
		return 0;
	}
	return -1;
}

static void
read_date(struct jctx *c, struct cvb_item *it, enum cvb_dvar dv, const char *key, json_t *v)
{
	struct cvb_date *d;
	const char *k;
	json_t *x;
	bool isnum;
	size_t nwarn;

	if (json_is_string(v)) {
		d = cvb_date_parse_edtf(c->b, json_string_value(v));
		if (d == NULL) {
			d = cvb_date_new(c->b);
			if (d == NULL)
				return;
			d->raw = scalar_text(c, v, &isnum);
		}
		it->date[dv] = d;
		return;
	}
	if ((c->flags & CVB_JR_YAML) && json_is_integer(v)) {
		/* YAML "issued: 2020": a year */
		int y;
		bool isstr;

		if (date_part(v, &y, &isstr) != 0) {
			WARN(c, CVB_D_JSON_BAD_DATE, key, "the year of '%s' is out of range", key);
			return;
		}
		d = cvb_date_new(c->b);
		if (d == NULL)
			return;
		d->parts[0][0] = y;
		d->nparts[0] = 1;
		it->date[dv] = d;
		return;
	}
	if ((c->flags & CVB_JR_YAML) && json_is_array(v) && json_array_size(v) > 0 &&
	    json_array_size(v) <= 2 && json_is_object(json_array_get(v, 0))) {
		/* pandoc-citeproc's YAML form: a list of {year, month, day} */
		static const char *const pn[3] = { "year", "month", "day" };
		size_t r;
		int i;

		d = cvb_date_new(c->b);
		if (d == NULL)
			return;
		for (r = 0; r < json_array_size(v); r++) {
			json_t *o = json_array_get(v, r);

			for (i = 0; i < 3 && json_is_object(o); i++) {
				json_t *p = json_object_get(o, pn[i]);
				bool isstr;

				if (p == NULL || date_part(p, &d->parts[r][i], &isstr) != 0)
					break;
				d->nparts[r] = i + 1;
			}
		}
		if (d->nparts[0] == 0) {
			WARN(c, CVB_D_JSON_BAD_DATE, key, "'%s' has no year", key);
			return;
		}
		d->range = d->nparts[1] > 0;
		it->date[dv] = d;
		return;
	}
	if (!json_is_object(v)) {
		WARN(c, CVB_D_JSON_BAD_DATE, key, "'%s' is %s, expected an object", key, jtype_name(v));
		return;
	}
	d = cvb_date_new(c->b);
	if (d == NULL)
		return;
	nwarn = c->d ? c->d->n : 0;
	json_object_foreach(v, k, x) {
		if (strcmp(k, "date-parts") == 0) {
			size_t r, i;

			if (!json_is_array(x)) {
				WARN(c, CVB_D_JSON_BAD_DATE, key, "'date-parts' of '%s' is not an array", key);
				continue;
			}
			for (r = 0; r < json_array_size(x) && r < 2; r++) {
				json_t *row = json_array_get(x, r);

				if (!json_is_array(row)) {
					WARN(c, CVB_D_JSON_BAD_DATE, key,
					    "'date-parts' of '%s' must hold arrays", key);
					break;
				}
				for (i = 0; i < json_array_size(row) && i < 3; i++) {
					bool isstr;
					int rc = date_part(json_array_get(row, i), &d->parts[r][i], &isstr);

					if (rc < 0) {
						WARN(c, CVB_D_JSON_BAD_DATE, key, rc == -2 ?
						    "a date part of '%s' is out of range" :
						    "a date part of '%s' is not a number", key);
						break;
					}
					if (rc > 0)
						break;
					if (isstr)
						d->strparts |= 1u << (r * 3 + i);
					d->nparts[r] = (int)i + 1;
				}
			}
			if (json_array_size(x) > 1 && d->nparts[1] > 0)
				d->range = true;
			if (json_array_size(x) > 2)
				WARN(c, CVB_D_JSON_BAD_DATE, key, "'date-parts' of '%s' has more than two dates", key);
		} else if (strcmp(k, "season") == 0) {
			if (json_is_integer(x) && json_integer_value(x) >= 1 && json_integer_value(x) <= 4)
				d->season = (int)json_integer_value(x);
			else if (json_is_string(x) && strlen(json_string_value(x)) == 1 &&
			    json_string_value(x)[0] >= '1' && json_string_value(x)[0] <= '4') {
				d->season = json_string_value(x)[0] - '0';
				d->strparts |= 1u << 6;
			} else
				d->season_str = scalar_text(c, x, &isnum);
		} else if (strcmp(k, "circa") == 0) {
			d->circa = truthy(x);
		} else if (strcmp(k, "literal") == 0) {
			d->literal = scalar_text(c, x, &isnum);
		} else if (strcmp(k, "raw") == 0) {
			d->raw = scalar_text(c, x, &isnum);
		} else {
			WARN(c, CVB_D_JSON_BAD_DATE, key, "unknown date key '%s' in '%s', skipped", k, key);
		}
	}
	if (d->nparts[0] == 0 && d->literal == NULL && d->raw == NULL && d->season == 0 &&
	    d->season_str == NULL && c->d != NULL && c->d->n > nwarn) {
		/* nothing usable and something was wrong: keep what was written */
		keep_json(c, it, key, v);
		return;
	}
	/* a date given only as raw is parsed when it is EDTF */
	if (d->nparts[0] == 0 && d->literal == NULL && d->raw != NULL) {
		struct cvb_date *p = cvb_date_parse_edtf(c->b, d->raw);

		if (p != NULL) {
			p->raw = d->raw;
			d = p;
		}
	}
	it->date[dv] = d;
}

/*
 * A number "arXiv:ID" beside custom.arxiv ID on an item that is no preprint:
 * the printed arXiv id as write_csljson.c writes it (CVB_IF_ARXIV_NUMBER),
 * read back as the eprint, not as a journal article's number.
 */
static void
arxiv_number_back(struct cvb_item *it)
{
	struct cvb_buf id = CVB_BUF_INIT;
	const char *n = it->str[CVB_V_NUMBER], *a;

	if (it->type == CVB_T_ARTICLE || n == NULL || strncmp(n, "arXiv:", 6) != 0)
		return;
	a = cvb_item_extra_text(it, "arxiv", &id);
	if (a != NULL && strcmp(n + 6, a) == 0) {
		it->str[CVB_V_NUMBER] = NULL;
		it->flags |= CVB_IF_ARXIV_NUMBER;
	}
	cvbib_buf_release(&id);
}

/* A note that only repeats custom.pubstate, custom.award and custom.addendum:
 * the remarks as write_csljson.c writes them for readers of CSL-JSON, not a
 * note of the entry's own. */
static void
remark_note_back(struct cvb_item *it)
{
	struct cvb_buf a = CVB_BUF_INIT;
	const char *note = it->str[CVB_V_NOTE], *r;

	if (note == NULL)
		return;
	it->str[CVB_V_NOTE] = NULL;
	r = cvb_item_remark_note(it, &a);
	if (r == NULL || strcmp(r, note) != 0)
		it->str[CVB_V_NOTE] = note;
	cvbib_buf_release(&a);
}

static struct cvb_item *
read_item(struct jctx *c, json_t *obj)
{
	struct cvb_item *it;
	unsigned line, col;
	const char *key;
	json_t *v;
	bool isnum;

	c->item = obj;
	c->pos->pos(c->pos->ctx, c->idx, obj, NULL, &line, &col);
	if (!json_is_object(obj)) {
		cvb_diag(c->d, CVB_D_JSON_NOT_ITEM, c->file, line, col, "(it is %s)", jtype_name(obj));
		return NULL;
	}
	it = cvb_item_new(c->b, c->file, line, col);
	if (it == NULL)
		return NULL;
	json_object_foreach(obj, key, v) {
		struct cvb_varref ref;

		if (strcmp(key, "id") == 0) {
			it->id = scalar_text(c, v, &isnum);
			if (isnum)
				it->flags |= CVB_IF_ID_NUMBER;
			if (it->id == NULL)
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'id' is %s, expected a string", jtype_name(v));
			continue;
		}
		if (strcmp(key, "type") == 0) {
			if (!json_is_string(v)) {
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'type' is %s, expected a string", jtype_name(v));
				continue;
			}
			it->type = cvb_type_lookup(json_string_value(v));
			if (it->type == CVB_T_NONE) {
				it->type_raw = scalar_text(c, v, &isnum);
				WARN(c, CVB_D_JSON_UNK_TYPE, key, "'%s'", json_string_value(v));
			}
			continue;
		}
		/* (the keys below all start with a c) */
		if (key[0] != 'c')
			goto var;
		if (strcmp(key, "citation-key") == 0) {
			it->key = scalar_text(c, v, &isnum);
			if (it->key == NULL)
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'citation-key' is %s", jtype_name(v));
			continue;
		}
		if (strcmp(key, "categories") == 0 && json_is_array(v)) {
			size_t i, n = json_array_size(v), k = 0;
			const char **cats = cvb_arena_alloc(&c->b->arena, (n + 1) * sizeof(*cats));

			if (cats == NULL)
				continue;
			for (i = 0; i < n; i++) {
				const char *s = scalar_text(c, json_array_get(v, i), &isnum);

				if (s != NULL)
					cats[k++] = s;
				else
					WARN(c, CVB_D_JSON_BAD_TYPE, key, "a category is %s, skipped",
					    jtype_name(json_array_get(v, i)));
			}
			it->categories = cats;
			continue;
		}
		if (strcmp(key, "custom") == 0 && json_is_object(v)) {
			const char *ck;
			json_t *cv;

			json_object_foreach(v, ck, cv)
				keep_json(c, it, ck, cv);
			continue;
		}
var:
		ref = cvb_var_lookup(key);
		switch (ref.kind) {
		case CVB_VK_STR:
		case CVB_VK_NUM: {
			const char *s = scalar_text(c, v, &isnum);

			if (s == NULL) {
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'%s' is %s, expected a %s; kept as an extra field",
				    key, jtype_name(v), ref.kind == CVB_VK_NUM ? "number or string" : "string");
				keep_json(c, it, key, v);
				break;
			}
			if (isnum && ref.kind == CVB_VK_STR && !(c->flags & CVB_JR_YAML))
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'%s' is a number, expected a string; kept as text", key);
			it->str[ref.idx] = s;
			if (isnum && ref.kind == CVB_VK_NUM)
				it->numeric[ref.idx / 64] |= (uint64_t)1 << (ref.idx % 64);
			break;
		}
		case CVB_VK_NAME:
			if (json_is_array(v)) {
				size_t i;

				for (i = 0; i < json_array_size(v); i++)
					read_name(c, it, (enum cvb_nvar)ref.idx, key, json_array_get(v, i));
			} else if (json_is_object(v) || json_is_string(v)) {
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'%s' is %s, expected an array of names",
				    key, jtype_name(v));
				read_name(c, it, (enum cvb_nvar)ref.idx, key, v);
			} else {
				WARN(c, CVB_D_JSON_BAD_TYPE, key, "'%s' is %s, expected an array of names; kept as an extra field",
				    key, jtype_name(v));
				keep_json(c, it, key, v);
			}
			break;
		case CVB_VK_DATE:
			read_date(c, it, (enum cvb_dvar)ref.idx, key, v);
			break;
		default:
			WARN(c, CVB_D_JSON_UNK_VAR, key, "'%s'", key);
			keep_json(c, it, key, v);
			break;
		}
	}
	arxiv_number_back(it);
	remark_note_back(it);
	if (it->id == NULL) {
		it->id = it->key ? it->key : cvb_arena_printf(&c->b->arena, "item-%zu", it->seq + 1);
		cvb_diag(c->d, CVB_D_JSON_NO_ID, c->file, line, col, "'%s'", it->id);
	}
	return it;
}

struct cvb_item *
cvb_csljson_read_item(cvbib_biblio *b, json_t *obj, size_t idx, const char *file,
    const struct cvb_jpos *pos, unsigned flags, struct cvbib_diags *d)
{
	struct jctx c;

	c.b = b;
	c.d = d;
	c.file = file;
	c.pos = pos;
	c.item = obj;
	c.idx = idx;
	c.flags = flags;
	return read_item(&c, obj);
}

static int
json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * jansson mallocs every value, key and string of an item and frees them all
 * again once the item is read: most of its time after parsing.  While a
 * thread reads items one by one, its items' JSON is carved from one block
 * (itemjs) that the next item reuses.  The functions stand in for
 * jansson's allocator for every thread but do what the allocator they
 * replaced does for memory not from the block, so other threads' use of
 * jansson is not affected.  Installed once and left in place.
 */
#define ITEMJS_SIZE	(128 * 1024)
static _Thread_local struct {
	char	*base;
	size_t	 used;
	bool	 on;
	bool	 spilled;	/* something did not fit: from the old allocator */
} itemjs;
static json_malloc_t itemjs_prev_malloc;
static json_free_t itemjs_prev_free;

static void *
itemjs_malloc(size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;

	if (itemjs.on && need >= n && need <= ITEMJS_SIZE - itemjs.used) {
		void *p = itemjs.base + itemjs.used;

		itemjs.used += need;
		return p;
	}
	if (itemjs.on)
		itemjs.spilled = true;
	return itemjs_prev_malloc(n);
}

static void
itemjs_free(void *p)
{
	if (p != NULL && itemjs.base != NULL && (char *)p >= itemjs.base &&
	    (char *)p < itemjs.base + ITEMJS_SIZE)
		return;	/* the block is reused as a whole */
	itemjs_prev_free(p);
}

/* Start carving (on = true) or stop and drop the block. */
static void
itemjs_use(bool on)
{
	if (on) {
		json_malloc_t m;
		json_free_t f;

		json_get_alloc_funcs(&m, &f);
		if (m != itemjs_malloc) {
			itemjs_prev_malloc = m;
			itemjs_prev_free = f;
			json_set_alloc_funcs(itemjs_malloc, itemjs_free);
		}
		if (itemjs.base == NULL)
			itemjs.base = malloc(ITEMJS_SIZE);
		itemjs.used = 0;
		itemjs.on = itemjs.base != NULL;
		return;
	}
	itemjs.on = false;
	free(itemjs.base);
	itemjs.base = NULL;
}

/* ---- a top-level array, item by item, with recovery ----------------------- */

/*
 * Where the value that starts at data[i] ends as far as brackets tell: the
 * ',' or ']' after it at its own level (or len).  Strings are skipped; a
 * string that runs to the end of its line is taken to end there (an
 * unclosed quote must not turn the rest of the file inside out).  Stops at
 * limit.
 */
static size_t
value_end(const char *s, size_t limit, size_t i)
{
	long depth = 0;

	for (; i < limit; i++) {
		char c = s[i];

		if (c == '"') {
			for (i++; i < limit && s[i] != '"' && s[i] != '\n'; i++)
				if (s[i] == '\\' && i + 1 < limit && s[i + 1] != '\n')
					i++;
			if (i == limit)
				break;
		} else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (depth == 0)
				return i;
			depth--;
		} else if (c == ',' && depth == 0)
			return i;
	}
	return limit;
}

/* Offset of the start of the line after the one holding off (or len). */
static size_t
next_line(const char *s, size_t len, size_t off)
{
	const char *nl = off < len ? memchr(s + off, '\n', len - off) : NULL;

	return nl ? (size_t)(nl - s) + 1 : len;
}

/*
 * Where reading goes on after the element that starts at start failed to
 * parse at errpos: the ',' or ']' that ends it when its brackets balance,
 * or, when an item begins on a later line at most as far in as this one
 * did (the usual layout: one item after another at one indentation), that
 * item's '{', whichever comes first.  len when neither is found.
 */
static size_t
resync(const char *s, size_t len, size_t start, size_t errpos)
{
	size_t ls = start, col, off, end;

	while (ls > 0 && s[ls - 1] != '\n')
		ls--;
	col = start - ls;
	/* a later line whose first character is a '{' no further in (the
	 * line of the error itself when that '{' is where it was found) */
	off = errpos > start + 1 ? errpos - 1 : start + 1;
	while (off > start + 1 && s[off - 1] != '\n')
		off--;
	for (; off < len; off = next_line(s, len, off)) {
		size_t k = off;

		while (k < len && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < len && s[k] == '{' && k - off <= col && k > start)
			break;
	}
	if (off < len)
		while (s[off] != '{')
			off++;
	end = value_end(s, off, start);
	if (end < off && end >= errpos)
		return end;
	return off;
}

struct jstream {
	const char		*data;
	size_t			 len;
	const char		*file;
	const struct cvb_srcmap	*map;
	struct cvbib_diags	*d;
	cvb_json_elem_fn	*fn;	/* each element parsed */
	void			*ctx;
	bool			 nested; /* the array is a value inside a document */
	const char		*noun;	/* what an element is called: "item" */
	size_t			 end;	/* after the ']' (nested) */
	/* after a syntax error, the errors that follow until an item reads
	 * again are counted, not reported one by one (a stray '}' can turn
	 * every line after it into an error) */
	bool			 run;
	size_t			 nquiet, quiet_first, quiet_last;
};

static void
jsyntax(struct jstream *js, size_t off, const char *fmt, ...) CVB_PRINTF(3, 4);

/* A syntax error at byte off. */
static void
jsyntax(struct jstream *js, size_t off, const char *fmt, ...)
{
	char msg[512];
	unsigned line = 0, col = 0;
	va_list ap;

	if (js->run) {
		if (js->nquiet++ == 0)
			js->quiet_first = off;
		js->quiet_last = off;
		return;
	}
	js->run = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cvb_srcmap_pos(js->map, off < js->len ? off : js->len, &line, &col);
	cvb_diag(js->d, CVB_D_JSON_SYNTAX, js->file, line, col, "%s", msg);
}

static unsigned line_of(struct jstream *js, size_t off);

/* An item read: the errors counted since the last one reported, in one line. */
static void
quiet_flush(struct jstream *js)
{
	unsigned line = 0, col = 0;

	if (js->nquiet > 0) {
		cvb_srcmap_pos(js->map, js->quiet_first < js->len ? js->quiet_first : js->len,
		    &line, &col);
		cvb_diag(js->d, CVB_D_JSON_SYNTAX, js->file, line, col, "%zu more error%s up to "
		    "line %u, in text that does not read as items (skipped)", js->nquiet,
		    js->nquiet == 1 ? "" : "s", line_of(js, js->quiet_last < js->len ?
		    js->quiet_last : js->len));
	}
	js->run = false;
	js->nquiet = 0;
}

static unsigned
line_of(struct jstream *js, size_t off)
{
	unsigned line = 0, col = 0;

	cvb_srcmap_pos(js->map, off, &line, &col);
	return line;
}

static unsigned
col_of(struct jstream *js, size_t off)
{
	unsigned line = 0, col = 0;

	cvb_srcmap_pos(js->map, off, &line, &col);
	return col;
}

/*
 * The element at data[i]: parsed into *obj with *used its length, or NULL
 * with *errpos where parsing failed (an offset into data).
 */
static json_t *
parse_element(struct jstream *js, size_t i, size_t *used, size_t *errpos,
    json_error_t *err)
{
	const char *data = js->data;
	size_t len = js->len;
	json_t *obj;

	itemjs.used = 0;	/* the last item's JSON is all freed */
	itemjs.spilled = false;
	if (data[i] != '{') {
		/* not an object (read_item says so): parse just that value */
		size_t end = value_end(data, len, i);

		while (end > i && json_ws(data[end - 1]))
			end--;
		obj = json_loadb(data + i, end - i, JSON_DECODE_ANY | JSON_ALLOW_NUL, err);
		*used = end - i;
		*errpos = i + (err->position > 1 ? (size_t)err->position - 1 : 0);
		return obj;
	}
	/* the short cut first, jansson when it gives up */
	if ((obj = cvb_json_fast_object(data + i, len - i, used)) != NULL)
		return obj;
	itemjs.used = 0;
	itemjs.spilled = false;
	obj = json_loadb(data + i, len - i, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, err);
	/* jansson's position is just past the character it stopped at */
	*errpos = i + (err->position > 1 ? (size_t)err->position - 1 : 0);
	if (*errpos > len)
		*errpos = len;
	if (obj == NULL)
		return NULL;
	if (err->position <= 0 || (size_t)err->position > len - i ||
	    data[i + (size_t)err->position - 1] != '}') {
		json_decref(obj);
		snprintf(err->text, sizeof(err->text), "the item does not end with '}'");
		return NULL;
	}
	*used = (size_t)err->position;
	return obj;
}

static void
skip_ws(struct jstream *js, size_t *i)
{
	while (*i < js->len && json_ws(js->data[*i]))
		(*i)++;
}

/*
 * The elements of the array that starts at data[i], each parsed and read by
 * itself.  An element that does not parse is reported with where reading
 * goes on, and reading goes on after it (issue 20: one syntax error lost
 * every item); so do a missing or extra ',' and a missing ']'.
 */
static void
read_streamed_items(struct jstream *js, size_t i)
{
	const char *data = js->data;
	size_t len = js->len, idx = 0;
	bool resynced = false;

	i++;
	skip_ws(js, &i);
	if (i < len && data[i] == ']')
		goto end;
	for (;;) {
		json_error_t err;
		json_t *obj;
		size_t used = 0, errpos = i, next, goes_on;

		if (i == len) {
			jsyntax(js, len, "the file ends before the list of items is closed "
			    "(']' expected)");
			return;
		}
		obj = parse_element(js, i, &used, &errpos, &err);
		if (obj != NULL) {
			quiet_flush(js);
			js->fn(js->ctx, obj, idx++, i, i + used);
			/* all of it in the block: nothing to free one by one */
			if (!itemjs.on || itemjs.spilled)
				json_decref(obj);
			i += used;
		} else {
			next = resync(data, len, i, errpos);
			goes_on = next;
			if (next < len && data[next] == ',') {
				goes_on++;
				skip_ws(js, &goes_on);
			}
			if (next == len)
				jsyntax(js, errpos, "%s; %s %zu (line %u) skipped, and the rest "
				    "of the file with it", err.text, js->noun, idx + 1, line_of(js, i));
			else if (goes_on < len && data[goes_on] != ']')
				jsyntax(js, errpos, "%s; %s %zu (line %u) skipped, reading "
				    "goes on at %u:%u", err.text, js->noun, idx + 1, line_of(js, i),
				    line_of(js, goes_on), col_of(js, goes_on));
			else
				jsyntax(js, errpos, "%s; %s %zu (line %u) skipped", err.text, js->noun,
				    idx + 1, line_of(js, i));
			idx++;
			if (next == len)
				return;
			i = next;
			resynced = data[i] == '{';
		}
		skip_ws(js, &i);
		if (i == len) {
			jsyntax(js, len, "the file ends before the list of items is closed "
			    "(']' expected)");
			return;
		}
		if (data[i] == ']')
			break;
		if (data[i] == ',') {
			i++;
			skip_ws(js, &i);
			if (i < len && data[i] == ']') {
				jsyntax(js, i, "a ',' after the last item");
				js->run = false;	/* nothing was skipped */
				break;
			}
		} else if (data[i] == '{' && resynced) {
			;
		} else if (data[i] == '{') {
			jsyntax(js, i, "',' expected between two items");
			js->run = false;
		} else {
			/* stray text: skipped to the next ',', '{' or ']' outside a
			 * string (always forward: a stray '}' is passed over) */
			next = i + 1;
			while (next < len && data[next] != ',' && data[next] != '{' &&
			    data[next] != ']') {
				if (data[next] == '"')
					while (++next < len && data[next] != '"' && data[next] != '\n')
						if (data[next] == '\\' && next + 1 < len)
							next++;
				if (next < len)
					next++;
			}
			jsyntax(js, i, "',' or ']' expected after %s %zu%s", js->noun, idx,
			    next >= len ? "; the rest of the file skipped" : "");
			if (next >= len)
				return;
			i = next;
			if (data[i] == ',') {
				i++;
				skip_ws(js, &i);
			} else if (data[i] == ']')
				break;
		}
		resynced = false;
	}
end:
	i++;
	js->end = i;
	if (js->nested)
		return;
	skip_ws(js, &i);
	if (i < len)
		jsyntax(js, i, "text after the end of the list of items, not read");
}

/*
 * A top-level array is parsed one element at a time, so that only one
 * item's JSON tree is in memory (a whole tree takes about ten times the
 * file's size) and a broken item costs only itself.  Returns 1 when the
 * document is an array (read), 0 when it is not (the caller reads it whole).
 */
struct csl_stream {
	cvbib_biblio		*b;
	size_t			 skip;	/* b->src + skip is the text read (keep_unchanged) */
	const char		*file;
	const struct cvb_jpos	*pos;
	struct posindex		*px;
	struct cvbib_diags	*d;
};

static void
csl_stream_item(void *ctx, json_t *obj, size_t idx, size_t off, size_t end)
{
	struct csl_stream *cs = ctx;
	struct cvb_item *it;

	cs->px->cur_set = true;
	cs->px->cur_idx = idx;
	cs->px->cur_off = off;
	cs->px->cur_end = end;
	it = cvb_csljson_read_item(cs->b, obj, idx, cs->file, cs->pos, 0, cs->d);
	if (cs->b->src != NULL) {
		/* an in-place rewrite copies the items that did not change */
		cs->b->src_items++;
		if (it != NULL) {
			it->src_off = cs->skip + off;
			it->src_end = cs->skip + end;
		}
	}
}

static int
read_streamed(cvbib_biblio *b, const char *data, size_t len, size_t skip, const char *file,
    const struct cvb_jpos *pos, struct cvbib_diags *d)
{
	struct csl_stream cs = { b, skip, file, pos, pos->ctx, d };
	struct jstream js = { data, len, file, &cs.px->map, d, csl_stream_item, &cs,
		false, "item", 0, false, 0, 0, 0 };
	size_t i = 0;

	skip_ws(&js, &i);
	if (i == len || data[i] != '[')
		return 0;
	itemjs_use(true);
	read_streamed_items(&js, i);
	quiet_flush(&js);
	itemjs_use(false);
	return 1;
}

size_t
cvb_json_read_array(const char *data, size_t len, size_t start, const char *file,
    const char *noun, const struct cvb_srcmap *map, cvb_json_elem_fn *fn, void *ctx,
    struct cvbib_diags *d)
{
	struct jstream js = { data, len, file, map, d, fn, ctx, true, noun, len, false, 0, 0, 0 };

	read_streamed_items(&js, start);
	quiet_flush(&js);
	return js.end;
}

int
cvb_read_csljson(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	json_error_t err;
	json_t *root;
	struct posindex px;
	struct cvb_jpos pos;
	size_t i, skip = 0;
	bool keep = opts != NULL && opts->keep_unchanged;

	/* the input as it is, for a rewrite that keeps the items that did not
	 * change (one input, a list) */
	if (keep && (b->src != NULL || b->src_bad || b->n > 0 || len == 0))
		b->src_bad = true;
	else if (keep && (b->src = cvb_arena_alloc(&b->arena, len)) != NULL) {
		memcpy((char *)b->src, data, len);
		b->src_len = len;
	}
	/* a UTF-8 byte-order mark is allowed */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
		skip = 3;
	}
	if (posindex_init(&px, data, len) != 0) {
		posindex_release(&px);
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	pos.pos = posindex_pos;
	pos.ctx = &px;
	if (read_streamed(b, data, len, skip, file, &pos, d)) {
		if (px.nomem) b->arena.err = CVBIB_ENOMEM;
		posindex_release(&px);
		goto done;
	}
	px.cur_set = false;
	if (b->src != NULL && b->src_items == 0)
		b->src_bad = true;	/* not a list: written whole */
	root = json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (root == NULL) {
		posindex_release(&px);
		cvb_diag(d, CVB_D_JSON_SYNTAX, file, (unsigned)(err.line > 0 ? err.line : 0),
		    (unsigned)(err.column > 0 ? err.column : 0), "%s", err.text);
		return -CVBIB_EINPUT;
	}
	if (json_is_array(root)) {
		for (i = 0; i < json_array_size(root); i++)
			cvb_csljson_read_item(b, json_array_get(root, i), i, file, &pos, 0, d);
	} else if (json_is_object(root)) {
		cvb_csljson_read_item(b, root, 0, file, &pos, 0, d);
	} else {
		cvb_diag(d, CVB_D_JSON_TOP, file, 1, 1, NULL);
		posindex_release(&px);
		json_decref(root);
		return -CVBIB_EINPUT;
	}
	if (px.nomem) b->arena.err = CVBIB_ENOMEM;
	posindex_release(&px);
	json_decref(root);
done:
	if (b->arena.err) {
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	return 0;
}
