/*
 * XLS reader (BIFF8: Excel 97-2003, WPS; BIFF5 as far as freexl goes):
 * rows typed as io_xlsx.c types them.
 *
 * freexl decodes the texts (shared strings, code pages) but hides the
 * rest: it knows a dozen date formats, folds booleans and errors into
 * numbers, skips formulas and merged ranges, and does not say which
 * sheets are hidden.  So xlsbiff.c reads the BIFF8 records themselves
 * from the stream libgsf finds, every number is classified by its
 * XF's format with numfmt.c and converted by xl_serial_civil(), and
 * freexl is given a clean copy of the stream, its formats all General,
 * for the texts.  When only freexl can read a file, its date texts are
 * turned back into serials so that the dates still come out as here.
 *
 * freexl trusts the lengths a file gives (a fuzzer finds over-reads in
 * it within seconds).  So both run in a child process under a CPU
 * limit: the child makes the rows and sends them down a pipe, and a
 * child that crashes or runs out of time is one clean error here.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freexl.h>

#include "buf.h"
#include "diag.h"
#include "num.h"
#include "numfmt.h"
#include "reader.h"
#include "row.h"
#include "sheets.h"
#include "xalloc.h"
#include "xldate.h"
#include "xlsbiff.h"

struct xls_rd {
	struct reader	 base;
	int		 failed;
	char		**names;	/* sheet names, UTF-8 */
	size_t		 nsheets;

	/* The parent: the child's pid and the read end of its pipe. */
	pid_t		 pid;
	FILE		*in;
	int		 cpu;		/* the child's CPU limit, seconds */

	/* The child: freexl and the rows it makes. */
	FILE		*out;		/* the pipe to the parent */
	const void	*h;		/* freexl's handle */
	locale_t	 cloc;		/* printf() of numbers in "C" */
	int		 date1904;
	size_t		*order;		/* sheets to read */
	size_t		 norder, next_sheet;
	const char	*shname;	/* the sheet being read, or NULL */
	size_t		 shidx;
	unsigned	 rows, cols;	/* what to read of the sheet */
	unsigned	 frows;		/* freexl's dimensions */
	unsigned short	 fcols;
	unsigned	 r;		/* next row, 0-based */
	struct biff_book bb;		/* the records freexl keeps to itself */
	int		 have_bb;
	long		 bsheet;	/* the sheet loaded in bb, or -1 */
	size_t		 bnext;		/* bb's first cell not above row r */
	struct row	 anchor;	/* scratch row for merged values */
	long		 filled;	/* cells filled from merges */
};

/* Messages from the child, in the host's byte order. */
enum {
	MSG_NAME = 'N',		/* u32 length, a sheet name */
	MSG_OPEN = 'O',		/* the workbook is open, sheets picked */
	MSG_ROW = 'R',		/* i32 sheet, i64 line, u32 cells, cells */
	MSG_ERROR = 'E',	/* i32 status, i64 line, i32 col, i32 sheet, text */
	MSG_WARN = 'W',		/* text: a warning about the whole file */
	MSG_END = 'Z'		/* no more rows */
};

#define MSG_TEXT_MAX	(64UL << 20)	/* longer is a broken pipe */
#define FILL_MAX	(16L << 20)	/* cells filled from merges, a sheet */

static const struct reader_ops xls_ops;

static void	fail_status(struct xls_rd *, int, long, int, const char *,
		    ...) __attribute__((__format__(__printf__, 5, 6)));

static void
put_u32(FILE *fp, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, fp);
}

static void
put_bytes(FILE *fp, const char *s, size_t len)
{
	put_u32(fp, (uint32_t)len);
	if (len > 0)
		fwrite(s, 1, len, fp);
}

/*
 * Report an error once, at the file or at the sheet's cell: through
 * diag in the parent, down the pipe in the child.
 */
static void
fail_status(struct xls_rd *x, int status, long line, int col,
    const char *fmt, ...)
{
	struct pos pos;
	struct buf b = {0};
	va_list ap;
	int32_t i32;
	int64_t i64;

	if (x->failed)
		return;
	x->failed = 1;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (x->out != NULL) {
		fputc(MSG_ERROR, x->out);
		i32 = status;
		fwrite(&i32, sizeof(i32), 1, x->out);
		i64 = line;
		fwrite(&i64, sizeof(i64), 1, x->out);
		i32 = col;
		fwrite(&i32, sizeof(i32), 1, x->out);
		i32 = x->shname != NULL ? (int32_t)x->shidx : -1;
		fwrite(&i32, sizeof(i32), 1, x->out);
		put_bytes(x->out, b.s, b.len);
	} else {
		memset(&pos, 0, sizeof(pos));
		pos.file = x->base.name;
		pos.sheet = x->shname;
		pos.line = line;
		pos.col = col;
		diag_error(status, &pos, "%s", buf_str(&b));
	}
	buf_free(&b);
}

