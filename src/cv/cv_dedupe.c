/*
 * cv_dedupe.c - merge the same publication read from several inputs.
 *
 * A CV is often assembled from a .bib export, a Google Scholar dump and a
 * hand-written list, so the same paper arrives two or three times.  Two entries
 * are the same publication when they have the same DOI, the same arXiv id, or
 * the same normalised title, year and first author.  The entries of one
 * publication are merged into one (the published version is kept; fields it
 * lacks are filled from the others) and every merge is reported as a note.
 *
 * It works on an array of item pointers and changes only the items it merges
 * into (their storage is the bibliography's arena).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

static void
lower_trim(struct cvb_buf *out, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '.'))
		n--;
	for (size_t i = 0; i < n; i++)
		cvb_buf_addch(out, tolower((unsigned char)s[i]));
}

bool
cvb_cv_doi_key(const struct cvb_item *it, struct cvb_buf *out)
{
	const char *d = it->str[CVB_V_DOI], *p;
	static const char *const prefixes[] = {
		"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
		"http://dx.doi.org/", "doi.org/", "doi:", "doi ",
	};
	size_t i;

	if (d == NULL) {
		/* a DOI given only as a doi.org URL */
		const char *u = it->str[CVB_V_URL];

		if (u == NULL || (p = strstr(u, "doi.org/10.")) == NULL)
			return false;
		d = p + 8;
	}
	while (isspace((unsigned char)*d))
		d++;
	for (i = 0; i < CVB_ARRAY_SIZE(prefixes); i++)
		if (strncasecmp(d, prefixes[i], strlen(prefixes[i])) == 0) {
			d += strlen(prefixes[i]);
			break;
		}
	if (strncmp(d, "10.", 3) != 0)
		return false;
	lower_trim(out, d, strlen(d));
	return true;
}

/* Read an arXiv identifier at s ("2401.01234v2", "hep-th/9901001"), without
 * its version, into out.  Returns false when s does not start with one. */
static bool
arxiv_id_at(const char *s, struct cvb_buf *out)
{
	const char *p = s;
	size_t n;

	if (isdigit((unsigned char)p[0])) {
		for (n = 0; isdigit((unsigned char)p[n]); n++)
			;
		if (n != 4 || p[4] != '.')
			return false;
		for (n = 5; isdigit((unsigned char)p[n]); n++)
			;
		if (n < 9 || n > 10)
			return false;
		lower_trim(out, p, n);
		return true;
	}
	/* old style: archive(.SUBJ)/YYMMNNN */
	for (n = 0; isalpha((unsigned char)p[n]) || p[n] == '-' || p[n] == '.'; n++)
		;
	if (n == 0 || p[n] != '/')
		return false;
	{
		size_t k = n + 1, d = 0;

		while (isdigit((unsigned char)p[k + d]))
			d++;
		if (d != 7)
			return false;
		lower_trim(out, p, k + d);
	}
	return true;
}

/* Find "arXiv:ID", "arxiv.org/abs/ID", "10.48550/arXiv.ID" in s. */
static bool arxiv_in(const char *s, struct cvb_buf *out);

bool
cvb_arxiv_find(const char *s, struct cvb_buf *out)
{
	return arxiv_in(s, out);
}

bool
cvb_arxiv_id(const char *s, struct cvb_buf *out)
{
	return s != NULL && arxiv_id_at(s, out);
}

static bool
arxiv_in(const char *s, struct cvb_buf *out)
{
	const char *p;

	if (s == NULL)
		return false;
	for (p = s; (p = strcasestr(p, "arxiv")) != NULL; p += 5) {
		const char *q = p + 5;

		if (strncasecmp(q, ".org/abs/", 9) == 0 || strncasecmp(q, ".org/pdf/", 9) == 0)
			q += 9;
		else if (*q == ':' || *q == '.' || *q == ' ')
			q++;
		while (*q == ' ')
			q++;
		if (arxiv_id_at(q, out))
			return true;
	}
	return false;
}

