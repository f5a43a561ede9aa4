/*
 * read_bibtex.c - the BibTeX and biblatex reader.
 *
 * The grammar is BibTeX's: an entry is @type{key, field = value, ...} or
 * with ( ); values are {braced} (nested braces), "quoted" (braces protect
 * quotes), bare numbers or macros, joined by '#'.  @string defines macros
 * (jan..dec are predefined).  @string, @preamble and @comment blocks, @xdata
 * entries and the free text between entries are kept in biblio->preamble,
 * each anchored to the entry that follows it, so that the writers put them
 * back where they were; @comment is not a block (BibTeX's rule: an @comment
 * whose braces hold another entry does not hide it).  Types and field names are read in
 * any case.  A UTF-8 byte-order mark and CRLF line ends are accepted; Latin-1,
 * Latin-9 and GBK input is detected (or named with --encoding) and converted
 * to UTF-8 with iconv.
 *
 * Errors (unbalanced braces, missing commas or '=', unterminated strings) are
 * reported with file:line:column and the entry is skipped: reading resumes at
 * the next line that starts with '@'.  Undefined macros, duplicate keys and
 * duplicate fields are warnings.
 *
 * Fields are mapped to the model by bibmap.c; names by bibnames.c; LaTeX by
 * latex.c.  Fields no mapping knows are kept as extra fields with their raw
 * value; for publisher and container titles the field name, and for fields
 * with harmless LaTeX rich text cannot carry (\cite, \mbox) the LaTeX, are
 * kept beside the model (struct cvb_bibsrc) for the writers.  crossref, xdata
 * and granular xdata inheritance follows biblatex's rules after each input,
 * over all inputs read so far (--no-inherit turns it off); cycles are
 * reported at once, missing targets by cvb_bibtex_done() after the last input.
 *
 * Everything lands in the bibliography's arena; the reader's own scratch
 * memory (macro table, buffers, line map) is freed before it returns.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bibread.h"

/*
 * Line and column of p.  Entries come in order, so the line count is carried
 * forward from the last position asked for (memchr over the gap); a position
 * before it is counted from the start.  Columns count UTF-8 characters.
 */
static void
pos(struct rd *r, const char *p, unsigned *line, unsigned *col)
{
	const char *q, *ls;
	unsigned c = 1;

	if (p < r->pos_at) {
		r->pos_at = r->s;
		r->pos_line = 1;
		r->pos_ls = r->s;
	}
	for (q = r->pos_at; (q = memchr(q, '\n', (size_t)(p - q))) != NULL; q++) {
		r->pos_line++;
		r->pos_ls = q + 1;
	}
	r->pos_at = p;
	for (ls = r->pos_ls; ls < p; ls++)
		if (((unsigned char)*ls & 0xC0) != 0x80 && *ls != '\r')
			c++;
	*line = r->pos_line;
	*col = c;
}

