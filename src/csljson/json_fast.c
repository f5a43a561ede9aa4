/*
 * json_fast.c - a short cut past jansson's lexer for one JSON object.
 *
 * jansson's lexer takes the text one character at a time through a callback
 * and copies each into a growing buffer: about 86 MB/s even with the cheap
 * allocator read_csljson.c gives it, which is half of the time cvbib takes
 * to format a bibliography of 5,000 CSL-JSON items (README, "Building").
 * This scans one object the way jansson's parser does and builds the tree
 * with jansson's own constructors (json_object, json_stringn_nocheck,
 * json_object_setn_new_nocheck, ...), so the tree is jansson's and is used
 * as any other.  It takes only text it is sure of: strict UTF-8, the JSON
 * escapes, integers of at most 18 digits, true/false/null, nesting at most
 * JF_MAXDEPTH deep.  On anything else (a fraction or exponent, \u0000, a
 * control character, a syntax error, ...) it gives up and returns NULL, and
 * the caller hands the same text to jansson, which also reports the errors.
 * tests/unit/t-jsonfast.c and tests/fuzz/fuzz-jsonfast.c check that what
 * it accepts, jansson parses to the same tree and ends at the same byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

#define JF_MAXDEPTH	32
#define JF_BYTES(b)	((uint64_t)0x0101010101010101ULL * (uint8_t)(b))

struct jf {
	const char	*end;
	struct cvb_buf	 tmp;	/* a string with escapes, decoded */
};

static bool
jf_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static const char *
jf_skip(const char *p, const char *e)
{
	while (p < e && jf_ws(*p))
		p++;
	return p;
}

/* The length of the UTF-8 sequence at p (p[0] >= 0x80), 0 if it is not
 * one: cvb_utf8_decode() takes a bad byte alone, as U+FFFD. */
static size_t
jf_utf8(const char *p, const char *e)
{
	uint32_t cp;
	int k = cvb_utf8_decode(p, (size_t)(e - p), &cp);

	return k > 1 ? (size_t)k : 0;
}

static int
jf_hex4(const char *p, const char *e)
{
	int v = 0, i;

	if (e - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9') v |= c - '0';
		else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
		else return -1;
	}
	return v;
}

/*
 * The string whose opening quote is at p[-1]: its text in *out (in the
 * input when it has no escapes, else in j->tmp) and *outn.  Returns the
 * byte after the closing quote, NULL to give up.
 */