#define fail(x, line, col, ...) \
	fail_status((x), SX_DATA, (line), (col), __VA_ARGS__)

/* Why freexl refused a file, in words a user can act on. */
static const char *
why(int rc)
{
	switch (rc) {
	case FREEXL_FILE_NOT_FOUND:
		return "cannot open it";
	case FREEXL_INSUFFICIENT_MEMORY:
		return "out of memory while loading it";
	case FREEXL_INVALID_CFBF_HEADER:
	case FREEXL_CFBF_INVALID_SIGNATURE:
	case FREEXL_CFBF_INVALID_SECTOR_SIZE:
		return "damaged OLE container header";
	case FREEXL_CFBF_READ_ERROR:
	case FREEXL_CFBF_SEEK_ERROR:
		return "the OLE container is cut short (truncated file?)";
	case FREEXL_CFBF_EMPTY_FAT_CHAIN:
	case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
	case FREEXL_INVALID_MINI_STREAM:
	case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
		return "damaged OLE container (broken sector chain)";
	case FREEXL_INVALID_CHARACTER:
		return "undecodable text in the OLE directory or the workbook "
		    "(damaged file?)";
	case FREEXL_UNSUPPORTED_CHARSET:
		return "the workbook's code page is not supported";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return "no Workbook stream in the OLE container (not a "
		    "spreadsheet?)";
	case FREEXL_BIFF_INVALID_BOF:
		return "the workbook stream does not start with a BOF record";
	case FREEXL_BIFF_INVALID_SST:
	case FREEXL_BIFF_ILLEGAL_SST_INDEX:
		return "damaged shared string table";
	case FREEXL_ILLEGAL_RK_VALUE:
		return "damaged RK number record";
	case FREEXL_CRAFTED_FILE:
		return "inconsistent records (damaged or hostile file?)";
	default:
		return "damaged file";
	}
}

/* The biff sheet of freexl's sheet i, found by name, or -1. */
static long
biff_sheet(struct xls_rd *x, size_t i)
{
	size_t j;

	if (!x->have_bb)
		return -1;
	for (j = 0; j < x->bb.nsheets; j++)
		if (strcmp(x->bb.sheets[j].name, x->names[i]) == 0)
			return (long)j;
	return -1;
}

/* BIFF_HIDDEN and the like for sheet i; 0 when the records say none. */
static unsigned
sheet_flags(struct xls_rd *x, size_t i)
{
	long j;

	return (j = biff_sheet(x, i)) >= 0 ? x->bb.sheets[j].flags : 0;
}

static int
pick_sheets(struct xls_rd *x, const struct reader_opts *o)
{
	struct buf why = {0};
	unsigned *flags;
	size_t i;

	x->order = xcalloc(x->nsheets + 1, sizeof(*x->order));
	flags = xcalloc(x->nsheets + 1, sizeof(*flags));
	for (i = 0; i < x->nsheets; i++)
		flags[i] = sheet_flags(x, i);
	x->norder = sheets_pick(x->names, flags, x->nsheets, o->sheet,
	    o->all_sheets, x->order, &why);
	free(flags);
	if (x->norder == 0) {
		fail(x, 0, 0, "%s", buf_str(&why));
		buf_free(&why);
		return -1;
	}
	return 0;
}

/*
 * Days before month m of year y (1-based), in a calendar whose leap
 * years are all those divisible by 4: freexl's, which counts
 * 1900-02-29 and 2100-02-29 as days.
 */
static long
days_before(int y, int m)
{
	static const int cum[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};

	return cum[m - 1] + (m > 2 && y % 4 == 0);
}

/* floor(a / 4) for any sign. */
static long
quarter(long a)
{
	return a >= 0 ? a / 4 : -((-a + 3) / 4);
}

/*
 * The serial freexl turned into "y-m-d": it counts from 1900-01-01 =
 * 1 (1904-01-02 = 1 in the 1904 system) in its own calendar.
 */
static long
freexl_serial(int y, int m, int d, int date1904)
{
	long base;

	base = date1904 ? 1904 : 1900;
	return 365L * (y - base) + quarter((long)y - 1) -
	    quarter(base - 1) + days_before(y, m) + d - (date1904 ? 1 : 0);
}

