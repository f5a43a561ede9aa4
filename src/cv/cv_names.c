/*
 * cv_names.c - is this author the CV owner?  Matching of --highlight names.
 *
 * A CV owner writes her name one way ("Altan Haan") and finds it in her
 * publications in many others: "Haan, A.", "A. Haan", "Haan, Altan B.",
 * "Häan", "van Haan".  This module folds names to a comparable key (ASCII,
 * lower case, no diacritics, no particles) and compares the given names
 * token by token, where an initial matches any name with that first letter.
 * It never matches a different person who shares the family name: the family
 * keys must be equal and every given-name token present on both sides must
 * agree ("B. Haan" and "Bert Haan" are not "Altan Haan").
 *
 * It owns nothing beyond the malloc'd parts of a struct cvb_cv_pattern.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"

/* Fold one code point; returns the ASCII text ("" to drop, NULL: keep as
 * is): letters as text/unicode.c folds them, a few separators as a space. */
static const char *
fold_cp(uint32_t cp)
{
	if (cp == 0xD7 || cp == 0xF7 || cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0xA0)
		return " ";
	if (cp == 0x2019 || cp == 0x2018 || cp == 0x2BC)	/* apostrophes */
		return "";
	return cvb_uc_fold_ascii(cp);
}

void
cvb_cv_fold(struct cvb_buf *out, const char *s)
{
	struct cvb_buf plain = CVB_BUF_INIT;
	const char *p, *end;
	size_t start = out->len;
	bool space = true;	/* suppress leading space */

	cvb_rich_plain(&plain, s ? s : "");
	p = plain.buf;
	end = plain.buf + plain.len;
	while (p < end) {
		uint32_t cp;
		int n = cvb_utf8_decode(p, (size_t)(end - p), &cp);
		const char *f;

		p += n;
		if (cp < 0x80) {
			if (isalnum((int)cp)) {
				cvb_buf_addch(out, tolower((int)cp));
				space = false;
			} else if (cp == '\'' || cp == '.' || cp == '`') {
				/* O'Brien = OBrien; "A." = "A" */
				if (cp == '.' && !space)
					cvb_buf_addch(out, ' '), space = true;
			} else if (!space) {
				cvb_buf_addch(out, ' ');
				space = true;
			}
			continue;
		}
		f = fold_cp(cp);
		if (f == NULL) {
			/* a letter of another script: kept as it is */
			cvb_buf_add(out, p - n, (size_t)n);
			space = false;
		} else if (strcmp(f, " ") == 0) {
			if (!space)
				cvb_buf_addch(out, ' ');
			space = true;
		} else if (*f != '\0') {
			for (; *f != '\0'; f++)
				cvb_buf_addch(out, (char)tolower((unsigned char)*f));
			space = false;
		}
	}
	while (out->len > start && out->buf[out->len - 1] == ' ')
		cvb_buf_setlen(out, out->len - 1);
	cvbib_buf_release(&plain);
}

static bool
listed(const char *const *list, const char *w, size_t n)
{
	size_t i, len;

	for (i = 0; list[i] != NULL; i++) {
		len = strlen(list[i]);
		if (len > 0 && list[i][len - 1] == '\'')	/* d' folds to d */
			len--;
		if (len == n && strncmp(list[i], w, n) == 0)
			return true;
	}
	return false;
}

/* A folded word that is a name particle (data/name-particles.txt)? */
static bool
is_particle(const char *w, size_t n)
{
	return listed(cvb_bt_particles, w, n) || listed(cvb_bt_particle_abbrevs, w, n);
}

/* The folded family key of s: particles at the front removed. */
static char *
family_key(const char *particle, const char *family)
{
	struct cvb_buf b = CVB_BUF_INIT;
	const char *p;
	char *r;

	(void)particle;		/* particles never count */
	cvb_cv_fold(&b, family);
	p = b.buf;
	for (;;) {
		const char *sp = strchr(p, ' ');

		if (sp == NULL || !is_particle(p, (size_t)(sp - p)))
			break;
		p = sp + 1;
	}
	r = strdup(p);
	cvbib_buf_release(&b);
	return r;
}

