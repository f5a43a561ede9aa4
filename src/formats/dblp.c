/*
 * dblp.c - DBLP person XML (https://dblp.org/pid/PID.xml): <dblpperson name
 * pid> holding <r> records (article, inproceedings, incollection,
 * proceedings, book, phdthesis, mastersthesis, data).
 *
 *  - Homonym numbers ("Wei Zhang 0042") are dropped from the names; the
 *    person's pid marks the owner's names, which are highlighted.
 *  - CoRR records (journal CoRR, volume abs/ID, or publtype informal) are
 *    arXiv preprints.
 *  - <ee> links: a doi.org one is the DOI, the first other one the URL.
 *  - A <crossref> to proceedings in the same file gives the full title;
 *    otherwise a venue DBLP abbreviates is expanded when it is known
 *    (data/dblp-venues.tsv for journals, data/text-venues.tsv for
 *    conference acronyms) and the abbreviation kept as the short title.
 *  - The key is DBLP's own, "DBLP:" + key, as in DBLP's BibTeX.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "formats/fmt_xml.h"

struct dblp {
	struct fmt	 f;
	const char	*owner_pid;
	xmlNodePtr	 root;
};

/* "Wei Zhang 0042" -> "Wei Zhang" */
static const char *
strip_homonym(struct fmt *f, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n > 5 && s[n - 5] == ' ' && strspn(s + n - 4, "0123456789") == 4)
		return fmt_strn(f, s, n - 5);
	return s;
}

static const struct { const char *elem; enum cvb_type type; } dblp_types[] = {
	{ "article", CVB_T_ARTICLE_JOURNAL }, { "inproceedings", CVB_T_PAPER_CONFERENCE },
	{ "incollection", CVB_T_CHAPTER }, { "proceedings", CVB_T_BOOK }, { "book", CVB_T_BOOK },
	{ "phdthesis", CVB_T_THESIS }, { "mastersthesis", CVB_T_THESIS }, { "data", CVB_T_DATASET },
};

static xmlNodePtr
find_proceedings(struct dblp *p, const char *key)
{
	xmlNodePtr r, c;

	for (r = p->root->children; r != NULL; r = r->next) {
		if (!fmt_xml_is(r, "r"))
			continue;
		for (c = r->children; c != NULL; c = c->next)
			if (fmt_xml_is(c, "proceedings")) {
				xmlChar *k = xmlGetProp(c, (const xmlChar *)"key");
				bool same = k != NULL && strcmp((const char *)k, key) == 0;

				xmlFree(k);
				if (same)
					return c;
			}
	}
	return NULL;
}

static void
venue(struct dblp *p, struct cvb_item *it, const char *v, bool journal)
{
	size_t i;

	if (v == NULL)
		return;
	if (journal) {
		for (i = 0; cvb_dblp_venues[i][0] != NULL; i++)
			if (strcmp(cvb_dblp_venues[i][0], v) == 0) {
				it->str[CVB_V_CONTAINER_TITLE] = cvb_dblp_venues[i][1];
				if (strcmp(cvb_dblp_venues[i][1], v) != 0)
					it->str[CVB_V_CONTAINER_TITLE_SHORT] = v;
				return;
			}
	} else {
		/* "ICLR", "NeurIPS (Datasets and Benchmarks)" */
		size_t n = strcspn(v, " (");

		for (i = 0; cvb_text_venues[i][0] != NULL; i++)
			if (strlen(cvb_text_venues[i][0]) == n && strncmp(cvb_text_venues[i][0], v, n) == 0 &&
			    v[n] == '\0') {
				it->str[CVB_V_CONTAINER_TITLE] = cvb_text_venues[i][1];
				it->str[CVB_V_CONTAINER_TITLE_SHORT] = v;
				return;
			}
	}
	it->str[CVB_V_CONTAINER_TITLE] = v;
}

