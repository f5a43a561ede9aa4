/*
 * typst.c - Typst markup: text escaped so that it shows exactly what it says,
 * string literals, and LaTeX math ($...$ from BibTeX titles) as Typst math.
 *
 * Typst markup gives meaning to many characters (typst.app/docs/reference/
 * syntax): '#' starts code, '$' math, '*' and '_' strong and emphasis, '@'
 * references, '<' labels, '`' raw text, '\' escapes, '[' ']' content blocks,
 * '~' a non-breaking space, '"' smart quotes, comments (two slashes, or
 * slash-star), and at
 * the start of a line '=' headings, '-' '+' '/' and "1." lists.  "--", "---"
 * and "-?" are dash and soft-hyphen shorthands, "http://" starts a link.  A
 * backslash before any non-space character makes it literal, so that is the
 * one escape used.  The CSL engine (csl_render.c) and the CV layer call these.
 */
#include <ctype.h>
#include <string.h>
#include "cvb_int.h"

void
cvb_typst_escape(struct cvb_buf *o, const char *s, size_t n)
{
	size_t i, k;

	/* after a call's content block ("#emph[...]") a '(', '[' or '.' would
	 * continue the call: escaped, they end it */
	if (n > 0 && strchr("([.", s[0]) != NULL && o->len > 0 && o->buf[o->len - 1] == ']')
		cvb_buf_addch(o, '\\');
	/* the line-start markers ("- ", "+ ", "/ ", "= ", "12. ") are escaped
	 * wherever they are: the text may start a line or a content block */
	for (i = 0; i < n; i++) {
		char c = s[i], nx = i + 1 < n ? s[i + 1] : '\0';
		bool end = nx == '\0' || nx == ' ' || nx == '\n';

		switch (c) {
		case '\n': case '\r': case '\t':
			cvb_buf_addch(o, ' ');
			break;
		case '$':
			/* $...$: math, when we can say it in Typst */
			for (k = i + 1; k < n && s[k] != '$'; k++)
				if (s[k] == '\\' && k + 1 < n)
					k++;
			/* "$5 and $10" is no math: TeX math here never starts or
			 * ends with a space */
			if (k < n && k > i + 1 && s[i + 1] != ' ' && s[k - 1] != ' ' &&
			    cvb_typst_math(o, s + i + 1, k - i - 1)) {
				i = k;
				break;
			}
			cvb_buf_adds(o, "\\$");
			break;
		case '\\': case '#': case '*': case '_': case '@': case '<': case '>':
		case '`': case '[': case ']': case '~': case '"': case '=':
			cvb_buf_addch(o, '\\');
			cvb_buf_addch(o, c);
			break;
		case '/':
			if (end || nx == '/' || nx == '*')
				cvb_buf_addch(o, '\\');
			cvb_buf_addch(o, c);
			break;
		case '-':
			if (end || nx == '-' || nx == '?' || (i > 0 && s[i - 1] == '-'))
				cvb_buf_addch(o, '\\');
			cvb_buf_addch(o, c);
			break;
		case '+':
			if (end)
				cvb_buf_addch(o, '\\');
			cvb_buf_addch(o, c);
			break;
		case '.':
			if ((end && i > 0 && isdigit((unsigned char)s[i - 1])) ||
			    (i > 1 && s[i - 1] == '.' && s[i - 2] == '.'))
				cvb_buf_addch(o, '\\');	/* "12. " a list item, "..." one glyph */
			cvb_buf_addch(o, c);
			break;
		default:
			cvb_buf_addch(o, c);
			break;
		}
	}
}

void
cvb_typst_string(struct cvb_buf *o, const char *s)
{
	cvb_buf_addch(o, '"');
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '"': cvb_buf_adds(o, "\\\""); break;
		case '\\': cvb_buf_adds(o, "\\\\"); break;
		case '\n': cvb_buf_adds(o, "\\n"); break;
		case '\r': cvb_buf_adds(o, "\\r"); break;
		case '\t': cvb_buf_adds(o, "\\t"); break;
		default: cvb_buf_addch(o, *s); break;
		}
	cvb_buf_addch(o, '"');
}

/* ------------------------------------------------------------- math */

/* The commands and their Typst names: texmath.c's table (cvb_math_cmd()). */

struct mconv {
	const char	*p, *e;
	struct cvb_buf	*o;
	int		 depth;
};

static bool m_seq(struct mconv *m, char stop);

static void
m_sep(struct mconv *m)
{
	if (m->o->len > 0 && !strchr(" ($^_", m->o->buf[m->o->len - 1]))
		cvb_buf_addch(m->o, ' ');
}

/* One argument: {...} or one character/command. */
static bool
m_arg(struct mconv *m)
{
	while (m->p < m->e && *m->p == ' ')
		m->p++;
	if (m->p >= m->e)
		return false;
	if (*m->p == '{') {
		m->p++;
		if (!m_seq(m, '}') || m->p >= m->e)
			return false;
		m->p++;
		return true;
	}
	return m_seq(m, 1);
}

