/*
 * The incentives report: action-based rewards, customer-confirmed only.
 */
#ifndef INCENT_H
#define INCENT_H

struct db;
struct doc;
struct report_opts;

/*
 * For the period of o (a month), per rep and action of
 * share/rules/incentives.csv: the activities that earn the reward
 * (count, unit amount, amount), rep totals and a grand total; apart,
 * the actions that earn nothing and why (not confirmed by the
 * customer, already paid for that customer or deal, no customer or
 * deal to pay once for).  *nfind is the number of unpaid actions.
 * Returns the document, or NULL after reporting (a bad incentives.csv:
 * SX_USAGE).
 */
struct doc	*report_incentives(struct db *, const struct report_opts *,
		    long *nfind);

#endif
