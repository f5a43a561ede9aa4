/*
 * csl.h - the internal API of the CSL 1.0.2 engine (csl_*.c).
 *
 * A style is parsed once with libxml2 into a tree of typed nodes (struct
 * csl_node); locales are merged into one table of terms and date formats.
 * Rendering never touches libxml2: it walks the node tree for each item and
 * builds an output tree (struct csl_out), which is flattened into the target
 * format (text, Markdown, HTML, LaTeX).
 *
 * The CV layer (cv.c) codes against cvb_csl_bibliography_entries() below.
 */
#ifndef CSL_H
#define CSL_H

#include "cvb_int.h"

/* ---------------------------------------------------------------- styles */
enum csl_ntype {
	CN_NONE, CN_LAYOUT, CN_TEXT, CN_NUMBER, CN_LABEL, CN_GROUP, CN_CHOOSE,
	CN_IF, CN_ELSEIF, CN_ELSE, CN_NAMES, CN_NAME, CN_NAMEPART, CN_ETAL,
	CN_SUBSTITUTE, CN_DATE, CN_DATEPART, CN_KEY
};

/* formatting values; 0 = unset */
enum { FS_NORMAL = 1, FS_ITALIC, FS_OBLIQUE };
enum { FV_NORMAL = 1, FV_SMALLCAPS };
enum { FW_NORMAL = 1, FW_BOLD, FW_LIGHT };
enum { TD_NONE = 1, TD_UNDERLINE };
enum { VA_BASELINE = 1, VA_SUP, VA_SUB };
enum { DI_BLOCK = 1, DI_LEFT, DI_RIGHT, DI_INDENT };
enum { TC_LOWER = 1, TC_UPPER, TC_CAPFIRST, TC_CAPALL, TC_SENTENCE, TC_TITLE };

struct csl_fmt {
	unsigned char	 font_style, font_variant, font_weight, text_decoration;
	unsigned char	 vertical_align, display, text_case;
	unsigned char	 quotes, strip_periods;
	const char	*prefix, *suffix;
};

/* term forms */
enum { TF_LONG = 0, TF_SHORT, TF_VERB, TF_VERB_SHORT, TF_SYMBOL, TF__N };

/* name options (inheritable); an unset field has set bit clear */
struct csl_nameopt {
	unsigned	 set;		/* NO_* bits */
	int		 and_;		/* 0 none, 1 text, 2 symbol */
	const char	*delimiter;
	int		 dp_etal, dp_last;	/* 0 contextual, 1 after-inverted, 2 always, 3 never */
	int		 etal_min, etal_first, etal_sub_min, etal_sub_first;
	int		 etal_last;
	int		 form;		/* 0 long, 1 short, 2 count */
	int		 initialize;	/* default 1 */
	const char	*initialize_with;
	int		 sort_order;	/* 0 none, 1 first, 2 all */
	const char	*sort_sep;
	const char	*names_delim;	/* names-delimiter */
};
enum {
	NO_AND = 1 << 0, NO_DELIM = 1 << 1, NO_DPETAL = 1 << 2, NO_DPLAST = 1 << 3,
	NO_ETALMIN = 1 << 4, NO_ETALFIRST = 1 << 5, NO_ETALSUBMIN = 1 << 6,
	NO_ETALSUBFIRST = 1 << 7, NO_ETALLAST = 1 << 8, NO_FORM = 1 << 9,
	NO_INIT = 1 << 10, NO_INITWITH = 1 << 11, NO_SORTORDER = 1 << 12,
	NO_SORTSEP = 1 << 13, NO_NAMESDELIM = 1 << 14
};

/* condition tests of if/else-if */
enum csl_cond {
	CC_TYPE, CC_VARIABLE, CC_IS_NUMERIC, CC_IS_UNCERTAIN_DATE, CC_LOCATOR,
	CC_POSITION, CC_DISAMBIGUATE,
	CC_GROUP	/* CSL 1.1's <condition> in <conditions>: sub tests */
};
struct csl_test {
	enum csl_cond	 cond;
	int		 ival;		/* type, position, locator label, disambiguate;
					   CC_GROUP: the match of sub */
	struct cvb_varref var;
	const char	*name;		/* as written */
	const struct csl_test *sub;	/* CC_GROUP */
	int		 nsub;
};
enum { MATCH_ALL = 0, MATCH_ANY, MATCH_NONE };
/* The branches of a choose with their tests, side by side, so that finding
 * the branch to take reads a few cache lines instead of three per branch. */
