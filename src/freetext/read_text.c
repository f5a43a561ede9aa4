/*
 * read_text.c - free-text CVs (plain text, Markdown, HTML) into items.
 *
 * The document is first turned into lines with a little structure (heading
 * level, list marker, indentation, position in the source): Markdown and text
 * are read line by line, HTML through libxml2's HTML parser, whose blocks and
 * <br>s become lines.  Inline markup is cleaned on the way: Markdown emphasis
 * (kept as EMPH marks so that an emphasised title can be told apart),
 * escapes, links (the URL is kept), HTML tags and entities, mojibake (UTF-8
 * that was read as Windows-1252, repaired where the repair is unambiguous).
 *
 * Then the sections: a heading such as "Publications" or "Journal Articles"
 * opens a publication section and a heading such as "Teaching" closes it.
 * Inside, entries are list items (bulleted, numbered, [1]-style), or
 * paragraphs; wrapped lines are joined (with line-break hyphenation undone),
 * title/authors/venue on three lines are put back in reference order, and
 * numbered entries run together on one line are split apart.  Bullets nested
 * under an entry describe it and are skipped.  Each entry goes through
 * cvb_refparse() (refparse.c); one that cannot be parsed is kept as a raw
 * item with a warning.  The same title twice makes one item.
 *
 * This file owns nothing beyond one call: lines are malloc'd and freed here,
 * items live in the bibliography's arena.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "freetext/ft.h"

/* A short line naming an award or a presentation ("Best Paper Award", "Spotlight"). */
bool
ft_is_award_line(const char *s)
{
	return strlen(s) <= 80 && (cvb_names_award(s) || strcasestr(s, "spotlight") != NULL ||
	    strcasestr(s, "oral presentation") != NULL);
}

/* Is this line the start of another complete reference (for unmarked lists)? */
static bool
looks_new_ref(const struct tline *prev, const struct tline *t)
{
	size_t pl = strlen(prev->text), tl = strlen(t->text);
	char last = pl ? prev->text[pl - 1] : 0;

	if (pl < 40 || tl < 20)
		return false;
	if (!(last == '.' || last == ')' || isdigit((unsigned char)last)))
		return false;
	if (!isupper((unsigned char)t->text[0]) && (unsigned char)t->text[0] < 0xC0)
		return false;
	return cvb_ref_author_len(t->text, tl) > 0;
}

/* Is the entry's text so far its names and a year, and nothing else:
 * "Forsythe, A., Fontaine, N., ... Cheeptham, N. (2022)."? */
static bool
names_and_year(const struct entry *e)
{
	const char *s = e->text.buf;
	size_t n = cvb_ref_author_len(s, e->text.len), digits = 0, k;

	if (n == 0)
		return false;
	/* names on past an ellipsis or "&": "Ghosh, S., . . . Cheeptham, N." */
	for (;;) {
		for (k = n; k < e->text.len && strchr(" .,&", s[k]) != NULL; k++)
			;
		if (k >= e->text.len || cvb_ref_author_len(s + k, e->text.len - k) == 0)
			break;
		n = k + cvb_ref_author_len(s + k, e->text.len - k);
	}
	for (; n < e->text.len; n++) {
		if (isdigit((unsigned char)s[n]))
			digits++;
		else if (!strchr(" ().,;:&\n", s[n]) && !(s[n] == 'a' && n > 0 && isdigit((unsigned char)s[n - 1])))
			return false;
	}
	return digits == 4;
}

/* Add line t to entry e (a new one when e is empty). */
static void
entry_add(struct entry *e, const struct tline *t)
{
	if (e->text.len == 0) {
		e->date_first = ft_date_alone(t->text, NULL);
		e->list = t->list;
		e->num = t->num;
		e->indent = t->indent;
		e->line = t->lineno;
		e->col = t->col;
		e->nlines = 1;
		e->seg_line[0] = t->lineno;
		e->seg_col[0] = t->col;
		cvb_buf_adds(&e->text, t->text);
		return;
	}
	/* a line broken on purpose (<br>) ends a field: "Title<br>A. Smith" */
	if (t->brk) {
		size_t k = e->text.len;

		while (k > 0 && (e->text.buf[k - 1] == EMPH_CLOSE || e->text.buf[k - 1] == ' '))
			k--;
		if (k > 0 && !strchr(".,;:!?)]", e->text.buf[k - 1]))
			cvb_buf_addch(&e->text, '.');
	}
	cvb_buf_addch(&e->text, '\n');
	cvb_buf_adds(&e->text, t->text);
	if (e->nlines < MAXSEG) {
		e->seg_line[e->nlines] = t->lineno;
		e->seg_col[e->nlines] = t->col;
	}
	e->nlines++;
}

