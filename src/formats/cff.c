/*
 * cff.c - Citation File Format (CITATION.cff, versions 1.x), read with
 * libyaml (yaml_tree.c).  The file gives one entry for the work itself (a
 * piece of software, or a dataset), and one for its preferred-citation
 * when it has one (often the paper about it).  Its references are the
 * works it cites, not its authors' own, and are not read.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

static const struct fmt_type cff_types[] = {
	{ "software", CVB_T_SOFTWARE }, { "software-code", CVB_T_SOFTWARE },
	{ "software-container", CVB_T_SOFTWARE }, { "software-executable", CVB_T_SOFTWARE },
	{ "software-virtual-machine", CVB_T_SOFTWARE }, { "dataset", CVB_T_DATASET },
	{ "data", CVB_T_DATASET }, { "database", CVB_T_DATASET }, { "article", CVB_T_ARTICLE_JOURNAL },
	{ "article-journal", CVB_T_ARTICLE_JOURNAL }, { "magazine-article", CVB_T_ARTICLE_MAGAZINE },
	{ "newspaper-article", CVB_T_ARTICLE_NEWSPAPER }, { "conference-paper", CVB_T_PAPER_CONFERENCE },
	{ "proceedings", CVB_T_BOOK }, { "conference", CVB_T_EVENT }, { "book", CVB_T_BOOK },
	{ "edited-work", CVB_T_BOOK }, { "pamphlet", CVB_T_PAMPHLET }, { "manual", CVB_T_BOOK },
	{ "report", CVB_T_REPORT }, { "thesis", CVB_T_THESIS }, { "unpublished", CVB_T_MANUSCRIPT },
	{ "patent", CVB_T_PATENT }, { "standard", CVB_T_STANDARD }, { "website", CVB_T_WEBPAGE },
	{ "blog", CVB_T_POST_WEBLOG }, { "generic", CVB_T_DOCUMENT }, { "map", CVB_T_MAP },
	{ "video", CVB_T_MOTION_PICTURE }, { "sound-recording", CVB_T_SONG },
	{ "encyclopedia", CVB_T_ENTRY_ENCYCLOPEDIA }, { "dictionary", CVB_T_ENTRY_DICTIONARY },
	{ "art", CVB_T_GRAPHIC }, { "bill", CVB_T_BILL }, { "legal-case", CVB_T_LEGAL_CASE },
	{ "statute", CVB_T_LEGISLATION }, { "hearing", CVB_T_HEARING }, { "grant", CVB_T_DOCUMENT },
	{ "personal-communication", CVB_T_PERSONAL_COMMUNICATION }, { "music", CVB_T_MUSICAL_SCORE },
	{ "government-document", CVB_T_REPORT }, { "historical-work", CVB_T_CLASSIC },
	{ "multimedia", CVB_T_MOTION_PICTURE }, { "catalogue", CVB_T_BOOK }, { "serial", CVB_T_PERIODICAL },
	{ "data-set", CVB_T_DATASET },
	{ NULL, CVB_T_NONE }
};

/* a scalar as text: strings, numbers, dates (YAML gives them as strings) */
static const char *
scalar(struct fmt *f, const json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	if (json_is_string(v))
		return fmt_str(f, json_string_value(v));
	if (json_is_integer(v))
		return cvb_arena_printf(&f->b->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return cvb_arena_printf(&f->b->arena, "%g", json_real_value(v));
	return NULL;
}

/* "name" of an entity object (publisher: {name: ...}) or a string */
static const char *
entity(struct fmt *f, const json_t *o, const char *k)
{
	json_t *v = json_is_object(o) ? json_object_get(o, k) : NULL;

	if (json_is_object(v))
		return scalar(f, v, "name");
	return scalar(f, o, k);
}

static void
persons(struct fmt *f, struct cvb_item *it, const json_t *o, const char *key, enum cvb_nvar nv)
{
	json_t *list = json_object_get(o, key);
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *p = json_array_get(list, i);
		const char *fam = scalar(f, p, "family-names"), *giv = scalar(f, p, "given-names");
		struct cvb_name *n;

		if (fam != NULL || giv != NULL) {
			n = fmt_name_parts(f, fam, giv);
			if (n != NULL) {
				const char *part = scalar(f, p, "name-particle");

				if (part != NULL)
					n->non_dropping_particle = part;
				n->suffix = scalar(f, p, "name-suffix");
			}
		} else if ((fam = scalar(f, p, "name")) != NULL || (fam = scalar(f, p, "alias")) != NULL) {
			if ((n = cvb_name_new(f->b)) != NULL) {
				n->literal = fam;
				n->flags |= CVB_NF_INSTITUTION;
			}
		} else
			continue;
		if (n != NULL)
			cvb_item_add_name(it, nv, n);
	}
}

static const char *
doi_of(struct fmt *f, const json_t *o)
{
	json_t *ids = json_object_get(o, "identifiers");
	const char *d = scalar(f, o, "doi");
	size_t i;

	for (i = 0; d == NULL && i < json_array_size(ids); i++) {
		const char *t = scalar(f, json_array_get(ids, i), "type");

		if (t != NULL && strcmp(t, "doi") == 0)
			d = scalar(f, json_array_get(ids, i), "value");
	}
	return d;
}

static struct cvb_item *
entry(struct fmt *f, struct cvb_ytree *t, const json_t *parent, const char *key, const json_t *o,
    enum cvb_type deftype)
{
	struct cvb_item *it;
	unsigned line, col;
	const char *s, *ty;
	json_t *kw;
	size_t i;

