/*
 * cv_group.c - the groups of a CV list: --group-by type, year, keyword,
 * selected or section, and --groups specs ("KEY[+KEY...][:PREFIX][=Heading]"),
 * with their headings, number prefixes and order.  Moved out of cv.c.
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

/* ---------------------------------------------------------------- grouping */

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

int
cvb_cv_build_groups(cvbib_biblio *b, const struct cvbib_options *e, enum groupby gb,
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

int
cvb_cv_check_choice(const char *v, const char *opt, const char *const *ok, struct cvbib_diags *d)
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
