/*
 * Helper functions for rule conditions on a deal.  See condfn.h.
 *
 * Each helper is one statement prepared when the helpers are
 * registered (field(): one per column, on first use), bound to the deal
 * of the moment and the helper's arguments; none of them can be steered
 * by a rule into anything but the read it was written for.  n() and
 * has() share one read of the deal's activity types until the next
 * condfn_set().
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "buf.h"
#include "cond.h"
#include "condfn.h"
#include "diag.h"
#include "hash.h"
#include "xalloc.h"

enum {
	Q_EVIDENCE,	/* their evidence files and digests */
	Q_BEFORE,	/* first instants of two types */
	Q_SINCE,	/* the day the deal entered its stage */
	Q_TYPES,	/* the types of all its activities */
	Q_ROW,		/* the deal's row of the view */
	Q_MAX
};

static const char *const queries[Q_MAX] = {
	"SELECT evidence, evidence_sha256 FROM activity WHERE deal_id = ?1"
	" AND type = ?2 AND evidence IS NOT NULL AND evidence <> ''"
	" ORDER BY at, id",
	"SELECT (SELECT min(julianday(at)) FROM activity WHERE deal_id = ?1"
	" AND type = ?2), (SELECT min(julianday(at)) FROM activity"
	" WHERE deal_id = ?1 AND type = ?3)",
	"SELECT julianday(coalesce(substr(stage_since, 1, 10), created_on))"
	" FROM deal WHERE id = ?1",
	/* activity_deal alone. */
	"SELECT type FROM activity WHERE deal_id = ?1",
	NULL,		/* built from the view's name */
};

static const char *const names[] = {
	"n", "has", "evidence", "field", "days_in_stage", "before",
};

/* Activities of the deal of the moment by type, for n() and has(). */
struct tcount {
	char		*type;
	size_t		 len;
	long long	 n;
};

struct condfn {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_MAX];
	char		*deal;
	long		 today;
	struct buf	 note;
	struct tcount	*tc;
	size_t		 ntc, captc;
	int		 have_tc;	/* tc holds the deal's counts */
	char		*view;
	sqlite3_stmt	**colq;		/* field(): one column of the row */
	int		 ncolq;
};

static sqlite3_stmt *
bind_deal(struct condfn *fn, int q)
{
	sqlite3_stmt *st = fn->q[q];

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, fn->deal ? fn->deal : "", -1,
	    SQLITE_STATIC);
	return st;
}

/* The helper's text argument i, or NULL after setting an error. */
static const char *
text_arg(sqlite3_context *ctx, sqlite3_value **argv, int i,
    const char *fname, const char *what)
{
	const unsigned char *s;
	char msg[128];

	if (sqlite3_value_type(argv[i]) != SQLITE_TEXT ||
	    (s = sqlite3_value_text(argv[i])) == NULL || *s == '\0') {
		snprintf(msg, sizeof(msg), "%s() takes %s in quotes", fname,
		    what);
		sqlite3_result_error(ctx, msg, -1);
		return NULL;
	}
	return (const char *)s;
}

static int
arity(sqlite3_context *ctx, int argc, int want, const char *usage)
{
	char msg[128];

	if (argc == want)
		return 1;
	snprintf(msg, sizeof(msg), "wrong number of arguments: %s", usage);
	sqlite3_result_error(ctx, msg, -1);
	return 0;
}

static void
step_error(sqlite3_context *ctx, struct condfn *fn, sqlite3_stmt *st)
{
	sqlite3_result_error(ctx, sqlite3_errmsg(fn->db), -1);
	sqlite3_reset(st);
}

/*
 * The deal's activities of every type, read once per deal (condfn_set()
 * forgets them): a gate such as has('visit') OR has('call') OR
 * has('wechat') asks for three counts of the same index entries.
 */
static int
load_types(sqlite3_context *ctx, struct condfn *fn)
{
	sqlite3_stmt *st;
	const char *t;
	size_t i, len;
	int rc;

	for (i = 0; i < fn->ntc; i++)
		free(fn->tc[i].type);
	fn->ntc = 0;
	st = bind_deal(fn, Q_TYPES);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* type = 'visit' holds for text only (not for a blob). */
		if (sqlite3_column_type(st, 0) != SQLITE_TEXT)
			continue;
		t = (const char *)sqlite3_column_text(st, 0);
		len = (size_t)sqlite3_column_bytes(st, 0);
		for (i = 0; i < fn->ntc; i++)
			if (fn->tc[i].len == len &&
			    memcmp(fn->tc[i].type, t, len) == 0)
				break;
		if (i == fn->ntc) {
			fn->tc = xgrow(fn->tc, &fn->captc, fn->ntc + 1,
			    sizeof(*fn->tc));
			fn->tc[i].type = xmalloc(len + 1);
			memcpy(fn->tc[i].type, t, len);
			fn->tc[i].type[len] = '\0';
			fn->tc[i].len = len;
			fn->tc[i].n = 0;
			fn->ntc++;
		}
		fn->tc[i].n++;
	}
	if (rc != SQLITE_DONE) {
		step_error(ctx, fn, st);
		return -1;
	}
	sqlite3_reset(st);
	fn->have_tc = 1;
	return 0;
}

