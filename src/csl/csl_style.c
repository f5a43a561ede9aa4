/*
 * csl_style.c - loading CSL 1.0.2 styles and locales.
 *
 * libxml2 parses the XML once; this file turns the document into typed
 * struct csl_node trees (csl.h) held in the style's arena, resolves macros,
 * dependent styles and the locale fallback chain (in-style locales for the
 * exact language, its primary language and no language; then the locale
 * files for the language, its primary dialect and en-US), and merges the
 * terms into one table.  Nothing here renders.  Problems are reported with
 * the .csl line: errors for XML that does not parse or lacks a layout,
 * warnings for unknown elements and attributes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "csl.h"

struct pctx {
	cvbib_style	*s;
	struct cvbib_diags *d;
	const char	*file;
	int		 err;
};

#define A(x) cvb_arena_strdup(&p->s->arena, (x))

static const char *
xattr_lang(xmlNodePtr n)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "lang") == 0 && a->children)
			return (const char *)a->children->content;
	return NULL;
}

static bool
is_csl(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE;
}

static bool
ename(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static void
warn(struct pctx *p, xmlNodePtr n, enum cvb_dcode c, const char *fmt, const char *a, const char *b)
{
	cvb_diag(p->d, c, p->file, n ? (unsigned)xmlGetLineNo(n) : 0, 0, fmt, a, b ? b : "");
}

/* A keyword attribute value: index into words[], or -1 (and a warning). */
static int
kw(struct pctx *p, xmlNodePtr n, const char *an, const char *v, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strcmp(words[i], v) == 0)
			return i;
	warn(p, n, CVB_D_CSL_BAD_VALUE, "%s=\"%s\"", an, v);
	return -1;
}

static int
intval(const char *v)
{
	return atoi(v);
}

static const char *const w_tform[] = { "long", "short", "verb", "verb-short", "symbol", NULL };
static const char *const w_case[] = { "", "lowercase", "uppercase", "capitalize-first",
	"capitalize-all", "sentence", "title", NULL };

