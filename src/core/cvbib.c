/*
 * cvbib.c - library entry points: formats, detection, read and write dispatch.
 *
 * This file knows which reader and writer serves each format and nothing of
 * how they work.  It owns no state beyond the call.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

static const char *const format_names[CVBIB_FMT__COUNT] = {
	[CVBIB_FMT_AUTO] = NULL,
	[CVBIB_FMT_CSLJSON] = "csljson",
	[CVBIB_FMT_CSLYAML] = "csl-yaml",
	[CVBIB_FMT_BIBTEX] = "bibtex",
	[CVBIB_FMT_BIBLATEX] = "biblatex",
	[CVBIB_FMT_RENDERCV] = "rendercv",
	[CVBIB_FMT_JSONRESUME] = "jsonresume",
	[CVBIB_FMT_FRONTMATTER] = "frontmatter",
	[CVBIB_FMT_TEXT] = "text",
	[CVBIB_FMT_MARKDOWN] = "markdown",
	[CVBIB_FMT_HTML] = "html",
	[CVBIB_FMT_LATEX] = "latex",
	[CVBIB_FMT_REFLINES] = "reflines",
	[CVBIB_FMT_REFPRED] = "refpred",
	/* src/formats/ */
	[CVBIB_FMT_RIS] = "ris",
	[CVBIB_FMT_ORCID] = "orcid",
	[CVBIB_FMT_DBLP] = "dblp",
	[CVBIB_FMT_OPENALEX] = "openalex",
	[CVBIB_FMT_SCHOLAR_CSV] = "scholar-csv",
	[CVBIB_FMT_ENDNOTE_XML] = "endnote-xml",
	[CVBIB_FMT_MEDLINE] = "medline",
	[CVBIB_FMT_ENW] = "enw",
	[CVBIB_FMT_CFF] = "cff",
	[CVBIB_FMT_ACADEMICPAGES] = "academicpages",
	[CVBIB_FMT_HUGOBLOX] = "hugoblox",
	[CVBIB_FMT_DATAYML] = "jekyll-data",
	[CVBIB_FMT_TYPST] = "typst",
	[CVBIB_FMT_TYPST_DATA] = "typst-data",
	[CVBIB_FMT_HAYAGRIVA] = "hayagriva",
};

static const struct { const char *alias; enum cvbib_format f; } format_aliases[] = {
	{ "csl-json", CVBIB_FMT_CSLJSON }, { "json", CVBIB_FMT_CSLJSON },
	{ "cslyaml", CVBIB_FMT_CSLYAML }, { "yaml", CVBIB_FMT_CSLYAML },
	{ "bib", CVBIB_FMT_BIBTEX }, { "txt", CVBIB_FMT_TEXT },
	{ "md", CVBIB_FMT_MARKDOWN }, { "tex", CVBIB_FMT_LATEX },
	{ "json-resume", CVBIB_FMT_JSONRESUME },
	{ "typ", CVBIB_FMT_TYPST },
	{ "plain", CVBIB_FMT_TEXT },		/* pandoc's names */
	{ "commonmark", CVBIB_FMT_MARKDOWN }, { "gfm", CVBIB_FMT_MARKDOWN },
	{ "markdown_strict", CVBIB_FMT_MARKDOWN },
	/* src/formats/ */
	{ "refman", CVBIB_FMT_RIS }, { "nbib", CVBIB_FMT_MEDLINE }, { "pubmed", CVBIB_FMT_MEDLINE },
	{ "endnotexml", CVBIB_FMT_ENDNOTE_XML }, { "hugo", CVBIB_FMT_HUGOBLOX },
	{ "wowchemy", CVBIB_FMT_HUGOBLOX }, { "data-yml", CVBIB_FMT_DATAYML },
	{ "scholar", CVBIB_FMT_SCHOLAR_CSV }, { "refer", CVBIB_FMT_ENW },
	{ "endnote", CVBIB_FMT_ENW }, { "citation-cff", CVBIB_FMT_CFF },
};

const char *
cvbib_format_name(enum cvbib_format f)
{
	return (unsigned)f < CVBIB_FMT__COUNT ? format_names[f] : NULL;
}

