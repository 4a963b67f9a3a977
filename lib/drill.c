/*
 * The drill-down report (sales-report drill): why a region is short,
 * in three levels.  Level 1 sets each region's won amount against its
 * target; level 2 counts, per region, the period's activities tagged
 * with each business factor of factors.csv (by activity type or by a
 * customer-voice tag sales-voc found in them); level 3 lists, for one
 * region and factor, the units and reps that missed their target, by
 * shortfall, with the factor's count beside each.
 *
 * Dates compare as YYYY-MM-DD text: deals by close_on, activities by
 * their stored local on_date (DESIGN.md 7).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "chart.h"
#include "db.h"
#include "diag.h"
#include "doc.h"
#include "drill.h"
#include "hmap.h"
#include "i18n.h"
#include "report.h"
#include "rules.h"
#include "table.h"
#include "vocab.h"
#include "xalloc.h"

/*
 * The targets that count for the period ?1..?2: those whose period
 * lies within it, less any that a longer target of the same holder,
 * also within the period, contains (a quarter's target wins over the
 * months of that quarter; months are summed when there is none).  The
 * holder is the region, the unit or the rep, by level: a unit's or a
 * rep's region is only said on some rows of a target file.
 */
#define SAME_HOLDER							\
    " e.level = t.level"						\
    " AND CASE t.level WHEN 'region' THEN e.region IS t.region"		\
    " WHEN 'unit' THEN e.unit_id IS t.unit_id"				\
    " ELSE e.rep_id IS t.rep_id END"
/*
 * Two rows of one holder and period (a file with the region column,
 * another without: the region is part of a row's key) are one target,
 * the later import's.
 */
#define TARGETS_WITHIN							\
    "tw AS (SELECT t.* FROM target t"					\
    " WHERE t.from_on >= ?1 AND t.to_on <= ?2"				\
    " AND NOT EXISTS (SELECT 1 FROM target e WHERE" SAME_HOLDER		\
    " AND e.from_on >= ?1 AND e.to_on <= ?2"				\
    " AND e.from_on <= t.from_on AND e.to_on >= t.to_on"		\
    " AND (e.from_on < t.from_on OR e.to_on > t.to_on))"		\
    " AND NOT EXISTS (SELECT 1 FROM target e WHERE" SAME_HOLDER		\
    " AND e.from_on = t.from_on AND e.to_on = t.to_on"			\
    " AND (coalesce(e.batch_id, 0) > coalesce(t.batch_id, 0)"		\
    " OR (coalesce(e.batch_id, 0) = coalesce(t.batch_id, 0)"		\
    " AND e.rowid > t.rowid))))"

/* Activity a carries factor f: by its type or by a current voc tag. */
#define FACTOR_MATCH							\
    "(f.activity_type = a.type OR EXISTS (SELECT 1 FROM voc_hit h"	\
    " WHERE h.activity_id = a.id AND h.current = 1"			\
    " AND h.tag = f.voc_tag))"

/* Rep r belongs to the unit or is the rep of target holder u. */
#define MEMBER								\
    "(CASE WHEN u.level = 'rep' THEN r.id = u.rep_id"			\
    " ELSE r.unit IN (u.unit, u.unit_id) END)"

/* clang-format off */
static const char level1_sql[] =
    "WITH " TARGETS_WITHIN ","
    " tg AS (SELECT region, sum(cny(amount_fen, currency)) AS fen FROM tw"
    " WHERE level = 'region' GROUP BY region),"
    " won AS (SELECT r.region AS region, count(*) AS n,"
    " sum(coalesce(cny(d.amount_fen, d.currency), 0)) AS fen"
    " FROM deal d LEFT JOIN rep r ON r.id = d.rep_id"
    " WHERE d.stage = 'won' AND d.close_on >= ?1 AND d.close_on <= ?2"
    " GROUP BY r.region),"
    " regs AS (SELECT region FROM rep WHERE coalesce(region, '') <> ''"
    " UNION SELECT region FROM tw WHERE coalesce(region, '') <> ''"
    " UNION SELECT region FROM won)"
    " SELECT g.region, coalesce(w.n, 0), coalesce(w.fen, 0), tg.fen"
    " FROM regs g LEFT JOIN won w ON w.region IS g.region"
    " LEFT JOIN tg ON tg.region IS g.region"
    " ORDER BY g.region IS NULL, g.region";

