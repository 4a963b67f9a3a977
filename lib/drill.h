/*
 * The drill-down report: regions against their targets, business
 * factors per region, and the units of a region short of target.
 */
#ifndef DRILL_H
#define DRILL_H

struct db;
struct doc;
struct report_opts;

/*
 * Level 1, per region: deals won in the period against the region's
 * target; level 2, factor-tagged activities per region and factor of
 * share/rules/factors.csv (a heatmap and a table); level 3, with
 * o->region and o->factor, the units and reps of that region with a
 * target they missed, by shortfall.  Returns the document, or NULL
 * after reporting (a bad factors.csv or an unknown region or factor:
 * SX_USAGE).
 */
struct doc	*report_drill(struct db *, const struct report_opts *,
		    long *nfind);

#endif
