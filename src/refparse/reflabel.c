/*
 * reflabel.c - the labels of a reference string's tokens.
 *
 * The sequence model of src/seq (data/refparse.crf, trained by `make train`)
 * labels the tokens (reffeat.c): author, editor, title, container-title,
 * journal, publisher, location, volume, issue, page, date, doi, url, arxiv,
 * note, genre, collection-title or other.  Emphasis in the CV restricts the
 * decoding (emph_decode); then a few corrections that exact recognisers and
 * the name grammar are sure of: identifier tokens, a word and colon opening
 * the title, "In:" containers, award sentences, a two-digit venue year, a
 * title before the authors, a name cut after an initial, a hyphenated name.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include "refparse/refparse_int.h"

/* ------------------------------------------------------------ the model */

const char *const cvb_ref_labels[CVB_RL__COUNT] = {
	"other", "author", "editor", "title", "container-title", "journal",
	"collection-title", "publisher", "location", "volume", "issue", "page",
	"date", "doi", "url", "arxiv", "note", "genre",
};

extern const unsigned char cvb_seq_blob_refparse[];
extern const size_t cvb_seq_blob_refparse_len;

static struct cvb_seq_model *shipped;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static void
load_shipped(void)
{
	if (cvb_seq_model_load(&shipped, cvb_seq_blob_refparse, cvb_seq_blob_refparse_len) < 0)
		shipped = NULL;
}

/* The string as the model sees it (same length, so offsets hold): markup
 * left in it blanked ("<italic>", "</i>"), U+201A used as a comma made one,
 * control bytes made spaces.  Returns the length of the list marker in front. */
size_t
cvb_ref_prepare(const char *s, size_t len, char *w)
{
	size_t i;

	memcpy(w, s, len);
	for (i = 0; i < len; i++) {
		if (w[i] == CONSUMED || w[i] == '\0' || w[i] == '\t' || w[i] == '\n' || w[i] == '\r')
			w[i] = ' ';
		else if ((unsigned char)w[i] == 0xE2 && i + 2 < len &&
		    (unsigned char)w[i + 1] == 0x80 && (unsigned char)w[i + 2] == 0x9A) {
			w[i] = ',';
			w[i + 1] = ' ';
			w[i + 2] = ' ';
		}
	}
	w[len] = '\0';
	for (i = 0; i < len; i++)
		if (w[i] == '<' && (isalpha((unsigned char)w[i + 1]) || w[i + 1] == '/')) {
			size_t k = i + 1;

			while (k < len && k < i + 24 && (isalnum((unsigned char)w[k]) ||
			    w[k] == '/' || w[k] == '-'))
				k++;
			if (k < len && w[k] == '>')
				memset(w + i, ' ', k + 1 - i);
		}
	return cvb_ref_skip_marker(w, len);
}
/* Is there a four-digit year outside the title (a date the labels missed)? */
static bool
ref_has_year_outside(const char *base, const struct cvb_reftok *tok, const int *lab, int nt)
{
	int i, mo;
	char sf;

	for (i = 0; i < nt; i++)
		if (lab[i] != CVB_RL_TITLE && lab[i] != CVB_RL_DATE && lab[i] != CVB_RL_PAGE &&
		    tok[i].kind == CVB_RT_WORD && tok[i].e - tok[i].b == 4 &&
		    cvb_rp_year_in(base, tok[i].b, tok[i].e, &sf, &mo))
			return true;
	return false;
}

/* Words that name an award ("Best Paper Award", "Outstanding Paper Prize"). */
static const char *const award_words[] = { "award", "awards", "prize", "honorable", "honourable",
	"distinguished", NULL };

static bool
tok_alpha(const char *base, const struct cvb_reftok *t)
{
	return t->kind == CVB_RT_WORD && !is_digit(base[t->b]);
}

/* Does token t open with a capital, or with a letter beyond ASCII ("Über",
 * "東京"), as a name or a title's word does? */
static bool
tok_capital(const char *base, const struct cvb_reftok *t)
{
	return isupper((unsigned char)base[t->b]) || (unsigned char)base[t->b] >= 0x80;
}

/* The model label id of our label k (-1: the model has none). */
static int
model_label(const struct cvb_seq_model *m, int k)
{
	return cvb_seq_model_label_id(m, cvb_ref_labels[k]);
}

/* Labels that end where an emphasised field ends: a title, a venue. */
static uint32_t
field_group(const struct cvb_seq_model *m, int y)
{
	static const int title[] = { CVB_RL_TITLE, -1 },
	    venue[] = { CVB_RL_CONTAINER, CVB_RL_JOURNAL, CVB_RL_COLLECTION, -1 },
	    publ[] = { CVB_RL_PUBLISHER, -1 };
	static const int *const groups[] = { title, venue, publ };
	uint32_t bits;
	size_t g;
	int k;

	for (g = 0; g < CVB_ARRAY_SIZE(groups); g++) {
		bits = 0;
		for (k = 0; groups[g][k] >= 0; k++) {
			int id = model_label(m, groups[g][k]);

			if (id >= 0 && id < 32)
				bits |= 1u << id;
		}
		if (bits & (1u << y))
			return bits;
	}
	return 0;
}

/* The labels a whole emphasised field of label y keeps off its neighbours. */
static uint32_t
emph_group(const struct cvb_seq_model *m, int y, bool names_span)
{
	int a = model_label(m, CVB_RL_AUTHOR), e = model_label(m, CVB_RL_EDITOR);

	if (y == a || y == e) {
		if (names_span || a < 0 || a >= 32)
			return 0;
		return (1u << a) | (e >= 0 && e < 32 ? 1u << e : 0);
	}
	return field_group(m, y);
}

/* The words of tokens [tb, te) may only be label y; the words next to it
 * (before, after) none of grp. */
static void
span_restrict(uint32_t *allow, const char *base, const struct cvb_reftok *tok, int nt, int tb, int te,
    int before, int after, int y, uint32_t grp)
{
	int i;

	for (i = tb; i < te; i++)
		if (tok_alpha(base, &tok[i]))
			allow[i] &= 1u << y;
	if (grp != 0 && before >= 0)
		allow[before] &= ~grp;
	if (grp != 0 && after < nt)
		allow[after] &= ~grp;
}

/*
 * Markup is structure: an emphasised span of the CV ("**Title**.",
 * "*Pediatrics*") is one field, so its words take one label; and one set off
 * by punctuation on both sides (or by a capitalised word after it) is a whole
 * field, so a title or venue does not
 * run on past it (the words next to it take another label).  Each span in
 * turn takes the label, of the three the model finds likeliest for its words,
 * whose best path under these restrictions scores highest; the labels are
 * then decoded once more under all of them.  Digits inside a span stay free
 * ("*ICLR 2021*", "*Nature* 12").  A span over most of the string says
 * nothing and is left alone.
 */
static int
emph_decode(const struct cvb_seq_model *m, const struct cvb_seq *x, const char *base, int n,
    const struct cvb_reftok *tok, int nt, const struct cvb_refctx *ctx, size_t off, int *lab)
{
	int L = cvb_seq_model_nlabels(m), k, i, nwords = 0, rc = -1, edit;
	uint32_t *allow = NULL, *trial = NULL, all;

	if (ctx == NULL || ctx->nemph <= 0 || L > 32)
		return 0;
	all = L == 32 ? 0xffffffffu : (1u << L) - 1;
	for (i = 0; i < nt; i++)
		nwords += tok_alpha(base, &tok[i]);
	allow = malloc(sizeof(*allow) * (size_t)nt * 2);
	if (allow == NULL)
		goto out;
	trial = allow + nt;
	for (i = 0; i < nt; i++)
		allow[i] = all;
	/* names are editors only where a word says so */
	edit = model_label(m, CVB_RL_EDITOR);
	for (i = 0; i < nt && edit >= 0; i++) {
		static const char *const more[] = { "edd", NULL };

		if (tok_alpha(base, &tok[i]) &&
		    (cvb_rp_word_is(base + tok[i].b, tok[i].e - tok[i].b, cvb_ref_editor_words) ||
		    cvb_rp_word_is(base + tok[i].b, tok[i].e - tok[i].b, more)))
			edit = -1;
	}
	for (k = 0; k < ctx->nemph; k++) {
		size_t sb = ctx->emph[2 * k], se = ctx->emph[2 * k + 1];
		int tb, te, words = 0, before, after, c, best = -1, nn = 0;
		bool names_span;
		double bestsc = -HUGE_VAL;
		bool delim;

		if (sb < off || se <= sb)
			continue;
		sb -= off;
		se -= off;
		for (tb = 0; tb < nt && (size_t)tok[tb].b < sb; tb++)
			;
		for (te = tb; te < nt && (size_t)tok[te].e <= se; te++)
			words += tok_alpha(base, &tok[te]);
		if (words == 0 || words * 4 > nwords * 3)
			continue;
		/* set off by punctuation (or the string's ends) on both sides */
		before = tb - 1;
		after = te;
		delim = (before < 0 || (tok[before].kind == CVB_RT_PUNCT &&
		    strchr(".,;:(\"", base[tok[before].b]) != NULL) ||
		    (tok[before].kind == CVB_RT_PUNCT && (unsigned char)base[tok[before].b] == 0xE2)) &&
		    (after >= nt || (tok[after].kind == CVB_RT_PUNCT &&
		    (strchr(".,;)[\"", base[tok[after].b]) != NULL ||
		    (unsigned char)base[tok[after].b] == 0xE2)) ||
		    /* "<b>Title</b> A. Smith": a capital right after it */
		    (tok_alpha(base, &tok[after]) && isupper((unsigned char)base[tok[after].b])));
		for (; before >= 0 && !tok_alpha(base, &tok[before]); before--)
			;
		for (; after < nt && !tok_alpha(base, &tok[after]); after++)
			;
		/* a span that is not itself names (the owner's bold name in a
		 * list) is a whole field of names too: "<b>Title</b> A. Smith" */
		{
			size_t sl = (size_t)(tok[te - 1].e - tok[tb].b);

			names_span = cvb_ref_names_at(base + tok[tb].b, sl, &nn) + 1 >= sl && nn > 0;
		}
		for (c = 0; c < L; c++) {
			uint32_t grp = delim ? emph_group(m, c, names_span) : 0;
			double sc;

			if (c == edit)
				continue;
			/* a list of two names or more, set off, is names */
			if (delim && names_span && nn >= 2 && c != model_label(m, CVB_RL_AUTHOR) &&
			    c != model_label(m, CVB_RL_EDITOR))
				continue;
			memcpy(trial, allow, sizeof(*trial) * (size_t)nt);
			span_restrict(trial, base, tok, nt, tb, te, before, after, c, grp);
			for (i = 0; i < nt && trial[i] != 0; i++)
				;
			if (i < nt)
				continue;
			if (cvb_seq_decode_masked(m, x, trial, lab, NULL, &sc) < 0)
				goto out;
			if (sc > bestsc) {
				bestsc = sc;
				best = c;
			}
		}
		if (best < 0)
			continue;
		span_restrict(allow, base, tok, nt, tb, te, before, after, best,
		    delim ? emph_group(m, best, names_span) : 0);
	}
	rc = cvb_seq_decode_masked(m, x, allow, lab, NULL, NULL);
out:
	(void)n;
	free(allow);
	return rc;
}
/* Is token t the word w (ASCII, any case)? */
static bool
tok_word(const char *base, const struct cvb_reftok *t, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(t->e - t->b) == n && strncasecmp(base + t->b, w, n) == 0;
}

