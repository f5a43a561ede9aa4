/*
 * bibinherit.c - crossref, xdata and granular xdata inheritance for the BibTeX
 * reader (moved out of read_bibtex.c; see there for the overview).
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bibread.h"

struct ictx;
struct inh;
static void resolve(struct ictx *, struct inh *, size_t, size_t, int);

/* ------------------------------------------------------------ inheritance */

/* The reader's state kept in the bibliography across inputs (made on first use). */
struct cvb_bibstate *
cvb_brd_bstate(cvbib_biblio *b)
{
	if (b->bibstate == NULL) {
		b->bibstate = cvb_arena_alloc(&b->arena, sizeof(*b->bibstate));
		if (b->bibstate != NULL)
			b->bibstate->grefs_tail = &b->bibstate->grefs;
	}
	return b->bibstate;
}

void
cvb_brd_xdata_keep(struct rd *r, struct cvb_item *it)
{
	struct cvb_bibstate *bs = cvb_brd_bstate(r->b);

	if (bs == NULL)
		return;
	if (bs->nxdata == bs->capxdata) {
		size_t nc = bs->capxdata ? bs->capxdata * 2 : 8;
		struct cvb_item **nv = cvb_arena_alloc(&r->b->arena, nc * sizeof(*nv));

		if (nv == NULL)
			return;
		if (bs->nxdata > 0)
			memcpy(nv, bs->xdata, bs->nxdata * sizeof(*nv));
		bs->xdata = nv;
		bs->capxdata = nc;
	}
	bs->xdata[bs->nxdata++] = it;
}

/* Is a field of this kind a list whose parts an xdata reference can pick? */
static bool
list_field(const char *name, enum cvb_bfk k)
{
	static const char *const lists[] = {
		"location", "address", "publisher", "institution", "school", "organization",
		"origlocation", "origpublisher", "language", "lista", "listb", "listc",
		"listd", "liste", "listf",
	};
	size_t i;

	if (k == CVB_BFK_NAME)
		return true;
	for (i = 0; i < CVB_ARRAY_SIZE(lists); i++)
		if (strcmp(lists[i], name) == 0)
			return true;
	return false;
}

/* Does value v (n bytes) hold a granular reference "xdata=..." as a part? */
static bool
has_gref(const char *v, size_t n)
{
	const char *p = v, *e = v + n;

	while ((p = memmem(p, (size_t)(e - p), "xdata", 5)) != NULL) {
		const char *q = p + 5;

		while (q < e && *q == ' ')
			q++;
		if (q < e && *q == '=' && (p == v || p[-1] == ' '))
			return true;
		p += 5;
	}
	return false;
}

/*
 * Keep a field of an @xdata entry raw (granular references read it), and
 * defer a field that holds a granular reference.  True when the field is
 * deferred.
 */
bool
cvb_brd_gref_field(struct rd *r, const char *lname, enum cvb_bfk k)
{
	struct cvb_bibstate *bs;

	if (r->no_defer || (!r->in_xdata && !has_gref(r->val.buf, r->val.len)))
		return false;
	if ((bs = cvb_brd_bstate(r->b)) == NULL)
		return false;
	if (r->in_xdata) {
		struct xraw *x = cvb_arena_alloc(&r->b->arena, sizeof(*x));

		if (x != NULL) {
			x->it = r->it;
			x->name = cvb_brd_astr(r, lname, strlen(lname));
			x->value = cvb_brd_astr(r, r->val.buf, r->val.len);
			x->next = bs->raws;
			bs->raws = x;
		}
	}
	if (k == CVB_BFK_YEAR || k == CVB_BFK_MONTH || k == CVB_BFK_DAY || k == CVB_BFK_DATE ||
	    !r->o->expand_crossref || !has_gref(r->val.buf, r->val.len))
		return false;
	{
		struct gref *g = cvb_arena_alloc(&r->b->arena, sizeof(*g));

		if (g == NULL)
			return false;
		g->it = r->it;
		g->name = cvb_brd_astr(r, lname, strlen(lname));
		g->value = cvb_brd_astr(r, r->val.buf, r->val.len);
		*bs->grefs_tail = g;
		bs->grefs_tail = &g->next;
		bs->links = true;
	}
	return true;
}

