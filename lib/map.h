/*
 * Mapping: a row of text cells to typed records of one kind, using the
 * header synonyms and the value normalizers.  Mapping knows sales, not
 * formats.  One row may yield a main record plus the customer and the
 * rep it names (sub-records that only fill in what the row says).
 */
#ifndef MAP_H
#define MAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "field.h"
#include "kinds.h"
#include "norm.h"

struct hmap;

struct row;
struct vocab;

#define REC_MAXCOLS 32

/*
 * The columns a rejects file (--rejects) puts before the source's own:
 * where the row came from and why it was rejected.  Mappers ignore
 * them, so a fixed rejects file imports like the original.
 */
#define REJECT_COLS	"_file,_sheet,_row,_reason"

struct sval {
	int		 set;	/* the file feeds this column */
	int		 null;
	size_t		 off;	/* text in the record's arena */
	size_t		 len;
	int64_t		 i;
	double		 r;
};

struct rec {
	const struct kinddef *kd;
	int		 present;	/* this record exists for the row */
	char		 id[96];
	struct sval	 v[REC_MAXCOLS];
	struct buf	 arena;
};

/* A problem with one cell (or the row, col -1). */
struct issue {
	int		 col;		/* 0-based column of the file, or -1 */
	int		 reject;	/* 1: the row is rejected */
	int		 kept;		/* a warning on a value stored as is */
	char		*column;	/* header text */
	char		*value;
	char		*reason;
};

struct issues {
	struct issue	*v;
	size_t		 n, cap;
};

struct mcol {
	char		*header;	/* as written, cleaned */
	enum field	 f;		/* F_NONE: ignored */
	long		 scale;		/* unit in the header (万元: 10000) */
	char		 cur[4];	/* currency in the header, or "" */
	const char	*why;		/* how it was mapped or why not */
	enum date_order	 order;		/* learned day/month order */
	int		 ambiguous;	/* met a date it could not order */
};

/*
 * How a kind's columns are filled from the file: the columns that some
 * file column feeds, in the kind's order, resolved once per header
 * instead of for every cell.
 */
struct mstep {
	int		 kc;		/* the kind's column */
	int		 col;		/* the file's column */
	enum field	 f;
	int		 when;		/* the record's time (at, published_at) */
};

struct mplan {
	const struct kinddef *kd;
	int		 sub;		/* only the KC_SUB columns */
	unsigned	 gen;		/* mapper->gen it was made for */
	int		 nstep;
	struct mstep	 step[REC_MAXCOLS];
};

#define MAP_PLANS	4

