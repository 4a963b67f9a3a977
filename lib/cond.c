/*
 * Rule conditions compiled by SQLite under an authorizer.  See cond.h.
 *
 * A condition becomes two statements: one that evaluates it for the row
 * with a given key, one that lists the keys of the rows it holds for.
 * Both are prepared while the authorizer is installed, so every table,
 * column and function the text touches is checked once, at load time;
 * a statement that compiled under the sandbox can only read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cond.h"
#include "diag.h"
#include "xalloc.h"

/*
 * While a rule runs, no value it computes may exceed this: printf('%.*c',
 * 900000000, 'x') or nested replace() would otherwise take a gigabyte.
 * As large as the largest cell a reader yields.
 */
#define COND_LENGTH_MAX (64 << 20)

struct cond_env {
	sqlite3		 *db;
	char		 *view;
	char		 *key;
	char		**readable;	/* NULL-terminated */
	char		**allow;	/* helper functions */
	size_t		  nallow;
	struct buf	  refusal;	/* why the authorizer said no */
};

struct cond {
	struct cond_env	*env;
	char		*text;
	char		*origin;
	char		*what;
	sqlite3_stmt	*one;		/* SELECT (expr) ... WHERE key = ?1 */
	sqlite3_stmt	*all;		/* SELECT key ... WHERE (expr) */
	sqlite3_stmt	*bare;		/* SELECT (expr), when it reads no row */
};

/*
 * Built-in functions a rule may call: pure computations on values,
 * and cny() (lib/fx.c), which the views of rules use for yuan.
 * Not here: load_extension, the sqlite_* introspection functions,
 * randomness, and anything an extension might add.
 */
static const char *const safe_functions[] = {
	"abs", "avg", "char", "coalesce", "cny", "count", "date", "datetime",
	"format", "glob", "group_concat", "hex", "ifnull", "iif", "instr",
	"json", "json_array_length", "json_extract", "json_type",
	"julianday", "length", "like", "likelihood", "likely", "lower",
	"ltrim", "max", "min", "nullif", "printf", "quote", "replace",
	"round", "rtrim", "sign", "strftime", "substr", "substring", "sum",
	"time", "total", "trim", "typeof", "unicode", "unixepoch",
	"unlikely", "upper",
};

static int
in_list(char *const *list, const char *name)
{
	if (list == NULL || name == NULL)
		return 0;
	for (; *list != NULL; list++)
		if (strcasecmp(*list, name) == 0)
			return 1;
	return 0;
}

static int
readable(const struct cond_env *env, const char *name)
{
	if (name == NULL)
		return 0;
	return strcasecmp(name, env->view) == 0 ||
	    in_list(env->readable, name);
}

static int
callable(const struct cond_env *env, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(safe_functions) / sizeof(*safe_functions); i++)
		if (strcasecmp(safe_functions[i], name) == 0)
			return 1;
	for (i = 0; i < env->nallow; i++)
		if (strcasecmp(env->allow[i], name) == 0)
			return 1;
	return 0;
}

static const char *
action_name(int action)
{
	switch (action) {
	case SQLITE_INSERT:
		return "INSERT";
	case SQLITE_UPDATE:
		return "UPDATE";
	case SQLITE_DELETE:
		return "DELETE";
	case SQLITE_ATTACH:
		return "ATTACH";
	case SQLITE_DETACH:
		return "DETACH";
	case SQLITE_PRAGMA:
		return "PRAGMA";
	case SQLITE_TRANSACTION:
		return "a transaction";
	case SQLITE_RECURSIVE:
		return "a recursive query";
	default:
		return "a statement that is not a read";
	}
}

/*
 * Reads are allowed on the environment's views, directly or through
 * them (a view reads its tables: SQLite names the view in arg6), in the
 * main database only.  Everything that is not a read or an allowed
 * function is refused, and the first refusal is kept for the message.
 */
static int
authorize(void *arg, int action, const char *a3, const char *a4,
    const char *dbname, const char *inner)
{
	struct cond_env *env = arg;
	int ok;

	switch (action) {
	case SQLITE_SELECT:
		return SQLITE_OK;
	case SQLITE_READ:
		ok = (dbname == NULL || strcmp(dbname, "main") == 0) &&
		    (readable(env, a3) || readable(env, inner));
		if (!ok && env->refusal.len == 0)
			buf_addf(&env->refusal, "reading '%s' is not "
			    "allowed (rules read %s%s)", a3 ? a3 : "?",
			    env->view, env->readable ? " and the views "
			    "listed in the manual" : "");
		return ok ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_FUNCTION:
		if (a4 != NULL && callable(env, a4))
			return SQLITE_OK;
		if (env->refusal.len == 0)
			buf_addf(&env->refusal, "function %s() is not "
			    "allowed in rules", a4 ? a4 : "?");
		return SQLITE_DENY;
	default:
		if (env->refusal.len == 0)
			buf_addf(&env->refusal, "%s is not allowed in "
			    "rules: a rule can only read", action_name(action));
		return SQLITE_DENY;
	}
}