bool
cvb_cv_arxiv_key(const struct cvb_item *it, struct cvb_buf *out)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next) {
		const char *v = f->value;

		if (strcasecmp(f->name, "arxiv") != 0 && strcasecmp(f->name, "eprint") != 0 &&
		    strcasecmp(f->name, "arxiv_id") != 0)
			continue;
		if (v != NULL && *v == '"')
			v++;	/* JSON string text */
		if (v != NULL && (arxiv_id_at(v, out) || arxiv_in(v, out)))
			return true;
	}
	/* BibTeX eprint with archivePrefix arXiv */
	if (it->str[CVB_V_ARCHIVE] != NULL && strcasecmp(it->str[CVB_V_ARCHIVE], "arxiv") == 0 &&
	    it->str[CVB_V_ARCHIVE_LOCATION] != NULL && arxiv_id_at(it->str[CVB_V_ARCHIVE_LOCATION], out))
		return true;
	if (arxiv_in(it->str[CVB_V_DOI], out) || arxiv_in(it->str[CVB_V_URL], out))
		return true;
	if ((it->str[CVB_V_NUMBER] != NULL && (arxiv_in(it->str[CVB_V_CONTAINER_TITLE], out) ||
	    arxiv_in(it->str[CVB_V_PUBLISHER], out))) && arxiv_id_at(it->str[CVB_V_NUMBER], out))
		return true;
	return arxiv_in(it->str[CVB_V_NOTE], out) || arxiv_in(it->str[CVB_V_NUMBER], out);
}

/* normalised title | year | first author's family */
static bool
title_key(const struct cvb_item *it, struct cvb_buf *out)
{
	struct cvb_buf f = CVB_BUF_INIT;
	const struct cvb_name *n = it->names[CVB_NV_AUTHOR];
	int year = cvb_item_year(it);
	size_t i;

	if (it->str[CVB_V_TITLE] == NULL || year == 0)
		return false;
	cvb_cv_fold(&f, it->str[CVB_V_TITLE]);
	for (i = 0; i < f.len; i++)
		if (f.buf[i] != ' ')
			cvb_buf_addch(out, f.buf[i]);
	cvb_buf_addf(out, "|%d|", year);
	if (n == NULL)
		n = it->names[CVB_NV_EDITOR];
	cvb_buf_reset(&f);
	if (n != NULL)
		cvb_cv_fold(&f, n->family ? n->family : n->literal);
	/* the last word of the family name: "van Haan" = "Haan" */
	{
		const char *sp = strrchr(f.buf, ' ');

		cvb_buf_adds(out, sp ? sp + 1 : f.buf);
	}
	cvbib_buf_release(&f);
	return true;
}

