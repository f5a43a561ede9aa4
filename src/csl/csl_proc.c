/*
 * csl_proc.c - bibliographies and citations with a compiled CSL style.
 *
 * Registers the items (in citation or input order), sorts the bibliography,
 * numbers the items, disambiguates cites (add-names, add-givenname with its
 * rules, add-year-suffix, the disambiguate condition), computes cite
 * positions (first, subsequent, ibid, ibid-with-locator, near-note), sorts
 * and collapses the cites of a citation, applies
 * subsequent-author-substitute, and writes the result in the requested
 * output format.  The public entry points cvbib_format_bibliography() and
 * cvbib_format_citations() and the CV layer's cvb_csl_bibliography_entries()
 * live here.  Rendering of single items is csl_render.c's job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

/* a sort key not made yet */
#define KEY_LATER ((struct csl_ckey *)-2)

struct proc {
	cvbib_style	*s;
	cvbib_biblio	*b;
	struct cvb_arena a;
	struct csl_istate *st;		/* registration order */
	size_t		 n;
	struct csl_istate **bib;	/* bibliography order */
	/* id hash */
	struct csl_istate **h;
	size_t		 hn;
	enum cvbib_outfmt fmt;
	struct cvbib_diags *d;
	int		 err;
};

static unsigned long
hstr(const char *s)
{
	unsigned long h = 5381;

	while (*s) h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The id hash, made when a cite first looks an item up (a bibliography
 * alone needs none).  Of items sharing an id, the later one is found. */
static void
hash_ids(struct proc *p)
{
	size_t i;

	p->hn = p->n * 2 + 1;
	p->h = calloc(p->hn, sizeof(*p->h));
	if (!p->h) { p->hn = 0; cvb_nomem(); return; }
	for (i = 0; i < p->n; i++) {
		struct csl_istate *st = &p->st[i];
		if (st->item->id) {
			size_t k = hstr(st->item->id) % p->hn;
			while (p->h[k]) {
				if (strcmp(p->h[k]->item->id, st->item->id) == 0) break;
				k = (k + 1) % p->hn;
			}
			/* items sharing an id: the later one is cited, as in
			 * CSL-JSON read into a map by id */
			p->h[k] = st;
		}
	}
}

static struct csl_istate *
find_item(struct proc *p, const char *id)
{
	size_t i;

	if (!p->h) hash_ids(p);
	if (!id || !p->hn) return NULL;
	for (i = hstr(id) % p->hn; p->h[i]; i = (i + 1) % p->hn)
		if (p->h[i]->item->id && strcmp(p->h[i]->item->id, id) == 0)
			return p->h[i];
	return NULL;
}

static int
proc_init(struct proc *p, cvbib_style *s, cvbib_biblio *b, struct cvb_item **items,
    size_t nitems, enum cvbib_outfmt fmt, struct cvbib_diags *d)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->s = s; p->b = b; p->fmt = fmt; p->d = d;
	if (!items) { items = b->items; nitems = b->n; }
	p->n = nitems;
	p->st = calloc(nitems + 1, sizeof(*p->st));
	p->bib = calloc(nitems + 1, sizeof(*p->bib));
	if (!p->st || !p->bib) return -CVBIB_ENOMEM;
	for (i = 0; i < nitems; i++) {
		struct csl_istate *st = &p->st[i];
		st->item = items[i];
		st->regorder = (int)i;
		st->citnum = (int)i + 1;
		p->bib[i] = st;
	}
	return 0;
}

static void
proc_free(struct proc *p)
{
	size_t i;

	for (i = 0; p->st != NULL && i < p->n; i++) {
		if (p->st[i].keys) {
			size_t k;
			for (k = 0; p->st[i].keys[k] != (struct csl_ckey *)-1; k++)
				if (p->st[i].keys[k] != KEY_LATER) free(p->st[i].keys[k]);
			free(p->st[i].keys);
		}
		free(p->st[i].name_level);
	}
	free(p->st);
	free(p->bib);
	free(p->h);
	cvb_arena_release(&p->a);
}


/* Render-time memory is dropped once the strings are out; one block is kept
 * for the next item, which so renders in memory that is in the cache. */
static void
arena_reset(struct proc *p)
{
	if (!p->a.err) {
		cvb_arena_reset(&p->a);
		return;
	}
	cvb_arena_release(&p->a);
	memset(&p->a, 0, sizeof(p->a));
}

/* An item and what was read with it (its strings, names, dates) lie
 * together up to the next item read: fetch it into the cache while the item
 * before it renders. */
static void
prefetch_item(const struct proc *p, const struct csl_istate *st)
{
	const char *a = (const char *)st->item, *e;
	size_t reg = (size_t)st->regorder;

	e = reg + 1 < p->n ? (const char *)p->st[reg + 1].item : a + 1024;
	if (e <= a || e - a > 4096) e = a + 1024;
	for (; a < e; a += 64) __builtin_prefetch(a);
}

/* ------------------------------------------------------------ sorting */

static const struct csl_node *sort_keys_for_cmp;
/* The bibliography's keys after the first are made when a compare needs
 * them (most compares are decided by the first key). */
static struct proc *sort_proc_for_cmp;
static struct csl_ckey *make_key(struct proc *, struct csl_istate *, const struct csl_section *,
    const struct csl_node *, const struct cvbib_cite *);

/* sa, sb: the items of ka and kb, whose keys may be left for later */
static int
key_cmp(struct csl_ckey **ka, struct csl_ckey **kb, const struct csl_node *keys,
    struct csl_istate *sa, struct csl_istate *sb)
{
	const struct csl_node *k;
	int i;

	if (!ka || !kb)		/* no memory for them (cvb_nomem() was called) */
		return (ka == NULL) - (kb == NULL);
	for (k = keys, i = 0; k; k = k->next, i++) {
		const struct csl_ckey *a, *b;
		int c;
		if (ka[i] == KEY_LATER)
			ka[i] = make_key(sort_proc_for_cmp, sa, &sort_proc_for_cmp->s->bib, k, NULL);
		if (kb[i] == KEY_LATER)
			kb[i] = make_key(sort_proc_for_cmp, sb, &sort_proc_for_cmp->s->bib, k, NULL);
		a = ka[i], b = kb[i];
		if (!a && !b) continue;
		if (!a) return 1;
		if (!b) return -1;
		c = csl_ckey_cmp(a, b);
		if (c) return k->descending ? -c : c;
	}
	return 0;
}

static int
st_cmp(const void *x, const void *y)
{
	struct csl_istate *a = *(struct csl_istate *const *)x, *b = *(struct csl_istate *const *)y;
	int c = key_cmp(a->keys, b->keys, sort_keys_for_cmp, a, b);

	if (c) return c;
	return a->regorder - b->regorder;
}

static struct csl_ckey *
make_key(struct proc *p, struct csl_istate *st, const struct csl_section *sec,
    const struct csl_node *k, const struct cvbib_cite *cite)
{
	struct csl_rctx r;
	struct csl_ckey *key;
	char *s;

	csl_rctx_init(&r, p->s, &p->a, sec, st);
	r.cite = cite;
	s = csl_sort_key(&r, k);
	key = csl_ckey_new(s);
	free(s);
	arena_reset(p);
	return key;
}

/* The sort keys of st; later: all but the first are KEY_LATER. */
static struct csl_ckey **
make_keys(struct proc *p, struct csl_istate *st, const struct csl_section *sec,
    const struct cvbib_cite *cite, bool later)
{
	const struct csl_node *k;
	size_t nk = 0, i = 0;
	struct csl_ckey **keys;

	for (k = sec->sort; k; k = k->next) nk++;
	keys = calloc(nk + 1, sizeof(*keys));
	if (!keys) { cvb_nomem(); return NULL; }
	for (k = sec->sort; k; k = k->next, i++)
		keys[i] = later && i > 0 ? KEY_LATER : make_key(p, st, sec, k, cite);
	keys[nk] = (struct csl_ckey *)-1;
	return keys;
}

static bool
uses_citnum(const struct csl_node *n, int depth)
{
	for (; n && depth < 20; n = n->next) {
		if ((n->var.kind == CVB_VK_NUM && n->var.idx == CVB_V_CITATION_NUMBER))
			return true;
		if (n->macro && uses_citnum(n->macro->body, depth + 1)) return true;
		if (uses_citnum(n->kids, depth + 1)) return true;
	}
	return false;
}

static void
sort_bibliography(struct proc *p)
{
	size_t i;

	if (!p->s->bib.present || !p->s->bib.sort) return;
	for (i = 0; i < p->n; i++) {
		if (i + 1 < p->n) prefetch_item(p, &p->st[i + 1]);
		p->st[i].keys = make_keys(p, &p->st[i], &p->s->bib, NULL, true);
	}
	sort_keys_for_cmp = p->s->bib.sort;
	sort_proc_for_cmp = p;
	qsort(p->bib, p->n, sizeof(*p->bib), st_cmp);
	/* The entries are numbered in their order, counting down when the
	 * last key that reads citation-number sorts descending (a reversed
	 * numbered list), as citeproc-js numbers them; sorting by
	 * citation-number itself reads the numbers of first citation. */
	{
		const struct csl_node *k;
		bool down = false;
		for (k = p->s->bib.sort; k; k = k->next)
			if ((k->var.kind == CVB_VK_NUM && k->var.idx == CVB_V_CITATION_NUMBER) ||
			    (k->macro && uses_citnum(k->macro->body, 0)))
				down = k->descending;
		for (i = 0; i < p->n; i++)
			p->bib[i]->citnum = down ? (int)(p->n - i) : (int)i + 1;
	}
}

