/*
 * The forecast model (forecast.h): rules from forecast.csv, deals and
 * their first activity of each type from the store, evaluation as of a
 * day in working days, words for people, backtest and weight fitting.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "forecast.h"
#include "hash.h"
#include "hmap.h"
#include "rules.h"
#include "workcal.h"
#include "xalloc.h"
#include "xldate.h"

static const char *const kinds[] = {
    "milestone", "cap", "deadline", "decay", "cancel"};

/* "YYYY-MM-DD" (or an instant) as days, or -1. */
static long
parse_day(const char *s)
{
	int y, m, d, i;

	if (s == NULL)
		return -1;
	/* By hand: sscanf() was a tenth of a 100k-deal forecast. */
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!civil_valid(y, m, d))
		return -1;
	return days_from_civil(y, m, d);
}

static int
type_index(struct fc_model *m, const char *t)
{
	size_t i;

	for (i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i], t) == 0)
			return (int)i;
	m->types = xrealloc(m->types, (m->ntypes + 1) * sizeof(char *));
	m->types[m->ntypes] = xstrdup(t);
	return (int)m->ntypes++;
}

void
fc_model_stamp(struct fc_model *m)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *r = &m->rules[i];

		buf_addf(&b, "%s,%s,%s,%s,%d,%.6g\n", kinds[r->kind], r->name,
		    r->type, r->after != NULL ? r->after : "", r->days,
		    r->value);
	}
	hash_id(m->version, 'F', b.s != NULL ? b.s : "", b.len);
	buf_free(&b);
}

static struct fc_model *
model_from(struct rtable *t)
{
	struct fc_model *m;
	int ck, cn, ct, ca, cd, cv, czh, cen;
	size_t i, k;
	int bad = 0;

	ck = rtable_need(t, "kind");
	cn = rtable_need(t, "name");
	ct = rtable_need(t, "type");
	ca = rtable_need(t, "after");
	cd = rtable_need(t, "days");
	cv = rtable_need(t, "value");
	czh = rtable_need(t, "zh");
	cen = rtable_need(t, "en");
	if (ck < 0 || cn < 0 || ct < 0 || ca < 0 || cd < 0 || cv < 0 ||
	    czh < 0 || cen < 0)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->rules = xcalloc(t->nrows + 1, sizeof(*m->rules));
	for (i = 0; i < t->nrows; i++) {
		struct fc_rule *r = &m->rules[m->nrules];
		const char *kind = rtable_get(t, i, ck);
		const char *s;
		char *end;

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strcmp(kind, kinds[k]) == 0)
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0])) {
			rtable_error(t, i, ck,
			    "unknown kind '%s' (milestone, "
			    "cap, deadline, decay or cancel)",
			    diag_val(kind));
			bad = 1;
			continue;
		}
		r->kind = (enum fc_kind)k;
		if (*rtable_get(t, i, cn) == '\0' ||
		    *rtable_get(t, i, ct) == '\0') {
			rtable_error(t, i,
			    *rtable_get(t, i, cn) == '\0' ? cn : ct,
			    "a %s rule needs a name and a type", kind);
			bad = 1;
			continue;
		}
		s = rtable_get(t, i, cv);
		r->value = strtod(s, &end);
		if (*s == '\0' || *end != '\0' || r->value < 0 ||
		    r->value > 100) {
			rtable_error(t, i, cv,
			    "value '%s' is not a number "
			    "from 0 to 100",
			    diag_val(s));
			bad = 1;
			continue;
		}
		r->after = NULL;
		r->days = 0;
		if (r->kind == FC_DEADLINE || r->kind == FC_DECAY) {
			long v;

			s = rtable_get(t, i, cd);
			v = strtol(s, &end, 10);
			if (*s == '\0' || *end != '\0' || v < 1 || v > 3650) {
				rtable_error(t, i, cd,
				    "days '%s' is not a "
				    "number of working days from 1 to 3650",
				    diag_val(s));
				bad = 1;
				continue;
			}
			if (*rtable_get(t, i, ca) == '\0') {
				rtable_error(t, i, ca,
				    "a %s rule needs the "
				    "activity type it counts from",
				    kind);
				bad = 1;
				continue;
			}
			r->days = (int)v;
			r->after = xstrdup(rtable_get(t, i, ca));
		}
		r->name = xstrdup(rtable_get(t, i, cn));
		r->type = xstrdup(rtable_get(t, i, ct));
		r->zh = xstrdup(rtable_get(t, i, czh));
		r->en = xstrdup(rtable_get(t, i, cen));
		if (*r->zh == '\0') {
			free(r->zh);
			r->zh = xstrdup(r->name);
		}
		if (*r->en == '\0') {
			free(r->en);
			r->en = xstrdup(r->name);
		}
		r->ti = type_index(m, r->type);
		r->ai = r->after != NULL ? type_index(m, r->after) : -1;
		m->nrules++;
	}
	if (bad) {
		fc_model_free(m);
		return NULL;
	}
	fc_model_stamp(m);
	return m;
}

