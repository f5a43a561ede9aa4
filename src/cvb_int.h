/*
 * cvb_int.h - declarations shared by the modules of libcvbib.  Not installed.
 *
 * Sections are headed by the file that defines them.  Public names are in
 * cvbib.h; internal non-static names use the cvb_ prefix.
 *
 * THE MODEL (doc/model.md says the same in prose)
 *  - A struct cvb_item has a CSL type and the CSL 1.0.2 variables: string and
 *    number variables in str[], dates in date[], names in names[], each indexed
 *    by an enum generated from vars.in.  NULL means absent.
 *  - Strings are UTF-8 "CSL rich text": the tags <i> <b> <sup> <sub>
 *    <span style="font-variant:small-caps;"> and <span class="nocase"> are
 *    markup (exactly as in CSL-JSON); everything else is literal text,
 *    including '&', '<' and '>' that do not open one of those tags.  Math from
 *    LaTeX is kept as <span class="nocase">$...$</span> with the dollars.
 *    rich.c tokenises this form; every writer goes through it.
 *  - Beyond CSL: key (citation key), extra (fields no mapping knows, in input
 *    order), flags and notes (equal contribution, award, status, ...), and loc
 *    (where the item came from).
 *  - All of it lives in the bibliography's arena.
 */
#ifndef CVB_INT_H
#define CVB_INT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "cvbib.h"

#if defined(__GNUC__)
#define CVB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CVB_UNUSED __attribute__((unused))
#else
#define CVB_PRINTF(f, a)
#define CVB_UNUSED
#endif

#define CVB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Checks that cannot fail unless cvbib itself is wrong. */
#define CVB_BUG(msg) cvb_bug(__FILE__, __LINE__, (msg))
void	cvb_bug(const char *file, int line, const char *msg);

/* ---------------------------------------------------------------- arena.c */
/*
 * Allocation failures of this thread, counted (a counter, so that calls
 * nested in one another each see their own): the arena, cvb_buf and the
 * modules that get no memory from malloc() and cannot go on as well without
 * it call cvb_nomem().  Every public call that reads, writes or formats takes
 * the count on entry and ends with cvb_nomem_end(), which turns a failure the
 * call swallowed (an entry or a field left out) into -CVBIB_ENOMEM and an
 * "out of memory" diagnostic: a run never succeeds with part of its result
 * missing (issue 20, finding 8; tests/alloc/alloc-fail.c).
 */
extern _Thread_local unsigned long cvb_nomem_count;
void	cvb_nomem(void);
int	cvb_nomem_end(unsigned long start, int rc, struct cvbib_diags *);

/* xmlquiet.c: around every use of libxml2, its global error handlers are
 * ones that print nothing and count an allocation failure (cvb_nomem()); the
 * caller's are saved in q and put back by the end call. */
struct cvb_xml_quiet {
	void	(*serr)(void), (*gerr)(void);
	void	*sctx, *gctx;
};
void	cvb_xml_quiet_begin(struct cvb_xml_quiet *q);
void	cvb_xml_quiet_end(const struct cvb_xml_quiet *q);
/* htmlReadMemory() of UTF-8 text, safe when libxml2's allocations fail */
struct _xmlDoc *cvb_html_parse(const char *data, size_t len, int options);

/*
 * A bump allocator.  Memory is freed only all at once.  Allocation failure is
 * sticky: cvb_arena_alloc() returns NULL and sets a->err.
 */
struct cvb_arena_block {
	struct cvb_arena_block *next;
	size_t	 used, size;
	bool	 mapped;	/* from mmap() (arena.c) */
	_Alignas(max_align_t) unsigned char data[];
};
struct cvb_arena {
	struct cvb_arena_block *head;
	size_t	 total;		/* bytes of its blocks */
	int	 err;
};
#define CVB_ARENA_ALIGN	(sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double))
/* n bytes, aligned, not cleared: a new block (or NULL) when the head is full */
void	*cvb_arena_take_slow(struct cvb_arena *, size_t);
/* The common case, inline: the renderer allocates a million nodes for a
 * bibliography of 5,000 items. */
