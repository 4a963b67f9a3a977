/*
 * Lead routing (assign.c): distances, round-robin fairness over many
 * runs with a rep leaving midway, least-loaded ties, weighted shares,
 * capacity and "never twice".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "assign.h"
#include "db.h"
#include "diag.h"
#include "tap.h"
#include "xalloc.h"

static char dir[] = "/tmp/t_assign.XXXXXX";
static char dbpath[80];
static long nlead;

static void
write_rules(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/assign.csv", dir);
	if ((f = fopen(path, "w")) == NULL)
		exit(99);
	fputs("name,lead,pool,method,cap\n", f);
	fputs(text, f);
	fclose(f);
}

static struct db *
fresh(void)
{
	struct db *db;

	snprintf(dbpath, sizeof(dbpath), "%s/sales.db", dir);
	unlink(dbpath);
	if ((db = db_open(dbpath, 0)) == NULL)
		exit(99);
	nlead = 0;
	return db;
}

static void
sql(struct db *db, const char *q)
{
	if (db_exec(db, q) < 0)
		exit(99);
}

static void
add_rep(struct db *db, const char *id, int seq, const char *extra)
{
	char q[256];

	snprintf(q, sizeof(q), "INSERT INTO rep (id, name, seq, active, "
	    "capacity, weight) VALUES ('%s', '%s', %d, %s)", id, id, seq,
	    extra);
	sql(db, q);
}

static void
add_leads(struct db *db, long n)
{
	sqlite3_stmt *st;
	char id[32], at[40];
	long i;

	sqlite3_prepare_v2(db_handle(db), "INSERT INTO lead (id, arrived_at) "
	    "VALUES (?1, ?2)", -1, &st, NULL);
	for (i = 0; i < n; i++) {
		nlead++;
		snprintf(id, sizeof(id), "L%06ld", nlead);
		snprintf(at, sizeof(at), "2026-03-02T09:%02ld:%02ld+08:00",
		    (nlead / 60) % 60, nlead % 60);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* One run as the command does it: lock, route, save, commit. */
static long
run(struct db *db)
{
	struct assign_opts o;
	struct assign_stats s;
	struct assigner *a;

	memset(&o, 0, sizeof(o));
	o.fmt = OUT_JSONL;
	if (db_begin(db) < 0 || (a = assign_new(db, dir, &o)) == NULL)
		exit(99);
	if (assign_run(a, NULL, 0, &s) < 0 || assign_save(a) < 0)
		exit(99);
	assign_free(a);
	db_commit(db);
	return s.assigned;
}

