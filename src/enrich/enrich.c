/*
 * enrich.c - DOI enrichment: what to look up, how answers map to the model,
 * and how they are merged into the user's entries.
 *
 * For every entry with a DOI (in DOI, or found in URL or note) it fetches the
 * record from Crossref, or from DataCite for DataCite DOIs (known prefixes, or
 * the registration agency found through doi.org/ra), or by doi.org content
 * negotiation for other agencies.  With find_missing it searches Crossref with
 * query.bibliographic for entries without a DOI and accepts a candidate only
 * above the bar documented in doc/enrich.md.  Answers are mapped to a
 * detached item (never passing a service's own BibTeX or CSL through: titles
 * are re-built from the JSON with JATS/HTML/MathML converted by libxml2), then
 * merged: missing fields are filled; with overwrite, the listed fields are
 * replaced; the key, notes and fields the service does not know are never
 * touched.  Every change is a note diagnostic and a progress event.
 *
 * Transfers, rate limits and retries are crossref.c's; the cache is cache.c's.
 * This file prints nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "cvb_int.h"

/* ------------------------------------------------------------------ DOIs */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "10." + 4..9 digits (dot-separated sub-elements allowed) + "/" + suffix */
static size_t
doi_prefix_len(const char *s)
{
	size_t i = 3, digits = 0;

	if (strncmp(s, "10.", 3) != 0)
		return 0;
	while (isdigit((unsigned char)s[i]) || (s[i] == '.' && digits > 0 && isdigit((unsigned char)s[i + 1]))) {
		if (s[i] != '.')
			digits++;
		i++;
	}
	if (digits < 4 || s[i] != '/')
		return 0;
	return i;
}

bool
cvb_doi_normalize(const char *in, struct cvb_buf *out)
{
	static const char *const prefixes[] = {
		"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
		"doi.org/", "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/",
		"urn:doi:", "info:doi/", "doi:", "doi ",
	};
	struct cvb_buf t = CVB_BUF_INIT;
	const char *s = in;
	bool from_url = false, changed;
	size_t i, n, plen;
	int open_paren, open_br;

	cvb_buf_reset(out);
	if (in == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	do {
		changed = false;
		while (*s == '{' || *s == '<' || *s == '"')
			s++, changed = true;
		for (i = 0; i < CVB_ARRAY_SIZE(prefixes); i++) {
			n = strlen(prefixes[i]);
			if (strncasecmp(s, prefixes[i], n) == 0) {
				from_url |= strchr(prefixes[i], '/') != NULL && strncmp(prefixes[i], "info", 4) != 0;
				s += n;
				changed = true;
				while (isspace((unsigned char)*s))
					s++;
			}
		}
	} while (changed);
	/* percent-decode once when it came from a URL or looks encoded */
	for (; *s != '\0'; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0 &&
		    (from_url || strncmp(s, "%2F", 3) == 0 || strncmp(s, "%2f", 3) == 0)) {
			cvb_buf_addch(&t, hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else if (isspace((unsigned char)*s))
			break;
		else
			cvb_buf_addch(&t, *s);
	}
	if (t.err) {
		cvbib_buf_release(&t);
		return false;
	}
	/* strip closing wrappers and trailing punctuation, keeping balanced () [] */
	for (;;) {
		char c;

		n = t.len;
		if (n == 0)
			break;
		c = t.buf[n - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '}' || c == '>' ||
		    c == '"' || c == '\'') {
			cvb_buf_setlen(&t, n - 1);
			continue;
		}
		if (c == ')' || c == ']') {
			open_paren = open_br = 0;
			for (i = 0; i < n; i++) {
				if (t.buf[i] == '(') open_paren++;
				else if (t.buf[i] == ')') open_paren--;
				else if (t.buf[i] == '[') open_br++;
				else if (t.buf[i] == ']') open_br--;
			}
			if ((c == ')' && open_paren < 0) || (c == ']' && open_br < 0)) {
				cvb_buf_setlen(&t, n - 1);
				continue;
			}
		}
		break;
	}
	plen = doi_prefix_len(t.buf);
	if (plen == 0 || t.len <= plen + 1) {
		cvbib_buf_release(&t);
		return false;
	}
	cvb_buf_add(out, t.buf, t.len);
	cvbib_buf_release(&t);
	return !out->err;
}

bool
cvb_doi_find(const char *text, struct cvb_buf *out)
{
	const char *p;

	cvb_buf_reset(out);
	if (text == NULL)
		return false;
	for (p = text; (p = strstr(p, "10.")) != NULL; p++) {
		const char *e;
		char *cand;
		bool ok;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		if (doi_prefix_len(p) == 0)
			continue;
		e = p;
		while (*e != '\0' && !isspace((unsigned char)*e) && *e != '"' && *e != '<' &&
		    *e != '>' && *e != '?' && *e != '#' && *e != '}')
			e++;
		cand = strndup(p, (size_t)(e - p));
		if (cand == NULL)
			return false;
		/* a DOI inside a URL may be percent-encoded */
		{
			struct cvb_buf u = CVB_BUF_INIT;

			cvb_buf_addf(&u, "%s%s", strstr(text, "://") && p > text && p[-1] == '/' ?
			    "https://doi.org/" : "", cand);
			ok = !u.err && cvb_doi_normalize(u.buf, out);
			cvbib_buf_release(&u);
		}
		free(cand);
		if (ok)
			return true;
	}
	return false;
}

/* A DOI in a URL field: a doi.org link, or a publisher's .../doi/[abs/]10... */
static bool
doi_from_url(const char *url, struct cvb_buf *out)
{
	const char *p;

	if (url == NULL)
		return false;
	if (strcasestr(url, "doi.org/") != NULL)
		return cvb_doi_find(url, out);
	p = strcasestr(url, "/doi/");
	if (p != NULL)
		return cvb_doi_find(p, out);
	return false;
}

/* A DOI in a note: "doi:10...", "DOI 10...", or a doi.org link. */
static bool
doi_from_note(const char *note, struct cvb_buf *out)
{
	const char *p;

	if (note == NULL)
		return false;
	if ((p = strcasestr(note, "doi")) == NULL)
		return false;
	return cvb_doi_find(p, out);
}

/* ------------------------------------------------------ folding, similarity */

void
cvb_fold_text(struct cvb_buf *out, const char *s)
{
	struct cvb_buf plain = CVB_BUF_INIT;
	const char *p, *end;
	bool space = true;

	cvb_buf_reset(out);
	if (s == NULL)
		return;
	/* markup first: CSL rich text, and any HTML/JATS/MathML left over */
	cvb_markup_to_rich(&plain, s, true);
	p = plain.buf;
	end = p + plain.len;
	while (p < end) {
		uint32_t cp;
		int n;

		if (*p == '\\') {	/* a LaTeX command: drop its name */
			p++;
			while (p < end && isalpha((unsigned char)*p))
				p++;
			continue;
		}
		n = cvb_utf8_decode(p, (size_t)(end - p), &cp);
		if (cp < 0x80) {
			if (isalnum((int)cp)) {
				cvb_buf_addch(out, tolower((int)cp));
				space = false;
			} else if (!space && cp != '{' && cp != '}' && cp != '\'') {
				cvb_buf_addch(out, ' ');
				space = true;
			}
		} else if (cp >= 0x300 && cp <= 0x36F) {
			/* combining mark: dropped */
		} else if (cvb_uc_fold_ascii(cp) != NULL && *cvb_uc_fold_ascii(cp) != '\0') {
			const char *f;

			for (f = cvb_uc_fold_ascii(cp); *f != '\0'; f++)
				cvb_buf_addch(out, (char)tolower((unsigned char)*f));
			space = false;
		} else if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 || (cp >= 0x80 && cp < 0xC0) ||
		    cp == 0xD7 || cp == 0xF7 || cp == 0x3000 || cp == 0xFEFF) {
			if (!space)
				cvb_buf_addch(out, ' ');
			space = true;
		} else {
			cvb_buf_add(out, p, (size_t)n);
			space = false;
		}
		p += n;
	}
	while (out->len > 0 && out->buf[out->len - 1] == ' ')
		cvb_buf_setlen(out, out->len - 1);
	cvbib_buf_release(&plain);
}

/* 1 - Levenshtein distance / longer length, on bytes of folded strings. */
static double
similarity_folded(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i, j, *row, longer;
	double r;

	if (na > 2000)
		na = 2000;
	if (nb > 2000)
		nb = 2000;
	longer = na > nb ? na : nb;
	if (longer == 0)
		return 0;
	row = malloc((nb + 1) * sizeof(*row));
	if (row == NULL)
		return 0;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	r = 1.0 - (double)row[nb] / (double)longer;
	free(row);
	return r;
}

double
cvb_title_similarity(const char *a, const char *b)
{
	struct cvb_buf fa = CVB_BUF_INIT, fb = CVB_BUF_INIT;
	double r;

	cvb_fold_text(&fa, a);
	cvb_fold_text(&fb, b);
	r = fa.err || fb.err ? 0 : similarity_folded(fa.buf, fa.len, fb.buf, fb.len);
	cvbib_buf_release(&fa);
	cvbib_buf_release(&fb);
	return r;
}

/* ---------------------------------------------------- markup to rich text */

struct conv {
	struct cvb_buf	*out;
	bool		 plain;
	bool		 after_math;	/* a space is due if text follows */
};

static void conv_node(struct conv *, xmlNode *);

static const char *
local_name(const xmlNode *n)
{
	const char *s = (const char *)n->name, *c = strrchr(s, ':');

	return c ? c + 1 : s;
}

static void
conv_text(struct conv *c, const char *s)
{
	if (c->after_math) {
		if (isalnum((unsigned char)*s))
			cvb_buf_addch(c->out, ' ');
		c->after_math = false;
	}
	cvb_buf_adds(c->out, s);
}

static void
conv_wrap(struct conv *c, xmlNode *n, enum cvb_rtag tag)
{
	xmlNode *k;

	if (!c->plain)
		cvb_buf_adds(c->out, cvb_rich_open_text(tag));
	for (k = n->children; k != NULL; k = k->next)
		conv_node(c, k);
	if (!c->plain)
		cvb_buf_adds(c->out, cvb_rich_close_text(tag));
}

static void
conv_children(struct conv *c, xmlNode *n)
{
	xmlNode *k;

	for (k = n->children; k != NULL; k = k->next)
		conv_node(c, k);
}

static xmlNode *
elem_child(xmlNode *n, int idx)
{
	xmlNode *k;

	for (k = n ? n->children : NULL; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE && idx-- == 0)
			return k;
	return NULL;
}

static void conv_math(struct conv *c, xmlNode *n);

/* A sub- or superscript, unless it is <none/> or empty. */
static void
conv_script(struct conv *c, xmlNode *n, enum cvb_rtag tag)
{
	size_t at = c->out->len;

	if (n == NULL || strcmp(local_name(n), "none") == 0)
		return;
	if (!c->plain)
		cvb_buf_adds(c->out, cvb_rich_open_text(tag));
	conv_math(c, n);
	if (!c->plain) {
		if (c->out->len == at + strlen(cvb_rich_open_text(tag)))
			cvb_buf_setlen(c->out, at);
		else
			cvb_buf_adds(c->out, cvb_rich_close_text(tag));
	}
}

static void
conv_math(struct conv *c, xmlNode *n)
{
	const char *name = local_name(n);
	xmlNode *k;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		const char *s = (const char *)n->content;

		/* MathML layout white space is not content */
		while (*s && isspace((unsigned char)*s))
			s++;
		if (*s) {
			const char *e = s + strlen(s);

			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			cvb_buf_add(c->out, s, (size_t)(e - s));
		}
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (strcmp(name, "annotation") == 0 || strcmp(name, "annotation-xml") == 0 ||
	    strcmp(name, "none") == 0 || strcmp(name, "mprescripts") == 0)
		return;
	if (strcmp(name, "semantics") == 0) {
		if ((k = elem_child(n, 0)) != NULL)
			conv_math(c, k);
		return;
	}
	if (strcmp(name, "msup") == 0 || strcmp(name, "msub") == 0 ||
	    strcmp(name, "msubsup") == 0 || strcmp(name, "munder") == 0 ||
	    strcmp(name, "mover") == 0 || strcmp(name, "munderover") == 0) {
		bool sup = strcmp(name, "msup") == 0 || strcmp(name, "mover") == 0;
		xmlNode *base = elem_child(n, 0), *s1 = elem_child(n, 1), *s2 = elem_child(n, 2);

		if (base)
			conv_math(c, base);
		conv_script(c, s1, sup ? CVB_R_SUP : CVB_R_SUB);
		conv_script(c, s2, CVB_R_SUP);
		return;
	}
	if (strcmp(name, "mmultiscripts") == 0) {
		/* base (postsub postsup)* <mprescripts/> (presub presup)* */
		xmlNode *kids[32];
		int nk = 0, pre = -1, i, npost;

		for (k = n->children; k != NULL && nk < 32; k = k->next)
			if (k->type == XML_ELEMENT_NODE) {
				if (strcmp(local_name(k), "mprescripts") == 0)
					pre = nk;
				kids[nk++] = k;
			}
		if (nk == 0)
			return;
		npost = pre >= 0 ? pre : nk;
		if (pre >= 0)
			for (i = pre + 1; i < nk; i += 2) {
				conv_script(c, kids[i], CVB_R_SUB);
				if (i + 1 < nk)
					conv_script(c, kids[i + 1], CVB_R_SUP);
			}
		conv_math(c, kids[0]);
		for (i = 1; i < npost; i += 2) {
			conv_script(c, kids[i], CVB_R_SUB);
			if (i + 1 < npost)
				conv_script(c, kids[i + 1], CVB_R_SUP);
		}
		return;
	}
	for (k = n->children; k != NULL; k = k->next)
		conv_math(c, k);
}

static bool
attr_has(xmlNode *n, const char *attr, const char *needle)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	bool r = v != NULL && strstr((const char *)v, needle) != NULL;

	xmlFree(v);
	return r;
}

