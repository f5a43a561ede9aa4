/*
 * latex.c - LaTeX <-> Unicode and CSL rich text, for the BibTeX reader and
 * writer.
 *
 * Reading: cvb_latex_to_rich() turns the LaTeX of a field value into CSL rich
 * text (doc/model.md): accents and symbols become Unicode (tables in data/,
 * compiled in by mk/gen-bibtex.awk), font commands become <i>, <b>, small caps,
 * <sup>, <sub>, math is kept with its dollars in a nocase span, and BibTeX's
 * case-protecting braces become nocase spans.  Harmless commands rich text
 * cannot carry (\cite, \href, \mbox, \noopsort) give their readable text,
 * and cvb_latex_keep() tells the reader when a field's LaTeX may be written
 * back as it was.  A command it does not know is kept as literal text with
 * its arguments, so nothing is lost.
 *
 * Writing: cvb_latex_from_rich() escapes every character that means something
 * to TeX, so metadata can never run a command (\input, \write18, ...); only
 * math that passes a strict check is written as math.
 *
 * This file owns the lookup indexes it builds on first use and nothing else.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

/* ------------------------------------------------------------ tables */

#define NMARKS 16
static const char *accent_idx[NMARKS][128];	/* [mark][base letter] -> UTF-8 */
static int nmarks;
static const struct cvb_bt_symbol **sym_sorted;
static size_t nsym;
/* reverse: code point -> LaTeX, built for the writer */
struct rev {
	uint32_t	 cp;
	const char	*mark;		/* accent command, or NULL for a symbol */
	const char	*text;		/* base letter or symbol command */
};
static struct rev *revtab;
static size_t nrev;
static int tables_ready;
static void special_init(void);
static const char *put_char(struct cvb_buf *, const char *, const char *, unsigned);

static int
sym_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct cvb_bt_symbol *const *)a)->cmd,
	    (*(const struct cvb_bt_symbol *const *)b)->cmd);
}

static int
rev_cmp(const void *a, const void *b)
{
	const struct rev *x = a, *y = b;

	if (x->cp != y->cp)
		return x->cp < y->cp ? -1 : 1;
	return 0;
}

static int
mark_index(const char *cmd, size_t n)
{
	int i;

	for (i = 0; i < nmarks; i++)
		if (strlen(cvb_bt_marks[i].cmd) == n && memcmp(cvb_bt_marks[i].cmd, cmd, n) == 0)
			return i;
	return -1;
}

static void
tables_init(void)
{
	size_t i, n;
	uint32_t cp;

	if (tables_ready)
		return;
	special_init();
	for (nmarks = 0; cvb_bt_marks[nmarks].cmd != NULL && nmarks < NMARKS; nmarks++)
		;
	for (i = 0; cvb_bt_accents[i].cmd != NULL; i++) {
		int m = mark_index(cvb_bt_accents[i].cmd, strlen(cvb_bt_accents[i].cmd));
		unsigned char c = (unsigned char)cvb_bt_accents[i].base[0];

		if (m >= 0 && c < 128)
			accent_idx[m][c] = cvb_bt_accents[i].utf8;
	}
	for (nsym = 0; cvb_bt_symbols[nsym].cmd != NULL; nsym++)
		;
	sym_sorted = malloc((nsym ? nsym : 1) * sizeof(*sym_sorted));
	n = 0;
	revtab = malloc((nsym + i + 1) * sizeof(*revtab));
	if (sym_sorted == NULL || revtab == NULL) {
		free(sym_sorted);
		free(revtab);
		sym_sorted = NULL;
		revtab = NULL;
		nsym = 0;
		return;	/* conversions then fall back to literal text */
	}
	for (i = 0; i < nsym; i++)
		sym_sorted[i] = &cvb_bt_symbols[i];
	qsort(sym_sorted, nsym, sizeof(*sym_sorted), sym_cmp);
	/* reverse table: symbols first (first listed wins), then accents */
	for (i = 0; cvb_bt_symbols[i].cmd != NULL; i++) {
		const char *u = cvb_bt_symbols[i].utf8;

		if ((unsigned char)u[0] < 0x80)
			continue;	/* ASCII characters are escaped, not looked up */
		cvb_utf8_decode(u, strlen(u), &cp);
		revtab[n++] = (struct rev){ cp, NULL, cvb_bt_symbols[i].cmd };
	}
	for (i = 0; cvb_bt_accents[i].cmd != NULL; i++) {
		const char *u = cvb_bt_accents[i].utf8;

		cvb_utf8_decode(u, strlen(u), &cp);
		revtab[n++] = (struct rev){ cp, cvb_bt_accents[i].cmd, cvb_bt_accents[i].base };
	}
	/* stable: keep the first entry for each code point */
	for (i = 0; i < n; i++)
		revtab[i].cp = revtab[i].cp;	/* (order of equal keys fixed below) */
	{
		/* insertion sort keeps equal keys in table order; n is a few hundred */
		size_t a, b;

		for (a = 1; a < n; a++) {
			struct rev t = revtab[a];

			for (b = a; b > 0 && revtab[b - 1].cp > t.cp; b--)
				revtab[b] = revtab[b - 1];
			revtab[b] = t;
		}
	}
	nrev = n;
	tables_ready = 1;
}

