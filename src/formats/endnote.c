/*
 * endnote.c - EndNote XML (<xml><records><record>...), as EndNote, Zotero,
 * Mendeley and Bookends export it.  Text may be split into <style face=..>
 * runs: bold, italic, superscript and subscript become rich-text tags; the
 * other faces and fonts are dropped.  White space of pretty-printed files
 * is collapsed (kept as line breaks in abstracts and notes).  The type is
 * the ref-type's name (its number differs between EndNote versions).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "formats/fmt_xml.h"

/* EndNote's reference type names (also written into RIS TY lines). */
static const struct fmt_type endnote_types[] = {
	{ "Journal Article", CVB_T_ARTICLE_JOURNAL }, { "Electronic Article", CVB_T_ARTICLE_JOURNAL },
	{ "Book", CVB_T_BOOK }, { "Edited Book", CVB_T_BOOK }, { "Electronic Book", CVB_T_BOOK },
	{ "Catalog", CVB_T_BOOK }, { "Book Section", CVB_T_CHAPTER },
	{ "Electronic Book Section", CVB_T_CHAPTER }, { "Conference Paper", CVB_T_PAPER_CONFERENCE },
	{ "Conference Proceedings", CVB_T_PAPER_CONFERENCE }, { "Thesis", CVB_T_THESIS },
	{ "Report", CVB_T_REPORT }, { "Government Document", CVB_T_REPORT }, { "Patent", CVB_T_PATENT },
	{ "Web Page", CVB_T_WEBPAGE }, { "Generic", CVB_T_DOCUMENT }, { "Magazine Article", CVB_T_ARTICLE_MAGAZINE },
	{ "Newspaper Article", CVB_T_ARTICLE_NEWSPAPER }, { "Press Release", CVB_T_ARTICLE_NEWSPAPER },
	{ "Dataset", CVB_T_DATASET }, { "Aggregated Database", CVB_T_DATASET },
	{ "Online Database", CVB_T_DATASET }, { "Computer Program", CVB_T_SOFTWARE },
	{ "Manuscript", CVB_T_MANUSCRIPT }, { "Unpublished Work", CVB_T_MANUSCRIPT },
	{ "Statute", CVB_T_LEGISLATION }, { "Legal Rule or Regulation", CVB_T_REGULATION },
	{ "Case", CVB_T_LEGAL_CASE }, { "Bill", CVB_T_BILL }, { "Hearing", CVB_T_HEARING },
	{ "Map", CVB_T_MAP }, { "Film or Broadcast", CVB_T_MOTION_PICTURE },
	{ "Audiovisual Material", CVB_T_MOTION_PICTURE }, { "Podcast", CVB_T_BROADCAST },
	{ "Personal Communication", CVB_T_PERSONAL_COMMUNICATION }, { "Interview", CVB_T_INTERVIEW },
	{ "Encyclopedia", CVB_T_ENTRY_ENCYCLOPEDIA }, { "Dictionary", CVB_T_ENTRY_DICTIONARY },
	{ "Standard", CVB_T_STANDARD }, { "Blog", CVB_T_POST_WEBLOG }, { "Chart or Table", CVB_T_FIGURE },
	{ "Figure", CVB_T_FIGURE }, { "Equation", CVB_T_FIGURE }, { "Artwork", CVB_T_GRAPHIC },
	{ "Serial", CVB_T_PERIODICAL }, { "Pamphlet", CVB_T_PAMPHLET }, { "Classical Work", CVB_T_CLASSIC },
	{ "Ancient Text", CVB_T_CLASSIC }, { "Grant", CVB_T_DOCUMENT }, { "Music", CVB_T_MUSICAL_SCORE },
	{ "Dataset", CVB_T_DATASET }, { "Preprint", CVB_T_ARTICLE },
	{ NULL, CVB_T_NONE }
};

enum cvb_type
fmt_endnote_type(const char *name)
{
	return fmt_type(endnote_types, name);
}

