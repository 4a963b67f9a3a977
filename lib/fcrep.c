/*
 * The verbs of sales-forecast (fcrep.h): forecast.h computes, this
 * file prints and stores.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "csvout.h"
#include "db.h"
#include "diag.h"
#include "fcrep.h"
#include "forecast.h"
#include "hmap.h"
#include "outfile.h"
#include "xalloc.h"
#include "xldate.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

static json_t *
json_day(long day)
{
	char s[CIVIL_TEXT_MAX];
	struct civil c;

	if (day < 0)
		return json_null();
	memset(&c, 0, sizeof(c));
	civil_from_days(day, &c.y, &c.m, &c.d);
	civil_format(s, &c, 0);
	return json_string(s);
}

static json_t *
json_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static const char *
state_name(enum fc_state s)
{
	switch (s) {
	case FC_WON:
		return "won";
	case FC_LOST:
		return "lost";
	case FC_CANCELLED:
		return "cancelled";
	case FC_ABSENT:
		return "absent";
	case FC_OPEN:
		break;
	}
	return "open";
}

/* The JSON line of one deal (sales-forecast(1) documents the keys). */
static json_t *
deal_json(struct fc_ctx *c, const struct fc_deal *x, const struct fc_result *r,
    long day)
{
	const struct fc_model *m = c->m;
	json_t *o, *met, *miss, *caps, *dl, *dc, *warn;
	char *words;
	size_t i;

	o = json_object();
	json_object_set_new(o, "deal", json_string(x->id));
	json_object_set_new(o, "name", json_str(x->name));
	json_object_set_new(o, "rep", json_str(x->rep));
	json_object_set_new(o, "region", json_str(x->region));
	json_object_set_new(o, "stage", json_str(fc_stage_at(x, day)));
	json_object_set_new(o, "state", json_string(state_name(r->state)));
	json_object_set_new(o, "as_of", json_day(day));
	json_object_set_new(o, "probability", json_integer(r->probability));
	json_object_set_new(o, "amount_fen", json_integer(x->amount_fen));
	json_object_set_new(o, "expected_fen", json_integer(r->expected_fen));
	met = json_array();
	miss = json_array();
	caps = json_array();
	dl = json_array();
	dc = json_array();
	warn = json_array();
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		const struct fc_step *s = &r->steps[i];
		json_t *e;

		if (u->kind == FC_MILESTONE) {
			e = json_object();
			json_object_set_new(
			    e, "milestone", json_string(u->name));
			json_object_set_new(e, "type", json_string(u->type));
			json_object_set_new(
			    e, "weight", json_integer(lround(u->value)));
			if (s->hit)
				json_object_set_new(e, "on", json_day(s->on));
			json_array_append_new(s->hit ? met : miss, e);
		} else if (u->kind == FC_CAP && s->hit && r->state == FC_OPEN) {
			e = json_object();
			json_object_set_new(e, "rule", json_string(u->name));
			json_object_set_new(
			    e, "at_most", json_integer(lround(u->value)));
			json_array_append_new(caps, e);
		} else if ((u->kind == FC_DEADLINE || u->kind == FC_DECAY) &&
		    s->due >= 0 && r->state == FC_OPEN) {
			e = json_object();
			json_object_set_new(e, "rule", json_string(u->name));
			json_object_set_new(e, "type", json_string(u->type));
			json_object_set_new(e, "after", json_day(s->on));
			json_object_set_new(e, "due", json_day(s->due));
			json_object_set_new(e, "applied", json_boolean(s->hit));
			if (u->kind == FC_DEADLINE) {
				json_object_set_new(e, "left",
				    s->pending ? json_integer(s->left)
					       : json_null());
				json_object_set_new(
				    e, "to", json_integer(lround(u->value)));
			} else
				json_object_set_new(
				    e, "minus", json_integer(lround(u->value)));
			json_array_append_new(
			    u->kind == FC_DEADLINE ? dl : dc, e);
		}
	}
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		const struct fc_step *s = &r->steps[i];
		char *w;

		if (u->kind != FC_DEADLINE || !s->pending ||
		    r->state != FC_OPEN)
			continue;
		w = fc_warning(u, s, c->zh);
		json_array_append_new(warn, json_string(w));
		free(w);
	}
	json_object_set_new(o, "met", met);
	json_object_set_new(o, "missing", miss);
	json_object_set_new(o, "caps", caps);
	json_object_set_new(o, "deadlines", dl);
	json_object_set_new(o, "decays", dc);
	json_object_set_new(o, "warnings", warn);
	words = fc_explain(m, x, r, day, c->zh);
	json_object_set_new(o, "basis", json_string(words));
	free(words);
	return o;
}