static inline void *
cvb_arena_take(struct cvb_arena *a, size_t n)
{
	struct cvb_arena_block *b = a->head;
	size_t need = (n + CVB_ARENA_ALIGN - 1) & ~(CVB_ARENA_ALIGN - 1);

	if (b != NULL && need >= n && b->size - b->used >= need) {
		void *p = b->data + b->used;

		b->used += need;
		return p;
	}
	return cvb_arena_take_slow(a, n);
}
/* zeroed, aligned */
static inline void *
cvb_arena_alloc(struct cvb_arena *a, size_t n)
{
	void *p = cvb_arena_take(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}
char	*cvb_arena_strndup(struct cvb_arena *, const char *, size_t);
char	*cvb_arena_strdup(struct cvb_arena *, const char *);
char	*cvb_arena_printf(struct cvb_arena *, const char *, ...) CVB_PRINTF(2, 3);
void	 cvb_arena_release(struct cvb_arena *);

/* ------------------------------------------------------------------ buf.c */
#define cvb_buf cvbib_buf
#define CVB_BUF_INIT CVBIB_BUF_INIT
void	cvb_buf_grow(struct cvb_buf *, size_t extra);
void	cvb_buf_add_slow(struct cvb_buf *, const void *, size_t);
/* Append n bytes / one byte; inline when they fit (the renderer and the
 * CSL-JSON writer append millions of small pieces). */
static inline void
cvb_buf_add(struct cvb_buf *b, const void *data, size_t n)
{
	if (n < b->alloc - b->len && !b->err && b->max == 0) {
		memcpy(b->buf + b->len, data, n);
		b->len += n;
		b->buf[b->len] = '\0';
		return;
	}
	cvb_buf_add_slow(b, data, n);
}
static inline void
cvb_buf_addch(struct cvb_buf *b, int c)
{
	if (b->len + 2 <= b->alloc && !b->err && b->max == 0) {
		b->buf[b->len++] = (char)c;
		b->buf[b->len] = '\0';
		return;
	}
	{
		char ch = (char)c;

		cvb_buf_add_slow(b, &ch, 1);
	}
}
void	cvb_buf_adds(struct cvb_buf *, const char *);
void	cvb_buf_addf(struct cvb_buf *, const char *, ...) CVB_PRINTF(2, 3);
void	cvb_buf_vaddf(struct cvb_buf *, const char *, va_list);
void	cvb_buf_reset(struct cvb_buf *);
void	cvb_buf_setlen(struct cvb_buf *, size_t);
/* Append a Unicode code point as UTF-8. */
void	cvb_buf_addcp(struct cvb_buf *, uint32_t cp);

/* ----------------------------------------------------------------- diag.c */
enum cvb_dcode {
#define DIAG(id, level, text) CVB_D_##id,
#include "core/diag.in"
#undef DIAG
	CVB_D__COUNT
};
/*
 * Append a diagnostic.  fmt is appended to the catalogue text of code when the
 * catalogue text ends in ':' (e.g. "unknown variable: 'foo'").
 */
void	cvb_diag(struct cvbib_diags *, enum cvb_dcode, const char *file,
	    unsigned line, unsigned col, const char *fmt, ...) CVB_PRINTF(6, 7);
void	cvb_vdiag(struct cvbib_diags *, enum cvb_dcode, const char *file,
	    unsigned line, unsigned col, const char *fmt, va_list);
enum cvbib_level cvb_diag_level(enum cvb_dcode);
const char *cvb_diag_text(enum cvb_dcode);

/* --------------------------------------------------------------- srcmap.c */
/* Maps byte offsets of one input to 1-based line and column (in characters). */
struct cvb_srcmap {
	const char	*data;
	size_t		 len;
	size_t		*lines;		/* offsets of line starts */
	size_t		 nlines;
	/* the last answer, so that queries in increasing order cost O(n) in all,
	 * even for one long line (a whole CSL-JSON file on one line) */
	size_t		 last_off, last_line;
	unsigned	 last_col;
};
int	cvb_srcmap_init(struct cvb_srcmap *, const char *data, size_t len);
void	cvb_srcmap_pos(const struct cvb_srcmap *, size_t off,
	    unsigned *line, unsigned *col);
void	cvb_srcmap_release(struct cvb_srcmap *);

/* ---------------------------------------------------------------- model.c */
enum cvb_var {
#define STRVAR(id, name) CVB_V_##id,
#define NUMVAR(id, name) CVB_V_##id,
#include "core/vars.in"
#undef STRVAR
#undef NUMVAR
	CVB_V__COUNT
};
enum cvb_dvar {
#define DATEVAR(id, name) CVB_DV_##id,
#include "core/vars.in"
#undef DATEVAR
	CVB_DV__COUNT
};
enum cvb_nvar {
#define NAMEVAR(id, name) CVB_NV_##id,
#include "core/vars.in"
#undef NAMEVAR
	CVB_NV__COUNT
};
enum cvb_type {
	CVB_T_NONE = 0,		/* no type given */
#define TYPE(id, name) CVB_T_##id,
#include "core/types.in"
#undef TYPE
	CVB_T__COUNT
};

/* Which table a variable name belongs to. */
enum cvb_varkind { CVB_VK_NONE = 0, CVB_VK_STR, CVB_VK_NUM, CVB_VK_DATE, CVB_VK_NAME };
struct cvb_varref {
	enum cvb_varkind kind;
	int		 idx;		/* enum cvb_var, cvb_dvar or cvb_nvar */
};
/* Look a CSL variable name up (aliases such as shortTitle included). */
struct cvb_varref cvb_var_lookup(const char *name);
const char *cvb_var_name(enum cvb_var);
const char *cvb_dvar_name(enum cvb_dvar);
const char *cvb_nvar_name(enum cvb_nvar);
bool	cvb_var_is_number(enum cvb_var);
enum cvb_type cvb_type_lookup(const char *name);	/* CVB_T_NONE when unknown */
const char *cvb_type_name(enum cvb_type);

/* Per-name flags (CV markers). */
#define CVB_NF_EQUAL		0x01	/* equal contribution (*, †, ...) */
#define CVB_NF_CORRESP		0x02	/* corresponding author */
#define CVB_NF_COMMA_SUFFIX	0x04	/* CSL comma-suffix */
#define CVB_NF_STATIC_ORDER	0x08	/* CSL static-ordering */
#define CVB_NF_PARSE_NAMES	0x10	/* CSL-JSON parse-names was true */
#define CVB_NF_NO_PARSE		0x20	/* CSL-JSON parse-names was false */
#define CVB_NF_INSTITUTION	0x40	/* an organisation (isInstitution) */
#define CVB_NF_OTHERS		0x80	/* stands for "and others" / et al. */
#define CVB_NF_HIGHLIGHT	0x100	/* the CV owner (set by --highlight) */

struct cvb_name {
	const char	*family, *given;
	const char	*dropping_particle, *non_dropping_particle;
	const char	*suffix;
	const char	*literal;
	unsigned	 flags;		/* CVB_NF_* */
	const char	*marker;	/* the CV marker as written ("*", "†"), or NULL */
	struct cvb_name	*next;
};

/* A date.  parts[i] = {year, month, day}, 0 = absent; years may be negative. */
struct cvb_date {
	int		 parts[2][3];
	int		 nparts[2];	/* how many of year/month/day are present */
	bool		 range;		/* parts[1] is the end of a range */
	bool		 open_end;	/* a range with an open end ("2004/..") */
	bool		 circa;
	int		 season;	/* 1..4, 0 = none */
	const char	*season_str;	/* a season that is not 1..4, or NULL */
	const char	*literal;
	const char	*raw;
	unsigned	 strparts;	/* bit (r*3+i): part was a JSON string */
};

/* A field that no mapping knows, kept in input order. */
#define CVB_FF_JSON	0x01	/* value is a JSON text (CSL-JSON/YAML readers) */
#define CVB_FF_BIBTEX	0x02	/* value came from a BibTeX field */
struct cvb_field {
	const char	*name;
	const char	*value;
	unsigned	 flags;
	struct cvb_field *next;
	size_t		 anchor;	/* blocks of biblio->preamble: written before
					 * the item whose seq is >= anchor (read_bibtex.c) */
};

/* Item flags. */
#define CVB_IF_SELECTED		0x01	/* al-folio selected={true} */
#define CVB_IF_RAW		0x02	/* free text that could not be parsed */
#define CVB_IF_ID_NUMBER	0x04	/* CSL-JSON id was a number */
#define CVB_IF_HAS_EQUAL	0x08	/* some author carries CVB_NF_EQUAL */
#define CVB_IF_HAS_CORRESP	0x10
#define CVB_IF_CHANGED		0x20	/* enrichment changed a field */
#define CVB_IF_ARXIV_NUMBER	0x40	/* the entry prints its arXiv id (extra "arxiv"):
					   CSL-JSON's "number" when it has none */

/* Notes attached to an item: award, status, presentation, free note. */
enum cvb_note_kind { CVB_NOTE_AWARD, CVB_NOTE_STATUS, CVB_NOTE_PRESENTATION, CVB_NOTE_OTHER };
struct cvb_note {
	enum cvb_note_kind kind;
	const char	*text;
	struct cvb_note	*next;
};

struct cvb_loc {
	const char	*file;
	unsigned	 line, column;
};

struct cvb_item {
	enum cvb_type	 type;
	const char	*type_raw;	/* the type as written when unknown */
	const char	*id;		/* CSL id */
	const char	*key;		/* citation key; often equal to id */
	const char	*str[CVB_V__COUNT];
	uint64_t	 numeric[(CVB_V__COUNT + 63) / 64]; /* bit set: was a JSON number */
	struct cvb_date	*date[CVB_DV__COUNT];
	struct cvb_name	*names[CVB_NV__COUNT];
	/* cvb_item_add_name's memory of the last name it added to each list
	 * and of the list's head then: appending stays O(1) (names are never
	 * unlinked; a list whose head was replaced is walked again) */
	struct cvb_name	*name_last[CVB_NV__COUNT], *name_head[CVB_NV__COUNT];
	const char	**categories;	/* NULL-terminated, or NULL */
	struct cvb_field *extra, **extra_tail;
	struct cvb_note	*notes, **notes_tail;
	const char	*bibtype;	/* BibTeX entry type as written, for round trips */
	struct cvb_bibsrc *bibsrc;	/* BibTeX input: fields as read (read_bibtex.c) */
	const char	*group;		/* section heading the entry was found under */
	unsigned	 flags;		/* CVB_IF_* */
	struct cvb_loc	 loc;
	size_t		 seq;		/* input order across all inputs */
	/* input kept (keep_unchanged): the entry's bytes, BibTeX's '@' to its
	 * closing delimiter or a CSL-JSON item's '{' to its '}', are
	 * biblio->src[src_off..src_end); src_end 0: none */
	size_t		 src_off, src_end;
};

struct cvbib_biblio {
	struct cvb_arena arena;
	struct cvb_item	**items;
	size_t		 n, alloc;
	struct cvb_field *preamble, **preamble_tail;	/* @preamble, @comment ... */
	const char	*equal_legend;	/* "* equal contribution" as the CV wrote it */
	enum cvbib_format input_format;	/* of the first input */
	struct cvb_bibstate *bibstate;	/* read_bibtex.c: links across inputs */
	const char	*src;		/* the BibTeX or CSL-JSON input as read
					   (keep_unchanged) */
	size_t		 src_len, src_items;	/* ... and how many entries it gave */
	bool		 src_bad;	/* not one input as it is: nothing kept */
	bool		 src_doc;	/* the YAML was a document's front matter */
	const char	*owner;		/* whose profile export this is (ORCID, DBLP,
					 * OpenAlex): highlighted when no --highlight */
};

/* model.c: an in-place rewrite that keeps unchanged entries byte for byte
 * (the BibTeX and CSL-JSON writers): may b be written as its input with only
 * the changed entries anew (every item one of the input's entries, in
 * order)?  And an entry written anew gets the CRLF line ends of orig. */
bool	cvb_src_splice_ok(const cvbib_biblio *b, const struct cvbib_options *o);
void	cvb_src_line_ends(struct cvb_buf *out, size_t from, const char *orig,
	    size_t n, struct cvb_buf *tmp);

/* Allocate a new item at the end of b.  NULL on ENOMEM. */
struct cvb_item *cvb_item_new(cvbib_biblio *b, const char *file,
	    unsigned line, unsigned col);
/* Remove the last item (a bad entry that turned out unusable). */
void	cvb_item_drop_last(cvbib_biblio *b);
void	cvb_item_set(cvbib_biblio *, struct cvb_item *, enum cvb_var, const char *s);
void	cvb_item_setn(cvbib_biblio *, struct cvb_item *, enum cvb_var, const char *s, size_t n);
void	cvb_item_add_field(cvbib_biblio *, struct cvb_item *, const char *name,
	    const char *value, unsigned flags);
void	cvb_item_add_note(cvbib_biblio *, struct cvb_item *, enum cvb_note_kind, const char *text);
/* The item's first extra field named name (the exact name), or NULL. */
const struct cvb_field *cvb_item_extra(const struct cvb_item *, const char *name);
/*
 * The links a CV entry carries beside its DOI and URL (model.c): the extra
 * field that holds each, the label a formatted list shows, its HTML class,
 * and the link texts a CV labels it with ("[PDF](...)", <a>Slides</a>).
 */
struct cvb_link_kind {
	const char	*field, *label, *cls;
	const char	*words;		/* '|'-separated, lower case */
};
extern const struct cvb_link_kind cvb_link_kinds[];
extern const size_t cvb_nlink_kinds;
/* A link text that only labels its link: the kind it names, with cvb_link_kinds
 * index in *kind; -1 for a label of the entry's own URL or DOI ("DOI", "Link",
 * "URL", "here"), *kind -1 too.  0 when the text is content (a title, a venue). */
int	cvb_link_label(const char *text, size_t n, int *kind);
struct cvb_name *cvb_name_new(cvbib_biblio *);
/* Append n to the end of the list in slot v. */
void	cvb_item_add_name(struct cvb_item *, enum cvb_nvar, struct cvb_name *n);
struct cvb_date *cvb_date_new(cvbib_biblio *);
int	cvb_year_yy(int yy);	/* a year written with two digits: 1951-2050 */
/* Parse an EDTF / ISO 8601 date ("2024-03", "2001/2003", "2004~"); NULL if not one. */
struct cvb_date *cvb_date_parse_edtf(cvbib_biblio *, const char *s);
/* Year of the first part of the issued date; 0 when unknown. */
int	cvb_item_year(const struct cvb_item *);
/* Shallow copy of an item into b (strings shared: both live in b's arena). */
struct cvb_item *cvb_item_clone(cvbib_biblio *, const struct cvb_item *);

/* ----------------------------------------------------------------- rich.c */
/* Tokens of CSL rich text. */
enum cvb_rtok { CVB_RT_TEXT, CVB_RT_OPEN, CVB_RT_CLOSE, CVB_RT_END };
enum cvb_rtag { CVB_R_NONE, CVB_R_I, CVB_R_B, CVB_R_SUP, CVB_R_SUB, CVB_R_SC, CVB_R_NOCASE,
	CVB_R_NODECOR };
struct cvb_rich {
	const char	*p;		/* current position */
	/* out */
	enum cvb_rtok	 tok;
	enum cvb_rtag	 tag;
	const char	*text;		/* for TEXT: start of the run */
	size_t		 len;		/* for TEXT: length of the run */
	int		 depth[8];	/* open counts per tag, to match closers */
};
void	cvb_rich_init(struct cvb_rich *, const char *s);
/* Next token; CVB_RT_END at the end.  Unmatched closers come back as text. */
enum cvb_rtok cvb_rich_next(struct cvb_rich *);
/* The tag's opening/closing text in CSL-JSON form. */
const char *cvb_rich_open_text(enum cvb_rtag);
const char *cvb_rich_close_text(enum cvb_rtag);
/* Append s with all markup removed. */
void	cvb_rich_plain(struct cvb_buf *, const char *s);
/*
 * Math: p is just past a nocase span's opening tag; when the span holds
 * exactly $...$ (or $$...$$: LaTeX math, as the readers keep it) and no tag,
 * returns the length of that text, dollars included, else 0.
 */
size_t	cvb_rich_math(const char *p);
/* Append s as plain text: no markup, math as its text (cvb_math_text()). */
void	cvb_rich_text(struct cvb_buf *, const char *s);

/* ------------------------------------------------------------------ utf8.c */
/* Decode one code point; returns bytes used (1 on invalid, with *cp = 0xFFFD).
 * ASCII inline: text case and collation look at every character. */
int	cvb_utf8_decode_slow(const char *s, size_t n, uint32_t *cp);
static inline int
cvb_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	if (n > 0 && (unsigned char)*s < 0x80) {
		*cp = (unsigned char)*s;
		return 1;
	}
	return cvb_utf8_decode_slow(s, n, cp);
}
bool	cvb_utf8_valid(const char *s, size_t n);
/* The longest prefix of s (NUL-terminated) of at most max bytes that ends on a
 * character boundary: for shortening text in messages. */