static void
read_record(struct dblp *p, xmlNodePtr rec)
{
	struct fmt *f = &p->f;
	struct cvb_item *it;
	const char *title, *key, *publtype, *journal = NULL, *booktitle = NULL, *volume = NULL;
	const char *crossref = NULL, *s;
	xmlNodePtr c;
	size_t i;
	bool corr;

	key = fmt_xml_attr(f, rec, "key");
	title = fmt_strip_period(f, fmt_xml_rich(f, fmt_xml_child(rec, "title")));
	if (title == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, fmt_xml_line(rec), 0,
		    "DBLP record %s has no title", key ? key : "(no key)");
		return;
	}
	if ((it = cvb_item_new(f->b, f->file, fmt_xml_line(rec), 0)) == NULL)
		return;
	it->str[CVB_V_TITLE] = title;
	for (i = 0; i < CVB_ARRAY_SIZE(dblp_types); i++)
		if (fmt_xml_is(rec, dblp_types[i].elem))
			it->type = dblp_types[i].type;
	if (fmt_xml_is(rec, "phdthesis"))
		it->str[CVB_V_GENRE] = "PhD thesis";
	else if (fmt_xml_is(rec, "mastersthesis"))
		it->str[CVB_V_GENRE] = "Master's thesis";
	publtype = fmt_xml_attr(f, rec, "publtype");
	for (c = rec->children; c != NULL; c = c->next) {
		const char *name = (const char *)c->name, *v;

		if (c->type != XML_ELEMENT_NODE || (v = fmt_xml_text(f, c)) == NULL)
			continue;
		if (strcmp(name, "author") == 0 || strcmp(name, "editor") == 0) {
			const char *pid = fmt_xml_attr(f, c, "pid"), *orcid = fmt_xml_attr(f, c, "orcid");
			const char *nm = strip_homonym(f, v);
			struct cvb_name *n = fmt_name(f, nm, strlen(nm));

			if (n == NULL)
				continue;
			if (pid != NULL && p->owner_pid != NULL && strcmp(pid, p->owner_pid) == 0) {
				/* by pid, not by name: a homonym is not the owner */
				n->flags |= CVB_NF_HIGHLIGHT;
			}
			(void)orcid;
			cvb_item_add_name(it, name[0] == 'a' ? CVB_NV_AUTHOR : CVB_NV_EDITOR, n);
		} else if (strcmp(name, "journal") == 0)
			journal = v;
		else if (strcmp(name, "booktitle") == 0)
			booktitle = v;
		else if (strcmp(name, "volume") == 0)
			volume = v;
		else if (strcmp(name, "number") == 0)
			it->str[CVB_V_ISSUE] = v;
		else if (strcmp(name, "pages") == 0)
			fmt_pages(f, it, v, NULL);
		else if (strcmp(name, "year") == 0)
			it->date[CVB_DV_ISSUED] = fmt_date_ymd(f, atoi(v), 0, 0);
		else if (strcmp(name, "month") == 0 && it->date[CVB_DV_ISSUED] != NULL &&
		    cvb_bibtex_month(v, strlen(v)) > 0) {
			it->date[CVB_DV_ISSUED]->parts[0][1] = cvb_bibtex_month(v, strlen(v));
			it->date[CVB_DV_ISSUED]->nparts[0] = 2;
		} else if (strcmp(name, "publisher") == 0)
			it->str[CVB_V_PUBLISHER] = v;
		else if (strcmp(name, "school") == 0)
			it->str[CVB_V_PUBLISHER] = v;
		else if (strcmp(name, "series") == 0)
			it->str[CVB_V_COLLECTION_TITLE] = v;
		else if (strcmp(name, "isbn") == 0)
			fmt_set(f, it, CVB_V_ISBN, v, false);
		else if (strcmp(name, "address") == 0)
			it->str[CVB_V_PUBLISHER_PLACE] = v;
		else if (strcmp(name, "note") == 0)
			fmt_append(f, it, CVB_V_NOTE, v, "; ");
		else if (strcmp(name, "ee") == 0) {
			if (strstr(v, "doi.org/10.") != NULL && it->str[CVB_V_DOI] == NULL)
				fmt_doi(f, it, v);
			else if (strstr(v, "arxiv.org/abs/") != NULL)
				fmt_arxiv(f, it, v);
			else if (it->str[CVB_V_URL] == NULL)
				it->str[CVB_V_URL] = v;
			else
				fmt_extra(f, it, "ee", v);
		} else if (strcmp(name, "crossref") == 0)
			crossref = v;
		else if (strcmp(name, "url") == 0)
			fmt_extra(f, it, "dblp", cvb_arena_printf(&f->b->arena, "https://dblp.org/%s", v));
	}
	/* CoRR: an arXiv preprint */
	corr = journal != NULL && strcmp(journal, "CoRR") == 0;
	if (corr || (publtype != NULL && strcmp(publtype, "informal") == 0 && it->type == CVB_T_ARTICLE_JOURNAL)) {
		it->type = CVB_T_ARTICLE;
		it->str[CVB_V_GENRE] = "Preprint";
		if (corr && volume != NULL && strncmp(volume, "abs/", 4) == 0)
			fmt_arxiv(f, it, volume + 4);
		if (it->str[CVB_V_ARCHIVE_LOCATION] != NULL) {
			it->str[CVB_V_PUBLISHER] = "arXiv";
			if (it->str[CVB_V_DOI] == NULL)
				it->str[CVB_V_DOI] = cvb_arena_printf(&f->b->arena, "10.48550/arXiv.%s",
				    it->str[CVB_V_ARCHIVE_LOCATION]);
		} else
			venue(p, it, journal, true);
		volume = NULL;
	} else if (journal != NULL)
		venue(p, it, journal, true);
	it->str[CVB_V_VOLUME] = volume;
	if (booktitle != NULL) {
		xmlNodePtr pr = crossref ? find_proceedings(p, crossref) : NULL;
		const char *full = pr ? fmt_strip_period(f, fmt_xml_rich(f, fmt_xml_child(pr, "title"))) : NULL;

		if (full != NULL) {
			it->str[CVB_V_CONTAINER_TITLE] = full;
			it->str[CVB_V_CONTAINER_TITLE_SHORT] = booktitle;
		} else
			venue(p, it, booktitle, false);
	}
	if (crossref != NULL)
		fmt_extra(f, it, "crossref-dblp", crossref);
	s = key ? cvb_arena_printf(&f->b->arena, "DBLP:%s", key) : NULL;
	fmt_key(f, it, s);
}

