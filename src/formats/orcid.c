/*
 * orcid.c - ORCID works JSON (API v3.0, and v2.x with its upper-case
 * types): the /works summary list (one group per work, one summary per
 * source), a single /work/{put-code} record, the bulk /works/{codes}
 * answer, and a whole record (/record or /{orcid}) with its works.
 *
 * One entry per group: the summary with the highest display-index, the
 * self DOI that is not a preprint server's when the work has both, every
 * work kept whether it has a DOI or not.  A full record's contributors are
 * the authors; a citation blob in BibTeX fills what the record lacks.  The
 * profile's owner (the ORCID iD in the paths, and the name the owner's own
 * entries are signed with) is highlighted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

static const struct fmt_type orcid_types[] = {
	{ "journal-article", CVB_T_ARTICLE_JOURNAL }, { "conference-paper", CVB_T_PAPER_CONFERENCE },
	{ "conference-abstract", CVB_T_PAPER_CONFERENCE }, { "conference-poster", CVB_T_PAPER_CONFERENCE },
	{ "conference-output", CVB_T_PAPER_CONFERENCE }, { "conference-presentation", CVB_T_SPEECH },
	{ "conference-proceedings", CVB_T_BOOK }, { "book-chapter", CVB_T_CHAPTER },
	{ "book", CVB_T_BOOK }, { "edited-book", CVB_T_BOOK }, { "book-review", CVB_T_REVIEW_BOOK },
	{ "review", CVB_T_REVIEW }, { "preprint", CVB_T_ARTICLE }, { "working-paper", CVB_T_REPORT },
	{ "report", CVB_T_REPORT }, { "dissertation-thesis", CVB_T_THESIS },
	{ "dissertation", CVB_T_THESIS }, { "supervised-student-publication", CVB_T_ARTICLE },
	{ "data-set", CVB_T_DATASET }, { "data-management-plan", CVB_T_DOCUMENT },
	{ "software", CVB_T_SOFTWARE }, { "research-tool", CVB_T_SOFTWARE },
	{ "encyclopedia-entry", CVB_T_ENTRY_ENCYCLOPEDIA }, { "dictionary-entry", CVB_T_ENTRY_DICTIONARY },
	{ "magazine-article", CVB_T_ARTICLE_MAGAZINE }, { "newsletter-article", CVB_T_ARTICLE_MAGAZINE },
	{ "newspaper-article", CVB_T_ARTICLE_NEWSPAPER }, { "journal-issue", CVB_T_PERIODICAL },
	{ "patent", CVB_T_PATENT }, { "invention", CVB_T_PATENT }, { "website", CVB_T_WEBPAGE },
	{ "online-resource", CVB_T_WEBPAGE }, { "blog-post", CVB_T_POST_WEBLOG },
	{ "lecture-speech", CVB_T_SPEECH }, { "public-speech", CVB_T_SPEECH },
	{ "standards-and-policy", CVB_T_STANDARD }, { "technical-standard", CVB_T_STANDARD },
	{ "artistic-performance", CVB_T_PERFORMANCE }, { "manual", CVB_T_BOOK },
	{ "translation", CVB_T_DOCUMENT }, { "annotation", CVB_T_DOCUMENT }, { "test", CVB_T_DOCUMENT },
	{ "physical-object", CVB_T_DOCUMENT }, { "other", CVB_T_DOCUMENT },
	{ NULL, CVB_T_NONE }
};

struct orc {
	struct fmt	 f;
	const char	*owner;		/* the profile's ORCID iD, or NULL */
};

