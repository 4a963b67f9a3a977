/*
 * Rule conditions: the SQL expressions sales teams write in rule
 * tables ("budget >= 500000 AND urgency = 'high'", "n('tech_qa') >= 2"),
 * evaluated by SQLite itself against one row of a read-only view.
 *
 * A condition is compiled under an authorizer that allows reading the
 * environment's view and the views it names, and calling the built-in
 * scalar functions of a safe list plus the helpers the engine declares.
 * Anything else (INSERT, ATTACH, PRAGMA, load_extension, a second
 * statement, a table that is not listed) makes compilation fail with a
 * message naming the rule: a rule file can only read.
 *
 * Engines register their helper functions (n(), has(), ...) on the
 * connection themselves with sqlite3_create_function(); they keep the
 * record being evaluated in their own state, and declare the names here
 * so that the authorizer lets rules call them.
 */
#ifndef COND_H
#define COND_H

#include <sqlite3.h>

struct cond_env;
struct cond;

/*
 * A condition environment: rules see one row of view, found by its key
 * column; readable is a NULL-terminated list of further views (or
 * tables) a rule may read in subqueries, or NULL.
 */
struct cond_env	*cond_env_new(sqlite3 *, const char *view, const char *key,
		    const char *const *readable);
void		 cond_env_free(struct cond_env *);
/* Let rules call the helper function name (any number of arguments). */
void		 cond_env_allow(struct cond_env *, const char *name);

/*
 * Compile expr.  origin ("stages.csv:12") and what ("gate") are for
 * messages.  NULL after reporting a rule-table error (SX_USAGE): a
 * syntax error, an unknown column, or an operation the sandbox refuses.
 * An empty expression is always true.
 */
struct cond	*cond_compile(struct cond_env *, const char *expr,
		    const char *origin, const char *what);
void		 cond_free(struct cond *);
const char	*cond_text(const struct cond *);

/*
 * Does the row with this key satisfy the condition?  1 yes, 0 no (also
 * when the row is absent or the value is NULL), -1 after reporting an
 * evaluation error (SX_USAGE, naming the rule).
 */
int		 cond_test(struct cond *, const char *key);
/*
 * cond_test() of a key the caller has just read from the view's rows in
 * the same transaction: a condition that reads no column of the row is
 * then evaluated without looking the row up (stuck deals ask this of
 * tens of thousands of deals).
 */
int		 cond_test_present(struct cond *, const char *key);

/*
 * Call each(key, arg) for every row of the view that satisfies the
 * condition, in key order; each returns non-zero to stop.  Returns the
 * number of rows visited, or -1 after reporting.
 */
long		 cond_each(struct cond *, int (*each)(const char *, void *),
		    void *arg);

/*
 * The value of an expression (not a test) for the row with this key,
 * as text in out (which must hold n bytes; "" for NULL or no row): the
 * "1" of "技术答疑 1/2".  0, or -1 after reporting.
 */
int		 cond_value(struct cond *, const char *key, char *out,
		    size_t n);

#endif
