/*
 * Import batches: list them, and undo one (from its change_log and the
 * batch_id its records carry: records it created are deleted, records
 * it updated get their before-images back), refusing when a later
 * batch changed the same records or other records refer to one it
 * would delete.
 */
#ifndef UNDO_H
#define UNDO_H

#include <stdio.h>

#include "table.h"

struct db;

struct undo_result {
	long		 deleted;	/* records the batch created */
	long		 restored;	/* updates put back */
	char		 file[256];	/* the batch's file, cut to fit */
};

/*
 * Print every batch, oldest first, as JSON lines, CSV or an aligned
 * table.  Returns 0, or -1 after reporting.
 */
int	batch_list(struct db *, FILE *, enum outfmt);
/*
 * Undo batch id in one BEGIN IMMEDIATE transaction and mark it undone;
 * with dry_run, do it all and roll back.  Returns 0 with *res filled
 * in, or -1 after reporting why nothing was changed: SX_DATA for a
 * refusal (unknown or undone batch, a later batch, a reference),
 * SX_BUSY or SX_SYS from the store.
 */
int	batch_undo(struct db *, long id, int dry_run, struct undo_result *res);

/*
 * The batches and undo verbs of sales-ingest on the store at dbpath:
 * "batches" prints the list in format f; "undo" undoes batch arg (a
 * number), or with dry_run only checks that it could, and prints its
 * JSON line unless quiet.  Returns the status; every problem is
 * reported.
 */
int	batch_verb(const char *dbpath, const char *verb, const char *arg,
	    enum outfmt f, int dry_run);

#endif
