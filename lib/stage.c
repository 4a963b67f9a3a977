/*
 * The stage engine: rules from stages.csv, gates compiled under the
 * cond sandbox with the condfn helpers, moves decided and recorded.
 * See stage.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "cond.h"
#include "condfn.h"
#include "db.h"
#include "diag.h"
#include "norm.h"
#include "rules.h"
#include "stage.h"
#include "tz.h"
#include "vocab.h"
#include "xalloc.h"
#include "xldate.h"

struct stage {
	struct db		*db;
	struct vocab		*vocab;
	struct cond_env		*env;
	struct condfn		*fn;
	struct stage_def	*defs;
	size_t			 ndefs;
	struct stage_gate	*gates;
	size_t			 ngates;
	struct buf		 names;
};

static const char *const readable[] = {"v_activity", NULL};

size_t
stage_count(const struct stage *st)
{
	return st->ndefs;
}

const struct stage_def *
stage_def(const struct stage *st, size_t i)
{
	return i < st->ndefs ? &st->defs[i] : NULL;
}

const struct stage_gate *
stage_gate(const struct stage *st, size_t i)
{
	return i < st->ngates ? &st->gates[i] : NULL;
}

const struct stage_def *
stage_by_code(const struct stage *st, const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < st->ndefs; i++)
		if (strcmp(st->defs[i].code, code) == 0)
			return &st->defs[i];
	return NULL;
}

const struct stage_def *
stage_find(const struct stage *st, const char *text)
{
	const struct stage_def *d;
	const char *v;
	size_t i;

	if ((d = stage_by_code(st, text)) != NULL)
		return d;
	for (i = 0; i < st->ndefs; i++)
		if (strcmp(st->defs[i].name, text) == 0)
			return &st->defs[i];
	v = vocab_enum(st->vocab, "stage", text, strlen(text));
	return stage_by_code(st, v);
}

const char *
stage_names(const struct stage *st)
{
	return buf_str(&st->names);
}

static int
parse_kind(const char *s, enum stage_kind *k, int *gate)
{
	*gate = 0;
	if (strcmp(s, "stage") == 0)
		*k = SK_OPEN;
	else if (strcmp(s, "won") == 0)
		*k = SK_WON;
	else if (strcmp(s, "lost") == 0)
		*k = SK_LOST;
	else if (strcmp(s, "gate") == 0)
		*gate = 1;
	else
		return -1;
	return 0;
}

static void
defs_free(struct stage *st)
{
	size_t i;

	for (i = 0; i < st->ndefs; i++) {
		free(st->defs[i].code);
		free(st->defs[i].name);
	}
	for (i = 0; i < st->ngates; i++) {
		free(st->gates[i].name);
		free(st->gates[i].message);
		free(st->gates[i].required);
		cond_free(st->gates[i].test);
		cond_free(st->gates[i].value);
	}
	free(st->defs);
	free(st->gates);
}

void
stage_close(struct stage *st)
{
	if (st == NULL)
		return;
	defs_free(st);
	condfn_free(st->fn);
	cond_env_free(st->env);
	vocab_free(st->vocab);
	buf_free(&st->names);
	free(st);
}

/* The stage rows: order, kinds, codes agreeing with enums.csv. */
static int
load_stages(struct stage *st, struct rtable *t, int ck, int cs, int cn,
    int cd)
{
	enum stage_kind k;
	const char *code, *v, *days;
	struct stage_def *d;
	size_t r, nwon = 0, nopen = 0;
	int gate, bad = 0;
	char *end;

	for (r = 0; r < t->nrows; r++) {
		if (parse_kind(rtable_get(t, r, ck), &k, &gate) < 0) {
			rtable_error(t, r, ck, "unknown kind '%s' (stage, won, "
			    "lost or gate)", diag_val(rtable_get(t, r, ck)));
			bad = 1;
			continue;
		}
		if (gate)
			continue;
		code = rtable_get(t, r, cs);
		v = vocab_enum(st->vocab, "stage", code, strlen(code));
		if (v == NULL || strcmp(v, code) != 0) {
			rtable_error(t, r, cs, "stage '%s' is not a value of "
			    "the stage enumeration of enums.csv (%s)",
			    diag_val(code),
			    vocab_enum_values(st->vocab, "stage"));
			bad = 1;
			continue;
		}
		if (stage_by_code(st, code) != NULL) {
			rtable_error(t, r, cs, "stage '%s' is listed twice",
			    diag_val(code));
			bad = 1;
			continue;
		}
		if ((k == SK_OPEN && nwon > 0) || (k == SK_WON && nwon++)) {
			rtable_error(t, r, ck, "%s", k == SK_WON ? "a second "
			    "won stage" : "an open stage after the won stage");
			bad = 1;
			continue;
		}
		st->defs = xrealloc(st->defs, (st->ndefs + 1) *
		    sizeof(*st->defs));
		d = &st->defs[st->ndefs++];
		memset(d, 0, sizeof(*d));
		d->code = xstrdup(code);
		d->name = xstrdup(*rtable_get(t, r, cn) ? rtable_get(t, r, cn) :
		    code);
		d->kind = k;
		d->line = t->rows[r].line;
		d->order = k == SK_LOST ? -1 : (int)(k == SK_OPEN ? nopen++ :
		    nopen);
		days = cd >= 0 ? rtable_get(t, r, cd) : "";
		if (*days != '\0') {
			d->days = strtol(days, &end, 10);
			if (*end != '\0' || d->days < 0 || d->days > 100000) {
				rtable_error(t, r, cd, "days '%s' is not a "
				    "number of days", diag_val(days));
				bad = 1;
			}
		}
		buf_addf(&st->names, "%s%s", st->names.len ? ", " : "",
		    d->name);
	}
	if (!bad && (nopen == 0 || nwon == 0)) {
		struct pos pos = {t->path, NULL, 0, 0};

		diag_error(SX_USAGE, &pos, "needs at least one open stage and "
		    "a won stage");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* The enumeration and the table must name the same stages. */
static int
check_enum(struct stage *st, struct rtable *t)
{
	struct pos pos = {t->path, NULL, 0, 0};
	const char *p, *q;
	char code[64];
	int bad = 0;

	for (p = vocab_enum_values(st->vocab, "stage"); p && *p; p = q) {
		while (*p == ',' || *p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ','; q++)
			;
		if (q == p || (size_t)(q - p) >= sizeof(code))
			continue;
		memcpy(code, p, (size_t)(q - p));
		code[q - p] = '\0';
		if (stage_by_code(st, code) == NULL) {
			diag_error(SX_USAGE, &pos, "stage '%s' of enums.csv "
			    "has no line here", code);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int
load_gates(struct stage *st, struct rtable *t, int ck, int cs, int cn,
    int cc, int cm, int cv, int cr)
{
	const struct stage_def *d;
	struct stage_gate *g;
	char origin[1100], what[200];
	size_t r, i;
	int bad = 0;

	for (i = 0; i < st->ndefs; i++) {
		d = &st->defs[i];
		st->defs[i].gate0 = st->ngates;
		for (r = 0; r < t->nrows; r++) {
			if (strcmp(rtable_get(t, r, ck), "gate") != 0 ||
			    strcmp(rtable_get(t, r, cs), d->code) != 0)
				continue;
			if (d->kind != SK_OPEN) {
				rtable_error(t, r, cs, "gates belong to open "
				    "stages, not to '%s'", d->code);
				bad = 1;
				continue;
			}
			st->gates = xrealloc(st->gates, (st->ngates + 1) *
			    sizeof(*st->gates));
			g = &st->gates[st->ngates++];
			memset(g, 0, sizeof(*g));
			g->name = xstrdup(rtable_get(t, r, cn));
			g->message = xstrdup(rtable_get(t, r, cm));
			g->required = xstrdup(rtable_get(t, r, cr));
			g->stage = i;
			g->line = t->rows[r].line;
			snprintf(origin, sizeof(origin), "%s:%ld", t->path,
			    g->line);
			snprintf(what, sizeof(what), "gate '%s' condition",
			    g->name);
			if (*g->name == '\0' || *g->message == '\0' ||
			    *rtable_get(t, r, cc) == '\0') {
				rtable_error(t, r, *g->name == '\0' ? cn :
				    *g->message == '\0' ? cm : cc, "a gate "
				    "needs a name, a condition and a message");
				bad = 1;
				continue;
			}
			if ((g->test = cond_compile(st->env,
			    rtable_get(t, r, cc), origin, what)) == NULL)
				bad = 1;
			snprintf(what, sizeof(what), "gate '%s' value",
			    g->name);
			if (*rtable_get(t, r, cv) != '\0' &&
			    (g->value = cond_compile(st->env,
			    rtable_get(t, r, cv), origin, what)) == NULL)
				bad = 1;
		}
		st->defs[i].ngates = st->ngates - st->defs[i].gate0;
	}
	for (r = 0; r < t->nrows; r++)
		if (strcmp(rtable_get(t, r, ck), "gate") == 0 &&
		    stage_by_code(st, rtable_get(t, r, cs)) == NULL) {
			rtable_error(t, r, cs, "gate of unknown stage '%s'",
			    diag_val(rtable_get(t, r, cs)));
			bad = 1;
		}
	return bad ? -1 : 0;
}

struct stage *
stage_open(struct db *db, const char *dir)
{
	struct stage *st;
	struct rtable *t;
	int ck, cs, cn, cc, cm, cv, cr, cd, rc = -1;

	st = xcalloc(1, sizeof(*st));
	st->db = db;
	if ((st->vocab = vocab_load(dir)) == NULL) {
		stage_close(st);
		return NULL;
	}
	if ((t = rules_load(dir, "stages.csv")) == NULL) {
		stage_close(st);
		return NULL;
	}
	st->env = cond_env_new(db_handle(db), "v_stage_deal", "id", readable);
	if ((st->fn = condfn_new(db_handle(db), st->env, "v_stage_deal")) ==
	    NULL)
		goto out;
	if ((ck = rtable_need(t, "kind")) < 0 ||
	    (cs = rtable_need(t, "stage")) < 0 ||
	    (cn = rtable_need(t, "name")) < 0 ||
	    (cc = rtable_need(t, "condition")) < 0 ||
	    (cm = rtable_need(t, "message")) < 0 ||
	    (cv = rtable_need(t, "value")) < 0 ||
	    (cr = rtable_need(t, "required")) < 0)
		goto out;
	cd = rtable_col(t, "days");
	if (load_stages(st, t, ck, cs, cn, cd) < 0 || check_enum(st, t) < 0)
		goto out;
	rc = load_gates(st, t, ck, cs, cn, cc, cm, cv, cr);
out:
	rtable_free(t);
	if (rc < 0) {
		diag_raise(SX_USAGE);
		stage_close(st);
		return NULL;
	}
	return st;
}

void
stage_gres_free(struct stage_gres *res, size_t n)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < n; i++)
		free(res[i].note);
	free(res);
}

int
stage_eval(struct stage *st, const char *deal, const struct stage_def *s,
    struct stage_gres **out)
{
	struct stage_gres *res;
	const struct stage_gate *g;
	const char *note;
	size_t i;
	int rc;

	*out = res = xcalloc(s->ngates + 1, sizeof(*res));
	for (i = 0; i < s->ngates; i++) {
		g = &st->gates[s->gate0 + i];
		res[i].gate = g;
		condfn_set(st->fn, deal, tz_today());
		if ((rc = cond_test(g->test, deal)) < 0)
			return -1;
		res[i].ok = rc;
		if ((note = condfn_note(st->fn)) != NULL && !rc)
			res[i].note = xstrdup(note);
		if (g->value != NULL && cond_value(g->value, deal,
		    res[i].value, sizeof(res[i].value)) < 0)
			return -1;
	}
	return 0;
}

long
stage_first_failing(struct stage *st, const char *deal,
    const struct stage_def *s, long today)
{
	size_t i;
	int rc;

	/* One deal for every gate: the helpers read its activities once. */
	if (s->ngates > 0)
		condfn_set(st->fn, deal, today);
	for (i = 0; i < s->ngates; i++) {
		if ((rc = cond_test_present(st->gates[s->gate0 + i].test,
		    deal)) < 0)
			return -2;
		if (rc == 0)
			return (long)(s->gate0 + i);
	}
	return -1;
}

void
stage_outcome_clear(struct stage_outcome *o)
{
	stage_gres_free(o->fails, o->nfails);
	memset(o, 0, sizeof(*o));
}

/* Keep the failing ones of n results in o. */
static void
keep_fails(struct stage_outcome *o, struct stage_gres *res, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (res[i].ok) {
			free(res[i].note);
			continue;
		}
		o->fails = xrealloc(o->fails, (o->nfails + 1) *
		    sizeof(*o->fails));
		o->fails[o->nfails++] = res[i];
	}
	free(res);
}

/* Gates of every open stage from `from` up to, not including, `to`. */
static int
gates_between(struct stage *st, const char *deal,
    const struct stage_def *from, const struct stage_def *to,
    struct stage_outcome *o)
{
	struct stage_gres *res;
	size_t i;

	for (i = 0; i < st->ndefs; i++) {
		const struct stage_def *d = &st->defs[i];

		if (d->kind != SK_OPEN || d->order < from->order ||
		    (to->kind != SK_LOST && d->order >= to->order))
			continue;
		if (stage_eval(st, deal, d, &res) < 0) {
			stage_gres_free(res, d->ngates);
			return -1;
		}
		keep_fails(o, res, d->ngates);
	}
	return 0;
}

static void
fails_json(struct buf *b, const struct stage *st,
    const struct stage_outcome *o)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < o->nfails; i++) {
		const struct stage_gres *f = &o->fails[i];

		buf_adds(b, i ? ",{\"stage\":" : "{\"stage\":");
		buf_add_json(b, st->defs[f->gate->stage].code,
		    strlen(st->defs[f->gate->stage].code));
		buf_adds(b, ",\"gate\":");
		buf_add_json(b, f->gate->name, strlen(f->gate->name));
		buf_adds(b, ",\"value\":");
		buf_add_json(b, f->value, strlen(f->value));
		buf_adds(b, ",\"required\":");
		buf_add_json(b, f->gate->required, strlen(f->gate->required));
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
bind_opt(sqlite3_stmt *q, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static const char *const kind_names[] = {
	"moved", "forced", "reopened", "blocked",
};

static int
record(struct stage *st, const struct stage_req *rq, const char *at,
    const struct stage_outcome *o)
{
	static const char ins[] = "INSERT INTO stage_event (deal_id,"
	    " from_stage, to_stage, kind, reason, by_rep, at, on_date,"
	    " failing, source, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?,"
	    " substr(?7, 1, 10), ?, ?, ?)";
	static const char upd[] = "UPDATE deal SET stage = ?, stage_since = ?"
	    " WHERE id = ?";
	struct buf fails = {0};
	sqlite3_stmt *q;
	int rc;

	if ((q = db_prepare(st->db, ins)) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, rq->deal, -1, SQLITE_TRANSIENT);
	bind_opt(q, 2, o->from ? o->from->code : NULL);
	sqlite3_bind_text(q, 3, o->to->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, kind_names[o->result], -1, SQLITE_STATIC);
	bind_opt(q, 5, o->why != NULL && rq->reason == NULL ? o->why :
	    rq->reason);
	bind_opt(q, 6, rq->by);
	sqlite3_bind_text(q, 7, at, -1, SQLITE_TRANSIENT);
	if (o->nfails > 0) {
		fails_json(&fails, st, o);
		sqlite3_bind_text(q, 8, buf_str(&fails), -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_text(q, 9, rq->source ? rq->source : "sales-stage", -1,
	    SQLITE_TRANSIENT);
	if (rq->batch > 0)
		sqlite3_bind_int64(q, 10, rq->batch);
	buf_free(&fails);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_fail(st->db, rc, "cannot record the stage event");
	if (o->result == SR_BLOCKED || rq->batch > 0)
		return 0;
	if ((q = db_prepare(st->db, upd)) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, o->to->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, rq->deal, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_fail(st->db, rc, "cannot move the deal");
	return 0;
}

/*
 * The deal's stored stage: 1 with *code (caller frees) and *since (when
 * it entered the stage, or its creation day; caller frees; NULL when
 * unknown), 0 when there is no such deal.  *early is 1 when the instant
 * at comes before that.
 */
static int
deal_stage(struct stage *st, const char *deal, const char *at, char **code,
    char **since, int *early)
{
	static const char sql[] = "SELECT stage,"
	    " coalesce(stage_since, created_on), CASE"
	    " WHEN stage_since IS NOT NULL"
	    " THEN julianday(?2) < julianday(stage_since)"
	    " ELSE substr(?2, 1, 10) < created_on END"
	    " FROM deal WHERE id = ?1";
	sqlite3_stmt *q;
	const unsigned char *s;
	int rc;

	*code = *since = NULL;
	*early = 0;
	if ((q = db_prepare(st->db, sql)) == NULL)
		return -1;
	sqlite3_bind_text(q, 1, deal, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, at, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if ((s = sqlite3_column_text(q, 0)) != NULL)
			*code = xstrdup((const char *)s);
		if ((s = sqlite3_column_text(q, 1)) != NULL)
			*since = xstrdup((const char *)s);
		*early = sqlite3_column_int(q, 2) == 1;
		sqlite3_reset(q);
		return 1;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st->db, rc, "cannot read the deal");
}

/* Decide a move from o->from to o->to; gates evaluated as needed. */
static enum stage_result
decide(struct stage *st, const struct stage_req *rq, struct stage_outcome *o)
{
	const struct stage_def *f = o->from, *t = o->to;

	if (f == t)
		return SR_UNCHANGED;
	if (f != NULL && f->kind != SK_OPEN) {
		if (rq->reason == NULL || *rq->reason == '\0') {
			o->why = "closed stage: reopening needs a reason";
			return SR_BLOCKED;
		}
		if (t->kind != SK_OPEN) {
			o->why = "a closed deal reopens to an open stage";
			return SR_BLOCKED;
		}
		return SR_REOPENED;
	}
	if (f == NULL || t->kind == SK_LOST || t->order < f->order)
		return rq->force ? SR_FORCED : SR_MOVED;
	if (gates_between(st, rq->deal, f, t, o) < 0)
		return SR_ERROR;
	if (rq->force)
		return SR_FORCED;
	return o->nfails > 0 ? SR_BLOCKED : SR_MOVED;
}

enum stage_result
stage_move(struct stage *st, const struct stage_req *rq,
    struct stage_outcome *o)
{
	char now[INSTANT_TEXT_MAX], *code, *since;
	int rc, early;

	memset(o, 0, sizeof(*o));
	o->result = SR_ERROR;
	if ((o->to = stage_find(st, rq->to)) == NULL) {
		diag_error(SX_DATA, rq->pos, "deal '%s': unknown stage '%s' "
		    "(stages: %s)", diag_val(rq->deal), diag_val(rq->to),
		    stage_names(st));
		return SR_ERROR;
	}
	tz_now(now);
	if ((rc = deal_stage(st, rq->deal, rq->at ? rq->at : now, &code,
	    &since, &early)) <= 0) {
		if (rc == 0)
			diag_error(SX_DATA, rq->pos, "no deal '%s' in the store",
			    diag_val(rq->deal));
		return SR_ERROR;
	}
	o->from = stage_by_code(st, code);
	if (code != NULL && o->from == NULL)
		diag_error(SX_DATA, rq->pos, "deal '%s': its stage '%s' is not "
		    "in stages.csv", diag_val(rq->deal), diag_val(code));
	else if (early && rq->batch == 0)
		/* Stays of negative length would corrupt dwell times. */
		diag_error(SX_DATA, rq->pos, "deal '%s': the move at %s comes "
		    "before the deal entered %s (%s)", diag_val(rq->deal),
		    rq->at ? rq->at : now, o->from ? o->from->name : "its stage",
		    since);
	else
		o->result = decide(st, rq, o);
	free(code);
	free(since);
	if (o->result == SR_ERROR || o->result == SR_UNCHANGED)
		return o->result;
	if (record(st, rq, rq->at ? rq->at : now, o) < 0)
		o->result = SR_ERROR;
	return o->result;
}

int
stage_import(struct stage *st, const char *deal, const char *from,
    const char *to, long batch, struct buf *why)
{
	struct stage_outcome o;
	struct stage_req rq;
	char now[INSTANT_TEXT_MAX];
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&rq, 0, sizeof(rq));
	rq.deal = deal;
	rq.to = to;
	rq.source = "import";
	rq.batch = batch;
	o.from = stage_by_code(st, from);
	/* Stages the rules do not know are the importer's business. */
	if ((o.to = stage_by_code(st, to)) == NULL ||
	    (from != NULL && o.from == NULL))
		return 1;
	o.result = decide(st, &rq, &o);
	rc = o.result == SR_BLOCKED ? 0 : 1;
	if (rc == 0 && why != NULL) {
		size_t i;

		buf_addf(why, "deal '%s' stays in %s, not %s: ", deal,
		    o.from->name, o.to->name);
		if (o.nfails == 0)
			buf_adds(why, o.why);
		for (i = 0; i < o.nfails; i++) {
			const struct stage_gres *f = &o.fails[i];

			buf_addf(why, "%s%s %s/%s (%s)", i ? ", " : "",
			    f->gate->name, *f->value ? f->value : "0",
			    f->gate->required, f->gate->message);
		}
	}
	tz_now(now);
	if (o.result == SR_ERROR || (o.result != SR_UNCHANGED &&
	    record(st, &rq, now, &o) < 0))
		rc = -1;
	stage_outcome_clear(&o);
	return rc;
}

struct stage_hook {
	struct db	*db;
	char		*dir;
	struct stage	*st;	/* loaded on the first claim */
	long		 blocked;
};

struct stage_hook *
stage_hook_new(struct db *db, const char *dir)
{
	struct stage_hook *h;

	h = xcalloc(1, sizeof(*h));
	h->db = db;
	h->dir = xstrdup(dir);
	return h;
}

void
stage_hook_free(struct stage_hook *h)
{
	if (h == NULL)
		return;
	stage_close(h->st);
	free(h->dir);
	free(h);
}

int
stage_hook_claim(struct stage_hook *h, const char *file, const char *sheet,
    long row, const char *deal, const char *from, const char *to,
    size_t tolen, long batch)
{
	struct pos pos = {file, sheet, row, 0};
	struct buf why = {0};
	char *f, *t;
	int rc;

	if (h == NULL)
		return 1;
	if (h->st == NULL && (h->st = stage_open(h->db, h->dir)) == NULL)
		return -1;
	f = from != NULL ? xstrdup(from) : NULL;
	t = xstrndup(to, tolen);
	if ((rc = stage_import(h->st, deal, f, t, batch, &why)) == 0) {
		diag_warn(&pos, "column 'stage': %s", buf_str(&why));
		h->blocked++;
	}
	buf_free(&why);
	free(f);
	free(t);
	return rc;
}

long
stage_hook_blocked(const struct stage_hook *h)
{
	return h != NULL ? h->blocked : 0;
}

void
stage_hook_reset(struct stage_hook *h)
{
	if (h != NULL)
		h->blocked = 0;
}

/*
 * The date at the start of s: the stored YYYY-MM-DD read digit by digit
 * (stuck deals ask this of every deal), else as sscanf reads it.
 */
static int
ymd(const char *s, int *y, int *m, int *d)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			break;
	if (i == 10) {
		*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');
		*m = (s[5] - '0') * 10 + (s[6] - '0');
		*d = (s[8] - '0') * 10 + (s[9] - '0');
		return 0;
	}
	return sscanf(s, "%4d-%2d-%2d", y, m, d) == 3 ? 0 : -1;
}

long
stage_days(const char *a, const char *b)
{
	int y1, m1, d1, y2, m2, d2;

	if (a == NULL || b == NULL || ymd(a, &y1, &m1, &d1) < 0 ||
	    ymd(b, &y2, &m2, &d2) < 0)
		return 0;
	return days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1);
}

int
stage_instant(const char *text, char *out)
{
	enum date_order settles;
	struct civil c, local;
	const char *why;
	int has_time, tzmin;

	if (norm_datetime(text, strlen(text), ORDER_UNKNOWN, 0, &c, &has_time,
	    &tzmin, &settles, &why) != NORM_OK)
		return -1;
	local = c;
	if (tzmin != NO_TZ)
		tz_to_local(&c, tzmin, &local);
	tz_format_instant(out, &local);
	return 0;
}