static int
num2(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* "YYYY-MM-DD" as freexl writes it; -1 if s is not one. */
static int
parse_ymd(const char *s, int *y, int *m, int *d)
{
	int hi, lo;

	if (num2(s, &hi) == -1 || num2(s + 2, &lo) == -1 || s[4] != '-' ||
	    num2(s + 5, m) == -1 || s[7] != '-' || num2(s + 8, d) == -1)
		return -1;
	*y = hi * 100 + lo;
	if (*m < 1 || *m > 12 || *d < 1 || *d > 31)
		return -1;
	return 0;
}

/* "HH:MM:SS" into seconds; freexl may write 24:00:00 for midnight. */
static int
parse_hms(const char *s, long *secs)
{
	int hh, mm, ss;

	if (num2(s, &hh) == -1 || s[2] != ':' || num2(s + 3, &mm) == -1 ||
	    s[5] != ':' || num2(s + 6, &ss) == -1 || hh > 24 || mm > 59 ||
	    ss > 59)
		return -1;
	*secs = hh * 3600L + mm * 60L + ss;
	return 0;
}

static struct cell *
put(struct row *row, size_t col, enum cell_type type, const char *text,
    unsigned flags, double num)
{
	struct cell *c;

	c = row_set(row, col, type, text, strlen(text));
	c->flags = flags;
	c->num = num;
	return c;
}

static void
put_number(struct row *row, size_t col, double d, unsigned flags)
{
	char text[NUM_TEXT_MAX];

	if (!isfinite(d)) {
		put(row, col, CELL_ERROR, "#NUM!", flags, 0);
		return;
	}
	num_shortest(text, d);
	put(row, col, CELL_NUMBER, text, flags, d);
}

/*
 * A cell freexl saw under a date or time format.  The serial comes
 * back from its text and goes through xl_serial_civil(), as in the
 * XLSX reader: a date whose time is midnight is a DATE, serial 60 of
 * the 1900 system (1900-02-29) stays a number flagged CF_LOSSY.
 * Returns -1 when the text is not what freexl writes.
 */
static int
put_datetime(struct xls_rd *x, struct row *row, size_t col, int ftype,
    const char *s)
{
	struct civil cv;
	char text[CIVIL_TEXT_MAX];
	double serial;
	long secs;
	int y, m, d;

	secs = 0;
	if (ftype == FREEXL_CELL_TIME) {
		if (parse_hms(s, &secs) == -1 || s[8] != '\0')
			return -1;
		secs %= 86400;
		memset(&cv, 0, sizeof(cv));
		cv.hh = (int)(secs / 3600);
		cv.mm = (int)(secs / 60 % 60);
		cv.ss = (int)(secs % 60);
		snprintf(text, sizeof(text), "%02d:%02d:%02d", cv.hh, cv.mm,
		    cv.ss);
		put(row, col, CELL_TIME, text, 0, secs / 86400.0);
		return 0;
	}
	if (parse_ymd(s, &y, &m, &d) == -1)
		return -1;
	if (ftype == FREEXL_CELL_DATETIME) {
		if (s[10] != ' ' || parse_hms(s + 11, &secs) == -1 ||
		    s[19] != '\0')
			return -1;
	} else if (s[10] != '\0')
		return -1;
	serial = (double)freexl_serial(y, m, d, x->date1904) + secs / 86400.0;
	if (xl_serial_civil(serial, x->date1904, &cv) == -1) {
		/* 1900-02-29, or a serial before the epoch. */
		put_number(row, col, serial, CF_LOSSY);
		return 0;
	}
	civil_format(text, &cv, cv.hh || cv.mm || cv.ss);
	put(row, col, cv.hh || cv.mm || cv.ss ? CELL_DATETIME : CELL_DATE,
	    text, 0, serial);
	return 0;
}

/*
 * A number under the format class cls, as the XLSX reader puts one:
 * dates, times of day and elapsed times from the serial, CF_LOSSY for
 * a serial that names no day, percent and currency marks.
 */
static void
put_classed(struct xls_rd *x, struct row *row, size_t col, double d,
    unsigned cls, unsigned flags)
{
	struct civil cv;
	char text[CIVIL_TEXT_MAX + 24];
	long long secs;
	int t;

	switch (NF_KIND(cls)) {
	case NF_TIME:
		if (d >= 0 && d < 1) {
			secs = llround(d * 86400.0) % 86400;
			snprintf(text, sizeof(text), "%02d:%02d:%02d",
			    (int)(secs / 3600), (int)(secs / 60 % 60),
			    (int)(secs % 60));
			put(row, col, CELL_TIME, text, flags, d);
			return;
		}
		/* FALLTHROUGH */
	case NF_DATE:
		if (xl_serial_civil(d, x->date1904, &cv) == 0) {
			t = cv.hh || cv.mm || cv.ss;
			civil_format(text, &cv, t);
			put(row, col, t ? CELL_DATETIME : CELL_DATE, text,
			    flags, d);
			return;
		}
		/* No such day (1900-02-29, before the epoch, past 9999). */
		flags |= CF_LOSSY;
		break;
	case NF_DURATION:
		if (fabs(d) < 1e9) {
			secs = llround(fabs(d) * 86400.0);
			snprintf(text, sizeof(text), "%s%lld:%02d:%02d",
			    d < 0 ? "-" : "", secs / 3600,
			    (int)(secs / 60 % 60), (int)(secs % 60));
			put(row, col, CELL_DURATION, text, flags, d);
			return;
		}
		break;
	default:
		if (cls & NF_PERCENT)
			flags |= CF_PERCENT;
		if (cls & NF_CURRENCY)
			flags |= CF_CURRENCY | CF_CUR_SET(NF_CUR(cls));
		break;
	}
	put_number(row, col, d, flags);
}

static const char *
error_text(int code)
{
	switch (code) {
	case 0x00:
		return "#NULL!";
	case 0x07:
		return "#DIV/0!";
	case 0x0f:
		return "#VALUE!";
	case 0x17:
		return "#REF!";
	case 0x1d:
		return "#NAME?";
	case 0x24:
		return "#NUM!";
	case 0x2a:
		return "#N/A";
	default:
		return "#GETTING_DATA";
	}
}

/*
 * Put the value of sheet cell (r, c) into column col of out.  The
 * records read by xlsbiff.c decide numbers, booleans, errors and
 * formula results; freexl gives texts, and everything when those
 * records could not be read.  bc is the cell's record, NULL when it
 * has none.  Returns 1, 0 when the cell is empty, or -1 after an error.
 */
static int
put_cell(struct xls_rd *x, struct row *out, unsigned r, unsigned c,
    size_t col, const struct biff_cell *bc)
{
	FreeXL_CellValue v;
	unsigned flags;
	int rc;

	flags = bc != NULL && bc->formula ? CF_FORMULA : 0;
	if (bc != NULL && bc->kind != BC_LABEL) {
		switch (bc->kind) {
		case BC_NUM:
			put_classed(x, out, col, bc->num, biff_class(&x->bb,
			    bc), flags);
			return 1;
		case BC_BOOL:
			put(out, col, CELL_BOOL, bc->num ? "TRUE" : "FALSE",
			    flags, bc->num ? 1 : 0);
			return 1;
		case BC_ERR:
			put(out, col, CELL_ERROR, error_text((int)bc->num),
			    flags, 0);
			return 1;
		default:
			if (bc->len == 0)
				return 0;	/* "" is no value */
			row_set(out, col, CELL_TEXT, x->bb.text.s + bc->str,
			    bc->len)->flags = flags;
			return 1;
		}
	}
	if (r >= x->frows || c >= x->fcols)
		return 0;
	if ((rc = freexl_get_cell_value(x->h, r, (unsigned short)c, &v)) !=
	    FREEXL_OK) {
		fail(x, (long)r + 1, (int)c + 1, "cannot read the cell: %s",
		    why(rc));
		return -1;
	}
	if (bc != NULL && NF_KIND(biff_class(&x->bb, bc)) == NF_TEXT)
		flags |= CF_TEXTFMT;
	switch (v.type) {
	case FREEXL_CELL_NULL:
		return 0;
	case FREEXL_CELL_INT:
		put_number(out, col, v.value.int_value, flags);
		return 1;
	case FREEXL_CELL_DOUBLE:
		put_number(out, col, v.value.double_value, flags);
		return 1;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
		if (v.value.text_value == NULL || v.value.text_value[0] == '\0')
			return 0;	/* "" is no value */
		put(out, col, CELL_TEXT, v.value.text_value, flags, 0);
		return 1;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		if (v.value.text_value != NULL && put_datetime(x, out, col,
		    v.type, v.value.text_value) == 0)
			return 1;
		fail(x, (long)r + 1, (int)c + 1, "unexpected date text '%s' "
		    "from freexl", diag_val(v.value.text_value ?
		    v.value.text_value : ""));
		return -1;
	default:
		fail(x, (long)r + 1, (int)c + 1, "unknown cell type %d from "
		    "freexl", v.type);
		return -1;
	}
}

/* Read sheet row x->r into out; 1 when it holds a value. */
static int
read_row(struct xls_rd *x, struct row *out)
{
	const struct biff_merge *m;
	const struct biff_cell *cells;
	struct cell *cell;
	unsigned c, cc, grid;
	size_t i, k, kend;
	int rc, any;

	/*
	 * bb's cells are sorted by row and column, and rows are read in
	 * order: walk them beside the columns instead of searching the
	 * table for each cell of a grid that may be 65536 by 256.  Past
	 * freexl's dimensions only bb's cells can hold a value: visit
	 * those, not the grid, which one stray record can make 65536
	 * columns wide.
	 */
	any = 0;
	cells = x->bb.cells;
	k = kend = 0;
	if (x->bsheet >= 0) {
		while (x->bnext < x->bb.ncells && cells[x->bnext].row < x->r)
			x->bnext++;
		for (k = kend = x->bnext; kend < x->bb.ncells &&
		    cells[kend].row == x->r; kend++)
			continue;
	}
	grid = x->r < x->frows ? (x->cols < x->fcols ? x->cols : x->fcols) :
	    0;
	for (c = 0; c < grid; c++) {
		while (k < kend && cells[k].col < c)
			k++;
		if ((rc = put_cell(x, out, x->r, c, c, k < kend &&
		    cells[k].col == c ? &cells[k] : NULL)) == -1)
			return -1;
		any |= rc;
	}
	for (; k < kend; k++) {
		if (cells[k].col < grid)
			continue;
		if ((rc = put_cell(x, out, x->r, cells[k].col, cells[k].col,
		    &cells[k])) == -1)
			return -1;
		any |= rc;
	}
	/* A merged range's value fills every cell it covers. */
	for (i = 0; x->bsheet >= 0 && i < x->bb.nmg; i++) {
		m = &x->bb.mg[i];
		if (m->r1 > x->r || m->r2 < x->r)
			continue;
		for (cc = m->c1; cc <= m->c2; cc++) {
			if (cc == m->c1 && m->r1 == x->r)
				continue;	/* the anchor itself */
			if (cc < out->ncells &&
			    out->cells[cc].type != CELL_EMPTY)
				continue;	/* a value of its own */
			if (++x->filled > FILL_MAX) {
				fail(x, (long)x->r + 1, (int)cc + 1, "merged "
				    "ranges cover more than %ld cells "
				    "(hostile file?)", FILL_MAX);
				return -1;
			}
			row_clear(&x->anchor);
			if ((rc = put_cell(x, &x->anchor, m->r1, m->c1, 0,
			    biff_cell(&x->bb, m->r1, m->c1))) == -1)
				return -1;
			if (rc == 0)
				break;	/* an empty anchor fills nothing */
			cell = row_set(out, cc, x->anchor.cells[0].type,
			    cell_text(&x->anchor, &x->anchor.cells[0]),
			    x->anchor.cells[0].len);
			cell->flags = x->anchor.cells[0].flags | CF_MERGED;
			cell->num = x->anchor.cells[0].num;
			any = 1;
		}
	}
	return any;
}

static int
sheet_open(struct xls_rd *x, size_t i)
{
	int rc;

	size_t k;
	long j;

	x->shname = x->names[i];
	x->shidx = i;
	x->r = 0;
	x->frows = 0;
	x->fcols = 0;
	x->filled = 0;
	if ((rc = freexl_select_active_worksheet(x->h,
	    (unsigned short)i)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(x->h, &x->frows,
	    &x->fcols)) != FREEXL_OK) {
		fail(x, 0, 0, "cannot read the sheet: %s", why(rc));
		return -1;
	}
	x->rows = x->frows;
	x->cols = x->fcols;
	x->bsheet = -1;
	x->bnext = 0;
	if ((j = biff_sheet(x, i)) >= 0 && biff_load_sheet(&x->bb,
	    (size_t)j) == 0) {
		/* Formula cells may lie outside freexl's dimensions. */
		x->bsheet = j;
		if (x->bb.maxrow > x->rows)
			x->rows = x->bb.maxrow;
		if (x->bb.maxcol > x->cols)
			x->cols = x->bb.maxcol;
		/* So may the cells that only a merged range fills. */
		for (k = 0; k < x->bb.nmg; k++)
			if (x->bb.mg[k].r2 + 1 > x->rows)
				x->rows = x->bb.mg[k].r2 + 1;
	}
	return 0;
}

static int
next_row(struct xls_rd *x, struct row *out)
{
	int rc;

	for (;;) {
		if (x->failed)
			return -1;
		if (x->shname == NULL) {
			if (x->next_sheet >= x->norder)
				return 0;
			if (sheet_open(x, x->order[x->next_sheet++]) == -1)
				return -1;
			continue;
		}
		if (x->r >= x->rows) {
			x->shname = NULL;
			continue;
		}
		row_clear(out);
		out->file = x->base.name;
		rc = read_row(x, out);
		out->line = (long)x->r + 1;
		out->sheet = x->shname;
		out->nfields = (int)out->ncells;
		x->r++;
		if (rc != 0)
			return rc;
	}
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/*
 * freexl reads the first sector of the OLE directory and hands each
 * entry's name length, as the file gives it, to iconv(3): check those
 * lengths (at most 32 UTF-16 units, the terminator included) first.
 * Returns 0, or -1 after an error was sent.
 */
static int
check_directory(struct xls_rd *x, const char *path)
{
	unsigned char head[512], sec[4096];
	unsigned long dir;
	unsigned shift, i, n;
	size_t size;
	FILE *fp;
	int bad;

	if ((fp = fopen(path, "rb")) == NULL)
		return 0;	/* freexl says why */
	bad = 0;
	if (fread(head, 1, sizeof(head), fp) == sizeof(head)) {
		shift = le16(head + 30);
		dir = le32(head + 48);
		size = (size_t)1 << (shift == 12 ? 12 : 9);
		if ((shift == 9 || shift == 12) && dir < 0xfffffffaUL &&
		    fseek(fp, (long)((dir + 1) * size), SEEK_SET) == 0 &&
		    fread(sec, 1, size, fp) == size)
			for (i = 0; i < size / 128; i++) {
				n = le16(sec + i * 128 + 64);
				if (n > 64 || n % 2 != 0)
					bad = 1;
			}
	}
	fclose(fp);
	if (bad) {
		fail(x, 0, 0, "not a valid xls file: damaged OLE directory "
		    "(an entry name longer than 31 characters)");
		return -1;
	}
	return 0;
}

/*
 * The child, from freexl_open() to the sheets to read.  Returns 0, or
 * -1 after an error was sent.
 */
static int
book_open(struct xls_rd *x, const char *path, const struct reader_opts *o)
{
	const char *sn, *src, *dir;
	char err[200], msg[400], fdpath[32], *tmp;
	unsigned info, nsheets, biff;
	size_t i;
	int rc, fd, keep;

	/*
	 * With the records read, freexl gets a container libgsf wrote,
	 * holding the BIFF8 stream alone: none of the file's own OLE
	 * structures reach it, and it never picks the BIFF5 "Book" of a
	 * file that has both.
	 */
	x->bsheet = -1;
	src = path;
	keep = -1;
	msg[0] = '\0';
	rc = biff_open(&x->bb, path, err, sizeof(err));
	if (rc == 0) {
		x->have_bb = 1;
		if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
			dir = "/tmp";
		tmp = xasprintf("%s/sales-xls.XXXXXX", dir);
		if ((fd = mkstemp(tmp)) != -1) {
			close(fd);
			/*
			 * libgsf writes beside it and renames; then the name
			 * goes at once, so that a crash in freexl leaves no
			 * file behind, and freexl reads it through /dev/fd.
			 */
			if (biff_write_ole(&x->bb, tmp) == 0 &&
			    (keep = open(tmp, O_RDONLY)) != -1) {
				snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d",
				    keep);
				src = fdpath;
			}
			unlink(tmp);
		}
		free(tmp);
	} else if (rc == -1)
		/* Said if freexl reads it: then cells are as it tells. */
		snprintf(msg, sizeof(msg), "cannot read the number formats, "
		    "merged ranges and formula results (%s); cells are as "
		    "freexl gives them", err);
	if (src == path && check_directory(x, path) == -1)
		rc = -1;
	else
		rc = freexl_open(src, &x->h);
	if (keep != -1)
		close(keep);
	if (x->failed)
		return -1;
	if (rc != FREEXL_OK) {
		/* On failure freexl has freed its handle already. */
		x->h = NULL;
		if (rc == FREEXL_INSUFFICIENT_MEMORY)
			fail_status(x, SX_SYS, 0, 0, "out of memory while "
			    "loading it");
		else
			fail(x, 0, 0, "not a valid xls file: %s", why(rc));
		return -1;
	}
	if (msg[0] != '\0') {
		fputc(MSG_WARN, x->out);
		put_bytes(x->out, msg, strlen(msg));
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &info) ==
	    FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
		fail(x, 0, 0, "the workbook is password-protected "
		    "(encrypted): save it without a password first");
		return -1;
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_DATEMODE, &info) ==
	    FREEXL_OK)
		x->date1904 = info == FREEXL_BIFF_DATEMODE_1904;
	if (freexl_get_info(x->h, FREEXL_BIFF_VERSION, &biff) != FREEXL_OK)
		biff = 0;
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &nsheets) !=
	    FREEXL_OK || nsheets == 0) {
		if (biff == 0)
			fail(x, 0, 0, "not a valid xls file: no workbook "
			    "records freexl can read (an empty or non-BIFF "
			    "workbook stream)");
		else
			fail(x, 0, 0, "no worksheet in this workbook");
		return -1;
	}
	x->names = xcalloc(nsheets, sizeof(*x->names));
	for (i = 0; i < nsheets; i++) {
		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &sn) !=
		    FREEXL_OK || sn == NULL)
			sn = "";
		x->names[i] = xstrdup(sn);
		x->nsheets++;
	}
	return pick_sheets(x, o);
}

