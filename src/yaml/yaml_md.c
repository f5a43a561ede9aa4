/*
 * yaml_md.c - pandoc's inline markdown <-> CSL rich text, for CSL-YAML.
 *
 * pandoc reads every string of a YAML metadata block, and so of a CSL-YAML
 * references list, as markdown: "*very*" is italics and "5 \* 3" a star.
 * cvb_md_from_rich() writes model strings that way, cvb_md_to_rich() reads
 * them back, and the two are exact inverses, so CSL-JSON -> CSL-YAML ->
 * CSL-JSON keeps every byte.
 *
 * Writing: <i> and <b> become *x* and **x**, <sup>/<sub> ^x^ and ~x~, LaTeX
 * math (a nocase span of $...$) pandoc's $...$ when it is safe, the
 * small-caps and nocase spans [x]{.smallcaps} and [x]{.nocase}, when their
 * content allows it (plain text, no space at the edges); otherwise the tag
 * stays as raw HTML, which the reader keeps.  In text, the characters pandoc
 * would take for markup are backslash-escaped, "--" and "..." included, as
 * pandoc's own writer does; like it, quotes are left alone.
 *
 * Reading also takes what people write by hand: _x_, __x__, ***x***,
 * [text](url) (the text), `code`, $math$ (kept with its dollars in a nocase
 * span, as the model keeps LaTeX math), HTML entities, and raw rich-text tags.
 * Allocates nothing beyond the output buffer.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"

#define MD_MAX_DEPTH	16

static bool
alnum(int c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* ---- rich -> markdown ----------------------------------------------------- */

static void
escape_text(struct cvb_buf *o, const char *s, size_t n, bool at_start, int prev)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		int next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		bool esc = false;

		switch (c) {
		case '\\': case '*': case '`': case '[': case ']': case '<': case '$':
		case '^': case '~':
			esc = true;
			break;
		case '_':	/* emphasis only at word boundaries */
			esc = !alnum(prev) || !alnum(next);
			break;
		case '@':	/* a citation only after a non-word character */
			esc = !alnum(prev);
			break;
		case '&':	/* an entity: &name; or &#...; */
			if (next == '#' || isalpha(next)) {
				size_t j = i + 1;

				while (j < n && j < i + 12 && (isalnum((unsigned char)s[j]) || s[j] == '#'))
					j++;
				esc = j < n && s[j] == ';';
			}
			break;
		case '-':	/* "--" is a dash to pandoc, as "-" at the start is a list */
			esc = next == '-' || (at_start && i == 0);
			break;
		case '#': case '+': case '>': case '|': case '%': case ':': case '=':
			esc = at_start && i == 0;	/* block syntax at the start */
			break;
		case '.':	/* "..." is an ellipsis */
			if (next == '.' && i + 2 < n && s[i + 2] == '.') {
				esc = true;
				break;
			}
			/* FALLTHROUGH */
		case ')':	/* "1. " starts an ordered list */
			if (at_start && i > 0 && (next == ' ' || next == 0)) {
				size_t j;

				for (j = 0; j < i && isdigit((unsigned char)s[j]); j++)
					;
				esc = j == i;
			}
			break;
		default:
			break;
		}
		if (esc)
			cvb_buf_addch(o, '\\');
		cvb_buf_addch(o, c);
		prev = (unsigned char)c;
	}
}

struct rtok {
	enum cvb_rtok	 tok;
	enum cvb_rtag	 tag;
	const char	*text;
	size_t		 len;
	const char	*raw;		/* the token as written */
	size_t		 rawlen;
	int		 match;		/* index of the matching open/close, or -1 */
};

/*
 * Can the tags at a and b be *x* or **x**?  The content starts and ends with
 * text that is not a space, and holds no tag of the same kind (pandoc would
 * pair the stars otherwise).
 */
static bool
emph_ok(const struct rtok *t, int a, int b)
{
	int k;

	if (b < a + 2 || t[a + 1].tok != CVB_RT_TEXT || t[b - 1].tok != CVB_RT_TEXT ||
	    t[a + 1].len == 0 || t[b - 1].len == 0 ||
	    isspace((unsigned char)t[a + 1].text[0]) ||
	    isspace((unsigned char)t[b - 1].text[t[b - 1].len - 1]))
		return false;
	for (k = a + 1; k < b; k++)
		if (t[k].tok != CVB_RT_TEXT && t[k].tag == t[a].tag)
			return false;
	return true;
}

