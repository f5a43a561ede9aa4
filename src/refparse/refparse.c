/*
 * refparse.c - one reference string into one cvb_item.
 *
 * The tokens' labels (reflabel.c) become the item: each labelled span
 * cleaned into its field ("pp.", "Vol.", "In", wrapping quotes and brackets
 * off), the names read by the name grammar (refnames.c), volume, issue and
 * pages that the labels ran together split apart, the year, the phrases of
 * CVs (status, awards, patents), the venue's acronym, identifiers, and the
 * type from the labels.
 */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "refparse/refparse_int.h"

/* The rows of data/text-venues.tsv by the first byte of the acronym, in the
 * table's order: venue_first[c], then venue_next[] (-1 ends).  A table longer
 * than NVENUE_MAX rows is looked up row by row. */
#define NVENUE_MAX 1024
static int venue_first[256], venue_next[NVENUE_MAX], venue_linear;
static pthread_once_t venue_once = PTHREAD_ONCE_INIT;

static void
venue_index(void)
{
	int last[256], v, c;

	for (c = 0; c < 256; c++)
		venue_first[c] = last[c] = -1;
	for (v = 0; v < NVENUE_MAX && cvb_text_venues[v][0] != NULL; v++) {
		c = (unsigned char)cvb_text_venues[v][0][0];
		venue_next[v] = -1;
		if (last[c] < 0)
			venue_first[c] = v;
		else
			venue_next[last[c]] = v;
		last[c] = v;
	}
	venue_linear = cvb_text_venues[v][0] != NULL;
}

/*
 * "NeurIPS 2020", "(ICLR'24)": a conference known by its acronym in the n
 * bytes of o (data/text-venues.tsv); the table row, or -1.
 */
int
cvb_rp_venue_in(const char *o, int n)
{
	int i, j, v;

	pthread_once(&venue_once, venue_index);

	for (i = 0; i < n; i = j + 1) {
		while (i < n && !isalpha((unsigned char)o[i]))
			i++;
		j = i;
		while (j < n && (isalnum((unsigned char)o[j]) || o[j] == '&' || o[j] == '@'))
			j++;
		/* the year glued on: ICLR2021 */
		while (j > i && isdigit((unsigned char)o[j - 1]))
			j--;
		for (v = j > i ? venue_first[(unsigned char)o[i]] : -1; v >= 0; v = venue_next[v]) {
			const char *a = cvb_text_venues[v][0];

			if (strncmp(o + i, a, (size_t)(j - i)) == 0 && a[j - i] == '\0')
				return v;
		}
		for (v = 0; venue_linear && j > i && cvb_text_venues[v][0] != NULL; v++) {
			const char *a = cvb_text_venues[v][0];

			if (a[0] == o[i] && strncmp(o + i, a, (size_t)(j - i)) == 0 && a[j - i] == '\0')
				return v;
		}
		while (j < n && isalnum((unsigned char)o[j]))
			j++;
	}
	return -1;
}

/* A known venue's acronym alone in brackets in o ("(NSDI)", "(ICLR'21)",
 * "(SoCC 2023)"): the table row, or -1. */
static int
venue_bracketed(const char *o, int n)
{
	const char *p = o, *q;
	int v;

	while ((p = memchr(p, '(', (size_t)(n - (p - o)))) != NULL) {
		p++;
		q = memchr(p, ')', (size_t)(n - (p - o)));
		if (q == NULL)
			break;
		if (q - p >= 2 && q - p <= 16 && (v = cvb_rp_venue_in(p, (int)(q - p))) >= 0 &&
		    strncmp(p, cvb_text_venues[v][0], strlen(cvb_text_venues[v][0])) == 0)
			return v;
	}
	return -1;
}

/* one field's text: its runs of tokens, each trimmed, joined by a space */
struct fld {
	struct cvb_buf	 text;
	int		 runs;
};

static const char *const cut_cont[] = { "in", NULL };
/* cut off a field besides the words that announce it (reffeat.c): "pgs.", "Band 3", "t. 2" */
static const char *const cut_page_more[] = { "pgs", NULL };
static const char *const cut_vol_more[] = { "band", "t", NULL };
/* what is around an editor's names besides the editor words: "In", "(eds.)", "edited by" */
static const char *const cut_ed_more[] = { "by", "in", "(ed", "(eds", NULL };

/* Is the token an editor word, or one of cut_ed_more? */
static bool
cut_ed(const char *base, const struct cvb_reftok *t)
{
	return cvb_rp_word_is(base + t->b, t->e - t->b, cvb_ref_editor_words) ||
	    cvb_rp_word_is(base + t->b, t->e - t->b, cut_ed_more);
}

static int
is_quote_at(const char *s, int b, int e, int *len)
{
	unsigned char c = (unsigned char)s[b];

	if (c == '"' || c == '\'' || c == '`') {
		*len = 1;
		return 1;
	}
	if (b + 3 <= e && c == 0xE2 && (unsigned char)s[b + 1] == 0x80 &&
	    (unsigned char)s[b + 2] >= 0x98 && (unsigned char)s[b + 2] <= 0x9F) {
		*len = 3;
		return 1;
	}
	if (b + 2 <= e && c == 0xC2 && ((unsigned char)s[b + 1] == 0xAB || (unsigned char)s[b + 1] == 0xBB)) {
		*len = 2;
		return 1;
	}
	return 0;
}

