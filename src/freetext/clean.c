/*
 * clean.c - inline cleaning of free-text CV lines: mojibake repair, HTML
 * entities, Markdown inline markup (emphasis kept as EMPH marks, escapes,
 * links, code, tags), and list markers.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "freetext/ft.h"

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
void
ft_fix_mojibake(struct cvb_buf *out, const char *s, size_t n)
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

/* The ')' that ends a Markdown link's target starting at u: parentheses
 * inside it balance ("https://doi.org/10.1016/S0140-6736(24)00367-2");
 * NULL when there is none before end or the line. */
static const char *
link_end(const char *u, const char *end)
{
	int depth = 0;

	for (; u < end && *u != '\n'; u++) {
		if (*u == '\\' && u + 1 < end) {
			u++;
			continue;
		}
		if (*u == '(')
			depth++;
		else if (*u == ')' && depth-- == 0)
			return u;
	}
	return NULL;
}

/*
 * A co-author's name linked to their page ("[Rosalie L. Pacula](https://...
 * /rosalie-pacula/)"): the name is the entry's, the page is not; a DOI, an
 * arXiv page or a file is.  The text is one name of two to four words, read
 * whole by the name grammar, and it follows another name of the list (what
 * is before it, in before, ends with a comma, ";", "and" or "&").
 */
static bool
person_link(const struct cvb_buf *before, const char *text, size_t tn, const char *url, size_t un)
{
	size_t i, words = 1, e = before->len;
	int names;

	while (e > 0 && before->buf[e - 1] == ' ')
		e--;
	if (!(e > 0 && (before->buf[e - 1] == ',' || before->buf[e - 1] == ';' || before->buf[e - 1] == '&' ||
	    (e >= 4 && memcmp(before->buf + e - 4, " and", 4) == 0))))
		return false;

	if (tn == 0 || tn > 60 || memmem(url, un, "doi", 3) != NULL || memmem(url, un, "arxiv", 5) != NULL ||
	    (un > 4 && strncasecmp(url + un - 4, ".pdf", 4) == 0))
		return false;
	for (i = 0; i < tn; i++)
		if (text[i] == ' ')
			words++;
	if (words < 2 || words > 4)
		return false;
	return cvb_ref_names_at(text, tn, &names) >= tn && names == 1;
}

/* A labelled link's mark: LINK_OPEN field LINK_SEP url LINK_CLOSE. */
static void
link_mark(struct cvb_buf *out, const char *field, const char *url, size_t un)
{
	cvb_buf_addch(out, ' ');
	cvb_buf_addch(out, LINK_OPEN);
	cvb_buf_adds(out, field);
	cvb_buf_addch(out, LINK_SEP);
	cvb_buf_add(out, url, un);
	cvb_buf_addch(out, LINK_CLOSE);
	cvb_buf_addch(out, ' ');
}

void
ft_add_link(struct cvb_buf *out, const char *text, size_t tn, const char *url, size_t un)
{
	ft_add_href(out, text, tn, url, un, false);
}

void
ft_add_href(struct cvb_buf *out, const char *text, size_t tn, const char *url, size_t un,
    bool hidden)
{
	int kind, label;
	size_t i;

	while (un > 0 && url[un - 1] == ' ')
		un--;
	while (un > 0 && *url == ' ')
		url++, un--;
	/* a title after the target: [text](url "title") */
	for (i = 0; i < un; i++)
		if (url[i] == ' ') {
			un = i;
			break;
		}
	label = cvb_link_label(text, tn, &kind);
	if (!(un > 4 && (strncmp(url, "http", 4) == 0 || strncmp(url, "doi", 3) == 0))) {
		/* a relative or mail link: its text, unless that only says what
		 * the link is ("pdf", "slides"): a file of the site, no field */
		if (label <= 0)
			cvb_buf_add(out, text, tn);
		return;
	}
	if (label > 0) {
		link_mark(out, cvb_link_kinds[kind].field, url, un);
		return;
	}
	if (label == 0 && person_link(out, text, tn, url, un)) {
		cvb_buf_add(out, text, tn);
		return;
	}
	if (label == 0)
		cvb_buf_add(out, text, tn);
	if (!hidden && !(label == 0 && tn >= un && memmem(text, tn, url, un) != NULL)) {
		/* a Markdown link whose text is not its address: the address is
		 * the entry's URL or DOI, but it is not printed (entry.c: an arXiv
		 * id only there is no printed number); the mark stands for the
		 * address, which take_links() puts back in the text */
		link_mark(out, "href", url, un);
		return;
	}
	cvb_buf_addch(out, ' ');
	cvb_buf_add(out, url, un);
	/* a web page's link: its target is read with the text (it helps tell
	 * where the title ends), but it is not printed, so what is only in it
	 * is no part of the citation (entry.c: not the entry's DOI, URL or
	 * arXiv number) but a lead kept beside it, the extra field "link" */
	if (hidden)
		link_mark(out, "link", url, un);
}

void
ft_plain(char *s)
{
	char *p, *q;

	for (p = q = s; *p; p++) {
		if (*p == LINK_OPEN) {
			while (p[1] != '\0' && p[1] != LINK_CLOSE)
				p++;
			if (p[1] == LINK_CLOSE)
				p++;
			continue;
		}
		if (*p != EMPH_OPEN && *p != EMPH_CLOSE)
			*q++ = *p;
	}
	*q = '\0';
}

