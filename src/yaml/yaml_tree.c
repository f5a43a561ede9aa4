/*
 * yaml_tree.c - YAML text to jansson values, with positions (libyaml).
 *
 * libyaml's event parser reads the text; this file builds one json_t per
 * document, so that YAML data goes through the same code as JSON data (the
 * CSL-JSON item reader in particular).  Scalars are resolved by the YAML 1.2
 * core schema, restricted so that no text is lost: a plain scalar becomes a
 * JSON number only when the number prints back as the same text ("007",
 * "1.10" and "1e3" stay strings), and YAML 1.1 words such as "yes" stay
 * strings.  Quoted scalars are always strings.
 *
 * Positions: every mapping key, sequence element and collection has its
 * line:column kept in a table (libyaml marks are 0-based; these are 1-based),
 * looked up by cvb_ytree_pos().
 *
 * Safety: nesting deeper than YTREE_MAX_DEPTH is refused (jansson frees
 * recursively), and aliases are expanded by sharing the anchored value, while
 * the number of nodes the expansion stands for is counted: past a budget of
 * YTREE_ALIAS_BASE plus YTREE_ALIAS_FACTOR per node actually written, the
 * document is refused, so an alias bomb costs neither memory nor time.
 * This file owns the trees it returns; it never prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <yaml.h>
#include "cvb_int.h"

#define YTREE_MAX_DEPTH		256
#define YTREE_ALIAS_BASE	100000
#define YTREE_ALIAS_FACTOR	10

struct ymark {
	const void	*parent;
	const char	*key;		/* NULL: element idx of a sequence, or the node */
	size_t		 idx;
	unsigned	 line, col;
	unsigned	 eline, ecol;	/* a sequence element: where its last
					 * scalar, alias or flow collection ends */
	size_t		 next;		/* hash chain, 0 = end (indices are 1-based) */
};

struct anchor {
	char		*name;
	json_t		*node;
	size_t		 size;
};

struct cvb_ytree {
	json_t		**docs;
	size_t		 ndocs;
	struct ymark	*marks;		/* marks[0] unused */
	size_t		 nmarks, amarks;
	size_t		*hash;
	size_t		 nhash;		/* power of two */
	struct cvb_arena arena;		/* key copies */
	const char	*data;
	size_t		 len;
};

/* ---- the position table --------------------------------------------------- */

static size_t
mark_hash(const void *parent, const char *key, size_t idx)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)parent;

	h *= 1099511628211ULL;
	if (key != NULL) {
		for (; *key; key++) {
			h ^= (unsigned char)*key;
			h *= 1099511628211ULL;
		}
	} else {
		h ^= idx;
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
}

static int
mark_rehash(struct cvb_ytree *t)
{
	size_t n = t->nhash ? t->nhash * 2 : 1024, i;
	size_t *h = calloc(n, sizeof(*h));

	if (h == NULL)
		return -1;
	free(t->hash);
	t->hash = h;
	t->nhash = n;
	for (i = 1; i < t->nmarks; i++) {
		struct ymark *m = &t->marks[i];
		size_t s = mark_hash(m->parent, m->key, m->idx) & (n - 1);

		m->next = h[s];
		h[s] = i;
	}
	return 0;
}

static int
mark_add(struct cvb_ytree *t, const void *parent, const char *key, size_t idx,
    yaml_mark_t ym)
{
	struct ymark *m;
	size_t s;

	if (t->nmarks == 0)
		t->nmarks = 1;
	if (t->nmarks >= t->amarks) {
		size_t na = t->amarks ? t->amarks * 2 : 256;
		struct ymark *v = realloc(t->marks, na * sizeof(*v));

		if (v == NULL)
			return -1;
		t->marks = v;
		t->amarks = na;
	}
	if (t->nmarks * 2 >= t->nhash && mark_rehash(t) != 0)
		return -1;
	m = &t->marks[t->nmarks];
	m->parent = parent;
	m->key = NULL;
	if (key != NULL && (m->key = cvb_arena_strdup(&t->arena, key)) == NULL)
		return -1;
	m->idx = idx;
	m->line = (unsigned)ym.line + 1;
	m->col = (unsigned)ym.column + 1;
	m->eline = m->ecol = 0;
	s = mark_hash(parent, key, idx) & (t->nhash - 1);
	m->next = t->hash[s];
	t->hash[s] = t->nmarks++;
	return 0;
}