/* ------------------------------------------------------------ rendering */

static char *
render_cite_str_1(struct proc *p, struct csl_istate *st, const struct cvbib_cite *cite,
    int position, enum cvbib_outfmt fmt)
{
	struct csl_rctx r;
	struct csl_out *o;
	struct cvb_buf b = CVB_BUF_INIT;
	struct cvbib_cite dummy;

	memset(&dummy, 0, sizeof(dummy));
	csl_rctx_init(&r, p->s, &p->a, &p->s->cit, st);
	r.cite = cite ? cite : &dummy;
	r.position = position;
	r.just_looking = true;
	o = csl_render_layout(&r, p->s->cit.layout, false);
	if (o) csl_flatten(p->s, o, fmt, &b);
	return cvbib_buf_detach(&b, NULL);
}

static char *
render_cite_str(struct proc *p, struct csl_istate *st, const struct cvbib_cite *cite, int position, enum cvbib_outfmt fmt)
{
	char * x = render_cite_str_1(p, st, cite, position, fmt);
	arena_reset(p);
	return x;
}

/* ------------------------------------------------------------ disambiguation */

struct dent { char *s; struct csl_istate *st; };

static int
dent_cmp(const void *x, const void *y)
{
	const struct dent *a = x, *b = y;
	int c = strcmp(a->s, b->s);

	return c ? c : a->st->regorder - b->st->regorder;
}

/* v[i]: every cite rendered as text in the position given, sorted so that
 * those that read the same stand together */
static void
render_sorted(struct proc *p, struct dent *v, int position)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (i + 1 < p->n) prefetch_item(p, &p->st[i + 1]);
		v[i].st = &p->st[i];
		v[i].s = render_cite_str(p, &p->st[i], NULL, position, CVBIB_OUT_TEXT);
		if (!v[i].s) v[i].s = strdup("");
	}
	qsort(v, p->n, sizeof(*v), dent_cmp);
}

static size_t
max_names(struct csl_istate *st)
{
	size_t m = 0;
	int v;

	for (v = 0; v < CVB_NV__COUNT; v++) {
		size_t c = 0;
		const struct cvb_name *n;
		for (n = st->item->names[v]; n; n = n->next) c++;
		if (c > m) m = c;
	}
	return m;
}

static bool
name_eq(const struct cvb_name *a, const struct cvb_name *b)
{
#define S(x) ((a->x == NULL && b->x == NULL) || (a->x && b->x && strcmp(a->x, b->x) == 0))
	return S(family) && S(given) && S(literal) && S(non_dropping_particle) &&
	    S(dropping_particle) && S(suffix);
#undef S
}

/* Do two items have exactly the same names in every name variable? */
static bool
same_all_names(const struct cvb_item *a, const struct cvb_item *b)
{
	int v;

	for (v = 0; v < CVB_NV__COUNT; v++) {
		const struct cvb_name *x = a->names[v], *y = b->names[v];
		for (; x && y; x = x->next, y = y->next)
			if (!name_eq(x, y)) return false;
		if (x || y) return false;
	}
	return true;
}

/* How many others in g[0..n) render the same as each item. */
static int
vstr_cmp(const void *x, const void *y)
{
	const char *a = **(char **const *)x, *b = **(char **const *)y;

	if (!a || !b) return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * The disambiguation state each cite of a group was last rendered with, so
 * that a step re-renders only the cites it changed.
 */
struct vcache {
	int		*add;		/* add_names */
	unsigned char	*lv;		/* name_level, stride bytes each */
	size_t		 stride;
	bool		*valid;
};

static bool
vcache_hit(const struct vcache *vc, size_t i, const struct csl_istate *st)
{
	if (!vc || !vc->valid[i] || vc->add[i] != st->add_names) return false;
	return !st->name_level ||
	    memcmp(vc->lv + i * vc->stride, st->name_level, (size_t)st->nname_level) == 0;
}

static void
collisions(struct proc *p, struct csl_istate **g, size_t n, int *coll, char **v,
    struct vcache *vc)
{
	size_t i, j;
	char ***ord;

	for (i = 0; i < n; i++) {
		if (vcache_hit(vc, i, g[i])) continue;
		free(v[i]);
		v[i] = render_cite_str(p, g[i], NULL, POS_FIRST, CVBIB_OUT_TEXT);
		if (vc) {
			vc->add[i] = g[i]->add_names;
			vc->valid[i] = !g[i]->name_level || (size_t)g[i]->nname_level <= vc->stride;
			if (g[i]->name_level && vc->valid[i])
				memcpy(vc->lv + i * vc->stride, g[i]->name_level, (size_t)g[i]->nname_level);
		}
	}
	/* count equal strings through a sorted order: groups can be large */
	ord = malloc(n * sizeof(*ord));
	if (ord != NULL && n > 8) {
		for (i = 0; i < n; i++) ord[i] = &v[i];
		qsort(ord, n, sizeof(*ord), vstr_cmp);
		for (i = 0; i < n; i = j) {
			size_t k;
			for (j = i + 1; j < n && *ord[i] && *ord[j] && strcmp(*ord[i], *ord[j]) == 0; j++)
				;
			for (k = i; k < j; k++)
				coll[ord[k] - v] = *ord[k] ? (int)(j - i - 1) : 0;
		}
		free(ord);
		return;
	}
	free(ord);
	for (i = 0; i < n; i++) {
		coll[i] = 0;
		for (j = 0; j < n; j++)
			if (j != i && v[i] && v[j] && strcmp(v[i], v[j]) == 0) coll[i]++;
	}
}

/* coll[i] = 1 where v[i] is not NULL and equals another v[j] (sorted: groups can be large). */
static void
mark_equal(char **v, size_t n, int *coll)
{
	char ***ord = malloc((n + 1) * sizeof(*ord));
	size_t i, j, k;

	for (i = 0; i < n; i++) coll[i] = 0;
	if (!ord) return;
	for (i = 0; i < n; i++) ord[i] = &v[i];
	qsort(ord, n, sizeof(*ord), vstr_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && *ord[i] && *ord[j] && strcmp(*ord[i], *ord[j]) == 0; j++)
			;
		if (j - i > 1 && *ord[i])
			for (k = i; k < j; k++) coll[ord[k] - v] = 1;
	}
	free(ord);
}

/*
 * The items of g[] with coll[i] set (their cites read like others) have
 * disambiguation level 1: those that still read like another one get the
 * next level, one disambiguate="true" test more, until none does or the
 * style has no more such tests (citeproc-js's order).  v[]: scratch.
 */
static void
disamb_levels(struct proc *p, struct csl_istate **g, size_t n, int *coll, char **v, int pos)
{
	int lvl;
	size_t i;

	for (lvl = 1; lvl < p->s->n_disamb_tests; lvl++) {
		bool more = false;
		for (i = 0; i < n; i++) {
			free(v[i]);
			v[i] = g[i]->disamb ? render_cite_str(p, g[i], NULL, pos, CVBIB_OUT_TEXT) : NULL;
		}
		mark_equal(v, n, coll);
		for (i = 0; i < n; i++)
			if (coll[i] && g[i]->disamb == lvl) { g[i]->disamb = lvl + 1; more = true; }
		if (!more) break;
	}
}

/*
 * Disambiguate a set of items whose cites render the same, as citeproc-js
 * does: step by step add names, then expand given names one name at a time
 * (by-cite rule); a step is kept for the items it helped (fewer items
 * render like them) and undone for the others.  What stays ambiguous gets
 * year suffixes (when the style allows) or the disambiguate condition.
 */
