/*
 * enrich_merge.c - merging an answer into the user's entry, and the bar a
 * search candidate must pass (moved out of enrich.c; see doc/enrich.md).
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

const char *
cvb_enrich_name_key(const struct cvb_name *n)
{
	return n->family ? n->family : n->literal ? n->literal : n->given ? n->given : "";
}

static bool
same_names(const struct cvb_name *a, const struct cvb_name *b)
{
	for (; a != NULL && b != NULL; a = a->next, b = b->next)
		if (!same_text(cvb_enrich_name_key(a), cvb_enrich_name_key(b)))
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
		    cvb_enrich_same_date(dst->date[i], src->date[i])))
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
		struct cvb_date *d = cvb_enrich_date_from_parts(b, json_object_get(c, keys[i]));

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
bool
cvb_enrich_judge(cvbib_biblio *b, const struct cvb_item *it, json_t *c, struct cvb_buf *why)
{
	const struct cvb_name *first = it->names[CVB_NV_AUTHOR] ? it->names[CVB_NV_AUTHOR]
	    : it->names[CVB_NV_EDITOR];
	struct cvb_buf ef = CVB_BUF_INIT, ct = CVB_BUF_INIT, tf = CVB_BUF_INIT;
	const char *type = cvb_enrich_jstr(c, "type");
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
		if (cvb_enrich_jfirst(c, "subtitle") != NULL) {
			cvb_buf_reset(&ct);
			cvb_buf_addf(&ct, "%s: %s", json_string_value(t), cvb_enrich_jfirst(c, "subtitle"));
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

		cvb_fold_text(&ef, cvb_enrich_name_key(first));
		names = json_object_get(c, "author");
		if (json_array_size(names) == 0)
			names = json_object_get(c, "editor");
		json_array_foreach(names, i, t) {
			const char *fam = cvb_enrich_jstr(t, "family") ? cvb_enrich_jstr(t, "family") : cvb_enrich_jstr(t, "name");

			if (k++ == 3)
				break;
			if (fam != NULL && ef.len > 0 && family_match(ef.buf, fam))
				author = true;
		}
		if (!author) {
			cvb_buf_addf(why, "first author '%s' is not among the first authors of the candidate; ",
			    cvb_enrich_name_key(first));
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
	cvb_fold_text(&tf, cvb_enrich_jfirst(c, "title"));
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