static void
send_row(FILE *fp, size_t sheet, const struct row *row)
{
	const struct cell *c;
	int32_t i32;
	int64_t i64;
	size_t i;

	fputc(MSG_ROW, fp);
	i32 = (int32_t)sheet;
	fwrite(&i32, sizeof(i32), 1, fp);
	i64 = row->line;
	fwrite(&i64, sizeof(i64), 1, fp);
	put_u32(fp, (uint32_t)row->ncells);
	for (i = 0; i < row->ncells; i++) {
		c = &row->cells[i];
		i32 = (int32_t)c->type;
		fwrite(&i32, sizeof(i32), 1, fp);
		put_u32(fp, c->flags);
		fwrite(&c->num, sizeof(c->num), 1, fp);
		put_bytes(fp, cell_text(row, c), c->len);
	}
}

/* The child's whole life: open, send the sheet names, then the rows. */
static void __attribute__((__noreturn__))
child(struct xls_rd *x, const char *path, const struct reader_opts *o)
{
	struct rlimit rl;
	struct row row;
	size_t i;
	int rc;

	rl.rlim_cur = (rlim_t)x->cpu;
	rl.rlim_max = (rlim_t)x->cpu + 5;
	setrlimit(RLIMIT_CPU, &rl);
	if ((x->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0)) !=
	    (locale_t)0)
		uselocale(x->cloc);
	if (book_open(x, path, o) == 0) {
		for (i = 0; i < x->nsheets; i++) {
			fputc(MSG_NAME, x->out);
			put_bytes(x->out, x->names[i], strlen(x->names[i]));
		}
		fputc(MSG_OPEN, x->out);
		row_init(&row);
		while ((rc = next_row(x, &row)) == 1) {
			send_row(x->out, x->shidx, &row);
			if (ferror(x->out))
				_exit(1);	/* the parent went away */
		}
		if (rc == 0)
			fputc(MSG_END, x->out);
		row_free(&row);
	}
	fflush(x->out);
	if (x->h != NULL)
		freexl_close(x->h);
	biff_close(&x->bb);
	_exit(ferror(x->out) ? 1 : 0);
}