static long long
count_of(sqlite3_context *ctx, struct condfn *fn, const char *type, int *err)
{
	size_t i, len = strlen(type);

	if (!fn->have_tc && load_types(ctx, fn) < 0) {
		*err = 1;
		return 0;
	}
	for (i = 0; i < fn->ntc; i++)
		if (fn->tc[i].len == len &&
		    memcmp(fn->tc[i].type, type, len) == 0)
			return fn->tc[i].n;
	return 0;
}

static void
fn_n(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	const char *type;
	long long n;
	int err = 0;

	if (!arity(ctx, argc, 1, "n('activity type')") ||
	    (type = text_arg(ctx, argv, 0, "n", "an activity type")) == NULL)
		return;
	n = count_of(ctx, fn, type, &err);
	if (!err)
		sqlite3_result_int64(ctx, n);
}

static void
fn_has(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	const char *type;
	long long n;
	int err = 0;

	if (!arity(ctx, argc, 1, "has('activity type')") ||
	    (type = text_arg(ctx, argv, 0, "has", "an activity type")) == NULL)
		return;
	n = count_of(ctx, fn, type, &err);
	if (!err)
		sqlite3_result_int(ctx, n > 0);
}

static void
fn_evidence(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	char hex[SHA256_HEX_MAX];
	const char *type, *path, *want;
	sqlite3_stmt *st;
	int rc, found = 0;

	if (!arity(ctx, argc, 1, "evidence('activity type')") ||
	    (type = text_arg(ctx, argv, 0, "evidence", "an activity type")) == NULL)
		return;
	st = bind_deal(fn, Q_EVIDENCE);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
	buf_reset(&fn->note);
	while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		path = (const char *)sqlite3_column_text(st, 0);
		want = (const char *)sqlite3_column_text(st, 1);
		buf_reset(&fn->note);
		if (sha256_file(path, hex) < 0)
			buf_addf(&fn->note, "evidence '%s' cannot be read",
			    diag_val(path));
		else if (want == NULL || *want == '\0')
			buf_addf(&fn->note, "evidence '%s' has no recorded "
			    "sha256", diag_val(path));
		else if (strcasecmp(hex, want) != 0)
			buf_addf(&fn->note, "evidence '%s' has changed: its "
			    "sha256 is not the one recorded", diag_val(path));
		else
			found = 1;
	}
	if (!found && rc != SQLITE_DONE) {
		step_error(ctx, fn, st);
		return;
	}
	if (found)
		buf_reset(&fn->note);
	sqlite3_reset(st);
	sqlite3_result_int(ctx, found);
}

/*
 * The statement that reads column col of the deal's row alone: the
 * view's joins that other columns need are left out (a customer and a
 * rep looked up for every needs-stage gate), prepared on first use.
 * NULL when it cannot be, and the whole row is read instead.
 */
static sqlite3_stmt *
column_query(struct condfn *fn, int col)
{
	struct buf sql = {0};
	const char *name, *p;

	if (fn->colq == NULL) {
		fn->ncolq = sqlite3_column_count(fn->q[Q_ROW]);
		fn->colq = xcalloc((size_t)fn->ncolq + 1, sizeof(*fn->colq));
	}
	if (col >= fn->ncolq)
		return NULL;
	if (fn->colq[col] != NULL)
		return fn->colq[col];
	name = sqlite3_column_name(fn->q[Q_ROW], col);
	buf_adds(&sql, "SELECT \"");
	for (p = name; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(&sql, '"');
		buf_addc(&sql, *p);
	}
	buf_addf(&sql, "\" FROM \"%s\" WHERE id = ?1", fn->view);
	if (sqlite3_prepare_v3(fn->db, buf_str(&sql), -1,
	    SQLITE_PREPARE_PERSISTENT, &fn->colq[col], NULL) != SQLITE_OK ||
	    sqlite3_column_count(fn->colq[col]) != 1) {
		sqlite3_finalize(fn->colq[col]);
		fn->colq[col] = NULL;
	}
	buf_free(&sql);
	return fn->colq[col];
}

