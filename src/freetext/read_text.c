/*
 * read_text.c - free-text CVs (plain text, Markdown, HTML) into items.
 *
 * The document is first turned into lines with a little structure (heading
 * level, list marker, indentation, position in the source): Markdown and text
 * are read line by line, HTML through libxml2's HTML parser, whose blocks and
 * <br>s become lines.  Inline markup is cleaned on the way: Markdown emphasis
 * (kept as EMPH marks so that an emphasised title can be told apart),
 * escapes, links (the URL is kept), HTML tags and entities, mojibake (UTF-8
 * that was read as Windows-1252, repaired where the repair is unambiguous).
 *
 * Then the sections: a heading such as "Publications" or "Journal Articles"
 * opens a publication section and a heading such as "Teaching" closes it.
 * Inside, entries are list items (bulleted, numbered, [1]-style), or
 * paragraphs; wrapped lines are joined (with line-break hyphenation undone),
 * title/authors/venue on three lines are put back in reference order, and
 * numbered entries run together on one line are split apart.  Bullets nested
 * under an entry describe it and are skipped.  Each entry goes through
 * cvb_refparse() (refparse.c); one that cannot be parsed is kept as a raw
 * item with a warning.  The same title twice makes one item.
 *
 * This file owns nothing beyond one call: lines are malloc'd and freed here,
 * items live in the bibliography's arena.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "cvb_int.h"

#define EMPH_OPEN	'\x02'
#define EMPH_CLOSE	'\x03'

struct tline {
	char		*text;		/* cleaned UTF-8, may hold EMPH marks */
	unsigned	 lineno, col;	/* where the text starts in the source */
	int		 heading;	/* 1..6, 0: not a heading */
	int		 list;		/* 0 none, 1 bullet, 2 number, 3 [n] */
	long		 num;		/* the number of a numbered item */
	int		 indent;
	int		 blank;
	int		 brk;		/* HTML: a <br> inside the block came before */
};

struct lines {
	struct tline	*v;
	size_t		 n, alloc;
	int		 err;
};

static struct tline *
lines_add(struct lines *L)
{
	if (L->n == L->alloc) {
		size_t na = L->alloc ? L->alloc * 2 : 128;
		struct tline *v = realloc(L->v, na * sizeof(*v));

		if (v == NULL) {
			L->err = 1;
			return NULL;
		}
		L->v = v;
		L->alloc = na;
	}
	memset(&L->v[L->n], 0, sizeof(L->v[0]));
	return &L->v[L->n++];
}

static void
lines_free(struct lines *L)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		free(L->v[i].text);
	free(L->v);
}

/* ------------------------------------------------------------- cleaning */

/* cp1252 code points 0x80-0x9F, for mojibake repair */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
	0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The byte a code point stood for when UTF-8 was read as cp1252/Latin-1; -1 if none. */
static int
cp_to_byte(uint32_t c)
{
	int i;

	if (c >= 0xA0 && c <= 0xFF)
		return (int)c;
	if (c >= 0x80 && c <= 0x9F)
		return (int)c;	/* Latin-1 C1 controls */
	for (i = 0; i < 32; i++)
		if (cp1252[i] == c && c != 0)
			return 0x80 + i;
	return -1;
}

/*
 * Repair mojibake in s: a run like "Ã©" or "â€“" whose code points, taken
 * back as bytes, form one valid multi-byte UTF-8 character.  Only a lead byte
 * followed by exactly the right number of continuation bytes is repaired.
 */
static void
fix_mojibake(struct cvb_buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		int l = cvb_utf8_decode(s + i, n - i, &c), b0 = cp_to_byte(c);

		if (b0 >= 0xC2 && b0 <= 0xF4 && l == 2) {
			int need = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1, k;
			unsigned char bytes[4];
			size_t j = i + (size_t)l;
			uint32_t dec;

			bytes[0] = (unsigned char)b0;
			for (k = 1; k <= need && j < n; k++) {
				uint32_t c2;
				int l2 = cvb_utf8_decode(s + j, n - j, &c2), b = cp_to_byte(c2);

				if (b < 0x80 || b > 0xBF)
					break;
				bytes[k] = (unsigned char)b;
				j += (size_t)l2;
			}
			if (k == need + 1 && cvb_utf8_decode((const char *)bytes, (size_t)need + 1, &dec) ==
			    need + 1 && dec != 0xFFFD) {
				cvb_buf_add(out, bytes, (size_t)need + 1);
				i = j;
				continue;
			}
		}
		cvb_buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

static const struct { const char *name; const char *utf8; } entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	{ "nbsp", " " }, { "ndash", "\xE2\x80\x93" }, { "mdash", "\xE2\x80\x94" },
	{ "ldquo", "\xE2\x80\x9C" }, { "rdquo", "\xE2\x80\x9D" }, { "lsquo", "\xE2\x80\x98" },
	{ "rsquo", "\xE2\x80\x99" }, { "dagger", "\xE2\x80\xA0" }, { "Dagger", "\xE2\x80\xA1" },
	{ "hellip", "\xE2\x80\xA6" }, { "eacute", "\xC3\xA9" }, { "uuml", "\xC3\xBC" },
	{ "ouml", "\xC3\xB6" }, { "auml", "\xC3\xA4" }, { "ccedil", "\xC3\xA7" },
};

