/*
 * texmath.c - LaTeX math ($...$ in BibTeX titles) for outputs that are not
 * LaTeX: the one table of math commands (their Unicode character and their
 * Typst name; typst.c writes Typst math from it), and math as readable text
 * for plain text, Markdown and HTML: $O(n \log n)$ -> O(n log n), \alpha ->
 * α, x^2 -> x² (plain) or x<sup>2</sup> (HTML), \mathbb{R} -> ℝ.
 *
 * The text form never fails and never shows a backslash: a command that is
 * neither here nor a symbol of data/latex-symbols.tsv prints its name, as an
 * operator (\foo -> foo); braces only group.  Text-mode symbols (\S, \dag)
 * come from latex.c's table, not from a copy here.
 */
#include <ctype.h>
#include <string.h>
#include "cvb_int.h"

/*
 * LaTeX math commands: the Typst name (args as cvb_typst_math() uses them:
 * 0 a symbol, 1 name(x), 2 name(x, y), 3 name("text")) and what text shows.
 */
static const struct cvb_mathcmd mcmds[] = {
	{ "alpha", "alpha", 0, MT_SYM, "α" }, { "beta", "beta", 0, MT_SYM, "β" },
	{ "gamma", "gamma", 0, MT_SYM, "γ" }, { "delta", "delta", 0, MT_SYM, "δ" },
	{ "epsilon", "epsilon.alt", 0, MT_SYM, "ϵ" }, { "varepsilon", "epsilon", 0, MT_SYM, "ε" },
	{ "zeta", "zeta", 0, MT_SYM, "ζ" }, { "eta", "eta", 0, MT_SYM, "η" },
	{ "theta", "theta", 0, MT_SYM, "θ" }, { "vartheta", "theta.alt", 0, MT_SYM, "ϑ" },
	{ "iota", "iota", 0, MT_SYM, "ι" }, { "kappa", "kappa", 0, MT_SYM, "κ" },
	{ "lambda", "lambda", 0, MT_SYM, "λ" }, { "mu", "mu", 0, MT_SYM, "μ" },
	{ "nu", "nu", 0, MT_SYM, "ν" }, { "xi", "xi", 0, MT_SYM, "ξ" },
	{ "pi", "pi", 0, MT_SYM, "π" }, { "rho", "rho", 0, MT_SYM, "ρ" },
	{ "sigma", "sigma", 0, MT_SYM, "σ" }, { "tau", "tau", 0, MT_SYM, "τ" },
	{ "upsilon", "upsilon", 0, MT_SYM, "υ" }, { "phi", "phi.alt", 0, MT_SYM, "ϕ" },
	{ "varphi", "phi", 0, MT_SYM, "φ" }, { "chi", "chi", 0, MT_SYM, "χ" },
	{ "psi", "psi", 0, MT_SYM, "ψ" }, { "omega", "omega", 0, MT_SYM, "ω" },
	{ "Gamma", "Gamma", 0, MT_SYM, "Γ" }, { "Delta", "Delta", 0, MT_SYM, "Δ" },
	{ "Theta", "Theta", 0, MT_SYM, "Θ" }, { "Lambda", "Lambda", 0, MT_SYM, "Λ" },
	{ "Xi", "Xi", 0, MT_SYM, "Ξ" }, { "Pi", "Pi", 0, MT_SYM, "Π" },
	{ "Sigma", "Sigma", 0, MT_SYM, "Σ" }, { "Upsilon", "Upsilon", 0, MT_SYM, "Υ" },
	{ "Phi", "Phi", 0, MT_SYM, "Φ" }, { "Psi", "Psi", 0, MT_SYM, "Ψ" },
	{ "Omega", "Omega", 0, MT_SYM, "Ω" },
	{ "leq", "<=", 0, MT_SYM, "≤" }, { "le", "<=", 0, MT_SYM, "≤" },
	{ "geq", ">=", 0, MT_SYM, "≥" }, { "ge", ">=", 0, MT_SYM, "≥" },
	{ "neq", "!=", 0, MT_SYM, "≠" }, { "ne", "!=", 0, MT_SYM, "≠" },
	{ "times", "times", 0, MT_SYM, "×" }, { "cdot", "dot.op", 0, MT_SYM, "⋅" },
	{ "pm", "plus.minus", 0, MT_SYM, "±" }, { "mp", "minus.plus", 0, MT_SYM, "∓" },
	{ "infty", "infinity", 0, MT_SYM, "∞" }, { "to", "arrow.r", 0, MT_SYM, "→" },
	{ "rightarrow", "arrow.r", 0, MT_SYM, "→" }, { "leftarrow", "arrow.l", 0, MT_SYM, "←" },
	{ "Rightarrow", "arrow.r.double", 0, MT_SYM, "⇒" }, { "mapsto", "arrow.r.bar", 0, MT_SYM, "↦" },
	{ "in", "in", 0, MT_SYM, "∈" }, { "notin", "in.not", 0, MT_SYM, "∉" },
	{ "subset", "subset", 0, MT_SYM, "⊂" }, { "subseteq", "subset.eq", 0, MT_SYM, "⊆" },
	{ "cup", "union", 0, MT_SYM, "∪" }, { "cap", "sect", 0, MT_SYM, "∩" },
	{ "approx", "approx", 0, MT_SYM, "≈" }, { "sim", "tilde.op", 0, MT_SYM, "∼" },
	{ "equiv", "equiv", 0, MT_SYM, "≡" }, { "propto", "prop", 0, MT_SYM, "∝" },
	{ "partial", "diff", 0, MT_SYM, "∂" }, { "nabla", "nabla", 0, MT_SYM, "∇" },
	{ "sum", "sum", 0, MT_SYM, "∑" }, { "prod", "product", 0, MT_SYM, "∏" },
	{ "int", "integral", 0, MT_SYM, "∫" },
	{ "log", "log", 0, MT_OP, "log" }, { "ln", "ln", 0, MT_OP, "ln" },
	{ "exp", "exp", 0, MT_OP, "exp" }, { "sin", "sin", 0, MT_OP, "sin" },
	{ "cos", "cos", 0, MT_OP, "cos" }, { "tan", "tan", 0, MT_OP, "tan" },
	{ "max", "max", 0, MT_OP, "max" }, { "min", "min", 0, MT_OP, "min" },
	{ "lim", "lim", 0, MT_OP, "lim" }, { "sup", "sup", 0, MT_OP, "sup" },
	{ "inf", "inf", 0, MT_OP, "inf" }, { "det", "det", 0, MT_OP, "det" },
	{ "ell", "ell", 0, MT_SYM, "ℓ" }, { "ldots", "dots.h", 0, MT_SYM, "…" },
	{ "dots", "dots.h", 0, MT_SYM, "…" }, { "cdots", "dots.c", 0, MT_SYM, "⋯" },
	{ "star", "star.op", 0, MT_SYM, "⋆" }, { "circ", "compose", 0, MT_SYM, "∘" },
	{ "ast", "ast", 0, MT_SYM, "∗" }, { "forall", "forall", 0, MT_SYM, "∀" },
	{ "dagger", "dagger", 0, MT_SYM, "†" }, { "ddagger", "dagger.double", 0, MT_SYM, "‡" },
	{ "exists", "exists", 0, MT_SYM, "∃" }, { "neg", "not", 0, MT_SYM, "¬" },
	{ "wedge", "and", 0, MT_SYM, "∧" }, { "vee", "or", 0, MT_SYM, "∨" },
	{ "langle", "angle.l", 0, MT_SYM, "⟨" }, { "rangle", "angle.r", 0, MT_SYM, "⟩" },
	{ "mid", "divides", 0, MT_SYM, "∣" }, { "prime", "prime", 0, MT_SYM, "′" },
	{ "sqrt", "sqrt", 1, MT_SQRT, "√" },
	{ "hat", "hat", 1, MT_ACCENT, "\xcc\x82" }, { "widehat", "hat", 1, MT_ACCENT, "\xcc\x82" },
	{ "bar", "macron", 1, MT_ACCENT, "\xcc\x84" },
	{ "overline", "overline", 1, MT_ACCENT, "\xcc\x85" },
	{ "tilde", "tilde", 1, MT_ACCENT, "\xcc\x83" }, { "widetilde", "tilde", 1, MT_ACCENT, "\xcc\x83" },
	{ "vec", "arrow", 1, MT_ACCENT, "\xe2\x83\x97" }, { "dot", "dot", 1, MT_ACCENT, "\xcc\x87" },
	{ "ddot", "dot.double", 1, MT_ACCENT, "\xcc\x88" },
	{ "mathbf", "bold", 1, MT_STYLE, "b" }, { "boldsymbol", "bold", 1, MT_STYLE, "b" },
	{ "bm", "bold", 1, MT_STYLE, "b" }, { "mathit", "italic", 1, MT_STYLE, "i" },
	{ "mathcal", "cal", 1, MT_STYLE, "" }, { "mathbb", "bb", 1, MT_BB, "" },
	{ "mathfrak", "frak", 1, MT_STYLE, "" }, { "mathsf", "sans", 1, MT_STYLE, "" },
	{ "mathtt", "mono", 1, MT_STYLE, "" }, { "underline", "underline", 1, MT_STYLE, "" },
	{ "frac", "frac", 2, MT_FRAC, "/" }, { "dfrac", "frac", 2, MT_FRAC, "/" },
	{ "tfrac", "frac", 2, MT_FRAC, "/" }, { "binom", "binom", 2, MT_BINOM, "" },
	{ "mathrm", "upright", 3, MT_STYLE, "" }, { "text", "upright", 3, MT_STYLE, "" },
	{ "textrm", "upright", 3, MT_STYLE, "" }, { "mbox", "upright", 3, MT_STYLE, "" },
	{ "operatorname", "op", 3, MT_STYLE, "" }, { "textit", "italic", 3, MT_STYLE, "i" },
	{ "textbf", "bold", 3, MT_STYLE, "b" },
};

