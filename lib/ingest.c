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
#include <unistd.h>

#include "buf.h"
#include "csvout.h"
#include "db.h"
#include "diag.h"
#include "hash.h"
#include "hmap.h"
#include "ingest.h"
#include "kinds.h"
#include "map.h"
#include "numfmt.h"
#include "progress.h"
#include "reader.h"
#include "row.h"
#include "store.h"
#include "text.h"
#include "vocab.h"
#include "xalloc.h"

#define HEADER_SCAN	30	/* rows searched for the header */
#define MAX_SHEETS	256

struct ingest {
	struct db		*db;
	const struct vocab	*vocab;
	struct ingest_opts	 o;
	struct store		*store;
	struct buf		 rej_hdr;	/* header last written to rejects */
	struct buf		 line;
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
	struct row		 hdr;		/* the current table's header */
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
	struct buf		 why;		/* a rejected row's reasons */
	struct progress		 prog;
	long			 padded;	/* short CSV records */
	long			 repeated;	/* rows naming an earlier record */
	long			 shown;		/* error messages printed */
	int			 stop;		/* too many errors */
	int			 fatal;		/* reader or store failure */
	struct hmap		*reps;		/* chats: rep names (keys) */
	struct buf		 customer;	/* chats: from a header line */
	struct buf		 scratch;	/* rep_conflict()'s stored code */
	/* Coded customers [0] and reps [1] of the store (map.h codes). */
	struct hmap		*codes[2];
	struct buf		 code_names[2];
	long			 stage_blocked;	/* stage claims refused */
	struct ingest		*in;
};

struct ingest *
ingest_new(struct db *db, const struct vocab *v, const struct ingest_opts *o)
{
	struct ingest *in;

	in = xcalloc(1, sizeof(*in));
	in->db = db;
	in->vocab = v;
	in->o = *o;
	if (in->o.max_errors <= 0)
		in->o.max_errors = 20;
	if (in->o.bulk_rows <= 0)
		in->o.bulk_rows = INGEST_BULK_ROWS;
	in->store = store_new(db);
	store_set_rules(in->store, o->rules);
	return in;
}

void
ingest_free(struct ingest *in)
{
	if (in == NULL)
		return;
	store_free(in->store);
	buf_free(&in->rej_hdr);
	buf_free(&in->line);
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
		if (store_reject(in->store, row->sheet, row->line,
		    is->col + 1, is->column, is->value, is->reason) < 0)
			fs->fatal = 1;
		return;
	}
	fs->bi.warnings++;
	if (is->kept)
		diag_warn(&pos, "column '%s': %s '%s'; kept as is",
		    is->column, is->reason, diag_val(is->value));
	else if (is->col >= 0 && show_value(is))
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

/*
 * A rejected row goes to the rejects file as it came, after the columns
 * REJECT_COLS that say where it came from and why; the header repeats
 * the source's and is written again only when the table changes.  The
 * mapper ignores those columns, so the fixed file imports as it is.
 */
