/* check.h - the unit-test harness: CHECK(cond, ...) and a closing summary. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
static int check_pass, check_fail;
#define CHECK(cond, ...) do {						\
	if (cond) check_pass++;						\
	else {								\
		check_fail++;						\
		fprintf(stdout, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stdout, __VA_ARGS__);				\
		fputc('\n', stdout);					\
	}								\
} while (0)
#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	CHECK(a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0,		\
	    "%s: got \"%s\", want \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
} while (0)
static int
check_report(void)
{
	printf("%d passed, %d failed\n", check_pass, check_fail);
	return check_fail != 0;
}
#endif
