/*
 * fmt.h - what the readers and writers of src/formats/ share: a reading
 * context, trimmed strings, names in "Family, Given" or "Given Family" form
 * (through the BibTeX name grammar), the date forms of exported records,
 * DOIs, pages, keywords, citation keys, and JSON with positions.
 * Private to src/formats/; the entry points are declared in cvb_int.h.
 */
#ifndef CVB_FMT_H
#define CVB_FMT_H

#include "cvb_int.h"

struct json_t;
struct cvb_ytree;

struct fmt {
	cvbib_biblio	*b;
	const char	*file;
	struct cvbib_diags *d;
	struct cvb_keyset keys;		/* ids in b, for new citation keys */
	bool		 keys_made;
	struct cvb_ytree *tree;		/* JSON input: positions, or NULL */
	size_t		 before;	/* items in b before this input */
	int		 errs;		/* d->nerrors before this input */
};
void	fmt_begin(struct fmt *, cvbib_biblio *, const char *file, struct cvbib_diags *);
/* Report an input that gave nothing; returns 0 or -CVBIB_ENOMEM. */
int	fmt_end(struct fmt *, const char *what);

/* s[0..n) trimmed of white space into the arena; NULL when empty. */
const char *fmt_strn(struct fmt *, const char *s, size_t n);
const char *fmt_str(struct fmt *, const char *s);
/* Set var when s is not empty (trimmed); keep a value already set unless over. */
void	fmt_set(struct fmt *, struct cvb_item *, enum cvb_var, const char *s, bool over);
/* s with its LaTeX math ($...$, safe to write as LaTeX) in nocase spans, as
 * the BibTeX reader keeps math; s itself when it holds none. */
const char *fmt_math(struct fmt *, const char *s);
/* A title without the period DBLP and PubMed end every title with. */
const char *fmt_strip_period(struct fmt *, const char *s);
/* Append to a string variable with a separator (keywords, notes). */
void	fmt_append(struct fmt *, struct cvb_item *, enum cvb_var, const char *s, const char *sep);
/* One person's name, "Family, Given", "Family, Jr, Given" or "Given Family". */
struct cvb_name *fmt_name(struct fmt *, const char *s, size_t n);
/* A name from its parts (either may be NULL). */
struct cvb_name *fmt_name_parts(struct fmt *, const char *family, const char *given);
/* fmt_name(), and "Smith JA" read as family name and initials. */
struct cvb_name *fmt_name_vancouver(struct fmt *, const char *s, size_t n);
/* Add a name (fmt_name_vancouver()) to the list v of it. */
void	fmt_add_name(struct fmt *, struct cvb_item *, enum cvb_nvar, const char *s, size_t n);
/*
 * Dates as exports write them: "2016/12//", "1991/aug/", "2012///",
 * "2018/10/11/12:08:56", "1996 Jul 9", "2020-05-03", "2019 Spring",
 * "Mar 2003".  NULL when no year is found.
 */
struct cvb_date *fmt_date(struct fmt *, const char *s);
struct cvb_date *fmt_date_ymd(struct fmt *, int y, int m, int d);
/* A DOI in any of its forms (URL, "doi:"); false when s holds none. */
bool	fmt_doi(struct fmt *, struct cvb_item *, const char *s);
/* Keywords, one or several split at ';' ',' or line ends, joined by ", ". */
void	fmt_keywords(struct fmt *, struct cvb_item *, const char *v);
/* Does s look like an ISSN ("1234-567X", "00224049")? */
bool	fmt_looks_issn(const char *s);
/* An arXiv id (as BibTeX's eprint with archivePrefix arXiv). */
void	fmt_arxiv(struct fmt *, struct cvb_item *, const char *id);
/*
 * Read one BibTeX entry (text) and fill what it has and it lacks (fill
 * missing only, as enrichment does).  Its own problems are not reported:
 * the blob is a hint.  Returns true when an entry was read.
 */
