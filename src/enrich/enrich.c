/*
 * enrich.c - DOI enrichment: what to look up, how answers map to the model,
 * and how they are merged into the user's entries.
 *
 * For every entry with a DOI (in DOI, or found in URL or note) it fetches the
 * record from Crossref, or from DataCite for DataCite DOIs (known prefixes, or
 * the registration agency found through doi.org/ra), or by doi.org content
 * negotiation for other agencies.  With find_missing it searches Crossref with
 * query.bibliographic for entries without a DOI and accepts a candidate only
 * above the bar documented in doc/enrich.md.  Answers are mapped to a
 * detached item (never passing a service's own BibTeX or CSL through: titles
 * are re-built from the JSON with JATS/HTML/MathML converted by libxml2), then
 * merged: missing fields are filled; with overwrite, the listed fields are
 * replaced; the key, notes and fields the service does not know are never
 * touched.  Every change is a note diagnostic and a progress event.
 *
 * Transfers, rate limits and retries are crossref.c's; the cache is cache.c's.
 * This file prints nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "enrich_int.h"


/* ------------------------------------------------------------------ DOIs */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "10." + 4..9 digits (dot-separated sub-elements allowed) + "/" + suffix */
static size_t
doi_prefix_len(const char *s)
{
	size_t i = 3, digits = 0;

	if (strncmp(s, "10.", 3) != 0)
		return 0;
	while (isdigit((unsigned char)s[i]) || (s[i] == '.' && digits > 0 && isdigit((unsigned char)s[i + 1]))) {
		if (s[i] != '.')
			digits++;
		i++;
	}
	if (digits < 4 || s[i] != '/')
		return 0;
	return i;
}

bool
cvb_doi_normalize(const char *in, struct cvb_buf *out)
{
	static const char *const prefixes[] = {
		"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
		"doi.org/", "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/",
		"urn:doi:", "info:doi/", "doi:", "doi ",
	};
	struct cvb_buf t = CVB_BUF_INIT;
	const char *s = in;
	bool from_url = false, changed;
	size_t i, n, plen;
	int open_paren, open_br;

	cvb_buf_reset(out);
	if (in == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	do {
		changed = false;
		while (*s == '{' || *s == '<' || *s == '"')
			s++, changed = true;
		for (i = 0; i < CVB_ARRAY_SIZE(prefixes); i++) {
			n = strlen(prefixes[i]);
			if (strncasecmp(s, prefixes[i], n) == 0) {
				from_url |= strchr(prefixes[i], '/') != NULL && strncmp(prefixes[i], "info", 4) != 0;
				s += n;
				changed = true;
				while (isspace((unsigned char)*s))
					s++;
			}
		}
	} while (changed);
	/* percent-decode once when it came from a URL or looks encoded */
	for (; *s != '\0'; s++) {
		if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0 &&
		    (from_url || strncmp(s, "%2F", 3) == 0 || strncmp(s, "%2f", 3) == 0)) {
			cvb_buf_addch(&t, hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else if (isspace((unsigned char)*s))
			break;
		else
			cvb_buf_addch(&t, *s);
	}
	if (t.err) {
		cvbib_buf_release(&t);
		return false;
	}
	/* strip closing wrappers and trailing punctuation, keeping balanced () [] */
	for (;;) {
		char c;

		n = t.len;
		if (n == 0)
			break;
		c = t.buf[n - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '}' || c == '>' ||
		    c == '"' || c == '\'') {
			cvb_buf_setlen(&t, n - 1);
			continue;
		}
		if (c == ')' || c == ']') {
			open_paren = open_br = 0;
			for (i = 0; i < n; i++) {
				if (t.buf[i] == '(') open_paren++;
				else if (t.buf[i] == ')') open_paren--;
				else if (t.buf[i] == '[') open_br++;
				else if (t.buf[i] == ']') open_br--;
			}
			if ((c == ')' && open_paren < 0) || (c == ']' && open_br < 0)) {
				cvb_buf_setlen(&t, n - 1);
				continue;
			}
		}
		break;
	}
	plen = doi_prefix_len(t.buf);
	if (plen == 0 || t.len <= plen + 1) {
		cvbib_buf_release(&t);
		return false;
	}
	cvb_buf_add(out, t.buf, t.len);
	cvbib_buf_release(&t);
	return !out->err;
}

bool
cvb_doi_find(const char *text, struct cvb_buf *out)
{
	const char *p;

	cvb_buf_reset(out);
	if (text == NULL)
		return false;
	for (p = text; (p = strstr(p, "10.")) != NULL; p++) {
		const char *e;
		char *cand;
		bool ok;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))
			continue;
		if (doi_prefix_len(p) == 0)
			continue;
		e = p;
		while (*e != '\0' && !isspace((unsigned char)*e) && *e != '"' && *e != '<' &&
		    *e != '>' && *e != '?' && *e != '#' && *e != '}')
			e++;
		cand = strndup(p, (size_t)(e - p));
		if (cand == NULL)
			return false;
		/* a DOI inside a URL may be percent-encoded */
		{
			struct cvb_buf u = CVB_BUF_INIT;

			cvb_buf_addf(&u, "%s%s", strstr(text, "://") && p > text && p[-1] == '/' ?
			    "https://doi.org/" : "", cand);
			ok = !u.err && cvb_doi_normalize(u.buf, out);
			cvbib_buf_release(&u);
		}
		free(cand);
		if (ok)
			return true;
	}
	return false;
}

