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
 * (cv.c, which knows the groups).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

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