static const struct ymark *
mark_find(const struct cvb_ytree *t, const void *parent, const char *key, size_t idx)
{
	size_t i;

	if (t == NULL || t->nhash == 0)
		return NULL;
	for (i = t->hash[mark_hash(parent, key, idx) & (t->nhash - 1)]; i != 0;
	    i = t->marks[i].next) {
		const struct ymark *m = &t->marks[i];

		if (m->parent != parent)
			continue;
		if (key != NULL ? (m->key != NULL && strcmp(m->key, key) == 0)
		    : (m->key == NULL && m->idx == idx))
			return m;
	}
	return NULL;
}

void
cvb_ytree_pos(const struct cvb_ytree *t, const json_t *parent, const char *key,
    size_t idx, unsigned *line, unsigned *col)
{
	const struct ymark *m = mark_find(t, parent, key, idx);

	if (m == NULL && key != NULL)	/* a key not found: the mapping itself */
		m = mark_find(t, parent, NULL, SIZE_MAX);
	*line = m ? m->line : 0;
	*col = m ? m->col : 0;
}

void
cvb_ytree_elem_end(const struct cvb_ytree *t, const json_t *seq, size_t idx,
    unsigned *line, unsigned *col)
{
	const struct ymark *m = mark_find(t, seq, NULL, idx);

	*line = m ? m->eline : 0;
	*col = m ? m->ecol : 0;
}

void
cvb_ytree_node_pos(const struct cvb_ytree *t, const json_t *node,
    unsigned *line, unsigned *col)
{
	cvb_ytree_pos(t, node, NULL, SIZE_MAX, line, col);
}

void
cvb_ytree_shift(struct cvb_ytree *t, unsigned lines, unsigned cols)
{
	size_t i;

	for (i = 1; i < t->nmarks; i++) {
		if (t->marks[i].line == 1)
			t->marks[i].col += cols;
		t->marks[i].line += lines;
	}
}

size_t
cvb_ytree_ndocs(const struct cvb_ytree *t)
{
	return t->ndocs;
}

json_t *
cvb_ytree_doc(const struct cvb_ytree *t, size_t i)
{
	return i < t->ndocs ? t->docs[i] : NULL;
}

void
cvb_ytree_free(struct cvb_ytree *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ndocs; i++)
		json_decref(t->docs[i]);
	free(t->docs);
	free(t->marks);
	free(t->hash);
	cvb_arena_release(&t->arena);
	free(t);
}

/* ---- scalars ------------------------------------------------------------- */

static bool
is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	    (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
	    memcmp(s, "NULL", 4) == 0));
}

static int
bool_word(const char *s, size_t n)
{
	if (n == 4 && (memcmp(s, "true", 4) == 0 || memcmp(s, "True", 4) == 0 ||
	    memcmp(s, "TRUE", 4) == 0))
		return 1;
	if (n == 5 && (memcmp(s, "false", 5) == 0 || memcmp(s, "False", 5) == 0 ||
	    memcmp(s, "FALSE", 5) == 0))
		return 0;
	return -1;
}

/* A number that prints back as exactly s, or NULL. */
static json_t *
number_of(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	bool isint = true;
	json_t *v;
	char *txt, *end;

	if (n == 0 || n > 40 || memchr(s, '\0', n) != NULL)
		return NULL;
	if (s[0] == '-')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' || s[i] == 'e' || s[i] == 'E' ||
		    ((s[i] == '-' || s[i] == '+') && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E')))
			isint = false;
		else
			return NULL;
	}
	if (digits == 0)
		return NULL;
	if (isint) {
		long long x;

		errno = 0;
		x = strtoll(s, &end, 10);
		if (errno != 0 || end != s + n)
			return NULL;
		v = json_integer(x);
	} else {
		double x = strtod(s, &end);

		if (end != s + n)
			return NULL;
		v = json_real(x);
	}
	if (v == NULL)
		return NULL;
	txt = json_dumps(v, JSON_ENCODE_ANY);
	if (txt == NULL || strlen(txt) != n || memcmp(txt, s, n) != 0) {
		free(txt);
		json_decref(v);
		return NULL;
	}
	free(txt);
	return v;
}

static json_t *
scalar_value(const yaml_event_t *e)
{
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	const char *tag = (const char *)e->data.scalar.tag;
	json_t *v;
	int bw;

	if (tag != NULL && strcmp(tag, "!") != 0) {
		if (strcmp(tag, YAML_STR_TAG) == 0)
			return json_stringn_nocheck(s, n);
		if (strcmp(tag, YAML_NULL_TAG) == 0)
			return json_null();
		if (strcmp(tag, YAML_BOOL_TAG) == 0 && (bw = bool_word(s, n)) >= 0)
			return json_boolean(bw);
		if ((strcmp(tag, YAML_INT_TAG) == 0 || strcmp(tag, YAML_FLOAT_TAG) == 0) &&
		    (v = number_of(s, n)) != NULL)
			return v;
		return json_stringn_nocheck(s, n);
	}
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || tag != NULL)
		return json_stringn_nocheck(s, n);
	if (is_null_word(s, n))
		return json_null();
	if ((bw = bool_word(s, n)) >= 0)
		return json_boolean(bw);
	if ((v = number_of(s, n)) != NULL)
		return v;
	return json_stringn_nocheck(s, n);
}

