/*
 * sales-stage's output: the engine decides (stage.c), this file says
 * what happened, for programs (JSON lines) and for people (tables).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "stagerep.h"
#include "tz.h"
#include "xalloc.h"
#include "xldate.h"

static const char *const result_names[] = {
	"moved", "forced", "reopened", "blocked", "unchanged",
};

static void
json_str(struct buf *b, const char *key, const char *v)
{
	buf_addf(b, "%s\"%s\":", b->len > 1 ? "," : "", key);
	if (v == NULL)
		buf_adds(b, "null");
	else
		buf_add_json(b, v, strlen(v));
}

static void
json_num(struct buf *b, const char *key, double v, int valid)
{
	buf_addf(b, ",\"%s\":", key);
	if (valid)
		buf_addf(b, "%.1f", v);
	else
		buf_adds(b, "null");
}

static const char *
code_of(const struct stage_def *d)
{
	return d != NULL ? d->code : NULL;
}

static const char *
name_of(const struct stage_def *d)
{
	return d != NULL ? d->name : "-";
}

static void
gres_json(struct buf *b, struct stage *st, const struct stage_gres *g,
    int with_ok)
{
	const struct stage_def *d = stage_def(st, g->gate->stage);

	buf_adds(b, "{\"stage\":");
	buf_add_json(b, d->code, strlen(d->code));
	buf_adds(b, ",\"gate\":");
	buf_add_json(b, g->gate->name, strlen(g->gate->name));
	if (with_ok)
		buf_addf(b, ",\"ok\":%s", g->ok ? "true" : "false");
	buf_adds(b, ",\"value\":");
	buf_add_json(b, g->value, strlen(g->value));
	buf_adds(b, ",\"required\":");
	buf_add_json(b, g->gate->required, strlen(g->gate->required));
	buf_adds(b, ",\"message\":");
	buf_add_json(b, g->gate->message, strlen(g->gate->message));
	if (g->note != NULL) {
		buf_adds(b, ",\"note\":");
		buf_add_json(b, g->note, strlen(g->note));
	}
	buf_addc(b, '}');
}

/* "技术答疑 1/2" */
static void
gres_short(struct buf *b, const struct stage_gres *g)
{
	buf_adds(b, g->gate->name);
	if (g->gate->value != NULL || *g->gate->required != '\0')
		buf_addf(b, " %s/%s", *g->value ? g->value : "0",
		    g->gate->required);
}

struct table *
stagerep_move_table(void)
{
	struct table *t = table_new("");

	table_col(t, "deal", "deal", 0);
	table_col(t, "from", "from", 0);
	table_col(t, "to", "to", 0);
	table_col(t, "result", "result", 0);
	table_col(t, "gates", "failing gates", 0);
	return t;
}

void
stagerep_move(FILE *fp, struct stage *st, const struct stage_req *rq,
    const struct stage_outcome *o, long line, struct table *t)
{
	struct buf b = {0}, s = {0};
	size_t i, r;

	for (i = 0; o->result == SR_BLOCKED && i < o->nfails; i++) {
		buf_reset(&s);
		gres_short(&s, &o->fails[i]);
		diag_error(SX_DATA, rq->pos, "deal '%s': %s -> %s blocked: "
		    "%s: %s%s%s", diag_val(rq->deal), name_of(o->from),
		    name_of(o->to), buf_str(&s), o->fails[i].gate->message,
		    o->fails[i].note ? "; " : "",
		    o->fails[i].note ? o->fails[i].note : "");
	}
	if (o->result == SR_BLOCKED && o->nfails == 0)
		diag_error(SX_DATA, rq->pos, "deal '%s': %s -> %s blocked: %s",
		    diag_val(rq->deal), name_of(o->from), name_of(o->to),
		    o->why ? o->why : "refused");
	if (t != NULL) {
		r = table_row(t);
		table_text(t, r, 0, rq->deal);
		table_text(t, r, 1, name_of(o->from));
		table_text(t, r, 2, o->to ? o->to->name : rq->to);
		table_text(t, r, 3, o->result == SR_ERROR ? "error" :
		    result_names[o->result]);
		buf_reset(&s);
		for (i = 0; i < o->nfails; i++) {
			if (i)
				buf_adds(&s, ", ");
			gres_short(&s, &o->fails[i]);
		}
		if (o->nfails == 0 && o->why != NULL)
			buf_adds(&s, o->why);
		table_text(t, r, 4, buf_str(&s));
		buf_free(&s);
		return;
	}
	buf_addc(&b, '{');
	if (line > 0)
		buf_addf(&b, "\"line\":%ld", line);
	json_str(&b, "deal", rq->deal);
	json_str(&b, "from", code_of(o->from));
	json_str(&b, "to", o->to ? o->to->code : rq->to);
	json_str(&b, "result", o->result == SR_ERROR ? "error" :
	    result_names[o->result]);
	if (o->why != NULL)
		json_str(&b, "why", o->why);
	if (o->nfails > 0 || o->result == SR_BLOCKED) {
		buf_adds(&b, o->result == SR_FORCED ? ",\"overridden\":[" :
		    ",\"failing\":[");
		for (i = 0; i < o->nfails; i++) {
			if (i)
				buf_addc(&b, ',');
			gres_json(&b, st, &o->fails[i], 0);
		}
		buf_addc(&b, ']');
	}
	buf_adds(&b, "}\n");
	fputs(buf_str(&b), fp);
	buf_free(&b);
	buf_free(&s);
}