struct csl_node;
struct csl_branch {
	const struct csl_node *node;	/* the if, else-if or else */
	const struct csl_test *tests;	/* a copy of node's */
	int		 ntests;
	int		 type;		/* node's type */
	int		 match;
	/* when every test is a type test: the set of types as bits (test
	 * values 0, which never match, left out); the types make one test,
	 * true when the item is any of them (match_tests() in csl_render.c) */
	bool		 types_only;
	uint64_t	 types;
};
enum { POS_FIRST = 1, POS_SUBSEQUENT, POS_IBID, POS_IBID_LOC, POS_NEAR };

struct csl_macro;
struct csl_node {
	enum csl_ntype	 type;
	unsigned	 line;
	struct csl_fmt	 f;
	const char	*delimiter;
	struct csl_node	*kids, *next;

	/* (what rendering reads most comes first: two cache lines) */
	/* text, number, label, date, key, names */
	struct cvb_varref var;		/* variable= (first) */
	int		 form;		/* term form; number form; date form; name form */
	int		 plural;	/* label: 0 contextual, 1 always, 2 never */
	const char	*term;
	const char	*value;
	struct csl_macro *macro;

	/* choose */
	struct csl_test	*tests;
	int		 ntests, match;
	struct csl_branch *branches;	/* of a choose, in one array; NULL: walk kids */
	int		 nbranches;
	bool		 has_form;	/* form= was given */

	const char	*var_name;
	struct cvb_varref *vars;	/* names: all variables */
	int		 nvars;
	const char	*macro_name;

	/* names */
	struct csl_nameopt no;		/* name */
	struct csl_node	*name, *etal, *label, *substitute;	/* of names */
	struct csl_node	*part_given, *part_family;	/* of name */
	int		 label_before;	/* names: label precedes name */

	/* date */
	int		 date_parts;	/* 3 ymd, 2 ym, 1 y */
	int		 dp_name;	/* date-part: 0 day 1 month 2 year */
	const char	*range_delim;

	/* sort key */
	int		 descending;
	int		 names_min, names_first, names_last;	/* 0 unset */
};

enum { NF_NUMERIC = 0, NF_ORDINAL, NF_LONG_ORDINAL, NF_ROMAN };
enum { DF_NONE = 0, DF_TEXT, DF_NUMERIC };
/* date-part forms */
enum { DPF_NUMERIC = 0, DPF_NUMERIC_LZ, DPF_ORDINAL, DPF_LONG, DPF_SHORT };

struct csl_macro {
	const char	*name;
	struct csl_node	*body;		/* kids of the macro */
	unsigned	 line;
	int		 busy;		/* recursion guard at render time */
};

/* a term of a locale */
struct csl_term {
	const char	*name;
	int		 form;
	const char	*single, *multiple;
	int		 gender;	/* 0 none, 1 masculine, 2 feminine */
	int		 gender_form;	/* ordinals */
	int		 match;		/* ordinals: 0 default, 1 last-digit, 2 last-two, 3 whole */
};

struct csl_locale {
	struct csl_term	*terms;
	size_t		 nterms, alloc;
	unsigned	*th;		/* hash index of terms by name and form:
					   index + 1, 0 empty; NULL: none */
	size_t		 thn;		/* its size, a power of two */
	struct csl_node	*date[3];	/* DF_TEXT, DF_NUMERIC */
	int		 punct_in_quote;	/* -1 unset */
	int		 limit_ordinals;	/* -1 unset */
	int		 has_ordinals;
};

struct csl_section {
	struct csl_node	*layout;
	struct csl_node	*sort;		/* list of CN_KEY */
	struct csl_nameopt no;
	/* bibliography */
	int		 hanging_indent, second_field_align, line_spacing, entry_spacing;
	const char	*subseq_author;	/* subsequent-author-substitute */
	int		 subseq_rule;	/* 0 complete-all, 1 complete-each, 2 partial-each, 3 partial-first */
	/* citation */
	int		 disamb_names, disamb_given, disamb_ysuffix;
	int		 given_rule;	/* 0 by-cite, 1 all-names, 2 all-names-with-initials,
					   3 primary-name, 4 primary-name-with-initials */
	int		 collapse;	/* 0 none, 1 citation-number, 2 year, 3 year-suffix, 4 year-suffix-ranged */
	const char	*cite_group_delim, *ysuffix_delim, *after_collapse_delim;
	int		 near_note_distance;
	int		 present;
};

