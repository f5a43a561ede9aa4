/*
 * sections.c - what a heading names (publications or another section), and
 * the legend of author markers ("* equal contribution").
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "freetext/ft.h"

/* -------------------------------------------------------------- sections */

/* +1: publications, -1: some other section, 0: neither (or over maxw words). */
static int
section_kind(const char *s, size_t maxw)
{
	static const char *const pubs[] = { "publication", "journal article", "journal paper",
		"conference paper", "conference proceeding", "conference publication",
		"workshop paper", "workshop", "preprint", "under review", "manuscript", "patent",
		"thesis", "theses", "dissertation", "book chapter", "chapters", "books",
		"technical report", "reports", "papers", "articles", "in preparation",
		"submitted", "refereed", "peer-reviewed", "peer reviewed", "bibliography",
		"selected work", "research output", "monograph", "proceedings", "journals", "book review",
		"conferences", "publikationen", "veröffentlichungen", "publicaciones", NULL };
	static const char *const other[] = { "experience", "employment", "education",
		"award", "honor", "honour", "talk", "presentation", "teaching", "service",
		"news", "skill", "project", "grant", "funding", "student", "mentoring",
		"referee", "contact", "interest", "about", "summary", "profile", "language",
		"course", "position", "activities", "membership", "review", "leadership",
		"software", "outreach", "media", "press", "invited", "seminar", "affiliation",
		"research statement", "volunteer", "certification", "reference", "teacher", "organiz", "organis",
		/* the same in the languages of the publication words above */
		"experiencia", "educación", "formación", "habilidades", "docencia", "premio",
		"erfahrung", "ausbildung", "lehre", "kenntnisse", "auszeichnung", "expérience",
		"enseignement", "compétence", NULL };
	char low[128];
	size_t i, n = 0, words = 1;
	const char *const *k;

	for (i = 0; s[i] && n + 1 < sizeof(low); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == EMPH_OPEN || c == EMPH_CLOSE || c == ':' || c == '*')
			continue;
		if (c == ' ')
			words++;
		low[n++] = (char)tolower(c);
	}
	low[n] = '\0';
	if (words > maxw || s[i] != '\0')
		return 0;
	/* "Invited Talks" and "Reviewing" before "papers": other wins on ties
	 * (reviews of books are publications, reviewing papers is service) */
	for (k = other; *k; k++)
		if (strstr(low, *k) != NULL && !(strcmp(*k, "review") == 0 && (strstr(low, "under review") ||
		    strstr(low, "book review") || strstr(low, "reviewed") || strstr(low, "review article"))) &&
		    !(strcmp(*k, "referee") == 0 && strstr(low, "refereed")) &&
		    !(strcmp(*k, "press") == 0 && strstr(low, "in press")))
			return -1;
	for (k = pubs; *k; k++)
		if (strstr(low, *k) != NULL)
			return 1;
	return 0;
}

/* Does heading s name a thesis ("Ph.D. Thesis", "Theses", "Dissertation")? */
bool
ft_names_thesis(const char *s)
{
	return strcasestr(s, "thesis") != NULL || strcasestr(s, "theses") != NULL ||
	    strcasestr(s, "dissertation") != NULL;
}

/*
 * The kind of publication a short line names by itself, as web pages label
 * each card ("Conference Paper" over the card's title): its CSL type, or
 * CVB_T_NONE when the line is no such label.
 */
enum cvb_type
ft_type_label(const char *s)
{
	static const struct { const char *label, *type; } kinds[] = {
		{ "conference paper", "paper-conference" }, { "conference proceedings", "paper-conference" },
		{ "workshop paper", "paper-conference" }, { "proceedings paper", "paper-conference" },
		{ "journal article", "article-journal" }, { "journal paper", "article-journal" },
		{ "book chapter", "chapter" }, { "preprint", "article" }, { "patent", "patent" },
		{ "technical report", "report" }, { "thesis", "thesis" }, { "dissertation", "thesis" },
	};
	size_t i, n;

	if (s == NULL)
		return CVB_T_NONE;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ':'))
		n--;
	for (i = 0; i < CVB_ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].label) == n && strncasecmp(s, kinds[i].label, n) == 0)
			return cvb_type_lookup(kinds[i].type);
	return CVB_T_NONE;
}

/*
 * The one kind of publication a heading names ("Conference Papers",
 * "Refereed Workshop Papers", "Preprints", "Book Chapters"): its CSL type,
 * or CVB_T_NONE when it names none or more than one ("Journal and
 * Conference Papers", "Technical Reports and Proceedings").  Not "Reports"
 * alone (a journal's name: "Scientific Reports") nor "Working Papers"
 * (manuscripts as often as reports).
 */
