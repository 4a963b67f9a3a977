/*
 * XLS reader (BIFF5/BIFF8: Excel 97-2003, WPS): freexl opens the OLE
 * container, decodes the records and converts every text to UTF-8;
 * this file turns its cells into rows typed as io_xlsx.c types them.
 *
 * freexl loads the whole workbook at open and hands out finished
 * values: numbers as int or double, and cells under a date or time
 * format as text it computed from the serial.  It does not show the
 * number formats, merged ranges, sheet visibility or formula results,
 * so what depends on those is limited to what freexl tells (see the
 * XLS section of sales-ingest(1)).  Its date texts are turned back
 * into serials and converted again by xl_serial_civil(), so that the
 * 1900 leap-year quirk, the 1904 epoch and the rounding to the second
 * are those of the XLSX reader.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <freexl.h>

#include "buf.h"
#include "diag.h"
#include "num.h"
#include "reader.h"
#include "row.h"
#include "xalloc.h"
#include "xldate.h"

struct xls_rd {
	struct reader	 base;
	const void	*h;		/* freexl's handle */
	locale_t	 cloc;		/* printf() of numbers in "C" */
	int		 failed;
	int		 date1904;
	char		**names;	/* sheet names, UTF-8 */
	size_t		 nsheets;
	size_t		*order;		/* sheets to read */
	size_t		 norder, next_sheet;

	/* The sheet being read. */
	const char	*shname;	/* NULL between sheets */
	unsigned	 rows;
	unsigned short	 cols;
	unsigned	 r;		/* next row, 0-based */
};

static const struct reader_ops xls_ops;

static void	fail(struct xls_rd *, long, int, const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));

/* Report an error once, at the file or at the sheet's cell. */
static void
fail(struct xls_rd *x, long line, int col, const char *fmt, ...)
{
	struct pos pos;
	struct buf b = {0};
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	memset(&pos, 0, sizeof(pos));
	pos.file = x->base.name;
	pos.sheet = x->shname;
	pos.line = line;
	pos.col = col;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	diag_error(SX_DATA, &pos, "%s", buf_str(&b));
	buf_free(&b);
}

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

/* The sheet list for messages: "'a', 'b'". */
static void
list_sheets(struct xls_rd *x, struct buf *b)
{
	size_t i;

	for (i = 0; i < x->nsheets; i++)
		buf_addf(b, "%s'%s'", i ? ", " : "", x->names[i]);
}