/* An HTML entity at s (after '&'): appends it and returns bytes used, or 0. */
static size_t
entity(struct cvb_buf *out, const char *s, size_t n)
{
	size_t i, k;

	if (n > 1 && s[0] == '#') {
		unsigned long v = 0;

		i = 1;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			for (i++; i < n && isxdigit((unsigned char)s[i]) && i < 10; i++)
				v = v * 16 + (unsigned long)(isdigit((unsigned char)s[i]) ? s[i] - '0' :
				    (tolower((unsigned char)s[i]) - 'a' + 10));
		} else
			for (; i < n && isdigit((unsigned char)s[i]) && i < 9; i++)
				v = v * 10 + (unsigned long)(s[i] - '0');
		if (i < n && s[i] == ';' && v > 0 && v < 0x110000 && !(v >= 0xD800 && v <= 0xDFFF)) {
			cvb_buf_addcp(out, (uint32_t)v);
			return i + 1;
		}
		return 0;
	}
	for (k = 0; k < CVB_ARRAY_SIZE(entities); k++) {
		size_t l = strlen(entities[k].name);

		if (l < n && memcmp(s, entities[k].name, l) == 0 && s[l] == ';') {
			cvb_buf_adds(out, entities[k].utf8);
			return l + 1;
		}
	}
	return 0;
}

static bool
is_punct_or_space(int c)
{
	return c == 0 || isspace(c) || (c < 0x80 && ispunct(c));
}

/* Markdown inline markup: emphasis, escapes, links, code, tags, entities. */
static void
clean_markdown(struct cvb_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	int open_em = 0;

	while (i < n) {
		char c = s[i];

		if (c == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
			cvb_buf_addch(out, s[i + 1]);
			i += 2;
			continue;
		}
		if (c == '!' && i + 1 < n && s[i + 1] == '[') {
			/* an image: drop it */
			const char *cb = memchr(s + i, ']', n - i);

			if (cb && (size_t)(cb - s) + 1 < n && cb[1] == '(') {
				const char *pe = memchr(cb, ')', n - (size_t)(cb - s));

				if (pe) {
					i = (size_t)(pe - s) + 1;
					continue;
				}
			}
		}
		if (c == '[') {
			/* [text](url): the text, then the URL */
			const char *cb = memchr(s + i, ']', n - i);

			if (cb && (size_t)(cb - s) + 1 < n && cb[1] == '(') {
				const char *pe = memchr(cb, ')', n - (size_t)(cb - s));

				if (pe) {
					size_t tl = (size_t)(cb - s) - i - 1;
					const char *u = cb + 2;
					size_t ul = (size_t)(pe - u);

					clean_markdown(out, s + i + 1, tl);
					if (ul > 4 && (strncmp(u, "http", 4) == 0 || strncmp(u, "doi", 3) == 0)) {
						cvb_buf_addch(out, ' ');
						cvb_buf_add(out, u, ul);
					}
					i = (size_t)(pe - s) + 1;
					continue;
				}
			}
		}
		if (c == '<') {
			/* <http://...> autolinks, and HTML tags dropped */
			const char *gt = memchr(s + i, '>', n - i < 200 ? n - i : 200);

			if (gt && (strncmp(s + i + 1, "http", 4) == 0)) {
				cvb_buf_add(out, s + i + 1, (size_t)(gt - s) - i - 1);
				i = (size_t)(gt - s) + 1;
				continue;
			}
			if (gt && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
				i = (size_t)(gt - s) + 1;
				continue;
			}
		}
		if (c == '&') {
			size_t l = entity(out, s + i + 1, n - i - 1);

			if (l) {
				i += l + 1;
				continue;
			}
		}
		if (c == '`') {
			i++;
			continue;
		}
		if (c == '*' || c == '_') {
			size_t run = 1;
			int prev = i > 0 ? (unsigned char)s[i - 1] : 0;
			int next;

			while (i + run < n && s[i + run] == c && run < 3)
				run++;
			next = i + run < n ? (unsigned char)s[i + run] : 0;
			if (!open_em && is_punct_or_space(prev) && next && !isspace(next) &&
			    !(c == '_' && isalnum(prev))) {
				/* an opener needs a closer later on the line */
				const char *q = s + i + run;
				size_t k;
				int found = 0;

				for (k = (size_t)(q - s); k + run <= n; k++)
					if (s[k] == c && !isspace((unsigned char)s[k - 1]) &&
					    (k + run >= n || is_punct_or_space((unsigned char)s[k + run]) ||
					    s[k + run] == c)) {
						found = 1;
						break;
					}
				if (found) {
					cvb_buf_addch(out, EMPH_OPEN);
					open_em = (int)run;
					i += run;
					continue;
				}
			} else if (open_em && !isspace(prev) && (int)run >= open_em &&
			    (!next || is_punct_or_space(next))) {
				cvb_buf_addch(out, EMPH_CLOSE);
				i += (size_t)open_em;
				open_em = 0;
				continue;
			}
		}
		cvb_buf_addch(out, c);
		i++;
	}
	if (open_em)
		cvb_buf_addch(out, EMPH_CLOSE);
}

/* ------------------------------------------------------------- line making */

/* The list marker at the start of s: sets kind and number; returns bytes used. */
static size_t
list_marker(const char *s, size_t n, int *kind, long *num)
{
	size_t i = 0, j;

	*kind = 0;
	*num = 0;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ') {
		*kind = 1;
		return 2;
	}
	if (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0xA2 || (unsigned char)s[i + 2] == 0xA3) && s[i + 3] == ' ') {
		*kind = 1;
		return 4;
	}
	if (i + 2 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xB7 && s[i + 2] == ' ') {
		*kind = 1;	/* · */
		return 3;
	}
	if (s[i] == '[') {
		for (j = i + 1; j < n && j < i + 6 && isalnum((unsigned char)s[j]); j++)
			;
		if (j < n && j > i + 1 && s[j] == ']') {
			*kind = 3;
			*num = strtol(s + i + 1, NULL, 10);
			j++;
			while (j < n && s[j] == ' ')
				j++;
			return j;
		}
		return 0;
	}
	if (s[i] == '(' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
		for (j = i + 1; j < n && isdigit((unsigned char)s[j]); j++)
			;
		if (j + 1 < n && s[j] == ')' && s[j + 1] == ' ' && j - i <= 4) {
			*kind = 2;
			*num = strtol(s + i + 1, NULL, 10);
			return j + 2;
		}
		return 0;
	}
	if (isdigit((unsigned char)s[i])) {
		for (j = i; j < n && isdigit((unsigned char)s[j]); j++)
			;
		if (j - i <= 3 && j + 1 < n && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ') {
			*kind = 2;
			*num = strtol(s + i, NULL, 10);
			return j + 2;
		}
		/* "J1." "C12." numbering of CV sections */
	}
	if (i + 2 < n && isupper((unsigned char)s[i]) && isdigit((unsigned char)s[i + 1])) {
		for (j = i + 1; j < n && isdigit((unsigned char)s[j]); j++)
			;
		if (j - i <= 4 && j + 1 < n && (s[j] == '.' || s[j] == ']') && s[j + 1] == ' ') {
			*kind = 2;
			*num = strtol(s + i + 1, NULL, 10);
			return j + 2;
		}
	}
	return 0;
}

