/*
 * bibmap.c - the BibTeX <-> CSL maps: fields, entry types, months, particles,
 * and citation keys.
 *
 * The tables live in data/ (documented there and in doc/bibtex.md) and are
 * compiled in by mk/gen-bibtex.awk; this file builds lookup indexes over them
 * on first use and owns nothing else.  It also generates citation keys from a
 * key pattern ("[auth][year][title]" by default) and keeps them unique.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

struct fent {
	const char	*name;
	struct cvb_bfield f;
};
static struct fent *fidx;
static size_t nfidx;
/* a hash index over fidx (open addressing; -1: empty), built with it */
static int *fhash;
static size_t fhash_mask;

static size_t
fname_hash(const char *s, size_t n)
{
	size_t h = 5381, i;

	for (i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h ^ (h >> 7);
}

static int
fent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fent *)a)->name, ((const struct fent *)b)->name);
}

static enum cvb_bfk
kind_of(const char *k)
{
	static const struct { const char *s; enum cvb_bfk k; } t[] = {
		{ "str", CVB_BFK_STR }, { "verb", CVB_BFK_VERB }, { "page", CVB_BFK_PAGE },
		{ "name", CVB_BFK_NAME }, { "date", CVB_BFK_DATE }, { "year", CVB_BFK_YEAR },
		{ "month", CVB_BFK_MONTH }, { "day", CVB_BFK_DAY }, { "number", CVB_BFK_NUMBER },
		{ "note", CVB_BFK_NOTE }, { "flag", CVB_BFK_FLAG }, { "keep", CVB_BFK_KEEP },
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(t); i++)
		if (strcmp(t[i].s, k) == 0)
			return t[i].k;
	CVB_BUG("unknown field kind in data/bibtex-fields.tsv");
	return CVB_BFK_UNKNOWN;
}

static void
fidx_build(void)
{
	size_t i, n;

	for (n = 0; cvb_bt_fields_in[n].field != NULL; n++)
		;
	fidx = calloc(n ? n : 1, sizeof(*fidx));
	if (fidx == NULL)
		return;
	for (i = 0; i < n; i++) {
		const struct cvb_bt_fieldin *r = &cvb_bt_fields_in[i];
		struct fent *f = &fidx[i];

		f->name = r->field;
		f->f.kind = kind_of(r->kind);
		if (f->f.kind == CVB_BFK_NOTE) {
			f->f.note = strcmp(r->target, "award") == 0 ? CVB_NOTE_AWARD
			    : strcmp(r->target, "status") == 0 ? CVB_NOTE_STATUS
			    : strcmp(r->target, "presentation") == 0 ? CVB_NOTE_PRESENTATION
			    : CVB_NOTE_OTHER;
		} else if (r->target != NULL && f->f.kind != CVB_BFK_FLAG) {
			f->f.var = cvb_var_lookup(r->target);
			if (f->f.var.kind == CVB_VK_NONE)
				CVB_BUG("unknown CSL variable in data/bibtex-fields.tsv");
		}
	}
	qsort(fidx, n, sizeof(*fidx), fent_cmp);
	nfidx = n;
	for (fhash_mask = 1; fhash_mask < 4 * n; fhash_mask <<= 1)
		;
	fhash = malloc(fhash_mask * sizeof(*fhash));
	fhash_mask--;
	if (fhash != NULL) {
		memset(fhash, 0xff, (fhash_mask + 1) * sizeof(*fhash));
		for (i = 0; i < n; i++) {
			size_t h = fname_hash(fidx[i].name, strlen(fidx[i].name)) & fhash_mask;

			while (fhash[h] >= 0)
				h = (h + 1) & fhash_mask;
			fhash[h] = (int)i;
		}
	}
}

/* The entry of the lowercase field name low (n bytes), or NULL. */
static const struct fent *
fidx_find(const char *low, size_t n)
{
	struct fent key;
	size_t h;

	if (fhash == NULL) {
		key.name = low;
		return bsearch(&key, fidx, nfidx, sizeof(*fidx), fent_cmp);
	}
	for (h = fname_hash(low, n) & fhash_mask; fhash[h] >= 0; h = (h + 1) & fhash_mask) {
		const struct fent *e = &fidx[fhash[h]];

		if (e->name[0] == low[0] && strcmp(e->name, low) == 0)
			return e;
	}
	return NULL;
}