struct cvbib_style {
	struct cvb_arena arena;
	const char	*file;
	const char	*default_locale;
	int		 class_note;
	int		 demote_ndp;	/* 0 never, 1 sort-only, 2 display-and-sort */
	int		 init_hyphen;	/* initialize-with-hyphen */
	int		 page_range_format; /* 0 none, 1 expanded, 2 minimal, 3 minimal-two, 4 chicago(-16), 5 chicago-15 */
	struct csl_nameopt no;
	struct csl_macro *macros;
	size_t		 nmacros;
	struct csl_section cit, bib;
	struct csl_locale loc;
	const char	*quotes[4];	/* open, close, inner open, inner close */
	bool		 uses_ysuffix;	/* the style renders year-suffix itself */
	bool		 uses_disamb_cond;	/* some if tests disambiguate= */
	int		 n_disamb_tests;	/* how many test disambiguate="true" */
	int		 owner_etal;	/* a CV list: OWNER_ETAL_*; 0: as the style says */
};
/* How a CV list shows a highlighted owner that et-al would hide. */
enum { OWNER_ETAL_STYLE = 0, OWNER_ETAL_SHOW, OWNER_ETAL_ALL };

/* csl_style.c */
const struct csl_term *csl_term_get(const cvbib_style *, const char *name,
	    int form, int gender_form);
/* The text of a term (single or multiple); NULL when the locale lacks it. */
const char *csl_term_text(const cvbib_style *, const char *name, int form, int plural);
/* Embedded styles and locales (build/gen_csl_data.c). */
struct csl_embedded { const char *name; const char *data; size_t len; };
extern const struct csl_embedded csl_embedded_styles[];
extern const struct csl_embedded csl_embedded_locales[];

/* csl_find.c: styles and locales by name */
struct csl_found {
	char		*data;		/* the file's text (malloc'd), or NULL for own */
	size_t		 len;
	const struct csl_embedded *own;	/* one of cvbib's own styles */
	char		 path[4096];	/* the file found (own: its name) */
};
/* Find style name on the search path; 0 when found (free f->data). */
int	csl_style_find(const struct cvbib_options *, const char *name, struct csl_found *f);
/* The directories to look for locales-LANG.xml in, in order. */
size_t	csl_locale_dirs(const struct cvbib_options *, const char *lang, char dirs[][4096], size_t max);
const struct csl_embedded *csl_own_locale(const char *name);
/* The system's CSL directory, or NULL for none. */
const char *csl_system_dir(const struct cvbib_options *);
int	csl_read_file(const char *path, char **data, size_t *len);
/* Up to max close names of styles, comma-separated, appended to b. */
void	csl_close_names(const struct cvbib_options *, const char *name, struct cvb_buf *b, int max);
/* Where styles are looked for, in words, appended to b. */
void	csl_style_places_text(const struct cvbib_options *, struct cvb_buf *b);

/* csl_util.c */
bool	csl_is_numeric(const char *s);
void	csl_roman(struct cvb_buf *, long n);
/* Reformat a page range per style->page_range_format, with en dashes. */
void	csl_page_range(struct cvb_buf *, const char *s, int format, const char *delim);
/* Change the case of CSL rich text s (nocase spans are kept). first: at the start of the output. */
void	csl_text_case(struct cvb_buf *, const char *s, int tc, bool *first);
void	csl_text_case_lang(struct cvb_buf *, const char *s, int tc, bool *first, const char *lang);
/* Append an ordinal suffix for n per the locale. */
void	csl_ordinal(struct cvb_buf *, const cvbib_style *, long n, int gender, bool longform);
/* Collation key comparison of two strings (case- and markup-insensitive). */
int	csl_strcoll(const char *a, const char *b);
/* The same comparison with a key made once per string (malloc'd; NULL for
 * NULL): sorting compares keys instead of collating on every compare. */
struct csl_ckey;
struct csl_ckey *csl_ckey_new(const char *s);
int	csl_ckey_cmp(const struct csl_ckey *a, const struct csl_ckey *b);

/* ------------------------------------------------------------ processing */
/* Per-item state while formatting one bibliography or citation list. */
struct csl_istate {
	struct cvb_item	*item;
	int		 regorder;	/* registration (first-cite or input) order */
	int		 citnum;	/* citation-number */
	int		 ysuffix;	/* 0 none, 1 = "a" */
	int		 add_names;	/* names added for disambiguation */
	int		 given_level;	/* 0 as styled, 1 initials, 2 full given names */
	unsigned char	*name_level;	/* per-name given level (by name index), or NULL */
	int		 nname_level;
	int		 disamb;	/* how many disambiguate="true" tests hold
					   (the first ones met while rendering) */
	int		 first_note;	/* first-reference-note-number */
	struct csl_ckey	**keys;		/* sort keys of the bibliography */
	int		 cited;
	bool		 subsequent;	/* cited in a subsequent position */
	int		 peers[2];	/* other items that read the same before
					   disambiguation: first, subsequent position
					   (counted for cvb_csl_citations_update only) */
};

