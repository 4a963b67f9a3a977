/*
 * Upserts.  A new record costs an INSERT and nothing else: it carries
 * the batch's id, which is all undo needs to delete it.  An existing
 * one costs a SELECT and a comparison, and an UPDATE plus a change_log
 * row (the changed values and the replaced provenance as the
 * before-image) only when a value really changed, so re-imports leave
 * batch_id and provenance alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "hmap.h"
#include "kinds.h"
#include "map.h"
#include "stage.h"
#include "store.h"
#include "text.h"
#include "tz.h"
#include "xalloc.h"

/*
 * A column of a kind with a foreign key, and the values this batch
 * wrote into it (value -> the first row that wrote it).
 */
struct ref {
	size_t		 col;		/* in kd->cols */
	char		*sql;		/* SELECT 1 FROM parent WHERE key = ? */
	char		*parent;
	int		 pkind;		/* the parent's kind, or -1 */
	struct hmap	*ids;
};

struct refs {
	int		 loaded;
	struct ref	*v;
	size_t		 n;
};

/* A main record of a bulk load waiting for its chunk (store_flush()). */
struct pending {
	struct rec	 r;
	struct buf	 sheet;		/* NUL-terminated, or empty */
	long		 row;
};

#define STORE_CHUNK	32

struct store {
	struct db	*db;
	long		 batch;
	struct hmap	*seen;		/* sub-record id -> signature hash */
	struct buf	 sql;
	struct stage_hook *gates;	/* stage gates, or NULL */
	const char	*file;		/* of the batch, for messages */
	/* The INSERT of each kind, built and prepared once; db owns it. */
	sqlite3_stmt	*ins[K_COUNT];
	sqlite3_stmt	*chunk_ins[K_COUNT];	/* of STORE_CHUNK rows */
	/*
	 * A bulk load inserts STORE_CHUNK rows to a statement: a
	 * statement's own cost (its cursors opened and closed, its
	 * program started) was a fifth of a row's insert.  The rows wait
	 * here; store_flush() writes them and tells each one's outcome
	 * to done, in row order.
	 */
	struct pending	 pend[STORE_CHUNK];
	size_t		 npend;
	void		(*done)(void *, const struct rec *, const char *,
			    long, enum put_rc);
	void		*done_arg;
	/*
	 * Of the record the last store_put() wrote, when it existed and
	 * was a main record (sub = 0): the batch and row that wrote it
	 * last; else 0.
	 */
	long		 prev_batch, prev_row;
	/* store_bulk(): the CREATE INDEX text of each index dropped. */
	char		**bulk_sql;
	size_t		 nbulk, capbulk;
	int		 bulk_table;	/* 1 + the kind they belong to */
	struct refs	 refs[K_COUNT];	/* see store_refs_check() */
	/*
	 * The id of the last sub-record of each kind store_put() was
	 * given: the row's own customer and rep, which a main record
	 * names, need no remembering for the check.
	 */
	char		 last_sub[K_COUNT][sizeof(((struct rec *)0)->id)];
};

struct store *
store_new(struct db *db)
{
	struct store *s;

	s = xcalloc(1, sizeof(*s));
	s->db = db;
	s->seen = hmap_new();
	/*
	 * SQLite checks a foreign key by looking the parent up for every
	 * row written: three lookups an activity, a fifth of its insert.
	 * The rows of a file name the same few thousand parents over and
	 * over, so the store checks each distinct one once instead, before
	 * the batch ends (store_refs_check()).  Outside a transaction, as
	 * the pragma wants; the other commands keep SQLite's checks.
	 */
	if (sqlite3_exec(db_handle(db), "PRAGMA foreign_keys = OFF", NULL,
	    NULL, NULL) != SQLITE_OK)
		return s;	/* SQLite's checks stay: slower, as sound */
	return s;
}

static void
refs_clear(struct store *s, int drop)
{
	size_t k, i;

	for (k = 0; k < K_COUNT; k++)
		for (i = 0; i < s->refs[k].n; i++) {
			hmap_free(s->refs[k].v[i].ids);
			s->refs[k].v[i].ids = drop ? NULL : hmap_new();
			if (drop) {
				free(s->refs[k].v[i].sql);
				free(s->refs[k].v[i].parent);
			}
		}
	if (drop)
		for (k = 0; k < K_COUNT; k++) {
			free(s->refs[k].v);
			memset(&s->refs[k], 0, sizeof(s->refs[k]));
		}
}