static long
count(struct db *db, const char *q)
{
	sqlite3_stmt *st;
	long n = -1;

	sqlite3_prepare_v2(db_handle(db), q, -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* max - min of the per-rep counts of the runs in [from, to]. */
static long
spread(struct db *db, int from, int to, long *total)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT sum(n) FROM (SELECT count(a.id) AS n "
	    "FROM rep r LEFT JOIN assignment a ON a.rep_id = r.id AND a.run "
	    "BETWEEN %d AND %d WHERE r.active = 1 GROUP BY r.id)", from, to);
	*total = count(db, q);
	snprintf(q, sizeof(q), "SELECT max(n) - min(n) FROM (SELECT "
	    "count(a.id) AS n FROM rep r LEFT JOIN assignment a ON a.rep_id = "
	    "r.id AND a.run BETWEEN %d AND %d WHERE r.active = 1 GROUP BY "
	    "r.id)", from, to);
	return count(db, q);
}

static void
t_geo(void)
{
	ok(fabs(geo_km(31.2304, 121.4737, 31.2304, 121.4737)) < 1e-9,
	    "geo: a point is 0 km from itself");
	/* One degree of a great circle: 6371 * pi / 180. */
	ok(fabs(geo_km(0, 0, 0, 1) - 111.19492664) < 1e-6,
	    "geo: one degree on the equator");
	ok(fabs(geo_km(31.2304, 121.4737, 31.2500, 121.4737) -
	    6371.0 * 0.0196 * M_PI / 180.0) < 1e-6,
	    "geo: along a meridian, R * dlat");
	ok(fabs(geo_km(31.2304, 121.4737, 39.9042, 116.4074) - 1067.3102) <
	    1e-3, "geo: Shanghai to Beijing, 1067.31 km");
	ok(fabs(geo_km(0, 0, 0, 180) - 6371.0 * M_PI) < 1e-6,
	    "geo: antipodes are half the circumference");
	is_int(assign_method_parse("weighted"), AM_WEIGHTED, "method: parse");
	is_int(assign_method_parse("random"), AM_NONE, "method: unknown");
	is_str(assign_method_name(AM_NEAREST), "nearest", "method: name");
}

/*
 * 10,000 leads and 7 reps in runs of 250 (the cursor lives in the
 * store between runs); rep R3 leaves after 5,000.  Within each period
 * the per-rep counts differ by at most 1 and R3 gets nothing after.
 */
static void
t_fairness(void)
{
	struct db *db = fresh();
	long total, got = 0;
	int i, r, runs1;

	write_rules("轮转,,,round_robin,\n");
	for (r = 1; r <= 7; r++) {
		char id[16];

		snprintf(id, sizeof(id), "R%d", r);
		add_rep(db, id, r, "1, NULL, NULL");
	}
	for (i = 0; i < 20; i++) {
		add_leads(db, 250);
		got += run(db);
	}
	runs1 = 20;
	ok(spread(db, 1, runs1, &total) <= 1 && total == 5000,
	    "fairness: 5,000 leads over 7 reps, counts within 1");
	sql(db, "UPDATE rep SET active = 0 WHERE id = 'R3'");
	for (i = 0; i < 20; i++) {
		add_leads(db, 250);
		got += run(db);
	}
	is_int(got, 10000, "fairness: every lead assigned");
	ok(spread(db, runs1 + 1, 40, &total) <= 1 && total == 5000,
	    "fairness: after R3 leaves, 6 reps within 1");
	is_int(count(db, "SELECT count(*) FROM assignment a JOIN rep r ON "
	    "r.id = a.rep_id WHERE r.id = 'R3' AND a.run > 20"), 0,
	    "fairness: nothing for R3 after leaving");
	is_int(count(db, "SELECT count(*) FROM assignment a WHERE a.rep_id = "
	    "'R3'"), 5000 / 7 + (5000 % 7 >= 3), "fairness: R3's share before");
	is_int(count(db, "SELECT count(DISTINCT lead_id) FROM assignment"),
	    10000, "fairness: no lead twice");
	is_int(run(db), 0, "a second run finds nothing to do");
	db_close(db);
}

static const char *
owner(struct db *db, long n)
{
	static char name[32];
	sqlite3_stmt *st;
	char id[32];

	snprintf(id, sizeof(id), "L%06ld", n);
	name[0] = '\0';
	sqlite3_prepare_v2(db_handle(db), "SELECT rep_id FROM lead WHERE id "
	    "= ?1", -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(name, sizeof(name), "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return name;
}

/*
 * The cursor is a place in the rotation, not a person: a rep who had
 * the last lead and then leaves the pool, or the store, leaves the turn
 * with the rep after them.  Rotation by code when there is no seq.
 */
static void
t_cursor(void)
{
	struct db *db = fresh();

	write_rules("金牌,,tier = 'gold',round_robin,\n");
	sql(db, "INSERT INTO rep (id, name, code, tier) VALUES "
	    "('R1', '甲', 'S1', 'gold'), ('R2', '乙', 'S2', 'gold'), "
	    "('R3', '丙', 'S3', 'gold'), ('R4', '丁', 'S4', 'gold')");
	add_leads(db, 3);
	run(db);
	is_str(owner(db, 3), "R3", "cursor: by code, R3 had lead 3");
	sql(db, "UPDATE rep SET tier = 'silver' WHERE id = 'R3'");
	add_leads(db, 1);
	run(db);
	is_str(owner(db, 4), "R4", "cursor: R3 left the pool, R4 is next");
	/* R4 had the last lead; remove R4 from the store altogether. */
	sql(db, "PRAGMA foreign_keys = OFF; DELETE FROM assignment WHERE "
	    "rep_id = 'R4'; UPDATE lead SET rep_id = NULL WHERE rep_id = "
	    "'R4'; DELETE FROM lead WHERE rep_id IS NULL; DELETE FROM rep "
	    "WHERE id = 'R4'; PRAGMA foreign_keys = ON");
	sql(db, "INSERT INTO rep (id, name, code, tier) VALUES "
	    "('R5', '戊', 'S5', 'gold')");
	add_leads(db, 2);
	run(db);
	is_str(owner(db, 5), "R5", "cursor: R4 is gone, the turn passes on");
	is_str(owner(db, 6), "R1", "cursor: then round to the top");
	db_close(db);
}

/* Weighted 3 : 2 : 1 over 600 leads is exactly 300 / 200 / 100. */
static void
t_weighted(void)
{
	struct db *db = fresh();
	int i;

	write_rules("加权,,,weighted,\n");
	add_rep(db, "A", 1, "1, NULL, 3");
	add_rep(db, "B", 2, "1, NULL, 2");
	add_rep(db, "C", 3, "1, NULL, 1");
	add_rep(db, "D", 4, "1, NULL, 0");
	for (i = 0; i < 60; i++) {
		add_leads(db, 10);
		run(db);
	}
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'A'"), 300,
	    "weighted: A has 3/6");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'B'"), 200,
	    "weighted: B has 2/6");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'C'"), 100,
	    "weighted: C has 1/6");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'D'"), 0,
	    "weighted: weight 0 gets nothing");
	/* Never two in a row for A beyond what 3 of 6 needs. */
	is_int(count(db, "SELECT count(*) FROM assignment a JOIN assignment b "
	    "ON b.id = a.id + 1 JOIN assignment c ON c.id = a.id + 2 WHERE "
	    "a.rep_id = b.rep_id AND b.rep_id = c.rep_id"), 0,
	    "weighted: interleaved, never three in a row");
	db_close(db);
}

