/*
 * The audit report: records whose data contradicts itself.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdio.h>

#include "table.h"

struct db;

struct doc;
struct report_opts;

/*
 * One finding per line (kind, table, id, customer, rep, reason),
 * ordered by kind, then table and id.  Returns the document with the
 * number of findings in *nfind, or NULL after reporting.
 */
struct doc	*report_audit(struct db *, const struct report_opts *,
		    long *nfind);

/*
 * The findings of report_audit() with the options of o (stale days,
 * change percent, rules) as of day today (days since 1970-01-01),
 * counted by kind: fn(arg, kind, n) once per kind that has findings,
 * in the order of the manual.  0, or -1 after reporting.
 */
int		 audit_count_kinds(struct db *, const struct report_opts *,
		    long today, void (*fn)(void *, const char *kind, long n),
		    void *arg);

#endif