size_t	cvb_utf8_prefix(const char *s, size_t max);
/* Column (1-based, in code points) of byte offset off on its line. */

/* --------------------------------------------------------- text/unicode.c */
/*
 * The one Unicode case map and the one ASCII folding, generated from the
 * Unicode Character Database (data/unicode.tsv, refreshed by `make unicode`).
 * Simple (one code point to one) mappings; a code point with no mapping comes
 * back unchanged.
 */
uint32_t cvb_uc_upper(uint32_t cp);
uint32_t cvb_uc_lower(uint32_t cp);
uint32_t cvb_uc_title(uint32_t cp);
/* Has a lowercase / uppercase mapping, i.e. is an uppercase / lowercase letter.
 * ASCII is answered here, the rest by the tables (cvb_uc_isupper_tab). */
bool	cvb_uc_isupper_tab(uint32_t cp);
bool	cvb_uc_islower_tab(uint32_t cp);

static inline bool
cvb_uc_isupper(uint32_t cp)
{
	return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : cvb_uc_isupper_tab(cp);
}

static inline bool
cvb_uc_islower(uint32_t cp)
{
	return cp < 0x80 ? cp >= 'a' && cp <= 'z' : cvb_uc_islower_tab(cp);
}
/*
 * The ASCII letters (and digits) cp folds to, its case kept: "e" for U+00E9,
 * "AE" for U+00C6, "L" for U+0141, "ss" for U+00DF; "" for a combining mark
 * (drop it); NULL when cp is ASCII or has no ASCII form (other scripts,
 * punctuation, symbols): the caller decides what to do with those.
 */
const char *cvb_uc_fold_ascii(uint32_t cp);

/* ------------------------------------------------------------------- io.c */
/* Read a whole file ("-" is stdin) into a malloc'd NUL-terminated buffer. */
int	cvb_read_all(const char *path, char **data, size_t *len, struct cvbib_diags *);

/* ---------------------------------------------------------------- input.c */
/* What a binary input is ("a PNG image"), or NULL for text. */
const char *cvb_input_binary_kind(const char *data, size_t len);
/* Is it a PDF (read as a CV, through poppler, not refused as binary)? */
bool	cvb_input_is_pdf(const char *data, size_t len);
/* Nothing but white space (and a byte-order mark)? */
bool	cvb_input_is_empty(const char *data, size_t len);
/* A text input that is not UTF-8, decoded (the charset an HTML page declares,
 * else Windows-1252/Latin-1) into *out (malloc'd) with a note: returns 1;
 * 0 when data is UTF-8 (*out NULL); <0 on ENOMEM. */
/* s in the encoding enc (iconv's name) as UTF-8, malloc'd; bytes not enc are
 * U+FFFD when lenient (counted in *nbad), else NULL. */
char	*cvb_iconv_utf8(const char *s, size_t n, const char *enc, bool lenient, size_t *outlen,
	    size_t *nbad);
/* UTF-8 but for a few bytes (at least four valid multi-byte sequences per
 * invalid byte): the text with each invalid byte read as Latin-1 (malloc'd;
 * *nlatin: how many), else NULL. */
char	*cvb_input_mixed_utf8(const char *s, size_t n, size_t *outlen, size_t *nlatin);
int	cvb_input_decode(const char *file, const char *data, size_t len, char **out,
	    size_t *outlen, struct cvbib_diags *);

/* -------------------------------------------------------------- readers */
/*
 * Each reader appends to b; file is arena-owned.  A reader returns 0, or a
 * negative code when the input as a whole could not be read; entry-level
 * problems are diagnostics.
 */
typedef int cvb_reader_fn(cvbib_biblio *b, const char *data, size_t len,
	    const char *file, const struct cvbib_options *, struct cvbib_diags *);
typedef int cvb_writer_fn(cvbib_biblio *b, const struct cvbib_options *,
	    struct cvb_buf *out, struct cvbib_diags *);

cvb_reader_fn cvb_read_csljson;		/* read_csljson.c */
cvb_writer_fn cvb_write_csljson;	/* write_csljson.c */
/* The CSL-JSON object of one item (a new jansson reference); write_csljson.c. */
struct json_t;
struct json_t *cvb_item_to_json(const struct cvb_item *);
/* s as a JSON string (quoted and escaped as jansson's json_dumps() writes it)
 * at the end of out; false, and nothing added, when s is not UTF-8 (jansson
 * has no string for it).  write_csljson.c. */
bool cvb_json_put_string(struct cvb_buf *out, const char *s);
/* The streaming JSON writer (write_csljson.c): what json_dumps() of the same
 * tree writes with JSON_PRESERVE_ORDER, and JSON_INDENT(2) or, with compact,
 * JSON_COMPACT.  Zero it, set out (and compact), then open a container, write
 * its members (key NULL: an array element) and close it.  A member whose
 * value fails (a string that is not UTF-8) is taken back: cvb_jw_member()
 * gives the mark, cvb_jw_done() counts the member or goes back to the mark. */
