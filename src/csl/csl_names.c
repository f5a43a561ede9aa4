/*
 * csl_names.c - the names of one item: cs:names, cs:name, cs:et-al, name
 * parts, particles, initials, et-al and substitution (moved out of
 * csl_render.c, which calls csl_render_names()).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

/* ------------------------------------------------------------ names */

/*
 * Does a term start with a letter of a script that puts spaces between
 * words (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai), or "&"?  An "and"
 * term that does not (CJK "和"; the Hebrew conjunction "ו", a prefix) is
 * written without spaces around it, as citeproc-js does.
 */
static bool
spaced_word(const char *t)
{
	uint32_t c;

	if (!*t) return true;
	cvb_utf8_decode(t, strlen(t), &c);
	return c == '&' || (c < 0x80 && isalpha((int)c)) || (c >= 0xC0 && c <= 0x24F) ||
	    (c >= 0x370 && c <= 0x52F) || (c >= 0x590 && c <= 0x6FF && c != 0x5D5) ||
	    (c >= 0xE01 && c <= 0xE5B) || (c >= 0x1F00 && c <= 0x1FFF);
}

static struct csl_nameopt
merge_opts(const struct csl_rctx *r, const struct csl_node *name)
{
	struct csl_nameopt o, src[3];
	int i;

	memset(&o, 0, sizeof(o));
	o.delimiter = ", ";
	o.sort_sep = ", ";
	o.initialize = 1;
	src[0] = r->s->no;
	src[1] = r->sec ? r->sec->no : src[0];
	if (name) src[2] = name->no; else memset(&src[2], 0, sizeof(src[2]));
	for (i = 0; i < 3; i++) {
		const struct csl_nameopt *x = &src[i];
		if (x->set & NO_AND) o.and_ = x->and_;
		if (x->set & NO_DELIM) o.delimiter = x->delimiter;
		if (x->set & NO_DPETAL) o.dp_etal = x->dp_etal;
		if (x->set & NO_DPLAST) o.dp_last = x->dp_last;
		if (x->set & NO_ETALMIN) o.etal_min = x->etal_min;
		if (x->set & NO_ETALFIRST) o.etal_first = x->etal_first;
		if (x->set & NO_ETALSUBMIN) o.etal_sub_min = x->etal_sub_min;
		if (x->set & NO_ETALSUBFIRST) o.etal_sub_first = x->etal_sub_first;
		if (x->set & NO_ETALLAST) o.etal_last = x->etal_last;
		if (x->set & NO_FORM) o.form = x->form;
		if (x->set & NO_INIT) o.initialize = x->initialize;
		if (x->set & NO_INITWITH) o.initialize_with = x->initialize_with;
		if (x->set & NO_SORTORDER) o.sort_order = x->sort_order;
		if (x->set & NO_SORTSEP) o.sort_sep = x->sort_sep;
		o.set |= x->set;
	}
	/* the name delimiter of <name> only; names-delimiter separately */
	if (name && (name->no.set & NO_DELIM)) o.delimiter = name->no.delimiter;
	if (!(src[2].set & NO_ETALSUBMIN) && !(src[0].set & NO_ETALSUBMIN) && !(src[1].set & NO_ETALSUBMIN)) o.etal_sub_min = o.etal_min;
	if (!(src[2].set & NO_ETALSUBFIRST) && !(src[0].set & NO_ETALSUBFIRST) && !(src[1].set & NO_ETALSUBFIRST)) o.etal_sub_first = o.etal_first;
	return o;
}

static bool
is_cjk(const char *s)
{
	size_t i = 0, n;

	if (!s) return false;
	n = strlen(s);
	while (i < n) {
		uint32_t c;
		int l = cvb_utf8_decode(s + i, n - i, &c);
		if (c >= 0x2E80 && c <= 0x9FFF) return true;
		if (c >= 0xAC00 && c <= 0xD7AF) return true;
		i += (size_t)l;
	}
	return false;
}

static bool
starts_lower(const char *s)
{
	uint32_t c;

	cvb_utf8_decode(s, strlen(s), &c);
	return cvb_uc_islower(c);
}

