/*
 * cv_write.c - the output of a CV list (cvb_write_formatted()): escaping,
 * links, notes, markers and legend, headings and entries in text, Markdown,
 * HTML, LaTeX and Typst, and the same list as JSON for Typst templates
 * (cvb_write_typst_data(); doc/typst.md).  The pipeline is described at the
 * top of cv.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>
#include "cvb_int.h"
#include "csl/csl.h"
#include "cv/cv.h"

/* --------------------------------------------------------------- escaping */

static void
html_escape(struct cvb_buf *o, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': cvb_buf_adds(o, "&amp;"); break;
		case '<': cvb_buf_adds(o, "&lt;"); break;
		case '>': cvb_buf_adds(o, "&gt;"); break;
		case '"': cvb_buf_adds(o, "&quot;"); break;
		default: cvb_buf_addch(o, *s); break;
		}
}

static void
md_escape(struct cvb_buf *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_{}[]<>()#+!|~$", *s) != NULL)
			cvb_buf_addch(o, '\\');
		cvb_buf_addch(o, *s);
	}
}

static void
esc(struct cvb_buf *o, enum cvbib_outfmt f, const char *s)
{
	switch (f) {
	case CVBIB_OUT_HTML: html_escape(o, s); break;
	case CVBIB_OUT_MARKDOWN: md_escape(o, s); break;
	case CVBIB_OUT_LATEX: cvb_cv_latex_escape(o, s); break;
	case CVBIB_OUT_TYPST: cvb_typst_escape(o, s, strlen(s)); break;
	default: cvb_buf_adds(o, s); break;
	}
}

/* Plain text of rich text s, escaped for f; its LaTeX math ($...$ in a
 * nocase span, as the readers keep it) as the titles have it (csl_flat.c). */
static void
esc_rich(struct cvb_buf *o, enum cvbib_outfmt f, const char *s)
{
	struct cvb_buf p = CVB_BUF_INIT;
	struct cvb_rich r;
	size_t n;

	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END)
		if (r.tok == CVB_RT_TEXT)
			cvb_buf_add(&p, r.text, r.len);
		else if (r.tok == CVB_RT_OPEN && r.tag == CVB_R_NOCASE && (n = cvb_rich_math(r.p)) > 0) {
			const char *m = r.p;

			if (p.len > 0)
				esc(o, f, p.buf);
			cvb_buf_reset(&p);
			r.p += n;
			/* r.p is at the span's closing tag */
			csl_math_out(o, f, m, n, strncmp(r.p, "</span>", 7) == 0 &&
			    isdigit((unsigned char)r.p[7]));
		}
	if (p.len > 0)
		esc(o, f, p.buf);
	cvbib_buf_release(&p);
}

/* ------------------------------------------------------------- links, notes */

/*
 * A link target as a browser reads it (the WHATWG URL parser): leading and
 * trailing C0 controls and spaces stripped, tabs and newlines removed
 * anywhere.  The scheme is decided on that string: http, https and mailto
 * are written, doi: becomes a doi.org link, a relative path (no scheme) is
 * written, anything else is refused (NULL).  Other control characters are
 * percent-encoded, so none reaches an attribute.  A '&' or '\' before the
 * first '/', '?' or '#' is refused too: a Markdown renderer would decode
 * "&#58;" or "\:" into the ':' of a scheme (issue 20).
 */
static const char *
link_target(cvbib_biblio *b, const char *u)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p, *e, *r = NULL;
	size_t i;

	while (*u != '\0' && (unsigned char)*u <= 0x20)
		u++;
	e = u + strlen(u);
	while (e > u && (unsigned char)e[-1] <= 0x20)
		e--;
	for (p = u; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			cvb_buf_addf(&t, "%%%02X", c);
		else
			cvb_buf_addch(&t, (int)c);
	}
	if (t.err || t.len == 0)
		goto out;
	for (i = 0; i < t.len && !strchr("/?#", t.buf[i]); i++)
		if (t.buf[i] == '&' || t.buf[i] == '\\')
			goto out;
	i = 0;
	if (isalpha((unsigned char)t.buf[0]))
		for (i = 1; isalnum((unsigned char)t.buf[i]) || t.buf[i] == '+' ||
		    t.buf[i] == '-' || t.buf[i] == '.'; i++)
			;
	if (i == 0 || t.buf[i] != ':')
		r = cvb_arena_strndup(&b->arena, t.buf, t.len);	/* relative */
	else if ((i == 4 && strncasecmp(t.buf, "http", 4) == 0) ||
	    (i == 5 && strncasecmp(t.buf, "https", 5) == 0) ||
	    (i == 6 && strncasecmp(t.buf, "mailto", 6) == 0))
		r = cvb_arena_strndup(&b->arena, t.buf, t.len);
	else if (i == 3 && strncasecmp(t.buf, "doi", 3) == 0) {
		const char *d = t.buf + 4;

		while (*d == '/')
			d++;
		if (strncmp(d, "10.", 3) == 0)
			r = cvb_arena_printf(&b->arena, "https://doi.org/%s", d);
	}
out:
	cvbib_buf_release(&t);
	return r;
}

struct link {
	const char	*label, *cls, *url;
};

static size_t
item_links(cvbib_biblio *b, const struct cvb_item *it, struct link *l, size_t max,
    struct cvbib_diags *d)
{
	struct cvb_buf k = CVB_BUF_INIT;
	const char *doiurl = NULL;
	size_t n = 0, i;