static const char *
jf_string(struct jf *j, const char *p, const char **out, size_t *outn)
{
	const char *start = p, *e = j->end;
	size_t n;

	while (p < e) {
		unsigned char c;

		/* eight bytes at a time up to the first that is a quote, a
		 * backslash, a control character or part of a UTF-8 sequence
		 * (the lowest flagged byte is exact: borrows only carry up) */
		while (e - p >= 8) {
			uint64_t v, q, bs, m;

			memcpy(&v, p, 8);
			q = v ^ JF_BYTES('"');
			bs = v ^ JF_BYTES('\\');
			m = (v | ((v - JF_BYTES(0x20)) & ~v) | ((q - JF_BYTES(1)) & ~q) |
			    ((bs - JF_BYTES(1)) & ~bs)) & JF_BYTES(0x80);
			if (m != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				p += __builtin_ctzll(m) >> 3;
#endif
				break;
			}
			p += 8;
		}
		if (p == e)
			break;
		c = (unsigned char)*p;

		if (c == '"') {
			*out = start;
			*outn = (size_t)(p - start);
			return p + 1;
		}
		if (c == '\\' || c < 0x20)
			break;
		if (c < 0x80)
			p++;
		else if ((n = jf_utf8(p, e)) != 0)
			p += n;
		else
			return NULL;
	}
	if (p == e || (unsigned char)*p < 0x20)
		return NULL;
	cvb_buf_reset(&j->tmp);
	cvb_buf_add(&j->tmp, start, (size_t)(p - start));
	while (p < e && !j->tmp.err) {
		unsigned char c = (unsigned char)*p;
		long u;

		if (c == '"') {
			*out = j->tmp.buf;
			*outn = j->tmp.len;
			return p + 1;
		}
		if (c < 0x20)
			return NULL;
		if (c >= 0x80) {
			if ((n = jf_utf8(p, e)) == 0)
				return NULL;
			cvb_buf_add(&j->tmp, p, n);
			p += n;
			continue;
		}
		if (c != '\\') {
			cvb_buf_addch(&j->tmp, c);
			p++;
			continue;
		}
		if (++p == e)
			return NULL;
		switch (*p) {
		case '"': case '\\': case '/': cvb_buf_addch(&j->tmp, *p); break;
		case 'b': cvb_buf_addch(&j->tmp, '\b'); break;
		case 'f': cvb_buf_addch(&j->tmp, '\f'); break;
		case 'n': cvb_buf_addch(&j->tmp, '\n'); break;
		case 'r': cvb_buf_addch(&j->tmp, '\r'); break;
		case 't': cvb_buf_addch(&j->tmp, '\t'); break;
		case 'u':
			if ((u = jf_hex4(p + 1, e)) <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
				return NULL;	/* \u0000, a lone low surrogate, not hex */
			p += 5;
			if (u >= 0xD800 && u <= 0xDBFF) {
				long lo;

				if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    (lo = jf_hex4(p + 2, e)) < 0xDC00 || lo > 0xDFFF)
					return NULL;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			cvb_buf_addcp(&j->tmp, (uint32_t)u);
			continue;
		default:
			return NULL;
		}
		p++;
	}
	return NULL;	/* the end, or out of memory */
}

/* A value must be followed by one of these (or the end of the text). */
static bool
jf_after(const char *p, const char *e)
{
	return p == e || jf_ws(*p) || *p == ',' || *p == ']' || *p == '}';
}

static json_t *jf_value(struct jf *, const char **, int);

/*
 * After a member of an object or array: 1 with *p at the next member after
 * a ',', 0 with *pp past the closer, -1 for anything else.
 */
static int
jf_next(const char **p, const char *e, char closer, const char **pp)
{
	const char *q = jf_skip(*p, e);

	if (q < e && *q == ',') {
		*p = jf_skip(q + 1, e);
		return 1;
	}
	if (q < e && *q == closer) {
		*pp = q + 1;
		return 0;
	}
	return -1;
}

/* The object ('{') or array ('[') at *pp; *pp is moved past it. */
static json_t *
jf_container(struct jf *j, const char **pp, int depth)
{
	const char *p = *pp + 1, *e = j->end;
	bool isobj = **pp == '{';
	char closer = isobj ? '}' : ']';
	json_t *c = isobj ? json_object() : json_array();
	int more;

	if (c == NULL)
		return NULL;
	p = jf_skip(p, e);
	if (p < e && *p == closer) {
		*pp = p + 1;
		return c;
	}
	do {
		const char *key = NULL;
		char kbuf[128];
		size_t klen = 0;
		json_t *v;

		if (isobj) {
			if (p == e || *p != '"' || (p = jf_string(j, p + 1, &key, &klen)) == NULL)
				break;
			if (key == j->tmp.buf) {	/* the value may need j->tmp */
				if (klen > sizeof(kbuf))
					break;
				memcpy(kbuf, key, klen);
				key = kbuf;
			}
			p = jf_skip(p, e);
			if (p == e || *p != ':')
				break;
			p = jf_skip(p + 1, e);
		}
		if ((v = jf_value(j, &p, depth)) == NULL)
			break;
		if ((isobj ? json_object_setn_new_nocheck(c, key, klen, v) :
		    json_array_append_new(c, v)) != 0)
			break;
		if ((more = jf_next(&p, e, closer, pp)) == 0)
			return c;
	} while (more > 0);
	json_decref(c);
	return NULL;
}

/* The value at *pp (no white space before it); *pp is moved past it. */
static json_t *
jf_value(struct jf *j, const char **pp, int depth)
{
	const char *p = *pp, *e = j->end, *s;
	size_t n;

	if (p == e)
		return NULL;
	switch (*p) {
	case '"':
		if ((p = jf_string(j, p + 1, &s, &n)) == NULL)
			return NULL;
		*pp = p;
		return json_stringn_nocheck(s, n);
	case '{':
	case '[':
		return depth < JF_MAXDEPTH ? jf_container(j, pp, depth + 1) : NULL;
	case 't':
		if (e - p < 4 || memcmp(p, "true", 4) != 0 || !jf_after(p + 4, e))
			return NULL;
		*pp = p + 4;
		return json_true();
	case 'f':
		if (e - p < 5 || memcmp(p, "false", 5) != 0 || !jf_after(p + 5, e))
			return NULL;
		*pp = p + 5;
		return json_false();
	case 'n':
		if (e - p < 4 || memcmp(p, "null", 4) != 0 || !jf_after(p + 4, e))
			return NULL;
		*pp = p + 4;
		return json_null();
	default: {
		bool neg = *p == '-';
		json_int_t x = 0;

		if (neg)
			p++;
		/* at most 18 digits are read (10^18 - 1 fits in int64_t; 19 nines
		 * overflowed: issue 20); no digits, a leading zero, a 19th digit, a
		 * fraction or an exponent: jansson's to read */
		for (s = p; p < e && *p >= '0' && *p <= '9' && p - s < 18; p++)
			x = x * 10 + (*p - '0');
		if (p == s || (*s == '0' && p - s > 1) || (p < e && *p >= '0' && *p <= '9') ||
		    !jf_after(p, e))
			return NULL;
		*pp = p;
		return json_integer(neg ? -x : x);
	}
	}
}

json_t *
cvb_json_fast_object(const char *s, size_t len, size_t *used)
{
	struct jf j = { s + len, CVB_BUF_INIT };
	const char *p = s;
	json_t *v = NULL;

	if (len > 0 && *s == '{')
		v = jf_container(&j, &p, 1);
	cvbib_buf_release(&j.tmp);
	if (v != NULL)
		*used = (size_t)(p - s);
	return v;
}
