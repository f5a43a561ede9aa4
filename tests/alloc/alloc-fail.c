/*
 * alloc-fail.c - the failing-allocation test (issue 20, finding 8; curl's
 * "-t" torture, jansson's test_chaos): for every reader and writer, over a
 * small input, the run is repeated with allocation k failing, for every k
 * from 1 to N (N: the allocations of the run that succeeds).  Each run must
 * end without a crash, without a leak, and with an error: the call returns
 * a negative code or reports a system error (out of memory), unless it got
 * around the failure and its result is the same as the run that succeeded.
 *
 * The hook is built into this program only; the library has none.  The
 * Makefile links it with -Wl,--wrap for malloc, calloc, realloc, strdup,
 * strndup and free (every call from libcvbib.a and from libyaml, which is
 * linked statically here for that), and regcomp and iconv_open (whose own
 * allocations fail the same way); jansson and libxml2 are given the hook
 * through their allocator settings (json_set_alloc_funcs, xmlMemSetup).
 * Allocations inside libc (fopen, getline, realpath, iconv) are not counted.
 *
 * A leak is an allocation made during the run and not freed once the result
 * is released: every pointer the hook hands out while armed is remembered
 * until freed.  Under the sanitizer build LeakSanitizer checks again at exit.
 *
 *   build/alloc-fail              every case; "N passed, N failed" at the end
 *   build/alloc-fail NAME [K]     one case (with K: only allocation K fails)
 *   ALLOC_STRIDE=S                fail every S-th allocation only (1..N step S)
 *   ALLOC_VERBOSE=1               what a failing run gave
 *   ALLOC_FORK=1                  each run in a child process: a crash is
 *                                 reported and the runs go on
 *   ALLOC_XML=1                   fail libxml2's allocations too (see below)
 */
#include <errno.h>
#include <execinfo.h>
#include <iconv.h>
#include <regex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <sqlite3.h>
#include "cvb_int.h"		/* the lookup cache: cvb_cache_*() */

/* ------------------------------------------------------------ the hook */

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	 __real_free(void *);
int	 __real_regcomp(regex_t *, const char *, int);
iconv_t	 __real_iconv_open(const char *, const char *);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	 __wrap_free(void *);
char	*__wrap_strdup(const char *);
char	*__wrap_strndup(const char *, size_t);
int	 __wrap_regcomp(regex_t *, const char *, int);
iconv_t	 __wrap_iconv_open(const char *, const char *);

static bool armed;		/* count (and fail) allocations */
static bool xml_call;		/* the allocation is libxml2's */
static bool xml_known_leak;	/* the failed one is where libxml2 leaks */
static long count;		/* allocations since armed */
static long fail_at;		/* the one to fail; 0: none */
static bool failed;		/* fail_at was reached */

/* Pointers handed out while armed and not freed yet: open addressing. */
static void **live;
static size_t live_size, live_n, live_used;	/* used: live + tombstones */
#define TOMB ((void *)1)

