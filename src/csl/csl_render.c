/*
 * csl_render.c - rendering one item with a compiled CSL style.
 *
 * Walks the node tree of a layout (csl.h) for one item and builds an output
 * tree of struct csl_out (text leaves in CSL rich text, groups with
 * formatting, affixes and delimiters), applying the specification's rules:
 * group suppression, substitution, dates, numbers, labels, terms,
 * conditions, text-case.  Names are rendered by csl_names.c; csl_flat.c
 * turns an output tree into text, Markdown, HTML or LaTeX.  Memory comes
 * from the caller's arena; no libxml2 calls happen here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

static struct csl_out *render_kids(struct csl_rctx *, const struct csl_node *kids, const char *delim);

void
csl_rctx_init(struct csl_rctx *r, cvbib_style *s, struct cvb_arena *a,
    const struct csl_section *sec, struct csl_istate *st)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->a = a;
	r->sec = sec;
	r->st = st;
	r->it = st ? st->item : NULL;
	if (r->it) {
		/* rendering looks at many of the item's variables: fetch them
		 * all at once rather than miss the cache one by one */
		const char *const *v;
		for (v = r->it->str; v < r->it->str + CVB_V__COUNT; v += 8)
			__builtin_prefetch(v);
	}
}

struct csl_out *
csl_out_new(struct csl_rctx *r, const char *text)
{
	struct csl_out *o = cvb_arena_alloc(r->a, sizeof(*o));

	if (o) o->text = text;
	return o;
}

void
csl_out_add(struct csl_out *p, struct csl_out *k)
{
	if (!p || !k) return;
	if (p->last) p->last->next = k; else p->kids = k;
	p->last = k;
}

bool
csl_out_empty(struct csl_out *o)
{
	struct csl_out *k;

	if (!o) return true;
	if (o->text) return o->text[0] == 0;
	for (k = o->kids; k; k = k->next)
		if (!csl_out_empty(k)) return false;
	return true;
}

/*
 * csl_out_empty() for the render functions, which ask again at every level
 * of a tree: a node found to render something is marked CO_FULL, and what
 * is below it is not walked again.  Rendering only adds to a tree, except
 * for case_tree() and strip_tree(), which clear the marks of what they
 * change.  What happens to a tree after rendering (subsequent-author-
 * substitute, suppress-author) goes through csl_out_empty(), which never
 * trusts the marks.
 */
bool
csl_out_empty_walk(struct csl_out *o)
{
	struct csl_out *k;

	if (o->text) {
		if (!o->text[0]) return true;
		o->flags |= CO_FULL;
		return false;
	}
	for (k = o->kids; k; k = k->next)
		if (!csl_out_isempty(k)) {
			o->flags |= CO_FULL;
			return false;
		}
	return true;
}

char *
csl_astr(struct csl_rctx *r, const char *s, size_t n)
{
	return cvb_arena_strndup(r->a, s, n);
}

char *
csl_bufstr(struct csl_rctx *r, struct cvb_buf *b)
{
	char *x = csl_astr(r, b->buf, b->len);
	cvbib_buf_release(b);
	return x;
}

static void
apply_fmt(struct csl_out *o, const struct csl_fmt *f)
{
	if (!o) return;
	o->f.font_style = f->font_style;
	o->f.font_variant = f->font_variant;
	o->f.font_weight = f->font_weight;
	o->f.text_decoration = f->text_decoration;
	o->f.vertical_align = f->vertical_align;
	o->f.display = f->display;
	o->f.quotes = f->quotes;
	o->f.prefix = f->prefix;
	o->f.suffix = f->suffix;
}

/* ------------------------------------------------------------ text case */

static void
case_tree(struct csl_rctx *r, struct csl_out *o, int tc, bool *first)
{
	struct csl_out *k;

	if (!o) return;
	o->flags &= ~(unsigned)CO_FULL;
	if (o->text) {
		struct cvb_buf b = CVB_BUF_INIT;
		if (o->flags & (CO_YSUFFIX | CO_CITNUM)) return;
		csl_text_case_lang(&b, o->text, tc, first, r->it ? r->it->str[CVB_V_LANGUAGE] : NULL);
		o->text = csl_bufstr(r, &b);
		return;
	}
	/* names keep their case: text-case on an element around a names
	 * element (a macro, a group) does not reach them in citeproc-js */
	if (o->flags & CO_NAMES) {
		*first = false;
		return;
	}
	for (k = o->kids; k; k = k->next)
		case_tree(r, k, tc, first);
}

static void
strip_tree(struct csl_rctx *r, struct csl_out *o)
{
	struct csl_out *k;

	if (!o) return;
	o->flags &= ~(unsigned)CO_FULL;
	if (o->text) {
		struct cvb_buf b = CVB_BUF_INIT;
		const char *p;
		for (p = o->text; *p; p++)
			if (*p != '.') cvb_buf_addch(&b, *p);
		o->text = csl_bufstr(r, &b);
		return;
	}
	for (k = o->kids; k; k = k->next)
		strip_tree(r, k);
}

/* Finish a node's output: formatting, affixes, text-case, strip-periods. */
struct csl_out *
csl_finish(struct csl_rctx *r, const struct csl_node *n, struct csl_out *o)
{
	if (!o) return NULL;
	if (n->f.strip_periods) strip_tree(r, o);
	if (n->f.text_case) {
		bool first = true;
		int tc = n->f.text_case;
		/* title case applies to English items only */
		if (tc == TC_TITLE) {
			const char *lang = r->it ? r->it->str[CVB_V_LANGUAGE] : NULL;
			bool en = lang && *lang ? strncmp(lang, "en", 2) == 0 :
			    !r->s->default_locale || strncmp(r->s->default_locale, "en", 2) == 0;
			if (!en) tc = 0;
		}
		if (tc)
		case_tree(r, o, tc, &first);
	}
	if (o->text && !n->f.prefix && !n->f.suffix && !n->f.font_style && !n->f.font_weight &&
	    !n->f.font_variant && !n->f.text_decoration && !n->f.vertical_align && !n->f.display &&
	    !n->f.quotes && !o->f.prefix && !o->f.suffix && !o->f.font_style && !o->f.font_weight &&
	    !o->f.font_variant && !o->f.text_decoration && !o->f.vertical_align && !o->f.display &&
	    !o->f.quotes)
		return o;	/* a leaf that no formatting applies to: no wrapper */
	if (o->text || o->f.prefix || o->f.suffix || o->f.font_style || o->f.font_weight ||
	    o->f.font_variant || o->f.text_decoration || o->f.vertical_align || o->f.display || o->f.quotes) {
		/* wrap so that formatting of the inner node is kept */
		struct csl_out *w = csl_out_new(r, NULL);
		if (!w) return o;
		csl_out_add(w, o);
		o = w;
	}
	apply_fmt(o, &n->f);
	return o;
}

