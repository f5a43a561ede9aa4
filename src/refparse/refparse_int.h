/*
 * refparse_int.h - what the reference parser's files share (not part of
 * the library's interface).
 *
 *   refnames.c   the rule parser's tokens and the name grammar: name lists
 *                ("J. Smith", "Smith, J.", "Smith JA"), names into the item
 *   reflabel.c   the sequence model's labels: decoding (markup as structure)
 *                and the corrections exact recognisers are sure of
 *   refparse.c   labelled spans into fields, the phrases of CVs, the type
 */
#ifndef CVB_REFPARSE_INT_H
#define CVB_REFPARSE_INT_H

#include "cvb_int.h"
#include "seq/seq.h"

#define CONSUMED	'\x1f'
#define MAXTOK		512
#define MAXNAME		128

struct span { int b, e; };

struct rname {
	struct span	 fam, giv, part, suf;
	unsigned	 flags;
	struct span	 mark;
	int		 literal;
};

enum tk { TK_END, TK_WORD, TK_COMMA, TK_SEMI, TK_AND, TK_ETAL, TK_COLON,
	TK_OPEN, TK_CLOSE, TK_QUOTE, TK_OTHER };

/* word classes */
#define W_INIT		0x01	/* J.  J  J.C.  J.-P.  Ch. */
#define W_INITB		0x02	/* JC  SM  (2-3 capitals, no dot) */
#define W_CAP		0x04	/* Smith  O'Brien  Kubler-Ross */
#define W_ALLCAPS	0x08	/* SMITH */
#define W_LOW		0x10
#define W_PART		0x20	/* van der de ... */
#define W_DIGIT		0x40
#define W_DOT		0x80	/* ends in '.' */
#define W_SUFFIX	0x100	/* Jr. Sr. II III */
#define W_CAPPART	0x200	/* De Van Von ... */

struct tok {
	enum tk		 t;
	int		 b, e;		/* word without the marker */
	unsigned	 cls;
	struct span	 mark;		/* trailing marker: * † ‡ ... */
};

struct rp {
	char		*w;
	const char	*o;		/* the string as it was, for the output */
	int		 n;
	struct tok	 tok[MAXTOK];
	int		 ntok;
	struct rname	 au[MAXNAME], ed[MAXNAME / 4];
	int		 nau, ned, au_others, ed_others;
	const struct cvb_refctx *ctx;
	int		 astart;	/* where the author list starts */
};

/* the three grammars of name lists */
enum style { ST_NONE, ST_GF, ST_FC, ST_FI };

static inline bool
is_sp(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool
is_trim(int c)
{
	return c == ' ' || c == ',' || c == '.' || c == ';' || c == ':';
}

static inline bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Is token t (of the string base) the one character ch? */
static inline bool
tok_is(const char *base, const struct cvb_reftok *t, char ch)
{
	return t->e - t->b == 1 && base[t->b] == ch;
}

/* reffeat.c: the words that announce a field */
extern const char *const cvb_ref_page_words[], *const cvb_ref_volume_words[],
    *const cvb_ref_issue_words[], *const cvb_ref_editor_words[],
    *const cvb_ref_meeting_words[];

/* refparse.c: the row of data/text-venues.tsv of a venue known by its
 * acronym in the n bytes of o ("NeurIPS 2020"), or -1 */
int	cvb_rp_venue_in(const char *, int);

/* refnames.c */
bool	cvb_rp_and_word(const char *, int);
int	cvb_rp_authors(struct rp *, int, int, struct rname *, int, int *, int *, enum style *);
void	cvb_rp_names_of(cvbib_biblio *, struct cvb_item *, struct rp *, int, int, enum cvb_nvar);
int	cvb_rp_word_is(const char *, int, const char *const *);
int	cvb_rp_year_in(const char *, int, int, char *, int *);

/* reflabel.c: the labels (ours, CVB_RL_*) of the nt tokens of base (len
 * bytes, off bytes into the string the context's spans count in), with the
 * model's confidence in conf when it is not NULL; r is the rule parser's
 * state over base.  0, or -1 when out of memory. */
int	cvb_rp_label(const struct cvb_seq_model *, const char *base, size_t len, size_t off,
	    const struct cvb_reftok *, int nt, const struct cvb_refctx *, struct rp *r,
	    int *lab, double *conf);
const struct cvb_seq_model *cvb_rp_model(const struct cvb_refctx *);

#endif
