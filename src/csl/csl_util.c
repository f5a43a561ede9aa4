/*
 * csl_util.c - string helpers of the CSL engine: numeric tests, roman
 * numerals, ordinals, page-range formats, text-case transformations (title
 * case by the CSL 1.0.2 rules, with nocase spans kept) and the collation used
 * for sorting; the case map and folding are text/unicode.c's.  Pure functions, no state.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

static bool
is_alpha_cp(uint32_t c)
{
	if (c < 0x80) return isalpha((int)c);
	return c >= 0xC0 && c != 0xD7 && c != 0xF7 && !(c >= 0x2000 && c <= 0x206F) &&
	    !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFF00 && c <= 0xFF0F);
}

/* A number variable is numeric when it consists of numbers (optionally with
 * letter affixes) joined by "-", "&", "," or "and". */
bool
csl_is_numeric(const char *s)
{
	const char *p = s;
	bool num = false;

	if (!s || !*s) return false;
	while (*p) {
		const char *w = p;
		bool digit = false;

		while (*p && !strchr(" ,&-\xe2", *p)) {
			if (isdigit((unsigned char)*p)) digit = true;
			p++;
		}
		if (p > w) {
			size_t i, nd = 0, na = 0;
			for (i = 0; i < (size_t)(p - w); i++) {
				if (isdigit((unsigned char)w[i])) nd++;
				else if (isalpha((unsigned char)w[i])) na++;
				else return false;
			}
			if (!digit) return false;
			/* letters only as a prefix or suffix of the digits */
			{
				size_t a = 0, b = (size_t)(p - w);
				while (a < b && isalpha((unsigned char)w[a])) a++;
				while (b > a && isalpha((unsigned char)w[b - 1])) b--;
				for (i = a; i < b; i++)
					if (!isdigit((unsigned char)w[i])) return false;
			}
			(void)na; (void)nd;
			num = true;
		}
		/* separators: a comma, hyphen, ampersand, en dash or "and", with
		 * or without spaces; a space alone is none ("AR6 WG1") */
		{
			bool sep = false;
			for (;;) {
				if (*p == ' ') p++;
				else if (*p == ',' || *p == '&' || *p == '-') { sep = true; p++; }
				else if (strncmp(p, "\xe2\x80\x93", 3) == 0) { sep = true; p += 3; }
				else if (strncmp(p, "and ", 4) == 0) { sep = true; p += 4; }
				else break;
			}
			if ((unsigned char)*p == 0xe2) return false;
			if (*p && !sep) return false;
		}
	}
	return num;
}