static void
print_json(FILE *fp, json_t *o)
{
	char *s = json_dumps(o, JSON_FLAGS);

	fputs(s, fp);
	fputc('\n', fp);
	free(s);
	json_decref(o);
}

struct group {
	struct hmap *ix;
	struct table *t;
};

static void
group_add(struct group *g, const char *key, const struct fc_deal *x,
    const struct fc_result *r)
{
	intptr_t row;
	size_t i;

	if (key == NULL)
		key = "";
	if (!hmap_get(g->ix, key, strlen(key), &row)) {
		row = (intptr_t)table_row(g->t);
		table_text(g->t, row, 0, key);
		for (i = 1; i < 4; i++)
			g->t->cells[row * g->t->ncols + i].type =
			    i == 1 ? TC_INT : TC_MONEY;
		hmap_put(g->ix, key, strlen(key), row);
	}
	g->t->cells[row * g->t->ncols + 1].i++;
	g->t->cells[row * g->t->ncols + 2].i += x->amount_fen;
	g->t->cells[row * g->t->ncols + 3].i += r->expected_fen;
}

static int
cmp_rows(const void *a, const void *b)
{
	const struct tcell *x = a, *y = b;

	return strcmp(x->s != NULL ? x->s : "", y->s != NULL ? y->s : "");
}

static void
group_write(FILE *fp, struct group *g, enum outfmt f, int header)
{
	struct table *t = g->t;
	int64_t sum[4] = {0};
	size_t i, row;

	qsort(t->cells, t->nrows, t->ncols * sizeof(*t->cells), cmp_rows);
	for (i = 0; i < t->nrows; i++)
		for (row = 1; row < 4; row++)
			sum[row] += t->cells[i * t->ncols + row].i;
	table_totals(t);
	row = table_row(t);
	table_text(t, row, 0, "total");
	table_int(t, row, 1, sum[1]);
	table_money(t, row, 2, sum[2]);
	table_money(t, row, 3, sum[3]);
	table_write(fp, t, f, header);
}

static struct group
group_new(const char *title, const char *key, const char *label)
{
	struct group g;

	g.ix = hmap_new();
	g.t = table_new(title);
	table_col(g.t, key, label, 0);
	table_col(g.t, "deals", "deals", 1);
	table_money_col(g.t, "pipeline", "pipeline");
	table_money_col(g.t, "weighted", "weighted");
	return g;
}

int
fcrep_run(FILE *fp, struct fc_ctx *c, long asof, enum outfmt f)
{
	struct fc_result r;
	struct group byrep, byreg;
	size_t i;

	r.steps = xcalloc(c->m->nrules + 1, sizeof(*r.steps));
	if (f != OUT_JSONL) {
		byrep = group_new("Forecast by rep", "rep", "rep");
		byreg = group_new("Forecast by region", "region", "region");
	}
	for (i = 0; i < c->d->ndeals; i++) {
		const struct fc_deal *x = &c->d->deals[i];

		fc_eval(c->m, c->cal, x, asof, &r);
		/* A cancelled order whose stage still says open is shown. */
		if (r.state != FC_OPEN && r.state != FC_CANCELLED)
			continue;
		if (f == OUT_JSONL)
			print_json(fp, deal_json(c, x, &r, asof));
		else {
			group_add(&byrep, x->rep, x, &r);
			group_add(&byreg, x->region, x, &r);
		}
	}
	if (f != OUT_JSONL) {
		group_write(fp, &byrep, f, 1);
		fputc('\n', fp);
		group_write(fp, &byreg, f, 1);
		hmap_free(byrep.ix);
		hmap_free(byreg.ix);
		table_free(byrep.t);
		table_free(byreg.t);
	}
	free(r.steps);
	return 0;
}