/* v2.x "JOURNAL_ARTICLE" is v3.0 "journal-article" */
static enum cvb_type
orcid_type(struct orc *o, const char *t, const char **genre)
{
	char buf[64];
	size_t i;

	*genre = NULL;
	if (t == NULL)
		return CVB_T_NONE;
	for (i = 0; t[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = t[i] == '_' ? '-' : (char)tolower((unsigned char)t[i]);
	buf[i] = '\0';
	if (strcmp(buf, "conference-poster") == 0)
		*genre = "Poster";
	else if (strcmp(buf, "conference-abstract") == 0)
		*genre = "Abstract";
	else if (strcmp(buf, "preprint") == 0 || strcmp(buf, "working-paper") == 0)
		*genre = strcmp(buf, "preprint") == 0 ? "Preprint" : "Working paper";
	else if (strcmp(buf, "dissertation-thesis") == 0 || strcmp(buf, "dissertation") == 0)
		*genre = NULL;
	(void)o;
	return fmt_type(orcid_types, buf);
}

/* "0000-0002-1825-0097" out of "/0000-0002-1825-0097/works" or a URI */
static const char *
orcid_in_path(struct fmt *f, const char *path)
{
	const char *p;

	if (path == NULL)
		return NULL;
	for (p = path; *p != '\0'; p++) {
		size_t i;

		for (i = 0; i < 19; i++) {
			char c = p[i];

			if (i == 4 || i == 9 || i == 14) {
				if (c != '-')
					break;
			} else if (!(isdigit((unsigned char)c) || (i == 18 && c == 'X')))
				break;
		}
		if (i == 19)
			return cvb_arena_strndup(&f->b->arena, p, 19);
	}
	return NULL;
}

static int
display_index(const json_t *s)
{
	json_t *v = json_object_get(s, "display-index");

	if (json_is_integer(v))
		return (int)json_integer_value(v);
	if (json_is_string(v))
		return atoi(json_string_value(v));
	return 0;
}

static const char *
ext_id_value(const json_t *e)
{
	const char *v = fmt_jstr(e, "external-id-normalized");

	return v != NULL && *v != '\0' ? v : fmt_jstr(e, "external-id-value");
}

/* The work's own DOI: relationship self, a journal's over a preprint's. */
static const char *
self_doi(const json_t *ids)
{
	json_t *list = json_object_get(ids, "external-id");
	const char *pre = NULL, *v;
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *e = json_array_get(list, i);
		const char *rel = fmt_jstr(e, "external-id-relationship"), *t = fmt_jstr(e, "external-id-type");

		if (t == NULL || strcasecmp(t, "doi") != 0 || (rel != NULL && strcasecmp(rel, "self") != 0))
			continue;
		if ((v = ext_id_value(e)) == NULL)
			continue;
		if (!cvb_doi_is_preprint(v) && strncasecmp(v, "10.", 3) == 0)
			return v;
		if (pre == NULL)
			pre = v;
	}
	return pre;
}

static void
external_ids(struct orc *o, struct cvb_item *it, const json_t *ids)
{
	json_t *list = json_object_get(ids, "external-id");
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *e = json_array_get(list, i);
		const char *t = fmt_jstr(e, "external-id-type"), *v = ext_id_value(e);
		const char *rel = fmt_jstr(e, "external-id-relationship");
		bool self = rel == NULL || strcasecmp(rel, "self") == 0;

		if (t == NULL || v == NULL || *v == '\0')
			continue;
		if (strcasecmp(t, "issn") == 0)
			fmt_set(&o->f, it, CVB_V_ISSN, v, false);
		else if (strcasecmp(t, "isbn") == 0)
			fmt_set(&o->f, it, CVB_V_ISBN, v, false);
		else if (!self)
			continue;
		else if (strcasecmp(t, "arxiv") == 0)
			fmt_arxiv(&o->f, it, v);
		else if (strcasecmp(t, "pmid") == 0)
			fmt_set(&o->f, it, CVB_V_PMID, v, false);
		else if (strcasecmp(t, "pmc") == 0)
			fmt_set(&o->f, it, CVB_V_PMCID, v, false);
		else if (strcasecmp(t, "doi") != 0 && strcasecmp(t, "uri") != 0 && strcasecmp(t, "url") != 0) {
			struct cvb_field *x;
			const char *name = cvb_arena_printf(&o->f.b->arena, "%s", t);

			for (x = it->extra; x != NULL && strcmp(x->name, name) != 0; x = x->next)
				;
			if (x == NULL)
				fmt_extra(&o->f, it, name, v);
		}
	}
}

static void
contributors(struct orc *o, struct cvb_item *it, const json_t *work)
{
	json_t *list = json_object_get(json_object_get(work, "contributors"), "contributor");
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i), *attr = json_object_get(c, "contributor-attributes");
		const char *name = fmt_jstr(c, "credit-name"), *role = fmt_jstr(attr, "contributor-role");
		const char *id = fmt_jstr(json_object_get(c, "contributor-orcid"), "path");
		enum cvb_nvar v = CVB_NV_AUTHOR;
		struct cvb_name *n;

		if (name == NULL)
			continue;
		if (role != NULL && (strcasecmp(role, "editor") == 0 || strstr(role, "editing") != NULL))
			v = CVB_NV_EDITOR;
		else if (role != NULL && (strcasecmp(role, "chair-or-translator") == 0))
			v = CVB_NV_TRANSLATOR;
		if ((n = fmt_name(&o->f, name, strlen(name))) == NULL)
			continue;
		if (id != NULL && o->owner != NULL && strcmp(id, o->owner) == 0) {
			n->flags |= CVB_NF_HIGHLIGHT;
			fmt_owner(&o->f, name);
		}
		cvb_item_add_name(it, v, n);
	}
}