struct ictx {
	cvbib_biblio	*b;
	struct cvbib_diags *d;
	struct cvb_bibstate *bs;
	struct cvb_item	**byk;		/* items sorted by key */
	size_t		 nbyk;
	size_t		 first;		/* items from here on are new: cycles reported */
	size_t		 xfirst;	/* the same for @xdata entries */
	bool		 final;		/* report missing targets */
	/* granular references being expanded, to find cycles */
	const struct xraw *gstack[16];
	int		 ngstack;
};

static int
item_key_cmp(const void *a, const void *b)
{
	const struct cvb_item *x = *(const struct cvb_item *const *)a;
	const struct cvb_item *y = *(const struct cvb_item *const *)b;

	return strcmp(x->key ? x->key : "", y->key ? y->key : "");
}

static struct cvb_item *
find_xdata(const struct ictx *c, const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < c->bs->nxdata; i++)
		if (strlen(c->bs->xdata[i]->key) == n && strncmp(c->bs->xdata[i]->key, key, n) == 0)
			return c->bs->xdata[i];
	return NULL;
}

static struct cvb_item *
find_key(const struct ictx *c, const char *key)
{
	struct cvb_item k = { .key = key }, *kp = &k, **hit, *x;
	size_t i;

	hit = c->byk ? bsearch(&kp, c->byk, c->nbyk, sizeof(*c->byk), item_key_cmp) : NULL;
	if (hit != NULL)
		return *hit;
	if ((x = find_xdata(c, key, strlen(key))) != NULL)
		return x;
	for (i = 0; i < c->b->n; i++)
		if (c->b->items[i]->key && strcasecmp(c->b->items[i]->key, key) == 0)
			return c->b->items[i];
	return NULL;
}

static const char *
extra_get(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f = cvb_item_extra(it, name);

	return f != NULL ? f->value : NULL;
}

/* Is it one whose cycles and warnings belong to this pass? */
static bool
is_new(const struct ictx *c, const struct cvb_item *it)
{
	size_t i;

	if (it->seq >= c->first && it->seq < c->b->n && c->b->items[it->seq] == it)
		return true;
	for (i = c->xfirst; i < c->bs->nxdata; i++)
		if (c->bs->xdata[i] == it)
			return true;
	return false;
}

/* ---- granular xdata references: "xdata=key-field-n" in a field value */

enum { GR_OK, GR_MISSING, GR_BAD, GR_CYCLE };

/* The part of a list value s (n bytes) split on " and " outside braces. */
static bool
list_part(const char *s, size_t n, size_t want, const char **ps, size_t *pn)
{
	const char *p = s, *e = s + n, *start = s;
	size_t idx = 1;
	int depth = 0;

	for (; p <= e; p++) {
		bool sep = p == e;

		if (!sep && *p == '{')
			depth++;
		else if (!sep && *p == '}')
			depth--;
		else if (!sep && depth == 0 && *p == ' ' && e - p >= 5 &&
		    strncasecmp(p, " and ", 5) == 0)
			sep = true;
		if (!sep)
			continue;
		if (idx == want) {
			*ps = start;
			*pn = (size_t)(p - start);
			return true;
		}
		idx++;
		if (p < e) {
			p += 4;
			start = p + 1;
		}
	}
	return false;
}

static int gref_expand(struct ictx *, struct cvb_buf *, const struct cvb_item *,
    const char *fname, const char *s, size_t n, bool list, int depth,
    const char **why);

/*
 * Expand one reference "xdata=key-field[-n]" (s, n bytes, trimmed) into out.
 * *why says what went wrong for GR_MISSING (the key) and GR_BAD.
 */