/* Formatting attributes; 1 when handled. */
static int
fmt_attr(struct pctx *p, xmlNodePtr n, struct csl_fmt *f, const char *an, const char *v)
{
	int k;

	if (strcmp(an, "font-style") == 0) {
		static const char *const w[] = { "", "normal", "italic", "oblique", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->font_style = k;
	} else if (strcmp(an, "font-variant") == 0) {
		static const char *const w[] = { "", "normal", "small-caps", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->font_variant = k;
	} else if (strcmp(an, "font-weight") == 0) {
		static const char *const w[] = { "", "normal", "bold", "light", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->font_weight = k;
	} else if (strcmp(an, "text-decoration") == 0) {
		static const char *const w[] = { "", "none", "underline", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->text_decoration = k;
	} else if (strcmp(an, "vertical-align") == 0) {
		static const char *const w[] = { "", "baseline", "sup", "sub", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->vertical_align = k;
	} else if (strcmp(an, "display") == 0) {
		static const char *const w[] = { "", "block", "left-margin", "right-inline", "indent", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) f->display = k;
	} else if (strcmp(an, "text-case") == 0) {
		if ((k = kw(p, n, an, v, w_case)) > 0) f->text_case = k;
	} else if (strcmp(an, "quotes") == 0) {
		f->quotes = strcmp(v, "true") == 0;
	} else if (strcmp(an, "strip-periods") == 0) {
		f->strip_periods = strcmp(v, "true") == 0;
	} else if (strcmp(an, "prefix") == 0) {
		f->prefix = A(v);
	} else if (strcmp(an, "suffix") == 0) {
		f->suffix = A(v);
	} else
		return 0;
	return 1;
}

/* Inheritable name options; 1 when handled. */
static int
name_attr(struct pctx *p, xmlNodePtr n, struct csl_nameopt *o, const char *an, const char *v)
{
	static const char *const w_dp[] = { "contextual", "after-inverted-name", "always", "never", NULL };
	int k;

	if (strcmp(an, "and") == 0) {
		static const char *const w[] = { "", "text", "symbol", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) { o->and_ = k; o->set |= NO_AND; }
	} else if (strcmp(an, "delimiter") == 0 || strcmp(an, "name-delimiter") == 0) {
		o->delimiter = A(v); o->set |= NO_DELIM;
	} else if (strcmp(an, "delimiter-precedes-et-al") == 0) {
		if ((k = kw(p, n, an, v, w_dp)) >= 0) { o->dp_etal = k; o->set |= NO_DPETAL; }
	} else if (strcmp(an, "delimiter-precedes-last") == 0) {
		if ((k = kw(p, n, an, v, w_dp)) >= 0) { o->dp_last = k; o->set |= NO_DPLAST; }
	} else if (strcmp(an, "et-al-min") == 0) {
		o->etal_min = intval(v); o->set |= NO_ETALMIN;
	} else if (strcmp(an, "et-al-use-first") == 0) {
		o->etal_first = intval(v); o->set |= NO_ETALFIRST;
	} else if (strcmp(an, "et-al-subsequent-min") == 0) {
		o->etal_sub_min = intval(v); o->set |= NO_ETALSUBMIN;
	} else if (strcmp(an, "et-al-subsequent-use-first") == 0) {
		o->etal_sub_first = intval(v); o->set |= NO_ETALSUBFIRST;
	} else if (strcmp(an, "et-al-use-last") == 0) {
		o->etal_last = strcmp(v, "true") == 0; o->set |= NO_ETALLAST;
	} else if (strcmp(an, "name-form") == 0 || strcmp(an, "form") == 0) {
		static const char *const w[] = { "long", "short", "count", NULL };
		if ((k = kw(p, n, an, v, w)) >= 0) { o->form = k; o->set |= NO_FORM; }
	} else if (strcmp(an, "initialize") == 0) {
		o->initialize = strcmp(v, "false") != 0; o->set |= NO_INIT;
	} else if (strcmp(an, "initialize-with") == 0) {
		o->initialize_with = A(v); o->set |= NO_INITWITH;
	} else if (strcmp(an, "name-as-sort-order") == 0) {
		static const char *const w[] = { "", "first", "all", NULL };
		if ((k = kw(p, n, an, v, w)) > 0) { o->sort_order = k; o->set |= NO_SORTORDER; }
	} else if (strcmp(an, "sort-separator") == 0) {
		o->sort_sep = A(v); o->set |= NO_SORTSEP;
	} else if (strcmp(an, "names-delimiter") == 0) {
		o->names_delim = A(v); o->set |= NO_NAMESDELIM;
	} else
		return 0;
	return 1;
}


static int
position_kw(const char *v)
{
	if (strcmp(v, "first") == 0) return POS_FIRST;
	if (strcmp(v, "subsequent") == 0) return POS_SUBSEQUENT;
	if (strcmp(v, "ibid") == 0) return POS_IBID;
	if (strcmp(v, "ibid-with-locator") == 0) return POS_IBID_LOC;
	if (strcmp(v, "near-note") == 0) return POS_NEAR;
	return 0;
}

static void
add_tests(struct pctx *p, xmlNodePtr x, struct csl_node *n, enum csl_cond c, const char *v)
{
	const char *q = v;
	char word[128];

	while (*q) {
		size_t l;
		struct csl_test *t;

		while (*q == ' ' || *q == '\t' || *q == '\n') q++;
		if (!*q) break;
		l = strcspn(q, " \t\n");
		if (l >= sizeof(word)) l = sizeof(word) - 1;
		memcpy(word, q, l); word[l] = 0; q += l;
		if (n->ntests % 8 == 0) {
			struct csl_test *nt = cvb_arena_alloc(&p->s->arena, (n->ntests + 8) * sizeof(*nt));
			if (!nt) return;
			if (n->ntests) memcpy(nt, n->tests, n->ntests * sizeof(*nt));
			n->tests = nt;
		}
		t = &n->tests[n->ntests++];
		t->cond = c;
		t->name = A(word);
		switch (c) {
		case CC_TYPE:
			t->ival = cvb_type_lookup(word);
			break;
		case CC_VARIABLE: case CC_IS_NUMERIC: case CC_IS_UNCERTAIN_DATE:
			t->var = cvb_var_lookup(word);
			break;
		case CC_POSITION:
			t->ival = position_kw(word);
			if (!t->ival) warn(p, x, CVB_D_CSL_BAD_VALUE, "position=\"%s\"%s", word, NULL);
			break;
		case CC_DISAMBIGUATE:
			t->ival = strcmp(word, "true") == 0;
			break;
		case CC_LOCATOR: case CC_GROUP:
			break;
		}
	}
}

static struct csl_node *parse_kids(struct pctx *, xmlNodePtr, struct csl_node *parent);

/* One attribute an="v" of the element x into its node n; -1 when out of memory. */
static int
node_attr(struct pctx *p, xmlNodePtr x, struct csl_node *n, const char *an, const char *v)
{
	int k;

	if (n->type == CN_NAME && name_attr(p, x, &n->no, an, v))
		return 0;
	if (fmt_attr(p, x, &n->f, an, v))
		return 0;
	if (strcmp(an, "delimiter") == 0) {
		n->delimiter = A(v);
	} else if (strcmp(an, "variable") == 0) {
		if (n->type == CN_IF || n->type == CN_ELSEIF) {
			add_tests(p, x, n, CC_VARIABLE, v);
			return 0;
		}
		n->var_name = A(v);
		if (n->type == CN_NAMES) {
			const char *q = v;
			n->vars = cvb_arena_alloc(&p->s->arena, (strlen(v) / 2 + 2) * sizeof(*n->vars));
			if (!n->vars) { p->err = 1; return -1; }
			while (*q) {
				char w[64]; size_t l;
				while (*q == ' ') q++;
				if (!*q) break;
				l = strcspn(q, " ");
				if (l >= sizeof(w)) l = sizeof(w) - 1;
				memcpy(w, q, l); w[l] = 0; q += l;
				n->vars[n->nvars] = cvb_var_lookup(w);
				if (n->vars[n->nvars].kind != CVB_VK_NAME)
					warn(p, x, CVB_D_CSL_UNK_VAR, "'%s' is not a name variable%s", w, NULL);
				else
					n->nvars++;
			}
		} else {
			n->var = cvb_var_lookup(v);
			if (n->var.kind == CVB_VK_STR && n->var.idx == CVB_V_YEAR_SUFFIX)
				p->s->uses_ysuffix = true;
			if (n->var.kind == CVB_VK_NONE && n->type != CN_KEY)
				warn(p, x, CVB_D_CSL_UNK_VAR, "'%s'%s", v, NULL);
			else if (n->var.kind == CVB_VK_NONE)
				n->var.idx = -1;
		}
	} else if (strcmp(an, "form") == 0) {
		n->has_form = true;
		if (n->type == CN_NUMBER) {
			static const char *const w[] = { "numeric", "ordinal", "long-ordinal", "roman", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) n->form = k;
		} else if (n->type == CN_DATE) {
			static const char *const w[] = { "", "text", "numeric", NULL };
			if ((k = kw(p, x, an, v, w)) > 0) n->form = k;
		} else if (n->type == CN_DATEPART) {
			static const char *const w[] = { "numeric", "numeric-leading-zeros", "ordinal", "long", "short", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) n->form = k;
		} else if ((k = kw(p, x, an, v, w_tform)) >= 0)
			n->form = k;
	} else if (strcmp(an, "macro") == 0) {
		n->macro_name = A(v);
	} else if (strcmp(an, "term") == 0) {
		n->term = A(v);
	} else if (strcmp(an, "value") == 0) {
		n->value = A(v);
	} else if (strcmp(an, "plural") == 0) {
		if (n->type == CN_TEXT)
			n->plural = strcmp(v, "true") == 0 ? 1 : 2;
		else {
			static const char *const w[] = { "contextual", "always", "never", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) n->plural = k;
		}
	} else if (strcmp(an, "name") == 0) {
		if (n->type == CN_DATEPART) {
			static const char *const w[] = { "day", "month", "year", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) n->dp_name = k;
		} else {
			static const char *const w[] = { "given", "family", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) n->dp_name = k;
		}
	} else if (strcmp(an, "date-parts") == 0) {
		static const char *const w[] = { "", "year", "year-month", "year-month-day", NULL };
		if ((k = kw(p, x, an, v, w)) > 0) n->date_parts = k;
	} else if (strcmp(an, "range-delimiter") == 0) {
		n->range_delim = A(v);
	} else if (strcmp(an, "match") == 0) {
		static const char *const w[] = { "all", "any", "none", NULL };
		if ((k = kw(p, x, an, v, w)) >= 0) n->match = k;
	} else if (strcmp(an, "type") == 0) {
		add_tests(p, x, n, CC_TYPE, v);
	} else if (strcmp(an, "is-numeric") == 0) {
		add_tests(p, x, n, CC_IS_NUMERIC, v);
	} else if (strcmp(an, "is-uncertain-date") == 0) {
		add_tests(p, x, n, CC_IS_UNCERTAIN_DATE, v);
	} else if (strcmp(an, "locator") == 0) {
		add_tests(p, x, n, CC_LOCATOR, v);
	} else if (strcmp(an, "position") == 0) {
		add_tests(p, x, n, CC_POSITION, v);
	} else if (strcmp(an, "disambiguate") == 0) {
		add_tests(p, x, n, CC_DISAMBIGUATE, v);
	} else if (strcmp(an, "sort") == 0) {
		n->descending = strcmp(v, "descending") == 0;
	} else if (strcmp(an, "names-min") == 0) {
		n->names_min = intval(v);
	} else if (strcmp(an, "names-use-first") == 0) {
		n->names_first = intval(v);
	} else if (strcmp(an, "names-use-last") == 0) {
		n->names_last = strcmp(v, "true") == 0;
	} else if (strcmp(an, "include-period") == 0 || strcmp(an, "lang") == 0) {
		/* ignored: attributes without an effect here */
	} else {
		warn(p, x, CVB_D_CSL_UNK_ATTR, "%s on <%s>", an, (const char *)x->name);
	}
	return 0;
}

static int node_attr(struct pctx *, xmlNodePtr, struct csl_node *, const char *, const char *);

/*
 * CSL 1.1's extended conditions (not CSL 1.0.2, read because they cost
 * little): <if><conditions match="..."><condition type="..." match="..."/>
 * ...</conditions>...</if>.  Each <condition> becomes one test of n whose
 * own tests are matched by its match; <conditions>'s match is n's.
 */
static int
conditions(struct pctx *p, xmlNodePtr x, struct csl_node *n)
{
	xmlNodePtr c, d;
	xmlAttrPtr a;

	for (c = x->children; c; c = c->next) {
		if (!is_csl(c) || strcmp((const char *)c->name, "conditions") != 0) continue;
		n->match = MATCH_ALL;
		for (a = c->properties; a; a = a->next)
			if (strcmp((const char *)a->name, "match") == 0 && a->children && a->children->content)
				node_attr(p, c, n, "match", (const char *)a->children->content);
		for (d = c->children; d; d = d->next) {
			struct csl_node tmp;
			struct csl_test *t;
			int k;
			if (!is_csl(d) || strcmp((const char *)d->name, "condition") != 0) continue;
			memset(&tmp, 0, sizeof(tmp));
			tmp.type = CN_IF;
			tmp.match = MATCH_ALL;
			for (a = d->properties; a; a = a->next)
				if (node_attr(p, d, &tmp, (const char *)a->name,
				    a->children && a->children->content ? (const char *)a->children->content : "") < 0)
					return -1;
			for (k = 0; k < tmp.ntests; k++)
				if (tmp.tests[k].cond == CC_LOCATOR) tmp.tests[k].ival = 0;
			if (n->ntests % 8 == 0) {
				struct csl_test *nt = cvb_arena_alloc(&p->s->arena, (n->ntests + 8) * sizeof(*nt));
				if (!nt) { p->err = 1; return -1; }
				if (n->ntests) memcpy(nt, n->tests, n->ntests * sizeof(*nt));
				n->tests = nt;
			}
			t = &n->tests[n->ntests++];
			memset(t, 0, sizeof(*t));
			t->cond = CC_GROUP;
			t->name = "condition";
			t->ival = tmp.match;
			t->sub = tmp.tests;
			t->nsub = tmp.ntests;
		}
	}
	return 0;
}

static struct csl_node *
parse_elem(struct pctx *p, xmlNodePtr x, struct csl_node *parent)
{
	static const struct { const char *name; enum csl_ntype t; } els[] = {
		{ "layout", CN_LAYOUT }, { "text", CN_TEXT }, { "number", CN_NUMBER },
		{ "label", CN_LABEL }, { "group", CN_GROUP }, { "choose", CN_CHOOSE },
		{ "if", CN_IF }, { "else-if", CN_ELSEIF }, { "else", CN_ELSE },
		{ "names", CN_NAMES }, { "name", CN_NAME }, { "name-part", CN_NAMEPART },
		{ "et-al", CN_ETAL }, { "substitute", CN_SUBSTITUTE }, { "date", CN_DATE },
		{ "date-part", CN_DATEPART }, { "key", CN_KEY },
	};
	struct csl_node *n;
	xmlAttrPtr a;
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(els); i++)
		if (strcmp((const char *)x->name, els[i].name) == 0)
			break;
	if (i == CVB_ARRAY_SIZE(els)) {
		warn(p, x, CVB_D_CSL_UNK_ELEM, "<%s>%s", (const char *)x->name, NULL);
		return NULL;
	}
	/* on a cache line of its own: rendering walks the nodes for every item */
	n = cvb_arena_alloc(&p->s->arena, sizeof(*n) + 63);
	if (!n) { p->err = 1; return NULL; }
	n = (struct csl_node *)(((uintptr_t)n + 63) & ~(uintptr_t)63);
	n->type = els[i].t;
	n->line = (unsigned)xmlGetLineNo(x);
	if (n->type == CN_NAME)
		n->no.initialize = 1;
	if (n->type == CN_IF || n->type == CN_ELSEIF)
		n->match = MATCH_ALL;
	for (a = x->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		const char *v = a->children && a->children->content ? (const char *)a->children->content : "";

		if (node_attr(p, x, n, an, v) < 0)
			return NULL;
	}
	if (n->type == CN_DATEPART && n->dp_name == 1 && n->form == DPF_NUMERIC) {
		/* a month's default form is long */
		xmlAttrPtr fa;
		int hasform = 0;
		for (fa = x->properties; fa; fa = fa->next)
			if (strcmp((const char *)fa->name, "form") == 0) hasform = 1;
		if (!hasform) n->form = DPF_LONG;
	}
	if (n->type == CN_IF || n->type == CN_ELSEIF) {
		for (i = 0; i < (size_t)n->ntests; i++)
			if (n->tests[i].cond == CC_LOCATOR) {
				/* keep the label name; matched as a string */
				n->tests[i].ival = 0;
			}
		if (conditions(p, x, n) < 0) return NULL;
	}
	if (n->type == CN_TEXT && n->var.kind == CVB_VK_NONE && n->var_name == NULL &&
	    !n->macro_name && !n->term && !n->value)
		warn(p, x, CVB_D_CSL_BAD_STYLE, "<text> needs variable, macro, term or value%s%s", "", NULL);
	n->kids = parse_kids(p, x, n);
	if (n->type == CN_NAMES) {
		struct csl_node *c;
		for (c = n->kids; c; c = c->next) {
			if (c->type == CN_NAME) n->name = c;
			else if (c->type == CN_ETAL) n->etal = c;
			else if (c->type == CN_LABEL) { n->label = c; n->label_before = n->name == NULL; }
			else if (c->type == CN_SUBSTITUTE) n->substitute = c;
		}
		/* without a <name>, the label follows the names */
		if (!n->name) n->label_before = 0;
	}
	if (n->type == CN_NAME) {
		struct csl_node *c;
		for (c = n->kids; c; c = c->next)
			if (c->type == CN_NAMEPART) {
				if (c->dp_name == 0) n->part_given = c;
				else n->part_family = c;
			}
	}
	(void)parent;
	return n;
}

static struct csl_node *
parse_kids(struct pctx *p, xmlNodePtr x, struct csl_node *parent)
{
	struct csl_node *head = NULL, **tail = &head;
	xmlNodePtr c;

	for (c = x->children; c; c = c->next) {
		struct csl_node *n;

		if (!is_csl(c))
			continue;
		/* read by conditions() */
		if (parent && (parent->type == CN_IF || parent->type == CN_ELSEIF) &&
		    strcmp((const char *)c->name, "conditions") == 0)
			continue;
		n = parse_elem(p, c, parent);
		if (n) { *tail = n; tail = &n->next; }
	}
	return head;
}

/* ------------------------------------------------------------ locales */

/* Terms are found through a hash index by name and form (a locale has
 * hundreds, and rendering looks terms up all the time).  Without an index
 * (out of memory) the lookups scan. */
static size_t
term_hash(const char *name, int form)
{
	size_t h = 5381;

	while (*name) h = h * 33 + (unsigned char)*name++;
	return h * 33 + (size_t)form;
}

static void
term_index_put(struct csl_locale *l, size_t i)
{
	size_t k, m = l->thn - 1;

	for (k = term_hash(l->terms[i].name, l->terms[i].form) & m; l->th[k]; k = (k + 1) & m)
		;
	l->th[k] = (unsigned)i + 1;
}

/* (Re)build the index of l's terms. */
static void
term_index_build(struct csl_locale *l)
{
	size_t i, n = 512;

	free(l->th);
	while (n < l->nterms * 4) n *= 2;
	l->th = calloc(n, sizeof(*l->th));
	l->thn = l->th ? n : 0;
	if (l->th)
		for (i = 0; i < l->nterms; i++) term_index_put(l, i);
}

static void
term_put(cvbib_style *s, const struct csl_term *t)
{
	struct csl_locale *l = &s->loc;
	size_t i;

	if (l->th) {
		size_t k, m = l->thn - 1;
		for (k = term_hash(t->name, t->form) & m; l->th[k]; k = (k + 1) & m) {
			i = l->th[k] - 1;
			if (l->terms[i].form == t->form && l->terms[i].gender_form == t->gender_form &&
			    strcmp(l->terms[i].name, t->name) == 0) {
				l->terms[i] = *t;
				return;
			}
		}
	} else
	for (i = 0; i < l->nterms; i++)
		if (l->terms[i].form == t->form && l->terms[i].gender_form == t->gender_form &&
		    strcmp(l->terms[i].name, t->name) == 0) {
			l->terms[i] = *t;
			return;
		}
	if (l->nterms == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 256;
		struct csl_term *nt = realloc(l->terms, na * sizeof(*nt));
		if (!nt) { s->arena.err = 1; return; }
		l->terms = nt; l->alloc = na;
	}
	l->terms[l->nterms++] = *t;
	if (!l->th || l->nterms * 2 > l->thn) term_index_build(l);
	else term_index_put(l, l->nterms - 1);
}

static bool
is_ordinal_term(const char *name)
{
	return strcmp(name, "ordinal") == 0 || (strncmp(name, "ordinal-", 8) == 0);
}

static char *
node_text(struct pctx *p, xmlNodePtr x)
{
	xmlChar *c = xmlNodeGetContent(x);
	char *r = A(c ? (const char *)c : "");

	xmlFree(c);
	return r;
}

/* Merge one <locale> element into the style's table (higher priority).
 * A locale file's style-options replace the earlier ones (absent = false). */
static void
parse_locale(struct pctx *p, xmlNodePtr x, bool file)
{
	cvbib_style *s = p->s;
	xmlNodePtr c, t;
	xmlAttrPtr a;
	int has_ord = 0, has_plain = 0;
	bool legacy;

	for (c = x->children; c; c = c->next) {
		if (!ename(c, "terms")) continue;
		for (t = c->children; t; t = t->next)
			if (ename(t, "term")) {
				xmlChar *nm = xmlGetProp(t, (const xmlChar *)"name");
				if (nm && is_ordinal_term((const char *)nm)) has_ord = 1;
				if (nm && strcmp((const char *)nm, "ordinal") == 0) has_plain = 1;
				xmlFree(nm);
			}
	}
	/*
	 * A style's locale with ordinal-NN terms but no "ordinal" (CSL 1.0's
	 * way) over a locale file with "ordinal" (CSL 1.0.1's): as in
	 * citeproc-js, the file's ordinals stay, and the style's terms replace
	 * only those of the file's terms that exist, keeping their match
	 * (French: "7ᵉ", not the style's "7e").  Otherwise a locale with
	 * ordinal terms replaces all of them.
	 */
	legacy = !file && has_ord && !has_plain && csl_term_get(s, "ordinal", TF_LONG, 0) != NULL;
	if (has_ord && !legacy) {
		size_t i, j = 0;
		for (i = 0; i < s->loc.nterms; i++)
			if (!is_ordinal_term(s->loc.terms[i].name))
				s->loc.terms[j++] = s->loc.terms[i];
		s->loc.nterms = j;
		term_index_build(&s->loc);
	}
	for (c = x->children; c; c = c->next) {
		if (!is_csl(c)) continue;
		if (ename(c, "style-options")) {
			if (file) { s->loc.punct_in_quote = 0; s->loc.limit_ordinals = 0; }
			for (a = c->properties; a; a = a->next) {
				const char *v = a->children ? (const char *)a->children->content : "";
				if (strcmp((const char *)a->name, "punctuation-in-quote") == 0)
					s->loc.punct_in_quote = strcmp(v, "true") == 0;
				else if (strcmp((const char *)a->name, "limit-day-ordinals-to-day-1") == 0)
					s->loc.limit_ordinals = strcmp(v, "true") == 0;
			}
		} else if (ename(c, "date")) {
			struct csl_node *n = parse_elem(p, c, NULL);
			if (n && (n->form == DF_TEXT || n->form == DF_NUMERIC))
				s->loc.date[n->form] = n;
		} else if (ename(c, "terms")) {
			for (t = c->children; t; t = t->next) {
				struct csl_term term;
				xmlNodePtr sm;
				bool hassm = false;

				if (!ename(t, "term")) continue;
				memset(&term, 0, sizeof(term));
				for (a = t->properties; a; a = a->next) {
					const char *an = (const char *)a->name;
					const char *v = a->children ? (const char *)a->children->content : "";
					int k;
					if (strcmp(an, "name") == 0) term.name = A(v);
					else if (strcmp(an, "form") == 0) {
						if ((k = kw(p, t, an, v, w_tform)) >= 0) term.form = k;
					} else if (strcmp(an, "gender") == 0)
						term.gender = strcmp(v, "masculine") == 0 ? 1 : strcmp(v, "feminine") == 0 ? 2 : 0;
					else if (strcmp(an, "gender-form") == 0)
						term.gender_form = strcmp(v, "masculine") == 0 ? 1 : strcmp(v, "feminine") == 0 ? 2 : 0;
					else if (strcmp(an, "match") == 0)
						term.match = strcmp(v, "last-digit") == 0 ? 1 : strcmp(v, "last-two-digits") == 0 ? 2 : strcmp(v, "whole-number") == 0 ? 3 : 0;
				}
				if (!term.name) continue;
				for (sm = t->children; sm; sm = sm->next) {
					if (ename(sm, "single")) { term.single = node_text(p, sm); hassm = true; }
					else if (ename(sm, "multiple")) { term.multiple = node_text(p, sm); hassm = true; }
				}
				if (!hassm) {
					term.single = term.multiple = node_text(p, t);
					/* only the XML's line break and indentation: empty */
					if (term.single && strchr(term.single, '\n') && !term.single[strspn(term.single, " \t\r\n")])
						term.single = term.multiple = A("");
				}
				if (!term.single) term.single = term.multiple;
				if (!term.multiple) term.multiple = term.single;
				if (legacy && is_ordinal_term(term.name)) {
					const struct csl_term *old = csl_term_get(s, term.name, term.form, term.gender_form);
					if (!old || strcmp(old->name, term.name) != 0) continue;
					term.match = old->match;
				}
				term_put(s, &term);
			}
		}
	}
}

static const struct { const char *lang, *dialect; } primary_dialects[] = {
	{ "af", "af-ZA" }, { "ar", "ar" }, { "bg", "bg-BG" }, { "ca", "ca-AD" },
	{ "cs", "cs-CZ" }, { "cy", "cy-GB" }, { "da", "da-DK" }, { "de", "de-DE" },
	{ "el", "el-GR" }, { "en", "en-US" }, { "es", "es-ES" }, { "et", "et-EE" },
	{ "eu", "eu" }, { "fa", "fa-IR" }, { "fi", "fi-FI" }, { "fr", "fr-FR" },
	{ "he", "he-IL" }, { "hr", "hr-HR" }, { "hu", "hu-HU" }, { "id", "id-ID" },
	{ "is", "is-IS" }, { "it", "it-IT" }, { "ja", "ja-JP" }, { "km", "km-KH" },
	{ "ko", "ko-KR" }, { "la", "la" }, { "lt", "lt-LT" }, { "lv", "lv-LV" },
	{ "mn", "mn-MN" }, { "nb", "nb-NO" }, { "nl", "nl-NL" }, { "nn", "nn-NO" },
	{ "pl", "pl-PL" }, { "pt", "pt-PT" }, { "ro", "ro-RO" }, { "ru", "ru-RU" },
	{ "sk", "sk-SK" }, { "sl", "sl-SI" }, { "sr", "sr-RS" }, { "sv", "sv-SE" },
	{ "th", "th-TH" }, { "tr", "tr-TR" }, { "uk", "uk-UA" }, { "vi", "vi-VN" },
	{ "zh", "zh-CN" },
};

/* The first error libxml2 reports (the later ones follow from it). */
struct xmlfirst { int line, col; char msg[256]; int set; };

static void
first_error(void *ud, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ud;
	struct xmlfirst *f = ctxt ? ctxt->_private : NULL;

	/* any allocation that failed, not only a first one: libxml2 stops the
	 * parse there and may report more after it, keeping what it read */
	if (e && e->code == XML_ERR_NO_MEMORY) cvb_nomem();
	if (!f || f->set || !e || e->level < XML_ERR_ERROR) return;
	f->set = 1;
	f->line = e->line;
	f->col = e->int2;
	snprintf(f->msg, sizeof(f->msg), "%s", e->message ? e->message : "cannot parse");
}

static xmlDocPtr
parse_xml(struct pctx *p, const char *data, size_t len, const char *file)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;
	struct xmlfirst fe;

	if (!ctxt) { p->err = 1; cvb_nomem(); return NULL; }
	memset(&fe, 0, sizeof(fe));
	ctxt->_private = &fe;
	if (ctxt->sax) ctxt->sax->serror = first_error;
	if (len > INT32_MAX) len = INT32_MAX;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, file, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (ctxt->errNo == XML_ERR_NO_MEMORY)
		cvb_nomem();	/* not the style's fault: the load fails */
	if (!doc || ctxt->wellFormed == 0) {
		const char *msg = fe.set ? fe.msg : ctxt->lastError.message ? ctxt->lastError.message : "cannot parse\n";
		int line = fe.set ? fe.line : ctxt->lastError.line, col = fe.set ? fe.col : ctxt->lastError.int2;
		size_t ml = strlen(msg);
		while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' ')) ml--;
		cvb_diag(p->d, CVB_D_CSL_XML, file, line > 0 ? (unsigned)line : 0,
		    col > 0 ? (unsigned)col : 0, "%.*s", (int)ml, msg);
		if (doc) xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Load locale file "locales-LANG.xml" into the style; 0 when found. */
static int
load_locale_file(struct pctx *p, const char *lang, const struct cvbib_options *o)
{
	char dirs[16][4096];
	char path[4096 + 64], ename_[128];
	const struct csl_embedded *e;
	size_t nd = csl_locale_dirs(o, lang, dirs, CVB_ARRAY_SIZE(dirs)), i;
	char *data = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;

	for (i = 0; i < nd; i++) {
		snprintf(path, sizeof(path), "%s/locales-%s.xml", dirs[i], lang);
		if (csl_read_file(path, &data, &len) == 0) break;
		snprintf(path, sizeof(path), "%s/locales/locales-%s.xml", dirs[i], lang);
		if (csl_read_file(path, &data, &len) == 0) break;
	}
	if (data) {
		doc = parse_xml(p, data, len, path);
		free(data);
	} else {
		snprintf(ename_, sizeof(ename_), "locales-%s", lang);
		e = csl_own_locale(ename_);
		if (!e) return -1;
		doc = parse_xml(p, e->data, e->len, ename_);
	}
	if (!doc) return -1;
	root = xmlDocGetRootElement(doc);
	if (root && ename(root, "locale")) {
		const char *saved = p->file;
		p->file = NULL;
		parse_locale(p, root, true);
		p->file = saved;
	}
	xmlFreeDoc(doc);
	return 0;
}

static const char *
primary_dialect(const char *lang)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(primary_dialects); i++)
		if (strcmp(primary_dialects[i].lang, lang) == 0)
			return primary_dialects[i].dialect;
	return NULL;
}

/* Resolve the locale chain and merge it (lowest priority first). */
static void
build_locale(struct pctx *p, xmlNodePtr root, const char *lang, const struct cvbib_options *o)
{
	char base[16];
	const char *pd;
	xmlNodePtr c;
	int pass;
	size_t bl = strcspn(lang, "-_");

	if (bl >= sizeof(base)) bl = sizeof(base) - 1;
	memcpy(base, lang, bl); base[bl] = 0;
	p->s->loc.punct_in_quote = 0;
	p->s->loc.limit_ordinals = 0;
	load_locale_file(p, "en-US", o);
	pd = primary_dialect(base);
	/* CSL's fallback: de-AT, then its primary dialect de-DE, then en-US */
	if (strcmp(lang, "en-US") != 0) {
		bool got_pd = false;
		if (pd && strcmp(pd, lang) != 0 && strcmp(pd, "en-US") != 0)
			got_pd = load_locale_file(p, pd, o) == 0;
		if (load_locale_file(p, lang, o) != 0) {
			char sys[4096];
			const char *hint = "";
			DIR *dd = NULL;
			if (csl_system_dir(o)) {
				snprintf(sys, sizeof(sys), "%s/locales", csl_system_dir(o));
				dd = opendir(sys);
			}
			if (dd) closedir(dd);
			else if (csl_system_dir(o))
				hint = " (Debian's citation-style-language-locales is not installed; "
				    "--locales-dir names a directory of locales-LANG.xml files)";
			else
				hint = " (no system CSL directory; --locales-dir names a directory "
				    "of locales-LANG.xml files)";
			if (got_pd)
				cvb_diag(p->d, CVB_D_CSL_NO_LOCALE, p->file, 0, 0,
				    "'%s', using %s%s", lang, pd, hint);
			else
				cvb_diag(p->d, CVB_D_CSL_NO_LOCALE, p->file, 0, 0, "'%s', using en-US%s", lang, hint);
		}
	}
	/* in-style locales: no lang, then the base language, then exact */
	for (pass = 0; pass < 3; pass++)
		for (c = root->children; c; c = c->next) {
			const char *xl;
			if (!ename(c, "locale")) continue;
			xl = xattr_lang(c);
			if (pass == 0 && xl == NULL) parse_locale(p, c, false);
			else if (pass == 1 && xl && strcmp(xl, base) == 0 && strcmp(base, lang) != 0) parse_locale(p, c, false);
			else if (pass == 2 && xl && strcmp(xl, lang) == 0) parse_locale(p, c, false);
		}
}

/* ------------------------------------------------------------ style */

static void
parse_section(struct pctx *p, xmlNodePtr x, struct csl_section *sec)
{
	xmlAttrPtr a;
	xmlNodePtr c;

	sec->present = 1;
	sec->line_spacing = 1;
	sec->entry_spacing = 1;
	sec->near_note_distance = 5;
	for (a = x->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		const char *v = a->children ? (const char *)a->children->content : "";
		int k;

		if (name_attr(p, x, &sec->no, an, v))
			continue;
		if (strcmp(an, "hanging-indent") == 0) sec->hanging_indent = strcmp(v, "true") == 0;
		else if (strcmp(an, "second-field-align") == 0) sec->second_field_align = strcmp(v, "flush") == 0 ? 1 : strcmp(v, "margin") == 0 ? 2 : 0;
		else if (strcmp(an, "line-spacing") == 0) sec->line_spacing = intval(v);
		else if (strcmp(an, "entry-spacing") == 0) sec->entry_spacing = intval(v);
		else if (strcmp(an, "subsequent-author-substitute") == 0) sec->subseq_author = A(v);
		else if (strcmp(an, "subsequent-author-substitute-rule") == 0) {
			static const char *const w[] = { "complete-all", "complete-each", "partial-each", "partial-first", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) sec->subseq_rule = k;
		} else if (strcmp(an, "disambiguate-add-names") == 0) sec->disamb_names = strcmp(v, "true") == 0;
		else if (strcmp(an, "disambiguate-add-givenname") == 0) sec->disamb_given = strcmp(v, "true") == 0;
		else if (strcmp(an, "disambiguate-add-year-suffix") == 0) sec->disamb_ysuffix = strcmp(v, "true") == 0;
		else if (strcmp(an, "givenname-disambiguation-rule") == 0) {
			static const char *const w[] = { "by-cite", "all-names", "all-names-with-initials", "primary-name", "primary-name-with-initials", NULL };
			if ((k = kw(p, x, an, v, w)) >= 0) sec->given_rule = k;
		} else if (strcmp(an, "collapse") == 0) {
			static const char *const w[] = { "", "citation-number", "year", "year-suffix", "year-suffix-ranged", NULL };
			if ((k = kw(p, x, an, v, w)) > 0) sec->collapse = k;
		} else if (strcmp(an, "cite-group-delimiter") == 0) sec->cite_group_delim = A(v);
		else if (strcmp(an, "year-suffix-delimiter") == 0) sec->ysuffix_delim = A(v);
		else if (strcmp(an, "after-collapse-delimiter") == 0) sec->after_collapse_delim = A(v);
		else if (strcmp(an, "near-note-distance") == 0) sec->near_note_distance = intval(v);
		else warn(p, x, CVB_D_CSL_UNK_ATTR, "%s on <%s>", an, (const char *)x->name);
	}
	for (c = x->children; c; c = c->next) {
		if (!is_csl(c)) continue;
		if (ename(c, "layout")) {
			if (!sec->layout) sec->layout = parse_elem(p, c, NULL);
		} else if (ename(c, "sort")) {
			sec->sort = parse_kids(p, c, NULL);
		} else
			warn(p, c, CVB_D_CSL_UNK_ELEM, "<%s>%s", (const char *)c->name, NULL);
	}
	if (!sec->layout) {
		cvb_diag(p->d, CVB_D_CSL_BAD_STYLE, p->file, (unsigned)xmlGetLineNo(x), 0,
		    "<%s> has no <layout>", (const char *)x->name);
		p->err = 2;
	}
}

static struct csl_macro *
macro_find(cvbib_style *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nmacros; i++)
		if (strcmp(s->macros[i].name, name) == 0)
			return &s->macros[i];
	return NULL;
}