/*
 * One work (a summary or a full record) into a new item.  parent/key/idx
 * say where it is, for diagnostics.  group_ids: the group's identifiers.
 */
static void
read_work(struct orc *o, const json_t *w, const json_t *group_ids, const json_t *parent,
    const char *key, size_t idx)
{
	struct fmt *f = &o->f;
	struct cvb_item *it;
	const char *title, *s, *genre, *doi;
	json_t *date, *cit;
	unsigned line, col;

	fmt_json_pos(f, parent, key, idx, &line, &col);
	if (!json_is_object(w)) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "an ORCID work is not an object");
		return;
	}
	title = fmt_jstr(json_object_get(w, "title"), "title");
	if (title == NULL || *title == '\0') {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "ORCID work %lld has no title",
		    (long long)json_integer_value(json_object_get(w, "put-code")));
		return;
	}
	if ((it = cvb_item_new(f->b, f->file, line, col)) == NULL)
		return;
	fmt_set(f, it, CVB_V_TITLE, title, false);
	if ((s = fmt_jstr(json_object_get(w, "title"), "subtitle")) != NULL && *s != '\0')
		it->str[CVB_V_TITLE] = cvb_arena_printf(&f->b->arena, "%s: %s", title, s);
	it->type = orcid_type(o, fmt_jstr(w, "type"), &genre);
	if (it->type == CVB_T_NONE) {
		if ((s = fmt_jstr(w, "type")) != NULL)
			cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, col,
			    "unknown ORCID work type '%s', read as a document", s);
		it->type = CVB_T_DOCUMENT;
	}
	fmt_set(f, it, CVB_V_GENRE, genre, false);
	fmt_set(f, it, CVB_V_CONTAINER_TITLE, fmt_jstr(w, "journal-title"), false);
	date = json_object_get(w, "publication-date");
	if (json_is_object(date)) {
		const char *y = fmt_jstr(date, "year"), *m = fmt_jstr(date, "month"), *d = fmt_jstr(date, "day");

		if (y != NULL)
			it->date[CVB_DV_ISSUED] = fmt_date_ymd(f, atoi(y), m ? atoi(m) : 0, d ? atoi(d) : 0);
	}
	doi = self_doi(json_object_get(w, "external-ids"));
	if (doi == NULL || cvb_doi_is_preprint(doi)) {
		const char *g = self_doi(group_ids);

		if (g != NULL && (doi == NULL || !cvb_doi_is_preprint(g)))
			doi = g;
	}
	if (doi != NULL && !fmt_doi(f, it, doi))
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, col, "not a DOI: '%s'", doi);
	external_ids(o, it, json_object_get(w, "external-ids"));
	if ((s = fmt_jstr(w, "url")) != NULL && *s != '\0' && strstr(s, "doi.org/") == NULL)
		fmt_set(f, it, CVB_V_URL, s, false);
	fmt_set(f, it, CVB_V_ABSTRACT, fmt_jstr(w, "short-description"), false);
	fmt_set(f, it, CVB_V_LANGUAGE, fmt_jstr(w, "language-code"), false);
	contributors(o, it, w);
	cit = json_object_get(w, "citation");
	if (json_is_object(cit) && (s = fmt_jstr(cit, "citation-type")) != NULL &&
	    strcasecmp(s, "bibtex") == 0)
		fmt_merge_bibtex(f, it, fmt_jstr(cit, "citation-value"));
	if (json_is_integer(json_object_get(w, "put-code")))
		fmt_extra(f, it, "orcid-put-code", cvb_arena_printf(&f->b->arena, "%lld",
		    (long long)json_integer_value(json_object_get(w, "put-code"))));
	fmt_key(f, it, NULL);
}

/* The owner's name from a source the owner signed (their own entries). */
static void
owner_from_source(struct orc *o, const json_t *s)
{
	const json_t *src = json_object_get(s, "source");
	const char *id = fmt_jstr(json_object_get(src, "source-orcid"), "path");
	const char *aid = fmt_jstr(json_object_get(src, "assertion-origin-orcid"), "path");

	if (o->owner == NULL || o->f.b->owner != NULL)
		return;
	if (id != NULL && strcmp(id, o->owner) == 0)
		fmt_owner(&o->f, fmt_jstr(src, "source-name"));
	else if (aid != NULL && strcmp(aid, o->owner) == 0)
		fmt_owner(&o->f, fmt_jstr(src, "assertion-origin-name"));
}

