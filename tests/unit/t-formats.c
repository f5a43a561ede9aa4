/*
 * t-formats.c - src/formats/: detection by content (whatever the file is
 * called), refusal by name, and the date, name and page forms of exports.
 */
#include <string.h>
#include "check.h"
#include "cvb_int.h"
#include "formats/fmt.h"

#define DETECT(name, text) cvbib_format_detect(name, text, strlen(text))

static void
test_detect(void)
{
	const char *r;

	CHECK(DETECT("x.txt", "\xEF\xBB\xBFTY  - JOUR\r\nTI  - x\r\nER  - \r\n") == CVBIB_FMT_RIS, "RIS with BOM");
	CHECK(DETECT("x.ris", "Record 1\nTY - JOUR\nER  -\n") == CVBIB_FMT_RIS, "RIS after junk");
	CHECK(DETECT("w.json", "{\"path\":\"/0000-0002-1825-0097/works\",\"group\":[]}") == CVBIB_FMT_ORCID,
	    "empty ORCID works list, though named .json");
	CHECK(DETECT("-", "{\"group\":[{\"work-summary\":[]}]}") == CVBIB_FMT_ORCID, "ORCID summaries");
	CHECK(DETECT("a.json", "{\"results\":[{\"id\":\"x\",\"authorships\":[]}]}") == CVBIB_FMT_OPENALEX,
	    "OpenAlex list");
	CHECK(DETECT("a.json", "[{\"id\":\"a\",\"URL\":\"https://openalex.org/W1\"}]") == CVBIB_FMT_CSLJSON,
	    "CSL-JSON that links to OpenAlex stays CSL-JSON");
	CHECK(DETECT("p.xml", "<?xml version=\"1.0\"?>\n<dblpperson name=\"x\">") == CVBIB_FMT_DBLP, "DBLP");
	CHECK(DETECT("-", "<xml><records><record><ref-type name=\"Book\">1</ref-type>") ==
	    CVBIB_FMT_ENDNOTE_XML, "EndNote XML");
	CHECK(DETECT("-", "\nPMID- 1\nOWN - NLM\nTI  - x\n") == CVBIB_FMT_MEDLINE, "MEDLINE");
	CHECK(DETECT("-", "PMC -1\nTI-\nFAU - x\n") == CVBIB_FMT_MEDLINE, "MEDLINE without PMID");
	CHECK(DETECT("CITATION.cff", "# c\ncff-version: 1.2.0\ntitle: x\n") == CVBIB_FMT_CFF, "CFF");
	CHECK(DETECT("c.csv", "\xEF\xBB\xBF" "Authors,Title,Publication,Volume,Number,Pages,Year,Publisher\r\n") ==
	    CVBIB_FMT_SCHOLAR_CSV, "Scholar CSV");
	CHECK(DETECT("c.csv", "Authors,Title\n") != CVBIB_FMT_SCHOLAR_CSV, "not every CSV");
	CHECK(cvb_formats_detect("FN Clarivate\nVR 1.0\nPT J\nAU x\nER\n", strlen("FN Clarivate\nVR 1.0\nPT J\nAU x\nER\n"), &r) == CVBIB_FMT_AUTO &&
	    r != NULL && strstr(r, "Web of Science") != NULL, "WoS refused by name");
	CHECK(cvb_formats_detect("%0 Book\n%A x\n", strlen("%0 Book\n%A x\n"), &r) == CVBIB_FMT_ENW, "EndNote tagged text");
	CHECK(cvb_formats_detect("pub_date\ttitle\tvenue\n", strlen("pub_date\ttitle\tvenue\n"), &r) == CVBIB_FMT_AUTO && r != NULL &&
	    strstr(r, "academicpages") != NULL, "academicpages TSV refused by name");
	CHECK(cvb_formats_detect("[{\"id\":\"a\"}]", strlen("[{\"id\":\"a\"}]"), &r) == CVBIB_FMT_AUTO && r == NULL, "CSL-JSON not refused");
	CHECK(cvbib_format_lookup("nbib") == CVBIB_FMT_MEDLINE, "alias nbib");
	CHECK(cvbib_format_is_collection(CVBIB_FMT_HUGOBLOX) && !cvbib_format_is_collection(CVBIB_FMT_RIS),
	    "collections");
}

static void
test_forms(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct fmt f;
	struct cvb_date *dt;
	struct cvb_name *n;
	struct cvb_item *it;

	fmt_begin(&f, b, "t", &d);
	dt = fmt_date(&f, "2016/12//");
	CHECK(dt && dt->nparts[0] == 2 && dt->parts[0][1] == 12, "2016/12//");
	dt = fmt_date(&f, "1991/aug/");
	CHECK(dt && dt->nparts[0] == 2 && dt->parts[0][1] == 8, "1991/aug/");
	dt = fmt_date(&f, "2018/10/11/12:08:56");
	CHECK(dt && dt->nparts[0] == 3 && dt->parts[0][2] == 11, "with a time");
	dt = fmt_date(&f, "1996 Jul 9");
	CHECK(dt && dt->nparts[0] == 3 && dt->parts[0][1] == 7 && dt->parts[0][2] == 9, "MEDLINE DP");
	CHECK(fmt_date(&f, "0000") == NULL && fmt_date(&f, "Year") == NULL, "no year");
	dt = fmt_date(&f, "2019 Spring");
	CHECK(dt && dt->nparts[0] == 1 && dt->season == 1, "season");
	n = fmt_name_vancouver(&f, "Smith JA", 8);
	CHECK(n && n->family && strcmp(n->family, "Smith") == 0 && strcmp(n->given, "JA") == 0, "Vancouver");
	n = fmt_name_vancouver(&f, "Jones, Bob, Jr.", 15);
	CHECK(n && strcmp(n->family, "Jones") == 0 && strcmp(n->given, "Bob") == 0 && n->suffix &&
	    strcmp(n->suffix, "Jr.") == 0, "RIS suffix last");
	n = fmt_name(&f, "Baldwin,S.A.", 12);
	CHECK(n && strcmp(n->family, "Baldwin") == 0 && strcmp(n->given, "S.A.") == 0, "no space after comma");
	n = fmt_name(&f, "Anderson and Co", 15);
	CHECK(n && n->next == NULL, "one name, 'and' or not");
	it = cvb_item_new(b, "t", 1, 1);
	fmt_pages(&f, it, "943-7", NULL);
	CHECK(it->str[CVB_V_PAGE] && strcmp(it->str[CVB_V_PAGE], "943-947") == 0, "abbreviated range");
	fmt_pages(&f, it, "12", "19");
	CHECK(strcmp(it->str[CVB_V_PAGE], "12-19") == 0, "SP and EP");
	CHECK(cvb_doi_is_preprint("10.48550/arXiv.1") && !cvb_doi_is_preprint("10.1000/x"), "preprint DOIs");
	CHECK(fmt_looks_issn("0022-4049") && fmt_looks_issn("00224049") && !fmt_looks_issn("9783642002304"),
	    "ISSN forms");
	fmt_end(&f, "");
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

int
main(void)
{
	test_detect();
	test_forms();
	return check_report();
}
