/* t-cv.c - unit tests for the CV layer: name matching (with the negative
 * cases), folding, duplicates, ordering, biblatex annotations and preamble. */
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
#include "cvb_int.h"
#include "check.h"

static bool
match(const char *pattern, const char *family, const char *given,
    const char *particle, const char *literal, unsigned flags)
{
	struct cvb_cv_pattern p;
	struct cvb_name n;
	bool r;

	memset(&n, 0, sizeof(n));
	n.family = family;
	n.given = given;
	n.non_dropping_particle = particle;
	n.literal = literal;
	n.flags = flags;
	if (cvb_cv_pattern_parse(&p, pattern) != 0)
		return false;
	r = cvb_cv_name_matches(&p, &n);
	cvb_cv_pattern_release(&p);
	return r;
}

#define YES(pat, fam, giv) CHECK(match(pat, fam, giv, NULL, NULL, 0), \
	"'%s' should match %s, %s", pat, fam, giv ? giv : "(no given)")
#define NO(pat, fam, giv) CHECK(!match(pat, fam, giv, NULL, NULL, 0), \
	"'%s' must not match %s, %s", pat, fam, giv ? giv : "(no given)")

static void
test_names(void)
{
	/* every spelling of the owner */
	YES("Altan Haan", "Haan", "Altan");
	YES("Altan Haan", "Haan", "A.");
	YES("Altan Haan", "Haan", "A");
	YES("Altan Haan", "Haan", "Altan B.");
	YES("Altan Haan", "Haan", "A. B.");
	YES("Altan Haan", "HAAN", "ALTAN");
	YES("Altan Haan", "Haan", "Alt\xC3\xA1n");		/* Altán */
	YES("Haan, A.", "Haan", "Altan");
	YES("Haan, A.", "Haan", "A.");
	YES("A. Haan", "Haan", "Altan");
	YES("Altan B. Haan", "Haan", "Altan");
	YES("Jos\xC3\xA9 M\xC3\xBCller", "Muller", "Jose");	/* José Müller */
	YES("Jose Muller", "M\xC3\xBCller", "Jos\xC3\xA9");
	YES("Jean-Pierre Dupont", "Dupont", "J.-P.");
	YES("Jean-Pierre Dupont", "Dupont", "JP");
	YES("Jean-Pierre Dupont", "Dupont", "Jean Pierre");
	YES("Zo\xC3\xAB O'Brien", "OBrien", "Zoe");
	YES("\xC5\x81ukasz Kowalski", "Kowalski", "Lukasz");	/* Łukasz */
	YES("An Nguy\xE1\xBB\x85n", "Nguyen", "An");		/* Nguyễn */
	/* compound family names, split either way */
	YES("Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", "Garc\xC3\xAD" "a M\xC3\xA1rquez", "Gabriel");
	YES("Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", "Garcia Marquez", "G.");
	YES("Garc\xC3\xAD" "a M\xC3\xA1rquez, Gabriel", "M\xC3\xA1rquez", "Gabriel Garc\xC3\xAD" "a");
	YES("Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", "M\xC3\xA1rquez", "Gabriel");
	NO("Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", "L\xC3\xB3pez M\xC3\xA1rquez", "Gabriel");
	NO("Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", "Garc\xC3\xAD" "a M\xC3\xA1rquez", "Pablo");
	NO("Garc\xC3\xAD" "a M\xC3\xA1rquez, Gabriel", "M\xC3\xA1rquez", "Gabriel L\xC3\xB3pez");
	NO("Gabriel G. M\xC3\xA1rquez", "Garcia Marquez", "Gabriel");
	/* particles, in the name or in the family */
	CHECK(match("Jan van der Berg", "Berg", "Jan", "van der", NULL, 0), "particle apart");
	YES("Jan van der Berg", "van der Berg", "J.");
	YES("Jan van der Berg", "Van Der Berg", "Jan");
	YES("van der Berg, Jan", "Berg", "J.");
	YES("Berg, Jan", "van der Berg", "Jan");
	/* literal names */
	CHECK(match("Haan, A.", NULL, NULL, NULL, "Altan Haan", 0), "literal full name");
	CHECK(match("Altan Haan", NULL, NULL, NULL, "Haan, A.", 0), "literal inverted");
	CHECK(!match("Altan Haan", NULL, NULL, NULL, "Bert Haan", 0), "literal other person");
	CHECK(match("Garc\xC3\xAD" "a M\xC3\xA1rquez, G.", NULL, NULL, NULL,
	    "Gabriel Garc\xC3\xAD" "a M\xC3\xA1rquez", 0), "literal with a compound family name");
	CHECK(!match("Altan Haan", NULL, NULL, NULL, "Haan", 0), "a bare literal family name");

	/* never a different person with the same family name */
	NO("Altan Haan", "Haan", "B.");
	NO("Altan Haan", "Haan", "Bert");
	NO("Altan Haan", "Haan", "Anna");
	NO("Altan Haan", "Haan", "B. A.");
	NO("Altan Haan", "Haan", NULL);
	NO("Altan Haan", "Haans", "Altan");
	NO("Altan Haan", "Haa", "Altan");
	NO("Altan Haan", "Altan", "Haan");
	NO("Haan, A.", "Haan", "B.");
	NO("Haan, A.", "Haan", "Bert");
	NO("A. Haan", "Haan", "Bert");
	NO("Altan B. Haan", "Haan", "A. C.");
	NO("Altan B. Haan", "Haan", "Altan Cem");
	NO("Jean-Pierre Dupont", "Dupont", "J.-M.");
	NO("Jan van der Berg", "Berg", "Piet");
	CHECK(!match("Altan Haan", "Haan", "Altan", NULL, NULL, CVB_NF_INSTITUTION),
	    "an organisation is nobody");
	CHECK(!match("Altan Haan", "Haan", "Altan", NULL, NULL, CVB_NF_OTHERS), "et al. is nobody");
	{
		struct cvb_cv_pattern p;

		CHECK(cvb_cv_pattern_parse(&p, "  ") != 0, "an empty pattern is refused");
		CHECK(cvb_cv_pattern_parse(&p, ", A.") != 0, "a pattern without family is refused");
	}
}