static const char *
symbol_lookup(const char *name, size_t n)
{
	size_t lo = 0, hi = nsym;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *c = sym_sorted[mid]->cmd;
		int r = strncmp(c, name, n);

		if (r == 0 && c[n] != '\0')
			r = 1;
		if (r == 0)
			return sym_sorted[mid]->utf8;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct rev *
rev_lookup(uint32_t cp)
{
	struct rev key = { cp, NULL, NULL };
	const struct rev *r = bsearch(&key, revtab, nrev, sizeof(*revtab), rev_cmp);

	while (r != NULL && r > revtab && r[-1].cp == cp)
		r--;
	return r;
}

/* ------------------------------------------------------------ reading */

enum mode { M_TOP, M_INNER };

struct conv {
	struct cvb_buf	*out;
	unsigned	 flags;
	int		 depth;		/* recursion guard */
	int		 nocase;	/* nocase spans open around what is converted */
};

static void conv_run(struct conv *, const char *p, const char *e, enum mode);

/* Bytes that mean something to the converter: \ { } $ ~ - ` ' and white space. */
static unsigned char special[256];

static void
special_init(void)
{
	const char *s;

	/* ' ' is not here: the reader has collapsed white space already */
	for (s = "\\{}$~-`'\t\n\r"; *s; s++)
		special[(unsigned char)*s] = 1;
	special[0] = 1;
}

static bool
is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* End of the brace group starting at p ('{'); e when unbalanced. */
const char *
cvb_latex_group_end(const char *p, const char *e)
{
	int d = 0;

	for (; p < e; p++) {
		if (*p == '\\' && p + 1 < e) {
			p++;
			continue;
		}
		if (*p == '{')
			d++;
		else if (*p == '}' && --d == 0)
			return p;
	}
	return e;
}

static void
open_tag(struct conv *c, enum cvb_rtag t)
{
	if (!(c->flags & CVB_LTX_PLAIN))
		cvb_buf_adds(c->out, cvb_rich_open_text(t));
}

/* Close tag t opened at byte mark; an empty span is removed again. */
static void
close_tag(struct conv *c, enum cvb_rtag t, size_t mark)
{
	if (c->flags & CVB_LTX_PLAIN)
		return;
	if (c->out->len == mark + strlen(cvb_rich_open_text(t))) {
		cvb_buf_setlen(c->out, mark);
		return;
	}
	cvb_buf_adds(c->out, cvb_rich_close_text(t));
}

/* Run p..e wrapped in tag t (CVB_R_NONE: no tag). */
static void
conv_wrapped(struct conv *c, enum cvb_rtag t, const char *p, const char *e, enum mode m)
{
	size_t mark = c->out->len;

	if (t != CVB_R_NONE)
		open_tag(c, t);
	c->nocase += t == CVB_R_NOCASE;
	conv_run(c, p, e, m);
	c->nocase -= t == CVB_R_NOCASE;
	if (t != CVB_R_NONE)
		close_tag(c, t, mark);
}

/* Append a code point; spaces are collapsed. */
static void
put_space(struct conv *c)
{
	if (c->out->len > 0 && c->out->buf[c->out->len - 1] != ' ')
		cvb_buf_addch(c->out, ' ');
}

/*
 * The argument of an accent or command at p: a {group} or one character (or
 * a control word such as \i).  Sets *as and *ae to its contents and returns the
 * position after it.
 */
static const char *
take_arg(const char *p, const char *e, const char **as, const char **ae)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p >= e) {
		*as = *ae = p;
		return p;
	}
	if (*p == '{') {
		const char *g = cvb_latex_group_end(p, e);

		*as = p + 1;
		*ae = g;
		return g < e ? g + 1 : e;
	}
	if (*p == '\\' && p + 1 < e) {
		const char *q = p + 1;

		if (is_letter(*q)) {
			while (q < e && is_letter(*q))
				q++;
		} else
			q++;
		*as = p;
		*ae = q;
		return q;
	}
	*as = p;
	*ae = p + 1;
	/* one UTF-8 character */
	if ((unsigned char)*p >= 0x80) {
		*ae = p + 1;
		while (*ae < e && ((unsigned char)**ae & 0xC0) == 0x80)
			(*ae)++;
	}
	return *ae;
}

/* Apply accent mark m to the argument as..ae. */
static void
apply_accent(struct conv *c, int m, const char *as, const char *ae)
{
	const char *base = as;
	size_t blen;

	while (base < ae && (*base == '{' || *base == ' '))
		base++;
	while (ae > base && (ae[-1] == '}' || ae[-1] == ' '))
		ae--;
	blen = (size_t)(ae - base);
	/* \i and \j are the dotless letters under an accent */
	if (blen == 2 && base[0] == '\\' && (base[1] == 'i' || base[1] == 'j')) {
		base++;
		blen = 1;
	}
	if (blen == 0) {
		/* an accent on nothing: the accent character itself */
		const char *cmd = cvb_bt_marks[m].cmd;

		if (strlen(cmd) == 1 && !is_letter(cmd[0]))
			cvb_buf_adds(c->out, strcmp(cmd, "\"") == 0 ? "\xc2\xa8" : cmd);
		else
			cvb_buf_addcp(c->out, cvb_bt_marks[m].combining);
		return;
	}
	if (blen == 1 && (unsigned char)base[0] < 128 && accent_idx[m][(unsigned char)base[0]]) {
		cvb_buf_adds(c->out, accent_idx[m][(unsigned char)base[0]]);
		return;
	}
	/* no precomposed form: the base and a combining mark */
	{
		struct conv sub = *c;

		sub.flags |= CVB_LTX_PLAIN;
		sub.depth++;
		if (sub.depth < 64)
			conv_run(&sub, base, ae, M_INNER);
	}
	cvb_buf_addcp(c->out, cvb_bt_marks[m].combining);
}

