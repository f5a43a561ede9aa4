/* t-text.c - unit tests for the reference parser and the free-text CV reader. */
#include <string.h>
#include <stdlib.h>
#include "cvb_int.h"
#include "freetext/ft.h"
#include "seq/seq.h"
#include "check.h"

static size_t
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 255; p[1] = (v >> 8) & 255; p[2] = (v >> 16) & 255; p[3] = v >> 24;
	return 4;
}

static struct cvb_item *
parse(cvbib_biblio *b, const char *s, int *rc)
{
	struct cvb_item *it = cvb_item_new(b, "t", 1, 1);

	*rc = cvb_refparse(b, it, s, strlen(s), NULL);
	return it;
}

static const char *
fam(const struct cvb_item *it, int k)
{
	const struct cvb_name *n = it->names[CVB_NV_AUTHOR];

	while (n && k-- > 0)
		n = n->next;
	return n ? n->family : NULL;
}

static void
test_styles(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_item *it;
	int rc;

	/* IEEE */
	it = parse(b, "[3] H. Shin, C.-C. King and C. Hu, \"Thin oxide damage by plasma etching,\" "
	    "Proc. IEEE/IRPS, pp. 37-41, 1992.", &rc);
	CHECK(rc == 1, "IEEE parsed");
	CHECK_STR(fam(it, 0), "Shin");
	CHECK_STR(fam(it, 1), "King");
	CHECK_STR(fam(it, 2), "Hu");
	CHECK_STR(it->str[CVB_V_TITLE], "Thin oxide damage by plasma etching");
	CHECK_STR(it->str[CVB_V_CONTAINER_TITLE], "Proc. IEEE/IRPS");
	CHECK_STR(it->str[CVB_V_PAGE], "37-41");
	CHECK(cvb_item_year(it) == 1992, "year");
	CHECK(it->type == CVB_T_PAPER_CONFERENCE, "type %d", it->type);

	/* APA */
	it = parse(b, "Kaas, R., Dhaene, J., & Goovaerts, M. J. (2000). Upper and lower bounds for "
	    "sums of random variables. Insurance: Mathematics and Economics, 23(2), 151-168. "
	    "https://doi.org/10.1016/S0167-6687(00)00060-3", &rc);
	CHECK_STR(fam(it, 2), "Goovaerts");
	CHECK_STR(it->names[CVB_NV_AUTHOR]->next->next->given, "M. J.");
	CHECK_STR(it->str[CVB_V_TITLE], "Upper and lower bounds for sums of random variables");
	CHECK_STR(it->str[CVB_V_VOLUME], "23");
	CHECK_STR(it->str[CVB_V_ISSUE], "2");
	CHECK_STR(it->str[CVB_V_DOI], "10.1016/S0167-6687(00)00060-3");
	CHECK(it->type == CVB_T_ARTICLE_JOURNAL, "journal article");

	/* Vancouver */
	it = parse(b, "Yao X, Abrieu A, Zheng Y, Sullivan KF, Cleveland DW. CENP-E forms a link "
	    "between attachment of spindle microtubules to kinetochores and the mitotic "
	    "checkpoint. Nat Cell Biol 2000; 2:484-91.", &rc);
	CHECK_STR(fam(it, 4), "Cleveland");
	CHECK_STR(it->names[CVB_NV_AUTHOR]->next->next->next->given, "KF");
	CHECK_STR(it->str[CVB_V_CONTAINER_TITLE], "Nat Cell Biol");
	CHECK_STR(it->str[CVB_V_PAGE], "484-91");

	/* particles, et al., thesis */
	it = parse(b, "W.-P. de Roever, A. Cau, et al. Formalising development strategies. "
	    "PhD thesis, University of Kiel, 1994.", &rc);
	CHECK_STR(it->names[CVB_NV_AUTHOR]->non_dropping_particle, "de");
	CHECK_STR(fam(it, 0), "Roever");
	CHECK(it->names[CVB_NV_AUTHOR]->next->next != NULL &&
	    (it->names[CVB_NV_AUTHOR]->next->next->flags & CVB_NF_OTHERS), "et al.");
	CHECK(it->type == CVB_T_THESIS, "thesis");
	CHECK_STR(it->str[CVB_V_PUBLISHER], "University of Kiel");

	/* status notes and venue acronyms */
	it = parse(b, "A. Smith and B. Jones. Learning to rank with noisy labels. Under review at "
	    "ICLR 2025.", &rc);
	CHECK(it->notes != NULL && it->notes->kind == CVB_NOTE_STATUS, "status note");
	CHECK_STR(it->str[CVB_V_STATUS], "under review");

	/* markers without a legend: * equal, † corresponding */
	it = parse(b, "J. Lee*, K. Park*, and M. Kim\xE2\x80\xA0. Graph attention for traffic. "
	    "In Proceedings of KDD, pages 1-9, 2022. Best Paper Award.", &rc);
	CHECK(it->names[CVB_NV_AUTHOR]->flags & CVB_NF_EQUAL, "equal");
	CHECK_STR(it->names[CVB_NV_AUTHOR]->marker, "*");
	CHECK(it->names[CVB_NV_AUTHOR]->next->next->flags & CVB_NF_CORRESP, "corresponding");
	CHECK(it->flags & CVB_IF_HAS_EQUAL, "item flag");
	{
		const struct cvb_note *n;
		int award = 0;

		for (n = it->notes; n; n = n->next)
			if (n->kind == CVB_NOTE_AWARD)
				award = 1;
		CHECK(award, "award note");
	}

	/* patents with their number, manuscripts under submission */
	it = parse(b, "J. Smith and K. Lee. Method and system for detecting anomalies. "
	    "US Patent 10,123,456, issued March 2021.", &rc);
	CHECK(it->type == CVB_T_PATENT, "patent");
	CHECK_STR(it->str[CVB_V_NUMBER], "10,123,456");
	CHECK(cvb_item_year(it) == 2021, "patent year");
	it = parse(b, "Smith, J., & Lee, K. (2024). Efficient transformers for edge devices. "
	    "Manuscript submitted for publication.", &rc);
	CHECK_STR(it->str[CVB_V_STATUS], "submitted");
	CHECK(it->str[CVB_V_CONTAINER_TITLE] == NULL, "no container");

	/* a venue acronym with a two-digit year */
	it = parse(b, "A. Smith, B. Jones. Sparse attention for long documents. In International "
	    "Conference on Learning Representations (ICLR'21).", &rc);
	CHECK_STR(it->str[CVB_V_CONTAINER_TITLE_SHORT], "ICLR");
	CHECK(cvb_item_year(it) == 2021, "year from '21, got %d", cvb_item_year(it));
	CHECK(it->type == CVB_T_PAPER_CONFERENCE, "conference paper");

	/* not a reference */
	it = parse(b, "Reviewer for NeurIPS", &rc);
	CHECK(rc == 0, "not a reference");
	cvbib_biblio_free(b);
}

