/*
 * cv-biblatex.c - test driver for the biblatex side of the CV layer, used by
 * tests/suites/cv-latex.sh while the CLI path (cvbib -f biblatex) depends on
 * the BibTeX writer:
 *
 *   cv-biblatex preamble [OPTIONS] FILE.json...     the --latex-preamble output
 *   cv-biblatex annotate [OPTIONS] IN.bib FILE.json...
 *        the .bib with author+an fields: the BibTeX writer's output when it
 *        is built, else IN.bib (entries in the order of the items)
 * OPTIONS: --highlight NAME (repeatable), --group-by KEY, --group-prefix,
 * --countdown, --sort KEY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"

int
main(int argc, char **argv)
{
	struct cvbib_options o, e;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_buf out = CVB_BUF_INIT;
	const char *hl[16], *bib = NULL;
	size_t nhl = 0, i;
	cvbib_biblio *b = cvbib_biblio_new();
	int k = 2, rc = 0;

	if (argc < 3 || b == NULL)
		return 2;
	cvbib_options_init(&o);
	for (; k < argc && strncmp(argv[k], "--", 2) == 0; k++) {
		if (strcmp(argv[k], "--highlight") == 0 && k + 1 < argc && nhl < 15)
			hl[nhl++] = argv[++k];
		else if (strcmp(argv[k], "--group-by") == 0 && k + 1 < argc)
			o.group_by = argv[++k];
		else if (strcmp(argv[k], "--sort") == 0 && k + 1 < argc)
			o.sort = argv[++k];
		else if (strcmp(argv[k], "--group-prefix") == 0)
			o.group_prefix = 1;
		else if (strcmp(argv[k], "--countdown") == 0)
			o.countdown = 1;
		else
			return 2;
	}
	hl[nhl] = NULL;
	o.highlight = nhl ? hl : NULL;
	if (strcmp(argv[1], "annotate") == 0 && k < argc)
		bib = argv[k++];
	for (; k < argc; k++)
		cvbib_read_file(b, argv[k], CVBIB_FMT_AUTO, &o, &d);
	if (strcmp(argv[1], "preamble") == 0)
		rc = cvb_cv_biblatex_preamble(b, &o, &out, &d);
	else if (bib != NULL) {
		char *data;
		size_t len;

		struct cvbib_diags quiet = CVBIB_DIAGS_INIT;

		rc = cvb_cv_prepare(b, &o, &e, &d);
		/* the BibTeX writer's .bib when it is built (the preamble reads its
		 * keys back), else the hand-written IN.bib */
		if (rc == 0 && cvb_write_biblatex(b, &o, &out, &quiet) == 0)
			rc = cvb_cv_biblatex_annotate(b, &out, 0);
		else if (rc == 0 && (cvb_buf_reset(&out), rc = cvb_read_all(bib, &data, &len, &d)) == 0) {
			cvb_buf_add(&out, data, len);
			free(data);
			rc = cvb_cv_biblatex_annotate(b, &out, 0);
		}
		cvbib_diags_release(&quiet);
	} else
		return 2;
	for (i = 0; i < d.n; i++) {
		char *s = cvbib_diag_format(&d.v[i]);

		fprintf(stderr, "%s\n", s ? s : "?");
		free(s);
	}
	fwrite(out.buf, 1, out.len, stdout);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return rc != 0;
}
