/*
 * csl_render.c - rendering one item with a compiled CSL style.
 *
 * Walks the node tree of a layout (csl.h) for one item and builds an output
 * tree of struct csl_out (text leaves in CSL rich text, groups with
 * formatting, affixes and delimiters), applying the specification's rules:
 * group suppression, substitution, names, dates, numbers, labels, terms,
 * conditions, text-case.  csl_flatten() turns an output tree into text,
 * Markdown, HTML (as citeproc-js writes it) or LaTeX, handling quotes,
 * punctuation-in-quote, italic flip-flop and duplicate punctuation.  Memory
 * comes from the caller's arena; no libxml2 calls happen here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

static struct csl_out *render(struct csl_rctx *, const struct csl_node *);
static struct csl_out *render_kids(struct csl_rctx *, const struct csl_node *kids, const char *delim);
static const char *term(struct csl_rctx *, const char *name, int form, bool plural);

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
static bool out_empty_walk(struct csl_out *o);

static inline bool
out_empty(struct csl_out *o)
{
	return !o || (!(o->flags & CO_FULL) && out_empty_walk(o));
}

static bool
out_empty_walk(struct csl_out *o)
{
	struct csl_out *k;

	if (o->text) {
		if (!o->text[0]) return true;
		o->flags |= CO_FULL;
		return false;
	}
	for (k = o->kids; k; k = k->next)
		if (!out_empty(k)) {
			o->flags |= CO_FULL;
			return false;
		}
	return true;
}

static char *
astr(struct csl_rctx *r, const char *s, size_t n)
{
	return cvb_arena_strndup(r->a, s, n);
}

static char *
bufstr(struct csl_rctx *r, struct cvb_buf *b)
{
	char *x = astr(r, b->buf, b->len);
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
		o->text = bufstr(r, &b);
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
		o->text = bufstr(r, &b);
		return;
	}
	for (k = o->kids; k; k = k->next)
		strip_tree(r, k);
}

/* Finish a node's output: formatting, affixes, text-case, strip-periods. */
static struct csl_out *
finish(struct csl_rctx *r, const struct csl_node *n, struct csl_out *o)
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

static struct csl_out *
leaf(struct csl_rctx *r, const char *s)
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
				return bufstr(r, &b);
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
		csl_page_range(&b, v, r->s->page_range_format, term(r, "page-range-delimiter", TF_LONG, false));
		return bufstr(r, &b);
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
	return bufstr(r, &b);
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
	return bufstr(r, &b);
}

/* ------------------------------------------------------------ terms, labels */

static const char *
term(struct csl_rctx *r, const char *name, int form, bool plural)
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
	    term(r, tn, TF_SHORT, is_plural_value(rest)), format_number(r, rest, NF_NUMERIC, 0, false));
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
		const char *and_ = term(r, "and", TF_LONG, false);
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
	t = term(r, tn, n->form, plural);
	if (!t || !*t) return NULL;
	return finish(r, n, leaf(r, t));
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
			const char *bc = term(r, "bc", TF_LONG, false);
			add_uint(b, (unsigned)-y, 0);
			cvb_buf_adds(b, bc ? bc : "BC");
		} else if (y > 0 && y < 1000) {
			const char *ad = term(r, "ad", TF_LONG, false);
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
				t = term(r, name, TF_LONG, false);
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
				t = term(r, name, TF_LONG, false);
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
			t = term(r, name, dp->form == DPF_SHORT ? TF_SHORT : TF_LONG, false);
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
	o = leaf(r, bufstr(r, &b));
	if (noprefix) tmp.f.prefix = NULL;
	if (nosuffix) tmp.f.suffix = NULL;
	tmp.f.strip_periods = 0;
	return finish(r, &tmp, o);
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
		if (d->literal) o = leaf(r, d->literal);
		else if (d->raw) o = leaf(r, d->raw);
		else return NULL;
		/* with the year's affixes: "(early 1920s)" */
		if (yp && (yp->f.prefix || yp->f.suffix)) {
			struct csl_out *w = csl_out_new(r, NULL);
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
			csl_out_add(w, o);
			w->f.prefix = ld->f.prefix; w->f.suffix = ld->f.suffix;
			o = w;
		}
	} else {
		o = render_date_parts(r, n->kids, 3, d, n->delimiter, NULL);
	}
	if (out_empty(o)) return NULL;
	r->nrendered++;
	if (r->in_subst) r->supp_d[n->var.idx] = true;
	if (n->var.idx == CVB_DV_ISSUED && !r->s->uses_ysuffix && r->st && r->st->ysuffix > 0 &&
	    !r->ysuffix_done && !r->sorting) {
		char ys[16];
		struct csl_out *w = csl_out_new(r, NULL), *y;
		ysuffix_str(ys, r->st->ysuffix);
		y = leaf(r, cvb_arena_strdup(r->a, ys));
		y->flags |= CO_YSUFFIX;
		csl_out_add(w, o);
		csl_out_add(w, y);
		o = w;
		r->ysuffix_done = true;
	}
	{
		struct csl_node tmp = *n;
		tmp.f.strip_periods = 0;
		return finish(r, &tmp, o);
	}
}

/* ------------------------------------------------------------ names */

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
	return csl_is_lower_cp(c);
}

