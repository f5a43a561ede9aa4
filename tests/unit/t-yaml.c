/*
 * t-yaml.c - unit tests for the YAML tree (scalars, positions, aliases) and
 * for what the CV data readers put in the model beyond CSL-JSON (name flags,
 * CV markers, notes, selected, groups), which CSL-JSON output cannot show.
 */
#include <string.h>
#include <stdlib.h>
#include <jansson.h>
#include "cvb_int.h"
#include "check.h"

static cvbib_biblio *
read_str(const char *text, const char *file, struct cvbib_diags *d)
{
	cvbib_biblio *b = cvbib_biblio_new();

	cvbib_read(b, text, strlen(text), file, CVBIB_FMT_AUTO, NULL, d);
	return b;
}

static void
test_tree(void)
{
	static const char text[] =
	    "a: 007\n"			/* 1 */
	    "b: 1.10\n"
	    "c: 1.5\n"
	    "d: -12\n"
	    "e: yes\n"			/* 5 */
	    "f: ~\n"
	    "g: 'true'\n"
	    "h: true\n"
	    "i: !!str 12\n"
	    "j: [x, {k: v}]\n";		/* 10 */
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_ytree *t;
	json_t *r, *j;
	unsigned line, col;

	CHECK(cvb_ytree_load(&t, text, strlen(text), "t.yaml", &d) == 0 && t != NULL, "loads");
	if (t == NULL)
		return;
	r = cvb_ytree_doc(t, 0);
	CHECK(cvb_ytree_ndocs(t) == 1 && json_is_object(r), "one mapping");
	CHECK_STR(json_string_value(json_object_get(r, "a")), "007");
	CHECK_STR(json_string_value(json_object_get(r, "b")), "1.10");
	CHECK(json_is_real(json_object_get(r, "c")) && json_real_value(json_object_get(r, "c")) == 1.5, "1.5 is a number");
	CHECK(json_integer_value(json_object_get(r, "d")) == -12, "-12 is an integer");
	CHECK_STR(json_string_value(json_object_get(r, "e")), "yes");
	CHECK(json_is_null(json_object_get(r, "f")), "~ is null");
	CHECK_STR(json_string_value(json_object_get(r, "g")), "true");
	CHECK(json_is_true(json_object_get(r, "h")), "true is a boolean");
	CHECK_STR(json_string_value(json_object_get(r, "i")), "12");
	cvb_ytree_pos(t, r, "e", 0, &line, &col);
	CHECK(line == 5 && col == 1, "key e at 5:1, got %u:%u", line, col);
	j = json_object_get(r, "j");
	cvb_ytree_pos(t, j, NULL, 1, &line, &col);
	CHECK(line == 10 && col == 8, "element 2 of j at 10:8, got %u:%u", line, col);
	cvb_ytree_pos(t, json_array_get(j, 1), "k", 0, &line, &col);
	CHECK(line == 10 && col == 9, "key k at 10:9, got %u:%u", line, col);
	CHECK(d.n == 0, "no diagnostics");
	cvb_ytree_free(t);
	cvbib_diags_release(&d);
}

static void
test_aliases(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_buf bomb = CVB_BUF_INIT;
	struct cvb_ytree *t = NULL;
	int i, k;

	/* each level holds 10 aliases of the one before: 10^12 nodes expanded */
	cvb_buf_adds(&bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i <= 12; i++) {
		cvb_buf_addf(&bomb, "a%d: &a%d [", i, i);
		for (k = 0; k < 10; k++)
			cvb_buf_addf(&bomb, "%s*a%d", k ? ", " : "", i - 1);
		cvb_buf_adds(&bomb, "]\n");
	}
	CHECK(cvb_ytree_load(&t, bomb.buf, bomb.len, "bomb.yaml", &d) == -CVBIB_EINPUT,
	    "an alias bomb is refused");
	CHECK(d.n == 1 && d.v[0].code == CVBIB_D_YAML_ALIAS_LIMIT && d.v[0].line == 5,
	    "the limit is reported where it is passed (line %u)", d.n ? d.v[0].line : 0);
	cvb_ytree_free(t);
	cvbib_diags_release(&d);
	cvbib_buf_release(&bomb);
}

static struct cvb_name *
nth(struct cvb_name *n, int i)
{
	while (n != NULL && i-- > 0)
		n = n->next;
	return n;
}