/* Split a given name into folded tokens; initials recorded.  "J.-P." and
 * "JP" (two capitals, no lower case) are two initials. */
static int
given_tokens(const char *given, char **tok, bool *init, int max)
{
	struct cvb_buf plain = CVB_BUF_INIT, f = CVB_BUF_INIT;
	const char *p;
	int n = 0;

	cvb_rich_plain(&plain, given ? given : "");
	p = plain.buf;
	while (*p != '\0' && n < max) {
		const char *s;
		size_t len;
		bool dotted, upper = true, lower = false;
		char *w;

		while (*p == ' ' || *p == '-' || *p == '.' || *p == ',' || *p == '\t' || *p == '~')
			p++;
		if (*p == '\0')
			break;
		s = p;
		while (*p != '\0' && *p != ' ' && *p != '-' && *p != '.' && *p != ',' && *p != '\t' && *p != '~')
			p++;
		len = (size_t)(p - s);
		dotted = *p == '.';
		for (size_t i = 0; i < len; i++) {
			if (islower((unsigned char)s[i]))
				lower = true;
			if (!isupper((unsigned char)s[i]))
				upper = false;
		}
		cvb_buf_reset(&f);
		w = strndup(s, len);
		if (w == NULL)
			break;
		cvb_cv_fold(&f, w);
		free(w);
		if (f.len == 0)
			continue;
		if (upper && !lower && len >= 2 && len <= 3 && !dotted) {
			/* "JP", "ABC": a run of initials */
			for (size_t i = 0; i < f.len && n < max; i++) {
				tok[n] = strndup(f.buf + i, 1);
				init[n++] = true;
			}
			continue;
		}
		tok[n] = strdup(f.buf);
		init[n] = f.len == 1 || (dotted && len <= 2);
		if (init[n])
			tok[n][1] = '\0';
		n++;
	}
	cvbib_buf_release(&plain);
	cvbib_buf_release(&f);
	return n;
}

/* Split "Family, Given" or "Given [particles] Family" into malloc'd parts. */
static int
split_name(const char *name, char **familyp, char **givenp)
{
	const char *comma;
	char *given, *family;

	while (*name == ' ')
		name++;
	comma = strchr(name, ',');
	if (comma != NULL) {
		/* "Family, Given" (and "von Family, Given") */
		family = strndup(name, (size_t)(comma - name));
		given = strdup(comma + 1);
	} else {
		/* "Given [particles] Family": the family name is the last word,
		 * with the lower-case particles before it */
		const char *end = name + strlen(name), *q;

		while (end > name && end[-1] == ' ')
			end--;
		q = end;
		while (q > name && q[-1] != ' ')
			q--;
		for (;;) {
			const char *w = q, *ws;

			while (w > name && w[-1] == ' ')
				w--;
			ws = w;
			while (ws > name && ws[-1] != ' ')
				ws--;
			if (ws == w || !islower((unsigned char)*ws) || !is_particle(ws, (size_t)(w - ws)))
				break;
			q = ws;
		}
		family = strndup(q, (size_t)(end - q));
		given = strndup(name, (size_t)(q - name));
	}
	if (family == NULL || given == NULL) {
		free(family);
		free(given);
		return -CVBIB_ENOMEM;
	}
	*familyp = family;
	*givenp = given;
	return 0;
}

int
cvb_cv_pattern_parse(struct cvb_cv_pattern *p, const char *name)
{
	char *given, *family;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = split_name(name, &family, &given)) != 0)
		return rc;
	p->family = family_key(NULL, family);
	p->ngiven = given_tokens(given, p->given, p->given_initials, (int)CVB_ARRAY_SIZE(p->given));
	free(family);
	free(given);
	if (p->family == NULL)
		return -CVBIB_ENOMEM;
	if (*p->family == '\0') {
		cvb_cv_pattern_release(p);
		return -CVBIB_EUSAGE;
	}
	return 0;
}