/* ---- the builder --------------------------------------------------------- */

struct frame {
	json_t		*node;
	json_t		*merge;		/* mappings merged in with "<<" */
	yaml_mark_t	 mergemark;	/* where the (first) "<<" is */
	char		*key;		/* a mapping's pending key, or NULL */
	yaml_mark_t	 keymark;
	char		*anchor;
	size_t		 size;		/* nodes below, aliases expanded */
	yaml_mark_t	 start;
	bool		 flow;		/* [ ] or { } */
};

struct builder {
	struct cvb_ytree *t;
	struct cvbib_diags *d;
	const char	*file;
	struct frame	 stack[YTREE_MAX_DEPTH];
	int		 depth;
	json_t		*root;
	struct anchor	*anchors;
	size_t		 nanchors, aanchors;
	json_t		*anchor_idx;	/* name -> index in anchors */
	size_t		 direct;	/* nodes written out */
	size_t		 expanded;	/* nodes that aliases stood for */
	int		 failed;
	struct cvb_srcmap map;		/* line starts, after a syntax error */
	bool		 have_map;
	yaml_mark_t	 last_end;	/* end of the last scalar, alias or flow
					 * collection: where an element ends */
};

static void
bdiag(struct builder *bd, enum cvb_dcode code, yaml_mark_t m, const char *fmt, ...)
    CVB_PRINTF(4, 5);

static void
bdiag(struct builder *bd, enum cvb_dcode code, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cvb_vdiag(bd->d, code, bd->file, (unsigned)m.line + 1, (unsigned)m.column + 1, fmt, ap);
	va_end(ap);
}

static void
anchors_release(struct builder *bd)
{
	size_t i;

	for (i = 0; i < bd->nanchors; i++) {
		free(bd->anchors[i].name);
		json_decref(bd->anchors[i].node);
	}
	free(bd->anchors);
	bd->anchors = NULL;
	bd->nanchors = bd->aanchors = 0;
	json_decref(bd->anchor_idx);
	bd->anchor_idx = NULL;
}

static void
frames_release(struct builder *bd)
{
	while (bd->depth > 0) {
		struct frame *f = &bd->stack[--bd->depth];

		json_decref(f->node);
		json_decref(f->merge);
		free(f->key);
		free(f->anchor);
	}
	json_decref(bd->root);
	bd->root = NULL;
}

static int
anchor_set(struct builder *bd, const char *name, json_t *node, size_t size)
{
	json_t *ix;

	if (bd->anchor_idx == NULL && (bd->anchor_idx = json_object()) == NULL)
		return -1;
	ix = json_object_get(bd->anchor_idx, name);
	if (ix != NULL) {		/* redefined: the later one counts */
		struct anchor *a = &bd->anchors[json_integer_value(ix)];

		json_decref(a->node);
		a->node = json_incref(node);
		a->size = size;
		return 0;
	}
	if (bd->nanchors == bd->aanchors) {
		size_t na = bd->aanchors ? bd->aanchors * 2 : 16;
		struct anchor *v = realloc(bd->anchors, na * sizeof(*v));

		if (v == NULL)
			return -1;
		bd->anchors = v;
		bd->aanchors = na;
	}
	bd->anchors[bd->nanchors].name = strdup(name);
	if (bd->anchors[bd->nanchors].name == NULL)
		return -1;
	bd->anchors[bd->nanchors].node = json_incref(node);
	bd->anchors[bd->nanchors].size = size;
	if (json_object_set_new(bd->anchor_idx, name, json_integer((json_int_t)bd->nanchors)) != 0) {
		free(bd->anchors[bd->nanchors].name);
		json_decref(node);
		return -1;
	}
	bd->nanchors++;
	return 0;
}

static size_t
node_size_limit(const struct builder *bd)
{
	return YTREE_ALIAS_BASE + YTREE_ALIAS_FACTOR * bd->direct;
}

/* Merge the mappings of a "<<" value into f->merge (applied at the end). */
static int
merge_into(struct builder *bd, struct frame *f, json_t *v, yaml_mark_t m)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			if (merge_into(bd, f, json_array_get(v, i), m) != 0)
				return -1;
		return 0;
	}
	if (!json_is_object(v)) {
		bdiag(bd, CVB_D_YAML_SYNTAX, m, "the value of a merge key '<<' must be a mapping");
		return -1;
	}
	if (f->merge == NULL) {
		if ((f->merge = json_object()) == NULL)
			return -1;
		f->mergemark = m;
	}
	json_object_foreach(v, k, x)
		if (json_object_get(f->merge, k) == NULL && json_object_set(f->merge, k, x) != 0)
			return -1;
	return 0;
}