/*
 * The host of a DOI link that the URL recogniser did not take whole, glued
 * to the DOI at token i ("doi.org/10.1007/...", "dx.doi.org/10...", "https:
 * //doi.org/10..."): the index of its first token, or i when there is none.
 */
static int
doi_host_start(const char *base, const struct cvb_reftok *tok, int i)
{
	static const char *const host[] = { "doi", ".", "org", "/" };
	int k;

	if (i < 4)
		return i;
	for (k = 0; k < 4; k++) {
		const struct cvb_reftok *t = &tok[i - 4 + k];

		if ((tok[i - 3 + k].flags & CVB_RT_SPACE) || !tok_word(base, t, host[k]))
			return i;
	}
	i -= 4;
	if (i >= 2 && !(tok[i].flags & CVB_RT_SPACE) && tok_is(base, &tok[i - 1], '.') &&
	    !(tok[i - 1].flags & CVB_RT_SPACE) && tok_word(base, &tok[i - 2], "dx"))
		i -= 2;
	/* and its scheme, if text taken from a PDF spaced it out ("https: //doi.org/") */
	if (i >= 4 && tok_is(base, &tok[i - 1], '/') && tok_is(base, &tok[i - 2], '/') &&
	    tok_is(base, &tok[i - 3], ':') && (tok_word(base, &tok[i - 4], "https") ||
	    tok_word(base, &tok[i - 4], "http")))
		i -= 4;
	return i;
}

/* The exact recognisers decide their tokens (arXiv, DOI, URL), with the
 * words that announce them ("arXiv preprint arXiv:", "doi:"); the host of a
 * DOI link with no scheme, whatever it was labelled, is the DOI's. */
static void
fix_identifiers(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	for (i = 0; i < nt; i++) {
		int k = tok[i].kind == CVB_RT_ARXIV ? CVB_RL_ARXIV : tok[i].kind == CVB_RT_DOI ? CVB_RL_DOI :
		    tok[i].kind == CVB_RT_URL && lab[i] != CVB_RL_DOI ? CVB_RL_URL : -1, q;
		static const char *const lead[] = { "arxiv", "preprint", "e-print", "eprint", "doi", "url",
			"available", "at", "online", "from", NULL };

		if (k < 0)
			continue;
		lab[i] = k;
		if (k == CVB_RL_DOI) {
			int h = doi_host_start(base, tok, i);

			for (q = h; q < i; q++)
				lab[q] = k;
			q = h - 1;
		} else
			q = i - 1;
		for (; q >= 0 && (tok[q].kind == CVB_RT_PUNCT ? base[tok[q].b] == ':' :
		    cvb_rp_word_is(base + tok[q].b, tok[q].e - tok[q].b, lead)); q--)
			if (lab[q] == CVB_RL_OTHER || lab[q] == CVB_RL_NOTE || lab[q] == CVB_RL_JOURNAL ||
			    lab[q] == k)
				lab[q] = k;
			else
				break;
	}
}

static void
fix_title_colon(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "Zhang, C. QuadGridSIM: A method for ...", "Kangaroo: Caching ...":
	 * at the start, or after a name that ended on an initial, a word and a
	 * colon before the title open the title */
	for (i = 0; i + 2 < nt; i++)
		if ((lab[i] == CVB_RL_AUTHOR || (i == 0 && lab[i] == CVB_RL_OTHER)) &&
		    lab[i + 2] == CVB_RL_TITLE && tok_alpha(base, &tok[i]) &&
		    tok[i].e - tok[i].b >= 3 && isupper((unsigned char)base[tok[i].b]) &&
		    tok[i + 1].kind == CVB_RT_PUNCT && base[tok[i + 1].b] == ':' &&
		    (i == 0 || (i >= 2 && tok[i - 1].kind == CVB_RT_PUNCT && base[tok[i - 1].b] == '.' &&
		    tok[i - 2].e - tok[i - 2].b == 1 && isupper((unsigned char)base[tok[i - 2].b]))))
			lab[i] = lab[i + 1] = CVB_RL_TITLE;
}

static void
fix_in_container(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "In: Proceedings of KDD; 2022": what "In" announces, left unlabelled, is the container */
	for (i = 0; i + 1 < nt; i++) {
		int q = i + 1, e2;

		if (lab[i] != CVB_RL_OTHER || !(tok[i].e - tok[i].b == 2 && (strncmp(base + tok[i].b, "In", 2) == 0 ||
		    strncmp(base + tok[i].b, "in", 2) == 0)) || (i > 0 && tok[i - 1].kind != CVB_RT_PUNCT))
			continue;
		if (tok[q].kind == CVB_RT_PUNCT && base[tok[q].b] == ':')
			q++;
		for (e2 = q; e2 < nt && lab[e2] == CVB_RL_OTHER && (tok_alpha(base, &tok[e2]) ||
		    (tok[e2].kind == CVB_RT_PUNCT && base[tok[e2].b] != ';' && base[tok[e2].b] != '.' &&
		    base[tok[e2].b] != '(')); e2++)
			;
		if (e2 > q && tok_alpha(base, &tok[q]) && isupper((unsigned char)base[tok[q].b]))
			for (; q < e2; q++)
				lab[q] = CVB_RL_CONTAINER;
	}
}

static void
fix_award_sentence(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "... 2022. Best Paper Award.": an unlabelled sentence that names an
	 * award is a note (the award, below) */
	for (i = 0; i < nt; i++) {
		int e2, q, aw = 0;

		if (lab[i] != CVB_RL_OTHER || !tok_alpha(base, &tok[i]))
			continue;
		for (e2 = i; e2 < nt && (lab[e2] == CVB_RL_OTHER || lab[e2] == CVB_RL_NOTE) &&
		    !(tok[e2].kind == CVB_RT_PUNCT && (base[tok[e2].b] == '.' || base[tok[e2].b] == ';')); e2++)
			if (tok_alpha(base, &tok[e2]) && (cvb_rp_word_is(base + tok[e2].b, tok[e2].e - tok[e2].b, award_words)))
				aw = 1;
		if (aw)
			for (q = i; q < e2; q++)
				lab[q] = CVB_RL_NOTE;
		i = e2;
	}
}

/* Corrections one token at a time. */
static void
fix_local(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	for (i = 1; i < nt; i++) {
		/* "Volume 664, id.A56 Title", "art. 74": the article number is
		 * the page, wherever the labels put it */
		if (i + 2 < nt && tok[i].kind == CVB_RT_WORD && tok[i + 1].kind == CVB_RT_PUNCT &&
		    base[tok[i + 1].b] == '.' && tok[i + 2].kind == CVB_RT_WORD &&
		    tok[i - 1].kind == CVB_RT_PUNCT && base[tok[i - 1].b] == ',' &&
		    ((tok[i].e - tok[i].b == 2 && strncasecmp(base + tok[i].b, "id", 2) == 0) ||
		    (tok[i].e - tok[i].b == 3 && strncasecmp(base + tok[i].b, "art", 3) == 0))) {
			int k, digits = 0;

			/* the number's tokens, glued: "A" "56" */
			for (k = i + 2; k < nt && tok[k].kind == CVB_RT_WORD &&
			    (k == i + 2 || !(tok[k].flags & CVB_RT_SPACE)); k++)
				digits += is_digit(base[tok[k].b]);
			if (digits > 0) {
				lab[i] = lab[i + 1] = CVB_RL_OTHER;
				while (--k >= i + 2)
					lab[k] = CVB_RL_PAGE;
			}
		}
		/* "Title. In Venue": a title does not go on past "In" */
		if (lab[i] == CVB_RL_TITLE && lab[i - 1] == CVB_RL_TITLE && i >= 2 &&
		    tok[i].e - tok[i].b == 2 && strncmp(base + tok[i].b, "In", 2) == 0 &&
		    tok[i - 1].kind == CVB_RT_PUNCT && base[tok[i - 1].b] == '.') {
			int q;

			for (q = i; q < nt && lab[q] == CVB_RL_TITLE; q++)
				lab[q] = CVB_RL_CONTAINER;
			lab[i - 1] = CVB_RL_OTHER;
		}
		/* "KDD '23": a year of two digits */
		if (lab[i] != CVB_RL_CONTAINER && lab[i] != CVB_RL_JOURNAL && lab[i] != CVB_RL_TITLE &&
		    lab[i] != CVB_RL_COLLECTION &&
		    tok[i].kind == CVB_RT_WORD && tok[i].e - tok[i].b == 2 && is_digit(base[tok[i].b]) &&
		    !(tok[i].flags & CVB_RT_SPACE) && (base[tok[i].b - 1] == '\'' ||
		    (tok[i].b >= 3 && memcmp(base + tok[i].b - 3, "\xE2\x80\x99", 3) == 0)))
			lab[i] = CVB_RL_DATE;
		/* "pp. 2011-2018, 2023": the year after the pages */
		if (lab[i] == CVB_RL_PAGE && tok[i].kind == CVB_RT_WORD && tok[i].e - tok[i].b == 4 &&
		    lab[i - 1] == CVB_RL_PAGE && base[tok[i - 1].b] == ',' && i >= 2 &&
		    is_digit(base[tok[i - 2].b]) && (i + 1 >= nt || lab[i + 1] != CVB_RL_PAGE)) {
			char sf;
			int mo;

			if (cvb_rp_year_in(base, tok[i].b, tok[i].e, &sf, &mo)) {
				lab[i] = CVB_RL_DATE;
				lab[i - 1] = CVB_RL_OTHER;
			}
		}
	}
}

static void
fix_title_date(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "..., 1990-2021: a systematic analysis": a date inside the title is
	 * the title's, when the reference has a date of its own elsewhere */
	for (i = 1; i < nt; i++) {
		int e2, q;

		if (lab[i] != CVB_RL_DATE || lab[i - 1] != CVB_RL_TITLE)
			continue;
		for (e2 = i; e2 < nt && lab[e2] == CVB_RL_DATE; e2++)
			;
		if (e2 >= nt || lab[e2] != CVB_RL_TITLE)
			continue;
		for (q = e2; q < nt && (lab[q] != CVB_RL_DATE); q++)
			;
		if (q < nt || ref_has_year_outside(base, tok, lab, nt))
			for (q = i; q < e2; q++)
				lab[q] = CVB_RL_TITLE;
		i = e2;
	}
}

/* Is token t 1 to 3 digits (n == 0) or exactly n digits? */
static bool
tok_digits(const char *base, const struct cvb_reftok *t, int n)
{
	int k, l = t->e - t->b;

	if (t->kind != CVB_RT_WORD || l < 1 || (n == 0 ? l > 3 : l != n))
		return false;
	for (k = 0; k < l; k++)
		if (!isdigit((unsigned char)base[t->b + k]))
			return false;
	return true;
}

/* Is token t four digits (a year's shape)? */
static bool
tok_year(const char *base, const struct cvb_reftok *t)
{
	return tok_digits(base, t, 4);
}

/* Is a year labelled a date among the tokens outside b..e? */
static bool
date_year_besides(const char *base, const struct cvb_reftok *tok, const int *lab, int nt, int b,
    int e)
{
	int k;

	for (k = 0; k < nt; k++)
		if ((k < b || k > e) && lab[k] == CVB_RL_DATE && tok_year(base, &tok[k]))
			return true;
	return false;
}

/* Is token t a dash, ASCII or U+2013/U+2014? */
static bool
tok_dash(const char *base, const struct cvb_reftok *t)
{
	const char *w = base + t->b;

	return t->kind == CVB_RT_PUNCT && ((t->e - t->b == 1 && *w == '-') || (t->e - t->b == 3 &&
	    memcmp(w, "\xE2\x80", 2) == 0 && ((unsigned char)w[2] == 0x93 || (unsigned char)w[2] == 0x94)));
}

