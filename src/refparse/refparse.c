/*
 * refparse.c - one reference string into one cvb_item.
 *
 * The parser is a set of ordered heuristics over a working copy of the string.
 * Identifiers (DOI, arXiv id, URL) come out first, then the author list
 * (three grammars of name lists: "J. Smith", "Smith, J." and Vancouver's
 * "Smith JA", tried in turn, the one that reads most names wins), then the
 * year and the title (quoted, or up to the next sentence boundary), and last
 * the numbers and places of what is left: pages, volume and issue, year,
 * publisher and location, status notes.  What remains in front of the numbers
 * is the container.  Every step blanks what it took out of the working copy
 * (with CONSUMED), so later steps see it as a hard boundary.
 *
 * It is linear in the length of the string (every scan is bounded) and
 * allocates only the strings it hands to the item, from the arena.  It knows
 * nothing about documents: read_text.c finds the entries and cleans them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"

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

static bool
cp_upper(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return true;
	if (c >= 0x100 && c <= 0x17F)
		return (c & 1) == 0;
	if ((c >= 0x391 && c <= 0x3A9) || (c >= 0x400 && c <= 0x42F))
		return true;
	/* scripts without case (CJK, Hangul, ...) count as capitals for names */
	return c >= 0x3040;
}

static bool
cp_lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z';
	if (c >= 0xDF && c <= 0xFF && c != 0xF7)
		return true;
	if (c >= 0x100 && c <= 0x17F)
		return (c & 1) == 1;
	if ((c >= 0x3B1 && c <= 0x3C9) || (c >= 0x430 && c <= 0x45F))
		return true;
	return false;
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

static const char *const particles[] = {
	"van", "von", "der", "den", "de", "del", "della", "delle", "di", "da", "dos",
	"das", "du", "la", "le", "ten", "ter", "zu", "vom", "zur", "af", "av", "dei",
	"degli", "bin", "ibn", "al", "el", "op", "het", "'t", "st", "y", "lo", "des",
	"d'", "l'",
};

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
	for (i = 0; i < CVB_ARRAY_SIZE(particles); i++)
		if (word_eq_ci(s, len, particles[i]))
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

	while (i < to && nt < MAXTOK - 1) {
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
	r->tok[nt].t = TK_END;
	r->tok[nt].b = r->tok[nt].e = i < to ? i : to;
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
		    (T(j - 2).cls & W_INIT))
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
	/* "T. Ma." "H. Xu.": a two-letter family name at the end of a list */
	if ((T(k).cls & W_INIT) && (T(k).cls & W_DOT) && T(k).e - T(k).b == 3 &&
	    islower((unsigned char)r->w[T(k).b + 1]) && k > i && (T(k - 1).cls & W_INIT))
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
static bool next_is_abbrev(const struct rp *, int);
static bool has_venue_acronym(const struct rp *, struct span);

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

static void
consume(struct rp *r, int b, int e)
{
	int i;

	for (i = b; i < e && i < r->n; i++)
		r->w[i] = CONSUMED;
}

static int
skip_sp(const struct rp *r, int i)
{
	while (i < r->n && is_sp((unsigned char)r->w[i]))
		i++;
	return i;
}

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

