/*
 * t-jsonfast.c - the short cut past jansson's lexer (json_fast.c) against
 * jansson itself.
 *
 * Whatever cvb_json_fast_object() accepts, json_loadb() must parse to the
 * same tree (compared as jansson dumps it, key order included) and end at
 * the same byte.  Checked on hand-made objects with what JSON makes hard
 * (escapes, surrogate pairs, repeated keys, numbers at their limits), on
 * every object start in the JSON files of the tests and the recorded
 * Crossref responses, and on thousands of mutations of them.  Texts it must
 * leave to jansson (errors, reals, \u0000, text that is not UTF-8) are
 * checked to be left.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"
#include "check.h"

static size_t naccepted;

static char *
dump(json_t *v)
{
	return json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_COMPACT);
}

/* 1 when the short cut took s[0..len), 0 when it left it; checked either way. */
static int
same(const char *s, size_t len, const char *what)
{
	size_t used = 0;
	json_t *f = cvb_json_fast_object(s, len, &used), *j;
	json_error_t err;
	char *df, *dj;
	int ok;

	if (f == NULL)
		return 0;
	naccepted++;
	j = json_loadb(s, len, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
	if (j == NULL) {
		CHECK(0, "%s: taken by the short cut, but jansson says: %s", what, err.text);
		json_decref(f);
		return 1;
	}
	df = dump(f);
	dj = dump(j);
	ok = df != NULL && dj != NULL && strcmp(df, dj) == 0 && json_equal(f, j) &&
	    (size_t)err.position == used;
	CHECK(ok, "%s: short cut %s (%zu bytes), jansson %s (%d bytes)", what,
	    df ? df : "?", used, dj ? dj : "?", err.position);
	free(df);
	free(dj);
	json_decref(f);
	json_decref(j);
	return 1;
}

static void
take(const char *s, const char *want)
{
	CHECK(same(s, strlen(s), s) == 1, "%s: left to jansson", s);
	if (want != NULL) {
		size_t used;
		json_t *f = cvb_json_fast_object(s, strlen(s), &used);
		char *d = f ? dump(f) : NULL;

		CHECK_STR(d, want);
		free(d);
		json_decref(f);
	}
}

static void
leave(const char *s, size_t len)
{
	size_t used;
	json_t *f = cvb_json_fast_object(s, len, &used);

	CHECK(f == NULL, "%.*s: taken, should be left to jansson", (int)len, s);
	json_decref(f);
}
#define LEAVE(lit) leave(lit, sizeof(lit) - 1)

/* {"a":{"a":...1...}} with the given number of objects */
static void
nest(char *buf, int levels)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < levels; i++)
		strcat(buf, "{\"a\":");
	strcat(buf, "1");
	for (i = 0; i < levels; i++)
		strcat(buf, "}");
}

/* Every '{' of the file tried, and mutations of the objects taken. */
static unsigned long rng = 12345;
static unsigned
rnd(void)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33);
}

static void
file_objects(const char *path, size_t *nfiles, size_t maxmut)
{
	size_t len, i, nmut = 0;
	char *s = NULL, *m;
	static const char bytes[] = "{}[]\",:\\u0123456789eE.-+ tfn\x01\x80\xc3\xa9\xed\xff";

	if (cvb_read_all(path, &s, &len, NULL) != 0)
		return;
	(*nfiles)++;
	m = malloc(len + 1);
	for (i = 0; i < len; i++) {
		size_t used, k;
		json_t *f;

		if (s[i] != '{')
			continue;
		same(s + i, len - i, path);
		if (nmut >= maxmut || (f = cvb_json_fast_object(s + i, len - i, &used)) == NULL)
			continue;
		json_decref(f);
		/* mutations of this object: a byte changed, dropped or cut off */
		for (k = 0; k < 8 && m != NULL; k++, nmut++) {
			size_t at = i + rnd() % used, n = len - i;

			memcpy(m, s + i, n);
			switch (rnd() % 3) {
			case 0: m[at - i] = bytes[rnd() % (sizeof(bytes) - 1)]; break;
			case 1: memmove(m + (at - i), m + (at - i) + 1, n - (at - i) - 1); n--; break;
			default: n = at - i; break;
			}
			same(m, n, "mutation");
		}
	}
	free(m);
	free(s);
}

static void
files(const char *pattern, size_t *nfiles, size_t maxmut)
{
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++)
		file_objects(g.gl_pathv[i], nfiles, maxmut);
	globfree(&g);
}