/* Split particles out of family/given when they were not given separately. */
static void
split_particles(struct csl_rctx *r, struct cvb_name *n)
{
	if (n->flags & CVB_NF_NO_PARSE) return;
	if (n->family && n->family[0] == '"' && strlen(n->family) > 2 && n->family[strlen(n->family) - 1] == '"') {
		n->family = csl_astr(r, n->family + 1, strlen(n->family) - 2);
		return;
	}
	if (n->family && !n->non_dropping_particle && !n->literal) {
		const char *f = n->family, *last = NULL, *p = f;
		/* leading lowercase words: "van der Berg", "d'Alembert" */
		while (*p && (starts_lower(p) ||
		    (*p == '\'' && starts_lower(p + 1)) ||
		    (strncmp(p, "\xe2\x80\x99", 3) == 0 && starts_lower(p + 3)))) {
			const char *sp = strchr(p, ' ');
			const char *hy = strchr(p, '-');
			const char *w0 = p + (*p == '\'' ? 1 : (unsigned char)*p == 0xe2 ? 3 : 0);
			if (hy && (!sp || hy < sp) && hy[1] && !starts_lower(hy + 1) && hy - p <= 3) {
				last = hy + 1;
				p = last;
				break;
			}
			const char *ap = strpbrk(w0, "'\xe2");
			if (ap && (!sp || ap < sp) && (*ap == '\'' || strncmp(ap, "\xe2\x80\x99", 3) == 0) &&
			    !starts_lower(ap + (*ap == '\'' ? 1 : 3))) {
				size_t al = *ap == '\'' ? 1 : 3;
				last = ap + al;
				p = last;
				break;
			}
			if (!sp) break;
			last = sp + 1;
			p = sp + 1;
		}
		if (last && *last && last > f) {
			size_t pl = (size_t)(last - f);
			while (pl > 0 && f[pl - 1] == ' ') pl--;
			n->non_dropping_particle = csl_astr(r, f, pl);
			n->family = last;
		}
	}
	if (n->given && !n->suffix && strchr(n->given, ',')) {
		const char *c = strchr(n->given, ',');
		const char *sfx = c + 1;
		if (*sfx == '!') { sfx++; n->flags |= CVB_NF_COMMA_SUFFIX; }
		while (*sfx == ' ') sfx++;
		if (*sfx) {
			n->suffix = sfx;
			n->given = csl_astr(r, n->given, (size_t)(c - n->given));
		}
	}
	if (n->given && !n->dropping_particle) {
		const char *g = n->given;
		const char *sp = strrchr(g, ' ');
		const char *cut = NULL;
		/* trailing lowercase words of the given name: "Ludwig van" */
		while (sp) {
			if (!starts_lower(sp + 1)) break;
			cut = sp;
			{
				const char *q = sp;
				sp = NULL;
				while (q > g) { q--; if (*q == ' ') { sp = q; break; } }
			}
		}
		if (cut) {
			n->dropping_particle = cut + 1;
			n->given = csl_astr(r, g, (size_t)(cut - g));
		}
	}
}

/* Initials of a given name.  A part written as an abbreviation ("Ph.",
 * "Me.") is kept; other parts become their initial (initialize) or stay
 * whole (initialize="false": only single letters get the with-string). */