struct cvb_bfield
cvb_bibtex_field(const char *name, size_t n)
{
	char low[64];
	const struct fent *e;
	struct cvb_bfield none = { CVB_BFK_UNKNOWN, { CVB_VK_NONE, 0 }, 0 };
	size_t i;

	if (fidx == NULL)
		fidx_build();
	if (n == 0 || n >= sizeof(low) || fidx == NULL)
		return none;
	for (i = 0; i < n; i++)	/* ASCII: tolower() of the C locale, without the call */
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 : name[i]);
	low[n] = '\0';
	e = fidx_find(low, n);
	if (e != NULL)
		return e->f;
	/* a field named like a CSL variable fills it */
	none.var = cvb_var_lookup(low);
	if (none.var.kind == CVB_VK_NONE) {
		/* DOI, URL, ISBN ... are upper case in CSL */
		for (i = 0; i < n; i++)
			low[i] = (char)toupper((unsigned char)low[i]);
		none.var = cvb_var_lookup(low);
		if (none.var.kind != CVB_VK_STR && none.var.kind != CVB_VK_NUM)
			none.var.kind = CVB_VK_NONE;
	}
	switch (none.var.kind) {
	case CVB_VK_STR: case CVB_VK_NUM:
		none.kind = CVB_BFK_CSLVAR;
		break;
	case CVB_VK_NAME:
		none.kind = CVB_BFK_NAME;
		break;
	case CVB_VK_DATE:
		none.kind = CVB_BFK_DATE;
		break;
	default:
		break;
	}
	return none;
}

enum cvb_type
cvb_bibtex_type_in(const char *bibtype, const char **genre)
{
	size_t i;

	*genre = NULL;
	for (i = 0; cvb_bt_types_in[i].bibtype != NULL; i++)
		if (strcasecmp(cvb_bt_types_in[i].bibtype, bibtype) == 0) {
			*genre = cvb_bt_types_in[i].genre;
			return cvb_type_lookup(cvb_bt_types_in[i].csltype);
		}
	return CVB_T_NONE;
}

bool
cvb_bibtex_type_known(const char *type, bool biblatex)
{
	const char *list = biblatex ? cvb_bt_biblatex_types : cvb_bt_bibtex_types;
	size_t n = strlen(type);
	const char *p;

	for (p = list; (p = strstr(p, type)) != NULL; p++)
		if (p[-1] == ' ' && p[n] == ' ')
			return true;
	return false;
}

const char *
cvb_bibtex_type_out(const struct cvb_item *it, bool biblatex)
{
	static char low[64];
	size_t i;

	if (it->type == CVB_T_NONE && it->bibtype != NULL && it->bibtype[0] != '\0')
		return it->bibtype;	/* a type CSL does not know: kept as written */
	if (it->bibtype != NULL && it->bibtype[0] != '\0' && strlen(it->bibtype) < sizeof(low)) {
		for (i = 0; it->bibtype[i]; i++)
			low[i] = (char)tolower((unsigned char)it->bibtype[i]);
		low[i] = '\0';
		if (cvb_bibtex_type_known(low, biblatex))
			return low;
		/*
		 * A type of the other dialect is kept as written: BibTeX then
		 * warns about an @online entry exactly as it does on the input,
		 * where its alias (@misc) would add warnings of its own.
		 */
		if (cvb_bibtex_type_known(low, !biblatex))
			return low;	/* the other dialect's type: kept */
		if (!cvb_bibtex_type_known(low, !biblatex) && it->type == CVB_T_NONE)
			return it->bibtype;	/* unknown to both: kept as written */
	}
	if (it->type == CVB_T_THESIS && !biblatex) {
		const char *g = it->str[CVB_V_GENRE];

		if (g != NULL && (strstr(g, "aster") || strstr(g, "MSc") || strstr(g, "M.Sc")))
			return "mastersthesis";
		return "phdthesis";
	}
	for (i = 0; cvb_bt_types_out[i].csltype != NULL; i++)
		if (strcmp(cvb_bt_types_out[i].csltype, cvb_type_name(it->type)) == 0)
			return biblatex ? cvb_bt_types_out[i].biblatex : cvb_bt_types_out[i].bibtex;
	return "misc";
}

int
cvb_bibtex_month(const char *s, size_t n)
{
	size_t i;

	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	if (n == 0)
		return 0;
	if (isdigit((unsigned char)s[0])) {
		int v = 0;

		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i]) || i > 1)
				return 0;
			v = v * 10 + (s[i] - '0');
		}
		return v >= 1 && v <= 12 ? v : 0;
	}
	for (i = 0; cvb_bt_months[i].macro != NULL; i++) {
		const struct cvb_bt_month *m = &cvb_bt_months[i];

		if ((n == 3 && strncasecmp(s, m->macro, 3) == 0) ||
		    (n == strlen(m->name) && strncasecmp(s, m->name, n) == 0) ||
		    (n == 4 && strncasecmp(s, "sept", 4) == 0 && m->num == 9))
			return m->num;
	}
	return 0;
}

int
cvb_season_name(const char *s, size_t n)
{
	static const char *const names[] = { "spring", "summer", "fall", "autumn", "winter" };
	static const int num[] = { 1, 2, 3, 3, 4 };
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(names); i++)
		if (n == strlen(names[i]) && strncasecmp(s, names[i], n) == 0)
			return num[i];
	return 0;
}

const char *
cvb_bibtex_month_macro(int month)
{
	return month >= 1 && month <= 12 ? cvb_bt_months[month - 1].macro : NULL;
}

/* Is s (n bytes) one of the words of list, in any case? */
static bool
word_listed(const char *const *list, const char *s, size_t n)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], s, n) == 0)
			return true;
	return false;
}

bool
cvb_bibtex_is_particle(const char *s, size_t n)
{
	return word_listed(cvb_bt_particles, s, n);
}