enum cvb_type
ft_section_type(const char *s)
{
	static const struct { const char *word, *type; } kinds[] = {
		{ "conference", "paper-conference" }, { "proceedings", "paper-conference" },
		{ "workshop", "paper-conference" }, { "journal", "article-journal" },
		{ "preprint", "article" }, { "chapter", "chapter" }, { "technical report", "report" },
		{ "book review", "review-book" },
	};
	enum cvb_type t = CVB_T_NONE, k;
	size_t i;

	if (s == NULL || strlen(s) > 60)
		return CVB_T_NONE;
	for (i = 0; i < CVB_ARRAY_SIZE(kinds); i++)
		if (strcasestr(s, kinds[i].word) != NULL) {
			k = cvb_type_lookup(kinds[i].type);
			if (t != CVB_T_NONE && t != k)
				return CVB_T_NONE;
			t = k;
		}
	return t;
}

/* +1: publications, -1: some other section, 0: neither.  A title that
 * ends with a colon may be a sentence that names the list ("Here is a list
 * of my working papers and publications:"), as ft_titled_line() takes it. */
int
ft_section_kind(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || (unsigned char)s[n - 1] == EMPH_CLOSE))
		n--;
	return section_kind(s, n > 0 && s[n - 1] == ':' ? 12 : 6);
}

/*
 * Is the line a section's title, though not marked up as a heading: a line
 * of a plain-text CV that names a section ("Publications"), one that ends
 * with a colon ("Publications:", "Here is a list of my working papers and
 * publications:"), or one wholly in bold or italics ("**Selected papers**")?
 */
bool
ft_titled_line(const char *s, enum cvb_textkind kind)
{
	size_t n = strlen(s);
	bool colon, emph;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || n >= 100)
		return false;
	colon = s[n - 1] == ':' || (n >= 2 && s[n - 1] == EMPH_CLOSE && s[n - 2] == ':');
	emph = s[0] == EMPH_OPEN && s[n - 1] == EMPH_CLOSE && memchr(s + 1, EMPH_OPEN, n - 2) == NULL;
	/* a colon after a sentence or a number ends no title: "... Soc., 99, 2529-2538. doi:" */
	if (colon && strpbrk(s, "0123456789") == NULL && strstr(s, ". ") == NULL)
		return section_kind(s, 12) != 0;
	if (colon)
		return false;
	/* a sentence break inside is a citation's: "Title. A. Smith. Springer Thesis" */
	if (memmem(s, n, ". ", 2) != NULL)
		return false;
	return (emph || (kind == CVB_TK_TEXT && n < 60)) && section_kind(s, 6) != 0;
}

/* ---------------------------------------------------------------- legend */

/* "* equal contribution", "(†: corresponding author)" anywhere in the document. */
/*
 * The legend as the CV wrote it: the whole line when the line starts with
 * the marker ("* Equal contribution; † corresponding author"), else the
 * words from the marker to the bracket that closes them or the end of the
 * line ("(* equal contribution)" at the end of an entry).  The line's
 * emphasis marks are dropped.
 */
static const char *
legend_text(cvbib_biblio *b, const char *s, size_t k)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p = s, *e;
	const char *r = NULL;

	while (*p == ' ' || *p == EMPH_OPEN || *p == '(' || *p == '[')
		p++;
	if (p >= s + k) {
		p = s;
		e = s + strlen(s);
	} else {
		p = s + k;
		e = p + strcspn(p, ")]");
	}
	for (; p < e; p++)
		if (*p != EMPH_OPEN && *p != EMPH_CLOSE)
			cvb_buf_addch(&t, *p);
	while (t.len > 0 && t.buf[t.len - 1] == ' ')
		t.len--;
	if (!t.err && t.len > 0)
		r = cvb_arena_strndup(&b->arena, t.buf, t.len);
	cvbib_buf_release(&t);
	return r;
}

