/* t-core.c - unit tests for the buffer, arena, line map, rich text, dates and variable tables. */
#include <string.h>
#include <stdlib.h>
#include "cvb_int.h"
#include "check.h"

static void
test_buf(void)
{
	struct cvb_buf b = CVB_BUF_INIT;
	char *s;
	size_t n;
	int i;

	CHECK(b.buf[0] == '\0' && b.len == 0, "empty buffer is an empty string");
	cvb_buf_adds(&b, "abc");
	cvb_buf_addf(&b, "-%d-", 42);
	cvb_buf_addcp(&b, 0xE9);
	cvb_buf_addcp(&b, 0x1F600);
	CHECK_STR(b.buf, "abc-42-\xC3\xA9\xF0\x9F\x98\x80");
	for (i = 0; i < 10000; i++)
		cvb_buf_addch(&b, 'x');
	CHECK(b.len == 13 + 10000 && b.buf[b.len] == '\0', "growth keeps the NUL");
	s = cvbib_buf_detach(&b, &n);
	CHECK(n == 10013 && b.len == 0 && b.buf[0] == '\0', "detach resets");
	free(s);
	b.max = 4;
	cvb_buf_adds(&b, "12345");
	CHECK(b.err != 0, "growth past max is an error");
	cvb_buf_adds(&b, "1");
	CHECK(b.len == 0, "appends after an error are ignored");
	cvbib_buf_release(&b);
}

static void
test_arena(void)
{
	struct cvb_arena a = { 0 };
	char *big, *p;
	int i;

	for (i = 0; i < 100000; i++) {
		p = cvb_arena_strdup(&a, "hello");
		if (p == NULL || strcmp(p, "hello") != 0)
			break;
	}
	CHECK(i == 100000, "many small strings");
	big = cvb_arena_alloc(&a, 1 << 20);
	CHECK(big != NULL && big[0] == 0 && big[(1 << 20) - 1] == 0, "a big zeroed block");
	CHECK(((uintptr_t)cvb_arena_alloc(&a, 3) % sizeof(void *)) == 0, "aligned");
	CHECK_STR(cvb_arena_printf(&a, "%s-%d", "x", 7), "x-7");
	cvb_arena_release(&a);
	CHECK(a.head == NULL, "released");
}

static void
test_srcmap(void)
{
	const char *s = "ab\ncd\xC3\xA9x\n\nz";
	struct cvb_srcmap m;
	unsigned l, c;

	cvb_srcmap_init(&m, s, strlen(s));
	cvb_srcmap_pos(&m, 0, &l, &c);
	CHECK(l == 1 && c == 1, "start: %u:%u", l, c);
	cvb_srcmap_pos(&m, 7, &l, &c);
	CHECK(l == 2 && c == 4, "after a 2-byte char: %u:%u", l, c);
	cvb_srcmap_pos(&m, 10, &l, &c);
	CHECK(l == 4 && c == 1, "last line: %u:%u", l, c);
	/* the cache of the last answer must not spoil queries in any order */
	cvb_srcmap_pos(&m, 4, &l, &c);
	CHECK(l == 2 && c == 2, "back again: %u:%u", l, c);
	cvb_srcmap_pos(&m, 8, &l, &c);
	CHECK(l == 2 && c == 5, "forward on the same line: %u:%u", l, c);
	cvb_srcmap_pos(&m, 1, &l, &c);
	CHECK(l == 1 && c == 2, "earlier line: %u:%u", l, c);
	cvb_srcmap_pos(&m, 9, &l, &c);
	CHECK(l == 3 && c == 1, "empty line: %u:%u", l, c);
	cvb_srcmap_release(&m);
}

