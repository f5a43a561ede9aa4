/*
 * cvbib.h - the public interface of libcvbib.
 *
 * libcvbib reads bibliographies (BibTeX/biblatex, CSL-JSON, CSL-YAML, CV data,
 * free-text CVs) into one citation model, enriches them from DOI registries, and
 * writes them back out (BibTeX, CSL-JSON/YAML, or reference lists formatted by a
 * CSL 1.0.2 style).
 *
 * Conventions (see doc/internals.md):
 *  - Every call that can fail returns 0 on success or a negative enum cvbib_code.
 *  - The library never prints and never exits.  Problems found in the input are
 *    appended to a caller-owned struct cvbib_diags; the call still succeeds when
 *    it could skip the bad part (one bad entry never loses the rest).
 *  - Everything parsed from input lives in the cvbib_biblio's arena and is freed
 *    by cvbib_biblio_free().
 *  - Results are written into a caller-supplied struct cvbib_buf.
 */
#ifndef CVBIB_H
#define CVBIB_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CVBIB_VERSION "0.1.0"

/* Return codes.  0 is success; the library returns these negated. */
enum cvbib_code {
	CVBIB_OK = 0,
	CVBIB_ENOMEM = 1,	/* out of memory */
	CVBIB_EINPUT = 2,	/* the input could not be read at all */
	CVBIB_EUSAGE = 3,	/* bad arguments or options */
	CVBIB_EIO = 4,		/* a file could not be opened, read or written */
	CVBIB_ENET = 5,		/* a network failure */
	CVBIB_EUNSUPP = 6,	/* a format or feature this build lacks */
	CVBIB_ESTYLE = 7,	/* a CSL style or locale could not be loaded */
};

/*
 * Diagnostic levels, ordered by severity.  The CLI's exit status is derived from
 * the worst level reached (see cvbib.1, EXIT STATUS).
 */
enum cvbib_level {
	CVBIB_NOTE = 0,
	CVBIB_WARNING,
	CVBIB_ERROR,		/* bad input; the bad part was skipped */
	CVBIB_UNSUPP,		/* input uses something cvbib cannot handle */
	CVBIB_NETWORK,		/* a lookup failed */
	CVBIB_USAGE,		/* bad command line */
	CVBIB_SYSERR,		/* out of memory, I/O failure */
	CVBIB_LEVEL__COUNT
};

/* One diagnostic.  line and column are 1-based; 0 means unknown. */
struct cvbib_diag {
	int		 code;		/* enum cvb_dcode, see src/diag.in */
	enum cvbib_level level;
	const char	*file;		/* owned by the diags list */
	unsigned	 line, column;
	size_t		 offset;	/* byte offset into the input */
	char		*message;	/* owned by the diags list */
};

/* A list of diagnostics owned by the caller. */
struct cvbib_diags {
	struct cvbib_diag *v;
	size_t		 n, alloc;
	enum cvbib_level worst;		/* highest level appended; NOTE when none */
	int		 nerrors;	/* diagnostics at ERROR level or above */
	enum cvbib_level minlevel;	/* diagnostics below this are dropped */
};
#define CVBIB_DIAGS_INIT { NULL, 0, 0, CVBIB_NOTE, 0, CVBIB_NOTE }
void	cvbib_diags_release(struct cvbib_diags *);
/* Format one diagnostic as "cvbib: FILE:LINE:COL: level: message" into a malloc'd string. */
char   *cvbib_diag_format(const struct cvbib_diag *);
const char *cvbib_level_name(enum cvbib_level);
const char *cvbib_strerror(int code);

/*
 * A growable string.  Invariants: buf is never NULL and always NUL-terminated;
 * appends return void and record a failure in err (ENOMEM, or growth past max
 * when max != 0), which is checked once at the end.
 */
struct cvbib_buf {
	char	*buf;
	size_t	 len, alloc, max;
	int	 err;
};
extern char cvbib_buf_slopbuf[];
#define CVBIB_BUF_INIT { cvbib_buf_slopbuf, 0, 0, 0, 0 }
void	cvbib_buf_release(struct cvbib_buf *);
/* Hand the string over; the caller frees it.  The buffer is reset. */
char   *cvbib_buf_detach(struct cvbib_buf *, size_t *lenp);