struct cond_env *
cond_env_new(sqlite3 *db, const char *view, const char *key,
    const char *const *more)
{
	struct cond_env *env;
	size_t n = 0, i;

	env = xcalloc(1, sizeof(*env));
	env->db = db;
	env->view = xstrdup(view);
	env->key = xstrdup(key);
	if (more != NULL) {
		while (more[n] != NULL)
			n++;
		env->readable = xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++)
			env->readable[i] = xstrdup(more[i]);
	}
	return env;
}

void
cond_env_free(struct cond_env *env)
{
	size_t i;

	if (env == NULL)
		return;
	if (env->readable != NULL) {
		for (i = 0; env->readable[i] != NULL; i++)
			free(env->readable[i]);
		free(env->readable);
	}
	for (i = 0; i < env->nallow; i++)
		free(env->allow[i]);
	free(env->allow);
	buf_free(&env->refusal);
	free(env->view);
	free(env->key);
	free(env);
}

void
cond_env_allow(struct cond_env *env, const char *name)
{
	env->allow = xrealloc(env->allow, (env->nallow + 1) * sizeof(char *));
	env->allow[env->nallow++] = xstrdup(name);
}

/* "stages.csv:12: error: gate 'n('x') >= 2': ..." */
static void
cond_error(const struct cond *c, const char *detail)
{
	struct pos pos = {c->origin, NULL, 0, 0};

	diag_error(SX_USAGE, &pos, "%s '%s': %s", c->what, diag_val(c->text),
	    detail);
}

/*
 * Prepare one statement under the sandbox.  The expression sits on
 * lines of its own so that a "--" comment in it cannot swallow the rest
 * of the statement, and the result must be one read-only statement
 * with exactly the shape we wrote: no second statement after a ";".
 */
static sqlite3_stmt *
prepare(struct cond *c, const char *sql, int nparams)
{
	struct cond_env *env = c->env;
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	buf_reset(&env->refusal);
	sqlite3_set_authorizer(env->db, authorize, env);
	rc = sqlite3_prepare_v3(env->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, &tail);
	sqlite3_set_authorizer(env->db, NULL, NULL);
	if (rc != SQLITE_OK) {
		cond_error(c, env->refusal.len > 0 ?
		    buf_str(&env->refusal) : sqlite3_errmsg(env->db));
		sqlite3_finalize(st);
		return NULL;
	}
	while (tail != NULL && (*tail == ' ' || *tail == '\n' ||
	    *tail == '\t' || *tail == '\r'))
		tail++;
	if (st == NULL || (tail != NULL && *tail != '\0') ||
	    !sqlite3_stmt_readonly(st) || sqlite3_column_count(st) != 1 ||
	    sqlite3_bind_parameter_count(st) != nparams) {
		cond_error(c, "not a single expression (a ';', an "
		    "unclosed comment or a parameter in it?)");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/*
 * The expression without its row, when it compiles so under the sandbox
 * and reads no column (no FROM: any column is an error, and with
 * double-quoted strings off so is "stage"), else NULL, quietly.
 */
static sqlite3_stmt *
prepare_bare(struct cond *c)
{
	struct cond_env *env = c->env;
	struct buf sql = {0};
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc, dqs = 1;

	buf_addf(&sql, "SELECT (\n%s\n)", c->text);
	sqlite3_db_config(env->db, SQLITE_DBCONFIG_DQS_DML, -1, &dqs);
	sqlite3_db_config(env->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	buf_reset(&env->refusal);
	sqlite3_set_authorizer(env->db, authorize, env);
	rc = sqlite3_prepare_v3(env->db, buf_str(&sql), -1,
	    SQLITE_PREPARE_PERSISTENT, &st, &tail);
	sqlite3_set_authorizer(env->db, NULL, NULL);
	sqlite3_db_config(env->db, SQLITE_DBCONFIG_DQS_DML, dqs, NULL);
	buf_reset(&env->refusal);
	/* tail points into sql: free it after the test. */
	while (tail != NULL && (*tail == ' ' || *tail == '\n' ||
	    *tail == '\t' || *tail == '\r'))
		tail++;
	if (rc != SQLITE_OK || st == NULL || (tail != NULL && *tail != '\0') ||
	    !sqlite3_stmt_readonly(st) || sqlite3_column_count(st) != 1 ||
	    sqlite3_bind_parameter_count(st) != 0) {
		sqlite3_finalize(st);
		st = NULL;
	}
	buf_free(&sql);
	return st;
}

struct cond *
cond_compile(struct cond_env *env, const char *expr, const char *origin,
    const char *what)
{
	struct cond *c;
	struct buf sql = {0};
	const char *p;

	c = xcalloc(1, sizeof(*c));
	c->env = env;
	for (p = expr; *p == ' ' || *p == '\t'; p++)
		;
	c->text = xstrdup(*p == '\0' ? "1" : expr);
	c->origin = xstrdup(origin ? origin : "?");
	c->what = xstrdup(what ? what : "condition");

	buf_addf(&sql, "SELECT (\n%s\n) FROM \"%s\" WHERE \"%s\" = ?1",
	    c->text, env->view, env->key);
	c->one = prepare(c, buf_str(&sql), 1);
	if (c->one != NULL) {
		buf_reset(&sql);
		buf_addf(&sql, "SELECT \"%s\" FROM \"%s\" WHERE (\n%s\n) "
		    "ORDER BY \"%s\"", env->key, env->view, c->text, env->key);
		c->all = prepare(c, buf_str(&sql), 0);
		if (c->all != NULL)
			c->bare = prepare_bare(c);
	}
	buf_free(&sql);
	if (c->one == NULL || c->all == NULL) {
		cond_free(c);
		return NULL;
	}
	return c;
}

void
cond_free(struct cond *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->one);
	sqlite3_finalize(c->all);
	sqlite3_finalize(c->bare);
	free(c->text);
	free(c->origin);
	free(c->what);
	free(c);
}

const char *
cond_text(const struct cond *c)
{
	return c->text;
}

static int
step_failed(struct cond *c, sqlite3_stmt *st, int rc)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "cannot be evaluated: %s",
	    sqlite3_errmsg(c->env->db));
	sqlite3_reset(st);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		struct pos pos = {c->origin, NULL, 0, 0};

		diag_error(SX_BUSY, &pos, "%s", msg);
		return -1;
	}
	cond_error(c, msg);
	return -1;
}

