/*
 * Hostile rule conditions: what lib/cond.c's sandbox must refuse, and
 * the bounds it keeps on what it allows.  The rule tables sales-ingest
 * reads hold words, not SQL (tests/cli/sales-ingest/099-hostile-rules-
 * sql); conditions are SQL, so their refusals are tested here, on the
 * library, with the message each one gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cond.h"
#include "diag.h"
#include "tap.h"

static FILE *msgs;
static char msgbuf[4096];

static void
capture(void)
{
	if (msgs != NULL)
		fclose(msgs);
	if ((msgs = tmpfile()) == NULL)
		abort();
	diag_init("t_hostile", msgs);
}

static const char *
captured(void)
{
	size_t n;

	fflush(msgs);
	rewind(msgs);
	n = fread(msgbuf, 1, sizeof(msgbuf) - 1, msgs);
	msgbuf[n] = '\0';
	return msgbuf;
}

static sqlite3 *
fixture(void)
{
	sqlite3 *db;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"CREATE TABLE deal(id TEXT PRIMARY KEY, budget);"
		"CREATE TABLE secret(x);"
		"CREATE VIEW v_deal AS SELECT id, budget FROM deal;"
		"INSERT INTO deal VALUES('D1', 600000), ('D2', 1000);",
		NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return db;
}

/* expr must not compile, and the message must name the rule and want. */
static void
refused(
    struct cond_env *env, const char *expr, const char *want, const char *name)
{
	struct cond *c;
	const char *msg;
	int pass;

	capture();
	c = cond_compile(env, expr, "assign.csv:9", "condition");
	msg = captured();
	pass = c == NULL &&
	    strstr(msg, "assign.csv:9: error: condition '") != NULL &&
	    strstr(msg, want) != NULL;
	if (!pass)
		printf("# got: %s", msg);
	ok(pass, name);
	cond_free(c);
}

static int
count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
main(void)
{
	sqlite3 *db = fixture();
	struct cond_env *env;
	struct cond *c;
	const char *msg;
	int changes;

	env = cond_env_new(db, "v_deal", "id", NULL);
	changes = sqlite3_total_changes(db);

	/* Writing and attaching, however spelt. */
	refused(env, "1); ATTACH DATABASE 'pwn.db' AS pwn; SELECT (1",
	    "not a single expression", "ATTACH after a ';'");
	refused(env, "1) FROM v_deal; ATTACH 'pwn.db' AS pwn; --", "not",
	    "ATTACH after a ';' and a comment");
	refused(env, "1) FROM v_deal; DROP TABLE deal; SELECT (1", "not",
	    "DROP TABLE after a ';'");
	refused(env,
	    "1) FROM v_deal; UPDATE deal SET budget = 0; "
	    "SELECT (1",
	    "not", "UPDATE after a ';'");
	refused(env, "(SELECT count(*) FROM pragma_database_list) > 0",
	    "is not allowed in rules", "the database list (a pragma)");
	refused(env, "(SELECT count(*) FROM pragma_table_info('secret')) > 0",
	    "is not allowed in rules", "a table's columns (a pragma)");
	refused(env, "(SELECT count(*) FROM sqlite_master) > 0",
	    "reading 'sqlite_master' is not allowed", "the schema");
	refused(env, "(SELECT count(*) FROM secret) > 0",
	    "reading 'secret' is not allowed", "a table that is not listed");
	refused(env, "(SELECT count(*) FROM temp.v_deal) > 0", "no such table",
	    "the temp schema");
	refused(env, "load_extension('/tmp/x.so') IS NULL",
	    "load_extension() is not allowed", "load_extension");
	refused(env, "length(zeroblob(1000000000)) > 0",
	    "zeroblob() is not allowed", "zeroblob");
	refused(env, "length(randomblob(1000000000)) > 0",
	    "randomblob() is not allowed", "randomblob");
	ok(sqlite3_total_changes(db) == changes, "nothing was written");
	is_int(count_rows(db, "SELECT count(*) FROM pragma_database_list"), 1,
	    "nothing was attached");

	/* Allowed functions may not build a gigabyte while a rule runs. */
	c = cond_compile(env, "length(printf('%.*c', 900000000, 'x')) > 0",
	    "assign.csv:10", "condition");
	ok(c != NULL, "printf compiles: it is a safe function");
	sqlite3_memory_highwater(1);
	is_int(cond_test(c, "D1"), 0, "a 900 MB printf() gives NULL");
	ok(sqlite3_memory_highwater(0) < 256 << 20,
	    "... without taking the memory");
	cond_free(c);
	c = cond_compile(env,
	    "length(replace(replace(replace(replace("
	    "replace(replace(replace(replace(replace('xx', 'x', 'xxxxxxxx'),"
	    " 'x', 'xxxxxxxx'), 'x', 'xxxxxxxx'), 'x', 'xxxxxxxx'), 'x', "
	    "'xxxxxxxx'), 'x', 'xxxxxxxx'), 'x', 'xxxxxxxx'), 'x', "
	    "'xxxxxxxx'), 'x', 'xxxxxxxx')) > 0",
	    "assign.csv:11", "condition");
	capture();
	sqlite3_memory_highwater(1);
	is_int(cond_test(c, "D1"), -1, "nested replace() is stopped");
	msg = captured();
	ok(strstr(msg, "assign.csv:11: error: condition 'length(replace(") !=
		    NULL &&
		strstr(msg, "string or blob too big") != NULL,
	    "... with the rule and why");
	ok(sqlite3_memory_highwater(0) < 256 << 20,
	    "... before it takes a gigabyte");
	cond_free(c);
	/* The limit holds only while a rule runs. */
	ok(sqlite3_exec(db,
	       "INSERT INTO secret VALUES(printf('%.*c', "
	       "100000000, 'x'))",
	       NULL, NULL, NULL) == SQLITE_OK,
	    "the engine's own statements keep SQLite's limit");
	c = cond_compile(env,
	    "length(printf('%.*c', 1000000, 'x')) = "
	    "1000000 AND budget >= 500000",
	    "assign.csv:12", "condition");
	is_int(cond_test(c, "D1"), 1, "a 1 MB value is fine");
	is_int(cond_test(c, "D2"), 0, "... and the rule still tests");
	cond_free(c);

	cond_env_free(env);
	sqlite3_close(db);
	if (msgs != NULL)
		fclose(msgs);
	return tap_done();
}
