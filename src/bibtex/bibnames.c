/*
 * bibnames.c - BibTeX name lists in and out.
 *
 * Reading follows BibTeX's own grammar (btxdoc, names.bst): a list is split
 * on the word "and" (any case) outside braces; each name is "First von Last",
 * "von Last, First" or "von Last, Jr, First", where "von" is the run of words
 * up to the last word starting with a lowercase letter (a word's case is that
 * of its first letter outside braces; {\"u} counts as u; other braces make a
 * word caseless).  A name that is one brace group ({Barnes and Noble}) is an
 * organisation; "others" is "et al.".  biblatex's extended format
 * ("family=Duchamp, given=Philippe, prefix=de, useprefix=true") is read too.
 * Parts map to CSL: First -> given, von -> non-dropping-particle, Last ->
 * family, Jr -> suffix.  Strings are converted with cvb_latex_to_rich(PLAIN).
 *
 * Writing gives "von Last, Jr, First", bracing parts BibTeX would misread.
 *
 * biblatex's useprefix (per name, or in the entry's options field) says
 * whether the prefix is CSL's non-dropping particle (true, and BibTeX's own
 * reading when nothing says) or its dropping particle (false); the biblatex
 * writer says useprefix per name where the entry's setting would be wrong.
 */

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

#define MAXTOK 64

struct tok {
	const char	*s;
	size_t		 n;
};

static bool
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Case of a code point: 'u', 'l' or 0 (text/unicode.c). */
static int
cp_case(uint32_t cp)
{
	if (cvb_uc_isupper(cp))
		return 'u';
	if (cvb_uc_islower(cp))
		return 'l';
	return 0;
}

/* The case of a word: its first letter outside braces ('u', 'l' or 0). */
static int
tok_case(const char *p, size_t n)
{
	const char *e = p + n;

	while (p < e) {
		if (*p == '{') {
			const char *g = cvb_latex_group_end(p, e);

			if (p + 1 < e && p[1] == '\\') {
				/* special character: the first letter after the command */
				const char *q = p + 2;

				if (q < g && isalpha((unsigned char)*q)) {
					const char *name = q;

					while (q < g && isalpha((unsigned char)*q))
						q++;
					/* {\ss}, {\o}, {\AA}: the command itself is the letter */
					{
						const char *r = q;

						while (r < g && (is_ws(*r) || *r == '{' || *r == '}'))
							r++;
						if (r >= g)
							return isupper((unsigned char)*name) ? 'u' : 'l';
					}
				} else if (q < g)
					q++;
				for (; q < g; q++)
					if (isalpha((unsigned char)*q))
						return isupper((unsigned char)*q) ? 'u' : 'l';
				return 0;
			}
			p = g < e ? g + 1 : e;
			continue;
		}
		if (*p == '\\') {
			/* \"{O}: an accent outside braces */
			const char *q = p + 1;

			if (q < e && isalpha((unsigned char)*q)) {
				while (q < e && isalpha((unsigned char)*q))
					q++;
			} else if (q < e)
				q++;
			/* an accent's braced letter, \.{Z}aneta: that letter's case */
			if (q == p + 2 && q < e && *q == '{') {
				const char *g = cvb_latex_group_end(q, e);

				for (q++; q < g; q++)
					if (isalpha((unsigned char)*q))
						return isupper((unsigned char)*q) ? 'u' : 'l';
			}
			p = q;
			continue;
		}
		if ((unsigned char)*p >= 0x80) {
			uint32_t cp;
			int l = cvb_utf8_decode(p, (size_t)(e - p), &cp);
			int c = cp_case(cp);

			if (c)
				return c;
			p += l;
			continue;
		}
		if (isalpha((unsigned char)*p))
			return isupper((unsigned char)*p) ? 'u' : 'l';
		p++;
	}
	return 0;
}

