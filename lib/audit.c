/*
 * The audit report: data that lies.  Every check is one SELECT of the
 * same six columns; dates compare as YYYY-MM-DD text, local like the
 * store's (DESIGN.md 7), against today and the stale cutoff, both
 * bound.  Customer names spelled twice need Unicode and OpenCC, so that
 * check is C (name_duplicates), its findings after the others.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "buf.h"
#include "custname.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "hmap.h"
#include "i18n.h"
#include "report.h"
#include "table.h"
#include "tz.h"
#include "xalloc.h"
#include "xldate.h"

/*
 * The day of the import that set the amount a deal update cl found:
 * the latest earlier change that set it (an 'insert' row, which older
 * stores still have, or an update of the amount),
 * else the import that created the deal.  Imports no longer log
 * inserts, so the creator is the batch_id in the before-image of the
 * deal's first logged update.
 */
#define PREV_ON "coalesce((SELECT substr(pb.started_at, 1, 10)" \
	" FROM change_log p JOIN import_batch pb ON pb.id = p.batch_id" \
	" WHERE p.tbl = 'deal' AND p.rec_id = cl.rec_id AND p.id < cl.id" \
	" AND pb.undone_at IS NULL AND (p.op = 'insert'" \
	" OR json_type(p.after, '$.amount_fen') IS NOT NULL" \
	" OR json_type(p.after, '$.currency') IS NOT NULL)" \
	" ORDER BY p.id DESC LIMIT 1)," \
	" (SELECT substr(ib.started_at, 1, 10) FROM change_log f" \
	" JOIN import_batch ib ON ib.id = json_extract(f.before, '$.batch_id')" \
	" WHERE f.tbl = 'deal' AND f.rec_id = cl.rec_id AND f.id <= cl.id" \
	" AND f.op = 'update' AND ib.undone_at IS NULL" \
	" ORDER BY f.id LIMIT 1))"

/*
 * A deal column's value right after update cl: the update's own after-
 * image when it set the column, else the before-image of the next kept
 * update that changed it, else its value now (d0).
 */
#define AFTER_CL(col) "CASE WHEN json_type(cl.after, '$." col "')" \
	" IS NOT NULL THEN json_extract(cl.after, '$." col "') ELSE" \
	" coalesce((SELECT json_extract(c2.before, '$." col "')" \
	" FROM change_log c2 JOIN import_batch b2 ON b2.id = c2.batch_id" \
	" WHERE c2.tbl = 'deal' AND c2.rec_id = cl.rec_id AND c2.id > cl.id" \
	" AND c2.op = 'update' AND b2.undone_at IS NULL" \
	" AND json_type(c2.before, '$." col "') IS NOT NULL" \
	" ORDER BY c2.id LIMIT 1), d0." col ") END"
/* ... and right before it. */
#define BEFORE_CL(col) "CASE WHEN json_type(cl.before, '$." col "')" \
	" IS NOT NULL THEN json_extract(cl.before, '$." col "') ELSE " \
	AFTER_CL(col) " END"

/*
 * amount_changed, for the listing and the counts alike: x holds every
 * logged change of a deal's amount or currency (old_amt old_cur and
 * new_amt new_cur as stored, old and new in yuan at today's rates, so
 * that 71,000 yuan becoming 10,000 USD at 7.10 is no change, the day
 * of its import and prev_on, the day of the import that set the old
 * amount), joined to its deal d; AMOUNT_CHANGED keeps those beyond ?3
 * percent with no activity on the deal between the two days.
 */
