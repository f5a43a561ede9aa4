/* t-enrich.c - DOI normalisation, title folding and similarity, markup
 * conversion, and the merge rules of enrich.c. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"
#include "check.h"

static const char *
norm(const char *in)
{
	static char out[256];
	struct cvb_buf b = CVB_BUF_INIT;

	if (!cvb_doi_normalize(in, &b)) {
		cvbib_buf_release(&b);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s", b.buf);
	cvbib_buf_release(&b);
	return out;
}

static const char *
found(const char *in)
{
	static char out[256];
	struct cvb_buf b = CVB_BUF_INIT;

	if (!cvb_doi_find(in, &b)) {
		cvbib_buf_release(&b);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s", b.buf);
	cvbib_buf_release(&b);
	return out;
}

static const char *
rich(const char *in, bool plain)
{
	static char out[1024];
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_markup_to_rich(&b, in, plain);
	snprintf(out, sizeof(out), "%s", b.buf);
	cvbib_buf_release(&b);
	return out;
}

static const char *
fold(const char *in)
{
	static char out[1024];
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_fold_text(&b, in);
	snprintf(out, sizeof(out), "%s", b.buf);
	cvbib_buf_release(&b);
	return out;
}

static int changes;
static char lastfield[64];
static void
count_change(void *ctx, const char *field, const char *old, const char *nw)
{
	(void)ctx; (void)old; (void)nw;
	changes++;
	snprintf(lastfield, sizeof(lastfield), "%s", field);
}

static void
test_doi(void)
{
	CHECK_STR(norm("10.1234/abc"), "10.1234/abc");
	CHECK_STR(norm("  doi:10.1234/ABC.def "), "10.1234/ABC.def");
	CHECK_STR(norm("DOI: 10.1234/abc"), "10.1234/abc");
	CHECK_STR(norm("https://doi.org/10.1234/abc."), "10.1234/abc");
	CHECK_STR(norm("http://dx.doi.org/10.1234/abc,"), "10.1234/abc");
	CHECK_STR(norm("dx.doi.org/10.1234/abc"), "10.1234/abc");
	CHECK_STR(norm("https://doi.org/10.1002%2F%28SICI%291097-4547"), "10.1002/(SICI)1097-4547");
	CHECK_STR(norm("10.26434%2Fchemrxiv.5406907"), "10.26434/chemrxiv.5406907");
	CHECK_STR(norm("urn:doi:10.1234/x"), "10.1234/x");
	CHECK_STR(norm("info:doi/10.1234/x"), "10.1234/x");
	CHECK_STR(norm("{10.1234/x}"), "10.1234/x");
	CHECK_STR(norm("<10.1234/x>"), "10.1234/x");
	/* balanced brackets stay, unbalanced trailing ones go */
	CHECK_STR(norm("10.1111/(issn)1442-9993"), "10.1111/(issn)1442-9993");
	CHECK_STR(norm("(see 10.1234/abc)") == NULL ? "null" : "x", "null");
	CHECK_STR(norm("10.1234/abc)"), "10.1234/abc");
	CHECK_STR(norm("10.1890/0012-9615(1999)069[0569:EDILSA]2.0.CO;2"),
	    "10.1890/0012-9615(1999)069[0569:EDILSA]2.0.CO;2");
	CHECK_STR(norm("10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"),
	    "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v");
	CHECK(norm("10.12/abc") == NULL, "registrant codes have at least 4 digits");
	CHECK(norm("11.1234/abc") == NULL, "must start with 10.");
	CHECK(norm("10.1234/") == NULL, "needs a suffix");
	CHECK(norm("") == NULL, "empty");
	CHECK(norm("arXiv:2311.16162") == NULL, "not a DOI");
	CHECK_STR(found("see https://doi.org/10.5281/zenodo.48440 for the code"), "10.5281/zenodo.48440");
	CHECK_STR(found("doi: 10.1038/nnano.2014.279."), "10.1038/nnano.2014.279");
	CHECK_STR(found("https://onlinelibrary.wiley.com/doi/abs/10.1002/jor.1100150407?x=1"),
	    "10.1002/jor.1100150407");
	CHECK(found("version 10.2 of the tool") == NULL, "no DOI in plain numbers");
}