static void
initialize_given(struct cvb_buf *b, const char *g, const char *with, bool hyphen, bool initialize)
{
	const char *p = g;
	size_t wl = strlen(with), wtrim = wl;
	bool pending_space = false;

	while (wtrim > 0 && with[wtrim - 1] == ' ') wtrim--;
	while (*p) {
		const char *e;
		bool period, hy_before = false;
		uint32_t c;
		int l;
		size_t tl;

		while (*p == ' ' || *p == '.') p++;
		if (!*p) break;
		if (*p == '-') { p++; continue; }
		if (*p == '<' && (p[1] == '/' || isalpha((unsigned char)p[1])) && strchr(p, '>')) {
			/* markup ("<b>John</b>"): kept around the initial, a
			 * closing tag before the with-string's space */
			size_t sp = 0;
			e = strchr(p, '>') + 1;
			if (p[1] == '/')
				while (sp < b->len && b->buf[b->len - 1 - sp] == ' ') sp++;
			b->len -= sp;
			cvb_buf_add(b, p, (size_t)(e - p));
			while (sp--) cvb_buf_addch(b, ' ');
			p = e;
			continue;
		}
		e = p;
		if (*e == '<') e++;	/* a '<' that starts no tag is a letter (issue 20) */
		while (*e && *e != ' ' && *e != '-' && *e != '.' && *e != '<') e++;
		period = *e == '.';
		tl = (size_t)(e - p);
		l = cvb_utf8_decode(p, tl, &c);
		if (p > g && p[-1] == '-') hy_before = true;
		if (!hy_before && initialize && cvb_uc_islower(c) && tl > 1 && !period) {
			/* a particle inside the given names ("J. B. de C. M.") */
			while (b->len && b->buf[b->len - 1] == ' ') b->len--;
			b->buf[b->len] = 0;
			if (b->len) cvb_buf_addch(b, ' ');
			cvb_buf_add(b, p, tl);
			pending_space = true;
			p = e;
			continue;
		}
		if (hy_before && initialize && cvb_uc_islower(c)) {
			/* "G-ping": a lowercase hyphenated part is dropped */
			p = e;
			continue;
		}
		if (hy_before) {
			/* join to the previous initial */
			while (b->len && b->buf[b->len - 1] == ' ') b->len--;
			b->buf[b->len] = 0;
			if (hyphen || !initialize) cvb_buf_addch(b, '-');
			pending_space = false;
		} else if (pending_space)
			cvb_buf_addch(b, ' ');
		pending_space = false;
		if ((size_t)l == tl || (period && tl <= 3)) {
			/* an initial or an abbreviation */
			if ((size_t)l == tl) cvb_buf_addcp(b, cvb_uc_upper(c));
			else cvb_buf_add(b, p, tl);
			cvb_buf_adds(b, with);
		} else if (initialize) {
			uint32_t c1 = 0, c2 = 0;
			int l1 = 0;
			if ((size_t)l < tl) l1 = cvb_utf8_decode(p + l, tl - (size_t)l, &c1);
			if ((size_t)(l + l1) < tl) cvb_utf8_decode(p + l + l1, tl - (size_t)(l + l1), &c2);
			cvb_buf_addcp(b, cvb_uc_upper(c));
			/* "TSerendorjiin" -> "Ts.": a two-letter initial written in capitals */
			if (cvb_uc_isupper(c) && cvb_uc_isupper(c1) && cvb_uc_islower(c2))
				cvb_buf_addcp(b, cvb_uc_lower(c1));
			cvb_buf_adds(b, with);
		} else {
			cvb_buf_add(b, p, tl);
			pending_space = true;
		}
		p = e;
		if (*p == '.') p++;
	}
	while (b->len && b->buf[b->len - 1] == ' ') b->len--;
	b->buf[b->len] = 0;
	(void)wtrim;
}

struct nctx {
	struct csl_nameopt o;
	const struct csl_node *name;	/* <name> element, may be NULL */
	int given_level;		/* disambiguation */
};

static struct csl_out *
part(struct csl_rctx *r, const char *text, const struct csl_node *np)
{
	struct csl_out *o = csl_leaf(r, text);

	if (np) {
		struct csl_node tmp = *np;
		tmp.f.prefix = tmp.f.suffix = NULL;
		o = csl_finish(r, &tmp, o);
	}
	return o;
}

static struct csl_out *
wrap_affix(struct csl_rctx *r, struct csl_out *o, const struct csl_node *np)
{
	struct csl_out *w;

	if (!np || (!np->f.prefix && !np->f.suffix)) return o;
	if (!(w = csl_out_new(r, NULL))) return o;	/* no memory: cvb_nomem() */
	csl_out_add(w, o);
	w->f.prefix = np->f.prefix;
	w->f.suffix = np->f.suffix;
	return w;
}

static bool
ends_with_particle_joiner(const char *s)
{
	size_t l = strlen(s);

	if (l == 0) return false;
	if (s[l - 1] == '\'' || s[l - 1] == '-') return true;
	if (l >= 3 && strcmp(s + l - 3, "\xe2\x80\x99") == 0) return true;
	return false;
}

