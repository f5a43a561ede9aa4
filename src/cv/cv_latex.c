/*
 * cv_latex.c - LaTeX pieces of the CV layer: escaping of the text the CV
 * layer writes itself (headings, labels, notes, legend), and the biblatex
 * data annotations that mark the CV owner and the equal-contribution and
 * corresponding authors ("author+an = {2=highlight,equal}").
 *
 * The BibTeX writer (write_bibtex.c) owns the .bib text; it either calls
 * cvb_cv_biblatex_annotation() for each entry, or the finished text is passed
 * through cvb_cv_biblatex_annotate(), which adds the fields after the fact.
 * The preamble that prints the annotations is cvb_cv_biblatex_preamble()
 * (below; the groups come from cv_group.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include "cvb_int.h"
#include "cv/cv.h"

void
cvb_cv_latex_escape(struct cvb_buf *o, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\n': case '\r': cvb_buf_addch(o, ' '); break;
		default:
			if (cvb_latex_special(*s) != NULL)
				cvb_buf_adds(o, cvb_latex_special(*s));
			else if (strncmp(s, "\xE2\x80\xA0", 3) == 0) {	/* dagger */
				cvb_buf_adds(o, "\\ensuremath{\\dagger}");
				s += 2;
			} else if (strncmp(s, "\xE2\x80\xA1", 3) == 0) {
				cvb_buf_adds(o, "\\ensuremath{\\ddagger}");
				s += 2;
			} else
				cvb_buf_addch(o, *s);
			break;
		}
	}
}

bool
cvb_cv_biblatex_annotation(const struct cvb_item *it, enum cvb_nvar nv, struct cvb_buf *out)
{
	const struct cvb_name *n;
	unsigned pos = 0;
	bool any = false;

	{
		/* an annotation read with more in it than these marks (cv.c kept
		 * it as an extra field) is written as it was, by the writer */
		const struct cvb_field *f;
		char fname[64];

		snprintf(fname, sizeof(fname), "%s+an", cvb_nvar_name(nv));
		for (f = it->extra; f != NULL; f = f->next)
			if (strcmp(f->name, fname) == 0)
				return false;
	}
	for (n = it->names[nv]; n != NULL; n = n->next) {
		const char *sep = "=";

		if (n->flags & CVB_NF_OTHERS)
			continue;	/* "and others" is no list item in biblatex */
		pos++;
		if (!(n->flags & (CVB_NF_HIGHLIGHT | CVB_NF_EQUAL | CVB_NF_CORRESP)))
			continue;
		if (!any)
			cvb_buf_addf(out, "%s+an = {", cvb_nvar_name(nv));
		cvb_buf_addf(out, "%s%u", any ? "; " : "", pos);
		if (n->flags & CVB_NF_HIGHLIGHT)
			cvb_buf_addf(out, "%shighlight", sep), sep = ",";
		if (n->flags & CVB_NF_EQUAL)
			cvb_buf_addf(out, "%sequal", sep), sep = ",";
		if (n->flags & CVB_NF_CORRESP)
			cvb_buf_addf(out, "%scorresponding", sep);
		any = true;
	}
	if (any)
		cvb_buf_addch(out, '}');
	return any;
}

/* The key of the entry that starts at p ("@type{key,"), into key; the end of
 * the first line in *eol.  False for @string, @preamble and @comment. */
static bool
entry_head(const char *p, struct cvb_buf *key, const char **eol)
{
	const char *q = p + 1, *k;

	while (isalpha((unsigned char)*q))
		q++;
	if (strncasecmp(p + 1, "string", 6) == 0 || strncasecmp(p + 1, "preamble", 8) == 0 ||
	    strncasecmp(p + 1, "comment", 7) == 0)
		return false;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '{' && *q != '(')
		return false;
	k = ++q;
	while (*q != '\0' && *q != ',' && *q != '\n' && *q != '}')
		q++;
	if (*q != ',')
		return false;
	cvb_buf_reset(key);
	cvb_buf_add(key, k, (size_t)(q - k));
	while (*q != '\0' && *q != '\n')
		q++;
	*eol = q;
	return true;
}