/* A heading in plain text: a short line naming a section. */
static int section_kind(const char *s);

static void
add_text_line(struct lines *L, const char *s, size_t n, unsigned lineno, enum cvb_textkind kind,
    int *in_fence)
{
	struct tline *t;
	struct cvb_buf b = CVB_BUF_INIT, m = CVB_BUF_INIT;
	size_t i = 0, ml;
	int indent = 0, heading = 0, lk;
	long num;

	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t')) {
		indent += s[i] == '\t' ? 4 : 1;
		i++;
	}
	if (kind == CVB_TK_MARKDOWN && n - i >= 3 && (strncmp(s + i, "```", 3) == 0 ||
	    strncmp(s + i, "~~~", 3) == 0)) {
		*in_fence = !*in_fence;
		t = lines_add(L);
		if (t)
			t->blank = 1, t->lineno = lineno;
		return;
	}
	t = lines_add(L);
	if (t == NULL)
		return;
	t->lineno = lineno;
	t->indent = indent;
	if (i >= n || *in_fence) {
		t->blank = 1;
		return;
	}
	{
		/* a rule or an underline ("-----", "=====") is no text */
		size_t k;

		for (k = i; k < n && strchr("-=_*~#. ", s[k]); k++)
			;
		if (k == n && kind != CVB_TK_MARKDOWN) {
			t->blank = 1;
			return;
		}
	}
	if (kind == CVB_TK_MARKDOWN) {
		if (s[i] == '#') {
			while (i < n && s[i] == '#')
				heading++, i++;
			if (heading > 6 || (i < n && s[i] != ' ')) {
				i -= (size_t)heading;
				heading = 0;
			}
			while (i < n && s[i] == ' ')
				i++;
			while (n > i && (s[n - 1] == '#' || s[n - 1] == ' '))
				n--;
		} else if (s[i] == '>') {
			i++;
			while (i < n && s[i] == ' ')
				i++;
		}
		/* setext underline: the previous line becomes a heading */
		if (heading == 0 && L->n >= 2 && !L->v[L->n - 2].blank && L->v[L->n - 2].list == 0 &&
		    (s[i] == '=' || s[i] == '-') && n - i >= 3) {
			size_t k;

			for (k = i; k < n && s[k] == s[i]; k++)
				;
			if (k == n) {
				L->v[L->n - 2].heading = s[i] == '=' ? 1 : 2;
				t->blank = 1;
				return;
			}
		}
		if (heading == 0 && n - i >= 3 && (s[i] == '-' || s[i] == '*' || s[i] == '_')) {
			size_t k;

			for (k = i; k < n && (s[k] == s[i] || s[k] == ' '); k++)
				;
			if (k == n) {	/* a rule */
				t->blank = 1;
				return;
			}
		}
	}
	if (heading == 0) {
		ml = list_marker(s + i, n - i, &lk, &num);
		if (ml) {
			t->list = lk;
			t->num = num;
			i += ml;
			while (i < n && s[i] == ' ')
				i++;
		}
	}
	t->col = (unsigned)i + 1;
	{
		/* the column in characters */
		size_t k;
		unsigned col = 1;

		for (k = 0; k < i; k++)
			if (((unsigned char)s[k] & 0xC0) != 0x80)
				col++;
		t->col = col;
	}
	if (kind == CVB_TK_MARKDOWN)
		clean_markdown(&m, s + i, n - i);
	else
		cvb_buf_add(&m, s + i, n - i);
	fix_mojibake(&b, m.buf, m.len);
	cvbib_buf_release(&m);
	if (b.err) {
		L->err = 1;
		cvbib_buf_release(&b);
		return;
	}
	t->text = cvbib_buf_detach(&b, NULL);
	t->heading = heading;
	if (kind == CVB_TK_TEXT && heading == 0 && t->list == 0 && strlen(t->text) < 60 &&
	    section_kind(t->text) != 0)
		t->heading = 2;
}

/* ------------------------------------------------------------------ HTML */

struct hwalk {
	struct lines	*L;
	struct cvb_buf	 cur;
	unsigned	 line;
	int		 heading, list, depth, brk, pending_blank;
	long		 num;
};

static void
hflush(struct hwalk *h, int blank)
{
	struct cvb_buf b = CVB_BUF_INIT;
	struct tline *t;
	size_t i = 0, n = h->cur.len;
	const char *s = h->cur.buf;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > i) {
		t = lines_add(h->L);
		if (t != NULL) {
			size_t k;
			int sp = 0;

			/* collapse whitespace */
			for (k = i; k < n; k++) {
				if (isspace((unsigned char)s[k])) {
					sp = 1;
					continue;
				}
				if (sp)
					cvb_buf_addch(&b, ' ');
				sp = 0;
				cvb_buf_addch(&b, s[k]);
			}
			{
				struct cvb_buf f = CVB_BUF_INIT;

				fix_mojibake(&f, b.buf, b.len);
				cvbib_buf_release(&b);
				t->text = cvbib_buf_detach(&f, NULL);
			}
			t->lineno = h->line;
			t->col = 1;
			t->heading = h->heading;
			t->list = h->list;
			t->num = h->num;
			t->indent = h->depth * 2;
			t->brk = h->brk;
			h->list = 0;
			h->brk = 1;
		}
	}
	cvb_buf_reset(&h->cur);
	if (blank) {
		t = lines_add(h->L);
		if (t) {
			t->blank = 1;
			t->lineno = h->line;
		}
		h->brk = 0;
	}
}

