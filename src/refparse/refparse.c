/*
 * refparse.c - one reference string into one cvb_item.
 *
 * The string's tokens (reffeat.c) are labelled by the sequence model of
 * src/seq (data/refparse.crf, trained by `make train`): author, editor,
 * title, container-title, journal, publisher, location, volume, issue, page,
 * date, doi, url, arxiv, note, genre, collection-title or other.  This file
 * turns the labels into the item: a few corrections that exact recognisers
 * and the name grammar are sure of (identifier tokens, a name cut after an
 * initial, a hyphenated name, a two-digit venue year), then each labelled
 * span cleaned into its field ("pp.", "Vol.", "In", wrapping quotes and
 * brackets off), the names read by the name grammar kept from the rule
 * parser (three grammars of name lists: "J. Smith", "Smith, J." and
 * Vancouver's "Smith JA", the one that reads most names wins), the year, the
 * type from the labels, and the phrases of CVs (status, awards, patents).
 */
#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "cvb_int.h"
#include "seq/seq.h"
#include "csl/csl.h"

#define CONSUMED	'\x1f'
#define MAXTOK		512
#define MAXNAME		128

struct span { int b, e; };

struct rname {
	struct span	 fam, giv, part, suf;
	unsigned	 flags;
	struct span	 mark;
	int		 literal;
};

enum tk { TK_END, TK_WORD, TK_COMMA, TK_SEMI, TK_AND, TK_ETAL, TK_COLON,
	TK_OPEN, TK_CLOSE, TK_QUOTE, TK_OTHER };

/* word classes */
#define W_INIT		0x01	/* J.  J  J.C.  J.-P.  Ch. */
#define W_INITB		0x02	/* JC  SM  (2-3 capitals, no dot) */
#define W_CAP		0x04	/* Smith  O'Brien  Kubler-Ross */
#define W_ALLCAPS	0x08	/* SMITH */
#define W_LOW		0x10
#define W_PART		0x20	/* van der de ... */
#define W_DIGIT		0x40
#define W_DOT		0x80	/* ends in '.' */
#define W_SUFFIX	0x100	/* Jr. Sr. II III */
#define W_CAPPART	0x200	/* De Van Von ... */

struct tok {
	enum tk		 t;
	int		 b, e;		/* word without the marker */
	unsigned	 cls;
	struct span	 mark;		/* trailing marker: * † ‡ ... */
};

struct rp {
	char		*w;
	char		*o;		/* the string as it was, for the output */
	int		 n;
	struct tok	 tok[MAXTOK];
	int		 ntok;
	struct rname	 au[MAXNAME], ed[MAXNAME / 4];
	int		 nau, ned, au_others, ed_others;
	struct span	 title, cont, publ, loc, vol, iss, page, doi, url, arxiv,
			 number, edition, note;
	int		 year, month;
	char		 year_suffix;
	enum cvb_type	 type;
	int		 is_in;		/* "In ..." container */
	int		 proc;		/* proceedings-like container */
	const char	*status, *genre, *presentation, *award;
	const struct cvb_refctx *ctx;
	int		 astart;	/* where the author list starts */
};

/* ------------------------------------------------------------ characters */

static int
cp_at(const char *s, int i, int n, uint32_t *cp)
{
	return cvb_utf8_decode(s + i, (size_t)(n - i), cp);
}

/* Letter case from the shared Unicode tables (csl_util.c); scripts without
 * case (CJK, Hangul, ...) count as capitals for names. */
static bool
cp_upper(uint32_t c)
{
	return cvb_uc_isupper(c) || (c >= 0x3040 && !cvb_uc_islower(c));
}

static bool
cp_lower(uint32_t c)
{
	return cvb_uc_islower(c);
}

static bool
cp_alpha(uint32_t c)
{
	return cp_upper(c) || cp_lower(c) || (c >= 0x180 && c < 0x2000);
}

static bool
is_sp(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Is the UTF-8 sequence at s a dash (- – — ‐ ‑ −)?  Returns its length. */
static int
dash_at(const char *s, int i, int n)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i >= n)
		return 0;
	if (u[0] == '-')
		return (i + 1 < n && u[1] == '-') ? 2 : 1;
	if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95)
		return 3;
	if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92)
		return 3;
	return 0;
}

/* Opening quote at i: returns its length, and the closer in *close. */
static int
open_quote_at(const char *s, int i, int n, const char **close)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i >= n)
		return 0;
	if (u[0] == '"') {
		*close = "\"";
		return 1;
	}
	if (u[0] == '`' && i + 1 < n && u[1] == '`') {
		*close = "''";
		return 2;
	}
	if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80) {
		switch (u[2]) {
		case 0x9C: *close = "\xE2\x80\x9D"; return 3;	/* “ ” */
		case 0x9E: *close = "\xE2\x80\x9D"; return 3;	/* „ ” */
		case 0x98: *close = "\xE2\x80\x99"; return 3;	/* ‘ ’ */
		case 0x9D: *close = "\xE2\x80\x9D"; return 3;	/* ” used as opener */
		}
	}
	if (i + 1 < n && u[0] == 0xC2 && u[1] == 0xAB) {	/* « » */
		*close = "\xC2\xBB";
		return 2;
	}
	if (u[0] == '\'' && i + 1 < n && u[1] == '\'') {
		*close = "''";
		return 2;
	}
	return 0;
}

/* Marker characters of CVs: * † ‡ § ¶ # (and superscript digits). */
static int
marker_at(const char *s, int i, int n)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i >= n)
		return 0;
	if (u[0] == '*' || u[0] == '#')
		return 1;
	if (i + 2 < n && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA0 || u[2] == 0xA1))
		return 3;	/* † ‡ */
	if (i + 1 < n && u[0] == 0xC2 && (u[1] == 0xA7 || u[1] == 0xB6 || u[1] == 0xB9 ||
	    u[1] == 0xB2 || u[1] == 0xB3))
		return 2;	/* § ¶ ¹ ² ³ */
	return 0;
}

static bool
word_char_end(int c)
{
	return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' ||
	    c == ']' || c == '"' || c == '&' || c == CONSUMED || is_sp(c);
}

/* ------------------------------------------------------------- word classes */


static bool
word_eq_ci(const char *s, int len, const char *w)
{
	int i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)w[i])
			return false;
	}
	return w[len] == '\0';
}

static bool
is_particle(const char *s, int len, bool caps_ok)
{
	size_t i;

	if (len <= 0 || len > 6 || !strchr("vVdDzZtTaAbBiIeElLoOsSyYhH'", s[0]))
		return false;
	if (!caps_ok && !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 0; cvb_bt_particles[i] != NULL; i++)
		if (word_eq_ci(s, len, cvb_bt_particles[i]))
			return true;
	return false;
}

static unsigned
classify(const char *s, int len)
{
	unsigned cls = 0;
	int i, letters = 0, upper = 0, lower = 0, digits = 0, dots = 0, l;
	uint32_t c, first = 0;
	bool init_ok = true;
	int run = 0;		/* letters since the last dot or hyphen */

	if (len <= 0)
		return 0;
	if (s[len - 1] == '.')
		cls |= W_DOT;
	for (i = 0; i < len; i += l) {
		l = cp_at(s, i, len, &c);
		if (i == 0)
			first = c;
		if (cp_alpha(c)) {
			letters++;
			if (cp_upper(c))
				upper++;
			else
				lower++;
			run++;
			/* an initial is a capital and at most one small letter */
			if (run == 1 && !cp_upper(c))
				init_ok = false;
			if (run > 2)
				init_ok = false;
		} else if (c == '.') {
			dots++;
			run = 0;
		} else if (c == '-' || c == 0x2010) {
			run = 0;
		} else if (is_digit((int)c)) {
			digits++;
			init_ok = false;
		} else if (c != '\'' && c != 0x2019) {
			init_ok = false;
		}
	}
	if (digits)
		cls |= W_DIGIT;
	if (letters == 0)
		return cls;
	if (init_ok && dots > 0 && letters <= 4 && letters <= dots * 2 && cp_upper(first))
		cls |= W_INIT;
	else if (letters == 1 && upper == 1 && len == 1)
		cls |= W_INIT;
	else if (letters >= 2 && letters <= 3 && upper == letters &&
	    (len == letters || (len == letters + 1 && s[len - 1] == '.') ||
	    (len == letters + 1 && memchr(s, '-', (size_t)len) != NULL && s[0] != '-' && s[len - 1] != '-')))
		cls |= W_INITB;	/* JC  EKH.  H-G  SS-H */
	if (is_particle(s, (cls & W_DOT) ? len - 1 : len, false) && !(cls & W_DOT))
		cls |= W_PART;
	else if (len == 2 && (s[0] == 'v' || s[0] == 'd') && s[1] == '.')
		cls |= W_PART;	/* "K. v. Klitzing" */
	else if (is_particle(s, len, true) && cp_upper(first) && len <= 4)
		cls |= W_CAPPART;
	if (cp_upper(first) && !(cls & (W_INIT | W_INITB))) {
		if (lower == 0 && letters >= 2)
			cls |= W_ALLCAPS;
		else
			cls |= W_CAP;
	} else if (!cp_upper(first) && cp_lower(first))
		cls |= W_LOW;
	if (word_eq_ci(s, len, "jr.") || word_eq_ci(s, len, "jr") || word_eq_ci(s, len, "sr.") ||
	    word_eq_ci(s, len, "ii") || word_eq_ci(s, len, "iii") || word_eq_ci(s, len, "iv") ||
	    word_eq_ci(s, len, "jun."))
		cls |= W_SUFFIX;
	return cls;
}

/* Words of journal names and their abbreviations. */
static const char *const journal_words[] = {
	"journal", "j", "transactions", "trans", "review", "rev", "letters", "lett",
	"proceedings", "proc", "annals", "ann", "bulletin", "bull", "acta", "magazine",
	"quarterly", "phys", "chem", "biol", "med", "sci", "science", "nature", "zeitschrift",
	"revue", "revista", "rivista", "archives", "arch", "research", "studies", "int",
	"conference", "conf", "symposium", "symp", "workshop", "advances", "adv", "opin",
	"nat", "natl", "acad", "soc", "am", "physics", "cell", "cancer", "lancet", "plos",
	"reports", "rep", "communications", "commun", "mathematics", "math", "nucl",
	"instrum", "meth", "astrophys", "astron", "geophys", "appl", "comput", "eng", "mech",
	"opt", "theor", "exp", "clin", "mol", "gen", "genet", "immunol", "microbiol",
	"pharmacol", "physiol", "biochem", "biophys", "neurosci", "psychol", "stat", "econ",
	"anal", "struct", "syst", "technol", "environ", "res", "electron", "mater", "polym",
	"inorg", "org", "chim", "mag", "quart", "ser", "suppl", "amer", "jpn", "eur", "brit",
	"surg", "dis", "ther", "endocrinol", "cardiol", "oncol", "neurol", "epidemiol", "ecol",
	"evol", "zool", "bot", "agric", "vet", "educ", "phil", "hist", "ling", "lit", "stud",
	"inf", "inform", "manag", "sociol", "polit", "philos", "linguist", "biomed", "pathol",
	"cancer", "immun", "infect", "pediatr", "psychiatry", "behav", "dev", "nutr", "metab",
	"mod", "comm", "grav", "cosmol", "condens", "matt", "nuovo", "cim", "engrg", "adv", "intl", "natl", "lond", NULL
};

