/* t-typst.c - unit tests for Typst escaping and LaTeX math to Typst math
 * (src/text/typst.c) and hayagriva detection and persons (src/yaml/hayagriva.c). */
#include <string.h>
#include <stdlib.h>
#include "cvb_int.h"
#include "check.h"

static char *
esc(const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;

	cvb_typst_escape(&o, s, strlen(s));
	return cvbib_buf_detach(&o, NULL);
}

static char *
math(const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;

	if (!cvb_typst_math(&o, s, strlen(s))) {
		cvbib_buf_release(&o);
		return strdup("(refused)");
	}
	return cvbib_buf_detach(&o, NULL);
}

#define ESC(in, want) do { char *g_ = esc(in); CHECK_STR(g_, want); free(g_); } while (0)
#define MATH(in, want) do { char *g_ = math(in); CHECK_STR(g_, want); free(g_); } while (0)

static void
test_escape(void)
{
	ESC("plain text, 12 pages", "plain text, 12 pages");
	ESC("#let x = 1", "\\#let x \\= 1");
	ESC("a*b_c@d<e>f`g`", "a\\*b\\_c\\@d\\<e\\>f\\`g\\`");
	ESC("[x] ~ \"q\" \\", "\\[x\\] \\~ \\\"q\\\" \\\\");
	ESC("// c /* d */", "\\/\\/ c \\/\\* d \\*\\/");
	ESC("- item", "\\- item");
	ESC("+ item", "\\+ item");
	ESC("/ term: x", "\\/ term: x");
	ESC("12. item", "12\\. item");
	ESC("pp. 10-12", "pp. 10-12");
	ESC("a -- b --- c -? d", "a \\-\\- b \\-\\-\\- c \\-? d");
	ESC("wait...", "wait..\\.");
	ESC("https://x.org/a", "https:\\//x.org/a");
	ESC("line\nbreak", "line break");
	ESC("costs $5 and $10", "costs \\$5 and \\$10");
	ESC("the $\\alpha$-helix", "the $alpha$-helix");
	ESC("bad $\\input{x}$ math", "bad \\$\\\\input{x}\\$ math");
}

static void
test_math(void)
{
	MATH("x^2", "$x^(2)$");
	MATH("x_{ij}", "$x_(i j)$");
	MATH("\\alpha + \\beta", "$alpha + beta$");
	MATH("\\frac{a}{b}", "$frac(a, b)$");
	MATH("\\sqrt{n}", "$sqrt(n)$");
	MATH("\\mathcal{O}(n \\log n)", "$cal(O) \\(n log n \\)$");
	MATH("\\mathrm{GL}_n", "$upright(\"GL\")_(n)$");
	MATH("a/b", "$a slash b$");
	MATH("\\leq \\infty", "$<= infinity$");
	MATH("\\input{x}", "(refused)");
	MATH("a & b", "(refused)");
	MATH("#x", "(refused)");
	MATH("\\text{a\"b}", "(refused)");
	MATH("{", "(refused)");
}

static void
test_hayagriva(void)
{
	static const char haya[] = "# refs\nharry:\n  type: Book\n  title: HP\n";
	static const char csl[] = "references:\n- id: a\n  title: T\n";
	static const char rcv[] = "cv:\n  name: X\n";
	static const char flat[] = "title: x\nauthor: y\n";
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	static const char names[] = "x:\n  type: article\n  author: [\"von der Leyen, Ursula\", "
	    "\"Luther King, Martin, Jr.\", UNICEF, {name: Watkins, given-name: Gloria Jean}]\n";
	const struct cvb_name *n;

	CHECK(cvb_looks_hayagriva(haya, sizeof(haya) - 1), "hayagriva detected");
	CHECK(!cvb_looks_hayagriva(csl, sizeof(csl) - 1), "CSL-YAML is not hayagriva");
	CHECK(!cvb_looks_hayagriva(rcv, sizeof(rcv) - 1), "RenderCV is not hayagriva");
	CHECK(!cvb_looks_hayagriva(flat, sizeof(flat) - 1), "front matter is not hayagriva");
	CHECK(cvbib_read(b, names, sizeof(names) - 1, "t.yml", CVBIB_FMT_AUTO, NULL, &d) == 0, "read");
	CHECK(b->n == 1, "one entry");
	if (b->n == 1) {
		n = b->items[0]->names[CVB_NV_AUTHOR];
		CHECK_STR(n->non_dropping_particle, "von der");
		CHECK_STR(n->family, "Leyen");
		CHECK_STR(n->given, "Ursula");
		n = n->next;
		CHECK_STR(n->family, "Luther King");
		CHECK_STR(n->suffix, "Jr.");
		n = n->next;
		CHECK_STR(n->literal, "UNICEF");
		n = n->next;
		CHECK_STR(n->family, "Watkins");
		CHECK_STR(n->given, "Gloria Jean");
		CHECK(b->items[0]->type == CVB_T_ARTICLE, "article without parent: article");
	}
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

int
main(void)
{
	test_escape();
	test_math();
	test_hayagriva();
	return check_report();
}