static int
step_rows(struct db *db, sqlite3_stmt *q, int rc)
{
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3_reset(q);
	return db_fail(db, rc, "cannot read the store");
}

/* The next stage a deal in s could move to, or NULL. */
static const struct stage_def *
next_of(struct stage *st, const struct stage_def *s)
{
	size_t i;

	for (i = 0; s != NULL && s->kind == SK_OPEN && i < stage_count(st);
	    i++)
		if (stage_def(st, i)->kind != SK_LOST &&
		    stage_def(st, i)->order == s->order + 1)
			return stage_def(st, i);
	return NULL;
}

static int
check_one(FILE *fp, struct stage *st, const char *deal, const char *code,
    enum outfmt fmt, struct table *t)
{
	const struct stage_def *s, *next;
	struct stage_gres *res = NULL;
	struct buf b = {0};
	size_t i, r, ready = 1;

	s = stage_by_code(st, code);
	next = next_of(st, s);
	if (s != NULL && stage_eval(st, deal, s, &res) < 0) {
		stage_gres_free(res, s->ngates);
		return -1;
	}
	for (i = 0; s != NULL && i < s->ngates; i++)
		if (!res[i].ok)
			ready = 0;
	if (fmt == OUT_TEXT) {
		for (i = 0; s != NULL && i < s->ngates; i++) {
			r = table_row(t);
			table_text(t, r, 0, deal);
			table_text(t, r, 1, s->name);
			table_text(t, r, 2, name_of(next));
			table_text(t, r, 3, res[i].gate->name);
			table_text(t, r, 4, res[i].ok ? "ok" : "missing");
			buf_reset(&b);
			buf_addf(&b, "%s/%s", *res[i].value ? res[i].value :
			    "0", res[i].gate->required);
			table_text(t, r, 5, buf_str(&b));
			buf_reset(&b);
			if (!res[i].ok)
				buf_addf(&b, "%s%s%s", res[i].gate->message,
				    res[i].note ? "; " : "",
				    res[i].note ? res[i].note : "");
			table_text(t, r, 6, buf_str(&b));
		}
		if (s == NULL || s->ngates == 0) {
			r = table_row(t);
			table_text(t, r, 0, deal);
			table_text(t, r, 1, s ? s->name : code ? code : "-");
			table_text(t, r, 2, name_of(next));
		}
	} else {
		buf_addc(&b, '{');
		json_str(&b, "deal", deal);
		json_str(&b, "stage", code);
		json_str(&b, "next", code_of(next));
		buf_addf(&b, ",\"ready\":%s,\"gates\":[",
		    next != NULL && ready ? "true" : "false");
		for (i = 0; s != NULL && i < s->ngates; i++) {
			if (i)
				buf_addc(&b, ',');
			gres_json(&b, st, &res[i], 1);
		}
		buf_adds(&b, "]}\n");
		fputs(buf_str(&b), fp);
	}
	if (s != NULL)
		stage_gres_free(res, s->ngates);
	buf_free(&b);
	return 0;
}