static int
gref_one(struct ictx *c, struct cvb_buf *out, const char *s, size_t n, int depth,
    const char **why)
{
	const char *p = s + 5, *e = s + n, *dash, *key, *fld, *q;
	size_t kn, fn, idx = 0;
	const struct xraw *x;
	struct cvb_item *t;
	const char *v;
	size_t vn;
	int rc, k;

	while (p < e && (*p == ' ' || *p == '='))
		p++;
	key = p;
	/* from the right: an optional position, then the field */
	for (dash = e; dash > key && dash[-1] != '-'; dash--)
		;
	for (q = dash; q < e && isdigit((unsigned char)*q) && idx < 100000; q++)
		idx = idx * 10 + (size_t)(*q - '0');
	if (dash > key && dash < e && q == e) {
		e = dash - 1;
		for (dash = e; dash > key && dash[-1] != '-'; dash--)
			;
	} else
		idx = 0;	/* no position: the whole field */
	if (dash <= key || dash >= e) {
		*why = "it names no field";
		return GR_BAD;
	}
	kn = (size_t)(dash - 1 - key);
	fld = dash;
	fn = (size_t)(e - dash);
	t = find_xdata(c, key, kn);
	if (t == NULL) {
		const char *ks = cvb_arena_strndup(&c->b->arena, key, kn);

		if (ks == NULL) {
			*why = "out of memory";
			return GR_BAD;
		}
		if (find_key(c, ks) != NULL) {
			*why = "its target is not an @xdata entry";
			return GR_BAD;
		}
		*why = ks;
		return GR_MISSING;
	}
	for (x = c->bs->raws; x != NULL; x = x->next)
		if (x->it == t && strlen(x->name) == fn && strncasecmp(x->name, fld, fn) == 0)
			break;
	if (x == NULL) {
		*why = "its @xdata entry has no such field";
		return GR_BAD;
	}
	for (k = 0; k < c->ngstack; k++)
		if (c->gstack[k] == x) {
			*why = cvb_arena_printf(&c->b->arena, "%s-%s", t->key, x->name);
			return GR_CYCLE;
		}
	if (depth >= 16 || c->ngstack >= (int)CVB_ARRAY_SIZE(c->gstack)) {
		*why = "references nest too deeply";
		return GR_BAD;
	}
	v = x->value;
	vn = strlen(v);
	if (idx > 0 && !list_part(v, vn, idx, &v, &vn)) {
		*why = "its position is beyond the list";
		return GR_BAD;
	}
	/* the target may hold references too */
	c->gstack[c->ngstack++] = x;
	rc = gref_expand(c, out, t, x->name, v, vn, true, depth + 1, why);
	c->ngstack--;
	return rc;
}

/* Expand every reference of value s (n bytes) into out. */
static int
gref_expand(struct ictx *c, struct cvb_buf *out, const struct cvb_item *it,
    const char *fname, const char *s, size_t n, bool list, int depth, const char **why)
{
	size_t k;
	const char *ps;
	size_t pn;

	(void)it;
	(void)fname;
	if (!list) {
		ps = s;
		pn = n;
		while (pn > 0 && *ps == ' ')
			ps++, pn--;
		if (pn > 5 && strncmp(ps, "xdata", 5) == 0 && has_gref(ps, pn))
			return gref_one(c, out, ps, pn, depth, why);
		cvb_buf_add(out, s, n);
		return GR_OK;
	}
	for (k = 1; list_part(s, n, k, &ps, &pn); k++) {
		int rc;

		if (k > 1)
			cvb_buf_adds(out, " and ");
		while (pn > 0 && *ps == ' ')
			ps++, pn--;
		while (pn > 0 && ps[pn - 1] == ' ')
			pn--;
		if (pn > 5 && strncmp(ps, "xdata", 5) == 0 && has_gref(ps, pn)) {
			if ((rc = gref_one(c, out, ps, pn, depth, why)) != GR_OK)
				return rc;
		} else
			cvb_buf_add(out, ps, pn);
	}
	return GR_OK;
}

