/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Minimal check helpers for the C unit tests: TAP-like lines on stdout. */
#ifndef PMEMCTL_TEST_TAP_H
#define PMEMCTL_TEST_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

#define check(cond, ...)						\
	do {								\
		tap_count++;						\
		if (cond) {						\
			printf("ok %d - ", tap_count);			\
		} else {						\
			tap_failed++;					\
			printf("not ok %d - %s:%d: ", tap_count,	\
			       __FILE__, __LINE__);			\
		}							\
		printf(__VA_ARGS__);					\
		putchar('\n');						\
	} while (0)

#define check_str(got, want, ...)					\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		check(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_,	\
		      __VA_ARGS__);					\
		if (g_ && w_ ? strcmp(g_, w_) != 0 : g_ != w_)		\
			printf("#   got \"%s\", want \"%s\"\n",	\
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");	\
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_count);
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* PMEMCTL_TEST_TAP_H */