	if (cvb_cv_doi_key(it, &k)) {
		doiurl = cvb_arena_printf(&b->arena, "https://doi.org/%s", it->str[CVB_V_DOI] ?
		    it->str[CVB_V_DOI] : strstr(it->str[CVB_V_URL], "doi.org/") + 8);
		/* keep the DOI as written, only without a URL or doi: prefix */
		if (it->str[CVB_V_DOI] != NULL && strncmp(it->str[CVB_V_DOI], "10.", 3) != 0)
			doiurl = cvb_arena_printf(&b->arena, "https://doi.org/%s",
			    strstr(it->str[CVB_V_DOI], "10."));
		l[n++] = (struct link){ "DOI", "doi", doiurl };
	}
	cvb_buf_reset(&k);
	if (cvb_cv_arxiv_key(it, &k) && n < max)
		l[n++] = (struct link){ "arXiv", "arxiv",
		    cvb_arena_printf(&b->arena, "https://arxiv.org/abs/%s", k.buf) };
	if (it->str[CVB_V_URL] != NULL && n < max &&
	    (doiurl == NULL || strcmp(it->str[CVB_V_URL], doiurl) != 0) &&
	    strstr(it->str[CVB_V_URL], "doi.org/") == NULL &&
	    strstr(it->str[CVB_V_URL], "arxiv.org/abs/") == NULL)
		l[n++] = (struct link){ "URL", "url", it->str[CVB_V_URL] };
	for (i = 0; i < cvb_nlink_kinds && n < max; i++) {
		const struct cvb_link_kind *lk = &cvb_link_kinds[i];
		const char *u = cvb_cv_extra(b, it, lk->field);

		if (u == NULL || *u == '\0' || cvb_cv_truthy(u) || strcmp(u, "false") == 0)
			continue;
		l[n++] = (struct link){ lk->label, lk->cls, u };
	}
	cvbib_buf_release(&k);
	/* drop what no browser should open */
	for (i = 0; i < n; ) {
		const char *t = link_target(b, l[i].url);

		if (t != NULL) {
			l[i++].url = t;
			continue;
		}
		{
			struct cvb_buf shown = CVB_BUF_INIT;
			const char *q;

			for (q = l[i].url; *q != '\0'; q++)	/* no control character in the message */
				if ((unsigned char)*q < 0x20 || *q == 0x7f)
					cvb_buf_addf(&shown, "\\x%02x", (unsigned char)*q);
				else
					cvb_buf_addch(&shown, *q);
			cvb_diag(d, CVB_D_CV_MARKER, it->loc.file, it->loc.line, it->loc.column,
			    "link '%s' dropped: only http, https, mailto, doi: and relative links are written",
			    shown.buf);
			cvbib_buf_release(&shown);
			memmove(&l[i], &l[i + 1], (n - i - 1) * sizeof(*l));
			n--;
		}
	}
	return n;
}

static void
url_attr(struct cvb_buf *o, const char *u)
{
	html_escape(o, u);
}

static void
md_url(struct cvb_buf *o, const char *u)
{
	for (; *u != '\0'; u++)
		switch (*u) {
		case ' ': cvb_buf_adds(o, "%20"); break;
		case '"': cvb_buf_adds(o, "%22"); break;
		case '(': cvb_buf_adds(o, "%28"); break;
		case ')': cvb_buf_adds(o, "%29"); break;
		case '<': cvb_buf_adds(o, "%3C"); break;
		case '>': cvb_buf_adds(o, "%3E"); break;
		case '\\': cvb_buf_adds(o, "%5C"); break;
		default: cvb_buf_addch(o, *u); break;
		}
}

static void
write_links(struct cvb_buf *o, enum cvbib_outfmt f, const struct link *l, size_t n)
{
	size_t i;

	if (n == 0 || (f != CVBIB_OUT_HTML && f != CVBIB_OUT_MARKDOWN))
		return;
	if (f == CVBIB_OUT_HTML)
		cvb_buf_adds(o, " <span class=\"cvbib-links\">");
	for (i = 0; i < n; i++) {
		if (f == CVBIB_OUT_HTML) {
			cvb_buf_addf(o, "%s<a class=\"cvbib-link cvbib-link-%s\" href=\"", i ? " " : "", l[i].cls);
			url_attr(o, l[i].url);
			cvb_buf_addf(o, "\">%s</a>", l[i].label);
		} else {
			cvb_buf_addf(o, " [%s](", l[i].label);
			md_url(o, l[i].url);
			cvb_buf_addch(o, ')');
		}
	}
	if (f == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "</span>");
}

/* Does the formatted entry already say s (case-insensitively)? */
static bool
says(const char *text, const char *s)
{
	return strcasestr(text, s) != NULL;
}

static void
write_note(struct cvb_buf *o, enum cvbib_outfmt f, enum cvb_note_kind k, const char *text)
{
	static const char *const cls[] = { "cvbib-award", "cvbib-status", "cvbib-presentation", "cvbib-note" };

	switch (f) {
	case CVBIB_OUT_HTML:
		cvb_buf_addf(o, " <span class=\"%s\">", cls[k]);
		if (k == CVB_NOTE_STATUS || k == CVB_NOTE_PRESENTATION)
			cvb_buf_addch(o, '(');
		esc_rich(o, f, text);
		if (k == CVB_NOTE_STATUS || k == CVB_NOTE_PRESENTATION)
			cvb_buf_addch(o, ')');
		cvb_buf_adds(o, "</span>");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " **" : k == CVB_NOTE_OTHER ? " " : " *(");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "**" : k == CVB_NOTE_OTHER ? "" : ")*");
		break;
	case CVBIB_OUT_TYPST: {
		static const char *const kind[] = { "award", "status", "presentation", "note" };

		cvb_buf_addf(o, " #cvbib-note(\"%s\")[", kind[k]);
		esc_rich(o, f, text);
		cvb_buf_adds(o, "]");
		break;
	}
	case CVBIB_OUT_LATEX:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " \\emph{" : k == CVB_NOTE_OTHER ? " " : " (");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "}" : k == CVB_NOTE_OTHER ? "" : ")");
		break;
	default:
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? " [" : k == CVB_NOTE_OTHER ? " " : " (");
		esc_rich(o, f, text);
		cvb_buf_adds(o, k == CVB_NOTE_AWARD ? "]" : k == CVB_NOTE_OTHER ? "" : ")");
		break;
	}
}

static void
write_notes(struct cvb_buf *o, enum cvbib_outfmt f, const struct cvb_item *it, const char *text)
{
	static const enum cvb_note_kind order[] = {
		CVB_NOTE_STATUS, CVB_NOTE_PRESENTATION, CVB_NOTE_AWARD, CVB_NOTE_OTHER
	};
	const struct cvb_note *n;
	size_t i;

	/* CSL's status variable, unless the style printed it */
	if (it->str[CVB_V_STATUS] != NULL && !says(text, it->str[CVB_V_STATUS]) &&
	    !cvb_cv_has_note(it, CVB_NOTE_STATUS, it->str[CVB_V_STATUS]))
		write_note(o, f, CVB_NOTE_STATUS, it->str[CVB_V_STATUS]);
	for (i = 0; i < CVB_ARRAY_SIZE(order); i++)
		for (n = it->notes; n != NULL; n = n->next)
			if (n->kind == order[i] && n->text != NULL && *n->text != '\0' &&
			    (n->kind != CVB_NOTE_STATUS || !says(text, n->text)))
				write_note(o, f, n->kind, n->text);
}