struct fc_model *
fc_model_load(const char *dir)
{
	struct rtable *t;
	struct fc_model *m;

	if ((t = rules_load(dir, "forecast.csv")) == NULL)
		return NULL;
	m = model_from(t);
	rtable_free(t);
	return m;
}

struct fc_model *
fc_model_load_file(const char *path)
{
	struct rtable *t;
	struct fc_model *m;

	if ((t = rules_load_file(path)) == NULL)
		return NULL;
	m = model_from(t);
	rtable_free(t);
	return m;
}

void
fc_model_free(struct fc_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nrules; i++) {
		free(m->rules[i].name);
		free(m->rules[i].type);
		free(m->rules[i].after);
		free(m->rules[i].zh);
		free(m->rules[i].en);
	}
	for (i = 0; i < m->ntypes; i++)
		free(m->types[i]);
	free(m->types);
	free(m->rules);
	free(m);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static int
load_deals(struct db *db, const struct fc_model *m, struct fc_data *d,
    struct hmap *ids)
{
	sqlite3_stmt *st;
	size_t cap = 0, i;
	int rc;

	st = db_prepare(db,
	    "SELECT d.id, d.name, r.name, r.region, d.stage,"
	    " cny(d.amount_fen, d.currency), d.created_on, d.close_on,"
	    " d.expected_on, CASE WHEN d.amount_fen IS NOT NULL"
	    " AND cny(d.amount_fen, d.currency) IS NULL THEN d.currency END,"
	    " d.amount_fen, coalesce(d.currency, 'CNY')"
	    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id ORDER BY d.id");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fc_deal *x;

		d->deals =
		    xgrow(d->deals, &cap, d->ndeals + 1, sizeof(*d->deals));
		x = &d->deals[d->ndeals];
		memset(x, 0, sizeof(*x));
		x->id = col_dup(st, 0);
		x->name = col_dup(st, 1);
		x->rep = col_dup(st, 2);
		x->region = col_dup(st, 3);
		x->stage = col_dup(st, 4);
		x->amount_fen = sqlite3_column_int64(st, 5);
		x->no_rate = col_dup(st, 9);
		x->native_fen = sqlite3_column_int64(st, 10);
		snprintf(x->currency, sizeof(x->currency), "%s",
		    (const char *)sqlite3_column_text(st, 11));
		x->created =
		    parse_day((const char *)sqlite3_column_text(st, 6));
		x->close = parse_day((const char *)sqlite3_column_text(st, 7));
		x->expected =
		    parse_day((const char *)sqlite3_column_text(st, 8));
		x->first = xmalloc((m->ntypes + 1) * sizeof(long));
		for (i = 0; i < m->ntypes; i++)
			x->first[i] = -1;
		hmap_put(ids, x->id, strlen(x->id), (intptr_t)d->ndeals);
		d->ndeals++;
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading deals");
	return 0;
}

static int
load_events(struct db *db, const struct fc_model *m, struct fc_data *d,
    struct hmap *ids)
{
	sqlite3_stmt *st;
	intptr_t k;
	size_t i;
	int rc;

	/* No GROUP BY: its sort spills to a temp file on large stores. */
	st = db_prepare(db, "SELECT deal_id, type, on_date FROM activity"
	    " WHERE deal_id IS NOT NULL");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *t = (const char *)sqlite3_column_text(st, 1);

		long on, *first;

		for (i = 0; i < m->ntypes; i++)
			if (strcmp(m->types[i], t) == 0)
				break;
		if (i == m->ntypes || !hmap_get(ids, id, strlen(id), &k))
			continue;
		on = parse_day((const char *)sqlite3_column_text(st, 2));
		first = &d->deals[k].first[i];
		if (on >= 0 && (*first < 0 || on < *first))
			*first = on;
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading activities");