static void
conv_node(struct conv *c, xmlNode *n)
{
	const char *name;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			conv_text(c, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	name = local_name(n);
	if (strcasecmp(name, "i") == 0 || strcasecmp(name, "em") == 0 || strcasecmp(name, "italic") == 0)
		conv_wrap(c, n, CVB_R_I);
	else if (strcasecmp(name, "b") == 0 || strcasecmp(name, "strong") == 0 || strcasecmp(name, "bold") == 0)
		conv_wrap(c, n, CVB_R_B);
	else if (strcasecmp(name, "sup") == 0)
		conv_wrap(c, n, CVB_R_SUP);
	else if (strcasecmp(name, "sub") == 0)
		conv_wrap(c, n, CVB_R_SUB);
	else if (strcasecmp(name, "sc") == 0 || strcasecmp(name, "scp") == 0 || strcasecmp(name, "small-caps") == 0)
		conv_wrap(c, n, CVB_R_SC);
	else if (strcasecmp(name, "span") == 0 && attr_has(n, "class", "nocase"))
		conv_wrap(c, n, CVB_R_NOCASE);
	else if (strcasecmp(name, "span") == 0 && attr_has(n, "style", "small-caps"))
		conv_wrap(c, n, CVB_R_SC);
	else if (strcasecmp(name, "math") == 0) {
		size_t l = c->out->len;

		if (c->after_math || (l > 0 && !isspace((unsigned char)c->out->buf[l - 1]) &&
		    c->out->buf[l - 1] != '(' && c->out->buf[l - 1] != '>'))
			cvb_buf_addch(c->out, ' ');
		c->after_math = false;
		conv_math(c, n);
		c->after_math = true;
	} else if (strcasecmp(name, "title") == 0 || strcasecmp(name, "script") == 0 ||
	    strcasecmp(name, "style") == 0 || strcasecmp(name, "label") == 0 ||
	    strcasecmp(name, "xref") == 0 || strcasecmp(name, "fn") == 0) {
		/* abstract headings, labels and footnote marks are not text */
	} else if (strcasecmp(name, "p") == 0 || strcasecmp(name, "br") == 0 ||
	    strcasecmp(name, "sec") == 0 || strcasecmp(name, "div") == 0) {
		cvb_buf_addch(c->out, ' ');
		c->after_math = false;
		conv_children(c, n);
		cvb_buf_addch(c->out, ' ');
	} else
		conv_children(c, n);
}

/* Collapse white space; drop it inside the ends of sub/sup, move it out of i/b. */
static void
tidy_space(struct cvb_buf *out, const char *s, size_t len)
{
	size_t i;
	bool space = false;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f') {
			space = true;
			continue;
		}
		/* a '<' with no '>' after it is a literal, handled below */
		if (ch == '<' && s[i + 1] == '/' && memchr(s + i, '>', len - i) != NULL) {
			size_t e = i;

			while (e < len && s[e] != '>')
				e++;
			cvb_buf_add(out, s + i, e < len ? e - i + 1 : len - i);
			i = e < len ? e : len - 1;
			if (space && i >= 3 && strncmp(s + i - 3, "sub>", 4) != 0 &&
			    strncmp(s + i - 3, "sup>", 4) != 0)
				continue;	/* keep 'space' pending: it moves after the closer */
			space = false;
			continue;
		}
		if (space && out->len > 0)
			cvb_buf_addch(out, ' ');
		space = false;
		if (ch == '<' && s[i + 1] != '/' && memchr(s + i, '>', len - i) != NULL) {
			/* an opening tag: white space right after it is dropped */
			size_t e = i;

			while (e < len && s[e] != '>')
				e++;
			cvb_buf_add(out, s + i, e < len ? e - i + 1 : len - i);
			i = e < len ? e : len - 1;
			while (i + 1 < len && isspace((unsigned char)s[i + 1]))
				i++;
			continue;
		}
		cvb_buf_addch(out, (int)ch);
	}
}

void
cvb_markup_to_rich(struct cvb_buf *out, const char *s, bool plain)
{
	struct cvb_buf tmp = CVB_BUF_INIT, wrapped = CVB_BUF_INIT;
	htmlDocPtr doc;

	if (s == NULL)
		return;
	if (strchr(s, '<') == NULL && strchr(s, '&') == NULL) {
		tidy_space(out, s, strlen(s));
		return;
	}
	cvb_buf_addf(&wrapped, "<html><body><div>%s</div></body></html>", s);
	if (wrapped.err) {
		cvbib_buf_release(&wrapped);
		return;
	}
	doc = htmlReadMemory(wrapped.buf, (int)wrapped.len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET);
	cvbib_buf_release(&wrapped);
	if (doc == NULL) {
		tidy_space(out, s, strlen(s));
		return;
	}
	{
		struct conv c = { &tmp, plain, false };
		xmlNode *root = xmlDocGetRootElement(doc);

		if (root != NULL)
			conv_children(&c, root);
	}
	xmlFreeDoc(doc);
	tidy_space(out, tmp.buf, tmp.len);
	cvbib_buf_release(&tmp);
}

/* ------------------------------------------------------------- mapping */

static struct cvb_item *
item_detached(cvbib_biblio *b)
{
	struct cvb_item *it = cvb_arena_alloc(&b->arena, sizeof(*it));

	if (it != NULL) {
		it->extra_tail = &it->extra;
		it->notes_tail = &it->notes;
	}
	return it;
}

static const char *
jstr(json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string, or the first string of an array. */
static const char *
jfirst(json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

/* A string or a number as text. */
static const char *
jnumstr(cvbib_biblio *b, json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	if (json_is_string(v) && json_string_length(v) > 0)
		return json_string_value(v);
	if (json_is_integer(v))
		return cvb_arena_printf(&b->arena, "%lld", (long long)json_integer_value(v));
	return NULL;
}

static void
set_text(cvbib_biblio *b, struct cvb_item *it, enum cvb_var v, const char *s, bool plain)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (s == NULL)
		return;
	cvb_markup_to_rich(&t, s, plain);
	if (!t.err && t.len > 0)
		cvb_item_setn(b, it, v, t.buf, t.len);
	cvbib_buf_release(&t);
}

/* Page ranges with an en dash or a hyphen run become "a-b". */
static void
set_page(cvbib_biblio *b, struct cvb_item *it, const char *s)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p;

	if (s == NULL || *s == '\0')
		return;
	for (p = s; *p; p++) {
		if (strncmp(p, "\xe2\x80\x93", 3) == 0 || strncmp(p, "\xe2\x80\x94", 3) == 0) {
			cvb_buf_addch(&t, '-');
			p += 2;
		} else if (*p == '-' && t.len > 0 && t.buf[t.len - 1] == '-')
			continue;
		else
			cvb_buf_addch(&t, *p);
	}
	if (!t.err)
		cvb_item_setn(b, it, CVB_V_PAGE, t.buf, t.len);
	cvbib_buf_release(&t);
}