static struct span
trim(const struct rp *r, int b, int e, const char *cutlead, const char *cuttrail)
{
	return trim_buf(r->w, b, e, cutlead, cuttrail);
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

/* Letters of other scripts (bytes >= 0x80) are part of words too. */
static bool
word_start(const struct rp *r, int i)
{
	return i == 0 || !(isalnum((unsigned char)r->w[i - 1]) || (unsigned char)r->w[i - 1] >= 0x80);
}

static bool
word_end(const struct rp *r, int i)
{
	return i >= r->n || !(isalpha((unsigned char)r->w[i]) || (unsigned char)r->w[i] >= 0x80);
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

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};

static int
month_at(const struct rp *r, int i, int *len)
{
	static const char *const full[] = { "january", "february", "march", "april", "may",
		"june", "july", "august", "september", "october", "november", "december" };
	static const char *const other[] = { "janvier", "février", "mars", "avril", "mai", "juin",
		"juillet", "août", "septembre", "octobre", "novembre", "décembre",
		"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
		"oktober", "november", "dezember", "enero", "febrero", "marzo", "abril", "mayo",
		"junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre" };
	int m, l;

	if (!word_start(r, i))
		return 0;
	if ((unsigned char)r->w[i] >= 'a' || (unsigned char)r->w[i] >= 'A') {
		size_t k;

		for (k = 0; k < CVB_ARRAY_SIZE(other); k++) {
			l = (int)strlen(other[k]);
			if (strncasecmp(r->w + i, other[k], (size_t)l) == 0 && word_end(r, i + l) &&
			    (i + l >= r->n || (unsigned char)r->w[i + l] < 0x80)) {
				*len = l;
				return (int)(k % 12) + 1;
			}
		}
	}
	for (m = 0; m < 12; m++) {
		l = (int)strlen(full[m]);
		if (starts_ci(r, i, full[m]) && word_end(r, i + l)) {
			*len = l;
			return m + 1;
		}
		if (starts_ci(r, i, months[m]) && word_end(r, i + 3)) {
			*len = 3 + (i + 3 < r->n && r->w[i + 3] == '.');
			return m + 1;
		}
		if (m == 8 && starts_ci(r, i, "sept") && word_end(r, i + 4)) {
			*len = 4 + (i + 4 < r->n && r->w[i + 4] == '.');
			return 9;
		}
	}
	return 0;
}

/* ----------------------------------------------------------- identifiers */

static void
find_ids(struct rp *r)
{
	int i, e;

	for (i = 0; i < r->n; i++) {
		char c = r->w[i];

		if (c == '1' && i + 3 < r->n && r->w[i + 1] == '0' && r->w[i + 2] == '.' &&
		    is_digit(r->w[i + 3]) && (i == 0 || !is_digit(r->w[i - 1])) && r->doi.e == 0) {
			int s = i, b = i;

			e = i + 3;
			while (e < r->n && is_digit(r->w[e]))
				e++;
			if (e - i < 7 || e >= r->n || r->w[e] != '/')
				continue;
			while (e < r->n && !is_sp((unsigned char)r->w[e]) && r->w[e] != CONSUMED)
				e++;
			while (e > i && strchr(".,;)]", r->w[e - 1]) != NULL)
				e--;
			r->doi.b = i;
			r->doi.e = e;
			/* take a "doi:" / "https://doi.org/" prefix with it */
			while (b > 0 && !is_sp((unsigned char)r->w[b - 1]))
				b--;
			if (b < s && (strncasecmp(r->w + b, "doi", 3) == 0 ||
			    strncasecmp(r->w + b, "http", 4) == 0))
				s = b;
			else {
				int k = skip_sp(r, b) , q = b - 1;

				(void)k;
				while (q > 0 && is_sp((unsigned char)r->w[q]))
					q--;
				if (q >= 3 && (strncasecmp(r->w + q - 3, "doi:", 4) == 0))
					s = q - 3;
				else if (q >= 2 && strncasecmp(r->w + q - 2, "doi", 3) == 0)
					s = q - 2;
			}
			consume(r, s, i);
			i = e - 1;
			continue;
		}
		if ((c == 'h' && (starts_ci(r, i, "http://") || starts_ci(r, i, "https://"))) ||
		    (c == 'w' && starts_ci(r, i, "www.") && word_start(r, i))) {
			int depth = 0;

			e = i;
			while (e < r->n && !is_sp((unsigned char)r->w[e]) && r->w[e] != CONSUMED) {
				if (r->w[e] == '(')
					depth++;
				else if (r->w[e] == ')' && --depth < 0)
					break;
				e++;
			}
			while (e > i && strchr(".,;]", r->w[e - 1]) != NULL)
				e--;
			{
				/* https://doi.org/10.xxx is a DOI */
				int k;

				for (k = i; k + 8 < e; k++)
					if (strncasecmp(r->w + k, "doi.org/", 8) == 0 && r->w[k + 8] == '1' &&
					    r->w[k + 9] == '0' && r->doi.e == 0) {
						r->doi.b = k + 8;
						r->doi.e = e;
						break;
					}
				if (r->doi.b > i && r->doi.e == e) {
					/* keep the URL as written too */
					if (r->url.e == 0) {
						r->url.b = i;
						r->url.e = e;
					}
					consume(r, i, r->doi.b);
					i = e - 1;
					continue;
				}
			}
			if (r->url.e == 0 && r->doi.e == 0 && (e - i) > 8) {
				r->url.b = i;
				r->url.e = e;
			}
			i = e - 1;
			continue;
		}
		if (is_digit(c) && r->arxiv.e == 0 && i >= 2 && (r->w[i - 1] == ' ' || r->w[i - 1] == ',') &&
		    (r->w[i - 2] == ',' || r->w[i - 1] == ',') && i + 9 <= r->n) {
			/* "..., 1608.03051" "1110 .6448": a bare arXiv id at the end */
			int q = i + 4, mm = (r->w[i + 2] - '0') * 10 + (r->w[i + 3] - '0'), k2;

			if (is_digit(r->w[i + 1]) && is_digit(r->w[i + 2]) && is_digit(r->w[i + 3]) &&
			    mm >= 1 && mm <= 12) {
				if (q < r->n && r->w[q] == ' ')
					q++;
				if (q < r->n && r->w[q] == '.') {
					for (k2 = q + 1; k2 < r->n && is_digit(r->w[k2]); k2++)
						;
					if (k2 - q - 1 >= 4 && k2 - q - 1 <= 5 && (k2 >= r->n || !isalnum((unsigned char)r->w[k2]))) {
						r->arxiv.b = i;
						r->arxiv.e = k2;
						i = k2 - 1;
						continue;
					}
				}
			}
		}
		if ((c == 'a' || c == 'A') && starts_ci(r, i, "arxiv") && word_start(r, i)) {
			int j = i + 5;

			while (j < r->n && (is_sp((unsigned char)r->w[j]) || r->w[j] == ':' || r->w[j] == ','))
				j++;
			if (starts_ci(r, j, "abs/"))
				j += 4;
			e = j;
			while (e < r->n && (isalnum((unsigned char)r->w[e]) || r->w[e] == '.' ||
			    r->w[e] == '/' || r->w[e] == '-'))
				e++;
			while (e > j && r->w[e - 1] == '.')
				e--;
			if (e > j && is_digit(r->w[e - 1]) && r->arxiv.e == 0) {
				r->arxiv.b = j;
				r->arxiv.e = e;
			}
		}
	}
}

/* -------------------------------------------------------------- the rest */


/* Digits (with an optional letter prefix, "e1234", "A92", "L12") at i: end or 0. */
static int number_at2(const struct rp *r, int i, int after_dash);

static int
number_at(const struct rp *r, int i)
{
	return number_at2(r, i, 0);
}

static int
number_at2(const struct rp *r, int i, int after_dash)
{
	int j = i;

	if (j < r->n && isalpha((unsigned char)r->w[j]) && j + 1 < r->n && is_digit(r->w[j + 1]) &&
	    word_start(r, j))
		j++;
	if (j >= r->n || !is_digit(r->w[j]))
		return 0;
	if (i > 0 && (isalnum((unsigned char)r->w[i - 1]) || r->w[i - 1] == '\''))
		return 0;
	if (i > 2 && (unsigned char)r->w[i - 1] == 0x99 && (unsigned char)r->w[i - 2] == 0x80)
		return 0;	/* ICFP’97 */
	/* "IJCAI-89" "J07" are names, not numbers */
	if (!after_dash && i > 1 && r->w[i - 1] == '-' && isalnum((unsigned char)r->w[i - 2]))
		return 0;
	while (j < r->n && is_digit(r->w[j]))
		j++;
	if (j < r->n && isalpha((unsigned char)r->w[j]) && (j + 1 >= r->n ||
	    !isalpha((unsigned char)r->w[j + 1])) && r->w[j] != 'p')
		j++;	/* 12a */
	return j;
}

/* A page range at i ("123-145", "e12 - e19", "S12–S20"): end or 0. */
static int
range_at(const struct rp *r, int i, int *dash)
{
	int e = number_at(r, i), j, d;

	if (e == 0)
		return 0;
	j = e;
	while (j < r->n && r->w[j] == ' ')
		j++;
	d = dash_at(r->w, j, r->n);
	if (d == 0)
		return 0;
	*dash = j;
	j += d;
	while (j < r->n && r->w[j] == ' ')
		j++;
	e = number_at2(r, j, 1);
	if (e == 0)
		return 0;
	return e;
}

static void
set_year(struct rp *r, int y, char suf)
{
	if (r->year == 0) {
		r->year = y;
		r->year_suffix = suf;
	}
}

static const char *const vol_words[] = { "vol", "volume", "bd", "jg", "tome", "t", "v", "vols", NULL };
static const char *const iss_words[] = { "no", "nr", "issue", "n", "heft", "num", "number", "iss",
	"n\xC2\xB0", "n\xC2\xBA", NULL };
static const char *const page_words[] = { "pp", "p", "pages", "page", "s", "pág", "págs", NULL };

/* Pages, volume, issue and years in [b, e). */
static void
find_numbers(struct rp *r, int b, int e)
{
	int i, j, d, k;
	char suf;

	/* explicit labels first */
	for (i = b; i < e; i++) {
		if (r->w[i] == CONSUMED || !word_start(r, i) || !isalpha((unsigned char)r->w[i]))
			continue;
		j = i;
		while (j < e && isalpha((unsigned char)r->w[j]))
			j++;
		k = j;
		if (k + 1 < e && (unsigned char)r->w[k] == 0xC2 && ((unsigned char)r->w[k + 1] == 0xB0 ||
		    (unsigned char)r->w[k + 1] == 0xBA) && j - i == 1 && (r->w[i] == 'n' || r->w[i] == 'N'))
			k += 2;	/* "n°20" */
		if (k + 1 < e && r->w[k] == ' ' && r->w[k + 1] == '.')
			k++;	/* "vol .111" */
		if (k < e && r->w[k] == '.')
			k++;
		while (k < e && (is_sp((unsigned char)r->w[k]) || r->w[k] == ':'))
			k++;
		if (k < e && (word_eq_ci(r->w + i, j - i, "vol") || word_eq_ci(r->w + i, j - i, "volume")) &&
		    strchr("IVXLC", r->w[k]) && r->vol.e == 0) {
			int q = k;

			while (q < e && strchr("IVXLC", r->w[q]))
				q++;
			if (q >= e || !isalpha((unsigned char)r->w[q])) {
				r->vol.b = k;
				r->vol.e = q;
				consume(r, i, q);
				i = q;
				continue;
			}
		}
		if (k >= e || !(is_digit(r->w[k]) || (isalpha((unsigned char)r->w[k]) &&
		    k + 1 < e && is_digit(r->w[k + 1]) && (r->w[k] == 'e' || r->w[k] == 'S' ||
		    r->w[k] == 'A' || r->w[k] == 'L'))))
			continue;
		{
			const char *const *l;
			int which = 0, ne;

			for (l = page_words; *l && !which; l++)
				if (word_eq_ci(r->w + i, j - i, *l))
					which = 3;
			for (l = vol_words; *l && !which; l++)
				if (word_eq_ci(r->w + i, j - i, *l))
					which = 1;
			for (l = iss_words; *l && !which; l++)
				if (word_eq_ci(r->w + i, j - i, *l))
					which = 2;
			if (which == 0)
				continue;
			if (which == 3 && r->w[i] == 'S' && j - i == 1 && !(k - j <= 2))
				continue;
			if (which == 3) {
				ne = range_at(r, k, &d);
				if (ne == 0)
					ne = number_at(r, k);
				if (ne == 0 || r->page.e)
					continue;
				r->page.b = k;
				r->page.e = ne;
			} else {
				ne = number_at(r, k);
				if (ne == 0)
					continue;
				/* 7-8 as an issue */
				if (which == 2 && (d = dash_at(r->w, ne, e)) > 0 && number_at2(r, ne + d, 1))
					ne = number_at2(r, ne + d, 1);
				if (which == 1) {
					if (r->vol.e)
						continue;
					r->vol.b = k;
					r->vol.e = ne;
				} else {
					if (r->iss.e)
						continue;
					r->iss.b = k;
					r->iss.e = ne;
				}
			}
			consume(r, i, ne);
			i = ne;
		}
	}
	/* Korean and Chinese labels: 제23권 제4호, 第58卷 第2期 */
	for (i = b; i + 3 < e; i++) {
		const unsigned char *u = (const unsigned char *)r->w + i;
		int q, which = 0;

		if (!((u[0] == 0xEC && u[1] == 0xA0 && u[2] == 0x9C) || (u[0] == 0xE7 && u[1] == 0xAC && u[2] == 0xAC)))
			continue;
		q = i + 3;
		while (q < e && is_digit(r->w[q]))
			q++;
		if (q == i + 3 || q + 3 > e)
			continue;
		u = (const unsigned char *)r->w + q;
		if ((u[0] == 0xEA && u[1] == 0xB6 && u[2] == 0x8C) || (u[0] == 0xE5 && u[1] == 0x8D && u[2] == 0xB7) ||
		    (u[0] == 0xE5 && u[1] == 0xB7 && u[2] == 0xBB))
			which = 1;	/* 권 卷 巻 */
		else if ((u[0] == 0xED && u[1] == 0x98 && u[2] == 0xB8) || (u[0] == 0xE6 && u[1] == 0x9C && u[2] == 0x9F) ||
		    (u[0] == 0xE5 && u[1] == 0x8F && u[2] == 0xB7))
			which = 2;	/* 호 期 号 */
		if (which == 1 && r->vol.e == 0) {
			r->vol.b = i + 3;
			r->vol.e = q;
		} else if (which == 2 && r->iss.e == 0) {
			r->iss.b = i + 3;
			r->iss.e = q;
		} else
			continue;
		consume(r, i, q + 3);
		i = q + 2;
	}
	/* vol (year) pages: "112 ( 2013)393- 395", "D10 (1974) 2445-2459" */
	for (i = b; i < e; i++) {
		int ve, yb, ye, pb, pe, vb = i;

		int ib2 = 0, ie2 = 0;

		if (r->w[i] == CONSUMED || !(ve = number_at(r, i)))
			continue;
		j = ve;
		/* "52.1 (2004): 43-67": volume.issue */
		if (j + 1 < e && r->w[j] == '.' && is_digit(r->w[j + 1]) && !is_digit(r->w[j + 2 < e ? j + 2 : j + 1]) &&
		    j + 3 < e && r->w[j + 2] == ' ' && r->w[j + 3] == '(') {
			ib2 = j + 1;
			ie2 = j + 2;
			j += 2;
		}
		while (j < e && r->w[j] == ' ')
			j++;
		if (j >= e || r->w[j] != '(')
			continue;
		/* a volume named by a year needs its page: "PoS LATTICE 2015 (2016) 016" */
		if (year_at(r, i, &suf)) {
			int q = j + 1;

			while (q < e && (r->w[q] == ' ' || is_digit(r->w[q])))
				q++;
			if (q >= e || r->w[q] != ')')
				continue;
			q++;
			while (q < e && r->w[q] == ' ')
				q++;
			if (q >= e || !is_digit(r->w[q]))
				continue;
		}
		yb = j + 1;
		while (yb < e && r->w[yb] == ' ')
			yb++;
		if (!year_at(r, yb, &suf))
			continue;
		ye = yb + 4;
		while (ye < e && r->w[ye] == ' ')
			ye++;
		if (ye >= e || r->w[ye] != ')')
			continue;
		pb = ye + 1;
		while (pb < e && (r->w[pb] == ' ' || r->w[pb] == ',' || r->w[pb] == ':' || r->w[pb] == CONSUMED))
			pb++;
		pe = range_at(r, pb, &d);
		if (pe == 0) {
			pe = number_at(r, pb);
			/* "36 (1992) 6, 600-602": the issue, then the pages */
			if (pe && pe - pb <= 2 && pe + 2 < e && r->w[pe] == ',' && r->iss.e == 0) {
				int q = pe + 1, qe;

				while (q < e && r->w[q] == ' ')
					q++;
				qe = range_at(r, q, &d);
				if (qe) {
					r->iss.b = pb;
					r->iss.e = pe;
					pb = q;
					pe = qe;
				}
			}
		}
		/* "Phys. Rev. D 92 (2015)." : a volume right after the journal, no page */
		if (pe == 0 && !(ve - vb <= 4 && vb > b && (r->w[vb - 1] == ' ' || r->w[vb - 1] == '.') &&
		    (isalpha((unsigned char)r->w[vb - 2 >= b ? vb - 2 : vb - 1]) || r->w[vb - 2 >= b ? vb - 2 : vb - 1] == '.')))
			continue;
		if (isupper((unsigned char)r->w[vb]) && r->w[vb] <= 'E' && is_digit(r->w[vb + 1]))
			vb++;	/* "Phys. Rev. D10": the letter belongs to the journal */
		if (r->vol.e == 0) {
			r->vol.b = vb;
			r->vol.e = ve;
		}
		set_year(r, year_at(r, yb, &suf), suf);
		if (pe && r->page.e == 0) {
			r->page.b = pb;
			r->page.e = pe;
		}
		if (ie2 > ib2 && r->iss.e == 0) {
			r->iss.b = ib2;
			r->iss.e = ie2;
		}
		consume(r, vb, pe ? pe : ye + 1);
		break;
	}
	/* vol(issue), vol(issue):pages, vol:pages, vol, pages */
	for (i = b; i < e; i++) {
		int ve, ib, ie, pb, pe;

		if (r->w[i] == CONSUMED || !(ve = number_at(r, i)))
			continue;
		if (year_at(r, i, &suf) && r->w[ve] != '(' && r->w[ve] != ':' &&
		    !(ve + 1 < e && r->w[ve] == ' ' && r->w[ve + 1] == '('))
			continue;
		j = ve;
		while (j < e && r->w[j] == ' ')
			j++;
		ib = ie = pb = pe = 0;
		if (j < e && r->w[j] == '(') {
			k = j + 1;
			while (k < e && r->w[k] == ' ')
				k++;
			ib = k;
			ie = number_at(r, k);
			if (ie && (d = dash_at(r->w, ie, e)) > 0 && number_at2(r, ie + d, 1))
				ie = number_at2(r, ie + d, 1);
			if (ie && year_at(r, ib, &suf) && ie - ib == 4) {
				/* "33 (1999)" "124(2014 )" is a year */
				ie = 0;
			}
			if (ie == 0) {
				/* "29(suppl 3): 147-150": the volume, a supplement, the pages */
				if (starts_ci(r, k, "suppl") && r->vol.e == 0) {
					int q = k, pe2;

					while (q < e && r->w[q] != ')' && q < k + 20)
						q++;
					if (q < e && r->w[q] == ')') {
						q++;
						while (q < e && (r->w[q] == ':' || r->w[q] == ' ' || r->w[q] == ','))
							q++;
						pe2 = range_at(r, q, &d);
						if (pe2 && r->page.e == 0) {
							r->vol.b = i;
							r->vol.e = ve;
							r->page.b = q;
							r->page.e = pe2;
							consume(r, i, pe2);
							i = pe2;
						}
					}
				}
				continue;
			}
			k = ie;
			while (k < e && r->w[k] == ' ')
				k++;
			if (k >= e || r->w[k] != ')')
				continue;
			j = k + 1;
			while (j < e && r->w[j] == ' ')
				j++;
		}
		if (ib && j < e && is_digit(r->w[j]) && !r->page.e && r->w[j - 1] == ' ') {
			/* "38(33) 6818 (1999)" */
			pe = range_at(r, j, &d);
			if (pe == 0)
				pe = number_at(r, j);
			if (pe)
				pb = j;
		} else if (j < e && (r->w[j] == ':' || r->w[j] == ',') && !r->page.e) {
			k = j + 1;
			while (k < e && r->w[k] == ' ')
				k++;
			pe = range_at(r, k, &d);
			if (pe == 0 && (r->w[j] == ':' || ib != 0 || (!year_at(r, k, &suf) &&
			    number_at(r, k) - k >= 1)))
				pe = number_at(r, k);
			if (pe && year_at(r, k, &suf) && r->w[j] == ',' && pe - k == 4 &&
			    (ib == 0 || r->year == 0))
				pe = 0;
			if (pe)
				pb = k;
		}
		if (ib == 0 && pb == 0)
			continue;
		if (r->vol.e == 0) {
			r->vol.b = i;
			r->vol.e = ve;
		}
		if (ib && r->iss.e == 0) {
			r->iss.b = ib;
			r->iss.e = ie;
		}
		if (pb && r->page.e == 0) {
			r->page.b = pb;
			r->page.e = pe;
		}
		consume(r, i, pe ? pe : j);
		i = pe ? pe : j;
	}
	/* a bare page range */
	if (r->page.e == 0)
		for (i = b; i < e; i++) {
			int pe;

			if (r->w[i] == CONSUMED || !(pe = range_at(r, i, &d)))
				continue;
			if (year_at(r, i, &suf) && year_at(r, d + dash_at(r->w, d, e), &suf)) {
				i = pe;
				continue;
			}
			r->page.b = i;
			r->page.e = pe;
			consume(r, i, pe);
			break;
		}
	/* years: prefer one in parentheses, then the last one */
	{
		int yb = -1, ye = 0, y = 0, paren = 0;
		char ys = 0;

		for (i = b; i < e; i++) {
			int yy;

			if (r->w[i] == CONSUMED || !(yy = year_at(r, i, &suf)))
				continue;
			if (r->year != 0 && yy != r->year)
				continue;
			k = i;
			while (k > b && r->w[k - 1] == ' ')
				k--;
			if (paren && !(k > b && r->w[k - 1] == '('))
				continue;
			yb = i;
			ye = i + 4 + (suf != 0);
			y = yy;
			ys = suf;
			if (k > b && r->w[k - 1] == '(')
				paren = 1;
		}
		if (yb >= 0) {
			int mb = yb, ml;

			set_year(r, y, ys);
			/* a month or a day-month in front of it */
			k = yb;
			while (k > b && (r->w[k - 1] == ' ' || r->w[k - 1] == ',' || r->w[k - 1] == '('))
				k--;
			/* "May 29, 1969": the day */
			if (k > b + 1 && is_digit(r->w[k - 1]) && (!is_digit(r->w[k - 2]) || (k > b + 2 &&
			    is_digit(r->w[k - 2]) && !isalnum((unsigned char)r->w[k - 3]))) && r->w[yb - 1] != '(') {
				int dk = k;

				while (dk > b && is_digit(r->w[dk - 1]))
					dk--;
				if (k - dk <= 2 && dk > b && r->w[dk - 1] == ' ') {
					int mk = dk - 1, ml2;

					while (mk > b && r->w[mk - 1] == ' ')
						mk--;
					j = mk;
					while (j > b && (isalpha((unsigned char)r->w[j - 1]) || r->w[j - 1] == '.'))
						j--;
					if (j < mk && month_at(r, j, &ml2))
						k = mk;
				}
			}
			j = k;
			while (j > b && (isalpha((unsigned char)r->w[j - 1]) || (unsigned char)r->w[j - 1] >= 0x80))
				j--;
			if (j < k && r->month == 0) {
				int m = month_at(r, j, &ml);

				if (m == 0 && k > b + 1 && r->w[k - 1] == '.') {
					j = k - 1;
					while (j > b && isalpha((unsigned char)r->w[j - 1]))
						j--;
					m = month_at(r, j, &ml);
				}
				if (m) {
					r->month = m;
					mb = j;
					/* "3 December 2006" */
					k = mb;
					while (k > b && r->w[k - 1] == ' ')
						k--;
					if (k > b && is_digit(r->w[k - 1])) {
						int db = k - 1;

						while (db > b && is_digit(r->w[db - 1]))
							db--;
						if (k - db <= 2 && (db == b || !isalnum((unsigned char)r->w[db - 1])))
							mb = db;
					}
				}
			}
			if (r->month == 0) {
				/* "2018 Jul", "December 3, 2006" after it */
				int q = ye, ml2, m;

				while (q < e && (r->w[q] == ' ' || r->w[q] == ','))
					q++;
				m = month_at(r, q, &ml2);
				if (m && q > ye) {
					r->month = m;
					ye = q + ml2;
					while (ye < e && (r->w[ye] == ' ' || is_digit(r->w[ye])) && ye < q + ml2 + 3)
						ye++;
				}
			}
			while (mb > b && r->w[mb - 1] == '(')
				mb--;
			while (ye < e && r->w[ye] == ')')
				ye++;
			/* "Proceedings of the 1992 Winter Simulation Conference": part of a name */
			k = yb;
			while (k > b && r->w[k - 1] == ' ')
				k--;
			if (mb == yb && k >= b + 3 && (word_eq_ci(r->w + k - 3, 3, "the") ||
			    word_eq_ci(r->w + k - 2, 2, "of") || word_eq_ci(r->w + k - 2, 2, "on") ||
			    has_venue_acronym(r, (struct span){ k > b + 12 ? k - 12 : b, k })) &&
			    ye + 1 < e && r->w[ye] == ' ' && isupper((unsigned char)r->w[ye + 1]))
				;	/* "NeurIPS 2023 Datasets and Benchmarks Track" */
			else
				consume(r, mb, ye);
		}
	}
	/* volume followed by a page or article number: "76, 054603" "358, 614" */
	if (r->vol.e == 0 || r->page.e == 0)
		for (i = b; i < e; i++) {
			int ve, pe;

			if (r->w[i] == CONSUMED || !(ve = number_at(r, i)))
				continue;
			if (year_at(r, i, &suf) && (r->year == 0 || r->year == year_at(r, i, &suf))) {
				i = ve;
				continue;
			}
			j = ve;
			while (j < e && (r->w[j] == ' ' || r->w[j] == ',' || (r->w[j] == CONSUMED && r->iss.e &&
			    j >= r->iss.b - 6 && j < r->iss.e)))
				j++;
			if (r->vol.e == 0 && j > ve && (pe = number_at(r, j)) &&
			    (!year_at(r, j, &suf) || r->year != 0) && r->page.e == 0) {
				r->vol.b = i;
				r->vol.e = ve;
				r->page.b = j;
				r->page.e = pe;
				consume(r, i, pe);
				break;
			}
			if (r->vol.e == 0 && ve - i <= 4 && (j >= e || r->w[j] == CONSUMED) &&
			    (r->page.e != 0 || (j < e && r->w[j] == CONSUMED && i > b && r->w[i - 1] == ' ' &&
			    r->w[i - 2] == ','))) {
				r->vol.b = i;
				r->vol.e = ve;
				consume(r, i, ve);
				break;
			}
		}
}

/* Keyword phrases: thesis, report, status, presentation. */
struct phrase {
	const char	*text;
	int		 kind;	/* 1 thesis, 2 report, 3 status, 4 presentation, 5 award, 6 preprint, 7 patent, 8 book-ish */
	const char	*value;
};
static const struct phrase phrases[] = {
	{ "ph.d. thesis", 1, "PhD thesis" }, { "phd thesis", 1, "PhD thesis" },
	{ "ph. d. thesis", 1, "PhD thesis" }, { "ph.d. dissertation", 1, "PhD dissertation" },
	{ "phd dissertation", 1, "PhD dissertation" }, { "doctoral dissertation", 1, "Doctoral dissertation" },
	{ "doctoral thesis", 1, "Doctoral thesis" }, { "master's thesis", 1, "Master's thesis" },
	{ "masters thesis", 1, "Master's thesis" }, { "m.s. thesis", 1, "MS thesis" },
	{ "msc thesis", 1, "MSc thesis" }, { "m.sc. thesis", 1, "MSc thesis" },
	{ "bachelor's thesis", 1, "Bachelor's thesis" }, { "dissertation", 1, "Dissertation" },
	{ "diplomarbeit", 1, "Diplomarbeit" }, { "thesis", 1, "Thesis" }, { "tesis", 1, "Tesis" },
	{ "thèse de doctorat", 1, "Thèse de doctorat" }, { "thèse", 1, "Thèse" },
	{ "mémoire", 1, "Mémoire" }, { "tese", 1, "Tese" }, { "dissertação", 1, "Dissertação" },
	{ "habilitationsschrift", 1, "Habilitationsschrift" },
	{ "technical report", 2, "Technical report" }, { "tech. rep.", 2, "Technical report" },
	{ "tech. report", 2, "Technical report" }, { "tech rep", 2, "Technical report" },
	{ "tech. rpt.", 2, "Technical report" }, { "internet-draft", 2, "Internet-Draft" },
	{ "research report", 2, "Research report" }, { "working paper", 2, "Working paper" },
	{ "report no.", 2, "Report" }, { "internal report", 2, "Internal report" },
	{ "technical memo", 2, "Technical memo" }, { "white paper", 2, "White paper" },
	{ "under review", 3, "under review" }, { "submitted for publication", 3, "submitted" },
	{ "submitted to", 3, "submitted" }, { "submitted", 3, "submitted" },
	{ "to appear in", 3, "to appear" }, { "to appear", 3, "to appear" },
	{ "in press", 3, "in press" }, { "forthcoming", 3, "forthcoming" },
	{ "accepted for publication", 3, "accepted" }, { "in preparation", 3, "in preparation" },
	{ "in review", 3, "under review" }, { "under revision", 3, "under revision" },
	{ "under submission", 3, "submitted" }, { "accepted", 3, "accepted" },
	{ "conditionally accepted", 3, "conditionally accepted" },
	{ "major revision", 3, "major revision" }, { "minor revision", 3, "minor revision" },
	{ "oral presentation", 4, "oral" }, { "spotlight presentation", 4, "spotlight" },
	{ "long presentation", 4, "long presentation" }, { "short presentation", 4, "short presentation" },
	{ "contributed talk", 4, "contributed talk" }, { "invited talk", 4, "invited talk" },
	{ "spotlight", 4, "spotlight" }, { "oral", 4, "oral" }, { "poster", 4, "poster" },
	{ "best student paper award", 5, "Best Student Paper Award" },
	{ "best paper award", 5, "Best Paper Award" }, { "best paper honorable mention", 5, "Best Paper Honorable Mention" },
	{ "best paper runner-up", 5, "Best Paper Runner-up" }, { "best paper", 5, "Best Paper" },
	{ "best student paper", 5, "Best Student Paper" }, { "outstanding paper award", 5, "Outstanding Paper Award" },
	{ "outstanding paper", 5, "Outstanding Paper" }, { "distinguished paper award", 5, "Distinguished Paper Award" },
	{ "honorable mention", 5, "Honorable Mention" },
	{ "arxiv preprint", 6, "arXiv preprint" }, { "preprint", 6, "preprint" },
	{ "patent application", 7, "Patent application" }, { "u.s. patent", 7, "U.S. Patent" },
	{ "us patent", 7, "US Patent" }, { "patent", 7, "Patent" },
};

/* "4th ed." "2nd edn" "2 vols" "208 p." "[Online]" "Available:" */
static void
find_misc(struct rp *r, int b, int e)
{
	int i, j, k;

	for (i = b; i < e; i++) {
		if ((r->w[i] == 'I' || r->w[i] == 'i') && (starts_ci(r, i, "isbn") || starts_ci(r, i, "issn")) &&
		    word_start(r, i)) {
			/* "ISBN 0-226-42976-8" */
			j = i + 4;
			while (j < e && (r->w[j] == ':' || r->w[j] == ' ' || r->w[j] == '-'))
				j++;
			k = j;
			while (j < e && (is_digit(r->w[j]) || r->w[j] == '-' || r->w[j] == 'X' || r->w[j] == 'x' ||
			    (r->w[j] == ' ' && j + 1 < e && is_digit(r->w[j + 1]))))
				j++;
			if (j - k >= 8) {
				consume(r, i, j);
				i = j;
			}
			continue;
		}
		if (r->w[i] == '[' && starts_ci(r, i, "[online]")) {
			consume(r, i, i + 8);
			continue;
		}
		if ((r->w[i] == 'A' || r->w[i] == 'a') && word_start(r, i) &&
		    (starts_ci(r, i, "available at") || starts_ci(r, i, "available online") ||
		    starts_ci(r, i, "available:") || starts_ci(r, i, "available from"))) {
			j = i + 9;
			while (j < e && (r->w[j] == ':' || r->w[j] == ' '))
				j++;
			/* "at" "from" "online" */
			if (starts_ci(r, j, "at") || starts_ci(r, j, "from") || starts_ci(r, j, "online") ||
			    starts_ci(r, j, "in"))
				while (j < e && isalpha((unsigned char)r->w[j]))
					j++;
			while (j < e && (r->w[j] == ':' || r->w[j] == ' '))
				j++;
			consume(r, i, j);
			continue;
		}
		if (!is_digit(r->w[i]) || !word_start(r, i))
			continue;
		j = i;
		while (j < e && is_digit(r->w[j]))
			j++;
		k = j;
		if (k + 1 < e && (starts_ci(r, k, "st") || starts_ci(r, k, "nd") || starts_ci(r, k, "rd") ||
		    starts_ci(r, k, "th") || starts_ci(r, k, "e ") || starts_ci(r, k, ". ")))
			k += 2;
		while (k < e && r->w[k] == ' ')
			k++;
		if ((starts_ci(r, k, "ed.") || starts_ci(r, k, "edn") || starts_ci(r, k, "edition") ||
		    starts_ci(r, k, "ed ") || starts_ci(r, k, "éd.") || starts_ci(r, k, "aufl")) && k > j) {
			int q = k;

			while (q < e && (isalpha((unsigned char)r->w[q]) || (unsigned char)r->w[q] >= 0x80))
				q++;
			if (q < e && r->w[q] == '.')
				q++;
			if (r->edition.e == 0) {
				r->edition.b = i;
				r->edition.e = j;
			}
			if (i > b && r->w[i - 1] == '(' && q < e && r->w[q] == ')') {
				i--;
				q++;
			}
			consume(r, i, q);
			i = q;
			continue;
		}
		if (starts_ci(r, k, "vols") || (k + 2 <= e && (starts_ci(r, k, "p.") || starts_ci(r, k, "pp.") ||
		    starts_ci(r, k, "pages") || starts_ci(r, k, "s.")) && k > j && (k + 3 >= e ||
		    !isalnum((unsigned char)r->w[k + 3])) && r->page.e == 0 && !is_digit(r->w[skip_sp(r, k + 3)]) &&
		    (skip_sp(r, k + 3) >= e - 1 || r->w[skip_sp(r, k + 3)] == '('))) {
			int q = k;

			while (q < e && isalpha((unsigned char)r->w[q]))
				q++;
			if (q < e && r->w[q] == '.')
				q++;
			consume(r, i, q);
			i = q;
		}
	}
}

static int
find_phrases(struct rp *r, int b, int e)
{
	int i, found = 0;
	size_t k;

	for (i = b; i < e; i++) {
		char c = (char)tolower((unsigned char)r->w[i]);

		if (!word_start(r, i) || !strchr("abcdfhilmoprstuwy", c) || !isalpha((unsigned char)r->w[i]) ||
		    (i > 0 && (unsigned char)r->w[i - 1] >= 0x80))
			continue;
		for (k = 0; k < CVB_ARRAY_SIZE(phrases); k++) {
			const struct phrase *p = &phrases[k];
			int l;

			if (p->text[0] != c)
				continue;
			l = (int)strlen(p->text);
			if (i + l > e || strncasecmp(r->w + i, p->text, (size_t)l) != 0 ||
			    (i + l < r->n && isalpha((unsigned char)r->w[i + l])))
				continue;
			if (p->kind >= 3 && p->kind <= 5) {
				/* a note stands apart: ". Oral presentation." "(spotlight)", not "Oral Literature" */
				int q = i, z = i + l;

				while (q > b && r->w[q - 1] == ' ')
					q--;
				while (z < e && r->w[z] == ' ')
					z++;
				/* "Manuscript submitted for publication" */
				if (p->kind == 3 && q >= b + 10 && word_eq_ci(r->w + q - 10, 10, "manuscript") &&
				    (q - 10 == b || !isalpha((unsigned char)r->w[q - 11]))) {
					consume(r, q - 10, q);
					q -= 10;
					while (q > b && r->w[q - 1] == ' ')
						q--;
				}
				if (q > b && !strchr(".,;:([", r->w[q - 1]) && r->w[q - 1] != CONSUMED)
					continue;
				if (p->kind == 4 && z < e && !strchr(".,;:)]", r->w[z]) && r->w[z] != CONSUMED &&
				    !starts_ci(r, z, "presentation") && !starts_ci(r, z, "talk"))
					continue;
			}
			switch (p->kind) {
			case 1:
				if (r->type == CVB_T_NONE)
					r->type = CVB_T_THESIS;
				r->genre = p->value;
				break;
			case 2:
				if (r->type == CVB_T_NONE)
					r->type = CVB_T_REPORT;
				r->genre = p->value;
				break;
			case 3:
				/* "accepted"/"submitted" inside a title-like run is not a status */
				if (r->status == NULL)
					r->status = p->value;
				break;
			case 4:
				if (r->presentation == NULL)
					r->presentation = p->value;
				break;
			case 5:
				if (r->award == NULL)
					r->award = p->value;
				break;
			case 6:
				if (r->type == CVB_T_NONE)
					r->type = CVB_T_ARTICLE;
				r->genre = p->value;
				break;
			case 7:
				r->type = CVB_T_PATENT;
				r->genre = p->value;
				{
					/* the patent number: "US Patent 10,123,456", "Patent No. 7,411,683" */
					int q = i + l, nb;

					while (q < e && (r->w[q] == ' ' || r->w[q] == ':' || r->w[q] == '#'))
						q++;
					if (starts_ci(r, q, "no.") || starts_ci(r, q, "no "))
						q += 3;
					while (q < e && r->w[q] == ' ')
						q++;
					nb = q;
					while (q < e && (is_digit(r->w[q]) || isupper((unsigned char)r->w[q]) ||
					    ((r->w[q] == ',' || r->w[q] == '/' || r->w[q] == '.' || r->w[q] == '-') &&
					    q + 1 < e && is_digit(r->w[q + 1]))))
						q++;
					if (q > nb && is_digit(r->w[q - 1]) && r->number.e == 0) {
						int z = q;

						r->number.b = nb;
						r->number.e = q;
						/* ", issued March 2021" */
						while (z < e && (r->w[z] == ',' || r->w[z] == ' '))
							z++;
						if (starts_ci(r, z, "issued") || starts_ci(r, z, "filed") || starts_ci(r, z, "granted"))
							q = z + (r->w[z] == 'f' || r->w[z] == 'F' ? 5 : r->w[z] == 'g' || r->w[z] == 'G' ? 7 : 6);
						consume(r, i, q);
						i = q - 1;
						found = 1;
						goto next_pos;
					}
				}
				break;
			}
			/* blank the phrase, and a "to" / "in" after submitted */
			consume(r, i, i + l);
			found = 1;
			i += l - 1;
			break;
		}
next_pos:
		;
	}
	return found;
}

static const char *const publisher_words[] = {
	"press", "verlag", "publisher", "publishers", "publishing", "springer", "elsevier",
	"wiley", "books", "inc", "ltd", "co", "editions", "éditions", "edizioni", "editorial",
	"editora", "routledge", "sage", "pergamon", "academic", "kluwer", "addison-wesley",
	"mcgraw", "addison", "wesley", "prentice", "hall", "birkhäuser", "blackwell",
	"mit", "university", "univ", "universidade", "universita", "universität", "université", "universidad",
	"institute", "institut", "laboratory", "laboratories", "department", "dept", "school",
	"college", "center", "centre", "corporation", "company", "group", "ieee", "acm",
	"siam", "ams", "aaai", "usenix", "oreilly", "o'reilly", "morgan", "kaufmann",
	"taylor", "francis", "crc", "gruyter", "brill", "penguin", "harper",
	"norton", "freeman", "dover", "verso", "suhrkamp", "gallimard", "seuil", "puf",
	"armand", "klett", "beck", "hanser", "teubner", "vieweg", "nova", "ios",
	"imprensa", "ediciones", "editores", "edições", "presses",
	"foundation", "society", "association", "office", "organization", "organisation",
	"bureau", "agency", "ministry", "council", "commission", "bank", "unesco", "oecd",
	NULL
};

/*
 * Does [b, e) hold a word of list (compared without case)?  A word is a run
 * of letters and non-ASCII bytes, with apostrophes when apostrophe is set.
 */
static bool
word_listed(const struct rp *r, int b, int e, const char *const *list, bool apostrophe)
{
	int i, j;
	const char *const *p;

	for (i = b; i < e; i = j) {
		while (i < e && !isalpha((unsigned char)r->w[i]) && (unsigned char)r->w[i] < 0x80)
			i++;
		j = i;
		while (j < e && (isalpha((unsigned char)r->w[j]) || (unsigned char)r->w[j] >= 0x80 ||
		    (apostrophe && r->w[j] == '\'')))
			j++;
		if (j == i) {
			j = i + 1;
			continue;
		}
		for (p = list; *p; p++)
			if (word_eq_ci(r->w + i, j - i, *p))
				return true;
	}
	return false;
}

static bool
has_publisher_word(const struct rp *r, int b, int e)
{
	return word_listed(r, b, e, publisher_words, true);
}

/* Does [b, e) hold a word of journal names ("Journal", "Transactions", "Phys")? */
static bool
journal_word_in(const struct rp *r, int b, int e)
{
	int i, j;
	const char *const *p;

	for (i = b; i < e; i = j) {
		while (i < e && !isalpha((unsigned char)r->w[i]))
			i++;
		for (j = i; j < e && isalpha((unsigned char)r->w[j]); j++)
			;
		if (j == i)
			break;
		if (j - i < 3)
			continue;
		for (p = journal_words; *p; p++)
			if (word_eq_ci(r->w + i, j - i, *p))
				return true;
	}
	return false;
}

/* Words that make a chunk a publisher for sure: "... Press", "... Verlag". */
static bool
strong_publisher(const struct rp *r, int b, int e)
{
	static const char *const strong[] = { "press", "verlag", "publisher", "publishers",
		"publishing", "inc", "ltd", "books", "editions", "éditions", "editora", "editorial",
		"ediciones", "presses", "edizioni", "gmbh", "llc", "springer", "elsevier", "wiley",
		"routledge", "kluwer", "pergamon", "sage", NULL };

	return word_listed(r, b, e, strong, false);
}

static bool
looks_journal(const struct rp *r, int b, int e)
{
	int i, j, words = 0, hits = 0, abbr = 0;
	const char *const *p;

	for (i = b; i < e; i = j) {
		while (i < e && !isalpha((unsigned char)r->w[i]))
			i++;
		j = i;
		while (j < e && isalpha((unsigned char)r->w[j]))
			j++;
		if (j == i)
			break;
		words++;
		if (j < e && r->w[j] == '.')
			abbr++;
		for (p = journal_words; *p; p++)
			if (word_eq_ci(r->w + i, j - i, *p)) {
				hits++;
				break;
			}
	}
	{
		static const char *const lead[] = { "journal", "proceedings", "transactions", "annals",
			"bulletin", "acta", "zeitschrift", "revue", "revista", NULL };
		const char *const *l;
		int q = b, qe;

		while (q < e && !isalpha((unsigned char)r->w[q]))
			q++;
		for (qe = q; qe < e && isalpha((unsigned char)r->w[qe]); qe++)
			;
		for (l = lead; *l && words > 0 && e - b < 160; l++)
			if (word_eq_ci(r->w + q, qe - q, *l))
				return true;
	}
	return words > 0 && words <= 8 && (hits > 0 || abbr * 2 >= words);
}

/* Is the word that ends at the full stop k a journal abbreviation ("Proc.")? */
static bool
abbrev_before(const struct rp *r, int k)
{
	int b = k;
	const char *const *p;

	while (b > 0 && isalpha((unsigned char)r->w[b - 1]))
		b--;
	for (p = journal_words; *p; p++)
		if (word_eq_ci(r->w + b, k - b, *p))
			return true;
	return false;
}

static bool
is_proceedings(const struct rp *r, struct span s)
{
	static const char *const w[] = { "proc", "proceedings", "conference", "conf",
		"workshop", "symposium", "symp", "congress", "meeting", "colloquium",
		"tagung", "actes", "convention", NULL };
	/* journals called proceedings */
	static const char *const j[] = { "proceedings of the ieee", "proceedings of the royal",
		"proceedings of the national", "proc natl", "proc. natl", "proc. r. soc", "proc r soc",
		"proceedings of the american", "proceedings of the cambridge", "proc. ieee", NULL };
	/* "Proc. Roy. Soc.", "Proc Natl Acad Sci", "Mayo Clin Proc", "J. Phys.: Conf. Ser." */
	static const char *const jw[] = { "soc", "society", "acad", "natl", "clin", "ser", "roy",
		"camb", "lett", "web", NULL };
	int i, k;
	const char *const *p;
	const char *o = r->o;

	for (i = s.b; i < s.e; i++) {
		if (i > s.b && isalpha((unsigned char)o[i - 1]))
			continue;
		for (k = i; k < s.e && isalpha((unsigned char)o[k]); k++)
			;
		for (p = jw; *p; p++)
			if (word_eq_ci(o + i, k - i, *p))
				return false;
	}
	for (i = s.b; i < s.e; i++) {
		char c = (char)tolower((unsigned char)o[i]);

		if ((i > 0 && isalnum((unsigned char)o[i - 1])) || !strchr("pcwsmta", c) || c == 0)
			continue;
		for (k = i; k < s.e && isalpha((unsigned char)o[k]); k++)
			;
		for (p = j; *p; p++) {
			int l = (int)strlen(*p), q;

			if (i + l > s.e || strncasecmp(o + i, *p, (size_t)l) != 0)
				continue;
			if (strstr(*p, "ieee") == NULL)
				return false;
			/* "Proceedings of the IEEE" itself, not "... of the IEEE International ..." */
			for (q = i + l; q < s.e && !isalnum((unsigned char)o[q]); q++)
				;
			if (q >= s.e)
				return false;
		}
		for (p = w; *p; p++)
			if ((*p)[0] == c && word_eq_ci(o + i, k - i, *p))
				return true;
	}
	return false;
}


/*
 * Is the text at i a journal name followed by its numbers, with no title
 * before it ("J. Am. Chem. Soc. 92, 4751 (1970)", "Annals of Botany 103:1557")?
 * Title-case words, abbreviations and connectives only, then a digit.
 */
static bool
journal_only(const struct rp *r, int i)
{
	static const char *const conn[] = { "of", "and", "the", "for", "in", "on", "de",
		"des", "du", "la", "le", "der", "die", "und", "für", "et", "y", "di", "del",
		"a", "&", NULL };
	int j = i, words = 0, abbr = 0, hits = 0, lp, ml;

	while (j < r->n && j - i < 100) {
		int wb, we;
		const char *const *c;

		while (j < r->n && (r->w[j] == ' ' || r->w[j] == ',' || r->w[j] == ':' ||
		    r->w[j] == '.')) {
			/* "Finnegans Wake. New York: Penguin" is a book */
			if (r->w[j] == ':' && j + 1 < r->n && r->w[j + 1] == ' ')
				return false;
			/* "Semirigid Supergravity, Phys. Rev." is a title and a journal */
			if (r->w[j] == ',' && j + 2 < r->n && isalpha((unsigned char)r->w[j + 2]) &&
			    !(isupper((unsigned char)r->w[j + 2]) && is_digit(r->w[j + 3])) &&
			    !starts_ci(r, j + 2, "vol") && !starts_ci(r, j + 2, "no.") && !starts_ci(r, j + 2, "pp") &&
			    !month_at(r, j + 2, &ml) && !next_is_abbrev(r, j + 2))
				return false;	/* but "J. Phys. G, Nucl. Part. Phys. 31" */
			j++;
		}
		if (j >= r->n || r->w[j] == CONSUMED)
			return false;
		/* "Biochem. J. (2000) 347": the year in brackets after the journal */
		if (r->w[j] == '(' && words > 0) {
			int q = j + 1;
			char ys;

			while (q < r->n && r->w[q] == ' ')
				q++;
			if (year_at(r, q, &ys)) {
				q += 4;
				while (q < r->n && r->w[q] == ' ')
					q++;
				if (q < r->n && r->w[q] == ')') {
					j = q + 1;
					continue;
				}
			}
		}
		lp = 0;
		if (isupper((unsigned char)r->w[j]) && r->w[j] <= 'E' && j + 1 < r->n &&
		    is_digit(r->w[j + 1]) && words > 0 && (j == 0 || !isalnum((unsigned char)r->w[j - 1]))) {
			j++;	/* "B110" */
			lp = 1;
		}
		if (is_digit(r->w[j])) {
			int d = j;

			if (!lp && j > i && isalnum((unsigned char)r->w[j - 1]))
				return false;	/* "GAL4" */
			while (d < r->n && is_digit(r->w[d]))
				d++;
			/* the number must look like a volume: "103:1557", "92, 4751", "8 (2011)" */
			if (d < r->n && r->w[d] != ':' && r->w[d] != ',' && r->w[d] != ' ' &&
			    r->w[d] != '(' && r->w[d] != ';' && r->w[d] != '.')
				return false;
			/* "Planck 2015 results": a number inside a title */
			if (d + 1 < r->n && r->w[d] == ' ' && islower((unsigned char)r->w[d + 1]))
				return false;
			return words > 0 && words <= 7 && (abbr * 2 >= words || hits > 0 || words <= 3);
		}
		wb = j;
		while (j < r->n && !is_sp((unsigned char)r->w[j]) && r->w[j] != ',' &&
		    r->w[j] != '.' && r->w[j] != CONSUMED && r->w[j] != ':' &&
		    !(is_digit(r->w[j]) && j > wb && isupper((unsigned char)r->w[j - 1])))
			j++;
		we = j;
		if (we == wb)
			return false;
		/* a volume label ends the journal name: "IEEE JOURNAL ..., VOL. 18" */
		if (words > 0 && (word_eq_ci(r->w + wb, we - wb, "vol") || word_eq_ci(r->w + wb, we - wb, "volume")) &&
		    we < r->n)
			return words <= 8;
		/* "Vancomycin. Mayo Clin Proc": a full word ends a sentence, a title */
		if (we < r->n && r->w[we] == '.' && we - wb >= 5 && strchr("nseayo", r->w[we - 1]) &&
		    !journal_word_in(r, wb, we))
			return false;
		words++;
		if (words == 1 && islower((unsigned char)r->w[wb + 1]) && (word_eq_ci(r->w + wb, we - wb, "the") ||
		    word_eq_ci(r->w + wb, we - wb, "a") || word_eq_ci(r->w + wb, we - wb, "an")))
			return false;
		if (we < r->n && r->w[we] == '.')
			abbr++;
		for (c = journal_words; *c; c++)
			if (word_eq_ci(r->w + wb, we - wb, *c))
				hits++;
		if (isupper((unsigned char)r->w[wb]) || (unsigned char)r->w[wb] >= 0xC0)
			continue;
		for (c = conn; *c; c++)
			if (word_eq_ci(r->w + wb, we - wb, *c))
				break;
		if (*c == NULL)
			return false;
	}
	return false;
}

/* ---------------------------------------------------------------- driver */

/* Does a run of numbers of the kind after a journal start at d?  "2000; 2:484"
 * "1994, 55", "17 449--460", "109:150", "38(33)" */
static bool
numbers_at(const struct rp *r, int d)
{
	int e, k;
	char suf;

	if (d > 0 && !is_sp((unsigned char)r->w[d - 1]))
		return false;
	/* "Phys. A18 4593" : a series letter and the volume */
	if (isupper((unsigned char)r->w[d]) && r->w[d] <= 'E' && d + 1 < r->n && is_digit(r->w[d + 1]))
		d++;
	else if (!is_digit(r->w[d]))
		return false;
	if (range_at(r, d, &e) && (e = d, true)) {
		/* "810503 -26": a page range with at least five digits first */
		while (e < r->n && is_digit(r->w[e]))
			e++;
		if (e - d >= 5)
			return true;
	}
	e = d;
	while (e < r->n && is_digit(r->w[e]))
		e++;
	k = e;
	while (k < r->n && r->w[k] == ' ')
		k++;
	if (year_at(r, d, &suf))
		return k >= r->n || strchr(";,)", r->w[k]) || is_digit(r->w[k]);
	if (k < r->n && (r->w[k] == ':' || r->w[k] == '(') && k + 2 < r->n &&
	    (is_digit(r->w[k + 1]) || (r->w[k + 1] == ' ' && is_digit(r->w[k + 2]))))
		return true;
	if (k < r->n && r->w[k] == ',' && k + 2 < r->n && r->w[k + 1] == ' ' && is_digit(r->w[k + 2]))
		return true;
	if (k > e && k < r->n && is_digit(r->w[k]) && range_at(r, k, &e) != 0)
		return true;
	return false;
}

/*
 * A title that ran into the numbers without a full stop carries the journal
 * at its end: "Nitric oxide and intestinal inflammation Am J Med".  Split off
 * the trailing run of capitalised words.
 */
static void
split_title_journal(struct rp *r, int i, int d)
{
	static const char *const conn[] = { "of", "and", "the", "for", "in", "on", "&", "de",
		"der", "und", "la", "le", "des", "y", "et", NULL };
	int k = d, cb = -1, caps = 0, prefix = 0, q;

	while (k > i) {
		int we = k, wb;
		const char *const *c;

		while (we > i && is_sp((unsigned char)r->w[we - 1]))
			we--;
		wb = we;
		while (wb > i && !is_sp((unsigned char)r->w[wb - 1]))
			wb--;
		if (wb == we)
			break;
		if (isupper((unsigned char)r->w[wb]) || (unsigned char)r->w[wb] >= 0xC0) {
			caps++;
			cb = wb;
		} else {
			for (c = conn; *c; c++)
				if (word_eq_ci(r->w + wb, we - wb, *c))
					break;
			if (*c == NULL)
				break;
		}
		k = wb;
	}
	if (cb < 0 || caps == 0)
		return;
	/* the title before it needs a few words of its own */
	for (q = i; q < cb; q++)
		if (is_sp((unsigned char)r->w[q]))
			prefix++;
	if (prefix < 2)
		return;
	if (strong_publisher(r, cb, d)) {
		/* "Psychological Testing 6th edition Macmillan Publishing Company, New York" */
		for (q = cb; q < d && r->w[q] != ','; q++)
			;
		r->publ = trim(r, cb, q, "", ",.;: ");
		if (q < d)
			r->loc = trim(r, q + 1, d, "", ",.;: ");
		r->title = trim(r, i, cb, "", ",.;: ");
		return;
	}
	r->cont = trim(r, cb, d, "", ",.;: ");
	r->title = trim(r, i, cb, "", ",.;: ");
}

/* Words that start what follows a title: "In Proceedings", "Technical Report". */
static bool
title_stop_word(const struct rp *r, int j)
{
	static const char *const w[] = { "in proceedings", "in proc.", "in: ", "in proc ",
		"technical report", "tech. rep", "report no", "phd thesis", "ph.d. thesis",
		"ph. d. thesis", "master's thesis", "doctoral dissertation", "ph.d. dissertation",
		"arxiv preprint", "preprint arxiv", "available at", "retrieved from", "to appear",
		"submitted to", "under review", NULL };
	const char *const *p;
	char c = (char)tolower((unsigned char)r->w[j]);

	if (!strchr("itrpmdast", c))
		return false;
	for (p = w; *p; p++)
		if ((*p)[0] == c && starts_ci(r, j, *p))
			return true;
	return false;
}

/* Is the word at i an abbreviation ending in a full stop ("J." "Mod.")? */
static bool
next_is_abbrev(const struct rp *r, int i)
{
	int e = i;

	while (e < r->n && isalpha((unsigned char)r->w[e]))
		e++;
	/* "Phys. B 410", "Phys. 410": a series letter or the volume comes next */
	if (e - i == 1 && e + 1 < r->n && r->w[e] == ' ' && is_digit(r->w[e + 1]))
		return true;
	return e < r->n && r->w[e] == '.' && (e - i == 1 || abbrev_before(r, e));
}

/* "(Oxford University Press, 2006)" "(ICLR'21)" "(Los Angeles, March 1982)" */
static bool
paren_has_year(const struct rp *r, int j)
{
	int k;
	char suf;

	for (k = j + 1; k < r->n && k < j + 80 && r->w[k] != ')'; k++)
		;
	if (k < r->n && r->w[k] == ')' && (has_publisher_word(r, j + 1, k) ||
	    starts_ci(r, j + 1, "ed") || starts_ci(r, j + 1, "eds") || starts_ci(r, j + 1, "unpublished") ||
	    starts_ci(r, j + 1, "doctoral") || starts_ci(r, j + 1, "master") || starts_ci(r, j + 1, "phd") ||
	    starts_ci(r, j + 1, "working paper") || starts_ci(r, j + 1, "technical report")))
		return true;
	for (k = j + 1; k < r->n && k < j + 80 && r->w[k] != ')'; k++)
		if (year_at(r, k, &suf) || (r->w[k] == '\'' && is_digit(r->w[k + 1]) &&
		    k + 2 < r->n && is_digit(r->w[k + 2])) || r->w[k] == CONSUMED)
			return true;
	return false;
}

static int
find_title(struct rp *r, int i, int authors_comma)
{
	int j, qlen;
	const char *cl;
	char suf;

	i = skip_sp(r, i);
	while (i < r->n && (r->w[i] == CONSUMED || r->w[i] == '.' || r->w[i] == ',' ||
	    r->w[i] == ':' || r->w[i] == ';' || is_sp((unsigned char)r->w[i])))
		i++;
	if (i >= r->n)
		return i;
	if (r->w[i] == '[' || (r->w[i] == '\'' && i + 1 < r->n && (isupper((unsigned char)r->w[i + 1]) ||
	    (unsigned char)r->w[i + 1] >= 0xC0))) {
		/* [Translated title].  'Title,' */
		char want = r->w[i] == '[' ? ']' : '\'';

		for (j = i + 1; j < r->n && j < i + 400; j++)
			if (r->w[j] == want && (want == ']' || j + 1 >= r->n || r->w[j + 1] == ' ' ||
			    r->w[j + 1] == ',' || r->w[j + 1] == '.'))
				break;
		if (j < r->n && r->w[j] == want && j > i + 8) {
			r->title = trim(r, i + 1, j, "", ",.;: ");
			consume(r, i, j + 1);
			return j + 1;
		}
	}
	qlen = open_quote_at(r->w, i, r->n, &cl);
	if (qlen > 0) {
		int cll = (int)strlen(cl);

		for (j = i + qlen; j + cll <= r->n; j++)
			if (qlen == 3 && (unsigned char)r->w[i + 2] == 0x9E && j + 3 <= r->n &&
			    memcmp(r->w + j, "\xE2\x80\x9C", 3) == 0)
				break;
			else if (memcmp(r->w + j, cl, (size_t)cll) == 0 && (cl[0] != '\xE2' ||
			    j + cll >= r->n || !isalpha((unsigned char)r->w[j + cll]) ||
			    memcmp(cl, "\xE2\x80\x99", 3) != 0))
				break;
		if (j + cll <= r->n) {
			r->title = trim(r, i + qlen, j, "", ",.;: ");
			consume(r, i, j + cll);
			return j + cll;
		}
	}
	/* a quoted title a little further on: 3GPP TS 23.335: "Title" */
	for (j = i + 1; j < r->n && j < i + 60; j++) {
		if (r->w[j] == '.' && j + 1 < r->n && r->w[j + 1] == ' ' && j - i > 3 &&
		    islower((unsigned char)r->w[j - 1]))
			break;
		if ((r->w[j - 1] == ' ' || r->w[j - 1] == ':') && (qlen = open_quote_at(r->w, j, r->n, &cl)) > 0 &&
		    r->w[j] != '\'') {
			int cll = (int)strlen(cl), q;

			for (q = j + qlen; q + cll <= r->n; q++)
				if (memcmp(r->w + q, cl, (size_t)cll) == 0)
					break;
			if (q + cll <= r->n && q - j > 12) {
				r->title = trim(r, j + qlen, q, "", ",.;: ");
				consume(r, j, q + cll);
				return q + cll;
			}
			break;
		}
	}
	/* a journal straight after the authors: "Phys. Rev. C 76, 054603 (2007)" */
	if (journal_only(r, i))
		return i;
	{
		int k = i, digits = -1;

		while (k < r->n && k - i < 80 && r->w[k] != ',' && r->w[k] != CONSUMED) {
			if (is_digit(r->w[k])) {
				digits = k;
				break;
			}
			k++;
		}
		if (digits > i && looks_journal(r, i, digits) && authors_comma)
			return i;
		if (k > i && k < r->n && r->w[k] == ',' && authors_comma) {
			int q = k + 1;

			while (q < r->n && r->w[q] == ' ')
				q++;
			if (q < r->n && is_digit(r->w[q]) && looks_journal(r, i, k))
				return i;
		}
	}
	/* up to the next sentence boundary (or, after "A, B, C," a comma before numbers) */
	for (j = i; j < r->n; j++) {
		char c = r->w[j];

		if (c == CONSUMED)
			break;
		if (c == '(' && j > i + 10 && paren_has_year(r, j))
			break;
		if (j > i + 10 && is_sp((unsigned char)r->w[j - 1]) && title_stop_word(r, j))
			break;
		/* "Bagging predictors 1996 Machine Learning 24 123--140": the year ends the title */
		if (j > i + 15 && is_digit(c) && is_sp((unsigned char)r->w[j - 1]) && year_at(r, j, &suf) &&
		    j + 6 < r->n && r->w[j + 4] == ' ' && (isupper((unsigned char)r->w[j + 5]) ||
		    starts_ci(r, j + 5, "in ")) && r->year == 0) {
			int q;

			for (q = j + 5; q < r->n && !is_digit(r->w[q]); q++)
				;
			if (q < r->n)
				break;
		}
		if (j > i + 10 && (((is_digit(c) || (isupper((unsigned char)c) && c <= 'E' && is_digit(r->w[j + 1]))) &&
		    numbers_at(r, j)) || (c == '(' && is_sp((unsigned char)r->w[j - 1]) &&
		    year_at(r, j + 1, &suf) && r->w[j + 5] == ')' && j + 7 < r->n && is_digit(r->w[j + 7])))) {
			split_title_journal(r, i, j);
			if (r->cont.e > r->cont.b || r->publ.e > r->publ.b) {
				consume(r, i, j);
				return j;
			}
			break;
		}
		/* "candidate NbP .Nat .Phys" (text extracted from PDF) */
		if (c == '.' && j > i && is_sp((unsigned char)r->w[j - 1]) && j + 1 < r->n &&
		    isupper((unsigned char)r->w[j + 1]))
			break;
		if ((c == '.' || c == '?' || c == '!') && (j + 1 >= r->n || is_sp((unsigned char)r->w[j + 1]) ||
		    r->w[j + 1] == CONSUMED || r->w[j + 1] == ',')) {
			int k = j, wl;

			if (c != '.')
				break;
			while (k > i && isalpha((unsigned char)r->w[k - 1]))
				k--;
			wl = j - k;
			/* abbreviations and initials do not end a title */
			if (j + 2 < r->n && is_sp((unsigned char)r->w[j + 1]) &&
			    islower((unsigned char)r->w[j + 2]))
				;	/* "spp. on" */
			else if (wl == 1 && isupper((unsigned char)r->w[k]) && k >= 2 && r->w[k - 2] == '.' &&
			    abbrev_before(r, k - 2) && j - i > 10)
				;	/* "Int. J. Mod. Phys." */
			else if (wl == 1 && isupper((unsigned char)r->w[k]) && j + 3 < r->n &&
			    isupper((unsigned char)r->w[j + 2]) && j - i > 2 &&
			    (k == 0 || is_sp((unsigned char)r->w[k - 1])) &&
			    (r->w[j + 3] == '.' || (k >= 3 && r->w[k - 2] == '.' && isupper((unsigned char)r->w[k - 3]) &&
			    (k == 3 || is_sp((unsigned char)r->w[k - 4])))))
				;	/* "A. N. Kolmogorov" */
			else if (wl > 0 && (word_eq_ci(r->w + k, wl, "vs") || word_eq_ci(r->w + k, wl, "vol") ||
			    word_eq_ci(r->w + k, wl, "no") || word_eq_ci(r->w + k, wl, "e.g") ||
			    word_eq_ci(r->w + k, wl, "i.e") || word_eq_ci(r->w + k, wl, "st") ||
			    word_eq_ci(r->w + k, wl, "dr") || word_eq_ci(r->w + k, wl, "etc") ||
			    word_eq_ci(r->w + k, wl, "al")))
				;
			else if (wl > 1 && isupper((unsigned char)r->w[k]) && abbrev_before(r, j) &&
			    j + 3 < r->n && j - i > 10 && (is_digit(r->w[j + 2]) ||
			    (isupper((unsigned char)r->w[j + 2]) && next_is_abbrev(r, j + 2))))
				;	/* "products Int. J. Mod. Phys. B 08" */
			else
				break;
		}
		/* "representa-tions.Lett .Math": a full stop glued to the next sentence */
		if (c == '.' && j > i + 10 && j + 2 < r->n && islower((unsigned char)r->w[j - 1]) &&
		    islower((unsigned char)r->w[j - 2]) && isupper((unsigned char)r->w[j + 1]) &&
		    isalpha((unsigned char)r->w[j + 2]))
			break;
		if (!authors_comma && c == ',' && j > i + 10) {
			/* "Smalltown: A Study ..., Oxford University Press, Melbourne" */
			int k = j + 1, q;

			while (k < r->n && r->w[k] == ' ')
				k++;
			/* ", Proceedings of ...", ", edited by ...", ", J. Zhejiang Univ., 7(2)" */
			if (starts_ci(r, k, "proceedings ") || starts_ci(r, k, "proc. ") || starts_ci(r, k, "in: ") ||
			    starts_ci(r, k, "edited by") || starts_ci(r, k, "ed. by") || starts_ci(r, k, "trans. ") ||
			    starts_ci(r, k, "translated by"))
				break;
			{
				int z;

				for (q = k; q < r->n && r->w[q] != ',' && q < k + 60; q++)
					;
				z = q + 1;
				while (z < r->n && r->w[z] == ' ')
					z++;
				if (q < r->n && r->w[q] == ',' && looks_journal(r, k, q) && z < r->n &&
				    (is_digit(r->w[z]) || starts_ci(r, z, "vol") || starts_ci(r, z, "pp")))
					break;
			}
			/* up to the next comma, bracket or full stop */
			for (q = k; q < r->n && r->w[q] != ',' && r->w[q] != '(' &&
			    !(r->w[q] == '.' && q + 1 < r->n && r->w[q + 1] == ' '); q++)
				;
			if ((q > k && q - k < 50 && has_publisher_word(r, k, q) && !looks_journal(r, k, q)) ||
			    starts_ci(r, k, "volume ") || starts_ci(r, k, "vol. ") ||
			    (r->n - k < 40 && has_publisher_word(r, k, r->n)))
				break;
		}
		if (authors_comma && c == ',' ) {
			int k = j + 1, q;
			int dig = 0;

			while (k < r->n && r->w[k] == ' ')
				k++;
			if (starts_ci(r, k, "in ") || starts_ci(r, k, "proc") || starts_ci(r, k, "vol") ||
			    starts_ci(r, k, "edited by") || starts_ci(r, k, "ed. by") || starts_ci(r, k, "in:"))
				break;
			for (q = k; q < r->n && r->w[q] != ','; q++) {
				if (is_digit(r->w[q]) || r->w[q] == CONSUMED) {
					dig = 1;
					break;
				}
				if (r->w[q] == '.' && q + 2 < r->n && r->w[q + 1] == ' ' &&
				    isupper((unsigned char)r->w[q + 2]) && q - k > 3 &&
				    islower((unsigned char)r->w[q - 1]) && !abbrev_before(r, q))
					break;	/* a sentence ends first */
			}
			if (dig)
				break;
			if (q > k && looks_journal(r, k, q) && q < r->n)
				break;
			if (q > k && has_publisher_word(r, k, q) && q - k < 50)
				break;
			if (q < r->n && r->w[q] == ',' && q - k < 60 && q > k &&
			    (isupper((unsigned char)r->w[k]) || (unsigned char)r->w[k] >= 0xC0)) {
				/* ", Geology, vol. 24" ", STACS, 163-174": a venue, then its numbers */
				int z = q + 1;

				while (z < r->n && r->w[z] == ' ')
					z++;
				if (z < r->n && (is_digit(r->w[z]) || starts_ci(r, z, "vol") || starts_ci(r, z, "pp") ||
				    starts_ci(r, z, "no.") || r->w[z] == CONSUMED))
					break;
			}
			if (r->n - k < 40 && has_publisher_word(r, k, r->n))
				break;
		}
	}
	r->title = trim(r, i, j, "-", ",.;: ");
	if (j < r->n && (r->w[j] == '?' || r->w[j] == '!'))
		r->title.e = j + 1;
	consume(r, i, j < r->n && (r->w[j] == '.' || r->w[j] == '?' || r->w[j] == '!') ? j + 1 : j);
	return j;
}

/* Editors after "In": "In J. Smith (Ed.), Title" "In C. Jones, editors, Title". */
static int
find_editors(struct rp *r, int i)
{
	int end, others, n, k;
	enum style st;
	struct rname tmp[MAXNAME];

	end = parse_authors(r, i, r->n, tmp, MAXNAME, &n, &others, &st);
	if (n == 0)
		return i;
	k = end;
	while (k < r->n && (r->w[k] == ' ' || r->w[k] == ',' || r->w[k] == '('))
		k++;
	if (starts_ci(r, k, "eds") || starts_ci(r, k, "ed.") || starts_ci(r, k, "editors") ||
	    starts_ci(r, k, "editor") || starts_ci(r, k, "hrsg") || starts_ci(r, k, "hg") ||
	    starts_ci(r, k, "edd") || starts_ci(r, k, "\xC3\xA9" "d") || starts_ci(r, k, "ed)") ||
	    starts_ci(r, k, "dir.") || starts_ci(r, k, "coord")) {
		while (k < r->n && isalpha((unsigned char)r->w[k]))
			k++;
		while (k < r->n && (r->w[k] == '.' || r->w[k] == ')' || r->w[k] == ',' || r->w[k] == ':' ||
		    r->w[k] == ' '))
			k++;
		n = n < (int)CVB_ARRAY_SIZE(r->ed) ? n : (int)CVB_ARRAY_SIZE(r->ed);
		memcpy(r->ed, tmp, sizeof(tmp[0]) * (size_t)n);
		r->ned = n;
		r->ed_others = others;
		consume(r, i, k);
		return k;
	}
	return i;
}

/* The longest run of text in [b, e) before a CONSUMED gap: its span. */
static struct span
first_chunk(const struct rp *r, int b, int e)
{
	int i;

	while (b < e && (r->w[b] == CONSUMED || is_sp((unsigned char)r->w[b]) ||
	    strchr(".,;:)]", r->w[b])))
		b++;
	for (i = b; i < e && r->w[i] != CONSUMED; i++)
		;
	return trim(r, b, i, "([", ",.;:([ ");
}

static bool
span_has_alpha(const struct rp *r, struct span s)
{
	int i;

	for (i = s.b; i < s.e; i++)
		if (isalpha((unsigned char)r->w[i]) || (unsigned char)r->w[i] >= 0xC0)
			return true;
	return false;
}

/* "Location: Publisher" anywhere in [b, e). */
static void
find_place_publisher(struct rp *r, int b, int e)
{
	int i, best_lb = -1, best_i = 0, best_k = 0, best_pe = 0;
	char suf;

	for (i = b; i < e; i++) {
		int lb, pe, words = 0, k;

		if (r->w[i] != ':' || i + 1 >= e || (r->w[i + 1] != ' ' && !isupper((unsigned char)r->w[i + 1])))
			continue;
		/* the place: 1-4 capitalised words (and ", ST") back to a boundary */
		lb = i;
		k = i;
		while (k > b) {
			int we = k, wb;

			while (we > b && r->w[we - 1] == ' ')
				we--;
			wb = we;
			while (wb > b && (isalpha((unsigned char)r->w[wb - 1]) || (unsigned char)r->w[wb - 1] >= 0x80 ||
			    r->w[wb - 1] == '.' || r->w[wb - 1] == '-'))
				wb--;
			if (wb == we || !(isupper((unsigned char)r->w[wb]) || (unsigned char)r->w[wb] >= 0xC0 ||
			    word_eq_ci(r->w + wb, we - wb, "and") || (words > 0 && (word_eq_ci(r->w + wb, we - wb, "de") ||
			    word_eq_ci(r->w + wb, we - wb, "upon") || word_eq_ci(r->w + wb, we - wb, "am") ||
			    word_eq_ci(r->w + wb, we - wb, "sur") || word_eq_ci(r->w + wb, we - wb, "en") ||
			    word_eq_ci(r->w + wb, we - wb, "do") || word_eq_ci(r->w + wb, we - wb, "on")))))
				break;
			/* "... Glenn T. Seaborg. Singapore:" : a sentence ends before the place */
			if (words > 0 && we - wb >= 5 && r->w[we - 1] == '.' && islower((unsigned char)r->w[we - 2]))
				break;
			/* "J. Phys. A: Math. Gen." is a journal, not a place */
			{
				int ae = we;

				while (ae > wb && r->w[ae - 1] == '.')
					ae--;
				if (ae - wb == 1 || (we > ae && abbrev_before(r, ae) && !memchr(r->w + wb, '.', (size_t)(ae - wb)))) {
					words = 0;
					break;
				}
			}
			words++;
			lb = wb;
			k = wb;
			{
				int q = k;

				while (q > b && r->w[q - 1] == ' ')
					q--;
				if (q > b && r->w[q - 1] == ',' && words == 1) {
					k = q - 1;	/* "New York, NY" "Oxford, England" */
					continue;
				}
			}
			if (words >= 4)
				break;
		}
		if (words == 0 || (lb > b && r->w[lb - 1] != ' ' && r->w[lb - 1] != CONSUMED &&
		    r->w[lb - 1] != '.' && r->w[lb - 1] != ',' && r->w[lb - 1] != '('))
			continue;
		if (lb > b && !(r->w[lb - 1] == CONSUMED || r->w[lb - 1] == '(' || r->w[lb - 2 >= b ? lb - 2 : lb - 1] == '.' ||
		    r->w[lb - 2 >= b ? lb - 2 : lb - 1] == ',' || r->w[lb - 2 >= b ? lb - 2 : lb - 1] == CONSUMED ||
		    r->w[lb - 2 >= b ? lb - 2 : lb - 1] == ')'))
			continue;
		/* the publisher: up to the next comma, period-space or gap */
		k = i + 1 + (r->w[i + 1] == ' ');
		pe = k;
		for (;;) {
			while (pe < e && r->w[pe] != CONSUMED && r->w[pe] != ',' && r->w[pe] != ';' &&
			    !(r->w[pe] == '.' && (pe + 1 >= e || r->w[pe + 1] == ' ' || r->w[pe + 1] == CONSUMED) &&
			    !(pe > 1 && (isupper((unsigned char)r->w[pe - 1]) && !isalpha((unsigned char)r->w[pe - 2])))))
				pe++;
			/* "Prentice-Hall, Inc." "Harvard Univ. Press" "Farrar, Straus and Giroux" */
			if (pe + 2 < e && r->w[pe] == ',' && (starts_ci(r, pe + 2, "inc") || starts_ci(r, pe + 2, "ltd") ||
			    starts_ci(r, pe + 2, "incorporated") || starts_ci(r, pe + 2, "llc"))) {
				pe += 2;
				continue;
			}
			if (pe + 2 < e && r->w[pe] == '.' && r->w[pe + 1] == ' ' && isupper((unsigned char)r->w[pe + 2]) &&
			    pe > k + 3 && (word_eq_ci(r->w + pe - 4, 4, "univ") || word_eq_ci(r->w + pe - 3, 3, "inc") ||
			    word_eq_ci(r->w + pe - 2, 2, "co"))) {
				pe++;
				continue;
			}
			if ((pe < e && r->w[pe] == '.' && pe > k + 2 && (word_eq_ci(r->w + pe - 3, 3, "inc") ||
			    word_eq_ci(r->w + pe - 3, 3, "ltd") || word_eq_ci(r->w + pe - 2, 2, "co"))))
				pe++;	/* keep "Inc." whole */
			break;
		}
		if (pe == k || !(isupper((unsigned char)r->w[k]) || (unsigned char)r->w[k] >= 0xC0))
			continue;
		{
			/* "Insurance: Mathematics and Economics, 23(2)" is a journal */
			int q = pe;

			while (q < e && (r->w[q] == ',' || r->w[q] == ' '))
				q++;
			if (q < e && is_digit(r->w[q]) && !year_at(r, q, &suf))
				continue;
		}
		/* a journal and its subtitle are no place and publisher */
		{
			int q, pw = 1, lower = 0;

			for (q = k; q < pe; q++) {
				if (r->w[q] == ' ') {
					pw++;
					if (q + 4 < pe && islower((unsigned char)r->w[q + 1]) &&
					    isalpha((unsigned char)r->w[q + 4]) &&
					    !starts_ci(r, q + 1, "and ") && !starts_ci(r, q + 1, "of ") &&
					    !starts_ci(r, q + 1, "the ") && !starts_ci(r, q + 1, "for ") &&
					    !starts_ci(r, q + 1, "und ") && !starts_ci(r, q + 1, "et "))
						lower = 1;
				}
			}
			/* "Proceedings of the Royal Society of London A: Mathematical, ..." */
			int jb = lb - 40 > b ? lb - 40 : b, jl;

			for (jl = jb; jl < lb; jl++)
				if (starts_ci(r, jl, "proceedings ") || starts_ci(r, jl, "journal ") ||
				    starts_ci(r, jl, "transactions "))
					break;
			if (jl < lb)
				continue;
			if ((lower && pw > 3 && !strong_publisher(r, k, pe)) ||
			    (journal_word_in(r, k, pe) && !strong_publisher(r, k, pe) && !has_publisher_word(r, k, pe)) ||
			    journal_word_in(r, lb, i) || (pw > 4 && !has_publisher_word(r, k, pe)))
				continue;
		}
		/* the last "Place: Publisher" wins ("Feminism: Intersections ..." is a subtitle) */
		best_lb = lb;
		best_i = i;
		best_k = k;
		best_pe = pe;
	}
	if (best_lb >= 0) {
		r->loc = trim(r, best_lb, best_i, "", ",. ");
		r->publ = trim(r, best_k, best_pe, "", ",. ");
		consume(r, best_lb, best_pe);
	}
}

/* Was the text before b (in the original) a comma: "Title, Oxford 1968"? */
static bool
comma_before(const struct rp *r, int b)
{
	while (b > 0 && (r->o[b - 1] == ' '))
		b--;
	return b > 0 && r->o[b - 1] == ',';
}

/* One to three capitalised words, no digits: "Oxford", "Berkeley and Los Angeles". */
static bool
place_like(const struct rp *r, struct span c)
{
	int k, words = 0;

	if (c.e <= c.b || !(isupper((unsigned char)r->w[c.b]) || (unsigned char)r->w[c.b] >= 0xC0))
		return false;
	/* "JAIR", "CVPR", "TECHNOMETRICS": a venue in capitals */
	for (k = c.b; k < c.e && (isupper((unsigned char)r->w[k]) || is_digit(r->w[k]) || r->w[k] == '&'); k++)
		;
	if (k == c.e && c.e - c.b >= 2)
		return false;
	for (k = c.b; k < c.e; k++) {
		if (is_digit(r->w[k]) || r->w[k] == '.' || r->w[k] == ':' || r->w[k] == '(')
			return false;
		if (k == c.b || (is_sp((unsigned char)r->w[k - 1]) && !is_sp((unsigned char)r->w[k]))) {
			words++;
			if (!(isupper((unsigned char)r->w[k]) || (unsigned char)r->w[k] >= 0xC0 ||
			    starts_ci(r, k, "and ") || starts_ci(r, k, "am ") || starts_ci(r, k, "upon ") ||
			    starts_ci(r, k, "on ")))
				return false;
		}
	}
	if (words > 4 || has_publisher_word(r, c.b, c.e))
		return false;
	{
		static const char *const junk[] = { "doi", "inspire", "epub", "online", "eds", "ed",
			"part", "special", "paper", "vol", "volume", "no", "issue", "pages", "available",
			"accessed", "retrieved", "print", "web", "supplement", "suppl", "isbn", "issn",
			"pmid", "pmcid", "article", "chapter", "series", "report", "section", "url",
			"abstract", "erratum", "ibid", "preprint", "lnai", "lncs", "lnm", NULL };
		int w0, w1;
		const char *const *j;

		for (w0 = c.b; w0 < c.e; w0 = w1 + 1) {
			int ml;

			w1 = w0;
			while (w1 < c.e && !is_sp((unsigned char)r->w[w1]) && r->w[w1] != ',')
				w1++;
			for (j = junk; *j; j++)
				if (word_eq_ci(r->w + w0, w1 - w0, *j))
					return false;
			if (month_at(r, w0, &ml))
				return false;
		}
	}
	return true;
}

static bool
is_roman(const char *s, int n)
{
	int i;

	if (n < 1 || n > 7)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("IVXLCM", s[i]))
			return false;
	return true;
}