const struct cvb_mathcmd *
cvb_math_cmd(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(mcmds); i++)
		if (strlen(mcmds[i].tex) == n && strncmp(mcmds[i].tex, name, n) == 0)
			return &mcmds[i];
	return NULL;
}

/* ------------------------------------------------------------ math as text */

struct tm {
	const char	*p, *e;
	struct cvb_buf	*o;
	bool		 html;
	int		 depth;
	bool		 space;		/* a space is due before what comes next */
	bool		 opword;	/* an operator word was written last */
};

static void tm_seq(struct tm *, char stop);

/* Unicode super- and subscript forms of the characters that have one. */
static const char *const sup_digits[10] = {
	"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"
};
static const char *const sub_digits[10] = {
	"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"
};

static const char *
script_char(char c, bool sup)
{
	if (isdigit((unsigned char)c))
		return (sup ? sup_digits : sub_digits)[c - '0'];
	switch (c) {
	case '+': return sup ? "⁺" : "₊";
	case '-': return sup ? "⁻" : "₋";
	case '=': return sup ? "⁼" : "₌";
	case '(': return sup ? "⁽" : "₍";
	case ')': return sup ? "⁾" : "₎";
	case 'n': return sup ? "ⁿ" : "ₙ";
	case 'i': return sup ? "ⁱ" : "ᵢ";
	default: break;
	}
	if (sup)
		return NULL;
	switch (c) {
	case 'a': return "ₐ"; case 'e': return "ₑ"; case 'o': return "ₒ";
	case 'x': return "ₓ"; case 'h': return "ₕ"; case 'k': return "ₖ";
	case 'l': return "ₗ"; case 'm': return "ₘ"; case 'p': return "ₚ";
	case 's': return "ₛ"; case 't': return "ₜ"; case 'j': return "ⱼ";
	case 'r': return "ᵣ"; case 'u': return "ᵤ"; case 'v': return "ᵥ";
	default: return NULL;
	}
}

