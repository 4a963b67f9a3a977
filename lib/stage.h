/*
 * Stage gates: a deal may leave a stage forward only when the evidence
 * exists.  The rules (stages.csv, sales-rules(5)) give the stages in
 * order, the closed stages and, per open stage, gates: conditions on the
 * deal with the message a salesperson sees when one fails.
 *
 * Moves: forward to the next stage when its gates hold; back to any
 * earlier stage; forward past several stages only when the gates of
 * every stage passed hold; to the lost stage from any open stage; out
 * of a closed stage only as a reopen with a reason.  A forced move (with
 * a reason) skips the gates and is recorded as forced.  Every move, and
 * every refused one, is a stage_event row.
 */
#ifndef STAGE_H
#define STAGE_H

#include <stddef.h>

struct buf;
struct cond;
struct db;
struct pos;
struct stage;

enum stage_kind {
	SK_OPEN,
	SK_WON,
	SK_LOST
};

struct stage_def {
	char		*code;		/* enums.csv stage value: "demo" */
	char		*name;		/* for people: "方案演示" */
	enum stage_kind	 kind;
	int		 order;		/* open stages 0.., won after them */
	long		 days;		/* stuck after this many, 0: never */
	size_t		 gate0, ngates;	/* its gates in stage_gate() */
	long		 line;
};

struct stage_gate {
	char		*name;		/* "技术答疑" */
	char		*message;
	char		*required;	/* "2" */
	struct cond	*test;
	struct cond	*value;		/* NULL: none */
	size_t		 stage;
	long		 line;
};

/* One gate evaluated for one deal. */
struct stage_gres {
	const struct stage_gate	*gate;
	int			 ok;
	char			 value[64];
	char			*note;	/* why evidence() said no, or NULL */
};

enum stage_result {
	SR_ERROR = -1,
	SR_MOVED,
	SR_FORCED,
	SR_REOPENED,
	SR_BLOCKED,
	SR_UNCHANGED
};

struct stage_req {
	const char	*deal;
	const char	*to;		/* as typed: code, name or synonym */
	const char	*by;		/* or NULL */
	const char	*at;		/* instant, or NULL for now */
	const char	*reason;	/* or NULL */
	int		 force;
	const char	*source;	/* "sales-stage" or "import" */
	long		 batch;		/* import batch, or 0 */
	const struct pos *pos;		/* for messages ("<stdin>:3"), or NULL */
};

struct stage_outcome {
	enum stage_result	 result;
	const struct stage_def	*from;	/* NULL: the deal had no stage */
	const struct stage_def	*to;
	struct stage_gres	*fails;	/* failing gates (overridden when forced) */
	size_t			 nfails;
	const char		*why;	/* a refusal that is not a gate */
};

/*
 * Load dir/stages.csv (and the stage synonyms of dir/enums.csv) and
 * compile its gates against db.  NULL after reporting: SX_USAGE for a
 * bad table, naming file:line.
 */
struct stage	*stage_open(struct db *, const char *dir);
void		 stage_close(struct stage *);

size_t			 stage_count(const struct stage *);
const struct stage_def	*stage_def(const struct stage *, size_t);
const struct stage_gate	*stage_gate(const struct stage *, size_t);
/* The stage people mean by text (code, name or synonym), or NULL. */
const struct stage_def	*stage_find(const struct stage *, const char *text);
/* The stage of a stored code, or NULL. */
const struct stage_def	*stage_by_code(const struct stage *, const char *);
/* Comma-separated stage names, for messages. */
const char		*stage_names(const struct stage *);

/*
 * The first gate of stage s that deal fails, as its index for
 * stage_gate(), or -1 when every gate holds; the gates after it, their
 * values and their notes are not evaluated.  deal is one the caller
 * has just read from the store in the same transaction; today is
 * tz_today(), asked once by a caller that goes through many deals.  -2
 * after reporting.
 */
long			 stage_first_failing(struct stage *, const char *deal,
			    const struct stage_def *s, long today);
/*
 * Evaluate every gate of stage s for deal; *res (caller frees with
 * stage_gres_free) receives s's ngates results.  0, or -1 after
 * reporting.
 */
int		 stage_eval(struct stage *, const char *deal,
		    const struct stage_def *s, struct stage_gres **res);
void		 stage_gres_free(struct stage_gres *, size_t);

/*
 * Move a deal.  Decides, writes the stage_event and the deal (the
 * caller holds the transaction) and returns the result, also in *out
 * (clear it with stage_outcome_clear).  SR_ERROR after reporting: an
 * unknown deal or stage (SX_DATA), a rule that cannot be evaluated
 * (SX_USAGE), the store (SX_BUSY, SX_SYS).
 */
enum stage_result stage_move(struct stage *, const struct stage_req *,
		    struct stage_outcome *out);
void		 stage_outcome_clear(struct stage_outcome *);

/*
 * The import hook: a file wants deal's stage to go from one stored code
 * to another.  Returns 1 when the gates allow it (a moved event is
 * recorded and the caller writes the stage), 0 when refused (a blocked
 * event is recorded, the stage must stay, and why, when not NULL,
 * receives the refusal for a warning), -1 after reporting.
 */
int		 stage_import(struct stage *, const char *deal,
		    const char *from, const char *to, long batch,
		    struct buf *why);

/*
 * The import hook, for the store's deal upsert: the rules of dir are
 * loaded on the first stage change.  stage_hook_claim() is called when
 * a file (at file, sheet, row) claims stage to (tolen bytes) for a
 * stored deal now in from; it returns 1 when the stage may change, 0
 * when it must stay (the refusal is recorded, warned about at the row
 * and counted), -1 after reporting.  The count restarts with
 * stage_hook_reset().  Every function accepts a NULL hook.
 */
struct stage_hook;

struct stage_hook *stage_hook_new(struct db *, const char *dir);
void		 stage_hook_free(struct stage_hook *);
int		 stage_hook_claim(struct stage_hook *, const char *file,
		    const char *sheet, long row, const char *deal,
		    const char *from, const char *to, size_t tolen,
		    long batch);
long		 stage_hook_blocked(const struct stage_hook *);
void		 stage_hook_reset(struct stage_hook *);

/*
 * A time as people write it (2026-03-05, 2026-03-05 14:22, an ISO
 * instant with an offset) as an instant in the local zone, into out
 * (INSTANT_TEXT_MAX bytes).  0, or -1 when it is not a time.
 */
int		 stage_instant(const char *text, char *out);

/* Days between the local dates of two instants or dates (b - a). */
long		 stage_days(const char *a, const char *b);

#endif
