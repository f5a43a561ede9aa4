/*
 * site.c - publication collections of static sites, one file per entry:
 *
 *  - academicpages (Jekyll): _publications/YYYY-MM-DD-slug.md with the
 *    front matter its templates read (title, collection, category,
 *    permalink, excerpt, date, venue, paperurl, slidesurl, citation) and
 *    the authors, DOI and selected flag that forks read;
 *  - Hugo Blox (Wowchemy): <slug>/index.md (authors with "me" for the
 *    site's owner, author_notes, date, publication_types, publication,
 *    publication_short, abstract, featured, tags, hugoblox.ids.doi, links)
 *    and <slug>/cite.bib;
 *  - a Jekyll/Hugo data file (_data/publications.yml): the items as a
 *    top-level CSL-YAML list.
 *
 * Each page also holds the entry's CSL-JSON under the key "cvbib", which
 * the themes ignore and cvbib's front-matter reader (src/yaml) reads, so
 * that a collection reads back to the same items.  Written into a
 * directory, every file goes through a temporary file renamed into place.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <jansson.h>
#include "formats/fmt.h"

/* ------------------------------------------------------------- pieces */

/* a YAML single-quoted scalar on one line */
static void
yq(struct cvb_buf *o, const char *s)
{
	cvb_buf_addch(o, '\'');
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\'')
			cvb_buf_adds(o, "''");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			cvb_buf_addch(o, ' ');
		else
			cvb_buf_addch(o, *s);
	}
	cvb_buf_addch(o, '\'');
}

static void
ykey(struct cvb_buf *o, const char *key, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	cvb_buf_addf(o, "%s: ", key);
	yq(o, v);
	cvb_buf_addch(o, '\n');
}

static char *
plain(const char *rich)
{
	struct cvb_buf t = CVB_BUF_INIT;

	if (rich == NULL)
		return NULL;
	cvb_rich_plain(&t, rich);
	if (t.err) {
		cvbib_buf_release(&t);
		return NULL;
	}
	return cvbib_buf_detach(&t, NULL);
}

static void
html_text(struct cvb_buf *o, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&':
			cvb_buf_adds(o, "&amp;");
			break;
		case '<':
			cvb_buf_adds(o, "&lt;");
			break;
		case '>':
			cvb_buf_adds(o, "&gt;");
			break;
		case '"':
			cvb_buf_adds(o, "&quot;");
			break;
		default:
			cvb_buf_addch(o, *s);
		}
}

/* rich text as HTML: the tags as they are, the text escaped, LaTeX math as
 * its text (as cvbib's HTML output has it, src/text/texmath.c) */
static void
html_rich(struct cvb_buf *o, const char *s)
{
	struct cvb_rich r;
	size_t n;

	if (s == NULL)
		return;
	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		if (r.tok == CVB_RT_OPEN && r.tag == CVB_R_NOCASE && (n = cvb_rich_math(r.p)) > 0) {
			size_t d = n >= 5 && r.p[1] == '$' && r.p[n - 2] == '$' ? 2 : 1;

			cvb_math_text(o, r.p + d, n - 2 * d, true);
			r.p += n;
		} else if (r.tok == CVB_RT_TEXT) {
			char *t = strndup(r.text, r.len);

			if (t == NULL)
				cvb_nomem();
			html_text(o, t);
			free(t);
		} else if (r.tok == CVB_RT_OPEN && r.tag != CVB_R_NOCASE && r.tag != CVB_R_NODECOR)
			cvb_buf_adds(o, cvb_rich_open_text(r.tag));
		else if (r.tok == CVB_RT_CLOSE && r.tag != CVB_R_NOCASE && r.tag != CVB_R_NODECOR)
			cvb_buf_adds(o, cvb_rich_close_text(r.tag));
	}
}

/* "Jane Q. Doe" */
static void
name_text(struct cvb_buf *o, const struct cvb_name *n)
{
	if (n->literal != NULL) {
		cvb_rich_plain(o, n->literal);
		return;
	}
	if (n->given)
		cvb_buf_addf(o, "%s ", n->given);
	if (n->dropping_particle)
		cvb_buf_addf(o, "%s ", n->dropping_particle);
	if (n->non_dropping_particle)
		cvb_buf_addf(o, "%s ", n->non_dropping_particle);
	if (n->family)
		cvb_buf_adds(o, n->family);
	if (n->suffix)
		cvb_buf_addf(o, " %s", n->suffix);
}

