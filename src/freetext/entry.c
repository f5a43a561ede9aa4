/*
 * entry.c - one entry's text into one item: lines joined, emphasis resolved,
 * three-line entries reordered, run-together numbered entries split, then
 * cvb_refparse(); ids and duplicates.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"
#include "freetext/ft.h"

/* ---------------------------------------------------------------- entries */

/* Lower-case letters and digits of a title, for comparing. */
static char *
title_key(const char *s)
{
	struct cvb_buf b = CVB_BUF_INIT;

	for (; *s; s++)
		if (isalnum((unsigned char)*s))
			cvb_buf_addch(&b, tolower((unsigned char)*s));
		else if ((unsigned char)*s >= 0x80)
			cvb_buf_addch(&b, *s);
	return cvbib_buf_detach(&b, NULL);
}

struct ft_idslot {
	char		*key;		/* an id, or "\1" + a base */
	long		 next;		/* a base's next suffix; a title's item */
};

struct ft_ids {
	struct ft_idslot *v;
	size_t		 n, cap;
};

static int ids_init(struct reader *);
static struct ft_idslot *ids_slot(struct ft_ids *, const char *, int);

/* Has this title been read before (hashed: a CV of 100,000 entries stays linear)? */
static bool
seen_title(struct reader *R, const char *title, long *where)
{
	char *k;
	bool seen;

	if (title == NULL)
		return false;
	k = title_key(title);
	if (k == NULL || strlen(k) < 12) {
		free(k);
		return false;
	}
	if (R->ids == NULL && ids_init(R) < 0) {
		free(k);
		return false;
	}
	{
		/* titles and ids share the table: a title's key starts with "\2" */
		struct cvb_buf t = CVB_BUF_INIT;

		cvb_buf_addch(&t, '\2');
		cvb_buf_adds(&t, k);
		free(k);
		if (t.err) {
			cvbib_buf_release(&t);
			return false;
		}
		{
			struct ft_idslot *sl = ids_slot(R->ids, t.buf, 0);

			seen = sl != NULL;
			if (seen)
				*where = sl->next;
			else if ((sl = ids_slot(R->ids, t.buf, 1)) != NULL)
				sl->next = (long)R->b->n - 1;	/* the item just added */
		}
		cvbib_buf_release(&t);
	}
	return seen;
}

/* Does a sentence end at p: ". " after a word of three letters or more? */
static bool
sentence_end_at(const char *s, const char *p)
{
	return *p == '.' && p[1] == ' ' && p - s >= 3 && isalpha((unsigned char)p[-1]) &&
	    isalpha((unsigned char)p[-2]) && isalpha((unsigned char)p[-3]);
}

/* Is the emphasised span s (n bytes) a list of names with an initial or a
 * comma ("Doe, J. Q.", "J. Q. Doe"), not a title? */
static bool
emph_names(const char *s, size_t n)
{
	size_t i, al;
	bool initial = false, comma = false;

	for (i = 0; i < n; i++) {
		if (s[i] == ',')
			comma = true;
		if (isupper((unsigned char)s[i]) && i + 1 < n && s[i + 1] == '.' &&
		    (i == 0 || !isalpha((unsigned char)s[i - 1])))
			initial = true;
	}
	if (!initial && !comma)
		return false;
	al = cvb_ref_author_len(s, n);
	return al + 2 >= n;
}

/*
 *  * Remove EMPH marks.  The first emphasised run of three words or more becomes
 * a quoted title when nothing that could be a title came before it ("A.
 * Morgan, *Exact Inference*. PhD thesis"); an emphasised journal or book after
 * a title stays plain.  One pass: whether a sentence ended before a mark and
 * where the next closing mark is are carried along, never searched again.
 */
static void
resolve_emphasis(struct cvb_buf *out, const char *s)
{
	const char *p, *o = NULL, *close = NULL, *scanned = s;
	int quoted = 0, sentence = 0, has_quote = strstr(s, "\"") || strstr(s, "\xE2\x80\x9C");

	for (p = s; *p; p++) {
		for (; scanned < p; scanned++)
			if (!sentence && sentence_end_at(s, scanned))
				sentence = 1;
		if (*p == EMPH_OPEN) {
			const char *c, *q;
			int words = 1;

			if (close == NULL || close < p)
				close = strchr(p, EMPH_CLOSE);
			if (close == NULL)
				close = p + strlen(p);	/* none: never search again */
			c = *close ? close : NULL;
			if (c != NULL && !quoted && !has_quote && !sentence) {
				for (q = p + 1; q < c; q++)
					if (*q == ' ')
						words++;
				/* not the venue after "In" */
				o = p;
				while (o > s && o[-1] == ' ')
					o--;
				q = c + 1;
				while (*q == ',' || *q == ' ')
					q++;
				/* an italic journal is followed by its volume; a
				 * bold name ("**Doe, J. Q.**, & Lee, K.") is none */
				if (words >= 3 && !(o - s >= 2 && (strncmp(o - 2, "In", 2) == 0 ||
				    strncmp(o - 2, "in", 2) == 0)) && !isdigit((unsigned char)*q) &&
				    !emph_names(p + 1, (size_t)(c - p - 1))) {
					cvb_buf_adds(out, "\xE2\x80\x9C");
					for (q = p + 1; q < c; q++)
						if (*q != EMPH_OPEN)
							cvb_buf_addch(out, *q);
					/* keep the title's own final '?' or '!' inside */
					cvb_buf_adds(out, "\xE2\x80\x9D");
					quoted = 1;
					p = c;
					continue;
				}
			}
		}
		cvb_buf_addch(out, *p);
	}
}

/* The emphasised spans of an entry's text once its marks are gone: byte
 * offsets, start and end of each, outermost spans only. */
struct emph {
	size_t	 v[2 * 16];
	int	 n;
};

/* Take the emphasis marks out of c, noting where each outermost span was. */
static void
strip_emph(struct cvb_buf *c, struct emph *e)
{
	size_t i, o = 0, start = 0;
	int depth = 0;

	e->n = 0;
	for (i = 0; i < c->len; i++) {
		char ch = c->buf[i];

		if (ch == EMPH_OPEN) {
			if (depth++ == 0)
				start = o;
			continue;
		}
		if (ch == EMPH_CLOSE) {
			if (depth > 0 && --depth == 0) {
				size_t b = start, en = o;

				while (b < en && c->buf[b] == ' ')
					b++;
				while (en > b && c->buf[en - 1] == ' ')
					en--;
				if (en > b && e->n < (int)CVB_ARRAY_SIZE(e->v) / 2) {
					e->v[2 * e->n] = b;
					e->v[2 * e->n + 1] = en;
					e->n++;
				}
			}
			continue;
		}
		c->buf[o++] = ch;
	}
	cvb_buf_setlen(c, o);
}

static void emph_cut(struct emph *e, size_t from, size_t to);

/* "[ ]", "( | )": brackets left empty once their links were taken out. */
static void
drop_empty_brackets(struct cvb_buf *c, struct emph *em)
{
	size_t i = 0, j;

	while (i < c->len) {
		char close = c->buf[i] == '[' ? ']' : c->buf[i] == '(' ? ')' : 0;

		for (j = i + 1; close && j < c->len && c->buf[j] != '\0' && strchr(" |/,;", c->buf[j]); j++)
			;
		if (close == 0 || j >= c->len || c->buf[j] != close) {
			i++;
			continue;
		}
		j++;
		memmove(c->buf + i, c->buf + j, c->len - j);
		cvb_buf_setlen(c, c->len - (j - i));
		emph_cut(em, i, j);
		/* "[ [] ]": the bracket around it may be empty now */
		while (i > 0 && (c->buf[i - 1] == ' ' || c->buf[i - 1] == '[' || c->buf[i - 1] == '('))
			if (c->buf[--i] != ' ')
				break;
	}
}

/* Bytes [from, to) were cut out of the text: move the spans with it. */
static void
emph_cut(struct emph *e, size_t from, size_t to)
{
	int k, o = 0;

	for (k = 0; k < 2 * e->n; k++) {
		if (e->v[k] >= to)
			e->v[k] -= to - from;
		else if (e->v[k] > from)
			e->v[k] = from;
	}
	for (k = 0; k < e->n; k++)
		if (e->v[2 * k + 1] > e->v[2 * k]) {
			e->v[2 * o] = e->v[2 * k];
			e->v[2 * o + 1] = e->v[2 * k + 1];
			o++;
		}
	e->n = o;
}

/* Does out end in a DOI or URL broken after its '/' or '.' at a line's end? */
static bool
ident_broken(const struct cvb_buf *out)
{
	size_t k = out->len;
	char last;

	if (k < 8)
		return false;
	last = out->buf[k - 1];
	if (last != '/' && last != '.' && last != '_' && last != '-')
		return false;
	while (k > 0 && out->buf[k - 1] != ' ' && out->buf[k - 1] != '\n')
		k--;
	return strncmp(out->buf + k, "10.", 3) == 0 || strncmp(out->buf + k, "doi:10.", 7) == 0 ||
	    strncmp(out->buf + k, "http", 4) == 0 || strncmp(out->buf + k, "https://doi", 11) == 0;
}

