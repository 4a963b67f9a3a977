/*
 * The reconciliation report: forecast and payment plans against the
 * collections of a month, the gap of each deal in fen and its cause,
 * then subtotals per rep, per region and overall, each split by cause
 * so that the parts add up to the whole.
 *
 * What was expected of a deal in the month is the sum of its plan rows
 * (payment.kind 'plan') dated in the month; a deal with no plan there
 * is expected at the full amount of the forecast snapshot when the
 * deal was due in the month at the time of the snapshot.  The snapshot
 * is the latest one taken before the first day of the month; its due
 * date is the deal's expected_on (else close_on) as it stood then,
 * read back from the before-images of later imports in change_log.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "diag.h"
#include "doc.h"
#include "i18n.h"
#include "recon.h"
#include "report.h"
#include "table.h"
#include "tz.h"
#include "xalloc.h"
#include "xldate.h"

static const char *const cause_names[RC_COUNT] = {
	"", "cancelled", "slipped", "amount_changed", "never_forecast",
	"overdue", "not_due", "collected_early"};

/* The same in the human tables, translated (no gap: nothing, as
 * gettext of "" is the catalog's header). */
static const char *const cause_labels[RC_COUNT] = {
	"", N_("cancelled"), N_("slipped"), N_("amount_changed"),
	N_("never_forecast"), N_("overdue"), N_("not_due"),
	N_("collected_early")};

static const char *
cause_label(int c)
{
	return c > 0 && c < RC_COUNT ? _(cause_labels[c]) : "";
}

const char *
recon_cause_name(enum recon_cause c)
{
	return c >= 0 && c < RC_COUNT ? cause_names[c] : "";
}

enum recon_cause
recon_cause(const struct recon_facts *f)
{
	int64_t gap = f->expected - f->actual;

	if (gap == 0)
		return RC_NONE;
	if (!f->planned && !f->forecast)
		return RC_NEVER_FORECAST;
	if (gap > 0 && f->cancelled_on != NULL)
		return RC_CANCELLED;
	if (gap > 0 && f->early_actual != NULL)
		return RC_EARLY;
	if (gap > 0 && (f->late_actual != NULL || f->late_plan != NULL ||
	    f->due_now != NULL))
		return RC_SLIPPED;
	if (f->actual != 0 || f->amount_moved)
		return RC_AMOUNT_CHANGED;
	if (f->due != NULL && f->today != NULL && strcmp(f->due, f->today) > 0)
		return RC_NOT_DUE;
	return RC_OVERDUE;
}

/*
 * ?1 and ?2 the first and last day of the month.  The snapshot: the
 * latest as_of before the month, the one stored last on that day.  A
 * deal's due date at the snapshot is the before-image of the first
 * import after the snapshot's day that changed it, else its value now.
 * A plan after the month is a slip only when an import later than the
 * month's plans brought it: plans imported together are instalments.
 * A deal with no plan in the month (expected from the forecast) slipped
 * by any plan after it.
 * Lines are deals; payments without a deal are one line per customer
 * (deal ''), ordered by falling gap.
 */
/*
 * A payment of line k outside the month: the deal's, or for a line of
 * payments without a deal (deal ''), the customer's without a deal.
 */
#define LINE_PAY(p) "((k.deal <> '' AND " p ".deal_id = k.deal) OR" \
	" (k.deal = '' AND " p ".deal_id IS NULL AND " p ".customer_id = k.cust))"