struct key {
	char	*s;
	size_t	 idx;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static size_t
find(size_t *parent, size_t i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/* Is it a published version (not a preprint)? */
static bool
published(const struct cvb_item *it)
{
	struct cvb_buf b = CVB_BUF_INIT;
	bool arxiv_doi;

	if (it->str[CVB_V_CONTAINER_TITLE] == NULL)
		return false;
	arxiv_doi = arxiv_in(it->str[CVB_V_CONTAINER_TITLE], &b);
	cvbib_buf_release(&b);
	return !arxiv_doi;
}

static bool
has_note(const struct cvb_item *it, const struct cvb_note *n)
{
	const struct cvb_note *x;

	for (x = it->notes; x != NULL; x = x->next)
		if (x->kind == n->kind && strcmp(x->text, n->text) == 0)
			return true;
	return false;
}

static bool
has_field(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (strcasecmp(f->name, name) == 0)
			return true;
	return false;
}

/* Fill what keep lacks from dup. */
static void
merge_into(cvbib_biblio *b, struct cvb_item *keep, const struct cvb_item *dup)
{
	const struct cvb_note *n;
	const struct cvb_field *f;
	size_t i;

	if (keep->type == CVB_T_NONE && keep->type_raw == NULL)
		keep->type = dup->type;
	for (i = 0; i < CVB_V__COUNT; i++)
		if (keep->str[i] == NULL && dup->str[i] != NULL && i != CVB_V_CITATION_NUMBER)
			keep->str[i] = dup->str[i];
	for (i = 0; i < CVB_DV__COUNT; i++)
		if (keep->date[i] == NULL)
			keep->date[i] = dup->date[i];
	for (i = 0; i < CVB_NV__COUNT; i++) {
		struct cvb_name *a = keep->names[i];
		const struct cvb_name *d = dup->names[i];

		if (a == NULL) {
			keep->names[i] = dup->names[i];
			continue;
		}
		/* the same author list: carry the CV markers over */
		for (; a != NULL && d != NULL; a = a->next, d = d->next) {
			a->flags |= d->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP | CVB_NF_HIGHLIGHT);
			if (a->marker == NULL)
				a->marker = d->marker;
		}
	}
	if (keep->categories == NULL)
		keep->categories = dup->categories;
	for (n = dup->notes; n != NULL; n = n->next)
		if (!has_note(keep, n))
			cvb_item_add_note(b, keep, n->kind, n->text);
	for (f = dup->extra; f != NULL; f = f->next)
		if (!has_field(keep, f->name))
			cvb_item_add_field(b, keep, f->name, f->value, f->flags);
	keep->flags |= dup->flags & (CVB_IF_SELECTED | CVB_IF_HAS_EQUAL | CVB_IF_HAS_CORRESP);
	if (keep->group == NULL)
		keep->group = dup->group;
}

static const char *
where(const struct cvb_item *it, char *tmp, size_t n)
{
	if (it->loc.file == NULL)
		return "?";
	snprintf(tmp, n, "%s:%u", it->loc.file, it->loc.line);
	return tmp;
}

size_t
cvb_cv_dedupe(cvbib_biblio *b, struct cvb_item **items, size_t n, struct cvbib_diags *d)
{
	struct key *keys;
	size_t *parent, *keeper, nk = 0, i, j, out;
	struct cvb_buf k = CVB_BUF_INIT;
	char *why;

	if (n < 2)
		return n;
	keys = calloc(n * 3, sizeof(*keys));
	parent = calloc(n, sizeof(*parent));
	keeper = calloc(n, sizeof(*keeper));
	why = calloc(n, 1);
	if (keys == NULL || parent == NULL || keeper == NULL || why == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		parent[i] = i;
		cvb_buf_reset(&k);
		cvb_buf_adds(&k, "d");
		if (cvb_cv_doi_key(items[i], &k) && (keys[nk].s = strdup(k.buf)) != NULL)
			keys[nk++].idx = i;
		cvb_buf_reset(&k);
		cvb_buf_adds(&k, "a");
		if (cvb_cv_arxiv_key(items[i], &k) && (keys[nk].s = strdup(k.buf)) != NULL)
			keys[nk++].idx = i;
		cvb_buf_reset(&k);
		cvb_buf_adds(&k, "t");
		if (title_key(items[i], &k) && (keys[nk].s = strdup(k.buf)) != NULL)
			keys[nk++].idx = i;
	}
	qsort(keys, nk, sizeof(*keys), key_cmp);
	for (i = 1; i < nk; i++)
		if (strcmp(keys[i].s, keys[i - 1].s) == 0) {
			size_t a = find(parent, keys[i - 1].idx), c = find(parent, keys[i].idx);

			if (a != c) {
				if (a < c)
					parent[c] = a;
				else
					parent[a] = c;
				/* the reason is recorded on the later entry */
				why[keys[i].idx > keys[i - 1].idx ? keys[i].idx : keys[i - 1].idx] = keys[i].s[0];
			}
		}
	/* the entry kept: the first published one of each set, else the first */
	for (i = 0; i < n; i++)
		keeper[i] = (size_t)-1;
	for (i = 0; i < n; i++) {
		size_t r = find(parent, i);

		if (keeper[r] == (size_t)-1 || (!published(items[keeper[r]]) && published(items[i])))
			keeper[r] = i;
	}
	for (i = 0; i < n; i++) {
		size_t r = find(parent, i), kp = keeper[r];
		char t2[512];
		const char *reason;
		struct cvb_buf title = CVB_BUF_INIT;

		if (i == kp)
			continue;
		merge_into(b, items[kp], items[i]);
		switch (why[i] ? why[i] : why[kp]) {
		case 'd': reason = "the same DOI"; break;
		case 'a': reason = "the same arXiv id"; break;
		default: reason = "the same title, year and first author"; break;
		}
		cvb_rich_plain(&title, items[i]->str[CVB_V_TITLE] ? items[i]->str[CVB_V_TITLE] : "(untitled)");
		cvb_diag(d, CVB_D_CV_DUPLICATE, items[i]->loc.file, items[i]->loc.line,
		    items[i]->loc.column, "'%.60s%s' merged into the entry at %s (%s)",
		    title.buf, title.len > 60 ? "..." : "", where(items[kp], t2, sizeof(t2)), reason);
		cvbib_buf_release(&title);
	}
	/* compact: keep each set's entry at the place of its first member */
	for (i = 0, out = 0; i < n; i++) {
		size_t r = find(parent, i);

		if (r == i)
			items[out++] = items[keeper[r]];
	}
	n = out;
	for (j = 0; j < nk; j++)
		free(keys[j].s);
done:
	free(keys);
	free(parent);
	free(keeper);
	free(why);
	cvbib_buf_release(&k);
	return n;
}
