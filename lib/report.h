/*
 * Reports computed from the store.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "table.h"

struct db;
struct doc;

struct report_opts {
	int		 year;		/* ISO week of the report */
	int		 week;
};

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
struct doc	*report_weekly(struct db *, const struct report_opts *);

#endif