struct csl_out *
csl_leaf(struct csl_rctx *r, const char *s)
{
	return csl_out_new(r, s ? s : "");
}

/* ------------------------------------------------------------ variables */

static void
ysuffix_str(char *buf, int n)
{
	/* 1 -> a, 26 -> z, 27 -> aa */
	char tmp[16];
	int i = 0;

	while (n > 0 && i < 15) {
		n--;
		tmp[i++] = (char)('a' + n % 26);
		n /= 26;
	}
	{
		int j;
		for (j = 0; j < i; j++) buf[j] = tmp[i - 1 - j];
		buf[i] = 0;
	}
}

/* The trigraph citation-label: "Aaaa00", "AaAa00", "AaAaAa00", "AAAA00". */
static const char *
citation_label(struct csl_rctx *r)
{
	const struct cvb_name *n = r->it->names[CVB_NV_AUTHOR], *x;
	struct cvb_buf b = CVB_BUF_INIT;
	int cnt = 0, each;
	const struct cvb_date *d = r->it->date[CVB_DV_ISSUED];

	if (!n) n = r->it->names[CVB_NV_EDITOR];
	for (x = n; x; x = x->next) cnt++;
	each = cnt == 1 ? 4 : cnt <= 3 ? 2 : 1;
	for (x = n; x && cnt > 0; x = x->next) {
		const char *f = x->family ? x->family : x->literal;
		int k = 0;
		size_t i = 0, fl;
		if (!f) continue;
		/* the family name without its particles ("van Doe" -> "Doe") */
		while (x->family && !x->non_dropping_particle && islower((unsigned char)*f) && strchr(f, ' '))
			f = strchr(f, ' ') + 1;
		fl = strlen(f);
		while (i < fl && k < each) {
			uint32_t c;
			int l = cvb_utf8_decode(f + i, fl - i, &c);
			cvb_buf_add(&b, f + i, (size_t)l);
			i += (size_t)l;
			k++;
		}
		if (each == 1 && b.len >= 4) break;
	}
	if (d && d->nparts[0]) cvb_buf_addf(&b, "%02d", (d->parts[0][0] < 0 ? -d->parts[0][0] : d->parts[0][0]) % 100);
	if (b.len == 0) { cvbib_buf_release(&b); return NULL; }
	{
		char *s = cvb_arena_strndup(r->a, b.buf, b.len);
		cvbib_buf_release(&b);
		return s;
	}
}

/* The value of a string/number variable for the current cite, or NULL. */
static const char *
var_str(struct csl_rctx *r, int idx)
{
	static char num[32];

	switch (idx) {
	case CVB_V_LOCATOR: {
		const char *l = r->cite ? r->cite->locator : NULL;
		size_t n;
		if (!l) return NULL;
		while (*l == ' ') l++;		/* " 666" as typed in a word processor */
		n = strlen(l);
		while (n > 0 && l[n - 1] == ' ') n--;
		if (n && memchr(l, '&', n)) {
			/* "213 & 235": the locale's "and" symbol */
			const char *amp = csl_term_text(r->s, "and", TF_SYMBOL, false);
			if (amp && strcmp(amp, "&") != 0) {
				struct cvb_buf b = CVB_BUF_INIT;
				size_t i;
				for (i = 0; i < n; i++)
					if (l[i] == '&') cvb_buf_adds(&b, amp);
					else cvb_buf_addch(&b, l[i]);
				return csl_bufstr(r, &b);
			}
		}
		return n ? cvb_arena_strndup(r->a, l, n) : NULL;
	}
	case CVB_V_CITATION_NUMBER:
		if (r->it->str[idx]) return r->it->str[idx];
		if (!r->st || r->st->citnum <= 0) return NULL;
		snprintf(num, sizeof(num), "%d", r->st->citnum);
		return cvb_arena_strdup(r->a, num);
	case CVB_V_PAGE_FIRST:
		if (r->it->str[idx] && *r->it->str[idx]) return r->it->str[idx];
		if (r->it->str[CVB_V_PAGE] && !r->supp_s[CVB_V_PAGE]) {
			const char *pg = r->it->str[CVB_V_PAGE];
			size_t l = strcspn(pg, "-,&\xe2 ");
			return l ? cvb_arena_strndup(r->a, pg, l) : NULL;
		}
		return NULL;
	case CVB_V_CITATION_LABEL:
		if (r->it->str[idx] && *r->it->str[idx]) return r->it->str[idx];
		return citation_label(r);
	case CVB_V_YEAR_SUFFIX:
		if (!r->st || r->st->ysuffix <= 0) return NULL;
		ysuffix_str(num, r->st->ysuffix);
		return cvb_arena_strdup(r->a, num);
	case CVB_V_FIRST_REFERENCE_NOTE_NUMBER:
		if (!r->st || r->st->first_note <= 0 || r->position < POS_SUBSEQUENT) return NULL;
		snprintf(num, sizeof(num), "%d", r->st->first_note);
		return cvb_arena_strdup(r->a, num);
	default:
		break;
	}
	if (idx < 0 || idx >= CVB_V__COUNT) return NULL;
	if (r->supp_s[idx]) return NULL;
	return r->it->str[idx] && *r->it->str[idx] ? r->it->str[idx] : NULL;
}

static bool
var_present(struct csl_rctx *r, struct cvb_varref v)
{
	switch (v.kind) {
	case CVB_VK_STR: case CVB_VK_NUM:
		return var_str(r, v.idx) != NULL;
	case CVB_VK_DATE:
		return !r->supp_d[v.idx] && r->it->date[v.idx] != NULL;
	case CVB_VK_NAME:
		return !r->supp_n[v.idx] && r->it->names[v.idx] != NULL;
	default:
		return false;
	}
}

/* ------------------------------------------------------------ numbers */