static const char *
extra(const struct cvb_item *it, const char *name)
{
	const struct cvb_field *f;

	for (f = it->extra; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0 && !(f->flags & CVB_FF_JSON))
			return f->value;
	return NULL;
}

static bool
selected(cvbib_biblio *b, const struct cvb_item *it)
{
	const char *s;

	if (it->flags & CVB_IF_SELECTED)
		return true;
	s = cvb_cv_extra(b, it, "selected");
	if (s == NULL)
		s = cvb_cv_extra(b, it, "featured");
	return s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0);
}

/* "2023-03-01" (a month or day not known is 01) */
static void
date_str(char out[16], const struct cvb_item *it)
{
	const struct cvb_date *d = it->date[CVB_DV_ISSUED];
	int y = d && d->nparts[0] > 0 ? d->parts[0][0] : 1900;
	int m = d && d->nparts[0] > 1 ? d->parts[0][1] : 1, day = d && d->nparts[0] > 2 ? d->parts[0][2] : 1;

	if (y < 0 || y > 9999)
		y = 1900;
	snprintf(out, 16, "%04d-%02d-%02d", y, m, day);
}

/* the first words of the title, ASCII (accents dropped), lower case, joined by '-' */
static void
slug(struct cvb_buf *o, const struct cvb_item *it)
{
	struct cvb_buf t = CVB_BUF_INIT, w = CVB_BUF_INIT;
	const char *p;
	int words = 0;
	size_t start = o->len;

	cvb_rich_plain(&t, it->str[CVB_V_TITLE] ? it->str[CVB_V_TITLE] : it->id ? it->id : "untitled");
	for (p = t.buf; *p != '\0' && words < 6;) {
		const char *q;
		char *word;

		/* a word: anything up to ASCII that is not a letter or digit */
		while (*p != '\0' && (unsigned char)*p < 0x80 && !isalnum((unsigned char)*p))
			p++;
		for (q = p; *q != '\0' && ((unsigned char)*q >= 0x80 || isalnum((unsigned char)*q)); q++)
			;
		if (q == p)
			break;
		word = strndup(p, (size_t)(q - p));
		cvb_buf_reset(&w);
		if (word != NULL)
			cvb_latex_ascii_fold(&w, word, true);
		else
			cvb_nomem();
		free(word);
		if (w.len > 0) {
			if (o->len > start)
				cvb_buf_addch(o, '-');
			cvb_buf_adds(o, w.buf);
			words++;
		}
		p = q;
	}
	if (o->len == start)
		cvb_buf_adds(o, "untitled");
	cvbib_buf_release(&t);
	cvbib_buf_release(&w);
}

/* the entry as CSL-JSON on one line, for the "cvbib" key */
static void
blob(struct cvb_buf *o, const struct cvb_item *it)
{
	json_t *j = cvb_item_to_json(it);
	char *s = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_INDENT(0) | JSON_ENSURE_ASCII) : NULL;

	if (s != NULL) {
		char *p;

		/* one line: JSON_INDENT(0) still breaks lines */
		cvb_buf_adds(o, "cvbib: ");
		for (p = s; *p != '\0'; p++)
			if (*p != '\n')
				cvb_buf_addch(o, *p);
			else if (p[1] != '}' && p[1] != ']')
				cvb_buf_addch(o, ' ');
		cvb_buf_addch(o, '\n');
	} else
		o->err = CVBIB_ENOMEM;
	free(s);
	json_decref(j);
}

static const char *
link_of(cvbib_biblio *b, const struct cvb_item *it)
{
	const char *s;

	if ((s = extra(it, "pdf")) != NULL || (s = extra(it, "url_pdf")) != NULL)
		return s;
	if (it->str[CVB_V_URL] != NULL)
		return it->str[CVB_V_URL];
	if (it->str[CVB_V_DOI] != NULL)
		return cvb_arena_printf(&b->arena, "https://doi.org/%s", it->str[CVB_V_DOI]);
	return NULL;
}

