/*
 * Fuzz the whole import of one file, as sales-ingest runs it: format
 * sniffed from the bytes (CSV, XLSX or JSON lines), header detection,
 * kind detection, mapping, totals checks and the store's upserts, in a
 * dry run against a scratch database.  The first byte chooses options
 * (--partial, --strict, --all-sheets, the header row); the rest is the
 * file.  Invariants: the transaction is always closed and the dry run
 * leaves the store empty, whatever the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "db.h"
#include "fuzz.h"
#include "ingest.h"
#include "rules.h"
#include "tz.h"
#include "vocab.h"

static struct vocab *vocab;
static struct db *db;
static char dbpath[300];

static void
remove_db(void)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[320];
	size_t i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dbpath, sfx[i]);
		unlink(p);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup(".csv");
	snprintf(dbpath, sizeof(dbpath), "%s.db", fuzz_path);
	atexit(remove_db);
	if (tz_init(NULL) < 0 ||
	    (vocab = vocab_load(rules_dir(NULL))) == NULL ||
	    (db = db_open(dbpath, 0)) == NULL) {
		fprintf(stderr, "fuzz_ingest: cannot set up\n");
		abort();
	}
	return 0;
}

static long
rows_in(const char *table)
{
	char sql[128];
	sqlite3_stmt *st;
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct ingest_opts o;
	struct ingest *in;

	if (n == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.dry_run = 1;
	o.partial = data[0] & 1;
	o.strict = (data[0] >> 1) & 1;
	o.ropts.all_sheets = (data[0] >> 2) & 1;
	o.header_row = (data[0] >> 3) & 3;	/* 0 detects */
	fuzz_file(data + 1, n - 1);
	in = ingest_new(db, vocab, &o);
	ingest_file(in, fuzz_path);
	ingest_free(in);
	FUZZ_ASSERT(!db_in_transaction(db));
	FUZZ_ASSERT(sqlite3_get_autocommit(db_handle(db)));
	FUZZ_ASSERT(rows_in("import_batch") == 0);
	FUZZ_ASSERT(rows_in("customer") == 0);
	FUZZ_ASSERT(rows_in("deal") == 0);
	return 0;
}
