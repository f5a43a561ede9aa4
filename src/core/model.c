/*
 * model.c - the citation model: variable and type tables, items, names, dates.
 *
 * The variable tables come from vars.in and types.in (X-macros).  Items are
 * allocated in the bibliography's arena; this file owns the item array of a
 * cvbib_biblio and nothing else.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

static const char *const var_names[CVB_V__COUNT] = {
#define STRVAR(id, name) name,
#define NUMVAR(id, name) name,
#include "vars.in"
#undef STRVAR
#undef NUMVAR
};
static const bool var_isnum[CVB_V__COUNT] = {
#define STRVAR(id, name) false,
#define NUMVAR(id, name) true,
#include "vars.in"
#undef STRVAR
#undef NUMVAR
};
static const char *const dvar_names[CVB_DV__COUNT] = {
#define DATEVAR(id, name) name,
#include "vars.in"
#undef DATEVAR
};
static const char *const nvar_names[CVB_NV__COUNT] = {
#define NAMEVAR(id, name) name,
#include "vars.in"
#undef NAMEVAR
};
static const char *const type_names[CVB_T__COUNT] = {
	"",
#define TYPE(id, name) name,
#include "types.in"
#undef TYPE
};

/* A sorted index of every variable name, built on first use. */
struct varent {
	const char	*name;
	struct cvb_varref ref;
};
static struct varent varidx[CVB_V__COUNT + CVB_DV__COUNT + CVB_NV__COUNT + 8];
static size_t nvaridx;
/* Readers look up every key they meet: a hash of the names above (index + 1,
 * 0 empty), and one of the type names. */
#define NAMEHASH 512
static unsigned short varhash[NAMEHASH], typehash[NAMEHASH];

static size_t
name_hash(const char *s)
{
	size_t h = 5381;

	while (*s) h = h * 33 + (unsigned char)*s++;
	return h & (NAMEHASH - 1);
}

static void
hash_put(unsigned short *t, const char *name, size_t i)
{
	size_t h;

	for (h = name_hash(name); t[h]; h = (h + 1) & (NAMEHASH - 1))
		;
	t[h] = (unsigned short)(i + 1);
}

static int
varent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct varent *)a)->name, ((const struct varent *)b)->name);
}

static void
varidx_build(void)
{
	size_t i, n = 0;

	for (i = 0; i < CVB_V__COUNT; i++)
		varidx[n++] = (struct varent){ var_names[i],
		    { var_isnum[i] ? CVB_VK_NUM : CVB_VK_STR, (int)i } };
	for (i = 0; i < CVB_DV__COUNT; i++)
		varidx[n++] = (struct varent){ dvar_names[i], { CVB_VK_DATE, (int)i } };
	for (i = 0; i < CVB_NV__COUNT; i++)
		varidx[n++] = (struct varent){ nvar_names[i], { CVB_VK_NAME, (int)i } };
	/* aliases of the CSL-JSON schema */
	varidx[n++] = (struct varent){ "journalAbbreviation", { CVB_VK_STR, CVB_V_CONTAINER_TITLE_SHORT } };
	varidx[n++] = (struct varent){ "shortTitle", { CVB_VK_STR, CVB_V_TITLE_SHORT } };
	qsort(varidx, n, sizeof(varidx[0]), varent_cmp);
	for (i = 0; i < n; i++) hash_put(varhash, varidx[i].name, i);
	for (i = 1; i < CVB_T__COUNT; i++) hash_put(typehash, type_names[i], i);
	nvaridx = n;
}

struct cvb_varref
cvb_var_lookup(const char *name)
{
	struct varent key = { name, { CVB_VK_NONE, 0 } };
	size_t h;

	if (nvaridx == 0)
		varidx_build();
	for (h = name_hash(name); varhash[h]; h = (h + 1) & (NAMEHASH - 1))
		if (strcmp(varidx[varhash[h] - 1].name, name) == 0)
			return varidx[varhash[h] - 1].ref;
	return key.ref;
}

const char *cvb_var_name(enum cvb_var v) { return var_names[v]; }
const char *cvb_dvar_name(enum cvb_dvar v) { return dvar_names[v]; }
const char *cvb_nvar_name(enum cvb_nvar v) { return nvar_names[v]; }
bool cvb_var_is_number(enum cvb_var v) { return var_isnum[v]; }
const char *cvb_type_name(enum cvb_type t) { return type_names[t]; }