static void
resolve(struct pctx *p, struct csl_node *n)
{
	for (; n; n = n->next) {
		if (n->macro_name) {
			n->macro = macro_find(p->s, n->macro_name);
			if (!n->macro) {
				cvb_diag(p->d, CVB_D_CSL_UNK_MACRO, p->file, n->line, 0, "'%s'", n->macro_name);
				p->err = 2;
			}
		}
		resolve(p, n->kids);
	}
}

/* The branch table of each choose (csl.h): the branches and their tests
 * copied into one block. */
static void
index_choose(struct pctx *p, struct csl_node *n)
{
	for (; n; n = n->next) {
		int i;
		for (i = 0; i < n->ntests; i++)
			if (n->tests[i].cond == CC_DISAMBIGUATE) {
				p->s->uses_disamb_cond = true;
				if (n->tests[i].ival) p->s->n_disamb_tests++;
			}
		if (n->type == CN_CHOOSE && !n->branches) {
			const struct csl_node *c;
			size_t nb = 0, nt = 0, sz;
			struct csl_branch *b;
			struct csl_test *t;
			unsigned char *m;
			for (c = n->kids; c; c = c->next) { nb++; nt += (size_t)c->ntests; }
			sz = nb * sizeof(*b) + nt * sizeof(*t);
			m = cvb_arena_alloc(&p->s->arena, sz + 64);
			if (m) {
				b = (struct csl_branch *)(((uintptr_t)m + 63) & ~(uintptr_t)63);
				t = (struct csl_test *)(b + nb);
				n->branches = b;
				n->nbranches = (int)nb;
				for (c = n->kids; c; c = c->next, b++) {
					b->node = c;
					b->type = c->type;
					b->match = c->match;
					b->ntests = c->ntests;
					b->tests = t;
					if (c->ntests) memcpy(t, c->tests, (size_t)c->ntests * sizeof(*t));
					if (CVB_T__COUNT <= 64 && c->ntests > 0) {
						int k;
						b->types_only = true;
						for (k = 0; k < c->ntests; k++) {
							if (c->tests[k].cond != CC_TYPE || c->tests[k].ival < 0 || c->tests[k].ival >= 64) {
								b->types_only = false;
								break;
							}
							if (c->tests[k].ival != 0) b->types |= (uint64_t)1 << c->tests[k].ival;
						}
					}
					t += c->ntests;
				}
			}
		}
		index_choose(p, n->kids);
	}
}

