/*
 * The funnel report: over a period, how many deals entered each stage
 * (in the order of stages.csv, won last), how many of them went on to a
 * later stage by the end of the period, and how long that took; per
 * rep, per region and in total.  Entering is a stage_event (moved,
 * forced or reopened) dated in the period, or the deal's creation in
 * the period, which enters the stage it was created in.  Dates are the
 * stored local ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "chart.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "funnel.h"
#include "i18n.h"
#include "report.h"
#include "stage.h"
#include "stagerep.h"
#include "table.h"
#include "xalloc.h"

/* One entry of a deal into a stage. */
struct entry {
	int	 col;		/* funnel column, -1: not in the funnel (lost) */
	char	 on[16];	/* local date */
};

/* Per group (a rep, a region, the total) and funnel column. */
struct fcell {
	int64_t	 entered, moved;
	long	*days;		/* days to move on, one per deal that did */
	size_t	 ndays, capdays;
};

struct fgroup {
	char		*rep, *region;	/* both NULL: the total */
	struct fcell	*c;
};

struct funnel {
	struct db		 *db;
	struct stage		 *st;
	const struct report_opts *o;
	const struct stage_def	**cols;		/* funnel columns: open, won */
	size_t			  ncols;
	struct fgroup		 *g;
	size_t			  ng, capg;
};

static const char *
ctext(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
column_of(const struct funnel *f, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < f->ncols; i++)
		if (strcmp(f->cols[i]->code, code) == 0)
			return (int)i;
	return -1;
}

static struct fgroup *
group(struct funnel *f, const char *rep, const char *region)
{
	struct fgroup *g;
	size_t i;

	for (i = 0; i < f->ng; i++)
		if ((rep == NULL) == (f->g[i].rep == NULL) &&
		    (rep == NULL || strcmp(rep, f->g[i].rep) == 0) &&
		    (region == NULL) == (f->g[i].region == NULL) &&
		    (region == NULL || strcmp(region, f->g[i].region) == 0))
			return &f->g[i];
	f->g = xgrow(f->g, &f->capg, f->ng + 1, sizeof(*f->g));
	g = &f->g[f->ng++];
	g->rep = rep != NULL ? xstrdup(rep) : NULL;
	g->region = region != NULL ? xstrdup(region) : NULL;
	g->c = xcalloc(f->ncols, sizeof(*g->c));
	return g;
}

static void
count(struct fgroup *g, int col, int moved, long days)
{
	struct fcell *c = &g->c[col];

	c->entered++;
	if (!moved)
		return;
	c->moved++;
	c->days = xgrow(c->days, &c->capdays, c->ndays + 1, sizeof(long));
	c->days[c->ndays++] = days;
}

/*
 * One deal's entries, in time order: each column it entered in the
 * period counts once (its first entry there), and moved on when a later
 * entry into a later column follows by the end of the period.
 */
static void
deal_done(struct funnel *f, const char *rep, const char *region,
    const struct entry *e, size_t n)
{
	struct fgroup *gs[3];
	size_t i, j, k;
	int seen[64], moved, col;
	long days;

	if (n == 0)
		return;
	memset(seen, 0, sizeof(seen));
	gs[0] = NULL;
	for (i = 0; i < n; i++) {
		col = e[i].col;
		if (col < 0 || col >= 64 || seen[col] ||
		    strcmp(e[i].on, f->o->from) < 0)
			continue;
		seen[col] = 1;
		moved = 0;
		days = 0;
		for (j = i + 1; j < n && !moved; j++)
			if (e[j].col > col) {
				moved = 1;
				days = stage_days(e[i].on, e[j].on);
			}
		/* Groups only for deals that entered a stage in the period. */
		if (gs[0] == NULL) {
			gs[0] = group(f, NULL, NULL);
			gs[1] = group(f, NULL, region != NULL ? region :
			    "(none)");
			gs[2] = group(f, rep != NULL ? rep : "(unassigned)",
			    region != NULL ? region : "(none)");
		}
		for (k = 0; k < 3; k++)
			count(gs[k], col, moved, days);
	}
}

