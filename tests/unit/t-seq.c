/* t-seq.c - the sequence-model module (src/seq): a hand-made blob, Viterbi,
 * marginals, the trainer's text format. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "seq/seq.h"
#include "check.h"

static size_t
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 255; p[1] = (v >> 8) & 255; p[2] = (v >> 16) & 255; p[3] = v >> 24;
	return 4;
}

/* labels A, B; "x=a" says A (+2/-2), "x=b" says B; transitions tr[(L+1)*L] */
static size_t
make_blob(unsigned char *p, const float *tr)
{
	const char *feat[2] = { "x=a", "x=b" };
	uint32_t k[2];
	int16_t w[2][2] = { { 2000, -2000 }, { -2000, 2000 } };
	union { float f; uint32_t u; } u;
	size_t o = 0, i;

	k[0] = cvb_seq_hash(feat[0], 3, CVB_SEQ_HASH_SEED);
	k[1] = cvb_seq_hash(feat[1], 3, CVB_SEQ_HASH_SEED);
	memcpy(p, CVB_SEQ_MAGIC, 8);
	o = 8;
	o += put32(p + o, 2);
	o += put32(p + o, 2);
	u.f = 0.001f;
	o += put32(p + o, u.u);
	o += put32(p + o, 4);
	memcpy(p + o, "A\0B\0", 4);
	o += 4;
	for (i = 0; i < 6; i++) {
		u.f = tr[i];
		o += put32(p + o, u.u);
	}
	if (k[0] > k[1]) {
		uint32_t t = k[0];
		int16_t t0 = w[0][0], t1 = w[0][1];

		k[0] = k[1]; k[1] = t;
		w[0][0] = w[1][0]; w[0][1] = w[1][1]; w[1][0] = t0; w[1][1] = t1;
	}
	o += put32(p + o, k[0]);
	o += put32(p + o, k[1]);
	for (i = 0; i < 4; i++) {
		uint16_t v = (uint16_t)w[i / 2][i % 2];

		p[o++] = v & 255;
		p[o++] = v >> 8;
	}
	return o;
}