#define AMOUNT_CHANGES "(SELECT y.*, cny(y.old_amt, y.old_cur) AS old," \
	" cny(y.new_amt, y.new_cur) AS new FROM (SELECT cl.rec_id," \
	" " BEFORE_CL("amount_fen") " AS old_amt," \
	" " BEFORE_CL("currency") " AS old_cur," \
	" " AFTER_CL("amount_fen") " AS new_amt," \
	" " AFTER_CL("currency") " AS new_cur," \
	" substr(b.started_at, 1, 10) AS on_date," \
	" " PREV_ON " AS prev_on" \
	" FROM change_log cl JOIN import_batch b ON b.id = cl.batch_id" \
	" JOIN deal d0 ON d0.id = cl.rec_id" \
	" WHERE cl.tbl = 'deal' AND cl.op = 'update' AND b.undone_at IS NULL" \
	" AND (json_type(cl.after, '$.amount_fen') = 'integer'" \
	" OR json_type(cl.after, '$.currency') = 'text')) y" \
	" WHERE typeof(y.old_amt) = 'integer'" \
	" AND typeof(y.new_amt) = 'integer') x" \
	" JOIN deal d ON d.id = x.rec_id"
#define AMOUNT_CHANGED "x.old > 0 AND x.prev_on IS NOT NULL" \
	" AND abs(x.new - x.old) * 100 > ?3 * x.old" \
	" AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.deal_id = d.id" \
	" AND a.on_date >= x.prev_on AND a.on_date <= x.on_date)"

/*
 * The deals with a cancelled order, found once through activity_week:
 * its first column's few values (one a week) are skipped through, the
 * second is the type, so only the cancellations are read, not every
 * activity of every deal in the commit stage.
 */
#define CANCELLED_DEALS "(SELECT a.deal_id FROM activity a" \
	" WHERE a.week IN (SELECT DISTINCT week FROM activity)" \
	" AND a.type = 'order_cancelled')"

/*
 * ?1 today, ?2 the stale cutoff.  The first column orders the kinds as
 * the manual lists them.  Blank text: NULL, or nothing but spaces,
 * tabs, newlines and U+3000.  Open: neither won nor lost.  Lead status
 * is stored as typed, so the contacted spellings of
 * share/rules/enums.csv are listed too.  A customer's own chat message
 * (party 'customer') is no contact by a rep: an empty one is no
 * contact without content.
 */