static bool
name_is(const xmlNode *n, const char *name)
{
	return n->name != NULL && strcmp((const char *)n->name, name) == 0;
}

static bool
is_block(const xmlNode *n)
{
	static const char *const blocks[] = { "p", "div", "li", "ul", "ol", "h1", "h2", "h3",
		"h4", "h5", "h6", "tr", "table", "section", "article", "header", "footer",
		"dt", "dd", "dl", "blockquote", "pre", "main", "body", "td", "th", NULL };
	const char *const *b;

	for (b = blocks; *b; b++)
		if (name_is(n, *b))
			return true;
	return false;
}

static void
hwalk(struct hwalk *h, xmlNode *n, int depth)
{
	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (h->cur.len == 0 && n->line > 0)
				h->line = (unsigned)n->line;
			if (n->content)
				cvb_buf_adds(&h->cur, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(n, "script") || name_is(n, "style") || name_is(n, "head") ||
		    name_is(n, "nav") || name_is(n, "noscript") || name_is(n, "template"))
			continue;
		if (name_is(n, "br")) {
			hflush(h, 0);
			continue;
		}
		if (is_block(n)) {
			int hl = 0;

			hflush(h, 1);
			if (n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && n->name[2] == 0)
				hl = n->name[1] - '0';
			h->heading = hl;
			h->line = (unsigned)n->line;
			if (name_is(n, "li")) {
				xmlNode *p = n->parent;

				h->list = p && name_is(p, "ol") ? 2 : 1;
				h->num = 0;
				if (h->list == 2) {
					xmlNode *q;
					long k = 1;

					for (q = p->children; q && q != n; q = q->next)
						if (q->type == XML_ELEMENT_NODE && name_is(q, "li"))
							k++;
					h->num = k;
				}
				h->depth = depth;
			}
			hwalk(h, n->children, depth + (name_is(n, "ul") || name_is(n, "ol")));
			hflush(h, 1);
			h->heading = 0;
			continue;
		}
		if (name_is(n, "b") || name_is(n, "strong") || name_is(n, "i") || name_is(n, "em") ||
		    name_is(n, "cite")) {
			cvb_buf_addch(&h->cur, EMPH_OPEN);
			hwalk(h, n->children, depth);
			cvb_buf_addch(&h->cur, EMPH_CLOSE);
			continue;
		}
		if (name_is(n, "a")) {
			xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");

			hwalk(h, n->children, depth);
			if (href != NULL && (strncmp((const char *)href, "http", 4) == 0)) {
				cvb_buf_addch(&h->cur, ' ');
				cvb_buf_adds(&h->cur, (const char *)href);
				cvb_buf_addch(&h->cur, ' ');
			}
			xmlFree(href);
			continue;
		}
		hwalk(h, n->children, depth);
	}
}

static int
html_lines(struct lines *L, const char *data, size_t len, const char *file,
    struct cvbib_diags *d)
{
	htmlDocPtr doc;
	struct hwalk h;

