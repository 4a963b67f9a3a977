/*
 * The public pool (公海) by the rules of reclaim.csv.  See reclaim.h.
 *
 * Every candidate (an open lead or a customer with a rep) is read with
 * the dates its clock can start from; the first rule of its target
 * whose scope matches decides when it falls due.  Only candidates due
 * within the notice period are printed, so the output is the list a
 * rep acts on.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "assign.h"
#include "buf.h"
#include "cond.h"
#include "db.h"
#include "diag.h"
#include "i18n.h"
#include "reclaim.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

/* As in assign.c: the closed statuses are the assigner's temp table. */
#define OPEN_LEAD "coalesce(lower(l.status), '') NOT IN " \
	"(SELECT status FROM temp.assign_closed)"

enum target { T_LEAD, T_CUSTOMER };

static const char *const target_names[] = {"lead", "customer"};

struct crule {
	char		*name;
	enum target	 target;
	struct cond	*scope;
	struct cond	*locked;	/* NULL: nothing locked */
	char		*locked_text;
	int		 follow;	/* days; -1: no limit */
	int		 deal;
	int		 notice;	/* 0: no notice */
	int		 won;		/* -1: a won deal does not exempt */
	int		 business;
};

struct reclaimer {
	struct db	*db;
	sqlite3		*h;
	struct cond_env	*env[2];
	struct crule	*rules;
	size_t		 nrules;
	struct workcal	*cal;
	int64_t		 run;
	char		 now[INSTANT_TEXT_MAX];
};

/* One candidate and the dates its clock may start from. */
struct cand {
	enum target	 target;
	const char	*id, *rep_id, *rep, *name, *cust_id;
	const char	*activity, *assigned, *arrived, *deal, *imported;
};

long
reclaim_due(struct workcal *cal, int business, long start, int n)
{
	return business ? workcal_add(cal, start, n) : start + n;
}

long
reclaim_left(struct workcal *cal, int business, long as_of, long due)
{
	return business ? workcal_between(cal, as_of, due) : due - as_of;
}

static void
rule_clear(struct crule *r)
{
	free(r->name);
	free(r->locked_text);
	cond_free(r->scope);
	cond_free(r->locked);
}

void
reclaim_free(struct reclaimer *rc)
{
	size_t i;

	if (rc == NULL)
		return;
	for (i = 0; i < rc->nrules; i++)
		rule_clear(&rc->rules[i]);
	free(rc->rules);
	cond_env_free(rc->env[0]);
	cond_env_free(rc->env[1]);
	workcal_free(rc->cal);
	free(rc);
}

/* A number of days in a cell: -1 when empty, -2 after reporting. */
static int
days_cell(const struct rtable *t, size_t i, int col)
{
	const char *s = rtable_get(t, i, col);
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end != '\0' || v > 3650) {
		rtable_error(t, i, col, "%s '%s' is not a number of days "
		    "(0 to 3650)", t->cols[col], diag_val(s));
		return -2;
	}
	return (int)v;
}