/* Join the lines of an entry: wrapped lines with a space, "exam-\nple" as one word. */
static void
join_lines(struct cvb_buf *out, const char *s, size_t n, const char *sep, size_t *starts,
    int maxstarts)
{
	size_t i;
	int ns = 1;

	if (starts != NULL)
		starts[0] = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '\n') {
			cvb_buf_addch(out, s[i]);
			continue;
		}
		if (starts != NULL && ns < maxstarts)
			starts[ns] = out->len + 1;
		ns++;
		if (sep != NULL) {
			cvb_buf_adds(out, sep);
			continue;
		}
		if (ident_broken(out)) {
			/* "doi: 10.1101/" + "2024.06.28.601215": one identifier */
			if (starts != NULL && ns - 1 < maxstarts)
				starts[ns - 1] = out->len;
		} else if (out->len > 1 && out->buf[out->len - 1] == '-' && isalpha((unsigned char)out->buf[out->len - 2]) &&
		    i + 1 < n && islower((unsigned char)s[i + 1])) {
			cvb_buf_setlen(out, out->len - 1);
			if (starts != NULL && ns - 1 < maxstarts)
				starts[ns - 1] = out->len;
		} else
			cvb_buf_addch(out, ' ');
	}
}

static void add_entry_text(struct reader *R, const char *s, size_t n, unsigned line, unsigned col);

/* A line that is only a date: "2019", "09/18", "Mar 2021"; its year in *year. */
static bool
date_line(const char *s, size_t n, int *year)
{
	size_t i, digits = 0, alpha = 0;

	if (n == 0 || n > 14)
		return false;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (isalpha((unsigned char)s[i]))
			alpha++;
		else if (!strchr("/-.–, ", s[i]) && (unsigned char)s[i] < 0x80)
			return false;
	}
	if (digits < 2 || alpha > 4)
		return false;
	/* its words are months ("Mar 2021", "Sept. 2019"), not a venue's
	 * acronym ("IROS 2024", a card's venue line) */
	if (!ft_date_words(s, n))
		return false;
	*year = 0;
	for (i = 0; i + 4 <= n; i++)
		if ((s[i] == '1' || s[i] == '2') && isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3])) {
			*year = atoi(s + i);
			return true;
		}
	/* "09/18": month/two-digit year */
	if (n == 5 && s[2] == '/' && isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])) {
		int yy = atoi(s + 3);

		*year = yy < 50 ? 2000 + yy : 1900 + yy;
	}
	return true;
}

/* The share of a line's words that hold a digit, in thousandths. */
static long
digit_words(const char *s, size_t n)
{
	size_t i, words = 0, dig = 0;
	bool in = false, d = false;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == ' ') {
			if (in) {
				words++;
				dig += d;
			}
			in = d = false;
			continue;
		}
		in = true;
		d |= isdigit((unsigned char)s[i]) != 0;
	}
	return words > 0 ? (long)(dig * 1000 / words) : 0;
}

/* Is the line only initials ("D.", "A. D.")? */
static bool
initials_only(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (i + 1 >= n || !isupper((unsigned char)s[i]) || s[i + 1] != '.')
			return false;
		i++;
		k++;
	}
	return k > 0;
}

/*
 * Entries whose fields stand on lines of their own, in any order: "Title\nA.
 * Author, B. Author\nVenue 2020" (web cards), or "09/18\nAuthors\nVenue,
 * Volume 617\nTitle" (PDF CVs).  The lines that are a list of names are the
 * authors, a line that is only a date gives the year, a line with digits is
 * the venue, the rest is the title: put back in reference order, the title
 * quoted.  Only when the first line is not itself the author list.
 */
static bool
three_line_of(struct reader *R, const struct entry *e, const char *s, size_t len)
{
	const char *lines[8];
	size_t lens[8], nl = 0, i, k;
	char kind[8], wrapped[8] = { 0 }, status[8] = { 0 };
	int year = 0, na = 0, nt = 0, first_real = -1;

	for (i = 0, k = 0; i <= len && nl < 8; i++)
		if (i == len || s[i] == '\n') {
			lines[nl] = s + k;
			lens[nl++] = i - k;
			k = i + 1;
		}
	if (nl < 2 || nl > 6)
		return false;
	for (i = 0; i < nl; i++) {
		size_t al = cvb_ref_author_len(lines[i], lens[i]), d;
		int y;

		for (d = 0; d < lens[i] && !isdigit((unsigned char)lines[i][d]); d++)
			;
		if (date_line(lines[i], lens[i], &y)) {
			kind[i] = 'D';
			if (y > 0 && year == 0)
				year = y;
			continue;
		}
		if (first_real < 0)
			first_real = (int)i;
		if ((al > 0 && al + 2 >= lens[i]) || (i > 0 && kind[i - 1] == 'A' && initials_only(lines[i], lens[i])))
			kind[i] = 'A', na++;	/* the names, and their last initials ("Schneider, A.\nD.") */
		else if (na == 0)
			kind[i] = 'T', nt++;	/* before the names: the title */
		else if (i > 0 && (kind[i - 1] == 'T' || kind[i - 1] == 'V') && islower((unsigned char)lines[i][0]))
			kind[i] = kind[i - 1], wrapped[i] = 1;	/* the line above, wrapped */
		else if (cvb_status_in(lines[i], lens[i]) != NULL)
			kind[i] = 'V', status[i] = 1;	/* "A & A, Forthcoming article" */
		else if (d < lens[i] || nt > 0)
			kind[i] = 'V';		/* after them: the venue, */
		else
			kind[i] = 'T';		/* or a title that comes last */
	}
	for (i = 0, nt = 0; i < nl; i++)
		nt += kind[i] == 'T';
	if (nt == 0 && na > 0) {
		/* every line after the names holds digits or a status ("A & A,
		 * Volume 669, id.A142", "... target WASP-96b"): the title is
		 * the one with the fewest words with digits, with its wrapped
		 * lines, if there are two or more */
		long best = -1, bi = -1, nv = 0;

		for (i = 0; i < nl; i++)
			if (kind[i] == 'V' && !wrapped[i]) {
				long r = digit_words(lines[i], lens[i]);

				nv++;
				if (!status[i] && (best < 0 || r < best))
					best = r, bi = (long)i;
			}
		if (nv >= 2 && bi >= 0) {
			kind[bi] = 'T';
			for (i = (size_t)bi + 1; i < nl && wrapped[i]; i++)
				kind[i] = 'T';
			nt = 1;
		}
	}
	/* the authors may open it only after a date line (a date in the margin) */
	if (na == 0 || nt == 0 || first_real < 0 || (first_real == 0 && kind[0] == 'A' && !e->card))
		return false;
	{
		struct cvb_buf b = CVB_BUF_INIT;
		int put = 0;

		for (i = 0; i < nl; i++)
			if (kind[i] == 'A') {
				if (put++)
					cvb_buf_addch(&b, ' ');
				cvb_buf_add(&b, lines[i], lens[i]);
			}
		cvb_buf_adds(&b, ". \xE2\x80\x9C");
		for (i = 0, put = 0; i < nl; i++)
			if (kind[i] == 'T') {
				if (put++)
					cvb_buf_addch(&b, ' ');
				cvb_buf_add(&b, lines[i], lens[i]);
			}
		cvb_buf_adds(&b, "\xE2\x80\x9D. ");
		for (i = 0, put = 0; i < nl; i++)
			if (kind[i] == 'V') {
				if (put++)
					cvb_buf_adds(&b, ". ");
				cvb_buf_add(&b, lines[i], lens[i]);
			}
		if (year > 0)
			cvb_buf_addf(&b, "%s%d.", put ? ", " : "", year);
		add_entry_text(R, b.buf, b.len, e->line, e->col);
		cvbib_buf_release(&b);
	}
	return true;
}

/* Does the word at s end with a comma, as a family name in "Mordasini, C."
 * does? */
static bool
name_word_end(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && isalpha((unsigned char)s[i]); i++)
		;
	return i > 0 && i < n && s[i] == ',';
}

/* The same, after the names a PDF broke at a line's end are joined
 * ("Mor-\ndasini, C.": lines of names split in a word). */
static bool
three_line(struct reader *R, struct entry *e)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *s = e->text.buf;
	size_t i;
	bool ok;

	if (memchr(s, '-', e->text.len) == NULL)
		return three_line_of(R, e, s, e->text.len);
	for (i = 0; i < e->text.len; i++) {
		if (s[i] == '-' && i > 0 && i + 2 < e->text.len && s[i + 1] == '\n' &&
		    isalpha((unsigned char)s[i - 1]) && islower((unsigned char)s[i + 2]) &&
		    name_word_end(s + i + 2, e->text.len - i - 2)) {
			i++;
			continue;
		}
		cvb_buf_addch(&t, s[i]);
	}
	ok = t.err ? false : three_line_of(R, e, t.buf != NULL ? t.buf : "", t.len);
	cvbib_buf_release(&t);
	return ok;
}

/*
 * Entries written as labelled fields, a line each ("Title: ...", "Authors:
 * ...", "Journal: ...", "Publication Year: 2023"), as web pages and some CV
 * templates do: put back in reference order ("Authors. “Title”. Journal,
 * 2023.") with what is not labelled after it.  Only with a title and two
 * labels or more.
 */
enum { LF_TITLE, LF_AUTHOR, LF_VENUE, LF_YEAR, LF_OTHER, LF__N };

