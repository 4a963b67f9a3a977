/*
 * Bulk loading (store_bulk()): a file that is most of its table loads
 * with the table's plain indexes set aside, and leaves the same rows
 * and the same indexes as a row-by-row load, under stage gates too; a
 * rollback or a dry run leaves the schema as it was.  The store's own
 * reference checks (store_refs_check()) stand in for SQLite's foreign
 * keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "map.h"
#include "store.h"
#include "tz.h"
#include "vocab.h"
#include "tap.h"

static const struct vocab *vocab;
static char dir[64];
static FILE *msgs;	/* what the imports say, out of the TAP stream */

/* n activity rows; row bad (1-based, 0: none) has a time that is not. */
static void
write_csv(const char *path, int first, int n, int bad)
{
	FILE *fp;
	int i;

	if ((fp = fopen(path, "w")) == NULL)
		return;
	fputs("跟进编号,跟进时间,销售,客户名称,跟进方式,跟进内容,商机编号,"
	    "备注\n", fp);
	for (i = first; i < first + n; i++)
		fprintf(fp, "GJ%08d,%s,销售%d,客户%d有限公司,%s,第%d次跟进,"
		    "%s%d,\n", i, i - first + 1 == bad ? "昨天下午" :
		    "2026-03-05T14:22:10+08:00", i % 7, i % 97,
		    i % 2 ? "电话" : "拜访", i, i % 3 ? "SJ" : "", i % 300);
	fclose(fp);
}

static const char *rules;	/* stage gates for the imports, or NULL */

static int import_quiet(const char *, const char *, long, int);

/* Import path into dbpath; returns the exit status. */
static int
import(const char *dbpath, const char *path, long bulk_rows, int dry_run)
{
	diag_init("t_ingest", msgs);
	diag_set_quiet(1);
	return import_quiet(dbpath, path, bulk_rows, dry_run);
}

/* The same, saying what diag_init() and diag_set_quiet() set. */
static int
import_quiet(const char *dbpath, const char *path, long bulk_rows,
    int dry_run)
{
	struct ingest_opts o;
	struct ingest *in;
	struct db *db;
	int st;

	memset(&o, 0, sizeof(o));
	o.bulk_rows = bulk_rows;
	o.dry_run = dry_run;
	o.rules = rules;
	if ((db = db_open(dbpath, 0)) == NULL)
		return -1;
	in = ingest_new(db, vocab, &o);
	st = ingest_file(in, path);
	ingest_free(in);
	db_close(db);
	return st;
}

/* The rows of one query, one line each, '|' between the columns. */
static char *
query(const char *dbpath, const char *sql)
{
	struct buf b = {0};
	sqlite3_stmt *st;
	sqlite3 *h;
	char *out;
	int i;

	if (sqlite3_open(dbpath, &h) != SQLITE_OK) {
		sqlite3_close(h);
		return strdup("(cannot open)");
	}
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		buf_addf(&b, "(%s)", sqlite3_errmsg(h));
		sqlite3_close(h);
		out = strdup(buf_str(&b));
		buf_free(&b);
		return out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			buf_addf(&b, "%s%s", i ? "|" : "",
			    t != NULL ? (const char *)t : "NULL");
		}
		buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

static int
same(const char *db1, const char *db2, const char *sql, const char *what)
{
	char *a, *b;
	int eq;

	a = query(db1, sql);
	b = query(db2, sql);
	eq = strcmp(a, b) == 0 && *a != '\0';
	ok(eq, what);
	if (!eq)
		printf("# %.200s\n# %.200s\n", a, b);
	free(a);
	free(b);
	return eq;
}

static const char indexes[] = "SELECT name, sql FROM sqlite_schema"
    " WHERE type = 'index' AND tbl_name = 'activity' ORDER BY name";
/* Where each activity index sits in the schema: moved when rebuilt. */
static const char places[] = "SELECT name, rowid FROM sqlite_schema"
    " WHERE type = 'index' AND tbl_name = 'activity' ORDER BY name";