/* Ids and stages of the deals of q, read to the end first. */
static int
collect(struct db *db, sqlite3_stmt *q, char ***ids, char ***codes,
    size_t *n)
{
	const unsigned char *c;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof(char *));
		*codes = xrealloc(*codes, (*n + 1) * sizeof(char *));
		(*ids)[*n] = xstrdup((const char *)sqlite3_column_text(q, 0));
		c = sqlite3_column_text(q, 1);
		(*codes)[*n] = c ? xstrdup((const char *)c) : NULL;
		(*n)++;
	}
	if (step_rows(db, q, rc) < 0)
		return -1;
	sqlite3_reset(q);
	return 0;
}

int
stagerep_check(FILE *fp, struct stage *st, struct db *db,
    char *const *deals, int n, enum outfmt fmt)
{
	static const char all[] = "SELECT id, stage FROM deal"
	    " WHERE stage IS NULL OR stage NOT IN (SELECT value FROM"
	    " json_each(?1)) ORDER BY id";
	static const char one[] = "SELECT id, stage FROM deal WHERE id = ?1";
	struct table *t = NULL;
	struct buf closed = {0};
	char **ids = NULL, **codes = NULL;
	sqlite3_stmt *q;
	size_t i, nids = 0, before;
	int k, ret = 0;

	buf_addc(&closed, '[');
	for (i = 0; i < stage_count(st); i++)
		if (stage_def(st, i)->kind != SK_OPEN)
			buf_addf(&closed, "%s\"%s\"", closed.len > 1 ? "," : "",
			    stage_def(st, i)->code);
	buf_addc(&closed, ']');
	for (k = 0; k < (n > 0 ? n : 1) && ret == 0; k++) {
		if ((q = db_prepare(db, n > 0 ? one : all)) == NULL) {
			ret = -1;
			break;
		}
		sqlite3_bind_text(q, 1, n > 0 ? deals[k] : buf_str(&closed),
		    -1, SQLITE_TRANSIENT);
		before = nids;
		ret = collect(db, q, &ids, &codes, &nids);
		if (ret == 0 && n > 0 && nids == before)
			diag_error(SX_DATA, NULL, "no deal '%s' in the store",
			    diag_val(deals[k]));
	}
	buf_free(&closed);
	if (fmt == OUT_TEXT) {
		t = table_new("");
		table_col(t, "deal", "deal", 0);
		table_col(t, "stage", "stage", 0);
		table_col(t, "next", "next", 0);
		table_col(t, "gate", "gate", 0);
		table_col(t, "status", "status", 0);
		table_col(t, "value", "value", 1);
		table_col(t, "message", "message", 0);
	}
	for (i = 0; i < nids; i++) {
		if (ret == 0)
			ret = check_one(fp, st, ids[i], codes[i], fmt, t);
		free(ids[i]);
		free(codes[i]);
	}
	free(ids);
	free(codes);
	if (t != NULL) {
		if (ret == 0)
			table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
	return ret;
}

int
stagerep_history(FILE *fp, struct stage *st, struct db *db, const char *deal,
    enum outfmt fmt)
{
	static const char sql[] = "SELECT at, from_stage, to_stage, kind,"
	    " by_rep, reason, source, failing FROM stage_event"
	    " WHERE deal_id = ?1 ORDER BY id";
	struct table *t = NULL;
	struct buf b = {0};
	sqlite3_stmt *q;
	size_t r;
	int rc, i, ret, any = 0;

	if ((q = db_prepare(db, "SELECT 1 FROM deal WHERE id = ?1")) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, deal, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE) {
		diag_error(SX_DATA, NULL, "no deal '%s' in the store",
		    diag_val(deal));
		return 0;
	}
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "cannot read the store");
	if ((q = db_prepare(db, sql)) == NULL)
		return -1;
	if (fmt == OUT_TEXT) {
		t = table_new("");
		table_col(t, "at", "at", 0);
		table_col(t, "from", "from", 0);
		table_col(t, "to", "to", 0);
		table_col(t, "kind", "kind", 0);
		table_col(t, "by", "by", 0);
		table_col(t, "reason", "reason", 0);
	}
	sqlite3_bind_text(q, 1, deal, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *v[8];

		any = 1;
		for (i = 0; i < 8; i++)
			v[i] = (const char *)sqlite3_column_text(q, i);
		if (t != NULL) {
			r = table_row(t);
			table_text(t, r, 0, v[0]);
			table_text(t, r, 1, name_of(stage_by_code(st, v[1])));
			table_text(t, r, 2, name_of(stage_by_code(st, v[2])));
			table_text(t, r, 3, v[3]);
			table_text(t, r, 4, v[4] ? v[4] : v[6] &&
			    strcmp(v[6], "import") == 0 ? "(import)" : "-");
			table_text(t, r, 5, v[5] ? v[5] : "");
			continue;
		}
		buf_reset(&b);
		buf_addc(&b, '{');
		json_str(&b, "deal", deal);
		json_str(&b, "at", v[0]);
		json_str(&b, "from", v[1]);
		json_str(&b, "to", v[2]);
		json_str(&b, "kind", v[3]);
		json_str(&b, "by", v[4]);
		json_str(&b, "reason", v[5]);
		json_str(&b, "source", v[6]);
		/* failing is JSON written by stage.c. */
		buf_addf(&b, ",\"failing\":%s}\n", v[7] ? v[7] : "[]");
		fputs(buf_str(&b), fp);
	}
	ret = step_rows(db, q, rc);
	sqlite3_reset(q);
	if (t != NULL) {
		if (any)
			table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
	buf_free(&b);
	return ret;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

void
dwell_stats(long *v, size_t n, struct dwell_stats *s)
{
	double sum = 0, sq = 0;
	size_t i, k;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), cmp_long);
	for (i = 0; i < n; i++)
		sum += (double)v[i];
	s->mean = sum / (double)n;
	for (i = 0; i < n; i++)
		sq += ((double)v[i] - s->mean) * ((double)v[i] - s->mean);
	s->stddev = sqrt(sq / (double)n);
	s->median = n % 2 ? (double)v[n / 2] :
	    ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
	/* Nearest rank: the smallest k with k >= 0.9 n, in integers. */
	k = (9 * n + 9) / 10;
	s->p90 = (double)v[k - 1];
}