static const char level2_sql[] =
    "SELECT r.region, f.factor, count(DISTINCT a.id)"
    " FROM activity a JOIN rep r ON r.id = a.rep_id"
    " JOIN temp.drill_factor f ON " FACTOR_MATCH
    " WHERE a.on_date >= ?1 AND a.on_date <= ?2"
    " GROUP BY r.region, f.factor ORDER BY 1, 2";

static const char level3_sql[] =
    "WITH " TARGETS_WITHIN ","
    " u AS (SELECT tw.level AS level, tw.unit_id AS unit_id,"
    " tw.rep_id AS rep_id, min(coalesce(tw.unit, rp.name)) AS name,"
    " min(tw.unit) AS unit,"
    " min(coalesce(tw.region, un.region, rp.region)) AS region,"
    " sum(cny(tw.amount_fen, tw.currency)) AS target"
    " FROM tw LEFT JOIN unit un ON un.id = tw.unit_id"
    " LEFT JOIN rep rp ON rp.id = tw.rep_id"
    " WHERE tw.level IN ('unit', 'rep')"
    " GROUP BY tw.level, tw.unit_id, tw.rep_id),"
    " m AS (SELECT u.level, u.name, u.target,"
    " (SELECT coalesce(sum(cny(d.amount_fen, d.currency)), 0)"
    " FROM deal d"
    " JOIN rep r ON r.id = d.rep_id WHERE d.stage = 'won'"
    " AND d.close_on >= ?1 AND d.close_on <= ?2 AND " MEMBER ") AS won,"
    " (SELECT count(DISTINCT a.id) FROM activity a"
    " JOIN rep r ON r.id = a.rep_id"
    " JOIN temp.drill_factor f ON f.factor = ?4 AND " FACTOR_MATCH
    " WHERE a.on_date >= ?1 AND a.on_date <= ?2 AND " MEMBER ") AS n"
    " FROM u WHERE u.region = ?3)"
    " SELECT level, name, target, won, target - won, n FROM m"
    " WHERE won < target ORDER BY target - won DESC, level, name";
/* clang-format on */

struct factor {
	char		*key;
	char		*label;
};

struct drill {
	struct db	*db;
	const struct report_opts *o;
	struct factor	*f;
	size_t		 nf, capf;
	char		**reg;		/* level 1's regions; NULL: none */
	int64_t		*won, *target;	/* per region; target -1: none */
	long		*nwon;
	size_t		 nreg, capreg;
	const char	*factor;	/* the key of o->factor */
};

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
drill_clear(struct drill *d)
{
	size_t i;

	for (i = 0; i < d->nf; i++) {
		free(d->f[i].key);
		free(d->f[i].label);
	}
	free(d->f);
	for (i = 0; i < d->nreg; i++)
		free(d->reg[i]);
	free(d->reg);
	free(d->won);
	free(d->target);
	free(d->nwon);
}

static size_t
factor_index(const struct drill *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nf; i++)
		if (strcmp(d->f[i].key, key) == 0)
			return i;
	return d->nf;
}

/*
 * The tags a voc_tag may name: those of voc.csv, and those of current
 * hits in the store (from a voc.csv since changed).  NULL after
 * reporting.
 */
static struct hmap *
known_tags(struct drill *d)
{
	static const char sql[] = "SELECT DISTINCT tag FROM voc_hit"
	    " WHERE current = 1 AND tag IS NOT NULL";
	struct rtable *t;
	struct hmap *h;
	sqlite3_stmt *st;
	const char *s;
	size_t i;
	int c, rc;

	if ((t = rules_load(d->o->rules, "voc.csv")) == NULL)
		return NULL;
	if ((c = rtable_need(t, "tag")) < 0) {
		rtable_free(t);
		return NULL;
	}
	h = hmap_new();
	for (i = 0; i < t->nrows; i++)
		if (*(s = rtable_get(t, i, c)) != '\0')
			hmap_put(h, s, strlen(s), 1);
	rtable_free(t);
	if ((st = db_prepare(d->db, sql)) == NULL) {
		hmap_free(h);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hmap_put(h, col_text(st, 0), strlen(col_text(st, 0)), 1);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d->db, rc, "voc tags");
		hmap_free(h);
		return NULL;
	}
	return h;
}

/*
 * Load factors.csv into temp.drill_factor, one row per line, and the
 * factors in the order of their first line.  0, or -1 after reporting.
 */