static void
test_bulk(void)
{
	char csv[96], bulk[96], plain[96], again[96], bad[96], roll[96];
	char *a, *b;

	snprintf(csv, sizeof(csv), "%s/acts.csv", dir);
	snprintf(bulk, sizeof(bulk), "%s/bulk.db", dir);
	snprintf(plain, sizeof(plain), "%s/plain.db", dir);
	snprintf(again, sizeof(again), "%s/again.csv", dir);
	snprintf(bad, sizeof(bad), "%s/bad.csv", dir);
	write_csv(csv, 1, 1000, 0);

	/* Weighed every 100 rows: at 100 the file is all of the table. */
	is_int(import(bulk, csv, 100, 0), SX_OK, "bulk import");
	is_int(import(plain, csv, 1000000, 0), SX_OK, "row-by-row import");
	same(bulk, plain, "SELECT * FROM activity ORDER BY id",
	    "same activities");
	same(bulk, plain, "SELECT * FROM customer ORDER BY id",
	    "same customers");
	same(bulk, plain, "SELECT * FROM rep ORDER BY id", "same reps");
	same(bulk, plain, indexes, "same indexes, same definitions");
	a = query(bulk, places);
	b = query(plain, places);
	ok(strcmp(a, b) != 0, "the bulk import rebuilt them");
	free(a);
	free(b);
	a = query(bulk, "PRAGMA integrity_check");
	is_str(a, "ok\n", "integrity_check after the rebuild");
	free(a);
	a = query(bulk, "SELECT count(*) FROM activity"
	    " INDEXED BY activity_customer WHERE customer_id IS NOT NULL");
	is_str(a, "1000\n", "the rebuilt index holds every row");
	free(a);

	/* 20 rows into a table of 1000: too few to set indexes aside. */
	a = query(bulk, places);
	write_csv(again, 1001, 20, 0);
	is_int(import(bulk, again, 10, 0), SX_OK, "small import");
	b = query(bulk, places);
	is_str(b, a, "small import leaves the indexes alone");
	free(b);
	free(a);

	/* A rejected row rolls back: the indexes set aside come back. */
	snprintf(roll, sizeof(roll), "%s/roll.db", dir);
	write_csv(bad, 5001, 1000, 900);
	is_int(import(roll, bad, 100, 1), SX_DATA, "dry run with a bad row");
	is_int(import(roll, bad, 100, 0), SX_DATA, "rejected row");
	same(roll, plain, places, "indexes as they were after a rollback");
	a = query(roll, "SELECT count(*) FROM activity");
	is_str(a, "0\n", "nothing of the rolled-back file stored");
	free(a);
	a = query(roll, "PRAGMA integrity_check");
	is_str(a, "ok\n", "integrity_check after the rollback");
	free(a);

	unlink(csv);
	unlink(again);
	unlink(bad);
	unlink(bulk);
	unlink(plain);
	unlink(roll);
}

/*
 * 400 rows, of which some repeat an earlier row's order number: every
 * 7th the row 3 before it (the same chunk), every 41st the row 40
 * before it (an earlier chunk), half of them with the same values, half
 * with another text.  Row i's order number is base + i.
 */
static void
write_repeats(const char *path, int base)
{
	FILE *fp;
	int i, id;

	if ((fp = fopen(path, "w")) == NULL)
		return;
	fputs("跟进编号,跟进时间,销售,客户名称,跟进方式,跟进内容,商机编号,"
	    "备注\n", fp);
	for (i = 1; i <= 400; i++) {
		id = base + i;
		if (i % 7 == 0)
			id = base + i - 3;
		else if (i % 41 == 0)
			id = base + i - 40;
		fprintf(fp, "GJ%08d,2026-03-05T14:22:10+08:00,销售%d,客户%d有限"
		    "公司,电话,第%d次跟进,,\n", id, id % 5, id % 31,
		    (i % 7 == 0 || i % 41 == 0) && i % 2 ? i : id);
	}
	fclose(fp);
}

/* import() with what it says written to said. */
static int
import_said(const char *dbpath, const char *path, long bulk_rows,
    FILE *said)
{
	int st;

	diag_init("t_ingest", said);
	diag_set_quiet(0);
	st = import_quiet(dbpath, path, bulk_rows, 0);
	diag_init("t_ingest", msgs);
	diag_set_quiet(1);
	return st;
}

static char *
slurp(FILE *fp)
{
	char *s;
	long n;

	fflush(fp);
	n = ftell(fp);
	s = calloc(1, (size_t)n + 1);
	rewind(fp);
	if (s != NULL && fread(s, 1, (size_t)n, fp) != (size_t)n)
		s[0] = '\0';
	return s;
}

/*
 * A bulk load writes its rows many to a statement (store_flush()): rows
 * repeating an earlier row of the file, in the same chunk or an earlier
 * one, and rows whose order number an earlier import stored, come out
 * as they do row by row: the same records, the same warnings in the
 * same order, the same change_log, the same counts and messages.
 */
