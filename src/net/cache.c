/*
 * cache.c - the enrichment lookup cache in SQLite.
 *
 * One table holds raw answers (HTTP status and body) keyed by the kind of
 * lookup and the normalised DOI or query ("work:10.1234/abc",
 * "search:<query>", "ra:10.48550", ...), with the time they were stored.
 * Found answers expire after CVB_CACHE_TTL_FOUND, not-found answers after the
 * shorter CVB_CACHE_TTL_NOTFOUND.  The database runs in WAL mode with a busy
 * timeout, so several cvbib processes can share it.  A file that is not a
 * database, or is corrupt, is moved aside (".corrupt") and rebuilt with a
 * warning; a cache that cannot be used at all only costs speed, never the run.
 * It knows nothing about what the answers mean.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "cvb_int.h"

struct cvb_cache {
	sqlite3		*db;
	sqlite3_stmt	*get, *put;
	char		*path;
	bool		 broken;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=NORMAL;"
	"CREATE TABLE IF NOT EXISTS answers("
	" key TEXT PRIMARY KEY,"
	" status INTEGER NOT NULL,"
	" body BLOB NOT NULL,"
	" stored INTEGER NOT NULL);";

/* mkdir -p */
static int
make_dirs(const char *dir)
{
	char *p = strdup(dir), *s;

	if (p == NULL)
		return -1;
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				free(p);
				return -1;
			}
			*s = '/';
		}
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

static void
close_db(struct cvb_cache *c)
{
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	c->get = c->put = NULL;
	if (c->db != NULL)
		sqlite3_close(c->db);
	c->db = NULL;
}

static int
open_db(struct cvb_cache *c)
{
	int rc;

	rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(c->db, 10000);
	rc = sqlite3_exec(c->db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->db,
		    "SELECT status, body, stored FROM answers WHERE key = ?1", -1, &c->get, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->db,
		    "INSERT OR REPLACE INTO answers(key, status, body, stored) VALUES(?1, ?2, ?3, ?4)",
		    -1, &c->put, NULL);
	return rc;
}

/* Move a damaged database aside. */
static void
move_aside(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s.corrupt", path);
	(void)rename(path, buf);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	(void)unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	(void)unlink(buf);
}

int
cvb_cache_open(struct cvb_cache **out, const char *dir, struct cvbib_diags *d)
{
	struct cvb_cache *c;
	struct cvb_buf path = CVB_BUF_INIT;
	int rc, tries;

	*out = NULL;
	if (make_dirs(dir) != 0) {
		cvb_diag(d, CVB_D_ENRICH_CACHE, dir, 0, 0,
		    "cannot create the directory (%s); running without a cache", strerror(errno));
		return -CVBIB_EIO;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -CVBIB_ENOMEM;
	cvb_buf_addf(&path, "%s/cache.sqlite", dir);
	c->path = cvbib_buf_detach(&path, NULL);
	if (c->path == NULL) {
		free(c);
		return -CVBIB_ENOMEM;
	}
	rc = open_db(c);
	/* Several processes creating the file at once: switching it to WAL takes
	 * a lock that SQLite may refuse at once instead of waiting for it. */
	for (tries = 0; tries < 100 && ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED);
	    tries++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		close_db(c);
		nanosleep(&ts, NULL);
		rc = open_db(c);
	}
	if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
		close_db(c);
		move_aside(c->path);
		cvb_diag(d, CVB_D_ENRICH_CACHE, c->path, 0, 0,
		    "the file was damaged; it was moved aside as '%s.corrupt' and rebuilt",
		    c->path);
		rc = open_db(c);
	}
	if (rc != SQLITE_OK) {
		cvb_diag(d, CVB_D_ENRICH_CACHE, c->path, 0, 0, "%s; running without a cache",
		    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		cvb_cache_close(c);
		return -CVBIB_EIO;
	}
	*out = c;
	return 0;
}

void
cvb_cache_close(struct cvb_cache *c)
{
	if (c == NULL)
		return;
	close_db(c);
	free(c->path);
	free(c);
}

int
cvb_cache_get(struct cvb_cache *c, const char *key, bool ignore_expiry,
    long *status, char **body, size_t *len)
{
	int rc, found = 0;

	if (c == NULL || c->broken)
		return 0;
	sqlite3_bind_text(c->get, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->get);
	if (rc == SQLITE_ROW) {
		long st = (long)sqlite3_column_int64(c->get, 0);
		int n = sqlite3_column_bytes(c->get, 1);
		const void *p = sqlite3_column_blob(c->get, 1);
		time_t stored = (time_t)sqlite3_column_int64(c->get, 2);
		long ttl = (st >= 200 && st < 300) || st == 301 ? CVB_CACHE_TTL_FOUND : CVB_CACHE_TTL_NOTFOUND;

		if (ignore_expiry || time(NULL) - stored < ttl) {
			*body = malloc((size_t)n + 1);
			if (*body != NULL) {
				if (n > 0)
					memcpy(*body, p, (size_t)n);
				(*body)[n] = '\0';
				*len = (size_t)n;
				*status = st;
				found = 1;
			}
		}
	} else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
		c->broken = true;
	}
	sqlite3_reset(c->get);
	sqlite3_clear_bindings(c->get);
	return found;
}

void
cvb_cache_put(struct cvb_cache *c, const char *key, long status, const char *body, size_t len)
{
	int rc;

	if (c == NULL || c->broken)
		return;
	sqlite3_bind_text(c->put, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c->put, 2, status);
	sqlite3_bind_blob(c->put, 3, body ? body : "", (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(c->put, 4, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(c->put);
	if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
		c->broken = true;
	sqlite3_reset(c->put);
	sqlite3_clear_bindings(c->put);
}