	if (len > (size_t)0x7fffffff)
		len = 0x7fffffff;
	doc = htmlReadMemory(data, (int)len, file, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
	if (doc == NULL) {
		cvb_diag(d, CVB_D_TEXT_HTML, file, 1, 1, "the document is empty or not HTML");
		return -CVBIB_EINPUT;
	}
	memset(&h, 0, sizeof(h));
	h.L = L;
	h.cur = (struct cvb_buf)CVB_BUF_INIT;
	h.line = 1;
	hwalk(&h, xmlDocGetRootElement(doc), 0);
	hflush(&h, 1);
	cvbib_buf_release(&h.cur);
	xmlFreeDoc(doc);
	return 0;
}

/* -------------------------------------------------------------- sections */

/* +1: publications, -1: some other section, 0: neither. */
static int
section_kind(const char *s)
{
	static const char *const pubs[] = { "publication", "journal article", "journal paper",
		"conference paper", "conference proceeding", "conference publication",
		"workshop paper", "workshop", "preprint", "under review", "manuscript", "patent",
		"thesis", "theses", "dissertation", "book chapter", "chapters", "books",
		"technical report", "reports", "papers", "articles", "in preparation",
		"submitted", "refereed", "peer-reviewed", "peer reviewed", "bibliography",
		"selected work", "research output", "monograph", "proceedings", "journals",
		"conferences", "publikationen", "veröffentlichungen", "publicaciones", NULL };
	static const char *const other[] = { "experience", "employment", "education",
		"award", "honor", "honour", "talk", "presentation", "teaching", "service",
		"news", "skill", "project", "grant", "funding", "student", "mentoring",
		"referee", "contact", "interest", "about", "summary", "profile", "language",
		"course", "position", "activities", "membership", "review", "leadership",
		"software", "outreach", "media", "press", "invited", "seminar", "affiliation",
		"research statement", "volunteer", "certification", "reference", NULL };
	char low[128];
	size_t i, n = 0, words = 1;
	const char *const *k;

	for (i = 0; s[i] && n + 1 < sizeof(low); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == EMPH_OPEN || c == EMPH_CLOSE || c == ':' || c == '*')
			continue;
		if (c == ' ')
			words++;
		low[n++] = (char)tolower(c);
	}
	low[n] = '\0';
	if (words > 6 || s[i] != '\0')
		return 0;
	/* "Invited Talks" and "Reviewing" before "papers": other wins on ties */
	for (k = other; *k; k++)
		if (strstr(low, *k) != NULL && !(strcmp(*k, "review") == 0 && strstr(low, "under review")) &&
		    !(strcmp(*k, "press") == 0 && strstr(low, "in press")))
			return -1;
	for (k = pubs; *k; k++)
		if (strstr(low, *k) != NULL)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- legend */

/* "* equal contribution", "(†: corresponding author)" anywhere in the document. */
static void
find_legend(const struct lines *L, struct cvb_refctx *ctx, cvbib_biblio *b)
{
	static const char *const eq[] = { "equal contribution", "equally contribut", "contributed equally",
		"co-first", "joint first", "shared first", "equal first" };
	static const char *const co[] = { "corresponding author", "corresponding", "senior author",
		"co-senior", "last author" };
	size_t i, k;
	int ne = 0, nc = 0;

	for (i = 0; i < L->n; i++) {
		const char *s = L->v[i].text;
		char low[512];
		size_t n;

		if (s == NULL)
			continue;
		n = strlen(s);
		if (n >= sizeof(low) || n > 300)
			continue;
		for (k = 0; k <= n; k++)
			low[k] = (char)tolower((unsigned char)s[k]);
		/* each marker symbol followed (soon) by a meaning */
		for (k = 0; k < n; k++) {
			const char *m = NULL;
			size_t ml = 0, q, e;

			if (s[k] == '*' || s[k] == '#') {
				m = s + k;
				ml = 1;
				while (k + ml < n && s[k + ml] == s[k] && ml < 3)
					ml++;
			} else if (k + 2 < n && (unsigned char)s[k] == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
			    ((unsigned char)s[k + 2] == 0xA0 || (unsigned char)s[k + 2] == 0xA1)) {
				m = s + k;
				ml = 3;
			} else if (k + 1 < n && (unsigned char)s[k] == 0xC2 && (unsigned char)s[k + 1] == 0xA7) {
				m = s + k;
				ml = 2;
			}
			if (m == NULL)
				continue;
			/* the meaning within the next 40 bytes, before another marker */
			e = k + ml + 40 < n ? k + ml + 40 : n;
			for (q = 0; q < CVB_ARRAY_SIZE(eq); q++) {
				const char *f = strstr(low + k + ml, eq[q]);

				if (f && (size_t)(f - low) < e && ne < 4) {
					ctx->equal_markers[ne++] = cvb_arena_strndup(&b->arena, m, ml);
					if (b->equal_legend == NULL)
						b->equal_legend = cvb_arena_strdup(&b->arena, s);
					ctx->has_legend = 1;
					break;
				}
			}
			if (q == CVB_ARRAY_SIZE(eq))
				for (q = 0; q < CVB_ARRAY_SIZE(co); q++) {
					const char *f = strstr(low + k + ml, co[q]);

					if (f && (size_t)(f - low) < e && nc < 4) {
						ctx->corresp_markers[nc++] = cvb_arena_strndup(&b->arena, m, ml);
						ctx->has_legend = 1;
						break;
					}
				}
			k += ml - 1;
		}
	}
}

static bool
is_legend_line(const char *s)
{
	char low[256];
	size_t k, n = strlen(s);

	if (n >= sizeof(low))
		return false;
	for (k = 0; k <= n; k++)
		low[k] = (char)tolower((unsigned char)s[k]);
	return (strstr(low, "equal contribution") || strstr(low, "contributed equally") ||
	    strstr(low, "corresponding author") || strstr(low, "equally contributed") ||
	    strstr(low, "co-first")) && n < 160;
}

/* ---------------------------------------------------------------- entries */

#define MAXSEG 64
struct entry {
	struct cvb_buf	 text;		/* lines joined by '\n' */
	unsigned	 line, col;
	int		 list, indent, nlines;
	long		 num;
	/* where each line starts in the source: for entries split apart */
	unsigned	 seg_line[MAXSEG], seg_col[MAXSEG];
};

struct reader {
	cvbib_biblio	*b;
	const char	*file;
	struct cvbib_diags *d;
	struct cvb_refctx ctx;
	const char	*group;
	char		**titles;	/* normalised titles seen, for duplicates */
	size_t		 ntitles, atitles;
	int		 err;
};

/* Lower-case letters and digits of a title, for comparing. */
static char *
title_key(const char *s)
{
	struct cvb_buf b = CVB_BUF_INIT;

	for (; *s; s++)
		if (isalnum((unsigned char)*s))
			cvb_buf_addch(&b, tolower((unsigned char)*s));
		else if ((unsigned char)*s >= 0x80)
			cvb_buf_addch(&b, *s);
	return cvbib_buf_detach(&b, NULL);
}

static bool
seen_title(struct reader *R, const char *title)
{
	char *k;
	size_t i;

	if (title == NULL)
		return false;
	k = title_key(title);
	if (k == NULL || strlen(k) < 12) {
		free(k);
		return false;
	}
	for (i = 0; i < R->ntitles; i++)
		if (strcmp(R->titles[i], k) == 0) {
			free(k);
			return true;
		}
	if (R->ntitles == R->atitles) {
		size_t na = R->atitles ? R->atitles * 2 : 32;
		char **v = realloc(R->titles, na * sizeof(*v));

		if (v == NULL) {
			free(k);
			return false;
		}
		R->titles = v;
		R->atitles = na;
	}
	R->titles[R->ntitles++] = k;
	return false;
}

/* A sentence ended between s and e: ". " after a word of three letters or more. */
static bool
sentence_before(const char *s, const char *e)
{
	const char *p;

	for (p = s; p + 1 < e; p++)
		if (*p == '.' && p[1] == ' ' && p - s >= 3 && isalpha((unsigned char)p[-1]) &&
		    isalpha((unsigned char)p[-2]) && isalpha((unsigned char)p[-3]))
			return true;
	return false;
}

/*
 * Remove EMPH marks.  The first emphasised run of three words or more becomes
 * a quoted title when nothing that could be a title came before it ("A.
 * Morgan, *Exact Inference*. PhD thesis"); an emphasised journal or book after
 * a title stays plain.
 */
static void
resolve_emphasis(struct cvb_buf *out, const char *s)
{
	const char *p, *o = NULL;
	int quoted = 0, has_quote = strstr(s, "\"") || strstr(s, "\xE2\x80\x9C");

	for (p = s; *p; p++) {
		if (*p == EMPH_OPEN) {
			const char *c = strchr(p, EMPH_CLOSE), *q;
			int words = 1;

			if (c != NULL && !quoted && !has_quote && !sentence_before(s, p)) {
				for (q = p + 1; q < c; q++)
					if (*q == ' ')
						words++;
				/* not the venue after "In" */
				o = p;
				while (o > s && o[-1] == ' ')
					o--;
				q = c + 1;
				while (*q == ',' || *q == ' ')
					q++;
				/* an italic journal is followed by its volume */
				if (words >= 3 && !(o - s >= 2 && (strncmp(o - 2, "In", 2) == 0 ||
				    strncmp(o - 2, "in", 2) == 0)) && !isdigit((unsigned char)*q)) {
					cvb_buf_adds(out, "\xE2\x80\x9C");
					for (q = p + 1; q < c; q++)
						if (*q != EMPH_OPEN)
							cvb_buf_addch(out, *q);
					/* keep the title's own final '?' or '!' inside */
					cvb_buf_adds(out, "\xE2\x80\x9D");
					quoted = 1;
					p = c;
					continue;
				}
			}
			continue;
		}
		if (*p == EMPH_CLOSE)
			continue;
		cvb_buf_addch(out, *p);
	}
}

/* Join the lines of an entry: wrapped lines with a space, "exam-\nple" as one word. */
static void
join_lines(struct cvb_buf *out, const char *s, size_t n, const char *sep, size_t *starts,
    int maxstarts)
{
	size_t i;
	int ns = 1;

	if (starts != NULL)
		starts[0] = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '\n') {
			cvb_buf_addch(out, s[i]);
			continue;
		}
		if (starts != NULL && ns < maxstarts)
			starts[ns] = out->len + 1;
		ns++;
		if (sep != NULL) {
			cvb_buf_adds(out, sep);
			continue;
		}
		if (out->len > 1 && out->buf[out->len - 1] == '-' && isalpha((unsigned char)out->buf[out->len - 2]) &&
		    i + 1 < n && islower((unsigned char)s[i + 1])) {
			cvb_buf_setlen(out, out->len - 1);
			if (starts != NULL && ns - 1 < maxstarts)
				starts[ns - 1] = out->len;
		} else
			cvb_buf_addch(out, ' ');
	}
}

