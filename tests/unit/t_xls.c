/*
 * XLS reader tests.  Every corpus/xls row of shared/corpus/EXPECTED.md
 * and the B24 case are asserted when $SHARED names the shared folder;
 * fixtures in tests/data (public files, see its README) and copies of
 * them patched here pin dates, sheets and errors without it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "row.h"
#include "tap.h"
#include "xalloc.h"
#include "xldate.h"

static const char *shared;	/* the shared folder, or NULL */
static char tmpdir[256];	/* patched copies live here */
static FILE *errfp;		/* where diag writes */
static long errmark;

/* What diag wrote since the last call; valid until the next one. */
static const char *
errors(void)
{
	static char text[8192];
	long end;
	size_t n;

	fflush(errfp);
	end = ftell(errfp);
	fseek(errfp, errmark, SEEK_SET);
	n = fread(text, 1, sizeof(text) - 1, errfp);
	text[n] = '\0';
	fseek(errfp, end, SEEK_SET);
	errmark = end;
	return text;
}

/* Everything a reader yielded, copied, with the sheet of each row. */
struct book {
	const char	*file;		/* the name without its folder */
	struct row	*rows;
	char		**sheets;
	size_t		 n, cap;
	int		 opened;
	int		 rc;		/* the last reader_next(): 0 or -1 */
};

static void
book_free(struct book *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		row_free(&b->rows[i]);
		free(b->sheets[i]);
	}
	free(b->rows);
	free(b->sheets);
	memset(b, 0, sizeof(*b));
}

static void
book_load(struct book *b, const char *path, const char *sheet, int all)
{
	struct reader_opts o;
	struct reader *r;
	struct row row;
	const char *slash;
	size_t old;

	book_free(b);
	slash = strrchr(path, '/');
	b->file = slash != NULL ? slash + 1 : path;
	memset(&o, 0, sizeof(o));
	o.sheet = sheet;
	o.all_sheets = all;
	b->rc = -1;
	if ((r = reader_open(path, FMT_AUTO, &o)) == NULL)
		return;
	b->opened = 1;
	row_init(&row);
	while ((b->rc = reader_next(r, &row)) == 1) {
		if (b->n == b->cap) {
			old = b->cap;
			b->rows = xgrow(b->rows, &b->cap, b->n + 1,
			    sizeof(*b->rows));
			b->sheets = xrealloc(b->sheets, b->cap *
			    sizeof(char *));
			memset(b->rows + old, 0, (b->cap - old) *
			    sizeof(*b->rows));
		}
		row_copy(&b->rows[b->n], &row);
		b->sheets[b->n] = xstrdup(row.sheet != NULL ? row.sheet : "");
		b->n++;
	}
	row_free(&row);
	reader_close(r);
}

/* "AB12" into a 0-based column and a row; -1 if not a reference. */
static int
ref_parse(const char *ref, size_t *col, long *line)
{
	size_t c;

	for (c = 0; *ref >= 'A' && *ref <= 'Z'; ref++)
		c = c * 26 + (size_t)(*ref - 'A' + 1);
	if (c == 0 || *ref < '1' || *ref > '9')
		return -1;
	*col = c - 1;
	*line = strtol(ref, NULL, 10);
	return 0;
}

static const struct cell *
find_cell(const struct book *b, const char *sheet, const char *ref,
    const struct row **rowp)
{
	size_t i, col;
	long line;

	if (ref_parse(ref, &col, &line) == -1)
		return NULL;
	for (i = 0; i < b->n; i++)
		if (b->rows[i].line == line && strcmp(b->sheets[i],
		    sheet) == 0) {
			if (col >= b->rows[i].ncells)
				return NULL;
			*rowp = &b->rows[i];
			return &b->rows[i].cells[col];
		}
	return NULL;
}

static void
check_cell(int line, const struct book *b, const char *sheet,
    const char *ref, enum cell_type type, const char *want, unsigned flags)
{
	const struct cell *c;
	const struct row *r;
	const char *got;
	char name[512];
	int pass;

	c = find_cell(b, sheet, ref, &r);
	got = c != NULL ? cell_text(r, c) : "(no cell)";
	pass = c != NULL && c->type == type && strcmp(got, want) == 0 &&
	    (c->flags & flags) == flags;
	snprintf(name, sizeof(name), "%s %s!%s is %s '%s'", b->file, sheet,
	    ref, cell_type_name(type), diag_val(want));
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   got:  %s '%s' flags %#x\n#   want: %s '%s' "
		    "flags %#x\n", c != NULL ? cell_type_name(c->type) : "-",
		    got, c != NULL ? c->flags : 0, cell_type_name(type), want,
		    flags);
}

#define is_cell(b, sheet, ref, type, want) \
	check_cell(__LINE__, (b), (sheet), (ref), (type), (want), 0)
#define is_cellf(b, sheet, ref, type, want, flags) \
	check_cell(__LINE__, (b), (sheet), (ref), (type), (want), (flags))

/* The cell at ref is absent or empty. */
static int
cell_empty(const struct book *b, const char *sheet, const char *ref)
{
	const struct cell *c;
	const struct row *r;

	c = find_cell(b, sheet, ref, &r);
	return c == NULL || c->type == CELL_EMPTY;
}

