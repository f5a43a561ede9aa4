/*
 * utf8.c - UTF-8 decoding and validation.  No allocation.
 */
#include <string.h>
#include "cvb_int.h"

int
cvb_utf8_decode_slow(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	int len, i;

	if (n == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xE0) == 0xC0) {
		c = u[0] & 0x1F;
		len = 2;
	} else if ((u[0] & 0xF0) == 0xE0) {
		c = u[0] & 0x0F;
		len = 3;
	} else if ((u[0] & 0xF8) == 0xF0) {
		c = u[0] & 0x07;
		len = 4;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if ((size_t)len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
	    (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return len;
}

bool
cvb_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		int k;

		if ((unsigned char)s[i] < 0x80) {
			uint64_t w;

			/* ASCII eight bytes at a time */
			while (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0))
				i += 8;
			while (i < n && (unsigned char)s[i] < 0x80)
				i++;
			continue;
		}
		k = cvb_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			return false;
		i += (size_t)k;
	}
	return true;
}

size_t
cvb_utf8_prefix(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n <= max)
		return n;
	n = max;
	/* back off the continuation bytes of a character cut at max */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}