/*
 * "... Afro-American Character and Destiny, 1817-1914. New York: Harper,
 * 1971.", "... en France (1945-1975), Paris, Grasset, 2005.": a range of
 * years that ends the title is the title's, when the reference has a year
 * of its own elsewhere (which is then the date).
 */
static void
fix_title_year_range(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, b, e;

	for (i = 1; i + 2 < nt; i++) {
		if (!tok_year(base, &tok[i]) || !tok_dash(base, &tok[i + 1]) ||
		    !tok_year(base, &tok[i + 2]) || lab[i] != CVB_RL_DATE || lab[i + 2] != CVB_RL_DATE)
			continue;
		b = i;
		e = i + 2;
		/* in brackets: "(1945-1975)" */
		if (tok_is(base, &tok[b - 1], '(') && e + 1 < nt && tok_is(base, &tok[e + 1], ')')) {
			b--;
			e++;
		}
		/* right after the title, or after its comma */
		k = b - 1;
		if (k > 0 && tok[k].kind == CVB_RT_PUNCT && tok_is(base, &tok[k], ','))
			k--;
		if (k < 0 || lab[k] != CVB_RL_TITLE || !date_year_besides(base, tok, lab, nt, b, e))
			continue;
		for (k = b - 1 >= 0 && lab[b - 1] != CVB_RL_TITLE ? b - 1 : b; k <= e; k++)
			lab[k] = CVB_RL_TITLE;
		i = e;
	}
	(void)len;
}

/*
 * "in Computer Science Research Institute Summer Proceedings 2021, ...,
 * 2021, pp. 127-137": a year that ends the name of a meeting's proceedings
 * is the name's, when the reference has another year labelled a date.
 */
static void
fix_container_year(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k;

	for (i = 1; i < nt; i++) {
		bool meeting = false;

		if (lab[i] != CVB_RL_DATE || !tok_year(base, &tok[i]) || lab[i - 1] != CVB_RL_CONTAINER ||
		    tok[i - 1].kind != CVB_RT_WORD || (i + 1 < nt && lab[i + 1] == CVB_RL_DATE))
			continue;
		/* the name of a meeting's proceedings (not a journal's, whose
		 * volume or date a year after it is: "JHEP 1704", "J Hypertens
		 * 1999;17:...") */
		for (k = i - 1; k >= 0 && lab[k] == CVB_RL_CONTAINER; k--)
			if (tok[k].kind == CVB_RT_WORD && cvb_rp_word_is(base + tok[k].b, tok[k].e - tok[k].b,
			    cvb_ref_meeting_words))
				meeting = true;
		if (meeting && date_year_besides(base, tok, lab, nt, i, i))
			lab[i] = CVB_RL_CONTAINER;
	}
	(void)len;
}


/* Tokens i..i+2 a number with a thousands comma and no space in it
 * ("12,049")? */
static bool
tok_thousands(const char *base, const struct cvb_reftok *tok, int nt, int i)
{
	return i + 2 < nt && tok_digits(base, &tok[i], 0) && tok_is(base, &tok[i + 1], ',') &&
	    !(tok[i + 1].flags & CVB_RT_SPACE) &&
	    tok_digits(base, &tok[i + 2], 3) && !(tok[i + 2].flags & CVB_RT_SPACE);
}

/*
 * "J. Geophys. Res., 123, 12,049-12,057": a page range whose numbers have a
 * thousands comma is the pages, the numbers before the commas included.
 */
static void
fix_page_thousands(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k;

	for (i = 0; i + 6 < nt; i++) {
		if (!tok_thousands(base, tok, nt, i) || !tok_dash(base, &tok[i + 3]) ||
		    !tok_thousands(base, tok, nt, i + 4) || (i > 0 && !(tok[i].flags & CVB_RT_SPACE) &&
		    tok[i - 1].kind == CVB_RT_WORD))
			continue;
		for (k = i; k <= i + 6; k++)
			if (lab[k] == CVB_RL_PAGE)
				break;
		if (k > i + 6)
			continue;	/* the model saw no pages here */
		for (k = i; k <= i + 6; k++)
			lab[k] = CVB_RL_PAGE;
		i += 6;
	}
	(void)len;
}

/*
 * "J. Atmos. Sci, 78, 1999-2011.": a range of four-digit numbers right
 * after the volume, not in brackets, in a reference with no pages, is the
 * pages (an article's date is no range of years).
 */
static void
fix_range_after_volume(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k;

	for (k = 0; k < nt; k++)
		if (lab[k] == CVB_RL_PAGE)
			return;
	for (i = 2; i + 2 < nt; i++) {
		if (!tok_year(base, &tok[i]) || !tok_dash(base, &tok[i + 1]) ||
		    !tok_year(base, &tok[i + 2]) || lab[i] != CVB_RL_DATE || lab[i + 2] != CVB_RL_DATE ||
		    !tok_is(base, &tok[i - 1], ',') ||
		    lab[i - 2] != CVB_RL_VOLUME || tok[i - 2].kind != CVB_RT_WORD)
			continue;
		if (i + 3 < nt && tok_is(base, &tok[i + 3], ')'))
			continue;
		/* the first page before the last */
		if (atoi(base + tok[i].b) >= atoi(base + tok[i + 2].b))
			continue;
		lab[i] = lab[i + 1] = lab[i + 2] = CVB_RL_PAGE;
		return;
	}
	(void)len;
}

/* a label that is the text of a part of the reference other than its names */
static bool
content_label(int k)
{
	return k == CVB_RL_TITLE || k == CVB_RL_CONTAINER || k == CVB_RL_JOURNAL ||
	    k == CVB_RL_COLLECTION || k == CVB_RL_PUBLISHER || k == CVB_RL_LOCATION ||
	    k == CVB_RL_NOTE || k == CVB_RL_GENRE;
}

/*
 * The runs of tokens labelled k, runs set apart by fewer than two words of
 * other labels joined (words of content labels only, when content is set):
 * their first and last tokens in rb[] and re[] (16 at most); their number,
 * or -1 when there are more.
 */
static int
label_runs(const char *base, const struct cvb_reftok *tok, int nt, const int *lab, int k,
    bool content, int *rb, int *re)
{
	int i, j, r, nr = 0;

	for (i = 0; i < nt; i++) {
		int gap = 0;

		if (lab[i] != k)
			continue;
		for (j = i; j + 1 < nt && lab[j + 1] == k; j++)
			;
		if (nr > 0)
			for (r = re[nr - 1] + 1; r < i; r++)
				gap += tok_alpha(base, &tok[r]) && (!content || content_label(lab[r]));
		if (nr > 0 && gap < 2)
			re[nr - 1] = j;
		else if (nr < 16) {
			rb[nr] = i;
			re[nr++] = j;
		} else
			return -1;
		i = j;
	}
	return nr;
}

/*
 * A reference has one list of authors ("Michel Loeve. Probability Theory I.
 * New York, 1977": not York).  Where the tokens labelled author make two
 * runs or more set apart by two words or more of another part (title,
 * venue, publisher, place, note), the run of the most words is the list;
 * the words of the others take the label of the part before them (after
 * them where there is none).
 */
static void
fix_author_runs(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int rb[16], re[16], nr, i, r, keep = 0, best = 0;

	/* the content words between runs: fewer than two join them */
	nr = label_runs(base, tok, nt, lab, CVB_RL_AUTHOR, true, rb, re);
	if (nr < 2)
		return;
	/* the list is the run of the most words (the first of equals): a
	 * title-first entry's stray author word does not outweigh its names */
	for (r = 0; r < nr; r++) {
		int w = 0;

		for (i = rb[r]; i <= re[r]; i++)
			w += tok_alpha(base, &tok[i]);
		if (r == 0 || w > best)
			best = w, keep = r;
	}
	for (r = 0; r < nr; r++) {
		int to = CVB_RL_OTHER;

		if (r == keep)
			continue;

		for (i = rb[r] - 1; i >= 0 && !tok_alpha(base, &tok[i]); i--)
			;
		if (i >= 0 && content_label(lab[i]))
			to = lab[i];
		else {
			for (i = re[r] + 1; i < nt && !tok_alpha(base, &tok[i]); i++)
				;
			if (i < nt && content_label(lab[i]))
				to = lab[i];
		}
		for (i = rb[r]; i <= re[r]; i++)
			if (lab[i] == CVB_RL_AUTHOR)
				lab[i] = to;
	}
}

/*
 * The reference's title, its first and last tokens in *b and *e: false when
 * no token is labelled title, or when two runs of it are set apart by more
 * than punctuation.
 */
static bool
one_title_run(const struct cvb_reftok *tok, int nt, const int *lab, int *b, int *e)
{
	int i, q;

	*b = *e = -1;
	for (i = 0; i < nt; i++) {
		if (lab[i] != CVB_RL_TITLE)
			continue;
		for (q = *e + 1; *e >= 0 && q < i; q++)
			if (tok[q].kind != CVB_RT_PUNCT)
				return false;
		if (*b < 0)
			*b = i;
		*e = i;
	}
	return *b >= 0;
}

/*
 * "Learning decision lists. Machine Learning, 2 (3), 229-246.": no token is
 * a venue, and the title runs on, over a full stop (or '?', '!') after a
 * word of two letters or more (not a capitalised one of four letters or
 * fewer, an abbreviation: "Proc. Natl. Acad. Sci.") and a capitalised word,
 * into the numbers of a journal (the next field after the title, or after
 * its date, is a volume, issue or page, maybe after the word that announces
 * it: "Histopathology, 1987, vol. 11").  The words after the first such stop
 * that leaves one to JMAX words before the title's end are the journal;
 * three words or more stay the title (any number of CJK words, which no
 * space parts: "東莞可園. 建築歷史與理論. 第3期").
 */
#define JMAX 6
static void
fix_title_journal(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, tb, te, q, k, words, cjk;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL || lab[i] == CVB_RL_COLLECTION)
			return;
	if (!one_title_run(tok, nt, lab, &tb, &te))
		return;
	/* what follows: a volume, issue or page, maybe after the date */
	for (q = te + 1; q < nt && tok[q].kind == CVB_RT_PUNCT; q++)
		;
	if (q < nt && lab[q] == CVB_RL_DATE) {
		while (q < nt && (lab[q] == CVB_RL_DATE || tok[q].kind == CVB_RT_PUNCT))
			q++;
	}
	/* "Histopathology, 1987, vol. 11": the word that announces the number */
	while (q < nt && lab[q] == CVB_RL_OTHER && (tok[q].kind == CVB_RT_PUNCT ||
	    cvb_rp_word_is(base + tok[q].b, tok[q].e - tok[q].b, cvb_ref_volume_words) ||
	    cvb_rp_word_is(base + tok[q].b, tok[q].e - tok[q].b, cvb_ref_issue_words) ||
	    cvb_rp_word_is(base + tok[q].b, tok[q].e - tok[q].b, cvb_ref_page_words)))
		q++;
	if (q >= nt || (lab[q] != CVB_RL_VOLUME && lab[q] != CVB_RL_ISSUE && lab[q] != CVB_RL_PAGE))
		return;
	while (te > tb && tok[te].kind == CVB_RT_PUNCT)
		te--;
	for (k = tb + 1, words = 0; k < te; k++) {
		const char *c = base + tok[k].b;
		int w;

		words += tok_alpha(base, &tok[k - 1]);
		/* "東莞可園. 建築歷史與理論. 第3期": CJK words, whose title may be one */
		cjk = (unsigned char)base[tok[k - 1].b] >= 0xE3 && k + 1 < nt &&
		    (unsigned char)base[tok[k + 1].b] >= 0xE3;
		if (tok[k].kind != CVB_RT_PUNCT || tok[k].e - tok[k].b != 1 || (*c != '.' && *c != '?' &&
		    *c != '!') || (words < 3 && !cjk) || !(tok[k + 1].flags & CVB_RT_SPACE) ||
		    !tok_alpha(base, &tok[k + 1]) || !(isupper((unsigned char)base[tok[k + 1].b]) || cjk) ||
		    !(tok_alpha(base, &tok[k - 1]) && (tok[k - 1].e - tok[k - 1].b >= 2)) ||
		    (isupper((unsigned char)base[tok[k - 1].b]) && tok[k - 1].e - tok[k - 1].b <= 4))
			continue;
		for (q = k + 1, w = 0; q <= te; q++)
			w += tok_alpha(base, &tok[q]);
		/* "Tome I: Le Ve siecle": a volume of the book, not a journal */
		if (w < 1 || w > JMAX || cvb_rp_word_is(base + tok[k + 1].b, tok[k + 1].e - tok[k + 1].b,
		    cvb_ref_volume_words))
			continue;
		for (q = k + 1; q <= te; q++)
			lab[q] = CVB_RL_JOURNAL;
		return;
	}
}

