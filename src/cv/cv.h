/*
 * cv/cv.h - declarations shared by the files of the CV layer (src/cv/) and
 * by no one else: the groups (cv_group.c) and the helpers of cv.c that the
 * writers use.  The CV layer's interface to the rest is in cvb_int.h.
 */
#ifndef CVB_CV_H
#define CVB_CV_H

enum groupby { GB_NONE, GB_TYPE, GB_YEAR, GB_KEYWORD, GB_SELECTED, GB_SECTION };

struct group {
	const char	*key;		/* folded match key */
	const char	*title;		/* heading, NULL for none */
	const char	*prefix;	/* number prefix, "" for none */
	const char	*slug;		/* for CSS classes */
	struct cvb_item	**items;
	size_t		 n;
	size_t		 order;		/* rank in the spec; -1 when unlisted */
	bool		 wildcard;	/* '*' in the spec: everything unlisted */
	size_t		 seq;		/* creation order: first appearance */
	int		 gb;		/* enum groupby, for group_cmp() */
	bool		 descending;	/* year groups newest first */
	const char	*keys[8];	/* the spec's keys ("a+b") */
	const char	*widest;	/* its widest number label (Typst), or NULL */
	size_t		 nkeys;
};

struct glist {
	struct group	*v;
	size_t		 n, alloc;
};

/* Group items[0..n) (sorted) by gb and e->groups into g (cv_group.c). */
int	cvb_cv_build_groups(cvbib_biblio *b, const struct cvbib_options *e, enum groupby gb,
	    struct cvb_item **items, size_t n, struct glist *g, struct cvbib_diags *d);
/* The index of v in ok[] (NULL-terminated), 0 for no value; -1 with a
 * diagnostic naming opt when v is none of them. */
int	cvb_cv_check_choice(const char *v, const char *opt, const char *const *ok,
	    struct cvbib_diags *d);
/* "true", "yes", "1"...: a CV flag field that is set (cv.c). */
bool	cvb_cv_truthy(const char *s);
/* Does it have a note of kind k saying text already? (cv.c) */
bool	cvb_cv_has_note(const struct cvb_item *it, enum cvb_note_kind k, const char *text);
/* Is the output a CV list (a CV option given or the input a CV), not the
 * engine's plain reference list? (cv.c) */
bool	cvb_cv_is_list(const cvbib_biblio *b, const struct cvbib_options *e);

#endif
