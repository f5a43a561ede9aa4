/*
 * fuzz-config.c - the config file (issue 20: it was not fuzzed): the input is
 * parsed as the command parses ~/.config/cvbib/config (src/cli/config.c),
 * its CV settings applied to the options as the command applies them, and a
 * small fixed bibliography written as every CV list with them, so that the
 * values the file gives (group-by, groups, sort, highlight, style, locale,
 * latex-list, owner-in-etal, the flags) all reach the library.  A style or
 * locale that names a path is dropped: the command would read that file,
 * which is no part of the config file's parsing (a path to a FIFO would block).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "cvbib.h"
#include "cli/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char items[] =
"[{\"id\":\"a\",\"type\":\"article-journal\",\"title\":\"A title\",\"page\":\"321-28\","
"\"volume\":\"2\",\"issued\":{\"date-parts\":[[2001,5,3]]},\"keyword\":\"ml, data\","
"\"author\":[{\"family\":\"Doe\",\"given\":\"Jane\"},{\"family\":\"Roe\",\"given\":\"R.\"},"
"{\"family\":\"Poe\",\"given\":\"E.\"},{\"family\":\"Moe\",\"given\":\"M.\"}],\"container-title\":\"Journal\"},"
"{\"id\":\"b\",\"type\":\"paper-conference\",\"title\":\"C\",\"author\":[{\"family\":\"Doe\",\"given\":\"J.\"}],"
"\"container-title\":\"Proc.\",\"issued\":{\"date-parts\":[[2003]]}},"
"{\"id\":\"c\",\"type\":\"thesis\",\"title\":\"T\",\"author\":[{\"literal\":\"Team X\"}]}]";

static void
warn(void *ctx, unsigned line, unsigned column, const char *what, const char *arg)
{
	(void)ctx; (void)what;
	if (line == 0 || column == 0 || (arg != NULL && strchr(arg, '\n') != NULL))
		abort();	/* a place is always given; a key is one line */
}

static void
no_path(const char **v)
{
	if (*v != NULL && strchr(*v, '/') != NULL)
		*v = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cvbib_format outs[] = {
		CVBIB_FMT_TEXT, CVBIB_FMT_MARKDOWN, CVBIB_FMT_HTML, CVBIB_FMT_LATEX,
		CVBIB_FMT_TYPST, CVBIB_FMT_TYPST_DATA
	};
	struct config c;
	struct cvbib_options o;
	const char **hl = malloc(2 * sizeof(*hl));
	size_t nhl = 1, i;
	cvbib_biblio *b;
	struct cvbib_diags d = CVBIB_DIAGS_INIT;

	if (hl == NULL)
		return 0;
	hl[0] = "Roe, R.";
	hl[1] = NULL;
	memset(&c, 0, sizeof(c));
	cvbib_options_init(&o);
	o.system_csl_dir = "";
	o.highlight = hl;
	if (config_parse(&c, (const char *)data, size, warn, NULL) != 0 ||
	    config_apply(&c, &o, &hl, &nhl) != 0) {
		config_release(&c);
		free(hl);
		return 0;
	}
	for (i = 0; i < c.n; i++)
		if (c.kv[i] == NULL || strchr(c.kv[i], '\n') != NULL)
			abort();	/* keys and values are one line each */
	(void)config_truthy(config_get(&c, "standalone"));
	no_path(&o.style);
	no_path(&o.locale);
	if ((b = cvbib_biblio_new()) != NULL &&
	    cvbib_read(b, items, sizeof(items) - 1, "items.json", CVBIB_FMT_CSLJSON, &o, &d) == 0) {
		for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
			struct cvbib_buf out = CVBIB_BUF_INIT;

			(void)cvbib_write(b, outs[i], &o, &out, &d);
			cvbib_buf_release(&out);
		}
	}
	cvbib_biblio_free(b);
	cvbib_diags_release(&d);
	config_release(&c);
	free(hl);
	return 0;
}