/*
 * Take what trails a container after its last commas: a month ("..., June"),
 * a roman volume ("..., XIII"), and for proceedings and books the place
 * ("..., Portland, OR").
 */
static void
split_container_tail(struct rp *r)
{
	int place_ok = is_proceedings(r, r->cont) || r->is_in, loc_b = -1, loc_e = -1;
	int guard;

	for (guard = 0; guard < 6; guard++) {
		int k, depth = 0, pb, pe = r->cont.e, words = 0, ml, m, bad = 0, w;

		for (k = r->cont.e - 1; k > r->cont.b; k--) {
			if (r->w[k] == ')')
				depth++;
			else if (r->w[k] == '(')
				depth--;
			else if (r->w[k] == ',' && depth == 0)
				break;
		}
		if (k <= r->cont.b)
			break;
		pb = k + 1;
		while (pb < pe && is_sp((unsigned char)r->w[pb]))
			pb++;
		if (pb >= pe)
			break;
		m = month_at(r, pb, &ml);
		if (m) {
			int q = pb + ml;

			while (q < pe && (r->w[q] == ' ' || r->w[q] == '.' || is_digit(r->w[q]) ||
			    dash_at(r->w, q, pe)))
				q += dash_at(r->w, q, pe) ? dash_at(r->w, q, pe) : 1;
			if (q >= pe) {
				if (r->month == 0)
					r->month = m;
				r->cont.e = k;
				continue;
			}
		}
		if (starts_ci(r, pb, "edited by") || starts_ci(r, pb, "ed. by") ||
		    starts_ci(r, pb, "translated by") || starts_ci(r, pb, "trans. by") ||
		    (pe - pb > 4 && (word_eq_ci(r->w + pe - 4, 4, " eds") || word_eq_ci(r->w + pe - 3, 3, " ed") ||
		    word_eq_ci(r->w + pe - 5, 5, " eds.") || word_eq_ci(r->w + pe - 4, 4, " ed.")))) {
			r->cont.e = k;
			continue;
		}
		if (is_roman(r->w + pb, pe - pb)) {
			if (r->vol.e == 0) {
				r->vol.b = pb;
				r->vol.e = pe;
			}
			r->cont.e = k;
			continue;
		}
		if (has_publisher_word(r, pb, pe) && !looks_journal(r, pb, pe) &&
		    !is_proceedings(r, (struct span){ pb, pe }) && pe - pb < 50) {
			/* "Computer Communication Review, ACM, New York" */
			if (r->publ.e == 0) {
				r->publ = trim(r, pb, pe, "", ",. ");
			}
			if (loc_b >= 0 && r->loc.e == 0) {
				r->loc.b = loc_b;
				r->loc.e = loc_e;
			}
			loc_b = loc_e = -1;
			r->cont.e = k;
			place_ok = 1;
			continue;
		}
		if (!place_ok && !place_like(r, (struct span){ pb, pe }))
			break;
		if (starts_ci(r, pb, "in ") && r->w[pb] == 'i')
			pb += 3;
		for (w = pb; w < pe; ) {
			int we = w;

			while (we < pe && !is_sp((unsigned char)r->w[we]))
				we++;
			words++;
			if (!(isupper((unsigned char)r->w[w]) || (unsigned char)r->w[w] >= 0xC0))
				bad = 1;
			w = we;
			while (w < pe && is_sp((unsigned char)r->w[w]))
				w++;
		}
		for (w = pb; w < pe; w++)
			if (is_digit(r->w[w]) || r->w[w] == '(' || r->w[w] == ')')
				bad = 1;
		if (bad || words > 3 || looks_journal(r, pb, pe) || has_publisher_word(r, pb, pe) ||
		    is_proceedings(r, (struct span){ pb, pe }))
			break;
		if (loc_e < 0)
			loc_e = pe;
		loc_b = pb;
		r->cont.e = k;
	}
	if (loc_b >= 0 && r->loc.e == 0) {
		r->loc.b = loc_b;
		r->loc.e = loc_e;
	}
	r->cont = trim(r, r->cont.b, r->cont.e, "", ",.;: ");
}