static void
test_rich(void)
{
	struct cvb_buf b = CVB_BUF_INIT;
	struct cvb_rich r;
	int opens = 0, closes = 0;

	cvb_rich_plain(&b, "a <i>b</i> <span class=\"nocase\">C<sup>2</sup></span> x<y </b>");
	CHECK_STR(b.buf, "a b C2 x<y </b>");
	cvb_rich_init(&r, "<span style=\"font-variant:small-caps;\">a<span class=\"nocase\">B</span></span>");
	while (cvb_rich_next(&r) != CVB_RT_END) {
		if (r.tok == CVB_RT_OPEN) opens++;
		if (r.tok == CVB_RT_CLOSE) {
			closes++;
			if (closes == 1) CHECK(r.tag == CVB_R_NOCASE, "inner span closes nocase");
			if (closes == 2) CHECK(r.tag == CVB_R_SC, "outer span closes small caps");
		}
	}
	CHECK(opens == 2 && closes == 2, "nested spans");
	/* <sc>...</sc> is small caps; nodecor spans nest with the others */
	{
		static const enum cvb_rtag want[] = { CVB_R_SC, CVB_R_NODECOR, CVB_R_NOCASE };
		int k = 0;

		cvb_rich_init(&r, "<span class=\"nocase\">x<span class=\"nodecor\">y<sc>z</span></sc></span></span>");
		while (cvb_rich_next(&r) != CVB_RT_END)
			if (r.tok == CVB_RT_CLOSE && k < 3) {
				CHECK(r.tag == want[k], "closer %d", k);
				k++;
			}
		CHECK(k == 3, "three closers");
		b.len = 0;
		cvb_rich_plain(&b, "a<sc>b</sc>c");
		CHECK_STR(b.buf, "abc");
	}
	cvbib_buf_release(&b);
}

static void
test_dates_vars(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_date *d;
	struct cvb_varref r;

	d = cvb_date_parse_edtf(b, "2024-03-05");
	CHECK(d && d->nparts[0] == 3 && d->parts[0][1] == 3 && d->parts[0][2] == 5, "full date");
	d = cvb_date_parse_edtf(b, "2001/2003");
	CHECK(d && d->range && d->parts[1][0] == 2003, "range");
	d = cvb_date_parse_edtf(b, "2004/..");
	CHECK(d && d->range && d->open_end, "open range");
	d = cvb_date_parse_edtf(b, "1999-22");
	CHECK(d && d->season == 2 && d->nparts[0] == 1, "season");
	d = cvb_date_parse_edtf(b, "-0044~");
	/* astronomical -44 is 45 BC: CSL -45 */
	CHECK(d && d->parts[0][0] == -45 && d->circa, "BCE circa");
	CHECK(cvb_date_parse_edtf(b, "March 2004") == NULL, "not EDTF");
	CHECK(cvb_date_parse_edtf(b, "2004-13") == NULL, "bad month");
	r = cvb_var_lookup("container-title");
	CHECK(r.kind == CVB_VK_STR && r.idx == CVB_V_CONTAINER_TITLE, "string var");
	r = cvb_var_lookup("volume");
	CHECK(r.kind == CVB_VK_NUM, "number var");
	r = cvb_var_lookup("issued");
	CHECK(r.kind == CVB_VK_DATE && r.idx == CVB_DV_ISSUED, "date var");
	r = cvb_var_lookup("editor");
	CHECK(r.kind == CVB_VK_NAME && r.idx == CVB_NV_EDITOR, "name var");
	r = cvb_var_lookup("shortTitle");
	CHECK(r.kind == CVB_VK_STR && r.idx == CVB_V_TITLE_SHORT, "alias");
	CHECK(cvb_var_lookup("nonsense").kind == CVB_VK_NONE, "unknown");
	CHECK(cvb_type_lookup("paper-conference") == CVB_T_PAPER_CONFERENCE, "type");
	CHECK(cvb_type_lookup("bogus") == CVB_T_NONE, "unknown type");
	cvbib_biblio_free(b);
}

static void
test_detect(void)
{
	CHECK(cvbib_format_detect("x.bib", "", 0) == CVBIB_FMT_BIBTEX, "by extension");
	CHECK(cvbib_format_detect("-", " [ {", 4) == CVBIB_FMT_CSLJSON, "json by content");
	CHECK(cvbib_format_detect("-", "% c\n@article{x,", 13) == CVBIB_FMT_BIBTEX, "bibtex by content");
	CHECK(cvbib_format_detect("-", "# CV\n\n## Publications\n", 22) == CVBIB_FMT_MARKDOWN, "markdown");
	CHECK(cvbib_format_lookup("csl-json") == CVBIB_FMT_CSLJSON, "alias");
	CHECK(cvbib_format_lookup("nope") == CVBIB_FMT_AUTO, "unknown format");
}