static int
read_lines(struct reader *R, struct lines *L)
{
	size_t i;
	int in_pubs = 0, pub_level = 0, any_heading = 0, any_pub = 0, skipping = 0;
	int saw_list = 0, after_blank = 1;
	struct entry e;

	memset(&e, 0, sizeof(e));
	e.text = (struct cvb_buf)CVB_BUF_INIT;
	for (i = 0; i < L->n; i++)
		if (L->v[i].heading) {
			any_heading = 1;
			if (ft_section_kind(L->v[i].text) > 0)
				any_pub = 1;
		}
	if (!any_heading || !any_pub) {
		/* a bare list of references (no headings): read it all */
		in_pubs = !any_heading;
	}
	for (i = 0; i < L->n && !R->err; i++) {
		struct tline *t = &L->v[i];

		if (t->heading) {
			int k = ft_section_kind(t->text);

			ft_finish_entry(R, &e);
			skipping = 0;
			if (k > 0) {
				in_pubs = 1;
				pub_level = t->heading;
				R->group = cvb_arena_strdup(&R->b->arena, t->text);
				if (R->group != NULL)
					ft_plain((char *)R->group);
				saw_list = 0;
			} else if (in_pubs && t->heading > pub_level && k == 0) {
				/* "2021" under "Publications" */
			} else
				in_pubs = 0;
			after_blank = 1;
			continue;
		}
		if (!in_pubs)
			continue;
		if (t->blank) {
			after_blank = 1;
			if (e.list == 0)
				ft_finish_entry(R, &e);
			continue;
		}
		if (t->list) {
			if (e.text.len > 0 && t->indent > e.indent + 1 && e.list) {
				skipping = 1;	/* a bullet describing the entry above */
				if (ft_is_award_line(t->text)) {
					/* "- Best Paper Award" under an entry is a note of it */
					cvb_buf_adds(&e.text, ". ");
					cvb_buf_adds(&e.text, t->text);
				}
				continue;
			}
			ft_finish_entry(R, &e);
			skipping = 0;
			saw_list = 1;
			entry_add(&e, t);
			after_blank = 0;
			continue;
		}
		if (skipping && t->indent > e.indent)
			continue;
		skipping = 0;
		if (e.text.len > 0 && e.list && after_blank) {
			/* a paragraph after a list item: its description */
			if (t->indent > e.indent)
				continue;
			ft_finish_entry(R, &e);
		}
		if (e.text.len > 0 && !after_blank && !t->brk && e.list == 0 && i > 0 &&
		    !L->v[i - 1].blank && looks_new_ref(&L->v[i - 1], t))
			ft_finish_entry(R, &e);
		if (e.text.len == 0) {
			if (saw_list && t->indent == 0 && after_blank && strlen(t->text) < 200 &&
			    !strchr(t->text, '.'))
				continue;	/* prose between lists */
			entry_add(&e, t);
			e.list = 0;
			e.num = 0;
		} else {
			cvb_buf_addch(&e.text, '\n');
			cvb_buf_adds(&e.text, t->text);
			if (e.nlines < MAXSEG) {
				e.seg_line[e.nlines] = t->lineno;
				e.seg_col[e.nlines] = t->col;
			}
			e.nlines++;
		}
		after_blank = 0;
	}
	ft_finish_entry(R, &e);
	cvbib_buf_release(&e.text);
	return R->err ? -CVBIB_ENOMEM : 0;
}


/*
 * Is line i the wrapped rest of the line before it, whatever the segmenter
 * said?  Not a list item, no blank line between (but for a word broken at a
 * hyphen, below), and the line before stops
 * mid-sentence: on a lower-case letter, a comma or a hyphen, with this line
 * going on in lower case, or on "and" (a list of names broken at "and").
 */
bool
ft_wrapped_after(const struct lines *L, size_t i)
{
	const struct tline *t = &L->v[i], *p;
	size_t n;
	unsigned char last, first;

	size_t k = i;

	if (i == 0 || t->list || t->heading || t->text == NULL)
		return false;
	/* blank lines between (a page or column break in PDF text) only
	 * after a word broken at a hyphen: "evidence for re-" ... "combination" */
	while (k > 0 && k + 2 > i && L->v[k - 1].blank)
		k--;
	if (k == 0 || L->v[k - 1].blank || L->v[k - 1].text == NULL)
		return false;
	p = &L->v[k - 1];
	n = strlen(p->text);
	if (n < 30)
		return false;
	last = (unsigned char)p->text[n - 1];
	first = (unsigned char)t->text[0];
	if (k < i)
		return last == '-' && islower((unsigned char)p->text[n - 2]) && islower(first);
	if (n >= 4 && strcmp(p->text + n - 4, " and") == 0)
		return true;
	return (islower(last) || last == ',' || last == '-') && islower(first);
}

/* The heading text without EMPH marks, in the arena: an entry's group. */
static const char *
group_of(struct reader *R, const struct lines *L, long sec)
{
	char *g;

	/* a year heading ("2023" under "Publications") gives the year, not the group */
	while (sec >= 0 && ft_line_year(&L->v[sec]) > 0) {
		long up = L->v[sec].sec;

		while (up >= 0 && L->v[up].heading >= L->v[sec].heading)
			up = L->v[up].sec;
		if (up < 0)
			break;
		sec = up;
	}
	if (sec < 0)
		return NULL;
	g = cvb_arena_strdup(&R->b->arena, L->v[sec].text);
	if (g != NULL) {
		size_t n, k, words = 1;

		ft_plain(g);
		/* "Publications:" is "Publications"; a sentence that introduces
		 * the list ("Here is a list of my papers:") names no group */
		n = strlen(g);
		while (n > 0 && (g[n - 1] == ':' || g[n - 1] == ' '))
			g[--n] = '\0';
		for (k = 0; k < n; k++)
			words += g[k] == ' ';
		if (n == 0 || (words > 6 && L->v[sec].heading == 6))
			g = NULL;
	}
	return g;
}

