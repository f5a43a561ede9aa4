/*
 * crossref.c - HTTP transfers for DOI enrichment: the only file that includes
 * <curl/curl.h>.
 *
 * It runs a queue of GET requests through one curl multi handle and owns
 * everything about being a polite client:
 *  - one pool per origin (scheme://host:port) with a request rate and a
 *    concurrency limit, seeded with conservative defaults and then re-read from
 *    every response's x-rate-limit-limit / x-rate-limit-interval /
 *    x-concurrency-limit headers;
 *  - retries with exponential back-off and jitter on 429, 5xx and transport
 *    failures (timeouts, refused or reset connections, truncated bodies),
 *    honouring Retry-After; a 429 also halves the pool's rate for the rest of
 *    the run; no retry on other 4xx;
 *  - connect and total timeouts, a cap on the response size, gzip, TLS
 *    verification, redirects followed here (not by curl) so that every hop
 *    is checked;
 *  - with loopback_only (CVBIB_NO_NETWORK), refusal of any URL or socket that
 *    is not 127.0.0.0/8 or ::1.
 * It knows nothing about DOIs or JSON: enrich.c builds the URLs and reads the
 * answers.  It prints nothing; every outcome is in the request.
 *
 * libcurl is loaded with dlopen() the first time it is needed, not linked: with
 * its TLS, Kerberos and LDAP libraries it costs every run about 6 MB of memory
 * and 4 ms of start-up, and most runs never touch the network.  The library
 * is the one the build compiled against (CVB_CURL_SONAME), or the file named
 * by CVBIB_LIBCURL.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dlfcn.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "cvb_int.h"

#ifndef CVB_CURL_SONAME
#define CVB_CURL_SONAME "libcurl.so.4"
#endif

/* The libcurl functions this file calls, found by curl_load(). */
#define LC_FUNCS(X) \
	X(global_init) X(global_cleanup) X(easy_init) X(easy_cleanup) X(easy_setopt) \
	X(easy_getinfo) X(easy_strerror) X(multi_init) X(multi_cleanup) X(multi_setopt) \
	X(multi_add_handle) X(multi_remove_handle) X(multi_perform) X(multi_info_read) \
	X(multi_poll) X(slist_append) X(slist_free_all) X(version_info)
static struct {
	bool	 tried, ok;
	char	 err[300];
#define LC_FN(name) __typeof__(curl_##name) *name;
	LC_FUNCS(LC_FN)
#undef LC_FN
} lc;

/* Loads libcurl once (file, else the one built against); false (and lc.err
 * says why) when it cannot be used. */
static bool
curl_load(const char *file)
{
	void *dl;

	if (file == NULL || *file == '\0')
		file = CVB_CURL_SONAME;
	if (lc.tried)
		return lc.ok;
	lc.tried = true;
	dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		const char *why = dlerror();

		snprintf(lc.err, sizeof(lc.err), "libcurl could not be loaded (%s)",
		    why != NULL ? why : file);
		return false;
	}
