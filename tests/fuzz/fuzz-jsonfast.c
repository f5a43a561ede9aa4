/*
 * fuzz-jsonfast.c - the short cut past jansson's lexer (json_fast.c) against
 * jansson: whatever the short cut takes, jansson must parse to the same tree
 * and end at the same byte; anything else aborts.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cvb_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t used = 0;
	json_t *f = cvb_json_fast_object((const char *)data, size, &used), *j;
	json_error_t err;
	char *df, *dj;
	int flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_COMPACT;

	if (f == NULL)
		return 0;
	j = json_loadb((const char *)data, size, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
	if (j == NULL || (size_t)err.position != used || !json_equal(f, j))
		abort();
	df = json_dumps(f, flags);
	dj = json_dumps(j, flags);
	if (df == NULL || dj == NULL || strcmp(df, dj) != 0)
		abort();
	free(df);
	free(dj);
	json_decref(f);
	json_decref(j);
	return 0;
}