static void
disambiguate_group(struct proc *p, struct csl_istate **g, size_t n, int *ysuffix_mark)
{
	const struct csl_section *c = &p->s->cit;
	size_t i, mx = 0;
	int *coll = calloc(n, sizeof(int)), *coll2 = calloc(n, sizeof(int));
	int *saved = calloc(n, sizeof(int));
	char **v = calloc(n, sizeof(char *));
	int add, k, lvl;
	bool given = c->disamb_given && c->given_rule == 0;
	bool left;
	unsigned char *snap = NULL;
	int *before = NULL, *sadd = NULL;
	struct vcache vc, *vcp = NULL;

	memset(&vc, 0, sizeof(vc));
	if (!coll || !coll2 || !saved || !v) goto out;
	/* items with the very same names cannot be told apart by names:
	 * straight to year suffixes (this keeps large lists linear) */
	for (i = 1; i < n; i++)
		if (!same_all_names(g[0]->item, g[i]->item)) break;
	if (i == n) {
		for (i = 0; i < n; i++) coll[i] = 1;
		goto rest;
	}
	for (i = 0; i < n; i++) if (max_names(g[i]) > mx) mx = max_names(g[i]);
	vc.stride = mx + 1;
	vc.add = calloc(n, sizeof(int));
	vc.lv = calloc(n * vc.stride + 1, 1);
	vc.valid = calloc(n, sizeof(bool));
	vcp = vc.add && vc.lv && vc.valid ? &vc : NULL;
	if (given)
		for (i = 0; i < n; i++) {
			if (!g[i]->name_level) {
				g[i]->name_level = calloc(mx + 1, 1);
				g[i]->nname_level = g[i]->name_level ? (int)mx : 0;
			}
		}
	collisions(p, g, n, coll, v, vcp);
	snap = calloc(n * (mx + 1) + 1, 1);
	before = calloc(n, sizeof(int));
	sadd = calloc(n, sizeof(int));
	if (!snap || !before || !sadd) goto out;
	for (add = 0; add <= (c->disamb_names ? (int)mx : 0); add++) {
		left = false;
		for (i = 0; i < n; i++) if (coll[i]) left = true;
		if (!left) break;
		/* a step: more names (and given names for them); kept where it helped */
		for (i = 0; i < n; i++) {
			before[i] = coll[i];
			sadd[i] = g[i]->add_names;
			if (g[i]->name_level) memcpy(snap + i * (mx + 1), g[i]->name_level, (size_t)g[i]->nname_level);
			if (coll[i] && add > 0) g[i]->add_names = add;
		}
		if (add > 0) collisions(p, g, n, coll, v, vcp);
		if (given) {
		for (k = 0; k < (int)mx; k++)
			for (lvl = 1; lvl <= 2; lvl++) {
				left = false;
				for (i = 0; i < n; i++) if (coll[i]) left = true;
				if (!left) break;
				for (i = 0; i < n; i++) {
					saved[i] = g[i]->nname_level > k ? g[i]->name_level[k] : 0;
					if (coll[i] && g[i]->nname_level > k && g[i]->name_level[k] < lvl)
						g[i]->name_level[k] = (unsigned char)lvl;
				}
				collisions(p, g, n, coll2, v, vcp);
				for (i = 0; i < n; i++) {
					if (!coll[i] || g[i]->nname_level <= k) continue;
					if (coll2[i] < coll[i]) coll[i] = coll2[i];
					else g[i]->name_level[k] = (unsigned char)saved[i];
				}
				collisions(p, g, n, coll, v, vcp);
			}
		}
		for (i = 0; i < n; i++) {
			if (!before[i] || coll[i] < before[i]) continue;
			g[i]->add_names = sadd[i];
			if (g[i]->name_level) memcpy(g[i]->name_level, snap + i * (mx + 1), (size_t)g[i]->nname_level);
		}
		collisions(p, g, n, coll, v, vcp);
	}
rest:
	for (i = 0; i < n; i++) {
		if (!coll[i]) continue;
		if (c->disamb_ysuffix) ysuffix_mark[g[i]->regorder] = 1;
		else g[i]->disamb = 1;
	}
	if (!c->disamb_ysuffix) disamb_levels(p, g, n, coll, v, POS_FIRST);
out:
	if (v) for (i = 0; i < n; i++) free(v[i]);
	free(v); free(coll); free(coll2); free(saved);
	free(snap); free(before); free(sadd);
	free(vc.add); free(vc.lv); free(vc.valid);
}

/* all-names / primary-name rules: expand names that are ambiguous anywhere. */
struct gname { const char *family, *given, *ndp; unsigned char *slot; };

static int
gname_fam(const struct gname *a, const struct gname *b)
{
	int c = strcmp(a->family, b->family);

	if (c) return c;
	return strcmp(a->ndp ? a->ndp : "", b->ndp ? b->ndp : "");
}

/* Given names compared without spaces and periods: "J. J." is "J.J." */
static int
given_cmp(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '.') a++;
		while (*b == ' ' || *b == '.') b++;
		if (*a != *b || !*a) return (unsigned char)*a - (unsigned char)*b;
		a++; b++;
	}
}

static int
gname_cmp(const void *x, const void *y)
{
	const struct gname *a = x, *b = y;
	int c = gname_fam(a, b);

	if (c) return c;
	return given_cmp(a->given, b->given);
}

/* The initials of a given name as a key: the first character of each part
 * ("Jan Jacob", "J. J." and "Jan-Jacob" all give "JJ"). */
static void
initials_key(const char *g, char *buf, size_t size)
{
	size_t n = 0;
	bool start = true;

	for (; *g && n + 5 < size; g++) {
		unsigned char c = (unsigned char)*g;
		if (c == ' ' || c == '.' || c == '-') { start = true; continue; }
		if (start) {
			/* the whole UTF-8 character */
			buf[n++] = (char)c;
			while ((((unsigned char)g[1]) & 0xc0) == 0x80 && n + 1 < size) buf[n++] = *++g;
			start = false;
		}
	}
	buf[n] = 0;
}

static const struct cvb_name *
gnames_of(const struct csl_istate *st)
{
	return st->item->names[CVB_NV_AUTHOR] ? st->item->names[CVB_NV_AUTHOR] : st->item->names[CVB_NV_EDITOR];
}

/* Sorted by family then given, each family group is examined once:
 * O(n log n) in the number of names. */
static void
global_givenname(struct proc *p)
{
	const struct csl_section *c = &p->s->cit;
	bool initials = c->given_rule == 2 || c->given_rule == 4;
	bool primary = c->given_rule == 3 || c->given_rule == 4;
	struct gname *v;
	size_t i, j, nv = 0, total = 0;

	for (i = 0; i < p->n; i++) {
		const struct cvb_name *n;
		int nn = 0;
		for (n = gnames_of(&p->st[i]); n; n = n->next) nn++;
		if (!nn) continue;
		p->st[i].name_level = calloc((size_t)nn, 1);
		p->st[i].nname_level = p->st[i].name_level ? nn : 0;
		total += (size_t)nn;
	}
	v = calloc(total + 1, sizeof(*v));
	if (!v) return;
	for (i = 0; i < p->n; i++) {
		const struct cvb_name *n;
		int k = 0;
		if (!p->st[i].name_level) continue;
		for (n = gnames_of(&p->st[i]); n; n = n->next, k++) {
			if (primary && k > 0) break;
			if (!n->family || !n->given) continue;
			v[nv].family = n->family;
			v[nv].ndp = n->non_dropping_particle;
			v[nv].given = n->given;
			v[nv].slot = &p->st[i].name_level[k];
			nv++;
		}
	}
	qsort(v, nv, sizeof(*v), gname_cmp);
	for (i = 0; i < nv; i = j) {
		size_t k, distinct = 0;
		for (j = i; j < nv && gname_fam(&v[j], &v[i]) == 0; j++)
			if (j == i || given_cmp(v[j].given, v[j - 1].given) != 0) distinct++;
		if (distinct < 2) continue;
		/* distinct given names with the same initials ("Jan" and "Jan
		 * Jacob" differ: "J." and "J. J."); the group is sorted, so equal
		 * given names are neighbours */
		for (k = i; k < j; k++) {
			char ik[64], ok[64];
			size_t m, same_init = 0;
			initials_key(v[k].given, ik, sizeof(ik));
			for (m = i; m < j; m++)
				if (m == i || given_cmp(v[m].given, v[m - 1].given) != 0) {
					initials_key(v[m].given, ok, sizeof(ok));
					if (strcmp(ik, ok) == 0) same_init++;
				}
			if (initials)
				/* initials help only against different initials */
				*v[k].slot = distinct - same_init ? 1 : 0;
			else
				*v[k].slot = (unsigned char)(same_init < 2 ? 1 : 2);
		}
	}
	free(v);
}

struct ysent_k { char *s; size_t bibpos; struct csl_istate *st; };

static int
ysent_cmp(const void *x, const void *y)
{
	const struct ysent_k *a = x, *b = y;
	int c = strcmp(a->s ? a->s : "", b->s ? b->s : "");

	if (c) return c;
	return a->bibpos < b->bibpos ? -1 : a->bibpos > b->bibpos;
}

