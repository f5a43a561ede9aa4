/*
 * fuzz-locale.c - a CSL locale file (issue 20: locale files were not
 * fuzzed): the input is written as locales-fr-FR.xml into a directory of its
 * own, which options.locales_dir puts first; a shipped style is loaded in
 * that locale and formats a small fixed bibliography and a citation, so the
 * terms, date forms and options the file gives are all used.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cvbib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char items[] =
"[{\"id\":\"a\",\"type\":\"article-journal\",\"title\":\"A title\",\"page\":\"321-28\","
"\"volume\":\"2\",\"issue\":\"3\",\"edition\":2,\"issued\":{\"date-parts\":[[2001,5,3],[2002,6]]},"
"\"author\":[{\"family\":\"Doe\",\"given\":\"Jane\"},{\"family\":\"Roe\",\"given\":\"R.\"},"
"{\"family\":\"Poe\",\"given\":\"E.\"}],\"container-title\":\"Journal\"},"
"{\"id\":\"b\",\"type\":\"chapter\",\"title\":\"C\",\"editor\":[{\"family\":\"Doe\",\"given\":\"J.\"}],"
"\"container-title\":\"Book\",\"issued\":{\"date-parts\":[[2001]],\"season\":2},"
"\"accessed\":{\"date-parts\":[[2020,1,31]]}}]";

static char dir[64], path[128];

static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
	if (dir[0] != '\0')
		rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const styles[] = { "apa", "ieee", "chicago-author-date" };
	static unsigned round;
	struct cvbib_options o;
	cvbib_style *s = NULL;
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvbib_buf out = CVBIB_BUF_INIT;
	FILE *f;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "%s", "/tmp/cvbib-fuzz-locale.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof(path), "%s/locales-fr-FR.xml", dir);
		atexit(cleanup);
	}
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	cvbib_options_init(&o);
	o.locales_dir = dir;
	o.system_csl_dir = "";
	if (cvbib_style_load(&s, styles[round++ % 3], "fr-FR", &o, &d) == 0 && s != NULL &&
	    (b = cvbib_biblio_new()) != NULL) {
		struct cvbib_cite c[2];
		struct cvbib_citation cit;

		memset(c, 0, sizeof(c));
		memset(&cit, 0, sizeof(cit));
		c[0].id = "a"; c[0].locator = "12-14"; c[0].label = "chapter"; c[1].id = "b";
		cit.cites = c; cit.ncites = 2; cit.note_index = 1;
		cvbib_read(b, items, sizeof(items) - 1, "items.json", CVBIB_FMT_CSLJSON, NULL, &d);
		cvbib_format_bibliography(s, b, CVBIB_OUT_HTML, &out, &d);
		cvbib_format_citations(s, b, &cit, 1, CVBIB_OUT_TEXT, &out, &d);
		cvbib_biblio_free(b);
	}
	cvbib_style_free(s);
	cvbib_buf_release(&out);
	cvbib_diags_release(&d);
	return 0;
}