/* sqlite3_step() with the length limit of a rule in force. */
static int
step(struct cond *c, sqlite3_stmt *st)
{
	int old, rc;

	old = sqlite3_limit(c->env->db, SQLITE_LIMIT_LENGTH, -1);
	sqlite3_limit(c->env->db, SQLITE_LIMIT_LENGTH,
	    old < COND_LENGTH_MAX ? old : COND_LENGTH_MAX);
	rc = sqlite3_step(st);
	sqlite3_limit(c->env->db, SQLITE_LIMIT_LENGTH, old);
	return rc;
}

/* Run the one-row statement; 1 with a row, 0 without, -1 error. */
static int
run_one(struct cond *c, const char *key)
{
	int rc;

	sqlite3_reset(c->one);
	sqlite3_bind_text(c->one, 1, key, -1, SQLITE_TRANSIENT);
	rc = step(c, c->one);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return step_failed(c, c->one, rc);
}

/* The truth of the row st stands on, and st reset. */
static int
truth_of(sqlite3_stmt *st)
{
	int truth = 0;

	switch (sqlite3_column_type(st, 0)) {
	case SQLITE_NULL:
		break;
	case SQLITE_INTEGER:
		truth = sqlite3_column_int64(st, 0) != 0;
		break;
	case SQLITE_FLOAT:
		truth = sqlite3_column_double(st, 0) != 0.0;
		break;
	default:
		/* SQLite's own rule: text is true when it reads as a
		 * non-zero number. */
		truth = sqlite3_column_double(st, 0) != 0.0;
		break;
	}
	sqlite3_reset(st);
	return truth;
}

int
cond_test(struct cond *c, const char *key)
{
	int rc;

	if ((rc = run_one(c, key)) <= 0)
		return rc;
	return truth_of(c->one);
}

int
cond_test_present(struct cond *c, const char *key)
{
	int rc;

	if (c->bare == NULL)
		return cond_test(c, key);
	sqlite3_reset(c->bare);
	if ((rc = step(c, c->bare)) != SQLITE_ROW)
		return step_failed(c, c->bare, rc == SQLITE_DONE ?
		    SQLITE_ERROR : rc);
	return truth_of(c->bare);
}

long
cond_each(struct cond *c, int (*each)(const char *, void *), void *arg)
{
	long n = 0;
	int rc;

	sqlite3_reset(c->all);
	while ((rc = step(c, c->all)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(c->all, 0);

		n++;
		if (each(k ? k : "", arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		return step_failed(c, c->all, rc);
	sqlite3_reset(c->all);
	return n;
}

int
cond_value(struct cond *c, const char *key, char *out, size_t n)
{
	const unsigned char *t;
	int rc;

	if (n > 0)
		out[0] = '\0';
	if ((rc = run_one(c, key)) <= 0)
		return rc;
	if ((t = sqlite3_column_text(c->one, 0)) != NULL && n > 0)
		snprintf(out, n, "%s", (const char *)t);
	sqlite3_reset(c->one);
	return 0;
}
