/*
 * The Monday view of the weekly report: per rep, team and region, the
 * week against the week before (new leads, touches with and without
 * content, stage moves, results, pipeline and weighted pipeline, tasks),
 * then the week's customer-voice tags, stuck deals, competitor news,
 * data-quality flags, and the charts.  Weeks are the stored local
 * columns (activity.week, news.week, stage_event.on_date, deal dates,
 * the local date part of lead.arrived_at): no date() of an instant.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "chart.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "hmap.h"
#include "i18n.h"
#include "report.h"
#include "stage.h"
#include "stagerep.h"
#include "table.h"
#include "tz.h"
#include "weekly.h"
#include "xalloc.h"
#include "xldate.h"

#define NTREND	8
#define NTAGS	10
#define MAXTT	64

/* Blank text, as the audit has it: NULL, spaces, tabs, newlines, U+3000. */
#define BLANK	"trim(coalesce(text, ''), ' ' || char(9, 10, 13, 12288)) = ''"

/* Open at the end of the week ?2: as in the report's open pipeline. */
#define OPEN_AT	"d.created_on <= ?2 AND NOT (coalesce(d.stage, '') IN" \
		" ('won', 'lost') AND (d.close_on IS NULL OR d.close_on <= ?2))"

enum metric {
	M_LEADS,
	M_TOUCH,
	M_EMPTY,
	M_FWD,
	M_BACK,
	M_BLOCKED,
	M_WON,
	M_WON_FEN,
	M_LOST,
	M_OPEN,
	M_OPEN_FEN,
	M_WEIGHTED_FEN,
	M_DUE,
	M_OVERDUE,
	NMETRIC
};

static const struct {
	const char	*key, *label;
	int		 money;
} metrics[NMETRIC] = {
	{"new_leads", N_("new leads"), 0},
	{"touches", N_("touches"), 0},
	{"empty_touches", N_("empty"), 0},
	{"moves_forward", N_("forward"), 0},
	{"moves_back", N_("back"), 0},
	{"moves_blocked", N_("blocked"), 0},
	{"won_deals", N_("won"), 0},
	{"won_amount_fen", N_("won amount"), 1},
	{"lost_deals", N_("lost"), 0},
	{"open_deals", N_("open deals"), 0},
	{"pipeline_fen", N_("pipeline"), 1},
	{"weighted_fen", N_("weighted"), 1},
	{"tasks_due", N_("tasks due"), 0},
	{"tasks_overdue", N_("tasks overdue"), 0},
};

/* The metrics people see in the Monday view, and which get a change. */
static const struct {
	enum metric	 m;
	int		 delta;
} shown[] = {
	{M_LEADS, 1}, {M_TOUCH, 1}, {M_EMPTY, 0}, {M_FWD, 0}, {M_BACK, 0},
	{M_BLOCKED, 0}, {M_WON_FEN, 1}, {M_OPEN_FEN, 1}, {M_WEIGHTED_FEN, 0},
	{M_DUE, 0}, {M_OVERDUE, 0},
};

struct unit {
	char		*rep, *team, *region;	/* NULL above the rep level */
	int64_t		 v[2][NMETRIC];		/* this week, the week before */
	int64_t		 tt[MAXTT][2];		/* touches by type: content, empty */
};

/* Open deals of one stage code (NULL: no stage) at the end of the week. */
struct pstage {
	char	*code;
	int64_t	 n, fen;
};

struct wv {
	struct db	*db;
	struct stage	*st;
	struct hmap	*byid;
	struct unit	*u;
	size_t		 nu, capu;
	char		*types[MAXTT];
	int		 ntypes;
	/* [0] this week, [1] the week before */
	char		 mon[2][CIVIL_TEXT_MAX], sun[2][CIVIL_TEXT_MAX];
	char		 label[2][16];
	int		 pass;
	struct table	*flat;
	/* The open pipeline of this week by stage, from open_deals(). */
	struct pstage	*ps;
	size_t		 nps, capps;
	int		 ps_sql;	/* amounts sum() must add itself */
};