static void
test_bulk_repeats(void)
{
	char csv[96], first[96], bulk[96], plain[96];
	FILE *sb, *sp;
	char *a, *b;

	snprintf(csv, sizeof(csv), "%s/repeats.csv", dir);
	snprintf(first, sizeof(first), "%s/first.csv", dir);
	snprintf(bulk, sizeof(bulk), "%s/rbulk.db", dir);
	snprintf(plain, sizeof(plain), "%s/rplain.db", dir);
	write_repeats(csv, 0);
	/* 30 of them stored before, ids 371..400: 8 the same, some not. */
	write_csv(first, 371, 30, 0);
	is_int(import(bulk, first, 1000000, 0), SX_OK, "earlier import");
	is_int(import(plain, first, 1000000, 0), SX_OK, "the same, again");
	a = query(bulk, places);
	sb = tmpfile();
	sp = tmpfile();
	is_int(import_said(bulk, csv, 50, sb), SX_OK, "bulk import");
	is_int(import_said(plain, csv, 1000000, sp), SX_OK,
	    "row-by-row import");
	b = query(bulk, places);
	ok(strcmp(a, b) != 0, "the bulk import set indexes aside");
	free(a);
	free(b);
	same(bulk, plain, "SELECT * FROM activity ORDER BY id",
	    "same activities");
	same(bulk, plain, "SELECT batch_id, tbl, rec_id, sheet, row,"
	    " reason FROM import_warning ORDER BY id", "same warnings, in order");
	/*
	 * A queued row's update is logged when its chunk is written, so
	 * the log's lines of different records may interleave otherwise;
	 * each record's own lines keep their order, all undo needs.
	 */
	same(bulk, plain, "SELECT batch_id, tbl, rec_id, op, before, after"
	    " FROM change_log ORDER BY tbl, rec_id, id",
	    "same change_log, each record's lines in order");
	same(bulk, plain, "SELECT rows, inserted, updated, unchanged,"
	    " rejected, warnings FROM import_batch ORDER BY id",
	    "same counts");
	a = query(bulk, "SELECT inserted, updated, unchanged FROM"
	    " import_batch WHERE id = 2");
	/*
	 * Replayed by hand, row by row (an order number met for the first
	 * time is an insert; met again, an update when a value differs,
	 * else unchanged): 313 new, 57 changed, 30 the same.
	 */
	is_str(a, "313|57|30\n", "inserted, updated and unchanged rows");
	free(a);
	a = slurp(sb);
	b = slurp(sp);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0 &&
	    strstr(a, "repeats row") != NULL, "same messages, in order");
	if (a != NULL && b != NULL && strcmp(a, b) != 0)
		printf("# bulk said:\n# %.300s\n# row by row said:\n# %.300s\n",
		    a, b);
	free(a);
	free(b);
	fclose(sb);
	fclose(sp);
	unlink(csv);
	unlink(first);
	unlink(bulk);
	unlink(plain);
}

/*
 * Deals load in bulk under the shipped stage gates: the gates read a
 * deal by its key and its activities, never the deal table's plain
 * indexes.  300 new deals in 初步接触, then 10 of them claiming 需求分析
 * in the same file: with no contact recorded, the 有效沟通 gate refuses
 * all 10 in both loads, and the two stores hold the same deals, events
 * and indexes.
 */
