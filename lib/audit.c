/*
 * The audit report: data that lies.  Every check is one SELECT of the
 * same six columns; dates compare as YYYY-MM-DD text, local like the
 * store's (DESIGN.md 7), against today and the stale cutoff, both
 * bound.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "audit.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "report.h"
#include "table.h"
#include "tz.h"
#include "xalloc.h"
#include "xldate.h"

/*
 * ?1 today, ?2 the stale cutoff.  The first column orders the kinds as
 * the manual lists them.  Blank text: NULL, or nothing but spaces,
 * tabs, newlines and U+3000.  Open: neither won nor lost.  Lead status
 * is stored as typed, so the contacted spellings of
 * share/rules/enums.csv are listed too.
 */
/* clang-format off */
static const char audit_sql[] =
    "SELECT 1, 'contacted_no_content', 'activity', a.id, c.name, r.name,"
    " 'a ' || a.type || ' activity with no content'"
    " FROM activity a LEFT JOIN customer c ON c.id = a.customer_id"
    " LEFT JOIN rep r ON r.id = a.rep_id"
    " WHERE a.type IN ('visit', 'call', 'wechat', 'email')"
    " AND trim(coalesce(a.text, ''), ' ' || char(9, 10, 13, 12288)) = ''"
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
    " WHERE d.stage = 'contract' AND EXISTS (SELECT 1 FROM activity a"
    " WHERE a.deal_id = d.id AND a.type = 'order_cancelled')"
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
    " 'open deal with no amount'"
    " FROM deal d LEFT JOIN customer c ON c.id = d.customer_id"
    " LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.amount_fen, 0) = 0"
    " UNION ALL "
    "SELECT 4, 'missing_customer', 'deal', d.id, NULL, r.name,"
    " 'open deal with no customer'"
    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE coalesce(d.stage, '') NOT IN ('won', 'lost')"
    " AND coalesce(d.customer_id, '') = ''"
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

struct doc *
report_audit(struct db *db, const struct report_opts *o, long *nfind)
{
	char today[CIVIL_TEXT_MAX], cutoff[CIVIL_TEXT_MAX], title[96];
	sqlite3_stmt *st;
	struct table *t;
	struct doc *d;
	long n, now;
	size_t r;
	int c, rc;

	now = tz_today();
	day_text(today, now);
	day_text(cutoff, now - o->stale);
	if ((st = db_prepare(db, audit_sql)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);

	snprintf(title, sizeof(title), "Audit as of %s (stale after %d days)",
	    today, o->stale);
	t = table_new(NULL);
	table_col(t, "kind", "kind", 0);
	table_col(t, "table", "table", 0);
	table_col(t, "id", "id", 0);
	table_col(t, "customer", "customer", 0);
	table_col(t, "rep", "rep", 0);
	table_col(t, "reason", "reason", 0);
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
	d = doc_new(title);
	if (n == 0)
		doc_para(d, "No findings.");
	doc_table(d, t, n == 0 ? DOC_MACHINE : DOC_BOTH);
	*nfind = n;
	return d;
}

int
audit_count_kinds(struct db *db, long today, int stale,
    void (*fn)(void *, const char *kind, long n), void *arg)
{
	char day[CIVIL_TEXT_MAX], cutoff[CIVIL_TEXT_MAX], *kind = NULL;
	sqlite3_stmt *st;
	const char *k;
	long n = 0;
	int rc;

	day_text(day, today);
	day_text(cutoff, today - stale);
	if ((st = db_prepare(db, audit_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);
	/* The rows come ordered by kind: count each run of one kind. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(st, 1);
		if (kind != NULL && strcmp(kind, k) != 0) {
			fn(arg, kind, n);
			free(kind);
			kind = NULL;
		}
		if (kind == NULL) {
			kind = xstrdup(k);
			n = 0;
		}
		n++;
	}
	sqlite3_reset(st);
	if (kind != NULL && rc == SQLITE_DONE)
		fn(arg, kind, n);
	free(kind);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "audit counts");
	return 0;
}
