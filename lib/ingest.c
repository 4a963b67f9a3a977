/*
 * Importing one file: reader -> header detection -> mapper -> store,
 * between BEGIN IMMEDIATE and COMMIT.  A rejected row rolls the whole
 * file back unless --partial; --dry-run always rolls back.  When a date
 * column only learns its day/month order after an ambiguous row, the
 * file is read a second time with the order known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvout.h"
#include "db.h"
#include "diag.h"
#include "hash.h"
#include "ingest.h"
#include "kinds.h"
#include "map.h"
#include "reader.h"
#include "row.h"
#include "store.h"
#include "vocab.h"
#include "xalloc.h"

#define HEADER_SCAN	30	/* rows searched for the header */
#define MAX_SHEETS	256

struct ingest {
	struct db		*db;
	const struct vocab	*vocab;
	struct ingest_opts	 o;
	struct store		*store;
};

struct filestate {
	const char		*path;
	const char		*name;
	struct reader		*rd;
	struct mapper		*maps[MAX_SHEETS];	/* one per table */
	int			 nmaps;
	int			 table;		/* index of the current table */
	struct mapper		*m;
	const char		*kind_why;
	char			*sheet;		/* current sheet, owned */
	char			*first_sheet;
	struct row		 scan[HEADER_SCAN];
	int			 nscan;
	struct rec		 main, cust, rep;
	struct issues		 is;
	struct batch_info	 bi;
	long			 totals;
	long			 totals_bad;	/* totals rows that disagree */
	/* Money columns summed for checking totals rows, per file column:
	 * since the start of the table and since the last totals row. */
	const struct mapper	*sum_m;
	size_t			 nsum;
	int64_t			*sum_all, *sum_part, *fen;
	unsigned char		*fen_ok;
	long			 padded;	/* short CSV records */
	long			 shown;		/* error messages printed */
	int			 stop;		/* too many errors */
	int			 fatal;		/* reader or store failure */
};

struct ingest *
ingest_new(struct db *db, const struct vocab *v, const struct ingest_opts *o)
{
	static const char *const hdr[] = {"file", "sheet", "row", "column",
		"value", "reason"};
	struct ingest *in;

	in = xcalloc(1, sizeof(*in));
	in->db = db;
	in->vocab = v;
	in->o = *o;
	if (in->o.max_errors <= 0)
		in->o.max_errors = 20;
	in->store = store_new(db);
	if (o->rejects != NULL)
		csv_line(o->rejects, hdr, 6, 1);
	return in;
}

void
ingest_free(struct ingest *in)
{
	if (in == NULL)
		return;
	store_free(in->store);
	free(in);
}

/* The value adds nothing when empty or already in the reason. */
static int
show_value(const struct issue *is)
{
	return is->value[0] != '\0' && strstr(is->reason, is->value) == NULL;
}

static void
report_issue(struct ingest *in, struct filestate *fs, const struct row *row,
    const struct issue *is)
{
	struct pos pos;
	char rowbuf[24], colname[8];
	const char *f[6];

	memset(&pos, 0, sizeof(pos));
	pos.file = fs->name;
	pos.sheet = row->sheet;
	pos.line = row->line;
	pos.col = is->col >= 0 ? is->col + 1 : 0;
	if (is->reject) {
		if (fs->shown < in->o.max_errors) {
			if (is->col >= 0 && show_value(is))
				diag_error(SX_DATA, &pos, "column '%s': %s '%s'",
				    is->column, is->reason,
				    diag_val(is->value));
			else if (is->col >= 0)
				diag_error(SX_DATA, &pos, "column '%s': %s",
				    is->column, is->reason);
			else
				diag_error(SX_DATA, &pos, "%s", is->reason);
		} else
			diag_raise(SX_DATA);
		fs->shown++;
		if (in->o.rejects != NULL) {
			snprintf(rowbuf, sizeof(rowbuf), "%ld", row->line);
			col_letters(colname, is->col + 1);
			f[0] = fs->name;
			f[1] = row->sheet != NULL ? row->sheet : "";
			f[2] = rowbuf;
			f[3] = is->column;
			f[4] = is->value;
			f[5] = is->reason;
			csv_line(in->o.rejects, f, 6, 1);
		}
		if (store_reject(in->store, row->sheet, row->line,
		    is->col + 1, is->column, is->value, is->reason) < 0)
			fs->fatal = 1;
		return;
	}
	fs->bi.warnings++;
	if (is->col >= 0 && show_value(is))
		diag_warn(&pos, "column '%s': %s '%s'; stored empty",
		    is->column, is->reason, diag_val(is->value));
	else if (is->col >= 0)
		diag_warn(&pos, "column '%s': %s; stored empty", is->column,
		    is->reason);
	else
		diag_warn(&pos, "%s", is->reason);
	if (store_warning(in->store, fs->m->kd->table, fs->main.id,
	    row->sheet, row->line, is->col + 1, is->column, is->value,
	    is->reason) < 0)
		fs->fatal = 1;
}

