/* t-cslperf.c - unit tests of the CSL engine's speed paths: they must give
 * exactly what the plain paths give.  Collation keys (csl_ckey_*) sort as
 * csl_strcoll() does, on every pair of a set of tricky strings. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "csl/csl.h"

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

int
main(void)
{
	static const char *const v[] = {
		"", ".", "...", "a", "A", "b", "B", "ab", "aB", "Ab", "AB", "a b", "a-b", "a,b",
		"ab.", "a.b", "\xc3\xa9", "e", "E", "\xc3\x89", "\xc3\xa9t\xc3\xa9", "ete", "Ete",
		"\xe2\x80\x99t Hooft", "t Hooft", "'t Hooft", "\"Quoted\" title", "Quoted title",
		"[Bracketed]", "Bracketed", "<i>Italic</i> title", "Italic title", "<b>x</b>", "x",
		"<span class=\"nocase\">iPod</span>", "iPod", "IPod", "\xc5\x81\xc3\xb3" "d\xc5\xba", "Lodz",
		"\xc3\x9f", "ss", "\xce\xb1\xce\xb2", "\xce\x91\xce\x92", "\xe4\xb8\xad\xe6\x96\x87",
		"\xf0\x9f\x98\x80", "\xff\xfe bad", "\xc3", "a\xe2\x80\x93" "b", "a\xe2\x80\x94" "b",
		"000000002019", "000000002019a", "12015080100000000", "02015080100000000",
		"Smith, John", "Smith, J.", "Smith John", "smith, john", "Smith,John", "Smith, John.",
		"O'Brien", "OBrien", "O\xe2\x80\x99" "Brien", "van der Berg", "Van Der Berg", "Berg",
		"\x01", "a\x01", "(a)", "a)", "?", "!a", "a!",
	};
	size_t n = sizeof(v) / sizeof(v[0]), i, j;
	struct csl_ckey *k[sizeof(v) / sizeof(v[0])];

	for (i = 0; i < n; i++) {
		k[i] = csl_ckey_new(v[i]);
		CHECK(k[i] != NULL, "key of \"%s\"", v[i]);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			CHECK(sign(csl_ckey_cmp(k[i], k[j])) == sign(csl_strcoll(v[i], v[j])),
			    "\"%s\" vs \"%s\": key %d, strcoll %d", v[i], v[j],
			    csl_ckey_cmp(k[i], k[j]), csl_strcoll(v[i], v[j]));
	CHECK(csl_ckey_new(NULL) == NULL, "no key of NULL");
	for (i = 0; i < n; i++) free(k[i]);
	return check_report();
}
