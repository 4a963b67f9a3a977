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

/*
 * Rep, type and number of the activities of the weeks where week holds
 * for which test holds ("1": all), a customer's own chat messages left
 * out (party 'customer': what the customer said is no touch by a rep),
 * in order; no row for a count of 0.  All is counted in indexes:
 * activity_week, or activity_blank for a test spelt as it is; the
 * customers' messages through activity_said alone, test reading only
 * their rows.
 */
#define ACTS_BY_REP_TYPE(week, test)					\
	"SELECT rep_id, type, sum(n) FROM (SELECT rep_id, type,"	\
	" count(*) AS n FROM activity WHERE " week " AND " test		\
	" GROUP BY rep_id, type UNION ALL SELECT rep_id, type,"	\
	" -count(CASE WHEN " test " THEN 1 END) FROM activity"		\
	" WHERE " week " AND party = 'customer' GROUP BY rep_id, type)"	\
	" GROUP BY rep_id, type HAVING sum(n) <> 0 ORDER BY rep_id, type"

#endif
