/*
 * The stage engine: rule helpers (condfn.c) on a real store, moves and
 * the import hook (stage.c), dwell statistics (stagerep.c) against
 * values computed by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cond.h"
#include "condfn.h"
#include "db.h"
#include "diag.h"
#include "hash.h"
#include "stage.h"
#include "stagerep.h"
#include "tap.h"
#include "tz.h"
#include "xldate.h"

static char dir[] = "/tmp/t_stage.XXXXXX";
static char path[64], ev[64];
static FILE *devnull;

static struct db *
fixture(void)
{
	char sha[SHA256_HEX_MAX], sql[1024];
	struct db *db;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/s.db", dir);
	snprintf(ev, sizeof(ev), "%s/stamp.pdf", dir);
	fp = fopen(ev, "w");
	fputs("stamp", fp);
	fclose(fp);
	sha256_file(ev, sha);
	db = db_open(path, 0);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO deal (id, stage, amount_fen, created_on) VALUES"
	    " ('D1', 'demo', 100, '2026-03-01'), ('D2', 'qualify', NULL,"
	    " '2026-02-01'), ('D3', 'lost', 5, '2026-01-01');"
	    "INSERT INTO activity (id, at, on_date, week, type, deal_id,"
	    " evidence, evidence_sha256) VALUES"
	    " ('A1', '2026-03-02T01:00:00+08:00', '2026-03-02', '2026-W10',"
	    " 'tech_qa', 'D1', NULL, NULL),"
	    " ('A2', '2026-03-01T23:00:00+08:00', '2026-03-01', '2026-W09',"
	    " 'nda_signed', 'D1', NULL, NULL),"
	    " ('A3', '2026-03-02T00:30:00+08:00', '2026-03-02', '2026-W10',"
	    " 'quote', 'D1', NULL, NULL),"
	    " ('A4', '2026-03-03T10:00:00+08:00', '2026-03-03', '2026-W10',"
	    " 'legal_stamp', 'D2', '%s', '%s'),"
	    " ('A5', '2026-03-03T10:00:00+08:00', '2026-03-03', '2026-W10',"
	    " 'legal_stamp', 'D1', '%s', 'deadbeef');", ev, sha, ev);
	db_exec(db, sql);
	return db;
}

/* The value of expr for deal, through a sandboxed condition. */
static const char *
value(sqlite3 *h, struct cond_env *env, struct condfn *fn, const char *deal,
    const char *expr)
{
	static char out[64];
	struct cond *c;

	c = cond_compile(env, expr, "t_stage", "helper");
	condfn_set(fn, deal, days_from_civil(2026, 3, 16));
	if (c == NULL || cond_value(c, deal, out, sizeof(out)) < 0)
		snprintf(out, sizeof(out), "error");
	cond_free(c);
	(void)h;
	return out;
}

static void
t_helpers(struct db *db)
{
	sqlite3 *h = db_handle(db);
	struct cond_env *env;
	struct condfn *fn;

	env = cond_env_new(h, "v_stage_deal", "id", NULL);
	fn = condfn_new(h, env, "v_stage_deal");
	is_str(value(h, env, fn, "D1", "n('tech_qa')"), "1", "n(): one");
	is_str(value(h, env, fn, "D2", "n('tech_qa')"), "0", "n(): none");
	is_str(value(h, env, fn, "D1", "has('quote')"), "1", "has(): yes");
	is_str(value(h, env, fn, "D1", "has('demo')"), "0", "has(): no");
	is_str(value(h, env, fn, "D2", "evidence('legal_stamp')"), "1",
	    "evidence(): file and sha256 match");
	is_str(value(h, env, fn, "D1", "evidence('legal_stamp')"), "0",
	    "evidence(): sha256 differs");
	ok(condfn_note(fn) != NULL && strstr(condfn_note(fn), "has changed"),
	    "evidence(): the note says the file changed");
	is_str(value(h, env, fn, "D1", "field('amount_fen')"), "1",
	    "field(): set");
	is_str(value(h, env, fn, "D2", "field('amount_fen')"), "0",
	    "field(): NULL");
	is_str(value(h, env, fn, "D1", "days_in_stage()"), "15",
	    "days_in_stage(): since created_on 2026-03-01");
	is_str(value(h, env, fn, "D1", "before('nda_signed', 'quote')"), "1",
	    "before(): 23:00 the day before comes first");
	is_str(value(h, env, fn, "D1", "before('quote', 'nda_signed')"), "0",
	    "before(): the other way round");
	is_str(value(h, env, fn, "D1", "before('nda_signed', 'webinar')"),
	    "1", "before(): nothing of the second type yet");
	is_str(value(h, env, fn, "D1", "before('webinar', 'quote')"), "0",
	    "before(): nothing of the first type");
	diag_init("t_stage", devnull);
	is_str(value(h, env, fn, "D1", "field('nope')"), "error",
	    "field(): an unknown column is an error");
	is_str(value(h, env, fn, "D1", "n(3)"), "error",
	    "n(): a number is not a type");
	diag_init("t_stage", stderr);
	condfn_free(fn);
	cond_env_free(env);
}