/* ---------------------------------------------------------------- tokens */

static void
tokenize(struct rp *r, int from, int to)
{
	const char *w = r->w;
	int i = from, nt = 0;

	while (i < to && nt < MAXTOK - 3) {
		struct tok *t = &r->tok[nt];
		int c = (unsigned char)w[i], ql;
		const char *cl;

		if (is_sp(c)) {
			i++;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->b = i;
		t->mark.b = t->mark.e = -1;
		if (c == ',') {
			t->t = TK_COMMA;
			t->e = ++i;
			if (nt > 0 && r->tok[nt - 1].t == TK_COMMA) {
				r->tok[nt - 1].e = i;	/* "Staples JE,, Kubota KA" */
				continue;
			}
		} else if (c == ';') {
			t->t = TK_SEMI;
			t->e = ++i;
		} else if (c == ':') {
			t->t = TK_COLON;
			t->e = ++i;
		} else if (c == '&') {
			t->t = TK_AND;
			t->e = ++i;
		} else if (c == '(' || c == '[') {
			t->t = TK_OPEN;
			t->e = ++i;
		} else if (c == ')' || c == ']') {
			t->t = TK_CLOSE;
			t->e = ++i;
		} else if ((ql = open_quote_at(w, i, to, &cl)) > 0) {
			t->t = TK_QUOTE;
			i += ql;
			t->e = i;
		} else if (c == CONSUMED) {
			t->t = TK_OTHER;
			while (i < to && w[i] == CONSUMED)
				i++;
			t->e = i;
		} else if (c == '.' && nt > 0 && r->tok[nt - 1].t == TK_WORD) {
			/* "Yorke H.W ." "J .Math": the dot belongs to the word before */
			struct tok *p = &r->tok[nt - 1];
			char tmp[64];
			int l = p->e - p->b;

			if (l > 0 && l < (int)sizeof(tmp) - 1 && !(p->cls & W_DOT)) {
				memcpy(tmp, w + p->b, (size_t)l);
				tmp[l] = '.';
				p->cls = classify(tmp, l + 1);
			}
			i++;
			continue;
		} else {
			int e = i, ml;

			while (e < to && !word_char_end((unsigned char)w[e])) {
				if (open_quote_at(w, e, to, &cl) > 0 && w[e] != '\'')
					break;
				e++;
			}
			if (e == i)
				e = i + 1;
			t->t = TK_WORD;
			t->e = e;
			/* a trailing marker: Smith*  Smith†  Smith,*  */
			ml = 0;
			{
				int k;

				for (k = i + 1; k < e; k++)
					if ((ml = marker_at(w, k, e)) > 0)
						break;
				if (ml > 0 && k > i) {
					int me = k;

					while (me < e && (ml = marker_at(w, me, e)) > 0)
						me += ml;
					t->mark.b = k;
					t->mark.e = me;
					t->e = k;
				}
			}
			/* ", andM .Sato" ", andEric Lutz": "and" glued to the next name */
			if (e - i > 3 && w[i] == 'a' && w[i + 1] == 'n' && w[i + 2] == 'd' &&
			    isupper((unsigned char)w[i + 3]) && nt > 0 && r->tok[nt - 1].t == TK_COMMA) {
				t->t = TK_AND;
				t->e = i + 3;
				nt++;
				i += 3;
				continue;
			}
			/* "M.Wolf" "T.C.Marshall": initials glued to the family name */
			if (t->mark.b < 0 && e - i >= 4 && isupper((unsigned char)w[i]) && w[i + 1] == '.') {
				int k = i, last = -1;

				while (k + 1 < e && isupper((unsigned char)w[k]) && w[k + 1] == '.') {
					k += 2;
					if (k < e && w[k] == '-')
						k++;
					last = k;
				}
				if (last > 0 && last + 1 < e && isupper((unsigned char)w[last]) &&
				    (islower((unsigned char)w[last + 1]) || (unsigned char)w[last + 1] >= 0xC0)) {
					t->e = last;
					t->cls = classify(w + t->b, t->e - t->b);
					nt++;
					i = last;
					continue;
				}
			}
			t->cls = classify(w + t->b, t->e - t->b);
			if (dash_at(w, t->b, t->e) == t->e - t->b && t->e - t->b >= 1 &&
			    nt > 0 && r->tok[nt - 1].t == TK_WORD) {
				t->t = TK_SEMI;	/* "V. Edwards - T. J. Sienkewicz" */
				i = e;
				nt++;
				continue;
			}
			if (word_eq_ci(w + t->b, t->e - t->b, "and") ||
			    (w[t->b] >= 'a' && (word_eq_ci(w + t->b, t->e - t->b, "und") ||
			    word_eq_ci(w + t->b, t->e - t->b, "y") ||
			    word_eq_ci(w + t->b, t->e - t->b, "e") ||
			    word_eq_ci(w + t->b, t->e - t->b, "et"))))
				t->t = TK_AND;
			i = e;
		}
		/* et al. / et. al. / and others */
		if (nt > 0 && r->tok[nt - 1].t == TK_AND && t->t == TK_WORD &&
		    (word_eq_ci(w + t->b, t->e - t->b, "al.") || word_eq_ci(w + t->b, t->e - t->b, "al") ||
		    word_eq_ci(w + t->b, t->e - t->b, "others") ||
		    word_eq_ci(w + t->b, t->e - t->b, "al.,") ||
		    word_eq_ci(w + t->b, t->e - t->b, "alii"))) {
			r->tok[nt - 1].t = TK_ETAL;
			r->tok[nt - 1].e = t->e;
			continue;
		}
		if (t->t == TK_WORD && (word_eq_ci(w + t->b, t->e - t->b, "etal") ||
		    word_eq_ci(w + t->b, t->e - t->b, "etal."))) {
			t->t = TK_ETAL;
			nt++;
			continue;
		}
		if (nt > 0 && t->t == TK_WORD && word_eq_ci(w + t->b, t->e - t->b, "al.") &&
		    r->tok[nt - 1].t == TK_WORD && word_eq_ci(w + r->tok[nt - 1].b, r->tok[nt - 1].e - r->tok[nt - 1].b, "et.")) {
			r->tok[nt - 1].t = TK_ETAL;
			r->tok[nt - 1].e = t->e;
			continue;
		}
		nt++;
	}
	/* the end, and two more ends for the look-ahead of the grammars */
	{
		int at = i < to ? i : to, k;

		for (k = nt; k < nt + 3; k++) {
			memset(&r->tok[k], 0, sizeof(r->tok[k]));
			r->tok[k].t = TK_END;
			r->tok[k].b = r->tok[k].e = r->tok[k].mark.b = r->tok[k].mark.e = at;
		}
	}
	r->ntok = nt;
}

/* ------------------------------------------------------------ name lists */

enum style { ST_NONE, ST_GF, ST_FC, ST_FI };

#define T(i) (r->tok[(i)])
#define ISW(i, m) (T(i).t == TK_WORD && (T(i).cls & (m)))

/* Two or three capitals with no dot between them: "PB" "PB." "EKH." */
static bool
caps_cluster(const struct rp *r, int k)
{
	int b = T(k).b, e = T(k).e, i;

	if (e > b && r->w[e - 1] == '.')
		e--;
	if (e - b < 2 || e - b > 3)
		return false;
	for (i = b; i < e; i++)
		if (!isupper((unsigned char)r->w[i]))
			return false;
	return true;
}

/* Given-first: [given...] [particles] family.  Returns tokens used or 0. */
/* A given name before a family name: an initial, or a capitalised word without a full stop. */
static bool
given_before(unsigned cls)
{
	return (cls & W_INIT) || ((cls & W_CAP) && !(cls & W_DOT));
}

static int
name_gf(struct rp *r, int i, struct rname *nm, int want_init)
{
	int j = i, k, nw = 0, ngiv = 0, ninit = 0, fb, sb = 0, se = 0;

	while (T(j).t == TK_WORD && nw < 6) {
		unsigned c = T(j).cls;

		if (c & W_DIGIT)
			return 0;
		if (!(c & (W_INIT | W_INITB | W_CAP | W_ALLCAPS | W_PART | W_CAPPART)))
			break;
		nw++;
		j++;
		/* a dotted non-initial ends the name (Smith.) */
		if ((c & W_DOT) && !(c & W_INIT))
			break;
		/* "C. Fu. Scaling": a two-letter family name with a full stop */
		if ((c & W_INIT) && (c & W_DOT) && T(j - 1).e - T(j - 1).b == 3 &&
		    islower((unsigned char)r->w[T(j - 1).b + 1]) && j - 1 > i &&
		    given_before(T(j - 2).cls))
			break;
		if (T(j - 1).mark.b >= 0)
			break;
	}
	if (nw < 2)
		return 0;
	/* "The Monastic Theology", "A Comprehensive Introduction": titles */
	if (word_eq_ci(r->w + T(i).b, T(i).e - T(i).b, "the") || word_eq_ci(r->w + T(i).b, T(i).e - T(i).b, "an") ||
	    (T(i).e - T(i).b == 1 && r->w[T(i).b] == 'A' && nw >= 3))
		return 0;
	/* the family name is the last word, with particles in front of it */
	k = j - 1;
	/* "R. P. LaRowe Jr.": the suffix after the family name */
	if ((T(k).cls & W_SUFFIX) && k - 1 > i && (T(k - 1).cls & (W_CAP | W_ALLCAPS)) &&
	    !(T(k - 1).cls & W_DOT)) {
		sb = T(k).b;
		se = T(k).e;
		j--;
		k--;
	}
	/* "T. Ma." "Mike He.": a two-letter family name at the end of a list */
	if ((T(k).cls & W_INIT) && (T(k).cls & W_DOT) && T(k).e - T(k).b == 3 &&
	    islower((unsigned char)r->w[T(k).b + 1]) && k > i && given_before(T(k - 1).cls))
		;
	else if (!(T(k).cls & (W_CAP | W_ALLCAPS)) || (T(k).cls & (W_INIT)))
		return 0;
	if (T(k).cls & W_DOT) {
		/* "G. Zatsepin Phys." "J. Phys.": a journal abbreviation is no family name */
		const char *const *jw;

		for (jw = journal_words; *jw; jw++)
			if (word_eq_ci(r->w + T(k).b, T(k).e - T(k).b - 1, *jw)) {
				/* "P. Biermann Phys. Rev.": the name ends before it */
				if (k - i >= 2 && (T(k - 1).cls & (W_CAP | W_ALLCAPS)) &&
				    !(T(k - 1).cls & W_INIT) && !(T(k - 1).cls & W_DOT)) {
					j = k;
					k--;
					goto family;
				}
				return 0;
			}
	}
family:
	fb = k;
	while (fb - 1 > i && (T(fb - 1).cls & (W_PART | W_CAPPART)))
		fb--;
	for (k = i; k < fb; k++) {
		if (T(k).cls & (W_PART) && !(T(k).cls & W_CAP))
			return 0;
		/* "Morgan PB. Regulation": a caps cluster is Vancouver, not a middle name */
		if (k > i && (T(k).cls & (W_INITB | W_INIT)) && caps_cluster(r, k))
			return 0;
		if (T(k).cls & W_DOT && !(T(k).cls & W_INIT))
			return 0;
		ngiv++;
		if (T(k).cls & (W_INIT | W_INITB))
			ninit++;
	}
	if (ngiv == 0)
		return 0;
	if (want_init == 1 && ninit == 0)
		return 0;
	if (ninit == 0) {
		/* "Clinical Science (2008)" is a journal, not a person */
		const char *const *jw;

		for (k = i; k < j; k++)
			for (jw = journal_words; *jw; jw++)
				if (word_eq_ci(r->w + T(k).b, T(k).e - T(k).b, *jw) && T(k).e - T(k).b >= 5)
					return 0;	/* "Ann Douglas" is a name, "Clinical Science" no */
	}
	memset(nm, 0, sizeof(*nm));
	nm->giv.b = T(i).b;
	nm->giv.e = T(fb - 1).e;
	nm->fam.b = T(fb).b;
	nm->fam.e = T(j - 1).e;
	nm->mark = T(j - 1).mark;
	if (se > sb) {
		nm->suf.b = sb;
		nm->suf.e = se;
		j++;
	}
	return j - i;
}

/* Family, Given.  Returns tokens used or 0. */
static int
name_fc(struct rp *r, int i, struct rname *nm)
{
	int j = i, nf = 0, ng = 0, gb;

	while (T(j).t == TK_WORD && nf < 4) {
		unsigned c = T(j).cls;

		if (c & (W_DIGIT | W_DOT))
			return 0;
		/* "JI, R. R." : a short family name in capitals */
		if (nf == 0 && (c & W_INITB) && T(j + 1).t == TK_COMMA && ISW(j + 2, W_INIT)) {
			j++;
			nf++;
			break;
		}
		if (!(c & (W_CAP | W_ALLCAPS | W_PART | W_CAPPART)))
			return 0;
		j++;
		nf++;
	}
	if (nf == 0 || !(T(j - 1).cls & (W_CAP | W_ALLCAPS | W_INITB)))
		return 0;
	if (T(j).t != TK_COMMA)
		return 0;
	j++;
	gb = j;
	while (T(j).t == TK_WORD && ng < 4) {
		unsigned c = T(j).cls;

		if (c & W_DIGIT)
			break;
		if (c & W_SUFFIX)
			break;
		if ((c & W_LOW) && (c & W_DOT) && ng > 0 && is_particle(r->w + T(j).b, T(j).e - T(j).b - 1, false)) {
			j++;	/* "Goethe, Johann Wolfgang von." "SILVA, A. C. da." */
			ng++;
			break;
		}
		if (!(c & (W_INIT | W_INITB | W_CAP | W_PART)))
			break;
		if ((c & W_DOT) && !(c & W_INIT) && !(c & W_CAP))
			break;
		if (word_eq_ci(r->w + T(j).b, T(j).e - T(j).b, "vol.") || word_eq_ci(r->w + T(j).b, T(j).e - T(j).b, "no.") ||
		    word_eq_ci(r->w + T(j).b, T(j).e - T(j).b, "pp.") || word_eq_ci(r->w + T(j).b, T(j).e - T(j).b, "vol"))
			return 0;	/* "Cell, Vol. 93" */
		/* "Moggi, E. Computational ..." : after a dotted initial only initials */
		if (ng > 0 && (T(j - 1).cls & W_INIT) && (T(j - 1).cls & W_DOT) &&
		    (!(c & W_INIT) || !(c & W_DOT)))
			break;
		j++;
		ng++;
		if ((c & W_DOT) && !(c & W_INIT)) {
			break;
		}
		if (T(j - 1).mark.b >= 0)
			break;
		/* a full given name is one or two words; after it comes the title */
		if ((c & W_CAP) && !(c & W_INIT) && ng >= 2)
			break;
	}
	if (ng == 0)
		return 0;
	memset(nm, 0, sizeof(*nm));
	nm->fam.b = T(i).b;
	nm->fam.e = T(gb - 2).e;
	nm->giv.b = T(gb).b;
	nm->giv.e = T(j - 1).e;
	nm->mark = T(j - 1).mark;
	if (T(i).mark.b >= 0 && nm->mark.b < 0)
		nm->mark = T(i).mark;
	return j - i;
}

/* Vancouver: Family INITIALS.  Returns tokens used or 0. */
static int
name_fi(struct rp *r, int i, struct rname *nm)
{
	int j = i, nf = 0, ni = 0, ib;

	while (T(j).t == TK_WORD && nf < 3) {
		unsigned c = T(j).cls;

		if (c & (W_DIGIT | W_DOT | W_INIT | W_INITB))
			break;
		if (!(c & (W_CAP | W_PART | W_CAPPART | W_ALLCAPS)))
			return 0;
		j++;
		nf++;
	}
	if (nf == 0 || !(T(j - 1).cls & (W_CAP | W_ALLCAPS)))
		return 0;
	/* "LIANG Z T": capitals need single-letter initials ("IEEE TRANSACTIONS ON" is no name) */
	if ((T(j - 1).cls & W_ALLCAPS) && (T(j - 1).e - T(j - 1).b < 3 ||
	    !(((T(j).cls & W_INIT) && !caps_cluster(r, j)) ||
	    ((T(j).cls & W_INITB) && ((T(j).cls & W_DOT) || T(j + 1).t == TK_COMMA)))))
		return 0;
	ib = j;
	while (T(j).t == TK_WORD && ni < 3 && (T(j).cls & (W_INIT | W_INITB)) &&
	    !(ni > 0 && (T(j - 1).cls & W_DOT) && !(T(j).cls & W_DOT))) {
		j++;
		ni++;
		if (T(j - 1).mark.b >= 0)
			break;
	}
	if (ni == 0)
		return 0;
	memset(nm, 0, sizeof(*nm));
	nm->fam.b = T(i).b;
	nm->fam.e = T(ib - 1).e;
	nm->giv.b = T(ib).b;
	nm->giv.e = T(j - 1).e;
	nm->mark = T(j - 1).mark;
	if (ISW(j, W_SUFFIX)) {		/* Ettinger WH Jr */
		nm->suf.b = T(j).b;
		nm->suf.e = T(j).e;
		j++;
	}
	return j - i;
}

/* A suffix after a comma: ", Jr." */
static int
name_suffix(struct rp *r, int j, struct rname *nm)
{
	if (T(j).t == TK_COMMA && ISW(j + 1, W_SUFFIX)) {
		nm->suf.b = T(j + 1).b;
		nm->suf.e = T(j + 1).e;
		return 2;
	}
	if (ISW(j, W_SUFFIX) && !(T(j).cls & W_CAP)) {
		nm->suf.b = T(j).b;
		nm->suf.e = T(j).e;
		return 1;
	}
	return 0;
}

/* A name written in a script without spaces between its parts: "김용섭" "閻曉宇". */
static bool
cjk_name(const struct rp *r, int i)
{
	uint32_t c;
	int k, l, n = 0;

	if (T(i).t != TK_WORD)
		return false;
	for (k = T(i).b; k < T(i).e; k += l) {
		l = cp_at(r->w, k, T(i).e, &c);
		if (c == '.' && k + 1 == T(i).e)
			break;
		if (!((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) ||
		    (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF)))
			return false;
		n++;
	}
	return n >= 2 && n <= 4;
}

static bool
has_initial(const struct rp *r, int b, int e)
{
	int k;

	for (k = b; k < e; k++)
		if (T(k).t == TK_WORD && (T(k).cls & (W_INIT | W_INITB)))
			return true;
	return false;
}

/* Is token k "ed." "eds" "Hg." "Hrsg." "dir."? */
static bool
editor_word(const struct rp *r, int k)
{
	static const char *const w[] = { "ed", "ed.", "eds", "eds.", "hg", "hg.", "hrsg", "hrsg.",
		"dir", "dir.", "editor", "editors", "edd.", NULL };
	const char *const *p;

	if (T(k).t != TK_WORD)
		return false;
	for (p = w; *p; p++)
		if (word_eq_ci(r->w + T(k).b, T(k).e - T(k).b, *p))
			return true;
	return false;
}

/* "ATLAS Collaboration", "The BIP Study Group": tokens used, or 0. */
static int
org_name(struct rp *r, int i)
{
	static const char *const kw[] = { "collaboration", "collaborations", "consortium",
		"group", "team", "collaborators", "investigators", "committee", NULL };
	int j = i;
	const char *const *k;

	while (T(j).t == TK_WORD && j - i < 6 && !(T(j).cls & W_DIGIT)) {
		for (k = kw; *k; k++)
			if (word_eq_ci(r->w + T(j).b, T(j).e - T(j).b - ((T(j).cls & W_DOT) ? 1 : 0), *k))
				break;
		if (*k != NULL && j > i && (T(j + 1).t == TK_COMMA || T(j + 1).t == TK_SEMI ||
		    T(j + 1).t == TK_END || (T(j).cls & W_DOT) || T(j + 1).t == TK_OPEN))
			return j + 1 - i;
		if (!(T(j).cls & (W_CAP | W_ALLCAPS | W_INITB)) && !word_eq_ci(r->w + T(j).b, T(j).e - T(j).b, "of"))
			return 0;
		j++;
	}
	return 0;
}

/*
 * Read a name list in style st from token i.  Names go to out (at most max);
 * returns the count, *end the first token after the list, *others 1 after
 * "et al.".
 */
static int
names_style(struct rp *r, enum style st, int i, struct rname *out, int max,
    int *end, int *others)
{
	int n = 0, used, want_init = 0, last = 0, prev_end = i, first_init = 0;
	struct rname nm;

	*others = 0;
	*end = i;
	for (;;) {
		int j = i;
		unsigned lc;

		if (cjk_name(r, j) && (T(j + 1).t == TK_COMMA || T(j + 1).t == TK_OPEN ||
		    (T(j).cls & W_DOT) || T(j + 1).t == TK_END)) {
			memset(&nm, 0, sizeof(nm));
			nm.fam.b = T(j).b;
			nm.fam.e = T(j).e - ((T(j).cls & W_DOT) ? 1 : 0);
			nm.mark.b = nm.mark.e = -1;
			used = 1;
		} else if ((used = org_name(r, j)) > 0) {
			memset(&nm, 0, sizeof(nm));
			nm.fam.b = T(j).b;
			nm.fam.e = T(j + used - 1).e;
			nm.mark.b = nm.mark.e = -1;
			nm.literal = 1;
		} else if (ISW(j, W_CAP | W_ALLCAPS) && !(T(j).cls & (W_DOT | W_INIT)) &&
		    (T(j + 1).t == TK_ETAL || (T(j + 1).t == TK_COMMA && T(j + 2).t == TK_ETAL))) {
			/* a family name alone before "et al." */
			memset(&nm, 0, sizeof(nm));
			nm.fam.b = T(j).b;
			nm.fam.e = T(j).e;
			nm.mark = T(j).mark;
			used = 1;
		} else if (st == ST_GF) {
			used = name_gf(r, j, &nm, want_init);
			if (used == 0 && last && want_init)
				used = name_gf(r, j, &nm, 0);	/* "F. Jahanian and Al Mok." */
		}
		else if (st == ST_FC) {
			/* MLA: "Stravinsky, Igor, and Robert Craft" */
			used = (last && n > 0) ? name_gf(r, j, &nm, first_init) : 0;
			if (used == 0)
				used = name_fc(r, j, &nm);
			if (used == 0 && n > 0)
				used = name_gf(r, j, &nm, first_init);	/* Smith, J., and K. Jones */
			if (used == 0 && n > 0)
				used = name_fi(r, j, &nm);	/* Luengo, J., Derrac J., */
		} else {
			used = name_fi(r, j, &nm);
			if (used == 0 && n > 0)
				used = name_fc(r, j, &nm);
			if (used == 0 && n > 0)
				used = name_gf(r, j, &nm, 1);	/* Lamarque J.F., T. C. Bond */
		}
		if (used == 0)
			break;
		prev_end = *end;
		j += used;
		j += name_suffix(r, j, &nm);
		if (n < max)
			out[n++] = nm;
		if (st == ST_FC && n == 1) {
			/* "Nestruev, J., Smooth Manifolds": after initials, no full-name names */
			int k;

			first_init = 1;
			for (k = i; k < j; k++)
				if (T(k).t == TK_COMMA)
					break;
			for (k++; k < j; k++)
				if (T(k).t == TK_WORD && !(T(k).cls & (W_INIT | W_INITB)))
					first_init = 0;
		}
		if (st == ST_GF && n == 1) {
			/* the first name says whether givens are initials */
			int k;

			/* given names all initials: later names must have initials too */
			want_init = 1;
			for (k = i; k < j - 1; k++)
				if (!(T(k).cls & (W_INIT | W_INITB)))
					want_init = 0;
		}
		*end = j;
		lc = T(j - 1).cls;
		if (last)
			break;
		/* a name ending in a dot ends the list unless a separator follows */
		if ((lc & W_DOT) && T(j).t != TK_COMMA && T(j).t != TK_SEMI &&
		    T(j).t != TK_AND && T(j).t != TK_ETAL)
			break;
		if (st == ST_GF && (lc & W_DOT) && !(lc & W_INIT))
			break;
		if (T(j).t == TK_ETAL) {
			*others = 1;
			*end = j + 1;
			break;
		}
		if ((T(j).t == TK_COMMA || T(j).t == TK_SEMI) && T(j + 1).t == TK_ETAL) {
			*others = 1;
			*end = j + 2;
			break;
		}
		if (T(j).t == TK_COMMA && T(j + 1).t == TK_AND) {
			j += 2;
			last = 1;
		} else if ((T(j).t == TK_COMMA || T(j).t == TK_SEMI) && T(j + 1).t == TK_AND) {
			j += 2;
			last = 1;
		} else if (T(j).t == TK_COMMA || T(j).t == TK_SEMI) {
			j++;
		} else if (T(j).t == TK_AND) {
			j++;
			last = 1;
		} else {
			/* "Hallier, Amédée, The Monastic Theology of ...": a title, not a name */
			int full = 1, k;

			for (k = prev_end; k < j; k++)
				if (T(k).cls & (W_INIT | W_INITB))
					full = 0;
			if (n >= 2 && ((T(j).t == TK_WORD && !(T(j).cls & W_DIGIT)) ||
			    (full && (T(j).t == TK_COLON || (T(j).t == TK_OPEN && !editor_word(r, j + 1))) && !last)) &&
			    !(lc & W_DOT) &&
			    T(j - 1).mark.b < 0) {
				n--;
				*end = prev_end;
			}
			break;
		}
		i = j;
	}
	return n;
}

static int year_at(const struct rp *, int, char *);

/* Parse the author list at the start of [from, to); returns its end offset. */
static int
parse_authors(struct rp *r, int from, int to, struct rname *out, int max, int *nout,
    int *others, enum style *stp)
{
	static const enum style order[] = { ST_GF, ST_FC, ST_FI };
	struct rname tmp[MAXNAME];
	int best = 0, bestend = 0, bestoth = 0, bestsc = 0, k, n, end, oth;
	enum style bst = ST_NONE;
	char ysuf;

	tokenize(r, from, to);
	for (k = 0; k < 3; k++) {
		int sc;

		n = names_style(r, order[k], 0, tmp, max, &end, &oth);
		if (n == 0)
			continue;
		/* a list ends at punctuation, not in the middle of a phrase */
		sc = n * 4;
		if ((T(end - 1).cls & W_DOT) || T(end - 1).t == TK_ETAL || T(end).t == TK_COMMA ||
		    T(end).t == TK_COLON || T(end).t == TK_OPEN || T(end).t == TK_QUOTE ||
		    T(end).t == TK_SEMI || T(end).t == TK_END || T(end).t == TK_OTHER ||
		    (T(end).t == TK_WORD && (T(end).cls & W_DIGIT)))
			sc += 3;
		if (n == 1 && sc == 4)
			continue;	/* "World J Gastroenterol": one name running into words */
		if (order[k] == ST_FC && n == 1 && !has_initial(r, 0, end)) {
			int q, words = 0;

			for (q = 0; q < end && T(q).t == TK_WORD; q++)
				if (!(T(q).cls & (W_CAPPART | W_PART)))
					words++;	/* "Del Rey, Lester" has one family word */
			if (words >= 2)
				sc -= 2;	/* "Benedict Anderson, Imagined Communities (1991)" */
		}
		if (sc > bestsc || (sc == bestsc && end > bestend)) {
			bestsc = sc;
			best = n;
			bestend = end;
			bestoth = oth;
			bst = order[k];
			memcpy(out, tmp, sizeof(tmp[0]) * (size_t)(n < max ? n : max));
		}
	}
	/* "Diabetic Medicine, 23, 348": one "name" followed by numbers is a journal */
	if (best == 1 && from == r->astart && T(bestend).t == TK_COMMA && T(bestend + 1).t == TK_WORD &&
	    (T(bestend + 1).cls & W_DIGIT) && !year_at(r, T(bestend + 1).b, &ysuf))
		best = 0;
	/* "J Artif Organs (2003) 6:173": a journal, its year and numbers */
	if (best == 1 && from == r->astart && T(bestend).t == TK_OPEN && T(bestend + 1).t == TK_WORD &&
	    year_at(r, T(bestend + 1).b, &ysuf) && T(bestend + 2).t == TK_CLOSE &&
	    T(bestend + 3).t == TK_WORD && is_digit(r->w[T(bestend + 3).b]))
		best = 0;
	*nout = best < max ? best : max;
	*others = bestoth;
	*stp = bst;
	if (best == 0)
		return from;
	return T(bestend - 1).mark.e > T(bestend - 1).e ? T(bestend - 1).mark.e : T(bestend - 1).e;
}

/* ------------------------------------------------------------- utilities */

/* Trim spaces and the punctuation in cut from both ends of a span of buf. */
static struct span
trim_buf(const char *buf, int b, int e, const char *cutlead, const char *cuttrail)
{
	struct span s;

	while (b < e && (is_sp((unsigned char)buf[b]) || buf[b] == CONSUMED ||
	    strchr(cutlead, buf[b]) != NULL))
		b++;
	while (e > b && (is_sp((unsigned char)buf[e - 1]) || buf[e - 1] == CONSUMED ||
	    strchr(cuttrail, buf[e - 1]) != NULL))
		e--;
	s.b = b;
	s.e = e;
	return s;
}

/* The same on the original string (for spans already consumed). */
static struct span
trim_o(const struct rp *r, int b, int e, const char *cutlead, const char *cuttrail)
{
	return trim_buf(r->o, b, e, cutlead, cuttrail);
}

static bool
starts_ci(const struct rp *r, int i, const char *p)
{
	const unsigned char *s = (const unsigned char *)r->w + i;
	int k;

	if (i < 0 || i >= r->n)
		return *p == '\0';
	for (k = 0; p[k] != '\0'; k++) {
		unsigned char c = s[k];	/* the buffer ends in a NUL, which never matches */

		if (i + k >= r->n)
			return false;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)tolower((unsigned char)p[k]))
			return false;
	}
	return true;
}