static void
read_groups(struct orc *o, const json_t *parent, const json_t *groups)
{
	size_t i, k;

	if (!json_is_array(groups)) {
		unsigned line, col;

		fmt_json_pos(&o->f, parent, "group", 0, &line, &col);
		cvb_diag(o->f.d, CVB_D_FMT_NOT_READ, o->f.file, line, col, "'group' is not a list");
		return;
	}
	for (i = 0; i < json_array_size(groups); i++) {
		json_t *g = json_array_get(groups, i), *sums = json_object_get(g, "work-summary");
		json_t *best = NULL;
		size_t bi = 0;

		if (!json_is_array(sums) || json_array_size(sums) == 0) {
			unsigned line, col;

			fmt_json_pos(&o->f, groups, NULL, i, &line, &col);
			cvb_diag(o->f.d, CVB_D_FMT_BAD_ENTRY, o->f.file, line, col,
			    "an ORCID group without a 'work-summary' list");
			continue;
		}
		for (k = 0; k < json_array_size(sums); k++) {
			json_t *s = json_array_get(sums, k);

			owner_from_source(o, s);
			if (best == NULL || display_index(s) > display_index(best)) {
				best = s;
				bi = k;
			}
		}
		read_work(o, best, json_object_get(g, "external-ids"), sums, NULL, bi);
	}
}

/* "Given Family" of a record's person */
static void
owner_from_person(struct orc *o, const json_t *person)
{
	const json_t *name = json_object_get(person, "name");
	const char *credit = fmt_jstr(name, "credit-name"), *given = fmt_jstr(name, "given-names");
	const char *family = fmt_jstr(name, "family-name");

	if (credit != NULL)	/* the name the owner publishes under */
		fmt_owner(&o->f, credit);
	else if (given != NULL && family != NULL)
		fmt_owner(&o->f, cvb_arena_printf(&o->f.b->arena, "%s, %s", family, given));
}

int
cvb_read_orcid(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct orc o;
	json_t *root, *v;
	size_t i;

	(void)opts;
	memset(&o, 0, sizeof(o));
	fmt_begin(&o.f, b, file, d);
	if ((root = fmt_json_load(&o.f, data, len)) == NULL) {
		fmt_end(&o.f, "");
		return -CVBIB_EINPUT;
	}
	if (!json_is_object(root)) {
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, 1, 1, "ORCID works JSON is an object");
		json_decref(root);
		fmt_end(&o.f, "");
		return -CVBIB_EINPUT;
	}
	o.owner = orcid_in_path(&o.f, fmt_jstr(root, "path"));
	if (o.owner == NULL)
		o.owner = orcid_in_path(&o.f, fmt_jstr(json_object_get(root, "orcid-identifier"), "path"));
	if ((v = json_object_get(root, "bulk")) != NULL) {
		/* /works/{codes}: {"bulk": [{"work": {...}} or {"error": {...}}]} */
		for (i = 0; i < json_array_size(v); i++) {
			json_t *e = json_array_get(v, i), *w = json_object_get(e, "work");

			if (w == NULL && json_object_get(e, "error") != NULL) {
				unsigned line, col;

				fmt_json_pos(&o.f, v, NULL, i, &line, &col);
				cvb_diag(d, CVB_D_FMT_BAD_ENTRY, file, line, col, "ORCID answered with an error: %s",
				    fmt_jstr(json_object_get(e, "error"), "developer-message") ?
				    fmt_jstr(json_object_get(e, "error"), "developer-message") : "?");
				continue;
			}
			if (o.owner == NULL)
				o.owner = orcid_in_path(&o.f, fmt_jstr(w, "path"));
			owner_from_source(&o, w);
			read_work(&o, w, NULL, e, "work", 0);
		}
	} else if ((v = json_object_get(root, "group")) != NULL)
		read_groups(&o, root, v);
	else if ((v = json_object_get(root, "activities-summary")) != NULL) {
		owner_from_person(&o, json_object_get(root, "person"));
		v = json_object_get(json_object_get(v, "works"), "group");
		if (v != NULL && !json_is_null(v))
			read_groups(&o, json_object_get(json_object_get(root, "activities-summary"), "works"), v);
	} else if (json_is_object(json_object_get(json_object_get(root, "title"), "title"))) {
		if (o.owner == NULL)
			o.owner = orcid_in_path(&o.f, fmt_jstr(root, "path"));
		owner_from_source(&o, root);
		read_work(&o, root, NULL, NULL, NULL, 0);
	} else
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, 1, 1,
		    "no ORCID works here (expected 'group', 'bulk' or one work)");
	json_decref(root);
	return fmt_end(&o.f, "an empty ORCID works list");
}