static void
disambiguate(struct proc *p)
{
	const struct csl_section *c = &p->s->cit;
	struct dent *v;
	int *mark;
	size_t i, j;
	bool subs = false;

	if (!c->present || p->n < 2) return;
	/* nothing to do when the style asks for no disambiguation at all */
	if (!c->disamb_names && !c->disamb_given && !c->disamb_ysuffix && !p->s->uses_disamb_cond)
		return;
	if (c->disamb_given && c->given_rule >= 1)
		global_givenname(p);
	v = calloc(p->n, sizeof(*v));
	mark = calloc(p->n, sizeof(*mark));
	if (!v || !mark) { free(v); free(mark); return; }
	/* cites that render the same in the first position */
	render_sorted(p, v, POS_FIRST);
	for (i = 0; i < p->n; i = j) {
		for (j = i + 1; j < p->n && strcmp(v[i].s, v[j].s) == 0; j++)
			;
		if (j - i > 1 && v[i].s[0]) {
			struct csl_istate **g = calloc(j - i, sizeof(*g));
			size_t k;
			if (!g) continue;
			for (k = i; k < j; k++) g[k - i] = v[k].st;
			disambiguate_group(p, g, j - i, mark);
			free(g);
		}
	}
	for (i = 0; i < p->n; i++) free(v[i].s);
	/* a style that shortens name lists in subsequent cites
	 * (et-al-subsequent-*) and adds year suffixes but no names: cites
	 * that read the same in that shorter form get suffixes too, as in
	 * citeproc-js (with add-names, names tell them apart instead) */
	if (c->disamb_ysuffix && !c->disamb_names &&
	    ((c->no.set | p->s->no.set) & (NO_ETALSUBMIN | NO_ETALSUBFIRST))) {
		subs = true;
		render_sorted(p, v, POS_SUBSEQUENT);
		for (i = 0; i < p->n; i = j) {
			size_t k;
			for (j = i + 1; j < p->n && strcmp(v[i].s, v[j].s) == 0; j++)
				;
			if (j - i > 1 && v[i].s[0])
				for (k = i; k < j; k++) mark[v[k].st->regorder] = 1;
		}
		for (i = 0; i < p->n; i++) free(v[i].s);
	}
	/* year suffixes in bibliography order, per group of identical cites */
	{
		struct ysent_k *y = NULL;
		size_t ny = 0, b;
		for (i = 0; i < p->n; i++) if (mark[i]) ny++;
		if (ny) y = calloc(ny, sizeof(*y));
		if (y) {
			size_t k = 0;
			for (b = 0; b < p->n; b++) {
				struct csl_istate *st = p->bib[b];
				if (!mark[st->regorder]) continue;
				y[k].s = render_cite_str(p, st, NULL, subs ? POS_SUBSEQUENT : POS_FIRST, CVBIB_OUT_TEXT);
				y[k].bibpos = b;
				y[k].st = st;
				k++;
			}
			ny = k;
			qsort(y, ny, sizeof(*y), ysent_cmp);
			for (i = 0; i < ny; i = j) {
				int next = 1;
				for (j = i; j < ny && strcmp(y[j].s ? y[j].s : "", y[i].s ? y[i].s : "") == 0; j++)
					y[j].st->ysuffix = next++;
			}
			for (i = 0; i < ny; i++) free(y[i].s);
			free(y);
		}
	}
	/* cites that still render the same in a subsequent position get the
	 * disambiguate condition (short forms of note styles) */
	for (i = 0; i < p->n && !p->st[i].subsequent; i++)
		;
	if (i == p->n) { free(v); free(mark); return; }
	render_sorted(p, v, POS_SUBSEQUENT);
	for (i = 0; i < p->n; i = j) {
		for (j = i + 1; j < p->n && strcmp(v[i].s, v[j].s) == 0; j++)
			;
		if (j - i > 1 && v[i].s[0]) {
			size_t k, m = 0;
			struct csl_istate **g = calloc(j - i, sizeof(*g));
			int *coll = calloc(j - i, sizeof(int));
			char **vs = calloc(j - i, sizeof(char *));
			/* only cites that do appear in a subsequent position */
			for (k = i; k < j; k++)
				if (v[k].st->subsequent && !v[k].st->disamb) {
					v[k].st->disamb = 1;
					if (g) g[m++] = v[k].st;
				}
			if (g && coll && vs) {
				disamb_levels(p, g, m, coll, vs, POS_SUBSEQUENT);
				for (k = 0; k < m; k++) free(vs[k]);
			}
			free(g); free(coll); free(vs);
		}
	}
	for (i = 0; i < p->n; i++) free(v[i].s);
	free(v);
	free(mark);
}

/* ------------------------------------------------------------ bibliography */

/* The single names under o, in order. */
static void
collect_names(struct csl_out *o, struct csl_out **v, size_t *n, size_t max)
{
	struct csl_out *k;

	if (!o || *n >= max) return;
	if (o->flags & CO_NAME) { v[(*n)++] = o; return; }
	for (k = o->kids; k; k = k->next) collect_names(k, v, n, max);
}

/* Replace a names output (or one name) with the substitute string. */
static void
substitute_names(struct proc *p, struct csl_out *names, const char *sub)
{
	(void)p;
	names->kids = NULL;
	names->last = NULL;
	names->text = sub;
	names->delim = NULL;
	names->f.prefix = names->f.prefix;
}

static char *
render_bib_entry_1(struct proc *p, struct csl_istate *st, enum cvbib_outfmt fmt,
    char **prev_names)
{
	struct csl_rctx r;
	struct csl_out *o;
	struct cvb_buf b = CVB_BUF_INIT;
	const struct csl_section *sec = &p->s->bib;
	struct cvbib_cite dummy;

	memset(&dummy, 0, sizeof(dummy));
	csl_rctx_init(&r, p->s, &p->a, sec, st);
	r.bib = true;
	r.cite = &dummy;
	o = csl_render_layout(&r, sec->layout, false);
	if (!o) return strdup("");
	if (sec->subseq_author && prev_names) {
		char *cur = NULL;
		struct csl_out *target = r.first_namelist ? r.first_namelist : r.first_names;
		struct csl_out *nm[256];
		size_t nn = 0, k;
		if (target) {
			struct cvb_buf nb = CVB_BUF_INIT;
			/* "whole list" 0x1d "name" 0x1e "name" ... */
			csl_flatten(p->s, target, CVBIB_OUT_TEXT, &nb);
			cvb_buf_addch(&nb, 0x1d);
			collect_names(target, nm, &nn, CVB_ARRAY_SIZE(nm));
			for (k = 0; k < nn; k++) {
				if (k) cvb_buf_addch(&nb, 0x1e);
				csl_flatten(p->s, nm[k], CVBIB_OUT_TEXT, &nb);
			}
			cur = cvbib_buf_detach(&nb, NULL);
		}
		if (cur && *prev_names && target) {
			const char *pn = strchr(*prev_names, 0x1d), *cn = strchr(cur, 0x1d);
			bool all = strcmp(cur, *prev_names) == 0;
			switch (sec->subseq_rule) {
			case 0:	/* complete-all */
				if (all) substitute_names(p, target, sec->subseq_author);
				break;
			case 1:	/* complete-each */
				if (all && nn == 0) substitute_names(p, target, sec->subseq_author);
				if (all) for (k = 0; k < nn; k++) substitute_names(p, nm[k], sec->subseq_author);
				break;
			default: /* partial-each, partial-first */
				if (nn == 0 && all) substitute_names(p, target, sec->subseq_author);
				for (k = 0; k < nn && pn && cn; k++) {
					size_t pl = strcspn(pn + 1, "\x1e"), cl = strcspn(cn + 1, "\x1e");
					if (pl != cl || strncmp(pn + 1, cn + 1, pl) != 0) break;
					substitute_names(p, nm[k], sec->subseq_author);
					if (sec->subseq_rule == 3) break;
					pn = pn[1 + pl] ? pn + 1 + pl : NULL;
					cn = cn[1 + cl] ? cn + 1 + cl : NULL;
				}
			}
		}
		free(*prev_names);
		*prev_names = cur;
	}
	{
		const struct csl_fmt *lf = &sec->layout->f;
		struct csl_out *outer = csl_out_new(&r, NULL);
		if (!outer) goto nomem;
		outer->f = *lf;
		outer->f.prefix = outer->f.suffix = NULL;
		if (sec->second_field_align && o->kids && o->kids->next) {
			struct csl_out *left = csl_out_new(&r, NULL), *right = csl_out_new(&r, NULL);
			struct csl_out *first = o->kids;
			if (!left || !right) goto nomem;
			right->kids = first->next;
			right->last = o->last;
			first->next = NULL;
			csl_out_add(left, first);
			left->f.display = DI_LEFT;
			left->f.prefix = lf->prefix;
			right->f.display = DI_RIGHT;
			right->f.suffix = lf->suffix;
			csl_out_add(outer, left);
			csl_out_add(outer, right);
			csl_flatten(p->s, outer, fmt, &b);
			return cvbib_buf_detach(&b, NULL);
		}
		o->f.prefix = lf->prefix;
		o->f.suffix = lf->suffix;
		{
			/* the layout suffix goes inside a last display block (as
			 * citeproc-js): "<div class="csl-right-inline">...Here.</div>" */
			struct csl_out *k, *lk = NULL;
			const struct csl_node *first = sec->layout->kids, *last = first;
			for (k = o->kids; k; k = k->next)
				if (!csl_out_empty(k)) lk = k;
			while (last && last->next) last = last->next;
			/* and when the layout's first element has a display
			 * attribute, citeproc-js makes the layout suffix the suffix
			 * of its last element: lost when that is a macro call that
			 * rendered nothing (<text macro="doi"/> for an item without
			 * a DOI), in place of the element's own suffix otherwise */
			if (lf->suffix && !o->text && first && first->f.display) {
				if (r.layout_last_empty && last->type == CN_TEXT && last->macro_name) {
					o->f.suffix = NULL;
					lk = NULL;
				} else if (lk && !lk->f.display) {
					lk->f.suffix = lf->suffix;
					o->f.suffix = NULL;
				}
			}
			if (lf->suffix && !o->text && lk && lk->f.display) {
				struct csl_out *w = csl_out_new(&r, NULL);
				int disp = lk->f.display;
				if (!w) goto nomem;
				*w = *lk;
				w->next = NULL;
				w->f.display = 0;
				memset(&lk->f, 0, sizeof(lk->f));
				lk->f.display = disp;
				lk->f.suffix = lf->suffix;
				lk->text = NULL;
				lk->kids = lk->last = w;
				lk->delim = NULL;
				lk->flags = 0;
				o->f.suffix = NULL;
			}
		}
		csl_out_add(outer, o);
		o = outer;
	}
	csl_flatten(p->s, o, fmt, &b);
	return cvbib_buf_detach(&b, NULL);
nomem:	/* an output node could not be allocated (cvb_nomem() was called) */
	cvbib_buf_release(&b);
	return NULL;
}