static int
term_gender(struct csl_rctx *r, const char *term)
{
	const struct csl_term *t = csl_term_get(r->s, term, TF_LONG, 0);
	return t ? t->gender : 0;
}

/* Render a numeric value with form (numeric/ordinal/long-ordinal/roman). */
static char *
format_number(struct csl_rctx *r, const char *v, int form, int gender, bool pagefmt)
{
	struct cvb_buf b = CVB_BUF_INIT;
	const char *p = v;

	if (pagefmt) {
		csl_page_range(&b, v, r->s->page_range_format, csl_rterm(r, "page-range-delimiter", TF_LONG, false));
		return csl_bufstr(r, &b);
	}
	while (*p) {
		if (isdigit((unsigned char)*p)) {
			char *e;
			long n = strtol(p, &e, 10);
			/* keep letters attached to the number ("2a") */
			if (isalpha((unsigned char)*e) || form == NF_NUMERIC) {
				cvb_buf_add(&b, p, (size_t)(e - p));
			} else if (form == NF_ORDINAL)
				csl_ordinal(&b, r->s, n, gender, false);
			else if (form == NF_LONG_ORDINAL)
				csl_ordinal(&b, r->s, n, gender, true);
			else if (form == NF_ROMAN)
				csl_roman(&b, n);
			p = e;
		} else if (*p == '-' ) {
			/* a range: en dash; spaces around are dropped */
			while (b.len && b.buf[b.len - 1] == ' ') b.len--;
			b.buf[b.len] = 0;
			cvb_buf_adds(&b, "\xe2\x80\x93");
			p++;
			while (*p == ' ') p++;
		} else if (*p == ',' || *p == '&') {
			while (b.len && b.buf[b.len - 1] == ' ') b.len--;
			b.buf[b.len] = 0;
			if (*p == ',') cvb_buf_adds(&b, ", ");
			else cvb_buf_adds(&b, " & ");
			p++;
			while (*p == ' ') p++;
		} else {
			cvb_buf_addch(&b, *p);
			p++;
		}
	}
	return csl_bufstr(r, &b);
}

static bool
is_plural_value(const char *v)
{
	const char *p, *end;

	if (!v) return false;
	/* a word that is neither a number nor a roman numeral first makes the
	 * value one label, not a list ("US 6,285,999 B1" is one patent
	 * number); later, it is an embedded label ("367-368, fig. 333"), and
	 * only the numbers before it count */
	for (p = v; *p; ) {
		size_t n = strcspn(p, " ,&-"), i, nal = 0, nrom = 0, ndig = 0;
		for (i = 0; i < n; i++) {
			if (isdigit((unsigned char)p[i])) ndig++;
			else if (isalpha((unsigned char)p[i])) {
				nal++;
				if (strchr("ivxlcdmIVXLCDM", p[i])) nrom++;
			}
		}
		if (nal && !ndig && nrom < nal && !(n == 3 && strncmp(p, "and", 3) == 0)) break;
		p += n;
		if (*p) p++;
	}
	end = p;
	while (end > v && strchr(" ,&", end[-1])) end--;
	if (end == v) return false;
	for (p = v; *p && p < end; p++) {
		if (*p == '\\' && p[1] == '-') { p++; continue; }
		/* a thousands separator is not a list: "6,285,999" */
		if (*p == ',' && p > v && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4]))
			continue;
		if ((*p == '-' || *p == ',' || *p == '&') && p > v) return true;
		if (strncmp(p, "\xe2\x80\x93", 3) == 0) return true;
		if (strncmp(p, " and ", 5) == 0) return true;
	}
	return false;
}

/* French guillemets: the space inside "« " and " »" (plain or no-break)
 * becomes a narrow no-break space, U+202F (as citeproc-js) */
static const char *
french_quote_spaces(struct csl_rctx *r, const char *v)
{
	struct cvb_buf b = CVB_BUF_INIT;
	const char *p = v;

	while (*p) {
		if (strncmp(p, "\xc2\xab", 2) == 0 && (p[2] == ' ' || strncmp(p + 2, "\xc2\xa0", 2) == 0)) {
			cvb_buf_adds(&b, "\xc2\xab\xe2\x80\xaf");
			p += p[2] == ' ' ? 3 : 4;
		} else if ((*p == ' ' || strncmp(p, "\xc2\xa0", 2) == 0) &&
		    strncmp(p + (*p == ' ' ? 1 : 2), "\xc2\xbb", 2) == 0) {
			cvb_buf_adds(&b, "\xe2\x80\xaf\xc2\xbb");
			p += *p == ' ' ? 3 : 4;
		} else
			cvb_buf_addch(&b, *p++);
	}
	return csl_bufstr(r, &b);
}

/* ------------------------------------------------------------ terms, labels */

const char *
csl_rterm(struct csl_rctx *r, const char *name, int form, bool plural)
{
	return csl_term_text(r->s, name, form, plural);
}

static const char *
locator_term_name(const char *label)
{
	if (!label || !*label) return "page";
	if (strcmp(label, "sub verbo") == 0) return "sub-verbo";
	return label;
}

/* Does the locator start with its own label, the short form of a locator
 * term ("vol. 1, fol. 186")?  Then the label element prints nothing. */
static const char *
locator_label_term(struct csl_rctx *r, const char *v)
{
	static const char *const names[] = {
		"book", "chapter", "column", "figure", "folio", "issue", "line", "note",
		"opus", "page", "paragraph", "part", "section", "sub-verbo", "verse",
		"volume", NULL
	};
	size_t wl = strcspn(v, " "), i;

	if (wl < 2 || v[wl - 1] != '.' || v[wl] != ' ') return NULL;
	for (i = 0; names[i]; i++) {
		const struct csl_term *t = csl_term_get(r->s, names[i], TF_SHORT, 0);
		if (t && t->form == TF_SHORT &&
		    ((t->single && strlen(t->single) == wl && strncmp(t->single, v, wl) == 0) ||
		    (t->multiple && strlen(t->multiple) == wl && strncmp(t->multiple, v, wl) == 0)))
			return names[i];
	}
	return NULL;
}

static bool
locator_has_label(struct csl_rctx *r, const char *v)
{
	return locator_label_term(r, v) != NULL;
}

/* "7, p. 3-8": a number, then an embedded label with its own numbers
 * ("7th, pp. 3–8" as an ordinal), or NULL */