/* Text argument of \text{...}: a Typst string. */
static bool
m_text(struct mconv *m, const char *fn)
{
	const char *s;

	while (m->p < m->e && *m->p == ' ')
		m->p++;
	if (m->p >= m->e || *m->p != '{')
		return false;
	s = ++m->p;
	while (m->p < m->e && *m->p != '}') {
		if (strchr("{\\\"$", *m->p))
			return false;
		m->p++;
	}
	if (m->p >= m->e)
		return false;
	m_sep(m);
	cvb_buf_addf(m->o, "%s(\"%.*s\")", fn, (int)(m->p - s), s);
	m->p++;
	return true;
}

static bool
m_command(struct mconv *m)
{
	const char *s = ++m->p;
	const struct cvb_mathcmd *mc;
	size_t n;

	if (m->p >= m->e)
		return false;
	if (!isalpha((unsigned char)*m->p)) {
		char c = *m->p++;

		switch (c) {
		case ',': case ';': case ':': case '!': case ' ':
			return true;	/* spacing: Typst spaces math itself */
		case '{': case '}': case '%': case '_': case '&': case '#': case '$':
			m_sep(m);
			cvb_buf_addch(m->o, '\\');
			cvb_buf_addch(m->o, c);
			return true;
		default:
			return false;
		}
	}
	while (m->p < m->e && isalpha((unsigned char)*m->p))
		m->p++;
	n = (size_t)(m->p - s);
	if ((n == 4 && strncmp(s, "left", 4) == 0) || (n == 5 && strncmp(s, "right", 5) == 0)) {
		if (m->p < m->e && *m->p == '.')
			m->p++;
		return true;	/* the delimiter that follows is written as it is */
	}
	if ((mc = cvb_math_cmd(s, n)) != NULL) {
		if (mc->args == 3)
			return m_text(m, mc->typ);
		m_sep(m);
		cvb_buf_adds(m->o, mc->typ);
		if (mc->args == 0)
			return true;
		cvb_buf_addch(m->o, '(');
		if (!m_arg(m))
			return false;
		if (mc->args == 2) {
			cvb_buf_adds(m->o, ", ");
			if (!m_arg(m))
				return false;
		}
		cvb_buf_addch(m->o, ')');
		return true;
	}
	return false;
}

/* A sequence up to stop ('}' or '\0' for the end; 1 for one atom). */
static bool
m_seq(struct mconv *m, char stop)
{
	bool one = stop == 1;

	if (++m->depth > 20)
		return false;
	while (m->p < m->e && *m->p != stop) {
		char c = *m->p;

		if (c == ' ') {
			m->p++;
			continue;
		}
		if (c == '}' && stop != '}')
			return false;
		if (c == '\\') {
			if (!m_command(m))
				return false;
		} else if (c == '{') {
			m->p++;
			if (!m_seq(m, '}') || m->p >= m->e)
				return false;
			m->p++;
		} else if (c == '^' || c == '_') {
			m->p++;
			cvb_buf_addch(m->o, c);
			cvb_buf_addch(m->o, '(');
			if (!m_arg(m))
				return false;
			cvb_buf_addch(m->o, ')');
		} else if (isalpha((unsigned char)c)) {
			m_sep(m);
			cvb_buf_addch(m->o, c);	/* each letter a variable, as in LaTeX */
			m->p++;
		} else if (isdigit((unsigned char)c)) {
			m_sep(m);
			while (m->p < m->e && (isdigit((unsigned char)*m->p) ||
			    (*m->p == '.' && m->p + 1 < m->e && isdigit((unsigned char)m->p[1]))))
				cvb_buf_addch(m->o, *m->p++);
		} else if (c == '/') {
			m_sep(m);
			cvb_buf_adds(m->o, "slash");
			m->p++;
		} else if (c == '\'') {
			cvb_buf_addch(m->o, '\'');
			m->p++;
		} else if (strchr("+-=<>()[]|,.:!*", c) != NULL) {
			m_sep(m);
			if (c == '*')
				cvb_buf_adds(m->o, "ast");
			else if (c == '[' || c == ']' || c == '(' || c == ')' || c == ',')
				cvb_buf_addf(m->o, "\\%c", c);	/* literal, never a call or argument */
			else
				cvb_buf_addch(m->o, c);
			m->p++;
		} else if ((unsigned char)c >= 0x80) {
			m_sep(m);
			while (m->p < m->e && (unsigned char)*m->p >= 0x80)
				cvb_buf_addch(m->o, *m->p++);
		} else
			return false;	/* & % # " ~ ; and the like */
		if (one)
			break;
	}
	m->depth--;
	return true;
}

bool
cvb_typst_math(struct cvb_buf *o, const char *s, size_t n)
{
	struct cvb_buf t = CVB_BUF_INIT;
	struct mconv m = { s, s + n, &t, 0 };
	bool ok;

	cvb_buf_addch(&t, '$');
	ok = m_seq(&m, '\0') && m.p == m.e && t.len > 1 && !t.err;
	if (ok) {
		cvb_buf_addch(&t, '$');
		cvb_buf_add(o, t.buf, t.len);
	}
	cvbib_buf_release(&t);
	return ok;
}