static int
last_char_len(const char *s, int b, int e)
{
	int k = e - 1;

	while (k > b && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return e - k;
}

/* Is there an initial ("J.") among the tokens b..e? */
static bool
initials_in(const char *base, const struct cvb_reftok *tok, int b, int e)
{
	int k;

	for (k = b; k < e; k++)
		if (tok[k].e - tok[k].b == 1 && isupper((unsigned char)base[tok[k].b]) &&
		    tok_is(base, &tok[k + 1], '.'))
			return true;
	return false;
}

/* Do the tokens b..e read as names and nothing else? */
static bool
names_only(const char *base, const struct cvb_reftok *tok, int b, int e)
{
	int n;
	size_t len = (size_t)(tok[e].e - tok[b].b), used;

	used = cvb_ref_names_at(base + tok[b].b, len, &n);
	return n > 0 && used + 1 >= len;
}

/*
 * An editor's span with its cue inside it ("Boethius: His Life. Ed. Margaret
 * Gibson", "Famulus Christi, ed. Gerald Bonner", "Aldona Jonaitis, ed.,
 * Chiefly Feasts", "J. Latacz (ed.), Homer"): a cue that a comma or a
 * bracket closes ("ed.,", "(ed.)") follows the names, one that runs on into
 * words ("ed. X", "edited by X") comes before them; the names are that side
 * when it is names and nothing else (else the other side, if it is), and
 * the rest is left out of them.
 */
static void
editor_cue_inside(const char *base, const struct cvb_reftok *tok, int *pb, int *pq)
{
	int m, a, z, after;
	bool na, nb;

	for (m = *pq - 1; m > *pb; m--)
		if (cvb_rp_word_is(base + tok[m].b, tok[m].e - tok[m].b, cvb_ref_editor_words))
			break;
	if (m <= *pb)
		return;
	a = m + 1;
	if (a <= *pq && tok_is(base, &tok[a], '.'))
		a++;
	after = !(a <= *pq && (tok_is(base, &tok[a], ',') || tok_is(base, &tok[a], ')')));
	for (; a <= *pq && (tok[a].kind == CVB_RT_PUNCT || cut_ed(base, &tok[a])); a++)
		;
	for (z = m - 1; z >= *pb && (tok[z].kind == CVB_RT_PUNCT || tok_is(base, &tok[z], '(')); z--)
		;
	nb = z >= *pb && names_only(base, tok, *pb, z);
	na = a <= *pq && names_only(base, tok, a, *pq);
	/* both sides names: the one with initials ("J. C. Principe, R.
	 * Miikkulainen (eds) Springer, Heidelberg") */
	if (nb && na && initials_in(base, tok, *pb, z) != initials_in(base, tok, a, *pq))
		after = initials_in(base, tok, a, *pq);
	if (na && (after || !nb))
		*pb = a;
	else if (nb)
		*pq = z;
}

/* Clean the span [b, e) of s for a field: words of cut at its start, the
 * punctuation and quotes that wrap it, brackets left open. */
static void
clean_span(const char *s, int *pb, int *pe, const char *const *cut, const char *const *more)
{
	int b = *pb, e = *pe, again = 1, l, k, d = 0;

	/* a bracket the span opens and the next character closes: "(CoRL" ")" */
	for (k = b; k < e; k++)
		d += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
	if (d == 1 && s[e] == ')')
		e++;
	while (again && b < e) {
		again = 0;
		while (b < e && (is_trim((unsigned char)s[b]) || s[b] == ')' || s[b] == ']'))
			b++, again = 1;
		while (e > b && (is_trim((unsigned char)s[e - 1]) || s[e - 1] == '(' || s[e - 1] == '['))
			e--, again = 1;
		if (cut != NULL && b < e) {
			k = b;

			while (k < e && (isalpha((unsigned char)s[k]) || (unsigned char)s[k] >= 0x80 ||
			    (s[k] == '(' && k == b)))
				k++;
			if (k > b && (k >= e || !isalnum((unsigned char)s[k])) && (cvb_rp_word_is(s + b, k - b, cut) ||
			    (more != NULL && cvb_rp_word_is(s + b, k - b, more)))) {
				b = k;
				again = 1;
				continue;
			}
		}
		/* wrapping quotes, a quote or bracket at one end only */
		if (b < e && is_quote_at(s, b, e, &l)) {
			b += l;
			again = 1;
		}
		if (e > b && is_quote_at(s, e - last_char_len(s, b, e), e, &l)) {
			e -= last_char_len(s, b, e);
			again = 1;
		}
		if (e > b && (s[b] == '(' || s[b] == '[')) {
			int closed = 0;

			d = 0;
			for (k = b; k < e; k++) {
				d += s[k] == '(' || s[k] == '[' ? 1 : s[k] == ')' || s[k] == ']' ? -1 : 0;
				if (d == 0) {
					closed = k == e - 1 ? 2 : 1;
					break;
				}
			}
			if (closed == 2) {	/* "(1)" */
				b++;
				e--;
				again = 1;
			} else if (!closed) {
				b++;
				again = 1;
			}
		}
		if (e > b && (s[e - 1] == ')' || s[e - 1] == ']')) {
			d = 0;
			for (k = b; k < e; k++)
				d += s[k] == '(' || s[k] == '[' ? 1 : s[k] == ')' || s[k] == ']' ? -1 : 0;
			if (d < 0) {
				e--;
				again = 1;
			}
		}
	}
	*pb = b;
	*pe = e;
}

static void
fld_add(struct fld *f, const char *s, int b, int e)
{
	int i, sp = 0;

	if (e <= b)
		return;
	if (f->text.len)
		cvb_buf_addch(&f->text, ' ');
	for (i = b; i < e; i++) {
		if (is_sp((unsigned char)s[i])) {
			sp = 1;
			continue;
		}
		if (sp)
			cvb_buf_addch(&f->text, ' ');
		sp = 0;
		cvb_buf_addch(&f->text, s[i]);
	}
	f->runs++;
}

static const char *
fld_str(cvbib_biblio *b, const struct fld *f)
{
	return f->text.len ? cvb_arena_strndup(&b->arena, f->text.buf, f->text.len) : NULL;
}

/* Does the volume read "2024. 403": the year y4 (four bytes), then more? */
static bool
vol_opens_with(const struct fld *v, const char *y4)
{
	const char *t = v->text.buf;

	return t != NULL && v->text.len > 6 && memcmp(t, y4, 4) == 0 &&
	    (t[4] == '.' || t[4] == ',' || t[4] == ';') && t[5] == ' ';
}

static void
vol_drop_year(struct fld *v)
{
	size_t k = 6;

	while (k < v->text.len && v->text.buf[k] == ' ')
		k++;
	memmove(v->text.buf, v->text.buf + k, v->text.len - k + 1);
	cvb_buf_setlen(&v->text, v->text.len - k);
}

static bool
contains_ci(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; s != NULL && *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

/*
 * Volume, issue and pages that the labels ran together, split apart:
 *   volume "4(2), 26" or "4 (2): 26-30"        -> 4, 2, 26-30
 *   page "392 1789--1858", "392 10159). pp. 1736--1788" (no volume)
 *                                             -> 392, (10159), 1736--1788
 * Only when the fields they would fill are empty.
 */
static regex_t num_re[6];
static int num_re_ok;
static pthread_once_t num_once = PTHREAD_ONCE_INIT;

static void
num_re_init(void)
{
	static const char *const pat[6] = {
		"^([0-9]+) ?\\(([0-9A-Za-z/-]+)\\) ?[,:] ?([A-Za-z]?[0-9]+( ?[-\xE2\x80\x93]+ ?[A-Za-z]?[0-9]+)?)$",
		"^([0-9]+)[ ,]+(([0-9]+)\\)[.,]? )?(pp?\\. ?)?([A-Za-z]?[0-9]+( ?[-\xE2\x80\x93]+ ?[A-Za-z]?[0-9]+)?)$",
		/* "617, id.L7", "654 A71": an article number after the volume */
		"^([0-9]+)[ ,]+(id\\. ?|art\\. ?|article )?([A-Za-z]{1,2}[0-9]+)$",
		/* "Nature 12, 267": the page after the volume */
		"^([0-9]+), ?(id\\. ?|art\\. ?|article )?([0-9]+)$",
		/* "16, 20" and "934, Issue 1" before the pages: volume and issue */
		"^([0-9]+)[ ,]+([Ii]ssue |[Nn]o\\. ?)?([0-9]+)$",
		/* "148:1-30": the volume, then the pages after a colon */
		"^([0-9]+) ?: ?([A-Za-z]?[0-9]+ ?[-\xE2\x80\x93]+ ?[A-Za-z]?[0-9]+)$",
	};
	int i;

	for (i = 0; i < 6; i++)
		if (regcomp(&num_re[i], pat[i], REG_EXTENDED) != 0) {
			while (i-- > 0)
				regfree(&num_re[i]);
			return;
		}
	num_re_ok = 1;
}

static void
fld_set(struct fld *f, const char *s, const regmatch_t *m)
{
	struct cvb_buf t = CVB_BUF_INIT;

	cvb_buf_add(&t, s + m->rm_so, (size_t)(m->rm_eo - m->rm_so));
	cvb_buf_setlen(&f->text, 0);
	fld_add(f, t.buf, 0, (int)t.len);
	cvbib_buf_release(&t);
}

/* Is s (n bytes) an ISSN ("1660-1769") or an ISBN ("978-3-95977-373-7")? */
static bool
isxn_like(const char *s, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (!(s[i] == '-' || ((s[i] == 'X' || s[i] == 'x') && i == n - 1)))
			return false;
	}
	if (n == 9 && s[4] == '-' && digits >= 7)
		return true;
	return digits == 10 || digits == 13;
}

/*
 * biblatex's labels in a printed bibliography ("..., 2:1–11. issn: 1660-1769.
 * doi: ...", "16:1–16:29. isbn: 978-3-..."): the ISSN or ISBN is no page
 * range and its label ends no number; a number left that reads "16:1–16:29"
 * (an article number and its pages) is the pages.
 */
static void
isxn_numbers(struct fld *f, const char *base)
{
	struct fld *pg = &f[CVB_RL_PAGE], *v = &f[CVB_RL_VOLUME];
	static const int num[] = { CVB_RL_VOLUME, CVB_RL_ISSUE, CVB_RL_PAGE };
	const char *at, *t;
	size_t k, n;

	for (k = 0; k < CVB_ARRAY_SIZE(num); k++) {
		struct fld *x = &f[num[k]];

		if (x->text.len > 5 && (strcasecmp(x->text.buf + x->text.len - 4, "issn") == 0 ||
		    strcasecmp(x->text.buf + x->text.len - 4, "isbn") == 0)) {
			n = x->text.len - 4;
			while (n > 0 && (x->text.buf[n - 1] == ' ' || x->text.buf[n - 1] == '.' ||
			    x->text.buf[n - 1] == ','))
				n--;
			cvb_buf_setlen(&x->text, n);
		}
	}
	if (pg->text.len) {
		/* "issn: 1660-1769", "ISBN 978-...", alone or last in the pages,
		 * with its label just before it in the reference */
		const char *last = strrchr(pg->text.buf, ' ');
		size_t from = last != NULL ? (size_t)(last - pg->text.buf) + 1 : 0;

		if (isxn_like(pg->text.buf + from, pg->text.len - from) &&
		    (at = strstr(base, pg->text.buf + from)) != NULL && at - base >= 5) {
			for (t = at; t > base && (t[-1] == ' ' || t[-1] == ':'); t--)
				;
			if (t - base >= 4 && (strncasecmp(t - 4, "issn", 4) == 0 ||
			    strncasecmp(t - 4, "isbn", 4) == 0))
				cvb_buf_setlen(&pg->text, from > 0 ? from - 1 : 0);
		}
	}
	if (!pg->text.len && v->text.len) {
		/* "16:1–16:29", alone or after the volume ("333 16:1–16:29") */
		const char *s = v->text.buf, *sp = strchr(s, ' ');
		size_t i = 0, vl = 0;

		if (sp != NULL) {
			for (; s + i < sp && isdigit((unsigned char)s[i]); i++)
				;
			if (s + i != sp || i == 0 || strchr(sp + 1, ' ') != NULL)
				return;
			vl = i;
			s = sp + 1;
			i = 0;
		}
		while (isdigit((unsigned char)s[i]))
			i++;
		if (i == 0 || s[i] != ':' || !isdigit((unsigned char)s[i + 1]))
			return;
		for (i++; s[i] && (isdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '-' ||
		    s[i] == ' ' || (unsigned char)s[i] >= 0x80); i++)
			;
		/* "16:1–16:29": the article's number on both ends (LIPIcs); not
		 * "5:98–108", a volume and its pages as BibTeX's plain style prints them */
		if (s[i] != '\0' || (strchr(s, '-') == NULL && strstr(s, "\xe2\x80\x93") == NULL) ||
		    strchr(strchr(s, ':') + 1, ':') == NULL)
			return;
		cvb_buf_add(&pg->text, s, strlen(s));
		cvb_buf_setlen(&v->text, vl);
	}
}

/* strdup(s), with a failure counted (the call then fails: cvb_nomem()) */
static char *
dup_counted(const char *s)
{
	char *t = strdup(s);

	if (t == NULL)
		cvb_nomem();
	return t;
}

static void
repair_numbers(struct fld *f)
{
	struct fld *v = &f[CVB_RL_VOLUME], *is = &f[CVB_RL_ISSUE], *pg = &f[CVB_RL_PAGE];
	regmatch_t m[7];
	char *t;

	pthread_once(&num_once, num_re_init);
	if (!num_re_ok)
		return;
	if (v->text.len && !is->text.len && !pg->text.len &&
	    (t = dup_counted(v->text.buf)) != NULL) {
		if (regexec(&num_re[0], t, 7, m, 0) == 0) {
			fld_set(is, t, &m[2]);
			fld_set(pg, t, &m[3]);
			fld_set(v, t, &m[1]);
		} else if (regexec(&num_re[2], t, 7, m, 0) == 0 || regexec(&num_re[3], t, 7, m, 0) == 0) {
			fld_set(pg, t, &m[3]);
			fld_set(v, t, &m[1]);
		} else if (regexec(&num_re[5], t, 7, m, 0) == 0) {
			fld_set(pg, t, &m[2]);
			fld_set(v, t, &m[1]);
		}
		free(t);
	} else if (v->text.len && !is->text.len && pg->text.len && (t = dup_counted(v->text.buf)) != NULL) {
		int y = atoi(t);

		/* not "2011, 83" (a year, then the volume); pages that read as
		 * pages ("1-14", not "--13": the issue's dash) */
		if (regexec(&num_re[4], t, 7, m, 0) == 0 && !(y >= 1800 && y <= 2099) &&
		    isalnum((unsigned char)pg->text.buf[0])) {
			fld_set(is, t, &m[3]);
			fld_set(v, t, &m[1]);
		}
		free(t);
	} else if (pg->text.len && !v->text.len && (t = dup_counted(pg->text.buf)) != NULL) {
		if (regexec(&num_re[1], t, 7, m, 0) == 0) {
			if (m[3].rm_so >= 0 && !is->text.len)
				fld_set(is, t, &m[3]);
			fld_set(v, t, &m[1]);
			fld_set(pg, t, &m[5]);
		}
		free(t);
	}
}

/*
 * "Technical Report SAND2023-13916R", "Working Paper No. 279", "Tech. Rep.
 * MSR-TR-2020-12": a report's number, and its genre without it.
 */
static void
report_number(cvbib_biblio *b, struct cvb_item *it, const char *s)
{
	static regex_t re;
	static int ok = -1;
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	regmatch_t m[6];

	if (it->str[CVB_V_NUMBER] != NULL)
		return;
	pthread_mutex_lock(&mu);
	if (ok < 0)
		ok = regcomp(&re, "(Technical [Rr]eport|Tech\\. [Rr]ep\\.?|Research [Rr]eport|Working [Pp]aper|"
		    "Discussion [Pp]aper|Study [Pp]aper|Policy [Pp]aper|Occasional [Pp]aper|Staff [Rr]eport|Report)( [Nn]o\\.| [Nn]umber| #)? ?([A-Z][A-Za-z]*-?[0-9][0-9A-Za-z/.-]*[0-9A-Za-z]|"
		    "[0-9]+(-[0-9A-Za-z]+)*)", REG_EXTENDED) == 0;
	pthread_mutex_unlock(&mu);
	if (!ok || regexec(&re, s, 6, m, 0) != 0)
		return;
	it->str[CVB_V_NUMBER] = cvb_arena_strndup(&b->arena, s + m[3].rm_so, (size_t)(m[3].rm_eo - m[3].rm_so));
	if (it->str[CVB_V_NUMBER] != NULL && it->str[CVB_V_VOLUME] != NULL &&
	    strcmp(it->str[CVB_V_VOLUME], it->str[CVB_V_NUMBER]) == 0)
		it->str[CVB_V_VOLUME] = NULL;	/* "No. 279" read as a volume */
	if (it->str[CVB_V_GENRE] == NULL || strstr(it->str[CVB_V_GENRE], it->str[CVB_V_NUMBER]) != NULL ||
	    strlen(it->str[CVB_V_GENRE]) > (size_t)(m[1].rm_eo - m[1].rm_so) + 1)
		it->str[CVB_V_GENRE] = cvb_arena_strndup(&b->arena, s + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
}

/* Is s (after an optional "arXiv:") an arXiv identifier ("2109.12247", "hep-th/9901001")? */
static bool
arxiv_ok(const char *s)
{
	struct cvb_buf id = CVB_BUF_INIT;
	bool ok;

	if (strncasecmp(s, "arxiv:", 6) == 0)
		s += 6;
	while (*s == ' ')
		s++;
	ok = cvb_arxiv_id(s, &id) && id.len > 0;
	cvbib_buf_release(&id);
	return ok;
}

/* The status of a paper, as CVs write it, and what it means (longer phrases
 * first); "more": the phrase says more than CSL's status can hold (a
 * revision, a condition), so CSL-JSON keeps it as the note too; "says": the
 * phrase written for it when not its words ("R&R"). */
static const struct { const char *words, *status; bool more; const char *says; } status_words[] = {
	{ "under review", "under-review", false, NULL }, { "in review", "under-review", false, NULL },
	{ "in revision", "under-review", true, NULL }, { "under revision", "under-review", true, NULL },
	{ "revise and resubmit", "under-review", true, NULL }, { "r&r", "under-review", true, "revise and resubmit" },
	{ "in submission", "submitted", false, NULL },
	{ "submitted", "submitted", false, NULL }, { "conditionally accepted", "accepted", true, NULL },
	{ "accepted", "accepted", false, NULL }, { "to appear", "accepted", false, NULL },
	{ "in press", "in-press", false, NULL }, { "forthcoming", "in-press", false, NULL },
	{ "in preparation", "in-preparation", false, NULL },
};

static int
status_index(const char *s, size_t n, size_t *used)
{
	size_t k, l;

	for (k = 0; k < CVB_ARRAY_SIZE(status_words); k++) {
		l = strlen(status_words[k].words);
		if (n >= l && strncasecmp(s, status_words[k].words, l) == 0 &&
		    (n == l || !isalpha((unsigned char)s[l]))) {
			*used = l;
			return (int)k;
		}
	}
	return -1;
}

/* The phrase written for a status read as the table's words w ("r&r":
 * "revise and resubmit"), or w. */
static const char *
status_says(const char *w)
{
	size_t k;

	for (k = 0; k < CVB_ARRAY_SIZE(status_words); k++)
		if (strcmp(status_words[k].words, w) == 0)
			return status_words[k].says != NULL ? status_words[k].says : w;
	return w;
}

const char *
cvb_status_of(const char *s, size_t n, size_t *used)
{
	int k = status_index(s, n, used);

	return k < 0 ? NULL : status_words[k].status;
}

/*
 * The status phrase of the table that comes first in it and stands anywhere
 * in the n bytes at s as words of their own (not the journal in "published
 * in Review of Economic Studies"), or NULL: one pass over the word starts.
 */
const char *
cvb_status_in(const char *s, size_t n)
{
	size_t i, ln;
	int q, best = (int)CVB_ARRAY_SIZE(status_words);
	bool first[256] = { false };

	for (q = 0; q < best; q++)
		first[(unsigned char)status_words[q].words[0]] = true;
	for (i = 0; i < n && best > 0; i++) {
		int c = tolower((unsigned char)s[i]);

		if ((i > 0 && isalpha((unsigned char)s[i - 1])) || !first[c])
			continue;	/* no word starts here, or no phrase so */
		for (q = 0; q < best; q++) {
			const char *w = status_words[q].words;

			if (w[0] != c || (ln = strlen(w)) > n - i || strncasecmp(s + i, w, ln) != 0 ||
			    (ln < n - i && isalpha((unsigned char)s[i + ln])) ||
			    (n - i - ln >= 4 && strncasecmp(s + i + ln, " of ", 4) == 0))
				continue;
			best = q;
			break;
		}
	}
	return best < (int)CVB_ARRAY_SIZE(status_words) ? status_words[best].words : NULL;
}

/* Is s, a status phrase ("conditionally accepted"), more than its status? */
bool
cvb_status_says_more(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0, used;
	int k = n > 0 ? status_index(s, n, &used) : -1;

	return k >= 0 && used == n && status_words[k].more;
}

/* Does s name an award of a paper ("Best Student Paper", "Honorable
 * Mention")?  The one list of these words. */
bool
cvb_names_award(const char *s)
{
	static const char *const aw[] = { "award", "best paper", "best student paper", "prize",
		"honorable mention", "honourable mention", "outstanding paper", "distinguished paper", NULL };
	size_t q;

	for (q = 0; aw[q] != NULL; q++)
		if (strcasestr(s, aw[q]) != NULL)
			return true;
	return false;
}

/* One reference string on its way into the item. */
struct parse {
	cvbib_biblio		*b;
	struct cvb_item		*it;
	struct rp		*r;		/* the name grammar's state */
	const struct cvb_refctx	*ctx;
	const char		*base;		/* the string, without its list marker */
	size_t			 len;
	const struct cvb_reftok	*tok;
	int			 nt;
	const int		*lab;		/* each token's label, CVB_RL_* */
	const double		*conf;		/* and the model's confidence in it */
	struct fld		 f[CVB_RL__COUNT];
	bool			 has[CVB_RL__COUNT];	/* labels that occur */
	int			 year, month;
	char			 suf;		/* "2020a" */
	int			 othb, othe;	/* what follows the genre */
	const char		*status;
	bool			 meeting;	/* the venue is a meeting's name and year */
};

/* "02/22": a month and a two-digit year, as CVs date their entries ("10/2021"
 * is cvb_rp_year_in's); the year, or 0. */
static int
month_slash_year(const char *s, int n, int *month, char *suffix)
{
	int m;

	if (n < 4 || n > 5 || s[n - 3] != '/' || !is_digit(s[n - 2]) || !is_digit(s[n - 1]) ||
	    !is_digit(s[0]) || (n == 5 && !is_digit(s[1])))
		return 0;
	m = n == 5 ? (s[0] - '0') * 10 + s[1] - '0' : s[0] - '0';
	if (m < 1 || m > 12)
		return 0;
	*month = m;
	*suffix = 0;
	return cvb_year_yy((s[n - 2] - '0') * 10 + s[n - 1] - '0');
}

/* Each run of one label into its field: names through the name grammar,
 * identifiers as the recogniser read them, dates into the year. */
static void
read_spans(struct parse *p)
{
	struct fld *f = p->f;
	const char *base = p->base;
	const struct cvb_reftok *tok = p->tok;
	const int *lab = p->lab;
	int nt = p->nt;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;
	struct rp *r = p->r;
	int i;

	for (i = 0; i < nt;) {
		int j = i, k = lab[i], sb, se;

		while (j + 1 < nt && lab[j + 1] == k)
			j++;
		sb = tok[i].b;
		se = tok[j].e;
		p->has[k] = true;
		switch (k) {
		case CVB_RL_AUTHOR:
		case CVB_RL_EDITOR:
			if (k == CVB_RL_EDITOR) {
				/* "In", "(eds.)", "editors", "edited by" around the names */
				int pb = i, q = j;

				while (pb <= q && (tok[pb].kind == CVB_RT_PUNCT ||
				    cut_ed(base, &tok[pb])))
					pb++;
				while (q >= pb && (tok[q].kind == CVB_RT_PUNCT ||
				    cut_ed(base, &tok[q])))
					q--;
				if (q < pb) {
					i = j + 1;
					continue;
				}
				editor_cue_inside(base, tok, &pb, &q);
				sb = tok[pb].b;
				se = tok[q].e;
				/* the full stop of a last initial */
				if (q < j && base[se] == '.')
					se++;
			}
			clean_span(base, &sb, &se, NULL, NULL);
			/* "Smith, J.": the full stop of a last initial stays */
			if (se > sb && base[se] == '.' && isupper((unsigned char)base[se - 1]) &&
			    (se - 1 == sb || !isalpha((unsigned char)base[se - 2])))
				se++;
			if (se > sb)
				cvb_rp_names_of(b, it, r, sb, se, k == CVB_RL_AUTHOR ? CVB_NV_AUTHOR : CVB_NV_EDITOR);
			break;
		case CVB_RL_DOI: case CVB_RL_URL: case CVB_RL_ARXIV: {
			/* the recogniser's token where there is one */
			int q;

			for (q = i; q <= j; q++)
				if (tok[q].kind == CVB_RT_DOI || tok[q].kind == CVB_RT_URL ||
				    tok[q].kind == CVB_RT_ARXIV) {
					sb = tok[q].b;
					se = tok[q].kind == CVB_RT_ARXIV ? tok[q].e :
					    cvb_ref_ident_end(base, tok[q].b, tok[q].e, tok[q].kind == CVB_RT_DOI);
					break;
				}
			if (q > j)
				clean_span(base, &sb, &se, NULL, NULL);
			if (f[k].runs == 0)
				fld_add(&f[k], base, sb, se);
			break;
		}
		case CVB_RL_OTHER:
			/* "PhD thesis, University of Kiel": the school after the genre */
			if (i > 0 && lab[i - 1] == CVB_RL_GENRE && p->othb < 0) {
				p->othb = sb;
				p->othe = se;
			}
			break;
		default:
			clean_span(base, &sb, &se, k == CVB_RL_PAGE ? cvb_ref_page_words : k == CVB_RL_VOLUME ?
			    cvb_ref_volume_words : k == CVB_RL_ISSUE ? cvb_ref_issue_words :
			    k == CVB_RL_CONTAINER || k == CVB_RL_JOURNAL ? cut_cont : NULL,
			    k == CVB_RL_PAGE ? cut_page_more : k == CVB_RL_VOLUME ? cut_vol_more : NULL);
			if (k == CVB_RL_DATE) {
				int mo;
				char sf;
				int y = cvb_rp_year_in(base, sb, se, &sf, &mo);

				if (y == 0)
					y = month_slash_year(base + sb, se - sb, &mo, &sf);
				if (y && !p->year) {
					p->year = y;
					p->suf = sf;
					p->month = mo;
				}
				if (contains_ci(base + sb, "in press") && se - sb < 20)
					p->status = "in press";
				else if (contains_ci(base + sb, "forthcoming") && se - sb < 20)
					p->status = "forthcoming";
			} else if (k != CVB_RL_OTHER)
				fld_add(&f[k], base, sb, se);
		}
		i = j + 1;
	}
}

/* the word that names a collaboration of authors ("ALICE Collaboration") */
static const char *const collab_words[] = { "collaboration", "collaborations", "collab", NULL };

/* words that number a part of a work other than its volume */
static const char *const field_words[] = { "chapter", "chap", "ch", "part", "pt", "section",
	"sect", "art", "article", "suppl", "supplement", "edition", "ed", NULL };

/*
 * "ALICE Collaboration, J. Adam et al., ...", "R. Diener, LCTPC
 * Collaboration, Phys. Procedia 37": a collaboration named among the
 * authors, in words the model left to no field, is an author (an
 * institution), after the persons and before "others".
 */
static void
collab_authors(struct parse *p)
{
	const struct cvb_reftok *tok = p->tok;
	int i, b, a, k, w;

	for (i = 0; i < p->nt; i++) {
		struct cvb_name *nm, **pp;
		int l = p->lab[i];

		if (l != CVB_RL_AUTHOR && l != CVB_RL_OTHER)
			break;
		if (l != CVB_RL_OTHER || tok[i].kind != CVB_RT_WORD ||
		    !cvb_rp_word_is(p->base + tok[i].b, tok[i].e - tok[i].b, collab_words))
			continue;
		/* its name: up to five words before it ("SLAC-e122" one),
		 * left to no field; "Virgo and LIGO Scientific" two */
		for (b = i, w = 0; b > 0 && w < 5 && p->lab[b - 1] == CVB_RL_OTHER &&
		    (tok[b - 1].kind == CVB_RT_WORD || (tok_is(p->base, &tok[b - 1], '-') &&
		    !(tok[b - 1].flags & CVB_RT_SPACE) && !(tok[b].flags & CVB_RT_SPACE) && b >= 2 &&
		    tok[b - 2].kind == CVB_RT_WORD)); b--)
			w += tok[b - 1].kind == CVB_RT_WORD;
		if (b == i)
			continue;
		for (a = b; a < i; a++)
			if (a > b && (tok[a].flags & CVB_RT_SPACE) &&
			    cvb_rp_and_word(p->base + tok[a].b, tok[a].e - tok[a].b))
				break;
		/* one name, or the two that "and" joins */
		for (k = 0; k < 2; k++) {
			int nb = k == 0 ? b : a + 1, ne = k == 0 ? (a < i ? a - 1 : i) : i;

			if (k == 1 && a >= i)
				break;
			if (nb > ne || (nm = cvb_name_new(p->b)) == NULL)
				continue;
			nm->family = cvb_arena_strndup(&p->b->arena, p->base + tok[nb].b,
			    (size_t)(tok[ne].e - tok[nb].b));
			nm->flags |= CVB_NF_INSTITUTION;
			for (pp = &p->it->names[CVB_NV_AUTHOR]; *pp != NULL && !((*pp)->flags & CVB_NF_OTHERS);
			    pp = &(*pp)->next)
				;
			if (*pp == NULL)
				cvb_item_add_name(p->it, CVB_NV_AUTHOR, nm);
			else {
				nm->next = *pp;
				*pp = nm;
			}
		}
	}
}

/* The year that ends the n bytes at s, set apart by a space ("... 1996"), or 0 */
static int
tail_year(const char *s, size_t n)
{
	size_t k;
	int y;

	if (n < 6 || s[n - 5] != ' ')
		return 0;
	for (k = n - 4; k < n; k++)
		if (!isdigit((unsigned char)s[k]))
			return 0;
	y = atoi(s + n - 4);
	return y >= 1500 && y <= 2099 ? y : 0;
}

/*
 * "359-374. 1996", "424. 1979": the year the labels ran the pages on into,
 * when the pages end in a number and a year follows them apart: cut off, and
 * the reference's year when it has none yet.
 */
static void
page_year(struct parse *p)
{
	struct cvb_buf *t = &p->f[CVB_RL_PAGE].text;
	const char *s = t->buf;
	size_t n = t->len, e;
	int y;

	if (n < 7 || (y = tail_year(s, n)) == 0)
		return;
	e = n - 5;
	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (e > 0 && (s[e - 1] == '.' || s[e - 1] == ','))
		e--;
	if (e == 0 || !isdigit((unsigned char)s[e - 1]))
		return;
	if (p->year == 0)
		p->year = y;
	cvb_buf_setlen(t, e);
}

/*
 * A venue the labels ran on into a word that announces a field ("Journal of
 * Ecology, issue", "Acta Physica, nr", "Annals, vol.") or into a year
 * ("Bulletin of the Society, 2000"): the word is cut off, and the year is the
 * reference's when it has none yet.
 */
static void
container_tail(struct parse *p)
{
	static const int which[] = { CVB_RL_CONTAINER, CVB_RL_JOURNAL };
	size_t k;

	for (k = 0; k < sizeof(which) / sizeof(which[0]); k++) {
		struct cvb_buf *t = &p->f[which[k]].text;
		size_t e = t->len, w;
		int y;

		while (e > 0 && t->buf[e - 1] == '.')
			e--;
		for (w = e; w > 0 && isalpha((unsigned char)t->buf[w - 1]); w--)
			;
		/* after a comma or full stop, or a short one ("Crafts no"; not
		 * "IFAC Proceedings Volumes") */
		if (w < e && w >= 2 && t->buf[w - 1] == ' ' &&
		    (e - w <= 3 || t->buf[w - 2] == ',' || t->buf[w - 2] == '.') &&
		    (cvb_rp_word_is(t->buf + w, (int)(e - w), cvb_ref_volume_words) ||
		    cvb_rp_word_is(t->buf + w, (int)(e - w), cvb_ref_issue_words) ||
		    cvb_rp_word_is(t->buf + w, (int)(e - w), cvb_ref_page_words))) {
			size_t d;

			w--;
			/* and a count before it: ", 2 vols" */
			for (d = w; d > 0 && isdigit((unsigned char)t->buf[d - 1]); d--)
				;
			if (d < w && d >= 2 && t->buf[d - 1] == ' ' && t->buf[d - 2] == ',')
				w = d;
			for (; w > 0 && (t->buf[w - 1] == ' ' || t->buf[w - 1] == ',' ||
			    t->buf[w - 1] == '.'); w--)
				;
			if (w > 0)
				cvb_buf_setlen(t, w);
			continue;
		}
		e = t->len;
		if (e >= 8 && t->buf[e - 6] == ',' && (y = tail_year(t->buf, e)) != 0) {
			if (p->year == 0)
				p->year = y;
			cvb_buf_setlen(t, e - 6);
			continue;
		}
		/* "Nucleic acids research 42", "Japanese/Korean Linguistics
		 * Volume 30": the volume, where none is labelled (a number of one
		 * to four digits that is not a year, or a Roman numeral of three
		 * letters or more, after a word that is not a field's: "chapter 14") */
		if (p->f[CVB_RL_VOLUME].text.len == 0) {
			size_t d, v;
			int dig = 0, rom = 0;

			for (d = e; d > 0 && isdigit((unsigned char)t->buf[d - 1]); d--)
				dig++;
			if (dig == 0)
				for (d = e; d > 0 && strchr("IVXLC", t->buf[d - 1]) != NULL; d--)
					rom++;
			if (d < 4 || t->buf[d - 1] != ' ' || !isalpha((unsigned char)t->buf[d - 2]) ||
			    !((dig >= 1 && dig <= 4 && !(dig == 4 && tail_year(t->buf, e) != 0)) || rom >= 3))
				continue;
			for (w = d - 1; w > 0 && isalpha((unsigned char)t->buf[w - 1]); w--)
				;
			v = d;
			if (cvb_rp_word_is(t->buf + w, (int)(d - 1 - w), cvb_ref_volume_words)) {
				if (w == 0 || t->buf[w - 1] != ' ')
					continue;
				d = w;
			} else if (cvb_rp_word_is(t->buf + w, (int)(d - 1 - w), cvb_ref_issue_words) ||
			    cvb_rp_word_is(t->buf + w, (int)(d - 1 - w), cvb_ref_page_words) ||
			    cvb_rp_word_is(t->buf + w, (int)(d - 1 - w), field_words))
				continue;
			fld_add(&p->f[CVB_RL_VOLUME], t->buf, (int)v, (int)e);
			for (d--; d > 0 && (t->buf[d - 1] == ' ' || t->buf[d - 1] == ','); d--)
				;
			cvb_buf_setlen(t, d);
		}
	}
}

static void
issue_in_volume(struct fld *f)
{
	/* "12(3)", "5 (1)" labelled the volume: the issue in brackets */
	if (f[CVB_RL_VOLUME].text.len && !f[CVB_RL_ISSUE].text.len) {
		char *v = f[CVB_RL_VOLUME].text.buf, *p = strchr(v, '('), *q;

		if (p == NULL) {
			/* "8, no. 4" "12 issue 3" "14, No. 11" "34, no6" "12, n° 3"
			 * (the word in any case; "no" glued to the number) */
			static const char *const mk[] = { ", no.", " no.", ", no ", " no ", ", nr.", " nr.",
				", issue ", " issue ", ", n. ", ", n\xC2\xB0", " n\xC2\xB0", ", n\xC2\xBA", " n\xC2\xBA",
				",no.", ",no ", ", no", " no", ",no", NULL };
			int k2;

			for (k2 = 0; mk[k2] != NULL && p == NULL; k2++) {
				char *at = strcasestr(v, mk[k2]);

				/* the glued ones only before a digit */
				if (at != NULL && mk[k2][strlen(mk[k2]) - 1] == 'o' &&
				    !isdigit((unsigned char)at[strlen(mk[k2])]))
					continue;

				if (at != NULL && at > v) {
					size_t n;

					q = at + strlen(mk[k2]);
					while (*q == ' ')
						q++;
					/* the number, not what the labels ran on with
					 * ("5 761": the pages) */
					for (n = 0; isalnum((unsigned char)q[n]) || q[n] == '-' || q[n] == '/'; n++)
						;
					if (n > 0 && n <= 8) {
						fld_add(&f[CVB_RL_ISSUE], q, 0, (int)n);
						while (at > v && at[-1] == ' ')
							at--;
						cvb_buf_setlen(&f[CVB_RL_VOLUME].text, (size_t)(at - v));
					}
					break;
				}
			}
		} else if (p > v) {
			q = p + 1;
			while (isalnum((unsigned char)*q) || *q == '-' || *q == '/')
				q++;
			if (q > p + 1 && (*q == '\0' || (*q == ')' && q[1] == '\0'))) {
				fld_add(&f[CVB_RL_ISSUE], p + 1, 0, (int)(q - p - 1));
				while (p > v && p[-1] == ' ')
					p--;
				cvb_buf_setlen(&f[CVB_RL_VOLUME].text, (size_t)(p - v));
			}
		}
	}
}

/*
 * The counter words of Korean, Chinese and Japanese volumes and issues
 * ("제25권", "第15期", "45巻 1号"): the number without them.  A volume of two
 * counted numbers ("45巻 1号") is a volume and an issue.
 */
static const char *const cjk_counter[] = { "\xEA\xB6\x8C" /* 권 */, "\xED\x98\xB8" /* 호 */,
	"\xEC\xA7\x91" /* 집 */, "\xE5\x8D\xB7" /* 卷 */, "\xE5\xB7\xBB" /* 巻 */, "\xE6\x9C\x9F" /* 期 */,
	"\xE5\x8F\xB7" /* 号 */, "\xE8\x99\x9F" /* 號 */, "\xE8\xBC\xAF" /* 輯 */, NULL };

/* the length of a counted number at s ("제25권", "45巻"), its digits in [*db, *de) */
static size_t
cjk_counted(const char *s, size_t *db, size_t *de)
{
	size_t i = 0;
	int k;

	if (strncmp(s, "\xEC\xA0\x9C", 3) == 0 || strncmp(s, "\xE7\xAC\xAC", 3) == 0)
		i = 3;		/* 제, 第 */
	*db = i;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (i == *db)
		return 0;
	*de = i;
	for (k = 0; cjk_counter[k] != NULL; k++)
		if (strncmp(s + i, cjk_counter[k], 3) == 0)
			return i + 3;
	return 0;
}

static void
cjk_numbers(struct fld *f)
{
	int k;

	for (k = 0; k < 2; k++) {
		struct fld *v = &f[k == 0 ? CVB_RL_VOLUME : CVB_RL_ISSUE];
		const char *s = v->text.buf;
		size_t db, de, n, db2, de2, n2 = 0;
		char num[32];

		if (v->text.len == 0 || (n = cjk_counted(s, &db, &de)) == 0 || de - db >= sizeof(num))
			continue;
		if (s[n] == ' ' && f[k == 0 ? CVB_RL_ISSUE : CVB_RL_VOLUME].text.len == 0 &&
		    (n2 = cjk_counted(s + n + 1, &db2, &de2)) != 0 && s[n + 1 + n2] == '\0') {
			/* "45巻 1号": the volume and the issue */
			memcpy(num, s + db, de - db);
			num[de - db] = '\0';
			if (k == 1) {
				fld_add(&f[CVB_RL_VOLUME], num, 0, (int)(de - db));
				db = n + 1 + db2;
				de = n + 1 + de2;
			} else
				fld_add(&f[CVB_RL_ISSUE], s + n + 1, (int)db2, (int)de2);
			if (de - db >= sizeof(num))
				continue;
		} else if (s[n] != '\0')
			continue;
		memcpy(num, s + db, de - db);
		num[de - db] = '\0';
		cvb_buf_setlen(&v->text, 0);
		fld_add(v, num, 0, (int)(de - db));
	}
}

static void
find_year(struct parse *p)
{
	struct fld *f = p->f;
	const char *base = p->base;
	const struct cvb_reftok *tok = p->tok;
	const int *lab = p->lab;
	int nt = p->nt;
	int i;

	if (p->year == 0) {
		/* no date label: a year in a note or the container; then one that
		 * opens the volume ("2024. 403(10440)": taken out of it); a year in
		 * the title ("..., 1990-2021") last */
		int pass;

		for (pass = 0; pass < 3 && !p->year; pass++)
			for (i = 0; i < nt && !p->year; i++) {
				int mo;

				if (tok[i].e - tok[i].b != 4 || tok[i].kind != CVB_RT_WORD ||
				    lab[i] == CVB_RL_PAGE ||
				    (pass == 0 && (lab[i] == CVB_RL_TITLE || lab[i] == CVB_RL_VOLUME)) ||
				    (pass == 1 && !(lab[i] == CVB_RL_VOLUME &&
				    vol_opens_with(&f[CVB_RL_VOLUME], base + tok[i].b))) ||
				    (pass == 2 && lab[i] != CVB_RL_TITLE))
					continue;
				p->year = cvb_rp_year_in(base, tok[i].b, tok[i].e, &p->suf, &mo);
				if (p->year && lab[i] == CVB_RL_VOLUME)
					vol_drop_year(&f[CVB_RL_VOLUME]);
			}
	}
}

/*
 * A note that said the status and goes on with a name ("Accepted, J.
 * Climate", "Submitted to AAAI 2021"), where nothing else is the venue:
 * that name is the venue.  The note holds what is left after the status.
 */
static void
status_venue(struct parse *p)
{
	struct fld *f = p->f;
	struct cvb_buf *t = &f[CVB_RL_NOTE].text;
	size_t e = t->len;

	if (f[CVB_RL_CONTAINER].text.len || f[CVB_RL_JOURNAL].text.len)
		return;
	while (e > 0 && (t->buf[e - 1] == '.' || t->buf[e - 1] == ',' || t->buf[e - 1] == ' ' ||
	    t->buf[e - 1] == ')' || t->buf[e - 1] == ';'))
		e--;
	/* a name: a capital first, short, no sentence in it */
	if (e < 2 || e > 80 || !(isupper((unsigned char)t->buf[0]) || (unsigned char)t->buf[0] >= 0xC0) ||
	    memchr(t->buf, ';', e) != NULL || contains_ci(t->buf, "http"))
		return;
	fld_add(&f[CVB_RL_CONTAINER], t->buf, 0, (int)e);
	p->has[CVB_RL_CONTAINER] = true;
	cvb_buf_setlen(t, 0);
}

/* "Phys. Rev. B 92, 180408(R)": a letter in brackets right after the page
 * (APS's Rapid Communications) belongs to it. */
static void
page_letter(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	for (i = 0; i + 3 < nt; i++)
		if (lab[i] == CVB_RL_PAGE && lab[i + 1] != CVB_RL_PAGE && tok[i + 1].b == tok[i].e &&
		    base[tok[i + 1].b] == '(' && tok[i + 2].e - tok[i + 2].b == 1 &&
		    isupper((unsigned char)base[tok[i + 2].b]) && base[tok[i + 3].b] == ')' &&
		    tok[i + 2].b == tok[i + 1].e && tok[i + 3].b == tok[i + 2].e &&
		    isdigit((unsigned char)base[tok[i].e - 1]))
			lab[i + 1] = lab[i + 2] = lab[i + 3] = CVB_RL_PAGE;
}

/*
 * The names after an ellipsis in an author list ("Ghosh, S., . . .
 * Cheeptham, N. (2022).") that the model took for a venue, before any
 * title: names, as the grammar reads them, are authors.
 */
static void
names_past_ellipsis(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, j, k;

	/* the author list, to the first token of another field */
	for (i = 0; i < nt && (lab[i] == CVB_RL_AUTHOR || lab[i] == CVB_RL_OTHER) &&
	    (lab[i] == CVB_RL_AUTHOR || tok[i].kind == CVB_RT_PUNCT); i++)
		;
	if (i < 3 || i >= nt || (lab[i] != CVB_RL_JOURNAL && lab[i] != CVB_RL_CONTAINER))
		return;
	/* right after ". . ." or "…" */
	if (!(memcmp(base + tok[i - 1].b, "\xe2\x80\xa6", 3) == 0 ||
	    (base[tok[i - 1].b] == '.' && base[tok[i - 2].b] == '.' && base[tok[i - 3].b] == '.')))
		return;
	for (j = i; j + 1 < nt && lab[j + 1] == lab[i]; j++)
		;
	/* the run, less a full stop at its end, is names and nothing else */
	k = tok[j].e;
	if (base[k - 1] == '.')
		k--;
	if (cvb_ref_author_len(base + tok[i].b, (size_t)(k - tok[i].b)) + 1 < (size_t)(k - tok[i].b))
		return;
	for (k = i; k <= j; k++)
		lab[k] = CVB_RL_AUTHOR;
}

/* "(under review)" "(in press)" closing a title or container: the status */
static void
status_closing(struct parse *p)
{
	int fi;

	for (fi = 0; fi < 3; fi++) {
		struct cvb_buf *t = &p->f[fi == 0 ? CVB_RL_TITLE : fi == 1 ? CVB_RL_CONTAINER : CVB_RL_JOURNAL].text;
		const char *st;
		char *lp, *lc;
		size_t used, k;

		if (t->len < 4 || t->buf[t->len - 1] != ')' || (lp = strrchr(t->buf, '(')) == NULL)
			continue;
		st = cvb_status_of(lp + 1, (size_t)(t->buf + t->len - 1 - (lp + 1)), &used);
		if (st == NULL || lp + 1 + used != t->buf + t->len - 1)
			continue;
		/* the phrase as the table writes it: lower case */
		if ((lc = cvb_arena_strndup(&p->b->arena, lp + 1, used)) != NULL)
			for (k = 0; k < used; k++)
				lc[k] = (char)tolower((unsigned char)lc[k]);
		p->status = lc;
		while (lp > t->buf && lp[-1] == ' ')
			lp--;
		cvb_buf_setlen(t, (size_t)(lp - t->buf));
	}
}

/* A note in brackets, "(book review of ...)", is the words inside them:
 * where they start in s, and their length in *n. */
static const char *
unbracket(const char *s, size_t *n)
{
	while (*n >= 2 && ((s[0] == '(' && s[*n - 1] == ')') || (s[0] == '[' && s[*n - 1] == ']')) &&
	    memchr(s + 1, s[0], *n - 2) == NULL) {
		s++;
		*n -= 2;
	}
	return s;
}

/* A note that is only the year ("arXiv:2604.17104, 2026") is the date; a
 * note in brackets is the words inside them. */
static void
note_tidy(struct parse *p)
{
	struct cvb_buf *t = &p->f[CVB_RL_NOTE].text;
	size_t n = t->len;
	const char *in = t->len > 0 ? unbracket(t->buf, &n) : NULL;
	char sf;
	int mo, y;

	if (in != NULL && n < t->len) {
		memmove(t->buf, in, n);
		cvb_buf_setlen(t, n);
	}
	if (t->len < 4 || t->len > 6)
		return;
	y = cvb_rp_year_in(t->buf, 0, (int)t->len, &sf, &mo);
	if (y == 0 || (t->len > 4 && !(t->len == 5 && sf)))
		return;
	if (!p->year) {
		p->year = y;
		p->suf = sf;
	}
	if (p->year == y)
		cvb_buf_setlen(t, 0);
}

/* The one noun a status may take in a CV ("Forthcoming article", "Accepted
 * paper"): the n bytes at s are one of them. */
static bool
status_noun(const char *s, size_t n)
{
	static const char *const w[] = { "article", "paper", "manuscript", "publication" };
	size_t k;

	for (k = 0; k < CVB_ARRAY_SIZE(w); k++)
		if (n == strlen(w[k]) && strncasecmp(s, w[k], n) == 0)
			return true;
	return false;
}

static void
cv_phrases(struct parse *p)
{
	struct fld *f = p->f;
	const char *base = p->base;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	/* phrases of CVs, recognised exactly: the status of a paper, awards,
	 * patents; they are no container, publisher or title */
	{
		int q, fi;

		if (p->status == NULL)
			p->status = cvb_status_in(base, p->len);
		if (p->status != NULL)
			for (fi = 0; fi < 4; fi++) {
				int k = fi == 0 ? CVB_RL_CONTAINER : fi == 1 ? CVB_RL_JOURNAL : fi == 2 ?
				    CVB_RL_NOTE : CVB_RL_PUBLISHER;
				struct cvb_buf *t = &f[k].text;
				const char *ph = p->status;
				size_t ln, cut;

				/* "In revision, Science": the cleaning cut "In" off already */
				if (k != CVB_RL_NOTE && strncasecmp(ph, "in ", 3) == 0 &&
				    strncasecmp(t->buf ? t->buf : "", ph, strlen(ph)) != 0)
					ph += 3;
				ln = strlen(ph);
				if (t->len >= ln && strncasecmp(t->buf, ph, ln) == 0 &&
				    (t->len == ln || !isalpha((unsigned char)t->buf[ln]))) {
					/* "Under review at ICLR" -> "ICLR" */
					cut = ln;
					while (cut < t->len && (t->buf[cut] == ' ' || t->buf[cut] == ','))
						cut++;
					if (strncasecmp(t->buf + cut, "at ", 3) == 0 || strncasecmp(t->buf + cut, "to ", 3) == 0)
						cut += 3;
					else if (strncasecmp(t->buf + cut, "for publication", 15) == 0)
						cut += 15;
					else if (status_noun(t->buf + cut, t->len - cut))
						cut = t->len;	/* "Forthcoming article" */
					memmove(t->buf, t->buf + cut, t->len - cut);
					cvb_buf_setlen(t, t->len - cut);
					if (k == CVB_RL_NOTE)
						status_venue(p);
				}
			}
		/* "Title. Conditionally accepted": the status is no part of the title */
		if (p->status != NULL && f[CVB_RL_TITLE].text.len > 0) {
			struct cvb_buf *t = &f[CVB_RL_TITLE].text;
			size_t ln = strlen(p->status), e = t->len;

			while (e > 0 && (t->buf[e - 1] == '.' || t->buf[e - 1] == ' ' || t->buf[e - 1] == ','))
				e--;
			if (e > ln + 2 && strncasecmp(t->buf + e - ln, p->status, ln) == 0 &&
			    (t->buf[e - ln - 1] == ' ') && (t->buf[e - ln - 2] == '.' || t->buf[e - ln - 2] == ',')) {
				e -= ln + 2;
				cvb_buf_setlen(t, e);
			}
		}
		/* "A & A, Forthcoming article", "Icarus, in press": the status
		 * that ends the venue, with the one noun it may take */
		for (fi = 0; p->status != NULL && fi < 2; fi++) {
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_JOURNAL : CVB_RL_CONTAINER].text;
			size_t ln = strlen(p->status), e = t->len, w;

			while (e > 0 && (t->buf[e - 1] == '.' || t->buf[e - 1] == ' '))
				e--;
			for (w = e; w > 0 && isalpha((unsigned char)t->buf[w - 1]); w--)
				;
			if (w > 0 && t->buf[w - 1] == ' ' && status_noun(t->buf + w, e - w))
				e = w - 1;
			if (e > ln + 2 && strncasecmp(t->buf + e - ln, p->status, ln) == 0 &&
			    t->buf[e - ln - 1] == ' ' && (t->buf[e - ln - 2] == ',' || t->buf[e - ln - 2] == '.')) {
				e -= ln + 2;
				cvb_buf_setlen(t, e);
			}
		}
		/* "Published in Review of Economic Studies": the venue, not the phrase */
		for (fi = 0; fi < 2; fi++) {
			static const char *const lead[] = { "published in ", "published on ", "appeared in ",
				"appears in ", "to appear in ", NULL };
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_JOURNAL : CVB_RL_CONTAINER].text;

			for (q = 0; lead[q] != NULL && t->len > 0; q++) {
				size_t ln = strlen(lead[q]);

				if (t->len > ln + 2 && strncasecmp(t->buf, lead[q], ln) == 0) {
					memmove(t->buf, t->buf + ln, t->len - ln);
					cvb_buf_setlen(t, t->len - ln);
					break;
				}
			}
		}
		/* a note that holds the title: "Title. Manuscript submitted ..." */
		if (f[CVB_RL_TITLE].text.len == 0 && f[CVB_RL_NOTE].text.len > 0) {
			struct cvb_buf *t = &f[CVB_RL_NOTE].text;
			char *dot = strstr(t->buf, ". ");

			if (dot != NULL && dot - t->buf >= 10) {
				fld_add(&f[CVB_RL_TITLE], t->buf, 0, (int)(dot - t->buf));
				memmove(t->buf, dot + 2, t->len - (size_t)(dot + 2 - t->buf));
				cvb_buf_setlen(t, t->len - (size_t)(dot + 2 - t->buf));
			}
		}
		if (p->status != NULL && f[CVB_RL_NOTE].text.len > 0 && strcasestr(f[CVB_RL_NOTE].text.buf,
		    p->status) != NULL && f[CVB_RL_NOTE].text.len < 60)
			cvb_buf_setlen(&f[CVB_RL_NOTE].text, 0);	/* the status says it */
		note_tidy(p);
		for (fi = 0; fi < 2; fi++) {
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_NOTE : CVB_RL_PUBLISHER].text;

			if (t->len > 0 && cvb_names_award(t->buf)) {
				cvb_item_add_note(b, it, CVB_NOTE_AWARD, cvb_arena_strndup(&b->arena, t->buf, t->len));
				cvb_buf_setlen(t, 0);
			}
		}
		/* "US Patent 10,123,456" */
		for (fi = 0; fi < 2; fi++) {
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_JOURNAL : CVB_RL_CONTAINER].text;
			const char *pt = t->len ? strcasestr(t->buf, "patent") : NULL, *num;

			if (pt == NULL || (num = strcasestr(base, "patent")) == NULL)
				continue;
			num += 6;
			while (*num == ' ' || *num == ':' || (*num == 'n' && num[1] == 'o') || *num == '.')
				num++;
			q = 0;
			while (isdigit((unsigned char)num[q]) || ((num[q] == ',' || num[q] == '/' ||
			    num[q] == ' ') && isdigit((unsigned char)num[q + 1])))
				q++;
			it->type = CVB_T_PATENT;
			if (q > 0)
				it->str[CVB_V_NUMBER] = cvb_arena_strndup(&b->arena, num, (size_t)q);
			cvb_buf_setlen(&f[CVB_RL_VOLUME].text, 0);
			cvb_buf_setlen(&f[CVB_RL_PAGE].text, 0);
			cvb_buf_setlen(&f[CVB_RL_ISSUE].text, 0);
			cvb_buf_setlen(t, 0);
		}
		/* "ICLR'21" is no volume */
		if (f[CVB_RL_VOLUME].text.len && strpbrk(f[CVB_RL_VOLUME].text.buf, "'") != NULL &&
		    isalpha((unsigned char)f[CVB_RL_VOLUME].text.buf[0]))
			cvb_buf_setlen(&f[CVB_RL_VOLUME].text, 0);
	}
}