/* A DOI in a URL field: a doi.org link, or a publisher's .../doi/[abs/]10... */
static bool
doi_from_url(const char *url, struct cvb_buf *out)
{
	const char *p;

	if (url == NULL)
		return false;
	if (strcasestr(url, "doi.org/") != NULL)
		return cvb_doi_find(url, out);
	p = strcasestr(url, "/doi/");
	if (p != NULL)
		return cvb_doi_find(p, out);
	return false;
}

/* A DOI in a note: "doi:10...", "DOI 10...", or a doi.org link. */
static bool
doi_from_note(const char *note, struct cvb_buf *out)
{
	const char *p;

	if (note == NULL)
		return false;
	if ((p = strcasestr(note, "doi")) == NULL)
		return false;
	return cvb_doi_find(p, out);
}

/* ------------------------------------------------------ folding, similarity */

void
cvb_fold_text(struct cvb_buf *out, const char *s)
{
	struct cvb_buf plain = CVB_BUF_INIT;
	const char *p, *end;
	bool space = true;

	cvb_buf_reset(out);
	if (s == NULL)
		return;
	/* markup first: CSL rich text, and any HTML/JATS/MathML left over */
	cvb_markup_to_rich(&plain, s, true);
	p = plain.buf;
	end = p + plain.len;
	while (p < end) {
		uint32_t cp;
		int n;

		if (*p == '\\') {	/* a LaTeX command: drop its name */
			p++;
			while (p < end && isalpha((unsigned char)*p))
				p++;
			continue;
		}
		n = cvb_utf8_decode(p, (size_t)(end - p), &cp);
		if (cp < 0x80) {
			if (isalnum((int)cp)) {
				cvb_buf_addch(out, tolower((int)cp));
				space = false;
			} else if (!space && cp != '{' && cp != '}' && cp != '\'') {
				cvb_buf_addch(out, ' ');
				space = true;
			}
		} else if (cp >= 0x300 && cp <= 0x36F) {
			/* combining mark: dropped */
		} else if (cvb_uc_fold_ascii(cp) != NULL && *cvb_uc_fold_ascii(cp) != '\0') {
			const char *f;

			for (f = cvb_uc_fold_ascii(cp); *f != '\0'; f++)
				cvb_buf_addch(out, (char)tolower((unsigned char)*f));
			space = false;
		} else if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 || (cp >= 0x80 && cp < 0xC0) ||
		    cp == 0xD7 || cp == 0xF7 || cp == 0x3000 || cp == 0xFEFF) {
			if (!space)
				cvb_buf_addch(out, ' ');
			space = true;
		} else {
			cvb_buf_add(out, p, (size_t)n);
			space = false;
		}
		p += n;
	}
	while (out->len > 0 && out->buf[out->len - 1] == ' ')
		cvb_buf_setlen(out, out->len - 1);
	cvbib_buf_release(&plain);
}

/* 1 - Levenshtein distance / longer length, on bytes of folded strings. */
static double
similarity_folded(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i, j, *row, longer;
	double r;

	if (na > 2000)
		na = 2000;
	if (nb > 2000)
		nb = 2000;
	longer = na > nb ? na : nb;
	if (longer == 0)
		return 0;
	row = malloc((nb + 1) * sizeof(*row));
	if (row == NULL)
		return 0;
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	r = 1.0 - (double)row[nb] / (double)longer;
	free(row);
	return r;
}

double
cvb_title_similarity(const char *a, const char *b)
{
	struct cvb_buf fa = CVB_BUF_INIT, fb = CVB_BUF_INIT;
	double r;

	cvb_fold_text(&fa, a);
	cvb_fold_text(&fb, b);
	r = fa.err || fb.err ? 0 : similarity_folded(fa.buf, fa.len, fb.buf, fb.len);
	cvbib_buf_release(&fa);
	cvbib_buf_release(&fb);
	return r;
}