static void
test_fold(void)
{
	CHECK_STR(fold("Élan <i>Vital</i>: the  Über-Study"), "elan vital the uber study");
	CHECK_STR(fold("Gödel, Escher, Bach"), "godel escher bach");
	CHECK_STR(fold("Straße Œuvre Łódź"), "strasse oeuvre lodz");
	CHECK_STR(fold("A {DNA} study of \\emph{E. coli}"), "a dna study of e coli");
	CHECK_STR(fold("Co<sub>2</sub>Mn&amp;O"), "co2mn o");
	CHECK(cvb_title_similarity("Fish Ontology framework for taxonomy-based fish recognition",
	    "Fish ontology framework for taxonomy based fish recognition") > 0.99, "case and hyphen");
	CHECK(cvb_title_similarity("Métodos <i>novos</i>", "Metodos novos") > 0.99, "accents and markup");
	CHECK(cvb_title_similarity("A study of fish", "A study of birds") < 0.9, "different titles");
	CHECK(cvb_title_similarity("", "x") == 0, "empty");
}

static void
test_markup(void)
{
	CHECK_STR(rich("Plain  title\n   with newline", false), "Plain title with newline");
	/* issue 20: libxml2 leaves <script> inside MathML nameless (crashed) */
	CHECK_STR(rich("A <math><script>x</script></math> B", false), "A B");
	CHECK_STR(rich("A <math><mi>y</mi><style>s</style></math> <script>z</script>B", false), "A y B");
	CHECK_STR(rich("The <i>E. coli</i> genome", false), "The <i>E. coli</i> genome");
	CHECK_STR(rich("<jats:italic>Drosophila</jats:italic> wings", false), "<i>Drosophila</i> wings");
	CHECK_STR(rich("<scp>dna</scp> repair", false),
	    "<span style=\"font-variant:small-caps;\">dna</span> repair");
	CHECK_STR(rich("Co<sub>1+x\n   </sub>Mn<sub>2</sub>O<sub>4</sub> films", false),
	    "Co<sub>1+x</sub>Mn<sub>2</sub>O<sub>4</sub> films");
	CHECK_STR(rich("<i>Acystopteris taiwaniana </i>(Cystopteridaceae)", false),
	    "<i>Acystopteris taiwaniana</i> (Cystopteridaceae)");
	CHECK_STR(rich("in the<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\"><mml:mrow>"
	    "<mml:mi>N</mml:mi><mml:mo>=</mml:mo><mml:mn>88</mml:mn></mml:mrow></mml:math>nucleus", false),
	    "in the N=88 nucleus");
	CHECK_STR(rich("<mml:math><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math>", false),
	    "x<sup>2</sup>");
	CHECK_STR(rich("<mml:math><mml:mmultiscripts><mml:mi>Tb</mml:mi><mml:mprescripts/><mml:none/>"
	    "<mml:mn>153</mml:mn></mml:mmultiscripts></mml:math>", false), "<sup>153</sup>Tb");
	CHECK_STR(rich("<jats:title>Abstract</jats:title><jats:p>First.</jats:p><jats:p>Second.</jats:p>", true),
	    "First. Second.");
	CHECK_STR(rich("Fish &amp; chips &lt;3", true), "Fish & chips <3");
	CHECK_STR(rich("<b>Bold</b> <u>under</u>", true), "Bold under");
	CHECK_STR(rich("<math><semantics><mi>a</mi><annotation encoding=\"TeX\">a</annotation></semantics></math> b", false),
	    "a b");
}

