/*
 * Fuzz lib/norm.c's date and date-time parser.  The first byte picks
 * the day/month order and whether Excel serials are allowed, the rest
 * is the cell text.  Invariants for a parsed value: a real calendar
 * day, a time of day in range, a plausible UTC offset; written back as
 * "YYYY-MM-DD[ HH:MM:SS]" it parses again to the same value; an order
 * the text settles reads it too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "norm.h"
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
same_civil(const struct civil *a, const struct civil *b, int with_time)
{
	return a->y == b->y && a->m == b->m && a->d == b->d &&
	    (!with_time ||
		(a->hh == b->hh && a->mm == b->mm && a->ss == b->ss));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const enum date_order orders[] = {
	    ORDER_UNKNOWN, ORDER_DMY, ORDER_MDY, ORDER_UNKNOWN};
	char text[CIVIL_TEXT_MAX], *s;
	struct civil c, c2;
	enum date_order order, settles, settles2;
	const char *why;
	int rc, rc2, serial, has_time, has_time2, tz, tz2;

	if (n == 0)
		return 0;
	order = orders[data[0] & 3];
	serial = (data[0] >> 2) & 1;
	if ((s = malloc(n > 1 ? n - 1 : 1)) == NULL)
		abort();
	memcpy(s, data + 1, n - 1);
	rc = norm_datetime(
	    s, n - 1, order, serial, &c, &has_time, &tz, &settles, &why);
	FUZZ_ASSERT(rc == NORM_OK || rc == NORM_EMPTY || rc == NORM_BAD ||
	    rc == NORM_AMBIGUOUS);
	if (rc == NORM_BAD || rc == NORM_AMBIGUOUS)
		FUZZ_ASSERT(why != NULL && *why != '\0');
	if (rc == NORM_AMBIGUOUS)
		FUZZ_ASSERT(order == ORDER_UNKNOWN);
	if (rc != NORM_OK)
		goto out;
	FUZZ_ASSERT(civil_valid(c.y, c.m, c.d));
	FUZZ_ASSERT(c.hh >= 0 && c.hh <= 23 && c.mm >= 0 && c.mm <= 59 &&
	    c.ss >= 0 && c.ss <= 59);
	FUZZ_ASSERT(has_time || (c.hh == 0 && c.mm == 0 && c.ss == 0));
	FUZZ_ASSERT(tz == NO_TZ || (tz >= -18 * 60 && tz <= 18 * 60));

	/* Written back in the store's form, it reads the same. */
	civil_format(text, &c, has_time);
	rc2 = norm_datetime(text, strlen(text), ORDER_UNKNOWN, 0, &c2,
	    &has_time2, &tz2, &settles2, &why);
	if (rc2 != NORM_OK || !same_civil(&c, &c2, has_time))
		fprintf(stderr, "'%.*s' -> '%s' -> rc %d %04d-%02d-%02d\n",
		    (int)(n - 1), s, text, rc2, c2.y, c2.m, c2.d);
	FUZZ_ASSERT(rc2 == NORM_OK);
	FUZZ_ASSERT(same_civil(&c, &c2, has_time));
	FUZZ_ASSERT(has_time2 == has_time);
	FUZZ_ASSERT(tz2 == NO_TZ);

	/* The order the text itself settles reads it the same way. */
	if (order == ORDER_UNKNOWN && settles != ORDER_UNKNOWN) {
		rc2 = norm_datetime(s, n - 1, settles, serial, &c2, &has_time2,
		    &tz2, NULL, &why);
		FUZZ_ASSERT(rc2 == NORM_OK);
		FUZZ_ASSERT(same_civil(&c, &c2, has_time));
	}
out:
	free(s);
	return 0;
}