struct stay {
	size_t	 stage;		/* index in the rules */
	char	*group;		/* rep or region, "" by stage */
	long	 days;
	int	 censored;
};

struct stays {
	struct stay	*v;
	size_t		 n;
	const struct dwell_opts *o;
	long		 today;
	char		 today_s[CIVIL_TEXT_MAX];
};

static void
add_stay(struct stays *ss, struct stage *st, const char *code,
    const char *group, const char *from, const char *to, int censored)
{
	const struct stage_def *d = stage_by_code(st, code);
	struct stay *y;

	if (d == NULL || d->kind != SK_OPEN || from == NULL || to == NULL)
		return;
	if ((ss->o->since != NULL && strncmp(from, ss->o->since, 10) < 0) ||
	    (ss->o->until != NULL && strncmp(from, ss->o->until, 10) > 0))
		return;
	ss->v = xrealloc(ss->v, (ss->n + 1) * sizeof(*ss->v));
	y = &ss->v[ss->n++];
	y->stage = (size_t)(d - stage_def(st, 0));
	y->group = xstrdup(group ? group : "");
	y->days = stage_days(from, to);
	y->censored = censored;
}

static int
cmp_stay(const void *a, const void *b)
{
	const struct stay *x = a, *y = b;
	int c;

	if ((c = strcmp(x->group, y->group)) != 0)
		return c;
	return (x->stage > y->stage) - (x->stage < y->stage);
}