static void
fn_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	sqlite3_stmt *st = fn->q[Q_ROW];
	const unsigned char *v;
	const char *name;
	char msg[160];
	int i, n, col = -1, set = 0;

	if (!arity(ctx, argc, 1, "field('column')") ||
	    (name = text_arg(ctx, argv, 0, "field", "a column name")) == NULL)
		return;
	n = sqlite3_column_count(st);
	for (i = 0; i < n; i++)
		if (strcasecmp(sqlite3_column_name(st, i), name) == 0)
			col = i;
	if (col < 0) {
		snprintf(msg, sizeof(msg), "field(): no column '%s' in the "
		    "deal's row", diag_val(name));
		sqlite3_result_error(ctx, msg, -1);
		return;
	}
	if ((st = column_query(fn, col)) != NULL) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, fn->deal ? fn->deal : "", -1,
		    SQLITE_STATIC);
		col = 0;
	} else
		st = bind_deal(fn, Q_ROW);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		if (sqlite3_column_type(st, col) == SQLITE_NULL)
			break;
		v = sqlite3_column_text(st, col);
		for (; v != NULL && *v != '\0'; v++)
			if (*v != ' ' && *v != '\t')
				set = 1;
		break;
	case SQLITE_DONE:
		break;
	default:
		step_error(ctx, fn, st);
		return;
	}
	sqlite3_reset(st);
	sqlite3_result_int(ctx, set);
}

static void
fn_days_in_stage(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	sqlite3_stmt *st;
	double jd;

	(void)argv;
	if (!arity(ctx, argc, 0, "days_in_stage()"))
		return;
	st = bind_deal(fn, Q_SINCE);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			sqlite3_result_null(ctx);
			break;
		}
		/* julianday() of a date is its noon minus 12 hours. */
		jd = sqlite3_column_double(st, 0);
		sqlite3_result_int64(ctx,
		    fn->today - (long long)(jd - 2440587.5));
		break;
	case SQLITE_DONE:
		sqlite3_result_null(ctx);
		break;
	default:
		step_error(ctx, fn, st);
		return;
	}
	sqlite3_reset(st);
}

static void
fn_before(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct condfn *fn = sqlite3_user_data(ctx);
	const char *a, *b;
	sqlite3_stmt *st;
	int r;

	if (!arity(ctx, argc, 2, "before('first type', 'second type')") ||
	    (a = text_arg(ctx, argv, 0, "before", "an activity type")) == NULL ||
	    (b = text_arg(ctx, argv, 1, "before", "an activity type")) == NULL)
		return;
	st = bind_deal(fn, Q_BEFORE);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		step_error(ctx, fn, st);
		return;
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		r = 0;
	else if (sqlite3_column_type(st, 1) == SQLITE_NULL)
		r = 1;
	else
		r = sqlite3_column_double(st, 0) < sqlite3_column_double(st, 1);
	sqlite3_reset(st);
	sqlite3_result_int(ctx, r);
}

static void (*const funcs[])(sqlite3_context *, int, sqlite3_value **) = {
	fn_n, fn_has, fn_evidence, fn_field, fn_days_in_stage, fn_before,
};

struct condfn *
condfn_new(sqlite3 *db, struct cond_env *env, const char *view)
{
	struct condfn *fn;
	struct buf sql = {0};
	size_t i;
	int rc;

	fn = xcalloc(1, sizeof(*fn));
	fn->db = db;
	fn->view = xstrdup(view);
	buf_addf(&sql, "SELECT * FROM \"%s\" WHERE id = ?1", view);
	for (i = 0; i < Q_MAX; i++) {
		rc = sqlite3_prepare_v3(db, queries[i] ? queries[i] :
		    buf_str(&sql), -1, SQLITE_PREPARE_PERSISTENT, &fn->q[i],
		    NULL);
		if (rc != SQLITE_OK) {
			diag_error(SX_SYS, NULL, "cannot prepare the rule "
			    "helpers: %s", sqlite3_errmsg(db));
			buf_free(&sql);
			condfn_free(fn);
			return NULL;
		}
	}
	buf_free(&sql);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		sqlite3_create_function_v2(db, names[i], -1, SQLITE_UTF8, fn,
		    funcs[i], NULL, NULL, NULL);
		if (env != NULL)
			cond_env_allow(env, names[i]);
	}
	return fn;
}

void
condfn_free(struct condfn *fn)
{
	size_t i;

	if (fn == NULL)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		sqlite3_create_function_v2(fn->db, names[i], -1, SQLITE_UTF8,
		    NULL, NULL, NULL, NULL, NULL);
	for (i = 0; i < Q_MAX; i++)
		sqlite3_finalize(fn->q[i]);
	for (i = 0; i < fn->ntc; i++)
		free(fn->tc[i].type);
	free(fn->tc);
	for (i = 0; fn->colq != NULL && i < (size_t)fn->ncolq; i++)
		sqlite3_finalize(fn->colq[i]);
	free(fn->colq);
	free(fn->view);
	buf_free(&fn->note);
	free(fn->deal);
	free(fn);
}

void
condfn_set(struct condfn *fn, const char *deal, long today)
{
	free(fn->deal);
	fn->deal = deal != NULL ? xstrdup(deal) : NULL;
	fn->today = today;
	fn->have_tc = 0;
	buf_reset(&fn->note);
}

const char *
condfn_note(const struct condfn *fn)
{
	return fn->note.len > 0 ? buf_str(&fn->note) : NULL;
}
