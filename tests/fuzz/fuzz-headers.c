/*
 * fuzz-headers.c - the headers of a registry's answer (issue 20: HTTP headers
 * were not fuzzed): the input is cut into lines as libcurl hands them to the
 * header callback (each with its CRLF) and fed to cvb_http_header(); after
 * each line, what the client takes from them must stay within its bounds
 * (a rate of 0-1000 requests per 0-10 s, 0-16 at a time, Retry-After -1 or
 * a number of seconds >= 0), so that no answer can make the client wait
 * without end or divide by zero.  A Location header's URL goes through the
 * loopback check that guards redirects.
 */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cvb_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvb_http_req r;
	const char *p = (const char *)data, *end = p + size;

	memset(&r, 0, sizeof(r));
	r.retry_after = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl + 1 - p) : (size_t)(end - p);

		cvb_http_header(&r, p, len);
		if (r.h_limit < 0 || r.h_limit > 1000 || r.h_conc < 0 || r.h_conc > 16 ||
		    isnan(r.h_interval) || r.h_interval < 0 || r.h_interval > 10 ||
		    isnan(r.retry_after) || (r.retry_after < 0 && r.retry_after != -1))
			abort();
		if (len > 9 && len < 4096 && strncasecmp(p, "location:", 9) == 0) {
			char *u = strndup(p + 9, len - 9);

			if (u != NULL) {
				u[strcspn(u, "\r\n")] = '\0';
				(void)cvb_http_url_is_loopback(u + strspn(u, " \t"));
				free(u);
			}
		}
		p += len;
	}
	return 0;
}