static const char *
ctext(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
day_text(char *out, long days)
{
	struct civil c;

	memset(&c, 0, sizeof(c));
	civil_from_days(days, &c.y, &c.m, &c.d);
	civil_format(out, &c, 0);
}

static void
week_label(char *out, size_t n, long days)
{
	int y, w;

	iso_week(days, &y, &w);
	snprintf(out, n, "%04d-W%02d", y, w);
}

static size_t
unit_for(struct wv *w, const char *id, const char *name, const char *team,
    const char *region)
{
	const char *key = id != NULL ? id : "";
	struct unit *u;
	intptr_t idx;

	if (hmap_get(w->byid, key, strlen(key), &idx))
		return (size_t)idx;
	w->u = xgrow(w->u, &w->capu, w->nu + 1, sizeof(*w->u));
	u = &w->u[w->nu];
	memset(u, 0, sizeof(*u));
	/* A rep id the rep table does not know is shown as the id. */
	u->rep = xstrdup(name != NULL ? name : *key ? key : "(unassigned)");
	u->team = team != NULL && *team ? xstrdup(team) : NULL;
	u->region = region != NULL && *region ? xstrdup(region) : NULL;
	hmap_put(w->byid, key, strlen(key), (intptr_t)w->nu);
	return w->nu++;
}

static int
type_index(struct wv *w, const char *type)
{
	int i;

	for (i = 0; i < w->ntypes; i++)
		if (strcmp(w->types[i], type) == 0)
			return i;
	if (w->ntypes == MAXTT)
		return -1;
	w->types[w->ntypes] = xstrdup(type);
	return w->ntypes++;
}

static sqlite3_stmt *
prep(struct wv *w, const char *sql)
{
	sqlite3_stmt *st;
	int n;

	if ((st = db_prepare(w->db, sql)) == NULL)
		return NULL;
	/* ?1 Monday, ?2 Sunday, ?3 the week's label, of this pass. */
	n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		sqlite3_bind_text(st, 1, w->mon[w->pass], -1, SQLITE_STATIC);
	if (n >= 2)
		sqlite3_bind_text(st, 2, w->sun[w->pass], -1, SQLITE_STATIC);
	if (n >= 3)
		sqlite3_bind_text(st, 3, w->label[w->pass], -1,
		    SQLITE_STATIC);
	return st;
}

static int
done(struct wv *w, sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(w->db, rc, "weekly report");
	return 0;
}

/*
 * A query whose rows are (rep_id, n1, n2, ...): column i + 1 adds into
 * metric m[i] of the rep.
 */
static int
by_rep(struct wv *w, const char *sql, const enum metric *m, int nm)
{
	sqlite3_stmt *st;
	size_t idx;
	int i, rc;

	if ((st = prep(w, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		idx = unit_for(w, ctext(st, 0), NULL, NULL, NULL);
		for (i = 0; i < nm; i++)
			w->u[idx].v[w->pass][m[i]] +=
			    sqlite3_column_int64(st, i + 1);
	}
	return done(w, st, rc);
}

static int
load_reps(struct wv *w)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = prep(w, "SELECT id, name, team, region FROM rep"
	    " ORDER BY id")) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		unit_for(w, ctext(st, 0), ctext(st, 1), ctext(st, 2),
		    ctext(st, 3));
	return done(w, st, rc);
}

static int
touches(struct wv *w)
{
	sqlite3_stmt *st;
	struct unit *u;
	int64_t n;
	int k, rc, t;

	/*
	 * All of the week's activities, then the blank ones taken off,
	 * customers' own messages left out of both: counted in indexes
	 * (activity_week, activity_blank, activity_said), no text read
	 * but that of the customers' messages.
	 */
	for (k = 0; k < 2; k++) {
		if ((st = prep(w, k == 0 ? ACTS_BY_REP_TYPE("week = ?3", "1") :
		    ACTS_BY_REP_TYPE("week = ?3", BLANK))) == NULL)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			u = &w->u[unit_for(w, ctext(st, 0), NULL, NULL, NULL)];
			n = sqlite3_column_int64(st, 2);
			u->v[w->pass][M_TOUCH] += k == 0 ? n : -n;
			u->v[w->pass][M_EMPTY] += k == 0 ? 0 : n;
			if (w->pass == 0 &&
			    (t = type_index(w, ctext(st, 1))) >= 0) {
				u->tt[t][0] += k == 0 ? n : -n;
				u->tt[t][1] += k == 0 ? 0 : n;
			}
		}
		if (done(w, st, rc) < 0)
			return -1;
	}
	return 0;
}

/*
 * Stage moves of the week by the deal's rep: blocked is a refused move;
 * back a move to an earlier stage or a reopen; forward a move to a later
 * stage (won included) or a first stage.  A move to lost is neither (the
 * loss is counted with the lost deals); stages the rules do not know are
 * left out.
 */
static int
moves(struct wv *w)
{
	const struct stage_def *f, *t;
	sqlite3_stmt *st;
	const char *kind;
	size_t idx;
	int64_t n;
	int rc, m;

	if ((st = prep(w, "SELECT d.rep_id, e.kind, e.from_stage, e.to_stage,"
	    " count(*) FROM stage_event e LEFT JOIN deal d ON d.id = e.deal_id"
	    " WHERE e.on_date BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4")) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = ctext(st, 1);
		f = stage_by_code(w->st, ctext(st, 2));
		t = stage_by_code(w->st, ctext(st, 3));
		n = sqlite3_column_int64(st, 4);
		if (strcmp(kind, "blocked") == 0)
			m = M_BLOCKED;
		else if (strcmp(kind, "reopened") == 0)
			m = M_BACK;
		else if (t == NULL || t->kind == SK_LOST ||
		    (ctext(st, 2) != NULL && f == NULL))
			continue;
		else if (f == NULL || f->kind == SK_LOST ||
		    t->order > f->order)
			m = M_FWD;
		else if (t->order < f->order)
			m = M_BACK;
		else
			continue;
		idx = unit_for(w, ctext(st, 0), NULL, NULL, NULL);
		w->u[idx].v[w->pass][m] += n;
	}
	return done(w, st, rc);
}

/* Open at the end of the week bound as ?1 (this one) and ?2 (before). */
#define OPEN_AT_P(p) "(d.created_on <= " p " AND NOT (coalesce(d.stage, '')" \
		" IN ('won', 'lost') AND (d.close_on IS NULL" \
		" OR d.close_on <= " p ")))"

/*
 * The forecast snapshot of week w->pass for the weighted amount: the
 * latest at or before Sunday (of its rule versions the greatest digest,
 * so that one snapshot counts), deal id to expected amount, in deal id
 * order.  The deals come in table order, which is mostly id order: a
 * cursor that moves forward answers most lookups with a comparison or
 * two, a binary search the others (a hash of 75k keys missed the
 * caches on nearly every lookup).
 */
struct snap {
	char	**id;
	int64_t	 *fen;
	size_t	  n, cap, pos;
};

static void
snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->id[i]);
	free(s->id);
	free(s->fen);
	memset(s, 0, sizeof(*s));
}

struct snap_row {
	char	*id;
	int64_t	 fen;
	size_t	 at;
};

