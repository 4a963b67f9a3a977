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

#include "buf.h"
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

static void
add_str(struct buf *b, const char *key, const char *v)
{
	buf_addc(b, '"');
	buf_adds(b, key);
	buf_adds(b, "\":");
	if (v == NULL)
		buf_adds(b, "null");
	else
		buf_add_json(b, v, strlen(v));
}

static void
add_day(struct buf *b, const char *key, long day)
{
	char t[16];
	int y, m, d;

	if (day < 0) {
		buf_addf(b, "\"%s\":null", key);
		return;
	}
	civil_from_days(day, &y, &m, &d);
	/* By hand: printf was a fifth of a 100k-deal forecast. */
	y = y < 0 ? 0 : y % 10000;
	t[0] = '"';
	t[1] = (char)('0' + y / 1000);
	t[2] = (char)('0' + y / 100 % 10);
	t[3] = (char)('0' + y / 10 % 10);
	t[4] = (char)('0' + y % 10);
	t[5] = '-';
	t[6] = (char)('0' + m / 10);
	t[7] = (char)('0' + m % 10);
	t[8] = '-';
	t[9] = (char)('0' + d / 10);
	t[10] = (char)('0' + d % 10);
	t[11] = '"';
	buf_addc(b, '"');
	buf_adds(b, key);
	buf_adds(b, "\":");
	buf_add(b, t, 12);
}

/*
 * The JSON line of one deal (sales-forecast(1) documents the keys),
 * written by hand into b: jansson's objects were most of the time of a
 * 100k-deal forecast.
 */