static void CVB_PRINTF(4, 5)
diag(struct rd *r, enum cvb_dcode c, const char *at, const char *fmt, ...)
{
	unsigned line = 0, col = 0;
	va_list ap;

	if (at != NULL)
		pos(r, at, &line, &col);
	va_start(ap, fmt);
	cvb_vdiag(r->d, c, r->file, line, col, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ macros */

static size_t
mhash(const char *s, size_t n)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 16777619u;
	return h;
}

static struct macro *
mac_find(struct rd *r, const char *name, size_t n)
{
	size_t i;

	if (r->capmac == 0)
		return NULL;
	for (i = mhash(name, n) & (r->capmac - 1); r->mac[i].name != NULL; i = (i + 1) & (r->capmac - 1))
		if (strlen(r->mac[i].name) == n && strncasecmp(r->mac[i].name, name, n) == 0)
			return &r->mac[i];
	return NULL;
}

static int
mac_set(struct rd *r, const char *name, size_t n, const char *val, size_t vlen, bool month)
{
	struct macro *m;
	size_t i, k;

	if ((r->nmac + 1) * 2 > r->capmac) {
		size_t nc = r->capmac ? r->capmac * 2 : 64;
		struct macro *nv = calloc(nc, sizeof(*nv));

		if (nv == NULL)
			return -CVBIB_ENOMEM;
		for (k = 0; k < r->capmac; k++)
			if (r->mac[k].name != NULL) {
				const char *kn = r->mac[k].name;

				for (i = mhash(kn, strlen(kn)) & (nc - 1); nv[i].name != NULL; i = (i + 1) & (nc - 1))
					;
				nv[i] = r->mac[k];
			}
		free(r->mac);
		r->mac = nv;
		r->capmac = nc;
	}
	m = mac_find(r, name, n);
	if (m == NULL) {
		char *lc = cvb_arena_strndup(&r->b->arena, name, n);

		if (lc == NULL)
			return -CVBIB_ENOMEM;
		for (k = 0; k < n; k++)
			lc[k] = (char)tolower((unsigned char)lc[k]);
		for (i = mhash(name, n) & (r->capmac - 1); r->mac[i].name != NULL; i = (i + 1) & (r->capmac - 1))
			;
		m = &r->mac[i];
		m->name = lc;
		r->nmac++;
	}
	m->value = cvb_arena_strndup(&r->b->arena, val, vlen);
	m->len = vlen;
	m->month = month;
	return m->value ? 0 : -CVBIB_ENOMEM;
}


/* ------------------------------------------------------------ lexing */

/* Character classes: one table lookup per byte in the hot loops. */
#define C_SPACE	0x01
#define C_ID	0x02	/* may appear in an identifier */
#define C_VAL	0x04	/* ends a run inside a value: { } " @ newline */
static unsigned char cls[256];

static void
cls_init(void)
{
	int c;

	if (cls['a'] != 0)
		return;
	for (c = 0; c < 256; c++) {
		unsigned char k = 0;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
			k |= C_SPACE;
		if (c >= 0x80 || (c > ' ' && c != 0x7f && strchr("\"#%'(),={}", c) == NULL))
			k |= C_ID;
		if (c == '{' || c == '}' || c == '"' || c == '@' || c == '\n')
			k |= C_VAL;
		cls[c] = k;
	}
}

static inline bool
is_space(int c)
{
	return cls[(unsigned char)c] & C_SPACE;
}

static void
skip_ws(struct rd *r)
{
	while (r->p < r->e && is_space(*r->p))
		r->p++;
}

/* Between fields: white space and '%' comments to the end of the line (biber's rule). */
static void
skip_ws_comments(struct rd *r)
{
	for (;;) {
		skip_ws(r);
		if (r->p >= r->e || *r->p != '%')
			return;
		while (r->p < r->e && *r->p != '\n')
			r->p++;
	}
}

/* Is the '@' at p commented out by a '%' earlier on its line? */
static bool
commented_out(const struct rd *r, const char *p)
{
	while (p > r->s && p[-1] != '\n') {
		p--;
		if (*p == '%')
			return true;
	}
	return false;
}

/* BibTeX identifier characters: anything printable but "#%'(),={} and space. */
static inline bool
is_idchar(int c)
{
	return cls[(unsigned char)c] & C_ID;
}

static size_t
read_ident(struct rd *r)
{
	const char *s = r->p;

	while (r->p < r->e && is_idchar(*r->p))
		r->p++;
	return (size_t)(r->p - s);
}

/* Does a line that starts an entry ("@type{" / "@type(") begin at p ('@')? */
static bool
entry_start(const char *p, const char *e)
{
	const char *q = p + 1;

	if (q >= e || !isalpha((unsigned char)*q))
		return false;
	while (q < e && (isalnum((unsigned char)*q) || *q == '_' || *q == '-'))
		q++;
	while (q < e && (*q == ' ' || *q == '\t'))
		q++;
	return q < e && (*q == '{' || *q == '(');
}

/* Is p ('@') the first non-blank character of its line? */
static bool
at_line_start(const struct rd *r, const char *p)
{
	while (p > r->s && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	return p == r->s || p[-1] == '\n' || p[-1] == '\r';
}

/* After an error: the next '@' that starts a line, or the end. */
static void
resync(struct rd *r)
{
	const char *p = r->p;

	while (p < r->e) {
		p = memchr(p, '@', (size_t)(r->e - p));
		if (p == NULL) {
			p = r->e;
			break;
		}
		if (at_line_start(r, p))
			break;
		p++;
	}
	r->p = p;
}

/* Append s..e to the value with white space collapsed. */
static void
val_add(struct rd *r, const char *s, const char *e)
{
	struct cvb_buf *v = &r->val;
	const char *q;

	while (s < e) {
		/* a run up to white space that needs collapsing (single spaces stay) */
		for (q = s; q < e; q++) {
			while (q < e && !is_space(*q))
				q++;
			if (q == e || *q != ' ' || q + 1 == e || is_space(q[1]) || q == s)
				break;
		}
		cvb_buf_add(v, s, (size_t)(q - s));
		if (q < e) {
			if (v->len == 0 || v->buf[v->len - 1] != ' ')
				cvb_buf_addch(v, ' ');
			while (q < e && is_space(*q))
				q++;
		}
		s = q;
	}
}

/*
 * One part of a value at r->p: {braced}, "quoted", a number or a macro.
 * Appends to r->val.  Returns 0, or -1 after reporting an error.
 */
static int
read_part(struct rd *r, const char *fname, char close)
{
	const char *s = r->p, *p;
	int depth;

	if (s >= r->e) {
		diag(r, CVB_D_BIB_EXPECT_VALUE, s, "at the end of the input");
		return -1;
	}
	if (*s == '{' || *s == '"') {
		char q = *s;

		depth = q == '{' ? 1 : 0;
		for (p = s + 1; p < r->e; p++) {
			char c;

			while (p < r->e && !(cls[(unsigned char)*p] & C_VAL))
				p++;
			if (p >= r->e)
				break;
			c = *p;

			if (c == '\n' && q == '{' && r->suspect == NULL) {
				/* a line inside the value that looks like "name = ": a
				 * sign that this '{' is never closed where it should be */
				const char *t = p + 1;

				while (t < r->e && (*t == ' ' || *t == '\t'))
					t++;
				if (t < r->e && isalpha((unsigned char)*t)) {
					while (t < r->e && (isalnum((unsigned char)*t) || *t == '_' || *t == '-'))
						t++;
					while (t < r->e && (*t == ' ' || *t == '\t'))
						t++;
					if (t < r->e && *t == '=') {
						r->suspect = s;
						snprintf(r->suspect_field, sizeof(r->suspect_field), "%s", fname);
					}
				}
			}
			if (c == '{')
				depth++;
			else if (c == '}') {
				if (--depth == 0 && q == '{')
					break;
				if (depth < 0) {
					diag(r, CVB_D_BIB_UNBALANCED, p,
					    "'}' without '{' in the value of '%s'", fname);
					r->p = p;
					return -1;
				}
			} else if (c == '"' && q == '"' && depth == 0)
				break;
			else if (c == '@' && (p[-1] == '\n' || at_line_start(r, p)) &&
			    entry_start(p, r->e)) {
				/* a new entry starts: this value never ended */
				if (q == '{')
					diag(r, CVB_D_BIB_UNBALANCED, s,
					    "the '{' of '%s' is not closed before the next entry", fname);
				else
					diag(r, CVB_D_BIB_UNTERMINATED, s,
					    "the '\"' of '%s' is not closed before the next entry", fname);
				r->p = p;
				return -1;
			}
		}
		if (p >= r->e) {
			if (q == '{')
				diag(r, CVB_D_BIB_UNBALANCED, s,
				    "the '{' of '%s' is not closed at the end of the input", fname);
			else
				diag(r, CVB_D_BIB_UNTERMINATED, s,
				    "the '\"' of '%s' is not closed at the end of the input", fname);
			r->p = p;
			return -1;
		}
		val_add(r, s + 1, p);
		r->p = p + 1;
		r->single_macro = -1;
		return 0;
	}
	if (isdigit((unsigned char)*s)) {
		for (p = s; p < r->e && isdigit((unsigned char)*p); p++)
			;
		val_add(r, s, p);
		r->p = p;
		r->single_macro = -1;
		return 0;
	}
	if (is_idchar(*s)) {
		struct macro *m;
		size_t n = read_ident(r);

		m = mac_find(r, s, n);
		if (m == NULL) {
			diag(r, CVB_D_BIB_UNDEF_MACRO, s, "'%.*s' in '%s'", (int)n, s, fname);
			val_add(r, s, s + n);
			r->single_macro = -1;
			return 0;
		}
		if (r->val.len + m->len > CVB_BIB_MAX_VALUE) {
			diag(r, CVB_D_BIB_LIMIT, s, "the value of '%s' would be longer than %u MiB "
			    "(the limit for one value)", fname, CVB_BIB_MAX_VALUE >> 20);
			return -1;
		}
		if (m->len > CVB_BIB_MAX_EXPANSION - r->expanded) {
			diag(r, CVB_D_BIB_LIMIT, s, "'%.*s' in '%s': @string macros would bring more than "
			    "%u MiB into this input (the limit)", (int)n, s, fname,
			    CVB_BIB_MAX_EXPANSION >> 20);
			return -1;
		}
		r->expanded += m->len;
		if (m->month && r->single_macro == 0)
			r->single_macro = cvb_bibtex_month(m->name, strlen(m->name));
		else
			r->single_macro = -1;
		cvb_buf_add(&r->val, m->value, m->len);
		return 0;
	}
	if (*s == close || *s == ',')
		diag(r, CVB_D_BIB_EXPECT_VALUE, s, "'%s' has no value", fname);
	else
		diag(r, CVB_D_BIB_EXPECT_VALUE, s, "'%c' cannot start the value of '%s'", *s, fname);
	return -1;
}

/* A value: parts joined by '#'.  The result is in r->val. */
static int
read_value(struct rd *r, const char *fname, char close, bool trim)
{
	cvb_buf_reset(&r->val);
	r->single_macro = 0;
	for (;;) {
		int nparts = 0;

		skip_ws(r);
		if (read_part(r, fname, close) != 0)
			return -1;
		nparts++;
		skip_ws(r);
		if (r->p < r->e && *r->p == '#') {
			r->p++;
			r->single_macro = -1;
			continue;
		}
		break;
	}
	/* trim the collapsed value (not a macro's: "ACM" # STOC keeps its space) */
	if (trim) {
		struct cvb_buf *v = &r->val;
		size_t a = 0;

		while (v->len > 0 && v->buf[v->len - 1] == ' ')
			cvb_buf_setlen(v, v->len - 1);
		while (a < v->len && v->buf[a] == ' ')
			a++;
		if (a > 0) {
			memmove(v->buf, v->buf + a, v->len - a);
			cvb_buf_setlen(v, v->len - a);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ fields */

const char *
cvb_brd_astr(struct rd *r, const char *s, size_t n)
{
	return cvb_arena_strndup(&r->b->arena, s, n);
}

static const char *
rich(struct rd *r, const char *s, size_t n, unsigned flags)
{
	cvb_buf_reset(&r->tmp);
	cvb_latex_to_rich(&r->tmp, s, n, flags);
	return cvb_brd_astr(r, r->tmp.buf, r->tmp.len);
}

/* A verbatim value: braces gone, \_ \% \& \# \$ \~ unescaped, \url{} unwrapped. */
static const char *
verbatim(struct rd *r, const char *s, size_t n)
{
	struct cvb_buf *t = &r->tmp;
	size_t i;

	if (n > 5 && strncmp(s, "\\url{", 5) == 0 && s[n - 1] == '}') {
		s += 5;
		n -= 6;
	}
	cvb_buf_reset(t);
	for (i = 0; i < n; i++) {
		if (s[i] == '{' || s[i] == '}')
			continue;
		if (s[i] == '\\' && i + 1 < n && strchr("_%&#$~", s[i + 1]))
			continue;
		cvb_buf_addch(t, s[i]);
	}
	return cvb_brd_astr(r, t->buf, t->len);
}

static void
add_extra(struct rd *r, const char *lname)
{
	cvb_item_add_field(r->b, r->it, lname, r->val.buf, CVB_FF_BIBTEX);
}

static bool
var_set(const struct cvb_item *it, struct cvb_varref v)
{
	switch (v.kind) {
	case CVB_VK_STR: case CVB_VK_NUM: return it->str[v.idx] != NULL;
	case CVB_VK_DATE: return it->date[v.idx] != NULL;
	case CVB_VK_NAME: return it->names[v.idx] != NULL;
	default: return true;
	}
}

static bool
article_like(enum cvb_type t)
{
	return t == CVB_T_ARTICLE_JOURNAL || t == CVB_T_ARTICLE_MAGAZINE ||
	    t == CVB_T_ARTICLE_NEWSPAPER || t == CVB_T_PERIODICAL || t == CVB_T_ARTICLE;
}

/* Parse a biblatex date (EDTF, with BCE and open ranges); NULL when not one. */
static struct cvb_date *
parse_date(struct rd *r, const char *s)
{
	struct cvb_date *d;

	if (*s == '\0')
		return NULL;
	d = cvb_date_parse_edtf(r->b, s);
	if (d != NULL) {
		d->raw = NULL;
		return d;
	}
	/* "2004/" and "/2004" (open ranges in biblatex's older syntax) */
	{
		size_t n = strlen(s);

		if (n > 1 && s[n - 1] == '/') {
			char *t = strndup(s, n - 1);

			if (t != NULL) {
				d = cvb_date_parse_edtf(r->b, t);
				free(t);
			}
			if (d != NULL) {
				d->range = true;
				d->open_end = true;
				return d;
			}
		}
	}
	return NULL;
}

/*
 * Remember the field a variable came from when the writer could not tell
 * (organization, school, howpublished ... all fill publisher; journal or
 * booktitle fill container-title), and its LaTeX when that holds harmless
 * commands rich text cannot carry (\cite, \mbox, ...: cvb_latex_keep()).
 */
static void
bibsrc_add(struct rd *r, int var, const char *value, const char *lname,
    const char *latex, size_t n)
{
	struct cvb_bibsrc *bs;
	bool keep = cvb_latex_keep(latex, n);

	if (!keep && var != CVB_V_PUBLISHER && var != CVB_V_CONTAINER_TITLE)
		return;
	bs = cvb_arena_alloc(&r->b->arena, sizeof(*bs));
	if (bs == NULL)
		return;
	bs->var = var;
	bs->value = value;
	bs->field = cvb_brd_astr(r, lname, strlen(lname));
	bs->latex = keep ? cvb_brd_astr(r, latex, n) : NULL;
	bs->next = r->it->bibsrc;
	r->it->bibsrc = bs;
}

void
cvb_brd_field(struct rd *r, const char *name, size_t nlen, const char *at)
{
	struct cvb_item *it = r->it;
	struct cvb_bfield f = cvb_bibtex_field(name, nlen);
	const char *v = r->val.buf;
	size_t vlen = r->val.len, i;
	char lname[64];

	if (nlen >= sizeof(lname))
		nlen = sizeof(lname) - 1;
	for (i = 0; i < nlen; i++)
		lname[i] = (char)tolower((unsigned char)name[i]);
	lname[nlen] = '\0';
	/* duplicates */
	for (i = 0; i < r->nseen; i++)
		if (r->seen[i].name[0] == lname[0] && strcmp(r->seen[i].name, lname) == 0) {
			diag(r, CVB_D_BIB_DUP_FIELD, at, "'%s' in '%s'", lname,
			    r->key ? r->key : "(no key)");
			return;
		}
	if (r->nseen == r->capseen) {
		size_t nc = r->capseen ? r->capseen * 2 : 32;
		struct dfield *nv = realloc(r->seen, nc * sizeof(*nv));

		if (nv == NULL) {
			cvb_nomem();
			return;
		}
		r->seen = nv;
		r->capseen = nc;
	}
	if (nlen < sizeof(r->seen[0].name)) {
		memcpy(r->seen[r->nseen].name, lname, nlen + 1);
		r->nseen++;
	}
	if (cvb_brd_gref_field(r, lname, f.kind))
		return;		/* "xdata=key-field": read once the target is known */
	if (vlen == 0 && f.kind != CVB_BFK_KEEP && f.kind != CVB_BFK_UNKNOWN) {
		add_extra(r, lname);	/* an empty field: kept as written */
		return;
	}
	switch (f.kind) {
	case CVB_BFK_STR:
	case CVB_BFK_CSLVAR:
	case CVB_BFK_PAGE:
	case CVB_BFK_VERB:
	case CVB_BFK_NUMBER: {
		struct cvb_varref var = f.var;
		const char *s;

		if (f.kind == CVB_BFK_NUMBER) {
			var.kind = CVB_VK_NUM;
			var.idx = article_like(it->type) ? CVB_V_ISSUE : CVB_V_NUMBER;
		}
		if (var_set(it, var)) {
			add_extra(r, lname);
			return;
		}
		if (f.kind == CVB_BFK_VERB)
			s = verbatim(r, v, vlen);
		else if (f.kind == CVB_BFK_PAGE) {
			char *t, *q;

			cvb_buf_reset(&r->tmp);
			cvb_latex_to_rich(&r->tmp, v, vlen, CVB_LTX_PLAIN);
			/* en and em dashes in page ranges become '-' */
			t = r->tmp.buf;
			for (q = t; *q; ) {
				if ((unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
				    ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94)) {
					*q = '-';
					memmove(q + 1, q + 3, strlen(q + 3) + 1);
				}
				q++;
			}
			s = cvb_brd_astr(r, t, strlen(t));
		} else
			s = rich(r, v, vlen, CVB_LTX_PROTECT);
		if (s != NULL && *s == '\0') {
			add_extra(r, lname);
			return;
		}
		it->str[var.idx] = s;
		if (f.kind == CVB_BFK_STR || f.kind == CVB_BFK_CSLVAR)
			bibsrc_add(r, var.idx, s, lname, v, vlen);
		return;
	}
	case CVB_BFK_NAME:
		if (var_set(it, f.var)) {
			add_extra(r, lname);
			return;
		}
		it->names[f.var.idx] = f.var.idx == CVB_NV_AUTHOR ?
		    cvb_bibtex_parse_authors(r->b, v, vlen) : cvb_bibtex_parse_names(r->b, v, vlen);
		if (it->names[f.var.idx] == NULL)
			add_extra(r, lname);
		return;
	case CVB_BFK_YEAR:
		if (r->year != NULL) {
			add_extra(r, lname);
			return;
		}
		r->year = cvb_brd_astr(r, v, vlen);
		r->yearoff = (size_t)(at - r->s);
		return;
	case CVB_BFK_MONTH:
		r->month = cvb_brd_astr(r, v, vlen);
		r->monthoff = (size_t)(at - r->s);
		r->month_macro = r->single_macro > 0 ? r->single_macro : 0;
		return;
	case CVB_BFK_DAY:
		r->day = cvb_brd_astr(r, v, vlen);
		return;
	case CVB_BFK_DATE: {
		struct cvb_date *d;
		const char *plain;

		if (var_set(it, f.var) || (f.var.idx == CVB_DV_ISSUED && r->has_date)) {
			add_extra(r, lname);
			return;
		}
		/* '~' is EDTF's "approximate" here, not a LaTeX tie */
		plain = (memchr(v, '\\', vlen) || memchr(v, '{', vlen)) ?
		    rich(r, v, vlen, CVB_LTX_PLAIN) : cvb_brd_astr(r, v, vlen);
		d = plain ? parse_date(r, plain) : NULL;
		if (d == NULL) {
			diag(r, CVB_D_BIB_BAD_DATE, at, "%s = '%s' in '%s'", lname, v,
			    r->key ? r->key : "(no key)");
			d = cvb_date_new(r->b);
			if (d == NULL)
				return;
			d->literal = plain;
		}
		it->date[f.var.idx] = d;
		if (f.var.idx == CVB_DV_ISSUED)
			r->has_date = true;
		return;
	}
	case CVB_BFK_NOTE: {
		const char *s = rich(r, v, vlen, CVB_LTX_PROTECT);

		if (s != NULL)
			cvb_item_add_note(r->b, it, (enum cvb_note_kind)f.note, s);
		return;
	}
	case CVB_BFK_FLAG:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0)
			it->flags |= CVB_IF_SELECTED;
		else if (strcasecmp(v, "false") != 0 && strcasecmp(v, "no") != 0 && strcmp(v, "0") != 0)
			add_extra(r, lname);
		return;
	case CVB_BFK_KEEP:
	case CVB_BFK_UNKNOWN:
	default:
		add_extra(r, lname);
		return;
	}
}

static bool
all_digits(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* year/month/day into issued, once the entry is complete. */
static void
finish_date(struct rd *r)
{
	struct cvb_item *it = r->it;
	struct cvb_date *d = NULL;
	const char *y;

	if (r->has_date) {
		if (r->year)
			cvb_item_add_field(r->b, it, "year", r->year, CVB_FF_BIBTEX);
		if (r->month)
			cvb_item_add_field(r->b, it, "month", r->month, CVB_FF_BIBTEX);
		if (r->day)
			cvb_item_add_field(r->b, it, "day", r->day, CVB_FF_BIBTEX);
		return;
	}
	if (r->year == NULL) {
		if (r->month)
			cvb_item_add_field(r->b, it, "month", r->month, CVB_FF_BIBTEX);
		if (r->day)
			cvb_item_add_field(r->b, it, "day", r->day, CVB_FF_BIBTEX);
		return;
	}
	y = (strchr(r->year, '\\') || strchr(r->year, '{')) ?
	    rich(r, r->year, strlen(r->year), CVB_LTX_PLAIN) : r->year;
	if (y == NULL)
		return;
	if (all_digits(y) && strchr(r->year, '\\') == NULL) {
		d = cvb_date_new(r->b);
		if (d == NULL)
			return;
		d->parts[0][0] = atoi(y);
		d->nparts[0] = 1;
	} else if (strchr(r->year, '\\') != NULL || (d = parse_date(r, y)) == NULL) {
		size_t n = strlen(y), k = n;

		d = cvb_date_new(r->b);
		if (d == NULL)
			return;
		while (k > 0 && isdigit((unsigned char)y[k - 1]))
			k--;
		if (strchr(r->year, '\\') != NULL && n - k != 4) {
			/* LaTeX for sorting around a year: kept as written too */
			d->literal = y;
			cvb_item_add_field(r->b, it, "year", r->year, CVB_FF_BIBTEX);
		} else if (strchr(r->year, '\\') != NULL) {
			/*
			 * "{\noopsort{1973b}}1973": the year is 1973; the field
			 * itself is kept as written for BibTeX's sorting.
			 */
			d->parts[0][0] = atoi(y + k);
			d->nparts[0] = 1;
			cvb_item_add_field(r->b, it, "year", r->year, CVB_FF_BIBTEX);
		} else
			d->literal = y;
	}
	if (r->month != NULL) {
		int m = r->month_macro ? r->month_macro
		    : cvb_bibtex_month(r->month, strlen(r->month));

		if (m > 0 && d->nparts[0] == 1 && !d->range && d->literal == NULL) {
			d->parts[0][1] = m;
			d->nparts[0] = 2;
		} else {
			cvb_item_add_field(r->b, it, "month", r->month, CVB_FF_BIBTEX);
			r->day = r->day ? r->day : NULL;
		}
	}
	if (r->day != NULL) {
		if (d->nparts[0] == 2 && all_digits(r->day) && atoi(r->day) >= 1 && atoi(r->day) <= 31) {
			d->parts[0][2] = atoi(r->day);
			d->nparts[0] = 3;
		} else
			cvb_item_add_field(r->b, it, "day", r->day, CVB_FF_BIBTEX);
	}
	it->date[CVB_DV_ISSUED] = d;
}

/* ------------------------------------------------------------ entries */

static struct cvb_field *
store_preamble(struct rd *r, const char *kind, const char *s, const char *e)
{
	struct cvb_field *f = cvb_arena_alloc(&r->b->arena, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->name = kind;
	f->value = cvb_brd_astr(r, s, (size_t)(e - s));
	f->flags = CVB_FF_BIBTEX;
	f->anchor = r->b->n;	/* before the entry that follows */
	*r->b->preamble_tail = f;
	r->b->preamble_tail = &f->next;
	r->last_blk = f;
	return f;
}

/*
 * Free text between blocks (s..e): '%' comment lines and whatever else
 * BibTeX ignores, kept as a "text" block so that a rewrite loses nothing.
 * Blank lines around it are dropped; a JabRef "% Encoding:" line is made
 * true of the UTF-8 that cvbib writes.
 */
static void
keep_text(struct rd *r, const char *s, const char *e)
{
	const char *q, *start = s, *end = e;
	struct cvb_field *f, *prev = r->last_blk;
	int nl = 0;

	if (s >= e)
		return;		/* after a bad line, the next '@' may be on it */
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (s == e) {
		/* a block on the line right above the next one stays there */
		for (q = start; q < end; q++)
			nl += *q == '\n';
		if (nl <= 1 && r->last_blk != NULL && r->last_blk->anchor == r->b->n &&
		    end < r->e)
			r->last_blk->flags |= CVB_FF_ADJACENT;
		return;
	}
	for (q = e; q < end; q++)
		nl += *q == '\n';
	/* the indentation of the first line stays when the line is all text */
	for (q = s; q > r->s && (q[-1] == ' ' || q[-1] == '\t'); q--)
		;
	if (q == r->s || q[-1] == '\n')
		s = q;
	if (r->converted) {
		const char *enc = NULL;

		for (q = s; q + 12 <= e; q++)
			if (strncasecmp(q, "% Encoding: ", 12) == 0 && (q == s || q[-1] == '\n')) {
				enc = q + 12;
				break;
			}
		if (enc != NULL) {
			const char *ee = enc;

			while (ee < e && !is_space(*ee))
				ee++;
			cvb_buf_reset(&r->tmp);
			cvb_buf_add(&r->tmp, s, (size_t)(enc - s));
			cvb_buf_adds(&r->tmp, "UTF-8");
			cvb_buf_add(&r->tmp, ee, (size_t)(e - ee));
			f = store_preamble(r, "text", r->tmp.buf, r->tmp.buf + r->tmp.len);
			goto done;
		}
	}
	f = store_preamble(r, "text", s, e);
done:
	/* a comment line right above an entry stays right above it */
	if (f != NULL && nl <= 1 && end < r->e)
		f->flags |= CVB_FF_ADJACENT;
	/* and one right below an entry stays right below it */
	nl = 0;
	for (q = start; q < s; q++)
		nl += *q == '\n';
	if (f != NULL && nl <= 1 && start > r->s && r->b->n > 0 &&
	    (prev == NULL || prev->anchor < r->b->n))
		f->flags |= CVB_FF_TIGHT;
}

/* @string{name = value, ...} */
static void
read_string(struct rd *r, char close, const char *open)
{
	for (;;) {
		const char *ns;
		size_t n;

		skip_ws(r);
		if (r->p < r->e && *r->p == close) {
			r->p++;
			return;
		}
		ns = r->p;
		n = read_ident(r);
		if (n == 0) {
			if (r->p >= r->e)
				diag(r, CVB_D_BIB_UNCLOSED, open, "@string at the end of the input");
			else
				diag(r, CVB_D_BIB_EXPECT_FIELD, r->p, "found '%c' in @string", *r->p);
			resync(r);
			return;
		}
		skip_ws(r);
		if (r->p >= r->e || *r->p != '=') {
			diag(r, CVB_D_BIB_EXPECT_EQUALS, r->p, "after '%.*s' in @string", (int)n, ns);
			resync(r);
			return;
		}
		r->p++;
		{
			char fname[64];

			memcpy(fname, ns, n < 60 ? n : 60);
			fname[n < 60 ? n : 60] = '\0';
			if (read_value(r, fname, close, false) != 0) {
				resync(r);
				return;
			}
		}
		mac_set(r, ns, n, r->val.buf, r->val.len, false);
		{
			/* each definition is kept as its own @string block */
			const char *e = r->p;

			while (e > ns && is_space(e[-1]))
				e--;
			store_preamble(r, "string", ns, e);
		}
		skip_ws(r);
		if (r->p < r->e && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->e && *r->p == close)
			continue;
		diag(r, CVB_D_BIB_EXPECT_COMMA, r->p, "after the value of '%.*s' in @string", (int)n, ns);
		resync(r);
		return;
	}
}

static void
read_preamble(struct rd *r, char close, const char *open)
{
	const char *start;

	skip_ws(r);
	start = r->p;
	if (read_value(r, "@preamble", close, true) != 0) {
		resync(r);
		return;
	}
	skip_ws(r);
	if (r->p >= r->e || *r->p != close) {
		diag(r, CVB_D_BIB_UNCLOSED, open, "@preamble");
		resync(r);
		return;
	}
	{
		const char *e = r->p;

		while (e > start && is_space(e[-1]))
			e--;
		store_preamble(r, "preamble", start, e);
	}
	r->p++;
}

/* Does the @comment at r->p have braces that hold no '@' (a block)? */
static bool
comment_is_block(struct rd *r)
{
	const char *p = r->p, *q;
	int depth = 0;
	char open, close;

	if (p >= r->e || (*p != '{' && *p != '('))
		return false;
	open = *p;
	close = open == '{' ? '}' : ')';
	for (q = p; q < r->e; q++) {
		if (*q == '@')
			return false;
		if (*q == open || (open == '(' && *q == '{'))
			depth++;
		else if (*q == close || (open == '(' && *q == '}')) {
			if (--depth == 0 && *q == close)
				return true;
		}
	}
	return false;
}

/* @comment: kept when its braces hold no entry; otherwise not a block. */
static void
read_comment(struct rd *r)
{
	const char *p = r->p, *q;
	int depth = 0;
	char open = *p, close = open == '{' ? '}' : ')';

	if (p >= r->e || (open != '{' && open != '('))
		return;		/* "@comment" followed by text: nothing to keep */
	for (q = p; q < r->e; q++) {
		if (*q == '@')
			return;		/* BibTeX reads what follows as entries */
		if (*q == open || (open == '(' && *q == '{'))
			depth++;
		else if (*q == close || (open == '(' && *q == '}')) {
			if (--depth == 0 && *q == close)
				break;
		}
	}
	if (q >= r->e)
		return;
	store_preamble(r, "comment", p + 1, q);
	r->p = q + 1;
}

/* options = {useprefix=false}: the entry's name prefixes are dropping particles. */
void
cvb_brd_useprefix_entry(struct cvb_item *it)
{
	const struct cvb_field *of;

	for (of = it->extra; of != NULL; of = of->next)
		if (strcmp(of->name, "options") == 0 && cvb_bibtex_useprefix_off(of->value))
			cvb_bibtex_useprefix(it);
}

static bool
key_char_ok(int c, char close)
{
	return !is_space(c) && c != ',' && c != close && c != '}' && c != '{' && c != '=';
}

static void
read_entry(struct rd *r, const char *at, const char *type, size_t tlen, char close,
    const char *open)
{
	unsigned line, col;
	struct cvb_item *it;
	const char *ks, *genre = NULL;
	char *bibtype;
	size_t kn;
	bool xdata = tlen == 5 && strncasecmp(type, "xdata", 5) == 0;

	pos(r, at, &line, &col);
	it = cvb_item_new(r->b, r->file, line, col);
	if (it == NULL)
		return;
	r->it = it;
	r->key = NULL;
	r->nseen = 0;
	r->year = r->month = r->day = NULL;
	r->month_macro = 0;
	r->has_date = false;
	r->suspect = NULL;
	r->in_xdata = xdata;
	bibtype = cvb_arena_strndup(&r->b->arena, type, tlen);
	it->bibtype = bibtype;
	it->type = bibtype ? cvb_bibtex_type_in(bibtype, &genre) : CVB_T_NONE;
	if (it->type == CVB_T_NONE)
		it->type_raw = bibtype;

	/* the key */
	skip_ws(r);
	ks = r->p;
	while (r->p < r->e && key_char_ok(*r->p, close))
		r->p++;
	kn = (size_t)(r->p - ks);
	skip_ws(r);
	if (r->p < r->e && *r->p == '=') {
		r->p = ks;	/* no key: the first field starts here */
		kn = 0;
	} else if (kn > 0) {
		r->key = cvb_brd_astr(r, ks, kn);
		if (r->p < r->e && *r->p == ',')
			r->p++;
		else if (r->p < r->e && *r->p != close) {
			diag(r, CVB_D_BIB_EXPECT_COMMA, r->p, "after the key '%s'", r->key);
			cvb_item_drop_last(r->b);
			resync(r);
			return;
		}
	} else if (r->p < r->e && *r->p == ',')
		r->p++;

	for (;;) {
		const char *fs, *fat;
		size_t fn;
		char fname[64];

		skip_ws_comments(r);
		while (r->p < r->e && *r->p == ',') {	/* stray commas */
			r->p++;
			skip_ws_comments(r);
		}
		if (r->p >= r->e) {
			diag(r, CVB_D_BIB_UNCLOSED, open, "'%s' is not closed at the end of the input; skipped",
			    r->key ? r->key : bibtype);
			cvb_item_drop_last(r->b);
			return;
		}
		if (*r->p == close) {
			r->p++;
			break;
		}
		if (*r->p == '@' && entry_start(r->p, r->e)) {
			if (r->suspect != NULL)
				diag(r, CVB_D_BIB_UNBALANCED, r->suspect,
				    "the '{' of '%s' in '%s' is closed too late", r->suspect_field,
				    r->key ? r->key : bibtype);
			else
				diag(r, CVB_D_BIB_UNCLOSED, open,
				    "'%s' is not closed before the next entry; skipped",
				    r->key ? r->key : bibtype);
			cvb_item_drop_last(r->b);
			return;
		}
		fat = fs = r->p;
		fn = read_ident(r);
		if (fn == 0) {
			diag(r, CVB_D_BIB_EXPECT_FIELD, r->p, "found '%c' in '%s'", *r->p,
			    r->key ? r->key : bibtype);
			goto bad;
		}
		memcpy(fname, fs, fn < 60 ? fn : 60);
		fname[fn < 60 ? fn : 60] = '\0';
		skip_ws(r);
		if (r->p >= r->e || *r->p != '=') {
			diag(r, CVB_D_BIB_EXPECT_EQUALS, r->p, "after the field name '%s' in '%s'",
			    fname, r->key ? r->key : bibtype);
			goto bad;
		}
		r->p++;
		if (read_value(r, fname, close, true) != 0)
			goto bad;
		cvb_brd_field(r, fs, fn, fat);
		skip_ws_comments(r);
		if (r->p < r->e && (*r->p == ',' || *r->p == close))
			continue;
		if (r->p < r->e && *r->p == '@' && entry_start(r->p, r->e))
			continue;	/* reported as not closed above */
		if (r->p >= r->e)
			continue;
		diag(r, CVB_D_BIB_EXPECT_COMMA, r->p, "after the value of '%s' in '%s'",
		    fname, r->key ? r->key : bibtype);
		goto bad;
	}
	if (r->key == NULL && r->nseen == 0) {
		diag(r, CVB_D_BIB_EMPTY_ENTRY, at, NULL);
		cvb_item_drop_last(r->b);
		return;
	}
	finish_date(r);
	cvb_bibtex_map_entry(r->b, it);
	cvb_brd_useprefix_entry(it);
	if (genre != NULL && it->str[CVB_V_GENRE] == NULL)
		it->str[CVB_V_GENRE] = genre;
	if (r->key == NULL) {
		r->key = cvb_bibtex_make_key(r->b, it, r->o->key_pattern, &r->keys);
		diag(r, CVB_D_BIB_NO_KEY, at, "'%s'", r->key ? r->key : "?");
	} else if (cvb_keyset_has(&r->keys, r->key)) {
		diag(r, CVB_D_BIB_DUP_KEY, at, "'%s'", r->key);
	} else
		cvb_keyset_add(&r->keys, r->key);
	it->key = it->id = r->key;
	if (r->b->src != NULL && r->s == r->b->src + r->src_skip && !xdata) {
		it->src_off = (size_t)(at - r->s) + r->src_skip;
		it->src_end = (size_t)(r->p - r->s) + r->src_skip;
		r->b->src_items++;
	}
	if (xdata) {
		/* kept as written for the writer; its fields serve inheritance only */
		cvb_item_drop_last(r->b);
		store_preamble(r, "entry", at, r->p);
		cvb_brd_xdata_keep(r, it);
	}
	return;
bad:
	cvb_item_drop_last(r->b);
	resync(r);
}

/* ------------------------------------------------------------ driver */

/* Has b any block other than free text (@string, @preamble, ...)? */
static bool
blocks_read(const cvbib_biblio *b)
{
	const struct cvb_field *f;

	for (f = b->preamble; f != NULL; f = f->next)
		if (strcmp(f->name, "text") != 0)
			return true;
	return false;
}

/* Keep the @string macros of this input (all defined so far) for the next. */
static void
save_macros(struct rd *r)
{
	struct cvb_bibstate *st;
	size_t i, n = 0;

	for (i = 0; i < r->capmac; i++)
		if (r->mac[i].name != NULL && !r->mac[i].month)
			n++;
	if (n == 0 || (st = cvb_brd_bstate(r->b)) == NULL)
		return;
	st->macs = cvb_arena_alloc(&r->b->arena, n * sizeof(*st->macs));
	st->nmacs = 0;
	if (st->macs == NULL)
		return;
	for (i = 0; i < r->capmac; i++)
		if (r->mac[i].name != NULL && !r->mac[i].month)
			st->macs[st->nmacs++] = r->mac[i];
}

/*
 * The input as UTF-8: in the encoding asked for (o->encoding), or guessed
 * when it is no valid UTF-8 (stray Latin-1 bytes in UTF-8 kept as UTF-8).
 * *datap and *lenp may change to *conv, which the caller frees.  0, or a
 * negative CVBIB_E* code.
 */
static int
to_utf8(struct rd *r, const char **datap, size_t *lenp, char **conv)
{
	const struct cvbib_options *o = r->o;
	struct cvbib_diags *d = r->d;
	const char *file = r->file, *data = *datap;
	size_t len = *lenp;
	const char *enc = NULL;

	if (o->encoding != NULL && *o->encoding != '\0') {
		enc = cvb_brd_enc_canon(o->encoding);
		if (enc == NULL) {
			cvb_diag(d, CVB_D_BIB_BAD_ENCODING, NULL, 0, 0,
			    "'%s' (known: utf-8, latin1, latin9, gbk, cp1252)", o->encoding);
			return -CVBIB_EUSAGE;
		}
		if (strcmp(enc, "UTF-8") == 0)
			enc = NULL;
	} else if (!cvb_utf8_valid(data, len)) {
		size_t nlatin = 0;

		enc = cvb_brd_enc_hint(data, len);
		if (enc == NULL && (*conv = cvb_input_mixed_utf8(data, len, &len, &nlatin)) != NULL) {
			/* UTF-8 with a few stray bytes: the UTF-8 is kept, only the
			 * stray bytes are read as Latin-1 (issue 20: one Latin-1
			 * byte made the whole file GBK mojibake) */
			cvb_diag(d, CVB_D_BIB_CONVERT, file, 0, 0, "%zu byte%s not valid in this "
			    "UTF-8 input read as Latin-1 (choose with --encoding)", nlatin,
			    nlatin == 1 ? "" : "s");
			*datap = *conv;
			r->converted = true;
		} else {
			if (enc == NULL || strcmp(enc, "UTF-8") == 0)
				enc = cvb_brd_enc_guess(data, len);
			cvb_diag(d, CVB_D_BIB_ENCODING, file, 0, 0, "%s (choose with --encoding)",
			    cvb_brd_enc_name(enc));
		}
	}
	if (enc != NULL) {
		size_t nbad;

		*conv = cvb_iconv_utf8(data, len, enc, true, &len, &nbad);
		r->converted = true;
		if (*conv == NULL) {
			cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
			return -CVBIB_ENOMEM;
		}
		if (nbad > 0)
			cvb_diag(d, CVB_D_BIB_CONVERT, file, 0, 0, "%zu as %s", nbad, cvb_brd_enc_name(enc));
		*datap = *conv;
	} else if (o->encoding != NULL && !cvb_utf8_valid(data, len)) {
		/* UTF-8 was asked for: invalid bytes become U+FFFD */
		struct cvb_buf fixed = CVB_BUF_INIT;
		size_t k = 0, nbad = 0;

		while (k < len) {
			uint32_t cp;
			int l = cvb_utf8_decode(data + k, len - k, &cp);

			if (cp == 0xFFFD && l == 1) {
				cvb_buf_adds(&fixed, "\xef\xbf\xbd");
				nbad++;
			} else
				cvb_buf_add(&fixed, data + k, (size_t)l);
			k += (size_t)l;
		}
		*conv = cvbib_buf_detach(&fixed, &len);
		if (*conv == NULL) {
			cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
			return -CVBIB_ENOMEM;
		}
		*datap = *conv;
		cvb_diag(d, CVB_D_BIB_INVALID_UTF8, file, 0, 0, "%zu bytes", nbad);
	}
	*lenp = len;
	return 0;
}

int
cvb_read_bibtex(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *o, struct cvbib_diags *d)
{
	struct rd r;
	char *conv = NULL;
	const char *gap;
	size_t i, xfirst;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.file = file;
	r.o = o;
	r.d = d;
	r.val = (struct cvb_buf)CVB_BUF_INIT;
	r.tmp = (struct cvb_buf)CVB_BUF_INIT;
	r.first = b->n;
	xfirst = b->bibstate ? b->bibstate->nxdata : 0;
	const char *orig = data;
	size_t origlen = len;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if ((rc = to_utf8(&r, &data, &len, &conv)) < 0)
		return rc;
	if (o->keep_unchanged) {
		/* the input as it is, for a rewrite that keeps what did not
		 * change: one input, read as it is (not converted) */
		if (b->src != NULL || b->src_bad || b->n > 0 || r.converted || origlen == 0) {
			b->src_bad = true;
		} else if ((b->src = cvb_arena_alloc(&b->arena, origlen)) != NULL) {
			memcpy((char *)b->src, orig, origlen);
			b->src_len = origlen;
			r.src_skip = (size_t)(data - orig);
			data = b->src + r.src_skip;
		}
	}
	r.s = r.p = data;
	r.e = data + len;
	r.pos_at = r.pos_ls = data;
	r.pos_line = 1;
	cls_init();
	for (i = 0; cvb_bt_months[i].macro != NULL; i++)
		mac_set(&r, cvb_bt_months[i].macro, 3, cvb_bt_months[i].name,
		    strlen(cvb_bt_months[i].name), true);
	if (b->bibstate != NULL)
		for (i = 0; i < b->bibstate->nmacs; i++)
			mac_set(&r, b->bibstate->macs[i].name, strlen(b->bibstate->macs[i].name),
			    b->bibstate->macs[i].value, b->bibstate->macs[i].len, false);
	for (i = 0; i < b->n; i++)
		if (b->items[i]->key != NULL)
			cvb_keyset_add(&r.keys, b->items[i]->key);

	gap = r.p;
	while (r.p < r.e) {
		const char *at = memchr(r.p, '@', (size_t)(r.e - r.p)), *ts, *open;
		size_t tlen;
		char close;

		if (at == NULL)
			break;
		r.p = at + 1;
		if (commented_out(&r, at))
			continue;
		skip_ws(&r);
		ts = r.p;
		tlen = read_ident(&r);
		if (tlen == 0)
			continue;	/* a lone '@' in free text */
		skip_ws(&r);
		if (tlen == 7 && strncasecmp(ts, "comment", 7) == 0) {
			const char *cs = r.p;

			if (comment_is_block(&r)) {
				keep_text(&r, gap, at);
				read_comment(&r);
				gap = r.p;
			} else
				r.p = cs;	/* not a block: free text */
			continue;
		}
		if (r.p >= r.e || (*r.p != '{' && *r.p != '(')) {
			if (at_line_start(&r, at)) {
				diag(&r, CVB_D_BIB_EXPECT_DELIM, r.p, "after '@%.*s'", (int)tlen, ts);
				/* the bad line is not kept as free text */
				keep_text(&r, gap, at);
				gap = memchr(r.p, '\n', (size_t)(r.e - r.p));
				gap = gap ? gap : r.e;
			}
			continue;
		}
		keep_text(&r, gap, at);
		open = r.p;
		close = *r.p == '{' ? '}' : ')';
		r.p++;
		if (tlen == 6 && strncasecmp(ts, "string", 6) == 0)
			read_string(&r, close, open);
		else if (tlen == 8 && strncasecmp(ts, "preamble", 8) == 0)
			read_preamble(&r, close, open);
		else
			read_entry(&r, at, ts, tlen, close, open);
		gap = r.p;
	}
	if (gap < r.e)
		keep_text(&r, gap, r.e);
	if (o->expand_crossref)
		cvb_brd_inheritance(&r, r.first, xfirst, false);
	if (b->arena.err)
		rc = -CVBIB_ENOMEM;
	if (b->n == r.first && d->nerrors == 0 && !blocks_read(b))
		cvb_diag(d, CVB_D_BIB_NO_ENTRIES, file, 0, 0, NULL);
	save_macros(&r);
	cvbib_buf_release(&r.val);
	cvbib_buf_release(&r.tmp);
	cvb_keyset_release(&r.keys);
	free(r.mac);
	free(r.seen);
	free(conv);
	return rc;
}
