/*
 * The incentives report (sales-report incentives): rewards for actions,
 * not for signed contracts.  Each line of incentives.csv pays an amount
 * for an activity of one type, optionally only when a condition holds,
 * optionally once per customer or deal; only activities the customer
 * confirmed (activity.confirmed_by set) are paid, and the others are
 * shown apart with the reason, so a rep sees why.
 *
 * Activities are taken by their stored local on_date (DESIGN.md 7).
 * For a once-per rule the activities before the period count too: the
 * first confirmed one for a customer was paid then.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "cond.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "hmap.h"
#include "i18n.h"
#include "incent.h"
#include "norm.h"
#include "report.h"
#include "rules.h"
#include "table.h"
#include "vocab.h"
#include "xalloc.h"

enum once {
	ONCE_NONE,
	ONCE_CUSTOMER,
	ONCE_DEAL
};

/* Why an action is paid or not, in the order the report lists them. */
enum status {
	ST_PAID,
	ST_UNCONFIRMED,
	ST_ALREADY,
	ST_NOKEY,
	ST_COUNT
};

struct rule {
	char		*action;
	char		*label;
	char		*type;
	int64_t		 fen;
	enum once	 once;
	struct cond	*cond;		/* NULL: always */
};

struct tally {
	char		*rep_id;	/* NULL: no rep */
	char		*rep;
	size_t		 rule;
	enum status	 status;
	long		 n;
};

struct incent {
	struct db	*db;
	const struct report_opts *o;
	struct cond_env	*env;
	struct rule	*r;
	size_t		 nr, capr;
	struct tally	*t;
	size_t		 nt, capt;
	struct hmap	*idx;		/* rep, rule, status -> tally */
	struct buf	 key;
};

/* clang-format off */
static const char cand_sql[] =
    "SELECT a.id, a.on_date, a.rep_id, r.name, a.customer_id, a.deal_id,"
    " trim(coalesce(a.confirmed_by, '')) <> ''"
    " FROM activity a LEFT JOIN rep r ON r.id = a.rep_id"
    " WHERE a.type = ?1 AND a.on_date <= ?2"
    " ORDER BY a.on_date, a.at, a.id";
/* clang-format on */

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
incent_clear(struct incent *in)
{
	size_t i;

	for (i = 0; i < in->nr; i++) {
		free(in->r[i].action);
		free(in->r[i].label);
		free(in->r[i].type);
		cond_free(in->r[i].cond);
	}
	free(in->r);
	for (i = 0; i < in->nt; i++) {
		free(in->t[i].rep_id);
		free(in->t[i].rep);
	}
	free(in->t);
	hmap_free(in->idx);
	buf_free(&in->key);
	cond_env_free(in->env);
}