#define LC_SYM(name) \
	if ((*(void **)&lc.name = dlsym(dl, "curl_" #name)) == NULL) { \
		snprintf(lc.err, sizeof(lc.err), "%s is not a usable libcurl: it has no " \
		    "curl_" #name " (version 7.80 or later is needed)", file); \
		return false; \
	}
	LC_FUNCS(LC_SYM)
#undef LC_SYM
	lc.ok = true;
	return true;
}

const char *
cvb_http_init_error(void)
{
	return lc.err[0] != '\0' ? lc.err : "libcurl could not be initialised";
}

#define MAX_POOLS	8
#define MAX_REDIRECTS	5
#define GIVE_UP_AFTER	5	/* consecutive failed requests on one origin */
#define WINDOW		64	/* start times remembered per origin */
#define MAX_HDR_INTERVAL 10	/* seconds: the longest x-rate-limit-interval taken */

struct pool {
	char	*origin;
	double	 gap;		/* seconds between request starts */
	int	 conc;		/* requests in flight allowed */
	int	 inflight;
	int	 limit;		/* requests per window (x-rate-limit-limit) */
	double	 starts[WINDOW];	/* ring of the last start times: when
					 * each request was sent, or until
					 * then when it was started */
	int	 nstarts, head;
	double	 next_at;	/* next_start(), kept up to date */
	double	 slowdown;	/* 1, doubled after each 429 (max 8) */
	int	 consecutive_fail;
	bool	 dead;		/* gave up on this origin */
	bool	 answered;	/* limits were read from an answer */
};

struct cvb_http {
	CURLM		*multi;
	struct cvb_http_conf conf;
	struct pool	 pools[MAX_POOLS];
	int		 npools;
	struct cvb_http_req *queue, **queue_tail;
	int		 inflight;
	uint64_t	 rng;
	struct curl_slist *accept_hdrs[4];
	bool		 global_inited;
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 0.5 .. 1.5 */
static double
jitter(struct cvb_http *h)
{
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return 0.5 + (double)(h->rng % 10000) / 10000.0;
}

/* "scheme://host[:port]" of url, or NULL when url is not http(s). */
static char *
url_origin(const char *url, char **hostp)
{
	const char *p, *h, *e;
	size_t n;

	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return NULL;
	h = p;
	e = p + strcspn(p, "/?#");
	if (memchr(h, '@', (size_t)(e - h)) != NULL)
		return NULL;	/* no credentials in URLs */
	n = (size_t)(e - url);
	if (hostp != NULL) {
		const char *he = e;

		if (*h == '[') {
			const char *rb = memchr(h, ']', (size_t)(e - h));

			if (rb == NULL)
				return NULL;
			*hostp = strndup(h + 1, (size_t)(rb - h - 1));
		} else {
			const char *colon = memchr(h, ':', (size_t)(e - h));

			if (colon != NULL)
				he = colon;
			*hostp = strndup(h, (size_t)(he - h));
		}
		if (*hostp == NULL)
			return NULL;
	}
	return strndup(url, n);
}

bool
cvb_http_url_is_loopback(const char *url)
{
	char *host = NULL, *origin = url_origin(url, &host);
	bool ok = false;

	if (origin != NULL && host != NULL) {
		struct in_addr a4;

		if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
			ok = true;
		else if (inet_pton(AF_INET, host, &a4) == 1)
			ok = (ntohl(a4.s_addr) >> 24) == 127;
	}
	free(origin);
	free(host);
	return ok;
}

static struct pool *
pool_for(struct cvb_http *h, const char *url, double default_gap)
{
	char *origin = url_origin(url, NULL);
	int i;

	if (origin == NULL)
		return NULL;
	for (i = 0; i < h->npools; i++)
		if (strcasecmp(h->pools[i].origin, origin) == 0) {
			free(origin);
			return &h->pools[i];
		}
	if (h->npools == MAX_POOLS) {
		free(origin);
		return &h->pools[MAX_POOLS - 1];
	}
	i = h->npools++;
	memset(&h->pools[i], 0, sizeof(h->pools[i]));
	h->pools[i].origin = origin;
	/* before the first answer: the public pool's 5/s or the polite pool's
	 * 10/s when a contact is set, and one request in flight until the
	 * answer's headers say how many are allowed */
	h->pools[i].gap = default_gap > 0 ? default_gap : h->conf.polite ? 0.1 : 0.2;
	h->pools[i].conc = 1;
	h->pools[i].slowdown = 1;
	h->pools[i].limit = (int)(1.0 / h->pools[i].gap + 0.5);
	return &h->pools[i];
}

/* Refuse sockets to anything but loopback (CVBIB_NO_NETWORK). */
static curl_socket_t
open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	bool ok = false;

	(void)clientp;
	(void)purpose;
	if (a->family == AF_INET) {
		const struct sockaddr_in *s = (const void *)&a->addr;

		ok = (ntohl(s->sin_addr.s_addr) >> 24) == 127;
	} else if (a->family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)&a->addr;

		ok = IN6_IS_ADDR_LOOPBACK(&s->sin6_addr);
	}
	if (!ok)
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

int
cvb_http_new(struct cvb_http **out, const struct cvb_http_conf *conf)
{
	struct cvb_http *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (h == NULL)
		return -CVBIB_ENOMEM;
	if (!curl_load(conf->libcurl)) {
		free(h);
		return -CVBIB_ENET;
	}
	if (lc.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(h);
		return -CVBIB_ENET;
	}
	h->global_inited = true;
	h->conf = *conf;
	if (h->conf.timeout <= 0)
		h->conf.timeout = 30;
	if (h->conf.connect_timeout <= 0 || h->conf.connect_timeout > h->conf.timeout)
		h->conf.connect_timeout = h->conf.timeout < 10 ? h->conf.timeout : 10;
	if (h->conf.max_size == 0)
		h->conf.max_size = 16u << 20;
	if (h->conf.backoff_base <= 0)
		h->conf.backoff_base = 1.0;
	if (h->conf.backoff_cap <= 0)
		h->conf.backoff_cap = 60.0;
	if (h->conf.max_retries < 0)
		h->conf.max_retries = 0;
	h->multi = lc.multi_init();
	if (h->multi == NULL) {
		cvb_http_free(h);
		return -CVBIB_ENOMEM;
	}
	lc.multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
	h->queue_tail = &h->queue;
	h->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20) ^ 0x9E3779B97F4A7C15ull;
	*out = h;
	return 0;
}

void
cvb_http_req_free(struct cvb_http_req *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->accept);
	cvbib_buf_release(&r->body);
	lc.slist_free_all((struct curl_slist *)r->hdrs);
	free(r);
}

