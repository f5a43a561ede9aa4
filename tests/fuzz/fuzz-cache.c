/*
 * fuzz-cache.c - the lookup cache file: the input is written as
 * cache.sqlite in a private directory, opened (a damaged file is moved aside
 * and rebuilt), read, written and closed; whatever a cached answer holds is
 * then mapped as a Crossref record.  A cache is a file any process (or a
 * crash, or a full disk) may have left in any state.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cvb_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void
rm(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
}

static void
cleanup(void)
{
	rm("cache.sqlite");
	rm("cache.sqlite-wal");
	rm("cache.sqlite-shm");
	rm("cache.sqlite.corrupt");
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "work:10.1234/x", "ra:10.1234", "search:q" };
	struct cvbib_diags d = CVBIB_DIAGS_INIT;
	struct cvb_cache *c = NULL;
	char path[128];
	FILE *f;
	size_t i;

	if (dir[0] == '\0') {
		if (mkdtemp(strcpy(dir, "/tmp/cvbib-fuzz-cache.XXXXXX")) == NULL)
			return 0;
		atexit(cleanup);
	}
	rm("cache.sqlite-wal");
	rm("cache.sqlite-shm");
	rm("cache.sqlite.corrupt");
	snprintf(path, sizeof(path), "%s/cache.sqlite", dir);
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (cvb_cache_open(&c, dir, &d) == 0) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			long st = 0;
			char *body = NULL;
			size_t len = 0;

			if (cvb_cache_get(c, keys[i], true, &st, &body, &len) == 1) {
				cvbib_biblio *b = cvbib_biblio_new();

				if (b != NULL)
					(void)cvb_enrich_map_text(b, CVB_SRC_CROSSREF, body, len);
				cvbib_biblio_free(b);
				free(body);
			}
		}
		cvb_cache_put(c, keys[0], 200, "{}", 2);
		cvb_cache_close(c);
	}
	cvbib_diags_release(&d);
	return 0;
}