static char *
render_bib_entry(struct proc *p, struct csl_istate *st, enum cvbib_outfmt fmt, char **prev_names)
{
	char * x = render_bib_entry_1(p, st, fmt, prev_names);
	arena_reset(p);
	return x;
}

/* ------------------------------------------------------------ citations */

struct cinfo {
	struct csl_istate *st;
	struct cvbib_cite *c;
	char	*text;		/* rendered cite */
	char	*names;		/* rendered first names, plain */
	char	*nonames;	/* rendered without the names */
	int	 year;
	struct csl_ckey **keys;
};

static const struct csl_node *cite_keys;

static int
ci_cmp(const void *x, const void *y)
{
	const struct cinfo *a = x, *b = y;
	int c = key_cmp(a->keys, b->keys, cite_keys, NULL, NULL);

	return c ? c : (int)(a->c - b->c);
}

static struct csl_out *
first_leaf(struct csl_out *o)
{
	struct csl_out *k, *f;

	if (!o || csl_out_empty(o)) return NULL;
	if (o->text) return o;
	for (k = o->kids; k; k = k->next)
		if ((f = first_leaf(k))) return f;
	return NULL;
}

/* A term opening a citation (or following a sentence-ending prefix) is capitalized. */
static void
capitalize_first_term(struct csl_rctx *r, struct csl_out *o)
{
	struct csl_out *l = first_leaf(o);
	uint32_t c;
	int n;
	struct cvb_buf b = CVB_BUF_INIT;

	if (!l || !(l->flags & CO_TERM) || (o->f.prefix && *o->f.prefix)) return;
	if (!r->s->class_note && strncmp(l->text, "ibid", 4) != 0) return;
	n = cvb_utf8_decode(l->text, strlen(l->text), &c);
	if (!cvb_uc_islower(c)) return;
	cvb_buf_addcp(&b, cvb_uc_upper(c));
	cvb_buf_adds(&b, l->text + n);
	l->text = cvb_arena_strdup(r->a, b.buf);
	cvbib_buf_release(&b);
}

static void
cite_render_1(struct proc *p, struct cinfo *ci, enum cvbib_outfmt fmt, bool first)
{
	struct csl_rctx r;
	struct csl_out *o;
	struct cvb_buf b = CVB_BUF_INIT;

	csl_rctx_init(&r, p->s, &p->a, &p->s->cit, ci->st);
	r.cite = ci->c;
	r.position = ci->c->position;
	r.near_note = ci->c->near_note;
	o = csl_render_layout(&r, p->s->cit.layout, false);
	if (o && r.first_names) {
		struct cvb_buf nb = CVB_BUF_INIT;
		csl_flatten(p->s, r.first_names, CVBIB_OUT_TEXT, &nb);
		ci->names = cvbib_buf_detach(&nb, NULL);
	}
	if (o && ci->c->author_only) {
		o = r.first_names;
		if (o) { o->f.prefix = NULL; o->f.suffix = NULL; }
	} else if (o && ci->c->suppress_author && r.first_names) {
		r.first_names->kids = NULL; r.first_names->text = "";
	}
	if (o) {
		const char *pf = ci->c->prefix;
		size_t pl = pf ? strlen(pf) : 0;
		while (pl > 0 && pf[pl - 1] == ' ') pl--;
		/* closing quotes after the full stop */
		while (pl >= 3 && (strncmp(pf + pl - 3, "\xe2\x80\x9d", 3) == 0 || strncmp(pf + pl - 3, "\xe2\x80\x99", 3) == 0)) pl -= 3;
		while (pl > 0 && (pf[pl - 1] == '"' || pf[pl - 1] == '\'')) pl--;
		/* a prefix ends a sentence when it ends in . ! ? and is more than
		 * one word ("Nocapsafter. ibid." stays), as citeproc-js has it */
		if (first && (!pf || pl == 0))
			capitalize_first_term(&r, o);
		else if (pf && pl > 0 && strchr(".!?", pf[pl - 1]) && memchr(pf, ' ', pl))
			capitalize_first_term(&r, o);
	}
	if (o && (ci->c->prefix || ci->c->suffix)) {
		struct csl_out *w = csl_out_new(&r, NULL);
		if (ci->c->prefix) csl_out_add(w, csl_out_new(&r, ci->c->prefix));
		csl_out_add(w, o);
		if (ci->c->suffix) csl_out_add(w, csl_out_new(&r, ci->c->suffix));
		o = w;
	}
	if (o) {
		const struct csl_fmt *lf = &p->s->cit.layout->f;
		unsigned in = (lf->font_style == FS_ITALIC ? CSL_IN_ITALIC : 0) |
		    (lf->font_weight == FW_BOLD ? CSL_IN_BOLD : 0) |
		    (lf->font_variant == FV_SMALLCAPS ? CSL_IN_SC : 0);
		csl_flatten_in(p->s, o, fmt, &b, in);
	}
	/* a cite that prints nothing says so, as citeproc-js does */
	if (b.len == 0 && !ci->c->suppress_author && !ci->c->author_only)
		cvb_buf_adds(&b, "[CSL STYLE ERROR: reference with no printed form.]");
	ci->text = cvbib_buf_detach(&b, NULL);
	if (o && r.first_names && !ci->c->author_only) {
		struct cvb_buf nb = CVB_BUF_INIT;
		r.first_names->kids = NULL; r.first_names->text = "";
		csl_flatten(p->s, o, fmt, &nb);
		ci->nonames = cvbib_buf_detach(&nb, NULL);
	}
	{
		const struct cvb_date *d = ci->st->item->date[CVB_DV_ISSUED];
		ci->year = d && d->nparts[0] ? d->parts[0][0] : 0;
	}
}

static void
cite_render(struct proc *p, struct cinfo *ci, enum cvbib_outfmt fmt, bool first)
{
	cite_render_1(p, ci, fmt, first);
	arena_reset(p);
	
}

static const char *
ysfx(int n, char *buf)
{
	char tmp[16];
	int i = 0, j;

	while (n > 0 && i < 15) { n--; tmp[i++] = (char)('a' + n % 26); n /= 26; }
	for (j = 0; j < i; j++) buf[j] = tmp[i - 1 - j];
	buf[i] = 0;
	return buf;
}

/* Bring the cites with the same names together (ci sorted). */
static void
group_same_names(struct cinfo *ci, size_t n)
{
	size_t a, b2;

	for (a = 0; a < n; a++) {
		if (!ci[a].names) continue;
		for (b2 = a + 1; b2 < n; b2++) {
			if (ci[b2].names && strcmp(ci[b2].names, ci[a].names) == 0) {
				/* move b2 right after the last of a's run */
				size_t at = a + 1;
				while (at < b2 && ci[at].names && strcmp(ci[at].names, ci[a].names) == 0) at++;
				if (at < b2) {
					struct cinfo t = ci[b2];
					memmove(&ci[at + 1], &ci[at], (b2 - at) * sizeof(*ci));
					ci[at] = t;
				}
			}
		}
	}
}

/* Collapsed citation numbers: "1–3". */
static void
collapse_numbers(const struct csl_section *sec, struct cinfo *ci, size_t n, const char *delim,
    struct cvb_buf *body)
{
	size_t k = 0;
	while (k < n) {
		size_t e = k;
		while (e + 1 < n && ci[e + 1].st->citnum == ci[e].st->citnum + 1 &&
		    !ci[e + 1].c->locator && !ci[e].c->locator && !ci[e + 1].c->prefix && !ci[e + 1].c->suffix)
			e++;
		if (k) cvb_buf_adds(body, e > k ? (sec->after_collapse_delim ? sec->after_collapse_delim : delim) : delim);
		if (e >= k + 2) {
			cvb_buf_adds(body, ci[k].text);
			cvb_buf_adds(body, "\xe2\x80\x93");
			cvb_buf_adds(body, ci[e].text);
		} else {
			size_t x;
			for (x = k; x <= e; x++) {
				if (x > k) cvb_buf_adds(body, delim);
				cvb_buf_adds(body, ci[x].text);
			}
		}
		k = e + 1;
	}
}