static void
count(struct filestate *fs, enum put_rc rc)
{
	switch (rc) {
	case PUT_INSERTED:
		fs->bi.inserted++;
		break;
	case PUT_UPDATED:
		fs->bi.updated++;
		break;
	case PUT_UNCHANGED:
		fs->bi.unchanged++;
		break;
	case PUT_ERROR:
		fs->fatal = 1;
		break;
	}
}

static void
sums_reset(struct filestate *fs)
{
	size_t n = fs->m->ncols;

	if (fs->sum_m != fs->m || fs->nsum < n) {
		fs->sum_all = xrealloc(fs->sum_all, n * sizeof(int64_t));
		fs->sum_part = xrealloc(fs->sum_part, n * sizeof(int64_t));
		fs->fen = xrealloc(fs->fen, n * sizeof(int64_t));
		fs->fen_ok = xrealloc(fs->fen_ok, n);
		if (fs->sum_m != fs->m)
			fs->nsum = 0;
		memset(fs->sum_all + fs->nsum, 0,
		    (n - fs->nsum) * sizeof(int64_t));
		memset(fs->sum_part + fs->nsum, 0,
		    (n - fs->nsum) * sizeof(int64_t));
		fs->nsum = n;
		fs->sum_m = fs->m;
	}
}

static void
sums_free(struct filestate *fs)
{
	free(fs->sum_all);
	free(fs->sum_part);
	free(fs->fen);
	free(fs->fen_ok);
	fs->sum_all = fs->sum_part = fs->fen = NULL;
	fs->fen_ok = NULL;
	fs->nsum = 0;
	fs->sum_m = NULL;
}

/* "1000000.00" from fen. */
static const char *
yuan(char *out, size_t n, int64_t fen)
{
	int64_t a = fen < 0 ? -fen : fen;

	snprintf(out, n, "%s%lld.%02lld", fen < 0 ? "-" : "",
	    (long long)(a / 100), (long long)(a % 100));
	return out;
}

/*
 * A totals row (合计, 小计, Total) is not a record, but what it says is
 * a check on the rows above: each money cell must equal the sum of its
 * column since the previous totals row (a subtotal) or since the start
 * of the table (a grand total).  A mismatch is a warning on the cell.
 */
static void
check_totals(struct filestate *fs, const struct row *row)
{
	char said[32], sum[32], part[32];
	size_t col;
	int bad = 0;

	sums_reset(fs);
	map_money(fs->m, row, fs->fen, fs->fen_ok);
	for (col = 0; col < fs->nsum; col++) {
		struct pos pos = {fs->name, row->sheet, row->line,
			(int)col + 1};

		if (!fs->fen_ok[col] || fs->fen[col] == fs->sum_part[col] ||
		    fs->fen[col] == fs->sum_all[col])
			continue;
		bad = 1;
		if (fs->sum_part[col] == fs->sum_all[col])
			diag_warn(&pos, "column '%s': the totals row says %s, "
			    "the rows above add up to %s",
			    fs->m->cols[col].header,
			    yuan(said, sizeof(said), fs->fen[col]),
			    yuan(sum, sizeof(sum), fs->sum_all[col]));
		else
			diag_warn(&pos, "column '%s': the totals row says %s, "
			    "the rows above add up to %s (since the last "
			    "subtotal: %s)", fs->m->cols[col].header,
			    yuan(said, sizeof(said), fs->fen[col]),
			    yuan(sum, sizeof(sum), fs->sum_all[col]),
			    yuan(part, sizeof(part), fs->sum_part[col]));
		fs->bi.warnings++;
	}
	fs->totals_bad += bad;
	memset(fs->sum_part, 0, fs->nsum * sizeof(int64_t));
}