void
csl_roman(struct cvb_buf *b, long n)
{
	static const struct { int v; const char *s; } r[] = {
		{ 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
		{ 90, "xc" }, { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" },
		{ 5, "v" }, { 4, "iv" }, { 1, "i" },
	};
	size_t i;

	if (n <= 0 || n >= 4000) { cvb_buf_addf(b, "%ld", n); return; }
	for (i = 0; i < CVB_ARRAY_SIZE(r); i++)
		while (n >= r[i].v) { cvb_buf_adds(b, r[i].s); n -= r[i].v; }
}

static const char *
ord_term(const cvbib_style *s, const char *name, int gender)
{
	const struct csl_term *t = csl_term_get(s, name, TF_LONG, gender);
	return t ? t->single : NULL;
}

void
csl_ordinal(struct cvb_buf *b, const cvbib_style *s, long n, int gender, bool longform)
{
	char name[32];
	const struct csl_term *t;
	long m = n < 0 ? -n : n;

	if (longform && m >= 1 && m <= 10) {
		const char *x;
		snprintf(name, sizeof(name), "long-ordinal-%02ld", m);
		x = ord_term(s, name, gender);
		if (x) { cvb_buf_adds(b, x); return; }
	}
	cvb_buf_addf(b, "%ld", n);
	/* last two digits (ordinal-10..99), then last digit (00..09) */
	if (m % 100 >= 10 || m >= 100) {
		snprintf(name, sizeof(name), "ordinal-%02ld", m % 100);
		t = csl_term_get(s, name, TF_LONG, gender);
		if (t && (t->match != 3 || m < 100) && m % 100 >= 10) {
			cvb_buf_adds(b, t->single); return;
		}
	}
	snprintf(name, sizeof(name), "ordinal-%02ld", m % 10);
	t = csl_term_get(s, name, TF_LONG, gender);
	if (t && (t->match == 0 || t->match == 1 || (t->match == 2 && m % 100 == m % 10) ||
	    (t->match == 3 && m == m % 10))) {
		/* CSL 1.0 locales: ordinal-01..03 do not apply to 11..13 */
		if (!(csl_term_get(s, "ordinal", TF_LONG, 0) == NULL && m % 100 >= 11 && m % 100 <= 13)) {
			cvb_buf_adds(b, t->single); return;
		}
	}
	t = csl_term_get(s, "ordinal", TF_LONG, gender);
	if (t) { cvb_buf_adds(b, t->single); return; }
	t = csl_term_get(s, "ordinal-04", TF_LONG, gender);
	if (t) cvb_buf_adds(b, t->single);
}

/* ------------------------------------------------------------ page ranges */

static void
one_range(struct cvb_buf *b, const char *s, size_t n, int fmt, const char *delim)
{
	const char *dash = NULL;
	size_t dl = 0, i;
	char a[64], c[64];

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '-') {
			/* "\-" is a literal hyphen, not a range */
			cvb_buf_add(b, s, i);
			cvb_buf_add(b, s + i + 1, n - i - 1);
			return;
		}
		if (s[i] == '-') { dash = s + i; dl = 1; while (i + dl < n && s[i + dl] == '-') dl++; break; }
		if (i + 2 < n && strncmp(s + i, "\xe2\x80\x93", 3) == 0) { dash = s + i; dl = 3; break; }
	}
	if (!dash) { cvb_buf_add(b, s, n); return; }
	{
		const char *x = s, *xe = dash, *y = dash + dl, *ye = s + n;
		size_t la, lc, k;
		while (x < xe && *x == ' ') x++;
		while (xe > x && xe[-1] == ' ') xe--;
		while (y < ye && *y == ' ') y++;
		while (ye > y && ye[-1] == ' ') ye--;
		la = (size_t)(xe - x); lc = (size_t)(ye - y);
		if (la == 0 || lc == 0 || la >= sizeof(a) || lc >= sizeof(c)) { cvb_buf_add(b, s, n); return; }
		memcpy(a, x, la); a[la] = 0; memcpy(c, y, lc); c[lc] = 0;
		for (k = 0; k < la; k++) if (!isdigit((unsigned char)a[k])) break;
		bool anum = k == la;
		for (k = 0; k < lc; k++) if (!isdigit((unsigned char)c[k])) break;
		bool cnum = k == lc;
		/* a common prefix ending in a letter ("S10-S12", "8n11564-8n1568") */
		size_t pa = 0;
		if (!anum || !cnum) {
			size_t cp = 0;
			while (cp < la && cp < lc && a[cp] == c[cp]) cp++;
			for (k = 0; k < cp; k++) if (isalpha((unsigned char)a[k])) pa = k + 1;
			if (pa > 0) {
				for (k = pa; k < la; k++) if (!isdigit((unsigned char)a[k])) break;
				anum = k == la;
				for (k = pa; k < lc; k++) if (!isdigit((unsigned char)c[k])) break;
				cnum = k == lc;
			}
		}
		if (!anum || !cnum) {
			/* "N110-5", "123N110-N5": left as written; "i-ix" gets the dash */
			bool digits = false;
			for (k = 0; k < n; k++) if (isdigit((unsigned char)s[k])) digits = true;
			/* words that are not roman numerals are no range ("Michaelson-Morely") */
			if (!digits && (strspn(a, "ivxlcdmIVXLCDM") != la || strspn(c, "ivxlcdmIVXLCDM") != lc))
				digits = true;
			if (digits) {
				cvb_buf_add(b, a, la);
				cvb_buf_add(b, dash, dl);
				cvb_buf_add(b, c, lc);
				return;
			}
		}
		if (!anum || !cnum || fmt == 0) {
			cvb_buf_add(b, a, la);
			cvb_buf_adds(b, delim);
			cvb_buf_add(b, c, lc);
			return;
		}
		{
			char *A_ = a + pa, *C_ = c + pa;
			size_t LA = la - pa, LC = lc - pa;
			char full[64];
			long fa = atol(A_);
			/* expand the second number */
			if (LC < LA) {
				memcpy(full, A_, LA - LC);
				memcpy(full + LA - LC, C_, LC);
				full[LA] = 0;
			} else {
				memcpy(full, C_, LC); full[LC] = 0;
			}
			if (atol(full) < fa) { /* not a range we understand */
				cvb_buf_add(b, a, la); cvb_buf_adds(b, delim); cvb_buf_add(b, c, lc);
				return;
			}
			cvb_buf_add(b, a, la);
			cvb_buf_adds(b, delim);
			/* a shared prefix is repeated only when expanding ("N110–N115", "n11564–8") */
			if (pa && fmt == 1) cvb_buf_add(b, c, pa);
			size_t FL = strlen(full), keep = FL;
			if (FL == LA && fmt != 1) {
				size_t same = 0;
				while (same < FL && full[same] == A_[same]) same++;
				keep = FL - same;
				if (keep == 0) keep = 1;
				if (fmt == 3 && keep < 2 && FL >= 2) keep = 2;
				if (fmt == 4 || fmt == 5) {
					if (fa < 100 || fa % 100 == 0) keep = FL;
					else if (fa % 100 < 10) { /* minimal */ }
					else if (keep < 2) keep = 2;
					if (fmt == 5 && FL == 4 && keep >= 3) keep = FL;
				}
			}
			cvb_buf_adds(b, full + FL - keep);
		}
	}
}