static void
render_citation(struct proc *p, struct cvbib_citation *cit, enum cvbib_outfmt fmt, struct cvb_buf *out)
{
	const struct csl_section *sec = &p->s->cit;
	struct cinfo *ci = calloc(cit->ncites + 1, sizeof(*ci));
	size_t i, n = 0;
	const char *delim = sec->layout->delimiter ? sec->layout->delimiter : "";
	struct cvb_buf body = CVB_BUF_INIT;
	bool grouping = sec->collapse >= 2 || sec->cite_group_delim;

	if (!ci) { cvb_nomem(); return; }
	for (i = 0; i < cit->ncites; i++) {
		struct csl_istate *st = find_item(p, cit->cites[i].id);
		if (!st) {
			cvb_diag(p->d, CVB_D_USAGE, NULL, 0, 0, "cited item not found: '%s'", cit->cites[i].id ? cit->cites[i].id : "");
			continue;
		}
		ci[n].st = st;
		ci[n].c = &cit->cites[i];
		n++;
	}
	if (sec->sort) {
		for (i = 0; i < n; i++) ci[i].keys = make_keys(p, ci[i].st, sec, ci[i].c, false);
		cite_keys = sec->sort;
		qsort(ci, n, sizeof(*ci), ci_cmp);
	}
	for (i = 0; i < n; i++) cite_render(p, &ci[i], fmt, i == 0);
	if (grouping && sec->sort)
		group_same_names(ci, n);
	if (sec->collapse == 1) {
		collapse_numbers(sec, ci, n, delim, &body);
	} else if (grouping) {
		size_t k = 0;
		/* no cite-group-delimiter: ", " in in-text styles, else the layout's (citeproc-js) */
		const char *gd = sec->cite_group_delim ? sec->cite_group_delim : !p->s->class_note ? ", " : delim;
		const char *acd = sec->after_collapse_delim ? sec->after_collapse_delim : delim;
		bool prev_collapsed = false;
		while (k < n) {
			size_t e = k, x;
			/* cites without names (a layout with none) group together too */
			while (e + 1 < n && strcmp(ci[e + 1].names ? ci[e + 1].names : "", ci[k].names ? ci[k].names : "") == 0 &&
			    (ci[k].names || sec->collapse >= 3) &&
			    !ci[e + 1].c->prefix)
				e++;
			if (k) cvb_buf_adds(&body, prev_collapsed || (sec->after_collapse_delim && sec->collapse == 2) ? acd : delim);
			cvb_buf_adds(&body, ci[k].text);
			for (x = k + 1; x <= e; x++) {
				const char *t = sec->collapse >= 2 && ci[x].nonames ? ci[x].nonames : ci[x].text;
				if (sec->collapse >= 3 && ci[x].st->ysuffix && ci[x - 1].st->ysuffix &&
				    ci[x].year == ci[x - 1].year && !ci[x].c->locator && !ci[x - 1].c->locator) {
					char yb[16];
					/* ranged: a–c for three or more */
					if (sec->collapse == 4) {
						size_t y = x;
						while (y + 1 <= e && ci[y + 1].st->ysuffix == ci[y].st->ysuffix + 1 && ci[y + 1].year == ci[x].year && !ci[y + 1].c->locator) y++;
						if (y >= x + 1 && ci[x].st->ysuffix == ci[x - 1].st->ysuffix + 1) {
							cvb_buf_adds(&body, "\xe2\x80\x93");
							cvb_buf_adds(&body, ysfx(ci[y].st->ysuffix, yb));
							x = y;
							continue;
						}
					}
					cvb_buf_adds(&body, sec->ysuffix_delim ? sec->ysuffix_delim : sec->cite_group_delim ? sec->cite_group_delim : delim);
					cvb_buf_adds(&body, ysfx(ci[x].st->ysuffix, yb));
					continue;
				}
				if (!t || !*t) continue;
				/* after a cite with a locator, the after-collapse delimiter */
				if (ci[x - 1].c->locator && sec->collapse >= 2) { cvb_buf_adds(&body, acd); cvb_buf_adds(&body, t); continue; }
				cvb_buf_adds(&body, x > k + 1 && sec->collapse >= 3 && ci[x - 1].st->ysuffix && ci[x - 2].st->ysuffix &&
				    ci[x - 1].year == ci[x - 2].year && ci[x].year != ci[x - 1].year ? acd : gd);
				cvb_buf_adds(&body, t);
			}
			prev_collapsed = e > k && sec->collapse >= 2;
			k = e + 1;
		}
	} else {
		for (i = 0; i < n; i++) {
			if (i && !(ci[i].c->prefix && strchr(",;:.", ci[i].c->prefix[0]))) {
				/* no doubled punctuation after a cite suffix */
				const char *dl = delim;
				if (body.len && body.buf[body.len - 1] == ',' && strchr(",;", dl[0])) dl++;
				cvb_buf_adds(&body, dl);
			}
			cvb_buf_adds(&body, ci[i].text);
		}
	}
	/* the layout's affixes and formatting around the whole */
	if (body.len) {
		struct csl_rctx r;
		struct csl_out *o;
		csl_rctx_init(&r, p->s, &p->a, sec, NULL);
		(void)r;
		o = NULL;
		{
			const struct csl_fmt *f = &sec->layout->f;
			struct cvb_buf tmp = CVB_BUF_INIT;
			/* format an empty wrapper to get the markup, then splice */
			struct csl_out w, k, m;
			memset(&w, 0, sizeof(w)); memset(&k, 0, sizeof(k)); memset(&m, 0, sizeof(m));
			k.text = "\x01";
			m.kids = m.last = &k;
			m.f.prefix = f->prefix;
			m.f.suffix = f->suffix;
			w.kids = w.last = &m;
			w.f = *f;
			w.f.prefix = w.f.suffix = NULL;
			w.f.text_case = 0;
			csl_flatten(p->s, &w, fmt, &tmp);
			{
				char *mark = strchr(tmp.buf, '\x01');
				if (mark) {
					cvb_buf_add(out, tmp.buf, (size_t)(mark - tmp.buf));
					/* a prefix ending in punctuation already in the body is fine */
					cvb_buf_add(out, body.buf, body.len);
					{
						const char *rest = mark + 1;
						/* drop a suffix period when the body ends with one */
						if (*rest == '.' && body.len && (body.buf[body.len - 1] == '.')) rest++;
						/* punctuation-in-quote across the layout suffix */
						if ((*rest == '.' || *rest == ',') && p->s->loc.punct_in_quote &&
						    out->len >= 3 && (strcmp(out->buf + out->len - 3, "\xe2\x80\x9d") == 0 ||
						    strcmp(out->buf + out->len - 3, "\xe2\x80\x99") == 0)) {
							char q[4];
							memcpy(q, out->buf + out->len - 3, 4);
							out->len -= 3;
							if (!(out->len && strchr(".?!", out->buf[out->len - 1]) && *rest == '.'))
								cvb_buf_addch(out, *rest);
							cvb_buf_adds(out, q);
							rest++;
						}
						cvb_buf_adds(out, rest);
					}
				} else
					cvb_buf_add(out, body.buf, body.len);
			}
			cvbib_buf_release(&tmp);
		}
		(void)o;
	}
	cvbib_buf_release(&body);
	for (i = 0; i < n; i++) {
		free(ci[i].text); free(ci[i].names); free(ci[i].nonames);
		if (ci[i].keys) {
			size_t k;
			for (k = 0; ci[i].keys[k] != (struct csl_ckey *)-1; k++) free(ci[i].keys[k]);
			free(ci[i].keys);
		}
	}
	free(ci);
}

/* Is cite c ibid, ibid-with-locator or subsequent after cite pc of the same item? */
static int
ibid_position(const struct cvbib_cite *pc, const struct cvbib_cite *c)
{
	const char *pl = pc->locator, *cl = c->locator;

	if (!cl && pl) return POS_SUBSEQUENT;
	if (cl && (!pl || strcmp(pl, cl) != 0 ||
	    strcmp(pc->label ? pc->label : "page", c->label ? c->label : "page") != 0))
		return POS_IBID_LOC;
	return POS_IBID;
}

static bool
same_id(const struct cvbib_cite *a, const struct cvbib_cite *b)
{
	return a->id && b->id && strcmp(a->id, b->id) == 0;
}

/*
 * Positions of every cite, in document order, as citeproc-js computes them:
 * the citations in the text (note 0) and those in notes are two separate
 * sequences, each with its own first references; in notes, a falling note
 * number starts again (a new document part).  A cite is ibid when it
 * follows a cite of the same item in its citation, or opens a citation
 * whose previous citation ends with that item in the same note, or opens
 * a citation in the next note after a note with that one cite only.
 */