/* academicpages' citation: authors (owner in bold), year, title, venue */
static void
citation(struct cvb_buf *o, const struct cvb_item *it)
{
	const struct cvb_name *n;
	int year = cvb_item_year(it);

	for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
		struct cvb_buf t = CVB_BUF_INIT;

		if (n->flags & CVB_NF_OTHERS) {
			cvb_buf_adds(o, " et al.");
			break;
		}
		if (n != it->names[CVB_NV_AUTHOR])
			cvb_buf_adds(o, n->next == NULL ? ", and " : ", ");
		name_text(&t, n);
		if (n->flags & CVB_NF_HIGHLIGHT)
			cvb_buf_adds(o, "<b>");
		html_text(o, t.buf);
		if (n->flags & CVB_NF_HIGHLIGHT)
			cvb_buf_adds(o, "</b>");
		cvbib_buf_release(&t);
	}
	if (year != 0)
		cvb_buf_addf(o, " (%d)", year);
	cvb_buf_adds(o, ". &quot;");
	html_rich(o, it->str[CVB_V_TITLE]);
	cvb_buf_adds(o, ".&quot;");
	if (it->str[CVB_V_CONTAINER_TITLE] != NULL) {
		cvb_buf_adds(o, " <i>");
		html_rich(o, it->str[CVB_V_CONTAINER_TITLE]);
		cvb_buf_adds(o, "</i>");
	} else if (it->str[CVB_V_PUBLISHER] != NULL) {
		cvb_buf_addch(o, ' ');
		html_rich(o, it->str[CVB_V_PUBLISHER]);
	}
	if (it->str[CVB_V_VOLUME] != NULL) {
		cvb_buf_adds(o, ", ");
		html_text(o, it->str[CVB_V_VOLUME]);
		if (it->str[CVB_V_ISSUE] != NULL) {
			cvb_buf_addch(o, '(');
			html_text(o, it->str[CVB_V_ISSUE]);
			cvb_buf_addch(o, ')');
		}
	}
	if (it->str[CVB_V_PAGE] != NULL) {
		cvb_buf_adds(o, ", ");
		html_text(o, it->str[CVB_V_PAGE]);
	}
	cvb_buf_addch(o, '.');
}

/* -------------------------------------------------------- the two themes */

static void
academicpages(cvbib_biblio *b, const struct cvb_item *it, const char *name, struct cvb_buf *o)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const struct cvb_name *n;
	char date[16], *ab, *title = plain(it->str[CVB_V_TITLE]);
	const char *cat = it->type == CVB_T_PAPER_CONFERENCE ? "conferences" :
	    (it->type == CVB_T_BOOK || it->type == CVB_T_CHAPTER) ? "books" : "manuscripts";

	date_str(date, it);
	cvb_buf_adds(o, "---\n");
	ykey(o, "title", title ? title : "");
	cvb_buf_adds(o, "collection: publications\n");
	cvb_buf_addf(o, "category: %s\n", cat);
	cvb_buf_addf(o, "permalink: /publication/%.*s\n", (int)(strlen(name) - 3), name);
	if ((ab = plain(it->str[CVB_V_ABSTRACT])) != NULL) {
		size_t k = strcspn(ab, ".");

		if (ab[k] == '.' && k < 300)
			ab[k + 1] = '\0';
		ykey(o, "excerpt", ab);
		free(ab);
	}
	cvb_buf_addf(o, "date: %s\n", date);
	if ((ab = plain(it->str[CVB_V_CONTAINER_TITLE] ? it->str[CVB_V_CONTAINER_TITLE] :
	    it->str[CVB_V_PUBLISHER])) != NULL) {
		ykey(o, "venue", ab);
		free(ab);
	}
	ykey(o, "paperurl", link_of(b, it));
	ykey(o, "slidesurl", extra(it, "slides"));
	ykey(o, "doi", it->str[CVB_V_DOI]);
	if (it->names[CVB_NV_AUTHOR] != NULL) {
		cvb_buf_adds(o, "authors:\n");
		for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
			cvb_buf_reset(&t);
			name_text(&t, n);
			cvb_buf_adds(o, "  - ");
			yq(o, t.buf);
			cvb_buf_addch(o, '\n');
		}
	}
	if (selected(b, it))
		cvb_buf_adds(o, "selected: true\n");
	cvb_buf_reset(&t);
	citation(&t, it);
	ykey(o, "citation", t.buf);
	blob(o, it);
	cvb_buf_adds(o, "---\n");
	if ((ab = plain(it->str[CVB_V_ABSTRACT])) != NULL) {
		cvb_buf_addf(o, "%s\n", ab);
		free(ab);
	}
	free(title);
	cvbib_buf_release(&t);
}

