/*
 * The work calendar: which days are working days in mainland China,
 * from a table of public holidays and make-up working days (调休上班)
 * that the State Council publishes each year (share/rules/calendar-cn.csv,
 * columns date,kind,name with kind "holiday" or "workday").  A day not
 * listed is a working day Monday to Friday.  The calendar is data: when
 * a year is amended, the table changes, never the code.
 *
 * A day in a year the table does not cover falls back to Monday-Friday;
 * the first such day is reported once per calendar as a warning
 * ("calendar has no data for 2031: counting Monday-Friday").
 */
#ifndef WORKCAL_H
#define WORKCAL_H

#include <stdbool.h>

struct workcal;

/* Load dir/calendar-cn.csv (NULL after reporting, SX_USAGE). */
struct workcal	*workcal_load(const char *dir);
/* Load a given file (tests, --calendar). */
struct workcal	*workcal_load_file(const char *path);
void		 workcal_free(struct workcal *);

/* Days are civil day numbers (xldate.h: days_from_civil). */
bool		 workcal_covers(const struct workcal *, long day);
bool		 workcal_is_workday(struct workcal *, long day);
/* Name of the holiday or make-up day ("春节"), or NULL. */
const char	*workcal_name(const struct workcal *, long day);

/*
 * The n-th working day after start (start itself is day 0, never
 * counted); n <= 0 gives start.  Business-day deadlines.
 */
long		 workcal_add(struct workcal *, long start, int n);
/* Working days in (from, to]; negative when to < from. */
long		 workcal_between(struct workcal *, long from, long to);

#endif