/* Is token t an opening (1) or closing (2) double quote, or neither (0)? */
static int
quote_kind(const char *base, const struct cvb_reftok *t)
{
	const char *w = base + t->b;
	int n = t->e - t->b;

	if (n == 3 && memcmp(w, "\xE2\x80\x9C", 3) == 0)
		return 1;
	if (n == 3 && memcmp(w, "\xE2\x80\x9D", 3) == 0)
		return 2;
	return 0;
}

static void
fix_title_quoted(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, j, k;

	/* "“Do Rents Rise Near New Stops?” March, 2021": the words inside the
	 * quotes that open a title are the title's, up to its first word
	 * ("Do" read as something else) */
	for (i = 0; i + 2 < nt; i++) {
		int title = 0, other = 0;

		if (quote_kind(base, &tok[i]) != 1)
			continue;
		for (j = i + 1; j < nt && quote_kind(base, &tok[j]) == 0; j++) {
			if (lab[j] == CVB_RL_TITLE)
				title++;
			else if (lab[j] == CVB_RL_OTHER)
				other++;
			else
				break;
		}
		if (j >= nt || quote_kind(base, &tok[j]) != 2 || title < 2 || other == 0 || other * 3 > title)
			continue;
		for (k = i + 1; k < j; k++)
			lab[k] = CVB_RL_TITLE;
		i = j;
	}
	(void)len;
}

/*
 * The names that open the reference, followed by a word that says editors
 * ("J. M. Foley (ed.), Comparative Research ...", "Keane, M., editor.
 * Proc. ..."), are the editors of the book, when no other names are read as
 * authors.  ("edited", which takes a "by" and names after it, is not such a
 * word here.)
 */
static void
fix_editor_cue(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int b, e, k;

	for (b = 0; b < nt && tok[b].kind == CVB_RT_PUNCT; b++)
		;
	if (b >= nt || lab[b] != CVB_RL_AUTHOR)
		return;
	for (e = b; e + 1 < nt && lab[e + 1] == CVB_RL_AUTHOR; e++)
		;
	for (k = e + 1; k < nt; k++)
		if (lab[k] == CVB_RL_AUTHOR)
			return;
	for (k = e + 1; k < nt && tok[k].kind == CVB_RT_PUNCT &&
	    (tok_is(base, &tok[k], '(') || tok_is(base, &tok[k], ',')); k++)
		;
	if (k >= nt || tok[k].kind != CVB_RT_WORD ||
	    !cvb_rp_word_is(base + tok[k].b, tok[k].e - tok[k].b, cvb_ref_editor_words) ||
	    tok_word(base, &tok[k], "edited"))
		return;
	for (k = b; k <= e; k++)
		lab[k] = CVB_RL_EDITOR;
	(void)len;
}

/*
 * "In" read as a part of its own right before the title's words: the
 * title's first word ("In vitro production of ...", "In search of ..."),
 * when the title is the reference's only one and goes on in lower case
 * ("In" that announces a container is followed by the container's name).
 */
static void
fix_title_in(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, runs = 0;

	for (k = 0; k < nt; k++)
		if (lab[k] == CVB_RL_TITLE && (k == 0 || lab[k - 1] != CVB_RL_TITLE))
			runs++;
	if (runs != 1)
		return;
	for (i = 0; i + 1 < nt; i++)
		if (lab[i] == CVB_RL_OTHER && lab[i + 1] == CVB_RL_TITLE && tok[i].kind == CVB_RT_WORD &&
		    tok[i].e - tok[i].b == 2 && strncmp(base + tok[i].b, "In", 2) == 0 &&
		    tok[i + 1].kind == CVB_RT_WORD && islower((unsigned char)base[tok[i + 1].b])) {
			lab[i] = CVB_RL_TITLE;
			return;
		}
	(void)len;
}

/*
 * The quote that opens token t's title, as the code of the quote that closes
 * it: 1 for ” (after “ or „), 2 for ’ (after ‘), 3 for », 4 for ", 5 for ';
 * 0 when t opens none.  closes() says whether t is that closing quote.
 */
static int
quote_opens(const char *base, const struct cvb_reftok *t)
{
	const char *w = base + t->b;
	int n = t->e - t->b;

	if (t->kind != CVB_RT_PUNCT)
		return 0;
	if (n == 3 && (memcmp(w, "\xE2\x80\x9C", 3) == 0 || memcmp(w, "\xE2\x80\x9E", 3) == 0))
		return 1;
	if (n == 3 && memcmp(w, "\xE2\x80\x98", 3) == 0)
		return 2;
	if (n == 2 && memcmp(w, "\xC2\xAB", 2) == 0)
		return 3;
	if (n == 1 && *w == '"')
		return 4;
	if (n == 1 && *w == '\'')
		return 5;
	return 0;
}

static bool
quote_closes(const char *base, const struct cvb_reftok *t, int code)
{
	static const char *const close[] = { NULL, "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB", "\"", "'" };
	size_t n = (size_t)(t->e - t->b);

	return t->kind == CVB_RT_PUNCT && code > 0 && code < 6 && n == strlen(close[code]) &&
	    memcmp(base + t->b, close[code], n) == 0;
}

/*
 * A quoted title ends at its closing quote, when the style put the title's
 * own punctuation inside the quotes or a comma or full stop after them:
 * "“Childhood in the Renaissance – Introductory Remarks.” Childhood in the
 * English Renaissance. Ed. ...", "‘The Formula’, in A new Companion to Homer".
 * The words after it that the labels ran on with are the container's, when
 * none was labelled, and no field otherwise ("‘Is this a Muslim ban?’, The
 * Guardian").  ("“Like” and language ideology" goes on past its quote: no
 * punctuation there.)
 */
static void
fix_title_quote_end(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, tb = -1, te, o, code, k, words = 0, after = 0, cont = 0;

	for (i = 0; i < nt; i++) {
		if (lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL || lab[i] == CVB_RL_COLLECTION)
			cont = 1;
		if (lab[i] == CVB_RL_TITLE && tb < 0)
			tb = i;
	}
	if (tb < 0)
		return;
	for (te = tb; te + 1 < nt && lab[te + 1] == CVB_RL_TITLE; te++)
		;
	if ((code = quote_opens(base, &tok[tb])) != 0)
		o = tb;
	else if (tb > 0 && (code = quote_opens(base, &tok[tb - 1])) != 0)
		o = tb - 1;
	else
		return;
	for (k = o + 1; k < te && !quote_closes(base, &tok[k], code); k++)
		words += tok_alpha(base, &tok[k]);
	if (k >= te || words == 0)
		return;
	/* the title's punctuation inside, or a comma or full stop after; not a
	 * colon after, which opens the subtitle ("“Getting to Know You...”:
	 * Knowledge, Power, and the Body") */
	if ((!(tok[k - 1].kind == CVB_RT_PUNCT && strchr(".,?!", base[tok[k - 1].b]) != NULL) &&
	    !(tok[k + 1].kind == CVB_RT_PUNCT && strchr(".,", base[tok[k + 1].b]) != NULL)) ||
	    tok_is(base, &tok[k + 1], ':'))
		return;
	for (i = k + 1; i <= te; i++)
		after += tok_alpha(base, &tok[i]);
	if (after == 0)
		return;
	/* up to a number ("« Enjeux ... », Imprévue 2 1996") */
	for (i = k + 1; !cont && i <= te && !isdigit((unsigned char)base[tok[i].b]) &&
	    !cvb_rp_word_is(base + tok[i].b, tok[i].e - tok[i].b, cvb_ref_volume_words); i++)
		lab[i] = CVB_RL_CONTAINER;
	for (; i <= te; i++)
		lab[i] = CVB_RL_OTHER;
	(void)len;
}

static void
fix_title_first(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "Disorder-free localization. A. Smith, J. Knolle, and R. Moessner.":
	 * a title before the authors, read as one more author.  When no token
	 * is the title, the words of the author span before its first full stop
	 * are the title if they hold two words or more, no comma, initial or
	 * "and", and a list of names follows (with a comma, or two names read
	 * by the name grammar). */
	for (i = 0; i < nt && lab[i] != CVB_RL_TITLE; i++)
		;
	if (i == nt) {
		int a0, q, words = 0, ok = 1, dot = -1, comma = 0;

		for (a0 = 0; a0 < nt && lab[a0] != CVB_RL_AUTHOR; a0++)
			;
		for (q = a0; q < nt && lab[q] == CVB_RL_AUTHOR && ok; q++) {
			const char *tw = base + tok[q].b;
			int wl = tok[q].e - tok[q].b;

			if (tok[q].kind == CVB_RT_PUNCT && *tw == '.') {
				if (q > a0 && tok[q - 1].kind == CVB_RT_WORD && tok[q - 1].e - tok[q - 1].b >= 2)
					dot = q;
				else
					ok = 0;	/* an initial: the names come first */
				break;
			}
			if (tok[q].kind == CVB_RT_PUNCT && (*tw == ',' || *tw == ';' || *tw == '&'))
				ok = 0;
			else if (tok[q].kind == CVB_RT_WORD) {
				/* an initial stands apart ("3D" is none) */
				if ((wl == 1 && isupper((unsigned char)*tw) && (q == 0 || (tok[q].flags & CVB_RT_SPACE))) ||
				    (wl == 3 && strncasecmp(tw, "and", 3) == 0))
					ok = 0;
				words++;
			}
		}
		for (q = dot + 1; ok && dot > a0 && q < nt && lab[q] == CVB_RL_AUTHOR; q++)
			if (tok[q].kind == CVB_RT_PUNCT && base[tok[q].b] == ',')
				comma = 1;
		if (ok && dot > a0 && !comma && dot + 1 < nt) {
			int nn;

			/* "A. Smith and B. Jones": two names or more read there */
			if (cvb_ref_names_at(base + tok[dot + 1].b, len - (size_t)tok[dot + 1].b, &nn) > 0 &&
			    nn >= 2)
				comma = 1;
		}
		if (ok && dot > a0 && words >= 2 && comma) {
			for (q = a0; q < dot; q++)
				lab[q] = CVB_RL_TITLE;
			lab[dot] = CVB_RL_OTHER;
		}
	}
}

