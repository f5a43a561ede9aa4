/* t-csl.c - unit tests of the CSL engine: title case, page ranges, ordinals,
 * numeric detection, and a style rendered in every output format (with the
 * CV conventions: highlighted names, markers, given citation numbers, and a
 * LaTeX injection attempt). */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "csl/csl.h"

static char *
tcase(const char *s, int tc)
{
	struct cvb_buf b = CVB_BUF_INIT;
	bool first = true;

	csl_text_case(&b, s, tc, &first);
	return cvbib_buf_detach(&b, NULL);
}

static char *
prange(const char *s, int fmt)
{
	struct cvb_buf b = CVB_BUF_INIT;

	csl_page_range(&b, s, fmt, "-");
	return cvbib_buf_detach(&b, NULL);
}

static const char style_xml[] =
"<?xml version=\"1.0\"?>\n"
"<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"in-text\" version=\"1.0\">\n"
"  <info><title>t</title><id>t</id></info>\n"
"  <locale><style-options punctuation-in-quote=\"true\"/><terms>\n"
"    <term name=\"ordinal\">th</term>\n"
"    <term name=\"ordinal-01\">st</term><term name=\"ordinal-02\">nd</term>\n"
"    <term name=\"ordinal-03\">rd</term>\n"
"    <term name=\"ordinal-11\">th</term><term name=\"ordinal-12\">th</term>\n"
"    <term name=\"ordinal-13\">th</term>\n"
"    <term name=\"and\">and</term><term name=\"et-al\">et al.</term>\n"
"    <term name=\"open-quote\">\xe2\x80\x9c</term><term name=\"close-quote\">\xe2\x80\x9d</term>\n"
"  </terms></locale>\n"
"  <citation><layout delimiter=\"; \"><text variable=\"citation-number\"/></layout></citation>\n"
"  <bibliography>\n"
"    <layout suffix=\".\">\n"
"      <text variable=\"citation-number\" prefix=\"[\" suffix=\"] \"/>\n"
"      <names variable=\"author\"><name and=\"text\" initialize-with=\". \"/></names>\n"
"      <text variable=\"title\" font-style=\"italic\" prefix=\", \"/>\n"
"      <text variable=\"container-title\" quotes=\"true\" prefix=\", \"/>\n"
"    </layout>\n"
"  </bibliography>\n"
"</style>\n";

static const char items_json[] =
"[{\"id\":\"a\",\"type\":\"book\",\"title\":\"On <i>E. coli</i> & friends\","
"  \"container-title\":\"Proceedings\","
"  \"author\":[{\"family\":\"Doe\",\"given\":\"Jane Ann\"},{\"family\":\"Roe\",\"given\":\"Rich\"}]},"
" {\"id\":\"b\",\"type\":\"book\","
"  \"title\":\"}\\\\end{document}\\\\input{/etc/passwd} $x$ 100% #1 _a ^b ~c <b>bold</b>\","
"  \"author\":[{\"family\":\"Q{u}x\",\"given\":\"B\"}]}]";

/* positions and subsequent-author-substitute */
static const char style2_xml[] =
"<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"note\" version=\"1.0\">\n"
"  <locale><terms><term name=\"ibid\">ibid.</term></terms></locale>\n"
"  <citation><layout delimiter=\"; \" suffix=\".\"><choose>\n"
"    <if position=\"ibid-with-locator\"><text term=\"ibid\"/><text variable=\"locator\" prefix=\", \"/></if>\n"
"    <else-if position=\"ibid\"><text term=\"ibid\"/></else-if>\n"
"    <else-if position=\"subsequent\"><names variable=\"author\"><name form=\"short\"/></names>"
"<text variable=\"first-reference-note-number\" prefix=\", n. \"/></else-if>\n"
"    <else><names variable=\"author\"/><text variable=\"title\" prefix=\", \"/></else>\n"
"  </choose></layout></citation>\n"
"  <bibliography subsequent-author-substitute=\"---\" subsequent-author-substitute-rule=\"partial-each\">\n"
"    <sort><key variable=\"title\"/></sort>\n"
"    <layout><group delimiter=\". \"><names variable=\"author\"/><text variable=\"title\"/></group></layout>\n"
"  </bibliography>\n"
"</style>\n";