static void
test_fold(void)
{
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_cv_fold(&b, "\xC3\x85ngstr\xC3\xB6m,  Zo\xC3\xAB O'Brien-Smith");
	CHECK_STR(b.buf, "angstrom zoe obrien smith");
	cvb_buf_reset(&b);
	cvb_cv_fold(&b, "<i>Deep</i> Learning: A <span class=\"nocase\">GPU</span> Study.");
	CHECK_STR(b.buf, "deep learning a gpu study");
	cvb_buf_reset(&b);
	cvb_cv_fold(&b, "Stra\xC3\x9F" "e \xC3\x86sir \xC5\x92uvre");
	CHECK_STR(b.buf, "strasse aesir oeuvre");
	cvbib_buf_release(&b);
}

static const char dup_json[] =
"[\n"
"{\"id\":\"a\",\"type\":\"article-journal\",\"title\":\"Tiling Compilers\",\"DOI\":\"10.1000/ABC.1\","
" \"author\":[{\"family\":\"Haan\",\"given\":\"Altan\"}],\"issued\":{\"date-parts\":[[2024]]}},\n"
"{\"id\":\"b\",\"type\":\"article-journal\",\"title\":\"Tiling compilers\",\"DOI\":\"https://doi.org/10.1000/abc.1\","
" \"container-title\":\"J. Compilers\",\"custom\":{\"selected\":true},"
" \"author\":[{\"family\":\"Haan\",\"given\":\"A.\"}],\"issued\":{\"date-parts\":[[2024,3]]}},\n"
"{\"id\":\"c\",\"type\":\"article\",\"title\":\"Fast Sparse Kernels\",\"URL\":\"https://arxiv.org/abs/2401.01234v2\","
" \"author\":[{\"family\":\"Haan\",\"given\":\"A.\"}],\"issued\":{\"date-parts\":[[2023]]}},\n"
"{\"id\":\"d\",\"type\":\"paper-conference\",\"title\":\"Fast sparse kernels for GPUs\",\"container-title\":\"PLDI\","
" \"custom\":{\"arxiv\":\"2401.01234\"},"
" \"author\":[{\"family\":\"Haan\",\"given\":\"Altan\"}],\"issued\":{\"date-parts\":[[2024]]}},\n"
"{\"id\":\"e\",\"type\":\"paper-conference\",\"title\":\"On <i>Loop</i> Fusion.\","
" \"author\":[{\"family\":\"M\\u00fcller\",\"given\":\"J.\"}],\"issued\":{\"date-parts\":[[2022]]}},\n"
"{\"id\":\"f\",\"type\":\"paper-conference\",\"title\":\"On loop fusion\","
" \"author\":[{\"family\":\"Muller\",\"given\":\"Jan\"}],\"issued\":{\"date-parts\":[[2022]]}},\n"
"{\"id\":\"g\",\"type\":\"paper-conference\",\"title\":\"On loop fusion\","
" \"author\":[{\"family\":\"Muller\",\"given\":\"Jan\"}],\"issued\":{\"date-parts\":[[2021]]}},\n"
"{\"id\":\"h\",\"type\":\"paper-conference\",\"title\":\"On loop fusion\","
" \"author\":[{\"family\":\"Schmidt\",\"given\":\"Jan\"}],\"issued\":{\"date-parts\":[[2022]]}}\n"
"]\n";