/* Input and output formats. */
enum cvbib_format {
	CVBIB_FMT_AUTO = 0,
	CVBIB_FMT_CSLJSON,
	CVBIB_FMT_CSLYAML,
	CVBIB_FMT_BIBTEX,
	CVBIB_FMT_BIBLATEX,
	CVBIB_FMT_RENDERCV,
	CVBIB_FMT_JSONRESUME,
	CVBIB_FMT_FRONTMATTER,	/* Jekyll/Hugo publication front matter */
	CVBIB_FMT_TEXT,		/* free text CV in, formatted plain text out */
	CVBIB_FMT_MARKDOWN,
	CVBIB_FMT_HTML,
	CVBIB_FMT_LATEX,
	CVBIB_FMT_REFLINES,	/* one reference string per line */
	CVBIB_FMT_REFPRED,	/* refparse prediction JSONL (output only) */
	CVBIB_FMT__COUNT
};
/* Name of a format as used by --from/--format; NULL for AUTO. */
const char *cvbib_format_name(enum cvbib_format);
/* Look a format name up; returns CVBIB_FMT_AUTO when unknown. */
enum cvbib_format cvbib_format_lookup(const char *name);
/* Guess the input format from a file name and its first bytes. */
enum cvbib_format cvbib_format_detect(const char *filename, const char *data, size_t len);

/*
 * Options shared by readers, writers and the other stages.  Start from
 * cvbib_options_init(); every field has a documented default there.
 */
/*
 * Progress of cvbib_enrich().  The library never prints: a caller that wants a
 * progress bar, plain progress lines or a dry-run diff sets options.progress
 * and gets these events, in order: one BEGIN; for each entry looked up, zero
 * or more CHANGE events (one per field changed, or that would change with
 * dry_run) and then one ITEM; one END.  The strings are valid only during
 * the call.
 */
enum cvbib_enrich_event {
	CVBIB_ENRICH_BEGIN,	/* total is known */
	CVBIB_ENRICH_CHANGE,	/* field, old_value (NULL: was missing), new_value */
	CVBIB_ENRICH_ITEM,	/* one entry is done; status says how */
	CVBIB_ENRICH_END,	/* the counts are final */
};
struct cvbib_enrich_progress {
	enum cvbib_enrich_event event;
	size_t		 total;		/* entries to look up */
	size_t		 done;		/* entries finished so far */
	size_t		 looked_up, updated, unchanged, not_found, failed;
	size_t		 offline;	/* not in the cache with --offline */
	const char	*key;		/* CHANGE, ITEM: the entry's key or id */
	const char	*file;		/* CHANGE, ITEM: where the entry is */
	unsigned	 line;
	const char	*doi;		/* CHANGE, ITEM: the DOI used, or NULL */
	const char	*source;	/* CHANGE, ITEM: "Crossref", "DataCite", ... */
	const char	*status;	/* ITEM: "updated", "unchanged", "not found",
					 * "no match", "failed", "offline" */
	const char	*field, *old_value, *new_value;	/* CHANGE */
};
typedef void cvbib_progress_fn(const struct cvbib_enrich_progress *, void *ctx);

struct cvbib_options {
	/* reading */
	const char	*encoding;	/* input encoding for BibTeX; NULL: detect */
	int		 expand_crossref; /* apply crossref/xref/xdata inheritance */

	/* writing */
	const char	*key_pattern;	/* citation key pattern, e.g. "[auth][year][title]" */
	int		 ascii;		/* write BibTeX as 7-bit (LaTeX-encoded) */

	/* CSL formatting */
	const char	*style;		/* style name or path to .csl; NULL: apa */
	const char	*locale;	/* locale name; NULL: style's default or en-US */
	const char	*styles_dir;	/* extra directory for styles and locales */
	const char	*locales_dir;	/* directory of CSL locales-xx-XX.xml files,
					   searched first */
	const char *const *style_dirs;	/* the user's directories of styles (NAME.csl)
					   and locales, searched after styles_dir and
					   before cvbib's own styles; NULL-terminated
					   (the CLI: $CVBIB_STYLES, then
					   $XDG_DATA_HOME/cvbib/styles) */
	const char	*system_csl_dir; /* the system's CSL directory, with styles/,
					   styles/dependent/ and locales/ (Debian's
					   citation-style-language-styles and -locales),
					   searched after cvbib's own styles; NULL:
					   /usr/share/citation-style-language; "": none */

	/* CV presentation */
	const char	**highlight;	/* NULL-terminated list of names to highlight */
	const char	*owner_in_etal;	/* show|all|style: a highlighted owner that
					   et-al would hide is shown (the names up
					   to it, or an ellipsis and it), all names
					   are shown, or the style decides; NULL: show */
	const char	*group_by;	/* type|year|keyword|selected|none */
	const char	*sort;		/* newest|oldest|author|title|none */
	int		 countdown;	/* number entries counting down */
	int		 group_prefix;	/* number as J1.., C1.. */
	int		 dedupe;	/* merge duplicates across inputs */
	int		 standalone;	/* whole HTML page */
	const char	*latex_list;	/* itemize|enumerate|thebibliography */
	int		 latex_preamble;
	const char	*groups;	/* group order, prefixes and headings (doc/cv.md) */

