/*
 * The weekly report.  Week boundaries are local dates (deal dates and
 * activity.on_date/week are stored local at import), so no date() of
 * an instant with an offset is ever taken here (DESIGN.md 7).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "hmap.h"
#include "i18n.h"
#include "num.h"
#include "report.h"
#include "table.h"
#include "tz.h"
#include "weekly.h"
#include "xalloc.h"
#include "xldate.h"

#define MAXTYPES 64

struct agg {
	char		*rep;		/* name; NULL for the region/total rows */
	char		*region;
	int64_t		 new_deals;
	int64_t		 activities;
	int64_t		 won, won_fen;
	int64_t		 lost;
	int64_t		 open, open_fen;
	int64_t		 bytype[MAXTYPES];
};

struct weekly {
	struct db	*db;
	struct hmap	*byid;		/* rep id -> index in aggs */
	struct agg	*aggs;
	size_t		 naggs, capaggs;
	char		*types[MAXTYPES];
	int64_t		 typetotal[MAXTYPES];
	int		 ntypes;
	int64_t		 other_types;	/* activities of types past MAXTYPES */
	char		 mon[CIVIL_TEXT_MAX], sun[CIVIL_TEXT_MAX];
	char		 label[16];
};

int
week_parse(const char *s, int *year, int *week, const char **err)
{
	char ys[8];
	int ok;

	*err = NULL;
	if (strlen(s) < 7 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w')) {
		*err = "not a week like 2026-W10";
		return -1;
	}
	memcpy(ys, s, 4);
	ys[4] = '\0';
	*year = (int)parse_int(ys, 1900, 9999, err);
	if (*err != NULL)
		return -1;
	*week = (int)parse_int(s + 6, 1, 53, err);
	if (*err != NULL)
		return -1;
	iso_week_monday(*year, *week, &ok);
	if (!ok) {
		*err = "the year has no such week";
		return -1;
	}
	return 0;
}

/*
 * Is t the pattern, each '9' of it a digit?  sscanf alone takes 2026-3x
 * for March and 2026-03-1x for its first day.
 */
static int
shaped(const char *t, const char *pattern)
{
	for (; *pattern != '\0'; t++, pattern++)
		if (*pattern == '9' ? !(*t >= '0' && *t <= '9') :
		    *t != *pattern)
			return 0;
	return *t == '\0';
}

/* One period term: its first and last day. */
static int
period_term(const char *s, size_t n, long *first, long *last,
    const char **err)
{
	char t[16];
	int y, m, d, w, ok;

	if (n == 0 || n >= sizeof(t))
		goto bad;
	memcpy(t, s, n);
	t[n] = '\0';
	if (!shaped(t, "9999") && !shaped(t, "9999-Q9") &&
	    !shaped(t, "9999-q9") && !shaped(t, "9999-99") &&
	    !shaped(t, "9999-99-99") && !(n >= 7 && (t[5] == 'W' ||
	    t[5] == 'w')))
		goto bad;
	if (n == 4 && sscanf(t, "%4d", &y) == 1 && y >= 1900) {
		*first = days_from_civil(y, 1, 1);
		*last = days_from_civil(y, 12, 31);
		return 0;
	}
	if (n == 7 && (t[5] == 'Q' || t[5] == 'q') &&
	    sscanf(t, "%4d-%*c%1d", &y, &m) == 2 && y >= 1900 && m >= 1 &&
	    m <= 4) {
		*first = days_from_civil(y, 3 * m - 2, 1);
		*last = (m == 4 ? days_from_civil(y + 1, 1, 1) :
		    days_from_civil(y, 3 * m + 1, 1)) - 1;
		return 0;
	}
	if (n >= 7 && (t[5] == 'W' || t[5] == 'w')) {
		if (week_parse(t, &y, &w, err) < 0)
			return -1;
		*first = iso_week_monday(y, w, &ok);
		*last = *first + 6;
		return 0;
	}
	if (n == 7 && t[4] == '-' && sscanf(t, "%4d-%2d", &y, &m) == 2 &&
	    y >= 1900 && m >= 1 && m <= 12) {
		*first = days_from_civil(y, m, 1);
		*last = (m == 12 ? days_from_civil(y + 1, 1, 1) :
		    days_from_civil(y, m + 1, 1)) - 1;
		return 0;
	}
	if (n == 10 && t[4] == '-' && t[7] == '-' &&
	    sscanf(t, "%4d-%2d-%2d", &y, &m, &d) == 3 && y >= 1900 &&
	    civil_valid(y, m, d)) {
		*first = *last = days_from_civil(y, m, d);
		return 0;
	}
bad:
	*err = "not a period like 2026-03, 2026-Q1, 2026-W10, 2026 or "
	    "2026-03-01..2026-03-31";
	return -1;
}