/* The id of an independent parent ("http://www.zotero.org/styles/apa" -> "apa"). */
static char *
parent_id(xmlNodePtr root)
{
	xmlNodePtr info, c;

	for (info = root->children; info; info = info->next) {
		if (!ename(info, "info")) continue;
		for (c = info->children; c; c = c->next) {
			xmlChar *rel, *href;
			char *r = NULL;
			if (!ename(c, "link")) continue;
			rel = xmlGetProp(c, (const xmlChar *)"rel");
			href = xmlGetProp(c, (const xmlChar *)"href");
			if (rel && href && strcmp((const char *)rel, "independent-parent") == 0) {
				const char *h = (const char *)href, *sl = strrchr(h, '/');
				r = strdup(sl ? sl + 1 : h);
			}
			xmlFree(rel); xmlFree(href);
			if (r) return r;
		}
	}
	return NULL;
}

static int load_any(cvbib_style **out, const char *name_or_path, const char *locale,
    const struct cvbib_options *o, struct cvbib_diags *d, const char *locale_override, int depth);

static int
load_doc(cvbib_style **out, const char *xml, size_t len, const char *file,
    const char *locale, const struct cvbib_options *o, struct cvbib_diags *d, int depth)
{
	struct pctx pc, *p = &pc;
	cvbib_style *s;
	xmlDocPtr doc;
	xmlNodePtr root, c;
	xmlAttrPtr a;
	size_t nmac = 0;
	char *parent;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) return -CVBIB_ENOMEM;
	memset(p, 0, sizeof(*p));
	p->s = s; p->d = d;
	s->file = file ? cvb_arena_strdup(&s->arena, file) : NULL;
	p->file = s->file;
	doc = parse_xml(p, xml, len, file);
	if (!doc) { cvbib_style_free(s); return -CVBIB_ESTYLE; }
	root = xmlDocGetRootElement(doc);
	if (!root || !ename(root, "style")) {
		cvb_diag(d, CVB_D_CSL_BAD_STYLE, file, root ? (unsigned)xmlGetLineNo(root) : 1, 0,
		    "the root element must be <style>");
		xmlFreeDoc(doc); cvbib_style_free(s);
		return -CVBIB_ESTYLE;
	}
	s->no.initialize = 1;
	for (a = root->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		const char *v = a->children ? (const char *)a->children->content : "";

		if (name_attr(p, root, &s->no, an, v))
			continue;
		if (strcmp(an, "class") == 0) s->class_note = strcmp(v, "note") == 0;
		else if (strcmp(an, "default-locale") == 0) s->default_locale = A(v);
		else if (strcmp(an, "demote-non-dropping-particle") == 0)
			s->demote_ndp = strcmp(v, "never") == 0 ? 0 : strcmp(v, "sort-only") == 0 ? 1 : 2;
		else if (strcmp(an, "initialize-with-hyphen") == 0) s->init_hyphen = strcmp(v, "false") != 0;
		else if (strcmp(an, "page-range-format") == 0) {
			static const char *const w[] = { "", "expanded", "minimal", "minimal-two", "chicago", "chicago-15", "chicago-16", NULL };
			int k = kw(p, root, an, v, w);
			/* "chicago" is chicago-15 in CSL 1.0.2; 4 = chicago-16, 5 = chicago-15 */
			if (k == 4) k = 5;
			else if (k == 6) k = 4;
			if (k > 0) s->page_range_format = k;
		} else if (strcmp(an, "version") == 0 || strcmp(an, "lang") == 0) {
		} else warn(p, root, CVB_D_CSL_UNK_ATTR, "%s on <%s>", an, "style");
	}
	if (!(s->no.set & NO_INIT)) s->no.initialize = 1;
	s->demote_ndp = 2;
	for (a = root->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "demote-non-dropping-particle") == 0 && a->children) {
			const char *v = (const char *)a->children->content;
			s->demote_ndp = strcmp(v, "never") == 0 ? 0 : strcmp(v, "sort-only") == 0 ? 1 : 2;
		}
	s->init_hyphen = 1;
	for (a = root->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "initialize-with-hyphen") == 0 && a->children)
			s->init_hyphen = strcmp((const char *)a->children->content, "false") != 0;

	/* a dependent style: load its parent with this one's locale */
	parent = parent_id(root);
	if (parent && depth < 3) {
		const char *loc = locale ? locale : s->default_locale;
		char path[4096];
		int rc = -1;
		cvbib_style *ps = NULL;

		if (file && strchr(file, '/')) {
			/* beside the file, then above a dependent/ directory (the
			 * layout of the official repository) */
			const char *sl = strrchr(file, '/');
			int dl = (int)(sl - file);
			FILE *f;
			snprintf(path, sizeof(path), "%.*s/%s.csl", dl, file, parent);
			if ((f = fopen(path, "rb")) == NULL && dl >= 10 &&
			    strncmp(sl - 10, "/dependent", 10) == 0) {
				snprintf(path, sizeof(path), "%.*s/%s.csl", dl - 10, file, parent);
				f = fopen(path, "rb");
			}
			if (f) { fclose(f); rc = load_any(&ps, path, loc, o, d, NULL, depth + 1); }
		}
		if (rc != 0)
			rc = load_any(&ps, parent, loc, o, d, NULL, depth + 1);
		free(parent);
		xmlFreeDoc(doc);
		cvbib_style_free(s);
		if (rc != 0) return rc;
		*out = ps;
		return 0;
	}
	free(parent);

	for (c = root->children; c; c = c->next)
		if (ename(c, "macro")) nmac++;
	s->macros = cvb_arena_alloc(&s->arena, (nmac + 1) * sizeof(*s->macros));
	for (c = root->children; c; c = c->next) {
		if (!is_csl(c)) continue;
		if (ename(c, "info") || ename(c, "locale")) continue;
		if (ename(c, "macro")) {
			xmlChar *nm = xmlGetProp(c, (const xmlChar *)"name");
			struct csl_macro *m = &s->macros[s->nmacros++];
			m->name = A(nm ? (const char *)nm : "");
			m->line = (unsigned)xmlGetLineNo(c);
			xmlFree(nm);
			m->body = parse_kids(p, c, NULL);
		} else if (ename(c, "citation")) {
			parse_section(p, c, &s->cit);
		} else if (ename(c, "bibliography")) {
			parse_section(p, c, &s->bib);
		} else
			warn(p, c, CVB_D_CSL_UNK_ELEM, "<%s>%s", (const char *)c->name, NULL);
	}
	if (!s->cit.present && p->err == 0) {
		cvb_diag(d, CVB_D_CSL_BAD_STYLE, file, (unsigned)xmlGetLineNo(root), 0,
		    "<style> has no <citation>");
		p->err = 2;
	}
	resolve(p, s->cit.layout);
	resolve(p, s->cit.sort);
	resolve(p, s->bib.layout);
	resolve(p, s->bib.sort);
	{
		size_t i;
		for (i = 0; i < s->nmacros; i++) resolve(p, s->macros[i].body);
		index_choose(p, s->cit.layout);
		index_choose(p, s->cit.sort);
		index_choose(p, s->bib.layout);
		index_choose(p, s->bib.sort);
		for (i = 0; i < s->nmacros; i++) index_choose(p, s->macros[i].body);
	}
	build_locale(p, root, locale ? locale : s->default_locale ? s->default_locale : "en-US", o);
	s->quotes[0] = csl_term_text(s, "open-quote", TF_LONG, 0);
	s->quotes[1] = csl_term_text(s, "close-quote", TF_LONG, 0);
	s->quotes[2] = csl_term_text(s, "open-inner-quote", TF_LONG, 0);
	s->quotes[3] = csl_term_text(s, "close-inner-quote", TF_LONG, 0);
	if (!s->quotes[0]) s->quotes[0] = "\xe2\x80\x9c";
	if (!s->quotes[1]) s->quotes[1] = "\xe2\x80\x9d";
	if (!s->quotes[2]) s->quotes[2] = "\xe2\x80\x98";
	if (!s->quotes[3]) s->quotes[3] = "\xe2\x80\x99";
	xmlFreeDoc(doc);
	if (p->err || s->arena.err) {
		int rc = p->err == 1 || s->arena.err ? -CVBIB_ENOMEM : -CVBIB_ESTYLE;
		cvbib_style_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* t is the term (name, form): true when it has gender_form too, else a
 * neutral form is remembered in *neutral. */
static bool
term_match(const struct csl_term *t, const char *name, int form, int gender_form,
    const struct csl_term **neutral)
{
	if (t->form != form || strcmp(t->name, name) != 0)
		return false;
	if (t->gender_form == gender_form)
		return true;
	if (t->gender_form == 0)
		*neutral = t;
	return false;
}

const struct csl_term *
csl_term_get(const cvbib_style *s, const char *name, int form, int gender_form)
{
	static const int fallback[TF__N][3] = {
		[TF_LONG] = { TF_LONG, -1, -1 },
		[TF_SHORT] = { TF_SHORT, TF_LONG, -1 },
		[TF_VERB] = { TF_VERB, TF_LONG, -1 },
		[TF_VERB_SHORT] = { TF_VERB_SHORT, TF_VERB, TF_LONG },
		[TF_SYMBOL] = { TF_SYMBOL, TF_SHORT, TF_LONG },
	};
	int i;
	size_t j;

	if (form < 0 || form >= TF__N) form = TF_LONG;
	for (i = 0; i < 3 && fallback[form][i] >= 0; i++) {
		const struct csl_term *neutral = NULL;
		if (s->loc.th) {
			/* (name, form, gender_form) is unique: the order does not matter */
			size_t k, m = s->loc.thn - 1;
			for (k = term_hash(name, fallback[form][i]) & m; s->loc.th[k]; k = (k + 1) & m)
				if (term_match(&s->loc.terms[s->loc.th[k] - 1], name,
				    fallback[form][i], gender_form, &neutral))
					return &s->loc.terms[s->loc.th[k] - 1];
			if (neutral)
				return neutral;
			continue;
		}
		for (j = 0; j < s->loc.nterms; j++)
			if (term_match(&s->loc.terms[j], name, fallback[form][i], gender_form, &neutral))
				return &s->loc.terms[j];
		if (neutral)
			return neutral;
	}
	return NULL;
}

const char *
csl_term_text(const cvbib_style *s, const char *name, int form, int plural)
{
	const struct csl_term *t = csl_term_get(s, name, form, 0);

	if (!t) return NULL;
	return plural ? t->multiple : t->single;
}

static int
load_any(cvbib_style **out, const char *name, const char *locale,
    const struct cvbib_options *o, struct cvbib_diags *d, const char *unused, int depth)
{
	struct csl_found f;
	struct cvb_buf where = CVB_BUF_INIT, close = CVB_BUF_INIT;
	int rc;
	size_t nl = strlen(name);

	(void)unused;
	*out = NULL;
	if (strchr(name, '/') || (nl > 4 && strcmp(name + nl - 4, ".csl") == 0)) {
		char *data = NULL;
		size_t len = 0;
		if (csl_read_file(name, &data, &len) == 0) {
			rc = load_doc(out, data, len, name, locale, o, d, depth);
			free(data);
			return rc;
		}
		if (strchr(name, '/')) {
			cvb_diag(d, CVB_D_CSL_NO_STYLE, name, 0, 0, "%s", strerror(errno));
			return -CVBIB_ESTYLE;
		}
	}
	if (csl_style_find(o, name, &f) == 0) {
		if (f.own)
			return load_doc(out, f.own->data, f.own->len, f.own->name, locale, o, d, depth);
		rc = load_doc(out, f.data, f.len, f.path, locale, o, d, depth);
		free(f.data);
		return rc;
	}
	csl_style_places_text(o, &where);
	csl_close_names(o, name, &close, 5);
	cvb_diag(d, CVB_D_CSL_NO_STYLE, NULL, 0, 0, "'%s' is not a file, and no style of that name is in %s%s%s",
	    name, where.buf, close.len ? "; close names: " : "", close.buf);
	cvbib_buf_release(&where);
	cvbib_buf_release(&close);
	return -CVBIB_ESTYLE;
}

/* A style loaded with an allocation failed on the way is no style (issue 20). */
static int
loaded(cvbib_style **out, unsigned long nm, int rc, struct cvbib_diags *d)
{
	rc = cvb_nomem_end(nm, rc, d);
	if (rc != 0 && *out != NULL) {
		cvbib_style_free(*out);
		*out = NULL;
	}
	return rc;
}

int
cvbib_style_load(cvbib_style **out, const char *name_or_path, const char *locale,
    const struct cvbib_options *o, struct cvbib_diags *d)
{
	unsigned long nm = cvb_nomem_count;
	struct cvb_xml_quiet q;
	int rc;

	*out = NULL;
	if (!name_or_path)
		name_or_path = "apa";
	cvb_xml_quiet_begin(&q);
	rc = loaded(out, nm, load_any(out, name_or_path, locale, o, d, NULL, 0), d);
	cvb_xml_quiet_end(&q);
	return rc;
}

int
cvbib_style_load_mem(cvbib_style **out, const char *xml, size_t len,
    const char *filename, const char *locale, const struct cvbib_options *o,
    struct cvbib_diags *d)
{
	unsigned long nm = cvb_nomem_count;
	struct cvb_xml_quiet q;
	int rc;

	*out = NULL;
	cvb_xml_quiet_begin(&q);
	rc = loaded(out, nm, load_doc(out, xml, len, filename ? filename : "<style>", locale,
	    o, d, 0), d);
	cvb_xml_quiet_end(&q);
	return rc;
}

void
cvbib_style_free(cvbib_style *s)
{
	if (!s) return;
	free(s->loc.terms);
	free(s->loc.th);
	cvb_arena_release(&s->arena);
	free(s);
}