static void
test_helpers(void)
{
	const char *s = "[12] A. B. Smith";

	CHECK(cvb_ref_skip_marker(s, strlen(s)) == 5, "[12]");
	CHECK(cvb_ref_skip_marker("12. Smith", 9) == 4, "12.");
	CHECK(cvb_ref_skip_marker("2019. Smith", 11) == 0, "a year is no marker");
	s = "A. Smith, B. Jones, and C. Brown";
	CHECK(cvb_ref_author_len(s, strlen(s)) == strlen(s), "names cover the line");
	s = "Deep learning for robots";
	CHECK(cvb_ref_author_len(s, strlen(s)) == 0, "a title is no list of names");
}

static void
test_document(void)
{
	static const char md[] =
	    "# Jane Doe\n\n## News\n\n- Our paper \"A Study of Things\" won an award!\n\n"
	    "## Publications\n\n\\* equal contribution\n\n"
	    "1. **Doe J**\\*, Roe R\\*. A study of things. *J Stuff*. 2020;12(3):45-67.\n"
	    "   - Covered by the press.\n"
	    "2. Roe R, Doe J. Caf\xC3\x83\xC2\xA9 culture and exam-\n   ple effects. Soc Sci Q. 2019;7:1-9.\n\n"
	    "## Teaching\n\n- Statistics 101\n";
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_item *it;

	CHECK(cvbib_read(b, md, sizeof(md) - 1, "cv.md", CVBIB_FMT_MARKDOWN, NULL, &d) == 0, "read");
	CHECK(b->n == 2, "two entries, got %zu", b->n);
	if (b->n == 2) {
		it = b->items[0];
		CHECK_STR(it->group, "Publications");
		CHECK(it->loc.line == 11 && it->loc.column == 4, "loc %u:%u", it->loc.line, it->loc.column);
		CHECK_STR(it->names[CVB_NV_AUTHOR]->family, "Doe");
		CHECK(it->names[CVB_NV_AUTHOR]->flags & CVB_NF_EQUAL, "legend: equal");
		CHECK_STR(it->str[CVB_V_TITLE], "A study of things");
		it = b->items[1];
		CHECK_STR(it->str[CVB_V_TITLE], "Café culture and example effects");
		CHECK(it->loc.line == 13, "second entry line %u", it->loc.line);
	}
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

/* ft_continues: a venue on a line of its own goes on with the entry above it */
static void
test_continues(void)
{
	struct reader R;
	struct entry e;

	memset(&R, 0, sizeof(R));
	memset(&e, 0, sizeof(e));
	R.b = cvbib_biblio_new();
	R.file = "t";
	cvb_buf_adds(&e.text, "Kangaroo: Caching Billions of Tiny Objects on Flash.\n"
	    "Sara McAllister, Benjamin Berg, Juncheng Yang.");
	CHECK(ft_continues(&R, &e, "28th ACM Symposium on Operating Systems Principles (SOSP), 2021", false),
	    "the venue line goes on with the entry");
	CHECK(!ft_continues(&R, &e, "Juncheng Yang, Yao Yue. Segcache: a memory-efficient cache. NSDI 2021.", false),
	    "an entry with authors of its own starts one");
	cvb_buf_reset(&e.text);
	cvb_buf_adds(&e.text, "SIEVE is Simpler than LRU: an Efficient Eviction Algorithm. [website] [blog] [pdf] [slides]\n"
	    "Yazhuo Zhang*, Juncheng Yang* (corresponding author), Yao Yue, K. V. Rashmi.");
	CHECK(ft_continues(&R, &e, "The 20th USENIX Symposium on Networked Systems Design and Implementation (NSDI), 2024",
	    false), "a note on a name's role leaves the line a list of names");
	cvb_buf_reset(&e.text);
	cvb_buf_adds(&e.text, "Sara McAllister and Juncheng Yang. Kangaroo: Caching Billions of Tiny "
	    "Objects on Flash. In Proceedings of SOSP, 2021.");
	CHECK(!ft_continues(&R, &e, "18th USENIX Symposium on Networked Systems Design and Implementation, 2021", false),
	    "an entry that has its venue and year takes no more");
	cvb_buf_reset(&e.text);
	cvb_buf_adds(&e.text, "Kangaroo: Caching Billions of Tiny Objects on Flash.");
	CHECK(!ft_continues(&R, &e, "28th ACM Symposium on Operating Systems Principles (SOSP), 2021", false),
	    "an entry without names (a list of titles) takes no venue line");
	CHECK(ft_reference_line(&R, "\xE2\x80\x9CLogic in the Tractatus\xE2\x80\x9D. Review of Symbolic Logic (2017) 10: 1-50."),
	    "a title, a journal, a year, volume and pages are a citation");
	CHECK(!ft_reference_line(&R, "Python, Java, Go, PostgreSQL, Oracle PL/SQL, Linux, MacOS, Emacs"),
	    "a list of skills is none");
	CHECK(!ft_reference_line(&R, "Gold Medal Prize, China Mathematics Olympiad 2008, Beijing, China"),
	    "an award with a year is none");
	cvbib_buf_release(&e.text);
	ft_reader_free(&R);
	cvbib_biblio_free(R.b);
}

/* ft_list_runs, ft_wrapped_after: what a list's markers and a broken word say */
static void
test_list_runs(void)
{
	static const char txt[] =
	    "Reports\n\n"
	    "[1] Roe, J, Olson, LN. Adaptive relaxation methods, in Proceedings 2023, S.K.\n"	/* 2 */
	    "Seritan and B.W. Reuter, eds., Technical Report SAND2023-1, 2023.\n"		/* 3 */
	    "[2] Roe, J. Monolithic multigrid, in Proceedings 2022, pp. 185-196.\n"		/* 4 */
	    "Smith, A. Not in a numbered item. Journal of Things, 2020.\n\n"			/* 5 */
	    "Roe, A., Vanderwolf, K. J. (2021). Landscape genetic connectivity and evidence for re-\n\n"	/* 7 */
	    "combination in the north american population. Journal of Fungi, 7(3), 182.\n";	/* 9 */
	struct lines L;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	char label[16];
	size_t i;

	memset(&L, 0, sizeof(L));
	CHECK(ft_doc_build(&L, txt, sizeof(txt) - 1, "t", CVB_TK_TEXT, &d) == 0 && L.n >= 10, "lines: %zu", L.n);
	if (L.n < 10 || L.n >= sizeof(label)) {
		ft_lines_free(&L);
		return;
	}
	for (i = 0; i < L.n; i++)
		label[i] = L.v[i].blank ? 0 : 'S';
	label[0] = 'H';
	ft_list_runs(&L, label);
	CHECK(label[3] == 'C', "the editors' line goes on with item [1]: %c", label[3]);
	CHECK(label[4] == 'S', "item [2] starts an entry: %c", label[4]);
	CHECK(label[5] == 'S', "after the last item the markers say nothing: %c", label[5]);
	CHECK(ft_wrapped_after(&L, 9), "a word broken at a hyphen goes on across a blank line");
	{
		static const char card[] =
		    "A simple queue is all you need. https://example.org/sosp23\n"
		    "Jane Doe, Kim Moe, Ann Lee.\n"
		    "The 29th ACM Symposium on Operating Systems Principles (SOSP), 2023\n"
		    "Discussed in the Online Reading Group https://example.org/reading-group\n"
		    "Caches at scale. https://example.org/osdi20\n"
		    "Jane Doe, Ann Lee.\n";
		struct lines C;

		memset(&C, 0, sizeof(C));
		CHECK(ft_doc_build(&C, card, sizeof(card) - 1, "t", CVB_TK_TEXT, &d) == 0 && C.n == 6,
		    "lines: %zu", C.n);
		if (C.n == 6) {
			memcpy(label, "SCCSSC", 6);
			CHECK(ft_annotation_line(&C, label, 3), "a note under a whole entry opens none");
			CHECK(!ft_annotation_line(&C, label, 4), "a title with its names under it opens one");
			CHECK(!ft_annotation_line(&C, label, 2), "a line with a year may");
		}
		ft_lines_free(&C);
	}
	CHECK(!ft_wrapped_after(&L, 7), "a line after a full stop is no wrapped rest");
	ft_lines_free(&L);

	/* the items of one list are alike */
	{
		static const char md[] =
		    "- Matchgate circuits for fermionic Gaussian states. M. Langer, B. Kraus. arXiv:2603.05675\n"
		    "- Topological order on quantum processors. A. Smith, F. Pollmann. Nat Rev Phys (2026)\n"
		    "- Fibonacci anyons on a ladder at half-filling. N. Kirchner, A. Smith. arXiv:2507.22115\n"
		    "- Entanglement transitions in circuit games. R. Morral-Yepes, A. Smith. PRB (2024)\n"
		    "- Work in progress on causal discovery, details available on request.\n";

		memset(&L, 0, sizeof(L));
		CHECK(ft_doc_build(&L, md, sizeof(md) - 1, "t.md", CVB_TK_MARKDOWN, &d) == 0 && L.n == 5,
		    "lines: %zu", L.n);
		if (L.n == 5) {
			memcpy(label, "SSOSO", 5);
			ft_list_runs(&L, label);
			CHECK(label[2] == 'S', "an item like the others starts an entry: %.5s", label);
			CHECK(label[4] == 'O', "an item without a year or link stays other text");
		}
		ft_lines_free(&L);
	}
	cvbib_diags_release(&d);
}

/* ft_titled_line, ft_cited_line: section titles not marked up, citations in other sections */
static void
test_titled_cited(void)
{
	struct tline t;

	CHECK(ft_titled_line("Publications:", CVB_TK_MARKDOWN), "a colon makes a title");
	CHECK(ft_titled_line("Here is a list of my working papers and publications:", CVB_TK_MARKDOWN),
	    "a sentence that introduces the list");
	CHECK(ft_titled_line("\x02Teaching\x03", CVB_TK_MARKDOWN), "a title wholly in bold");
	CHECK(!ft_titled_line("Teaching", CVB_TK_MARKDOWN), "a plain Markdown paragraph is no title");
	CHECK(ft_titled_line("PUBLICATIONS", CVB_TK_TEXT), "a plain-text CV's section");
	CHECK(!ft_titled_line("Disorder-free localization. Adam Smith. Springer Thesis", CVB_TK_TEXT),
	    "a citation that names a thesis");
	CHECK(!ft_titled_line("geoscience education: The DIYnamics project. Bull. Am. Met. Soc., 99, 2529-2538. doi:",
	    CVB_TK_TEXT), "a reference that ends with 'doi:'");
	memset(&t, 0, sizeof(t));
	t.text = "Yayi Zou, Xiaoqi Lu, \x02Gradient-EM Bayesian Meta-learning\x03, (\x02" "Accepted to NeurIPS 2020\x03)";
	CHECK(ft_cited_line(&t), "names, an emphasised title and a status");
	t.text = "Technical Editor and Electronic Resources Editor, \x02Journal of the Association for History and Computing\x03 (2006-2009)";
	CHECK(!ft_cited_line(&t), "a role is no list of names");
	t.text = "Yayi Zou, Craig Fennie";
	CHECK(!ft_cited_line(&t), "names alone");
	t.text = "Yayi Zou, Tony Qin, \x02Value-based Meta-reinforcement Learning and Traffic Signal Control\x03, "
	    "(Submitted to AAAI 2021) https://arxiv.org/abs/2010.00163";
	CHECK(ft_cited_line(&t), "the names end where the emphasised title opens, though it has an 'and'");
}

static void
test_year_lines(void)
{
	struct tline t;
	int y = -1;

	CHECK(ft_date_alone("10/22", &y) && y == 2022, "MM/YY is a date alone");
	CHECK(ft_date_alone("05/1999", &y) && y == 1999, "MM/YYYY");
	CHECK(ft_date_alone("2021.", &y) && y == 2021, "a year");
	CHECK(!ft_date_alone("13/22", &y), "no month 13");
	CHECK(!ft_date_alone("1316", &y) && !ft_date_alone("10/22 Smith", &y), "a page, a date with text");
	CHECK(ft_markup_line("\\cventry{}{}{}{2021}{\\begin{cvitems}", &y) && y == 2021,
	    "LaTeX markup holding a year");
	CHECK(ft_markup_line("\\end{cvitems}}", &y) && y == 0, "LaTeX markup alone");
	CHECK(!ft_markup_line("\\item Roe J., Poe T., Rain from space, 2021", &y), "an item is text");
	memset(&t, 0, sizeof(t));
	t.text = "03/21";
	CHECK(ft_line_year(&t) == 2021, "a date line gives its year");
	{
		int kind;
		long num;

		CHECK(ft_list_marker("\x02\xE2\x80\xA2\x03 Title", 12, &kind, &num) == 6 && kind == 1,
		    "a bullet in bold is a list marker");
		CHECK(ft_list_marker("\x02" "12.\x03 Title", 12, &kind, &num) == 6 && kind == 2 && num == 12,
		    "a number in bold");
		CHECK(ft_list_marker("\x02Smith\x03 J.", 11, &kind, &num) == 0 && kind == 0,
		    "a bold name is no marker");
	}
	t.text = "## Working Papers";
	t.heading = 2;
	CHECK(ft_line_year(&t) == -1, "a heading that is no year ends the year's scope");
}

/* ft_pdf_lines: a date in a margin column is a block of its own, and a
 * line set lower than the line spacing starts a block (margin-dates.tex) */
static void
test_pdf_lines(void)
{
	struct lines L;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_buf pdf = CVB_BUF_INIT, got = CVB_BUF_INIT;
	FILE *f = fopen("tests/unit/margin-dates.pdf", "rb");
	char chunk[4096];
	size_t n, i;

	CHECK(f != NULL, "tests/unit/margin-dates.pdf");
	if (f == NULL)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cvb_buf_add(&pdf, chunk, n);
	fclose(f);
	memset(&L, 0, sizeof(L));
	CHECK(ft_pdf_lines(&L, pdf.buf, pdf.len, "margin-dates.pdf", &d) == 0, "read with poppler");
	for (i = 0; i < L.n; i++) {
		cvb_buf_adds(&got, L.v[i].blank ? "" : L.v[i].text);
		cvb_buf_addch(&got, '|');
	}
	CHECK(got.buf != NULL && strcmp(got.buf,
	    "Refereed Publications||09/18||Doe, J.; Roe, R.; Moe, K.|"
	    "Parsing citations with conditional random fields|"
	    "Journal of Documentation, Volume 71, id.L7||08/21||Smith, A. and Doe, J.|"
	    "How drifting and evaporating pebbles shape giant planets|"
	    "Astronomy & Astrophysics, Volume 654, id.A71||") == 0, "lines: %s", got.buf);
	cvbib_buf_release(&got);
	cvbib_buf_release(&pdf);
	ft_lines_free(&L);
	cvbib_diags_release(&d);
}

/*
 * The label corrections after the model, with a hand-made model: each word
 * of the table says one label (2.0), every other token says nothing (the
 * first label, "other").  So the test controls the labels the corrections see.
 */
struct wl { const char *feat; int label; };

static _Alignas(8) unsigned char lblob[8192];

static int
cmp_key(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static struct cvb_seq_model *
word_model(const struct wl *t, int n)
{
	struct cvb_seq_model *m = NULL;
	uint32_t key[32][2];	/* hash, label */
	size_t o = 0, nl = 0;
	int i, y, L = CVB_RL__COUNT;
	union { float f; uint32_t u; } u;

	for (i = 0; i < L; i++)
		nl += strlen(cvb_ref_labels[i]) + 1;
	nl = (nl + 3) & ~(size_t)3;
	for (i = 0; i < n; i++) {
		key[i][0] = cvb_seq_hash(t[i].feat, strlen(t[i].feat), CVB_SEQ_HASH_SEED);
		key[i][1] = (uint32_t)t[i].label;
	}
	qsort(key, (size_t)n, sizeof(key[0]), cmp_key);
	memcpy(lblob, CVB_SEQ_MAGIC, 8);
	o = 8;
	o += put32(lblob + o, (uint32_t)L);
	o += put32(lblob + o, (uint32_t)n);
	u.f = 0.001f;
	o += put32(lblob + o, u.u);
	o += put32(lblob + o, (uint32_t)nl);
	memset(lblob + o, 0, nl);
	for (i = 0, nl = o; i < L; i++) {
		strcpy((char *)lblob + nl, cvb_ref_labels[i]);
		nl += strlen(cvb_ref_labels[i]) + 1;
	}
	o += (nl - o + 3) & ~(size_t)3;
	for (i = 0; i < (L + 1) * L; i++)
		o += put32(lblob + o, 0);	/* transitions 0.0 */
	for (i = 0; i < n; i++)
		o += put32(lblob + o, key[i][0]);
	for (i = 0; i < n; i++)
		for (y = 0; y < L; y++) {
			uint16_t v = (uint16_t)(y == (int)key[i][1] ? 2000 : 0);

			lblob[o++] = v & 255;
			lblob[o++] = v >> 8;
		}
	while (o % 4)
		lblob[o++] = 0;
	return cvb_seq_model_load(&m, lblob, o) == 0 ? m : NULL;
}

static void
test_label_fixes(void)
{
	static const struct wl t1[] = {
		{ "w=michel", CVB_RL_AUTHOR }, { "w=loeve", CVB_RL_AUTHOR },
		{ "w=probability", CVB_RL_TITLE }, { "w=theory", CVB_RL_TITLE },
		{ "w=new", CVB_RL_LOCATION }, { "w=york", CVB_RL_AUTHOR }, { "w=1977", CVB_RL_DATE },
	};
	static const struct wl t2[] = {
		{ "w=learning", CVB_RL_TITLE }, { "w=decision", CVB_RL_TITLE },
		{ "w=lists", CVB_RL_TITLE }, { "w=machine", CVB_RL_TITLE },
		{ "w=2", CVB_RL_VOLUME }, { "w=3", CVB_RL_ISSUE }, { "w=229", CVB_RL_PAGE },
		{ "w=-", CVB_RL_PAGE }, { "w=246", CVB_RL_PAGE },
	};
	struct cvb_refctx ctx = { 0 };
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_item *it;
	const char *s;

	/* one list of names: a later author run set apart by a title is the words around it */
	ctx.model = word_model(t1, (int)(sizeof(t1) / sizeof(t1[0])));
	CHECK(ctx.model != NULL, "hand-made model loads");
	s = "Michel Loeve. Probability Theory. New York, 1977.";
	it = cvb_item_new(b, "t", 1, 1);
	CHECK(ctx.model && cvb_refparse(b, it, s, strlen(s), &ctx) == 1, "parsed");
	CHECK(fam(it, 0) && strcmp(fam(it, 0), "Loeve") == 0 && fam(it, 1) == NULL, "York is no author");
	CHECK(it->str[CVB_V_PUBLISHER_PLACE] && strcmp(it->str[CVB_V_PUBLISHER_PLACE], "New York") == 0,
	    "York goes with New: %s", it->str[CVB_V_PUBLISHER_PLACE] ? it->str[CVB_V_PUBLISHER_PLACE] : "-");
	cvb_seq_model_free((struct cvb_seq_model *)ctx.model);

	/* a title that runs over a full stop into a journal's numbers */
	ctx.model = word_model(t2, (int)(sizeof(t2) / sizeof(t2[0])));
	s = "Learning decision lists. Machine Learning, 2 (3), 229-246.";
	it = cvb_item_new(b, "t", 2, 1);
	CHECK(ctx.model && cvb_refparse(b, it, s, strlen(s), &ctx) >= 0, "parsed");
	CHECK(it->str[CVB_V_TITLE] && strcmp(it->str[CVB_V_TITLE], "Learning decision lists") == 0,
	    "title: %s", it->str[CVB_V_TITLE] ? it->str[CVB_V_TITLE] : "-");
	CHECK(it->str[CVB_V_CONTAINER_TITLE] && strcmp(it->str[CVB_V_CONTAINER_TITLE], "Machine Learning") == 0,
	    "journal: %s", it->str[CVB_V_CONTAINER_TITLE] ? it->str[CVB_V_CONTAINER_TITLE] : "-");
	/* a title of two words before the stop stays whole */
	s = "Decision lists. Machine Learning, 2 (3), 229-246.";
	it = cvb_item_new(b, "t", 3, 1);
	CHECK(ctx.model && cvb_refparse(b, it, s, strlen(s), &ctx) >= 0, "parsed");
	CHECK(it->str[CVB_V_CONTAINER_TITLE] == NULL, "two words stay the title");
	cvb_seq_model_free((struct cvb_seq_model *)ctx.model);
	cvbib_biblio_free(b);
}

int
main(void)
{
	test_styles();
	test_helpers();
	test_document();
	test_continues();
	test_list_runs();
	test_titled_cited();
	test_year_lines();
	test_pdf_lines();
	test_label_fixes();
	return check_report();
}