static void
compute_positions(struct proc *p, struct cvbib_citation *cits, size_t ncits)
{
	size_t i, j;
	int *lastnote = calloc(p->n + 1, sizeof(int));
	bool *seen = calloc(p->n + 1, sizeof(bool));
	int nnd = p->s->cit.near_note_distance;
	int pass;

	if (!lastnote || !seen) { free(lastnote); free(seen); return; }
	for (pass = 0; pass < 2; pass++) {
		const struct cvbib_citation *prevc = NULL;
		int prevcount = 0;	/* cites in the note of prevc */

		for (i = 0; i < p->n; i++) { lastnote[i] = -1; seen[i] = false; }
		for (i = 0; i < ncits; i++) {
			struct cvbib_citation *c = &cits[i];
			int note = c->note_index;
			int count = 0;

			if ((pass == 0) != (note == 0)) continue;
			if (pass == 1 && prevc && note < prevc->note_index) {
				/* notes numbered from 1 again */
				for (j = 0; j < p->n; j++) { lastnote[j] = -1; seen[j] = false; }
				prevc = NULL;
			}
			if (prevc && prevc->note_index == note) count = prevcount;
			count += (int)c->ncites;
			for (j = 0; j < c->ncites; j++) {
				struct cvbib_cite *ct = &c->cites[j];
				struct csl_istate *st = find_item(p, ct->id);
				const struct cvbib_cite *pc = NULL;
				if (!st) continue;
				if (ct->position > 0) {
					/* a position given by the caller is kept */
					if (!st->cited) st->cited = 1;
					if (!seen[st->regorder] && note) st->first_note = note;
					if (ct->position >= POS_SUBSEQUENT) st->subsequent = true;
				} else if (!seen[st->regorder]) {
					ct->position = POS_FIRST;
					st->cited = 1;
					if (note || !st->first_note) st->first_note = note;
				} else {
					if (j > 0) {
						if (same_id(&c->cites[j - 1], ct)) pc = &c->cites[j - 1];
					} else if (prevc && prevc->ncites && prevc->note_index != note) {
						if (same_id(&prevc->cites[0], ct) && prevc->note_index >= note - 1 &&
						    (prevcount == 1 || prevc->note_index == 0))
							pc = &prevc->cites[0];
					} else if (prevc && prevc->ncites) {
						if (same_id(&prevc->cites[prevc->ncites - 1], ct))
							pc = &prevc->cites[prevc->ncites - 1];
					}
					ct->position = pc ? ibid_position(pc, ct) : POS_SUBSEQUENT;
					st->subsequent = true;
					ct->near_note = note ? lastnote[st->regorder] >= 0 &&
					    note - lastnote[st->regorder] <= nnd : true;
				}
				seen[st->regorder] = true;
				lastnote[st->regorder] = note;
			}
			prevc = c;
			prevcount = count;
		}
	}
	free(lastnote);
	free(seen);
}

/* ------------------------------------------------------------ API */

/* All names of an item as one string, to tell items with the very same
 * names apart from the others. */
static char *
names_key(const struct cvb_item *it)
{
	struct cvb_buf b = CVB_BUF_INIT;
	const struct cvb_name *n;
	int v;

	for (v = 0; v < CVB_NV__COUNT; v++) {
		for (n = it->names[v]; n; n = n->next) {
			const char *f[6] = { n->family, n->given, n->literal, n->non_dropping_particle,
			    n->dropping_particle, n->suffix };
			int k;
			for (k = 0; k < 6; k++) { cvb_buf_adds(&b, f[k] ? f[k] : ""); cvb_buf_addch(&b, '\x1f'); }
			cvb_buf_addch(&b, '\x1e');
		}
		cvb_buf_addch(&b, '\x1d');
	}
	return cvbib_buf_detach(&b, NULL);
}

struct pent { char *s, *nk; struct csl_istate *st; };

static int
pent_cmp(const void *x, const void *y)
{
	const struct pent *a = x, *b = y;
	int c = strcmp(a->s, b->s);

	return c ? c : strcmp(a->nk, b->nk);
}

/*
 * How many other cited items with other names read the same as each item
 * before disambiguation, in a first and in a subsequent position: when
 * that set changes, names are added or expanded again for the item, and its
 * citations are reported as changed (cvb_csl_citations_update).  Items
 * with the very same names can only get year suffixes, which are compared
 * by themselves.
 */
static void
ambiguity_peers(struct proc *p)
{
	struct pent *v = calloc(p->n + 1, sizeof(*v));
	char **nk = calloc(p->n + 1, sizeof(*nk));
	size_t i, j, a, e, k;
	int pos;

	if (!v || !nk) { free(v); free(nk); return; }
	for (i = 0; i < p->n; i++) nk[i] = names_key(p->st[i].item);
	for (pos = 0; pos < 2; pos++) {
		for (i = 0; i < p->n; i++) {
			v[i].st = &p->st[i];
			v[i].nk = nk[i] ? nk[i] : "";
			v[i].s = render_cite_str(p, &p->st[i], NULL, pos ? POS_SUBSEQUENT : POS_FIRST, CVBIB_OUT_TEXT);
			if (!v[i].s) v[i].s = strdup("");
		}
		qsort(v, p->n, sizeof(*v), pent_cmp);
		for (i = 0; i < p->n; i = j) {
			for (j = i + 1; j < p->n && strcmp(v[i].s, v[j].s) == 0; j++)
				;
			for (a = i; a < j; a = e) {
				for (e = a + 1; e < j && strcmp(v[a].nk, v[e].nk) == 0; e++)
					;
				for (k = a; k < e; k++) v[k].st->peers[pos] = (int)((j - i) - (e - a));
			}
		}
		for (i = 0; i < p->n; i++) { free(v[i].s); v[i].s = NULL; }
	}
	for (i = 0; i < p->n; i++) free(nk[i]);
	free(nk);
	free(v);
}

/* Process a list of citations into outs[]; p is left for the caller to
 * read and free.  track: also count each item's look-alikes. */
static int
citations_run(struct proc *p, cvbib_style *s, cvbib_biblio *b, struct cvbib_citation *cits,
    size_t ncits, enum cvbib_outfmt fmt, char **outs, bool track, struct cvbib_diags *d)
{
	size_t i, j, nreg = 0;
	struct cvb_item **reg;
	int rc;

	/* register the cited items in order of first citation */
	memset(p, 0, sizeof(*p));
	reg = calloc(b->n + 1, sizeof(*reg));
	if (!reg) return -CVBIB_ENOMEM;
	{
		struct proc tmp;
		rc = proc_init(&tmp, s, b, NULL, 0, fmt, d);
		if (rc) { proc_free(&tmp); free(reg); return rc; }
		for (i = 0; i < ncits; i++)
			for (j = 0; j < cits[i].ncites; j++) {
				struct csl_istate *st = find_item(&tmp, cits[i].cites[j].id);
				if (st && !st->cited) { st->cited = 1; reg[nreg++] = st->item; }
			}
		/* only cited items take part (as citeproc-js registers them) */
		proc_free(&tmp);
	}
	rc = proc_init(p, s, b, reg, nreg, fmt, d);
	free(reg);
	if (rc) return rc;
	sort_bibliography(p);
	compute_positions(p, cits, ncits);
	if (track && (s->cit.disamb_names || s->cit.disamb_given)) ambiguity_peers(p);
	disambiguate(p);
	for (i = 0; i < ncits; i++) {
		struct cvb_buf out = CVB_BUF_INIT;
		render_citation(p, &cits[i], fmt, &out);
		outs[i] = cvbib_buf_detach(&out, NULL);
	}
	return 0;
}

int
cvb_csl_citations(cvbib_style *s, cvbib_biblio *b, struct cvbib_citation *cits,
    size_t ncits, enum cvbib_outfmt fmt, char **outs, struct cvbib_diags *d)
{
	struct proc p;
	int rc = citations_run(&p, s, b, cits, ncits, fmt, outs, false, d);

	proc_free(&p);
	return rc;
}

/* What a cite was rendered with besides its item. */
struct cite_state { int position, near_note, frnn; };

static struct cite_state *
cite_states(struct proc *p, const struct cvbib_citation *c)
{
	struct cite_state *v = calloc(c->ncites + 1, sizeof(*v));
	size_t k;

	if (!v) return NULL;
	for (k = 0; k < c->ncites; k++) {
		const struct csl_istate *st = find_item(p, c->cites[k].id);
		v[k].position = c->cites[k].position;
		v[k].near_note = c->cites[k].near_note;
		v[k].frnn = st && c->cites[k].position >= POS_SUBSEQUENT ? st->first_note : 0;
	}
	return v;
}

/* Was the item of id processed differently in p2 than in p1? */
static bool
item_changed(struct proc *p1, struct proc *p2, const char *id, bool citnum)
{
	const struct csl_istate *a = find_item(p1, id), *b = find_item(p2, id);
	const cvbib_style *s = p2->s;

	if (!a || !b) return a != b;
	if ((citnum && a->citnum != b->citnum) || a->ysuffix != b->ysuffix ||
	    a->add_names != b->add_names || a->given_level != b->given_level ||
	    a->disamb != b->disamb || a->peers[0] != b->peers[0] || a->peers[1] != b->peers[1])
		return true;
	if ((a->name_level != NULL) != (b->name_level != NULL) || a->nname_level != b->nname_level ||
	    (a->name_level && memcmp(a->name_level, b->name_level, (size_t)a->nname_level) != 0))
		return true;
	/* a note style asking whether a cite is ambiguous: whether the item is
	 * cited again decides it */
	if (s->class_note && s->uses_disamb_cond && a->subsequent != b->subsequent)
		return true;
	/* the note a back-reference points to */
	return a->subsequent && b->subsequent && a->first_note != b->first_note;
}

