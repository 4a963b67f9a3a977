/*
 * Fuzz lib/target.c's reader of target periods.  Invariants: a period
 * read is a month, quarter or year in the store's form (2026-03,
 * 2026-Q1, 2026) whose first and last days are real, in order and in
 * that year, and it reads again to itself with the same days; a
 * failure always says why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "target.h"
#include "xldate.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(NULL);
	return 0;
}

static int
real_day(const char *s, int *y)
{
	int m, d;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", y, &m, &d) == 3 &&
	    civil_valid(*y, m, d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char p[TPERIOD_MAX], f[TPERIOD_MAX], t[TPERIOD_MAX];
	char p2[TPERIOD_MAX], f2[TPERIOD_MAX], t2[TPERIOD_MAX];
	const char *why;
	char *s;
	int y1, y2;

	if ((s = malloc(n > 0 ? n : 1)) == NULL)
		abort();
	memcpy(s, data, n);
	if (target_period(s, n, p, f, t, &why) < 0) {
		FUZZ_ASSERT(why != NULL && *why != '\0');
		free(s);
		return 0;
	}
	FUZZ_ASSERT(strlen(p) == 4 || strlen(p) == 7);
	FUZZ_ASSERT(real_day(f, &y1) && real_day(t, &y2));
	FUZZ_ASSERT(y1 == y2 && strncmp(p, f, 4) == 0);
	FUZZ_ASSERT(strcmp(f, t) < 0);
	FUZZ_ASSERT(target_period(p, strlen(p), p2, f2, t2, &why) == 0);
	FUZZ_ASSERT(strcmp(p, p2) == 0 && strcmp(f, f2) == 0 &&
	    strcmp(t, t2) == 0);
	free(s);
	return 0;
}