/* Every stay of every deal: from its events, the last one open. */
static int
read_stays(struct stage *st, struct db *db, struct stays *ss)
{
	static const char deals[] = "SELECT d.id, d.stage,"
	    " coalesce(substr(d.stage_since, 1, 10), d.created_on),"
	    " d.created_on, coalesce(r.name, d.rep_id), r.region"
	    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id ORDER BY d.id";
	static const char events[] = "SELECT deal_id, from_stage, to_stage,"
	    " on_date FROM stage_event WHERE kind <> 'blocked'"
	    " ORDER BY deal_id, id";
	char **ev = NULL;
	size_t nev = 0, e, i;
	sqlite3_stmt *q;
	int rc;

	/* The events, all of them, as deal/from/to/date quadruples. */
	if ((q = db_prepare(db, events)) == NULL)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ev = xrealloc(ev, (nev + 1) * 4 * sizeof(char *));
		for (i = 0; i < 4; i++) {
			const unsigned char *s = sqlite3_column_text(q, (int)i);

			ev[nev * 4 + i] = s ? xstrdup((const char *)s) : NULL;
		}
		nev++;
	}
	rc = step_rows(db, q, rc);
	sqlite3_reset(q);
	if (rc == 0 && (q = db_prepare(db, deals)) == NULL)
		rc = -1;
	e = 0;
	while (rc == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		const char *stage = (const char *)sqlite3_column_text(q, 1);
		const char *since = (const char *)sqlite3_column_text(q, 2);
		const char *created = (const char *)sqlite3_column_text(q, 3);
		const char *group = ss->o->by == BY_REP ?
		    (const char *)sqlite3_column_text(q, 4) :
		    ss->o->by == BY_REGION ?
		    (const char *)sqlite3_column_text(q, 5) : "";
		const char *cur = NULL, *start = created;
		int had = 0;

		rc = 0;
		while (e < nev && strcmp(ev[e * 4], id) < 0)
			e++;
		for (; e < nev && strcmp(ev[e * 4], id) == 0; e++) {
			if (!had)
				cur = ev[e * 4 + 1];
			had = 1;
			add_stay(ss, st, cur, group ? group : "-", start,
			    ev[e * 4 + 3], 0);
			cur = ev[e * 4 + 2];
			start = ev[e * 4 + 3];
		}
		if (!had) {
			cur = stage;
			start = since;
		}
		add_stay(ss, st, cur, group ? group : "-", start, ss->today_s,
		    1);
	}
	if (rc != 0 && q != NULL)
		rc = step_rows(db, q, rc);
	if (q != NULL)
		sqlite3_reset(q);
	for (i = 0; i < nev * 4; i++)
		free(ev[i]);
	free(ev);
	return rc;
}