/* text of an element: <style> runs to rich text, white space collapsed */
static void
text_of(struct cvb_buf *o, const xmlNode *n, bool lines)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const char *p = (const char *)c->content;

			for (; p != NULL && *p != '\0'; p++) {
				if (isspace((unsigned char)*p)) {
					bool nl = *p == '\n' && lines;

					while (isspace((unsigned char)p[1]) && !(lines && p[1] == '\n' && !nl)) {
						if (p[1] == '\n' && lines)
							nl = true;
						p++;
					}
					if (o->len > 0 && o->buf[o->len - 1] != ' ' && o->buf[o->len - 1] != '\n')
						cvb_buf_addch(o, nl ? '\n' : ' ');
					else if (nl && o->len > 0 && o->buf[o->len - 1] == ' ')
						o->buf[o->len - 1] = '\n';
					continue;
				}
				cvb_buf_addch(o, *p);
			}
		} else if (fmt_xml_is(c, "style")) {
			xmlChar *face = xmlGetProp(c, (const xmlChar *)"face");
			const char *fc = face ? (const char *)face : "";
			bool b = strstr(fc, "bold") != NULL, i = strstr(fc, "italic") != NULL;
			bool sup = strstr(fc, "superscript") != NULL, sub = strstr(fc, "subscript") != NULL;

			if (b)
				cvb_buf_adds(o, "<b>");
			if (i)
				cvb_buf_adds(o, "<i>");
			if (sup)
				cvb_buf_adds(o, "<sup>");
			if (sub)
				cvb_buf_adds(o, "<sub>");
			text_of(o, c, lines);
			if (sub)
				cvb_buf_adds(o, "</sub>");
			if (sup)
				cvb_buf_adds(o, "</sup>");
			if (i)
				cvb_buf_adds(o, "</i>");
			if (b)
				cvb_buf_adds(o, "</b>");
			xmlFree(face);
		} else if (c->type == XML_ELEMENT_NODE)
			text_of(o, c, lines);
	}
}

static const char *
etext(struct fmt *f, const xmlNode *n, bool rich, bool lines)
{
	struct cvb_buf o = CVB_BUF_INIT, p = CVB_BUF_INIT;
	const char *r = NULL;

	if (n == NULL)
		return NULL;
	text_of(&o, n, lines);
	if (!rich) {
		cvb_rich_plain(&p, o.buf);
		r = p.err ? NULL : fmt_strn(f, p.buf, p.len);
	} else if (!o.err)
		r = fmt_strn(f, o.buf, o.len);
	cvbib_buf_release(&o);
	cvbib_buf_release(&p);
	return r;
}

/* the first descendant element called name */
static xmlNodePtr
find(const xmlNode *n, const char *name)
{
	xmlNodePtr c, r;

	for (c = n ? n->children : NULL; c != NULL; c = c->next) {
		if (fmt_xml_is(c, name))
			return c;
		if (c->type == XML_ELEMENT_NODE && !fmt_xml_is(c, "style") && (r = find(c, name)) != NULL)
			return r;
	}
	return NULL;
}

static void
names(struct fmt *f, struct cvb_item *it, const xmlNode *list, enum cvb_nvar v)
{
	xmlNodePtr c;

	for (c = list ? list->children : NULL; c != NULL; c = c->next)
		if (fmt_xml_is(c, "author")) {
			const char *s = etext(f, c, false, false);

			if (s != NULL)
				fmt_add_name(f, it, v, s, strlen(s));
		}
}

static void
urls(struct fmt *f, struct cvb_item *it, const xmlNode *list, const char *extra)
{
	xmlNodePtr c;

	for (c = list ? list->children : NULL; c != NULL; c = c->next)
		if (fmt_xml_is(c, "url")) {
			const char *s = etext(f, c, false, false);

			if (s == NULL)
				continue;
			if (strstr(s, "doi.org/10.") != NULL && it->str[CVB_V_DOI] == NULL)
				fmt_doi(f, it, s);
			else if (extra == NULL && it->str[CVB_V_URL] == NULL)
				it->str[CVB_V_URL] = s;
			else
				fmt_extra(f, it, extra ? extra : "url", s);
		}
}