void
csl_page_range(struct cvb_buf *b, const char *s, int fmt, const char *delim)
{
	const char *p = s;

	if (!delim) delim = "\xe2\x80\x93";
	while (*p) {
		size_t n = strcspn(p, ",&"), t = n;
		while (t > 0 && p[t - 1] == ' ') t--;
		one_range(b, p, t, fmt, delim);
		cvb_buf_add(b, p + t, n - t);
		p += n;
		if (*p) {
			cvb_buf_addch(b, *p);
			p++;
			while (*p == ' ') cvb_buf_addch(b, *p++);
		}
	}
}

/* ------------------------------------------------------------ text case */

/* in order of first letters (is_stopword() searches by the first) */
static const char *const stopwords[] = {
	"a", "about", "above", "according", "across", "afore", "after", "against", "ahead", "al", "along",
	"alongside", "amid", "amidst", "among", "amongst", "an", "and", "anenst",
	"apropos", "apud", "around", "as", "aside", "astride", "at", "athwart",
	"atop", "barring", "before", "behind", "below", "beneath", "beside",
	"besides", "between", "beyond", "but", "by", "c", "ca", "circa", "de",
	"despite", "down", "during", "et", "except", "for", "forenenst", "from", "given", "in", "inside",
	"into", "lest", "like", "modulo", "near", "next", "nor", "notwithstanding",
	"of", "off", "on", "onto", "or", "out", "over", "per", "plus", "pro", "qua",
	"sans", "since", "so", "than", "the", "through", "thru", "throughout",
	"thruout", "till", "to", "toward", "towards", "under", "underneath",
	"until", "unto", "up", "upon", "van", "versus", "vs.", "v.", "vs", "v", "via", "von",
	"with", "within", "without", "yet", NULL
};

static bool
is_stopword(const char *w, size_t n)
{
	size_t lo = 0, hi = sizeof(stopwords) / sizeof(stopwords[0]) - 1, i;

	if (n == 0 || n > 15)
		return false;
	/* the list is in order of first letters: the first with w's */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if ((unsigned char)stopwords[mid][0] < (unsigned char)w[0])
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; stopwords[i] && stopwords[i][0] == w[0]; i++)
		if (strncmp(stopwords[i], w, n) == 0 && stopwords[i][n] == 0)
			return true;
	return false;
}

struct tcstate {
	int	 tc;
	bool	*first;		/* before the first letter of the output */
	bool	 word_start;
	bool	 after_colon;
	bool	 sentence_seen;	/* sentence case: inside the first word */
	bool	 turkic;	/* tr, az: i/İ and ı/I are pairs */
	bool	 seen_sep;	/* title case: past a separator other than a space */
};

