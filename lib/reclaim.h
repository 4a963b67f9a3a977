/*
 * The public pool (公海): a lead or customer whose rep has let it lie
 * (no follow-up for N days, or no deal for M days) goes back to the
 * pool, by the rules of reclaim.csv tried in priority order.  A notice
 * is listed K days before, so the rep can act; customers with a deal
 * won lately and those a rule locks are exempt.  Days are calendar or
 * business days (workcal.h).  Every reclaim is logged in the store.
 *
 * The clock of a lead starts at the latest of its (or its customer's)
 * last activity, its last assignment to the rep who holds it, and its
 * arrival; a customer's at its last activity, else its import.
 */
#ifndef RECLAIM_H
#define RECLAIM_H

#include <stdio.h>

#include "table.h"

struct assigner;
struct db;
struct reclaimer;
struct workcal;

struct reclaim_stats {
	long	reclaimed;	/* taken from their reps */
	long	routed;		/* of those, leads routed again */
	long	rerouted;	/* and given to another rep */
	long	notices;	/* due within the notice period */
	long	exempt;		/* due, but won or locked */
};

/*
 * Load dir/reclaim.csv and the work calendar dir/calendar-cn.csv (when
 * a rule counts business days).  NULL after reporting a bad rule table
 * (SX_USAGE, file:line and the cell) or a store error.  The caller
 * frees with reclaim_free().
 */
struct reclaimer *reclaim_new(struct db *, const char *dir);
void		 reclaim_free(struct reclaimer *);

/*
 * Go through every open lead and every customer that has a rep, as of
 * the day as_of (days_from_civil), printing one line per reclaim,
 * notice and exemption to out as fmt says.  The assigner a (made in
 * the same transaction) knows which leads are open; when route is
 * non-zero it routes each reclaimed lead again, never back to the rep
 * who lost it.  A lead nobody takes, and every reclaimed customer, is
 * left without a rep.  Writes the reclaim log; the caller commits or,
 * for a dry run, rolls back.  0, or -1 after reporting.
 */
int		 reclaim_run(struct reclaimer *, long as_of,
		    struct assigner *a, int route, enum outfmt fmt, FILE *out,
		    struct reclaim_stats *);

/*
 * The day n days after start: calendar days, or working days of cal
 * when business is non-zero.
 */
long		 reclaim_due(struct workcal *cal, int business, long start,
		    int n);
/*
 * Days from as_of to due (negative once past): calendar days, or the
 * working days in (as_of, due] when business is non-zero.
 */
long		 reclaim_left(struct workcal *cal, int business, long as_of,
		    long due);

#endif