/* Is the innermost collection a mapping waiting for a key? */
static bool
wants_key(const struct builder *bd)
{
	return bd->depth > 0 && json_is_object(bd->stack[bd->depth - 1].node) &&
	    bd->stack[bd->depth - 1].key == NULL;
}

static int
set_key(struct builder *bd, const char *s, size_t n, yaml_mark_t m)
{
	struct frame *f = &bd->stack[bd->depth - 1];

	f->key = strndup(s, n);
	f->keymark = m;
	return f->key == NULL ? -1 : 0;
}

/* Hand a finished value (a new reference) to the collection being built. */
static int
add_value(struct builder *bd, json_t *v, size_t size, yaml_mark_t m)
{
	struct frame *f;
	int rc = 0;

	if (v == NULL)
		return -1;
	if (bd->depth == 0) {
		json_decref(bd->root);
		bd->root = v;
		return 0;
	}
	f = &bd->stack[bd->depth - 1];
	f->size += size;
	if (json_is_array(f->node)) {
		if (mark_add(bd->t, f->node, NULL, json_array_size(f->node), m) != 0) {
			json_decref(v);
			return -1;
		}
		bd->t->marks[bd->t->nmarks - 1].eline = (unsigned)bd->last_end.line + 1;
		bd->t->marks[bd->t->nmarks - 1].ecol = (unsigned)bd->last_end.column + 1;
		return json_array_append_new(f->node, v) != 0 ? -1 : 0;
	}
	if (f->key == NULL) {
		/* cannot happen: keys are taken by set_key() or refused */
		json_decref(v);
		return -1;
	}
	if (strcmp(f->key, "<<") == 0) {
		rc = merge_into(bd, f, v, f->keymark) == 0 ? 0 : -2;
		json_decref(v);
	} else {
		if (json_object_get(f->node, f->key) != NULL)
			bdiag(bd, CVB_D_YAML_DUP_KEY, f->keymark, "'%s'", f->key);
		if (mark_add(bd->t, f->node, f->key, 0, f->keymark) != 0) {
			json_decref(v);
			rc = -1;
		} else if (json_object_set_new(f->node, f->key, v) != 0)
			rc = -1;
	}
	free(f->key);
	f->key = NULL;
	return rc;
}

static int
push(struct builder *bd, json_t *node, const yaml_char_t *anchor, yaml_mark_t m, bool flow)
{
	struct frame *f;

	if (node == NULL)
		return -1;
	if (wants_key(bd)) {
		bdiag(bd, CVB_D_YAML_COMPLEX_KEY, m, "a %s used as a key",
		    json_is_array(node) ? "sequence" : "mapping");
		json_decref(node);
		return -2;
	}
	if (bd->depth >= YTREE_MAX_DEPTH) {
		json_decref(node);
		bdiag(bd, CVB_D_YAML_DEPTH, m, "(more than %d levels)", YTREE_MAX_DEPTH);
		return -2;
	}
	f = &bd->stack[bd->depth];
	memset(f, 0, sizeof(*f));
	f->node = node;
	f->start = m;
	f->flow = flow;
	if (anchor != NULL && (f->anchor = strdup((const char *)anchor)) == NULL) {
		json_decref(node);
		return -1;
	}
	bd->depth++;
	bd->direct++;
	return mark_add(bd->t, node, NULL, SIZE_MAX, m);
}

static int
pop(struct builder *bd)
{
	struct frame f;
	int rc = 0;

	if (bd->depth == 0)	/* an end with no collection open: not YAML we made */
		return -2;
	f = bd->stack[--bd->depth];

	if (f.key != NULL) {	/* cannot happen: libyaml pairs keys and values */
		free(f.key);
		f.key = NULL;
	}
	if (f.merge != NULL) {
		const char *k;
		json_t *x;

		json_object_foreach(f.merge, k, x)
			if (json_object_get(f.node, k) == NULL &&
			    (mark_add(bd->t, f.node, k, 0, f.mergemark) != 0 ||
			    json_object_set(f.node, k, x) != 0))
				rc = -1;
		json_decref(f.merge);
	}
	if (rc == 0 && f.anchor != NULL)
		rc = anchor_set(bd, f.anchor, f.node, f.size + 1);
	free(f.anchor);
	if (rc != 0) {
		json_decref(f.node);
		return rc;
	}
	return add_value(bd, f.node, f.size + 1, f.start);
}