static const char *
number_with_label(struct csl_rctx *r, const char *v, const struct csl_node *n)
{
	const char *c = strstr(v, ", "), *tn, *rest;
	char *first;
	bool ok;

	if (!c) return NULL;
	tn = locator_label_term(r, c + 2);
	if (!tn) return NULL;
	rest = c + 2 + strcspn(c + 2, " ") + 1;
	first = cvb_arena_strndup(r->a, v, (size_t)(c - v));
	ok = first && csl_is_numeric(first) && csl_is_numeric(rest);
	if (!ok) return NULL;
	return cvb_arena_printf(r->a, "%s, %s %s", format_number(r, first, n->form, term_gender(r, n->var_name), false),
	    csl_rterm(r, tn, TF_SHORT, is_plural_value(rest)), format_number(r, rest, NF_NUMERIC, 0, false));
}

static struct csl_out *
render_label(struct csl_rctx *r, const struct csl_node *n)
{
	const char *v = NULL, *tn, *t;
	bool plural;

	if (n->var.kind == CVB_VK_NONE) return NULL;
	if (n->var.kind == CVB_VK_STR || n->var.kind == CVB_VK_NUM) {
		v = var_str(r, n->var.idx);
		/* the substitute that printed the variable keeps its label:
		 * "(11th ed.)" */
		if (!v && r->in_subst && n->var.idx < CVB_V__COUNT && r->supp_s[n->var.idx] &&
		    r->it->str[n->var.idx] && *r->it->str[n->var.idx])
			v = r->it->str[n->var.idx];
		if (!v) return NULL;
	} else
		return NULL;
	tn = n->var_name;
	if (n->var.idx == CVB_V_LOCATOR && locator_has_label(r, v)) return NULL;
	if (n->var.idx == CVB_V_LOCATOR)
		tn = locator_term_name(r->cite ? r->cite->label : NULL);
	if (n->plural == 1) plural = true;
	else if (n->plural == 2) plural = false;
	else if (n->var.idx == CVB_V_NUMBER_OF_PAGES || n->var.idx == CVB_V_NUMBER_OF_VOLUMES)
		plural = atol(v) > 1;
	else {
		const char *and_ = csl_rterm(r, "and", TF_LONG, false);
		plural = is_plural_value(v);
		if (!plural && n->var.idx == CVB_V_LOCATOR && r->cite && r->cite->locator)
			plural = is_plural_value(r->cite->locator);
		/* "213 et 235": the locale's "and" joins numbers too */
		if (!plural && and_ && *and_) {
			const char *q = strstr(v, and_);
			size_t al = strlen(and_);
			plural = q && q > v && q[-1] == ' ' && q[al] == ' ';
		}
	}
	t = csl_rterm(r, tn, n->form, plural);
	if (!t || !*t) return NULL;
	return csl_finish(r, n, csl_leaf(r, t));
}

/* ------------------------------------------------------------ dates */

static struct csl_out *render_date(struct csl_rctx *, const struct csl_node *);

/* Append v in decimal, with leading zeros to width (printf's "%0*u"). */
static void
add_uint(struct cvb_buf *b, unsigned v, int width)
{
	char t[16];
	int n = 0;

	do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
	while (n < width && n < (int)sizeof(t)) t[n++] = '0';
	while (n > 0) cvb_buf_addch(b, t[--n]);
}

static void
date_part_text(struct csl_rctx *r, struct cvb_buf *b, const struct csl_node *dp,
    const struct cvb_date *d, int which, int part)
{
	int y = d->parts[which][0], m = d->parts[which][1], day = d->parts[which][2];
	char name[32];

	switch (part) {
	case 2:	/* year */
		if (d->nparts[which] < 1) return;
		if (dp->form == DPF_SHORT) { add_uint(b, (unsigned)((y < 0 ? -y : y) % 100), 2); return; }
		if (y < 0) {
			const char *bc = csl_rterm(r, "bc", TF_LONG, false);
			add_uint(b, (unsigned)-y, 0);
			cvb_buf_adds(b, bc ? bc : "BC");
		} else if (y > 0 && y < 1000) {
			const char *ad = csl_rterm(r, "ad", TF_LONG, false);
			add_uint(b, (unsigned)y, 0);
			cvb_buf_adds(b, ad ? ad : "AD");
		} else
			add_uint(b, (unsigned)y, 0);
		return;
	case 1:	/* month */
		if (d->nparts[which] < 2 || m < 1) {
			int season = which == 0 ? d->season : 0;
			if (m >= 13 && m <= 24) season = (m - 13) % 4 + 1;
			if (season >= 1 && season <= 4) {
				const char *t;
				snprintf(name, sizeof(name), "season-%02d", season);
				t = csl_rterm(r, name, TF_LONG, false);
				if (t) cvb_buf_adds(b, t);
			} else if (which == 0 && d->season_str)
				cvb_buf_adds(b, d->season_str);
			return;
		}
		if (m > 12) {
			/* 13-24: the seasons, 17-20 counted on (as citeproc-js) */
			if (m <= 24) {
				const char *t;
				snprintf(name, sizeof(name), "season-%02d", (m - 13) % 4 + 1);
				t = csl_rterm(r, name, TF_LONG, false);
				if (t) cvb_buf_adds(b, t);
			}
			return;
		}
		switch (dp->form) {
		case DPF_NUMERIC: add_uint(b, (unsigned)m, 0); break;
		case DPF_NUMERIC_LZ: add_uint(b, (unsigned)m, 2); break;
		case DPF_SHORT: case DPF_LONG: default: {
			const char *t;
			memcpy(name, "month-", 6);
			name[6] = (char)('0' + m / 10); name[7] = (char)('0' + m % 10); name[8] = 0;
			t = csl_rterm(r, name, dp->form == DPF_SHORT ? TF_SHORT : TF_LONG, false);
			if (t) {
				if (dp->f.strip_periods) {
					const char *q;
					for (q = t; *q; q++) if (*q != '.') cvb_buf_addch(b, *q);
				} else
					cvb_buf_adds(b, t);
			}
		}
		}
		return;
	case 0: /* day */
		if (d->nparts[which] < 3 || day < 1) return;
		switch (dp->form) {
		case DPF_NUMERIC_LZ: add_uint(b, (unsigned)day, 2); break;
		case DPF_ORDINAL: {
			if (r->s->loc.limit_ordinals && day != 1) { add_uint(b, (unsigned)day, 0); break; }
			snprintf(name, sizeof(name), "month-%02d", m > 0 && m <= 12 ? m : 1);
			csl_ordinal(b, r->s, day, term_gender(r, name), false);
			break;
		}
		default: add_uint(b, (unsigned)day, 0);
		}
		return;
	}
}

