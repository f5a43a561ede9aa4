/*
 * reffeat.c - the tokens of a reference string and their features for the
 * sequence model (src/seq).  Training (the dumper, make train) and parsing
 * (refparse.c) both call cvb_ref_features(), so the two always agree.
 *
 * Tokens are runs of letters and digits (any script; an apostrophe between
 * letters stays inside: "O'Brien"), single punctuation characters, and whole
 * identifiers found by exact recognisers: URLs, DOIs, arXiv ids.  Each keeps
 * its byte offsets into the string.
 *
 * Features of a token: the word lowercased, its shape, prefixes and suffixes
 * of 1-4 bytes, case, digits, year, punctuation, whether space is around it,
 * the bracket and quote state, its relative position, how many full stops
 * and commas came before it, dictionary hits (months, name particles, venue
 * acronyms: the shared tables of data/), the recognisers, and the words and
 * shapes of the tokens up to two places away.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "csl/csl.h"
#include "seq/seq.h"
#include "refparse/refparse_int.h"

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* punctuation of Latin-1, General Punctuation, CJK and full-width forms */
static int
punct_cp(uint32_t c)
{
	return (c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
	    (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	    (c >= 0xFF1A && c <= 0xFF20) || (c >= 0x2190 && c <= 0x2BFF);
}

/* a word character at s[i]: its length in bytes, 0 when not a word character */
static int
word_at(const char *s, int i, int n)
{
	unsigned char c = (unsigned char)s[i];
	uint32_t cp;
	int l;

	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	l = cvb_utf8_decode(s + i, (size_t)(n - i), &cp);
	if (l <= 0)
		return 1;	/* a stray byte belongs to the word around it */
	return punct_cp(cp) ? 0 : l;
}

static int
starts_ci(const char *s, int i, int n, const char *p)
{
	int k;

	for (k = 0; p[k]; k++) {
		unsigned char c;

		if (i + k >= n)
			return 0;
		c = (unsigned char)s[i + k];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)p[k])
			return 0;
	}
	return 1;
}

static int
digit(int c)
{
	return c >= '0' && c <= '9';
}

/* end of a URL or DOI starting at i: up to the space, less closing punctuation */
static int
ident_end(const char *s, int i, int n)
{
	int e = i, open = 0;

	while (e < n && !is_space((unsigned char)s[e])) {
		if (s[e] == '(' || s[e] == '[')
			open++;
		else if ((s[e] == ')' || s[e] == ']') && --open < 0)
			break;
		e++;
	}
	/* closing punctuation and quotes: "https://x.org/a.pdf." */
	for (;;) {
		if (e > i && strchr(".,;:\"'", s[e - 1]) != NULL)
			e--;
		else if (e - 3 > i && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
		    ((unsigned char)s[e - 1] == 0x9D || (unsigned char)s[e - 1] == 0x99))
			e -= 3;		/* ” ’ */
		else
			break;
	}
	return e;
}

/*
 * Where a URL or DOI token [b, e) really ends, for its field: before what
 * the extraction of a PDF glued to it, which the token keeps (the model's
 * features are made from the tokens as they are): an angle bracket; a word
 * after a comma (",arXiv", ",doi"; in a URL only where no '/' follows before
 * a space); a second link after a semicolon; the "URL" label of the next
 * link (".URL", ".URLhttps"); a bracket it opens and does not close
 * ("(accessed", "[doi]" after a DOI); a DOI also at a square bracket.
 */
