/*
 * The pieces every engine shares: sandboxed rule conditions (cond.c)
 * and the Chinese work calendar (workcal.c), with fault case B30.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "diag.h"
#include "rules.h"
#include "tap.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

static FILE *err;

/* Start capturing stderr into a temporary file. */
static void
capture(void)
{
	err = tmpfile();
	diag_init("t_engine", err);
}

/* Stop capturing; the captured text (static, truncated at 1 KiB). */
static const char *
captured(void)
{
	static char text[1024];
	size_t n;

	rewind(err);
	n = fread(text, 1, sizeof(text) - 1, err);
	text[n] = '\0';
	fclose(err);
	diag_init("t_engine", stderr);
	return text;
}

static long
day(const char *s)
{
	return days_from_civil(atoi(s), atoi(s + 5), atoi(s + 8));
}

static const char *
fmt(long d)
{
	static char s[CIVIL_TEXT_MAX];
	struct civil c;

	memset(&c, 0, sizeof(c));
	civil_from_days(d, &c.y, &c.m, &c.d);
	civil_format(s, &c, 0);
	return s;
}

/* n('x'): activities of type x on the deal being evaluated. */
static void
fn_n(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3 *db = sqlite3_context_db_handle(ctx);
	const char *deal = sqlite3_user_data(ctx);
	sqlite3_stmt *st;

	(void)argc;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM act WHERE deal = ?1 "
	    "AND type = ?2", -1, &st, NULL);
	sqlite3_bind_text(st, 1, deal, -1, SQLITE_STATIC);
	sqlite3_bind_value(st, 2, argv[0]);
	sqlite3_step(st);
	sqlite3_result_int64(ctx, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
}

static sqlite3 *
fixture(void)
{
	sqlite3 *db;

	sqlite3_open(":memory:", &db);
	sqlite3_exec(db,
	    "CREATE TABLE deal(id TEXT PRIMARY KEY, budget INTEGER,"
	    " urgency TEXT, owner TEXT);"
	    "CREATE TABLE secret(x);"
	    "CREATE TABLE act(deal TEXT, type TEXT);"
	    "CREATE VIEW v_deal AS SELECT id, budget, urgency FROM deal;"
	    "CREATE VIEW v_act AS SELECT deal, type FROM act;"
	    "INSERT INTO deal VALUES('D1', 800000, 'high', 'a'),"
	    " ('D2', 120000, 'high', 'b'), ('D3', 900000, 'low', NULL),"
	    " ('D4', NULL, NULL, NULL);"
	    "INSERT INTO secret VALUES(42);"
	    "INSERT INTO act VALUES('D1','tech_qa'),('D1','tech_qa'),"
	    " ('D2','tech_qa');", NULL, NULL, NULL);
	return db;
}

static int
collect(const char *key, void *arg)
{
	strcat(arg, key);
	strcat(arg, " ");
	return 0;
}

static void
refused(struct cond_env *env, const char *expr, const char *want,
    const char *name)
{
	struct cond *c;
	const char *msg;

	capture();
	c = cond_compile(env, expr, "rules.csv:7", "gate");
	msg = captured();
	ok(c == NULL, name);
	if (strstr(msg, want) == NULL || strstr(msg, "rules.csv:7: error: "
	    "gate '") == NULL)
		printf("# got: %s", msg);
	ok(strstr(msg, want) != NULL && strstr(msg, "rules.csv:7: error: "
	    "gate '") != NULL, name);
	cond_free(c);
}

