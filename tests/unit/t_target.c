/*
 * Target periods: every way of writing a month, quarter or year that
 * target_period() accepts, its first and last days, and what it
 * refuses.
 */
#include <string.h>

#include "target.h"
#include "tap.h"

static void
check(const char *in, const char *period, const char *from, const char *to)
{
	char p[TPERIOD_MAX], f[TPERIOD_MAX], t[TPERIOD_MAX];
	const char *why;
	int rc;

	rc = target_period(in, strlen(in), p, f, t, &why);
	is_int(rc, 0, in);
	if (rc == 0) {
		is_str(p, period, in);
		is_str(f, from, in);
		is_str(t, to, in);
	}
}

static void
refuse(const char *in, const char *reason)
{
	char p[TPERIOD_MAX], f[TPERIOD_MAX], t[TPERIOD_MAX];
	const char *why = NULL;

	is_int(target_period(in, strlen(in), p, f, t, &why), -1, in);
	is_str(why, reason, in);
}

int
main(void)
{
	static const char no[] = "not a month, quarter or year";

	check("2026-03", "2026-03", "2026-03-01", "2026-03-31");
	check("2026/3", "2026-03", "2026-03-01", "2026-03-31");
	check("2026.04", "2026-04", "2026-04-01", "2026-04-30");
	check("202606", "2026-06", "2026-06-01", "2026-06-30");
	check("2026年3月", "2026-03", "2026-03-01", "2026-03-31");
	check(" 2026年12月 ", "2026-12", "2026-12-01", "2026-12-31");
	/* 2024 is a leap year, 2026 is not, 1900 was not. */
	check("2024年2月", "2024-02", "2024-02-01", "2024-02-29");
	check("2026-02", "2026-02", "2026-02-01", "2026-02-28");
	check("1900-02", "1900-02", "1900-02-01", "1900-02-28");
	/* Excel's date for a typed month. */
	check("2026-03-01", "2026-03", "2026-03-01", "2026-03-31");
	check("2026/3/1", "2026-03", "2026-03-01", "2026-03-31");
	check("2026Q1", "2026-Q1", "2026-01-01", "2026-03-31");
	check("2026-Q2", "2026-Q2", "2026-04-01", "2026-06-30");
	check("2026 q3", "2026-Q3", "2026-07-01", "2026-09-30");
	check("2026年Q4", "2026-Q4", "2026-10-01", "2026-12-31");
	check("2026年第一季度", "2026-Q1", "2026-01-01", "2026-03-31");
	check("2026年二季度", "2026-Q2", "2026-04-01", "2026-06-30");
	check("2026年第3季度", "2026-Q3", "2026-07-01", "2026-09-30");
	check("2026年4季", "2026-Q4", "2026-10-01", "2026-12-31");
	check("2026", "2026", "2026-01-01", "2026-12-31");
	check("2026年", "2026", "2026-01-01", "2026-12-31");
	check("2026年度", "2026", "2026-01-01", "2026-12-31");
	check("FY2026", "2026", "2026-01-01", "2026-12-31");

	refuse("2026-13", no);
	refuse("2026-00", no);
	refuse("2026Q0", no);
	refuse("2026Q5", no);
	refuse("2026年第五季度", no);
	refuse("2026年13月", no);
	refuse("26年3月", no);
	refuse("明年", no);
	refuse("", no);
	refuse("2026-03-15", "a day, not a month, quarter or year");
	refuse("2026-03-01x", no);
	refuse("2026年3月份", no);
	refuse("20260", no);
	return tap_done();
}