/* No year anywhere, and a "volume" that is one ("*ISMB 2021* (oral)"): it is
 * the year. */
static void
volume_year(struct parse *p)
{
	struct cvb_buf *v = &p->f[CVB_RL_VOLUME].text;
	int y;

	if (v->len != 4 || strspn(v->buf, "0123456789") != 4)
		return;
	y = atoi(v->buf);
	if (y < 1900 || y > 2099)
		return;
	p->year = y;
	cvb_buf_setlen(v, 0);
}

static void
venue_year(struct parse *p)
{
	const char *base = p->base;
	size_t len = p->len;
	int i;

	if (p->year == 0) {
		/* "(ICLR'21)" "KDD '23": a venue's two-digit year */
		for (i = 1; i + 2 < (int)len; i++)
			if ((base[i] == '\'' || ((unsigned char)base[i] == 0x99 && i >= 2 &&
			    (unsigned char)base[i - 1] == 0x80)) && is_digit(base[i + 1]) && is_digit(base[i + 2]) &&
			    (i + 3 >= (int)len || !isalnum((unsigned char)base[i + 3]))) {
				int yy = (base[i + 1] - '0') * 10 + (base[i + 2] - '0');

				p->year = cvb_year_yy(yy);
				break;
			}
	}
}

/* Does s say it is a venue ("Proceedings of ...", "... Conference on ...",
 * "Journal of ...")? */