/* Split particles out of family/given when they were not given separately. */
static void
split_particles(struct csl_rctx *r, struct cvb_name *n)
{
	if (n->flags & CVB_NF_NO_PARSE) return;
	if (n->family && n->family[0] == '"' && strlen(n->family) > 2 && n->family[strlen(n->family) - 1] == '"') {
		n->family = astr(r, n->family + 1, strlen(n->family) - 2);
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
			n->non_dropping_particle = astr(r, f, pl);
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
			n->given = astr(r, n->given, (size_t)(c - n->given));
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
			n->given = astr(r, g, (size_t)(cut - g));
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
		while (*e && *e != ' ' && *e != '-' && *e != '.' && *e != '<') e++;
		period = *e == '.';
		tl = (size_t)(e - p);
		l = cvb_utf8_decode(p, tl, &c);
		if (p > g && p[-1] == '-') hy_before = true;
		if (!hy_before && initialize && csl_is_lower_cp(c) && tl > 1 && !period) {
			/* a particle inside the given names ("J. B. de C. M.") */
			while (b->len && b->buf[b->len - 1] == ' ') b->len--;
			b->buf[b->len] = 0;
			if (b->len) cvb_buf_addch(b, ' ');
			cvb_buf_add(b, p, tl);
			pending_space = true;
			p = e;
			continue;
		}
		if (hy_before && initialize && csl_is_lower_cp(c)) {
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
			if ((size_t)l == tl) cvb_buf_addcp(b, csl_to_upper(c));
			else cvb_buf_add(b, p, tl);
			cvb_buf_adds(b, with);
		} else if (initialize) {
			uint32_t c1 = 0, c2 = 0;
			int l1 = 0;
			if ((size_t)l < tl) l1 = cvb_utf8_decode(p + l, tl - (size_t)l, &c1);
			if ((size_t)(l + l1) < tl) cvb_utf8_decode(p + l + l1, tl - (size_t)(l + l1), &c2);
			cvb_buf_addcp(b, csl_to_upper(c));
			/* "TSerendorjiin" -> "Ts.": a two-letter initial written in capitals */
			if (csl_is_upper_cp(c) && csl_is_upper_cp(c1) && csl_is_lower_cp(c2))
				cvb_buf_addcp(b, csl_to_lower(c1));
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
	struct csl_out *o = leaf(r, text);

	if (np) {
		struct csl_node tmp = *np;
		tmp.f.prefix = tmp.f.suffix = NULL;
		o = finish(r, &tmp, o);
	}
	return o;
}

static struct csl_out *
wrap_affix(struct csl_rctx *r, struct csl_out *o, const struct csl_node *np)
{
	struct csl_out *w;

	if (!np || (!np->f.prefix && !np->f.suffix)) return o;
	w = csl_out_new(r, NULL);
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
		nm.suffix = bufstr(r, &b);
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
		given = bufstr(r, &b);
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
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, leaf(r, " "));
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
			csl_out_add(g, leaf(r, " "));
		}
		if (nm.dropping_particle) {
			csl_out_add(fam, part(r, nm.dropping_particle, pg));
			if (!ends_with_particle_joiner(nm.dropping_particle)) csl_out_add(fam, leaf(r, " "));
		}
		if (nm.non_dropping_particle) {
			csl_out_add(fam, part(r, nm.non_dropping_particle, pf));
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, leaf(r, " "));
		}
		csl_out_add(fam, part(r, nm.family, pf));
		if (nm.suffix) {
			csl_out_add(fam, leaf(r, (nm.flags & CVB_NF_COMMA_SUFFIX) ? ", " : " "));
			csl_out_add(fam, leaf(r, nm.suffix));
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
			if (!ends_with_particle_joiner(nm.non_dropping_particle)) csl_out_add(fam, leaf(r, " "));
		}
		csl_out_add(fam, part(r, nm.family, pf));
		csl_out_add(g, wrap_affix(r, fam, pf));
		if (given) csl_out_add(gv, part(r, given, pg));
		if (nm.dropping_particle) {
			if (given) csl_out_add(gv, leaf(r, " "));
			csl_out_add(gv, part(r, nm.dropping_particle, pg));
		}
		if (nm.non_dropping_particle && dem) {
			/* a demoted particle keeps the family name-part's formatting */
			if (given || nm.dropping_particle) csl_out_add(gv, leaf(r, " "));
			csl_out_add(gv, part(r, nm.non_dropping_particle, pf));
		}
		if (!out_empty(gv)) {
			csl_out_add(g, leaf(r, nc->o.sort_sep));
			csl_out_add(g, wrap_affix(r, gv, pg));
		}
		if (nm.suffix) {
			csl_out_add(g, leaf(r, nc->o.sort_sep));
			csl_out_add(g, leaf(r, nm.suffix));
		}
	}
	return g;
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
	if (nc->o.and_ == 1) andterm = term(r, "and", TF_LONG, false);
	else if (nc->o.and_ == 2) andterm = "&";
	if (r->sorting) andterm = NULL;	/* sort keys: the names only */
	for (i = 0; i < shown; i++) {
		bool inv = (nc->o.sort_order == 2 || (nc->o.sort_order == 1 && i == 0)) &&
		    v[i]->family && !v[i]->literal;
		struct csl_out *no;
		int level = r->st ? r->st->given_level : 0;

		if (r->st && r->st->name_level && (size_t)name_base + i < (size_t)r->st->nname_level)
			if (r->st->name_level[name_base + i] > level) level = r->st->name_level[name_base + i];
		if (r->sorting) level = 0;
		no = render_one_name(r, v[i], nc, inv, level);
		no->flags |= CO_NAME;
		if (v[i]->flags & CVB_NF_HIGHLIGHT) no->flags |= CO_HIGHLIGHT;
		if (i > 0) {
			bool last = i == shown - 1 && !truncated;
			if (last && andterm) {
				bool d;
				switch (nc->o.dp_last) {
				case 1: d = inv_prev; break;
				case 2: d = true; break;
				case 3: d = false; break;
				default: d = shown >= 3; break;
				}
				csl_out_add(g, leaf(r, d ? nc->o.delimiter : " "));
				csl_out_add(g, leaf(r, andterm));
				csl_out_add(g, leaf(r, " "));
			} else
				csl_out_add(g, leaf(r, nc->o.delimiter));
		}
		csl_out_add(g, no);
		if (v[i]->marker && !r->sorting) {
			struct csl_out *m = leaf(r, v[i]->marker);
			m->flags |= CO_MARKER;
			csl_out_add(g, m);
		}
		inv_prev = inv;
	}
	if (truncated) {
		if (uselast) {
			struct csl_out *no;
			bool inv = nc->o.sort_order == 2;
			csl_out_add(g, leaf(r, nc->o.delimiter));
			csl_out_add(g, leaf(r, "\xe2\x80\xa6 "));
			no = render_one_name(r, v[total - 1], nc, inv, 0);
			csl_out_add(g, no);
		} else {
			const char *et = term(r, etal && etal->term ? etal->term : "et-al", TF_LONG, false);
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
					csl_out_add(g, leaf(r, d ? nc->o.delimiter : (c0 >= 0x2E80 && c0 <= 0x9FFF) ? "" : " "));
				}
				eo = leaf(r, et);
				if (etal) eo = finish(r, etal, eo);
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
	t = term(r, varname, lab->form, plural);
	if (!t || !*t) return NULL;
	return finish(r, lab, leaf(r, t));
}

