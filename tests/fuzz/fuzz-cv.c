/*
 * fuzz-cv.c - the CV layer: a --highlight name (first line), a --groups spec
 * (second line) and CSL-JSON items (the rest), through every formatted
 * output with grouping, count-down prefixed numbers and duplicates merged,
 * and through the biblatex set-up.  Every href in the HTML is checked as a
 * browser reads it: no control character, and no scheme but http, https and
 * mailto (issue 20 finding 16: " java\tscript:" passed the filter).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	char *s = malloc((size_t)(e - *p) + 1);

	if (s != NULL) {
		memcpy(s, *p, (size_t)(e - *p));
		s[e - *p] = '\0';
	}
	*p = nl ? nl + 1 : end;
	return s;
}

/* Abort on an href a browser would run, or one holding a control character. */
static void
check_hrefs(const char *s, size_t n)
{
	const char *p = s, *e = s + n;

	while ((p = memmem(p, (size_t)(e - p), "href=\"", 6)) != NULL) {
		const char *q = p + 6, *end = memchr(q, '"', (size_t)(e - q));
		char scheme[16];
		size_t k = 0;

		if (end == NULL)
			abort();
		for (; q < end; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				abort();
		q = p + 6;
		if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) {
			while (q < end && k + 1 < sizeof(scheme) && (((*q | 0x20) >= 'a' &&
			    (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9') || *q == '+' ||
			    *q == '-' || *q == '.'))
				scheme[k++] = (char)(*q++ | 0x20);
			scheme[k] = '\0';
			/* "data:," is the standalone page's own empty icon */
			if (q < end && *q == ':' && strcmp(scheme, "http") != 0 &&
			    !(strcmp(scheme, "data") == 0 && end - q == 2 && q[1] == ',') &&
			    strcmp(scheme, "https") != 0 && strcmp(scheme, "mailto") != 0)
				abort();
		}
		p = end;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cvbib_format fmts[] = {
		CVBIB_FMT_TEXT, CVBIB_FMT_MARKDOWN, CVBIB_FMT_HTML, CVBIB_FMT_LATEX,
	};
	static const char *const groupby[] = { "type", "year", "keyword", "none" };
	const char *p = (const char *)data, *end = p + size;
	char *hl = line(&p, end), *groups = line(&p, end);
	const char *hls[2] = { hl, NULL };
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_options o;
	size_t i;

	if (b == NULL || hl == NULL || groups == NULL)
		goto out;
	cvbib_options_init(&o);
	o.highlight = *hl ? hls : NULL;
	o.groups = *groups ? groups : NULL;
	o.countdown = 1;
	o.group_prefix = size & 1;
	o.standalone = 1;
	cvbib_read(b, p, (size_t)(end - p), "fuzz.json", CVBIB_FMT_CSLJSON, &o, &d);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct cvbib_buf out = CVBIB_BUF_INIT;

		o.group_by = groupby[(size + i) % 4];
		o.latex_list = i == 3 ? "thebibliography" : NULL;
		cvbib_write(b, fmts[i], &o, &out, &d);
		if (fmts[i] == CVBIB_FMT_HTML)
			check_hrefs(out.buf, out.len);
		cvbib_buf_release(&out);
	}
	{
		struct cvbib_buf out = CVBIB_BUF_INIT;

		o.latex_preamble = 1;
		cvbib_write(b, CVBIB_FMT_LATEX, &o, &out, &d);
		cvbib_buf_release(&out);
	}
out:
	free(hl);
	free(groups);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
	return 0;
}