struct cvb_jw {
	struct cvb_buf	*out;
	int		 compact;
	int		 depth;		/* of the container being written */
	size_t		 nmemb[8];	/* members written so far, per depth */
};
void	cvb_jw_open(struct cvb_jw *, char c);	/* '{' or '[' */
void	cvb_jw_close(struct cvb_jw *, char c);
size_t	cvb_jw_member(struct cvb_jw *, const char *key);
void	cvb_jw_done(struct cvb_jw *, size_t mark, bool ok);
bool	cvb_jw_str_member(struct cvb_jw *, const char *key, const char *s);
void	cvb_jw_lit_member(struct cvb_jw *, const char *key, const char *lit);
/* The item's extra field name as text (a CSL-JSON custom string decoded),
 * appended to tmp; NULL when none.  write_csljson.c. */
const char *cvb_item_extra_text(const struct cvb_item *, const char *name, struct cvb_buf *tmp);
/* The entry's remarks CSL has no variable for (a status phrase that says more
 * than the status, awards, addenda), "; "-joined, as CSL-JSON's note when it
 * has none (its notes, or custom.pubstate/award/addendum read back), in tmp;
 * NULL if none.  write_csljson.c. */
const char *cvb_item_remark_note(const struct cvb_item *, struct cvb_buf *tmp);
/* The arXiv id the entry prints (CVB_IF_ARXIV_NUMBER), "arXiv:ID", as CSL-JSON's
 * number when it has none, in tmp; NULL otherwise.  write_csljson.c. */
const char *cvb_item_arxiv_number(const struct cvb_item *, struct cvb_buf *tmp);
/* The names of the members of "custom" that hold the item's CV metadata
 * (award, pubstate, presentation, addendum, selected, equal-contribution,
 * corresponding-author, highlight, cv-section): at most 8, static strings.
 * Writers of formats that cannot hold them report these names. */
size_t	cvb_item_cv_members(const struct cvb_item *, const char *names[8]);
cvb_reader_fn cvb_read_bibtex;		/* read_bibtex.c */
cvb_writer_fn cvb_write_bibtex;		/* write_bibtex.c */
cvb_writer_fn cvb_write_biblatex;	/* write_bibtex.c */
cvb_reader_fn cvb_read_yaml;		/* read_yaml.c: CSL-YAML, RenderCV, JSON Resume, front matter */
cvb_writer_fn cvb_write_cslyaml;	/* write_yaml.c */
cvb_writer_fn cvb_write_rendercv;	/* write_yaml.c */
cvb_reader_fn cvb_read_jsonresume;	/* read_yaml.c (JSON Resume as JSON) */
cvb_reader_fn cvb_read_text;		/* read_text.c: free-text CV (text, markdown, html) */
cvb_reader_fn cvb_read_reflines;	/* read_text.c: one reference per line */
cvb_writer_fn cvb_write_refpred;	/* read_text.c: refparse prediction JSONL */
cvb_reader_fn cvb_read_hayagriva;	/* read_hayagriva.c: hayagriva YAML (Typst) */
cvb_writer_fn cvb_write_hayagriva;	/* write_hayagriva.c */
/* Is data a hayagriva file (a mapping of keys to entries with hayagriva
 * fields), not CSL-YAML or a RenderCV/JSON Resume CV? (read_hayagriva.c) */
bool	cvb_looks_hayagriva(const char *data, size_t len);
cvb_writer_fn cvb_write_typst_data;	/* cv_typst.c: the CV list as JSON for Typst */
/* Formatted outputs (CSL engine + CV presentation): cv_write.c */
int	cvb_write_formatted(cvbib_biblio *, enum cvbib_outfmt,
	    const struct cvbib_options *, struct cvb_buf *, struct cvbib_diags *);

/* Exported records and site collections (src/formats/, doc/formats.md). */
cvb_reader_fn cvb_read_ris;		/* ris.c */
cvb_writer_fn cvb_write_ris;		/* ris.c */
cvb_reader_fn cvb_read_orcid;		/* orcid.c: ORCID works JSON (v2.1, v3.0) */
cvb_reader_fn cvb_read_dblp;		/* dblp.c: DBLP person XML */
cvb_reader_fn cvb_read_openalex;	/* openalex.c */
cvb_reader_fn cvb_read_scholar_csv;	/* scholar_csv.c: Google Scholar CSV */
cvb_reader_fn cvb_read_endnote;		/* endnote.c: EndNote XML */
cvb_reader_fn cvb_read_medline;		/* medline.c: PubMed MEDLINE / .nbib */
cvb_reader_fn cvb_read_cff;		/* cff.c: CITATION.cff */
cvb_reader_fn cvb_read_enw;		/* enw.c: EndNote tagged text, refer */
cvb_writer_fn cvb_write_datayml;	/* site.c: a Jekyll/Hugo _data file */
/* site.c: one file per entry into dir (academicpages, Hugo Blox). */
int	cvb_write_site_dir(cvbib_biblio *, enum cvbib_format, const char *dir,
	    const struct cvbib_options *, struct cvbib_diags *);
/* site.c: one entry's file(s) as they would be written (for tests, stdout). */
int	cvb_write_site(cvbib_biblio *, enum cvbib_format, const struct cvbib_options *,
	    struct cvb_buf *, struct cvbib_diags *);
/* DBLP journal abbreviations: {abbreviation, full name}, NULL-terminated
 * (generated from data/dblp-venues.tsv by mk/formats.mk). */
extern const char *const cvb_dblp_venues[][2];
/* detect.c: the formats of exported records, by content; AUTO when none.
 * *refused names a format recognised but not read (CVBIB_FMT_AUTO then). */
enum cvbib_format cvb_formats_detect(const char *data, size_t len, const char **refused);

/* Which format the reader for a markdown/html/text input should assume. */
enum cvb_textkind { CVB_TK_TEXT, CVB_TK_MARKDOWN, CVB_TK_HTML };
int	cvb_read_text_kind(cvbib_biblio *b, const char *data, size_t len,
	    const char *file, enum cvb_textkind, const struct cvbib_options *,
	    struct cvbib_diags *);


/* ---------------------------------------------------------------- crossref.c */
/*
 * HTTP for enrichment (the only user of libcurl).  Requests are queued with
 * cvb_http_submit() and run by cvb_http_run(), which returns when nothing is
 * queued or in flight.  Each finished request is handed to its done callback,
 * which owns it from then on (free it with cvb_http_req_free(), or submit it
 * again) and may submit new requests.
 */
enum cvb_http_result {
	CVB_HTTP_OK,		/* 2xx; body holds the answer */
	CVB_HTTP_STATUS,	/* a final non-2xx status (404, 400, ...); no retry */
	CVB_HTTP_FAILED,	/* transport failure or 429/5xx after all retries */
	CVB_HTTP_REFUSED,	/* not attempted: non-loopback with loopback_only */
	CVB_HTTP_TOOBIG,	/* the answer exceeded max_size */
};
struct cvb_http;
struct cvb_http_req;
typedef void cvb_http_done_fn(struct cvb_http *, struct cvb_http_req *);
struct cvb_http_req {
	char		*url;		/* current URL (redirects update it) */
	char		*accept;
	cvb_http_done_fn *done;
	void		*data, *data2;	/* the caller's */
	size_t		 idx;		/* the caller's */
	int		 kind;		/* the caller's */
	double		 default_gap;	/* seconds between requests to this
					 * service until its headers say; 0: 5/s,
					 * or 10/s with a contact */
	/* results */
	long		 status;	/* last HTTP status, 0 when none */
	enum cvb_http_result result;
	struct cvb_buf	 body;
	char		 err[256];	/* what went wrong, for a diagnostic */
	char		 why[200];	/* the last retryable failure */
	int		 attempts, retries, redirects;
	/* private to crossref.c */
	struct cvb_http_req *next;
	void		*easy, *hdrs;
	struct pool	*pool;
	double		 not_before, retry_after, h_interval;
	int		 h_limit, h_conc;
	int		 slot;		/* in the pool's ring of start times */
	size_t		 max_size;
	bool		 toobig;
};
struct cvb_http_conf {
	const char	*user_agent;
	double		 timeout, connect_timeout;	/* seconds */
	size_t		 max_size;	/* bytes; 0: 16 MiB */
	int		 max_retries;
	double		 backoff_base, backoff_cap;	/* seconds */
	bool		 loopback_only;	/* refuse any non-loopback address */
	bool		 polite;	/* a contact is set: polite-pool defaults */
	const char	*libcurl;	/* the library to load; NULL: the one built against */
};
int	cvb_http_new(struct cvb_http **, const struct cvb_http_conf *);
void	cvb_http_free(struct cvb_http *);
struct cvb_http_req *cvb_http_req_new(const char *url, const char *accept);
void	cvb_http_req_free(struct cvb_http_req *);
void	cvb_http_submit(struct cvb_http *, struct cvb_http_req *);
int	cvb_http_run(struct cvb_http *);
bool	cvb_http_url_is_loopback(const char *url);
/* One header line of an answer (with its CRLF; a status line starts a new
 * answer): the rate and concurrency limits and Retry-After it states, into
 * r, within bounds (crossref.c). */