static bool
names_venue(const char *s)
{
	static const char *const w[] = { "proc", "conference", "symposium", "workshop", "journal",
		"transactions", "letters", "review", "meeting", "congress", "annals", "bulletin",
		"magazine", "forum", "colloquium", "summit", "seminar", "series", NULL };
	size_t k;

	for (k = 0; w[k] != NULL; k++)
		if (contains_ci(s, w[k]))
			return true;
	return false;
}

/* Does venue c name a meeting's proceedings (what makes a paper a conference
 * paper)? */
static bool
proceedings_name(const char *c)
{
	return contains_ci(c, "proc") || contains_ci(c, "conference") || contains_ci(c, "workshop") ||
	    contains_ci(c, "symposium");
}

/* How many capital letters (ASCII) the word at s has, or 0 when it holds a
 * character that is no letter. */
static int
capitals(const char *s)
{
	int k = 0;

	for (; *s && *s != ' '; s++) {
		if (!isalpha((unsigned char)*s))
			return 0;
		k += isupper((unsigned char)*s) != 0;
	}
	return k;
}

/*
 * No title, and a "venue" with a publisher but no volume, issue or pages:
 * the venue is a book's title ("Hill, P. M. and Lloyd, J. W., The Godel
 * Programming Language, MIT Press, Cambridge, Mass., 1994.").  Not a
 * conference's (a known acronym, a meeting, proceedings).
 */
