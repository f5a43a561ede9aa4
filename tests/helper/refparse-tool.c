/*
 * refparse-tool - training data and cross-validation for the reference model
 * (make train, make refparse-cv).  Reads the labelled references of
 * ../shared/refparse/dev.jsonl.
 *
 *   refparse-tool dump    [SELECT] DEV.jsonl          > train.txt
 *   refparse-tool predict [SELECT] -m MODEL DEV.jsonl > pred.jsonl
 *
 * SELECT:  --sources a,b   only records whose source starts with one of these
 *          --except a,b    not those
 *          --fold I/K --in|--out   record number % K == I (--in) or != I (--out)
 *
 * dump writes the features of each reference (cvb_ref_features, as the parser
 * makes them) with the labels of its segments, mapped from each data set's
 * label names to the model's (cvb_ref_labels), in the trainer's text format.
 * predict parses each reference with MODEL and writes score.py's JSONL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"
#include "seq/seq.h"

/* each data set's label -> the model's */
static const char *const labelmap[][2] = {
	{ "author", "author" }, { "editor", "editor" },
	{ "title", "title" }, { "title-a", "title" },
	{ "title-m", "title" },		/* container-title when the record has a title-a */
	{ "title-j", "journal" }, { "journal", "journal" },
	{ "booktitle", "container-title" }, { "container-title", "container-title" },
	{ "title-s", "collection-title" }, { "collection-title", "collection-title" },
	{ "publisher", "publisher" }, { "institution", "publisher" },
	{ "location", "location" }, { "pubPlace", "location" },
	{ "volume", "volume" }, { "issue", "issue" },
	{ "pages", "page" }, { "page", "page" }, { "biblScope-pages", "page" },
	{ "date", "date" },
	{ "doi", "doi" }, { "idno-doi", "doi" },
	{ "url", "url" }, { "ptr-web", "url" },
	{ "idno-arxiv", "arxiv" },
	{ "note", "note" }, { "notes", "note" },
	{ "genre", "genre" }, { "tech", "genre" }, { "note-report", "genre" },
	{ NULL, NULL }
};

static const char *
map_label(const char *l, int has_title_a)
{
	int i;

	if (strcmp(l, "title-m") == 0 && has_title_a)
		return "container-title";
	for (i = 0; labelmap[i][0] != NULL; i++)
		if (strcmp(labelmap[i][0], l) == 0)
			return labelmap[i][1];
	return "other";
}