/* The public codes name what a reader found (issue 13). */
static void
test_diag_codes(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	static const char bad[] = "[{\"id\": \"x\", \"type\": 7}]";

	memset(&o, 0, sizeof(o));
	CHECK(b != NULL, "biblio");
	if (b == NULL)
		return;
	cvbib_read(b, bad, sizeof(bad) - 1, "x.json", CVBIB_FMT_CSLJSON, &o, &d);
	CHECK(d.n == 1 && d.v[0].code == CVBIB_D_JSON_BAD_TYPE, "JSON_BAD_TYPE");
	CHECK(d.n == 1 && strcmp(cvbib_diag_name(d.v[0].code), "JSON_BAD_TYPE") == 0, "its name");
	CHECK(strcmp(cvbib_diag_name(CVBIB_D_NOMEM), "NOMEM") == 0, "NOMEM");
	CHECK(cvbib_diag_name(CVBIB_D__COUNT) == NULL, "no such code");
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

/* cvb_link_label: which link texts only label their link (model.c) */
static void
test_link_labels(void)
{
	static const struct { const char *text; int want; const char *field; } c[] = {
		{ "PDF", 1, "pdf" }, { "**[PDF]**", 1, "pdf" }, { "Slides", 1, "slides" },
		{ "code", 1, "code" }, { "Project page", 1, "website" }, { "DOI", -1, NULL },
		{ "[Link]", -1, NULL }, { "URL:", -1, NULL }, { "Nature", 0, NULL },
		{ "10.1111/mcn.12393", 0, NULL }, { "Sevigny, Eric", 0, NULL }, { "", 0, NULL },
		{ "PDF of the full paper as published in the journal", 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int kind, r = cvb_link_label(c[i].text, strlen(c[i].text), &kind);

		CHECK(r == c[i].want, "'%s': %d, want %d", c[i].text, r, c[i].want);
		if (c[i].field != NULL)
			CHECK(r > 0 && kind >= 0 && strcmp(cvb_link_kinds[kind].field, c[i].field) == 0,
			    "'%s' names %s", c[i].text, c[i].field);
	}
}

/* cvb_item_add_name: order kept, O(1) appends, a replaced head walked again */
static void
test_add_name(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvb_item *it = b != NULL ? cvb_item_new(b, "t", 1, 1) : NULL;
	struct cvb_name *n, *other;
	size_t i, k;

	CHECK(it != NULL, "an item");
	if (it == NULL)
		return;
	for (i = 0; i < 100000; i++) {
		n = cvb_name_new(b);
		n->family = i == 0 ? "first" : i == 99999 ? "last" : "x";
		cvb_item_add_name(it, CVB_NV_AUTHOR, n);
	}
	for (k = 0, n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
		k++;
	CHECK(k == 100000, "100,000 names in the list: %zu", k);
	CHECK_STR(it->names[CVB_NV_AUTHOR]->family, "first");
	/* the head replaced by another list (a merge): appended at its end */
	other = cvb_name_new(b);
	other->family = "other";
	it->names[CVB_NV_AUTHOR] = other;
	n = cvb_name_new(b);
	n->family = "after";
	cvb_item_add_name(it, CVB_NV_AUTHOR, n);
	CHECK(other->next == n && n->next == NULL, "appended to the new list");
	/* a list appended through a copy of the item: still at the end */
	{
		struct cvb_item copy = *it;
		struct cvb_name *m = cvb_name_new(b), *e = cvb_name_new(b);

		cvb_item_add_name(&copy, CVB_NV_AUTHOR, m);
		cvb_item_add_name(it, CVB_NV_AUTHOR, e);
		CHECK(n->next == m && m->next == e && e->next == NULL, "shared list kept whole");
	}
	cvbib_biblio_free(b);
}

int
main(void)
{
	test_link_labels();
	test_add_name();
	test_buf();
	test_arena();
	test_srcmap();
	test_rich();
	test_dates_vars();
	test_detect();
	test_diag_codes();
	return check_report();
}