/* The columns of kd with a foreign key, from the schema itself. */
static struct refs *
refs_of(struct store *s, const struct kinddef *kd)
{
	static const char sql[] = "SELECT \"from\", \"table\", \"to\""
	    " FROM pragma_foreign_key_list(?)";
	struct refs *rs = &s->refs[kd->kind];
	sqlite3_stmt *st;
	struct ref *r;
	struct buf q = {0};
	size_t k;
	int c, rc;

	if (rs->loaded)
		return rs;
	if ((st = db_prepare(s->db, sql)) == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, kd->table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c = kind_col(kd, (const char *)sqlite3_column_text(st, 0));
		if (c < 0)
			continue;	/* batch_id: the batch's own */
		rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		r = &rs->v[rs->n++];
		r->col = (size_t)c;
		r->parent = xstrdup((const char *)sqlite3_column_text(st, 1));
		r->pkind = -1;
		for (k = K_NONE + 1; k < K_COUNT; k++)
			if (strcmp(kind_def((enum kind)k)->table,
			    r->parent) == 0)
				r->pkind = (int)k;
		buf_reset(&q);
		buf_addf(&q, "SELECT 1 FROM \"%s\" WHERE \"%s\" = ?",
		    r->parent, sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    "rowid" : (const char *)sqlite3_column_text(st, 2));
		r->sql = xstrdup(q.s);
		r->ids = hmap_new();
	}
	sqlite3_reset(st);
	buf_free(&q);
	if (rc != SQLITE_DONE) {
		db_fail(s->db, rc, kd->table);
		return NULL;
	}
	rs->loaded = 1;
	return rs;
}

/* Remember the parents r names, for store_refs_check(). */
static int
refs_note(struct store *s, const struct rec *r, long row)
{
	const struct sval *v;
	struct refs *rs;
	intptr_t first;
	size_t i;

	if ((rs = refs_of(s, r->kd)) == NULL)
		return -1;
	for (i = 0; i < rs->n; i++) {
		v = &r->v[rs->v[i].col];
		if (!v->set || v->null)
			continue;
		/* The row's own customer or rep, just written. */
		if (rs->v[i].pkind >= 0 && v->len < sizeof(s->last_sub[0]) &&
		    s->last_sub[rs->v[i].pkind][v->len] == '\0' &&
		    memcmp(s->last_sub[rs->v[i].pkind], r->arena.s + v->off,
		    v->len) == 0)
			continue;
		if (hmap_get(rs->v[i].ids, r->arena.s + v->off, v->len,
		    &first))
			continue;
		hmap_put(rs->v[i].ids, r->arena.s + v->off, v->len,
		    (intptr_t)row);
	}
	return 0;
}

struct refwalk {
	struct store	*s;
	struct ref	*ref;
	const char	*table, *column;
	int		 failed;
};