/* An item of the list the entries are in, left out: said, not silently. */
static void
say_skipped(struct reader *R, const struct entry *e, const struct tline *t)
{
	struct cvb_buf p = CVB_BUF_INIT;

	if (!t->list || e->text.len == 0 || e->list != t->list || t->indent != e->indent ||
	    t->text == NULL)
		return;
	cvb_buf_adds(&p, t->text);
	if (p.buf != NULL) {
		ft_plain(p.buf);
		cvb_diag(R->d, CVB_D_TEXT_ITEM_SKIPPED, R->file, t->lineno, t->col, "%.*s%s",
		    (int)cvb_utf8_prefix(p.buf, 60), p.buf, strlen(p.buf) > 60 ? "..." : "");
	}
	cvbib_buf_release(&p);
}

/*
 * A heading that is an entry's title: web pages that set each publication as
 * a card with its title as a heading (<h3>Title</h3><p>A. Author, B.
 * Author</p><p>Venue 2024</p>).  The heading is three words or more and no
 * section name, and the next line is a list of names and nothing else.
 * Returns the index of that line, or 0.
 */
static size_t
title_heading(const struct lines *L, const char *label, size_t i)
{
	const struct tline *t = &L->v[i];
	size_t j, n, used, words = 1;
	const char *p;
	int names;

	if (t->heading == 0 || t->text == NULL || ft_section_kind(t->text) != 0 || ft_line_year(t) > 0)
		return 0;
	for (p = t->text; *p; p++)
		words += *p == ' ';
	if (words < 3 || strlen(t->text) < 20)
		return 0;
	for (j = i + 1; j < L->n && (L->v[j].blank || L->v[j].text == NULL || label[j] == 0); j++)
		;
	if (j >= L->n || L->v[j].heading || L->v[j].list)
		return 0;
	n = strlen(L->v[j].text);
	used = cvb_ref_names_at(L->v[j].text, n, &names);
	return names > 0 && used + 2 >= n ? j : 0;
}

/*
 * The entries as the segmenter labelled them: S starts one, C continues it,
 * A (a note or award under it) is added when it names an award and skipped
 * otherwise, H and O end it.
 */
/* Has s a year (1900-2099) standing alone? */
static bool
has_year(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) && (strncmp(p, "19", 2) == 0 ||
		    strncmp(p, "20", 2) == 0) && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    !isalnum((unsigned char)p[4]))
			return true;
	return false;
}

/* Has s a year (1900-2099) or a link or identifier (http, doi, arXiv)? */
static bool
dated_or_linked(const char *s)
{
	return strstr(s, "http") != NULL || strcasestr(s, "doi") != NULL || strcasestr(s, "arxiv") != NULL ||
	    has_year(s);
}

/*
 * A list says where its entries start (and that its items are alike, below):
 * between item n and the item numbered
 * next (n + 1, or n - 1 counting down; for bullets, the next bullet as far
 * in) in the same section, a line without a marker that the segmenter took
 * for an entry's start goes on with item n ("[1] A, B. Title, in Proceedings, S.K.\nSeritan and B.W. Reuter,
 * eds., ...": the names opening the second line are editors, not a new entry).
 */
void
ft_list_runs(const struct lines *L, char *label)
{
	size_t i, j, k;

	for (i = 0; i < L->n; i++) {
		const struct tline *t = &L->v[i];

		if (label[i] != 'S' || t->list == 0 || (t->list != 1 && t->num <= 0))
			continue;
		/* within an entry's reach (MAXSEG lines): linear time on any list */
		for (j = i + 1; j < L->n && j <= i + MAXSEG; j++) {
			const struct tline *u = &L->v[j];

			if (label[j] == 'H' || u->heading || u->sec != t->sec)
				break;
			if (u->list == t->list && (t->list == 1 ? u->indent == t->indent :
			    u->num == t->num + 1 || u->num == t->num - 1))
				break;
		}
		if (j >= L->n || j > i + MAXSEG || label[j] == 'H' || L->v[j].heading || L->v[j].sec != t->sec)
			continue;
		for (k = i + 1; k < j; k++)
			if (label[k] == 'S' && L->v[k].list == 0)
				label[k] = 'C';
	}
	/* a list is of one kind: where most of a section's items (four or
	 * more, as far in) start entries, a long item called other text does
	 * if it has a year or a link.  The items of each section (its lines
	 * are consecutive) counted once per kind and indentation. */
	for (i = 0; i < L->n; i = j) {
		struct { int list, indent; size_t items, starts; } *key = NULL;
		size_t nkey = 0;

		for (j = i; j < L->n && L->v[j].sec == L->v[i].sec; j++)
			;
		for (k = i; k < j; k++) {
			const struct tline *u = &L->v[k];
			size_t q;

			if (u->list == 0 || u->blank)
				continue;
			for (q = 0; q < nkey && !(key[q].list == u->list && key[q].indent == u->indent); q++)
				;
			if (q == nkey) {
				void *nk = realloc(key, (nkey + 1) * sizeof(*key));

				if (nk == NULL)
					break;	/* out of memory: the labels stay the segmenter's */
				key = nk;
				key[nkey].list = u->list;
				key[nkey].indent = u->indent;
				key[nkey].items = key[nkey].starts = 0;
				nkey++;
			}
			key[q].items++;
			key[q].starts += label[k] == 'S';
		}
		for (k = i; k < j && nkey > 0; k++) {
			const struct tline *t = &L->v[k];
			size_t q;

			if (t->list == 0 || label[k] != 'O' || t->text == NULL || strlen(t->text) < 40 ||
			    !dated_or_linked(t->text))
				continue;
			for (q = 0; q < nkey && !(key[q].list == t->list && key[q].indent == t->indent); q++)
				;
			if (q < nkey && key[q].items >= 4 && key[q].starts * 5 >= key[q].items * 3) {
				label[k] = 'S';
				key[q].starts++;
			}
		}
		free(key);
	}
}