static void
t_moves(struct db *db)
{
	struct stage_outcome o;
	struct stage_req rq;
	struct stage *st;

	st = stage_open(db, "share/rules");
	ok(st != NULL, "default stages.csv loads");
	if (st == NULL)
		return;
	ok(stage_find(st, "presentation") == stage_by_code(st, "demo"),
	    "an enums.csv synonym finds the stage");
	ok(stage_find(st, "方案演示") == stage_by_code(st, "demo"),
	    "so does the stage's name");
	memset(&rq, 0, sizeof(rq));
	rq.deal = "D1";
	rq.to = "qualify";
	rq.at = "2026-03-10T10:00:00+08:00";
	diag_init("t_stage", devnull);
	db_begin(db);
	is_int(stage_move(st, &rq, &o), SR_BLOCKED, "D1 lacks demo evidence");
	is_int(o.nfails, 3, "all three demo gates fail at once");
	stage_outcome_clear(&o);
	rq.to = "needs";
	is_int(stage_move(st, &rq, &o), SR_MOVED, "backward is free");
	stage_outcome_clear(&o);
	rq.deal = "D3";
	rq.to = "demo";
	is_int(stage_move(st, &rq, &o), SR_BLOCKED, "lost is closed");
	stage_outcome_clear(&o);
	rq.reason = "客户重新立项";
	is_int(stage_move(st, &rq, &o), SR_REOPENED, "reopened with a reason");
	stage_outcome_clear(&o);
	is_int(stage_import(st, "D2", "qualify", "quote", 0, NULL), 1,
	    "import: the stamp lets D2 move");
	is_int(stage_import(st, "D1", "needs", "contract", 0, NULL), 0,
	    "import: D1 may not skip ahead");
	db_commit(db);
	diag_init("t_stage", stderr);
	stage_close(st);
}

static void
t_dwell(void)
{
	long a[] = {6, 43, 43, 43, 43, 43, 43, 5};
	long b[] = {3, 1, 2, 4};
	long c[] = {7};
	struct dwell_stats s;

	dwell_stats(a, 8, &s);
	is_int(s.n, 8, "n");
	is_int((long)(s.mean * 1000 + 0.5), 33625, "mean 269/8");
	is_int((long)(s.median * 10), 430, "median of an even count");
	is_int((long)s.p90, 43, "p90: the 8th of 8");
	is_int((long)(s.stddev * 100 + 0.5), 1624, "stddev sqrt(263.73)");
	dwell_stats(b, 4, &s);
	is_int((long)(s.median * 10), 25, "median (2 + 3) / 2");
	is_int((long)s.p90, 4, "p90: the 4th of 4");
	is_int((long)(s.stddev * 1000 + 0.5), 1118, "stddev sqrt(1.25)");
	dwell_stats(c, 1, &s);
	is_int((long)s.p90, 7, "one value");
	is_int((long)(s.stddev * 10), 0, "... no spread");
	dwell_stats(c, 0, &s);
	is_int(s.n, 0, "no values");
}

int
main(void)
{
	struct db *db;
	char cmd[128];

	setenv("SALES_TODAY", "2026-03-16", 1);
	setenv("SALES_NOW", "2026-03-16T09:00:00+08:00", 1);
	diag_init("t_stage", stderr);
	devnull = fopen("/dev/null", "w");
	tz_init(NULL);
	if (mkdtemp(dir) == NULL)
		return 1;
	db = fixture();
	t_helpers(db);
	t_moves(db);
	t_dwell();
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		ok(0, "cleanup");
	fclose(devnull);
	return tap_done();
}
