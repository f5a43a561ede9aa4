/*
 * ft.h - internal declarations of the free-text CV reader (src/freetext/).
 *
 *   clean.c     inline cleaning: mojibake, entities, Markdown markup, list markers
 *   doc.c       the document model: lines from Markdown, text, HTML
 *   sections.c  what a heading names; the legend of author markers
 *   entry.c     one entry's text into one item
 *   read_text.c the walk over the lines: which are entries; the entry point
 */
#ifndef CVB_FT_H
#define CVB_FT_H

#include <stdbool.h>
#include "cvb_int.h"

#define EMPH_OPEN	'\x02'
#define EMPH_CLOSE	'\x03'
/* a link whose text only labels it ("[PDF](url)"): LINK_OPEN field LINK_SEP
 * url LINK_CLOSE, taken out of the entry's text into the extra field */
#define LINK_OPEN	'\x1d'
#define LINK_SEP	'\x1f'
#define LINK_CLOSE	'\x1e'

struct tline {
	char		*text;		/* cleaned UTF-8, may hold EMPH marks */
	unsigned	 lineno, col;	/* where the text starts in the source */
	int		 heading;	/* 1..6, 0: not a heading */
	int		 list;		/* 0 none, 1 bullet, 2 number, 3 [n] */
	long		 num;		/* the number of a numbered item */
	int		 indent;
	int		 blank;
	int		 brk;		/* HTML: a <br> inside the block came before */
	long		 sec;		/* the heading above (index in lines), -1: none */
	int		 html;		/* Markdown: inside this many raw HTML blocks */
	int		 page;		/* PDF text: the page (form feeds before it) */
	int		 taken;		/* read_text.c: part of an entry, or its abstract */
};

struct lines {
	struct tline	*v;
	size_t		 n, alloc;
	int		 err;
	int		 html_depth;	/* Markdown: raw HTML blocks open */
	int		 page;		/* the page being read (PDF, text with form feeds) */
};

#define MAXSEG 64
struct entry {
	struct cvb_buf	 text;		/* lines joined by '\n' */
	unsigned	 line, col;
	int		 list, indent, nlines;
	long		 num;
	bool		 date_first;	/* its first line is a date alone */
	bool		 card;		/* a card of dated cards, its date set apart */
	enum cvb_type	 card_type;	/* a card's label over its title ("Journal Article") */
	/* where each line starts in the source: for entries split apart */
	unsigned	 seg_line[MAXSEG], seg_col[MAXSEG];
};

struct ft_ids;

struct reader {
	cvbib_biblio	*b;
	enum cvb_textkind kind;
	const char	*file;
	struct cvbib_diags *d;
	struct cvb_refctx ctx;
	const char	*group;
	struct ft_ids	*ids;		/* ids given and titles seen (hashed) */
	struct { const char *name; int count; } owners[16];	/* bold names seen */
	size_t		 nowners;
	int		 ctx_year;	/* from a year heading or a date line above, 0: none */
	double		 sec_refshare;	/* of the section being read (ft_section_refshare) */
	double		 conf;		/* the segmenter's confidence in the entry being read */
	enum cvb_type	 card_type;	/* of the entry being read: its card's label, or none */
	int		 err;
	cvbib_biblio	*probe;		/* scratch parses of ft_continues() */
};

/* clean.c */
void	ft_fix_mojibake(struct cvb_buf *, const char *, size_t);
void	ft_clean_markdown(struct cvb_buf *, const char *, size_t);
/* A link: its (cleaned) text and its target into out, as the entry text
 * holds it: "text url", the URL alone when the text only says "DOI" or
 * "Link", a LINK_OPEN mark for a labelled PDF, slides, code ... link. */
void	ft_add_link(struct cvb_buf *out, const char *text, size_t tn, const char *url, size_t un);
/* ... and hidden: a web page's link, whose target the reader does not see:
 * "text url" and a "link" mark with the target (entry.c: what is only in
 * the target is not the entry's DOI, URL or arXiv number). */
void	ft_add_href(struct cvb_buf *out, const char *text, size_t tn, const char *url, size_t un,
	    bool hidden);
/* Is s a degree of an Education section ("Ph.D. in Physics, MIT")? */
bool	ft_is_degree_line(const char *s);
/* s without EMPH marks and labelled links, in place (a heading as a group name) */
void	ft_plain(char *s);
void	ft_strip_math(struct cvb_buf *, const char *, size_t);
size_t	ft_list_marker(const char *, size_t, int *kind, long *num);