/* ------------------------------------------------------ markers and legend */

#define MARK_EQUAL	"*"
#define MARK_CORRESP	"\xE2\x80\xA0"	/* U+2020 dagger */

/* The markers in use, for the legend: the first symbol seen of each kind. */
struct legend {
	const char	*equal, *corresp;
};

/*
 * The marker the CV's own legend explains ("† These authors contributed
 * equally"): its leading symbol, when it starts with one; else NULL.  Names
 * read from a format that does not keep the marker get it back so.
 */
static const char *
legend_marker(cvbib_biblio *b)
{
	static const char *const syms[] = { "*", "\xE2\x80\xA0", "\xE2\x80\xA1", "\xC2\xA7", "#" };
	const char *s = b->equal_legend, *p;
	size_t i, l;

	if (s == NULL)
		return NULL;
	while (*s == '(' || *s == '[' || *s == ' ')
		s++;
	for (i = 0; i < CVB_ARRAY_SIZE(syms); i++) {
		l = strlen(syms[i]);
		if (strncmp(s, syms[i], l) != 0)
			continue;
		for (p = s + l; strncmp(p, syms[i], l) == 0; p += l)
			;
		return cvb_arena_strndup(&b->arena, s, (size_t)(p - s));
	}
	return NULL;
}

/* Give flagged names their marker (the input's own, else the one the CV's
 * legend explains, else * and the dagger) and note the symbols in use. */
static void
set_markers(cvbib_biblio *b, struct cvb_item *it, struct legend *lg)
{
	struct cvb_name *n;
	const char *own = legend_marker(b);

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		unsigned f = n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP);

		if (f == 0)
			continue;
		if (n->marker == NULL && f == CVB_NF_EQUAL && own != NULL)
			n->marker = own;
		if (n->marker == NULL)
			n->marker = f == (CVB_NF_EQUAL | CVB_NF_CORRESP) ?
			    cvb_arena_strdup(&b->arena, MARK_EQUAL MARK_CORRESP) :
			    f == CVB_NF_EQUAL ? MARK_EQUAL : MARK_CORRESP;
		if (f == CVB_NF_EQUAL && lg->equal == NULL)
			lg->equal = n->marker;
		else if (f == CVB_NF_CORRESP && lg->corresp == NULL)
			lg->corresp = n->marker;
		else if (f == (CVB_NF_EQUAL | CVB_NF_CORRESP)) {
			/* one symbol for both: the defaults tell them apart */
			if (lg->equal == NULL)
				lg->equal = strcmp(n->marker, MARK_EQUAL MARK_CORRESP) == 0 ?
				    MARK_EQUAL : n->marker;
			if (lg->corresp == NULL)
				lg->corresp = strcmp(n->marker, MARK_EQUAL MARK_CORRESP) == 0 ?
				    MARK_CORRESP : n->marker;
		}
	}
}

static void
write_legend(struct cvb_buf *o, enum cvbib_outfmt f, const cvbib_biblio *b,
    const struct legend *lg)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (lg->equal == NULL && lg->corresp == NULL)
		return;
	if (lg->equal != NULL) {
		if (b->equal_legend != NULL) {
			/* the CV's own legend, as it wrote it */
			struct cvb_buf p = CVB_BUF_INIT;

			cvb_rich_plain(&p, b->equal_legend);
			cvb_buf_add(&t, p.buf, p.len);
			if (p.len > 0 && p.buf[p.len - 1] != '.')
				cvb_buf_addch(&t, '.');
			cvbib_buf_release(&p);
		} else
			cvb_buf_addf(&t, "%s Equal contribution.", lg->equal);
	}
	/* the CV's own legend line may explain both markers already */
	if (lg->corresp != NULL && !(lg->equal != NULL && b->equal_legend != NULL &&
	    (strstr(t.buf, lg->corresp) != NULL || strcasestr(t.buf, "correspond") != NULL)))
		cvb_buf_addf(&t, "%s%s Corresponding author.", t.len ? " " : "", lg->corresp);
	switch (f) {
	case CVBIB_OUT_HTML:
		cvb_buf_adds(o, "<p class=\"cvbib-legend\">");
		html_escape(o, t.buf);
		cvb_buf_adds(o, "</p>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		md_escape(o, t.buf);
		cvb_buf_adds(o, "\n");
		break;
	case CVBIB_OUT_TYPST:
		cvb_buf_adds(o, "#cvbib-legend[");
		esc(o, f, t.buf);
		cvb_buf_adds(o, "]\n");
		break;
	case CVBIB_OUT_LATEX:
		cvb_buf_adds(o, "\\par\\smallskip\\noindent{\\footnotesize ");
		cvb_cv_latex_escape(o, t.buf);
		cvb_buf_adds(o, "}\\par\n");
		break;
	default:
		cvb_buf_adds(o, t.buf);
		cvb_buf_addch(o, '\n');
		break;
	}
	cvbib_buf_release(&t);
}

/* ----------------------------------------------------------------- output */

enum latexlist { LL_ITEMIZE, LL_ENUMERATE, LL_BIBLIOGRAPHY };

struct entry {
	struct cvb_item	*it;
	struct group	*g;
	char		 label[32];
	char		*text;		/* engine output, malloc'd */
	bool		 own_label;	/* we print the label (the style did not) */
};

struct cvctx {
	cvbib_biblio	*b;
	enum cvbib_outfmt fmt;
	const struct cvbib_options *e;
	enum latexlist	 ll;
	struct entry	*v;
	size_t		 n;
	struct cvbib_diags *d;
};

static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static void
latex_key(struct cvb_buf *o, const struct entry *x, size_t i)
{
	const char *k = x->it->key ? x->it->key : x->it->id;

	if (k == NULL || *k == '\0') {
		cvb_buf_addf(o, "cvbib%zu", i + 1);
		return;
	}
	for (; *k != '\0'; k++)
		cvb_buf_addch(o, isalnum((unsigned char)*k) || strchr(":-_./", *k) ? *k : '-');
}