static int
load_factors(struct drill *d)
{
	static const char ins_sql[] = "INSERT INTO temp.drill_factor"
	    " (factor, activity_type, voc_tag) VALUES (?1, ?2, ?3)";
	struct rtable *t;
	struct vocab *voc;
	struct hmap *tags;
	sqlite3_stmt *st;
	const char *key, *label, *type, *tag;
	intptr_t one;
	size_t i, k;
	int cf, cl, ca, cv, rc, bad;

	if ((voc = vocab_load(d->o->rules)) == NULL)
		return -1;
	if ((tags = known_tags(d)) == NULL) {
		vocab_free(voc);
		return -1;
	}
	if ((t = rules_load(d->o->rules, "factors.csv")) == NULL) {
		vocab_free(voc);
		hmap_free(tags);
		return -1;
	}
	cf = rtable_need(t, "factor");
	cl = rtable_need(t, "label");
	ca = rtable_need(t, "activity_type");
	cv = rtable_need(t, "voc_tag");
	if (cf < 0 || cl < 0 || ca < 0 || cv < 0) {
		rtable_free(t);
		vocab_free(voc);
		hmap_free(tags);
		return -1;
	}
	if (db_exec(d->db, "CREATE TEMP TABLE IF NOT EXISTS drill_factor"
	    " (factor TEXT NOT NULL, activity_type TEXT, voc_tag TEXT);"
	    "DELETE FROM temp.drill_factor") < 0 ||
	    (st = db_prepare(d->db, ins_sql)) == NULL) {
		rtable_free(t);
		vocab_free(voc);
		hmap_free(tags);
		return -1;
	}
	bad = 0;
	for (i = 0; i < t->nrows; i++) {
		key = rtable_get(t, i, cf);
		label = rtable_get(t, i, cl);
		type = rtable_get(t, i, ca);
		tag = rtable_get(t, i, cv);
		if (*key == '\0') {
			rtable_error(t, i, cf, "no factor");
			bad = 1;
			continue;
		}
		if ((*type == '\0') == (*tag == '\0')) {
			rtable_error(t, i, *type == '\0' ? ca : cv, "%s",
			    *type == '\0' ? "no activity_type or voc_tag" :
			    "give activity_type or voc_tag, not both");
			bad = 1;
			continue;
		}
		if (*type != '\0' && vocab_rule_enum(voc, t, i, ca, "activity",
		    type) < 0) {
			bad = 1;
			continue;
		}
		if (*tag != '\0' && !hmap_get(tags, tag, strlen(tag), &one)) {
			rtable_error(t, i, cv, "voc_tag '%s' is no tag of "
			    "voc.csv, nor of a current sales-voc hit",
			    diag_val(tag));
			bad = 1;
			continue;
		}
		if ((k = factor_index(d, key)) == d->nf) {
			d->f = xgrow(d->f, &d->capf, d->nf + 1, sizeof(*d->f));
			d->f[d->nf].key = xstrdup(key);
			d->f[d->nf].label = xstrdup(*label != '\0' ? label :
			    key);
			d->nf++;
		} else if (*label != '\0' && strcmp(label,
		    d->f[k].label) != 0) {
			rtable_error(t, i, cl, "factor '%s' is labelled '%s' "
			    "on an earlier line", diag_val(key),
			    diag_val(d->f[k].label));
			bad = 1;
			continue;
		}
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
		if (*type != '\0')
			sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 2);
		if (*tag != '\0')
			sqlite3_bind_text(st, 3, tag, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 3);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			rtable_free(t);
			vocab_free(voc);
			hmap_free(tags);
			return db_fail(d->db, rc, "factors");
		}
	}
	if (!bad && d->nf == 0) {
		rtable_error(t, t->nrows, -1, "no factors");
		bad = 1;
	}
	rtable_free(t);
	vocab_free(voc);
	hmap_free(tags);
	return bad ? -1 : 0;
}

/*
 * The factors, comma separated and each escaped as diag_val() does, for
 * a message; the caller frees.
 */
static char *
known_factors(const struct drill *d)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < d->nf; i++) {
		if (i > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, diag_val(d->f[i].key));
		if (strcmp(d->f[i].key, d->f[i].label) != 0)
			buf_addf(&b, " (%s)", diag_val(d->f[i].label));
	}
	return buf_take(&b);
}