static const struct cmdent {
	const char	*name;
	int		 act;
	int		 tag;
} cmdtab[] = {
#define A_TAG 1		/* \cmd{arg} -> tag */
#define A_PLAIN 2	/* \cmd{arg} -> arg */
#define A_DECL 3	/* {\cmd ...} -> tag around the rest of the group */
#define A_VERB 4	/* \url{arg}: arg verbatim */
#define A_QUOTE 5	/* \enquote{arg} -> “arg” */
#define A_NOTHING 6	/* \relax, \/ ...: nothing */
#define A_TEXT 7	/* \LaTeX: a word */
#define A_MATH 8	/* \ensuremath{x}: math */
#define A_NOCASE 9	/* \NoCaseChange{x}: nocase */
#define A_CITE 10	/* \cite[..][..]{keys} -> [keys] */
#define A_HREF 11	/* \href{url}{text} -> text */
#define A_DROP 12	/* \noopsort{x}: nothing (BibTeX's sorting trick) */
	{ "emph", A_TAG, CVB_R_I }, { "textit", A_TAG, CVB_R_I }, { "textsl", A_TAG, CVB_R_I },
	{ "mkbibemph", A_TAG, CVB_R_I }, { "mkbibitalic", A_TAG, CVB_R_I },
	{ "textbf", A_TAG, CVB_R_B }, { "mkbibbold", A_TAG, CVB_R_B },
	{ "textsc", A_TAG, CVB_R_SC },
	{ "textsuperscript", A_TAG, CVB_R_SUP }, { "mkbibsuperscript", A_TAG, CVB_R_SUP },
	{ "textsubscript", A_TAG, CVB_R_SUB }, { "mkbibsubscript", A_TAG, CVB_R_SUB },
	{ "textrm", A_PLAIN, 0 }, { "textnormal", A_PLAIN, 0 }, { "textsf", A_PLAIN, 0 },
	{ "texttt", A_PLAIN, 0 }, { "textup", A_PLAIN, 0 }, { "textmd", A_PLAIN, 0 },
	{ "mbox", A_PLAIN, 0 }, { "hbox", A_PLAIN, 0 }, { "text", A_PLAIN, 0 },
	{ "em", A_DECL, CVB_R_I }, { "it", A_DECL, CVB_R_I }, { "itshape", A_DECL, CVB_R_I },
	{ "sl", A_DECL, CVB_R_I }, { "slshape", A_DECL, CVB_R_I },
	{ "bf", A_DECL, CVB_R_B }, { "bfseries", A_DECL, CVB_R_B },
	{ "sc", A_DECL, CVB_R_SC }, { "scshape", A_DECL, CVB_R_SC },
	{ "rm", A_DECL, CVB_R_NONE }, { "normalfont", A_DECL, CVB_R_NONE },
	{ "upshape", A_DECL, CVB_R_NONE }, { "sf", A_DECL, CVB_R_NONE },
	{ "tt", A_DECL, CVB_R_NONE }, { "ttfamily", A_DECL, CVB_R_NONE },
	{ "rmfamily", A_DECL, CVB_R_NONE }, { "sffamily", A_DECL, CVB_R_NONE },
	{ "url", A_VERB, 0 },
	{ "enquote", A_QUOTE, 0 }, { "mkbibquote", A_QUOTE, 0 },
	{ "relax", A_NOTHING, 0 }, { "protect", A_NOTHING, 0 },
	{ "ensuremath", A_MATH, 0 },
	{ "NoCaseChange", A_NOCASE, 0 }, { "nocase", A_NOCASE, 0 },
	{ "LaTeX", A_TEXT, 0 }, { "TeX", A_TEXT, 0 }, { "BibTeX", A_TEXT, 0 },
	{ "LaTeXe", A_TEXT, 0 },
	/* harmless commands that rich text cannot carry (cvb_latex_keep()) */
	{ "cite", A_CITE, 0 }, { "Cite", A_CITE, 0 }, { "citet", A_CITE, 0 },
	{ "citep", A_CITE, 0 }, { "Citet", A_CITE, 0 }, { "Citep", A_CITE, 0 },
	{ "citealt", A_CITE, 0 }, { "citealp", A_CITE, 0 }, { "citeauthor", A_CITE, 0 },
	{ "Citeauthor", A_CITE, 0 }, { "citeyear", A_CITE, 0 }, { "citeyearpar", A_CITE, 0 },
	{ "citetitle", A_CITE, 0 }, { "parencite", A_CITE, 0 }, { "Parencite", A_CITE, 0 },
	{ "textcite", A_CITE, 0 }, { "Textcite", A_CITE, 0 }, { "autocite", A_CITE, 0 },
	{ "Autocite", A_CITE, 0 }, { "footcite", A_CITE, 0 }, { "smartcite", A_CITE, 0 },
	{ "supercite", A_CITE, 0 }, { "fullcite", A_CITE, 0 },
	{ "ref", A_PLAIN, 0 }, { "eqref", A_PLAIN, 0 }, { "pageref", A_PLAIN, 0 },
	{ "autoref", A_PLAIN, 0 }, { "cref", A_PLAIN, 0 }, { "Cref", A_PLAIN, 0 },
	{ "nameref", A_PLAIN, 0 },
	{ "href", A_HREF, 0 }, { "nolinkurl", A_VERB, 0 },
	{ "noopsort", A_DROP, 0 }, { "sortnoop", A_DROP, 0 }, { "SortNoop", A_DROP, 0 },
};

static const struct cmdent *
cmd_lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(cmdtab); i++)
		if (strlen(cmdtab[i].name) == n && memcmp(cmdtab[i].name, name, n) == 0)
			return &cmdtab[i];
	return NULL;
}

const char *
cvb_latex_logo(const char *s, size_t n)
{
	const struct cmdent *ce = cmd_lookup(s, n);

	return ce != NULL && ce->act == A_TEXT ? ce->name : NULL;
}

const char *
cvb_latex_symbol(const char *name, size_t n)
{
	tables_init();
	return symbol_lookup(name, n);
}

static void
put_math(struct conv *c, const char *s, size_t n)
{
	if (c->flags & CVB_LTX_PLAIN) {
		cvb_buf_add(c->out, s, n);
		return;
	}
	cvb_buf_adds(c->out, cvb_rich_open_text(CVB_R_NOCASE));
	cvb_buf_add(c->out, s, n);
	cvb_buf_adds(c->out, cvb_rich_close_text(CVB_R_NOCASE));
}

/* Math between s and e, without its delimiters (\\( \\), \\ensuremath{}), as
 * a nocase span in the $...$ form. */
