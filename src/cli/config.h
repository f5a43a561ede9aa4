/*
 * config.h - the config file's "key = value" lines (doc: cvbib.1, FILES).
 *
 * main.c finds and reads the file; config_parse() takes its bytes, so that
 * tests/fuzz/fuzz-config.c can feed it.  Nothing here prints, exits or reads
 * the environment: problems go to the caller's warn function.
 */
#ifndef CVBIB_CLI_CONFIG_H
#define CVBIB_CLI_CONFIG_H

#include <stddef.h>
#include "cvbib.h"

struct config {
	const char	*path;		/* NULL: no file */
	int		 explicit;	/* named by --config */
	int		 worst;		/* exit status its problems call for */
	int		 warnings;
	char		**kv;		/* key, value, key, value, ..., NULL */
	size_t		 n;
};

/* One problem of line:column; arg (a key) may be NULL. */
typedef void config_warn_fn(void *ctx, unsigned line, unsigned column,
    const char *what, const char *arg);

/*
 * Parse len bytes of a config file into c (keys it does not know, lines with
 * no '=' and lines with a NUL byte are reported to warn, which may be NULL,
 * counted in c->warnings and skipped).  Returns 0, or -1 out of memory.
 */
int	config_parse(struct config *c, const char *buf, size_t len,
	    config_warn_fn *warn, void *ctx);
/* The last value of key in the file, or NULL. */
const char *config_get(const struct config *c, const char *key);
/* true, yes, on, 1 (letter case aside) */
int	config_truthy(const char *s);
/*
 * Apply the CV settings to o where the command line left them unset; the
 * file's highlights go after the command line's (*hl, *nhl: a malloc'd
 * NULL-terminated list).  Returns 0, or -1 out of memory.
 */
int	config_apply(const struct config *c, struct cvbib_options *o,
	    const char ***hl, size_t *nhl);
void	config_release(struct config *c);

#endif
