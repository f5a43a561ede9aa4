/*
 * fmt_util.c - helpers shared by the readers of exported records (fmt.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "formats/fmt.h"

void
fmt_begin(struct fmt *f, cvbib_biblio *b, const char *file, struct cvbib_diags *d)
{
	memset(f, 0, sizeof(*f));
	f->b = b;
	f->file = file;
	f->d = d;
	f->before = b->n;
	f->errs = d->nerrors;
}

int
fmt_end(struct fmt *f, const char *what)
{
	cvb_keyset_release(&f->keys);
	if (f->tree != NULL)
		cvb_ytree_free(f->tree);
	f->tree = NULL;
	if (f->b->arena.err) {
		cvb_diag(f->d, CVB_D_NOMEM, f->file, 0, 0, NULL);
		return -CVBIB_ENOMEM;
	}
	if (f->b->n == f->before && f->d->nerrors == f->errs)
		cvb_diag(f->d, CVB_D_FMT_NO_ITEMS, f->file, 0, 0, "%s", what);
	return 0;
}

const char *
fmt_strn(struct fmt *f, const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (memmem(s, n, "  ", 2) != NULL || memchr(s, '\t', n) != NULL) {
		/* runs of spaces and tabs are one space */
		char *t = cvb_arena_alloc(&f->b->arena, n + 1), *q = t;
		size_t i;

		if (t == NULL)
			return NULL;
		for (i = 0; i < n; i++) {
			char c = s[i] == '\t' ? ' ' : s[i];

			if (c == ' ' && q > t && q[-1] == ' ')
				continue;
			*q++ = c;
		}
		*q = '\0';
		return t;
	}
	return cvb_arena_strndup(&f->b->arena, s, n);
}

const char *
fmt_str(struct fmt *f, const char *s)
{
	return s == NULL ? NULL : fmt_strn(f, s, strlen(s));
}

const char *
fmt_math(struct fmt *f, const char *s)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p, *q, *r;

	if (s == NULL || strchr(s, '$') == NULL)
		return s;
	for (p = s; *p != '\0'; ) {
		const char *o = strchr(p, '$');

		if (o == NULL) {
			cvb_buf_adds(&t, p);
			break;
		}
		/* $...$: not escaped, no space inside either dollar (so that
		 * "$5 and $6" is no math), safe to write as LaTeX math */
		for (q = o + 1; (q = strchr(q, '$')) != NULL && q[-1] == '\\'; q++)
			;
		if (o > s && o[-1] == '\\') {
			cvb_buf_add(&t, p, (size_t)(o + 1 - p));
			p = o + 1;
			continue;
		}
		if (q == NULL || q == o + 1 || o[1] == ' ' || q[-1] == ' ' ||
		    !cvb_latex_math_safe(o, (size_t)(q + 1 - o))) {
			cvb_buf_add(&t, p, (size_t)(o + 1 - p));
			p = o + 1;
			continue;
		}
		cvb_buf_add(&t, p, (size_t)(o - p));
		cvb_buf_adds(&t, "<span class=\"nocase\">");
		cvb_buf_add(&t, o, (size_t)(q + 1 - o));
		cvb_buf_adds(&t, "</span>");
		p = q + 1;
	}
	r = t.err ? s : cvb_arena_strndup(&f->b->arena, t.buf, t.len);
	cvbib_buf_release(&t);
	return r != NULL ? r : s;
}

void
fmt_set(struct fmt *f, struct cvb_item *it, enum cvb_var v, const char *s, bool over)
{
	const char *t;

	if (it->str[v] != NULL && !over)
		return;
	if ((t = fmt_str(f, s)) != NULL)
		it->str[v] = t;
}

void
fmt_append(struct fmt *f, struct cvb_item *it, enum cvb_var v, const char *s, const char *sep)
{
	const char *t = fmt_str(f, s);

	if (t == NULL)
		return;
	if (it->str[v] == NULL)
		it->str[v] = t;
	else
		it->str[v] = cvb_arena_printf(&f->b->arena, "%s%s%s", it->str[v], sep, t);
}

