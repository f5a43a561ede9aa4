/*
 * csl_find.c - styles and locales by name: the search path, the list of the
 * styles it reaches (with their titles), and close names for a style that is
 * not found.
 *
 * A style NAME is looked for, in order, in
 *   1. opts->styles_dir, then each of opts->style_dirs (the user's
 *      directories; the CLI passes $CVBIB_STYLES and
 *      $XDG_DATA_HOME/cvbib/styles): DIR/NAME.csl;
 *   2. cvbib's own styles (compiled in, styles/NAME.csl);
 *   3. the system's CSL directory (Debian's citation-style-language-styles):
 *      DIR/styles/NAME.csl, then DIR/styles/dependent/NAME.csl.
 * A locale locales-LANG.xml is looked for in opts->locales_dir,
 * opts->styles_dir, the user's style directories, DIR/locales of the system,
 * and last among cvbib's own locales (en-US, which is preferred to the
 * system's).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

#ifndef CVB_SYSTEM_CSL_DIR
#define CVB_SYSTEM_CSL_DIR "/usr/share/citation-style-language"
#endif

const char *
csl_system_dir(const struct cvbib_options *o)
{
	if (o && o->system_csl_dir)
		return o->system_csl_dir[0] ? o->system_csl_dir : NULL;
	return CVB_SYSTEM_CSL_DIR;
}

int
csl_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f) return -1;
	do {
		if (cap - n < 4096) {
			char *nb;
			cap = cap ? cap * 2 : 16384;
			nb = realloc(buf, cap + 1);
			if (!nb) { cvb_nomem(); free(buf); fclose(f); return -1; }
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = 0;
	*data = buf; *len = n;
	return 0;
}

/* The places searched for styles, in order; returns their number. */
enum { PL_DIR, PL_OWN, PL_SYSTEM };
struct place { int kind; const char *dir; };

static size_t
style_places(const struct cvbib_options *o, struct place *pl, size_t max)
{
	size_t n = 0;
	const char *const *d;

	if (o && o->styles_dir && n < max) pl[n++] = (struct place){ PL_DIR, o->styles_dir };
	if (o && o->style_dirs)
		for (d = o->style_dirs; *d && n + 2 < max; d++)
			if (**d) pl[n++] = (struct place){ PL_DIR, *d };
	pl[n++] = (struct place){ PL_OWN, NULL };
	if (csl_system_dir(o)) pl[n++] = (struct place){ PL_SYSTEM, csl_system_dir(o) };
	return n;
}