void
cvb_cv_pattern_release(struct cvb_cv_pattern *p)
{
	int i;

	free(p->family);
	for (i = 0; i < p->ngiven; i++)
		free(p->given[i]);
	memset(p, 0, sizeof(*p));
}

static bool
tokens_agree(const char *a, bool ia, const char *b, bool ib)
{
	if (ia || ib)
		return a[0] == b[0];
	return strcmp(a, b) == 0;
}

/* Compare given-name token lists: every token present on both sides agrees;
 * a missing middle name is no conflict ("Altan Haan" = "Altan B. Haan").
 * a is the name's, b the pattern's: a pattern that is a bare family name
 * ("--highlight Haan") asks for everybody of that family; a name without
 * given names is only the bare pattern's. */
static bool
givens_agree(char **a, const bool *ia, int na, char *const *b, const bool *ib, int nb)
{
	int i;

	if (nb == 0)
		return true;
	if (na == 0)
		return false;
	for (i = 0; i < na && i < nb; i++)
		if (!tokens_agree(a[i], ia[i], b[i], ib[i]))
			return false;
	return true;
}

/* Does the compound family "w1 w2 ... wk F" end in the family f, with the
 * words before it equal to the last full given names g[ng-j..ng)?  Returns
 * how many given names it takes (0: no). */
static int
compound_split(const char *compound, const char *f, char *const *g, const bool *gi, int ng)
{
	size_t lc = strlen(compound), lf = strlen(f);
	const char *w;
	int taken = 0, k;
	char *pre, *save = NULL, *t;
	char *words[8];
	int nw = 0;

	if (lf == 0 || lc <= lf + 1 || strcmp(compound + lc - lf, f) != 0 || compound[lc - lf - 1] != ' ')
		return 0;
	pre = strndup(compound, lc - lf - 1);
	if (pre == NULL)
		return 0;
	for (t = strtok_r(pre, " ", &save); t != NULL && nw < 8; t = strtok_r(NULL, " ", &save))
		words[nw++] = t;
	/* the words must be the last given names, in order, written out */
	if (nw > 0 && nw <= ng) {
		for (k = 0; k < nw; k++) {
			w = g[ng - nw + k];
			if (gi[ng - nw + k] || strcmp(w, words[k]) != 0)
				break;
		}
		if (k == nw)
			taken = nw;
	}
	free(pre);
	return taken;
}

static bool
match_parts(const struct cvb_cv_pattern *p, const char *family, const char *given)
{
	char *fk = family_key(NULL, family);
	char *tok[8];
	bool init[8], ok = false;
	int n, i, k;

	if (fk == NULL)
		return false;
	n = given_tokens(given, tok, init, 8);
	if (strcmp(fk, p->family) == 0)
		ok = givens_agree(tok, init, n, p->given, p->given_initials, p->ngiven);
	else if ((k = compound_split(fk, p->family, p->given, p->given_initials, p->ngiven)) > 0)
		/* "Gabriel García Márquez" read as given "Gabriel García": the
		 * name's family "García Márquez" holds the pattern's last given */
		ok = givens_agree(tok, init, n, p->given, p->given_initials, p->ngiven - k);
	else if ((k = compound_split(p->family, fk, tok, init, n)) > 0)
		/* and the other way round: the name was split too early */
		ok = givens_agree(tok, init, n - k, p->given, p->given_initials, p->ngiven);
	free(fk);
	for (i = 0; i < n; i++)
		free(tok[i]);
	return ok;
}

bool
cvb_cv_name_matches(const struct cvb_cv_pattern *p, const struct cvb_name *n)
{
	if (n == NULL || p->family == NULL || (n->flags & (CVB_NF_INSTITUTION | CVB_NF_OTHERS)))
		return false;
	if (n->family != NULL)
		return match_parts(p, n->family, n->given);
	if (n->literal != NULL) {
		/* a literal person name: split it like a pattern, then compare */
		char *family, *given;
		bool ok;

		if (split_name(n->literal, &family, &given) != 0)
			return false;
		ok = match_parts(p, family, given);
		free(family);
		free(given);
		return ok;
	}
	return false;
}