enum cvb_type
cvb_type_lookup(const char *name)
{
	size_t h;

	if (nvaridx == 0)
		varidx_build();
	for (h = name_hash(name); typehash[h]; h = (h + 1) & (NAMEHASH - 1))
		if (strcmp(type_names[typehash[h] - 1], name) == 0)
			return (enum cvb_type)(typehash[h] - 1);
	return CVB_T_NONE;
}

/*
 * jansson's allocations are counted like cvbib's own (cvb_nomem()): a tree
 * that a writer builds with jansson (CSL-JSON, YAML, hayagriva, Typst data)
 * loses a member silently when jansson gets no memory for it.  The
 * functions in place before (the program's own, or libc's) do the work;
 * installed by the first bibliography made (src/csljson/read_csljson.c
 * puts its own in front of these while it reads).
 */
static json_malloc_t json_prev_malloc;
static json_free_t json_prev_free;

static void *
json_counted_malloc(size_t n)
{
	void *p = json_prev_malloc(n);

	if (p == NULL)
		cvb_nomem();
	return p;
}

static void
json_counted_free(void *p)
{
	json_prev_free(p);
}

static void
json_counted(void)
{
	json_malloc_t m;
	json_free_t f;

	if (json_prev_malloc != NULL)
		return;
	json_get_alloc_funcs(&m, &f);
	json_prev_malloc = m;
	json_prev_free = f;
	json_set_alloc_funcs(json_counted_malloc, json_counted_free);
}

cvbib_biblio *
cvbib_biblio_new(void)
{
	cvbib_biblio *b = calloc(1, sizeof(*b));

	json_counted();

	if (b != NULL)
		b->preamble_tail = &b->preamble;
	return b;
}

void
cvbib_biblio_free(cvbib_biblio *b)
{
	if (b == NULL)
		return;
	cvb_arena_release(&b->arena);
	free(b->items);
	free(b);
}

size_t
cvbib_biblio_count(const cvbib_biblio *b)
{
	return b->n;
}

struct cvb_item *
cvb_item_new(cvbib_biblio *b, const char *file, unsigned line, unsigned col)
{
	struct cvb_item *it;

	if (b->n == b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : 64;
		struct cvb_item **v = realloc(b->items, na * sizeof(*v));

		if (v == NULL) {
			cvb_nomem();
			return NULL;
		}
		b->items = v;
		b->alloc = na;
	}
	it = cvb_arena_alloc(&b->arena, sizeof(*it));
	if (it == NULL)
		return NULL;
	it->extra_tail = &it->extra;
	it->notes_tail = &it->notes;
	it->loc.file = file;
	it->loc.line = line;
	it->loc.column = col;
	it->seq = b->n;
	b->items[b->n++] = it;
	return it;
}

void
cvb_item_drop_last(cvbib_biblio *b)
{
	if (b->n > 0)
		b->n--;
}

void
cvb_item_setn(cvbib_biblio *b, struct cvb_item *it, enum cvb_var v, const char *s, size_t n)
{
	it->str[v] = s ? cvb_arena_strndup(&b->arena, s, n) : NULL;
}

void
cvb_item_set(cvbib_biblio *b, struct cvb_item *it, enum cvb_var v, const char *s)
{
	it->str[v] = s ? cvb_arena_strdup(&b->arena, s) : NULL;
}

void
cvb_item_add_field(cvbib_biblio *b, struct cvb_item *it, const char *name,
    const char *value, unsigned flags)
{
	struct cvb_field *f = cvb_arena_alloc(&b->arena, sizeof(*f));

	if (f == NULL)
		return;
	f->name = cvb_arena_strdup(&b->arena, name);
	f->value = cvb_arena_strdup(&b->arena, value);
	f->flags = flags;
	*it->extra_tail = f;
	it->extra_tail = &f->next;
}

void
cvb_item_add_note(cvbib_biblio *b, struct cvb_item *it, enum cvb_note_kind k, const char *text)
{
	struct cvb_note *n = cvb_arena_alloc(&b->arena, sizeof(*n));

	if (n == NULL)
		return;
	n->kind = k;
	n->text = cvb_arena_strdup(&b->arena, text);
	*it->notes_tail = n;
	it->notes_tail = &n->next;
}