/*
 * "Absence of an inactive enzyme variant. N Engl J Med": the title went on
 * for another sentence and the container is the last one.
 */
static void
split_container_sentences(struct rp *r)
{
	int k, last = -1;

	for (k = r->cont.b + 4; k + 2 < r->cont.e; k++) {
		int wb = k;

		if (r->w[k] != '.' && r->w[k] != '?')
			continue;
		if (r->w[k + 1] != ' ' || !(isupper((unsigned char)r->w[k + 2]) || (unsigned char)r->w[k + 2] >= 0xC0))
			continue;
		while (wb > r->cont.b && isalpha((unsigned char)r->w[wb - 1]))
			wb--;
		if (r->w[k] == '.' && (k - wb < 4 || !islower((unsigned char)r->w[k - 1]) || abbrev_before(r, k)))
			continue;
		last = k;
	}
	if (last < 0)
		return;
	{
		/* the part before must read like a sentence: a lower-case word */
		static const char *const conn[] = { "of", "and", "the", "in", "for", "on", "de", "la",
			"des", "der", "und", "et", "du", "di", NULL };
		int q = r->cont.b, ok = 0;

		while (q < last && !ok) {
			int we;
			const char *const *c;

			while (q < last && !isalpha((unsigned char)r->w[q]))
				q++;
			we = q;
			while (we < last && isalpha((unsigned char)r->w[we]))
				we++;
			if (we - q >= 2 && islower((unsigned char)r->w[q]) && (we >= last || r->w[we] != '.')) {
				for (c = conn; *c; c++)
					if (word_eq_ci(r->w + q, we - q, *c))
						break;
				if (*c == NULL)
					ok = 1;
			}
			q = we + 1;
		}
		if (!ok)
			return;
	}
	if (r->title.e > r->title.b) {
		int q;

		/* only when the title ends where the container starts */
		for (q = r->title.e; q < r->cont.b; q++)
			if (!(r->o[q] == '.' || r->o[q] == ' ' || r->o[q] == ',' || r->o[q] == ':'))
				return;
		r->title.e = last + (r->w[last] == '?');
	} else {
		r->title = trim(r, r->cont.b, last + (r->w[last] == '?'), "", ",.;: ");
	}
	r->cont = trim(r, last + 1, r->cont.e, "", ",.;: ");
	if (starts_ci(r, r->cont.b, "in: ") || (starts_ci(r, r->cont.b, "in ") && r->cont.e - r->cont.b > 6)) {
		r->is_in = 1;
		r->cont = trim(r, r->cont.b + 2, r->cont.e, ":", ",.;: ");
	}
}