static size_t
count_code(const struct cvbib_diags *d, enum cvb_dcode c)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (d->v[i].code == (int)c)
			n++;
	return n;
}

static void
test_dedupe(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o, e;
	struct cvb_item *v[16];
	struct cvb_buf k = CVB_BUF_INIT;
	size_t n;

	cvbib_options_init(&o);
	CHECK(cvbib_read(b, dup_json, strlen(dup_json), "dup.json", CVBIB_FMT_CSLJSON, &o, &d) == 0, "read");
	CHECK(b->n == 8, "8 items read, got %zu", b->n);
	cvb_cv_prepare(b, &o, &e, &d);
	CHECK(cvb_cv_doi_key(b->items[1], &k), "doi key from a doi.org URL form");
	CHECK_STR(k.buf, "10.1000/abc.1");
	cvb_buf_reset(&k);
	CHECK(cvb_cv_arxiv_key(b->items[2], &k), "arXiv key from an abs URL");
	CHECK_STR(k.buf, "2401.01234");
	cvb_buf_reset(&k);
	CHECK(cvb_cv_arxiv_key(b->items[3], &k), "arXiv key from the custom field");
	CHECK_STR(k.buf, "2401.01234");
	memcpy(v, b->items, b->n * sizeof(*v));
	n = cvb_cv_dedupe(b, v, b->n, &d);
	CHECK(n == 5, "8 entries, 3 duplicates: got %zu", n);
	CHECK(count_code(&d, CVB_D_CV_DUPLICATE) == 3, "every merge reported: %zu",
	    count_code(&d, CVB_D_CV_DUPLICATE));
	/* a+b: b is the published one (container-title) and is kept */
	CHECK(n >= 1 && strcmp(v[0]->id, "b") == 0, "published version kept: %s", v[0]->id);
	CHECK(n >= 1 && (v[0]->flags & CVB_IF_SELECTED), "flags kept");
	/* c+d: d (the conference paper) kept, in c's place */
	CHECK(n >= 2 && strcmp(v[1]->id, "d") == 0, "the paper, not the preprint: %s", v[1]->id);
	CHECK(n >= 2 && v[1]->str[CVB_V_URL] != NULL, "URL filled from the preprint");
	/* e+f merged on title/year/author; g (other year) and h (other author) kept */
	CHECK(n == 5 && strcmp(v[2]->id, "e") == 0 && strcmp(v[3]->id, "g") == 0 &&
	    strcmp(v[4]->id, "h") == 0, "title+year+author only");
	cvbib_buf_release(&k);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static const char sort_json[] =
"[{\"id\":\"m3\",\"title\":\"c\",\"issued\":{\"date-parts\":[[2024,3]]}},"
"{\"id\":\"y\",\"title\":\"a\",\"issued\":{\"date-parts\":[[2024]]}},"
"{\"id\":\"d\",\"title\":\"b\",\"issued\":{\"date-parts\":[[2024,5,2]]}},"
"{\"id\":\"old\",\"title\":\"E\",\"issued\":{\"date-parts\":[[2023,12]]}},"
"{\"id\":\"nodate\",\"title\":\"d\",\"status\":\"under review\"},"
"{\"id\":\"d2\",\"title\":\"f\",\"issued\":{\"date-parts\":[[2024,5,2]]}}]";

static void
order(struct cvb_item **v, size_t n, struct cvb_buf *o)
{
	size_t i;

	cvb_buf_reset(o);
	for (i = 0; i < n; i++)
		cvb_buf_addf(o, "%s%s", i ? " " : "", v[i]->id);
}

static void
test_sort(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_item *v[8];
	struct cvb_buf o = CVB_BUF_INIT;

	cvbib_read(b, sort_json, strlen(sort_json), "s.json", CVBIB_FMT_CSLJSON, NULL, &d);
	CHECK(b->n == 6, "read");
	memcpy(v, b->items, 6 * sizeof(*v));
	CHECK(cvb_cv_sort(v, 6, "newest") == 0, "newest");
	order(v, 6, &o);
	CHECK_STR(o.buf, "nodate d d2 m3 y old");
	CHECK(cvb_cv_sort(v, 6, "oldest") == 0, "oldest");
	order(v, 6, &o);
	CHECK_STR(o.buf, "old y m3 d d2 nodate");
	CHECK(cvb_cv_sort(v, 6, "title") == 0, "title");
	order(v, 6, &o);
	CHECK_STR(o.buf, "y d m3 nodate old d2");
	CHECK(cvb_cv_sort(v, 6, "none") == 0, "none keeps the order");
	order(v, 6, &o);
	CHECK_STR(o.buf, "y d m3 nodate old d2");
	CHECK(cvb_cv_sort(v, 6, "random") < 0, "unknown key refused");
	cvbib_buf_release(&o);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static const char bl_json[] =
"[{\"id\":\"k1\",\"type\":\"article-journal\",\"title\":\"One\",\"issued\":{\"date-parts\":[[2022]]},"
" \"author\":[{\"family\":\"Lee\",\"given\":\"Bo\"},{\"family\":\"Haan\",\"given\":\"A.\"}],"
" \"custom\":{\"equal-contribution\":[1,2]}},"
"{\"id\":\"k2\",\"type\":\"paper-conference\",\"title\":\"Two\",\"issued\":{\"date-parts\":[[2023]]},"
" \"author\":[{\"family\":\"Haan\",\"given\":\"Bert\"},{\"family\":\"Haan\",\"given\":\"Altan\"}],"
" \"custom\":{\"corresponding-author\":[\"Haan, Altan\"]}},"
"{\"id\":\"k3\",\"type\":\"article-journal\",\"title\":\"Three\",\"issued\":{\"date-parts\":[[2024]]},"
" \"author\":[{\"family\":\"Kim\",\"given\":\"C.\"}]}]";

static void
test_biblatex(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o, e;
	struct cvb_buf out = CVB_BUF_INIT;
	const char *hl[] = { "Altan Haan", NULL };

	cvbib_options_init(&o);
	o.highlight = hl;
	cvbib_read(b, bl_json, strlen(bl_json), "bl.json", CVBIB_FMT_CSLJSON, &o, &d);
	CHECK(cvb_cv_prepare(b, &o, &e, &d) == 0, "prepare");
	CHECK(cvb_cv_biblatex_annotation(b->items[0], CVB_NV_AUTHOR, &out), "k1 annotated");
	CHECK_STR(out.buf, "author+an = {1=equal;2=highlight,equal}");
	cvb_buf_reset(&out);
	CHECK(cvb_cv_biblatex_annotation(b->items[1], CVB_NV_AUTHOR, &out), "k2 annotated");
	CHECK_STR(out.buf, "author+an = {2=highlight,corresponding}");
	cvb_buf_reset(&out);
	CHECK(!cvb_cv_biblatex_annotation(b->items[2], CVB_NV_AUTHOR, &out) && out.len == 0,
	    "nothing for k3");
	CHECK(b->items[0]->flags & CVB_IF_HAS_EQUAL, "item flag set");

	cvb_buf_adds(&out, "@string{x = {y}}\n@article{k1,\n  title = {One},\n}\n\n"
	    "@inproceedings{k2,\n  title = {Two},\n}\n@article{k3,\n  title = {Three},\n}\n");
	CHECK(cvb_cv_biblatex_annotate(b, &out, 0) == 0, "annotate");
	CHECK_STR(out.buf, "@string{x = {y}}\n@article{k1,\n  author+an = {1=equal;2=highlight,equal},\n"
	    "  title = {One},\n}\n\n@inproceedings{k2,\n  author+an = {2=highlight,corresponding},\n"
	    "  title = {Two},\n}\n@article{k3,\n  title = {Three},\n}\n");

	cvb_buf_reset(&out);
	o.group_by = "type";
	o.group_prefix = 1;
	o.countdown = 1;
	CHECK(cvb_cv_biblatex_preamble(b, &o, &out, &d) == 0, "preamble");
	CHECK(strstr(out.buf, "\\newrefcontext[labelprefix={J}]%\n  \\nocite{k3,k1}") != NULL,
	    "journal group newest first with prefix J");
	CHECK(strstr(out.buf, "\\newrefcontext[labelprefix={C}]%\n  \\nocite{k2}") != NULL,
	    "conference group");
	CHECK(strstr(out.buf, "title={Journal Articles}") != NULL, "heading");
	CHECK(strstr(out.buf, "\\DeclareFieldFormat{labelnumber}") != NULL, "count-down");
	CHECK(strstr(out.buf, "\\ifitemannotation{highlight}") != NULL, "highlight");
	cvb_buf_reset(&out);
	o.group_prefix = 0;
	CHECK(cvb_cv_biblatex_preamble(b, &o, &out, &d) == 0, "preamble, one refsection");
	CHECK(strstr(out.buf, "\\nocite{k3,k1,k2}") != NULL, "all keys in display order");
	CHECK(strstr(out.buf, "\\addtocategory{cvbib1}{k3,k1}") != NULL, "category per group");
	cvb_buf_reset(&out);
	o.sort = "sideways";
	CHECK(cvb_cv_biblatex_preamble(b, &o, &out, &d) == -CVBIB_EUSAGE, "bad sort refused");
	CHECK(count_code(&d, CVB_D_CV_OPTION) == 1, "and reported");
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static void
test_prepare_highlight(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o, e;
	const char *cli_hl[] = { "Bo Lee", "Altan Haan", NULL };
	const char **keys;
	size_t nhl;

	/* the config file is the command's (src/cli); the library takes the
	 * settings it gives in the options, highlights in their order */
	cvbib_read(b, bl_json, strlen(bl_json), "bl.json", CVBIB_FMT_CSLJSON, NULL, &d);
	cvbib_options_init(&o);
	o.highlight = cli_hl;
	o.sort = "title";
	CHECK(cvb_cv_prepare(b, &o, &e, &d) == 0, "prepare");
	CHECK_STR(e.sort, "title");
	for (nhl = 0; e.highlight != NULL && e.highlight[nhl] != NULL; nhl++)
		;
	CHECK(nhl == 2 && strcmp(e.highlight[0], "Bo Lee") == 0 &&
	    strcmp(e.highlight[1], "Altan Haan") == 0, "highlights in order");
	CHECK(b->items[0]->names[CVB_NV_AUTHOR]->flags & CVB_NF_HIGHLIGHT, "Bo Lee highlighted");
	CHECK(!(b->items[1]->names[CVB_NV_AUTHOR]->flags & CVB_NF_HIGHLIGHT), "Bert Haan is not");
	CHECK(b->items[1]->names[CVB_NV_AUTHOR]->next->flags & CVB_NF_HIGHLIGHT, "Altan Haan is");
	CHECK(count_code(&d, CVB_D_CV_NO_MATCH) == 0, "both names matched");

	o.highlight = NULL;
	{
		const char *nobody[] = { "Zed Nobody", NULL };

		o.highlight = nobody;
		cvb_cv_prepare(b, &o, &e, &d);
		CHECK(count_code(&d, CVB_D_CV_NO_MATCH) == 1, "a name that matches nobody is reported");
	}

	/* extra fields: JSON text decoded */
	CHECK(cvb_cv_extra(b, b->items[0], "equal-contribution") == NULL, "array is no text");
	cvb_item_add_field(b, b->items[0], "award", "\"Best \\\"Paper\\\"\"", CVB_FF_JSON);
	cvb_item_add_field(b, b->items[0], "selected", "true", CVB_FF_JSON);
	cvb_item_add_field(b, b->items[0], "pdf", "x.pdf", CVB_FF_BIBTEX);
	CHECK_STR(cvb_cv_extra(b, b->items[0], "award"), "Best \"Paper\"");
	CHECK_STR(cvb_cv_extra(b, b->items[0], "Selected"), "true");
	CHECK_STR(cvb_cv_extra(b, b->items[0], "pdf"), "x.pdf");

	/* the keys a BibTeX writer gave the items, read back */
	keys = cvb_arena_alloc(&b->arena, (b->n + 1) * sizeof(*keys));
	cvb_cv_biblatex_keys(b, "@preamble{x}\n@article{lee2022,\n}\n@inproceedings{k2,\n}\n"
	    "@comment{no}\n@article{kim2024three,\n}\n", keys);
	CHECK(keys[0] && keys[1] && keys[2] && strcmp(keys[0], "lee2022") == 0 &&
	    strcmp(keys[1], "k2") == 0 && strcmp(keys[2], "kim2024three") == 0, "keys read back");
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static void
test_latex_escape(void)
{
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_cv_latex_escape(&b, "\\input{/etc/passwd} 50% & $x_1^2$ #1 ~ \xE2\x80\xA0");
	CHECK_STR(b.buf, "\\textbackslash{}input\\{/etc/passwd\\} 50\\% \\& \\$x\\_1\\textasciicircum{}2\\$ "
	    "\\#1 \\textasciitilde{} \\ensuremath{\\dagger}");
	cvbib_buf_release(&b);
}

int
main(void)
{
	test_names();
	test_fold();
	test_dedupe();
	test_sort();
	test_biblatex();
	test_prepare_highlight();
	test_latex_escape();
	return check_report();
}