/* ------------------------------------------------------------ key sets */

static size_t
key_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + ((unsigned char)*s | 0x20);	/* ASCII case folded */
	/* mix, so that keys alike ("smith2020a", "smith2020b") do not cluster */
	h ^= h >> 29;
	h *= (size_t)0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

bool
cvb_keyset_has(const struct cvb_keyset *ks, const char *s)
{
	size_t i;

	if (ks->cap == 0)
		return false;
	for (i = key_hash(s) & (ks->cap - 1); ks->v[i] != NULL; i = (i + 1) & (ks->cap - 1))
		if (strcasecmp(ks->v[i], s) == 0)
			return true;
	return false;
}

int
cvb_keyset_add(struct cvb_keyset *ks, const char *s)
{
	size_t i;

	if ((ks->n + 1) * 2 > ks->cap) {
		size_t nc = ks->cap ? ks->cap * 2 : 64, j;
		const char **nv = calloc(nc, sizeof(*nv));

		if (nv == NULL) {
			cvb_nomem();
			return -CVBIB_ENOMEM;
		}
		for (j = 0; j < ks->cap; j++)
			if (ks->v[j] != NULL) {
				for (i = key_hash(ks->v[j]) & (nc - 1); nv[i] != NULL; i = (i + 1) & (nc - 1))
					;
				nv[i] = ks->v[j];
			}
		free(ks->v);
		ks->v = nv;
		ks->cap = nc;
	}
	for (i = key_hash(s) & (ks->cap - 1); ks->v[i] != NULL; i = (i + 1) & (ks->cap - 1))
		if (strcasecmp(ks->v[i], s) == 0)
			return 0;
	ks->v[i] = s;
	ks->n++;
	return 0;
}

void
cvb_keyset_release(struct cvb_keyset *ks)
{
	size_t i;

	for (i = 0; i < ks->capbases; i++)
		free(ks->bases[i].base);
	free(ks->bases);
	free(ks->v);
	memset(ks, 0, sizeof(*ks));
}

/* The slot of base in ks's table of bases (added, next 0, when new); NULL
 * when memory ran out. */
static struct cvb_keybase *
keybase(struct cvb_keyset *ks, const char *base)
{
	size_t i;

	if ((ks->nbases + 1) * 2 > ks->capbases) {
		size_t nc = ks->capbases ? ks->capbases * 2 : 64, j;
		struct cvb_keybase *nv = calloc(nc, sizeof(*nv));

		if (nv == NULL)
			return NULL;
		for (j = 0; j < ks->capbases; j++)
			if (ks->bases[j].base != NULL) {
				for (i = key_hash(ks->bases[j].base) & (nc - 1); nv[i].base != NULL;
				    i = (i + 1) & (nc - 1))
					;
				nv[i] = ks->bases[j];
			}
		free(ks->bases);
		ks->bases = nv;
		ks->capbases = nc;
	}
	for (i = key_hash(base) & (ks->capbases - 1); ks->bases[i].base != NULL;
	    i = (i + 1) & (ks->capbases - 1))
		if (strcmp(ks->bases[i].base, base) == 0)
			return &ks->bases[i];
	if ((ks->bases[i].base = strdup(base)) == NULL)
		return NULL;
	ks->bases[i].next = 0;
	ks->nbases++;
	return &ks->bases[i];
}

/* ------------------------------------------------------------ citation keys */

bool
cvb_key_stopword(const char *w, size_t n)
{
	return word_listed(cvb_key_stopwords, w, n);
}

static const char *const key_tokens[] = {
	"auth", "Auth", "AUTH", "authors", "year", "shortyear", "title", "Title",
	"shorttitle", "type",
};

const char *
cvb_bibtex_key_pattern_error(const char *pat)
{
	const char *p = pat;

	if (pat == NULL || *pat == '\0')
		return "the key pattern is empty";
	while ((p = strchr(p, '[')) != NULL) {
		const char *e = strchr(p, ']');
		size_t i, n;

		if (e == NULL)
			return "'[' without ']' in the key pattern";
		n = (size_t)(e - p - 1);
		for (i = 0; i < CVB_ARRAY_SIZE(key_tokens); i++)
			if (strlen(key_tokens[i]) == n && strncmp(key_tokens[i], p + 1, n) == 0)
				break;
		if (i == CVB_ARRAY_SIZE(key_tokens))
			return "unknown field in the key pattern (known: [auth] [Auth] [AUTH] "
			    "[authors] [year] [shortyear] [title] [Title] [shorttitle] [type])";
		p = e + 1;
	}
	return NULL;
}

static const struct cvb_name *
first_names(const struct cvb_item *it)
{
	if (it->names[CVB_NV_AUTHOR] != NULL)
		return it->names[CVB_NV_AUTHOR];
	if (it->names[CVB_NV_EDITOR] != NULL)
		return it->names[CVB_NV_EDITOR];
	return NULL;
}