static void
test_bulk_gates(void)
{
	static const char deals[] = "SELECT name, sql FROM sqlite_schema"
	    " WHERE type = 'index' AND tbl_name = 'deal' ORDER BY name";
	char csv[96], bulk[96], plain[96];
	FILE *fp;
	char *a, *b;
	int i;

	snprintf(csv, sizeof(csv), "%s/deals.csv", dir);
	snprintf(bulk, sizeof(bulk), "%s/gbulk.db", dir);
	snprintf(plain, sizeof(plain), "%s/gplain.db", dir);
	if ((fp = fopen(csv, "w")) == NULL)
		return;
	fputs("订单号,客户名称,销售,合同金额,阶段\n", fp);
	for (i = 1; i <= 300; i++)
		fprintf(fp, "SO-%d,客户%d有限公司,销售%d,%d,初步接触\n", i,
		    i % 41, i % 7, 1000 * i);
	for (i = 1; i <= 10; i++)
		fprintf(fp, "SO-%d,客户%d有限公司,销售%d,%d,需求分析\n", i,
		    i % 41, i % 7, 1000 * i);
	fclose(fp);
	rules = "share/rules";
	is_int(import(bulk, csv, 100, 0), SX_OK, "bulk import under gates");
	is_int(import(plain, csv, 1000000, 0), SX_OK,
	    "row-by-row import under gates");
	rules = NULL;
	same(bulk, plain, "SELECT id, stage, amount_fen FROM deal ORDER BY id",
	    "same deals under gates");
	a = query(bulk, "SELECT stage, count(*) FROM deal GROUP BY stage");
	is_str(a, "contact|300\n", "every claim of 需求分析 refused");
	free(a);
	a = query(bulk, "SELECT kind, count(*) FROM stage_event"
	    " GROUP BY kind ORDER BY kind");
	ok(strstr(a, "blocked|10\n") != NULL, "10 refusals recorded");
	free(a);
	same(bulk, plain, "SELECT deal_id, kind, from_stage, to_stage"
	    " FROM stage_event ORDER BY deal_id, id", "same stage events");
	same(bulk, plain, deals, "same deal indexes, same definitions");
	a = query(bulk, "SELECT name, rowid FROM sqlite_schema"
	    " WHERE type = 'index' AND tbl_name = 'deal' ORDER BY name");
	b = query(plain, "SELECT name, rowid FROM sqlite_schema"
	    " WHERE type = 'index' AND tbl_name = 'deal' ORDER BY name");
	ok(strcmp(a, b) != 0, "the gated bulk load rebuilt them");
	free(a);
	free(b);
	a = query(bulk, "SELECT count(*) FROM deal INDEXED BY deal_rep"
	    " WHERE rep_id IS NOT NULL");
	is_str(a, "300\n", "the rebuilt deal index holds every row");
	free(a);
	a = query(bulk, "PRAGMA integrity_check");
	is_str(a, "ok\n", "integrity_check after the gated bulk load");
	free(a);
	unlink(csv);
	unlink(bulk);
	unlink(plain);
}

/* Set text column name of r to v. */
static void
set_text(struct rec *r, const char *name, const char *v)
{
	int c = kind_col(r->kd, name);

	r->v[c].set = 1;
	r->v[c].off = r->arena.len;
	r->v[c].len = strlen(v);
	buf_add(&r->arena, v, strlen(v));
}

/*
 * A record naming a customer or rep that is not in the store fails the
 * batch's reference check (SQLite's foreign keys are off for the
 * store's connection), with the table, column, value and row; one whose
 * parents exist, or were written by the same batch, passes.
 */
static void
test_refs(void)
{
	struct batch_info bi = {"refs.csv", NULL, "csv", "UTF-8", NULL,
	    "activity", 0, 0, 0, 0, 0, 0};
	char path[96], said[512];
	struct rec act, cust;
	struct store *s;
	struct db *db;
	size_t n;

	snprintf(path, sizeof(path), "%s/refs.db", dir);
	if ((db = db_open(path, 0)) == NULL) {
		ok(0, "open a store for the reference checks");
		return;
	}
	s = store_new(db);
	rec_init(&cust, kind_def(K_CUSTOMER));
	rec_init(&act, kind_def(K_ACTIVITY));
	db_begin(db);
	store_batch_begin(s, &bi);
	snprintf(cust.id, sizeof(cust.id), "C1");
	set_text(&cust, "id", "C1");
	set_text(&cust, "name", "华东机电");
	is_int(store_put(s, &cust, 1, NULL, 2), PUT_INSERTED,
	    "the customer is written");
	snprintf(act.id, sizeof(act.id), "A1");
	set_text(&act, "id", "A1");
	set_text(&act, "at", "2026-03-05T14:22:10+08:00");
	set_text(&act, "on_date", "2026-03-05");
	set_text(&act, "week", "2026-W10");
	set_text(&act, "type", "call");
	set_text(&act, "customer_id", "C1");
	is_int(store_put(s, &act, 0, NULL, 2), PUT_INSERTED,
	    "an activity of the customer is written");
	is_int(store_refs_check(s), 0, "a customer of the batch is found");

	rec_reset(&act, kind_def(K_ACTIVITY));
	snprintf(act.id, sizeof(act.id), "A2");
	set_text(&act, "id", "A2");
	set_text(&act, "at", "2026-03-05T15:00:00+08:00");
	set_text(&act, "on_date", "2026-03-05");
	set_text(&act, "week", "2026-W10");
	set_text(&act, "type", "visit");
	set_text(&act, "customer_id", "C404");
	is_int(store_put(s, &act, 0, NULL, 7), PUT_INSERTED,
	    "SQLite lets a missing customer through");
	fflush(msgs);
	rewind(msgs);
	ftruncate(fileno(msgs), 0);
	diag_set_quiet(0);
	is_int(store_refs_check(s), -1, "the check finds it");
	fflush(msgs);
	rewind(msgs);
	n = fread(said, 1, sizeof(said) - 1, msgs);
	said[n] = '\0';
	ok(strstr(said, "refs.csv:7:") != NULL && strstr(said,
	    "activity.customer_id 'C404' names no row of customer") != NULL,
	    "and names the file, row, column and value");
	if (strstr(said, "C404") == NULL)
		printf("# said: %s\n", said);
	db_rollback(db);
	store_free(s);
	rec_free(&act);
	rec_free(&cust);
	db_close(db);
	unlink(path);
}

