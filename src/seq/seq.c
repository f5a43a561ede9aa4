/*
 * seq.c - linear-chain CRF at run time: features of a sequence (hashed),
 * the model blob, Viterbi decoding and forward-backward marginals, and the
 * trainer's text format.  The contract and the blob layout are in seq.h;
 * the trainer is src/seq/train/seqtrain.c (make train).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "seq/seq.h"

struct cvb_seq {
	uint32_t	*hash;		/* features of all positions, in order */
	float		*val;
	uint32_t	*name;		/* offset of each feature's name in names */
	size_t		 nf, capf;
	size_t		*start;		/* position i's features: start[i] .. start[i + 1] */
	size_t		 n, capn;
	struct cvb_buf	 names;
	int		 keep, failed;
};

/* a key and its row + 1 side by side: one memory read finds both */
struct slot {
	uint32_t	 key, row;
};

struct cvb_seq_model {
	int		 nlabels;
	uint32_t	 nrows;
	float		 scale;
	const char	**label;	/* nlabels names, into the blob */
	const float	*trans;		/* (L + 1) * L */
	const uint32_t	*keys;
	const int16_t	*w;		/* nrows * L */
	struct slot	*slot;		/* open addressing on the key */
	uint32_t	 mask;
	double		*trn;		/* L * L: trans from a to y at [a * L + y] */
	double		*extr;		/* L * L: exp(trans from a to y) at [a * L + y] */
};

