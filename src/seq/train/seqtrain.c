/*
 * seqtrain - train a linear-chain CRF for src/seq (the blob of seq.h) from
 * files in the trainer's text format (cvb_seq_write_train: one position a
 * line, "LABEL<TAB>feat<TAB>feat:0.5", a blank line after each sequence).
 *
 *   seqtrain [-o BLOB] [--c1 X] [--c2 X] [--iter N] [--min-count N] [--threads N] [-q] FILE...
 *
 * Training maximises the conditional log-likelihood with L-BFGS (OWL-QN when
 * --c1 > 0 gives an L1 term; --c2 is the L2 term) by Debian's liblbfgs.  It is
 * deterministic: the input order, no random numbers, and the gradient summed
 * over --threads (default 2) fixed parts in a fixed order, so the same files
 * and the same --threads give the same blob bit for bit.  Not part of the library: built by
 * `make train` (mk/seq.mk).
 */
#include <errno.h>
#include <lbfgs.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seq/seq.h"

#define MAXLABELS 256

struct data {
	/* positions */
	int		*lab;		/* label of each position */
	size_t		*fst;		/* features of position i: fst[i] .. fst[i + 1] */
	size_t		 npos, cappos;
	/* sequences: positions seq[j] .. seq[j + 1] */
	size_t		*seq;
	size_t		 nseq, capseq;
	/* features: hash, then dense id */
	uint32_t	*fh;
	float		*fv;
	size_t		 nf, capf;
	char		*lname[MAXLABELS];
	int		 L;
	/* the feature dictionary */
	uint32_t	*key;		/* hash of dense id */
	uint32_t	*cnt;
	uint32_t	*slot;		/* id + 1 */
	size_t		 nfeat, capfeat, mask;
	int		 verbose;
	int		 iter;
};

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL) {
		fprintf(stderr, "seqtrain: out of memory\n");
		exit(1);
	}
	return p;
}

static int
label_id(struct data *d, const char *s, size_t n)
{
	int i;

	for (i = 0; i < d->L; i++)
		if (strlen(d->lname[i]) == n && memcmp(d->lname[i], s, n) == 0)
			return i;
	if (d->L == MAXLABELS) {
		fprintf(stderr, "seqtrain: more than %d labels\n", MAXLABELS);
		exit(1);
	}
	d->lname[d->L] = xrealloc(NULL, n + 1);
	memcpy(d->lname[d->L], s, n);
	d->lname[d->L][n] = '\0';
	return d->L++;
}

static void
dict_grow(struct data *d)
{
	size_t cap = d->mask ? (d->mask + 1) * 2 : 1 << 16, i;

	free(d->slot);
	d->slot = xrealloc(NULL, cap * sizeof(*d->slot));
	memset(d->slot, 0, cap * sizeof(*d->slot));
	d->mask = cap - 1;
	for (i = 0; i < d->nfeat; i++) {
		size_t k = (d->key[i] * 2654435761u) & d->mask;

		while (d->slot[k])
			k = (k + 1) & d->mask;
		d->slot[k] = (uint32_t)i + 1;
	}
}

static uint32_t
dict_id(struct data *d, uint32_t h)
{
	size_t k;

	if (2 * (d->nfeat + 1) > d->mask + 1)
		dict_grow(d);
	k = (h * 2654435761u) & d->mask;
	while (d->slot[k]) {
		if (d->key[d->slot[k] - 1] == h)
			return d->slot[k] - 1;
		k = (k + 1) & d->mask;
	}
	if (d->nfeat == d->capfeat) {
		d->capfeat = d->capfeat ? d->capfeat * 2 : 1 << 16;
		d->key = xrealloc(d->key, d->capfeat * sizeof(*d->key));
		d->cnt = xrealloc(d->cnt, d->capfeat * sizeof(*d->cnt));
	}
	d->key[d->nfeat] = h;
	d->cnt[d->nfeat] = 0;
	d->slot[k] = (uint32_t)d->nfeat + 1;
	return (uint32_t)d->nfeat++;
}

static void
end_seq(struct data *d)
{
	if (d->seq[d->nseq] == d->npos)
		return;
	if (d->nseq + 2 > d->capseq) {
		d->capseq = d->capseq ? d->capseq * 2 : 1024;
		d->seq = xrealloc(d->seq, d->capseq * sizeof(*d->seq));
	}
	d->seq[++d->nseq] = d->npos;
}