/* ---------------------------------------------------------- orchestration */

enum stage { ST_WORK, ST_RA, ST_DATACITE, ST_CN, ST_SEARCH };

struct enrich {
	cvbib_biblio	*b;
	const struct cvbib_options *o;
	struct cvbib_diags *d;
	struct cvb_http	*http;
	struct cvb_cache *cache;
	char		*crossref, *datacite, *doiorg;
	struct cvbib_enrich_progress pr;
};

struct job {
	struct enrich	*e;
	struct cvb_item	*it;
	char		*doi;		/* normalised; NULL for a search */
	char		*query;		/* for a search */
	enum stage	 stage;
	const char	*agency;	/* for ST_CN */
	const char	*source;	/* what the changes come from */
	bool		 alias;		/* the answer came through a redirect */
};

/* Prefixes that are DataCite's: asked there directly. */
static const char *const datacite_prefixes[] = {
	"10.48550",	/* arXiv */
	"10.5281",	/* Zenodo */
	"10.6084",	/* figshare */
	"10.5061",	/* Dryad */
	"10.1594",	/* PANGAEA */
	"10.17605",	/* OSF */
};

static const char *
item_key(const struct cvb_item *it)
{
	return it->key ? it->key : it->id ? it->id : "(no key)";
}

static char *
base_url(const char *opt, const char *def)
{
	const char *s = opt && *opt ? opt : def;
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		n--;
	return strndup(s, n);
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void
progress(struct enrich *e, enum cvbib_enrich_event ev)
{
	e->pr.event = ev;
	if (e->o->progress != NULL)
		e->o->progress(&e->pr, e->o->progress_ctx);
}

static void
job_free(struct job *j)
{
	free(j->doi);
	free(j->query);
	free(j);
}

/* The job is over: count it, tell the caller, free it. */
static void
job_end(struct job *j, const char *status)
{
	struct enrich *e = j->e;

	if (strcmp(status, "updated") == 0)
		e->pr.updated++;
	else if (strcmp(status, "unchanged") == 0)
		e->pr.unchanged++;
	else if (strcmp(status, "not found") == 0 || strcmp(status, "no match") == 0)
		e->pr.not_found++;
	else if (strcmp(status, "offline") == 0)
		e->pr.offline++;
	else
		e->pr.failed++;
	e->pr.done++;
	e->pr.key = item_key(j->it);
	e->pr.file = j->it->loc.file;
	e->pr.line = j->it->loc.line;
	e->pr.doi = j->doi;
	e->pr.source = j->source;
	e->pr.status = status;
	e->pr.field = e->pr.old_value = e->pr.new_value = NULL;
	progress(e, CVBIB_ENRICH_ITEM);
	job_free(j);
}

static void
jdiag(struct job *j, enum cvb_dcode code, const char *fmt, ...) CVB_PRINTF(3, 4);

static void
jdiag(struct job *j, enum cvb_dcode code, const char *fmt, ...)
{
	struct cvb_buf m = CVB_BUF_INIT;
	va_list ap;

	cvb_buf_addf(&m, "%s: ", item_key(j->it));
	va_start(ap, fmt);
	cvb_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	cvb_diag(j->e->d, code, j->it->loc.file, j->it->loc.line, j->it->loc.column, "%s", m.buf);
	cvbib_buf_release(&m);
}

static void
on_change(void *ctx, const char *field, const char *old, const char *nw)
{
	struct job *j = ctx;
	struct enrich *e = j->e;
	int w = 100;

	if (old == NULL)
		jdiag(j, CVB_D_ENRICH_FILLED, "%s = '%.*s%s' (%s)", field, w, nw,
		    strlen(nw) > (size_t)w ? "..." : "", j->source);
	else
		jdiag(j, CVB_D_ENRICH_REPLACED, "%s = '%.*s%s', was '%.*s%s' (%s)", field, w, nw,
		    strlen(nw) > (size_t)w ? "..." : "", w, old, strlen(old) > (size_t)w ? "..." : "",
		    j->source);
	e->pr.key = item_key(j->it);
	e->pr.file = j->it->loc.file;
	e->pr.line = j->it->loc.line;
	e->pr.doi = j->doi;
	e->pr.source = j->source;
	e->pr.field = field;
	e->pr.old_value = old;
	e->pr.new_value = nw;
	progress(e, CVBIB_ENRICH_CHANGE);
}

/*
 * Merge a record into the job's entry.  A record for another DOI is taken
 * only when the answer came through a redirect (Crossref's 301 for an alias
 * DOI, doc/enrich.md); a plain 200 for another DOI is unusable (issue 20).
 * Returns whether the record was used (so the answer may be cached).
 */
static bool
apply_record(struct job *j, struct cvb_item *rec)
{
	struct enrich *e = j->e;
	int n;

	if (rec == NULL) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the %s record for %s could not be read", j->source,
		    j->doi ? j->doi : "the search");
		job_end(j, "failed");
		return false;
	}
	if (rec->str[CVB_V_DOI] != NULL && j->doi != NULL && strcasecmp(j->doi, rec->str[CVB_V_DOI]) != 0) {
		char *d;

		if (!j->alias) {
			jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the %s answer for %s is the record of "
			    "another DOI, %s", j->source, j->doi, rec->str[CVB_V_DOI]);
			job_end(j, "failed");
			return false;
		}
		if ((d = strdup(rec->str[CVB_V_DOI])) != NULL) {
			free(j->doi);
			j->doi = d;
		}
	} else if (rec->str[CVB_V_DOI] != NULL && j->doi == NULL)
		j->doi = strdup(rec->str[CVB_V_DOI]);
	n = cvb_enrich_merge(e->b, j->it, rec, e->o->overwrite, !e->o->dry_run, on_change, j);
	if (n > 0 && !e->o->dry_run)
		j->it->flags |= CVB_IF_CHANGED;	/* an in-place rewrite writes it anew */
	job_end(j, n > 0 ? "updated" : "unchanged");
	return true;
}