static void
book_in_container(struct parse *p)
{
	struct cvb_item *it = p->it;
	const char *c;

	if (it->str[CVB_V_TITLE] != NULL || it->str[CVB_V_CONTAINER_TITLE] == NULL ||
	    !p->has[CVB_RL_PUBLISHER] || p->has[CVB_RL_VOLUME] || p->has[CVB_RL_ISSUE] ||
	    p->has[CVB_RL_PAGE] || it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL || p->meeting)
		return;
	c = it->str[CVB_V_CONTAINER_TITLE];
	if (proceedings_name(c))
		return;
	it->str[CVB_V_TITLE] = it->str[CVB_V_CONTAINER_TITLE];
	it->str[CVB_V_CONTAINER_TITLE] = NULL;
	p->has[CVB_RL_JOURNAL] = p->has[CVB_RL_CONTAINER] = false;
}

/* Does the word that ends at q (in c) begin in lower case and have four
 * letters or more: a sentence's end, not an abbreviation ("revisited.", not
 * "Phys.")? */
static bool
low_word_before(const char *c, const char *q)
{
	const char *w = q;

	while (w > c && isalpha((unsigned char)w[-1]))
		w--;
	return q - w >= 4 && islower((unsigned char)*w) && (w == c || w[-1] == ' ');
}

/*
 * No title, and a venue that reads "Title of four words or more. Venue":
 * the title ran into the venue ("Natural Language to DGGS-Aware Methane
 * Insights. Proceedings in Spatial Knowledge and Information Canada").
 */
static void
title_in_container(struct parse *p)
{
	struct cvb_item *it = p->it;
	const char *c = it->str[CVB_V_CONTAINER_TITLE], *q, *r, *stop = NULL;
	size_t words = 1, after = 1;
	int keep = 0, cjk;

	if (it->str[CVB_V_TITLE] != NULL || c == NULL)
		return;
	/* "Sketching genomes at scale. RECOMB 2020": the venue known by its
	 * acronym, and before it a "venue" with no word of one: the title */
	if (it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL && !names_venue(c) &&
	    !contains_ci(c, it->str[CVB_V_CONTAINER_TITLE_SHORT]) && strchr(c, ' ') != NULL &&
	    (q = strstr(p->base, c)) != NULL && strstr(q + strlen(c), it->str[CVB_V_CONTAINER_TITLE_SHORT]) != NULL) {
		it->str[CVB_V_TITLE] = c;
		it->str[CVB_V_CONTAINER_TITLE] = it->str[CVB_V_CONTAINER_TITLE_SHORT];
		return;
	}
	/* the first ". ", "? " or "! " (a question or exclamation stays the
	 * title's: "How Much Is Investor Autonomy Worth? Journal of Finance") */
	if ((q = strstr(c, ". ")) != NULL)
		stop = q;
	if ((q = strstr(c, "? ")) != NULL && (stop == NULL || q < stop))
		stop = q, keep = 1;
	if ((q = strstr(c, "! ")) != NULL && (stop == NULL || q < stop))
		stop = q, keep = 1;
	if ((q = stop) == NULL)
		return;
	/* "子和補意推原. 張家口醫學院學報": CJK on both sides, whose words no space parts */
	cjk = (unsigned char)q[2] >= 0xE3 && q > c && (unsigned char)q[-1] >= 0x80;
	if (!(isupper((unsigned char)q[2]) || capitals(q + 2) >= 2 || cjk))
		return;
	for (r = c; r < q; r++)
		words += *r == ' ';
	for (r = q + 2; *r; r++)
		after += *r == ' ';
	/* or of three words, before a venue's one-word name with two capitals
	 * or more ("Scalable ancestral graphs. ISMB", "... structure. bioRxiv"),
	 * or of two words or more that end on a sentence's word, no
	 * abbreviation ("Flat bands revisited. Phys. Lett. A"; not "Acta Phys.
	 * Pol. B") */
	if (!(words >= 4 && after >= 2) && !(words >= 3 && after == 1 && capitals(q + 2) >= 2) && !cjk &&
	    !(words >= 2 && low_word_before(c, q)))
		return;
	it->str[CVB_V_TITLE] = cvb_arena_strndup(&p->b->arena, c, (size_t)(q - c + keep));
	it->str[CVB_V_CONTAINER_TITLE] = cvb_arena_strdup(&p->b->arena, q + 2);
}

/* Is the token a year ("2014"), not a volume? */
static bool
is_year_tok(const char *base, const struct cvb_reftok *t)
{
	int v = t->e - t->b == 4 ? atoi(base + t->b) : 0;

	return v >= 1800 && v <= 2099;
}

/* Is token i a full stop after an abbreviation ("Phys." "J.")? */
static bool
abbrev_before(const struct parse *p, int i)
{
	const struct cvb_reftok *t = &p->tok[i - 1];

	return i > 0 && t->kind == CVB_RT_WORD && t->e - t->b <= 5 && t->e == p->tok[i].b &&
	    isupper((unsigned char)p->base[t->b]);
}

/*
 * The model left the venue out: "... with amdirt. F1000Research, 12." ends
 * on a short name and a number, after the title, that it read as nothing
 * (other, note) where no field is the venue.  That name is the venue and the
 * number its volume; a name alone only when it is a venue known by name.
 */