/* Write what is due before a visible piece; word: it starts with a letter or
 * digit; op: it is an operator word (log), set apart from letters and digits. */
static void
tm_before_op(struct tm *t, bool word, bool op)
{
	struct cvb_buf *o = t->o;
	char last = o->len ? o->buf[o->len - 1] : '\0';

	if ((t->space || (word && (t->opword || op) && isalnum((unsigned char)last))) &&
	    o->len > 0 && last != ' ' && last != '(')
		cvb_buf_addch(o, ' ');
	t->space = false;
	t->opword = false;
}

static void
tm_before(struct tm *t, bool word)
{
	tm_before_op(t, word, false);
}

static void
tm_char(struct tm *t, char c)
{
	if (strchr(")],.;:!?", c))
		t->space = false;	/* "( x )" reads "(x)" */
	tm_before(t, isalnum((unsigned char)c));
	if (t->html && c == '<')
		cvb_buf_adds(t->o, "&#60;");
	else if (t->html && c == '>')
		cvb_buf_adds(t->o, "&#62;");
	else if (t->html && c == '&')
		cvb_buf_adds(t->o, "&#38;");
	else
		cvb_buf_addch(t->o, c);
}

/* One argument ({...} or one character or command) into its own buffer. */
static void
tm_arg(struct tm *t, struct cvb_buf *into)
{
	struct tm a = *t;

	a.o = into;
	a.space = a.opword = false;
	while (a.p < a.e && *a.p == ' ')
		a.p++;
	if (a.p < a.e && *a.p == '{') {
		a.p++;
		tm_seq(&a, '}');
		if (a.p < a.e)
			a.p++;
	} else if (a.p < a.e)
		tm_seq(&a, 1);
	t->p = a.p;
}