static int
on_event(struct builder *bd, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT: {
		json_t *v;

		bd->direct++;
		bd->last_end = e->end_mark;
		if (wants_key(bd) && e->data.scalar.anchor == NULL)
			return set_key(bd, (const char *)e->data.scalar.value,
			    e->data.scalar.length, e->start_mark);
		if ((v = scalar_value(e)) == NULL)
			return -1;
		if (e->data.scalar.anchor != NULL &&
		    anchor_set(bd, (const char *)e->data.scalar.anchor, v, 1) != 0) {
			json_decref(v);
			return -1;
		}
		if (wants_key(bd)) {
			json_decref(v);
			return set_key(bd, (const char *)e->data.scalar.value,
			    e->data.scalar.length, e->start_mark);
		}
		return add_value(bd, v, 1, e->start_mark);
	}
	case YAML_SEQUENCE_START_EVENT:
		return push(bd, json_array(), e->data.sequence_start.anchor, e->start_mark,
		    e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
	case YAML_MAPPING_START_EVENT:
		return push(bd, json_object(), e->data.mapping_start.anchor, e->start_mark,
		    e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		/* a block collection ends where the next token starts */
		if (bd->depth > 0 && bd->stack[bd->depth - 1].flow)
			bd->last_end = e->end_mark;
		return pop(bd);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)e->data.alias.anchor;
		json_t *ix = bd->anchor_idx ? json_object_get(bd->anchor_idx, name) : NULL;
		struct anchor *a;

		bd->last_end = e->end_mark;
		if (ix == NULL) {
			bdiag(bd, CVB_D_YAML_ALIAS_UNDEF, e->start_mark, "'*%s'", name);
			return -2;
		}
		a = &bd->anchors[json_integer_value(ix)];
		if (a->size > node_size_limit(bd) || bd->expanded + a->size > node_size_limit(bd)) {
			bdiag(bd, CVB_D_YAML_ALIAS_LIMIT, e->start_mark,
			    "'*%s' would make more than %zu nodes", name, node_size_limit(bd));
			return -2;
		}
		bd->expanded += a->size;
		if (wants_key(bd)) {
			char *k;
			int rc;

			if (json_is_array(a->node) || json_is_object(a->node)) {
				bdiag(bd, CVB_D_YAML_COMPLEX_KEY, e->start_mark,
				    "'*%s' is a collection", name);
				return -2;
			}
			k = json_is_string(a->node) ? strdup(json_string_value(a->node))
			    : json_dumps(a->node, JSON_ENCODE_ANY);
			if (k == NULL)
				return -1;
			rc = set_key(bd, k, strlen(k), e->start_mark);
			free(k);
			return rc;
		}
		return add_value(bd, json_incref(a->node), a->size, e->start_mark);
	}
	default:
		return 0;
	}
}

/* ---- recovery after a syntax error --------------------------------------- */

/*
 * libyaml stops at the first syntax error.  Entries are the elements of a
 * block sequence at the top (a CSL-YAML list, or the one under
 * "references:") or the values of a block mapping at the top (hayagriva), so
 * after an error the entry being read is dropped and a new parser starts at
 * the next line that begins an entry of that collection: a line indented as
 * far as the collection's first entry, starting with "- " for a sequence or
 * with a key for a mapping.  Its events go on filling the open collection
 * (the positions it reports are moved by the lines skipped).  Entries
 * completed before the error are kept either way (issue 20: one syntax
 * error lost every entry of the file).
 */
struct resume {
	size_t		 off;		/* the resumed parser's text starts here */
	size_t		 line;		/* ... on this line (0-based) */
	int		 into;		/* the frame it fills; -1: none */
	int		 skip;		/* events to skip: stream, document, collection start */
};

/* Start of the 0-based line ln of the text (or its length). */
static size_t
line_start(struct builder *bd, size_t ln)
{
	if (!bd->have_map) {
		if (cvb_srcmap_init(&bd->map, bd->t->data, bd->t->len) != 0) {
			cvb_nomem();	/* no resumption: the read fails */
			return bd->t->len;
		}
		bd->have_map = true;
	}
	return ln < bd->map.nlines ? bd->map.lines[ln] : bd->t->len;
}

/* Is frame k a block collection (not [ ] or { }), and the column its
 * entries start at? */
static bool
block_frame(const struct builder *bd, int k, size_t *col)
{
	const struct frame *f = &bd->stack[k];
	char c;

	if (f->start.index >= bd->t->len)
		return false;
	c = bd->t->data[f->start.index];
	*col = f->start.column;
	if (json_is_array(f->node))
		return c == '-';
	return c != '{' && c != '[';
}