/* Resolve the granular references whose targets have been read. */
static void
grefs_resolve(struct rd *r, struct ictx *c)
{
	struct gref *g;
	struct cvb_buf ex = CVB_BUF_INIT;

	for (g = c->bs->grefs; g != NULL; g = g->next) {
		struct cvb_bfield f;
		const char *why = NULL;
		int rc;

		if (g->done)
			continue;
		f = cvb_bibtex_field(g->name, strlen(g->name));
		cvb_buf_reset(&ex);
		c->ngstack = 0;
		rc = gref_expand(c, &ex, g->it, g->name, g->value, strlen(g->value),
		    list_field(g->name, f.kind), 0, &why);
		if (rc == GR_MISSING && !c->final)
			continue;	/* perhaps in an input still to come */
		if (rc == GR_MISSING)
			cvb_diag(c->d, CVB_D_BIB_CROSSREF_MISSING, g->it->loc.file, g->it->loc.line,
			    g->it->loc.column, "xdata '%s' in '%s' of '%s'", why, g->name,
			    g->it->key ? g->it->key : "?");
		else if (rc == GR_CYCLE)
			cvb_diag(c->d, CVB_D_BIB_CROSSREF_CYCLE, g->it->loc.file, g->it->loc.line,
			    g->it->loc.column, "'%s' in '%s' of '%s' comes back to xdata=%s",
			    g->value, g->name, g->it->key ? g->it->key : "?", why);
		else if (rc == GR_BAD)
			cvb_diag(c->d, CVB_D_BIB_XDATA_REF, g->it->loc.file, g->it->loc.line,
			    g->it->loc.column, "'%s' in '%s' of '%s': %s", g->value, g->name,
			    g->it->key ? g->it->key : "?", why);
		/* read the field now, expanded or (when it failed) as written */
		cvb_buf_reset(&r->val);
		if (rc == GR_OK)
			cvb_buf_add(&r->val, ex.buf, ex.len);
		else
			cvb_buf_adds(&r->val, g->value);
		r->it = g->it;
		r->key = g->it->key;
		r->nseen = 0;
		r->in_xdata = false;
		r->no_defer = true;
		cvb_brd_field(r, g->name, strlen(g->name), NULL);
		r->no_defer = false;
		g->done = true;
		if (f.kind == CVB_BFK_NAME)
			cvb_brd_useprefix_entry(g->it);
	}
	cvbib_buf_release(&ex);
}

static bool
child_in_parent(enum cvb_type t)
{
	return t == CVB_T_CHAPTER || t == CVB_T_PAPER_CONFERENCE || t == CVB_T_ENTRY ||
	    t == CVB_T_ENTRY_DICTIONARY || t == CVB_T_ENTRY_ENCYCLOPEDIA ||
	    t == CVB_T_ARTICLE_JOURNAL;
}

/*
 * Copy what child lacks from parent (biblatex's default inheritance rules).
 * Only missing fields are filled, so doing it again once the parent has
 * inherited more (from an input read later) is safe.
 */
/*
 * The child took the parent's str[from] as its str[to]: what the reader kept
 * of the parent's field (its LaTeX, its name) goes with it.
 */
static void
bibsrc_inherit(cvbib_biblio *b, struct cvb_item *child, const struct cvb_item *parent,
    int from, int to)
{
	const struct cvb_bibsrc *ps;
	struct cvb_bibsrc *bs;

	for (ps = parent->bibsrc; ps != NULL; ps = ps->next)
		if (ps->var == from && ps->value == parent->str[from])
			break;
	if (ps == NULL || (bs = cvb_arena_alloc(&b->arena, sizeof(*bs))) == NULL)
		return;
	*bs = *ps;
	bs->var = to;
	bs->next = child->bibsrc;
	child->bibsrc = bs;
}