int
main(void)
{
	static _Alignas(8) unsigned char blob[256];
	float flat[6] = { 0 }, sticky[6] = { 0, 0, 5, -5, -5, 5 };
	struct cvb_seq_model *m = NULL;
	struct cvb_seq *x = cvb_seq_new();
	int lab[4], i, y;
	double conf[4], post[8];
	struct cvb_buf out = CVB_BUF_INIT;
	const char *names[3] = { "A", "B", "A" };
	size_t len;

	CHECK(cvb_seq_model_load(&m, "not a model", 12) == -1, "garbage refused");
	len = make_blob(blob, flat);
	CHECK(cvb_seq_model_load(&m, blob, len - 1) == -1, "a cut blob refused");
	CHECK(cvb_seq_model_load(&m, blob, len) == 0 && m != NULL, "blob loads");
	if (m == NULL)
		return check_report();
	CHECK(cvb_seq_model_nlabels(m) == 2, "two labels");
	CHECK_STR(cvb_seq_model_label(m, 1), "B");
	CHECK(cvb_seq_model_label_id(m, "A") == 0 && cvb_seq_model_label_id(m, "C") == -1, "label ids");
	CHECK(fabs(cvb_seq_model_weight(m, "x=b", 1) - 2.0) < 1e-6, "weight of x=b for B");

	cvb_seq_keep_names(x, 1);
	cvb_seq_next(x);
	cvb_seq_feat(x, "x=a");
	cvb_seq_feat(x, "unknown");
	cvb_seq_next(x);
	cvb_seq_feat2(x, "x=", "b");
	cvb_seq_next(x);
	cvb_seq_featf(x, "x=%c", 'a');
	cvb_seq_featv(x, "half:way", 0.5);
	CHECK(cvb_seq_len(x) == 3 && !cvb_seq_failed(x), "three positions");
	CHECK(cvb_seq_nfeat(x, 0) == 2 && cvb_seq_nfeat(x, 1) == 1, "features per position");
	CHECK_STR(cvb_seq_feature_name(x, 1, 0), "x=b");
	CHECK(cvb_seq_decode(m, x, lab, conf) == 0, "decode");
	CHECK(lab[0] == 0 && lab[1] == 1 && lab[2] == 0, "A B A: %d %d %d", lab[0], lab[1], lab[2]);
	/* no transitions: each position alone, P(A | x=a) = e^2 / (e^2 + e^-2) */
	CHECK(fabs(conf[0] - 1 / (1 + exp(-4.0))) < 1e-4, "confidence %g", conf[0]);
	CHECK(cvb_seq_marginals(m, x, post) == 0, "marginals");
	for (i = 0; i < 3; i++)
		CHECK(fabs(post[2 * i] + post[2 * i + 1] - 1) < 1e-9, "marginals of %d sum to 1", i);

	cvb_seq_write_train(x, names, &out);
	CHECK_STR(out.buf, "A\tx=a\tunknown\nB\tx=b\nA\tx=a\thalf\\:way:0.5\n\n");
	cvbib_buf_release(&out);
	cvb_seq_model_free(m);

	/* sticky transitions (A->A, B->B +5) outvote the middle position */
	len = make_blob(blob, sticky);
	CHECK(cvb_seq_model_load(&m, blob, len) == 0, "blob loads");
	CHECK(cvb_seq_decode(m, x, lab, NULL) == 0, "decode");
	CHECK(lab[0] == 0 && lab[1] == 0 && lab[2] == 0, "A A A: %d %d %d", lab[0], lab[1], lab[2]);
	{
		/* the last position may only be B: the sticky path turns B early */
		uint32_t allow[3] = { 3, 3, 2 };
		double sc0, sc1;

		CHECK(cvb_seq_decode_masked(m, x, NULL, lab, NULL, &sc0) == 0, "masked decode, no mask");
		CHECK(cvb_seq_decode_masked(m, x, allow, lab, conf, &sc1) == 0, "masked decode");
		CHECK(lab[2] == 1, "the last is B: %d", lab[2]);
		CHECK(lab[1] == 1, "and so is the one before (sticky): %d", lab[1]);
		CHECK(sc1 < sc0, "a restricted path scores less: %g < %g", sc1, sc0);
		CHECK(conf[2] > 0.999, "a position with one label allowed is sure of it: %g", conf[2]);
	}
	CHECK(cvb_seq_marginals(m, x, post) == 0, "marginals");
	for (i = 0; i < 3; i++) {
		double s = 0;

		for (y = 0; y < 2; y++) {
			CHECK(post[2 * i + y] >= 0 && post[2 * i + y] <= 1, "a probability");
			s += post[2 * i + y];
		}
		CHECK(fabs(s - 1) < 1e-9, "marginals of %d sum to 1", i);
	}
	{
		/* a prefix hashed once makes the feature feat2 makes, names kept or not */
		struct cvb_seq_prefix pre[2] = { { "x=", 0 }, { "w[-1]=", 0 } };
		struct cvb_seq *y2 = cvb_seq_new();
		int l2[2];

		cvb_seq_prefix_init(pre, 2);
		CHECK(pre[0].h == cvb_seq_hash("x=", 2, CVB_SEQ_HASH_SEED), "the prefix's hash");
		cvb_seq_next(y2);
		cvb_seq_featp(y2, &pre[0], "b");
		cvb_seq_keep_names(y2, 1);
		cvb_seq_next(y2);
		cvb_seq_featp(y2, &pre[1], "of");
		CHECK(cvb_seq_nfeat(y2, 0) == 1 && cvb_seq_nfeat(y2, 1) == 1, "one feature each");
		CHECK_STR(cvb_seq_feature_name(y2, 1, 0), "w[-1]=of");
		/* x=b is B's feature: position 0 decodes as B, as with feat2 */
		CHECK(cvb_seq_decode(m, y2, l2, NULL) == 0 && l2[0] == 1, "featp's x=b is x=b: %d", l2[0]);
		cvb_seq_free(y2);
	}
	cvb_seq_clear(x);
	CHECK(cvb_seq_len(x) == 0, "cleared");
	CHECK(cvb_seq_decode(m, x, lab, conf) == 0, "an empty sequence decodes");
	cvb_seq_model_free(m);
	cvb_seq_free(x);
	return check_report();
}
