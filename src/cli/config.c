/*
 * config.c - parse the config file's "key = value" lines from a buffer and
 * apply its CV settings (config.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config.h"

/* The keys the file may set: the CV settings and the enrichment settings. */
static const char *const config_keys[] = {
	"highlight", "group-by", "groups", "sort", "style", "locale", "latex-list", "owner-in-etal",
	"countdown", "group-prefix", "standalone", "dedupe",
	"mailto", "crossref-url", "datacite-url", "doi-url", "cache-dir", NULL
};

static int
add(struct config *c, const char *k, size_t klen, const char *v, size_t vlen)
{
	char **kv = realloc(c->kv, (c->n + 3) * sizeof(*kv));

	if (kv == NULL)
		return -1;
	c->kv = kv;
	if ((kv[c->n] = strndup(k, klen)) == NULL)
		return -1;
	if ((kv[c->n + 1] = strndup(v, vlen)) == NULL) {
		free(kv[c->n]);
		kv[c->n] = NULL;
		return -1;
	}
	c->n += 2;
	kv[c->n] = NULL;
	return 0;
}

static void
warn_at(struct config *c, config_warn_fn *warn, void *ctx, unsigned line, unsigned col,
    const char *what, const char *arg)
{
	c->warnings++;
	if (warn != NULL)
		warn(ctx, line, col, what, arg);
}

static int
blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

int
config_parse(struct config *c, const char *buf, size_t len, config_warn_fn *warn, void *ctx)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;

	while (p < end) {
		const char *line = p, *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol != NULL ? eol : end, *k = p, *ke, *eq, *v, *ve, *z;
		size_t i;

		lineno++;
		p = eol != NULL ? eol + 1 : end;
		while (le > k && le[-1] == '\r')
			le--;
		while (k < le && blank(*k))
			k++;
		if (k == le || *k == '#')
			continue;
		if ((z = memchr(k, '\0', (size_t)(le - k))) != NULL) {
			warn_at(c, warn, ctx, lineno, (unsigned)(z - line) + 1,
			    "a NUL byte: the line is ignored", NULL);
			continue;
		}
		eq = memchr(k, '=', (size_t)(le - k));
		if (eq == NULL) {
			warn_at(c, warn, ctx, lineno, 1, "expected 'key = value'", NULL);
			continue;
		}
		for (ke = eq; ke > k && blank(ke[-1]); ke--)
			;
		for (v = eq + 1; v < le && blank(*v); v++)
			;
		for (ve = le; ve > v && blank(ve[-1]); ve--)
			;
		for (i = 0; config_keys[i] != NULL; i++)
			if (strlen(config_keys[i]) == (size_t)(ke - k) &&
			    memcmp(config_keys[i], k, (size_t)(ke - k)) == 0)
				break;
		if (config_keys[i] == NULL) {
			char *u = strndup(k, (size_t)(ke - k));

			if (u == NULL)
				return -1;
			warn_at(c, warn, ctx, lineno, 1, "unknown key '%s', ignored", u);
			free(u);
			continue;
		}
		if (add(c, k, (size_t)(ke - k), v, (size_t)(ve - v)) != 0)
			return -1;
	}
	return 0;
}

const char *
config_get(const struct config *c, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < c->n; i += 2)
		if (strcmp(c->kv[i], key) == 0)
			v = c->kv[i + 1];
	return v;
}

int
config_truthy(const char *s)
{
	return s != NULL && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "on") == 0);
}

/* A setting the command line left unset, from the file. */
static void
fill(const char **opt, const struct config *c, const char *key)
{
	if (*opt == NULL)
		*opt = config_get(c, key);
}

static void
fill_flag(int *opt, const struct config *c, const char *key, int unset)
{
	const char *v = config_get(c, key);

	if (*opt <= unset && v != NULL)
		*opt = config_truthy(v);
}

int
config_apply(const struct config *c, struct cvbib_options *o, const char ***hl, size_t *nhl)
{
	size_t i;

	/* CV settings: the file's highlights come after the command line's */
	for (i = 0; i < c->n; i += 2)
		if (strcmp(c->kv[i], "highlight") == 0) {
			const char **v = realloc(*hl, (*nhl + 2) * sizeof(*v));

			if (v == NULL)
				return -1;
			*hl = v;
			v[(*nhl)++] = c->kv[i + 1];
			v[*nhl] = NULL;
			o->highlight = v;
		}
	fill(&o->group_by, c, "group-by");
	fill(&o->groups, c, "groups");
	fill(&o->sort, c, "sort");
	fill(&o->style, c, "style");
	fill(&o->locale, c, "locale");
	fill(&o->latex_list, c, "latex-list");
	fill(&o->owner_in_etal, c, "owner-in-etal");
	fill_flag(&o->countdown, c, "countdown", 0);
	fill_flag(&o->group_prefix, c, "group-prefix", 0);
	fill_flag(&o->standalone, c, "standalone", 0);
	fill_flag(&o->dedupe, c, "dedupe", -1);
	return 0;
}

void
config_release(struct config *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->kv[i]);
	free(c->kv);
	c->kv = NULL;
	c->n = 0;
}