/* An output node: a leaf (text, CSL rich text) or a group of kids. */
#define CO_HIGHLIGHT	0x01
#define CO_MARKER	0x02
#define CO_EMPTY	0x04	/* computed: renders nothing */
#define CO_YSUFFIX	0x08
#define CO_NAMES	0x10	/* the output of a names element */
#define CO_CITNUM	0x20
#define CO_TERM		0x40	/* a term (capitalized at the start of a note) */
#define CO_NAME		0x80	/* one name of a name list */
#define CO_FULL		0x100	/* while rendering: known to render something */
#define CO_LITERAL	0x200	/* text, not CSL rich text: markup in it is printed */
struct csl_out {
	const char	*text;
	struct csl_fmt	 f;
	const char	*delim;
	struct csl_out	*kids, *last, *next;
	unsigned	 flags;
	unsigned	 fl_full;	/* csl_flatten: renders something (its pass's number) */
};

struct csl_rctx {
	cvbib_style	*s;
	struct cvb_arena *a;
	const struct csl_section *sec;
	bool		 bib;		/* rendering the bibliography */
	struct csl_istate *st;
	struct cvb_item	*it;
	const struct cvbib_cite *cite;
	int		 position;	/* POS_* or 0 */
	bool		 near_note;
	bool		 sorting;	/* rendering a sort key */
	int		 sort_min, sort_first, sort_last;	/* key overrides */
	bool		 supp_s[CVB_V__COUNT], supp_d[CVB_DV__COUNT], supp_n[CVB_NV__COUNT];
	int		 ncalled, nrendered;
	bool		 in_subst;
	bool		 just_looking;	/* a cite for disambiguation: no accessed date */
	const struct csl_node *subst_names;	/* the names element being substituted */
	int		 suppress_author;	/* 1: drop the first names output */
	int		 author_only;
	struct csl_out	*first_names;	/* the first names output of the cite */
	struct csl_out	*first_namelist; /* its first list of names, without label */
	int		 macro_depth;
	bool		 plain_names;	/* names as plain strings (sorting by macro) */
	bool		 ysuffix_done;	/* the implicit year-suffix was placed */
	int		 disamb_used;	/* disambiguate="true" tests that held so far */
	bool		 layout_last_empty;	/* csl_render_layout: its last kid rendered nothing */
};

/* csl_render.c */
void	csl_rctx_init(struct csl_rctx *, cvbib_style *, struct cvb_arena *,
	    const struct csl_section *, struct csl_istate *);
/* Render a layout (its kids, with its formatting when with_fmt). */
struct csl_out *csl_render_layout(struct csl_rctx *, const struct csl_node *layout, bool with_fmt);
struct csl_out *csl_out_new(struct csl_rctx *, const char *text);
void	csl_out_add(struct csl_out *parent, struct csl_out *kid);
bool	csl_out_empty(struct csl_out *);
/* Flatten an output tree into out in format fmt. */
void	csl_flatten(const cvbib_style *, struct csl_out *, enum cvbib_outfmt, struct cvb_buf *out);
/* LaTeX math m[0..n) ($...$, dollars included) as format fmt writes it (math
 * in LaTeX, Markdown and Typst, its text in HTML and plain text);
 * digit_after: a digit follows it. */
void	csl_math_out(struct cvb_buf *, enum cvbib_outfmt fmt, const char *m, size_t n,
	    bool digit_after);
/* The same inside formatting already open: CSL_IN_* bits. */
#define CSL_IN_ITALIC	1
#define CSL_IN_BOLD	2
#define CSL_IN_SC	4
void	csl_flatten_in(const cvbib_style *, struct csl_out *, enum cvbib_outfmt,
	    struct cvb_buf *out, unsigned in);