static bool
month_name(const char *s, int n)
{
	static const char *const m[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
		"sep", "sept", "oct", "nov", "dec", "january", "february", "march", "april", "june",
		"july", "august", "september", "october", "november", "december", NULL };
	const char *const *p;

	for (p = m; *p; p++)
		if (word_eq_ci(s, n, *p))
			return true;
	return false;
}

static int
year_at(const struct rp *r, int i, char *suffix)
{
	int y;

	if (i + 4 > r->n || !is_digit(r->w[i]) || !is_digit(r->w[i + 1]) ||
	    !is_digit(r->w[i + 2]) || !is_digit(r->w[i + 3]))
		return 0;
	if (i > 0 && (isalnum((unsigned char)r->w[i - 1]) || r->w[i - 1] == '/' ||
	    r->w[i - 1] == '.')) {
		int k = i;

		/* "Aug2016" "January2019" */
		while (k > 0 && isalpha((unsigned char)r->w[k - 1]))
			k--;
		if (k < i && i - k >= 3 && (k == 0 || !isalnum((unsigned char)r->w[k - 1])) &&
		    month_name(r->w + k, i - k))
			;
		else if (r->w[i - 1] == '.' && i >= 2 && r->w[i - 2] == ' ')
			;	/* "et al .2010" */
		else
			return 0;
	}
	if (i + 4 < r->n && is_digit(r->w[i + 4]))
		return 0;
	y = (r->w[i] - '0') * 1000 + (r->w[i + 1] - '0') * 100 + (r->w[i + 2] - '0') * 10 +
	    (r->w[i + 3] - '0');
	if (y < 1500 || y > 2039)
		return 0;
	*suffix = 0;
	if (i + 4 < r->n && r->w[i + 4] >= 'a' && r->w[i + 4] <= 'h' &&
	    (i + 5 >= r->n || !isalpha((unsigned char)r->w[i + 5])))
		*suffix = r->w[i + 4];
	return y;
}