int
cvb_cv_biblatex_annotate(cvbib_biblio *b, struct cvb_buf *out, size_t from)
{
	struct cvb_buf res = CVB_BUF_INIT, key = CVB_BUF_INIT, ann = CVB_BUF_INIT;
	const char *p, *start, *eol;
	size_t next = 0, i;

	if (from > out->len)
		return 0;
	start = out->buf + from;
	cvb_buf_add(&res, out->buf, from);
	p = start;
	while (*p != '\0') {
		const char *line_end = strchr(p, '\n');
		struct cvb_item *it = NULL;

		if (line_end == NULL)
			line_end = p + strlen(p);
		if (*p != '@' || !entry_head(p, &key, &eol)) {
			cvb_buf_add(&res, p, (size_t)(line_end - p) + (*line_end ? 1 : 0));
			p = line_end + (*line_end ? 1 : 0);
			continue;
		}
		/* entries come in the order of the items; the key confirms it */
		for (i = next; i < b->n && it == NULL; i++) {
			const char *k = b->items[i]->key ? b->items[i]->key : b->items[i]->id;

			if (k != NULL && strcmp(k, key.buf) == 0)
				it = b->items[i], next = i + 1;
		}
		if (it == NULL && next < b->n)
			it = b->items[next++];
		cvb_buf_add(&res, p, (size_t)(eol - p));
		cvb_buf_addch(&res, '\n');
		if (it != NULL) {
			enum cvb_nvar nv;

			for (nv = CVB_NV_AUTHOR; nv < CVB_NV__COUNT; nv++) {
				if (nv != CVB_NV_AUTHOR && nv != CVB_NV_EDITOR)
					continue;
				cvb_buf_reset(&ann);
				if (cvb_cv_biblatex_annotation(it, nv, &ann))
					cvb_buf_addf(&res, "  %s,\n", ann.buf);
			}
		}
		p = eol + (*eol ? 1 : 0);
	}
	cvbib_buf_release(&key);
	cvbib_buf_release(&ann);
	if (res.err) {
		cvbib_buf_release(&res);
		return -CVBIB_ENOMEM;
	}
	cvbib_buf_release(out);
	*out = res;
	return 0;
}

void
cvb_cv_biblatex_keys(cvbib_biblio *b, const char *text, const char **keys)
{
	struct cvb_buf key = CVB_BUF_INIT;
	const char *p = text, *eol;
	size_t next = 0, i;

	while (*p != '\0') {
		const char *line_end = strchr(p, '\n');

		if (line_end == NULL)
			line_end = p + strlen(p);
		if (*p == '@' && entry_head(p, &key, &eol)) {
			size_t hit = b->n;

			/* the item with this key, else the next one in order */
			for (i = next; i < b->n && hit == b->n; i++) {
				const char *k = b->items[i]->key ? b->items[i]->key : b->items[i]->id;

				if (k != NULL && strcmp(k, key.buf) == 0)
					hit = i;
			}
			if (hit == b->n && next < b->n)
				hit = next;
			if (hit < b->n) {
				keys[hit] = cvb_arena_strdup(&b->arena, key.buf);
				next = hit + 1;
			}
		}
		p = line_end + (*line_end ? 1 : 0);
	}
	cvbib_buf_release(&key);
}

/* ------------------------------------------------- biblatex: --latex-preamble */

static const char biblatex_setup[] =
"\\makeatletter\n"
"\\@ifpackageloaded{biblatex}{}{%\n"
"  \\RequirePackage[backend=biber,style=numeric,sorting=none]{biblatex}}\n"
"\\ExecuteBibliographyOptions{sorting=none}\n"
"% The CV owner in bold and the markers of equal contribution and\n"
"% corresponding authors, from the annotations that cvbib writes in the .bib\n"
"% (author+an = {2=highlight,equal}).\n"
"\\renewcommand*{\\mkbibcompletename}[1]{%\n"
"  \\ifitemannotation{highlight}{\\textbf{#1}}{#1}%\n"
"  \\ifitemannotation{equal}{\\textsuperscript{*}}{}%\n"
"  \\ifitemannotation{corresponding}{\\textsuperscript{\\textdagger}}{}}\n";

static const char biblatex_countdown[] =
"% Count-down numbers: the entries of each refsection are counted (once each)\n"
"% as they are read, and number k of n is printed as n+1-k.\n"
"\\AtDataInput{\\ifcsdef{cvbib@seen@\\the\\c@refsection @\\thefield{entrykey}}{}{%\n"
"  \\csgdef{cvbib@seen@\\the\\c@refsection @\\thefield{entrykey}}{}%\n"
"  \\csnumgdef{cvbib@total@\\the\\c@refsection}{%\n"
"    \\csuse{cvbib@total@\\the\\c@refsection}+1}}}\n"
"\\DeclareFieldFormat{labelnumber}{%\n"
"  \\number\\numexpr\\csuse{cvbib@total@\\the\\c@refsection}+1-#1\\relax}\n";