static int
field_label(const char *s, size_t n, size_t *used)
{
	static const struct { const char *w; int f; } labels[] = {
		{ "title", LF_TITLE }, { "paper", LF_TITLE }, { "titre", LF_TITLE }, { "titel", LF_TITLE },
		{ "título", LF_TITLE }, { "titolo", LF_TITLE },
		{ "authors", LF_AUTHOR }, { "author(s)", LF_AUTHOR }, { "author", LF_AUTHOR },
		{ "auteurs", LF_AUTHOR }, { "autoren", LF_AUTHOR }, { "autores", LF_AUTHOR },
		{ "autori", LF_AUTHOR }, { "co-authors", LF_AUTHOR }, { "coauthors", LF_AUTHOR },
		{ "journal", LF_VENUE }, { "venue", LF_VENUE }, { "conference", LF_VENUE },
		{ "published in", LF_VENUE }, { "in", LF_VENUE }, { "book", LF_VENUE },
		{ "booktitle", LF_VENUE }, { "source", LF_VENUE }, { "revista", LF_VENUE },
		{ "zeitschrift", LF_VENUE }, { "proceedings", LF_VENUE },
		{ "publication year", LF_YEAR }, { "year", LF_YEAR }, { "date", LF_YEAR },
		{ "published", LF_YEAR }, { "año", LF_YEAR }, { "jahr", LF_YEAR }, { "année", LF_YEAR },
		{ "doi", LF_OTHER }, { "publisher", LF_OTHER }, { "volume", LF_OTHER },
		{ "pages", LF_OTHER }, { "url", LF_OTHER }, { "status", LF_OTHER },
	};
	size_t i = 0, k, l;

	while (i < n && (s[i] == EMPH_OPEN || s[i] == EMPH_CLOSE || s[i] == ' '))
		i++;
	for (k = 0; k < CVB_ARRAY_SIZE(labels); k++) {
		l = strlen(labels[k].w);
		if (i + l < n && strncasecmp(s + i, labels[k].w, l) == 0) {
			size_t j = i + l;

			while (j < n && (s[j] == EMPH_CLOSE || s[j] == ' '))
				j++;
			if (j >= n || s[j] != ':')
				continue;
			j++;
			while (j < n && (s[j] == EMPH_CLOSE || s[j] == ' '))
				j++;
			*used = j;
			return labels[k].f;
		}
	}
	return -1;
}

static bool
labelled_fields(struct reader *R, struct entry *e)
{
	const char *s = e->text.buf, *val[LF__N][4];
	size_t vl[LF__N][4], nv[LF__N] = { 0 }, i, k, nlab = 0;
	struct cvb_buf b = CVB_BUF_INIT;
	static const int order[] = { LF_AUTHOR, LF_TITLE, LF_VENUE, LF_YEAR, LF_OTHER };
	size_t o;
	int f;

	for (i = 0, k = 0; i <= e->text.len; i++) {
		size_t used, n;

		if (i < e->text.len && s[i] != '\n')
			continue;
		n = i - k;
		f = field_label(s + k, n, &used);
		if (f < 0) {
			used = 0;
			f = LF_OTHER;
		} else
			nlab++;
		while (n > used && (s[k + n - 1] == ' ' || s[k + n - 1] == '.'))
			n--;
		if (n > used && nv[f] < 4) {
			val[f][nv[f]] = s + k + used;
			vl[f][nv[f]++] = n - used;
		}
		k = i + 1;
	}
	if (nlab < 2 || nv[LF_TITLE] != 1)
		return false;
	/* "Authors. “Title”. Venue, Year. Other." */
	for (o = 0; o < CVB_ARRAY_SIZE(order); o++) {
		f = order[o];
		for (k = 0; k < nv[f]; k++) {
			if (b.len > 0)
				cvb_buf_adds(&b, f == LF_YEAR && k == 0 && nv[LF_VENUE] ? ", " : ". ");
			if (f == LF_TITLE)
				cvb_buf_adds(&b, "\xE2\x80\x9C");
			cvb_buf_add(&b, val[f][k], vl[f][k]);
			if (f == LF_TITLE)
				cvb_buf_adds(&b, "\xE2\x80\x9D");
		}
	}
	cvb_buf_addch(&b, '.');
	add_entry_text(R, b.buf, b.len, e->line, e->col);
	cvbib_buf_release(&b);
	return true;
}

/* Does "N. " (N = want) start a new run-together entry at s[i]? */
static size_t
runon_at(const char *s, size_t n, size_t i, long want, int kind)
{
	char num[24];
	int l;

	if (kind == 3)
		l = snprintf(num, sizeof(num), "[%ld]", want);
	else
		l = snprintf(num, sizeof(num), "%ld.", want);
	if (l <= 0 || i == 0 || s[i - 1] != ' ' || i + (size_t)l + 2 > n ||
	    memcmp(s + i, num, (size_t)l) != 0 || s[i + (size_t)l] != ' ')
		return 0;
	if (!isupper((unsigned char)s[i + (size_t)l + 1]) && (unsigned char)s[i + (size_t)l + 1] < 0xC0)
		return 0;
	return (size_t)l + 1;
}

void
ft_finish_entry(struct reader *R, struct entry *e)
{
	struct cvb_buf j = CVB_BUF_INIT;
	size_t i, start, starts[MAXSEG];
	long want;
	unsigned ln = e->line, cl = e->col;

	if (e->text.len == 0)
		return;
	R->card_type = e->card_type;
	e->card_type = CVB_T_NONE;
	if (e->nlines >= 2 && labelled_fields(R, e)) {
		cvb_buf_reset(&e->text);
		return;
	}
	if (e->list == 0 && e->nlines >= 2 && three_line(R, e)) {
		cvb_buf_reset(&e->text);
		return;
	}
	join_lines(&j, e->text.buf, e->text.len, NULL, starts, MAXSEG);
	/* numbered entries run together: "... 2024 5. C. Fu, H. Huang, ..." */
	start = 0;
	want = e->num + 1;
	if (e->list == 2 || e->list == 3) {
		for (i = 0; i < j.len; i++) {
			size_t ml = runon_at(j.buf, j.len, i, want, e->list);

			if (ml == 0)
				continue;
			add_entry_text(R, j.buf + start, i - start, ln, cl);
			start = i + ml;
			want++;
			/* the line and column where the next one starts */
			{
				int k, nl = e->nlines < MAXSEG ? e->nlines : MAXSEG;
				size_t q;

				for (k = nl - 1; k > 0 && starts[k] > i; k--)
					;
				ln = e->seg_line[k];
				cl = e->seg_col[k];
				for (q = starts[k]; q < i; q++)
					if (((unsigned char)j.buf[q] & 0xC0) != 0x80)
						cl++;
			}
		}
	}
	add_entry_text(R, j.buf + start, j.len - start, ln, cl);
	cvbib_buf_release(&j);
	cvb_buf_reset(&e->text);
	R->card_type = CVB_T_NONE;
}

/*
 * Ids given so far, for unique suffixes in constant time: a hash set of the
 * ids, and for each base ("smith2020") the next suffix to try.  Seeded with
 * the ids of the items already in the bibliography.
 */

static uint64_t
ids_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key: found, or the empty one where it goes; NULL: no memory. */
static struct ft_idslot *
ids_slot(struct ft_ids *S, const char *key, int add)
{
	size_t i;

	if (add && (S->n + 1) * 2 > S->cap) {
		size_t nc = S->cap ? S->cap * 2 : 256, k;
		struct ft_idslot *nv = calloc(nc, sizeof(*nv));

		if (nv == NULL)
			return NULL;
		for (k = 0; k < S->cap; k++)
			if (S->v[k].key != NULL) {
				for (i = ids_hash(S->v[k].key) & (nc - 1); nv[i].key; i = (i + 1) & (nc - 1))
					;
				nv[i] = S->v[k];
			}
		free(S->v);
		S->v = nv;
		S->cap = nc;
	}
	if (S->cap == 0)
		return NULL;
	for (i = ids_hash(key) & (S->cap - 1); S->v[i].key; i = (i + 1) & (S->cap - 1))
		if (strcmp(S->v[i].key, key) == 0)
			return &S->v[i];
	if (!add)
		return NULL;
	S->v[i].key = strdup(key);
	if (S->v[i].key == NULL)
		return NULL;
	S->v[i].next = 0;
	S->n++;
	return &S->v[i];
}

static void
ids_free(struct ft_ids *S)
{
	size_t i;

	if (S == NULL)
		return;
	for (i = 0; i < S->cap; i++)
		free(S->v[i].key);
	free(S->v);
	free(S);
}

void
ft_reader_free(struct reader *R)
{
	ids_free(R->ids);
	R->ids = NULL;
	cvbib_biblio_free(R->probe);
	R->probe = NULL;
}

/* Parse s (n bytes, marks and all) into a scratch item of R->probe. */
static struct cvb_item *
probe_parse(struct reader *R, const char *s, size_t n)
{
	struct cvb_buf t = CVB_BUF_INIT;
	struct cvb_item *it = NULL;
	size_t i;

	if (R->probe == NULL && (R->probe = cvbib_biblio_new()) == NULL)
		return NULL;
	cvb_buf_add(&t, s, n);
	if (t.buf == NULL)
		return NULL;
	for (i = 0; i < t.len; i++)
		if (t.buf[i] == '\n')
			t.buf[i] = ' ';
	ft_plain(t.buf);
	it = cvb_item_new(R->probe, R->file, 0, 0);
	if (it != NULL && cvb_refparse(R->probe, it, t.buf, strlen(t.buf), NULL) < 0)
		it = NULL;
	cvbib_buf_release(&t);
	return it;
}

/*
 * Is s a whole citation by itself: a title, a venue and a year, and a volume,
 * pages or an identifier (a talk has none of them)?  ("“Logic in the Tractatus”. Review of
 * Symbolic Logic (2017) 10: 1-50." under "Publications", which the segmenter
 * took for other text.)
 */
bool
ft_reference_line(struct reader *R, const char *s)
{
	const struct cvb_item *it;
	size_t n = strlen(s);

	if (n < 30 || n > 400 || (it = probe_parse(R, s, n)) == NULL)
		return false;
	return it->str[CVB_V_TITLE] != NULL && it->str[CVB_V_CONTAINER_TITLE] != NULL &&
	    cvb_item_year(it) != 0 && (it->str[CVB_V_VOLUME] != NULL || it->str[CVB_V_PAGE] != NULL ||
	    it->str[CVB_V_DOI] != NULL);
}