/* ----------------------------------------------------------- identifiers */

/* -------------------------------------------------------------- the rest */


/* Digits (with an optional letter prefix, "e1234", "A92", "L12") at i: end or 0. */

/* Keyword phrases: thesis, report, status, presentation. */
struct phrase {
	const char	*text;
	int		 kind;	/* 1 thesis, 2 report, 3 status, 4 presentation, 5 award, 6 preprint, 7 patent, 8 book-ish */
	const char	*value;
};

/* ---------------------------------------------------------------- driver */

/*
 * "NeurIPS 2020", "(ICLR'24)": a conference known by its acronym
 * (data/text-venues.tsv); the table row, or -1.
 */
static int
venue_in(const struct rp *r, struct span s)
{
	int i, j, v;

	for (i = s.b; i < s.e; i = j + 1) {
		while (i < s.e && !isalpha((unsigned char)r->o[i]))
			i++;
		j = i;
		while (j < s.e && (isalnum((unsigned char)r->o[j]) || r->o[j] == '&' || r->o[j] == '@'))
			j++;
		/* the year glued on: ICLR2021 */
		while (j > i && isdigit((unsigned char)r->o[j - 1]))
			j--;
		for (v = 0; j > i && cvb_text_venues[v][0] != NULL; v++) {
			const char *a = cvb_text_venues[v][0];

			if (a[0] == r->o[i] && strncmp(r->o + i, a, (size_t)(j - i)) == 0 && a[j - i] == '\0')
				return v;
		}
		while (j < s.e && isalnum((unsigned char)r->o[j]))
			j++;
	}
	return -1;
}