/* Render one name; inverted per name-as-sort-order. */
static struct csl_out *
render_one_name(struct csl_rctx *r, const struct cvb_name *nm0, struct nctx *nc, bool inverted,
    int level)
{
	struct cvb_name nm = *nm0;
	struct csl_out *g = csl_out_new(r, NULL);
	const struct csl_node *pg = nc->name ? nc->name->part_given : NULL;
	const struct csl_node *pf = nc->name ? nc->name->part_family : NULL;
	const char *given = NULL;
	int form = nc->o.form;
	int demote = r->s->demote_ndp;

	if (!g) return NULL;
	if (nm.literal || (!nm.family && !nm.given)) {
		csl_out_add(g, part(r, nm.literal ? nm.literal : "", pf));
		return g;
	}
	if (!nm.family) {
		csl_out_add(g, part(r, nm.given, pg));
		return g;
	}
	split_particles(r, &nm);
	/* an empty particle ("non-dropping-particle": "") is none */
	if (nm.non_dropping_particle && !*nm.non_dropping_particle) nm.non_dropping_particle = NULL;
	if (nm.dropping_particle && !*nm.dropping_particle) nm.dropping_particle = NULL;
	if (nm.suffix && nm.suffix[0] != '.' && nc->o.initialize_with && strchr(nm.suffix, '.') &&
	    !strchr(nm.suffix, ' ')) {
		/* an abbreviated suffix takes the initials' punctuation:
		 * "Jr." with initialize-with="" is "Jr" (as citeproc-js) */
		struct cvb_buf b = CVB_BUF_INIT;
		const char *q, *w = nc->o.initialize_with;
		size_t wl = strlen(w);
		while (wl && w[wl - 1] == ' ') wl--;
		for (q = nm.suffix; *q; q++) {
			if (*q == '.') cvb_buf_add(&b, w, wl);
			else cvb_buf_addch(&b, *q);
		}
		nm.suffix = csl_bufstr(r, &b);
	}
	if (level >= 1 && form == 1) form = 0;
	/* given name */
	if (nm.given && *nm.given) {
		struct cvb_buf b = CVB_BUF_INIT;
		bool init = nc->o.initialize_with != NULL && level < 2;
		if (init)
			initialize_given(&b, nm.given, nc->o.initialize_with, r->s->init_hyphen, nc->o.initialize);
		else if (level == 1 && nc->o.form == 1 && !nc->o.initialize_with)
			cvb_buf_adds(&b, nm.given);
		else
			cvb_buf_adds(&b, nm.given);
		given = csl_bufstr(r, &b);
		if (level == 1 && nc->o.form == 1 && nc->o.initialize_with) {
			/* initials only */
		}
	}
	if (is_cjk(nm.family) && (!nm.given || is_cjk(nm.given))) {
		struct csl_out *f = part(r, nm.family, pf);
		csl_out_add(g, wrap_affix(r, f, pf));
		if (form != 1 && given) csl_out_add(g, wrap_affix(r, part(r, given, pg), pg));
		return g;
	}
	if (form == 1 || (form == 2)) {
		struct csl_out *fam = csl_out_new(r, NULL);
		if (nm.non_dropping_particle) {
			csl_out_add(fam, part(r, nm.non_dropping_particle, pf));
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, csl_leaf(r, " "));
		}
		csl_out_add(fam, part(r, nm.family, pf));
		csl_out_add(g, wrap_affix(r, fam, pf));
		return g;
	}
	if (!inverted) {
		struct csl_out *fam = csl_out_new(r, NULL);
		if (given) {
			struct csl_out *gv = csl_out_new(r, NULL);
			csl_out_add(gv, part(r, given, pg));
			csl_out_add(g, wrap_affix(r, gv, pg));
			csl_out_add(g, csl_leaf(r, " "));
		}
		if (nm.dropping_particle) {
			csl_out_add(fam, part(r, nm.dropping_particle, pg));
			if (!ends_with_particle_joiner(nm.dropping_particle)) csl_out_add(fam, csl_leaf(r, " "));
		}
		if (nm.non_dropping_particle) {
			csl_out_add(fam, part(r, nm.non_dropping_particle, pf));
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, csl_leaf(r, " "));
		}
		csl_out_add(fam, part(r, nm.family, pf));
		if (nm.suffix) {
			csl_out_add(fam, csl_leaf(r, (nm.flags & CVB_NF_COMMA_SUFFIX) ? ", " : " "));
			csl_out_add(fam, csl_leaf(r, nm.suffix));
		}
		csl_out_add(g, wrap_affix(r, fam, pf));
		return g;
	}
	/* inverted: Family, Given particles, Suffix */
	{
		struct csl_out *fam = csl_out_new(r, NULL), *gv = csl_out_new(r, NULL);
		bool dem = demote == 2 || (r->sorting && demote >= 1);
		if (nm.non_dropping_particle && !dem) {
			csl_out_add(fam, part(r, nm.non_dropping_particle, pf));
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, csl_leaf(r, " "));
		}
		csl_out_add(fam, part(r, nm.family, pf));
		csl_out_add(g, wrap_affix(r, fam, pf));
		if (given) csl_out_add(gv, part(r, given, pg));
		if (nm.dropping_particle) {
			if (given) csl_out_add(gv, csl_leaf(r, " "));
			csl_out_add(gv, part(r, nm.dropping_particle, pg));
		}
		if (nm.non_dropping_particle && dem) {
			/* a demoted particle keeps the family name-part's formatting */
			if (given || nm.dropping_particle) csl_out_add(gv, csl_leaf(r, " "));
			csl_out_add(gv, part(r, nm.non_dropping_particle, pf));
		}
		if (!csl_out_isempty(gv)) {
			csl_out_add(g, csl_leaf(r, nc->o.sort_sep));
			csl_out_add(g, wrap_affix(r, gv, pg));
		}
		if (nm.suffix) {
			csl_out_add(g, csl_leaf(r, nc->o.sort_sep));
			csl_out_add(g, csl_leaf(r, nm.suffix));
		}
	}
	return g;
}