bool	fmt_merge_bibtex(struct fmt *, struct cvb_item *it, const char *text);
/* "12-34", "12--34", first and last page given apart. */
void	fmt_pages(struct fmt *, struct cvb_item *, const char *first, const char *last);
/* The item's id and key: key given (may be NULL), else made from the item. */
void	fmt_key(struct fmt *, struct cvb_item *, const char *key);
/* A type by name in a table {name, csl type}; CVB_T_NONE when unknown. */
struct fmt_type { const char *name; enum cvb_type type; };
enum cvb_type fmt_type(const struct fmt_type *, const char *name);
/* Keep a field no mapping knows (as a string); given again, a line is added. */
void	fmt_extra(struct fmt *, struct cvb_item *, const char *name, const char *value);

/*
 * The lines of one record of a tagged format (RIS, MEDLINE, EndNote tagged
 * text): each tag (up to four characters) with its value, malloc'd, and the
 * line it is on.  fmt_trec_clear() frees the values and keeps the array;
 * fmt_trec_release() frees everything.  Adding returns 0, or -1 when out of
 * memory.
 */
struct fmt_tline {
	char	 tag[5];
	char	*value;
	unsigned line;
};
struct fmt_trec {
	struct fmt_tline *v;
	size_t	 n, alloc;
	unsigned line;			/* of the record's first line */
};
/* The lines of a tagged file: fmt_lines_next() gives each in turn (its start,
 * its length without the line end, and with trim without trailing blanks),
 * and its number in ln.line; false at the end.  A byte-order mark is skipped. */
struct fmt_lines { const char *p, *end; unsigned line; };
void	fmt_lines_init(struct fmt_lines *, const char *data, size_t len);
bool	fmt_lines_next(struct fmt_lines *, const char **s, size_t *n, bool trim);

/* A tag of a tagged format that sets one variable with its value as it is:
 * tags lists its spellings separated by '|' ("VL|VO"); a table ends with NULL. */
struct fmt_tagvar { const char *tags; enum cvb_var var; };
bool	fmt_tag_set(struct fmt *, struct cvb_item *, const struct fmt_tagvar *, const char *tag,
	    const char *v);
int	fmt_trec_add(struct fmt_trec *, const char *tag, size_t taglen, const char *v, size_t n,
	    unsigned line);
/* A continuation line: v, without its leading blanks, appended to the last
 * value after sep (no sep before an empty value; nothing for an empty v). */
int	fmt_trec_cont(struct fmt_trec *, const char *v, size_t n, char sep);
void	fmt_trec_clear(struct fmt_trec *);
void	fmt_trec_release(struct fmt_trec *);

/* JSON: jansson, with positions through libyaml when it can (f->tree). */
struct json_t *fmt_json_load(struct fmt *, const char *data, size_t len);
void	fmt_json_pos(struct fmt *, const struct json_t *parent, const char *key,
	    size_t idx, unsigned *line, unsigned *col);
/* A string member ("key": "v" or "key": {"value": "v"}); NULL when absent. */
const char *fmt_jstr(const struct json_t *o, const char *key);

/* Byte offset to line:column for line-based formats. */
void	fmt_linecol(const char *data, size_t off, unsigned *line, unsigned *col);

/* Does a string hold a case-insensitive prefix?  */
bool	fmt_prefix(const char *s, const char *p);

/* The owner of a profile export (ORCID, DBLP, OpenAlex) as a name the CV
 * layer highlights when no --highlight is given. */
void	fmt_owner(struct fmt *, const char *name);

/* Do the first lines read as MEDLINE tag lines (medline.c)? */
bool	fmt_medline_lines(const char *s, size_t n);
/* EndNote's reference type names ("Journal Article"); endnote.c. */
enum cvb_type fmt_endnote_type(const char *name);
/* Does text start with a Google Scholar CSV header line (scholar_csv.c)? */
bool	fmt_scholar_header(const char *s, size_t n);

#endif