static void
add_sums(struct filestate *fs, const struct row *row)
{
	size_t col;

	sums_reset(fs);
	map_money(fs->m, row, fs->fen, fs->fen_ok);
	for (col = 0; col < fs->nsum; col++)
		if (fs->fen_ok[col]) {
			fs->sum_all[col] += fs->fen[col];
			fs->sum_part[col] += fs->fen[col];
		}
}

static void
data_row(struct ingest *in, struct filestate *fs, const struct row *row)
{
	enum map_rc rc;
	size_t i;
	int sub;

	issues_clear(&fs->is);
	rc = map_row(fs->m, row, &fs->main, &fs->cust, &fs->rep, &fs->is);
	if (rc == MAP_BLANK)
		return;
	if (rc == MAP_TOTALS) {
		fs->totals++;
		check_totals(fs, row);
		return;
	}
	add_sums(fs, row);
	fs->bi.rows++;
	if (fs->rd->fmt == FMT_CSV && row->nfields < (int)fs->m->ncols)
		fs->padded++;
	/* Data beyond the header: the row is shifted or broken. */
	if (row->nfields > (int)fs->m->ncols) {
		for (i = fs->m->ncols; i < row->ncells; i++)
			if (row->cells[i].len > 0)
				break;
		if (i < row->ncells) {
			issues_add(&fs->is, -1, "", "", 1, "%d fields, "
			    "expected %zu", row->nfields, fs->m->ncols);
			rc = MAP_REJECT;
		}
	}
	for (i = 0; i < fs->is.n; i++)
		report_issue(in, fs, row, &fs->is.v[i]);
	if (rc == MAP_REJECT) {
		fs->bi.rejected++;
		if (!in->o.partial && fs->shown >= in->o.max_errors)
			fs->stop = 1;
		return;
	}
	/* The customer and rep the row names, filled in as it says. */
	if (fs->cust.present && store_put(in->store, &fs->cust, 1,
	    row->sheet, row->line) == PUT_ERROR)
		fs->fatal = 1;
	if (fs->rep.present && store_put(in->store, &fs->rep, 1, row->sheet,
	    row->line) == PUT_ERROR)
		fs->fatal = 1;
	sub = fs->m->kd->kind == K_CUSTOMER || fs->m->kd->kind == K_REP;
	count(fs, store_put(in->store, &fs->main, sub, row->sheet, row->line));
}

/* Choose the header among the scanned rows and replay the rest. */
static int
start_table(struct ingest *in, struct filestate *fs, int pass)
{
	struct pos pos;
	int i, best, bestscore, s;

	best = -1;
	bestscore = 0;
	for (i = 0; i < fs->nscan; i++) {
		if (in->o.header_row > 0) {
			if (fs->scan[i].line == in->o.header_row) {
				best = i;
				break;
			}
			continue;
		}
		if (fs->scan[i].header) {
			best = i;
			break;
		}
		s = map_header_score(in->vocab, &fs->scan[i]);
		if (s > bestscore) {
			bestscore = s;
			best = i;
		}
	}
	if (best < 0) {
		memset(&pos, 0, sizeof(pos));
		pos.file = fs->name;
		pos.sheet = fs->sheet;
		if (in->o.header_row > 0)
			diag_error(SX_DATA, &pos, "no row %d to use as the "
			    "header", in->o.header_row);
		else
			diag_error(SX_DATA, &pos, "no header row: none of the "
			    "first %d rows names a known field (see "
			    "headers.csv, or give --header-row)", HEADER_SCAN);
		fs->fatal = 1;
		return -1;
	}
	if (pass > 0 && fs->table < fs->nmaps) {
		fs->m = fs->maps[fs->table];
		mapper_rewind(fs->m);
	} else {
		fs->m = mapper_new(in->vocab, &fs->scan[best], in->o.kind,
		    in->o.strict, &fs->kind_why);
		if (fs->m == NULL) {
			/* *why may be mapper_new()'s static text: not ours. */
			fs->kind_why = NULL;
			fs->fatal = 1;
			return -1;
		}
		if (fs->nmaps < MAX_SHEETS)
			fs->maps[fs->nmaps++] = fs->m;
		fs->kind_why = xstrdup(fs->kind_why);
	}
	fs->table++;
	if (in->o.explain) {
		struct buf b = {0};

		buf_addf(&b, "# %s%s%s: header on row %ld, %s records (%s)\n",
		    fs->name, fs->sheet ? ":" : "", fs->sheet ? fs->sheet : "",
		    fs->scan[best].line, fs->m->kd->table, fs->kind_why);
		mapper_explain(fs->m, &b);
		fputs(buf_str(&b), stdout);
		buf_free(&b);
	}
	for (i = best + 1; i < fs->nscan && !fs->fatal && !fs->stop; i++) {
		if (fs->scan[i].header)
			mapper_extend(fs->m, &fs->scan[i]);
		else
			data_row(in, fs, &fs->scan[i]);
	}
	fs->nscan = 0;
	return 0;
}