enum cvbib_format
cvbib_format_lookup(const char *name)
{
	size_t i;

	for (i = 1; i < CVBIB_FMT__COUNT; i++)
		if (strcasecmp(format_names[i], name) == 0)
			return (enum cvbib_format)i;
	for (i = 0; i < CVB_ARRAY_SIZE(format_aliases); i++)
		if (strcasecmp(format_aliases[i].alias, name) == 0)
			return format_aliases[i].f;
	return CVBIB_FMT_AUTO;
}

static const char *
skip_ws(const char *p, const char *end)
{
	/* a UTF-8 byte-order mark counts as white space here */
	if (end - p >= 3 && (unsigned char)p[0] == 0xEF &&
	    (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

static bool
has_ext(const char *file, const char *ext)
{
	size_t n = strlen(file), e = strlen(ext);

	return n > e && file[n - e - 1] == '.' && strcasecmp(file + n - e, ext) == 0;
}

/* Does a YAML/markdown document start with front matter holding key? */
static bool
mem_has_line_key(const char *data, size_t len, const char *key)
{
	size_t k = strlen(key), i;

	for (i = 0; i + k < len; i++)
		if ((i == 0 || data[i - 1] == '\n') && strncmp(data + i, key, k) == 0)
			return true;
	return false;
}

static bool
looks_bibtex(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i + 2 < len && i < 1 << 20; i++) {
		if (data[i] == '@' && (i == 0 || data[i - 1] == '\n' ||
		    isspace((unsigned char)data[i - 1]))) {
			size_t j = i + 1;

			while (j < len && isalpha((unsigned char)data[j]))
				j++;
			while (j < len && isspace((unsigned char)data[j]))
				j++;
			if (j > i + 1 && j < len && (data[j] == '{' || data[j] == '('))
				return true;
		}
	}
	return false;
}

/* The format by the file's name, then its content, once exported records
 * (cvb_formats_detect) are ruled out. */
static enum cvbib_format
detect_by_name(const char *file, const char *data, size_t len)
{
	const char *end = data + len, *p = skip_ws(data, end);
	if (file != NULL && strcmp(file, "-") != 0) {
		if (has_ext(file, "bib") || has_ext(file, "bibtex"))
			return CVBIB_FMT_BIBTEX;
		if (has_ext(file, "json") || has_ext(file, "csljson"))
			return (len < (1 << 22) && memmem(data, len, "\"publications\"", 14) &&
			    memmem(data, len, "\"basics\"", 8)) ? CVBIB_FMT_JSONRESUME
			    : CVBIB_FMT_CSLJSON;
		if (has_ext(file, "yaml") || has_ext(file, "yml"))
			return cvb_looks_hayagriva(data, len) ? CVBIB_FMT_HAYAGRIVA : CVBIB_FMT_CSLYAML;
		if (has_ext(file, "html") || has_ext(file, "htm"))
			return CVBIB_FMT_HTML;
		if (has_ext(file, "md") || has_ext(file, "markdown")) {
			if (end - p >= 3 && strncmp(p, "---", 3) == 0 &&
			    mem_has_line_key(data, len, "references:"))
				return CVBIB_FMT_CSLYAML;
			/* academicpages _publications and Hugo Blox publication front matter */
			if (end - p >= 3 && strncmp(p, "---", 3) == 0 &&
			    (mem_has_line_key(data, len, "publication_types:") ||
			    mem_has_line_key(data, len, "author_notes:") ||
			    mem_has_line_key(data, len, "paperurl:") ||
			    mem_has_line_key(data, len, "venue:") ||
			    mem_has_line_key(data, len, "collection: publications") ||
			    mem_has_line_key(data, len, "publication:")))
				return CVBIB_FMT_FRONTMATTER;
			if (end - p >= 3 && strncmp(p, "+++", 3) == 0 &&
			    mem_has_line_key(data, len, "publication_types"))
				return CVBIB_FMT_FRONTMATTER;	/* TOML: reported as unsupported */
			return CVBIB_FMT_MARKDOWN;
		}
		if (has_ext(file, "txt") || has_ext(file, "text"))
			return CVBIB_FMT_TEXT;
	}
	if (p == end)
		return CVBIB_FMT_TEXT;
	if (*p == '{' && len < (1 << 22) && memmem(data, len, "\"publications\"", 14) &&
	    memmem(data, len, "\"basics\"", 8))
		return CVBIB_FMT_JSONRESUME;
	if (*p == '[' || *p == '{')
		return CVBIB_FMT_CSLJSON;
	if (looks_bibtex(data, len))
		return CVBIB_FMT_BIBTEX;
	if (*p == '<')
		return CVBIB_FMT_HTML;
	if (cvb_looks_hayagriva(data, len))
		return CVBIB_FMT_HAYAGRIVA;
	if (end - p >= 3 && strncmp(p, "---", 3) == 0) {
		if (mem_has_line_key(data, len, "references:") || mem_has_line_key(data, len, "cv:") ||
		    mem_has_line_key(data, len, "publications:") || mem_has_line_key(data, len, "- id:"))
			return CVBIB_FMT_CSLYAML;
		if (mem_has_line_key(data, len, "publication_types:") ||
		    mem_has_line_key(data, len, "author_notes:") ||
		    mem_has_line_key(data, len, "paperurl:") ||
		    mem_has_line_key(data, len, "collection: publications"))
			return CVBIB_FMT_FRONTMATTER;
		return CVBIB_FMT_MARKDOWN;
	}
	if (end - p >= 3 && strncmp(p, "+++", 3) == 0 &&
	    (mem_has_line_key(data, len, "publication_types") || mem_has_line_key(data, len, "authors")))
		return CVBIB_FMT_FRONTMATTER;	/* TOML front matter: the reader says it is unsupported */
	if (mem_has_line_key(data, len, "cv:") || mem_has_line_key(data, len, "references:") ||
	    mem_has_line_key(data, len, "- id:") || mem_has_line_key(data, len, "publications:"))
		return CVBIB_FMT_CSLYAML;
	if (mem_has_line_key(data, len, "#"))
		return CVBIB_FMT_MARKDOWN;
	return CVBIB_FMT_TEXT;
}

enum cvbib_format
cvbib_format_detect(const char *file, const char *data, size_t len)
{
	const char *refused;
	enum cvbib_format x;

	/* exported records are told by their content, whatever the file is named */
	if ((x = cvb_formats_detect(data, len, &refused)) != CVBIB_FMT_AUTO)
		return x;
	return detect_by_name(file, data, len);
}

enum cvbib_format
cvbib_biblio_input_format(const cvbib_biblio *b)
{
	return b->input_format;
}

void
cvbib_options_init(struct cvbib_options *o)
{
	memset(o, 0, sizeof(*o));
	o->expand_crossref = 1;
	o->dedupe = -1;		/* -1: the default of the output format */
	o->timeout = 30.0;
}

/* UTF-16 (with its byte-order mark) to UTF-8, malloc'd in *out; 0 or -1. */
static int
utf16_to_utf8(const char *s, size_t n, char **out, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "UTF-16");
	size_t cap = n * 2 + 16, left = cap - 1, inleft = n;
	char *ip = (char *)s, *op;
	int rc = 0;

	*out = NULL;
	if (cd == (iconv_t)-1)
		return -1;
	if ((*out = malloc(cap)) == NULL) {
		iconv_close(cd);
		return -1;
	}
	op = *out;
	if (iconv(cd, &ip, &inleft, &op, &left) == (size_t)-1)
		rc = -1;
	iconv_close(cd);
	*op = '\0';
	*outlen = (size_t)(op - *out);
	return rc;
}

static int read_as(cvbib_biblio *, const char *, size_t, const char *, enum cvbib_format,
    const struct cvbib_options *, struct cvbib_diags *);
static int read_input(cvbib_biblio *, const char *, size_t, const char *, enum cvbib_format,
    const struct cvbib_options *, struct cvbib_diags *);
static void looks_like(const char *, const char *, size_t, enum cvbib_format,
    struct cvbib_diags *);

/* Every public call that reads or writes: a failed allocation it got past
 * silently is still a failure (cvb_nomem_end(), issue 20). */
int
cvbib_read(cvbib_biblio *b, const char *data, size_t len, const char *filename,
    enum cvbib_format fmt, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	unsigned long nm = cvb_nomem_count;

	return cvb_nomem_end(nm, read_input(b, data, len, filename, fmt, opts, d), d);
}

static int
read_input(cvbib_biblio *b, const char *data, size_t len, const char *filename,
    enum cvbib_format fmt, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	const char *file, *binary;
	enum cvbib_format given;
	char *conv = NULL;
	size_t convlen = 0, before;
	int rc;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	file = cvb_arena_strdup(&b->arena, filename ? filename : "-");
	if (file == NULL)
		return -CVBIB_ENOMEM;
	if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
	    ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
		/* UTF-16 with a byte-order mark (issue 20: read as "no entries") */
		char *u = NULL;
		size_t ulen = 0;

		if (utf16_to_utf8(data, len, &u, &ulen) != 0) {
			cvb_diag(d, CVB_D_INPUT_ENCODING, file, 0, 0, "UTF-16, which is not valid "
			    "UTF-16 (nothing read)");
			free(u);
			return -CVBIB_EINPUT;
		}
		cvb_diag(d, CVB_D_INPUT_ENCODING, file, 0, 0, "UTF-16");
		rc = read_input(b, u, ulen, filename, fmt, opts, d);
		free(u);
		return rc;
	}
	given = fmt;
	if ((binary = cvb_input_binary_kind(data, len)) != NULL) {
		cvb_diag(d, CVB_D_INPUT_BINARY, file, 0, 0, "%s", binary);
		return -CVBIB_EUNSUPP;
	}
	if (fmt == CVBIB_FMT_AUTO) {
		const char *refused = NULL;

		fmt = cvb_formats_detect(data, len, &refused);
		if (fmt == CVBIB_FMT_AUTO && refused != NULL) {
			cvb_diag(d, CVB_D_FMT_REFUSED, file, 0, 0,
			    "this looks like %s; cvbib does not read it", refused);
			return -CVBIB_EUNSUPP;
		}
		if (fmt == CVBIB_FMT_AUTO)
			fmt = detect_by_name(filename, data, len);
	}
	if ((fmt == CVBIB_FMT_BIBTEX || fmt == CVBIB_FMT_BIBLATEX) && memchr(data, 0, len) != NULL) {
		/* a NUL cut a BibTeX field short without a word (issue 20) */
		struct cvb_buf t = CVB_BUF_INIT;
		size_t i, nnul = 0;

		for (i = 0; i < len; i++)
			if (data[i] == '\0') {
				cvb_buf_adds(&t, "\xef\xbf\xbd");
				nnul++;
			} else
				cvb_buf_addch(&t, data[i]);
		if (t.err) {
			cvbib_buf_release(&t);
			return -CVBIB_ENOMEM;
		}
		cvb_diag(d, CVB_D_INPUT_NUL, file, 0, 0, "%zu", nnul);
		b->src_bad = true;	/* not the input as it is */
		rc = cvb_read_bibtex(b, t.buf, t.len, file, opts, d);
		if (b->input_format == CVBIB_FMT_AUTO)
			b->input_format = fmt;
		cvbib_buf_release(&t);
		return rc;
	}
	if (b->input_format == CVBIB_FMT_AUTO)
		b->input_format = fmt;
	if (cvb_input_is_empty(data, len)) {
		cvb_diag(d, CVB_D_INPUT_EMPTY, file, 0, 0, NULL);
		return 0;
	}
	if (fmt != CVBIB_FMT_BIBTEX && fmt != CVBIB_FMT_BIBLATEX && !cvb_input_is_pdf(data, len)) {
		/* text CVs, JSON and YAML: decoded here; BibTeX decodes its own
		 * (issue 20: one bad byte lost every item of a JSON file) */
		rc = cvb_input_decode(file, data, len, &conv, &convlen, d);
		if (rc < 0)
			return rc;
		if (conv != NULL) {
			data = conv;
			len = convlen;
		}
	}
	before = b->n;
	rc = read_as(b, data, len, file, fmt, opts, d);
	if (fmt == CVBIB_FMT_TEXT || fmt == CVBIB_FMT_MARKDOWN || fmt == CVBIB_FMT_HTML ||
	    fmt == CVBIB_FMT_REFLINES)
		cvb_map_article_types(b, before);
	if (given != CVBIB_FMT_AUTO && (rc < 0 || b->n == before))
		looks_like(file, data, len, given, d);
	free(conv);
	return rc;
}

