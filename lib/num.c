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

/*
 * The digits of n / 10^k at out, |n| < 10^15; n ends in a zero only
 * when k is 0, so there are no trailing zeros to drop.
 */
static void
put_scaled(char *out, long long n, int k)
{
	char digits[24];
	unsigned long long a;
	int nd, i;
	char *p = out;

	a = n < 0 ? (unsigned long long)-n : (unsigned long long)n;
	nd = 0;
	do {
		digits[nd++] = (char)('0' + a % 10);
		a /= 10;
	} while (a > 0 || nd <= k);
	if (n < 0)
		*p++ = '-';
	for (i = nd - 1; i >= k; i--)
		*p++ = digits[i];
	if (k > 0) {
		*p++ = '.';
		for (i = k - 1; i >= 0; i--)
			*p++ = digits[i];
	}
	*p = '\0';
}

void
num_excel(char *out, double d)
{
	static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
	char tmp[NUM_TEXT_MAX];
	long long n;
	double a;
	int k;

	/*
	 * Without printf when d is the double nearest n / 10^k for a k of
	 * at most 6 and an |n| below 10^15: n and 10^k are exact, so their
	 * quotient is that double; the least such k leaves n without a
	 * trailing zero.  Those at most 15 digits are then what
	 * "%.15g" makes of d (15-digit decimals lie further apart than
	 * doubles) and what num_shortest() makes of it, and for
	 * 1e-4 <= |d| neither writes an exponent.
	 */
	a = fabs(d);
	if (a < 1e15 && a == floor(a) && d != 0) {
		put_scaled(out, (long long)d, 0);
		return;
	}
	if (a >= 1e-4 && a < 1e9) {
		for (k = 1; k <= 6; k++) {
			n = llround(d * pow10[k]);
			if ((double)n / pow10[k] == d) {
				put_scaled(out, n, k);
				return;
			}
		}
	}
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
