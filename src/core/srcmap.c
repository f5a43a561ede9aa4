/*
 * srcmap.c - byte offsets to line and column.
 *
 * Readers that see only byte offsets (or that want columns in characters
 * rather than bytes) build a map of line starts once per input.  Lines and
 * columns are 1-based; columns count UTF-8 code points, tabs count as one.
 */
#include <stdlib.h>
#include <string.h>
#include "cvb_int.h"

int
cvb_srcmap_init(struct cvb_srcmap *m, const char *data, size_t len)
{
	size_t n = 1, k = 0;
	const char *p, *e = len ? data + len : data;

	m->data = data;
	m->len = len;
	m->last_off = m->last_line = 0;
	m->last_col = 0;
	for (p = data; p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		n++;
	m->lines = malloc(n * sizeof(*m->lines));
	if (m->lines == NULL)
		return -CVBIB_ENOMEM;
	m->lines[k++] = 0;
	for (p = data; p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		m->lines[k++] = (size_t)(p - data) + 1;
	m->nlines = n;
	return 0;
}

void
cvb_srcmap_pos(const struct cvb_srcmap *cm, size_t off, unsigned *line, unsigned *col)
{
	/* the cache is not part of the map's value: queries stay logically const */
	struct cvb_srcmap *m = (struct cvb_srcmap *)cm;
	size_t lo = 0, hi = m->nlines, i, c = 1, from;

	if (off > m->len)
		off = m->len;
	if (m->last_col > 0 && off >= m->last_off &&
	    (m->last_line + 1 >= m->nlines || off < m->lines[m->last_line + 1])) {
		/* same line as the last query, further on */
		lo = m->last_line;
		c = m->last_col;
		from = m->last_off;
		goto count;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	from = m->lines[lo];
count:
	for (i = from; i < off; i++)
		if (((unsigned char)m->data[i] & 0xC0) != 0x80 && m->data[i] != '\r')
			c++;
	m->last_off = off;
	m->last_line = lo;
	m->last_col = (unsigned)c;
	*line = (unsigned)lo + 1;
	*col = (unsigned)c;
}

void
cvb_srcmap_release(struct cvb_srcmap *m)
{
	free(m->lines);
	m->lines = NULL;
	m->nlines = 0;
}