void
cvb_http_free(struct cvb_http *h)
{
	int i;

	if (h == NULL)
		return;
	while (h->queue != NULL) {
		struct cvb_http_req *r = h->queue;

		h->queue = r->next;
		cvb_http_req_free(r);
	}
	if (h->multi != NULL)
		lc.multi_cleanup(h->multi);
	for (i = 0; i < h->npools; i++)
		free(h->pools[i].origin);
	if (h->global_inited)
		lc.global_cleanup();
	free(h);
}

struct cvb_http_req *
cvb_http_req_new(const char *url, const char *accept)
{
	struct cvb_http_req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->body = (struct cvb_buf)CVB_BUF_INIT;
	r->url = strdup(url);
	r->accept = strdup(accept ? accept : "application/json");
	r->slot = -1;
	if (r->url == NULL || r->accept == NULL) {
		cvb_http_req_free(r);
		return NULL;
	}
	return r;
}

static void
enqueue(struct cvb_http *h, struct cvb_http_req *r)
{
	r->next = NULL;
	*h->queue_tail = r;
	h->queue_tail = &r->next;
}

void
cvb_http_submit(struct cvb_http *h, struct cvb_http_req *r)
{
	r->status = 0;
	r->result = CVB_HTTP_OK;
	r->err[0] = '\0';
	enqueue(h, r);
}

static void
complete(struct cvb_http *h, struct cvb_http_req *r, enum cvb_http_result res)
{
	r->result = res;
	if (r->done != NULL)
		r->done(h, r);
	else
		cvb_http_req_free(r);
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct cvb_http_req *r = ud;
	size_t len = size * n;

	if (r->body.len + len > r->max_size) {
		r->toobig = true;
		return 0;
	}
	cvb_buf_add(&r->body, p, len);
	return r->body.err ? 0 : len;
}

static bool
hdr_is(const char *line, size_t len, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return false;
	*val = line + n + 1;
	while (**val == ' ' || **val == '\t')
		(*val)++;
	return true;
}