/*
 * Where an entry of frame k (at column col) starts on or after line from:
 * its 0-based line, or SIZE_MAX.  Lines indented further belong to the
 * broken entry; a line indented less, or a document marker, ends the search.
 */
static size_t
entry_line(struct builder *bd, int k, size_t col, size_t from)
{
	const char *s = bd->t->data;
	size_t len = bd->t->len, off = line_start(bd, from), ln = from;
	bool seq = json_is_array(bd->stack[k].node);

	for (; off < len; ln++) {
		const char *nl = memchr(s + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - s) : len, i = off;

		while (i < end && s[i] == ' ')
			i++;
		/* a tab in the indentation: not an entry's line */
		if (i < end && s[i] != '#' && s[i] != '\r' && s[i] != '\t') {
			bool dash = s[i] == '-' && (i + 1 == end || s[i + 1] == ' ' ||
			    s[i + 1] == '\t' || s[i + 1] == '\r');

			if (i - off == 0 && end - off >= 3 && (memcmp(s + off, "---", 3) == 0 ||
			    memcmp(s + off, "...", 3) == 0))
				return SIZE_MAX;
			if (i - off < col)
				return SIZE_MAX;
			if (i - off == col && dash == seq)
				return ln;
		}
		if (nl == NULL)
			break;
		off = end + 1;
	}
	return SIZE_MAX;
}

/* Drop the frames from k up: what they hold is lost. */
static void
frames_drop(struct builder *bd, int k)
{
	while (bd->depth > k) {
		struct frame *f = &bd->stack[--bd->depth];

		json_decref(f->node);
		json_decref(f->merge);
		free(f->key);
		free(f->anchor);
	}
}

/*
 * After a syntax error on 0-based line errline: where to go on, as *r, and
 * in words what was lost (into msg).  from_line: the first line the search
 * may look at (after the last resumption).
 */
/* The key frame k's value is being read under, or "". */
static const char *
frame_key(const struct builder *bd, int k)
{
	return k < bd->depth && bd->stack[k].key != NULL ? bd->stack[k].key : "";
}

/*
 * Is the error inside RenderCV's "cv" mapping?  Its entries are the elements
 * of the lists cv.sections.NAME (frame 3): an entry that breaks is dropped,
 * and the containers it is in (that list, the sections, cv) are kept with what
 * they hold, reading going on at the next entry, the next section, or the
 * next key of cv or of the document.
 */
static bool
rendercv_tree(const struct builder *bd)
{
	return bd->depth >= 2 && json_is_object(bd->stack[0].node) &&
	    strcmp(frame_key(bd, 0), "cv") == 0 && json_is_object(bd->stack[1].node);
}

/* Frame k of a RenderCV document where reading may go on. */
static bool
rendercv_frame(const struct builder *bd, int k)
{
	if (k == 3)
		return strcmp(frame_key(bd, 1), "sections") == 0 &&
		    json_is_object(bd->stack[2].node) && json_is_array(bd->stack[3].node);
	if (k == 2)
		return strcmp(frame_key(bd, 1), "sections") == 0 && json_is_object(bd->stack[2].node);
	return true;
}

static void
plan_resume(struct builder *bd, size_t errline, size_t from_line, bool after_close,
    struct resume *r, char *msg, size_t msgsize)
{
	int k, top;
	size_t lastline = 0, i;
	bool rcv = rendercv_tree(bd);