/* Does the date have this part (for either end)? */
static bool
has_part(const struct cvb_date *d, int which, int part)
{
	if (part == 2) return d->nparts[which] >= 1;
	if (part == 1) return d->nparts[which] >= 2 || (which == 0 && (d->season || d->season_str));
	return d->nparts[which] >= 3;
}

static struct csl_out *
part_out(struct csl_rctx *r, const struct csl_node *dp, const struct cvb_date *d, int which,
    bool noprefix, bool nosuffix)
{
	struct cvb_buf b = CVB_BUF_INIT;
	struct csl_out *o;
	struct csl_node tmp = *dp;

	date_part_text(r, &b, dp, d, which, dp->dp_name);
	if (b.len == 0) { cvbib_buf_release(&b); return NULL; }
	o = csl_leaf(r, csl_bufstr(r, &b));
	if (noprefix) tmp.f.prefix = NULL;
	if (nosuffix) tmp.f.suffix = NULL;
	tmp.f.strip_periods = 0;
	return csl_finish(r, &tmp, o);
}

static struct csl_out *
render_date_parts(struct csl_rctx *r, const struct csl_node *parts, int nparts_limit,
    const struct cvb_date *d, const char *delim, const struct csl_node *override_src)
{
	const struct csl_node *list[3];
	struct csl_node merged[3];
	struct csl_out *g = csl_out_new(r, NULL);
	const struct csl_node *p;
	int np = 0, i, big = -1;

	if (!g) return NULL;

	for (p = parts; p && np < 3; p = p->next) {
		if (p->type != CN_DATEPART) continue;
		if (nparts_limit == 1 && p->dp_name != 2) continue;
		if (nparts_limit == 2 && p->dp_name == 0) continue;
		merged[np] = *p;
		if (override_src) {
			const struct csl_node *o;
			for (o = override_src; o; o = o->next)
				if (o->type == CN_DATEPART && o->dp_name == p->dp_name) {
					/* the style's date-part refines the locale's: only
					 * what it sets changes */
					struct csl_fmt *m = &merged[np].f;
					const struct csl_fmt *of = &o->f;
					if (o->has_form) merged[np].form = o->form;
					if (of->prefix) m->prefix = of->prefix;
					if (of->suffix) m->suffix = of->suffix;
					if (of->font_style) m->font_style = of->font_style;
					if (of->font_variant) m->font_variant = of->font_variant;
					if (of->font_weight) m->font_weight = of->font_weight;
					if (of->text_decoration) m->text_decoration = of->text_decoration;
					if (of->vertical_align) m->vertical_align = of->vertical_align;
					if (of->text_case) m->text_case = of->text_case;
					if (of->strip_periods) m->strip_periods = of->strip_periods;
					if (o->range_delim) merged[np].range_delim = o->range_delim;
					break;
				}
		}
		list[np] = &merged[np];
		np++;
	}
	if (!g) return NULL;
	g->delim = delim;
	/* a range: the largest part that differs */
	if (d->range && d->nparts[1] > 0 && d->parts[1][0] != 0) {
		if (d->parts[0][0] != d->parts[1][0]) big = 2;
		else if (d->parts[0][1] != d->parts[1][1]) big = 1;
		else if (d->parts[0][2] != d->parts[1][2]) big = 0;
		/* is that part shown? */
		if (big >= 0) {
			bool shown = false;
			for (i = 0; i < np; i++) if (list[i]->dp_name >= big) shown = true;
			if (!shown) big = -1;
		}
	}
	if (big < 0) {
		for (i = 0; i < np; i++)
			csl_out_add(g, part_out(r, list[i], d, 0, false, false));
		if (d->range && (d->open_end || (d->nparts[1] > 0 && d->parts[1][0] == 0)) && np > 0) {
			/* "2004–" */
			struct csl_out *x = csl_out_new(r, "\xe2\x80\x93");
			csl_out_add(g, x);
			g->delim = NULL;
		}
		return g;
	}
	{
		/* parts <= big differ; render the run of differing parts twice */
		int first = -1, last = -1;
		const char *rd = "\xe2\x80\x93";
		struct csl_out *a = csl_out_new(r, NULL), *b2 = csl_out_new(r, NULL);
		if (!a || !b2) return NULL;
		for (i = 0; i < np; i++)
			if (list[i]->dp_name <= big && has_part(d, 0, list[i]->dp_name)) {
				if (first < 0) first = i;
				last = i;
			}
		for (i = 0; i < np; i++)
			if (list[i]->dp_name == big && list[i]->range_delim) rd = list[i]->range_delim;
		if (first < 0) {
			for (i = 0; i < np; i++) csl_out_add(g, part_out(r, list[i], d, 0, false, false));
			return g;
		}
		a->delim = delim; b2->delim = delim;
		for (i = first; i <= last; i++) {
			csl_out_add(a, part_out(r, list[i], d, 0, false, i == last));
			csl_out_add(b2, part_out(r, list[i], d, 1, i == first, false));
		}
		for (i = 0; i < first; i++) csl_out_add(g, part_out(r, list[i], d, 0, false, false));
		{
			struct csl_out *rng = csl_out_new(r, NULL);
			if (!rng) return NULL;
			rng->delim = NULL;
			csl_out_add(rng, a);
			csl_out_add(rng, csl_out_new(r, rd));
			csl_out_add(rng, b2);
			csl_out_add(g, rng);
		}
		for (i = last + 1; i < np; i++) csl_out_add(g, part_out(r, list[i], d, 0, false, false));
	}
	return g;
}

