/*
 * seq.h - linear-chain sequence models (a CRF) shared by two models:
 *
 *   the reference parser   tokens of one reference string -> field labels
 *   the CV segmenter       lines (or blocks) of one CV    -> entry structure
 *
 * The model knows nothing of either task.  A caller turns each position of a
 * sequence into a list of features (short strings it makes itself, such as
 * "w=smith", "shape=Xxxx", "w[-1]=and", "sec=publications"), optionally with
 * a real value (1.0 when given as a plain string); the model hashes them.
 * Labels are small integers that index the model's label names.
 *
 * Runtime: weights come from a blob compiled into the binary from data/
 * (cvb_seq_model_load), and decoding is Viterbi with per-position marginal
 * confidences (forward-backward).  Training is not in the library: the
 * caller writes each labelled sequence in the trainer's text format
 * (cvb_seq_write_train, CRFsuite's: one position a line, "LABEL<TAB>feat
 * <TAB>feat:0.5 ...", a blank line after each sequence), and the trainer
 * (src/seq/train/seqtrain.c, built by `make train`) turns such files into a blob, deterministically.
 *
 * Because the library builds the features both for training and at run time,
 * the two can never disagree.
 */
#ifndef CVB_SEQ_H
#define CVB_SEQ_H

#include <stddef.h>
#include <stdint.h>

struct cvb_buf;

/* ---- one sequence's features (caller-owned; reusable after clear) */
struct cvb_seq;

struct cvb_seq	*cvb_seq_new(void);			/* NULL: out of memory */
void		 cvb_seq_free(struct cvb_seq *);
void		 cvb_seq_clear(struct cvb_seq *);	/* empty, keep the memory */
/* Start the next position; features added after this belong to it.
 * Returns 0, or -1 when out of memory (sticky: later calls do nothing and
 * cvb_seq_failed() says so). */
int		 cvb_seq_next(struct cvb_seq *);
/* Add a feature with value 1.0 (cvb_seq_feat), a given value (cvb_seq_featv),
 * or printf-made (cvb_seq_featf) to the current position. */
int		 cvb_seq_feat(struct cvb_seq *, const char *name);
int		 cvb_seq_featv(struct cvb_seq *, const char *name, double value);
int		 cvb_seq_featf(struct cvb_seq *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Add the feature named a followed by b ("w[-1]=" "smith"): no formatting,
 * no copy (the fast path for window features). */
int		 cvb_seq_feat2(struct cvb_seq *, const char *a, const char *b);
/* The same with n (up to 8) parts: "w[-1]|w=" "of" "|" "the". */
int		 cvb_seq_featn(struct cvb_seq *, int n, const char *const *parts);
/* A feature name's first part and its hash, computed once for all
 * (cvb_seq_prefix_init hashes p[0..n)): cvb_seq_featp(x, p, b) adds the
 * feature cvb_seq_feat2(x, p->name, b) adds, without hashing p->name again. */
struct cvb_seq_prefix {
	const char	*name;
	uint32_t	 h;
};
void		 cvb_seq_prefix_init(struct cvb_seq_prefix *p, size_t n);
int		 cvb_seq_featp(struct cvb_seq *, const struct cvb_seq_prefix *p, const char *b);
size_t		 cvb_seq_len(const struct cvb_seq *);
int		 cvb_seq_failed(const struct cvb_seq *);
/* Keep the feature names too (needed by cvb_seq_write_train and
 * cvb_seq_feature_name; off by default: decoding needs only the hashes). */
void		 cvb_seq_keep_names(struct cvb_seq *, int on);
/* The number of features of position i, and the name of its k-th one
 * (NULL unless names are kept). */
size_t		 cvb_seq_nfeat(const struct cvb_seq *, size_t i);
const char	*cvb_seq_feature_name(const struct cvb_seq *, size_t i, size_t k);

/* The feature hash (32-bit FNV-1a): a model knows a feature by
 * cvb_seq_hash(name, strlen(name), CVB_SEQ_HASH_SEED).  The trainer uses it
 * so that its keys are the library's. */
#define CVB_SEQ_HASH_SEED 2166136261u
uint32_t	 cvb_seq_hash(const char *s, size_t n, uint32_t h);

/* ---- a trained model (immutable once loaded; may be shared by threads) */
struct cvb_seq_model;

/* Load a model from its blob (the trainer's output, compiled in).  The blob
 * must outlive the model.  Returns 0, or -1 for a malformed blob or no memory. */
int		 cvb_seq_model_load(struct cvb_seq_model **out, const void *blob, size_t len);
void		 cvb_seq_model_free(struct cvb_seq_model *);
int		 cvb_seq_model_nlabels(const struct cvb_seq_model *);
const char	*cvb_seq_model_label(const struct cvb_seq_model *, int label);
int		 cvb_seq_model_label_id(const struct cvb_seq_model *, const char *name); /* -1: none */

/* The most likely labels of every position (labels[cvb_seq_len(x)]), and if
 * conf is not NULL, each chosen label's marginal probability (0..1).
 * Returns 0, or -1 when out of memory. */
int		 cvb_seq_decode(const struct cvb_seq_model *, const struct cvb_seq *x,
		    int *labels, double *conf);

/* The same, each position i restricted to the labels whose bits are set in
 * allow[i] (allow NULL: any label; models of up to 32 labels), and if score
 * is not NULL, the chosen path's score there (-HUGE_VAL: no path is allowed).
 * conf is then each chosen label's marginal under the same restriction. */
int		 cvb_seq_decode_masked(const struct cvb_seq_model *, const struct cvb_seq *x,
		    const uint32_t *allow, int *labels, double *conf, double *score);

/* The weight the model gives feature name for label (0 when it has none),
 * for explanations and tests. */
double		 cvb_seq_model_weight(const struct cvb_seq_model *, const char *name, int label);
int		 cvb_seq_model_nfeatures(const struct cvb_seq_model *);

/* The scaled forward pass of a sequence of n positions and L labels: start[y]
 * and ex[a * L + y] the exponentiated start and transition weights, s[t * L +
 * y] the exponentiated emission scores; al[t * L + y] the forward values,
 * normalised per position, and c[t] (when not NULL) each position's scale.
 * Shared by the marginals and the trainer (seq/train/seqtrain.c). */
void		 cvb_seq_forward(size_t L, size_t n, const double *start, const double *ex,
		    const double *s, double *al, double *c);
/* Every position's marginal over all labels: post[i * nlabels + y] (each
 * row sums to 1).  Returns 0, or -1 when out of memory. */
int		 cvb_seq_marginals(const struct cvb_seq_model *, const struct cvb_seq *x,
		    double *post);

/* Append x with the given label names (one per position) to out in the
 * trainer's text format, for `make train`. */
void		 cvb_seq_write_train(const struct cvb_seq *x, const char *const *labels,
		    struct cvb_buf *out);

/*
 * The blob (written by seqtrain, read by cvb_seq_model_load); little-endian,
 * every part 4-byte aligned:
 *   "CVBSEQ1\n"                      8 bytes of magic
 *   u32 nlabels L, u32 nrows R, f32 scale, u32 nameslen (padded to 4)
 *   label names, each NUL-terminated, padded with NULs to nameslen
 *   f32 transitions[(L + 1) * L]     row 0: start -> label; row 1 + a: a -> label
 *   u32 keys[R]                      feature hashes, ascending
 *   i16 weights[R * L]               row r's weight for label y is
 *                                    weights[r * L + y] * scale
 *   (padding to 4)
 */
#define CVB_SEQ_MAGIC "CVBSEQ1\n"

#endif
