/*
 * main.c - the cvbib command: options, library calls, diagnostics, exit status.
 *
 * This is the only file that prints or exits.  It uses nothing but the public
 * header.  The exit status is derived from the worst diagnostic level reached
 * (see cvbib.1, EXIT STATUS).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cvbib.h"

/* Exit statuses, documented in cvbib.1 and README.md. */
enum {
	EXIT_OK = 0,		/* done; warnings may have been printed */
	EXIT_INPUT = 1,		/* some input was bad and skipped */
	EXIT_UNSUPP = 2,	/* input or option needs something not supported */
	EXIT_NETWORK = 3,	/* a lookup failed */
	EXIT_USAGE = 4,		/* bad command line */
	EXIT_SYSERR = 5,	/* out of memory, I/O error */
};

static const char usage_text[] =
"usage: cvbib [OPTIONS] [FILE...]\n"
"\n"
"Read publication lists (BibTeX/biblatex, CSL-JSON/YAML, CV data, free-text CVs)\n"
"and write them as BibTeX, CSL-JSON/YAML or formatted reference lists.\n"
"FILE '-' or no FILE reads standard input.\n"
"\n"
"Input and output:\n"
"  -t, --from FMT        input format: csljson, csl-yaml, bibtex, biblatex,\n"
"                        rendercv, jsonresume, frontmatter, text, markdown,\n"
"                        html, reflines (default: detected per file)\n"
"  -f, --format FMT      output format: csljson, csl-yaml, bibtex, biblatex,\n"
"                        rendercv, text, markdown, html, latex, refpred\n"
"                        (default: the input's own kind, else csljson)\n"
"  -o, --output FILE     write to FILE (through a temporary file, renamed\n"
"                        into place only on success)\n"
"\n"
/* @help-bibtex: BibTeX options go here */
"BibTeX and biblatex:\n"
"  --encoding ENC        encoding of BibTeX input: utf-8, latin1, latin9, gbk,\n"
"                        cp1252 (default: UTF-8, else detected and noted)\n"
"  --key-pattern PAT     citation keys for entries without one, e.g.\n"
"                        '[auth][year][title]' (the default); fields: [auth]\n"
"                        [Auth] [AUTH] [authors] [year] [shortyear] [title]\n"
"                        [Title] [shorttitle] [type]; other text is copied\n"
"  --no-inherit          do not copy crossref/xdata fields into entries\n"
"                        (also --no-crossref-expand)\n"
"  --ascii               write biblatex as 7-bit, LaTeX-encoded (bibtex always is)\n"
"\n"

/* @help-csl: CSL formatting options go here */
"CSL formatting (--format text, markdown, html, latex):\n"
"      --style STYLE     a shipped style by name, or any CSL 1.0.2 file\n"
"                        (FILE.csl; a dependent style finds its parent in\n"
"                        --styles-dir or beside the file)\n"
"      --locale LANG     locale such as en-US, de-DE (default: the style's\n"
"                        default-locale, else en-US)\n"
"      --styles-dir DIR  also look for styles (NAME.csl) and locales here\n"
"      --locales-dir DIR look for locales-LANG.xml here first\n"
"                        (also $CVBIB_LOCALES_DIR)\n"
"      --check-style FILE  load a style and report its problems, then exit\n"
"                        (uses --locale and the directories given before it)\n"
"\n"

/* @help-cv: CV presentation options go here */
"CV presentation (doc/cv.md), for --format text, markdown, html and latex:\n"
"  --highlight NAME      the CV owner: bold in every spelling of NAME (full or\n"
"                        initials, particles, diacritics); repeatable\n"
"  --group-by KEY        headed groups: type, year, keyword, selected (the\n"
"                        selected works only), section, or none\n"
"  --groups SPEC         group order, number prefixes and headings, e.g.\n"
"                        'article-journal:J=Journal Articles;*=Other'\n"
"  --sort KEY            newest (the default), oldest, author, title, style\n"
"                        (the CSL style's order) or none (input order)\n"
"  --countdown           number the entries counting down\n"
"  --group-prefix        number per group with a prefix: J1.., C1..\n"
"  --no-dedupe           keep duplicates (same DOI, arXiv id, or title, year\n"
"                        and first author); merged by default in CV lists\n"
"  --dedupe              merge duplicates (makes any formatted list a CV list;\n"
"                        with bibtex, biblatex, csljson or yaml output too)\n"
"  --standalone          html: a whole page with its style sheet\n"
"  --latex-list KIND     latex: itemize (default), enumerate, thebibliography\n"
"  --latex-preamble      with --format latex or biblatex: write the LaTeX\n"
"                        set-up of a biblatex CV (groups, count-down numbers,\n"
"                        highlight) instead of the list or the .bib\n"
"  --config FILE         CV settings (default: $XDG_CONFIG_HOME/cvbib/config;\n"
"                        'none' reads no file)\n"
"\n"