int
cvb_ref_ident_end(const char *s, int b, int e, int doi)
{
	int k, open = 0, at = -1;

	for (k = b; k < e; k++) {
		char c = s[k];

		if (c == '<' || c == '>' || (doi && c == '['))
			break;
		if (c == ',' && k + 1 < e && ((s[k + 1] >= 'a' && s[k + 1] <= 'z') ||
		    (s[k + 1] >= 'A' && s[k + 1] <= 'Z'))) {
			const char *sl = memchr(s + k, '/', (size_t)(e - k));

			if (doi || sl == NULL)
				break;
		}
		if (c == ';' && starts_ci(s, k + 1, e, "http"))
			break;
		if (k > b && s[k - 1] == '.' && e - k >= 3 && strncmp(s + k, "URL", 3) == 0 &&
		    (e - k == 3 || starts_ci(s, k + 3, e, "http")))
			break;
		if (c == '(' || c == '[') {
			if (open++ == 0)
				at = k;
		} else if ((c == ')' || c == ']') && open > 0)
			open--;
	}
	if (open > 0 && at >= 0 && at < k)
		k = at;		/* a bracket left open is not the identifier's */
	/* the closing punctuation before what was cut: "10.1103/X.69.2863.URL" */
	while (k > b && k < e && strchr(".,;:", s[k - 1]) != NULL)
		k--;
	return k;
}

/* an exact identifier at i (at a token start): its kind and end */
static int
ident_at(const char *s, int i, int n, int *end)
{
	int k;

	if (starts_ci(s, i, n, "http://") || starts_ci(s, i, n, "https://") ||
	    starts_ci(s, i, n, "ftp://") || starts_ci(s, i, n, "www.")) {
		*end = ident_end(s, i, n);
		return CVB_RT_URL;
	}
	/* 10.NNNN/... */
	if (i + 8 < n && s[i] == '1' && s[i + 1] == '0' && s[i + 2] == '.') {
		for (k = i + 3; k < n && digit(s[k]); k++)
			;
		if (k - (i + 3) >= 4 && k < n && s[k] == '/' && k + 1 < n && !is_space((unsigned char)s[k + 1])) {
			*end = ident_end(s, i, n);
			return CVB_RT_DOI;
		}
	}
	/* arXiv: 1504.05203v2, hep-th/0603057, math.AG/0601001 */
	for (k = i; k < n && digit(s[k]); k++)
		;
	if (k - i == 4 && k + 5 <= n && s[k] == '.') {
		int d = k + 1;

		while (d < n && digit(s[d]))
			d++;
		if (d - k - 1 >= 4 && d - k - 1 <= 5) {
			if (d + 1 < n && s[d] == 'v' && digit(s[d + 1]))
				for (d++; d < n && digit(s[d]); d++)
					;
			if (d >= n || !word_at(s, d, n)) {
				*end = d;
				return CVB_RT_ARXIV;
			}
		}
	}
	for (k = i; k < n && ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '-'); k++)
		;
	if (k - i >= 4 && k < n && (s[k] == '/' || s[k] == '.')) {
		int d = k;

		if (s[d] == '.' && d + 3 < n && s[d + 1] >= 'A' && s[d + 1] <= 'Z' &&
		    s[d + 2] >= 'A' && s[d + 2] <= 'Z')
			d += 3;
		if (d < n && s[d] == '/') {
			int q = d + 1;

			while (q < n && digit(s[q]))
				q++;
			if (q - d - 1 == 7 && memchr(s + i, '-', (size_t)(k - i)) != NULL) {
				*end = q;
				return CVB_RT_ARXIV;
			}
		}
	}
	return 0;
}