static void
t_cond(void)
{
	static const char *const more[] = {"v_act", NULL};
	sqlite3 *db = fixture();
	struct cond_env *env;
	struct cond *c;
	char keys[64], val[16];
	const char *deal = "D1";
	int before;

	env = cond_env_new(db, "v_deal", "id", more);
	c = cond_compile(env, "budget >= 500000 AND urgency = 'high'",
	    "assign.csv:3", "condition");
	ok(c != NULL, "a plain condition compiles");
	is_int(cond_test(c, "D1"), 1, "D1 holds");
	is_int(cond_test(c, "D2"), 0, "D2: budget too small");
	is_int(cond_test(c, "D3"), 0, "D3: urgency low");
	is_int(cond_test(c, "D4"), 0, "NULLs are false");
	is_int(cond_test(c, "nope"), 0, "an absent row is false");
	keys[0] = '\0';
	is_int(cond_each(c, collect, keys), 1, "each: one row holds");
	is_str(keys, "D1 ", "each: the key");
	cond_free(c);

	c = cond_compile(env, "  ", "x.csv:2", "condition");
	is_int(cond_test(c, "D4"), 1, "an empty condition is true");
	keys[0] = '\0';
	is_int(cond_each(c, collect, keys), 4, "... for every row");
	is_str(keys, "D1 D2 D3 D4 ", "... in key order");
	cond_free(c);

	c = cond_compile(env, "(SELECT count(*) FROM v_act a WHERE "
	    "a.deal = v_deal.id AND a.type = 'tech_qa') >= 2 -- two Q&As",
	    "stages.csv:4", "gate");
	ok(c != NULL, "a subquery on a listed view, with a comment");
	is_int(cond_test(c, "D1"), 1, "subquery: D1 has 2");
	is_int(cond_test(c, "D2"), 0, "subquery: D2 has 1");
	cond_free(c);

	/* A helper function, declared and registered by the engine. */
	sqlite3_create_function(db, "n", 1, SQLITE_UTF8, (void *)deal,
	    fn_n, NULL, NULL);
	refused(env, "n('tech_qa') >= 2", "function n() is not allowed",
	    "an undeclared helper is refused");
	cond_env_allow(env, "n");
	c = cond_compile(env, "n('tech_qa') >= 2", "stages.csv:5", "gate");
	is_int(cond_test(c, "D1"), 1, "a declared helper runs");
	is_int(cond_test_present(c, "D1"), 1,
	    "present: a helper-only condition, without the row");
	cond_free(c);

	/* cond_test_present() agrees with cond_test() on rows that exist. */
	c = cond_compile(env, "budget >= 500000 AND urgency = 'high'",
	    "assign.csv:3", "condition");
	is_int(cond_test_present(c, "D1"), 1, "present: columns, D1 holds");
	is_int(cond_test_present(c, "D2"), 0, "present: columns, D2 fails");
	cond_free(c);
	/* Without its row, "urgency" must not become the string. */
	c = cond_compile(env, "\"urgency\" = 'urgency'", "assign.csv:4",
	    "condition");
	is_int(cond_test_present(c, "D1"), 0,
	    "present: a quoted column stays a column");
	cond_free(c);
	c = cond_compile(env, "(SELECT count(*) FROM v_act a WHERE "
	    "a.deal = v_deal.id) = 2", "assign.csv:5", "condition");
	is_int(cond_test_present(c, "D1"), 1,
	    "present: a subquery on the row, D1");
	is_int(cond_test_present(c, "D2"), 0,
	    "present: a subquery on the row, D2");
	cond_free(c);
	c = cond_compile(env, "n('tech_qa')", "stages.csv:5", "gate");
	is_int(cond_value(c, "D1", val, sizeof(val)), 0, "value: ok");
	is_str(val, "2", "value: the current figure");
	cond_value(c, "nope", val, sizeof(val));
	is_str(val, "", "value of an absent row: empty");
	cond_free(c);

	/* The sandbox: anything but a read is a rule-table error. */
	refused(env, "(SELECT x FROM secret) = 42", "reading 'secret'",
	    "a table that is not listed");
	refused(env, "owner = 'a'", "no such column: owner",
	    "a column the view does not show");
	refused(env, "1); DELETE FROM deal; SELECT (1",
	    "not a single expression", "a second statement");
	refused(env, "1) FROM v_deal; INSERT INTO secret VALUES(1); "
	    "SELECT (1", "is not allowed", "an INSERT after ';'");
	refused(env, "load_extension('x')", "load_extension() is not "
	    "allowed", "load_extension");
	refused(env, "(WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT "
	    "i + 1 FROM r) SELECT count(*) FROM r) > 0", "is not allowed",
	    "a recursive query (it could run forever)");
	/* The comment swallows the FROM: the column no longer exists. */
	refused(env, "budget > 1) /*", "no such column: budget",
	    "an unclosed comment");
	refused(env, "budget >", "syntax error", "a syntax error");
	refused(env, "sqlite_version() > ''", "sqlite_version() is not",
	    "introspection functions");
	refused(env, "?1 = 'D1'", "not a single expression",
	    "a parameter");
	/* ATTACH cannot even be spelt inside an expression; a rule that
	 * tries reads as a syntax error. */
	refused(env, "1); ATTACH 'x.db' AS x; SELECT (1", "not a single "
	    "expression", "ATTACH");

	/* The authorizer is removed after compiling: the engine's own
	 * statements run as before. */
	ok(sqlite3_exec(db, "INSERT INTO secret VALUES(1)", NULL, NULL,
	    NULL) == SQLITE_OK, "the engine still writes after compiling");
	sqlite3_exec(db, "SELECT count(*) FROM secret", NULL, NULL, NULL);
	before = sqlite3_total_changes(db);
	ok(before > 0, "nothing was written by refused rules");
	cond_env_free(env);
	sqlite3_close(db);
}

