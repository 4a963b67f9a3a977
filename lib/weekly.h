/*
 * The Monday view of the weekly report (sales-report(1), WEEKLY).
 */
#ifndef WEEKLY_H
#define WEEKLY_H

struct db;
struct doc;
struct report_opts;

/*
 * Append the Monday view of week o->year/o->week to d: per rep, team
 * and region against the week before, the week's voice-of-customer
 * tags, stuck deals, competitor news, data-quality flags, the charts,
 * and one long table for programs.  0, or -1 after reporting.
 */
int	weekly_view(struct db *, const struct report_opts *, struct doc *);

#endif