/* Load incentives.csv.  0, or -1 after reporting. */
static int
load_rules(struct incent *in)
{
	struct rtable *t;
	struct vocab *voc;
	struct rule *r;
	const char *action, *label, *type, *cond, *amount, *once, *why;
	char cur[4], *origin;
	size_t i, k;
	int ca, cl, ct, cc, cm, co, bad, rc;
	int64_t fen;

	if ((voc = vocab_load(in->o->rules)) == NULL)
		return -1;
	if ((t = rules_load(in->o->rules, "incentives.csv")) == NULL) {
		vocab_free(voc);
		return -1;
	}
	/* label, condition and once_per may be left out. */
	ca = rtable_need(t, "action");
	cl = rtable_col(t, "label");
	ct = rtable_need(t, "activity_type");
	cc = rtable_col(t, "condition");
	cm = rtable_need(t, "amount");
	co = rtable_col(t, "once_per");
	if (ca < 0 || ct < 0 || cm < 0) {
		rtable_free(t);
		vocab_free(voc);
		return -1;
	}
	in->env = cond_env_new(db_handle(in->db), "v_activity", "id", NULL);
	bad = 0;
	for (i = 0; i < t->nrows; i++) {
		action = rtable_get(t, i, ca);
		label = cl >= 0 ? rtable_get(t, i, cl) : "";
		type = rtable_get(t, i, ct);
		cond = cc >= 0 ? rtable_get(t, i, cc) : "";
		amount = rtable_get(t, i, cm);
		once = co >= 0 ? rtable_get(t, i, co) : "";
		if (*action == '\0') {
			rtable_error(t, i, ca, "no action");
			bad = 1;
			continue;
		}
		for (k = 0; k < in->nr; k++)
			if (strcmp(in->r[k].action, action) == 0)
				break;
		if (k < in->nr) {
			rtable_error(t, i, ca, "action '%s' is given twice",
			    diag_val(action));
			bad = 1;
			continue;
		}
		if (*type == '\0') {
			rtable_error(t, i, ct, "no activity_type");
			bad = 1;
			continue;
		}
		if (vocab_rule_enum(voc, t, i, ct, "activity", type) < 0) {
			bad = 1;
			continue;
		}
		snprintf(cur, sizeof(cur), "CNY");
		fen = 0;
		why = NULL;
		rc = *amount == '\0' ? NORM_EMPTY : norm_money(amount,
		    strlen(amount), 1, &fen, cur, &why);
		if (rc == NORM_OK && strcmp(cur, "CNY") != 0) {
			/* Rewards are paid in yuan: 500美元 is not 500. */
			rtable_error(t, i, cm, "amount '%s': in %s, not yuan",
			    diag_val(amount), cur);
			bad = 1;
			continue;
		}
		if (rc != NORM_OK || fen <= 0) {
			rtable_error(t, i, cm, "amount '%s': %s",
			    diag_val(amount), rc == NORM_EMPTY ? "missing" :
			    rc != NORM_OK ? (why != NULL ? why :
			    "not a money value") : "not more than zero");
			bad = 1;
			continue;
		}
		in->r = xgrow(in->r, &in->capr, in->nr + 1, sizeof(*in->r));
		r = &in->r[in->nr];
		memset(r, 0, sizeof(*r));
		if (*once == '\0' || strcmp(once, "none") == 0)
			r->once = ONCE_NONE;
		else if (strcmp(once, "customer") == 0)
			r->once = ONCE_CUSTOMER;
		else if (strcmp(once, "deal") == 0)
			r->once = ONCE_DEAL;
		else {
			rtable_error(t, i, co, "once_per '%s': not customer, "
			    "deal or none", diag_val(once));
			bad = 1;
			continue;
		}
		if (*cond != '\0') {
			origin = xasprintf("%s:%ld", t->path, t->rows[i].line);
			r->cond = cond_compile(in->env, cond, origin,
			    "condition");
			free(origin);
			if (r->cond == NULL) {
				bad = 1;
				continue;
			}
		}
		r->action = xstrdup(action);
		r->label = xstrdup(*label != '\0' ? label : action);
		r->type = xstrdup(type);
		r->fen = fen;
		in->nr++;
	}
	rtable_free(t);
	vocab_free(voc);
	return bad ? -1 : 0;
}

static void
tally(struct incent *in, const char *rep_id, const char *rep, size_t rule,
    enum status st)
{
	struct tally *t;
	intptr_t v;

	buf_reset(&in->key);
	buf_adds(&in->key, rep_id != NULL ? rep_id : "");
	buf_addf(&in->key, "\x1f%zu\x1f%d", rule, (int)st);
	if (hmap_get(in->idx, in->key.s, in->key.len, &v)) {
		in->t[v].n++;
		return;
	}
	in->t = xgrow(in->t, &in->capt, in->nt + 1, sizeof(*in->t));
	t = &in->t[in->nt];
	t->rep_id = rep_id != NULL ? xstrdup(rep_id) : NULL;
	t->rep = rep != NULL ? xstrdup(rep) : NULL;
	t->rule = rule;
	t->status = st;
	t->n = 1;
	hmap_put(in->idx, in->key.s, in->key.len, (intptr_t)in->nt);
	in->nt++;
}

