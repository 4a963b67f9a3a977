/*
 * One input file into the store: read, find the header, map, upsert,
 * all in one transaction, and a JSON summary line on stdout.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stdio.h>

#include "field.h"
#include "reader.h"

struct db;
struct vocab;

struct ingest_opts {
	enum fmt	 format;	/* FMT_AUTO sniffs */
	enum kind	 kind;		/* K_NONE detects */
	struct reader_opts ropts;
	int		 header_row;	/* 0 detects */
	int		 partial;	/* commit good rows despite rejects */
	int		 dry_run;	/* validate, then roll back */
	int		 strict;	/* warnings reject the row */
	int		 explain;	/* print the header mapping */
	int		 max_errors;	/* messages per file, 0: default 20 */
	FILE		*rejects;	/* --rejects FILE, or NULL */
	const char	*customer;	/* chats: who the chat is with */
	const char	**reps;		/* chats: senders that are reps */
	int		 nreps;
	int		 progress;	/* stderr is a terminal: show progress */
	const char	*rules;		/* rules dir: stage gates, or NULL */
	long		 bulk_rows;	/* see store_bulk(); 0: INGEST_BULK_ROWS */
};

/*
 * A file's inserted rows are weighed for bulk loading (store_bulk())
 * every this many: below it the indexes fit in SQLite's cache anyway.
 */
#define INGEST_BULK_ROWS 50000

struct ingest;

/* rejects, when set, gets its header line here. */
struct ingest	*ingest_new(struct db *, const struct vocab *,
		    const struct ingest_opts *);
/* Import one file (or "-"); returns its exit status. */
int		 ingest_file(struct ingest *, const char *path);
void		 ingest_free(struct ingest *);

#endif