/* Parent: read exactly n bytes of a message; -1 at a short read. */
static int
get(struct xls_rd *x, void *p, size_t n)
{
	return fread(p, 1, n, x->in) == n ? 0 : -1;
}

static int
get_text(struct xls_rd *x, struct buf *b)
{
	uint32_t len;

	buf_reset(b);
	if (get(x, &len, sizeof(len)) == -1 || len > MSG_TEXT_MAX)
		return -1;
	buf_truncate(b, 0);
	while (len > 0) {
		char chunk[4096];
		size_t n = len < sizeof(chunk) ? len : sizeof(chunk);

		if (get(x, chunk, n) == -1)
			return -1;
		buf_add(b, chunk, n);
		len -= (uint32_t)n;
	}
	return 0;
}

/* The child is gone without saying why: say how it ended. */
static void
child_died(struct xls_rd *x)
{
	int st;

	if (x->pid <= 0 || waitpid(x->pid, &st, 0) != x->pid) {
		fail_status(x, SX_SYS, 0, 0, "cannot wait for the xls "
		    "decoder: %s", strerror(errno));
		x->pid = -1;
		return;
	}
	x->pid = -1;
	if (WIFSIGNALED(st) && (WTERMSIG(st) == SIGXCPU ||
	    WTERMSIG(st) == SIGKILL))
		fail(x, 0, 0, "decoding took more than %d s of CPU time "
		    "(hostile file?)", x->cpu);
	else
		/*
		 * A signal, or (under a sanitizer, which catches it) an
		 * exit: either way the decoder met a file it cannot take.
		 */
		fail(x, 0, 0, "not a valid xls file: the decoder crashed on "
		    "it (damaged or hostile file?)");
}

