/*
 * openalex.c - OpenAlex works JSON: a list answer ({"meta", "results"}), a
 * bare array of works, or one work.
 *
 * Authorships in order (the name as the paper wrote it, raw_author_name,
 * else OpenAlex's display_name), corresponding authors flagged, the venue
 * of the primary location (or the old host_venue), biblio (volume, issue,
 * pages), ids (DOI, PMID, PMCID, the OpenAlex id), the abstract rebuilt
 * from its inverted index.  A list of two or more works that share one
 * author is that author's profile: the author is highlighted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

static const struct fmt_type oa_types[] = {
	{ "article", CVB_T_ARTICLE_JOURNAL }, { "journal-article", CVB_T_ARTICLE_JOURNAL },
	{ "proceedings-article", CVB_T_PAPER_CONFERENCE }, { "book-chapter", CVB_T_CHAPTER },
	{ "book", CVB_T_BOOK }, { "monograph", CVB_T_BOOK }, { "edited-book", CVB_T_BOOK },
	{ "dataset", CVB_T_DATASET }, { "preprint", CVB_T_ARTICLE }, { "posted-content", CVB_T_ARTICLE },
	{ "dissertation", CVB_T_THESIS }, { "review", CVB_T_REVIEW }, { "peer-review", CVB_T_REVIEW },
	{ "report", CVB_T_REPORT }, { "standard", CVB_T_STANDARD }, { "reference-entry", CVB_T_ENTRY },
	{ "letter", CVB_T_ARTICLE_JOURNAL }, { "editorial", CVB_T_ARTICLE_JOURNAL },
	{ "erratum", CVB_T_ARTICLE_JOURNAL }, { "retraction", CVB_T_ARTICLE_JOURNAL },
	{ "paratext", CVB_T_DOCUMENT }, { "libguides", CVB_T_WEBPAGE }, { "grant", CVB_T_DOCUMENT },
	{ "supplementary-materials", CVB_T_DATASET }, { "other", CVB_T_DOCUMENT },
	{ NULL, CVB_T_NONE }
};

struct oa {
	struct fmt	 f;
	const char	*owner;		/* author id common to every work, or NULL */
};

static const char *
jstr(const json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	return json_is_string(v) && *json_string_value(v) != '\0' ? json_string_value(v) : NULL;
}

static const char *
jnum(struct fmt *f, const json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	if (json_is_integer(v))
		return cvb_arena_printf(&f->b->arena, "%lld", (long long)json_integer_value(v));
	return jstr(o, k);
}

/* "https://openalex.org/W123" -> "W123"; "https://pubmed...gov/123" -> "123" */
static const char *
last_part(const char *s)
{
	const char *p;

	if (s == NULL)
		return NULL;
	p = strrchr(s, '/');
	return p != NULL && p[1] != '\0' ? p + 1 : s;
}

static void
abstract(struct fmt *f, struct cvb_item *it, json_t *inv)
{
	const char **words = NULL;
	size_t n = 0, i;
	const char *w;
	json_t *pos;
	struct cvb_buf o = CVB_BUF_INIT;

	if (!json_is_object(inv))
		return;
	/* the largest position says how many words there are */
	json_object_foreach(inv, w, pos) {
		for (i = 0; i < json_array_size(pos); i++) {
			json_int_t k = json_integer_value(json_array_get(pos, i));

			if (k >= 0 && k < 100000 && (size_t)k + 1 > n)
				n = (size_t)k + 1;
		}
	}
	if (n == 0 || (words = calloc(n, sizeof(*words))) == NULL)
		return;
	json_object_foreach(inv, w, pos) {
		for (i = 0; i < json_array_size(pos); i++) {
			json_int_t k = json_integer_value(json_array_get(pos, i));

			if (json_is_integer(json_array_get(pos, i)) && k >= 0 && (size_t)k < n)
				words[k] = w;
		}
	}
	for (i = 0; i < n; i++)
		if (words[i] != NULL) {
			if (o.len > 0)
				cvb_buf_addch(&o, ' ');
			cvb_buf_adds(&o, words[i]);
		}
	if (!o.err)
		it->str[CVB_V_ABSTRACT] = fmt_strn(f, o.buf, o.len);
	cvbib_buf_release(&o);
	free(words);
}