static struct csl_out *
render_names(struct csl_rctx *r, const struct csl_node *n)
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
	g = csl_out_new(r, NULL);
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
			    (!label || (term(r, "editortranslator", label->form, true) && *term(r, "editortranslator", label->form, true)))) {
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
		if (!lo || out_empty(lo)) continue;
		if (name) lo = finish(r, name, lo);
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
		g = leaf(r, cvb_arena_strdup(r->a, num));
	}
	if (!any || out_empty(g)) {
		/* substitute */
		const struct csl_node *c;
		if (n->substitute && !r->in_subst) {
			const struct csl_node *saved = r->subst_names;
			int sc = r->ncalled, sr = r->nrendered;
			r->in_subst = true;
			r->subst_names = n;
			for (c = n->substitute->kids; c; c = c->next) {
				struct csl_out *so = render(r, c);
				if (so && !out_empty(so)) {
					r->in_subst = false;
					r->subst_names = saved;
					r->ncalled = sc; r->nrendered = sr + 1;
					so = finish(r, n, so);
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
	g = finish(r, n, g);
	g->flags |= CO_NAMES;
	if (!r->first_names) r->first_names = g;
	return g;
}

/* ------------------------------------------------------------ conditions */

static bool
test_one(struct csl_rctx *r, const struct csl_test *t)
{
	switch (t->cond) {
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
		return (r->st && r->st->disamb) == (t->ival != 0);
	}
	return false;
}

static bool
cond_true(struct csl_rctx *r, const struct csl_branch *n)
{
	int i, ntrue = 0;

	if (n->type == CN_ELSE) return true;
	if (n->ntests == 0) return false;
	if (n->types_only) {
		/* the loop below on type tests only, with the types as bits */
		unsigned ty = (unsigned)r->it->type;
		bool hit = ty < 64 && (n->types >> ty & 1);
		if (n->match == MATCH_ANY) return hit;
		if (n->match == MATCH_NONE) return !hit;
		return hit && n->types_all;
	}
	for (i = 0; i < n->ntests; i++) {
		bool t = test_one(r, &n->tests[i]);
		if (t) ntrue++;
		if (n->match == MATCH_ANY && t) return true;
		if (n->match == MATCH_ALL && !t) return false;
		if (n->match == MATCH_NONE && t) return false;
	}
	if (n->match == MATCH_ANY) return false;
	return true;
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
		if ((r->ncalled > 0 && r->nrendered == 0) || out_empty(o)) {
			r->ncalled = sc + r->ncalled;
			r->nrendered = sr;
			return NULL;
		}
		/* a macro with output counts as rendered content for its parent */
		r->ncalled = sc + r->ncalled + 1;
		r->nrendered = sr + r->nrendered + 1;
		return finish(r, n, o);
	}
	if (n->term) {
		const char *t = term(r, n->term, n->form, n->plural == 1);
		struct csl_out *lo;
		if (!t || !*t) return NULL;
		lo = leaf(r, t);
		lo->flags |= CO_TERM;
		return finish(r, n, lo);
	}
	if (n->value)
		return *n->value ? finish(r, n, leaf(r, n->value)) : NULL;
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
			csl_page_range(&b, v, pg ? r->s->page_range_format : 0, term(r, "page-range-delimiter", TF_LONG, false));
			v = bufstr(r, &b);
		}
		if (n->var.kind == CVB_VK_NUM && idx != CVB_V_PAGE && idx != CVB_V_LOCATOR && strchr(v, '-') && csl_is_numeric(v)) {
			struct cvb_buf b = CVB_BUF_INIT;
			csl_page_range(&b, v, 0, NULL);
			v = bufstr(r, &b);
		}
		if (strstr(v, "\xc2\xab") || strstr(v, "\xc2\xbb")) v = french_quote_spaces(r, v);
		o = leaf(r, v);
		if (idx == CVB_V_CITATION_LABEL && !r->s->uses_ysuffix && r->st && r->st->ysuffix > 0 &&
		    !r->ysuffix_done && !r->sorting) {
			char ys[16];
			ysuffix_str(ys, r->st->ysuffix);
			o = leaf(r, cvb_arena_printf(r->a, "%s%s", v, ys));
			r->ysuffix_done = true;
		}
		if (idx == CVB_V_YEAR_SUFFIX) o->flags |= CO_YSUFFIX;
		if (idx == CVB_V_CITATION_NUMBER) o->flags |= CO_CITNUM;
		r->nrendered++;
		if (r->in_subst && idx < CVB_V__COUNT) r->supp_s[n->var.idx] = true;
		return finish(r, n, o);
	}
	if (n->var.kind == CVB_VK_DATE) {
		/* a date through <text variable>: its raw or literal form */
		const struct cvb_date *d = r->it->date[n->var.idx];
		r->ncalled++;
		if (!d || r->supp_d[n->var.idx]) return NULL;
		if (d->literal) o = leaf(r, d->literal);
		else if (d->raw) o = leaf(r, d->raw);
		else if (d->nparts[0]) {
			char buf[64];
			snprintf(buf, sizeof(buf), "%d", d->parts[0][0]);
			o = leaf(r, cvb_arena_strdup(r->a, buf));
		} else return NULL;
		r->nrendered++;
		return finish(r, n, o);
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
		o = leaf(r, format_number(r, v, n->form, term_gender(r, n->var_name), false));
	else {
		const char *wl = number_with_label(r, v, n);
		o = leaf(r, wl ? wl : v);
	}
	r->nrendered++;
	if (r->in_subst) r->supp_s[n->var.idx] = true;
	return finish(r, n, o);
}

static struct csl_out *
render_group(struct csl_rctx *r, const struct csl_node *n)
{
	int sc = r->ncalled, sr = r->nrendered;
	struct csl_out *o;

	r->ncalled = 0; r->nrendered = 0;
	o = render_kids(r, n->kids, n->delimiter);
	if ((r->ncalled > 0 && r->nrendered == 0) || out_empty(o)) {
		r->ncalled = sc + r->ncalled;
		r->nrendered = sr;
		return NULL;
	}
	r->ncalled = sc + r->ncalled;
	r->nrendered = sr + 1;
	return finish(r, n, o);
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

static struct csl_out *
render(struct csl_rctx *r, const struct csl_node *n)
{
	switch (n->type) {
	case CN_TEXT: return render_text(r, n);
	case CN_NUMBER: return render_number(r, n);
	case CN_LABEL: return render_label(r, n);
	case CN_GROUP: return render_group(r, n);
	case CN_CHOOSE: return render_choose(r, n, NULL);
	case CN_NAMES: return render_names(r, n);
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
		struct csl_out *o = k->type == CN_CHOOSE ? render_choose(r, k, delim) : render(r, k);
		if (o && !out_empty(o)) {
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

	if (!layout) return NULL;
	if (!(o = render_kids(r, layout->kids, NULL)))
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
		if (o && !out_empty(o)) csl_flatten(r->s, o, CVBIB_OUT_TEXT, &b);
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
		o = render_names(r, &tmp);
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

/* ------------------------------------------------------------ flattening */

enum { K_TEXT, K_OPEN, K_CLOSE, K_QOPEN, K_QCLOSE };
enum { FK_I, FK_NOI, FK_B, FK_NOB, FK_SC, FK_NOSC, FK_UL, FK_SUP, FK_SUB, FK_BASE,
	FK_BLOCK, FK_LEFT, FK_RIGHT, FK_INDENT, FK_HL, FK_MARK, FK_LIGHT, FK_NODECOR };

struct tok {
	int	 k, f;
	const char *s;
	size_t	 n;
};

struct fl {
	const cvbib_style *s;
	struct tok *t;
	size_t	 n, alloc;
	int	 qdepth;
	bool	 qinner[64];	/* the kind of each open quote: inner (single) or outer */
	int	 err;
	bool	 in_leaf;	/* adding the text of one leaf: no punctuation moves */
	enum cvbib_outfmt fmt;
	unsigned pass;		/* this flattening's number, never 0 */
};

/* csl_out_empty() for flat(), which asks at every level: a node found to
 * render something is marked with the pass number, which stays valid for
 * this flattening only (the tree may change between two of them). */
static _Thread_local unsigned flat_passes;
/* The token array is kept for the next flattening (a few kB at most). */
static _Thread_local struct tok *tok_spare;
static _Thread_local size_t tok_spare_alloc;

static bool fl_empty_walk(struct fl *F, struct csl_out *o);

static inline bool
fl_empty(struct fl *F, struct csl_out *o)
{
	return !o || (o->fl_full != F->pass && fl_empty_walk(F, o));
}

static bool
fl_empty_walk(struct fl *F, struct csl_out *o)
{
	struct csl_out *k;

	if (o->text) {
		if (!o->text[0]) return true;
		o->fl_full = F->pass;
		return false;
	}
	for (k = o->kids; k; k = k->next)
		if (!fl_empty(F, k)) {
			o->fl_full = F->pass;
			return false;
		}
	return true;
}

static void
tok_push(struct fl *F, int k, int f, const char *s, size_t n)
{
	if (F->n == F->alloc) {
		size_t na = F->alloc ? F->alloc * 2 : 64;
		struct tok *nt = realloc(F->t, na * sizeof(*nt));
		if (!nt) { F->err = 1; return; }
		F->t = nt; F->alloc = na;
	}
	F->t[F->n].k = k; F->t[F->n].f = f; F->t[F->n].s = s; F->t[F->n].n = n;
	F->n++;
}

/* The last text token index (skipping markup), or -1. */
static long
last_text(struct fl *F)
{
	long i;

	for (i = (long)F->n - 1; i >= 0; i--)
		if ((F->t[i].k == K_TEXT || F->t[i].k == K_QCLOSE || F->t[i].k == K_QOPEN) && F->t[i].n > 0)
			return i;
	return -1;
}

static void
add_text(struct fl *F, const char *s, size_t n)
{
	long li;

	if (n == 0) return;
	li = last_text(F);
	if (li >= 0) {
		struct tok *lt = &F->t[li];
		char pc = lt->s[lt->n - 1];
		if (lt->k == K_TEXT) {
			if (s[0] == ' ' && (pc == ' ' || (pc == '\xa0' && lt->n >= 2 && lt->s[lt->n - 2] == '\xc2'))) { s++; n--; }
			else if (strchr(":.;!?,", s[0]) && strchr(":.;!?,", pc)) {
				/* citeproc-js's table for two punctuation marks that meet */
				if (s[0] == pc || (s[0] == ':' && strchr(";!?", pc)) ||
				    (s[0] == '.' && strchr(":;!?", pc))) { s++; n--; }
				else if ((s[0] == '!' || s[0] == '?') && (pc == ':' || pc == ';')) {
					lt->n--;
					if (lt->n == 0) { add_text(F, s, n); return; }
				}
			}
			else if (s[0] == '.' && (pc == '.' || pc == '?' || pc == '!') && !(lt->n >= 3 && strncmp(lt->s + lt->n - 3, "...", 3) == 0 && 0)) { s++; n--; }
			else if ((s[0] == ',' || s[0] == ';' || s[0] == ':') && pc == s[0]) { s++; n--; }
			else if ((s[0] == ',' || s[0] == ';' || s[0] == ':' || s[0] == '.') && n >= 1 && 0) {}
		} else if (lt->k == K_QCLOSE && s[0] && strchr(".,!?", s[0]) && F->s->loc.punct_in_quote && !F->in_leaf) {
			/* move the punctuation inside the closing quote, merging it
			 * with what ends the quoted text (the same table as above) */
			long bi;
			char before = 0;
			for (bi = li - 1; bi >= 0; bi--)
				if (F->t[bi].k == K_TEXT && F->t[bi].n > 0) { before = F->t[bi].s[F->t[bi].n - 1]; break; }
			if (before && strchr(":.;!?,", before) &&
			    (s[0] == before || (s[0] == '.' && strchr(":;!?", before)))) {
				s++; n--;
			} else {
				if (before && (s[0] == '!' || s[0] == '?') && (before == ':' || before == ';'))
					F->t[bi].n--;
				/* insert the character before the (innermost) close-quote */
				long q = li;
				while (q > 0 && (F->t[q - 1].k == K_QCLOSE || (F->t[q - 1].k == K_CLOSE && q > 1 && F->t[q - 2].k == K_QCLOSE)))
					q--;
				while (q < li && F->t[q].k != K_QCLOSE) q++;
				li = q;
				tok_push(F, K_TEXT, 0, NULL, 0);
				if (F->err) return;
				memmove(&F->t[li + 1], &F->t[li], (F->n - 1 - (size_t)li) * sizeof(struct tok));
				F->t[li].k = K_TEXT; F->t[li].f = 0; F->t[li].s = s; F->t[li].n = 1;
				s++; n--;
			}
		} else if (lt->k == K_QCLOSE && s[0] == ':' && F->s->loc.punct_in_quote && !F->in_leaf) {
			long bi;
			for (bi = li - 1; bi >= 0; bi--)
				if (F->t[bi].k == K_TEXT && F->t[bi].n > 0) {
					char b = F->t[bi].s[F->t[bi].n - 1];
					if (b == ';' || b == '!' || b == '?' || b == ':') { s++; n--; }
					break;
				}
		}
	} else {
		/* nothing before: no leading space */
	}
	if (n > 0) tok_push(F, K_TEXT, 0, s, n);
}

/* A quote nested in another flips its kind; at the top, double quotes are
 * the locale's outer quotes and single quotes its inner ones. */
static void
quote_open_kind(struct fl *F, bool single)
{
	bool inner = F->qdepth > 0 ? !F->qinner[(F->qdepth - 1) % 64] : single;
	const char *q = F->s->quotes[inner ? 2 : 0];

	tok_push(F, K_QOPEN, 0, q, strlen(q));
	F->qinner[F->qdepth % 64] = inner;
	F->qdepth++;
}

static void
quote_open(struct fl *F)
{
	quote_open_kind(F, false);
}

static void
quote_close(struct fl *F)
{
	const char *q;

	if (F->qdepth <= 0) return;
	F->qdepth--;
	q = F->s->quotes[F->qinner[F->qdepth % 64] ? 3 : 1];
	tok_push(F, K_QCLOSE, 0, q, strlen(q));
}

static void
emit_run(struct fl *F, const char *run, const char *p)
{
	if (p > run) { add_text(F, run, (size_t)(p - run)); F->in_leaf = true; }
}

static void
emit_qopen(struct fl *F, bool single)
{
	quote_open_kind(F, single);
	F->in_leaf = true;
}

/*
 * Rich text of a leaf into tokens.  Quotes in the text become the locale's
 * quotes, nested ones flipping between outer and inner: straight quotes and
 * “…” / ‘…’ alike.  An opening quote that never closes, or a quote between
 * spaces, stays as written; an apostrophe becomes ’.
 */
/* The first character of text at q, past markup tags; 0 at the end. */
static char
peek_after_tags(const char *q)
{
	int k;

	for (k = 0; k < 4 && *q == '<'; k++) {
		const char *gt = strchr(q, '>');
		if (!gt) break;
		q = gt + 1;
	}
	return *q;
}

static void
rich_tokens(struct fl *F, const char *s)
{
	struct cvb_rich r;
	int squote = 0, dquote = 0;
	char lastc = 0;
	size_t plain = strcspn(s, "<\"'\xe2");

	if (s[plain] == '\0') {
		/* no markup and no quotes: what the loop below makes of it */
		if (plain) add_text(F, s, plain);
		F->in_leaf = false;
		return;
	}
	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		if (r.tok == CVB_RT_TEXT) {
			const char *p = r.text, *e = r.text + r.len, *run = p;
			for (; p < e; p++) {
				/* only quotes matter here: the rest is one run */
				if (*p != '"' && *p != '\'' && (unsigned char)*p != 0xe2) continue;
				char prev = p > r.text ? p[-1] : lastc;
				char next = p + 1 < e ? p[1] : peek_after_tags(r.p);
				bool before_open = prev == 0 || prev == ' ' || prev == '(' || prev == '[' || prev == '\n' || prev == '-';
				if (strncmp(p, "\xe2\x80\x9c", 3) == 0) {		/* “ */
					emit_run(F, run, p);
					emit_qopen(F, false); dquote++;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x9d", 3) == 0 && dquote > 0) {	/* ” */
					emit_run(F, run, p);
					quote_close(F); dquote--;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x98", 3) == 0 && strstr(p + 3, "\xe2\x80\x99")) {	/* ‘ */
					emit_run(F, run, p);
					emit_qopen(F, true); squote++;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x99", 3) == 0 && squote > 0 &&
				    !(p + 3 < e && isalpha((unsigned char)p[3]))) {			/* ’ closing */
					emit_run(F, run, p);
					quote_close(F); squote--;
					p += 2; run = p + 1;
					continue;
				}
				if (*p == '"') {
					emit_run(F, run, p);
					run = p + 1;
					if (dquote > 0 && !(before_open && next && next != ' ')) {
						quote_close(F); dquote--;
					} else if (before_open && next && next != ' ' && strchr(p + 1, '"')) {
						emit_qopen(F, false); dquote++;
					} else {
						add_text(F, "\"", 1); F->in_leaf = true;
					}
					continue;
				}
				if (*p == '\'') {
					emit_run(F, run, p);
					run = p + 1;
					if (before_open && next && isalnum((unsigned char)next) && !squote) {
						/* an opening single quote only when one closes later */
						const char *c = strchr(p + 1, '\'');
						bool closes = false;
						while (c) {
							if (!isalnum((unsigned char)c[1])) { closes = true; break; }
							c = strchr(c + 1, '\'');
						}
						if (closes) { emit_qopen(F, false); squote++; continue; }
					}
					if (squote && !isalnum((unsigned char)next) &&
					    !(isalnum((unsigned char)prev) && isalpha((unsigned char)next))) {
						quote_close(F); squote--;
						continue;
					}
					add_text(F, "\xe2\x80\x99", 3); F->in_leaf = true;
				}
			}
			emit_run(F, run, p);
			if (r.len) lastc = r.text[r.len - 1];
		} else if (r.tok == CVB_RT_OPEN || r.tok == CVB_RT_CLOSE) {
			int f = -1;
			switch (r.tag) {
			case CVB_R_I: f = FK_I; break;
			case CVB_R_B: f = FK_B; break;
			case CVB_R_SUP: f = FK_SUP; break;
			case CVB_R_SUB: f = FK_SUB; break;
			case CVB_R_SC: f = FK_SC; break;
			case CVB_R_NODECOR: f = FK_NODECOR; break;
			default: break;
			}
			if (f >= 0) tok_push(F, r.tok == CVB_RT_OPEN ? K_OPEN : K_CLOSE, f, NULL, 0);
		}
	}
	F->in_leaf = false;
	while (dquote-- > 0) quote_close(F);
	while (squote-- > 0) quote_close(F);
}

static void flat(struct fl *F, struct csl_out *o);

/* The children of o that print something, with o's delimiter between them. */
static void
flat_kids(struct fl *F, struct csl_out *o)
{
	struct csl_out *k;
	bool first = true;

	for (k = o->kids; k; k = k->next) {
		if (fl_empty(F, k)) continue;
		if (!first && o->delim) add_text(F, o->delim, strlen(o->delim));
		flat(F, k);
		first = false;
	}
}

static void
flat(struct fl *F, struct csl_out *o)
{
	int opens[12], no = 0, i;
	bool q;

	if (fl_empty(F, o)) return;
	if (!o->text && !o->f.prefix && !o->f.suffix && !o->f.display && !o->f.quotes &&
	    !o->f.font_style && !o->f.font_weight && !o->f.font_variant && !o->f.vertical_align &&
	    !o->f.text_decoration && !(o->flags & (CO_HIGHLIGHT | CO_MARKER))) {
		/* a plain group: the general case below without anything to open */
		flat_kids(F, o);
		return;
	}
	switch (o->f.display) {
	case DI_BLOCK: tok_push(F, K_OPEN, FK_BLOCK, NULL, 0); break;
	case DI_LEFT: tok_push(F, K_OPEN, FK_LEFT, NULL, 0); break;
	case DI_RIGHT: tok_push(F, K_OPEN, FK_RIGHT, NULL, 0); break;
	case DI_INDENT: tok_push(F, K_OPEN, FK_INDENT, NULL, 0); break;
	}
	if (o->f.prefix) add_text(F, o->f.prefix, strlen(o->f.prefix));
	if (o->flags & CO_HIGHLIGHT) opens[no++] = FK_HL;
	if (o->flags & CO_MARKER) opens[no++] = FK_MARK;
	if (o->f.vertical_align == VA_SUP) opens[no++] = FK_SUP;
	else if (o->f.vertical_align == VA_SUB) opens[no++] = FK_SUB;
	else if (o->f.vertical_align == VA_BASELINE) opens[no++] = FK_BASE;
	if (o->f.text_decoration == TD_UNDERLINE) opens[no++] = FK_UL;
	if (o->f.font_weight == FW_BOLD) opens[no++] = FK_B;
	else if (o->f.font_weight == FW_NORMAL) opens[no++] = FK_NOB;
	else if (o->f.font_weight == FW_LIGHT) opens[no++] = FK_LIGHT;
	if (o->f.font_variant == FV_SMALLCAPS) opens[no++] = FK_SC;
	else if (o->f.font_variant == FV_NORMAL) opens[no++] = FK_NOSC;
	if (o->f.font_style == FS_ITALIC || o->f.font_style == FS_OBLIQUE) opens[no++] = FK_I;
	else if (o->f.font_style == FS_NORMAL) opens[no++] = FK_NOI;
	for (i = 0; i < no; i++) tok_push(F, K_OPEN, opens[i], NULL, 0);
	q = o->f.quotes;
	if (q) quote_open(F);
	if (o->text)
		rich_tokens(F, o->text);
	else
		flat_kids(F, o);
	if (q) quote_close(F);
	for (i = no - 1; i >= 0; i--) tok_push(F, K_CLOSE, opens[i], NULL, 0);
	if (o->f.suffix) add_text(F, o->f.suffix, strlen(o->f.suffix));
	switch (o->f.display) {
	case DI_BLOCK: tok_push(F, K_CLOSE, FK_BLOCK, NULL, 0); break;
	case DI_LEFT: tok_push(F, K_CLOSE, FK_LEFT, NULL, 0); break;
	case DI_RIGHT: tok_push(F, K_CLOSE, FK_RIGHT, NULL, 0); break;
	case DI_INDENT: tok_push(F, K_CLOSE, FK_INDENT, NULL, 0); break;
	}
}

/* Unicode superscript characters and what they stand for (HTML and LaTeX
 * write them as superscripts of the plain character, as citeproc-js does). */
static const struct { uint32_t cp; const char *base; } supchars[] = {
	{ 0x00AA, "\x61" },
	{ 0x00B2, "\x32" },
	{ 0x00B3, "\x33" },
	{ 0x00B9, "\x31" },
	{ 0x00BA, "\x6f" },
	{ 0x02B0, "\x68" },
	{ 0x02B1, "\xc9\xa6" },
	{ 0x02B2, "\x6a" },
	{ 0x02B3, "\x72" },
	{ 0x02B4, "\xc9\xb9" },
	{ 0x02B5, "\xc9\xbb" },
	{ 0x02B6, "\xca\x81" },
	{ 0x02B7, "\x77" },
	{ 0x02B8, "\x79" },
	{ 0x02C0, "\xca\x94" },
	{ 0x02C1, "\xca\x95" },
	{ 0x02E0, "\xc9\xa3" },
	{ 0x02E1, "\x6c" },
	{ 0x02E2, "\x73" },
	{ 0x02E3, "\x78" },
	{ 0x02E4, "\xca\x95" },
	{ 0x06E5, "\xd9\x88" },
	{ 0x06E6, "\xd9\x8a" },
	{ 0x1D2C, "\x41" },
	{ 0x1D2D, "\xc3\x86" },
	{ 0x1D2E, "\x42" },
	{ 0x1D30, "\x44" },
	{ 0x1D31, "\x45" },
	{ 0x1D32, "\xc6\x8e" },
	{ 0x1D33, "\x47" },
	{ 0x1D34, "\x48" },
	{ 0x1D35, "\x49" },
	{ 0x1D36, "\x4a" },
	{ 0x1D37, "\x4b" },
	{ 0x1D38, "\x4c" },
	{ 0x1D39, "\x4d" },
	{ 0x1D3A, "\x4e" },
	{ 0x1D3C, "\x4f" },
	{ 0x1D3D, "\xc8\xa2" },
	{ 0x1D3E, "\x50" },
	{ 0x1D3F, "\x52" },
	{ 0x1D40, "\x54" },
	{ 0x1D41, "\x55" },
	{ 0x1D42, "\x57" },
	{ 0x1D43, "\x61" },
	{ 0x1D44, "\xc9\x90" },
	{ 0x1D45, "\xc9\x91" },
	{ 0x1D46, "\xe1\xb4\x82" },
	{ 0x1D47, "\x62" },
	{ 0x1D48, "\x64" },
	{ 0x1D49, "\x65" },
	{ 0x1D4A, "\xc9\x99" },
	{ 0x1D4B, "\xc9\x9b" },
	{ 0x1D4C, "\xc9\x9c" },
	{ 0x1D4D, "\x67" },
	{ 0x1D4F, "\x6b" },
	{ 0x1D50, "\x6d" },
	{ 0x1D51, "\xc5\x8b" },
	{ 0x1D52, "\x6f" },
	{ 0x1D53, "\xc9\x94" },
	{ 0x1D54, "\xe1\xb4\x96" },
	{ 0x1D55, "\xe1\xb4\x97" },
	{ 0x1D56, "\x70" },
	{ 0x1D57, "\x74" },
	{ 0x1D58, "\x75" },
	{ 0x1D59, "\xe1\xb4\x9d" },
	{ 0x1D5A, "\xc9\xaf" },
	{ 0x1D5B, "\x76" },
	{ 0x1D5C, "\xe1\xb4\xa5" },
	{ 0x1D5D, "\xce\xb2" },
	{ 0x1D5E, "\xce\xb3" },
	{ 0x1D5F, "\xce\xb4" },
	{ 0x1D60, "\xcf\x86" },
	{ 0x1D61, "\xcf\x87" },
	{ 0x2070, "\x30" },
	{ 0x2071, "\x69" },
	{ 0x2074, "\x34" },
	{ 0x2075, "\x35" },
	{ 0x2076, "\x36" },
	{ 0x2077, "\x37" },
	{ 0x2078, "\x38" },
	{ 0x2079, "\x39" },
	{ 0x207A, "\x2b" },
	{ 0x207B, "\xe2\x88\x92" },
	{ 0x207C, "\x3d" },
	{ 0x207D, "\x28" },
	{ 0x207E, "\x29" },
	{ 0x207F, "\x6e" },
	{ 0x2120, "\x53\x4d" },
	{ 0x2122, "\x54\x4d" },
	{ 0x3192, "\xe4\xb8\x80" },
	{ 0x3193, "\xe4\xba\x8c" },
	{ 0x3194, "\xe4\xb8\x89" },
	{ 0x3195, "\xe5\x9b\x9b" },
	{ 0x3196, "\xe4\xb8\x8a" },
	{ 0x3197, "\xe4\xb8\xad" },
	{ 0x3198, "\xe4\xb8\x8b" },
	{ 0x3199, "\xe7\x94\xb2" },
	{ 0x319A, "\xe4\xb9\x99" },
	{ 0x319B, "\xe4\xb8\x99" },
	{ 0x319C, "\xe4\xb8\x81" },
	{ 0x319D, "\xe5\xa4\xa9" },
	{ 0x319E, "\xe5\x9c\xb0" },
	{ 0x319F, "\xe4\xba\xba" },
};

static const char *
sup_base(uint32_t cp)
{
	size_t lo = 0, hi = CVB_ARRAY_SIZE(supchars);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (supchars[mid].cp == cp) return supchars[mid].base;
		if (supchars[mid].cp < cp) lo = mid + 1; else hi = mid;
	}
	return NULL;
}

static void
esc(struct cvb_buf *b, enum cvbib_outfmt fmt, const char *s, size_t n)
{
	size_t i;

	if (fmt == CVBIB_OUT_TYPST) {
		cvb_typst_escape(b, s, n);	/* src/text/typst.c */
		return;
	}
	if (fmt != CVBIB_OUT_HTML && fmt != CVBIB_OUT_LATEX && fmt != CVBIB_OUT_MARKDOWN) {
		/* plain text: as it is */
		cvb_buf_add(b, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if ((unsigned char)c >= 0xc2 && (fmt == CVBIB_OUT_HTML || fmt == CVBIB_OUT_LATEX)) {
			uint32_t cp;
			int l = cvb_utf8_decode(s + i, n - i, &cp);
			const char *sb = sup_base(cp);
			if (sb) {
				cvb_buf_adds(b, fmt == CVBIB_OUT_HTML ? "<sup>" : "\\textsuperscript{");
				cvb_buf_adds(b, sb);
				cvb_buf_adds(b, fmt == CVBIB_OUT_HTML ? "</sup>" : "}");
				i += (size_t)l - 1;
				continue;
			}
		}
		switch (fmt) {
		case CVBIB_OUT_HTML:
			if (c == '&') cvb_buf_adds(b, "&#38;");
			else if (c == '<') cvb_buf_adds(b, "&#60;");
			else if (c == '>') cvb_buf_adds(b, "&#62;");
			else cvb_buf_addch(b, c);
			break;
		case CVBIB_OUT_LATEX:
			switch (c) {
			case '\n': case '\r': cvb_buf_addch(b, ' '); break;
			default:
				if (cvb_latex_special(c) != NULL) cvb_buf_adds(b, cvb_latex_special(c));
				else cvb_buf_addch(b, c);
			}
			break;
		case CVBIB_OUT_MARKDOWN:
			if (strchr("\\`*_[]<>#", c) && !(c == '#' && i > 0)) cvb_buf_addch(b, '\\');
			cvb_buf_addch(b, c);
			break;
		default:
			cvb_buf_addch(b, c);
		}
	}
}

static const char *
open_markup(enum cvbib_outfmt fmt, int f)
{
	switch (fmt) {
	case CVBIB_OUT_HTML:
		switch (f) {
		case FK_I: return "<i>";
		case FK_NOI: return "<span style=\"font-style:normal;\">";
		case FK_B: return "<b>";
		case FK_NOB: return "<span style=\"font-weight:normal;\">";
		case FK_LIGHT: return "<span style=\"font-weight:light;\">";
		case FK_SC: return "<span style=\"font-variant:small-caps;\">";
		case FK_NOSC: return "<span style=\"font-variant:normal;\">";
		case FK_UL: return "<span style=\"text-decoration:underline;\">";
		case FK_SUP: return "<sup>";
		case FK_SUB: return "<sub>";
		case FK_BASE: return "<span style=\"baseline\">";
		case FK_BLOCK: return "\n\n    <div class=\"csl-block\">";
		case FK_LEFT: return "\n    <div class=\"csl-left-margin\">";
		case FK_RIGHT: return "<div class=\"csl-right-inline\">";
		case FK_INDENT: return "<div class=\"csl-indent\">";
		case FK_HL: return "<strong class=\"cvbib-highlight\">";
		case FK_MARK: return "<sup>";
		}
		break;
	case CVBIB_OUT_LATEX:
		switch (f) {
		case FK_I: return "\\textit{";
		case FK_NOI: return "\\textup{";
		case FK_B: case FK_HL: return "\\textbf{";
		case FK_NOB: case FK_LIGHT: return "\\textmd{";
		case FK_SC: return "\\textsc{";
		case FK_NOSC: return "\\textnormal{";
		case FK_UL: return "\\underline{";
		case FK_SUP: case FK_MARK: return "\\textsuperscript{";
		case FK_SUB: return "\\textsubscript{";
		case FK_BLOCK: case FK_INDENT: return "\\par{}";
		default: return "";
		}
	case CVBIB_OUT_TYPST:
		/* every decoration is a function call on a content block; the
		 * CV owner's is cvbib-owner, defined by the CV layer's fragment */
		switch (f) {
		case FK_I: return "#emph[";
		case FK_NOI: return "#text(style: \"normal\")[";
		case FK_B: return "#strong[";
		case FK_NOB: return "#text(weight: \"regular\")[";
		case FK_LIGHT: return "#text(weight: \"light\")[";
		case FK_SC: return "#smallcaps[";
		case FK_NOSC: return "#text(features: (smcp: 0))[";
		case FK_UL: return "#underline[";
		case FK_SUP: case FK_MARK: return "#super[";
		case FK_SUB: return "#sub[";
		case FK_HL: return "#cvbib-owner[";
		case FK_BLOCK: case FK_INDENT: return "#linebreak()";
		default: return "";
		}
	case CVBIB_OUT_MARKDOWN:
		switch (f) {
		case FK_I: return "*";
		case FK_B: case FK_HL: return "**";
		case FK_SUP: return "^";
		case FK_SUB: return "~";
		default: return "";
		}
	default:
		if (f == FK_HL) return "**";
		return "";
	}
	return "";
}

static const char *
close_markup(enum cvbib_outfmt fmt, int f)
{
	switch (fmt) {
	case CVBIB_OUT_HTML:
		switch (f) {
		case FK_I: return "</i>";
		case FK_B: return "</b>";
		case FK_SUP: case FK_MARK: return "</sup>";
		case FK_SUB: return "</sub>";
		case FK_BLOCK: return "</div>\n";
		case FK_LEFT: case FK_RIGHT: case FK_INDENT: return "</div>";
		case FK_HL: return "</strong>";
		default: return "</span>";
		}
	case CVBIB_OUT_LATEX:
		switch (f) {
		case FK_LEFT: return " ";	/* the number, then the entry */
		case FK_BLOCK: case FK_INDENT: case FK_RIGHT: case FK_BASE: return "";
		default: return "}";
		}
	case CVBIB_OUT_TYPST:
		switch (f) {
		case FK_LEFT: return " ";
		case FK_BLOCK: case FK_INDENT: case FK_RIGHT: case FK_BASE: return "";
		default: return "]";
		}
	case CVBIB_OUT_MARKDOWN:
		if (f == FK_LEFT) return " ";
		return open_markup(fmt, f);
	default:
		if (f == FK_HL) return "**";
		if (f == FK_LEFT) return " ";
		return "";
	}
}

void
csl_flatten(const cvbib_style *s, struct csl_out *o, enum cvbib_outfmt fmt, struct cvb_buf *out)
{
	csl_flatten_in(s, o, fmt, out, 0);
}

void
csl_flatten_in(const cvbib_style *s, struct csl_out *o, enum cvbib_outfmt fmt,
    struct cvb_buf *out, unsigned in)
{
	struct fl F;
	size_t i;
	int stack[256], sp = 0;
	int emitted[256];
	bool ital = in & CSL_IN_ITALIC, bold = in & CSL_IN_BOLD, sc = in & CSL_IN_SC;
	bool istack[256], bstack[256], sstack[256];

	memset(&F, 0, sizeof(F));
	F.s = s;
	F.fmt = fmt;
	if (++flat_passes == 0) ++flat_passes;
	F.pass = flat_passes;
	/* the token array of the last flattening, if nobody holds it */
	F.t = tok_spare;
	F.alloc = tok_spare_alloc;
	tok_spare = NULL;
	flat(&F, o);
	for (i = 0; i < F.n; i++) {
		struct tok *t = &F.t[i];
		switch (t->k) {
		case K_TEXT: case K_QOPEN: case K_QCLOSE:
			esc(out, fmt, t->s, t->n);
			break;
		case K_OPEN: {
			int f = t->f, e = f;
			if (sp >= 255) break;
			istack[sp] = ital; bstack[sp] = bold; sstack[sp] = sc;
			if (f == FK_I) { e = ital ? FK_NOI : FK_I; ital = !ital; }
			else if (f == FK_NOI) { if (!ital) e = -1; ital = false; }
			else if (f == FK_B) { e = bold ? FK_NOB : FK_B; bold = !bold; }
			else if (f == FK_NOB) { if (!bold) e = -1; bold = false; }
			else if (f == FK_SC) { e = sc ? FK_NOSC : FK_SC; sc = !sc; }
			else if (f == FK_NOSC) { if (!sc) e = -1; sc = false; }
			else if (f == FK_NODECOR) {
				/* <span class="nodecor">: undo the innermost decoration in force */
				e = ital ? FK_NOI : sc ? FK_NOSC : bold ? FK_NOB : -1;
				ital = bold = sc = false;
			}
			/* citeproc-js writes normal style even outside italics */
			stack[sp] = f; emitted[sp] = e; sp++;
			if (e >= 0) cvb_buf_adds(out, open_markup(fmt, e));
			break;
		}
		case K_CLOSE: {
			/* find the matching open */
			int j;
			for (j = sp - 1; j >= 0; j--) if (stack[j] == t->f) break;
			if (j < 0) break;
			while (sp > j) {
				sp--;
				if (emitted[sp] >= 0) cvb_buf_adds(out, close_markup(fmt, emitted[sp]));
				ital = istack[sp]; bold = bstack[sp]; sc = sstack[sp];
			}
			break;
		}
		}
	}
	while (sp > 0) {
		sp--;
		if (emitted[sp] >= 0) cvb_buf_adds(out, close_markup(fmt, emitted[sp]));
	}
	if (!tok_spare && F.alloc <= 4096) {
		tok_spare = F.t;
		tok_spare_alloc = F.alloc;
	} else
		free(F.t);
}