/* Parent: an error message from the child, reported here. */
static void
got_error(struct xls_rd *x)
{
	struct buf b = {0};
	int32_t status, col, sheet;
	int64_t line;

	if (get(x, &status, sizeof(status)) == -1 ||
	    get(x, &line, sizeof(line)) == -1 ||
	    get(x, &col, sizeof(col)) == -1 ||
	    get(x, &sheet, sizeof(sheet)) == -1 || get_text(x, &b) == -1) {
		buf_free(&b);
		child_died(x);
		return;
	}
	x->shname = sheet >= 0 && (size_t)sheet < x->nsheets ?
	    x->names[sheet] : NULL;
	fail_status(x, status == SX_SYS ? SX_SYS : SX_DATA, (long)line,
	    (int)col, "%s", buf_str(&b));
	buf_free(&b);
}

/* Parent: a row from the child into out; -1 if it is cut short. */
static int
got_row(struct xls_rd *x, struct row *out)
{
	struct buf t = {0};
	struct cell *c;
	int32_t sheet, type;
	int64_t line;
	uint32_t n, i, flags;
	double num;

	if (get(x, &sheet, sizeof(sheet)) == -1 ||
	    get(x, &line, sizeof(line)) == -1 || get(x, &n, sizeof(n)) == -1 ||
	    sheet < 0 || (size_t)sheet >= x->nsheets || n > 65536)
		return -1;
	row_clear(out);
	out->file = x->base.name;
	for (i = 0; i < n; i++) {
		if (get(x, &type, sizeof(type)) == -1 ||
		    get(x, &flags, sizeof(flags)) == -1 ||
		    get(x, &num, sizeof(num)) == -1 || get_text(x, &t) == -1 ||
		    type < CELL_EMPTY || type > CELL_ERROR) {
			buf_free(&t);
			return -1;
		}
		if (type == CELL_EMPTY)
			continue;
		c = row_set(out, i, (enum cell_type)type, t.s, t.len);
		c->flags = flags;
		c->num = num;
	}
	buf_free(&t);
	out->line = (long)line;
	out->sheet = x->names[sheet];
	out->nfields = (int)out->ncells;
	return 0;
}