static void add_entry_text(struct reader *R, const char *s, size_t n, unsigned line, unsigned col);

/*
 * Three-line entries: "Title\nA. Author, B. Author\nVenue 2020".  When a line
 * after the first is a list of names and the first is not, put the names
 * first and quote the title.
 */
static bool
three_line(struct reader *R, struct entry *e)
{
	const char *s = e->text.buf, *lines[8];
	size_t lens[8], nl = 0, i, k;
	int who = -1;

	for (i = 0, k = 0; i <= e->text.len && nl < 8; i++)
		if (i == e->text.len || s[i] == '\n') {
			lines[nl] = s + k;
			lens[nl++] = i - k;
			k = i + 1;
		}
	if (nl < 2 || nl > 5)
		return false;
	for (i = 1; i < nl; i++) {
		size_t al = cvb_ref_author_len(lines[i], lens[i]);

		if (al > 0 && al + 2 >= lens[i]) {
			who = (int)i;
			break;
		}
	}
	if (who < 0)
		return false;
	{
		size_t a0 = cvb_ref_author_len(lines[0], lens[0]);

		if (a0 > 0 && a0 + 2 >= lens[0])
			return false;
	}
	{
		struct cvb_buf b = CVB_BUF_INIT;

		cvb_buf_add(&b, lines[who], lens[who]);
		cvb_buf_adds(&b, ". \xE2\x80\x9C");
		for (i = 0; i < (size_t)who; i++) {
			if (i)
				cvb_buf_adds(&b, ". ");
			cvb_buf_add(&b, lines[i], lens[i]);
		}
		cvb_buf_adds(&b, "\xE2\x80\x9D. ");
		for (i = (size_t)who + 1; i < nl; i++) {
			if (i > (size_t)who + 1)
				cvb_buf_adds(&b, ". ");
			cvb_buf_add(&b, lines[i], lens[i]);
		}
		add_entry_text(R, b.buf, b.len, e->line, e->col);
		cvbib_buf_release(&b);
	}
	return true;
}

/* Does "N. " (N = want) start a new run-together entry at s[i]? */
static size_t
runon_at(const char *s, size_t n, size_t i, long want, int kind)
{
	char num[24];
	int l;

	if (kind == 3)
		l = snprintf(num, sizeof(num), "[%ld]", want);
	else
		l = snprintf(num, sizeof(num), "%ld.", want);
	if (l <= 0 || i == 0 || s[i - 1] != ' ' || i + (size_t)l + 2 > n ||
	    memcmp(s + i, num, (size_t)l) != 0 || s[i + (size_t)l] != ' ')
		return 0;
	if (!isupper((unsigned char)s[i + (size_t)l + 1]) && (unsigned char)s[i + (size_t)l + 1] < 0xC0)
		return 0;
	return (size_t)l + 1;
}