static const struct csl_embedded *
own_find(const struct csl_embedded *tab, const char *name)
{
	for (; tab->name; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

const struct csl_embedded *
csl_own_locale(const char *name)
{
	return own_find(csl_embedded_locales, name);
}

/* A name with ".csl" cut off, in buf. */
static const char *
bare_name(const char *name, char *buf, size_t size)
{
	size_t nl = strlen(name);

	if (nl > 4 && strcmp(name + nl - 4, ".csl") == 0) nl -= 4;
	if (nl >= size) nl = size - 1;
	memcpy(buf, name, nl);
	buf[nl] = 0;
	return buf;
}

int
csl_style_find(const struct cvbib_options *o, const char *name, struct csl_found *f)
{
	struct place pl[16];
	size_t n = style_places(o, pl, CVB_ARRAY_SIZE(pl)), i;
	char bare[256];

	memset(f, 0, sizeof(*f));
	bare_name(name, bare, sizeof(bare));
	if (!bare[0]) return -1;
	for (i = 0; i < n; i++) {
		if (pl[i].kind == PL_OWN) {
			const struct csl_embedded *e = own_find(csl_embedded_styles, bare);
			if (e) {
				f->own = e;
				snprintf(f->path, sizeof(f->path), "%s", e->name);
				return 0;
			}
			continue;
		}
		if (pl[i].kind == PL_DIR)
			snprintf(f->path, sizeof(f->path), "%s/%s.csl", pl[i].dir, bare);
		else
			snprintf(f->path, sizeof(f->path), "%s/styles/%s.csl", pl[i].dir, bare);
		if (csl_read_file(f->path, &f->data, &f->len) == 0) return 0;
		if (pl[i].kind == PL_SYSTEM) {
			snprintf(f->path, sizeof(f->path), "%s/styles/dependent/%s.csl", pl[i].dir, bare);
			if (csl_read_file(f->path, &f->data, &f->len) == 0) return 0;
		}
	}
	f->path[0] = 0;
	return -1;
}

/* The directories searched for locales-LANG.xml, in order. */
size_t
csl_locale_dirs(const struct cvbib_options *o, const char *lang, char dirs[][4096], size_t max)
{
	size_t n = 0;
	const char *const *d;

	if (o && o->locales_dir && n < max) snprintf(dirs[n++], 4096, "%s", o->locales_dir);
	if (o && o->styles_dir && n < max) snprintf(dirs[n++], 4096, "%s", o->styles_dir);
	if (o && o->style_dirs)
		for (d = o->style_dirs; *d && n < max; d++)
			if (**d) snprintf(dirs[n++], 4096, "%s", *d);
	/* cvbib's own en-US has the terms of CSL 1.0.2, which Debian's (of
	 * 2015) lacks: the system's en-US is not used */
	if (csl_system_dir(o) && n < max && strcmp(lang, "en-US") != 0)
		snprintf(dirs[n++], 4096, "%s/locales", csl_system_dir(o));
	return n;
}

/* ------------------------------------------------------------ listing */

/* The text of the first <title> in the first bytes of a style, with XML's
 * entities decoded; malloc'd, or NULL. */
static char *
style_title(const char *xml, size_t len)
{
	const char *a, *b, *end = xml + (len < 16384 ? len : 16384);
	struct cvb_buf t = CVB_BUF_INIT;

	a = memmem(xml, (size_t)(end - xml), "<title>", 7);
	if (!a) return NULL;
	a += 7;
	b = memmem(a, (size_t)(end - a), "</title>", 8);
	if (!b) return NULL;
	while (a < b) {
		static const struct { const char *e; const char *c; } ents[] = {
			{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&apos;", "'" },
		};
		size_t i;
		if (*a == '&') {
			for (i = 0; i < CVB_ARRAY_SIZE(ents); i++)
				if (strncmp(a, ents[i].e, strlen(ents[i].e)) == 0) break;
			if (i < CVB_ARRAY_SIZE(ents)) {
				cvb_buf_adds(&t, ents[i].c);
				a += strlen(ents[i].e);
				continue;
			}
			if (a[1] == '#') {
				char *e;
				unsigned long cp = a[2] == 'x' ? strtoul(a + 3, &e, 16) : strtoul(a + 2, &e, 10);
				if (*e == ';' && cp > 0 && cp < 0x110000) {
					cvb_buf_addcp(&t, (uint32_t)cp);
					a = e + 1;
					continue;
				}
			}
		}
		cvb_buf_addch(&t, *a == '\n' || *a == '\t' ? ' ' : *a);
		a++;
	}
	if (t.err) { cvbib_buf_release(&t); return NULL; }
	return t.buf;
}

/* The parent named by a dependent style's independent-parent link, or NULL. */
static char *
style_parent(const char *xml, size_t len)
{
	const char *end = xml + (len < 16384 ? len : 16384);
	const char *a = memmem(xml, (size_t)(end - xml), "rel=\"independent-parent\"", 24);
	const char *l, *h, *q, *sl, *gt;

	if (!a) return NULL;
	for (l = a; l > xml && *l != '<'; l--)
		;
	gt = memchr(l, '>', (size_t)(end - l));
	h = memmem(l, (size_t)(end - l), "href=\"", 6);
	if (!h || !gt || h > gt) return NULL;
	h += 6;
	q = memchr(h, '"', (size_t)(end - h));
	if (!q) return NULL;
	for (sl = q; sl > h && sl[-1] != '/'; sl--)
		;
	return strndup(sl, (size_t)(q - sl));
}

struct list {
	struct cvbib_style_info *v;
	size_t n, alloc;
	int err;
};

static bool
listed(const struct list *L, const char *name)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		if (strcmp(L->v[i].name, name) == 0) return true;
	return false;
}

static bool
matches(const char *pattern, const char *name, const char *title)
{
	size_t pl;
	const char *t;

	if (!pattern || !*pattern) return true;
	if (strpbrk(pattern, "*?["))
		return fnmatch(pattern, name, FNM_CASEFOLD) == 0 ||
		    (title && fnmatch(pattern, title, FNM_CASEFOLD) == 0);
	pl = strlen(pattern);
	if (strcasestr(name, pattern)) return true;
	for (t = title; t && *t; t++)
		if (strncasecmp(t, pattern, pl) == 0) return true;
	return false;
}

static void
list_add(struct list *L, const char *name, const char *where, const char *xml, size_t len,
    const char *pattern, bool names_only)
{
	struct cvbib_style_info *e;
	char *title;

	if (L->err || listed(L, name)) return;
	if (names_only) {
		title = NULL;
	} else {
		title = style_title(xml, len);
		if (!matches(pattern, name, title)) { free(title); return; }
	}
	if (L->n == L->alloc) {
		size_t na = L->alloc ? L->alloc * 2 : 256;
		struct cvbib_style_info *nv = realloc(L->v, na * sizeof(*nv));
		if (!nv) { free(title); L->err = 1; return; }
		L->v = nv; L->alloc = na;
	}
	e = &L->v[L->n++];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	e->title = title;
	e->where = strdup(where);
	e->parent = names_only ? NULL : style_parent(xml, len);
	if (!e->name || !e->where) L->err = 1;
}

/* Every NAME.csl of dir (under the label where). */
static void
list_dir(struct list *L, const char *dir, const char *pattern, bool names_only)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;

	if (!d) return;
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl <= 4 || strcmp(de->d_name + nl - 4, ".csl") != 0 || de->d_name[0] == '.') continue;
		if (n == alloc) {
			char **nn = realloc(names, (alloc = alloc ? alloc * 2 : 256) * sizeof(*nn));
			if (!nn) { L->err = 1; break; }
			names = nn;
		}
		if (!(names[n] = strndup(de->d_name, nl - 4))) { L->err = 1; break; }
		n++;
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		char path[4096], *data = NULL;
		size_t len = 0;
		if (names_only) {
			list_add(L, names[i], dir, "", 0, pattern, true);
		} else if (!listed(L, names[i])) {
			snprintf(path, sizeof(path), "%s/%s.csl", dir, names[i]);
			if (csl_read_file(path, &data, &len) == 0) {
				list_add(L, names[i], dir, data, len, pattern, false);
				free(data);
			}
		}
		free(names[i]);
	}
	free(names);
}