int
cvb_csl_citations_update(cvbib_style *s, cvbib_biblio *b, struct cvbib_citation *before,
    size_t nbefore, struct cvbib_citation *after, size_t nafter, enum cvbib_outfmt fmt,
    char **outs, bool *changed, struct cvbib_diags *d)
{
	struct proc p1, p2;
	char **prev = calloc(nbefore + 1, sizeof(*prev));
	struct cite_state **ps = calloc(nbefore + 1, sizeof(*ps));
	int **orig = calloc(nafter + nbefore + 1, sizeof(*orig));
	size_t i, j, k;
	int rc;
	bool citnum = s->cit.layout && uses_citnum(s->cit.layout->kids, 0);

	memset(&p1, 0, sizeof(p1));
	memset(&p2, 0, sizeof(p2));
	if (!prev || !ps || !orig) { rc = -CVBIB_ENOMEM; goto out; }
	/* the positions the caller gave, for each run to start from */
	for (i = 0; i < nbefore + nafter; i++) {
		const struct cvbib_citation *c = i < nbefore ? &before[i] : &after[i - nbefore];
		if (!(orig[i] = calloc(c->ncites + 1, sizeof(int)))) { rc = -CVBIB_ENOMEM; goto out; }
		for (k = 0; k < c->ncites; k++) orig[i][k] = c->cites[k].position;
	}
	rc = citations_run(&p1, s, b, before, nbefore, fmt, prev, true, d);
	if (rc) goto out;
	for (i = 0; i < nbefore; i++) ps[i] = cite_states(&p1, &before[i]);
	for (i = 0; i < nbefore + nafter; i++) {
		struct cvbib_citation *c = i < nbefore ? &before[i] : &after[i - nbefore];
		for (k = 0; k < c->ncites; k++) c->cites[k].position = orig[i][k];
	}
	rc = citations_run(&p2, s, b, after, nafter, fmt, outs, true, d);
	if (rc) goto out;
	for (i = 0; i < nafter; i++) {
		const struct cvbib_citation *c = &after[i];
		struct cite_state *cs;
		changed[i] = true;
		if (!c->id) continue;
		for (j = 0; j < nbefore && !(before[j].id && strcmp(before[j].id, c->id) == 0); j++)
			;
		if (j == nbefore || !prev[j] || !outs[i] || strcmp(prev[j], outs[i]) != 0 ||
		    before[j].ncites != c->ncites || !ps[j])
			continue;
		if (!(cs = cite_states(&p2, c))) continue;
		for (k = 0; k < c->ncites; k++) {
			const char *id0 = before[j].cites[k].id, *id = c->cites[k].id;
			if (!id0 || !id || strcmp(id0, id) != 0 ||
			    memcmp(&cs[k], &ps[j][k], sizeof(cs[k])) != 0 ||
			    item_changed(&p1, &p2, id, citnum))
				break;
		}
		changed[i] = k < c->ncites;
		free(cs);
	}
out:
	if (prev) for (i = 0; i < nbefore; i++) free(prev[i]);
	if (ps) for (i = 0; i < nbefore; i++) free(ps[i]);
	if (orig) for (i = 0; i < nbefore + nafter; i++) free(orig[i]);
	free(prev); free(ps); free(orig);
	proc_free(&p1);
	proc_free(&p2);
	return rc;
}

int
cvb_csl_bibliography_items(cvbib_style *s, cvbib_biblio *b, struct cvb_item **items,
    size_t nitems, struct cvbib_citation *cits, size_t ncits, enum cvbib_outfmt fmt,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	struct proc p;
	size_t i, printed = 0;
	int rc;
	char *prev = NULL;
	bool numeric;

	if (!s->bib.present) return 0;
	numeric = s->cit.layout && uses_citnum(s->cit.layout->kids, 0);
	rc = proc_init(&p, s, b, items, nitems, fmt, d);
	if (rc) { proc_free(&p); return rc; }
	sort_bibliography(&p);
	if (cits) compute_positions(&p, cits, ncits);
	disambiguate(&p);
	if (fmt == CVBIB_OUT_HTML) cvb_buf_adds(out, "<div class=\"csl-bib-body\">\n");
	else if (fmt == CVBIB_OUT_LATEX) cvb_buf_adds(out, "\\begin{itemize}\n");
	for (i = 0; i < p.n; i++) {
		char *e;
		if (i + 1 < p.n) prefetch_item(&p, p.bib[i + 1]);
		e = render_bib_entry(&p, p.bib[i], fmt, &prev);
		if (!e) continue;
		if (!*e) {
			/* nothing to print: omitted, but in a numeric style (whose
			 * numbers would skip) said in its place, as citeproc-js does */
			free(e);
			if (!numeric) continue;
			if (!(e = malloc(64))) continue;
			snprintf(e, 64, "%zu. [CSL STYLE ERROR: reference with no printed form.]", printed + 1);
		}
		printed++;
		switch (fmt) {
		case CVBIB_OUT_HTML: {
			size_t el = strlen(e);
			bool tail, sp = false;
			/* a trailing space moves out of the display block, as in citeproc-js */
			if (el >= 7 && strcmp(e + el - 7, " </div>") == 0) {
				memcpy(e + el - 7, "</div>", 7);
				el--;
				sp = true;
			}
			tail = el >= 6 && strcmp(e + el - 6, "</div>") == 0;
			/* and a leading one of the first display block moves before it */
			{
				size_t ws = strspn(e, "\n ");
				char *gt = strncmp(e + ws, "<div class=\"csl-", 16) == 0 ? strchr(e + ws, '>') : NULL;
				if (ws && e[0] == '\n' && gt && gt[1] == ' ') {
					memmove(gt + 1, gt + 2, strlen(gt + 2) + 1);
					cvb_buf_adds(out, "  <div class=\"csl-entry\"> ");
				} else
					cvb_buf_adds(out, "  <div class=\"csl-entry\">");
			}
			cvb_buf_addf(out, "%s%s</div>\n", e, tail ? (sp ? "\n   " : "\n  ") : "");
		}
			break;
		case CVBIB_OUT_LATEX:
			cvb_buf_adds(out, "\\item ");
			cvb_buf_adds(out, e);
			cvb_buf_addch(out, '\n');
			break;
		case CVBIB_OUT_MARKDOWN:
			cvb_buf_adds(out, e);
			cvb_buf_adds(out, "\n\n");
			break;
		default:
			cvb_buf_adds(out, e);
			cvb_buf_addch(out, '\n');
		}
		free(e);
	}
	free(prev);
	if (fmt == CVBIB_OUT_HTML) cvb_buf_adds(out, "</div>\n");
	else if (fmt == CVBIB_OUT_LATEX) cvb_buf_adds(out, "\\end{itemize}\n");
	proc_free(&p);
	return 0;
}

int
cvbib_format_bibliography(cvbib_style *s, cvbib_biblio *b, enum cvbib_outfmt fmt,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	unsigned long nm = cvb_nomem_count;

	if (!s || !b) return -CVBIB_EUSAGE;
	return cvb_nomem_end(nm, cvb_csl_bibliography_items(s, b, NULL, 0, NULL, 0, fmt, out, d), d);
}

int
cvbib_format_citations(cvbib_style *s, cvbib_biblio *b, struct cvbib_citation *cits,
    size_t ncits, enum cvbib_outfmt fmt, struct cvb_buf *out, struct cvbib_diags *d)
{
	char **outs;
	size_t i;
	int rc;
	unsigned long nm = cvb_nomem_count;

	if (!s || !b) return -CVBIB_EUSAGE;
	outs = calloc(ncits + 1, sizeof(*outs));
	if (!outs) return cvb_nomem_end(nm, -CVBIB_ENOMEM, d);
	rc = cvb_csl_citations(s, b, cits, ncits, fmt, outs, d);
	for (i = 0; i < ncits; i++) {
		if (outs[i]) { cvb_buf_adds(out, outs[i]); cvb_buf_addch(out, '\n'); }
		free(outs[i]);
	}
	free(outs);
	return cvb_nomem_end(nm, rc, d);
}

int
cvb_csl_bibliography_entries(cvbib_style *s, cvbib_biblio *b, enum cvbib_outfmt fmt,
    int use_style_sort, struct cvb_csl_entry **entries, size_t *n, struct cvbib_diags *d)
{
	struct proc p;
	struct cvb_csl_entry *e;
	size_t i;
	int rc;
	char *prev = NULL;

	*entries = NULL; *n = 0;
	if (!s || !b) return -CVBIB_EUSAGE;
	if (!s->bib.present) return 0;
	rc = proc_init(&p, s, b, NULL, 0, fmt, d);
	if (rc) { proc_free(&p); return rc; }
	if (use_style_sort) sort_bibliography(&p);
	disambiguate(&p);
	e = calloc(p.n + 1, sizeof(*e));
	if (!e) { proc_free(&p); return -CVBIB_ENOMEM; }
	for (i = 0; i < p.n; i++) {
		e[i].item = p.bib[i]->item;
		e[i].text = render_bib_entry(&p, p.bib[i], fmt, &prev);
		if (!e[i].text) e[i].text = strdup("");
	}
	free(prev);
	*entries = e;
	*n = p.n;
	proc_free(&p);
	return 0;
}

void
cvb_csl_bib_options(const cvbib_style *s, struct cvb_csl_bibopts *o)
{
	memset(o, 0, sizeof(*o));
	o->line_spacing = o->entry_spacing = 1;
	if (!s || !s->bib.present) return;
	o->present = 1;
	o->hanging_indent = s->bib.hanging_indent;
	o->second_field_align = s->bib.second_field_align;
	o->line_spacing = s->bib.line_spacing > 0 ? s->bib.line_spacing : 1;
	o->entry_spacing = s->bib.entry_spacing >= 0 ? s->bib.entry_spacing : 1;
	o->numeric = s->bib.layout && uses_citnum(s->bib.layout->kids, 0);
}

void
cvb_csl_entries_free(struct cvb_csl_entry *e, size_t n)
{
	size_t i;

	if (!e) return;
	for (i = 0; i < n; i++) free(e[i].text);
	free(e);
}