/*
 * A line of another section that is a citation all the same: it opens with
 * a list of two names or more, sets a title off (emphasis or quotes) after
 * them, and has a year, a status or a link ("Yayi Zou, Xiaoqi Lu, **Gradient-EM
 * Bayesian Meta-learning**, (**Accepted to NeurIPS 2020**) https://...",
 * under "Research Experience").
 */
bool
ft_cited_line(const struct tline *t)
{
	char *plain;
	size_t n, used, u, k;
	int names;
	bool ok = false, sep = false;

	if (t->text == NULL || t->heading || (n = strlen(t->text)) < 40 || n > 400)
		return false;
	if ((plain = strdup(t->text)) == NULL)
		return false;
	ft_plain(plain);
	{
		/* the names end where the emphasis opens: "Yayi Zou, Tony Qin,
		 * *Value-based Learning and Traffic Control*" names two */
		const char *em = strchr(t->text, EMPH_OPEN);
		size_t lim = strlen(plain);
		char *pre;

		if (em != NULL && em > t->text && (pre = strndup(t->text, (size_t)(em - t->text))) != NULL) {
			ft_plain(pre);
			if (strlen(pre) < lim)
				lim = strlen(pre);
			free(pre);
		}
		used = cvb_ref_names_at(plain, lim, &names);
	}
	/* names apart by commas, or with initials: not "Technical Editor and
	 * Electronic Resources Editor, *Journal of ...*" */
	for (u = used; u > 0 && strchr(" ,.;", plain[u - 1]) != NULL; u--)
		;
	for (k = 0; names >= 2 && k + 1 < u && !sep; k++)
		sep = plain[k] == ',' || plain[k] == ';' || (isupper((unsigned char)plain[k]) &&
		    plain[k + 1] == '.' && (k == 0 || plain[k - 1] == ' '));
	if (names >= 2 && sep && used >= 8 && used < strlen(plain)) {
		const char *rest = plain + used;
		const char *mark = NULL;

		/* the title set off after the names */
		for (k = 0; t->text[k] != '\0' && mark == NULL; k++)
			if (t->text[k] == EMPH_OPEN && k >= used / 2)
				mark = t->text + k;
		if (mark == NULL && (strchr(rest, '"') != NULL || strstr(rest, "\xE2\x80\x9C") != NULL))
			mark = rest;
		for (k = 0; mark != NULL && rest[k] != '\0' && !ok; k++)
			ok = (isdigit((unsigned char)rest[k]) && strlen(rest + k) >= 4 &&
			    (strncmp(rest + k, "19", 2) == 0 || strncmp(rest + k, "20", 2) == 0) &&
			    isdigit((unsigned char)rest[k + 2]) && isdigit((unsigned char)rest[k + 3]) &&
			    (k == 0 || !isalnum((unsigned char)rest[k - 1]))) ||
			    strncmp(rest + k, "http", 4) == 0;
		if (!ok && mark != NULL) {
			for (k = 0; rest[k] != '\0' && !ok; k++) {
				size_t l;

				ok = (k == 0 || !isalpha((unsigned char)rest[k - 1])) &&
				    cvb_status_of(rest + k, strlen(rest + k), &l) != NULL;
			}
		}
	}
	free(plain);
	return ok;
}

/* Is heading h right above heading k, with only blank lines between? */
static bool
heading_over(const struct lines *L, long h, long k)
{
	long i;

	for (i = h + 1; i < k; i++)
		if (!L->v[i].blank && L->v[i].text != NULL)
			return false;
	return true;
}

/* Is line sec the page's title: a first-level heading that is the
 * document's first line? */
static bool
page_title(const struct lines *L, long sec)
{
	size_t i;

	for (i = 0; i < L->n && (L->v[i].blank || L->v[i].text == NULL); i++)
		;
	return (long)i == sec && L->v[sec].heading == 1;
}

/* Is line t under a publications heading, and under none of another
 * section ("Conference Papers" under "Presentations" is not)? */