static int
cmp_snap_row(const void *x, const void *y)
{
	const struct snap_row *a = x, *b = y;
	int c;

	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	return (a->at > b->at) - (a->at < b->at);
}

/* In id order, equal ids in the order they were read. */
static void
snap_sort(struct snap *s)
{
	struct snap_row *r;
	size_t i;

	r = xcalloc(s->n, sizeof(*r));
	for (i = 0; i < s->n; i++) {
		r[i].id = s->id[i];
		r[i].fen = s->fen[i];
		r[i].at = i;
	}
	qsort(r, s->n, sizeof(*r), cmp_snap_row);
	for (i = 0; i < s->n; i++) {
		s->id[i] = r[i].id;
		s->fen[i] = r[i].fen;
	}
	free(r);
}

static int
snapshot(struct wv *w, struct snap *s)
{
	sqlite3_stmt *st;
	size_t capf = 0, i;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((st = prep(w, "SELECT deal_id, coalesce(cny(expected_fen, currency), 0)"
	    " FROM forecast WHERE as_of = (SELECT max(as_of) FROM forecast"
	    " WHERE as_of <= ?2) AND rules = (SELECT max(rules) FROM forecast"
	    " WHERE as_of = (SELECT max(as_of) FROM forecast"
	    " WHERE as_of <= ?2)) ORDER BY deal_id")) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->id = xgrow(s->id, &s->cap, s->n + 1, sizeof(*s->id));
		s->fen = xgrow(s->fen, &capf, s->n + 1, sizeof(*s->fen));
		s->id[s->n] = xstrdup(ctext(st, 0));
		s->fen[s->n++] = sqlite3_column_int64(st, 1);
	}
	if (done(w, st, rc) < 0) {
		snap_free(s);
		return -1;
	}
	/* A key that is not text (a blob sorts after text) orders them. */
	for (i = 1; i < s->n; i++)
		if (strcmp(s->id[i - 1], s->id[i]) > 0)
			break;
	if (i < s->n)
		snap_sort(s);
	return 0;
}

/*
 * The expected amount of deal id, as a hash of the rows in their order
 * had it: of equal keys (the primary key has none, but an id is read as
 * C text) the last.
 */
