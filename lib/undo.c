/*
 * Batches and undo.  change_log holds, per batch, an 'update' row with
 * the values (and provenance) each update replaced; undo walks them
 * newest first, and then deletes every imported record still carrying
 * the batch's id: those are the records it created, since an update
 * put back has its previous batch_id again.  So the store ends exactly
 * as it was before the batch.  Stores written before inserts stopped
 * being logged also have an 'insert' row per record created; those
 * rows are honoured the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "diag.h"
#include "kinds.h"
#include "num.h"
#include "table.h"
#include "tz.h"
#include "undo.h"
#include "xalloc.h"

/* References no foreign key declares, (table, column) -> table. */
static const struct {
	const char	*tbl, *col, *to;
} soft_refs[] = {
	{"deal", "lead_id", "lead"},
	{"activity", "deal_id", "deal"},
	{"activity", "lead_id", "lead"},
	{"payment", "deal_id", "deal"},
};

struct ref {
	char		*tbl, *col;
};

struct refs {
	char		*to;		/* the referenced table */
	struct ref	*v;
	size_t		 n;
};

struct undo {
	struct db	*db;
	sqlite3		*h;
	long		 id;
	struct refs	*refs;		/* per referenced table, cached */
	size_t		 nrefs;
};

int
batch_list(struct db *db, FILE *fp, enum outfmt f)
{
	static const char sql[] = "SELECT id, file, format, encoding, sheet,"
	    " kind, started_at, rows, inserted, updated, unchanged, rejected,"
	    " warnings, undone_at FROM import_batch ORDER BY id";
	static const struct {
		const char	*key;
		int		 right;
	} cols[] = {
		{"batch", 1}, {"file", 0}, {"format", 0}, {"encoding", 0},
		{"sheet", 0}, {"kind", 0}, {"started_at", 0}, {"rows", 1},
		{"inserted", 1}, {"updated", 1}, {"unchanged", 1},
		{"rejected", 1}, {"warnings", 1}, {"undone_at", 0},
	};
	struct table *t;
	sqlite3_stmt *st;
	size_t c, r;
	int rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	t = table_new("batches");
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		table_col(t, cols[c].key, cols[c].key, cols[c].right);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = table_row(t);
		for (c = 0; c < t->ncols; c++) {
			if (sqlite3_column_type(st, (int)c) == SQLITE_NULL)
				continue;
			if (cols[c].right)
				table_int(t, r, c,
				    sqlite3_column_int64(st, (int)c));
			else
				table_text(t, r, c, (const char *)
				    sqlite3_column_text(st, (int)c));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		table_free(t);
		return db_fail(db, rc, "cannot list the batches");
	}
	table_write(fp, t, f, 1);
	table_free(t);
	return 0;
}

static void
refs_add(struct refs *r, const char *tbl, const char *col)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n].tbl = xstrdup(tbl);
	r->v[r->n].col = xstrdup(col);
	r->n++;
}

/* Every (table, column) that refers to table to. */
static struct refs *
refs_to(struct undo *u, const char *to)
{
	sqlite3_stmt *st;
	struct refs *r;
	size_t i;
	int rc;

	for (i = 0; i < u->nrefs; i++)
		if (strcmp(u->refs[i].to, to) == 0)
			return &u->refs[i];
	u->refs = xrealloc(u->refs, (u->nrefs + 1) * sizeof(*u->refs));
	r = &u->refs[u->nrefs++];
	memset(r, 0, sizeof(*r));
	r->to = xstrdup(to);
	st = db_prepare(u->db, "SELECT m.name, f.\"from\" FROM sqlite_schema m,"
	    " pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND"
	    " f.\"table\" = ? ORDER BY m.name, f.id");
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, to, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		refs_add(r, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(u->db, rc, "cannot read the schema");
		return NULL;
	}
	for (i = 0; i < sizeof(soft_refs) / sizeof(soft_refs[0]); i++)
		if (strcmp(soft_refs[i].to, to) == 0)
			refs_add(r, soft_refs[i].tbl, soft_refs[i].col);
	return r;
}

static void
undo_clear(struct undo *u)
{
	size_t i, j;

	for (i = 0; i < u->nrefs; i++) {
		for (j = 0; j < u->refs[i].n; j++) {
			free(u->refs[i].v[j].tbl);
			free(u->refs[i].v[j].col);
		}
		free(u->refs[i].v);
		free(u->refs[i].to);
	}
	free(u->refs);
}