static void
add_cp(struct cvb_buf *b, uint32_t c)
{
	cvb_buf_addcp(b, c);
}

/* Is the word w (n bytes) all lowercase / has some uppercase after the first letter? */
static void
word_info(const char *w, size_t n, bool *has_upper, bool *has_upper_rest)
{
	size_t i = 0;
	bool firstl = true;

	*has_upper = *has_upper_rest = false;
	while (i < n) {
		uint32_t c;
		int l = cvb_utf8_decode(w + i, n - i, &c);
		if (cvb_uc_isupper(c)) {
			*has_upper = true;
			if (!firstl) *has_upper_rest = true;
		}
		if (is_alpha_cp(c)) firstl = false;
		i += (size_t)l;
	}
}

/* Does the word at w (up to a space) have an uppercase letter?  Then
 * capitalize-first/-all leave it as it is ("arXiv"). */
static bool
word_has_upper(const char *w, size_t n)
{
	size_t i = 0;

	while (i < n && w[i] != ' ') {
		uint32_t c;
		int l = cvb_utf8_decode(w + i, n - i, &c);
		if (c == 0xA0) break;
		if (cvb_uc_isupper(c)) return true;
		i += (size_t)l;
	}
	return false;
}

/* Does a title-case word end at s[i]?  At white space, dashes, slashes,
 * quotes, apostrophes, brackets and punctuation, as citeproc-js splits. */
static bool
title_sep(const char *s, size_t i, size_t n)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80) return strchr(" -/:.,;?!()[]\"'", c) != NULL;
	if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) return true;
	if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
		unsigned char d = (unsigned char)s[i + 2];
		/* en and em dash, quotes ‘ ’ “ ” */
		return d == 0x93 || d == 0x94 || d == 0x98 || d == 0x99 || d == 0x9c || d == 0x9d;
	}
	return false;
}

/*
 * One word of title case at s[i] (a letter at a word start); returns where
 * it ends.  As citeproc-js does it: a word with an uppercase letter stays as
 * it is; the first word, and the word after ":", "?" or "!", is capitalized;
 * so is a word joined to the next by a hyphen before any other punctuation
 * ("Pro-Environmental", "X-Ray"); then a word of one letter stays lowercase
 * ("Plan b", "Astronomia y Astrofisica": "y", "e", "o" and "u" are the
 * conjunctions of other languages), a stop word stays lowercase unless it is
 * the last word, and any other word is capitalized.
 */
static size_t
title_word(struct cvb_buf *b, const char *s, size_t i, size_t n, struct tcstate *st,
    const char *rest_after)
{
	size_t e = i, k, nchars = 0;
	bool hu, hur, stop, last, cap, fst = true;

	while (e < n && !title_sep(s, e, n)) {
		if (((unsigned char)s[e] & 0xc0) != 0x80) nchars++;
		e++;
	}
	word_info(s + i, e - i, &hu, &hur);
	stop = is_stopword(s + i, e - i);
	{
		const char *q = s + e;
		last = true;
		while (q < s + n) { if (isalnum((unsigned char)*q) || (unsigned char)*q >= 0x80) { last = false; break; } q++; }
		if (last && rest_after) {
			const char *r = rest_after;
			while (*r) { if (isalnum((unsigned char)*r)) { last = false; break; } r++; }
		}
	}
	if (hu) cap = false;
	else if (*st->first || st->after_colon) cap = true;
	else if (e < n && s[e] == '-' && !st->seen_sep) cap = true;
	else if (nchars == 1) cap = false;
	else if (stop) cap = last;
	else cap = true;
	if (!cap) {
		cvb_buf_add(b, s + i, e - i);
	} else {
		for (k = i; k < e; ) {
			uint32_t cc; int ll = cvb_utf8_decode(s + k, e - k, &cc);
			/* Latin letters only: a Greek "β-carotene" stays */
			if (fst && is_alpha_cp(cc)) { add_cp(b, cc < 0x250 ? cvb_uc_upper(cc) : cc); fst = false; }
			else cvb_buf_add(b, s + k, (size_t)ll);
			k += (size_t)ll;
		}
	}
	(void)hur;
	*st->first = false;
	st->word_start = false;
	st->after_colon = false;
	return e;
}