/* clang-format off */
static const char audit_sql[] =
    "SELECT 1, 'contacted_no_content', 'activity', a.id, c.name, r.name,"
    " 'a ' || a.type || ' activity with no content'"
    " FROM activity a LEFT JOIN customer c ON c.id = a.customer_id"
    " LEFT JOIN rep r ON r.id = a.rep_id"
    " WHERE a.type IN ('visit', 'call', 'wechat', 'email')"
    " AND trim(coalesce(a.text, ''), ' ' || char(9, 10, 13, 12288)) = ''"
    " AND a.party IS NOT 'customer'"
    " UNION ALL "
    "SELECT 1, 'contacted_no_content', 'lead', l.id, c.name, r.name,"
    " 'lead marked contacted but no activity with content'"
    " FROM lead l LEFT JOIN customer c ON c.id = l.customer_id"
    " LEFT JOIN rep r ON r.id = l.rep_id"
    " WHERE l.status IN ('contacted', '已沟通', '已联系', '跟进中',"
    " '沟通中') AND NOT EXISTS (SELECT 1 FROM activity a"
    " WHERE (a.lead_id = l.id OR (l.customer_id IS NOT NULL"
    " AND a.customer_id = l.customer_id))"
    " AND trim(coalesce(a.text, ''), ' ' || char(9, 10, 13, 12288)) <> '')"
    " UNION ALL "
    "SELECT 2, 'commit_cancelled', 'deal', d.id, c.name, r.name,"
    " 'in the commit stage but the order was cancelled on ' ||"
    " (SELECT min(a.on_date) FROM activity a WHERE a.deal_id = d.id"
    " AND a.type = 'order_cancelled')"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE d.stage = 'contract' AND d.id IN " CANCELLED_DEALS
    " UNION ALL "
    "SELECT 3, 'stale', 'deal', d.id, c.name, r.name,"
    " CASE WHEN x.last IS NOT NULL THEN 'open, no activity since ' ||"
    " x.last || ' (' || CAST(julianday(?1) - julianday(x.last)"
    " AS INTEGER) || ' days)'"
    " WHEN d.created_on IS NOT NULL THEN 'open, no activity since it"
    " was created on ' || d.created_on || ' (' ||"
    " CAST(julianday(?1) - julianday(d.created_on) AS INTEGER) ||"
    " ' days)'"
    " ELSE 'open, no activity and no creation date' END"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " LEFT JOIN (SELECT deal_id, max(on_date) AS last FROM activity"
    " WHERE deal_id IS NOT NULL AND on_date <= ?1 GROUP BY deal_id) x"
    " ON x.deal_id = d.id"
    " WHERE coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(x.last, d.created_on, '') < ?2"
    " UNION ALL "
    "SELECT 4, 'missing_amount', 'deal', d.id, c.name, r.name,"
    " CASE WHEN d.amount_fen < 0 THEN 'amount below zero: '"
    " || printf('-%d.%02d', abs(d.amount_fen) / 100, abs(d.amount_fen) % 100)"
    " WHEN d.stage = 'won' THEN 'won deal with no amount: the won total"
    " leaves it out' ELSE 'open deal with no amount' END"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE coalesce(d.stage, '') <> 'lost'"
    " AND coalesce(d.amount_fen, 0) <= 0"
    " UNION ALL "
    "SELECT 4.2, 'won_undated', 'deal', d.id, c.name, r.name,"
    " 'won deal with no close date: no week or month counts it as won'"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE d.stage = 'won' AND coalesce(d.close_on, '') = ''"
    " UNION ALL "
    "SELECT 4.3, 'open_undated', 'deal', d.id, c.name, r.name,"
    " 'open deal with no creation date: no week counts it in the open"
    " pipeline'"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.created_on, '') = ''"
    " UNION ALL "
    "SELECT 4.4, 'no_rate', 'deal', d.id, c.name, r.name,"
    " 'amount in ' || d.currency || ' and no rate for it in fx.csv:"
    " every total leaves it out'"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE d.amount_fen IS NOT NULL"
    " AND cny(d.amount_fen, d.currency) IS NULL"
    " UNION ALL "
    "SELECT 4.4, 'no_rate', 'payment', p.id, c.name, r.name,"
    " p.kind || ' in ' || p.currency || ' and no rate for it in fx.csv:"
    " every total leaves it out'"
    " FROM payment p LEFT JOIN customer c ON c.id = p.customer_id"
    " LEFT JOIN rep r ON r.id = p.rep_id"
    " WHERE cny(p.amount_fen, p.currency) IS NULL"
    " UNION ALL "
    "SELECT 4.4, 'no_rate', 'target', t.id, NULL, r.name,"
    " 'target of ' || t.period || ' for ' || coalesce(t.unit, t.region,"
    " r.name, '?') || ' in ' || t.currency || ' and no rate for it in"
    " fx.csv: drill shows no target there'"
    " FROM target t LEFT JOIN rep r ON r.id = t.rep_id"
    " WHERE cny(t.amount_fen, t.currency) IS NULL"
    " UNION ALL "
    "SELECT 4, 'missing_customer', 'deal', d.id, NULL, r.name,"
    " 'open deal with no customer'"
    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.customer_id, '') = ''"
    " UNION ALL "
    "SELECT 4.5, 'amount_changed', 'deal', d.id, c.name, r.name,"
    " 'amount changed from ' || printf('%d.%02d', x.old_amt / 100,"
    " x.old_amt % 100) || CASE WHEN x.old_cur IS 'CNY' AND x.new_cur IS"
    " 'CNY' THEN '' ELSE ' ' || x.old_cur END"
    " || ' to ' || printf('%s%d.%02d', CASE WHEN x.new_amt < 0 THEN '-'"
    " ELSE '' END, abs(x.new_amt) / 100, abs(x.new_amt) % 100)"
    " || CASE WHEN x.old_cur IS 'CNY' AND x.new_cur IS 'CNY' THEN ''"
    " ELSE ' ' || x.new_cur END || ' ('"
    " || CASE WHEN x.new > x.old THEN '+' ELSE '' END ||"
    " CAST(round((x.new - x.old) * 100.0 / x.old) AS INTEGER) ||"
    " CASE WHEN x.old_cur IS 'CNY' AND x.new_cur IS 'CNY' THEN '%'"
    " ELSE '% in yuan' END ||"
    " ') by the import of ' || x.on_date || ', no activity since the"
    " import of ' || x.prev_on"
    " FROM " AMOUNT_CHANGES
    " LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE " AMOUNT_CHANGED
    " UNION ALL "
    "SELECT 5, 'future_activity', 'activity', a.id, c.name, r.name,"
    " 'dated ' || a.on_date || ', after today ' || ?1"
    " FROM activity a LEFT JOIN customer c ON c.id = a.customer_id"
    " LEFT JOIN rep r ON r.id = a.rep_id"
    " WHERE a.on_date > ?1"
    " ORDER BY 1, 2, 3, 4";