int
stagerep_dwell(FILE *fp, struct stage *st, struct db *db,
    const struct dwell_opts *o, enum outfmt fmt)
{
	static const char *const bykey[] = {NULL, "rep", "region"};
	struct dwell_stats ds;
	struct stays ss;
	struct table *t = NULL;
	struct buf b = {0};
	struct civil c;
	long *days;
	size_t i, j, k, r, cens;
	char num[32];
	int rc;

	memset(&ss, 0, sizeof(ss));
	memset(&c, 0, sizeof(c));
	ss.o = o;
	ss.today = tz_today();
	civil_from_days(ss.today, &c.y, &c.m, &c.d);
	civil_format(ss.today_s, &c, 0);
	if ((rc = read_stays(st, db, &ss)) < 0)
		goto out;
	if (ss.n > 0)
		qsort(ss.v, ss.n, sizeof(*ss.v), cmp_stay);
	if (fmt == OUT_TEXT) {
		t = table_new("");
		if (o->by != BY_STAGE)
			table_col(t, bykey[o->by], bykey[o->by], 0);
		table_col(t, "stage", "stage", 0);
		table_col(t, "n", "n", 1);
		table_col(t, "censored", "open", 1);
		table_col(t, "mean", "mean", 1);
		table_col(t, "median", "median", 1);
		table_col(t, "p90", "p90", 1);
		table_col(t, "stddev", "stddev", 1);
	}
	days = xcalloc(ss.n + 1, sizeof(long));
	for (i = 0; i < ss.n; i = j) {
		cens = 0;
		for (j = i; j < ss.n && cmp_stay(&ss.v[i], &ss.v[j]) == 0;
		    j++) {
			days[j - i] = ss.v[j].days;
			cens += ss.v[j].censored;
		}
		dwell_stats(days, j - i, &ds);
		if (t != NULL) {
			const double v[4] = {ds.mean, ds.median, ds.p90,
			    ds.stddev};

			r = table_row(t);
			k = 0;
			if (o->by != BY_STAGE)
				table_text(t, r, k++, ss.v[i].group);
			table_text(t, r, k++, stage_def(st, ss.v[i].stage)->name);
			table_int(t, r, k++, (int64_t)ds.n);
			table_int(t, r, k++, (int64_t)cens);
			for (size_t x = 0; x < 4; x++) {
				snprintf(num, sizeof(num), "%.1f", v[x]);
				table_text(t, r, k++, num);
			}
			continue;
		}
		buf_reset(&b);
		buf_addc(&b, '{');
		if (o->by != BY_STAGE)
			json_str(&b, bykey[o->by], ss.v[i].group);
		json_str(&b, "stage", stage_def(st, ss.v[i].stage)->code);
		json_str(&b, "name", stage_def(st, ss.v[i].stage)->name);
		buf_addf(&b, ",\"n\":%zu,\"censored\":%zu", ds.n, cens);
		json_num(&b, "mean", ds.mean, 1);
		json_num(&b, "median", ds.median, 1);
		json_num(&b, "p90", ds.p90, 1);
		json_num(&b, "stddev", ds.stddev, 1);
		buf_adds(&b, "}\n");
		fputs(buf_str(&b), fp);
	}
	free(days);
	if (t != NULL) {
		if (t->nrows > 0)
			table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
out:
	for (i = 0; i < ss.n; i++)
		free(ss.v[i].group);
	free(ss.v);
	buf_free(&b);
	return rc;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct stuck_group *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	if (x->gate != y->gate)
		return (unsigned long)x->gate < (unsigned long)y->gate ? -1 : 1;
	return 0;
}

/* A deal in its stage past the limit, before its gates are asked. */
struct cand {
	char			*id;
	size_t			 len, at;
	int			 blob;
	const struct stage_def	*d;
};

/* ORDER BY id: text before blobs, then the bytes, then the shorter. */
static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c;

	if (x->blob != y->blob)
		return x->blob - y->blob;
	if ((c = memcmp(x->id, y->id, x->len < y->len ? x->len : y->len)) != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

int
stagerep_stuck_groups(struct stage *st, struct db *db, long over,
    const char *today, struct stuck_group **out, size_t *nout,
    size_t *totalp)
{
	static const char sql[] = "SELECT id, stage,"
	    " coalesce(substr(stage_since, 1, 10), created_on) FROM deal"
	    " NOT INDEXED";
	struct stuck_group *g = NULL;
	const struct stage_def *d;
	const char *id, *since;
	struct cand *c = NULL;
	sqlite3_stmt *q;
	size_t i, k, ng = 0, capg = 0, nc = 0, capc = 0, total = 0;
	long gate, limit, now = tz_today();
	int rc, ret = 0, own;

	*out = NULL;
	*nout = *totalp = 0;
	/*
	 * One read transaction for the whole pass (a lock and a WAL check
	 * per statement were a fifth of the work), and the gates see the
	 * deals as they were read.
	 */
	own = sqlite3_get_autocommit(db_handle(db));
	if (own && db_exec(db, "BEGIN") < 0)
		return -1;
	if ((q = db_prepare(db, sql)) == NULL) {
		if (own)
			db_exec(db, "COMMIT");
		return -1;
	}
	/*
	 * The deals in table order, not through the id index (a seek into
	 * the table for every deal), then the stuck ones in id order; only
	 * their ids are copied, and only which gate holds each up is
	 * asked: no values, no later gates.
	 */
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		since = (const char *)sqlite3_column_text(q, 2);
		d = stage_by_code(st, (const char *)sqlite3_column_text(q, 1));
		if (d == NULL || d->kind != SK_OPEN || since == NULL)
			continue;
		limit = over >= 0 ? over : d->days;
		if ((over < 0 && d->days == 0) ||
		    stage_days(since, today) <= limit)
			continue;
		c = xgrow(c, &capc, nc + 1, sizeof(*c));
		c[nc].blob = sqlite3_column_type(q, 0) == SQLITE_BLOB;
		id = (const char *)sqlite3_column_text(q, 0);
		c[nc].len = (size_t)sqlite3_column_bytes(q, 0);
		c[nc].id = xmalloc(c[nc].len + 1);
		memcpy(c[nc].id, id != NULL ? id : "", c[nc].len);
		c[nc].id[c[nc].len] = '\0';
		c[nc].at = nc;
		c[nc].d = d;
		nc++;
	}
	ret = step_rows(db, q, rc);
	sqlite3_reset(q);
	if (nc > 0)
		qsort(c, nc, sizeof(*c), cmp_cand);
	for (i = 0; ret == 0 && i < nc; i++) {
		d = c[i].d;
		if ((gate = stage_first_failing(st, c[i].id, d, now)) < -1) {
			ret = -1;
			break;
		}
		for (k = 0; k < ng; k++)
			if (g[k].stage == (size_t)(d - stage_def(st, 0)) &&
			    g[k].gate == gate)
				break;
		if (k == ng) {
			g = xgrow(g, &capg, ng + 1, sizeof(*g));
			memset(&g[ng], 0, sizeof(*g));
			g[ng].stage = (size_t)(d - stage_def(st, 0));
			g[ng].gate = gate;
			ng++;
		}
		g[k].deals = xgrow(g[k].deals, &g[k].cap, g[k].n + 1,
		    sizeof(char *));
		g[k].deals[g[k].n++] = c[i].id;
		c[i].id = NULL;
		total++;
	}
	for (i = 0; i < nc; i++)
		free(c[i].id);
	free(c);
	if (own)
		db_exec(db, "COMMIT");
	if (ng > 0)
		qsort(g, ng, sizeof(*g), cmp_group);
	if (ret < 0) {
		stagerep_stuck_free(g, ng);
		return -1;
	}
	*out = g;
	*nout = ng;
	*totalp = total;
	return 0;
}

void
stagerep_stuck_free(struct stuck_group *g, size_t ng)
{
	size_t i, k;

	for (k = 0; k < ng; k++) {
		for (i = 0; i < g[k].n; i++)
			free(g[k].deals[i]);
		free(g[k].deals);
	}
	free(g);
}

int
stagerep_stuck(FILE *fp, struct stage *st, struct db *db, long over,
    enum outfmt fmt)
{
	struct stuck_group *g;
	char today[CIVIL_TEXT_MAX];
	struct table *t = NULL;
	struct buf b = {0};
	struct civil c;
	size_t i, k, ng, total, r;
	int ret;

	memset(&c, 0, sizeof(c));
	civil_from_days(tz_today(), &c.y, &c.m, &c.d);
	civil_format(today, &c, 0);
	if ((ret = stagerep_stuck_groups(st, db, over, today, &g, &ng,
	    &total)) < 0)
		return -1;
	if (fmt == OUT_TEXT && ret == 0) {
		t = table_new("");
		table_col(t, "share", "share", 1);
		table_col(t, "deals", "deals", 1);
		table_col(t, "stage", "stage", 0);
		table_col(t, "gate", "waiting for", 0);
		table_col(t, "message", "message", 0);
		table_col(t, "ids", "deal ids", 0);
	}
	for (k = 0; ret == 0 && k < ng; k++) {
		const struct stage_gate *sg = g[k].gate >= 0 ?
		    stage_gate(st, (size_t)g[k].gate) : NULL;
		long pct = (long)((200 * g[k].n + total) / (2 * total));

		buf_reset(&b);
		if (t != NULL) {
			char p[16];

			r = table_row(t);
			snprintf(p, sizeof(p), "%ld%%", pct);
			table_text(t, r, 0, p);
			table_int(t, r, 1, (int64_t)g[k].n);
			table_text(t, r, 2, stage_def(st, g[k].stage)->name);
			table_text(t, r, 3, sg ? sg->name : "(gates hold)");
			table_text(t, r, 4, sg ? sg->message : "");
			for (i = 0; i < g[k].n; i++)
				buf_addf(&b, "%s%s", i ? " " : "",
				    g[k].deals[i]);
			table_text(t, r, 5, buf_str(&b));
			continue;
		}
		buf_addc(&b, '{');
		json_str(&b, "stage", stage_def(st, g[k].stage)->code);
		json_str(&b, "name", stage_def(st, g[k].stage)->name);
		json_str(&b, "gate", sg ? sg->name : NULL);
		json_str(&b, "message", sg ? sg->message : NULL);
		buf_addf(&b, ",\"deals\":%zu,\"of\":%zu,\"share_pct\":%ld,"
		    "\"ids\":[", g[k].n, total, pct);
		for (i = 0; i < g[k].n; i++) {
			if (i)
				buf_addc(&b, ',');
			buf_add_json(&b, g[k].deals[i], strlen(g[k].deals[i]));
		}
		buf_adds(&b, "]}\n");
		fputs(buf_str(&b), fp);
	}
	if (t != NULL) {
		if (t->nrows > 0)
			table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
	stagerep_stuck_free(g, ng);
	buf_free(&b);
	return ret;
}

/* One move in its own transaction; its result printed. */
static int
move_one(FILE *fp, struct stage *st, struct db *db,
    const struct stage_req *rq, long line, struct table *t)
{
	struct stage_outcome o;
	enum stage_result r;

	if (db_begin(db) < 0)
		return -1;
	r = stage_move(st, rq, &o);
	if (r == SR_ERROR)
		db_rollback(db);
	else if (db_commit(db) < 0)
		r = SR_ERROR;
	stagerep_move(fp, st, rq, &o, line, t);
	stage_outcome_clear(&o);
	return 0;
}

int
stagerep_run_move(FILE *fp, struct stage *st, struct db *db,
    const struct stage_req *rq, enum outfmt fmt)
{
	struct table *t = fmt == OUT_TEXT ? stagerep_move_table() : NULL;
	int rc;

	rc = move_one(fp, st, db, rq, 0, t);
	if (t != NULL) {
		table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
	return rc;
}

static const char *
member(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

int
stagerep_batch(FILE *in, const char *name, FILE *fp, struct stage *st,
    struct db *db, const struct stage_req *dflt, enum outfmt fmt)
{
	struct table *t = fmt == OUT_TEXT ? stagerep_move_table() : NULL;
	struct stage_outcome none;
	struct stage_req rq;
	struct pos pos;
	json_error_t jerr;
	json_t *o;
	char *line = NULL, at[INSTANT_TEXT_MAX];
	size_t cap = 0;
	long n = 0;
	int bad, rc = 0;

	memset(&none, 0, sizeof(none));
	none.result = SR_ERROR;
	while (rc == 0 && getline(&line, &cap, in) != -1) {
		n++;
		memset(&pos, 0, sizeof(pos));
		pos.file = name;
		pos.line = n;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		memset(&rq, 0, sizeof(rq));
		rq.pos = &pos;
		rq.source = "sales-stage";
		bad = 0;
		if ((o = json_loads(line, JSON_REJECT_DUPLICATES, &jerr)) ==
		    NULL || !json_is_object(o)) {
			pos.col = o == NULL ? jerr.column : 0;
			diag_error(SX_DATA, &pos, "%s", o == NULL ? jerr.text :
			    "a move is a JSON object");
			json_decref(o);
			rq.deal = rq.to = "";
			stagerep_move(fp, st, &rq, &none, n, t);
			continue;
		}
		rq.deal = member(o, "deal", &bad);
		rq.to = member(o, "to", &bad);
		if ((rq.by = member(o, "by", &bad)) == NULL)
			rq.by = dflt->by;
		rq.at = member(o, "at", &bad);
		if ((rq.reason = member(o, "reason", &bad)) == NULL)
			rq.reason = dflt->reason;
		rq.force = json_is_true(json_object_get(o, "force")) ||
		    (dflt->force && json_object_get(o, "force") == NULL);
		if (bad || rq.deal == NULL || rq.to == NULL)
			diag_error(SX_DATA, &pos, "a move needs \"deal\" and "
			    "\"to\" as strings (and optionally \"by\", \"at\", "
			    "\"reason\", \"force\")");
		else if (rq.force && rq.reason == NULL)
			diag_error(SX_DATA, &pos, "deal '%s': a forced move "
			    "needs a \"reason\"", diag_val(rq.deal));
		else if (rq.at != NULL && stage_instant(rq.at, at) < 0)
			diag_error(SX_DATA, &pos, "deal '%s': \"at\" is not a "
			    "time: '%s'", diag_val(rq.deal), diag_val(rq.at));
		else {
			if (rq.at != NULL)
				rq.at = at;
			else
				rq.at = dflt->at;
			rc = move_one(fp, st, db, &rq, n, t);
			json_decref(o);
			continue;
		}
		if (rq.deal == NULL)
			rq.deal = "";
		if (rq.to == NULL)
			rq.to = "";
		stagerep_move(fp, st, &rq, &none, n, t);
		json_decref(o);
	}
	free(line);
	if (ferror(in)) {
		struct pos p = {name, NULL, 0, 0};

		diag_syserr(&p, "cannot read");
	}
	if (t != NULL) {
		table_write(fp, t, OUT_TEXT, 1);
		table_free(t);
	}
	return rc;
}