static void
fix_hyphen(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "Moto-oka", "Jean-Pierre": a word joined by a hyphen is one field */
	for (i = 1; i + 1 < nt; i++)
		if (tok[i].kind == CVB_RT_PUNCT && base[tok[i].b] == '-' && tok[i].e == tok[i].b + 1 &&
		    !(tok[i].flags & CVB_RT_SPACE) && !(tok[i + 1].flags & CVB_RT_SPACE) &&
		    tok[i - 1].kind == CVB_RT_WORD && tok[i + 1].kind == CVB_RT_WORD &&
		    isalpha((unsigned char)base[tok[i - 1].e - 1]) && isalpha((unsigned char)base[tok[i + 1].b]) &&
		    (lab[i - 1] == CVB_RL_AUTHOR || lab[i - 1] == CVB_RL_EDITOR))
			lab[i] = lab[i + 1] = lab[i - 1];

}

static void
fix_initial_end(struct rp *r, const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i;

	/* "and T. Moto-oka. Title": names that end on an initial go on to a
	 * family name; where the model ended them there, the name grammar
	 * reads on (a few tokens, up to a full stop or comma) */
	for (i = 2; i + 1 < nt; i++)
		if (lab[i - 1] == CVB_RL_AUTHOR && lab[i] != CVB_RL_AUTHOR && tok[i - 1].kind == CVB_RT_PUNCT &&
		    base[tok[i - 1].b] == '.' && tok[i - 2].e - tok[i - 2].b == 1 &&
		    isupper((unsigned char)base[tok[i - 2].b])) {
			int a = i - 1, end, n2, oth, k;
			enum style st;

			while (a > 0 && lab[a - 1] == CVB_RL_AUTHOR)
				a--;
			/* the next word, with what is glued to it, up to a full stop or comma */
			for (k = i + 1; k < nt && k < i + 6 && !(tok[k].flags & CVB_RT_SPACE) &&
			    base[tok[k].b] != '.' && base[tok[k].b] != ','; k++)
				;
			if (k >= nt || (base[tok[k].b] != '.' && base[tok[k].b] != ','))
				break;
			end = cvb_rp_authors(r, tok[a].b, tok[k].e, r->au, MAXNAME, &n2, &oth, &st);
			if (n2 == 0 || end < tok[k].b)
				break;
			for (end = k, k = i; k < end; k++)
				lab[k] = CVB_RL_AUTHOR;
			break;
		}
}

/*
 * A reference has one title ("Overpopulation and Art. In John Cage:
 * Composed in America, edited by ...").  Where the tokens labelled title
 * make two runs or more set apart by two words or more of other parts, the
 * first run is the title.  A later run is the container where no token is
 * labelled one, the editors where it follows them, and otherwise no field
 * (a run glued to the title's would make it wrong in any case).
 */
static void
fix_title_runs(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int rb[16], re[16], nr, i, r, cont = 0;

	for (i = 0; i < nt; i++)
		cont |= lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL;
	if ((nr = label_runs(base, tok, nt, lab, CVB_RL_TITLE, false, rb, re)) < 0)
		return;
	for (r = 1; r < nr; r++) {
		int to = CVB_RL_OTHER;

		for (i = rb[r] - 1; i >= 0 && !tok_alpha(base, &tok[i]); i--)
			;
		if (!cont)
			to = CVB_RL_CONTAINER;
		else if (i >= 0 && lab[i] == CVB_RL_EDITOR)
			to = CVB_RL_EDITOR;
		for (i = rb[r]; i <= re[r]; i++)
			if (lab[i] == CVB_RL_TITLE)
				lab[i] = to;
	}
}

/* Is a token labelled k next to the tokens b..e, with no word between? */
static bool
run_next_to(const char *base, const struct cvb_reftok *tok, int nt, const int *lab, int b, int e, int k)
{
	int i;

	for (i = b - 1; i >= 0 && !tok_alpha(base, &tok[i]) && lab[i] != k; i--)
		;
	if (i >= 0 && lab[i] == k)
		return true;
	for (i = e + 1; i < nt && !tok_alpha(base, &tok[i]) && lab[i] != k; i++)
		;
	return i < nt && lab[i] == k;
}

/*
 * A reference has one place of publication and one publisher ("Authority in
 * Byzantine Provincial Society. Cambridge: Cambridge University Press, 2004.
 * Reprint, Cambridge: ...", "(Calif., Aug. 21-24). ACM, New York").  Where
 * the tokens labelled k make two runs or more set apart by two words or more
 * of other parts, the run next to the other of the two (publisher, place) is
 * the field, or else the last run; the others are no field.
 */
static void
fix_one_run(const char *base, const struct cvb_reftok *tok, int nt, int *lab, int k, int partner)
{
	int rb[16], re[16], nr, i, r, keep = -1;

	if ((nr = label_runs(base, tok, nt, lab, k, false, rb, re)) < 2)
		return;
	for (r = 0; r < nr; r++)
		if (run_next_to(base, tok, nt, lab, rb[r], re[r], partner))
			keep = r;
	if (keep < 0)
		keep = nr - 1;
	for (r = 0; r < nr; r++)
		if (r != keep)
			for (i = rb[r]; i <= re[r]; i++)
				if (lab[i] == k)
					lab[i] = CVB_RL_OTHER;
}
/* Is token t the word that joins the last name of a list ("and", "&",
 * "und"; the name grammar's)? */
static bool
name_and(const char *base, const struct cvb_reftok *t)
{
	return cvb_rp_and_word(base + t->b, t->e - t->b);
}

/*
 * "A. Michael Berman, and John Schmalzel. A CS1 Maze Lab ...", "F. Jahanian
 * and Al Mok. Safety analysis ...": the author list ends early and the
 * title opens with the last names.  Where the list goes on ("and" ends it, or
 * the title opens with "and") and the title has a full stop or
 * closing bracket after one to three capitalised words, then three words or
 * more, the words up to the stop are the authors'.
 */
static void
fix_title_names(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, a, k, j, w = 0, caps = 0, rest = 0, goes_on;

	for (i = 0; i < nt && lab[i] != CVB_RL_TITLE; i++)
		;
	for (a = i - 1; a >= 0 && !tok_alpha(base, &tok[a]); a--)
		;
	if (i >= nt || a < 0 || lab[a] != CVB_RL_AUTHOR)
		return;
	goes_on = name_and(base, &tok[a]) || name_and(base, &tok[i]);
	if (!goes_on)
		return;
	for (k = i; k < nt && lab[k] == CVB_RL_TITLE; k++) {
		if (tok_is(base, &tok[k], '.') || tok_is(base, &tok[k], ')'))
			break;
		if (!tok_alpha(base, &tok[k]))
			continue;
		if (++w > 3)
			return;
		if (isupper((unsigned char)base[tok[k].b]))
			caps++;
		else if (!name_and(base, &tok[k]))
			return;
	}
	if (k >= nt || lab[k] != CVB_RL_TITLE || caps == 0)
		return;
	for (j = k + 1; j < nt && lab[j] == CVB_RL_TITLE; j++)
		rest += tok_alpha(base, &tok[j]);
	if (rest < 3)
		return;
	for (j = i; j <= k; j++)
		lab[j] = CVB_RL_AUTHOR;
}

/*
 * "Edited by Philip Schaff", "ed. by Mary Louise Lord", "Hg. Hans Joachim
 * Schneider": names after a word that says they edited the work are its
 * editors, where the model labelled no editor.  The name grammar says where
 * the names end.  "Ed." with no "by" must open a sentence or a bracket and
 * be followed by a capital, not follow a number ("2nd Ed.", "Vol. 2 Ed.").
 */
static void
fix_edited_by(struct rp *r, const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, s, k, n, oth, end;
	enum style st;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_EDITOR)
			return;
	for (i = 0; i < nt; i++) {
		s = -1;
		if (tok[i].kind != CVB_RT_WORD)
			continue;
		if (tok_word(base, &tok[i], "edited") && i + 1 < nt && tok_word(base, &tok[i + 1], "by"))
			s = i + 2;
		else if ((tok_word(base, &tok[i], "ed") || tok_word(base, &tok[i], "eds")) && i + 2 < nt &&
		    tok_is(base, &tok[i + 1], '.') && tok_word(base, &tok[i + 2], "by"))
			s = i + 3;
		else if ((tok_word(base, &tok[i], "ed") || tok_word(base, &tok[i], "hg") ||
		    tok_word(base, &tok[i], "hrsg")) && isupper((unsigned char)base[tok[i].b]) &&
		    i + 2 < nt && tok_is(base, &tok[i + 1], '.') && tok[i + 2].kind == CVB_RT_WORD &&
		    isupper((unsigned char)base[tok[i + 2].b]) &&
		    !(i > 0 && (isdigit((unsigned char)base[tok[i - 1].e - 1]) || tok[i - 1].kind != CVB_RT_PUNCT)))
			s = i + 2;
		if (s < 0 || s >= nt)
			continue;
		end = cvb_rp_authors(r, tok[s].b, (int)len, r->au, MAXNAME, &n, &oth, &st);
		if (n == 0)
			continue;
		for (k = s; k < nt && tok[k].e <= end; k++)
			;
		if (k == s)
			continue;
		for (; i < k; i++)
			lab[i] = CVB_RL_EDITOR;
		return;
	}
}

/*
 * "Self-Organizing Maps and its Application 2007 Springer Japan", "... of a
 * plethysmogram 1993 Cardiol 23 207--217": where no token is labelled a date,
 * the reference's only year, standing alone inside the title (after a word,
 * a full stop or a dash, not between full stops: "Agency (EPA). 2006. Data
 * Quality ..." is a date after names) is the date, and the title ends before
 * it; the words after it, up to the title's end, are the container where
 * none is labelled, and no field otherwise.
 */
static void
fix_year_in_title(const char *base, size_t len, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, cont = 0;
	char sf;
	int mo;

	for (i = 0; i < nt; i++) {
		if (lab[i] == CVB_RL_DATE)
			return;
		cont |= lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL;
	}
	for (i = 1; i < nt; i++) {
		if (lab[i] != CVB_RL_TITLE || lab[i - 1] != CVB_RL_TITLE || !tok_year(base, &tok[i]) ||
		    !(tok[i].flags & CVB_RT_SPACE) || !(tok[i - 1].kind == CVB_RT_WORD ||
		    (tok_is(base, &tok[i - 1], '.') && !(i + 1 < nt && tok_is(base, &tok[i + 1], '.'))) ||
		    (tok_is(base, &tok[i - 1], '-') && i >= 2 && !is_digit(base[tok[i - 2].b]))) ||
		    cvb_rp_year_in(base, tok[i].b, tok[i].e, &sf, &mo) == 0)
			continue;
		/* after it: the title's end, a full stop or comma, or a capital
		 * or number that opens the venue ("Planck 2015 results", "the
		 * 1980s", "(IUPAC Recommendations 2011)" stay the title's) */
		if (i + 1 < nt && lab[i + 1] == CVB_RL_TITLE &&
		    !(tok_is(base, &tok[i + 1], '.') || tok_is(base, &tok[i + 1], ',') ||
		    (tok[i + 1].kind == CVB_RT_WORD && (tok[i + 1].flags & CVB_RT_SPACE) &&
		    (isupper((unsigned char)base[tok[i + 1].b]) || is_digit(base[tok[i + 1].b])))))
			continue;
		if (i + 1 < nt && lab[i + 1] != CVB_RL_TITLE && tok[i + 1].kind == CVB_RT_PUNCT &&
		    !(tok[i + 1].flags & CVB_RT_SPACE) && !tok_is(base, &tok[i + 1], '.') &&
		    !tok_is(base, &tok[i + 1], ','))
			continue;
		/* the reference's only year ("The 2025 Los Angeles Wildfires ...
		 * medRxiv. 2025." keeps its title) */
		for (k = 0; k < nt; k++)
			if (k != i && tok_year(base, &tok[k]) &&
			    cvb_rp_year_in(base, tok[k].b, tok[k].e, &sf, &mo) != 0)
				break;
		if (k < nt)
			return;
		lab[i] = CVB_RL_DATE;
		/* "..., and Andrew Genes 1976 Geology of ...": a title that opens
		 * with "and" is the last names; the year follows them, and the
		 * title it */
		for (k = i - 1; k > 0 && lab[k - 1] == CVB_RL_TITLE; k--)
			;
		while (k < i && !tok_alpha(base, &tok[k]) && !tok_is(base, &tok[k], '&'))
			k++;
		if (name_and(base, &tok[k]) || tok_is(base, &tok[k], '&')) {
			for (; k < i; k++)
				lab[k] = CVB_RL_AUTHOR;
			return;
		}
		for (k = i + 1; k < nt && lab[k] == CVB_RL_TITLE; k++)
			lab[k] = cont ? CVB_RL_OTHER : CVB_RL_CONTAINER;
		return;
	}
	(void)len;
}

