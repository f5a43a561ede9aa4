/*
 * csl_flat.c - csl_flatten(): an output tree (struct csl_out) into text,
 * Markdown, HTML (as citeproc-js writes it) or LaTeX, handling quotes,
 * punctuation-in-quote, italic flip-flop and duplicate punctuation (moved
 * out of csl_render.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csl.h"

/* ------------------------------------------------------------ flattening */

/* K_MATH: LaTeX math with its dollars (a nocase span of $...$ in the model);
 * K_LOGO: a TeX logo's text (a nocase span of "LaTeX", doc/model.md) */
enum { K_TEXT, K_OPEN, K_CLOSE, K_QOPEN, K_QCLOSE, K_MATH, K_LOGO };
enum { FK_I, FK_NOI, FK_B, FK_NOB, FK_SC, FK_NOSC, FK_UL, FK_SUP, FK_SUB, FK_BASE,
	FK_BLOCK, FK_LEFT, FK_RIGHT, FK_INDENT, FK_HL, FK_MARK, FK_LIGHT, FK_NODECOR };

struct tok {
	int	 k, f;
	const char *s;
	size_t	 n;
};

struct fl {
	const cvbib_style *s;
	struct tok *t;
	size_t	 n, alloc;
	int	 qdepth;
	bool	 qinner[64];	/* the kind of each open quote: inner (single) or outer */
	int	 err;
	bool	 in_leaf;	/* adding the text of one leaf: no punctuation moves */
	enum cvbib_outfmt fmt;
	unsigned pass;		/* this flattening's number, never 0 */
};

/* csl_out_empty() for flat(), which asks at every level: a node found to
 * render something is marked with the pass number, which stays valid for
 * this flattening only (the tree may change between two of them). */
static _Thread_local unsigned flat_passes;
/* The token array is kept for the next flattening (a few kB at most). */
static _Thread_local struct tok *tok_spare;
static _Thread_local size_t tok_spare_alloc;

static bool fl_empty_walk(struct fl *F, struct csl_out *o);

static inline bool
fl_empty(struct fl *F, struct csl_out *o)
{
	return !o || (o->fl_full != F->pass && fl_empty_walk(F, o));
}

static bool
fl_empty_walk(struct fl *F, struct csl_out *o)
{
	struct csl_out *k;

	if (o->text) {
		if (!o->text[0]) return true;
		o->fl_full = F->pass;
		return false;
	}
	for (k = o->kids; k; k = k->next)
		if (!fl_empty(F, k)) {
			o->fl_full = F->pass;
			return false;
		}
	return true;
}

static void
tok_push(struct fl *F, int k, int f, const char *s, size_t n)
{
	if (F->n == F->alloc) {
		size_t na = F->alloc ? F->alloc * 2 : 64;
		struct tok *nt = realloc(F->t, na * sizeof(*nt));
		if (!nt) { F->err = 1; return; }
		F->t = nt; F->alloc = na;
	}
	F->t[F->n].k = k; F->t[F->n].f = f; F->t[F->n].s = s; F->t[F->n].n = n;
	F->n++;
}

/* The last text token index (skipping markup), or -1. */
static long
last_text(struct fl *F)
{
	long i;

	for (i = (long)F->n - 1; i >= 0; i--)
		if ((F->t[i].k == K_TEXT || F->t[i].k == K_QCLOSE || F->t[i].k == K_QOPEN ||
		    F->t[i].k == K_MATH || F->t[i].k == K_LOGO) && F->t[i].n > 0)
			return i;
	return -1;
}

