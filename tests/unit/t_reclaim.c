/*
 * The public pool (reclaim.c): due dates in calendar and business days
 * across the 2026 Spring Festival, and a run on a small store that
 * reclaims, routes again, gives a notice, exempts, and rolls back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "assign.h"
#include "db.h"
#include "diag.h"
#include "reclaim.h"
#include "tap.h"
#include "workcal.h"
#include "xldate.h"

static char dir[] = "/tmp/t_reclaim.XXXXXX";

static long
day(const char *s)
{
	return days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
}

static const char *
fmt(long d)
{
	static char buf[16];
	int y, m, dd;

	civil_from_days(d, &y, &m, &dd);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, dd);
	return buf;
}

static void
t_days(const char *rules)
{
	struct workcal *wc;

	if ((wc = workcal_load(rules)) == NULL) {
		ok(0, "calendar-cn.csv loads");
		return;
	}
	/* Friday 2026-02-06; 02-15..23 off, Saturday 02-14 worked. */
	is_str(fmt(reclaim_due(wc, 0, day("2026-02-06"), 10)), "2026-02-16",
	    "calendar: 10 days after 02-06");
	is_str(fmt(reclaim_due(wc, 1, day("2026-02-06"), 10)), "2026-02-27",
	    "business: 10 days after 02-06 skip the Spring Festival");
	is_str(fmt(reclaim_due(wc, 1, day("2026-02-13"), 1)), "2026-02-14",
	    "business: the make-up Saturday counts");
	is_int(reclaim_left(wc, 1, day("2026-02-25"), day("2026-02-27")), 2,
	    "business: 2 days left on 02-25");
	is_int(reclaim_left(wc, 1, day("2026-02-13"), day("2026-02-24")), 2,
	    "business: the holiday week counts nothing");
	is_int(reclaim_left(wc, 0, day("2026-02-25"), day("2026-02-16")), -9,
	    "calendar: 9 days past");
	is_int(reclaim_left(wc, 1, day("2026-02-27"), day("2026-02-27")), 0,
	    "business: due today");
	workcal_free(wc);
}

static void
write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		exit(99);
	fputs(text, f);
	fclose(f);
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

/* One run as the command does it; commit unless dry. */
static int
run(struct db *db, const char *as_of, int dry, struct reclaim_stats *st,
    FILE *out)
{
	struct assign_opts o;
	struct reclaimer *rc;
	struct assigner *a;
	int rv;

	memset(&o, 0, sizeof(o));
	o.fmt = OUT_JSONL;
	o.out = out;
	if (db_begin(db) < 0 || (rc = reclaim_new(db, dir)) == NULL ||
	    (a = assign_new(db, dir, &o)) == NULL)
		exit(99);
	rv = reclaim_run(rc, day(as_of), a, 1, OUT_JSONL, out, st);
	if (rv == 0)
		rv = assign_save(a);
	if (rv == 0 && !dry)
		db_commit(db);
	else
		db_rollback(db);
	assign_free(a);
	reclaim_free(rc);
	return rv;
}

