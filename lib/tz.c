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
#include "xldate.h"

static char zone[128] = TZ_DEFAULT;

/*
 * Offsets are looked up per day: a day whose first and last second
 * have the same offset has it all day (zones change offset at most
 * once a day), so one lookup serves every instant of it.  Memos of
 * recent days, local and UTC, forgotten when the zone changes.
 */
#define TZ_MEMO	1024		/* days; a power of two */

struct tzmemo {
	long		 day;
	unsigned	 gen;		/* of the zone; 0 never valid */
	long		 off;		/* east of UTC: local minutes, UTC seconds */
};

static struct tzmemo	 local_memo[TZ_MEMO], utc_memo[TZ_MEMO];
static unsigned		 zone_gen = 1;

int
tz_init(const char *z)
{
	char path[512];
	const char *dir;
	struct stat st;

	if (z == NULL && (z = getenv("SALES_TZ")) == NULL)
		z = TZ_DEFAULT;
	/*
	 * glibc silently falls back to UTC for a name it does not know
	 * ("CST", "Beijing"): a name must be in the zone database, unless
	 * it is a POSIX rule with its offset ("CST-8") or says where its
	 * file is (":/etc/localtime").
	 */
	if (strcmp(z, "UTC") != 0 && z[0] != ':' &&
	    strpbrk(z, "0123456789") == NULL) {
		if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
			dir = "/usr/share/zoneinfo";
		snprintf(path, sizeof(path), "%s/%s", dir, z);
		if (strstr(z, "..") != NULL || stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			diag_error(SX_USAGE, NULL, "unknown time zone '%s' "
			    "(a name such as Asia/Shanghai, or a rule such as "
			    "CST-8)", diag_val(z));
			return -1;
		}
	}
	snprintf(zone, sizeof(zone), "%s", z);
	setenv("TZ", zone, 1);
	tzset();
	zone_gen++;
	return 0;
}

const char *
tz_name(void)
{
	return zone;
}

static int
normal_time(const struct civil *c)
{
	return civil_valid(c->y, c->m, c->d) && c->hh >= 0 && c->hh <= 23 &&
	    c->mm >= 0 && c->mm <= 59 && c->ss >= 0 && c->ss <= 59;
}

static int
offset_local(int y, int m, int d, int hh, int mm, int ss)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

int
tz_offset_at(const struct civil *c)
{
	struct tzmemo *e;
	long day;
	int a, v;

	if (!normal_time(c))
		return offset_local(c->y, c->m, c->d, c->hh, c->mm, c->ss);
	day = days_from_civil(c->y, c->m, c->d);
	e = &local_memo[(unsigned long)day & (TZ_MEMO - 1)];
	if (e->gen == zone_gen && e->day == day)
		return (int)e->off;
	/*
	 * The instant first: in the repeated hour of a change back,
	 * mktime() answers as the call before it leaves it to.
	 */
	v = offset_local(c->y, c->m, c->d, c->hh, c->mm, c->ss);
	if ((a = offset_local(c->y, c->m, c->d, 0, 0, 0)) == v &&
	    offset_local(c->y, c->m, c->d, 23, 59, 59) == v) {
		e->day = day;
		e->off = v;
		e->gen = zone_gen;
	}
	return v;
}

/* Seconds: zones of old had offsets such as +08:05:43. */
static long
offset_utc(time_t t)
{
	struct tm lt;

	if (localtime_r(&t, &lt) == NULL)
		return 0;
	return (long)lt.tm_gmtoff;
}

static void
local_of(time_t t, struct civil *out)
{
	struct tm lt;

	localtime_r(&t, &lt);
	out->y = lt.tm_year + 1900;
	out->m = lt.tm_mon + 1;
	out->d = lt.tm_mday;
	out->hh = lt.tm_hour;
	out->mm = lt.tm_min;
	out->ss = lt.tm_sec;
}

void
tz_to_local(const struct civil *in, int tzmin, struct civil *out)
{
	struct tzmemo *e;
	struct tm tm;
	long day, sec, off;
	time_t t;

	if (!normal_time(in)) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = in->y - 1900;
		tm.tm_mon = in->m - 1;
		tm.tm_mday = in->d;
		tm.tm_hour = in->hh;
		tm.tm_min = in->mm;
		tm.tm_sec = in->ss;
		local_of(timegm(&tm) - (time_t)tzmin * 60, out);
		return;
	}
	t = (time_t)days_from_civil(in->y, in->m, in->d) * 86400 +
	    in->hh * 3600 + in->mm * 60 + in->ss - (time_t)tzmin * 60;
	day = (long)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	e = &utc_memo[(unsigned long)day & (TZ_MEMO - 1)];
	if (e->gen != zone_gen || e->day != day) {
		off = offset_utc((time_t)day * 86400);
		if (off != offset_utc((time_t)day * 86400 + 86399)) {
			local_of(t, out);
			return;
		}
		e->day = day;
		e->off = off;
		e->gen = zone_gen;
	}
	t += (time_t)e->off;
	day = (long)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	sec = (long)(t - (time_t)day * 86400);
	civil_from_days(day, &out->y, &out->m, &out->d);
	out->hh = (int)(sec / 3600);
	out->mm = (int)(sec / 60 % 60);
	out->ss = (int)(sec % 60);
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