static int
read_dblp(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct dblp p;
	xmlDocPtr doc;
	xmlNodePtr r, c;

	(void)opts;
	memset(&p, 0, sizeof(p));
	fmt_begin(&p.f, b, file, d);
	if ((doc = fmt_xml_read(&p.f, data, len)) == NULL) {
		fmt_end(&p.f, "");
		return -CVBIB_EINPUT;
	}
	p.root = xmlDocGetRootElement(doc);
	if (!fmt_xml_is(p.root, "dblpperson")) {
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, fmt_xml_line(p.root), 0,
		    "not a DBLP person page (<dblpperson>)");
		xmlFreeDoc(doc);
		fmt_end(&p.f, "");
		return -CVBIB_EINPUT;
	}
	p.owner_pid = fmt_xml_attr(&p.f, p.root, "pid");
	for (r = p.root->children; r != NULL; r = r->next) {
		if (!fmt_xml_is(r, "r"))
			continue;
		for (c = r->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				read_record(&p, c);
	}
	xmlFreeDoc(doc);
	return fmt_end(&p.f, "a DBLP person page without records");
}

int
cvb_read_dblp(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvb_xml_quiet q;
	int rc;

	cvb_xml_quiet_begin(&q);
	rc = read_dblp(b, data, len, file, opts, d);
	cvb_xml_quiet_end(&q);
	return rc;
}
