/*
 * Shortest round-trip rendering of doubles and a strtonum() stand-in.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

void
num_shortest(char *out, double d)
{
	int prec;

	if (d == 0) {
		strcpy(out, "0");
		return;
	}
	if (!isfinite(d)) {
		strcpy(out, isnan(d) ? "NaN" : d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e18) {
		snprintf(out, NUM_TEXT_MAX, "%.0f", d);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(out, NUM_TEXT_MAX, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			break;
	}
}

void
num_excel(char *out, double d)
{
	char tmp[NUM_TEXT_MAX];

	if (d == 0 || !isfinite(d)) {
		num_shortest(out, d);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", d);
	num_shortest(out, strtod(tmp, NULL));
}

long long
parse_int(const char *s, long long min, long long max, const char **errstr)
{
	long long v;
	char *end;

	*errstr = NULL;
	errno = 0;
	if (s == NULL || *s == '\0') {
		*errstr = "invalid";
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (*end != '\0' || end == s) {
		*errstr = "invalid";
		return 0;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return 0;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return 0;
	}
	return v;
}