static size_t
ptr_hash(void *p)
{
	uintptr_t x = (uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

static void
live_add(void *p);

static void
live_clear(void)
{
	memset(live, 0, live_size * sizeof(*live));
	live_n = live_used = 0;
}

/* Free what is still live: blocks nobody holds any more (libxml2's own
 * leaks, which LeakSanitizer would report again at exit). */
static void
live_free(void)
{
	size_t i;

	for (i = 0; i < live_size; i++)
		if (live[i] != NULL && live[i] != TOMB)
			__real_free(live[i]);
}

static void
live_rehash(size_t size)
{
	void **old = live;
	size_t i, oldsize = live_size;

	live = __real_calloc(size, sizeof(*live));
	if (live == NULL) {
		fputs("alloc-fail: out of memory for the table of pointers\n", stderr);
		abort();
	}
	live_size = size;
	live_n = live_used = 0;
	for (i = 0; i < oldsize; i++)
		if (old[i] != NULL && old[i] != TOMB)
			live_add(old[i]);
	__real_free(old);
}

static void
live_add(void *p)
{
	size_t i;

	if ((live_used + 1) * 2 > live_size) {
		size_t size = 1024;	/* a power of two */

		while (size < live_n * 4)
			size *= 2;
		live_rehash(size);
	}
	for (i = ptr_hash(p) & (live_size - 1); live[i] != NULL && live[i] != TOMB;
	    i = (i + 1) & (live_size - 1))
		;
	if (live[i] == NULL)
		live_used++;
	live[i] = p;
	live_n++;
}

static void
live_del(void *p)
{
	size_t i;

	if (live_n == 0 || p == NULL)
		return;
	for (i = ptr_hash(p) & (live_size - 1); live[i] != NULL; i = (i + 1) & (live_size - 1))
		if (live[i] == p) {
			live[i] = TOMB;
			live_n--;
			return;
		}
}

/* Where the failing allocation is: gdb -ex 'break alloc_fail_point' (README, Reliability). */
void	alloc_fail_point(void);
__attribute__((noinline)) void
alloc_fail_point(void)
{
	__asm__ volatile("");
}

/*
 * libxml2 2.9.14 (Debian 12) does not free what it allocated when a later
 * allocation fails in these of its functions: a leak of libxml2's own, which
 * cvbib cannot free (it never sees the blocks).  Told apart by the failed
 * allocation's call stack, and reported apart from cvbib's leaks.
 */
static bool
in_libxml2_leak(void)
{
	static const char *const leaky[] = {
		"xmlParserInputBufferCreateMem",	/* the buffer's copy */
		"htmlNewParserCtxt",		/* the half-made context */
		"xmlNewDocNodeEatName",		/* the element's name */
		NULL
	};
	void *frames[48];
	char **names;
	int n = backtrace(frames, 48), i, j;
	bool found = false;

	if ((names = backtrace_symbols(frames, n)) == NULL)
		return false;
	for (i = 0; i < n && !found; i++)
		for (j = 0; leaky[j] != NULL && !found; j++)
			found = strstr(names[i], leaky[j]) != NULL;
	__real_free(names);
	return found;
}

/* One more allocation: true when it is the one to fail. */
static bool
hit(void)
{
	if (!armed)
		return false;
	count++;
	if (count == fail_at) {
		failed = true;
		xml_known_leak = xml_call && in_libxml2_leak();
		alloc_fail_point();
		return true;
	}
	return false;
}

static void *
track(void *p)
{
	if (armed && p != NULL)
		live_add(p);
	return p;
}

void *
__wrap_malloc(size_t n)
{
	if (hit()) {
		errno = ENOMEM;
		return NULL;
	}
	return track(__real_malloc(n));
}

void *
__wrap_calloc(size_t n, size_t size)
{
	if (hit()) {
		errno = ENOMEM;
		return NULL;
	}
	return track(__real_calloc(n, size));
}

void *
__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (hit()) {
		errno = ENOMEM;
		return NULL;
	}
	q = __real_realloc(p, n);
	if (q != NULL || n == 0) {
		bool was = false;

		if (p != NULL && live_n > 0) {
			size_t before = live_n;

			live_del(p);
			was = live_n < before;
		}
		if (q != NULL && (was || armed))
			live_add(q);
	}
	return q;
}

void
__wrap_free(void *p)
{
	live_del(p);
	__real_free(p);
}

char *
__wrap_strdup(const char *s)
{
	return __wrap_strndup(s, strlen(s));
}

char *
__wrap_strndup(const char *s, size_t n)
{
	char *p;

	n = strnlen(s, n);
	if ((p = __wrap_malloc(n + 1)) != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int
__wrap_regcomp(regex_t *re, const char *pat, int flags)
{
	if (hit())
		return REG_ESPACE;
	return __real_regcomp(re, pat, flags);
}

iconv_t
__wrap_iconv_open(const char *to, const char *from)
{
	if (hit()) {
		errno = ENOMEM;
		return (iconv_t)-1;
	}
	return __real_iconv_open(to, from);
}

/*
 * libxml2: its allocations are watched for leaks but not failed, unless
 * ALLOC_XML=1 (tests/suites/alloc-fail.sh does so for the XML and HTML
 * readers and the CSL cases).
 */
static bool fail_xml;

static void *
xml_malloc(size_t n)
{
	void *p;

	if (!fail_xml)
		return track(__real_malloc(n));
	xml_call = true;
	p = __wrap_malloc(n);
	xml_call = false;
	return p;
}

static void *
xml_realloc(void *p, size_t n)
{
	bool was_armed = armed;
	void *q;

	if (fail_xml) {
		xml_call = true;
		q = __wrap_realloc(p, n);
		xml_call = false;
		return q;
	}
	armed = false;		/* tracked, not counted */
	q = __wrap_realloc(p, n);
	armed = was_armed;
	if (q != NULL && armed && p == NULL)
		live_add(q);
	return q;
}

static char *
xml_strdup(const char *s)
{
	size_t n = strlen(s);
	char *p = xml_malloc(n + 1);

	if (p != NULL)
		memcpy(p, s, n + 1);
	return p;
}

/* SQLite (the lookup cache): its allocator, with the size in front. */
#define SQ_HEAD 16

static void *
sq_malloc(int n)
{
	size_t *p = __wrap_malloc((size_t)n + SQ_HEAD);

	if (p == NULL)
		return NULL;
	p[0] = (size_t)n;
	return (char *)p + SQ_HEAD;
}

static void
sq_free(void *p)
{
	if (p != NULL)
		__wrap_free((char *)p - SQ_HEAD);
}

static void *
sq_realloc(void *p, int n)
{
	size_t *q = __wrap_realloc((char *)p - SQ_HEAD, (size_t)n + SQ_HEAD);

	if (q == NULL)
		return NULL;
	q[0] = (size_t)n;
	return (char *)q + SQ_HEAD;
}

static int
sq_size(void *p)
{
	return p == NULL ? 0 : (int)*(size_t *)((char *)p - SQ_HEAD);
}

static int
sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int
sq_init(void *x)
{
	(void)x;
	return SQLITE_OK;
}

static void
sq_shutdown(void *x)
{
	(void)x;
}

static void
hook_libraries(void)
{
	static const sqlite3_mem_methods sq = { sq_malloc, sq_free, sq_realloc, sq_size,
	    sq_roundup, sq_init, sq_shutdown, NULL };
	const char *s = getenv("ALLOC_XML");

	fail_xml = s != NULL && *s == '1';
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &sq) != SQLITE_OK) {
		fputs("alloc-fail: SQLite's allocator cannot be set\n", stderr);
		exit(2);
	}
	json_set_alloc_funcs(__wrap_malloc, __wrap_free);
	xmlMemSetup(__wrap_free, xml_malloc, xml_realloc, xml_strdup);
	xmlInitParser();
}

/* ------------------------------------------------------------ the cases */

/* CSL-JSON for the writers: names with particles, dates, a container. */
static const char items_json[] =
	"[{\"id\":\"doe2020\",\"type\":\"article-journal\",\"title\":\"On <i>sets</i> & maps\","
	"\"author\":[{\"family\":\"Doe\",\"given\":\"Jane\"},{\"family\":\"Berg\",\"given\":\"Jan\","
	"\"non-dropping-particle\":\"van der\"}],\"container-title\":\"Journal of Sets\","
	"\"volume\":\"12\",\"issue\":\"3\",\"page\":\"1-10\",\"DOI\":\"10.1000/xyz\","
	"\"issued\":{\"date-parts\":[[2020,5]]}},"
	"{\"id\":\"roe2019\",\"type\":\"book\",\"title\":\"A Book\",\"author\":[{\"family\":\"Roe\","
	"\"given\":\"R.\"}],\"publisher\":\"Press\",\"publisher-place\":\"Paris\","
	"\"issued\":{\"date-parts\":[[2019]]},\"note\":\"award\"},"
	"{\"id\":\"kim2021\",\"type\":\"paper-conference\",\"title\":\"Talk\",\"author\":["
	"{\"literal\":\"The Group\"}],\"editor\":[{\"family\":\"Lee\",\"given\":\"K.\"}],"
	"\"container-title\":\"Proc. of Things\",\"issued\":{\"date-parts\":[[2021,1,2]]},"
	"\"URL\":\"https://example.org/t\"}]";

struct tcase {
	const char	*name;
	enum { READ, WRITE, CSL_BIB, CSL_CITE, CACHE } kind;
	enum cvbib_format fmt;
	const char	*input;		/* READ: the input; others: items_json */
	size_t		 len;		/* of the input; 0: strlen() */
};

/* The one input read from a file: a READ case with no input text. */
#define PDF_INPUT "tests/cases/text/cv-pdf.pdf"

static const struct tcase cases[] = {
	{ "read-bibtex", READ, CVBIB_FMT_BIBTEX,
	  "@string{j = \"Journal of Sets\"}\n"
	  "@article{doe2020, author = {Doe, Jane and van der Berg, Jan}, title = {On {S}ets},\n"
	  "  journal = j # { and Maps}, year = 2020, month = may, pages = {1--10}, doi = {10.1/x}}\n"
	  "@inproceedings{roe, author = {R{\\\"o}e, R.}, title = \"Talk\", booktitle = {Proc.},\n"
	  "  year = {2019}, crossref = {proc}}\n"
	  "@proceedings{proc, title = {Proceedings}, publisher = {P}, year = 2019}\n", 0 },
	{ "read-biblatex", READ, CVBIB_FMT_BIBLATEX,
	  "@article{a, author = {Doe, Jane}, title = {T}, journaltitle = {J}, date = {2020-05/2020-06}}\n"
	  "@xdata{x, publisher = {P}}\n"
	  "@book{b, author = {Roe, R.}, title = {B}, xdata = {x}, date = {2019}}\n", 0 },
	{ "read-csljson", READ, CVBIB_FMT_CSLJSON, items_json, 0 },
	{ "read-csljson-object", READ, CVBIB_FMT_CSLJSON,
	  "{\"id\":\"a\",\"type\":\"book\",\"title\":\"T\",\"author\":[{\"family\":\"Doe\"}],"
	  "\"issued\":{\"raw\":\"2020\"},\"unknown\":1}", 0 },
	{ "read-cslyaml", READ, CVBIB_FMT_CSLYAML,
	  "references:\n"
	  "- id: doe2020\n  type: article-journal\n  title: On *sets*\n"
	  "  author:\n  - family: Doe\n    given: Jane\n  issued:\n    date-parts: [[2020, 5]]\n"
	  "- &b\n  id: roe\n  type: book\n  title: B\n  issued: 2019\n", 0 },
	{ "read-rendercv", READ, CVBIB_FMT_RENDERCV,
	  "cv:\n  name: Jane Doe\n  sections:\n    publications:\n"
	  "    - title: On Sets\n      authors:\n      - Jane Doe\n      - '***Jan Berg***'\n"
	  "      date: 2020-05\n      journal: Journal of Sets\n      doi: 10.1000/xyz\n", 0 },
	{ "read-jsonresume", READ, CVBIB_FMT_JSONRESUME,
	  "{\"basics\":{\"name\":\"Jane Doe\"},\"publications\":[{\"name\":\"On Sets\","
	  "\"publisher\":\"Journal of Sets\",\"releaseDate\":\"2020-05-01\","
	  "\"url\":\"https://example.org\",\"summary\":\"S\"}]}", 0 },
	/* the recovery of a broken list (issue 20): entries on either side of
	 * a syntax error */
	{ "read-jsonresume-broken", READ, CVBIB_FMT_JSONRESUME,
	  "{\"basics\":{\"name\":\"Jane Doe\",},\"publications\":[{\"name\":\"On Sets\","
	  "\"releaseDate\":\"2020\"},\n{\"name\":\"Broken\",},\n{\"name\":\"Kept\","
	  "\"releaseDate\":{\"y\":1}}]}", 0 },
	{ "read-rendercv-broken", READ, CVBIB_FMT_RENDERCV,
	  "cv:\n  name: Jane Doe\n  sections:\n    publications:\n"
	  "    - title: On Sets\n      authors: [Jane Doe]\n"
	  "    - title: [Broken\n      authors: [Jane Doe]\n"
	  "    talks:\n    - title: Kept\n      authors: [Jane Doe]\n"
	  "design:\n  theme: classic\n", 0 },
	{ "read-frontmatter", READ, CVBIB_FMT_FRONTMATTER,
	  "---\ntitle: \"On Sets\"\nauthors:\n- Jane Doe\n- Jan Berg\ndate: 2020-05-01\n"
	  "publication: \"*Journal of Sets*\"\npublication_types: [\"2\"]\ndoi: 10.1000/xyz\n---\nText.\n", 0 },
	{ "read-hayagriva", READ, CVBIB_FMT_HAYAGRIVA,
	  "doe2020:\n  type: article\n  title: On Sets\n  author: [\"Doe, Jane\", \"Berg, Jan\"]\n"
	  "  date: 2020-05\n  parent:\n    type: periodical\n    title: Journal of Sets\n"
	  "    volume: 12\n  page-range: 1-10\n", 0 },
	{ "read-markdown", READ, CVBIB_FMT_MARKDOWN,
	  "# Jane Doe\n\n## Publications\n\n"
	  "1. Doe, J., & Berg, J. (2020). On sets and maps. *Journal of Sets*, 12(3), 1-10.\n"
	  "2. Roe, R., and Doe, J. 2019. A study of things. In *Proc. of Things*, pp. 5-9.\n", 0 },
	{ "read-text", READ, CVBIB_FMT_TEXT,
	  "JANE DOE\n\nPUBLICATIONS\n\n"
	  "Doe, J. and Berg, J. (2020). On sets and maps. Journal of Sets 12(3):1-10.\n", 0 },
	{ "read-html", READ, CVBIB_FMT_HTML,
	  "<html><body><h2>Publications</h2><ol>"
	  "<li>J. Doe and J. Berg. On sets &amp; maps. <i>Journal of Sets</i>, 12:1&ndash;10, 2020.</li>"
	  "</ol></body></html>", 0 },
	/* a PDF, through poppler (whose own allocations are not counted:
	 * C++ and GLib, loaded at run time) */
	{ "read-pdf", READ, CVBIB_FMT_TEXT, NULL, 0 },
	{ "read-reflines", READ, CVBIB_FMT_REFLINES,
	  "Doe, J., & Berg, J. (2020). On sets and maps. Journal of Sets, 12(3), 1-10.\n", 0 },
	{ "read-ris", READ, CVBIB_FMT_RIS,
	  "TY  - JOUR\nAU  - Doe, Jane\nAU  - Berg, Jan\nTI  - On Sets\nT2  - Journal of Sets\n"
	  "PY  - 2020/05//\nSP  - 1\nEP  - 10\nDO  - 10.1000/xyz\nER  - \n"
	  "TY  - BOOK\nAU  - Roe, R.\nTI  - B\nPY  - 2019\nER  - \n", 0 },
	{ "read-medline", READ, CVBIB_FMT_MEDLINE,
	  "PMID- 1\nOWN - NLM\nTI  - On sets.\nFAU - Doe, Jane\nAU  - Doe J\nFAU - Berg, Jan\n"
	  "DP  - 2020 May\nJT  - Journal of Sets\nVI  - 12\nPG  - 1-10\n"
	  "AID - 10.1000/xyz [doi]\nPT  - Journal Article\n", 0 },
	{ "read-enw", READ, CVBIB_FMT_ENW,
	  "%0 Journal Article\n%A Doe, Jane\n%A Berg, Jan\n%T On Sets\n%J Journal of Sets\n"
	  "%D 2020\n%P 1-10\n%R 10.1000/xyz\n\n%0 Book\n%A Roe, R.\n%T B\n%D 2019\n", 0 },
	{ "read-endnote-xml", READ, CVBIB_FMT_ENDNOTE_XML,
	  "<?xml version=\"1.0\"?><xml><records><record><ref-type name=\"Journal Article\">17</ref-type>"
	  "<contributors><authors><author><style>Doe, Jane</style></author>"
	  "<author>Berg, Jan</author></authors></contributors>"
	  "<titles><title><style>On Sets</style></title><secondary-title>Journal of Sets"
	  "</secondary-title></titles><dates><year>2020</year></dates><pages>1-10</pages>"
	  "<electronic-resource-num>10.1000/xyz</electronic-resource-num></record></records></xml>", 0 },
	{ "read-orcid", READ, CVBIB_FMT_ORCID,
	  "{\"path\":\"/0000-0002-1825-0097/works\",\"group\":[{\"work-summary\":[{"
	  "\"title\":{\"title\":{\"value\":\"On Sets\"}},\"type\":\"journal-article\","
	  "\"journal-title\":{\"value\":\"Journal of Sets\"},"
	  "\"publication-date\":{\"year\":{\"value\":\"2020\"},\"month\":{\"value\":\"05\"}},"
	  "\"external-ids\":{\"external-id\":[{\"external-id-type\":\"doi\","
	  "\"external-id-value\":\"10.1000/xyz\"}]}}]}]}", 0 },
	{ "read-dblp", READ, CVBIB_FMT_DBLP,
	  "<?xml version=\"1.0\"?>\n<dblpperson name=\"Jane Doe\"><r><article key=\"journals/j/Doe20\">"
	  "<author>Jane Doe</author><author>Jan Berg 0001</author><title>On Sets.</title>"
	  "<journal>J. Sets</journal><volume>12</volume><pages>1-10</pages><year>2020</year>"
	  "<ee>https://doi.org/10.1000/xyz</ee></article></r>"
	  "<r><inproceedings key=\"conf/c/Doe19\"><author>Jane Doe</author><title>Talk.</title>"
	  "<booktitle>Proc.</booktitle><year>2019</year></inproceedings></r></dblpperson>\n", 0 },
	{ "read-openalex", READ, CVBIB_FMT_OPENALEX,
	  "{\"results\":[{\"id\":\"https://openalex.org/W1\",\"doi\":\"https://doi.org/10.1000/xyz\","
	  "\"title\":\"On Sets\",\"publication_year\":2020,\"publication_date\":\"2020-05-01\","
	  "\"type\":\"article\",\"authorships\":[{\"author\":{\"display_name\":\"Jane Doe\"}},"
	  "{\"author\":{\"display_name\":\"Jan Berg\"}}],\"primary_location\":{\"source\":"
	  "{\"display_name\":\"Journal of Sets\"}},\"biblio\":{\"volume\":\"12\",\"first_page\":\"1\","
	  "\"last_page\":\"10\"}}]}", 0 },
	{ "read-scholar-csv", READ, CVBIB_FMT_SCHOLAR_CSV,
	  "Authors,Title,Publication,Volume,Number,Pages,Year,Publisher\r\n"
	  "\"Doe, Jane; Berg, Jan\",On Sets,Journal of Sets,12,3,1-10,2020,\r\n"
	  "J Roe,\"A Book, again\",,,,,2019,Press\r\n", 0 },
	{ "read-cff", READ, CVBIB_FMT_CFF,
	  "cff-version: 1.2.0\nmessage: Cite it\ntitle: Tool\nauthors:\n"
	  "- family-names: Doe\n  given-names: Jane\nversion: 1.0\ndate-released: 2020-05-01\n"
	  "preferred-citation:\n  type: article\n  title: On Sets\n  authors:\n"
	  "  - family-names: Doe\n    given-names: Jane\n  journal: Journal of Sets\n  year: 2020\n", 0 },
	{ "read-latin1", READ, CVBIB_FMT_MARKDOWN,
	  "## Publications\n\n- Do\xe9, J. (2020). On sets. *Journal of Sets*, 12, 1-10.\n", 0 },
	{ "read-utf16", READ, CVBIB_FMT_AUTO,
	  "\xff\xfe@\0m\0i\0s\0c\0{\0k\0,\0 \0t\0i\0t\0l\0e\0=\0{\0T\0}\0}\0\n\0", 36 },
	{ "write-csljson", WRITE, CVBIB_FMT_CSLJSON, NULL, 0 },
	{ "write-bibtex", WRITE, CVBIB_FMT_BIBTEX, NULL, 0 },
	{ "write-biblatex", WRITE, CVBIB_FMT_BIBLATEX, NULL, 0 },
	{ "write-cslyaml", WRITE, CVBIB_FMT_CSLYAML, NULL, 0 },
	{ "write-rendercv", WRITE, CVBIB_FMT_RENDERCV, NULL, 0 },
	{ "write-hayagriva", WRITE, CVBIB_FMT_HAYAGRIVA, NULL, 0 },
	{ "write-ris", WRITE, CVBIB_FMT_RIS, NULL, 0 },
	{ "write-datayml", WRITE, CVBIB_FMT_DATAYML, NULL, 0 },
	{ "write-academicpages", WRITE, CVBIB_FMT_ACADEMICPAGES, NULL, 0 },
	{ "write-hugoblox", WRITE, CVBIB_FMT_HUGOBLOX, NULL, 0 },
	{ "write-text", WRITE, CVBIB_FMT_TEXT, NULL, 0 },
	{ "write-markdown", WRITE, CVBIB_FMT_MARKDOWN, NULL, 0 },
	{ "write-html", WRITE, CVBIB_FMT_HTML, NULL, 0 },
	{ "write-latex", WRITE, CVBIB_FMT_LATEX, NULL, 0 },
	{ "write-typst", WRITE, CVBIB_FMT_TYPST, NULL, 0 },
	{ "write-typst-data", WRITE, CVBIB_FMT_TYPST_DATA, NULL, 0 },
	{ "write-refpred", WRITE, CVBIB_FMT_REFPRED, NULL, 0 },
	{ "csl-bibliography", CSL_BIB, CVBIB_FMT_AUTO, NULL, 0 },
	{ "csl-citations", CSL_CITE, CVBIB_FMT_AUTO, NULL, 0 },
	/* the lookup cache (SQLite): open a new one, store an answer, read it
	 * back; an answer the cache could not store is a miss, not an error */
	{ "cache", CACHE, CVBIB_FMT_AUTO, NULL, 0 },
};

/* What one run gave: its return code, worst level, and result text. */
struct result {
	int	 rc;
	enum cvbib_level worst;
	size_t	 ndiags;
	char	*text;		/* malloc'd (not counted: made disarmed) */
	bool	 printed;	/* something was written to stderr */
};

/*
 * The library never prints (libxml2 did: "Memory allocation failed"): while
 * a run is armed, stderr goes to a file of its own, which must stay empty.
 */
static FILE *errcap;
static int saved_err = -1;

static void
capture_stderr(void)
{
	fflush(stderr);
	if (errcap == NULL && (errcap = tmpfile()) == NULL) {
		perror("alloc-fail: tmpfile");
		exit(2);
	}
	if (ftruncate(fileno(errcap), 0) != 0 || lseek(fileno(errcap), 0, SEEK_SET) != 0 ||
	    (saved_err = dup(2)) < 0 || dup2(fileno(errcap), 2) < 0) {
		perror("alloc-fail: stderr");
		exit(2);
	}
}

static bool
release_stderr(void)
{
	fflush(stderr);
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
		saved_err = -1;
	}
	return lseek(fileno(errcap), 0, SEEK_END) > 0;
}

