/* t-bibtex.c - unit tests of the BibTeX name grammar, LaTeX conversion and keys. */
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "check.h"

static char *
to_rich(const char *s, unsigned flags)
{
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_latex_to_rich(&b, s, strlen(s), flags);
	return cvbib_buf_detach(&b, NULL);
}

static char *
to_latex(const char *s, unsigned flags)
{
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_latex_from_rich(&b, s, flags);
	return cvbib_buf_detach(&b, NULL);
}

#define RICH(in, flags, want) do { char *g_ = to_rich(in, flags); CHECK_STR(g_, want); free(g_); } while (0)
#define LTX(in, flags, want) do { char *g_ = to_latex(in, flags); CHECK_STR(g_, want); free(g_); } while (0)

static void
test_latex(void)
{
	/* every spelling of an accent */
	RICH("{\\\"u}\\\"{u}\\\"u\\\" u", 0, "üüüü");
	RICH("{\\'\\i}\\'{\\i}\\'i", 0, "ííí");
	RICH("\\c{c}\\c c\\v{s}\\v s\\H{o}\\r{u}\\k{a}", 0, "ççššőůą");
	RICH("{\\ss}{\\o}\\aa{} {\\AE}\\l", 0, "ßøå Æł");
	RICH("\\~n\\=a\\.z\\u{g}\\^e\\`a", 0, "ñāżğêà");
	RICH("\\v{\\i}", 0, "ǐ");			/* no precomposed dotless: combining */
	RICH("a~b -- c --- d ``e'' `f'", 0, "a\xc2\xa0" "b – c — d “e” ‘f'");
	RICH("\\& \\% \\$ \\# \\_ \\{ \\}", 0, "& % $ # _ { }");
	/* markup */
	RICH("\\emph{a} \\textit{b} \\textbf{c} \\textsc{d}", 0,
	    "<i>a</i> <i>b</i> <b>c</b> <span style=\"font-variant:small-caps;\">d</span>");
	RICH("{\\em e} {\\bf f}", 0, "<i>e</i> <b>f</b>");
	RICH("x\\textsuperscript{2} H\\textsubscript{2}O", 0, "x<sup>2</sup> H<sub>2</sub>O");
	/* case protection: top-level groups only, special characters excepted */
	RICH("The {NASA} {\\\"U}ber {A {B} C}", CVB_LTX_PROTECT,
	    "The <span class=\"nocase\">NASA</span> Über <span class=\"nocase\">A B C</span>");
	RICH("The {NASA}", 0, "The NASA");
	RICH("\\emph{The {NASA}}", CVB_LTX_PROTECT, "<i>The <span class=\"nocase\">NASA</span></i>");
	RICH("{}", CVB_LTX_PROTECT, "");
	/* math is kept and marked */
	RICH("$E=mc^2$ and \\(x\\)", 0,
	    "<span class=\"nocase\">$E=mc^2$</span> and <span class=\"nocase\">$x$</span>");
	/* harmless commands show their text; \\noopsort prints nothing */
	RICH("{\\noopsort{1973b}}1973", CVB_LTX_PROTECT, "1973");
	RICH("See \\cite[p.~5]{a,b}, \\citet{c} and \\ref{s:x}", 0, "See [a, b], [c] and s:x");
	RICH("\\href{http://x.org}{the \\emph{site}} \\mbox{M} \\textrm{R}", 0,
	    "the <i>site</i> M R");
	/* which LaTeX is written back as it was (doc/bibtex.md) */
	CHECK(cvb_latex_keep("\\cite{x}", strlen("\\cite{x}")), "\\cite is kept");
	CHECK(cvb_latex_keep("{\\noopsort{a}}\\\"u \\mbox{x} \\v{s} \\ss", strlen("{\\noopsort{a}}\\\"u \\mbox{x} \\v{s} \\ss")), "known commands");
	CHECK(!cvb_latex_keep("\\emph{x} {\\\"u}", strlen("\\emph{x} {\\\"u}")), "nothing rich text cannot say");
	CHECK(!cvb_latex_keep("plain", strlen("plain")), "no command");
	CHECK(!cvb_latex_keep("\\mbox{\\input{x}}", strlen("\\mbox{\\input{x}}")), "\\input inside");
	CHECK(!cvb_latex_keep("\\href{x}{\\write18{y}}", strlen("\\href{x}{\\write18{y}}")), "\\write inside");
	CHECK(!cvb_latex_keep("\\mbox{x} \\foo", strlen("\\mbox{x} \\foo")), "unknown command");
	CHECK(!cvb_latex_keep("\\mbox{x} #", strlen("\\mbox{x} #")), "#");
	CHECK(!cvb_latex_keep("\\mbox{x} %", strlen("\\mbox{x} %")), "a percent sign");
	CHECK(!cvb_latex_keep("\\mbox{^^5cinput}", strlen("\\mbox{^^5cinput}")), "^^");
	CHECK(!cvb_latex_keep("\\mbox{x}}", strlen("\\mbox{x}}")), "unbalanced");
	CHECK(!cvb_latex_keep("\\href{run:x}{y}", strlen("\\href{run:x}{y}")), "run: link");
	CHECK(!cvb_latex_keep("\\mbox{x}\\", strlen("\\mbox{x}\\")), "a backslash at the end");
	{
		struct cvb_buf o = CVB_BUF_INIT;

		cvb_latex_raw(&o, "\\mbox{\xc3\xbc}", CVB_LTX_ASCII);
		CHECK_STR(o.buf, "\\mbox{{\\\"u}}");
		cvb_buf_reset(&o);
		cvb_latex_raw(&o, "\\mbox{\xc3\xbc}", 0);
		CHECK_STR(o.buf, "\\mbox{\xc3\xbc}");
		cvbib_buf_release(&o);
	}
	/* unknown commands are kept as text */
	RICH("\\foo{a}{b} c", 0, "\\foo{a}{b} c");
	RICH("  a \n\t b  ", 0, "a b");
	RICH("\\emph{unclosed", 0, "<i>unclosed</i>");

	/* writing */
	LTX("über Ærø", CVB_LTX_ASCII, "{\\\"u}ber {\\AE}r{\\o}");
	LTX("über", 0, "über");
	LTX("a–b—c “d” ‘e’ x\xc2\xa0y", CVB_LTX_ASCII, "a--b---c ``d'' `e{\\textquoteright} x~y");
	LTX("\\input{/etc/passwd}", 0, "\\textbackslash{}input\\{/etc/passwd\\}");
	LTX("50% & $5 #1 a_b ^ ~ < > |", 0,
	    "50\\% \\& \\$5 \\#1 a\\_b \\textasciicircum{} \\textasciitilde{} \\textless{} \\textgreater{} \\textbar{}");
	LTX("a--b ''", 0, "a-{}-b '{}'");
	LTX("<i>x</i> <b>y</b> <span class=\"nocase\">NASA</span>", 0, "\\textit{x} \\textbf{y} {NASA}");
	LTX("<span class=\"nocase\">$x^2$</span>", 0, "$x^2$");
	LTX("<span class=\"nocase\">$\\input{a}$</span>", 0, "{\\$\\textbackslash{}input\\{a\\}\\$}");
	LTX("<span class=\"nocase\">$^^5cinput$</span>", 0,
	    "{\\$\\textasciicircum{}\\textasciicircum{}5cinput\\$}");
	LTX("<span class=\"nocase\">\\x</span>", 0, "{{}\\textbackslash{}x}");
	LTX("<i>x</i>", CVB_LTX_NOMARKUP, "x");
}