static const char items2_json[] =
"[{\"id\":\"a\",\"title\":\"A\",\"author\":[{\"family\":\"Doe\",\"given\":\"Jo\"},{\"family\":\"Roe\",\"given\":\"Al\"}]},"
" {\"id\":\"b\",\"title\":\"B\",\"author\":[{\"family\":\"Doe\",\"given\":\"Jo\"},{\"family\":\"Poe\",\"given\":\"Ed\"}]},"
" {\"id\":\"c\",\"title\":\"C\",\"author\":[{\"family\":\"Doe\",\"given\":\"Jo\"},{\"family\":\"Poe\",\"given\":\"Ed\"}]}]";

static void
test_positions(void)
{
	cvbib_style *s = NULL;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_buf out = CVB_BUF_INIT;
	struct cvbib_cite c[5];
	struct cvbib_citation cit[4];

	CHECK(cvbib_style_load_mem(&s, style2_xml, strlen(style2_xml), "t2.csl", NULL, NULL, &d) == 0, "style 2 loads");
	cvbib_read(b, items2_json, strlen(items2_json), "t2.json", CVBIB_FMT_CSLJSON, NULL, &d);
	if (!s) { cvbib_biblio_free(b); return; }
	memset(c, 0, sizeof(c));
	memset(cit, 0, sizeof(cit));
	c[0].id = "a"; c[1].id = "a"; c[2].id = "a"; c[2].locator = "12"; c[3].id = "b"; c[4].id = "a";
	cit[0].note_index = 1; cit[0].cites = &c[0]; cit[0].ncites = 1;
	cit[1].note_index = 2; cit[1].cites = &c[1]; cit[1].ncites = 2;	/* a (ibid), a p. 12 */
	cit[2].note_index = 3; cit[2].cites = &c[3]; cit[2].ncites = 1;
	cit[3].note_index = 4; cit[3].cites = &c[4]; cit[3].ncites = 1;
	cvbib_format_citations(s, b, cit, 4, CVBIB_OUT_TEXT, &out, &d);
	CHECK_STR(out.buf, "Jo Doe, Al Roe, A.\nIbid.; ibid., 12.\nJo Doe, Ed Poe, B.\nDoe, Roe, n. 1.\n");
	cvb_buf_reset(&out);
	cvbib_format_bibliography(s, b, CVBIB_OUT_TEXT, &out, &d);
	CHECK_STR(out.buf, "Jo Doe, Al Roe. A\n---, Ed Poe. B\n---, ---. C\n");
	cvbib_buf_release(&out);
	cvbib_biblio_free(b);
	cvbib_style_free(s);
	cvbib_diags_release(&d);
}

/* cvb_csl_citations_update: which citations change when one is inserted */
static void
test_update(void)
{
	cvbib_style *s = NULL;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_cite c[4];
	struct cvbib_citation before[3], after[4];
	char *outs[4];
	bool changed[4];
	size_t i;

	CHECK(cvbib_style_load_mem(&s, style2_xml, strlen(style2_xml), "t2.csl", NULL, NULL, &d) == 0, "style 2 loads");
	cvbib_read(b, items2_json, strlen(items2_json), "t2.json", CVBIB_FMT_CSLJSON, NULL, &d);
	if (!s) { cvbib_biblio_free(b); return; }
	memset(c, 0, sizeof(c));
	memset(before, 0, sizeof(before));
	c[0].id = "a"; c[1].id = "b"; c[2].id = "a"; c[3].id = "c";
	for (i = 0; i < 3; i++) {
		before[i].cites = &c[i]; before[i].ncites = 1; before[i].note_index = (int)i + 1;
	}
	before[0].id = "X"; before[1].id = "Y"; before[2].id = "Z";
	/* the same document again: nothing changed */
	CHECK(cvb_csl_citations_update(s, b, before, 3, before, 3, CVBIB_OUT_TEXT, outs, changed, &d) == 0, "update runs");
	CHECK(!changed[0] && !changed[1] && !changed[2], "an unchanged document has no changed citations");
	for (i = 0; i < 3; i++) free(outs[i]);
	/* W (item c) inserted in note 1: the others move down a note */
	after[0].id = "W"; after[0].cites = &c[3]; after[0].ncites = 1; after[0].note_index = 1;
	for (i = 0; i < 3; i++) { after[i + 1] = before[i]; after[i + 1].note_index = (int)i + 2; }
	CHECK(cvb_csl_citations_update(s, b, before, 3, after, 4, CVBIB_OUT_TEXT, outs, changed, &d) == 0, "update runs");
	CHECK_STR(outs[0], "Jo Doe, Ed Poe, C.");
	CHECK_STR(outs[1], "Jo Doe, Al Roe, A.");
	CHECK_STR(outs[3], "Doe, Roe, n. 2.");
	CHECK(changed[0], "the new citation is changed");
	/* X reads the same, but the note its back-reference points to moved */
	CHECK(changed[1], "the first cite of an item whose first note moved is changed");
	CHECK(!changed[2], "a citation of an item cited once, reading the same, is unchanged");
	CHECK(changed[3], "a back-reference whose note moved is changed");
	for (i = 0; i < 4; i++) free(outs[i]);
	cvbib_biblio_free(b);
	cvbib_style_free(s);
	cvbib_diags_release(&d);
}

