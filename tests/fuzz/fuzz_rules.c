/*
 * Fuzz the rule-table loader (lib/rules.c) and the condition compiler
 * (lib/cond.c).  The input is a rule table; every cell of its first
 * rows, and the whole input as one text, is then compiled as a
 * condition over a small view and evaluated.  Invariants: whatever
 * compiles, nothing is ever written and no database is attached.
 */
#include <stdint.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "cond.h"
#include "fuzz.h"
#include "rules.h"

#define CELLS_MAX 32

static sqlite3 *db;
static struct cond_env *env;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const more[] = {"v_act", NULL};

	(void)argc;
	(void)argv;
	fuzz_setup(".csv");
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"CREATE TABLE deal(id TEXT PRIMARY KEY, budget INTEGER,"
		" urgency TEXT, stage TEXT);"
		"CREATE TABLE act(deal TEXT, type TEXT);"
		"CREATE TABLE secret(x);"
		"CREATE VIEW v_deal AS SELECT id, budget, urgency, stage FROM deal;"
		"CREATE VIEW v_act AS SELECT deal, type FROM act;"
		"INSERT INTO deal VALUES('D1', 600000, 'high', 'lead'),"
		" ('D2', 1000, 'low', 'won'), ('D3', NULL, NULL, NULL);"
		"INSERT INTO act VALUES('D1', 'tech_qa'), ('D2', 'nda');",
		NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz_rules: %s\n", sqlite3_errmsg(db));
		abort();
	}
	env = cond_env_new(db, "v_deal", "id", more);
	return 0;
}

static int
count(const char *key, void *arg)
{
	(void)key;
	++*(long *)arg;
	return 0;
}

static int
ndatabases(void)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_database_list",
		-1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
try_cond(const char *expr)
{
	struct cond *c;
	char val[64];
	long seen, n;
	int changes, t;

	changes = sqlite3_total_changes(db);
	if ((c = cond_compile(env, expr, "fuzz.csv:2", "condition")) == NULL) {
		FUZZ_ASSERT(sqlite3_total_changes(db) == changes);
		return;
	}
	t = cond_test(c, "D1");
	FUZZ_ASSERT(t >= -1 && t <= 1);
	cond_value(c, "D2", val, sizeof(val));
	FUZZ_ASSERT(strlen(val) < sizeof(val));
	seen = 0;
	n = cond_each(c, count, &seen);
	FUZZ_ASSERT(n == -1 || (n == seen && n <= 3));
	cond_free(c);
	/* The sandbox: a rule can only read. */
	FUZZ_ASSERT(sqlite3_total_changes(db) == changes);
	FUZZ_ASSERT(ndatabases() == 1);
	FUZZ_ASSERT(sqlite3_get_autocommit(db));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct rtable *t;
	size_t i, j, ncells;
	char *s;

	if ((t = rules_load_file(fuzz_file(data, n))) != NULL) {
		FUZZ_ASSERT(t->ncols > 0);
		ncells = 0;
		for (i = 0; i < t->nrows && ncells < CELLS_MAX; i++) {
			FUZZ_ASSERT(t->rows[i].line >= 1);
			for (j = 0; j < t->ncols && ncells < CELLS_MAX; j++) {
				FUZZ_ASSERT(rtable_get(t, i, (int)j) != NULL);
				try_cond(rtable_get(t, i, (int)j));
				ncells++;
			}
		}
		for (j = 0; j < t->ncols; j++)
			FUZZ_ASSERT(rtable_col(t, t->cols[j]) >= 0);
		rtable_free(t);
	}
	s = fuzz_string(data, n);
	try_cond(s);
	free(s);
	return 0;
}