/* Family of a name for keys: the first word of an organisation, particles skipped. */
static void
add_family(struct cvb_buf *o, const struct cvb_name *n, int mode)
{
	struct cvb_buf plain = CVB_BUF_INIT, fold = CVB_BUF_INIT;
	const char *s = n->family ? n->family : n->literal ? n->literal : n->given;
	const char *p;

	if (s == NULL || (n->flags & CVB_NF_OTHERS))
		return;
	cvb_rich_plain(&plain, s);
	p = plain.buf;
	/* "van Gogh" as one family name: skip the particles */
	for (;;) {
		const char *sp = strchr(p, ' ');

		if (sp == NULL || !cvb_bibtex_is_particle(p, (size_t)(sp - p)))
			break;
		p = sp + 1;
	}
	if (n->flags & CVB_NF_INSTITUTION) {
		const char *sp = strchr(p, ' ');

		if (sp != NULL)
			cvb_buf_setlen(&plain, (size_t)(sp - plain.buf));
	}
	cvb_latex_ascii_fold(&fold, p, mode != 2);
	if (mode == 1 && fold.len > 0)
		fold.buf[0] = (char)toupper((unsigned char)fold.buf[0]);
	if (mode == 2) {
		size_t i;

		for (i = 0; i < fold.len; i++)
			fold.buf[i] = (char)toupper((unsigned char)fold.buf[i]);
	}
	cvb_buf_add(o, fold.buf, fold.len);
	cvbib_buf_release(&plain);
	cvbib_buf_release(&fold);
}

static void
add_title(struct cvb_buf *o, const struct cvb_item *it, int nwords, bool cap)
{
	struct cvb_buf plain = CVB_BUF_INIT;
	const char *p;
	int got = 0;

	if (it->str[CVB_V_TITLE] == NULL)
		return;
	cvb_rich_plain(&plain, it->str[CVB_V_TITLE]);
	p = plain.buf;
	while (*p && got < nwords) {
		struct cvb_buf w = CVB_BUF_INIT;
		const char *s;
		bool stop;

		while (*p && (*p == ' ' || *p == '-' || *p == ':' || *p == ',' || *p == '.'))
			p++;
		s = p;
		while (*p && *p != ' ' && *p != '-' && *p != ':' && *p != ',' && *p != '.')
			p++;
		{
			char *word = strndup(s, (size_t)(p - s));

			if (word != NULL) {
				cvb_latex_ascii_fold(&w, word, true);
				free(word);
			} else
				cvb_nomem();
		}
		stop = cvb_key_stopword(w.buf, w.len);
		if (w.len > 0 && !stop) {
			if (cap)
				w.buf[0] = (char)toupper((unsigned char)w.buf[0]);
			cvb_buf_add(o, w.buf, w.len);
			got++;
		}
		cvbib_buf_release(&w);
	}
	cvbib_buf_release(&plain);
}

static bool
key_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == ':' || c == '.' || c == '/' || c == '+';
}

const char *
cvb_bibtex_make_key(cvbib_biblio *b, const struct cvb_item *it, const char *pat,
    struct cvb_keyset *keys)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const char *p, *res;
	int i;

	if (pat == NULL || cvb_bibtex_key_pattern_error(pat) != NULL)
		pat = "[auth][year][title]";
	for (p = pat; *p; ) {
		if (*p == '[') {
			const char *e = strchr(p, ']');
			size_t n = (size_t)(e - p - 1);
			const struct cvb_name *nm = first_names(it);
			int y = cvb_item_year(it);

#define IS(k) (n == strlen(k) && strncmp(p + 1, k, n) == 0)
			if (IS("auth") && nm)
				add_family(&o, nm, 0);
			else if (IS("Auth") && nm)
				add_family(&o, nm, 1);
			else if (IS("AUTH") && nm)
				add_family(&o, nm, 2);
			else if (IS("authors"))
				for (i = 0; nm != NULL && i < 3; nm = nm->next, i++)
					add_family(&o, nm, 1);
			else if (IS("year") && y != 0)
				cvb_buf_addf(&o, "%d", y);
			else if (IS("shortyear") && y != 0)
				cvb_buf_addf(&o, "%02d", (y % 100 + 100) % 100);
			else if (IS("title"))
				add_title(&o, it, 1, false);
			else if (IS("Title"))
				add_title(&o, it, 1, true);
			else if (IS("shorttitle"))
				add_title(&o, it, 3, true);
			else if (IS("type"))
				cvb_latex_ascii_fold(&o, cvb_type_name(it->type), true);
#undef IS
			p = e + 1;
			continue;
		}
		if (key_char((unsigned char)*p))
			cvb_buf_addch(&o, *p);
		p++;
	}
	if (o.len == 0)
		cvb_buf_adds(&o, "ref");
	res = o.err ? NULL : cvb_bibtex_key_unique(b, o.buf, keys);
	cvbib_buf_release(&o);
	return res;
}

/*
 * base, or base with the first free suffix: haan2024tile, haan2024tilea, ...
 * haan2024tilez, haan2024tileaa, ... (letters counted without end, so keys
 * never run out or repeat: issue 20).  The result is in the arena and in keys.
 */
