/*
 * Opening, migrating and transacting on the SQLite store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "diag.h"
#include "fx.h"
#include "num.h"
#include "schema.h"
#include "xalloc.h"

struct stmt_cache {
	char		*sql;
	sqlite3_stmt	*stmt;
};

struct db {
	sqlite3			*h;
	char			*path;
	struct stmt_cache	*cache;
	size_t			 ncache, capcache;
	int			 in_tx;
	int			 lost;	/* in_tx, but SQLite rolled back */
};

const char *
db_default_path(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("SALES_DB")) != NULL && *env != '\0')
		return env;
	return "sales.db";
}

int
db_schema_version(void)
{
	return schema_nmigrations;
}

int
db_fail(struct db *db, int rc, const char *what)
{
	struct pos pos;
	int oserr, st;

	memset(&pos, 0, sizeof(pos));
	pos.file = db != NULL ? db->path : NULL;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		st = SX_BUSY;
		break;
	case SQLITE_CONSTRAINT:
		st = SX_DATA;
		break;
	default:
		st = SX_SYS;
		break;
	}
	/* The system's reason says more than "disk I/O error". */
	oserr = st == SX_SYS && db != NULL && db->h != NULL ?
	    sqlite3_system_errno(db->h) : 0;
	diag_error(st, &pos, "%s: %s%s%s%s", what,
	    db != NULL && db->h != NULL ? sqlite3_errmsg(db->h) :
	    sqlite3_errstr(rc),
	    st == SX_BUSY ? " (still locked after the busy timeout; retry)" :
	    "", oserr != 0 ? ": " : "", oserr != 0 ? strerror(oserr) : "");
	return -1;
}

/*
 * After SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM SQLite may roll the
 * transaction back by itself.  Whatever ran next would then commit
 * statement by statement: half a file.  Refuse every statement until
 * the caller rolls back, and say so once.
 */
static int
tx_lost(struct db *db)
{
	struct pos pos;

	if (!db->in_tx || !sqlite3_get_autocommit(db->h))
		return 0;
	if (!db->lost) {
		memset(&pos, 0, sizeof(pos));
		pos.file = db->path;
		diag_error(SX_SYS, &pos, "the transaction was rolled back "
		    "after the error above; nothing of it was written");
		db->lost = 1;
	}
	return 1;
}

int
db_tx_lost(struct db *db)
{
	return tx_lost(db);
}

int
db_exec(struct db *db, const char *sql)
{
	int rc;

	if (tx_lost(db))
		return -1;
	if ((rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return db_fail(db, rc, "sql");
	return 0;
}

static int
user_version(struct db *db, int *v)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "cannot read the schema version");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, rc, "cannot read the schema version");
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
migrate(struct db *db)
{
	char sql[64];
	int v, i;

	if (user_version(db, &v) < 0)
		return -1;
	if (v > schema_nmigrations) {
		struct pos pos = {db->path, NULL, 0, 0};

		diag_error(SX_SYS, &pos, "schema version %d is newer than this "
		    "program's %d; upgrade salestrail", v, schema_nmigrations);
		return -1;
	}
	if (v == schema_nmigrations)
		return 0;
	if (db_begin(db) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (user_version(db, &v) < 0)
		goto fail;
	for (i = v; i < schema_nmigrations; i++) {
		if (db_exec(db, schema_migrations[i]) < 0)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", i + 1);
		if (db_exec(db, sql) < 0)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

struct db *
db_open_existing(const char *path, int busy_ms)
{
	struct pos pos;
	struct stat st;

	if (strcmp(path, ":memory:") != 0 && stat(path, &st) != 0) {
		memset(&pos, 0, sizeof(pos));
		pos.file = path;
		if (errno == ENOENT)
			diag_error(SX_SYS, &pos, "no such store (sales-ingest "
			    "creates it; --db or $SALES_DB names another)");
		else
			diag_error(SX_SYS, &pos, "cannot use the store: %s",
			    strerror(errno));
		return NULL;
	}
	return db_open(path, busy_ms);
}

struct db *
db_open(const char *path, int busy_ms)
{
	struct db *db;
	const char *env, *err;
	int rc;

	/*
	 * Nothing asks SQLite how much memory it holds; counting it takes
	 * a mutex around every allocation.  Only possible before SQLite
	 * starts, so the first open sets it, and later calls fail harmlessly.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, rc, "cannot open the database");
		db_close(db);
		return NULL;
	}
	if (busy_ms <= 0) {
		busy_ms = DB_BUSY_MS_DEFAULT;
		if ((env = getenv("SALES_BUSY_TIMEOUT")) != NULL) {
			busy_ms = (int)parse_int(env, 0, 3600000, &err);
			if (err != NULL)
				busy_ms = DB_BUSY_MS_DEFAULT;
		}
	}
	sqlite3_busy_timeout(db->h, busy_ms);
	sqlite3_extended_result_codes(db->h, 1);
	/*
	 * SQLite quietly opens a file it may not write read-only; every
	 * command migrates and writes the WAL index, so say why now.
	 */
	if (sqlite3_db_readonly(db->h, "main") == 1) {
		struct pos pos = {db->path, NULL, 0, 0};

		diag_error(SX_SYS, &pos, "cannot write the database: %s",
		    access(path, W_OK) < 0 ? strerror(errno) : "read-only");
		db_close(db);
		return NULL;
	}
	if (db_exec(db, "PRAGMA journal_mode = WAL") < 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL") < 0 ||
	    db_exec(db, "PRAGMA cache_size = -16384") < 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON") < 0 ||
	    fx_register(db, NULL) < 0 || migrate(db) < 0) {
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++) {
		sqlite3_finalize(db->cache[i].stmt);
		free(db->cache[i].sql);
	}
	free(db->cache);
	if (db->h != NULL)
		sqlite3_close(db->h);
	free(db->path);
	free(db);
}

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

int
db_begin(struct db *db)
{
	if (db_exec(db, "BEGIN IMMEDIATE") < 0)
		return -1;
	db->in_tx = 1;
	db->lost = 0;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc;

	rc = db_exec(db, "COMMIT");
	if (rc < 0) {
		/* A full disk often shows only at COMMIT: say what it cost. */
		if (!db->lost) {
			struct pos pos;

			memset(&pos, 0, sizeof(pos));
			pos.file = db->path;
			diag_error(SX_SYS, &pos, "the transaction was rolled "
			    "back after the error above; nothing of it was "
			    "written");
		}
		db_rollback(db);
		return -1;
	}
	db->in_tx = 0;
	return 0;
}

int
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_tx = 0;
	db->lost = 0;
	return 0;
}

int
db_in_transaction(struct db *db)
{
	return db->in_tx;
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (tx_lost(db))
		return NULL;
	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql ||
		    strcmp(db->cache[i].sql, sql) == 0) {
			st = db->cache[i].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, rc, "cannot prepare a statement");
		return NULL;
	}
	db->cache = xgrow(db->cache, &db->capcache, db->ncache + 1,
	    sizeof(*db->cache));
	db->cache[db->ncache].sql = xstrdup(sql);
	db->cache[db->ncache].stmt = st;
	db->ncache++;
	return st;
}
