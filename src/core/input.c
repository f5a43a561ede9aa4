/*
 * input.c - what every input goes through before its reader (cvbib_read()):
 * binary files refused by their signature, empty inputs reported the same
 * way in every format, and text CVs that are not UTF-8 decoded (a charset
 * an HTML page declares, else Windows-1252, the superset of Latin-1 that
 * "Latin-1" files almost always are), so that no reader copies bytes that
 * are not UTF-8 into the output; UTF-8 with a few stray bytes keeps its
 * UTF-8 and only those bytes are read as Latin-1.  The BibTeX reader decodes
 * its own input (--encoding).
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

/* Signatures of binary files people hand to cvbib by mistake. */
static const struct {
	const char	*magic;
	size_t		 len;
	const char	*what;
} magics[] = {
	{ "\x89PNG\r\n\x1a\n", 8, "a PNG image" },
	{ "\xff\xd8\xff", 3, "a JPEG image" },
	{ "GIF87a", 6, "a GIF image" },
	{ "GIF89a", 6, "a GIF image" },
	{ "PK\x03\x04", 4, "a ZIP archive (a .docx, .odt or .xlsx file is one)" },
	{ "\x1f\x8b", 2, "a gzip-compressed file" },
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an old Microsoft Office file (.doc, .xls)" },
	{ "\x7f" "ELF", 4, "a program (ELF)" },
	{ "SQLite format 3", 16, "an SQLite database" },
	{ "{\\rtf", 5, "an RTF document (save it as plain text)" },
	{ "BZh", 3, "a bzip2-compressed file" },
	{ "\xfd" "7zXZ", 5, "an xz-compressed file" },
	{ "RIFF", 4, "a RIFF media file" },
	{ "II*\0", 4, "a TIFF image" },
	{ "MM\0*", 4, "a TIFF image" },
};

bool
cvb_input_is_pdf(const char *data, size_t len)
{
	return len >= 5 && memcmp(data, "%PDF-", 5) == 0;
}

const char *
cvb_input_binary_kind(const char *data, size_t len)
{
	size_t i, n, ctl;

	for (i = 0; i < CVB_ARRAY_SIZE(magics); i++)
		if (len >= magics[i].len && memcmp(data, magics[i].magic, magics[i].len) == 0)
			return magics[i].what;
	if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE))
		return "UTF-16 text (save it as UTF-8)";
	if (len >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))
		return "UTF-16 text (save it as UTF-8)";
	/* a PDF is read as a CV (its text, through poppler) */
	if (cvb_input_is_pdf(data, len))
		return NULL;
	/* text has few control bytes: a stray NUL is a damaged text file (the
	 * readers report it), one in twenty a binary file; the start decides */
	n = len < 8192 ? len : 8192;
	for (i = 0, ctl = 0; i < n; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
		    c != 0x1b)
			ctl++;
	}
	if (ctl > 0 && ctl * 20 >= n)
		return "a binary file";
	return NULL;
}

bool
cvb_input_is_empty(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' && data[i] != '\r' &&
		    data[i] != '\f' && data[i] != '\v')
			return false;
	return true;
}

static bool
isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The charset an HTML page declares (<meta charset=...> or content="...;
 * charset=..."), into buf; false when none. */
static bool
html_charset(const char *data, size_t len, char *buf, size_t bufsz)
{
	size_t n = len < 4096 ? len : 4096, i, k;

	for (i = 0; i + 8 < n; i++) {
		if (strncasecmp(data + i, "charset=", 8) != 0)
			continue;
		i += 8;
		if (i < n && (data[i] == '"' || data[i] == '\''))
			i++;
		for (k = 0; i + k < n && k + 1 < bufsz &&
		    (isalnum_ascii(data[i + k]) || data[i + k] == '-' || data[i + k] == '_'); k++)
			buf[k] = data[i + k];
		buf[k] = '\0';
		return k > 0;
	}
	return false;
}

/*
 * s (n bytes in the encoding enc, an iconv name) in UTF-8: malloc'd, with its
 * length in *outlen.  Bytes that are not enc are U+FFFD when lenient (how
 * many in *nbad), or make it fail.  NULL when enc is unknown, on bytes not
 * enc unless lenient, and when out of memory.
 */
char *
cvb_iconv_utf8(const char *s, size_t n, const char *enc, bool lenient, size_t *outlen, size_t *nbad)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	size_t cap = n * 4 + 16, left = cap - 1, inleft = n;
	char *out, *op, *ip = (char *)s;

	*nbad = 0;
	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap);
	if (out == NULL) {
		iconv_close(cd);
		return NULL;
	}
	op = out;
	while (inleft > 0) {
		if (iconv(cd, &ip, &inleft, &op, &left) == (size_t)-1) {
			if (lenient && (errno == EILSEQ || errno == EINVAL) && left >= 3) {
				memcpy(op, "\xef\xbf\xbd", 3);
				op += 3;
				left -= 3;
				ip++;
				inleft--;
				(*nbad)++;
				continue;
			}
			if (!lenient) {
				iconv_close(cd);
				free(out);
				return NULL;
			}
			break;
		}
	}
	iconv_close(cd);
	*op = '\0';
	*outlen = (size_t)(op - out);
	return out;
}

