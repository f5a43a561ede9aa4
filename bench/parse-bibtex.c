/* bench/parse-bibtex.c - time the BibTeX reader alone (CPU time of one core,
 * best of 10): read each file
 * into a fresh bibliography and print MB/s (one core).  Built by
 * bench/bench-bibtex.sh against build/libcvbib.a. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cvbib.h"

int
main(int argc, char **argv)
{
	int i, rounds = 10, r;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		char *data;
		long len;
		struct timespec a, b;
		double best = 1e9;
		size_t items = 0;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0)
			return 1;
		rewind(f);
		data = malloc((size_t)len + 1);
		if (data == NULL || fread(data, 1, (size_t)len, f) != (size_t)len)
			return 1;
		fclose(f);
		for (r = 0; r < rounds; r++) {
			cvbib_biblio *bib = cvbib_biblio_new();
			struct cvbib_diags d = CVBIB_DIAGS_INIT;
			struct cvbib_options o;
			double t;

			cvbib_options_init(&o);
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
			cvbib_read(bib, data, (size_t)len, argv[i], CVBIB_FMT_BIBTEX, &o, &d);
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
			t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
			if (t < best)
				best = t;
			items = cvbib_biblio_count(bib);
			cvbib_biblio_free(bib);
			cvbib_diags_release(&d);
		}
		printf("%s\t%ld\t%zu\t%.4f\t%.1f\n", argv[i], len, items, best,
		    (double)len / 1e6 / best);
		free(data);
	}
	return 0;
}