/*
 * One character of sentence case at s[i] (c, l bytes); returns where the
 * next starts.  As citeproc-js does it (the suite's
 * textcase_SentenceCapitalization): the first character of the first word
 * is capitalized and the rest of that word kept ("iPhone" gives "IPhone", a
 * word of one Greek letter stays); every later word is lowercased,
 * whatever its case ("a Pen" gives "a pen"; nocase spans keep theirs).  A
 * word ends at a space or at the punctuation citeproc-js splits at
 * (title_sep: "one-Two" gives "One-two").  An all-uppercase string keeps
 * its first word too ("NIPS 2017"; "THE TITLE" gives "THE title", where
 * CSL 1.0.2's deprecated rule would lowercase all but the first letter).
 * st->sentence_seen: inside the first word.
 */
static size_t
sentence_cp(struct cvb_buf *b, const char *s, size_t i, size_t n, uint32_t c, int l,
    struct tcstate *st)
{
	if (*st->first) {
		if (c == ' ' || title_sep(s, i, n)) {
			cvb_buf_add(b, s + i, (size_t)l);
		} else {
			size_t e = i + (size_t)l;
			/* a lone Greek letter ("α particles") is a symbol */
			bool greek = c >= 0x370 && c <= 0x3ff && (e >= n || s[e] == ' ' || title_sep(s, e, n));
			add_cp(b, greek ? c : cvb_uc_upper(c));
			*st->first = false;
			st->sentence_seen = true;
		}
	} else if (st->sentence_seen && c != ' ' && !title_sep(s, i, n)) {
		cvb_buf_add(b, s + i, (size_t)l);
	} else {
		st->sentence_seen = false;
		add_cp(b, st->turkic && c == 'I' ? 0x131 : cvb_uc_lower(c));
	}
	return i + (size_t)l;
}

static void
case_run(struct cvb_buf *b, const char *s, size_t n, struct tcstate *st, bool nocase,
    const char *rest_after)
{
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		int l;
		bool alpha;

		if (!nocase && !*st->first && st->tc == TC_CAPFIRST) {
			/* past the first letter this copies the rest as it is */
			cvb_buf_add(b, s + i, n - i);
			return;
		}
		l = cvb_utf8_decode(s + i, n - i, &c);
		if (st->tc == TC_SENTENCE && !nocase) {
			i = sentence_cp(b, s, i, n, c, l, st);
			continue;
		}
		alpha = is_alpha_cp(c);
		if (nocase) {
			cvb_buf_add(b, s + i, (size_t)l);
			if (alpha) { *st->first = false; st->word_start = false; st->after_colon = false; }
			else if (c == ' ') st->word_start = true;
			i += (size_t)l;
			continue;
		}
		if (st->tc == TC_TITLE && st->word_start && alpha) {
			i = title_word(b, s, i, n, st, rest_after);
			continue;
		}
		switch (st->tc) {
		case TC_LOWER:
			add_cp(b, st->turkic && c == 'I' ? 0x131 : cvb_uc_lower(c));
			break;
		case TC_UPPER:
			add_cp(b, st->turkic && c == 'i' ? 0x130 : cvb_uc_upper(c));
			break;
		case TC_CAPFIRST:
			if (*st->first && alpha && !word_has_upper(s + i, n - i)) add_cp(b, cvb_uc_upper(c));
			else cvb_buf_add(b, s + i, (size_t)l);
			break;
		case TC_CAPALL:
			if (st->word_start && alpha && !word_has_upper(s + i, n - i)) add_cp(b, cvb_uc_upper(c));
			else cvb_buf_add(b, s + i, (size_t)l);
			break;
		default:
			cvb_buf_add(b, s + i, (size_t)l);
		}
		if (alpha) { *st->first = false; st->word_start = false; st->after_colon = false; }
		/* "19th", "3d": a word that starts with a digit is not capitalized */
		else if (c >= '0' && c <= '9') st->word_start = false;
		/* "07-x": a hyphen after a digit joins, as in citeproc-js */
		else if (c == '-' && st->tc == TC_TITLE && i > 0 && isdigit((unsigned char)s[i - 1])) st->word_start = false;
		else if (c == ' ' || c == '-' || c == '/' || c == '(' || c == '"' || c == 0x201C || c == 0x2018 || c == '[' ||
		    c == 0x2013 || c == 0x2014 || c == 0xA0) st->word_start = true;
		/* title case: punctuation separates words too ("Citationstyles.Org") */
		else if (st->tc == TC_TITLE && c < 0x80 && strchr(".,;?!:)]", (int)c)) st->word_start = true;
		if (st->tc == TC_TITLE && c != ' ' && title_sep(s, i, n)) st->seen_sep = true;
		if (c == ':' || c == '?' || c == '!') st->after_colon = true;
		i += (size_t)l;
	}
}