static void
put_dollar_math(struct conv *c, const char *s, const char *e)
{
	struct cvb_buf *o = c->out;

	if (!(c->flags & CVB_LTX_PLAIN))
		cvb_buf_adds(o, cvb_rich_open_text(CVB_R_NOCASE));
	cvb_buf_addch(o, '$');
	cvb_buf_add(o, s, (size_t)(e - s));
	cvb_buf_addch(o, '$');
	if (!(c->flags & CVB_LTX_PLAIN))
		cvb_buf_adds(o, cvb_rich_close_text(CVB_R_NOCASE));
}

/* A control symbol at p (\&, \,, \', \( math \) ...); returns where it ends. */
static const char *
conv_symbol(struct conv *c, const char *p, const char *e)
{
	const char *q = p + 1, *as, *ae;
	int mk;

	switch (*q) {
	case '&': case '%': case '$': case '#': case '_': case '{': case '}':
		cvb_buf_addch(c->out, *q);
		return q + 1;
	case ' ': case '\n': case '\t':
		put_space(c);
		return q + 1;
	case '\\':
		put_space(c);
		return q + 1;
	case '-': case '/': case '@': case '!':
		return q + 1;
	case ',':
		cvb_buf_adds(c->out, "\xe2\x80\x89");	/* thin space */
		return q + 1;
	case ';': case ':':
		put_space(c);
		return q + 1;
	case '(': {
		/* \( math \) */
		const char *r = q + 1;

		while (r + 1 < e && !(r[0] == '\\' && r[1] == ')'))
			r++;
		if (r + 1 < e) {
			put_dollar_math(c, q + 1, r);
			return r + 2;
		}
		break;
	}
	default:
		mk = mark_index(q, 1);
		if (mk >= 0) {
			const char *r = take_arg(q + 1, e, &as, &ae);

			apply_accent(c, mk, as, ae);
			return r;
		}
		break;
	}
	cvb_buf_add(c->out, p, 2);
	return q + 1;
}

/* A command at p (the backslash); returns the position after it. */
static const char *
conv_command(struct conv *c, const char *p, const char *e, enum mode m,
    const char *gend, bool *decl_done)
{
	const char *q = p + 1, *name = q, *as, *ae;
	const struct cmdent *ce;
	const char *sym;
	size_t n;
	int mk;

	if (q >= e) {
		cvb_buf_addch(c->out, '\\');
		return e;
	}
	if (!is_letter(*q))
		return conv_symbol(c, p, e);
	while (q < e && is_letter(*q))
		q++;
	n = (size_t)(q - name);
	/* accents named by a letter: \c{c}, \v s, \H{o} ... */
	if (n == 1 && (mk = mark_index(name, 1)) >= 0 && q < e &&
	    (*q == '{' || *q == ' ' || *q == '\\')) {
		const char *r = take_arg(q, e, &as, &ae);

		apply_accent(c, mk, as, ae);
		return r;
	}
	if ((sym = symbol_lookup(name, n)) != NULL) {
		/* a control word eats the spaces after it; {} after it is empty */
		while (q < e && (*q == ' ' || *q == '\n' || *q == '\t'))
			q++;
		if (q + 1 < e && q[0] == '{' && q[1] == '}')
			q += 2;
		cvb_buf_adds(c->out, sym);
		return q;
	}
	if ((ce = cmd_lookup(name, n)) != NULL) {
		const char *r;

		switch (ce->act) {
		case A_DECL: {
			/* the rest of the group goes under the tag */
			const char *rest = q;

			while (rest < gend && (*rest == ' ' || *rest == '\n'))
				rest++;
			conv_wrapped(c, (enum cvb_rtag)ce->tag, rest, gend, m);
			*decl_done = true;
			return gend;
		}
		case A_NOTHING:
			while (q < e && *q == ' ')
				q++;
			return q;
		case A_TEXT:
			/* a logo: its text, protected from case changes, which
			 * formatted LaTeX output knows again (cvb_latex_logo()) */
			while (q < e && *q == ' ')
				q++;
			if (q + 1 < e && q[0] == '{' && q[1] == '}')
				q += 2;
			/* (inside a protected group the group protects it: no
			 * span in a span, which BibTeX could not say) */
			if (!(c->flags & CVB_LTX_PLAIN) && c->nocase == 0)
				cvb_buf_adds(c->out, cvb_rich_open_text(CVB_R_NOCASE));
			cvb_buf_add(c->out, name, n);
			if (!(c->flags & CVB_LTX_PLAIN) && c->nocase == 0)
				cvb_buf_adds(c->out, cvb_rich_close_text(CVB_R_NOCASE));
			return q;
		default:
			break;
		}
		if (ce->act == A_CITE) {
			/* optional arguments are dropped: \cite[p.~5]{x} -> [x] */
			const char *t = q;

			while (t < e && (*t == ' ' || *t == '['))
				if (*t++ == '[')
					while (t < e && *t++ != ']')
						;
			if (t < e && *t == '{') {
				r = take_arg(t, e, &as, &ae);
				cvb_buf_addch(c->out, '[');
				for (; as < ae; as++) {
					cvb_buf_addch(c->out, *as);
					if (*as == ',' && as + 1 < ae && as[1] != ' ')
						cvb_buf_addch(c->out, ' ');
				}
				cvb_buf_addch(c->out, ']');
				return r;
			}
		}
		if (q >= e || (*q != '{' && *q != ' ')) {
			cvb_buf_add(c->out, p, (size_t)(q - p));
			return q;
		}
		r = take_arg(q, e, &as, &ae);
		if (ce->act == A_HREF) {
			/* the URL is dropped, the text shown */
			r = take_arg(r, e, &as, &ae);
			ce = cmd_lookup("mbox", 4);
		} else if (ce->act == A_DROP)
			return r;
		switch (ce->act) {
		case A_TAG:
			c->depth++;
			if (c->depth < 64)
				conv_wrapped(c, (enum cvb_rtag)ce->tag, as, ae, m);
			c->depth--;
			break;
		case A_PLAIN:
			c->depth++;
			if (c->depth < 64)
				conv_run(c, as, ae, m);
			c->depth--;
			break;
		case A_VERB:
			cvb_buf_add(c->out, as, (size_t)(ae - as));
			break;
		case A_QUOTE:
			cvb_buf_adds(c->out, "\xe2\x80\x9c");
			c->depth++;
			if (c->depth < 64)
				conv_run(c, as, ae, m);
			c->depth--;
			cvb_buf_adds(c->out, "\xe2\x80\x9d");
			break;
		case A_MATH:
			put_dollar_math(c, as, ae);
			break;
		case A_NOCASE:
			c->depth++;
			if (c->depth < 64)
				conv_wrapped(c, CVB_R_NOCASE, as, ae, M_INNER);
			c->depth--;
			break;
		}
		return r;
	}
	/* unknown: keep the command and its braced arguments as literal text */
	{
		const char *r = q;

		while (r < e && r[0] == '{') {
			const char *g = cvb_latex_group_end(r, e);

			r = g < e ? g + 1 : e;
		}
		cvb_buf_add(c->out, p, (size_t)(r - p));
		return r;
	}
}