static void
inherit(cvbib_biblio *b, struct cvb_item *child, const struct cvb_item *parent, bool xdata)
{
	int i;
	bool in = !xdata && child_in_parent(child->type);

	for (i = 0; i < CVB_V__COUNT; i++) {
		const char *v = parent->str[i];
		int to = i;

		if (v == NULL)
			continue;
		if (in && i == CVB_V_TITLE)
			to = CVB_V_CONTAINER_TITLE;	/* title -> booktitle / journaltitle */
		else if (in && (i == CVB_V_TITLE_SHORT || i == CVB_V_CITATION_LABEL))
			continue;
		else if (in && i == CVB_V_CONTAINER_TITLE && parent->str[CVB_V_TITLE] != NULL)
			continue;	/* the parent's own title wins */
		if (child->str[to] == NULL) {
			child->str[to] = v;
			if (parent->bibsrc != NULL)
				bibsrc_inherit(b, child, parent, i, to);
		}
	}
	for (i = 0; i < CVB_DV__COUNT; i++)
		if (child->date[i] == NULL && parent->date[i] != NULL)
			child->date[i] = parent->date[i];
	for (i = 0; i < CVB_NV__COUNT; i++) {
		int to = i;

		if (parent->names[i] == NULL)
			continue;
		/* author -> author and author -> bookauthor */
		if (in && i == CVB_NV_AUTHOR && child->type == CVB_T_CHAPTER &&
		    child->names[CVB_NV_CONTAINER_AUTHOR] == NULL)
			child->names[CVB_NV_CONTAINER_AUTHOR] = parent->names[i];
		if (child->names[to] == NULL)
			child->names[to] = parent->names[i];
	}
}

enum { ST_NONE, ST_BUSY, ST_DONE };

struct inh {
	struct cvb_item	*it;
	int		 state;
};

static int
state_of(struct inh *st, size_t n, const struct cvb_item *it)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i].it == it)
			return (int)i;
	return -1;
}

/* Inherit from the entry named ref (kind: "crossref", "xdata", "xref"). */
static void
link_to(struct ictx *c, struct inh *st, size_t nst, size_t idx, int depth,
    const char *kind, const char *ref)
{
	struct cvb_item *it = st[idx].it, *p = find_key(c, ref);
	int pi;

	if (p == NULL) {
		if (c->final)
			cvb_diag(c->d, CVB_D_BIB_CROSSREF_MISSING, it->loc.file, it->loc.line,
			    it->loc.column, "%s '%s' of '%s'", kind, ref, it->key);
		return;
	}
	if (strcmp(kind, "xref") == 0)
		return;		/* a link without inheritance */
	pi = state_of(st, nst, p);
	if (pi >= 0 && st[pi].state == ST_BUSY) {
		if (!c->final && is_new(c, it))
			cvb_diag(c->d, CVB_D_BIB_CROSSREF_CYCLE, it->loc.file, it->loc.line,
			    it->loc.column, "'%s' -> '%s'", it->key, p->key);
		return;
	}
	if (pi >= 0 && depth < 64)
		resolve(c, st, nst, (size_t)pi, depth + 1);
	inherit(c->b, it, p, strcmp(kind, "xdata") == 0);
}

static void
resolve(struct ictx *c, struct inh *st, size_t nst, size_t idx, int depth)
{
	struct cvb_item *it = st[idx].it;
	const char *ref;

	if (st[idx].state == ST_DONE)
		return;
	st[idx].state = ST_BUSY;
	/* xdata=a,b,c */
	if ((ref = extra_get(it, "xdata")) != NULL) {
		char *list = strdup(ref), *tok, *save = NULL;

		for (tok = list ? strtok_r(list, ", ", &save) : NULL; tok != NULL;
		    tok = strtok_r(NULL, ", ", &save))
			link_to(c, st, nst, idx, depth, "xdata", tok);
		free(list);
	}
	if ((ref = extra_get(it, "crossref")) != NULL)
		link_to(c, st, nst, idx, depth, "crossref", ref);
	if ((ref = extra_get(it, "xref")) != NULL && (c->final || is_new(c, it)))
		link_to(c, st, nst, idx, depth, "xref", ref);
	st[idx].state = ST_DONE;
}