/* The format named with -f failed: say what the input looks like, when that
 * is a format of its own (content only: the file name said nothing). */
static void
looks_like(const char *file, const char *data, size_t len, enum cvbib_format given,
    struct cvbib_diags *d)
{
	enum cvbib_format look = cvbib_format_detect(NULL, data, len);

	if (look == given || look == CVBIB_FMT_TEXT || look == CVBIB_FMT_MARKDOWN)
		return;
	if ((look == CVBIB_FMT_BIBTEX && given == CVBIB_FMT_BIBLATEX) ||
	    (look == CVBIB_FMT_CSLYAML && (given == CVBIB_FMT_RENDERCV ||
	    given == CVBIB_FMT_FRONTMATTER)) ||
	    (look == CVBIB_FMT_HTML && given == CVBIB_FMT_REFLINES) ||
	    ((look == CVBIB_FMT_CSLJSON || look == CVBIB_FMT_JSONRESUME) &&
	    (given == CVBIB_FMT_CSLJSON || given == CVBIB_FMT_JSONRESUME)))
		return;	/* the same syntax: another -f would not help */
	cvb_diag(d, CVB_D_INPUT_LOOKS_LIKE, file, 0, 0, "%s (read it with -f %s)",
	    cvbib_format_name(look), cvbib_format_name(look));
}