static void
write_heading(struct cvb_buf *o, const struct cvctx *c, const struct group *g)
{
	size_t i, n;

	if (g->title == NULL)
		return;
	switch (c->fmt) {
	case CVBIB_OUT_HTML:
		cvb_buf_adds(o, "<h2 class=\"cvbib-heading\">");
		html_escape(o, g->title);
		cvb_buf_adds(o, "</h2>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, "## ");
		md_escape(o, g->title);
		cvb_buf_adds(o, "\n\n");
		break;
	case CVBIB_OUT_TYPST:
		cvb_buf_adds(o, "#cvbib-heading(");
		cvb_typst_string(o, g->title);
		cvb_buf_adds(o, ")\n");
		break;
	case CVBIB_OUT_LATEX:
		if (c->ll == LL_BIBLIOGRAPHY) {
			cvb_buf_adds(o, "\\def\\refname{");
			cvb_cv_latex_escape(o, g->title);
			cvb_buf_adds(o, "}\\def\\bibname{\\refname}%\n");
		} else {
			cvb_buf_adds(o, "\\cvbibheading{");
			cvb_cv_latex_escape(o, g->title);
			cvb_buf_adds(o, "}\n");
		}
		break;
	default:
		cvb_buf_adds(o, g->title);
		cvb_buf_addch(o, '\n');
		n = utf8_len(g->title);
		for (i = 0; i < n; i++)
			cvb_buf_addch(o, '-');
		cvb_buf_addch(o, '\n');
		break;
	}
}

/* #cvbib-entry(label: "J3", widest: "J12", selected: false,
 *     links: (("PDF", "https://..."),))[TEXT NOTES] */
static void
typst_entry(struct cvb_buf *o, struct cvctx *c, struct entry *x, const struct link *l, size_t nl)
{
	size_t i;

	cvb_buf_adds(o, "#cvbib-entry(label: ");
	if (x->own_label)
		cvb_typst_string(o, x->label);
	else
		cvb_buf_adds(o, "none");
	cvb_buf_adds(o, ", widest: ");
	cvb_typst_string(o, x->own_label && x->g->widest ? x->g->widest : "");
	cvb_buf_addf(o, ", selected: %s, links: (",
	    (x->it->flags & CVB_IF_SELECTED) ? "true" : "false");
	for (i = 0; i < nl; i++) {
		cvb_buf_addch(o, '(');
		cvb_typst_string(o, l[i].label);
		cvb_buf_adds(o, ", ");
		cvb_typst_string(o, l[i].url);
		cvb_buf_adds(o, "),");
	}
	cvb_buf_adds(o, "))[");
	cvb_buf_adds(o, x->text ? x->text : "");
	write_notes(o, c->fmt, x->it, x->text ? x->text : "");
	cvb_buf_adds(o, "]\n");
}

static void
write_entry(struct cvb_buf *o, struct cvctx *c, struct entry *x, size_t idx)
{
	struct link links[16];
	size_t nl = item_links(c->b, x->it, links, CVB_ARRAY_SIZE(links), c->d);
	const char *text = x->text ? x->text : "";

	switch (c->fmt) {
	case CVBIB_OUT_HTML:
		cvb_buf_addf(o, "  <li class=\"cvbib-entry%s\">",
		    (x->it->flags & CVB_IF_SELECTED) ? " cvbib-selected" : "");
		if (x->own_label) {
			cvb_buf_adds(o, "<span class=\"cvbib-label\">[");
			html_escape(o, x->label);
			cvb_buf_adds(o, "]</span> ");
		}
		cvb_buf_adds(o, "<span class=\"cvbib-text\">");
		cvb_buf_adds(o, text);
		cvb_buf_adds(o, "</span>");
		write_notes(o, c->fmt, x->it, text);
		write_links(o, c->fmt, links, nl);
		cvb_buf_adds(o, "</li>\n");
		break;
	case CVBIB_OUT_MARKDOWN:
		cvb_buf_adds(o, "- ");
		if (x->own_label) {
			cvb_buf_adds(o, "\\[");
			md_escape(o, x->label);
			cvb_buf_adds(o, "\\] ");
		}
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		write_links(o, c->fmt, links, nl);
		cvb_buf_addch(o, '\n');
		break;
	case CVBIB_OUT_TYPST:
		typst_entry(o, c, x, links, nl);
		break;
	case CVBIB_OUT_LATEX:
		if (c->ll == LL_BIBLIOGRAPHY) {
			cvb_buf_adds(o, "\\bibitem[{");
			cvb_cv_latex_escape(o, x->label);
			cvb_buf_adds(o, "}]{");
			latex_key(o, x, idx);
			cvb_buf_adds(o, "} ");
		} else if (x->own_label) {
			cvb_buf_adds(o, c->ll == LL_ENUMERATE ? "\\item[{" : "\\item[{[");
			cvb_cv_latex_escape(o, x->label);
			cvb_buf_adds(o, c->ll == LL_ENUMERATE ? ".}] " : "]}] ");
		} else
			cvb_buf_adds(o, "\\item{} ");	/* {}: text may start with '[' */
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		cvb_buf_addch(o, '\n');
		break;
	default:
		if (x->own_label)
			cvb_buf_addf(o, "[%s] ", x->label);
		cvb_buf_adds(o, text);
		write_notes(o, c->fmt, x->it, text);
		cvb_buf_addch(o, '\n');
		break;
	}
}

static const char latex_header[] =
"% Publication list written by cvbib (doc/cv.md).  \\input it in the body of\n"
"% a LaTeX document.  Each group heading is \\cvbibheading{TITLE}: define it\n"
"% before the \\input to change how headings look.\n"
"\\ifcsname cvbibheading\\endcsname\\else\n"
"\\ifcsname moderncvstyle\\endcsname\\def\\cvbibheading#1{\\subsection{#1}}%\n"
"\\else\\def\\cvbibheading#1{\\subsection*{#1}}\\fi\n"
"\\fi\n";

/* The fragment's set-up: the functions its calls go through.  Each asks the
 * state "cvbib" (a dictionary a document may set before the #include) for
 * its replacement; doc/typst.md documents them. */
static const char typst_header[] =
"// Publication list written by cvbib (doc/typst.md).  #include it in a Typst\n"
"// document.  Its look comes from functions that a document may replace\n"
"// before the #include, e.g.\n"
"//   #state(\"cvbib\").update((heading: t => [== #t], owner: b => underline(b)))\n"
"// Keys: heading(title), entry(label, widest, selected, links, body),\n"
"// owner(body), note(kind, body), link(name, url), legend(body).\n"
"#let cvbib-conf(name, default) = {\n"
"  let c = state(\"cvbib\", none).get()\n"
"  if type(c) == dictionary and name in c { c.at(name) } else { default }\n"
"}\n"
"#let cvbib-owner(body) = context cvbib-conf(\"owner\", strong)(body)\n"
"#let cvbib-heading(title) = context cvbib-conf(\"heading\",\n"
"  t => heading(level: 2, numbering: none, t))(title)\n"
"#let cvbib-note(kind, body) = context cvbib-conf(\"note\", (k, b) =>\n"
"  if k == \"award\" { strong(b) } else if k == \"note\" { b } else { emph[(#b)] })(kind, body)\n"
"#let cvbib-link(name, url) = context cvbib-conf(\"link\", (n, u) =>\n"
"  box(link(u, text(size: 0.8em, fill: rgb(\"#1a4f8b\"), \"[\" + n + \"]\"))))(name, url)\n"
"#let cvbib-legend(body) = context cvbib-conf(\"legend\",\n"
"  b => block(above: 1em, text(size: 0.85em, b)))(body)\n"
"#let cvbib-entry(label: none, widest: \"\", selected: false, links: (), body) = context {\n"
"  let f = cvbib-conf(\"entry\", (label, widest, selected, links, body) => {\n"
"    let tail = links.map(((n, u)) => cvbib-link(n, u)).join(\" \")\n"
"    let text = if tail == none { body } else { body + \" \" + tail }\n"
"    if label == none {\n"
"      block(above: 0.7em, below: 0.7em, par(hanging-indent: 1.5em, text))\n"
"    } else {\n"
"      let w = measure(\"[\" + widest + \"]\").width\n"
"      block(above: 0.7em, below: 0.7em, grid(columns: (w, 1fr), column-gutter: 0.6em,\n"
"        align(right, \"[\" + label + \"]\"), text))\n"
"    }\n"
"  })\n"
"  f(label, widest, selected, links, body)\n"
"}\n";

static void
write_groups(struct cvb_buf *o, struct cvctx *c, struct glist *g, const struct legend *legend)
{
	size_t i, k = 0;

	if (c->fmt == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "<div class=\"cvbib\">\n");
	if (c->fmt == CVBIB_OUT_LATEX && c->ll != LL_BIBLIOGRAPHY)
		cvb_buf_adds(o, latex_header);
	if (c->fmt == CVBIB_OUT_TYPST)
		cvb_buf_adds(o, typst_header);
	for (i = 0; i < g->n; i++) {
		struct group *x = &g->v[i];
		size_t j, widest = 0;

		if (x->n == 0)
			continue;
		if (c->fmt == CVBIB_OUT_HTML)
			cvb_buf_addf(o, "<section class=\"cvbib-group cvbib-group-%s\">\n", x->slug);
		else if (k > 0 && c->fmt != CVBIB_OUT_LATEX)
			cvb_buf_addch(o, '\n');
		if (c->fmt == CVBIB_OUT_LATEX && c->ll == LL_BIBLIOGRAPHY)
			cvb_buf_adds(o, "\\begingroup\n");
		write_heading(o, c, x);
		switch (c->fmt) {
		case CVBIB_OUT_HTML:
			cvb_buf_adds(o, "<ul class=\"cvbib-list\">\n");
			break;
		case CVBIB_OUT_TYPST:
			for (j = 0; j < x->n; j++)
				if (strlen(c->v[k + j].label) > strlen(c->v[k + widest].label))
					widest = j;
			x->widest = c->v[k + widest].label;
			break;
		case CVBIB_OUT_LATEX:
			for (j = 0; j < x->n; j++)
				if (strlen(c->v[k + j].label) > strlen(c->v[k + widest].label))
					widest = j;
			if (c->ll == LL_BIBLIOGRAPHY) {
				cvb_buf_adds(o, "\\begin{thebibliography}{");
				cvb_cv_latex_escape(o, c->v[k + widest].label);
				cvb_buf_adds(o, "}\n");
			} else
				cvb_buf_adds(o, c->ll == LL_ENUMERATE ? "\\begin{enumerate}\n" :
				    "\\begin{itemize}\n");
			break;
		default:
			break;
		}
		for (j = 0; j < x->n; j++, k++)
			write_entry(o, c, &c->v[k], k);
		switch (c->fmt) {
		case CVBIB_OUT_HTML:
			cvb_buf_adds(o, "</ul>\n</section>\n");
			break;
		case CVBIB_OUT_LATEX:
			cvb_buf_adds(o, c->ll == LL_BIBLIOGRAPHY ? "\\end{thebibliography}\n\\endgroup\n" :
			    c->ll == LL_ENUMERATE ? "\\end{enumerate}\n" : "\\end{itemize}\n");
			break;
		default:
			break;
		}
	}
	if (legend->equal != NULL || legend->corresp != NULL) {
		if (c->fmt == CVBIB_OUT_TEXT || c->fmt == CVBIB_OUT_MARKDOWN)
			cvb_buf_addch(o, '\n');
		write_legend(o, c->fmt, c->b, legend);
	}
	if (c->fmt == CVBIB_OUT_HTML)
		cvb_buf_adds(o, "</div>\n");
}

static const char html_css[] =
"body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.45;\n"
"       max-width: 50em; margin: 2em auto; padding: 0 1em; color: #222; }\n"
".cvbib-heading { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 1.5em; }\n"
".cvbib-list { list-style: none; padding-left: 0; }\n"
".cvbib-entry { margin: 0 0 0.6em 0; padding-left: 2em; text-indent: -2em; }\n"
".cvbib-label { display: inline-block; min-width: 2em; text-indent: 0; color: #555; }\n"
".cvbib-highlight { font-weight: bold; }\n"
".cvbib-award { font-weight: bold; color: #8a5a00; }\n"
".cvbib-status, .cvbib-presentation { font-style: italic; }\n"
".cvbib-links { white-space: nowrap; }\n"
".cvbib-link { font-size: 0.8em; border: 1px solid #888; border-radius: 3px;\n"
"              padding: 0 0.35em; text-decoration: none; text-indent: 0; }\n"
".cvbib-legend { font-size: 0.9em; color: #555; }\n";

/* Find the citation-number stand-in of entry i in text (case-insensitively). */
static char *
find_stand_in(char *text, size_t i, size_t *len)
{
	char tag[40];

	snprintf(tag, sizeof(tag), "cvbibnum%zuz", i);
	*len = strlen(tag);
	return strcasestr(text, tag);
}

/* Run the engine over the entries in display order and fill in their text. */
static int
format_entries(struct cvctx *c, cvbib_style *style)
{
	cvbib_biblio *tmp = cvbib_biblio_new();
	struct cvb_csl_entry *ents = NULL;
	const char **saved;
	size_t i, j, ne = 0;
	int rc;

	saved = calloc(c->n ? c->n : 1, sizeof(*saved));
	if (tmp == NULL || saved == NULL) {
		cvbib_biblio_free(tmp);
		free(saved);
		return -CVBIB_ENOMEM;
	}
	tmp->items = malloc((c->n ? c->n : 1) * sizeof(*tmp->items));
	if (tmp->items == NULL) {
		cvbib_biblio_free(tmp);
		free(saved);
		return -CVBIB_ENOMEM;
	}
	tmp->alloc = c->n ? c->n : 1;
	tmp->input_format = c->b->input_format;
	for (i = 0; i < c->n; i++) {
		struct cvb_item *it = c->v[i].it;

		saved[i] = it->str[CVB_V_CITATION_NUMBER];
		it->str[CVB_V_CITATION_NUMBER] = cvb_arena_printf(&c->b->arena, "cvbibnum%zuz", i);
		tmp->items[tmp->n++] = it;
	}
	rc = cvb_csl_bibliography_entries(style, tmp, c->fmt, 0, &ents, &ne, c->d);
	for (i = 0; i < c->n; i++)
		c->v[i].it->str[CVB_V_CITATION_NUMBER] = saved[i];
	if (rc == 0) {
		for (j = 0; j < ne; j++) {
			size_t k = j < c->n && c->v[j].it == ents[j].item ? j : c->n;

			for (i = 0; k == c->n && i < c->n; i++)
				if (c->v[i].it == ents[j].item && c->v[i].text == NULL)
					k = i;
			if (k == c->n || ents[j].text == NULL)
				continue;
			c->v[k].text = ents[j].text;
			ents[j].text = NULL;
		}
	}
	cvb_csl_entries_free(ents, ne);
	tmp->n = 0;
	cvbib_biblio_free(tmp);
	free(saved);
	return rc;
}

/* Is the style's number (the stand-in at p, len bytes) at the start of the
 * entry?  Then cut it out with its affixes ("[", "]", ".", the HTML margin
 * column of second-field-align) and return true: the list prints its own
 * label there, in one form for every style. */
static bool
cut_leading_number(char *text, char *p, size_t len)
{
	static const char margin[] = "<div class=\"csl-left-margin\">";
	static const char inline_[] = "<div class=\"csl-right-inline\">";
	char *s = text, *q, *m = NULL;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	if (strncmp(s, margin, sizeof(margin) - 1) == 0) {
		m = s;
		s += sizeof(margin) - 1;
	}
	/* before: only brackets and escapes */
	for (q = s; q < p; q++)
		if (strchr("[(\\{", *q) == NULL)
			return false;
	if (p - s > 3)
		return false;
	q = p + len;
	/* after: closing brackets and punctuation, then space */
	for (n = 0; *q != '\0' && n < 4; q++, n++)
		if (strchr("])}.:", *q) == NULL &&
		    (*q != '\\' || q[1] == '\0' || strchr("])", q[1]) == NULL))
			break;	/* a backslash only as the escape of a bracket */
	if (m != NULL) {
		char *e;

		if (strncmp(q, "</div>", 6) != 0)
			return false;
		q += 6;
		while (isspace((unsigned char)*q))
			q++;
		if (strncmp(q, inline_, sizeof(inline_) - 1) == 0 &&
		    (e = strrchr(q, '<')) != NULL && strcmp(e, "</div>") == 0) {
			*e = '\0';		/* unwrap the right column */
			q += sizeof(inline_) - 1;
		}
		memmove(text, q, strlen(q) + 1);
		return true;
	}
	if (*q != '\0' && !isspace((unsigned char)*q) && q == p + len)
		return false;	/* "12345abc": not a label */
	while (isspace((unsigned char)*q))
		q++;
	memmove(text, q, strlen(q) + 1);
	return true;
}

/* Put the labels in.  Where the style printed the number at the start of an
 * entry, the list prints its label instead; where it printed it elsewhere,
 * the label takes its place; otherwise the list prints the label when
 * numbers are wanted (own_label). */
static void
place_labels(struct cvctx *c, bool want)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct entry *x = &c->v[i];
		struct cvb_buf t = CVB_BUF_INIT;
		size_t len;
		char *p;

		x->own_label = want;
		if (x->text == NULL || (p = find_stand_in(x->text, i, &len)) == NULL)
			continue;
		if (cut_leading_number(x->text, p, len)) {
			x->own_label = true;
			continue;
		}
		cvb_buf_add(&t, x->text, (size_t)(p - x->text));
		cvb_buf_adds(&t, x->label);
		cvb_buf_adds(&t, p + len);
		free(x->text);
		x->text = cvbib_buf_detach(&t, NULL);
		x->own_label = false;
	}
}

