/*
 * The audit report: records whose data contradicts itself.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdio.h>

#include "table.h"

struct db;

struct audit_opts {
	enum outfmt	 fmt;
	int		 stale;		/* days without activity; > 0 */
};

/*
 * One finding per line (kind, table, id, customer, rep, reason),
 * ordered by kind, then table and id.  Returns the number of findings,
 * or -1 after reporting.
 */
long	report_audit(struct db *, const struct audit_opts *, FILE *);

#endif