static void issue(struct job *j);
static char *trim_answer(const char *body, size_t len, size_t *outlen);

static void
not_found(struct job *j, const char *where)
{
	jdiag(j, CVB_D_ENRICH_NOT_FOUND, "%s is not registered with %s", j->doi, where);
	job_end(j, "not found");
}

/* Choose among search results; see doc/enrich.md for the bar. */
static bool
answer_search(struct job *j, json_t *root)
{
	struct enrich *e = j->e;
	json_t *items = json_object_get(json_object_get(root, "message"), "items"), *c;
	json_t *best_pass = NULL, *second_pass = NULL, *best_any = NULL;
	struct cvb_buf why = CVB_BUF_INIT, best_why = CVB_BUF_INIT;
	size_t i;

	if (!json_is_array(items)) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the search answer has no result list");
		job_end(j, "failed");
		return false;
	}
	json_array_foreach(items, i, c) {
		bool ok = cvb_enrich_judge(e->b, j->it, c, &why);

		if (best_any == NULL) {
			best_any = c;
			cvb_buf_add(&best_why, why.buf, why.len);
		}
		if (ok) {
			if (best_pass == NULL)
				best_pass = c;
			else if (second_pass == NULL && cvb_enrich_jstr(c, "DOI") && cvb_enrich_jstr(best_pass, "DOI") &&
			    strcasecmp(cvb_enrich_jstr(c, "DOI"), cvb_enrich_jstr(best_pass, "DOI")) != 0)
				second_pass = c;
		}
	}
	if (best_pass != NULL && second_pass != NULL) {
		double s1 = json_number_value(json_object_get(best_pass, "score"));
		double s2 = json_number_value(json_object_get(second_pass, "score"));

		if (s2 >= s1 * TIE_RATIO) {
			jdiag(j, CVB_D_ENRICH_NO_MATCH, "two candidates tie (%s, score %.2f; %s, score %.2f)",
			    cvb_enrich_jstr(best_pass, "DOI"), s1, cvb_enrich_jstr(second_pass, "DOI"), s2);
			best_pass = NULL;
			goto reject;
		}
	}
	if (best_pass != NULL) {
		struct cvb_item *rec = cvb_enrich_map_crossref(e->b, best_pass);

		j->doi = strdup(cvb_enrich_jstr(best_pass, "DOI"));
		jdiag(j, CVB_D_ENRICH_DOI_FOUND, "%s", j->doi ? j->doi : "?");
		cvbib_buf_release(&why);
		cvbib_buf_release(&best_why);
		return apply_record(j, rec);
	}
	if (best_any == NULL)
		jdiag(j, CVB_D_ENRICH_NO_MATCH, "the search found nothing");
	else
		jdiag(j, CVB_D_ENRICH_NO_MATCH, "best candidate %s '%s': %s", cvb_enrich_jstr(best_any, "DOI"),
		    cvb_enrich_jfirst(best_any, "title") ? cvb_enrich_jfirst(best_any, "title") : "", best_why.buf);
reject:
	cvbib_buf_release(&why);
	cvbib_buf_release(&best_why);
	job_end(j, "no match");
	return true;
}

