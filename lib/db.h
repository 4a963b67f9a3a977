/*
 * The store: one SQLite file in WAL mode, foreign keys on (an import
 * checks its own references instead: store_refs_check()), a busy
 * timeout so concurrent cron jobs wait instead of failing, the schema
 * migrated forward on open (PRAGMA user_version).  Every SQL statement
 * that writes lives in lib/; values are bound, never pasted into SQL.
 */
#ifndef DB_H
#define DB_H

#include <sqlite3.h>

struct db;

#define DB_BUSY_MS_DEFAULT	10000

/*
 * Open (and create) path and migrate it.  Returns NULL after reporting:
 * SX_BUSY when it stayed locked, SX_SYS otherwise (including a schema
 * newer than this program).  busy_ms 0 means DB_BUSY_MS_DEFAULT, or
 * $SALES_BUSY_TIMEOUT when set.
 */
struct db	*db_open(const char *path, int busy_ms);
/*
 * The same for a store that must exist already: the commands that only
 * read or route what was imported, so that a mistyped --db is an error
 * (SX_SYS) instead of a new, empty store whose reports say all is well.
 */
struct db	*db_open_existing(const char *path, int busy_ms);
void		 db_close(struct db *);
sqlite3		*db_handle(struct db *);
const char	*db_path(const struct db *);

/* The database path from an option, $SALES_DB or ./sales.db. */
const char	*db_default_path(const char *opt);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 or -1 after reporting. */
int		 db_begin(struct db *);
int		 db_commit(struct db *);
int		 db_rollback(struct db *);
int		 db_in_transaction(struct db *);

/*
 * A prepared statement for sql, cached for the life of the handle and
 * reset with its bindings cleared.  NULL after reporting.
 */
sqlite3_stmt	*db_prepare(struct db *, const char *sql);
/*
 * 1 when SQLite rolled the open transaction back by itself (disk full,
 * I/O error), after saying so once: statements kept prepared across
 * rows must not run then, or they would commit one by one.
 */
int		 db_tx_lost(struct db *);
/* Run SQL without results; 0 or -1 after reporting. */
int		 db_exec(struct db *, const char *sql);
/*
 * Report a failed SQLite call: SX_BUSY for a lock, SX_DATA for a
 * constraint, SX_SYS for the rest.  Returns -1.
 */
int		 db_fail(struct db *, int rc, const char *what);
/* The schema version this program writes. */
int		 db_schema_version(void);

#endif