/* doc.c */
bool	ft_is_empty(const char *);
struct tline *ft_lines_add(struct lines *);
void	ft_lines_free(struct lines *);
void	ft_add_text_line(struct lines *, const char *, size_t, unsigned lineno,
	    enum cvb_textkind, int *in_fence);
int	ft_html_lines(struct lines *, const char *, size_t, const char *file,
	    struct cvbib_diags *);
/* The lines of a document of any kind (a .txt that is Markdown or HTML is
 * read as such; a PDF through pdf.c). */
int	ft_doc_build(struct lines *, const char *, size_t, const char *file,
	    enum cvb_textkind, struct cvbib_diags *);

/* pdf.c */
/* Is line i, labelled S, a note on the entry above instead (read_text.c)? */
bool	ft_annotation_line(const struct lines *, const char *label, size_t i);
int	ft_pdf_lines(struct lines *, const char *, size_t, const char *file,
	    struct cvbib_diags *);

/* sections.c */
int	ft_section_kind(const char *);
bool	ft_names_thesis(const char *heading);
/* The CSL type a line that only names a kind of publication gives ("Conference Paper"). */
enum cvb_type ft_type_label(const char *line);
/* Are the words of s (n bytes) months and seasons only ("Mar 2021", not "IROS 2024")? */
bool	ft_date_words(const char *s, size_t n);
bool	ft_titled_line(const char *, enum cvb_textkind);
void	ft_find_legend(const struct lines *, struct cvb_refctx *, cvbib_biblio *);
bool	ft_is_legend_line(const char *);

/* segment.c */
struct cvb_seq;
struct cvb_seq_model;
/* The segmenter's features of every non-blank line of L, one position each;
 * pos_line[k] is the line of position k.  Returns the number of positions, -1: no memory. */
int	ft_seg_features(const struct lines *, struct cvb_seq *, size_t *pos_line);
/* The year a heading or date line gives the entries under it; 0 none, -1 a
 * heading that ends a year's scope. */
int	ft_line_year(const struct tline *);
bool	ft_markup_line(const char *, int *year);	/* LaTeX markup only */
bool	ft_date_alone(const char *, int *year);	/* "10/22", "2021" */
/* The share of the lines under heading sec that look like references. */
double	ft_section_refshare(const struct lines *, long sec);
/* The model compiled in; NULL when the build has none. */
const struct cvb_seq_model *ft_seg_builtin(void);
/* Label every line (label[i]: 'H' 'S' 'C' 'A' 'O', 0 for blank lines) with
 * model m, and its confidence.  Returns 0, -1 (no memory or no model). */
int	ft_segment(const struct lines *, const struct cvb_seq_model *m, char *label, double *conf);

/* read_text.c */
bool	ft_is_award_line(const char *);
/* cvb_read_text_kind() with a given segmenter model (NULL: the built-in one). */
int	ft_read_text_model(cvbib_biblio *, const char *, size_t, const char *file,
	    enum cvb_textkind, const struct cvbib_options *, struct cvbib_diags *,
	    const struct cvb_seq_model *);

/* entry.c */
void	ft_finish_entry(struct reader *, struct entry *);
/* Does the line s go on with entry e rather than start one (a venue or the
 * rest of a list of names on a line of its own, under an entry that lacks
 * them)?  card: e is a title and its names line (known), only s is asked. */
bool	ft_names_line(const char *, size_t);
enum cvb_type ft_section_type(const char *);
int	ft_lines_after_names(const struct entry *);
bool	ft_continues(struct reader *, const struct entry *e, const char *s, bool card);
bool	ft_reference_line(struct reader *, const char *s);
/* Is s, a list item under a publications heading, an entry (a title, a year, and a venue, names or a link)? */
bool	ft_listed_reference(struct reader *, const char *s);
/* read_text.c: the segmenter's labels ('S' start, 'C' goes on, 'H', 'O')
 * corrected by a list's markers; is line i the wrapped rest of the one before? */
void	ft_list_runs(const struct lines *, char *label);
bool	ft_wrapped_after(const struct lines *, size_t i);
bool	ft_cited_line(const struct tline *);	/* a citation in another section */
void	ft_reader_free(struct reader *);
/* Highlight the CV owner (the name most often in bold) in items[first..]. */
void	ft_mark_owner(struct reader *, size_t first);

#endif
