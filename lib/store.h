/*
 * Writing records: upsert keyed by ID with change detection, so a file
 * imported twice changes nothing; a changed record keeps its previous
 * values in change_log.  Also the import batch, rejects and warnings.
 */
#ifndef STORE_H
#define STORE_H

struct buf;
struct db;
struct hmap;
struct rec;

enum put_rc {
	PUT_ERROR = -1,
	PUT_INSERTED = 0,
	PUT_UPDATED,
	PUT_UNCHANGED,
	PUT_QUEUED	/* see store_set_done() */
};

struct batch_info {
	const char	*file;
	const char	*sha256;
	const char	*format;
	const char	*encoding;
	const char	*sheet;
	const char	*kind;
	long		 rows, inserted, updated, unchanged, rejected, warnings;
};

struct store;

struct store	*store_new(struct db *);
void		 store_free(struct store *);
/* Start a batch; returns its id or -1. */
long		 store_batch_begin(struct store *, const struct batch_info *);
int		 store_batch_end(struct store *, const struct batch_info *);
/*
 * Write r.  A sub-record (sub = 1) only fills in the columns it has
 * values for and never blanks one; a main record sets every column the
 * file provides.  Provenance is (batch, sheet, row).  PUT_QUEUED: see
 * store_set_done().
 */
enum put_rc	 store_put(struct store *, const struct rec *, int sub,
		    const char *sheet, long row);
/*
 * Once a bulk load is on (store_bulk()) and done is set, main records
 * of its table are written many to a statement: store_put() keeps a
 * copy and returns PUT_QUEUED, and the record's outcome reaches done
 * (with that copy, its sheet and row) when its chunk is written, by a later
 * store_put() or by store_flush(); outcomes come in row order, each
 * right after its record was written, so store_seen() may be called
 * from done.  A caller about to say anything about a row, or to end
 * the batch, flushes first, so that what it says stays in row order.
 */
void		 store_set_done(struct store *, void (*done)(void *arg,
		    const struct rec *, const char *sheet, long row,
		    enum put_rc), void *arg);
/* Write the queued records; 0, or -1 after reporting. */
int		 store_flush(struct store *);
int		 store_reject(struct store *, const char *sheet, long row,
		    int col, const char *column, const char *value,
		    const char *reason);
int		 store_warning(struct store *, const char *tbl,
		    const char *rec_id, const char *sheet, long row, int col,
		    const char *column, const char *value, const char *reason);
/*
 * Add the matching key (text_key) of every rep's name and code in the
 * store to reps.  0, or -1 after reporting.
 */
int		 store_rep_names(struct store *, struct hmap *reps);
/*
 * The code (工号) stored for rep id, into code: 1, or 0 when the rep is
 * new or has none, or -1 after reporting.
 */
int		 store_rep_code(struct store *, const char *id,
		    struct buf *code);
/*
 * The name of every coded rep (rep 1) or customer (rep 0), keyed by its
 * code in codes, each an offset of names, where the names are written
 * NUL-terminated; the first of a code shared.  0, or -1 after
 * reporting.
 */
int		 store_party_codes(struct store *, int rep, struct hmap *codes,
		    struct buf *names);
/*
 * The parent of every value this batch wrote into a column with a
 * foreign key is in the store (SQLite's own checks are off for the
 * store's connection; see store_new()).  Call it before the commit;
 * 0, or -1 after reporting the first value that names nothing.
 */
int		 store_refs_check(struct store *);
/* Forget cached sub-records and indexes set aside (after a rollback). */
void		 store_forget(struct store *);
/*
 * Bulk loading.  Once this batch has inserted `inserted` rows into the
 * table of kd, and they are at least half of it, the table's plain
 * (non-unique) indexes are dropped inside the transaction, so that the
 * rest of the file does not insert into them at random, and
 * store_bulk_end() builds them again, sorted, before the commit.  A
 * rollback brings them back by itself.  Unique indexes, and so every
 * constraint, stay.  Deals under stage gates load so too: a gate reads
 * the deal by its key and its activities, not the plain indexes of the
 * deal table.  store_bulk() is cheap to call again (one max(rowid)
 * lookup).  0, or -1 after reporting.
 */
int		 store_bulk(struct store *, const struct kinddef *kd,
		    long inserted);
/* Build the indexes store_bulk() dropped; 0, or -1 after reporting. */
int		 store_bulk_end(struct store *);
/*
 * Has this batch met record id of table before?  0 the first time (and
 * row is remembered), else the row that met it first, or -1 after
 * reporting.  Call it right after store_put() of that record; fresh
 * says that put was of a main record (sub = 0) new to the store
 * (PUT_INSERTED): met for the first time, its row is remembered by the
 * record itself, so nothing is written.  The other keys live in a
 * temporary table, not in memory, so a file of any size costs the same.
 */
long		 store_seen(struct store *, const char *table, const char *id,
		    long row, int fresh);

/*
 * Stage gates on imports: a deal's stage changes only when the gates
 * of stages.csv in dir allow it (stage_hook_claim()); refusals are counted
 * until the next store_forget().
 */
void		 store_set_rules(struct store *, const char *dir);
long		 store_stage_blocked(const struct store *);

#endif