	st = db_prepare(db,
	    "SELECT deal_id, to_stage, on_date FROM"
	    " stage_event WHERE kind <> 'blocked' ORDER BY deal_id, id");
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		struct fc_deal *x;

		if (!hmap_get(ids, id, strlen(id), &k))
			continue;
		x = &d->deals[k];
		x->ev_day = xrealloc(x->ev_day, (x->nev + 1) * sizeof(long));
		x->ev_to = xrealloc(x->ev_to, (x->nev + 1) * sizeof(char *));
		x->ev_day[x->nev] =
		    parse_day((const char *)sqlite3_column_text(st, 2));
		x->ev_to[x->nev++] = col_dup(st, 1);
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading stage events");

	st = db_prepare(db,
	    "SELECT cny(p.amount_fen, p.currency), p.on_date,"
	    " coalesce(r1.name, r2.name), coalesce(r1.region, r2.region)"
	    " FROM payment p LEFT JOIN deal d ON d.id = p.deal_id"
	    " LEFT JOIN rep r1 ON r1.id = d.rep_id"
	    " LEFT JOIN rep r2 ON r2.id = p.rep_id"
	    " WHERE p.kind = 'actual' ORDER BY p.on_date, p.id");
	if (st == NULL)
		return -1;
	i = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fc_payment *p;

		d->pays = xgrow(d->pays, &i, d->npays + 1, sizeof(*d->pays));
		p = &d->pays[d->npays++];
		p->amount_fen = sqlite3_column_int64(st, 0);
		p->day = parse_day((const char *)sqlite3_column_text(st, 1));
		p->rep = col_dup(st, 2);
		p->region = col_dup(st, 3);
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading payments");
	return 0;
}

struct fc_data *
fc_data_load(struct db *db, const struct fc_model *m)
{
	struct fc_data *d;
	struct hmap *ids;

	d = xcalloc(1, sizeof(*d));
	ids = hmap_new();
	if (load_deals(db, m, d, ids) < 0 || load_events(db, m, d, ids) < 0) {
		hmap_free(ids);
		fc_data_free(d);
		return NULL;
	}
	hmap_free(ids);
	return d;
}

void
fc_data_free(struct fc_data *d)
{
	size_t i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->ndeals; i++) {
		struct fc_deal *x = &d->deals[i];

		free(x->id);
		free(x->name);
		free(x->rep);
		free(x->region);
		free(x->stage);
		free(x->no_rate);
		free(x->first);
		for (j = 0; j < x->nev; j++)
			free(x->ev_to[j]);
		free(x->ev_to);
		free(x->ev_day);
	}
	for (i = 0; i < d->npays; i++) {
		free(d->pays[i].rep);
		free(d->pays[i].region);
	}
	free(d->pays);
	free(d->deals);
	free(d);
}

const char *
fc_stage_at(const struct fc_deal *x, long day)
{
	const char *s = NULL;
	size_t i;

	if (x->nev == 0) {
		/* No log: an imported closed stage counts from close_on. */
		if (x->stage != NULL &&
		    (strcmp(x->stage, "won") == 0 ||
			strcmp(x->stage, "lost") == 0) &&
		    x->close >= 0 && x->close > day)
			return "open";
		return x->stage != NULL ? x->stage : "open";
	}
	for (i = 0; i < x->nev; i++)
		if (x->ev_day[i] <= day)
			s = x->ev_to[i];
	return s != NULL ? s : "open";
}

static int
happened(const struct fc_deal *x, int ti, long day)
{
	return ti >= 0 && x->first[ti] >= 0 && x->first[ti] <= day;
}

int64_t
fc_expected(int64_t amount, const struct fc_result *r)
{
	if (r->state == FC_WON)
		return amount;
	if (r->state != FC_OPEN)
		return 0;
	return (amount * r->probability + 50) / 100;
}

