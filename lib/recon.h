/*
 * The reconciliation report: what was expected to be collected in a
 * month (payment plans, else the forecast snapshot taken before the
 * month) against what was collected, per deal with the cause of each
 * gap, then per rep, per region and in total.
 */
#ifndef RECON_H
#define RECON_H

#include <stdint.h>

struct db;
struct doc;
struct report_opts;

/* The causes of a gap, in the order the manual lists them. */
enum recon_cause {
	RC_NONE = 0,	/* no gap */
	RC_CANCELLED,
	RC_SLIPPED,
	RC_AMOUNT_CHANGED,
	RC_NEVER_FORECAST,
	RC_OVERDUE,
	RC_NOT_DUE,
	RC_EARLY,	/* collected before the month */
	RC_COUNT
};

/* What is known of one deal for the month. */
struct recon_facts {
	int64_t		 expected;	/* fen: plan, else forecast */
	int64_t		 actual;	/* fen collected in the month */
	int		 planned;	/* some plan row falls in the month */
	int		 forecast;	/* in the snapshot, due in the month */
	int		 amount_moved;	/* deal amount now != the snapshot's */
	const char	*cancelled_on;	/* first order_cancelled, or NULL */
	const char	*late_actual;	/* first collection after the month */
	const char	*late_plan;	/* first plan after the month */
	const char	*due_now;	/* the deal's date now, if moved out */
	const char	*early_actual;	/* last collection before the month,
					 * when those run ahead of the plans
					 * before it; else NULL */
	int64_t		 early;		/* fen: by how much they run ahead */
	const char	*due;		/* last plan date, else forecast's */
	const char	*today;
};

/*
 * The cause of a deal's gap (expected - actual), RC_NONE when there is
 * none.  Every non-zero gap gets exactly one cause, so the per-cause
 * subtotals add up to the total gap.
 */
enum recon_cause recon_cause(const struct recon_facts *);
/* "cancelled", "slipped", ...; "" for RC_NONE. */
const char	*recon_cause_name(enum recon_cause);

/*
 * The report for o->from..o->to.  Returns the document, *nfind the
 * number of deals with a gap; NULL after reporting.
 */
struct doc	*report_reconcile(struct db *, const struct report_opts *,
		    long *nfind);

#endif