void
csl_text_case(struct cvb_buf *b, const char *s, int tc, bool *first)
{
	csl_text_case_lang(b, s, tc, first, NULL);
}

/* The same for text in language lang (a BCP 47 tag, or NULL). */
void
csl_text_case_lang(struct cvb_buf *b, const char *s, int tc, bool *first, const char *lang)
{
	struct cvb_rich r;
	struct tcstate st;
	int nocase = 0;
	bool f0 = true;
	const char *q;

	if (!first) first = &f0;
	memset(&st, 0, sizeof(st));
	st.turkic = lang && (strncmp(lang, "tr", 2) == 0 || strncmp(lang, "az", 2) == 0) &&
	    (lang[2] == 0 || lang[2] == '-' || lang[2] == '_');
	st.tc = tc;
	st.first = first;
	st.word_start = true;
	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		switch (r.tok) {
		case CVB_RT_TEXT:
			q = r.text + r.len;
			case_run(b, r.text, r.len, &st, nocase > 0, q);
			break;
		case CVB_RT_OPEN:
			if (r.tag == CVB_R_NOCASE || r.tag == CVB_R_NODECOR || r.tag == CVB_R_SC || r.tag == CVB_R_SUP || r.tag == CVB_R_SUB) nocase++;
			cvb_buf_adds(b, cvb_rich_open_text(r.tag));
			break;
		case CVB_RT_CLOSE:
			if ((r.tag == CVB_R_NOCASE || r.tag == CVB_R_NODECOR || r.tag == CVB_R_SC || r.tag == CVB_R_SUP || r.tag == CVB_R_SUB) && nocase > 0) nocase--;
			cvb_buf_adds(b, cvb_rich_close_text(r.tag));
			break;
		default:
			break;
		}
	}
}

/* ------------------------------------------------------------ collation */

/* The sort letter of c: lowercased and folded to ASCII (text/unicode.c),
 * the first letter where that gives two ("æ" sorts as "a"). */
static uint32_t
fold(uint32_t c)
{
	const char *f;

	c = cvb_uc_lower(c);
	f = cvb_uc_fold_ascii(c);
	if (f != NULL && *f != '\0')
		return (uint32_t)tolower((unsigned char)*f);
	if (c == 0x2019 || c == 0x2018) return '\'';
	return c;
}

/* The next character of a sort key: markup, quotes and brackets are skipped,
 * and so is punctuation before the first letter ("’t Hooft" sorts under t);
 * other punctuation sorts before letters and spaces.  0 at the end. */
static uint32_t
key_char(const char *s, size_t n, size_t *i, bool started, uint32_t *raw)
{
	while (*i < n) {
		uint32_t c;
		int l;
		if (s[*i] == '<') {
			const char *e = memchr(s + *i, '>', n - *i);
			if (e && (s[*i + 1] == 'i' || s[*i + 1] == 'b' || s[*i + 1] == '/' || s[*i + 1] == 's')) {
				*i = (size_t)(e - s) + 1;
				continue;
			}
		}
		l = cvb_utf8_decode(s + *i, n - *i, &c);
		*i += (size_t)l;
		if (c == '"' || c == '[' || c == ']' || c == 0x201C || c == 0x201D || c == 0x2018 ||
		    (c == 0x2019 && !started) || (c == '\'' && !started))
			continue;
		if (c < 0x80 && c && memchr(",.;:!?()-'", (int)c, 10)) {
			if (!started) continue;
			*raw = c;
			return 1;
		}
		if (c == 0x2019) { *raw = c; return 1; }
		*raw = c;
		return fold(c);
	}
	*raw = 0;
	return 0;
}