/* ------------------------------------------------------------ typst-data */

static json_t *
typst_names(const struct cvb_item *it, const char *text)
{
	json_t *a = json_array();
	const struct cvb_name *n;

	for (n = it->names[CVB_NV_AUTHOR]; a != NULL && n != NULL; n = n->next) {
		struct cvb_buf s = CVB_BUF_INIT;

		if (n->flags & CVB_NF_OTHERS) {
			json_array_append_new(a, json_pack("{s:s,s:b}", "name", "et al.", "others", 1));
			continue;
		}
		if (n->literal != NULL)
			cvb_buf_adds(&s, n->literal);
		else {
			const char *parts[] = { n->given, n->dropping_particle,
			    n->non_dropping_particle, n->family, n->suffix };
			size_t i;

			for (i = 0; i < CVB_ARRAY_SIZE(parts); i++)
				if (parts[i] != NULL && *parts[i] != '\0')
					cvb_buf_addf(&s, "%s%s", s.len ? " " : "", parts[i]);
		}
		json_array_append_new(a, json_pack("{s:s,s:s?,s:s?,s:b,s:s?}",
		    "name", s.buf ? s.buf : "", "family", n->family, "given", n->given,
		    "highlight", (n->flags & CVB_NF_HIGHLIGHT) != 0, "marker", n->marker));
		cvbib_buf_release(&s);
	}
	(void)text;
	return a;
}

