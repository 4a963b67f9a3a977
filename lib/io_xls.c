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
 *
 * freexl trusts the lengths a file gives (a fuzzer finds over-reads in
 * its OLE directory code within seconds) and converts dates with a
 * loop as long as the serial.  So it runs in a child process under a
 * CPU limit: the child makes the rows and sends them down a pipe, and
 * a child that crashes or runs out of time is one clean error here.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
	unsigned	 rows;
	unsigned short	 cols;
	unsigned	 r;		/* next row, 0-based */
};

/* Messages from the child, in the host's byte order. */
enum {
	MSG_NAME = 'N',		/* u32 length, a sheet name */
	MSG_OPEN = 'O',		/* the workbook is open, sheets picked */
	MSG_ROW = 'R',		/* i32 sheet, i64 line, u32 cells, cells */
	MSG_ERROR = 'E',	/* i32 status, i64 line, i32 col, i32 sheet, text */
	MSG_END = 'Z'		/* no more rows */
};

#define MSG_TEXT_MAX	(64UL << 20)	/* longer is a broken pipe */

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
	x->shidx = i;
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
	const char *sn;
	unsigned info, nsheets, biff;
	size_t i;
	int rc;

	if (check_directory(x, path) == -1)
		return -1;
	if ((rc = freexl_open(path, &x->h)) != FREEXL_OK) {
		/* On failure freexl has freed its handle already. */
		x->h = NULL;
		if (rc == FREEXL_INSUFFICIENT_MEMORY)
			fail_status(x, SX_SYS, 0, 0, "out of memory while "
			    "loading it");
		else
			fail(x, 0, 0, "not a valid xls file: %s", why(rc));
		return -1;
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
	else if (WIFSIGNALED(st))
		fail(x, 0, 0, "not a valid xls file: freexl crashed on it "
		    "(signal %d; damaged or hostile file?)", WTERMSIG(st));
	else
		fail(x, 0, 0, "not a valid xls file: the decoder stopped "
		    "early (exit %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
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
