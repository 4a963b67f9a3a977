/*
 * floor: the fastest a CSV import can be on this machine, the reference
 * that `make bench` measures sales-ingest against.  libcsv parses; each
 * record is one step of one prepared INSERT into a table whose first
 * column is the primary key, all in one transaction, WAL mode.  With
 * -p it only parses.  Prints "rows bytes" on standard output.
 *
 * With -S the database is a salestrail store (made by sales-ingest) and
 * the file the bench's activities: each record goes as it is into the
 * store's activity table, whose plain indexes are set aside and built
 * again before the commit, as sales-ingest loads a big file.  Nothing
 * is cleaned, parsed or looked up: the time and its first 10 and 8
 * bytes stand for the instant, the date and the week, the rep's and
 * customer's names for their ids; the page cache is the store's
 * (16 MiB, 2 MiB while the indexes are built).  This is the floor of the
 * store's shape: the same rows, the same b-trees, and nothing else.
 *
 * usage: floor [-pS] [-s normal|off] file.csv [db]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <sqlite3.h>

#define MAXCOLS 64

struct floor {
	sqlite3 *db;
	sqlite3_stmt *ins;
	int parse_only;
	int store; /* -S */
	char *idx[16]; /* -S: the CREATE INDEX set aside */
	int nidx;
	int ncols; /* from the header */
	int col;   /* of the current record */
	long rows;
	size_t bytes;
};

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "floor: %s: %s\n", what, why);
	exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err != NULL ? err : "failed");
}