static void
conv_run(struct conv *c, const char *p, const char *e, enum mode m)
{
	struct cvb_buf *o = c->out;

	while (p < e) {
		unsigned char ch = (unsigned char)*p;
		const char *q;

		switch (ch) {
		case '\\': {
			bool decl = false;

			p = conv_command(c, p, e, m, e, &decl);
			if (decl)
				return;
			break;
		}
		case '{': {
			const char *g = cvb_latex_group_end(p, e);
			const char *in = p + 1;

			p = g < e ? g + 1 : e;
			if (g == in)
				break;		/* {} */
			c->depth++;
			if (c->depth >= 64) {
				c->depth--;
				break;
			}
			if (*in == '\\' && in + 1 < g && is_letter(in[1])) {
				/* {\cmd ...}: a BibTeX special character or a declaration */
				const char *r = in + 1;
				const struct cmdent *ce;

				while (r < g && is_letter(*r))
					r++;
				ce = cmd_lookup(in + 1, (size_t)(r - in - 1));
				if (ce != NULL && ce->act == A_DECL) {
					while (r < g && (*r == ' ' || *r == '\n'))
						r++;
					conv_wrapped(c, (enum cvb_rtag)ce->tag, r, g, m);
				} else
					conv_run(c, in, g, M_INNER);
			} else if (*in == '\\') {
				conv_run(c, in, g, M_INNER);	/* {\"u}, {\,} */
			} else if (m == M_TOP && (c->flags & CVB_LTX_PROTECT))
				conv_wrapped(c, CVB_R_NOCASE, in, g, M_INNER);
			else
				conv_run(c, in, g, M_INNER);
			c->depth--;
			break;
		}
		case '}':
			p++;	/* stray closer */
			break;
		case '$': {
			/* $...$ or $$...$$ */
			size_t dl = (p + 1 < e && p[1] == '$') ? 2 : 1;

			q = p + dl;
			while (q < e && !(q[0] == '$' && (q[-1] != '\\'))) {
				q++;
			}
			if (q < e) {
				q += dl;
				if (q > e)
					q = e;
				put_math(c, p, (size_t)(q - p));
				p = q;
			} else {
				cvb_buf_addch(o, '$');
				p++;
			}
			break;
		}
		case '~':
			cvb_buf_adds(o, "\xc2\xa0");
			p++;
			break;
		case '-':
			if (p + 2 < e && p[1] == '-' && p[2] == '-') {
				cvb_buf_adds(o, "\xe2\x80\x94");
				p += 3;
			} else if (p + 1 < e && p[1] == '-') {
				cvb_buf_adds(o, "\xe2\x80\x93");
				p += 2;
			} else {
				cvb_buf_addch(o, '-');
				p++;
			}
			break;
		case '`':
			if (p + 1 < e && p[1] == '`') {
				cvb_buf_adds(o, "\xe2\x80\x9c");
				p += 2;
			} else {
				cvb_buf_adds(o, "\xe2\x80\x98");
				p++;
			}
			break;
		case '\'':
			if (p + 1 < e && p[1] == '\'') {
				cvb_buf_adds(o, "\xe2\x80\x9d");
				p += 2;
			} else {
				cvb_buf_addch(o, '\'');
				p++;
			}
			break;
		case ' ': case '\t': case '\n': case '\r':
			put_space(c);
			p++;
			break;
		default:
			if (ch == ' ' && (o->len == 0 || o->buf[o->len - 1] == ' ')) {
				p++;	/* collapse spaces */
				break;
			}
			q = p + 1;
			while (q < e && !special[(unsigned char)*q] && !(*q == ' ' && q[-1] == ' '))
				q++;
			cvb_buf_add(o, p, (size_t)(q - p));
			p = q;
			break;
		}
	}
}

void
cvb_latex_to_rich(struct cvb_buf *out, const char *s, size_t n, unsigned flags)
{
	struct conv c = { out, flags, 0, 0 };
	const char *p = s, *e = s + n;
	size_t start = out->len;

	tables_init();
	/* fast path: nothing LaTeX-specific */
	while (p < e && *p == ' ' && out->len == start)
		s = ++p;
	for (; p < e; p++)
		if (special[(unsigned char)*p] || (*p == ' ' && p + 1 < e && p[1] == ' '))
			break;
	cvb_buf_add(out, s, (size_t)(p - s));
	if (p < e)
		conv_run(&c, p, e, M_TOP);
	/* trim spaces at the ends */
	while (out->len > start && out->buf[out->len - 1] == ' ')
		cvb_buf_setlen(out, out->len - 1);
}

