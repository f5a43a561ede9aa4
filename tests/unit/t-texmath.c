/* t-texmath.c - unit tests for LaTeX math as text (src/text/texmath.c), math
 * and logo spans in rich text (src/core/rich.c) and the logo names of
 * src/text/latex.c. */
#include <string.h>
#include <stdlib.h>
#include "cvb_int.h"
#include "check.h"

static char *
text(const char *s, bool html)
{
	struct cvb_buf o = CVB_BUF_INIT;

	cvb_math_text(&o, s, strlen(s), html);
	return o.buf ? cvbib_buf_detach(&o, NULL) : strdup("");
}

static char *
rich_text(const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;

	cvb_rich_text(&o, s);
	return o.buf ? cvbib_buf_detach(&o, NULL) : strdup("");
}

#define TXT(in, want) do { char *g_ = text(in, false); CHECK_STR(g_, want); free(g_); } while (0)
#define HTML(in, want) do { char *g_ = text(in, true); CHECK_STR(g_, want); free(g_); } while (0)
#define RICH(in, want) do { char *g_ = rich_text(in); CHECK_STR(g_, want); free(g_); } while (0)

static void
test_text(void)
{
	TXT("O(n \\log n)", "O(n log n)");
	TXT("n\\log n", "n log n");
	TXT("\\alpha\\beta", "αβ");
	TXT("x^2 + y_i", "x² + yᵢ");
	TXT("x^{10}", "x¹⁰");
	TXT("x^{ab}", "x^(ab)");
	TXT("e^{-n}", "e⁻ⁿ");
	TXT("\\mathbb{R}^n", "ℝⁿ");
	TXT("\\mathbb{F}", "𝔽");
	TXT("\\frac{1}{2}", "1/2");
	TXT("\\frac{a+b}{c}", "(a+b)/c");
	TXT("\\sqrt{n}", "√n");
	TXT("\\sqrt[3]{xy}", "√(xy)");
	TXT("\\hat{x}", "x\xcc\x82");
	TXT("a \\leq b", "a ≤ b");
	TXT("f'(x)", "f′(x)");
	TXT("\\binom{n}{k}", "(n choose k)");
	TXT("\\text{for all } x", "for all x");
	TXT("\\left( x \\right)", "(x)");
	TXT("\\foo{x}", "foo x");
	TXT("\\S 3", "§ 3");		/* a text symbol: data/latex-symbols.tsv */
	TXT("a\\,b\\!c", "a bc");
	TXT("\\{x\\}", "{x}");
	TXT("x}", "x");			/* a stray closer */
	TXT("", "");
	/* no backslash and no dollar, whatever comes in */
	TXT("\\input{/etc/passwd}", "input/etc/passwd");
	TXT("\\", "");
}

static void
test_html(void)
{
	HTML("x^2", "x<sup>2</sup>");
	HTML("y_{ij}", "y<sub>ij</sub>");
	HTML("a<b & c>d", "a&#60;b &#38; c&#62;d");
	HTML("\\mathbf{v}", "<b>v</b>");
	HTML("x^{<script>}", "x<sup>&#60;script&#62;</sup>");
	HTML("\\text{<i>}", "&#60;i&#62;");
	HTML("\\mathbb{R<1}", "ℝ&#60;𝟙");
}

static void
test_rich(void)
{
	const char *m = "$O(n)$</span> time";

	CHECK(cvb_rich_math(m) == 6, "a math span: its length");
	CHECK(cvb_rich_math("$$x^2$$</span>") == 7, "display math");
	CHECK(cvb_rich_math("NASA</span>") == 0, "a protected word is no math");
	CHECK(cvb_rich_math("$5 and $10</span>") == 0, "a stray dollar");
	CHECK(cvb_rich_math("$x$ and $y$</span>") == 0, "two pieces of math");
	CHECK(cvb_rich_math("$\\$5$</span>") == 5, "an escaped dollar");
	CHECK(cvb_rich_math("$<i>x</i>$</span>") == 0, "markup inside");
	CHECK(cvb_rich_math("$a<b$</span>") == 5, "a literal <");
	CHECK(cvb_rich_math("$x$") == 0, "no closing tag");
	RICH("Sorting in <span class=\"nocase\">$O(n \\log n)$</span> time",
	    "Sorting in O(n log n) time");
	RICH("<i>With</i> <span class=\"nocase\">LaTeX</span>", "With LaTeX");
	CHECK_STR(cvb_latex_logo("LaTeX", 5), "LaTeX");
	CHECK_STR(cvb_latex_logo("BibTeX", 6), "BibTeX");
	CHECK(cvb_latex_logo("NASA", 4) == NULL, "a word is no logo");
	CHECK(cvb_latex_logo("cite", 4) == NULL, "another command is no logo");
	CHECK(cvb_math_cmd("alpha", 5) != NULL && strcmp(cvb_math_cmd("alpha", 5)->text, "α") == 0,
	    "alpha's character");
	CHECK(cvb_math_cmd("alph", 4) == NULL, "a prefix is no command");
}

int
main(void)
{
	test_text();
	test_html();
	test_rich();
	return check_report();
}
