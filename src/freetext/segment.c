/*
 * segment.c - the CV segmenter: which lines of a CV are publication entries.
 *
 * A linear-chain CRF (src/seq/) labels every non-blank line of the document
 * model (doc.c) as one of
 *
 *   H  a heading               S  the first line of an entry
 *   C  an entry's next line    A  an annotation under an entry (a note, an award)
 *   O  anything else (prose, talks, teaching, navigation, footers)
 *
 * in the way anystyle's finder and GROBID's segmentation model label lines.
 * The features of a line are its layout (heading level, list marker and
 * nesting, indentation, blank lines around it), the shape of its text
 * (length, years, name-like tokens, initials, quotes, emphasis, DOIs, URLs,
 * page ranges, volume(issue), venue words), its heading path (the words of
 * the headings above it, and how reference-like the lines under that
 * heading are as a whole), and the same for its neighbours.  The weights are
 * data (data/segment.crf, trained by `make train`: mk/segment.mk).
 *
 * ft_seg_features() is used both at run time and by the trainer's data dump
 * (tests/helper/segdump.c), so the two always agree.
 */
#include <pthread.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "seq/seq.h"
#include "freetext/ft.h"

/* data/segment.crf, compiled in by mk/seq.mk */
extern const unsigned char cvb_seq_blob_segment[];
extern const size_t cvb_seq_blob_segment_len;

/* What the text of one line looks like. */
struct shape {
	size_t	len, words, caps, initials, commas, digits, years, ands;
	int	year_first, year_only, doi, url, pages, voliss, quote, emph, emph_first;
	int	colon_label, venue, first_cap, first_digit, ends_dot, ends_comma, etal, first_lower;
	int	status, nonascii, name_first;
	size_t	lower, sentences;	/* lower-case words; prose sentence ends ("word. The") */
	char	first[16];	/* the first word, lower-case, ASCII letters only */
};

static bool
is_year_at(const char *s, size_t i, size_t n)
{
	if (i + 4 > n || !(s[i] == '1' || s[i] == '2'))
		return false;
	if (!(s[i] == '1' && s[i + 1] == '9') && !(s[i] == '2' && s[i + 1] == '0'))
		return false;
	if (!isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]))
		return false;
	if (i > 0 && isalnum((unsigned char)s[i - 1]))
		return false;
	return i + 4 == n || !isalnum((unsigned char)s[i + 4]);
}

static bool
word_in(const char *low, const char *const *list)
{
	for (; *list; list++)
		if (strstr(low, *list) != NULL)
			return true;
	return false;
}