/* Markdown inline markup: emphasis, escapes, links, code, tags, entities. */
void
ft_clean_markdown(struct cvb_buf *out, const char *s, size_t n)
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
				const char *pe = link_end(cb + 2, s + n);

				if (pe) {
					struct cvb_buf t = CVB_BUF_INIT;
					size_t tl = (size_t)(cb - s) - i - 1;
					const char *u = cb + 2;

					ft_clean_markdown(&t, s + i + 1, tl);
					ft_add_link(out, t.buf ? t.buf : "", t.len, u, (size_t)(pe - u));
					cvbib_buf_release(&t);
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
		if (c == '{' && i + 1 < n && (s[i + 1] == '%' || s[i + 1] == '{')) {
			/* a Liquid or Jinja tag ("{% capture x %}", "{{ page.title }}"):
			 * template code, never text */
			const char *e = memmem(s + i + 2, n - i - 2, s[i + 1] == '%' ? "%}" : "}}", 2);

			if (e != NULL) {
				i = (size_t)(e - s) + 2;
				continue;
			}
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
size_t
ft_list_marker(const char *s, size_t n, int *kind, long *num)
{
	size_t i = 0, j;

	*kind = 0;
	*num = 0;
	if (n > 3 && s[0] == EMPH_OPEN) {
		/* a marker in bold, as a web page prints it: "<b>•</b> Title" */
		char tmp[12];
		const char *c = memchr(s + 1, EMPH_CLOSE, n - 1 < 9 ? n - 1 : 9);

		if (c == NULL || c == s + 1 || (size_t)(c - s) + 1 >= n || c[1] != ' ')
			return 0;
		j = (size_t)(c - s) - 1;
		memcpy(tmp, s + 1, j);
		tmp[j] = ' ';
		tmp[j + 1] = 'x';
		if (ft_list_marker(tmp, j + 2, kind, num) != j + 1) {
			*kind = 0;
			*num = 0;
			return 0;
		}
		for (i = j + 3; i < n && s[i] == ' '; i++)
			;
		return i;
	}
	if (n > 6 && memcmp(s, "\\item", 5) == 0 && (s[5] == ' ' || s[5] == '[')) {
		/* LaTeX \item (R Markdown CVs): a bullet; "\item[x]" keeps its label */
		*kind = 1;
		return s[5] == ' ' ? 6 : 5;
	}
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

/*
 * Inline TeX math as printed by MathJax pages and Markdown ("$\mathbb{Z}_2$",
 * "$\alpha$-helix"): the dollars, command names, braces and sub/superscript
 * marks are markup, the letters and digits are the text ("Z2").  Only a
 * "$...$" of at most 40 bytes that holds a backslash, '_' or '^' is math; "$5
 * million" stays.  Greek letters by name become the letter.
 */
void
ft_strip_math(struct cvb_buf *out, const char *s, size_t n)
{
	static const struct { const char *name, *utf8; } greek[] = {
		{ "alpha", "\xCE\xB1" }, { "beta", "\xCE\xB2" }, { "gamma", "\xCE\xB3" },
		{ "delta", "\xCE\xB4" }, { "epsilon", "\xCE\xB5" }, { "kappa", "\xCE\xBA" },
		{ "lambda", "\xCE\xBB" }, { "mu", "\xCE\xBC" }, { "pi", "\xCF\x80" },
		{ "sigma", "\xCF\x83" }, { "tau", "\xCF\x84" }, { "phi", "\xCF\x86" },
		{ "omega", "\xCF\x89" }, { "Delta", "\xCE\x94" }, { "Omega", "\xCE\xA9" },
	};
	size_t i = 0;

	while (i < n) {
		const char *c;
		size_t j, k;

		if (s[i] != '$' || (c = memchr(s + i + 1, '$', n - i - 1)) == NULL ||
		    (size_t)(c - (s + i)) > 40 || (!memchr(s + i, '\\', (size_t)(c - (s + i))) &&
		    !memchr(s + i, '_', (size_t)(c - (s + i))) && !memchr(s + i, '^', (size_t)(c - (s + i))))) {
			cvb_buf_addch(out, s[i]);
			i++;
			continue;
		}
		for (j = i + 1; s + j < c;) {
			if (s[j] == '\\') {
				for (k = j + 1; s + k < c && isalpha((unsigned char)s[k]); k++)
					;
				{
					size_t g;

					for (g = 0; g < CVB_ARRAY_SIZE(greek); g++)
						if (strlen(greek[g].name) == k - j - 1 &&
						    memcmp(s + j + 1, greek[g].name, k - j - 1) == 0) {
							cvb_buf_adds(out, greek[g].utf8);
							break;
						}
				}
				j = k > j + 1 ? k : j + 2;
				continue;
			}
			if (s[j] != '{' && s[j] != '}' && s[j] != '_' && s[j] != '^')
				cvb_buf_addch(out, s[j]);
			j++;
		}
		i = (size_t)(c - s) + 1;
	}
}