/* Retry-After: delta seconds or an HTTP date; -1: neither. */
static double
parse_retry_after(const char *v)
{
	struct tm tm;
	char *end;
	double s;

	s = strtod(v, &end);
	if (end != v && (*end == '\0' || isspace((unsigned char)*end)))
		return isnan(s) ? -1 : s < 0 ? 0 : s;
	memset(&tm, 0, sizeof(tm));
	if (strptime(v, "%a, %d %b %Y %H:%M:%S", &tm) != NULL) {
		time_t t = timegm(&tm), now = time(NULL);

		return t != (time_t)-1 && t > now ? (double)(t - now) : 0;
	}
	return -1;
}

/* A count of a header, 0 (none) to max: more is max, garbage or less is 0. */
static int
hdr_count(const char *v, int max)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || n <= 0)
		return 0;
	return n > max ? max : (int)n;
}

/*
 * One header line of an answer, as libcurl hands them over (one at a time,
 * with their CRLF; a status line starts the headers of a new answer): the
 * limits the server states, kept within bounds, so that a hostile or broken
 * server can make the client slower (by at most MAX_HDR_INTERVAL seconds a
 * request, before 429s double it) but not stop it: a rate of at most 1000
 * requests and at least one request per MAX_HDR_INTERVAL seconds, 1 to 16
 * at a time.  Retry-After is judged where it is used (a wait over twice the
 * back-off cap fails the request).
 */
void
cvb_http_header(struct cvb_http_req *r, const char *p, size_t len)
{
	char line[256];
	const char *v;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		r->h_limit = 0;
		r->h_interval = 0;
		r->h_conc = 0;
		r->retry_after = -1;
		return;
	}
	if (len >= sizeof(line) || memchr(p, '\0', len) != NULL)
		return;
	memcpy(line, p, len);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	line[len] = '\0';
	if (hdr_is(line, len, "x-rate-limit-limit", &v))
		r->h_limit = hdr_count(v, 1000);
	else if (hdr_is(line, len, "x-rate-limit-interval", &v)) {
		double s = strtod(v, NULL);	/* "1s" */

		r->h_interval = !(s > 0) ? 0 : s > MAX_HDR_INTERVAL ? MAX_HDR_INTERVAL : s;
	} else if (hdr_is(line, len, "x-concurrency-limit", &v))
		r->h_conc = hdr_count(v, 16);
	else if (hdr_is(line, len, "retry-after", &v))
		r->retry_after = parse_retry_after(v);
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	cvb_http_header(ud, p, size * n);
	return size * n;
}

static double next_start(const struct pool *);
static int pool_started(struct pool *, int, double);

static void
apply_limits(struct pool *pl, const struct cvb_http_req *r, bool polite)
{
	if (r->h_limit > 0) {
		double interval = r->h_interval > 0 ? r->h_interval : 1.0;
		int limit = r->h_limit > 1000 ? 1000 : r->h_limit;

		/* 2% under the limit, so that jitter never crosses it */
		pl->gap = interval / limit * 1.02 * pl->slowdown;
		pl->limit = limit;
		pl->next_at = next_start(pl);	/* the pace changed */
	}
	if (r->h_conc > 0)
		pl->conc = r->h_conc > 16 ? 16 : r->h_conc;
	else if (!pl->answered && polite)
		pl->conc = 3;	/* no header: the polite pool's observed limit */
	pl->answered = true;
}

/*
 * libcurl calls this when the request is about to go out, after the
 * connection is made: a slow connect or a late loop must not let requests
 * reach the server closer together than the pace allows, so the ring holds
 * the time each request was really sent.
 */
static int
on_prereq(void *data, char *ip, char *local_ip, int port, int local_port)
{
	struct cvb_http_req *r = data;

	(void)ip; (void)local_ip; (void)port; (void)local_port;
	if (r->pool != NULL && r->slot >= 0)
		(void)pool_started(r->pool, r->slot, now_mono());
	return CURL_PREREQFUNC_OK;
}