	r->into = -1;
	/* the deepest of: the top collection, a sequence just below it; in
	 * RenderCV, a section's list, the sections, cv, the document */
	top = bd->depth - 1 < (rcv ? 3 : 1) ? bd->depth - 1 : rcv ? 3 : 1;
	for (k = top; k >= 0; k--) {
		size_t col, from, ln, eline;
		bool child = k + 1 < bd->depth;

		if (rcv ? !rendercv_frame(bd, k) : k == 1 && !json_is_array(bd->stack[1].node))
			continue;
		if (!block_frame(bd, k, &col))
			continue;
		/* the search starts after the first line of the broken entry (an
		 * unclosed quote or bracket swallows the lines after it), or
		 * after the error when no entry had begun; the text after a
		 * resumed collection that closed is read from its first line */
		eline = rcv && bd->depth > 4 ? (size_t)bd->stack[4].start.line :
		    child ? (size_t)bd->stack[k + 1].start.line : errline;
		from = after_close ? errline : eline + 1;
		if (from < from_line)
			from = from_line;
		if ((ln = entry_line(bd, k, col, from)) == SIZE_MAX)
			continue;
		if ((child && json_is_array(bd->stack[k].node)) || (rcv && bd->depth > 4 && k < 4))
			snprintf(msg, msgsize, "; the entry at line %zu skipped, reading goes on "
			    "at line %zu", eline + 1, ln + 1);
		else if (child && bd->stack[k].key != NULL)
			snprintf(msg, msgsize, "; '%s' (line %zu) skipped, reading goes on at "
			    "line %zu", bd->stack[k].key, (size_t)bd->stack[k].keymark.line + 1,
			    ln + 1);
		else
			snprintf(msg, msgsize, "; reading goes on at line %zu", ln + 1);
		if (rcv) {
			/* the broken entry goes; the containers keep what they hold */
			frames_drop(bd, k + 1 > 4 ? k + 1 : 4);
			while (bd->depth > k + 1) {
				free(bd->stack[bd->depth - 1].key);
				bd->stack[bd->depth - 1].key = NULL;
				if (pop(bd) != 0) {
					cvb_nomem();	/* what they held is lost */
					frames_drop(bd, k + 1);
				}
			}
		} else
			frames_drop(bd, k + 1);
		free(bd->stack[k].key);
		bd->stack[k].key = NULL;
		r->into = k;
		r->line = ln;
		r->off = line_start(bd, ln);
		r->skip = 3;
		return;
	}
	for (i = 0; i < bd->t->len; i++)
		if (bd->t->data[i] == '\n' && i + 1 < bd->t->len)
			lastline++;
	if (bd->depth > 0 && errline < lastline)
		snprintf(msg, msgsize, "; lines %zu-%zu not read", errline + 1, lastline + 1);
	else
		msg[0] = '\0';
}

static void
syntax_error(struct builder *bd, const yaml_parser_t *p, size_t base_off, size_t base_line,
    const char *more, size_t *errline)
{
	const char *what = p->problem ? p->problem : "unknown error";
	yaml_mark_t m = p->problem_mark;

	m.line += base_line;
	m.index += base_off;
	*errline = m.line;
	if (p->error == YAML_READER_ERROR) {
		struct cvb_srcmap map;
		unsigned line = 0, col = 0;

		if (cvb_srcmap_init(&map, bd->t->data, bd->t->len) == 0) {
			cvb_srcmap_pos(&map, base_off + p->problem_offset, &line, &col);
			cvb_srcmap_release(&map);
		}
		*errline = line > 0 ? line - 1 : 0;
		if (more == NULL)
			return;
		if (p->problem_value != -1)
			cvb_diag(bd->d, CVB_D_YAML_SYNTAX, bd->file, line, col, "%s (byte 0x%02X)%s",
			    what, (unsigned)p->problem_value & 0xFF, more);
		else
			cvb_diag(bd->d, CVB_D_YAML_SYNTAX, bd->file, line, col, "%s%s", what, more);
		return;
	}
	if (more == NULL)
		return;
	if (p->error == YAML_MEMORY_ERROR) {
		cvb_diag(bd->d, CVB_D_NOMEM, bd->file, 0, 0, NULL);
		return;
	}
	if (p->context != NULL)
		bdiag(bd, CVB_D_YAML_SYNTAX, m, "%s %s (line %zu)%s", what, p->context,
		    (size_t)p->context_mark.line + base_line + 1, more);
	else
		bdiag(bd, CVB_D_YAML_SYNTAX, m, "%s%s", what, more);
}

static void
shift_mark(yaml_mark_t *m, size_t base_off, size_t base_line)
{
	m->index += base_off;
	m->line += base_line;
}

/* Close the open collections (a document the resumed parser ended). */
static int
close_frames(struct builder *bd)
{
	int rc = 0;

	while (rc == 0 && bd->depth > 0)
		rc = pop(bd);
	return rc;
}