/* @help-enrich: DOI enrichment options go here */
"DOI enrichment (Crossref, DataCite, doi.org; see doc/enrich.md):\n"
"      --refresh         fetch the record of every entry with a DOI (also a\n"
"                        doi.org link in url or note) and fill missing fields\n"
"      --find-dois       search Crossref for entries without a DOI; a match is\n"
"                        taken only on strong evidence (doc/enrich.md)\n"
"      --overwrite[=FIELDS]  replace existing values too: all fields, or only\n"
"                        the comma-separated FIELDS (title,author,issued,...)\n"
"      --dry-run         print a per-entry diff of what would change on\n"
"                        standard output; write nothing\n"
"      --in-place        rewrite the one input file (.bib, CSL-JSON or CSL-YAML)\n"
"                        keeping FILE.bak; every entry and field is kept\n"
"      --mailto ADDR     contact address sent in the User-Agent (also\n"
"                        CVBIB_MAILTO or 'mailto' in the config file)\n"
"      --no-cache        neither read nor write the lookup cache\n"
"      --offline         use only the cache; no network\n"
"      --cache-dir DIR   cache directory (default $XDG_CACHE_HOME/cvbib)\n"
"      --timeout SECS    time limit per request (default 30)\n"
"      --retries N       retries after 429, 5xx and timeouts (default 4)\n"
"      --crossref-url URL, --datacite-url URL, --doi-url URL\n"
"                        service base URLs (also CVBIB_CROSSREF_URL,\n"
"                        CVBIB_DATACITE_URL, CVBIB_DOI_URL)\n"
"\n"

/* @help-text: free-text options go here */
"Diagnostics:\n"
"  -q, --quiet           print errors only, no warnings or notes\n"
"  -v, --verbose         show the source line under each diagnostic\n"
"  -W, --werror          exit with status 1 when there are warnings\n"
"\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"Exit status: 0 success (warnings allowed), 1 bad input skipped, 2 unsupported,\n"
"3 network failure, 4 usage error, 5 system error.  See cvbib(1).\n";

struct cli {
	struct cvbib_options opts;
	enum cvbib_format from, to;
	const char	*output;
	int		 verbose, werror;
};

static void
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cvbib: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'cvbib --help'.\n");
	exit(EXIT_USAGE);
}

/* ---- enrichment: settings from the environment and the config file,
 * and the progress display (the library only reports events) */

/* One "key = value" from $XDG_CONFIG_HOME/cvbib/config (or ~/.config/...). */
static char *
config_value(const char *key)
{
	static char path[4096];
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *line = NULL, *val = NULL;
	size_t cap = 0, k = strlen(key);
	FILE *f;

	if (x != NULL && *x == '/')
		snprintf(path, sizeof(path), "%s/cvbib/config", x);
	else if (home != NULL)
		snprintf(path, sizeof(path), "%s/.config/cvbib/config", home);
	else
		return NULL;
	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	while (val == NULL && getline(&line, &cap, f) >= 0) {
		char *p = line, *e;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, k) != 0)
			continue;
		p += k;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p != '\0')
			val = strdup(p);
	}
	free(line);
	fclose(f);
	return val;	/* kept for the life of the process */
}

static void
setting(const char **opt, const char *env, const char *key)
{
	const char *v;

	if (*opt != NULL)
		return;
	v = getenv(env);
	if (v != NULL && *v != '\0')
		*opt = v;
	else
		*opt = config_value(key);
}