static void
write_reject(struct ingest *in, struct filestate *fs, const struct row *row)
{
	FILE *out = in->o.rejects;
	struct buf *b = &in->line;
	const char *sep;
	size_t i;

	buf_reset(b);
	buf_adds(b, REJECT_COLS);
	for (i = 0; i < fs->hdr.ncells; i++) {
		buf_addc(b, ',');
		csv_field(b, row_text(&fs->hdr, i), fs->hdr.cells[i].len, 0);
	}
	buf_addc(b, '\n');
	if (in->rej_hdr.len != b->len ||
	    memcmp(in->rej_hdr.s, b->s, b->len) != 0) {
		fputs(buf_str(b), out);
		buf_reset(&in->rej_hdr);
		buf_add(&in->rej_hdr, b->s, b->len);
	}
	buf_reset(b);
	csv_field(b, fs->name, strlen(fs->name), 1);
	buf_addc(b, ',');
	if (row->sheet != NULL)
		csv_field(b, row->sheet, strlen(row->sheet), 1);
	buf_addf(b, ",%ld,", row->line);
	/* Every reason the row was rejected, as the messages say them. */
	buf_reset(&fs->why);
	sep = "";
	for (i = 0; i < fs->is.n; i++) {
		const struct issue *is = &fs->is.v[i];

		if (!is->reject)
			continue;
		buf_adds(&fs->why, sep);
		sep = "; ";
		if (is->col >= 0)
			buf_addf(&fs->why, "column '%s': ", is->column);
		buf_adds(&fs->why, is->reason);
		if (is->col >= 0 && show_value(is))
			buf_addf(&fs->why, " '%s'", is->value);
	}
	csv_field(b, fs->why.s != NULL ? fs->why.s : "", fs->why.len, 1);
	for (i = 0; i < row->ncells; i++) {
		const struct cell *c = &row->cells[i];
		const char *code = numfmt_code(CF_CUR(c->flags));

		buf_addc(b, ',');
		/*
		 * An amount whose currency only its format showed ($1,500.00)
		 * keeps it in words, or the fixed file would import as yuan.
		 */
		if (c->type == CELL_NUMBER && code != NULL &&
		    strcmp(code, "CNY") != 0 && i < fs->m->ncols &&
		    fs->m->cols[i].f != F_NONE &&
		    field_info[fs->m->cols[i].f].type == FT_MONEY) {
			buf_reset(&fs->scratch);
			buf_addf(&fs->scratch, "%s %s", code, row_text(row, i));
			csv_field(b, fs->scratch.s, fs->scratch.len, 0);
		} else
			csv_field(b, row_text(row, i), c->len, 0);
	}
	buf_addc(b, '\n');
	fputs(buf_str(b), out);
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
	case PUT_QUEUED:
		break;		/* counted when written: main_done() */
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

/*
 * Reps are known by name, as most files name them (负责人 王芳), so two
 * people of one name are one rep.  A row that gives the rep a 工号
 * other than the one the store has for that name is another person:
 * rejected with the reason, never merged into the first one.  MAP_OK,
 * MAP_REJECT (issue added), or -1 after reporting.
 */
static int
rep_conflict(struct ingest *in, struct filestate *fs)
{
	const struct rec *r;
	const char *code, *name;
	int cc, col, found;

	r = fs->m->kd->kind == K_REP ? &fs->main : fs->rep.present ?
	    &fs->rep : NULL;
	if (r == NULL || (cc = kind_col(r->kd, "code")) < 0 ||
	    !r->v[cc].set || r->v[cc].null || (code = rec_text(r, cc)) == NULL)
		return MAP_OK;
	if ((found = store_rep_code(in->store, r->id, &fs->scratch)) < 0)
		return -1;
	if (found == 0 || strcmp(buf_str(&fs->scratch), code) == 0)
		return MAP_OK;
	name = rec_text(r, kind_col(r->kd, "name"));
	col = fs->m->fcol[F_REP_CODE];
	issues_add(&fs->is, col, col >= 0 ? fs->m->cols[col].header : "",
	    code, 1, "rep %s has the code %s already: %s is another "
	    "person of the same name, and reps are known by their names; "
	    "tell the two apart in the name, such as %s(华南), or undo "
	    "the import that gave the wrong code", name != NULL ? name : "?",
	    buf_str(&fs->scratch), code, name != NULL ? name : "?");
	return MAP_REJECT;
}

/*
 * A row naming the same record as an earlier row of the file (the same
 * order number, or the same natural key) replaces or repeats it: say so,
 * since the earlier row's values are gone from the store.
 */
static void
note_repeat(struct ingest *in, struct filestate *fs, const struct rec *r,
    const char *sheet, long line, enum put_rc put, int sub)
{
	struct pos pos;
	char reason[160];
	long first;

	if ((first = store_seen(in->store, r->kd->table, r->id, line,
	    !sub && put == PUT_INSERTED)) <= 0) {
		if (first < 0)
			fs->fatal = 1;
		return;
	}
	fs->repeated++;
	if (put == PUT_UPDATED)
		snprintf(reason, sizeof(reason), "same %s as row %ld; this "
		    "row's values replace that row's", r->kd->table,
		    (long)first);
	else
		snprintf(reason, sizeof(reason), "repeats row %ld (same %s)",
		    (long)first, r->kd->table);
	fs->bi.warnings++;
	if (store_warning(in->store, r->kd->table, r->id, sheet, line, 0, "",
	    "", reason) < 0)
		fs->fatal = 1;
	if (fs->repeated > in->o.max_errors)
		return;		/* counted; the summary says how many */
	memset(&pos, 0, sizeof(pos));
	pos.file = fs->name;
	pos.sheet = sheet;
	pos.line = line;
	diag_warn(&pos, "%s", reason);
}

/*
 * A main record was written (at once, or with its chunk of a bulk load:
 * store_set_done()): count it, and say when it repeats an earlier row.
 */
static void
main_done(void *arg, const struct rec *r, const char *sheet, long line,
    enum put_rc put)
{
	struct filestate *fs = arg;
	struct ingest *in = fs->in;
	int sub;

	sub = r->kd->kind == K_CUSTOMER || r->kd->kind == K_REP;
	count(fs, put);
	if (put == PUT_INSERTED && fs->bi.inserted % in->o.bulk_rows == 0 &&
	    store_bulk(in->store, r->kd, fs->bi.inserted) < 0)
		fs->fatal = 1;
	if (put != PUT_ERROR)
		note_repeat(in, fs, r, sheet, line, put, sub);
}

/* diag_set_before(): queued rows say what they have to say first. */
static void
flush_first(void *arg)
{
	struct filestate *fs = arg;

	if (!fs->fatal && store_flush(fs->in->store) < 0)
		fs->fatal = 1;
}

static void
data_row(struct ingest *in, struct filestate *fs, const struct row *row)
{
	enum map_rc rc;
	enum put_rc put;
	size_t i;
	int sub;

	issues_clear(&fs->is);
	rc = map_row(fs->m, row, &fs->main, &fs->cust, &fs->rep, &fs->is);
	if (rc == MAP_BLANK)
		return;
	if (rc == MAP_TOTALS) {
		fs->totals++;
		if (store_flush(in->store) < 0)
			fs->fatal = 1;
		check_totals(fs, row);
		return;
	}
	if (rc != MAP_REJECT && (rc = rep_conflict(in, fs)) < 0) {
		fs->fatal = 1;
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
	/* What is said of this row follows what the rows before said. */
	if ((fs->is.n > 0 || rc == MAP_REJECT) && store_flush(in->store) < 0) {
		fs->fatal = 1;
		return;
	}
	for (i = 0; i < fs->is.n; i++)
		report_issue(in, fs, row, &fs->is.v[i]);
	if (rc == MAP_REJECT) {
		fs->bi.rejected++;
		if (in->o.rejects != NULL)
			write_reject(in, fs, row);
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
	put = store_put(in->store, &fs->main, sub, row->sheet, row->line);
	if (put != PUT_QUEUED)
		main_done(fs, &fs->main, row->sheet, row->line, put);
}

static int
is_rep(const struct hmap *reps, const char *name)
{
	struct buf key = {0};
	intptr_t v;
	int yes;

	text_key(&key, name, strlen(name));
	yes = key.len > 0 && hmap_get(reps, key.s, key.len, &v);
	buf_free(&key);
	return yes;
}

/*
 * A file naming customers or reps by code alone (客户编号, 工号) reaches
 * the ones the store has under those codes (map.h codes).
 */
static int
setup_codes(struct ingest *in, struct filestate *fs)
{
	static const enum field name[2] = {F_CUSTOMER_NAME, F_REP_NAME};
	static const enum field code[2] = {F_CUSTOMER_CODE, F_REP_CODE};
	int k;

	for (k = 0; k < 2; k++) {
		hmap_free(fs->codes[k]);
		fs->codes[k] = NULL;
		buf_reset(&fs->code_names[k]);
		fs->m->codes[k] = NULL;
		if (fs->m->fcol[code[k]] < 0 || fs->m->fcol[name[k]] >= 0)
			continue;
		fs->codes[k] = hmap_new();
		if (store_party_codes(in->store, k, fs->codes[k],
		    &fs->code_names[k]) < 0)
			return -1;
		fs->m->codes[k] = fs->codes[k];
		fs->m->code_names[k] = &fs->code_names[k];
	}
	return 0;
}

/*
 * Messages with a sender or a from-me flag: which senders are reps
 * (the store's and --rep), who exported the chat (the one --rep), and
 * who the chat is with (--customer, else the one of the
 * two people a transcript's header line names who is not a rep).
 */
static int
setup_chat(struct ingest *in, struct filestate *fs)
{
	const char *const *party = fs->rd->party;
	struct buf key = {0};
	int i;

	if (fs->m->fcol[F_SENDER] < 0 && fs->m->fcol[F_FROM_ME] < 0)
		return 0;
	fs->m->self = in->o.nreps == 1 ? in->o.reps[0] : NULL;
	hmap_free(fs->reps);
	fs->reps = hmap_new();
	if (store_rep_names(in->store, fs->reps) < 0)
		return -1;
	for (i = 0; i < in->o.nreps; i++) {
		buf_reset(&key);
		text_key(&key, in->o.reps[i], strlen(in->o.reps[i]));
		if (key.len > 0)
			hmap_put(fs->reps, key.s, key.len, 1);
	}
	buf_free(&key);
	fs->m->reps = fs->reps;
	buf_reset(&fs->customer);
	if (in->o.customer != NULL)
		buf_adds(&fs->customer, in->o.customer);
	else if (party[0] != NULL && party[1] != NULL) {
		if (is_rep(fs->reps, party[0]) && !is_rep(fs->reps, party[1]))
			buf_adds(&fs->customer, party[1]);
		else if (is_rep(fs->reps, party[1]) &&
		    !is_rep(fs->reps, party[0]))
			buf_adds(&fs->customer, party[0]);
	}
	fs->m->customer = fs->customer.len > 0 ? fs->customer.s : NULL;
	/* Messages of nobody's chat could never be matched again. */
	if (fs->m->customer == NULL && fs->m->fcol[F_CUSTOMER_NAME] < 0 &&
	    fs->m->fcol[F_CUSTOMER_CODE] < 0) {
		struct pos pos = {fs->name, NULL, 0, 0};

		if (party[0] != NULL && party[1] != NULL)
			diag_error(SX_DATA, &pos, "the chat is between '%s' and "
			    "'%s' and %s a known rep: give --customer or --rep",
			    diag_val(party[0]), diag_val(party[1]),
			    is_rep(fs->reps, party[0]) ? "both are" :
			    "neither is");
		else
			diag_error(SX_DATA, &pos, "no customer for the chat: give "
			    "--customer NAME");
		return -1;
	}
	return 0;
}

/*
 * A two-row header whose second row holds only units under the names
 * (金额 over (万元)): the units join their names, 金额(万元), and the
 * row is no record.  1 when scan[best + 1] was such a row, else 0.
 */
static int
unit_row(struct filestate *fs, int best)
{
	const struct row *u;
	struct row *h = &fs->scan[best];
	struct buf b = {0};
	const char *unit;
	size_t i, ulen;
	int any = 0;

	if (best + 1 >= fs->nscan || (u = &fs->scan[best + 1])->header)
		return 0;
	for (i = 0; i < u->ncells; i++) {
		if (u->cells[i].type == CELL_EMPTY || u->cells[i].len == 0)
			continue;
		if (u->cells[i].type != CELL_TEXT || i >= h->ncells ||
		    h->cells[i].len == 0 || !vocab_unit_cell(row_text(u, i),
		    u->cells[i].len, &unit, &ulen))
			return 0;
		any = 1;
	}
	if (!any)
		return 0;
	for (i = 0; i < u->ncells; i++) {
		if (u->cells[i].len == 0 || !vocab_unit_cell(row_text(u, i),
		    u->cells[i].len, &unit, &ulen))
			continue;
		buf_reset(&b);
		buf_adds(&b, row_text(h, i));
		buf_addc(&b, '(');
		buf_add(&b, unit, ulen);
		buf_addc(&b, ')');
		row_set(h, i, CELL_TEXT, b.s, b.len);
	}
	buf_free(&b);
	return 1;
}

/* Choose the header among the scanned rows and replay the rest. */
static int
start_table(struct ingest *in, struct filestate *fs, int pass)
{
	struct pos pos;
	const char *why;
	int i, best, bestscore, s, skip;

	/* The last table's last rows, before this one's header is said. */
	if (store_flush(in->store) < 0) {
		fs->fatal = 1;
		return -1;
	}
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
	skip = unit_row(fs, best) ? best + 1 : -1;
	if (pass > 0 && fs->table < fs->nmaps) {
		fs->m = fs->maps[fs->table];
		mapper_rewind(fs->m);
	} else {
		/* The reason is static in map.c: keep a copy of our own. */
		why = NULL;
		fs->m = mapper_new(in->vocab, &fs->scan[best], in->o.kind,
		    in->o.strict, &why);
		/*
		 * The first table's, as the batch's kind is; kept also
		 * when no kind fits: the summary says why.
		 */
		if (fs->nmaps == 0 || fs->m == NULL) {
			free((char *)fs->kind_why);
			fs->kind_why = why != NULL ? xstrdup(why) : NULL;
		}
		if (fs->m == NULL) {
			fs->fatal = 1;
			return -1;
		}
		if (fs->nmaps < MAX_SHEETS)
			fs->maps[fs->nmaps++] = fs->m;
	}
	if (setup_chat(in, fs) < 0 || setup_codes(in, fs) < 0) {
		fs->fatal = 1;
		return -1;
	}
	fs->table++;
	row_copy(&fs->hdr, &fs->scan[best]);
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
		if (i == skip)
			continue;
		if (fs->scan[i].header) {
			mapper_extend(fs->m, &fs->scan[i]);
			row_copy(&fs->hdr, &fs->scan[i]);
		} else
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

/*
 * A rejects file starts with the line REJECT_COLS and the columns of
 * the rows after it.  One written by a run over files of several
 * layouts holds such a header line per layout, and each starts a new
 * table, as a new sheet would: no data row can hold it, its first cell
 * being a file's name.  Title rows above one are no concern.
 */
static int
rejects_header(const struct row *row)
{
	static const char cols[] = REJECT_COLS;
	const char *p = cols, *e;
	size_t i, n;

	for (i = 0; *p != '\0'; i++, p = *e ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (i >= row->ncells || row->cells[i].len != n ||
		    memcmp(row_text(row, i), p, n) != 0)
			return 0;
	}
	return 1;
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
			if (store_flush(in->store) < 0) {
				fs->fatal = 1;
				break;
			}
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
			if (rejects_header(&row))
				row.header = 1;
			row_copy(&fs->scan[fs->nscan++], &row);
			if (fs->nscan == HEADER_SCAN || row.header ||
			    (in->o.header_row > 0 &&
			    row.line >= in->o.header_row))
				start_table(in, fs, pass);
			continue;
		}
		if (row.header) {
			mapper_extend(fs->m, &row);
			row_copy(&fs->hdr, &row);
		} else if (rejects_header(&row) && rejects_header(&fs->hdr)) {
			row.header = 1;
			row_copy(&fs->scan[fs->nscan++], &row);
			if (start_table(in, fs, pass) < 0)
				break;
		} else
			data_row(in, fs, &row);
		progress_tick(&fs->prog, fs->rd->nrows, fs->rd->nbytes);
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
	if (fs->stage_blocked)
		buf_addf(&b, ",\"stage_blocked\":%ld", fs->stage_blocked);
	if (fs->repeated)
		buf_addf(&b, ",\"repeated\":%ld", fs->repeated);
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

/*
 * A chat none of whose senders is a known rep is stored as the
 * customer's alone, which no report counts as a rep's work: say so
 * once, with the way to name the rep's side.  A --rep that names no
 * sender (a typo, a nickname the chat does not use) leaves the chat
 * just as rep-less, so it is no reason to keep quiet: only messages
 * whose side their sender told are counted here, and an export that
 * flags the exporter's own messages (from_me) counts none.
 */
static void
chat_sides(struct filestate *fs)
{
	struct pos pos = {fs->name, NULL, 0, 0};
	long said[2] = {0, 0};
	int i, nreps = fs->in->o.nreps;

	for (i = 0; i < fs->nmaps; i++) {
		said[0] += fs->maps[i]->said[0];
		said[1] += fs->maps[i]->said[1];
	}
	if (said[0] == 0 || said[1] > 0)
		return;
	fs->bi.warnings++;
	diag_warn(&pos, "no sender of the chat is a known rep%s: its %ld "
	    "message%s taken as the customer's, which no report counts as "
	    "a rep's touch; give --rep %s", nreps == 0 ? "" : nreps == 1 ?
	    " or the one --rep names" : " or the ones --rep names", said[0],
	    said[0] == 1 ? " is" : "s are", nreps > 0 ? "the rep's name as "
	    "the chat writes it" : "NAME for the rep's side");
}

static void
filestate_free(struct filestate *fs)
{
	int i;

	for (i = 0; i < HEADER_SCAN; i++)
		row_free(&fs->scan[i]);
	for (i = 0; i < fs->nmaps; i++)
		mapper_free(fs->maps[i]);
	row_free(&fs->hdr);
	buf_free(&fs->why);
	rec_free(&fs->main);
	rec_free(&fs->cust);
	rec_free(&fs->rep);
	issues_free(&fs->is);
	sums_free(fs);
	free(fs->sheet);
	free(fs->first_sheet);
	free((char *)fs->kind_why);
	hmap_free(fs->reps);
	buf_free(&fs->customer);
	buf_free(&fs->scratch);
	for (i = 0; i < 2; i++) {
		hmap_free(fs->codes[i]);
		buf_free(&fs->code_names[i]);
	}
	reader_close(fs->rd);
}

/*
 * Forget the rejects a first pass wrote (the second writes them again):
 * back to offset off of the rejects file, with the header it had then.
 * A rejects file that cannot seek (a pipe) keeps them.
 */
static void
rejects_rewind(struct ingest *in, long off, const struct buf *hdr)
{
	FILE *fp = in->o.rejects;

	if (fp == NULL || off < 0 || fflush(fp) != 0 ||
	    ftruncate(fileno(fp), (off_t)off) != 0 ||
	    fseek(fp, off, SEEK_SET) != 0)
		return;
	buf_reset(&in->rej_hdr);
	buf_add(&in->rej_hdr, hdr->s != NULL ? hdr->s : "", hdr->len);
}

int
ingest_file(struct ingest *in, const char *path)
{
	struct filestate fs;
	char sha[SHA256_HEX_MAX];
	struct buf hdr = {0};
	const char *status;
	long roff;
	int pass, rolled;

	memset(&fs, 0, sizeof(fs));
	fs.in = in;
	fs.path = path;
	fs.name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((fs.rd = reader_open(path, in->o.format, &in->o.ropts)) == NULL)
		return SX_DATA > diag_status() ? SX_DATA : diag_status();
	/*
	 * Only now, as they point into fs: every way out from here takes
	 * them back before fs is gone, and a later message (a write error
	 * on standard output) must not run a hook of a file long done.
	 */
	store_set_done(in->store, main_done, &fs);
	diag_set_before(flush_first, &fs);
	fs.bi.file = fs.name;
	fs.bi.format = fmt_name(fs.rd->fmt);
	fs.bi.encoding = fs.rd->encoding;
	/* Only a committed batch records the file's digest. */
	sha[0] = '\0';
	if (!in->o.dry_run && sha256_file(fs.rd->spool != NULL ?
	    fs.rd->spool : path, sha) == 0)
		fs.bi.sha256 = sha;
	status = "ok";
	rolled = 0;
	roff = in->o.rejects != NULL ? ftell(in->o.rejects) : -1;
	buf_add(&hdr, in->rej_hdr.s != NULL ? in->rej_hdr.s : "",
	    in->rej_hdr.len);
	progress_start(&fs.prog, fs.name, in->o.progress && !in->o.explain);
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
		/*
		 * Pass 0 may be read again: its messages wait, and its
		 * rejects lines are cut off again, so that rows the second
		 * pass reads well are not reported ("ambiguous date") and
		 * nothing is said twice.
		 */
		if (pass == 0)
			diag_hold();
		run_pass(in, &fs, pass);
		if (!fs.fatal && pass == 0 && fs.nmaps > 0 &&
		    mapper_needs_rerun(fs.maps[0])) {
			/* A later row settled the day/month order: again. */
			diag_release(1);
			db_rollback(in->db);
			rejects_rewind(in, roff, &hdr);
			store_forget(in->store);
			reader_close(fs.rd);
			memset(&fs.bi, 0, sizeof(fs.bi));
			fs.bi.file = fs.name;
			fs.totals = 0;
			fs.totals_bad = 0;
			sums_free(&fs);
			fs.padded = 0;
			fs.repeated = 0;
			fs.shown = 0;
			if ((fs.rd = reader_open(path, in->o.format,
			    &in->o.ropts)) == NULL) {
				fs.fatal = 1;
				status = "failed";
				break;
			}
			fs.bi.format = fmt_name(fs.rd->fmt);
			fs.bi.encoding = fs.rd->encoding;
			fs.bi.sha256 = sha[0] != '\0' ? sha : NULL;
			continue;
		}
		diag_release(0);
		break;
	}
	diag_release(0);
	if (fs.m != NULL || fs.nmaps > 0)
		fs.bi.kind = fs.maps[0]->kd->table;
	fs.bi.sheet = fs.first_sheet;
	if (!fs.fatal)
		chat_sides(&fs);
	if (db_in_transaction(in->db)) {
		/* The last rows of a bulk load, before anything is said. */
		if (!fs.fatal && store_flush(in->store) < 0)
			fs.fatal = 1;
		if (!fs.fatal && store_refs_check(in->store) < 0)
			fs.fatal = 1;
		/* Indexes set aside are built again only for a commit. */
		if (!fs.fatal && !in->o.dry_run && (fs.bi.rejected == 0 ||
		    in->o.partial) && store_bulk_end(in->store) < 0)
			fs.fatal = 1;
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
	progress_end(&fs.prog);
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
	fs.stage_blocked = store_stage_blocked(in->store);
	if (fs.repeated > in->o.max_errors) {
		struct pos pos = {fs.name, NULL, 0, 0};

		diag_warn(&pos, "%ld rows repeat an earlier row of the file; "
		    "the first %d are shown", fs.repeated, in->o.max_errors);
	}
	diag_set_before(NULL, NULL);
	store_forget(in->store);
	store_set_done(in->store, NULL, NULL);
	summary(in, &fs, status);
	filestate_free(&fs);
	buf_free(&hdr);
	return diag_status();
}
