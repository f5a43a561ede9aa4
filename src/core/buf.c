/*
 * buf.c - the growable string of libcvbib (struct cvbib_buf).
 *
 * Invariants: buf is never NULL and always NUL-terminated.  An empty buffer
 * points at a shared static byte (cvbib_buf_slopbuf) so that initialisation
 * allocates nothing.  Appends return void; failure (ENOMEM, or growth past max
 * when max is set) is recorded in err and later appends are ignored.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "cvb_int.h"

char cvbib_buf_slopbuf[1];

void
cvb_buf_grow(struct cvb_buf *b, size_t extra)
{
	size_t want, nalloc;
	char *p;

	if (b->err)
		return;
	if (extra > SIZE_MAX - b->len - 1) {
		b->err = CVBIB_ENOMEM;
		cvb_nomem();
		return;
	}
	want = b->len + extra + 1;
	if (b->max != 0 && want > b->max + 1) {
		b->err = CVBIB_ENOMEM;
		return;
	}
	if (want <= b->alloc)
		return;
	nalloc = b->alloc < 64 ? 64 : b->alloc;
	while (nalloc < want)
		nalloc = nalloc > SIZE_MAX / 2 ? want : nalloc * 2;
	p = realloc(b->alloc ? b->buf : NULL, nalloc);
	if (p == NULL) {
		b->err = CVBIB_ENOMEM;
		cvb_nomem();
		return;
	}
	if (b->alloc == 0)
		p[0] = '\0';
	b->buf = p;
	b->alloc = nalloc;
}

void
cvb_buf_add_slow(struct cvb_buf *b, const void *data, size_t n)
{
	if (n == 0)
		return;
	cvb_buf_grow(b, n);
	if (b->err)
		return;
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
cvb_buf_adds(struct cvb_buf *b, const char *s)
{
	cvb_buf_add(b, s, strlen(s));
}

void
cvb_buf_vaddf(struct cvb_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->err = CVBIB_EINPUT;
		return;
	}
	cvb_buf_grow(b, (size_t)n);
	if (b->err)
		return;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
cvb_buf_addf(struct cvb_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cvb_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
cvb_buf_addcp(struct cvb_buf *b, uint32_t cp)
{
	char s[4];

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		cvb_buf_addch(b, (int)cp);
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		cvb_buf_add(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		cvb_buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		cvb_buf_add(b, s, 4);
	}
}

void
cvb_buf_reset(struct cvb_buf *b)
{
	cvb_buf_setlen(b, 0);
}

void
cvb_buf_setlen(struct cvb_buf *b, size_t len)
{
	if (b->alloc == 0 || len > b->len)
		return;
	b->len = len;
	b->buf[len] = '\0';
}

void
cvbib_buf_release(struct cvb_buf *b)
{
	if (b->alloc)
		free(b->buf);
	b->buf = cvbib_buf_slopbuf;
	b->len = b->alloc = 0;
	b->err = 0;
}

char *
cvbib_buf_detach(struct cvb_buf *b, size_t *lenp)
{
	char *s;

	if (b->alloc == 0) {
		if ((s = calloc(1, 1)) == NULL)
			cvb_nomem();
	} else
		s = b->buf;
	if (lenp)
		*lenp = b->len;
	b->buf = cvbib_buf_slopbuf;
	b->len = b->alloc = 0;
	return s;
}