static void
enrich_config(struct cvbib_options *o)
{
	const char *backoff = getenv("CVBIB_BACKOFF");

	setting(&o->mailto, "CVBIB_MAILTO", "mailto");
	setting(&o->crossref_url, "CVBIB_CROSSREF_URL", "crossref-url");
	setting(&o->datacite_url, "CVBIB_DATACITE_URL", "datacite-url");
	setting(&o->doiorg_url, "CVBIB_DOI_URL", "doi-url");
	setting(&o->cache_dir, "CVBIB_CACHE_DIR", "cache-dir");
	if (backoff != NULL && atof(backoff) > 0)
		o->backoff = atof(backoff);
}

struct progress {
	int	 quiet, tty, dry_run, find;
	int	 drawn;		/* a bar is on the screen */
	char	 last_key[256];	/* dry run: the entry whose diff is open */
};

static void
show_progress(const struct cvbib_enrich_progress *p, void *ctx)
{
	struct progress *pg = ctx;

	if (p->event == CVBIB_ENRICH_CHANGE && pg->dry_run) {
		if (strcmp(pg->last_key, p->key) != 0) {
			snprintf(pg->last_key, sizeof(pg->last_key), "%s", p->key);
			printf("--- %s (%s:%u)\n+++ %s (%s %s)\n", p->key, p->file ? p->file : "-",
			    p->line, p->key, p->source ? p->source : "", p->doi ? p->doi : "");
		}
		if (p->old_value != NULL)
			printf("-%s: %s\n", p->field, p->old_value);
		printf("+%s: %s\n", p->field, p->new_value);
		fflush(stdout);
	}
	if (pg->quiet)
		return;
	switch (p->event) {
	case CVBIB_ENRICH_ITEM:
		if (pg->tty) {
			int width = 30, full = p->total ? (int)(p->done * (size_t)width / p->total) : width;

			fprintf(stderr, "\r[%.*s%*s] %zu/%zu %-30.30s", full,
			    "##############################", width - full, "", p->done, p->total, p->key);
			pg->drawn = 1;
		} else
			fprintf(stderr, "cvbib: enrich: [%zu/%zu] %s: %s%s%s\n", p->done, p->total,
			    p->key, p->status, p->doi ? " " : "", p->doi ? p->doi : "");
		break;
	case CVBIB_ENRICH_END:
		if (pg->drawn)
			fprintf(stderr, "\r%*s\r", 75, "");
		if (p->total == 0)
			fprintf(stderr, "cvbib: enrich: nothing to look up (no entry has a DOI%s)\n",
			    pg->find ? " or lacks one and has a title" : "; --find-dois searches for missing ones");
		else
			fprintf(stderr, "cvbib: enrich: %zu looked up, %zu updated, %zu unchanged, "
			    "%zu not found, %zu failed%s%.0zu%s\n", p->looked_up, p->updated, p->unchanged,
			    p->not_found, p->failed, p->offline ? ", " : "", p->offline,
			    p->offline ? " not in the cache" : "");
		break;
	default:
		break;
	}
	fflush(stderr);
}

/* Print the source line of a diagnostic with a caret under its column. */
static void
show_source(const struct cvbib_diag *e)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	unsigned n = 0, i;
	ssize_t len;

	if (e->file == NULL || e->line == 0 || strcmp(e->file, "-") == 0)
		return;
	f = fopen(e->file, "r");
	if (f == NULL)
		return;
	while ((len = getline(&line, &cap, f)) >= 0)
		if (++n == e->line) {
			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				line[--len] = '\0';
			fprintf(stderr, "    %s\n    ", line);
			for (i = 1; i < e->column; i++)
				fputc(' ', stderr);
			fputs("^\n", stderr);
			break;
		}
	free(line);
	fclose(f);
}

static void
print_diags(struct cvbib_diags *d, size_t from, int verbose)
{
	size_t i;

	for (i = from; i < d->n; i++) {
		char *s = cvbib_diag_format(&d->v[i]);

		if (s == NULL)
			continue;
		fprintf(stderr, "%s\n", s);
		free(s);
		if (verbose)
			show_source(&d->v[i]);
	}
}