/* ------------------------------------------------------------ into the item */

static const char *
dup_span(cvbib_biblio *b, const struct rp *r, struct span s)
{
	struct cvb_buf buf = CVB_BUF_INIT;
	const char *out;
	int i, sp = 0;

	if (s.e <= s.b)
		return NULL;
	for (i = s.b; i < s.e; i++) {
		char c = r->o[i];

		if (is_sp((unsigned char)c) || c == CONSUMED) {
			sp = 1;
			continue;
		}
		if (sp && buf.len)
			cvb_buf_addch(&buf, ' ');
		sp = 0;
		cvb_buf_addch(&buf, c);
	}
	out = buf.len ? cvb_arena_strndup(&b->arena, buf.buf, buf.len) : NULL;
	cvbib_buf_release(&buf);
	return out;
}

/* Given names: "J.C." -> "J. C.", "JC" stays (Vancouver keeps it). */
static const char *
dup_given(cvbib_biblio *b, const struct rp *r, struct span s)
{
	struct cvb_buf buf = CVB_BUF_INIT;
	const char *out;
	int i;

	s = trim_o(r, s.b, s.e, "", ",");
	for (i = s.b; i < s.e; i++) {
		char c = r->o[i];

		if (is_sp((unsigned char)c)) {
			if (buf.len && buf.buf[buf.len - 1] != ' ')
				cvb_buf_addch(&buf, ' ');
			continue;
		}
		cvb_buf_addch(&buf, c);
		if (c == '.' && i + 1 < s.e && isupper((unsigned char)r->o[i + 1]))
			cvb_buf_addch(&buf, ' ');
	}
	/* "René Ariel." : the full stop after a whole given name ends the list */
	if (buf.len >= 3 && buf.buf[buf.len - 1] == '.' && islower((unsigned char)buf.buf[buf.len - 2]) &&
	    islower((unsigned char)buf.buf[buf.len - 3]))
		cvb_buf_setlen(&buf, buf.len - 1);
	/* "MK." in "Church MK. Title": the full stop ends the list, not the initials */
	if (buf.len >= 3 && buf.buf[buf.len - 1] == '.' && memchr(buf.buf, '.', buf.len - 1) == NULL) {
		size_t q;
		int caps = 1;

		for (q = 0; q + 1 < buf.len; q++)
			if (!isupper((unsigned char)buf.buf[q]) && buf.buf[q] != '-')
				caps = 0;
		if (caps)
			cvb_buf_setlen(&buf, buf.len - 1);
	}
	out = buf.len ? cvb_arena_strndup(&b->arena, buf.buf, buf.len) : NULL;
	cvbib_buf_release(&buf);
	return out;
}

static bool
marker_in(const char *const *list, const char *m, size_t ml)
{
	int i;

	for (i = 0; i < 4 && list[i]; i++)
		if (strlen(list[i]) == ml && memcmp(list[i], m, ml) == 0)
			return true;
	return false;
}

static void
put_names(cvbib_biblio *b, struct cvb_item *it, const struct rp *r, const struct rname *v,
    int n, int others, enum cvb_nvar slot)
{
	int k;

	for (k = 0; k < n; k++) {
		const struct rname *rn = &v[k];
		struct cvb_name *nm = cvb_name_new(b);
		struct span f = rn->fam;
		int pe;

		if (nm == NULL)
			return;
		if (rn->literal) {
			nm->family = dup_span(b, r, trim_o(r, f.b, f.e, "", ",.;: "));
			nm->flags |= CVB_NF_INSTITUTION;
			cvb_item_add_name(it, slot, nm);
			continue;
		}
		/* lower-case particles in front of the family name */
		pe = f.b;
		while (pe < f.e) {
			int we = pe;

			while (we < f.e && !is_sp((unsigned char)r->o[we]))
				we++;
			if (we < f.e && is_particle(r->o + pe, we - pe, false)) {
				for (pe = we; pe < f.e && is_sp((unsigned char)r->o[pe]); pe++)
					;
				continue;
			}
			break;
		}
		if (pe > f.b) {
			nm->non_dropping_particle = dup_span(b, r, trim_o(r, f.b, pe, "", " "));
			f.b = pe;
		}
		nm->family = dup_span(b, r, trim_o(r, f.b, f.e, "", ",.;:"));
		if (f.e > f.b && r->o[f.e - 1] == '.' && f.e - f.b > 1 && !isupper((unsigned char)r->o[f.e - 2]))
			nm->family = dup_span(b, r, trim_o(r, f.b, f.e, "", ",.;:"));
		nm->given = rn->giv.e > rn->giv.b ? dup_given(b, r, rn->giv) : NULL;
		if (rn->suf.e > rn->suf.b)
			nm->suffix = dup_span(b, r, rn->suf);
		if (rn->mark.b >= 0 && rn->mark.e > rn->mark.b) {
			const char *m = r->o + rn->mark.b;
			size_t ml = (size_t)(rn->mark.e - rn->mark.b);

			nm->marker = cvb_arena_strndup(&b->arena, m, ml);
			if (r->ctx != NULL && r->ctx->has_legend) {
				size_t off;

				/* each marker symbol of a run like "*†" on its own */
				for (off = 0; off < ml;) {
					int l = marker_at(m, (int)off, (int)ml);

					if (l <= 0)
						l = 1;
					if (marker_in(r->ctx->equal_markers, m + off, (size_t)l))
						nm->flags |= CVB_NF_EQUAL;
					if (marker_in(r->ctx->corresp_markers, m + off, (size_t)l))
						nm->flags |= CVB_NF_CORRESP;
					off += (size_t)l;
				}
			} else {
				if (m[0] == '*' || m[0] == '#')
					nm->flags |= CVB_NF_EQUAL;
				else if (ml >= 3 && memcmp(m, "\xE2\x80\xA0", 3) == 0)
					nm->flags |= CVB_NF_CORRESP;
			}
			if (nm->flags & CVB_NF_EQUAL)
				it->flags |= CVB_IF_HAS_EQUAL;
			if (nm->flags & CVB_NF_CORRESP)
				it->flags |= CVB_IF_HAS_CORRESP;
		}
		if (nm->family != NULL)
			cvb_item_add_name(it, slot, nm);
	}
	if (others) {
		struct cvb_name *nm = cvb_name_new(b);

		if (nm != NULL) {
			nm->literal = "others";
			nm->flags = CVB_NF_OTHERS;
			cvb_item_add_name(it, slot, nm);
		}
	}
}

