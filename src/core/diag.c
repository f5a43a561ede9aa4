/*
 * diag.c - diagnostics: the catalogue (diag.in) and the caller-owned list.
 *
 * The library reports every problem it finds by appending a struct cvbib_diag
 * to a struct cvbib_diags the caller owns (git's "strbuf *err", kept as
 * structured data).  The list owns the file names and messages it holds.
 * Nothing here prints.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "cvb_int.h"

static const struct {
	const char	*id;
	enum cvbib_level level;
	const char	*text;
} catalogue[] = {
#define DIAG(id, level, text) { #id, level, text },
#include "diag.in"
#undef DIAG
};

static const char *const level_names[CVBIB_LEVEL__COUNT] = {
	"note", "warning", "error", "unsupported", "network error",
	"usage error", "system error",
};

enum cvbib_level
cvb_diag_level(enum cvb_dcode c)
{
	return catalogue[c].level;
}

const char *
cvb_diag_text(enum cvb_dcode c)
{
	return catalogue[c].text;
}

const char *
cvb_diag_id(enum cvb_dcode c)
{
	return catalogue[c].id;
}

const char *
cvbib_level_name(enum cvbib_level l)
{
	return (unsigned)l < CVBIB_LEVEL__COUNT ? level_names[l] : "?";
}

void
cvb_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "cvbib: BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

void
cvb_vdiag(struct cvbib_diags *d, enum cvb_dcode code, const char *file,
    unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct cvb_buf msg = CVB_BUF_INIT;
	struct cvbib_diag *e;
	const char *text = catalogue[code].text;
	enum cvbib_level level = catalogue[code].level;

	if (d == NULL || level < d->minlevel)
		return;
	if (d->n == d->alloc) {
		size_t na = d->alloc ? d->alloc * 2 : 16;
		struct cvbib_diag *v = realloc(d->v, na * sizeof(*v));

		if (v == NULL)
			goto fail;
		d->v = v;
		d->alloc = na;
	}
	cvb_buf_adds(&msg, text);
	if (fmt != NULL && *fmt != '\0') {
		if (msg.len > 0)
			cvb_buf_addch(&msg, ' ');
		cvb_buf_vaddf(&msg, fmt, ap);
	} else if (msg.len > 0 && msg.buf[msg.len - 1] == ':') {
		cvb_buf_setlen(&msg, msg.len - 1);
	}
	if (msg.err)
		goto fail;
	e = &d->v[d->n];
	memset(e, 0, sizeof(*e));
	e->code = (int)code;
	e->level = level;
	e->file = file ? strdup(file) : NULL;
	e->line = line;
	e->column = col;
	e->message = cvbib_buf_detach(&msg, NULL);
	d->n++;
	if (level > d->worst)
		d->worst = level;
	if (level >= CVBIB_ERROR)
		d->nerrors++;
	return;
fail:
	cvbib_buf_release(&msg);
	if (CVBIB_SYSERR > d->worst)
		d->worst = CVBIB_SYSERR;
	d->nerrors++;
}

void
cvb_diag(struct cvbib_diags *d, enum cvb_dcode code, const char *file,
    unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cvb_vdiag(d, code, file, line, col, fmt, ap);
	va_end(ap);
}

void
cvbib_diags_release(struct cvbib_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free((char *)d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->alloc = 0;
	d->worst = CVBIB_NOTE;
	d->nerrors = 0;
}

char *
cvbib_diag_format(const struct cvbib_diag *e)
{
	struct cvb_buf b = CVB_BUF_INIT;

	cvb_buf_adds(&b, "cvbib: ");
	if (e->file != NULL) {
		cvb_buf_adds(&b, e->file);
		if (e->line > 0) {
			cvb_buf_addf(&b, ":%u", e->line);
			if (e->column > 0)
				cvb_buf_addf(&b, ":%u", e->column);
		}
		cvb_buf_adds(&b, ": ");
	}
	cvb_buf_addf(&b, "%s: %s", cvbib_level_name(e->level), e->message);
	if (b.err) {
		cvbib_buf_release(&b);
		return NULL;
	}
	return cvbib_buf_detach(&b, NULL);
}

const char *
cvbib_strerror(int code)
{
	if (code < 0)
		code = -code;
	switch (code) {
	case CVBIB_OK:		return "success";
	case CVBIB_ENOMEM:	return "out of memory";
	case CVBIB_EINPUT:	return "the input could not be read";
	case CVBIB_EUSAGE:	return "bad arguments";
	case CVBIB_EIO:		return "input/output error";
	case CVBIB_ENET:	return "network failure";
	case CVBIB_EUNSUPP:	return "not supported";
	case CVBIB_ESTYLE:	return "the style could not be loaded";
	}
	return "unknown error";
}