/*
 * The affixes of cs:name go around each personal name, as citeproc-js puts
 * them ("Davis PM., Walters WH." for suffix="."), not around the list; a
 * literal name (an institution) takes none.
 */
static struct csl_out *
name_affixes(struct csl_rctx *r, struct csl_out *no, const struct cvb_name *nm, const struct nctx *nc)
{
	struct csl_out *w;

	if (!no || !nc->name || (!nc->name->f.prefix && !nc->name->f.suffix) || r->sorting)
		return no;
	if (nm->literal || (!nm->family && !nm->given))
		return no;
	if (!(w = csl_out_new(r, NULL))) return no;
	csl_out_add(w, no);
	w->f.prefix = nc->name->f.prefix;
	w->f.suffix = nc->name->f.suffix;
	return w;
}

static size_t
count_names(const struct cvb_name *n)
{
	size_t c = 0;

	for (; n; n = n->next) c++;
	return c;
}

static bool
same_name(const struct cvb_name *a, const struct cvb_name *b)
{
#define EQ(x) ((a->x == NULL && b->x == NULL) || (a->x && b->x && strcmp(a->x, b->x) == 0))
	return EQ(family) && EQ(given) && EQ(literal) && EQ(suffix) &&
	    EQ(non_dropping_particle) && EQ(dropping_particle);
#undef EQ
}

static bool
same_names(const struct cvb_name *a, const struct cvb_name *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_name(a, b)) return false;
	return a == NULL && b == NULL;
}

/* The name list of one variable. */
/*
 * A CV list (style->owner_etal): the highlighted owner never disappears
 * behind "et al.".  OWNER_ETAL_ALL shows every name; OWNER_ETAL_SHOW shows
 * the names up to the owner when the owner comes soon after them ("A. Ardakani,
 * **A. Haan**, et al."), else the first names, an ellipsis and the owner
 * ("A. Ardakani, …, **A. Haan**, et al."; "A. Ardakani, … **A. Haan**" when
 * the owner is the last author).  v may be replaced by a copy in which
 * the owner follows the first names; *orig then maps back.
 */