/* The authors in Typst markup: the owner through cvbib-owner, markers in
 * superscript, for eval(..., mode: "markup"). */
static char *
typst_author_markup(const struct cvb_item *it)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const struct cvb_name *n;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		struct cvb_buf s = CVB_BUF_INIT;

		if (o.len > 0)
			cvb_buf_adds(&o, ", ");
		if (n->flags & CVB_NF_OTHERS)
			cvb_buf_adds(&s, "et al.");
		else if (n->literal != NULL)
			cvb_buf_adds(&s, n->literal);
		else
			cvb_buf_addf(&s, "%s%s%s", n->given ? n->given : "", n->given ? " " : "",
			    n->family ? n->family : "");
		if (n->flags & CVB_NF_HIGHLIGHT)
			cvb_buf_adds(&o, "#strong[");
		cvb_typst_escape(&o, s.buf ? s.buf : "", s.len);
		if (n->flags & CVB_NF_HIGHLIGHT)
			cvb_buf_adds(&o, "]");
		if (n->marker != NULL) {
			cvb_buf_adds(&o, "#super[");
			cvb_typst_escape(&o, n->marker, strlen(n->marker));
			cvb_buf_adds(&o, "]");
		}
		cvbib_buf_release(&s);
	}
	return cvbib_buf_detach(&o, NULL);
}