static int outcome[64], noutcome;

static void
record_outcome(void *arg, const struct rec *r, const char *sheet, long row,
    enum put_rc rc)
{
	(void)arg;
	(void)r;
	(void)sheet;
	(void)row;
	if (noutcome < 64)
		outcome[noutcome++] = rc;
}

/* An activity of the chunk test, on line 1 like every item of a feed. */
static void
chunk_act(struct rec *a, const char *id, const char *text)
{
	rec_reset(a, kind_def(K_ACTIVITY));
	snprintf(a->id, sizeof(a->id), "%s", id);
	set_text(a, "id", id);
	set_text(a, "at", "2026-03-05T14:22:10+08:00");
	set_text(a, "on_date", "2026-03-05");
	set_text(a, "week", "2026-W10");
	set_text(a, "type", "call");
	set_text(a, "text", text);
}

/*
 * A chunk of a bulk load whose rows all have the same provenance (a
 * feed on one line): which rows the INSERT made is told by rowid, not
 * by batch and row.  Y0..Y29 are new, X1 was stored by this batch
 * before the load went bulk, with the same line, and Y0 comes again
 * last with the same values: 30 inserts, an update, an unchanged row.
 */
static void
test_chunk_same_line(void)
{
	struct batch_info bi = {"feed.xml", NULL, "rss", "UTF-8", NULL,
	    "activity", 0, 0, 0, 0, 0, 0};
	char path[96], id[16];
	struct store *s;
	struct rec a;
	struct db *db;
	int i, ins = 0, upd = 0, same = 0;

	snprintf(path, sizeof(path), "%s/chunk.db", dir);
	if ((db = db_open(path, 0)) == NULL) {
		ok(0, "open a store for the chunk test");
		return;
	}
	s = store_new(db);
	rec_init(&a, kind_def(K_ACTIVITY));
	db_begin(db);
	store_batch_begin(s, &bi);
	chunk_act(&a, "X1", "第一次");
	is_int(store_put(s, &a, 0, NULL, 1), PUT_INSERTED,
	    "X1 written before the load is bulk");
	is_int(store_bulk(s, kind_def(K_ACTIVITY), 1), 0, "bulk load on");
	store_set_done(s, record_outcome, NULL);
	for (i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "Y%d", i);
		chunk_act(&a, id, "新的");
		store_put(s, &a, 0, NULL, 1);
	}
	chunk_act(&a, "X1", "第二次");
	store_put(s, &a, 0, NULL, 1);
	chunk_act(&a, "Y0", "新的");
	is_int(store_put(s, &a, 0, NULL, 1), PUT_QUEUED,
	    "the 32nd row fills the chunk");
	is_int(noutcome, 32, "every row of the chunk has its outcome");
	for (i = 0; i < noutcome; i++) {
		ins += outcome[i] == PUT_INSERTED;
		upd += outcome[i] == PUT_UPDATED;
		same += outcome[i] == PUT_UNCHANGED;
	}
	ok(ins == 30 && upd == 1 && same == 1 && outcome[30] == PUT_UPDATED &&
	    outcome[31] == PUT_UNCHANGED,
	    "30 inserted, X1 updated, Y0 again unchanged");
	if (ins != 30)
		printf("# inserted %d, updated %d, unchanged %d\n", ins, upd,
		    same);
	db_rollback(db);
	store_set_done(s, NULL, NULL);
	store_free(s);
	rec_free(&a);
	db_close(db);
	unlink(path);
}

int
main(void)
{
	struct vocab *v;

	if ((msgs = tmpfile()) == NULL)
		return 1;
	diag_init("t_ingest", msgs);
	snprintf(dir, sizeof(dir), "%s/t_ingest.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL || tz_init("Asia/Shanghai") < 0 ||
	    (v = vocab_load("share/rules")) == NULL)
		return 1;
	vocab = v;
	test_bulk();
	test_bulk_gates();
	test_bulk_repeats();
	test_refs();
	test_chunk_same_line();
	vocab_free(v);
	rmdir(dir);
	fclose(msgs);
	diag_init("t_ingest", stderr);
	return tap_done();
}