void	cvb_http_header(struct cvb_http_req *r, const char *line, size_t len);
void	cvb_url_escape(struct cvb_buf *, const char *s, const char *keep);
const char *cvb_http_curl_version(const char *libcurl);
/* Why cvb_http_new() failed, in words for a diagnostic. */
const char *cvb_http_init_error(void);

/* ------------------------------------------------------------------ cache.c */
/*
 * The lookup cache: SQLite (WAL, busy timeout) holding raw answers keyed by
 * "KIND:normalised DOI or query".  A corrupt file is moved aside and rebuilt.
 */
struct cvb_cache;
/* Open dir/cache.sqlite (dir created).  Returns 0, or <0 with a diagnostic. */
int	cvb_cache_open(struct cvb_cache **, const char *dir, struct cvbib_diags *);
void	cvb_cache_close(struct cvb_cache *);
/*
 * Look key up.  Returns 1 and sets *status and *body (malloc'd) for a fresh
 * entry; 0 when absent or expired (ignore_expiry: any age).
 */
int	cvb_cache_get(struct cvb_cache *, const char *key, bool ignore_expiry,
	    long *status, char **body, size_t *len);
void	cvb_cache_put(struct cvb_cache *, const char *key, long status,
	    const char *body, size_t len);
/* Expiry in seconds: found answers, and not-found answers. */
#define CVB_CACHE_TTL_FOUND	(30L * 86400)
#define CVB_CACHE_TTL_NOTFOUND	(1L * 86400)

/* ----------------------------------------------------------------- enrich.c */
/* DOI normalisation: writes the bare DOI (case kept) into out; false if none. */
bool	cvb_doi_normalize(const char *in, struct cvb_buf *out);
/* Find a DOI inside free text or a URL (doi.org links, "doi:" ...). */
bool	cvb_doi_find(const char *text, struct cvb_buf *out);
/* Fold for comparison: strip markup, LaTeX, accents, case; words by single spaces. */
void	cvb_fold_text(struct cvb_buf *out, const char *s);
/* Similarity of two titles in 0..1 after folding. */
double	cvb_title_similarity(const char *a, const char *b);
/* Convert JATS/HTML/MathML markup to CSL rich text (plain: no markup at all). */
void	cvb_markup_to_rich(struct cvb_buf *out, const char *s, bool plain);
enum cvb_src { CVB_SRC_CROSSREF, CVB_SRC_DATACITE, CVB_SRC_CSL };
/*
 * Map one JSON answer (a Crossref work or list item message, a DataCite
 * "data" object, or a CSL-JSON object from content negotiation) to a new
 * detached item in b's arena.  NULL when the JSON is not usable.
 */
struct json_t;
struct cvb_item *cvb_enrich_map(cvbib_biblio *b, enum cvb_src, struct json_t *msg);
/* Parse body as JSON and map it (the envelope is unwrapped); for the fuzzer. */
struct cvb_item *cvb_enrich_map_text(cvbib_biblio *b, enum cvb_src, const char *body, size_t len);
/*
 * Merge src into dst by the rules of doc/enrich.md.  overwrite: NULL (fill
 * missing only), "all" or a comma list of field names.  Each change calls
 * fn(ctx, field, old, new) with display strings (old NULL when filled).
 * apply false: report only.  Returns the number of changes.
 */
typedef void cvb_change_fn(void *ctx, const char *field, const char *old, const char *nw);
int	cvb_enrich_merge(cvbib_biblio *b, struct cvb_item *dst, const struct cvb_item *src,
	    const char *overwrite, bool apply, cvb_change_fn *fn, void *ctx);
/* Check an --overwrite list; returns the first unknown name (static) or NULL. */
const char *cvb_enrich_check_fields(const char *list);
/* ---- read_csljson.c: the CSL-JSON item reader, shared with read_yaml.c */
/*
 * Where an item (idx: its index in its list; item: its JSON value) or one of
 * its keys (key != NULL) is in the input, for diagnostics.
 */
struct cvb_jpos {
	void	(*pos)(void *ctx, size_t idx, const struct json_t *item,
		    const char *key, unsigned *line, unsigned *col);
	void	*ctx;
};
#define CVB_JR_YAML	0x01	/* YAML leniency: "issued: 2020", numbers as text */
/*
 * Read one CSL-JSON item object into a new item of b; warnings as for
 * CSL-JSON input.  Returns the item, or NULL when obj is not an object
 * (reported) or memory ran out.
 */
struct cvb_item *cvb_csljson_read_item(cvbib_biblio *, struct json_t *obj,
	    size_t idx, const char *file, const struct cvb_jpos *, unsigned flags,
	    struct cvbib_diags *);
/*
 * The JSON array that starts at data[start] ('['), a value inside a larger
 * document, read element by element as CSL-JSON's top-level list is: fn gets
 * each element that parses (its index and byte span; the value is freed after
 * fn returns); one that does not is reported (JSON_SYNTAX, with where reading
 * goes on; noun: what an element is called, e.g. "item") and skipped, and so
 * are a missing or extra ','.  Returns the
 * offset just after the closing ']', or len when the file ends first.  map:
 * data's line map, for positions.
 */
typedef void cvb_json_elem_fn(void *ctx, struct json_t *elem, size_t idx,
	    size_t off, size_t end);
size_t	cvb_json_read_array(const char *data, size_t len, size_t start,
	    const char *file, const char *noun, const struct cvb_srcmap *map, cvb_json_elem_fn *fn,
	    void *ctx, struct cvbib_diags *d);
/*
 * json_fast.c: the JSON object at the start of s[0..len), parsed as jansson
 * would parse it, into a new jansson value; *used is the bytes it took.
 * NULL when the text is anything but a plain object (then let jansson read
 * it: it also reports errors) or memory ran out.
 */
struct json_t *cvb_json_fast_object(const char *s, size_t len, size_t *used);


/* ---- yaml_tree.c: YAML text to jansson values, with positions */
struct cvb_ytree;
/*
 * Parse every document of a YAML stream.  On success *out holds the tree
 * (free with cvb_ytree_free()) and 0 is returned.  A syntax error, an alias
 * that expands too much or nesting too deep is reported with its line:column
 * and a negative code is returned; *out then holds the documents read before
 * the bad one, or NULL.
 */
int	cvb_ytree_load(struct cvb_ytree **out, const char *data, size_t len,
	    const char *file, struct cvbib_diags *);
size_t	cvb_ytree_ndocs(const struct cvb_ytree *);
struct json_t *cvb_ytree_doc(const struct cvb_ytree *, size_t i);
/* Position of key in mapping parent, or of element idx of sequence parent
 * (key NULL); 0:0 when unknown (t may be NULL: JSON input without marks). */
void	cvb_ytree_pos(const struct cvb_ytree *t, const struct json_t *parent,
	    const char *key, size_t idx, unsigned *line, unsigned *col);
/* Where element idx of sequence seq ends: the end of its last scalar, alias
 * or flow collection (line and column 1-based, the column in characters, as
 * all positions here); 0:0 when unknown. */
void	cvb_ytree_elem_end(const struct cvb_ytree *t, const struct json_t *seq, size_t idx,
	    unsigned *line, unsigned *col);
/* Position of a mapping or sequence. */
void	cvb_ytree_node_pos(const struct cvb_ytree *t, const struct json_t *node,
	    unsigned *line, unsigned *col);
void	cvb_ytree_free(struct cvb_ytree *);
/* Move every position of t by lines, and those on its first line by cols
 * too (a tree of text cut out of a file at line lines+1, column cols+1). */
void	cvb_ytree_shift(struct cvb_ytree *t, unsigned lines, unsigned cols);

/* ---- typst.c: Typst markup (src/text/typst.c) */
/* Append s[0..n) as Typst markup text that shows exactly those characters:
 * every character that means something to Typst is escaped (the line-start
 * markers wherever they are), line breaks become spaces.  LaTeX math
 * ($...$) that cvb_typst_math() understands is written as Typst math. */
void	cvb_typst_escape(struct cvb_buf *, const char *s, size_t n);
/* Append s as a Typst string literal ("..."), quotes included. */
void	cvb_typst_string(struct cvb_buf *, const char *s);
/* Append LaTeX math m[0..n) (without the dollars) as Typst math ($...$);
 * false, with nothing appended, when it holds what we do not translate. */