/*
 * Is s, an item of a list under a publications heading, an entry: a title
 * and a year, and a venue, names, a remark or a link of its own ("''Do New Neighbors Pay
 * More?'' July, 2019. Working paper. Available at SSRN: ...")?  Less than a
 * whole citation (ft_reference_line), as the heading says what the list holds;
 * a remark ("Working paper") will do for the venue.
 */
bool
ft_listed_reference(struct reader *R, const char *s)
{
	const struct cvb_item *it;
	size_t n = strlen(s);

	if (n < 30 || n > 600 || (it = probe_parse(R, s, n)) == NULL)
		return false;
	return it->str[CVB_V_TITLE] != NULL && cvb_item_year(it) != 0 &&
	    (it->str[CVB_V_CONTAINER_TITLE] != NULL || it->str[CVB_V_PUBLISHER] != NULL ||
	    it->str[CVB_V_URL] != NULL || it->str[CVB_V_DOI] != NULL || it->names[CVB_NV_AUTHOR] != NULL ||
	    it->str[CVB_V_GENRE] != NULL || it->notes != NULL);
}

/* How many of the item's authors are persons (a family name, not only a
 * "literal" one)? */
static size_t
persons(const struct cvb_item *it)
{
	const struct cvb_name *n;
	size_t k = 0;

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
		if (n->family != NULL)
			k++;
	return k;
}

/* Personal names among an item's authors. */
static bool
has_person(const struct cvb_item *it)
{
	return persons(it) > 0;
}

/*
 * BibTeX's case protection printed as it was in a CV made from a .bib file
 * ("A {Generation Lost}: {The Devastating Effect} of ..."): the braces are
 * no part of the title.  A field with math or a command keeps its braces.
 */
static const char *
unprotect_one(struct reader *R, const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const char *p, *q, *r;

	if (s == NULL || strchr(s, '{') == NULL || strpbrk(s, "\\$^_") != NULL)
		return s;
	/* every pair encloses a word or words, opens no word and is not nested */
	for (p = s; (p = strpbrk(p, "{}")) != NULL; p = q + 1) {
		if (*p == '}' || (p > s && isalnum((unsigned char)p[-1])) ||
		    !(isalnum((unsigned char)p[1]) || (unsigned char)p[1] >= 0x80))
			return s;
		q = strpbrk(p + 1, "{}");
		if (q == NULL || *q == '{')
			return s;
	}
	for (p = s; (q = strpbrk(p, "{}")) != NULL; p = q + 1)
		cvb_buf_add(&o, p, (size_t)(q - p));
	cvb_buf_adds(&o, p);
	r = o.buf != NULL ? cvb_arena_strdup(&R->b->arena, o.buf) : NULL;
	cvbib_buf_release(&o);
	return r != NULL ? r : s;
}

static void
unprotect(struct reader *R, struct cvb_item *it)
{
	static const enum cvb_var v[] = { CVB_V_TITLE, CVB_V_CONTAINER_TITLE, CVB_V_COLLECTION_TITLE,
		CVB_V_PUBLISHER };
	size_t k;

	for (k = 0; k < CVB_ARRAY_SIZE(v); k++)
		it->str[v[k]] = unprotect_one(R, it->str[v[k]]);
}


/* Is the line l (n bytes) a list of names and nothing else ("A. Smith, B.
 * Jones.")?  The notes CVs put beside a name ("Yang* (corresponding
 * author)", "(equal contribution)") are no part of the list's grammar. */
bool
ft_names_line(const char *l, size_t n)
{
	char buf[1024];
	size_t al, j, k = 0, depth = 0;

	if (n >= sizeof(buf))
		return false;
	for (j = 0; j < n; j++) {
		if (l[j] == '(')
			depth++;
		else if (l[j] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && !(l[j] == ' ' && k > 0 && buf[k - 1] == ' '))
			buf[k++] = l[j];
	}
	while (k > 0 && (buf[k - 1] == '.' || buf[k - 1] == ' ' || buf[k - 1] == ';' || buf[k - 1] == ','))
		k--;
	if (depth > 0 || k == 0)
		return false;
	al = cvb_ref_author_len(buf, k);
	return al > 0 && al + 2 >= k;
}

/* Is the entry's last line a list of names and nothing else?  (Its parse
 * may have taken them for a venue, after a title with its link.) */
static bool
names_last(const struct entry *e)
{
	const char *l = e->text.buf, *nl;

	while ((nl = memchr(l, '\n', e->text.len - (size_t)(l - e->text.buf))) != NULL)
		l = nl + 1;
	return ft_names_line(l, e->text.len - (size_t)(l - e->text.buf));
}

/*
 * How many lines of the entry come after its last line of names (0 when the
 * last line is names, -1 when no line is)?
 */
int
ft_lines_after_names(const struct entry *e)
{
	const char *b = e->text.buf, *end = b + e->text.len, *l;
	int k = 0;

	while (end > b) {
		for (l = end; l > b && l[-1] != '\n'; l--)
			;
		if (ft_names_line(l, (size_t)(end - l)))
			return k;
		k++;
		end = l > b ? l - 1 : b;
	}
	return -1;
}

bool
ft_continues(struct reader *R, const struct entry *e, const char *s, bool card)
{
	struct cvb_item *prev, *cur;

	if (e->text.len == 0 || s == NULL)
		return false;
	prev = card ? NULL : probe_parse(R, e->text.buf, e->text.len);
	if (!card && (prev == NULL || !(has_person(prev) || names_last(e)) ||
	    (cvb_item_year(prev) != 0 && prev->str[CVB_V_CONTAINER_TITLE] != NULL)))
		return false;	/* no names, or whole already */
	cur = probe_parse(R, s, strlen(s));
	return cur != NULL && !has_person(cur) && cur->names[CVB_NV_EDITOR] == NULL &&
	    (cvb_item_year(cur) != 0 || cur->str[CVB_V_CONTAINER_TITLE] != NULL ||
	    cur->str[CVB_V_PAGE] != NULL || cur->str[CVB_V_PUBLISHER] != NULL);
}

static int
ids_init(struct reader *R)
{
	size_t i;

	R->ids = calloc(1, sizeof(*R->ids));
	if (R->ids == NULL)
		return -1;
	for (i = 0; i < R->b->n; i++)
		if (R->b->items[i]->id && ids_slot(R->ids, R->b->items[i]->id, 1) == NULL)
			return -1;
	return 0;
}

/* An id from the first author's family name and the year: "smith2020",
 * "smith2020b", ... "smith2020z", "smith2020-26", ... */
static int
make_id(struct reader *R, struct cvb_item *it)
{
	char base[48], key[52], id[80];
	size_t n = 0;
	const struct cvb_name *nm = it->names[CVB_NV_AUTHOR];
	const char *f = nm ? (nm->family ? nm->family : nm->literal) : NULL;
	int year = cvb_item_year(it);
	struct ft_idslot *bs, *is;
	long suffix;

	if (R->ids == NULL && ids_init(R) < 0)
		return -1;
	if (f == NULL)
		f = it->str[CVB_V_TITLE] ? it->str[CVB_V_TITLE] : "ref";
	for (; *f && n < 20; f++)
		if (isalnum((unsigned char)*f))
			base[n++] = (char)tolower((unsigned char)*f);
	if (n == 0)
		base[n++] = 'r';
	if (year > 0)
		n += (size_t)snprintf(base + n, sizeof(base) - n, "%d", year);
	base[n] = '\0';
	snprintf(key, sizeof(key), "\1%s", base);
	if ((bs = ids_slot(R->ids, key, 1)) == NULL)
		return -1;
	for (suffix = bs->next;; suffix++) {
		if (suffix == 0)
			snprintf(id, sizeof(id), "%s", base);
		else if (suffix < 26)
			snprintf(id, sizeof(id), "%s%c", base, (int)('a' + suffix));
		else
			snprintf(id, sizeof(id), "%s-%ld", base, suffix);
		if (ids_slot(R->ids, id, 0) == NULL)
			break;
	}
	/* the table may have grown: find the base again after adding the id */
	if ((is = ids_slot(R->ids, id, 1)) == NULL)
		return -1;
	bs = ids_slot(R->ids, key, 0);
	bs->next = suffix + 1;
	it->id = cvb_arena_strdup(&R->b->arena, id);
	return it->id ? 0 : -1;
}

/*
 * Status notes of CV entries: "(Accepted to NeurIPS 2020)", "(**Under review
 * at PLDI '22**)", "In submission." at the end.  They are taken out of the
 * text before it is parsed (they are no part of a title or an author list)
 * and become the item's status, in the words of CSL-JSON CVs: under-review,
 * submitted, accepted, in-press; the venue they name becomes the container.
 */
/* Take a status note out of c (plain text); sets *status and *venue (arena). */
static void
take_status(struct reader *R, struct cvb_buf *c, const char **status, const char **venue,
    struct emph *em)
{
	size_t i, used;