/* Parent: the next message; 1 and a row, 0 at the end, -1. */
static int
xls_next(struct reader *r, struct row *out)
{
	struct xls_rd *x = (struct xls_rd *)r;
	int tag;

	if (x->failed || x->in == NULL)
		return x->failed ? -1 : 0;
	switch (tag = fgetc(x->in)) {
	case MSG_ROW:
		if (got_row(x, out) == 0)
			return 1;
		break;
	case MSG_END:
		fclose(x->in);
		x->in = NULL;
		if (x->pid > 0)
			waitpid(x->pid, NULL, 0);
		x->pid = -1;
		return 0;
	case MSG_ERROR:
		got_error(x);
		return -1;
	default:
		break;
	}
	child_died(x);
	return -1;
}

static void
xls_close(struct reader *r)
{
	struct xls_rd *x = (struct xls_rd *)r;
	size_t i;

	if (x == NULL)
		return;
	if (x->in != NULL)
		fclose(x->in);
	if (x->pid > 0) {
		/* Closed before the end: the child need not go on. */
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
	}
	for (i = 0; i < x->nsheets; i++)
		free(x->names[i]);
	free(x->names);
	free(x->order);
	free(x);
}

/*
 * Fork the child and read the sheet names it sends; returns the reader
 * once the child has opened the workbook, or NULL after an error.
 */