/* clang-format off */
static const char recon_sql[] =
    "WITH snap AS (SELECT as_of, rules FROM forecast WHERE as_of < ?1"
    " ORDER BY as_of DESC, rowid DESC LIMIT 1),"
    " fc0 AS (SELECT f.deal_id, cny(f.amount_fen, f.currency)"
    " AS amount_fen, s.as_of,"
    " (SELECT cl.before FROM change_log cl"
    " JOIN import_batch b ON b.id = cl.batch_id"
    " WHERE cl.tbl = 'deal' AND cl.rec_id = f.deal_id"
    " AND cl.op = 'update' AND b.undone_at IS NULL"
    " AND substr(b.started_at, 1, 10) > s.as_of"
    " AND json_type(cl.before, '$.expected_on') IS NOT NULL"
    " ORDER BY cl.id LIMIT 1) AS bexp,"
    " (SELECT cl.before FROM change_log cl"
    " JOIN import_batch b ON b.id = cl.batch_id"
    " WHERE cl.tbl = 'deal' AND cl.rec_id = f.deal_id"
    " AND cl.op = 'update' AND b.undone_at IS NULL"
    " AND substr(b.started_at, 1, 10) > s.as_of"
    " AND json_type(cl.before, '$.close_on') IS NOT NULL"
    " ORDER BY cl.id LIMIT 1) AS bclose"
    " FROM forecast f JOIN snap s ON f.as_of = s.as_of"
    " AND f.rules = s.rules),"
    " fc AS (SELECT fc0.deal_id, fc0.amount_fen, fc0.as_of,"
    " coalesce(CASE WHEN bexp IS NULL THEN d.expected_on"
    " ELSE json_extract(bexp, '$.expected_on') END,"
    " CASE WHEN bclose IS NULL THEN d.close_on"
    " ELSE json_extract(bclose, '$.close_on') END) AS due"
    " FROM fc0 LEFT JOIN deal d ON d.id = fc0.deal_id),"
    " fm AS (SELECT * FROM fc WHERE due >= ?1 AND due <= ?2),"
    " pay AS (SELECT coalesce(deal_id, '') AS deal,"
    " CASE WHEN deal_id IS NULL THEN customer_id END AS cust,"
    " kind, cny(amount_fen, currency) AS amount_fen, on_date, rep_id,"
    " customer_id, batch_id FROM payment"
    " WHERE on_date >= ?1 AND on_date <= ?2),"
    " keys AS (SELECT deal_id AS deal, NULL AS cust FROM fm"
    " UNION SELECT deal, cust FROM pay),"
    " line AS (SELECT k.deal, k.cust,"
    " (SELECT count(*) FROM pay p WHERE p.deal = k.deal"
    " AND p.cust IS k.cust AND p.kind = 'plan') AS nplan,"
    " (SELECT coalesce(sum(amount_fen), 0) FROM pay p"
    " WHERE p.deal = k.deal AND p.cust IS k.cust AND p.kind = 'plan')"
    " AS plan,"
    " (SELECT max(on_date) FROM pay p WHERE p.deal = k.deal"
    " AND p.cust IS k.cust AND p.kind = 'plan') AS plan_last,"
    " (SELECT coalesce(sum(amount_fen), 0) FROM pay p"
    " WHERE p.deal = k.deal AND p.cust IS k.cust AND p.kind = 'actual')"
    " AS actual,"
    " fm.amount_fen AS fc_amount, fm.due AS fc_due,"
    " cny(d.amount_fen, d.currency) AS amount_now,"
    " coalesce(d.expected_on, d.close_on) AS due_now,"
    " (SELECT min(a.on_date) FROM activity a WHERE a.deal_id = k.deal"
    " AND a.type = 'order_cancelled') AS cancelled_on,"
    " (SELECT min(p.on_date) FROM payment p WHERE " LINE_PAY("p")
    " AND p.kind = 'actual' AND p.on_date > ?2) AS late_actual,"
    " (SELECT min(p.on_date) FROM payment p WHERE " LINE_PAY("p")
    " AND p.kind = 'plan' AND p.on_date > ?2 AND p.batch_id >"
    " coalesce((SELECT max(q.batch_id) FROM pay q WHERE q.deal = k.deal"
    " AND q.cust IS k.cust AND q.kind = 'plan'), 0)) AS late_plan,"
    /* Collections before the month beyond the plans before it. */
    " (SELECT max(p.on_date) FROM payment p WHERE " LINE_PAY("p")
    " AND p.kind = 'actual' AND p.on_date < ?1"
    " HAVING sum(cny(p.amount_fen, p.currency)) >"
    " (SELECT coalesce(sum(cny(q.amount_fen, q.currency)), 0)"
    " FROM payment q WHERE " LINE_PAY("q") " AND q.kind = 'plan'"
    " AND q.on_date < ?1)) AS early_actual,"
    " (SELECT sum(cny(p.amount_fen, p.currency)) FROM payment p"
    " WHERE " LINE_PAY("p")
    " AND p.kind = 'actual' AND p.on_date < ?1) - (SELECT"
    " coalesce(sum(cny(q.amount_fen, q.currency)), 0) FROM payment q"
    " WHERE " LINE_PAY("q") " AND q.kind = 'plan' AND q.on_date < ?1)"
    " AS early_fen,"
    " coalesce(d.customer_id, k.cust, (SELECT p.customer_id FROM pay p"
    " WHERE p.deal = k.deal AND p.customer_id IS NOT NULL"
    " ORDER BY p.on_date, p.kind LIMIT 1)) AS customer_id,"
    " coalesce(d.rep_id, (SELECT p.rep_id FROM pay p"
    " WHERE p.deal = k.deal AND p.cust IS k.cust"
    " AND p.rep_id IS NOT NULL ORDER BY p.on_date, p.kind LIMIT 1))"
    " AS rep_id"
    " FROM keys k LEFT JOIN fm ON fm.deal_id = k.deal"
    " LEFT JOIN deal d ON d.id = k.deal)"
    " SELECT l.deal, c.name, r.name, r.region, l.nplan, l.plan,"
    " l.fc_amount, l.actual, l.amount_now, l.fc_due, l.due_now,"
    " l.cancelled_on, l.late_actual, l.late_plan, l.plan_last,"
    " CASE WHEN l.nplan > 0 THEN l.plan ELSE coalesce(l.fc_amount, 0)"
    " END - l.actual AS gap, l.early_actual, l.early_fen"
    " FROM line l LEFT JOIN customer c ON c.id = l.customer_id"
    " LEFT JOIN rep r ON r.id = l.rep_id"
    " ORDER BY gap DESC, l.deal, c.name";