static const struct fc_deal *
find_deal(struct fc_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->d->ndeals; i++)
		if (strcmp(c->d->deals[i].id, id) == 0)
			return &c->d->deals[i];
	diag_error(SX_DATA, NULL, "no deal '%s' in the store", diag_val(id));
	return NULL;
}

int
fcrep_explain(FILE *fp, struct fc_ctx *c, const char *id, long asof)
{
	const struct fc_deal *x;
	struct fc_result r;
	char *words;
	size_t i;

	if ((x = find_deal(c, id)) == NULL)
		return -1;
	r.steps = xcalloc(c->m->nrules + 1, sizeof(*r.steps));
	fc_eval(c->m, c->cal, x, asof, &r);
	words = fc_explain(c->m, x, &r, asof, c->zh);
	fprintf(fp, "%s: %s\n", x->id, words);
	free(words);
	for (i = 0; i < c->m->nrules && r.state == FC_OPEN; i++) {
		const struct fc_rule *u = &c->m->rules[i];

		if (u->kind == FC_MILESTONE)
			fprintf(fp, "  %s %-12s %+4ld  %s\n",
			    r.steps[i].hit ? "[x]" : "[ ]", u->name,
			    lround(u->value), c->zh ? u->zh : u->en);
	}
	free(r.steps);
	return 0;
}

int
fcrep_snapshot(FILE *fp, struct fc_ctx *c, long asof)
{
	struct fc_result r;
	sqlite3_stmt *st;
	json_t *o, *sum;
	char *basis;
	long n = 0, inserted = 0;
	size_t i;
	int rc = 0;

	r.steps = xcalloc(c->m->nrules + 1, sizeof(*r.steps));
	if (db_begin(c->db) < 0) {
		free(r.steps);
		return -1;
	}
	st = db_prepare(c->db,
	    "INSERT OR IGNORE INTO forecast (as_of, rules,"
	    " deal_id, probability, amount_fen, expected_fen, basis)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)");
	for (i = 0; st != NULL && i < c->d->ndeals; i++) {
		const struct fc_deal *x = &c->d->deals[i];
		json_t *day;

		fc_eval(c->m, c->cal, x, asof, &r);
		/* A cancelled order whose stage still says open is shown. */
		if (r.state != FC_OPEN && r.state != FC_CANCELLED)
			continue;
		o = deal_json(c, x, &r, asof);
		basis = json_dumps(o, JSON_FLAGS);
		day = json_day(asof);
		sqlite3_bind_text(
		    st, 1, json_string_value(day), -1, SQLITE_TRANSIENT);
		json_decref(day);
		sqlite3_bind_text(st, 2, c->m->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, x->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, r.probability);
		sqlite3_bind_int64(st, 5, x->amount_fen);
		sqlite3_bind_int64(st, 6, r.expected_fen);
		sqlite3_bind_text(st, 7, basis, -1, SQLITE_TRANSIENT);
		free(basis);
		json_decref(o);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			db_fail(c->db, rc, "storing the forecast");
			break;
		}
		inserted += sqlite3_changes(db_handle(c->db));
		sqlite3_reset(st);
		n++;
		rc = 0;
	}
	free(r.steps);
	if (st == NULL || rc != 0) {
		db_rollback(c->db);
		return -1;
	}
	if (db_commit(c->db) < 0)
		return -1;
	sum = json_object();
	json_object_set_new(sum, "as_of", json_day(asof));
	json_object_set_new(sum, "rules", json_string(c->m->version));
	json_object_set_new(sum, "deals", json_integer(n));
	json_object_set_new(sum, "inserted", json_integer(inserted));
	json_object_set_new(sum, "unchanged", json_integer(n - inserted));
	print_json(fp, sum);
	return 0;
}

static long
first_created(const struct fc_data *d, long today)
{
	long from = today;
	size_t i;

	for (i = 0; i < d->ndeals; i++)
		if (d->deals[i].created >= 0 && d->deals[i].created < from)
			from = d->deals[i].created;
	return from;
}

static json_t *
json_round(double v, double unit)
{
	return json_real(round(v / unit) * unit);
}