static void
add_text(struct fl *F, const char *s, size_t n)
{
	long li;

	if (n == 0) return;
	li = last_text(F);
	if (li >= 0) {
		struct tok *lt = &F->t[li];
		char pc = lt->s[lt->n - 1];
		if (lt->k == K_TEXT) {
			if (s[0] == ' ' && (pc == ' ' || (pc == '\xa0' && lt->n >= 2 && lt->s[lt->n - 2] == '\xc2'))) { s++; n--; }
			else if (strchr(":.;!?,", s[0]) && strchr(":.;!?,", pc)) {
				/* citeproc-js's table for two punctuation marks that meet */
				if (s[0] == pc || (s[0] == ':' && strchr(";!?", pc)) ||
				    (s[0] == '.' && strchr(":;!?", pc))) { s++; n--; }
				else if ((s[0] == '!' || s[0] == '?') && (pc == ':' || pc == ';')) {
					lt->n--;
					if (lt->n == 0) { add_text(F, s, n); return; }
				}
			}
			else if (s[0] == '.' && (pc == '.' || pc == '?' || pc == '!') && !(lt->n >= 3 && strncmp(lt->s + lt->n - 3, "...", 3) == 0 && 0)) { s++; n--; }
			else if ((s[0] == ',' || s[0] == ';' || s[0] == ':') && pc == s[0]) { s++; n--; }
			else if ((s[0] == ',' || s[0] == ';' || s[0] == ':' || s[0] == '.') && n >= 1 && 0) {}
		} else if (lt->k == K_QCLOSE && s[0] && strchr(".,!?", s[0]) && F->s->loc.punct_in_quote && !F->in_leaf) {
			/* move the punctuation inside the closing quote, merging it
			 * with what ends the quoted text (the same table as above) */
			long bi;
			char before = 0;
			for (bi = li - 1; bi >= 0; bi--)
				if (F->t[bi].k == K_TEXT && F->t[bi].n > 0) { before = F->t[bi].s[F->t[bi].n - 1]; break; }
			if (before && strchr(":.;!?,", before) &&
			    (s[0] == before || (s[0] == '.' && strchr(":;!?", before)))) {
				s++; n--;
			} else {
				if (before && (s[0] == '!' || s[0] == '?') && (before == ':' || before == ';'))
					F->t[bi].n--;
				/* insert the character before the (innermost) close-quote */
				long q = li;
				while (q > 0 && (F->t[q - 1].k == K_QCLOSE || (F->t[q - 1].k == K_CLOSE && q > 1 && F->t[q - 2].k == K_QCLOSE)))
					q--;
				while (q < li && F->t[q].k != K_QCLOSE) q++;
				li = q;
				tok_push(F, K_TEXT, 0, NULL, 0);
				if (F->err) return;
				memmove(&F->t[li + 1], &F->t[li], (F->n - 1 - (size_t)li) * sizeof(struct tok));
				F->t[li].k = K_TEXT; F->t[li].f = 0; F->t[li].s = s; F->t[li].n = 1;
				s++; n--;
			}
		} else if (lt->k == K_QCLOSE && s[0] == ':' && F->s->loc.punct_in_quote && !F->in_leaf) {
			long bi;
			for (bi = li - 1; bi >= 0; bi--)
				if (F->t[bi].k == K_TEXT && F->t[bi].n > 0) {
					char b = F->t[bi].s[F->t[bi].n - 1];
					if (b == ';' || b == '!' || b == '?' || b == ':') { s++; n--; }
					break;
				}
		}
	} else {
		/* nothing before: no leading space */
	}
	if (n > 0) tok_push(F, K_TEXT, 0, s, n);
}

/* A quote nested in another flips its kind; at the top, double quotes are
 * the locale's outer quotes and single quotes its inner ones. */
static void
quote_open_kind(struct fl *F, bool single)
{
	bool inner = F->qdepth > 0 ? !F->qinner[(F->qdepth - 1) % 64] : single;
	const char *q = F->s->quotes[inner ? 2 : 0];

	tok_push(F, K_QOPEN, 0, q, strlen(q));
	F->qinner[F->qdepth % 64] = inner;
	F->qdepth++;
}

static void
quote_open(struct fl *F)
{
	quote_open_kind(F, false);
}

static void
quote_close(struct fl *F)
{
	const char *q;

	if (F->qdepth <= 0) return;
	F->qdepth--;
	q = F->s->quotes[F->qinner[F->qdepth % 64] ? 3 : 1];
	tok_push(F, K_QCLOSE, 0, q, strlen(q));
}

static void
emit_run(struct fl *F, const char *run, const char *p)
{
	if (p > run) { add_text(F, run, (size_t)(p - run)); F->in_leaf = true; }
}

static void
emit_qopen(struct fl *F, bool single)
{
	quote_open_kind(F, single);
	F->in_leaf = true;
}

/*
 * Rich text of a leaf into tokens.  Quotes in the text become the locale's
 * quotes, nested ones flipping between outer and inner: straight quotes and
 * “…” / ‘…’ alike.  An opening quote that never closes, or a quote between
 * spaces, stays as written; an apostrophe becomes ’.
 */
/* The first character of text at q, past markup tags; 0 at the end. */
static char
peek_after_tags(const char *q)
{
	int k;

	for (k = 0; k < 4 && *q == '<'; k++) {
		const char *gt = strchr(q, '>');
		if (!gt) break;
		q = gt + 1;
	}
	return *q;
}

/* Is there a straight double quote in s that can close one (not after a space)? */
static bool
dq_closer(const char *s)
{
	const char *q;

	for (q = strchr(s, '"'); q; q = strchr(q + 1, '"'))
		if (q > s && q[-1] != ' ') return true;
	return false;
}

/*
 * r has just opened a nocase span: when it holds LaTeX math or a TeX logo
 * and nothing else, push it as one token (K_MATH, K_LOGO), consume the
 * span's closer and say so.
 */