static bool
plain_run(const struct rtok *t, int a, int b, bool nospace)
{
	/* tokens a+1 .. b-1 are one text run without spaces at its edges */
	if (b != a + 2 || t[a + 1].tok != CVB_RT_TEXT || t[a + 1].len == 0)
		return false;
	if (isspace((unsigned char)t[a + 1].text[0]) ||
	    isspace((unsigned char)t[a + 1].text[t[a + 1].len - 1]))
		return false;
	return !nospace || memchr(t[a + 1].text, ' ', t[a + 1].len) == NULL;
}

/*
 * Is the nocase span opened at t[a] LaTeX math that can be pandoc's $...$
 * (which the reader takes back as the same span)?  One text run, $...$ as
 * the model keeps math, safe to reach LaTeX (pandoc writes it there as it
 * is), no space inside the dollars, and no digit right after the closer.
 */
static bool
md_math(const struct rtok *t, size_t a, size_t n)
{
	const struct rtok *x = &t[a + 1];

	if (a + 2 >= n || t[a].match != (int)(a + 2) || x->tok != CVB_RT_TEXT ||
	    cvb_rich_math(x->text) != x->len || x->len < 3 || x->text[1] == '$' ||
	    isspace((unsigned char)x->text[1]) || isspace((unsigned char)x->text[x->len - 2]) ||
	    !cvb_latex_math_safe(x->text, x->len))
		return false;
	return !(a + 3 < n && t[a + 3].tok == CVB_RT_TEXT && t[a + 3].len > 0 &&
	    isdigit((unsigned char)t[a + 3].text[0]));
}

void
cvb_md_from_rich(struct cvb_buf *o, const char *s)
{
	struct rtok stackbuf[64], *t = stackbuf;
	struct cvb_rich r;
	size_t n = 0, cap = CVB_ARRAY_SIZE(stackbuf), i;
	int open[64], nopen = 0, prev = 0;
	const char *mark[CVB_R_NOCASE + 1][2] = {
		[CVB_R_I] = { "*", "*" }, [CVB_R_B] = { "**", "**" },
		[CVB_R_SUP] = { "^", "^" }, [CVB_R_SUB] = { "~", "~" },
		[CVB_R_SC] = { "[", "]{.smallcaps}" }, [CVB_R_NOCASE] = { "[", "]{.nocase}" },
	};
	bool *asmd = NULL, asmd_buf[64];

	/* tokenise, and pair the tags */
	cvb_rich_init(&r, s);
	for (;;) {
		const char *before = r.p;

		if (cvb_rich_next(&r) == CVB_RT_END)
			break;
		if (n == cap) {
			struct rtok *v = malloc(2 * cap * sizeof(*v));

			if (v == NULL) {
				o->err = CVBIB_ENOMEM;
				goto out;
			}
			memcpy(v, t, n * sizeof(*v));
			if (t != stackbuf)
				free(t);
			t = v;
			cap *= 2;
		}
		t[n].tok = r.tok;
		t[n].tag = r.tag;
		t[n].text = r.text;
		t[n].len = r.len;
		t[n].raw = before;
		t[n].rawlen = (size_t)(r.p - before);
		t[n].match = -1;
		if (r.tok == CVB_RT_OPEN && nopen < 64)
			open[nopen++] = (int)n;
		else if (r.tok == CVB_RT_CLOSE && nopen > 0 && t[open[nopen - 1]].tag == r.tag) {
			t[n].match = open[nopen - 1];
			t[open[--nopen]].match = (int)n;
		}
		n++;
	}
	asmd = n <= CVB_ARRAY_SIZE(asmd_buf) ? asmd_buf : malloc(n * sizeof(*asmd));
	if (asmd == NULL && n > 0) {
		o->err = CVBIB_ENOMEM;
		goto out;
	}
	/* which tags can be markdown */
	for (i = 0; i < n; i++) {
		int m = t[i].match;

		asmd[i] = false;
		if (t[i].tok == CVB_RT_OPEN && m > (int)i) {
			switch (t[i].tag) {
			case CVB_R_I: case CVB_R_B:
				asmd[i] = emph_ok(t, (int)i, m);
				break;
			case CVB_R_SUP: case CVB_R_SUB:
				asmd[i] = plain_run(t, (int)i, m, true);
				break;
			case CVB_R_SC: case CVB_R_NOCASE:
				/* only the canonical spelling, so that the bytes come back */
				asmd[i] = strlen(cvb_rich_open_text(t[i].tag)) == t[i].rawlen;
				break;
			default:
				break;
			}
		} else if (t[i].tok == CVB_RT_CLOSE && m >= 0)
			asmd[i] = asmd[m];
	}
	for (i = 0; i < n; i++) {
		switch (t[i].tok) {
		case CVB_RT_TEXT:
			escape_text(o, t[i].text, t[i].len, t[i].text == s, prev);
			if (t[i].len > 0)
				prev = (unsigned char)t[i].text[t[i].len - 1];
			break;
		case CVB_RT_OPEN:
			if (t[i].tag == CVB_R_NOCASE && asmd[i] && md_math(t, i, n)) {
				cvb_buf_add(o, t[i + 1].text, t[i + 1].len);
				prev = '$';
				i += 2;
				break;
			}
			/* two runs of stars side by side would read as one */
			if (asmd[i] && (t[i].tag == CVB_R_I || t[i].tag == CVB_R_B) &&
			    o->len > 0 && o->buf[o->len - 1] == '*')
				asmd[i] = asmd[t[i].match] = false;
			if (asmd[i] && t[i].tag <= CVB_R_NOCASE && mark[t[i].tag][0] != NULL)
				cvb_buf_adds(o, mark[t[i].tag][0]);
			else
				cvb_buf_add(o, t[i].raw, t[i].rawlen);
			prev = 0;
			break;
		case CVB_RT_CLOSE:
			if (asmd[i] && t[i].tag <= CVB_R_NOCASE && mark[t[i].tag][1] != NULL)
				cvb_buf_adds(o, mark[t[i].tag][1]);
			else
				cvb_buf_add(o, t[i].raw, t[i].rawlen);
			prev = 0;
			break;
		default:
			break;
		}
	}
out:
	if (t != stackbuf)
		free(t);
	if (asmd != asmd_buf)
		free(asmd);
}