static void
test_rendercv(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = read_str(
	    "cv:\n"
	    "  sections:\n"
	    "    Journal Articles:\n"
	    "    - title: T\n"
	    "      authors: ['**Jane Doe**', 'John Smith*', 'Ann Lee\xE2\x80\xA0', 'Maria de la Cruz', 'Plato', 'others', '*Ann Owner**']\n"
	    "      journal: ICLR 2021, Spotlight, Best Paper Award\n",
	    "cv.yaml", &d);
	struct cvb_item *it;
	struct cvb_name *a;

	CHECK(b->n == 1, "one publication");
	if (b->n != 1)
		goto out;
	it = b->items[0];
	a = it->names[CVB_NV_AUTHOR];
	CHECK_STR(it->group, "Journal Articles");
	CHECK(a != NULL && (a->flags & CVB_NF_HIGHLIGHT) && strcmp(a->family, "Doe") == 0, "bold is the CV owner");
	CHECK(nth(a, 1) && (nth(a, 1)->flags & CVB_NF_EQUAL) && strcmp(nth(a, 1)->marker, "*") == 0 &&
	    strcmp(nth(a, 1)->family, "Smith") == 0, "* is equal contribution");
	CHECK(nth(a, 2) && (nth(a, 2)->flags & CVB_NF_CORRESP), "dagger is corresponding");
	CHECK(nth(a, 3) && nth(a, 3)->non_dropping_particle && strcmp(nth(a, 3)->non_dropping_particle, "de la") == 0 &&
	    strcmp(nth(a, 3)->family, "Cruz") == 0 && strcmp(nth(a, 3)->given, "Maria") == 0, "particles");
	CHECK(nth(a, 4) && nth(a, 4)->literal && strcmp(nth(a, 4)->literal, "Plato") == 0, "mononym");
	CHECK(nth(a, 5) && (nth(a, 5)->flags & CVB_NF_OTHERS), "others");
	CHECK(nth(a, 6) && (nth(a, 6)->flags & CVB_NF_HIGHLIGHT) && (nth(a, 6)->flags & CVB_NF_EQUAL) &&
	    strcmp(nth(a, 6)->family, "Owner") == 0, "*italic* owner with an equal marker after it");
	CHECK((it->flags & CVB_IF_HAS_EQUAL) && (it->flags & CVB_IF_HAS_CORRESP), "item flags");
	CHECK(it->loc.line == 4 && it->loc.column == 7, "item at 4:7, got %u:%u", it->loc.line, it->loc.column);
	CHECK_STR(it->str[CVB_V_CONTAINER_TITLE], "ICLR 2021");
	CHECK(it->notes && it->notes->kind == CVB_NOTE_PRESENTATION && strcmp(it->notes->text, "Spotlight") == 0 &&
	    it->notes->next && it->notes->next->kind == CVB_NOTE_AWARD &&
	    strcmp(it->notes->next->text, "Best Paper Award") == 0 && it->notes->next->next == NULL &&
	    it->notes_tail == &it->notes->next->next, "venue notes in order");
out:
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
}

static void
test_hugo(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = read_str(
	    "---\n"
	    "title: P\n"
	    "authors: [admin, B One, C Two, D Three]\n"
	    "author_notes: [Equal contribution, Equal contribution, Corresponding author, Advisor]\n"
	    "featured: true\n"
	    "publication_types: ['7']\n"
	    "---\n"
	    "body\n", "index.md", &d);
	struct cvb_item *it;
	struct cvb_name *a;

	CHECK(b->n == 1, "one publication");
	if (b->n != 1)
		goto out;
	it = b->items[0];
	a = it->names[CVB_NV_AUTHOR];
	CHECK(it->type == CVB_T_THESIS, "old numeric type 7 is a thesis");
	CHECK(it->flags & CVB_IF_SELECTED, "featured is selected");
	CHECK(a && (a->flags & CVB_NF_HIGHLIGHT) && (a->flags & CVB_NF_EQUAL), "admin: owner, equal");
	CHECK(nth(a, 1) && (nth(a, 1)->flags & CVB_NF_EQUAL), "second equal");
	CHECK(nth(a, 2) && (nth(a, 2)->flags & CVB_NF_CORRESP), "corresponding");
	CHECK(it->notes && it->notes->kind == CVB_NOTE_OTHER && strcmp(it->notes->text, "Three: Advisor") == 0,
	    "other notes become item notes");
out:
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
}