static bool
math_or_logo(struct fl *F, struct cvb_rich *r)
{
	size_t n = cvb_rich_math(r->p);
	int k = K_MATH;

	if (n == 0) {
		const char *end = strstr(r->p, "</span>");

		if (end == NULL || cvb_latex_logo(r->p, (size_t)(end - r->p)) == NULL)
			return false;
		n = (size_t)(end - r->p);
		k = K_LOGO;
	}
	tok_push(F, k, 0, r->p, n);
	F->in_leaf = true;
	r->p += n;
	cvb_rich_next(r);	/* the closer */
	return true;
}

static void
rich_tokens(struct fl *F, const char *s)
{
	struct cvb_rich r;
	int squote = 0, dquote = 0;
	const char *after_q = NULL;	/* just past the last opening quote */
	char lastc = 0;
	size_t plain = strcspn(s, "<\"'\xe2");

	if (s[plain] == '\0') {
		/* no markup and no quotes: what the loop below makes of it */
		if (plain) add_text(F, s, plain);
		F->in_leaf = false;
		return;
	}
	cvb_rich_init(&r, s);
	while (cvb_rich_next(&r) != CVB_RT_END) {
		if (r.tok == CVB_RT_TEXT) {
			const char *p = r.text, *e = r.text + r.len, *run = p;
			for (; p < e; p++) {
				/* only quotes matter here: the rest is one run */
				if (*p != '"' && *p != '\'' && (unsigned char)*p != 0xe2) continue;
				char prev = p > r.text ? p[-1] : lastc;
				char next = p + 1 < e ? p[1] : peek_after_tags(r.p);
				/* (right after an opening quote: a nested one opens) */
				bool before_open = prev == 0 || prev == ' ' || prev == '(' || prev == '[' || prev == '\n' || prev == '-' ||
				    p == after_q;
				if (strncmp(p, "\xe2\x80\x9c", 3) == 0) {		/* “ */
					emit_run(F, run, p);
					emit_qopen(F, false); dquote++;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x9d", 3) == 0 && dquote > 0) {	/* ” */
					emit_run(F, run, p);
					quote_close(F); dquote--;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x98", 3) == 0 && strstr(p + 3, "\xe2\x80\x99")) {	/* ‘ */
					emit_run(F, run, p);
					emit_qopen(F, true); squote++;
					p += 2; run = p + 1;
					continue;
				}
				if (strncmp(p, "\xe2\x80\x99", 3) == 0 && squote > 0 &&
				    !(p + 3 < e && isalpha((unsigned char)p[3]))) {			/* ’ closing */
					emit_run(F, run, p);
					quote_close(F); squote--;
					p += 2; run = p + 1;
					continue;
				}
				if (*p == '"') {
					emit_run(F, run, p);
					run = p + 1;
					/* a quote after a space closes nothing, and opens
					 * only when one that can close follows ("Obligations "
					 * stays straight, as in citeproc-js) */
					if (dquote > 0 && prev != ' ' && !(before_open && next && next != ' ')) {
						quote_close(F); dquote--;
					} else if (before_open && next && next != ' ' && dq_closer(p + 1)) {
						emit_qopen(F, false); dquote++;
						after_q = p + 1;
					} else {
						add_text(F, "\"", 1); F->in_leaf = true;
					}
					continue;
				}
				if (*p == '\'') {
					emit_run(F, run, p);
					run = p + 1;
					if (before_open && next && (isalnum((unsigned char)next) || next == '"') && !squote) {
						/* an opening single quote only when one closes later */
						const char *c = strchr(p + 1, '\'');
						bool closes = false;
						while (c) {
							if (!isalnum((unsigned char)c[1])) { closes = true; break; }
							c = strchr(c + 1, '\'');
						}
						if (closes) { emit_qopen(F, false); squote++; after_q = p + 1; continue; }
					}
					if (squote && !isalnum((unsigned char)next) &&
					    !(isalnum((unsigned char)prev) && isalpha((unsigned char)next))) {
						quote_close(F); squote--;
						continue;
					}
					add_text(F, "\xe2\x80\x99", 3); F->in_leaf = true;
				}
			}
			emit_run(F, run, p);
			if (r.len) lastc = r.text[r.len - 1];
		} else if (r.tok == CVB_RT_OPEN && r.tag == CVB_R_NOCASE && math_or_logo(F, &r)) {
			lastc = F->t[F->n - 1].s[F->t[F->n - 1].n - 1];
		} else if (r.tok == CVB_RT_OPEN || r.tok == CVB_RT_CLOSE) {
			int f = -1;
			switch (r.tag) {
			case CVB_R_I: f = FK_I; break;
			case CVB_R_B: f = FK_B; break;
			case CVB_R_SUP: f = FK_SUP; break;
			case CVB_R_SUB: f = FK_SUB; break;
			case CVB_R_SC: f = FK_SC; break;
			case CVB_R_NODECOR: f = FK_NODECOR; break;
			default: break;
			}
			if (f >= 0) tok_push(F, r.tok == CVB_RT_OPEN ? K_OPEN : K_CLOSE, f, NULL, 0);
		}
	}
	F->in_leaf = false;
	while (dquote-- > 0) quote_close(F);
	while (squote-- > 0) quote_close(F);
}