const char *
cvb_bibtex_key_unique(cvbib_biblio *b, const char *base, struct cvb_keyset *keys)
{
	struct cvb_buf o = CVB_BUF_INIT;
	const char *res;
	size_t n = strlen(base), i;
	struct cvb_keybase *kb = keybase(keys, base);

	/* candidate i: base (0), base+a (1), ...: from the first not tried */
	for (i = kb != NULL ? kb->next : 0; ; i++) {
		char sfx[16];
		size_t k = sizeof(sfx), x = i;

		/* bijective base 26: 1 -> a, 26 -> z, 27 -> aa */
		while (x > 0 && k > 0) {
			sfx[--k] = (char)('a' + (x - 1) % 26);
			x = (x - 1) / 26;
		}
		cvb_buf_setlen(&o, 0);
		cvb_buf_add(&o, base, n);
		cvb_buf_add(&o, sfx + k, sizeof(sfx) - k);
		if (o.err || !cvb_keyset_has(keys, o.buf))
			break;
	}
	if (kb != NULL)
		kb->next = i + 1;
	res = o.err ? NULL : cvb_arena_strndup(&b->arena, o.buf, o.len);
	cvbib_buf_release(&o);
	if (res != NULL && cvb_keyset_add(keys, res) != 0)
		return NULL;
	return res;
}

/* ------------------------------------------------------ entry mapping */

/*
 * Languages by their babel/polyglossia names (biblatex's langid, and what
 * BibTeX's language field usually holds) and the BCP 47 tags CSL wants.  The
 * first name of a tag is the one written back.
 */
static const struct { const char *babel, *bcp47; } languages[] = {
	{ "english", "en-US" }, { "american", "en-US" }, { "USenglish", "en-US" },
	{ "british", "en-GB" }, { "UKenglish", "en-GB" }, { "australian", "en-AU" },
	{ "canadian", "en-CA" }, { "newzealand", "en-NZ" },
	{ "german", "de-DE" }, { "ngerman", "de-DE" }, { "austrian", "de-AT" },
	{ "naustrian", "de-AT" }, { "swissgerman", "de-CH" }, { "nswissgerman", "de-CH" },
	{ "french", "fr-FR" }, { "francais", "fr-FR" }, { "acadian", "fr-CA" },
	{ "canadien", "fr-CA" }, { "spanish", "es-ES" }, { "catalan", "ca-AD" },
	{ "italian", "it-IT" }, { "portuguese", "pt-PT" }, { "portuges", "pt-PT" },
	{ "brazilian", "pt-BR" }, { "brazil", "pt-BR" }, { "dutch", "nl-NL" },
	{ "danish", "da-DK" }, { "norwegian", "nb-NO" }, { "norsk", "nb-NO" },
	{ "nynorsk", "nn-NO" }, { "swedish", "sv-SE" }, { "finnish", "fi-FI" },
	{ "icelandic", "is-IS" }, { "polish", "pl-PL" }, { "czech", "cs-CZ" },
	{ "slovak", "sk-SK" }, { "slovene", "sl-SI" }, { "slovenian", "sl-SI" },
	{ "croatian", "hr-HR" }, { "serbian", "sr-RS" }, { "russian", "ru-RU" },
	{ "ukrainian", "uk-UA" }, { "bulgarian", "bg-BG" }, { "greek", "el-GR" },
	{ "turkish", "tr-TR" }, { "hungarian", "hu-HU" }, { "magyar", "hu-HU" },
	{ "romanian", "ro-RO" }, { "estonian", "et-EE" }, { "latvian", "lv-LV" },
	{ "lithuanian", "lt-LT" }, { "hebrew", "he-IL" }, { "arabic", "ar" },
	{ "persian", "fa-IR" }, { "farsi", "fa-IR" }, { "japanese", "ja-JP" },
	{ "chinese", "zh-CN" }, { "korean", "ko-KR" }, { "latin", "la" },
	{ "basque", "eu" }, { "galician", "gl-ES" }, { "irish", "ga-IE" },
	{ "welsh", "cy-GB" }, { "afrikaans", "af-ZA" }, { "indonesian", "id-ID" },
	{ "vietnamese", "vi-VN" }, { "thai", "th-TH" }, { "hindi", "hi-IN" },
	{ "mongolian", "mn-MN" }, { "khmer", "km-KH" },
};

const char *
cvb_bibtex_language_tag(const char *name)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(languages); i++)
		if (strcasecmp(languages[i].babel, name) == 0)
			return languages[i].bcp47;
	return NULL;
}

const char *
cvb_bibtex_language_name(const char *tag)
{
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(languages); i++)
		if (strcasecmp(languages[i].bcp47, tag) == 0)
			return languages[i].babel;
	return NULL;
}

/* Take the extra field name (a BibTeX field kept as written) out of it;
 * returns its raw value, or NULL. */
static const char *
take_extra(struct cvb_item *it, const char *name)
{
	struct cvb_field *f, **fp;

	for (fp = &it->extra; (f = *fp) != NULL; fp = &f->next)
		if ((f->flags & CVB_FF_BIBTEX) && strcmp(f->name, name) == 0 && f->value != NULL) {
			*fp = f->next;
			if (it->extra_tail == &f->next)
				it->extra_tail = fp;
			return f->value;
		}
	return NULL;
}