/* The keys under which the .bib holds the items: the BibTeX writer may make
 * keys of its own, so its output is read back (cvb_cv_biblatex_keys()). */
static const char **
bib_keys(cvbib_biblio *b, const struct cvbib_options *o)
{
	const char **keys = cvb_arena_alloc(&b->arena, (b->n + 1) * sizeof(*keys));
	struct cvbib_options plain = *o;
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	struct cvb_buf bib = CVB_BUF_INIT;
	size_t i;

	if (keys == NULL)
		return NULL;
	plain.latex_preamble = 0;
	if (cvb_write_biblatex(b, &plain, &bib, &quiet) == 0)
		cvb_cv_biblatex_keys(b, bib.buf, keys);
	for (i = 0; i < b->n; i++)
		if (keys[i] == NULL)
			keys[i] = b->items[i]->key ? b->items[i]->key : b->items[i]->id;
	cvbib_buf_release(&bib);
	cvbib_diags_release(&quiet);
	return keys;
}

/* The keys of v[0..n) separated by commas; keys[] by position in b. */
static void
key_list(struct cvb_buf *o, struct cvb_item **v, size_t n, cvbib_biblio *b, const char **keys)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *k = v[i]->key ? v[i]->key : v[i]->id;

		if (keys != NULL && v[i]->seq < b->n && b->items[v[i]->seq] == v[i])
			k = keys[v[i]->seq];

		if (k == NULL)
			continue;
		if (i > 0)
			cvb_buf_addch(o, ',');
		cvb_buf_adds(o, k);
	}
}

/*
 * biblatex's maxbibnames for --owner-in-etal: "all" lists every name; "show"
 * (the default) lists at least as many names as the latest position of the
 * owner in an author list, so that biblatex's et al. never hides the owner
 * (maxbibnames and minbibnames both that many, and maxbibnames never below
 * biblatex's default of 3); "style" leaves biblatex's settings.
 */
static void
owner_maxbibnames(struct cvb_buf *out, struct cvb_item **items, size_t n, const char *mode)
{
	size_t i, k = 0;

	if (mode != NULL && strcmp(mode, "style") == 0)
		return;
	if (mode != NULL && strcmp(mode, "all") == 0) {
		cvb_buf_adds(out, "% every author (--owner-in-etal all)\n"
		    "\\ExecuteBibliographyOptions{maxbibnames=999,minbibnames=999}\n");
		return;
	}
	for (i = 0; i < n; i++) {
		const struct cvb_name *nm;
		size_t pos = 0;
		for (nm = items[i]->names[CVB_NV_AUTHOR]; nm != NULL; nm = nm->next) {
			pos++;
			if (nm->flags & CVB_NF_HIGHLIGHT) {
				if (pos > k) k = pos;
				break;
			}
		}
	}
	if (k <= 1)
		return;
	cvb_buf_addf(out, "%% the owner is never hidden by et al. (--owner-in-etal show): as many\n"
	    "%% names as the owner's latest position in an author list\n"
	    "\\ExecuteBibliographyOptions{maxbibnames=%zu,minbibnames=%zu}\n", k < 3 ? (size_t)3 : k, k);
}