static int
snap_get(struct snap *s, const char *id, int64_t *fen)
{
	size_t lo, hi, mid;
	int c;

	if (s->n == 0)
		return 0;
	if (s->pos < s->n && (c = strcmp(s->id[s->pos], id)) >= 0 &&
	    (s->pos == 0 || strcmp(s->id[s->pos - 1], id) < 0)) {
		if (c > 0)
			return 0;
		lo = s->pos;
	} else {
		/* The first key not below id. */
		for (lo = 0, hi = s->n; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (strcmp(s->id[mid], id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		s->pos = lo;
		if (lo == s->n || strcmp(s->id[lo], id) != 0)
			return 0;
	}
	while (lo + 1 < s->n && strcmp(s->id[lo + 1], id) == 0)
		lo++;
	*fen = s->fen[lo];
	s->pos = lo + 1;
	return 1;
}

/* This week's open deal of stage code (NULL: none) into the chart's. */
static void
add_pstage(struct wv *w, const char *code, int amount_type, int64_t fen)
{
	size_t i;

	for (i = 0; i < w->nps; i++)
		if (code == NULL ? w->ps[i].code == NULL :
		    w->ps[i].code != NULL && strcmp(w->ps[i].code, code) == 0)
			break;
	if (i == w->nps) {
		w->ps = xgrow(w->ps, &w->capps, w->nps + 1, sizeof(*w->ps));
		w->ps[i].code = code != NULL ? xstrdup(code) : NULL;
		w->ps[i].n = w->ps[i].fen = 0;
		w->nps++;
	}
	w->ps[i].n++;
	/* sum() of anything but integers, or past int64, is SQLite's. */
	if ((amount_type == SQLITE_INTEGER &&
	    __builtin_add_overflow(w->ps[i].fen, fen, &w->ps[i].fen)) ||
	    (amount_type != SQLITE_INTEGER && amount_type != SQLITE_NULL))
		w->ps_sql = 1;
}

/*
 * The open pipeline at the end of both weeks, per rep, and its weighted
 * amount; this week's also by stage for the pipeline chart.  Each
 * week's snapshot is read in key order (snapshot()), then one scan of
 * the deals in table order (NOT INDEXED: through deal_rep or
 * deal_created every deal is a random seek) serves both weeks and the
 * chart: a seek into the forecast key per deal was three times the
 * work, and a scan per week and one for the chart each cost as much
 * as this one.  (NOT INDEXED is SQLite's; a PostgreSQL port drops it.)
 */
static int
open_deals(struct wv *w)
{
	struct snap snap[2];
	sqlite3_stmt *st = NULL;
	struct unit *u;
	const char *id, *stage;
	int64_t amount, fen;
	int k, tstage, tamount, rc = SQLITE_ERROR, ret = -1;

	memset(snap, 0, sizeof(snap));
	for (w->pass = 0; w->pass < 2; w->pass++)
		if (snapshot(w, &snap[w->pass]) < 0)
			goto out;
	w->pass = 0;
	if ((st = db_prepare(w->db, "SELECT d.id, d.rep_id,"
	    " cny(d.amount_fen, d.currency), d.stage, "
	    OPEN_AT_P("?1") ", " OPEN_AT_P("?2") " FROM deal d NOT INDEXED"
	    " WHERE " OPEN_AT_P("?1") " OR " OPEN_AT_P("?2"))) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, w->sun[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->sun[1], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = ctext(st, 0);
		/* Types first: reading a value may convert it. */
		tamount = sqlite3_column_type(st, 2);
		amount = sqlite3_column_int64(st, 2);	/* no yuan value: 0 */
		u = &w->u[unit_for(w, ctext(st, 1), NULL, NULL, NULL)];
		for (k = 0; k < 2; k++) {
			if (!sqlite3_column_int(st, 4 + k))
				continue;
			u->v[k][M_OPEN]++;
			u->v[k][M_OPEN_FEN] += amount;
			if (snap_get(&snap[k], id, &fen))
				u->v[k][M_WEIGHTED_FEN] += fen;
		}
		if (sqlite3_column_int(st, 4)) {
			tstage = sqlite3_column_type(st, 3);
			stage = ctext(st, 3);
			if (stage != NULL && (tstage != SQLITE_TEXT ||
			    (size_t)sqlite3_column_bytes(st, 3) !=
			    strlen(stage)))
				w->ps_sql = 1;
			add_pstage(w, stage, tamount, amount);
		}
	}
	ret = 0;
out:
	w->pass = 0;
	snap_free(&snap[0]);
	snap_free(&snap[1]);
	if (st != NULL)
		ret = done(w, st, rc);
	return ret;
}

static int
one_week(struct wv *w)
{
	static const enum metric leads[] = {M_LEADS};
	static const enum metric won[] = {M_WON, M_WON_FEN};
	static const enum metric lost[] = {M_LOST};
	static const enum metric due[] = {M_DUE};
	static const enum metric over[] = {M_OVERDUE};

	if (by_rep(w, "SELECT rep_id, count(*) FROM lead"
	    " WHERE substr(arrived_at, 1, 10) BETWEEN ?1 AND ?2"
	    " GROUP BY rep_id ORDER BY rep_id", leads, 1) < 0 ||
	    touches(w) < 0 || moves(w) < 0 ||
	    by_rep(w, "SELECT rep_id, count(*),"
	    " coalesce(sum(cny(amount_fen, currency)), 0)"
	    " FROM deal WHERE stage = 'won' AND close_on BETWEEN ?1 AND ?2"
	    " GROUP BY rep_id ORDER BY rep_id", won, 2) < 0 ||
	    by_rep(w, "SELECT rep_id, count(*) FROM deal WHERE stage = 'lost'"
	    " AND close_on BETWEEN ?1 AND ?2 GROUP BY rep_id ORDER BY rep_id",
	    lost, 1) < 0 ||
	    by_rep(w, "SELECT rep_id, count(*) FROM task"
	    " WHERE due_on BETWEEN ?1 AND ?2 AND status <> 'cancelled'"
	    " GROUP BY rep_id ORDER BY rep_id", due, 1) < 0 ||
	    /* Most tasks fall due by then: a scan beats a seek each. */
	    by_rep(w, "SELECT rep_id, count(*) FROM task NOT INDEXED"
	    " WHERE due_on <= ?2 AND status = 'open'"
	    " GROUP BY rep_id ORDER BY rep_id", over, 1) < 0)
		return -1;
	return 0;
}

static int
has_data(const struct unit *u)
{
	int m, p;

	for (p = 0; p < 2; p++)
		for (m = 0; m < NMETRIC; m++)
			if (u->v[p][m] != 0)
				return 1;
	return 0;
}

static int
cmp_null(const char *a, const char *b)
{
	/* Without a team or region sorts last. */
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int
by_region_team_rep(const void *x, const void *y)
{
	const struct unit *a = x, *b = y;
	int c;

	if ((c = cmp_null(a->region, b->region)) != 0)
		return c;
	if ((c = cmp_null(a->team, b->team)) != 0)
		return c;
	return cmp_null(a->rep, b->rep);
}

static void
add_unit(struct unit *to, const struct unit *from)
{
	int m, p, t;

	for (p = 0; p < 2; p++)
		for (m = 0; m < NMETRIC; m++)
			to->v[p][m] += from->v[p][m];
	for (t = 0; t < MAXTT; t++) {
		to->tt[t][0] += from->tt[t][0];
		to->tt[t][1] += from->tt[t][1];
	}
}

/*
 * Roll the reps up: teams (within a region), regions, the total.
 * Returns the number of rolled-up units in *out (caller frees).
 */
static size_t
roll_up(const struct wv *w, int team, struct unit **out)
{
	struct unit *r;
	size_t i, n = 0;

	r = xcalloc(w->nu + 1, sizeof(*r));
	for (i = 0; i < w->nu; i++) {
		if (n == 0 || cmp_null(r[n - 1].region, w->u[i].region) != 0 ||
		    (team && cmp_null(r[n - 1].team, w->u[i].team) != 0)) {
			r[n].region = w->u[i].region;
			r[n].team = team ? w->u[i].team : NULL;
			n++;
		}
		add_unit(&r[n - 1], &w->u[i]);
	}
	*out = r;
	return n;
}

/* The long table for programs: one row per unit, metric and week. */
static void
flat_row(struct wv *w, const char *section, const char *level,
    const struct unit *u, const char *item, const char *detail,
    const char *metric, int64_t v, const int64_t *prev)
{
	struct table *t = w->flat;
	size_t r;

	r = table_row(t);
	table_text(t, r, 0, w->label[0]);
	table_text(t, r, 1, section);
	table_text(t, r, 2, level);
	if (u != NULL) {
		table_text(t, r, 3, u->rep);
		table_text(t, r, 4, u->team);
		table_text(t, r, 5, u->region);
	}
	table_text(t, r, 6, item);
	table_text(t, r, 7, detail);
	table_text(t, r, 8, metric);
	table_int(t, r, 9, v);
	if (prev != NULL) {
		table_int(t, r, 10, *prev);
		table_int(t, r, 11, v - *prev);
	}
}

static void
flat_units(struct wv *w, const char *level, const struct unit *u, size_t n)
{
	size_t i;
	int m, t;

	for (i = 0; i < n; i++) {
		for (m = 0; m < NMETRIC; m++)
			flat_row(w, "summary", level, &u[i], NULL, NULL,
			    metrics[m].key, u[i].v[0][m], &u[i].v[1][m]);
		for (t = 0; t < w->ntypes; t++) {
			if (u[i].tt[t][0] == 0 && u[i].tt[t][1] == 0)
				continue;
			flat_row(w, "touches", level, &u[i], w->types[t],
			    NULL, "touches", u[i].tt[t][0], NULL);
			flat_row(w, "touches", level, &u[i], w->types[t],
			    NULL, "empty_touches", u[i].tt[t][1], NULL);
		}
	}
}

static void
cell(struct table *t, size_t r, size_t c, enum metric m, int64_t v)
{
	if (metrics[m].money)
		table_money(t, r, c, v);
	else
		table_int(t, r, c, v);
}

/* A Monday view table for people: one row per unit, a total row. */
static void
view_table(struct doc *d, const char *title, int level,
    const struct unit *u, size_t n, const struct unit *total)
{
	char lab[64];
	struct table *t;
	size_t i, k, r, c;

	t = table_new(title);
	if (level == 0)
		table_col(t, "rep", _("rep"), 0);
	if (level <= 1)
		table_col(t, "team", _("team"), 0);
	table_col(t, "region", _("region"), 0);
	for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++) {
		if (metrics[shown[k].m].money)
			table_money_col(t, metrics[shown[k].m].key,
			    _(metrics[shown[k].m].label));
		else
			table_col(t, metrics[shown[k].m].key,
			    _(metrics[shown[k].m].label), 1);
		if (shown[k].delta) {
			snprintf(lab, sizeof(lab), "%s_change",
			    metrics[shown[k].m].key);
			if (metrics[shown[k].m].money)
				table_money_col(t, lab, "Δ");
			else
				table_col(t, lab, "Δ", 1);
		}
	}
	for (i = 0; i <= n; i++) {
		const struct unit *x = i < n ? &u[i] : total;

		if (i == n)
			table_totals(t);
		r = table_row(t);
		c = 0;
		if (i == n) {
			table_text(t, r, c, _("Total"));
			c += (size_t)(3 - level);
		} else {
			if (level == 0)
				table_text(t, r, c++, x->rep);
			if (level <= 1)
				table_text(t, r, c++, x->team != NULL ?
				    x->team : _("(none)"));
			table_text(t, r, c++, x->region != NULL ?
			    x->region : _("(none)"));
		}
		for (k = 0; k < sizeof(shown) / sizeof(shown[0]); k++) {
			enum metric m = shown[k].m;

			cell(t, r, c++, m, x->v[0][m]);
			if (shown[k].delta)
				cell(t, r, c++, m, x->v[0][m] - x->v[1][m]);
		}
	}
	doc_table(d, t, DOC_HUMAN);
}

static void
touch_table(struct wv *w, struct doc *d, const struct unit *total)
{
	struct table *t;
	size_t r;
	int k;

	if (w->ntypes == 0)
		return;
	t = table_new(_("Touches by type (with content, empty)"));
	table_col(t, "type", _("type"), 0);
	table_col(t, "touches", _("with content"), 1);
	table_col(t, "empty_touches", _("empty"), 1);
	for (k = 0; k < w->ntypes; k++) {
		r = table_row(t);
		table_text(t, r, 0, w->types[k]);
		table_int(t, r, 1, total->tt[k][0]);
		table_int(t, r, 2, total->tt[k][1]);
	}
	table_totals(t);
	r = table_row(t);
	table_text(t, r, 0, _("Total"));
	table_int(t, r, 1, total->v[0][M_TOUCH]);
	table_int(t, r, 2, total->v[0][M_EMPTY]);
	doc_table(d, t, DOC_HUMAN);
}

static int
cmp_type(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Tags of the week: the most frequent first, with last week's count. */
static int
voc_tags(struct wv *w, struct doc *d)
{
	/* The week's activities first, then their hits (not every hit). */
	static const char sql[] = "SELECT h.tag, count(*) FROM activity a"
	    " CROSS JOIN voc_hit h ON h.activity_id = a.id"
	    " WHERE a.week = ?3 AND h.current = 1"
	    " GROUP BY h.tag ORDER BY count(*) DESC, h.tag";
	struct hmap *prev;
	struct table *t;
	sqlite3_stmt *st;
	intptr_t pv;
	int64_t p, n;
	size_t r;
	int rc;
	const char *tag;

	prev = hmap_new();
	w->pass = 1;
	if ((st = prep(w, sql)) == NULL) {
		hmap_free(prev);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hmap_put(prev, ctext(st, 0), strlen(ctext(st, 0)),
		    (intptr_t)sqlite3_column_int64(st, 1));
	w->pass = 0;
	if (done(w, st, rc) < 0 || (st = prep(w, sql)) == NULL) {
		hmap_free(prev);
		return -1;
	}
	t = table_new(_("Top customer-voice tags"));
	table_col(t, "tag", _("tag"), 0);
	table_col(t, "hits", _("hits"), 1);
	table_col(t, "hits_prev", _("last week"), 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->nrows < NTAGS) {
		tag = ctext(st, 0);
		n = sqlite3_column_int64(st, 1);
		p = hmap_get(prev, tag, strlen(tag), &pv) ? (int64_t)pv : 0;
		r = table_row(t);
		table_text(t, r, 0, tag);
		table_int(t, r, 1, n);
		table_int(t, r, 2, p);
		flat_row(w, "voc", "total", NULL, tag, NULL, "hits", n, &p);
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	hmap_free(prev);
	if (done(w, st, rc) < 0) {
		table_free(t);
		return -1;
	}
	if (t->nrows == 0) {
		table_free(t);
		return 0;
	}
	doc_table(d, t, DOC_HUMAN);
	return 0;
}

/* Deal ids listed per stuck group for people. */
#define STUCK_IDS	10

static int
stuck(struct wv *w, struct doc *d)
{
	struct stuck_group *g;
	const struct stage_gate *sg;
	const char *stage, *gate;
	struct table *t;
	size_t i, k, ng, total, r, len;
	char *ids;

	if (stagerep_stuck_groups(w->st, w->db, -1, w->sun[0], &g, &ng,
	    &total) < 0)
		return -1;
	if (ng == 0) {
		stagerep_stuck_free(g, ng);
		return 0;
	}
	t = table_new(_("Deals stuck, by the gate they wait for"));
	table_col(t, "stage", _("stage"), 0);
	table_col(t, "gate", _("waiting for"), 0);
	table_col(t, "deals", _("deals"), 1);
	table_col(t, "share_pct", "%", 1);
	table_col(t, "ids", _("deal ids"), 0);
	for (k = 0; k < ng; k++) {
		int64_t pct = (int64_t)((200 * g[k].n + total) / (2 * total));

		sg = g[k].gate >= 0 ? stage_gate(w->st, (size_t)g[k].gate) :
		    NULL;
		stage = stage_def(w->st, g[k].stage)->name;
		gate = sg != NULL ? sg->name : "(gates hold)";
		/* A reader wants a few deals to open, not thousands. */
		for (len = 64, i = 0; i < g[k].n && i < STUCK_IDS; i++)
			len += strlen(g[k].deals[i]) + 1;
		ids = xmalloc(len);
		for (ids[0] = '\0', i = 0; i < g[k].n && i < STUCK_IDS; i++) {
			if (i > 0)
				strcat(ids, " ");
			strcat(ids, g[k].deals[i]);
		}
		if (g[k].n > STUCK_IDS)
			snprintf(ids + strlen(ids), 64, _(" and %zu more"),
			    g[k].n - STUCK_IDS);
		r = table_row(t);
		table_text(t, r, 0, stage);
		table_text(t, r, 1, gate);
		table_int(t, r, 2, (int64_t)g[k].n);
		table_int(t, r, 3, pct);
		table_text(t, r, 4, ids);
		flat_row(w, "stuck", "total", NULL, stage, gate, "deals",
		    (int64_t)g[k].n, NULL);
		free(ids);
	}
	stagerep_stuck_free(g, ng);
	doc_table(d, t, DOC_HUMAN);
	return 0;
}

static int
news(struct wv *w, struct doc *d)
{
	struct table *t;
	sqlite3_stmt *st;
	size_t r;
	int rc, i;

	if ((st = prep(w, "SELECT on_date, source, title, link FROM news"
	    " WHERE week = ?3 ORDER BY on_date, title, id")) == NULL)
		return -1;
	t = table_new(_("Competitor news"));
	table_col(t, "date", _("date"), 0);
	table_col(t, "source", _("source"), 0);
	table_col(t, "title", _("title"), 0);
	table_col(t, "link", _("link"), 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = table_row(t);
		for (i = 0; i < 4; i++)
			table_text(t, r, (size_t)i, ctext(st, i));
		flat_row(w, "news", "total", NULL, ctext(st, 2),
		    ctext(st, 1), "news", 1, NULL);
	}
	if (done(w, st, rc) < 0) {
		table_free(t);
		return -1;
	}
	if (t->nrows == 0) {
		table_free(t);
		return 0;
	}
	doc_table(d, t, DOC_HUMAN);
	return 0;
}

struct qual {
	struct wv	*w;
	struct table	*t;
};

static void
qual_kind(void *arg, const char *kind, long n)
{
	struct qual *q = arg;
	size_t r;

	r = table_row(q->t);
	table_text(q->t, r, 0, kind);
	table_int(q->t, r, 1, n);
	flat_row(q->w, "quality", "total", NULL, kind, NULL, "findings", n,
	    NULL);
}

static int
quality(struct wv *w, struct doc *d, const struct report_opts *o)
{
	struct qual q;

	q.w = w;
	q.t = table_new(_("Data-quality flags (sales-report audit, today)"));
	table_col(q.t, "kind", _("kind"), 0);
	table_col(q.t, "findings", _("findings"), 1);
	if (audit_count_kinds(w->db, o, tz_today(), qual_kind, &q) < 0) {
		table_free(q.t);
		return -1;
	}
	if (q.t->nrows == 0) {
		table_free(q.t);
		doc_para(d, "%s", _("No data-quality findings."));
		return 0;
	}
	doc_table(d, q.t, DOC_HUMAN);
	return 0;
}

static int
cmp_pstage(const void *x, const void *y)
{
	const struct pstage *a = x, *b = y;

	/* As ORDER BY d.stage: no stage first, then the codes' bytes. */
	if (a->code == NULL || b->code == NULL)
		return (b->code == NULL) - (a->code == NULL);
	return strcmp(a->code, b->code);
}

/*
 * Pipeline at the end of the week by stage, in stage order: the stages
 * open_deals() counted, or, when an amount or a stage is not what
 * sales-ingest stores (integers, text), SQLite's own sum() of them.
 */
static int
pipeline_chart(struct wv *w, struct doc *d)
{
	const struct stage_def *sd;
	struct chart *ch;
	sqlite3_stmt *st;
	size_t n, i, j;
	int rc;
	struct {
		char	*code;
		long	 order;
		int64_t	 n, fen;
	} *v = NULL, x;

	n = 0;
	if (!w->ps_sql) {
		if (w->nps > 0)
			qsort(w->ps, w->nps, sizeof(*w->ps), cmp_pstage);
		v = xcalloc(w->nps + 1, sizeof(*v));
		for (; n < w->nps; n++) {
			v[n].code = xstrdup(w->ps[n].code != NULL ?
			    w->ps[n].code : "(none)");
			sd = stage_by_code(w->st, w->ps[n].code);
			v[n].order = sd != NULL ? sd->order : 1000;
			v[n].n = w->ps[n].n;
			v[n].fen = w->ps[n].fen;
		}
	} else {
		/* In table order, not a seek per deal through deal_created. */
		if ((st = prep(w, "SELECT d.stage, count(*),"
		    " coalesce(sum(cny(d.amount_fen, d.currency)), 0)"
		    " FROM deal d NOT INDEXED"
		    " WHERE " OPEN_AT " GROUP BY d.stage ORDER BY d.stage"))
		    == NULL)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].code = xstrdup(ctext(st, 0) != NULL ?
			    ctext(st, 0) : "(none)");
			sd = stage_by_code(w->st, ctext(st, 0));
			/* Stages the rules do not know go last, by code. */
			v[n].order = sd != NULL ? sd->order : 1000;
			v[n].n = sqlite3_column_int64(st, 1);
			v[n].fen = sqlite3_column_int64(st, 2);
			n++;
		}
		if (done(w, st, rc) < 0) {
			for (i = 0; i < n; i++)
				free(v[i].code);
			free(v);
			return -1;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1].order > v[j].order; j--) {
			x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	ch = chart_new(CHART_BAR, _("Pipeline by stage"), 1, n, 1);
	chart_series(ch, 0, _("pipeline"));
	for (i = 0; i < n; i++) {
		sd = stage_by_code(w->st, v[i].code);
		chart_x(ch, i, sd != NULL ? sd->name : v[i].code);
		chart_set(ch, 0, i, (double)v[i].fen);
		flat_row(w, "pipeline", "total", NULL, v[i].code, NULL,
		    "open_deals", v[i].n, NULL);
		flat_row(w, "pipeline", "total", NULL, v[i].code, NULL,
		    "pipeline_fen", v[i].fen, NULL);
		free(v[i].code);
	}
	free(v);
	doc_chart(d, ch);
	return 0;
}

/*
 * The last eight weeks up to this one: activities, activities with
 * content, won amount (yuan; the chart's one unit is its money flag, so
 * the amount is a series of its own scale).
 */
static int
trend_chart(struct wv *w, struct doc *d, long mon)
{
	char first[16], wk[NTREND][16], from[CIVIL_TEXT_MAX], to[CIVIL_TEXT_MAX];
	int64_t acts[NTREND], full[NTREND], won[NTREND];
	sqlite3_stmt *st;
	struct chart *ch, *chw;
	const char *lab;
	int i, rc;

	for (i = 0; i < NTREND; i++) {
		week_label(wk[i], sizeof(wk[i]), mon - 7L * (NTREND - 1 - i));
		acts[i] = full[i] = won[i] = 0;
	}
	snprintf(first, sizeof(first), "%s", wk[0]);
	/*
	 * Activities, then the blank ones off them, customers' own
	 * messages taken off both (indexes only, as for touches).
	 */
	if ((st = db_prepare(w->db, "SELECT week, count(*), 0 FROM activity"
	    " WHERE week BETWEEN ?1 AND ?2 GROUP BY week UNION ALL"
	    " SELECT week, 0, count(*) FROM activity"
	    " WHERE week BETWEEN ?1 AND ?2 AND " BLANK " GROUP BY week"
	    " UNION ALL SELECT week, -count(*), -count(CASE WHEN " BLANK
	    " THEN 1 END) FROM activity WHERE week BETWEEN ?1 AND ?2"
	    " AND party = 'customer' GROUP BY week ORDER BY 1, 2")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->label[0], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		lab = ctext(st, 0);
		for (i = 0; i < NTREND; i++)
			if (strcmp(wk[i], lab) == 0) {
				acts[i] += sqlite3_column_int64(st, 1);
				full[i] += sqlite3_column_int64(st, 1) -
				    sqlite3_column_int64(st, 2);
			}
	}
	if (done(w, st, rc) < 0)
		return -1;
	if ((st = db_prepare(w->db, "SELECT coalesce(sum(cny(amount_fen, currency)), 0)"
	    " FROM deal WHERE stage = 'won' AND close_on BETWEEN ?1 AND ?2"))
	    == NULL)
		return -1;
	for (i = 0; i < NTREND; i++) {
		day_text(from, mon - 7L * (NTREND - 1 - i));
		day_text(to, mon - 7L * (NTREND - 1 - i) + 6);
		sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			won[i] = sqlite3_column_int64(st, 0);
		else {
			sqlite3_reset(st);
			return db_fail(w->db, rc, "weekly report");
		}
		sqlite3_reset(st);
	}
	/* Counts and yuan apart: on one axis a week's 2 million yuan flattens
	 * its 15 activities to the floor. */
	ch = chart_new(CHART_LINE, _("Last eight weeks: activities"), 2,
	    NTREND, 0);
	chart_series(ch, 0, _("activities"));
	chart_series(ch, 1, _("touches"));
	chw = chart_new(CHART_LINE, _("Last eight weeks: won amount"), 1,
	    NTREND, 1);
	chart_series(chw, 0, _("won amount"));
	for (i = 0; i < NTREND; i++) {
		chart_x(ch, (size_t)i, wk[i]);
		chart_x(chw, (size_t)i, wk[i]);
		chart_set(ch, 0, (size_t)i, (double)acts[i]);
		chart_set(ch, 1, (size_t)i, (double)full[i]);
		chart_set(chw, 0, (size_t)i, (double)won[i]);
		flat_row(w, "trend", "total", NULL, wk[i], NULL, "activities",
		    acts[i], NULL);
		flat_row(w, "trend", "total", NULL, wk[i], NULL, "touches",
		    full[i], NULL);
		flat_row(w, "trend", "total", NULL, wk[i], NULL,
		    "won_amount_fen", won[i], NULL);
	}
	doc_chart(d, ch);
	doc_chart(d, chw);
	return 0;
}

int
weekly_view(struct db *db, const struct report_opts *o, struct doc *d)
{
	struct unit *teams = NULL, *regions = NULL, total;
	char *sorted[MAXTT];
	struct wv w;
	size_t i, r, nteams, nregions;
	long mon;
	int ok, rc = -1, k, j;

	memset(&w, 0, sizeof(w));
	w.db = db;
	mon = iso_week_monday(o->year, o->week, &ok);
	for (k = 0; k < 2; k++) {
		day_text(w.mon[k], mon - 7L * k);
		day_text(w.sun[k], mon - 7L * k + 6);
		week_label(w.label[k], sizeof(w.label[k]), mon - 7L * k);
	}
	if ((w.st = stage_open(db, o->rules)) == NULL)
		return -1;
	w.byid = hmap_new();
	w.flat = table_new(NULL);
	table_col(w.flat, "week", "week", 0);
	table_col(w.flat, "section", "section", 0);
	table_col(w.flat, "level", "level", 0);
	table_col(w.flat, "rep", "rep", 0);
	table_col(w.flat, "team", "team", 0);
	table_col(w.flat, "region", "region", 0);
	table_col(w.flat, "item", "item", 0);
	table_col(w.flat, "detail", "detail", 0);
	table_col(w.flat, "metric", "metric", 0);
	table_col(w.flat, "value", "value", 1);
	table_col(w.flat, "prev", "prev", 1);
	table_col(w.flat, "change", "change", 1);

	if (load_reps(&w) < 0)
		goto out;
	for (w.pass = 0; w.pass < 2; w.pass++)
		if (one_week(&w) < 0)
			goto out;
	if (open_deals(&w) < 0)
		goto out;
	w.pass = 0;

	/* Types in name order, so that the tables do not depend on ids. */
	memcpy(sorted, w.types, (size_t)w.ntypes * sizeof(char *));
	qsort(sorted, (size_t)w.ntypes, sizeof(char *), cmp_type);
	for (i = 0; i < w.nu; i++) {
		int64_t tt[MAXTT][2];

		for (k = 0; k < w.ntypes; k++)
			for (j = 0; j < w.ntypes; j++)
				if (sorted[k] == w.types[j]) {
					tt[k][0] = w.u[i].tt[j][0];
					tt[k][1] = w.u[i].tt[j][1];
				}
		memcpy(w.u[i].tt, tt, (size_t)w.ntypes * sizeof(tt[0]));
	}
	memcpy(w.types, sorted, (size_t)w.ntypes * sizeof(char *));

	/* Reps with something to say in either week. */
	for (i = r = 0; i < w.nu; i++)
		if (has_data(&w.u[i]))
			w.u[r++] = w.u[i];
		else {
			free(w.u[i].rep);
			free(w.u[i].team);
			free(w.u[i].region);
		}
	w.nu = r;
	if (w.nu > 0)
		qsort(w.u, w.nu, sizeof(*w.u), by_region_team_rep);
	nteams = roll_up(&w, 1, &teams);
	nregions = roll_up(&w, 0, &regions);
	memset(&total, 0, sizeof(total));
	for (i = 0; i < w.nu; i++)
		add_unit(&total, &w.u[i]);

	doc_heading(d, _("Monday view: this week, and the change (Δ) since "
	    "the week before"));
	doc_para(d, _("Week %s against %s.  Touches: activities with "
	    "content; empty: activities without.  Weighted: the latest "
	    "forecast snapshot up to Sunday."), w.label[0], w.label[1]);
	if (w.nu == 0)
		doc_para(d, "%s", _("No data in either week."));
	else {
		view_table(d, _("By rep"), 0, w.u, w.nu, &total);
		view_table(d, _("By team"), 1, teams, nteams, &total);
		view_table(d, _("By region"), 2, regions, nregions, &total);
	}
	flat_units(&w, "rep", w.u, w.nu);
	flat_units(&w, "team", teams, nteams);
	flat_units(&w, "region", regions, nregions);
	flat_units(&w, "total", &total, 1);
	touch_table(&w, d, &total);
	if (voc_tags(&w, d) < 0 || stuck(&w, d) < 0 || news(&w, d) < 0 ||
	    quality(&w, d, o) < 0 || pipeline_chart(&w, d) < 0 ||
	    trend_chart(&w, d, mon) < 0)
		goto out;
	doc_table(d, w.flat, DOC_MACHINE);
	w.flat = NULL;
	rc = 0;
out:
	free(teams);
	free(regions);
	table_free(w.flat);
	for (i = 0; i < w.nu; i++) {
		free(w.u[i].rep);
		free(w.u[i].team);
		free(w.u[i].region);
	}
	free(w.u);
	for (i = 0; i < w.nps; i++)
		free(w.ps[i].code);
	free(w.ps);
	for (k = 0; k < w.ntypes; k++)
		free(w.types[k]);
	hmap_free(w.byid);
	stage_close(w.st);
	return rc;
}