struct cvb_name *
fmt_name(struct fmt *f, const char *s, size_t n)
{
	struct cvb_buf t = CVB_BUF_INIT;
	struct cvb_name *nm = NULL;
	size_t i;

	while (n > 0 && (isspace((unsigned char)*s) || *s == ','))
		s++, n--;
	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ',' || s[n - 1] == ';'))
		n--;
	if (n == 0)
		return NULL;
	/* the BibTeX grammar, with what is special to it made harmless: a
	 * name is one name here, so " and " does not split it */
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '{' || c == '}' || c == '\\' || c == '~' || c == '$' || c == '%') {
			cvb_buf_addf(&t, "{\\char%d}", c);
			continue;
		}
		if ((i == 0 || s[i - 1] == ' ') && i + 3 < n && strncasecmp(s + i, "and ", 4) == 0) {
			cvb_buf_add(&t, "{", 1);
			cvb_buf_add(&t, s + i, 3);
			cvb_buf_add(&t, "}", 1);
			i += 2;
			continue;
		}
		cvb_buf_addch(&t, c);
		/* "Baldwin,S.A.": a comma with no space after it */
		if (c == ',' && i + 1 < n && s[i + 1] != ' ')
			cvb_buf_addch(&t, ' ');
	}
	if (!t.err && strchr(t.buf, '\\') == NULL)
		nm = cvb_bibtex_parse_names(f->b, t.buf, t.len);
	else if (!t.err) {
		nm = cvb_name_new(f->b);
		if (nm != NULL)
			nm->literal = fmt_strn(f, s, n);
	}
	cvbib_buf_release(&t);
	if (nm != NULL)
		nm->next = NULL;
	return nm;
}

struct cvb_name *
fmt_name_parts(struct fmt *f, const char *family, const char *given)
{
	struct cvb_name *nm;

	family = fmt_str(f, family);
	given = fmt_str(f, given);
	if (family == NULL && given == NULL)
		return NULL;
	if (family == NULL)
		return fmt_name(f, given, strlen(given));
	nm = cvb_name_new(f->b);
	if (nm == NULL)
		return NULL;
	nm->family = family;
	nm->given = given;
	/* a particle written before the family name: "van der Berg" */
	{
		const char *p = family, *sp;

		while ((sp = strchr(p, ' ')) != NULL && cvb_bibtex_is_particle(p, (size_t)(sp - p)))
			p = sp + 1;
		if (p != family && *p != '\0') {
			nm->non_dropping_particle = fmt_strn(f, family, (size_t)(p - family));
			nm->family = p;
		}
	}
	return nm;
}

/* "Fanning E.", "Smith JA": the family name, then initials (Vancouver) */
struct cvb_name *
fmt_name_vancouver(struct fmt *f, const char *s, size_t n)
{
	const char *sp;
	size_t k, caps = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	{
		/* "Last, First, Jr." (RIS) is BibTeX's "Last, Jr., First" */
		const char *c1 = memchr(s, ',', n), *c2 = c1 ? memchr(c1 + 1, ',', n - (size_t)(c1 + 1 - s)) : NULL;

		if (c2 != NULL && memchr(c2 + 1, ',', n - (size_t)(c2 + 1 - s)) == NULL) {
			const char *sf = c2 + 1;
			size_t sn = n - (size_t)(sf - s);
			char *t;

			while (sn > 0 && *sf == ' ')
				sf++, sn--;
			if ((sn >= 2 && (strncasecmp(sf, "Jr", 2) == 0 || strncasecmp(sf, "Sr", 2) == 0) &&
			    (sn == 2 || (sn == 3 && sf[2] == '.'))) || (sn <= 3 && sn > 0 &&
			    strspn(sf, "IVX") == sn)) {
				t = cvb_arena_printf(&f->b->arena, "%.*s, %.*s,%.*s", (int)(c1 - s), s,
				    (int)sn, sf, (int)(c2 - c1 - 1), c1 + 1);
				return t ? fmt_name(f, t, strlen(t)) : NULL;
			}
		}
	}
	if (memchr(s, ',', n) != NULL || (sp = memrchr(s, ' ', n)) == NULL)
		return fmt_name(f, s, n);
	for (k = (size_t)(sp + 1 - s); k < n; k++)
		if (isupper((unsigned char)s[k]))
			caps++;
		else if (s[k] != '.')
			return fmt_name(f, s, n);
	if (caps == 0 || caps > 3)
		return fmt_name(f, s, n);
	{
		char *t = cvb_arena_printf(&f->b->arena, "%.*s, %.*s", (int)(sp - s), s,
		    (int)(n - (size_t)(sp + 1 - s)), sp + 1);

		return t ? fmt_name(f, t, strlen(t)) : NULL;
	}
}