/* One line of forecast against collections for a month and a key. */
static void
month_line(FILE *fp, struct fc_ctx *c, const char *level, const char *key,
    int by_region, long first, long last, const char *month)
{
	double fc, acc;
	int64_t act;
	json_t *o;

	fc_month(c->m, c->cal, c->d, first, last, key, by_region, &fc, &act);
	if (key != NULL && fc == 0 && act == 0)
		return;
	o = json_object();
	json_object_set_new(o, "kind", json_string(level));
	if (key != NULL)
		json_object_set_new(o, level, json_string(key));
	json_object_set_new(o, "month", json_string(month));
	json_object_set_new(o, "forecast_fen", json_integer(llround(fc)));
	json_object_set_new(o, "actual_fen", json_integer(act));
	acc = fc_accuracy(fc, act);
	json_object_set_new(o, "error_pct",
	    act != 0 ? json_round((fc - (double)act) * 100 / (double)act, 0.1)
		     : json_null());
	json_object_set_new(
	    o, "accuracy", acc >= 0 ? json_round(acc, 0.001) : json_null());
	print_json(fp, o);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct reps (or regions) of deals and payments, sorted. */
static char **
keys_of(const struct fc_data *d, int by_region, size_t *n)
{
	struct hmap *seen = hmap_new();
	char **k = NULL;
	size_t i, cap = 0;
	intptr_t v;

	*n = 0;
	for (i = 0; i < d->ndeals + d->npays; i++) {
		const char *s = i < d->ndeals
		    ? (by_region ? d->deals[i].region : d->deals[i].rep)
		    : (by_region ? d->pays[i - d->ndeals].region
				 : d->pays[i - d->ndeals].rep);

		if (s == NULL || hmap_get(seen, s, strlen(s), &v))
			continue;
		hmap_put(seen, s, strlen(s), 1);
		k = xgrow(k, &cap, *n + 1, sizeof(*k));
		k[(*n)++] = xstrdup(s);
	}
	hmap_free(seen);
	if (*n > 1)
		qsort(k, *n, sizeof(*k), cmp_str);
	return k;
}

int
fcrep_backtest(FILE *fp, struct fc_ctx *c, long from, long to)
{
	struct fc_backtest bt;
	char month[16];
	char **keys;
	json_t *o;
	size_t i, nk;
	int y, mo, dd, level;

	if (from < 0)
		from = first_created(c->d, c->today);
	if (to < 0)
		to = c->today;
	if (fc_backtest_run(c->m, c->cal, c->d, from, to, c->today, &bt) < 0) {
		diag_error(SX_DATA, NULL,
		    "backtest: no closed deal was open "
		    "on a Monday between the dates given");
		return -1;
	}
	o = json_object();
	json_object_set_new(o, "kind", json_string("score"));
	json_object_set_new(o, "from", json_day(from));
	json_object_set_new(o, "to", json_day(to));
	json_object_set_new(o, "rules", json_string(c->m->version));
	json_object_set_new(o, "weeks", json_integer(bt.weeks));
	json_object_set_new(o, "deals", json_integer(bt.deals));
	json_object_set_new(o, "samples", json_integer((json_int_t)bt.ns));
	json_object_set_new(o, "brier", json_round(bt.brier, 0.0001));
	print_json(fp, o);
	for (i = 0; i < 10; i++) {
		char b[16];

		if (bt.buckets[i].n == 0)
			continue;
		snprintf(
		    b, sizeof(b), "%zu-%zu", i * 10, i == 9 ? 100 : i * 10 + 9);
		o = json_object();
		json_object_set_new(o, "kind", json_string("calibration"));
		json_object_set_new(o, "bucket", json_string(b));
		json_object_set_new(
		    o, "samples", json_integer(bt.buckets[i].n));
		json_object_set_new(o, "predicted",
		    json_round(
			bt.buckets[i].psum / (double)bt.buckets[i].n, 0.001));
		json_object_set_new(o, "actual",
		    json_round(
			(double)bt.buckets[i].won / (double)bt.buckets[i].n,
			0.001));
		print_json(fp, o);
	}
	fc_backtest_clear(&bt);
	for (level = 0; level < 3; level++) {
		keys = level > 0 ? keys_of(c->d, level == 2, &nk) : NULL;
		if (level == 0)
			nk = 1;
		for (i = 0; i < nk; i++) {
			civil_from_days(from, &y, &mo, &dd);
			for (;;) {
				long first = days_from_civil(y, mo, 1), last;

				if (first > to)
					break;
				if (++mo > 12) {
					mo = 1;
					y++;
				}
				last = days_from_civil(y, mo, 1) - 1;
				civil_from_days(first, &y, &mo, &dd);
				snprintf(month, sizeof(month), "%04d-%02d",
				    y % 10000, mo % 100);
				month_line(fp, c,
				    level == 0       ? "month"
					: level == 1 ? "rep"
						     : "region",
				    level > 0 ? keys[i] : NULL, level == 2,
				    first, last, month);
				civil_from_days(last + 1, &y, &mo, &dd);
			}
		}
		for (i = 0; level > 0 && i < nk; i++)
			free(keys[i]);
		free(keys);
	}
	return 0;
}

static int
write_rules(const struct fc_model *m, const double *w, const char *path)
{
	static const char *const kind[] = {
	    "milestone", "cap", "deadline", "decay", "cancel"};
	struct outfile *of;
	char days[16], value[32];
	size_t i;
	FILE *fp;

	if ((of = outfile_open(path)) == NULL)
		return -1;
	fp = outfile_fp(of);
	fputs("# Forecast rules with milestone weights fitted by "
	      "sales-forecast fit.\n",
	    fp);
	fputs("kind,name,type,after,days,value,zh,en\n", fp);
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		const char *f[8];

		snprintf(days, sizeof(days), "%d", u->days);
		snprintf(value, sizeof(value), "%g",
		    u->kind == FC_MILESTONE ? w[i] : u->value);
		f[0] = kind[u->kind];
		f[1] = u->name;
		f[2] = u->type;
		f[3] = u->after != NULL ? u->after : "";
		f[4] = u->days > 0 ? days : "";
		f[5] = value;
		f[6] = u->zh;
		f[7] = u->en;
		csv_line(fp, f, 8, 0);
	}
	return outfile_close(of, 1);
}