/* Compare, ignoring markup, case and accents (accents only break ties). */
int
csl_strcoll(const char *a, const char *b)
{
	size_t i = 0, j = 0, na = strlen(a), nb = strlen(b);
	int tie = 0;
	bool sa = false, sb = false;

	while (1) {
		uint32_t ra, rb;
		uint32_t fa = key_char(a, na, &i, sa, &ra), fb = key_char(b, nb, &j, sb, &rb);
		sa = sb = true;
		if (!fa || !fb)
			return fa ? 1 : fb ? -1 : tie;
		if (fa != fb) return fa < fb ? -1 : 1;
		if (!tie && ra != rb) {
			/* lowercase sorts before uppercase, plain before accented */
			uint32_t la = cvb_uc_lower(ra), lb = cvb_uc_lower(rb);
			if (la != lb) tie = la < lb ? -1 : 1;
			else tie = ra > rb ? -1 : 1;
		}
	}
}

/* A compiled collation key: what csl_strcoll() computes on every compare,
 * done once per string.  s holds the primary (folded) characters of the
 * string in UTF-8, whose byte order is their code point order, then the
 * string itself, which breaks ties. */
struct csl_ckey {
	size_t	 plen;
	char	 s[];
};

struct csl_ckey *
csl_ckey_new(const char *str)
{
	size_t i = 0, n, k = 0;
	struct csl_ckey *c;
	bool started = false;

	if (!str) return NULL;
	n = strlen(str);
	/* a key character takes at most 3 times the bytes of its source (an
	 * invalid byte becomes U+FFFD); shrunk to size below */
	c = malloc(sizeof(*c) + 4 * n + 2);
	if (!c) { cvb_nomem(); return NULL; }
	for (;;) {
		uint32_t r, f;
		unsigned char *o = (unsigned char *)c->s + k;
		unsigned char ch = i < n ? (unsigned char)str[i] : 0;
		if (ch > ' ' && ch < 0x7f && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') {
			/* a plain letter: what key_char() makes of it */
			o[0] = (unsigned char)(ch | 0x20);
			k++; i++;
			started = true;
			continue;
		}
		f = key_char(str, n, &i, started, &r);
		started = true;
		if (!f) break;
		if (f < 0x80) { o[0] = (unsigned char)f; k += 1; }
		else if (f < 0x800) { o[0] = (unsigned char)(0xC0 | f >> 6); o[1] = (unsigned char)(0x80 | (f & 0x3F)); k += 2; }
		else if (f < 0x10000) {
			o[0] = (unsigned char)(0xE0 | f >> 12); o[1] = (unsigned char)(0x80 | (f >> 6 & 0x3F));
			o[2] = (unsigned char)(0x80 | (f & 0x3F)); k += 3;
		} else {
			o[0] = (unsigned char)(0xF0 | (f >> 18 & 0x07)); o[1] = (unsigned char)(0x80 | (f >> 12 & 0x3F));
			o[2] = (unsigned char)(0x80 | (f >> 6 & 0x3F)); o[3] = (unsigned char)(0x80 | (f & 0x3F)); k += 4;
		}
	}
	c->s[k] = 0;
	c->plen = k;
	memcpy(c->s + k + 1, str, n + 1);
	{
		struct csl_ckey *x = realloc(c, sizeof(*c) + k + n + 2);
		return x ? x : c;
	}
}

/* The same order as csl_strcoll() on the strings the keys were made of:
 * the primary characters decide, and only when they are all equal does
 * csl_strcoll() look for the tie-break. */
int
csl_ckey_cmp(const struct csl_ckey *a, const struct csl_ckey *b)
{
	int c = strcmp(a->s, b->s);

	if (c) return c < 0 ? -1 : 1;
	/* the same string (the common case of a tie): no tie-break */
	if (strcmp(a->s + a->plen + 1, b->s + b->plen + 1) == 0) return 0;
	return csl_strcoll(a->s + a->plen + 1, b->s + b->plen + 1);
}