/* clang-format on */

static void
day_text(char *out, long days)
{
	struct civil c;

	memset(&c, 0, sizeof(c));
	civil_from_days(days, &c.y, &c.m, &c.d);
	civil_format(out, &c, 0);
}

/*
 * name_duplicate: customers whose names share a key (custname.h).  The
 * spelling imported first (batch, then row) stands for the name; each
 * other one is a finding naming both, in id order.  Appended to t after
 * the SQL checks, as the last kind (t NULL: only counted).  Returns the
 * number of findings, or -1 after reporting.
 */
struct dup {
	char	*id, *name, *rep;
	size_t	 first;
};

static int
dup_by_id(const void *x, const void *y)
{
	return strcmp(((const struct dup *)x)->id, ((const struct dup *)y)->id);
}

static char *
col_dup(sqlite3_stmt *st, int c)
{
	const unsigned char *s = sqlite3_column_text(st, c);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static long
name_duplicates(struct db *db, const struct report_opts *o, struct table *t)
{
	static const char sql[] = "SELECT c.id, c.name, r.name FROM customer c"
	    " LEFT JOIN rep r ON r.id = c.rep_id"
	    " ORDER BY c.batch_id, c.src_row, c.id";
	struct custname *cn;
	struct hmap *seen;
	struct buf key = {0};
	struct dup *firsts = NULL, *dups = NULL, *x;
	size_t nfirst = 0, capf = 0, ndup = 0, capd = 0, i, r;
	sqlite3_stmt *st;
	intptr_t at;
	char *why;
	int rc;

	if ((cn = custname_new(o->rules)) == NULL)
		return -1;
	if ((st = db_prepare(db, sql)) == NULL) {
		custname_free(cn);
		return -1;
	}
	seen = hmap_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&key);
		custname_key(cn, &key,
		    (const char *)sqlite3_column_text(st, 1));
		if (key.len == 0)
			continue;
		if (hmap_get(seen, key.s, key.len, &at)) {
			dups = xgrow(dups, &capd, ndup + 1, sizeof(*dups));
			x = &dups[ndup++];
			x->first = (size_t)at;
		} else {
			firsts = xgrow(firsts, &capf, nfirst + 1,
			    sizeof(*firsts));
			x = &firsts[nfirst];
			hmap_put(seen, key.s, key.len, (intptr_t)nfirst++);
		}
		x->id = col_dup(st, 0);
		x->name = col_dup(st, 1);
		x->rep = col_dup(st, 2);
	}
	sqlite3_reset(st);
	if (ndup > 0)
		qsort(dups, ndup, sizeof(*dups), dup_by_id);
	for (i = 0; t != NULL && rc == SQLITE_DONE && i < ndup; i++) {
		x = &dups[i];
		why = xasprintf("same customer as %s '%s', spelled "
		    "differently", firsts[x->first].id,
		    firsts[x->first].name);
		r = table_row(t);
		table_text(t, r, 0, "name_duplicate");
		table_text(t, r, 1, "customer");
		table_text(t, r, 2, x->id);
		table_text(t, r, 3, x->name);
		table_text(t, r, 4, x->rep);
		table_text(t, r, 5, why);
		free(why);
	}
	for (i = 0; i < nfirst + ndup; i++) {
		x = i < nfirst ? &firsts[i] : &dups[i - nfirst];
		free(x->id);
		free(x->name);
		free(x->rep);
	}
	free(firsts);
	free(dups);
	hmap_free(seen);
	buf_free(&key);
	custname_free(cn);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "audit report");
	return (long)ndup;
}