static void
shape_of(const char *s, struct shape *h)
{
	/* words that name a kind of venue or publication, in several languages */
	static const char *const venue[] = { "journal", "proceedings", "proc.", "conference",
		"workshop", "symposium", "transactions", "letters", "review", "arxiv", "preprint",
		"press", "university", "thesis", "vol.", "revista", "zeitschrift", "actes",
		"congreso", "tagung", "konferenz", "journée", "期刊", "会议", "学报", NULL };
	static const char *const status[] = { "under review", "submitted", "in press",
		"forthcoming", "accepted", "in preparation", "in submission", "to appear", NULL };
	char low[512];
	size_t i, n = strlen(s), k, w0 = 0;
	int inword = 0, wordstart = 1;

	memset(h, 0, sizeof(*h));
	h->len = n;
	for (i = 0, k = 0; i < n && k + 1 < sizeof(low); i++)
		if (s[i] != EMPH_OPEN && s[i] != EMPH_CLOSE)
			low[k++] = (char)tolower((unsigned char)s[i]);
	low[k] = '\0';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == EMPH_OPEN) {
			h->emph = 1;
			if (i == 0)
				h->emph_first = 1;
			continue;
		}
		if (c == EMPH_CLOSE)
			continue;
		if (c >= 0x80)
			h->nonascii = 1;
		if (isdigit(c))
			h->digits++;
		if (c == ',')
			h->commas++;
		if (c == '"' || (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9D)))
			h->quote = 1;
		if (is_year_at(s, i, n)) {
			h->years++;
			if (h->words == 0)
				h->year_first = 1;
		}
		if (isspace(c) || c == ',' || c == ';') {
			inword = 0;
			wordstart = 1;
			continue;
		}
		if (!inword) {
			inword = 1;
			h->words++;
			if (islower(c))
				h->lower++;
			if (wordstart && isupper(c)) {
				h->caps++;
				/* an initial: "A." "J.-P." "JP" is not counted */
				if (i + 1 < n && s[i + 1] == '.')
					h->initials++;
			}
			if (h->words == 1) {
				h->first_cap = isupper(c) || c >= 0xC0;
				h->first_digit = isdigit(c) != 0;
				h->first_lower = islower(c) != 0;
				w0 = i;
			}
			wordstart = 0;
		}
	}
	for (i = w0, k = 0; i < n && k + 1 < sizeof(h->first) && isalpha((unsigned char)s[i]); i++)
		h->first[k++] = (char)tolower((unsigned char)s[i]);
	h->first[k] = '\0';
	if (w0 + k < n && s[w0 + k] == ':' && k > 0)
		h->colon_label = 1;
	/* "Smith, J." or "J. Smith" or "Smith J" at the start */
	{
		const char *p = s + w0;

		while (*p == EMPH_OPEN)
			p++;
		if (isupper((unsigned char)p[0]) && p[1] == '.' )
			h->name_first = 1;
		else if (isupper((unsigned char)p[0])) {
			const char *q = p;

			while (isalpha((unsigned char)*q) || *q == '-' || (unsigned char)*q >= 0x80)
				q++;
			if (*q == ',' && q[1] == ' ' && isupper((unsigned char)q[2]))
				h->name_first = 1;
		}
	}
	h->ands = (size_t)(strstr(low, " and ") != NULL) + (size_t)(strstr(low, " & ") != NULL);
	h->etal = strstr(low, "et al") != NULL;
	h->doi = strstr(low, "doi") != NULL || strstr(low, "10.") != NULL;
	h->url = strstr(low, "http") != NULL || strstr(low, "www.") != NULL;
	h->venue = word_in(low, venue);
	h->status = word_in(low, status);
	for (i = 0; i + 2 < n; i++) {
		if (isdigit((unsigned char)s[i]) && (s[i + 1] == '-' || (s[i + 1] == '\xE2' &&
		    i + 3 < n && s[i + 2] == '\x80')) && isdigit((unsigned char)s[i + (s[i + 1] == '-' ? 2 : 4)]))
			h->pages = 1;
		if (isdigit((unsigned char)s[i]) && s[i + 1] == '(' && isdigit((unsigned char)s[i + 2]))
			h->voliss = 1;
	}
	for (i = 4; i + 2 < n; i++)
		if (s[i] == '.' && s[i + 1] == ' ' && isupper((unsigned char)s[i + 2]) &&
		    islower((unsigned char)s[i - 1]) && islower((unsigned char)s[i - 2]) &&
		    islower((unsigned char)s[i - 3]) && islower((unsigned char)s[i - 4]))
			h->sentences++;
	if (strstr(low, "pp.") || strstr(low, "pages"))
		h->pages = 1;
	if (n > 0) {
		char last = s[n - 1];

		h->ends_dot = last == '.';
		h->ends_comma = last == ',' || last == ';';
	}
	h->year_only = h->years > 0 && h->words <= 3 && n <= 24;
}

static const char *
bucket(size_t v, const size_t *edges, size_t ne, char *buf, size_t bl)
{
	size_t i;

	for (i = 0; i < ne && v >= edges[i]; i++)
		;
	snprintf(buf, bl, "%zu", i);
	return buf;
}