/* Take a name list at i as the editors; returns its end or i. */
static int
editors_at(struct rp *r, int i, int e)
{
	struct rname tmp[MAXNAME];
	int n, others, end;
	enum style st;

	end = parse_authors(r, i, e, tmp, MAXNAME, &n, &others, &st);
	if (n == 0 || r->ned > 0)
		return i;
	n = n < (int)CVB_ARRAY_SIZE(r->ed) ? n : (int)CVB_ARRAY_SIZE(r->ed);
	memcpy(r->ed, tmp, sizeof(tmp[0]) * (size_t)n);
	r->ned = n;
	r->ed_others = others;
	return end;
}

/* "edited by A. B", "edd. I. Morris and B. Powell", "(R. Chellappa, ed.)". */
static void
find_editors_inline(struct rp *r, int b, int e)
{
	static const char *const lead[] = { "edited by ", "ed. by ", "eds. ", "edd. ", "ed. ",
		"hrsg. v. ", "hg. v. ", "edited and translated by ", "translated by ", "trans. by ",
		"transl. by ", NULL };
	int i;
	const char *const *l;

	for (i = b; i < e && r->ned == 0; i++) {
		if (!word_start(r, i) || !strchr("eEhHtT", r->w[i]))
			continue;
		for (l = lead; *l; l++)
			if (starts_ci(r, i, *l)) {
				int k = i + (int)strlen(*l), end;

				if ((*l)[0] == 't') {
					/* a translator: not an editor, but not part of a title either */
					struct rname tmp[MAXNAME];
					int n, others;
					enum style st;

					end = parse_authors(r, k, e, tmp, MAXNAME, &n, &others, &st);
					if (n > 0)
						consume(r, i, end);
					continue;
				}
				end = editors_at(r, k, e);
				if (end > k) {
					consume(r, i, end);
					return;
				}
			}
	}
	/* "Handbook of Combinatorics, R. Graham, M. Grotschel, and L. Lovasz, Eds., vol. 2" */
	for (i = b; i + 5 < e && r->ned == 0; i++) {
		int s0, best = -1, q;

		if (!(r->w[i] == ',' && r->w[i + 1] == ' ' && (starts_ci(r, i + 2, "eds.") ||
		    starts_ci(r, i + 2, "eds,") || starts_ci(r, i + 2, "editors"))))
			continue;
		for (s0 = i - 1; s0 > b && i - s0 < 160; s0--) {
			int n, others, end;
			enum style st;
			struct rname tmp[MAXNAME];

			if (!(r->w[s0 - 1] == ' ' && (r->w[s0 - 2] == ',' || r->w[s0 - 2] == '.' ||
			    word_eq_ci(r->w + s0 - 3, 2, "in"))))
				continue;
			if (!isupper((unsigned char)r->w[s0]))
				continue;
			end = parse_authors(r, s0, i, tmp, MAXNAME, &n, &others, &st);
			if (n > 0 && end >= i - 1)
				best = s0;
		}
		if (best >= 0) {
			q = editors_at(r, best, i);
			if (q > best) {
				int z = i + 2;

				while (z < e && isalpha((unsigned char)r->w[z]))
					z++;
				if (z < e && r->w[z] == '.')
					z++;
				consume(r, best, z);
			}
		}
		break;
	}
	/* "(R. Chellappa, ed.)" "(Eds. X)" */
	for (i = b; i < e && r->ned == 0; i++) {
		int q, end;

		if (r->w[i] != '(')
			continue;
		for (q = i + 1; q < e && r->w[q] != ')' && q < i + 120; q++)
			;
		if (q >= e || r->w[q] != ')')
			continue;
		if (q - i > 5 && (word_eq_ci(r->w + q - 6, 6, "trans.") || word_eq_ci(r->w + q - 5, 5, "trans"))) {
			consume(r, i, q + 1);	/* "(A. Berman, Trans.)" a translator */
			continue;
		}
		if (!(q - i > 5 && (word_eq_ci(r->w + q - 3, 3, "ed.") || word_eq_ci(r->w + q - 4, 4, "eds.") ||
		    word_eq_ci(r->w + q - 2, 2, "ed") || word_eq_ci(r->w + q - 3, 3, "eds"))))
			continue;
		end = editors_at(r, i + 1, q);
		if (end > i + 1)
			consume(r, i, q + 1);
	}
}