static struct cvb_name *
names(cvbib_biblio *b, const char *s)
{
	return cvb_bibtex_parse_names(b, s, strlen(s));
}

#define NAME(n, fam, giv, von, suf) do {					\
	CHECK((n) != NULL, "no name");						\
	if ((n) != NULL) {							\
		if (fam) CHECK_STR((n)->family, fam); else CHECK((n)->family == NULL, "family set"); \
		if (giv) CHECK_STR((n)->given, giv); else CHECK((n)->given == NULL, "given set: %s", (n)->given); \
		if (von) CHECK_STR((n)->non_dropping_particle, von);		\
		else CHECK((n)->non_dropping_particle == NULL, "particle set");	\
		if (suf) CHECK_STR((n)->suffix, suf); else CHECK((n)->suffix == NULL, "suffix set"); \
	}									\
} while (0)

static void
test_names(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_name *n;
	struct cvb_buf out = CVB_BUF_INIT;

	n = names(b, "Donald E. Knuth");
	NAME(n, "Knuth", "Donald E.", NULL, NULL);
	n = names(b, "Ludwig van Beethoven");
	NAME(n, "Beethoven", "Ludwig", "van", NULL);
	n = names(b, "van der Berg, Jan");
	NAME(n, "Berg", "Jan", "van der", NULL);
	n = names(b, "Ford, Jr., Henry");
	NAME(n, "Ford", "Henry", NULL, "Jr.");
	n = names(b, "Jean-Paul Sartre");
	NAME(n, "Sartre", "Jean-Paul", NULL, NULL);
	n = names(b, "{\\\"O}zt{\\\"u}rk, Ay{\\c{s}}e");
	NAME(n, "Öztürk", "Ayşe", NULL, NULL);
	n = names(b, "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin");
	NAME(n, "Vallée Poussin", "Charles Louis Xavier Joseph", "de la", NULL);
	n = names(b, "{\\relax Ch}arles Dickens");
	NAME(n, "Dickens", "Charles", NULL, NULL);
	n = names(b, "Knuth");
	NAME(n, "Knuth", NULL, NULL, NULL);
	n = names(b, "family=Duchamp, given=Philippe, prefix=de, useprefix=true");
	NAME(n, "Duchamp", "Philippe", "de", NULL);
	/* {Barnes and Noble} is one organisation; AND splits like and */
	n = names(b, "{Barnes and Noble} AND Smith and others");
	CHECK(n && (n->flags & CVB_NF_INSTITUTION) && strcmp(n->family, "Barnes and Noble") == 0,
	    "corporate name");
	CHECK(n && n->next && strcmp(n->next->family, "Smith") == 0, "AND");
	CHECK(n && n->next && n->next->next && (n->next->next->flags & CVB_NF_OTHERS), "others");
	CHECK(n && n->next && n->next->next && n->next->next->next == NULL, "three names");
	CHECK(names(b, "") == NULL, "empty list");
	n = names(b, "Brand and Sandberg");	/* "and" inside words does not split */
	CHECK(n && strcmp(n->family, "Brand") == 0 && n->next && strcmp(n->next->family, "Sandberg") == 0,
	    "and inside words");

	/* writing, and reading back */
	n = names(b, "van der Berg, Jr, Jan and {Barnes and Noble} and M{\\\"u}ller, J. and others");
	cvb_bibtex_write_names(&out, n, CVB_LTX_ASCII);
	CHECK_STR(out.buf, "van der Berg, Jr, Jan and {Barnes and Noble} and M{\\\"u}ller, J. and others");
	cvb_buf_reset(&out);
	{
		struct cvb_name x = { 0 };

		x.family = "de la Cruz";	/* a family name BibTeX would split */
		x.given = "Maria";
		cvb_bibtex_write_names(&out, &x, 0);
		CHECK_STR(out.buf, "{de la Cruz}, Maria");
		n = names(b, out.buf);
		NAME(n, "de la Cruz", "Maria", NULL, NULL);
		cvb_buf_reset(&out);
		x.family = "Ford Coppola";
		x.given = NULL;
		cvb_bibtex_write_names(&out, &x, 0);
		CHECK_STR(out.buf, "{Ford Coppola}{}");
		n = names(b, out.buf);
		NAME(n, "Ford Coppola", NULL, NULL, NULL);
		CHECK(n && !(n->flags & CVB_NF_INSTITUTION), "not an organisation");
	}
	cvbib_buf_release(&out);
	cvbib_biblio_free(b);
}