static int
collect(struct funnel *f)
{
	/*
	 * Every deal with an entry up to the end of the period: its
	 * creation (when in the period) first, then its moves in id order.
	 * A deal is created in the stage its first move left, else in the
	 * one it is in: an export names the stage a deal has reached, and
	 * a deal imported in 商务报价 never passed through 初步接触 here.
	 */
	static const char sql[] =
	    "SELECT d.id, r.name, r.region, 0, d.created_on,"
	    " CASE WHEN EXISTS (SELECT 1 FROM stage_event e"
	    " WHERE e.deal_id = d.id AND e.kind <> 'blocked')"
	    " THEN (SELECT e.from_stage FROM stage_event e"
	    " WHERE e.deal_id = d.id AND e.kind <> 'blocked'"
	    " ORDER BY e.id LIMIT 1) ELSE d.stage END, 0"
	    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id"
	    " WHERE d.created_on BETWEEN ?1 AND ?2"
	    " UNION ALL"
	    " SELECT d.id, r.name, r.region, 1, e.on_date, e.to_stage, e.id"
	    " FROM stage_event e JOIN deal d ON d.id = e.deal_id"
	    " LEFT JOIN rep r ON r.id = d.rep_id"
	    " WHERE e.kind <> 'blocked' AND e.on_date <= ?2"
	    " ORDER BY 1, 4, 7";
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	char *deal = NULL, *rep = NULL, *region = NULL;
	sqlite3_stmt *st;
	const char *id, *on;
	int rc;

	if ((st = db_prepare(f->db, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->o->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->o->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = ctext(st, 0);
		if (deal == NULL || strcmp(deal, id) != 0) {
			deal_done(f, rep, region, e, n);
			free(deal);
			free(rep);
			free(region);
			deal = xstrdup(id);
			rep = ctext(st, 1) ? xstrdup(ctext(st, 1)) : NULL;
			region = ctext(st, 2) && *ctext(st, 2) ?
			    xstrdup(ctext(st, 2)) : NULL;
			n = 0;
		}
		if ((on = ctext(st, 4)) == NULL)
			continue;
		e = xgrow(e, &cap, n + 1, sizeof(*e));
		e[n].col = column_of(f, ctext(st, 5));
		snprintf(e[n].on, sizeof(e[n].on), "%.10s", on);
		n++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		deal_done(f, rep, region, e, n);
	free(deal);
	free(rep);
	free(region);
	free(e);
	if (rc != SQLITE_DONE)
		return db_fail(f->db, rc, "funnel report");
	return 0;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct fgroup *x = a, *y = b;
	int c;

	/* The total first, then regions, then reps by region and name. */
	if ((x->rep == NULL) != (y->rep == NULL))
		return x->rep == NULL ? -1 : 1;
	if ((x->region == NULL) != (y->region == NULL))
		return x->region == NULL ? -1 : 1;
	if (x->region != NULL && (c = strcmp(x->region, y->region)) != 0)
		return c;
	if (x->rep != NULL)
		return strcmp(x->rep, y->rep);
	return 0;
}

/* moved of entered in percent, rounded to the nearest; -1: none entered. */
static int64_t
conversion(const struct fcell *x)
{
	return x->entered > 0 ? (200 * x->moved + x->entered) /
	    (2 * x->entered) : -1;
}

static void
row_cells(struct table *t, size_t r, size_t c, const struct funnel *f,
    size_t col, struct fcell *x)
{
	struct dwell_stats ds;
	char med[32];
	int last = col + 1 == f->ncols;

	table_text(t, r, c++, f->cols[col]->code);
	table_text(t, r, c++, f->cols[col]->name);
	table_int(t, r, c++, x->entered);
	if (last) {
		/* Won is the end of the funnel: nothing to move on to. */
		return;
	}
	table_int(t, r, c++, x->moved);
	if (x->entered > 0)
		table_int(t, r, c, conversion(x));
	c++;
	if (x->ndays > 0) {
		dwell_stats(x->days, x->ndays, &ds);
		snprintf(med, sizeof(med), "%.1f", ds.median);
		table_text(t, r, c, med);
	}
}

static void
cols(struct table *t, int rep, int region)
{
	if (rep)
		table_col(t, "rep", _("rep"), 0);
	if (region)
		table_col(t, "region", _("region"), 0);
	table_col(t, "stage", _("stage"), 0);
	table_col(t, "name", _("name"), 0);
	table_col(t, "entered", _("entered"), 1);
	table_col(t, "moved_on", _("moved on"), 1);
	table_col(t, "conversion_pct", _("conversion %"), 1);
	table_col(t, "median_days", _("median days"), 1);
}

static void
emit(struct funnel *f, struct doc *d)
{
	struct table *flat, *t[3];
	struct chart *ch;
	size_t i, k, r, c;
	int lvl;

	if (f->ng > 0)
		qsort(f->g, f->ng, sizeof(*f->g), cmp_group);
	flat = table_new(NULL);
	table_col(flat, "period", "period", 0);
	table_col(flat, "level", "level", 0);
	cols(flat, 1, 1);
	t[0] = table_new(_("Total"));
	cols(t[0], 0, 0);
	t[1] = table_new(_("By region"));
	cols(t[1], 0, 1);
	t[2] = table_new(_("By rep"));
	cols(t[2], 1, 1);
	for (i = 0; i < f->ng; i++) {
		struct fgroup *g = &f->g[i];

		lvl = g->rep != NULL ? 2 : g->region != NULL ? 1 : 0;
		for (k = 0; k < f->ncols; k++) {
			r = table_row(flat);
			table_text(flat, r, 0, f->o->period);
			table_text(flat, r, 1, lvl == 2 ? "rep" : lvl == 1 ?
			    "region" : "total");
			table_text(flat, r, 2, g->rep);
			table_text(flat, r, 3, g->region);
			row_cells(flat, r, 4, f, k, &g->c[k]);
			r = table_row(t[lvl]);
			c = 0;
			if (lvl == 2)
				table_text(t[lvl], r, c++, g->rep);
			if (lvl >= 1)
				table_text(t[lvl], r, c++, g->region);
			row_cells(t[lvl], r, c, f, k, &g->c[k]);
		}
	}
	doc_table(d, flat, DOC_MACHINE);
	if (f->ng == 0) {
		doc_para(d, "%s", _("No deal entered a stage in the period."));
		for (k = 0; k < 3; k++)
			table_free(t[k]);
		return;
	}
	/* Beside each stage its conversion, as in the table (won: none). */
	ch = chart_new(CHART_FUNNEL, _("Funnel"), 2, f->ncols, 0);
	chart_series(ch, 0, _("entered"));
	chart_series(ch, 1, _("conversion %"));
	for (k = 0; k < f->ncols; k++) {
		chart_x(ch, k, f->cols[k]->name);
		chart_set(ch, 0, k, (double)f->g[0].c[k].entered);
		chart_set(ch, 1, k, k + 1 < f->ncols ?
		    (double)conversion(&f->g[0].c[k]) : -1);
	}
	doc_chart(d, ch);
	for (k = 0; k < 3; k++)
		doc_table(d, t[k], DOC_HUMAN);
}

struct doc *
report_funnel(struct db *db, const struct report_opts *o, long *nfind)
{
	const struct stage_def *sd;
	struct doc *d = NULL;
	struct funnel f;
	char title[128];
	size_t i, k;

	*nfind = 0;
	memset(&f, 0, sizeof(f));
	f.db = db;
	f.o = o;
	if ((f.st = stage_open(db, o->rules)) == NULL)
		return NULL;
	/* Open stages in their order, then won. */
	f.cols = xcalloc(stage_count(f.st) + 1, sizeof(*f.cols));
	for (i = 0; i < stage_count(f.st); i++)
		if ((sd = stage_def(f.st, i))->kind == SK_OPEN)
			f.cols[f.ncols++] = sd;
	for (i = 0; i < stage_count(f.st); i++)
		if ((sd = stage_def(f.st, i))->kind == SK_WON)
			f.cols[f.ncols++] = sd;
	if (f.ncols > 64) {
		diag_error(SX_USAGE, NULL, "stages.csv: the funnel has more "
		    "than 64 stages");
		goto out;
	}
	if (collect(&f) == 0) {
		snprintf(title, sizeof(title), "%s %s (%s .. %s)",
		    _("Funnel"), o->period, o->from, o->to);
		d = doc_new(title);
		emit(&f, d);
	}
out:
	for (i = 0; i < f.ng; i++) {
		for (k = 0; k < f.ncols; k++)
			free(f.g[i].c[k].days);
		free(f.g[i].c);
		free(f.g[i].rep);
		free(f.g[i].region);
	}
	free(f.g);
	free(f.cols);
	stage_close(f.st);
	return d;
}