static int
exit_status(const struct cvbib_diags *d, int werror)
{
	switch (d->worst) {
	case CVBIB_NOTE:
		return EXIT_OK;
	case CVBIB_WARNING:
		return werror ? EXIT_INPUT : EXIT_OK;
	case CVBIB_ERROR:
		return EXIT_INPUT;
	case CVBIB_UNSUPP:
		return EXIT_UNSUPP;
	case CVBIB_NETWORK:
		return EXIT_NETWORK;
	case CVBIB_USAGE:
		return EXIT_USAGE;
	default:
		return EXIT_SYSERR;
	}
}

static enum cvbib_format
format_arg(const char *s, const char *opt)
{
	enum cvbib_format f = cvbib_format_lookup(s);

	if (f == CVBIB_FMT_AUTO)
		usage_error(opt[1] == 'f' ? "unknown output format '%s'" : "unknown input format '%s'", s);
	return f;
}

/* The output format when none is given: the input's own kind. */
static enum cvbib_format
default_output(enum cvbib_format in)
{
	switch (in) {
	case CVBIB_FMT_BIBTEX:
	case CVBIB_FMT_BIBLATEX:
		return in;
	case CVBIB_FMT_CSLYAML:
		return CVBIB_FMT_CSLYAML;
	default:
		return CVBIB_FMT_CSLJSON;
	}
}