static void
tail_venue(struct parse *p)
{
	struct fld *f = p->f;
	const struct cvb_reftok *tok = p->tok;
	const char *base = p->base;
	int i, lt = -1, ws, we, words = 0, vb = -1, ve = -1;
	size_t k, n;
	static const char *const not_venue[] = { "award", "prize", "http", "talk", "poster",
		"preprint", "manuscript", "working paper", "abstract", "slides", "code", "pdf",
		"invited", "keynote", "thesis", "dissertation", "patent", "report", NULL };
	size_t used;
	char name[64];

	if (f[CVB_RL_CONTAINER].text.len || f[CVB_RL_JOURNAL].text.len ||
	    f[CVB_RL_PUBLISHER].text.len || f[CVB_RL_TITLE].text.len == 0 || f[CVB_RL_GENRE].text.len)
		return;
	for (i = 0; i < p->nt; i++)
		if (p->lab[i] == CVB_RL_TITLE)
			lt = i;
	if (lt < 0)
		return;
	/* the full stop that closes the title, then a capitalised word */
	for (ws = lt + 1; ws < p->nt && tok[ws].kind == CVB_RT_PUNCT && p->lab[ws] != CVB_RL_TITLE; ws++)
		;
	if (ws == lt + 1 || ws >= p->nt || base[tok[ws - 1].b] != '.' ||
	    !(isupper((unsigned char)base[tok[ws].b]) || (unsigned char)base[tok[ws].b] >= 0xC0))
		return;
	for (we = ws; we < p->nt && (p->lab[we] == CVB_RL_OTHER || p->lab[we] == CVB_RL_NOTE); we++) {
		if (tok[we].kind == CVB_RT_WORD && !isdigit((unsigned char)base[tok[we].b]) &&
		    (tok[we].flags & CVB_RT_SPACE))
			words++;
		if (base[tok[we].b] == ',' && vb < 0 && we + 1 < p->nt &&
		    isdigit((unsigned char)base[tok[we + 1].b]) && tok[we + 1].e - tok[we + 1].b <= 4 &&
		    !is_year_tok(base, &tok[we + 1])) {
			vb = we + 1;	/* ", 12" */
			ve = tok[we + 1].e;
		} else if (base[tok[we].b] == ',' || base[tok[we].b] == ';' || base[tok[we].b] == '(' ||
		    (base[tok[we].b] == '.' && we + 1 < p->nt && vb < 0 &&
		    (p->lab[we + 1] == CVB_RL_OTHER || p->lab[we + 1] == CVB_RL_NOTE) &&
		    !abbrev_before(p, we)))
			if (vb < 0 || we > vb)
				break;
	}
	/* up to the end, or to a field of its own (an identifier, a date) */
	n = (size_t)((vb >= 0 ? tok[vb - 1].b : tok[we - 1].e) - tok[ws].b);
	while (n > 0 && (base[tok[ws].b + n - 1] == '.' || base[tok[ws].b + n - 1] == ' '))
		n--;
	if (we < p->nt && p->lab[we] != CVB_RL_DOI && p->lab[we] != CVB_RL_URL &&
	    p->lab[we] != CVB_RL_ARXIV && p->lab[we] != CVB_RL_DATE)
		return;
	if (n < 2 || n > 60 || words > 8 || cvb_status_of(base + tok[ws].b, n, &used) != NULL)
		return;
	/* a name alone may be a publisher ("Dover."), a note ("Working Draft."):
	 * a volume after it, or a venue known by name, says it is the venue */
	if (vb < 0 && cvb_rp_venue_in(base + tok[ws].b, (int)n) < 0)
		return;
	memcpy(name, base + tok[ws].b, n);	/* n <= 60 */
	name[n] = '\0';
	for (k = 0; not_venue[k] != NULL; k++)
		if (contains_ci(name, not_venue[k]))
			return;
	fld_add(&f[CVB_RL_CONTAINER], base, tok[ws].b, tok[ws].b + (int)n);
	p->has[CVB_RL_CONTAINER] = true;
	if (vb >= 0 && f[CVB_RL_VOLUME].text.len == 0) {
		fld_add(&f[CVB_RL_VOLUME], base, tok[vb].b, ve);
		p->has[CVB_RL_VOLUME] = true;
	}
	/* what the note held was this */
	if (f[CVB_RL_NOTE].text.len > 0 && f[CVB_RL_NOTE].runs == 1 &&
	    strncmp(f[CVB_RL_NOTE].text.buf, base + tok[ws].b, n) == 0) {
		cvb_buf_setlen(&f[CVB_RL_NOTE].text, 0);
		p->has[CVB_RL_NOTE] = false;
	}
}

/*
 * No venue, and a "publisher" that is one: a conference known by its acronym
 * or named as one ("SDM 2026", "IEEE INFOCOM Workshops, 2019" after a
 * quoted title, which the labels took for a publisher).
 */
/*
 * A one-word name of two capitals or more written right before a year ("SDM
 * 2026, doi: ...", "AutoCarto2020."): a meeting named by its year, not a
 * publisher ("Springer 2019" has one capital; "ACM, 2019" a comma).
 */
static bool
acronym_year(const char *name, const char *base)
{
	const char *at, *q;
	size_t n = strlen(name), i, caps = 0;

	if (n < 2 || n > 12)
		return false;
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)name[i]))
			return false;
		caps += isupper((unsigned char)name[i]) != 0;
	}
	if (caps < 2)
		return false;
	for (at = strstr(base, name); at != NULL; at = strstr(at + 1, name)) {
		if (at > base && isalnum((unsigned char)at[-1]))
			continue;
		q = at + n;
		if (*q == ' ')
			q++;
		if ((q[0] == '1' || q[0] == '2') && isdigit((unsigned char)q[1]) &&
		    isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]) &&
		    !isalnum((unsigned char)q[4]))
			return true;
	}
	return false;
}

static void
publisher_venue(struct parse *p)
{
	struct fld *f = p->f, *pub = &f[CVB_RL_PUBLISHER];

	if (f[CVB_RL_CONTAINER].text.len || f[CVB_RL_JOURNAL].text.len || pub->text.len == 0 ||
	    f[CVB_RL_LOCATION].text.len)
		return;
	if (acronym_year(pub->text.buf, p->base) &&
	    strncmp(p->base, pub->text.buf, pub->text.len) != 0)
		p->meeting = true;	/* not "OECD, Title, OECD 2014": its author */
	else if (cvb_rp_venue_in(pub->text.buf, (int)pub->text.len) < 0 && !contains_ci(pub->text.buf, "workshop") &&
	    !contains_ci(pub->text.buf, "conference") && !contains_ci(pub->text.buf, "symposium") &&
	    !contains_ci(pub->text.buf, "proceedings") && strncmp(pub->text.buf, "Proc. ", 6) != 0)
		return;
	f[CVB_RL_CONTAINER] = *pub;
	memset(pub, 0, sizeof(*pub));
	p->has[CVB_RL_PUBLISHER] = false;
	p->has[CVB_RL_CONTAINER] = true;
}

/*
 * "Proceedings of the ... Symposium on Dynamic Languages. DLS": a name of
 * four words or more written out (no abbreviation) with an acronym (two to
 * eight capitals) after a full stop is the name, and the acronym its short
 * title.
 */
static void
acronym_after(struct parse *p)
{
	struct cvb_item *it = p->it;
	const char *ct = it->str[CVB_V_CONTAINER_TITLE], *dot, *q;
	size_t words = 1, al;

	if (ct == NULL || (dot = strrchr(ct, '.')) == NULL || dot[1] != ' ')
		return;
	for (q = dot + 2; *q && isupper((unsigned char)*q); q++)
		;
	al = (size_t)(q - dot - 2);
	if (*q != '\0' || al < 2 || al > 8)
		return;
	/* a name written out: no abbreviation in it ("Proc. Natl. Acad. Sci. USA") */
	for (q = ct; q < dot; q++) {
		if (*q == '.')
			return;
		words += *q == ' ';
	}
	if (words < 4)
		return;
	if (it->str[CVB_V_CONTAINER_TITLE_SHORT] == NULL)
		it->str[CVB_V_CONTAINER_TITLE_SHORT] = cvb_arena_strdup(&p->b->arena, dot + 2);
	it->str[CVB_V_CONTAINER_TITLE] = cvb_arena_strndup(&p->b->arena, ct, (size_t)(dot - ct));
}

/*
 * A number, publisher or place that only repeats the venue's short title
 * ("The European Conference on Computer Systems (EuroSys), 2023", the
 * acronym in bold read as the issue) is that short title, nothing more.
 */
static void
short_title_once(struct parse *p)
{
	static const enum cvb_var v[] = { CVB_V_ISSUE, CVB_V_VOLUME, CVB_V_PUBLISHER,
	    CVB_V_PUBLISHER_PLACE, CVB_V_EVENT_PLACE };
	struct cvb_item *it = p->it;
	const char *st = it->str[CVB_V_CONTAINER_TITLE_SHORT], *ct = it->str[CVB_V_CONTAINER_TITLE];
	const char *at, *q;
	size_t k, n;
	bool upper = false;

	if ((st == NULL || *st == '\0') && ct != NULL && strlen(ct) >= 12 &&
	    (at = strstr(p->base, ct)) != NULL) {
		/* "ACM Symposium on Cloud Computing (SoCC), 2023": the acronym
		 * in brackets right after the venue is its short title */
		for (q = at + strlen(ct); *q == ' '; q++)
			;
		if (*q++ != '(')
			return;
		for (n = 0; isalnum((unsigned char)q[n]) && n < 12; n++)
			upper |= isupper((unsigned char)q[n]) != 0;
		if (q[n] != ')' || n < 2 || !upper)
			return;
		for (k = 0; k < CVB_ARRAY_SIZE(v); k++)
			if (it->str[v[k]] != NULL && strlen(it->str[v[k]]) == n &&
			    memcmp(it->str[v[k]], q, n) == 0)
				break;
		if (k == CVB_ARRAY_SIZE(v))
			return;
		st = it->str[CVB_V_CONTAINER_TITLE_SHORT] = it->str[v[k]];
	}
	if (st == NULL || *st == '\0')
		return;
	for (k = 0; k < CVB_ARRAY_SIZE(v); k++)
		if (it->str[v[k]] != NULL && strcmp(it->str[v[k]], st) == 0)
			it->str[v[k]] = NULL;
}

/* The container, and the acronym of a known venue (its short title). */
static void
put_container(struct parse *p)
{
	struct fld *f = p->f;
	const char *base = p->base;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	it->str[CVB_V_TITLE] = fld_str(b, &f[CVB_RL_TITLE]);
	{
		struct fld *c = f[CVB_RL_JOURNAL].text.len ? &f[CVB_RL_JOURNAL] : &f[CVB_RL_CONTAINER];

		it->str[CVB_V_CONTAINER_TITLE] = fld_str(b, c);
		if (it->str[CVB_V_CONTAINER_TITLE] != NULL) {
			int v = venue_bracketed(base, (int)p->len);

			/* "The 20th USENIX Symposium on ... (NSDI)": the acronym the
			 * reference gives in brackets, before one among the name's words */
			if (v < 0)
				v = cvb_rp_venue_in(c->text.buf, (int)c->text.len);
			/* "... Representations (ICLR'21)": the acronym beside the name */
			if (v < 0)
				v = cvb_rp_venue_in(base, (int)p->len);
			if (v >= 0) {
				const char *a = cvb_text_venues[v][0], *ct = it->str[CVB_V_CONTAINER_TITLE];
				size_t al = strlen(a);

				it->str[CVB_V_CONTAINER_TITLE_SHORT] = a;
				/* "Proceedings of ... Dynamic Languages. DLS": the name, without
				 * its acronym after it */
				{
					size_t cl = strlen(ct);

					if (cl > al + 12 && strcmp(ct + cl - al, a) == 0 &&
					    (ct[cl - al - 1] == ' ') && (ct[cl - al - 2] == '.' || ct[cl - al - 2] == ','))
						it->str[CVB_V_CONTAINER_TITLE] = ct = cvb_arena_strndup(&b->arena, ct,
						    cl - al - 2);
				}
				/* "ICML 2025", "NeurIPS'21": the acronym and the year, which is the date's */
				if (strncmp(ct, a, al) == 0 && (strlen(ct + al) == 5 || strlen(ct + al) == 3) &&
				    (ct[al] == ' ' || ct[al] == '\'') && isdigit((unsigned char)ct[al + 1]) &&
				    isdigit((unsigned char)ct[al + 2]) && (ct[al + 3] == '\0' ||
				    (isdigit((unsigned char)ct[al + 3]) && isdigit((unsigned char)ct[al + 4]))))
					it->str[CVB_V_CONTAINER_TITLE] = a;
			} else
				acronym_after(p);
		}
	}
}

/*
 * A count of pages after the pages is not where they are: "L15707, 5 pp."
 * ends the pages with the number of pages (CSL number-of-pages).
 */
static void
page_count(cvbib_biblio *b, struct cvb_item *it)
{
	const char *pg = it->str[CVB_V_PAGE];
	size_t n, e, d;

	if (pg == NULL)
		return;
	n = strlen(pg);
	while (n > 0 && (pg[n - 1] == '.' || pg[n - 1] == ' '))
		n--;
	if (n < 4 || strncmp(pg + n - 2, "pp", 2) != 0)
		return;
	e = n - 2;
	while (e > 0 && pg[e - 1] == ' ')
		e--;
	for (d = e; d > 0 && isdigit((unsigned char)pg[d - 1]); d--)
		;
	/* "546 pp." alone is the book's length as its pages (the dev sets' reading) */
	if (d == e || d == 0 || (pg[d - 1] != ' ' && pg[d - 1] != ','))
		return;
	if (it->str[CVB_V_NUMBER_OF_PAGES] == NULL)
		it->str[CVB_V_NUMBER_OF_PAGES] = cvb_arena_strndup(&b->arena, pg + d, e - d);
	while (d > 0 && (pg[d - 1] == ' ' || pg[d - 1] == ','))
		d--;
	it->str[CVB_V_PAGE] = d > 0 ? cvb_arena_strndup(&b->arena, pg, d) : NULL;
}