/*
 * What trails a container without a comma: "New Scientist 199" (the volume),
 * "Wall Street Journal 4 January" (the date).
 */
static void
container_trailing(struct rp *r)
{
	int k, m, ml, q;
	char suf;

	for (q = 0; q < 3; q++) {
		int we = r->cont.e, wb;

		while (we > r->cont.b && (r->w[we - 1] == '.' || r->w[we - 1] == ' '))
			we--;
		wb = we;
		while (wb > r->cont.b && !is_sp((unsigned char)r->w[wb - 1]))
			wb--;
		if (wb <= r->cont.b + 2 || !is_sp((unsigned char)r->w[wb - 1]))
			return;
		for (k = wb; k < we && is_digit(r->w[k]); k++)
			;
		if (k == we && we - wb <= 2 && q < 2) {
			/* a day next to a month: "4 January", "January 4" */
			int pb = wb - 1;

			while (pb > r->cont.b && r->w[pb - 1] == ' ')
				pb--;
			k = pb;
			while (k > r->cont.b && isalpha((unsigned char)r->w[k - 1]))
				k--;
			if (k < pb && month_at(r, k, &ml) && q == 0 && r->month == 0) {
				r->month = month_at(r, k, &ml);
				r->cont = trim(r, r->cont.b, k, "", ",.;: (");
				return;
			}
		}
		if (k == we && we - wb <= 4 && !year_at(r, wb, &suf) && r->vol.e == 0 && q == 0) {
			r->vol.b = wb;
			r->vol.e = we;
			r->cont = trim(r, r->cont.b, wb, "", ",.;: (");
			continue;
		}
		m = month_at(r, wb, &ml);
		if (m && wb + ml >= we - 1) {
			int pb = wb;

			if (r->month == 0)
				r->month = m;
			while (pb > r->cont.b && r->w[pb - 1] == ' ')
				pb--;
			/* and a day before it */
			k = pb;
			while (k > r->cont.b && is_digit(r->w[k - 1]))
				k--;
			if (k < pb && pb - k <= 2 && k > r->cont.b && r->w[k - 1] == ' ')
				pb = k;
			r->cont = trim(r, r->cont.b, pb, "", ",.;: (");
			continue;
		}
		return;
	}
}

