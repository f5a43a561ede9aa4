/*
 * bibencoding.c - the BibTeX reader's input encodings: names, hints in the
 * first lines, detection, and UTF-8 with a few stray Latin-1 bytes (the
 * conversion itself is core's, cvb_iconv_utf8 in src/core/input.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bibread.h"

/* ------------------------------------------------------------ encodings */

const char *
cvb_brd_enc_canon(const char *e)
{
	static const struct { const char *alias, *iconv; } t[] = {
		{ "utf8", "UTF-8" }, { "utf-8", "UTF-8" },
		{ "latin1", "ISO-8859-1" }, { "latin-1", "ISO-8859-1" }, { "iso-8859-1", "ISO-8859-1" },
		{ "iso8859-1", "ISO-8859-1" }, { "l1", "ISO-8859-1" }, { "cp1252", "CP1252" },
		{ "windows-1252", "CP1252" },
		{ "latin9", "ISO-8859-15" }, { "latin-9", "ISO-8859-15" },
		{ "iso-8859-15", "ISO-8859-15" }, { "iso8859-15", "ISO-8859-15" }, { "l9", "ISO-8859-15" },
		{ "gbk", "GBK" }, { "gb2312", "GBK" }, { "cp936", "GBK" }, { "gb18030", "GB18030" },
	};
	size_t i;

	for (i = 0; i < CVB_ARRAY_SIZE(t); i++)
		if (strcasecmp(t[i].alias, e) == 0)
			return t[i].iconv;
	return NULL;
}

/* An encoding named in the first lines ("% Encoding: ...", "coding: ..."). */
const char *
cvb_brd_enc_hint(const char *s, size_t n)
{
	static const char *const keys[] = { "encoding:", "coding:", "encoding=", "charset=" };
	size_t lim = n < 2048 ? n : 2048, k;

	for (k = 0; k < CVB_ARRAY_SIZE(keys); k++) {
		size_t kl = strlen(keys[k]), i;

		for (i = 0; i + kl < lim; i++)
			if (strncasecmp(s + i, keys[k], kl) == 0) {
				char name[32];
				size_t j = i + kl, m = 0;
				const char *c;

				while (j < lim && s[j] == ' ')
					j++;
				while (j < lim && m + 1 < sizeof(name) &&
				    (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
					name[m++] = s[j++];
				name[m] = '\0';
				/* Emacs adds "-unix"/"-dos" */
				if (m > 5 && (strcmp(name + m - 5, "-unix") == 0))
					name[m - 5] = '\0';
				if (m > 4 && strcmp(name + m - 4, "-dos") == 0)
					name[m - 4] = '\0';
				if ((c = cvb_brd_enc_canon(name)) != NULL)
					return c;
			}
	}
	return NULL;
}

const char *
cvb_brd_enc_guess(const char *s, size_t n)
{
	size_t i, pairs = 0, hanzi = 0, bad = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			continue;
		if (c >= 0x81 && c <= 0xFE && i + 1 < n) {
			unsigned char t = (unsigned char)s[i + 1];

			if (t >= 0x40 && t <= 0xFE && t != 0x7F) {
				pairs++;
				if (c >= 0xB0 && c <= 0xF7 && t >= 0xA1)
					hanzi++;
				i++;
				continue;
			}
		}
		bad++;
	}
	if (bad == 0 && pairs > 0 && hanzi * 2 >= pairs)
		return "GBK";
	return "ISO-8859-1";
}

const char *
cvb_brd_enc_name(const char *iconv)
{
	return strcmp(iconv, "ISO-8859-1") == 0 ? "Latin-1" : strcmp(iconv, "ISO-8859-15") == 0
	    ? "Latin-9" : iconv;
}