/* The sort key of one <key> for the item in r. */
char   *csl_sort_key(struct csl_rctx *, const struct csl_node *key);
/* Shared by csl_render.c and csl_names.c. */
char   *csl_astr(struct csl_rctx *, const char *s, size_t n);
/* b's text copied to the arena; b released. */
char   *csl_bufstr(struct csl_rctx *, struct cvb_buf *b);
/* A node's formatting, affixes, text-case and strip-periods applied to o. */
struct csl_out *csl_finish(struct csl_rctx *, const struct csl_node *, struct csl_out *o);
struct csl_out *csl_leaf(struct csl_rctx *, const char *s);
struct csl_out *csl_render_node(struct csl_rctx *, const struct csl_node *);
/* A term of the style's locale (NULL when missing). */
const char *csl_rterm(struct csl_rctx *, const char *name, int form, bool plural);
bool	csl_out_empty_walk(struct csl_out *);
/* csl_out_empty() trusting CO_FULL marks (see csl_render.c). */
static inline bool
csl_out_isempty(struct csl_out *o)
{
	return !o || (!(o->flags & CO_FULL) && csl_out_empty_walk(o));
}

/* csl_names.c */
struct csl_out *csl_render_names(struct csl_rctx *, const struct csl_node *);
/* Names of a variable as displayed (for subsequent-author-substitute). */

/* ------------------------------------------------------------ API */
struct cvb_csl_entry {
	struct cvb_item	*item;
	char		*text;	/* one formatted entry in the output format, without
				   the list wrapper; malloc'd.  HTML: the content of
				   citeproc-js's <div class="csl-entry"> (with
				   csl-left-margin/csl-right-inline divs for
				   second-field-align styles); LaTeX: a fragment with
				   every special character escaped. */
};
/*
 * Format the bibliography entries of every item in b, in the style's order
 * (use_style_sort) or in b's order.  On success *entries is a malloc'd array of
 * *n entries; free it with cvb_csl_entries_free().  Conventions:
 *  - item->str[CVB_V_CITATION_NUMBER], when set, is the item's citation-number;
 *  - names with CVB_NF_HIGHLIGHT are rendered bold;
 *  - a name's marker is appended right after the rendered name.
 */
int	cvb_csl_bibliography_entries(cvbib_style *, cvbib_biblio *,
	    enum cvbib_outfmt, int use_style_sort, struct cvb_csl_entry **entries,
	    size_t *n, struct cvbib_diags *);
void	cvb_csl_entries_free(struct cvb_csl_entry *, size_t);

/* The bibliography options of a style, for the list wrapper. */
struct cvb_csl_bibopts {
	int	 present;		/* the style has a <bibliography> */
	int	 hanging_indent;	/* 0/1 */
	int	 second_field_align;	/* 0 none, 1 flush, 2 margin */
	int	 line_spacing, entry_spacing;	/* default 1 */
	int	 numeric;		/* the layout shows citation-number */
};
void	cvb_csl_bib_options(const cvbib_style *, struct cvb_csl_bibopts *);

/* Output format variant used by the test-suite helper: citeproc-js's html. */
#define CVB_CSL_OUT_HTML CVBIB_OUT_HTML

/* The fixture runner's bibliography filter (BIBSECTION) and second-field
 * alignment are handled in the helper; this renders all of one citation list
 * state.  Renders each of cits[] into outs[i] (malloc'd strings). */
int	cvb_csl_citations(cvbib_style *, cvbib_biblio *, struct cvbib_citation *,
	    size_t ncits, enum cvbib_outfmt, char **outs, struct cvbib_diags *);
/*
 * A document's citations after an edit (a citation added, moved or
 * changed), as a word processor's plugin asks a processor for them: each of
 * after[] is rendered into outs[i] (malloc'd), and changed[i] says whether
 * it must be replaced in the document, i.e. whether it differs from the
 * citation with the same id in before[] in its text or in what it was
 * rendered from: the positions, near-note and first-reference note numbers
 * of its cites, and the citation numbers and disambiguation of its items
 * (including the set of items they read the same as).  A citation without
 * an id, or whose id is not in before[], is changed.  Positions are
 * computed afresh for both lists (a cite's position given by the caller is
 * kept); before and after may share cites.
 */
int	cvb_csl_citations_update(cvbib_style *, cvbib_biblio *,
	    struct cvbib_citation *before, size_t nbefore,
	    struct cvbib_citation *after, size_t nafter, enum cvbib_outfmt,
	    char **outs, bool *changed, struct cvbib_diags *);
/* Bibliography of the given items (subset, in the given order) wrapped as in
 * citeproc-js when fmt is HTML; items may be NULL for all. */
int	cvb_csl_bibliography_items(cvbib_style *, cvbib_biblio *, struct cvb_item **items,
	    size_t nitems, struct cvbib_citation *cits, size_t ncits,
	    enum cvbib_outfmt, struct cvb_buf *out, struct cvbib_diags *);

#endif /* CSL_H */
