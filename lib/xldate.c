/*
 * Civil-day arithmetic (the days-from-civil algorithm over 400-year
 * eras) and Excel's two serial-date systems.
 */
#include <math.h>
#include <stdio.h>

#include "xldate.h"

long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
civil_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31};
	int leap, max;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

int
weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (days + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

void
iso_week(long days, int *year, int *week)
{
	long thursday, jan1;
	int y, m, d;

	/* The ISO year is the year of the week's Thursday. */
	thursday = days - weekday(days) + 4;
	civil_from_days(thursday, &y, &m, &d);
	jan1 = days_from_civil(y, 1, 1);
	*year = y;
	*week = (int)((thursday - jan1) / 7 + 1);
}

long
iso_week_monday(int year, int week, int *ok)
{
	long jan4, monday1;
	int y, w;

	jan4 = days_from_civil(year, 1, 4);
	monday1 = jan4 - weekday(jan4) + 1;
	*ok = 0;
	if (week < 1 || week > 53)
		return -1;
	iso_week(monday1 + (week - 1) * 7L, &y, &w);
	if (y != year || w != week)
		return -1;
	*ok = 1;
	return monday1 + (week - 1) * 7L;
}

int
xl_serial_civil(double serial, int date1904, struct civil *c)
{
	double whole;
	long days, secs;

	if (!isfinite(serial) || serial < 0 || serial >= 2958466)
		return -1;
	whole = floor(serial);
	secs = lround((serial - whole) * 86400.0);
	days = (long)whole;
	if (secs >= 86400) {
		secs -= 86400;
		days++;
	}
	if (date1904)
		days += days_from_civil(1904, 1, 1);
	else if (days == 60)
		return -1;	/* 1900-02-29 never existed */
	else if (days > 60 || days == 0)
		days += days_from_civil(1899, 12, 30);
	else
		days += days_from_civil(1899, 12, 31);
	civil_from_days(days, &c->y, &c->m, &c->d);
	c->hh = (int)(secs / 3600);
	c->mm = (int)(secs / 60 % 60);
	c->ss = (int)(secs % 60);
	return 0;
}

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

/* Without printf in the usual case: every dated record takes one. */
void
civil_format(char *out, const struct civil *c, int with_time)
{
	char *p = out;

	if (c->y >= 0 && c->y <= 9999 && c->m >= 0 && c->m <= 99 &&
	    c->d >= 0 && c->d <= 99 && (!with_time || (c->hh >= 0 &&
	    c->hh <= 99 && c->mm >= 0 && c->mm <= 99 && c->ss >= 0 &&
	    c->ss <= 99))) {
		p = put_digits(p, c->y, 4);
		*p++ = '-';
		p = put_digits(p, c->m, 2);
		*p++ = '-';
		p = put_digits(p, c->d, 2);
		if (with_time) {
			*p++ = ' ';
			p = put_digits(p, c->hh, 2);
			*p++ = ':';
			p = put_digits(p, c->mm, 2);
			*p++ = ':';
			p = put_digits(p, c->ss, 2);
		}
		*p = '\0';
		return;
	}
	if (with_time)
		snprintf(out, CIVIL_TEXT_MAX, "%04d-%02d-%02d %02d:%02d:%02d",
		    c->y, c->m, c->d, c->hh, c->mm, c->ss);
	else
		snprintf(out, CIVIL_TEXT_MAX, "%04d-%02d-%02d", c->y, c->m,
		    c->d);
}