struct mapper {
	const struct vocab *vocab;
	const struct kinddef *kd;
	struct mcol	*cols;
	size_t		 ncols;
	int		 fcol[F_COUNT];	/* column of each field, or -1 */
	int		 strict;	/* warnings reject the row */
	/* Chats: who the chat is with, who exported it, the names that
	 * are reps (keys of reps), and how often each message key was
	 * met in this file. */
	const char	*customer;
	const char	*self;		/* the one --rep: who exported it */
	const struct hmap *reps;
	struct hmap	*seen;
	/* Messages of the chat's sides: [0] the customer's that their
	 * sender told, [1] a rep's, told by the sender or the export's
	 * from_me flag. */
	long		 said[2];
	/* Customer and rep IDs by name, so that a name repeated on
	 * every row is keyed and hashed once (at most PARTY_MEMO). */
	struct hmap	*party_ids;	/* prefix + name -> arena offset */
	struct hmap	*party_raw;	/* field + cell -> arena offset */
	struct buf	 party_arena;
	struct buf	 party_key;
	struct buf	 party_rawkey;
	/*
	 * The row's currency as its formats show it (the weakest say,
	 * used when no cell, header or currency column names one), and
	 * whether it has an amount at all: a row with neither leaves
	 * the record's currency as it was.
	 */
	char		 row_weak[4];
	int		 row_money;
	/* The headers of the columns that first named each. */
	const char	*row_cur_from, *row_weak_from;
	/*
	 * The names of the store's coded reps and customers (codes ->
	 * offset of names), for a file that names one by its code
	 * alone (工号 1001): the rep 王芳 it is, not a new rep "1001".
	 * NULL when the file has the name column.
	 */
	const struct hmap *codes[2];	/* [0] customers, [1] reps */
	const struct buf *code_names[2];
	/* Per-row work kept between rows: see map.c. */
	unsigned	 gen;		/* bumped when columns are added */
	struct mplan	 plans[MAP_PLANS];
	int		 nplans;
	struct buf	 scratch;	/* a cell's normalized text */
	/* Enumeration values by field and cell text as written. */
	struct hmap	*enum_memo;
	struct buf	 enum_key;
	/*
	 * The money cells map_row() read, per file column: map_money()
	 * on the same row (the totals check) takes them from here.
	 */
	unsigned long	 rowseq;	/* map_row() calls */
	unsigned long	*money_seq;	/* rowseq when read, per column */
	int64_t		*money_fen;
	int		*money_rc;
	size_t		 money_cap;
	unsigned	 money_gen;	/* gen that has_money was found for */
	int		 has_money;	/* a column holds amounts */
	/* The kind's required columns, by index. */
	int		 req[REC_MAXCOLS];
	int		 nreq;
	/* Columns map_row() fills in itself, and the parties' names. */
	int		 kc_currency, kc_type, kc_on_date, kc_week;
	int		 kc_customer_id, kc_rep_id;
	int		 kc_name[2], kc_code[2];	/* [0] customer, [1] rep */
};

enum map_rc {
	MAP_OK = 0,
	MAP_BLANK,	/* nothing in the row */
	MAP_TOTALS,	/* a 合计 / Total line: not a record */
	MAP_REJECT
};

/* How many cells of a row name a known field (header detection). */
int		 map_header_score(const struct vocab *, const struct row *);
/*
 * A mapper for a header row.  kind K_NONE detects it from the fields
 * (*why explains the choice).  NULL after reporting when no kind fits
 * or the kind's required fields are missing.
 */
struct mapper	*mapper_new(const struct vocab *, const struct row *header,
		    enum kind, int strict, const char **why);
/* Extend for new columns of a later header row (JSON lines). */
void		 mapper_extend(struct mapper *, const struct row *header);
void		 mapper_free(struct mapper *);
/* Print, per header, the field it maps to and why (--explain). */
void		 mapper_explain(const struct mapper *, struct buf *);
/* 1 when a column met a date it could not order and later learned how. */
int		 mapper_needs_rerun(const struct mapper *);
/* Forget what the last pass learned, except the date orders. */
void		 mapper_rewind(struct mapper *);

/*
 * Map one data row into main (and the sub-records cust and rep, when
 * the row names them).  Problems go to issues: warnings leave the value
 * empty, rejects reject the row.
 */
enum map_rc	 map_row(struct mapper *, const struct row *, struct rec *main,
		    struct rec *cust, struct rec *rep, struct issues *);

/*
 * The money cells of a row as the mapper would read them, per file
 * column: fen[col] is valid where ok[col] is 1 (arrays of ncols).  For
 * checking a totals row against the rows above it.
 */
void		 map_money(struct mapper *, const struct row *, int64_t *fen,
		    unsigned char *ok);

void		 rec_init(struct rec *, const struct kinddef *);
void		 rec_reset(struct rec *, const struct kinddef *);
void		 rec_free(struct rec *);
const char	*rec_text(const struct rec *, int col);
void		 issues_add(struct issues *, int col, const char *column,
		    const char *value, int reject, const char *fmt, ...)
		    __attribute__((__format__(__printf__, 6, 7)));
void		 issues_clear(struct issues *);
void		 issues_free(struct issues *);

#endif