/* al-folio's marks after author names (bibnames.c): flags, the marker as
 * written, the name without them; other lists and non-marks untouched. */
static void
test_name_marks(void)
{
	static const struct {
		const char *in, *family, *given, *marker;
		unsigned flags;
	} v[] = {
		{ "Doe*, Jane", "Doe", "Jane", "*", CVB_NF_EQUAL },
		{ "Jane Doe*", "Doe", "Jane", "*", CVB_NF_EQUAL },
		{ "Doe, Jane*", "Doe", "Jane", "*", CVB_NF_EQUAL },
		{ "Doe$^\\dagger$, Jane", "Doe", "Jane", "\xE2\x80\xA0", CVB_NF_CORRESP },
		{ "Doe\\textsuperscript{1}, Jane", "Doe", "Jane", "1", CVB_NF_EQUAL },
		{ "Doe^{1,*}, Jane", "Doe", "Jane", "1,*", CVB_NF_EQUAL },
		{ "Doe*{\\dag}, Jane", "Doe", "Jane", "*\xE2\x80\xA0", CVB_NF_EQUAL | CVB_NF_CORRESP },
		{ "M{\\\"u}ller\xE2\x80\xA1, Hans", "M\xC3\xBCller", "Hans", "\xE2\x80\xA1", CVB_NF_EQUAL },
		/* no marks: a number that is no superscript, a letter command */
		{ "Henry 2, Ann", "Henry 2", "Ann", NULL, 0 },
		{ "Gro\\ss, Karl", "Gro\xC3\x9F", "Karl", NULL, 0 },
		{ "Doe$x$, Jane", "Doe$x$", "Jane", NULL, 0 },
	};
	cvbib_biblio *b = cvbib_biblio_new();
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct cvb_name *n = cvb_bibtex_parse_authors(b, v[i].in, strlen(v[i].in));

		CHECK(n != NULL, "%s: no name", v[i].in);
		if (n == NULL)
			continue;
		CHECK_STR(n->family, v[i].family);
		CHECK_STR(n->given, v[i].given);
		if (v[i].marker != NULL)
			CHECK_STR(n->marker, v[i].marker);
		else
			CHECK(n->marker == NULL, "%s: marker %s", v[i].in, n->marker);
		CHECK((n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP)) == v[i].flags, "%s: flags %x",
		    v[i].in, n->flags);
	}
	/* an editor list keeps them as part of the name */
	{
		struct cvb_name *n = cvb_bibtex_parse_names(b, "Doe*, Jane", 10);

		CHECK(n != NULL && n->family != NULL && strcmp(n->family, "Doe*") == 0 &&
		    n->marker == NULL, "editor list: marks kept in the name");
	}
	cvbib_biblio_free(b);
}