static void
test_ids(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	cvbib_biblio *b = read_str(
	    "cv:\n"
	    "  sections:\n"
	    "    p:\n"
	    "    - {title: 'The Deep Learning of Things', authors: [Jane D\xC3\xB6" "e], date: 2021-03}\n"
	    "    - {title: 'The Deep Learning of Things', authors: [Jane D\xC3\xB6" "e], date: 2021-03}\n"
	    "    - {title: 'On', authors: [], date: Fall 2019}\n",
	    "cv.yaml", &d);

	CHECK(b->n == 3, "three entries");
	if (b->n == 3) {
		CHECK_STR(b->items[0]->id, "de2021deep");
		CHECK_STR(b->items[1]->id, "de2021deepa");
		CHECK_STR(b->items[2]->id, "2019");
	}
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
}

static void
test_write(void)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	cvbib_biblio *b = read_str("[{\"id\": \"x\", \"title\": \"no\", \"page\": \"12\", \"volume\": 12}]",
	    "x.json", &d);

	CHECK(cvbib_write(b, CVBIB_FMT_CSLYAML, NULL, &out, &d) == 0, "writes");
	CHECK(strstr(out.buf, "title: 'no'\n") != NULL, "a YAML 1.1 boolean word is quoted");
	CHECK(strstr(out.buf, "page: '12'\n") != NULL, "a string of digits is quoted");
	CHECK(strstr(out.buf, "volume: 12\n") != NULL, "a number is not");
	CHECK(strncmp(out.buf, "---\nreferences:\n", 16) == 0, "a pandoc metadata block");
	cvbib_buf_release(&out);
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
}

static void
test_markdown(void)
{
	static const char *const rich[] = {
		"*", "**", "a_b_", "_x", "x_", "snake_case_name", "<i> x</i>", "<i>a</i><b>b</b>",
		"<b>a</b>b<i>c</i>", "<sup>a b</sup>", "x<sup>2</sup>", "H<sub>2</sub>O", "1. Intro",
		"2) Two", "#tag", "- dash", "&amp; &#233; & AT&T", "back\\slash", "$5 and $6",
		"$E=mc^2$", "[x] [y](z)", "@ref and a@b.c", "x^2 and ~3", "`code`",
		"<span class=\"nocase\">a<i>b</i></span>", "<span style=\"font-variant:small-caps;\">Sc</span>",
		"<i>abc", "</i>abc", "a <b>bold <i>it</i></b>", "<i></i>", "<b>**</b>", "<i>*</i>",
		"<i>a\\</i>", "a < b > c", "'q' \"dq\" -- ...", "\xC3\xA9t\xC3\xA9 *", "<<i>x</i>>",
		"<span class=\"nocase\"><span class=\"nocase\">n</span></span>", "***", "_*_",
		"<i>a_</i>b", "<b>a</b>_b", "x<i>_y</i>",
		"<i>x <b>y</b> z</i>", "<i>x <i>y</i> z</i>", "<b>x <i>y</i></b>", "a--b", "a---b",
		"wait...", "....", "-", "--", "<b><i>x</i></b>",
		"<i>One <span style=\"font-style:normal;\">Three</span> Four</i>",
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(rich); i++) {
		struct cvb_buf md = CVB_BUF_INIT, back = CVB_BUF_INIT;

		cvb_md_from_rich(&md, rich[i]);
		cvb_md_to_rich(&back, md.buf, md.len);
		CHECK(strcmp(back.buf, rich[i]) == 0, "markdown round trip of \"%s\": via \"%s\" got \"%s\"",
		    rich[i], md.buf, back.buf);
		cvbib_buf_release(&md);
		cvbib_buf_release(&back);
	}
	{
		struct cvb_buf o = CVB_BUF_INIT;
		const char *in = "A *very* __bold__ ***both*** [link](http://x) `a*b*` $x^2$ &lt;tag&gt; 5 \\* 3";

		cvb_md_to_rich(&o, in, strlen(in));
		CHECK_STR(o.buf, "A <i>very</i> <b>bold</b> <b><i>both</i></b> link a*b* "
		    "<span class=\"nocase\">$x^2$</span> <tag> 5 * 3");
		cvbib_buf_release(&o);
	}
}

int
main(void)
{
	test_markdown();
	test_tree();
	test_aliases();
	test_rendercv();
	test_hugo();
	test_ids();
	test_write();
	return check_report();
}