static struct csl_out *
render_date(struct csl_rctx *r, const struct csl_node *n)
{
	const struct cvb_date *d;
	const struct csl_node *yp = NULL;
	struct csl_out *o;

	if (n->var.kind != CVB_VK_DATE) return NULL;
	r->ncalled++;
	if (r->supp_d[n->var.idx]) return NULL;
	/* two cites that differ only by the accessed date are ambiguous (as
	 * citeproc-js) */
	if (r->just_looking && n->var.idx == CVB_DV_ACCESSED) return NULL;
	d = r->it->date[n->var.idx];
	if (!d) return NULL;
	if (d->nparts[0] == 0 && n->form != DF_TEXT && n->form != DF_NUMERIC) {
		/* a literal date stands for the year: a date without a year
		 * date-part (chicago's "month day") prints none of it */
		for (yp = n->kids; yp; yp = yp->next)
			if (yp->type == CN_DATEPART && yp->dp_name == 2) break;
		if (!yp) return NULL;
	}
	if ((d->nparts[0] == 0 && !d->literal && !d->season && !d->season_str) ||
	    (d->nparts[0] == 0 && d->literal)) {
		if (d->literal) o = csl_leaf(r, d->literal);
		else if (d->raw) o = csl_leaf(r, d->raw);
		else return NULL;
		/* with the year's affixes: "(early 1920s)" */
		if (yp && (yp->f.prefix || yp->f.suffix)) {
			struct csl_out *w = csl_out_new(r, NULL);
			if (!w) return NULL;
			csl_out_add(w, o);
			w->f.prefix = yp->f.prefix; w->f.suffix = yp->f.suffix;
			o = w;
		}
	} else if (n->form == DF_TEXT || n->form == DF_NUMERIC) {
		const struct csl_node *ld = r->s->loc.date[n->form];
		if (!ld) return NULL;
		o = render_date_parts(r, ld->kids, n->date_parts ? n->date_parts : 3, d,
		    ld->delimiter, n->kids);
		/* the locale date's own affixes */
		if (o && (ld->f.prefix || ld->f.suffix)) {
			struct csl_out *w = csl_out_new(r, NULL);
			if (!w) return NULL;
			csl_out_add(w, o);
			w->f.prefix = ld->f.prefix; w->f.suffix = ld->f.suffix;
			o = w;
		}
	} else {
		o = render_date_parts(r, n->kids, 3, d, n->delimiter, NULL);
	}
	if (csl_out_isempty(o)) return NULL;
	r->nrendered++;
	if (r->in_subst) r->supp_d[n->var.idx] = true;
	if (n->var.idx == CVB_DV_ISSUED && !r->s->uses_ysuffix && r->st && r->st->ysuffix > 0 &&
	    !r->ysuffix_done && !r->sorting) {
		char ys[16];
		struct csl_out *w = csl_out_new(r, NULL), *y;
		ysuffix_str(ys, r->st->ysuffix);
		y = csl_leaf(r, cvb_arena_strdup(r->a, ys));
		if (!w || !y) return NULL;
		y->flags |= CO_YSUFFIX;
		csl_out_add(w, o);
		csl_out_add(w, y);
		o = w;
		r->ysuffix_done = true;
	}
	{
		struct csl_node tmp = *n;
		tmp.f.strip_periods = 0;
		return csl_finish(r, &tmp, o);
	}
}

/* ------------------------------------------------------------ conditions */

static bool test_one(struct csl_rctx *r, const struct csl_test *t);

/*
 * The n tests t[] of a condition, matched by match, in their order (a
 * disambiguate test counts only when it is reached).  The types of a
 * type="..." attribute (neighbours in t[]) make one test, which holds when
 * the item is any of them: a type list is always "any" in citeproc-js, so
 * type="post webpage" without match="any" holds for a web page; CSL 1.0.2
 * would make it false for every item, which no style means.
 */
static bool
match_tests(struct csl_rctx *r, const struct csl_test *t, int n, int match)
{
	int i = 0;

	while (i < n) {
		bool v = false;
		if (t[i].cond == CC_TYPE) {
			for (; i < n && t[i].cond == CC_TYPE; i++)
				if (!v) v = test_one(r, &t[i]);
		} else {
			v = test_one(r, &t[i++]);
		}
		if (match == MATCH_ANY && v) return true;
		if (match == MATCH_ALL && !v) return false;
		if (match == MATCH_NONE && v) return false;
	}
	return match != MATCH_ANY;
}

static bool
test_one(struct csl_rctx *r, const struct csl_test *t)
{
	switch (t->cond) {
	case CC_GROUP:
		return match_tests(r, t->sub, t->nsub, t->ival);
	case CC_TYPE:
		return r->it->type == (enum cvb_type)t->ival && t->ival != 0;
	case CC_VARIABLE:
		if (t->var.kind == CVB_VK_NONE) return false;
		/* a variable a substitute printed is suppressed in the output,
		 * but still present to conditions (as citeproc-js) */
		if (t->var.kind == CVB_VK_NAME && r->supp_n[t->var.idx]) return r->it->names[t->var.idx] != NULL;
		if (t->var.kind == CVB_VK_DATE && r->supp_d[t->var.idx]) return r->it->date[t->var.idx] != NULL;
		if ((t->var.kind == CVB_VK_STR || t->var.kind == CVB_VK_NUM) && t->var.idx < CVB_V__COUNT &&
		    r->supp_s[t->var.idx])
			return r->it->str[t->var.idx] && *r->it->str[t->var.idx];
		return var_present(r, t->var);
	case CC_IS_NUMERIC: {
		const char *v;
		if (t->var.kind != CVB_VK_STR && t->var.kind != CVB_VK_NUM) return false;
		v = var_str(r, t->var.idx);
		return v && csl_is_numeric(v);
	}
	case CC_IS_UNCERTAIN_DATE:
		return t->var.kind == CVB_VK_DATE && r->it->date[t->var.idx] && r->it->date[t->var.idx]->circa;
	case CC_LOCATOR: {
		const char *l;
		if (!r->cite || !r->cite->locator || !*r->cite->locator) return false;
		l = r->cite->label && *r->cite->label ? r->cite->label : "page";
		if (strcmp(t->name, "sub-verbo") == 0) return strcmp(l, "sub verbo") == 0 || strcmp(l, "sub-verbo") == 0;
		return strcmp(l, t->name) == 0;
	}
	case CC_POSITION:
		if (r->bib || r->position == 0) return false;
		switch (t->ival) {
		case POS_FIRST: return r->position == POS_FIRST;
		case POS_SUBSEQUENT: return r->position >= POS_SUBSEQUENT;
		case POS_IBID: return r->position == POS_IBID || r->position == POS_IBID_LOC;
		case POS_IBID_LOC: return r->position == POS_IBID_LOC;
		case POS_NEAR: return r->position >= POS_SUBSEQUENT && r->near_note;
		}
		return false;
	case CC_DISAMBIGUATE:
		/* as citeproc-js: an item's level of disambiguation makes the
		 * first so many disambiguate="true" tests hold, one more
		 * each time the cites of the items still read the same */
		if (!t->ival) return !(r->st && r->st->disamb);
		if (r->st && r->disamb_used < r->st->disamb) { r->disamb_used++; return true; }
		return false;
	}
	return false;
}