/* Does s hold more than one character (so that a/b needs parentheses)? */
static bool
several(const char *s, size_t n)
{
	uint32_t cp;
	size_t i;
	bool digits = true;

	if (n == 0 || (size_t)cvb_utf8_decode(s, n, &cp) == n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			digits = false;
	return !digits;
}

static void
tm_paren(struct tm *t, const struct cvb_buf *b)
{
	bool p = several(b->buf ? b->buf : "", b->len);

	if (p)
		cvb_buf_addch(t->o, '(');
	cvb_buf_add(t->o, b->buf ? b->buf : "", b->len);
	if (p)
		cvb_buf_addch(t->o, ')');
}

static void
tm_script(struct tm *t, bool sup)
{
	struct cvb_buf a = CVB_BUF_INIT, u = CVB_BUF_INIT;
	size_t i;
	bool all = true, primes = true;

	tm_arg(t, &a);
	for (i = 0; i < a.len && all; i++) {
		const char *m = script_char(a.buf[i], sup);

		if (m == NULL)
			all = false;
		else
			cvb_buf_adds(&u, m);
	}
	for (i = 0; i < a.len; i += 3)
		if (a.len - i < 3 || strncmp(a.buf + i, "′", 3) != 0)
			primes = false;
	t->space = t->opword = false;
	if (a.len == 0)
		;
	else if (primes && sup)
		cvb_buf_add(t->o, a.buf, a.len);
	else if (t->html) {
		cvb_buf_adds(t->o, sup ? "<sup>" : "<sub>");
		cvb_buf_add(t->o, a.buf, a.len);
		cvb_buf_adds(t->o, sup ? "</sup>" : "</sub>");
	} else if (all)
		cvb_buf_add(t->o, u.buf, u.len);
	else {
		cvb_buf_addch(t->o, sup ? '^' : '_');
		tm_paren(t, &a);
	}
	cvbib_buf_release(&a);
	cvbib_buf_release(&u);
}

/* \mathbb: letters and digits as double-struck characters. */
static void
tm_bb(struct tm *t, const struct cvb_buf *a)
{
	/* capitals with a character of their own in Letterlike Symbols */
	static const char *const letterlike[26] = {
		['C' - 'A'] = "ℂ", ['H' - 'A'] = "ℍ", ['N' - 'A'] = "ℕ", ['P' - 'A'] = "ℙ",
		['Q' - 'A'] = "ℚ", ['R' - 'A'] = "ℝ", ['Z' - 'A'] = "ℤ",
	};
	size_t i;

	for (i = 0; i < a->len; i++) {
		char c = a->buf[i];

		if (c == '&') {
			/* an HTML character reference stays as it is */
			for (; i < a->len && a->buf[i] != ';'; i++)
				cvb_buf_addch(t->o, a->buf[i]);
			if (i < a->len)
				cvb_buf_addch(t->o, ';');
			continue;
		}
		if (c >= 'A' && c <= 'Z' && letterlike[c - 'A'])
			cvb_buf_adds(t->o, letterlike[c - 'A']);
		else if (c >= 'A' && c <= 'Z')
			cvb_buf_addcp(t->o, 0x1D538 + (uint32_t)(c - 'A'));
		else if (c >= 'a' && c <= 'z')
			cvb_buf_addcp(t->o, 0x1D552 + (uint32_t)(c - 'a'));
		else if (c >= '0' && c <= '9')
			cvb_buf_addcp(t->o, 0x1D7D8 + (uint32_t)(c - '0'));
		else
			cvb_buf_addch(t->o, c);
	}
}

static void
tm_command(struct tm *t)
{
	const char *s = ++t->p;
	const struct cvb_mathcmd *c;
	const char *sym;
	size_t n;

	if (t->p >= t->e)
		return;
	if (!isalpha((unsigned char)*t->p)) {
		char ch = *t->p++;

		if (strchr(",;: \\", ch))
			t->space = true;
		else if (ch == '|') {
			tm_before(t, false);
			cvb_buf_adds(t->o, "‖");
		} else if (ch != '!')
			tm_char(t, ch);	/* \{ \} \_ \& \% \# \$ */
		return;
	}
	while (t->p < t->e && isalpha((unsigned char)*t->p))
		t->p++;
	n = (size_t)(t->p - s);
	if ((n == 4 && strncmp(s, "left", 4) == 0) || (n == 5 && strncmp(s, "right", 5) == 0)) {
		if (t->p < t->e && *t->p == '.')
			t->p++;
		return;		/* the delimiter that follows is written as it is */
	}
	c = cvb_math_cmd(s, n);
	if (c == NULL) {
		if ((sym = cvb_latex_symbol(s, n)) != NULL) {
			tm_before(t, false);
			cvb_buf_adds(t->o, sym);
			return;
		}
		/* unknown: its name, as an operator (\arccos -> arccos) */
		tm_before_op(t, true, true);
		cvb_buf_add(t->o, s, n);
		t->opword = true;
		return;
	}
	if (c->how == MT_SYM || c->how == MT_OP) {
		tm_before_op(t, c->how == MT_OP, c->how == MT_OP);
		cvb_buf_adds(t->o, c->text);
		t->opword = c->how == MT_OP;
		return;
	}
	{
		struct cvb_buf a = CVB_BUF_INIT, b = CVB_BUF_INIT;

		if (c->how == MT_SQRT) {
			/* \sqrt[3]{x}: the index is dropped */
			while (t->p < t->e && *t->p == ' ')
				t->p++;
			if (t->p < t->e && *t->p == '[')
				while (t->p < t->e && *t->p++ != ']')
					;
		}
		tm_arg(t, &a);
		if (c->how == MT_FRAC || c->how == MT_BINOM)
			tm_arg(t, &b);
		tm_before(t, a.len > 0 && isalnum((unsigned char)a.buf[0]));
		switch (c->how) {
		case MT_SQRT:
			cvb_buf_adds(t->o, c->text);
			tm_paren(t, &a);
			break;
		case MT_ACCENT:
			cvb_buf_add(t->o, a.buf ? a.buf : "", a.len);
			cvb_buf_adds(t->o, c->text);
			break;
		case MT_BB:
			tm_bb(t, &a);
			break;
		case MT_FRAC:
			tm_paren(t, &a);
			cvb_buf_adds(t->o, c->text);
			tm_paren(t, &b);
			break;
		case MT_BINOM:
			cvb_buf_addch(t->o, '(');
			cvb_buf_add(t->o, a.buf ? a.buf : "", a.len);
			cvb_buf_adds(t->o, " choose ");
			cvb_buf_add(t->o, b.buf ? b.buf : "", b.len);
			cvb_buf_addch(t->o, ')');
			break;
		default:	/* MT_STYLE */
			if (t->html && c->text[0])
				cvb_buf_addf(t->o, "<%s>", c->text);
			cvb_buf_add(t->o, a.buf ? a.buf : "", a.len);
			if (t->html && c->text[0])
				cvb_buf_addf(t->o, "</%s>", c->text);
			break;
		}
		cvbib_buf_release(&a);
		cvbib_buf_release(&b);
	}
}

/* A sequence up to stop ('}', '\0' for the end, 1 for one atom). */
static void
tm_seq(struct tm *t, char stop)
{
	bool one = stop == 1;

	if (++t->depth > 20) {
		/* too deep to be a title's math: the rest as it is, no markup */
		for (; t->p < t->e && *t->p != stop; t->p++)
			if (!strchr("\\{}^_", *t->p))
				tm_char(t, *t->p);
		t->depth--;
		return;
	}
	while (t->p < t->e && *t->p != stop) {
		char c = *t->p;

		if (c == ' ' || c == '~' || c == '\n' || c == '\t') {
			t->space = true;
			t->p++;
			continue;
		}
		if (c == '\\')
			tm_command(t);
		else if (c == '{') {
			t->p++;
			tm_seq(t, '}');
			if (t->p < t->e)
				t->p++;
		} else if (c == '}')
			t->p++;		/* a stray closer */
		else if (c == '^' || c == '_') {
			t->p++;
			tm_script(t, c == '^');
		} else if (c == '\'') {
			tm_before(t, false);
			cvb_buf_adds(t->o, "′");
			t->p++;
		} else if ((unsigned char)c >= 0x80) {
			tm_before(t, false);
			while (t->p < t->e && (unsigned char)*t->p >= 0x80)
				cvb_buf_addch(t->o, *t->p++);
		} else {
			tm_char(t, c);
			t->p++;
		}
		if (one)
			break;
	}
	t->depth--;
}

void
cvb_math_text(struct cvb_buf *o, const char *s, size_t n, bool html)
{
	struct tm t = { s, s + n, o, html, 0, false, false };

	tm_seq(&t, '\0');
}