static bool
in_pubs(const struct lines *L, const struct tline *t)
{
	long sec;
	bool pubs = false;

	for (sec = t->sec; sec >= 0;) {
		int k = L->v[sec].text != NULL ? ft_section_kind(L->v[sec].text) : 0;
		long up = L->v[sec].sec;

		/* the page's own title ("About", the front matter's) over the
		 * publications heading names the page, not a section holding it */
		if (k < 0 && !(pubs && up < 0 && page_title(L, sec)))
			return false;
		pubs = pubs || k > 0;
		/* the heading this one is under: a level above it, or one right
		 * above it with nothing between ("PRESENTATIONS" over "Conference
		 * Papers" in plain text, where both are of one level) */
		if (!(up >= 0 && heading_over(L, up, sec)))
			while (up >= 0 && L->v[up].heading >= L->v[sec].heading)
				up = L->v[up].sec;
		sec = up;
	}
	return pubs;
}

/* Is s the label of an entry's abstract ("Abstract", "**Summary:**", a
 * <details> block's <summary>), or an abstract it opens ("Abstract: We
 * study ...")? */
static bool
abstract_line(const char *s)
{
	static const char *const w[] = { "abstract", "summary", NULL };
	size_t k, l;

	while (*s == ' ' || *s == '*' || (unsigned char)*s == EMPH_OPEN)
		s++;
	for (k = 0; w[k] != NULL; k++) {
		l = strlen(w[k]);
		if (strncasecmp(s, w[k], l) != 0 || isalpha((unsigned char)s[l]))
			continue;
		s += l;
		while (*s == ' ' || *s == '*' || (unsigned char)*s == EMPH_CLOSE || *s == ':')
			s++;
		return *s == '\0' || s[-1] == ':';
	}
	return false;
}

/* Does s end a sentence (a full stop, not an abbreviation's colon or a bare word)? */
static bool
sentence_end(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n > 1 && s[n - 1] == '.' && s[n - 2] != '.';
}

/*
 * Is line i a date set apart as a block of its own (a blank line above and
 * below it: a margin column's date, "2025", level with the first entry of
 * its year) with an entry starting right under it?  It is then the year of
 * the entries under it, as a year heading is, not a part of an entry.  (A
 * date that opens a card has the card's lines under it, not an entry.)
 */
static bool
date_block(const struct lines *L, const char *label, size_t i)
{
	size_t k;

	if (!ft_date_alone(L->v[i].text, NULL) || i == 0 || !L->v[i - 1].blank ||
	    i + 1 >= L->n || !L->v[i + 1].blank)
		return false;
	for (k = i + 1; k < L->n && (L->v[k].blank || label[k] == 0); k++)
		;
	return k < L->n && label[k] == 'S';
}

/*
 * Is line t under a heading that names a thesis ("Thesis", "Ph.D.
 * Dissertation", "Theses"), the nearest heading or the one over it, and a
 * sentence of four words or more with a link or a year?  Then it is the
 * thesis: its author is the CV's owner, so a title and a link are all of
 * it ("Hexagonal Grids in Hydrological Modeling. [URL](http://hdl...)").
 */
static bool
thesis_line(const struct lines *L, const struct tline *t)
{
	long sec;
	int up, words = 1;
	const char *p;

	if (t->text == NULL || t->heading || strlen(t->text) > 300 || !dated_or_linked(t->text))
		return false;
	for (p = t->text; *p; p++)
		words += *p == ' ' && p[1] != ' ' && p[1] != '\0';
	if (words < 4)
		return false;
	for (sec = t->sec, up = 0; sec >= 0 && up < 2; sec = L->v[sec].sec, up++) {
		const char *h = L->v[sec].text;

		if (h != NULL && ft_names_thesis(h) && strlen(h) < 60)
			return true;
	}
	return false;
}

/*
 * Is line i, labelled an entry's start, a note on the entry above instead:
 * no list item, no year, no names at its start, and the next line (none blank between)
 * no continuation of it (a title's names would be)?
 */
bool
ft_annotation_line(const struct lines *L, const char *label, size_t i)
{
	const struct tline *t = &L->v[i];
	char *plain;
	int names = 0;
	size_t j;

	if (t->text == NULL || t->heading || t->list || has_year(t->text))
		return false;
	for (j = i + 1; j < L->n && (L->v[j].blank || label[j] == 0); j++)
		;
	if (j < L->n && label[j] == 'C')
		return false;
	if ((plain = strdup(t->text)) == NULL)
		return false;
	ft_plain(plain);
	(void)cvb_ref_names_at(plain, strlen(plain), &names);
	free(plain);
	return names == 0;
}