static void
t_run(void)
{
	struct reclaim_stats st;
	struct db *db;
	char path[80];
	FILE *out;

	write_file("assign.csv", "name,lead,pool,method\n兜底,,,least_loaded\n");
	write_file("reclaim.csv", "name,target,scope,follow_days,deal_days,"
	    "notice_days,days,won_days,locked\n"
	    "锁定,lead,id = 'L3',30,,,calendar,,1\n"
	    "线索,lead,,30,,5,calendar,90,\n");
	snprintf(path, sizeof(path), "%s/sales.db", dir);
	if ((db = db_open(path, 0)) == NULL || (out = tmpfile()) == NULL)
		exit(99);
	if (db_exec(db, "INSERT INTO rep (id, name, seq) VALUES "
	    "('R1', '张伟', 1), ('R2', '王芳', 2);"
	    "INSERT INTO customer (id, name) VALUES ('C1', '示例甲公司'),"
	    " ('C2', '示例乙公司');"
	    "INSERT INTO lead (id, customer_id, rep_id, arrived_at) VALUES"
	    " ('L1', 'C1', 'R1', '2026-01-05T09:00:00+08:00'),"
	    " ('L2', NULL, 'R2', '2026-01-28T09:00:00+08:00'),"
	    " ('L3', NULL, 'R2', '2026-01-05T09:00:00+08:00'),"
	    " ('L4', 'C2', 'R2', '2026-01-05T09:00:00+08:00');"
	    "INSERT INTO deal (id, customer_id, stage, close_on) VALUES"
	    " ('D1', 'C2', 'won', '2026-01-10')") < 0)
		exit(99);
	/*
	 * 2026-02-25: L1 (30 days from 01-05, due 02-04) is reclaimed and
	 * goes to 王芳; L2 (due 02-27) gets a notice; L3 is locked; L4's
	 * customer won D1 46 days ago, within 90.
	 */
	is_int(run(db, "2026-02-25", 1, &st, out), 0, "dry run");
	is_int(st.reclaimed, 1, "dry run: one reclaim");
	is_int(st.notices, 1, "dry run: one notice");
	is_int(st.exempt, 2, "dry run: won and locked are exempt");
	is_int(count(db, "SELECT count(*) FROM reclaim"), 0,
	    "dry run: no reclaim logged");
	is_int(count(db, "SELECT count(*) FROM lead WHERE rep_id = 'R1'"), 1,
	    "dry run: the rep keeps the lead");
	is_int(run(db, "2026-02-25", 0, &st, out), 0, "run");
	is_int(st.rerouted, 1, "run: the reclaimed lead is routed again");
	is_int(count(db, "SELECT count(*) FROM lead WHERE id = 'L1' AND "
	    "rep_id = 'R2'"), 1, "run: to the other rep, never back");
	is_int(count(db, "SELECT count(*) FROM reclaim WHERE rec_id = 'L1' "
	    "AND rep_id = 'R1' AND due = '2026-02-04'"), 1,
	    "run: the reclaim is logged with its due date");
	is_int(count(db, "SELECT count(*) FROM assignment WHERE lead_id = "
	    "'L1' AND from_rep = 'R1' AND rep_id = 'R2'"), 1,
	    "run: the new owner is logged as a move");
	/* Its clock restarts at the new assignment. */
	is_int(run(db, "2026-02-25", 0, &st, out), 0, "second run");
	is_int(st.reclaimed, 0, "second run: nothing more to reclaim");
	/* 2026-03-01: L2 is due (02-27) and nobody else is free. */
	if (db_exec(db, "UPDATE rep SET active = 0 WHERE id = 'R1'") < 0)
		exit(99);
	is_int(run(db, "2026-03-01", 0, &st, out), 0, "later run");
	is_int(st.reclaimed, 1, "later run: L2 reclaimed");
	is_int(st.rerouted, 0, "later run: nobody takes it");
	is_int(count(db, "SELECT count(*) FROM lead WHERE id = 'L2' AND "
	    "rep_id IS NULL"), 1, "later run: L2 is back in the pool");
	fclose(out);
	db_close(db);
}

static void
t_bad(void)
{
	char path[80], line[512];
	struct db *db;
	FILE *err;

	write_file("reclaim.csv", "name,target,scope,follow_days,deal_days,"
	    "notice_days,days\n甲,lead,,x,,,\n");
	snprintf(path, sizeof(path), "%s/sales.db", dir);
	if ((db = db_open(path, 0)) == NULL || (err = tmpfile()) == NULL)
		exit(99);
	diag_init("t_reclaim", err);
	ok(reclaim_new(db, dir) == NULL, "bad table: refused");
	diag_init("t_reclaim", stderr);
	rewind(err);
	if (fgets(line, sizeof(line), err) == NULL)
		line[0] = '\0';
	ok(strstr(line, "reclaim.csv:2:4: error: follow_days 'x' is not a "
	    "number of days") != NULL, "bad table: file:line:col and value");
	fclose(err);
	db_close(db);
}

int
main(void)
{
	const char *rules = getenv("SALES_RULES");
	char cmd[64];

	diag_init("t_reclaim", stderr);
	if (mkdtemp(dir) == NULL)
		return 99;
	t_days(rules != NULL && *rules ? rules : "share/rules");
	t_run();
	t_bad();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "cleanup");
	return tap_done();
}