static void
owner_not_in_etal(struct csl_rctx *r, const struct cvb_name **v, size_t total, size_t *shown,
    bool *truncated, bool *uselast, size_t *gap_at, size_t **orig)
{
	size_t k, hi = 0, i;
	bool any = false;

	for (k = *shown; k < total; k++)
		if (v[k]->flags & CVB_NF_HIGHLIGHT) { if (!any) hi = k; any = true; }
	if (!any) return;
	if (r->s->owner_etal == OWNER_ETAL_ALL || hi + 1 >= total) {
		if (r->s->owner_etal == OWNER_ETAL_ALL || hi < *shown + 3) {
			*shown = total;
			*truncated = false;
			*uselast = false;
		} else
			*uselast = true;
		return;
	}
	if (hi < *shown + 3) {
		*shown = hi + 1;
		return;
	}
	*orig = cvb_arena_alloc(r->a, (*shown + 1) * sizeof(**orig));
	if (!*orig) return;
	for (i = 0; i < *shown; i++) (*orig)[i] = i;
	(*orig)[*shown] = hi;
	/* v is the caller's arena copy: the owner moves up behind the first names */
	v[*shown] = v[hi];
	*gap_at = *shown;
	*shown += 1;
}

static struct csl_out *
render_name_list(struct csl_rctx *r, const struct cvb_name *names, struct nctx *nc,
    const struct csl_node *etal, int *count_out, int name_base)
{
	const struct cvb_name **v;
	size_t total = 0, shown, i;
	struct csl_out *g = csl_out_new(r, NULL);
	int min, first;
	bool truncated = false, uselast = false;
	const char *andterm = NULL;
	bool inv_prev = false;
	const struct cvb_name *n;
	size_t gap_at = 0, *orig = NULL;

	for (n = names; n; n = n->next) total++;
	if (total == 0) return NULL;
	v = cvb_arena_alloc(r->a, total * sizeof(*v));
	if (!v) return NULL;
	total = 0;
	for (n = names; n; n = n->next) v[total++] = n;
	min = nc->o.etal_min; first = nc->o.etal_first;
	if (r->position >= POS_SUBSEQUENT && r->position <= POS_IBID_LOC && !r->bib) {
		min = nc->o.etal_sub_min; first = nc->o.etal_sub_first;
	}
	if (r->sorting) {
		if (r->sort_min) min = r->sort_min;
		if (r->sort_first) first = r->sort_first;
		if (r->sort_last) nc->o.etal_last = 1;
	}
	/* et-al-use-first="0": no names at all */
	if (min > 0 && first == 0 && (nc->o.set & (NO_ETALFIRST | NO_ETALSUBFIRST)) && total >= (size_t)min &&
	    !(r->st && r->st->add_names > 0)) {
		if (count_out) *count_out = 0;
		return NULL;
	}
	shown = total;
	if (min > 0 && first > 0 && total >= (size_t)min && (size_t)first < total) {
		shown = (size_t)first;
		truncated = true;
	}
	/* disambiguation may add names */
	if (truncated && r->st && r->st->add_names > 0 && !r->sorting) {
		shown += (size_t)r->st->add_names;
		if (shown >= total) { shown = total; truncated = false; }
	}
	/* the last name is literally "others" */
	if (v[total - 1]->flags & CVB_NF_OTHERS) {
		if (shown == total) { shown = total - 1; truncated = true; }
	}
	if (truncated && nc->o.etal_last && shown + 1 < total) uselast = true;
	if (count_out) { *count_out = (int)shown; return NULL; }
	if (truncated && r->s->owner_etal && !r->sorting)
		owner_not_in_etal(r, v, total, &shown, &truncated, &uselast, &gap_at, &orig);
	if (nc->o.and_ == 1) andterm = csl_rterm(r, "and", TF_LONG, false);
	else if (nc->o.and_ == 2) andterm = "&";
	if (r->sorting) andterm = NULL;	/* sort keys: the names only */
	for (i = 0; i < shown; i++) {
		bool inv = (nc->o.sort_order == 2 || (nc->o.sort_order == 1 && i == 0)) &&
		    v[i]->family && !v[i]->literal;
		struct csl_out *no;
		int level = r->st ? r->st->given_level : 0;

		size_t oi = orig ? orig[i] : i;

		if (r->st && r->st->name_level && (size_t)name_base + oi < (size_t)r->st->nname_level)
			if (r->st->name_level[name_base + oi] > level) level = r->st->name_level[name_base + oi];
		if (r->sorting) level = 0;
		if (gap_at && i == gap_at) {
			/* names left out before the CV's owner */
			csl_out_add(g, csl_leaf(r, nc->o.delimiter));
			csl_out_add(g, csl_leaf(r, "\xe2\x80\xa6"));
		}
		no = name_affixes(r, render_one_name(r, v[i], nc, inv, level), v[i], nc);
		no->flags |= CO_NAME;
		if (v[i]->flags & CVB_NF_HIGHLIGHT) no->flags |= CO_HIGHLIGHT;
		if (i > 0) {
			bool last = i == shown - 1 && !truncated;
			if (last && andterm && !spaced_word(andterm)) {
				/* "和", the Hebrew prefix "ו": joined without spaces */
				csl_out_add(g, csl_leaf(r, andterm));
			} else if (last && andterm) {
				bool d;
				switch (nc->o.dp_last) {
				case 1: d = inv_prev; break;
				case 2: d = true; break;
				case 3: d = false; break;
				default: d = shown >= 3; break;
				}
				csl_out_add(g, csl_leaf(r, d ? nc->o.delimiter : " "));
				csl_out_add(g, csl_leaf(r, andterm));
				csl_out_add(g, csl_leaf(r, " "));
			} else
				csl_out_add(g, csl_leaf(r, nc->o.delimiter));
		}
		csl_out_add(g, no);
		if (v[i]->marker && !r->sorting) {
			struct csl_out *m = csl_leaf(r, v[i]->marker);
			m->flags |= CO_MARKER;
			csl_out_add(g, m);
		}
		inv_prev = inv;
	}
	if (truncated) {
		if (uselast) {
			struct csl_out *no;
			bool inv = nc->o.sort_order == 2;
			csl_out_add(g, csl_leaf(r, nc->o.delimiter));
			csl_out_add(g, csl_leaf(r, "\xe2\x80\xa6 "));
			no = name_affixes(r, render_one_name(r, v[total - 1], nc, inv, 0), v[total - 1], nc);
			if (no && (v[total - 1]->flags & CVB_NF_HIGHLIGHT)) no->flags |= CO_HIGHLIGHT;
			csl_out_add(g, no);
		} else {
			const char *et = csl_rterm(r, etal && etal->term ? etal->term : "et-al", TF_LONG, false);
			/* a sort key: the names only */
			if (et && *et && !r->sorting) {
				bool d;
				struct csl_out *eo;
				switch (nc->o.dp_etal) {
				case 1: d = inv_prev; break;
				case 2: d = true; break;
				case 3: d = false; break;
				default: d = shown >= 2; break;
				}
				{
					uint32_t c0;
					cvb_utf8_decode(et, strlen(et), &c0);
					csl_out_add(g, csl_leaf(r, d ? nc->o.delimiter : (c0 >= 0x2E80 && c0 <= 0x9FFF) ? "" : " "));
				}
				eo = csl_leaf(r, et);
				if (etal) eo = csl_finish(r, etal, eo);
				csl_out_add(g, eo);
			}
		}
	}
	return g;
}