static bool
has_links(const struct cvb_item *it)
{
	return extra_get(it, "crossref") || extra_get(it, "xdata") || extra_get(it, "xref");
}

/*
 * Resolve the links of every entry read so far (all inputs): granular
 * references first, then xdata and crossref inheritance.  first/xfirst:
 * where this input's entries start (their cycles are reported).
 */
void
cvb_brd_inheritance(struct rd *r, size_t first, size_t xfirst, bool final)
{
	cvbib_biblio *b = r->b;
	struct ictx c;
	size_t n = b->n, i, k = 0;
	struct inh *st;
	bool any = false;

	memset(&c, 0, sizeof(c));
	c.b = b;
	c.d = r->d;
	c.bs = b->bibstate;
	c.first = first;
	c.xfirst = xfirst;
	c.final = final;
	for (i = first; i < n && !any; i++)
		if (has_links(b->items[i]))
			any = true;
	if (c.bs != NULL && (c.bs->links || c.bs->grefs != NULL))
		any = true;
	if (!any)
		return;
	if (c.bs == NULL && (c.bs = cvb_brd_bstate(b)) == NULL)
		return;
	c.bs->links = true;	/* later inputs look at these entries again */
	c.byk = malloc((n ? n : 1) * sizeof(*c.byk));
	if (c.byk != NULL) {
		memcpy(c.byk, b->items, n * sizeof(*c.byk));
		c.nbyk = n;
		qsort(c.byk, n, sizeof(*c.byk), item_key_cmp);
	}
	grefs_resolve(r, &c);
	st = calloc(n + c.bs->nxdata + 1, sizeof(*st));
	if (st == NULL) {
		free(c.byk);
		return;
	}
	/* the state lookup is linear: only entries taking part need it */
	{
		struct cvb_keyset parents = { NULL, 0, 0, NULL, 0, 0 };

		for (i = 0; i < n; i++) {
			const char *p = extra_get(b->items[i], "crossref");

			if (p != NULL)
				cvb_keyset_add(&parents, p);
		}
		for (i = 0; i < n; i++) {
			struct cvb_item *it = b->items[i];

			if (has_links(it) || (it->key != NULL && cvb_keyset_has(&parents, it->key)))
				st[k++].it = it;
		}
		for (i = 0; i < c.bs->nxdata; i++)
			st[k++].it = c.bs->xdata[i];
		cvb_keyset_release(&parents);
	}
	for (i = 0; i < k; i++)
		resolve(&c, st, k, i, 0);
	free(st);
	free(c.byk);
}

/* After the last input: what is still missing is reported (cvbib_read_done()). */
int
cvb_bibtex_done(cvbib_biblio *b, const struct cvbib_options *o, struct cvbib_diags *d)
{
	struct rd r;

	if (b->bibstate == NULL || !o->expand_crossref)
		return 0;
	memset(&r, 0, sizeof(r));
	r.b = b;
	r.o = o;
	r.d = d;
	r.val = (struct cvb_buf)CVB_BUF_INIT;
	r.tmp = (struct cvb_buf)CVB_BUF_INIT;
	cvb_brd_inheritance(&r, b->n, b->bibstate->nxdata, true);
	b->bibstate->links = false;
	b->bibstate->grefs = NULL;
	b->bibstate->grefs_tail = &b->bibstate->grefs;
	cvbib_buf_release(&r.val);
	cvbib_buf_release(&r.tmp);
	free(r.seen);
	return b->arena.err ? -CVBIB_ENOMEM : 0;
}

