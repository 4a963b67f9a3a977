/*
 * Lead routing by the rules of assign.csv.  See assign.h.
 *
 * The reps of the store are read once per run into an array kept in
 * rotation order (seq, then code, then id); open-lead counts, open-deal
 * counts and the order of last assignments are kept there and updated
 * as leads are given out, which is exact because the whole run holds
 * the write lock.  Each rule knows its pool as a flag per rep.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "assign.h"
#include "buf.h"
#include "cond.h"
#include "db.h"
#include "diag.h"
#include "hmap.h"
#include "i18n.h"
#include "rules.h"
#include "table.h"
#include "tz.h"
#include "xalloc.h"

/*
 * A lead is open until it is closed or converted into a deal: its
 * status is none of the spellings enums.csv gives for closed and
 * qualified (lead statuses are stored as typed), kept in a temp table.
 */
#define OPEN_LEAD "coalesce(lower(status), '') NOT IN " \
	"(SELECT status FROM temp.assign_closed)"
#define OPEN_DEAL "coalesce(stage, '') NOT IN ('won', 'lost')"

/* The plural s of "1 rep", "4 reps". */
#define PL(n) ((n) == 1 ? "" : "s")

struct arep {
	char		*id;
	char		*name;
	char		*code;
	char		*unit;
	int64_t		 seq;
	int		 has_seq;
	int		 active;
	int64_t		 capacity;	/* -1: no limit */
	int64_t		 weight;	/* thousandths */
	double		 lat, lon;
	int		 has_pos;
	int64_t		 open_leads;
	int64_t		 open_deals;
	int64_t		 last;		/* last assignment's id, or 0 */
	int		 excluded;	/* rebalance: the rep who leaves */
};

struct arule {
	char		*name;
	char		*origin;	/* "assign.csv:12" */
	char		*lead_text;
	char		*pool_text;
	char		*pool_desc;	/* " (pool_text)" or "" */
	struct cond	*lead;
	struct cond	*pool;
	enum assign_method method;
	int64_t		 cap;		/* -1: none */
	unsigned char	*member;	/* per rep */
	size_t		 nmembers;
	int		*shown;		/* lead view columns it names */
	size_t		 nshown;
	/* round robin: index of the rep who had the last lead, or -1 */
	int		 cursor_loaded, cursor_dirty;
	long		 cursor;
	/* smooth weighted round robin: current value per rep */
	int		 wrr_loaded, wrr_dirty;
	int64_t		*wrr;
};

struct assigner {
	struct db	 *db;
	sqlite3		 *h;
	struct assign_opts opts;
	struct cond_env	 *lead_env;
	struct cond_env	 *rep_env;
	struct arep	 *reps;
	size_t		  nreps;
	struct hmap	 *rep_index;	/* id -> index + 1 */
	struct arule	 *rules;
	size_t		  nrules;
	char		**lead_cols;	/* columns of assign_lead */
	int		  nlead_cols;
	int64_t		  seqno;	/* the last assignment's id */
	int64_t		  run;
	char		  now[INSTANT_TEXT_MAX];
	struct table	 *table;	/* --table output */
	int		  reclaiming;	/* assign_reroute() is at work */
};

static const char *const method_names[] = {
	"", "round_robin", "least_loaded", "weighted", "nearest",
};

enum assign_method
assign_method_parse(const char *s)
{
	size_t i;

	for (i = 1; i < sizeof(method_names) / sizeof(*method_names); i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum assign_method)i;
	return AM_NONE;
}

const char *
assign_method_name(enum assign_method m)
{
	return method_names[m];
}

double
geo_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat, dlon, a;

	dlat = (lat2 - lat1) * rad;
	dlon = (lon2 - lon1) * rad;
	a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) *
	    cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1.0)
		a = 1.0;
	return 2.0 * 6371.0 * asin(sqrt(a));
}