static int
read_segmented(struct reader *R, struct lines *L, const char *label, const double *conf)
{
	struct entry e;
	size_t i;
	long esec = -2, year_line = -1, prev_line = -1, force_c = -1, card_line = -1, pubs_sec = -2;
	long added = -1;	/* the last line added to the entry */
	size_t names_after;
	enum cvb_type card_type = CVB_T_NONE;
	bool pubs = false, next_card = false;
	int in_abstract = 0;	/* 2: right under an abstract's label, 1: in the abstract */
	int my;

	memset(&e, 0, sizeof(e));
	e.text = (struct cvb_buf)CVB_BUF_INIT;
	R->conf = 1.0;
	for (i = 0; i < L->n && !R->err; i++) {
		struct tline *t = &L->v[i];
		char lb = label[i];

		if (t->blank || lb == 0)
			continue;
		if (lb == 'H' && (names_after = title_heading(L, label, i)) > 0) {
			/* a card's title: an entry starts, its names go on with it, and
			 * the lines under the heading belong to the section above it */
			size_t k;

			for (k = i + 1; k < L->n && (L->v[k].sec == (long)i || L->v[k].blank); k++)
				if (L->v[k].sec == (long)i)
					L->v[k].sec = t->sec;
			lb = 'S';
			force_c = (long)names_after;
			/* the card's label right over its title: "Conference Paper" */
			for (k = i; k > 0 && L->v[k - 1].blank; k--)
				;
			card_type = k > 0 && label[k - 1] != 'S' && label[k - 1] != 'C' &&
			    !L->v[k - 1].heading ? ft_type_label(L->v[k - 1].text) : CVB_T_NONE;
		} else if (force_c == (long)i && e.text.len > 0)
			lb = 'C';
		/* a year alone taken for an entry's start, right over a line that
		 * opens with the names and goes on with the rest of a citation,
		 * is the margin's year ("2019" / "Doe JQ, S Roe. “Title.” J. ...");
		 * where dates lead cards, the names stand on a line of their own */
		if (lb == 'S' && !t->heading && t->text != NULL && ft_date_alone(t->text, NULL)) {
			size_t j, al, tl;

			for (j = i + 1; j < L->n && (L->v[j].blank || L->v[j].text == NULL); j++)
				;
			if (j < L->n && (label[j] == 'C' || label[j] == 'S') && (tl = strlen(L->v[j].text)) > 0 &&
			    (al = cvb_ref_author_len(L->v[j].text, tl)) >= 8 && al + 20 < tl)
				lb = 'O';
		}
		if (!t->heading && t->text != NULL && ft_markup_line(t->text, &my)) {
			/* LaTeX markup with no text ("\\end{cvitems}}") is no part
			 * of an entry; holding a year, it is a year line */
			if (my == 0)
				continue;
			lb = 'O';
		}
		if ((lb == 'S' || lb == 'C') && !t->heading && t->text != NULL && date_block(L, label, i))
			lb = 'O';
		/* a short line of plain text taken for a heading that ends a
		 * sentence right under an entry that lacks its venue is the venue
		 * ("Scientific Reports."): headings end with no full stop */
		if (lb == 'H' && R->kind == CVB_TK_TEXT && e.text.len > 0 && i > 0 && !L->v[i - 1].blank &&
		    added == (long)i - 1 && !t->list && sentence_end(t->text) &&
		    ft_continues(R, &e, t->text, false))
			lb = 'C';
		if (lb == 'H' || lb == 'O') {
			int y = ft_line_year(t);

			/* a heading right under a year heading, no deeper than
			 * it, is within the year ("### 2023" / "### Ph.D. Thesis") */
			if (y < 0 && year_line >= 0 && year_line == prev_line && L->v[year_line].heading &&
			    t->heading && L->v[year_line].heading <= t->heading) {
				ft_finish_entry(R, &e);
				y = 0;
			}
			if (y != 0) {
				ft_finish_entry(R, &e);
				/* years one under the other ("2024", "2023", "2022": a
				 * margin column read apart from its entries) say nothing
				 * of the entries after them */
				R->ctx_year = y > 0 && !(year_line >= 0 && year_line == prev_line) ? y : 0;
				/* a heading that is no year ends the year's scope and
				 * is not a year of such a column */
				year_line = y > 0 ? (long)i : -1;
			}
		}
		if (lb == 'O' && ft_cited_line(t))
			lb = 'S';
		else if (lb == 'O') {
			if (t->sec != pubs_sec) {
				/* once per section: its headings are walked once */
				pubs = in_pubs(L, t);
				pubs_sec = t->sec;
			}
			if (pubs && (ft_reference_line(R, t->text) || thesis_line(L, t) ||
			    (t->list && ft_listed_reference(R, t->text))))
				lb = 'S';
		}
		if (t->text != NULL)
			prev_line = (long)i;
		if (lb == 'C' && e.text.len == 0)
			lb = 'S';
		if ((lb == 'S' || lb == 'O') && e.text.len > 0 && ft_wrapped_after(L, i))
			lb = 'C';
		/* the venue, or the rest of the names, on a line of its own right
		 * under an entry that lacks them */
		if ((lb == 'S' || lb == 'O') && e.text.len > 0 && !t->list && i > 0 &&
		    strlen(t->text) <= 200) {
			bool card = force_c >= 0 && card_line == force_c;

			if (((!L->v[i - 1].blank && (label[i - 1] == 'S' || label[i - 1] == 'C')) || card) &&
			    ft_continues(R, &e, t->text, card))
				lb = 'C';
		}
		if (lb == 'S' || lb == 'C' || lb == 'H' || lb == 'O')
			card_line = (long)i;
		/* where the entry opened with a date alone, so does the next
		 * one: the dates lead the cards ("10/22", names, venue, title) */
		if (lb == 'C' && e.text.len > 0 && e.date_first && e.nlines > 1 &&
		    ft_date_alone(t->text, NULL))
			lb = 'S';
		/* in cards that open with their date, names after two lines or
		 * more of venue and title open the next card, whose date was
		 * set apart from it (two columns read one after the other) */
		else if (lb == 'C' && e.date_first && !t->list && ft_names_line(t->text, strlen(t->text)) &&
		    ft_lines_after_names(&e) >= 2) {
			lb = 'S';
			next_card = true;
		}
		/* a line right under a list item's line, itself no item, goes on
		 * with the item: in Markdown (a lazy continuation line), and
		 * under a numbered item ("[4] Smith, J. Title, in" / "Parks, eds.") */
		if (lb == 'S' && e.text.len > 0 && (R->kind == CVB_TK_MARKDOWN ? e.list : e.list >= 2) &&
		    !t->list && !t->heading && added == (long)i - 1)
			lb = 'C';
		/* an item that has only its names and year so far goes on after
		 * a blank line (a PDF's line spacing): "Smith, J. (2022)." */
		if ((lb == 'S' || lb == 'O') && e.text.len > 0 && e.list && !t->list && !t->heading &&
		    i > 0 && L->v[i - 1].blank && added == (long)i - 2 && names_and_year(&e))
			lb = 'C';
		/* after a blank line, a line that is a whole citation by itself
		 * is one: paragraphs of references, one after the other */
		if (lb == 'C' && e.text.len > 0 && i > 0 && L->v[i - 1].blank && !t->list &&
		    ft_reference_line(R, t->text))
			lb = 'S';
		/* a list item beside the entry's own (not nested under it) is another item */
		if (lb == 'C' && e.text.len > 0 && t->list && e.list && t->indent <= e.indent + 1)
			lb = 'S';
		/* a line that opens no entry of its own under a whole entry: no
		 * names, no year, and no names under it ("Discussed in the
		 * Online Reading Group https://..." under a paper's venue line) */
		if (lb == 'S' && label[i] == 'S' && e.text.len > 0 && added >= 0 && added + 1 == (long)i &&
		    ft_annotation_line(L, label, i))
			lb = 'A';
		/* an abstract under an entry, after its label ("Abstract", a
		 * <details> block's summary), is no part of it */
		if (t->text != NULL) {
			bool label_line = abstract_line(t->text);

			if (label_line || (!t->heading && label[i] != 'H' && (in_abstract == 2 ||
			    (in_abstract == 1 && (label[i] == 'C' || label[i] == 'A'))))) {
				if (lb == 'C' || lb == 'S')
					lb = 'A';
				/* under the label, the next line is the abstract,
				 * whatever it looks like */
				in_abstract = label_line ? 2 : 1;
			} else
				in_abstract = 0;
		}
		switch (lb) {
		case 'S':
			ft_finish_entry(R, &e);
			R->conf = conf[i];
			if (esec != t->sec) {
				R->group = group_of(R, L, t->sec);
				R->sec_refshare = ft_section_refshare(L, t->sec);
			}
			esec = t->sec;
			entry_add(&e, t);
			t->taken = 1;
			e.card = next_card;
			next_card = false;
			e.card_type = card_type;
			card_type = CVB_T_NONE;
			added = (long)i;
			break;
		case 'C':
			if (force_c == (long)i && e.text.len > 0 &&
			    !strchr(".,;:!?", e.text.buf[e.text.len - 1]))
				cvb_buf_addch(&e.text, '.');	/* the card's title ends */
			entry_add(&e, t);
			t->taken = 1;
			added = (long)i;
			if (conf[i] < R->conf)
				R->conf = conf[i];
			break;
		case 'A':
			t->taken = 1;
			if (e.text.len > 0 && ft_is_award_line(t->text)) {
				cvb_buf_adds(&e.text, ". ");
				cvb_buf_adds(&e.text, t->text);
			} else
				say_skipped(R, &e, t);
			break;
		default:
			say_skipped(R, &e, t);
			ft_finish_entry(R, &e);
			break;
		}
	}
	ft_finish_entry(R, &e);
	cvbib_buf_release(&e.text);
	return R->err ? -CVBIB_ENOMEM : 0;
}

