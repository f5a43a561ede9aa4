/*
 * csl-format.c - a test and benchmark driver for the CSL engine, through the
 * public API only (cvbib.h): read CSL-JSON items, load a style, format the
 * bibliography, print it.
 *
 *   csl-format [-s STYLE] [-l LOCALE] [-f text|markdown|html|latex]
 *              [-r REPEAT] [-L] [-c] ITEMS.json
 *
 * STYLE is a shipped style name or a .csl path (default: apa).  -r formats
 * the bibliography REPEAT times (the last result is printed), for timing.
 * -L loads the style only (checks that it loads; prints nothing).
 * -c prints citations instead of the bibliography: one cluster per item, in
 * the file's order, each citing that item alone (note_index = its number),
 * one line each.
 * Diagnostics go to stderr as "cvbib: FILE:LINE:COL: level: message".
 * Exit status: 0 on success, 1 when the style or items could not be loaded
 * or formatting failed, 2 on a usage error.
 *
 * Used by tests/suites/csl-compare.sh and bench/bench-csl.sh, which need the
 * engine before (or without) the CLI's --format text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cvbib.h"

static void
print_diags(struct cvbib_diags *d, size_t *shown)
{
	for (size_t i = *shown; i < d->n; i++) {
		char *s = cvbib_diag_format(&d->v[i]);
		if (s) {
			fprintf(stderr, "%s\n", s);
			free(s);
		}
	}
	*shown = d->n;
}

static int
outfmt(const char *s, enum cvbib_outfmt *f)
{
	static const struct { const char *name; enum cvbib_outfmt f; } tab[] = {
		{ "text", CVBIB_OUT_TEXT }, { "markdown", CVBIB_OUT_MARKDOWN },
		{ "html", CVBIB_OUT_HTML }, { "latex", CVBIB_OUT_LATEX },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(s, tab[i].name) == 0) {
			*f = tab[i].f;
			return 0;
		}
	return -1;
}

/* One citation cluster per item of the CSL-JSON file path, in its order. */
static int
format_cites(cvbib_style *st, cvbib_biblio *b, const char *path,
    enum cvbib_outfmt fmt, struct cvbib_buf *out, struct cvbib_diags *diags)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	size_t n, i;
	int rc = 1;

	if (!json_is_array(root)) {
		fprintf(stderr, "csl-format: %s: not a CSL-JSON array\n", path);
		json_decref(root);
		return 1;
	}
	n = json_array_size(root);
	struct cvbib_cite *cv = calloc(n ? n : 1, sizeof *cv);
	struct cvbib_citation *ct = calloc(n ? n : 1, sizeof *ct);
	char **ids = calloc(n ? n : 1, sizeof *ids);
	if (!cv || !ct || !ids)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *id = json_object_get(json_array_get(root, i), "id");
		char num[32];
		if (json_is_string(id))
			ids[i] = strdup(json_string_value(id));
		else {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(id));
			ids[i] = strdup(num);
		}
		if (!ids[i])
			goto out;
		cv[i].id = ids[i];
		ct[i].cites = &cv[i];
		ct[i].ncites = 1;
		ct[i].note_index = (int)i + 1;
	}
	if (cvbib_format_citations(st, b, ct, n, fmt, out, diags) < 0 || out->err)
		fprintf(stderr, "csl-format: formatting citations failed\n");
	else
		rc = 0;
out:
	for (i = 0; ids && i < n; i++)
		free(ids[i]);
	free(ids);
	free(ct);
	free(cv);
	json_decref(root);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *style = "apa", *locale = NULL;
	enum cvbib_outfmt fmt = CVBIB_OUT_TEXT;
	long repeat = 1;
	int load_only = 0, cites = 0, c, status = 0;

	while ((c = getopt(argc, argv, "s:l:f:r:Lc")) != -1) {
		switch (c) {
		case 's': style = optarg; break;
		case 'l': locale = optarg; break;
		case 'f':
			if (outfmt(optarg, &fmt) < 0) {
				fprintf(stderr, "csl-format: unknown format '%s'\n", optarg);
				return 2;
			}
			break;
		case 'r': repeat = strtol(optarg, NULL, 10); if (repeat < 1) repeat = 1; break;
		case 'L': load_only = 1; break;
		case 'c': cites = 1; break;
		default:
			fprintf(stderr, "usage: csl-format [-s STYLE] [-l LOCALE] [-f FMT] [-r N] [-L] ITEMS.json\n");
			return 2;
		}
	}
	if (!load_only && optind != argc - 1) {
		fprintf(stderr, "usage: csl-format [-s STYLE] [-l LOCALE] [-f FMT] [-r N] [-L] ITEMS.json\n");
		return 2;
	}

	struct cvbib_options opts;
	struct cvbib_diags diags = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	cvbib_style *st = NULL;
	cvbib_biblio *b = NULL;
	size_t shown = 0;

	cvbib_options_init(&opts);
	opts.style = style;
	opts.locale = locale;
	/* the library reads no environment: the locales of the comparisons */
	if (getenv("CVBIB_LOCALES_DIR")) opts.locales_dir = getenv("CVBIB_LOCALES_DIR");
	if (getenv("CVBIB_CSL_DIR")) opts.system_csl_dir = getenv("CVBIB_CSL_DIR");
	if (cvbib_style_load(&st, style, locale, &opts, &diags) < 0 || !st) {
		print_diags(&diags, &shown);
		fprintf(stderr, "csl-format: cannot load style '%s'\n", style);
		status = 1;
		goto done;
	}
	print_diags(&diags, &shown);
	if (load_only)
		goto done;

	b = cvbib_biblio_new();
	if (!b || cvbib_read_file(b, argv[optind], CVBIB_FMT_CSLJSON, &opts, &diags) < 0) {
		print_diags(&diags, &shown);
		fprintf(stderr, "csl-format: cannot read '%s'\n", argv[optind]);
		status = 1;
		goto done;
	}
	print_diags(&diags, &shown);
	if (cites) {
		status = format_cites(st, b, argv[optind], fmt, &out, &diags);
		print_diags(&diags, &shown);
		if (status == 0)
			fwrite(out.buf, 1, out.len, stdout);
		goto done;
	}
	for (long r = 0; r < repeat; r++) {
		cvbib_buf_release(&out);
		if (cvbib_format_bibliography(st, b, fmt, &out, &diags) < 0 || out.err) {
			print_diags(&diags, &shown);
			fprintf(stderr, "csl-format: formatting failed\n");
			status = 1;
			goto done;
		}
	}
	print_diags(&diags, &shown);
	fwrite(out.buf, 1, out.len, stdout);
done:
	cvbib_buf_release(&out);
	cvbib_style_free(st);
	cvbib_biblio_free(b);
	cvbib_diags_release(&diags);
	return status;
}