static int
start(struct cvb_http *h, struct cvb_http_req *r)
{
	CURL *e = lc.easy_init();
	struct curl_slist *hl = NULL;
	struct cvb_buf acc = CVB_BUF_INIT;

	if (e == NULL)
		return -1;
	cvb_buf_reset(&r->body);
	r->toobig = false;
	r->max_size = h->conf.max_size;
	r->retry_after = -1;
	r->h_limit = r->h_conc = 0;
	r->h_interval = 0;
	cvb_buf_addf(&acc, "Accept: %s", r->accept);
	if (!acc.err)
		hl = lc.slist_append(NULL, acc.buf);
	cvbib_buf_release(&acc);
	lc.slist_free_all((struct curl_slist *)r->hdrs);
	r->hdrs = hl;
	lc.easy_setopt(e, CURLOPT_URL, r->url);
	lc.easy_setopt(e, CURLOPT_HTTPHEADER, hl);
	lc.easy_setopt(e, CURLOPT_USERAGENT, h->conf.user_agent);
	lc.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	lc.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	lc.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	lc.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	lc.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(h->conf.connect_timeout * 1000));
	lc.easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(h->conf.timeout * 1000));
	lc.easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->conf.max_size);
	lc.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	lc.easy_setopt(e, CURLOPT_WRITEDATA, r);
	lc.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	lc.easy_setopt(e, CURLOPT_HEADERDATA, r);
	lc.easy_setopt(e, CURLOPT_PRIVATE, r);
	lc.easy_setopt(e, CURLOPT_ERRORBUFFER, r->err);
	lc.easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
	lc.easy_setopt(e, CURLOPT_PREREQDATA, r);
	if (h->conf.loopback_only)
		lc.easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	r->err[0] = '\0';
	if (lc.multi_add_handle(h->multi, e) != CURLM_OK) {
		lc.easy_cleanup(e);
		return -1;
	}
	r->easy = e;
	r->attempts++;
	return 0;
}

static bool
retryable_status(long s)
{
	return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static bool
retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_BAD_CONTENT_ENCODING:
		return true;
	default:
		return false;
	}
}

/*
 * Schedule a retry, or give up.  why describes the failure.  Every failed
 * attempt but a 429 (the server is alive, only busy) counts towards the
 * origin's cut-off, timeouts included: a server that accepts connections and
 * never answers is given up after GIVE_UP_AFTER attempts in a row, not after
 * that many lookups each with all its retries (issue 20).
 */
static void
retry_or_fail(struct cvb_http *h, struct cvb_http_req *r, struct pool *pl, const char *why,
    bool counts)
{
	double delay;

	snprintf(r->why, sizeof(r->why), "%s", why);
	if (counts && ++pl->consecutive_fail >= GIVE_UP_AFTER)
		pl->dead = true;
	if (r->attempts > h->conf.max_retries || pl->dead) {
		snprintf(r->err, sizeof(r->err), "%s (after %d attempt%s)", why,
		    r->attempts, r->attempts == 1 ? "" : "s");
		complete(h, r, CVB_HTTP_FAILED);
		return;
	}
	delay = h->conf.backoff_base * pow(2, r->attempts - 1) * jitter(h);
	if (delay > h->conf.backoff_cap)
		delay = h->conf.backoff_cap;
	if (r->retry_after >= 0) {
		if (r->retry_after > h->conf.backoff_cap * 2) {
			snprintf(r->err, sizeof(r->err), "%s; the server asked to wait %.0f s",
			    why, r->retry_after);
			complete(h, r, CVB_HTTP_FAILED);
			return;
		}
		if (delay < r->retry_after)
			delay = r->retry_after;
	}
	r->retries++;
	r->not_before = now_mono() + delay;
	enqueue(h, r);
}