/* One rule over the activities up to the period's end. */
static int
scan_rule(struct incent *in, size_t ri)
{
	const struct rule *r = &in->r[ri];
	struct hmap *used;
	sqlite3_stmt *st;
	const char *id, *on, *key;
	enum status s;
	int rc, c, confirmed;

	if ((st = db_prepare(in->db, cand_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->o->to, -1, SQLITE_STATIC);
	used = hmap_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = col_text(st, 0);
		on = col_text(st, 1);
		confirmed = sqlite3_column_int(st, 6);
		key = r->once == ONCE_CUSTOMER ? col_text(st, 4) :
		    r->once == ONCE_DEAL ? col_text(st, 5) : NULL;
		if (key != NULL && *key == '\0')
			key = NULL;
		if (r->once == ONCE_NONE && strcmp(on, in->o->from) < 0)
			continue;
		if (r->cond != NULL) {
			if ((c = cond_test(r->cond, id)) < 0) {
				sqlite3_reset(st);
				hmap_free(used);
				return -1;
			}
			if (c == 0)
				continue;
		}
		if (strcmp(on, in->o->from) < 0) {
			/* Paid in an earlier period. */
			if (confirmed && key != NULL)
				hmap_put(used, key, strlen(key), 1);
			continue;
		}
		if (!confirmed)
			s = ST_UNCONFIRMED;
		else if (r->once == ONCE_NONE)
			s = ST_PAID;
		else if (key == NULL)
			s = ST_NOKEY;
		else {
			intptr_t v;

			if (hmap_get(used, key, strlen(key), &v))
				s = ST_ALREADY;
			else {
				hmap_put(used, key, strlen(key), 1);
				s = ST_PAID;
			}
		}
		tally(in, col_text(st, 2), col_text(st, 3), ri, s);
	}
	sqlite3_reset(st);
	hmap_free(used);
	if (rc != SQLITE_DONE)
		return db_fail(in->db, rc, "incentives");
	return 0;
}

/* By rep name (no rep last), rep id, the rules' order, status. */
static int
tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	int c;

	if ((x->rep == NULL) != (y->rep == NULL))
		return x->rep == NULL ? 1 : -1;
	if (x->rep != NULL && (c = strcmp(x->rep, y->rep)) != 0)
		return c;
	if ((x->rep_id == NULL) != (y->rep_id == NULL))
		return x->rep_id == NULL ? 1 : -1;
	if (x->rep_id != NULL && (c = strcmp(x->rep_id, y->rep_id)) != 0)
		return c;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return (int)x->status - (int)y->status;
}

static const char *
reason_key(const struct rule *r, enum status s)
{
	switch (s) {
	case ST_UNCONFIRMED:
		return "not_confirmed";
	case ST_ALREADY:
		return "already_paid";
	case ST_NOKEY:
		return r->once == ONCE_DEAL ? "no_deal" : "no_customer";
	default:
		return NULL;
	}
}

static const char *
reason_text(const struct rule *r, enum status s)
{
	switch (s) {
	case ST_UNCONFIRMED:
		return _("not paid: not confirmed by the customer");
	case ST_ALREADY:
		return r->once == ONCE_DEAL ?
		    _("not paid: already paid once for this deal") :
		    _("not paid: already paid once for this customer");
	case ST_NOKEY:
		return r->once == ONCE_DEAL ?
		    _("not paid: no deal named, paid once per deal") :
		    _("not paid: no customer named, paid once per customer");
	default:
		return NULL;
	}
}

static struct table *
flat_new(void)
{
	struct table *t;

	t = table_new(NULL);
	table_col(t, "section", "section", 0);
	table_col(t, "rep", "rep", 0);
	table_col(t, "action", "action", 0);
	table_col(t, "count", "count", 1);
	table_money_col(t, "unit_amount", "unit_amount");
	table_money_col(t, "amount", "amount");
	table_col(t, "reason", "reason", 0);
	return t;
}

static const char *
rep_label(const struct tally *t)
{
	return t->rep != NULL ? t->rep : _("(no rep)");
}

/*
 * The tables into doc.  0, or -1 after reporting an amount past the
 * int64 range of fen (doc then holds nothing of them).
 */