/*
 * An answer (from the network or the cache) for the job's current stage.
 * status is 200, 301 (a 200 reached through a redirect: an alias DOI may
 * answer with its canonical DOI) or 404.  Returns whether the answer was
 * usable: a record that mapped, a definite "not registered", a result list.
 * Only such answers are cached (issue 20: invalid, truncated or captive-portal
 * answers were cached as good for 30 days).
 */
static bool
answer(struct job *j, long status, const char *body, size_t len)
{
	struct enrich *e = j->e;
	json_t *root;
	bool ok = true;

	j->alias = status == 301;
	if (status == 301)
		status = 200;
	root = status == 200 ? cvb_enrich_parse_body(body, len) : NULL;
	if (status == 200 && root == NULL) {
		jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the %s answer for %s is not JSON",
		    j->source, j->doi ? j->doi : "the search");
		job_end(j, "failed");
		return false;
	}
	switch (j->stage) {
	case ST_WORK:
		if (status == 200) {
			ok = apply_record(j, cvb_enrich_map_crossref(e->b, json_object_get(root, "message")));
		} else {
			/* not Crossref's: ask which agency registered it */
			j->stage = ST_RA;
			issue(j);
		}
		break;
	case ST_RA:
		if (status == 200) {
			const char *ra = cvb_enrich_jstr(json_array_get(root, 0), "RA");

			if (ra == NULL) {
				jdiag(j, CVB_D_ENRICH_BAD_ANSWER, "the registration agency answer for %s "
				    "names no agency", j->doi);
				job_end(j, "failed");
				ok = false;
			} else if (strcasecmp(ra, "Crossref") == 0 ||
			    strcasecmp(ra, "Invalid DOI") == 0 || strcasecmp(ra, "DOI does not exist") == 0 ||
			    strcasecmp(ra, "Unknown") == 0) {
				not_found(j, strcasecmp(ra, "Crossref") == 0 ? "Crossref" : "any agency");
			} else if (strcasecmp(ra, "DataCite") == 0) {
				j->stage = ST_DATACITE;
				j->source = "DataCite";
				issue(j);
			} else {
				j->stage = ST_CN;
				j->agency = cvb_arena_strdup(&e->b->arena, ra);
				j->source = j->agency;
				issue(j);
			}
		} else
			not_found(j, "any agency");
		break;
	case ST_DATACITE:
		if (status == 200)
			ok = apply_record(j, cvb_enrich_map_datacite(e->b, json_object_get(root, "data")));
		else
			not_found(j, "DataCite");
		break;
	case ST_CN:
		if (status == 200) {
			struct cvb_item *rec = cvb_enrich_map_csl(e->b, json_is_array(root) ? json_array_get(root, 0) : root);

			if (rec == NULL) {
				jdiag(j, CVB_D_ENRICH_AGENCY, "%s is registered with %s, which gave no CSL-JSON record",
				    j->doi, j->agency);
				job_end(j, "not found");
				ok = false;
			} else
				ok = apply_record(j, rec);
		} else {
			jdiag(j, CVB_D_ENRICH_AGENCY, "%s is registered with %s, which gave no CSL-JSON record",
			    j->doi, j->agency);
			job_end(j, "not found");
		}
		break;
	case ST_SEARCH:
		if (status == 200)
			ok = answer_search(j, root);
		else {
			jdiag(j, CVB_D_ENRICH_FAILED, "the search was answered with HTTP %ld", status);
			job_end(j, "failed");
		}
		break;
	}
	json_decref(root);
	return ok;
}

static void
on_done(struct cvb_http *h, struct cvb_http_req *r)
{
	struct job *j = r->data;
	struct enrich *e = j->e;
	(void)h;
	if (r->retries > 0)
		jdiag(j, CVB_D_ENRICH_RETRIED, "%d time%s (%s)", r->retries, r->retries == 1 ? "" : "s",
		    r->why);
	switch (r->result) {
	case CVB_HTTP_OK:
	case CVB_HTTP_STATUS:
		if (r->result == CVB_HTTP_OK || r->status == 404 || r->status == 410) {
			/* 301: a 200 reached through a redirect (an alias DOI) */
			long st = r->result != CVB_HTTP_OK ? 404 : r->redirects > 0 ? 301 : 200;

			/* the job may be over after answer(): only e and r remain.
			 * The cache key rides in data2; only a usable answer is kept. */
			if (answer(j, st, r->body.buf, r->body.len) && e->cache != NULL && r->kind == 1) {
				size_t tl = 0;
				char *t = st != 404 ? trim_answer(r->body.buf, r->body.len, &tl) : NULL;

				if (t != NULL)
					cvb_cache_put(e->cache, (const char *)r->data2, st, t, tl);
				else
					cvb_cache_put(e->cache, (const char *)r->data2, st,
					    st != 404 ? r->body.buf : "", st != 404 ? r->body.len : 0);
				free(t);
			}
			free(r->data2);
			r->data2 = NULL;
		} else {
			free(r->data2);
			r->data2 = NULL;
			jdiag(j, CVB_D_ENRICH_FAILED, "%s answered HTTP %ld for %s", j->source, r->status,
			    r->url);
			job_end(j, "failed");
		}
		break;
	case CVB_HTTP_REFUSED:
		free(r->data2);
		r->data2 = NULL;
		jdiag(j, CVB_D_ENRICH_REFUSED, "%s", r->err);
		job_end(j, "failed");
		break;
	default:
		free(r->data2);
		r->data2 = NULL;
		jdiag(j, CVB_D_ENRICH_FAILED, "%s: %s", r->url, r->err);
		job_end(j, "failed");
		break;
	}
	cvb_http_req_free(r);
}