/*
 * Is s (n bytes of a field's LaTeX) to be written back as it was?  Yes when
 * it uses a command of cmdtab whose meaning rich text cannot carry (\cite,
 * \mbox, \href, \noopsort, \LaTeX, ...), and every command in it, in
 * arguments too, is one cvbib knows to be harmless: cmdtab, the accents and
 * the symbols.  Anything else (\input, \write18, \csname, \def, an
 * unknown macro), '#', '%', TeX's ^^ notation, unbalanced braces or a link
 * that runs a program makes it no.
 */
static bool math_is_safe(const char *s, size_t n);

bool
cvb_latex_keep(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	bool want = false;
	int depth = 0;

	tables_init();
	if (memchr(s, '\\', n) == NULL)
		return false;
	for (; p < e; p++) {
		const char *q, *name;
		const struct cmdent *ce;

		switch (*p) {
		case '{': depth++; continue;
		case '}': if (--depth < 0) return false; continue;
		case '#': case '%': return false;
		case '^': if (p + 1 < e && p[1] == '^') return false; continue;
		case ':':
			/* hyperref's run: links start programs */
			if (p - s >= 3 && strncasecmp(p - 3, "run", 3) == 0)
				return false;
			continue;
		case '$': {
			/* math is kept as math (a nocase span) when it is safe: it
			 * does not stop the rest of the field from being kept */
			size_t dl = (p + 1 < e && p[1] == '$') ? 2 : 1;
			const char *m = p + dl;

			while (m < e && !(m[0] == '$' && m[-1] != '\\'))
				m++;
			if (m >= e || (dl == 2 && (m + 1 >= e || m[1] != '$')))
				return false;
			if (!math_is_safe(p, (size_t)(m + dl - p)))
				return false;
			p = m + dl - 1;
			continue;
		}
		case '\\': break;
		default: continue;
		}
		q = name = p + 1;
		if (q >= e)
			return false;
		if (!is_letter(*q)) {
			p = q;		/* a control symbol: \" \& \, \\ ... */
			continue;
		}
		while (q < e && is_letter(*q))
			q++;
		ce = cmd_lookup(name, (size_t)(q - name));
		if (ce != NULL) {
			if (ce->act != A_TAG && !(ce->act == A_DECL && ce->tag != CVB_R_NONE))
				want = true;
		} else if (!(q - name == 1 && mark_index(name, 1) >= 0) &&
		    symbol_lookup(name, (size_t)(q - name)) == NULL)
			return false;
		p = q - 1;
	}
	return want && depth == 0;
}

/*
 * Append LaTeX that cvb_latex_keep() accepted as it is, with non-ASCII
 * characters LaTeX-encoded under CVB_LTX_ASCII.
 */
void
cvb_latex_raw(struct cvb_buf *out, const char *s, unsigned flags)
{
	const char *p = s, *e = s + strlen(s);

	tables_init();
	while (p < e) {
		if ((unsigned char)*p < 0x80 || !(flags & CVB_LTX_ASCII))
			cvb_buf_addch(out, *p++);
		else
			p = put_char(out, p, e, flags);
	}
}

/* Is s (n bytes) its own conversion (no byte the converter acts on, no
 * double space, no space at either end)?  Lets callers skip a copy. */
bool
cvb_latex_is_plain(const char *s, size_t n)
{
	size_t i;

	tables_init();
	if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
		return false;
	for (i = 0; i < n; i++)
		if (special[(unsigned char)s[i]] || (s[i] == ' ' && s[i + 1] == ' '))
			return false;
	return true;
}

/* ------------------------------------------------------------ writing */

/* Commands that may never appear in math we write as math. */
static const char *const math_banned[] = {
	"input", "include", "write", "read", "openin", "openout", "immediate",
	"def", "edef", "gdef", "xdef", "let", "futurelet", "catcode", "csname",
	"endcsname", "expandafter", "newcommand", "renewcommand", "providecommand",
	"usepackage", "documentclass", "special", "shipout", "output", "every",
	"jobname", "newwrite", "newread", "closeout", "closein", "loop", "makeatletter",
	"makeatother", "lowercase", "uppercase", "string", "detokenize", "scantokens",
	"begin", "end", "directlua", "luaexec", "pdfprimitive", "primitive", "afterassignment",
	"aftergroup", "global", "long", "outer", "protected", "char", "chardef",
	"mathchardef", "countdef", "toks", "the", "showthe", "show", "message",
	"errmessage", "typeout", "typein", "endinput", "dump", "end", "batchmode",
	"nonstopmode", "scrollmode", "errorstopmode", "tracingall", "pdfobj",
	"pdfliteral", "pdffilesize", "pdffiledump", "verbatiminput", "lstinputlisting",
	"includegraphics", "href", "url", "hyperref", "tt", "edef", "noexpand",
	"unexpanded", "romannumeral", "number", "newif", "ifx", "ifdefined",
	"vskip", "hskip", "kern", "penalty", "par", "newline", "newpage", "clearpage",
};

static bool
math_is_safe(const char *s, size_t n)
{
	size_t i;
	int depth = 0;

	if (n < 2 || s[0] != '$' || s[n - 1] != '$')
		return false;
	/* the body: inside the dollars */
	{
		size_t a = (n >= 4 && s[1] == '$' && s[n - 2] == '$') ? 2 : 1;

		for (i = a; i < n - a; i++) {
			unsigned char ch = (unsigned char)s[i];

			if (ch == '$' || ch == '%' || ch == '#' || ch < 0x20 || ch == 0x7f)
				return false;
			if (ch == '^' && i + 1 < n && s[i + 1] == '^')
				return false;
			if (ch == '{')
				depth++;
			else if (ch == '}' && --depth < 0)
				return false;
			else if (ch == '\\') {
				size_t j = i + 1, k;

				if (j >= n - a)
					return false;
				if (!is_letter(s[j])) {
					/* \, \; \{ \} \| \! and the like */
					if (!strchr(",;:!{}| _&$%#", s[j]))
						return false;
					i = j;
					continue;
				}
				while (j < n - a && is_letter(s[j]))
					j++;
				for (k = 0; k < CVB_ARRAY_SIZE(math_banned); k++) {
					size_t bl = strlen(math_banned[k]);

					if (bl <= j - i - 1 &&
					    strncmp(s + i + 1, math_banned[k], bl) == 0 &&
					    (bl == j - i - 1 || strcmp(math_banned[k], "every") == 0 ||
					    strcmp(math_banned[k], "write") == 0))
						return false;
				}
				i = j - 1;
			}
		}
	}
	return depth == 0;
}