static char *
known_regions(const struct drill *d)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < d->nreg; i++) {
		if (d->reg[i] == NULL)
			continue;
		if (b.len > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, diag_val(d->reg[i]));
	}
	if (b.len == 0)
		buf_adds(&b, "none");
	return buf_take(&b);
}

/* Level 1 into d's region arrays.  0, or -1 after reporting. */
static int
load_regions(struct drill *d)
{
	sqlite3_stmt *st;
	size_t n;
	int rc;

	if ((st = db_prepare(d->db, level1_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, d->o->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->o->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = d->nreg;
		if (n == d->capreg) {
			d->reg = xgrow(d->reg, &d->capreg, n + 1,
			    sizeof(*d->reg));
			d->won = xrealloc(d->won, d->capreg *
			    sizeof(*d->won));
			d->target = xrealloc(d->target, d->capreg *
			    sizeof(*d->target));
			d->nwon = xrealloc(d->nwon, d->capreg *
			    sizeof(*d->nwon));
		}
		d->reg[n] = col_text(st, 0) != NULL ?
		    xstrdup(col_text(st, 0)) : NULL;
		d->nwon[n] = (long)sqlite3_column_int64(st, 1);
		d->won[n] = sqlite3_column_int64(st, 2);
		d->target[n] = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 3);
		d->nreg++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d->db, rc, "drill regions");
	return 0;
}

/*
 * Percent of target, rounded half up; -1 without a target.  In 128
 * bits: won * 100 passes INT64_MAX from 920 trillion yuan on.
 */
__extension__ typedef __int128 i128;

static int64_t
pct_of(int64_t won, int64_t target)
{
	i128 p;

	if (target <= 0)
		return -1;
	p = ((i128)won * 100 + target / 2) / target;
	return p > INT64_MAX ? INT64_MAX : p < INT64_MIN ? INT64_MIN :
	    (int64_t)p;
}

/*
 * a + b (sub: a - b) into *r; -1 after reporting when the result passes
 * the range of int64 fen, as SQLite's sum() reports it.
 */
static int
add_fen(int64_t a, int64_t b, int sub, int64_t *r)
{
	if (sub ? __builtin_sub_overflow(a, b, r) :
	    __builtin_add_overflow(a, b, r)) {
		diag_error(SX_SYS, NULL, "drill totals: integer overflow");
		return -1;
	}
	return 0;
}

/* The flat table for programs: every row with its section. */
static struct table *
flat_new(void)
{
	struct table *t;

	t = table_new(NULL);
	table_col(t, "section", "section", 0);
	table_col(t, "region", "region", 0);
	table_col(t, "factor", "factor", 0);
	table_col(t, "level", "level", 0);
	table_col(t, "name", "name", 0);
	table_col(t, "won_deals", "won_deals", 1);
	table_money_col(t, "won", "won");
	table_money_col(t, "target", "target");
	table_money_col(t, "gap", "gap");
	table_col(t, "pct", "pct", 1);
	table_col(t, "activities", "activities", 1);
	return t;
}

static int
wanted(const struct drill *d, const char *region)
{
	return d->o->region == NULL || (region != NULL &&
	    strcmp(region, d->o->region) == 0);
}

/* Level 1.  0, or -1 after reporting an amount past int64. */
static int
level1(struct drill *d, struct doc *doc, struct table *flat)
{
	struct table *t;
	int64_t won, target, pct, gap;
	size_t i, r, fr;
	long n;
	int have_target;

	t = table_new(NULL);
	table_col(t, "region", _("region"), 0);
	table_col(t, "won_deals", _("won deals"), 1);
	table_money_col(t, "won", _("won"));
	table_money_col(t, "target", _("target"));
	table_money_col(t, "gap", _("gap"));
	/* xgettext:no-c-format */
	table_col(t, "pct", _("% of target"), 1);
	won = target = 0;
	n = 0;
	have_target = 0;
	for (i = 0; i < d->nreg; i++) {
		if (!wanted(d, d->reg[i]))
			continue;
		r = table_row(t);
		fr = table_row(flat);
		table_text(flat, fr, 0, "region");
		table_text(t, r, 0, d->reg[i] != NULL ? d->reg[i] :
		    _("(no region)"));
		table_text(flat, fr, 1, d->reg[i]);
		table_int(t, r, 1, d->nwon[i]);
		table_int(flat, fr, 5, d->nwon[i]);
		table_money(t, r, 2, d->won[i]);
		table_money(flat, fr, 6, d->won[i]);
		if (add_fen(won, d->won[i], 0, &won) < 0)
			goto overflow;
		n += d->nwon[i];
		if (d->target[i] < 0)
			continue;
		have_target = 1;
		if (add_fen(target, d->target[i], 0, &target) < 0 ||
		    add_fen(d->target[i], d->won[i], 1, &gap) < 0)
			goto overflow;
		table_money(t, r, 3, d->target[i]);
		table_money(flat, fr, 7, d->target[i]);
		table_money(t, r, 4, gap);
		table_money(flat, fr, 8, gap);
		if ((pct = pct_of(d->won[i], d->target[i])) >= 0) {
			table_int(t, r, 5, pct);
			table_int(flat, fr, 9, pct);
		}
	}
	if (d->o->region == NULL) {
		table_totals(t);
		r = table_row(t);
		table_text(t, r, 0, _("total"));
		table_int(t, r, 1, n);
		table_money(t, r, 2, won);
		if (have_target) {
			if (add_fen(target, won, 1, &gap) < 0)
				goto overflow;
			table_money(t, r, 3, target);
			table_money(t, r, 4, gap);
			if ((pct = pct_of(won, target)) >= 0)
				table_int(t, r, 5, pct);
		}
	}
	doc_heading(doc, _("1. Regions against target"));
	doc_table(doc, t, DOC_HUMAN);
	return 0;
overflow:
	table_free(t);
	return -1;
}

/* Level 2: the heatmap and its table.  0, or -1 after reporting. */
static int
level2(struct drill *d, struct doc *doc, struct table *flat)
{
	sqlite3_stmt *st;
	struct chart *c;
	struct table *t;
	const char *region, *key;
	int64_t *cnt;
	size_t i, j, k, r, fr, nrow, *rowof;
	int rc;

	rowof = xcalloc(d->nreg + 1, sizeof(*rowof));
	for (nrow = 0, i = 0; i < d->nreg; i++)
		if (wanted(d, d->reg[i]))
			rowof[nrow++] = i;
	cnt = xcalloc(nrow * d->nf + 1, sizeof(*cnt));
	if ((st = db_prepare(d->db, level2_sql)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, d->o->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->o->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		region = col_text(st, 0);
		key = col_text(st, 1);
		for (j = 0; j < nrow; j++) {
			const char *g = d->reg[rowof[j]];

			if ((g == NULL && region == NULL) || (g != NULL &&
			    region != NULL && strcmp(g, region) == 0))
				break;
		}
		if (j == nrow || (k = factor_index(d, key)) == d->nf)
			continue;
		cnt[j * d->nf + k] = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(d->db, rc, "drill factors");
		goto fail;
	}

	c = chart_new(CHART_HEATMAP, _("Factor-tagged activities by region"),
	    nrow, d->nf, 0);
	t = table_new(NULL);
	table_col(t, "region", _("region"), 0);
	for (k = 0; k < d->nf; k++) {
		chart_x(c, k, d->f[k].label);
		table_col(t, d->f[k].key, d->f[k].label, 1);
	}
	for (j = 0; j < nrow; j++) {
		const char *g = d->reg[rowof[j]];

		chart_series(c, j, g != NULL ? g : _("(no region)"));
		r = table_row(t);
		table_text(t, r, 0, g != NULL ? g : _("(no region)"));
		for (k = 0; k < d->nf; k++) {
			chart_set(c, j, k, (double)cnt[j * d->nf + k]);
			table_int(t, r, k + 1, cnt[j * d->nf + k]);
			fr = table_row(flat);
			table_text(flat, fr, 0, "factor");
			table_text(flat, fr, 1, g);
			table_text(flat, fr, 2, d->f[k].key);
			table_int(flat, fr, 10, cnt[j * d->nf + k]);
		}
	}
	doc_heading(doc, _("2. Business factors by region"));
	doc_para(doc, _("Activities of %s to %s tagged with each factor "
	    "(factors.csv), by the region of their rep."), d->o->from,
	    d->o->to);
	doc_chart(doc, c);
	doc_table(doc, t, DOC_HUMAN);
	free(cnt);
	free(rowof);
	return 0;
fail:
	free(cnt);
	free(rowof);
	return -1;
}

/* Level 3.  The count of units short of target, or -1. */
static long
level3(struct drill *d, struct doc *doc, struct table *flat)
{
	sqlite3_stmt *st;
	struct table *t;
	size_t r, fr, k;
	long n;
	int rc;

	if ((st = db_prepare(d->db, level3_sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, d->o->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->o->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->o->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, d->factor, -1, SQLITE_STATIC);
	k = factor_index(d, d->factor);
	t = table_new(NULL);
	table_col(t, "level", _("level"), 0);
	table_col(t, "name", _("unit or rep"), 0);
	table_money_col(t, "target", _("target"));
	table_money_col(t, "won", _("won"));
	table_money_col(t, "shortfall", _("shortfall"));
	table_col(t, "activities", d->f[k].label, 1);
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = table_row(t);
		fr = table_row(flat);
		table_text(flat, fr, 0, "unit");
		table_text(flat, fr, 1, d->o->region);
		table_text(flat, fr, 2, d->factor);
		table_text(t, r, 0, col_text(st, 0));
		table_text(flat, fr, 3, col_text(st, 0));
		table_text(t, r, 1, col_text(st, 1));
		table_text(flat, fr, 4, col_text(st, 1));
		table_money(t, r, 2, sqlite3_column_int64(st, 2));
		table_money(flat, fr, 7, sqlite3_column_int64(st, 2));
		table_money(t, r, 3, sqlite3_column_int64(st, 3));
		table_money(flat, fr, 6, sqlite3_column_int64(st, 3));
		table_money(t, r, 4, sqlite3_column_int64(st, 4));
		table_money(flat, fr, 8, sqlite3_column_int64(st, 4));
		table_int(t, r, 5, sqlite3_column_int64(st, 5));
		table_int(flat, fr, 10, sqlite3_column_int64(st, 5));
		table_int(flat, fr, 9, pct_of(sqlite3_column_int64(st, 3),
		    sqlite3_column_int64(st, 2)));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		table_free(t);
		db_fail(d->db, rc, "drill units");
		return -1;
	}
	doc_heading(doc, _("3. Units and reps below target"));
	doc_para(doc, _("Region %s, factor %s: %ld below target, largest "
	    "shortfall first."), d->o->region, d->f[k].label, n);
	doc_table(doc, t, DOC_HUMAN);
	return n;
}

struct doc *
report_drill(struct db *db, const struct report_opts *o, long *nfind)
{
	struct drill d;
	struct table *flat;
	struct doc *doc;
	char title[160], *known;
	size_t i;
	long n;

	n = 0;
	memset(&d, 0, sizeof(d));
	d.db = db;
	d.o = o;
	doc = NULL;
	if (o->factor != NULL && o->region == NULL) {
		diag_error(SX_USAGE, NULL, "--factor needs --region: the "
		    "units of one region are listed for one factor");
		goto out;
	}
	if (load_factors(&d) < 0 || load_regions(&d) < 0)
		goto out;
	if (o->region != NULL) {
		for (i = 0; i < d.nreg; i++)
			if (d.reg[i] != NULL && strcmp(d.reg[i],
			    o->region) == 0)
				break;
		if (i == d.nreg) {
			known = known_regions(&d);
			diag_error(SX_USAGE, NULL, "unknown region '%s'; "
			    "known: %s", diag_val(o->region), known);
			free(known);
			goto out;
		}
	}
	if (o->factor != NULL) {
		for (i = 0; i < d.nf; i++)
			if (strcmp(d.f[i].key, o->factor) == 0 ||
			    strcmp(d.f[i].label, o->factor) == 0)
				break;
		if (i == d.nf) {
			known = known_factors(&d);
			diag_error(SX_USAGE, NULL, "unknown factor '%s'; "
			    "known: %s", diag_val(o->factor), known);
			free(known);
			goto out;
		}
		d.factor = d.f[i].key;
	}

	snprintf(title, sizeof(title), _("Drill-down %s (%s to %s)"),
	    o->period, o->from, o->to);
	doc = doc_new(title);
	flat = flat_new();
	if (level1(&d, doc, flat) < 0 || level2(&d, doc, flat) < 0 ||
	    (d.factor != NULL &&
	    (n = level3(&d, doc, flat)) < 0)) {
		table_free(flat);
		doc_free(doc);
		doc = NULL;
		goto out;
	}
	if (d.factor != NULL)
		*nfind = n;
	doc_table(doc, flat, DOC_MACHINE);
out:
	drill_clear(&d);
	return doc;
}