int
cvb_ref_tokens(const char *s, int n, struct cvb_reftok *tok, int max)
{
	int i = 0, nt = 0, sp = 1;

	while (i < n && nt < max) {
		unsigned char c = (unsigned char)s[i];
		int l, e, kind;

		if (is_space(c)) {
			sp = 1;
			i++;
			continue;
		}
		tok[nt].b = i;
		tok[nt].flags = sp ? CVB_RT_SPACE : 0;
		sp = 0;
		if ((kind = ident_at(s, i, n, &e)) != 0 && e > i) {
			tok[nt].e = e;
			tok[nt].kind = kind;
			i = e;
			nt++;
			continue;
		}
		if ((l = word_at(s, i, n)) > 0) {
			e = i + l;
			for (;;) {
				/* "B660", "Letters19": letters and digits apart */
				if (e < n && (l = word_at(s, e, n)) > 0 &&
				    !(l == 1 && digit(s[e]) != digit(s[e - 1]))) {
					e += l;
					continue;
				}
				/* O'Brien, Dijkstra's, l’analyse */
				if (e + 1 < n && s[e] == '\'' && word_at(s, e + 1, n) > 0 && e > i) {
					e++;
					continue;
				}
				if (e + 3 < n && memcmp(s + e, "\xE2\x80\x99", 3) == 0 &&
				    word_at(s, e + 3, n) > 0) {
					e += 3;
					continue;
				}
				break;
			}
			tok[nt].e = e;
			tok[nt].kind = CVB_RT_WORD;
		} else {
			uint32_t cp;

			l = c < 0x80 ? 1 : cvb_utf8_decode(s + i, (size_t)(n - i), &cp);
			tok[nt].e = i + (l > 0 ? l : 1);
			tok[nt].kind = CVB_RT_PUNCT;
		}
		i = tok[nt].e;
		nt++;
	}
	return nt;
}

/* ---- dictionaries (the shared tables) */

static int
in_list_ci(const char *w, const char *const *list)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strcmp(w, *list) == 0)
			return 1;
	return 0;
}

static int
is_month(const char *w)
{
	int i;
	size_t n = strlen(w);

	if (n < 3 || n > 9)
		return 0;
	for (i = 0; cvb_bt_months[i].macro != NULL; i++) {
		if ((cvb_bt_months[i].name[0] | 0x20) != w[0])
			continue;
		const char *name = cvb_bt_months[i].name;

		if (strcmp(w, cvb_bt_months[i].macro) == 0)
			return 1;
		/* the full name, and its abbreviations of 3 or more letters */
		if (n >= 3 && strncasecmp(name, w, n) == 0)
			return 1;
	}
	return 0;
}

/* the number of venue acronyms, counted once */
static pthread_once_t nvenues_once = PTHREAD_ONCE_INIT;
static int nvenues;

static void
count_venues(void)
{
	while (cvb_text_venues[nvenues][0] != NULL)
		nvenues++;
}