static int
has_column(struct undo *u, const char *tbl, const char *col)
{
	return sqlite3_table_column_metadata(u->h, NULL, tbl, col, NULL, NULL,
	    NULL, NULL, NULL) == SQLITE_OK;
}

/* Run a one-off statement; returns 0, or -1 after reporting. */
static int
prepare(struct undo *u, char *sql, sqlite3_stmt **st)
{
	int rc;

	rc = sqlite3_prepare_v2(u->h, sql, -1, st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

static int
finish(struct undo *u, sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

/* Note a record the batch created, for check_refs(). */
static int
note_made(struct undo *u, const char *tbl, const char *id)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(u->db, "INSERT OR IGNORE INTO temp.undo_made (tbl, id)"
	    " VALUES (?, ?)");
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

/* Delete a record the batch created (an 'insert' row of change_log). */
static int
undo_insert(struct undo *u, const char *tbl, const char *id)
{
	sqlite3_stmt *st;
	char *sql;
	int rc;

	if (note_made(u, tbl, id) < 0)
		return -1;
	/* Cached per table by db_prepare(); tbl is a table of the store. */
	sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE id = ?", tbl);
	st = db_prepare(u->db, sql);
	sqlite3_free(sql);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

/*
 * The records the batch created: every imported record that still
 * carries its id once its updates are put back.  Noted in
 * temp.undo_made, then deleted; one statement per table, so that an
 * undo costs the same whatever the size of the batch.
 */
static int
undo_made(struct undo *u, struct undo_result *res)
{
	const struct kinddef *kd;
	sqlite3_stmt *st;
	int k;

	for (k = K_NONE + 1; k < K_COUNT; k++) {
		kd = kind_def((enum kind)k);
		if (prepare(u, sqlite3_mprintf("INSERT OR IGNORE INTO"
		    " temp.undo_made (tbl, id) SELECT %Q, id FROM \"%w\""
		    " WHERE batch_id = ?", kd->table, kd->table), &st) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, u->id);
		if (finish(u, st) < 0)
			return -1;
		if (prepare(u, sqlite3_mprintf("DELETE FROM \"%w\" WHERE id IN"
		    " (SELECT id FROM temp.undo_made WHERE tbl = %Q)",
		    kd->table, kd->table), &st) < 0)
			return -1;
		if (finish(u, st) < 0)
			return -1;
		res->deleted += sqlite3_changes(u->h);
	}
	return 0;
}

/*
 * A record of tbl (columns: its id, the id it refers to in table to,
 * its import batch and that batch's file, the last two NULL when no
 * import brought it) still refers to one the batch created.
 */
static void
refused_ref(struct undo *u, const char *tbl, const char *to,
    sqlite3_stmt *q)
{
	const char *file = (const char *)sqlite3_column_text(q, 3);
	long long by = sqlite3_column_int64(q, 2);
	struct buf then = {0};

	if (sqlite3_column_type(q, 2) != SQLITE_NULL && by != u->id)
		buf_addf(&then, "; undo batch %lld (%s) first", by,
		    diag_val(file != NULL ? file : ""));
	diag_error(SX_DATA, NULL, "batch %ld: cannot undo: %s '%s' refers to "
	    "%s '%s', which the batch created%s", u->id, tbl,
	    diag_val((const char *)sqlite3_column_text(q, 0)), to,
	    diag_val((const char *)sqlite3_column_text(q, 1)), buf_str(&then));
	buf_free(&then);
}

/*
 * After the deletes: a record still referring to one the batch created
 * would be left dangling.  One query per referring column, so that an
 * undo costs the same whatever the size of the batch.
 */
static int
check_refs(struct undo *u)
{
	static const char tables[] = "SELECT DISTINCT tbl FROM"
	    " temp.undo_made ORDER BY tbl";
	sqlite3_stmt *st, *q;
	struct refs *r;
	char *to;
	size_t i;
	int rc, bad;

	if (prepare(u, sqlite3_mprintf("%s", tables), &st) < 0)
		return -1;
	bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		to = xstrdup((const char *)sqlite3_column_text(st, 0));
		if ((r = refs_to(u, to)) == NULL)
			bad = 1;
		for (i = 0; r != NULL && !bad && i < r->n; i++) {
			/*
			 * With the import that brought the referring record,
			 * if one did, so that the message can say which
			 * batch to undo first.
			 */
			if (prepare(u, sqlite3_mprintf("SELECT %s, \"%w\", %s"
			    " FROM \"%w\" x WHERE \"%w\" IN (SELECT id FROM"
			    " temp.undo_made WHERE tbl = ?) LIMIT 1",
			    has_column(u, r->v[i].tbl, "id") ? "id" : "rowid",
			    r->v[i].col, has_column(u, r->v[i].tbl,
			    "batch_id") ? "x.batch_id, (SELECT b.file FROM"
			    " import_batch b WHERE b.id = x.batch_id)" :
			    "NULL, NULL", r->v[i].tbl, r->v[i].col), &q) < 0) {
				bad = 1;
				break;
			}
			sqlite3_bind_text(q, 1, to, -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(q);
			if (rc == SQLITE_ROW)
				refused_ref(u, r->v[i].tbl, to, q);
			else if (rc != SQLITE_DONE)
				db_fail(u->db, rc, "cannot undo");
			bad = rc != SQLITE_DONE;
			sqlite3_finalize(q);
		}
		free(to);
	}
	sqlite3_finalize(st);
	if (bad)
		return -1;
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

/* Put back the values an update replaced (a JSON object). */
static int
undo_update(struct undo *u, const char *tbl, const char *id,
    const char *before)
{
	json_error_t err;
	json_t *o, *v;
	const char *k;
	sqlite3_stmt *st;
	char *sql, *next;
	int i, rc;

	if ((o = json_loads(before, 0, &err)) == NULL || !json_is_object(o) ||
	    json_object_size(o) == 0) {
		diag_error(SX_SYS, NULL, "batch %ld: cannot undo: unreadable "
		    "before-image of %s '%s'", u->id, tbl, diag_val(id));
		json_decref(o);
		return -1;
	}
	sql = sqlite3_mprintf("UPDATE \"%w\" SET", tbl);
	i = 0;
	json_object_foreach(o, k, v) {
		if (!has_column(u, tbl, k)) {
			diag_error(SX_SYS, NULL, "batch %ld: cannot undo: %s "
			    "has no column '%s'", u->id, tbl, diag_val(k));
			sqlite3_free(sql);
			json_decref(o);
			return -1;
		}
		next = sqlite3_mprintf("%s%s \"%w\" = ?", sql, i++ ? "," : "",
		    k);
		sqlite3_free(sql);
		sql = next;
	}
	next = sqlite3_mprintf("%s WHERE id = ?", sql);
	sqlite3_free(sql);
	if (prepare(u, next, &st) < 0) {
		json_decref(o);
		return -1;
	}
	i = 1;
	json_object_foreach(o, k, v) {
		if (json_is_integer(v))
			sqlite3_bind_int64(st, i, json_integer_value(v));
		else if (json_is_real(v))
			sqlite3_bind_double(st, i, json_real_value(v));
		else if (json_is_string(v))
			sqlite3_bind_text(st, i, json_string_value(v),
			    (int)json_string_length(v), SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, i);
		i++;
	}
	sqlite3_bind_text(st, i, id, -1, SQLITE_TRANSIENT);
	json_decref(o);
	rc = finish(u, st);
	return rc;
}

/*
 * Refuse when a later batch, not undone, changed one of the records:
 * one the batch updated (its change_log rows), or one it created (a
 * later update's before-image names the batch as the record's).
 */
static int
later_changes(struct undo *u)
{
	static const char sql[] = "WITH mine (tbl, rec_id) AS ("
	    " SELECT tbl, rec_id FROM change_log WHERE batch_id = ?1"
	    " UNION SELECT tbl, rec_id FROM change_log WHERE batch_id > ?1"
	    " AND op = 'update' AND json_valid(before)"
	    " AND json_extract(before, '$.batch_id') = ?1)"
	    " SELECT l.batch_id, b.file, c.tbl, c.rec_id FROM mine c"
	    " JOIN change_log l ON l.tbl = c.tbl AND l.rec_id = c.rec_id"
	    " AND l.batch_id > ?1"
	    " JOIN import_batch b ON b.id = l.batch_id AND b.undone_at IS NULL"
	    " ORDER BY l.batch_id DESC, l.id LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(u->db, sql)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, u->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		diag_error(SX_DATA, NULL, "batch %ld: cannot undo: batch %lld "
		    "(%s) changed %s '%s' later; undo batch %lld first",
		    u->id, (long long)sqlite3_column_int64(st, 0),
		    diag_val((const char *)sqlite3_column_text(st, 1)),
		    (const char *)sqlite3_column_text(st, 2),
		    diag_val((const char *)sqlite3_column_text(st, 3)),
		    (long long)sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

static int
find_batch(struct undo *u, struct undo_result *res)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(u->db, "SELECT file, undone_at FROM import_batch"
	    " WHERE id = ?");
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, u->id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(u->db, rc, "cannot undo");
		diag_error(SX_DATA, NULL, "batch %ld: no such batch (see "
		    "sales-ingest batches)", u->id);
		return -1;
	}
	snprintf(res->file, sizeof(res->file), "%s",
	    (const char *)sqlite3_column_text(st, 0));
	if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
		diag_error(SX_DATA, NULL, "batch %ld: already undone at %s",
		    u->id, (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static int
undo_all(struct undo *u, struct undo_result *res)
{
	static const char sql[] = "SELECT tbl, rec_id, op, before FROM"
	    " change_log WHERE batch_id = ? ORDER BY id DESC";
	char now[INSTANT_TEXT_MAX];
	sqlite3_stmt *st;
	char *tbl, *id, *before;
	int rc, bad;

	if (find_batch(u, res) < 0 || later_changes(u) < 0)
		return -1;
	/* References are checked once all is deleted, by check_refs(). */
	if (db_exec(u->db, "PRAGMA defer_foreign_keys = ON") < 0 ||
	    db_exec(u->db, "CREATE TEMP TABLE IF NOT EXISTS undo_made ("
	    " tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id))"
	    " WITHOUT ROWID; DELETE FROM temp.undo_made") < 0)
		return -1;
	rc = SQLITE_DONE;
	/* A statement of its own: the steps below use the cached ones. */
	if (prepare(u, sqlite3_mprintf("%s", sql), &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, u->id);
	bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		tbl = xstrdup((const char *)sqlite3_column_text(st, 0));
		id = xstrdup((const char *)sqlite3_column_text(st, 1));
		if (strcmp((const char *)sqlite3_column_text(st, 2),
		    "insert") == 0) {
			bad = undo_insert(u, tbl, id) < 0;
			res->deleted++;
		} else {
			before = xstrdup(sqlite3_column_type(st, 3) ==
			    SQLITE_NULL ? "" : (const char *)
			    sqlite3_column_text(st, 3));
			bad = undo_update(u, tbl, id, before) < 0;
			res->restored++;
			free(before);
		}
		free(tbl);
		free(id);
	}
	sqlite3_finalize(st);
	if (bad)
		return -1;
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	if (undo_made(u, res) < 0 || check_refs(u) < 0)
		return -1;
	if ((st = db_prepare(u->db, "UPDATE import_batch SET undone_at = ?"
	    " WHERE id = ?")) == NULL)
		return -1;
	tz_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, u->id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(u->db, rc, "cannot undo");
	return 0;
}

int
batch_undo(struct db *db, long id, int dry_run, struct undo_result *res)
{
	struct undo u;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&u, 0, sizeof(u));
	u.db = db;
	u.h = db_handle(db);
	u.id = id;
	if (db_begin(db) < 0)
		return -1;
	rc = undo_all(&u, res);
	undo_clear(&u);
	if (rc < 0 || dry_run) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
batch_verb(const char *dbpath, const char *verb, const char *arg,
    enum outfmt f, int dry_run)
{
	struct undo_result res;
	struct buf b = {0};
	struct db *db;
	const char *err;
	long id;

	id = 0;
	if (strcmp(verb, "undo") == 0) {
		id = (long)parse_int(arg, 1, 1L << 53, &err);
		if (err != NULL) {
			diag_error(SX_USAGE, NULL, "invalid batch '%s': %s",
			    diag_val(arg), err);
			return diag_status();
		}
	}
	if ((db = db_open(dbpath, 0)) == NULL)
		return diag_status();
	if (id == 0)
		batch_list(db, stdout, f);
	else if (batch_undo(db, id, dry_run, &res) == 0 && !diag_quiet()) {
		buf_addf(&b, "{\"batch\":%ld,\"file\":", id);
		buf_add_json(&b, res.file, strlen(res.file));
		buf_addf(&b, ",\"deleted\":%ld,\"restored\":%ld,"
		    "\"status\":\"%s\"}\n", res.deleted, res.restored,
		    dry_run ? "dry run" : "undone");
		fputs(buf_str(&b), stdout);
		buf_free(&b);
	}
	db_close(db);
	return diag_status();
}