/* ---- markdown -> rich ----------------------------------------------------- */

static bool
is_punct(int c)
{
	return c > 0x20 && c < 0x7F && !isalnum(c);
}

/* The next unescaped occurrence of the n-char delimiter d in s[i..e), or e. */
static size_t
find_delim(const char *s, size_t i, size_t e, const char *d, size_t dn)
{
	for (; i + dn <= e; i++) {
		if (s[i] == '\\' && i + 1 < e) {
			i++;
			continue;
		}
		if (memcmp(s + i, d, dn) == 0)
			return i;
	}
	return e;
}

/*
 * What one md_inline() call learnt while scanning, so that no input makes it
 * quadratic: a search for a closing delimiter that failed from position p
 * fails from any later position too (closers do not depend on their
 * openers), and brackets are paired in one pass.
 */
enum { M_STAR = 0, M_UNDER = 3, M_MATH = 6, M_TICK, M_BRACE, M_PAREN, M__COUNT };
struct mdscan {
	size_t	 fail[M__COUNT];	/* searches from here on find nothing */
	size_t	*match;			/* the ']' of each '[', or 0 */
	bool	 paired;
};

static void md_inline(struct cvb_buf *o, const char *s, size_t n, int depth);

/* find_delim(), remembering failures of kind. */
static size_t
find_memo(struct mdscan *m, int kind, const char *s, size_t i, size_t e, const char *d, size_t dn)
{
	size_t j;

	if (i >= m->fail[kind])
		return e;
	j = find_delim(s, i, e, d, dn);
	if (j >= e)
		m->fail[kind] = i;
	return j;
}

/* Is s[pos] escaped by an odd number of backslashes before it? */
static bool
escaped(const char *s, size_t pos)
{
	size_t k = 0;

	while (pos > k && s[pos - k - 1] == '\\')
		k++;
	return k % 2 == 1;
}

