/*
 * Lead routing: the rules of assign.csv, tried in priority order, pick
 * a rep for every unassigned lead.  Each rule has a condition on the
 * lead (view assign_lead), a pool condition on reps (view assign_rep),
 * a method and an optional cap on open leads.  Inactive and full reps
 * are skipped; a pool with nobody left passes the lead to the next
 * rule.  Every assignment is logged with its rule and reason in words.
 *
 * The caller opens the store and holds one BEGIN IMMEDIATE transaction
 * around a run, so that concurrent runs wait for each other and see
 * each other's work; a lead is assigned by the rules at most once.
 */
#ifndef ASSIGN_H
#define ASSIGN_H

#include <stdio.h>

#include "table.h"

struct db;
struct assigner;

enum assign_method {
	AM_NONE = 0,
	AM_ROUND_ROBIN,
	AM_LEAST_LOADED,
	AM_WEIGHTED,
	AM_NEAREST
};

struct assign_opts {
	double		 radius_km;	/* nearest: 0 means no limit */
	enum outfmt	 fmt;		/* OUT_JSONL or OUT_TEXT */
	FILE		*out;		/* a line per lead, or NULL */
};

/* Summary of a run. */
struct assign_stats {
	long	leads;		/* leads routed */
	long	assigned;	/* given to a rep */
	long	unassigned;	/* nobody took them */
};

/* "round_robin" -> AM_ROUND_ROBIN; AM_NONE when unknown. */
enum assign_method assign_method_parse(const char *);
const char	*assign_method_name(enum assign_method);

/*
 * Load the rules of dir/assign.csv, the lead statuses of dir/enums.csv
 * that mean closed, and the reps of the store.  NULL after reporting a
 * bad rule table (SX_USAGE, file:line) or a store error.  The caller
 * frees with assign_free().
 */
struct assigner	*assign_new(struct db *, const char *dir,
		    const struct assign_opts *);
/*
 * One rule instead of a table (rebalance --to-pool): every lead
 * matches, the pool is the condition pool, the method least_loaded.
 */
struct assigner	*assign_new_pool(struct db *, const char *dir,
		    const char *pool, const struct assign_opts *);
void		 assign_free(struct assigner *);

/*
 * Route every unassigned open lead, in order of arrival (or, when ids
 * is not NULL, the n leads it names, in that order).  Writes one line
 * per lead to opts->out.  0, or -1 after reporting.
 */
int		 assign_run(struct assigner *, char *const *ids, size_t n,
		    struct assign_stats *);
/*
 * Move the open leads of rep (id, code or name) through the rules
 * again, never back to rep; a lead nobody takes stays where it is.
 * 0, or -1 after reporting (SX_DATA for an unknown rep).
 */
int		 assign_rebalance(struct assigner *, const char *rep,
		    struct assign_stats *);
/*
 * Route a reclaimed lead (reclaim.h) again, never back to rep (its id),
 * who still holds it: a taker is logged as a move from rep.  1 when
 * someone took it, 0 when nobody did (the caller returns it to the
 * pool), -1 after reporting.  The line goes to opts->out; call
 * assign_flush() after the last lead for --table.
 */
int		 assign_reroute(struct assigner *, const char *lead,
		    const char *rep, struct assign_stats *);
void		 assign_flush(struct assigner *);
/*
 * Save the cursors and weighted round-robin state.  Call before
 * committing; 0 or -1 after reporting.
 */
int		 assign_save(struct assigner *);

/*
 * Lead ids from JSON lines ({"lead":"L01"} or {"id":"L01"}), as
 * printed by sales-ingest or another sales-assign; name is for
 * messages.  The caller frees the array and its strings.  NULL after
 * reporting a bad line (SX_DATA, name:line).
 */
char		**assign_read_ids(FILE *, const char *name, size_t *n);

/* The assignment history (of one lead, or all), oldest first. */
int		 assign_log(struct db *, const char *lead, enum outfmt,
		    FILE *);

/*
 * Units, reps and customers within radius_km of a point (or of the
 * customer cust, by id, code or name, when cust is not NULL), nearest
 * first.  0, or -1 after reporting (SX_DATA: no such customer or no
 * coordinates).
 */
int		 assign_near(struct db *, const char *cust, double lat,
		    double lon, double radius_km, enum outfmt, FILE *);

/* Great-circle distance in kilometres (haversine, R = 6371 km). */
double		 geo_km(double lat1, double lon1, double lat2,
		    double lon2);

#endif