static bool
has_extra(const struct cvb_item *it, const char *name)
{
	return cvb_item_extra(it, name) != NULL;
}

/*
 * biblatex prints a title with its subtitle and addon: "Title: Subtitle.
 * Addon" (\subtitlepunct, here the colon CSL styles expect, and \newunitpunct).
 * CSL has no subtitle: the parts are joined into the variable v.
 */
static void
join_title(cvbib_biblio *b, struct cvb_item *it, enum cvb_var v, const char *sub,
    const char *addon)
{
	struct cvb_buf t = CVB_BUF_INIT, raw = CVB_BUF_INIT;
	struct cvb_bibsrc *bs;
	const char *s;

	if (it->str[v] == NULL || (!has_extra(it, sub) && !has_extra(it, addon)))
		return;
	/* the title's LaTeX, when the writers keep it ({\LaTeX}): joined too */
	for (bs = it->bibsrc; bs != NULL; bs = bs->next)
		if (bs->var == (int)v && bs->value == it->str[v])
			break;
	if (bs != NULL && bs->latex != NULL)
		cvb_buf_adds(&raw, bs->latex);
	cvb_buf_adds(&t, it->str[v]);
	if ((s = take_extra(it, sub)) != NULL) {
		char last = t.len > 0 ? t.buf[t.len - 1] : '\0';
		const char *sep = last == '?' || last == '!' || last == ':' || last == '.' ? " " : ": ";

		cvb_buf_adds(&t, sep);
		cvb_latex_to_rich(&t, s, strlen(s), CVB_LTX_PROTECT);
		cvb_buf_adds(&raw, sep);
		cvb_buf_adds(&raw, s);
	}
	if ((s = take_extra(it, addon)) != NULL) {
		char last = t.len > 0 ? t.buf[t.len - 1] : '\0';
		const char *sep = last == '?' || last == '!' || last == '.' ? " " : ". ";

		cvb_buf_adds(&t, sep);
		cvb_latex_to_rich(&t, s, strlen(s), CVB_LTX_PROTECT);
		cvb_buf_adds(&raw, sep);
		cvb_buf_adds(&raw, s);
	}
	if (!t.err)
		cvb_item_set(b, it, v, t.buf);
	if (bs != NULL && bs->latex != NULL && !t.err && !raw.err) {
		bs->value = it->str[v];
		bs->latex = cvb_latex_keep(raw.buf, raw.len) ?
		    cvb_arena_strndup(&b->arena, raw.buf, raw.len) : NULL;
	}
	cvbib_buf_release(&t);
	cvbib_buf_release(&raw);
}

/* Repositories of preprints, as Google Scholar and others name them in
 * 'journal' ("bioRxiv", "SSRN Electronic Journal" is not one: SSRN papers
 * are working papers, but Scholar's name for them is a journal's). */
static const char *const preprint_servers[] = {
	"arXiv", "bioRxiv", "medRxiv", "ChemRxiv", "TechRxiv", "PsyArXiv", "SocArXiv",
	"EarthArXiv", "engrXiv", "Research Square", "Preprints", "OSF Preprints", NULL
};

/* The preprint server s names, its whole text (n bytes, case aside), or NULL. */
const char *
cvb_preprint_server(const char *s, size_t n)
{
	size_t i;

	for (i = 0; preprint_servers[i] != NULL; i++)
		if (strlen(preprint_servers[i]) == n && strncasecmp(s, preprint_servers[i], n) == 0)
			return preprint_servers[i];
	return NULL;
}

bool
cvb_doi_is_preprint(const char *doi)
{
	/* DOI prefixes of preprint servers */
	static const char *const pre[] = { "10.48550/", "10.1101/", "10.2139/ssrn", "10.31219/",
	    "10.31234/", "10.31235/", "10.31222/", "10.20944/preprints", "10.21203/rs.",
	    "10.36227/techrxiv", "10.26434/chemrxiv", "10.22541/au.", "10.5281/zenodo" };
	size_t i;

	if (doi == NULL)
		return false;
	for (i = 0; i < CVB_ARRAY_SIZE(pre); i++)
		if (strncasecmp(doi, pre[i], strlen(pre[i])) == 0)
			return true;
	return false;
}

/*
 * A preprint as Google Scholar and DBLP export it: journal = {arXiv preprint
 * arXiv:2303.00002}, {CoRR} with volume = {abs/2303.00002}, {bioRxiv}.  It
 * becomes CSL's preprint type (article) with the arXiv id in archive and
 * archive_location (biblatex's eprinttype and eprint), without a journal.
 * An arXiv eprint without a journal is one too.  Returns true for one.
 */