const struct cvb_field *
cvb_item_extra(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

struct cvb_name *
cvb_name_new(cvbib_biblio *b)
{
	return cvb_arena_alloc(&b->arena, sizeof(struct cvb_name));
}

void
cvb_item_add_name(struct cvb_item *it, enum cvb_nvar v, struct cvb_name *n)
{
	struct cvb_name *t;

	if (it->names[v] == NULL)
		it->names[v] = n;
	else {
		/* from the last name added while the head is the same: names
		 * are never unlinked, so it is still in the list (issue 20,
		 * finding 3: 200,000 authors took 42 s) */
		t = it->name_last[v] != NULL && it->name_head[v] == it->names[v] ?
		    it->name_last[v] : it->names[v];
		while (t->next != NULL)
			t = t->next;
		t->next = n;
	}
	it->name_head[v] = it->names[v];
	it->name_last[v] = n;
}

/* A year written with two digits ("'21", "02/22"): 1951-2050. */
int
cvb_year_yy(int yy)
{
	return yy > 50 ? 1900 + yy : 2000 + yy;
}

struct cvb_date *
cvb_date_new(cvbib_biblio *b)
{
	return cvb_arena_alloc(&b->arena, sizeof(struct cvb_date));
}

/* Parse "[-]YYYY[-MM[-DD]]" (MM 21..24 are seasons); returns chars used or 0. */
static size_t
edtf_one(const char *s, int parts[3], int *nparts, int *season)
{
	const char *p = s;
	long v;
	char *end;
	int n = 0;

	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	v = strtol(s, &end, 10);
	if (end - p < 1 || end - p > 6)
		return 0;
	parts[0] = (int)v;
	n = 1;
	p = end;
	if (*p == '-' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
	    !isdigit((unsigned char)p[3])) {
		v = (p[1] - '0') * 10 + (p[2] - '0');
		if (v >= 21 && v <= 24) {
			*season = (int)v - 20;
			p += 3;
		} else if (v >= 1 && v <= 12) {
			parts[1] = (int)v;
			n = 2;
			p += 3;
			if (*p == '-' && isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2]) && !isdigit((unsigned char)p[3])) {
				v = (p[1] - '0') * 10 + (p[2] - '0');
				if (v < 1 || v > 31)
					return 0;
				parts[2] = (int)v;
				n = 3;
				p += 3;
			}
		} else
			return 0;
	}
	*nparts = n;
	return (size_t)(p - s);
}

struct cvb_date *
cvb_date_parse_edtf(cvbib_biblio *b, const char *s)
{
	struct cvb_date d;
	struct cvb_date *out;
	size_t n;
	int season = 0, season2 = 0;

	memset(&d, 0, sizeof(d));
	while (*s == ' ')
		s++;
	n = edtf_one(s, d.parts[0], &d.nparts[0], &season);
	if (n == 0)
		return NULL;
	s += n;
	if (*s == '~' || *s == '?' || *s == '%') {
		d.circa = true;
		s++;
	}
	if (*s == '/') {
		s++;
		d.range = true;
		if (strcmp(s, "..") == 0 || *s == '\0') {
			d.open_end = true;
			s += strlen(s);
		} else {
			size_t digits = strspn(s, "0123456789");

			n = edtf_one(s, d.parts[1], &d.nparts[1], &season2);
			if (n == 0)
				return NULL;
			/* "2005/06", "1998/9" (an academic year): the end year
			 * written short takes its century from the start year */
			if (digits <= 2 && n == digits && d.nparts[0] == 1 &&
			    d.parts[0][0] >= 100) {
				int y = d.parts[0][0] - d.parts[0][0] % (digits == 1 ? 10 : 100) +
				    d.parts[1][0];

				if (y < d.parts[0][0])
					y += digits == 1 ? 10 : 100;
				d.parts[1][0] = y;
			}
			s += n;
			if (*s == '~' || *s == '?' || *s == '%')
				s++;
		}
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return NULL;
	/* EDTF (ISO 8601) years are astronomical: 0 is 1 BC, -2010 is 2011 BC;
	 * CSL has no year 0 and counts BC years negative (-2011) */
	if (d.nparts[0] > 0 && d.parts[0][0] <= 0)
		d.parts[0][0]--;
	if (d.nparts[1] > 0 && d.parts[1][0] <= 0)
		d.parts[1][0]--;
	d.season = season;
	out = cvb_date_new(b);
	if (out != NULL)
		*out = d;
	return out;
}

int
cvb_item_year(const struct cvb_item *it)
{
	const struct cvb_date *d = it->date[CVB_DV_ISSUED];

	return d != NULL && d->nparts[0] > 0 ? d->parts[0][0] : 0;
}

struct cvb_item *
cvb_item_clone(cvbib_biblio *b, const struct cvb_item *src)
{
	struct cvb_item *it = cvb_item_new(b, src->loc.file, src->loc.line, src->loc.column);
	size_t seq;

	if (it == NULL)
		return NULL;
	seq = it->seq;
	*it = *src;
	it->seq = seq;
	/* the extra and note lists are shared; re-point the tails at the end */
	it->extra_tail = &it->extra;
	while (*it->extra_tail)
		it->extra_tail = &(*it->extra_tail)->next;
	it->notes_tail = &it->notes;
	while (*it->notes_tail)
		it->notes_tail = &(*it->notes_tail)->next;
	return it;
}

/* ------------------------------------------------------------------ links */

const struct cvb_link_kind cvb_link_kinds[] = {
	{ "pdf", "PDF", "pdf", "pdf|full text|paper pdf|preprint pdf" },
	{ "code", "Code", "code", "code|source code|github|gitlab|software|repository|repo" },
	{ "slides", "Slides", "slides", "slides|slide deck" },
	{ "poster", "Poster", "poster", "poster" },
	{ "video", "Video", "video", "video|recording|youtube|talk video" },
	{ "website", "Website", "website", "website|project page|project website|project|homepage" },
	{ "html", "HTML", "html", "html" },
	{ "supp", "Supplement", "supp", "supplement|supplementary|supplementary material|appendix" },
	{ "blog", "Blog", "blog", "blog|blog post" },
};
const size_t cvb_nlink_kinds = CVB_ARRAY_SIZE(cvb_link_kinds);

/* the entry's own link: the text names the URL or the DOI itself */
static const char own_link_words[] = "doi|url|link|here|paper|article|publisher|online|"
    "full paper|journal link|publisher link|open access";

static bool
word_in(const char *w, size_t n, const char *list)
{
	const char *p = list, *e;

	for (;;) {
		e = strchr(p, '|');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && memcmp(p, w, n) == 0)
			return true;
		if (*e == '\0')
			return false;
		p = e + 1;
	}
}