void
fc_eval(const struct fc_model *m, struct workcal *cal, const struct fc_deal *x,
    long day, struct fc_result *r)
{
	const char *stage;
	double p, score = 0;
	size_t i;
	int cancelled = 0;

	memset(r->steps, 0, m->nrules * sizeof(*r->steps));
	r->score = 0;
	r->expected_fen = 0;
	r->probability = 0;
	if (x->created >= 0 && x->created > day) {
		r->state = FC_ABSENT;
		return;
	}
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		struct fc_step *s = &r->steps[i];

		s->due = -1;
		s->on = happened(x, u->ti, day) ? x->first[u->ti] : -1;
		if (u->kind == FC_MILESTONE && s->on >= 0) {
			s->hit = 1;
			score += u->value;
		} else if (u->kind == FC_CANCEL && s->on >= 0) {
			s->hit = 1;
			cancelled = 1;
		}
	}
	stage = fc_stage_at(x, day);
	if (cancelled)
		r->state = FC_CANCELLED;
	else if (strcmp(stage, "won") == 0)
		r->state = FC_WON;
	else if (strcmp(stage, "lost") == 0)
		r->state = FC_LOST;
	else
		r->state = FC_OPEN;
	r->score = score;
	if (r->state != FC_OPEN) {
		r->probability = r->state == FC_WON ? 100 : 0;
		r->expected_fen = fc_expected(x->amount_fen, r);
		return;
	}
	p = score > 100 ? 100 : score;
	/* Caps and deadline drops bound the score, then decays subtract. */
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		struct fc_step *s = &r->steps[i];

		if (u->kind == FC_CAP && s->on < 0 && p > u->value) {
			s->hit = 1;
			p = u->value;
		}
		if ((u->kind != FC_DEADLINE && u->kind != FC_DECAY) ||
		    s->on >= 0 || !happened(x, u->ai, day))
			continue;
		s->on = x->first[u->ai];
		s->due = workcal_add(cal, s->on, u->days);
		if (day > s->due) {
			s->hit = 1;
			if (u->kind == FC_DEADLINE && p > u->value)
				p = u->value;
		} else if (u->kind == FC_DEADLINE) {
			s->pending = 1;
			s->left = workcal_between(cal, day, s->due);
		}
	}
	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].kind == FC_DECAY && r->steps[i].hit)
			p -= m->rules[i].value;
	if (p < 0)
		p = 0;
	r->probability = (int)lround(p);
	r->expected_fen = fc_expected(x->amount_fen, r);
}

int
fc_lang_zh(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return strncmp(v, "zh", 2) == 0;
	return 0;
}

static const char *
label_of(const struct fc_model *m, const char *type, int zh)
{
	size_t i;

	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].kind == FC_MILESTONE &&
		    strcmp(m->rules[i].type, type) == 0)
			return zh ? m->rules[i].zh : m->rules[i].en;
	return type;
}

char *
fc_warning(const struct fc_rule *u, const struct fc_step *s, int zh)
{
	if (s->left <= 0)
		return zh ? xasprintf("需在今天内%s,否则概率降至%g%%", u->zh,
				u->value)
			  : xasprintf("%s today or the chance falls to "
				      "%g%%",
				u->en, u->value);
	return zh ? xasprintf("需在%ld个工作日内%s,否则概率降至%g%%", s->left,
			u->zh, u->value)
		  : xasprintf("%s within %ld business "
			      "days or the chance falls to %g%%",
			u->en, s->left, u->value);
}

char *
fc_explain(const struct fc_model *m, const struct fc_deal *x,
    const struct fc_result *r, long day, int zh)
{
	struct buf b = {0};
	char date[CIVIL_TEXT_MAX];
	struct civil c;
	size_t i;
	int n = 0;

	(void)x;
	(void)day;
	buf_addf(&b, "%d%%: ", r->probability);
	switch (r->state) {
	case FC_ABSENT:
		buf_adds(
		    &b, zh ? "商机尚未创建" : "the deal did not exist yet");
		return buf_take(&b);
	case FC_WON:
		buf_adds(&b, zh ? "已赢单" : "won");
		return buf_take(&b);
	case FC_LOST:
		buf_adds(&b, zh ? "已输单" : "lost");
		return buf_take(&b);
	case FC_CANCELLED:
		for (i = 0; i < m->nrules; i++)
			if (m->rules[i].kind == FC_CANCEL && r->steps[i].hit) {
				buf_adds(
				    &b, zh ? m->rules[i].zh : m->rules[i].en);
				break;
			}
		return buf_take(&b);
	case FC_OPEN:
		break;
	}
	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].kind == FC_MILESTONE && r->steps[i].hit) {
			buf_adds(&b, n++ ? " + " : "");
			buf_adds(&b, zh ? m->rules[i].zh : m->rules[i].en);
		}
	if (n == 0)
		buf_adds(&b, zh ? "尚无已完成的里程碑" : "no milestone yet");
	for (i = 0; i < m->nrules; i++) {
		const struct fc_rule *u = &m->rules[i];
		const struct fc_step *s = &r->steps[i];
		const char *what = zh ? u->zh : u->en;

		memset(&c, 0, sizeof(c));
		if (s->due >= 0) {
			civil_from_days(s->due, &c.y, &c.m, &c.d);
			civil_format(date, &c, 0);
		}
		if (u->kind == FC_CAP && s->hit)
			buf_addf(&b, "; %s", what);
		else if (u->kind == FC_DEADLINE && s->pending) {
			char *w = fc_warning(u, s, zh);

			buf_addf(&b, "; %s", w);
			free(w);
		} else if (u->kind == FC_DEADLINE && s->hit)
			buf_addf(&b,
			    zh ? "; 未能在%s前%s,概率降至%g%%"
			       : "; did not %2$s by %1$s: down to %3$g%%",
			    date, what, u->value);
		else if (u->kind == FC_DECAY && s->hit)
			buf_addf(&b,
			    zh ? "; %s后超过%d个工作日未%s,下调%g"
			       : "; more than %2$d business days after %1$s without"
				 " %3$s: minus %4$g",
			    label_of(m, u->after, zh), u->days, what, u->value);
	}
	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].kind == FC_MILESTONE && !r->steps[i].hit)
			buf_addf(&b,
			    zh ? "; 未完成: %s (%g)" : "; missing: %s (%g)",
			    zh ? m->rules[i].zh : m->rules[i].en,
			    m->rules[i].value);
	return buf_take(&b);
}