struct doc *
report_audit(struct db *db, const struct report_opts *o, long *nfind)
{
	char today[CIVIL_TEXT_MAX], cutoff[CIVIL_TEXT_MAX], title[96];
	sqlite3_stmt *st;
	struct table *t;
	struct doc *d;
	long n, now, dups;
	size_t r;
	int c, rc;

	now = tz_today();
	day_text(today, now);
	day_text(cutoff, now - o->stale);
	if ((st = db_prepare(db, audit_sql)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->change_pct);

	snprintf(title, sizeof(title),
	    _("Audit as of %s (stale after %d days)"), today, o->stale);
	t = table_new(NULL);
	table_col(t, "kind", _("kind"), 0);
	table_col(t, "table", _("table"), 0);
	table_col(t, "id", _("id"), 0);
	table_col(t, "customer", _("customer"), 0);
	table_col(t, "rep", _("rep"), 0);
	table_col(t, "reason", _("reason"), 0);
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = table_row(t);
		for (c = 0; c < 6; c++)
			table_text(t, r, (size_t)c,
			    (const char *)sqlite3_column_text(st, c + 1));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		table_free(t);
		db_fail(db, rc, "audit report");
		return NULL;
	}
	if ((dups = name_duplicates(db, o, t)) < 0) {
		table_free(t);
		return NULL;
	}
	n += dups;
	d = doc_new(title);
	if (n == 0)
		doc_para(d, "%s", _("No findings."));
	doc_table(d, t, n == 0 ? DOC_MACHINE : DOC_BOTH);
	*nfind = n;
	return d;
}

/*
 * The same tests as audit_sql, counted, without the names the findings
 * show: the weekly report runs them over the whole store, where every
 * scan of the activity table counts.  A blank activity is found through
 * activity_blank (its test written as the index has it), less the
 * customers' own blank messages, found through activity_said (only
 * their text is read), a deal's last
 * day before today through activity_deal (one seek per open deal), and
 * an activity after today through activity_week: a later day has the
 * same or a later ISO week, as both are the local ones.  The checks of
 * the deal alone share one scan of the table (dq): one scan each was a
 * fifth of the counts.  ?1 today, ?2
 * the stale cutoff, ?3 the change percent, ?4 the week of today.  The
 * first column orders the kinds as the manual lists them.
 */