/* The features of one line's shape with a prefix ("" for the line, "p:" "n:" for neighbours). */
static void
shape_feats(struct cvb_seq *x, const char *pf, const struct shape *h, bool full)
{
	static const size_t len_e[] = { 8, 25, 50, 90, 160, 300 };
	static const size_t cnt_e[] = { 1, 2, 4, 7 };
	char b[16];

	cvb_seq_featf(x, "%slen=%s", pf, bucket(h->len, len_e, 6, b, sizeof(b)));
	cvb_seq_featf(x, "%syears=%s", pf, bucket(h->years, cnt_e, 4, b, sizeof(b)));
	cvb_seq_featf(x, "%sinit=%s", pf, bucket(h->initials, cnt_e, 4, b, sizeof(b)));
	cvb_seq_featf(x, "%scommas=%s", pf, bucket(h->commas, cnt_e, 4, b, sizeof(b)));
	if (h->name_first)
		cvb_seq_featf(x, "%sname1", pf);
	if (h->year_only)
		cvb_seq_featf(x, "%syearonly", pf);
	if (h->year_first)
		cvb_seq_featf(x, "%syear1", pf);
	if (h->quote)
		cvb_seq_featf(x, "%squote", pf);
	if (h->emph)
		cvb_seq_featf(x, "%semph", pf);
	if (h->venue)
		cvb_seq_featf(x, "%svenue", pf);
	if (h->doi)
		cvb_seq_featf(x, "%sdoi", pf);
	if (h->ends_dot)
		cvb_seq_featf(x, "%send.", pf);
	if (h->ends_comma)
		cvb_seq_featf(x, "%send,", pf);
	if (!h->ends_dot && !h->ends_comma)
		cvb_seq_featf(x, "%sendother", pf);
	if (!full)
		return;
	if (h->first_lower)
		cvb_seq_featf(x, "%slow1", pf);
	cvb_seq_featf(x, "%slower=%s", pf, bucket(h->words ? h->lower * 10 / h->words : 0,
	    (const size_t[]){ 3, 5, 7, 8 }, 4, b, sizeof(b)));
	cvb_seq_featf(x, "%ssent=%s", pf, bucket(h->sentences, cnt_e, 4, b, sizeof(b)));
	cvb_seq_featf(x, "%scaps=%s", pf, bucket(h->words ? h->caps * 10 / h->words : 0,
	    (const size_t[]){ 2, 4, 6, 8 }, 4, b, sizeof(b)));
	if (h->emph_first)
		cvb_seq_featf(x, "%semph1", pf);
	if (h->url)
		cvb_seq_featf(x, "%surl", pf);
	if (h->pages)
		cvb_seq_featf(x, "%spages", pf);
	if (h->voliss)
		cvb_seq_featf(x, "%svoliss", pf);
	if (h->ands)
		cvb_seq_featf(x, "%sand", pf);
	if (h->etal)
		cvb_seq_featf(x, "%setal", pf);
	if (h->status)
		cvb_seq_featf(x, "%sstatus", pf);
	if (h->colon_label)
		cvb_seq_featf(x, "%slabel:", pf);
	if (h->first_cap)
		cvb_seq_featf(x, "%scap1", pf);
	if (h->first_digit)
		cvb_seq_featf(x, "%sdigit1", pf);
	if (h->nonascii)
		cvb_seq_featf(x, "%snonascii", pf);
}

/* The words of a heading as features: ASCII words lower-cased, others whole. */
static void
heading_words(struct cvb_seq *x, const char *pf, const char *s)
{
	char w[40];
	size_t k = 0;
	int nw = 0;

	for (;; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != 0 && (isalpha(c) || c >= 0x80)) {
			if (k + 1 < sizeof(w))
				w[k++] = (char)tolower(c);
			continue;
		}
		if (k >= 3 || (k > 0 && (unsigned char)w[0] >= 0x80)) {
			w[k] = '\0';
			/* a crude stem: "publications" and "publication" are one word */
			if (k > 4 && w[k - 1] == 's')
				w[k - 1] = '\0';
			cvb_seq_featf(x, "%s=%s", pf, w);
			nw++;
		}
		k = 0;
		if (c == 0 || nw >= 6)
			break;
	}
}

/* Is the heading a year or a date range ("2024", "2019-2021")? */
static bool
heading_is_year(const char *s)
{
	size_t i, n = strlen(s), years = 0, alpha = 0;

	for (i = 0; i < n; i++) {
		if (is_year_at(s, i, n))
			years++;
		if (isalpha((unsigned char)s[i]))
			alpha++;
	}
	return years > 0 && alpha <= 6;
}

