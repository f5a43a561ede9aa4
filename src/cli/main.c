/*
 * main.c - the cvbib command: options, library calls, diagnostics, exit status.
 *
 * This is the only file that prints or exits (config.c parses the config
 * file it reads).  It uses nothing but the public
 * header.  The exit status is derived from the worst diagnostic level reached
 * (see cvbib.1, EXIT STATUS).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cvbib.h"
#include "config.h"

/* Exit statuses, documented in cvbib.1 and README.md. */
enum {
	EXIT_OK = 0,		/* done; warnings may have been printed */
	EXIT_INPUT = 1,		/* some input was bad and skipped */
	EXIT_UNSUPP = 2,	/* input or option needs something not supported */
	EXIT_NETWORK = 3,	/* a lookup failed */
	EXIT_USAGE = 4,		/* bad command line */
	EXIT_SYSERR = 5,	/* out of memory, I/O error */
};

/* getopt_long's table (cli_longopts, cli_shortopts, enum cli_option) and the
 * options part of --help (cli_help), generated from src/cli/options.in, which
 * also gives the man page its OPTIONS section */
#include "gen_options.h"

static const char usage_head[] =
"usage: cvbib [OPTIONS] [FILE...]\n"
"\n"
"Read publication lists (BibTeX/biblatex, CSL-JSON/YAML, CV data, free-text CVs)\n"
"and write them as BibTeX, CSL-JSON/YAML or formatted reference lists.\n"
"FILE '-' or no FILE reads standard input.  -f/--from and -t/--to (--format)\n"
"are pandoc's.\n"
"\n";

static const char usage_tail[] =
"\n"
"Exit status: 0 success (warnings allowed), 1 bad input skipped, 2 unsupported,\n"
"3 network failure, 4 usage error, 5 system error.  See cvbib(1).\n";