static void
deal_line(struct buf *b, struct fc_ctx *c, const struct fc_deal *x,
    const struct fc_result *r, long day)
{
	static const char *const lists[] = {
	    "met", "missing", "caps", "deadlines", "decays"};
	const struct fc_model *m = c->m;
	char *words, *w;
	size_t i, l;
	int n;

	buf_addc(b, '{');
	add_str(b, "deal", x->id);
	buf_addc(b, ',');
	add_str(b, "name", x->name);
	buf_addc(b, ',');
	add_str(b, "rep", x->rep);
	buf_addc(b, ',');
	add_str(b, "region", x->region);
	buf_addc(b, ',');
	add_str(b, "stage", fc_stage_at(x, day));
	buf_addc(b, ',');
	add_str(b, "state", state_name(r->state));
	buf_addc(b, ',');
	add_day(b, "as_of", day);
	buf_addf(b, ",\"probability\":%d,\"amount_fen\":%lld,"
	    "\"expected_fen\":%lld", r->probability, (long long)x->amount_fen,
	    (long long)r->expected_fen);
	for (l = 0; l < 5; l++) {
		buf_addf(b, ",\"%s\":[", lists[l]);
		n = 0;
		for (i = 0; i < m->nrules; i++) {
			const struct fc_rule *u = &m->rules[i];
			const struct fc_step *s = &r->steps[i];
			int open = r->state == FC_OPEN;

			if ((l == 0 || l == 1) && u->kind == FC_MILESTONE &&
			    s->hit == (l == 0)) {
				buf_adds(b, n++ ? ",{" : "{");
				add_str(b, "milestone", u->name);
				buf_addc(b, ',');
				add_str(b, "type", u->type);
				buf_addf(b, ",\"weight\":%ld", lround(u->value));
				if (s->hit) {
					buf_addc(b, ',');
					add_day(b, "on", s->on);
				}
				buf_addc(b, '}');
			} else if (l == 2 && u->kind == FC_CAP && s->hit &&
			    open) {
				buf_adds(b, n++ ? ",{" : "{");
				add_str(b, "rule", u->name);
				buf_addf(b, ",\"at_most\":%ld}", lround(u->value));
			} else if (((l == 3 && u->kind == FC_DEADLINE) ||
			    (l == 4 && u->kind == FC_DECAY)) && s->due >= 0 &&
			    open) {
				buf_adds(b, n++ ? ",{" : "{");
				add_str(b, "rule", u->name);
				buf_addc(b, ',');
				add_str(b, "type", u->type);
				buf_addc(b, ',');
				add_day(b, "after", s->on);
				buf_addc(b, ',');
				add_day(b, "due", s->due);
				buf_addf(b, ",\"applied\":%s",
				    s->hit ? "true" : "false");
				if (l == 3 && s->pending)
					buf_addf(b, ",\"left\":%ld", s->left);
				else if (l == 3)
					buf_adds(b, ",\"left\":null");
				buf_addf(b, ",\"%s\":%ld}", l == 3 ? "to" :
				    "minus", lround(u->value));
			}
		}
		buf_addc(b, ']');
	}
	buf_adds(b, ",\"warnings\":[");
	n = 0;
	for (i = 0; i < m->nrules; i++) {
		if (m->rules[i].kind != FC_DEADLINE || !r->steps[i].pending ||
		    r->state != FC_OPEN)
			continue;
		w = fc_warning(&m->rules[i], &r->steps[i], c->zh);
		if (n++)
			buf_addc(b, ',');
		buf_add_json(b, w, strlen(w));
		free(w);
	}
	if (x->no_rate != NULL) {
		w = xasprintf(c->zh ? "金额的币种 %s 在 fx.csv 中没有汇率,"
		    "按 0 计" : "the amount is in %s, which fx.csv has no rate"
		    " for: counted as 0", x->no_rate);
		if (n++)
			buf_addc(b, ',');
		buf_add_json(b, w, strlen(w));
		free(w);
	}
	buf_adds(b, "],");
	words = fc_explain(m, x, r, day, c->zh);
	add_str(b, "basis", words);
	free(words);
	buf_addc(b, '}');
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
	struct buf line = {0};
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
		if (f == OUT_JSONL) {
			buf_reset(&line);
			deal_line(&line, c, x, &r, asof);
			buf_addc(&line, '\n');
			fwrite(line.s, 1, line.len, fp);
		}
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
	buf_free(&line);
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
	json_t *sum, *day = json_day(asof);
	struct buf basis = {0};
	long n = 0, inserted = 0;
	size_t i;
	int rc = 0;

	r.steps = xcalloc(c->m->nrules + 1, sizeof(*r.steps));
	if (db_begin(c->db) < 0) {
		json_decref(day);
		free(r.steps);
		return -1;
	}
	/*
	 * The amounts in the deal's own currency (sales-db(5)): reports
	 * convert them at their day's rates, so a new rate is no change
	 * of amount.  expected_fen is the deal's expected yuan of the
	 * same rounding, as the deal's currency has it.
	 */
	st = db_prepare(c->db,
	    "INSERT OR IGNORE INTO forecast (as_of, rules,"
	    " deal_id, probability, amount_fen, expected_fen, basis, currency)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	for (i = 0; st != NULL && i < c->d->ndeals; i++) {
		const struct fc_deal *x = &c->d->deals[i];

		fc_eval(c->m, c->cal, x, asof, &r);
		/* A cancelled order whose stage still says open is shown. */
		if (r.state != FC_OPEN && r.state != FC_CANCELLED)
			continue;
		buf_reset(&basis);
		deal_line(&basis, c, x, &r, asof);
		sqlite3_bind_text(st, 1, json_string_value(day), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->m->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, x->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, r.probability);
		sqlite3_bind_int64(st, 5, x->native_fen);
		sqlite3_bind_int64(st, 6, fc_expected(x->native_fen, &r));
		sqlite3_bind_text(st, 7, basis.s, (int)basis.len,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 8, x->currency, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
			db_fail(c->db, rc, "storing the forecast");
			break;
		}
		inserted += sqlite3_changes(db_handle(c->db));
		sqlite3_reset(st);
		n++;
		rc = 0;
	}
	json_decref(day);
	buf_free(&basis);
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
month_line(FILE *fp, const char *level, const char *key, const char *month,
    double fc, int64_t act)
{
	double acc;
	json_t *o;

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
	json_object_set_new(o, "error_pct", act != 0 ?
	    json_round((fc - (double)act) * 100 / (double)act, 0.1) :
	    json_null());
	json_object_set_new(o, "accuracy", acc >= 0 ? json_round(acc, 0.001) :
	    json_null());
	print_json(fp, o);
}

static char **keys_of(const struct fc_data *, int, size_t *);

/*
 * Forecast against collections per month, then per rep and per region
 * (key-major): one pass over the deals per month and level.
 */
static void
collections(FILE *fp, struct fc_ctx *c, long from, long to)
{
	static const char *const level[] = {"month", "rep", "region"};
	long *first = NULL, *last = NULL;
	size_t nm = 0, cap = 0, capl = 0, i, j, nk;
	char month[16];
	char **keys;
	double *fc;
	int64_t *act;
	int y, mo, dd, l;

	civil_from_days(from, &y, &mo, &dd);
	for (;;) {
		long f = days_from_civil(y, mo, 1);

		if (f > to)
			break;
		if (++mo > 12) {
			mo = 1;
			y++;
		}
		first = xgrow(first, &cap, nm + 1, sizeof(*first));
		last = xgrow(last, &capl, nm + 1, sizeof(*last));
		first[nm] = f;
		last[nm++] = days_from_civil(y, mo, 1) - 1;
	}
	for (l = 0; l < 3; l++) {
		keys = l > 0 ? keys_of(c->d, l == 2, &nk) : NULL;
		if (l == 0)
			nk = 1;
		fc = xcalloc(nm * nk + 1, sizeof(*fc));
		act = xcalloc(nm * nk + 1, sizeof(*act));
		for (j = 0; j < nm; j++)
			fc_month(c->m, c->cal, c->d, first[j], last[j], l == 2,
			    keys, nk, fc + j * nk, act + j * nk);
		for (i = 0; i < nk; i++)
			for (j = 0; j < nm; j++) {
				civil_from_days(first[j], &y, &mo, &dd);
				snprintf(month, sizeof(month), "%04d-%02d",
				    y % 10000, mo % 100);
				month_line(fp, level[l], keys != NULL ?
				    keys[i] : NULL, month, fc[j * nk + i],
				    act[j * nk + i]);
			}
		for (i = 0; keys != NULL && i < nk; i++)
			free(keys[i]);
		free(keys);
		free(fc);
		free(act);
	}
	free(first);
	free(last);
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
	json_t *o;
	size_t i;

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
	collections(fp, c, from, to);
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

	for (i = 0; i < c->m->nrules; i++)
		if (c->m->rules[i].kind == FC_MILESTONE)
			break;
	if (i == c->m->nrules) {
		diag_error(SX_USAGE, NULL, "fit: forecast.csv has no milestone "
		    "to weigh");
		return -1;
	}
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
	/* Write first: a failed write prints no weights that were not kept. */
	if (write != NULL && write_rules(c->m, w, write) < 0)
		goto out;
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
	rc = 0;
out:
	fc_backtest_clear(&bt);
	free(old);
	free(w);
	return rc;
}