void
fmt_add_name(struct fmt *f, struct cvb_item *it, enum cvb_nvar v, const char *s, size_t n)
{
	struct cvb_name *nm = fmt_name_vancouver(f, s, n);

	if (nm != NULL)
		cvb_item_add_name(it, v, nm);
}

struct cvb_date *
fmt_date_ymd(struct fmt *f, int y, int m, int d)
{
	struct cvb_date *dt;

	if (y == 0 || y < -9999 || y > 9999)
		return NULL;
	dt = cvb_date_new(f->b);
	if (dt == NULL)
		return NULL;
	dt->parts[0][0] = y;
	dt->nparts[0] = 1;
	if (m >= 1 && m <= 12) {
		dt->parts[0][1] = m;
		dt->nparts[0] = 2;
		if (d >= 1 && d <= 31) {
			dt->parts[0][2] = d;
			dt->nparts[0] = 3;
		}
	} else if (m >= 21 && m <= 24)
		dt->season = m - 20;
	return dt;
}

struct cvb_date *
fmt_date(struct fmt *f, const char *s)
{
	int y = 0, m = 0, d = 0, nums[3] = { 0, 0, 0 }, nn = 0, season = 0;
	const char *p;
	struct cvb_date *dt;

	if (s == NULL)
		return NULL;
	/* tokens: numbers and words; month names and seasons by name */
	for (p = s; *p != '\0' && nn < 3;) {
		if (isdigit((unsigned char)*p)) {
			long v = strtol(p, (char **)&p, 10);

			if (*p == ':')		/* a time: the rest is of no interest */
				break;
			if (v >= 1000 && v <= 9999 && y == 0) {
				y = (int)v;
				continue;
			}
			if (v == 0 && y == 0)	/* "PY 0000" */
				return NULL;
			nums[nn++] = (int)v;
		} else if (isalpha((unsigned char)*p)) {
			const char *w = p;
			int mo;

			while (isalpha((unsigned char)*p))
				p++;
			mo = cvb_bibtex_month(w, (size_t)(p - w));
			if (mo > 0 && m == 0)
				m = mo;
			else if (season == 0)
				season = cvb_season_name(w, (size_t)(p - w));
		} else
			p++;
	}
	if (y == 0)
		return NULL;
	if (m == 0 && nn >= 1) {
		/* the numbers after the year: month then day ("2016/12/01");
		 * a day written before a month name ("9 Jul 1996") */
		m = nums[0];
		d = nn >= 2 ? nums[1] : 0;
	} else if (nn >= 1)
		d = nums[0];
	if (m > 12) {
		m = 0;
		d = 0;
	}
	dt = fmt_date_ymd(f, y, m, d);
	if (dt != NULL && m == 0 && season != 0)
		dt->season = season;
	return dt;
}

bool
fmt_doi(struct fmt *f, struct cvb_item *it, const char *s)
{
	struct cvb_buf o = CVB_BUF_INIT;
	bool ok = false;

	if (s != NULL && (cvb_doi_normalize(s, &o) || cvb_doi_find(s, &o)) && !o.err) {
		if (it->str[CVB_V_DOI] == NULL)
			it->str[CVB_V_DOI] = cvb_arena_strdup(&f->b->arena, o.buf);
		ok = true;
	}
	cvbib_buf_release(&o);
	return ok;
}