static char *
col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/* Rotation order: seq (absent last), code, id. */
static int
rep_cmp(const void *va, const void *vb)
{
	const struct arep *a = va, *b = vb;
	int c;

	if (a->has_seq != b->has_seq)
		return a->has_seq ? -1 : 1;
	if (a->has_seq && a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if ((a->code == NULL) != (b->code == NULL))
		return a->code != NULL ? -1 : 1;
	if (a->code != NULL && (c = strcmp(a->code, b->code)) != 0)
		return c;
	return strcmp(a->id, b->id);
}

static int
rep_find(const struct assigner *a, const char *id)
{
	intptr_t v;

	if (id == NULL || !hmap_get(a->rep_index, id, strlen(id), &v))
		return -1;
	return (int)v - 1;
}

/* A query whose rows are (rep_id, count or id); adds into field. */
static int
load_counts(struct assigner *a, const char *sql, size_t off)
{
	sqlite3_stmt *st;
	int rc, i;

	if ((st = db_prepare(a->db, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		i = rep_find(a, (const char *)sqlite3_column_text(st, 0));
		if (i >= 0)
			*(int64_t *)((char *)&a->reps[i] + off) =
			    sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(a->db, rc, "reading reps");
}

static int
load_reps(struct assigner *a)
{
	sqlite3_stmt *st;
	struct arep *r;
	size_t i, cap = 0;
	int rc;

	st = db_prepare(a->db, "SELECT id, name, code, unit, seq, active, "
	    "capacity, weight, lat, lon FROM assign_rep");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (a->nreps == cap) {
			cap = cap ? cap * 2 : 16;
			a->reps = xrealloc(a->reps, cap * sizeof(*a->reps));
		}
		r = &a->reps[a->nreps++];
		memset(r, 0, sizeof(*r));
		r->id = col_strdup(st, 0);
		r->name = col_strdup(st, 1);
		r->code = col_strdup(st, 2);
		r->unit = col_strdup(st, 3);
		r->has_seq = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r->seq = sqlite3_column_int64(st, 4);
		r->active = sqlite3_column_int(st, 5);
		r->capacity = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 6);
		r->weight = sqlite3_column_type(st, 7) == SQLITE_NULL ? 1000 :
		    (int64_t)llround(sqlite3_column_double(st, 7) * 1000.0);
		r->has_pos = sqlite3_column_type(st, 8) != SQLITE_NULL &&
		    sqlite3_column_type(st, 9) != SQLITE_NULL;
		r->lat = sqlite3_column_double(st, 8);
		r->lon = sqlite3_column_double(st, 9);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(a->db, rc, "reading reps");
	if (a->nreps > 0)
		qsort(a->reps, a->nreps, sizeof(*a->reps), rep_cmp);
	for (i = 0; i < a->nreps; i++)
		hmap_put(a->rep_index, a->reps[i].id, strlen(a->reps[i].id),
		    (intptr_t)i + 1);
	if (load_counts(a, "SELECT rep_id, count(*) FROM lead WHERE rep_id "
	    "IS NOT NULL AND " OPEN_LEAD " GROUP BY rep_id",
	    offsetof(struct arep, open_leads)) < 0 ||
	    load_counts(a, "SELECT rep_id, count(*) FROM deal WHERE rep_id "
	    "IS NOT NULL AND " OPEN_DEAL " GROUP BY rep_id",
	    offsetof(struct arep, open_deals)) < 0 ||
	    load_counts(a, "SELECT rep_id, max(id) FROM assignment WHERE "
	    "rep_id IS NOT NULL GROUP BY rep_id",
	    offsetof(struct arep, last)) < 0)
		return -1;
	st = db_prepare(a->db, "SELECT coalesce(max(id), 0), "
	    "coalesce(max(run), 0) + 1 FROM assignment");
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(a->db, rc, "reading the assignment log");
	}
	a->seqno = sqlite3_column_int64(st, 0);
	a->run = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int
load_lead_cols(struct assigner *a)
{
	sqlite3_stmt *st;
	int i;

	if ((st = db_prepare(a->db, "SELECT * FROM assign_lead WHERE id = "
	    "?1")) == NULL)
		return -1;
	a->nlead_cols = sqlite3_column_count(st);
	a->lead_cols = xcalloc((size_t)a->nlead_cols, sizeof(char *));
	for (i = 0; i < a->nlead_cols; i++)
		a->lead_cols[i] = xstrdup(sqlite3_column_name(st, i));
	return 0;
}

/*
 * The lead view's columns that a condition names, outside quoted
 * strings, for the reason text ("budget 800000, urgency high").
 */
static void
find_shown(struct assigner *a, struct arule *r)
{
	const char *p = r->lead_text, *s;
	size_t len;
	int i;

	while (*p != '\0') {
		if (*p == '\'') {
			for (p++; *p != '\0' && *p != '\''; p++)
				;
			if (*p != '\0')
				p++;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		for (s = p; isalnum((unsigned char)*p) || *p == '_'; p++)
			;
		len = (size_t)(p - s);
		for (i = 0; i < a->nlead_cols; i++) {
			size_t k;

			if (strlen(a->lead_cols[i]) != len ||
			    strncasecmp(a->lead_cols[i], s, len) != 0 ||
			    strcmp(a->lead_cols[i], "id") == 0)
				continue;
			for (k = 0; k < r->nshown; k++)
				if (r->shown[k] == i)
					break;
			if (k == r->nshown) {
				r->shown = xrealloc(r->shown,
				    (r->nshown + 1) * sizeof(int));
				r->shown[r->nshown++] = i;
			}
		}
	}
}

static int
mark_member(const char *key, void *arg)
{
	struct assigner *a = ((void **)arg)[0];
	struct arule *r = ((void **)arg)[1];
	int i;

	if ((i = rep_find(a, key)) >= 0 && !r->member[i]) {
		r->member[i] = 1;
		r->nmembers++;
	}
	return 0;
}

static int
add_closed(struct assigner *a, const char *s, size_t len)
{
	sqlite3_stmt *st;
	struct buf low = {0};
	size_t i;
	int rc;

	if ((st = db_prepare(a->db, "INSERT OR IGNORE INTO "
	    "temp.assign_closed VALUES (?1)")) == NULL)
		return -1;
	for (i = 0; i < len; i++)
		buf_addc(&low, tolower((unsigned char)s[i]));
	sqlite3_bind_text(st, 1, buf_str(&low), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	buf_free(&low);
	return rc == SQLITE_DONE ? 0 : db_fail(a->db, rc, "listing statuses");
}

/* The lead statuses that mean closed or qualified, from enums.csv. */
static int
load_closed(struct assigner *a, const char *dir)
{
	struct rtable *t;
	struct buf path = {0};
	const char *syn, *bar;
	size_t i;
	int ce, cv, cs, rc = 0;

	if (db_exec(a->db, "CREATE TEMP TABLE IF NOT EXISTS assign_closed "
	    "(status TEXT PRIMARY KEY)") < 0 ||
	    add_closed(a, "closed", 6) < 0 || add_closed(a, "qualified", 9) < 0)
		return -1;
	/* A rules directory of its own may leave the enums out. */
	buf_addf(&path, "%s/enums.csv", dir);
	if (access(buf_str(&path), F_OK) != 0) {
		buf_free(&path);
		return 0;
	}
	buf_free(&path);
	if ((t = rules_load(dir, "enums.csv")) == NULL)
		return -1;
	ce = rtable_need(t, "enum");
	cv = rtable_need(t, "value");
	cs = rtable_need(t, "synonyms");
	for (i = 0; i < t->nrows && ce >= 0 && cv >= 0 && cs >= 0; i++) {
		if (strcmp(rtable_get(t, i, ce), "status") != 0 ||
		    (strcmp(rtable_get(t, i, cv), "closed") != 0 &&
		    strcmp(rtable_get(t, i, cv), "qualified") != 0))
			continue;
		for (syn = rtable_get(t, i, cs); *syn != '\0' && rc == 0;
		    syn = *bar ? bar + 1 : bar) {
			if ((bar = strchr(syn, '|')) == NULL)
				bar = syn + strlen(syn);
			if (bar > syn)
				rc = add_closed(a, syn, (size_t)(bar - syn));
		}
	}
	rtable_free(t);
	return ce < 0 || cv < 0 || cs < 0 ? -1 : rc;
}

static struct assigner *
assigner_new(struct db *db, const char *dir, const struct assign_opts *opts)
{
	static const char *const lead_more[] = {"assign_rep", NULL};
	static const char *const rep_more[] = {"assign_lead", NULL};
	struct assigner *a;

	a = xcalloc(1, sizeof(*a));
	a->db = db;
	a->h = db_handle(db);
	a->opts = *opts;
	a->rep_index = hmap_new();
	a->lead_env = cond_env_new(a->h, "assign_lead", "id", lead_more);
	a->rep_env = cond_env_new(a->h, "assign_rep", "id", rep_more);
	tz_now(a->now);
	/*
	 * A big run rewrites many lead and log pages: with SQLite's 2 MiB
	 * default cache they spill to the WAL and are read back (5x the
	 * time on 100k leads).  32 MiB keeps them in memory.
	 */
	if (db_exec(db, "PRAGMA cache_size = -32768") < 0) {
		assign_free(a);
		return NULL;
	}
	if (opts->fmt == OUT_TEXT) {
		a->table = table_new("");
		table_col(a->table, "lead", _("lead id"), 0);
		table_col(a->table, "rep", _("rep"), 0);
		table_col(a->table, "rule", _("rule"), 0);
		table_col(a->table, "method", _("method"), 0);
		table_col(a->table, "reason", _("reason"), 0);
	}
	if (load_closed(a, dir) < 0 || load_reps(a) < 0 ||
	    load_lead_cols(a) < 0) {
		assign_free(a);
		return NULL;
	}
	return a;
}

/* Compile a rule's conditions and find its pool. */
static int
rule_init(struct assigner *a, struct arule *r)
{
	void *arg[2] = {a, r};

	r->lead = cond_compile(a->lead_env, r->lead_text, r->origin,
	    "lead condition");
	r->pool = cond_compile(a->rep_env, r->pool_text, r->origin,
	    "pool");
	if (r->lead == NULL || r->pool == NULL)
		return -1;
	r->member = xcalloc(a->nreps + 1, 1);
	r->cursor = -1;
	r->pool_desc = *r->pool_text == '\0' ? xstrdup("") :
	    xasprintf(" (%s)", r->pool_text);
	if (cond_each(r->pool, mark_member, arg) < 0)
		return -1;
	find_shown(a, r);
	return 0;
}

struct assigner *
assign_new(struct db *db, const char *dir, const struct assign_opts *opts)
{
	struct assigner *a;
	struct rtable *t;
	struct arule *r;
	struct buf origin = {0};
	size_t i, j;
	int cname, clead, cpool, cmethod, ccap, bad = 0;

	if ((t = rules_load(dir, "assign.csv")) == NULL)
		return NULL;
	cname = rtable_need(t, "name");
	clead = rtable_need(t, "lead");
	cpool = rtable_need(t, "pool");
	cmethod = rtable_need(t, "method");
	ccap = rtable_col(t, "cap");
	if (cname < 0 || clead < 0 || cpool < 0 || cmethod < 0) {
		rtable_free(t);
		return NULL;
	}
	if ((a = assigner_new(db, dir, opts)) == NULL) {
		rtable_free(t);
		return NULL;
	}
	a->rules = xcalloc(t->nrows + 1, sizeof(*a->rules));
	for (i = 0; i < t->nrows; i++) {
		const char *name = rtable_get(t, i, cname);
		const char *m = rtable_get(t, i, cmethod);
		const char *cap = rtable_get(t, i, ccap);
		char *end;

		r = &a->rules[a->nrules++];
		r->cap = -1;
		buf_reset(&origin);
		buf_addf(&origin, "%s:%ld", t->path, t->rows[i].line);
		r->origin = xstrdup(buf_str(&origin));
		r->name = xstrdup(name);
		r->lead_text = xstrdup(rtable_get(t, i, clead));
		r->pool_text = xstrdup(rtable_get(t, i, cpool));
		if (*name == '\0') {
			rtable_error(t, i, cname, "a rule needs a name");
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(a->rules[j].name, name) == 0)
				break;
		if (j < i) {
			rtable_error(t, i, cname, "rule '%s' is already on "
			    "line %ld", diag_val(name), t->rows[j].line);
			bad = 1;
			continue;
		}
		if ((r->method = assign_method_parse(m)) == AM_NONE) {
			rtable_error(t, i, cmethod, "unknown method '%s' "
			    "(round_robin, least_loaded, weighted or "
			    "nearest)", diag_val(m));
			bad = 1;
			continue;
		}
		if (*cap != '\0') {
			r->cap = strtoll(cap, &end, 10);
			if (*end != '\0' || r->cap < 0 || !isdigit(
			    (unsigned char)*cap)) {
				rtable_error(t, i, ccap, "cap '%s' is not a "
				    "number of open leads", diag_val(cap));
				bad = 1;
				continue;
			}
		}
		if (rule_init(a, r) < 0)
			bad = 1;
	}
	buf_free(&origin);
	rtable_free(t);
	if (bad) {
		assign_free(a);
		return NULL;
	}
	return a;
}

struct assigner *
assign_new_pool(struct db *db, const char *dir, const char *pool,
    const struct assign_opts *opts)
{
	struct assigner *a;
	struct arule *r;

	if ((a = assigner_new(db, dir, opts)) == NULL)
		return NULL;
	a->rules = xcalloc(1, sizeof(*a->rules));
	r = &a->rules[a->nrules++];
	r->name = xstrdup("--to-pool");
	r->origin = xstrdup("--to-pool");
	r->lead_text = xstrdup("");
	r->pool_text = xstrdup(pool);
	r->method = AM_LEAST_LOADED;
	r->cap = -1;
	if (rule_init(a, r) < 0) {
		assign_free(a);
		return NULL;
	}
	return a;
}

void
assign_free(struct assigner *a)
{
	size_t i;
	int j;

	if (a == NULL)
		return;
	for (i = 0; i < a->nrules; i++) {
		struct arule *r = &a->rules[i];

		cond_free(r->lead);
		cond_free(r->pool);
		free(r->name);
		free(r->origin);
		free(r->lead_text);
		free(r->pool_text);
		free(r->pool_desc);
		free(r->member);
		free(r->shown);
		free(r->wrr);
	}
	free(a->rules);
	for (i = 0; i < a->nreps; i++) {
		free(a->reps[i].id);
		free(a->reps[i].name);
		free(a->reps[i].code);
		free(a->reps[i].unit);
	}
	free(a->reps);
	for (j = 0; j < a->nlead_cols; j++)
		free(a->lead_cols[j]);
	free(a->lead_cols);
	hmap_free(a->rep_index);
	cond_env_free(a->lead_env);
	cond_env_free(a->rep_env);
	table_free(a->table);
	free(a);
}

/* " (tier = 'gold')" for the reason text, "" for every rep. */
static const char *
pool_desc(const struct arule *r)
{
	return r->pool_desc;
}

/* The cap that applies to rep under rule, or -1 for none. */
static int64_t
cap_of(const struct arule *r, const struct arep *p)
{
	if (r->cap >= 0 && (p->capacity < 0 || r->cap < p->capacity))
		return r->cap;
	return p->capacity;
}

/*
 * Can rep i take a lead under rule r?  When not, why goes to skip (if
 * not NULL): "inactive", "at capacity 2".
 */
static int
eligible(const struct arule *r, const struct arep *p, struct buf *skip)
{
	int64_t cap = cap_of(r, p);

	if (p->excluded) {
		if (skip != NULL)
			buf_addf(skip, "; %s skipped: %s", p->name,
			    p->excluded == 2 ? "reclaimed from them" :
			    "leaving");
		return 0;
	}
	if (!p->active) {
		if (skip != NULL)
			buf_addf(skip, "; %s skipped: inactive", p->name);
		return 0;
	}
	if (cap >= 0 && p->open_leads >= cap) {
		if (skip != NULL)
			buf_addf(skip, "; %s skipped: at capacity %lld",
			    p->name, (long long)cap);
		return 0;
	}
	return 1;
}

static int
load_cursor(struct assigner *a, struct arule *r)
{
	sqlite3_stmt *st;
	int rc, i;
	size_t k;

	r->cursor_loaded = 1;
	if ((st = db_prepare(a->db, "SELECT rep_id, seq, code FROM "
	    "assign_cursor WHERE rule = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct arep gone;

		memset(&gone, 0, sizeof(gone));
		gone.id = (char *)sqlite3_column_text(st, 0);
		if ((i = rep_find(a, gone.id)) >= 0)
			r->cursor = i;
		else {
			/* The rep is gone: resume after their place. */
			gone.has_seq = sqlite3_column_type(st, 1) !=
			    SQLITE_NULL;
			gone.seq = sqlite3_column_int64(st, 1);
			gone.code = (char *)sqlite3_column_text(st, 2);
			for (k = 0; k < a->nreps; k++)
				if (rep_cmp(&a->reps[k], &gone) < 0)
					r->cursor = (long)k;
		}
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(a->db, rc, "reading cursors");
}

/*
 * Round robin over the pool in rotation order: the rep after the one
 * who had the last lead, skipping (and naming) the ones who cannot
 * take it.  The cursor moves only to the rep who gets the lead.
 */
static int
pick_round_robin(struct assigner *a, struct arule *r, struct buf *why)
{
	struct buf skip = {0};
	size_t k, n = a->nreps;
	long i;

	if (!r->cursor_loaded && load_cursor(a, r) < 0)
		return -2;
	for (k = 1; k <= n; k++) {
		i = (long)((size_t)(r->cursor + (long)k + (long)n) % n);
		if (!r->member[i])
			continue;
		if (eligible(r, &a->reps[i], &skip)) {
			buf_addf(why, "round robin among %zu rep%s%s%s; "
			    "cursor \xe2\x86\x92 %s", r->nmembers, PL(r->nmembers), pool_desc(r),
			    buf_str(&skip), a->reps[i].name);
			r->cursor = i;
			r->cursor_dirty = 1;
			buf_free(&skip);
			return (int)i;
		}
	}
	buf_addf(why, "round robin among %zu rep%s%s%s", r->nmembers,
	    PL(r->nmembers), pool_desc(r), buf_str(&skip));
	buf_free(&skip);
	return -1;
}

/* Fewest open leads + deals; then longest since the last assignment. */
static int
pick_least_loaded(struct assigner *a, struct arule *r, struct buf *why)
{
	struct arep *p, *best = NULL;
	size_t i;
	int bi = -1;

	for (i = 0; i < a->nreps; i++) {
		p = &a->reps[i];
		if (!r->member[i] || !eligible(r, p, NULL))
			continue;
		if (best == NULL || p->open_leads + p->open_deals <
		    best->open_leads + best->open_deals ||
		    (p->open_leads + p->open_deals == best->open_leads +
		    best->open_deals && p->last < best->last)) {
			best = p;
			bi = (int)i;
		}
	}
	buf_addf(why, "least loaded among %zu rep%s%s", r->nmembers,
	    PL(r->nmembers), pool_desc(r));
	if (best != NULL)
		buf_addf(why, ": %s holds %lld open lead%s and %lld open "
		    "deal%s", best->name, (long long)best->open_leads,
		    PL(best->open_leads), (long long)best->open_deals,
		    PL(best->open_deals));
	else
		buf_adds(why, ": all inactive or at capacity");
	return bi;
}

static int
load_wrr(struct assigner *a, struct arule *r)
{
	sqlite3_stmt *st;
	int rc, i;

	r->wrr_loaded = 1;
	r->wrr = xcalloc(a->nreps + 1, sizeof(int64_t));
	if ((st = db_prepare(a->db, "SELECT rep_id, current FROM assign_wrr "
	    "WHERE rule = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((i = rep_find(a, (const char *)sqlite3_column_text(st,
		    0))) >= 0)
			r->wrr[i] = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(a->db, rc, "reading weights");
}

/*
 * Smooth weighted round robin: every eligible rep gains its weight,
 * the one with the most is chosen and pays back the total.  Over any
 * stretch of leads each rep's share follows its weight, interleaved.
 */
static int
pick_weighted(struct assigner *a, struct arule *r, struct buf *why)
{
	int64_t total = 0;
	size_t i;
	int best = -1;

	if (!r->wrr_loaded && load_wrr(a, r) < 0)
		return -2;
	for (i = 0; i < a->nreps; i++) {
		if (!r->member[i] || a->reps[i].weight <= 0 ||
		    !eligible(r, &a->reps[i], NULL))
			continue;
		r->wrr[i] += a->reps[i].weight;
		total += a->reps[i].weight;
		if (best < 0 || r->wrr[i] > r->wrr[best])
			best = (int)i;
	}
	buf_addf(why, "weighted round robin among %zu rep%s%s",
	    r->nmembers, PL(r->nmembers), pool_desc(r));
	if (best < 0) {
		buf_adds(why, ": all inactive, at capacity or of weight 0");
		return -1;
	}
	r->wrr[best] -= total;
	r->wrr_dirty = 1;
	buf_addf(why, ": %s weight %g of %g", a->reps[best].name,
	    (double)a->reps[best].weight / 1000.0, (double)total / 1000.0);
	return best;
}

static int
lead_position(struct assigner *a, const char *lead, double *lat,
    double *lon)
{
	sqlite3_stmt *st;
	int rc, have = 0;

	if ((st = db_prepare(a->db, "SELECT lat, lon FROM assign_lead WHERE "
	    "id = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		have = sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_type(st, 1) != SQLITE_NULL;
		*lat = sqlite3_column_double(st, 0);
		*lon = sqlite3_column_double(st, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(a->db, rc, "reading a lead");
	return have;
}

/* The eligible rep whose unit is nearest the customer (--radius). */
static int
pick_nearest(struct assigner *a, struct arule *r, const char *lead,
    struct buf *why)
{
	double lat = 0, lon = 0, d, bestd = 0;
	size_t i;
	int best = -1, rc;

	if ((rc = lead_position(a, lead, &lat, &lon)) < 0)
		return -2;
	buf_addf(why, "nearest of %zu rep%s", r->nmembers, PL(r->nmembers));
	if (rc == 0) {
		buf_adds(why, ": the customer has no coordinates");
		return -1;
	}
	for (i = 0; i < a->nreps; i++) {
		if (!r->member[i] || !a->reps[i].has_pos ||
		    !eligible(r, &a->reps[i], NULL))
			continue;
		d = geo_km(lat, lon, a->reps[i].lat, a->reps[i].lon);
		if (a->opts.radius_km > 0 && d > a->opts.radius_km)
			continue;
		if (best < 0 || d < bestd) {
			best = (int)i;
			bestd = d;
		}
	}
	if (best < 0) {
		if (a->opts.radius_km > 0)
			buf_addf(why, ": none active and below capacity "
			    "within %g km", a->opts.radius_km);
		else
			buf_adds(why, ": none active and below capacity "
			    "with a located unit");
		return -1;
	}
	buf_addf(why, ": %s at %s, %.3f km", a->reps[best].name,
	    a->reps[best].unit, bestd);
	return best;
}

/* "budget 800000, urgency high" for the columns a rule names. */
static int
explain_lead(struct assigner *a, const struct arule *r, const char *lead,
    struct buf *why)
{
	sqlite3_stmt *st;
	const unsigned char *v;
	size_t k;
	int rc;

	if (r->nshown == 0) {
		buf_adds(why, *r->lead_text == '\0' ? "every lead" :
		    r->lead_text);
		return 0;
	}
	if ((st = db_prepare(a->db, "SELECT * FROM assign_lead WHERE id = "
	    "?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < r->nshown; k++) {
			v = sqlite3_column_text(st, r->shown[k]);
			buf_addf(why, "%s%s %s", k > 0 ? ", " : "",
			    a->lead_cols[r->shown[k]], v != NULL ?
			    (const char *)v : "(none)");
		}
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(a->db, rc, "reading a lead");
	buf_addf(why, " (%s)", r->lead_text);
	return 0;
}

/*
 * Try the rules in order.  Returns the rep index (and *rule), -1 when
 * nobody takes the lead (why says what each matching rule found), -2
 * after reporting.
 */
static int
route(struct assigner *a, const char *lead, struct arule **rule,
    struct buf *why)
{
	struct buf step = {0}, misses = {0};
	struct arule *r;
	size_t i;
	int t, pick = -1;

	*rule = NULL;
	for (i = 0; i < a->nrules; i++) {
		r = &a->rules[i];
		if ((t = cond_test(r->lead, lead)) < 0) {
			pick = -2;
			break;
		}
		if (t == 0)
			continue;
		buf_reset(&step);
		switch (r->method) {
		case AM_ROUND_ROBIN:
			pick = pick_round_robin(a, r, &step);
			break;
		case AM_LEAST_LOADED:
			pick = pick_least_loaded(a, r, &step);
			break;
		case AM_WEIGHTED:
			pick = pick_weighted(a, r, &step);
			break;
		case AM_NEAREST:
			pick = pick_nearest(a, r, lead, &step);
			break;
		default:
			pick = -1;
			break;
		}
		if (pick == -2)
			break;
		if (pick >= 0) {
			*rule = r;
			if (explain_lead(a, r, lead, why) < 0) {
				pick = -2;
				break;
			}
			buf_addf(why, "; %s", buf_str(&step));
			if (misses.len > 0)
				buf_addf(why, "; before: %s",
				    buf_str(&misses));
			break;
		}
		buf_addf(&misses, "%s'%s': %s", misses.len > 0 ? "; " : "",
		    r->name, buf_str(&step));
	}
	if (pick == -1) {
		if (misses.len > 0)
			buf_addf(why, "no rep free: %s", buf_str(&misses));
		else
			buf_adds(why, "no rule matches this lead");
	}
	buf_free(&step);
	buf_free(&misses);
	return pick;
}

static void
json_set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

static void
emit(struct assigner *a, const char *lead, const char *from,
    const struct arep *p, const struct arule *r, const char *why)
{
	json_t *o;
	char *s;
	size_t row;

	if (a->opts.out == NULL)
		return;
	if (a->table != NULL) {
		row = table_row(a->table);
		table_text(a->table, row, 0, lead);
		table_text(a->table, row, 1, p != NULL ? p->name : "-");
		table_text(a->table, row, 2, r != NULL ? r->name : "-");
		table_text(a->table, row, 3, r != NULL ?
		    assign_method_name(r->method) : "-");
		table_text(a->table, row, 4, why);
		return;
	}
	o = json_object();
	json_set_str(o, "lead", lead);
	if (from != NULL)
		json_set_str(o, "from", from);
	json_set_str(o, "rep", p != NULL ? p->name : NULL);
	json_set_str(o, "rep_id", p != NULL ? p->id : NULL);
	json_set_str(o, "rule", r != NULL ? r->name : NULL);
	json_set_str(o, "method", r != NULL ?
	    assign_method_name(r->method) : NULL);
	json_set_str(o, "reason", why);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s == NULL)
		diag_fatal(SX_SYS, "out of memory");
	fprintf(a->opts.out, "%s\n", s);
	free(s);
	json_decref(o);
}

static void
flush_table(struct assigner *a)
{
	if (a->table == NULL || a->opts.out == NULL)
		return;
	table_write(a->opts.out, a->table, OUT_TEXT, 1);
	table_free(a->table);
	a->table = table_new("");
	table_col(a->table, "lead", _("lead id"), 0);
	table_col(a->table, "rep", _("rep"), 0);
	table_col(a->table, "rule", _("rule"), 0);
	table_col(a->table, "method", _("method"), 0);
	table_col(a->table, "reason", _("reason"), 0);
}

/*
 * Give lead to rep p: the lead's owner changes only if it is still
 * from (NULL: unassigned), so a lead is never taken twice.  1 done, 0
 * someone else had it first, -1 after reporting.
 */
static int
record(struct assigner *a, const char *lead, struct arep *from,
    struct arep *p, const struct arule *r, const char *why)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(a->db, from == NULL ?
	    "UPDATE lead SET rep_id = ?1 WHERE id = ?2 AND rep_id IS NULL" :
	    "UPDATE lead SET rep_id = ?1 WHERE id = ?2 AND rep_id = ?3");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lead, -1, SQLITE_STATIC);
	if (from != NULL)
		sqlite3_bind_text(st, 3, from->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(a->db, rc, "assigning a lead");
	if (sqlite3_changes(a->h) == 0)
		return 0;
	st = db_prepare(a->db, "INSERT INTO assignment (lead_id, rep_id, "
	    "from_rep, kind, rule, method, reason, at, run) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->id, -1, SQLITE_STATIC);
	if (from != NULL)
		sqlite3_bind_text(st, 3, from->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, from == NULL ? "assign" : "rebalance", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, assign_method_name(r->method), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 7, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, a->now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, a->run);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(a->db, rc, "logging an assignment");
	a->seqno = sqlite3_last_insert_rowid(a->h);
	p->last = a->seqno;
	p->open_leads++;
	if (from != NULL)
		from->open_leads--;
	return 1;
}

/* Route one lead and record the result; 0 or -1 after reporting. */
static int
assign_one(struct assigner *a, const char *lead, struct arep *from,
    struct assign_stats *stats)
{
	struct buf why = {0};
	struct arule *r;
	int i, rc = 0;

	stats->leads++;
	if (a->reclaiming)
		buf_addf(&why, "reclaimed from %s; ", from->name);
	i = route(a, lead, &r, &why);
	if (i == -2) {
		buf_free(&why);
		return -1;
	}
	if (i >= 0) {
		rc = record(a, lead, from, &a->reps[i], r, buf_str(&why));
		if (rc < 0) {
			buf_free(&why);
			return -1;
		}
		if (rc == 0) {
			/* Taken by another run since we listed it. */
			stats->leads--;
			buf_free(&why);
			return 0;
		}
		stats->assigned++;
		emit(a, lead, from ? from->name : NULL, &a->reps[i], r,
		    buf_str(&why));
	} else {
		stats->unassigned++;
		if (from != NULL && a->reclaiming)
			buf_adds(&why, "; back in the pool");
		else if (from != NULL)
			buf_addf(&why, "; stays with %s", from->name);
		emit(a, lead, from ? from->name : NULL, NULL, NULL,
		    buf_str(&why));
	}
	buf_free(&why);
	return 0;
}

/* The ids of the leads a query lists (bound to arg when not NULL). */
static char **
list_leads(struct assigner *a, const char *sql, const char *arg,
    size_t *n)
{
	sqlite3_stmt *st;
	char **ids = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if ((st = db_prepare(a->db, sql)) == NULL)
		return NULL;
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof(char *));
		}
		ids[(*n)++] = col_strdup(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(a->db, rc, "listing leads");
		while (*n > 0)
			free(ids[--(*n)]);
		free(ids);
		return NULL;
	}
	if (ids == NULL)
		ids = xcalloc(1, sizeof(char *));
	return ids;
}

static void
free_ids(char **ids, size_t n)
{
	while (n > 0)
		free(ids[--n]);
	free(ids);
}

/*
 * A lead named on input: 1 when it waits for a rep, 0 when it has one
 * or is closed (nothing to do), -1 after reporting an unknown lead.
 */
static int
still_open(struct assigner *a, const char *lead)
{
	sqlite3_stmt *st;
	int rc, open = 0;

	if ((st = db_prepare(a->db, "SELECT rep_id IS NULL AND " OPEN_LEAD
	    " FROM lead WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		open = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		diag_error(SX_DATA, NULL, "no lead '%s'", diag_val(lead));
		return -1;
	}
	if (rc != SQLITE_ROW)
		return db_fail(a->db, rc, "reading leads");
	return open;
}

int
assign_run(struct assigner *a, char *const *want, size_t nwant,
    struct assign_stats *stats)
{
	char **ids, *todo;
	size_t i, n;
	int rc = 0, open;

	memset(stats, 0, sizeof(*stats));
	if (want != NULL) {
		ids = xcalloc(nwant + 1, sizeof(char *));
		for (n = 0; n < nwant; n++)
			ids[n] = xstrdup(want[n]);
	} else if ((ids = list_leads(a, "SELECT id FROM lead WHERE rep_id IS "
	    "NULL AND " OPEN_LEAD " ORDER BY arrived_at IS NULL, arrived_at, "
	    "id", NULL, &n)) == NULL)
		return -1;
	/* Named leads: all must exist before any is routed. */
	todo = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		todo[i] = 1;
		if (want != NULL) {
			if ((open = still_open(a, ids[i])) < 0)
				rc = -1;
			todo[i] = open == 1;
		}
	}
	for (i = 0; i < n && rc == 0; i++)
		if (todo[i])
			rc = assign_one(a, ids[i], NULL, stats);
	free(todo);
	free_ids(ids, n);
	flush_table(a);
	return rc;
}

int
assign_rebalance(struct assigner *a, const char *who,
    struct assign_stats *stats)
{
	struct arep *from = NULL;
	char **ids;
	size_t i, n, matches = 0;
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	for (i = 0; i < a->nreps; i++) {
		struct arep *p = &a->reps[i];

		if (strcmp(p->id, who) == 0) {
			from = p;
			matches = 1;
			break;
		}
		if ((p->code != NULL && strcmp(p->code, who) == 0) ||
		    (p->name != NULL && strcmp(p->name, who) == 0)) {
			from = p;
			matches++;
		}
	}
	if (matches != 1) {
		diag_error(SX_DATA, NULL, matches == 0 ? "no rep '%s'" :
		    "rep name '%s' is ambiguous: give the id or code",
		    diag_val(who));
		return -1;
	}
	from->excluded = 1;
	if ((ids = list_leads(a, "SELECT id FROM lead WHERE rep_id = ?1 AND "
	    OPEN_LEAD " ORDER BY arrived_at IS NULL, arrived_at, id",
	    from->id, &n)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = assign_one(a, ids[i], from, stats);
	free_ids(ids, n);
	flush_table(a);
	return rc;
}

int
assign_reroute(struct assigner *a, const char *lead, const char *rep,
    struct assign_stats *stats)
{
	struct arep *from;
	long before;
	int i, rc;

	if ((i = rep_find(a, rep)) < 0) {
		diag_error(SX_DATA, NULL, "no rep '%s'", diag_val(rep));
		return -1;
	}
	from = &a->reps[i];
	from->excluded = 2;
	a->reclaiming = 1;
	before = stats->assigned;
	rc = assign_one(a, lead, from, stats);
	a->reclaiming = 0;
	from->excluded = 0;
	if (rc < 0)
		return -1;
	return stats->assigned > before;
}

void
assign_flush(struct assigner *a)
{
	flush_table(a);
}

int
assign_save(struct assigner *a)
{
	sqlite3_stmt *st;
	size_t i, k;
	int rc;

	for (i = 0; i < a->nrules; i++) {
		struct arule *r = &a->rules[i];

		if (r->cursor_dirty && r->cursor >= 0) {
			struct arep *p = &a->reps[r->cursor];

			if ((st = db_prepare(a->db, "INSERT OR REPLACE INTO "
			    "assign_cursor (rule, rep_id, seq, code, at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5)")) == NULL)
				return -1;
			sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, p->id, -1, SQLITE_STATIC);
			if (p->has_seq)
				sqlite3_bind_int64(st, 3, p->seq);
			if (p->code != NULL)
				sqlite3_bind_text(st, 4, p->code, -1,
				    SQLITE_STATIC);
			sqlite3_bind_text(st, 5, a->now, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return db_fail(a->db, rc, "saving a cursor");
		}
		if (!r->wrr_dirty)
			continue;
		for (k = 0; k < a->nreps; k++) {
			if (!r->member[k])
				continue;
			if ((st = db_prepare(a->db, "INSERT OR REPLACE INTO "
			    "assign_wrr (rule, rep_id, current) VALUES (?1, "
			    "?2, ?3)")) == NULL)
				return -1;
			sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, a->reps[k].id, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, r->wrr[k]);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return db_fail(a->db, rc, "saving weights");
		}
	}
	return 0;
}

int
assign_log(struct db *db, const char *lead, enum outfmt fmt, FILE *fp)
{
	sqlite3_stmt *st;
	struct table *t;
	size_t row;
	int rc, c;

	if (lead != NULL) {
		if ((st = db_prepare(db, "SELECT 1 FROM lead WHERE id = ?1")) ==
		    NULL)
			return -1;
		sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE) {
			diag_error(SX_DATA, NULL, "no lead '%s'",
			    diag_val(lead));
			return -1;
		}
		if (rc != SQLITE_ROW)
			return db_fail(db, rc, "reading leads");
	}
	st = db_prepare(db, "SELECT a.id, a.at, a.run, a.kind, a.lead_id, "
	    "f.name, r.name, a.rule, a.method, a.reason FROM assignment a "
	    "LEFT JOIN rep r ON r.id = a.rep_id LEFT JOIN rep f ON f.id = "
	    "a.from_rep WHERE ?1 IS NULL OR a.lead_id = ?1 ORDER BY a.id");
	if (st == NULL)
		return -1;
	if (lead != NULL)
		sqlite3_bind_text(st, 1, lead, -1, SQLITE_STATIC);
	t = table_new("");
	table_col(t, "id", "#", 1);
	table_col(t, "at", _("time"), 0);
	table_col(t, "run", _("run"), 1);
	table_col(t, "kind", _("kind"), 0);
	table_col(t, "lead", _("lead id"), 0);
	table_col(t, "from", _("previous rep"), 0);
	table_col(t, "rep", _("rep"), 0);
	table_col(t, "rule", _("rule"), 0);
	table_col(t, "method", _("method"), 0);
	table_col(t, "reason", _("reason"), 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = table_row(t);
		for (c = 0; c < 10; c++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL)
				continue;
			if (c == 0 || c == 2)
				table_int(t, row, (size_t)c,
				    sqlite3_column_int64(st, c));
			else
				table_text(t, row, (size_t)c, (const char *)
				    sqlite3_column_text(st, c));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		table_free(t);
		return db_fail(db, rc, "reading the assignment log");
	}
	table_write(fp, t, fmt, 1);
	table_free(t);
	return 0;
}

struct near {
	const char	*kind;
	char		*id, *name, *reps;
	double		 km;
};

static int
near_cmp(const void *va, const void *vb)
{
	const struct near *a = va, *b = vb;
	int c;

	if (a->km != b->km)
		return a->km < b->km ? -1 : 1;
	if ((c = strcmp(a->kind, b->kind)) != 0)
		return -c;	/* units before customers */
	return strcmp(a->id, b->id);
}

int
assign_near(struct db *db, const char *cust, double lat, double lon,
    double radius_km, enum outfmt fmt, FILE *fp)
{
	sqlite3_stmt *st;
	struct near *v = NULL;
	struct table *t;
	char *self = NULL;
	size_t n = 0, cap = 0, i, row;
	int rc, pass;

	if (cust != NULL) {
		if ((st = db_prepare(db, "SELECT id, lat, lon FROM customer "
		    "WHERE id = ?1 OR code = ?1 OR name = ?1 ORDER BY id = ?1 "
		    "DESC, code = ?1 DESC, id LIMIT 1")) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, cust, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && (sqlite3_column_type(st, 1) ==
		    SQLITE_NULL || sqlite3_column_type(st, 2) == SQLITE_NULL))
			rc = -1;
		else if (rc == SQLITE_ROW) {
			self = col_strdup(st, 0);
			lat = sqlite3_column_double(st, 1);
			lon = sqlite3_column_double(st, 2);
		}
		sqlite3_reset(st);
		if (rc == SQLITE_DONE || rc == -1) {
			diag_error(SX_DATA, NULL, rc == -1 ? "customer '%s' "
			    "has no coordinates" : "no customer '%s'",
			    diag_val(cust));
			return -1;
		}
		if (rc != SQLITE_ROW)
			return db_fail(db, rc, "reading customers");
	}
	for (pass = 0; pass < 2; pass++) {
		st = db_prepare(db, pass == 0 ? "SELECT u.id, u.name, "
		    "(SELECT group_concat(name, ',') FROM (SELECT r.name FROM "
		    "rep r WHERE r.active = 1 AND (r.unit = u.id OR r.unit = "
		    "u.name) ORDER BY r.seq IS NULL, r.seq, r.code, r.id)), "
		    "u.lat, u.lon FROM unit u WHERE u.lat IS NOT NULL AND "
		    "u.lon IS NOT NULL" : "SELECT c.id, c.name, NULL, c.lat, "
		    "c.lon FROM customer c WHERE c.lat IS NOT NULL AND c.lon "
		    "IS NOT NULL");
		if (st == NULL)
			goto fail;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			double d = geo_km(lat, lon,
			    sqlite3_column_double(st, 3),
			    sqlite3_column_double(st, 4));
			const char *id = (const char *)
			    sqlite3_column_text(st, 0);

			if (d > radius_km || (pass == 1 && self != NULL &&
			    strcmp(id, self) == 0))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n].kind = pass == 0 ? "unit" : "customer";
			v[n].id = col_strdup(st, 0);
			v[n].name = col_strdup(st, 1);
			v[n].reps = col_strdup(st, 2);
			v[n].km = d;
			n++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			db_fail(db, rc, "reading places");
			goto fail;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), near_cmp);
	t = table_new("");
	table_col(t, "kind", _("kind"), 0);
	table_col(t, "id", _("id"), 0);
	table_col(t, "name", _("name"), 0);
	table_col(t, "reps", _("reps"), 0);
	table_col(t, "metres", _("metres"), 1);
	for (i = 0; i < n; i++) {
		row = table_row(t);
		table_text(t, row, 0, v[i].kind);
		table_text(t, row, 1, v[i].id);
		table_text(t, row, 2, v[i].name);
		if (v[i].reps != NULL)
			table_text(t, row, 3, v[i].reps);
		table_int(t, row, 4, (int64_t)llround(v[i].km * 1000.0));
	}
	table_write(fp, t, fmt, 1);
	table_free(t);
	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].reps);
	}
	free(v);
	free(self);
	return 0;
fail:
	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].reps);
	}
	free(v);
	free(self);
	return -1;
}

char **
assign_read_ids(FILE *fp, const char *name, size_t *n)
{
	struct pos pos = {name, NULL, 0, 0};
	json_error_t jerr;
	json_t *o, *v;
	char **ids = NULL, *line = NULL;
	size_t cap = 0, lcap = 0;
	ssize_t len;
	int bad = 0;

	*n = 0;
	while ((len = getline(&line, &lcap, fp)) != -1) {
		pos.line++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if ((o = json_loads(line, 0, &jerr)) == NULL) {
			pos.col = jerr.column;
			diag_error(SX_DATA, &pos, "%s", jerr.text);
			bad = 1;
			continue;
		}
		if ((v = json_object_get(o, "lead")) == NULL ||
		    json_is_null(v))
			v = json_object_get(o, "id");
		if (!json_is_string(v)) {
			pos.col = 0;
			diag_error(SX_DATA, &pos, "no lead id: a line needs "
			    "\"lead\" or \"id\" with a string");
			bad = 1;
		} else {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				ids = xrealloc(ids, cap * sizeof(char *));
			}
			ids[(*n)++] = xstrdup(json_string_value(v));
		}
		json_decref(o);
	}
	free(line);
	if (ferror(fp)) {
		diag_syserr(&pos, "read error");
		bad = 1;
	}
	if (bad) {
		free_ids(ids, *n);
		*n = 0;
		return NULL;
	}
	if (ids == NULL)
		ids = xcalloc(1, sizeof(char *));
	return ids;
}