/* The other fields, and identifiers: a DOI in a doi.org link, arXiv ids. */
static void
put_ids(struct parse *p)
{
	struct fld *f = p->f;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	it->str[CVB_V_COLLECTION_TITLE] = fld_str(b, &f[CVB_RL_COLLECTION]);
	it->str[CVB_V_PUBLISHER] = fld_str(b, &f[CVB_RL_PUBLISHER]);
	it->str[CVB_V_PUBLISHER_PLACE] = fld_str(b, &f[CVB_RL_LOCATION]);
	it->str[CVB_V_VOLUME] = fld_str(b, &f[CVB_RL_VOLUME]);
	it->str[CVB_V_ISSUE] = fld_str(b, &f[CVB_RL_ISSUE]);
	it->str[CVB_V_PAGE] = fld_str(b, &f[CVB_RL_PAGE]);
	page_count(b, it);
	it->str[CVB_V_DOI] = fld_str(b, &f[CVB_RL_DOI]);
	it->str[CVB_V_URL] = fld_str(b, &f[CVB_RL_URL]);
	if (it->str[CVB_V_DOI] == NULL && it->str[CVB_V_URL] != NULL &&
	    strstr(it->str[CVB_V_URL], "doi.org/") != NULL) {
		/* https://doi.org/10.1145/... */
		struct cvb_buf d = CVB_BUF_INIT;

		if (cvb_doi_find(it->str[CVB_V_URL], &d) && d.len)
			it->str[CVB_V_DOI] = cvb_arena_strndup(&b->arena, d.buf, d.len);
		cvbib_buf_release(&d);
	}
	/* an arXiv identifier is one ("2109.12247", "hep-th/9901001"), or it is
	 * no arXiv number ("arXiv:medRxiv"): then what it says is the venue;
	 * a link to arxiv.org/abs/ID gives one the labels missed */
	if (f[CVB_RL_ARXIV].text.len && !arxiv_ok(f[CVB_RL_ARXIV].text.buf)) {
		if (it->str[CVB_V_CONTAINER_TITLE] == NULL) {
			const char *a = f[CVB_RL_ARXIV].text.buf;

			if (strncasecmp(a, "arxiv:", 6) == 0)
				a += 6;
			while (*a == ' ')
				a++;
			if (*a) {
				/* "medRxiv. 2025": up to the date or numbers after it */
				const char *e = a;

				while (*e && !((e[0] == '.' || e[0] == ',' || e[0] == ';') && e[1] == ' ' &&
				    isdigit((unsigned char)e[2])))
					e++;
				it->str[CVB_V_CONTAINER_TITLE] = cvb_arena_strndup(&b->arena, a, (size_t)(e - a));
			}
		}
		cvb_buf_setlen(&f[CVB_RL_ARXIV].text, 0);
		p->has[CVB_RL_ARXIV] = false;
	}
	if (!f[CVB_RL_ARXIV].text.len && it->str[CVB_V_URL] != NULL &&
	    strstr(it->str[CVB_V_URL], "arxiv.org/") != NULL) {
		struct cvb_buf id = CVB_BUF_INIT;

		if (cvb_arxiv_find(it->str[CVB_V_URL], &id) && id.len > 0) {
			fld_add(&f[CVB_RL_ARXIV], id.buf, 0, (int)id.len);
			p->has[CVB_RL_ARXIV] = true;
		}
		cvbib_buf_release(&id);
	}
}

/*
 * A preprint server named where the venue goes ("... pathogen. bioRxiv.
 * doi:10.1101/...", "... learning.” arXiv, 2022, doi: ...") that the model
 * read as no field, a genre or a note: the container, as printed.  Not an
 * arXiv id's "arXiv:" (an id read, the arXiv field).
 */
static void
server_venue(struct parse *p)
{
	struct cvb_item *it = p->it;
	const struct cvb_reftok *t = p->tok;
	int i;

	if (it->str[CVB_V_CONTAINER_TITLE] != NULL)
		return;
	for (i = 0; i < p->nt; i++) {
		int l = p->lab[i], n = t[i].e - t[i].b;
		char before = i > 0 ? p->base[t[i - 1].b] : '.', after = i + 1 < p->nt ?
		    p->base[t[i + 1].b] : '.';

		if (!(l == CVB_RL_OTHER || l == CVB_RL_GENRE || l == CVB_RL_NOTE ||
		    (l == CVB_RL_ARXIV && p->f[CVB_RL_ARXIV].text.len == 0)) ||
		    cvb_preprint_server(p->base + t[i].b, (size_t)n) == NULL)
			continue;
		/* a field of its own: after a sentence or the title's quote, before
		 * a stop, a comma or the end */
		if (i > 0 && !(before == '.' || before == ',' || (unsigned char)before == 0xE2 ||
		    before == '"' || before == ')'))
			continue;
		if (!(after == '.' || after == ',' || after == ';' ||
		    (i + 1 < p->nt && p->lab[i + 1] == CVB_RL_DATE)))	/* "medRxiv 2024." */
			continue;
		it->str[CVB_V_CONTAINER_TITLE] = cvb_arena_strndup(&p->b->arena, p->base + t[i].b,
		    (size_t)n);
		if (it->str[CVB_V_GENRE] != NULL && strcmp(it->str[CVB_V_GENRE],
		    it->str[CVB_V_CONTAINER_TITLE]) == 0)
			it->str[CVB_V_GENRE] = NULL;
		if (p->f[CVB_RL_GENRE].text.len && strcmp(p->f[CVB_RL_GENRE].text.buf,
		    it->str[CVB_V_CONTAINER_TITLE]) == 0)
			cvb_buf_setlen(&p->f[CVB_RL_GENRE].text, 0);
		if (l == CVB_RL_NOTE && p->f[CVB_RL_NOTE].text.len &&
		    strcmp(p->f[CVB_RL_NOTE].text.buf, it->str[CVB_V_CONTAINER_TITLE]) == 0)
			cvb_buf_setlen(&p->f[CVB_RL_NOTE].text, 0);
		return;
	}
}

/*
 * Names read as editors, with no authors and nothing in the reference that
 * says editors ("ed.", "eds", "edited by", "Hrsg.", "(dir.)", "compiled by",
 * "Sous la direction de", "a cura di", "In"):
 * the authors, printed after the title ("Title A. Smith, J. Knolle, and
 * D. L. Kovrizhin, arXiv: 1803.06574").
 */
static void
editors_without_cue(struct parse *p)
{
	static const char *const cue[] = { "ed.", "eds", "(ed", "edited", "editor", "hrsg",
	    "(hg", "hg.", "(dir", "dir.)", "direction", "compiled", "a cura", "coord", "(org",
	    "in:", "éd." };
	struct cvb_item *it = p->it;
	size_t k;

	if (it->names[CVB_NV_EDITOR] == NULL || it->names[CVB_NV_AUTHOR] != NULL)
		return;
	for (k = 0; k < CVB_ARRAY_SIZE(cue); k++)
		if (strcasestr(p->base, cue[k]) != NULL)
			return;
	/* "In" opening a part of the reference, not "Localization in Z2" */
	if (strncmp(p->base, "In ", 3) == 0 || strstr(p->base, ". In ") != NULL ||
	    strstr(p->base, ", In ") != NULL || strstr(p->base, "\xe2\x80\x9d In ") != NULL)
		return;
	it->names[CVB_NV_AUTHOR] = it->names[CVB_NV_EDITOR];
	it->names[CVB_NV_EDITOR] = NULL;
}

static void
guess_type(struct parse *p)
{
	struct fld *f = p->f;
	const char *base = p->base;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	it->str[CVB_V_GENRE] = fld_str(b, &f[CVB_RL_GENRE]);
	report_number(b, it, base);
	/* the type, from what the labels say */
	{
		const char *g = it->str[CVB_V_GENRE], *c = it->str[CVB_V_CONTAINER_TITLE];

		if (it->type == CVB_T_PATENT)
			;
		else if (it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL && (!p->has[CVB_RL_JOURNAL] ||
		    strlen(it->str[CVB_V_CONTAINER_TITLE]) <= strlen(it->str[CVB_V_CONTAINER_TITLE_SHORT]) + 6)) {
			int v;

			for (v = 0; cvb_text_venues[v][0] != NULL; v++)
				if (cvb_text_venues[v][0] == it->str[CVB_V_CONTAINER_TITLE_SHORT])
					break;
			it->type = cvb_text_venues[v][0] != NULL ? cvb_type_lookup(cvb_text_venues[v][2]) :
			    CVB_T_NONE;
			if (it->type == CVB_T_NONE)
				it->type = CVB_T_PAPER_CONFERENCE;
		}
		else if (g != NULL && (contains_ci(g, "thesis") || contains_ci(g, "dissertation") ||
		    contains_ci(g, "ph.d") || contains_ci(g, "phd")))
			it->type = CVB_T_THESIS;
		else if (g != NULL && (contains_ci(g, "report") || contains_ci(g, "tech") ||
		    contains_ci(g, "working paper") || contains_ci(g, "discussion paper") ||
		    contains_ci(g, "study paper") || contains_ci(g, "policy paper") ||
		    contains_ci(g, "occasional paper") || contains_ci(g, "memo"))) {
			it->type = CVB_T_REPORT;
			/* "ROCKWOOL Fonden, Study Paper No. 279": the venue the model
			 * read is the institution that issued the report */
			if (it->str[CVB_V_PUBLISHER] == NULL && c != NULL) {
				it->str[CVB_V_PUBLISHER] = c;
				/* read as a journal, with a venue besides ("in ...
				 * Summer Proceedings 2023, ..., Sandia National
				 * Laboratories"): the venue stays the container */
				it->str[CVB_V_CONTAINER_TITLE] = f[CVB_RL_JOURNAL].text.len > 0 ?
				    fld_str(b, &f[CVB_RL_CONTAINER]) : NULL;
			}
		}
		else if (p->has[CVB_RL_JOURNAL])
			it->type = CVB_T_ARTICLE_JOURNAL;
		else if (c != NULL && (p->meeting || proceedings_name(c) ||
		    it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL))
			it->type = CVB_T_PAPER_CONFERENCE;
		else if (c != NULL)
			it->type = p->has[CVB_RL_EDITOR] || p->has[CVB_RL_PUBLISHER] ? CVB_T_CHAPTER :
			    CVB_T_ARTICLE_JOURNAL;
		else if (p->has[CVB_RL_PUBLISHER] || p->has[CVB_RL_LOCATION])
			it->type = CVB_T_BOOK;
		else if (p->has[CVB_RL_ARXIV])
			it->type = CVB_T_ARTICLE;
		else
			it->type = CVB_T_ARTICLE_JOURNAL;
	}
}

/* [t, t + *tl) without the spaces and quotes around it and a comma after it
 * ("“Title”," -> "Title"): its start, *tl its length. */
static const char *
unquoted(const char *t, size_t *tl)
{
	for (;;) {
		if (*tl > 0 && (*t == ' ' || *t == '"'))
			t++, (*tl)--;
		else if (*tl >= 3 && strncmp(t, "\xE2\x80\x9C", 3) == 0)
			t += 3, *tl -= 3;
		else
			break;
	}
	for (;;) {
		if (*tl > 0 && (t[*tl - 1] == ' ' || t[*tl - 1] == '"' || t[*tl - 1] == ','))
			(*tl)--;
		else if (*tl >= 3 && strncmp(t + *tl - 3, "\xE2\x80\x9D", 3) == 0)
			*tl -= 3;
		else
			break;
	}
	return t;
}

/*
 * "Review of Title, by A. Author (Publisher, 2002). Journal (Winter, 2003).",
 * as book reviews are listed: the review is titled by the book, appeared in
 * the journal after the book's details, in the last year given; the book's
 * author, publisher and year are the book's, not the review's (the reviewer,
 * the CV's owner, goes unnamed).  False when s does not read so.
 */
static bool
book_review(struct parse *p)
{
	static const char *const by[] = { ", edited by ", ", ed. by ", ", by ", " by ", NULL };
	const char *s = p->base, *t, *bp = NULL, *v, *ve, *q, *dot, *vol = NULL;
	struct cvb_item *it = p->it;
	cvbib_biblio *b = p->b;
	size_t k, tl;
	int year = 0;

	if (strncasecmp(s, "review of ", 10) != 0)
		return false;
	t = s + 10;
	for (k = 0; by[k] != NULL; k++)
		if ((q = strstr(t, by[k])) != NULL && (bp == NULL || q < bp))
			bp = q;
	if (bp == NULL)
		return false;
	/* the review's year: the last one given */
	for (q = s; *q; q++)
		if ((q == s || !isalnum((unsigned char)q[-1])) && (q[0] == '1' || q[0] == '2') &&
		    is_digit(q[1]) && is_digit(q[2]) && is_digit(q[3]) && !is_digit(q[4]))
			year = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + q[3] - '0';
	/* the journal: after the book's "(Publisher, 2002)." or, without it,
	 * after the full stop that ends the book's author */
	v = bp + 4;
	/* the full stop that ends the book's author, not an initial's */
	for (dot = strstr(v, ". "); dot != NULL && dot - v >= 1 && isupper((unsigned char)dot[-1]) &&
	    (dot - v == 1 || !isalpha((unsigned char)dot[-2])); dot = strstr(dot + 1, ". "))
		;
	/* the book's bracket comes before the full stop that ends it, not the
	 * journal's year after it ("... by J. Doe. Classical Review 68 (2018)") */
	if ((q = strchr(v, '(')) != NULL && (dot == NULL || q < dot) && (ve = strchr(q, ')')) != NULL &&
	    strpbrk(q, "0123456789") < ve)
		v = ve + 1;
	else if (dot != NULL)
		v = dot + 1;
	else
		return false;
	while (*v == '.' || *v == ',' || *v == ' ')
		v++;
	for (ve = v; *ve && *ve != '(' && *ve != ',' && !(ve[0] == '.' && (ve[1] == ' ' || ve[1] == '\0')); ve++)
		;
	while (ve > v && ve[-1] == ' ')
		ve--;
	if (ve == v || year == 0)
		return false;
	/* the journal's volume after its name ("Classical Review 68") */
	for (q = ve; q > v && is_digit(q[-1]); q--)
		;
	if (q < ve && q - v >= 3 && q[-1] == ' ' && ve - q <= 4) {
		vol = cvb_arena_strndup(&b->arena, q, (size_t)(ve - q));
		for (ve = q; ve > v && ve[-1] == ' '; ve--)
			;
	}
	tl = (size_t)(bp - t);
	t = unquoted(t, &tl);
	if (tl == 0)
		return false;
	it->str[CVB_V_TITLE] = cvb_arena_strndup(&b->arena, t, tl);
	it->str[CVB_V_CONTAINER_TITLE] = cvb_arena_strndup(&b->arena, v, (size_t)(ve - v));
	it->str[CVB_V_CONTAINER_TITLE_SHORT] = NULL;
	it->str[CVB_V_PUBLISHER] = it->str[CVB_V_PUBLISHER_PLACE] = NULL;
	/* the journal's numbers stay ("Classical Review 68 (2018): 200–202");
	 * the book's go */
	if (vol != NULL)
		it->str[CVB_V_VOLUME] = vol;
	else if (it->str[CVB_V_VOLUME] != NULL && strstr(ve, it->str[CVB_V_VOLUME]) == NULL)
		it->str[CVB_V_VOLUME] = NULL;
	if (it->str[CVB_V_ISSUE] != NULL && strstr(ve, it->str[CVB_V_ISSUE]) == NULL)
		it->str[CVB_V_ISSUE] = NULL;
	if (it->str[CVB_V_PAGE] != NULL && strstr(ve, it->str[CVB_V_PAGE]) == NULL)
		it->str[CVB_V_PAGE] = NULL;
	it->names[CVB_NV_AUTHOR] = it->names[CVB_NV_EDITOR] = NULL;
	it->type = CVB_T_REVIEW_BOOK;
	p->year = year;
	p->month = 0;
	p->suf = 0;
	return true;
}

