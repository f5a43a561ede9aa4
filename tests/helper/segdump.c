/*
 * segdump - the CV segmenter's training data and held-out runs (make train,
 * make realcv; not installed).
 *
 *   segdump dump FILE        for each non-blank line of FILE's document model:
 *                            "LINENO<TAB>INDENT<TAB>LIST<TAB>HEADING<TAB>TEXT" lines, a line "\036", then the
 *                            features in the trainer's format (label "O")
 *   segdump run MODEL FILE   read FILE as a free-text CV with the segmenter
 *                            model MODEL (a blob of seqtrain) and print CSL-JSON
 *
 * Both go through the library's own code (ft_doc_build, ft_seg_features,
 * ft_read_text_model), so training and run time cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"
#include "seq/seq.h"
#include "freetext/ft.h"

static int
slurp(const char *path, char **data, size_t *len)
{
	struct cvbib_diags d;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = cvb_read_all(path, data, len, &d);
	cvbib_diags_release(&d);
	return rc;
}

static enum cvb_textkind
kind_of(const char *path)
{
	const char *e = strrchr(path, '.');

	if (e && (strcmp(e, ".html") == 0 || strcmp(e, ".htm") == 0))
		return CVB_TK_HTML;
	if (e && (strcmp(e, ".md") == 0 || strcmp(e, ".markdown") == 0))
		return CVB_TK_MARKDOWN;
	return CVB_TK_TEXT;
}

static int
dump(const char *path)
{
	char *data;
	size_t len, *pl, i;
	struct lines L;
	struct cvb_seq *x = cvb_seq_new();
	struct cvb_buf out = CVB_BUF_INIT;
	const char **labels;
	int np;

	if (slurp(path, &data, &len) != 0 || x == NULL)
		return 1;
	memset(&L, 0, sizeof(L));
	if (ft_doc_build(&L, data, len, path, kind_of(path), NULL) != 0 || L.err)
		return 1;
	cvb_seq_keep_names(x, 1);
	pl = malloc((L.n + 1) * sizeof(*pl));
	np = ft_seg_features(&L, x, pl);
	if (np < 0)
		return 1;
	labels = malloc(((size_t)np + 1) * sizeof(*labels));
	for (i = 0; i < (size_t)np; i++) {
		const char *s = L.v[pl[i]].text;

		labels[i] = "O";
		printf("%u\t%d\t%d\t%d\t", L.v[pl[i]].lineno, L.v[pl[i]].indent, L.v[pl[i]].list,
		    L.v[pl[i]].heading);
		for (; *s; s++)
			if (*s == '\t' || *s == '\n' || *s == LINK_OPEN || *s == LINK_SEP ||
			    *s == LINK_CLOSE)
				putchar(' ');
			else if (*s != EMPH_OPEN && *s != EMPH_CLOSE)
				putchar(*s);
		putchar('\n');
	}
	printf("\036\n");
	cvb_seq_write_train(x, labels, &out);
	fwrite(out.buf, 1, out.len, stdout);
	cvbib_buf_release(&out);
	free(labels);
	free(pl);
	cvb_seq_free(x);
	ft_lines_free(&L);
	free(data);
	return 0;
}

static int
run(const char *model, const char *path)
{
	char *blob, *data;
	size_t blen, len;
	struct cvb_seq_model *m;
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d;
	struct cvbib_buf out = { 0 };
	int rc;

	memset(&d, 0, sizeof(d));
	if (slurp(model, &blob, &blen) != 0 || cvb_seq_model_load(&m, blob, blen) < 0) {
		fprintf(stderr, "segdump: cannot load the model %s\n", model);
		return 2;
	}
	if (slurp(path, &data, &len) != 0 || b == NULL)
		return 2;
	rc = ft_read_text_model(b, data, len, path, kind_of(path), NULL, &d, m);
	/* what cvbib_read_file() does after a free-text reader (cvbib.c) */
	if (rc == 0)
		cvb_map_article_types(b, 0);
	if (rc == 0)
		rc = cvbib_read_done(b, NULL, &d);
	if (rc == 0)
		rc = cvbib_write(b, CVBIB_FMT_CSLJSON, NULL, &out, &d);
	if (out.buf)
		fwrite(out.buf, 1, out.len, stdout);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	cvb_seq_model_free(m);
	free(data);
	free(blob);
	return rc < 0 ? 2 : 0;
}

/* segdump labels MODEL FILE: each line with its label and confidence (for looking) */
static int
labels(const char *model, const char *path)
{
	char *blob, *data, *lab;
	size_t blen, len, i;
	double *conf;
	struct cvb_seq_model *m;
	struct lines L;

	if (slurp(model, &blob, &blen) != 0 || cvb_seq_model_load(&m, blob, blen) < 0 ||
	    slurp(path, &data, &len) != 0)
		return 2;
	memset(&L, 0, sizeof(L));
	if (ft_doc_build(&L, data, len, path, kind_of(path), NULL) != 0)
		return 2;
	lab = malloc(L.n + 1);
	conf = malloc((L.n + 1) * sizeof(*conf));
	if (ft_segment(&L, m, lab, conf) < 0)
		return 2;
	for (i = 0; i < L.n; i++)
		if (lab[i])
			printf("%c %.2f %4u %.110s\n", lab[i], conf[i], L.v[i].lineno, L.v[i].text);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "labels") == 0)
		return labels(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2]);
	if (argc == 4 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3]);
	fprintf(stderr, "usage: segdump dump FILE | segdump run MODEL FILE\n");
	return 2;
}
