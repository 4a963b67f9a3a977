/*
 * Sales targets: the periods they are set for, as people write them.
 */
#ifndef TARGET_H
#define TARGET_H

#include <stddef.h>

#define TPERIOD_MAX	40	/* "2026-Q1", "2026-03-31" and room */

/*
 * Read a target's period: a month (2026-03, 2026/3, 2026.3, 202603,
 * 2026年3月, or the first of a month as Excel turns a typed month into
 * a date: 2026-03-01), a quarter (2026Q1, 2026-Q1, 2026 Q1, 2026年Q1,
 * 2026年第一季度, 2026年1季度) or a year (2026, 2026年, 2026年度).
 * Writes the normalized period (2026-03, 2026-Q1, 2026) and its first
 * and last days (YYYY-MM-DD) into the three buffers of TPERIOD_MAX.
 * Returns 0, or -1 with *why saying what is wrong.
 */
int	target_period(const char *s, size_t n, char *period, char *from,
	    char *to, const char **why);

#endif