bool
cvb_latex_math_safe(const char *s, size_t n)
{
	return math_is_safe(s, n);
}

/* The LaTeX for an ASCII character that LaTeX would not print as itself
 * (\\ { } $ & % # _ ^ ~ < >), or NULL.  Every LaTeX writer uses it. */
const char *
cvb_latex_special(int c)
{
	switch (c) {
	case '\\': return "\\textbackslash{}";
	case '{': return "\\{";
	case '}': return "\\}";
	case '$': return "\\$";
	case '&': return "\\&";
	case '%': return "\\%";
	case '#': return "\\#";
	case '_': return "\\_";
	case '^': return "\\textasciicircum{}";
	case '~': return "\\textasciitilde{}";
	case '<': return "\\textless{}";
	case '>': return "\\textgreater{}";
	default: return NULL;
	}
}

/* put_char(): write literal braces as {\textbraceleft} {\textbraceright} */
#define LTX_BRACE_CMD	0x100

/* One character of text, escaped for LaTeX. */
static const char *
put_char(struct cvb_buf *o, const char *p, const char *e, unsigned flags)
{
	unsigned char ch = (unsigned char)*p;
	uint32_t cp, next = 0;
	int len, nlen = 0;
	const struct rev *r;

	if (ch < 0x80 && (flags & CVB_LTX_ASCII) && p + 2 < e &&
	    ((unsigned char)p[1] == 0xCC || (unsigned char)p[1] == 0xCD) && isalnum(ch)) {
		/* a letter and a combining accent: \={P} */
		int m;

		cvb_utf8_decode(p + 1, (size_t)(e - p - 1), &next);
		for (m = 0; cvb_bt_marks[m].cmd != NULL; m++)
			if (cvb_bt_marks[m].combining == next) {
				cvb_buf_addf(o, "{\\%s%s%c%s}", cvb_bt_marks[m].cmd,
				    isalpha((unsigned char)cvb_bt_marks[m].cmd[0]) ? "{" : "{", ch, "}");
				return p + 3;
			}
	}
	if (ch < 0x80) {
		switch (ch) {
		case '|': cvb_buf_adds(o, "\\textbar{}"); break;
		case '`': cvb_buf_adds(o, "\\textasciigrave{}"); break;
		case '-':
			cvb_buf_addch(o, '-');
			if (p + 1 < e && p[1] == '-')
				cvb_buf_adds(o, "{}");
			break;
		case '\'':
			cvb_buf_addch(o, '\'');
			if (p + 1 < e && p[1] == '\'')
				cvb_buf_adds(o, "{}");
			break;
		case '!': case '?':
			cvb_buf_addch(o, (char)ch);
			if (p + 1 < e && p[1] == '`')
				cvb_buf_adds(o, "{}");
			break;
		case '\n': case '\r': case '\t':
			cvb_buf_addch(o, ' ');
			break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				break;		/* control characters are dropped */
			if ((ch == '{' || ch == '}') && (flags & LTX_BRACE_CMD)) {
				/* BibTeX counts the brace of \{ and \}: when the
				 * literal braces are not balanced, a group keeps the
				 * value balanced (issue 20) */
				cvb_buf_adds(o, ch == '{' ? "{\\textbraceleft}" : "{\\textbraceright}");
				break;
			}
			if (cvb_latex_special(ch) != NULL)
				cvb_buf_adds(o, cvb_latex_special(ch));
			else
				cvb_buf_addch(o, (char)ch);
		}
		return p + 1;
	}
	len = cvb_utf8_decode(p, (size_t)(e - p), &cp);
	if (p + len < e)
		nlen = cvb_utf8_decode(p + len, (size_t)(e - p - len), &next);
	switch (cp) {
	case 0xA0: cvb_buf_addch(o, '~'); return p + len;
	case 0x2013: cvb_buf_adds(o, "--"); return p + len;
	case 0x2014: cvb_buf_adds(o, "---"); return p + len;
	case 0x201C: cvb_buf_adds(o, "``"); return p + len;
	case 0x201D: cvb_buf_adds(o, "''"); return p + len;
	case 0x2018: cvb_buf_adds(o, "`"); return p + len;
	case 0x2009: cvb_buf_adds(o, "{\\,}"); return p + len;
	case 0xFFFD:
		if (len == 1)
			return p + 1;	/* invalid byte: dropped */
		break;
	default:
		break;
	}
	if (!(flags & CVB_LTX_ASCII)) {
		if (cp == 0x2019 || cp == 0x2026 || cp >= 0x80)
			cvb_buf_add(o, p, (size_t)len);
		return p + len;
	}
	/* a letter followed by a combining mark: \"{x} */
	if (nlen > 0 && next >= 0x300 && next < 0x370) {
		int m;

		for (m = 0; cvb_bt_marks[m].cmd != NULL; m++)
			if (cvb_bt_marks[m].combining == next)
				break;
		if (cvb_bt_marks[m].cmd != NULL) {
			cvb_buf_addf(o, "{\\%s{", cvb_bt_marks[m].cmd);
			put_char(o, p, p + len, flags);
			cvb_buf_adds(o, "}}");
			return p + len + nlen;
		}
	}
	r = rev_lookup(cp);
	if (r == NULL) {
		cvb_buf_add(o, p, (size_t)len);	/* no LaTeX form: kept as UTF-8 */
		return p + len;
	}
	if (r->mark == NULL)
		cvb_buf_addf(o, "{\\%s}", r->text);
	else if (is_letter(r->mark[0]))
		cvb_buf_addf(o, "{\\%s{%s}}", r->mark,
		    strcmp(r->text, "i") == 0 ? "\\i" : strcmp(r->text, "j") == 0 ? "\\j" : r->text);
	else
		cvb_buf_addf(o, "{\\%s%s}", r->mark,
		    strcmp(r->text, "i") == 0 ? "\\i" : strcmp(r->text, "j") == 0 ? "\\j" : r->text);
	return p + len;
}