int
main(void)
{
	size_t nfiles = 0, n0;
	char deep[200];

	take("{}", "{}");
	take("{ \"a\" : 1 , \"b\":[ ] ,\"c\":{ } }", "{\"a\":1,\"b\":[],\"c\":{}}");
	take("{\"a\":\"x\\\"y\\\\\\/\\b\\f\\n\\r\\tz\"}", NULL);
	take("{\"a\":\"\\u00e9\\u20AC\\ud83d\\ude00\\u0041\"}", "{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "A\"}");
	take("{\"\\u00e9t\xc3\xa9\":\"\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80\"}", NULL);
	take("{\"a\":[1,-2,0,-0,true,false,null,{},[],\"\"]}", "{\"a\":[1,-2,0,0,true,false,null,{},[],\"\"]}");
	take("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}");
	take("{\"a\":999999999999999999,\"b\":-999999999999999999}", NULL);
	take("{\"a\":1}, {\"b\":2}]", "{\"a\":1}");
	take("{\"a\":1}\n", NULL);
	take("{\"\":\"\\u007f\x7f\"}", NULL);
	/* keys with escapes longer than the key buffer are left; shorter taken */
	take("{\"\\n23456789012345678901234567890\":{\"\\tb\":\"\\rc\"}}", NULL);
	nest(deep, 31);
	take(deep, NULL);
	nest(deep, 33);
	leave(deep, strlen(deep));	/* deeper than the short cut goes */
	CHECK(same(deep, strlen(deep), "deep") == 0, "33 levels");

	/* issue 20: 19 digits were read into an int64_t before the length check */
	take("{\"a\":999999999999999999}", "{\"a\":999999999999999999}");
	LEAVE("{\"a\":9999999999999999999}");
	LEAVE("{\"a\":-9999999999999999999}");
	LEAVE("{\"a\":1000000000000000000}");
	LEAVE("[1]");
	LEAVE(" {}");
	LEAVE("");
	LEAVE("{");
	LEAVE("{\"a\":1");
	LEAVE("{\"a\":1,}");
	LEAVE("{\"a\" 1}");
	LEAVE("{'a':1}");
	LEAVE("{a:1}");
	LEAVE("{\"a\":1.5}");
	LEAVE("{\"a\":1e5}");
	LEAVE("{\"a\":1E5}");
	LEAVE("{\"a\":01}");
	LEAVE("{\"a\":-}");
	LEAVE("{\"a\":+1}");
	LEAVE("{\"a\":1234567890123456789}");
	LEAVE("{\"a\":tru}");
	LEAVE("{\"a\":truex}");
	LEAVE("{\"a\":nul}");
	LEAVE("{\"a\":falsey}");
	LEAVE("{\"a\":\"\\u0000\"}");
	LEAVE("{\"a\":\"\\ud800\"}");
	LEAVE("{\"a\":\"\\ud800\\u0041\"}");
	LEAVE("{\"a\":\"\\udc00\"}");
	LEAVE("{\"a\":\"\\u12\"}");
	LEAVE("{\"a\":\"\\x41\"}");
	LEAVE("{\"a\":\"x\x01\"}");
	LEAVE("{\"a\":\"x\ty\"}");
	LEAVE("{\"a\":\"\xff\"}");
	LEAVE("{\"a\":\"\xc0\x80\"}");		/* overlong */
	LEAVE("{\"a\":\"\xe0\x80\xaf\"}");	/* overlong */
	LEAVE("{\"a\":\"\xed\xa0\x80\"}");	/* a surrogate in UTF-8 */
	LEAVE("{\"a\":\"\xf4\x90\x80\x80\"}");	/* past U+10FFFF */
	LEAVE("{\"a\":\"\xc3\"}");		/* cut short */
	LEAVE("{\"a\":\"x\0\"}");
	LEAVE("{\"a\":1 2}");
	LEAVE("{\"a\":[1 2]}");
	LEAVE("{\"a\":[1,]}");

	files("tests/data/*.json", &nfiles, 4000);
	files("tests/cases/*/*.json", &nfiles, 4000);
	files("tests/fuzz/corpus/fuzz-csljson/*", &nfiles, 4000);
	files("tests/fuzz/corpus/fuzz-crossref/*", &nfiles, 4000);
	n0 = nfiles;
	files("../shared/crossref-fixtures/*.json", &nfiles, 400);
	CHECK(n0 >= 10, "only %zu test files read", n0);
	CHECK(naccepted > 10000, "the short cut took only %zu objects", naccepted);
	printf("# %zu files, %zu objects taken by the short cut\n", nfiles, naccepted);
	return check_report();
}