static void flat(struct fl *F, struct csl_out *o);

/* The children of o that print something, with o's delimiter between them. */
static void
flat_kids(struct fl *F, struct csl_out *o)
{
	struct csl_out *k;
	bool first = true;

	for (k = o->kids; k; k = k->next) {
		if (fl_empty(F, k)) continue;
		if (!first && o->delim) add_text(F, o->delim, strlen(o->delim));
		flat(F, k);
		first = false;
	}
}

static void
flat(struct fl *F, struct csl_out *o)
{
	int opens[12], no = 0, i;
	bool q;

	if (fl_empty(F, o)) return;
	if (!o->text && !o->f.prefix && !o->f.suffix && !o->f.display && !o->f.quotes &&
	    !o->f.font_style && !o->f.font_weight && !o->f.font_variant && !o->f.vertical_align &&
	    !o->f.text_decoration && !(o->flags & (CO_HIGHLIGHT | CO_MARKER))) {
		/* a plain group: the general case below without anything to open */
		flat_kids(F, o);
		return;
	}
	/* text and Markdown have no markup for a block: a space keeps it
	 * from running into what comes before ("growth. Smith J.", where
	 * citeproc-js's text output starts the block on a new line) */
	if (o->f.display == DI_BLOCK && (F->fmt == CVBIB_OUT_TEXT || F->fmt == CVBIB_OUT_MARKDOWN) &&
	    last_text(F) >= 0)
		add_text(F, " ", 1);
	switch (o->f.display) {
	case DI_BLOCK: tok_push(F, K_OPEN, FK_BLOCK, NULL, 0); break;
	case DI_LEFT: tok_push(F, K_OPEN, FK_LEFT, NULL, 0); break;
	case DI_RIGHT: tok_push(F, K_OPEN, FK_RIGHT, NULL, 0); break;
	case DI_INDENT: tok_push(F, K_OPEN, FK_INDENT, NULL, 0); break;
	}
	if (o->f.prefix) add_text(F, o->f.prefix, strlen(o->f.prefix));
	if (o->flags & CO_HIGHLIGHT) opens[no++] = FK_HL;
	if (o->flags & CO_MARKER) opens[no++] = FK_MARK;
	if (o->f.vertical_align == VA_SUP) opens[no++] = FK_SUP;
	else if (o->f.vertical_align == VA_SUB) opens[no++] = FK_SUB;
	else if (o->f.vertical_align == VA_BASELINE) opens[no++] = FK_BASE;
	if (o->f.text_decoration == TD_UNDERLINE) opens[no++] = FK_UL;
	if (o->f.font_weight == FW_BOLD) opens[no++] = FK_B;
	else if (o->f.font_weight == FW_NORMAL) opens[no++] = FK_NOB;
	else if (o->f.font_weight == FW_LIGHT) opens[no++] = FK_LIGHT;
	if (o->f.font_variant == FV_SMALLCAPS) opens[no++] = FK_SC;
	else if (o->f.font_variant == FV_NORMAL) opens[no++] = FK_NOSC;
	if (o->f.font_style == FS_ITALIC || o->f.font_style == FS_OBLIQUE) opens[no++] = FK_I;
	else if (o->f.font_style == FS_NORMAL) opens[no++] = FK_NOI;
	for (i = 0; i < no; i++) tok_push(F, K_OPEN, opens[i], NULL, 0);
	q = o->f.quotes;
	if (q) quote_open(F);
	if (o->text && (o->flags & CO_LITERAL)) {
		add_text(F, o->text, strlen(o->text));
		F->in_leaf = false;
	} else if (o->text)
		rich_tokens(F, o->text);
	else
		flat_kids(F, o);
	if (q) quote_close(F);
	for (i = no - 1; i >= 0; i--) tok_push(F, K_CLOSE, opens[i], NULL, 0);
	if (o->f.suffix) add_text(F, o->f.suffix, strlen(o->f.suffix));
	switch (o->f.display) {
	case DI_BLOCK: tok_push(F, K_CLOSE, FK_BLOCK, NULL, 0); break;
	case DI_LEFT: tok_push(F, K_CLOSE, FK_LEFT, NULL, 0); break;
	case DI_RIGHT: tok_push(F, K_CLOSE, FK_RIGHT, NULL, 0); break;
	case DI_INDENT: tok_push(F, K_CLOSE, FK_INDENT, NULL, 0); break;
	}
}