size_t
cvb_ref_skip_marker(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && is_sp((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '[') {
		for (j = i + 1; j < n && j < i + 8 && (isalnum((unsigned char)s[j]) ||
		    s[j] == '-' || s[j] == '+' || s[j] == ' '); j++)
			;
		if (j < n && s[j] == ']' && j > i + 1) {
			j++;
			while (j < n && is_sp((unsigned char)s[j]))
				j++;
			return j;
		}
		return 0;
	}
	if (i < n && s[i] == '(') {
		for (j = i + 1; j < n && is_digit(s[j]); j++)
			;
		if (j < n && s[j] == ')' && j > i + 1 && j + 1 < n && s[j + 1] == ' ')
			return j + 2;
		return 0;
	}
	if (i < n && is_digit(s[i])) {
		for (j = i; j < n && is_digit(s[j]); j++)
			;
		if (j - i > 3)
			return 0;
		if (j + 1 < n && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ')
			return j + 2;
		/* "23.van den Hout" "14 Bard, A." "5,6-Ando S" "2-Trimba R" */
		if (j + 1 < n && s[j] == '-' && isupper((unsigned char)s[j + 1]))
			return j + 1;
		if (j + 1 < n && s[j] == '.' && isalpha((unsigned char)s[j + 1]))
			return j + 1;
		if (j + 1 < n && s[j] == ' ' && isupper((unsigned char)s[j + 1]))
			return j + 1;
		if (j + 1 < n && s[j] == ',') {
			size_t k = j + 1;

			while (k < n && is_digit(s[k]))
				k++;
			if (k + 1 < n && s[k] == '-' && isupper((unsigned char)s[k + 1]))
				return k + 1;
		}
		return 0;
	}
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && s[i + 1] == ' ')
		return i + 2;
	if (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0xA2 && s[i + 3] == ' ')
		return i + 4;	/* • */
	return 0;
}

size_t
cvb_ref_author_len(const char *s, size_t len)
{
	int n;

	return cvb_ref_names_at(s, len, &n);
}

size_t
cvb_ref_names_at(const char *s, size_t len, int *names)
{
	struct rp *r;
	int n = 0, others, end, i;
	enum style st;
	size_t out = 0;

	*names = 0;
	if (len == 0 || len > 1000)
		return 0;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return 0;
	memset(r, 0, offsetof(struct rp, tok));
	memset(&r->nau, 0, sizeof(*r) - offsetof(struct rp, nau));
	r->w = malloc(len + 1);
	if (r->w == NULL) {
		free(r);
		return 0;
	}
	memcpy(r->w, s, len);
	for (i = 0; i < (int)len; i++)
		if (r->w[i] == CONSUMED || r->w[i] == '\0')
			r->w[i] = ' ';
	r->w[len] = '\0';
	r->o = r->w;
	r->n = (int)len;
	end = parse_authors(r, 0, r->n, r->au, MAXNAME, &n, &others, &st);
	if (n > 0) {
		/* with what closes the list: "et al." and a final full stop */
		while (end < r->n && (r->w[end] == '.' || r->w[end] == ',' || r->w[end] == ' '))
			end++;
		out = (size_t)end;
		*names = n;
	}
	free(r->w);
	free(r);
	return out;
}

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

/* one field's text: its runs of tokens, each trimmed, joined by a space */
struct fld {
	struct cvb_buf	 text;
	int		 runs;
};

static int
word_is(const char *s, int n, const char *const *list)
{
	for (; *list; list++)
		if ((int)strlen(*list) == n && strncasecmp(s, *list, (size_t)n) == 0)
			return 1;
	return 0;
}

static const char *const cut_page[] = { "p", "pp", "page", "pages", "pg", "pgs", "s", NULL };
static const char *const cut_vol[] = { "vol", "vols", "volume", "v", "bd", "band", "t", "tome", NULL };
static const char *const cut_iss[] = { "no", "nr", "n", "number", "issue", "iss", "num", "heft", NULL };
static const char *const cut_cont[] = { "in", NULL };
static const char *const cut_ed[] = { "ed", "eds", "editor", "editors", "edited", "by", "in",
	"hrsg", "hg", "dir", "coord", "(ed", "(eds", "\xC3\xA9" "d", "\xC3\xA9" "ds", NULL };

static int
is_trim(int c)
{
	return c == ' ' || c == ',' || c == '.' || c == ';' || c == ':';
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

/* Clean the span [b, e) of s for a field: words of cut at its start, the
 * punctuation and quotes that wrap it, brackets left open. */
static void
clean_span(const char *s, int *pb, int *pe, const char *const *cut, int keep_end_mark)
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
			if (k > b && (k >= e || !isalnum((unsigned char)s[k])) && word_is(s + b, k - b, cut)) {
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
	(void)keep_end_mark;
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

/* the names of [b, e): the name grammar, run after run; what it cannot read
 * is an organisation */
static void
names_of(cvbib_biblio *bib, struct cvb_item *it, struct rp *r, int b, int e, enum cvb_nvar slot)
{
	struct rname *v = slot == CVB_NV_AUTHOR ? r->au : r->ed;
	int max = slot == CVB_NV_AUTHOR ? MAXNAME : MAXNAME / 4, tries, n, others = 0;
	enum style st;

	for (tries = 0; tries < 4 && b < e; tries++) {
		int end, k;

		while (b < e && (is_trim((unsigned char)r->w[b]) || r->w[b] == '&' || r->w[b] == ';'))
			b++;
		if (starts_ci(r, b, "and ") || starts_ci(r, b, "with "))
			b += r->w[b] == 'a' || r->w[b] == 'A' ? 4 : 5;
		if (b >= e)
			break;
		end = parse_authors(r, b, e, v, max, &n, &others, &st);
		if (n == 0 || end <= b) {
			struct span sp = trim_o(r, b, e, "(", ",.;:) ");
			int k2, letters = 0;

			for (k2 = sp.b; k2 < sp.e; k2++)
				letters += isalpha((unsigned char)r->o[k2]) || (unsigned char)r->o[k2] >= 0xC0;
			if (letters >= 2 && !(starts_ci(r, sp.b, "et al") && sp.e - sp.b <= 7)) {
				v[0].fam = sp;
				v[0].literal = 1;
				v[0].mark.b = -1;
				put_names(bib, it, r, v, 1, 0, slot);
			}
			break;
		}
		put_names(bib, it, r, v, n, 0, slot);
		for (k = end; k < e && (is_trim((unsigned char)r->w[k]) || r->w[k] == '&'); k++)
			;
		if (starts_ci(r, k, "et al") || starts_ci(r, k, "and others") || starts_ci(r, k, "u.a.") ||
		    starts_ci(r, k, "et. al"))
			others = 1;
		if (others)
			break;
		b = end;
	}
	if (others)
		put_names(bib, it, r, v, 0, 1, slot);
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

static int
year_in(const char *s, int b, int e, char *suffix, int *month)
{
	int i, y = 0;

	*suffix = 0;
	for (i = b; i + 4 <= e; i++) {
		if ((i == b || !isalnum((unsigned char)s[i - 1])) && is_digit(s[i]) && is_digit(s[i + 1]) &&
		    is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 == e || !is_digit(s[i + 4]))) {
			int v = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + s[i + 3] - '0';

			if (v >= 1500 && v <= 2099) {
				y = v;
				if (i + 4 < e && s[i + 4] >= 'a' && s[i + 4] <= 'z' &&
				    (i + 5 == e || !isalpha((unsigned char)s[i + 5])))
					*suffix = s[i + 4];
				break;
			}
		}
	}
	*month = 0;
	for (i = b; i < e; i++) {
		int j = i;

		if (!isalpha((unsigned char)s[i]) || (i > b && isalpha((unsigned char)s[i - 1])))
			continue;
		while (j < e && isalpha((unsigned char)s[j]))
			j++;
		if (month_name(s + i, j - i)) {
			static const char *const mn[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
				"aug", "sep", "oct", "nov", "dec" };
			int m;

			for (m = 0; m < 12; m++)
				if (strncasecmp(s + i, mn[m], 3) == 0)
					*month = m + 1;
			break;
		}
		i = j;
	}
	return y;
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
static regex_t num_re[4];
static int num_re_ok;
static pthread_once_t num_once = PTHREAD_ONCE_INIT;

static void
num_re_init(void)
{
	static const char *const pat[4] = {
		"^([0-9]+) ?\\(([0-9A-Za-z/-]+)\\) ?[,:] ?([A-Za-z]?[0-9]+( ?[-\xE2\x80\x93]+ ?[A-Za-z]?[0-9]+)?)$",
		"^([0-9]+)[ ,]+(([0-9]+)\\)[.,]? )?(pp?\\. ?)?([A-Za-z]?[0-9]+( ?[-\xE2\x80\x93]+ ?[A-Za-z]?[0-9]+)?)$",
		/* "617, id.L7", "654 A71": an article number after the volume */
		"^([0-9]+)[ ,]+(id\\. ?|art\\. ?|article )?([A-Za-z]{1,2}[0-9]+)$",
		/* "Nature 12, 267": the page after the volume */
		"^([0-9]+), ?(id\\. ?|art\\. ?|article )?([0-9]+)$",
	};
	int i;

	for (i = 0; i < 4; i++)
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
	    (t = strdup(v->text.buf)) != NULL) {
		if (regexec(&num_re[0], t, 7, m, 0) == 0) {
			fld_set(is, t, &m[2]);
			fld_set(pg, t, &m[3]);
			fld_set(v, t, &m[1]);
		} else if (regexec(&num_re[2], t, 7, m, 0) == 0 || regexec(&num_re[3], t, 7, m, 0) == 0) {
			fld_set(pg, t, &m[3]);
			fld_set(v, t, &m[1]);
		}
		free(t);
	} else if (pg->text.len && !v->text.len && (t = strdup(pg->text.buf)) != NULL) {
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
		    "Discussion [Pp]aper|Report)( [Nn]o\\.| [Nn]umber| #)? ?([A-Z][A-Za-z]*-?[0-9][0-9A-Za-z/.-]*[0-9A-Za-z]|"
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

/* Is there a four-digit year outside the title (a date the labels missed)? */
static bool
ref_has_year_outside(const char *base, const struct cvb_reftok *tok, const int *lab, int nt)
{
	int i, mo;
	char sf;

	for (i = 0; i < nt; i++)
		if (lab[i] != CVB_RL_TITLE && lab[i] != CVB_RL_DATE && lab[i] != CVB_RL_PAGE &&
		    tok[i].kind == CVB_RT_WORD && tok[i].e - tok[i].b == 4 &&
		    year_in(base, tok[i].b, tok[i].e, &sf, &mo))
			return true;
	return false;
}

/* The status of a paper, as CVs write it, and what it means (longer phrases first). */
static const struct { const char *words, *status; } status_words[] = {
	{ "under review", "under-review" }, { "in review", "under-review" },
	{ "in revision", "under-review" }, { "under revision", "under-review" },
	{ "revise and resubmit", "under-review" }, { "in submission", "submitted" },
	{ "submitted", "submitted" }, { "conditionally accepted", "accepted" },
	{ "accepted", "accepted" }, { "to appear", "accepted" }, { "in press", "in-press" },
	{ "forthcoming", "in-press" }, { "in preparation", "in-preparation" },
};

const char *
cvb_status_of(const char *s, size_t n, size_t *used)
{
	size_t k, l;

	for (k = 0; k < CVB_ARRAY_SIZE(status_words); k++) {
		l = strlen(status_words[k].words);
		if (n >= l && strncasecmp(s, status_words[k].words, l) == 0 &&
		    (n == l || !isalpha((unsigned char)s[l]))) {
			*used = l;
			return status_words[k].status;
		}
	}
	return NULL;
}

/* Words that name an award ("Best Paper Award", "Outstanding Paper Prize"). */
static const char *const award_words[] = { "award", "awards", "prize", "honorable", "honourable",
	"distinguished", NULL };

static bool
tok_alpha(const char *base, const struct cvb_reftok *t)
{
	return t->kind == CVB_RT_WORD && !is_digit(base[t->b]);
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
		static const char *const w[] = { "ed", "eds", "edd", "edited", "editor", "editors",
			"hg", "hrsg", "dir", NULL };

		if (tok_alpha(base, &tok[i]) && word_is(base + tok[i].b, tok[i].e - tok[i].b, w))
			edit = -1;
	}
	for (k = 0; k < ctx->nemph; k++) {
		size_t sb = ctx->emph[2 * k], se = ctx->emph[2 * k + 1];
		int tb, te, words = 0, before, after, c, best = -1;
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
			int nn;
			size_t sl = (size_t)(tok[te - 1].e - tok[tb].b);

			names_span = cvb_ref_names_at(base + tok[tb].b, sl, &nn) + 1 >= sl && nn > 0;
		}
		for (c = 0; c < L; c++) {
			uint32_t grp = delim ? emph_group(m, c, names_span) : 0;
			double sc;

			if (c == edit)
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

int
cvb_refparse(cvbib_biblio *b, struct cvb_item *it, const char *s, size_t len,
    const struct cvb_refctx *ctx)
{
	const struct cvb_seq_model *m;
	struct cvb_reftok *tok = NULL;
	struct cvb_seq *x = NULL;
	struct rp *r = NULL;
	struct fld f[CVB_RL__COUNT];
	int *lab = NULL, map[64], nt, i, L, rc = -CVBIB_ENOMEM, year = 0, month = 0, othb = -1, othe = -1;
	double *conf = NULL;
	char *w = NULL, *base, suf = 0;
	size_t sk;
	bool has[CVB_RL__COUNT] = { 0 };

	if (ctx != NULL && ctx->model != NULL)
		m = ctx->model;
	else {
		pthread_once(&shipped_once, load_shipped);
		m = shipped;
	}
	if (m == NULL)
		return 0;
	memset(f, 0, sizeof(f));
	if (len > 65536)
		len = 65536;
	w = malloc(len + 1);
	tok = malloc(sizeof(*tok) * MAXTOK);
	x = cvb_seq_new();
	r = malloc(sizeof(*r));
	if (w == NULL || tok == NULL || x == NULL || r == NULL)
		goto out;
	sk = cvb_ref_prepare(s, len, w);
	base = w + sk;
	len -= sk;
	nt = cvb_ref_tokens(base, (int)len, tok, MAXTOK);
	if (nt == 0) {
		rc = 0;
		goto out;
	}
	if (cvb_ref_features(base, (int)len, tok, nt, x) < 0)
		goto out;
	lab = malloc(sizeof(*lab) * (size_t)nt);
	conf = malloc(sizeof(*conf) * (size_t)nt);
	if (lab == NULL || conf == NULL ||
	    cvb_seq_decode(m, x, lab, ctx != NULL && ctx->explain ? conf : NULL) < 0 ||
	    emph_decode(m, x, base, (int)len, tok, nt, ctx, sk, lab) < 0)
		goto out;
	/* the model's labels -> ours */
	L = cvb_seq_model_nlabels(m);
	for (i = 0; i < L && i < 64; i++) {
		int k;

		map[i] = CVB_RL_OTHER;
		for (k = 0; k < CVB_RL__COUNT; k++)
			if (strcmp(cvb_seq_model_label(m, i), cvb_ref_labels[k]) == 0)
				map[i] = k;
	}
	for (i = 0; i < nt; i++)
		lab[i] = lab[i] < 64 ? map[lab[i]] : CVB_RL_OTHER;
	/* the exact recognisers decide their tokens, with the words that
	 * announce them ("arXiv preprint arXiv:", "doi:") */
	for (i = 0; i < nt; i++) {
		int k = tok[i].kind == CVB_RT_ARXIV ? CVB_RL_ARXIV : tok[i].kind == CVB_RT_DOI ? CVB_RL_DOI :
		    tok[i].kind == CVB_RT_URL && lab[i] != CVB_RL_DOI ? CVB_RL_URL : -1, q;
		static const char *const lead[] = { "arxiv", "preprint", "e-print", "eprint", "doi", "url",
			"available", "at", "online", "from", NULL };

		if (k < 0)
			continue;
		lab[i] = k;
		for (q = i - 1; q >= 0 && (tok[q].kind == CVB_RT_PUNCT ? base[tok[q].b] == ':' :
		    word_is(base + tok[q].b, tok[q].e - tok[q].b, lead)); q--)
			if (lab[q] == CVB_RL_OTHER || lab[q] == CVB_RL_NOTE || lab[q] == CVB_RL_JOURNAL ||
			    lab[q] == k)
				lab[q] = k;
			else
				break;
	}
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
	/* "... 2022. Best Paper Award.": an unlabelled sentence that names an
	 * award is a note (the award, below) */
	for (i = 0; i < nt; i++) {
		int e2, q, aw = 0;

		if (lab[i] != CVB_RL_OTHER || !tok_alpha(base, &tok[i]))
			continue;
		for (e2 = i; e2 < nt && (lab[e2] == CVB_RL_OTHER || lab[e2] == CVB_RL_NOTE) &&
		    !(tok[e2].kind == CVB_RT_PUNCT && (base[tok[e2].b] == '.' || base[tok[e2].b] == ';')); e2++)
			if (tok_alpha(base, &tok[e2]) && (word_is(base + tok[e2].b, tok[e2].e - tok[e2].b, award_words)))
				aw = 1;
		if (aw)
			for (q = i; q < e2; q++)
				lab[q] = CVB_RL_NOTE;
		i = e2;
	}
	for (i = 1; i < nt; i++) {
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

			if (year_in(base, tok[i].b, tok[i].e, &sf, &mo)) {
				lab[i] = CVB_RL_DATE;
				lab[i - 1] = CVB_RL_OTHER;
			}
		}
	}
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
				if ((wl == 1 && isupper((unsigned char)*tw)) || (wl == 3 && strncasecmp(tw, "and", 3) == 0))
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
	/* "Moto-oka", "Jean-Pierre": a word joined by a hyphen is one field */
	for (i = 1; i + 1 < nt; i++)
		if (tok[i].kind == CVB_RT_PUNCT && base[tok[i].b] == '-' && tok[i].e == tok[i].b + 1 &&
		    !(tok[i].flags & CVB_RT_SPACE) && !(tok[i + 1].flags & CVB_RT_SPACE) &&
		    tok[i - 1].kind == CVB_RT_WORD && tok[i + 1].kind == CVB_RT_WORD &&
		    isalpha((unsigned char)base[tok[i - 1].e - 1]) && isalpha((unsigned char)base[tok[i + 1].b]) &&
		    (lab[i - 1] == CVB_RL_AUTHOR || lab[i - 1] == CVB_RL_EDITOR))
			lab[i] = lab[i + 1] = lab[i - 1];

	memset(r, 0, offsetof(struct rp, tok));
	memset(&r->nau, 0, sizeof(*r) - offsetof(struct rp, nau));
	r->w = r->o = base;
	r->n = (int)len;
	r->ctx = ctx;
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
			end = parse_authors(r, tok[a].b, tok[k].e, r->au, MAXNAME, &n2, &oth, &st);
			if (n2 == 0 || end < tok[k].b)
				break;
			for (end = k, k = i; k < end; k++)
				lab[k] = CVB_RL_AUTHOR;
			break;
		}
	for (i = 0; i < nt;) {
		int j = i, k = lab[i], sb, se;

		while (j + 1 < nt && lab[j + 1] == k)
			j++;
		sb = tok[i].b;
		se = tok[j].e;
		has[k] = true;
		switch (k) {
		case CVB_RL_AUTHOR:
		case CVB_RL_EDITOR:
			if (k == CVB_RL_EDITOR) {
				/* "In", "(eds.)", "editors", "edited by" around the names */
				int p = i, q = j;

				while (p <= q && (tok[p].kind == CVB_RT_PUNCT ||
				    word_is(base + tok[p].b, tok[p].e - tok[p].b, cut_ed)))
					p++;
				while (q >= p && (tok[q].kind == CVB_RT_PUNCT ||
				    word_is(base + tok[q].b, tok[q].e - tok[q].b, cut_ed)))
					q--;
				if (q < p) {
					i = j + 1;
					continue;
				}
				sb = tok[p].b;
				se = tok[q].e;
				/* the full stop of a last initial */
				if (q < j && base[se] == '.')
					se++;
			}
			clean_span(base, &sb, &se, NULL, 0);
			/* "Smith, J.": the full stop of a last initial stays */
			if (se > sb && base[se] == '.' && isupper((unsigned char)base[se - 1]) &&
			    (se - 1 == sb || !isalpha((unsigned char)base[se - 2])))
				se++;
			if (se > sb)
				names_of(b, it, r, sb, se, k == CVB_RL_AUTHOR ? CVB_NV_AUTHOR : CVB_NV_EDITOR);
			break;
		case CVB_RL_DOI: case CVB_RL_URL: case CVB_RL_ARXIV: {
			/* the recogniser's token where there is one */
			int q;

			for (q = i; q <= j; q++)
				if (tok[q].kind == CVB_RT_DOI || tok[q].kind == CVB_RT_URL ||
				    tok[q].kind == CVB_RT_ARXIV) {
					sb = tok[q].b;
					se = tok[q].e;
					break;
				}
			if (q > j)
				clean_span(base, &sb, &se, NULL, 0);
			if (f[k].runs == 0)
				fld_add(&f[k], base, sb, se);
			break;
		}
		case CVB_RL_OTHER:
			/* "PhD thesis, University of Kiel": the school after the genre */
			if (i > 0 && lab[i - 1] == CVB_RL_GENRE && othb < 0) {
				othb = sb;
				othe = se;
			}
			break;
		default:
			clean_span(base, &sb, &se, k == CVB_RL_PAGE ? cut_page : k == CVB_RL_VOLUME ? cut_vol :
			    k == CVB_RL_ISSUE ? cut_iss : k == CVB_RL_CONTAINER || k == CVB_RL_JOURNAL ?
			    cut_cont : NULL, 0);
			if (k == CVB_RL_DATE) {
				int mo;
				char sf;
				int y = year_in(base, sb, se, &sf, &mo);

				if (y && !year) {
					year = y;
					suf = sf;
					month = mo;
				}
				if (contains_ci(base + sb, "in press") && se - sb < 20)
					r->status = "in press";
				else if (contains_ci(base + sb, "forthcoming") && se - sb < 20)
					r->status = "forthcoming";
			} else if (k != CVB_RL_OTHER)
				fld_add(&f[k], base, sb, se);
		}
		i = j + 1;
	}
	repair_numbers(f);
	/* "12(3)", "5 (1)" labelled the volume: the issue in brackets */
	if (f[CVB_RL_VOLUME].text.len && !f[CVB_RL_ISSUE].text.len) {
		char *v = f[CVB_RL_VOLUME].text.buf, *p = strchr(v, '('), *q;

		if (p == NULL) {
			/* "8, no. 4" "12 issue 3" */
			static const char *const mk[] = { ", no.", " no.", ", no ", " no ", ", nr.", " nr.",
				", issue ", " issue ", ", n. ", NULL };
			int k2;

			for (k2 = 0; mk[k2] != NULL && p == NULL; k2++) {
				char *at = strstr(v, mk[k2]);

				if (at != NULL && at > v) {
					q = at + strlen(mk[k2]);
					while (*q == ' ')
						q++;
					if (*q != '\0' && strlen(q) <= 8) {
						fld_add(&f[CVB_RL_ISSUE], q, 0, (int)strlen(q));
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
	if (year == 0) {
		/* no date label: a year in a note or the container; then one that
		 * opens the volume ("2024. 403(10440)": taken out of it); a year in
		 * the title ("..., 1990-2021") last */
		int pass;

		for (pass = 0; pass < 3 && !year; pass++)
			for (i = 0; i < nt && !year; i++) {
				int mo;

				if (tok[i].e - tok[i].b != 4 || tok[i].kind != CVB_RT_WORD ||
				    lab[i] == CVB_RL_PAGE ||
				    (pass == 0 && (lab[i] == CVB_RL_TITLE || lab[i] == CVB_RL_VOLUME)) ||
				    (pass == 1 && !(lab[i] == CVB_RL_VOLUME &&
				    vol_opens_with(&f[CVB_RL_VOLUME], base + tok[i].b))) ||
				    (pass == 2 && lab[i] != CVB_RL_TITLE))
					continue;
				year = year_in(base, tok[i].b, tok[i].e, &suf, &mo);
				if (year && lab[i] == CVB_RL_VOLUME)
					vol_drop_year(&f[CVB_RL_VOLUME]);
			}
	}
	/* "(under review)" "(in press)" closing a title or container: the status */
	{
		static const char *const st[] = { "under review", "in press", "submitted", "forthcoming",
			"to appear", "accepted", "in preparation", "under revision", NULL };
		int fi, q;

		for (fi = 0; fi < 3; fi++) {
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_TITLE : fi == 1 ? CVB_RL_CONTAINER : CVB_RL_JOURNAL].text;
			char *lp;

			if (t->len < 4 || t->buf[t->len - 1] != ')' || (lp = strrchr(t->buf, '(')) == NULL)
				continue;
			for (q = 0; st[q] != NULL; q++)
				if (strncasecmp(lp + 1, st[q], strlen(st[q])) == 0 &&
				    lp + 1 + strlen(st[q]) == t->buf + t->len - 1) {
					r->status = st[q];
					while (lp > t->buf && lp[-1] == ' ')
						lp--;
					cvb_buf_setlen(t, (size_t)(lp - t->buf));
					break;
				}
		}
	}
	/* phrases of CVs, recognised exactly: the status of a paper, awards,
	 * patents; they are no container, publisher or title */
	{
		static const char *const aw[] = { "award", "best paper", "prize", "honorable mention",
			"distinguished paper", NULL };
		int q, fi;

		for (q = 0; q < (int)CVB_ARRAY_SIZE(status_words) && r->status == NULL; q++) {
			const char *at = base;
			size_t ln = strlen(status_words[q].words);

			while ((at = strcasestr(at, status_words[q].words)) != NULL) {
				/* not the journal in "published in Review of Economic Studies" */
				if ((at == base || !isalpha((unsigned char)at[-1])) && !isalpha((unsigned char)at[ln]) &&
				    strncasecmp(at + ln, " of ", 4) != 0) {
					r->status = status_words[q].words;
					break;
				}
				at += ln;
			}
		}
		if (r->status != NULL)
			for (fi = 0; fi < 4; fi++) {
				int k = fi == 0 ? CVB_RL_CONTAINER : fi == 1 ? CVB_RL_JOURNAL : fi == 2 ?
				    CVB_RL_NOTE : CVB_RL_PUBLISHER;
				struct cvb_buf *t = &f[k].text;
				size_t ln = strlen(r->status), cut;

				if (t->len >= ln && strncasecmp(t->buf, r->status, ln) == 0) {
					/* "Under review at ICLR" -> "ICLR" */
					cut = ln;
					while (cut < t->len && (t->buf[cut] == ' ' || t->buf[cut] == ','))
						cut++;
					if (strncasecmp(t->buf + cut, "at ", 3) == 0 || strncasecmp(t->buf + cut, "to ", 3) == 0)
						cut += 3;
					else if (strncasecmp(t->buf + cut, "for publication", 15) == 0)
						cut += 15;
					memmove(t->buf, t->buf + cut, t->len - cut);
					cvb_buf_setlen(t, t->len - cut);
				}
			}
		/* "Title. Conditionally accepted": the status is no part of the title */
		if (r->status != NULL && f[CVB_RL_TITLE].text.len > 0) {
			struct cvb_buf *t = &f[CVB_RL_TITLE].text;
			size_t ln = strlen(r->status), e = t->len;

			while (e > 0 && (t->buf[e - 1] == '.' || t->buf[e - 1] == ' ' || t->buf[e - 1] == ','))
				e--;
			if (e > ln + 2 && strncasecmp(t->buf + e - ln, r->status, ln) == 0 &&
			    (t->buf[e - ln - 1] == ' ') && (t->buf[e - ln - 2] == '.' || t->buf[e - ln - 2] == ',')) {
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
		if (r->status != NULL && f[CVB_RL_NOTE].text.len > 0 && strcasestr(f[CVB_RL_NOTE].text.buf,
		    r->status) != NULL && f[CVB_RL_NOTE].text.len < 60)
			cvb_buf_setlen(&f[CVB_RL_NOTE].text, 0);	/* the status says it */
		for (fi = 0; fi < 2; fi++) {
			struct cvb_buf *t = &f[fi == 0 ? CVB_RL_NOTE : CVB_RL_PUBLISHER].text;

			for (q = 0; aw[q] != NULL && t->len > 0; q++)
				if (strcasestr(t->buf, aw[q]) != NULL) {
					cvb_item_add_note(b, it, CVB_NOTE_AWARD,
					    cvb_arena_strndup(&b->arena, t->buf, t->len));
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
	if (year == 0) {
		/* "(ICLR'21)" "KDD '23": a venue's two-digit year */
		for (i = 1; i + 2 < (int)len; i++)
			if ((base[i] == '\'' || ((unsigned char)base[i] == 0x99 && i >= 2 &&
			    (unsigned char)base[i - 1] == 0x80)) && is_digit(base[i + 1]) && is_digit(base[i + 2]) &&
			    (i + 3 >= (int)len || !isalnum((unsigned char)base[i + 3]))) {
				int yy = (base[i + 1] - '0') * 10 + (base[i + 2] - '0');

				year = yy > 50 ? 1900 + yy : 2000 + yy;
				break;
			}
	}
	it->str[CVB_V_TITLE] = fld_str(b, &f[CVB_RL_TITLE]);
	{
		struct fld *c = f[CVB_RL_JOURNAL].text.len ? &f[CVB_RL_JOURNAL] : &f[CVB_RL_CONTAINER];

		it->str[CVB_V_CONTAINER_TITLE] = fld_str(b, c);
		if (it->str[CVB_V_CONTAINER_TITLE] != NULL) {
			struct span cs = { 0, 0 };
			int v;

			r->o = c->text.buf;
			cs.e = (int)c->text.len;
			v = venue_in(r, cs);
			r->o = base;
			if (v < 0) {
				/* "... Representations (ICLR'21)": the acronym beside the name */
				cs.e = r->n;
				v = venue_in(r, cs);
			}
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
			}
		}
	}
	it->str[CVB_V_COLLECTION_TITLE] = fld_str(b, &f[CVB_RL_COLLECTION]);
	it->str[CVB_V_PUBLISHER] = fld_str(b, &f[CVB_RL_PUBLISHER]);
	it->str[CVB_V_PUBLISHER_PLACE] = fld_str(b, &f[CVB_RL_LOCATION]);
	it->str[CVB_V_VOLUME] = fld_str(b, &f[CVB_RL_VOLUME]);
	it->str[CVB_V_ISSUE] = fld_str(b, &f[CVB_RL_ISSUE]);
	it->str[CVB_V_PAGE] = fld_str(b, &f[CVB_RL_PAGE]);
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
		has[CVB_RL_ARXIV] = false;
	}
	if (!f[CVB_RL_ARXIV].text.len && it->str[CVB_V_URL] != NULL &&
	    strstr(it->str[CVB_V_URL], "arxiv.org/") != NULL) {
		struct cvb_buf id = CVB_BUF_INIT;

		if (cvb_arxiv_find(it->str[CVB_V_URL], &id) && id.len > 0) {
			fld_add(&f[CVB_RL_ARXIV], id.buf, 0, (int)id.len);
			has[CVB_RL_ARXIV] = true;
		}
		cvbib_buf_release(&id);
	}
	it->str[CVB_V_GENRE] = fld_str(b, &f[CVB_RL_GENRE]);
	report_number(b, it, base);
	/* the type, from what the labels say */
	{
		const char *g = it->str[CVB_V_GENRE], *c = it->str[CVB_V_CONTAINER_TITLE];

		if (it->type == CVB_T_PATENT)
			;
		else if (it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL && (!has[CVB_RL_JOURNAL] ||
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
		    contains_ci(g, "working paper") || contains_ci(g, "memo")))
			it->type = CVB_T_REPORT;
		else if (has[CVB_RL_JOURNAL])
			it->type = CVB_T_ARTICLE_JOURNAL;
		else if (c != NULL && (contains_ci(c, "proc") || contains_ci(c, "conference") ||
		    contains_ci(c, "workshop") || contains_ci(c, "symposium") ||
		    it->str[CVB_V_CONTAINER_TITLE_SHORT] != NULL))
			it->type = CVB_T_PAPER_CONFERENCE;
		else if (c != NULL)
			it->type = has[CVB_RL_EDITOR] || has[CVB_RL_PUBLISHER] ? CVB_T_CHAPTER :
			    CVB_T_ARTICLE_JOURNAL;
		else if (has[CVB_RL_PUBLISHER] || has[CVB_RL_LOCATION])
			it->type = CVB_T_BOOK;
		else if (has[CVB_RL_ARXIV])
			it->type = CVB_T_ARTICLE;
		else
			it->type = CVB_T_ARTICLE_JOURNAL;
	}
	/* "Review of “Title” by A. Author": a book review, titled by the book (its
	 * type stays what the labels say: review-book does not survive BibTeX) */
	if (it->str[CVB_V_TITLE] != NULL && strncasecmp(it->str[CVB_V_TITLE], "review of ", 10) == 0) {
		const char *t = it->str[CVB_V_TITLE] + 10;
		size_t tl;

		while (*t == ' ' || *t == '"' || (strncmp(t, "\xE2\x80\x9C", 3) == 0 && (t += 2)))
			t++;
		tl = strlen(t);
		while (tl > 0 && (t[tl - 1] == ' ' || t[tl - 1] == '"' || t[tl - 1] == ',' ||
		    (tl >= 3 && strncmp(t + tl - 3, "\xE2\x80\x9D", 3) == 0 && (tl -= 2))))
			tl--;
		if (tl > 0)
			it->str[CVB_V_TITLE] = cvb_arena_strndup(&b->arena, t, tl);
	}
	if (it->type == CVB_T_THESIS && it->str[CVB_V_PUBLISHER] == NULL && othb >= 0) {
		int ob = othb, oe = othe;

		clean_span(base, &ob, &oe, NULL, 0);
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
	if (f[CVB_RL_ARXIV].text.len) {
		const char *a = fld_str(b, &f[CVB_RL_ARXIV]);

		if (strncasecmp(a, "arxiv:", 6) == 0)
			a += 6;
		cvb_item_add_field(b, it, "arxiv", a, 0);
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
	if (year) {
		struct cvb_date *d = cvb_date_new(b);

		if (d != NULL) {
			d->parts[0][0] = year;
			d->nparts[0] = 1;
			if (month) {
				d->parts[0][1] = month;
				d->nparts[0] = 2;
			}
			it->date[CVB_DV_ISSUED] = d;
		}
		if (suf)
			it->str[CVB_V_YEAR_SUFFIX] = cvb_arena_strndup(&b->arena, &suf, 1);
	}
	if (r->status) {
		cvb_item_add_note(b, it, CVB_NOTE_STATUS, r->status);
		it->str[CVB_V_STATUS] = r->status;
	}
	if (f[CVB_RL_NOTE].text.len)
		cvb_item_add_note(b, it, CVB_NOTE_OTHER, fld_str(b, &f[CVB_RL_NOTE]));
	if (ctx != NULL && ctx->explain) {
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
	/* a reference: a title or venue, and authors, a year or a link of its
	 * own ("Title. http://hdl.handle.net/...": a thesis under a year heading) */
	rc = (it->str[CVB_V_TITLE] != NULL || it->str[CVB_V_CONTAINER_TITLE] != NULL) &&
	    (it->names[CVB_NV_AUTHOR] != NULL || year || (it->str[CVB_V_TITLE] != NULL &&
	    (it->str[CVB_V_URL] != NULL || it->str[CVB_V_DOI] != NULL))) ? 1 : 0;
out:
	for (i = 0; i < CVB_RL__COUNT; i++)
		cvbib_buf_release(&f[i].text);
	free(w);
	free(tok);
	free(lab);
	free(conf);
	free(r);
	cvb_seq_free(x);
	if (rc >= 0 && b->arena.err)
		rc = -CVBIB_ENOMEM;
	return rc;
}