static struct cvb_date *
date_from_parts(cvbib_biblio *b, json_t *dp)
{
	struct cvb_date *d;
	json_t *first;
	size_t i;

	if (!json_is_object(dp))
		return NULL;
	first = json_array_get(json_object_get(dp, "date-parts"), 0);
	if (!json_is_array(first) || !json_is_integer(json_array_get(first, 0)))
		return NULL;
	d = cvb_date_new(b);
	if (d == NULL)
		return NULL;
	for (i = 0; i < 3 && i < json_array_size(first); i++) {
		json_t *v = json_array_get(first, i);
		long long n;

		if (json_is_integer(v))
			n = json_integer_value(v);
		else if (json_is_string(v))
			n = atoll(json_string_value(v));
		else
			break;
		if (n == 0 || n < -9999 || n > 9999 || (i == 1 && n > 12) || (i == 2 && n > 31))
			break;
		d->parts[0][i] = (int)n;
		d->nparts[0] = (int)i + 1;
	}
	return d->nparts[0] > 0 ? d : NULL;
}

static bool
same_date(const struct cvb_date *a, const struct cvb_date *b)
{
	int i;

	if (a == NULL || b == NULL || a->nparts[0] != b->nparts[0])
		return false;
	for (i = 0; i < a->nparts[0]; i++)
		if (a->parts[0][i] != b->parts[0][i])
			return false;
	return true;
}

/* "SMITH" -> "Smith" when a name part is all capitals (ASCII letters). */
static const char *
decaps(cvbib_biblio *b, const char *s)
{
	const char *p;
	char *r;
	int letters = 0;
	bool word_start = true;

	if (s == NULL)
		return NULL;
	for (p = s; *p; p++) {
		if ((unsigned char)*p >= 0x80 || islower((unsigned char)*p))
			return s;
		if (isupper((unsigned char)*p))
			letters++;
	}
	if (letters < 2)
		return s;
	r = cvb_arena_strdup(&b->arena, s);
	if (r == NULL)
		return s;
	for (p = r; *p; p++) {
		char *q = (char *)p;

		if (isalpha((unsigned char)*q)) {
			if (!word_start)
				*q = (char)tolower((unsigned char)*q);
			word_start = false;
		} else
			word_start = *q != '\'';
	}
	return r;
}

static struct cvb_name *
name_new(cvbib_biblio *b, const char *family, const char *given, const char *suffix,
    const char *literal, bool org)
{
	struct cvb_name *n = cvb_name_new(b);
	struct cvb_buf t = CVB_BUF_INIT;

	if (n == NULL)
		return NULL;
	if (literal != NULL) {
		cvb_markup_to_rich(&t, literal, true);
		n->literal = cvb_arena_strdup(&b->arena, t.buf);
		if (org)
			n->flags |= CVB_NF_INSTITUTION;
	} else {
		if (family == NULL) {
			family = given;
			given = NULL;
		}
		/* names occasionally carry entities or tags too */
		if (family != NULL && strpbrk(family, "<&") != NULL) {
			cvb_markup_to_rich(&t, family, true);
			family = cvb_arena_strdup(&b->arena, t.buf);
			cvb_buf_reset(&t);
		}
		if (given != NULL && strpbrk(given, "<&") != NULL) {
			cvb_markup_to_rich(&t, given, true);
			given = cvb_arena_strdup(&b->arena, t.buf);
			cvb_buf_reset(&t);
		}
		n->family = family ? cvb_arena_strdup(&b->arena, decaps(b, family)) : NULL;
		n->given = given ? cvb_arena_strdup(&b->arena, decaps(b, given)) : NULL;
		n->suffix = suffix ? cvb_arena_strdup(&b->arena, suffix) : NULL;
	}
	cvbib_buf_release(&t);
	return n;
}

static void
cr_names(cvbib_biblio *b, struct cvb_item *it, enum cvb_nvar v, json_t *arr)
{
	size_t i;
	json_t *p;

	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, p) {
		const char *family = jstr(p, "family"), *given = jstr(p, "given"), *name = jstr(p, "name");
		struct cvb_name *n;

		if (family == NULL && given == NULL && name == NULL)
			continue;
		if (family == NULL && given == NULL)
			n = name_new(b, NULL, NULL, NULL, name, true);
		else
			n = name_new(b, family, given, jstr(p, "suffix"), NULL, false);
		if (n != NULL)
			cvb_item_add_name(it, v, n);
	}
}

static enum cvb_type
crossref_type(const char *t, const char *subtype)
{
	static const struct { const char *cr; enum cvb_type csl; } map[] = {
		{ "journal-article", CVB_T_ARTICLE_JOURNAL },
		{ "proceedings-article", CVB_T_PAPER_CONFERENCE },
		{ "book-chapter", CVB_T_CHAPTER }, { "book-section", CVB_T_CHAPTER },
		{ "book-part", CVB_T_CHAPTER }, { "book-track", CVB_T_CHAPTER },
		{ "reference-entry", CVB_T_ENTRY_ENCYCLOPEDIA },
		{ "book", CVB_T_BOOK }, { "monograph", CVB_T_BOOK }, { "edited-book", CVB_T_BOOK },
		{ "reference-book", CVB_T_BOOK }, { "book-set", CVB_T_BOOK }, { "book-series", CVB_T_BOOK },
		{ "proceedings", CVB_T_BOOK }, { "proceedings-series", CVB_T_BOOK },
		{ "report", CVB_T_REPORT }, { "report-component", CVB_T_REPORT },
		{ "report-series", CVB_T_REPORT },
		{ "dissertation", CVB_T_THESIS },
		{ "dataset", CVB_T_DATASET }, { "database", CVB_T_DATASET },
		{ "standard", CVB_T_STANDARD },
		{ "peer-review", CVB_T_REVIEW },
		{ "journal", CVB_T_PERIODICAL }, { "journal-volume", CVB_T_PERIODICAL },
		{ "journal-issue", CVB_T_PERIODICAL },
		{ "component", CVB_T_DOCUMENT }, { "grant", CVB_T_DOCUMENT }, { "other", CVB_T_DOCUMENT },
	};
	size_t i;

	if (t == NULL)
		return CVB_T_NONE;
	if (strcmp(t, "posted-content") == 0)
		return subtype == NULL || strcmp(subtype, "preprint") == 0 ||
		    strcmp(subtype, "working-paper") == 0 ? CVB_T_ARTICLE : CVB_T_POST;
	for (i = 0; i < CVB_ARRAY_SIZE(map); i++)
		if (strcmp(map[i].cr, t) == 0)
			return map[i].csl;
	return cvb_type_lookup(t);
}

static void
title_with_subtitle(cvbib_biblio *b, struct cvb_item *it, const char *title, const char *sub)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (title == NULL)
		return;
	cvb_markup_to_rich(&t, title, false);
	if (sub != NULL && *sub != '\0') {
		struct cvb_buf s = CVB_BUF_INIT;

		cvb_markup_to_rich(&s, sub, false);
		if (s.len > 0) {
			char last = t.len ? t.buf[t.len - 1] : ':';

			cvb_buf_adds(&t, last == ':' || last == '?' || last == '!' || last == '.' ? " " : ": ");
			cvb_buf_add(&t, s.buf, s.len);
		}
		cvbib_buf_release(&s);
	}
	if (!t.err && t.len > 0)
		cvb_item_setn(b, it, CVB_V_TITLE, t.buf, t.len);
	cvbib_buf_release(&t);
}

/*
 * The date rule (doc/enrich.md): issued is the print date when there is one
 * (the issue year users cite), else Crossref's issued (the earliest of print
 * and online), else the online date, else posted (preprints), else approved
 * (theses).  The online date goes to available-date when it differs.
 */
static void
cr_dates(cvbib_biblio *b, struct cvb_item *it, json_t *m)
{
	static const char *const order[] = {
		"published-print", "issued", "published-online", "posted", "approved",
	};
	struct cvb_date *online = date_from_parts(b, json_object_get(m, "published-online"));
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(order) && it->date[CVB_DV_ISSUED] == NULL; i++)
		it->date[CVB_DV_ISSUED] = date_from_parts(b, json_object_get(m, order[i]));
	if (online != NULL && it->date[CVB_DV_ISSUED] != NULL &&
	    !same_date(online, it->date[CVB_DV_ISSUED]))
		it->date[CVB_DV_AVAILABLE_DATE] = online;
}

static struct cvb_item *
map_crossref(cvbib_biblio *b, json_t *m)
{
	struct cvb_item *it;
	const char *type = jstr(m, "type"), *doi = jstr(m, "DOI"), *s;
	json_t *ev, *inst;

	if (!json_is_object(m) || doi == NULL)
		return NULL;
	it = item_detached(b);
	if (it == NULL)
		return NULL;
	it->type = crossref_type(type, jstr(m, "subtype"));
	cvb_item_set(b, it, CVB_V_DOI, doi);
	title_with_subtitle(b, it, jfirst(m, "title"), jfirst(m, "subtitle"));
	set_text(b, it, CVB_V_TITLE_SHORT, jfirst(m, "short-title"), false);
	set_text(b, it, CVB_V_CONTAINER_TITLE, jfirst(m, "container-title"), false);
	s = jfirst(m, "short-container-title");
	if (s != NULL && (it->str[CVB_V_CONTAINER_TITLE] == NULL ||
	    strcmp(s, it->str[CVB_V_CONTAINER_TITLE]) != 0))
		set_text(b, it, CVB_V_CONTAINER_TITLE_SHORT, s, false);
	cr_names(b, it, CVB_NV_AUTHOR, json_object_get(m, "author"));
	cr_names(b, it, CVB_NV_EDITOR, json_object_get(m, "editor"));
	cr_names(b, it, CVB_NV_TRANSLATOR, json_object_get(m, "translator"));
	cr_names(b, it, CVB_NV_CHAIR, json_object_get(m, "chair"));
	cr_dates(b, it, m);
	set_page(b, it, jstr(m, "page") ? jstr(m, "page") : jstr(m, "article-number"));
	set_text(b, it, CVB_V_VOLUME, jstr(m, "volume"), true);
	set_text(b, it, CVB_V_ISSUE, jstr(m, "issue"), true);
	set_text(b, it, CVB_V_EDITION, jstr(m, "edition-number"), true);
	set_text(b, it, CVB_V_PUBLISHER, jstr(m, "publisher"), true);
	set_text(b, it, CVB_V_PUBLISHER_PLACE, jstr(m, "publisher-location"), true);
	set_text(b, it, CVB_V_ISSN, jfirst(m, "ISSN"), true);
	set_text(b, it, CVB_V_ISBN, jfirst(m, "ISBN"), true);
	set_text(b, it, CVB_V_LANGUAGE, jstr(m, "language"), true);
	set_text(b, it, CVB_V_ABSTRACT, jstr(m, "abstract"), true);
	s = jstr(m, "URL");
	cvb_item_set(b, it, CVB_V_URL, s ? s : cvb_arena_printf(&b->arena, "https://doi.org/%s", doi));
	ev = json_object_get(m, "event");
	if (json_is_object(ev)) {
		set_text(b, it, CVB_V_EVENT_TITLE, jstr(ev, "name"), true);
		set_text(b, it, CVB_V_EVENT_PLACE, jstr(ev, "location"), true);
		it->date[CVB_DV_EVENT_DATE] = date_from_parts(b, json_object_get(ev, "start"));
	}
	inst = json_array_get(json_object_get(m, "institution"), 0);
	if (it->type == CVB_T_THESIS) {
		if (jstr(inst, "name") != NULL)
			set_text(b, it, CVB_V_PUBLISHER, jstr(inst, "name"), true);
		set_text(b, it, CVB_V_GENRE, jfirst(m, "degree"), true);
	} else if (type != NULL && strcmp(type, "posted-content") == 0 && jstr(inst, "name") != NULL) {
		/* the preprint server (bioRxiv, ...) is what styles show */
		set_text(b, it, CVB_V_PUBLISHER, jstr(inst, "name"), true);
	}
	return it;
}