/*
 * What goes into the cache: the answer without the bulky parts no mapping
 * reads (reference lists, licences, links, relations, usage counts), so that
 * a warm run parses kilobytes, not megabytes.  Falls back to the raw body.
 */
static char *
trim_answer(const char *body, size_t len, size_t *outlen)
{
	static const char *const crossref_drop[] = {
		"reference", "relation", "license", "link", "assertion", "funder", "indexed",
		"deposited", "content-domain", "update-policy", "reference-count",
		"references-count", "is-referenced-by-count", "resource", "journal-issue",
		"subject", "member", "prefix", "source", "alternative-id", "archive", "created",
		"clinical-trial-number", "issn-type", "isbn-type", "original-title",
	};
	static const char *const datacite_drop[] = {
		"relatedIdentifiers", "rightsList", "fundingReferences", "geoLocations",
		"citationsOverTime", "viewsOverTime", "downloadsOverTime", "references",
		"citations", "parts", "partOf", "versions", "versionOf", "xml", "sizes", "formats",
		"subjects", "contentUrl", "landingPage",
	};
	json_t *j = cvb_enrich_parse_body(body, len), *m, *a, *x;
	char *out;
	size_t i, k;

	if (!json_is_object(j) && !json_is_array(j)) {
		json_decref(j);
		return NULL;
	}
	m = json_object_get(j, "message");
	if (json_is_object(m)) {
		json_t *items = json_object_get(m, "items");

		if (json_is_array(items)) {
			json_array_foreach(items, i, x)
				for (k = 0; k < CVB_ARRAY_SIZE(crossref_drop); k++)
					json_object_del(x, crossref_drop[k]);
		} else
			for (k = 0; k < CVB_ARRAY_SIZE(crossref_drop); k++)
				json_object_del(m, crossref_drop[k]);
	}
	json_object_del(j, "included");
	a = json_object_get(json_object_get(j, "data"), "attributes");
	json_object_del(json_object_get(j, "data"), "relationships");
	if (json_is_object(a))
		for (k = 0; k < CVB_ARRAY_SIZE(datacite_drop); k++)
			json_object_del(a, datacite_drop[k]);
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (out != NULL)
		*outlen = strlen(out);
	return out;
}

/* Start the job's current stage: from the cache, or over the network. */
static void
issue(struct job *j)
{
	struct enrich *e = j->e;
	struct cvb_buf url = CVB_BUF_INIT, key = CVB_BUF_INIT;
	const char *accept = "application/json";
	struct cvb_http_req *r;
	char *body = NULL;
	size_t len = 0;
	long st = 0;

	switch (j->stage) {
	case ST_WORK:
		cvb_buf_addf(&url, "%s/works/", e->crossref);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "work:%s", j->doi);
		break;
	case ST_RA: {
		size_t plen = strcspn(j->doi, "/");

		cvb_buf_addf(&url, "%s/ra/%.*s", e->doiorg, (int)plen, j->doi);
		cvb_buf_addf(&key, "ra:%.*s", (int)plen, j->doi);
		break;
	}
	case ST_DATACITE:
		cvb_buf_addf(&url, "%s/dois/", e->datacite);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "datacite:%s", j->doi);
		break;
	case ST_CN:
		cvb_buf_addf(&url, "%s/", e->doiorg);
		cvb_url_escape(&url, j->doi, "/");
		cvb_buf_addf(&key, "csl:%s", j->doi);
		accept = "application/vnd.citationstyles.csl+json";
		break;
	case ST_SEARCH:
		cvb_buf_addf(&url, "%s/works?query.bibliographic=", e->crossref);
		cvb_url_escape(&url, j->query, NULL);
		cvb_buf_adds(&url, "&rows=5");
		cvb_buf_addf(&key, "search:%s", j->query);
		break;
	}
	if (url.err || key.err) {
		cvb_diag(e->d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		job_end(j, "failed");
		goto out;
	}
	if (j->stage != ST_SEARCH)
		lower(key.buf);
	if (e->cache != NULL && cvb_cache_get(e->cache, key.buf, e->o->offline != 0, &st, &body, &len)) {
		answer(j, st, body, len);
		free(body);
		goto out;
	}
	if (e->o->offline) {
		jdiag(j, CVB_D_ENRICH_OFFLINE, "%s", j->doi ? j->doi : j->query);
		job_end(j, "offline");
		goto out;
	}
	if (e->http == NULL) {	/* the network layer could not start: said once */
		job_end(j, "failed");
		goto out;
	}
	r = cvb_http_req_new(url.buf, accept);
	if (r == NULL) {
		job_end(j, "failed");
		goto out;
	}
	r->done = on_done;
	r->data = j;
	/* DataCite allows identified clients 1,000 requests in 5 minutes and
	 * sends no rate headers: stay under 3 a second */
	if (j->stage == ST_DATACITE)
		r->default_gap = 0.34;
	r->kind = 1;
	r->data2 = cvbib_buf_detach(&key, NULL);
	cvb_http_submit(e->http, r);
out:
	cvbib_buf_release(&url);
	cvbib_buf_release(&key);
}