/* Split p..e into words at white space and '~' outside braces. */
static size_t
split_words(const char *p, const char *e, struct tok *t, size_t max)
{
	size_t n = 0;

	while (p < e) {
		const char *s;

		while (p < e && (is_ws(*p) || *p == '~'))
			p++;
		if (p >= e)
			break;
		s = p;
		while (p < e && !is_ws(*p) && *p != '~') {
			if (*p == '{') {
				const char *g = cvb_latex_group_end(p, e);

				p = g < e ? g + 1 : e;
			} else if (*p == '\\' && p + 1 < e)
				p += 2;
			else
				p++;
		}
		if (n < max)
			t[n++] = (struct tok){ s, (size_t)(p - s) };
		else
			t[max - 1].n = (size_t)(p - t[max - 1].s);
	}
	return n;
}

/* Words a..b (exclusive) joined as written, converted; NULL when empty. */
static const char *
words(cvbib_biblio *b, struct cvb_buf *tmp, const struct tok *t, size_t a, size_t z)
{
	const char *s, *e;

	if (a >= z)
		return NULL;
	s = t[a].s;
	e = t[z - 1].s + t[z - 1].n;
	if (cvb_latex_is_plain(s, (size_t)(e - s)))
		return s == e ? NULL : cvb_arena_strndup(&b->arena, s, (size_t)(e - s));
	cvb_buf_reset(tmp);
	cvb_latex_to_rich(tmp, s, (size_t)(e - s), CVB_LTX_PLAIN);
	if (tmp->len == 0)
		return NULL;
	return cvb_arena_strndup(&b->arena, tmp->buf, tmp->len);
}