static struct csl_out *
names_label(struct csl_rctx *r, const struct csl_node *lab, const char *varname, bool plural)
{
	const char *t;

	if (!lab) return NULL;
	if (lab->plural == 1) plural = true;
	else if (lab->plural == 2) plural = false;
	t = csl_rterm(r, varname, lab->form, plural);
	if (!t || !*t) return NULL;
	return csl_finish(r, lab, csl_leaf(r, t));
}

struct csl_out *
csl_render_names(struct csl_rctx *r, const struct csl_node *n)
{
	const struct csl_node *name = n->name, *etal = n->etal, *label = n->label;
	struct csl_out *g;
	struct nctx nc;
	int i, total_count = 0;
	bool any = false;
	const char *delim;
	int label_before = n->label_before;

	if (!name && !etal && !label && r->subst_names) {
		name = r->subst_names->name;
		etal = r->subst_names->etal;
		label = r->subst_names->label;
		label_before = r->subst_names->label_before;
	}
	memset(&nc, 0, sizeof(nc));
	for (i = 0; i < n->nvars; i++)
		if (!r->supp_n[n->vars[i].idx] && r->it->names[n->vars[i].idx]) break;
	/* (the options matter only when there are names to render) */
	if (i < n->nvars) nc.o = merge_opts(r, name);
	nc.name = name;
	if (r->sorting) {
		nc.o.sort_order = 2;
	}
	delim = n->delimiter;
	if (!delim) {
		if (r->sec && (r->sec->no.set & NO_NAMESDELIM)) delim = r->sec->no.names_delim;
		else if (r->s->no.set & NO_NAMESDELIM) delim = r->s->no.names_delim;
	}
	if (!(g = csl_out_new(r, NULL))) return NULL;
	g->delim = delim;
	r->ncalled++;
	for (i = 0; i < n->nvars; i++) {
		int vi = n->vars[i].idx;
		const struct cvb_name *list;
		const char *vname = cvb_nvar_name(vi);
		struct csl_out *lo, *one;
		int cnt = 0;

		if (r->supp_n[vi]) continue;
		list = r->it->names[vi];
		if (!list) continue;
		/* editor and translator the same: once, with "editortranslator" */
		if (vi == CVB_NV_EDITOR || vi == CVB_NV_TRANSLATOR) {
			int other = vi == CVB_NV_EDITOR ? CVB_NV_TRANSLATOR : CVB_NV_EDITOR;
			int j;
			bool both = false;
			for (j = 0; j < n->nvars; j++) if (n->vars[j].idx == other) both = true;
			if (both && r->it->names[other] && same_names(list, r->it->names[other]) && !r->supp_n[other] &&
			    (!label || (csl_rterm(r, "editortranslator", label->form, true) && *csl_rterm(r, "editortranslator", label->form, true)))) {
				if (vi == CVB_NV_TRANSLATOR) continue;
				vname = "editortranslator";
			}
		}
		if (nc.o.form == 2) {
			render_name_list(r, list, &nc, etal, &cnt, 0);
			total_count += cnt;
			any = true;
			if (r->in_subst) r->supp_n[vi] = true;
			continue;
		}
		lo = render_name_list(r, list, &nc, etal, NULL, 0);
		if (!lo || csl_out_isempty(lo)) continue;
		if (name) {
			/* (the affixes went around each name) */
			struct csl_node nn = *name;
			nn.f.prefix = nn.f.suffix = NULL;
			lo = csl_finish(r, &nn, lo);
		}
		if (!r->first_names && !r->first_namelist) r->first_namelist = lo;
		one = csl_out_new(r, NULL);
		if (r->sorting) label = NULL;
		if (label && label_before) csl_out_add(one, names_label(r, label, vname, count_names(list) > 1));
		csl_out_add(one, lo);
		if (label && !label_before) csl_out_add(one, names_label(r, label, vname, count_names(list) > 1));
		csl_out_add(g, one);
		any = true;
		if (r->in_subst) r->supp_n[vi] = true;
	}
	if (nc.o.form == 2 && any) {
		char num[32];
		if (total_count == 0) return NULL;
		snprintf(num, sizeof(num), "%d", total_count);
		g = csl_leaf(r, cvb_arena_strdup(r->a, num));
	}
	if (!any || csl_out_isempty(g)) {
		/* substitute */
		const struct csl_node *c;
		if (n->substitute && !r->in_subst) {
			const struct csl_node *saved = r->subst_names;
			int sc = r->ncalled, sr = r->nrendered;
			r->in_subst = true;
			r->subst_names = n;
			for (c = n->substitute->kids; c; c = c->next) {
				struct csl_out *so = csl_render_node(r, c);
				if (so && !csl_out_isempty(so)) {
					r->in_subst = false;
					r->subst_names = saved;
					r->ncalled = sc; r->nrendered = sr + 1;
					so = csl_finish(r, n, so);
					so->flags |= CO_NAMES;
					if (!r->first_names) r->first_names = so;
					return so;
				}
				/* a term the locale defines as empty still substitutes
				 * (nothing) */
				if (c->type == CN_TEXT && c->term && csl_term_get(r->s, c->term, c->form, 0)) break;
			}
			r->in_subst = false;
			r->subst_names = saved;
			r->ncalled = sc; r->nrendered = sr;
		}
		return NULL;
	}
	r->nrendered++;
	g = csl_finish(r, n, g);
	g->flags |= CO_NAMES;
	if (!r->first_names) r->first_names = g;
	return g;
}
