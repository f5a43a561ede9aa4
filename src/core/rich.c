/*
 * rich.c - CSL rich text, the one representation of formatted strings.
 *
 * Model strings are UTF-8 in which exactly these tags are markup, as in
 * CSL-JSON: <i>, <b>, <sup>, <sub>, <span style="font-variant:small-caps;">
 * (also spelled <sc>...</sc>, as citeproc-js accepts), <span class="nocase">
 * and <span class="nodecor">.  Any other '<' is literal text.  This file
 * tokenises such strings for writers; it allocates nothing.
 */
#include <string.h>
#include "cvb_int.h"

static const struct {
	enum cvb_rtag	 tag;
	const char	*open, *close;
} tags[] = {
	{ CVB_R_I, "<i>", "</i>" },
	{ CVB_R_B, "<b>", "</b>" },
	{ CVB_R_SUP, "<sup>", "</sup>" },
	{ CVB_R_SUB, "<sub>", "</sub>" },
	{ CVB_R_SC, "<span style=\"font-variant:small-caps;\">", "</span>" },
	{ CVB_R_SC, "<span style=\"font-variant: small-caps;\">", "</span>" },
	{ CVB_R_NOCASE, "<span class=\"nocase\">", "</span>" },
	{ CVB_R_NODECOR, "<span class=\"nodecor\">", "</span>" },
	{ CVB_R_SC, "<sc>", "</sc>" },	/* after the span: writers use that */
};

/*
 * Spans (and <sc>) nest on a stack of 2-bit kinds kept in depth[7] (low
 * bit) and depth[6] (high bit); depth[0] counts them.
 */
enum { SK_SC, SK_NOCASE, SK_NODECOR, SK_SCTAG };

/* Spans close with the same "</span>"; a stack tells which one. */
#define SPANSTACK 32

void
cvb_rich_init(struct cvb_rich *r, const char *s)
{
	memset(r, 0, sizeof(*r));
	r->p = s ? s : "";
}

static int
match_open(const char *p, enum cvb_rtag *tag, size_t *len, int *kind)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(tags); i++) {
		size_t n = strlen(tags[i].open);

		if (strncmp(p, tags[i].open, n) == 0) {
			*tag = tags[i].tag;
			*len = n;
			*kind = tags[i].open[1] == 's' && tags[i].open[2] == 'c' ? SK_SCTAG :
			    *tag == CVB_R_NOCASE ? SK_NOCASE :
			    *tag == CVB_R_NODECOR ? SK_NODECOR : SK_SC;
			return 1;
		}
	}
	return 0;
}

static int
span_kind(const struct cvb_rich *r)
{
	return (r->depth[7] & 1) | ((r->depth[6] & 1) << 1);
}

static int
match_close(struct cvb_rich *r, const char *p, enum cvb_rtag *tag, size_t *len)
{
	static const struct { enum cvb_rtag t; const char *s; } simple[] = {
		{ CVB_R_I, "</i>" }, { CVB_R_B, "</b>" },
		{ CVB_R_SUP, "</sup>" }, { CVB_R_SUB, "</sub>" },
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(simple); i++) {
		size_t n = strlen(simple[i].s);

		if (strncmp(p, simple[i].s, n) == 0 && r->depth[simple[i].t] > 0) {
			*tag = simple[i].t;
			*len = n;
			return 1;
		}
	}
	if (r->depth[0] > 0) {
		int k = span_kind(r);

		if (strncmp(p, "</span>", 7) == 0 && k != SK_SCTAG) {
			*tag = k == SK_NOCASE ? CVB_R_NOCASE :
			    k == SK_NODECOR ? CVB_R_NODECOR : CVB_R_SC;
			*len = 7;
			return 1;
		}
		if (strncmp(p, "</sc>", 5) == 0 && k == SK_SCTAG) {
			*tag = CVB_R_SC;
			*len = 5;
			return 1;
		}
	}
	return 0;
}

enum cvb_rtok
cvb_rich_next(struct cvb_rich *r)
{
	const char *p = r->p, *start = p;
	enum cvb_rtag tag;
	size_t len;
	int kind;

	if (*p == '\0')
		return r->tok = CVB_RT_END;
	if (*p == '<') {
		if (match_open(p, &tag, &len, &kind)) {
			r->p = p + len;
			r->tag = tag;
			if (tag == CVB_R_SC || tag == CVB_R_NOCASE || tag == CVB_R_NODECOR) {
				if (r->depth[0] < SPANSTACK) {
					r->depth[7] = (int)(((unsigned)r->depth[7] << 1) | (kind & 1));
					r->depth[6] = (int)(((unsigned)r->depth[6] << 1) | (kind >> 1));
					r->depth[0]++;
				}
			} else
				r->depth[tag]++;
			return r->tok = CVB_RT_OPEN;
		}
		if (match_close(r, p, &tag, &len)) {
			r->p = p + len;
			r->tag = tag;
			if (tag == CVB_R_SC || tag == CVB_R_NOCASE || tag == CVB_R_NODECOR) {
				r->depth[7] = (int)((unsigned)r->depth[7] >> 1);
				r->depth[6] = (int)((unsigned)r->depth[6] >> 1);
				r->depth[0]--;
			} else
				r->depth[tag]--;
			return r->tok = CVB_RT_CLOSE;
		}
		p++;	/* a literal '<' */
	}
	while (*p != '\0' && *p != '<')
		p++;
	r->text = start;
	r->len = (size_t)(p - start);
	r->p = p;
	r->tag = CVB_R_NONE;
	return r->tok = CVB_RT_TEXT;
}

const char *
cvb_rich_open_text(enum cvb_rtag t)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(tags); i++)
		if (tags[i].tag == t)
			return tags[i].open;
	return "";
}

const char *
cvb_rich_close_text(enum cvb_rtag t)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(tags); i++)
		if (tags[i].tag == t)
			return tags[i].close;
	return "";
}

void
cvb_rich_plain(struct cvb_buf *out, const char *s)
{
	struct cvb_rich r;

	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END)
		if (r.tok == CVB_RT_TEXT)
			cvb_buf_add(out, r.text, r.len);
}

size_t
cvb_rich_math(const char *p)
{
	const char *end = strstr(p, "</span>");
	size_t n, i, d;

	if (end == NULL)
		return 0;
	n = (size_t)(end - p);
	if (n < 3 || p[0] != '$' || p[n - 1] != '$')
		return 0;
	d = n >= 5 && p[1] == '$' && p[n - 2] == '$' ? 2 : 1;
	if (n < 2 * d + 1)
		return 0;
	for (i = d; i < n - d; i++) {
		enum cvb_rtag t;
		size_t tl;
		int k;

		if (p[i] == '<' && (p[i + 1] == '/' || match_open(p + i, &t, &tl, &k)))
			return 0;	/* markup inside: not one piece of math */
		if (p[i] == '$' && p[i - 1] != '\\')
			return 0;
	}
	return n;
}

void
cvb_rich_text(struct cvb_buf *out, const char *s)
{
	struct cvb_rich r;
	size_t n;

	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END)
		if (r.tok == CVB_RT_TEXT)
			cvb_buf_add(out, r.text, r.len);
		else if (r.tok == CVB_RT_OPEN && r.tag == CVB_R_NOCASE && (n = cvb_rich_math(r.p)) > 0) {
			size_t d = n >= 5 && r.p[1] == '$' && r.p[n - 2] == '$' ? 2 : 1;

			cvb_math_text(out, r.p + d, n - 2 * d, false);
			r.p += n;
		}
}