static void
hugo(cvbib_biblio *b, const struct cvb_item *it, struct cvb_buf *o)
{
	static const char *const kinds[] = { "pdf", "code", "dataset", "poster", "project", "slides",
	    "video", NULL };
	struct cvb_buf t = CVB_BUF_INIT;
	const struct cvb_name *n;
	char date[16], *s, *title = plain(it->str[CVB_V_TITLE]);
	bool notes = false;
	size_t k;

	date_str(date, it);
	cvb_buf_adds(o, "---\n");
	ykey(o, "title", title ? title : "");
	if (it->names[CVB_NV_AUTHOR] != NULL) {
		cvb_buf_adds(o, "authors:\n");
		for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next) {
			notes |= (n->flags & (CVB_NF_EQUAL | CVB_NF_CORRESP)) != 0;
			if (n->flags & CVB_NF_HIGHLIGHT) {	/* the site's owner */
				cvb_buf_adds(o, "  - me\n");
				continue;
			}
			cvb_buf_reset(&t);
			name_text(&t, n);
			cvb_buf_adds(o, "  - ");
			yq(o, t.buf);
			cvb_buf_addch(o, '\n');
		}
	}
	if (notes) {
		cvb_buf_adds(o, "author_notes:\n");
		for (n = it->names[CVB_NV_AUTHOR]; n != NULL; n = n->next)
			cvb_buf_addf(o, "  - '%s'\n", (n->flags & CVB_NF_EQUAL) ? "Equal contribution" :
			    (n->flags & CVB_NF_CORRESP) ? "Corresponding author" : "");
	}
	cvb_buf_addf(o, "date: '%sT00:00:00Z'\n", date);
	cvb_buf_addf(o, "publishDate: '%sT00:00:00Z'\n", date);
	cvb_buf_addf(o, "publication_types: ['%s']\n", it->type != CVB_T_NONE ? cvb_type_name(it->type) :
	    "article");
	if ((s = plain(it->str[CVB_V_CONTAINER_TITLE] ? it->str[CVB_V_CONTAINER_TITLE] :
	    it->str[CVB_V_PUBLISHER])) != NULL) {
		cvb_buf_reset(&t);
		cvb_buf_addf(&t, "*%s*", s);
		if (it->str[CVB_V_VOLUME] != NULL)
			cvb_buf_addf(&t, ", %s", it->str[CVB_V_VOLUME]);
		if (it->str[CVB_V_ISSUE] != NULL)
			cvb_buf_addf(&t, "(%s)", it->str[CVB_V_ISSUE]);
		if (it->str[CVB_V_PAGE] != NULL)
			cvb_buf_addf(&t, ", %s", it->str[CVB_V_PAGE]);
		ykey(o, "publication", t.buf);
		free(s);
	}
	if ((s = plain(it->str[CVB_V_CONTAINER_TITLE_SHORT])) != NULL) {
		cvb_buf_reset(&t);
		cvb_buf_addf(&t, "*%s*", s);
		ykey(o, "publication_short", t.buf);
		free(s);
	}
	if ((s = plain(it->str[CVB_V_ABSTRACT])) != NULL) {
		ykey(o, "abstract", s);
		free(s);
	}
	if (it->str[CVB_V_KEYWORD] != NULL) {
		const char *p = it->str[CVB_V_KEYWORD];

		cvb_buf_adds(o, "tags:\n");
		while (*p != '\0') {
			size_t len = strcspn(p, ",;");
			char *w = strndup(p, len), *q = w;

			while (q != NULL && *q == ' ')
				q++;
			if (q != NULL && *q != '\0') {
				cvb_buf_adds(o, "  - ");
				yq(o, q);
				cvb_buf_addch(o, '\n');
			}
			free(w);
			p += len;
			if (*p != '\0')
				p++;
		}
	}
	cvb_buf_addf(o, "featured: %s\n", selected(b, it) ? "true" : "false");
	if (it->str[CVB_V_DOI] != NULL) {
		cvb_buf_adds(o, "hugoblox:\n  ids:\n    doi: ");
		yq(o, it->str[CVB_V_DOI]);
		cvb_buf_addch(o, '\n');
	}
	cvb_buf_reset(&t);
	for (k = 0; kinds[k] != NULL; k++)
		if ((s = (char *)extra(it, kinds[k])) != NULL) {
			cvb_buf_addf(&t, "  - type: %s\n    url: ", kinds[k]);
			yq(&t, s);
			cvb_buf_addch(&t, '\n');
		}
	if (it->str[CVB_V_URL] != NULL) {
		cvb_buf_adds(&t, "  - type: source\n    url: ");
		yq(&t, it->str[CVB_V_URL]);
		cvb_buf_addch(&t, '\n');
	}
	if (t.len > 0)
		cvb_buf_addf(o, "links:\n%s", t.buf);
	blob(o, it);
	cvb_buf_adds(o, "---\n");
	free(title);
	cvbib_buf_release(&t);
}