static void
arm(long k)
{
	count = 0;
	fail_at = k;
	failed = false;
	armed = true;
}

static void
disarm(void)
{
	armed = false;
}

/* The biblio as CSL-JSON, with the hook off: what a reader made of its input. */
static char *
dump(cvbib_biblio *b)
{
	struct cvbib_buf out = CVBIB_BUF_INIT;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	char *s;

	if (cvbib_write(b, CVBIB_FMT_CSLJSON, NULL, &out, &d) != 0)
		s = strdup("(the result could not be written)");
	else
		s = cvbib_buf_detach(&out, NULL);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	return s;
}

static cvbib_biblio *
fixture(void)
{
	cvbib_biblio *b = cvbib_biblio_new();
	struct cvbib_diags d = CVBIB_DIAGS_INIT;

	if (b == NULL || cvbib_read(b, items_json, strlen(items_json), "items.json",
	    CVBIB_FMT_CSLJSON, NULL, &d) != 0) {
		fputs("alloc-fail: the fixture does not read\n", stderr);
		abort();
	}
	cvbib_diags_release(&d);
	return b;
}

/* The lookup cache's directory, emptied before each run. */
#define MISS "(not in the cache)"
static char cache_dir[64];

static void
cache_dir_clean(void)
{
	static const char *const names[] = { "cache.sqlite", "cache.sqlite-wal",
	    "cache.sqlite-shm", "cache.sqlite-journal", "cache.sqlite.corrupt" };
	char p[128];
	size_t i;

	if (cache_dir[0] == '\0') {
		/* in memory when it can be: SQLite syncs the file at each write */
		snprintf(cache_dir, sizeof(cache_dir), "%s/cvbib-alloc-fail.XXXXXX",
		    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (mkdtemp(cache_dir) == NULL) {
			perror("alloc-fail: mkdtemp");
			exit(2);
		}
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", cache_dir, names[i]);
		unlink(p);
	}
}

/* One run of case c with allocation k failing (0: none). */
/* A case's input: its text, or PDF_INPUT's bytes (read once, unwatched). */
static const char *
case_input(const struct tcase *c, size_t *len)
{
	static char *data;
	static size_t n;
	FILE *fp;
	long sz;

	if (c->input != NULL) {
		*len = c->len ? c->len : strlen(c->input);
		return c->input;
	}
	if (data == NULL) {
		if ((fp = fopen(PDF_INPUT, "rb")) == NULL || fseek(fp, 0, SEEK_END) != 0 ||
		    (sz = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0 ||
		    (data = __real_malloc((size_t)sz + 1)) == NULL ||
		    fread(data, 1, (size_t)sz, fp) != (size_t)sz) {
			fprintf(stderr, "alloc-fail: cannot read %s\n", PDF_INPUT);
			exit(2);
		}
		fclose(fp);
		n = (size_t)sz;
	}
	*len = n;
	return data;
}

static void
run(const struct tcase *c, long k, struct result *r)
{
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	cvbib_biblio *b = NULL;
	cvbib_style *st = NULL;

	memset(r, 0, sizeof(*r));
	if (c->kind == CACHE) {
		struct cvb_cache *cache = NULL;
		char *body = NULL;
		size_t len = 0;
		long status = 0;
		int got = 0;

		cache_dir_clean();
		capture_stderr();
		arm(k);
		r->rc = cvb_cache_open(&cache, cache_dir, &d);
		if (r->rc == 0) {
			cvb_cache_put(cache, "work:10.1234/x", 200, "{\"title\":[\"T\"]}", 15);
			got = cvb_cache_get(cache, "work:10.1234/x", false, &status, &body, &len);
			cvb_cache_close(cache);
		}
		disarm();
		r->printed = release_stderr();
		if (r->rc == 0)
			r->text = got == 1 ? strndup(body, len) : strdup(MISS);
		free(body);
	} else if (c->kind == READ) {
		size_t inlen;
		const char *in = case_input(c, &inlen);

		capture_stderr();
		arm(k);
		b = cvbib_biblio_new();
		if (b == NULL)
			r->rc = -CVBIB_ENOMEM;
		else {
			r->rc = cvbib_read(b, in, inlen, "in", c->fmt, NULL, &d);
			if (r->rc == 0)
				r->rc = cvbib_read_done(b, NULL, &d);
		}
		disarm();
		r->printed = release_stderr();
		if (b != NULL && r->rc == 0)
			r->text = dump(b);
	} else {
		struct cvbib_options o;

		cvbib_options_init(&o);
		b = fixture();
		capture_stderr();
		arm(k);
		switch (c->kind) {
		case WRITE:
			r->rc = cvbib_write(b, c->fmt, &o, &out, &d);
			break;
		case CSL_BIB:
		case CSL_CITE:
			r->rc = cvbib_style_load(&st, "ieee", "de-DE", &o, &d);
			if (r->rc == 0 && c->kind == CSL_BIB)
				r->rc = cvbib_format_bibliography(st, b, CVBIB_OUT_HTML, &out, &d);
			else if (r->rc == 0) {
				struct cvbib_cite cites[2] = {
					{ .id = "doe2020", .locator = "5" }, { .id = "roe2019" } };
				struct cvbib_citation cit = { .cites = cites, .ncites = 2 };

				r->rc = cvbib_format_citations(st, b, &cit, 1, CVBIB_OUT_TEXT, &out, &d);
			}
			cvbib_style_free(st);
			break;
		default:
			break;
		}
		disarm();
		r->printed = release_stderr();
		if (r->rc == 0)
			r->text = strdup(out.buf);
	}
	r->worst = d.worst;
	r->ndiags = d.n;
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	cvbib_biblio_free(b);
}

static int npass, nfail;
static bool verbose, use_fork;
static const char *cur_case;
static long cur_k;

static void
on_signal(int sig)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "alloc-fail: signal %d in %s with allocation %ld failing\n",
	    sig, cur_case ? cur_case : "?", cur_k);

	if (n > 0)
		(void)!write(saved_err >= 0 ? saved_err : 2, msg, (size_t)n);
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool
report_fail(const struct tcase *c, long k, const char *what, int *shown)
{
	if ((*shown)++ < 5 || verbose || getenv("ALLOC_ALL") != NULL)
		printf("FAIL %s: allocation %ld of the run failing: %s\n", c->name, k, what);
	return false;
}

/* What one run with allocation k failing came to: exit codes of the child. */
enum { V_NONE = 10, V_ERROR, V_RECOVERED, V_SILENT, V_LEAK = 16, V_PRINTED = 32, V_XMLLEAK = 64 };

static int
one(const struct tcase *c, long k, const struct result *ref)
{
	struct result r;
	int v;

	run(c, k, &r);
	if (!failed)
		v = V_NONE;	/* fewer allocations this time (a cache): none failed */
	else if (r.rc < 0 || r.worst >= CVBIB_SYSERR)
		v = V_ERROR;
	else if (r.text != NULL && strcmp(r.text, ref->text) == 0 && r.ndiags == ref->ndiags)
		v = V_RECOVERED;	/* got around it: the same result */
	else if (c->kind == CACHE && r.text != NULL && strcmp(r.text, MISS) == 0)
		v = V_RECOVERED;	/* a cache may forget */
	else {
		v = V_SILENT;
		if (verbose)
			printf("---- got\n%s\n---- want\n%s\n", r.text ? r.text : "(none)", ref->text);
	}
	free(r.text);
	if (r.printed)
		v |= V_PRINTED;
	if (live_n != 0) {
		if (verbose)
			printf("%zu blocks leaked%s\n", live_n, xml_known_leak ? " (by libxml2)" : "");
		v |= xml_known_leak ? V_XMLLEAK : V_LEAK;
		if (xml_known_leak)
			live_free();	/* orphans of libxml2: LeakSanitizer's too */
		live_clear();
	}
	xml_known_leak = false;
	return v;
}

static const char *
xmlleak_note(long n)
{
	static char b[80];

	snprintf(b, sizeof(b), "; %ld leaks of libxml2's own", n);
	return b;
}

/* Every k (step stride); true when every run passed. */
static bool
test_case(const struct tcase *c, long only, long stride)
{
	struct result ref;
	long n, k, errors = 0, recovered = 0, leaks = 0, bad = 0, crashes = 0, printed = 0, xmlleaks = 0;
	int shown = 0;
	bool ok = true;
	struct timespec t0, t1;

	cur_case = c->name;
	cur_k = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* twice: the first run fills what is loaded once (models, styles) */
	run(c, 0, &ref);
	free(ref.text);
	live_clear();
	run(c, 0, &ref);
	n = count;
	if (ref.rc != 0 || ref.worst >= CVBIB_SYSERR || live_n != 0 || ref.printed) {
		printf("FAIL %s: the run without a failure gives %d (%s), worst %s, %zu blocks not freed%s\n",
		    c->name, ref.rc, cvbib_strerror(ref.rc), cvbib_level_name(ref.worst), live_n,
		    ref.printed ? ", printed to stderr" : "");
		free(ref.text);
		live_clear();
		return false;
	}
	for (k = only ? only : 1; k <= (only ? only : n); k += only ? 1 : stride) {
		int v, status;
		pid_t pid;

		cur_k = k;
		/* with ALLOC_FORK=1, each run in a child of its own, so that a
		 * crash is one failure among the others (slower: a fork a run) */
		if (!use_fork)
			v = one(c, k, &ref);
		else if ((pid = fork()) < 0) {
			perror("alloc-fail: fork");
			exit(2);
		} else if (pid == 0)
			_exit(one(c, k, &ref));
		else if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) < V_NONE ||
		    WEXITSTATUS(status) > (V_SILENT | V_LEAK | V_PRINTED | V_XMLLEAK)) {
			char what[80];

			snprintf(what, sizeof(what), "crash (%s %d)", WIFSIGNALED(status) ?
			    "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) :
			    WEXITSTATUS(status));
			ok = report_fail(c, k, what, &shown);
			crashes++;
			continue;
		} else
			v = WEXITSTATUS(status);
		if (v & V_LEAK) {
			ok = report_fail(c, k, "blocks leaked", &shown);
			leaks++;
		}
		if (v & V_XMLLEAK)
			xmlleaks++;
		if (v & V_PRINTED) {
			ok = report_fail(c, k, "printed to stderr (the library never prints)", &shown);
			printed++;
		}
		switch (v & ~(V_LEAK | V_PRINTED | V_XMLLEAK)) {
		case V_ERROR: errors++; break;
		case V_RECOVERED: recovered++; break;
		case V_SILENT:
			ok = report_fail(c, k, "no error, but a different result or none", &shown);
			bad++;
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s %s: %ld allocations; %ld errors, %ld got around, %ld silent, %ld leaks, "
	    "%ld crashes, %ld printed%s (%.2f s)\n", ok ? "PASS" : "FAIL", c->name, n, errors,
	    recovered, bad, leaks, crashes, printed, xmlleaks ? xmlleak_note(xmlleaks) : "",
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(ref.text);
	return ok;
}

int
main(int argc, char **argv)
{
	const char *s;
	long stride = 1, only = 0;
	size_t i;
	bool any = false;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((s = getenv("ALLOC_STRIDE")) != NULL && atol(s) > 0)
		stride = atol(s);
	verbose = getenv("ALLOC_VERBOSE") != NULL;
	use_fork = (s = getenv("ALLOC_FORK")) != NULL && *s == '1';
	if (argc > 2)
		only = atol(argv[2]);
	signal(SIGSEGV, on_signal);
	signal(SIGABRT, on_signal);
	signal(SIGBUS, on_signal);
	live_rehash(1024);
	hook_libraries();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
			continue;
		any = true;
		if (test_case(&cases[i], only, stride))
			npass++;
		else
			nfail++;
	}
	if (!any) {
		fprintf(stderr, "alloc-fail: no case %s\n", argv[1]);
		return 2;
	}
	if (cache_dir[0] != '\0') {
		cache_dir_clean();
		rmdir(cache_dir);
	}
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