static void
finish(struct cvb_http *h, CURL *e, CURLcode cc)
{
	struct cvb_http_req *r = NULL;
	struct pool *pl;
	long status = 0;
	char why[200];

	lc.easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	lc.easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	pl = r->pool;
	pl->inflight--;
	h->inflight--;
	r->easy = NULL;
	r->status = status;
	if (cc == CURLE_OK && status > 0)
		apply_limits(pl, r, h->conf.polite);
	if (cc == CURLE_OK && status >= 300 && status < 400) {
		char *loc = NULL;

		lc.easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc);
		if (loc != NULL && r->redirects < MAX_REDIRECTS) {
			char *nu = strdup(loc);

			lc.multi_remove_handle(h->multi, e);
			lc.easy_cleanup(e);
			if (nu == NULL) {
				complete(h, r, CVB_HTTP_FAILED);
				return;
			}
			r->redirects++;
			free(r->url);
			r->url = nu;
			if (h->conf.loopback_only && !cvb_http_url_is_loopback(nu)) {
				snprintf(r->err, sizeof(r->err),
				    "redirect to '%s' refused: not a loopback address", nu);
				complete(h, r, CVB_HTTP_REFUSED);
				return;
			}
			r->pool = pool_for(h, nu, r->default_gap);
			if (r->pool == NULL) {
				snprintf(r->err, sizeof(r->err), "redirect to '%s' refused", nu);
				complete(h, r, CVB_HTTP_REFUSED);
				return;
			}
			r->attempts--;	/* a redirect is not a failed attempt */
			r->not_before = 0;
			enqueue(h, r);
			return;
		}
	}
	lc.multi_remove_handle(h->multi, e);
	lc.easy_cleanup(e);
	r->slot = -1;
	if (cc == CURLE_OK) {
		if (status >= 200 && status < 300) {
			pl->consecutive_fail = 0;
			complete(h, r, CVB_HTTP_OK);
		} else if (retryable_status(status)) {
			if (status == 429 && pl->slowdown < 8) {
				pl->slowdown *= 2;
				pl->gap *= 2;
				pl->next_at = next_start(pl);
			}
			snprintf(why, sizeof(why), "HTTP %ld", status);
			retry_or_fail(h, r, pl, why, status != 429);
		} else {
			pl->consecutive_fail = 0;
			snprintf(r->err, sizeof(r->err), "HTTP %ld", status);
			complete(h, r, CVB_HTTP_STATUS);
		}
		return;
	}
	if (r->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(r->err, sizeof(r->err), "answer larger than %zu bytes", h->conf.max_size);
		complete(h, r, CVB_HTTP_TOOBIG);
		return;
	}
	snprintf(why, sizeof(why), "%.180s", r->err[0] ? r->err : lc.easy_strerror(cc));
	if (retryable_curl(cc))
		retry_or_fail(h, r, pl, why, true);
	else {
		snprintf(r->err, sizeof(r->err), "%s", why);
		complete(h, r, CVB_HTTP_FAILED);
	}
}

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * When the next request to an origin may start: no sooner than half a gap
 * after the latest start, and never so soon that the K latest starts and this
 * one (K = the limit, at most WINDOW) would fall within K gaps, i.e. within
 * the interval plus 2%.  The window keeps the average pace exact even when the
 * loop wakes up late, without ever letting a catch-up exceed the limit.  The
 * starts are send times (on_prereq), which a slow connect can reorder, so the
 * K-th latest is found by sorting a copy.
 */
static double
next_start(const struct pool *pl)
{
	int k = pl->limit < 1 ? 1 : pl->limit > WINDOW ? WINDOW : pl->limit;
	double t[WINDOW], next;
	int i;

	if (pl->nstarts == 0)
		return 0;
	for (i = 0; i < pl->nstarts; i++)
		t[i] = pl->starts[(pl->head - i + WINDOW) % WINDOW];
	qsort(t, (size_t)pl->nstarts, sizeof(t[0]), cmp_desc);
	next = t[0] + pl->gap / 2;
	if (pl->nstarts >= k && t[k - 1] + k * pl->gap > next)
		next = t[k - 1] + k * pl->gap;
	return next;
}