void
ft_find_legend(const struct lines *L, struct cvb_refctx *ctx, cvbib_biblio *b)
{
	static const char *const eq[] = { "equal contribution", "equally contribut", "contributed equally",
		"co-first", "joint first", "shared first", "equal first" };
	static const char *const co[] = { "corresponding author", "corresponding", "senior author",
		"co-senior", "last author" };
	size_t i, k;
	int ne = 0, nc = 0;

	for (i = 0; i < L->n; i++) {
		const char *s = L->v[i].text;
		char low[512];
		size_t n;

		if (s == NULL)
			continue;
		n = strlen(s);
		if (n >= sizeof(low) || n > 300)
			continue;
		for (k = 0; k <= n; k++)
			low[k] = (char)tolower((unsigned char)s[k]);
		/* each marker symbol followed (soon) by a meaning */
		for (k = 0; k < n; k++) {
			const char *m = NULL;
			size_t ml = 0, q, e;

			if (s[k] == '*' || s[k] == '#') {
				m = s + k;
				ml = 1;
				while (k + ml < n && s[k + ml] == s[k] && ml < 3)
					ml++;
			} else if (k + 2 < n && (unsigned char)s[k] == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
			    ((unsigned char)s[k + 2] == 0xA0 || (unsigned char)s[k + 2] == 0xA1)) {
				m = s + k;
				ml = 3;
			} else if (k + 1 < n && (unsigned char)s[k] == 0xC2 && (unsigned char)s[k + 1] == 0xA7) {
				m = s + k;
				ml = 2;
			}
			if (m == NULL)
				continue;
			/* the meaning within the next 40 bytes, before another marker */
			e = k + ml + 40 < n ? k + ml + 40 : n;
			for (q = 0; q < CVB_ARRAY_SIZE(eq); q++) {
				const char *f = strstr(low + k + ml, eq[q]);

				if (f && (size_t)(f - low) < e && ne < 4) {
					ctx->equal_markers[ne++] = cvb_arena_strndup(&b->arena, m, ml);
					if (b->equal_legend == NULL)
						b->equal_legend = legend_text(b, s, k);
					ctx->has_legend = 1;
					break;
				}
			}
			if (q == CVB_ARRAY_SIZE(eq))
				for (q = 0; q < CVB_ARRAY_SIZE(co); q++) {
					const char *f = strstr(low + k + ml, co[q]);

					if (f && (size_t)(f - low) < e && nc < 4) {
						ctx->corresp_markers[nc++] = cvb_arena_strndup(&b->arena, m, ml);
						ctx->has_legend = 1;
						break;
					}
				}
			k += ml - 1;
		}
	}
}

/*
 * A legend line says what its markers mean near its start ("* Equal
 * contribution", "† These authors contributed equally"): the words open the
 * line or follow a marker.  An entry that ends with its own legend ("...,
 * 2022. (* equal contribution)") is not one, nor one whose title says it.
 */
bool
ft_is_legend_line(const char *s)
{
	static const char *const words[] = { "equal contribution", "contributed equally",
		"corresponding author", "equally contributed", "co-first" };
	char low[256];
	size_t k, n = strlen(s);

	if (n >= sizeof(low) || n >= 160)
		return false;
	for (k = 0; k <= n; k++)
		low[k] = (char)tolower((unsigned char)s[k]);
	for (k = 0; k < CVB_ARRAY_SIZE(words); k++) {
		const char *f = strstr(low, words[k]), *q;

		if (f == NULL || f - low >= 40)
			continue;
		/* at its start, or after a marker ("J. Smith, A. Brown. Equal
		 * contributions matter. ICML" is an entry) */
		for (q = low; q < f && (*q == ' ' || *q == '(' || *q == '[' || *q == EMPH_OPEN); q++)
			;
		if (q == f)
			return true;
		for (q = low; q < f; q++)
			if (*q == '*' || *q == '#' || *q == '^' || ((unsigned char)q[0] == 0xE2 && q + 2 < f &&
			    (unsigned char)q[1] == 0x80 && ((unsigned char)q[2] == 0xA0 || (unsigned char)q[2] == 0xA1)) ||
			    ((unsigned char)q[0] == 0xC2 && (unsigned char)q[1] == 0xA7))
				return true;
	}
	return false;
}


/*
 * A degree line of an Education section: "Ph.D. in Computer Science,
 * Stanford", "**B.Sc. in Mathematics**", "MSc of Economics" - the degree,
 * then "in" or "of".  No publication starts so ("PhD thesis: ..." does not).
 */
bool
ft_is_degree_line(const char *s)
{
	static const char *const deg[] = { "phd", "dphil", "bsc", "msc", "ba", "ma", "bs", "ms",
		"mba", "mphil", "beng", "meng", "bed", "med", "llb", "llm", "jd", "md", "bfa", "mfa",
		"mres", "mst", "bcom", "mcom", "bachelor", "master", "doctor", NULL };
	char w[16];
	size_t k = 0;
	int i;

	while (*s == ' ' || *s == EMPH_OPEN || *s == '"' || (unsigned char)*s == 0xE2) {
		if ((unsigned char)*s == 0xE2 && s[1] != '\0' && s[2] != '\0')
			s += 2;	/* a quotation mark: three bytes */
		s++;
	}
	for (; *s != '\0' && k + 1 < sizeof(w); s++) {
		if (*s == '.')
			continue;
		if (!isalpha((unsigned char)*s))
			break;
		w[k++] = (char)tolower((unsigned char)*s);
	}
	w[k] = '\0';
	for (i = 0; deg[i] != NULL; i++)
		if (strcmp(w, deg[i]) == 0)
			break;
	if (deg[i] == NULL)
		return false;
	/* "Master's in", "Bachelor’s of" */
	if (strncmp(s, "'s", 2) == 0)
		s += 2;
	else if (strncmp(s, "\xE2\x80\x99s", 4) == 0)
		s += 4;
	while (*s == EMPH_CLOSE || *s == ',' || *s == ' ')
		s++;
	return strncmp(s, "in ", 3) == 0 || strncmp(s, "of ", 3) == 0;
}