static json_t *
typst_data_entry(struct cvctx *c, struct entry *x)
{
	const struct cvb_item *it = x->it;
	struct link links[16];
	size_t nl = item_links(c->b, it, links, CVB_ARRAY_SIZE(links), c->d), i;
	struct cvb_buf t = CVB_BUF_INIT, m = CVB_BUF_INIT, date = CVB_BUF_INIT;
	const char *venue = it->str[CVB_V_CONTAINER_TITLE] ? it->str[CVB_V_CONTAINER_TITLE] :
	    it->str[CVB_V_EVENT_TITLE] ? it->str[CVB_V_EVENT_TITLE] :
	    it->str[CVB_V_PUBLISHER];
	const struct cvb_date *dt = it->date[CVB_DV_ISSUED];
	const struct cvb_note *n;
	char *am = typst_author_markup(it);
	json_t *e, *a, *nt;

	cvb_rich_text(&t, it->str[CVB_V_TITLE] ? it->str[CVB_V_TITLE] : "");
	if (venue != NULL)
		cvb_rich_text(&m, venue);
	if (dt != NULL && dt->nparts[0] > 0) {
		cvb_buf_addf(&date, "%04d", dt->parts[0][0]);
		for (i = 1; i < (size_t)dt->nparts[0]; i++)
			cvb_buf_addf(&date, "-%02d", dt->parts[0][i]);
	} else if (dt != NULL && dt->literal != NULL)
		cvb_buf_adds(&date, dt->literal);
	e = json_pack("{s:s?,s:s?,s:s?,s:s,s:o,s:s,s:s?,s:s?,s:s?,s:b,s:s}",
	    "label", x->own_label ? x->label : NULL,
	    "key", it->key ? it->key : it->id, "type", cvb_type_name(it->type),
	    "title", t.buf ? t.buf : "", "authors", typst_names(it, x->text),
	    "authors-markup", am ? am : "",
	    "venue", m.buf, "date", date.buf, "url", nl > 0 ? links[0].url : NULL,
	    "selected", (it->flags & CVB_IF_SELECTED) != 0,
	    "text", x->text ? x->text : "");
	a = json_array();
	for (i = 0; i < nl; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "name", links[i].label, "url", links[i].url));
	json_object_set_new(e, "links", a);
	nt = json_array();
	for (n = it->notes; n != NULL; n = n->next) {
		static const char *const kind[] = { "award", "status", "presentation", "note" };
		struct cvb_buf p = CVB_BUF_INIT;

		if (n->text == NULL)
			continue;
		cvb_rich_plain(&p, n->text);
		json_array_append_new(nt, json_pack("{s:s,s:s}", "kind", kind[n->kind], "text", p.buf ? p.buf : ""));
		cvbib_buf_release(&p);
	}
	if (it->str[CVB_V_STATUS] != NULL && !cvb_cv_has_note(it, CVB_NOTE_STATUS, it->str[CVB_V_STATUS]))
		json_array_append_new(nt, json_pack("{s:s,s:s}", "kind", "status", "text", it->str[CVB_V_STATUS]));
	json_object_set_new(e, "notes", nt);
	free(am);
	cvbib_buf_release(&t);
	cvbib_buf_release(&m);
	cvbib_buf_release(&date);
	return e;
}

/* The CV list as JSON for Typst templates (doc/typst.md): groups of entries
 * with every decision made (order, numbers, owner, markers, links). */
static void
typst_data(struct cvb_buf *o, struct cvctx *c, struct glist *g, const struct legend *lg)
{
	json_t *root = json_object(), *groups = json_array();
	struct cvb_buf leg = CVB_BUF_INIT;
	size_t i, j, k = 0;
	char *s;

	for (i = 0; i < g->n; i++) {
		struct group *x = &g->v[i];
		json_t *ents;

		if (x->n == 0)
			continue;	/* (an empty group's array leaked here) */
		ents = json_array();
		for (j = 0; j < x->n; j++, k++)
			json_array_append_new(ents, typst_data_entry(c, &c->v[k]));
		json_array_append_new(groups, json_pack("{s:s?,s:s,s:o}", "title", x->title,
		    "prefix", x->prefix ? x->prefix : "", "entries", ents));
	}
	json_object_set_new(root, "generator", json_string("cvbib " CVBIB_VERSION));
	json_object_set_new(root, "groups", groups);
	write_legend(&leg, CVBIB_OUT_TEXT, c->b, lg);
	while (leg.len > 0 && leg.buf[leg.len - 1] == '\n')
		leg.buf[--leg.len] = '\0';
	json_object_set_new(root, "legend", leg.len ? json_string(leg.buf) : json_null());
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s != NULL) {
		cvb_buf_adds(o, s);
		cvb_buf_addch(o, '\n');
	} else
		o->err = 1;
	free(s);
	json_decref(root);
	cvbib_buf_release(&leg);
}

/* ----------------------------------------------------------------- driver */

static int write_cv(cvbib_biblio *b, enum cvbib_outfmt fmt, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d, bool data);

int
cvb_write_formatted(cvbib_biblio *b, enum cvbib_outfmt fmt, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	return write_cv(b, fmt, opts, out, d, false);
}

int
cvb_write_typst_data(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	return write_cv(b, CVBIB_OUT_TYPST, opts, out, d, true);
}