static int
read_as(cvbib_biblio *b, const char *data, size_t len, const char *file,
    enum cvbib_format fmt, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	switch (fmt) {
	case CVBIB_FMT_CSLJSON:
		return cvb_read_csljson(b, data, len, file, opts, d);
	case CVBIB_FMT_BIBTEX:
	case CVBIB_FMT_BIBLATEX:
		return cvb_read_bibtex(b, data, len, file, opts, d);
	case CVBIB_FMT_CSLYAML:
	case CVBIB_FMT_RENDERCV:
	case CVBIB_FMT_FRONTMATTER:
		return cvb_read_yaml(b, data, len, file, opts, d);
	case CVBIB_FMT_JSONRESUME:
		return cvb_read_jsonresume(b, data, len, file, opts, d);
	case CVBIB_FMT_TEXT:
		return cvb_read_text_kind(b, data, len, file, CVB_TK_TEXT, opts, d);
	case CVBIB_FMT_MARKDOWN:
		return cvb_read_text_kind(b, data, len, file, CVB_TK_MARKDOWN, opts, d);
	case CVBIB_FMT_HTML:
		return cvb_read_text_kind(b, data, len, file, CVB_TK_HTML, opts, d);
	case CVBIB_FMT_HAYAGRIVA:
		return cvb_read_hayagriva(b, data, len, file, opts, d);
	case CVBIB_FMT_REFLINES:
		return cvb_read_reflines(b, data, len, file, opts, d);
	/* src/formats/ */
	case CVBIB_FMT_RIS:
		return cvb_read_ris(b, data, len, file, opts, d);
	case CVBIB_FMT_ORCID:
		return cvb_read_orcid(b, data, len, file, opts, d);
	case CVBIB_FMT_DBLP:
		return cvb_read_dblp(b, data, len, file, opts, d);
	case CVBIB_FMT_OPENALEX:
		return cvb_read_openalex(b, data, len, file, opts, d);
	case CVBIB_FMT_SCHOLAR_CSV:
		return cvb_read_scholar_csv(b, data, len, file, opts, d);
	case CVBIB_FMT_ENDNOTE_XML:
		return cvb_read_endnote(b, data, len, file, opts, d);
	case CVBIB_FMT_MEDLINE:
		return cvb_read_medline(b, data, len, file, opts, d);
	case CVBIB_FMT_CFF:
		return cvb_read_cff(b, data, len, file, opts, d);
	case CVBIB_FMT_ENW:
		return cvb_read_enw(b, data, len, file, opts, d);
	default:
		cvb_diag(d, CVB_D_UNSUPP_FORMAT, file, 0, 0, "'%s' cannot be read",
		    cvbib_format_name(fmt) ? cvbib_format_name(fmt) : "?");
		return -CVBIB_EUNSUPP;
	}
}