static void
read_record(struct fmt *f, xmlNodePtr rec)
{
	struct cvb_item *it;
	xmlNodePtr rt = fmt_xml_child(rec, "ref-type"), titles = fmt_xml_child(rec, "titles"), n;
	xmlNodePtr contrib = fmt_xml_child(rec, "contributors"), dates = fmt_xml_child(rec, "dates");
	const char *type = fmt_xml_attr(f, rt, "name"), *s, *sec, *full, *abbr, *label = NULL;

	if ((it = cvb_item_new(f->b, f->file, fmt_xml_line(rec), 0)) == NULL)
		return;
	it->str[CVB_V_TITLE] = etext(f, fmt_xml_child(titles, "title"), true, false);
	it->type = fmt_type(endnote_types, type);
	if (it->type == CVB_T_NONE) {
		cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, fmt_xml_line(rt ? rt : rec), 0,
		    "unknown EndNote reference type '%s', read as a document", type ? type : "");
		it->type = CVB_T_DOCUMENT;
	}
	names(f, it, fmt_xml_child(contrib, "authors"), CVB_NV_AUTHOR);
	names(f, it, fmt_xml_child(contrib, "secondary-authors"),
	    it->type == CVB_T_THESIS ? CVB_NV_CONTRIBUTOR : CVB_NV_EDITOR);
	names(f, it, fmt_xml_child(contrib, "tertiary-authors"), CVB_NV_COLLECTION_EDITOR);
	names(f, it, fmt_xml_child(contrib, "subsidiary-authors"), CVB_NV_TRANSLATOR);
	sec = etext(f, fmt_xml_child(titles, "secondary-title"), true, false);
	full = etext(f, find(fmt_xml_child(rec, "periodical"), "full-title"), true, false);
	abbr = etext(f, find(fmt_xml_child(rec, "periodical"), "abbr-1"), false, false);
	if (sec == NULL)
		sec = full;
	if (it->type == CVB_T_THESIS || it->type == CVB_T_REPORT)
		fmt_set(f, it, CVB_V_COLLECTION_TITLE, sec, false);
	else
		it->str[CVB_V_CONTAINER_TITLE] = sec;
	fmt_set(f, it, CVB_V_COLLECTION_TITLE, etext(f, fmt_xml_child(titles, "tertiary-title"), true, false), false);
	s = etext(f, fmt_xml_child(titles, "alt-title"), false, false);
	fmt_set(f, it, CVB_V_CONTAINER_TITLE_SHORT, abbr ? abbr : (s != NULL && sec != NULL &&
	    strcmp(s, sec) != 0) ? s : NULL, false);
	fmt_set(f, it, CVB_V_TITLE_SHORT, etext(f, fmt_xml_child(titles, "short-title"), false, false), false);
	for (n = rec->children; n != NULL; n = n->next) {
		const char *name = (const char *)n->name;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "pages") == 0)
			fmt_pages(f, it, etext(f, n, false, false), NULL);
		else if (strcmp(name, "volume") == 0)
			fmt_set(f, it, CVB_V_VOLUME, etext(f, n, false, false), false);
		else if (strcmp(name, "number") == 0 || strcmp(name, "issue") == 0)
			fmt_set(f, it, it->type == CVB_T_REPORT || it->type == CVB_T_PATENT ?
			    CVB_V_NUMBER : CVB_V_ISSUE, etext(f, n, false, false), false);
		else if (strcmp(name, "edition") == 0)
			fmt_set(f, it, CVB_V_EDITION, etext(f, n, false, false), false);
		else if (strcmp(name, "section") == 0)
			fmt_set(f, it, CVB_V_SECTION, etext(f, n, false, false), false);
		else if (strcmp(name, "publisher") == 0)
			fmt_set(f, it, CVB_V_PUBLISHER, etext(f, n, false, false), false);
		else if (strcmp(name, "pub-location") == 0)
			fmt_set(f, it, CVB_V_PUBLISHER_PLACE, etext(f, n, false, false), false);
		else if (strcmp(name, "isbn") == 0) {
			s = etext(f, n, false, false);
			fmt_set(f, it, s != NULL && !fmt_looks_issn(s) && (it->type == CVB_T_BOOK ||
			    it->type == CVB_T_CHAPTER || it->type == CVB_T_PATENT || it->type == CVB_T_REPORT ||
			    strlen(s) > 9) ? CVB_V_ISBN : CVB_V_ISSN, s, false);
		} else if (strcmp(name, "electronic-resource-num") == 0) {
			s = etext(f, n, false, false);
			if (s != NULL && !fmt_doi(f, it, s))
				fmt_extra(f, it, "electronic-resource-num", s);
		} else if (strcmp(name, "abstract") == 0)
			fmt_set(f, it, CVB_V_ABSTRACT, etext(f, n, true, true), false);
		else if (strcmp(name, "notes") == 0 || strcmp(name, "research-notes") == 0)
			fmt_append(f, it, CVB_V_NOTE, etext(f, n, true, true), "\n");
		else if (strcmp(name, "keywords") == 0) {
			xmlNodePtr k;

			for (k = n->children; k != NULL; k = k->next)
				if (fmt_xml_is(k, "keyword"))
					fmt_append(f, it, CVB_V_KEYWORD, etext(f, k, false, false), ", ");
		} else if (strcmp(name, "language") == 0)
			fmt_set(f, it, CVB_V_LANGUAGE, etext(f, n, false, false), false);
		else if (strcmp(name, "work-type") == 0)
			fmt_set(f, it, CVB_V_GENRE, etext(f, n, false, false), false);
		else if (strcmp(name, "accession-num") == 0)
			fmt_set(f, it, CVB_V_ARCHIVE_LOCATION, etext(f, n, false, false), false);
		else if (strcmp(name, "call-num") == 0)
			fmt_set(f, it, CVB_V_CALL_NUMBER, etext(f, n, false, false), false);
		else if (strcmp(name, "remote-database-name") == 0 || strcmp(name, "remote-database-provider") == 0)
			fmt_set(f, it, CVB_V_SOURCE, etext(f, n, false, false), false);
		else if (strcmp(name, "label") == 0)
			label = etext(f, n, false, false);
		else if (strcmp(name, "auth-address") == 0)
			fmt_extra(f, it, "affiliation", etext(f, n, false, false));
		else if (strncmp(name, "custom", 6) == 0)
			fmt_extra(f, it, name, etext(f, n, false, false));
		else if (strcmp(name, "urls") == 0) {
			urls(f, it, fmt_xml_child(n, "related-urls"), NULL);
			urls(f, it, fmt_xml_child(n, "web-urls"), NULL);
			urls(f, it, fmt_xml_child(n, "pdf-urls"), "pdf");
		}
	}
	/* dates: the year, and the publication date when it has the same year */
	if (dates != NULL) {
		const char *y = etext(f, fmt_xml_child(dates, "year"), false, false);
		const char *pd = etext(f, find(fmt_xml_child(dates, "pub-dates"), "date"), false, false);
		struct cvb_date *d = y ? fmt_date(f, y) : NULL;

		if (d != NULL && pd != NULL && d->nparts[0] == 1) {
			char *both = cvb_arena_printf(&f->b->arena, "%s %s", y, pd);
			struct cvb_date *d2 = both ? fmt_date(f, both) : NULL;

			if (d2 != NULL && d2->parts[0][0] == d->parts[0][0])
				d = d2;
		}
		if (d == NULL && y != NULL)
			cvb_diag(f->d, CVB_D_FMT_BAD_VALUE, f->file, fmt_xml_line(dates), 0, "no year in '%s'", y);
		it->date[CVB_DV_ISSUED] = d;
	}
	if (it->str[CVB_V_TITLE] == NULL && it->str[CVB_V_TITLE_SHORT] != NULL)
		it->str[CVB_V_TITLE] = it->str[CVB_V_TITLE_SHORT];
	if (it->str[CVB_V_TITLE] == NULL && it->names[CVB_NV_AUTHOR] == NULL) {
		cvb_diag(f->d, CVB_D_FMT_BAD_ENTRY, f->file, fmt_xml_line(rec), 0,
		    "EndNote record with neither title nor author");
		cvb_item_drop_last(f->b);
		return;
	}
	/* a label without spaces is the citation key (Zotero, EndNote 20) */
	fmt_key(f, it, label);
	if (label != NULL && (it->key == NULL || strcmp(it->key, label) != 0))
		fmt_extra(f, it, "label", label);
}