/* Output sinks (cvbib_write_to): standard output, and nowhere. */
static int
stdout_sink(void *ctx, const char *data, size_t len)
{
	int *werr = ctx;

	if (fwrite(data, 1, len, stdout) != len) {
		*werr = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static int
discard_sink(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

/*
 * Where styles and locales are looked for, from the environment:
 * $CVBIB_STYLES (directories separated by ':'), then the user's
 * $XDG_DATA_HOME/cvbib/styles (else ~/.local/share/cvbib/styles);
 * $CVBIB_CSL_DIR replaces the system's CSL directory ("" for none);
 * $CVBIB_LOCALES_DIR is the default of --locales-dir.
 */
static void
csl_search_env(struct cvbib_options *o)
{
	static char *dirs[17];
	static char *copy, user[4096];
	const char *v, *home;
	size_t n = 0;
	char *p, *save;

	if ((v = getenv("CVBIB_STYLES")) != NULL && *v && (copy = strdup(v)) != NULL)
		for (p = strtok_r(copy, ":", &save); p && n < 15; p = strtok_r(NULL, ":", &save))
			dirs[n++] = p;
	if ((v = getenv("XDG_DATA_HOME")) != NULL && *v)
		snprintf(user, sizeof(user), "%s/cvbib/styles", v);
	else if ((home = getenv("HOME")) != NULL && *home)
		snprintf(user, sizeof(user), "%s/.local/share/cvbib/styles", home);
	if (user[0]) dirs[n++] = user;
	dirs[n] = NULL;
	o->style_dirs = (const char *const *)dirs;
	if ((v = getenv("CVBIB_CSL_DIR")) != NULL)
		o->system_csl_dir = v;
	if ((v = getenv("CVBIB_LOCALES_DIR")) != NULL && *v)
		o->locales_dir = v;
}

int
main(int argc, char **argv)
{
	enum { OPT_BASE = 256 };
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "werror", no_argument, NULL, 'W' },
		/* @opts-bibtex */
		{ "encoding", required_argument, NULL, OPT_BASE + 101 },
		{ "key-pattern", required_argument, NULL, OPT_BASE + 102 },
		{ "no-inherit", no_argument, NULL, OPT_BASE + 103 },
		{ "no-crossref-expand", no_argument, NULL, OPT_BASE + 103 },
		{ "ascii", no_argument, NULL, OPT_BASE + 104 },

		/* @opts-csl */
		{ "style", required_argument, NULL, OPT_BASE + 23 },
		{ "locale", required_argument, NULL, OPT_BASE + 24 },
		{ "styles-dir", required_argument, NULL, OPT_BASE + 20 },
		{ "locales-dir", required_argument, NULL, OPT_BASE + 21 },
		{ "check-style", required_argument, NULL, OPT_BASE + 22 },

		/* @opts-cv */
		{ "highlight", required_argument, NULL, OPT_BASE + 0x300 },
		{ "group-by", required_argument, NULL, OPT_BASE + 0x301 },
		{ "groups", required_argument, NULL, OPT_BASE + 0x302 },
		{ "sort", required_argument, NULL, OPT_BASE + 0x303 },
		{ "countdown", no_argument, NULL, OPT_BASE + 0x304 },
		{ "group-prefix", no_argument, NULL, OPT_BASE + 0x305 },
		{ "dedupe", no_argument, NULL, OPT_BASE + 0x306 },
		{ "no-dedupe", no_argument, NULL, OPT_BASE + 0x307 },
		{ "standalone", no_argument, NULL, OPT_BASE + 0x308 },
		{ "latex-list", required_argument, NULL, OPT_BASE + 0x309 },
		{ "latex-preamble", no_argument, NULL, OPT_BASE + 0x30a },
		{ "config", required_argument, NULL, OPT_BASE + 0x30b },

		/* @opts-enrich */
		{ "refresh", no_argument, NULL, OPT_BASE + 60 },
		{ "find-dois", no_argument, NULL, OPT_BASE + 61 },
		{ "overwrite", optional_argument, NULL, OPT_BASE + 62 },
		{ "dry-run", no_argument, NULL, OPT_BASE + 63 },
		{ "in-place", no_argument, NULL, OPT_BASE + 64 },
		{ "no-cache", no_argument, NULL, OPT_BASE + 65 },
		{ "offline", no_argument, NULL, OPT_BASE + 66 },
		{ "cache-dir", required_argument, NULL, OPT_BASE + 67 },
		{ "mailto", required_argument, NULL, OPT_BASE + 68 },
		{ "crossref-url", required_argument, NULL, OPT_BASE + 69 },
		{ "datacite-url", required_argument, NULL, OPT_BASE + 70 },
		{ "doi-url", required_argument, NULL, OPT_BASE + 71 },
		{ "timeout", required_argument, NULL, OPT_BASE + 72 },
		{ "retries", required_argument, NULL, OPT_BASE + 73 },

		/* @opts-text */
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli cli;
	struct { int refresh, find, in_place, read_errors; } enr = { 0, 0, 0, 0 };
	struct cvbib_diags diags = CVBIB_DIAGS_INIT;
	cvbib_biblio *b;
	size_t shown = 0;
	int c, i, rc, status, read_failed = 0;

	memset(&cli, 0, sizeof(cli));
	cvbib_options_init(&cli.opts);
	csl_search_env(&cli.opts);
	cli.opts.progress_tty = isatty(2);
	opterr = 0;	/* our own messages, without argv[0] */
	while ((c = getopt_long(argc, argv, ":t:f:o:qvWhV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			cli.from = format_arg(optarg, "-t");
			break;
		case 'f':
			cli.to = format_arg(optarg, "-f");
			break;
		case 'o':
			cli.output = optarg;
			break;
		case 'q':
			cli.opts.quiet = 1;
			diags.minlevel = CVBIB_ERROR;
			break;
		case 'v':
			cli.verbose = 1;
			break;
		case 'W':
			cli.werror = 1;
			break;
		/* @case-bibtex */
		case OPT_BASE + 101:
			cli.opts.encoding = optarg;
			break;
		case OPT_BASE + 102:
			cli.opts.key_pattern = optarg;
			break;
		case OPT_BASE + 103:
			cli.opts.expand_crossref = 0;
			break;
		case OPT_BASE + 104:
			cli.opts.ascii = 1;
			break;

		/* @case-csl */
		case OPT_BASE + 23:
			cli.opts.style = optarg;
			break;
		case OPT_BASE + 24:
			cli.opts.locale = optarg;
			break;
		case OPT_BASE + 20:
			cli.opts.styles_dir = optarg;
			break;
		case OPT_BASE + 21:
			cli.opts.locales_dir = optarg;
			break;
		case OPT_BASE + 22: {
			cvbib_style *st = NULL;

			cvbib_style_load(&st, optarg, cli.opts.locale, &cli.opts, &diags);
			cvbib_style_free(st);
			print_diags(&diags, 0, cli.verbose);
			status = exit_status(&diags, cli.werror);
			cvbib_diags_release(&diags);
			return status;
		}

		/* @case-cv */
		case OPT_BASE + 0x300: {	/* --highlight, repeatable */
			static const char **hl;
			static size_t nhl;
			const char **v = realloc(hl, (nhl + 2) * sizeof(*v));

			if (v == NULL) {
				fprintf(stderr, "cvbib: out of memory\n");
				return EXIT_SYSERR;
			}
			hl = v;
			hl[nhl++] = optarg;
			hl[nhl] = NULL;
			cli.opts.highlight = hl;
			break;
		}
		case OPT_BASE + 0x301:
			cli.opts.group_by = optarg;
			break;
		case OPT_BASE + 0x302:
			cli.opts.groups = optarg;
			break;
		case OPT_BASE + 0x303:
			cli.opts.sort = optarg;
			break;
		case OPT_BASE + 0x304:
			cli.opts.countdown = 1;
			break;
		case OPT_BASE + 0x305:
			cli.opts.group_prefix = 1;
			break;
		case OPT_BASE + 0x306:
			cli.opts.dedupe = 1;
			break;
		case OPT_BASE + 0x307:
			cli.opts.dedupe = 0;
			break;
		case OPT_BASE + 0x308:
			cli.opts.standalone = 1;
			break;
		case OPT_BASE + 0x309:
			cli.opts.latex_list = optarg;
			break;
		case OPT_BASE + 0x30a:
			cli.opts.latex_preamble = 1;
			break;
		case OPT_BASE + 0x30b:
			cli.opts.config = optarg;
			break;

		/* @case-enrich */
		case OPT_BASE + 60:
			enr.refresh = 1;
			break;
		case OPT_BASE + 61:
			enr.find = 1;
			break;
		case OPT_BASE + 62:
			cli.opts.overwrite = optarg != NULL && *optarg != '\0' ? optarg : "all";
			break;
		case OPT_BASE + 63:
			cli.opts.dry_run = 1;
			break;
		case OPT_BASE + 64:
			enr.in_place = 1;
			break;
		case OPT_BASE + 65:
			cli.opts.no_cache = 1;
			break;
		case OPT_BASE + 66:
			cli.opts.offline = 1;
			break;
		case OPT_BASE + 67:
			cli.opts.cache_dir = optarg;
			break;
		case OPT_BASE + 68:
			cli.opts.mailto = optarg;
			break;
		case OPT_BASE + 69:
			cli.opts.crossref_url = optarg;
			break;
		case OPT_BASE + 70:
			cli.opts.datacite_url = optarg;
			break;
		case OPT_BASE + 71:
			cli.opts.doiorg_url = optarg;
			break;
		case OPT_BASE + 72: {
			char *end;

			cli.opts.timeout = strtod(optarg, &end);
			if (*end != '\0' || !(cli.opts.timeout > 0))
				usage_error("--timeout wants a number of seconds, not '%s'", optarg);
			break;
		}
		case OPT_BASE + 73: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end != '\0' || n < 0 || n > 20)
				usage_error("--retries wants a number from 0 to 20, not '%s'", optarg);
			cli.opts.max_retries = n == 0 ? -1 : (int)n;	/* 0 in the options is the default */
			break;
		}

		/* @case-text */
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("cvbib %s\n", CVBIB_VERSION);
			return EXIT_OK;
		case ':':
			usage_error("option '%s' needs an argument", argv[optind - 1]);
			break;
		default:
			if (optopt != 0) {
				char o[3] = { '-', (char)optopt, '\0' };

				usage_error("unknown option '%s'", o);
			}
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}

	b = cvbib_biblio_new();
	if (b == NULL) {
		fprintf(stderr, "cvbib: out of memory\n");
		return EXIT_SYSERR;
	}
	if (optind == argc) {
		static char dash[] = "-";
		static char *stdin_only[] = { dash, NULL };

		argv = stdin_only;
		argc = 1;
		optind = 0;
	}
	for (i = optind; i < argc; i++) {
		/* a bad entry is skipped, but an input that cannot be read at all
		 * stops the run before anything is written */
		if (cvbib_read_file(b, argv[i], cli.from, &cli.opts, &diags) != 0)
			read_failed = 1;
		print_diags(&diags, shown, cli.verbose);
		shown = diags.n;
	}
	if (cli.to == CVBIB_FMT_AUTO)
		cli.to = default_output(cvbib_biblio_input_format(b));

	/* links between the inputs (BibTeX crossref/xdata across files) */
	cvbib_read_done(b, &cli.opts, &diags);
	print_diags(&diags, shown, cli.verbose);
	shown = diags.n;

	/* @stage-enrich: enrichment runs here, between reading and writing */
	enr.read_errors = diags.nerrors;
	if (enr.in_place) {
		if (argc - optind != 1 || strcmp(argv[optind], "-") == 0)
			usage_error("%s", "--in-place wants exactly one input file");
		if (cli.output != NULL)
			usage_error("%s", "--in-place and --output cannot be used together");
		cli.to = cvbib_biblio_input_format(b);
	}
	if (enr.refresh || enr.find) {
		struct progress pg;

		enrich_config(&cli.opts);
		memset(&pg, 0, sizeof(pg));
		pg.quiet = cli.opts.quiet;
		pg.tty = cli.opts.progress_tty;
		pg.dry_run = cli.opts.dry_run;
		pg.find = enr.find;
		cli.opts.refresh = enr.refresh;
		cli.opts.find_missing = enr.find;
		cli.opts.progress = show_progress;
		cli.opts.progress_ctx = &pg;
		cvbib_enrich(b, &cli.opts, &diags);
		print_diags(&diags, shown, cli.verbose);
		shown = diags.n;
	}
	if (cli.opts.dry_run) {
		/* the diff was the output */
		status = exit_status(&diags, cli.werror);
		cvbib_biblio_free(b);
		cvbib_diags_release(&diags);
		return status;
	}

	if (read_failed) {
		status = exit_status(&diags, cli.werror);
		cvbib_biblio_free(b);
		cvbib_diags_release(&diags);
		return status == EXIT_OK ? EXIT_INPUT : status;
	}
	/* the output is streamed: into a temporary file renamed into place only
	 * on success, or to standard output */
	if (enr.in_place && enr.read_errors > 0) {
		/* an entry that could not be read would be lost */
		rc = cvbib_write_to(b, cli.to, &cli.opts, discard_sink, NULL, &diags);
		print_diags(&diags, shown, cli.verbose);
		if (rc == 0)
			fprintf(stderr, "cvbib: %s: not rewritten in place: some of it could not be read\n",
			    argv[optind]);
	} else if (enr.in_place || (cli.output != NULL && strcmp(cli.output, "-") != 0)) {
		const char *path = enr.in_place ? argv[optind] : cli.output;
		cvbib_atomic *at;

		if (cvbib_atomic_open(&at, path) != 0) {
			fprintf(stderr, "cvbib: out of memory\n");
			cvbib_biblio_free(b);
			cvbib_diags_release(&diags);
			return EXIT_SYSERR;
		}
		rc = cvbib_write_to(b, cli.to, &cli.opts, cvbib_atomic_sink, at, &diags);
		print_diags(&diags, shown, cli.verbose);
		shown = diags.n;
		if (rc == 0)
			cvbib_atomic_commit(at, enr.in_place ? ".bak" : NULL, &diags);
		else
			cvbib_atomic_abort(at);
		print_diags(&diags, shown, cli.verbose);
	} else {
		int werr = 0;

		rc = cvbib_write_to(b, cli.to, &cli.opts, stdout_sink, &werr, &diags);
		print_diags(&diags, shown, cli.verbose);
		if (werr == 0 && rc == 0 && fflush(stdout) != 0)
			werr = errno;
		if (werr != 0) {
			fprintf(stderr, "cvbib: cannot write standard output: %s\n", strerror(werr));
			cvbib_biblio_free(b);
			cvbib_diags_release(&diags);
			return EXIT_SYSERR;
		}
	}
	status = exit_status(&diags, cli.werror);
	if (rc != 0 && status == EXIT_OK)
		status = rc == -CVBIB_EUNSUPP ? EXIT_UNSUPP : EXIT_SYSERR;
	cvbib_biblio_free(b);
	cvbib_diags_release(&diags);
	return status;
}