/* The deal's final outcome as of today: 1 won, 0 lost, -1 still open. */
static int
outcome(const struct fc_model *m, struct workcal *cal, const struct fc_deal *x,
    long today, struct fc_result *r)
{
	fc_eval(m, cal, x, today, r);
	if (r->state == FC_WON)
		return 1;
	if (r->state == FC_LOST || r->state == FC_CANCELLED)
		return 0;
	return -1;
}

int
fc_backtest_run(const struct fc_model *m, struct workcal *cal,
    const struct fc_data *d, long from, long to, long today,
    struct fc_backtest *bt)
{
	struct fc_result r;
	size_t i, cap = 0;
	long day;
	double sum = 0;

	memset(bt, 0, sizeof(*bt));
	r.steps = xcalloc(m->nrules + 1, sizeof(*r.steps));
	/* Mondays: from itself when it is one, else the next. */
	day = from + (8 - weekday(from)) % 7;
	for (; day <= to; day += 7)
		bt->weeks++;
	for (i = 0; i < d->ndeals; i++) {
		const struct fc_deal *x = &d->deals[i];
		int y, counted = 0;

		if ((y = outcome(m, cal, x, today, &r)) < 0)
			continue;
		for (day = from + (8 - weekday(from)) % 7; day <= to;
		     day += 7) {
			struct fc_sample *s;

			fc_eval(m, cal, x, day, &r);
			if (r.state != FC_OPEN)
				continue;
			bt->s = xgrow(bt->s, &cap, bt->ns + 1, sizeof(*bt->s));
			s = &bt->s[bt->ns++];
			s->deal = i;
			s->day = day;
			s->won = y;
			s->p = r.probability;
			counted = 1;
		}
		bt->deals += counted;
	}
	free(r.steps);
	if (bt->ns == 0)
		return -1;
	for (i = 0; i < bt->ns; i++) {
		double e = bt->s[i].p / 100.0 - bt->s[i].won;
		int k = bt->s[i].p / 10;

		sum += e * e;
		if (k > 9)
			k = 9;
		bt->buckets[k].n++;
		bt->buckets[k].won += bt->s[i].won;
		bt->buckets[k].psum += bt->s[i].p / 100.0;
	}
	bt->brier = sum / (double)bt->ns;
	return 0;
}

void
fc_backtest_clear(struct fc_backtest *bt)
{
	free(bt->s);
	memset(bt, 0, sizeof(*bt));
}

static int
cmp_key(const void *k, const void *e)
{
	return strcmp(k, *(char *const *)e);
}

/* The index of v among the sorted keys, or -1; 0 with no keys. */
static long
key_index(char *const *keys, size_t nkeys, const char *v)
{
	char *const *e;

	if (keys == NULL)
		return 0;
	e = bsearch(v != NULL ? v : "", keys, nkeys, sizeof(*keys), cmp_key);
	return e != NULL ? (long)(e - keys) : -1;
}