int
cvb_cv_biblatex_preamble(cvbib_biblio *b, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	static const char *const groupbys[] = { "none", "type", "year", "keyword", "selected", "section", NULL };
	static const char *const sorts[] = { "newest", "oldest", "author", "title", "none", NULL };
	static const char *const owner_etal[] = { "show", "all", "style", NULL };
	struct cvbib_options e;
	struct glist g = { NULL, 0, 0 };
	struct cvb_item **items;
	const char **keys;
	size_t n, i;
	int rc, gbi;

	rc = cvb_cv_prepare(b, opts, &e, d);
	if (rc != 0)
		return rc;
	gbi = cvb_cv_check_choice(e.group_by, "--group-by", groupbys, d);
	if (gbi < 0 || cvb_cv_check_choice(e.sort, "--sort", sorts, d) < 0 ||
	    cvb_cv_check_choice(e.owner_in_etal, "--owner-in-etal", owner_etal, d) < 0)
		return -CVBIB_EUSAGE;
	n = b->n;
	items = malloc((n ? n : 1) * sizeof(*items));
	if (items == NULL)
		return -CVBIB_ENOMEM;
	if (n > 0)
		memcpy(items, b->items, n * sizeof(*items));
	if (e.dedupe != 0)
		n = cvb_cv_dedupe(b, items, n, d);
	if (cvb_cv_sort(items, n, e.sort ? e.sort : "newest") != 0) {
		free(items);
		return -CVBIB_ENOMEM;
	}
	rc = cvb_cv_build_groups(b, &e, (enum groupby)gbi, items, n, &g, d);
	if (rc != 0)
		goto done;
	keys = bib_keys(b, &e);
	cvb_buf_adds(out,
	    "% biblatex set-up for a CV, written by cvbib --latex-preamble\n"
	    "% (doc/cv.md).  In the preamble:\n"
	    "%     \\input{THIS FILE}\n"
	    "%     \\addbibresource{publications.bib}  % cvbib --format biblatex\n"
	    "% and in the document, where the publications go:\n"
	    "%     \\cvbibpublications\n"
	    "% Then run pdflatex, biber, pdflatex.\n");
	cvb_buf_adds(out, biblatex_setup);
	owner_maxbibnames(out, items, n, e.owner_in_etal);
	if (e.countdown > 0)
		cvb_buf_adds(out, biblatex_countdown);
	cvb_buf_adds(out,
	    "\\ifcsname cvbibheading\\endcsname\\else\\def\\cvbibheading#1{\\subsection*{#1}}\\fi\n"
	    "\\defbibheading{cvbibgroup}[]{\\cvbibheading{#1}}\n");
	if (e.group_prefix <= 0) {
		/* one refsection, numbered across the groups; a category per group */
		size_t gi = 0;

		for (i = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_addf(out, "\\DeclareBibliographyCategory{cvbib%zu}\n", ++gi);
			cvb_buf_addf(out, "\\addtocategory{cvbib%zu}{", gi);
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
			cvb_buf_adds(out, "}\n");
		}
		cvb_buf_adds(out, "\\newcommand{\\cvbibpublications}{%\n  \\begin{refsection}%\n  \\nocite{");
		for (i = 0, gi = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			if (gi++ > 0)
				cvb_buf_addch(out, ',');
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
		}
		cvb_buf_adds(out, "}%\n");
		for (i = 0, gi = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_addf(out, "  \\printbibliography[category=cvbib%zu", ++gi);
			if (g.v[i].title != NULL) {
				cvb_buf_adds(out, ",heading=cvbibgroup,title={");
				cvb_cv_latex_escape(out, g.v[i].title);
				cvb_buf_adds(out, "}");
			} else
				cvb_buf_adds(out, ",heading=none");
			cvb_buf_adds(out, "]%\n");
		}
		cvb_buf_adds(out, "  \\end{refsection}}\n");
	} else {
		/* a refsection per group: numbers J1.. restart in each */
		cvb_buf_adds(out, "\\newcommand{\\cvbibpublications}{%\n");
		for (i = 0; i < g.n; i++) {
			if (g.v[i].n == 0)
				continue;
			cvb_buf_adds(out, "  \\begin{refsection}%\n  \\newrefcontext[labelprefix={");
			cvb_cv_latex_escape(out, g.v[i].prefix);
			cvb_buf_adds(out, "}]%\n  \\nocite{");
			key_list(out, g.v[i].items, g.v[i].n, b, keys);
			cvb_buf_adds(out, "}%\n  \\printbibliography[");
			if (g.v[i].title != NULL) {
				cvb_buf_adds(out, "heading=cvbibgroup,title={");
				cvb_cv_latex_escape(out, g.v[i].title);
				cvb_buf_adds(out, "}");
			} else
				cvb_buf_adds(out, "heading=none");
			cvb_buf_adds(out, "]%\n  \\end{refsection}%\n");
		}
		cvb_buf_adds(out, "}\n");
	}
	cvb_buf_adds(out, "\\makeatother\n");
	rc = out->err ? -CVBIB_ENOMEM : 0;
done:
	for (i = 0; i < g.n; i++)
		free(g.v[i].items);
	free(g.v);
	free(items);
	return rc;
}