/* Read one line of the table into r; 0, or -1 after reporting. */
static int
rule_load(struct reclaimer *rc, const struct rtable *t, size_t i,
    const int *col, struct crule *r)
{
	const char *tg = rtable_get(t, i, col[1]);
	const char *dc = rtable_get(t, i, col[6]);
	char *origin;
	size_t j;
	int bad = 0;

	r->name = xstrdup(rtable_get(t, i, col[0]));
	if (*r->name == '\0') {
		rtable_error(t, i, col[0], "a rule needs a name");
		return -1;
	}
	for (j = 0; j < i; j++)
		if (strcmp(rtable_get(t, j, col[0]), r->name) == 0) {
			rtable_error(t, i, col[0], "rule '%s' is already on "
			    "line %ld", diag_val(r->name), t->rows[j].line);
			return -1;
		}
	if (strcmp(tg, "lead") == 0 || *tg == '\0')
		r->target = T_LEAD;
	else if (strcmp(tg, "customer") == 0)
		r->target = T_CUSTOMER;
	else {
		rtable_error(t, i, col[1], "unknown target '%s' (lead or "
		    "customer)", diag_val(tg));
		bad = 1;
	}
	if (strcmp(dc, "business") == 0)
		r->business = 1;
	else if (*dc != '\0' && strcmp(dc, "calendar") != 0) {
		rtable_error(t, i, col[6], "unknown day count '%s' (calendar "
		    "or business)", diag_val(dc));
		bad = 1;
	}
	r->follow = days_cell(t, i, col[3]);
	r->deal = days_cell(t, i, col[4]);
	r->notice = days_cell(t, i, col[5]);
	r->won = days_cell(t, i, col[7]);
	if (r->follow == -2 || r->deal == -2 || r->notice == -2 ||
	    r->won == -2)
		bad = 1;
	else if (r->follow < 0 && r->deal < 0) {
		rtable_error(t, i, col[3], "a rule needs follow_days or "
		    "deal_days");
		bad = 1;
	}
	if (r->notice < 0)
		r->notice = 0;
	if (bad)
		return -1;
	origin = xasprintf("%s:%ld", t->path, t->rows[i].line);
	r->scope = cond_compile(rc->env[r->target], rtable_get(t, i, col[2]),
	    origin, "scope");
	r->locked_text = xstrdup(rtable_get(t, i, col[8]));
	if (*r->locked_text != '\0')
		r->locked = cond_compile(rc->env[r->target], r->locked_text,
		    origin, "locked");
	free(origin);
	if (r->scope == NULL || (*r->locked_text != '\0' && r->locked == NULL))
		return -1;
	return 0;
}

struct reclaimer *
reclaim_new(struct db *db, const char *dir)
{
	static const char *const names[] = {"name", "target", "scope",
	    "follow_days", "deal_days", "notice_days", "days", "won_days",
	    "locked"};
	struct reclaimer *rc;
	struct rtable *t;
	sqlite3_stmt *st;
	size_t i;
	int col[9], bad = 0, business = 0, k;

	if ((t = rules_load(dir, "reclaim.csv")) == NULL)
		return NULL;
	for (k = 0; k < 9; k++)
		if ((col[k] = k < 7 ? rtable_need(t, names[k]) :
		    rtable_col(t, names[k])) < 0 && k < 7)
			bad = 1;
	if (bad) {
		rtable_free(t);
		return NULL;
	}
	rc = xcalloc(1, sizeof(*rc));
	rc->db = db;
	rc->h = db_handle(db);
	rc->env[T_LEAD] = cond_env_new(rc->h, "assign_lead", "id", NULL);
	rc->env[T_CUSTOMER] = cond_env_new(rc->h, "customer", "id", NULL);
	rc->rules = xcalloc(t->nrows + 1, sizeof(*rc->rules));
	for (i = 0; i < t->nrows; i++) {
		struct crule *r = &rc->rules[rc->nrules++];

		if (rule_load(rc, t, i, col, r) < 0)
			bad = 1;
		business |= r->business;
	}
	rtable_free(t);
	if (!bad && business && (rc->cal = workcal_load(dir)) == NULL)
		bad = 1;
	if (bad) {
		reclaim_free(rc);
		return NULL;
	}
	tz_now(rc->now);
	st = db_prepare(db, "SELECT coalesce(max(run), 0) + 1 FROM reclaim");
	if (st == NULL || sqlite3_step(st) != SQLITE_ROW) {
		if (st != NULL)
			db_fail(db, sqlite3_reset(st), "reading the reclaim "
			    "log");
		reclaim_free(rc);
		return NULL;
	}
	rc->run = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

/* "2026-02-06" -> day; -1 when s is NULL or not a date. */
static long
day_of(const char *s)
{
	int y, m, d;

	if (s == NULL || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d", &y, &m,
	    &d) != 3 || !civil_valid(y, m, d))
		return -1;
	return days_from_civil(y, m, d);
}