static void
test_maps(void)
{
	const char *g;
	struct cvb_bfield f;

	CHECK(cvb_bibtex_type_in("ARTICLE", &g) == CVB_T_ARTICLE_JOURNAL, "article");
	CHECK(cvb_bibtex_type_in("phdthesis", &g) == CVB_T_THESIS && g && strcmp(g, "PhD thesis") == 0,
	    "phdthesis");
	CHECK(cvb_bibtex_type_in("thing", &g) == CVB_T_NONE, "unknown type");
	f = cvb_bibtex_field("JournalTitle", 12);
	CHECK(f.kind == CVB_BFK_STR && f.var.idx == CVB_V_CONTAINER_TITLE, "journaltitle");
	f = cvb_bibtex_field("collection-number", 17);
	CHECK(f.kind == CVB_BFK_CSLVAR && f.var.idx == CVB_V_COLLECTION_NUMBER, "CSL name");
	f = cvb_bibtex_field("pdf", 3);
	CHECK(f.kind == CVB_BFK_KEEP, "al-folio pdf kept");
	CHECK(cvb_bibtex_month("Sept.", 5) == 9, "Sept.");
	CHECK(cvb_bibtex_month("dec", 3) == 12, "dec");
	CHECK(cvb_bibtex_month("13", 2) == 0, "13");
	CHECK(cvb_bibtex_key_pattern_error("[auth][year]") == NULL, "good pattern");
	CHECK(cvb_bibtex_key_pattern_error("[nope]") != NULL, "bad pattern");
}

static void
test_keys(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_item *it = cvb_item_new(b, "t", 1, 1);
	struct cvb_name *n = cvb_name_new(b);
	struct cvb_keyset ks = { NULL, 0, 0, NULL, 0, 0 };
	struct cvb_date *d = cvb_date_new(b);

	n->family = "Haan";
	n->non_dropping_particle = "de";
	it->names[CVB_NV_AUTHOR] = n;
	it->str[CVB_V_TITLE] = "The <i>Tile</i> problem";
	d->parts[0][0] = 2024;
	d->nparts[0] = 1;
	it->date[CVB_DV_ISSUED] = d;
	CHECK_STR(cvb_bibtex_make_key(b, it, NULL, &ks), "haan2024tile");
	CHECK_STR(cvb_bibtex_make_key(b, it, NULL, &ks), "haan2024tilea");
	CHECK_STR(cvb_bibtex_make_key(b, it, NULL, &ks), "haan2024tileb");
	n->family = "Müller";
	CHECK_STR(cvb_bibtex_make_key(b, it, "[Auth]_[shortyear]", &ks), "Muller_24");
	cvb_keyset_release(&ks);
	cvbib_biblio_free(b);
}