static int
build(struct incent *in, struct doc *doc, long *nfind)
{
	struct table *paid, *unpaid, *flat;
	const struct tally *t;
	const struct rule *r;
	size_t i, j, row, fr;
	int64_t amount, rep_amount, total;
	long rep_n, total_n, nunpaid;
	int overflow = 0;

	paid = table_new(NULL);
	table_col(paid, "rep", _("rep"), 0);
	table_col(paid, "action", _("action"), 0);
	table_col(paid, "count", _("count"), 1);
	table_money_col(paid, "unit_amount", _("unit amount"));
	table_money_col(paid, "amount", _("amount"));
	unpaid = table_new(NULL);
	table_col(unpaid, "rep", _("rep"), 0);
	table_col(unpaid, "action", _("action"), 0);
	table_col(unpaid, "count", _("count"), 1);
	table_col(unpaid, "reason", _("reason"), 0);
	flat = flat_new();
	total = 0;
	total_n = nunpaid = 0;
	for (i = 0; i < in->nt; i = j) {
		rep_amount = 0;
		rep_n = 0;
		/* The rep's lines: i up to j, same rep id. */
		for (j = i; j < in->nt; j++) {
			t = &in->t[j];
			if ((t->rep_id == NULL) != (in->t[i].rep_id == NULL) ||
			    (t->rep_id != NULL && strcmp(t->rep_id,
			    in->t[i].rep_id) != 0))
				break;
			r = &in->r[t->rule];
			fr = table_row(flat);
			table_text(flat, fr, 1, t->rep);
			table_text(flat, fr, 2, r->action);
			table_int(flat, fr, 3, t->n);
			if (t->status != ST_PAID) {
				row = table_row(unpaid);
				table_text(unpaid, row, 0, rep_label(t));
				table_text(unpaid, row, 1, r->label);
				table_int(unpaid, row, 2, t->n);
				table_text(unpaid, row, 3,
				    reason_text(r, t->status));
				table_text(flat, fr, 0, "not_paid");
				table_text(flat, fr, 6,
				    reason_key(r, t->status));
				nunpaid += t->n;
				continue;
			}
			if (__builtin_mul_overflow(r->fen, (int64_t)t->n,
			    &amount) || __builtin_add_overflow(rep_amount,
			    amount, &rep_amount))
				overflow = 1;
			row = table_row(paid);
			table_text(paid, row, 0, rep_label(t));
			table_text(paid, row, 1, r->label);
			table_int(paid, row, 2, t->n);
			table_money(paid, row, 3, r->fen);
			table_money(paid, row, 4, amount);
			table_text(flat, fr, 0, "paid");
			table_money(flat, fr, 4, r->fen);
			table_money(flat, fr, 5, amount);
			rep_n += t->n;
		}
		if (rep_n == 0)
			continue;
		t = &in->t[i];
		row = table_row(paid);
		table_text(paid, row, 0, rep_label(t));
		table_text(paid, row, 1, _("rep total"));
		table_int(paid, row, 2, rep_n);
		table_money(paid, row, 4, rep_amount);
		fr = table_row(flat);
		table_text(flat, fr, 0, "rep_total");
		table_text(flat, fr, 1, t->rep);
		table_int(flat, fr, 3, rep_n);
		table_money(flat, fr, 5, rep_amount);
		if (__builtin_add_overflow(total, rep_amount, &total))
			overflow = 1;
		total_n += rep_n;
	}
	table_totals(paid);
	row = table_row(paid);
	table_text(paid, row, 0, _("total"));
	table_int(paid, row, 2, total_n);
	table_money(paid, row, 4, total);
	fr = table_row(flat);
	table_text(flat, fr, 0, "total");
	table_int(flat, fr, 3, total_n);
	table_money(flat, fr, 5, total);
	if (overflow) {
		diag_error(SX_SYS, NULL, "incentives amounts: integer "
		    "overflow");
		table_free(paid);
		table_free(unpaid);
		table_free(flat);
		return -1;
	}

	doc_heading(doc, _("Rewards"));
	doc_para(doc, _("Actions of %s to %s confirmed by the customer, at "
	    "the amounts of incentives.csv."), in->o->from, in->o->to);
	doc_table(doc, paid, DOC_HUMAN);
	doc_heading(doc, _("Not paid"));
	if (unpaid->nrows == 0) {
		doc_para(doc, _("None: every action was paid."));
		table_free(unpaid);
	} else
		doc_table(doc, unpaid, DOC_HUMAN);
	doc_table(doc, flat, DOC_MACHINE);
	*nfind = nunpaid;
	return 0;
}

struct doc *
report_incentives(struct db *db, const struct report_opts *o, long *nfind)
{
	struct incent in;
	struct doc *doc;
	char title[160];
	size_t i;

	memset(&in, 0, sizeof(in));
	in.db = db;
	in.o = o;
	in.idx = hmap_new();
	doc = NULL;
	if (load_rules(&in) < 0)
		goto out;
	for (i = 0; i < in.nr; i++)
		if (scan_rule(&in, i) < 0)
			goto out;
	qsort(in.t, in.nt, sizeof(*in.t), tally_cmp);
	snprintf(title, sizeof(title), _("Incentives %s (%s to %s)"),
	    o->period, o->from, o->to);
	doc = doc_new(title);
	if (build(&in, doc, nfind) < 0) {
		doc_free(doc);
		doc = NULL;
	}
out:
	incent_clear(&in);
	return doc;
}