static int
in_list(const char *src, const char *list)
{
	const char *p = list;

	while (p != NULL && *p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (n > 0 && strncmp(src, p, n) == 0)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: refparse-tool dump|predict [--sources L] [--except L] "
	    "[--fold I/K --in|--out] [-m MODEL] DEV.jsonl\n");
	exit(2);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	do {
		if (n + 65536 > cap) {
			cap = (cap + 65536) * 2;
			buf = realloc(buf, cap + 1);
			if (buf == NULL)
				exit(1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	const char *mode, *only = NULL, *except = NULL, *model = NULL, *path = NULL;
	int fi = -1, fk = 0, in = 1, i;
	unsigned long recno = 0;
	char *data, *line, *next, *blob = NULL;
	size_t len, bloblen = 0;
	struct cvb_seq_model *m = NULL;
	struct cvb_seq *x = cvb_seq_new();
	struct cvb_buf out = CVB_BUF_INIT;
	cvbib_biblio *b = NULL;
	struct cvb_refctx ctx;

	if (argc < 2)
		usage();
	mode = argv[1];
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--sources") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--except") == 0 && i + 1 < argc)
			except = argv[++i];
		else if (strcmp(argv[i], "--fold") == 0 && i + 1 < argc) {
			if (sscanf(argv[++i], "%d/%d", &fi, &fk) != 2 || fk <= 0)
				usage();
		} else if (strcmp(argv[i], "--in") == 0)
			in = 1;
		else if (strcmp(argv[i], "--out") == 0)
			in = 0;
		else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
			model = argv[++i];
		else if (argv[i][0] == '-')
			usage();
		else
			path = argv[i];
	}
	if (path == NULL || (strcmp(mode, "dump") != 0 && strcmp(mode, "predict") != 0))
		usage();
	if (strcmp(mode, "predict") == 0) {
		if (model == NULL)
			usage();
		blob = slurp(model, &bloblen);
		if (blob == NULL || cvb_seq_model_load(&m, blob, bloblen) < 0) {
			fprintf(stderr, "refparse-tool: %s: not a model\n", model);
			return 1;
		}
		b = cvbib_biblio_new();
		b->input_format = CVBIB_FMT_REFLINES;
		memset(&ctx, 0, sizeof(ctx));
		ctx.model = m;
	}
	data = slurp(path, &len);
	if (data == NULL) {
		fprintf(stderr, "refparse-tool: cannot read %s\n", path);
		return 1;
	}
	cvb_seq_keep_names(x, 1);
	for (line = data; line != NULL && *line; line = next) {
		json_t *j, *segs;
		json_error_t err;
		const char *src, *raw, *id;
		size_t rawlen;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0')
			continue;
		j = json_loads(line, 0, &err);
		if (j == NULL)
			continue;
		src = json_string_value(json_object_get(j, "source"));
		raw = json_string_value(json_object_get(j, "raw"));
		id = json_string_value(json_object_get(j, "id"));
		segs = json_object_get(j, "segments");
		if (src == NULL || raw == NULL || id == NULL) {
			json_decref(j);
			continue;
		}
		recno++;
		if ((only != NULL && !in_list(src, only)) || (except != NULL && in_list(src, except)) ||
		    (fk > 0 && ((int)((recno - 1) % (unsigned long)fk) == fi) != in)) {
			json_decref(j);
			continue;
		}
		rawlen = strlen(raw);
		if (b != NULL) {
			struct cvb_item *it = cvb_item_new(b, path, (unsigned)recno, 1);

			it->id = cvb_arena_strdup(&b->arena, id);
			cvb_refparse(b, it, raw, rawlen, &ctx);
		} else {
			char *w = malloc(rawlen + 1);
			struct cvb_reftok *tok = malloc(sizeof(*tok) * 512);
			const char **lab;
			size_t sk = cvb_ref_prepare(raw, rawlen, w), k, pos = 0;
			int nt, t, has_a = 0;
			int *segb, *sege;
			const char **segl;
			size_t ns = json_array_size(segs);

			nt = cvb_ref_tokens(w + sk, (int)(rawlen - sk), tok, 512);
			lab = calloc((size_t)nt + 1, sizeof(*lab));
			segb = calloc(ns + 1, sizeof(int));
			sege = calloc(ns + 1, sizeof(int));
			segl = calloc(ns + 1, sizeof(*segl));
			for (k = 0; k < ns; k++) {
				const char *l = json_string_value(json_array_get(json_array_get(segs, k), 0));

				if (l != NULL && strcmp(l, "title-a") == 0)
					has_a = 1;
			}
			/* the segments in order in the raw string */
			for (k = 0; k < ns; k++) {
				json_t *sg = json_array_get(segs, k);
				const char *l = json_string_value(json_array_get(sg, 0));
				const char *txt = json_string_value(json_array_get(sg, 1));
				const char *at;

				segb[k] = sege[k] = -1;
				if (l == NULL || txt == NULL || *txt == '\0')
					continue;
				at = strstr(raw + pos, txt);
				if (at == NULL)
					continue;
				segb[k] = (int)(at - raw) - (int)sk;
				sege[k] = segb[k] + (int)strlen(txt);
				segl[k] = map_label(l, has_a);
				pos = (size_t)(at - raw) + strlen(txt);
			}
			for (t = 0; t < nt; t++) {
				lab[t] = "other";
				for (k = 0; k < ns; k++)
					if (segb[k] >= 0 && tok[t].b >= segb[k] && tok[t].b < sege[k]) {
						lab[t] = segl[k];
						break;
					}
			}
			cvb_seq_clear(x);
			if (nt > 0 && cvb_ref_features(w + sk, (int)(rawlen - sk), tok, nt, x) == 0) {
				cvb_buf_reset(&out);
				cvb_seq_write_train(x, lab, &out);
				fwrite(out.buf, 1, out.len, stdout);
			}
			free(w);
			free(tok);
			free(lab);
			free(segb);
			free(sege);
			free(segl);
		}
		json_decref(j);
	}
	if (b != NULL) {
		cvb_buf_reset(&out);
		cvb_write_refpred(b, NULL, &out, NULL);
		fwrite(out.buf, 1, out.len, stdout);
		cvbib_biblio_free(b);
		cvb_seq_model_free(m);
	}
	cvbib_buf_release(&out);
	cvb_seq_free(x);
	free(data);
	free(blob);
	return 0;
}