bool	cvb_typst_math(struct cvb_buf *, const char *m, size_t n);

/* ---- texmath.c: LaTeX math for outputs that are not LaTeX (src/text/texmath.c) */
/* What a math command is as text. */
enum cvb_mathtext { MT_SYM, MT_OP, MT_SQRT, MT_ACCENT, MT_STYLE, MT_BB, MT_FRAC, MT_BINOM };
struct cvb_mathcmd {
	const char	*tex;		/* the command, without the backslash */
	const char	*typ;		/* its Typst name */
	int		 args;		/* 0 symbol, 1 name(x), 2 name(x, y), 3 name("text") */
	enum cvb_mathtext how;
	const char	*text;		/* the character (MT_SYM), word (MT_OP), mark
					 * (MT_ACCENT), HTML tag (MT_STYLE) */
};
/* The math command name[0..n) (\alpha: "alpha"), or NULL. */
const struct cvb_mathcmd *cvb_math_cmd(const char *name, size_t n);
/*
 * Append LaTeX math s[0..n) (without the dollars) as readable text: Unicode
 * for the commands (\alpha -> α, \log -> log), x^2 -> x² (or x^(ab)),
 * \frac{a}{b} -> a/b; html: escaped, scripts as <sup>/<sub>, \mathbf as <b>.
 * Never fails, never writes a backslash.
 */
void	cvb_math_text(struct cvb_buf *, const char *s, size_t n, bool html);

/* ---- write_yaml.c: a JSON tree as one YAML document, strings as they are */
int	cvb_yaml_write_json(const struct json_t *root, struct cvb_buf *out, struct cvbib_diags *);

/* ---- yaml_md.c: pandoc's inline markdown <-> CSL rich text (CSL-YAML strings) */
/* Append rich text s as pandoc markdown; cvb_md_to_rich() reads it back exactly. */
void	cvb_md_from_rich(struct cvb_buf *, const char *s);
/* Append markdown s (n bytes) as CSL rich text. */
void	cvb_md_to_rich(struct cvb_buf *, const char *s, size_t n);
/* ---- cv.c, cv_group.c, cv_write.c, cv_names.c, cv_dedupe.c, cv_latex.c (CV presentation) */
/*
 * The CV layer (doc/cv.md) sits between the model and the CSL engine: it marks
 * the CV owner's names, merges duplicates, orders, groups and numbers the
 * entries, adds notes and links, and wraps the engine's entries in the list
 * structure of the output.  The writers of other formats (biblatex) call
 * cvb_cv_prepare() and cvb_cv_biblatex_annotation() to get the same marks.
 */
/* A name to highlight, parsed once (cv_names.c). */
struct cvb_cv_pattern {
	char	*family;		/* folded family key, particles removed */
	char	*given[8];		/* folded given-name tokens */
	int	 ngiven;
	bool	 given_initials[8];	/* token was written as an initial */
};
/* Parse "Haan, A.", "Altan Haan", "van der Berg, Jan" into p (malloc'd parts). */
int	cvb_cv_pattern_parse(struct cvb_cv_pattern *p, const char *name);
void	cvb_cv_pattern_release(struct cvb_cv_pattern *p);
/* Does name n denote the person of pattern p? */
bool	cvb_cv_name_matches(const struct cvb_cv_pattern *p, const struct cvb_name *n);
/* Fold s (rich text) to lower-case ASCII: diacritics dropped, punctuation to
 * spaces (apostrophes and periods removed), runs of space collapsed. */
void	cvb_cv_fold(struct cvb_buf *out, const char *s);

/* Duplicate detection (cv_dedupe.c).  items[0..n) is compacted in place:
 * each duplicate is merged into the entry kept and removed; returns the new
 * count.  Every merge is reported (CV_DUPLICATE). */
size_t	cvb_cv_dedupe(cvbib_biblio *b, struct cvb_item **items, size_t n,
	    struct cvbib_diags *);
/* The normalised DOI / arXiv id of an item into out; false when it has none. */
bool	cvb_cv_doi_key(const struct cvb_item *, struct cvb_buf *out);
bool	cvb_cv_arxiv_key(const struct cvb_item *, struct cvb_buf *out);
/* An arXiv id ("2303.00002", "hep-th/9901001", lowercased) appended to out:
 * named in s ("arXiv:ID", an arxiv.org link), or at the start of s. */
bool	cvb_arxiv_find(const char *s, struct cvb_buf *out);
/* Is a DOI a preprint server's (arXiv, bioRxiv, SSRN, OSF, ...)? (bibmap.c) */
bool	cvb_doi_is_preprint(const char *doi);
/* The preprint server ("bioRxiv") that s, n bytes, names whole, or NULL; bibmap.c. */
const char *cvb_preprint_server(const char *s, size_t n);
bool	cvb_arxiv_id(const char *s, struct cvb_buf *out);

/* Ordering (cv.c).  Sort items[0..n) stably by key: newest, oldest, author,
 * title or none.  Returns -1 for an unknown key. */
int	cvb_cv_sort(struct cvb_item **items, size_t n, const char *key);
/* The value of an extra field (JSON text decoded to a string); NULL if absent.
 * Booleans come back as "true"/"false".  The string lives in b's arena. */
const char *cvb_cv_extra(cvbib_biblio *b, const struct cvb_item *, const char *name);

/*
 * CV options after the config file was merged in (cv.c).  cvb_cv_prepare()
 * reads the config file, marks highlighted names (CVB_NF_HIGHLIGHT), turns
 * the CV fields of the CSL-JSON "custom" object (selected, award,
 * equal-contribution, ...) into model flags and notes, and returns the
 * effective options in *eff (strings in b's arena).  Idempotent.
 */
int	cvb_cv_prepare(cvbib_biblio *b, const struct cvbib_options *opts,
	    struct cvbib_options *eff, struct cvbib_diags *);
/*
 * The marks of names a data file holds as fields, as cvbib's writers write
 * them (equal-contribution, corresponding-author and highlight as lists of
 * author positions, biblatex's author+an and editor+an), become the names'
 * flags when the input is read, and the fields are dropped, so that every
 * writer gives them back in its own form (cv.c).  What does not fully
 * resolve is left to cvb_cv_prepare(), which reports it.  Idempotent.
 */
void	cvb_cv_read_marks(cvbib_biblio *b);

/* biblatex support for the BibTeX writer (cv_latex.c).  Appends the data
 * annotation field for the highlighted names of item, e.g.
 * "author+an = {2=highlight}" (without indentation, comma or newline) and
 * returns true; false (nothing appended) when no name is highlighted. */
bool	cvb_cv_biblatex_annotation(const struct cvb_item *, enum cvb_nvar,
	    struct cvb_buf *out);
/* Add the annotation fields to the biblatex text in out from offset from on
 * (entries in the order of b's items, matched by key); for writers that do
 * not call cvb_cv_biblatex_annotation() themselves. */
int	cvb_cv_biblatex_annotate(cvbib_biblio *b, struct cvb_buf *out, size_t from);
/* The keys the BibTeX writer gave the items, read back from its output text:
 * keys[i] is set for b->items[i] (arena strings); others are left alone. */
void	cvb_cv_biblatex_keys(cvbib_biblio *b, const char *text, const char **keys);
/* --latex-preamble: what a biblatex CV needs (doc/cv.md), for the items of b. */
int	cvb_cv_biblatex_preamble(cvbib_biblio *b, const struct cvbib_options *,
	    struct cvb_buf *out, struct cvbib_diags *);
/* Escape plain UTF-8 text for LaTeX (cv_latex.c). */
void	cvb_cv_latex_escape(struct cvb_buf *out, const char *s);
/* ---- refparse.c */
/* What the CV around a reference string tells the parser. */
struct cvb_refctx {
	/* markers the CV's legend explains ("*", "\u2020", ...) and what they mean */
	const char	*equal_markers[4];
	const char	*corresp_markers[4];
	int		 has_legend;
	/* the sequence model to parse with (NULL: the one compiled in); the
	 * cross-validation helper passes models it trained */
	const struct cvb_seq_model *model;
	/* --explain: add a field "explain" to the item, each token with its
	 * label and the label's marginal probability */
	int		 explain;
	/* emphasised spans of the string (bold, italic: the CV's markup),
	 * byte offsets [emph[2k], emph[2k+1]) into the string parsed; each is
	 * read as one field, and one set off by punctuation as a whole field */
	const size_t	*emph;
	int		 nemph;
};
/*
 * Parse one reference string s (n bytes of plain text, markup removed) into
 * it; strings go to b's arena.  ctx may be NULL.  Returns 1 when s was parsed
 * (a title or container, and authors or a year), 0 when it does not look like
 * a reference (it may be partly filled), -CVBIB_ENOMEM on allocation failure.
 */