/* Capacity: a full pool passes on; the rule's cap is tighter. */
static void
t_capacity(void)
{
	struct db *db = fresh();

	write_rules("大单,,tier = 'gold',round_robin,2\n"
	    "其余,,id = 'S1',least_loaded,\n");
	add_rep(db, "G1", 1, "1, 5, NULL");
	add_rep(db, "G2", 2, "1, 1, NULL");
	add_rep(db, "S1", 3, "1, NULL, NULL");
	sql(db, "UPDATE rep SET tier = 'gold' WHERE id LIKE 'G%'");
	add_leads(db, 6);
	is_int(run(db), 6, "capacity: all six placed");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'G1'"), 2,
	    "capacity: the rule's cap 2 beats the rep's 5");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'G2'"), 1,
	    "capacity: the rep's own 1");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'S1'"), 3,
	    "capacity: the rest fall through to the next rule");
	/* Closing leads frees capacity. */
	sql(db, "UPDATE lead SET status = 'closed' WHERE rep_id = 'G2'");
	add_leads(db, 1);
	run(db);
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'G2' AND "
	    "status IS NULL"), 1, "capacity: a closed lead frees a place");
	db_close(db);
}

/* A bad rule is a rule-table error, status 2. */
static void
t_bad_rules(void)
{
	struct assign_opts o;
	struct db *db = fresh();
	FILE *err = tmpfile();
	char text[512];
	size_t n;
	int status;

	memset(&o, 0, sizeof(o));
	write_rules("坏,urgency = 'high',,round_robin,-1\n");
	diag_init("t_assign", err);
	ok(assign_new(db, dir, &o) == NULL, "bad cap: refused");
	rewind(err);
	n = fread(text, 1, sizeof(text) - 1, err);
	text[n] = '\0';
	fclose(err);
	status = diag_status();
	diag_init("t_assign", stderr);
	ok(strstr(text, "assign.csv:2:5: error: cap '-1' is not a number") !=
	    NULL, "bad cap: file:line:col and the value");
	is_int(status, SX_USAGE, "bad cap: exit status 2");
	db_close(db);
}

int
main(void)
{
	char path[128];

	if (mkdtemp(dir) == NULL)
		return 99;
	diag_init("t_assign", stderr);
	t_geo();
	t_fairness();
	t_cursor();
	t_weighted();
	t_capacity();
	t_bad_rules();
	unlink(dbpath);
	snprintf(path, sizeof(path), "%s/sales.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sales.db-shm", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/assign.csv", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