/* The pipeline of cv.c's header comment, from the options to the output. */
static int
write_cv(cvbib_biblio *b, enum cvbib_outfmt fmt, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d, bool data)
{
	static const char *const groupbys[] = { "none", "type", "year", "keyword", "selected", "section", NULL };
	static const char *const sorts[] = { "newest", "oldest", "author", "title", "none", "style", NULL };
	static const char *const lists[] = { "itemize", "enumerate", "thebibliography", NULL };
	static const char *const owner_etal[] = { "show", "all", "style", NULL };
	struct cvbib_options e;
	struct cvctx c;
	struct glist g = { NULL, 0, 0 };
	struct cvb_item **items = NULL;
	cvbib_style *style = NULL;
	struct cvb_buf body = CVB_BUF_INIT;
	enum groupby gb;
	size_t n, i, j, k;
	struct legend legend = { NULL, NULL };
	int rc, gbi, si, lli, oei;

	rc = cvb_cv_prepare(b, opts, &e, d);
	if (rc != 0)
		return rc;
	gbi = cvb_cv_check_choice(e.group_by, "--group-by", groupbys, d);
	si = cvb_cv_check_choice(e.sort, "--sort", sorts, d);
	lli = cvb_cv_check_choice(e.latex_list, "--latex-list", lists, d);
	oei = cvb_cv_check_choice(e.owner_in_etal, "--owner-in-etal", owner_etal, d);
	if (gbi < 0 || si < 0 || lli < 0 || oei < 0)
		return -CVBIB_EUSAGE;
	gb = (enum groupby)gbi;
	if (fmt == CVBIB_OUT_LATEX && e.latex_preamble > 0)
		return cvb_cv_biblatex_preamble(b, opts, out, d);
	rc = cvbib_style_load(&style, e.style ? e.style : "apa", e.locale, &e, d);
	if (rc != 0)
		return rc;
	/* show (the default), all, style */
	style->owner_etal = oei == 1 ? OWNER_ETAL_ALL : oei == 2 ? OWNER_ETAL_STYLE : OWNER_ETAL_SHOW;
	if (!cvb_cv_is_list(b, &e) && fmt != CVBIB_OUT_TYPST) {
		/* a plain reference list: the engine's own */
		rc = cvbib_format_bibliography(style, b, fmt, out, d);
		cvbib_style_free(style);
		return rc;
	}
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.fmt = fmt;
	c.e = &e;
	c.d = d;
	c.ll = lli == 2 ? LL_BIBLIOGRAPHY : lli == 1 ? LL_ENUMERATE : LL_ITEMIZE;
	n = b->n;
	items = malloc((n ? n : 1) * sizeof(*items));
	if (items == NULL)
		goto nomem;
	if (n > 0)
		memcpy(items, b->items, n * sizeof(*items));
	if (e.dedupe != 0)
		n = cvb_cv_dedupe(b, items, n, d);
	if (e.sort != NULL && strcmp(e.sort, "style") == 0) {
		/* the style's order: ask the engine for it */
		struct cvb_csl_entry *ents = NULL;
		size_t ne = 0;
		cvbib_biblio *tmp = cvbib_biblio_new();

		if (tmp == NULL || (tmp->items = malloc(n * sizeof(*items) + 1)) == NULL) {
			cvbib_biblio_free(tmp);
			goto nomem;
		}
		memcpy(tmp->items, items, n * sizeof(*items));
		tmp->n = tmp->alloc = n;
		rc = cvb_csl_bibliography_entries(style, tmp, fmt, 1, &ents, &ne, d);
		if (rc == 0 && ne == n)
			for (i = 0; i < n; i++)
				items[i] = ents[i].item;
		cvb_csl_entries_free(ents, ne);
		tmp->n = 0;
		cvbib_biblio_free(tmp);
		if (rc != 0)
			goto done;
	} else if (cvb_cv_sort(items, n, e.sort ? e.sort : "newest") != 0)
		goto nomem;
	rc = cvb_cv_build_groups(b, &e, gb, items, n, &g, d);
	if (rc != 0)
		goto done;
	for (i = 0, k = 0; i < g.n; i++)
		k += g.v[i].n;
	if (k == 0 && n > 0)
		cvb_diag(d, CVB_D_CV_EMPTY, NULL, 0, 0, "no entry is in any group%s",
		    gb == GB_SELECTED ? " (no entry is marked selected)" : "");
	c.v = calloc(k ? k : 1, sizeof(*c.v));
	if (c.v == NULL)
		goto nomem;
	/* number: per group with prefixes, else across all groups */
	for (i = 0; i < g.n; i++) {
		struct group *x = &g.v[i];

		for (j = 0; j < x->n; j++) {
			struct entry *y = &c.v[c.n];
			size_t num;

			y->it = x->items[j];
			y->g = x;
			if (e.group_prefix > 0)
				num = e.countdown > 0 ? x->n - j : j + 1;
			else
				num = e.countdown > 0 ? k - c.n : c.n + 1;
			snprintf(y->label, sizeof(y->label), "%s%zu",
			    e.group_prefix > 0 ? x->prefix : "", num);
			set_markers(b, y->it, &legend);
			c.n++;
		}
	}
	rc = format_entries(&c, style);
	if (rc != 0)
		goto done;
	place_labels(&c, e.countdown > 0 || e.group_prefix > 0 ||
	    (fmt == CVBIB_OUT_LATEX && c.ll != LL_ITEMIZE));
	if (data)
		typst_data(&body, &c, &g, &legend);
	else
		write_groups(&body, &c, &g, &legend);
	if (fmt == CVBIB_OUT_HTML && e.standalone > 0) {
		cvb_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"generator\" content=\"cvbib " CVBIB_VERSION "\">\n"
		    "<link rel=\"icon\" href=\"data:,\">\n"
		    "<title>Publications</title>\n<style>\n");
		cvb_buf_adds(out, html_css);
		cvb_buf_adds(out, "</style>\n</head>\n<body>\n<main>\n"
		    "<h1 class=\"cvbib-title\">Publications</h1>\n");
		cvb_buf_add(out, body.buf, body.len);
		cvb_buf_adds(out, "</main>\n</body>\n</html>\n");
	} else
		cvb_buf_add(out, body.buf, body.len);
	if (out->err)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	rc = -CVBIB_ENOMEM;
done:
	for (i = 0; i < c.n; i++)
		free(c.v[i].text);
	free(c.v);
	for (i = 0; i < g.n; i++)
		free(g.v[i].items);
	free(g.v);
	free(items);
	cvbib_buf_release(&body);
	cvbib_style_free(style);
	return rc;
}
