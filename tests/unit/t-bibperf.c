/*
 * t-bibperf.c - the streaming CSL-JSON writer against jansson.
 *
 * write_csljson.c writes CSL-JSON directly instead of dumping a jansson tree
 * per item.  Its output must be byte for byte what dumping cvb_item_to_json()
 * (the tree the CSL-YAML writer uses too) gives, for every input we have: the
 * BibTeX corpus, the CSL-JSON/YAML inputs of the cases, the fuzz corpora, and
 * hand-made items with what jansson treats specially (text that is not UTF-8,
 * repeated keys, reals, control characters).  Streaming to a sink must give
 * the same bytes as the buffered writer, in bounded pieces.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"
#include "check.h"

/* jansson's dump callback: append, indenting every line by two spaces. */
static int
dump_indented(const char *chunk, size_t n, void *data)
{
	struct cvb_buf *out = data;
	const char *p = chunk, *end = chunk + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		cvb_buf_add(out, p, (size_t)(nl - p) + 1);
		cvb_buf_add(out, "  ", 2);
		p = nl + 1;
	}
	cvb_buf_add(out, p, (size_t)(end - p));
	return 0;
}

/* The CSL-JSON of b as the tree-based writer wrote it. */
static void
tree_write(cvbib_biblio *b, struct cvb_buf *out)
{
	size_t i;

	if (b->n == 0) {
		cvb_buf_adds(out, "[]\n");
		return;
	}
	cvb_buf_adds(out, "[\n  ");
	for (i = 0; i < b->n; i++) {
		json_t *o = cvb_item_to_json(b->items[i]);

		if (i > 0)
			cvb_buf_adds(out, ",\n  ");
		json_dump_callback(o, dump_indented, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	cvb_buf_adds(out, "\n]\n");
}

struct chunks {
	struct cvb_buf	 all;
	size_t		 n, max;
};

static int
collect(void *ctx, const char *data, size_t len)
{
	struct chunks *c = ctx;

	cvb_buf_add(&c->all, data, len);
	c->n++;
	if (len > c->max)
		c->max = len;
	return 0;
}

static int ncompared, nstreamed;

/* Compare the writers on b; what names the input in messages. */
static void
compare(cvbib_biblio *b, const char *what)
{
	struct cvb_buf tree = CVB_BUF_INIT, direct = CVB_BUF_INIT;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct chunks c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.all = (struct cvb_buf)CVB_BUF_INIT;
	tree_write(b, &tree);
	CHECK(cvb_write_csljson(b, NULL, &direct, &d) == 0, "%s: writes", what);
	if (tree.len != direct.len || memcmp(tree.buf, direct.buf, tree.len) != 0) {
		for (i = 0; i < tree.len && i < direct.len && tree.buf[i] == direct.buf[i]; i++)
			;
		CHECK(0, "%s: differs from jansson at byte %zu: \"%.60s\" vs \"%.60s\"", what, i,
		    tree.buf + i, direct.buf + i);
	} else
		ncompared++;
	CHECK(cvbib_write_to(b, CVBIB_FMT_CSLJSON, NULL, collect, &c, &d) == 0, "%s: streams", what);
	CHECK(c.all.len == direct.len && memcmp(c.all.buf, direct.buf, direct.len) == 0,
	    "%s: streamed output differs", what);
	/* pieces of about 64 KiB: one item more than the chunk at most */
	CHECK(c.max < 64 * 1024 + 256 * 1024, "%s: a piece of %zu bytes", what, c.max);
	if (c.n > 1)
		nstreamed++;
	cvbib_buf_release(&tree);
	cvbib_buf_release(&direct);
	cvbib_buf_release(&c.all);
	cvbib_diags_release(&d);
}

static void
compare_files(const char *pattern, enum cvbib_format fmt)
{
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		struct cvbib_diags d = CVBIB_DIAGS_INIT;
		cvbib_biblio *b = cvbib_biblio_new();

		cvbib_read_file(b, g.gl_pathv[i], fmt, NULL, &d);
		compare(b, g.gl_pathv[i]);
		cvbib_biblio_free(b);
		cvbib_diags_release(&d);
	}
	globfree(&g);
}

/* Items with everything jansson treats specially. */
static void
test_special(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_item *it;
	struct cvb_name *n;
	struct cvb_date *dt;
	static const char *cats[] = { "ok", "bad\xff", "tab\there", NULL };

	/* text that is not UTF-8 has no JSON value: the member is left out */
	it = cvb_item_new(b, "t", 1, 1);
	it->id = "id\xc3(";
	it->key = "key\xe2\x82";
	it->type = CVB_T_NONE;
	it->type_raw = "odd\xf8type";
	it->categories = cats;
	cvb_item_set(b, it, CVB_V_TITLE, "caf\xc3\xa9 \"q\" back\\slash \x01\x1f\x7f nl\n cr\r ff\f bs\b");
	cvb_item_set(b, it, CVB_V_NOTE, "overlong \xc0\xaf");
	cvb_item_set(b, it, CVB_V_PUBLISHER, "surrogate \xed\xa0\x80");
	cvb_item_set(b, it, CVB_V_ABSTRACT, "too big \xf4\x90\x80\x80");
	cvb_item_set(b, it, CVB_V_URL, "4-byte \xf0\x9f\x98\x80 ok, cut \xf0\x9f\x98");
	n = cvb_name_new(b);
	n->family = "Fam\xff";
	n->given = "Given";
	n->flags = CVB_NF_COMMA_SUFFIX | CVB_NF_STATIC_ORDER | CVB_NF_NO_PARSE;
	cvb_item_add_name(it, CVB_NV_AUTHOR, n);
	n = cvb_name_new(b);
	cvb_item_add_name(it, CVB_NV_AUTHOR, n);	/* an empty name: {} */
	n = cvb_name_new(b);
	n->family = "Org";
	n->flags = CVB_NF_INSTITUTION;
	cvb_item_add_name(it, CVB_NV_EDITOR, n);
	n = cvb_name_new(b);
	n->literal = "Lit";
	n->suffix = "Jr.";
	n->dropping_particle = "de";
	n->non_dropping_particle = "van";
	n->flags = CVB_NF_PARSE_NAMES;
	cvb_item_add_name(it, CVB_NV_EDITOR, n);
	dt = cvb_date_new(b);
	dt->parts[0][0] = 2001; dt->parts[0][1] = 2;
	dt->parts[1][0] = 2003;
	dt->nparts[0] = 2; dt->nparts[1] = 1;
	dt->range = true;
	dt->strparts = 1u << 1 | 1u << 6;
	dt->season = 3;
	dt->circa = true;
	dt->literal = "lit\xff";
	it->date[CVB_DV_ISSUED] = dt;
	dt = cvb_date_new(b);
	dt->parts[0][0] = -44;
	dt->nparts[0] = 1;
	dt->open_end = true;
	dt->season_str = "Whitsun";
	it->date[CVB_DV_ACCESSED] = dt;
	dt = cvb_date_new(b);		/* an empty date: {} */
	it->date[CVB_DV_EVENT_DATE] = dt;
	/* custom: the raw type first; a repeated name keeps its first place */
	cvb_item_add_field(b, it, "a", "1", 0);
	cvb_item_add_field(b, it, "type", "later", 0);
	cvb_item_add_field(b, it, "j", "{\"x\": [1, 2.5, {\"y\": null}], \"e\": {}, \"z\": []}", CVB_FF_JSON);
	cvb_item_add_field(b, it, "a", "2", 0);
	cvb_item_add_field(b, it, "a", "bad\xff", 0);	/* no value: "2" stays */
	cvb_item_add_field(b, it, "k\xff", "bad key", 0);
	cvb_item_add_field(b, it, "notjson", "{oops", CVB_FF_JSON);
	cvb_item_add_field(b, it, "scalar", "\"s\\u00e9\"", CVB_FF_JSON);
	cvb_item_add_field(b, it, "num", "1e400", CVB_FF_JSON);

	/* the variable "citation-key" replaces the key in place */
	it = cvb_item_new(b, "t", 2, 1);
	it->id = "2";
	it->flags = CVB_IF_ID_NUMBER;
	it->key = "k2";
	it->type = CVB_T_BOOK;
	cvb_item_set(b, it, CVB_V_CITATION_KEY, "var-key");
	cvb_item_set(b, it, CVB_V_VOLUME, "12");
	cvb_item_set(b, it, CVB_V_ISSUE, "1.50");
	cvb_item_set(b, it, CVB_V_PAGE, "1e999");
	cvb_item_set(b, it, CVB_V_EDITION, "inf");
	cvb_item_set(b, it, CVB_V_NUMBER, "99999999999999999999");
	cvb_item_set(b, it, CVB_V_NUMBER_OF_PAGES, "-0.000001");
	it->numeric[CVB_V_VOLUME / 64] |= (uint64_t)1 << (CVB_V_VOLUME % 64);
	it->numeric[CVB_V_ISSUE / 64] |= (uint64_t)1 << (CVB_V_ISSUE % 64);
	it->numeric[CVB_V_PAGE / 64] |= (uint64_t)1 << (CVB_V_PAGE % 64);
	it->numeric[CVB_V_EDITION / 64] |= (uint64_t)1 << (CVB_V_EDITION % 64);
	it->numeric[CVB_V_NUMBER / 64] |= (uint64_t)1 << (CVB_V_NUMBER % 64);
	it->numeric[CVB_V_NUMBER_OF_PAGES / 64] |= (uint64_t)1 << (CVB_V_NUMBER_OF_PAGES % 64);

	/* a key that is not UTF-8: the variable takes its sorted place */
	it = cvb_item_new(b, "t", 3, 1);
	it->id = "x";
	it->key = "bad\xff";
	cvb_item_set(b, it, CVB_V_CITATION_KEY, "var-key");
	/* a variable that is not UTF-8: the key stays */
	it = cvb_item_new(b, "t", 4, 1);
	it->id = "1.5";
	it->flags = CVB_IF_ID_NUMBER;
	it->key = "good";
	cvb_item_set(b, it, CVB_V_CITATION_KEY, "bad\xff");
	/* no id, no key, nothing else */
	it = cvb_item_new(b, "t", 5, 1);
	compare(b, "special items");
	cvbib_biblio_free(b);

	b = cvbib_biblio_new();
	compare(b, "no items");
	cvbib_biblio_free(b);
}

/* A failing sink stops the writer. */
static int
fail_sink(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return -1;
}

static void
test_sink_failure(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = cvbib_biblio_new();
	const char bib[] = "@article{a, title={T}}\n";

	cvbib_read(b, bib, strlen(bib), "a.bib", CVBIB_FMT_AUTO, NULL, &d);
	CHECK(cvbib_write_to(b, CVBIB_FMT_CSLJSON, NULL, fail_sink, NULL, &d) == -CVBIB_EIO,
	    "csljson: a failing sink stops the writer");
	CHECK(cvbib_write_to(b, CVBIB_FMT_BIBTEX, NULL, fail_sink, NULL, &d) == -CVBIB_EIO,
	    "bibtex: a failing sink stops the writer");
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
}

int
main(void)
{
	test_special();
	test_sink_failure();
	compare_files("../shared/bibtex-corpus/*/*.bib", CVBIB_FMT_BIBTEX);
	compare_files("../shared/bibtex-corpus/*.bib", CVBIB_FMT_BIBTEX);
	compare_files("tests/cases/*/*.json", CVBIB_FMT_AUTO);
	compare_files("tests/cases/*/*.yaml", CVBIB_FMT_AUTO);
	compare_files("tests/cases/*/*.bib", CVBIB_FMT_AUTO);
	compare_files("tests/fuzz/corpus/fuzz-csljson/*", CVBIB_FMT_CSLJSON);
	compare_files("tests/fuzz/crashers/fuzz-csljson/*", CVBIB_FMT_CSLJSON);
	compare_files("tests/fuzz/corpus/fuzz-bibtex/*", CVBIB_FMT_BIBTEX);
	compare_files("tests/fuzz/corpus/fuzz-yaml/*", CVBIB_FMT_CSLYAML);
	CHECK(ncompared > 100, "only %d inputs compared", ncompared);
	CHECK(nstreamed >= 3, "only %d inputs were written in more than one piece", nstreamed);
	return check_report();
}