int
cvb_link_label(const char *text, size_t n, int *kind)
{
	char w[32];
	size_t i, k = 0;

	*kind = -1;
	/* the words alone: no markup, brackets, or punctuation around them */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == '*' || c == '_' || c == '[' || c == ']' || c == '(' ||
		    c == ')' || c == ':' || c == '.' || c == '`')
			continue;
		if (c == ' ' && (k == 0 || w[k - 1] == ' '))
			continue;
		if (c >= 0x80 || k + 1 >= sizeof(w))
			return 0;
		w[k++] = (char)tolower(c);
	}
	while (k > 0 && w[k - 1] == ' ')
		k--;
	if (k == 0)
		return 0;
	if (word_in(w, k, own_link_words))
		return -1;
	for (i = 0; i < cvb_nlink_kinds; i++)
		if (word_in(w, k, cvb_link_kinds[i].words)) {
			*kind = (int)i;
			return 1;
		}
	return 0;
}

/*
 * Rewriting the input after enrichment (keep_unchanged): may the output be
 * the input with only the changed entries written anew?  Only when the input
 * was kept as it is and every item is one of its entries, in its order.
 * (The BibTeX and CSL-JSON writers.)
 */
bool
cvb_src_splice_ok(const cvbib_biblio *b, const struct cvbib_options *o)
{
	size_t i, at = 0;

	if (o == NULL || !o->keep_unchanged || b->src == NULL || b->src_bad || b->n != b->src_items)
		return false;
	for (i = 0; i < b->n; i++) {
		const struct cvb_item *it = b->items[i];

		if (it->src_end == 0 || it->src_off < at || it->src_end > b->src_len)
			return false;
		at = it->src_end;
	}
	return true;
}

/* An entry written anew in place of orig[0..n): when orig's line ends were
 * CRLF, so are those of out[from..] (tmp: scratch). */
void
cvb_src_line_ends(struct cvb_buf *out, size_t from, const char *orig, size_t n,
    struct cvb_buf *tmp)
{
	size_t k;

	if (memmem(orig, n, "\r\n", 2) == NULL)
		return;
	cvb_buf_reset(tmp);
	for (k = from; k < out->len; k++) {
		if (out->buf[k] == '\n')
			cvb_buf_addch(tmp, '\r');
		cvb_buf_addch(tmp, out->buf[k]);
	}
	cvb_buf_setlen(out, from);
	cvb_buf_add(out, tmp->buf, tmp->len);
}