/* A document is complete: into the tree (0, or -1: no memory). */
static int
end_document(struct builder *bd, struct resume *r)
{
	struct cvb_ytree *t = bd->t;
	json_t **v;

	if (r->into >= 0 && bd->depth > 0 && close_frames(bd) != 0)
		return -1;
	r->into = -1;
	r->skip = 0;
	v = realloc(t->docs, (t->ndocs + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	t->docs = v;
	t->docs[t->ndocs++] = bd->root ? bd->root : json_null();
	bd->root = NULL;
	/* anchors do not carry over to the next document */
	anchors_release(bd);
	return 0;
}

int
cvb_ytree_load(struct cvb_ytree **out, const char *data, size_t len, const char *file,
    struct cvbib_diags *d)
{
	struct cvb_ytree *t = calloc(1, sizeof(*t));
	struct builder bd;
	yaml_parser_t p;
	yaml_event_t e;
	int rc = 0, done = 0, syntax = 0;
	struct resume r = { 0, 0, -1, 0 };
	size_t base_off = 0, base_line = 0;
	bool after_close = false;	/* the resumed collection closed */
	bool pending_end = false;	/* ... and its document ended */

	*out = NULL;
	if (t == NULL || !yaml_parser_initialize(&p)) {
		free(t);
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	t->data = data;
	t->len = len;
	memset(&bd, 0, sizeof(bd));
	bd.t = t;
	bd.d = d;
	bd.file = file;
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			char more[200];
			size_t errline;
			struct resume nr;

			if (p.error == YAML_MEMORY_ERROR) {
				syntax_error(&bd, &p, base_off, base_line, "", &errline);
				rc = -CVBIB_ENOMEM;
				break;
			}
			syntax = 1;
			syntax_error(&bd, &p, base_off, base_line, NULL, &errline);
			plan_resume(&bd, errline, r.into >= 0 ? r.line + 1 : 0, after_close, &nr,
			    more, sizeof(more));
			if (!after_close || nr.into < 0)
				syntax_error(&bd, &p, base_off, base_line, more, &errline);
			if (nr.into < 0) {
				rc = -CVBIB_EINPUT;
				break;
			}
			pending_end = false;
			/* a new parser from the line where the next entry begins */
			r = nr;
			after_close = false;
			yaml_parser_delete(&p);
			if (!yaml_parser_initialize(&p)) {
				cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
				rc = -CVBIB_ENOMEM;
				memset(&p, 0, sizeof(p));
				yaml_parser_initialize(&p);
				break;
			}
			base_off = r.off;
			base_line = r.line;
			yaml_parser_set_input_string(&p, (const unsigned char *)data + base_off,
			    len - base_off);
			continue;
		}
		shift_mark(&e.start_mark, base_off, base_line);
		shift_mark(&e.end_mark, base_off, base_line);
		if (pending_end && (rc = end_document(&bd, &r)) != 0) {
			yaml_event_delete(&e);
			break;
		}
		pending_end = false;
		if (r.skip > 0 && (e.type == YAML_STREAM_START_EVENT ||
		    e.type == YAML_DOCUMENT_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT ||
		    e.type == YAML_MAPPING_START_EVENT)) {
			/* the resumed parser's way into the open collection */
			if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
				r.skip = 0;
			yaml_event_delete(&e);
			continue;
		}
		/* any other event: the way in is over (a resumed text that is
		 * no collection must not have the next document's skipped) */
		r.skip = 0;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			bd.root = NULL;
			break;
		case YAML_DOCUMENT_END_EVENT:
			/* a resumed parser's document ends where its collection
			 * does: what follows may belong to one further out (then
			 * it is an error, and the text is read from there) */
			if (r.into >= 0 && bd.depth > 0)
				pending_end = true;
			else
				rc = end_document(&bd, &r);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_event(&bd, &e);
			/* the resumed parser's top collection closed: the text after
			 * it, if any, belongs to a collection further out */
			if (r.into >= 0 && bd.depth == r.into)
				after_close = true;
			break;
		default:
			rc = on_event(&bd, &e);
			break;
		}
		yaml_event_delete(&e);
		if (rc == -1) {
			cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
			rc = -CVBIB_ENOMEM;
		} else if (rc == -2)
			rc = -CVBIB_EINPUT;
		if (rc != 0)
			break;
	}
	if (pending_end && rc == -CVBIB_EINPUT && end_document(&bd, &r) != 0)
		rc = -CVBIB_ENOMEM;
	if (rc == -CVBIB_EINPUT && syntax && bd.depth > 0 && (json_is_array(bd.stack[0].node) ||
	    (bd.depth > 1 && json_is_array(bd.stack[1].node)))) {
		/* the entries of a list completed before the error are kept (a
		 * mapping cut short is no entry) */
		int keep = json_is_array(bd.stack[0].node) ? 1 : 2;
		json_t **v = realloc(t->docs, (t->ndocs + 1) * sizeof(*v));

		frames_drop(&bd, keep);
		free(bd.stack[keep - 1].key);
		bd.stack[keep - 1].key = NULL;
		if (v != NULL) {
			t->docs = v;
			if (close_frames(&bd) == 0 && bd.root != NULL) {
				t->docs[t->ndocs++] = bd.root;
				bd.root = NULL;
			}
		}
	}
	frames_release(&bd);
	anchors_release(&bd);
	if (bd.have_map)
		cvb_srcmap_release(&bd.map);
	yaml_parser_delete(&p);
	/* after a syntax error (reported), the documents read are the result */
	if (rc == -CVBIB_EINPUT && syntax && t->ndocs > 0)
		rc = 0;
	if (rc != 0 && t->ndocs == 0) {
		cvb_ytree_free(t);
		return rc;
	}
	*out = t;
	return rc;
}
