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

#endif