/* Try emphasis with delimiter run c x k at s[i]; returns chars used or 0. */
static size_t
try_emph(struct cvb_buf *o, struct mdscan *m, const char *s, size_t i, size_t n, int k, int depth)
{
	char d[4] = { s[i], s[i], s[i], 0 };
	size_t start = i + (size_t)k, j;
	bool under = s[i] == '_';
	int kind = (under ? M_UNDER : M_STAR) + k - 1;

	if (start >= n || isspace((unsigned char)s[start]) || s[start] == s[i])
		return 0;
	if (under && i > 0 && alnum(s[i - 1]))
		return 0;
	if (start >= m->fail[kind])
		return 0;
	for (j = start; ; j++) {
		j = find_delim(s, j, n, d, (size_t)k);
		if (j >= n) {
			m->fail[kind] = start;
			return 0;
		}
		/* a closer: not after a space, and not part of a longer run */
		if (!isspace((unsigned char)s[j - 1]) && (j + (size_t)k >= n || s[j + k] != s[i]) &&
		    (!under || j + (size_t)k >= n || !alnum(s[j + k])) &&
		    (s[j - 1] != s[i] || escaped(s, j - 1)))
			break;
	}
	if (k == 1 || k == 3)
		cvb_buf_adds(o, k == 3 ? "<b><i>" : "<i>");
	else
		cvb_buf_adds(o, "<b>");
	md_inline(o, s + start, j - start, depth + 1);
	cvb_buf_adds(o, k == 3 ? "</i></b>" : k == 2 ? "</b>" : "</i>");
	return j + (size_t)k - i;
}

/* ^x^ or ~x~: no unescaped space inside. */
static size_t
try_script(struct cvb_buf *o, const char *s, size_t i, size_t n, int depth)
{
	char d[2] = { s[i], 0 };
	size_t j = find_delim(s, i + 1, n, d, 1), k;

	if (j >= n || j == i + 1 || (s[i] == '~' && s[i + 1] == '~'))
		return 0;
	for (k = i + 1; k < j; k++) {
		if (s[k] == '\\') {
			k++;
			continue;
		}
		if (isspace((unsigned char)s[k]))
			return 0;
	}
	cvb_buf_adds(o, s[i] == '^' ? "<sup>" : "<sub>");
	md_inline(o, s + i + 1, j - i - 1, depth + 1);
	cvb_buf_adds(o, s[i] == '^' ? "</sup>" : "</sub>");
	return j + 1 - i;
}

/* [text]{.class}, [text](url) or [text]{attrs}; returns chars used or 0. */
static size_t
try_bracket(struct cvb_buf *o, struct mdscan *m, const char *s, size_t i, size_t n, int depth)
{
	size_t close, end;

	if (!m->paired) {
		/* pair every unescaped bracket once */
		size_t *stack, sp = 0, j;

		m->paired = true;
		m->match = calloc(n, sizeof(*m->match));
		stack = malloc(n * sizeof(*stack));
		if (m->match == NULL || stack == NULL) {
			free(stack);
			o->err = CVBIB_ENOMEM;
			return 0;
		}
		for (j = 0; j < n; j++) {
			if (s[j] == '\\') {
				j++;
				continue;
			}
			if (s[j] == '[')
				stack[sp++] = j;
			else if (s[j] == ']' && sp > 0)
				m->match[stack[--sp]] = j;
		}
		free(stack);
	}
	if (m->match == NULL || (close = m->match[i]) == 0 || close + 1 >= n)
		return 0;
	if (s[close + 1] == '{') {
		const char *cls = NULL;

		end = find_memo(m, M_BRACE, s, close + 2, n, "}", 1);
		if (end >= n)
			return 0;
		if (end - close - 2 == 10 && memcmp(s + close + 2, ".smallcaps", 10) == 0)
			cls = "<span style=\"font-variant:small-caps;\">";
		else if (end - close - 2 == 7 && memcmp(s + close + 2, ".nocase", 7) == 0)
			cls = "<span class=\"nocase\">";
		if (cls != NULL)
			cvb_buf_adds(o, cls);
		md_inline(o, s + i + 1, close - i - 1, depth + 1);
		if (cls != NULL)
			cvb_buf_adds(o, "</span>");
		return end + 1 - i;
	}
	if (s[close + 1] == '(') {
		end = find_memo(m, M_PAREN, s, close + 2, n, ")", 1);
		if (end >= n)
			return 0;
		md_inline(o, s + i + 1, close - i - 1, depth + 1);
		return end + 1 - i;
	}
	return 0;
}