/*
 * Is s a date alone: "2021", "10/22", "10/2022", "2022-10"?  *year (when
 * year is not NULL): its year; a two-digit one is cvb_year_yy's.
 */
bool
ft_date_alone(const char *s, int *year)
{
	size_t n = strlen(s), d1, d2 = 0, i = 0;
	int y;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
		n--;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	d1 = i;
	if (i < n && (s[i] == '/' || s[i] == '-' || s[i] == '.'))
		for (i++; i < n && isdigit((unsigned char)s[i]); i++)
			d2++;
	if (i != n || n == 0)
		return false;
	if (d1 == 4 && d2 <= 2)
		y = atoi(s);			/* "2021", "2022-10" */
	else if (d1 <= 2 && d1 > 0 && atoi(s) >= 1 && atoi(s) <= 12 && (d2 == 2 || d2 == 4))
		y = d2 == 2 ? cvb_year_yy(atoi(s + d1 + 1)) : atoi(s + d1 + 1);
	else
		return false;
	if (y < 1900 || y > 2099)
		return false;
	if (year != NULL)
		*year = y;
	return true;
}

/* Are the words of s (n bytes) those of a date: months and seasons ("Mar
 * 2021", "Fall 2019"), not a venue's acronym ("IROS 2024", a card's venue
 * line)?  Numbers and punctuation pass. */
bool
ft_date_words(const char *s, size_t n)
{
	size_t i, w;

	for (i = 0; i < n; i = w > i ? w : i + 1) {
		for (w = i; w < n && isalpha((unsigned char)s[w]); w++)
			;
		if (w > i && cvb_bibtex_month(s + i, w - i) == 0 && cvb_season_name(s + i, w - i) == 0)
			return false;
	}
	return true;
}

/*
 * Is the line LaTeX markup and nothing else ("\\begin{cventries}",
 * "\\end{cvitems}}", "\\cventry{}{}{}{2021}{\\begin{cvitems}")?  It opens with
 * a command, and once the commands are taken away at most one word (an
 * environment's name) and at most one number are left.  *year: that
 * number when it is a year, else 0.
 */
bool
ft_markup_line(const char *s, int *year)
{
	size_t i, n = strlen(s);
	int words = 0, nums = 0, y = 0;

	*year = 0;
	for (i = 0; i < n && isspace((unsigned char)s[i]); i++)
		;
	if (i >= n || s[i] != '\\')
		return false;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\') {
			for (i++; i < n && isalpha((unsigned char)s[i]); i++)
				;
			if (i < n && s[i] == '*')
				i++;
		} else if (isalpha(c) || c >= 0x80) {
			if (++words > 1)
				return false;
			while (i < n && (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
				i++;
		} else if (isdigit(c)) {
			if (++nums > 1)
				return false;
			if (is_year_at(s, i, n))
				y = atoi(s + i);
			while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
				i++;
		} else if (strchr("{}[]-+ \t", c) != NULL || isspace(c)) {
			i++;
		} else
			return false;
	}
	*year = y;
	return true;
}

/*
 * The year a line gives the entries under it: a heading that is a year or a
 * date range ("### 2024"), a line that is only a date ("2019", "Mar 2021"),
 * or a line of LaTeX markup holding one year ("\\cventry{}{}{}{2021}{").
 * 0: none.  -1: a heading that is not a year (it ends the year's scope).
 */
int
ft_line_year(const struct tline *t)
{
	struct shape h;
	size_t i, n = strlen(t->text);
	int y = 0;

	for (i = 0; i < n; i++)
		if (is_year_at(t->text, i, n)) {
			y = atoi(t->text + i);
			break;
		}
	if (t->heading)
		return heading_is_year(t->text) ? y : -1;
	shape_of(t->text, &h);
	if ((h.year_only && ft_date_words(t->text, n)) || ft_date_alone(t->text, &y))
		return y;
	return ft_markup_line(t->text, &y) ? y : 0;
}