/* The last row line of sheet, and the widest row. */
static long
last_row(const struct book *b, const char *sheet, size_t *width)
{
	size_t i;
	long last;

	last = 0;
	*width = 0;
	for (i = 0; i < b->n; i++) {
		if (strcmp(b->sheets[i], sheet) != 0)
			continue;
		if (b->rows[i].line > last)
			last = b->rows[i].line;
		if (b->rows[i].ncells > *width)
			*width = b->rows[i].ncells;
	}
	return last;
}

static void
check_shape(int line, const struct book *b, const char *sheet, long rows,
    size_t cols)
{
	char name[512];
	size_t width;
	long last;

	last = last_row(b, sheet, &width);
	snprintf(name, sizeof(name), "%s %s has %ld rows and %zu columns",
	    b->file, sheet, rows, cols);
	tap_result(last == rows && (cols == 0 || width == cols) &&
	    b->rc == 0, __FILE__, line, name);
	if (last != rows || (cols != 0 && width != cols) || b->rc != 0)
		printf("#   got:  %ld rows, %zu columns, rc %d\n", last, width,
		    b->rc);
}

#define is_shape(b, sheet, rows, cols) \
	check_shape(__LINE__, (b), (sheet), (rows), (cols))

static char *
corpus(const char *file)
{
	return xasprintf("%s/corpus/xls/%s", shared, file);
}