/* The items from index from on in the order of their lines in the document
 * (the blocks read after the segmented entries go back to their places),
 * their input order (seq) with them. */
static void
in_document_order(cvbib_biblio *b, size_t from)
{
	size_t i, j;

	for (i = from + 1; i < b->n; i++)
		for (j = i; j > from; j--) {
			struct cvb_item *x = b->items[j - 1], *y = b->items[j];
			size_t sq;

			if (x->loc.line < y->loc.line || (x->loc.line == y->loc.line && x->loc.column <= y->loc.column))
				break;
			b->items[j - 1] = y;
			b->items[j] = x;
			sq = x->seq;
			x->seq = y->seq;
			y->seq = sq;
		}
}

/*
 * Lines [i, n) of L, joined, as one entry if they read as a listed citation
 * (with year, when it is > 0: the year of a margin line above them).
 */
static bool
block_entry(struct reader *R, struct lines *L, size_t i, size_t n, int year, struct cvb_buf *j,
    struct entry *e)
{
	size_t k;
	bool ok;

	cvb_buf_setlen(j, 0);
	for (k = i; k < n; k++) {
		if (k > i)
			cvb_buf_addch(j, ' ');
		cvb_buf_adds(j, L->v[k].text);
	}
	if (year > 0)
		cvb_buf_addf(j, " %d.", year);
	ok = !j->err && ft_listed_reference(R, j->buf);
	if (!ok)
		return false;
	R->group = group_of(R, L, L->v[i].sec);
	R->sec_refshare = ft_section_refshare(L, L->v[i].sec);
	R->conf = 0.6;
	R->ctx_year = year;
	for (k = i; k < n; k++)
		entry_add(e, &L->v[k]);
	ft_finish_entry(R, e);
	R->ctx_year = 0;
	return true;
}