	*status = NULL;
	*venue = NULL;
	for (i = 0; i < c->len; i++) {
		size_t j, a, e;
		const char *st;

		if (c->buf[i] != '(' && c->buf[i] != '[')
			continue;
		for (j = i + 1; j < c->len && j < i + 100 && c->buf[j] != ')' && c->buf[j] != ']'; j++)
			;
		if (j >= c->len || (c->buf[j] != ')' && c->buf[j] != ']'))
			continue;
		a = i + 1;
		while (a < j && (c->buf[a] == ' ' || c->buf[a] == '"' || (unsigned char)c->buf[a] >= 0x80))
			a++;	/* a quote that was emphasis */
		st = cvb_status_of(c->buf + a, j - a, &used);
		if (st == NULL)
			continue;
		*status = st;
		/* "to NeurIPS 2020", "at PLDI '22", "for publication at SISC" */
		e = a + used;
		{
			static const char *const preps[] = { " for publication at ", " for publication in ",
				" to ", " at ", " in ", " by ", " for " };
			size_t q, vl;

			for (q = 0; q < CVB_ARRAY_SIZE(preps); q++) {
				size_t pl = strlen(preps[q]);

				if (e + pl < j && strncasecmp(c->buf + e, preps[q], pl) == 0) {
					e += pl;
					for (vl = j; vl > e && (c->buf[vl - 1] == ' ' || c->buf[vl - 1] == '"' ||
					    (unsigned char)c->buf[vl - 1] >= 0x80); vl--)
						;
					if (vl > e)
						*venue = cvb_arena_strndup(&R->b->arena, c->buf + e, vl - e);
					break;
				}
			}
		}
		/* cut "(...)" and a ", " before it */
		{
			size_t from = i, to = j + 1;

			while (from > 0 && (c->buf[from - 1] == ' ' || c->buf[from - 1] == ','))
				from--;
			if (from == 0)
				while (to < c->len && c->buf[to] == ' ')
					to++;
			memmove(c->buf + from, c->buf + to, c->len - to);
			cvb_buf_setlen(c, c->len - (to - from));
			emph_cut(em, from, to);
		}
		return;
	}
	/* "... In submission." at the end */
	{
		size_t n = c->len, s0;

		while (n > 0 && (c->buf[n - 1] == '.' || c->buf[n - 1] == ' '))
			n--;
		for (s0 = n; s0 > 0 && c->buf[s0 - 1] != '.' && c->buf[s0 - 1] != ',' &&
		    c->buf[s0 - 1] != ';' && n - s0 < 40; s0--)
			;
		i = s0;
		while (i < n && c->buf[i] == ' ')
			i++;
		if (s0 > 0 && cvb_status_of(c->buf + i, n - i, &used) != NULL && used == n - i) {
			*status = cvb_status_of(c->buf + i, n - i, &used);
			emph_cut(em, s0, c->len);
			cvb_buf_setlen(c, s0);
		}
	}
}

/* A status refparse found ("in press", "forthcoming") in the CV words. */
static const char *
status_norm(const char *s)
{
	size_t used;
	const char *st = s ? cvb_status_of(s, strlen(s), &used) : NULL;

	return st ? st : s;
}

/*
 * The CV owner's name is the one set in bold in the author lists: count each
 * emphasised run that is a short list of one name ("**Li, M.**", "**Mike
 * He**"); ft_mark_owner() highlights the most frequent one.
 */
static void
note_owner(struct reader *R, const char *s)
{
	const char *p, *c;

	for (p = s; (p = strchr(p, EMPH_OPEN)) != NULL; p = c) {
		size_t len, words = 1, k, al;

		c = strchr(p + 1, EMPH_CLOSE);
		if (c == NULL)
			return;
		len = (size_t)(c - p - 1);
		for (k = 1; k <= len; k++)
			if (p[k] == ' ')
				words++;
		if (len < 3 || len > 40 || words > 4)
			continue;
		al = cvb_ref_author_len(p + 1, len);
		if (al + 1 < len || memchr(p + 1, ';', len) || memchr(p + 1, '"', len))
			continue;
		for (k = 0; k < R->nowners; k++)
			if (strlen(R->owners[k].name) == len && memcmp(R->owners[k].name, p + 1, len) == 0) {
				R->owners[k].count++;
				break;
			}
		if (k == R->nowners && R->nowners < CVB_ARRAY_SIZE(R->owners)) {
			R->owners[k].name = cvb_arena_strndup(&R->b->arena, p + 1, len);
			R->owners[k].count = R->owners[k].name ? 1 : 0;
			R->nowners += R->owners[k].name != NULL;
		}
	}
}

void
ft_mark_owner(struct reader *R, size_t first)
{
	struct cvb_cv_pattern pat;
	size_t k, best = 0, i;
	int bc = 0;

	for (k = 0; k < R->nowners; k++)
		if (R->owners[k].count > bc)
			bc = R->owners[k].count, best = k;
	/* in two entries at least, and not one name of many in bold */
	if (bc < 2 || cvb_cv_pattern_parse(&pat, R->owners[best].name) < 0)
		return;
	for (i = first; i < R->b->n; i++) {
		struct cvb_name *nm;

		for (nm = R->b->items[i]->names[CVB_NV_AUTHOR]; nm; nm = nm->next)
			if (cvb_cv_name_matches(&pat, nm))
				nm->flags |= CVB_NF_HIGHLIGHT;
	}
	cvb_cv_pattern_release(&pat);
}

/* Is url a resolver link of the DOI doi ("https://doi.org/10.1/x")?  Both
 * read as the enrichment reads DOIs (cvb_doi_normalize). */
static bool
same_doi_link(const char *url, const char *doi)
{
	struct cvb_buf a = CVB_BUF_INIT, d = CVB_BUF_INIT;
	bool same;

	same = strncasecmp(url, "http", 4) == 0 && strcasestr(url, "doi.org/") != NULL &&
	    cvb_doi_normalize(url, &a) && cvb_doi_normalize(doi, &d) && strcasecmp(a.buf, d.buf) == 0;
	cvbib_buf_release(&a);
	cvbib_buf_release(&d);
	return same;
}

/*
 * The labelled links ("[PDF](url)", ft_add_link's marks) out of s into out,
 * which keeps the rest; their fields and targets into f and u (at most max,
 * in the arena).  Returns how many.
 */
static size_t
take_links(struct reader *R, struct cvb_buf *out, const char *s, size_t n,
    const char **f, const char **u, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const char *sep, *end;

		if (s[i] != LINK_OPEN) {
			cvb_buf_addch(out, s[i]);
			continue;
		}
		sep = memchr(s + i, LINK_SEP, n - i);
		end = memchr(s + i, LINK_CLOSE, n - i);
		if (sep == NULL || end == NULL || end < sep)
			continue;	/* a stray mark: dropped */
		if (k < max) {
			f[k] = cvb_arena_strndup(&R->b->arena, s + i + 1, (size_t)(sep - s) - i - 1);
			u[k] = cvb_arena_strndup(&R->b->arena, sep + 1, (size_t)(end - sep) - 1);
			if (f[k] != NULL && u[k] != NULL)
				k++;
		}
		if ((size_t)(sep - s) == i + 5 && memcmp(s + i + 1, "href", 4) == 0)
			/* a Markdown link's address, back in the text (ft_add_href) */
			cvb_buf_add(out, sep + 1, (size_t)(end - sep) - 1);
		i = (size_t)(end - s);
	}
	return k;
}

/* A capitalised word of a name at s ("Tova", "O'Neil", "J.", "Müller"): its length, 0 if none. */
static size_t
name_word(const char *s, size_t n)
{
	size_t k = 1;

	if (n == 0 || !(isupper((unsigned char)*s) || ((unsigned char)*s >= 0xC3 &&
	    (unsigned char)*s <= 0xC5)))
		return 0;
	while (k < n && (isalpha((unsigned char)s[k]) || (unsigned char)s[k] >= 0x80 ||
	    s[k] == '\'' || s[k] == '-'))
		k++;
	if (k == 1 && k < n && s[k] == '.')
		k++;	/* an initial */
	return k;
}

/*
 * The co-authors a CV names after "with" when it leaves its owner out:
 * "Title. With Jennifer Kenkel. In progress.", "Title (with Kartik Athreya and
 * Felipe Schwartzman)", "Title https://arxiv.org/abs/1 with Hal Schenck.".
 * "with" must follow a sentence end, a bracket, a semicolon or a link (not
 * "Learning with Noisy Labels"); the names are two to four capitalised words
 * each, separated by commas, "and" or "&", and end the sentence or the
 * bracket.  Taken out of c; the names, in the arena, into v (at most max).
 */
static size_t
take_with_names(struct reader *R, struct cvb_buf *c, struct cvb_name **v, size_t max,
    struct emph *em)
{
	size_t i, k;

