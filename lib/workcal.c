/*
 * The work calendar.  See workcal.h.
 *
 * The table is small (about thirty rows a year), so it is kept as a
 * sorted array of listed days and searched; the years it covers are
 * the years that appear in it.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

struct wday {
	long	 day;
	int	 work;		/* 1 make-up working day, 0 holiday */
	char	*name;
};

struct workcal {
	char		*path;
	struct wday	*days;
	size_t		 ndays;
	int		*years;		/* covered, sorted */
	size_t		 nyears;
	int		 warned;	/* the fallback was reported */
};

static int
wday_cmp(const void *a, const void *b)
{
	const struct wday *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* 0 Monday .. 6 Sunday; day 0 is 1970-01-01, a Thursday. */
static int
dow(long day)
{
	long w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int
year_of(long day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return y;
}

/* Strict YYYY-MM-DD; -1 and no day otherwise. */
static int
parse_day(const char *s, long *day)
{
	int y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (!civil_valid(y, m, d))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

static struct workcal *
from_table(struct rtable *t)
{
	struct workcal *wc;
	int cdate, ckind, cname, bad = 0;
	size_t i;

	cdate = rtable_need(t, "date");
	ckind = rtable_need(t, "kind");
	cname = rtable_col(t, "name");
	if (cdate < 0 || ckind < 0)
		return NULL;
	wc = xcalloc(1, sizeof(*wc));
	wc->path = xstrdup(t->path);
	wc->days = xcalloc(t->nrows + 1, sizeof(*wc->days));
	for (i = 0; i < t->nrows; i++) {
		const char *ds = rtable_get(t, i, cdate);
		const char *ks = rtable_get(t, i, ckind);
		struct wday *w = &wc->days[wc->ndays];

		if (parse_day(ds, &w->day) < 0) {
			rtable_error(t, i, cdate, "not a date (YYYY-MM-DD) "
			    "'%s'", diag_val(ds));
			bad = 1;
			continue;
		}
		if (strcmp(ks, "holiday") == 0)
			w->work = 0;
		else if (strcmp(ks, "workday") == 0)
			w->work = 1;
		else {
			rtable_error(t, i, ckind, "kind must be holiday or "
			    "workday, not '%s'", diag_val(ks));
			bad = 1;
			continue;
		}
		if (w->work && dow(w->day) < 5) {
			rtable_error(t, i, cdate, "%s is a weekday: only a "
			    "Saturday or Sunday can be a make-up working day",
			    ds);
			bad = 1;
			continue;
		}
		w->name = xstrdup(cname >= 0 ? rtable_get(t, i, cname) : "");
		wc->ndays++;
	}
	qsort(wc->days, wc->ndays, sizeof(*wc->days), wday_cmp);
	for (i = 1; i < wc->ndays && !bad; i++)
		if (wc->days[i].day == wc->days[i - 1].day) {
			struct pos pos = {wc->path, NULL, 0, 0};
			char s[CIVIL_TEXT_MAX];
			struct civil c;

			memset(&c, 0, sizeof(c));
			civil_from_days(wc->days[i].day, &c.y, &c.m, &c.d);
			civil_format(s, &c, 0);
			diag_error(SX_USAGE, &pos, "%s is listed twice", s);
			bad = 1;
		}
	if (bad) {
		workcal_free(wc);
		return NULL;
	}
	wc->years = xcalloc(wc->ndays + 1, sizeof(int));
	for (i = 0; i < wc->ndays; i++) {
		int y = year_of(wc->days[i].day);

		if (wc->nyears == 0 || wc->years[wc->nyears - 1] != y)
			wc->years[wc->nyears++] = y;
	}
	qsort(wc->years, wc->nyears, sizeof(int), int_cmp);
	return wc;
}

struct workcal *
workcal_load_file(const char *path)
{
	struct rtable *t;
	struct workcal *wc;

	if ((t = rules_load_file(path)) == NULL)
		return NULL;
	wc = from_table(t);
	rtable_free(t);
	if (wc == NULL)
		diag_raise(SX_USAGE);
	return wc;
}

struct workcal *
workcal_load(const char *dir)
{
	char *path = xasprintf("%s/calendar-cn.csv", dir);
	struct workcal *wc = workcal_load_file(path);

	free(path);
	return wc;
}

void
workcal_free(struct workcal *wc)
{
	size_t i;

	if (wc == NULL)
		return;
	for (i = 0; i < wc->ndays; i++)
		free(wc->days[i].name);
	free(wc->days);
	free(wc->years);
	free(wc->path);
	free(wc);
}

static const struct wday *
find(const struct workcal *wc, long day)
{
	struct wday key = {day, 0, NULL};

	return bsearch(&key, wc->days, wc->ndays, sizeof(*wc->days),
	    wday_cmp);
}

bool
workcal_covers(const struct workcal *wc, long day)
{
	int y = year_of(day);

	return bsearch(&y, wc->years, wc->nyears, sizeof(int),
	    int_cmp) != NULL;
}

bool
workcal_is_workday(struct workcal *wc, long day)
{
	const struct wday *w;

	if ((w = find(wc, day)) != NULL)
		return w->work;
	if (!workcal_covers(wc, day) && !wc->warned) {
		diag_warn(NULL, "%s: calendar has no data for %d: counting "
		    "Monday to Friday as working days", wc->path,
		    year_of(day));
		wc->warned = 1;
	}
	return dow(day) < 5;
}

const char *
workcal_name(const struct workcal *wc, long day)
{
	const struct wday *w = find(wc, day);

	return w != NULL ? w->name : NULL;
}

long
workcal_add(struct workcal *wc, long start, int n)
{
	long day = start;
	int k = 0;

	while (k < n) {
		day++;
		if (workcal_is_workday(wc, day))
			k++;
	}
	return day;
}

long
workcal_between(struct workcal *wc, long from, long to)
{
	long day, n = 0;

	if (to < from)
		return -workcal_between(wc, to, from);
	for (day = from + 1; day <= to; day++)
		if (workcal_is_workday(wc, day))
			n++;
	return n;
}
