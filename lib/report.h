/*
 * Reports computed from the store.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "table.h"

struct db;
struct doc;

/* What every report may be asked for; each uses the part it needs. */
struct report_opts {
	int		 year;		/* ISO week (weekly) */
	int		 week;
	char		 from[32];	/* period, inclusive local dates */
	char		 to[32];
	char		 period[24];	/* the period as given: 2026-03 */
	int		 have_period;
	const char	*region;	/* drill: one region, or NULL */
	const char	*factor;	/* drill: one factor, or NULL */
	const char	*rules;		/* rules directory */
	int		 stale;		/* audit: idle days; > 0 */
	int		 change_pct;	/* audit: amount change; > 0 */
};

/*
 * A period: YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn, YYYY, or two of
 * those joined by ".." (from the start of the first to the end of the
 * second).  Sets from, to and period; 0, or -1 with *err set.
 */
int	period_parse(const char *, struct report_opts *, const char **err);

/* strcmp, with NULL (no rep, no region) after every string. */
int	cmp_str_null_last(const char *, const char *);

/* "2026-W10" into year and week; 0, or -1 with *err set. */
int	week_parse(const char *, int *year, int *week, const char **err);
/* The last complete ISO week before today in the local zone. */
void	week_last_complete(int *year, int *week);

/*
 * The weekly report: per rep and per region, new deals, activities by
 * type, deals won (count, amount), deals lost, the open pipeline at the
 * end of the week; totals.  Returns the document, or NULL after
 * reporting.
 */
struct doc	*report_weekly(struct db *, const struct report_opts *,
		    long *nfind);

#endif