int
period_parse(const char *s, struct report_opts *o, const char **err)
{
	const char *dots;
	long a, b, c, d;
	struct civil cv;

	*err = NULL;
	if ((dots = strstr(s, "..")) != NULL) {
		if (period_term(s, (size_t)(dots - s), &a, &b, err) < 0 ||
		    period_term(dots + 2, strlen(dots + 2), &c, &d, err) < 0)
			return -1;
		if (d < a) {
			*err = "the period ends before it starts";
			return -1;
		}
		b = d;
	} else if (period_term(s, strlen(s), &a, &b, err) < 0)
		return -1;
	if (strlen(s) >= sizeof(o->period)) {
		*err = "too long";
		return -1;
	}
	memset(&cv, 0, sizeof(cv));
	civil_from_days(a, &cv.y, &cv.m, &cv.d);
	civil_format(o->from, &cv, 0);
	civil_from_days(b, &cv.y, &cv.m, &cv.d);
	civil_format(o->to, &cv, 0);
	snprintf(o->period, sizeof(o->period), "%s", s);
	o->have_period = 1;
	return 0;
}

void
week_last_complete(int *year, int *week)
{
	iso_week(tz_today() - 7, year, week);
}

static size_t
agg_for(struct weekly *w, const char *repid, const char *name,
    const char *region)
{
	const char *key = repid != NULL ? repid : "";
	intptr_t idx;
	struct agg *a;

	if (hmap_get(w->byid, key, strlen(key), &idx))
		return (size_t)idx;
	w->aggs = xgrow(w->aggs, &w->capaggs, w->naggs + 1, sizeof(*w->aggs));
	a = &w->aggs[w->naggs];
	memset(a, 0, sizeof(*a));
	a->rep = xstrdup(name != NULL ? name : "(unassigned)");
	a->region = region != NULL && *region ? xstrdup(region) : NULL;
	hmap_put(w->byid, key, strlen(key), (intptr_t)w->naggs);
	return w->naggs++;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
load_reps(struct weekly *w)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(w->db, "SELECT id, name, region FROM rep ORDER BY id");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		agg_for(w, col_text(st, 0), col_text(st, 1), col_text(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(w->db, rc, "rep");
	return 0;
}

static int
type_index(struct weekly *w, const char *type)
{
	int i;

	for (i = 0; i < w->ntypes; i++)
		if (strcmp(w->types[i], type) == 0)
			return i;
	if (w->ntypes == MAXTYPES)
		return -1;
	w->types[w->ntypes] = xstrdup(type);
	return w->ntypes++;
}

/* Run a query grouped by rep_id; fn adds each row into its agg. */
static int
each(struct weekly *w, const char *sql, int nbind,
    void (*fn)(struct weekly *, struct agg *, sqlite3_stmt *))
{
	sqlite3_stmt *st;
	size_t idx;
	int rc;

	if ((st = db_prepare(w->db, sql)) == NULL)
		return -1;
	if (nbind >= 1)
		sqlite3_bind_text(st, 1, w->mon, -1, SQLITE_STATIC);
	if (nbind >= 2)
		sqlite3_bind_text(st, 2, w->sun, -1, SQLITE_STATIC);
	if (nbind == -1)
		sqlite3_bind_text(st, 1, w->label, -1, SQLITE_STATIC);
	if (nbind == -2)
		sqlite3_bind_text(st, 1, w->sun, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		idx = agg_for(w, col_text(st, 0), NULL, NULL);
		fn(w, &w->aggs[idx], st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(w->db, rc, "weekly report");
	return 0;
}

static void
add_new(struct weekly *w, struct agg *a, sqlite3_stmt *st)
{
	(void)w;
	a->new_deals += sqlite3_column_int64(st, 1);
}

static void
add_activity(struct weekly *w, struct agg *a, sqlite3_stmt *st)
{
	int64_t n = sqlite3_column_int64(st, 2);
	int t;

	a->activities += n;
	if ((t = type_index(w, col_text(st, 1))) < 0) {
		w->other_types += n;
		return;
	}
	a->bytype[t] += n;
	w->typetotal[t] += n;
}

static void
add_won(struct weekly *w, struct agg *a, sqlite3_stmt *st)
{
	(void)w;
	a->won += sqlite3_column_int64(st, 1);
	a->won_fen += sqlite3_column_int64(st, 2);
}

static void
add_lost(struct weekly *w, struct agg *a, sqlite3_stmt *st)
{
	(void)w;
	a->lost += sqlite3_column_int64(st, 1);
}

static void
add_open(struct weekly *w, struct agg *a, sqlite3_stmt *st)
{
	(void)w;
	a->open += sqlite3_column_int64(st, 1);
	a->open_fen += sqlite3_column_int64(st, 2);
}

struct repsum {
	char	*key;
	int64_t	 n, fen;
};

static int
cmp_repsum(const void *x, const void *y)
{
	return strcmp(((const struct repsum *)x)->key,
	    ((const struct repsum *)y)->key);
}

/*
 * The open pipeline at the end of the week per rep, as add_open() has
 * it from its GROUP BY: from a scan of the deals in table order, not a
 * seek per deal through deal_rep, summed here and added in rep order.
 * 1 when an amount or rep is not what sales-ingest stores (an integer,
 * text) or a sum overflows: then SQLite's sum() is the one to ask.
 */
static int
open_by_scan(struct weekly *w)
{
	struct repsum *v = NULL;
	struct hmap *seen;
	sqlite3_stmt *st;
	const char *rep;
	size_t n = 0, cap = 0, i;
	intptr_t at;
	int rc, t0, t1, other = 0;

	if ((st = db_prepare(w->db, "SELECT rep_id,"
	    " cny(amount_fen, currency) FROM deal NOT INDEXED WHERE created_on <= ?1"
	    " AND NOT (coalesce(stage, '') IN ('won', 'lost')"
	    " AND (close_on IS NULL OR close_on <= ?1))")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, w->sun, -1, SQLITE_STATIC);
	seen = hmap_new();
	while (!other && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Types first: reading a value may convert it. */
		t0 = sqlite3_column_type(st, 0);
		t1 = sqlite3_column_type(st, 1);
		/* agg_for() keys a rep id without its NULL: "" */
		rep = col_text(st, 0) != NULL ? col_text(st, 0) : "";
		if ((t0 != SQLITE_NULL && t0 != SQLITE_TEXT) ||
		    (size_t)sqlite3_column_bytes(st, 0) != strlen(rep)) {
			other = 1;
			break;
		}
		if (!hmap_get(seen, rep, strlen(rep), &at)) {
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n].key = xstrdup(rep);
			v[n].n = v[n].fen = 0;
			hmap_put(seen, rep, strlen(rep), (intptr_t)n);
			at = (intptr_t)n++;
		}
		v[at].n++;
		switch (t1) {
		case SQLITE_NULL:
			break;
		case SQLITE_INTEGER:
			if (!__builtin_add_overflow(v[at].fen,
			    sqlite3_column_int64(st, 1), &v[at].fen))
				break;
			/* FALLTHROUGH */
		default:
			other = 1;
		}
	}
	if (other)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	hmap_free(seen);
	if (rc == SQLITE_DONE && !other) {
		if (n > 0)
			qsort(v, n, sizeof(*v), cmp_repsum);
		for (i = 0; i < n; i++) {
			struct agg *a = &w->aggs[agg_for(w, v[i].key, NULL,
			    NULL)];

			a->open += v[i].n;
			a->open_fen += v[i].fen;
		}
	}
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
	if (rc != SQLITE_DONE)
		return db_fail(w->db, rc, "weekly report");
	return other;
}

static int
is_active(const struct agg *a)
{
	return a->new_deals || a->activities || a->won || a->lost || a->open;
}

static void
add_into(struct agg *to, const struct agg *from, int ntypes)
{
	int t;

	to->new_deals += from->new_deals;
	to->activities += from->activities;
	to->won += from->won;
	to->won_fen += from->won_fen;
	to->lost += from->lost;
	to->open += from->open;
	to->open_fen += from->open_fen;
	for (t = 0; t < ntypes; t++)
		to->bytype[t] += from->bytype[t];
}

int
cmp_str_null_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int
by_region_rep(const void *x, const void *y)
{
	const struct agg *a = x, *b = y;
	int c;

	if ((c = cmp_str_null_last(a->region, b->region)) != 0)
		return c;
	return cmp_str_null_last(a->rep, b->rep);
}

/* Activity types by falling count, first seen first on ties. */
static void
sort_types(int *order, int n, const int64_t *tot)
{
	int i, j, x;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++) {
		x = order[i];
		for (j = i; j > 0 && tot[order[j - 1]] < tot[x]; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
}

/* Metric columns shared by the rep, region and total tables. */
static void
metric_cols(struct table *t)
{
	table_col(t, "new_deals", _("new deals"), 1);
	table_col(t, "activities", _("activities"), 1);
	table_col(t, "won_deals", _("won"), 1);
	table_money_col(t, "won_amount", _("won amount"));
	table_col(t, "lost_deals", _("lost"), 1);
	table_col(t, "open_deals", _("open deals"), 1);
	table_money_col(t, "pipeline_amount", _("open pipeline"));
}

static void
metric_cells(struct table *t, size_t r, size_t c, const struct agg *a)
{
	table_int(t, r, c++, a->new_deals);
	table_int(t, r, c++, a->activities);
	table_int(t, r, c++, a->won);
	table_money(t, r, c++, a->won_fen);
	table_int(t, r, c++, a->lost);
	table_int(t, r, c++, a->open);
	table_money(t, r, c, a->open_fen);
}

static void
emit(struct weekly *w, struct doc *d)
{
	struct table *reps, *regions, *types, *flat;
	struct agg *regs, total;
	size_t i, nregs, r, c;
	int order[MAXTYPES], k;

	sort_types(order, w->ntypes, w->typetotal);

	/* Keep the reps with something to say, sorted by region and name. */
	for (i = r = 0; i < w->naggs; i++)
		if (is_active(&w->aggs[i]))
			w->aggs[r++] = w->aggs[i];
		else {
			free(w->aggs[i].rep);
			free(w->aggs[i].region);
		}
	w->naggs = r;
	/* qsort(3) wants a real array even for none (UBSan). */
	if (w->naggs > 0)
		qsort(w->aggs, w->naggs, sizeof(*w->aggs), by_region_rep);

	regs = xcalloc(w->naggs + 1, sizeof(*regs));
	nregs = 0;
	memset(&total, 0, sizeof(total));
	for (i = 0; i < w->naggs; i++) {
		if (nregs == 0 || cmp_str_null_last(regs[nregs - 1].region,
		    w->aggs[i].region) != 0)
			regs[nregs++].region = w->aggs[i].region;
		add_into(&regs[nregs - 1], &w->aggs[i], w->ntypes);
		add_into(&total, &w->aggs[i], w->ntypes);
	}

	/* For programs, one flat table: a level column, then every metric. */
	{
		flat = table_new(NULL);
		table_col(flat, "week", "week", 0);
		table_col(flat, "level", "level", 0);
		table_col(flat, "rep", "rep", 0);
		table_col(flat, "region", "region", 0);
		metric_cols(flat);
		for (k = 0; k < w->ntypes; k++)
			table_col(flat, w->types[order[k]], w->types[order[k]],
			    1);
		for (i = 0; i < w->naggs + nregs + 1; i++) {
			const struct agg *a;
			const char *level;

			if (i < w->naggs) {
				a = &w->aggs[i];
				level = "rep";
			} else if (i < w->naggs + nregs) {
				a = &regs[i - w->naggs];
				level = "region";
			} else {
				a = &total;
				level = "total";
			}
			r = table_row(flat);
			table_text(flat, r, 0, w->label);
			table_text(flat, r, 1, level);
			table_text(flat, r, 2, i < w->naggs ? a->rep : NULL);
			table_text(flat, r, 3, i < w->naggs + nregs ?
			    a->region : NULL);
			metric_cells(flat, r, 4, a);
			for (k = 0; k < w->ntypes; k++)
				table_int(flat, r, 11 + (size_t)k,
				    a->bytype[order[k]]);
		}
		doc_table(d, flat, DOC_MACHINE);
	}

	reps = table_new(_("By rep"));
	table_col(reps, "rep", _("rep"), 0);
	table_col(reps, "region", _("region"), 0);
	metric_cols(reps);
	for (i = 0; i < w->naggs; i++) {
		r = table_row(reps);
		table_text(reps, r, 0, w->aggs[i].rep);
		table_text(reps, r, 1, w->aggs[i].region);
		metric_cells(reps, r, 2, &w->aggs[i]);
	}
	table_totals(reps);
	r = table_row(reps);
	table_text(reps, r, 0, _("Total"));
	metric_cells(reps, r, 2, &total);
	doc_table(d, reps, DOC_HUMAN);

	regions = table_new(_("By region"));
	table_col(regions, "region", _("region"), 0);
	metric_cols(regions);
	for (i = 0; i < nregs; i++) {
		r = table_row(regions);
		table_text(regions, r, 0, regs[i].region != NULL ?
		    regs[i].region : _("(none)"));
		metric_cells(regions, r, 1, &regs[i]);
	}
	table_totals(regions);
	r = table_row(regions);
	table_text(regions, r, 0, _("Total"));
	metric_cells(regions, r, 1, &total);
	doc_table(d, regions, DOC_HUMAN);

	if (total.activities == 0) {
		doc_para(d, "%s", _("No activities this week."));
		free(regs);
		return;
	}
	types = table_new(_("Activities by type"));
	table_col(types, "rep", _("rep"), 0);
	for (k = 0; k < w->ntypes; k++)
		table_col(types, w->types[order[k]], w->types[order[k]], 1);
	table_col(types, "total", _("total"), 1);
	for (i = 0; i < w->naggs; i++) {
		if (w->aggs[i].activities == 0)
			continue;
		r = table_row(types);
		table_text(types, r, 0, w->aggs[i].rep);
		for (c = 1, k = 0; k < w->ntypes; k++)
			table_int(types, r, c++, w->aggs[i].bytype[order[k]]);
		table_int(types, r, c, w->aggs[i].activities);
	}
	table_totals(types);
	r = table_row(types);
	table_text(types, r, 0, _("Total"));
	for (c = 1, k = 0; k < w->ntypes; k++)
		table_int(types, r, c++, total.bytype[order[k]]);
	table_int(types, r, c, total.activities);
	doc_table(d, types, DOC_HUMAN);
	free(regs);
}

struct doc *
report_weekly(struct db *db, const struct report_opts *o, long *nfind)
{
	struct doc *d = NULL;
	char title[160];
	struct weekly w;
	struct civil c;
	long mon;
	size_t i;
	int ok, rc, t;

	*nfind = 0;
	memset(&w, 0, sizeof(w));
	memset(&c, 0, sizeof(c));	/* no time of day is read */
	w.db = db;
	w.byid = hmap_new();
	mon = iso_week_monday(o->year, o->week, &ok);
	civil_from_days(mon, &c.y, &c.m, &c.d);
	civil_format(w.mon, &c, 0);
	civil_from_days(mon + 6, &c.y, &c.m, &c.d);
	civil_format(w.sun, &c, 0);
	snprintf(w.label, sizeof(w.label), "%04d-W%02d", o->year, o->week);

	/*
	 * One read transaction: every figure from one snapshot of the store,
	 * even while an import commits, and one shared lock and WAL check
	 * for the whole report instead of one per statement.  Pages are
	 * read in place (mmap) rather than copied into the page cache: the
	 * report reads far more of the store than the cache holds.
	 */
	if (db_exec(db, "PRAGMA mmap_size = 1073741824") < 0 ||
	    db_exec(db, "BEGIN") < 0) {
		hmap_free(w.byid);
		return NULL;
	}
	rc = load_reps(&w);
	if (rc == 0)
		rc = each(&w, "SELECT rep_id, count(*) FROM deal"
		    " WHERE created_on BETWEEN ?1 AND ?2 GROUP BY rep_id"
		    " ORDER BY rep_id", 2, add_new);
	if (rc == 0)
		rc = each(&w, ACTS_BY_REP_TYPE("week = ?1", "1"), -1,
		    add_activity);
	if (rc == 0)
		rc = each(&w, "SELECT rep_id, count(*),"
		    " coalesce(sum(cny(amount_fen, currency)), 0) FROM deal"
		    " WHERE stage = 'won' AND close_on BETWEEN ?1 AND ?2"
		    " GROUP BY rep_id ORDER BY rep_id", 2, add_won);
	if (rc == 0)
		rc = each(&w, "SELECT rep_id, count(*) FROM deal"
		    " WHERE stage = 'lost' AND close_on BETWEEN ?1 AND ?2"
		    " GROUP BY rep_id ORDER BY rep_id", 2, add_lost);
	/*
	 * Open at the end of the week: created by then, and not closed by
	 * then.  A closed deal without a close date is never counted open.
	 */
	if (rc == 0 && (rc = open_by_scan(&w)) == 1)
		rc = each(&w, "SELECT rep_id, count(*),"
		    " coalesce(sum(cny(amount_fen, currency)), 0) FROM deal"
		    " WHERE created_on <= ?1 AND NOT (coalesce(stage, '') IN"
		    " ('won', 'lost') AND (close_on IS NULL OR close_on <= ?1))"
		    " GROUP BY rep_id ORDER BY rep_id", -2, add_open);
	if (rc == 0) {
		snprintf(title, sizeof(title),
		    _("Weekly report %s (%s to %s, %s)"), w.label, w.mon,
		    w.sun, tz_name());
		d = doc_new(title);
		emit(&w, d);
		if (weekly_view(db, o, d) < 0) {
			doc_free(d);
			d = NULL;
		}
	}
	for (i = 0; i < w.naggs; i++) {
		free(w.aggs[i].rep);
		free(w.aggs[i].region);
	}
	free(w.aggs);
	for (t = 0; t < w.ntypes; t++)
		free(w.types[t]);
	hmap_free(w.byid);
	/* Nothing was written: ending the read cannot lose anything. */
	db_exec(db, "COMMIT");
	return d;
}