/* How reference-like a line is, 0..3: for the section statistics. */
static int
refness(const struct shape *h)
{
	int r = 0;

	if (h->len < 40)
		return 0;
	r += h->years > 0;
	r += h->initials >= 2 || h->name_first || h->etal || h->ands;
	r += h->quote || h->emph || h->venue || h->doi || h->pages || h->voliss;
	return r;
}

/* The share of the lines under heading sec (to the next heading) that look
 * like references, 0..1. */
double
ft_section_refshare(const struct lines *L, long sec)
{
	size_t i = sec < 0 ? 0 : (size_t)sec + 1, n = 0, r = 0;
	struct shape h;

	for (; i < L->n && !L->v[i].heading; i++) {
		if (L->v[i].blank || L->v[i].text == NULL)
			continue;
		shape_of(L->v[i].text, &h);
		n++;
		/* reference-like, and with names or a quoted or emphasised title */
		r += refness(&h) >= 2 && (h.initials >= 2 || h.name_first || h.etal || h.ands ||
		    h.quote || h.emph);
	}
	return n ? (double)r / (double)n : 0.0;
}

int
ft_seg_features(const struct lines *L, struct cvb_seq *x, size_t *pos_line)
{
	struct shape *sh;
	size_t i, np = 0, *sec_n, *sec_r;
	bool any_heading = false;

	sh = calloc(L->n ? L->n : 1, sizeof(*sh));
	sec_n = calloc(L->n ? L->n + 1 : 1, sizeof(*sec_n));
	sec_r = calloc(L->n ? L->n + 1 : 1, sizeof(*sec_r));
	if (sh == NULL || sec_n == NULL || sec_r == NULL) {
		free(sh), free(sec_n), free(sec_r);
		return -1;
	}
	for (i = 0; i < L->n; i++) {
		const struct tline *t = &L->v[i];

		if (t->blank || t->text == NULL)
			continue;
		shape_of(t->text, &sh[i]);
		if (t->heading)
			any_heading = true;
		else {
			/* statistics of the section under the heading t->sec */
			size_t s = (size_t)(t->sec + 1);

			sec_n[s]++;
			sec_r[s] += refness(&sh[i]) >= 2;
		}
	}
	for (i = 0; i < L->n; i++) {
		const struct tline *t = &L->v[i], *p = NULL, *nx = NULL;
		size_t j, s;
		int blank_before = 0, blank_after = 0;
		char b[16];

		if (t->blank || t->text == NULL)
			continue;
		for (j = i; j-- > 0;) {
			if (L->v[j].blank)
				blank_before = 1;
			else {
				p = &L->v[j];
				break;
			}
		}
		for (j = i + 1; j < L->n; j++) {
			if (L->v[j].blank)
				blank_after = 1;
			else {
				nx = &L->v[j];
				break;
			}
		}
		if (cvb_seq_next(x) < 0)
			break;
		pos_line[np++] = i;
		cvb_seq_feat(x, "bias");
		if (t->heading) {
			cvb_seq_featf(x, "headkind=%d", ft_section_kind(t->text));
			cvb_seq_featf(x, "head=%d", t->heading);
			cvb_seq_feat(x, "head");
			heading_words(x, "hw", t->text);
			if (heading_is_year(t->text))
				cvb_seq_feat(x, "headyear");
		}
		if (t->list)
			cvb_seq_featf(x, "list=%d", t->list);
		else
			cvb_seq_feat(x, "nolist");
		cvb_seq_featf(x, "ind=%s", bucket((size_t)t->indent, (const size_t[]){ 1, 3, 6, 10 }, 4,
		    b, sizeof(b)));
		if (p != NULL) {
			cvb_seq_featf(x, "dind=%c", t->indent > p->indent + 1 ? '+' :
			    t->indent + 1 < p->indent ? '-' : '0');
			if (p->list && t->list)
				cvb_seq_feat(x, "list-after-list");
			if (p->heading)
				cvb_seq_feat(x, "after-head");
		} else
			cvb_seq_feat(x, "first-line");
		if (blank_before)
			cvb_seq_feat(x, "blank<");
		if (blank_after)
			cvb_seq_feat(x, "blank>");
		if (t->brk)
			cvb_seq_feat(x, "br");
		if (t->html)
			cvb_seq_feat(x, "inhtml");
		if (!any_heading)
			cvb_seq_feat(x, "doc-nohead");
		shape_feats(x, "", &sh[i], true);
		if (t->text[0] == '\\')
			cvb_seq_feat(x, "tex");	/* a LaTeX command line */
		if (sh[i].first[0] != '\0' && strlen(sh[i].first) >= 2)
			cvb_seq_featf(x, "w1=%s", sh[i].first);
		if (p != NULL && !p->heading)
			shape_feats(x, "p:", &sh[p - L->v], false);
		if (nx != NULL && !nx->heading)
			shape_feats(x, "n:", &sh[nx - L->v], false);
		if (p != NULL && p->list)
			cvb_seq_featf(x, "p:list=%d", p->list);
		if (nx != NULL && nx->list)
			cvb_seq_featf(x, "n:list=%d", nx->list);
		if (nx != NULL && nx->heading)
			cvb_seq_feat(x, "n:head");
		/* the heading path: the nearest heading's words, a year heading, the one above */
		if (t->sec >= 0) {
			const struct tline *hd = &L->v[t->sec];

			heading_words(x, "sec", hd->text);
			cvb_seq_featf(x, "seckind=%d", ft_section_kind(hd->text));
			if (heading_is_year(hd->text))
				cvb_seq_feat(x, "sec-year");
			/* the heading it is under ("Presentations" over "Conference Papers") */
			for (j = (size_t)t->sec; j-- > 0;)
				if (L->v[j].heading && L->v[j].heading < hd->heading) {
					heading_words(x, heading_is_year(hd->text) ? "sec" : "sec2", L->v[j].text);
					break;
				}
		} else
			cvb_seq_feat(x, "sec-none");
		s = (size_t)(t->sec + 1);
		cvb_seq_featf(x, "secref=%s", bucket(sec_n[s] ? sec_r[s] * 10 / sec_n[s] : 0,
		    (const size_t[]){ 1, 3, 5, 7, 9 }, 5, b, sizeof(b)));
		cvb_seq_featf(x, "secn=%s", bucket(sec_n[s], (const size_t[]){ 2, 4, 10, 30 }, 4,
		    b, sizeof(b)));
	}
	free(sh), free(sec_n), free(sec_r);
	return cvb_seq_failed(x) ? -1 : (int)np;
}