/* Every corpus/xls row of EXPECTED.md, file by file. */
static void
test_corpus(void)
{
	struct book b = {0};
	const struct cell *c;
	const struct row *r;
	char *p;
	const char *t, *t0;
	size_t n;

	p = corpus("cn_taobao_TB2018_1783rows.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "sheet1", 1784, 8);
	is_cell(&b, "sheet1", "D1", CELL_TEXT, "宝贝标题 ");
	is_cell(&b, "sheet1", "B2", CELL_NUMBER, "748.5");
	is_cell(&b, "sheet1", "F2", CELL_TEXT, "182********");
	/* A date-only format over a serial with a time: all of it. */
	is_cell(&b, "sheet1", "G2", CELL_DATETIME, "2018-01-01 09:26:18");
	is_cell(&b, "sheet1", "G1784", CELL_DATETIME, "2018-04-01 07:16:23");
	is_cell(&b, "sheet1", "A1784", CELL_TEXT, "mrsoft1783");
	is_cell(&b, "sheet1", "H2", CELL_DATETIME, "2018-01-01 09:26:00");
	free(p);

	p = corpus("cn_books_wps.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "淘宝201809", 167, 2);
	is_cell(&b, "淘宝201809", "B2", CELL_TEXT, "Android精彩编程200例");
	is_cell(&b, "淘宝201809", "A167", CELL_TEXT, "mr_179");
	free(p);

	p = corpus("cn_daily_sales_dd.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "Sheet1", 32, 3);
	is_cell(&b, "Sheet1", "A2", CELL_DATE, "2018-01-01");
	is_cell(&b, "Sheet1", "B2", CELL_NUMBER, "1264.12");
	is_cell(&b, "Sheet1", "B32", CELL_NUMBER, "673.4300000000001");
	is_cell(&b, "Sheet1", "A32", CELL_DATE, "2018-01-31");
	free(p);

	p = corpus("easyexcel_t01_mac_cp10008.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "产品数据", 3, 18);
	is_cell(&b, "产品数据", "A2", CELL_TEXT, "材质*");
	is_cell(&b, "产品数据", "A3", CELL_TEXT, "Q235(碳钢)");
	is_cell(&b, "产品数据", "E3", CELL_TEXT, "加大平垫圈");
	c = find_cell(&b, "产品数据", "A1", &r);
	t = c != NULL ? cell_text(r, c) : "";
	t0 = t;
	ok(strncmp(t, "紧密产品同步执行导入模板\n1、材质：必填，",
	    strlen("紧密产品同步执行导入模板\n1、材质：必填，")) == 0,
	    "easyexcel_t01_mac_cp10008.xls A1 starts with the title");
	for (n = 0; *t != '\0'; t++) {
		/* Count characters: bytes that do not continue one. */
		if ((*t & 0xc0) != 0x80)
			n++;
	}
	is_int(n, 416, "easyexcel_t01_mac_cp10008.xls A1 has 416 characters");
	t = c != NULL ? cell_text(r, c) : "";
	for (n = 0; (t = strchr(t, '\n')) != NULL; t++)
		n++;
	is_int(n, 17, "easyexcel_t01_mac_cp10008.xls A1 has 17 newlines");
	is_cellf(&b, "产品数据", "R1", CELL_TEXT, t0, CF_MERGED);
	free(p);

	p = corpus("easyexcel_dataformat_cn_formats.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "A2", CELL_DATETIME, "2020-01-01 01:01:01");
	/* Built-in format 31, yyyy"年"m"月"d"日", which freexl misses. */
	is_cell(&b, "Sheet1", "A8", CELL_DATETIME, "2020-01-01 01:01:01");
	is_cell(&b, "Sheet1", "B8", CELL_TEXT, "2020年1月1日");
	is_cell(&b, "Sheet1", "F4", CELL_TEXT, "¥1.11");
	free(p);

	p = corpus("easyexcel_fill_byname_cp936.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "C2", CELL_TEXT, "{name}今年{number}岁了");
	is_cell(&b, "Sheet1", "D2", CELL_TEXT, "\\{name\\}忽略，{name}");
	free(p);

	p = corpus("easyexcel_wps_extra.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "第一列");
	is_cell(&b, "Sheet1", "B3", CELL_TEXT, "多单元格超链接B");
	free(p);

	p = corpus("calamine_date_1904.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "A1", CELL_DATE, "2021-01-01");
	c = find_cell(&b, "Sheet1", "A1", &r);
	is_int(c != NULL ? (long)c->num : -1, days_from_civil(2021, 1, 1) -
	    days_from_civil(1904, 1, 1), "calamine_date_1904.xls A1 keeps "
	    "its 1904-system serial");
	free(p);

	p = corpus("calamine_merged_range.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "C1", CELL_TEXT, "C1");
	/* D1 has no value of its own: C1:D2 is merged. */
	is_cellf(&b, "Sheet1", "D1", CELL_TEXT, "C1", CF_MERGED);
	is_cellf(&b, "Sheet1", "D2", CELL_TEXT, "C1", CF_MERGED);
	is_cellf(&b, "Sheet1", "D3", CELL_TEXT, "C3", CF_MERGED);
	is_cell(&b, "Sheet1", "C3", CELL_TEXT, "C3");
	free(p);

	p = corpus("calamine_sst_continue.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "Sheet1", 136, 1);
	is_cell(&b, "Sheet1", "A136", CELL_TEXT, "New CONTINUE block");
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "This is a long string with "
	    "a serial number at the end 0001");
	free(p);

	/* A BIFF5 "Book" beside the BIFF8 "WorkBook": the latter is read. */
	p = corpus("calamine_biff5-rich-text-string.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "ELECTORAL DIVISION OF "
	    "SOMERSET EAST ; FIELD-CÓRNËTCY No. 5, ZWAGERSHÓÊN.");
	is_cell(&b, "Sheet1", "B16", CELL_TEXT, "Snyman");
	free(p);

	p = corpus("odoo_base_import_test.xls");
	book_load(&b, p, NULL, 0);
	is_cell(&b, "Sheet1", "A3", CELL_TEXT, "bar");
	is_cell(&b, "Sheet1", "C4", CELL_NUMBER, "6");
	free(p);

	p = corpus("odoo_res_partner_template.xls");
	book_load(&b, p, NULL, 0);
	is_shape(&b, "Sheet 1", 9, 9);
	is_cell(&b, "Sheet 1", "G2", CELL_TEXT, "San José");
	is_cell(&b, "Sheet 1", "F2", CELL_NUMBER, "95101");
	free(p);

	p = corpus("odoo_crm_lead_template.xls");
	book_load(&b, p, NULL, 0);
	t = errors();
	ok(!b.opened && strstr(t, "odoo_crm_lead_template.xls: error: not "
	    "a valid xls file: ") != NULL && strchr(t, '\n') == strrchr(t,
	    '\n'), "odoo_crm_lead_template.xls (damaged OLE) fails with one "
	    "message");
	free(p);
	book_free(&b);
}

/* B24: RK and MULRK numbers, NUMBER, the 1904 date mode. */
static void
test_b24(const char *path)
{
	struct book b = {0};
	const char *s = "回款";

	book_load(&b, path, NULL, 0);
	is_shape(&b, s, 4, 7);
	is_cell(&b, s, "A1", CELL_TEXT, "客户名称");
	is_cell(&b, s, "C1", CELL_TEXT, "一月回款");
	is_cell(&b, s, "B2", CELL_DATE, "2026-03-05");
	is_cell(&b, s, "C2", CELL_NUMBER, "12.34");
	is_cell(&b, s, "D2", CELL_NUMBER, "-1184955");
	is_cell(&b, s, "E2", CELL_NUMBER, "-3244847.3");
	is_cell(&b, s, "F2", CELL_NUMBER, "13900000141");
	is_cell(&b, s, "G2", CELL_NUMBER, "0.0125");
	is_cell(&b, s, "B3", CELL_DATETIME, "2026-03-06 12:00:00");
	is_cell(&b, s, "C3", CELL_NUMBER, "125000");
	is_cell(&b, s, "D3", CELL_NUMBER, "120000000");
	is_cell(&b, s, "E3", CELL_NUMBER, "0.5");
	is_cell(&b, s, "G3", CELL_NUMBER, "0.05");
	is_cell(&b, s, "B4", CELL_DATE, "2026-03-07");
	is_cell(&b, s, "C4", CELL_NUMBER, "1234567890.12");
	is_cell(&b, s, "D4", CELL_NUMBER, "-0.25");
	is_cell(&b, s, "E4", CELL_NUMBER, "0");
	is_cell(&b, s, "F4", CELL_TEXT, "01000000143");
	ok(cell_empty(&b, s, "G4"), "payments_rk_1904.xls G4 is empty");
	book_free(&b);
}

/* The fixtures of tests/data/xls: formats, sheets, standard input. */
static void
test_fixtures(void)
{
	struct book b = {0};
	const char *e;

	book_load(&b, "tests/data/xls/date-1904.xls", NULL, 0);
	is_shape(&b, "Sheet1", 3, 2);
	is_cell(&b, "Sheet1", "A1", CELL_DATE, "2021-01-01");
	is_cell(&b, "Sheet1", "A2", CELL_DATE, "2021-01-02");
	/* [hh]:mm:ss: elapsed time, beyond a day. */
	is_cell(&b, "Sheet1", "A3", CELL_DURATION, "255:10:10");
	is_cell(&b, "Sheet1", "B1", CELL_NUMBER, "15");

	book_load(&b, "tests/data/xls/cn-formats.xls", NULL, 0);
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "date");
	is_cell(&b, "Sheet1", "A2", CELL_DATETIME, "2020-01-01 01:01:01");
	/* A time or date format over a full serial shows all of it. */
	is_cell(&b, "Sheet1", "A3", CELL_DATETIME, "2020-01-01 01:01:01");
	is_cell(&b, "Sheet1", "A4", CELL_DATETIME, "2020-01-01 01:01:01");
	is_cell(&b, "Sheet1", "A8", CELL_DATETIME, "2020-01-01 01:01:01");
	is_cell(&b, "Sheet1", "E2", CELL_NUMBER, "1.1111");
	is_cell(&b, "Sheet1", "E10", CELL_NUMBER, "1111.1111");
	is_cell(&b, "Sheet1", "F3", CELL_TEXT, "111.11%");
	is_cell(&b, "Sheet1", "B5", CELL_TEXT, "2020年1月1日");
	is_cell(&b, "Sheet1", "F4", CELL_TEXT, "¥1.11");

	/* Sheet choice: by name, number, any case; all; unknown. */
	book_load(&b, "tests/data/xls/cn-formats.xls", "sheet3", 0);
	ok(b.opened && b.rc == 0 && b.n == 0, "cn-formats.xls: 'sheet3' "
	    "names Sheet3, which is empty");
	book_load(&b, "tests/data/xls/cn-formats.xls", "1", 0);
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "date");
	book_load(&b, "tests/data/xls/cn-formats.xls", NULL, 1);
	ok(b.n > 0 && b.rc == 0, "cn-formats.xls --all-sheets reads all "
	    "three sheets");
	errors();
	book_load(&b, "tests/data/xls/cn-formats.xls", "4", 0);
	e = errors();
	is_str(e, "t_xls: tests/data/xls/cn-formats.xls: error: no sheet '4' in this "
	    "workbook; it has 'Sheet1', 'Sheet2', 'Sheet3'\n",
	    "an unknown sheet is named with the list of sheets");
	book_free(&b);
}

/* BIFF8 records for a workbook built here, written with libgsf. */
static void
rec(struct buf *b, unsigned type, const void *data, size_t len)
{
	unsigned char h[4];

	h[0] = type & 0xff;
	h[1] = type >> 8 & 0xff;
	h[2] = len & 0xff;
	h[3] = len >> 8 & 0xff;
	buf_add(b, (const char *)h, 4);
	buf_add(b, data, len);
}

static size_t
le(unsigned char *p, unsigned long v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i) & 0xff;
	return (size_t)n;
}

static size_t
f64le(unsigned char *p, double d)
{
	uint64_t bits;

	memcpy(&bits, &d, sizeof(bits));
	le(p, (unsigned long)(bits & 0xffffffffU), 4);
	le(p + 4, (unsigned long)(bits >> 16 >> 16), 4);
	return 8;
}

static void
bof(struct buf *b, unsigned dt)
{
	unsigned char p[16] = {0};

	le(p, 0x0600, 2);
	le(p + 2, dt, 2);
	rec(b, 0x0809, p, sizeof(p));
}

static void
dimension(struct buf *b, unsigned rows, unsigned cols)
{
	unsigned char p[14] = {0};

	le(p + 4, rows, 4);
	le(p + 10, cols, 2);
	rec(b, 0x0200, p, sizeof(p));
}

static void
number(struct buf *b, unsigned r, unsigned c, unsigned xf, double d)
{
	unsigned char p[14];

	le(p, r, 2);
	le(p + 2, c, 2);
	le(p + 4, xf, 2);
	f64le(p + 6, d);
	rec(b, 0x0203, p, sizeof(p));
}

/* A FORMULA whose cached result is the 8 bytes v; no tokens. */
static void
formula(struct buf *b, unsigned r, unsigned c, const unsigned char *v)
{
	unsigned char p[22] = {0};

	le(p, r, 2);
	le(p + 2, c, 2);
	memcpy(p + 6, v, 8);
	rec(b, 0x0006, p, sizeof(p));
}

/* A LABEL, or a STRING (r < 0): UTF-16LE text of n units. */
static void
label(struct buf *b, int r, unsigned c, unsigned xf, const char *u16,
    size_t n)
{
	unsigned char p[256];
	size_t o;

	o = 0;
	if (r >= 0) {
		o += le(p, (unsigned long)r, 2);
		o += le(p + o, c, 2);
		o += le(p + o, xf, 2);
	}
	o += le(p + o, n, 2);
	p[o++] = 1;	/* UTF-16 */
	memcpy(p + o, u16, 2 * n);
	rec(b, r >= 0 ? 0x0204 : 0x0207, p, o + 2 * n);
}

static void
boolerr(struct buf *b, unsigned r, unsigned c, unsigned v, unsigned err)
{
	unsigned char p[8] = {0};

	le(p, r, 2);
	le(p + 2, c, 2);
	p[6] = (unsigned char)v;
	p[7] = (unsigned char)err;
	rec(b, 0x0205, p, sizeof(p));
}

/*
 * A workbook of two sheets, Data and the hidden Secret, with what
 * freexl does not tell: custom, East Asian, percent, elapsed-time and
 * text formats, formula results of every type, booleans and errors, a
 * merged range.  With stray set, Data also has formula cells that its
 * DIMENSION (5 rows, 4 columns) leaves out, as freexl, which skips
 * formulas, lets pass: B2's row reaches column 201, and row 8 holds
 * C8.  Returns its path (the caller frees).
 */
static char *
build_workbook(int stray)
{
	static const unsigned ifmt[] = {0, 164, 10, 31, 46, 49};
	/* yyyy"年"m"月"d"日" in UTF-16 code units. */
	static const unsigned fmt164[] = {
		'y', 'y', 'y', 'y', '"', 0x5e74, '"', 'm', '"', 0x6708, '"',
		'd', '"', 0x65e5, '"'
	};
	static const unsigned char fnum[8] = {0, 0, 0, 0, 0, 0x40, 0x45,
	    0x40};	/* 42.5 */
	static const unsigned char fstr[8] = {0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char fbool[8] = {1, 0, 1, 0, 0, 0, 0xff, 0xff};
	static const unsigned char ferr[8] = {2, 0, 7, 0, 0, 0, 0xff, 0xff};
	struct buf g = {0}, s1 = {0}, s2 = {0};
	unsigned char p[64];
	GsfOutput *out, *wb;
	GsfOutfile *ole;
	size_t i, o, at1, at2;
	char *path;

	/* Sheets first: the globals need their offsets. */
	bof(&s1, 0x0010);
	dimension(&s1, 5, 4);
	number(&s1, 0, 0, 1, 46086);		/* 2026-03-05 */
	number(&s1, 0, 1, 3, 46086.5);
	number(&s1, 0, 2, 2, 0.125);
	number(&s1, 0, 3, 4, 1.5);		/* 36:00:00 */
	formula(&s1, 1, 0, fnum);
	formula(&s1, 1, 1, fstr);
	label(&s1, -1, 0, 0, "\x08\x54\xa1\x8b", 2);	/* 合计 */
	formula(&s1, 1, 2, fbool);
	formula(&s1, 1, 3, ferr);
	boolerr(&s1, 2, 0, 0, 0);
	boolerr(&s1, 2, 1, 0x2a, 1);
	label(&s1, 3, 0, 5, "0\0001\0000\0000\0000\0", 5);
	label(&s1, 3, 1, 0, "\x08\x54\x76\x5e", 2);	/* 合并 */
	o = le(p, 1, 2);
	o += le(p + o, 3, 2);
	o += le(p + o, 4, 2);
	o += le(p + o, 1, 2);
	o += le(p + o, 2, 2);
	rec(&s1, 0x00e5, p, o);
	if (stray) {
		formula(&s1, 1, 200, fnum);
		formula(&s1, 7, 2, fbool);
	}
	rec(&s1, 0x000a, NULL, 0);
	bof(&s2, 0x0010);
	dimension(&s2, 1, 1);
	label(&s2, 0, 0, 0, "s\0e\0c\0r\0e\0t\0", 6);
	rec(&s2, 0x000a, NULL, 0);

	bof(&g, 0x0005);
	le(p, 0x04b0, 2);
	rec(&g, 0x0042, p, 2);			/* CODEPAGE */
	le(p, 0, 2);
	rec(&g, 0x0022, p, 2);			/* DATEMODE */
	o = le(p, 164, 2);
	o += le(p + o, sizeof(fmt164) / sizeof(fmt164[0]), 2);
	p[o++] = 1;
	for (i = 0; i < sizeof(fmt164) / sizeof(fmt164[0]); i++)
		o += le(p + o, fmt164[i], 2);
	rec(&g, 0x041e, p, o);			/* FORMAT */
	for (i = 0; i < sizeof(ifmt) / sizeof(ifmt[0]); i++) {
		memset(p, 0, 20);
		le(p + 2, ifmt[i], 2);
		rec(&g, 0x00e0, p, 20);		/* XF */
	}
	/* Two BOUNDSHEETs of 12 bytes each and an EOF follow. */
	at1 = g.len + 2 * (4 + 12) + 4;
	at2 = at1 + s1.len;
	o = le(p, at1, 4);
	p[o++] = 0;				/* visible */
	p[o++] = 0;				/* worksheet */
	p[o++] = 4;
	p[o++] = 0;
	memcpy(p + o, "Data", 4);
	rec(&g, 0x0085, p, o + 4);
	o = le(p, at2, 4);
	p[o++] = 1;				/* hidden */
	p[o++] = 0;
	p[o++] = 4;
	p[o++] = 0;
	memcpy(p + o, "Hide", 4);
	rec(&g, 0x0085, p, o + 4);
	rec(&g, 0x000a, NULL, 0);
	buf_add(&g, s1.s, s1.len);
	buf_add(&g, s2.s, s2.len);

	path = xasprintf("%s/built%s.xls", tmpdir, stray ? "-stray" : "");
	gsf_init();
	out = gsf_output_stdio_new(path, NULL);
	ole = out != NULL ? gsf_outfile_msole_new(out) : NULL;
	wb = ole != NULL ? gsf_outfile_new_child(ole, "Workbook", FALSE) :
	    NULL;
	if (wb != NULL) {
		gsf_output_write(wb, g.len, (const guint8 *)g.s);
		gsf_output_close(wb);
		g_object_unref(wb);
	}
	if (ole != NULL) {
		gsf_output_close(GSF_OUTPUT(ole));
		g_object_unref(ole);
	}
	if (out != NULL)
		g_object_unref(out);
	buf_free(&g);
	buf_free(&s1);
	buf_free(&s2);
	return path;
}

/* What the records add to freexl: one built workbook, every kind. */
static void
test_records(void)
{
	struct book b = {0};
	char *path, *want;

	path = build_workbook(0);
	book_load(&b, path, NULL, 0);
	is_cell(&b, "Data", "A1", CELL_DATE, "2026-03-05");
	is_cell(&b, "Data", "B1", CELL_DATETIME, "2026-03-05 12:00:00");
	is_cellf(&b, "Data", "C1", CELL_NUMBER, "0.125", CF_PERCENT);
	is_cell(&b, "Data", "D1", CELL_DURATION, "36:00:00");
	is_cellf(&b, "Data", "A2", CELL_NUMBER, "42.5", CF_FORMULA);
	is_cellf(&b, "Data", "B2", CELL_TEXT, "合计", CF_FORMULA);
	is_cellf(&b, "Data", "C2", CELL_BOOL, "TRUE", CF_FORMULA);
	is_cellf(&b, "Data", "D2", CELL_ERROR, "#DIV/0!", CF_FORMULA);
	is_cell(&b, "Data", "A3", CELL_BOOL, "FALSE");
	is_cell(&b, "Data", "B3", CELL_ERROR, "#N/A");
	is_cellf(&b, "Data", "A4", CELL_TEXT, "01000", CF_TEXTFMT);
	is_cell(&b, "Data", "B4", CELL_TEXT, "合并");
	is_cellf(&b, "Data", "C4", CELL_TEXT, "合并", CF_MERGED);
	is_cellf(&b, "Data", "B5", CELL_TEXT, "合并", CF_MERGED);
	is_cellf(&b, "Data", "C5", CELL_TEXT, "合并", CF_MERGED);
	ok(b.rc == 0 && b.n == 5, "built.xls: five rows, the last one "
	    "only merged");

	/* The hidden sheet: skipped, even by --all-sheets, but named. */
	book_load(&b, path, NULL, 1);
	ok(b.rc == 0 && b.n == 5 && strcmp(b.sheets[b.n - 1], "Data") == 0,
	    "built.xls --all-sheets skips the hidden sheet");
	book_load(&b, path, "Hide", 0);
	is_cell(&b, "Hide", "A1", CELL_TEXT, "secret");
	errors();
	book_load(&b, path, "Nope", 0);
	want = xasprintf("t_xls: %s: error: no sheet 'Nope' in this "
	    "workbook; it has 'Data', 'Hide' (hidden)\n", path);
	is_str(errors(), want, "the sheet list marks hidden sheets");
	free(want);
	book_free(&b);
	free(path);
}

/*
 * Cells that the sheet's DIMENSION leaves out are read from their
 * records, not from a grid as wide as the widest of them: the row of a
 * cell in column 201 keeps its other cells, and the rows between the
 * last in the dimension and a stray one are empty.
 */
static void
test_stray(void)
{
	struct book b = {0};
	char *path;
	size_t i, nonempty;

	path = build_workbook(1);
	book_load(&b, path, NULL, 0);
	is_cellf(&b, "Data", "A2", CELL_NUMBER, "42.5", CF_FORMULA);
	is_cellf(&b, "Data", "B2", CELL_TEXT, "合计", CF_FORMULA);
	is_cellf(&b, "Data", "GS2", CELL_NUMBER, "42.5", CF_FORMULA);
	is_cellf(&b, "Data", "C8", CELL_BOOL, "TRUE", CF_FORMULA);
	is_cellf(&b, "Data", "C5", CELL_TEXT, "合并", CF_MERGED);
	ok(b.rc == 0 && b.n == 6 && b.rows[1].ncells == 201 &&
	    b.rows[5].line == 8, "built-stray.xls: six rows, row 2 of 201 "
	    "cells, then row 8");
	for (i = nonempty = 0; b.n > 1 && i < b.rows[1].ncells; i++)
		nonempty += b.rows[1].cells[i].type != CELL_EMPTY;
	ok(nonempty == 5, "row 2: A2 to D2 and GS2, nothing between");
	book_free(&b);
	free(path);
}

/* Copy src to tmpdir/name, return the new path (the caller frees). */
static char *
copy_file(const char *src, const char *name, unsigned char **data,
    size_t *len)
{
	FILE *in, *out;
	char *dst;
	long n;

	dst = xasprintf("%s/%s", tmpdir, name);
	*data = NULL;
	*len = 0;
	if ((in = fopen(src, "rb")) == NULL)
		return dst;
	fseek(in, 0, SEEK_END);
	n = ftell(in);
	rewind(in);
	*data = xmalloc((size_t)n);
	*len = fread(*data, 1, (size_t)n, in);
	fclose(in);
	if ((out = fopen(dst, "wb")) != NULL) {
		fwrite(*data, 1, *len, out);
		fclose(out);
	}
	return dst;
}

static void
write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *fp;

	if ((fp = fopen(path, "wb")) == NULL)
		return;
	fwrite(data, 1, len, fp);
	fclose(fp);
}

/* The offset of the record of type t, size n, whose data starts with d. */
static long
find_record(const unsigned char *p, size_t len, unsigned t, unsigned n,
    const unsigned char *d, size_t dlen)
{
	unsigned char head[4];
	size_t i;

	head[0] = t & 0xff;
	head[1] = t >> 8;
	head[2] = n & 0xff;
	head[3] = n >> 8;
	for (i = 0; i + 4 + dlen <= len; i++)
		if (memcmp(p + i, head, 4) == 0 && memcmp(p + i + 4, d,
		    dlen) == 0)
			return (long)i;
	return -1;
}

/*
 * The B24 workbook with B2's RK set to serial and the DATEMODE record
 * set to mode: the same date format over other serials.
 */
static int plain;	/* 1: damage what only libgsf reads */

static void
check_serial(int line, const char *src, int mode, long serial,
    enum cell_type type, const char *want, unsigned flags)
{
	static const unsigned char b2[] = {1, 0, 1, 0};	/* row 1, col 1 */
	static const unsigned char one[] = {1, 0};
	unsigned char *p;
	struct book b = {0};
	char *path;
	size_t len;
	unsigned long rk;
	long rec, dm;

	path = copy_file(src, "serial.xls", &p, &len);
	rec = find_record(p, len, 0x027e, 10, b2, sizeof(b2));
	dm = find_record(p, len, 0x0022, 2, one, sizeof(one));
	if (rec < 0 || dm < 0) {
		tap_result(0, __FILE__, line, "B24 has its RK and DATEMODE "
		    "records");
		free(p);
		free(path);
		return;
	}
	rk = (unsigned long)serial << 2 | 2;	/* an integer RK */
	p[rec + 10] = rk & 0xff;
	p[rec + 11] = rk >> 8 & 0xff;
	p[rec + 12] = rk >> 16 & 0xff;
	p[rec + 13] = rk >> 24 & 0xff;
	p[dm + 4] = (unsigned char)mode;
	if (plain)
		p[32] ^= 0x55;	/* the mini sector shift: freexl ignores it */
	write_file(path, p, len);
	book_load(&b, path, NULL, 0);
	check_cell(line, &b, "回款", "B2", type, want, flags);
	if (plain)
		ok(strstr(errors(), "serial.xls: warning: cannot read the "
		    "number formats, merged ranges and formula results") !=
		    NULL, "without the records, a warning says so");
	book_free(&b);
	free(p);
	free(path);
}

/* Serials freexl's own calendar gets wrong, turned into real days. */
static void
test_serials(const char *b24)
{
	/* 1900 system: the days around Excel's 1900-02-29. */
	check_serial(__LINE__, b24, 0, 1, CELL_DATE, "1900-01-01", 0);
	check_serial(__LINE__, b24, 0, 59, CELL_DATE, "1900-02-28", 0);
	check_serial(__LINE__, b24, 0, 60, CELL_NUMBER, "60", CF_LOSSY);
	check_serial(__LINE__, b24, 0, 61, CELL_DATE, "1900-03-01", 0);
	check_serial(__LINE__, b24, 0, 46086, CELL_DATE, "2026-03-05", 0);
	/* freexl counts 2100-02-29 as a day; there is none. */
	check_serial(__LINE__, b24, 0, 73109, CELL_DATE, "2100-02-28", 0);
	check_serial(__LINE__, b24, 0, 73110, CELL_DATE, "2100-03-01", 0);
	check_serial(__LINE__, b24, 0, 2958465, CELL_DATE, "9999-12-31", 0);
	/* 1904 system. */
	check_serial(__LINE__, b24, 1, 1, CELL_DATE, "1904-01-02", 0);
	check_serial(__LINE__, b24, 1, 44624, CELL_DATE, "2026-03-05", 0);
	check_serial(__LINE__, b24, 1, 71648, CELL_DATE, "2100-03-01", 0);
}

/* Damaged files: one clear message each, no rows. */
static void
test_damaged(const char *b24)
{
	static const unsigned char magic[] = {
		0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
	};
	struct book b = {0};
	unsigned char *p;
	char *path, *want;
	size_t len;

	path = copy_file(b24, "cut.xls", &p, &len);
	write_file(path, p, len / 2);
	errors();
	book_load(&b, path, NULL, 0);
	want = xasprintf("t_xls: %s: error: not a valid xls file: the OLE "
	    "container is cut short (truncated file?)\n", path);
	is_str(errors(), want, "a truncated xls is refused with the reason");
	free(want);
	ok(!b.opened, "a truncated xls yields no reader");
	free(path);

	path = xasprintf("%s/magic.xls", tmpdir);
	write_file(path, magic, sizeof(magic));
	book_load(&b, path, NULL, 0);
	want = xasprintf("t_xls: %s: error: not a valid xls file: the OLE "
	    "container is cut short (truncated file?)\n", path);
	is_str(errors(), want, "eight bytes of OLE magic are refused");
	free(want);
	free(path);

	/* An OLE directory entry whose name claims 100 characters. */
	if (len > 1024) {
		unsigned char *q;
		size_t qlen;
		long dir;

		free(copy_file(b24, "longname.xls", &q, &qlen));
		path = xasprintf("%s/longname.xls", tmpdir);
		dir = q[48] | q[49] << 8 | q[50] << 16 | (long)q[51] << 24;
		if ((size_t)(dir + 1) * 512 + 128 + 66 <= qlen) {
			q[(dir + 1) * 512 + 128 + 64] = 200;
			write_file(path, q, qlen);
		}
		book_load(&b, path, NULL, 0);
		want = xasprintf("t_xls: %s: error: not a valid xls file: "
		    "damaged OLE directory (an entry name longer than 31 "
		    "characters)\n", path);
		is_str(errors(), want, "an OLE name length past the entry is "
		    "refused before freexl reads it");
		free(want);
		free(path);
		free(q);
	}

	/* A zeroed directory sector: no Workbook stream to be found. */
	if (len > 1024) {
		path = xasprintf("%s/nodir.xls", tmpdir);
		memset(p + 512, 0, len - 512);
		write_file(path, p, len);
		book_load(&b, path, NULL, 0);
		ok(!b.opened && strstr(errors(), "nodir.xls: error: not a "
		    "valid xls file: ") != NULL,
		    "an xls with its sectors zeroed is refused");
		free(path);
	}
	free(p);
	book_free(&b);
}

/* The pid of a live child process of this one, or -1. */
static pid_t
my_child(void)
{
	char path[300], stat[512], *p, *end;
	struct dirent *d;
	pid_t pid, found;
	long ppid;
	DIR *dp;
	FILE *fp;

	found = -1;
	if ((dp = opendir("/proc")) == NULL)
		return -1;
	while (found == -1 && (d = readdir(dp)) != NULL) {
		pid = (pid_t)strtol(d->d_name, &end, 10);
		if (pid <= 0 || *end != '\0')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		/* "pid (comm) state ppid ...": comm may hold spaces. */
		if (fgets(stat, sizeof(stat), fp) != NULL &&
		    (p = strrchr(stat, ')')) != NULL && p[1] == ' ' &&
		    p[2] != 'Z' && sscanf(p + 3, "%ld", &ppid) == 1 &&
		    ppid == (long)getpid())
			found = pid;
		fclose(fp);
	}
	closedir(dp);
	return found;
}

/*
 * The decoder child killed mid-file, as a crash in freexl or the CPU
 * limit would: the rows sent so far, then one error saying how.
 */
static void
check_child_death(int line, const char *path, int sig, const char *msg)
{
	struct reader *r;
	struct row row;
	const char *e;
	pid_t pid;
	long n;
	int rc;

	errors();
	if ((r = reader_open(path, FMT_AUTO, NULL)) == NULL) {
		tap_result(0, __FILE__, line, "the workbook opens");
		return;
	}
	row_init(&row);
	/* The child fills the pipe and waits: kill it there. */
	rc = reader_next(r, &row);
	pid = my_child();
	if (pid > 0)
		kill(pid, sig);
	for (n = 0; rc == 1; n++)
		rc = reader_next(r, &row);
	row_free(&row);
	reader_close(r);
	e = errors();
	tap_result(pid > 0 && rc == -1 && n > 1 && n < 1784 &&
	    strstr(e, msg) != NULL && strchr(e, '\n') == strrchr(e, '\n'),
	    __FILE__, line, msg);
	if (!(pid > 0 && rc == -1 && strstr(e, msg) != NULL))
		printf("#   pid %ld, rc %d after %ld rows: %s\n", (long)pid,
		    rc, n, e);
}

int
main(void)
{
	struct stat st;
	char probe[512];
	const char *env;
	char *b24;

	errfp = tmpfile();
	diag_init("t_xls", errfp);
	if ((env = getenv("SHARED")) == NULL || *env == '\0')
		env = getenv("SALES_SHARED");
	if (env != NULL && *env != '\0') {
		snprintf(probe, sizeof(probe), "%s/corpus/EXPECTED.md", env);
		if (stat(probe, &st) == 0)
			shared = env;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/t_xls.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("t_xls: mkdtemp");
		return 1;
	}

	if (shared != NULL) {
		test_corpus();
		b24 = xasprintf("%s/cases/B24/payments_rk_1904.xls", shared);
		test_b24(b24);
		free(b24);
		b24 = corpus("cn_taobao_TB2018_1783rows.xls");
		check_child_death(__LINE__, b24, SIGSEGV, "error: not a valid "
		    "xls file: the decoder crashed on it (damaged or hostile "
		    "file?)");
		check_child_death(__LINE__, b24, SIGXCPU, "error: decoding "
		    "took more than 21 s of CPU time (hostile file?)");
		free(b24);
	} else {
		skip("corpus/EXPECTED.md xls rows", "no shared folder");
		skip("shared/cases/B24", "no shared folder");
		skip("a decoder killed mid-file", "no shared folder");
	}
	/* The copy in tests/data runs without the shared folder. */
	test_b24("tests/data/cases/B24/payments_rk_1904.xls");
	test_fixtures();
	test_records();
	test_stray();
	/* From the records, then from freexl's date texts alone. */
	test_serials("tests/data/cases/B24/payments_rk_1904.xls");
	plain = 1;
	test_serials("tests/data/cases/B24/payments_rk_1904.xls");
	plain = 0;
	test_damaged("tests/data/cases/B24/payments_rk_1904.xls");

	snprintf(probe, sizeof(probe), "rm -rf '%s'", tmpdir);
	if (system(probe) != 0)
		fprintf(stderr, "t_xls: cannot remove %s\n", tmpdir);
	fclose(errfp);
	return tap_done();
}