static const char *
preprint_of(const struct cvb_item *it, enum cvb_type type, struct cvb_buf *id, bool *found,
    bool *volid)
{
	const char *ct = it->str[CVB_V_CONTAINER_TITLE], *server = NULL;
	size_t i;

	*found = *volid = false;
	if (type != CVB_T_ARTICLE_JOURNAL && type != CVB_T_DOCUMENT &&
	    type != CVB_T_WEBPAGE && type != CVB_T_ARTICLE)
		return NULL;
	if (ct != NULL) {
		for (i = 0; preprint_servers[i] != NULL && server == NULL; i++) {
			size_t n = strlen(preprint_servers[i]);

			if (strncasecmp(ct, preprint_servers[i], n) == 0 &&
			    (ct[n] == '\0' || ct[n] == ' ' || ct[n] == ':' || ct[n] == ','))
				server = preprint_servers[i];
		}
		if ((server != NULL && strcmp(server, "arXiv") == 0 && cvb_arxiv_find(ct, id)) ||
		    ((strcasecmp(ct, "CoRR") == 0 || strcasecmp(ct, "arXiv") == 0 ||
		    strcasecmp(ct, "ArXiv e-prints") == 0) && it->str[CVB_V_VOLUME] != NULL &&
		    strncasecmp(it->str[CVB_V_VOLUME], "abs/", 4) == 0 &&
		    cvb_arxiv_id(it->str[CVB_V_VOLUME] + 4, id))) {
			*volid = it->str[CVB_V_VOLUME] != NULL &&
			    strncasecmp(it->str[CVB_V_VOLUME], "abs/", 4) == 0;
			server = "arXiv";
			*found = true;
		}
		if (server == NULL)
			return NULL;
		/* "ArXiv e-prints" with the id only in the link */
		if (!*found && strcmp(server, "arXiv") == 0 && cvb_arxiv_find(it->str[CVB_V_URL], id))
			*found = true;
	} else if (it->str[CVB_V_ARCHIVE] != NULL) {
		/* eprinttype = {arxiv} with an eprint, or {bioRxiv} ... */
		for (i = 0; preprint_servers[i] != NULL && server == NULL; i++)
			if (strcasecmp(it->str[CVB_V_ARCHIVE], preprint_servers[i]) == 0)
				server = preprint_servers[i];
	} else if (it->str[CVB_V_DOI] != NULL && it->str[CVB_V_STATUS] == NULL &&
	    cvb_doi_is_preprint(it->str[CVB_V_DOI]) && strncasecmp(it->str[CVB_V_DOI], "10.5281/", 8) != 0) {
		/* no journal, and a preprint server's DOI (a Zenodo record may
		 * be software or data): the preprint it names, its server unnamed */
		server = "";
	}
	return server;
}

static bool
map_preprint(cvbib_biblio *b, struct cvb_item *it)
{
	const char *ct = it->str[CVB_V_CONTAINER_TITLE], *server;
	struct cvb_buf id = CVB_BUF_INIT;
	bool found, volid;

	server = preprint_of(it, it->type, &id, &found, &volid);
	if (server == NULL) {
		cvbib_buf_release(&id);
		return false;
	}
	if (volid)
		it->str[CVB_V_VOLUME] = NULL;
	it->type = CVB_T_ARTICLE;
	if (it->bibtype != NULL && strcasecmp(it->bibtype, "article") == 0)
		it->bibtype = NULL;	/* written as the preprint it is */
	if (ct != NULL) {
		/* the server's name alone where the venue goes (a CV's "...
		 * pathogen. bioRxiv.", journal = {bioRxiv}) stays the container;
		 * Scholar's journal = {arXiv preprint arXiv:...} goes */
		if (cvb_preprint_server(ct, strlen(ct)) == NULL)
			it->str[CVB_V_CONTAINER_TITLE] = NULL;
		if (found && it->str[CVB_V_ARCHIVE_LOCATION] == NULL && !id.err) {
			cvb_item_set(b, it, CVB_V_ARCHIVE, "arXiv");
			cvb_item_set(b, it, CVB_V_ARCHIVE_LOCATION, id.buf);
		}
		/* as Zotero and the APA style have a preprint: the server is its
		 * publisher and "arXiv:ID" its number */
		if (found && it->str[CVB_V_NUMBER] == NULL && !id.err) {
			char *num = cvb_arena_printf(&b->arena, "arXiv:%s", id.buf);

			if (num != NULL)
				it->str[CVB_V_NUMBER] = num;
		}
		if (it->str[CVB_V_PUBLISHER] == NULL && it->str[CVB_V_CONTAINER_TITLE] == NULL)
			cvb_item_set(b, it, CVB_V_PUBLISHER, server);
		/* the repository (biblatex's eprinttype) says what it is */
		if (it->str[CVB_V_ARCHIVE] == NULL)
			cvb_item_set(b, it, CVB_V_ARCHIVE, server);
	}
	cvbib_buf_release(&id);
	return true;
}

/* Would the reader take an @article without a journal for a manuscript? */
static bool
journal_less(const struct cvb_item *it)
{
	return it->str[CVB_V_CONTAINER_TITLE] == NULL && (it->str[CVB_V_DOI] == NULL ||
	    (it->str[CVB_V_STATUS] != NULL && cvb_doi_is_preprint(it->str[CVB_V_DOI]))) &&
	    it->str[CVB_V_ARCHIVE_LOCATION] == NULL &&
	    !has_extra(it, "crossref") && !has_extra(it, "xref") && !has_extra(it, "xdata");
}