static void
ref_check(const char *id, intptr_t row, void *arg)
{
	struct refwalk *w = arg;
	sqlite3_stmt *st;
	int rc;

	if (w->failed)
		return;
	if ((st = db_prepare(w->s->db, w->ref->sql)) == NULL) {
		w->failed = 1;
		return;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return;
	w->failed = 1;
	if (rc != SQLITE_DONE) {
		db_fail(w->s->db, rc, w->ref->parent);
		return;
	}
	{
		struct pos pos = {w->s->file, NULL, (long)row, 0};

		diag_error(SX_DATA, &pos, "%s.%s '%s' names no row of %s",
		    w->table, w->column, id, w->ref->parent);
	}
}

int
store_refs_check(struct store *s)
{
	struct refwalk w;
	size_t k, i;

	if (store_flush(s) < 0)
		return -1;
	memset(&w, 0, sizeof(w));
	w.s = s;
	for (k = 0; k < K_COUNT && !w.failed; k++)
		for (i = 0; i < s->refs[k].n && !w.failed; i++) {
			w.ref = &s->refs[k].v[i];
			w.table = kind_def((enum kind)k)->table;
			w.column = kind_def((enum kind)k)->cols[w.ref->col].name;
			hmap_each(w.ref->ids, ref_check, &w);
		}
	return w.failed ? -1 : 0;
}

static void
bulk_clear(struct store *s)
{
	size_t i;

	for (i = 0; i < s->nbulk; i++)
		free(s->bulk_sql[i]);
	s->nbulk = 0;
	s->bulk_table = 0;
}

void
store_free(struct store *s)
{
	size_t i;

	if (s == NULL)
		return;
	bulk_clear(s);
	free(s->bulk_sql);
	refs_clear(s, 1);
	for (i = 0; i < STORE_CHUNK; i++) {
		buf_free(&s->pend[i].r.arena);
		buf_free(&s->pend[i].sheet);
	}
	hmap_free(s->seen);
	buf_free(&s->sql);
	stage_hook_free(s->gates);
	free(s);
}

void
store_forget(struct store *s)
{
	hmap_free(s->seen);
	s->seen = hmap_new();
	stage_hook_reset(s->gates);
	bulk_clear(s);
	refs_clear(s, 0);
	memset(s->last_sub, 0, sizeof(s->last_sub));
	s->npend = 0;
}

int
store_bulk(struct store *s, const struct kinddef *kd, long inserted)
{
	static const char list[] = "SELECT m.name, m.sql FROM"
	    " pragma_index_list(?) AS l JOIN sqlite_schema AS m"
	    " ON m.name = l.name AND m.type = 'index'"
	    " WHERE l.\"unique\" = 0 AND l.origin = 'c' AND m.sql IS NOT NULL"
	    " ORDER BY m.rowid";
	sqlite3_stmt *st;
	struct buf sql = {0}, drop = {0};
	long long rows;
	int rc, ret;

	if (s->bulk_table != 0)
		return 0;
	/* The table's rows, this batch's included: max(rowid) costs a
	 * step down the b-tree, count(*) a scan. */
	buf_addf(&sql, "SELECT max(rowid) FROM %s", kd->table);
	if ((st = db_prepare(s->db, sql.s)) == NULL) {
		buf_free(&sql);
		return -1;
	}
	buf_free(&sql);
	rc = sqlite3_step(st);
	rows = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(s->db, rc, kd->table);
	if (rows > 2 * (long long)inserted)
		return 0;

	if ((st = db_prepare(s->db, list)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, kd->table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->bulk_sql = xgrow(s->bulk_sql, &s->capbulk, s->nbulk + 1,
		    sizeof(*s->bulk_sql));
		s->bulk_sql[s->nbulk++] = xstrdup((const char *)
		    sqlite3_column_text(st, 1));
		buf_addf(&drop, "DROP INDEX \"%s\";",
		    (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	s->bulk_table = 1 + (int)kd->kind;
	if (rc != SQLITE_DONE)
		ret = db_fail(s->db, rc, kd->table);
	else
		ret = s->nbulk > 0 ? db_exec(s->db, drop.s) : 0;
	buf_free(&drop);
	return ret < 0 ? -1 : 0;
}

int
store_bulk_end(struct store *s)
{
	sqlite3_stmt *st;
	char sql[64];
	long long cache;
	size_t i;
	int ret;

	if (store_flush(s) < 0)
		return -1;
	if (s->nbulk == 0) {
		bulk_clear(s);
		return 0;
	}
	/*
	 * CREATE INDEX sorts in runs as large as the page cache may
	 * hold, spilled to temporary files and merged.  With the cache
	 * made small for the while, its pages make room for the sort and
	 * the peak stays what it was during the inserts; and a run of 2
	 * MiB sorts within a core's L2 cache: the four activity indexes of
	 * 1M rows took 3.4-3.5 s CPU so, 4.6-5.4 s with 4 to 16 MiB.
	 */
	if ((st = db_prepare(s->db, "PRAGMA cache_size")) == NULL)
		return -1;
	cache = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) :
	    0;
	sqlite3_reset(st);
	ret = cache != 0 ? db_exec(s->db, "PRAGMA cache_size = -2048") : 0;
	for (i = 0; i < s->nbulk && ret == 0; i++)
		if (db_exec(s->db, s->bulk_sql[i]) < 0)
			ret = -1;
	if (cache != 0) {
		snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", cache);
		if (db_exec(s->db, sql) < 0)
			ret = -1;
	}
	bulk_clear(s);
	return ret;
}

void
store_set_rules(struct store *s, const char *dir)
{
	stage_hook_free(s->gates);
	s->gates = dir != NULL ? stage_hook_new(s->db, dir) : NULL;
}

long
store_stage_blocked(const struct store *s)
{
	return stage_hook_blocked(s->gates);
}

static int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc;

	if (db_tx_lost(s->db))
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s->db, rc, what);
	return 0;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

long
store_batch_begin(struct store *s, const struct batch_info *b)
{
	static const char sql[] = "INSERT INTO import_batch (file, sha256,"
	    " format, encoding, sheet, kind, started_at) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?)";
	char now[INSTANT_TEXT_MAX];
	sqlite3_stmt *st;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	tz_now(now);
	bind_text(st, 1, b->file);
	bind_text(st, 2, b->sha256);
	bind_text(st, 3, b->format);
	bind_text(st, 4, b->encoding);
	bind_text(st, 5, b->sheet);
	bind_text(st, 6, b->kind);
	bind_text(st, 7, now);
	if (step_done(s, st, "cannot record the import") < 0)
		return -1;
	s->batch = (long)sqlite3_last_insert_rowid(db_handle(s->db));
	s->file = b->file;
	/* The keys store_seen() met belong to the batch before. */
	if (db_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS seen_key ("
	    " tbl TEXT NOT NULL, id TEXT NOT NULL, row INTEGER NOT NULL,"
	    " PRIMARY KEY (tbl, id)) WITHOUT ROWID;"
	    "DELETE FROM temp.seen_key") < 0)
		return -1;
	return s->batch;
}

long
store_seen(struct store *s, const char *table, const char *id, long row,
    int fresh)
{
	static const char ins[] = "INSERT INTO temp.seen_key (tbl, id, row)"
	    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
	static const char sel[] = "SELECT row FROM temp.seen_key"
	    " WHERE tbl = ? AND id = ?";
	sqlite3_stmt *st;
	long first, known;
	int rc;

	/*
	 * New to the store: met for the first time, and the record holds
	 * the row.  Met again, the record was written by this batch and
	 * holds no key here yet: it was that insert, at row prev_row.
	 */
	if (fresh)
		return 0;
	known = s->prev_batch == s->batch ? s->prev_row : 0;
	if ((st = db_prepare(s->db, ins)) == NULL)
		return -1;
	bind_text(st, 1, table);
	bind_text(st, 2, id);
	sqlite3_bind_int64(st, 3, known > 0 ? known : row);
	if (step_done(s, st, "cannot remember the row") < 0)
		return -1;
	if (sqlite3_changes(db_handle(s->db)) == 1)
		return known;
	if ((st = db_prepare(s->db, sel)) == NULL)
		return -1;
	bind_text(st, 1, table);
	bind_text(st, 2, id);
	rc = sqlite3_step(st);
	first = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (first < 0)
		return db_fail(s->db, rc, "cannot remember the row");
	return first;
}

int
store_batch_end(struct store *s, const struct batch_info *b)
{
	static const char sql[] = "UPDATE import_batch SET encoding = ?,"
	    " sheet = ?, kind = ?, rows = ?, inserted = ?, updated = ?,"
	    " unchanged = ?, rejected = ?, warnings = ? WHERE id = ?";
	sqlite3_stmt *st;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	bind_text(st, 1, b->encoding);
	bind_text(st, 2, b->sheet);
	bind_text(st, 3, b->kind);
	sqlite3_bind_int64(st, 4, b->rows);
	sqlite3_bind_int64(st, 5, b->inserted);
	sqlite3_bind_int64(st, 6, b->updated);
	sqlite3_bind_int64(st, 7, b->unchanged);
	sqlite3_bind_int64(st, 8, b->rejected);
	sqlite3_bind_int64(st, 9, b->warnings);
	sqlite3_bind_int64(st, 10, s->batch);
	return step_done(s, st, "cannot record the import");
}

int
store_reject(struct store *s, const char *sheet, long row, int col,
    const char *column, const char *value, const char *reason)
{
	static const char sql[] = "INSERT INTO reject (batch_id, sheet, row,"
	    " col, column_name, value, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->batch);
	bind_text(st, 2, sheet);
	sqlite3_bind_int64(st, 3, row);
	if (col > 0)
		sqlite3_bind_int(st, 4, col);
	bind_text(st, 5, column);
	bind_text(st, 6, value);
	bind_text(st, 7, reason);
	return step_done(s, st, "cannot record a rejected row");
}

int
store_warning(struct store *s, const char *tbl, const char *rec_id,
    const char *sheet, long row, int col, const char *column,
    const char *value, const char *reason)
{
	static const char sql[] = "INSERT INTO import_warning (batch_id, tbl,"
	    " rec_id, sheet, row, col, column_name, value, reason) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s->batch);
	bind_text(st, 2, tbl);
	bind_text(st, 3, rec_id);
	bind_text(st, 4, sheet);
	sqlite3_bind_int64(st, 5, row);
	if (col > 0)
		sqlite3_bind_int(st, 6, col);
	bind_text(st, 7, column);
	bind_text(st, 8, value);
	bind_text(st, 9, reason);
	return step_done(s, st, "cannot record a warning");
}

static void
bind_val(sqlite3_stmt *st, int i, const struct rec *r, size_t c)
{
	const struct sval *v = &r->v[c];

	if (!v->set || v->null) {
		sqlite3_bind_null(st, i);
		return;
	}
	switch (r->kd->cols[c].type) {
	case C_TEXT:
		/* No copy: every caller steps before the record changes,
		 * and binds every parameter again before the next step. */
		sqlite3_bind_text(st, i, r->arena.s + v->off, (int)v->len,
		    SQLITE_STATIC);
		break;
	case C_INT:
		sqlite3_bind_int64(st, i, v->i);
		break;
	case C_REAL:
		sqlite3_bind_double(st, i, v->r);
		break;
	}
}

/* 1 when the stored column (of a SELECT *) differs from the value. */
static int
differs(sqlite3_stmt *st, int i, const struct rec *r, size_t c)
{
	const struct sval *v = &r->v[c];
	int t;

	t = sqlite3_column_type(st, i);
	if (v->null)
		return t != SQLITE_NULL;
	if (t == SQLITE_NULL)
		return 1;
	switch (r->kd->cols[c].type) {
	case C_TEXT:
		return (size_t)sqlite3_column_bytes(st, i) != v->len ||
		    memcmp(sqlite3_column_text(st, i), r->arena.s + v->off,
		    v->len) != 0;
	case C_INT:
		return sqlite3_column_int64(st, i) != v->i;
	case C_REAL:
		return sqlite3_column_double(st, i) != v->r;
	}
	return 0;
}

static void
json_col(struct buf *b, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		buf_adds(b, "null");
		break;
	case SQLITE_INTEGER:
		buf_addf(b, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		buf_addf(b, "%.17g", sqlite3_column_double(st, i));
		break;
	default:
		buf_add_json(b, (const char *)sqlite3_column_text(st, i),
		    (size_t)sqlite3_column_bytes(st, i));
		break;
	}
}

static void
json_val(struct buf *b, const struct rec *r, size_t c)
{
	const struct sval *v = &r->v[c];

	if (v->null)
		buf_adds(b, "null");
	else if (r->kd->cols[c].type == C_TEXT)
		buf_add_json(b, r->arena.s + v->off, v->len);
	else if (r->kd->cols[c].type == C_INT)
		buf_addf(b, "%lld", (long long)v->i);
	else
		buf_addf(b, "%.17g", v->r);
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *u = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * A cheap signature of a sub-record's values, to skip repeats: per
 * column a mark of whether it holds a value, then the value's bytes
 * (texts led by their length), so different records hash apart.
 */
static uint64_t
signature(const struct rec *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const struct sval *v;
	unsigned char mark;
	size_t c;

	for (c = 0; c < r->kd->ncols; c++) {
		v = &r->v[c];
		mark = v->set && !v->null;
		h = fnv(h, &mark, 1);
		if (!mark)
			continue;
		switch (r->kd->cols[c].type) {
		case C_TEXT:
			h = fnv(h, &v->len, sizeof(v->len));
			h = fnv(h, r->arena.s + v->off, v->len);
			break;
		case C_INT:
			h = fnv(h, &v->i, sizeof(v->i));
			break;
		case C_REAL:
			h = fnv(h, &v->r, sizeof(v->r));
			break;
		}
	}
	return h;
}

/*
 * The INSERT of kd for n rows (1, or a bulk chunk): every column, then
 * the provenance; a row whose id is there already is left alone.
 */
static sqlite3_stmt *
insert_stmt(struct store *s, const struct kinddef *kd, int n)
{
	sqlite3_stmt **slot = n == 1 ? &s->ins[kd->kind] :
	    &s->chunk_ins[kd->kind];
	size_t c;
	int i;

	if (*slot != NULL)
		return *slot;
	buf_reset(&s->sql);
	buf_addf(&s->sql, "INSERT INTO %s (", kd->table);
	for (c = 0; c < kd->ncols; c++)
		buf_addf(&s->sql, "%s, ", kd->cols[c].name);
	buf_adds(&s->sql, "batch_id, src_sheet, src_row) VALUES ");
	for (i = 0; i < n; i++) {
		buf_adds(&s->sql, i > 0 ? ", (" : "(");
		for (c = 0; c < kd->ncols + 3; c++) {
			if (c)
				buf_adds(&s->sql, ", ");
			if (c < kd->ncols && kd->cols[c].dflt != NULL)
				buf_addf(&s->sql, "coalesce(?, %s)",
				    kd->cols[c].dflt);
			else
				buf_addc(&s->sql, '?');
		}
		buf_addc(&s->sql, ')');
	}
	buf_adds(&s->sql, " ON CONFLICT(id) DO NOTHING");
	*slot = db_prepare(s->db, s->sql.s);
	return *slot;
}

/* Bind r as the row that starts at parameter first. */
static void
bind_row(struct store *s, sqlite3_stmt *st, int first, const struct rec *r,
    const char *sheet, long row)
{
	size_t c, n = r->kd->ncols;

	for (c = 0; c < n; c++)
		bind_val(st, first + (int)c, r, c);
	sqlite3_bind_int64(st, first + (int)n, s->batch);
	bind_text(st, first + (int)n + 1, sheet);
	sqlite3_bind_int64(st, first + (int)n + 2, row);
}

/*
 * r's id is in the store: compare, and update what changed, with the
 * values replaced in change_log.
 */
static enum put_rc
put_existing(struct store *s, const struct rec *r, int sub,
    const char *sheet, long row)
{
	const struct kinddef *kd = r->kd;
	struct buf before = {0}, after = {0};
	sqlite3_stmt *st, *sel;
	size_t c, nch;
	int rc, i, changed[REC_MAXCOLS];
	enum put_rc ret;

	buf_reset(&s->sql);
	buf_adds(&s->sql, "SELECT ");
	for (c = 0; c < kd->ncols; c++)
		buf_addf(&s->sql, "%s%s", c ? ", " : "", kd->cols[c].name);
	buf_addf(&s->sql, ", batch_id, src_sheet, src_row FROM %s WHERE"
	    " id = ?", kd->table);
	if ((sel = db_prepare(s->db, s->sql.s)) == NULL)
		return PUT_ERROR;
	sqlite3_bind_text(sel, 1, r->id, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(sel)) != SQLITE_ROW) {
		sqlite3_reset(sel);
		db_fail(s->db, rc, kd->table);
		return PUT_ERROR;
	}
	if (!sub && sqlite3_column_type(sel, (int)kd->ncols) ==
	    SQLITE_INTEGER) {
		s->prev_batch = (long)sqlite3_column_int64(sel,
		    (int)kd->ncols);
		s->prev_row = (long)sqlite3_column_int64(sel,
		    (int)kd->ncols + 2);
	}
	nch = 0;
	for (c = 1; c < kd->ncols; c++) {
		changed[c] = 0;
		if (!r->v[c].set || (sub && r->v[c].null))
			continue;
		if (differs(sel, (int)c, r, c)) {
			/* Gates hold on imports too: see stage_hook_claim(). */
			if (kd->kind == K_DEAL && s->gates != NULL &&
			    !r->v[c].null && strcmp(kd->cols[c].name,
			    "stage") == 0 && (rc = stage_hook_claim(s->gates,
			    s->file, sheet, row, r->id, (const char *)
			    sqlite3_column_text(sel, (int)c), r->arena.s +
			    r->v[c].off, r->v[c].len, s->batch)) <= 0) {
				if (rc < 0) {
					sqlite3_reset(sel);
					goto fail;
				}
				continue;
			}
			changed[c] = 1;
			buf_addf(&before, "%s\"%s\":", nch ? "," : "{",
			    kd->cols[c].name);
			json_col(&before, sel, (int)c);
			buf_addf(&after, "%s\"%s\":", nch ? "," : "{",
			    kd->cols[c].name);
			json_val(&after, r, c);
			nch++;
		}
	}
	ret = PUT_UNCHANGED;
	if (nch == 0) {
		sqlite3_reset(sel);
		goto out;
	}
	/* The provenance the update replaces, so undo can put it back. */
	buf_adds(&before, ",\"batch_id\":");
	json_col(&before, sel, (int)kd->ncols);
	buf_adds(&before, ",\"src_sheet\":");
	json_col(&before, sel, (int)kd->ncols + 1);
	buf_adds(&before, ",\"src_row\":");
	json_col(&before, sel, (int)kd->ncols + 2);
	sqlite3_reset(sel);
	buf_addc(&before, '}');
	buf_addc(&after, '}');

	buf_reset(&s->sql);
	buf_addf(&s->sql, "UPDATE %s SET ", kd->table);
	for (c = 1; c < kd->ncols; c++)
		if (changed[c])
			buf_addf(&s->sql, "%s = ?, ", kd->cols[c].name);
	buf_adds(&s->sql, "batch_id = ?, src_sheet = ?, src_row = ?"
	    " WHERE id = ?");
	if ((st = db_prepare(s->db, s->sql.s)) == NULL)
		goto fail;
	i = 1;
	for (c = 1; c < kd->ncols; c++)
		if (changed[c])
			bind_val(st, i++, r, c);
	sqlite3_bind_int64(st, i++, s->batch);
	bind_text(st, i++, sheet);
	sqlite3_bind_int64(st, i++, row);
	sqlite3_bind_text(st, i, r->id, -1, SQLITE_TRANSIENT);
	if (step_done(s, st, kd->table) < 0)
		goto fail;

	st = db_prepare(s->db, "INSERT INTO change_log (batch_id, tbl,"
	    " rec_id, op, before, after) VALUES (?, ?, ?, 'update', ?, ?)");
	if (st == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, s->batch);
	sqlite3_bind_text(st, 2, kd->table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, before.s, (int)before.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, after.s, (int)after.len, SQLITE_TRANSIENT);
	if (step_done(s, st, "change_log") < 0)
		goto fail;
	ret = PUT_UPDATED;
out:
	buf_free(&before);
	buf_free(&after);
	return ret;
fail:
	buf_free(&before);
	buf_free(&after);
	return PUT_ERROR;
}

static enum put_rc put_one(struct store *, const struct rec *, int,
		    const char *, long);

/* Queue main record r of a bulk load; it waits for store_flush(). */
static void
pend_add(struct store *s, const struct rec *r, const char *sheet, long row)
{
	struct pending *p = &s->pend[s->npend++];
	size_t n = r->kd->ncols;

	p->r.kd = r->kd;
	p->r.present = r->present;
	memcpy(p->r.id, r->id, sizeof(p->r.id));
	memcpy(p->r.v, r->v, n * sizeof(r->v[0]));
	buf_reset(&p->r.arena);
	buf_add(&p->r.arena, r->arena.s != NULL ? r->arena.s : "",
	    r->arena.len);
	buf_reset(&p->sheet);
	if (sheet != NULL)
		buf_add(&p->sheet, sheet, strlen(sheet) + 1);
	p->row = row;
}

/*
 * The rowid of id in table, into *rowid; 0, or -1 after reporting.
 * The chunk's INSERT gave its new rows the rowids above the table's
 * largest before it, in the order of its VALUES.
 */
static int
rowid_of(struct store *s, const struct kinddef *kd, const char *id,
    long long *rowid)
{
	sqlite3_stmt *st;
	int rc;

	buf_reset(&s->sql);
	if (id != NULL)
		buf_addf(&s->sql, "SELECT rowid FROM %s WHERE id = ?",
		    kd->table);
	else
		buf_addf(&s->sql, "SELECT max(rowid) FROM %s", kd->table);
	if ((st = db_prepare(s->db, s->sql.s)) == NULL)
		return -1;
	if (id != NULL)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(s->db, rc, kd->table);
	}
	*rowid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
store_flush(struct store *s)
{
	const struct kinddef *kd;
	struct pending *p;
	sqlite3_stmt *st;
	const char *sheet;
	enum put_rc rc;
	long long low, rowid;
	size_t i, j, n;
	int made, ret = 0;

	if (s->npend == 0)
		return 0;
	n = s->npend;
	s->npend = 0;
	if (n == STORE_CHUNK) {
		/* The common case: one statement, every row new. */
		if ((st = insert_stmt(s, s->pend[0].r.kd, STORE_CHUNK)) ==
		    NULL)
			return -1;
		for (i = 0; i < n; i++)
			bind_row(s, st, 1 + (int)i * ((int)s->pend[0].r.kd->ncols
			    + 3), &s->pend[i].r, s->pend[i].sheet.len > 0 ?
			    s->pend[i].sheet.s : NULL, s->pend[i].row);
		if (step_done(s, st, s->pend[0].r.kd->table) < 0)
			return -1;
		made = sqlite3_changes(db_handle(s->db));
		if (made == (int)n) {
			for (i = 0; i < n; i++)
				s->done(s->done_arg, &s->pend[i].r,
				    s->pend[i].sheet.len > 0 ?
				    s->pend[i].sheet.s : NULL,
				    s->pend[i].row, PUT_INSERTED);
			return 0;
		}
	} else {
		/* A short chunk, at the end: row by row. */
		for (i = 0; i < n; i++) {
			p = &s->pend[i];
			sheet = p->sheet.len > 0 ? p->sheet.s : NULL;
			rc = put_one(s, &p->r, 0, sheet, p->row);
			s->done(s->done_arg, &p->r, sheet, p->row, rc);
			if (rc == PUT_ERROR)
				return -1;
		}
		return 0;
	}
	/*
	 * Some ids were there already, of an earlier import or of an
	 * earlier row of the chunk: those rows go the ordinary way, in
	 * row order, as if they had come one by one.  A row was inserted
	 * when its id's rowid is one the INSERT gave (above the largest
	 * before it) and no earlier row of the chunk has the id: the
	 * rows' own provenance cannot tell, as every item of a feed on
	 * one line has the same.
	 */
	kd = s->pend[0].r.kd;
	if (rowid_of(s, kd, NULL, &low) < 0)
		return -1;
	low -= made;
	for (i = 0; i < n && ret == 0; i++) {
		p = &s->pend[i];
		sheet = p->sheet.len > 0 ? p->sheet.s : NULL;
		s->prev_batch = s->prev_row = 0;
		for (j = 0; j < i; j++)
			if (strcmp(s->pend[j].r.id, p->r.id) == 0)
				break;
		if (rowid_of(s, kd, p->r.id, &rowid) < 0)
			rc = PUT_ERROR;
		else if (rowid > low && j == i)
			rc = PUT_INSERTED;
		else
			rc = put_existing(s, &p->r, 0, sheet, p->row);
		s->done(s->done_arg, &p->r, sheet, p->row, rc);
		if (rc == PUT_ERROR)
			ret = -1;
	}
	return ret;
}

/* Write r now: insert, or compare and update. */
static enum put_rc
put_one(struct store *s, const struct rec *r, int sub, const char *sheet,
    long row)
{
	sqlite3_stmt *st;

	s->prev_batch = s->prev_row = 0;
	/* Try the insert first: most rows of a first import are new. */
	if ((st = insert_stmt(s, r->kd, 1)) == NULL)
		return PUT_ERROR;
	bind_row(s, st, 1, r, sheet, row);
	if (step_done(s, st, r->kd->table) < 0)
		return PUT_ERROR;
	if (sqlite3_changes(db_handle(s->db)) == 1)
		return PUT_INSERTED;
	return put_existing(s, r, sub, sheet, row);
}

enum put_rc
store_put(struct store *s, const struct rec *r, int sub, const char *sheet,
    long row)
{
	intptr_t old;
	uint64_t sig;

	s->prev_batch = s->prev_row = 0;
	if (sub) {
		memcpy(s->last_sub[r->kd->kind], r->id, sizeof(r->id));
		sig = signature(r);
		if (hmap_get(s->seen, r->id, strlen(r->id), &old) &&
		    (uint64_t)old == sig)
			return PUT_UNCHANGED;
		hmap_put(s->seen, r->id, strlen(r->id), (intptr_t)sig);
	}
	if (refs_note(s, r, row) < 0)
		return PUT_ERROR;
	if (!sub && s->done != NULL && s->bulk_table == 1 + (int)r->kd->kind) {
		pend_add(s, r, sheet, row);
		if (s->npend == STORE_CHUNK && store_flush(s) < 0)
			return PUT_ERROR;
		return PUT_QUEUED;
	}
	if (!sub && store_flush(s) < 0)
		return PUT_ERROR;
	return put_one(s, r, sub, sheet, row);
}

void
store_set_done(struct store *s, void (*fn)(void *, const struct rec *,
    const char *sheet, long row, enum put_rc), void *arg)
{
	s->done = fn;
	s->done_arg = arg;
}

int
store_rep_code(struct store *s, const char *id, struct buf *code)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	buf_reset(code);
	if ((st = db_prepare(s->db, "SELECT code FROM rep WHERE id = ?1"
	    " AND code IS NOT NULL")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_add(code, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		found = 1;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s->db, rc, "cannot read the reps");
	return found;
}

int
store_party_codes(struct store *s, int rep, struct hmap *codes,
    struct buf *names)
{
	sqlite3_stmt *st;
	const char *code;
	intptr_t old;
	int rc;

	if ((st = db_prepare(s->db, rep ? "SELECT code, name FROM rep"
	    " WHERE code IS NOT NULL ORDER BY rowid" : "SELECT code, name"
	    " FROM customer WHERE code IS NOT NULL ORDER BY rowid")) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		code = (const char *)sqlite3_column_text(st, 0);
		if (hmap_get(codes, code, strlen(code), &old))
			continue;	/* the first one of a code */
		hmap_put(codes, code, strlen(code), (intptr_t)names->len);
		buf_add(names, (const char *)sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1));
		buf_addc(names, '\0');
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s->db, rc, rep ? "cannot read the reps" :
		    "cannot read the customers");
	return 0;
}

int
store_rep_names(struct store *s, struct hmap *reps)
{
	static const char sql[] = "SELECT name FROM rep UNION"
	    " SELECT code FROM rep WHERE code IS NOT NULL";
	struct buf key = {0};
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&key);
		text_key(&key, (const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		if (key.len > 0)
			hmap_put(reps, key.s, key.len, 1);
	}
	sqlite3_reset(st);
	buf_free(&key);
	if (rc != SQLITE_DONE)
		return db_fail(s->db, rc, "cannot read the reps");
	return 0;
}
