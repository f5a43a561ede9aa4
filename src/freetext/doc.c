/*
 * doc.c - the document model of a free-text CV: its lines, with heading
 * level, list marker and nesting, indentation and position in the source,
 * made from Markdown, plain text or HTML (libxml2's HTML parser).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "cvb_int.h"
#include "freetext/ft.h"


struct tline *
ft_lines_add(struct lines *L)
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

void
ft_lines_free(struct lines *L)
{
	size_t i;

	for (i = 0; i < L->n; i++)
		free(L->v[i].text);
	free(L->v);
}


/*
 * Marks typed for others: two apostrophes or backquotes ('' ``) are a double
 * quote, as TeX reads them.  U+00AD SOFT HYPHEN typed into Markdown or HTML
 * is invisible: gone.  In
 * text taken out of a PDF (pdftotext, poppler) it is the hyphen the reader
 * sees, a font's hyphen glyph mapped to U+00AD: "cell\u00ADmean" is
 * "cell-mean", and at the end of a line a word broken there ("exam-" then
 * "ple", joined with the next line as hyphens are).  A ligature (U+FB01
 * "fi") is its letters.
 */
static void
typed_marks(struct cvb_buf *b, int visible)
{
	size_t i, o = 0;

	if (b->buf != NULL && memmem(b->buf, b->len, "\xEF\xAC", 2) != NULL) {
		/* the ligatures of a PDF's fonts (U+FB00-FB06: "Scienti\uFB01c")
		 * are their letters, as the Unicode table folds them */
		for (i = 0, o = 0; i < b->len; i++) {
			const char *f;

			if ((unsigned char)b->buf[i] == 0xEF && i + 2 < b->len &&
			    (unsigned char)b->buf[i + 1] == 0xAC && (unsigned char)b->buf[i + 2] <= 0x86 &&
			    (f = cvb_uc_fold_ascii(0xFB00 + ((unsigned char)b->buf[i + 2] & 0x3F))) != NULL &&
			    strlen(f) <= 3) {
				memcpy(b->buf + o, f, strlen(f));
				o += strlen(f);
				i += 2;
				continue;
			}
			b->buf[o++] = b->buf[i];
		}
		cvb_buf_setlen(b, o);
		o = 0;
	}
	if (b->buf == NULL || (memmem(b->buf, b->len, "\xC2\xAD", 2) == NULL &&
	    memmem(b->buf, b->len, "''", 2) == NULL && memmem(b->buf, b->len, "``", 2) == NULL))
		return;
	if (memmem(b->buf, b->len, "''", 2) != NULL || memmem(b->buf, b->len, "``", 2) != NULL) {
		/* ''Title'', ``Title'': typewriter (TeX) double quotes, opening
		 * at the start of a word, closing at its end */
		struct cvb_buf q = CVB_BUF_INIT;

		for (i = 0; i < b->len; i++) {
			if ((b->buf[i] == '\'' || b->buf[i] == '`') && i + 1 < b->len && b->buf[i + 1] == b->buf[i]) {
				bool open = b->buf[i] == '`' || i == 0 || b->buf[i - 1] == ' ' || b->buf[i - 1] == '(';

				cvb_buf_adds(&q, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
				i++;
				continue;
			}
			cvb_buf_addch(&q, b->buf[i]);
		}
		if (q.err) {
			b->err = 1;
			cvbib_buf_release(&q);
			return;
		}
		cvb_buf_setlen(b, 0);
		cvb_buf_add(b, q.buf ? q.buf : "", q.len);
		cvbib_buf_release(&q);
	}
	for (i = 0; i < b->len; i++) {
		if ((unsigned char)b->buf[i] == 0xC2 && i + 1 < b->len && (unsigned char)b->buf[i + 1] == 0xAD) {
			if (visible)
				b->buf[o++] = '-';
			i++;
			continue;
		}
		b->buf[o++] = b->buf[i];
	}
	cvb_buf_setlen(b, o);
}

/* A blank line (what hides a line leaves): true. */
static bool
blank_line(struct lines *L, unsigned lineno)
{
	struct tline *t = ft_lines_add(L);

	if (t)
		t->blank = 1, t->lineno = lineno;
	return true;
}

/* The front matter's "title: Papers": the page's first heading, as the
 * site shows it.  True (the line is taken). */
static bool
front_title(struct lines *L, const char *s, size_t n, unsigned lineno)
{
	struct tline *t;

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\''))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' ||
	    s[n - 1] == '\'' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n > 80)
		return blank_line(L, lineno);
	t = ft_lines_add(L);
	if (t == NULL)
		return true;
	t->lineno = lineno;
	t->col = 7;
	t->heading = 1;
	t->text = strndup(s, n);
	if (t->text == NULL) {
		L->err = 1;
		t->blank = 1;
	}
	return true;
}