struct reader *
xls_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct buf b = {0};
	struct xls_rd *x;
	struct stat st;
	struct pos pos;
	int fds[2], tag;

	x = xcalloc(1, sizeof(*x));
	x->base.ops = &xls_ops;
	x->base.name = name;
	x->pid = -1;
	/* A megabyte decodes in well under a second. */
	x->cpu = 20;
	if (stat(path, &st) == 0 && st.st_size > 0)
		x->cpu += (int)(st.st_size >> 18 < 3600 ? st.st_size >> 18 :
		    3600);
	if (pipe(fds) == -1) {
		fail_status(x, SX_SYS, 0, 0, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);	/* the child must not write the parent's buffers */
	if ((x->pid = fork()) == -1) {
		fail_status(x, SX_SYS, 0, 0, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (x->pid == 0) {
		close(fds[0]);
		if ((x->out = fdopen(fds[1], "w")) == NULL)
			_exit(1);
		child(x, path, o);
		/* NOTREACHED */
	}
	close(fds[1]);
	if ((x->in = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
		fail_status(x, SX_SYS, 0, 0, "fdopen: %s", strerror(errno));
		goto fail;
	}
	for (;;) {
		tag = fgetc(x->in);
		if (tag == MSG_OPEN)
			break;
		if (tag == MSG_ERROR) {
			got_error(x);
			goto fail;
		}
		if (tag == MSG_WARN) {
			if (get_text(x, &b) == -1) {
				child_died(x);
				goto fail;
			}
			memset(&pos, 0, sizeof(pos));
			pos.file = name;
			diag_warn(&pos, "%s", buf_str(&b));
			continue;
		}
		if (tag != MSG_NAME || get_text(x, &b) == -1 ||
		    x->nsheets >= 65536) {
			child_died(x);
			goto fail;
		}
		x->names = xrealloc(x->names, (x->nsheets + 1) *
		    sizeof(*x->names));
		x->names[x->nsheets++] = xstrdup(buf_str(&b));
	}
	buf_free(&b);
	return &x->base;
fail:
	buf_free(&b);
	xls_close(&x->base);
	return NULL;
}

static const struct reader_ops xls_ops = {
	xls_next,
	xls_close,
};