int
cvbib_read_file(cvbib_biblio *b, const char *path, enum cvbib_format fmt,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	char *data;
	size_t len;
	int rc;

	rc = cvb_read_all(path, &data, &len, d);
	if (rc != 0)
		return rc;
	rc = cvbib_read(b, data, len, path, fmt, opts, d);
	free(data);
	return rc;
}

/* --dedupe also applies to data outputs (BibTeX, CSL-JSON, YAML) */
static void
data_dedupe(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    struct cvbib_diags *d)
{
	if (opts->dedupe > 0 && (fmt == CVBIB_FMT_CSLJSON || fmt == CVBIB_FMT_BIBTEX ||
	    fmt == CVBIB_FMT_BIBLATEX || fmt == CVBIB_FMT_CSLYAML || fmt == CVBIB_FMT_RENDERCV ||
	    fmt == CVBIB_FMT_RIS || fmt == CVBIB_FMT_DATAYML || cvbib_format_is_collection(fmt)))
		b->n = cvb_cv_dedupe(b, b->items, b->n, d);
}

int
cvbib_read_done(cvbib_biblio *b, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	unsigned long nm = cvb_nomem_count;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	cvb_cv_read_marks(b);
	return cvb_nomem_end(nm, cvb_bibtex_done(b, opts, d), d);
}