void
fmt_pages(struct fmt *f, struct cvb_item *it, const char *first, const char *last)
{
	first = fmt_str(f, first);
	last = fmt_str(f, last);
	if (first == NULL && last == NULL)
		return;
	if (first != NULL && last != NULL && strcmp(first, last) != 0 && strchr(first, '-') == NULL)
		it->str[CVB_V_PAGE] = cvb_arena_printf(&f->b->arena, "%s-%s", first, last);
	else if (first != NULL) {
		struct cvb_buf o = CVB_BUF_INIT;
		const char *p;

		/* "12--34", "12 - 34" become "12-34" */
		for (p = first; *p != '\0'; p++) {
			if (*p == '-') {
				while (o.len > 0 && o.buf[o.len - 1] == ' ')
					cvb_buf_setlen(&o, o.len - 1);
				cvb_buf_addch(&o, '-');
				while (p[1] == '-' || p[1] == ' ')
					p++;
				continue;
			}
			cvb_buf_addch(&o, *p);
		}
		/* "943-7" is "943-947" */
		{
			const char *dash = strchr(o.buf, '-');
			size_t nf = dash ? (size_t)(dash - o.buf) : 0, nl = dash ? strlen(dash + 1) : 0;

			if (dash != NULL && nl > 0 && nl < nf && strspn(o.buf, "0123456789") == nf &&
			    strspn(dash + 1, "0123456789") == nl) {
				/* a copy: appending may move the buffer */
				char *whole = cvb_arena_printf(&f->b->arena, "%.*s-%.*s%s", (int)nf, o.buf,
				    (int)(nf - nl), o.buf, dash + 1);

				cvb_buf_reset(&o);
				if (whole != NULL)
					cvb_buf_adds(&o, whole);
			}
		}
		if (!o.err)
			it->str[CVB_V_PAGE] = cvb_arena_strdup(&f->b->arena, o.buf);
		cvbib_buf_release(&o);
	} else
		it->str[CVB_V_PAGE] = last;
}

void
fmt_key(struct fmt *f, struct cvb_item *it, const char *key)
{
	size_t i;

	if (!f->keys_made) {
		for (i = 0; i < f->b->n; i++)
			if (f->b->items[i]->id != NULL && f->b->items[i] != it)
				cvb_keyset_add(&f->keys, f->b->items[i]->id);
		f->keys_made = true;
	}
	key = fmt_str(f, key);
	if (key != NULL && strchr(key, ' ') == NULL && !cvb_keyset_has(&f->keys, key)) {
		cvb_keyset_add(&f->keys, key);
		it->id = it->key = key;
		return;
	}
	key = cvb_bibtex_make_key(f->b, it, NULL, &f->keys);
	if (key != NULL)
		it->id = it->key = key;
}

enum cvb_type
fmt_type(const struct fmt_type *t, const char *name)
{
	if (name == NULL)
		return CVB_T_NONE;
	for (; t->name != NULL; t++)
		if (strcasecmp(t->name, name) == 0)
			return t->type;
	return CVB_T_NONE;
}

void
fmt_extra(struct fmt *f, struct cvb_item *it, const char *name, const char *value)
{
	struct cvb_field *x;

	if ((value = fmt_str(f, value)) == NULL)
		return;
	/* a field given again: one field, a line each */
	for (x = it->extra; x != NULL; x = x->next)
		if (strcmp(x->name, name) == 0 && !(x->flags & CVB_FF_JSON)) {
			x->value = cvb_arena_printf(&f->b->arena, "%s\n%s", x->value, value);
			return;
		}
	cvb_item_add_field(f->b, it, name, value, 0);
}