static int
info_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cvbib_style_info *)a)->name, ((const struct cvbib_style_info *)b)->name);
}

/* Every style on the search path (names only when names_only). */
static int
list_all(const struct cvbib_options *o, const char *pattern, bool names_only, struct list *L)
{
	struct place pl[16];
	size_t n = style_places(o, pl, CVB_ARRAY_SIZE(pl)), i;
	const struct csl_embedded *e;
	char dir[4096];

	memset(L, 0, sizeof(*L));
	for (i = 0; i < n; i++) {
		switch (pl[i].kind) {
		case PL_DIR:
			list_dir(L, pl[i].dir, pattern, names_only);
			break;
		case PL_OWN:
			for (e = csl_embedded_styles; e->name; e++)
				list_add(L, e->name, "cvbib", e->data, e->len, pattern, names_only);
			break;
		case PL_SYSTEM:
			snprintf(dir, sizeof(dir), "%s/styles", pl[i].dir);
			list_dir(L, dir, pattern, names_only);
			snprintf(dir, sizeof(dir), "%s/styles/dependent", pl[i].dir);
			list_dir(L, dir, pattern, names_only);
			break;
		}
	}
	return L->err ? -CVBIB_ENOMEM : 0;
}

int
cvbib_style_list(const struct cvbib_options *o, const char *pattern,
    struct cvbib_style_info **out, size_t *n)
{
	struct list L;
	int rc = list_all(o, pattern, false, &L);