/* cite.bib: the BibTeX writer, given this one item */
static int
cite_bib(cvbib_biblio *b, struct cvb_item *it, const struct cvbib_options *opts,
    struct cvb_buf *o, struct cvbib_diags *d)
{
	struct cvb_item **items = b->items;
	size_t n = b->n;
	struct cvb_field *pre = b->preamble;
	int rc;

	b->items = &it;
	b->n = 1;
	b->preamble = NULL;
	rc = cvb_write_bibtex(b, opts, o, d);
	b->items = items;
	b->n = n;
	b->preamble = pre;
	return rc;
}

/* ------------------------------------------------------------ the files */

struct file {
	char	*name;		/* relative to the directory */
	struct cvb_buf body;
};

static bool
name_taken(const struct file *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

/* Every file of the collection into v (n of them, malloc'd). */
static int
build(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    struct file **vp, size_t *np, struct cvbib_diags *d)
{
	struct cvbib_options eff;
	struct file *v;
	size_t i, n = 0;
	int rc = 0;

	cvb_cv_prepare(b, opts, &eff, d);	/* the owner's names, selected */
	v = calloc(b->n * 2 + 1, sizeof(*v));
	if (v == NULL)
		return -CVBIB_ENOMEM;
	for (i = 0; i < b->n && rc == 0; i++) {
		struct cvb_item *it = b->items[i];
		struct cvb_buf nm = CVB_BUF_INIT;
		char date[16];
		size_t base, k;

		if (fmt == CVBIB_FMT_ACADEMICPAGES) {
			date_str(date, it);
			cvb_buf_addf(&nm, "%s-", date);
		}
		slug(&nm, it);
		base = nm.len;
		for (k = 2; ; k++) {
			char probe[600];

			snprintf(probe, sizeof(probe), fmt == CVBIB_FMT_ACADEMICPAGES ? "%s.md" :
			    "%s/index.md", nm.buf);
			if (!name_taken(v, n, probe))
				break;
			cvb_buf_setlen(&nm, base);
			cvb_buf_addf(&nm, "-%zu", k);
		}
		if (fmt == CVBIB_FMT_ACADEMICPAGES) {
			v[n].name = cvb_arena_printf(&b->arena, "%s.md", nm.buf);
			v[n].body = (struct cvb_buf)CVB_BUF_INIT;
			academicpages(b, it, v[n].name, &v[n].body);
			n++;
		} else {
			v[n].name = cvb_arena_printf(&b->arena, "%s/index.md", nm.buf);
			v[n].body = (struct cvb_buf)CVB_BUF_INIT;
			hugo(b, it, &v[n].body);
			n++;
			v[n].name = cvb_arena_printf(&b->arena, "%s/cite.bib", nm.buf);
			v[n].body = (struct cvb_buf)CVB_BUF_INIT;
			rc = cite_bib(b, it, opts, &v[n].body, d);
			n++;
		}
		if (nm.err || v[n - 1].body.err || v[n - 1].name == NULL)
			rc = -CVBIB_ENOMEM;
		cvbib_buf_release(&nm);
	}
	*vp = v;
	*np = n;
	return rc;
}

static void
release(struct file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cvbib_buf_release(&v[i].body);
	free(v);
}

int
cvb_write_site(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    struct cvb_buf *out, struct cvbib_diags *d)
{
	struct file *v = NULL;
	size_t n = 0, i;
	int rc = build(b, fmt, opts, &v, &n, d);

	/* to one stream: each file under a line "==> NAME <==" */
	for (i = 0; i < n && rc == 0; i++)
		cvb_buf_addf(out, "%s==> %s <==\n%s", i > 0 ? "\n" : "", v[i].name, v[i].body.buf);
	release(v, n);
	if (rc == 0 && out->err)
		rc = -CVBIB_ENOMEM;
	if (rc == -CVBIB_ENOMEM)
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	return rc;
}

static int
mkdirs(const char *path, struct cvbib_diags *d)
{
	char *p = strdup(path), *s;

	if (p == NULL)
		return -CVBIB_ENOMEM;
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				cvb_diag(d, CVB_D_FMT_WRITE, p, 0, 0, "cannot make the directory: %s",
				    strerror(errno));
				free(p);
				return -CVBIB_EIO;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

int
cvb_write_site_dir(cvbib_biblio *b, enum cvbib_format fmt, const char *dir,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct file *v = NULL;
	size_t n = 0, i, dl = strlen(dir);
	int rc;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if ((rc = build(b, fmt, opts, &v, &n, d)) == 0)
		rc = mkdirs(cvb_arena_printf(&b->arena, "%.*s", (int)dl, dir), d);
	for (i = 0; i < n && rc == 0; i++) {
		const char *path = cvb_arena_printf(&b->arena, "%.*s/%s", (int)dl, dir, v[i].name);
		const char *slash = path ? strrchr(path, '/') : NULL;

		if (path == NULL) {
			rc = -CVBIB_ENOMEM;
			break;
		}
		if (slash != NULL && (size_t)(slash - path) > dl &&
		    (rc = mkdirs(cvb_arena_printf(&b->arena, "%.*s", (int)(slash - path), path), d)) != 0)
			break;
		rc = cvbib_write_file_atomic(path, v[i].body.buf, v[i].body.len, NULL, d);
	}
	release(v, n);
	if (rc == -CVBIB_ENOMEM)
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	return rc;
}

/* A Jekyll/Hugo data file: the CSL-YAML items as a top-level list. */
int
cvb_write_datayml(cvbib_biblio *b, const struct cvbib_options *opts, struct cvb_buf *out,
    struct cvbib_diags *d)
{
	struct cvb_buf t = CVB_BUF_INIT;
	const char *p;
	size_t len;
	int rc = cvb_write_cslyaml(b, opts, &t, d);

	if (rc == 0) {
		p = t.buf;
		if (strncmp(p, "---\n", 4) == 0)
			p += 4;
		if (strncmp(p, "references:", 11) == 0) {
			p += 11;
			while (*p == ' ')
				p++;
			if (*p == '\n')
				p++;
		}
		len = strlen(p);
		if (len >= 4 && strcmp(p + len - 4, "...\n") == 0)
			len -= 4;
		if (b->n == 0 || strncmp(p, "[]", 2) == 0)
			cvb_buf_adds(out, "[]\n");
		else
			cvb_buf_add(out, p, len);
	}
	cvbib_buf_release(&t);
	if (rc == 0 && out->err) {
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		rc = -CVBIB_ENOMEM;
	}
	return rc;
}