static int
is_venue(const char *s, int n)
{
	int lo = 0, hi, mid, c;

	pthread_once(&nvenues_once, count_venues);
	hi = nvenues;
	while (lo < hi) {
		const char *v;

		mid = (lo + hi) / 2;
		v = cvb_text_venues[mid][0];
		c = strncmp(v, s, (size_t)n);
		if (c == 0 && v[n] != '\0')
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- per-token strings */

#define WMAX 40

struct tinfo {
	char	 low[WMAX];	/* lowercased, cut */
	char	 shape[12];	/* compressed shape */
	char	 names;		/* in a list of names that opens a sentence: 1 one name, 2 more */
};


static void
lower_word(const char *s, int b, int e, char *out, size_t cap)
{
	struct cvb_buf tmp = CVB_BUF_INIT;
	int i = b;
	size_t k;

	/* ASCII fast path */
	for (k = 0; i < e && k + 1 < cap; i++, k++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			break;
		out[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[k] = '\0';
	if (i >= e || k + 1 >= cap)
		return;
	cvb_buf_add(&tmp, out, k);
	while (i < e) {
		uint32_t cp;
		int l = cvb_utf8_decode(s + i, (size_t)(e - i), &cp);

		if (l <= 0) {
			cvb_buf_addch(&tmp, s[i]);
			i++;
			continue;
		}
		cvb_buf_addcp(&tmp, cvb_uc_lower(cp));
		i += l;
	}
	k = tmp.len < cap - 1 ? tmp.len : cap - 1;
	/* do not cut a UTF-8 sequence */
	while (k > 0 && k < tmp.len && ((unsigned char)tmp.buf[k] & 0xC0) == 0x80)
		k--;
	memcpy(out, tmp.buf, k);
	out[k] = '\0';
	cvbib_buf_release(&tmp);
}

static void
shape_of(const char *s, int b, int e, char *out, size_t cap)
{
	size_t k = 0;
	int i = b;
	char last = 0;

	while (i < e && k + 1 < cap) {
		unsigned char c = (unsigned char)s[i];
		char ch;
		int l = 1;

		if (c >= 'A' && c <= 'Z')
			ch = 'X';
		else if (c >= 'a' && c <= 'z')
			ch = 'x';
		else if (digit(c))
			ch = 'd';
		else if (c >= 0x80) {
			uint32_t cp;

			l = cvb_utf8_decode(s + i, (size_t)(e - i), &cp);
			if (l <= 0)
				l = 1;
			ch = cvb_uc_isupper(cp) ? 'X' : cvb_uc_islower(cp) ? 'x' : 'u';
		} else
			ch = (char)c;
		i += l;
		if (ch == last && (ch == 'X' || ch == 'x' || ch == 'd' || ch == 'u'))
			continue;
		out[k++] = ch;
		last = ch;
	}
	out[k] = '\0';
}

/* the punctuation class of a one-character token */
static const char *
punct_class(const char *s, const struct cvb_reftok *t)
{
	int l = t->e - t->b;
	const char *p = s + t->b;

	if (l == 1)
		switch (*p) {
		case '(': case '[': case '{': return "open";
		case ')': case ']': case '}': return "close";
		case '"': case '\'': case '`': return "quote";
		case '-': return "dash";
		case '.': case ',': case ';': case ':': return NULL;	/* the word says it */
		default: return "other";
		}
	if (l == 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80) {
		unsigned char c = (unsigned char)p[2];

		if (c >= 0x90 && c <= 0x95)
			return "dash";
		if (c >= 0x98 && c <= 0x9F)
			return "quote";
	}
	if (l == 2 && (unsigned char)p[0] == 0xC2 && ((unsigned char)p[1] == 0xAB ||
	    (unsigned char)p[1] == 0xBB))
		return "quote";
	return "other";
}

static int
is_quote(const char *s, const struct cvb_reftok *t)
{
	const char *c = t->kind == CVB_RT_PUNCT ? punct_class(s, t) : NULL;

	return c != NULL && strcmp(c, "quote") == 0;
}

/*
 * The name grammar as a feature: where a sentence opens (the string's start,
 * after a full stop that ends a word longer than an initial, after a
 * semicolon, a quote, a closing bracket or a link), a list of names read
 * there marks its tokens,
 * so that the authors are told from a title by what they are, wherever they
 * stand ("Title. A. Smith and B. Jones. Venue").
 */
static void
name_lists(const char *s, int n, const struct cvb_reftok *tok, int nt, struct tinfo *ti)
{
	int i, j;

	for (i = 0; i < nt; i++)
		ti[i].names = 0;
	for (i = 0; i < nt; i++) {
		int open = i == 0, names;
		size_t used;

		if (i >= 2 && tok[i - 1].kind == CVB_RT_PUNCT && s[tok[i - 1].b] == '.' &&
		    tok[i - 2].kind == CVB_RT_WORD && tok[i - 2].e - tok[i - 2].b > 1)
			open = 1;
		if (i >= 1 && ((tok[i - 1].kind == CVB_RT_PUNCT && (s[tok[i - 1].b] == ';' ||
		    s[tok[i - 1].b] == ']' || s[tok[i - 1].b] == ')' || is_quote(s, &tok[i - 1]))) ||
		    tok[i - 1].kind == CVB_RT_URL || tok[i - 1].kind == CVB_RT_DOI ||
		    tok[i - 1].kind == CVB_RT_ARXIV))
			open = 1;
		if (!open || tok[i].kind != CVB_RT_WORD || ti[i].names)
			continue;
		used = cvb_ref_names_at(s + tok[i].b, (size_t)(n - tok[i].b), &names);
		if (used == 0 || names == 0)
			continue;
		for (j = i; j < nt && tok[j].b < tok[i].b + (int)used; j++)
			ti[j].names = names > 1 ? 2 : 1;
	}
}

/* The words that announce a field ("pp.", "Vol.", "No.", "eds."): one list
 * each, for the features, for cutting them off a field (refparse.c) and for
 * the name grammar and the decoding (an editor only where a word says so). */
const char *const cvb_ref_page_words[] = { "p", "pp", "pages", "page", "pg", "s", "seiten", NULL };
const char *const cvb_ref_volume_words[] = { "vol", "vols", "volume", "volumes", "bd", "v", "tome", NULL };
const char *const cvb_ref_issue_words[] = { "no", "nr", "number", "issue", "n", "num", "iss", "heft", NULL };
const char *const cvb_ref_meeting_words[] = { "proceedings", "proc", "conference", "conf",
	"congress", "symposium", "symp", "workshop", "meeting", "colloquium", NULL };
const char *const cvb_ref_editor_words[] = { "ed", "eds", "editor", "editors", "edited", "hrsg", "hg",
	"dir", "coord", "\xC3\xA9" "d", "\xC3\xA9" "ds", NULL };

/* The first parts of the features made most often, hashed once */
enum { PF_W, PF_SH, PF_P1, PF_P2, PF_P3, PF_P4, PF_X1, PF_X2, PF_X3, PF_X4,
	PF_WIN_W, PF_WIN_SH = PF_WIN_W + 5, PF__COUNT = PF_WIN_SH + 5 };
static struct cvb_seq_prefix pf[PF__COUNT] = {
	[PF_W] = { "w=", 0 }, [PF_SH] = { "sh=", 0 },
	[PF_P1] = { "p1=", 0 }, [PF_P2] = { "p2=", 0 }, [PF_P3] = { "p3=", 0 }, [PF_P4] = { "p4=", 0 },
	[PF_X1] = { "x1=", 0 }, [PF_X2] = { "x2=", 0 }, [PF_X3] = { "x3=", 0 }, [PF_X4] = { "x4=", 0 },
	/* the window, by offset + 2 (offset 0 is not used) */
	[PF_WIN_W] = { "w[-2]=", 0 }, { "w[-1]=", 0 }, { "", 0 }, { "w[+1]=", 0 }, { "w[+2]=", 0 },
	[PF_WIN_SH] = { "sh[-2]=", 0 }, { "sh[-1]=", 0 }, { "", 0 }, { "sh[+1]=", 0 }, { "sh[+2]=", 0 },
};
static pthread_once_t pf_once = PTHREAD_ONCE_INIT;

static void
pf_init(void)
{
	cvb_seq_prefix_init(pf, PF__COUNT);
}

/* small integers as feature text without printf */
static const char *const small[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };

/*
 * The features of each token, by template.  Long, but a list: one template
 * after another, so that what the model sees is read in one place (and a
 * change to it is a change to the trained weights: make train).
 */
int
cvb_ref_features(const char *s, int n, const struct cvb_reftok *tok, int nt, struct cvb_seq *x)
{
	struct tinfo *ti;
	int i, paren = 0, brack = 0, quote = 0, stops = 0, commas = 0, firstyear = -1;

	if (nt <= 0)
		return 0;
	pthread_once(&pf_once, pf_init);
	ti = malloc((size_t)nt * sizeof(*ti));
	if (ti == NULL)
		return -1;
	for (i = 0; i < nt; i++) {
		const struct cvb_reftok *t = &tok[i];

		if (t->kind == CVB_RT_URL || t->kind == CVB_RT_DOI || t->kind == CVB_RT_ARXIV) {
			snprintf(ti[i].low, sizeof(ti[i].low), "<%s>", t->kind == CVB_RT_URL ? "url" :
			    t->kind == CVB_RT_DOI ? "doi" : "arxiv");
			snprintf(ti[i].shape, sizeof(ti[i].shape), "%s", ti[i].low);
			continue;
		}
		lower_word(s, t->b, t->e, ti[i].low, sizeof(ti[i].low));
		shape_of(s, t->b, t->e, ti[i].shape, sizeof(ti[i].shape));
	}
	name_lists(s, n, tok, nt, ti);
	for (i = 0; i < nt; i++)
		if (tok[i].e - tok[i].b == 4 && digit(s[tok[i].b]) && digit(s[tok[i].b + 3]) &&
		    (s[tok[i].b] == '1' || s[tok[i].b] == '2')) {
			firstyear = i;
			break;
		}
	for (i = 0; i < nt; i++) {
		const struct cvb_reftok *t = &tok[i];
		const char *w = ti[i].low, *pc;
		char buf[WMAX + 8];
		int len = t->e - t->b, k, o;

		if (cvb_seq_next(x) < 0)
			break;
		cvb_seq_feat(x, "bias");
		cvb_seq_featp(x, &pf[PF_W], w);
		cvb_seq_featp(x, &pf[PF_SH], ti[i].shape);
		if (t->flags & CVB_RT_SPACE)
			cvb_seq_feat(x, "sp<");
		if (i + 1 < nt && (tok[i + 1].flags & CVB_RT_SPACE))
			cvb_seq_feat(x, "sp>");
		if (i == 0)
			cvb_seq_feat(x, "first");
		if (i == nt - 1)
			cvb_seq_feat(x, "last");
		cvb_seq_feat2(x, "pos=", small[(i * 10) / nt]);
		cvb_seq_feat2(x, "stops=", small[stops < 6 ? stops : 6]);
		cvb_seq_feat2(x, "commas=", small[commas < 8 ? commas : 8]);
		if (firstyear >= 0)
			cvb_seq_feat(x, i < firstyear ? "year>" : i == firstyear ? "year=" : "year<");
		/* a full stop that ends a word longer than an initial: a sentence ends */
		if (i >= 2 && tok[i - 1].kind == CVB_RT_PUNCT && s[tok[i - 1].b] == '.' &&
		    tok[i - 2].kind == CVB_RT_WORD && tok[i - 2].e - tok[i - 2].b > 1 &&
		    (t->flags & CVB_RT_SPACE))
			cvb_seq_feat(x, "after-stop");
		if (ti[i].names)
			cvb_seq_feat(x, ti[i].names > 1 ? "names" : "name1");
		if (i > 0 && ti[i - 1].names && !ti[i].names)
			cvb_seq_feat(x, "after-names");
		if (paren > 0)
			cvb_seq_feat(x, "in()");
		if (brack > 0)
			cvb_seq_feat(x, "in[]");
		if (quote)
			cvb_seq_feat(x, "in\"\"");
		switch (t->kind) {
		case CVB_RT_URL: cvb_seq_feat(x, "is=url"); break;
		case CVB_RT_DOI: cvb_seq_feat(x, "is=doi"); break;
		case CVB_RT_ARXIV: cvb_seq_feat(x, "is=arxiv"); break;
		case CVB_RT_PUNCT:
			pc = punct_class(s, t);
			if (pc != NULL)
				cvb_seq_feat2(x, "punct=", pc);
			break;
		default: {
			int digits = 0, letters = 0, upper = 0;

			for (k = t->b; k < t->e; k++) {
				unsigned char c = (unsigned char)s[k];

				digits += digit(c);
				letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0;
				upper += (c >= 'A' && c <= 'Z');
			}
			if (digits == len) {
				cvb_seq_feat2(x, "digits=", small[len < 6 ? len : 6]);
				if (len == 4 && (s[t->b] == '1' || s[t->b] == '2') &&
				    ((s[t->b] == '1' && s[t->b + 1] >= '5') || (s[t->b] == '2' && s[t->b + 1] == '0')))
					cvb_seq_feat(x, "year");
			} else if (digits > 0)
				cvb_seq_feat(x, "hasdigit");
			if (letters > 0) {
				const char *sh = ti[i].shape;

				if (sh[0] == 'X' && sh[1] == '\0' && len == 1)
					cvb_seq_feat(x, "initial");
				else if (sh[0] == 'X' && sh[1] == 'x' && sh[2] == '\0')
					cvb_seq_feat(x, "cap");
				else if (sh[0] == 'X' && sh[1] == '\0')
					cvb_seq_feat(x, "allcaps");
				else if (sh[0] == 'x' && sh[1] == '\0')
					cvb_seq_feat(x, "lower");
				(void)upper;
				/* prefixes and suffixes of 1-4 bytes */
				{
					size_t wl = strlen(w);

					for (k = 1; k <= 4 && (size_t)k <= wl; k++) {
						memcpy(buf, w, (size_t)k);
						buf[k] = '\0';
						cvb_seq_featp(x, &pf[PF_P1 + k - 1], buf);
						cvb_seq_featp(x, &pf[PF_X1 + k - 1], w + wl - k);
					}
				}
				if (is_month(w))
					cvb_seq_feat(x, "month");
				if (in_list_ci(w, cvb_bt_particles))
					cvb_seq_feat(x, "particle");
				if (is_venue(s + t->b, len))
					cvb_seq_feat(x, "venue");
				if (in_list_ci(w, cvb_ref_page_words))
					cvb_seq_feat(x, "pageword");
				if (in_list_ci(w, cvb_ref_volume_words))
					cvb_seq_feat(x, "volword");
				if (in_list_ci(w, cvb_ref_issue_words))
					cvb_seq_feat(x, "numword");
				if (in_list_ci(w, cvb_ref_editor_words))
					cvb_seq_feat(x, "edword");
			}
			break;
		}
		}
		/* a number range: 123-145, 123--145 */
		if (t->kind == CVB_RT_WORD && digit(s[t->b])) {
			int j = i + 1;

			while (j < nt && tok[j].kind == CVB_RT_PUNCT && punct_class(s, &tok[j]) != NULL &&
			    strcmp(punct_class(s, &tok[j]), "dash") == 0 && j < i + 3)
				j++;
			if (j > i + 1 && j < nt && tok[j].kind == CVB_RT_WORD && digit(s[tok[j].b]))
				cvb_seq_feat(x, "range<");
			j = i - 1;
			while (j >= 0 && tok[j].kind == CVB_RT_PUNCT && punct_class(s, &tok[j]) != NULL &&
			    strcmp(punct_class(s, &tok[j]), "dash") == 0 && j > i - 3)
				j--;
			if (j < i - 1 && j >= 0 && tok[j].kind == CVB_RT_WORD && digit(s[tok[j].b]))
				cvb_seq_feat(x, ">range");
		}
		/* the window */
		for (o = -2; o <= 2; o++) {
			int j = i + o;

			if (o == 0)
				continue;
			if (j < 0 || j >= nt) {
				cvb_seq_featp(x, &pf[PF_WIN_W + o + 2], j < 0 ? "<s>" : "</s>");
				continue;
			}
			cvb_seq_featp(x, &pf[PF_WIN_W + o + 2], ti[j].low);
			cvb_seq_featp(x, &pf[PF_WIN_SH + o + 2], ti[j].shape);
		}
		if (i > 0) {
			const char *p[4] = { "w[-1]|w=", ti[i - 1].low, "|", w };

			cvb_seq_featn(x, 4, p);
		}
		if (i + 1 < nt) {
			const char *p[4] = { "w|w[+1]=", w, "|", ti[i + 1].low };

			cvb_seq_featn(x, 4, p);
		}
		/* state for the next token */
		if (t->kind == CVB_RT_PUNCT && len == 1) {
			char c = s[t->b];

			paren += c == '(' ? 1 : c == ')' && paren > 0 ? -1 : 0;
			brack += c == '[' ? 1 : c == ']' && brack > 0 ? -1 : 0;
			if (c == '.' && (i + 1 >= nt || (tok[i + 1].flags & CVB_RT_SPACE)))
				stops++;
			if (c == ',')
				commas++;
		}
		if (is_quote(s, t))
			quote = !quote;
	}
	free(ti);
	return cvb_seq_failed(x) ? -1 : 0;
}