enum cvb_type
cvb_bibtex_type_back(const struct cvb_item *it, const char *bibtype)
{
	const char *genre;
	enum cvb_type t = cvb_bibtex_type_in(bibtype, &genre);
	struct cvb_buf id = CVB_BUF_INIT;
	bool found, volid;

	if (preprint_of(it, t, &id, &found, &volid) != NULL)
		t = CVB_T_ARTICLE;
	else if (t == CVB_T_ARTICLE_JOURNAL && journal_less(it))
		t = CVB_T_MANUSCRIPT;
	cvbib_buf_release(&id);
	return t;
}

void
cvb_map_article_type(cvbib_biblio *b, struct cvb_item *it)
{
	/*
	 * Preprints; then an article without a journal, a DOI or an eprint
	 * is a manuscript (submitted, under review), not a journal article;
	 * so is one with a status and only a preprint's DOI.
	 */
	if (!map_preprint(b, it) && it->type == CVB_T_ARTICLE_JOURNAL && journal_less(it))
		it->type = CVB_T_MANUSCRIPT;
}

/* The BibTeX reader's reading of articles for the items from the from-th on,
 * as a free-text reader's items get it (cvbib_read_file(), segdump). */
void
cvb_map_article_types(cvbib_biblio *b, size_t from)
{
	size_t i;

	for (i = from; i < b->n; i++)
		cvb_map_article_type(b, b->items[i]);
}

/*
 * The CSL type of an entry whose entry type stands for several: the writer
 * gives it in 'entrysubtype' (write_bibtex.c), as biblatex does for an
 * @article in a magazine or a newspaper.  Taken only when the entry type is
 * the one written for that CSL type (data/bibtex-types.tsv), so that a
 * subtype of the user's own stays an extra field.  True when taken.
 */
static bool
subtype_in(struct cvb_item *it)
{
	const struct cvb_field *f = cvb_item_extra(it, "entrysubtype");
	enum cvb_type t = CVB_T_NONE;
	size_t i;

	if (f == NULL || f->value == NULL || it->bibtype == NULL)
		return false;
	if (strcasecmp(it->bibtype, "article") == 0 && strcmp(f->value, "magazine") == 0)
		t = CVB_T_ARTICLE_MAGAZINE;
	else if (strcasecmp(it->bibtype, "article") == 0 && strcmp(f->value, "newspaper") == 0)
		t = CVB_T_ARTICLE_NEWSPAPER;
	else
		for (i = 0; cvb_bt_types_out[i].csltype != NULL; i++)
			if (strcmp(cvb_bt_types_out[i].csltype, f->value) == 0 &&
			    (strcasecmp(cvb_bt_types_out[i].bibtex, it->bibtype) == 0 ||
			    strcasecmp(cvb_bt_types_out[i].biblatex, it->bibtype) == 0))
				t = cvb_type_lookup(f->value);
	if (t == CVB_T_NONE)
		return false;
	take_extra(it, "entrysubtype");
	it->type = t;
	it->type_raw = NULL;
	it->bibtype = NULL;	/* the writers choose the entry type again */
	return true;
}

void
cvb_bibtex_map_entry(cvbib_biblio *b, struct cvb_item *it)
{
	const char *s;

	if (!subtype_in(it))
		cvb_map_article_type(b, it);

	/*
	 * The number of a book, a proceedings volume or a part of one is its
	 * number in the series (BibTeX's and biblatex's manuals): CSL's
	 * collection-number, not number (which styles print as "Article 34"
	 * or a report number).
	 */
	switch (it->type) {
	case CVB_T_BOOK:
	case CVB_T_CHAPTER:
	case CVB_T_PAPER_CONFERENCE:
		if (it->str[CVB_V_NUMBER] != NULL && it->str[CVB_V_COLLECTION_NUMBER] == NULL) {
			it->str[CVB_V_COLLECTION_NUMBER] = it->str[CVB_V_NUMBER];
			it->str[CVB_V_NUMBER] = NULL;
		}
		break;
	default:
		break;
	}
	join_title(b, it, CVB_V_TITLE, "subtitle", "titleaddon");
	if (it->type == CVB_T_ARTICLE_JOURNAL || it->type == CVB_T_ARTICLE_MAGAZINE ||
	    it->type == CVB_T_ARTICLE_NEWSPAPER)
		join_title(b, it, CVB_V_CONTAINER_TITLE, "journalsubtitle", "journaltitleaddon");
	else
		join_title(b, it, CVB_V_CONTAINER_TITLE, "booksubtitle", "booktitleaddon");
	/* langid = {german}: CSL wants BCP 47 (de-DE), which chooses its terms */
	if ((s = it->str[CVB_V_LANGUAGE]) != NULL && (s = cvb_bibtex_language_tag(s)) != NULL)
		it->str[CVB_V_LANGUAGE] = s;
}