static void
put_text(struct cvb_buf *o, const char *s, size_t n, unsigned flags)
{
	const char *p = s, *e = s + n;

	while (p < e)
		p = put_char(o, p, e, flags);
}

void
cvb_latex_from_rich(struct cvb_buf *out, const char *rich, unsigned flags)
{
	struct cvb_rich r;
	int nocase_depth = 0;
	size_t marks[16];
	size_t open = 0;	/* braces opened for markup, not yet closed */

	tables_init();
	{
		/* literal braces that are not a balanced sequence: as commands */
		long depth = 0;
		const char *q;

		for (q = rich; *q != '\0' && depth >= 0; q++)
			depth += *q == '{' ? 1 : *q == '}' ? -1 : 0;
		if (depth != 0)
			flags |= LTX_BRACE_CMD;
	}
	cvb_rich_init(&r, rich);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		/* every brace written is closed, whatever the markup (an
		 * unclosed <i>, a stray </b>): the value stays balanced (issue 20) */
		if (r.tok == CVB_RT_OPEN && (r.tag == CVB_R_NOCASE || !(flags & CVB_LTX_NOMARKUP)))
			open++;
		if (r.tok == CVB_RT_CLOSE && (r.tag == CVB_R_NOCASE || !(flags & CVB_LTX_NOMARKUP))) {
			if (open == 0)
				continue;
			open--;
		}
		switch (r.tok) {
		case CVB_RT_TEXT:
			put_text(out, r.text, r.len, flags);
			break;
		case CVB_RT_OPEN:
			if (r.tag == CVB_R_NOCASE) {
				/* math: the whole span is $...$ */
				size_t n = cvb_rich_math(r.p);

				if (n > 0) {
					if (math_is_safe(r.p, n) && !(flags & CVB_LTX_NOMARKUP))
						cvb_buf_add(out, r.p, n);
					else {
						cvb_buf_addch(out, '{');
						put_text(out, r.p, n, flags);
						cvb_buf_addch(out, '}');
					}
					r.p += n;	/* the closer comes next */
					cvb_rich_next(&r);
					open--;
					break;
				}
				if (nocase_depth < (int)CVB_ARRAY_SIZE(marks))
					marks[nocase_depth] = out->len + 1;
				nocase_depth++;
				cvb_buf_addch(out, '{');
				break;
			}
			if (flags & CVB_LTX_NOMARKUP)
				break;
			switch (r.tag) {
			case CVB_R_I: cvb_buf_adds(out, "\\textit{"); break;
			case CVB_R_B: cvb_buf_adds(out, "\\textbf{"); break;
			case CVB_R_SC: cvb_buf_adds(out, "\\textsc{"); break;
			case CVB_R_SUP: cvb_buf_adds(out, "\\textsuperscript{"); break;
			case CVB_R_SUB: cvb_buf_adds(out, "\\textsubscript{"); break;
			default: cvb_buf_addch(out, '{'); break;
			}
			break;
		case CVB_RT_CLOSE:
			if (r.tag == CVB_R_NOCASE) {
				nocase_depth--;
				/*
				 * {\textbackslash...} would read back as a BibTeX
				 * special character, not a protected group: {{}\...}
				 */
				if (nocase_depth >= 0 && nocase_depth < (int)CVB_ARRAY_SIZE(marks) &&
				    marks[nocase_depth] < out->len && out->buf[marks[nocase_depth]] == '\\') {
					size_t m = marks[nocase_depth];

					cvb_buf_adds(out, "{}");
					if (!out->err) {
						memmove(out->buf + m + 2, out->buf + m, out->len - m - 2);
						memcpy(out->buf + m, "{}", 2);
					}
				}
				cvb_buf_addch(out, '}');
			} else if (!(flags & CVB_LTX_NOMARKUP))
				cvb_buf_addch(out, '}');
			break;
		default:
			break;
		}
	}
	while (open-- > 0)
		cvb_buf_addch(out, '}');
	(void)nocase_depth;
}

void
cvb_latex_verbatim(struct cvb_buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '{': cvb_buf_adds(out, "%7B"); break;
		case '}': cvb_buf_adds(out, "%7D"); break;
		case '\\': cvb_buf_adds(out, "%5C"); break;
		case '\n': case '\r': case '\t': cvb_buf_addch(out, ' '); break;
		default: cvb_buf_addch(out, *s); break;
		}
	}
}

void
cvb_latex_ascii_fold(struct cvb_buf *out, const char *s, bool lower)
{
	const char *p = s, *e = s + strlen(s);

	while (p < e) {
		unsigned char ch = (unsigned char)*p;
		uint32_t cp;
		const char *f;

		if (ch < 0x80) {
			if (isalnum(ch))
				cvb_buf_addch(out, lower ? (char)tolower(ch) : (char)ch);
			p++;
			continue;
		}
		p += cvb_utf8_decode(p, (size_t)(e - p), &cp);
		/* é -> e, ß -> ss, æ -> ae, ø -> o (text/unicode.c); others dropped */
		for (f = cvb_uc_fold_ascii(cp); f != NULL && *f != '\0'; f++)
			cvb_buf_addch(out, lower ? (char)tolower((unsigned char)*f) : *f);
	}
}