/*
 * "Publisher, Place": the trailing comma parts that read like places are the
 * place ("University of Pennsylvania, Philadelphia, PA").
 */
static void
split_publisher_place(struct rp *r, struct span c)
{
	int k = c.e, cut = c.e, n = 0;

	for (;;) {
		int q = k, pb;
		struct span part;

		while (q > c.b && r->w[q - 1] != ',')
			q--;
		if (q <= c.b)
			break;
		pb = q;
		part = trim(r, pb, k, "", ",. ");
		if (part.e <= part.b)
			break;
		/* a state or country code ("PA", "UK") after a place, or a place */
		if (!((part.e - part.b == 2 && isupper((unsigned char)r->w[part.b]) &&
		    isupper((unsigned char)r->w[part.b + 1])) || place_like(r, part)))
			break;
		cut = q - 1;
		k = q - 1;
		n++;
		if (n >= 3)
			break;
	}
	r->publ = trim(r, c.b, cut, "", ",. ");
	if (cut < c.e && r->loc.e == 0)
		r->loc = trim(r, cut + 1, c.e, "", ",. ");
}

/* A book's "(Publisher, Place, Year)": "(Artech House, Boston, 2005)". */
static void
find_paren_publisher(struct rp *r, int b, int e)
{
	int i, q, k, parts = 0, pb[3], pe[3];

	for (i = b; i < e && r->w[i] != '('; i++)
		;
	if (i >= e)
		return;
	for (q = i + 1; q < e && r->w[q] != ')' && r->w[q] != '(' && r->w[q] != CONSUMED; q++)
		;
	/* the year (and the closing bracket with it) may be gone already */
	if (q < e && r->w[q] == CONSUMED) {
		int z = q;

		while (z < e && r->w[z] == CONSUMED)
			z++;
		if (z < e && r->w[z] == ')')
			z++;
		if (q == i + 1)
			return;
		consume(r, q, z);
		r->w[z - 1] = ')';
		q = z - 1;
		r->w[q - 1] = CONSUMED;
	}
	if (q >= e || r->w[q] != ')')
		return;
	/* the year was in there */
	for (k = i + 1; k < q && r->w[k] != CONSUMED; k++)
		;
	if (k >= q)
		return;
	k = i + 1;
	while (k < q && parts < 3) {
		int ke = k;

		while (ke < q && r->w[ke] != ',' && r->w[ke] != CONSUMED)
			ke++;
		{
			struct span sp = trim(r, k, ke, " ", ",.;: ");

			if (sp.e > sp.b) {
				pb[parts] = sp.b;
				pe[parts] = sp.e;
				parts++;
			}
		}
		k = ke + 1;
	}
	if (parts == 0 || !(isupper((unsigned char)r->w[pb[0]]) || (unsigned char)r->w[pb[0]] >= 0xC0))
		return;
	for (k = pb[0]; k < pe[0]; k++)
		if (is_digit(r->w[k]))
			return;
	if (looks_journal(r, pb[0], pe[0]) && !has_publisher_word(r, pb[0], pe[0]))
		return;
	r->publ.b = pb[0];
	r->publ.e = pe[0];
	if (parts > 1 && r->loc.e == 0) {
		r->loc.b = pb[1];
		r->loc.e = pe[parts - 1];
	}
	consume(r, i, q + 1);
}

static void
parse_rest(struct rp *r, int b)
{
	int i = b, e = r->n, in_start = -1;
	struct span c;

	i = skip_sp(r, i);
	while (i < e && (r->w[i] == CONSUMED || strchr(".,;:", r->w[i]) || is_sp((unsigned char)r->w[i])))
		i++;
	/* "Reprinted in ...", "Also in ..." */
	if (starts_ci(r, i, "reprinted in ") || starts_ci(r, i, "also in ") || starts_ci(r, i, "repr. in ") ||
	    starts_ci(r, i, "also published in ")) {
		int k = i;

		while (!starts_ci(r, k, "in "))
			k++;
		consume(r, i, k);
		i = k;
	}
	/* In: ... / In Proceedings ... */
	if (starts_ci(r, i, "in:") || ((starts_ci(r, i, "in ") ) && word_start(r, i))) {
		int k = i + 2 + (r->w[i + 2] == ':');

		r->is_in = 1;
		consume(r, i, k);
		k = skip_sp(r, k);
		k = find_editors(r, k);
		in_start = k;
	}
	find_editors_inline(r, i, e);
	find_place_publisher(r, i, e);
	find_numbers(r, i, e);
	if (r->publ.e == 0 && r->vol.e == 0 && r->page.e == 0 && !r->is_in)
		find_paren_publisher(r, i, e);
	c = first_chunk(r, i, e);
	while (c.e > c.b && span_has_alpha(r, c)) {
		int k, ml;

		/* "August", "Sep": a month left over */
		if (month_at(r, c.b, &ml) && c.b + ml >= c.e - 3) {
			if (r->month == 0)
				r->month = month_at(r, c.b, &ml);
			consume(r, c.b, c.e);
			c = first_chunk(r, c.e, e);
			continue;
		}
		/* "Publisher, Location" or a publisher chunk */
		if (r->cont.e == 0 && (r->type == CVB_T_THESIS || r->type == CVB_T_REPORT)) {
			/* the institution of a thesis or report, and its place */
			if (r->publ.e == 0)
				split_publisher_place(r, c);
			else if (r->loc.e == 0)
				r->loc = c;
			consume(r, c.b, c.e);
			c = first_chunk(r, c.e, e);
			continue;
		}
		if (r->cont.e == 0 && r->vol.e == 0 && r->page.e == 0 && r->iss.e == 0 &&
		    !r->is_in && r->loc.e == 0 && place_like(r, c) && !looks_journal(r, c.b, c.e) &&
		    (comma_before(r, c.b) || (r->ned > 0 && r->nau == 0))) {
			/* "Title, Oxford 1968": a book's place */
			r->loc = c;
			consume(r, c.b, c.e);
			c = first_chunk(r, c.e, e);
			continue;
		}
		if (r->cont.e == 0 && (!has_publisher_word(r, c.b, c.e) || looks_journal(r, c.b, c.e) ||
		    is_proceedings(r, c) || (r->is_in && c.b <= i + 4) ||
		    (r->is_in && in_start >= 0 && c.b <= in_start + 4) ||
		    (!strong_publisher(r, c.b, c.e) && (r->vol.e || r->page.e) && r->type == CVB_T_NONE))) {
			/* the container ends at ". " followed by a place/publisher */
			r->cont = c;
			for (k = c.b; k + 1 < c.e; k++)
				if (r->w[k] == '.' && r->w[k + 1] == ' ' && k - c.b > 3 &&
				    ((isalpha((unsigned char)r->w[k - 1]) && isalpha((unsigned char)r->w[k - 2]) &&
				    isalpha((unsigned char)r->w[k - 3]) && isalpha((unsigned char)r->w[k - 4])) ||
				    (is_digit(r->w[k - 1]) && is_digit(r->w[k - 2]))) &&
				    !abbrev_before(r, k) && has_publisher_word(r, k + 1, c.e) &&
				    !is_proceedings(r, (struct span){ k + 1, c.e })) {
					r->cont.e = k;
					c.b = k + 1;
					break;
				}
			split_container_tail(r);
			split_container_sentences(r);
			container_trailing(r);
			if (k + 1 >= c.e) {
				consume(r, c.b, c.e);
				c = first_chunk(r, c.e, e);
				continue;
			}
		}
		if (r->publ.e == 0 && has_publisher_word(r, c.b, c.e)) {
			/* "Springer, Berlin" "John Wiley and Sons, Inc., New York" */
			split_publisher_place(r, c);
		} else if (r->loc.e == 0 && r->publ.e == 0 && r->cont.e != 0 && place_like(r, c)) {
			r->loc = c;
		}
		consume(r, c.b, c.e);
		c = first_chunk(r, c.e, e);
	}
}

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

static bool
has_venue_acronym(const struct rp *r, struct span s)
{
	return venue_in(r, s) >= 0;
}

