/*
 * The audit report: records whose data contradicts itself.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdio.h>

#include "table.h"

struct db;

struct doc;

struct audit_opts {
	int		 stale;		/* days without activity; > 0 */
};

/*
 * One finding per line (kind, table, id, customer, rep, reason),
 * ordered by kind, then table and id.  Returns the document with the
 * number of findings in *nfind, or NULL after reporting.
 */
struct doc	*report_audit(struct db *, const struct audit_opts *,
		    long *nfind);

#endif