/* The query for an entry without a DOI: title, first author, year, container. */
static char *
search_query(const struct cvb_item *it)
{
	struct cvb_buf q = CVB_BUF_INIT;
	const struct cvb_name *n = it->names[CVB_NV_AUTHOR] ? it->names[CVB_NV_AUTHOR] : it->names[CVB_NV_EDITOR];

	if (it->str[CVB_V_TITLE] == NULL)
		return NULL;
	cvb_rich_plain(&q, it->str[CVB_V_TITLE]);
	if (n != NULL)
		cvb_buf_addf(&q, " %s", cvb_enrich_name_key(n));
	if (cvb_item_year(it) != 0)
		cvb_buf_addf(&q, " %d", cvb_item_year(it));
	if (it->str[CVB_V_CONTAINER_TITLE] != NULL) {
		cvb_buf_addch(&q, ' ');
		cvb_rich_plain(&q, it->str[CVB_V_CONTAINER_TITLE]);
	}
	return cvbib_buf_detach(&q, NULL);
}

int
cvbib_enrich(cvbib_biblio *b, const struct cvbib_options *opts, struct cvbib_diags *d)
{
	struct cvbib_options defaults;
	struct enrich e;
	struct job **jobs = NULL;
	struct cvb_buf doi = CVB_BUF_INIT, ua = CVB_BUF_INIT;
	size_t i, njobs = 0;
	bool refresh;
	int rc = 0;

	if (opts == NULL) {
		cvbib_options_init(&defaults);
		opts = &defaults;
	}
	memset(&e, 0, sizeof(e));
	e.b = b;
	e.o = opts;
	e.d = d;
	if (opts->overwrite != NULL && cvb_enrich_check_fields(opts->overwrite) != NULL) {
		cvb_diag(d, CVB_D_ENRICH_OPTION, NULL, 0, 0, "unknown field in --overwrite: '%s'",
		    cvb_enrich_check_fields(opts->overwrite));
		return -CVBIB_EUSAGE;
	}
	refresh = opts->refresh || !opts->find_missing;
	jobs = calloc(b->n ? b->n : 1, sizeof(*jobs));
	e.crossref = base_url(opts->crossref_url, "https://api.crossref.org");
	e.datacite = base_url(opts->datacite_url, "https://api.datacite.org");
	e.doiorg = base_url(opts->doiorg_url, "https://doi.org");
	if (jobs == NULL || e.crossref == NULL || e.datacite == NULL || e.doiorg == NULL) {
		rc = -CVBIB_ENOMEM;
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
		goto out;
	}
	/* what to look up */
	for (i = 0; i < b->n; i++) {
		struct cvb_item *it = b->items[i];
		struct job *j;
		bool have = false;

		if (it->str[CVB_V_DOI] != NULL && *it->str[CVB_V_DOI] != '\0') {
			have = cvb_doi_normalize(it->str[CVB_V_DOI], &doi);
			if (!have) {
				cvb_diag(d, CVB_D_ENRICH_BAD_DOI, it->loc.file, it->loc.line, it->loc.column,
				    "%s: '%s'", item_key(it), it->str[CVB_V_DOI]);
				continue;
			}
		} else {
			/* a DOI in the URL, the note, or a web page's link to the entry
			 * (the extra field "link": not printed, but a lead) */
			struct cvb_buf lk = CVB_BUF_INIT;

			have = doi_from_url(it->str[CVB_V_URL], &doi) ||
			    doi_from_note(it->str[CVB_V_NOTE], &doi) ||
			    doi_from_url(cvb_item_extra_text(it, "link", &lk), &doi);
			cvbib_buf_release(&lk);
		}
		if (have ? !refresh : !opts->find_missing)
			continue;
		j = calloc(1, sizeof(*j));
		if (j == NULL)
			break;
		j->e = &e;
		j->it = it;
		if (have) {
			size_t k, plen = strcspn(doi.buf, "/");

			j->doi = strdup(doi.buf);
			j->stage = ST_WORK;
			j->source = "Crossref";
			for (k = 0; k < CVB_ARRAY_SIZE(datacite_prefixes); k++)
				if (strlen(datacite_prefixes[k]) == plen &&
				    strncmp(doi.buf, datacite_prefixes[k], plen) == 0) {
					j->stage = ST_DATACITE;
					j->source = "DataCite";
				}
		} else {
			j->query = search_query(it);
			j->stage = ST_SEARCH;
			j->source = "Crossref search";
			if (j->query == NULL) {
				job_free(j);
				continue;
			}
		}
		jobs[njobs++] = j;
	}
	e.pr.total = njobs;
	e.pr.looked_up = njobs;
	progress(&e, CVBIB_ENRICH_BEGIN);
	if (njobs == 0)
		goto end;
	/* the cache, then the network */
	if (!opts->no_cache) {
		char *dir = opts->cache_dir && *opts->cache_dir ? strdup(opts->cache_dir) : NULL;

		if (dir != NULL)
			cvb_cache_open(&e.cache, dir, d);
		free(dir);
	}
	if (!opts->offline) {
		struct cvb_http_conf conf;

		if (opts->mailto == NULL || *opts->mailto == '\0')
			cvb_diag(d, CVB_D_ENRICH_NO_CONTACT, NULL, 0, 0, NULL);
		cvb_buf_addf(&ua, "cvbib/%s", CVBIB_VERSION);
		if (opts->mailto != NULL && *opts->mailto != '\0')
			cvb_buf_addf(&ua, " (mailto:%s)", opts->mailto);
		cvb_buf_addf(&ua, " libcurl/%s", cvb_http_curl_version(opts->libcurl));
		memset(&conf, 0, sizeof(conf));
		conf.user_agent = ua.buf;
		conf.timeout = opts->timeout > 0 ? opts->timeout : 30;
		conf.connect_timeout = 10;
		conf.max_retries = opts->max_retries == 0 ? 4 : opts->max_retries < 0 ? 0 :
		    opts->max_retries;
		conf.backoff_base = opts->backoff > 0 ? opts->backoff : 1.0;
		conf.backoff_cap = 60;
		conf.loopback_only = opts->loopback_only != 0;
		conf.libcurl = opts->libcurl;
		conf.polite = opts->mailto != NULL && *opts->mailto != '\0';
		if (cvb_http_new(&e.http, &conf) != 0) {
			cvb_diag(d, CVB_D_ENRICH_FAILED, NULL, 0, 0, "%s", cvb_http_init_error());
			e.http = NULL;
		}
	}
	/*
	 * Two waves: first one job per DOI (or query), then the entries that
	 * repeat one, which the cache then answers without asking again.
	 */
	{
		bool *later = calloc(njobs, sizeof(*later));
		size_t k;
		int wave;

		for (i = 0; later != NULL && i < njobs; i++)
			for (k = 0; k < i; k++)
				if (!later[k] && ((jobs[i]->doi && jobs[k]->doi &&
				    strcasecmp(jobs[i]->doi, jobs[k]->doi) == 0) ||
				    (jobs[i]->query && jobs[k]->query &&
				    strcmp(jobs[i]->query, jobs[k]->query) == 0))) {
					later[i] = true;
					break;
				}
		for (wave = 0; wave < 2; wave++) {
			for (i = 0; i < njobs; i++)
				if ((later != NULL && later[i]) == (wave == 1))
					issue(jobs[i]);
			if (e.http != NULL)
				cvb_http_run(e.http);
		}
		free(later);
	}
end:
	e.pr.key = e.pr.file = e.pr.doi = e.pr.source = e.pr.status = NULL;
	e.pr.field = e.pr.old_value = e.pr.new_value = NULL;
	progress(&e, CVBIB_ENRICH_END);
out:
	cvb_http_free(e.http);
	cvb_cache_close(e.cache);
	free(jobs);
	free(e.crossref);
	free(e.datacite);
	free(e.doiorg);
	cvbib_buf_release(&doi);
	cvbib_buf_release(&ua);
	return rc;
}