int	cvb_refparse(cvbib_biblio *b, struct cvb_item *it, const char *s, size_t n,
	    const struct cvb_refctx *ctx);
/* ---- reffeat.c: tokens and features of a reference string for the model */
enum { CVB_RT_WORD = 1, CVB_RT_PUNCT, CVB_RT_URL, CVB_RT_DOI, CVB_RT_ARXIV };
#define CVB_RT_SPACE	0x01	/* white space before the token */
struct cvb_reftok {
	int		 b, e;		/* bytes of the string */
	int		 kind;		/* CVB_RT_WORD ... */
	unsigned	 flags;
};
struct cvb_seq;
struct cvb_seq_model;
/* Split s into at most max tokens; returns their number. */
int	cvb_ref_tokens(const char *s, int n, struct cvb_reftok *tok, int max);
/* Where the URL or DOI token [b, e) of s ends for its field (what a PDF's
 * extraction glued to it left out: ".URL", "[doi]", ",arXiv", "(accessed"). */
int	cvb_ref_ident_end(const char *s, int b, int e, int doi);
/* Append the nt tokens' features to x (one position each); 0, or -1 on no memory. */
int	cvb_ref_features(const char *s, int n, const struct cvb_reftok *tok, int nt,
	    struct cvb_seq *x);
/* The labels of the reference model, in the order of enum cvb_rl. */
enum cvb_rl { CVB_RL_OTHER, CVB_RL_AUTHOR, CVB_RL_EDITOR, CVB_RL_TITLE, CVB_RL_CONTAINER,
	CVB_RL_JOURNAL, CVB_RL_COLLECTION, CVB_RL_PUBLISHER, CVB_RL_LOCATION, CVB_RL_VOLUME,
	CVB_RL_ISSUE, CVB_RL_PAGE, CVB_RL_DATE, CVB_RL_DOI, CVB_RL_URL, CVB_RL_ARXIV,
	CVB_RL_NOTE, CVB_RL_GENRE, CVB_RL__COUNT };
extern const char *const cvb_ref_labels[CVB_RL__COUNT];
/* Length of a list marker ("[12]", "12.", "(3)", "- ", "\u2022 ") at the start of s. */
size_t	cvb_ref_skip_marker(const char *s, size_t n);
/* Copy s (len bytes) to w (len + 1) as the reference model reads it (same
 * offsets); returns the length of the list marker in front. */
size_t	cvb_ref_prepare(const char *s, size_t len, char *w);
/* Venues known by their acronym: {acronym, full name, type}, NULL-terminated
 * (generated from data/text-venues.tsv by mk/text.mk). */
extern const char *const cvb_text_venues[][3];
/* data/text-places.txt: places of publication, sorted bytewise, NULL-ended */
extern const char *const cvb_text_places[];
/* The publication status a phrase at the start of s (n bytes) names ("Under
 * review at", "Conditionally accepted", "In press"), normalised
 * ("under-review", "accepted", "in-press" ...), and the phrase's length in
 * *used; NULL if none.  The one table of these phrases (refparse.c). */
const char *cvb_status_of(const char *s, size_t n, size_t *used);
/* The phrase of that table standing anywhere in s (n bytes) as words of
 * their own, the table's first if several (as written there), or NULL. */
const char *cvb_status_in(const char *s, size_t n);
/* Does a whole phrase say more than its status ("in revision",
 * "conditionally accepted"), so that it is worth keeping as a note? */
bool cvb_status_says_more(const char *phrase);
/* Does s name an award of a paper ("Best Paper Award", "Honorable Mention")? */
bool cvb_names_award(const char *s);
/* Bytes of s covered by a list of names at its start ("A. Smith, B. Jones"); 0 if none. */
size_t	cvb_ref_author_len(const char *s, size_t n);
/* The same, and how many names the list holds (in *names); for the model's features. */
size_t	cvb_ref_names_at(const char *s, size_t n, int *names);
/* ---- bibmap.c (tables generated from data/ by mk/gen-bibtex.awk) */
struct cvb_bt_mark { const char *cmd; uint32_t combining; };
struct cvb_bt_accent { const char *cmd, *base, *utf8; };
struct cvb_bt_symbol { const char *cmd, *utf8; };
struct cvb_bt_month { const char *macro; int num; const char *name; };
struct cvb_bt_fieldin { const char *field, *kind, *target; };
struct cvb_bt_fieldout { const char *var, *bibtex, *biblatex; };
struct cvb_bt_typein { const char *bibtype, *csltype, *genre; };
struct cvb_bt_typeout { const char *csltype, *bibtex, *biblatex; };
extern const struct cvb_bt_mark cvb_bt_marks[];
extern const struct cvb_bt_accent cvb_bt_accents[];
extern const struct cvb_bt_symbol cvb_bt_symbols[];
extern const struct cvb_bt_month cvb_bt_months[];
extern const char *const cvb_bt_particles[];
/* abbreviations of particles ("vd"): the CV owner matching folds them away too */
extern const char *const cvb_bt_particle_abbrevs[];
/* data/key-stopwords.txt: title words a generated key or id never takes */
extern const char *const cvb_key_stopwords[];
bool	cvb_key_stopword(const char *w, size_t n);	/* bibmap.c; any case */
extern const struct cvb_bt_fieldin cvb_bt_fields_in[];
extern const struct cvb_bt_fieldout cvb_bt_fields_out[];
extern const struct cvb_bt_typein cvb_bt_types_in[];
extern const struct cvb_bt_typeout cvb_bt_types_out[];
extern const char cvb_bt_bibtex_types[], cvb_bt_biblatex_types[];

/* How the reader treats a field (data/bibtex-fields.tsv). */
enum cvb_bfk {
	CVB_BFK_UNKNOWN = 0, CVB_BFK_STR, CVB_BFK_VERB, CVB_BFK_PAGE, CVB_BFK_NAME,
	CVB_BFK_DATE, CVB_BFK_YEAR, CVB_BFK_MONTH, CVB_BFK_DAY, CVB_BFK_NUMBER,
	CVB_BFK_NOTE, CVB_BFK_FLAG, CVB_BFK_KEEP, CVB_BFK_CSLVAR
};
struct cvb_bfield {
	enum cvb_bfk	 kind;
	struct cvb_varref var;		/* the target variable (STR/VERB/PAGE/NAME/DATE/CSLVAR) */
	int		 note;		/* enum cvb_note_kind for NOTE */
};
/* Look a field name up (any case; n bytes). */
struct cvb_bfield cvb_bibtex_field(const char *name, size_t n);
/* CSL type for an entry type (any case); CVB_T_NONE when unknown.  *genre: implied genre or NULL. */
enum cvb_type cvb_bibtex_type_in(const char *bibtype, const char **genre);
/* The entry type to write for an item (bibtype kept when the dialect knows it). */
const char *cvb_bibtex_type_out(const struct cvb_item *, bool biblatex);
/* The CSL type the reader gives an entry of type bibtype with the fields of
 * the item (the preprint and manuscript readings included; bibmap.c). */
enum cvb_type cvb_bibtex_type_back(const struct cvb_item *, const char *bibtype);
/* Is type (lowercase) one the dialect knows? */
bool	cvb_bibtex_type_known(const char *type, bool biblatex);
/* Month number of a macro or name ("jan", "January", "Jan.", "1"); 0 when not one. */
int	cvb_bibtex_month(const char *s, size_t n);
/* CSL's season (1 spring .. 4 winter) a word names ("Fall", "autumn"); 0 when none. */
int	cvb_season_name(const char *s, size_t n);
const char *cvb_bibtex_month_macro(int month);	/* 1..12 */
/*
 * After an entry is read: what BibTeX holds differently from CSL.  number of
 * a book or proceedings paper -> collection-number; subtitle and titleaddon
 * (and the book/journal ones) joined to their title; a language name
 * (langid = {german}) -> BCP 47 (de-DE).
 */
void	cvb_bibtex_map_entry(cvbib_biblio *, struct cvb_item *);
/* Its preprint and manuscript part, which the free-text and CV readers get
 * too (cvbib.c), so that an item reads back from BibTeX as it was. */
void	cvb_map_article_type(cvbib_biblio *, struct cvb_item *);
void	cvb_map_article_types(cvbib_biblio *, size_t from);
/* Language names of babel/biblatex <-> BCP 47 tags; NULL when unknown. */
const char *cvb_bibtex_language_tag(const char *name);
const char *cvb_bibtex_language_name(const char *tag);
/* Is s (n bytes) a family-name particle (data/name-particles.txt)? */
bool	cvb_bibtex_is_particle(const char *s, size_t n);

