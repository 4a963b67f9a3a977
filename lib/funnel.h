/*
 * The funnel report (sales-report(1), FUNNEL).
 */
#ifndef FUNNEL_H
#define FUNNEL_H

struct db;
struct doc;
struct report_opts;

/*
 * Stage-to-stage conversion over the period o->from .. o->to, in the
 * stage order of o->rules/stages.csv, per rep, per region and in total.
 * Returns the document, or NULL after reporting.
 */
struct doc	*report_funnel(struct db *, const struct report_opts *,
		    long *nfind);

#endif