static void
prepare(struct floor *f, const char *sql)
{
	if (sqlite3_prepare_v3(f->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		&f->ins, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(f->db));
}

/* -S: the store's activity table, its plain indexes set aside. */
static void
store_open(struct floor *f)
{
	sqlite3_stmt *st;
	char sql[128];
	int i;

	if (sqlite3_prepare_v2(f->db, "SELECT name, sql FROM sqlite_schema"
		" WHERE type = 'index' AND tbl_name = 'activity' AND sql IS"
		" NOT NULL", -1, &st, NULL) != SQLITE_OK)
		die("store", sqlite3_errmsg(f->db));
	while (sqlite3_step(st) == SQLITE_ROW && f->nidx < 16)
		f->idx[f->nidx++] = strdup(
		    (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (f->nidx == 0)
		die("store", "no activity indexes: not a salestrail store");
	for (i = 0; i < f->nidx; i++) {
		/* "CREATE INDEX name ON ...": the name is the third word. */
		snprintf(sql, sizeof(sql), "DROP INDEX %.*s",
		    (int)strcspn(f->idx[i] + 13, " "), f->idx[i] + 13);
		exec(f->db, sql);
	}
	exec(f->db, "INSERT INTO import_batch (id, file, started_at)"
	    " VALUES (1, 'floor', '')");
	prepare(f, "INSERT INTO activity (id, at, on_date, week, rep_id,"
	    " customer_id, type, text, deal_id, note, batch_id, src_row)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11)");
}

/* -S: bind field col of the bench's activity file. */
static void
store_field(struct floor *f, const char *s, size_t len)
{
	static const int param[8] = {1, 0, 5, 6, 7, 8, 0, 10};

	switch (f->col) {
	case 1: /* 跟进时间: at, on_date, week */
		sqlite3_bind_text(f->ins, 2, s, (int)len, SQLITE_TRANSIENT);
		sqlite3_bind_text(f->ins, 3, s, len < 10 ? (int)len : 10,
		    SQLITE_TRANSIENT);
		sqlite3_bind_text(f->ins, 4, s, len < 8 ? (int)len : 8,
		    SQLITE_TRANSIENT);
		break;
	case 6: /* 商机编号, often empty */
		if (len > 0)
			sqlite3_bind_text(f->ins, 9, s, (int)len,
			    SQLITE_TRANSIENT);
		break;
	default: /* id, -, rep, customer, type, text, -, note */
		if (f->col < 8)
			sqlite3_bind_text(f->ins, param[f->col], s, (int)len,
			    SQLITE_TRANSIENT);
		break;
	}
}

/* The header names the columns: c1 is the key, the rest TEXT. */
static void
create(struct floor *f)
{
	char sql[4096];
	size_t n;
	int i;

	if (f->store) {
		store_open(f);
		return;
	}
	exec(f->db, "DROP TABLE IF EXISTS t");
	n = (size_t)snprintf(sql, sizeof(sql),
	    "CREATE TABLE t (c1 TEXT "
	    "PRIMARY KEY NOT NULL");
	for (i = 1; i < f->ncols && n < sizeof(sql); i++)
		n += (size_t)snprintf(
		    sql + n, sizeof(sql) - n, ", c%d TEXT", i + 1);
	if (n < sizeof(sql))
		n += (size_t)snprintf(
		    sql + n, sizeof(sql) - n, ", src_row INTEGER NOT NULL)");
	if (n >= sizeof(sql))
		die("header", "too many columns");
	exec(f->db, sql);
	n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO t VALUES (?");
	for (i = 0; i < f->ncols; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, ", ?");
	snprintf(sql + n, sizeof(sql) - n, ")");
	prepare(f, sql);
}

static void
on_field(void *s, size_t len, void *p)
{
	struct floor *f = p;

	f->bytes += len;
	if (f->rows > 0 && f->store)
		store_field(f, s, len);
	else if (f->rows > 0 && !f->parse_only && f->col < f->ncols)
		sqlite3_bind_text(
		    f->ins, f->col + 1, s, (int)len, SQLITE_TRANSIENT);
	f->col++;
}

static void
on_record(int c, void *p)
{
	struct floor *f = p;

	(void)c;
	if (f->rows == 0) {
		f->ncols = f->col < MAXCOLS ? f->col : MAXCOLS;
		if (!f->parse_only)
			create(f);
	} else if (!f->parse_only) {
		sqlite3_bind_int64(f->ins, f->store ? 11 : f->ncols + 1,
		    f->rows + 1);
		if (sqlite3_step(f->ins) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(f->db));
		sqlite3_reset(f->ins);
		sqlite3_clear_bindings(f->ins);
	}
	f->rows++;
	f->col = 0;
}

int
main(int argc, char *argv[])
{
	static char buf[1 << 20];
	struct csv_parser p;
	struct floor f;
	const char *sync = "NORMAL", *csvpath, *dbpath = NULL;
	char sql[64];
	FILE *fp;
	size_t n;
	int i = 1;

	memset(&f, 0, sizeof(f));
	for (; i < argc && argv[i][0] == '-'; i++)
		if (strcmp(argv[i], "-p") == 0)
			f.parse_only = 1;
		else if (strcmp(argv[i], "-S") == 0)
			f.store = 1;
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			sync = argv[++i];
		else
			break;
	if (i >= argc || (!f.parse_only && i + 2 != argc)) {
		fputs("usage: floor [-pS] [-s normal|off] file.csv [db]\n",
		    stderr);
		return 2;
	}
	csvpath = argv[i];
	if (!f.parse_only) {
		dbpath = argv[i + 1];
		if (sqlite3_open(dbpath, &f.db) != SQLITE_OK)
			die(dbpath, sqlite3_errmsg(f.db));
		exec(f.db, "PRAGMA journal_mode = WAL");
		snprintf(sql, sizeof(sql), "PRAGMA synchronous = %s", sync);
		exec(f.db, sql);
		if (f.store)
			exec(f.db, "PRAGMA cache_size = -16384");
		exec(f.db, "BEGIN IMMEDIATE");
	}
	if ((fp = fopen(csvpath, "rb")) == NULL)
		die(csvpath, "cannot open");
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		die("csv_init", "out of memory");
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_record, &f) != n)
			die(csvpath, csv_strerror(csv_error(&p)));
	csv_fini(&p, on_field, on_record, &f);
	csv_free(&p);
	fclose(fp);
	/* The page cache of the store's connection, as sales-ingest. */
	if (f.nidx > 0)
		exec(f.db, "PRAGMA cache_size = -2048");
	for (i = 0; i < f.nidx; i++) {
		exec(f.db, f.idx[i]);
		free(f.idx[i]);
	}
	if (!f.parse_only) {
		exec(f.db, "COMMIT");
		sqlite3_finalize(f.ins);
		sqlite3_close(f.db);
	}
	printf("%ld %zu\n", f.rows > 0 ? f.rows - 1 : 0, f.bytes);
	return 0;
}