static void
read_work(struct oa *a, json_t *w, json_t *parent, size_t idx)
{
	struct fmt *f = &a->f;
	struct cvb_item *it;
	json_t *auths, *loc, *src, *bib, *ids, *hv;
	const char *title, *s, *t;
	unsigned line, col;
	size_t i;

	fmt_json_pos(f, parent, NULL, idx, &line, &col);
	if (!json_is_object(w)) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "an OpenAlex work is not an object");
		return;
	}
	title = jstr(w, "title") ? jstr(w, "title") : jstr(w, "display_name");
	if (title == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "OpenAlex work %s has no title",
		    jstr(w, "id") ? last_part(jstr(w, "id")) : "(no id)");
		return;
	}
	if ((it = cvb_item_new(f->b, f->file, line, col)) == NULL)
		return;
	/* titles carry HTML markup (<i>, <sub>) as the CSL rich text does */
	it->str[CVB_V_TITLE] = fmt_str(f, title);
	t = jstr(w, "type_crossref");
	it->type = fmt_type(oa_types, t);
	s = jstr(w, "type");
	if (it->type == CVB_T_NONE || (s != NULL && strcmp(s, "preprint") == 0))
		it->type = fmt_type(oa_types, s);
	if (it->type == CVB_T_NONE) {
		if (s != NULL)
			cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, col,
			    "unknown OpenAlex work type '%s', read as a document", s);
		it->type = CVB_T_DOCUMENT;
	}
	if (s != NULL && strcmp(s, "preprint") == 0)
		it->str[CVB_V_GENRE] = "Preprint";
	if ((s = jstr(w, "publication_date")) != NULL)
		it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(f->b, s);
	if (it->date[CVB_DV_ISSUED] == NULL && json_is_integer(json_object_get(w, "publication_year")))
		it->date[CVB_DV_ISSUED] = fmt_date_ymd(f, (int)json_integer_value(json_object_get(w,
		    "publication_year")), 0, 0);
	/* authorships, in order */
	auths = json_object_get(w, "authorships");
	for (i = 0; i < json_array_size(auths); i++) {
		json_t *au = json_array_get(auths, i), *who = json_object_get(au, "author");
		const char *nm = jstr(au, "raw_author_name") ? jstr(au, "raw_author_name") : jstr(who, "display_name");
		const char *id = jstr(who, "id");
		struct cvb_name *n;

		if (nm == NULL || (n = fmt_name(f, nm, strlen(nm))) == NULL)
			continue;
		if (json_is_true(json_object_get(au, "is_corresponding"))) {
			n->flags |= CVB_NF_CORRESP;
			it->flags |= CVB_IF_HAS_CORRESP;
		}
		if (id != NULL && a->owner != NULL && strcmp(id, a->owner) == 0)
			n->flags |= CVB_NF_HIGHLIGHT;
		cvb_item_add_name(it, CVB_NV_AUTHOR, n);
	}
	/* the venue: the primary location's source, or the old host_venue */
	loc = json_object_get(w, "primary_location");
	src = json_object_get(loc, "source");
	hv = json_object_get(w, "host_venue");
	if ((s = jstr(src, "display_name")) != NULL || (s = jstr(hv, "display_name")) != NULL) {
		const char *stype = jstr(src, "type");

		if (it->type == CVB_T_BOOK || it->type == CVB_T_THESIS ||
		    (stype != NULL && (strcmp(stype, "repository") == 0 || strcmp(stype, "ebook platform") == 0)))
			fmt_set(f, it, it->type == CVB_T_ARTICLE ? CVB_V_PUBLISHER : CVB_V_SOURCE, s, false);
		else
			fmt_set(f, it, CVB_V_CONTAINER_TITLE, s, false);
		if (stype != NULL && strcmp(stype, "conference") == 0 && it->type == CVB_T_ARTICLE_JOURNAL)
			it->type = CVB_T_PAPER_CONFERENCE;
	}
	fmt_set(f, it, CVB_V_PUBLISHER, jstr(src, "host_organization_name"), false);
	fmt_set(f, it, CVB_V_PUBLISHER, jstr(hv, "publisher"), false);
	fmt_set(f, it, CVB_V_ISSN, jstr(src, "issn_l"), false);
	fmt_set(f, it, CVB_V_ISSN, jstr(hv, "issn_l"), false);
	bib = json_object_get(w, "biblio");
	fmt_set(f, it, CVB_V_VOLUME, jnum(f, bib, "volume"), false);
	fmt_set(f, it, CVB_V_ISSUE, jnum(f, bib, "issue"), false);
	fmt_pages(f, it, jnum(f, bib, "first_page"), jnum(f, bib, "last_page"));
	/* identifiers */
	if ((s = jstr(w, "doi")) != NULL)
		fmt_doi(f, it, s);
	ids = json_object_get(w, "ids");
	if (it->str[CVB_V_DOI] == NULL && (s = jstr(ids, "doi")) != NULL)
		fmt_doi(f, it, s);
	fmt_set(f, it, CVB_V_PMID, last_part(jstr(ids, "pmid")), false);
	fmt_set(f, it, CVB_V_PMCID, last_part(jstr(ids, "pmcid")), false);
	if (it->str[CVB_V_DOI] != NULL && strncasecmp(it->str[CVB_V_DOI], "10.48550/arxiv.", 15) == 0) {
		fmt_arxiv(f, it, it->str[CVB_V_DOI] + 15);
	}
	if (it->str[CVB_V_DOI] == NULL)
		fmt_set(f, it, CVB_V_URL, jstr(loc, "landing_page_url"), false);
	if ((s = jstr(loc, "pdf_url")) != NULL)
		fmt_extra(f, it, "pdf", s);
	if ((s = jstr(w, "id")) != NULL)
		fmt_extra(f, it, "openalex", last_part(s));
	fmt_set(f, it, CVB_V_LANGUAGE, jstr(w, "language"), false);
	abstract(f, it, json_object_get(w, "abstract_inverted_index"));
	fmt_key(f, it, NULL);
}