static struct cvb_seq_model *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void
load_builtin(void)
{
	if (cvb_seq_model_load(&builtin, cvb_seq_blob_segment, cvb_seq_blob_segment_len) < 0)
		builtin = NULL;
}

/* The model compiled in (data/segment.crf), loaded once (as refparse's is). */
const struct cvb_seq_model *
ft_seg_builtin(void)
{
	pthread_once(&builtin_once, load_builtin);
	return builtin;
}

int
ft_segment(const struct lines *L, const struct cvb_seq_model *m, char *label, double *conf)
{
	struct cvb_seq *x = cvb_seq_new();
	size_t *pl = malloc((L->n ? L->n : 1) * sizeof(*pl)), i;
	int np, *lab = NULL, rc = -1;
	double *cf = NULL;

	for (i = 0; i < L->n; i++)
		label[i] = 0, conf[i] = 0;
	if (m == NULL)
		m = ft_seg_builtin();
	if (x == NULL || pl == NULL || m == NULL)
		goto out;
	np = ft_seg_features(L, x, pl);
	if (np < 0)
		goto out;
	lab = malloc(((size_t)np + 1) * sizeof(*lab));
	cf = malloc(((size_t)np + 1) * sizeof(*cf));
	if (lab == NULL || cf == NULL || cvb_seq_decode(m, x, lab, cf) < 0)
		goto out;
	for (i = 0; i < (size_t)np; i++) {
		const char *name = cvb_seq_model_label(m, lab[i]);

		label[pl[i]] = name ? name[0] : 'O';
		conf[pl[i]] = cf[i];
	}
	rc = 0;
out:
	free(lab), free(cf), free(pl);
	cvb_seq_free(x);
	return rc;
}