/* The places of data/text-places.txt (sorted bytewise), counted once. */
static size_t nplaces;
static pthread_once_t places_once = PTHREAD_ONCE_INIT;

static void
count_places(void)
{
	while (cvb_text_places[nplaces] != NULL)
		nplaces++;
}

static int
place_cmp(const void *key, const void *elt)
{
	return strcmp(key, *(const char *const *)elt);
}

/* Are the tokens b..e, as written (one space where there is space), a
 * place of data/text-places.txt? */
static bool
place_known(const char *base, const struct cvb_reftok *tok, int b, int e)
{
	char w[64];
	size_t n = 0;
	int k;

	pthread_once(&places_once, count_places);
	for (k = b; k <= e; k++) {
		size_t l = (size_t)(tok[k].e - tok[k].b);

		if (n + l + 2 > sizeof(w))
			return false;
		if (k > b && (tok[k].flags & CVB_RT_SPACE))
			w[n++] = ' ';
		memcpy(w + n, base + tok[k].b, l);
		n += l;
	}
	w[n] = '\0';
	return bsearch(w, cvb_text_places, nplaces, sizeof(cvb_text_places[0]), place_cmp) != NULL;
}

/* Words of a publisher's name ("Princeton University Press 1988" is no place) */
static const char *const publisher_words[] = { "press", "university", "univ", "verlag", "publishers",
	"publishing", "publications", "books", "company", "co", "inc", "ltd", "editions", "editore",
	"editorial", "society", "institute", "sons", NULL };

/* Does token t part two fields (",", ";", ":", ")", ".")? */
static bool
field_sep(const char *base, const struct cvb_reftok *t)
{
	return tok_is(base, t, ',') || tok_is(base, t, ';') || tok_is(base, t, ':') ||
	    tok_is(base, t, ')') || tok_is(base, t, '.');
}

/*
 * "Homerica, Ithaca 1998, pp. 137-149", "Columbus Ohio 1987", "Dublin,
 * 1997", "Edinburgh: T & T Clark": a known place of publication
 * (data/text-places.txt), and up to two capitalised words after it ("Ohio",
 * "Mass.", "und Leipzig"), between a field's end and a year (after a comma or not) or a
 * colon and a capital, is the place, where no other token is labelled one.
 * After the colon, up to a field's end, is the publisher, where the model
 * labelled none ("Zürich: Chronos.").
 */
static void
fix_place_year(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, j, best;
	char sf;
	int mo;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_LOCATION)
			return;
	for (i = 2; i < nt; i++) {
		int yr = lab[i] == CVB_RL_DATE && (tok[i].flags & CVB_RT_SPACE) && is_digit(base[tok[i].b]) &&
		    cvb_rp_year_in(base, tok[i].b, tok[i].e, &sf, &mo) != 0;
		int cy = tok_is(base, &tok[i], ',') && i + 1 < nt && lab[i + 1] == CVB_RL_DATE &&
		    is_digit(base[tok[i + 1].b]) && cvb_rp_year_in(base, tok[i + 1].b, tok[i + 1].e, &sf, &mo) != 0;
		int co = tok_is(base, &tok[i], ':') && i + 1 < nt && tok[i + 1].kind == CVB_RT_WORD &&
		    tok_capital(base, &tok[i + 1]);

		if (!yr && !cy && !co)
			continue;
		best = -1;
		for (k = i - 1; k >= 1 && k >= i - 7; k--) {
			int words = 0;

			if (lab[k] == CVB_RL_AUTHOR || lab[k] == CVB_RL_EDITOR || lab[k] == CVB_RL_DATE ||
			    (tok[k].kind == CVB_RT_PUNCT && !tok_is(base, &tok[k], '.') &&
			    !tok_is(base, &tok[k], '-')))
				break;
			if (tok[k].kind != CVB_RT_WORD || !field_sep(base, &tok[k - 1]) ||
			    !tok_capital(base, &tok[k]))
				continue;
			/* the place, then words of its region */
			for (j = k; j < i && j < k + 4 && !place_known(base, tok, k, j); j++)
				;
			if (j >= i || j >= k + 4)
				continue;
			for (j++; j < i; j++)
				if (tok[j].kind == CVB_RT_WORD && !name_and(base, &tok[j]) &&
				    (++words > 2 || !tok_alpha(base, &tok[j]) ||
				    !tok_capital(base, &tok[j]) ||
				    cvb_rp_word_is(base + tok[j].b, tok[j].e - tok[j].b, publisher_words)))
					break;
			if (j == i)
				best = k;
		}
		if (best < 0)
			continue;
		for (k = best; k < i; k++)
			lab[k] = CVB_RL_LOCATION;
		/* "Zürich: Chronos.": after the colon, the publisher, where
		 * none is labelled and a venue or title ran on over it */
		if (co) {
			int pub = 0, w = 0, e;

			for (k = 0; k < nt; k++)
				pub |= lab[k] == CVB_RL_PUBLISHER;
			for (e = i + 1; e < nt && !field_sep(base, &tok[e]) && lab[e] != CVB_RL_DATE &&
			    !is_digit(base[tok[e].b]); e++)
				w += tok[e].kind == CVB_RT_WORD;
			if (!pub && w <= 6 && (lab[i + 1] == CVB_RL_CONTAINER || lab[i + 1] == CVB_RL_TITLE ||
			    lab[i + 1] == CVB_RL_OTHER || lab[i + 1] == CVB_RL_JOURNAL))
				for (k = i + 1; k < e; k++)
					lab[k] = CVB_RL_PUBLISHER;
		}
		return;
	}
}

/*
 * "Almquist and Wiksells, Stockholm", "University of Bremen, Bremen": a
 * publisher, venue or title run that ends with a comma and a known place of
 * publication ends before it, and the place is the place, where no token is
 * labelled one.
 */
static void
fix_place_tail(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, j, k, e;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_LOCATION)
			return;
	for (i = 0; i < nt; i = e + 1) {
		int l = lab[i];

		for (e = i; e + 1 < nt && lab[e + 1] == l; e++)
			;
		if (l != CVB_RL_PUBLISHER && l != CVB_RL_CONTAINER && l != CVB_RL_JOURNAL &&
		    l != CVB_RL_TITLE)
			continue;
		/* the run's end without its full stop */
		for (k = e; k > i && (tok_is(base, &tok[k], '.') || tok_is(base, &tok[k], ',')); k--)
			;
		for (j = k; j > i + 1 && j > k - 3; j--)
			if (tok_is(base, &tok[j - 1], ',') && tok[j].kind == CVB_RT_WORD &&
			    place_known(base, tok, j, k)) {
				int q;

				for (q = j; q <= k; q++)
					lab[q] = CVB_RL_LOCATION;
				return;
			}
	}
}

/*
 * "Photovoltaic Materials, Imperial College Press", "Simon and Schuster",
 * "PhD thesis, Duke University": a publisher that the model began a word or
 * two late.  Where one or two capitalised words (or "and", "&", "of") stand
 * between a comma, full stop, colon or bracket and the publisher's first
 * word, with no punctuation, they are the publisher's.
 */
static void
fix_publisher_start(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, w;

	for (i = 1; i < nt; i++) {
		if (lab[i] != CVB_RL_PUBLISHER || lab[i - 1] == CVB_RL_PUBLISHER || tok[i].kind != CVB_RT_WORD)
			continue;
		for (k = i, w = 0; k > 0 && w < 2 && tok[k - 1].kind == CVB_RT_WORD &&
		    lab[k - 1] != CVB_RL_AUTHOR && lab[k - 1] != CVB_RL_EDITOR && lab[k - 1] != CVB_RL_DATE &&
		    lab[k - 1] != CVB_RL_LOCATION &&
		    (isupper((unsigned char)base[tok[k - 1].b]) || name_and(base, &tok[k - 1]) ||
		    tok_word(base, &tok[k - 1], "of")) && !is_digit(base[tok[k - 1].b]); k--)
			w++;
		if (k == i || k == 0 || !(field_sep(base, &tok[k - 1]) || tok_is(base, &tok[k - 1], '(')))
			continue;
		for (; k < i; k++)
			lab[k] = CVB_RL_PUBLISHER;
	}
}

/* Words that open the credit of a translation ("Translated by ...",
 * "trans. ...", "Übersetzt von ...", "Traduction de ...") */
static const char *const translated_words[] = { "translated", "trans", "transl", "tr",
	"\xC3\xBC" "bersetzt", "ubersetzt", "\xC3\xBC" "bers", "traduction", "traduit", "traducci\xC3\xB3n",
	"tradu\xC3\xA7\xC3\xA3o", "traduzione", "tradotto", NULL };

/*
 * "A Thousand Plateaus: Capitalism and Schizophrenia. Translated by Brian
 * Massumi.": the title ends before the credit of its translation, after a
 * full stop or comma; the credit is no field.
 */
static void
fix_title_translated(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k;

	for (i = 2; i < nt; i++) {
		if (lab[i] != CVB_RL_TITLE || lab[i - 2] != CVB_RL_TITLE || tok[i].kind != CVB_RT_WORD ||
		    !(tok_is(base, &tok[i - 1], '.') || tok_is(base, &tok[i - 1], ',')) ||
		    !cvb_rp_word_is(base + tok[i].b, tok[i].e - tok[i].b, translated_words) ||
		    i + 1 >= nt || !(tok_word(base, &tok[i + 1], "by") || tok_word(base, &tok[i + 1], "von") ||
		    tok_word(base, &tok[i + 1], "de") || tok_word(base, &tok[i + 1], "di") ||
		    tok_is(base, &tok[i + 1], '.')))
			continue;
		for (k = i - 1; k < nt && lab[k] == CVB_RL_TITLE; k++)
			lab[k] = CVB_RL_OTHER;
		return;
	}
}

/*
 * "Am J Physiol 2000; 280, pages H449-H508", "J Dent 2013;41:e24-e30", "Ann
 * Oncol 2013;24 Suppl 6:vi51-6": the letters glued to the front of the first
 * page are the page's.
 */