static void
day_text(char *out, size_t n, long day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* The latest of the dates given, with its label; -1 when none. */
static long
latest(const char *const *dates, const char *const *labels, size_t n,
    const char **label)
{
	long best = -1, d;
	size_t i;

	for (i = 0; i < n; i++)
		if ((d = day_of(dates[i])) > best) {
			best = d;
			*label = labels[i];
		}
	return best;
}

/* The latest won deal: 1 with its id and date, 0 none, -1 error. */
static int
last_won(struct reclaimer *rc, const struct cand *c, char *id, size_t n,
    long *day)
{
	sqlite3_stmt *st;
	int rv;

	st = db_prepare(rc->db, "SELECT id, coalesce(close_on, expected_on, "
	    "created_on) AS d FROM deal WHERE stage = 'won' AND (lead_id = ?1 "
	    "OR customer_id = ?2) ORDER BY d IS NULL, d DESC, id LIMIT 1");
	if (st == NULL)
		return -1;
	if (c->target == T_LEAD)
		sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	if (c->cust_id != NULL)
		sqlite3_bind_text(st, 2, c->cust_id, -1, SQLITE_STATIC);
	rv = sqlite3_step(st);
	if (rv == SQLITE_ROW) {
		snprintf(id, n, "%s", sqlite3_column_text(st, 0));
		*day = day_of((const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		return *day >= 0;
	}
	sqlite3_reset(st);
	return rv == SQLITE_DONE ? 0 : db_fail(rc->db, rv, "reading deals");
}

static int
log_reclaim(struct reclaimer *rc, const struct cand *c,
    const struct crule *r, const char *due, const char *as_of,
    const char *why)
{
	sqlite3_stmt *st;
	int rv;

	st = db_prepare(rc->db, "INSERT INTO reclaim (target, rec_id, rep_id, "
	    "rule, reason, due, as_of, at, run) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9)");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, target_names[c->target], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->rep_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, due, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, rc->now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, rc->run);
	rv = sqlite3_step(st);
	sqlite3_reset(st);
	return rv == SQLITE_DONE ? 0 : db_fail(rc->db, rv, "logging a "
	    "reclaim");
}

/* Back to the pool: the record's rep is cleared if it is still rep. */
static int
clear_rep(struct reclaimer *rc, const struct cand *c)
{
	sqlite3_stmt *st;
	int rv;

	st = db_prepare(rc->db, c->target == T_LEAD ?
	    "UPDATE lead SET rep_id = NULL WHERE id = ?1 AND rep_id = ?2" :
	    "UPDATE customer SET rep_id = NULL WHERE id = ?1 AND rep_id = ?2");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->rep_id, -1, SQLITE_STATIC);
	rv = sqlite3_step(st);
	sqlite3_reset(st);
	return rv == SQLITE_DONE ? 0 : db_fail(rc->db, rv, "returning a "
	    "record to the pool");
}

static void
json_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

static void
emit(FILE *out, struct table *tb, const struct cand *c, const char *action,
    const char *due, long left, const struct crule *r, const char *why)
{
	json_t *o;
	char *s;
	size_t row;

	if (tb != NULL) {
		row = table_row(tb);
		table_text(tb, row, 0, target_names[c->target]);
		table_text(tb, row, 1, c->id);
		if (c->name != NULL)
			table_text(tb, row, 2, c->name);
		if (c->rep != NULL)
			table_text(tb, row, 3, c->rep);
		table_text(tb, row, 4, action);
		table_text(tb, row, 5, due);
		table_int(tb, row, 6, left);
		table_text(tb, row, 7, r->name);
		table_text(tb, row, 8, why);
		return;
	}
	o = json_object();
	json_str(o, "target", target_names[c->target]);
	json_str(o, "id", c->id);
	json_str(o, "name", c->name);
	json_str(o, "rep", c->rep);
	json_str(o, "action", action);
	json_str(o, "due", due);
	json_object_set_new(o, "days_left", json_integer(left));
	json_str(o, "rule", r->name);
	json_str(o, "reason", why);
	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		diag_fatal(SX_SYS, "out of memory");
	fprintf(out, "%s\n", s);
	free(s);
	json_decref(o);
}

/*
 * When does c fall due under r?  The due day, with the basis in words
 * in why ("last follow-up 2026-02-06, 19 calendar days ago (limit
 * 10)"); -1 when its clock has no start.
 */
static long
due_day(struct reclaimer *rc, const struct crule *r, const struct cand *c,
    long as_of, struct buf *why)
{
	const char *fd[] = {c->activity, c->assigned, c->arrived};
	const char *fl[] = {"last follow-up", "assigned", "arrived"};
	const char *dd[] = {c->deal, c->assigned, c->arrived};
	const char *dl[] = {"last deal", "assigned", "arrived"};
	const char *unit = r->business ? "business" : "calendar";
	const char *label = NULL, *lf = NULL, *ld = NULL;
	long start, sf, sd, due = -1, df = -1, dde = -1, ago;
	int lim;
	char date[16];

	sf = latest(fd, fl, 3, &lf);
	sd = latest(dd, dl, 3, &ld);
	if (sf < 0 && (sf = day_of(c->imported)) >= 0)
		lf = "imported";
	if (sd < 0 && (sd = day_of(c->imported)) >= 0)
		ld = "imported";
	if (r->follow >= 0 && sf >= 0)
		df = reclaim_due(rc->cal, r->business, sf, r->follow);
	if (r->deal >= 0 && sd >= 0)
		dde = reclaim_due(rc->cal, r->business, sd, r->deal);
	if (df >= 0 && (dde < 0 || df <= dde)) {
		due = df;
		start = sf;
		label = lf;
		lim = r->follow;
	} else if (dde >= 0) {
		due = dde;
		start = sd;
		label = ld;
		lim = r->deal;
	} else
		return -1;
	ago = r->business ? workcal_between(rc->cal, start, as_of) :
	    as_of - start;
	day_text(date, sizeof(date), start);
	buf_addf(why, "%s %s, %ld %s day%s ago (limit %d)", label, date, ago,
	    unit, ago == 1 || ago == -1 ? "" : "s", lim);
	return due;
}

/* Decide about one candidate; 0 or -1 after reporting. */
static int
one(struct reclaimer *rc, const struct cand *c, long as_of,
    struct assigner *a, int route, struct table *tb, FILE *out,
    struct reclaim_stats *stats)
{
	struct assign_stats ast;
	struct buf why = {0}, basis = {0};
	const struct crule *r = NULL;
	char due_s[16], as_s[16], won_id[128];
	const char *action;
	long due, left, won_day = -1;
	size_t i;
	int t, rv = -1, w;

	for (i = 0; i < rc->nrules; i++) {
		if (rc->rules[i].target != c->target)
			continue;
		if ((t = cond_test(rc->rules[i].scope, c->id)) < 0)
			return -1;
		if (t == 1) {
			r = &rc->rules[i];
			break;
		}
	}
	if (r == NULL)
		return 0;
	if ((due = due_day(rc, r, c, as_of, &basis)) < 0) {
		buf_free(&basis);
		return 0;
	}
	left = reclaim_left(rc->cal, r->business, as_of, due);
	if (left > r->notice) {
		buf_free(&basis);
		return 0;
	}
	day_text(due_s, sizeof(due_s), due);
	day_text(as_s, sizeof(as_s), as_of);
	action = left <= 0 ? "reclaim" : "notice";
	if (r->won >= 0 && (w = last_won(rc, c, won_id, sizeof(won_id),
	    &won_day)) != 0) {
		if (w < 0)
			goto out;
		if (won_day >= as_of - r->won) {
			day_text(due_s, sizeof(due_s), won_day);
			buf_addf(&why, "won deal %s closed %s (within %d "
			    "days): ", won_id, due_s, r->won);
			day_text(due_s, sizeof(due_s), due);
			action = "exempt";
		}
	}
	if (strcmp(action, "exempt") != 0 && r->locked != NULL) {
		if ((t = cond_test(r->locked, c->id)) < 0)
			goto out;
		if (t == 1) {
			buf_addf(&why, "locked (%s): ", r->locked_text);
			action = "exempt";
		}
	}
	buf_adds(&why, buf_str(&basis));
	if (strcmp(action, "notice") == 0)
		buf_addf(&why, "; %ld %s day%s left", left, r->business ?
		    "business" : "calendar", left == 1 ? "" : "s");
	else if (strcmp(action, "exempt") == 0)
		buf_addf(&why, "; %s %s", left <= 0 ? "due" : "would be due",
		    due_s);
	emit(out, tb, c, action, due_s, left, r, buf_str(&why));
	if (strcmp(action, "notice") == 0) {
		stats->notices++;
		rv = 0;
		goto out;
	}
	if (strcmp(action, "exempt") == 0) {
		stats->exempt++;
		rv = 0;
		goto out;
	}
	stats->reclaimed++;
	if (log_reclaim(rc, c, r, due_s, as_s, buf_str(&why)) < 0)
		goto out;
	if (c->target == T_LEAD && route) {
		memset(&ast, 0, sizeof(ast));
		stats->routed++;
		if ((t = assign_reroute(a, c->id, c->rep_id, &ast)) < 0)
			goto out;
		if (t == 1) {
			stats->rerouted++;
			rv = 0;
			goto out;
		}
	}
	rv = clear_rep(rc, c);
out:
	buf_free(&why);
	buf_free(&basis);
	return rv;
}

/*
 * The last activity and deal per lead and per customer, each found in
 * one pass (GROUP BY), not by a subquery per candidate: activity has no
 * index on lead_id, and a store holds millions of activities.
 */
#define LAST_BY(k, col, tbl) "(SELECT " k " AS k, max(" col ") AS d" \
	" FROM " tbl " WHERE " k " IS NOT NULL GROUP BY " k ")"
#define EITHER(a, b) "nullif(max(coalesce(" a ", ''), coalesce(" b \
	", '')), '')"

static const char lead_sql[] =
    "SELECT l.id, l.rep_id, r.name, c.name, l.customer_id,"
    " " EITHER("la.d", "ca.d") ","
    " sa.d, substr(l.arrived_at, 1, 10),"
    " " EITHER("ld.d", "cd.d") ","
    " (SELECT substr(b.started_at, 1, 10) FROM import_batch b"
    "  WHERE b.id = l.batch_id)"
    " FROM lead l LEFT JOIN rep r ON r.id = l.rep_id"
    " LEFT JOIN customer c ON c.id = l.customer_id"
    " LEFT JOIN (SELECT lead_id AS k, rep_id AS r,"
    "  substr(max(at), 1, 10) AS d FROM assignment"
    "  GROUP BY lead_id, rep_id) sa ON sa.k = l.id AND sa.r = l.rep_id"
    " LEFT JOIN " LAST_BY("lead_id", "on_date", "activity") " la"
    "  ON la.k = l.id"
    " LEFT JOIN " LAST_BY("customer_id", "on_date", "activity") " ca"
    "  ON ca.k = l.customer_id"
    " LEFT JOIN " LAST_BY("lead_id", "created_on", "deal") " ld"
    "  ON ld.k = l.id"
    " LEFT JOIN " LAST_BY("customer_id", "created_on", "deal") " cd"
    "  ON cd.k = l.customer_id"
    " WHERE l.rep_id IS NOT NULL AND " OPEN_LEAD " ORDER BY l.id";

static const char customer_sql[] =
    "SELECT c.id, c.rep_id, r.name, c.name, c.id, ca.d, NULL, NULL, cd.d,"
    " (SELECT substr(b.started_at, 1, 10) FROM import_batch b"
    "  WHERE b.id = c.batch_id)"
    " FROM customer c LEFT JOIN rep r ON r.id = c.rep_id"
    " LEFT JOIN " LAST_BY("customer_id", "on_date", "activity") " ca"
    "  ON ca.k = c.id"
    " LEFT JOIN " LAST_BY("customer_id", "created_on", "deal") " cd"
    "  ON cd.k = c.id"
    " WHERE c.rep_id IS NOT NULL ORDER BY c.id";

/* The candidates of a target, copied out: the run changes the rows. */
static char **
list(struct reclaimer *rc, enum target tg, size_t *n)
{
	sqlite3_stmt *st;
	char **v = NULL;
	size_t cap = 0;
	int rv, k;

	*n = 0;
	if ((st = db_prepare(rc->db, tg == T_LEAD ? lead_sql :
	    customer_sql)) == NULL)
		return NULL;
	while ((rv = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n + 10 > cap) {
			cap = cap ? cap * 2 : 160;
			v = xrealloc(v, cap * sizeof(char *));
		}
		for (k = 0; k < 10; k++) {
			const unsigned char *s = sqlite3_column_text(st, k);

			v[(*n)++] = s != NULL ? xstrdup((const char *)s) :
			    NULL;
		}
	}
	sqlite3_reset(st);
	if (rv != SQLITE_DONE) {
		db_fail(rc->db, rv, "listing reps' records");
		while (*n > 0)
			free(v[--(*n)]);
		free(v);
		return NULL;
	}
	if (v == NULL)
		v = xcalloc(1, sizeof(char *));
	return v;
}

int
reclaim_run(struct reclaimer *rc, long as_of, struct assigner *a,
    int route, enum outfmt fmt, FILE *out, struct reclaim_stats *stats)
{
	struct table *tb = NULL;
	struct cand c;
	char **v;
	size_t n, i;
	int tg, rv = 0;

	memset(stats, 0, sizeof(*stats));
	if (fmt == OUT_TEXT) {
		tb = table_new("");
		table_col(tb, "target", _("record"), 0);
		table_col(tb, "id", _("id"), 0);
		table_col(tb, "name", _("name"), 0);
		table_col(tb, "rep", _("rep"), 0);
		table_col(tb, "action", _("action"), 0);
		table_col(tb, "due", _("due on"), 0);
		table_col(tb, "days_left", _("days left"), 1);
		table_col(tb, "rule", _("rule"), 0);
		table_col(tb, "reason", _("reason"), 0);
	}
	for (tg = T_LEAD; tg <= T_CUSTOMER && rv == 0; tg++) {
		if ((v = list(rc, (enum target)tg, &n)) == NULL) {
			rv = -1;
			break;
		}
		for (i = 0; i + 10 <= n && rv == 0; i += 10) {
			c.target = (enum target)tg;
			c.id = v[i];
			c.rep_id = v[i + 1];
			c.rep = v[i + 2];
			c.name = v[i + 3];
			c.cust_id = v[i + 4];
			c.activity = v[i + 5];
			c.assigned = v[i + 6];
			c.arrived = v[i + 7];
			c.deal = v[i + 8];
			c.imported = v[i + 9];
			rv = one(rc, &c, as_of, a, route, tb, out, stats);
		}
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	if (tb != NULL) {
		if (rv == 0 && tb->nrows > 0)
			table_write(out, tb, OUT_TEXT, 1);
		table_free(tb);
	}
	if (rv == 0 && stats->routed > 0)
		assign_flush(a);
	return rv;
}