/* clang-format off */
static const char count_sql[] =
    "WITH dq AS MATERIALIZED (SELECT"
    " count(CASE WHEN d.stage = 'contract' AND d.id IN " CANCELLED_DEALS
    " THEN 1 END) AS commit_cancelled,"
    " count(CASE WHEN coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce((SELECT max(a.on_date) FROM activity a"
    " WHERE a.deal_id = d.id AND a.on_date <= ?1), d.created_on, '') < ?2"
    " THEN 1 END) AS stale,"
    " count(CASE WHEN coalesce(d.stage, '') <> 'lost'"
    " AND coalesce(d.amount_fen, 0) <= 0 THEN 1 END) AS missing_amount,"
    " count(CASE WHEN d.stage = 'won' AND coalesce(d.close_on, '') = ''"
    " THEN 1 END) AS won_undated,"
    " count(CASE WHEN coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.created_on, '') = '' THEN 1 END) AS open_undated,"
    " count(CASE WHEN d.amount_fen IS NOT NULL"
    " AND cny(d.amount_fen, d.currency) IS NULL THEN 1 END) AS no_rate,"
    " count(CASE WHEN coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.customer_id, '') = '' THEN 1 END)"
    " AS missing_customer FROM deal d) "
    "SELECT 1, 'contacted_no_content', (SELECT count(*) FROM activity a"
    " WHERE a.type IN ('visit', 'call', 'wechat', 'email')"
    " AND trim(coalesce(text, ''), ' ' || char(9, 10, 13, 12288)) = '')"
    " - (SELECT count(CASE WHEN trim(coalesce(text, ''),"
    " ' ' || char(9, 10, 13, 12288)) = '' THEN 1 END) FROM activity a"
    " WHERE a.party = 'customer'"
    " AND a.type IN ('visit', 'call', 'wechat', 'email'))"
    " + (SELECT count(*) FROM lead l"
    " WHERE l.status IN ('contacted', '已沟通', '已联系', '跟进中',"
    " '沟通中') AND NOT EXISTS (SELECT 1 FROM activity a"
    " WHERE (a.lead_id = l.id OR (l.customer_id IS NOT NULL"
    " AND a.customer_id = l.customer_id))"
    " AND trim(coalesce(a.text, ''), ' ' || char(9, 10, 13, 12288)) <> ''))"
    " UNION ALL "
    "SELECT 2, 'commit_cancelled', commit_cancelled FROM dq"
    " UNION ALL "
    "SELECT 3, 'stale', stale FROM dq"
    " UNION ALL "
    "SELECT 4, 'missing_amount', missing_amount FROM dq"
    " UNION ALL "
    "SELECT 4.2, 'won_undated', won_undated FROM dq"
    " UNION ALL "
    "SELECT 4.3, 'open_undated', open_undated FROM dq"
    " UNION ALL "
    "SELECT 4.4, 'no_rate', no_rate + (SELECT count(*) FROM payment p"
    " WHERE cny(p.amount_fen, p.currency) IS NULL) + (SELECT count(*)"
    " FROM target t WHERE cny(t.amount_fen, t.currency) IS NULL) FROM dq"
    " UNION ALL "
    "SELECT 5, 'missing_customer', missing_customer FROM dq"
    " UNION ALL "
    "SELECT 6, 'amount_changed', count(*)"
    " FROM " AMOUNT_CHANGES
    " WHERE " AMOUNT_CHANGED
    " UNION ALL "
    "SELECT 7, 'future_activity', count(*) FROM activity a"
    " WHERE a.week >= ?4 AND a.on_date > ?1"
    " ORDER BY 1";
/* clang-format on */

int
audit_count_kinds(struct db *db, const struct report_opts *o, long today,
    void (*fn)(void *, const char *kind, long n), void *arg)
{
	char day[CIVIL_TEXT_MAX], cutoff[CIVIL_TEXT_MAX], week[16];
	sqlite3_stmt *st;
	long n;
	int rc, y, w;

	day_text(day, today);
	day_text(cutoff, today - o->stale);
	iso_week(today, &y, &w);
	snprintf(week, sizeof(week), "%04d-W%02d", y, w);
	if ((st = db_prepare(db, count_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->change_pct);
	sqlite3_bind_text(st, 4, week, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((n = (long)sqlite3_column_int64(st, 2)) > 0)
			fn(arg, (const char *)sqlite3_column_text(st, 1), n);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "audit counts");
	if ((n = name_duplicates(db, o, NULL)) < 0)
		return -1;
	if (n > 0)
		fn(arg, "name_duplicate", n);
	return 0;
}