static void
decide_type(struct rp *r)
{
	if (r->type != CVB_T_NONE && r->type != CVB_T_ARTICLE)
		return;
	if (r->type == CVB_T_ARTICLE && r->cont.e == 0)
		return;
	if (r->cont.e != 0 && (is_proceedings(r, r->cont) || (has_venue_acronym(r, r->cont) &&
	    !looks_journal(r, r->cont.b, r->cont.e)))) {
		r->type = CVB_T_PAPER_CONFERENCE;
		r->proc = 1;
	} else if (r->cont.e != 0 && r->is_in && (r->ned > 0 || r->publ.e != 0) && r->vol.e == 0)
		r->type = CVB_T_CHAPTER;
	else if (r->cont.e != 0)
		r->type = CVB_T_ARTICLE_JOURNAL;
	else if (r->publ.e != 0 || r->loc.e != 0)
		r->type = CVB_T_BOOK;
	else if (r->arxiv.e != 0)
		r->type = CVB_T_ARTICLE;
	else
		r->type = CVB_T_ARTICLE_JOURNAL;
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

static void
fill_item(cvbib_biblio *b, struct cvb_item *it, struct rp *r)
{
	put_names(b, it, r, r->au, r->nau, r->au_others, CVB_NV_AUTHOR);
	put_names(b, it, r, r->ed, r->ned, r->ed_others, CVB_NV_EDITOR);
	it->type = r->type;
	it->str[CVB_V_TITLE] = dup_span(b, r, r->title);
	it->str[CVB_V_CONTAINER_TITLE] = dup_span(b, r, r->cont);
	if (r->cont.e > r->cont.b) {
		/* "ICLR'24": the venue's short name */
		int v = venue_in(r, r->cont);

		if (v >= 0)
			it->str[CVB_V_CONTAINER_TITLE_SHORT] = cvb_text_venues[v][0];
	}
	it->str[CVB_V_PUBLISHER] = dup_span(b, r, r->publ);
	it->str[CVB_V_PUBLISHER_PLACE] = dup_span(b, r, r->loc);
	it->str[CVB_V_VOLUME] = dup_span(b, r, r->vol);
	it->str[CVB_V_ISSUE] = dup_span(b, r, r->iss);
	it->str[CVB_V_PAGE] = dup_span(b, r, r->page);
	it->str[CVB_V_DOI] = dup_span(b, r, r->doi);
	it->str[CVB_V_URL] = dup_span(b, r, r->url);
	if (r->number.e > r->number.b)
		it->str[CVB_V_NUMBER] = dup_span(b, r, r->number);
	if (r->genre)
		it->str[CVB_V_GENRE] = r->genre;
	if (r->arxiv.e > r->arxiv.b) {
		const char *a = dup_span(b, r, r->arxiv);

		cvb_item_add_field(b, it, "arxiv", a, 0);
		if (it->str[CVB_V_NUMBER] == NULL && it->type == CVB_T_ARTICLE)
			it->str[CVB_V_NUMBER] = cvb_arena_printf(&b->arena, "arXiv:%s", a);
	}
	if (r->year) {
		struct cvb_date *d = cvb_date_new(b);

		if (d != NULL) {
			d->parts[0][0] = r->year;
			d->nparts[0] = 1;
			if (r->month) {
				d->parts[0][1] = r->month;
				d->nparts[0] = 2;
			}
			it->date[CVB_DV_ISSUED] = d;
		}
		if (r->year_suffix)
			it->str[CVB_V_YEAR_SUFFIX] = cvb_arena_strndup(&b->arena, &r->year_suffix, 1);
	}
	if (r->status) {
		cvb_item_add_note(b, it, CVB_NOTE_STATUS, r->status);
		it->str[CVB_V_STATUS] = r->status;
	}
	if (r->presentation)
		cvb_item_add_note(b, it, CVB_NOTE_PRESENTATION, r->presentation);
	if (r->note.e > r->note.b) {
		const char *nt = dup_span(b, r, r->note);

		if (nt != NULL)
			cvb_item_add_note(b, it, CVB_NOTE_OTHER, nt);
	}
	if (r->award)
		cvb_item_add_note(b, it, CVB_NOTE_AWARD, r->award);
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

/* Authors that are an organisation: "UNHCR, 2015." "World Bank (2010)." */
static int
organisation_author(struct rp *r, int from)
{
	int i = from, words = 0, lastcap = 0;
	char suf;

	while (i < r->n) {
		int j = i;

		while (j < r->n && r->w[j] == ' ')
			j++;
		if (j >= r->n)
			break;
		if (r->w[j] == '(' && words > 0) {
			/* "Ministère de l'environnement (MEF) (1999)" */
			int k = j + 1;

			while (k < r->n && (isupper((unsigned char)r->w[k]) || r->w[k] == '&'))
				k++;
			if (k < r->n && r->w[k] == ')' && k > j + 1) {
				int q = k + 1;

				while (q < r->n && r->w[q] == ' ')
					q++;
				if (q + 1 < r->n && r->w[q] == '(' && year_at(r, q + 1, &suf))
					return q;
			}
		}
		if (r->w[j] == '(' || r->w[j] == ',' || r->w[j] == '.') {
			int k = j + 1;

			while (k < r->n && r->w[k] == ' ')
				k++;
			if (words > 0 && lastcap && year_at(r, k, &suf))
				return j;
			if (r->w[j] == '.' && j + 1 < r->n && isupper((unsigned char)r->w[j + 1])) {
				i = j + 1;	/* "U.S. Army" */
				continue;
			}
			return 0;
		}
		if (!(isupper((unsigned char)r->w[j]) || (unsigned char)r->w[j] >= 0xC0 ||
		    starts_ci(r, j, "of ") || starts_ci(r, j, "for ") || starts_ci(r, j, "and ") ||
		    starts_ci(r, j, "the ") || r->w[j] == '&'))
			return 0;
		lastcap = isupper((unsigned char)r->w[j]) || (unsigned char)r->w[j] >= 0xC0;
		while (j < r->n && !is_sp((unsigned char)r->w[j]) && !strchr("(,.", r->w[j]))
			j++;
		words++;
		if (words > 8)
			return 0;
		i = j;
	}
	return 0;
}

size_t
cvb_ref_author_len(const char *s, size_t len)
{
	struct rp *r;
	int n, others, end, i;
	enum style st;
	size_t out = 0;

	if (len == 0 || len > 1000)
		return 0;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return 0;
	memset(r, 0, offsetof(struct rp, tok));
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
	}
	free(r->w);
	free(r);
	return out;
}

int
cvb_refparse(cvbib_biblio *b, struct cvb_item *it, const char *s, size_t len,
    const struct cvb_refctx *ctx)
{
	struct rp *r;
	char stackw[1024], stacko[1024];
	int i, aend, others, n, ditto = 0;
	enum style st;
	int rc;
	char suf;

	r = malloc(sizeof(*r));
	if (r == NULL)
		return -CVBIB_ENOMEM;
	memset(r, 0, offsetof(struct rp, tok));
	memset(&r->nau, 0, sizeof(*r) - offsetof(struct rp, nau));
	if (len > 65536)
		len = 65536;
	r->w = len < sizeof(stackw) ? stackw : malloc(len + 1);
	r->o = len < sizeof(stacko) ? stacko : malloc(len + 1);
	if (r->w == NULL || r->o == NULL) {
		if (r->w != stackw)
			free(r->w);
		if (r->o != stacko)
			free(r->o);
		free(r);
		return -CVBIB_ENOMEM;
	}
	{
		size_t sk = cvb_ref_skip_marker(s, len);

		s += sk;
		len -= sk;
	}
	memcpy(r->w, s, len);
	for (i = 0; i < (int)len; i++) {
		if (r->w[i] == CONSUMED || r->w[i] == '\0')
			r->w[i] = ' ';
		else if ((unsigned char)r->w[i] == 0xE2 && i + 2 < (int)len &&
		    (unsigned char)r->w[i + 1] == 0x80 && (unsigned char)r->w[i + 2] == 0x9A) {
			/* U+201A used as a comma */
			r->w[i] = ',';
			r->w[i + 1] = ' ';
			r->w[i + 2] = ' ';
		}
	}
	r->w[len] = '\0';
	/* markup left in the string: <italic>, </i>, <sup> */
	for (i = 0; i < (int)len; i++)
		if (r->w[i] == '<' && (isalpha((unsigned char)r->w[i + 1]) || r->w[i + 1] == '/')) {
			int k = i + 1;

			while (k < (int)len && k < i + 24 && (isalnum((unsigned char)r->w[k]) ||
			    r->w[k] == '/' || r->w[k] == '-'))
				k++;
			if (k < (int)len && r->w[k] == '>')
				memset(r->w + i, ' ', (size_t)(k + 1 - i));
		}
	memcpy(r->o, r->w, len + 1);
	r->n = (int)len;
	r->ctx = ctx;

	find_ids(r);
	if (r->url.e)
		consume(r, r->url.b, r->url.e);
	if (r->doi.e)
		consume(r, r->doi.b, r->doi.e);
	if (r->arxiv.e) {
		int ab = r->arxiv.b;

		/* with its "arXiv:" in front */
		while (ab > 0 && (r->w[ab - 1] == ':' || r->w[ab - 1] == ' ') && ab > r->arxiv.b - 2)
			ab--;
		while (ab > 0 && isalpha((unsigned char)r->w[ab - 1]))
			ab--;
		/* "arXiv preprint arXiv:..." keeps "arXiv preprint" as a phrase */
		consume(r, ab, r->arxiv.e);
		{
			/* "arXiv:1504.05203 [gr-qc]" */
			int q = r->arxiv.e, c0;

			while (q < r->n && r->w[q] == ' ')
				q++;
			c0 = q;
			if (q < r->n && r->w[q] == '[') {
				while (q < r->n && r->w[q] != ']' && q < c0 + 24)
					q++;
				if (q < r->n && r->w[q] == ']')
					consume(r, c0, q + 1);
			}
		}
		/* [hep-ph] after it */
	}
	/* authors */
	i = skip_sp(r, 0);
	/* "———." repeats the previous authors */
	while (i < r->n && (dash_at(r->w, i, r->n) || r->w[i] == '_')) {
		i += dash_at(r->w, i, r->n) ? dash_at(r->w, i, r->n) : 1;
		ditto = 1;
	}
	if (ditto) {
		/* "--, --, and --, 2007c:" "--, R. Colacito, and T. J. Sargent," */
		for (;;) {
			while (i < r->n && (r->w[i] == '.' || r->w[i] == ',' || r->w[i] == ' '))
				i++;
			if (starts_ci(r, i, "and ") || starts_ci(r, i, "& "))
				i += r->w[i] == '&' ? 2 : 4;
			else if (i < r->n && dash_at(r->w, i, r->n))
				i += dash_at(r->w, i, r->n);
			else
				break;
		}
		consume(r, 0, i);
		{
			if (i < r->n && (isupper((unsigned char)r->w[i]) || (unsigned char)r->w[i] >= 0xC0) &&
			    parse_authors(r, i, r->n, r->au, MAXNAME, &n, &others, &st) > i && n > 0 &&
			    (T(0).cls & (W_INIT)))
				ditto = 0;	/* more authors after the repeated ones */
		}
	}
	r->astart = i;
	if (!ditto && year_at(r, i, &suf) && i + 5 < r->n && r->w[i + 4 + (suf != 0)] == ' ' &&
	    isupper((unsigned char)r->w[i + 5 + (suf != 0)])) {
		/* "2011 J. Opt. 13 013001": the year first */
		r->year = year_at(r, i, &suf);
		consume(r, i, i + 4 + (suf != 0));
		i = skip_sp(r, i + 4 + (suf != 0));
		r->astart = i;
	}
	if (ditto) {
		aend = i;
		n = others = 0;
		st = ST_NONE;
	} else
		aend = parse_authors(r, i, r->n, r->au, MAXNAME, &n, &others, &st);
	r->nau = n;
	r->au_others = others;
	if (n == 0 && !ditto) {
		/* "COLLECTIF. Title." "Aristotle. Nicomachean Ethics.": one name alone */
		int we = i;

		while (we < r->n && (isalpha((unsigned char)r->w[we]) || (unsigned char)r->w[we] >= 0x80))
			we++;
		if (we - i >= 4 && we + 2 < r->n && r->w[we] == '.' && r->w[we + 1] == ' ' &&
		    isupper((unsigned char)r->w[i]) && (isupper((unsigned char)r->w[we + 2]) ||
		    (unsigned char)r->w[we + 2] >= 0xC0) && !journal_word_in(r, i, we) &&
		    !year_at(r, we + 2, &suf)) {
			r->au[0].fam.b = i;
			r->au[0].fam.e = we;
			r->au[0].literal = 1;
			r->au[0].mark.b = -1;
			r->nau = 1;
			n = 1;
			aend = we + 1;
		}
	}
	if (n == 0 && !ditto) {
		int oe = organisation_author(r, i);

		if (oe > 0) {
			int q = oe;

			/* "Leukemia (2009) 23, 1587": a journal and its numbers */
			while (q < r->n && r->w[q] != ')' && q < oe + 12)
				q++;
			q++;
			while (q < r->n && (r->w[q] == ' ' || r->w[q] == ','))
				q++;
			if (r->w[oe] == '(' && q < r->n && is_digit(r->w[q])) {
				int ye = oe + 1;

				r->cont = trim(r, i, oe, "", ",. ");
				while (ye < r->n && r->w[ye] == ' ')
					ye++;
				if (year_at(r, ye, &suf)) {
					r->year = year_at(r, ye, &suf);
					while (ye < r->n && r->w[ye] != ')')
						ye++;
					consume(r, i, ye + 1);
					aend = ye + 1;
				} else
					consume(r, i, oe);
			} else {
				r->au[0].fam.b = i;
				r->au[0].fam.e = oe;
				r->au[0].literal = 1;
				r->au[0].mark.b = -1;
				r->nau = 1;
				aend = oe;
			}
		}
	}
	if (r->nau > 0) {
		int k = aend, e;

		consume(r, i, aend);
		/* "Smith, J. (Ed.)": the names are editors */
		while (k < r->n && (r->w[k] == ' ' || r->w[k] == ',' || r->w[k] == '('))
			k++;
		e = k;
		while (e < r->n && isalpha((unsigned char)r->w[e]))
			e++;
		if (e == k && starts_ci(r, k, "\xC3\xA9" "d"))
			e = k + 3;	/* "(éd.)" */
		if (e > k && (word_eq_ci(r->w + k, e - k, "ed") || word_eq_ci(r->w + k, e - k, "eds") ||
		    (e - k == 3 && starts_ci(r, k, "\xC3\xA9" "d")) ||
		    word_eq_ci(r->w + k, e - k, "editor") || word_eq_ci(r->w + k, e - k, "editors") ||
		    word_eq_ci(r->w + k, e - k, "hrsg") || word_eq_ci(r->w + k, e - k, "hg") ||
		    word_eq_ci(r->w + k, e - k, "dir")) && (e >= r->n || !isalpha((unsigned char)r->w[e]))) {
			int nn = r->nau < (int)CVB_ARRAY_SIZE(r->ed) ? r->nau : (int)CVB_ARRAY_SIZE(r->ed);

			while (e < r->n && (r->w[e] == '.' || r->w[e] == ')'))
				e++;
			memcpy(r->ed, r->au, sizeof(r->au[0]) * (size_t)nn);
			r->ned = nn;
			r->ed_others = r->au_others;
			r->nau = 0;
			r->au_others = 0;
			consume(r, aend, e);
			aend = e;
		}
	}
	/* the year right after the authors: (1990) 1990. (2000, May) */
	{
		int k = aend;

		while (k < r->n && (r->w[k] == ' ' || r->w[k] == ',' || r->w[k] == '.' ||
		    r->w[k] == CONSUMED))
			k++;
		if ((r->nau > 0 || r->ned > 0 || ditto) && k < r->n) {
			int p = r->w[k] == '(' || r->w[k] == '[';
			int y = year_at(r, k + p, &suf);

			if (y) {
				int e = k + p + 4 + (suf != 0);

				if (p) {
					while (e < r->n && r->w[e] != ')' && r->w[e] != ']' && e - k < 30)
						e++;
					if (e < r->n)
						e++;
				}
				if (p || e >= r->n || r->w[e] == '.' || r->w[e] == ',' || r->w[e] == ':' ||
				    r->w[e] == ';' || r->w[e] == ' ') {
					r->year = y;
					r->year_suffix = suf;
					consume(r, k, e);
					aend = e;
				}
			} else if (p && (starts_ci(r, k + 1, "n.d.") || starts_ci(r, k + 1, "in press") ||
			    starts_ci(r, k + 1, "forthcoming"))) {
				int e = k + 1;

				while (e < r->n && r->w[e] != ')')
					e++;
				if (starts_ci(r, k + 1, "in press"))
					r->status = "in press";
				else if (starts_ci(r, k + 1, "forthcoming"))
					r->status = "forthcoming";
				consume(r, k, e < r->n ? e + 1 : e);
				aend = e;
			}
		}
	}
	{
		int k = aend, comma;

		while (k > 0 && (r->w[k - 1] == ' ' || r->w[k - 1] == CONSUMED))
			k--;
		k = skip_sp(r, aend);
		while (k < r->n && r->w[k] == CONSUMED)
			k++;
		comma = r->nau > 0 && k < r->n && r->w[k] == ',';
		if (r->nau > 0 && aend > 0 && r->w[aend - 1] == ',')
			comma = 1;
		if (comma && r->nau > 0 && st != ST_GF)
			comma = 1;
		/* "Leukemia (2009) 23, ...": the journal came first, there is no title */
		i = r->cont.e > r->cont.b ? aend : find_title(r, aend, comma);
	}
	find_phrases(r, i, r->n);
	find_misc(r, i, r->n);
	parse_rest(r, i);
	if (r->year == 0) {
		for (i = 0; i < r->n; i++) {
			int y = year_at(r, i, &suf);

			if (y && r->w[i] != CONSUMED)
				r->year = y;
		}
	}
	if (r->year == 0) {
		/* "(ICLR'21)" "KDD '23": a venue's two-digit year */
		for (i = 1; i + 2 < r->n; i++) {
			if ((r->o[i] == '\'' || ((unsigned char)r->o[i] == 0x99 && i >= 2 && (unsigned char)r->o[i - 1] == 0x80)) &&
			    is_digit(r->o[i + 1]) && is_digit(r->o[i + 2]) && (i + 3 >= r->n || !isalnum((unsigned char)r->o[i + 3]))) {
				int yy = (r->o[i + 1] - '0') * 10 + (r->o[i + 2] - '0');

				r->year = yy > 50 ? 1900 + yy : 2000 + yy;
				break;
			}
		}
	}
	/* "The authentic heart. An eightfold path to midlife love. New York: Wiley.": a subtitle */
	if (r->publ.e > r->publ.b && r->cont.e > r->cont.b && r->title.e > r->title.b && !r->vol.e &&
	    !r->page.e && !r->iss.e && !r->is_in && r->type == CVB_T_NONE && r->cont.b > r->title.e &&
	    !is_proceedings(r, r->cont) && !has_venue_acronym(r, r->cont)) {
		int q, ok = 1, lower = 0;

		for (q = r->title.e; q < r->cont.b; q++)
			if (!(r->o[q] == '.' || r->o[q] == ' ' || r->o[q] == '?' || r->o[q] == '!'))
				ok = 0;
		int cw = 1;

		for (q = r->cont.b + 1; q < r->cont.e; q++) {
			if (r->o[q - 1] == ' ' && islower((unsigned char)r->o[q]))
				lower = 1;
			if (r->o[q] == ' ')
				cw++;
		}
		if (ok && lower && cw >= 4) {
			r->title.e = r->cont.e;
			r->cont.b = r->cont.e = 0;
		}
	}
	/* unbalanced brackets at the ends of a field: "Springer)", "(Boulder" */
	{
		struct span *f[] = { &r->publ, &r->loc, &r->cont, &r->title };
		size_t q;

		for (q = 0; q < CVB_ARRAY_SIZE(f); q++) {
			struct span *sp = f[q];
			int open = 0, k2;

			if (sp->e <= sp->b)
				continue;
			for (k2 = sp->b; k2 < sp->e; k2++)
				open += r->o[k2] == '(' ? 1 : r->o[k2] == ')' ? -1 : 0;
			if (open < 0 && r->o[sp->e - 1] == ')')
				*sp = trim_o(r, sp->b, sp->e - 1, "", ",.;: ");
			else if (open > 0 && r->o[sp->b] == '(')
				*sp = trim_o(r, sp->b + 1, sp->e, " ", ",.;: ");
		}
	}
	/* "Title (abstract)" "Title (in Japanese)" "Title (Third Edition)": a note, not the title */
	if (r->title.e > r->title.b + 4 && r->o[r->title.e - 1] == ')') {
		int q = r->title.e - 1, lb = -1;

		while (q > r->title.b && r->o[q] != '(')
			q--;
		if (r->o[q] == '(')
			lb = q;
		if (lb > r->title.b + 3) {
			static const char *const ann[] = { "abstract", "in ", "extended abstract", "invited",
				"poster", "review", "letter", "editorial", "erratum", "preprint", "in press",
				"submitted", "third edition", "second edition", "2nd ed", "3rd ed", NULL };
			const char *const *a;
			int cb = lb + 1;

			while (cb < r->title.e && r->o[cb] == ' ')
				cb++;
			for (a = ann; *a; a++)
				if (strncasecmp(r->o + cb, *a, strlen(*a)) == 0)
					break;
			if (*a != NULL && r->title.e - cb < 40) {
				r->note = trim_o(r, cb, r->title.e - 1, "", " ");
				r->title = trim_o(r, r->title.b, lb, "", ",.;: ");
			}
		}
	}
	/* "[gr-qc]", "( 2017)", "(CDF Collaboration)": leftovers, not a title */
	if (r->title.e > r->title.b) {
		int q, letters = 0;

		for (q = r->title.b; q < r->title.e; q++)
			if (isalpha((unsigned char)r->o[q]) || (unsigned char)r->o[q] >= 0xC0)
				letters++;
		if (letters == 0 || ((r->o[r->title.b] == '(' || r->o[r->title.b] == '[') &&
		    (r->o[r->title.e - 1] == ')' || r->o[r->title.e - 1] == ']')))
			r->title.b = r->title.e = 0;
	}
	/* "Will, C. M. 2014, Living Reviews in Relativity, 17, 4": the journal, no title */
	if (r->cont.e == 0 && r->title.e > r->title.b && r->vol.e && r->page.e && r->type == CVB_T_NONE) {
		int words = 1, q;

		for (q = r->title.b; q < r->title.e; q++)
			if (r->o[q] == ' ')
				words++;
		if (words <= 6 && !memchr(r->o + r->title.b, '.', (size_t)(r->title.e - r->title.b))) {
			r->cont = r->title;
			r->title.b = r->title.e = 0;
		}
	}
	/* "Information and Software Technology 53 (2011) 230-244": no title, a journal */
	if (r->cont.e == 0 && r->title.e > r->title.b && (r->vol.e || r->page.e) && r->type == CVB_T_NONE) {
		int words = 1, q;

		for (q = r->title.b; q < r->title.e; q++)
			if (r->o[q] == ' ')
				words++;
		if ((r->nau == 0 && r->ned == 0 && words <= 8) || words == 1) {
			r->cont = r->title;
			r->title.b = r->title.e = 0;
		}
	}
	/* "Phys. Rev. D93": the series letter belongs to the journal */
	if (r->vol.e > r->vol.b + 1 && r->vol.b < r->n && r->o[r->vol.b] >= 'A' && r->o[r->vol.b] <= 'E' &&
	    is_digit(r->o[r->vol.b + 1]) && r->cont.e > r->cont.b && r->cont.e <= r->vol.b) {
		int q;

		for (q = r->cont.e; q < r->vol.b; q++)
			if (!(r->o[q] == ' ' || r->o[q] == '.' || r->o[q] == ','))
				break;
		if (q == r->vol.b) {
			r->cont.e = r->vol.b + 1;
			r->vol.b++;
		}
	}
	decide_type(r);
	if (r->cont.e > r->cont.b && r->year) {
		/* "2020 IEEE 36th International Conference ...": the year again */
		int k = r->cont.b;

		if (year_at(r, k, &suf) == r->year && k + 5 < r->cont.e && r->o[k + 4] == ' ')
			r->cont.b = k + 5;
		else if (r->cont.e - 4 > r->cont.b && year_at(r, r->cont.e - 4, &suf) == r->year &&
		    r->o[r->cont.e - 5] == ' ')
			r->cont = trim_o(r, r->cont.b, r->cont.e - 5, "", ",.;: ");
	}
	fill_item(b, it, r);
	rc = ((r->title.e > r->title.b || r->cont.e > r->cont.b) && (r->nau > 0 || r->year)) ? 1 : 0;
	if (r->w != stackw)
		free(r->w);
	if (r->o != stacko)
		free(r->o);
	free(r);
	return b->arena.err ? -CVBIB_ENOMEM : rc;
}
