/*
 * enrich_map.c - registry answers (Crossref, DataCite, CSL-JSON from content
 * negotiation) mapped to detached items, with JATS/HTML/MathML titles converted
 * by libxml2 (moved out of enrich.c; see there for the overview).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "enrich_int.h"

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
	const char *s = (const char *)n->name, *c;

	if (s == NULL)		/* libxml2 leaves some nodes nameless (issue 20) */
		return "";
	c = strrchr(s, ':');
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
	    strcmp(name, "none") == 0 || strcmp(name, "mprescripts") == 0 ||
	    strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0)
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

static void
markup_to_rich(struct cvb_buf *out, const char *s, bool plain)
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
	doc = cvb_html_parse(wrapped.buf, wrapped.len,
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

void
cvb_markup_to_rich(struct cvb_buf *out, const char *s, bool plain)
{
	struct cvb_xml_quiet q;

	cvb_xml_quiet_begin(&q);
	markup_to_rich(out, s, plain);
	cvb_xml_quiet_end(&q);
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

const char *
cvb_enrich_jstr(json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string, or the first string of an array. */
const char *
cvb_enrich_jfirst(json_t *o, const char *k)
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

struct cvb_date *
cvb_enrich_date_from_parts(cvbib_biblio *b, json_t *dp)
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

bool
cvb_enrich_same_date(const struct cvb_date *a, const struct cvb_date *b)
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
		const char *family = cvb_enrich_jstr(p, "family"), *given = cvb_enrich_jstr(p, "given"), *name = cvb_enrich_jstr(p, "name");
		struct cvb_name *n;

		if (family == NULL && given == NULL && name == NULL)
			continue;
		if (family == NULL && given == NULL)
			n = name_new(b, NULL, NULL, NULL, name, true);
		else
			n = name_new(b, family, given, cvb_enrich_jstr(p, "suffix"), NULL, false);
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
	struct cvb_date *online = cvb_enrich_date_from_parts(b, json_object_get(m, "published-online"));
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(order) && it->date[CVB_DV_ISSUED] == NULL; i++)
		it->date[CVB_DV_ISSUED] = cvb_enrich_date_from_parts(b, json_object_get(m, order[i]));
	if (online != NULL && it->date[CVB_DV_ISSUED] != NULL &&
	    !cvb_enrich_same_date(online, it->date[CVB_DV_ISSUED]))
		it->date[CVB_DV_AVAILABLE_DATE] = online;
}

struct cvb_item *
cvb_enrich_map_crossref(cvbib_biblio *b, json_t *m)
{
	struct cvb_item *it;
	const char *type = cvb_enrich_jstr(m, "type"), *doi = cvb_enrich_jstr(m, "DOI"), *s;
	json_t *ev, *inst;

	if (!json_is_object(m) || doi == NULL)
		return NULL;
	it = item_detached(b);
	if (it == NULL)
		return NULL;
	it->type = crossref_type(type, cvb_enrich_jstr(m, "subtype"));
	cvb_item_set(b, it, CVB_V_DOI, doi);
	title_with_subtitle(b, it, cvb_enrich_jfirst(m, "title"), cvb_enrich_jfirst(m, "subtitle"));
	set_text(b, it, CVB_V_TITLE_SHORT, cvb_enrich_jfirst(m, "short-title"), false);
	set_text(b, it, CVB_V_CONTAINER_TITLE, cvb_enrich_jfirst(m, "container-title"), false);
	s = cvb_enrich_jfirst(m, "short-container-title");
	if (s != NULL && (it->str[CVB_V_CONTAINER_TITLE] == NULL ||
	    strcmp(s, it->str[CVB_V_CONTAINER_TITLE]) != 0))
		set_text(b, it, CVB_V_CONTAINER_TITLE_SHORT, s, false);
	cr_names(b, it, CVB_NV_AUTHOR, json_object_get(m, "author"));
	cr_names(b, it, CVB_NV_EDITOR, json_object_get(m, "editor"));
	cr_names(b, it, CVB_NV_TRANSLATOR, json_object_get(m, "translator"));
	cr_names(b, it, CVB_NV_CHAIR, json_object_get(m, "chair"));
	cr_dates(b, it, m);
	set_page(b, it, cvb_enrich_jstr(m, "page") ? cvb_enrich_jstr(m, "page") : cvb_enrich_jstr(m, "article-number"));
	set_text(b, it, CVB_V_VOLUME, cvb_enrich_jstr(m, "volume"), true);
	set_text(b, it, CVB_V_ISSUE, cvb_enrich_jstr(m, "issue"), true);
	set_text(b, it, CVB_V_EDITION, cvb_enrich_jstr(m, "edition-number"), true);
	set_text(b, it, CVB_V_PUBLISHER, cvb_enrich_jstr(m, "publisher"), true);
	set_text(b, it, CVB_V_PUBLISHER_PLACE, cvb_enrich_jstr(m, "publisher-location"), true);
	set_text(b, it, CVB_V_ISSN, cvb_enrich_jfirst(m, "ISSN"), true);
	set_text(b, it, CVB_V_ISBN, cvb_enrich_jfirst(m, "ISBN"), true);
	set_text(b, it, CVB_V_LANGUAGE, cvb_enrich_jstr(m, "language"), true);
	set_text(b, it, CVB_V_ABSTRACT, cvb_enrich_jstr(m, "abstract"), true);
	s = cvb_enrich_jstr(m, "URL");
	cvb_item_set(b, it, CVB_V_URL, s ? s : cvb_arena_printf(&b->arena, "https://doi.org/%s", doi));
	ev = json_object_get(m, "event");
	if (json_is_object(ev)) {
		set_text(b, it, CVB_V_EVENT_TITLE, cvb_enrich_jstr(ev, "name"), true);
		set_text(b, it, CVB_V_EVENT_PLACE, cvb_enrich_jstr(ev, "location"), true);
		it->date[CVB_DV_EVENT_DATE] = cvb_enrich_date_from_parts(b, json_object_get(ev, "start"));
	}
	inst = json_array_get(json_object_get(m, "institution"), 0);
	if (it->type == CVB_T_THESIS) {
		if (cvb_enrich_jstr(inst, "name") != NULL)
			set_text(b, it, CVB_V_PUBLISHER, cvb_enrich_jstr(inst, "name"), true);
		set_text(b, it, CVB_V_GENRE, cvb_enrich_jfirst(m, "degree"), true);
	} else if (type != NULL && strcmp(type, "posted-content") == 0 && cvb_enrich_jstr(inst, "name") != NULL) {
		/* the preprint server (bioRxiv, ...) is what styles show */
		set_text(b, it, CVB_V_PUBLISHER, cvb_enrich_jstr(inst, "name"), true);
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
	const char *cp = cvb_enrich_jstr(types, "citeproc"), *rtg = cvb_enrich_jstr(types, "resourceTypeGeneral");
	size_t i;

	if (rtg != NULL)
		for (i = 0; i < CVB_ARRAY_SIZE(map); i++)
			if (strcmp(map[i].rtg, rtg) == 0)
				return map[i].csl;
	if (cp != NULL && cvb_type_lookup(cp) != CVB_T_NONE)
		return cvb_type_lookup(cp);
	return CVB_T_DOCUMENT;
}

struct cvb_item *
cvb_enrich_map_datacite(cvbib_biblio *b, json_t *data)
{
	json_t *a = json_object_get(data, "attributes"), *v, *c;
	struct cvb_item *it;
	const char *doi = cvb_enrich_jstr(a, "doi"), *title = NULL, *sub = NULL, *s;
	size_t i;

	if (!json_is_object(a) || doi == NULL)
		return NULL;
	it = item_detached(b);
	if (it == NULL)
		return NULL;
	it->type = datacite_type(json_object_get(a, "types"));
	cvb_item_set(b, it, CVB_V_DOI, doi);
	json_array_foreach(json_object_get(a, "titles"), i, v) {
		const char *tt = cvb_enrich_jstr(v, "titleType");

		if (tt == NULL && title == NULL)
			title = cvb_enrich_jstr(v, "title");
		else if (tt != NULL && strcmp(tt, "Subtitle") == 0 && sub == NULL)
			sub = cvb_enrich_jstr(v, "title");
	}
	title_with_subtitle(b, it, title, sub);
	json_array_foreach(json_object_get(a, "creators"), i, v) {
		const char *nt = cvb_enrich_jstr(v, "nameType"), *fam = cvb_enrich_jstr(v, "familyName"),
		    *giv = cvb_enrich_jstr(v, "givenName"), *name = cvb_enrich_jstr(v, "name");
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
		const char *ct = cvb_enrich_jstr(v, "contributorType"), *fam = cvb_enrich_jstr(v, "familyName");

		if (ct != NULL && strcmp(ct, "Editor") == 0 && fam != NULL) {
			struct cvb_name *n = name_new(b, fam, cvb_enrich_jstr(v, "givenName"), NULL, NULL, false);

			if (n != NULL)
				cvb_item_add_name(it, CVB_NV_EDITOR, n);
		}
	}
	v = json_object_get(a, "publisher");
	set_text(b, it, CVB_V_PUBLISHER, json_is_string(v) ? json_string_value(v) : cvb_enrich_jstr(v, "name"), true);
	json_array_foreach(json_object_get(a, "dates"), i, v) {
		const char *dt = cvb_enrich_jstr(v, "dateType"), *d = cvb_enrich_jstr(v, "date");

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
		const char *fp = cvb_enrich_jstr(c, "firstPage"), *lp = cvb_enrich_jstr(c, "lastPage");

		set_text(b, it, CVB_V_CONTAINER_TITLE, cvb_enrich_jstr(c, "title"), false);
		set_text(b, it, CVB_V_VOLUME, jnumstr(b, c, "volume"), true);
		set_text(b, it, CVB_V_ISSUE, jnumstr(b, c, "issue"), true);
		if (fp != NULL)
			set_page(b, it, lp ? cvb_arena_printf(&b->arena, "%s-%s", fp, lp) : fp);
	}
	json_array_foreach(json_object_get(a, "identifiers"), i, v) {
		const char *t = cvb_enrich_jstr(v, "identifierType"), *id = cvb_enrich_jstr(v, "identifier");

		if (t != NULL && id != NULL && strcmp(t, "arXiv") == 0)
			cvb_item_set(b, it, CVB_V_NUMBER, cvb_arena_printf(&b->arena, "arXiv:%s", id));
	}
	json_array_foreach(json_object_get(a, "descriptions"), i, v) {
		const char *t = cvb_enrich_jstr(v, "descriptionType");

		if (t != NULL && strcmp(t, "Abstract") == 0 && it->str[CVB_V_ABSTRACT] == NULL)
			set_text(b, it, CVB_V_ABSTRACT, cvb_enrich_jstr(v, "description"), true);
	}
	set_text(b, it, CVB_V_VERSION, cvb_enrich_jstr(a, "version"), true);
	set_text(b, it, CVB_V_LANGUAGE, cvb_enrich_jstr(a, "language"), true);
	cvb_item_set(b, it, CVB_V_URL, cvb_arena_printf(&b->arena, "https://doi.org/%s", doi));
	return it;
}

/* CSL-JSON from content negotiation (JaLC, mEDRA, ...): rebuilt field by field. */
struct cvb_item *
cvb_enrich_map_csl(cvbib_biblio *b, json_t *o)
{
	static const struct { const char *k; enum cvb_var v; bool plain; } strs[] = {
		{ "container-title", CVB_V_CONTAINER_TITLE, false },
		{ "volume", CVB_V_VOLUME, true }, { "issue", CVB_V_ISSUE, true },
		{ "publisher", CVB_V_PUBLISHER, true }, { "publisher-place", CVB_V_PUBLISHER_PLACE, true },
		{ "ISSN", CVB_V_ISSN, true }, { "ISBN", CVB_V_ISBN, true },
		{ "language", CVB_V_LANGUAGE, true }, { "URL", CVB_V_URL, true },
	};
	struct cvb_item *it;
	const char *doi = cvb_enrich_jstr(o, "DOI"), *t = cvb_enrich_jstr(o, "type");
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
	title_with_subtitle(b, it, cvb_enrich_jfirst(o, "title"), cvb_enrich_jfirst(o, "subtitle"));
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
	it->date[CVB_DV_ISSUED] = cvb_enrich_date_from_parts(b, v);
	/* literal names in CSL use "literal" */
	json_array_foreach(json_object_get(o, "author"), i, v) {
		const char *lit = cvb_enrich_jstr(v, "literal");

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
		return cvb_enrich_map_crossref(b, msg);
	case CVB_SRC_DATACITE:
		return cvb_enrich_map_datacite(b, msg);
	case CVB_SRC_CSL:
		return cvb_enrich_map_csl(b, msg);
	}
	return NULL;
}

/* Parse an answer body; NULL unless it is JSON of the right shape. */
json_t *
cvb_enrich_parse_body(const char *body, size_t len)
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
	json_t *j = cvb_enrich_parse_body(body, len), *m;
	struct cvb_item *it = NULL;

	if (j == NULL)
		return NULL;
	switch (src) {
	case CVB_SRC_CROSSREF:
		m = json_object_get(j, "message");
		if (json_is_object(json_object_get(m, "items") ? NULL : m))
			it = cvb_enrich_map_crossref(b, m);
		else {
			size_t i;
			json_t *x;

			json_array_foreach(json_object_get(m, "items"), i, x)
				it = cvb_enrich_map_crossref(b, x);
		}
		break;
	case CVB_SRC_DATACITE:
		it = cvb_enrich_map_datacite(b, json_object_get(j, "data"));
		break;
	case CVB_SRC_CSL:
		it = cvb_enrich_map_csl(b, json_is_array(j) ? json_array_get(j, 0) : j);
		break;
	}
	json_decref(j);
	return it;
}