/*
 * Markdown that is not shown: YAML front matter, HTML comments, <script> and
 * <style>, fenced code (bits 4, 2, 8 and 1 of *in_fence, which carries them
 * from line to line); the depth of raw HTML blocks.  True when the line is
 * hidden (a blank line is added); *np may end before a comment that opens.
 */
static bool
hidden_line(struct lines *L, const char *s, size_t *np, size_t i, unsigned lineno,
    enum cvb_textkind kind, int *in_fence)
{
	size_t n = *np;

	/* YAML front matter (bit 4 of *in_fence, from the first line "---") is metadata */
	if (kind == CVB_TK_MARKDOWN && lineno == 1 && n == 3 && memcmp(s, "---", 3) == 0)
		*in_fence |= 4;
	else if (kind == CVB_TK_MARKDOWN && (*in_fence & 4) && (n == 3 && (memcmp(s, "---", 3) == 0 ||
	    memcmp(s, "...", 3) == 0)))
		*in_fence &= ~4;
	else if (!(*in_fence & 4))
		goto body;
	else if (n > 7 && memcmp(s, "title:", 6) == 0)
		return front_title(L, s + 6, n - 6, lineno);
	return blank_line(L, lineno);
body:
	/* an HTML comment over several lines is not shown: blank lines (bit 2 of *in_fence) */
	if (kind == CVB_TK_MARKDOWN && (*in_fence & 2)) {
		if (memmem(s, n, "-->", 3) != NULL)
			*in_fence &= ~2;
		return blank_line(L, lineno);
	}
	if (kind == CVB_TK_MARKDOWN && !(*in_fence & 1)) {
		const char *c = memmem(s, n, "<!--", 4);

		if (c != NULL && memmem(c, n - (size_t)(c - s), "-->", 3) == NULL) {
			*in_fence |= 2;
			n = (size_t)(c - s);	/* the text before it */
			while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
		}
	}
	/* raw HTML blocks in Markdown ("<details>" ... "</details>"): their depth */
	if (kind == CVB_TK_MARKDOWN && i + 1 < n && s[i] == '<' && (isalpha((unsigned char)s[i + 1]) ||
	    s[i + 1] == '/')) {
		size_t k = i + 1 + (s[i + 1] == '/');
		char tag[12];
		size_t tl = 0;

		while (k < n && isalnum((unsigned char)s[k]) && tl + 1 < sizeof(tag))
			tag[tl++] = (char)tolower((unsigned char)s[k++]);
		tag[tl] = '\0';
		if (strcmp(tag, "br") != 0 && strcmp(tag, "img") != 0 && strcmp(tag, "a") != 0 &&
		    strcmp(tag, "b") != 0 && strcmp(tag, "i") != 0 && strcmp(tag, "em") != 0 &&
		    strcmp(tag, "strong") != 0 && strcmp(tag, "span") != 0 && tl > 0) {
			char close[16];

			snprintf(close, sizeof(close), "</%s", tag);
			if (s[i + 1] == '/') {
				if (L->html_depth > 0)
					L->html_depth--;
			} else if (memmem(s + i, n - i, close, strlen(close)) == NULL)
				L->html_depth++;
		}
	}
	/* <script> and <style> in Markdown: code, never text, to their end tag (bit 8) */
	if (kind == CVB_TK_MARKDOWN && (*in_fence & 8)) {
		if (memmem(s, n, "</script", 8) != NULL || memmem(s, n, "</style", 7) != NULL ||
		    memmem(s, n, "</SCRIPT", 8) != NULL || memmem(s, n, "</STYLE", 7) != NULL)
			*in_fence &= ~8;
		return blank_line(L, lineno);
	}
	if (kind == CVB_TK_MARKDOWN && n - i >= 7 && (strncasecmp(s + i, "<script", 7) == 0 ||
	    strncasecmp(s + i, "<style", 6) == 0)) {
		bool script = strncasecmp(s + i, "<script", 7) == 0;

		if (memmem(s + i, n - i, script ? "</script" : "</style", script ? 8 : 7) == NULL &&
		    memmem(s + i, n - i, script ? "</SCRIPT" : "</STYLE", script ? 8 : 7) == NULL)
			*in_fence |= 8;
		return blank_line(L, lineno);
	}
	if (kind == CVB_TK_MARKDOWN && n - i >= 3 && (strncmp(s + i, "```", 3) == 0 ||
	    strncmp(s + i, "~~~", 3) == 0)) {
		*in_fence ^= 1;
		return blank_line(L, lineno);
	}
	*np = n;
	return false;
}