	for (i = 0; i + 10 < c->len; i++) {
		const char *s = c->buf;
		size_t p, start, end, nn = 0, wb[8][2], w, nw = 0, first = 0;
		bool paren = false;

		if (!((s[i] == 'W' || s[i] == 'w') && strncmp(s + i + 1, "ith ", 4) == 0))
			continue;
		/* what comes before "with" */
		start = i;
		if (i > 0 && s[i - 1] == '(') {
			paren = true;
			start = i - 1;
		} else if (i >= 2 && s[i - 1] == ' ' && (s[i - 2] == '.' || s[i - 2] == ';' ||
		    s[i - 2] == '>')) {
			start = i - 1;
		} else if (i >= 1 && s[i - 1] == ' ') {
			size_t q = i - 1;

			while (q > 0 && s[q - 1] != ' ')
				q--;
			if (strncmp(s + q, "http", 4) != 0 && strncmp(s + q, "doi:", 4) != 0)
				continue;
			start = i - 1;
		} else if (i != 0)
			continue;
		/* the names */
		p = i + 5;
		for (;;) {
			size_t b = p;

			nw = 0;
			while (nw < 5 && (w = name_word(s + p, c->len - p)) > 0) {
				wb[nw][0] = p;
				wb[nw][1] = p + w;
				nw++;
				p += w;
				if (p < c->len && s[p] == ' ' && name_word(s + p + 1, c->len - p - 1) > 0)
					p++;
				else
					break;
			}
			if (nw < 2 || nw > 4 || s[wb[nw - 1][0] + 1] == '.')
				break;	/* not a name: "With Jennifer" alone, "Smith J." */
			if (nn < max && v != NULL) {
				struct cvb_name *nm = cvb_name_new(R->b);

				if (nm != NULL) {
					nm->family = cvb_arena_strndup(&R->b->arena, s + wb[nw - 1][0],
					    wb[nw - 1][1] - wb[nw - 1][0]);
					nm->given = cvb_arena_strndup(&R->b->arena, s + b, wb[nw - 2][1] - b);
					v[nn] = nm;
				}
			}
			nn++;
			if (first == 0)
				first = b;
			/* a separator, and another name */
			if (strncmp(s + p, ", and ", 6) == 0)
				p += 6;
			else if (strncmp(s + p, " and ", 5) == 0)
				p += 5;
			else if (strncmp(s + p, " & ", 3) == 0)
				p += 3;
			else if (strncmp(s + p, ", ", 2) == 0 && name_word(s + p + 2, c->len - p - 2))
				p += 2;
			else
				break;
		}
		if (nn == 0 || nn > max || nw < 2 || nw > 4)
			continue;
		/* the names end the bracket or the sentence */
		end = p;
		if (paren) {
			if (end >= c->len || s[end] != ')')
				continue;
			end++;
		} else if (end < c->len && !(s[end] == '.' || s[end] == ';' || s[end] == ',')) {
			continue;
		}
		for (k = 0; k < nn; k++)
			if (v[k] == NULL)
				return 0;
		/* "Title. With A B. Venue": keep one sentence end */
		if (!paren && end < c->len && s[end] == '.' && start > 0 && s[start - 1] == '.')
			end++;
		memmove(c->buf + start, c->buf + end, c->len - end + 1);
		cvb_buf_setlen(c, c->len - (end - start));
		emph_cut(em, start, end);
		return nn;
	}
	return 0;
}

/*
 * Does an entry say it is a talk or a poster ("Oral presentation at",
 * "Invited talk", "Poster presented at", "Keynote")?  Not when it also says
 * it was published ("Proceedings", "Journal").
 */
static bool
is_talk(const char *s)
{
	static const char *const talk[] = { "oral presentation", "poster presentation", "presented at",
		"invited talk", "contributed talk", "keynote", "talk at", "talk given", "poster at",
		"poster session", "seminar talk", "lightning talk", "spotlight talk", NULL };
	static const char *const pub[] = { "proceedings", "journal", "transactions", "published in",
		"abstract in", NULL };
	size_t k;
	bool t = false;

	for (k = 0; talk[k] != NULL && !t; k++)
		t = strcasestr(s, talk[k]) != NULL;
	for (k = 0; pub[k] != NULL && t; k++)
		if (strcasestr(s, pub[k]) != NULL)
			t = false;
	return t;
}

/* "“Title.” Talk. AMS Meeting": a sentence that is the word Talk or Poster
 * alone (as talks are listed in a section of talks, not as papers are). */
static bool
talk_word(const char *s)
{
	static const char *const w[] = { "Talk", "Poster", NULL };
	const char *p;
	size_t k, l;

	for (k = 0; w[k] != NULL; k++) {
		l = strlen(w[k]);
		for (p = s; (p = strstr(p, w[k])) != NULL; p += l)
			if ((p == s || p[-1] == ' ') && (p[l] == '.' || p[l] == ',') &&
			    (p == s || (p >= s + 2 && (p[-2] == '.' || p[-2] == ',' ||
			    (unsigned char)p[-2] == 0x9D))))
				return true;
	}
	return false;
}

/*
 * An honour, not a publication: its first line names a scholarship,
 * fellowship, prize, medal or award ("NOAA Hollings Undergraduate
 * Scholarship", "Presidential Scholar, conferred by ..."), and the item has
 * nothing a publication has: no venue, volume, pages, identifier or link.
 */
static bool
is_honour(const char *s, const struct cvb_item *it)
{
	static const char *const honour[] = { "scholarship", "fellowship", "prize", "medal", "award",
		"conferred by", NULL };
	const char *nl = strchr(s, '\n');
	size_t k, n = nl != NULL ? (size_t)(nl - s) : strlen(s);
	char *first;
	bool h = false;

	if (it->str[CVB_V_CONTAINER_TITLE] != NULL || it->str[CVB_V_VOLUME] != NULL ||
	    it->str[CVB_V_PAGE] != NULL || it->str[CVB_V_DOI] != NULL || it->str[CVB_V_URL] != NULL)
		return false;
	if ((first = strndup(s, n)) == NULL)
		return false;
	for (k = 0; honour[k] != NULL && !h; k++) {
		const char *p = strcasestr(first, honour[k]);

		h = p != NULL && (p == first || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[strlen(honour[k])]);
	}
	free(first);
	return h;
}

/*
 * Text that is no reference whatever the segmenter said: prose in the first
 * person ("I am a PhD student ...", "My research ..."), or a contact line (an
 * e-mail address, and no year).
 */
static bool
not_reference(const char *s, const struct cvb_item *it)
{
	static const char *const first[] = { "I ", "I'm ", "I\xE2\x80\x99m ", "My ", "We ", "Our ", NULL };
	const char *at;
	size_t k;

	for (k = 0; first[k] != NULL; k++) {
		size_t l = strlen(first[k]);

		if (strncmp(s, first[k], l) == 0 && islower((unsigned char)s[l]))
			return true;
	}
	at = strchr(s, '@');
	if (at != NULL && at > s && isalnum((unsigned char)at[-1]) && isalnum((unsigned char)at[1]) &&
	    strchr(at, '.') != NULL && cvb_item_year(it) == 0 && it->str[CVB_V_DOI] == NULL)
		return true;
	return false;
}

/* Diagnostic code about the entry text s: its first 60 characters, cut on a UTF-8 boundary. */
static void
say_entry(struct reader *R, enum cvb_dcode code, const char *s, unsigned line, unsigned col)
{
	size_t n = strlen(s);

	cvb_diag(R->d, code, R->file, line, col, "%.*s%s", (int)cvb_utf8_prefix(s, 60), s,
	    n > 60 ? "..." : "");
}

/* The item just parsed from c (text from i) is no entry: said, and left out. */
static void
leave_out(struct reader *R, enum cvb_dcode code, struct cvb_buf *c, size_t i, unsigned line,
    unsigned col)
{
	say_entry(R, code, c->buf + i, line, col);
	cvb_item_drop_last(R->b);
	cvbib_buf_release(c);
}

/* One space for any run of white space. */
static void
collapse_space(struct cvb_buf *c)
{
	size_t i, o = 0;

	for (i = 0; i < c->len; i++) {
		char ch = isspace((unsigned char)c->buf[i]) ? ' ' : c->buf[i];

		if (ch == ' ' && o > 0 && c->buf[o - 1] == ' ')
			continue;
		c->buf[o++] = ch;
	}
	cvb_buf_setlen(c, o);
}

/* An entry the parser cannot read, kept whole as its raw text. */
static void
keep_raw(struct reader *R, struct cvb_item *it, const char *s, size_t n, unsigned line, unsigned col)
{
	const char *raw = cvb_arena_strndup(&R->b->arena, s, n);
	struct cvb_item fresh;

	memset(&fresh, 0, sizeof(fresh));
	fresh.extra_tail = &it->extra;
	fresh.notes_tail = &it->notes;
	fresh.loc = it->loc;
	fresh.seq = it->seq;
	fresh.group = it->group;
	*it = fresh;
	it->extra_tail = &it->extra;
	it->notes_tail = &it->notes;
	it->flags |= CVB_IF_RAW;
	it->str[CVB_V_TITLE] = raw;
	cvb_item_add_field(R->b, it, "raw", raw, 0);
	cvb_diag(R->d, CVB_D_TEXT_RAW_ENTRY, R->file, line, col, "%.*s%s",
	    (int)cvb_utf8_prefix(raw, 60), raw, strlen(raw) > 60 ? "..." : "");
}

/* The initials of the words of venue s, but for "of", "the", "and", "on",
 * "in", "for" (lower case, at most 15): "jair" for both "Journal of
 * Artificial Intelligence Research" and "J. Artif. Intell. Res.". */
static void
venue_initials(const char *s, char *out)
{
	static const char *const skip[] = { "of", "the", "and", "on", "in", "for", NULL };
	size_t n = 0, w, k;

	while (*s && n < 15) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		for (w = 0; isalnum((unsigned char)s[w]); w++)
			;
		if (w == 0)
			break;
		for (k = 0; skip[k] != NULL && !(strlen(skip[k]) == w && strncasecmp(s, skip[k], w) == 0); k++)
			;
		if (skip[k] == NULL)
			out[n++] = (char)tolower((unsigned char)*s);
		s += w;
	}
	out[n] = '\0';
}

/* Are venues a and b (both given) plainly not one: no initial of a word in
 * common ("Adam Smith" and "Phys. Rev. Lett."; not "Proc. AAAI" and "AAAI")? */
static bool
other_venue(const char *a, const char *b)
{
	char ia[16], ib[16];

	if (a == NULL || b == NULL)
		return false;
	venue_initials(a, ia);
	venue_initials(b, ib);
	return ia[0] != '\0' && ib[0] != '\0' && strpbrk(ia, ib) == NULL;
}

/*
 * it (the last item) has the title of item where: reported and dropped, or,
 * when that one had no authors (a news line) and it has, put in its place;
 * kept as it is when the two are of kinds that cannot be one work.
 * Returns the entry kept in place of it, or NULL.
 */