static void
finish_entry(struct reader *R, struct entry *e)
{
	struct cvb_buf j = CVB_BUF_INIT;
	size_t i, start, starts[MAXSEG];
	long want;
	unsigned ln = e->line, cl = e->col;

	if (e->text.len == 0)
		return;
	if (e->list == 0 && e->nlines >= 2 && three_line(R, e)) {
		cvb_buf_reset(&e->text);
		return;
	}
	join_lines(&j, e->text.buf, e->text.len, NULL, starts, MAXSEG);
	/* numbered entries run together: "... 2024 5. C. Fu, H. Huang, ..." */
	start = 0;
	want = e->num + 1;
	if (e->list == 2 || e->list == 3) {
		for (i = 0; i < j.len; i++) {
			size_t ml = runon_at(j.buf, j.len, i, want, e->list);

			if (ml == 0)
				continue;
			add_entry_text(R, j.buf + start, i - start, ln, cl);
			start = i + ml;
			want++;
			/* the line and column where the next one starts */
			{
				int k, nl = e->nlines < MAXSEG ? e->nlines : MAXSEG;
				size_t q;

				for (k = nl - 1; k > 0 && starts[k] > i; k--)
					;
				ln = e->seg_line[k];
				cl = e->seg_col[k];
				for (q = starts[k]; q < i; q++)
					if (((unsigned char)j.buf[q] & 0xC0) != 0x80)
						cl++;
			}
		}
	}
	add_entry_text(R, j.buf + start, j.len - start, ln, cl);
	cvbib_buf_release(&j);
	cvb_buf_reset(&e->text);
}

/* An id from the first author's family name and the year: "smith2020", "smith2020b". */
static void
make_id(cvbib_biblio *b, struct cvb_item *it)
{
	char base[48];
	size_t n = 0, i;
	const struct cvb_name *nm = it->names[CVB_NV_AUTHOR];
	const char *f = nm ? (nm->family ? nm->family : nm->literal) : NULL;
	int year = cvb_item_year(it), suffix;

	if (f == NULL)
		f = it->str[CVB_V_TITLE] ? it->str[CVB_V_TITLE] : "ref";
	for (; *f && n < 20; f++)
		if (isalnum((unsigned char)*f))
			base[n++] = (char)tolower((unsigned char)*f);
	if (n == 0)
		base[n++] = 'r';
	if (year > 0)
		n += (size_t)snprintf(base + n, sizeof(base) - n, "%d", year);
	base[n] = '\0';
	for (suffix = 0; suffix < 26 * 26; suffix++) {
		char id[64];
		int clash = 0;

		if (suffix == 0)
			snprintf(id, sizeof(id), "%s", base);
		else if (suffix < 26)
			snprintf(id, sizeof(id), "%s%c", base, 'a' + suffix);
		else
			snprintf(id, sizeof(id), "%s-%d", base, suffix);
		for (i = 0; i < b->n; i++)
			if (b->items[i] != it && b->items[i]->id && strcmp(b->items[i]->id, id) == 0) {
				clash = 1;
				break;
			}
		if (!clash) {
			it->id = cvb_arena_strdup(&b->arena, id);
			return;
		}
	}
}

static void
add_entry_text(struct reader *R, const char *s, size_t n, unsigned line, unsigned col)
{
	struct cvb_buf t = CVB_BUF_INIT, c = CVB_BUF_INIT;
	struct cvb_item *it;
	int rc;
	size_t i;

	cvb_buf_add(&t, s, n);
	resolve_emphasis(&c, t.buf);
	cvbib_buf_release(&t);
	/* collapse whitespace */
	for (i = 0; i < c.len; i++)
		if (isspace((unsigned char)c.buf[i]))
			c.buf[i] = ' ';
	while (c.len > 0 && (c.buf[c.len - 1] == ' '))
		cvb_buf_setlen(&c, c.len - 1);
	for (i = 0; i < c.len && c.buf[i] == ' '; i++)
		;
	if (c.len - i < 12 || is_legend_line(c.buf + i)) {
		cvbib_buf_release(&c);
		return;
	}
	it = cvb_item_new(R->b, R->file, line, col);
	if (it == NULL) {
		R->err = 1;
		cvbib_buf_release(&c);
		return;
	}
	it->group = R->group;
	rc = cvb_refparse(R->b, it, c.buf + i, c.len - i, &R->ctx);
	if (rc < 0) {
		R->err = 1;
	} else if (rc == 0) {
		const char *raw = cvb_arena_strndup(&R->b->arena, c.buf + i, c.len - i);
		struct cvb_item fresh;

		/* keep it whole, as its raw text */
		memset(&fresh, 0, sizeof(fresh));
		fresh.extra_tail = &it->extra;
		fresh.notes_tail = &it->notes;
		fresh.loc = it->loc;
		fresh.seq = it->seq;
		fresh.group = it->group;
		*it = fresh;
		it->extra_tail = &it->extra;
		it->notes_tail = &it->notes;
		it->flags |= CVB_IF_RAW;
		it->str[CVB_V_TITLE] = raw;
		cvb_item_add_field(R->b, it, "raw", raw, 0);
		cvb_diag(R->d, CVB_D_TEXT_RAW_ENTRY, R->file, line, col, "%.60s%s", raw,
		    strlen(raw) > 60 ? "..." : "");
	} else if (seen_title(R, it->str[CVB_V_TITLE])) {
		cvb_diag(R->d, CVB_D_TEXT_DUPLICATE, R->file, line, col, "'%.60s'",
		    it->str[CVB_V_TITLE]);
		cvb_item_drop_last(R->b);
		it = NULL;
	}
	if (it != NULL)
		make_id(R->b, it);
	cvbib_buf_release(&c);
}

/* A short line naming an award or a presentation ("Best Paper Award", "Spotlight"). */
static bool
is_award_line(const char *s)
{
	static const char *const kw[] = { "award", "best paper", "best student paper", "spotlight",
		"oral presentation", "honorable mention", "outstanding paper", "distinguished paper", NULL };
	char low[128];
	size_t k, n = strlen(s);
	const char *const *p;

	if (n >= sizeof(low) || n > 80)
		return false;
	for (k = 0; k <= n; k++)
		low[k] = (char)tolower((unsigned char)s[k]);
	for (p = kw; *p; p++)
		if (strstr(low, *p) != NULL)
			return true;
	return false;
}

