/*
 * A small TAP producer for unit tests: ok(), is_int(), is_str(),
 * tap_done().  A failure prints file:line, what was got and what was
 * wanted, as git's test-lib.h does.  Header-only: one test program is
 * one .c file.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;
static int tap_skipped __attribute__((__unused__));

static void __attribute__((__unused__))
tap_result(int pass, const char *file, int line, const char *name)
{
	tap_n++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_n, name);
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
}

#define ok(cond, name) tap_result((cond) != 0, __FILE__, __LINE__, (name))

#define is_int(got, want, name) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	tap_result(g_ == w_, __FILE__, __LINE__, (name));		\
	if (g_ != w_)							\
		printf("#   got:  %lld\n#   want: %lld\n", g_, w_);	\
} while (0)

#define is_str(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int p_ = (g_ == NULL && w_ == NULL) ||				\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	tap_result(p_, __FILE__, __LINE__, (name));			\
	if (!p_)							\
		printf("#   got:  '%s'\n#   want: '%s'\n",		\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

/* Skip a test that needs something absent (a file from ../shared). */
#define skip(name, why) do {						\
	tap_n++;							\
	tap_skipped++;							\
	printf("ok %d - %s # SKIP %s\n", tap_n, (name), (why));	\
} while (0)

static int __attribute__((__unused__))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