json_t *
fmt_json_load(struct fmt *f, const char *data, size_t len)
{
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	json_error_t err;
	json_t *root;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	root = json_loadb(data, len, JSON_DECODE_ANY, &err);
	if (root == NULL) {
		cvb_diag(f->d, CVB_D_JSON_SYNTAX, f->file, (unsigned)(err.line > 0 ? err.line : 0),
		    (unsigned)(err.column > 0 ? err.column : 0), "%s", err.text);
		return NULL;
	}
	/* positions: the same text through libyaml (JSON is YAML), when it can */
	if (len < (1u << 24) && cvb_ytree_load(&f->tree, data, len, f->file, &quiet) == 0 &&
	    f->tree != NULL && cvb_ytree_ndocs(f->tree) == 1 &&
	    json_typeof(cvb_ytree_doc(f->tree, 0)) == json_typeof(root)) {
		json_decref(root);
		root = json_incref(cvb_ytree_doc(f->tree, 0));
	} else if (f->tree != NULL) {
		cvb_ytree_free(f->tree);
		f->tree = NULL;
	}
	cvbib_diags_release(&quiet);
	return root;
}

void
fmt_json_pos(struct fmt *f, const json_t *parent, const char *key, size_t idx,
    unsigned *line, unsigned *col)
{
	*line = *col = 0;
	if (parent == NULL) {
		*line = *col = 1;
		return;
	}
	if (f->tree != NULL)
		cvb_ytree_pos(f->tree, parent, key, idx, line, col);
}

const char *
fmt_jstr(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (json_is_object(v))
		v = json_object_get(v, "value");
	return json_is_string(v) ? json_string_value(v) : NULL;
}

void
fmt_linecol(const char *data, size_t off, unsigned *line, unsigned *col)
{
	size_t i, ls = 0;
	unsigned l = 1, c = 1;

	for (i = 0; i < off; i++)
		if (data[i] == '\n') {
			l++;
			ls = i + 1;
		}
	for (i = ls; i < off; i++)
		if (((unsigned char)data[i] & 0xC0) != 0x80)
			c++;
	*line = l;
	*col = c;
}

bool
fmt_prefix(const char *s, const char *p)
{
	return s != NULL && strncasecmp(s, p, strlen(p)) == 0;
}

void
fmt_owner(struct fmt *f, const char *name)
{
	if (f->b->owner == NULL && (name = fmt_str(f, name)) != NULL)
		f->b->owner = name;
}

void
fmt_keywords(struct fmt *f, struct cvb_item *it, const char *v)
{
	const char *p = v;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ";,\n");
		const char *k = fmt_strn(f, p, n);

		if (k != NULL)
			fmt_append(f, it, CVB_V_KEYWORD, k, ", ");
		p += n;
		if (*p != '\0')
			p++;
	}
}

bool
fmt_looks_issn(const char *s)
{
	size_t digits = 0;

	for (; *s != '\0' && *s != ' ' && *s != '('; s++)
		if (isdigit((unsigned char)*s) || *s == 'X' || *s == 'x')
			digits++;
		else if (*s != '-')
			return false;
	return digits == 8;
}

void
fmt_arxiv(struct fmt *f, struct cvb_item *it, const char *id)
{
	const char *p;

	if ((id = fmt_str(f, id)) == NULL || it->str[CVB_V_ARCHIVE_LOCATION] != NULL)
		return;
	if ((p = strstr(id, "arxiv.org/abs/")) != NULL)
		id = p + 14;
	else if (fmt_prefix(id, "arXiv:"))
		id = id + 6;
	it->str[CVB_V_ARCHIVE] = "arXiv";
	it->str[CVB_V_ARCHIVE_LOCATION] = id;
}

bool
fmt_merge_bibtex(struct fmt *f, struct cvb_item *it, const char *text)
{
	struct cvbib_diags quiet = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	size_t before = f->b->n;
	struct cvb_field *pre = f->b->preamble, **tail = f->b->preamble_tail;
	bool ok = false;

	if (text == NULL || strchr(text, '@') == NULL)
		return false;
	cvbib_options_init(&o);
	/* read into this bibliography (its strings live in this arena), then
	 * take the entry off again, and any free text it came with */
	cvb_read_bibtex(f->b, text, strlen(text), f->file, &o, &quiet);
	if (f->b->n > before) {
		struct cvb_item *src = f->b->items[before];

		if (it->type == CVB_T_NONE || it->type == CVB_T_DOCUMENT)
			it->type = src->type;
		cvb_enrich_merge(f->b, it, src, NULL, true, NULL, NULL);
		if (it->str[CVB_V_DOI] == src->str[CVB_V_DOI] && src->str[CVB_V_DOI] != NULL) {
			it->str[CVB_V_DOI] = NULL;
			fmt_doi(f, it, src->str[CVB_V_DOI]);
		}
		ok = true;
	}
	f->b->n = before;
	f->b->preamble = pre;
	f->b->preamble_tail = tail;
	if (tail != NULL)
		*tail = NULL;
	cvbib_diags_release(&quiet);
	return ok;
}