static cvbib_biblio *
load_items(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;

	cvbib_read(b, items_json, strlen(items_json), "t.json", CVBIB_FMT_CSLJSON, NULL, &d);
	cvbib_diags_release(&d);
	return b;
}

static char *
format(cvbib_style *s, cvbib_biblio *b, enum cvbib_outfmt f)
{
	struct cvb_buf out = CVB_BUF_INIT;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;

	cvbib_format_bibliography(s, b, f, &out, &d);
	cvbib_diags_release(&d);
	return cvbib_buf_detach(&out, NULL);
}

int
main(void)
{
	char *x;
	cvbib_style *s = NULL;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b;
	struct cvb_buf ob = CVB_BUF_INIT;

	/* title case: stop words, first and last word, after a colon, nocase */
	x = tcase("the way of the world: a history of it", TC_TITLE);
	CHECK_STR(x, "The Way of the World: A History of It"); free(x);
	x = tcase("an <span class=\"nocase\">iPhone</span> for eBay users", TC_TITLE);
	CHECK_STR(x, "An <span class=\"nocase\">iPhone</span> for eBay Users"); free(x);
	x = tcase("self-esteem and locus of control", TC_TITLE);
	CHECK_STR(x, "Self-Esteem and Locus of Control"); free(x);
	x = tcase("NASA in space", TC_TITLE);
	CHECK_STR(x, "NASA in Space"); free(x);
	x = tcase("\xc3\xa9t\xc3\xa9 in paris", TC_UPPER);
	CHECK_STR(x, "\xc3\x89T\xc3\x89 IN PARIS"); free(x);
	x = tcase("hello world", TC_CAPFIRST);
	CHECK_STR(x, "Hello world"); free(x);
	x = tcase("hello world", TC_CAPALL);
	CHECK_STR(x, "Hello World"); free(x);
	x = tcase("Hello <span class=\"nocase\">World</span>", TC_LOWER);
	CHECK_STR(x, "hello <span class=\"nocase\">World</span>"); free(x);
	x = tcase("arXiv preprint", TC_CAPFIRST);
	CHECK_STR(x, "arXiv preprint"); free(x);
	/* dotless i: I in every language; Turkish i is İ */
	x = tcase("\xc4\xb1" "b and ib", TC_UPPER);
	CHECK_STR(x, "IB AND IB"); free(x);
	{
		struct cvb_buf tb = CVB_BUF_INIT;
		bool first = true;
		csl_text_case_lang(&tb, "\xc4\xb1" "d and ic", TC_UPPER, &first, "tr-TR");
		x = cvbib_buf_detach(&tb, NULL);
		CHECK_STR(x, "ID AND \xc4\xb0" "C"); free(x);
	}

	/* page ranges */
	x = prange("321-28", 1); CHECK_STR(x, "321-328"); free(x);
	x = prange("321-328", 2); CHECK_STR(x, "321-8"); free(x);
	x = prange("321-328", 3); CHECK_STR(x, "321-28"); free(x);
	x = prange("1496-1504", 4); CHECK_STR(x, "1496-504"); free(x);
	x = prange("71-72", 4); CHECK_STR(x, "71-72"); free(x);
	x = prange("100-104", 4); CHECK_STR(x, "100-104"); free(x);
	x = prange("101-108", 4); CHECK_STR(x, "101-8"); free(x);
	x = prange("321-328", 4); CHECK_STR(x, "321-28"); free(x);
	x = prange("1536-1538", 5); CHECK_STR(x, "1536-38"); free(x);
	x = prange("2787-2816", 5); CHECK_STR(x, "2787-2816"); free(x);
	x = prange("S10-S12, 15-19", 2); CHECK_STR(x, "S10-2, 15-9"); free(x);
	x = prange("S10-S12", 1); CHECK_STR(x, "S10-S12"); free(x);
	x = prange("N110-5", 2); CHECK_STR(x, "N110-5"); free(x);
	x = prange("iv-x", 2); CHECK_STR(x, "iv-x"); free(x);

	/* numeric variables */
	CHECK(csl_is_numeric("12"), "12 is numeric");
	CHECK(csl_is_numeric("2a"), "2a is numeric");
	CHECK(csl_is_numeric("1-3, 5"), "1-3, 5 is numeric");
	CHECK(csl_is_numeric("1 & 2"), "1 & 2 is numeric");
	CHECK(!csl_is_numeric("second"), "second is not numeric");
	CHECK(!csl_is_numeric("2 ed."), "2 ed. is not numeric");
	CHECK(!csl_is_numeric("AR6 WG1"), "AR6 WG1 (a space alone separates no numbers) is not numeric");
	CHECK(csl_is_numeric("2 and 4"), "2 and 4 is numeric");
	CHECK(csl_is_numeric("2 \xe2\x80\x93 4"), "2 – 4 is numeric");
	x = NULL;
	{
		struct cvb_buf r = CVB_BUF_INIT;
		csl_roman(&r, 1994);
		CHECK_STR(r.buf, "mcmxciv");
		cvbib_buf_release(&r);
	}

	CHECK(cvbib_style_load_mem(&s, style_xml, strlen(style_xml), "t.csl", NULL, NULL, &d) == 0,
	    "style loads");
	CHECK(d.nerrors == 0, "no errors loading the style");
	if (!s) return check_report();
	/* ordinals */
	{
		static const struct { long n; const char *want; } o[] = {
			{ 1, "1st" }, { 2, "2nd" }, { 3, "3rd" }, { 4, "4th" }, { 11, "11th" },
			{ 12, "12th" }, { 13, "13th" }, { 21, "21st" }, { 101, "101st" },
			{ 111, "111th" }, { 112, "112th" },
		};
		size_t i;
		for (i = 0; i < CVB_ARRAY_SIZE(o); i++) {
			struct cvb_buf r = CVB_BUF_INIT;
			csl_ordinal(&r, s, o[i].n, 0, false);
			CHECK_STR(r.buf, o[i].want);
			cvbib_buf_release(&r);
		}
	}

	b = load_items();
	x = format(s, b, CVBIB_OUT_TEXT);
	CHECK_STR(x, "[1] J. A. Doe and R. Roe, On E. coli & friends, \xe2\x80\x9cProceedings.\xe2\x80\x9d\n"
	    "[2] B. Q{u}x, }\\end{document}\\input{/etc/passwd} $x$ 100% #1 _a ^b ~c bold.\n");
	free(x);
	x = format(s, b, CVBIB_OUT_HTML);
	CHECK_STR(x, "<div class=\"csl-bib-body\">\n"
	    "  <div class=\"csl-entry\">[1] J. A. Doe and R. Roe, <i>On <span style=\"font-style:normal;\">E. coli</span> &#38; friends</i>, \xe2\x80\x9cProceedings.\xe2\x80\x9d</div>\n"
	    "  <div class=\"csl-entry\">[2] B. Q{u}x, <i>}\\end{document}\\input{/etc/passwd} $x$ 100% #1 _a ^b ~c <b>bold</b></i>.</div>\n"
	    "</div>\n");
	free(x);
	x = format(s, b, CVBIB_OUT_MARKDOWN);
	CHECK_STR(x, "\\[1\\] J. A. Doe and R. Roe, *On E. coli & friends*, \xe2\x80\x9cProceedings.\xe2\x80\x9d\n\n"
	    "\\[2\\] B. Q{u}x, *}\\\\end{document}\\\\input{/etc/passwd} $x$ 100% #1 \\_a ^b ~c **bold***.\n\n");
	free(x);
	/* LaTeX: nothing in the data can leave the fragment */
	x = format(s, b, CVBIB_OUT_LATEX);
	CHECK_STR(x, "\\begin{itemize}\n"
	    "\\item [1] J. A. Doe and R. Roe, \\textit{On \\textup{E. coli} \\& friends}, \xe2\x80\x9cProceedings.\xe2\x80\x9d\n"
	    "\\item [2] B. Q\\{u\\}x, \\textit{\\}\\textbackslash{}end\\{document\\}\\textbackslash{}input\\{/etc/passwd\\} \\$x\\$ 100\\% \\#1 \\_a \\textasciicircum{}b \\textasciitilde{}c \\textbf{bold}}.\n"
	    "\\end{itemize}\n");
	free(x);

	{
		struct cvb_csl_bibopts bo;
		cvb_csl_bib_options(s, &bo);
		CHECK(bo.present && bo.numeric && !bo.hanging_indent && bo.line_spacing == 1, "bibliography options");
	}
	/* the CV layer's conventions */
	{
		struct cvb_csl_entry *e = NULL;
		size_t n = 0;
		b->items[0]->names[CVB_NV_AUTHOR]->flags |= CVB_NF_HIGHLIGHT;
		b->items[0]->names[CVB_NV_AUTHOR]->next->marker = "*";
		cvb_item_set(b, b->items[0], CVB_V_CITATION_NUMBER, "J3");
		CHECK(cvb_csl_bibliography_entries(s, b, CVBIB_OUT_HTML, 1, &e, &n, &d) == 0 && n == 2, "entries");
		if (n == 2) {
			CHECK_STR(e[0].text, "[J3] <strong class=\"cvbib-highlight\">J. A. Doe</strong> and R. Roe<sup>*</sup>, "
			    "<i>On <span style=\"font-style:normal;\">E. coli</span> &#38; friends</i>, \xe2\x80\x9cProceedings.\xe2\x80\x9d");
			CHECK(e[0].item == b->items[0], "entry item");
		}
		cvb_csl_entries_free(e, n);
		CHECK(cvb_csl_bibliography_entries(s, b, CVBIB_OUT_LATEX, 1, &e, &n, &d) == 0 && n == 2, "entries");
		if (n == 2)
			CHECK_STR(e[0].text, "[J3] \\textbf{J. A. Doe} and R. Roe\\textsuperscript{*}, "
			    "\\textit{On \\textup{E. coli} \\& friends}, \xe2\x80\x9cProceedings.\xe2\x80\x9d");
		cvb_csl_entries_free(e, n);
		CHECK(cvb_csl_bibliography_entries(s, b, CVBIB_OUT_TEXT, 1, &e, &n, &d) == 0 && n == 2, "entries");
		if (n == 2)
			CHECK_STR(e[0].text, "[J3] **J. A. Doe** and R. Roe*, On E. coli & friends, \xe2\x80\x9cProceedings.\xe2\x80\x9d");
		cvb_csl_entries_free(e, n);
	}
	/* citations */
	{
		struct cvbib_cite c[2];
		struct cvbib_citation cit;
		memset(c, 0, sizeof(c));
		c[0].id = "b"; c[1].id = "a";
		cit.id = NULL; cit.note_index = 1; cit.cites = c; cit.ncites = 2;
		cvbib_format_citations(s, b, &cit, 1, CVBIB_OUT_TEXT, &ob, &d);
		CHECK_STR(ob.buf, "1; J3\n");	/* b is cited first */
		cvbib_buf_release(&ob);
	}
	cvbib_biblio_free(b);
	cvbib_style_free(s);
	cvbib_diags_release(&d);
	test_positions();
	test_update();
	return check_report();
}
