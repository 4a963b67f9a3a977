/*
 * Calendar arithmetic: Excel serial numbers (both epochs), civil days,
 * ISO weeks.  Pure functions, no time zones.
 */
#ifndef XLDATE_H
#define XLDATE_H

struct civil {
	int	y, m, d;
	int	hh, mm, ss;
};

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long	days_from_civil(int y, int m, int d);
void	civil_from_days(long days, int *y, int *m, int *d);
/* 1 when y-m-d is a real date. */
int	civil_valid(int y, int m, int d);
/* ISO weekday, 1 = Monday ... 7 = Sunday. */
int	weekday(long days);
/* ISO week of a day: year and week number (1..53). */
void	iso_week(long days, int *year, int *week);
/* The Monday of ISO week (year, week); -1 if week is out of range. */
long	iso_week_monday(int year, int week, int *ok);

/*
 * Excel serial to a date and time, rounded to the nearest second.
 * Returns 0, or -1 when the serial names no real instant: serial 60 of
 * the 1900 system (1900-02-29, which Excel pretends exists), a negative
 * serial, or one past 9999-12-31.
 */
int	xl_serial_civil(double serial, int date1904, struct civil *);

#define CIVIL_TEXT_MAX 32

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" into out (CIVIL_TEXT_MAX). */
void	civil_format(char *out, const struct civil *, int with_time);

#endif