static int
read_endnote(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct fmt f;
	xmlDocPtr doc;
	xmlNodePtr root, recs, r;

	(void)opts;
	fmt_begin(&f, b, file, d);
	if ((doc = fmt_xml_read(&f, data, len)) == NULL) {
		fmt_end(&f, "");
		return -CVBIB_EINPUT;
	}
	root = xmlDocGetRootElement(doc);
	recs = fmt_xml_is(root, "records") ? root : fmt_xml_child(root, "records");
	if (recs == NULL) {
		cvb_diag(d, CVB_D_FMT_NOT_READ, file, fmt_xml_line(root), 0,
		    "not EndNote XML (<xml><records>)");
		xmlFreeDoc(doc);
		fmt_end(&f, "");
		return -CVBIB_EINPUT;
	}
	for (r = recs->children; r != NULL; r = r->next)
		if (fmt_xml_is(r, "record"))
			read_record(&f, r);
	xmlFreeDoc(doc);
	return fmt_end(&f, "EndNote XML without records");
}

int
cvb_read_endnote(cvbib_biblio *b, const char *data, size_t len, const char *file,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvb_xml_quiet q;
	int rc;

	cvb_xml_quiet_begin(&q);
	rc = read_endnote(b, data, len, file, opts, d);
	cvb_xml_quiet_end(&q);
	return rc;
}