static void
fix_page_letters(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, l;

	for (i = 1; i < nt; i++) {
		if (lab[i] != CVB_RL_PAGE || lab[i - 1] == CVB_RL_PAGE || (tok[i].flags & CVB_RT_SPACE) ||
		    !is_digit(base[tok[i].b]) || tok[i - 1].kind != CVB_RT_WORD)
			continue;
		l = tok[i - 1].e - tok[i - 1].b;
		if (l < 1 || l > 3 || !tok_alpha(base, &tok[i - 1]) ||
		    cvb_rp_word_is(base + tok[i - 1].b, l, cvb_ref_page_words) ||
		    (i >= 2 && tok[i - 2].kind == CVB_RT_WORD && !(tok[i - 1].flags & CVB_RT_SPACE)))
			continue;
		lab[i - 1] = CVB_RL_PAGE;
	}
}

/* Is token t a character of a ditto mark ("———", "______", "--")? */
static bool
ditto_char(const char *base, const struct cvb_reftok *t)
{
	const char *w = base + t->b;
	int n = t->e - t->b;

	return t->kind == CVB_RT_PUNCT && ((n == 1 && (*w == '-' || *w == '_')) ||
	    (n == 3 && (memcmp(w, "\xE2\x80\x94", 3) == 0 || memcmp(w, "\xE2\x80\x93", 3) == 0)));
}

/*
 * "———. Watt. Paris: Olympia Press, 1953.": a ditto mark and its full stop
 * stand for the authors of the entry before; the words after it are no
 * names but the title (where none is labelled).
 */
static void
fix_ditto(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, title = 0;

	for (i = 0; i < nt && ditto_char(base, &tok[i]); i++)
		;
	if (i < 2 || i >= nt || !tok_is(base, &tok[i], '.'))
		return;
	for (k = 0; k < nt; k++)
		title |= lab[k] == CVB_RL_TITLE;
	for (k = i + 1; k < nt && lab[k] == CVB_RL_AUTHOR; k++)
		lab[k] = title ? CVB_RL_OTHER : CVB_RL_TITLE;
}

/*
 * "Fragione, G., Loeb, A., 2017, New Astronomy, 55, 32-38": a reference with
 * no venue but a volume and pages has its journal right before the volume;
 * a place or publisher there is the journal.
 */
static void
fix_journal_before_volume(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, b, vol = -1, page = 0;

	for (i = 0; i < nt; i++) {
		if (lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL)
			return;
		if (lab[i] == CVB_RL_VOLUME && vol < 0)
			vol = i;
		page |= lab[i] == CVB_RL_PAGE;
	}
	if (vol < 1 || !page)
		return;
	for (k = vol - 1; k > 0 && tok[k].kind == CVB_RT_PUNCT && lab[k] != CVB_RL_PUBLISHER &&
	    lab[k] != CVB_RL_LOCATION; k--)
		;
	if (lab[k] != CVB_RL_PUBLISHER && lab[k] != CVB_RL_LOCATION)
		return;
	for (b = k; b > 0 && lab[b - 1] == lab[k]; b--)
		;
	/* the run is the reference's only place or publisher, and no known
	 * place ("Hamburg ,V .4") or publisher's name ("John Wiley and Sons") */
	for (i = 0; i < nt; i++)
		if (((i < b || i > k) && (lab[i] == CVB_RL_PUBLISHER || lab[i] == CVB_RL_LOCATION)) ||
		    (i >= b && i <= k && tok[i].kind == CVB_RT_WORD &&
		    cvb_rp_word_is(base + tok[i].b, tok[i].e - tok[i].b, publisher_words)))
			return;
	for (i = k; i > b && tok[i].kind == CVB_RT_PUNCT; i--)
		;
	if (place_known(base, tok, b, i))
		return;
	for (i = b; i <= k; i++)
		lab[i] = CVB_RL_JOURNAL;
}

/*
 * "Lewis, D. (1973). Counterfactuals. Harvard University Press", "Horn, B.
 * (1986). Robot Vision, MIT Press": a reference with no title whose
 * publisher holds a full stop, comma or bracket, with a publisher's word
 * after it: the words before are the title.
 */
static void
fix_title_in_publisher(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, b, e, k, j;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_TITLE || lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL)
			return;
	for (b = 0; b < nt && lab[b] != CVB_RL_PUBLISHER; b++)
		;
	for (e = b; e + 1 < nt && lab[e + 1] == CVB_RL_PUBLISHER; e++)
		;
	for (k = b + 1; k < e; k++) {
		int pw = 0;

		if (!tok_is(base, &tok[k], '.') && !tok_is(base, &tok[k], ',') && !tok_is(base, &tok[k], '('))
			continue;
		/* not the full stop of an abbreviation ("Richard D. Irwin", "Uni. Press") */
		if (tok_is(base, &tok[k], '.') && isupper((unsigned char)base[tok[k - 1].b]) &&
		    tok[k - 1].e - tok[k - 1].b <= 4)
			continue;
		for (j = k + 1; j <= e; j++)
			if (tok[j].kind == CVB_RT_WORD &&
			    cvb_rp_word_is(base + tok[j].b, tok[j].e - tok[j].b, publisher_words))
				pw = 1;
		if (!pw)
			continue;
		for (j = b; j < k; j++)
			lab[j] = CVB_RL_TITLE;
		lab[k] = CVB_RL_OTHER;
		return;
	}
}

/*
 * "Kahneman, D. (2011). Thinking, fast and slow. Farrar, Straus and
 * Giroux.": a title that runs, over a full stop, into two to six
 * capitalised words (or "and", "of", "the") that end the reference, with no
 * publisher, venue, volume or page labelled, ends at the stop; the words are
 * the publisher.  (One word may be a journal: "... InSAR. Geomorphology.")
 */
static void
fix_title_publisher_end(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, b, e, k, j, w, ok;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_PUBLISHER || lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL ||
		    lab[i] == CVB_RL_VOLUME || lab[i] == CVB_RL_PAGE || lab[i] == CVB_RL_ISSUE)
			return;
	if (!one_title_run(tok, nt, lab, &b, &e))
		return;
	/* only punctuation after the title */
	for (i = e + 1; i < nt; i++)
		if (tok[i].kind != CVB_RT_PUNCT)
			return;
	while (e > b && tok[e].kind == CVB_RT_PUNCT)
		e--;
	/* the last full stop inside, with two words or more before it */
	for (k = e - 1; k > b + 1; k--)
		if (tok_is(base, &tok[k], '.'))
			break;
	if (k <= b + 1 || !(tok[k + 1].flags & CVB_RT_SPACE) || !tok_alpha(base, &tok[k - 1]) ||
	    tok[k - 1].e - tok[k - 1].b < 3 ||
	    (isupper((unsigned char)base[tok[k - 1].b]) && tok[k - 1].e - tok[k - 1].b <= 4))
		return;
	for (j = k + 1, w = 0, ok = 1; j <= e; j++) {
		if (tok[j].kind != CVB_RT_WORD)
			continue;
		w++;
		if (!(isupper((unsigned char)base[tok[j].b]) || name_and(base, &tok[j]) ||
		    tok_word(base, &tok[j], "of") || tok_word(base, &tok[j], "the")))
			ok = 0;
	}
	if (!ok || w < 2 || w > 6)
		return;
	lab[k] = CVB_RL_OTHER;
	for (j = k + 1; j <= e; j++)
		lab[j] = CVB_RL_PUBLISHER;
}

/*
 * "Graph neural networks for molecules. J. Smith, K. Lee. NeurIPS 2021.":
 * a venue known by its acronym (data/text-venues.tsv) that ends a run of
 * names is the venue, not a name.
 */
static void
fix_venue_after_names(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, v;

	for (i = 1; i < nt; i++) {
		int l = lab[i];

		if ((l != CVB_RL_AUTHOR && l != CVB_RL_EDITOR) || tok[i].kind != CVB_RT_WORD ||
		    (i + 1 < nt && lab[i + 1] == l && tok[i + 1].kind == CVB_RT_WORD) ||
		    !(tok_is(base, &tok[i - 1], '.') || tok_is(base, &tok[i - 1], ',')) ||
		    tok[i].e - tok[i].b < 3 || (v = cvb_rp_venue_in(base + tok[i].b, tok[i].e - tok[i].b)) < 0 ||
		    strlen(cvb_text_venues[v][0]) != (size_t)(tok[i].e - tok[i].b))
			continue;
		lab[i] = CVB_RL_CONTAINER;
		if (i + 1 < nt && lab[i + 1] == l && tok[i + 1].kind == CVB_RT_PUNCT)
			lab[i + 1] = CVB_RL_OTHER;
	}
}

/*
 * "pages 100–108. PMLR.": a page run that goes on, after a full stop, into
 * words ends at the stop; a capitalised word is the publisher where none is
 * labelled.
 */
static void
fix_page_tail(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, k, pub = 0;

	for (i = 0; i < nt; i++)
		pub |= lab[i] == CVB_RL_PUBLISHER;
	for (i = 1; i + 1 < nt; i++) {
		if (lab[i] != CVB_RL_PAGE || !tok_is(base, &tok[i], '.') || lab[i - 1] != CVB_RL_PAGE ||
		    !is_digit(base[tok[i - 1].e - 1]) || lab[i + 1] != CVB_RL_PAGE ||
		    !tok_alpha(base, &tok[i + 1]) || tok[i + 1].e - tok[i + 1].b < 2 ||
		    !(tok[i + 1].flags & CVB_RT_SPACE) ||
		    cvb_rp_word_is(base + tok[i + 1].b, tok[i + 1].e - tok[i + 1].b, cvb_ref_page_words))
			continue;
		lab[i] = CVB_RL_OTHER;
		for (k = i + 1; k < nt && lab[k] == CVB_RL_PAGE; k++)
			lab[k] = !pub && isupper((unsigned char)base[tok[i + 1].b]) ? CVB_RL_PUBLISHER : CVB_RL_OTHER;
		return;
	}
}

/* Words that name a thesis */
static const char *const thesis_words[] = { "thesis", "th\xC3\xA8se", "these", "dissertation",
	"phd", "diss", "doctoral", "habilitation", "memoire", "m\xC3\xA9moire", "tesis", "tesi", NULL };

/*
 * "Lee K, Smith J (2015) Urban heat islands. Environ Res Lett 10:044001": a
 * reference with names and no title, whose words between the names (and
 * date) and the venue, publisher or place were left to no field: those
 * words, up to a full stop or bracket, are the title.
 */
static void
fix_other_title(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, b, e, w = 0, names = 0;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_TITLE)
			return;
	/* past the names and the date, and what no field holds between */
	for (i = 0; i < nt && (lab[i] == CVB_RL_AUTHOR || lab[i] == CVB_RL_EDITOR || lab[i] == CVB_RL_DATE ||
	    (lab[i] == CVB_RL_OTHER && tok[i].kind == CVB_RT_PUNCT)); i++)
		names |= lab[i] == CVB_RL_AUTHOR || lab[i] == CVB_RL_EDITOR;
	if (!names || i >= nt || lab[i] != CVB_RL_OTHER)
		return;
	for (b = i, e = i; e < nt && lab[e] == CVB_RL_OTHER && !tok_is(base, &tok[e], '.') &&
	    !tok_is(base, &tok[e], '[') && !tok_is(base, &tok[e], '('); e++)
		w += tok_alpha(base, &tok[e]);
	/* a venue, publisher or place, or the end, after it */
	for (i = e; i < nt && (lab[i] == CVB_RL_OTHER || lab[i] == CVB_RL_NOTE || lab[i] == CVB_RL_GENRE); i++)
		;
	/* after the names' or date's full stop or bracket ("..., LCTPC
	 * Collaboration, Phys. Procedia", "(Particle Data Group)" are no title),
	 * not a thesis ("Thèse, Université de Nancy") */
	if (w < 2 || b == 0 || !(tok_is(base, &tok[b - 1], '.') || tok_is(base, &tok[b - 1], ')')) ||
	    !(i >= nt || lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL ||
	    lab[i] == CVB_RL_PUBLISHER || lab[i] == CVB_RL_LOCATION) ||
	    tok_word(base, &tok[b], "in") || !tok_capital(base, &tok[b]) ||
	    cvb_rp_word_is(base + tok[b].b, tok[b].e - tok[b].b, thesis_words))
		return;
	for (i = b; i < e; i++)
		lab[i] = CVB_RL_TITLE;
}

