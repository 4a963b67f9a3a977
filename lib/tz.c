/*
 * Time zone conversions through the C library's zone database: the
 * zone is put in TZ once, so mktime() and localtime_r() do the work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "diag.h"
#include "tz.h"

static char zone[128] = TZ_DEFAULT;

int
tz_init(const char *z)
{
	char path[256];
	struct stat st;

	if (z == NULL && (z = getenv("SALES_TZ")) == NULL)
		z = TZ_DEFAULT;
	/* glibc silently falls back to UTC for an unknown name: check. */
	if (strcmp(z, "UTC") != 0 && z[0] != ':' && strchr(z, '/') != NULL) {
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", z);
		if (stat(path, &st) != 0) {
			diag_error(SX_USAGE, NULL, "unknown time zone '%s'",
			    diag_val(z));
			return -1;
		}
	}
	snprintf(zone, sizeof(zone), "%s", z);
	setenv("TZ", zone, 1);
	tzset();
	return 0;
}

const char *
tz_name(void)
{
	return zone;
}

int
tz_offset_at(const struct civil *c)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = c->y - 1900;
	tm.tm_mon = c->m - 1;
	tm.tm_mday = c->d;
	tm.tm_hour = c->hh;
	tm.tm_min = c->mm;
	tm.tm_sec = c->ss;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

void
tz_to_local(const struct civil *in, int tzmin, struct civil *out)
{
	struct tm tm, lt;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = in->y - 1900;
	tm.tm_mon = in->m - 1;
	tm.tm_mday = in->d;
	tm.tm_hour = in->hh;
	tm.tm_min = in->mm;
	tm.tm_sec = in->ss;
	t = timegm(&tm) - (time_t)tzmin * 60;
	localtime_r(&t, &lt);
	out->y = lt.tm_year + 1900;
	out->m = lt.tm_mon + 1;
	out->d = lt.tm_mday;
	out->hh = lt.tm_hour;
	out->mm = lt.tm_min;
	out->ss = lt.tm_sec;
}

/* n decimal digits of v (0 <= v < 10^n) at p; returns the end. */
static char *
put_digits(char *p, int v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

static int
in_range(int v, int max)
{
	return v >= 0 && v <= max;
}

void
tz_format_instant(char *out, const struct civil *c)
{
	char *p = out;
	int off, a;

	off = tz_offset_at(c);
	a = off < 0 ? -off : off;
	/* Without printf in the usual case: this runs once per activity. */
	if (in_range(c->y, 9999) && in_range(c->m, 99) && in_range(c->d, 99) &&
	    in_range(c->hh, 99) && in_range(c->mm, 99) && in_range(c->ss, 99) &&
	    a / 60 <= 99) {
		p = put_digits(p, c->y, 4);
		*p++ = '-';
		p = put_digits(p, c->m, 2);
		*p++ = '-';
		p = put_digits(p, c->d, 2);
		*p++ = 'T';
		p = put_digits(p, c->hh, 2);
		*p++ = ':';
		p = put_digits(p, c->mm, 2);
		*p++ = ':';
		p = put_digits(p, c->ss, 2);
		*p++ = off < 0 ? '-' : '+';
		p = put_digits(p, a / 60, 2);
		*p++ = ':';
		p = put_digits(p, a % 60, 2);
		*p = '\0';
		return;
	}
	snprintf(out, INSTANT_TEXT_MAX,
	    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c->y, c->m, c->d,
	    c->hh, c->mm, c->ss, off < 0 ? '-' : '+', a / 60, a % 60);
}

long
tz_today(void)
{
	struct tm lt;
	const char *env;
	time_t t;
	int y, m, d;

	if ((env = getenv("SALES_TODAY")) != NULL &&
	    sscanf(env, "%d-%d-%d", &y, &m, &d) == 3 && civil_valid(y, m, d))
		return days_from_civil(y, m, d);
	t = time(NULL);
	localtime_r(&t, &lt);
	return days_from_civil(lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday);
}

void
tz_now(char *out)
{
	struct civil c;
	struct tm lt;
	const char *env;
	time_t t;

	if ((env = getenv("SALES_NOW")) != NULL && *env != '\0') {
		snprintf(out, INSTANT_TEXT_MAX, "%s", env);
		return;
	}
	t = time(NULL);
	localtime_r(&t, &lt);
	c.y = lt.tm_year + 1900;
	c.m = lt.tm_mon + 1;
	c.d = lt.tm_mday;
	c.hh = lt.tm_hour;
	c.mm = lt.tm_min;
	c.ss = lt.tm_sec;
	tz_format_instant(out, &c);
}