	/* enrichment */
	const char	*crossref_url;	/* base URL; NULL: https://api.crossref.org */
	const char	*datacite_url;
	const char	*doiorg_url;
	const char	*mailto;	/* contact for the User-Agent */
	const char	*cache_dir;	/* NULL: $XDG_CACHE_HOME/cvbib */
	int		 no_cache, offline, dry_run, find_missing;
	const char	*overwrite;	/* NULL: fill missing only; "all" or a,b,c */
	int		 quiet;
	int		 progress_tty;	/* stderr is a terminal */
	double		 timeout;	/* seconds per request */
	int		 refresh;	/* look up entries that have a DOI (the
					 * default when find_missing is not set) */
	int		 max_retries;	/* retries per request; 0: the default, 4;
					 * negative: none */
	double		 backoff;	/* first retry delay in seconds; 0: 1 s */
	cvbib_progress_fn *progress;	/* NULL: no progress events */
	void		*progress_ctx;
};
void	cvbib_options_init(struct cvbib_options *);

/* A bibliography: items and everything they point to, in one arena. */
typedef struct cvbib_biblio cvbib_biblio;

cvbib_biblio *cvbib_biblio_new(void);
void	cvbib_biblio_free(cvbib_biblio *);
size_t	cvbib_biblio_count(const cvbib_biblio *);
/* The format of the first input read into b (AUTO before any). */
enum cvbib_format cvbib_biblio_input_format(const cvbib_biblio *);

/*
 * Read data (len bytes, not necessarily NUL-terminated) named filename (used
 * in diagnostics; may be "-") in format fmt (AUTO: detect) and append its
 * items to b.  Problems are appended to diags; a bad entry is reported and
 * skipped.  Returns 0, or a negative code when nothing could be read.
 */
int	cvbib_read(cvbib_biblio *b, const char *data, size_t len,
	    const char *filename, enum cvbib_format fmt,
	    const struct cvbib_options *, struct cvbib_diags *);

/* Read a whole file (or stdin for "-") and then cvbib_read() it. */
int	cvbib_read_file(cvbib_biblio *b, const char *path, enum cvbib_format fmt,
	    const struct cvbib_options *, struct cvbib_diags *);

/*
 * After the last cvbib_read(): resolve what needs every input (a BibTeX
 * crossref, xdata or granular xdata reference whose target is in another
 * input file) and report the targets still missing.  cvbib_write() calls it
 * when the caller did not; calling it again does nothing.
 */
int	cvbib_read_done(cvbib_biblio *b, const struct cvbib_options *,
	    struct cvbib_diags *);

/* Write b in format fmt, appending to out. */
int	cvbib_write(cvbib_biblio *b, enum cvbib_format fmt,
	    const struct cvbib_options *, struct cvbib_buf *out,
	    struct cvbib_diags *);

/*
 * Write data to path through a temporary file in the same directory that is
 * renamed into place only when everything was written.  With backup_suffix
 * non-NULL, an existing file is first kept as path+backup_suffix.
 */
int	cvbib_write_file_atomic(const char *path, const char *data, size_t len,
	    const char *backup_suffix, struct cvbib_diags *);

/*
 * Streamed output.  A sink receives the output piece by piece and returns 0,
 * or non-zero to stop the writer (which then returns -CVBIB_EIO).
 * cvbib_write_to() writes b in format fmt to a sink: CSL-JSON is streamed, so
 * that memory does not grow with the output; the other formats are built
 * whole and handed over in one piece, only when writing succeeded.
 */
typedef int cvbib_sink_fn(void *ctx, const char *data, size_t len);
int	cvbib_write_to(cvbib_biblio *b, enum cvbib_format fmt,
	    const struct cvbib_options *, cvbib_sink_fn *sink, void *ctx,
	    struct cvbib_diags *);

/*
 * cvbib_write_file_atomic() in pieces: open a temporary file beside path,
 * write to it with cvbib_atomic_sink (ctx: the cvbib_atomic), then either
 * commit (sync, keep path+backup_suffix when backup_suffix is non-NULL, and
 * rename into place) or abort (remove the temporary file; path is untouched).
 * Both free the handle.  Open fails only for lack of memory; a file that
 * cannot be created or written is reported by the commit, which then
 * returns -CVBIB_EIO and leaves path untouched.
 */
typedef struct cvbib_atomic cvbib_atomic;
int	cvbib_atomic_open(cvbib_atomic **, const char *path);
int	cvbib_atomic_sink(void *atomic, const char *data, size_t len);
int	cvbib_atomic_commit(cvbib_atomic *, const char *backup_suffix,
	    struct cvbib_diags *);