uint32_t
cvb_seq_hash(const char *s, size_t n, uint32_t h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct cvb_seq *
cvb_seq_new(void)
{
	struct cvb_seq *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->names = (struct cvb_buf)CVB_BUF_INIT;
	return x;
}

void
cvb_seq_free(struct cvb_seq *x)
{
	if (x == NULL)
		return;
	free(x->hash);
	free(x->val);
	free(x->name);
	free(x->start);
	cvbib_buf_release(&x->names);
	free(x);
}

void
cvb_seq_clear(struct cvb_seq *x)
{
	x->nf = 0;
	x->n = 0;
	x->failed = 0;
	cvb_buf_reset(&x->names);
}

void
cvb_seq_keep_names(struct cvb_seq *x, int on)
{
	x->keep = on != 0;
}

int
cvb_seq_failed(const struct cvb_seq *x)
{
	return x->failed || x->names.err;
}

size_t
cvb_seq_len(const struct cvb_seq *x)
{
	return x->n;
}

int
cvb_seq_next(struct cvb_seq *x)
{
	if (x->failed)
		return -1;
	if (x->n + 2 > x->capn) {
		size_t cap = x->capn ? x->capn * 2 : 64;
		size_t *p = realloc(x->start, cap * sizeof(*p));

		if (p == NULL) {
			x->failed = 1;
			return -1;
		}
		x->start = p;
		x->capn = cap;
	}
	x->start[x->n++] = x->nf;
	x->start[x->n] = x->nf;
	return 0;
}

static int
add_hash(struct cvb_seq *x, uint32_t h, double v, const char *a, size_t na,
    const char *b, size_t nb)
{
	if (x->failed || x->n == 0)
		return -1;
	if (x->nf == x->capf) {
		size_t cap = x->capf ? x->capf * 2 : 1024;
		uint32_t *ph = realloc(x->hash, cap * sizeof(*ph));
		float *pv;
		uint32_t *pn;

		if (ph == NULL)
			goto fail;
		x->hash = ph;
		pv = realloc(x->val, cap * sizeof(*pv));
		if (pv == NULL)
			goto fail;
		x->val = pv;
		pn = realloc(x->name, cap * sizeof(*pn));
		if (pn == NULL)
			goto fail;
		x->name = pn;
		x->capf = cap;
	}
	x->hash[x->nf] = h;
	x->val[x->nf] = (float)v;
	x->name[x->nf] = 0;
	if (x->keep) {
		x->name[x->nf] = (uint32_t)x->names.len;
		cvb_buf_add(&x->names, a, na);
		cvb_buf_add(&x->names, b, nb);
		cvb_buf_addch(&x->names, '\0');
		if (x->names.err)
			goto fail;
	}
	x->nf++;
	x->start[x->n] = x->nf;
	return 0;
fail:
	x->failed = 1;
	return -1;
}

/* cvb_seq_hash of a NUL-terminated string, without measuring it first */
static uint32_t
hash_str(const char *s, uint32_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* add_hash for a binary feature whose name is not kept: the decoding's path */
static int
add_bin(struct cvb_seq *x, uint32_t h)
{
	if (x->nf < x->capf && x->n > 0 && !x->failed) {
		x->hash[x->nf] = h;
		x->val[x->nf] = 1.0f;
		x->name[x->nf] = 0;
		x->start[x->n] = ++x->nf;
		return 0;
	}
	return add_hash(x, h, 1.0, "", 0, "", 0);
}

int
cvb_seq_featv(struct cvb_seq *x, const char *name, double value)
{
	size_t n;

	if (!x->keep && value == 1.0)
		return add_bin(x, hash_str(name, CVB_SEQ_HASH_SEED));
	n = strlen(name);
	return add_hash(x, cvb_seq_hash(name, n, CVB_SEQ_HASH_SEED), value, name, n, "", 0);
}

int
cvb_seq_feat(struct cvb_seq *x, const char *name)
{
	return cvb_seq_featv(x, name, 1.0);
}

int
cvb_seq_feat2(struct cvb_seq *x, const char *a, const char *b)
{
	size_t na, nb;

	if (!x->keep)
		return add_bin(x, hash_str(b, hash_str(a, CVB_SEQ_HASH_SEED)));
	na = strlen(a);
	nb = strlen(b);
	return add_hash(x, cvb_seq_hash(b, nb, cvb_seq_hash(a, na, CVB_SEQ_HASH_SEED)), 1.0, a, na, b, nb);
}

void
cvb_seq_prefix_init(struct cvb_seq_prefix *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i].h = hash_str(p[i].name, CVB_SEQ_HASH_SEED);
}

int
cvb_seq_featp(struct cvb_seq *x, const struct cvb_seq_prefix *p, const char *b)
{
	if (!x->keep)
		return add_bin(x, hash_str(b, p->h));
	return cvb_seq_feat2(x, p->name, b);
}

int
cvb_seq_featn(struct cvb_seq *x, int n, const char *const *parts)
{
	uint32_t h = CVB_SEQ_HASH_SEED;
	size_t len[8];
	int i;

	if (n > 8)
		n = 8;
	if (!x->keep) {
		for (i = 0; i < n; i++)
			h = hash_str(parts[i], h);
		return add_bin(x, h);
	}
	for (i = 0; i < n; i++) {
		len[i] = strlen(parts[i]);
		h = cvb_seq_hash(parts[i], len[i], h);
	}
	if (add_hash(x, h, 1.0, "", 0, "", 0) < 0)
		return -1;
	if (x->keep) {
		/* the name, for the trainer: replace the empty one just added */
		cvb_buf_setlen(&x->names, x->name[x->nf - 1]);
		for (i = 0; i < n; i++)
			cvb_buf_add(&x->names, parts[i], len[i]);
		cvb_buf_addch(&x->names, '\0');
		if (x->names.err)
			x->failed = 1;
	}
	return x->failed ? -1 : 0;
}

int
cvb_seq_featf(struct cvb_seq *x, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;	/* a longer name is cut, the same way every time */
	return add_hash(x, cvb_seq_hash(tmp, (size_t)n, CVB_SEQ_HASH_SEED), 1.0, tmp,
	    (size_t)n, "", 0);
}

size_t
cvb_seq_nfeat(const struct cvb_seq *x, size_t i)
{
	return i < x->n ? x->start[i + 1] - x->start[i] : 0;
}

const char *
cvb_seq_feature_name(const struct cvb_seq *x, size_t i, size_t k)
{
	if (!x->keep || i >= x->n || k >= cvb_seq_nfeat(x, i) || x->names.buf == NULL)
		return NULL;
	return x->names.buf + x->name[x->start[i] + k];
}

/* ---- the model */

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int
cvb_seq_model_load(struct cvb_seq_model **out, const void *blob, size_t len)
{
	const unsigned char *p = blob;
	struct cvb_seq_model *m;
	uint32_t L, R, nameslen, i, cap;
	size_t need;
	const char *nm;
	union { uint32_t u; float f; } sc;

	*out = NULL;
	if (len < 24 || memcmp(p, CVB_SEQ_MAGIC, 8) != 0 || ((uintptr_t)p & 3) != 0)
		return -1;
	L = rd32(p + 8);
	R = rd32(p + 12);
	sc.u = rd32(p + 16);
	nameslen = rd32(p + 20);
	if (L == 0 || L > 256 || R > (1u << 28) || (nameslen & 3) != 0 || nameslen > len)
		return -1;
	need = 24 + (size_t)nameslen + (size_t)(L + 1) * L * 4 + (size_t)R * 4 + (size_t)R * L * 2;
	if (need > len || !(sc.f >= 0 && sc.f < 1e6))
		return -1;
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return -1;
	m->nlabels = (int)L;
	m->nrows = R;
	m->scale = sc.f;
	m->label = calloc(L, sizeof(*m->label));
	if (m->label == NULL)
		goto bad;
	nm = (const char *)p + 24;
	for (i = 0; i < L; i++) {
		const char *z = memchr(nm, '\0', (size_t)((const char *)p + 24 + nameslen - nm));

		if (z == NULL)
			goto bad;
		m->label[i] = nm;
		nm = z + 1;
	}
	m->trans = (const float *)(const void *)(p + 24 + nameslen);
	m->keys = (const uint32_t *)(const void *)(p + 24 + nameslen + (size_t)(L + 1) * L * 4);
	m->w = (const int16_t *)(const void *)((const unsigned char *)m->keys + (size_t)R * 4);
	for (i = 1; i < R; i++)
		if (m->keys[i] <= m->keys[i - 1])
			goto bad;
	for (cap = 16; cap < 2 * R; cap *= 2)
		;
	m->slot = calloc(cap, sizeof(*m->slot));
	if (m->slot == NULL)
		goto bad;
	m->mask = cap - 1;
	/* the transitions as the decoders read them, computed once */
	m->trn = malloc(sizeof(*m->trn) * L * L * 2);
	if (m->trn == NULL)
		goto bad;
	m->extr = m->trn + (size_t)L * L;
	for (i = 0; i < L; i++)
		for (cap = 0; cap < L; cap++) {
			m->trn[(size_t)i * L + cap] = m->trans[(size_t)(i + 1) * L + cap];
			m->extr[(size_t)i * L + cap] = exp(m->trans[(size_t)(i + 1) * L + cap]);
		}
	for (i = 0; i < R; i++) {
		uint32_t k = (m->keys[i] * 2654435761u) & m->mask;

		while (m->slot[k].row != 0)
			k = (k + 1) & m->mask;
		m->slot[k].key = m->keys[i];
		m->slot[k].row = i + 1;
	}
	*out = m;
	return 0;
bad:
	cvb_seq_model_free(m);
	return -1;
}

void
cvb_seq_model_free(struct cvb_seq_model *m)
{
	if (m == NULL)
		return;
	free(m->label);
	free(m->slot);
	free(m->trn);
	free(m);
}

int
cvb_seq_model_nlabels(const struct cvb_seq_model *m)
{
	return m->nlabels;
}

int
cvb_seq_model_nfeatures(const struct cvb_seq_model *m)
{
	return (int)m->nrows;
}

const char *
cvb_seq_model_label(const struct cvb_seq_model *m, int label)
{
	return label >= 0 && label < m->nlabels ? m->label[label] : NULL;
}

int
cvb_seq_model_label_id(const struct cvb_seq_model *m, const char *name)
{
	int i;

	for (i = 0; i < m->nlabels; i++)
		if (strcmp(m->label[i], name) == 0)
			return i;
	return -1;
}

/* the weight row of feature hash h, or NULL */
static const int16_t *
row_of(const struct cvb_seq_model *m, uint32_t h)
{
	uint32_t k = (h * 2654435761u) & m->mask, r;

	while ((r = m->slot[k].row) != 0) {
		if (m->slot[k].key == h)
			return m->w + (size_t)(r - 1) * (size_t)m->nlabels;
		k = (k + 1) & m->mask;
	}
	return NULL;
}

double
cvb_seq_model_weight(const struct cvb_seq_model *m, const char *name, int label)
{
	const int16_t *w;

	if (label < 0 || label >= m->nlabels)
		return 0;
	w = row_of(m, cvb_seq_hash(name, strlen(name), CVB_SEQ_HASH_SEED));
	return w ? w[label] * (double)m->scale : 0;
}

/* acc[y] += w[y] for y < L.  Most features are binary, so this is the inner
 * loop of decoding; written in blocks of eight so that the compiler turns a
 * block into vector instructions at -O2.  Integers are exact: a sum of int16
 * weights over the features of one token stays far inside int32. */
static void
add_row(int32_t *acc, const int16_t *w, size_t L)
{
	size_t y = 0;

	for (; y + 8 <= L; y += 8) {
		acc[y] += w[y];
		acc[y + 1] += w[y + 1];
		acc[y + 2] += w[y + 2];
		acc[y + 3] += w[y + 3];
		acc[y + 4] += w[y + 4];
		acc[y + 5] += w[y + 5];
		acc[y + 6] += w[y + 6];
		acc[y + 7] += w[y + 7];
	}
	for (; y < L; y++)
		acc[y] += w[y];
}

/* s[n * L]: the emission scores of x.  The weight rows are found in three
 * passes so that the memory reads of one pass overlap (prefetch): slots,
 * then rows, then the sums. */
static int
emissions(const struct cvb_seq_model *m, const struct cvb_seq *x, double *s)
{
	size_t t, y, k, L = (size_t)m->nlabels;
	uint32_t *row = malloc((x->nf ? x->nf : 1) * sizeof(*row));

	if (row == NULL)
		return -1;
	for (k = 0; k < x->nf; k++) {
		row[k] = (x->hash[k] * 2654435761u) & m->mask;
		__builtin_prefetch(&m->slot[row[k]]);
	}
	for (k = 0; k < x->nf; k++) {
		uint32_t q = row[k], r;

		while ((r = m->slot[q].row) != 0 && m->slot[q].key != x->hash[k])
			q = (q + 1) & m->mask;
		row[k] = r;
		if (r != 0)
			__builtin_prefetch(m->w + (size_t)(r - 1) * L);
	}
	for (t = 0; t < x->n; t++) {
		double *st = s + t * L;
		int32_t acc[256];
		float accf[256];

		for (y = 0; y < L; y++) {
			acc[y] = 0;
			accf[y] = 0;
		}
		for (k = x->start[t]; k < x->start[t + 1]; k++) {
			const int16_t *w;
			float val = x->val[k];

			if (row[k] == 0)
				continue;
			w = m->w + (size_t)(row[k] - 1) * L;
			if (val == 1.0f)
				add_row(acc, w, L);
			else
				for (y = 0; y < L; y++)
					accf[y] += (float)w[y] * val;
		}
		for (y = 0; y < L; y++)
			st[y] = ((double)acc[y] + accf[y]) * (double)m->scale;
	}
	free(row);
	return 0;
}

void
cvb_seq_forward(size_t L, size_t n, const double *start, const double *ex, const double *s,
    double *al, double *c)
{
	size_t t, y, a;

	for (t = 0; t < n; t++) {
		double z = 0;

		for (y = 0; y < L; y++) {
			double q;

			if (t == 0)
				q = start[y];
			else
				for (q = 0, a = 0; a < L; a++)
					q += al[(t - 1) * L + a] * ex[a * L + y];
			al[t * L + y] = q * s[t * L + y];
			z += al[t * L + y];
		}
		if (c != NULL)
			c[t] = z;
		for (y = 0; y < L; y++)
			al[t * L + y] = z > 0 ? al[t * L + y] / z : 1.0 / (double)L;
	}
}

/* Forward-backward, scaled per position: post[t * L + y] = P(label t = y | x)
 * from the emission scores s (which it overwrites). */
static int
posterior(const struct cvb_seq_model *m, size_t n, double *s, double *post)
{
	size_t L = (size_t)m->nlabels, t, y, a;
	const float *tr = m->trans;
	double *al = post, *be, *et, *st;
	const double *ex;

	be = calloc(1, n * L * sizeof(*be) + L * sizeof(*st));
	if (be == NULL)
		return -1;
	ex = m->extr;
	st = be + n * L;
	for (t = 0; t < n; t++) {
		double mx = -HUGE_VAL;

		et = s + t * L;
		for (y = 0; y < L; y++)
			if (et[y] > mx)
				mx = et[y];
		for (y = 0; y < L; y++)
			et[y] = exp(et[y] - mx);
	}
	for (y = 0; y < L; y++)
		st[y] = exp(tr[y]);
	cvb_seq_forward(L, n, st, ex, s, al, NULL);
	for (t = n; t-- > 0;) {
		double z = 0;

		for (a = 0; a < L; a++) {
			double q = 0;

			if (t == n - 1)
				q = 1;
			else
				for (y = 0; y < L; y++)
					q += ex[a * L + y] * s[(t + 1) * L + y] * be[(t + 1) * L + y];
			be[t * L + a] = q;
			z += q;
		}
		for (a = 0; a < L; a++)
			be[t * L + a] = z > 0 ? be[t * L + a] / z : 1.0 / (double)L;
	}
	for (t = 0; t < n; t++) {
		double z = 0;

		for (y = 0; y < L; y++)
			z += al[t * L + y] * be[t * L + y];
		for (y = 0; y < L; y++)
			post[t * L + y] = z > 0 ? al[t * L + y] * be[t * L + y] / z : 1.0 / (double)L;
	}
	free(be);
	return 0;
}

int
cvb_seq_marginals(const struct cvb_seq_model *m, const struct cvb_seq *x, double *post)
{
	size_t n = x->n, L = (size_t)m->nlabels;
	double *s;
	int rc;

	if (n == 0)
		return 0;
	s = malloc(n * L * sizeof(*s));
	if (s == NULL)
		return -1;
	rc = emissions(m, x, s) < 0 ? -1 : posterior(m, n, s, post);
	free(s);
	return rc;
}

int
cvb_seq_decode(const struct cvb_seq_model *m, const struct cvb_seq *x, int *labels,
    double *conf)
{
	return cvb_seq_decode_masked(m, x, NULL, labels, conf, NULL);
}

/* The first label a with the best pv[a] + trans(a -> y): the best path's
 * predecessor of y. */
static int
best_pred(const double *pv, const double *trn, size_t L, size_t y)
{
	double best = pv[0] + trn[y];
	size_t a;
	int arg = 0;

	for (a = 1; a < L; a++) {
		double c = pv[a] + trn[a * L + y];

		if (c > best) {
			best = c;
			arg = (int)a;
		}
	}
	return arg;
}

int
cvb_seq_decode_masked(const struct cvb_seq_model *m, const struct cvb_seq *x,
    const uint32_t *allow, int *labels, double *conf, double *score)
{
	size_t n = x->n, t, L = (size_t)m->nlabels, y;
	double *s, *v;
	const float *tr = m->trans;

	if (n == 0)
		return 0;
	s = malloc(n * L * sizeof(*s) * 2);
	if (s == NULL)
		return -1;
	v = s + n * L;
	if (emissions(m, x, s) < 0) {
		free(s);
		return -1;
	}
	/* Viterbi; a label a position may not take scores -inf there */
	if (allow != NULL && L <= 32)
		for (t = 0; t < n; t++)
			for (y = 0; y < L; y++)
				if (!(allow[t] & (1u << y)))
					s[t * L + y] = -HUGE_VAL;
	for (y = 0; y < L; y++)
		v[y] = tr[y] + s[y];
	for (t = 1; t < n; t++) {
		const double *pv = v + (t - 1) * L;
		double *cv = v + t * L;
		size_t a;

		/* cv[y] = max over a of pv[a] + trans(a -> y), a row at a time:
		 * each y on its own, no chain of branches (the maximum is exact
		 * in any order) */
		for (y = 0; y < L; y++)
			cv[y] = pv[0] + m->trn[y];
		for (a = 1; a < L; a++) {
			const double *row = m->trn + a * L;
			double pa = pv[a];

			/* two at a time, which the compiler makes one vector
			 * operation (SSE2's maxpd is this very comparison) */
			for (y = 0; y + 1 < L; y += 2) {
				double c0 = pa + row[y], c1 = pa + row[y + 1];

				cv[y] = c0 > cv[y] ? c0 : cv[y];
				cv[y + 1] = c1 > cv[y + 1] ? c1 : cv[y + 1];
			}
			if (y < L) {
				double c = pa + row[y];

				cv[y] = c > cv[y] ? c : cv[y];
			}
		}
		for (y = 0; y < L; y++)
			cv[y] += s[t * L + y];
	}
	{
		const double *lv = v + (n - 1) * L;
		int arg = 0;

		for (y = 1; y < L; y++)
			if (lv[y] > lv[arg])
				arg = (int)y;
		if (score != NULL)
			*score = lv[arg];
		/* the back-pointers, for the best path only: the same first
		 * best predecessor the forward pass found */
		for (t = n; t-- > 0;) {
			labels[t] = arg;
			if (t > 0)
				arg = best_pred(v + (t - 1) * L, m->trn, L, (size_t)arg);
		}
	}
	if (conf != NULL) {
		double *post = malloc(n * L * sizeof(*post));

		if (post == NULL || posterior(m, n, s, post) < 0) {
			free(post);
			free(s);
			return -1;
		}
		for (t = 0; t < n; t++)
			conf[t] = post[t * L + (size_t)labels[t]];
		free(post);
	}
	free(s);
	return 0;
}

/* ---- the trainer's text format */

static void
put_escaped(struct cvb_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			cvb_buf_addch(out, '\\');
		if (*s == '\t' || *s == '\n' || *s == '\r')
			cvb_buf_addch(out, ' ');
		else
			cvb_buf_addch(out, *s);
	}
}

void
cvb_seq_write_train(const struct cvb_seq *x, const char *const *labels, struct cvb_buf *out)
{
	size_t t, k;

	for (t = 0; t < x->n; t++) {
		cvb_buf_adds(out, labels[t]);
		for (k = x->start[t]; k < x->start[t + 1]; k++) {
			cvb_buf_addch(out, '\t');
			put_escaped(out, x->keep && x->names.buf ? x->names.buf + x->name[k] : "?");
			if (x->val[k] != 1.0f)
				cvb_buf_addf(out, ":%.6g", (double)x->val[k]);
		}
		cvb_buf_addch(out, '\n');
	}
	cvb_buf_addch(out, '\n');
}