static void
t_workcal(const char *dir)
{
	struct workcal *wc;
	const char *msg;
	static const struct {
		const char *start;
		int n;
		const char *want;
	} dl[] = {
		/* ../shared/cases/B30: "N business days after" */
		{"2026-02-12", 3, "2026-02-24"},
		{"2026-09-17", 5, "2026-09-23"},
		{"2026-09-28", 10, "2026-10-16"},
		{"2019-04-26", 5, "2019-05-06"},
		{"2025-12-31", 2, "2026-01-05"},
		{"2026-04-30", 3, "2026-05-08"},
	};
	static const struct {
		const char *d;
		int work;
	} wd[] = {
		{"2026-01-04", 1}, {"2026-02-14", 1}, {"2026-02-16", 0},
		{"2026-02-28", 1}, {"2026-05-09", 1}, {"2026-09-20", 1},
		{"2026-10-07", 0}, {"2026-10-10", 1}, {"2026-10-11", 0},
		{"2019-04-28", 1}, {"2019-05-05", 1}, {"2019-05-04", 0},
		/* and ordinary days */
		{"2026-03-05", 1}, {"2026-03-07", 0}, {"2024-10-01", 0},
	};
	size_t i;
	char name[80];

	if ((wc = workcal_load(dir)) == NULL) {
		ok(0, "calendar-cn.csv loads");
		return;
	}
	for (i = 0; i < sizeof(dl) / sizeof(*dl); i++) {
		snprintf(name, sizeof(name), "B30: %s + %d business days",
		    dl[i].start, dl[i].n);
		is_str(fmt(workcal_add(wc, day(dl[i].start), dl[i].n)),
		    dl[i].want, name);
		snprintf(name, sizeof(name), "B30: between %s and %s",
		    dl[i].start, dl[i].want);
		is_int(workcal_between(wc, day(dl[i].start),
		    day(dl[i].want)), dl[i].n, name);
	}
	for (i = 0; i < sizeof(wd) / sizeof(*wd); i++) {
		snprintf(name, sizeof(name), "B30: %s is %sa working day",
		    wd[i].d, wd[i].work ? "" : "not ");
		is_int(workcal_is_workday(wc, day(wd[i].d)), wd[i].work, name);
	}
	is_str(workcal_name(wc, day("2026-02-14")), "春节调休上班",
	    "name of a make-up day");
	ok(workcal_name(wc, day("2026-03-05")) == NULL, "ordinary: no name");
	is_int(workcal_add(wc, day("2026-03-05"), 0), day("2026-03-05"),
	    "+0 is the start itself");
	is_int(workcal_between(wc, day("2026-02-24"), day("2026-02-12")), -3,
	    "between, backwards");
	ok(workcal_covers(wc, day("2026-07-01")), "2026 covered");
	ok(!workcal_covers(wc, day("2031-05-01")), "2031 not covered");

	/* Outside the table: Monday to Friday, and it says so once. */
	capture();
	is_int(workcal_is_workday(wc, day("2031-05-01")), 1,
	    "2031-05-01 (Thursday) counted as a weekday");
	is_int(workcal_is_workday(wc, day("2031-05-03")), 0,
	    "2031-05-03 (Saturday) a rest day");
	msg = captured();
	ok(strstr(msg, "calendar has no data for 2031") != NULL,
	    "uncovered year: a warning");
	ok(strstr(msg, "no data") != NULL &&
	    strstr(strstr(msg, "no data") + 1, "no data") == NULL,
	    "... said once");
	workcal_free(wc);
}

static void
bad_calendar(const char *text, const char *want, const char *name)
{
	char path[] = "/tmp/t_engine_calXXXXXX";
	FILE *f;
	int fd;
	struct workcal *wc;
	const char *msg;

	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		ok(0, "temporary file");
		return;
	}
	fputs(text, f);
	fclose(f);
	capture();
	wc = workcal_load_file(path);
	msg = captured();
	ok(wc == NULL, name);
	if (strstr(msg, want) == NULL)
		printf("# got: %s", msg);
	ok(strstr(msg, want) != NULL, name);
	workcal_free(wc);
	remove(path);
}

int
main(void)
{
	const char *rules = getenv("SALES_RULES");

	diag_init("t_engine", stderr);
	t_cond();
	t_workcal(rules != NULL && *rules ? rules : "share/rules");
	bad_calendar("date,kind\n2026-02-30,holiday\n", ":2:1: error: not "
	    "a date (YYYY-MM-DD) '2026-02-30'", "calendar: impossible date");
	bad_calendar("date,kind\n2026-03-04,workday\n", ":2:1: error: "
	    "2026-03-04 is a weekday", "calendar: make-up day on a weekday");
	bad_calendar("date,kind\n2026-03-07,rest\n", ":2:2: error: kind "
	    "must be holiday or workday, not 'rest'", "calendar: bad kind");
	bad_calendar("date,kind\n2026-10-01,holiday\n2026-10-01,holiday\n",
	    "2026-10-01 is listed twice", "calendar: a date twice");
	bad_calendar("day,kind\n2026-10-01,holiday\n", "no column 'date'",
	    "calendar: no date column");
	return tap_done();
}