static bool
cond_true(struct csl_rctx *r, const struct csl_branch *n)
{
	if (n->type == CN_ELSE) return true;
	if (n->ntests == 0) return false;
	if (n->types_only) {
		/* match_tests() on the one type test, with the types as bits */
		unsigned ty = (unsigned)r->it->type;
		bool hit = ty < 64 && (n->types >> ty & 1);
		return n->match == MATCH_NONE ? !hit : hit;
	}
	return match_tests(r, n->tests, n->ntests, n->match);
}

/* ------------------------------------------------------------ elements */

static struct csl_out *
render_text(struct csl_rctx *r, const struct csl_node *n)
{
	struct csl_out *o = NULL;

	if (n->macro) {
		struct csl_macro *m = n->macro;
		if (m->busy || r->macro_depth > 50) return NULL;
		int sc = r->ncalled, sr = r->nrendered;
		m->busy = 1;
		r->macro_depth++;
		r->ncalled = 0; r->nrendered = 0;
		o = render_kids(r, m->body, NULL);
		r->macro_depth--;
		m->busy = 0;
		/* a macro is suppressed like a group when all its variables are
		 * empty (as citeproc-js does) */
		if ((r->ncalled > 0 && r->nrendered == 0) || csl_out_isempty(o)) {
			r->ncalled = sc + r->ncalled;
			r->nrendered = sr;
			return NULL;
		}
		/* a macro with output counts as rendered content for its parent */
		r->ncalled = sc + r->ncalled + 1;
		r->nrendered = sr + r->nrendered + 1;
		return csl_finish(r, n, o);
	}
	if (n->term) {
		const char *t = csl_rterm(r, n->term, n->form, n->plural == 1);
		struct csl_out *lo;
		if (!t || !*t) return NULL;
		lo = csl_leaf(r, t);
		lo->flags |= CO_TERM;
		return csl_finish(r, n, lo);
	}
	if (n->value)
		return *n->value ? csl_finish(r, n, csl_leaf(r, n->value)) : NULL;
	if (n->var.kind == CVB_VK_STR || n->var.kind == CVB_VK_NUM) {
		int idx = n->var.idx;
		const char *v;
		/* an empty year-suffix does not empty its group (as citeproc-js) */
		if (idx != CVB_V_YEAR_SUFFIX || (r->st && r->st->ysuffix > 0)) r->ncalled++;
		if (n->form == TF_SHORT) {
			int sidx = -1;
			if (idx == CVB_V_TITLE) sidx = CVB_V_TITLE_SHORT;
			else if (idx == CVB_V_CONTAINER_TITLE) sidx = CVB_V_CONTAINER_TITLE_SHORT;
			else if (idx == CVB_V_VOLUME_TITLE) sidx = CVB_V_VOLUME_TITLE_SHORT;
			if (sidx >= 0 && var_str(r, sidx) && !r->supp_s[idx]) idx = sidx;
		}
		v = var_str(r, idx);
		if (!v) return NULL;
		if (idx == CVB_V_PAGE || idx == CVB_V_LOCATOR) {
			struct cvb_buf b = CVB_BUF_INIT;
			bool pg = idx == CVB_V_PAGE || !r->cite->label || strcmp(r->cite->label, "page") == 0;
			csl_page_range(&b, v, pg ? r->s->page_range_format : 0, csl_rterm(r, "page-range-delimiter", TF_LONG, false));
			v = csl_bufstr(r, &b);
		}
		if (n->var.kind == CVB_VK_NUM && idx != CVB_V_PAGE && idx != CVB_V_LOCATOR && strchr(v, '-') && csl_is_numeric(v)) {
			struct cvb_buf b = CVB_BUF_INIT;
			csl_page_range(&b, v, 0, NULL);
			v = csl_bufstr(r, &b);
		}
		if (strstr(v, "\xc2\xab") || strstr(v, "\xc2\xbb")) v = french_quote_spaces(r, v);
		o = csl_leaf(r, v);
		if (idx == CVB_V_CITATION_LABEL && !r->s->uses_ysuffix && r->st && r->st->ysuffix > 0 &&
		    !r->ysuffix_done && !r->sorting) {
			char ys[16];
			ysuffix_str(ys, r->st->ysuffix);
			o = csl_leaf(r, cvb_arena_printf(r->a, "%s%s", v, ys));
			r->ysuffix_done = true;
		}
		if (idx == CVB_V_YEAR_SUFFIX) o->flags |= CO_YSUFFIX;
		if (idx == CVB_V_CITATION_NUMBER) o->flags |= CO_CITNUM;
		r->nrendered++;
		if (r->in_subst && idx < CVB_V__COUNT) r->supp_s[n->var.idx] = true;
		return csl_finish(r, n, o);
	}
	if (n->var.kind == CVB_VK_DATE) {
		/* a date through <text variable>: its raw or literal form */
		const struct cvb_date *d = r->it->date[n->var.idx];
		r->ncalled++;
		if (!d || r->supp_d[n->var.idx]) return NULL;
		if (d->literal) o = csl_leaf(r, d->literal);
		else if (d->raw) o = csl_leaf(r, d->raw);
		else if (d->nparts[0]) {
			char buf[64];
			snprintf(buf, sizeof(buf), "%d", d->parts[0][0]);
			o = csl_leaf(r, cvb_arena_strdup(r->a, buf));
		} else return NULL;
		r->nrendered++;
		return csl_finish(r, n, o);
	}
	if (n->var.kind == CVB_VK_NAME) {
		r->ncalled++;
		return NULL;
	}
	return NULL;
}