static enum cvb_type
datacite_type(json_t *types)
{
	static const struct { const char *rtg; enum cvb_type csl; } map[] = {
		{ "Preprint", CVB_T_ARTICLE }, { "Dataset", CVB_T_DATASET },
		{ "Software", CVB_T_SOFTWARE }, { "ConferencePaper", CVB_T_PAPER_CONFERENCE },
		{ "JournalArticle", CVB_T_ARTICLE_JOURNAL }, { "Journal", CVB_T_PERIODICAL },
		{ "Book", CVB_T_BOOK }, { "BookChapter", CVB_T_CHAPTER },
		{ "Report", CVB_T_REPORT }, { "Dissertation", CVB_T_THESIS },
		{ "Image", CVB_T_GRAPHIC }, { "Audiovisual", CVB_T_MOTION_PICTURE },
		{ "Sound", CVB_T_SONG }, { "Standard", CVB_T_STANDARD },
		{ "PeerReview", CVB_T_REVIEW }, { "ConferenceProceeding", CVB_T_BOOK },
		{ "Text", CVB_T_DOCUMENT }, { "Collection", CVB_T_COLLECTION },
	};
	const char *cp = jstr(types, "citeproc"), *rtg = jstr(types, "resourceTypeGeneral");
	size_t i;

	if (rtg != NULL)
		for (i = 0; i < CVB_ARRAY_SIZE(map); i++)
			if (strcmp(map[i].rtg, rtg) == 0)
				return map[i].csl;
	if (cp != NULL && cvb_type_lookup(cp) != CVB_T_NONE)
		return cvb_type_lookup(cp);
	return CVB_T_DOCUMENT;
}

static struct cvb_item *
map_datacite(cvbib_biblio *b, json_t *data)
{
	json_t *a = json_object_get(data, "attributes"), *v, *c;
	struct cvb_item *it;
	const char *doi = jstr(a, "doi"), *title = NULL, *sub = NULL, *s;
	size_t i;

	if (!json_is_object(a) || doi == NULL)
		return NULL;
	it = item_detached(b);
	if (it == NULL)
		return NULL;
	it->type = datacite_type(json_object_get(a, "types"));
	cvb_item_set(b, it, CVB_V_DOI, doi);
	json_array_foreach(json_object_get(a, "titles"), i, v) {
		const char *tt = jstr(v, "titleType");

		if (tt == NULL && title == NULL)
			title = jstr(v, "title");
		else if (tt != NULL && strcmp(tt, "Subtitle") == 0 && sub == NULL)
			sub = jstr(v, "title");
	}
	title_with_subtitle(b, it, title, sub);
	json_array_foreach(json_object_get(a, "creators"), i, v) {
		const char *nt = jstr(v, "nameType"), *fam = jstr(v, "familyName"),
		    *giv = jstr(v, "givenName"), *name = jstr(v, "name");
		struct cvb_name *n = NULL;

		if ((nt != NULL && strcmp(nt, "Organizational") == 0) || (fam == NULL && name != NULL &&
		    strchr(name, ',') == NULL))
			n = name ? name_new(b, NULL, NULL, NULL, name, true) : NULL;
		else if (fam != NULL)
			n = name_new(b, fam, giv, NULL, NULL, false);
		else if (name != NULL) {
			const char *comma = strchr(name, ',');
			char *f = cvb_arena_strndup(&b->arena, name, (size_t)(comma - name));
			const char *g = comma + 1;

			while (*g == ' ')
				g++;
			n = name_new(b, f, *g ? g : NULL, NULL, NULL, false);
		}
		if (n != NULL)
			cvb_item_add_name(it, CVB_NV_AUTHOR, n);
	}
	json_array_foreach(json_object_get(a, "contributors"), i, v) {
		const char *ct = jstr(v, "contributorType"), *fam = jstr(v, "familyName");

		if (ct != NULL && strcmp(ct, "Editor") == 0 && fam != NULL) {
			struct cvb_name *n = name_new(b, fam, jstr(v, "givenName"), NULL, NULL, false);

			if (n != NULL)
				cvb_item_add_name(it, CVB_NV_EDITOR, n);
		}
	}
	v = json_object_get(a, "publisher");
	set_text(b, it, CVB_V_PUBLISHER, json_is_string(v) ? json_string_value(v) : jstr(v, "name"), true);
	json_array_foreach(json_object_get(a, "dates"), i, v) {
		const char *dt = jstr(v, "dateType"), *d = jstr(v, "date");

		if (dt != NULL && d != NULL && strcmp(dt, "Issued") == 0 && it->date[CVB_DV_ISSUED] == NULL) {
			char buf[11];

			snprintf(buf, sizeof(buf), "%s", d);
			it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(b, buf);
		}
	}
	if (it->date[CVB_DV_ISSUED] == NULL && (s = jnumstr(b, a, "publicationYear")) != NULL)
		it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(b, s);
	c = json_object_get(a, "container");
	if (json_is_object(c)) {
		const char *fp = jstr(c, "firstPage"), *lp = jstr(c, "lastPage");

		set_text(b, it, CVB_V_CONTAINER_TITLE, jstr(c, "title"), false);
		set_text(b, it, CVB_V_VOLUME, jnumstr(b, c, "volume"), true);
		set_text(b, it, CVB_V_ISSUE, jnumstr(b, c, "issue"), true);
		if (fp != NULL)
			set_page(b, it, lp ? cvb_arena_printf(&b->arena, "%s-%s", fp, lp) : fp);
	}
	json_array_foreach(json_object_get(a, "identifiers"), i, v) {
		const char *t = jstr(v, "identifierType"), *id = jstr(v, "identifier");

		if (t != NULL && id != NULL && strcmp(t, "arXiv") == 0)
			cvb_item_set(b, it, CVB_V_NUMBER, cvb_arena_printf(&b->arena, "arXiv:%s", id));
	}
	json_array_foreach(json_object_get(a, "descriptions"), i, v) {
		const char *t = jstr(v, "descriptionType");

		if (t != NULL && strcmp(t, "Abstract") == 0 && it->str[CVB_V_ABSTRACT] == NULL)
			set_text(b, it, CVB_V_ABSTRACT, jstr(v, "description"), true);
	}
	set_text(b, it, CVB_V_VERSION, jstr(a, "version"), true);
	set_text(b, it, CVB_V_LANGUAGE, jstr(a, "language"), true);
	cvb_item_set(b, it, CVB_V_URL, cvb_arena_printf(&b->arena, "https://doi.org/%s", doi));
	return it;
}

/* CSL-JSON from content negotiation (JaLC, mEDRA, ...): rebuilt field by field. */
static struct cvb_item *
map_csl(cvbib_biblio *b, json_t *o)
{
	static const struct { const char *k; enum cvb_var v; bool plain; } strs[] = {
		{ "container-title", CVB_V_CONTAINER_TITLE, false },
		{ "volume", CVB_V_VOLUME, true }, { "issue", CVB_V_ISSUE, true },
		{ "publisher", CVB_V_PUBLISHER, true }, { "publisher-place", CVB_V_PUBLISHER_PLACE, true },
		{ "ISSN", CVB_V_ISSN, true }, { "ISBN", CVB_V_ISBN, true },
		{ "language", CVB_V_LANGUAGE, true }, { "URL", CVB_V_URL, true },
	};
	struct cvb_item *it;
	const char *doi = jstr(o, "DOI"), *t = jstr(o, "type");
	json_t *v;
	size_t i;

	if (!json_is_object(o) || doi == NULL)
		return NULL;
	it = item_detached(b);
	if (it == NULL)
		return NULL;
	it->type = t ? (cvb_type_lookup(t) != CVB_T_NONE ? cvb_type_lookup(t) : crossref_type(t, NULL))
	    : CVB_T_NONE;
	cvb_item_set(b, it, CVB_V_DOI, doi);
	title_with_subtitle(b, it, jfirst(o, "title"), jfirst(o, "subtitle"));
	for (i = 0; i < CVB_ARRAY_SIZE(strs); i++) {
		json_t *x = json_object_get(o, strs[i].k);

		if (json_is_array(x))
			x = json_array_get(x, 0);
		if (json_is_string(x))
			set_text(b, it, strs[i].v, json_string_value(x), strs[i].plain);
		else if (json_is_integer(x))
			cvb_item_set(b, it, strs[i].v, cvb_arena_printf(&b->arena, "%lld",
			    (long long)json_integer_value(x)));
	}
	if (it->str[CVB_V_ISSUE] == NULL && (t = jnumstr(b, o, "number")) != NULL)
		cvb_item_set(b, it, CVB_V_ISSUE, t);
	set_page(b, it, jnumstr(b, o, "page"));
	cr_names(b, it, CVB_NV_AUTHOR, json_object_get(o, "author"));
	cr_names(b, it, CVB_NV_EDITOR, json_object_get(o, "editor"));
	v = json_object_get(o, "issued");
	it->date[CVB_DV_ISSUED] = date_from_parts(b, v);
	/* literal names in CSL use "literal" */
	json_array_foreach(json_object_get(o, "author"), i, v) {
		const char *lit = jstr(v, "literal");

		if (lit != NULL) {
			struct cvb_name *n = name_new(b, NULL, NULL, NULL, lit, false);

			if (n != NULL)
				cvb_item_add_name(it, CVB_NV_AUTHOR, n);
		}
	}
	return it;
}

struct cvb_item *
cvb_enrich_map(cvbib_biblio *b, enum cvb_src src, json_t *msg)
{
	switch (src) {
	case CVB_SRC_CROSSREF:
		return map_crossref(b, msg);
	case CVB_SRC_DATACITE:
		return map_datacite(b, msg);
	case CVB_SRC_CSL:
		return map_csl(b, msg);
	}
	return NULL;
}

/* Parse an answer body; NULL unless it is JSON of the right shape. */
static json_t *
parse_body(const char *body, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)body[i]))
		i++;
	if (i == len || (body[i] != '{' && body[i] != '['))
		return NULL;
	return json_loadb(body, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
}