/* Records a start (slot < 0: a new one) or the send time of slot; returns the slot. */
static int
pool_started(struct pool *pl, int slot, double when)
{
	if (slot < 0) {
		pl->head = (pl->head + 1) % WINDOW;
		slot = pl->head;
		if (pl->nstarts < WINDOW)
			pl->nstarts++;
		pl->starts[slot] = when;
	} else if (when > pl->starts[slot])
		pl->starts[slot] = when;
	pl->next_at = next_start(pl);
	return slot;
}

int
cvb_http_run(struct cvb_http *h)
{
	while (h->queue != NULL || h->inflight > 0) {
		struct cvb_http_req **pp = &h->queue, *r;
		double now = now_mono(), wait = 0.5;
		CURLMsg *m;
		int running, left;
		bool progressed = false;

		while ((r = *pp) != NULL) {
			struct pool *pl = r->pool;

			if (pl == NULL) {
				if (h->conf.loopback_only && !cvb_http_url_is_loopback(r->url)) {
					*pp = r->next;
					if (*pp == NULL)
						h->queue_tail = pp;
					snprintf(r->err, sizeof(r->err),
					    "'%s' is not a loopback address and CVBIB_NO_NETWORK is set",
					    r->url);
					complete(h, r, CVB_HTTP_REFUSED);
					progressed = true;
					continue;
				}
				pl = r->pool = pool_for(h, r->url, r->default_gap);
				if (pl == NULL) {
					*pp = r->next;
					if (*pp == NULL)
						h->queue_tail = pp;
					snprintf(r->err, sizeof(r->err), "not an http(s) URL: '%s'", r->url);
					complete(h, r, CVB_HTTP_REFUSED);
					progressed = true;
					continue;
				}
			}
			if (pl->dead) {
				*pp = r->next;
				if (*pp == NULL)
					h->queue_tail = pp;
				snprintf(r->err, sizeof(r->err),
				    "not tried: %d requests in a row to %s failed", GIVE_UP_AFTER,
				    pl->origin);
				complete(h, r, CVB_HTTP_FAILED);
				progressed = true;
				continue;
			}
			if (r->not_before > now) {
				if (r->not_before - now < wait)
					wait = r->not_before - now;
				pp = &r->next;
				continue;
			}
			if (pl->inflight >= pl->conc) {
				pp = &r->next;
				continue;
			}
			if (pl->next_at > now) {
				if (pl->next_at - now < wait)
					wait = pl->next_at - now;
				pp = &r->next;
				continue;
			}
			*pp = r->next;
			if (*pp == NULL)
				h->queue_tail = pp;
			if (start(h, r) != 0) {
				snprintf(r->err, sizeof(r->err), "cannot start a transfer");
				complete(h, r, CVB_HTTP_FAILED);
				progressed = true;
				continue;
			}
			r->slot = pool_started(pl, -1, now);
			pl->inflight++;
			h->inflight++;
			progressed = true;
		}
		lc.multi_perform(h->multi, &running);
		while ((m = lc.multi_info_read(h->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE) {
				finish(h, m->easy_handle, m->data.result);
				progressed = true;
			}
		if (progressed)
			continue;
		if (wait < 0.001)
			wait = 0.001;
		lc.multi_poll(h->multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	}
	return 0;
}

/* Percent-encode s for a URL path or query; bytes in keep stay as they are. */
void
cvb_url_escape(struct cvb_buf *out, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
		    (keep != NULL && c != 0 && strchr(keep, c) != NULL))
			cvb_buf_addch(out, c);
		else {
			cvb_buf_addch(out, '%');
			cvb_buf_addch(out, hex[c >> 4]);
			cvb_buf_addch(out, hex[c & 15]);
		}
	}
}

const char *
cvb_http_curl_version(const char *libcurl)
{
	if (!curl_load(libcurl))
		return "unknown";
	return lc.version_info(CURLVERSION_NOW)->version;
}