/* clang-format on */

static const char snap_sql[] =
    "SELECT as_of, rules FROM forecast WHERE as_of < ?1"
    " ORDER BY as_of DESC, rowid DESC LIMIT 1";

struct line {
	char		*deal, *customer, *rep, *region, *reason;
	int64_t		 plan, forecast, expected, actual, gap;
	int		 planned, forecasted;
	enum recon_cause cause;
};

struct sum {
	const char	*rep, *region;
	int64_t		 plan, forecast, expected, actual, gap;
	int64_t		 bycause[RC_COUNT];
	int		 overflow;	/* a sum passed the int64 range */
};

static char *
col_dup(sqlite3_stmt *st, int c)
{
	const unsigned char *s = sqlite3_column_text(st, c);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static const char *
col_str(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

static char *
reason_text(const struct line *l, const struct recon_facts *f,
    int64_t amount_now, int64_t fc_amount)
{
	char a[40], b[40], buf[200];

	buf[0] = '\0';
	switch (l->cause) {
	case RC_NONE:
		break;
	case RC_CANCELLED:
		snprintf(buf, sizeof(buf), "order cancelled on %s",
		    f->cancelled_on);
		break;
	case RC_SLIPPED:
		if (f->late_actual != NULL)
			snprintf(buf, sizeof(buf), "collected on %s, after "
			    "the month", f->late_actual);
		else if (f->late_plan != NULL)
			snprintf(buf, sizeof(buf), "planned again for %s",
			    f->late_plan);
		else
			snprintf(buf, sizeof(buf), "expected date moved to %s",
			    f->due_now);
		break;
	case RC_AMOUNT_CHANGED:
		if (!f->amount_moved) {
			money_format(a, sizeof(a), f->actual, 1);
			money_format(b, sizeof(b), f->expected, 1);
			snprintf(buf, sizeof(buf), "collected %s of %s %s", a,
			    b, f->planned ? "planned" : "forecast");
		} else {
			money_format(a, sizeof(a), fc_amount, 1);
			money_format(b, sizeof(b), amount_now, 1);
			snprintf(buf, sizeof(buf), "deal amount %s at the "
			    "snapshot, now %s", a, b);
		}
		break;
	case RC_NEVER_FORECAST:
		snprintf(buf, sizeof(buf), "collected, neither planned nor "
		    "forecast");
		break;
	case RC_OVERDUE:
		snprintf(buf, sizeof(buf), "%s %s, nothing collected",
		    f->planned ? "planned for" : "expected on", f->due);
		break;
	case RC_NOT_DUE:
		snprintf(buf, sizeof(buf), "%s %s, not yet due",
		    f->planned ? "planned for" : "expected on", f->due);
		break;
	case RC_EARLY:
		money_format(a, sizeof(a), f->early, 1);
		snprintf(buf, sizeof(buf), "%s collected by %s, before the "
		    "month", a, f->early_actual);
		break;
	case RC_COUNT:
		break;
	}
	return xstrdup(buf);
}

/* Read the lines; returns their number, or -1 after reporting. */
static long
read_lines(struct db *db, const struct report_opts *o, const char *today,
    struct line **out)
{
	struct recon_facts f;
	struct line *v = NULL, *l;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0;
	int rc, overflow = 0;

	*out = NULL;
	if ((st = db_prepare(db, recon_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, o->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t amount_now, fc_amount;
		const char *due_now;

		v = xgrow(v, &cap, n + 1, sizeof(*v));
		l = &v[n++];
		memset(l, 0, sizeof(*l));
		l->deal = col_dup(st, 0);
		if (l->deal != NULL && l->deal[0] == '\0') {
			free(l->deal);
			l->deal = NULL;
		}
		l->customer = col_dup(st, 1);
		l->rep = col_dup(st, 2);
		l->region = col_dup(st, 3);
		l->planned = sqlite3_column_int(st, 4) > 0;
		l->plan = sqlite3_column_int64(st, 5);
		l->forecasted = sqlite3_column_type(st, 6) != SQLITE_NULL;
		fc_amount = sqlite3_column_int64(st, 6);
		l->forecast = fc_amount;
		l->actual = sqlite3_column_int64(st, 7);
		amount_now = sqlite3_column_int64(st, 8);
		l->expected = l->planned ? l->plan : l->forecasted ? fc_amount :
		    0;
		if (__builtin_sub_overflow(l->expected, l->actual, &l->gap))
			overflow = 1;

		memset(&f, 0, sizeof(f));
		f.expected = l->expected;
		f.actual = l->actual;
		f.planned = l->planned;
		f.forecast = l->forecasted;
		f.amount_moved = l->forecasted && !l->planned &&
		    sqlite3_column_type(st, 8) != SQLITE_NULL &&
		    amount_now != fc_amount;
		f.cancelled_on = col_str(st, 11);
		f.late_actual = col_str(st, 12);
		f.late_plan = col_str(st, 13);
		f.early_actual = col_str(st, 16);
		f.early = sqlite3_column_int64(st, 17);
		/* A forecast date moved past the month is a slip. */
		due_now = col_str(st, 10);
		if (l->forecasted && !l->planned && due_now != NULL &&
		    strcmp(due_now, o->to) > 0)
			f.due_now = due_now;
		f.due = l->planned ? col_str(st, 14) : col_str(st, 9);
		f.today = today;
		l->cause = recon_cause(&f);
		l->reason = reason_text(l, &f, amount_now, fc_amount);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE || overflow) {
		if (rc != SQLITE_DONE)
			db_fail(db, rc, "reconcile report");
		else
			diag_error(SX_SYS, NULL, "reconcile gaps: integer "
			    "overflow");
		*out = v;
		return -(long)n - 1;
	}
	*out = v;
	return (long)n;
}

static void
free_lines(struct line *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].deal);
		free(v[i].customer);
		free(v[i].rep);
		free(v[i].region);
		free(v[i].reason);
	}
	free(v);
}

static int
by_region_rep(const void *x, const void *y)
{
	const struct line *a = *(const struct line *const *)x;
	const struct line *b = *(const struct line *const *)y;
	int c;

	if ((c = cmp_str_null_last(a->region, b->region)) != 0)
		return c;
	return cmp_str_null_last(a->rep, b->rep);
}

/* *to += v, noting in *ovf a sum past the int64 range of fen. */
static void
add_fen(int64_t *to, int64_t v, int *ovf)
{
	if (__builtin_add_overflow(*to, v, to))
		*ovf = 1;
}

static void
add_line(struct sum *s, const struct line *l)
{
	add_fen(&s->plan, l->plan, &s->overflow);
	add_fen(&s->forecast, l->forecast, &s->overflow);
	add_fen(&s->expected, l->expected, &s->overflow);
	add_fen(&s->actual, l->actual, &s->overflow);
	add_fen(&s->gap, l->gap, &s->overflow);
	add_fen(&s->bycause[l->cause], l->gap, &s->overflow);
}

static void
money_cols(struct table *t)
{
	table_money_col(t, "plan", _("plan"));
	table_money_col(t, "forecast", _("forecast"));
	table_money_col(t, "expected", _("expected"));
	table_money_col(t, "actual", _("actual"));
	table_money_col(t, "gap", _("gap"));
}

static void
cause_cols(struct table *t)
{
	int c;

	for (c = RC_CANCELLED; c < RC_COUNT; c++)
		table_money_col(t, cause_names[c], cause_label(c));
}

static size_t
money_cells(struct table *t, size_t r, size_t c, const struct sum *s)
{
	table_money(t, r, c++, s->plan);
	table_money(t, r, c++, s->forecast);
	table_money(t, r, c++, s->expected);
	table_money(t, r, c++, s->actual);
	table_money(t, r, c++, s->gap);
	return c;
}

static void
cause_cells(struct table *t, size_t r, size_t c, const struct sum *s)
{
	int k;

	for (k = RC_CANCELLED; k < RC_COUNT; k++)
		table_money(t, r, c++, s->bycause[k]);
}

static void
line_sum(struct sum *s, const struct line *l)
{
	memset(s, 0, sizeof(*s));
	add_line(s, l);
}

/* A table of sums, per rep (reps set) or per region, then the total. */
static struct table *
sum_table(const char *title, const struct sum *v, size_t n, int reps,
    const struct sum *total)
{
	struct table *t;
	size_t i, r, c;

	t = table_new(title);
	if (reps)
		table_col(t, "rep", _("rep"), 0);
	table_col(t, "region", _("region"), 0);
	money_cols(t);
	cause_cols(t);
	for (i = 0; i < n; i++) {
		r = table_row(t);
		c = 0;
		if (reps)
			table_text(t, r, c++, v[i].rep);
		table_text(t, r, c++, v[i].region);
		c = money_cells(t, r, c, &v[i]);
		cause_cells(t, r, c, &v[i]);
	}
	table_totals(t);
	r = table_row(t);
	table_text(t, r, 0, _("Total"));
	c = money_cells(t, r, reps ? 2 : 1, total);
	cause_cells(t, r, c, total);
	return t;
}

struct doc *
report_reconcile(struct db *db, const struct report_opts *o, long *nfind)
{
	char today[CIVIL_TEXT_MAX], title[160], snapday[CIVIL_TEXT_MAX];
	char a[40], b[40], g[40];
	struct sum *reps, *regs, total, one;
	struct line *v = NULL, **ord;
	struct table *flat, *deals, *t;
	sqlite3_stmt *st;
	struct civil cv;
	struct doc *d;
	size_t i, n, nreps, nregs, r, c;
	long got;
	int rc, k;

	memset(&cv, 0, sizeof(cv));
	civil_from_days(tz_today(), &cv.y, &cv.m, &cv.d);
	civil_format(today, &cv, 0);

	/* Which snapshot, said in the report. */
	if ((st = db_prepare(db, snap_sql)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, o->from, -1, SQLITE_STATIC);
	snapday[0] = '\0';
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(snapday, sizeof(snapday), "%s", col_str(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, rc, "reconcile report");
		return NULL;
	}

	if ((got = read_lines(db, o, today, &v)) < 0) {
		free_lines(v, (size_t)(-got - 1));
		return NULL;
	}
	n = (size_t)got;

	/* Per rep and per region, in region then rep order. */
	ord = xcalloc(n + 1, sizeof(*ord));
	for (i = 0; i < n; i++)
		ord[i] = &v[i];
	qsort(ord, n, sizeof(*ord), by_region_rep);
	reps = xcalloc(n + 1, sizeof(*reps));
	regs = xcalloc(n + 1, sizeof(*regs));
	nreps = nregs = 0;
	memset(&total, 0, sizeof(total));
	*nfind = 0;
	for (i = 0; i < n; i++) {
		const struct line *l = ord[i];

		if (nreps == 0 || cmp_str_null_last(reps[nreps - 1].rep, l->rep) != 0 ||
		    cmp_str_null_last(reps[nreps - 1].region, l->region) != 0) {
			reps[nreps].rep = l->rep;
			reps[nreps++].region = l->region;
		}
		add_line(&reps[nreps - 1], l);
		if (nregs == 0 || cmp_str_null_last(regs[nregs - 1].region,
		    l->region) != 0)
			regs[nregs++].region = l->region;
		add_line(&regs[nregs - 1], l);
		add_line(&total, l);
		if (l->gap != 0)
			(*nfind)++;
	}
	/* A sum past int64 is an error, as SQLite's sum() makes it. */
	k = total.overflow;
	for (i = 0; i < nreps; i++)
		k |= reps[i].overflow;
	for (i = 0; i < nregs; i++)
		k |= regs[i].overflow;
	if (k) {
		diag_error(SX_SYS, NULL, "reconcile totals: integer overflow");
		free(ord);
		free(reps);
		free(regs);
		free_lines(v, n);
		return NULL;
	}

	snprintf(title, sizeof(title), _("Reconciliation %s: expected vs "
	    "collected"), o->period[0] != '\0' ? o->period : o->from);
	d = doc_new(title);
	if (snapday[0] != '\0')
		doc_para(d, _("Forecast: the snapshot of %s, the last before "
		    "%s, at full deal amounts; plans and collections dated "
		    "%s to %s."), snapday, o->from, o->from, o->to);
	else
		doc_para(d, _("Forecast: no snapshot before %s; plans and "
		    "collections dated %s to %s."), o->from, o->from, o->to);
	if (n == 0)
		doc_para(d, _("Nothing planned, forecast or collected."));

	/* For programs: one flat table, deals then reps, regions, total. */
	flat = table_new(NULL);
	table_col(flat, "level", "level", 0);
	table_col(flat, "deal", "deal", 0);
	table_col(flat, "customer", "customer", 0);
	table_col(flat, "rep", "rep", 0);
	table_col(flat, "region", "region", 0);
	money_cols(flat);
	table_col(flat, "cause", "cause", 0);
	table_col(flat, "reason", "reason", 0);
	cause_cols(flat);
	for (i = 0; i < n + nreps + nregs + 1; i++) {
		const struct sum *s;
		const char *level;

		r = table_row(flat);
		if (i < n) {
			line_sum(&one, &v[i]);
			s = &one;
			level = "deal";
			table_text(flat, r, 1, v[i].deal);
			table_text(flat, r, 2, v[i].customer);
			table_text(flat, r, 3, v[i].rep);
			table_text(flat, r, 4, v[i].region);
			table_text(flat, r, 10, recon_cause_name(v[i].cause));
			table_text(flat, r, 11, v[i].reason);
		} else if (i < n + nreps) {
			s = &reps[i - n];
			level = "rep";
			table_text(flat, r, 3, s->rep);
			table_text(flat, r, 4, s->region);
		} else if (i < n + nreps + nregs) {
			s = &regs[i - n - nreps];
			level = "region";
			table_text(flat, r, 4, s->region);
		} else {
			s = &total;
			level = "total";
		}
		table_text(flat, r, 0, level);
		money_cells(flat, r, 5, s);
		cause_cells(flat, r, 12, s);
	}
	doc_table(d, flat, DOC_MACHINE);

	if (n > 0) {
		deals = table_new(_("By deal"));
		table_col(deals, "deal", _("deal"), 0);
		table_col(deals, "customer", _("customer"), 0);
		table_col(deals, "rep", _("rep"), 0);
		money_cols(deals);
		table_col(deals, "cause", _("cause"), 0);
		table_col(deals, "reason", _("reason"), 0);
		for (i = 0; i < n; i++) {
			r = table_row(deals);
			table_text(deals, r, 0, v[i].deal);
			table_text(deals, r, 1, v[i].customer);
			table_text(deals, r, 2, v[i].rep);
			line_sum(&one, &v[i]);
			c = money_cells(deals, r, 3, &one);
			table_text(deals, r, c++,
			    cause_label(v[i].cause));
			table_text(deals, r, c, v[i].reason);
		}
		doc_table(d, deals, DOC_HUMAN);
		t = sum_table(_("By rep"), reps, nreps, 1, &total);
		doc_table(d, t, DOC_HUMAN);
		t = sum_table(_("By region"), regs, nregs, 0, &total);
		doc_table(d, t, DOC_HUMAN);

		/* The gap in words, cause by cause. */
		money_format(a, sizeof(a), total.expected, 1);
		money_format(b, sizeof(b), total.actual, 1);
		money_format(g, sizeof(g), total.gap, 1);
		{
			char words[512];
			size_t len;

			len = (size_t)snprintf(words, sizeof(words),
			    _("Expected %s, collected %s: gap %s ="), a, b, g);
			for (k = RC_CANCELLED; k < RC_COUNT &&
			    len < sizeof(words); k++) {
				if (total.bycause[k] == 0)
					continue;
				money_format(g, sizeof(g), total.bycause[k], 1);
				len += (size_t)snprintf(words + len,
				    sizeof(words) - len, " %s%s %s",
				    len > 0 && words[len - 1] == '=' ? "" :
				    "+ ", cause_label(k), g);
			}
			doc_para(d, "%s.", words);
		}
	}

	free(ord);
	free(reps);
	free(regs);
	/* The sums point into the lines: free those last. */
	free_lines(v, n);
	return d;
}