const char *
fmt_strip_period(struct fmt *f, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	/* not an ellipsis, nor an initial ("... by J. S.") */
	if (n > 1 && s[n - 1] == '.' && s[n - 2] != '.' && !(n > 2 && isupper((unsigned char)s[n - 2]) &&
	    (s[n - 3] == ' ' || s[n - 3] == '.')))
		return fmt_strn(f, s, n - 1);
	return s;
}

/* ------------------------------------------------------ tagged records */

int
fmt_trec_add(struct fmt_trec *r, const char *tag, size_t taglen, const char *v, size_t n,
    unsigned line)
{
	struct fmt_tline *l;

	if (r->n == r->alloc) {
		size_t na = r->alloc ? r->alloc * 2 : 32;
		struct fmt_tline *nv = realloc(r->v, na * sizeof(*nv));

		if (nv == NULL) {
			cvb_nomem();
			return -1;
		}
		r->v = nv;
		r->alloc = na;
	}
	l = &r->v[r->n];
	if (taglen >= sizeof(l->tag))
		taglen = sizeof(l->tag) - 1;
	memcpy(l->tag, tag, taglen);
	l->tag[taglen] = '\0';
	l->line = line;
	if ((l->value = strndup(v, n)) == NULL) {
		cvb_nomem();
		return -1;
	}
	r->n++;
	return 0;
}

int
fmt_trec_cont(struct fmt_trec *r, const char *v, size_t n, char sep)
{
	struct fmt_tline *l = &r->v[r->n - 1];
	size_t old = strlen(l->value);
	char *nv;

	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	if (n == 0)
		return 0;
	if ((nv = realloc(l->value, old + n + 2)) == NULL)
		return -1;
	l->value = nv;
	if (old > 0)
		nv[old++] = sep;
	memcpy(nv + old, v, n);
	nv[old + n] = '\0';
	return 0;
}

void
fmt_trec_clear(struct fmt_trec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].value);
	r->n = 0;
}

void
fmt_trec_release(struct fmt_trec *r)
{
	fmt_trec_clear(r);
	free(r->v);
	r->v = NULL;
	r->alloc = 0;
}

/* Set the variable of tag from the table (see fmt.h); false when tag is in none of its rows. */
bool
fmt_tag_set(struct fmt *f, struct cvb_item *it, const struct fmt_tagvar *t, const char *tag, const char *v)
{
	size_t n = strlen(tag);

	for (; t->tags != NULL; t++) {
		const char *p = t->tags;

		while (p != NULL) {
			if (strncmp(p, tag, n) == 0 && (p[n] == '|' || p[n] == '\0')) {
				fmt_set(f, it, t->var, v, false);
				return true;
			}
			p = strchr(p, '|');
			if (p != NULL)
				p++;
		}
	}
	return false;
}

void
fmt_lines_init(struct fmt_lines *ln, const char *data, size_t len)
{
	ln->p = data;
	ln->end = data + len;
	ln->line = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		ln->p += 3;
}

bool
fmt_lines_next(struct fmt_lines *ln, const char **s, size_t *n, bool trim)
{
	const char *eol, *e;

	if (ln->p >= ln->end)
		return false;
	eol = memchr(ln->p, '\n', (size_t)(ln->end - ln->p));
	e = eol != NULL ? eol : ln->end;
	if (e > ln->p && e[-1] == '\r')
		e--;
	while (trim && e > ln->p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*s = ln->p;
	*n = (size_t)(e - ln->p);
	ln->p = eol != NULL ? eol + 1 : ln->end;
	ln->line++;
	return true;
}