static struct cvb_item *
duplicate(struct reader *R, struct cvb_item *it, long where, unsigned line, unsigned col)
{
	struct cvb_item *old = where >= 0 && (size_t)where + 1 < R->b->n ? R->b->items[where] : NULL;

	/* a book or thesis and a paper of one title are two works, and so are
	 * two in venues plainly not one (the thesis "Disorder-free
	 * localization", and the letter of that title in "Phys. Rev. Lett.") */
	if (old != NULL && ((old->type != it->type && (old->type == CVB_T_BOOK || old->type == CVB_T_THESIS ||
	    it->type == CVB_T_BOOK || it->type == CVB_T_THESIS)) ||
	    other_venue(old->str[CVB_V_CONTAINER_TITLE], it->str[CVB_V_CONTAINER_TITLE])))
		return it;
	if (old != NULL && old->names[CVB_NV_AUTHOR] == NULL && it->names[CVB_NV_AUTHOR] != NULL) {
		cvb_diag(R->d, CVB_D_TEXT_DUPLICATE, R->file, old->loc.line, old->loc.column, "'%.*s'",
		    (int)cvb_utf8_prefix(old->str[CVB_V_TITLE], 60), old->str[CVB_V_TITLE]);
		R->b->items[where] = it;
		R->b->items[R->b->n - 1] = old;
		it->seq = old->seq;
	} else {
		cvb_diag(R->d, CVB_D_TEXT_DUPLICATE, R->file, line, col, "'%.*s'",
		    (int)cvb_utf8_prefix(it->str[CVB_V_TITLE], 60), it->str[CVB_V_TITLE]);
		it = NULL;
	}
	cvb_item_drop_last(R->b);
	return it;
}

/* The status and venue the CV reader took off the entry ("Under review at ICLR 2025"). */
static void
put_status_venue(struct reader *R, struct cvb_item *it, const char *status, const char *venue)
{
	if (status != NULL)
		it->str[CVB_V_STATUS] = status;
	else if (it->str[CVB_V_STATUS] != NULL)
		it->str[CVB_V_STATUS] = status_norm(it->str[CVB_V_STATUS]);
	if (venue != NULL && it->str[CVB_V_CONTAINER_TITLE] == NULL) {
		size_t an = 0, v;

		it->str[CVB_V_CONTAINER_TITLE] = venue;
		/* "(Accepted to NeurIPS 2020)": a venue known by its acronym
		 * (data/text-venues.tsv) says what the paper is */
		while (isalnum((unsigned char)venue[an]))
			an++;
		for (v = 0; an > 1 && it->type == CVB_T_ARTICLE_JOURNAL && cvb_text_venues[v][0] != NULL;
		    v++)
			if (strlen(cvb_text_venues[v][0]) == an &&
			    memcmp(cvb_text_venues[v][0], venue, an) == 0 &&
			    (venue[an] == '\0' || venue[an] == ' ' || venue[an] == '\'')) {
				enum cvb_type t = cvb_type_lookup(cvb_text_venues[v][2]);

				if (t != CVB_T_NONE)
					it->type = t;
			}
	}
	if (venue != NULL && cvb_item_year(it) == 0) {
		size_t k, vn = strlen(venue);
		char y[5];

		for (k = 0; k + 4 <= vn; k++)
			if ((venue[k] == '1' || venue[k] == '2') && isdigit((unsigned char)venue[k + 1]) &&
			    isdigit((unsigned char)venue[k + 2]) && isdigit((unsigned char)venue[k + 3]) &&
			    (k == 0 || !isalnum((unsigned char)venue[k - 1])) &&
			    (k + 4 == vn || !isalnum((unsigned char)venue[k + 4]))) {
				memcpy(y, venue + k, 4);
				y[4] = '\0';
				it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(R->b, y);
				break;
			}
	}
}

/*
 * The entry's year came from a range of numbers ("J. Atmos. Sci, 78,
 * 1999-2011.") while the heading or date line above gives another year, and
 * the entry has no pages: the range is its pages, and the year is the one
 * above (which the caller sets).
 */
static void
year_was_pages(struct reader *R, struct cvb_item *it, const char *text)
{
	const char *p;
	int y = cvb_item_year(it);
	char ys[16];

	snprintf(ys, sizeof(ys), "%d", y);
	for (p = strstr(text, ys); p != NULL; p = strstr(p + 1, ys)) {
		const char *q = p + strlen(ys), *e;
		int mod = 1;

		if (p > text && isdigit((unsigned char)p[-1]))
			continue;
		if (*q == '-')
			q++;
		else if (strncmp(q, "\xe2\x80\x93", 3) == 0)	/* an en dash */
			q += 3;
		else
			continue;
		for (e = q; isdigit((unsigned char)*e) && e - q < 6; e++)
			mod *= 10;
		/* the range goes up: "1999-2011", "1547-64" */
		if (e == q || isdigit((unsigned char)*e) || *e == '/' || atoi(q) <= y % mod)
			continue;
		it->str[CVB_V_PAGE] = cvb_arena_strndup(&R->b->arena, p, (size_t)(e - p));
		it->date[CVB_DV_ISSUED] = NULL;
		return;
	}
}

/* How often needle is in hay, case aside. */
static size_t
count_ci(const char *hay, const char *needle)
{
	size_t n = 0, l = strlen(needle);
	const char *p;

	if (l == 0)
		return 0;
	for (p = strcasestr(hay, needle); p != NULL; p = strcasestr(p + l, needle))
		n++;
	return n;
}

/* Is x in text (the entry as parsed) outside the targets of its web links? */
static bool
printed(const char *text, const char *x, const char *const *field, const char *const *url,
    size_t n)
{
	size_t i, in_links = 0;

	for (i = 0; i < n; i++)
		if (strcmp(field[i], "link") == 0 || strcmp(field[i], "href") == 0)
			in_links += count_ci(url[i], x);
	return count_ci(text, x) > in_links;
}

/*
 * A web page's links (ft_add_href) are read with the text, but their targets
 * are not printed: a DOI, URL or arXiv id found only there is no part of the
 * citation as the page shows it.  It stays a lead, the extra field "link"
 * (cvbib_enrich() looks a DOI in it up).  A Markdown link's address ("href":
 * the text is not the address) is the author's and stays the entry's URL or
 * DOI, but an arXiv id only there is not printed: no arXiv number.
 */
static void
unprinted_links(struct cvb_item *it, const char *text, const char *const *field,
    const char *const *url, size_t n)
{
	struct cvb_buf a = CVB_BUF_INIT;
	size_t i;
	bool web = false, md = false;

	for (i = 0; i < n; i++) {
		web |= strcmp(field[i], "link") == 0;
		md |= strcmp(field[i], "href") == 0;
	}
	if (!web && !md)
		return;
	/* a Markdown link's address ("href") stays the entry's URL or DOI */
	if (web && it->str[CVB_V_URL] != NULL && !printed(text, it->str[CVB_V_URL], field, url, n))
		it->str[CVB_V_URL] = NULL;
	if (web && it->str[CVB_V_DOI] != NULL && !printed(text, it->str[CVB_V_DOI], field, url, n))
		it->str[CVB_V_DOI] = NULL;
	if (cvb_item_extra_text(it, "arxiv", &a) != NULL && !printed(text, a.buf, field, url, n)) {
		it->flags &= ~(unsigned)CVB_IF_ARXIV_NUMBER;
		if (it->str[CVB_V_NUMBER] != NULL && strncmp(it->str[CVB_V_NUMBER], "arXiv:", 6) == 0 &&
		    strcmp(it->str[CVB_V_NUMBER] + 6, a.buf) == 0)
			it->str[CVB_V_NUMBER] = NULL;
	}
	cvbib_buf_release(&a);
}

/* Is one of the entry's labelled links the paper itself ("[PDF](...)")? */
static bool
paper_link(const char *const *field, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(field[i], "pdf") == 0)
			return true;
	return false;
}

/*
 * Where a patent stands, as the entry prints it after its title: "pending",
 * "filed in 2020", "granted 2021", "provisional".  CSL has no variable for it;
 * it is the entry's note (addendum), the words as printed up to the next
 * comma, full stop or bracket.
 */
static void
patent_state(struct reader *R, struct cvb_item *it, const char *s)
{
	static const char *const words[] = { "patent pending", "pending", "filed", "granted",
		"provisional", NULL };
	const struct cvb_note *nt;
	const char *at = NULL, *e, *t = it->str[CVB_V_TITLE];
	size_t k;

	/* after the title: the words of a title are no state */
	if (t != NULL && (e = strstr(s, t)) != NULL)
		s = e + strlen(t);
	for (k = 0; words[k] != NULL && at == NULL; k++) {
		size_t l = strlen(words[k]);

		for (at = s; (at = strcasestr(at, words[k])) != NULL; at += l)
			if ((at == s || !isalpha((unsigned char)at[-1])) && !isalpha((unsigned char)at[l]))
				break;
	}
	if (at == NULL)
		return;
	for (e = at; *e != '\0' && !strchr(",.;()[]<>", *e); e++)
		;
	while (e > at && e[-1] == ' ')
		e--;
	for (nt = it->notes; nt != NULL; nt = nt->next)
		if (nt->text != NULL && strncasecmp(nt->text, at, (size_t)(e - at)) == 0)
			return;
	cvb_item_add_note(R->b, it, CVB_NOTE_OTHER, cvb_arena_strndup(&R->b->arena, at, (size_t)(e - at)));
}