/* Unicode superscript characters and what they stand for (HTML and LaTeX
 * write them as superscripts of the plain character, as citeproc-js does). */
static const struct { uint32_t cp; const char *base; } supchars[] = {
	{ 0x00AA, "\x61" },
	{ 0x00B2, "\x32" },
	{ 0x00B3, "\x33" },
	{ 0x00B9, "\x31" },
	{ 0x00BA, "\x6f" },
	{ 0x02B0, "\x68" },
	{ 0x02B1, "\xc9\xa6" },
	{ 0x02B2, "\x6a" },
	{ 0x02B3, "\x72" },
	{ 0x02B4, "\xc9\xb9" },
	{ 0x02B5, "\xc9\xbb" },
	{ 0x02B6, "\xca\x81" },
	{ 0x02B7, "\x77" },
	{ 0x02B8, "\x79" },
	{ 0x02C0, "\xca\x94" },
	{ 0x02C1, "\xca\x95" },
	{ 0x02E0, "\xc9\xa3" },
	{ 0x02E1, "\x6c" },
	{ 0x02E2, "\x73" },
	{ 0x02E3, "\x78" },
	{ 0x02E4, "\xca\x95" },
	{ 0x06E5, "\xd9\x88" },
	{ 0x06E6, "\xd9\x8a" },
	{ 0x1D2C, "\x41" },
	{ 0x1D2D, "\xc3\x86" },
	{ 0x1D2E, "\x42" },
	{ 0x1D30, "\x44" },
	{ 0x1D31, "\x45" },
	{ 0x1D32, "\xc6\x8e" },
	{ 0x1D33, "\x47" },
	{ 0x1D34, "\x48" },
	{ 0x1D35, "\x49" },
	{ 0x1D36, "\x4a" },
	{ 0x1D37, "\x4b" },
	{ 0x1D38, "\x4c" },
	{ 0x1D39, "\x4d" },
	{ 0x1D3A, "\x4e" },
	{ 0x1D3C, "\x4f" },
	{ 0x1D3D, "\xc8\xa2" },
	{ 0x1D3E, "\x50" },
	{ 0x1D3F, "\x52" },
	{ 0x1D40, "\x54" },
	{ 0x1D41, "\x55" },
	{ 0x1D42, "\x57" },
	{ 0x1D43, "\x61" },
	{ 0x1D44, "\xc9\x90" },
	{ 0x1D45, "\xc9\x91" },
	{ 0x1D46, "\xe1\xb4\x82" },
	{ 0x1D47, "\x62" },
	{ 0x1D48, "\x64" },
	{ 0x1D49, "\x65" },
	{ 0x1D4A, "\xc9\x99" },
	{ 0x1D4B, "\xc9\x9b" },
	{ 0x1D4C, "\xc9\x9c" },
	{ 0x1D4D, "\x67" },
	{ 0x1D4F, "\x6b" },
	{ 0x1D50, "\x6d" },
	{ 0x1D51, "\xc5\x8b" },
	{ 0x1D52, "\x6f" },
	{ 0x1D53, "\xc9\x94" },
	{ 0x1D54, "\xe1\xb4\x96" },
	{ 0x1D55, "\xe1\xb4\x97" },
	{ 0x1D56, "\x70" },
	{ 0x1D57, "\x74" },
	{ 0x1D58, "\x75" },
	{ 0x1D59, "\xe1\xb4\x9d" },
	{ 0x1D5A, "\xc9\xaf" },
	{ 0x1D5B, "\x76" },
	{ 0x1D5C, "\xe1\xb4\xa5" },
	{ 0x1D5D, "\xce\xb2" },
	{ 0x1D5E, "\xce\xb3" },
	{ 0x1D5F, "\xce\xb4" },
	{ 0x1D60, "\xcf\x86" },
	{ 0x1D61, "\xcf\x87" },
	{ 0x2070, "\x30" },
	{ 0x2071, "\x69" },
	{ 0x2074, "\x34" },
	{ 0x2075, "\x35" },
	{ 0x2076, "\x36" },
	{ 0x2077, "\x37" },
	{ 0x2078, "\x38" },
	{ 0x2079, "\x39" },
	{ 0x207A, "\x2b" },
	{ 0x207B, "\xe2\x88\x92" },
	{ 0x207C, "\x3d" },
	{ 0x207D, "\x28" },
	{ 0x207E, "\x29" },
	{ 0x207F, "\x6e" },
	{ 0x2120, "\x53\x4d" },
	{ 0x2122, "\x54\x4d" },
	{ 0x3192, "\xe4\xb8\x80" },
	{ 0x3193, "\xe4\xba\x8c" },
	{ 0x3194, "\xe4\xb8\x89" },
	{ 0x3195, "\xe5\x9b\x9b" },
	{ 0x3196, "\xe4\xb8\x8a" },
	{ 0x3197, "\xe4\xb8\xad" },
	{ 0x3198, "\xe4\xb8\x8b" },
	{ 0x3199, "\xe7\x94\xb2" },
	{ 0x319A, "\xe4\xb9\x99" },
	{ 0x319B, "\xe4\xb8\x99" },
	{ 0x319C, "\xe4\xb8\x81" },
	{ 0x319D, "\xe5\xa4\xa9" },
	{ 0x319E, "\xe5\x9c\xb0" },
	{ 0x319F, "\xe4\xba\xba" },
};