static void
test_merge(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_item *it, *src;
	static const char user[] =
	    "[{\"id\":\"k1\",\"type\":\"article-journal\",\"title\":\"My {Title}\",\"note\":\"mine\","
	    "\"page\":\"1-2\",\"DOI\":\"10.1234/ABC\",\"custom\":{\"x-field\":\"kept\"},"
	    "\"author\":[{\"family\":\"Smith\",\"given\":\"J.\"}]}]";
	static const char rec[] =
	    "{\"message\":{\"DOI\":\"10.1234/abc\",\"type\":\"journal-article\","
	    "\"title\":[\"The <i>Real</i> Title\"],\"page\":\"1-3\",\"volume\":\"12\","
	    "\"author\":[{\"family\":\"SMITH\",\"given\":\"JOHN\"},{\"name\":\"The Consortium\"}],"
	    "\"published-print\":{\"date-parts\":[[2020,5]]},\"published-online\":{\"date-parts\":[[2019,12,1]]},"
	    "\"issued\":{\"date-parts\":[[2019,12,1]]}}}";
	struct cvb_name *n;

	cvbib_read(b, user, strlen(user), "u.json", CVBIB_FMT_CSLJSON, NULL, &d);
	it = b->items[0];
	src = cvb_enrich_map_text(b, CVB_SRC_CROSSREF, rec, strlen(rec));
	CHECK(src != NULL, "record maps");
	if (src == NULL)
		goto out;
	CHECK_STR(src->str[CVB_V_TITLE], "The <i>Real</i> Title");
	CHECK(src->type == CVB_T_ARTICLE_JOURNAL, "journal-article is article-journal");
	/* the date rule: print first; online kept as available-date */
	CHECK(src->date[CVB_DV_ISSUED] && src->date[CVB_DV_ISSUED]->parts[0][0] == 2020 &&
	    src->date[CVB_DV_ISSUED]->parts[0][1] == 5, "issued is the print date");
	CHECK(src->date[CVB_DV_AVAILABLE_DATE] && src->date[CVB_DV_AVAILABLE_DATE]->parts[0][0] == 2019,
	    "online date is available-date");
	n = src->names[CVB_NV_AUTHOR];
	CHECK(n && n->family && strcmp(n->family, "Smith") == 0 && strcmp(n->given, "John") == 0,
	    "all-caps names are de-capitalised");
	CHECK(n && n->next && n->next->literal && (n->next->flags & CVB_NF_INSTITUTION),
	    "organisations are literal institutions");
	/* dry run: nothing changes, but changes are counted */
	changes = 0;
	CHECK(cvb_enrich_merge(b, it, src, NULL, false, count_change, NULL) == 4,
	    "fill-only finds 4 changes (volume, issued, available-date, ...)");
	CHECK_STR(it->str[CVB_V_TITLE], "My {Title}");
	CHECK(it->str[CVB_V_VOLUME] == NULL, "dry run leaves the entry");
	/* fill missing only */
	cvb_enrich_merge(b, it, src, NULL, true, count_change, NULL);
	CHECK_STR(it->str[CVB_V_VOLUME], "12");
	CHECK_STR(it->str[CVB_V_TITLE], "My {Title}");
	CHECK_STR(it->str[CVB_V_PAGE], "1-2");
	CHECK_STR(it->str[CVB_V_DOI], "10.1234/ABC");	/* same DOI ignoring case: the user's kept */
	CHECK_STR(it->str[CVB_V_NOTE], "mine");
	CHECK_STR(it->names[CVB_NV_AUTHOR]->given, "J.");
	/* overwrite a list of fields */
	changes = 0;
	cvb_enrich_merge(b, it, src, "pages", true, count_change, NULL);
	CHECK(changes == 1, "only page replaced (%d)", changes);
	CHECK_STR(it->str[CVB_V_PAGE], "1-3");
	CHECK_STR(it->str[CVB_V_TITLE], "My {Title}");
	/* overwrite all: title and authors too, but never key, note or custom fields */
	cvb_enrich_merge(b, it, src, "all", true, count_change, NULL);
	CHECK_STR(it->str[CVB_V_TITLE], "The <i>Real</i> Title");
	CHECK_STR(it->key ? it->key : it->id, "k1");
	CHECK_STR(it->str[CVB_V_NOTE], "mine");
	CHECK(it->extra != NULL && strstr(it->extra->value, "kept") != NULL, "custom field kept");
	/* equal after folding: nothing to do */
	changes = 0;
	cvb_enrich_merge(b, it, src, "all", true, count_change, NULL);
	CHECK(changes == 0, "a second merge changes nothing (%d, last %s)", changes, lastfield);
	CHECK(cvb_enrich_check_fields("title,pages,year,author,type") == NULL, "known fields");
	CHECK_STR(cvb_enrich_check_fields("title,bogus"), "bogus");
out:
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static void
test_map_fixtures(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	static const char dc[] =
	    "{\"data\":{\"attributes\":{\"doi\":\"10.48550/arxiv.1\",\"titles\":[{\"title\":\"A <i>b</i>\"}],"
	    "\"creators\":[{\"name\":\"Yin, Hui\",\"nameType\":\"Personal\"},{\"name\":\"CERN\","
	    "\"nameType\":\"Organizational\"}],\"publicationYear\":2023,\"publisher\":\"arXiv\","
	    "\"types\":{\"resourceTypeGeneral\":\"Preprint\",\"citeproc\":\"\"},"
	    "\"identifiers\":[{\"identifier\":\"2311.1\",\"identifierType\":\"arXiv\"}]}}}";
	struct cvb_item *it = cvb_enrich_map_text(b, CVB_SRC_DATACITE, dc, strlen(dc));

	CHECK(it != NULL, "DataCite maps");
	if (it != NULL) {
		CHECK(it->type == CVB_T_ARTICLE, "Preprint is article");
		CHECK_STR(it->names[CVB_NV_AUTHOR]->family, "Yin");
		CHECK_STR(it->names[CVB_NV_AUTHOR]->given, "Hui");
		CHECK_STR(it->names[CVB_NV_AUTHOR]->next->literal, "CERN");
		CHECK_STR(it->str[CVB_V_NUMBER], "arXiv:2311.1");
		CHECK(cvb_item_year(it) == 2023, "publicationYear");
	}
	{
		static const char cr[] = "{\"message\":{\"DOI\":\"10.1/x\",\"author\":[{\"family\":"
		    "\"M&uuml;ller\",\"given\":\"<b>Ann</b>\"}],\"issued\":{\"date-parts\":[[null]]},"
		    "\"approved\":{\"date-parts\":[[2020,5]]},\"type\":\"dissertation\","
		    "\"institution\":[{\"name\":\"UQ\"}],\"degree\":[\"PhD\"]}}";
		struct cvb_item *t = cvb_enrich_map_text(b, CVB_SRC_CROSSREF, cr, strlen(cr));

		CHECK(t != NULL, "thesis maps");
		if (t != NULL) {
			CHECK_STR(t->names[CVB_NV_AUTHOR]->family, "Müller");
			CHECK_STR(t->names[CVB_NV_AUTHOR]->given, "Ann");
			CHECK(cvb_item_year(t) == 2020, "null issued: the approved date");
			CHECK_STR(t->str[CVB_V_PUBLISHER], "UQ");
			CHECK_STR(t->str[CVB_V_GENRE], "PhD");
			CHECK(t->type == CVB_T_THESIS, "dissertation is thesis");
		}
	}
	CHECK(cvb_enrich_map_text(b, CVB_SRC_CROSSREF, "Resource not found.", 19) == NULL, "404 body");
	CHECK(cvb_enrich_map_text(b, CVB_SRC_CROSSREF, "{\"message\":{\"issued\":{\"date-parts\":[[null]]}}}", 44) == NULL,
	    "no DOI: unusable");
	cvbib_biblio_free(b);
}

static void
test_cache(void)
{
	char dir[] = "/tmp/t-enrich-cache.XXXXXX", path[256];
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_cache *c = NULL;
	char *body = NULL;
	size_t len = 0;
	long st = 0;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	CHECK(cvb_cache_open(&c, dir, &d) == 0 && c != NULL, "cache opens");
	cvb_cache_put(c, "work:10.1/a", 200, "{\"x\":1}", 7);
	cvb_cache_put(c, "work:10.1/b", 404, "", 0);
	CHECK(cvb_cache_get(c, "work:10.1/a", false, &st, &body, &len) == 1 && st == 200 &&
	    len == 7 && strcmp(body, "{\"x\":1}") == 0, "found answer back");
	free(body);
	body = NULL;
	CHECK(cvb_cache_get(c, "work:10.1/b", false, &st, &body, &len) == 1 && st == 404 && len == 0,
	    "not-found answer back");
	free(body);
	body = NULL;
	CHECK(cvb_cache_get(c, "work:10.1/c", false, &st, &body, &len) == 0, "absent key");
	cvb_cache_close(c);
	c = NULL;
	/* a damaged file is moved aside and rebuilt, with a warning */
	snprintf(path, sizeof(path), "%s/cache.sqlite", dir);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("garbage, not a database, garbage, not a database, garbage\n", f);
		fclose(f);
	}
	CHECK(cvb_cache_open(&c, dir, &d) == 0 && c != NULL, "damaged cache reopens");
	CHECK(d.n == 1 && d.v[0].level == CVBIB_WARNING && strstr(d.v[0].message, "damaged"),
	    "damaged cache is reported");
	CHECK(cvb_cache_get(c, "work:10.1/a", true, &st, &body, &len) == 0, "rebuilt cache is empty");
	cvb_cache_close(c);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	CHECK(system(path) == 0, "cleanup");
	cvbib_diags_release(&d);
}

int
main(void)
{
	test_cache();
	test_doi();
	test_fold();
	test_markup();
	test_merge();
	test_map_fixtures();
	return check_report();
}