/*
 * "Urban heat islands [Poster presentation]", "A study of things [Doctoral
 * dissertation, University of X]", "Outing age [Report]": a bracket right
 * after the title that says what the work is, in up to eight words from a
 * capital, is its genre.  A title the model left a note before it is the
 * title.
 */
static void
fix_title_genre_bracket(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, o, c, w, b, title = 0;

	for (i = 0; i < nt; i++)
		title |= lab[i] == CVB_RL_TITLE;
	for (o = 1; o + 1 < nt; o++) {
		int paren = tok_is(base, &tok[o], '(');

		/* "(Master's thesis)", "(Doctoral dissertation)": a bracket of
		 * APA's earlier editions, only with a thesis's words */
		if (paren) {
			for (c = o + 1; c < nt && c <= o + 4 && !tok_is(base, &tok[c], ')'); c++)
				if (tok[c].kind == CVB_RT_WORD &&
				    cvb_rp_word_is(base + tok[c].b, tok[c].e - tok[c].b, thesis_words))
					break;
			if (c >= nt || c > o + 4 || tok_is(base, &tok[c], ')'))
				continue;
		}
		if ((!paren && !tok_is(base, &tok[o], '[')) || tok[o - 1].kind != CVB_RT_WORD ||
		    (lab[o - 1] != CVB_RL_TITLE && !(lab[o - 1] == CVB_RL_NOTE && !title)) ||
		    tok[o + 1].kind != CVB_RT_WORD || !isupper((unsigned char)base[tok[o + 1].b]))
			continue;
		for (c = o + 1, w = 0; c < nt && !tok_is(base, &tok[c], paren ? ')' : ']') && w <= 8; c++)
			w += tok[c].kind == CVB_RT_WORD;
		if (c >= nt || !tok_is(base, &tok[c], paren ? ')' : ']') || w > 8)
			continue;
		/* not inside quotes ("“Optical frequency conversion [Invited],”") */
		for (b = c + 1; b < nt && b <= c + 2 && tok[b].kind == CVB_RT_PUNCT; b++)
			if (strchr("\"'", base[tok[b].b]) != NULL || (unsigned char)base[tok[b].b] == 0xE2)
				break;
		if (b < nt && b <= c + 2 && tok[b].kind == CVB_RT_PUNCT)
			continue;
		if (lab[o - 1] == CVB_RL_NOTE)
			for (b = o - 1; b >= 0 && lab[b] == CVB_RL_NOTE; b--)
				lab[b] = CVB_RL_TITLE;
		for (; o <= c; o++)
			lab[o] = CVB_RL_GENRE;
		return;
	}
}

/* Words that open a CV's remark on how a paper was presented or received
 * ("(Spotlight)", "(Oral presentation)", "(Best Paper Award)") */
static const char *const remark_words[] = { "spotlight", "oral", "poster", "invited", "keynote",
	"plenary", "contributed", "highlight", "featured", "selected", "best", "outstanding",
	"honorable", "honourable", "award", "nominee", "finalist", "demo", "long", "short", "full",
	NULL };

/*
 * "..., 2021. (Spotlight)": a bracket that ends the reference and says how
 * the paper was presented or received is a note.
 */
static void
fix_final_remark(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int e, o, w = 0;

	for (e = nt - 1; e >= 0 && tok[e].kind == CVB_RT_PUNCT && !tok_is(base, &tok[e], ')'); e--)
		;
	if (e < 2 || !tok_is(base, &tok[e], ')'))
		return;
	for (o = e - 1; o > 0 && !tok_is(base, &tok[o], '(') && !tok_is(base, &tok[o], ')'); o--)
		w += tok[o].kind == CVB_RT_WORD;
	if (o <= 0 || !tok_is(base, &tok[o], '(') || w < 1 || w > 5 || tok[o + 1].kind != CVB_RT_WORD ||
	    !cvb_rp_word_is(base + tok[o + 1].b, tok[o + 1].e - tok[o + 1].b, remark_words))
		return;
	for (; o <= e; o++)
		lab[o] = CVB_RL_NOTE;
}

/*
 * "in Proceedings of the APS March Meeting 2020, Denver, CO (American
 * Physical Society, 2020), p. 12": a second venue, in a bracket with the
 * year after it, is the publisher (the physics journals' style for books
 * and proceedings).
 */
static void
fix_bracket_publisher(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, b, e, k, venues = 0;

	for (i = 0; i < nt; i++)
		if ((lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL) && (i == 0 || lab[i - 1] != lab[i]))
			venues++;
		else if (lab[i] == CVB_RL_PUBLISHER)
			return;
	if (venues < 2)
		return;
	for (b = 1; b < nt; b++) {
		if (!tok_is(base, &tok[b - 1], '(') || (lab[b] != CVB_RL_CONTAINER && lab[b] != CVB_RL_JOURNAL))
			continue;
		for (e = b; e + 1 < nt && lab[e + 1] == lab[b]; e++)
			;
		for (k = e + 1; k < nt && tok[k].kind == CVB_RT_PUNCT && !tok_is(base, &tok[k], ')'); k++)
			;
		if (k >= nt || lab[k] != CVB_RL_DATE)
			continue;
		while (k < nt && lab[k] == CVB_RL_DATE && !tok_is(base, &tok[k], ')'))
			k++;
		if (k >= nt || !tok_is(base, &tok[k], ')'))
			continue;
		for (k = b; k <= e; k++)
			lab[k] = CVB_RL_PUBLISHER;
		return;
	}
}

/*
 * "In: Brown A, editor. Handbook of Literacy. 2nd ed. New York: Guilford":
 * with editors and no venue labelled, the words the model left to no field
 * after the editors (and the word that says they are), up to a full stop,
 * are the venue.
 */
static void
fix_container_after_editors(const char *base, const struct cvb_reftok *tok, int nt, int *lab)
{
	int i, e, b, w = 0;

	for (i = 0; i < nt; i++)
		if (lab[i] == CVB_RL_CONTAINER || lab[i] == CVB_RL_JOURNAL)
			return;
	for (e = nt - 1; e >= 0 && lab[e] != CVB_RL_EDITOR; e--)
		;
	if (e < 0)
		return;
	/* past the cue ("editor.", "(eds.)", ", eds.") */
	for (b = e + 1; b < nt && lab[b] == CVB_RL_OTHER && (tok[b].kind == CVB_RT_PUNCT ||
	    cvb_rp_word_is(base + tok[b].b, tok[b].e - tok[b].b, cvb_ref_editor_words)); b++)
		;
	if (b >= nt || lab[b] != CVB_RL_OTHER || tok[b].kind != CVB_RT_WORD ||
	    !tok_capital(base, &tok[b]) ||
	    !tok_is(base, &tok[b - 1], '.'))
		return;
	for (e = b; e < nt && lab[e] == CVB_RL_OTHER && !tok_is(base, &tok[e], '.'); e++)
		w += tok_alpha(base, &tok[e]);
	if (w < 2)
		return;
	for (; b < e; b++)
		lab[b] = CVB_RL_CONTAINER;
}

/* The model: the context's, or the shipped one (NULL: none loads). */
const struct cvb_seq_model *
cvb_rp_model(const struct cvb_refctx *ctx)
{
	if (ctx != NULL && ctx->model != NULL)
		return ctx->model;
	pthread_once(&shipped_once, load_shipped);
	return shipped;
}

int
cvb_rp_label(const struct cvb_seq_model *m, const char *base, size_t len, size_t off,
    const struct cvb_reftok *tok, int nt, const struct cvb_refctx *ctx, struct rp *r,
    int *lab, double *conf)
{
	struct cvb_seq *x = cvb_seq_new();
	int map[64], i, L, rc = -1;

	if (x == NULL || cvb_ref_features(base, (int)len, tok, nt, x) < 0 ||
	    cvb_seq_decode(m, x, lab, conf) < 0 ||
	    emph_decode(m, x, base, (int)len, tok, nt, ctx, off, lab) < 0)
		goto out;
	/* the model's labels -> ours */
	L = cvb_seq_model_nlabels(m);
	for (i = 0; i < L && i < 64; i++) {
		const char *name = cvb_seq_model_label(m, i);
		int k;

		map[i] = CVB_RL_OTHER;
		for (k = 0; k < CVB_RL__COUNT; k++)
			if (name[0] == cvb_ref_labels[k][0] && strcmp(name, cvb_ref_labels[k]) == 0) {
				map[i] = k;
				break;
			}
	}
	for (i = 0; i < nt; i++)
		lab[i] = lab[i] < 64 ? map[lab[i]] : CVB_RL_OTHER;
	fix_identifiers(base, len, tok, nt, lab);
	fix_author_runs(base, tok, nt, lab);
	fix_editor_cue(base, len, tok, nt, lab);
	fix_title_colon(base, len, tok, nt, lab);
	fix_in_container(base, len, tok, nt, lab);
	fix_award_sentence(base, len, tok, nt, lab);
	fix_local(base, len, tok, nt, lab);
	fix_title_date(base, len, tok, nt, lab);
	fix_title_year_range(base, len, tok, nt, lab);
	fix_container_year(base, len, tok, nt, lab);
	fix_page_thousands(base, len, tok, nt, lab);
	fix_range_after_volume(base, len, tok, nt, lab);
	fix_title_first(base, len, tok, nt, lab);
	fix_title_quoted(base, len, tok, nt, lab);
	fix_title_quote_end(base, len, tok, nt, lab);
	fix_title_in(base, len, tok, nt, lab);
	fix_title_journal(base, len, tok, nt, lab);
	fix_hyphen(base, len, tok, nt, lab);
	fix_initial_end(r, base, tok, nt, lab);
	fix_title_names(base, tok, nt, lab);
	fix_edited_by(r, base, len, tok, nt, lab);
	fix_year_in_title(base, len, tok, nt, lab);
	fix_place_year(base, tok, nt, lab);
	fix_place_tail(base, tok, nt, lab);
	fix_publisher_start(base, tok, nt, lab);
	fix_title_translated(base, tok, nt, lab);
	fix_page_letters(base, tok, nt, lab);
	fix_ditto(base, tok, nt, lab);
	fix_title_in_publisher(base, tok, nt, lab);
	fix_title_publisher_end(base, tok, nt, lab);
	fix_venue_after_names(base, tok, nt, lab);
	fix_page_tail(base, tok, nt, lab);
	fix_other_title(base, tok, nt, lab);
	fix_title_genre_bracket(base, tok, nt, lab);
	fix_final_remark(base, tok, nt, lab);
	fix_bracket_publisher(base, tok, nt, lab);
	fix_container_after_editors(base, tok, nt, lab);
	fix_journal_before_volume(base, tok, nt, lab);
	fix_title_runs(base, tok, nt, lab);
	fix_one_run(base, tok, nt, lab, CVB_RL_LOCATION, CVB_RL_PUBLISHER);
	fix_one_run(base, tok, nt, lab, CVB_RL_PUBLISHER, CVB_RL_LOCATION);
	rc = 0;
out:
	cvb_seq_free(x);
	return rc;
}