/*
 * Read BibTeX just written (out from byte 'from') back, as the guard for
 * every BibTeX file cvbib writes (issue 20): it must read without an error
 * and give as many entries as b holds.  Otherwise the output is withdrawn
 * (out is cut back to 'from') and an error names the first problem, so that
 * nothing unreadable is written or renamed into place.
 */
static int
bibtex_reads_back(cvbib_biblio *b, enum cvbib_format fmt, struct cvbib_buf *out,
    size_t from, struct cvbib_diags *d)
{
	cvbib_biblio *back = cvbib_biblio_new();
	struct cvbib_diags bd = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	size_t i, n;
	int rc = 0;

	if (back == NULL)
		return -CVBIB_ENOMEM;
	cvbib_options_init(&o);
	o.expand_crossref = 0;
	if (cvbib_read(back, out->buf + from, out->len - from, "(output)", fmt, &o, &bd) == -CVBIB_ENOMEM) {
		rc = -CVBIB_ENOMEM;
		goto out;
	}
	n = cvbib_biblio_count(back);
	for (i = 0; i < bd.n && bd.v[i].level < CVBIB_ERROR; i++)
		;
	if (i < bd.n || n != b->n) {
		cvb_diag(d, CVB_D_BIB_WRITE_CHECK, NULL, 0, 0, "%zu of %zu entries read back%s%s",
		    n, b->n, i < bd.n ? "; " : "", i < bd.n ? bd.v[i].message : "");
		cvb_buf_setlen(out, from);
		rc = -CVBIB_EIO;
	}
out:
	cvbib_diags_release(&bd);
	cvbib_biblio_free(back);
	return rc;
}

static int write_fmt(cvbib_biblio *, enum cvbib_format, const struct cvbib_options *,
    struct cvbib_buf *, struct cvbib_diags *);

int
cvbib_write(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    struct cvbib_buf *out, struct cvbib_diags *d)
{
	unsigned long nm = cvb_nomem_count;
	size_t from = out->len;
	int rc = cvb_nomem_end(nm, write_fmt(b, fmt, opts, out, d), d);

	if (rc == -CVBIB_ENOMEM)
		cvb_buf_setlen(out, from);	/* no part of an output */
	return rc;
}