static void
add_feature(struct data *d, const char *s, size_t n)
{
	char tmp[1024];
	size_t i, o = 0, colon = (size_t)-1;
	double v = 1.0;

	/* unescape, and note the last unescaped ':' */
	for (i = 0; i < n && o < sizeof(tmp) - 1; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			tmp[o++] = s[++i];
			continue;
		}
		if (s[i] == ':')
			colon = o;
		tmp[o++] = s[i];
	}
	if (colon != (size_t)-1) {
		char *e;

		tmp[o] = '\0';
		v = strtod(tmp + colon + 1, &e);
		if (*e == '\0' && e != tmp + colon + 1)
			o = colon;
		else
			v = 1.0;
	}
	if (d->nf == d->capf) {
		d->capf = d->capf ? d->capf * 2 : 1 << 20;
		d->fh = xrealloc(d->fh, d->capf * sizeof(*d->fh));
		d->fv = xrealloc(d->fv, d->capf * sizeof(*d->fv));
	}
	d->fh[d->nf] = dict_id(d, cvb_seq_hash(tmp, o, CVB_SEQ_HASH_SEED));
	d->cnt[d->fh[d->nf]]++;
	d->fv[d->nf++] = (float)v;
}

static void
read_file(struct data *d, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long ln = 0;

	if (f == NULL) {
		fprintf(stderr, "seqtrain: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (d->nseq == 0 && d->capseq == 0) {
		d->capseq = 1024;
		d->seq = xrealloc(NULL, d->capseq * sizeof(*d->seq));
		d->seq[0] = 0;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *p = line, *e = line + n, *tab;

		ln++;
		while (e > p && (e[-1] == '\n' || e[-1] == '\r'))
			e--;
		if (e == p) {
			end_seq(d);
			continue;
		}
		if (d->npos + 2 > d->cappos) {
			d->cappos = d->cappos ? d->cappos * 2 : 1 << 16;
			d->lab = xrealloc(d->lab, d->cappos * sizeof(*d->lab));
			d->fst = xrealloc(d->fst, d->cappos * sizeof(*d->fst));
		}
		tab = memchr(p, '\t', (size_t)(e - p));
		if (tab == NULL)
			tab = e;
		d->lab[d->npos] = label_id(d, p, (size_t)(tab - p));
		d->fst[d->npos] = d->nf;
		p = tab;
		while (p < e) {
			char *q;

			p++;
			q = memchr(p, '\t', (size_t)(e - p));
			if (q == NULL)
				q = e;
			if (q > p)
				add_feature(d, p, (size_t)(q - p));
			p = q;
		}
		d->npos++;
		d->fst[d->npos] = d->nf;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	end_seq(d);	/* a file without a final blank line */
}

/* ---- the objective */

struct work {
	double *s, *al, *be, *c, *ex, *st;	/* st: in ex's block */
	size_t cap;
};

/* one thread's share: sequences [from, to), gradient into its own g */
struct job {
	struct data	*d;
	const lbfgsfloatval_t *w;
	lbfgsfloatval_t *g;
	size_t		 from, to, nvar;
	struct work	 wk;
	double		 nll;
};

static void *
eval_range(void *arg)
{
	struct job *jb = arg;
	struct data *d = jb->d;
	const lbfgsfloatval_t *w = jb->w;
	lbfgsfloatval_t *g = jb->g;
	size_t L = (size_t)d->L, F = d->nfeat, j, t, y, a, k;
	const lbfgsfloatval_t *tr = w + F * L;
	lbfgsfloatval_t *gt = g + F * L;
	struct work wk = jb->wk;
	double nll = 0;

	memset(g, 0, jb->nvar * sizeof(*g));
	if (wk.ex == NULL)
		wk.ex = xrealloc(NULL, (L * L + L) * sizeof(double));
	wk.st = wk.ex + L * L;
	for (a = 0; a < L; a++)
		for (y = 0; y < L; y++)
			wk.ex[a * L + y] = exp(tr[(a + 1) * L + y]);
	for (y = 0; y < L; y++)
		wk.st[y] = exp(tr[y]);
	for (j = jb->from; j < jb->to; j++) {
		size_t b = d->seq[j], n = d->seq[j + 1] - b;
		double logz = 0, gold = 0;

		if (n == 0)
			continue;
		if (n * L > wk.cap) {
			wk.cap = n * L * 2;
			wk.s = xrealloc(wk.s, wk.cap * sizeof(double));
			wk.al = xrealloc(wk.al, wk.cap * sizeof(double));
			wk.be = xrealloc(wk.be, wk.cap * sizeof(double));
			wk.c = xrealloc(wk.c, wk.cap * sizeof(double));
		}
		for (t = 0; t < n; t++) {
			double *st = wk.s + t * L, mx = -HUGE_VAL;

			for (y = 0; y < L; y++)
				st[y] = 0;
			for (k = d->fst[b + t]; k < d->fst[b + t + 1]; k++) {
				const lbfgsfloatval_t *wr = w + (size_t)d->fh[k] * L;
				double v = d->fv[k];

				for (y = 0; y < L; y++)
					st[y] += wr[y] * v;
			}
			gold += st[d->lab[b + t]];
			gold += t == 0 ? tr[d->lab[b]] : tr[(size_t)(d->lab[b + t - 1] + 1) * L + (size_t)d->lab[b + t]];
			for (y = 0; y < L; y++)
				if (st[y] > mx)
					mx = st[y];
			for (y = 0; y < L; y++)
				st[y] = exp(st[y] - mx);
			logz += mx;
		}
		/* forward, scaled (seq.c) */
		cvb_seq_forward(L, n, wk.st, wk.ex, wk.s, wk.al, wk.c);
		for (t = 0; t < n; t++)
			logz += log(wk.c[t]);
		/* backward with the same scales */
		for (y = 0; y < L; y++)
			wk.be[(n - 1) * L + y] = 1;
		for (t = n - 1; t-- > 0;) {
			for (a = 0; a < L; a++) {
				double q = 0;

				for (y = 0; y < L; y++)
					q += wk.ex[a * L + y] * wk.s[(t + 1) * L + y] * wk.be[(t + 1) * L + y];
				wk.be[t * L + a] = q / wk.c[t + 1];
			}
		}
		nll += logz - gold;
		/* expected counts minus observed */
		for (t = 0; t < n; t++) {
			int gy = d->lab[b + t];

			if (t > 0) {
				/* pairwise: alpha[t-1](a) ex(a,y) s[t](y) beta[t](y) / c[t] */
				for (a = 0; a < L; a++) {
					double pa = wk.al[(t - 1) * L + a] / wk.c[t];

					for (y = 0; y < L; y++)
						gt[(a + 1) * L + y] += pa * wk.ex[a * L + y] * wk.s[t * L + y] *
						    wk.be[t * L + y];
				}
				gt[(size_t)(d->lab[b + t - 1] + 1) * L + (size_t)gy] -= 1;
			}
		}
		for (t = 0; t < n; t++) {
			double p[MAXLABELS];
			int gy = d->lab[b + t];

			for (y = 0; y < L; y++)
				p[y] = wk.al[t * L + y] * wk.be[t * L + y];
			if (t == 0) {
				for (y = 0; y < L; y++)
					gt[y] += p[y];
				gt[gy] -= 1;
			}
			p[gy] -= 1;
			for (k = d->fst[b + t]; k < d->fst[b + t + 1]; k++) {
				lbfgsfloatval_t *gr = g + (size_t)d->fh[k] * L;
				double v = d->fv[k];

				for (y = 0; y < L; y++)
					gr[y] += p[y] * v;
			}
		}
	}
	jb->wk = wk;
	jb->nll = nll;
	return NULL;
}

#define MAXTHREADS 8
static int nthreads = 2;
static struct job jobs[MAXTHREADS];

/* The loss and gradient: the sequences split into nthreads fixed parts, the
 * parts' sums added in a fixed order, so the result depends on the data and
 * nthreads only. */
static lbfgsfloatval_t
evaluate(void *inst, const lbfgsfloatval_t *w, lbfgsfloatval_t *g, const int nvar,
    const lbfgsfloatval_t step)
{
	struct data *d = inst;
	pthread_t th[MAXTHREADS];
	double nll = 0;
	int i, k;

	(void)step;
	for (k = 0; k < nthreads; k++) {
		jobs[k].d = d;
		jobs[k].w = w;
		jobs[k].nvar = (size_t)nvar;
		jobs[k].from = d->nseq * (size_t)k / (size_t)nthreads;
		jobs[k].to = d->nseq * (size_t)(k + 1) / (size_t)nthreads;
		if (k == 0)
			jobs[k].g = g;
		else if (jobs[k].g == NULL)
			jobs[k].g = xrealloc(NULL, (size_t)nvar * sizeof(*g));
	}
	for (k = 1; k < nthreads; k++)
		if (pthread_create(&th[k], NULL, eval_range, &jobs[k]) != 0) {
			fprintf(stderr, "seqtrain: cannot start a thread\n");
			exit(1);
		}
	eval_range(&jobs[0]);
	for (k = 1; k < nthreads; k++)
		pthread_join(th[k], NULL);
	for (k = 0; k < nthreads; k++)
		nll += jobs[k].nll;
	for (k = 1; k < nthreads; k++)
		for (i = 0; i < nvar; i++)
			g[i] += jobs[k].g[i];
	return nll;
}

struct opts {
	double c1, c2;
};

static struct opts O;

static lbfgsfloatval_t
evaluate_l2(void *inst, const lbfgsfloatval_t *w, lbfgsfloatval_t *g, const int nvar,
    const lbfgsfloatval_t step)
{
	double f = evaluate(inst, w, g, nvar, step);
	int i;

	if (O.c2 > 0)
		for (i = 0; i < nvar; i++) {
			f += 0.5 * O.c2 * w[i] * w[i];
			g[i] += O.c2 * w[i];
		}
	return f;
}

static int
progress(void *inst, const lbfgsfloatval_t *x, const lbfgsfloatval_t *g,
    const lbfgsfloatval_t fx, const lbfgsfloatval_t xnorm, const lbfgsfloatval_t gnorm,
    const lbfgsfloatval_t step, int n, int k, int ls)
{
	struct data *d = inst;

	(void)x; (void)g; (void)xnorm; (void)step; (void)n; (void)ls;
	if (d->verbose && (k % 10 == 0 || k == 1))
		fprintf(stderr, "seqtrain: iteration %d: loss %.4f, |g| %.4f\n", k, fx, gnorm);
	return 0;
}

static void
put32(FILE *f, uint32_t v)
{
	unsigned char b[4] = { v & 255, (v >> 8) & 255, (v >> 16) & 255, v >> 24 };

	fwrite(b, 1, 4, f);
}

static int
cmp_row(const void *a, const void *b, void *keys)
{
	const uint32_t *k = keys;
	uint32_t x = k[*(const uint32_t *)a], y = k[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

/* drop features seen fewer than min times; renumber the rest in first-seen order */
static void
prune(struct data *d, unsigned min)
{
	uint32_t *map = xrealloc(NULL, d->nfeat * sizeof(*map));
	size_t i, o = 0, k, p = 0, pos;

	for (i = 0; i < d->nfeat; i++) {
		map[i] = d->cnt[i] >= min ? (uint32_t)o : UINT32_MAX;
		if (d->cnt[i] >= min) {
			d->key[o] = d->key[i];
			d->cnt[o++] = d->cnt[i];
		}
	}
	d->nfeat = o;
	for (pos = 0; pos < d->npos; pos++) {
		size_t b = d->fst[pos], e = d->fst[pos + 1];

		d->fst[pos] = p;
		for (k = b; k < e; k++)
			if (map[d->fh[k]] != UINT32_MAX) {
				d->fh[p] = map[d->fh[k]];
				d->fv[p++] = d->fv[k];
			}
	}
	d->fst[d->npos] = p;
	d->nf = p;
	free(map);
}

static void
usage(void)
{
	fprintf(stderr, "usage: seqtrain [-o BLOB] [--c1 X] [--c2 X] [--iter N] [--min-count N] [--threads N] [-q] FILE...\n");
	exit(2);
}

/* Long, but a script: options, reading, L-BFGS (liblbfgs), writing the blob. */
int
main(int argc, char **argv)
{
	static struct data d;
	const char *out = NULL;
	int i, nfiles = 0, iter = 150, ret;
	unsigned mincount = 1;
	lbfgs_parameter_t par;
	lbfgsfloatval_t *w, fx;
	size_t L, F, nvar, r, y;
	int *lmap, order[MAXLABELS];

	O.c1 = 0.05;
	O.c2 = 0.01;
	d.verbose = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--c1") == 0 && i + 1 < argc)
			O.c1 = atof(argv[++i]);
		else if (strcmp(argv[i], "--c2") == 0 && i + 1 < argc)
			O.c2 = atof(argv[++i]);
		else if (strcmp(argv[i], "--iter") == 0 && i + 1 < argc)
			iter = atoi(argv[++i]);
		else if (strcmp(argv[i], "--min-count") == 0 && i + 1 < argc)
			mincount = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			nthreads = atoi(argv[++i]);
			if (nthreads < 1 || nthreads > MAXTHREADS)
				usage();
		} else if (strcmp(argv[i], "-q") == 0)
			d.verbose = 0;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			usage();
		else
			nfiles++;
	}
	if (nfiles == 0 || out == NULL)
		usage();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--c1") == 0 ||
		    strcmp(argv[i], "--c2") == 0 || strcmp(argv[i], "--iter") == 0 ||
		    strcmp(argv[i], "--min-count") == 0 || strcmp(argv[i], "--threads") == 0) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "-q") == 0)
			continue;
		read_file(&d, argv[i]);
	}
	if (d.nseq == 0 || d.L == 0) {
		fprintf(stderr, "seqtrain: no labelled sequences\n");
		return 1;
	}
	/* labels in alphabetical order, whatever the input order */
	for (i = 0; i < d.L; i++)
		order[i] = i;
	for (i = 1; i < d.L; i++) {
		int j = i, v = order[i];

		while (j > 0 && strcmp(d.lname[order[j - 1]], d.lname[v]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	lmap = xrealloc(NULL, (size_t)d.L * sizeof(*lmap));
	for (i = 0; i < d.L; i++)
		lmap[order[i]] = i;
	for (r = 0; r < d.npos; r++)
		d.lab[r] = lmap[d.lab[r]];
	free(lmap);
	lmap = NULL;
	prune(&d, mincount);
	L = (size_t)d.L;
	F = d.nfeat;
	nvar = F * L + (L + 1) * L;
	if (d.verbose)
		fprintf(stderr, "seqtrain: %zu sequences, %zu positions, %zu features, %zu labels\n",
		    d.nseq, d.npos, F, L);
	w = lbfgs_malloc((int)nvar);
	if (w == NULL)
		return 1;
	for (r = 0; r < nvar; r++)
		w[r] = 0;
	lbfgs_parameter_init(&par);
	par.max_iterations = iter;
	par.epsilon = 1e-5;
	par.past = 10;
	par.delta = 1e-5;
	if (O.c1 > 0) {
		par.orthantwise_c = O.c1;
		par.orthantwise_start = 0;
		par.orthantwise_end = (int)(F * L);	/* transitions are not L1-penalised */
		par.linesearch = LBFGS_LINESEARCH_BACKTRACKING;
	}
	ret = lbfgs((int)nvar, w, &fx, evaluate_l2, progress, &d, &par);
	if (d.verbose)
		fprintf(stderr, "seqtrain: L-BFGS ended (%d), loss %.4f\n", ret, fx);
	{
		FILE *f = fopen(out, "wb");
		double mx = 0, scale;
		size_t nl = 0, nrows = 0, pad;
		uint32_t *rows = xrealloc(NULL, (F ? F : 1) * sizeof(*rows));
		union { float f; uint32_t u; } u;

		if (f == NULL) {
			fprintf(stderr, "seqtrain: %s: %s\n", out, strerror(errno));
			return 1;
		}
		for (r = 0; r < F * L; r++)
			if (fabs(w[r]) > mx)
				mx = fabs(w[r]);
		scale = mx > 0 ? mx / 32767.0 : 1.0;
		for (r = 0; r < F; r++) {
			int keep = 0;

			for (y = 0; y < L; y++)
				if (lrint(w[r * L + y] / scale) != 0)
					keep = 1;
			if (keep)
				rows[nrows++] = (uint32_t)r;
		}
		qsort_r(rows, nrows, sizeof(*rows), cmp_row, d.key);
		for (i = 0; i < d.L; i++)
			nl += strlen(d.lname[order[i]]) + 1;
		pad = (4 - nl % 4) % 4;
		fwrite(CVB_SEQ_MAGIC, 1, 8, f);
		put32(f, (uint32_t)L);
		put32(f, (uint32_t)nrows);
		u.f = (float)scale;
		put32(f, u.u);
		put32(f, (uint32_t)(nl + pad));
		for (i = 0; i < d.L; i++)
			fwrite(d.lname[order[i]], 1, strlen(d.lname[order[i]]) + 1, f);
		for (r = 0; r < pad; r++)
			fputc(0, f);
		for (r = 0; r < (L + 1) * L; r++) {
			u.f = (float)w[F * L + r];
			put32(f, u.u);
		}
		for (r = 0; r < nrows; r++)
			put32(f, d.key[rows[r]]);
		for (r = 0; r < nrows; r++)
			for (y = 0; y < L; y++) {
				long q = lrint(w[(size_t)rows[r] * L + y] / scale);
				unsigned v = (unsigned)(q & 0xffff);

				fputc((int)(v & 255), f);
				fputc((int)(v >> 8), f);
			}
		for (r = (nrows * L * 2) % 4; r != 0 && r < 4; r++)
			fputc(0, f);
		if (fclose(f) != 0) {
			fprintf(stderr, "seqtrain: %s: write error\n", out);
			return 1;
		}
		if (d.verbose)
			fprintf(stderr, "seqtrain: %s: %zu feature rows kept of %zu\n", out, nrows, F);
		free(rows);
	}
	lbfgs_free(w);
	return 0;
}