void
fc_month(const struct fc_model *m, struct workcal *cal,
    const struct fc_data *d, long first, long last, int by_region,
    char *const *keys, size_t nkeys, double *forecast, int64_t *actual)
{
	struct fc_result r;
	size_t i;
	long k;

	for (i = 0; i < (keys != NULL ? nkeys : 1); i++) {
		forecast[i] = 0;
		actual[i] = 0;
	}
	r.steps = xcalloc(m->nrules + 1, sizeof(*r.steps));
	for (i = 0; i < d->ndeals; i++) {
		const struct fc_deal *x = &d->deals[i];
		long when = x->expected >= 0 ? x->expected : x->close;

		if (when < first || when > last || (k = key_index(keys, nkeys,
		    by_region ? x->region : x->rep)) < 0)
			continue;
		fc_eval(m, cal, x, first, &r);
		forecast[k] += (double)x->amount_fen * r.probability / 100.0;
	}
	for (i = 0; i < d->npays; i++) {
		const struct fc_payment *p = &d->pays[i];

		if (p->day >= first && p->day <= last && (k = key_index(keys,
		    nkeys, by_region ? p->region : p->rep)) >= 0)
			actual[k] += p->amount_fen;
	}
	free(r.steps);
}

double
fc_accuracy(double forecast, int64_t actual)
{
	double a;

	if (actual == 0)
		return -1;
	a = 1 - fabs((double)actual - forecast) / (double)actual;
	return a < 0 ? 0 : a;
}

/* Solve a x = b (n unknowns, a row-major) by Gaussian elimination. */
static int
solve(double *a, double *b, size_t n)
{
	size_t i, j, k, piv;

	for (k = 0; k < n; k++) {
		piv = k;
		for (i = k + 1; i < n; i++)
			if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
				piv = i;
		if (fabs(a[piv * n + k]) < 1e-12)
			return -1;
		if (piv != k) {
			double t;

			for (j = 0; j < n; j++) {
				t = a[k * n + j];
				a[k * n + j] = a[piv * n + j];
				a[piv * n + j] = t;
			}
			t = b[k];
			b[k] = b[piv];
			b[piv] = t;
		}
		for (i = k + 1; i < n; i++) {
			double f = a[i * n + k] / a[k * n + k];

			for (j = k; j < n; j++)
				a[i * n + j] -= f * a[k * n + j];
			b[i] -= f * b[k];
		}
	}
	for (k = n; k-- > 0;) {
		for (j = k + 1; j < n; j++)
			b[k] -= a[k * n + j] * b[j];
		b[k] /= a[k * n + k];
	}
	return 0;
}

int
fc_fit(const struct fc_model *m, const struct fc_data *d,
    const struct fc_backtest *bt, double *w)
{
	size_t *idx, n = 0, i, j, k, s;
	double *a, *b, *x;
	int rc = -1;

	idx = xcalloc(m->nrules + 1, sizeof(*idx));
	for (i = 0; i < m->nrules; i++) {
		w[i] = 0;
		if (m->rules[i].kind == FC_MILESTONE)
			idx[n++] = i;
	}
	if (n == 0 || bt->ns < n) {
		free(idx);
		return -1;
	}
	a = xcalloc(n * n, sizeof(*a));
	b = xcalloc(n, sizeof(*b));
	x = xcalloc(n, sizeof(*x));
	/* Normal equations of sum (x.w/100 - y)^2 + ridge |w/100|^2. */
	for (s = 0; s < bt->ns; s++) {
		const struct fc_deal *dl = &d->deals[bt->s[s].deal];

		for (j = 0; j < n; j++) {
			const struct fc_rule *u = &m->rules[idx[j]];

			x[j] = happened(dl, u->ti, bt->s[s].day) ? 1 : 0;
		}
		for (j = 0; j < n; j++) {
			for (k = 0; k < n; k++)
				a[j * n + k] += x[j] * x[k];
			b[j] += x[j] * bt->s[s].won;
		}
	}
	for (j = 0; j < n; j++)
		a[j * n + j] += 1e-3 * (double)bt->ns;
	if (solve(a, b, n) == 0) {
		for (j = 0; j < n; j++) {
			double v = round(b[j] * 100);

			w[idx[j]] = v < 0 ? 0 : v > 100 ? 100 : v;
		}
		rc = 0;
	}
	free(x);
	free(b);
	free(a);
	free(idx);
	return rc;
}
