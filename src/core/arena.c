/*
 * arena.c - the per-bibliography bump allocator.
 *
 * Everything parsed from one input (items, names, dates, strings, source
 * locations) is carved from large blocks and released together by
 * cvb_arena_release().  It owns nothing else.  Allocation failure is sticky in
 * a->err so callers may check once.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#include "cvb_int.h"

#define ARENA_BLOCK	(64 * 1024)
/*
 * Once an arena holds ARENA_BIG_AFTER bytes (a large bibliography), it
 * grows by blocks of ARENA_BIG bytes mapped with their pages in place
 * (MAP_POPULATE): one system call instead of a page fault for each 4 kB
 * page as it is first written.  Page faults were a tenth of the time of
 * formatting 5,000 items.  Only the last block is partly used, so this
 * costs at most ARENA_BIG of memory; larger blocks put the BibTeX reader
 * over its memory target (issue 3: peak RSS under 10x the input).
 */
#define ARENA_BIG	(256 * 1024)
#define ARENA_BIG_AFTER	(1 * 1024 * 1024)

_Thread_local unsigned long cvb_nomem_count;

void
cvb_nomem(void)
{
	cvb_nomem_count++;
}

int
cvb_nomem_end(unsigned long start, int rc, struct cvbib_diags *d)
{
	if (cvb_nomem_count == start && rc != -CVBIB_ENOMEM)
		return rc;
	if (d != NULL && d->worst < CVBIB_SYSERR)
		cvb_diag(d, CVB_D_NOMEM, NULL, 0, 0, NULL);
	return -CVBIB_ENOMEM;
}

void *
cvb_arena_take_slow(struct cvb_arena *a, size_t n)
{
	struct cvb_arena_block *b = a->head;
	size_t need = (n + CVB_ARENA_ALIGN - 1) & ~(CVB_ARENA_ALIGN - 1);
	void *p;

	if (need < n) {
		a->err = CVBIB_ENOMEM;
		cvb_nomem();
		return NULL;
	}
	if (b == NULL || b->size - b->used < need) {
		bool oneoff = need > ARENA_BLOCK / 4;
		size_t size = oneoff ? need : ARENA_BLOCK;
		void *m = NULL;
		bool mapped = false;

#if defined(MAP_POPULATE) && defined(MAP_ANONYMOUS)
		if (!oneoff && a->total >= ARENA_BIG_AFTER) {
			m = mmap(NULL, ARENA_BIG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			if (m == MAP_FAILED)
				m = NULL;
			else {
				mapped = true;
				size = ARENA_BIG - sizeof(*b);
			}
		}
#endif
		if (m == NULL)
			m = malloc(sizeof(*b) + size);
		if ((b = m) == NULL) {
			a->err = CVBIB_ENOMEM;
			cvb_nomem();
			return NULL;
		}
		b->mapped = mapped;
		b->used = 0;
		b->size = size;
		a->total += size;
		if (oneoff && a->head != NULL) {
			/* a big one-off block: keep filling the current head */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	return p;
}

char *
cvb_arena_strndup(struct cvb_arena *a, const char *s, size_t n)
{
	char *p = cvb_arena_take(a, n + 1);	/* all of it is written below */

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
cvb_arena_strdup(struct cvb_arena *a, const char *s)
{
	return s == NULL ? NULL : cvb_arena_strndup(a, s, strlen(s));
}

char *
cvb_arena_printf(struct cvb_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = cvb_arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
cvb_arena_release(struct cvb_arena *a)
{
	struct cvb_arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
#ifdef MAP_POPULATE
		if (b->mapped) {
			munmap(b, ARENA_BIG);
			continue;
		}
#endif
		free(b);
	}
	a->head = NULL;
	a->total = 0;
}

void
cvb_arena_reset(struct cvb_arena *a)
{
	struct cvb_arena_block *b = a->head;

	if (b == NULL || b->size != ARENA_BLOCK) {
		cvb_arena_release(a);
		return;
	}
	a->head = b->next;
	cvb_arena_release(a);
	b->next = NULL;
	b->used = 0;
	a->head = b;
	a->total = b->size;
}
