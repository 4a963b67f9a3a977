/*
 * Fuzz lib/norm.c's money parser (and the small number parsers next to
 * it).  The first byte picks the header's unit scale, the rest is the
 * cell text.  Invariants: a parsed amount written back as plain yuan
 * ("-1234.50") parses again to the same fen; a failure always says why;
 * a whole number printed again reads the same; decimals are finite.
 * The same text as an exchange rate (lib/fx.c): a rate read is positive,
 * written back with six places reads the same, and converting at it
 * agrees with the rounding worked out by hand.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "fuzz.h"
#include "fx.h"
#include "norm.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(NULL);
	return 0;
}

/* fen as yuan with two decimals, without overflow at INT64_MIN. */
static void
yuan_text(char *out, size_t n, int64_t fen)
{
	uint64_t mag;

	mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, n, "%s%" PRIu64 ".%02" PRIu64, fen < 0 ? "-" : "",
	    mag / 100, mag % 100);
}

static void
check_money(const char *s, size_t n, long scale)
{
	char cur[4], cur2[4], text[64];
	const char *why;
	int64_t fen, fen2;
	int rc;

	rc = norm_money(s, n, scale, &fen, cur, &why);
	FUZZ_ASSERT(rc == NORM_OK || rc == NORM_EMPTY || rc == NORM_BAD);
	if (rc == NORM_BAD)
		FUZZ_ASSERT(why != NULL && *why != '\0');
	if (rc != NORM_OK)
		return;
	FUZZ_ASSERT(strlen(cur) == 3);
	FUZZ_ASSERT(cur[0] >= 'A' && cur[0] <= 'Z' && cur[1] >= 'A' &&
	    cur[1] <= 'Z' && cur[2] >= 'A' && cur[2] <= 'Z');
	yuan_text(text, sizeof(text), fen);
	rc = norm_money(text, strlen(text), 1, &fen2, cur2, &why);
	if (rc != NORM_OK || fen2 != fen)
		fprintf(stderr,
		    "'%.*s' -> %" PRId64 " fen -> '%s' -> rc %d, "
		    "%" PRId64 " fen\n",
		    (int)n, s, fen, text, rc, fen2);
	FUZZ_ASSERT(rc == NORM_OK);
	FUZZ_ASSERT(fen2 == fen);
	FUZZ_ASSERT(strcmp(cur2, "CNY") == 0);
}

static void
check_numbers(const char *s, size_t n)
{
	struct buf id = {0};
	char text[32];
	const char *why;
	int64_t v, v2;
	double d;
	int rc, b;

	if ((rc = norm_int(s, n, &v, &why)) == NORM_OK) {
		snprintf(text, sizeof(text), "%" PRId64, v);
		FUZZ_ASSERT(norm_int(text, strlen(text), &v2, &why) == NORM_OK);
		FUZZ_ASSERT(v2 == v);
	} else if (rc == NORM_BAD)
		FUZZ_ASSERT(why != NULL);
	if (norm_decimal(s, n, &d, &why) == NORM_OK)
		FUZZ_ASSERT(isfinite(d));
	if (norm_bool(s, n, &b, &why) == NORM_OK)
		FUZZ_ASSERT(b == 0 || b == 1);
	if (norm_id(s, n, &id, &why) == NORM_BAD)
		FUZZ_ASSERT(why != NULL);
	buf_free(&id);
}

static void
check_rate(const char *s, size_t n)
{
	char *z, text[48];
	const char *why = NULL;
	int64_t micro, micro2, out, fen;

	z = malloc(n + 1);
	if (z == NULL)
		abort();
	memcpy(z, s, n);
	z[n] = '\0';
	if (fx_parse_rate(z, &micro, &why) < 0) {
		FUZZ_ASSERT(why != NULL && *why != '\0');
		free(z);
		return;
	}
	free(z);
	FUZZ_ASSERT(micro > 0 && micro <= INT64_C(1000000000000));
	snprintf(text, sizeof(text), "%" PRId64 ".%06" PRId64,
	    micro / 1000000, micro % 1000000);
	FUZZ_ASSERT(fx_parse_rate(text, &micro2, &why) == 0);
	FUZZ_ASSERT(micro2 == micro);
	/* 100 fen, one unit: the rate in fen, rounded half up. */
	FUZZ_ASSERT(fx_convert(100, micro, &out) == 0);
	FUZZ_ASSERT(out == (micro + 5000) / 10000);
	FUZZ_ASSERT(fx_convert(-100, micro, &out) == 0);
	FUZZ_ASSERT(out == -((micro + 5000) / 10000));
	/* Past int64 is refused, never wrapped. */
	fen = INT64_MAX;
	if (fx_convert(fen, micro, &out) == 0)
		FUZZ_ASSERT(micro <= 1000000 && out > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static const long scales[] = {1, 10000, 1000, 100000000};
	char *s;

	if (n == 0)
		return 0;
	/* A copy of exactly n bytes, so ASan sees any read past the end. */
	s = malloc(n > 1 ? n - 1 : 1);
	if (s == NULL)
		abort();
	memcpy(s, data + 1, n - 1);
	check_money(s, n - 1, scales[data[0] & 3]);
	check_numbers(s, n - 1);
	check_rate(s, n - 1);
	free(s);
	return 0;
}