static int
write_fmt(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    struct cvbib_buf *out, struct cvbib_diags *d)
{
	struct cvbib_options defaults;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	cvbib_read_done(b, opts, d);
	data_dedupe(b, fmt, opts, d);
	switch (fmt) {
	case CVBIB_FMT_CSLJSON:
		return cvb_write_csljson(b, opts, out, d);
	case CVBIB_FMT_BIBTEX: {
		size_t from = out->len;
		int rc = cvb_write_bibtex(b, opts, out, d);

		if (rc == 0)
			rc = bibtex_reads_back(b, fmt, out, from, d);
		return rc;
	}
	case CVBIB_FMT_BIBLATEX: {
		/* the CV owner's names become author+an annotations (doc/cv.md) */
		struct cvbib_options eff;
		size_t from = out->len;
		int rc;

		if (opts->latex_preamble)
			return cvb_cv_biblatex_preamble(b, opts, out, d);
		rc = cvb_cv_prepare(b, opts, &eff, d);
		if (rc == 0)
			rc = cvb_write_biblatex(b, opts, out, d);
		if (rc == 0)
			rc = cvb_cv_biblatex_annotate(b, out, from);
		if (rc == 0)
			rc = bibtex_reads_back(b, fmt, out, from, d);
		return rc;
	}
	case CVBIB_FMT_CSLYAML:
		return cvb_write_cslyaml(b, opts, out, d);
	case CVBIB_FMT_RENDERCV:
		return cvb_write_rendercv(b, opts, out, d);
	case CVBIB_FMT_REFPRED:
		return cvb_write_refpred(b, opts, out, d);
	case CVBIB_FMT_TEXT:
		return cvb_write_formatted(b, CVBIB_OUT_TEXT, opts, out, d);
	case CVBIB_FMT_MARKDOWN:
		return cvb_write_formatted(b, CVBIB_OUT_MARKDOWN, opts, out, d);
	case CVBIB_FMT_HTML:
		return cvb_write_formatted(b, CVBIB_OUT_HTML, opts, out, d);
	case CVBIB_FMT_LATEX:
		return cvb_write_formatted(b, CVBIB_OUT_LATEX, opts, out, d);
	/* src/formats/ */
	case CVBIB_FMT_RIS:
		return cvb_write_ris(b, opts, out, d);
	case CVBIB_FMT_ACADEMICPAGES:
	case CVBIB_FMT_HUGOBLOX:
		return cvb_write_site(b, fmt, opts, out, d);
	case CVBIB_FMT_DATAYML:
		return cvb_write_datayml(b, opts, out, d);
	case CVBIB_FMT_TYPST:
		return cvb_write_formatted(b, CVBIB_OUT_TYPST, opts, out, d);
	case CVBIB_FMT_TYPST_DATA:
		return cvb_write_typst_data(b, opts, out, d);
	case CVBIB_FMT_HAYAGRIVA:
		return cvb_write_hayagriva(b, opts, out, d);
	default:
		cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "'%s' cannot be written",
		    cvbib_format_name(fmt) ? cvbib_format_name(fmt) : "?");
		return -CVBIB_EUNSUPP;
	}
}

int
cvbib_write_to(cvbib_biblio *b, enum cvbib_format fmt, const struct cvbib_options *opts,
    cvbib_sink_fn *sink, void *ctx, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	struct cvb_buf out = CVB_BUF_INIT;
	unsigned long nm = cvb_nomem_count;
	int rc;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	if (fmt == CVBIB_FMT_CSLJSON) {
		rc = cvbib_read_done(b, opts, d);
		if (rc == 0) {
			data_dedupe(b, fmt, opts, d);
			rc = cvb_nomem_end(nm, cvb_write_csljson_to(b, opts, &out, sink, ctx, d), d);
		}
	} else {
		rc = cvbib_write(b, fmt, opts, &out, d);
		if (rc == 0 && sink(ctx, out.buf, out.len) != 0)
			rc = -CVBIB_EIO;
	}
	cvbib_buf_release(&out);
	return rc;
}

int
cvbib_format_is_collection(enum cvbib_format f)
{
	return f == CVBIB_FMT_ACADEMICPAGES || f == CVBIB_FMT_HUGOBLOX;
}

int
cvbib_write_dir(cvbib_biblio *b, enum cvbib_format fmt, const char *dir,
    const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	unsigned long nm = cvb_nomem_count;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	cvbib_read_done(b, opts, d);
	if (!cvbib_format_is_collection(fmt)) {
		cvb_diag(d, CVB_D_UNSUPP_FORMAT, NULL, 0, 0, "'%s' is not written into a directory",
		    cvbib_format_name(fmt) ? cvbib_format_name(fmt) : "?");
		return -CVBIB_EUNSUPP;
	}
	data_dedupe(b, fmt, opts, d);
	return cvb_nomem_end(nm, cvb_write_site_dir(b, fmt, dir, opts, d), d);
}