/* Free text and blocks are anchored to the entry after them; links across inputs. */
static void
test_gaps(void)
{
	static const char a[] =
	    "% head\n@string{x = \"X\"}\n\n@article{kid, title = {K}, crossref = {mum},\n"
	    "  author = {A and xdata=names-author-2}, options = {useprefix=false}}\n"
	    "trailing text\n";
	static const char c[] =
	    "@book{mum, title = {Mum}, publisher = {P}, author = {Jan van Eyck}}\n"
	    "@xdata{names, author = {B and Carl de Witt}}\n";
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	const struct cvb_field *f;
	const struct cvb_name *n;
	struct cvb_item *kid;

	cvbib_options_init(&o);
	cvbib_read(b, a, strlen(a), "a.bib", CVBIB_FMT_BIBTEX, &o, &d);
	CHECK(b->n == 1, "one entry in a.bib");
	kid = b->items[0];
	CHECK(kid->str[CVB_V_PUBLISHER] == NULL, "parent not read yet");
	f = b->preamble;
	CHECK(f != NULL && strcmp(f->name, "text") == 0 && strcmp(f->value, "% head") == 0 &&
	    f->anchor == 0 && (f->flags & CVB_FF_ADJACENT), "the head comment, before entry 0");
	f = f ? f->next : NULL;
	CHECK(f != NULL && strcmp(f->name, "string") == 0 && f->anchor == 0 &&
	    !(f->flags & CVB_FF_ADJACENT), "the @string, before entry 0, a blank line after");
	f = f ? f->next : NULL;
	CHECK(f != NULL && strcmp(f->name, "text") == 0 && strcmp(f->value, "trailing text") == 0 &&
	    f->anchor == 1, "trailing text, after entry 0");
	cvbib_read(b, c, strlen(c), "c.bib", CVBIB_FMT_BIBTEX, &o, &d);
	CHECK(d.n == 0, "no target reported missing before the last input");
	cvbib_read_done(b, &o, &d);
	CHECK(d.n == 0, "all targets found");
	CHECK_STR(kid->str[CVB_V_PUBLISHER], "P");
	CHECK_STR(kid->str[CVB_V_CONTAINER_TITLE], "Mum");
	n = kid->names[CVB_NV_AUTHOR];
	CHECK(n != NULL && n->next != NULL, "two authors");
	if (n != NULL && n->next != NULL) {
		CHECK_STR(n->next->family, "Witt");
		CHECK_STR(n->next->dropping_particle, "de");
		CHECK(n->next->non_dropping_particle == NULL, "useprefix=false: dropping");
	}
	n = b->n > 1 ? b->items[1]->names[CVB_NV_AUTHOR] : NULL;
	CHECK(n != NULL && n->non_dropping_particle != NULL &&
	    strcmp(n->non_dropping_particle, "van") == 0, "no option: non-dropping");
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);

	CHECK(cvb_bibtex_useprefix_off("maxnames=2, useprefix=false"), "useprefix=false");
	CHECK(cvb_bibtex_useprefix_off("useprefix = {false}"), "braced");
	CHECK(!cvb_bibtex_useprefix_off("useprefix"), "alone is true");
	CHECK(!cvb_bibtex_useprefix_off("useprefix=true"), "true");
	CHECK(!cvb_bibtex_useprefix_off("nouseprefix=false"), "another option");
}

/* issue 20 finding 10: BibTeX that does not read back is never written */
static void
test_read_back(void)
{
	static const char a[] = "@article{k1, title = {T}}\n@article{k2, title = {U}}\n";
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvb_bibsrc *bs;
	int rc;

	cvbib_read(b, a, strlen(a), "a.bib", CVBIB_FMT_BIBTEX, NULL, &d);
	CHECK(b->n == 2, "two entries");
	rc = cvbib_write(b, CVBIB_FMT_BIBTEX, NULL, &out, &d);
	CHECK(rc == 0 && out.len > 0 && d.nerrors == 0, "written and read back");
	/* plant LaTeX "as read" that is not balanced: the writer copies it */
	bs = cvb_arena_alloc(&b->arena, sizeof(*bs));
	if (bs != NULL && b->n == 2) {
		memset(bs, 0, sizeof(*bs));
		bs->var = CVB_V_TITLE;
		bs->value = b->items[0]->str[CVB_V_TITLE];
		bs->field = "title";
		bs->latex = "\\mbox{T";
		bs->next = b->items[0]->bibsrc;
		b->items[0]->bibsrc = bs;
		cvb_buf_reset(&out);
		rc = cvbib_write(b, CVBIB_FMT_BIBTEX, NULL, &out, &d);
		CHECK(rc != 0, "an unbalanced value is refused (rc %d)", rc);
		CHECK(out.len == 0, "and nothing is left in the output (%zu bytes)", out.len);
		CHECK(d.n > 0 && (int)d.v[d.n - 1].code == (int)CVB_D_BIB_WRITE_CHECK, "reported");
	}
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

int
main(void)
{
	test_read_back();
	test_latex();
	test_names();
	test_name_marks();
	test_maps();
	test_keys();
	test_gaps();
	return check_report();
}