struct cli {
	struct cvbib_options opts;
	enum cvbib_format from, to;
	const char	*output;
	const char	*config;	/* --config FILE */
	const char	**hl;		/* --highlight names, then the config file's */
	size_t		 nhl;
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

/* ---- the config file and the environment: the library reads neither; the
 * command reads them here and passes what they say in the options */

struct warn_ctx {
	const char	*path;
	int		 quiet;
};

static void
config_warn(void *ctx, unsigned line, unsigned column, const char *what, const char *arg)
{
	const struct warn_ctx *w = ctx;

	if (w->quiet)
		return;
	fprintf(stderr, "cvbib: %s:%u:%u: warning: config file: ", w->path, line, column);
	fprintf(stderr, what, arg != NULL ? arg : "");
	fputc('\n', stderr);
}

/* Read --config FILE, else $XDG_CONFIG_HOME/cvbib/config
 * (~/.config/cvbib/config); --config none reads nothing.  Problems are
 * reported as the library reports its own (FILE:LINE:COLUMN); config.c
 * parses what the file says. */
static void
config_read(struct config *c, const char *opt, int quiet)
{
	static char path[4096];
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct warn_ctx w;
	char *data = NULL;
	size_t len = 0, cap = 0, r;
	FILE *f;

	c->explicit = opt != NULL;
	if (opt != NULL)
		c->path = strcmp(opt, "none") == 0 ? NULL : opt;
	else if (x != NULL && *x != '\0') {
		snprintf(path, sizeof(path), "%s/cvbib/config", x);
		c->path = path;
	} else if (home != NULL && *home != '\0') {
		snprintf(path, sizeof(path), "%s/.config/cvbib/config", home);
		c->path = path;
	}
	if (c->path == NULL)
		return;
	f = fopen(c->path, "r");
	if (f == NULL) {
		if (c->explicit || errno != ENOENT) {
			fprintf(stderr, "cvbib: %s: error: cannot read the config file: %s\n",
			    c->path, strerror(errno));
			c->worst = EXIT_INPUT;
		}
		return;
	}
	do {
		if (len == cap) {
			char *d = realloc(data, cap = cap ? cap * 2 : 4096);

			if (d == NULL) {
				fprintf(stderr, "cvbib: out of memory\n");
				exit(EXIT_SYSERR);
			}
			data = d;
		}
		r = fread(data + len, 1, cap - len, f);
		len += r;
	} while (r > 0);
	if (ferror(f)) {
		fprintf(stderr, "cvbib: %s: error: cannot read the config file: %s\n",
		    c->path, strerror(errno));
		c->worst = EXIT_INPUT;
	} else {
		w.path = c->path;
		w.quiet = quiet;
		if (config_parse(c, data, len, config_warn, &w) != 0) {
			fprintf(stderr, "cvbib: out of memory\n");
			exit(EXIT_SYSERR);
		}
	}
	free(data);
	fclose(f);
}

/* Settings the command line left unset, from the environment, then the file. */
static void
setting(const char **opt, const char *env, const struct config *c, const char *key)
{
	const char *v;

	if (*opt != NULL)
		return;
	v = env != NULL ? getenv(env) : NULL;
	*opt = v != NULL && *v != '\0' ? v : config_get(c, key);
}

static void
enrich_config(struct cvbib_options *o, const struct config *c)
{
	const char *backoff = getenv("CVBIB_BACKOFF"), *nonet;

	setting(&o->mailto, "CVBIB_MAILTO", c, "mailto");
	setting(&o->crossref_url, "CVBIB_CROSSREF_URL", c, "crossref-url");
	setting(&o->datacite_url, "CVBIB_DATACITE_URL", c, "datacite-url");
	setting(&o->doiorg_url, "CVBIB_DOI_URL", c, "doi-url");
	setting(&o->cache_dir, "CVBIB_CACHE_DIR", c, "cache-dir");
	if (o->cache_dir == NULL) {
		/* $XDG_CACHE_HOME/cvbib, else ~/.cache/cvbib */
		static char dir[4096];
		const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

		if (x != NULL && *x == '/')
			snprintf(dir, sizeof(dir), "%s/cvbib", x);
		else if (home != NULL && *home != '\0')
			snprintf(dir, sizeof(dir), "%s/.cache/cvbib", home);
		if (dir[0] != '\0')
			o->cache_dir = dir;
	}
	if (backoff != NULL && atof(backoff) > 0)
		o->backoff = atof(backoff);
	/* the test suite's guard: nothing but loopback addresses */
	nonet = getenv("CVBIB_NO_NETWORK");
	o->loopback_only = nonet != NULL && *nonet != '\0' && strcmp(nonet, "0") != 0;
	o->libcurl = getenv("CVBIB_LIBCURL");
}

struct progress {
	int	 quiet, tty, dry_run, find;
	int	 ended;		/* the END event came: updated is final */
	size_t	 updated;
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
	if (p->event == CVBIB_ENRICH_END) {
		pg->ended = 1;
		pg->updated = p->updated;
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
		usage_error(opt[1] == 't' ? "unknown output format '%s'" : "unknown input format '%s'", s);
	return f;
}

/* The output format when none is given: the input's own kind. */
static enum cvbib_format
default_output(enum cvbib_format in)
{
	switch (in) {
	case CVBIB_FMT_BIBTEX:
	case CVBIB_FMT_BIBLATEX:
	case CVBIB_FMT_HAYAGRIVA:
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

/* --list-styles [PATTERN]: one style a line, its name and its title. */
static int
list_styles(const struct cvbib_options *o, const char *pattern)
{
	struct cvbib_style_info *v = NULL;
	size_t n = 0, i;

	if (cvbib_style_list(o, pattern, &v, &n) < 0) {
		fprintf(stderr, "cvbib: out of memory\n");
		return EXIT_SYSERR;
	}
	for (i = 0; i < n; i++)
		printf("%-44s %s%s\n", v[i].name, v[i].title ? v[i].title : "",
		    strcmp(v[i].where, "cvbib") == 0 ? " (cvbib)" : "");
	if (n == 0)
		fprintf(stderr, "cvbib: no style%s%s%s\n", pattern ? " matches '" : " found", pattern ? pattern : "",
		    pattern ? "'" : "");
	cvbib_style_list_free(v, n);
	return n ? 0 : 1;
}

/* The run's switches, beside the library's options. */
struct run_flags {
	int	 refresh, find, in_place;
	int	 read_errors;		/* errors reading, before enrichment */
};

/* --refresh, --find-dois: look the entries up, with a progress line. */
/* Returns how many entries were updated; -1 when the count is not known. */
static long
run_enrich(cvbib_biblio *b, struct cli *cli, const struct run_flags *enr, const struct config *conf,
    struct cvbib_diags *diags, size_t *shown)
{
	struct progress pg;

	enrich_config(&cli->opts, conf);
	memset(&pg, 0, sizeof(pg));
	pg.quiet = cli->opts.quiet;
	pg.tty = cli->opts.progress_tty;
	pg.dry_run = cli->opts.dry_run;
	pg.find = enr->find;
	cli->opts.refresh = enr->refresh;
	cli->opts.find_missing = enr->find;
	cli->opts.progress = show_progress;
	cli->opts.progress_ctx = &pg;
	cvbib_enrich(b, &cli->opts, diags);
	cli->opts.progress = NULL;	/* pg ends here */
	cli->opts.progress_ctx = NULL;
	print_diags(diags, *shown, cli->verbose);
	*shown = diags->n;
	return pg.ended ? (long)pg.updated : -1;
}

/*
 * Parse the command line into cli and enr.  Returns -1 when the run goes on,
 * or the exit status of a run that ends here (--help, --version,
 * --check-style, an error).  Long, but flat: one case per option of
 * src/cli/options.in, in its order and under its section markers.
 */
static int
parse_args(struct cli *cli, struct run_flags *enr, struct cvbib_diags *diags, int argc, char **argv)
{
	int c, status;

	opterr = 0;	/* our own messages, without argv[0] */
	while ((c = getopt_long(argc, argv, cli_shortopts, cli_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM:
			cli->from = format_arg(optarg, "-f");
			break;
		case OPT_TO:
			cli->to = format_arg(optarg, "-t");
			break;
		case OPT_OUTPUT:
			cli->output = optarg;
			break;
		case OPT_QUIET:
			cli->opts.quiet = 1;
			diags->minlevel = CVBIB_ERROR;
			break;
		case OPT_VERBOSE:
			cli->verbose = 1;
			break;
		case OPT_WERROR:
			cli->werror = 1;
			break;
		/* @case-bibtex */
		case OPT_ENCODING:
			cli->opts.encoding = optarg;
			break;
		case OPT_KEY_PATTERN:
			cli->opts.key_pattern = optarg;
			break;
		case OPT_NO_INHERIT:
			cli->opts.expand_crossref = 0;
			break;
		case OPT_ASCII:
			cli->opts.ascii = 1;
			break;
		case OPT_EXPLAIN:
			cli->opts.explain = 1;
			break;

		/* @case-csl */
		case OPT_STYLE:
			cli->opts.style = optarg;
			break;
		case OPT_LOCALE:
			cli->opts.locale = optarg;
			break;
		case OPT_STYLES_DIR:
			cli->opts.styles_dir = optarg;
			break;
		case OPT_LOCALES_DIR:
			cli->opts.locales_dir = optarg;
			break;
		case OPT_LIST_STYLES:
			if (optarg == NULL && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			return list_styles(&cli->opts, optarg);
		case OPT_CHECK_STYLE: {
			cvbib_style *st = NULL;

			cvbib_style_load(&st, optarg, cli->opts.locale, &cli->opts, diags);
			cvbib_style_free(st);
			print_diags(diags, 0, cli->verbose);
			status = exit_status(diags, cli->werror);
			cvbib_diags_release(diags);
			return status;
		}

		/* @case-cv */
		case OPT_HIGHLIGHT: {	/* --highlight, repeatable */
			const char **v = realloc(cli->hl, (cli->nhl + 2) * sizeof(*v));

			if (v == NULL) {
				fprintf(stderr, "cvbib: out of memory\n");
				return EXIT_SYSERR;
			}
			cli->hl = v;
			v[cli->nhl++] = optarg;
			v[cli->nhl] = NULL;
			cli->opts.highlight = v;
			break;
		}
		case OPT_GROUP_BY:
			cli->opts.group_by = optarg;
			break;
		case OPT_GROUPS:
			cli->opts.groups = optarg;
			break;
		case OPT_SORT:
			cli->opts.sort = optarg;
			break;
		case OPT_COUNTDOWN:
			cli->opts.countdown = 1;
			break;
		case OPT_GROUP_PREFIX:
			cli->opts.group_prefix = 1;
			break;
		case OPT_DEDUPE:
			cli->opts.dedupe = 1;
			break;
		case OPT_NO_DEDUPE:
			cli->opts.dedupe = 0;
			break;
		case OPT_STANDALONE:
			cli->opts.standalone = 1;
			break;
		case OPT_LATEX_LIST:
			cli->opts.latex_list = optarg;
			break;
		case OPT_OWNER_IN_ETAL:
			cli->opts.owner_in_etal = optarg;
			break;
		case OPT_LATEX_PREAMBLE:
			cli->opts.latex_preamble = 1;
			break;
		case OPT_CONFIG:
			cli->config = optarg;
			break;

		/* @case-enrich */
		case OPT_REFRESH:
			enr->refresh = 1;
			break;
		case OPT_FIND_DOIS:
			enr->find = 1;
			break;
		case OPT_OVERWRITE:
			cli->opts.overwrite = optarg != NULL && *optarg != '\0' ? optarg : "all";
			break;
		case OPT_DRY_RUN:
			cli->opts.dry_run = 1;
			break;
		case OPT_IN_PLACE:
			enr->in_place = 1;
			break;
		case OPT_NO_CACHE:
			cli->opts.no_cache = 1;
			break;
		case OPT_OFFLINE:
			cli->opts.offline = 1;
			break;
		case OPT_CACHE_DIR:
			cli->opts.cache_dir = optarg;
			break;
		case OPT_MAILTO:
			cli->opts.mailto = optarg;
			break;
		case OPT_CROSSREF_URL:
			cli->opts.crossref_url = optarg;
			break;
		case OPT_DATACITE_URL:
			cli->opts.datacite_url = optarg;
			break;
		case OPT_DOI_URL:
			cli->opts.doiorg_url = optarg;
			break;
		case OPT_TIMEOUT: {
			char *end;

			cli->opts.timeout = strtod(optarg, &end);
			if (*end != '\0' || !(cli->opts.timeout > 0))
				usage_error("--timeout wants a number of seconds, not '%s'", optarg);
			break;
		}
		case OPT_RETRIES: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end != '\0' || n < 0 || n > 20)
				usage_error("--retries wants a number from 0 to 20, not '%s'", optarg);
			cli->opts.max_retries = n == 0 ? -1 : (int)n;	/* 0 in the options is the default */
			break;
		}

		/* @case-text */
		case OPT_HELP:
			fputs(usage_head, stdout);
			fputs(cli_help, stdout);
			fputs(usage_tail, stdout);
			return EXIT_OK;
		case OPT_VERSION:
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

	return -1;
}

/* Does the file name end in ext (any case)? */
static int
name_ends(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e && strcasecmp(name + n - e, ext) == 0;
}

/*
 * Write b in cli->to: to standard output, to --output, or back into the one
 * input (--in-place), through a temporary file renamed into place only on
 * success.  The library's return code goes to *rc; returns EXIT_OK, or
 * EXIT_SYSERR when the output could not be written.
 */
static int
write_output(cvbib_biblio *b, struct cli *cli, const struct run_flags *enr, const char *input,
    struct cvbib_diags *diags, size_t *shown, int *rc)
{
	/* the output is streamed: into a temporary file renamed into place only
	 * on success, or to standard output */
	if (enr->in_place && enr->read_errors > 0) {
		/* an entry that could not be read would be lost */
		*rc = cvbib_write_to(b, cli->to, &cli->opts, discard_sink, NULL, diags);
		print_diags(diags, *shown, cli->verbose);
		if (*rc == 0)
			fprintf(stderr, "cvbib: %s: not rewritten in place: some of it could not be read\n",
			    input);
	} else if (cvbib_format_is_collection(cli->to) && cli->output != NULL &&
	    strcmp(cli->output, "-") != 0) {
		/* academicpages, Hugo Blox: one file per entry into the directory */
		*rc = cvbib_write_dir(b, cli->to, cli->output, &cli->opts, diags);
		print_diags(diags, *shown, cli->verbose);
		*shown = diags->n;
	} else if (enr->in_place || (cli->output != NULL && strcmp(cli->output, "-") != 0)) {
		const char *path = enr->in_place ? input : cli->output;
		cvbib_atomic *at;

		if (cvbib_atomic_open(&at, path) != 0) {
			fprintf(stderr, "cvbib: out of memory\n");
			return EXIT_SYSERR;
		}
		*rc = cvbib_write_to(b, cli->to, &cli->opts, cvbib_atomic_sink, at, diags);
		print_diags(diags, *shown, cli->verbose);
		*shown = diags->n;
		if (*rc == 0)
			cvbib_atomic_commit(at, enr->in_place ? ".bak" : NULL, diags);
		else
			cvbib_atomic_abort(at);
		print_diags(diags, *shown, cli->verbose);
	} else {
		int werr = 0;

		*rc = cvbib_write_to(b, cli->to, &cli->opts, stdout_sink, &werr, diags);
		print_diags(diags, *shown, cli->verbose);
		if (werr == 0 && *rc == 0 && fflush(stdout) != 0)
			werr = errno;
		if (werr != 0) {
			fprintf(stderr, "cvbib: cannot write standard output: %s\n", strerror(werr));
			return EXIT_SYSERR;
		}
	}
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static struct cli cli;		/* static: what they hold lives until exit */
	static struct config conf;
	int config_status = EXIT_OK;
	struct run_flags enr = { 0, 0, 0, 0 };
	struct cvbib_diags diags = CVBIB_DIAGS_INIT;
	cvbib_biblio *b;
	size_t shown = 0;
	int i, rc = 0, status, read_failed = 0;
	long updated = -1;	/* entries enrichment changed; -1: it did not run */

	memset(&cli, 0, sizeof(cli));
	memset(&conf, 0, sizeof(conf));
	cvbib_options_init(&cli.opts);
	csl_search_env(&cli.opts);
	cli.opts.progress_tty = isatty(2);
	if ((status = parse_args(&cli, &enr, &diags, argc, argv)) >= 0)
		return status;

	/* a file rewritten after lookups keeps what they did not change */
	if (enr.in_place && (enr.refresh || enr.find))
		cli.opts.keep_unchanged = 1;
	config_read(&conf, cli.config, cli.opts.quiet);
	if (config_apply(&conf, &cli.opts, &cli.hl, &cli.nhl) != 0) {
		fprintf(stderr, "cvbib: out of memory\n");
		return EXIT_SYSERR;
	}
	if (conf.worst != EXIT_OK || (cli.werror && conf.warnings > 0))
		config_status = EXIT_INPUT;

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
		if (cli.to == CVBIB_FMT_CSLYAML && !(enr.refresh || enr.find) &&
		    !name_ends(argv[optind], ".yaml") && !name_ends(argv[optind], ".yml")) {
			/* CSL items in a document's front matter (pandoc Markdown):
			 * written whole, the document would be lost */
			fprintf(stderr, "cvbib: %s: not rewritten in place: its CSL items are in a "
			    "document's front matter, which only lookups (--refresh) rewrite, item "
			    "by item\n", argv[optind]);
			cvbib_biblio_free(b);
			cvbib_diags_release(&diags);
			return EXIT_UNSUPP;
		}
	}
	if (enr.refresh || enr.find)
		updated = run_enrich(b, &cli, &enr, &conf, &diags, &shown);
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
	if (enr.in_place && updated == 0 && enr.read_errors == 0) {
		/* nothing looked up changed an entry: the file stays as it is,
		 * byte for byte */
		if (!cli.opts.quiet)
			fprintf(stderr, "cvbib: %s: not rewritten: no entry changed\n", argv[optind]);
		status = exit_status(&diags, cli.werror);
		cvbib_biblio_free(b);
		cvbib_diags_release(&diags);
		return status == EXIT_OK ? config_status : status;
	}
	status = write_output(b, &cli, &enr, optind < argc ? argv[optind] : "-", &diags, &shown, &rc);
	if (status != EXIT_OK) {
		cvbib_biblio_free(b);
		cvbib_diags_release(&diags);
		return status;
	}
	status = exit_status(&diags, cli.werror);
	if (status == EXIT_OK)
		status = config_status;
	if (rc != 0 && status == EXIT_OK)
		status = rc == -CVBIB_EUNSUPP ? EXIT_UNSUPP : EXIT_SYSERR;
	cvbib_biblio_free(b);
	cvbib_diags_release(&diags);
	return status;
}