/*
 * Input that is UTF-8 but for a few bytes (a Latin-1 name pasted into a UTF-8
 * file): at least four valid multi-byte sequences per invalid byte.  Returns
 * the UTF-8 with each invalid byte read as Latin-1 (malloc'd; *nlatin: how
 * many), or NULL when the input is not such (or on no memory: then the
 * caller's detection runs as before).
 */
char *
cvb_input_mixed_utf8(const char *s, size_t n, size_t *outlen, size_t *nlatin)
{
	struct cvb_buf o = CVB_BUF_INIT;
	size_t k, good = 0, bad = 0;

	for (k = 0; k < n; ) {
		uint32_t cp;
		int l = cvb_utf8_decode(s + k, n - k, &cp);

		if (l == 1 && (unsigned char)s[k] >= 0x80)
			bad++;
		else if (l > 1)
			good++;
		k += (size_t)l;
	}
	if (bad == 0 || good < 4 * bad)
		return NULL;
	for (k = 0; k < n; ) {
		uint32_t cp;
		int l = cvb_utf8_decode(s + k, n - k, &cp);

		if (l == 1 && (unsigned char)s[k] >= 0x80)
			cvb_buf_addcp(&o, (unsigned char)s[k]);
		else
			cvb_buf_add(&o, s + k, (size_t)l);
		k += (size_t)l;
	}
	*nlatin = bad;
	return cvbib_buf_detach(&o, outlen);
}

int
cvb_input_decode(const char *file, const char *data, size_t len, char **out,
    size_t *outlen, struct cvbib_diags *d)
{
	char cs[40];
	const char *encs[3];
	size_t i, n = 0, nlatin = 0;

	*out = NULL;
	if (cvb_utf8_valid(data, len))
		return 0;
	if ((*out = cvb_input_mixed_utf8(data, len, outlen, &nlatin)) != NULL) {
		/* UTF-8 with a few stray bytes: only those are read as Latin-1,
		 * as in BibTeX input (issue 20) */
		size_t k = 0;
		unsigned line = 0, col = 0;
		struct cvb_srcmap map;

		while (k < len) {	/* where the first one is */
			uint32_t cp;
			int l = cvb_utf8_decode(data + k, len - k, &cp);

			if (l == 1 && (unsigned char)data[k] >= 0x80)
				break;
			k += (size_t)l;
		}
		if (cvb_srcmap_init(&map, data, len) == 0) {
			cvb_srcmap_pos(&map, k, &line, &col);
			cvb_srcmap_release(&map);
		}
		cvb_diag(d, CVB_D_INPUT_MIXED, file, line, col, "%zu byte%s", nlatin,
		    nlatin == 1 ? "" : "s, the first here");
		return 1;
	}
	if (html_charset(data, len, cs, sizeof(cs)) && strcasecmp(cs, "utf-8") != 0 &&
	    strcasecmp(cs, "utf8") != 0)
		encs[n++] = cs;
	encs[n++] = "WINDOWS-1252";
	encs[n++] = "ISO-8859-1";
	for (i = 0; i < n; i++) {
		size_t nbad;

		*out = cvb_iconv_utf8(data, len, encs[i], false, outlen, &nbad);
		if (*out != NULL) {
			cvb_diag(d, CVB_D_INPUT_ENCODING, file, 0, 0, "%s",
			    encs[i] == cs ? cs : i + 1 < n ? "Windows-1252 (Latin-1)" : "Latin-1");
			return 1;
		}
	}
	return errno == ENOMEM ? -CVBIB_ENOMEM : 0;
}