static const char *
conv(cvbib_biblio *b, struct cvb_buf *tmp, const char *s, size_t n)
{
	while (n > 0 && is_ws(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_ws(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '{' && cvb_latex_group_end(s, s + n) == s + n - 1) {
		s++;
		n -= 2;
	}
	if (cvb_latex_is_plain(s, n))
		return n == 0 ? NULL : cvb_arena_strndup(&b->arena, s, n);
	cvb_buf_reset(tmp);
	cvb_latex_to_rich(tmp, s, n, CVB_LTX_PLAIN);
	if (tmp->len == 0)
		return NULL;
	return cvb_arena_strndup(&b->arena, tmp->buf, tmp->len);
}

/* biblatex's extended name format; false when the name is not in it. */
static bool
parse_extended(cvbib_biblio *b, struct cvb_buf *tmp, struct cvb_name *nm,
    const char *p, const char *e)
{
	const char *q = p;
	bool useprefix = true, said = false, any = false;
	const char *prefix = NULL;

	while (q < e && is_ws(*q))
		q++;
	{
		const char *r = q;

		while (r < e && (isalnum((unsigned char)*r) || *r == '-'))
			r++;
		while (r < e && is_ws(*r))
			r++;
		if (r == q || r >= e || *r != '=')
			return false;
	}
	while (q < e) {
		const char *ks, *ke, *vs, *ve;

		while (q < e && (is_ws(*q) || *q == ','))
			q++;
		if (q >= e)
			break;
		ks = q;
		while (q < e && *q != '=' && *q != ',')
			q++;
		ke = q;
		while (ke > ks && is_ws(ke[-1]))
			ke--;
		if (q >= e || *q != '=')
			return any;
		q++;
		while (q < e && is_ws(*q))
			q++;
		vs = q;
		while (q < e && *q != ',') {
			if (*q == '{') {
				const char *g = cvb_latex_group_end(q, e);

				q = g < e ? g + 1 : e;
			} else
				q++;
		}
		ve = q;
		any = true;
#define KEY(k) ((size_t)(ke - ks) == strlen(k) && strncasecmp(ks, k, strlen(k)) == 0)
		if (KEY("family"))
			nm->family = conv(b, tmp, vs, (size_t)(ve - vs));
		else if (KEY("given"))
			nm->given = conv(b, tmp, vs, (size_t)(ve - vs));
		else if (KEY("prefix"))
			prefix = conv(b, tmp, vs, (size_t)(ve - vs));
		else if (KEY("suffix"))
			nm->suffix = conv(b, tmp, vs, (size_t)(ve - vs));
		else if (KEY("useprefix")) {
			const char *v = conv(b, tmp, vs, (size_t)(ve - vs));

			useprefix = v == NULL || strcasecmp(v, "false") != 0;
			said = true;
		}
		/* given-i, family-i (initials) and unknown keys are ignored */
#undef KEY
	}
	/*
	 * useprefix=true: the prefix belongs to the name in citations and
	 * sorting (CSL's non-dropping particle); false: it is dropped there
	 * (dropping particle).  Unsaid, the entry's options decide
	 * (cvb_bibtex_useprefix()).
	 */
	if (said)
		nm->flags |= CVB_NF_USEPREFIX_SET;
	if (prefix != NULL && useprefix)
		nm->non_dropping_particle = prefix;
	else if (prefix != NULL)
		nm->dropping_particle = prefix;
	return any;
}

/* Index of the last lowercase word in t[a..z), or -1. */
static long
last_lower(const struct tok *t, size_t a, size_t z)
{
	long i;

	for (i = (long)z - 1; i >= (long)a; i--)
		if (tok_case(t[i].s, t[i].n) == 'l')
			return i;
	return -1;
}

static void
parse_one(cvbib_biblio *b, struct cvb_buf *tmp, struct cvb_name *nm,
    const char *p, const char *e)
{
	const char *commas[8];
	size_t ncomma = 0, k, f;
	struct tok t[MAXTOK];
	const char *q;

	while (p < e && is_ws(*p))
		p++;
	while (e > p && is_ws(e[-1]))
		e--;
	if (e - p == 6 && strncmp(p, "others", 6) == 0) {
		nm->literal = "others";
		nm->flags |= CVB_NF_OTHERS;
		return;
	}
	if (p < e && *p == '{' && cvb_latex_group_end(p, e) == e - 1) {
		/* {Barnes and Noble}: one organisation */
		nm->family = conv(b, tmp, p, (size_t)(e - p));
		nm->flags |= CVB_NF_INSTITUTION;
		return;
	}
	if (memchr(p, '=', (size_t)(e - p)) != NULL && parse_extended(b, tmp, nm, p, e))
		return;
	for (q = p; q < e; q++) {
		if (*q == '{') {
			q = cvb_latex_group_end(q, e);
			if (q >= e)
				break;
		} else if (*q == '\\' && q + 1 < e)
			q++;
		else if (*q == ',' && ncomma < CVB_ARRAY_SIZE(commas))
			commas[ncomma++] = q;
	}
	if (ncomma == 0) {
		long fl = -1, ll;

		k = split_words(p, e, t, MAXTOK);
		if (k == 0)
			return;
		for (f = 0; f + 1 < k; f++)
			if (tok_case(t[f].s, t[f].n) == 'l') {
				fl = (long)f;
				break;
			}
		if (fl >= 0) {
			ll = last_lower(t, (size_t)fl, k - 1);
			nm->given = words(b, tmp, t, 0, (size_t)fl);
			nm->non_dropping_particle = words(b, tmp, t, (size_t)fl, (size_t)ll + 1);
			nm->family = words(b, tmp, t, (size_t)ll + 1, k);
		} else {
			nm->given = words(b, tmp, t, 0, k - 1);
			nm->family = words(b, tmp, t, k - 1, k);
		}
		return;
	}
	/* von Last, [Jr,] First */
	k = split_words(p, commas[0], t, MAXTOK);
	if (k > 0) {
		long ll = last_lower(t, 0, k - 1);

		if (ll >= 0) {
			nm->non_dropping_particle = words(b, tmp, t, 0, (size_t)ll + 1);
			nm->family = words(b, tmp, t, (size_t)ll + 1, k);
		} else
			nm->family = words(b, tmp, t, 0, k);
	}
	if (ncomma == 1)
		nm->given = conv(b, tmp, commas[0] + 1, (size_t)(e - commas[0] - 1));
	else {
		nm->suffix = conv(b, tmp, commas[0] + 1, (size_t)(commas[1] - commas[0] - 1));
		/* more commas than BibTeX allows: the rest is all given names */
		nm->given = conv(b, tmp, commas[1] + 1, (size_t)(e - commas[1] - 1));
	}
}


/* ------------------------------------------------- CV marks after a name */

/*
 * al-folio's and academicpages' .bib files mark authors in the name itself:
 * "Doe*, Jane", "Jane Doe$^\dagger$", "Doe\textsuperscript{1}", "Doe^{1,*}",
 * "Doe{\dag}" (al-folio's bib.liquid shows any of * ∗ † ‡ § ¶ ‖ after a
 * family name as a superscript).  In an author list these marks come off the
 * name and become the model's (doc/bibtex.md): the dagger marks the
 * corresponding author, any other mark an equal contribution, as the
 * free-text reader reads them when the CV has no legend (refnames.c).
 */

/* The mark symbols (the first of a pair is written for both). */
static const char *const marksyms[][2] = {
	{ "*", "*" }, { "*", "\xE2\x88\x97" },	/* U+2217 asterisk operator */
	{ "\xE2\x80\xA0", "\xE2\x80\xA0" }, { "\xE2\x80\xA1", "\xE2\x80\xA1" },	/* † ‡ */
	{ "\xC2\xA7", "\xC2\xA7" }, { "\xC2\xB6", "\xC2\xB6" },	/* § ¶ */
	{ "\xE2\x80\x96", "\xE2\x80\x96" }, { "#", "#" },	/* ‖ # */
};

/* The mark symbol s (n bytes) is, normalised; NULL when it is none. */
static const char *
mark_symbol(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(marksyms); i++)
		if (strlen(marksyms[i][1]) == n && memcmp(marksyms[i][1], s, n) == 0)
			return marksyms[i][0];
	return NULL;
}

/*
 * Append to sym the marks LaTeX s..e writes ("$^{1,\ast}$" -> "1,*"); false
 * when s..e holds anything but marks, superscript and math around them, or
 * digits outside a superscript (the "2" of "Henry 2" is no mark).
 */
static bool
mark_symbols(struct cvb_buf *sym, const char *s, const char *e)
{
	bool sup = false, digits = false, any = false;

	while (s < e) {
		const char *c, *t;

		if (*s == '{' || *s == '}' || *s == '$' || is_ws(*s)) {
			s++;
			continue;
		}
		if (*s == '^') {
			sup = true;
			s++;
			continue;
		}
		if (isdigit((unsigned char)*s) || *s == ',') {
			digits |= *s != ',';
			cvb_buf_addch(sym, *s++);
			continue;
		}
		if (*s == '\\' && s + 1 < e) {
			c = ++s;
			if (isalpha((unsigned char)*s))
				while (s < e && isalpha((unsigned char)*s))
					s++;
			else
				s++;	/* \# \* */
			if (s - c == 15 && strncmp(c, "textsuperscript", 15) == 0) {
				sup = true;
				continue;
			}
			t = NULL;
			if (isalpha((unsigned char)*c)) {
				const struct cvb_mathcmd *m = cvb_math_cmd(c, (size_t)(s - c));

				t = m != NULL && m->how == MT_SYM ? m->text :
				    cvb_latex_symbol(c, (size_t)(s - c));
			} else
				t = c;
			if (t == NULL || (t = mark_symbol(t, isalpha((unsigned char)*c) ?
			    strlen(t) : 1)) == NULL)
				return false;
			cvb_buf_adds(sym, t);
			any = true;
			continue;
		}
		{
			size_t l = (unsigned char)*s < 0x80 ? 1 : (size_t)cvb_utf8_decode(s,
			    (size_t)(e - s), &(uint32_t){ 0 });

			if (l == 0 || (t = mark_symbol(s, l)) == NULL)
				return false;
			cvb_buf_adds(sym, t);
			s += l;
			any = true;
		}
	}
	return (any || digits) && (sup || !digits);
}

/* Where the last mark of s..e (white space trimmed) starts, or NULL. */
static const char *
mark_unit(const char *s, const char *e)
{
	const char *q;
	int depth = 0;

	if (e - s < 2)
		return NULL;
	if (e[-1] == '$') {
		/* $^*$, $^{1}$, $\dagger$ */
		for (q = e - 2; q > s && *q != '$'; q--)
			;
		return *q == '$' && q > s ? q : NULL;
	}
	if (e[-1] == '}') {
		/* \textsuperscript{*}, ^{1}, {\dag}: the group's opening brace */
		for (q = e - 1; q >= s; q--) {
			if (*q == '}' && !(q > s && q[-1] == '\\'))
				depth++;
			else if (*q == '{' && !(q > s && q[-1] == '\\') && --depth == 0)
				break;
		}
		if (q <= s)
			return NULL;
		if (q - s > 16 && strncmp(q - 16, "\\textsuperscript", 16) == 0)
			return q - 16;
		return q[-1] == '^' ? q - 1 : q;
	}
	if (isdigit((unsigned char)e[-1])) {
		/* ^1, ^12 */
		for (q = e - 1; q > s && isdigit((unsigned char)q[-1]); q--)
			;
		return q > s + 1 && q[-1] == '^' ? q - 1 : NULL;
	}
	if (isalpha((unsigned char)e[-1])) {
		/* \dag */
		for (q = e - 1; q > s && isalpha((unsigned char)q[-1]); q--)
			;
		return q > s + 1 && q[-1] == '\\' ? q - 1 : NULL;
	}
	/* a symbol: *, \#, ^*, U+2020 */
	for (q = e - 1; q > s && ((unsigned char)*q & 0xC0) == 0x80; q--)
		;
	if (q > s && q[-1] == '\\')
		q--;
	if (q > s && q[-1] == '^')
		q--;
	return q > s ? q : NULL;
}

/*
 * Take the marks off the end of the name part s..*e: *e is moved to where
 * the name ends, the marks go to sym (left to right).  False when none.
 */
static bool
strip_marks(struct cvb_buf *sym, const char *s, const char **e)
{
	const char *units[4], *z = *e, *q;
	size_t nu = 0, i;
	struct cvb_buf one = CVB_BUF_INIT;
	bool ok = true;

	while (z > s && is_ws(z[-1]))
		z--;
	while (nu < CVB_ARRAY_SIZE(units) && (q = mark_unit(s, z)) != NULL) {
		cvb_buf_reset(&one);
		if (!mark_symbols(&one, q, z))
			break;
		units[nu++] = z;
		units[nu++] = q;
		for (z = q; z > s && is_ws(z[-1]); z--)
			;
	}
	cvbib_buf_release(&one);
	/* what is left must end as a name does: a letter, ".", "}" or non-ASCII */
	if (nu == 0 || z == s || !(isalnum((unsigned char)z[-1]) || z[-1] == '.' ||
	    z[-1] == '}' || (unsigned char)z[-1] >= 0x80))
		return false;
	for (i = nu; i > 0; i -= 2) {
		if (sym->len > 0 && isdigit((unsigned char)sym->buf[sym->len - 1]))
			cvb_buf_addch(sym, ',');
		ok &= mark_symbols(sym, units[i - 1], units[i - 2]);
	}
	*e = z;
	return ok;
}

/*
 * The name a..z without its marks, in tmp (the marks in sym); false, with
 * tmp untouched, when it has none.  Marks end the family name ("Doe*, Jane")
 * or the whole name ("Jane Doe*", "Doe, Jane*").
 */
static bool
unmark_name(struct cvb_buf *tmp, struct cvb_buf *sym, const char *a, const char *z)
{
	const char *comma = NULL, *q, *e1, *e2 = z;
	bool any;

	for (q = a; q < z; q++) {
		if (*q == '{') {
			q = cvb_latex_group_end(q, z);
			if (q >= z)
				break;
		} else if (*q == '\\' && q + 1 < z)
			q++;
		else if (*q == ',') {
			comma = q;
			break;
		}
	}
	e1 = comma;
	any = comma != NULL && strip_marks(sym, a, &e1);
	if (!strip_marks(sym, comma != NULL ? comma + 1 : a, &e2) && !any)
		return false;
	cvb_buf_reset(tmp);
	if (comma != NULL) {
		cvb_buf_add(tmp, a, (size_t)(e1 - a));
		cvb_buf_add(tmp, comma, (size_t)(e2 - comma));
	} else
		cvb_buf_add(tmp, a, (size_t)(e2 - a));
	return !tmp->err;
}

/* Give nm the flags of the marks in sym, and the marks as written. */
static void
mark_name(cvbib_biblio *b, struct cvb_name *nm, const struct cvb_buf *sym)
{
	const char *dag = strstr(sym->buf, "\xE2\x80\xA0");

	if (dag != NULL)
		nm->flags |= CVB_NF_CORRESP;
	if (sym->len > (dag != NULL ? 3u : 0u))
		nm->flags |= CVB_NF_EQUAL;
	nm->marker = cvb_arena_strndup(&b->arena, sym->buf, sym->len);
}

static struct cvb_name *
parse_names(cvbib_biblio *b, const char *s, size_t n, bool marks)
{
	const char *p = s, *e = s + n, *start = s;
	struct cvb_name *head = NULL, **tail = &head;
	struct cvb_buf tmp = CVB_BUF_INIT, sym = CVB_BUF_INIT, unmarked = CVB_BUF_INIT;
	int depth = 0;

	for (;;) {
		const char *end = NULL, *next = NULL;

		/* find the next " and " at depth 0 */
		for (; p < e; p++) {
			if (*p == '\\' && p + 1 < e) {
				p++;
				continue;
			}
			if (*p == '{')
				depth++;
			else if (*p == '}')
				depth--;
			else if (depth == 0 && is_ws(*p) && p + 4 < e &&
			    (p[1] | 0x20) == 'a' && (p[2] | 0x20) == 'n' &&
			    (p[3] | 0x20) == 'd' && is_ws(p[4])) {
				end = p;
				next = p + 5;
				break;
			}
		}
		if (end == NULL)
			end = e;
		{
			const char *a = start, *z = end;

			while (a < z && is_ws(*a))
				a++;
			if (a < z) {
				struct cvb_name *nm = cvb_name_new(b);

				if (nm == NULL)
					break;
				cvb_buf_reset(&sym);
				if (marks && unmark_name(&unmarked, &sym, a, z)) {
					parse_one(b, &tmp, nm, unmarked.buf,
					    unmarked.buf + unmarked.len);
					mark_name(b, nm, &sym);
				} else
					parse_one(b, &tmp, nm, a, z);
				if (nm->family || nm->given || nm->literal || nm->suffix ||
				    nm->non_dropping_particle) {
					*tail = nm;
					tail = &nm->next;
				}
			}
		}
		if (next == NULL)
			break;
		start = p = next;
	}
	cvbib_buf_release(&tmp);
	cvbib_buf_release(&sym);
	cvbib_buf_release(&unmarked);
	return head;
}

struct cvb_name *
cvb_bibtex_parse_names(cvbib_biblio *b, const char *s, size_t n)
{
	return parse_names(b, s, n, false);
}

struct cvb_name *
cvb_bibtex_parse_authors(cvbib_biblio *b, const char *s, size_t n)
{
	return parse_names(b, s, n, true);
}

/* ------------------------------------------------------------ writing */

static bool
has_and(const char *s)
{
	const char *p;

	for (p = s; (p = strchr(p, ' ')) != NULL; p++)
		if (strncasecmp(p, " and ", 5) == 0)
			return true;
	return false;
}

/* Would BibTeX split this family name into von and Last? */
static bool
family_needs_braces(const char *s)
{
	const char *p = s, *sp;

	if (strchr(s, ',') || has_and(s))
		return true;
	if (strchr(s, ' ') == NULL)
		return false;
	/* any word but the last that starts lowercase, or a particle */
	while ((sp = strchr(p, ' ')) != NULL) {
		if (tok_case(p, (size_t)(sp - p)) != 'u' || cvb_bibtex_is_particle(p, (size_t)(sp - p)))
			return true;
		p = sp + 1;
	}
	return false;
}

static void
put_part(struct cvb_buf *out, const char *s, bool brace, unsigned flags)
{
	if (brace)
		cvb_buf_addch(out, '{');
	cvb_latex_from_rich(out, s, flags | CVB_LTX_NOMARKUP);
	if (brace)
		cvb_buf_addch(out, '}');
}

void
cvb_bibtex_write_names(struct cvb_buf *out, const struct cvb_name *n, unsigned flags)
{
	bool first = true;

	for (; n != NULL; n = n->next) {
		const char *von = n->non_dropping_particle ? n->non_dropping_particle
		    : n->dropping_particle;
		bool useprefix;

		if (!first)
			cvb_buf_adds(out, " and ");
		first = false;
		if (n->flags & CVB_NF_OTHERS) {
			cvb_buf_adds(out, "others");
			continue;
		}
		if (n->family == NULL || (n->flags & CVB_NF_INSTITUTION) ||
		    (n->literal != NULL && n->given == NULL)) {
			const char *lit = n->literal ? n->literal : n->family;

			if (lit == NULL && n->given != NULL)
				lit = n->given;
			put_part(out, lit ? lit : "", true, flags);
			continue;
		}
		if (n->given == NULL && n->suffix == NULL && von == NULL) {
			/*
			 * A family name alone: one word as it is; several words
			 * braced and followed by {} ("{Ford Coppola}{}"): a name
			 * that is one brace group is an organisation, and BibTeX
			 * rejects a name that ends in a comma.
			 */
			if (strchr(n->family, ' ') == NULL && !has_and(n->family) &&
			    strchr(n->family, ',') == NULL && strcmp(n->family, "others") != 0)
				put_part(out, n->family, false, flags);
			else {
				put_part(out, n->family, true, flags);
				cvb_buf_adds(out, "{}");
			}
			continue;
		}
		/* biblatex: a particle that useprefix does not say right needs the
		 * extended format (the entry's useprefix is in flags) */
		useprefix = n->non_dropping_particle != NULL;
		if ((flags & CVB_LTX_EXTNAMES) && (strchr(n->family, ',') ||
		    (n->given && strchr(n->given, ',')) || (n->suffix && strchr(n->suffix, ',')) ||
		    (von && strchr(von, ',')) ||
		    (von && useprefix == ((flags & CVB_LTX_USEPREFIX_FALSE) != 0)))) {
			/* biber counts commas inside braces too: family={..}, given={..} */
			cvb_buf_adds(out, "family=");
			put_part(out, n->family, true, flags);
			if (n->given) {
				cvb_buf_adds(out, ", given=");
				put_part(out, n->given, true, flags);
			}
			if (von) {
				cvb_buf_adds(out, ", prefix=");
				put_part(out, von, true, flags);
				cvb_buf_adds(out, useprefix ? ", useprefix=true" : ", useprefix=false");
			}
			if (n->suffix) {
				cvb_buf_adds(out, ", suffix=");
				put_part(out, n->suffix, true, flags);
			}
			continue;
		}
		if (von != NULL) {
			put_part(out, von, strchr(von, ',') != NULL || has_and(von), flags);
			cvb_buf_addch(out, ' ');
		}
		put_part(out, n->family, family_needs_braces(n->family) ||
		    (von == NULL && tok_case(n->family, strlen(n->family)) == 'l'), flags);
		if (n->suffix != NULL) {
			cvb_buf_adds(out, ", ");
			put_part(out, n->suffix, strchr(n->suffix, ',') != NULL, flags);
		}
		if (n->given != NULL || n->suffix != NULL) {
			cvb_buf_adds(out, ", ");
			if (n->given != NULL)
				put_part(out, n->given, strchr(n->given, ',') != NULL || has_and(n->given), flags);
		}
	}
}

/* Does an options field ("useprefix=false, ...") turn useprefix off? */
bool
cvb_bibtex_useprefix_off(const char *opts)
{
	const char *p = opts;

	while (p != NULL && (p = strstr(p, "useprefix")) != NULL) {
		const char *q = p + 9;

		if (p != opts && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) {
			p = q;
			continue;
		}
		while (*q == ' ')
			q++;
		if (*q != '=')
			return false;	/* "useprefix" alone is true */
		q++;
		while (*q == ' ' || *q == '{')
			q++;
		return strncasecmp(q, "false", 5) == 0;
	}
	return false;
}

/* Apply an entry's useprefix=false to names that did not say it themselves. */
void
cvb_bibtex_useprefix(struct cvb_item *it)
{
	int v;

	for (v = 0; v < CVB_NV__COUNT; v++) {
		struct cvb_name *n;

		for (n = it->names[v]; n != NULL; n = n->next)
			if (!(n->flags & CVB_NF_USEPREFIX_SET) && n->non_dropping_particle != NULL &&
			    n->dropping_particle == NULL) {
				n->dropping_particle = n->non_dropping_particle;
				n->non_dropping_particle = NULL;
			}
	}
}