struct cvb_item *
cvb_enrich_map_text(cvbib_biblio *b, enum cvb_src src, const char *body, size_t len)
{
	json_t *j = parse_body(body, len), *m;
	struct cvb_item *it = NULL;

	if (j == NULL)
		return NULL;
	switch (src) {
	case CVB_SRC_CROSSREF:
		m = json_object_get(j, "message");
		if (json_is_object(json_object_get(m, "items") ? NULL : m))
			it = map_crossref(b, m);
		else {
			size_t i;
			json_t *x;

			json_array_foreach(json_object_get(m, "items"), i, x)
				it = map_crossref(b, x);
		}
		break;
	case CVB_SRC_DATACITE:
		it = map_datacite(b, json_object_get(j, "data"));
		break;
	case CVB_SRC_CSL:
		it = map_csl(b, json_is_array(j) ? json_array_get(j, 0) : j);
		break;
	}
	json_decref(j);
	return it;
}

/* --------------------------------------------------------------- merging */

static const struct { const char *alias, *name; } field_aliases[] = {
	{ "year", "issued" }, { "date", "issued" }, { "month", "issued" },
	{ "journal", "container-title" }, { "journaltitle", "container-title" },
	{ "booktitle", "container-title" }, { "pages", "page" },
	{ "doi", "DOI" }, { "url", "URL" }, { "isbn", "ISBN" }, { "issn", "ISSN" },
	{ "address", "publisher-place" }, { "location", "publisher-place" },
	{ "subtitle", "title" }, { "eventtitle", "event-title" },
};

/* Never touched, whatever --overwrite says. */
static bool
never_touched(enum cvb_var v)
{
	return v == CVB_V_NOTE || v == CVB_V_ANNOTE || v == CVB_V_CITATION_KEY ||
	    v == CVB_V_CITATION_LABEL || v == CVB_V_CITATION_NUMBER || v == CVB_V_KEYWORD ||
	    v == CVB_V_FIRST_REFERENCE_NOTE_NUMBER || v == CVB_V_LOCATOR || v == CVB_V_YEAR_SUFFIX;
}