static int
same_sheet(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* One pass over the file; 0, or -1 when it cannot go on. */
static int
run_pass(struct ingest *in, struct filestate *fs, int pass)
{
	struct row row;
	int rc;

	rc = 0;
	row_init(&row);
	fs->m = NULL;
	fs->table = 0;
	fs->nscan = 0;
	free(fs->sheet);
	fs->sheet = NULL;
	while (!fs->fatal && !fs->stop &&
	    (rc = reader_next(fs->rd, &row)) == 1) {
		if (!same_sheet(row.sheet, fs->sheet)) {
			/* A new sheet is a new table with its own header. */
			if (fs->m == NULL && fs->nscan > 0 &&
			    start_table(in, fs, pass) < 0)
				break;
			free(fs->sheet);
			fs->sheet = row.sheet ? xstrdup(row.sheet) : NULL;
			if (fs->first_sheet == NULL)
				fs->first_sheet = row.sheet ?
				    xstrdup(row.sheet) : NULL;
			fs->m = NULL;
		}
		if (fs->m == NULL) {
			if (row_is_blank(&row) && !row.header)
				continue;
			row_copy(&fs->scan[fs->nscan++], &row);
			if (fs->nscan == HEADER_SCAN || row.header ||
			    (in->o.header_row > 0 &&
			    row.line >= in->o.header_row))
				start_table(in, fs, pass);
			continue;
		}
		if (row.header)
			mapper_extend(fs->m, &row);
		else
			data_row(in, fs, &row);
	}
	if (rc < 0)
		fs->fatal = 1;
	if (!fs->fatal && fs->m == NULL && fs->nscan > 0)
		start_table(in, fs, pass);
	if (!fs->fatal && fs->table == 0 && fs->bi.rows == 0) {
		struct pos pos = {fs->name, NULL, 0, 0};

		diag_error(SX_DATA, &pos, "no rows to import");
		fs->fatal = 1;
	}
	row_free(&row);
	return fs->fatal ? -1 : 0;
}

static void
summary(struct ingest *in, struct filestate *fs, const char *status)
{
	struct buf b = {0};

	if (diag_quiet())
		return;
	buf_adds(&b, "{\"file\":");
	buf_add_json(&b, fs->name, strlen(fs->name));
	buf_adds(&b, ",\"kind\":");
	if (fs->bi.kind != NULL)
		buf_add_json(&b, fs->bi.kind, strlen(fs->bi.kind));
	else
		buf_adds(&b, "null");
	buf_adds(&b, ",\"format\":");
	buf_add_json(&b, fs->bi.format, strlen(fs->bi.format));
	buf_adds(&b, ",\"encoding\":");
	if (fs->bi.encoding != NULL && *fs->bi.encoding)
		buf_add_json(&b, fs->bi.encoding, strlen(fs->bi.encoding));
	else
		buf_adds(&b, "null");
	buf_adds(&b, ",\"sheet\":");
	if (fs->first_sheet != NULL)
		buf_add_json(&b, fs->first_sheet, strlen(fs->first_sheet));
	else
		buf_adds(&b, "null");
	buf_addf(&b, ",\"rows\":%ld,\"inserted\":%ld,\"updated\":%ld,"
	    "\"unchanged\":%ld,\"rejected\":%ld,\"warnings\":%ld", fs->bi.rows,
	    fs->bi.inserted, fs->bi.updated, fs->bi.unchanged,
	    fs->bi.rejected, fs->bi.warnings);
	if (fs->padded)
		buf_addf(&b, ",\"padded\":%ld", fs->padded);
	if (fs->totals)
		buf_addf(&b, ",\"totals_rows\":%ld,\"totals_check\":\"%s\"",
		    fs->totals, fs->totals_bad ? "mismatch" : "ok");
	if (in->o.kind == K_NONE && fs->kind_why != NULL) {
		buf_adds(&b, ",\"kind_why\":");
		buf_add_json(&b, fs->kind_why, strlen(fs->kind_why));
	}
	buf_adds(&b, ",\"status\":");
	buf_add_json(&b, status, strlen(status));
	buf_adds(&b, "}\n");
	fputs(b.s, stdout);
	buf_free(&b);
}

static void
filestate_free(struct filestate *fs)
{
	int i;

	for (i = 0; i < HEADER_SCAN; i++)
		row_free(&fs->scan[i]);
	for (i = 0; i < fs->nmaps; i++)
		mapper_free(fs->maps[i]);
	rec_free(&fs->main);
	rec_free(&fs->cust);
	rec_free(&fs->rep);
	issues_free(&fs->is);
	sums_free(fs);
	free(fs->sheet);
	free(fs->first_sheet);
	free((char *)fs->kind_why);
	reader_close(fs->rd);
}

int
ingest_file(struct ingest *in, const char *path)
{
	struct filestate fs;
	char sha[SHA256_HEX_MAX];
	const char *status;
	int pass, rolled;

	memset(&fs, 0, sizeof(fs));
	fs.path = path;
	fs.name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((fs.rd = reader_open(path, in->o.format, &in->o.ropts)) == NULL)
		return SX_DATA > diag_status() ? SX_DATA : diag_status();
	fs.bi.file = fs.name;
	fs.bi.format = fmt_name(fs.rd->fmt);
	fs.bi.encoding = fs.rd->encoding;
	if (sha256_file(fs.rd->spool != NULL ? fs.rd->spool : path, sha) == 0)
		fs.bi.sha256 = sha;
	status = "ok";
	rolled = 0;
	for (pass = 0; pass < 2; pass++) {
		if (db_begin(in->db) < 0) {
			status = "failed";
			fs.fatal = 1;
			break;
		}
		if (store_batch_begin(in->store, &fs.bi) < 0) {
			db_rollback(in->db);
			status = "failed";
			fs.fatal = 1;
			break;
		}
		run_pass(in, &fs, pass);
		if (!fs.fatal && pass == 0 && fs.nmaps > 0 &&
		    mapper_needs_rerun(fs.maps[0])) {
			/* A later row settled the day/month order: again. */
			db_rollback(in->db);
			store_forget(in->store);
			reader_close(fs.rd);
			memset(&fs.bi, 0, sizeof(fs.bi));
			fs.bi.file = fs.name;
			fs.totals = 0;
			fs.totals_bad = 0;
			sums_free(&fs);
			fs.padded = 0;
			fs.shown = 0;
			if ((fs.rd = reader_open(path, in->o.format,
			    &in->o.ropts)) == NULL) {
				fs.fatal = 1;
				status = "failed";
				break;
			}
			fs.bi.format = fmt_name(fs.rd->fmt);
			fs.bi.encoding = fs.rd->encoding;
			fs.bi.sha256 = sha;
			continue;
		}
		break;
	}
	if (fs.m != NULL || fs.nmaps > 0)
		fs.bi.kind = fs.maps[0]->kd->table;
	fs.bi.sheet = fs.first_sheet;
	if (db_in_transaction(in->db)) {
		if (!fs.fatal)
			store_batch_end(in->store, &fs.bi);
		if (fs.fatal) {
			db_rollback(in->db);
			status = "failed";
		} else if (in->o.dry_run) {
			db_rollback(in->db);
			status = "dry run";
		} else if (fs.bi.rejected > 0 && !in->o.partial) {
			db_rollback(in->db);
			status = "rolled back";
			rolled = 1;
		} else if (db_commit(in->db) < 0)
			status = "failed";
		else
			status = "ok";
	}
	if (fs.stop) {
		struct pos pos = {fs.name, NULL, 0, 0};

		diag_error(SX_DATA, &pos, "%ld rows rejected; stopped after "
		    "%d errors, nothing written", fs.bi.rejected,
		    in->o.max_errors);
	} else if (rolled) {
		struct pos pos = {fs.name, NULL, 0, 0};

		diag_error(SX_DATA, &pos, "%ld of %ld rows rejected; nothing "
		    "written (--partial keeps the good rows)",
		    fs.bi.rejected, fs.bi.rows);
	}
	store_forget(in->store);
	summary(in, &fs, status);
	filestate_free(&fs);
	return diag_status();
}