/* The author of every work of a list, when there is one. */
static const char *
common_author(const json_t *list)
{
	json_t *first = json_array_get(list, 0);
	json_t *auths = json_object_get(first, "authorships");
	const char *found = NULL;
	size_t i, k, j;

	if (json_array_size(list) < 2)
		return NULL;
	for (i = 0; i < json_array_size(auths); i++) {
		const char *id = jstr(json_object_get(json_array_get(auths, i), "author"), "id");
		bool everywhere = id != NULL;

		for (k = 1; k < json_array_size(list) && everywhere; k++) {
			json_t *au = json_object_get(json_array_get(list, k), "authorships");
			bool here = json_array_size(au) == 0;	/* not a work, or no authors */

			for (j = 0; j < json_array_size(au) && !here; j++) {
				const char *x = jstr(json_object_get(json_array_get(au, j), "author"), "id");

				here = x != NULL && strcmp(x, id) == 0;
			}
			everywhere = here;
		}
		if (everywhere) {
			if (found != NULL)	/* two: it is not one person's list */
				return NULL;
			found = id;
		}
	}
	return found;
}

int
cvb_read_openalex(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct oa a;
	json_t *root, *list;
	size_t i;

	(void)opts;
	memset(&a, 0, sizeof(a));
	fmt_begin(&a.f, b, file, d);
	if ((root = fmt_json_load(&a.f, data, len)) == NULL) {
		fmt_end(&a.f, "");
		return -CVBIB_EINPUT;
	}
	list = json_is_array(root) ? root : json_object_get(root, "results");
	if (json_is_array(list)) {
		a.owner = common_author(list);
		for (i = 0; i < json_array_size(list); i++)
			read_work(&a, json_array_get(list, i), list, i);
	} else if (json_is_object(root) && json_object_get(root, "id") != NULL)
		read_work(&a, root, NULL, 0);
	else
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, 1, 1,
		    "no OpenAlex works here (expected 'results' or one work)");
	json_decref(root);
	return fmt_end(&a.f, "an empty OpenAlex list");
}