static struct csl_out *
render_number(struct csl_rctx *r, const struct csl_node *n)
{
	const char *v;
	struct csl_out *o;

	if (n->var.kind != CVB_VK_STR && n->var.kind != CVB_VK_NUM) return NULL;
	r->ncalled++;
	v = var_str(r, n->var.idx);
	if (!v) return NULL;
	if (csl_is_numeric(v))
		o = csl_leaf(r, format_number(r, v, n->form, term_gender(r, n->var_name), false));
	else {
		const char *wl = number_with_label(r, v, n);
		o = csl_leaf(r, wl ? wl : v);
		/* a number with markup ("1<sup>er</sup>") is printed as it is
		 * written, as citeproc-js does; a value with no number is rich text */
		if (strpbrk(v, "0123456789") && strchr(v, '<')) o->flags |= CO_LITERAL;
	}
	r->nrendered++;
	if (r->in_subst) r->supp_s[n->var.idx] = true;
	return csl_finish(r, n, o);
}

static struct csl_out *
render_group(struct csl_rctx *r, const struct csl_node *n)
{
	int sc = r->ncalled, sr = r->nrendered;
	struct csl_out *o;

	r->ncalled = 0; r->nrendered = 0;
	o = render_kids(r, n->kids, n->delimiter);
	if ((r->ncalled > 0 && r->nrendered == 0) || csl_out_isempty(o)) {
		r->ncalled = sc + r->ncalled;
		r->nrendered = sr;
		return NULL;
	}
	r->ncalled = sc + r->ncalled;
	r->nrendered = sr + 1;
	return csl_finish(r, n, o);
}

/* The chosen branch's elements take the enclosing delimiter (choose is transparent). */
static struct csl_out *
render_choose(struct csl_rctx *r, const struct csl_node *n, const char *delim)
{
	const struct csl_node *c;
	int i;

	for (i = 0; i < n->nbranches; i++)
		if (cond_true(r, &n->branches[i]))
			return render_kids(r, n->branches[i].node->kids, delim);
	if (n->branches) return NULL;
	for (c = n->kids; c; c = c->next) {
		struct csl_branch b;
		memset(&b, 0, sizeof(b));
		b.node = c; b.tests = c->tests; b.ntests = c->ntests; b.type = c->type; b.match = c->match;
		if (cond_true(r, &b))
			return render_kids(r, c->kids, delim);
	}
	return NULL;
}

struct csl_out *
csl_render_node(struct csl_rctx *r, const struct csl_node *n)
{
	switch (n->type) {
	case CN_TEXT: return render_text(r, n);
	case CN_NUMBER: return render_number(r, n);
	case CN_LABEL: return render_label(r, n);
	case CN_GROUP: return render_group(r, n);
	case CN_CHOOSE: return render_choose(r, n, NULL);
	case CN_NAMES: return csl_render_names(r, n);
	case CN_DATE: return render_date(r, n);
	default: return NULL;
	}
}

static struct csl_out *
render_kids(struct csl_rctx *r, const struct csl_node *kids, const char *delim)
{
	struct csl_out *g = NULL;
	const struct csl_node *k;

	/* the group is made for its first output: NULL, as empty as an
	 * empty group, when nothing renders (most branches and macros) */
	for (k = kids; k; k = k->next) {
		struct csl_out *o = k->type == CN_CHOOSE ? render_choose(r, k, delim) : csl_render_node(r, k);
		if (o && !csl_out_isempty(o)) {
			if (!g) {
				if (!(g = csl_out_new(r, NULL))) return NULL;
				g->delim = delim;
			}
			csl_out_add(g, o);
		}
	}
	return g;
}

struct csl_out *
csl_render_layout(struct csl_rctx *r, const struct csl_node *layout, bool with_fmt)
{
	struct csl_out *o;
	const struct csl_node *k;

	if (!layout) return NULL;
	/* render_kids(), noting whether the last kid rendered anything */
	o = NULL;
	for (k = layout->kids; k; k = k->next) {
		struct csl_out *x = k->type == CN_CHOOSE ? render_choose(r, k, NULL) : csl_render_node(r, k);
		bool full = x && !csl_out_isempty(x);
		if (full) {
			if (!o && !(o = csl_out_new(r, NULL))) return NULL;
			csl_out_add(o, x);
		}
		r->layout_last_empty = !full;
	}
	if (!o)
		o = csl_out_new(r, NULL);	/* an empty entry is still an entry */
	if (with_fmt && o) {
		o->delim = NULL;
		apply_fmt(o, &layout->f);
	}
	return o;
}

char *
csl_sort_key(struct csl_rctx *r, const struct csl_node *k)
{
	struct cvb_buf b = CVB_BUF_INIT;

	r->sorting = true;
	r->sort_min = k->names_min;
	r->sort_first = k->names_first;
	r->sort_last = k->names_last;
	if (k->macro) {
		struct csl_out *o;
		k->macro->busy = 1;
		o = render_kids(r, k->macro->body, NULL);
		k->macro->busy = 0;
		if (o && !csl_out_isempty(o)) csl_flatten(r->s, o, CVBIB_OUT_TEXT, &b);
	} else if (k->var.kind == CVB_VK_DATE) {
		const struct cvb_date *d = r->it->date[k->var.idx];
		if (d && d->nparts[0]) {
			int w;
			for (w = 0; w < (d->range ? 2 : 1); w++)
				cvb_buf_addf(&b, "%c%08d%02d%02d", d->parts[w][0] < 0 ? '0' : '1',
				    d->parts[w][0] < 0 ? 99999999 + d->parts[w][0] : d->parts[w][0],
				    d->parts[w][1], d->parts[w][2]);
		}
	} else if (k->var.kind == CVB_VK_NAME) {
		struct csl_node tmp;
		struct csl_out *o;
		memset(&tmp, 0, sizeof(tmp));
		tmp.type = CN_NAMES;
		tmp.nvars = 1;
		tmp.vars = (struct cvb_varref *)&k->var;
		o = csl_render_names(r, &tmp);
		if (o) csl_flatten(r->s, o, CVBIB_OUT_TEXT, &b);
	} else if (k->var.kind == CVB_VK_STR || k->var.kind == CVB_VK_NUM) {
		const char *v = var_str(r, k->var.idx);
		if (v) {
			if (k->var.kind == CVB_VK_NUM || k->var.idx == CVB_V_CITATION_NUMBER) {
				long x = atol(v);
				cvb_buf_addf(&b, "%012ld", x);
				if (!csl_is_numeric(v)) cvb_buf_adds(&b, v);
			} else
				cvb_rich_plain(&b, v);
		}
	}
	r->sorting = false;
	if (b.len == 0) { cvbib_buf_release(&b); return NULL; }
	return cvbib_buf_detach(&b, NULL);
}