static const char *
sup_base(uint32_t cp)
{
	size_t lo = 0, hi = CVB_ARRAY_SIZE(supchars);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (supchars[mid].cp == cp) return supchars[mid].base;
		if (supchars[mid].cp < cp) lo = mid + 1; else hi = mid;
	}
	return NULL;
}

static void
esc(struct cvb_buf *b, enum cvbib_outfmt fmt, const char *s, size_t n)
{
	size_t i;

	if (fmt == CVBIB_OUT_TYPST) {
		cvb_typst_escape(b, s, n);	/* src/text/typst.c */
		return;
	}
	if (fmt != CVBIB_OUT_HTML && fmt != CVBIB_OUT_LATEX && fmt != CVBIB_OUT_MARKDOWN) {
		/* plain text: as it is */
		cvb_buf_add(b, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		if ((unsigned char)c >= 0xc2 && (fmt == CVBIB_OUT_HTML || fmt == CVBIB_OUT_LATEX)) {
			uint32_t cp;
			int l = cvb_utf8_decode(s + i, n - i, &cp);
			const char *sb = sup_base(cp);
			if (sb) {
				cvb_buf_adds(b, fmt == CVBIB_OUT_HTML ? "<sup>" : "\\textsuperscript{");
				cvb_buf_adds(b, sb);
				cvb_buf_adds(b, fmt == CVBIB_OUT_HTML ? "</sup>" : "}");
				i += (size_t)l - 1;
				continue;
			}
		}
		switch (fmt) {
		case CVBIB_OUT_HTML:
			if (c == '&') cvb_buf_adds(b, "&#38;");
			else if (c == '<') cvb_buf_adds(b, "&#60;");
			else if (c == '>') cvb_buf_adds(b, "&#62;");
			else cvb_buf_addch(b, c);
			break;
		case CVBIB_OUT_LATEX:
			switch (c) {
			case '\n': case '\r': cvb_buf_addch(b, ' '); break;
			default:
				if (cvb_latex_special(c) != NULL) cvb_buf_adds(b, cvb_latex_special(c));
				else cvb_buf_addch(b, c);
			}
			break;
		case CVBIB_OUT_MARKDOWN:
			if (strchr("\\`*_[]<>#", c) && !(c == '#' && i > 0)) cvb_buf_addch(b, '\\');
			cvb_buf_addch(b, c);
			break;
		default:
			cvb_buf_addch(b, c);
		}
	}
}

/*
 * LaTeX math m[0..n) ($...$, dollars included) in fmt: LaTeX writes it as it
 * is when it is safe, Markdown as pandoc's $...$ math when it is safe (pandoc
 * would write it into LaTeX as it is), Typst as Typst math;
 * otherwise, and in HTML and plain text, it is its text (src/text/texmath.c).
 * digit_after: a digit follows the math (pandoc would not read it as math).
 */
void
csl_math_out(struct cvb_buf *b, enum cvbib_outfmt fmt, const char *m, size_t n,
    bool digit_after)
{
	size_t d = n >= 5 && m[1] == '$' && m[n - 2] == '$' ? 2 : 1;
	const char *body = m + d;
	size_t bn = n - 2 * d;
	struct cvb_buf t = CVB_BUF_INIT;

	switch (fmt) {
	case CVBIB_OUT_LATEX:
		if (cvb_latex_math_safe(m, n)) {
			cvb_buf_addch(b, '$');
			cvb_buf_add(b, body, bn);
			cvb_buf_addch(b, '$');
		} else
			esc(b, fmt, m, n);
		return;
	case CVBIB_OUT_MARKDOWN:
		/* pandoc's tex_math_dollars: no space inside either dollar, no
		 * digit right after the closing one */
		if (cvb_latex_math_safe(m, n) && body[0] != ' ' && body[bn - 1] != ' ' &&
		    !digit_after) {
			cvb_buf_addch(b, '$');
			cvb_buf_add(b, body, bn);
			cvb_buf_addch(b, '$');
			return;
		}
		break;
	case CVBIB_OUT_TYPST:
		if (cvb_typst_math(b, body, bn))
			return;
		break;
	case CVBIB_OUT_HTML:
		cvb_math_text(b, body, bn, true);
		return;
	default:
		break;
	}
	cvb_math_text(&t, body, bn, false);
	if (fmt == CVBIB_OUT_MARKDOWN || fmt == CVBIB_OUT_TYPST)
		esc(b, fmt, t.buf ? t.buf : "", t.len);
	else
		cvb_buf_add(b, t.buf ? t.buf : "", t.len);
	cvbib_buf_release(&t);
}

static const char *
open_markup(enum cvbib_outfmt fmt, int f)
{
	switch (fmt) {
	case CVBIB_OUT_HTML:
		switch (f) {
		case FK_I: return "<i>";
		case FK_NOI: return "<span style=\"font-style:normal;\">";
		case FK_B: return "<b>";
		case FK_NOB: return "<span style=\"font-weight:normal;\">";
		case FK_LIGHT: return "<span style=\"font-weight:light;\">";
		case FK_SC: return "<span style=\"font-variant:small-caps;\">";
		case FK_NOSC: return "<span style=\"font-variant:normal;\">";
		case FK_UL: return "<span style=\"text-decoration:underline;\">";
		case FK_SUP: return "<sup>";
		case FK_SUB: return "<sub>";
		case FK_BASE: return "<span style=\"baseline\">";
		case FK_BLOCK: return "\n\n    <div class=\"csl-block\">";
		case FK_LEFT: return "\n    <div class=\"csl-left-margin\">";
		case FK_RIGHT: return "<div class=\"csl-right-inline\">";
		case FK_INDENT: return "<div class=\"csl-indent\">";
		case FK_HL: return "<strong class=\"cvbib-highlight\">";
		case FK_MARK: return "<sup>";
		}
		break;
	case CVBIB_OUT_LATEX:
		switch (f) {
		case FK_I: return "\\textit{";
		case FK_NOI: return "\\textup{";
		case FK_B: case FK_HL: return "\\textbf{";
		case FK_NOB: case FK_LIGHT: return "\\textmd{";
		case FK_SC: return "\\textsc{";
		case FK_NOSC: return "\\textnormal{";
		case FK_UL: return "\\underline{";
		case FK_SUP: case FK_MARK: return "\\textsuperscript{";
		case FK_SUB: return "\\textsubscript{";
		case FK_BLOCK: case FK_INDENT: return "\\par{}";
		default: return "";
		}
	case CVBIB_OUT_TYPST:
		/* every decoration is a function call on a content block; the
		 * CV owner's is cvbib-owner, defined by the CV layer's fragment */
		switch (f) {
		case FK_I: return "#emph[";
		case FK_NOI: return "#text(style: \"normal\")[";
		case FK_B: return "#strong[";
		case FK_NOB: return "#text(weight: \"regular\")[";
		case FK_LIGHT: return "#text(weight: \"light\")[";
		case FK_SC: return "#smallcaps[";
		case FK_NOSC: return "#text(features: (smcp: 0))[";
		case FK_UL: return "#underline[";
		case FK_SUP: case FK_MARK: return "#super[";
		case FK_SUB: return "#sub[";
		case FK_HL: return "#cvbib-owner[";
		case FK_BLOCK: case FK_INDENT: return "#linebreak()";
		default: return "";
		}
	case CVBIB_OUT_MARKDOWN:
		switch (f) {
		case FK_I: return "*";
		case FK_B: case FK_HL: return "**";
		case FK_SUP: return "^";
		case FK_SUB: return "~";
		default: return "";
		}
	default:
		if (f == FK_HL) return "**";
		return "";
	}
	return "";
}

static const char *
close_markup(enum cvbib_outfmt fmt, int f)
{
	switch (fmt) {
	case CVBIB_OUT_HTML:
		switch (f) {
		case FK_I: return "</i>";
		case FK_B: return "</b>";
		case FK_SUP: case FK_MARK: return "</sup>";
		case FK_SUB: return "</sub>";
		case FK_BLOCK: return "</div>\n";
		case FK_LEFT: case FK_RIGHT: case FK_INDENT: return "</div>";
		case FK_HL: return "</strong>";
		default: return "</span>";
		}
	case CVBIB_OUT_LATEX:
		switch (f) {
		case FK_LEFT: return " ";	/* the number, then the entry */
		case FK_BLOCK: case FK_INDENT: case FK_RIGHT: case FK_BASE: return "";
		default: return "}";
		}
	case CVBIB_OUT_TYPST:
		switch (f) {
		case FK_LEFT: return " ";
		case FK_BLOCK: case FK_INDENT: case FK_RIGHT: case FK_BASE: return "";
		default: return "]";
		}
	case CVBIB_OUT_MARKDOWN:
		if (f == FK_LEFT) return " ";
		return open_markup(fmt, f);
	default:
		if (f == FK_HL) return "**";
		if (f == FK_LEFT) return " ";
		return "";
	}
}

void
csl_flatten(const cvbib_style *s, struct csl_out *o, enum cvbib_outfmt fmt, struct cvb_buf *out)
{
	csl_flatten_in(s, o, fmt, out, 0);
}

void
csl_flatten_in(const cvbib_style *s, struct csl_out *o, enum cvbib_outfmt fmt,
    struct cvb_buf *out, unsigned in)
{
	struct fl F;
	size_t i;
	int stack[256], sp = 0;
	int emitted[256];
	bool ital = in & CSL_IN_ITALIC, bold = in & CSL_IN_BOLD, sc = in & CSL_IN_SC;
	bool istack[256], bstack[256], sstack[256];

	memset(&F, 0, sizeof(F));
	F.s = s;
	F.fmt = fmt;
	if (++flat_passes == 0) ++flat_passes;
	F.pass = flat_passes;
	/* the token array of the last flattening, if nobody holds it */
	F.t = tok_spare;
	F.alloc = tok_spare_alloc;
	tok_spare = NULL;
	flat(&F, o);
	for (i = 0; i < F.n; i++) {
		struct tok *t = &F.t[i];
		switch (t->k) {
		case K_TEXT: case K_QOPEN: case K_QCLOSE:
			esc(out, fmt, t->s, t->n);
			break;
		case K_MATH:
			csl_math_out(out, fmt, t->s, t->n, i + 1 < F.n && F.t[i + 1].k == K_TEXT &&
			    F.t[i + 1].n > 0 && isdigit((unsigned char)F.t[i + 1].s[0]));
			break;
		case K_LOGO: {
			const char *logo = cvb_latex_logo(t->s, t->n);

			/* LaTeX has no \\BibTeX: that logo in commands it has */
			if (fmt != CVBIB_OUT_LATEX)
				esc(out, fmt, t->s, t->n);
			else if (strcmp(logo, "BibTeX") == 0)
				cvb_buf_adds(out, "Bib\\TeX{}");
			else
				cvb_buf_addf(out, "\\%s{}", logo);
			break;
		}
		case K_OPEN: {
			int f = t->f, e = f;
			if (sp >= 255) break;
			istack[sp] = ital; bstack[sp] = bold; sstack[sp] = sc;
			if (f == FK_I) { e = ital ? FK_NOI : FK_I; ital = !ital; }
			else if (f == FK_NOI) { if (!ital) e = -1; ital = false; }
			else if (f == FK_B) { e = bold ? FK_NOB : FK_B; bold = !bold; }
			else if (f == FK_NOB) { if (!bold) e = -1; bold = false; }
			else if (f == FK_SC) { e = sc ? FK_NOSC : FK_SC; sc = !sc; }
			else if (f == FK_NOSC) { if (!sc) e = -1; sc = false; }
			else if (f == FK_NODECOR) {
				/* <span class="nodecor">: undo the innermost decoration in force */
				e = ital ? FK_NOI : sc ? FK_NOSC : bold ? FK_NOB : -1;
				ital = bold = sc = false;
			}
			/* citeproc-js writes normal style even outside italics */
			stack[sp] = f; emitted[sp] = e; sp++;
			if (e >= 0) cvb_buf_adds(out, open_markup(fmt, e));
			break;
		}
		case K_CLOSE: {
			/* find the matching open */
			int j;
			for (j = sp - 1; j >= 0; j--) if (stack[j] == t->f) break;
			if (j < 0) break;
			while (sp > j) {
				sp--;
				if (emitted[sp] >= 0) cvb_buf_adds(out, close_markup(fmt, emitted[sp]));
				ital = istack[sp]; bold = bstack[sp]; sc = sstack[sp];
			}
			break;
		}
		}
	}
	while (sp > 0) {
		sp--;
		if (emitted[sp] >= 0) cvb_buf_adds(out, close_markup(fmt, emitted[sp]));
	}
	if (!tok_spare && F.alloc <= 4096) {
		tok_spare = F.t;
		tok_spare_alloc = F.alloc;
	} else
		free(F.t);
}