static void
review_title(struct parse *p)
{
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	if (book_review(p))
		return;
	/* "Review of “Title”" otherwise: a review titled by what it reviews (its
	 * type stays what the labels say) */
	if (it->str[CVB_V_TITLE] != NULL && strncasecmp(it->str[CVB_V_TITLE], "review of ", 10) == 0) {
		const char *t = it->str[CVB_V_TITLE] + 10;
		size_t tl = strlen(t);

		t = unquoted(t, &tl);
		if (tl > 0)
			it->str[CVB_V_TITLE] = cvb_arena_strndup(&b->arena, t, tl);
	}
}

static void
thesis_school(struct parse *p)
{
	const char *base = p->base;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;
	int i;

	if (it->type == CVB_T_THESIS && it->str[CVB_V_PUBLISHER] == NULL && p->othb >= 0) {
		int ob = p->othb, oe = p->othe;

		clean_span(base, &ob, &oe, NULL, NULL);
		for (i = ob; i < oe; i++)
			if (strncmp(base + i, "Univ", 4) == 0 || strncmp(base + i, "Institut", 8) == 0 ||
			    strncmp(base + i, "College", 7) == 0 || strncmp(base + i, "School", 6) == 0 ||
			    strncmp(base + i, "Hochschule", 10) == 0 || strncmp(base + i, "Universit", 9) == 0) {
				struct fld pf;

				memset(&pf, 0, sizeof(pf));
				fld_add(&pf, base, ob, oe);
				it->str[CVB_V_PUBLISHER] = fld_str(b, &pf);
				cvbib_buf_release(&pf.text);
				break;
			}
	}
}

/*
 * A title the CV quotes ends at its closing quote when a bracket follows it:
 * "Hill SA “A head in the clouds elucidates climate” (book review of ...).
 * Science, 337" -- the bracket, which the labels ran on into, is a note.
 * ("“Like” and language ideology" goes on past a quote.)
 */
static void
quoted_title(struct parse *p)
{
	struct cvb_item *it = p->it;
	const char *t = it->str[CVB_V_TITLE], *q, *open;
	size_t l;

	if (t == NULL || (q = strstr(t, "\xE2\x80\x9D")) == NULL || q == t || q[3] != ' ' || q[4] != '(')
		return;
	/* opened by a quote in the string, right before the title's words */
	l = strlen(t) < 12 ? strlen(t) : 12;
	for (open = strstr(p->base, "\xE2\x80\x9C"); open != NULL; open = strstr(open + 3, "\xE2\x80\x9C"))
		if (strncmp(open + 3, t, l) == 0)
			break;
	if (open == NULL)
		return;
	l = (size_t)(q - t);
	while (l > 0 && (t[l - 1] == ' ' || t[l - 1] == ',' || t[l - 1] == '.'))
		l--;
	q += 3;
	while (*q == ' ' || *q == ',' || *q == '.')
		q++;
	if (l == 0)
		return;
	if (*q != '\0') {
		size_t n = strlen(q);

		q = unbracket(q, &n);	/* "(book review of ...)" */
		cvb_item_add_note(p->b, it, CVB_NOTE_OTHER, cvb_arena_strndup(&p->b->arena, q, n));
	}
	it->str[CVB_V_TITLE] = cvb_arena_strndup(&p->b->arena, t, l);
}

/*
 * A reference with no title whose note is a run of words, printed last:
 * "Schneider, A. D.; Helling, C. A & A, Volume 666, id.L11 No evidence for
 * radius inflation in hot Jupiters" -- the note is the title.  Not a status
 * ("In revision"), nor words with numbers in them.
 */
static void
note_title(struct parse *p)
{
	struct fld *f = &p->f[CVB_RL_NOTE];
	const char *s;
	size_t i, words = 0, used;

	if (p->it->str[CVB_V_TITLE] != NULL || f->text.len == 0 ||
	    (p->it->names[CVB_NV_AUTHOR] == NULL && p->it->str[CVB_V_CONTAINER_TITLE] == NULL))
		return;
	s = fld_str(p->b, f);
	if (s == NULL || !isupper((unsigned char)s[0]) || cvb_status_of(s, strlen(s), &used) != NULL)
		return;
	for (i = 0; s[i]; i++) {
		if (isdigit((unsigned char)s[i]))
			return;
		if (isalpha((unsigned char)s[i]) && (i == 0 || s[i - 1] == ' '))
			words++;
	}
	if (words < 4)
		return;
	p->it->str[CVB_V_TITLE] = s;
	f->text.len = 0;
}

/*
 * "Viruses 16, 1358 (2024)": the model read the number after the volume as
 * part of the date, and the year won; a number there that is no year (and
 * not the year read) is the pages, when none were read.
 */
static void
pages_after_volume(struct parse *p)
{
	struct cvb_item *it = p->it;
	const char *v = it->str[CVB_V_VOLUME], *at, *q;
	size_t n;
	int num, k;

	if (v == NULL || it->str[CVB_V_PAGE] != NULL || it->str[CVB_V_ISSUE] != NULL)
		return;
	for (at = strstr(p->base, v); at != NULL; at = strstr(at + 1, v)) {
		if (at > p->base && isalnum((unsigned char)at[-1]))
			continue;
		q = at + strlen(v);
		if (q[0] != ',' || q[1] != ' ' || !isdigit((unsigned char)q[2]))
			continue;
		q += 2;
		for (n = 0; isdigit((unsigned char)q[n]); n++)
			;
		if (n > 7 || isalnum((unsigned char)q[n]) || q[n] == '-' || q[n] == '(')
			return;
		num = atoi(q);
		if ((num >= 1800 && num <= 2099) || num == p->year)
			return;
		/* the model read it as the date: "1358, 2024" */
		for (k = 0; k < p->nt; k++)
			if (p->tok[k].b == (int)(q - p->base))
				break;
		if (k == p->nt || p->lab[k] != CVB_RL_DATE)
			return;
		it->str[CVB_V_PAGE] = cvb_arena_strndup(&p->b->arena, q, n);
		return;
	}
}

/* The arXiv id, the date, the status, the note. */
static void
put_rest(struct parse *p)
{
	struct fld *f = p->f;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;

	if (f[CVB_RL_ARXIV].text.len) {
		const char *a = fld_str(b, &f[CVB_RL_ARXIV]);

		if (strncasecmp(a, "arxiv:", 6) == 0)
			a += 6;
		cvb_item_add_field(b, it, "arxiv", a, 0);
		/* an id the reference prints (as an id or in a printed arxiv.org
		 * address) is the number CSL-JSON cites it by ("PRX Quantum 2,
		 * 010342 (2021) [arXiv:2008.10322]": write_csljson.c); one only in a
		 * link's hidden target is not printed (entry.c takes it back) */
		it->flags |= CVB_IF_ARXIV_NUMBER;
		if (it->type == CVB_T_ARTICLE) {
			/* a preprint as the BibTeX reader has one (bibmap.c): the
			 * repository and the id (eprinttype, eprint), and "arXiv:ID" */
			it->str[CVB_V_NUMBER] = cvb_arena_printf(&b->arena, "arXiv:%s", a);
			if (it->str[CVB_V_ARCHIVE] == NULL && it->str[CVB_V_ARCHIVE_LOCATION] == NULL) {
				cvb_item_set(b, it, CVB_V_ARCHIVE, "arXiv");
				cvb_item_set(b, it, CVB_V_ARCHIVE_LOCATION, a);
			}
		}
	}
	if (p->year) {
		struct cvb_date *d = cvb_date_new(b);

		if (d != NULL) {
			d->parts[0][0] = p->year;
			d->nparts[0] = 1;
			if (p->month) {
				d->parts[0][1] = p->month;
				d->nparts[0] = 2;
			}
			it->date[CVB_DV_ISSUED] = d;
		}
		if (p->suf)
			it->str[CVB_V_YEAR_SUFFIX] = cvb_arena_strndup(&b->arena, &p->suf, 1);
	}
	if (p->status) {
		const char *st = status_says(p->status);

		cvb_item_add_note(b, it, CVB_NOTE_STATUS, st);
		it->str[CVB_V_STATUS] = st;
	}
	if (f[CVB_RL_NOTE].text.len)
		cvb_item_add_note(b, it, CVB_NOTE_OTHER, fld_str(b, &f[CVB_RL_NOTE]));
}

static void
explain(struct parse *p)
{
	const char *base = p->base;
	const struct cvb_reftok *tok = p->tok;
	const int *lab = p->lab;
	int nt = p->nt;
	cvbib_biblio *b = p->b;
	struct cvb_item *it = p->it;
	const double *conf = p->conf;
	int i;

	{
		struct cvb_buf ex = CVB_BUF_INIT;

		for (i = 0; i < nt; i++) {
			if (i > 0)
				cvb_buf_addch(&ex, ' ');
			cvb_buf_add(&ex, base + tok[i].b, (size_t)(tok[i].e - tok[i].b));
			cvb_buf_addf(&ex, "/%s/%.2f", cvb_ref_labels[lab[i]], conf[i]);
		}
		cvb_item_add_field(b, it, "explain", cvb_arena_strndup(&b->arena, ex.buf ? ex.buf : "", ex.len), 0);
		cvbib_buf_release(&ex);
	}
}

int
cvb_refparse(cvbib_biblio *b, struct cvb_item *it, const char *s, size_t len,
    const struct cvb_refctx *ctx)
{
	const struct cvb_seq_model *m = cvb_rp_model(ctx);
	struct parse *p = NULL;
	struct cvb_reftok *tok = NULL;
	struct rp *r = NULL;
	int *lab = NULL, nt, i, rc = -CVBIB_ENOMEM;
	double *conf = NULL;
	char *w = NULL, *base;
	size_t sk;
	bool explaining = ctx != NULL && ctx->explain;

	if (m == NULL)
		return 0;
	if (len > 65536)
		len = 65536;
	w = malloc(len + 1);
	tok = malloc(sizeof(*tok) * MAXTOK);
	r = malloc(sizeof(*r));
	p = calloc(1, sizeof(*p));
	if (w == NULL || tok == NULL || r == NULL || p == NULL)
		goto out;
	sk = cvb_ref_prepare(s, len, w);
	base = w + sk;
	len -= sk;
	nt = cvb_ref_tokens(base, (int)len, tok, MAXTOK);
	if (nt == 0) {
		rc = 0;
		goto out;
	}
	lab = malloc(sizeof(*lab) * (size_t)nt);
	conf = malloc(sizeof(*conf) * (size_t)nt);
	if (lab == NULL || conf == NULL)
		goto out;
	memset(r, 0, offsetof(struct rp, tok));
	memset(&r->nau, 0, sizeof(*r) - offsetof(struct rp, nau));
	r->w = base;
	r->o = base;
	r->n = (int)len;
	r->ctx = ctx;
	if (cvb_rp_label(m, base, len, sk, tok, nt, ctx, r, lab, explaining ? conf : NULL) < 0)
		goto out;
	names_past_ellipsis(base, tok, nt, lab);
	page_letter(base, tok, nt, lab);
	*p = (struct parse){ .b = b, .it = it, .r = r, .ctx = ctx, .base = base, .len = len,
	    .tok = tok, .nt = nt, .lab = lab, .conf = conf, .othb = -1, .othe = -1 };
	read_spans(p);
	collab_authors(p);
	isxn_numbers(p->f, p->base);
	cjk_numbers(p->f);
	repair_numbers(p->f);
	issue_in_volume(p->f);
	page_year(p);
	container_tail(p);
	if (p->year == 0)
		find_year(p);
	status_closing(p);
	cv_phrases(p);
	if (p->year == 0)
		venue_year(p);
	if (p->year == 0)
		volume_year(p);
	publisher_venue(p);
	tail_venue(p);
	put_container(p);
	title_in_container(p);
	book_in_container(p);
	put_ids(p);
	editors_without_cue(p);
	server_venue(p);
	guess_type(p);
	review_title(p);
	quoted_title(p);
	thesis_school(p);
	note_title(p);
	put_rest(p);
	pages_after_volume(p);
	short_title_once(p);
	if (explaining)
		explain(p);
	/* a reference: a title or venue, and authors, a year or a link of its
	 * own ("Title. http://hdl.handle.net/...": a thesis under a year heading) */
	rc = (it->str[CVB_V_TITLE] != NULL || it->str[CVB_V_CONTAINER_TITLE] != NULL) &&
	    (it->names[CVB_NV_AUTHOR] != NULL || p->year || (it->str[CVB_V_TITLE] != NULL &&
	    (it->str[CVB_V_URL] != NULL || it->str[CVB_V_DOI] != NULL))) ? 1 : 0;
out:
	if (p != NULL)
		for (i = 0; i < CVB_RL__COUNT; i++)
			cvbib_buf_release(&p->f[i].text);
	free(p);
	free(w);
	free(tok);
	free(lab);
	free(conf);
	free(r);
	if (rc >= 0 && b->arena.err)
		rc = -CVBIB_ENOMEM;
	return rc;
}
