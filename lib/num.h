/*
 * Numbers as text.
 */
#ifndef NUM_H
#define NUM_H

#include <stdint.h>

#define NUM_TEXT_MAX 40

/*
 * The shortest decimal text that reads back as d: "41.86",
 * "673.4300000000001", "13900000082" (an integral value never gets ".0"
 * or an exponent below 1e18).
 */
void	num_shortest(char *out, double d);
/* d rounded to 15 significant digits, as Excel shows it. */
void	num_excel(char *out, double d);
/*
 * strtonum(3) for Debian: parse a base-10 integer in [min, max].
 * Returns it, or 0 with *errstr set to "invalid", "too small" or
 * "too large".
 */
long long parse_int(const char *s, long long min, long long max,
	    const char **errstr);

#endif