void	cvbib_atomic_abort(cvbib_atomic *);

/*
 * Enrich b from DOI registries (Crossref, DataCite, doi.org).  See
 * doc/enrich.md for what is filled, overwritten and reported.
 *  - Entries with a DOI (in DOI, or a DOI link in URL or note) are looked up
 *    (options.refresh); entries without one are searched for when
 *    options.find_missing is set, and a candidate is only taken above the bar
 *    documented in doc/enrich.md.
 *  - Every change is a CVBIB_NOTE diagnostic and a CHANGE progress event;
 *    with dry_run nothing in b is changed.  Entries whose lookup failed get a
 *    CVBIB_NETWORK diagnostic and are left as they were.
 *  - Base URLs default to https://api.crossref.org, https://api.datacite.org
 *    and https://doi.org.  When the environment variable CVBIB_NO_NETWORK is
 *    set (and not "0"), every request to an address other than loopback is
 *    refused, whatever the options say (tests rely on this).
 *  - The cache lives in cache_dir, else $XDG_CACHE_HOME/cvbib, else
 *    ~/.cache/cvbib.
 * Returns 0, or a negative code when enrichment could not run at all.
 */
int	cvbib_enrich(cvbib_biblio *b, const struct cvbib_options *,
	    struct cvbib_diags *);

/*
 * The CSL engine.  A style is loaded once and applied to many bibliographies.
 */
typedef struct cvbib_style cvbib_style;

/*
 * Load a style by file path or name (and its locale).  A name is looked for
 * in opts->styles_dir, opts->style_dirs, cvbib's own styles and the system's
 * CSL directory, in that order; a dependent style loads its
 * independent-parent (beside it first).  A style not found is reported with
 * the places searched and close names.
 */
int	cvbib_style_load(cvbib_style **out, const char *name_or_path,
	    const char *locale, const struct cvbib_options *,
	    struct cvbib_diags *);
/* Load a style from memory (xml, len); locale as above. */
int	cvbib_style_load_mem(cvbib_style **out, const char *xml, size_t len,
	    const char *filename, const char *locale,
	    const struct cvbib_options *, struct cvbib_diags *);
void	cvbib_style_free(cvbib_style *);

/* A style on the search path (cvbib_style_list). */
struct cvbib_style_info {
	char	*name;		/* NAME of NAME.csl */
	char	*title;		/* its <title>, or NULL */
	char	*where;		/* its directory, or "cvbib" for cvbib's own */
	char	*parent;	/* a dependent style's independent-parent, or NULL */
};
/*
 * Every style reachable by name (the first of each name on the search path),
 * sorted by name; with a pattern, those whose name or title contains it
 * (case-insensitive) or, when it has * ? or [, matches it as a shell
 * pattern.  *out is malloc'd: free it with cvbib_style_list_free().
 */
int	cvbib_style_list(const struct cvbib_options *, const char *pattern,
	    struct cvbib_style_info **out, size_t *n);
void	cvbib_style_list_free(struct cvbib_style_info *, size_t n);

/* Output formats of the CSL engine. */
enum cvbib_outfmt {
	CVBIB_OUT_TEXT = 0,
	CVBIB_OUT_MARKDOWN,
	CVBIB_OUT_HTML,
	CVBIB_OUT_LATEX,
};

/* Format the bibliography of all items in b, in the style's order. */
int	cvbib_format_bibliography(cvbib_style *, cvbib_biblio *,
	    enum cvbib_outfmt, struct cvbib_buf *out, struct cvbib_diags *);

/* One cite inside a citation cluster. */
struct cvbib_cite {
	const char	*id;		/* item id */
	const char	*locator;	/* NULL: none */
	const char	*label;		/* locator label ("page", ...); NULL: page */
	const char	*prefix, *suffix;
	int		 suppress_author, author_only;
	int		 position;	/* filled in by the engine when 0; a caller may
					   force 1 first, 2 subsequent, 3 ibid,
					   4 ibid-with-locator */
	int		 near_note;	/* filled in by the engine */
};
/* A citation cluster. */
struct cvbib_citation {
	const char	*id;		/* citation id, may be NULL */
	int		 note_index;	/* footnote number; 0 for in-text */
	struct cvbib_cite *cites;
	size_t		 ncites;
};
/*
 * Format a sequence of citation clusters in document order.  Each cluster's
 * output is appended to out followed by a newline.
 */
int	cvbib_format_citations(cvbib_style *, cvbib_biblio *,
	    struct cvbib_citation *cits, size_t ncits, enum cvbib_outfmt,
	    struct cvbib_buf *out, struct cvbib_diags *);

#ifdef __cplusplus
}
#endif
#endif /* CVBIB_H */