/* Is this line the start of another complete reference (for unmarked lists)? */
static bool
looks_new_ref(const struct tline *prev, const struct tline *t)
{
	size_t pl = strlen(prev->text), tl = strlen(t->text);
	char last = pl ? prev->text[pl - 1] : 0;

	if (pl < 40 || tl < 20)
		return false;
	if (!(last == '.' || last == ')' || isdigit((unsigned char)last)))
		return false;
	if (!isupper((unsigned char)t->text[0]) && (unsigned char)t->text[0] < 0xC0)
		return false;
	return cvb_ref_author_len(t->text, tl) > 0;
}

static int
read_lines(struct reader *R, struct lines *L)
{
	size_t i;
	int in_pubs = 0, pub_level = 0, any_heading = 0, any_pub = 0, skipping = 0;
	int saw_list = 0, after_blank = 1;
	struct entry e;

	memset(&e, 0, sizeof(e));
	e.text = (struct cvb_buf)CVB_BUF_INIT;
	for (i = 0; i < L->n; i++)
		if (L->v[i].heading) {
			any_heading = 1;
			if (section_kind(L->v[i].text) > 0)
				any_pub = 1;
		}
	if (!any_heading || !any_pub) {
		/* a bare list of references (no headings): read it all */
		in_pubs = !any_heading;
	}
	for (i = 0; i < L->n && !R->err; i++) {
		struct tline *t = &L->v[i];

		if (t->heading) {
			int k = section_kind(t->text);

			finish_entry(R, &e);
			skipping = 0;
			if (k > 0) {
				in_pubs = 1;
				pub_level = t->heading;
				R->group = cvb_arena_strdup(&R->b->arena, t->text);
				{
					/* no EMPH marks in the group */
					char *g = (char *)R->group, *p, *q;

					for (p = q = g; g && *p; p++)
						if (*p != EMPH_OPEN && *p != EMPH_CLOSE)
							*q++ = *p;
					if (g)
						*q = '\0';
				}
				saw_list = 0;
			} else if (in_pubs && t->heading > pub_level && k == 0) {
				/* "2021" under "Publications" */
			} else
				in_pubs = 0;
			after_blank = 1;
			continue;
		}
		if (!in_pubs)
			continue;
		if (t->blank) {
			after_blank = 1;
			if (e.list == 0)
				finish_entry(R, &e);
			continue;
		}
		if (t->list) {
			if (e.text.len > 0 && t->indent > e.indent + 1 && e.list) {
				skipping = 1;	/* a bullet describing the entry above */
				if (is_award_line(t->text)) {
					/* "- Best Paper Award" under an entry is a note of it */
					cvb_buf_adds(&e.text, ". ");
					cvb_buf_adds(&e.text, t->text);
				}
				continue;
			}
			finish_entry(R, &e);
			skipping = 0;
			saw_list = 1;
			e.list = t->list;
			e.num = t->num;
			e.indent = t->indent;
			e.line = t->lineno;
			e.col = t->col;
			e.nlines = 1;
			e.seg_line[0] = t->lineno;
			e.seg_col[0] = t->col;
			cvb_buf_adds(&e.text, t->text);
			after_blank = 0;
			continue;
		}
		if (skipping && t->indent > e.indent)
			continue;
		skipping = 0;
		if (e.text.len > 0 && e.list && after_blank) {
			/* a paragraph after a list item: its description */
			if (t->indent > e.indent)
				continue;
			finish_entry(R, &e);
		}
		if (e.text.len > 0 && !after_blank && !t->brk && e.list == 0 && i > 0 &&
		    !L->v[i - 1].blank && looks_new_ref(&L->v[i - 1], t))
			finish_entry(R, &e);
		if (e.text.len == 0) {
			if (saw_list && t->indent == 0 && after_blank && strlen(t->text) < 200 &&
			    !strchr(t->text, '.'))
				continue;	/* prose between lists */
			e.list = 0;
			e.num = 0;
			e.indent = t->indent;
			e.line = t->lineno;
			e.col = t->col;
			e.nlines = 1;
			e.seg_line[0] = t->lineno;
			e.seg_col[0] = t->col;
			cvb_buf_adds(&e.text, t->text);
		} else {
			cvb_buf_addch(&e.text, '\n');
			cvb_buf_adds(&e.text, t->text);
			if (e.nlines < MAXSEG) {
				e.seg_line[e.nlines] = t->lineno;
				e.seg_col[e.nlines] = t->col;
			}
			e.nlines++;
		}
		after_blank = 0;
	}
	finish_entry(R, &e);
	cvbib_buf_release(&e.text);
	return R->err ? -CVBIB_ENOMEM : 0;
}

int
cvb_read_text_kind(cvbib_biblio *b, const char *data, size_t len, const char *file,
    enum cvb_textkind kind, const struct cvbib_options *o, struct cvbib_diags *d)
{
	struct lines L;
	struct reader R;
	size_t before = b->n, i;
	int rc = 0;

	memset(&L, 0, sizeof(L));
	memset(&R, 0, sizeof(R));
	if (kind == CVB_TK_HTML) {
		rc = html_lines(&L, data, len, file, d);
	} else {
		size_t pos = 0;
		unsigned line = 0;
		int fence = 0;

		/* a UTF-8 byte order mark */
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
			pos = 3;
		while (pos < len && !L.err) {
			const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
			size_t n = nl ? (size_t)(nl - s) : len - pos;

			line++;
			add_text_line(&L, s, n, line, kind, &fence);
			pos += n + (nl != NULL);
		}
	}
	if (rc == 0 && L.err)
		rc = -CVBIB_ENOMEM;
	if (rc == 0) {
		R.b = b;
		R.file = file;
		R.d = d;
		find_legend(&L, &R.ctx, b);
		R.ctx.explain = o != NULL && o->explain;
		rc = read_lines(&R, &L);
	}
	for (i = 0; i < R.ntitles; i++)
		free(R.titles[i]);
	free(R.titles);
	lines_free(&L);
	if (rc == -CVBIB_ENOMEM)
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
	else if (rc == 0 && b->n == before)
		cvb_diag(d, CVB_D_TEXT_NO_PUBS, file, 0, 0, NULL);
	return rc;
}