/* The canonical name of a field in an --overwrite list, or NULL. */
static const char *
canonical_field(const char *name, size_t n)
{
	static char buf[64];
	struct cvb_varref r;
	size_t i;

	if (n == 0 || n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	for (i = 0; i < CVB_ARRAY_SIZE(field_aliases); i++)
		if (strcasecmp(buf, field_aliases[i].alias) == 0)
			return field_aliases[i].name;
	if (strcmp(buf, "type") == 0 || strcmp(buf, "all") == 0)
		return buf;
	r = cvb_var_lookup(buf);
	if (r.kind == CVB_VK_NONE)
		return NULL;
	switch (r.kind) {
	case CVB_VK_STR:
	case CVB_VK_NUM:
		return cvb_var_name((enum cvb_var)r.idx);
	case CVB_VK_DATE:
		return cvb_dvar_name((enum cvb_dvar)r.idx);
	default:
		return cvb_nvar_name((enum cvb_nvar)r.idx);
	}
}

const char *
cvb_enrich_check_fields(const char *list)
{
	static char bad[64];
	const char *p = list;

	if (list == NULL)
		return NULL;
	while (*p) {
		size_t n = strcspn(p, ", ");

		if (n > 0 && canonical_field(p, n) == NULL) {
			snprintf(bad, sizeof(bad), "%.*s", (int)n, p);
			return bad;
		}
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return NULL;
}

static bool
overwrites(const char *list, const char *field)
{
	const char *p = list;

	if (list == NULL)
		return false;
	while (*p) {
		size_t n = strcspn(p, ", ");
		const char *c = canonical_field(p, n);

		if (c != NULL && (strcmp(c, "all") == 0 || strcmp(c, field) == 0))
			return true;
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return false;
}

static bool
same_text(const char *a, const char *b)
{
	struct cvb_buf fa = CVB_BUF_INIT, fb = CVB_BUF_INIT;
	bool r;

	cvb_fold_text(&fa, a);
	cvb_fold_text(&fb, b);
	r = fa.len == fb.len && memcmp(fa.buf, fb.buf, fa.len) == 0;
	cvbib_buf_release(&fa);
	cvbib_buf_release(&fb);
	return r;
}

static const char *
name_key(const struct cvb_name *n)
{
	return n->family ? n->family : n->literal ? n->literal : n->given ? n->given : "";
}

static bool
same_names(const struct cvb_name *a, const struct cvb_name *b)
{
	for (; a != NULL && b != NULL; a = a->next, b = b->next)
		if (!same_text(name_key(a), name_key(b)))
			return false;
	return a == NULL && b == NULL;
}

static void
show_names(struct cvb_buf *o, const struct cvb_name *n)
{
	int i = 0;

	for (; n != NULL; n = n->next, i++) {
		if (i == 5) {
			cvb_buf_adds(o, "; ...");
			break;
		}
		if (i > 0)
			cvb_buf_adds(o, "; ");
		if (n->literal)
			cvb_buf_adds(o, n->literal);
		else {
			cvb_buf_adds(o, n->family ? n->family : "");
			if (n->given)
				cvb_buf_addf(o, ", %s", n->given);
		}
	}
}

static void
show_date(struct cvb_buf *o, const struct cvb_date *d)
{
	if (d->literal != NULL) {
		cvb_buf_adds(o, d->literal);
		return;
	}
	if (d->nparts[0] >= 1)
		cvb_buf_addf(o, "%04d", d->parts[0][0]);
	if (d->nparts[0] >= 2)
		cvb_buf_addf(o, "-%02d", d->parts[0][1]);
	if (d->nparts[0] >= 3)
		cvb_buf_addf(o, "-%02d", d->parts[0][2]);
}

struct change_ctx {
	cvb_change_fn	*fn;
	void		*ctx;
	int		 n;
};

static void
report(struct change_ctx *c, const char *field, struct cvb_buf *old, struct cvb_buf *nw)
{
	c->n++;
	if (c->fn != NULL)
		c->fn(c->ctx, field, old ? old->buf : NULL, nw->buf);
}

int
cvb_enrich_merge(cvbib_biblio *b, struct cvb_item *dst, const struct cvb_item *src,
    const char *overwrite, bool apply, cvb_change_fn *fn, void *ctx)
{
	struct change_ctx c = { fn, ctx, 0 };
	struct cvb_buf ov = CVB_BUF_INIT, nv = CVB_BUF_INIT;
	int i;

	(void)b;
	/* the type */
	if (src->type != CVB_T_NONE && src->type != dst->type &&
	    ((dst->type == CVB_T_NONE && dst->type_raw == NULL) || overwrites(overwrite, "type"))) {
		bool filled = dst->type == CVB_T_NONE && dst->type_raw == NULL;

		cvb_buf_reset(&ov);
		cvb_buf_reset(&nv);
		cvb_buf_adds(&ov, dst->type != CVB_T_NONE ? cvb_type_name(dst->type) :
		    dst->type_raw ? dst->type_raw : "");
		cvb_buf_adds(&nv, cvb_type_name(src->type));
		report(&c, "type", filled ? NULL : &ov, &nv);
		if (apply) {
			dst->type = src->type;
			dst->type_raw = NULL;
			dst->bibtype = NULL;
		}
	}
	/* string and number variables */
	for (i = 0; i < CVB_V__COUNT; i++) {
		const char *nvs = src->str[i], *ovs = dst->str[i];
		const char *field = cvb_var_name((enum cvb_var)i);
		bool fill;

		if (nvs == NULL || never_touched((enum cvb_var)i))
			continue;
		fill = ovs == NULL || *ovs == '\0';
		if (!fill) {
			if (i == CVB_V_DOI) {
				/* an alias: keep the DOI the registry returns */
				if (strcasecmp(ovs, nvs) == 0)
					continue;
			} else if (!overwrites(overwrite, field) || same_text(ovs, nvs) ||
			    strcmp(ovs, nvs) == 0)
				continue;
		}
		cvb_buf_reset(&ov);
		cvb_buf_reset(&nv);
		if (!fill)
			cvb_buf_adds(&ov, ovs);
		cvb_buf_adds(&nv, nvs);
		report(&c, field, fill ? NULL : &ov, &nv);
		if (apply)
			dst->str[i] = nvs;
	}
	/* dates */
	for (i = 0; i < CVB_DV__COUNT; i++) {
		const char *field = cvb_dvar_name((enum cvb_dvar)i);

		if (src->date[i] == NULL)
			continue;
		if (dst->date[i] != NULL && (!overwrites(overwrite, field) ||
		    same_date(dst->date[i], src->date[i])))
			continue;
		cvb_buf_reset(&ov);
		cvb_buf_reset(&nv);
		if (dst->date[i] != NULL)
			show_date(&ov, dst->date[i]);
		show_date(&nv, src->date[i]);
		report(&c, field, dst->date[i] ? &ov : NULL, &nv);
		if (apply)
			dst->date[i] = src->date[i];
	}
	/* names */
	for (i = 0; i < CVB_NV__COUNT; i++) {
		const char *field = cvb_nvar_name((enum cvb_nvar)i);

		if (src->names[i] == NULL)
			continue;
		if (dst->names[i] != NULL && (!overwrites(overwrite, field) ||
		    same_names(dst->names[i], src->names[i])))
			continue;
		cvb_buf_reset(&ov);
		cvb_buf_reset(&nv);
		if (dst->names[i] != NULL)
			show_names(&ov, dst->names[i]);
		show_names(&nv, src->names[i]);
		report(&c, field, dst->names[i] ? &ov : NULL, &nv);
		if (apply)
			dst->names[i] = src->names[i];
	}
	cvbib_buf_release(&ov);
	cvbib_buf_release(&nv);
	return c.n;
}

/* ------------------------------------------------------ search acceptance */

#define ACCEPT_TITLE	0.90	/* folded title similarity */
#define TIE_RATIO	0.95	/* second score >= this x first: a tie */

static bool
notice_title(const char *folded)
{
	static const char *const words[] = {
		"correction", "erratum", "errata", "corrigendum", "retraction", "retracted",
		"expression of concern", "withdrawn", "withdrawal", "reply to", "comment on",
		"response to", "addendum",
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(words); i++)
		if (strncmp(folded, words[i], strlen(words[i])) == 0)
			return true;
	return false;
}

static bool
junk_type(const char *t)
{
	static const char *const junk[] = {
		"journal", "journal-volume", "journal-issue", "component", "grant",
		"proceedings", "proceedings-series", "book-series", "book-set", "report-series",
		"peer-review",
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(junk); i++)
		if (strcmp(t, junk[i]) == 0)
			return true;
	return false;
}

/* Is a Crossref type compatible with the entry's CSL type? */
static bool
type_compatible(enum cvb_type et, const char *ct)
{
	static const struct { enum cvb_type t; const char *cr; } ok[] = {
		{ CVB_T_ARTICLE_JOURNAL, "journal-article" },
		{ CVB_T_PAPER_CONFERENCE, "proceedings-article" },
		{ CVB_T_PAPER_CONFERENCE, "book-chapter" },
		{ CVB_T_PAPER_CONFERENCE, "journal-article" },
		{ CVB_T_CHAPTER, "book-chapter" }, { CVB_T_CHAPTER, "book-section" },
		{ CVB_T_CHAPTER, "book-part" }, { CVB_T_CHAPTER, "reference-entry" },
		{ CVB_T_CHAPTER, "proceedings-article" },
		{ CVB_T_ENTRY_ENCYCLOPEDIA, "reference-entry" }, { CVB_T_ENTRY, "reference-entry" },
		{ CVB_T_BOOK, "book" }, { CVB_T_BOOK, "monograph" }, { CVB_T_BOOK, "edited-book" },
		{ CVB_T_BOOK, "reference-book" },
		{ CVB_T_REPORT, "report" }, { CVB_T_REPORT, "report-component" },
		{ CVB_T_REPORT, "posted-content" },
		{ CVB_T_THESIS, "dissertation" },
		{ CVB_T_ARTICLE, "posted-content" }, { CVB_T_MANUSCRIPT, "posted-content" },
		{ CVB_T_DATASET, "dataset" }, { CVB_T_DATASET, "database" },
		{ CVB_T_STANDARD, "standard" }, { CVB_T_REVIEW, "peer-review" },
	};
	size_t i;
	bool listed = false;

	if (ct == NULL)
		return false;
	for (i = 0; i < CVB_ARRAY_SIZE(ok); i++)
		if (ok[i].t == et) {
			listed = true;
			if (strcmp(ok[i].cr, ct) == 0)
				return true;
		}
	/* entries of other or no type: any type but the junk targets */
	return !listed && !junk_type(ct);
}

static int
cand_year_near(cvbib_biblio *b, json_t *c, int year, int *seen)
{
	static const char *const keys[] = {
		"issued", "published-print", "published-online", "posted", "approved",
	};
	size_t i;
	int hit = 0;

	*seen = 0;
	for (i = 0; i < CVB_ARRAY_SIZE(keys); i++) {
		struct cvb_date *d = date_from_parts(b, json_object_get(c, keys[i]));

		if (d == NULL)
			continue;
		if (*seen == 0)
			*seen = d->parts[0][0];
		if (year != 0 && abs(d->parts[0][0] - year) <= 1)
			hit = 1;
	}
	return hit;
}

static bool
family_match(const char *entry_folded, const char *cand)
{
	struct cvb_buf f = CVB_BUF_INIT;
	size_t ne = strlen(entry_folded);
	bool r;

	cvb_fold_text(&f, cand);
	r = (f.len == ne && memcmp(f.buf, entry_folded, ne) == 0) ||
	    (f.len > ne && f.buf[f.len - ne - 1] == ' ' && strcmp(f.buf + f.len - ne, entry_folded) == 0) ||
	    (ne > f.len && f.len > 0 && entry_folded[ne - f.len - 1] == ' ' &&
	     strcmp(entry_folded + ne - f.len, f.buf) == 0);
	cvbib_buf_release(&f);
	return r;
}

/*
 * Check one candidate against the entry.  Returns true when it passes the bar;
 * why gets the reasons it fails (or its summary).
 */
static bool
judge(cvbib_biblio *b, const struct cvb_item *it, json_t *c, struct cvb_buf *why)
{
	const struct cvb_name *first = it->names[CVB_NV_AUTHOR] ? it->names[CVB_NV_AUTHOR]
	    : it->names[CVB_NV_EDITOR];
	struct cvb_buf ef = CVB_BUF_INIT, ct = CVB_BUF_INIT, tf = CVB_BUF_INIT;
	const char *type = jstr(c, "type");
	double sim = 0;
	bool ok = true, author = false;
	int year = cvb_item_year(it), cy = 0;
	size_t i;
	json_t *t, *names;

	cvb_buf_reset(why);
	/* title, alone and with the subtitle, against each of the candidate's titles */
	json_array_foreach(json_object_get(c, "title"), i, t) {
		double s;

		if (!json_is_string(t))
			continue;
		s = cvb_title_similarity(it->str[CVB_V_TITLE], json_string_value(t));
		if (s > sim)
			sim = s;
		if (jfirst(c, "subtitle") != NULL) {
			cvb_buf_reset(&ct);
			cvb_buf_addf(&ct, "%s: %s", json_string_value(t), jfirst(c, "subtitle"));
			s = cvb_title_similarity(it->str[CVB_V_TITLE], ct.buf);
			if (s > sim)
				sim = s;
		}
	}
	if (sim < ACCEPT_TITLE) {
		cvb_buf_addf(why, "title similarity %.2f is below %.2f; ", sim, ACCEPT_TITLE);
		ok = false;
	}
	/* the first author */
	if (first == NULL) {
		cvb_buf_adds(why, "the entry has no author to compare; ");
		ok = false;
	} else {
		int k = 0;

		cvb_fold_text(&ef, name_key(first));
		names = json_object_get(c, "author");
		if (json_array_size(names) == 0)
			names = json_object_get(c, "editor");
		json_array_foreach(names, i, t) {
			const char *fam = jstr(t, "family") ? jstr(t, "family") : jstr(t, "name");

			if (k++ == 3)
				break;
			if (fam != NULL && ef.len > 0 && family_match(ef.buf, fam))
				author = true;
		}
		if (!author) {
			cvb_buf_addf(why, "first author '%s' is not among the first authors of the candidate; ",
			    name_key(first));
			ok = false;
		}
	}
	/* the year */
	if (!cand_year_near(b, c, year, &cy)) {
		if (year == 0)
			cvb_buf_adds(why, "the entry has no year to compare; ");
		else
			cvb_buf_addf(why, "year %d is not within one of %d; ", cy, year);
		ok = false;
	}
	/* the type */
	if (!type_compatible(it->type, type)) {
		cvb_buf_addf(why, "type '%s' does not fit '%s'; ", type ? type : "?",
		    it->type != CVB_T_NONE ? cvb_type_name(it->type) : "(none)");
		ok = false;
	}
	/* corrections and retractions */
	cvb_fold_text(&tf, jfirst(c, "title"));
	cvb_fold_text(&ef, it->str[CVB_V_TITLE]);
	if ((json_array_size(json_object_get(c, "update-to")) > 0 || notice_title(tf.buf)) &&
	    !notice_title(ef.buf)) {
		cvb_buf_adds(why, "it is a correction or retraction notice; ");
		ok = false;
	}
	if (why->len >= 2)
		cvb_buf_setlen(why, why->len - 2);
	else
		cvb_buf_addf(why, "title similarity %.2f", sim);
	cvbib_buf_release(&ef);
	cvbib_buf_release(&ct);
	cvbib_buf_release(&tf);
	return ok;
}

/* ---------------------------------------------------------- orchestration */

enum stage { ST_WORK, ST_RA, ST_DATACITE, ST_CN, ST_SEARCH };

struct enrich {
	cvbib_biblio	*b;
	const struct cvbib_options *o;
	struct cvbib_diags *d;
	struct cvb_http	*http;
	struct cvb_cache *cache;
	char		*crossref, *datacite, *doiorg;
	struct cvbib_enrich_progress pr;
};

struct job {
	struct enrich	*e;
	struct cvb_item	*it;
	char		*doi;		/* normalised; NULL for a search */
	char		*query;		/* for a search */
	enum stage	 stage;
	const char	*agency;	/* for ST_CN */
	const char	*source;	/* what the changes come from */
};

/* Prefixes that are DataCite's: asked there directly. */
static const char *const datacite_prefixes[] = {
	"10.48550",	/* arXiv */
	"10.5281",	/* Zenodo */
	"10.6084",	/* figshare */
	"10.5061",	/* Dryad */
	"10.1594",	/* PANGAEA */
	"10.17605",	/* OSF */
};

static const char *
item_key(const struct cvb_item *it)
{
	return it->key ? it->key : it->id ? it->id : "(no key)";
}

static char *
base_url(const char *opt, const char *def)
{
	const char *s = opt && *opt ? opt : def;
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	return strndup(s, n);
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void
progress(struct enrich *e, enum cvbib_enrich_event ev)
{
	e->pr.event = ev;
	if (e->o->progress != NULL)
		e->o->progress(&e->pr, e->o->progress_ctx);
}

static void
job_free(struct job *j)
{
	free(j->doi);
	free(j->query);
	free(j);
}

/* The job is over: count it, tell the caller, free it. */
static void
job_end(struct job *j, const char *status)
{
	struct enrich *e = j->e;

	if (strcmp(status, "updated") == 0)
		e->pr.updated++;
	else if (strcmp(status, "unchanged") == 0)
		e->pr.unchanged++;
	else if (strcmp(status, "not found") == 0 || strcmp(status, "no match") == 0)
		e->pr.not_found++;
	else if (strcmp(status, "offline") == 0)
		e->pr.offline++;
	else
		e->pr.failed++;
	e->pr.done++;
	e->pr.key = item_key(j->it);
	e->pr.file = j->it->loc.file;
	e->pr.line = j->it->loc.line;
	e->pr.doi = j->doi;
	e->pr.source = j->source;
	e->pr.status = status;
	e->pr.field = e->pr.old_value = e->pr.new_value = NULL;
	progress(e, CVBIB_ENRICH_ITEM);
	job_free(j);
}

static void
jdiag(struct job *j, enum cvb_dcode code, const char *fmt, ...) CVB_PRINTF(3, 4);

static void
jdiag(struct job *j, enum cvb_dcode code, const char *fmt, ...)
{
	struct cvb_buf m = CVB_BUF_INIT;
	va_list ap;

	cvb_buf_addf(&m, "%s: ", item_key(j->it));
	va_start(ap, fmt);
	cvb_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	cvb_diag(j->e->d, code, j->it->loc.file, j->it->loc.line, j->it->loc.column, "%s", m.buf);
	cvbib_buf_release(&m);
}

static void
on_change(void *ctx, const char *field, const char *old, const char *nw)
{
	struct job *j = ctx;
	struct enrich *e = j->e;
	int w = 100;

	if (old == NULL)
		jdiag(j, CVB_D_ENRICH_FILLED, "%s = '%.*s%s' (%s)", field, w, nw,
		    strlen(nw) > (size_t)w ? "..." : "", j->source);
	else
		jdiag(j, CVB_D_ENRICH_REPLACED, "%s = '%.*s%s', was '%.*s%s' (%s)", field, w, nw,
		    strlen(nw) > (size_t)w ? "..." : "", w, old, strlen(old) > (size_t)w ? "..." : "",
		    j->source);
	e->pr.key = item_key(j->it);
	e->pr.file = j->it->loc.file;
	e->pr.line = j->it->loc.line;
	e->pr.doi = j->doi;
	e->pr.source = j->source;
	e->pr.field = field;
	e->pr.old_value = old;
	e->pr.new_value = nw;
	progress(e, CVBIB_ENRICH_CHANGE);
}

static void
apply_record(struct job *j, struct cvb_item *rec)
{
	struct enrich *e = j->e;
	int n;

	if (rec == NULL) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the %s record for %s could not be read", j->source,
		    j->doi ? j->doi : "the search");
		job_end(j, "failed");
		return;
	}
	if (rec->str[CVB_V_DOI] != NULL && (j->doi == NULL || strcasecmp(j->doi, rec->str[CVB_V_DOI]) != 0)) {
		free(j->doi);
		j->doi = strdup(rec->str[CVB_V_DOI]);
	}
	n = cvb_enrich_merge(e->b, j->it, rec, e->o->overwrite, !e->o->dry_run, on_change, j);
	job_end(j, n > 0 ? "updated" : "unchanged");
}

static void issue(struct job *j);
static char *trim_answer(const char *body, size_t len, size_t *outlen);

static void
not_found(struct job *j, const char *where)
{
	jdiag(j, CVB_D_ENRICH_NOT_FOUND, "%s is not registered with %s", j->doi, where);
	job_end(j, "not found");
}

/* Choose among search results; see doc/enrich.md for the bar. */
static void
answer_search(struct job *j, json_t *root)
{
	struct enrich *e = j->e;
	json_t *items = json_object_get(json_object_get(root, "message"), "items"), *c;
	json_t *best_pass = NULL, *second_pass = NULL, *best_any = NULL;
	struct cvb_buf why = CVB_BUF_INIT, best_why = CVB_BUF_INIT;
	size_t i;

	if (!json_is_array(items)) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the search answer has no result list");
		job_end(j, "failed");
		return;
	}
	json_array_foreach(items, i, c) {
		bool ok = judge(e->b, j->it, c, &why);

		if (best_any == NULL) {
			best_any = c;
			cvb_buf_add(&best_why, why.buf, why.len);
		}
		if (ok) {
			if (best_pass == NULL)
				best_pass = c;
			else if (second_pass == NULL && jstr(c, "DOI") && jstr(best_pass, "DOI") &&
			    strcasecmp(jstr(c, "DOI"), jstr(best_pass, "DOI")) != 0)
				second_pass = c;
		}
	}
	if (best_pass != NULL && second_pass != NULL) {
		double s1 = json_number_value(json_object_get(best_pass, "score"));
		double s2 = json_number_value(json_object_get(second_pass, "score"));

		if (s2 >= s1 * TIE_RATIO) {
			jdiag(j, CVB_D_ENRICH_NO_MATCH, "two candidates tie (%s, score %.2f; %s, score %.2f)",
			    jstr(best_pass, "DOI"), s1, jstr(second_pass, "DOI"), s2);
			best_pass = NULL;
			goto reject;
		}
	}
	if (best_pass != NULL) {
		struct cvb_item *rec = map_crossref(e->b, best_pass);

		j->doi = strdup(jstr(best_pass, "DOI"));
		jdiag(j, CVB_D_ENRICH_DOI_FOUND, "%s", j->doi ? j->doi : "?");
		cvbib_buf_release(&why);
		cvbib_buf_release(&best_why);
		apply_record(j, rec);
		return;
	}
	if (best_any == NULL)
		jdiag(j, CVB_D_ENRICH_NO_MATCH, "the search found nothing");
	else
		jdiag(j, CVB_D_ENRICH_NO_MATCH, "best candidate %s '%s': %s", jstr(best_any, "DOI"),
		    jfirst(best_any, "title") ? jfirst(best_any, "title") : "", best_why.buf);
reject:
	cvbib_buf_release(&why);
	cvbib_buf_release(&best_why);
	job_end(j, "no match");
}

/* An answer (from the network or the cache) for the job's current stage. */
static void
answer(struct job *j, long status, const char *body, size_t len)
{
	struct enrich *e = j->e;
	json_t *root = status == 200 ? parse_body(body, len) : NULL;

	if (status == 200 && root == NULL) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the %s answer for %s is not JSON",
		    j->source, j->doi ? j->doi : "the search");
		job_end(j, "failed");
		return;
	}
	switch (j->stage) {
	case ST_WORK:
		if (status == 200) {
			apply_record(j, map_crossref(e->b, json_object_get(root, "message")));
		} else {
			/* not Crossref's: ask which agency registered it */
			j->stage = ST_RA;
			issue(j);
		}
		break;
	case ST_RA:
		if (status == 200) {
			const char *ra = jstr(json_array_get(root, 0), "RA");

			if (ra == NULL || strcasecmp(ra, "Crossref") == 0 ||
			    strcasecmp(ra, "Invalid DOI") == 0 || strcasecmp(ra, "DOI does not exist") == 0 ||
			    strcasecmp(ra, "Unknown") == 0) {
				not_found(j, ra && strcasecmp(ra, "Crossref") == 0 ? "Crossref" : "any agency");
			} else if (strcasecmp(ra, "DataCite") == 0) {
				j->stage = ST_DATACITE;
				j->source = "DataCite";
				issue(j);
			} else {
				j->stage = ST_CN;
				j->agency = cvb_arena_strdup(&e->b->arena, ra);
				j->source = j->agency;
				issue(j);
			}
		} else
			not_found(j, "any agency");
		break;
	case ST_DATACITE:
		if (status == 200)
			apply_record(j, map_datacite(e->b, json_object_get(root, "data")));
		else
			not_found(j, "DataCite");
		break;
	case ST_CN:
		if (status == 200) {
			struct cvb_item *rec = map_csl(e->b, json_is_array(root) ? json_array_get(root, 0) : root);

			if (rec == NULL) {
				jdiag(j, CVB_D_ENRICH_AGENCY, "%s is registered with %s, which gave no CSL-JSON record",
				    j->doi, j->agency);
				job_end(j, "not found");
			} else
				apply_record(j, rec);
		} else {
			jdiag(j, CVB_D_ENRICH_AGENCY, "%s is registered with %s, which gave no CSL-JSON record",
			    j->doi, j->agency);
			job_end(j, "not found");
		}
		break;
	case ST_SEARCH:
		if (status == 200)
			answer_search(j, root);
		else {
			jdiag(j, CVB_D_ENRICH_FAILED, "the search was answered with HTTP %ld", status);
			job_end(j, "failed");
		}
		break;
	}
	json_decref(root);
}