	*out = NULL; *n = 0;
	if (rc < 0) { cvbib_style_list_free(L.v, L.n); return rc; }
	if (L.n) qsort(L.v, L.n, sizeof(*L.v), info_cmp);
	*out = L.v; *n = L.n;
	return 0;
}

void
cvbib_style_list_free(struct cvbib_style_info *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name); free(v[i].title); free(v[i].where); free(v[i].parent);
	}
	free(v);
}

/* ------------------------------------------------------------ close names */

/* The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), counting no further than cap. */
static int
distance(const char *a, const char *b, int cap)
{
	int la = (int)strlen(a), lb = (int)strlen(b), i, j;
	int row[3][128];
	int *pp = row[0], *p = row[1], *c = row[2];

	if (la > 127 || lb > 127) return cap + 1;
	if (abs(la - lb) > cap) return cap + 1;
	for (j = 0; j <= lb; j++) p[j] = j;
	for (i = 1; i <= la; i++) {
		int best = c[0] = i, *t;
		for (j = 1; j <= lb; j++) {
			int v = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < v) v = p[j] + 1;
			if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best) best = v;
		}
		if (best > cap) return cap + 1;
		t = pp; pp = p; p = c; c = t;
	}
	return p[lb];
}

/*
 * Append to b up to max names of styles close to name: those within a few
 * edits, then those that contain it or that it starts; b stays empty when
 * none is.
 */
void
csl_close_names(const struct cvbib_options *o, const char *name, struct cvb_buf *b, int max)
{
	struct list L;
	char bare[256];
	int cap, d, shown = 0;
	size_t i;

	bare_name(name, bare, sizeof(bare));
	for (i = 0; bare[i]; i++) bare[i] = (char)tolower((unsigned char)bare[i]);
	if (list_all(o, NULL, true, &L) == 0 && L.n) {
		qsort(L.v, L.n, sizeof(*L.v), info_cmp);
		cap = (int)strlen(bare) / 4 + 1;
		if (cap > 3) cap = 3;
		for (d = 0; d <= cap + 1 && shown < max; d++)
			for (i = 0; i < L.n && shown < max; i++) {
				const char *nm = L.v[i].name;
				int di = distance(bare, nm, cap);
				/* d == cap + 1: names that contain the one asked for */
				bool hit = d <= cap ? di == d : di > cap && strlen(bare) >= 3 && strstr(nm, bare);
				if (!hit) continue;
				if (shown++) cvb_buf_adds(b, ", ");
				cvb_buf_adds(b, nm);
			}
	}
	cvbib_style_list_free(L.v, L.n);
}

/* Append to b where styles were looked for. */
void
csl_style_places_text(const struct cvbib_options *o, struct cvb_buf *b)
{
	struct place pl[16];
	size_t n = style_places(o, pl, CVB_ARRAY_SIZE(pl)), i;

	for (i = 0; i < n; i++) {
		if (i) cvb_buf_adds(b, ", ");
		if (pl[i].kind == PL_DIR) cvb_buf_adds(b, pl[i].dir);
		else if (pl[i].kind == PL_OWN) cvb_buf_adds(b, "cvbib's own styles");
		else {
			char dir[4096];
			DIR *d;
			snprintf(dir, sizeof(dir), "%s/styles", pl[i].dir);
			cvb_buf_adds(b, dir);
			if ((d = opendir(dir)) != NULL) closedir(d);
			else cvb_buf_adds(b, " (missing: Debian's citation-style-language-styles is not installed)");
		}
	}
	if (!csl_system_dir(o))
		cvb_buf_adds(b, " (no system CSL directory)");
}