/*
 * The blocks the segmenter left out under a publications heading (lines with
 * no blank line between them, none of them part of an entry: two to six, a
 * title, names and venue on lines of their own, as web pages set them with
 * <br>; one will do when it found no entry at all) that read as a listed
 * citation are entries, with the year of a margin line set apart above them
 * when they print none.  The segmenter learnt from CVs with more entries and
 * more context than a small page has.
 */
static int
read_blocks(struct reader *R, struct lines *L, bool none)
{
	struct entry e;
	struct cvb_buf j = CVB_BUF_INIT;
	size_t i = 0, k, n;
	int year = 0;

	memset(&e, 0, sizeof(e));
	e.text = (struct cvb_buf)CVB_BUF_INIT;
	while (i < L->n && !R->err) {
		const struct tline *t = &L->v[i];

		if (t->blank || t->text == NULL || t->heading) {
			if (t->heading)
				year = 0;
			i++;
			continue;
		}
		for (n = i, k = 0; n < L->n && !L->v[n].blank && L->v[n].text != NULL && !L->v[n].heading; n++)
			k += L->v[n].taken;
		if (k == 0 && n - i <= 6 && (none || n - i >= 2) && in_pubs(L, t) &&
		    (block_entry(R, L, i, n, 0, &j, &e) ||
		    (year > 0 && block_entry(R, L, i, n, year, &j, &e)))) {
			year = 0;
			i = n;
			continue;
		}
		/* a year alone, set apart (a margin column): the year of the
		 * block right after it, if that prints none */
		year = n == i + 1 ? ft_line_year(t) : 0;
		i = n;
	}
	cvbib_buf_release(&j);
	cvbib_buf_release(&e.text);
	return R->err ? -CVBIB_ENOMEM : 0;
}

int
cvb_read_text_kind(cvbib_biblio *b, const char *data, size_t len, const char *file,
    enum cvb_textkind kind, const struct cvbib_options *o, struct cvbib_diags *d)
{
	return ft_read_text_model(b, data, len, file, kind, o, d, NULL);
}

/*
 * The CV's own legend of the equal-contribution marker is the CV's words:
 * kept with the first entry it explains, as the extra field cv-legend, so
 * that it goes through every data format and the CV list of any of them
 * ends with it (cv.c).
 */
static void
keep_legend(cvbib_biblio *b, size_t first)
{
	size_t i;

	if (b->equal_legend == NULL)
		return;
	for (i = first; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		const struct cvb_name *n;

		if (cvb_item_extra(it, "cv-legend") != NULL)
			return;
		for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
			if (n->flags & CVB_NF_EQUAL) {
				cvb_item_add_field(b, it, "cv-legend", b->equal_legend, 0);
				return;
			}
	}
}

int
ft_read_text_model(cvbib_biblio *b, const char *data, size_t len, const char *file,
    enum cvb_textkind kind, const struct cvbib_options *o, struct cvbib_diags *d,
    const struct cvb_seq_model *model)
{
	struct lines L;
	struct reader R;
	size_t before = b->n;
	int rc = 0;

	memset(&L, 0, sizeof(L));
	memset(&R, 0, sizeof(R));
	rc = ft_doc_build(&L, data, len, file, kind, d);
	if (rc == 0 && L.err)
		rc = -CVBIB_ENOMEM;
	if (rc == 0) {
		R.b = b;
		R.conf = 1.0;
		R.sec_refshare = 1.0;
		R.file = file;
		R.d = d;
		ft_find_legend(&L, &R.ctx, b);
		R.ctx.explain = o != NULL && o->explain;
		R.kind = kind;
		if (model == NULL)
			model = ft_seg_builtin();
		if (model != NULL) {
			char *label = malloc(L.n + 1);
			double *conf = malloc((L.n + 1) * sizeof(*conf));

			if (label == NULL || conf == NULL || ft_segment(&L, model, label, conf) < 0)
				rc = -CVBIB_ENOMEM;
			else {
				ft_list_runs(&L, label);
				rc = read_segmented(&R, &L, label, conf);
				if (rc == 0) {
					size_t seg = b->n;

					rc = read_blocks(&R, &L, b->n == before);
					if (b->n > seg)
						in_document_order(b, before);
				}
			}
			free(label);
			free(conf);
		} else
			rc = read_lines(&R, &L);	/* a build without a model */
	}
	if (rc == 0 && (o == NULL || o->highlight == NULL))
		ft_mark_owner(&R, before);	/* as --highlight does, when none is given */
	if (rc == 0)
		keep_legend(b, before);
	ft_reader_free(&R);
	ft_lines_free(&L);
	if (rc == -CVBIB_ENOMEM)
		cvb_diag(d, CVB_D_NOMEM, file, 0, 0, NULL);
	else if (rc == 0 && b->n == before)
		cvb_diag(d, CVB_D_TEXT_NO_PUBS, file, 0, 0, NULL);
	return rc;
}