	cvb_ytree_node_pos(t, o, &line, &col);
	if (!json_is_object(o)) {
		cvb_ytree_pos(t, parent, key, 0, &line, &col);
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "'%s' is not a mapping", key);
		return NULL;
	}
	if ((s = scalar(f, o, "title")) == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, line, col, "%s without a 'title'",
		    key ? key : "a CITATION.cff");
		return NULL;
	}
	if ((it = cvb_item_new(f->b, f->file, line, col)) == NULL)
		return NULL;
	it->str[CVB_V_TITLE] = s;
	ty = scalar(f, o, "type");
	it->type = ty ? fmt_type(cff_types, ty) : deftype;
	if (it->type == CVB_T_NONE) {
		cvb_ytree_pos(t, o, "type", 0, &line, &col);
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, col,
		    "unknown CFF type '%s', read as a document", ty);
		it->type = CVB_T_DOCUMENT;
	}
	persons(f, it, o, "authors", CVB_NV_AUTHOR);
	persons(f, it, o, "editors", CVB_NV_EDITOR);
	persons(f, it, o, "translators", CVB_NV_TRANSLATOR);
	fmt_set(f, it, CVB_V_VERSION, scalar(f, o, "version"), false);
	if ((s = doi_of(f, o)) != NULL && !fmt_doi(f, it, s)) {
		cvb_ytree_pos(t, o, "doi", 0, &line, &col);
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, line, col, "not a DOI: '%s'", s);
	}
	if ((s = scalar(f, o, "url")) != NULL || (s = scalar(f, o, "repository-code")) != NULL ||
	    (s = scalar(f, o, "repository")) != NULL)
		it->str[CVB_V_URL] = strstr(s, "://") ? s : cvb_arena_printf(&f->b->arena, "https://%s", s);
	if ((s = scalar(f, o, "repository-code")) != NULL && it->str[CVB_V_URL] != s)
		fmt_extra(f, it, "code", s);
	fmt_set(f, it, CVB_V_ABSTRACT, scalar(f, o, "abstract"), false);
	fmt_set(f, it, CVB_V_LICENSE, scalar(f, o, "license"), false);
	fmt_set(f, it, CVB_V_CONTAINER_TITLE, scalar(f, o, "journal"), false);
	fmt_set(f, it, CVB_V_CONTAINER_TITLE, scalar(f, o, "collection-title"), false);
	fmt_set(f, it, CVB_V_CONTAINER_TITLE, entity(f, o, "conference"), false);
	fmt_set(f, it, CVB_V_PUBLISHER, entity(f, o, "publisher"), false);
	fmt_set(f, it, CVB_V_PUBLISHER, entity(f, o, "institution"), false);
	fmt_set(f, it, CVB_V_VOLUME, scalar(f, o, "volume"), false);
	fmt_set(f, it, CVB_V_ISSUE, scalar(f, o, "issue"), false);
	fmt_set(f, it, CVB_V_EDITION, scalar(f, o, "edition"), false);
	fmt_set(f, it, CVB_V_ISBN, scalar(f, o, "isbn"), false);
	fmt_set(f, it, CVB_V_ISSN, scalar(f, o, "issn"), false);
	fmt_pages(f, it, scalar(f, o, "start"), scalar(f, o, "end"));
	if (it->str[CVB_V_PAGE] == NULL)
		fmt_pages(f, it, scalar(f, o, "pages"), NULL);
	if ((s = scalar(f, o, "date-published")) != NULL || (s = scalar(f, o, "date-released")) != NULL)
		it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(f->b, s);
	if (it->date[CVB_DV_ISSUED] == NULL && (s = scalar(f, o, "year")) != NULL) {
		const char *m = scalar(f, o, "month");

		it->date[CVB_DV_ISSUED] = fmt_date_ymd(f, atoi(s), m ? atoi(m) : 0, 0);
	}
	kw = json_object_get(o, "keywords");
	for (i = 0; i < json_array_size(kw); i++)
		if (json_is_string(json_array_get(kw, i)))
			fmt_append(f, it, CVB_V_KEYWORD, json_string_value(json_array_get(kw, i)), ", ");
	fmt_key(f, it, NULL);
	return it;
}

int
cvb_read_cff(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	struct cvb_ytree *t = NULL;
	json_t *root, *pc;

	(void)opts;
	fmt_begin(&f, b, file, d);
	if (cvb_ytree_load(&t, data, len, file, d) != 0 || t == NULL || cvb_ytree_ndocs(t) == 0) {
		cvb_ytree_free(t);
		fmt_end(&f, "");
		return -CVBIB_EINPUT;
	}
	root = cvb_ytree_doc(t, 0);
	if (!json_is_object(root) || json_object_get(root, "cff-version") == NULL) {
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, 1, 1, "a CITATION.cff is a mapping with 'cff-version'");
		cvb_ytree_free(t);
		fmt_end(&f, "");
		return -CVBIB_EINPUT;
	}
	entry(&f, t, NULL, NULL, root, CVB_T_SOFTWARE);
	pc = json_object_get(root, "preferred-citation");
	if (pc != NULL && !json_is_null(pc))
		entry(&f, t, root, "preferred-citation", pc, CVB_T_DOCUMENT);
	cvb_ytree_free(t);
	return fmt_end(&f, "nothing in this CITATION.cff");
}