/* A set of strings (citation keys) for uniqueness checks; ASCII case-insensitive. */
struct cvb_keyset {
	const char	**v;
	size_t		 n, cap;
	/* cvb_bibtex_key_unique(): per base, the first suffix not yet tried
	 * (the suffixes before it are all taken: keys are never removed), so
	 * that many keys of one base cost linear time (issue 20) */
	struct cvb_keybase *bases;
	size_t		 nbases, capbases;
};
struct cvb_keybase {
	char		*base;		/* malloc'd */
	size_t		 next;
};
bool	cvb_keyset_has(const struct cvb_keyset *, const char *);
int	cvb_keyset_add(struct cvb_keyset *, const char *);	/* the string is borrowed */
void	cvb_keyset_release(struct cvb_keyset *);
/*
 * Make a citation key for it from pattern (NULL: "[auth][year][title]"; see
 * doc/bibtex.md), ASCII-folded, made unique against keys with suffixes a, b,
 * ...; the new key is added to keys.  Returns an arena string or NULL (ENOMEM).
 */
const char *cvb_bibtex_make_key(cvbib_biblio *, const struct cvb_item *,
	    const char *pattern, struct cvb_keyset *keys);
/* Check a key pattern; returns NULL or a message saying what is wrong. */
const char *cvb_bibtex_key_pattern_error(const char *pattern);
/* bibmap.c: base, or base+a, +b, ... +aa, ..., the first not in keys (added to it) */
const char *cvb_bibtex_key_unique(cvbib_biblio *, const char *base, struct cvb_keyset *);

/* ---- latex.c */
/* Flags of cvb_latex_to_rich(). */
#define CVB_LTX_PROTECT	0x01	/* top-level {groups} become nocase spans (titles) */
#define CVB_LTX_PLAIN	0x02	/* no markup at all (names, numbers): braces vanish */
/*
 * Convert a BibTeX field value (LaTeX source, n bytes, macros already
 * expanded) to CSL rich text appended to out: accents and symbols to Unicode,
 * ~ -- --- `` '' to their characters, \emph/\textit/\textbf/\textsc/
 * \textsuperscript/\textsubscript to tags, math to a nocase span that keeps
 * the dollars.  Commands it does not know are kept as literal text.
 */
void	cvb_latex_to_rich(struct cvb_buf *out, const char *s, size_t n, unsigned flags);
/* Flags of cvb_latex_from_rich(). */
#define CVB_LTX_ASCII	0x01	/* non-ASCII as LaTeX commands where one exists */
#define CVB_LTX_NOMARKUP 0x02	/* drop the markup (name parts) */
#define CVB_LTX_EXTNAMES 0x04	/* names: biblatex's extended format where a part holds a comma */
/*
 * Write CSL rich text as LaTeX for a braced BibTeX value: every special
 * character is escaped, so that no text can run a LaTeX command; nocase spans
 * become {...}, tags become \textit{} etc., and math spans are written as math
 * only when they hold nothing dangerous.
 */
void	cvb_latex_from_rich(struct cvb_buf *out, const char *rich, unsigned flags);
/* Append a verbatim value (URL, DOI): braces and backslashes percent-encoded. */
void	cvb_latex_verbatim(struct cvb_buf *out, const char *s);
/* The LaTeX for an ASCII character special to LaTeX (\\ { } $ & % # _ ^ ~ < >), or NULL. */
const char *cvb_latex_special(int c);
/* The character of a text-mode symbol command (data/latex-symbols.tsv:
 * "ss" -> "ß", "dag" -> "†"), or NULL. */
const char *cvb_latex_symbol(const char *name, size_t n);
/* May math s[0..n) ($...$ or $$...$$, dollars included) be written as LaTeX
 * math?  No when it holds '%', '#', ^^, a stray '$' or a command that reads,
 * writes or defines (\input, \write, \def, \csname ...). */
bool	cvb_latex_math_safe(const char *s, size_t n);
/* The TeX logo command (without the backslash: "LaTeX", "TeX", "BibTeX",
 * "LaTeXe") whose text is s[0..n), or NULL.  The reader keeps such a command
 * as its text in a nocase span; formatted LaTeX output typesets the logo. */
const char *cvb_latex_logo(const char *s, size_t n);
/* Append s folded to ASCII letters and digits (accents dropped), lowercased when lower. */
void	cvb_latex_ascii_fold(struct cvb_buf *out, const char *s, bool lower);

/* ---- bibnames.c */
/*
 * Parse a BibTeX name list (raw LaTeX, n bytes): "First von Last",
 * "von Last, First", "von Last, Jr, First", names split on "and" (any case)
 * outside braces, "and others", {Corporate Names}, and biblatex's extended
 * format "family=..., given=...".  Returns the first name of a list in b's
 * arena, or NULL for an empty list.
 */
struct cvb_name *cvb_bibtex_parse_names(cvbib_biblio *b, const char *s, size_t n);
/* The same for an author list, whose names may carry CV marks as al-folio
 * writes them ("Doe*, Jane", "Doe$^\dagger$"): they become the names' flags
 * (CVB_NF_EQUAL, CVB_NF_CORRESP) and, when not the default, their marker. */
struct cvb_name *cvb_bibtex_parse_authors(cvbib_biblio *b, const char *s, size_t n);
/* Write a name list in BibTeX form ("von Last, Jr, First and ..."). */
void	cvb_bibtex_write_names(struct cvb_buf *out, const struct cvb_name *, unsigned ltxflags);

/* ---- latex.c: end of the brace group starting at p ('{'), skipping escaped
 * characters; e when unbalanced.  Shared by the name parser (bibnames.c). */
const char *cvb_latex_group_end(const char *p, const char *e);

/* ---- read_bibtex.c, write_bibtex.c: BibTeX fields as read, for lossless rewrites */
/*
 * For a variable read from a BibTeX field, what the writers need to write it
 * back the same: the field's name (organization, not publisher) and, when
 * cvb_latex_keep() said so, its LaTeX.  Used only while the item's str[var]
 * is still the value the reader set (compared by pointer): a value changed
 * by enrichment is written the usual way.  Only the BibTeX reader makes
 * these, so no other input can put LaTeX into the output.
 */
struct cvb_bibsrc {
	int		 var;		/* enum cvb_var */
	const char	*value;		/* str[var] as the reader set it */
	const char	*field;		/* field name as read, lowercase */
	const char	*latex;		/* LaTeX to write back, or NULL */
	struct cvb_bibsrc *next;
};
/* read_bibtex.c: after the last input, resolve the links still open and
 * report the targets that are missing (cvbib_read_done()). */
int	cvb_bibtex_done(cvbib_biblio *, const struct cvbib_options *, struct cvbib_diags *);
/* Free text of biblio->preamble with no blank line before what follows. */
#define CVB_FF_ADJACENT	0x04
/* Free text with no blank line after the entry before it. */
#define CVB_FF_TIGHT	0x08
/* bibnames.c: biblatex's useprefix. */
#define CVB_NF_USEPREFIX_SET	0x200	/* the name said useprefix itself */
#define CVB_LTX_USEPREFIX_FALSE	0x08	/* names: the entry has useprefix=false */
/* Does an options field turn useprefix off? */
bool	cvb_bibtex_useprefix_off(const char *opts);
/* Names of it whose prefix useprefix=false makes a dropping particle. */
void	cvb_bibtex_useprefix(struct cvb_item *it);
/* latex.c: does a field's LaTeX hold harmless commands that rich text
 * cannot carry, and nothing else?  (doc/bibtex.md) */
bool	cvb_latex_keep(const char *s, size_t n);
/* latex.c: append such LaTeX, non-ASCII LaTeX-encoded under CVB_LTX_ASCII. */
void	cvb_latex_raw(struct cvb_buf *out, const char *s, unsigned flags);

/* ---- write_csljson.c: cvb_write_csljson, handing the output to sink (when
 * not NULL) whenever out holds more than a chunk; out ends empty then. */
int	cvb_write_csljson_to(cvbib_biblio *b, const struct cvbib_options *,
	    struct cvb_buf *out, cvbib_sink_fn *sink, void *ctx, struct cvbib_diags *);

/* ---- latex.c: is s (n bytes) what cvb_latex_to_rich(CVB_LTX_PLAIN) makes of
 * it?  (No LaTeX, no white space to collapse or trim.) */
bool	cvb_latex_is_plain(const char *s, size_t n);

/* ---- arena.c: reuse (cslperf) */
/* Drop everything allocated from a but keep its newest block for what comes
 * next, so that an arena used for one item at a time stays in the cache. */
void	cvb_arena_reset(struct cvb_arena *);

#endif /* CVB_INT_H */