static void
add_entry_text(struct reader *R, const char *s, size_t n, unsigned line, unsigned col)
{
	struct cvb_buf t = CVB_BUF_INIT, c = CVB_BUF_INIT;
	const char *status = NULL, *venue = NULL, *lfield[16], *lurl[16];
	struct cvb_name *withn[12];
	struct emph em;
	size_t nlinks, li, nwith;
	long where = -1;
	struct cvb_item *it;
	int rc;
	size_t i;
	bool other;	/* the entry is under a heading of another kind ("Talks") */

	nlinks = take_links(R, &t, s, n, lfield, lurl, CVB_ARRAY_SIZE(lfield));
	if (t.buf == NULL) {
		cvbib_buf_release(&c);
		return;
	}
	note_owner(R, t.buf);
	resolve_emphasis(&c, t.buf);
	cvbib_buf_release(&t);
	collapse_space(&c);
	strip_emph(&c, &em);
	drop_empty_brackets(&c, &em);
	while (c.len > 0 && (c.buf[c.len - 1] == ' '))
		cvb_buf_setlen(&c, c.len - 1);
	for (i = 0; i < c.len && c.buf[i] == ' '; i++)
		;
	nwith = take_with_names(R, &c, withn, CVB_ARRAY_SIZE(withn), &em);
	if (c.len - i >= 12)
		take_status(R, &c, &status, &venue, &em);
	while (c.len > 0 && (c.buf[c.len - 1] == ' '))
		cvb_buf_setlen(&c, c.len - 1);
	if (c.len - i < 12 || ft_is_legend_line(c.buf + i)) {
		cvbib_buf_release(&c);
		return;
	}
	if (ft_is_degree_line(c.buf + i)) {
		/* "Ph.D. in Physics, MIT, 2019" under Education */
		say_entry(R, CVB_D_TEXT_DEGREE, c.buf + i, line, col);
		cvbib_buf_release(&c);
		return;
	}
	it = cvb_item_new(R->b, R->file, line, col);
	if (it == NULL) {
		R->err = 1;
		cvbib_buf_release(&c);
		return;
	}
	it->group = R->group;
	emph_cut(&em, 0, i);
	R->ctx.emph = em.v;
	R->ctx.nemph = em.n;
	rc = cvb_refparse(R->b, it, c.buf + i, c.len - i, &R->ctx);
	R->ctx.emph = NULL;
	R->ctx.nemph = 0;
	if (rc > 0)
		unprotect(R, it);
	if (rc == 0 && nwith > 0 && it->str[CVB_V_TITLE] != NULL)
		rc = 1;	/* a title, and the co-authors named after "with" */
	if (rc < 0) {
		R->err = 1;
	} else if (rc == 0 && (R->conf < 0.9 || R->sec_refshare < 0.5)) {
		/* not a reference to the parser, and the segmenter was not sure
		 * either: a line of some other section, reported and left out */
		leave_out(R, CVB_D_TEXT_NOT_REF, &c, i, line, col);
		return;
	} else if (is_honour(c.buf + i, it)) {
		leave_out(R, CVB_D_TEXT_HONOUR, &c, i, line, col);
		return;
	} else if (rc == 0) {
		keep_raw(R, it, c.buf + i, c.len - i, line, col);
	} else if (seen_title(R, it->str[CVB_V_TITLE], &where)) {
		it = duplicate(R, it, where, line, col);
	}
	if (it != NULL && rc >= 0) {
		/* "with A B and C D": the co-authors, after any authors read */
		for (li = 0; li < nwith; li++)
			cvb_item_add_name(it, CVB_NV_AUTHOR, withn[li]);
		unprinted_links(it, c.buf + i, lfield, lurl, nlinks);
		/* the labelled links (PDF, slides, code) as their fields, and a
		 * web page's first other link */
		for (li = 0; li < nlinks; li++)
			if (strcmp(lfield[li], "href") != 0 && cvb_item_extra(it, lfield[li]) == NULL)
				cvb_item_add_field(R->b, it, lfield[li], lurl[li], 0);
		/* a URL that is the DOI's own link says nothing more */
		if (it->str[CVB_V_URL] != NULL && it->str[CVB_V_DOI] != NULL &&
		    same_doi_link(it->str[CVB_V_URL], it->str[CVB_V_DOI]))
			it->str[CVB_V_URL] = NULL;
	}
	if (it != NULL && rc > 0)
		put_status_venue(R, it, status, venue);
	if (it != NULL && rc > 0 && (R->conf < 0.9 || R->sec_refshare < 0.5) &&
	    it->names[CVB_NV_AUTHOR] == NULL &&
	    it->names[CVB_NV_EDITOR] == NULL && it->str[CVB_V_CONTAINER_TITLE] == NULL &&
	    it->str[CVB_V_DOI] == NULL && it->str[CVB_V_URL] == NULL && !paper_link(lfield, nlinks) &&
	    !(it->str[CVB_V_PAGE] != NULL && it->date[CVB_DV_ISSUED] != NULL)) {
		/* no names, no venue, no identifier (nor a PDF link of its own, nor
		 * pages and a date), and the segmenter was not sure: a line of some
		 * other section, reported and left out */
		leave_out(R, CVB_D_TEXT_NOT_ENTRY, &c, i, line, col);
		return;
	}
	if (it != NULL && rc >= 0 && not_reference(c.buf + i, it)) {
		leave_out(R, CVB_D_TEXT_NOT_REF, &c, i, line, col);
		return;
	}
	other = R->group != NULL && ft_section_kind(R->group) < 0;
	/* no title and no names, in a section of another kind (experience,
	 * awards): a line of that section, not a publication */
	if (it != NULL && rc > 0 && other && it->str[CVB_V_TITLE] == NULL && !has_person(it) &&
	    it->names[CVB_NV_EDITOR] == NULL) {
		leave_out(R, CVB_D_TEXT_NOT_REF, &c, i, line, col);
		return;
	}
	/* in a section of another kind, one name or none (an organisation, a
	 * role: "Doctoral Faculty", "Heterodox Academy") and nothing of a
	 * publication (identifier, volume, pages, the paper's link): a line of
	 * that section; a paper listed there has its list of authors */
	if (it != NULL && rc > 0 && other && persons(it) < 2 && it->str[CVB_V_DOI] == NULL &&
	    cvb_item_extra(it, "arxiv") == NULL && it->str[CVB_V_VOLUME] == NULL &&
	    it->str[CVB_V_PAGE] == NULL && !paper_link(lfield, nlinks)) {
		leave_out(R, CVB_D_TEXT_NOT_REF, &c, i, line, col);
		return;
	}
	if (it != NULL && rc > 0 && (is_talk(c.buf + i) || (other && talk_word(c.buf + i))) &&
	    it->str[CVB_V_DOI] == NULL &&
	    it->str[CVB_V_PAGE] == NULL && it->str[CVB_V_VOLUME] == NULL) {
		/* "Title. Oral presentation at the 9th Conference ...": a talk, with
		 * nothing published (no DOI, volume or pages) */
		leave_out(R, CVB_D_TEXT_TALK, &c, i, line, col);
		return;
	}
	if (it != NULL && rc > 0 && it->str[CVB_V_PAGE] == NULL && R->ctx_year > 0 &&
	    cvb_item_year(it) != 0 && cvb_item_year(it) != R->ctx_year)
		year_was_pages(R, it, c.buf + i);
	if (it != NULL && rc > 0 && cvb_item_year(it) == 0 && R->ctx_year > 0) {
		/* the year printed only in a heading or a date line above */
		char y[16];

		snprintf(y, sizeof(y), "%d", R->ctx_year);
		it->date[CVB_DV_ISSUED] = cvb_date_parse_edtf(R->b, y);
	}
	if (it != NULL && rc > 0 && R->group != NULL && it->str[CVB_V_CONTAINER_TITLE] == NULL &&
	    (it->type == CVB_T_ARTICLE_JOURNAL || it->type == CVB_T_NONE)) {
		/* what the section says of its entries, where the entry says
		 * nothing of its kind: "Patents", "Ph.D. Dissertation" */
		if (strcasestr(R->group, "patent") != NULL)
			it->type = CVB_T_PATENT;
		else if (ft_names_thesis(R->group)) {
			it->type = CVB_T_THESIS;
			/* a heading that names the degree is the genre ("M.Sc.
			 * Thesis"); one that says only "Thesis" says nothing more */
			if (it->str[CVB_V_GENRE] == NULL && strlen(R->group) <= 40 && strchr(R->group, ' ') != NULL &&
			    strncasecmp(R->group, "selected ", 9) != 0)
				it->str[CVB_V_GENRE] = R->group;
		}
	}
	/* a heading that names one kind of publication ("Conference Papers",
	 * "Preprints", "Book Chapters") gives it to an entry that the parser
	 * could only call a journal article by default */
	if (it != NULL && rc > 0 && R->group != NULL && it->type == CVB_T_ARTICLE_JOURNAL) {
		enum cvb_type st = ft_section_type(R->group);

		if (st != CVB_T_NONE && !(st == CVB_T_CHAPTER && it->str[CVB_V_CONTAINER_TITLE] == NULL))
			it->type = st;
	}
	if (it != NULL && rc > 0 && it->type == CVB_T_PATENT)
		patent_state(R, it, c.buf + i);
	/* the card's label says what the entry is ("Conference Paper") */
	if (it != NULL && rc > 0 && R->card_type != CVB_T_NONE)
		it->type = R->card_type;
	if (it != NULL && R->conf < 0.5) {
		say_entry(R, CVB_D_TEXT_UNSURE, c.buf + i, line, col);
	}
	if (it != NULL && make_id(R, it) < 0)
		R->err = 1;
	cvbib_buf_release(&c);
}
