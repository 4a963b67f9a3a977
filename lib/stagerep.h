/*
 * What sales-stage prints: move results, gate checks, a deal's history,
 * dwell-time statistics and the stuck-deal list, as JSON lines
 * (OUT_JSONL) or aligned tables for people (OUT_TEXT).
 */
#ifndef STAGEREP_H
#define STAGEREP_H

#include <stddef.h>
#include <stdio.h>

#include "stage.h"
#include "table.h"

struct db;

/* Summary statistics of days spent in a stage. */
struct dwell_stats {
	size_t	n;
	double	mean, median, p90, stddev;	/* population stddev */
};

/*
 * Statistics of n day counts (sorted in place): the median of an even
 * count is the mean of the middle two, p90 the nearest-rank value
 * (the ceil(0.9 n)-th smallest).
 */
void	dwell_stats(long *days, size_t n, struct dwell_stats *);

enum dwell_by {
	BY_STAGE,
	BY_REP,
	BY_REGION
};

struct dwell_opts {
	const char	*since, *until;	/* stays that began in [since, until] */
	enum dwell_by	 by;
};

/*
 * One result of a move (line > 0 in a batch): a JSON line, or a table
 * row in t.  Failing gates go to stderr as errors (SX_DATA) naming the
 * deal, the move, the gate's value against the required one and its
 * message.
 */
void	stagerep_move(FILE *, struct stage *, const struct stage_req *,
	    const struct stage_outcome *, long line, struct table *t);
/* The columns of move results in a table. */
struct table *stagerep_move_table(void);

/* One move (in its own transaction) and its result. */
int	stagerep_run_move(FILE *, struct stage *, struct db *,
	    const struct stage_req *, enum outfmt);
/*
 * Moves as JSON lines from in (name for messages), each in its own
 * transaction, one result per move; a refusal or a bad line never stops
 * the batch.  dflt gives by, at, reason and force for lines without.
 */
int	stagerep_batch(FILE *in, const char *name, FILE *, struct stage *,
	    struct db *, const struct stage_req *dflt, enum outfmt);

/* Gates of the next move of each deal (all open deals when n is 0). */
int	stagerep_check(FILE *, struct stage *, struct db *,
	    char *const *deals, int n, enum outfmt);
int	stagerep_history(FILE *, struct stage *, struct db *,
	    const char *deal, enum outfmt);
int	stagerep_dwell(FILE *, struct stage *, struct db *,
	    const struct dwell_opts *, enum outfmt);
/*
 * Open deals in their stage longer than over days (over < 0: each
 * stage's own days), grouped by their first failing gate, largest
 * group first, with its share of all stuck deals.
 */
int	stagerep_stuck(FILE *, struct stage *, struct db *, long over,
	    enum outfmt);

/* Stuck deals of one stage waiting for one gate (-1: every gate holds). */
struct stuck_group {
	size_t	 stage;
	long	 gate;		/* index in stage_gate() */
	char	**deals;	/* deal ids, in id order */
	size_t	 n, cap;
};

/*
 * The groups of stagerep_stuck() as of the day today (YYYY-MM-DD):
 * *out (free with stagerep_stuck_free), their number in *ng and the
 * number of stuck deals in *total.  0, or -1 after reporting.
 */
int	stagerep_stuck_groups(struct stage *, struct db *, long over,
	    const char *today, struct stuck_group **out, size_t *ng,
	    size_t *total);
void	stagerep_stuck_free(struct stuck_group *, size_t ng);

#endif