static void
on_done(struct cvb_http *h, struct cvb_http_req *r)
{
	struct job *j = r->data;
	struct enrich *e = j->e;
	(void)h;
	if (r->retries > 0)
		jdiag(j, CVB_D_ENRICH_RETRIED, "%d time%s (%s)", r->retries, r->retries == 1 ? "" : "s",
		    r->why);
	switch (r->result) {
	case CVB_HTTP_OK:
	case CVB_HTTP_STATUS:
		if (r->result == CVB_HTTP_OK || r->status == 404 || r->status == 410) {
			long st = r->result == CVB_HTTP_OK ? 200 : 404;

			/* the cache key rides in data2 */
			if (e->cache != NULL && r->kind == 1) {
				size_t tl = 0;
				char *t = st == 200 ? trim_answer(r->body.buf, r->body.len, &tl) : NULL;

				if (t != NULL)
					cvb_cache_put(e->cache, (const char *)r->data2, st, t, tl);
				else
					cvb_cache_put(e->cache, (const char *)r->data2, st,
					    st == 200 ? r->body.buf : "", st == 200 ? r->body.len : 0);
				free(t);
			}
			free(r->data2);
			r->data2 = NULL;
			answer(j, st, r->body.buf, r->body.len);
		} else {
			free(r->data2);
			r->data2 = NULL;
			jdiag(j, CVB_D_ENRICH_FAILED, "%s answered HTTP %ld for %s", j->source, r->status,
			    r->url);
			job_end(j, "failed");
		}
		break;
	case CVB_HTTP_REFUSED:
		free(r->data2);
		r->data2 = NULL;
		jdiag(j, CVB_D_ENRICH_REFUSED, "%s", r->err);
		job_end(j, "failed");
		break;
	default:
		free(r->data2);
		r->data2 = NULL;
		jdiag(j, CVB_D_ENRICH_FAILED, "%s: %s", r->url, r->err);
		job_end(j, "failed");
		break;
	}
	cvb_http_req_free(r);
}

/*
 * What goes into the cache: the answer without the bulky parts no mapping
 * reads (reference lists, licences, links, relations, usage counts), so that
 * a warm run parses kilobytes, not megabytes.  Falls back to the raw body.
 */
static char *
trim_answer(const char *body, size_t len, size_t *outlen)
{
	static const char *const crossref_drop[] = {
		"reference", "relation", "license", "link", "assertion", "funder", "indexed",
		"deposited", "content-domain", "update-policy", "reference-count",
		"references-count", "is-referenced-by-count", "resource", "journal-issue",
		"subject", "member", "prefix", "source", "alternative-id", "archive", "created",
		"clinical-trial-number", "issn-type", "isbn-type", "original-title",
	};
	static const char *const datacite_drop[] = {
		"relatedIdentifiers", "rightsList", "fundingReferences", "geoLocations",
		"citationsOverTime", "viewsOverTime", "downloadsOverTime", "references",
		"citations", "parts", "partOf", "versions", "versionOf", "xml", "sizes", "formats",
		"subjects", "contentUrl", "landingPage",
	};
	json_t *j = parse_body(body, len), *m, *a, *x;
	char *out;
	size_t i, k;

	if (!json_is_object(j) && !json_is_array(j)) {
		json_decref(j);
		return NULL;
	}
	m = json_object_get(j, "message");
	if (json_is_object(m)) {
		json_t *items = json_object_get(m, "items");

		if (json_is_array(items)) {
			json_array_foreach(items, i, x)
				for (k = 0; k < CVB_ARRAY_SIZE(crossref_drop); k++)
					json_object_del(x, crossref_drop[k]);
		} else
			for (k = 0; k < CVB_ARRAY_SIZE(crossref_drop); k++)
				json_object_del(m, crossref_drop[k]);
	}
	json_object_del(j, "included");
	a = json_object_get(json_object_get(j, "data"), "attributes");
	json_object_del(json_object_get(j, "data"), "relationships");
	if (json_is_object(a))
		for (k = 0; k < CVB_ARRAY_SIZE(datacite_drop); k++)
			json_object_del(a, datacite_drop[k]);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (out != NULL)
		*outlen = strlen(out);
	return out;
}