int
fcrep_fit(FILE *fp, struct fc_ctx *c, long from, long to, const char *write)
{
	struct fc_backtest bt, bt2;
	double *w, *old;
	json_t *o;
	size_t i;
	int rc = -1;

	if (from < 0)
		from = first_created(c->d, c->today);
	if (to < 0)
		to = c->today;
	if (fc_backtest_run(c->m, c->cal, c->d, from, to, c->today, &bt) < 0) {
		diag_error(SX_DATA, NULL,
		    "fit: no closed deal was open on a "
		    "Monday between the dates given");
		return -1;
	}
	w = xcalloc(c->m->nrules + 1, sizeof(*w));
	old = xcalloc(c->m->nrules + 1, sizeof(*old));
	if (fc_fit(c->m, c->d, &bt, w) < 0) {
		diag_error(SX_DATA, NULL,
		    "fit: the history cannot tell the "
		    "milestones apart (too few closed deals)");
		goto out;
	}
	for (i = 0; i < c->m->nrules; i++) {
		old[i] = c->m->rules[i].value;
		if (c->m->rules[i].kind == FC_MILESTONE)
			c->m->rules[i].value = w[i];
	}
	fc_model_stamp(c->m);
	fc_backtest_run(c->m, c->cal, c->d, from, to, c->today, &bt2);
	for (i = 0; i < c->m->nrules; i++) {
		if (c->m->rules[i].kind != FC_MILESTONE)
			continue;
		o = json_object();
		json_object_set_new(o, "kind", json_string("weight"));
		json_object_set_new(
		    o, "milestone", json_string(c->m->rules[i].name));
		json_object_set_new(
		    o, "type", json_string(c->m->rules[i].type));
		json_object_set_new(
		    o, "configured", json_integer(lround(old[i])));
		json_object_set_new(o, "fitted", json_integer(lround(w[i])));
		print_json(fp, o);
	}
	o = json_object();
	json_object_set_new(o, "kind", json_string("brier"));
	json_object_set_new(o, "samples", json_integer((json_int_t)bt.ns));
	json_object_set_new(o, "configured", json_round(bt.brier, 0.0001));
	json_object_set_new(o, "fitted", json_round(bt2.brier, 0.0001));
	print_json(fp, o);
	fc_backtest_clear(&bt2);
	rc = write != NULL ? write_rules(c->m, w, write) : 0;
out:
	fc_backtest_clear(&bt);
	free(old);
	free(w);
	return rc;
}