static int
pick_sheets(struct xls_rd *x, const struct reader_opts *o)
{
	struct buf b = {0};
	const char *errstr;
	long long n;
	size_t i;
	long idx;

	x->order = xcalloc(x->nsheets + 1, sizeof(*x->order));
	if (o->sheet == NULL) {
		/* freexl does not say which sheets are hidden. */
		for (i = 0; i < x->nsheets; i++) {
			x->order[x->norder++] = i;
			if (!o->all_sheets)
				break;
		}
		return 0;
	}
	/* A name first, then a name in any case, then a number. */
	idx = -1;
	for (i = 0; i < x->nsheets && idx < 0; i++)
		if (strcmp(x->names[i], o->sheet) == 0)
			idx = (long)i;
	for (i = 0; i < x->nsheets && idx < 0; i++)
		if (strcasecmp(x->names[i], o->sheet) == 0)
			idx = (long)i;
	if (idx < 0) {
		n = parse_int(o->sheet, 1, (long long)x->nsheets, &errstr);
		if (errstr == NULL)
			idx = (long)n - 1;
	}
	if (idx < 0) {
		list_sheets(x, &b);
		fail(x, 0, 0, "no sheet '%s' in this workbook; it has %s",
		    diag_val(o->sheet), buf_str(&b));
		buf_free(&b);
		return -1;
	}
	x->order[x->norder++] = (size_t)idx;
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

/* Read sheet row x->r into out; 1 when it holds a value. */
static int
read_row(struct xls_rd *x, struct row *out)
{
	FreeXL_CellValue v;
	unsigned short c;
	int rc, any;

	any = 0;
	for (c = 0; c < x->cols; c++) {
		if ((rc = freexl_get_cell_value(x->h, x->r, c, &v)) !=
		    FREEXL_OK) {
			fail(x, (long)x->r + 1, c + 1, "cannot read the cell: "
			    "%s", why(rc));
			return -1;
		}
		switch (v.type) {
		case FREEXL_CELL_NULL:
			continue;
		case FREEXL_CELL_INT:
			put_number(out, c, v.value.int_value, 0);
			break;
		case FREEXL_CELL_DOUBLE:
			put_number(out, c, v.value.double_value, 0);
			break;
		case FREEXL_CELL_TEXT:
		case FREEXL_CELL_SST_TEXT:
			if (v.value.text_value == NULL ||
			    v.value.text_value[0] == '\0')
				continue;	/* "" is no value */
			put(out, c, CELL_TEXT, v.value.text_value, 0, 0);
			break;
		case FREEXL_CELL_DATE:
		case FREEXL_CELL_DATETIME:
		case FREEXL_CELL_TIME:
			if (v.value.text_value != NULL &&
			    put_datetime(x, out, c, v.type,
			    v.value.text_value) == 0)
				break;
			fail(x, (long)x->r + 1, c + 1, "unexpected date text "
			    "'%s' from freexl", diag_val(v.value.text_value ?
			    v.value.text_value : ""));
			return -1;
		default:
			fail(x, (long)x->r + 1, c + 1, "unknown cell type %d "
			    "from freexl", v.type);
			return -1;
		}
		any = 1;
	}
	return any;
}

static int
sheet_open(struct xls_rd *x, size_t i)
{
	int rc;

	x->shname = x->names[i];
	x->r = 0;
	x->rows = 0;
	x->cols = 0;
	if ((rc = freexl_select_active_worksheet(x->h,
	    (unsigned short)i)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(x->h, &x->rows,
	    &x->cols)) != FREEXL_OK) {
		fail(x, 0, 0, "cannot read the sheet: %s", why(rc));
		return -1;
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

static int
xls_next(struct reader *r, struct row *out)
{
	struct xls_rd *x = (struct xls_rd *)r;
	locale_t old;
	int rc;

	if (x->failed)
		return -1;
	/* Numbers print with '.', whatever the user's locale. */
	old = uselocale(x->cloc);
	rc = next_row(x, out);
	uselocale(old);
	return rc;
}

static void
xls_close(struct reader *r)
{
	struct xls_rd *x = (struct xls_rd *)r;
	size_t i;

	if (x == NULL)
		return;
	if (x->h != NULL)
		freexl_close(x->h);
	for (i = 0; i < x->nsheets; i++)
		free(x->names[i]);
	free(x->names);
	free(x->order);
	if (x->cloc != (locale_t)0)
		freelocale(x->cloc);
	free(x);
}

struct reader *
xls_open(const char *path, const char *name, const struct reader_opts *o)
{
	struct xls_rd *x;
	const char *sn;
	unsigned info, nsheets, biff;
	size_t i;
	int rc;

	x = xcalloc(1, sizeof(*x));
	x->base.ops = &xls_ops;
	x->base.name = name;
	if ((x->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		diag_fatal(SX_SYS, "out of memory");
	if ((rc = freexl_open(path, &x->h)) != FREEXL_OK) {
		/* On failure freexl has freed its handle already. */
		x->h = NULL;
		if (rc == FREEXL_INSUFFICIENT_MEMORY)
			diag_fatal(SX_SYS, "%s: out of memory", name);
		fail(x, 0, 0, "not a valid xls file: %s", why(rc));
		goto fail;
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &info) ==
	    FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
		fail(x, 0, 0, "the workbook is password-protected "
		    "(encrypted): save it without a password first");
		goto fail;
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
		goto fail;
	}
	x->names = xcalloc(nsheets, sizeof(*x->names));
	for (i = 0; i < nsheets; i++) {
		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &sn) !=
		    FREEXL_OK || sn == NULL)
			sn = "";
		x->names[i] = xstrdup(sn);
		x->nsheets++;
	}
	if (pick_sheets(x, o) == -1)
		goto fail;
	return &x->base;
fail:
	xls_close(&x->base);
	return NULL;
}

static const struct reader_ops xls_ops = {
	xls_next,
	xls_close,
};