/* $math$: an opening $ before a non-space, a closing $ after one and not before a digit. */
static size_t
try_math(struct cvb_buf *o, struct mdscan *m, const char *s, size_t i, size_t n)
{
	size_t j;

	if (i + 1 >= n || isspace((unsigned char)s[i + 1]) || s[i + 1] == '$' ||
	    i + 1 >= m->fail[M_MATH])
		return 0;
	for (j = i + 1; j < n; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '$' && !isspace((unsigned char)s[j - 1]) &&
		    (j + 1 >= n || !isdigit((unsigned char)s[j + 1])))
			break;
	}
	if (j >= n) {
		m->fail[M_MATH] = i + 1;
		return 0;
	}
	cvb_buf_adds(o, "<span class=\"nocase\">");
	cvb_buf_add(o, s + i, j + 1 - i);
	cvb_buf_adds(o, "</span>");
	return j + 1 - i;
}

static size_t
try_entity(struct cvb_buf *o, const char *s, size_t i, size_t n)
{
	static const struct { const char *name; const char *text; } ents[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
		{ "nbsp", "\xC2\xA0" },
	};
	size_t j = i + 1, k;

	while (j < n && j < i + 12 && (isalnum((unsigned char)s[j]) || s[j] == '#'))
		j++;
	if (j >= n || s[j] != ';' || j == i + 1)
		return 0;
	if (s[i + 1] == '#') {
		unsigned long cp = 0;
		bool hex = i + 2 < j && (s[i + 2] == 'x' || s[i + 2] == 'X');

		for (k = i + (hex ? 3 : 2); k < j; k++) {
			int c = (unsigned char)s[k], v;

			if (isdigit(c))
				v = c - '0';
			else if (hex && isxdigit(c))
				v = tolower(c) - 'a' + 10;
			else
				return 0;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			if (cp > 0x10FFFF)
				return 0;
		}
		if (k == i + (hex ? 3u : 2u) || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		cvb_buf_addcp(o, (uint32_t)cp);
		return j + 1 - i;
	}
	for (k = 0; k < CVB_ARRAY_SIZE(ents); k++)
		if (strlen(ents[k].name) == j - i - 1 && memcmp(s + i + 1, ents[k].name, j - i - 1) == 0) {
			cvb_buf_adds(o, ents[k].text);
			return j + 1 - i;
		}
	return 0;
}

static void
md_inline(struct cvb_buf *o, const char *s, size_t n, int depth)
{
	struct mdscan m;
	size_t i = 0, used, k;

	if (depth > MD_MAX_DEPTH) {
		cvb_buf_add(o, s, n);
		return;
	}
	for (k = 0; k < M__COUNT; k++)
		m.fail[k] = SIZE_MAX;
	m.match = NULL;
	m.paired = false;
	while (i < n) {
		char c = s[i];

		used = 0;
		switch (c) {
		case '\\':
			if (i + 1 < n && is_punct((unsigned char)s[i + 1])) {
				cvb_buf_addch(o, s[i + 1]);
				used = 2;
			}
			break;
		case '*':
		case '_': {
			int run = 1;

			while (i + (size_t)run < n && s[i + run] == c && run < 4)
				run++;
			if (run <= 3)
				used = try_emph(o, &m, s, i, n, run, depth);
			if (used == 0) {	/* a literal run */
				cvb_buf_add(o, s + i, (size_t)run);
				used = (size_t)run;
			}
			break;
		}
		case '^':
		case '~':
			used = try_script(o, s, i, n, depth);
			break;
		case '[':
			used = try_bracket(o, &m, s, i, n, depth);
			break;
		case '`': {
			size_t j = i + 1;

			if (j >= m.fail[M_TICK])
				break;
			while (j < n && s[j] != '`')
				j++;
			if (j >= n)
				m.fail[M_TICK] = i + 1;
			else if (j > i + 1) {
				cvb_buf_add(o, s + i + 1, j - i - 1);
				used = j + 1 - i;
			}
			break;
		}
		case '$':
			used = try_math(o, &m, s, i, n);
			break;
		case '&':
			used = try_entity(o, s, i, n);
			break;
		default:
			break;
		}
		if (used == 0) {
			cvb_buf_addch(o, c);
			used = 1;
		}
		i += used;
	}
	free(m.match);
}

void
cvb_md_to_rich(struct cvb_buf *o, const char *s, size_t n)
{
	md_inline(o, s, n, 0);
}
