/*
 * bibread.h - what the parts of the BibTeX reader share (read_bibtex.c: lexing,
 * fields, entries and the driver; bibinherit.c: crossref/xdata inheritance;
 * bibencoding.c: input encodings).  Internal to src/bibtex/.
 */
#ifndef CVB_BIBREAD_H
#define CVB_BIBREAD_H

#include "cvb_int.h"

/*
 * Limits on @string expansion (README "Reliability"): a value may not grow
 * past CVB_BIB_MAX_VALUE bytes through macros, and macros may not bring more
 * than CVB_BIB_MAX_EXPANSION bytes into one input in all.  Either one is an
 * error on that entry or @string, which is skipped; the rest is read.
 */
#define CVB_BIB_MAX_VALUE	(1u << 20)
#define CVB_BIB_MAX_EXPANSION	(64u << 20)


struct macro {
	const char	*name;		/* lowercase, arena */
	const char	*value;		/* raw, arena */
	size_t		 len;
	bool		 month;		/* a predefined month macro */
};

struct dfield {
	char		 name[32];
};

struct rd {
	cvbib_biblio	*b;
	const char	*file;
	const struct cvbib_options *o;
	struct cvbib_diags *d;
	const char	*s, *e, *p;
	const char	*pos_at, *pos_ls;	/* pos(): last position and its line start */
	unsigned	 pos_line;
	struct cvb_buf	 val, tmp;
	struct macro	*mac;
	size_t		 nmac, capmac;
	size_t		 expanded;	/* bytes macros brought in (CVB_BIB_MAX_EXPANSION) */
	struct cvb_keyset keys;
	size_t		 first;		/* first item of this input */
	/* the entry being read */
	struct cvb_item	*it;
	const char	*key;
	struct dfield	*seen;
	size_t		 nseen, capseen;
	const char	*year, *month, *day;	/* raw values */
	size_t		 yearoff, monthoff;
	int		 month_macro;	/* month given as a bare month macro */
	bool		 has_date;
	/* the value being read */
	int		 single_macro;	/* value was one month macro: its number */
	/* a braced value in this entry holding a line like "field =": its '{' */
	const char	*suspect;
	char		 suspect_field[64];
	bool		 converted;	/* the input was converted to UTF-8 */
	size_t		 src_skip;	/* bytes before s in biblio->src (a BOM) */
	bool		 in_xdata;	/* reading an @xdata entry */
	bool		 no_defer;	/* reading a deferred field now */
	struct cvb_field *last_blk;	/* the block stored last */
};


/*
 * What inheritance needs across inputs, kept in the bibliography (arena):
 * the @xdata entries and the raw values of their fields, the fields whose
 * value holds a granular xdata reference (resolved once the target is
 * read), and whether cvb_bibtex_done() has run.  Links are resolved at the
 * end of each input over everything read so far, so that a child can
 * inherit from a parent in another file; targets still missing are only
 * reported by cvb_bibtex_done(), after the last input.
 */
struct xraw {
	const struct cvb_item *it;
	const char	*name, *value;
	struct xraw	*next;
};
struct gref {
	struct cvb_item	*it;
	const char	*name, *value;	/* field name (lowercase), raw value */
	bool		 done;
	struct gref	*next;
};
struct cvb_bibstate {
	struct cvb_item	**xdata;
	size_t		 nxdata, capxdata;
	struct xraw	*raws;
	struct gref	*grefs, **grefs_tail;
	bool		 links;		/* some entry has crossref/xref/xdata */
	/* @string macros of the inputs read so far: they hold in the next
	 * input too, as \bibliography{abbrev,papers} makes BibTeX read them */
	struct macro	*macs;
	size_t		 nmacs;
};

/* read_bibtex.c */
const char *cvb_brd_astr(struct rd *r, const char *s, size_t n);
void	cvb_brd_field(struct rd *r, const char *name, size_t nlen, const char *at);
void	cvb_brd_useprefix_entry(struct cvb_item *it);

/* bibinherit.c */
struct cvb_bibstate *cvb_brd_bstate(cvbib_biblio *);
void	cvb_brd_xdata_keep(struct rd *, struct cvb_item *);
bool	cvb_brd_gref_field(struct rd *, const char *lname, enum cvb_bfk);
void	cvb_brd_inheritance(struct rd *r, size_t first, size_t xfirst, bool final);

/* bibencoding.c */
const char *cvb_brd_enc_canon(const char *e);
const char *cvb_brd_enc_hint(const char *s, size_t n);
const char *cvb_brd_enc_guess(const char *s, size_t n);
const char *cvb_brd_enc_name(const char *enc);

#endif