/* Start the job's current stage: from the cache, or over the network. */
static void
issue(struct job *j)
{
	struct enrich *e = j->e;
	struct cvb_buf url = CVB_BUF_INIT, key = CVB_BUF_INIT;
	const char *accept = "application/json";
	struct cvb_http_req *r;
	char *body = NULL;
	size_t len = 0;
	long st = 0;

	switch (j->stage) {
	case ST_WORK:
		cvb_buf_addf(&url, "%s/works/", e->crossref);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "work:%s", j->doi);
		break;
	case ST_RA: {
		size_t plen = strcspn(j->doi, "/");

		cvb_buf_addf(&url, "%s/ra/%.*s", e->doiorg, (int)plen, j->doi);
		cvb_buf_addf(&key, "ra:%.*s", (int)plen, j->doi);
		break;
	}
	case ST_DATACITE:
		cvb_buf_addf(&url, "%s/dois/", e->datacite);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "datacite:%s", j->doi);
		break;
	case ST_CN:
		cvb_buf_addf(&url, "%s/", e->doiorg);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "csl:%s", j->doi);
		accept = "application/vnd.citationstyles.csl+json";
		break;
	case ST_SEARCH:
		cvb_buf_addf(&url, "%s/works?query.bibliographic=", e->crossref);
		cvb_url_escape(&url, j->query, NULL);
		cvb_buf_adds(&url, "&rows=5");
		cvb_buf_addf(&key, "search:%s", j->query);
		break;
	}
	if (url.err || key.err) {
		cvb_diag(e->d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		job_end(j, "failed");
		goto out;
	}
	if (j->stage != ST_SEARCH)
		lower(key.buf);
	if (e->cache != NULL && cvb_cache_get(e->cache, key.buf, e->o->offline != 0, &st, &body, &len)) {
		answer(j, st, body, len);
		free(body);
		goto out;
	}
	if (e->o->offline) {
		jdiag(j, CVB_D_ENRICH_OFFLINE, "%s", j->doi ? j->doi : j->query);
		job_end(j, "offline");
		goto out;
	}
	if (e->http == NULL) {	/* the network layer could not start: said once */
		job_end(j, "failed");
		goto out;
	}
	r = cvb_http_req_new(url.buf, accept);
	if (r == NULL) {
		job_end(j, "failed");
		goto out;
	}
	r->done = on_done;
	r->data = j;
	/* DataCite allows identified clients 1,000 requests in 5 minutes and
	 * sends no rate headers: stay under 3 a second */
	if (j->stage == ST_DATACITE)
		r->default_gap = 0.34;
	r->kind = 1;
	r->data2 = cvbib_buf_detach(&key, NULL);
	cvb_http_submit(e->http, r);
out:
	cvbib_buf_release(&url);
	cvbib_buf_release(&key);
}

/* The query for an entry without a DOI: title, first author, year, container. */
static char *
search_query(const struct cvb_item *it)
{
	struct cvb_buf q = CVB_BUF_INIT;
	const struct cvb_name *n = it->names[CVB_NV_AUTHOR] ? it->names[CVB_NV_AUTHOR] : it->names[CVB_NV_EDITOR];

	if (it->str[CVB_V_TITLE] == NULL)
		return NULL;
	cvb_rich_plain(&q, it->str[CVB_V_TITLE]);
	if (n != NULL)
		cvb_buf_addf(&q, " %s", name_key(n));
	if (cvb_item_year(it) != 0)
		cvb_buf_addf(&q, " %d", cvb_item_year(it));
	if (it->str[CVB_V_CONTAINER_TITLE] != NULL) {
		cvb_buf_addch(&q, ' ');
		cvb_rich_plain(&q, it->str[CVB_V_CONTAINER_TITLE]);
	}
	return cvbib_buf_detach(&q, NULL);
}

static char *
cache_dir_default(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct cvb_buf p = CVB_BUF_INIT;

	if (x != NULL && *x == '/')
		cvb_buf_addf(&p, "%s/cvbib", x);
	else if (home != NULL && *home != '\0')
		cvb_buf_addf(&p, "%s/.cache/cvbib", home);
	else
		return NULL;
	return cvbib_buf_detach(&p, NULL);
}

int
cvbib_enrich(cvbib_biblio *b, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	struct enrich e;
	struct job **jobs = NULL;
	struct cvb_buf doi = CVB_BUF_INIT, ua = CVB_BUF_INIT;
	size_t i, njobs = 0;
	bool refresh;
	const char *nonet = getenv("CVBIB_NO_NETWORK");
	int rc = 0;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	memset(&e, 0, sizeof(e));
	e.b = b;
	e.o = opts;
	e.d = d;
	if (opts->overwrite != NULL && cvb_enrich_check_fields(opts->overwrite) != NULL) {
		cvb_diag(d, CVB_D_ENRICH_OPTION, NULL, 0, 0, "unknown field in --overwrite: '%s'",
		    cvb_enrich_check_fields(opts->overwrite));
		return -CVBIB_EUSAGE;
	}
	refresh = opts->refresh || !opts->find_missing;
	jobs = calloc(b->n ? b->n : 1, sizeof(*jobs));
	e.crossref = base_url(opts->crossref_url, "https://api.crossref.org");
	e.datacite = base_url(opts->datacite_url, "https://api.datacite.org");
	e.doiorg = base_url(opts->doiorg_url, "https://doi.org");
	if (jobs == NULL || e.crossref == NULL || e.datacite == NULL || e.doiorg == NULL) {
		rc = -CVBIB_ENOMEM;
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		goto out;
	}
	/* what to look up */
	for (i = 0; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		struct job *j;
		bool have = false;

		if (it->str[CVB_V_DOI] != NULL && *it->str[CVB_V_DOI] != '\0') {
			have = cvb_doi_normalize(it->str[CVB_V_DOI], &doi);
			if (!have) {
				cvb_diag(d, CVB_D_ENRICH_BAD_DOI, it->loc.file, it->loc.line, it->loc.column,
				    "%s: '%s'", item_key(it), it->str[CVB_V_DOI]);
				continue;
			}
		} else
			have = doi_from_url(it->str[CVB_V_URL], &doi) || doi_from_note(it->str[CVB_V_NOTE], &doi);
		if (have ? !refresh : !opts->find_missing)
			continue;
		j = calloc(1, sizeof(*j));
		if (j == NULL)
			break;
		j->e = &e;
		j->it = it;
		if (have) {
			size_t k, plen = strcspn(doi.buf, "/");

			j->doi = strdup(doi.buf);
			j->stage = ST_WORK;
			j->source = "Crossref";
			for (k = 0; k < CVB_ARRAY_SIZE(datacite_prefixes); k++)
				if (strlen(datacite_prefixes[k]) == plen &&
				    strncmp(doi.buf, datacite_prefixes[k], plen) == 0) {
					j->stage = ST_DATACITE;
					j->source = "DataCite";
				}
		} else {
			j->query = search_query(it);
			j->stage = ST_SEARCH;
			j->source = "Crossref search";
			if (j->query == NULL) {
				job_free(j);
				continue;
			}
		}
		jobs[njobs++] = j;
	}
	e.pr.total = njobs;
	e.pr.looked_up = njobs;
	progress(&e, CVBIB_ENRICH_BEGIN);
	if (njobs == 0)
		goto end;
	/* the cache, then the network */
	if (!opts->no_cache) {
		char *dir = opts->cache_dir && *opts->cache_dir ? strdup(opts->cache_dir) : cache_dir_default();

		if (dir != NULL)
			cvb_cache_open(&e.cache, dir, d);
		free(dir);
	}
	if (!opts->offline) {
		struct cvb_http_conf conf;

		if (opts->mailto == NULL || *opts->mailto == '\0')
			cvb_diag(d, CVB_D_ENRICH_NO_CONTACT, NULL, 0, 0, NULL);
		cvb_buf_addf(&ua, "cvbib/%s", CVBIB_VERSION);
		if (opts->mailto != NULL && *opts->mailto != '\0')
			cvb_buf_addf(&ua, " (mailto:%s)", opts->mailto);
		cvb_buf_addf(&ua, " libcurl/%s", cvb_http_curl_version());
		memset(&conf, 0, sizeof(conf));
		conf.user_agent = ua.buf;
		conf.timeout = opts->timeout > 0 ? opts->timeout : 30;
		conf.connect_timeout = 10;
		conf.max_retries = opts->max_retries == 0 ? 4 : opts->max_retries < 0 ? 0 :
		    opts->max_retries;
		conf.backoff_base = opts->backoff > 0 ? opts->backoff : 1.0;
		conf.backoff_cap = 60;
		conf.loopback_only = nonet != NULL && *nonet != '\0' && strcmp(nonet, "0") != 0;
		conf.polite = opts->mailto != NULL && *opts->mailto != '\0';
		if (cvb_http_new(&e.http, &conf) != 0) {
			cvb_diag(d, CVB_D_ENRICH_FAILED, NULL, 0, 0, "%s", cvb_http_init_error());
			e.http = NULL;
		}
	}
	/*
	 * Two waves: first one job per DOI (or query), then the entries that
	 * repeat one, which the cache then answers without asking again.
	 */
	{
		bool *later = calloc(njobs, sizeof(*later));
		size_t k;
		int wave;

		for (i = 0; later != NULL && i < njobs; i++)
			for (k = 0; k < i; k++)
				if (!later[k] && ((jobs[i]->doi && jobs[k]->doi &&
				    strcasecmp(jobs[i]->doi, jobs[k]->doi) == 0) ||
				    (jobs[i]->query && jobs[k]->query &&
				    strcmp(jobs[i]->query, jobs[k]->query) == 0))) {
					later[i] = true;
					break;
				}
		for (wave = 0; wave < 2; wave++) {
			for (i = 0; i < njobs; i++)
				if ((later != NULL && later[i]) == (wave == 1))
					issue(jobs[i]);
			if (e.http != NULL)
				cvb_http_run(e.http);
		}
		free(later);
	}
end:
	e.pr.key = e.pr.file = e.pr.doi = e.pr.source = e.pr.status = NULL;
	e.pr.field = e.pr.old_value = e.pr.new_value = NULL;
	progress(&e, CVBIB_ENRICH_END);
out:
	cvb_http_free(e.http);
	cvb_cache_close(e.cache);
	free(jobs);
	free(e.crossref);
	free(e.datacite);
	free(e.doiorg);
	cvbib_buf_release(&doi);
	cvbib_buf_release(&ua);
	return rc;
}
