/*
 * refnames.c - the rule parser's tokens and the name grammar.
 *
 * Three grammars of name lists: "J. Smith" (given first), "Smith, J."
 * (family first, comma) and Vancouver's "Smith JA"; the one that reads most
 * names wins.  The grammar serves the reference parser (the names of an
 * author or editor span, reflabel.c's corrections), its features
 * (cvb_ref_names_at: a list of names read where a sentence opens) and the
 * CV reader (cvb_ref_author_len, cvb_ref_skip_marker).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "refparse/refparse_int.h"

/* ------------------------------------------------------------ characters */

static int
cp_at(const char *s, int i, int n, uint32_t *cp)
{
	if ((unsigned char)s[i] < 0x80) {
		*cp = (unsigned char)s[i];
		return 1;
	}
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
	if (c < 0x80)
		return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	return cp_upper(c) || cp_lower(c) || (c >= 0x180 && c < 0x2000);
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

/* An ASCII letter or digit: no quote or marker starts there */
static bool
ascii_alnum(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
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

/*
 * Is the word w (n bytes) the one that joins the last name of a list: "and"
 * in any case, "&", or "und", "y", "e", "et" in lower case (in capitals they
 * are initials)?  The one list, for the name grammar and the corrections
 * after the model.
 */
bool
cvb_rp_and_word(const char *w, int n)
{
	if (n == 1 && *w == '&')
		return true;
	return word_eq_ci(w, n, "and") || (n > 0 && w[0] >= 'a' && (word_eq_ci(w, n, "und") ||
	    word_eq_ci(w, n, "y") || word_eq_ci(w, n, "e") || word_eq_ci(w, n, "et")));
}

static bool
is_particle(const char *s, int len, bool caps_ok)
{
	size_t i;
	unsigned char c0;

	if (len <= 0 || len > 6 || !strchr("vVdDzZtTaAbBiIeElLoOsSyYhH'", s[0]))
		return false;
	if (!caps_ok && !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	c0 = (unsigned char)s[0];
	if (c0 >= 'A' && c0 <= 'Z')
		c0 += 'a' - 'A';
	for (i = 0; cvb_bt_particles[i] != NULL; i++)
		if ((unsigned char)cvb_bt_particles[i][0] == c0 && word_eq_ci(s, len, cvb_bt_particles[i]))
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

/*
 * The rule parser's tokens of [from, to).  Long, but one pass: each case is
 * a spelling of real reference lists that glues or splits tokens ("Smith JE,,",
 * "andM .Sato", "T.C.Marshall"), and they act on the same cursor.
 */
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
				if (!ascii_alnum(w[e]) && open_quote_at(w, e, to, &cl) > 0 && w[e] != '\'')
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
					if (!ascii_alnum(w[k]) && (ml = marker_at(w, k, e)) > 0)
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
			if (cvb_rp_and_word(w + t->b, t->e - t->b))
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

/*
 * In a Vancouver list, a name whose given name is written out: "Brown
 * Audrey" between "Wilner LB," and ", MacNell NS" (family, then given; not
 * "Brown Audrey, MacNell NS" read as family-comma-given).  Two capitalised
 * words, then the list goes on with a Vancouver name, or ends.
 */
static int
name_fi_full(struct rp *r, int i, struct rname *nm)
{
	struct rname next;
	int j = i + 2;

	if (!ISW(i, W_CAP) || !ISW(i + 1, W_CAP) ||
	    (T(i).cls & (W_DOT | W_INIT | W_INITB | W_DIGIT | W_ALLCAPS)) ||
	    (T(i + 1).cls & (W_DOT | W_INIT | W_INITB | W_DIGIT | W_ALLCAPS)))
		return 0;
	if (T(j).t == TK_COMMA || T(j).t == TK_SEMI) {
		if (T(j + 1).t != TK_ETAL && T(j + 1).t != TK_AND && name_fi(r, j + 1, &next) == 0)
			return 0;
	} else if (T(j).t != TK_AND && T(j).t != TK_ETAL && T(j).t != TK_END)
		return 0;
	memset(nm, 0, sizeof(*nm));
	nm->fam.b = T(i).b;
	nm->fam.e = T(i).e;
	nm->giv.b = T(i + 1).b;
	nm->giv.e = T(i + 1).e;
	nm->mark = T(i + 1).mark;
	return 2;
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
	int len = T(k).e - T(k).b;

	if (T(k).t != TK_WORD)
		return false;
	if (len > 1 && r->w[T(k).e - 1] == '.')
		len--;
	return cvb_rp_word_is(r->w + T(k).b, len, cvb_ref_editor_words) || word_eq_ci(r->w + T(k).b, len, "edd");
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
				used = name_fi_full(r, j, &nm);	/* ..., Wilner LB, Brown Audrey, MacNell NS */
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
int
cvb_rp_authors(struct rp *r, int from, int to, struct rname *out, int max, int *nout,
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
	/* the months of data/months.tsv: "Jan", "January", "Sept" */
	return n > 0 && isalpha((unsigned char)s[0]) && cvb_bibtex_month(s, (size_t)n) > 0;
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
	end = cvb_rp_authors(r, 0, r->n, r->au, MAXNAME, &n, &others, &st);
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

int
cvb_rp_word_is(const char *s, int n, const char *const *list)
{
	for (; *list; list++)
		if ((int)strlen(*list) == n && strncasecmp(s, *list, (size_t)n) == 0)
			return 1;
	return 0;
}

/* A note on a name's role in brackets, in small letters: "(corresponding
 * author)", "(equal contribution)".  The offset after it, or b. */
static int
role_note(const char *w, int b, int e)
{
	int k;

	for (k = b + 1; k < e && k - b <= 40 && w[k] != ')'; k++)
		if (!(islower((unsigned char)w[k]) || w[k] == ' ' || w[k] == '-'))
			return b;
	return k < e && w[k] == ')' && k > b + 3 ? k + 1 : b;
}

/* the names of [b, e): the name grammar, run after run; what it cannot read
 * is an organisation */
void
cvb_rp_names_of(cvbib_biblio *bib, struct cvb_item *it, struct rp *r, int b, int e, enum cvb_nvar slot)
{
	struct rname *v = slot == CVB_NV_AUTHOR ? r->au : r->ed;
	int max = slot == CVB_NV_AUTHOR ? MAXNAME : MAXNAME / 4, tries, n, others = 0;
	enum style st;

	for (tries = 0; tries < 8 && b < e; tries++) {
		int end, k;

		for (;;) {
			if (b < e && (is_trim((unsigned char)r->w[b]) || r->w[b] == '&' || r->w[b] == ';'))
				b++;
			else if (b + 3 <= e && memcmp(r->w + b, "\xe2\x80\xa6", 3) == 0)
				b += 3;	/* "…" (U+2026) as "...": names left out */
			else if (marker_at(r->w, b, e) > 0)
				b += marker_at(r->w, b, e);	/* "Moraitou, M. *., Forsythe, A." */
			else if (r->w[b] == '(' && (k = role_note(r->w, b, e)) > b)
				b = k;	/* "Yang* (corresponding author), Yao Yue" */
			else
				break;
		}
		if (starts_ci(r, b, "and ") || starts_ci(r, b, "with "))
			b += r->w[b] == 'a' || r->w[b] == 'A' ? 4 : 5;
		if (b >= e)
			break;
		end = cvb_rp_authors(r, b, e, v, max, &n, &others, &st);
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

int
cvb_rp_year_in(const char *s, int b, int e, char *suffix, int *month)
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
			*month = cvb_bibtex_month(s + i, (size_t)(j - i));
			break;
		}
		i = j;
	}
	return y;
}