/*
 * The start of a Markdown line: an ATX heading ("## Papers", its level in
 * *hp), a block quote's ">"; a setext underline (the line before becomes a
 * heading) and a rule are no text: true.  [*ip, *np) is the line's text.
 */
static bool
md_line_start(struct lines *L, const char *s, size_t *ip, size_t *np, int *hp)
{
	size_t i = *ip, n = *np;
	int heading = 0;

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
			return true;
		}
	}
	if (heading == 0 && n - i >= 3 && (s[i] == '-' || s[i] == '*' || s[i] == '_')) {
		size_t k;

		for (k = i; k < n && (s[k] == s[i] || s[k] == ' '); k++)
			;
		if (k == n) {	/* a rule */
			return true;
		}
	}
	*ip = i;
	*np = n;
	*hp = heading;
	return false;
}

void
ft_add_text_line(struct lines *L, const char *s, size_t n, unsigned lineno, enum cvb_textkind kind,
    int *in_fence)
{
	struct tline *t;
	struct cvb_buf b = CVB_BUF_INIT, m = CVB_BUF_INIT;
	size_t i = 0, ml;
	int indent = 0, heading = 0, lk;
	long num;

	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\f'))
		n--;
	/* a form feed (pdftotext's page break) opens the first line of a page */
	while (i < n && s[i] == '\f')
		i++, L->page++;
	while (i < n && (s[i] == ' ' || s[i] == '\t')) {
		indent += s[i] == '\t' ? 4 : 1;
		i++;
	}
	if (hidden_line(L, s, &n, i, lineno, kind, in_fence))
		return;
	t = ft_lines_add(L);
	if (t == NULL)
		return;
	t->lineno = lineno;
	t->indent = indent;
	t->html = L->html_depth;
	t->page = L->page;
	if (i >= n || (*in_fence & 1)) {
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
	if (kind == CVB_TK_MARKDOWN && md_line_start(L, s, &i, &n, &heading)) {
		t->blank = 1;
		return;
	}
	if (heading == 0) {
		ml = ft_list_marker(s + i, n - i, &lk, &num);
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
		ft_clean_markdown(&m, s + i, n - i);
	else
		cvb_buf_add(&m, s + i, n - i);
	{
		struct cvb_buf q = CVB_BUF_INIT;

		ft_strip_math(&q, m.buf, m.len);
		ft_fix_mojibake(&b, q.buf ? q.buf : "", q.len);
		cvbib_buf_release(&q);
	}
	cvbib_buf_release(&m);
	typed_marks(&b, kind == CVB_TK_TEXT);
	if (b.err) {
		L->err = 1;
		cvbib_buf_release(&b);
		return;
	}
	t->text = cvbib_buf_detach(&b, NULL);
	if (t->text == NULL || ft_is_empty(t->text)) {
		/* only markup (a tag, an emphasis pair): a blank line */
		free(t->text);
		t->text = NULL;
		t->blank = 1;
		return;
	}
	t->heading = heading;
	/* a section's title not marked as one: as deep as a heading goes in
	 * Markdown (under any other), a second level in plain text */
	if (heading == 0 && t->list == 0 && ft_titled_line(t->text, kind))
		t->heading = kind == CVB_TK_TEXT ? 2 : 6;
}

/* ------------------------------------------------------------------ HTML */

struct hwalk {
	struct lines	*L;
	struct cvb_buf	 cur;
	unsigned	 line;
	int		 heading, list, depth, brk, pending_blank;
	long		 num;
	unsigned long	 flushes;	/* how many times cur was emptied */
};

static void
hflush(struct hwalk *h, int blank)
{
	struct cvb_buf b = CVB_BUF_INIT;
	struct tline *t;
	size_t i = 0, n = h->cur.len;
	const char *s = h->cur.buf;
	int lk;
	long num;

	h->flushes++;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > i) {
		t = ft_lines_add(h->L);
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

				struct cvb_buf q = CVB_BUF_INIT;

				ft_strip_math(&q, b.buf ? b.buf : "", b.len);
				ft_fix_mojibake(&f, q.buf ? q.buf : "", q.len);
				if (b.err || q.err || f.err)
					h->L->err = 1;	/* not a blank line: no memory */
				cvbib_buf_release(&q);
				cvbib_buf_release(&b);
				t->text = cvbib_buf_detach(&f, NULL);
				if (t->text == NULL)
					h->L->err = 1;
			}
			if (t->text == NULL || ft_is_empty(t->text)) {
				free(t->text);
				t->text = NULL;
				t->blank = 1;
			}
			t->lineno = h->line;
			t->col = 1;
			t->heading = h->heading;
			t->list = h->list;
			t->num = h->num;
			if (t->text != NULL && t->list == 0 && t->heading == 0) {
				/* a paragraph that opens with its own marker ("<p><b>•</b>
				 * Title", "<p>[3] A. Smith") is a list item too */
				size_t ml = ft_list_marker(t->text, strlen(t->text), &lk, &num);

				if (ml > 0 && t->text[ml] != '\0') {
					t->list = lk;
					t->num = num;
					memmove(t->text, t->text + ml, strlen(t->text + ml) + 1);
				}
			}
			t->indent = h->depth * 2;
			t->brk = h->brk;
			h->list = 0;
			h->brk = 1;
		}
	}
	cvb_buf_reset(&h->cur);
	if (blank) {
		t = ft_lines_add(h->L);
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
			size_t at = h->cur.len;
			unsigned long gen = h->flushes;

			hwalk(h, n->children, depth);
			if (href != NULL && strncmp((const char *)href, "http", 4) != 0 &&
			    strncmp((const char *)href, "mailto:", 7) != 0 && gen == h->flushes &&
			    h->cur.len > at) {
				/* a relative link: its text, unless that only says what it
				 * is ("pdf", "slides"), a file of the site (ft_add_link) */
				struct cvb_buf t = CVB_BUF_INIT;

				cvb_buf_add(&t, h->cur.buf + at, h->cur.len - at);
				cvb_buf_setlen(&h->cur, at);
				ft_add_link(&h->cur, t.buf ? t.buf : "", t.len, (const char *)href,
				    strlen((const char *)href));
				cvbib_buf_release(&t);
			} else if (href != NULL && (strncmp((const char *)href, "http", 4) == 0) &&
			    gen == h->flushes && h->cur.len >= at) {
				/* the link's text, then its target as a lead, not as
				 * printed text (ft_add_href) */
				struct cvb_buf t = CVB_BUF_INIT;

				cvb_buf_add(&t, h->cur.buf + at, h->cur.len - at);
				cvb_buf_setlen(&h->cur, at);
				ft_add_href(&h->cur, t.buf ? t.buf : "", t.len, (const char *)href,
				    strlen((const char *)href), true);
				cvbib_buf_release(&t);
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

	xmlResetLastError();
	doc = cvb_html_parse(data, len, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
	if (xmlGetLastError() != NULL && xmlGetLastError()->code == XML_ERR_NO_MEMORY)
		cvb_nomem();	/* not the page's fault: the read fails */
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

int
ft_html_lines(struct lines *L, const char *data, size_t len, const char *file,
    struct cvbib_diags *d)
{
	struct cvb_xml_quiet q;
	int rc;

	cvb_xml_quiet_begin(&q);
	rc = html_lines(L, data, len, file, d);
	cvb_xml_quiet_end(&q);
	return rc;
}


/*
 * Is this text Markdown or HTML, whatever its file is called?  HTML: it
 * starts with a tag or holds block tags; Markdown: ATX headings, emphasis
 * pairs, [text](url) links or list items on several lines.
 */
static enum cvb_textkind
sniff_kind(const char *data, size_t len)
{
	size_t i = 0, lines = 0, md = 0, n = len < 65536 ? len : 65536;

	while (i < n && isspace((unsigned char)data[i]))
		i++;
	if (i < n && data[i] == '<' && (memmem(data, n, "<html", 5) || memmem(data, n, "<HTML", 5) ||
	    memmem(data, n, "<!DOCTYPE", 9) || memmem(data, n, "<!doctype", 9) ||
	    memmem(data, n, "<body", 5) || memmem(data, n, "<div", 4) || memmem(data, n, "<p>", 3)))
		return CVB_TK_HTML;
	for (i = 0; i < n;) {
		const char *s = data + i, *nl = memchr(s, '\n', n - i);
		size_t l = nl ? (size_t)(nl - s) : n - i, k = 0;

		lines++;
		while (k < l && s[k] == ' ')
			k++;
		if (k < l && s[k] == '#') {
			size_t h = k;

			while (h < l && s[h] == '#')
				h++;
			if (h - k <= 6 && h < l && s[h] == ' ')
				md += 2;
		}
		if (memmem(s, l, "](http", 6) || memmem(s, l, "**", 2) || memmem(s, l, "__", 2))
			md++;
		i += l + 1;
	}
	return md >= 3 || (lines > 0 && md * 10 >= lines && md >= 2) ? CVB_TK_MARKDOWN : CVB_TK_TEXT;
}


/* The text of a line as pages repeat it: digits one '#', spaces folded;
 * false when it holds no letter (a year or a number alone says nothing). */
static bool
running_key(const char *s, char *key, size_t size)
{
	size_t k = 0;
	bool letter = false;

	for (; *s && k + 1 < size; s++) {
		if (isdigit((unsigned char)*s)) {
			if (k == 0 || key[k - 1] != '#')
				key[k++] = '#';
		} else if (*s == ' ' || *s == '\t') {
			if (k > 0 && key[k - 1] != ' ')
				key[k++] = ' ';
		} else {
			letter |= isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80;
			key[k++] = *s;
		}
	}
	key[k] = '\0';
	return letter && *s == '\0';
}

/*
 * A page's running header and footer (the owner's name, the date, "p.2")
 * are no part of what they interrupt: among the first and the last lines of
 * each page, a short one whose text (numbers aside) comes back at the same
 * edge (top or bottom) of another page is taken out (made a blank line).
 */
#define RUNNING_EDGE 3
#define RUNNING_MAX 80
static void
drop_running_lines(struct lines *L)
{
	struct edge {
		size_t	 i;
		int	 bottom, ok;
		char	 key[RUNNING_MAX + 1];
	} *edge;
	size_t i, j, ne = 0;

	/* at most RUNNING_EDGE lines at each edge of each page */
	edge = malloc(((size_t)L->page + 1) * 2 * RUNNING_EDGE * sizeof(*edge));
	if (edge == NULL)
		return;		/* an optional pass: the lines stay as read */
	for (i = 0; i < L->n;) {
		size_t end, top = 0, bot = 0;
		int page = L->v[i].page;

		for (end = i; end < L->n && L->v[end].page == page; end++)
			;
		for (j = i; j < end && top < RUNNING_EDGE; j++)
			if (!L->v[j].blank && L->v[j].text != NULL)
				edge[ne].i = j, edge[ne++].bottom = 0, top++;
		for (j = end; j > i && bot < RUNNING_EDGE; j--)
			if (!L->v[j - 1].blank && L->v[j - 1].text != NULL)
				edge[ne].i = j - 1, edge[ne++].bottom = 1, bot++;
		i = end;
	}
	for (i = 0; i < ne; i++) {
		const struct tline *t = &L->v[edge[i].i];

		edge[i].ok = !t->heading && strlen(t->text) <= RUNNING_MAX &&
		    running_key(t->text, edge[i].key, sizeof(edge[i].key));
	}
	for (i = 0; i < ne; i++) {
		struct tline *t = &L->v[edge[i].i];

		if (!edge[i].ok)
			continue;
		for (j = 0; j < ne; j++)
			if (edge[j].ok && L->v[edge[j].i].page != t->page &&
			    edge[j].bottom == edge[i].bottom && strcmp(edge[i].key, edge[j].key) == 0)
				break;
		if (j < ne) {
			/* the keys are made: the line can go now */
			t->blank = 1;
			free(t->text);
			t->text = NULL;
		}
	}
	free(edge);
}

/* The nearest heading above each line (its index in L->v, -1: none). */
static void
link_sections(struct lines *L)
{
	size_t i;
	long cur = -1;

	for (i = 0; i < L->n; i++) {
		L->v[i].sec = cur;
		if (L->v[i].heading)
			cur = (long)i;
	}
}

int
ft_doc_build(struct lines *L, const char *data, size_t len, const char *file,
    enum cvb_textkind kind, struct cvbib_diags *d)
{
	int rc = 0;

	if (cvb_input_is_pdf(data, len))
		rc = ft_pdf_lines(L, data, len, file, d);
	else {
		if (kind == CVB_TK_TEXT)
			kind = sniff_kind(data, len);
		if (kind == CVB_TK_HTML)
			rc = ft_html_lines(L, data, len, file, d);
		else {
			size_t pos = 0;
			unsigned line = 0;
			int fence = 0;

			/* a UTF-8 byte order mark */
			if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
				pos = 3;
			while (pos < len && !L->err) {
				const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
				size_t n = nl ? (size_t)(nl - s) : len - pos;

				line++;
				ft_add_text_line(L, s, n, line, kind, &fence);
				pos += n + (nl != NULL);
			}
		}
	}
	if (rc == 0 && !L->err && L->page > 0)
		drop_running_lines(L);
	if (rc == 0 && !L->err)
		link_sections(L);
	return rc;
}

/* Does s hold nothing but spaces and EMPH marks? */
bool
ft_is_empty(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != EMPH_OPEN && *s != EMPH_CLOSE)
			return false;
	return true;
}
