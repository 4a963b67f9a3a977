/*
 * XLSX reader tests.  The corpus and fault cases of ../shared (skipped
 * when it is absent) pin what real workbooks must yield; small hostile
 * or odd workbooks built here with minizip's zip.h pin the limits, so
 * no binary fixture lives in git.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>
#include "zip.h"

#include "diag.h"
#include "num.h"
#include "numfmt.h"
#include "reader.h"
#include "row.h"
#include "tap.h"
#include "xalloc.h"
#include "xlsx.h"

static const char *shared;	/* the shared folder, or NULL */
static char tmpdir[256];	/* fixtures built here */
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

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Everything a reader yielded, copied, with the sheet of each row. */
struct book {
	char		 path[512];
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

/* Read path; sheet and all as in struct reader_opts. */
static void
book_load(struct book *b, const char *path, const char *sheet, int all)
{
	struct reader_opts o;
	struct reader *r;
	struct row row;
	const char *slash;
	size_t old;

	book_free(b);
	snprintf(b->path, sizeof(b->path), "%s", path);
	slash = strrchr(b->path, '/');
	b->file = slash != NULL ? slash + 1 : b->path;
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

static const struct row *
find_row(const struct book *b, const char *sheet, long line)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->rows[i].line == line && (sheet == NULL ||
		    strcmp(b->sheets[i], sheet) == 0))
			return &b->rows[i];
	return NULL;
}

/* The cell at ref, or NULL when its row or column was not yielded. */
static const struct cell *
find_cell(const struct book *b, const char *sheet, const char *ref,
    const struct row **rowp)
{
	const struct row *r;
	size_t col;
	long line;

	if (ref_parse(ref, &col, &line) == -1 ||
	    (r = find_row(b, sheet, line)) == NULL || col >= r->ncells)
		return NULL;
	*rowp = r;
	return &r->cells[col];
}

/* A cell holds no value of its own: absent, empty, or a merged copy. */
static int
raw_empty(const struct cell *c)
{
	return c == NULL || c->type == CELL_EMPTY || (c->flags & CF_MERGED);
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
	snprintf(name, sizeof(name), "%s %s!%s is %s '%s'", b->file,
	    sheet != NULL ? sheet : "", ref, cell_type_name(type),
	    diag_val(want));
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

/* The cell's flags contain want (and the cell exists). */
static void
check_flags(int line, const struct book *b, const char *sheet,
    const char *ref, unsigned want, const char *what)
{
	const struct cell *c;
	const struct row *r;
	char name[512];
	int pass;

	c = find_cell(b, sheet, ref, &r);
	pass = c != NULL && (c->flags & want) == want;
	snprintf(name, sizeof(name), "%s %s!%s %s", b->file,
	    sheet != NULL ? sheet : "", ref, what);
	tap_result(pass, __FILE__, line, name);
	if (!pass)
		printf("#   flags: %#x, want %#x\n", c ? c->flags : 0, want);
}

#define has_flags(b, sheet, ref, want, what) \
	check_flags(__LINE__, (b), (sheet), (ref), (want), (what))

/* The last row of sheet with a value of its own, 0 if none. */
static long
last_row(const struct book *b, const char *sheet)
{
	size_t i, j;
	long last;

	last = 0;
	for (i = 0; i < b->n; i++) {
		if (strcmp(b->sheets[i], sheet) != 0)
			continue;
		for (j = 0; j < b->rows[i].ncells; j++)
			if (!raw_empty(&b->rows[i].cells[j]) &&
			    b->rows[i].line > last)
				last = b->rows[i].line;
	}
	return last;
}

/* Cells of sheet flagged CF_MERGED. */
static long
merged_cells(const struct book *b, const char *sheet)
{
	size_t i, j;
	long n;

	n = 0;
	for (i = 0; i < b->n; i++)
		if (strcmp(b->sheets[i], sheet) == 0)
			for (j = 0; j < b->rows[i].ncells; j++)
				n += (b->rows[i].cells[j].flags &
				    CF_MERGED) != 0;
	return n;
}

/* Every cell of the range lo:hi (and of each ref in a list) is raw empty. */
static int
range_empty(const struct book *b, const char *sheet, const char *lo,
    const char *hi)
{
	const struct cell *c;
	const struct row *r;
	size_t c1, c2, col;
	long r1, r2, line;
	char ref[16], letters[8];

	if (ref_parse(lo, &c1, &r1) == -1 || ref_parse(hi, &c2, &r2) == -1)
		return 0;
	for (line = r1; line <= r2; line++)
		for (col = c1; col <= c2; col++) {
			col_letters(letters, (int)col + 1);
			snprintf(ref, sizeof(ref), "%s%ld", letters, line);
			c = find_cell(b, sheet, ref, &r);
			if (!raw_empty(c))
				return 0;
		}
	return 1;
}

/* The sheets of path as "a, b [hidden], c [veryHidden], d [chart]". */
static void
sheet_list(const char *path, char *out, size_t size)
{
	struct reader_opts o;
	struct reader *r;
	const char *const *names;
	const unsigned *flags;
	size_t len;
	int i, n;

	memset(&o, 0, sizeof(o));
	snprintf(out, size, "(cannot open)");
	o.all_sheets = 1;
	if ((r = reader_open(path, FMT_AUTO, &o)) == NULL)
		return;
	n = xlsx_sheet_names(r, &names, &flags);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s%s", i ? ", " : "",
		    names[i], flags[i] & XLSX_HIDDEN ? " [hidden]" :
		    flags[i] & XLSX_VERYHIDDEN ? " [veryHidden]" :
		    flags[i] & XLSX_NOCELLS ? " [chart]" : "");
	}
	reader_close(r);
}

static char *
shared_path(const char *rel)
{
	return xasprintf("%s/%s", shared, rel);
}

/*
 * The corpus: every xlsx row of shared/corpus/EXPECTED.md.  Dates
 * follow the reader's rule: DATETIME only when the time, rounded to
 * the second, is not midnight.
 */
struct want {
	const char	*file;		/* starts the cells of a file */
	const char	*sheet, *ref;
	enum cell_type	 type;
	const char	*text;
	unsigned	 flags;		/* flags that must be set */
};

static const struct want corpus_cells[] = {
	{.file = "cn_taobao_orders_3sheets_excel2016.xlsx"},
	{NULL, "明日", "A1", CELL_TEXT, "买家会员名", 0},
	{NULL, "明日", "B2", CELL_NUMBER, "41.86", 0},
	{NULL, "明日", "C2", CELL_TEXT, "周某某", 0},
	{NULL, "莫寒", "H2", CELL_DATETIME, "2018-05-16 09:38:00", 0},
	{NULL, "莫寒", "I1", CELL_TEXT, "订单付款时间 ", 0},
	{NULL, "莫寒", "L2", CELL_TEXT, "No:221307653963", 0},
	{NULL, "莫寒", "N2", CELL_TEXT, "'null", 0},
	{NULL, "莫寒", "Q21", CELL_ERROR, "#N/A", 0},
	{NULL, "白桦", "A50", CELL_TEXT, "bhbooks50", 0},
	{.file = "cn_taobao_201805_errors_excel2016.xlsx"},
	{NULL, "淘宝201805", "C2", CELL_NUMBER, "41.86", 0},
	{NULL, "淘宝201805", "J2", CELL_DATETIME, "2018-05-16 09:41:00", 0},
	{NULL, "淘宝201805", "P20", CELL_ERROR, "#N/A", 0},
	{NULL, "淘宝201805", "P2", CELL_TEXT, "B16", 0},
	{.file = "cn_book_sales_2019_11815rows.xlsx"},
	{NULL, "sheet1", "A2", CELL_DATE, "2019-01-01", 0},
	{NULL, "sheet1", "B2", CELL_TEXT,
	    "Python从入门到项目实践（全彩版）", 0},
	{NULL, "sheet1", "D2", CELL_NUMBER, "3592.8", 0},
	{NULL, "sheet1", "A11816", CELL_DATE, "2019-12-31", 0},
	{NULL, "sheet1", "D11816", CELL_NUMBER, "79.8", 0},
	{.file = "cn_mrbook_excel2010.xlsx"},
	{NULL, "Sheet1", "B2", CELL_TEXT, "9787569204537", 0},
	{NULL, "Sheet1", "C4", CELL_TEXT, "零基础学Android ", 0},
	{NULL, "Sheet1", "E3", CELL_NUMBER, "2355", 0},
	{.file = "cn_merge_openpyxl_inlinestr_offset.xlsx"},
	{NULL, "Sheet1", "D3", CELL_TEXT, "编号", 0},
	{NULL, "Sheet1", "C4", CELL_NUMBER, "0", 0},
	{NULL, "Sheet1", "E4", CELL_NUMBER, "34.5", 0},
	{NULL, "Sheet1", "H10", CELL_NUMBER, "128", 0},
	{.file = "cn_fruit_sales_openpyxl315_inlinestr.xlsx"},
	{NULL, "Sheet1", "A2", CELL_TEXT, "苹果", 0},
	{NULL, "Sheet1", "D3", CELL_NUMBER, "332.5", 0},
	{.file = "cn_wps_partner_sales_ranking_shared_formulas.xlsx"},
	{NULL, "合伙人订单金额总排名", "J1", CELL_TEXT, "总额", 0},
	{NULL, "合伙人订单金额总排名", "D2", CELL_NUMBER,
	    "4030530", CF_FORMULA},
	{NULL, "合伙人订单金额总排名", "E2", CELL_NUMBER,
	    "3420044.66", CF_FORMULA},
	{NULL, "合伙人订单金额总排名", "J2", CELL_NUMBER,
	    "35088848.79", CF_FORMULA},
	{NULL, "合伙人订单金额总排名", "B3", CELL_TEXT, "江苏", 0},
	{NULL, "合伙人订单金额总排名", "J3", CELL_NUMBER, "600015", CF_FORMULA},
	{NULL, "合伙人订单金额总排名", "I271", CELL_NUMBER, "790", 0},
	{.file = "cn_wps_sales_customer_region.xlsx"},
	{NULL, "销售数据", "F2", CELL_TEXT, "张三", 0},
	{NULL, "销售数据", "D2", CELL_DATE, "2025-01-01", 0},
	{NULL, "销售数据", "C3", CELL_NUMBER, "6000", 0},
	{NULL, "销售数据", "D21", CELL_DATE, "2025-01-20", 0},
	{.file = "cn_order_form_merged_title.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "订单信息", 0},
	{NULL, "Sheet1", "B5", CELL_TEXT, "20g", 0},
	{.file = "cn_data_only_on_sheet8_of_10.xlsx"},
	{NULL, "Sheet8", "D2", CELL_TEXT, "当当", 0},
	{NULL, "Sheet8", "C4", CELL_NUMBER, "79.98", 0},
	{.file = "easyexcel_dataformat_cn_formats_macexcel.xlsx"},
	{NULL, "Sheet1", "A2", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A4", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A5", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A8", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A9", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A10", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A15", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A23", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A24", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A25", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "A28", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "B8", CELL_TEXT, "2020年1月1日", 0},
	{NULL, "Sheet1", "B24", CELL_TEXT, "上午1时01分", 0},
	{NULL, "Sheet1", "B11", CELL_TEXT, "2020/1/1 1:01 上午", 0},
	{NULL, "Sheet1", "E3", CELL_NUMBER, "1.1111", 0},
	{NULL, "Sheet1", "F3", CELL_TEXT, "111.11%", 0},
	{NULL, "Sheet1", "E4", CELL_NUMBER, "1.1111", 0},
	{NULL, "Sheet1", "F4", CELL_TEXT, "￥1.11", 0},
	{NULL, "Sheet1", "F8", CELL_TEXT, "¥1", 0},
	{NULL, "Sheet1", "E15", CELL_NUMBER, "0.045", 0},
	{NULL, "Sheet1", "F15", CELL_TEXT, "5%", 0},
	/* Serial 0.625 under h:mm (numFmt 20) is a time of day. */
	{.file = "easyexcel_dataformatv2_subsecond_dates.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TIME, "15:00:00", 0},
	{NULL, "Sheet1", "A5", CELL_DATE, "2023-01-01", 0},
	{NULL, "Sheet1", "A7", CELL_DATETIME, "2023-01-01 00:00:01", 0},
	{.file = "easyexcel_demo_cn_mac_excel.xlsx"},
	{NULL, "Sheet1", "B2", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet2", "A11", CELL_TEXT, "表2字符串9", 0},
	{.file = "easyexcel_converter07_types_cn.xlsx"},
	{NULL, "Sheet1", "A2", CELL_BOOL, "TRUE", 0},
	{NULL, "Sheet1", "C2", CELL_TEXT, "1", 0},
	{NULL, "Sheet1", "I2", CELL_TEXT, "true", 0},
	{NULL, "Sheet1", "M2", CELL_DATETIME, "2020-01-01 01:01:01", 0},
	{NULL, "Sheet1", "AI2", CELL_ERROR, "#VALUE!", CF_FORMULA},
	{NULL, "Sheet1", "AJ2", CELL_NUMBER, "2", CF_FORMULA},
	{NULL, "Sheet1", "AK2", CELL_TEXT, "1测试", CF_FORMULA},
	{NULL, "Sheet1", "AL1", CELL_TEXT, "字符串的数字日期", 0},
	{.file = "easyexcel_t02_wps_x_prefixed_ns.xlsx"},
	{NULL, "测试配方1027", "A1", CELL_TEXT, "测试配方1027", 0},
	{NULL, "测试配方1027", "G2", CELL_TEXT, "原料中成分含\n量（%）", 0},
	{NULL, "测试配方1027", "B3", CELL_TEXT, "01502200", 0},
	{NULL, "测试配方1027", "C3", CELL_TEXT, "1，2-戊二醇", 0},
	{NULL, "测试配方1027", "F3", CELL_NUMBER, "100", 0},
	{.file = "easyexcel_t03_poi_16384_columns.xlsx"},
	{NULL, "重算文件", "L1", CELL_TEXT, "重算三级原因", 0},
	{NULL, "重算文件", "I2", CELL_NUMBER, "6", 0},
	{.file = "easyexcel_t04_tencent_docs_ns2_prefix.xlsx"},
	{NULL, "工作表1", "F2", CELL_TEXT, "QQSJK28F152A012242S0081", 0},
	{NULL, "工作表1", "G2", CELL_TEXT, "1111111111111111111111", 0},
	{NULL, "工作表1", "F57", CELL_TEXT, "AASJK28F152A012239S0052", 0},
	{.file = "easyexcel_t05_poi_date_rounding.xlsx"},
	{NULL, "模板", "A2", CELL_DATE, "2023-01-01", 0},
	{NULL, "模板", "A3", CELL_DATE, "2023-01-01", 0},
	{NULL, "模板", "A5", CELL_DATETIME, "2023-01-01 00:00:01", 0},
	{NULL, "模板", "A6", CELL_DATETIME, "2023-01-01 00:00:01", 0},
	{NULL, "模板", "A4", CELL_DATE, "2023-01-01", 0},
	{NULL, "模板", "A1", CELL_TEXT, "日期时间标题", 0},
	{.file = "easyexcel_t06_float_precision.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "7.500", 0},
	{NULL, "Sheet1", "C1", CELL_NUMBER, "2087.0249999999996", CF_FORMULA},
	{.file = "easyexcel_t07_decimal_precision.xlsx"},
	{NULL, "MVA", "E2", CELL_NUMBER, "20220101", 0},
	{NULL, "MVA", "L2", CELL_NUMBER, "24.199812400000013", 0},
	{.file = "easyexcel_t09_x005f_escape.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "SH_x000D_Z002", 0},
	{.file = "easyexcel_wps_biaoge_issue2443.xlsx"},
	{NULL, "Sheet1", "A2", CELL_TEXT, "1.00", 0},
	{NULL, "Sheet1", "B2", CELL_TEXT, "1", 0},
	{.file = "easyexcel_wps_biaoge_extra_relationships.xlsx"},
	{NULL, "hhh", "B1", CELL_NUMBER, "2", 0},
	{.file = "easyexcel_wps_office_extra_merge_hyperlink.xlsx"},
	{NULL, "Sheet1", "A2", CELL_TEXT, "普通超链接", 0},
	{NULL, "Sheet1", "A6", CELL_TEXT, "合并单元格", 0},
	{.file = "odoo_base_import_test.xlsx"},
	{NULL, "Sheet1", "A4", CELL_TEXT, "qux", 0},
	{NULL, "Sheet1", "C4", CELL_NUMBER, "6", 0},
	{.file = "calamine_any_sheets.xlsx"},
	{NULL, "Visible", "B3", CELL_NUMBER, "6", 0},
	{NULL, "Visible", "A5", CELL_TEXT,
	    "This workbook contains 4 sheets: Visible, Hidden, VeryHidden and "
	    "Chart", 0},
	{.file = "calamine_date.xlsx"},
	{NULL, "Sheet1", "A1", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet1", "A2", CELL_DATE, "2021-01-02", 0},
	{NULL, "Sheet1", "A3", CELL_DURATION, "255:10:10", 0},
	{.file = "calamine_date_1904.xlsx"},
	{NULL, "Sheet1", "A1", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet1", "A2", CELL_DATE, "2021-01-02", 0},
	{NULL, "Sheet1", "A3", CELL_DURATION, "255:10:10", 0},
	{.file = "calamine_date_iso.xlsx"},
	{NULL, "Sheet", "A1", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet", "A2", CELL_DATETIME, "2021-01-01 10:10:10", 0},
	{NULL, "Sheet", "A3", CELL_TIME, "10:10:10", 0},
	{.file = "calamine_date_quoted_format.xlsx"},
	{NULL, "Sheet1", "A1", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet1", "A2", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet1", "A3", CELL_DATE, "2021-01-01", 0},
	{NULL, "Sheet1", "A4", CELL_DATE, "2021-01-01", 0},
	{.file = "calamine_errors.xlsx"},
	{NULL, "Feuil1", "A1", CELL_ERROR, "#DIV/0!", CF_FORMULA},
	{NULL, "Feuil1", "A2", CELL_ERROR, "#NAME?", CF_FORMULA},
	{NULL, "Feuil1", "A3", CELL_ERROR, "#VALUE!", CF_FORMULA},
	{NULL, "Feuil1", "A4", CELL_ERROR, "#NULL!", CF_FORMULA},
	{NULL, "Feuil1", "A5", CELL_ERROR, "#REF!", CF_FORMULA},
	{NULL, "Feuil1", "A6", CELL_ERROR, "#NUM!", CF_FORMULA},
	{NULL, "Feuil1", "A7", CELL_ERROR, "#N/A", CF_FORMULA},
	{.file = "calamine_has_x000D_.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "ABC\r\nDEF", 0},
	{.file = "calamine_header-row.xlsx"},
	{NULL, "Sheet1", "C3", CELL_TEXT, "Note 1", 0},
	{NULL, "Sheet1", "B9", CELL_TEXT, "Column A", 0},
	{NULL, "Sheet1", "D10", CELL_NUMBER, "3", 0},
	{.file = "calamine_inlineStr_cdata.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "Hello CDATA", 0},
	{NULL, "Sheet1", "A2", CELL_TEXT, "12345", 0},
	{NULL, "Sheet1", "B2", CELL_TEXT, "NormalText", 0},
	{.file = "calamine_issue_261_missing_r_attrs.xlsx"},
	{NULL, "Some Sheet", "A1", CELL_TEXT, "String Value 32", 0},
	{NULL, "Some Sheet", "G61", CELL_NUMBER, "939", 0},
	{NULL, "Some Sheet", "A66", CELL_TEXT, "String Value 42", 0},
	{NULL, "Some Sheet", "B7", CELL_DATE, "2023-03-15", 0},
	{.file = "calamine_issue_261_fixed_by_excel_online.xlsx"},
	{NULL, "Some Sheet", "A1", CELL_TEXT, "String Value 32", 0},
	{NULL, "Some Sheet", "G61", CELL_NUMBER, "939", 0},
	{NULL, "Some Sheet", "A66", CELL_TEXT, "String Value 42", 0},
	{NULL, "Some Sheet", "B7", CELL_DATE, "2023-03-15", 0},
	{.file = "calamine_issues.xlsx"},
	{NULL, "datatypes", "A3", CELL_TEXT, "ab", CF_FORMULA},
	{NULL, "datatypes", "A4", CELL_BOOL, "FALSE", CF_FORMULA},
	{NULL, "datatypes", "A6", CELL_DATE, "2016-10-20", 0},
	{NULL, "spc_chrs", "A4", CELL_TEXT, "aaa ' aaa", 0},
	{NULL, "spc_chrs", "A5", CELL_TEXT, "\"", 0},
	{NULL, "spc_chrs", "A8", CELL_TEXT, "àâéêèçöïî«»", 0},
	{NULL, "Sheet1", "A2", CELL_NUMBER, "0", CF_FORMULA},
	{.file = "calamine_merged_range.xlsx"},
	{NULL, "Sheet1", "C1", CELL_TEXT, "C1", 0},
	{.file = "calamine_nonstandard-xml-ns-prefix.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "a", 0},
	{NULL, "Sheet1", "B3", CELL_NUMBER, "4", 0},
	{.file = "calamine_richtext-namespaced.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "inline string\nLine 2\nLine 3", 0},
	{NULL, "Sheet1", "H1", CELL_TEXT, "shared string\nLine 2\nLine 3", 0},
	{.file = "calamine_rph.xlsx"},
	{NULL, "Sheet1", "A1", CELL_TEXT, "課きく　毛こ", 0},
	{.file = "calamine_strict_iso_paths.xlsx"},
	{NULL, "ml_out", "A1", CELL_TEXT, "Item", 0},
	{NULL, "ml_out", "A2", CELL_TEXT, "150-031260-001_B", 0},
	{NULL, "ml_out", "H2", CELL_NUMBER, "2153.93", 0},
	{NULL, "ml_out", "A3", CELL_NUMBER, "1625593500", 0},
};

static const struct {
	const char	*file, *list;
} corpus_sheets[] = {
	{"cn_taobao_orders_3sheets_excel2016.xlsx", "明日, 莫寒, 白桦"},
	{"cn_taobao_201805_errors_excel2016.xlsx", "淘宝201805"},
	{"cn_book_sales_2019_11815rows.xlsx", "sheet1"},
	{"cn_wps_partner_sales_ranking_shared_formulas.xlsx",
	    "合伙人订单金额总排名, Sheet2"},
	{"cn_data_only_on_sheet8_of_10.xlsx", "Sheet1, Sheet2, Sheet3, "
	    "Sheet4, Sheet5, Sheet6, Sheet7, Sheet8, Sheet9, Sheet10"},
	{"easyexcel_demo_cn_mac_excel.xlsx", "Sheet1, Sheet2"},
	{"easyexcel_t02_wps_x_prefixed_ns.xlsx", "测试配方1027"},
	{"easyexcel_t04_tencent_docs_ns2_prefix.xlsx", "工作表1"},
	{"easyexcel_wps_biaoge_extra_relationships.xlsx", "hhh"},
	{"odoo_base_import_test.xlsx", "Sheet1, Sheet2, Sheet3"},
	{"calamine_any_sheets.xlsx", "Visible, Hidden [hidden], "
	    "VeryHidden [veryHidden], Chart [chart]"},
	{"calamine_empty_sheet.xlsx", "Sheet1"},
	{"calamine_strict_iso_paths.xlsx", "ml_out"},
};

static const struct {
	const char	*file, *sheet;
	long		 last;
} corpus_last[] = {
	{"cn_taobao_orders_3sheets_excel2016.xlsx", "明日", 51},
	{"cn_taobao_orders_3sheets_excel2016.xlsx", "莫寒", 51},
	{"cn_taobao_orders_3sheets_excel2016.xlsx", "白桦", 50},
	{"cn_taobao_201805_errors_excel2016.xlsx", "淘宝201805", 81},
	{"cn_book_sales_2019_11815rows.xlsx", "sheet1", 11816},
	{"cn_mrbook_excel2010.xlsx", "Sheet1", 28},
	{"cn_fruit_sales_openpyxl315_inlinestr.xlsx", "Sheet1", 9},
	{"cn_wps_partner_sales_ranking_shared_formulas.xlsx",
	    "合伙人订单金额总排名", 271},
	{"cn_wps_sales_customer_region.xlsx", "销售数据", 21},
	{"cn_data_only_on_sheet8_of_10.xlsx", "Sheet8", 4},
	{"easyexcel_demo_cn_mac_excel.xlsx", "Sheet2", 11},
	{"easyexcel_t04_tencent_docs_ns2_prefix.xlsx", "工作表1", 57},
	{"calamine_issue_261_missing_r_attrs.xlsx", "Some Sheet", 66},
	{"calamine_issue_261_fixed_by_excel_online.xlsx", "Some Sheet", 66},
	{"calamine_strict_iso_paths.xlsx", "ml_out", 76},
};

static void
load_corpus(struct book *b, const char *file, const char *sheet)
{
	char *path;

	path = xasprintf("%s/corpus/xlsx/%s", shared, file);
	book_load(b, path, sheet, sheet == NULL);
	free(path);
}

static void
test_corpus_tables(void)
{
	struct book b = {0};
	char list[1024], name[512], *path;
	const char *loaded;
	size_t i;

	for (i = 0; i < sizeof(corpus_cells) / sizeof(corpus_cells[0]); i++) {
		const struct want *w = &corpus_cells[i];

		if (w->file != NULL) {
			load_corpus(&b, w->file, NULL);
			snprintf(name, sizeof(name), "%s reads to its end",
			    w->file);
			ok(b.opened && b.rc == 0, name);
			continue;
		}
		check_cell(__LINE__, &b, w->sheet, w->ref, w->type, w->text,
		    w->flags);
	}
	for (i = 0; i < sizeof(corpus_sheets) / sizeof(corpus_sheets[0]);
	    i++) {
		path = xasprintf("%s/corpus/xlsx/%s", shared,
		    corpus_sheets[i].file);
		sheet_list(path, list, sizeof(list));
		snprintf(name, sizeof(name), "%s sheet list",
		    corpus_sheets[i].file);
		is_str(list, corpus_sheets[i].list, name);
		free(path);
	}
	loaded = "";
	for (i = 0; i < sizeof(corpus_last) / sizeof(corpus_last[0]); i++) {
		if (strcmp(corpus_last[i].file, loaded) != 0) {
			load_corpus(&b, corpus_last[i].file, NULL);
			loaded = corpus_last[i].file;
		}
		snprintf(name, sizeof(name), "%s %s: last non-empty row",
		    corpus_last[i].file, corpus_last[i].sheet);
		is_int(last_row(&b, corpus_last[i].sheet), corpus_last[i].last,
		    name);
	}
	book_free(&b);
}

/* The rows of EXPECTED.md that are not one cell's value. */
static void
test_corpus_special(void)
{
	static const char *const cn_dates[] = {
		"A8", "A9", "A10", "A23", "A24", "A25",
	};
	struct book b = {0};
	const struct cell *c;
	const struct row *r;
	char sheet[16], name[256], list[512];
	double sum;
	size_t i, maxcols;
	long line;
	int pass;

	/* SUM(D2:D11816) of the 11,815-row book, to the cent. */
	load_corpus(&b, "cn_book_sales_2019_11815rows.xlsx", NULL);
	sum = 0;
	for (i = 0; i < b.n; i++)
		if (b.rows[i].line >= 2 && b.rows[i].ncells > 3 &&
		    b.rows[i].cells[3].type == CELL_NUMBER)
			sum += b.rows[i].cells[3].num;
	ok(fabs(round(sum * 100) / 100 - 15960277.0) < 0.005,
	    "cn_book_sales SUM(D2:D11816) is 15960277.00");
	is_int(b.n, 11816, "cn_book_sales yields 11816 rows");

	/* pandas wrote its table at C3:H10, and no index header. */
	load_corpus(&b, "cn_merge_openpyxl_inlinestr_offset.xlsx", NULL);
	ok(range_empty(&b, "Sheet1", "A1", "B10") &&
	    range_empty(&b, "Sheet1", "C3", "C3"),
	    "cn_merge_openpyxl A1:B10 and C3 are empty");

	load_corpus(&b, "cn_wps_partner_sales_ranking_shared_formulas.xlsx",
	    NULL);
	ok(range_empty(&b, "合伙人订单金额总排名", "A2", "C2"),
	    "cn_wps_partner A2:C2 are empty");

	/* Merges: covered cells carry the anchor's copy, flagged. */
	load_corpus(&b, "cn_order_form_merged_title.xlsx", NULL);
	is_cellf(&b, "Sheet1", "B1", CELL_TEXT, "订单信息", CF_MERGED);
	c = find_cell(&b, "Sheet1", "A1", &r);
	ok(c != NULL && !(c->flags & CF_MERGED),
	    "cn_order_form anchor A1 is not a copy");

	for (i = 1; i <= 10; i++) {
		snprintf(sheet, sizeof(sheet), "Sheet%zu", i);
		if (i == 8 || i == 10)
			continue;	/* Sheet10 holds a copy of Sheet8 */
		load_corpus(&b, "cn_data_only_on_sheet8_of_10.xlsx", sheet);
		snprintf(name, sizeof(name), "cn_data_only_on_sheet8 %s has "
		    "no cells", sheet);
		ok(b.opened && b.rc == 0 && b.n == 0, name);
	}

	/* zh-CN built-in formats with no formatCode are dates. */
	load_corpus(&b, "easyexcel_dataformat_cn_formats_macexcel.xlsx",
	    NULL);
	for (i = 0; i < sizeof(cn_dates) / sizeof(cn_dates[0]); i++)
		is_cell(&b, "Sheet1", cn_dates[i], CELL_DATETIME,
		    "2020-01-01 01:01:01");

	load_corpus(&b, "easyexcel_t02_wps_x_prefixed_ns.xlsx", NULL);
	ok(range_empty(&b, "测试配方1027", "B1", "R1") &&
	    range_empty(&b, "测试配方1027", "J3", "J3"),
	    "t02 B1:R1 and J3 hold no value of their own");

	/* The dimension claims A1:XFD2; only A:L hold values. */
	load_corpus(&b, "easyexcel_t03_poi_16384_columns.xlsx", NULL);
	maxcols = 0;
	for (i = 0; i < b.n; i++)
		if (b.rows[i].ncells > maxcols)
			maxcols = b.rows[i].ncells;
	is_int(maxcols, 12, "t03 uses columns A:L only");

	load_corpus(&b, "easyexcel_t04_tencent_docs_ns2_prefix.xlsx", NULL);
	pass = range_empty(&b, "工作表1", "A3", "D9");
	for (line = 3; line <= 9; line++)
		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "%c%ld", (int)('A' + i),
			    line);
			c = find_cell(&b, "工作表1", name, &r);
			pass = pass && c != NULL && (c->flags & CF_MERGED);
		}
	ok(pass, "t04 A3:D9 are merged copies of row 2");
	is_cellf(&b, "工作表1", "A9", CELL_NUMBER, "1", CF_MERGED);
	/*
	 * 70 ranges; those with a value in their anchor cover 392 empty
	 * cells (counted from the XML with Python's zipfile and
	 * ElementTree).  No row after 57 appears: 143 styled empty rows.
	 */
	is_int(merged_cells(&b, "工作表1"), 392,
	    "t04 merged ranges fill 392 cells");
	is_int(b.n, 57, "t04 yields 57 rows");

	/*
	 * Display rules belong to the writer, which needs the value Excel
	 * shows: 15 significant digits, 2087.025 then rounded to 2087.03.
	 */
	load_corpus(&b, "easyexcel_t06_float_precision.xlsx", NULL);
	c = find_cell(&b, "Sheet1", "C1", &r);
	num_excel(name, c != NULL ? c->num : 0);
	is_str(name, "2087.025", "t06 C1 is 2087.025 to 15 digits");
	load_corpus(&b, "easyexcel_t07_decimal_precision.xlsx", NULL);
	c = find_cell(&b, "MVA", "L2", &r);
	num_excel(name, c != NULL ? c->num : 0);
	is_str(name, "24.1998124", "t07 L2 is 24.1998124 to 15 digits");

	load_corpus(&b, "easyexcel_wps_office_extra_merge_hyperlink.xlsx",
	    NULL);
	has_flags(&b, "Sheet1", "B6", CF_MERGED, "is covered by A6:B7");
	has_flags(&b, "Sheet1", "A7", CF_MERGED, "is covered by A6:B7");
	is_cellf(&b, "Sheet1", "B7", CELL_TEXT, "合并单元格", CF_MERGED);

	/* Hidden sheets are skipped; a chart sheet has no cells. */
	load_corpus(&b, "calamine_any_sheets.xlsx", NULL);
	pass = b.n > 0;
	for (i = 0; i < b.n; i++)
		pass = pass && strcmp(b.sheets[i], "Visible") == 0;
	ok(pass, "any_sheets: every visible sheet is only Visible");
	load_corpus(&b, "calamine_any_sheets.xlsx", "Chart");
	ok(!b.opened && strstr(errors(), "'Chart' is a chart sheet") != NULL,
	    "any_sheets: --sheet Chart is refused: no cells");
	/* The hidden sheets are empty; they can be asked for. */
	load_corpus(&b, "calamine_any_sheets.xlsx", "2");
	ok(b.opened && b.rc == 0 && b.n == 0,
	    "any_sheets: --sheet 2 reaches the (empty) hidden sheet");
	load_corpus(&b, "calamine_any_sheets.xlsx", "veryhidden");
	ok(b.opened && b.rc == 0 && b.n == 0,
	    "any_sheets: a name matches in any case");
	load_corpus(&b, "calamine_any_sheets.xlsx", "Nope");
	snprintf(list, sizeof(list), "%s", errors());
	ok(!b.opened && strstr(list, "calamine_any_sheets.xlsx: error: no "
	    "sheet 'Nope' in this workbook; it has 'Visible', 'Hidden' "
	    "(hidden), 'VeryHidden' (very hidden), 'Chart' (chart)") != NULL,
	    "any_sheets: an unknown sheet is an error listing the sheets");
	if (strstr(list, "no sheet") == NULL)
		printf("#   %s", list);

	/* 1904: serial 42735 is 2021-01-01, durations stay as they are. */
	load_corpus(&b, "calamine_date_1904.xlsx", NULL);
	is_cell(&b, "Sheet1", "A1", CELL_DATE, "2021-01-01");
	c = find_cell(&b, "Sheet1", "A1", &r);
	ok(c != NULL && c->num == 42735, "date_1904 A1 keeps serial 42735");

	load_corpus(&b, "calamine_empty_sheet.xlsx", NULL);
	ok(b.opened && b.rc == 0 && b.n == 0, "empty_sheet yields no rows");

	load_corpus(&b, "calamine_header-row.xlsx", NULL);
	pass = 1;
	for (line = 1; line <= 8; line++)
		if (line != 3 && find_row(&b, "Sheet1", line) != NULL)
			pass = 0;
	ok(pass, "header-row: rows 1-2 and 4-8 are not yielded");

	/* Row 5 lies under the merges A1:E5 and F1:H5: copies only. */
	load_corpus(&b, "calamine_issue_261_missing_r_attrs.xlsx", NULL);
	ok(range_empty(&b, "Some Sheet", "A5", "H5"),
	    "issue_261 row 5 holds no value of its own");
	is_cellf(&b, "Some Sheet", "E5", CELL_TEXT, "String Value 32",
	    CF_MERGED);
	is_int(merged_cells(&b, "Some Sheet"), 58,
	    "issue_261 merged ranges fill 58 cells");
	load_corpus(&b, "calamine_issue_261_fixed_by_excel_online.xlsx", NULL);
	ok(range_empty(&b, "Some Sheet", "A5", "H5"),
	    "issue_261 (Excel Online) row 5 holds no value of its own");

	load_corpus(&b, "calamine_merged_range.xlsx", NULL);
	ok(range_empty(&b, "Sheet1", "C2", "D2") &&
	    range_empty(&b, "Sheet1", "D1", "D1"),
	    "merged_range D1, D2, C2 hold no value of their own");
	is_cellf(&b, "Sheet1", "D2", CELL_TEXT, "C1", CF_MERGED);
	/* 9 and 6 ranges; counted from the XML as for t04. */
	is_int(merged_cells(&b, "Sheet1"), 11,
	    "merged_range Sheet1: 9 ranges fill 11 cells");
	is_int(merged_cells(&b, "Sheet2"), 22,
	    "merged_range Sheet2: 6 ranges fill 22 cells");
	book_free(&b);
}

/* shared/cases: what the reader must yield for the xlsx fault cases. */
static void
test_cases(void)
{
	static const long b16rows[] = {1, 2, 4, 5, 6};
	struct book b = {0};
	const struct cell *c;
	const struct row *r;
	char *path;
	int pass;
	size_t i;

	path = shared_path("cases/B08/numbers_as_ids.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "客户", "C2", CELL_NUMBER, "13900000081");
	is_cell(&b, "客户", "C3", CELL_NUMBER, "13900000082");
	is_cell(&b, "客户", "C4", CELL_NUMBER, "13900000083");
	is_cell(&b, "客户", "A3", CELL_NUMBER, "1002");
	is_cell(&b, "客户", "A4", CELL_NUMBER, "1003");
	is_cell(&b, "客户", "D3", CELL_NUMBER, "2");
	is_cell(&b, "客户", "E3", CELL_NUMBER, "1200.5");
	is_cell(&b, "客户", "E4", CELL_NUMBER, "0.30000000000000004");
	c = find_cell(&b, "客户", "C4", &r);
	ok(c != NULL && c->num == 13900000083.0, "B08 C4 value is exact");

	path = shared_path("cases/B10/serial_dates.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "合同", "B2", CELL_DATE, "2026-03-05");
	is_cell(&b, "合同", "B3", CELL_DATETIME, "2026-03-05 18:00:00");
	is_cell(&b, "合同", "B4", CELL_DATE, "1900-03-01");
	/* 1900-02-29 never existed: the number stays, flagged. */
	is_cellf(&b, "合同", "B5", CELL_NUMBER, "60", CF_LOSSY);
	is_cell(&b, "合同", "B6", CELL_DATE, "1900-02-28");
	is_cell(&b, "合同", "B7", CELL_DATE, "1900-01-01");

	path = shared_path("cases/B14/inline_strings.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "Sheet1", "A1", CELL_TEXT, "客户名称");
	is_cell(&b, "Sheet1", "B1", CELL_TEXT, " 联系电话 ");
	is_cell(&b, "Sheet1", "C1", CELL_TEXT, "合同金额");
	is_cell(&b, "Sheet1", "A2", CELL_TEXT, "示例科技有限公司");
	ok(range_empty(&b, "Sheet1", "B2", "B2"), "B14 B2 is empty");
	is_cell(&b, "Sheet1", "C2", CELL_NUMBER, "1000");
	is_cell(&b, "Sheet1", "B3", CELL_TEXT, "13900000091");
	is_cell(&b, "Sheet1", "C3", CELL_TEXT, "2000");
	is_int(b.n, 3, "B14 yields 3 rows");

	path = shared_path("cases/B16/no_cell_refs.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	pass = b.n == 5;
	for (i = 0; i < b.n && pass; i++)
		pass = b.rows[i].line == b16rows[i];
	ok(pass, "B16 yields sheet rows 1, 2, 4, 5, 6");
	is_cell(&b, "Sheet1", "B1", CELL_TEXT, "联系电话");
	is_cell(&b, "Sheet1", "C1", CELL_TEXT, "合同金额");
	is_cell(&b, "Sheet1", "A2", CELL_TEXT, "示例科技有限公司");
	is_cell(&b, "Sheet1", "B2", CELL_TEXT, "13900000101");
	is_cell(&b, "Sheet1", "C2", CELL_NUMBER, "1000");
	is_cell(&b, "Sheet1", "A4", CELL_TEXT, "示例网络有限公司");
	ok(range_empty(&b, "Sheet1", "B4", "B4"), "B16 B4 is empty");
	is_cell(&b, "Sheet1", "C4", CELL_NUMBER, "2000");
	is_cell(&b, "Sheet1", "A5", CELL_TEXT, "示例物流有限公司");
	is_cell(&b, "Sheet1", "B5", CELL_TEXT, "13900000103");
	is_cell(&b, "Sheet1", "C5", CELL_NUMBER, "3000");
	is_cell(&b, "Sheet1", "A6", CELL_TEXT, "示例传媒有限公司");
	is_cell(&b, "Sheet1", "B6", CELL_TEXT, "13900000104");
	is_cell(&b, "Sheet1", "C6", CELL_NUMBER, "4000");

	path = shared_path("cases/B18/formulas.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	is_cellf(&b, "明细", "D2", CELL_NUMBER, "60000", CF_FORMULA);
	is_cellf(&b, "明细", "D3", CELL_NUMBER, "40000", CF_FORMULA);
	is_cellf(&b, "明细", "D4", CELL_NUMBER, "20000", CF_FORMULA);
	is_cellf(&b, "明细", "E2", CELL_EMPTY, "", CF_FORMULA | CF_NOCACHE);
	is_cellf(&b, "明细", "E3", CELL_NUMBER, "36000", CF_FORMULA);
	is_cellf(&b, "明细", "E4", CELL_NUMBER, "18000", CF_FORMULA);
	is_cellf(&b, "明细", "F2", CELL_TEXT, "大单", CF_FORMULA);
	ok(range_empty(&b, "明细", "F3", "F4"), "B18 F3:F4 are empty");
	is_cellf(&b, "明细", "G2", CELL_ERROR, "#DIV/0!", CF_FORMULA);
	is_cell(&b, "明细", "G3", CELL_NUMBER, "0.25");
	ok(range_empty(&b, "明细", "G4", "G4"), "B18 G4 is empty");

	path = shared_path("cases/B20/merged_headers.xlsx");
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "3月", "A1", CELL_TEXT, "2026年3月销售明细");
	is_cellf(&b, "3月", "F1", CELL_TEXT, "2026年3月销售明细", CF_MERGED);
	is_cellf(&b, "3月", "A3", CELL_TEXT, "负责人", CF_MERGED);
	is_cellf(&b, "3月", "C2", CELL_TEXT, "客户信息", CF_MERGED);
	is_cellf(&b, "3月", "E2", CELL_TEXT, "金额", CF_MERGED);
	is_cellf(&b, "3月", "F3", CELL_TEXT, "签约日期", CF_MERGED);
	is_cell(&b, "3月", "A4", CELL_TEXT, "张三");
	is_cellf(&b, "3月", "A5", CELL_TEXT, "张三", CF_MERGED);
	is_cell(&b, "3月", "A6", CELL_TEXT, "李四");
	is_cellf(&b, "3月", "A7", CELL_TEXT, "李四", CF_MERGED);
	is_cell(&b, "3月", "F4", CELL_DATE, "2026-03-05");
	is_cell(&b, "3月", "F7", CELL_DATE, "2026-03-08");
	is_cellf(&b, "3月", "D8", CELL_NUMBER, "1000000", CF_FORMULA);
	is_cellf(&b, "3月", "E8", CELL_NUMBER, "450000", CF_FORMULA);
	book_free(&b);
}

static void
test_numfmt(void)
{
	static const struct {
		const char	*code;
		unsigned	 cls;
	} codes[] = {
		{"General", NF_NUMBER},
		{"GENERAL", NF_NUMBER},
		{"0.00_ ", NF_NUMBER},
		{"0.00_);[Red](0.00)", NF_NUMBER},
		{"#,##0.00 ;[Red]-#,##0.00 ", NF_NUMBER},
		{"0.00E+00", NF_NUMBER},
		{"\"年\"0", NF_NUMBER},
		{"\\d0", NF_NUMBER},
		{"[>=100]0;0", NF_NUMBER},
		{"[Red]0.00", NF_NUMBER},
		{"yyyy\\-mm\\-dd", NF_DATE},
		{"yyyy\"-\"mm\"-\"dd", NF_DATE},
		{"mmmm\" \"yyyy", NF_DATE},
		{"mmmmm", NF_DATE},
		{"[$-409]mmmm\" \"d\", \"yyyy", NF_DATE},
		{"[$-411]ggge\"年\"m\"月\"d\"日\";@", NF_DATE},
		{"[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", NF_DATE},
		{"yyyy\"年\"m\"月\"d\"日\"\\ h:mm:ss", NF_DATE},
		{"yyyy-MM-dd HH:mm:ss", NF_DATE},
		{"h:mm", NF_TIME},
		{"mm:ss", NF_TIME},
		{"h:mm AM/PM", NF_TIME},
		{"[DBNum1]上午/下午h\"时\"mm\"分\"", NF_TIME},
		{"[h]:mm:ss", NF_DURATION},
		{"[hh]:mm:ss", NF_DURATION},
		{"[mm]:ss", NF_DURATION},
		{"@", NF_TEXT},
		{"0%", NF_NUMBER | NF_PERCENT},
		{"0.00%", NF_NUMBER | NF_PERCENT},
		{"\"￥\"#,##0.00;\"￥\"\\-#,##0.00", NF_NUMBER | NF_CURRENCY},
		{"\\¥#,##0;\\¥\\-#,##0", NF_NUMBER | NF_CURRENCY},
		{"[$¥-804]#,##0.00", NF_NUMBER | NF_CURRENCY},
		{"\\$#,##0.0000;[Red]\\$#,##0.0000", NF_NUMBER | NF_CURRENCY},
		{"#,##0.00\"元\"", NF_NUMBER | NF_CURRENCY},
		{"[$-804]#,##0", NF_NUMBER},
		{"000000", NF_NUMBER | 6 << 16},
		{"00000000000;@", NF_NUMBER | 11 << 16},
		{"0", NF_NUMBER},
		{"00.00", NF_NUMBER},
		{"\"No.\"000", NF_NUMBER},
		{"", NF_NUMBER},
	};
	static const struct {
		unsigned	 id, cls;
	} ids[] = {
		{0, NF_NUMBER}, {2, NF_NUMBER}, {9, NF_NUMBER | NF_PERCENT},
		{14, NF_DATE}, {20, NF_TIME}, {22, NF_DATE}, {27, NF_DATE},
		{31, NF_DATE}, {32, NF_TIME}, {36, NF_DATE}, {45, NF_TIME},
		{46, NF_DURATION}, {47, NF_TIME}, {49, NF_TEXT}, {55, NF_TIME},
		{56, NF_TIME}, {57, NF_DATE}, {58, NF_DATE}, {164, NF_NUMBER},
	};
	char name[128];
	size_t i;

	/* Which currency a format's sign names (NF_CUR), NULL for none. */
	static const struct {
		const char	*code, *cur;
	} curs[] = {
		{"[$$-409]#,##0.00", "USD"},
		{"[$€-407]#,##0.00", "EUR"},
		{"[$¥-804]#,##0.00", "CNY"},
		{"[$¥-411]#,##0", "JPY"},
		{"[$$-C09]#,##0.00", "AUD"},
		{"[$$-1009]#,##0.00", "CAD"},
		{"[$$-416]#,##0.00", "XXX"},	/* a dollar of no listed locale */
		{"[$USD] #,##0.00", "USD"},
		{"[$usd] #,##0.00", "USD"},
		{"[$BRL] #,##0.00", "XXX"},
		{"[$HK$-C04]#,##0.00", "HKD"},
		{"\"US$\"#,##0.00", "USD"},
		{"\"HK$\"#,##0.00", "HKD"},
		{"$#,##0.00", "USD"},
		{"\\$#,##0", "USD"},
		{"\"￥\"#,##0.00", "CNY"},
		{"#,##0.00\"元\"", "CNY"},
		{"#,##0.00\"美元\"", "USD"},
		{"#,##0.00\" 港币\"", "HKD"},
		{"\"欧元 \"#,##0.00", "EUR"},
		{"#,##0.00\"元/吨\"", "CNY"},
		{"£#,##0.00", "GBP"},
		{"[$-804]#,##0", NULL},
		{"#,##0.00", NULL},
		{"0.00%", NULL},
	};
	const char *got;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(name, sizeof(name), "numfmt_class '%s'",
		    codes[i].code);
		is_int(numfmt_class(codes[i].code) & 0xffffff, codes[i].cls,
		    name);
	}
	for (i = 0; i < sizeof(curs) / sizeof(curs[0]); i++) {
		snprintf(name, sizeof(name), "numfmt currency of '%s'",
		    curs[i].code);
		got = numfmt_code(NF_CUR(numfmt_class(curs[i].code)));
		ok(curs[i].cur == NULL ? got == NULL : got != NULL &&
		    strcmp(got, curs[i].cur) == 0, name);
		if (curs[i].cur != NULL)
			ok(numfmt_class(curs[i].code) & NF_CURRENCY, name);
	}
	/* The built-in ids show the reader's own sign: none for sure. */
	ok(numfmt_code(NF_CUR(numfmt_builtin(7))) == NULL,
	    "numfmt_builtin 7 names no currency");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		snprintf(name, sizeof(name), "numfmt_builtin %u", ids[i].id);
		is_int(numfmt_builtin(ids[i].id), ids[i].cls, name);
	}
}

/* Fixtures: tiny workbooks written with minizip's zip.h. */

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships"
#define SHEET_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
	"<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

static const char pkg_rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char wb_one[] =
    "<?xml version=\"1.0\"?><workbook xmlns=\"" NS_MAIN "\" xmlns:r=\""
    NS_REL "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
    "</sheets></workbook>";
static const char wb_rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Add a part; level 0 stores it. */
static void
zput(zipFile z, const char *name, const char *data, size_t len, int level)
{
	zip_fileinfo zi;

	memset(&zi, 0, sizeof(zi));
	if (zipOpenNewFileInZip64(z, name, &zi, NULL, 0, NULL, 0, NULL,
	    level ? Z_DEFLATED : 0, level, 1) != ZIP_OK ||
	    zipWriteInFileInZip(z, data, (unsigned)len) != ZIP_OK ||
	    zipCloseFileInZip(z) != ZIP_OK) {
		fprintf(stderr, "t_xlsx: cannot write %s\n", name);
		exit(1);
	}
}

/* A deflated part stored with the CRC-32 given, right or wrong. */
static void
zput_crc(zipFile z, const char *name, const char *data, uLong crc)
{
	zip_fileinfo zi;
	z_stream d;
	unsigned char *out;
	uLong len, bound;

	memset(&zi, 0, sizeof(zi));
	memset(&d, 0, sizeof(d));
	len = (uLong)strlen(data);
	if (deflateInit2(&d, 6, Z_DEFLATED, -MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		fprintf(stderr, "t_xlsx: deflateInit2 failed\n");
		exit(1);
	}
	bound = deflateBound(&d, len);
	out = xmalloc(bound);
	d.next_in = (Bytef *)(uintptr_t)data;
	d.avail_in = (uInt)len;
	d.next_out = out;
	d.avail_out = (uInt)bound;
	if (deflate(&d, Z_FINISH) != Z_STREAM_END ||
	    zipOpenNewFileInZip2(z, name, &zi, NULL, 0, NULL, 0, NULL,
	    Z_DEFLATED, 6, 1) != ZIP_OK ||
	    zipWriteInFileInZip(z, out, (unsigned)d.total_out) != ZIP_OK ||
	    zipCloseFileInZipRaw(z, len, crc) != ZIP_OK) {
		fprintf(stderr, "t_xlsx: cannot write %s\n", name);
		exit(1);
	}
	deflateEnd(&d);
	free(out);
}

static void
zputs(zipFile z, const char *name, const char *data)
{
	zput(z, name, data, strlen(data), 6);
}

static zipFile
zcreate(const char *path)
{
	zipFile z;

	if ((z = zipOpen64(path, APPEND_STATUS_CREATE)) == NULL) {
		fprintf(stderr, "t_xlsx: cannot create %s\n", path);
		exit(1);
	}
	return z;
}

/* The usual package around one sheet; sst and styles may be NULL. */
static void
zpackage(zipFile z, const char *wb, const char *sst, const char *styles)
{
	zputs(z, "_rels/.rels", pkg_rels);
	zputs(z, "xl/workbook.xml", wb != NULL ? wb : wb_one);
	zputs(z, "xl/_rels/workbook.xml.rels", wb_rels);
	if (sst != NULL)
		zputs(z, "xl/sharedStrings.xml", sst);
	if (styles != NULL)
		zputs(z, "xl/styles.xml", styles);
}

/* A one-sheet workbook; the caller frees the path. */
static char *
fixture(const char *name, const char *sheet, const char *sst,
    const char *styles)
{
	char *path;
	zipFile z;

	path = tmp_path(name);
	z = zcreate(path);
	zpackage(z, NULL, sst, styles);
	zputs(z, "xl/worksheets/sheet1.xml", sheet);
	zipClose(z, NULL);
	return path;
}

static void
test_strings(void)
{
	static const char sst[] =
	    "<sst xmlns=\"" NS_MAIN "\">"
	    "<si><t xml:space=\"preserve\"> a  b </t></si>"
	    "<si><r><t>示例</t></r><r><rPr><b/></rPr><t>科技</t></r>"
	    "<rPh sb=\"0\" eb=\"1\"><t>シ</t></rPh></si>"
	    "<si><t>ABC_x000D_\nDEF</t></si>"
	    "<si><t>SH_x005f_x000D_Z002</t></si>"
	    "<si><t>_xD83D__xDE00_ _x00e9_ _xD800_ _x12_ _x0041_x</t></si>"
	    "<si><t></t></si>"
	    "<si><t>&lt;&amp;&gt;&#x4E2D;</t></si>"
	    "</sst>";
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
	    "<c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c>"
	    "<c r=\"F1\" t=\"s\"><v>5</v></c><c r=\"G1\" t=\"s\"><v>6</v></c>"
	    "<c r=\"H1\" t=\"s\"/></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><t>a</t></r>"
	    "<r><t xml:space=\"preserve\"> b</t></r><rPh><t>x</t></rPh></is>"
	    "</c><c r=\"B2\" t=\"str\"><f>A2</f><v>x_x0009_y</v></c>"
	    "<c r=\"C2\" t=\"inlineStr\"><is><t><![CDATA[<cdata>]]></t></is>"
	    "</c></row>"
	    SHEET_TAIL;
	static const char bad[] = SHEET_HEAD
	    "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>99</v></c></row>" SHEET_TAIL;
	struct book b = {0};
	char *path;

	path = fixture("strings.xlsx", sheet, sst, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.opened && b.rc == 0, "strings.xlsx reads");
	is_cell(&b, "S", "A1", CELL_TEXT, " a  b ");
	is_cell(&b, "S", "B1", CELL_TEXT, "示例科技");
	is_cell(&b, "S", "C1", CELL_TEXT, "ABC\r\nDEF");
	is_cell(&b, "S", "D1", CELL_TEXT, "SH_x000D_Z002");
	is_cell(&b, "S", "E1", CELL_TEXT, "😀 é \xef\xbf\xbd _x12_ Ax");
	ok(range_empty(&b, "S", "F1", "F1") && range_empty(&b, "S", "H1",
	    "H1"), "an empty shared string and a t=s cell without <v>");
	is_cell(&b, "S", "G1", CELL_TEXT, "<&>中");
	is_cell(&b, "S", "A2", CELL_TEXT, "a b");
	is_cellf(&b, "S", "B2", CELL_TEXT, "x\ty", CF_FORMULA);
	is_cell(&b, "S", "C2", CELL_TEXT, "<cdata>");

	path = fixture("badsst.xlsx", bad, sst, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "badsst.xlsx:S!B3: error: shared "
	    "string '99' does not exist (the workbook has 7)") != NULL,
	    "a shared string index past the table is an error at its cell");
	book_free(&b);
}

/* A random double from 1e-8 to 1e15 in %.17g, %.16g or %.15g form. */
static void
random_value(char *v, size_t size, long i)
{
	double d;

	d = (rand() / (double)RAND_MAX - 0.5) * pow(10, rand() % 24 - 8);
	snprintf(v, size, i % 3 == 0 ? "%.17g" : i % 3 == 1 ? "%.16g" :
	    "%.15g", d);
}

/*
 * Numbers: whatever the writer spelled, the text is num_shortest() of
 * the value.  Random doubles in %.17g, %.16g and %.15g forms check the
 * reader's own shortest-text path against it.
 */
static void
test_numbers(void)
{
	static const char *const odd[] = {
		"13900000082.0", "1.3900000083E10", "1.003E3", "-0", "0.0",
		"1.5E-7", "1e21", "123456789012345678", "-2.5", "0.0001",
		"0.00001", "2087.0249999999996", "24.199812400000013",
		"999999999999999.9", "0.30000000000000004", "+4", " 7 ",
		"43831.042372685202", "9007199254740993",
		"1.7976931348623157e308",
	};
	static const char *const junk[] = {"0x1A", "1,5", "inf", "nan", "--1"};
	struct buf xml = {0};
	struct book b = {0};
	char v[64], want[NUM_TEXT_MAX], ref[32], name[128];
	const struct cell *c;
	const struct row *r;
	char *path;
	long i, n, bad;
	size_t k;

	buf_adds(&xml, SHEET_HEAD);
	srand(7);
	n = 0;
	for (i = 1; i <= 3000; i++) {
		random_value(v, sizeof(v), i);
		buf_addf(&xml, "<row r=\"%ld\"><c r=\"A%ld\"><v>%s</v></c>"
		    "</row>", i, i, v);
		n++;
	}
	for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
		buf_addf(&xml, "<row r=\"%ld\"><c r=\"A%ld\"><v>%s</v></c>"
		    "</row>", n + 1 + (long)k, n + 1 + (long)k, odd[k]);
	for (k = 0; k < sizeof(junk) / sizeof(junk[0]); k++)
		buf_addf(&xml, "<row r=\"%zu\"><c r=\"B%zu\"><v>%s</v></c>"
		    "</row>", 5000 + k, 5000 + k, junk[k]);
	buf_adds(&xml, SHEET_TAIL);
	path = fixture("numbers.xlsx", buf_str(&xml), NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);

	/* Regenerate the same values and compare. */
	srand(7);
	bad = 0;
	for (i = 1; i <= n; i++) {
		random_value(v, sizeof(v), i);
		num_shortest(want, strtod(v, NULL));
		snprintf(ref, sizeof(ref), "A%ld", i);
		c = find_cell(&b, "S", ref, &r);
		if (c == NULL || c->type != CELL_NUMBER ||
		    strcmp(cell_text(r, c), want) != 0 ||
		    c->num != strtod(v, NULL)) {
			if (bad++ < 5)
				printf("# %s: <v>%s</v> gave '%s', want '%s'\n",
				    ref, v, c ? cell_text(r, c) : "-", want);
		}
	}
	is_int(bad, 0, "3000 random doubles come out as num_shortest()");
	for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
		num_shortest(want, strtod(odd[k], NULL));
		snprintf(ref, sizeof(ref), "A%ld", n + 1 + (long)k);
		snprintf(name, sizeof(name), "<v>%s</v> is %s", odd[k], want);
		c = find_cell(&b, "S", ref, &r);
		ok(c != NULL && c->type == CELL_NUMBER &&
		    strcmp(cell_text(r, c), want) == 0, name);
	}
	for (k = 0; k < sizeof(junk) / sizeof(junk[0]); k++) {
		snprintf(ref, sizeof(ref), "B%zu", 5000 + k);
		is_cell(&b, "S", ref, CELL_TEXT, junk[k]);
	}
	buf_free(&xml);
	book_free(&b);
}

static void
test_formats(void)
{
	static const char styles[] =
	    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"9\">"
	    "<numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm:ss\"/>"
	    "<numFmt numFmtId=\"166\" formatCode=\"h:mm\"/>"
	    "<numFmt numFmtId=\"167\" formatCode=\"0.00%\"/>"
	    "<numFmt numFmtId=\"168\" formatCode=\"&quot;￥&quot;#,##0.00\"/>"
	    "<numFmt numFmtId=\"169\" formatCode=\"@\"/>"
	    "<numFmt numFmtId=\"170\" formatCode=\"General\"/>"
	    "<numFmt numFmtId=\"171\" formatCode=\"0.00_ \"/>"
	    "<numFmt numFmtId=\"14\" formatCode=\"m/d/yyyy\"/>"
	    "<numFmt numFmtId=\"173\" formatCode=\"[$$-409]#,##0.00\"/>"
	    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/>"
	    "</cellStyleXfs><cellXfs count=\"13\">"
	    "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	    "<xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"168\"/>"
	    "<xf numFmtId=\"169\"/><xf numFmtId=\"170\"/><xf numFmtId=\"171\"/>"
	    "<xf numFmtId=\"14\"/><xf numFmtId=\"31\"/><xf numFmtId=\"46\"/>"
	    "<xf numFmtId=\"173\"/></cellXfs><dxfs><dxf><numFmt numFmtId=\"172\" "
	    "formatCode=\"0%\"/></dxf></dxfs></styleSheet>";
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44197</v></c>"
	    "<c r=\"B1\" s=\"1\"><v>44197.5</v></c>"
	    "<c r=\"C1\" s=\"1\"><v>45000.999999999</v></c>"
	    "<c r=\"D1\" s=\"1\"><v>0.99999999999</v></c>"
	    "<c r=\"E1\" s=\"9\"><v>44197</v></c>"
	    "<c r=\"F1\" s=\"10\"><v>44197</v></c></row>"
	    "<row r=\"2\"><c r=\"A2\" s=\"2\"><v>10.6320601851852</v></c>"
	    "<c r=\"B2\" s=\"2\"><v>-0.5</v></c>"
	    "<c r=\"C2\" s=\"11\"><v>1.5</v></c>"
	    "<c r=\"D2\" s=\"3\"><v>0.625</v></c>"
	    "<c r=\"E2\" s=\"3\"><v>1.625</v></c>"
	    "<c r=\"F2\" s=\"3\"><v>0.9999999999</v></c></row>"
	    "<row r=\"3\"><c r=\"A3\" s=\"4\"><v>0.045</v></c>"
	    "<c r=\"B3\" s=\"5\"><v>1234.5</v></c>"
	    "<c r=\"C3\" s=\"6\"><v>13900000081</v></c>"
	    "<c r=\"D3\" s=\"6\" t=\"inlineStr\"><is><t>007</t></is></c>"
	    "<c r=\"E3\" s=\"7\"><v>5</v></c>"
	    "<c r=\"F3\" s=\"8\"><v>1.5</v></c>"
	    "<c r=\"G3\" s=\"99\"><v>5</v></c>"
	    "<c r=\"H3\" s=\"12\"><v>1200</v></c></row>"
	    "<row r=\"4\"><c r=\"A4\" s=\"9\"><v>60</v></c>"
	    "<c r=\"B4\" s=\"9\"><v>-1</v></c>"
	    "<c r=\"C4\" s=\"9\"><v>3000000</v></c>"
	    "<c r=\"D4\" s=\"9\"><v>61</v></c></row>"
	    "<row r=\"5\"><c r=\"A5\" t=\"b\"><v>1</v></c>"
	    "<c r=\"B5\" t=\"b\"><v>0</v></c>"
	    "<c r=\"C5\" t=\"e\"><v>#REF!</v></c>"
	    "<c r=\"D5\" t=\"d\"><v>2021-01-01T00:00:00Z</v></c>"
	    "<c r=\"E5\" t=\"d\"><v>2021-01-01T10:10:10.6</v></c>"
	    "<c r=\"F5\" t=\"d\"><v>bogus</v></c>"
	    "<c r=\"G5\" t=\"d\"><v>2020-02-30</v></c>"
	    "<c r=\"H5\" t=\"d\"><v>23:59:59.7</v></c></row>"
	    SHEET_TAIL;
	static const char wb1904[] =
	    "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
	    "<workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" "
	    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char sheet1904[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
	    "<c r=\"B1\" s=\"1\"><v>42735</v></c>"
	    "<c r=\"C1\" s=\"2\"><v>1.5</v></c></row>" SHEET_TAIL;
	struct book b = {0};
	char *path;
	zipFile z;

	path = fixture("formats.xlsx", sheet, NULL, styles);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.opened && b.rc == 0, "formats.xlsx reads");
	is_cell(&b, "S", "A1", CELL_DATE, "2021-01-01");
	is_cell(&b, "S", "B1", CELL_DATETIME, "2021-01-01 12:00:00");
	is_cell(&b, "S", "C1", CELL_DATE, "2023-03-16");
	is_cell(&b, "S", "D1", CELL_DATE, "1900-01-01");
	is_cell(&b, "S", "E1", CELL_DATE, "2021-01-01");
	is_cell(&b, "S", "F1", CELL_DATE, "2021-01-01");
	is_cell(&b, "S", "A2", CELL_DURATION, "255:10:10");
	is_cell(&b, "S", "B2", CELL_DURATION, "-12:00:00");
	is_cell(&b, "S", "C2", CELL_DURATION, "36:00:00");
	is_cell(&b, "S", "D2", CELL_TIME, "15:00:00");
	is_cell(&b, "S", "E2", CELL_DATETIME, "1900-01-01 15:00:00");
	is_cell(&b, "S", "F2", CELL_TIME, "00:00:00");
	is_cellf(&b, "S", "A3", CELL_NUMBER, "0.045", CF_PERCENT);
	is_cellf(&b, "S", "B3", CELL_NUMBER, "1234.5", CF_CURRENCY);
	is_cellf(&b, "S", "H3", CELL_NUMBER, "1200", CF_CURRENCY);
	{
		const struct cell *c;
		const struct row *r;
		const char *code;

		c = find_cell(&b, "S", "B3", &r);
		code = c != NULL ? numfmt_code(CF_CUR(c->flags)) : NULL;
		ok(code != NULL && strcmp(code, "CNY") == 0,
		    "formats.xlsx B3 \"￥\" names CNY");
		c = find_cell(&b, "S", "H3", &r);
		code = c != NULL ? numfmt_code(CF_CUR(c->flags)) : NULL;
		ok(code != NULL && strcmp(code, "USD") == 0,
		    "formats.xlsx H3 [$$-409] names USD");
	}
	is_cellf(&b, "S", "C3", CELL_NUMBER, "13900000081", CF_TEXTFMT);
	is_cellf(&b, "S", "D3", CELL_TEXT, "007", CF_TEXTFMT);
	is_cell(&b, "S", "E3", CELL_NUMBER, "5");
	is_cell(&b, "S", "F3", CELL_NUMBER, "1.5");
	is_cell(&b, "S", "G3", CELL_NUMBER, "5");
	is_cellf(&b, "S", "A4", CELL_NUMBER, "60", CF_LOSSY);
	is_cellf(&b, "S", "B4", CELL_NUMBER, "-1", CF_LOSSY);
	is_cellf(&b, "S", "C4", CELL_NUMBER, "3000000", CF_LOSSY);
	is_cell(&b, "S", "D4", CELL_DATE, "1900-03-01");
	is_cell(&b, "S", "A5", CELL_BOOL, "TRUE");
	is_cell(&b, "S", "B5", CELL_BOOL, "FALSE");
	is_cell(&b, "S", "C5", CELL_ERROR, "#REF!");
	is_cell(&b, "S", "D5", CELL_DATE, "2021-01-01");
	is_cell(&b, "S", "E5", CELL_DATETIME, "2021-01-01 10:10:11");
	is_cell(&b, "S", "F5", CELL_TEXT, "bogus");
	is_cell(&b, "S", "G5", CELL_TEXT, "2020-02-30");
	is_cell(&b, "S", "H5", CELL_TIME, "00:00:00");

	path = tmp_path("d1904.xlsx");
	z = zcreate(path);
	zpackage(z, wb1904, NULL, styles);
	zputs(z, "xl/worksheets/sheet1.xml", sheet1904);
	zipClose(z, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "S", "A1", CELL_DATE, "1904-01-01");
	is_cell(&b, "S", "B1", CELL_DATE, "2021-01-01");
	is_cell(&b, "S", "C1", CELL_DURATION, "36:00:00");
	book_free(&b);
}

static void
test_positions(void)
{
	static const char sheet[] =
	    "<?xml version=\"1.0\"?>\n<x:worksheet xmlns:x=\"" NS_MAIN "\">\n"
	    "  <x:sheetData>\n"
	    "    <x:row r=\"7\"><x:c r=\"B7\"><x:v>1</x:v></x:c></x:row>\n"
	    "    <x:row><x:c><x:v>2</x:v></x:c><x:c t=\"inlineStr\"><x:is>"
	    "<x:t>b</x:t></x:is></x:c></x:row>\n"
	    "    <x:row><x:c r=\"C10\"><x:v>3</x:v></x:c><x:c><x:v>4</x:v>"
	    "</x:c></x:row>\n"
	    "    <x:row><x:c r=\"D11\" s=\"0\"/></x:row>\n"
	    "    <x:row r=\"12\"><x:c r=\"B12\"><x:v>5</x:v></x:c><x:c><x:v>6"
	    "</x:v></x:c><x:c r=\"A12\"><x:v>7</x:v></x:c></x:row>\n"
	    "  </x:sheetData>\n</x:worksheet>\n";
	struct book b = {0};
	char *path;

	path = fixture("positions.xlsx", sheet, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.opened && b.rc == 0 && b.n == 4, "positions.xlsx: 4 rows");
	is_cell(&b, "S", "B7", CELL_NUMBER, "1");
	is_cell(&b, "S", "A8", CELL_NUMBER, "2");
	is_cell(&b, "S", "B8", CELL_TEXT, "b");
	/* A row without r takes the number of its first cell's r. */
	is_cell(&b, "S", "C10", CELL_NUMBER, "3");
	is_cell(&b, "S", "D10", CELL_NUMBER, "4");
	ok(find_row(&b, "S", 11) == NULL, "a row of styled empty cells is "
	    "not yielded");
	is_cell(&b, "S", "A12", CELL_NUMBER, "7");
	is_cell(&b, "S", "B12", CELL_NUMBER, "5");
	is_cell(&b, "S", "C12", CELL_NUMBER, "6");
	book_free(&b);
}

/*
 * Merges: vertical ranges over rows that have no <row> element, a
 * range past the last row, an anchor row that never comes, an empty
 * anchor, and a covered cell that has a value of its own.
 */
static void
test_merges(void)
{
	static const char sheet[] = SHEET_HEAD
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>T</t></is></c>"
	    "</row>"
	    "<row r=\"2\"><c r=\"A2\"><v>42</v></c><c r=\"C2\"><f>X</f></c>"
	    "</row>"
	    "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>x</t></is></c>"
	    "</row>"
	    "<row r=\"8\"><c r=\"B8\" t=\"inlineStr\"><is><t>z</t></is></c>"
	    "<c r=\"C8\" t=\"inlineStr\"><is><t>k</t></is></c>"
	    "<c r=\"D8\" t=\"inlineStr\"><is><t>own</t></is></c></row>"
	    "<row r=\"21\"><c r=\"F21\" t=\"inlineStr\"><is><t>y</t></is></c>"
	    "</row>"
	    "</sheetData><mergeCells count=\"6\">"
	    "<mergeCell ref=\"B8:B9\"/><mergeCell ref=\"A1:C1\"/>"
	    "<mergeCell ref=\"A2:A6\"/><mergeCell ref=\"D20:E21\"/>"
	    "<mergeCell ref=\"C2:C3\"/><mergeCell ref=\"C8:D8\"/>"
	    "</mergeCells></worksheet>";
	static const long lines[] = {1, 2, 3, 4, 5, 6, 8, 9, 21};
	struct book b = {0};
	const struct cell *c;
	const struct row *r;
	char *path;
	size_t i;
	int pass;

	path = fixture("merges.xlsx", sheet, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	pass = b.rc == 0 && b.n == sizeof(lines) / sizeof(lines[0]);
	for (i = 0; pass && i < b.n; i++)
		pass = b.rows[i].line == lines[i];
	ok(pass, "merges.xlsx yields rows 1-6, 8, 9 and 21 in order");
	is_cellf(&b, "S", "B1", CELL_TEXT, "T", CF_MERGED);
	is_cellf(&b, "S", "C1", CELL_TEXT, "T", CF_MERGED);
	is_cellf(&b, "S", "A3", CELL_NUMBER, "42", CF_MERGED);
	c = find_cell(&b, "S", "A3", &r);
	ok(c != NULL && c->num == 42, "a merged copy keeps the value");
	is_cellf(&b, "S", "A4", CELL_NUMBER, "42", CF_MERGED);
	is_cell(&b, "S", "B4", CELL_TEXT, "x");
	is_cellf(&b, "S", "A6", CELL_NUMBER, "42", CF_MERGED);
	is_cellf(&b, "S", "B9", CELL_TEXT, "z", CF_MERGED);
	/* The anchor C2 is a formula without a value: nothing to copy. */
	ok(range_empty(&b, "S", "C3", "C3"), "an empty anchor fills nothing");
	c = find_cell(&b, "S", "D8", &r);
	ok(c != NULL && strcmp(cell_text(r, c), "own") == 0 &&
	    !(c->flags & CF_MERGED), "a covered cell keeps its own value");
	/* D20 never came: D21:E21 stay empty. */
	ok(range_empty(&b, "S", "D21", "E21"), "a missing anchor row fills "
	    "nothing");
	book_free(&b);
}

/*
 * The package: a workbook at an odd path with absolute, relative and
 * escaped targets, upper-case entry names, hidden sheets, no styles and
 * no shared strings; a zip that is no workbook; a workbook without its
 * rels.
 */
static void
test_package(void)
{
	static const char rels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"a\" Type=\""
	    "http://purl.oclc.org/ooxml/officeDocument/relationships/"
	    "officeDocument\" Target=\"/book/wb.xml\"/></Relationships>";
	static const char wb[] =
	    "<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\""
	    " xmlns:rr=\"http://purl.oclc.org/ooxml/officeDocument/"
	    "relationships\"><sheets>"
	    "<sheet name=\"One\" sheetId=\"1\" rr:id=\"r1\"/>"
	    "<sheet name=\"Two\" sheetId=\"2\" state=\"hidden\" rr:id=\"r2\"/>"
	    "<sheet name=\"Three\" sheetId=\"3\" rr:id=\"r3\"/>"
	    "</sheets></workbook>";
	static const char wbrels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\">"
	    "<Relationship Id=\"r1\" Type=\"http://purl.oclc.org/ooxml/"
	    "officeDocument/relationships/worksheet\" "
	    "Target=\"/data/sheet%201.xml\"/>"
	    "<Relationship Id=\"r2\" Type=\"http://purl.oclc.org/ooxml/"
	    "officeDocument/relationships/worksheet\" "
	    "Target=\"./sub/../two.xml\"/>"
	    "<Relationship Id=\"r3\" Type=\"http://purl.oclc.org/ooxml/"
	    "officeDocument/relationships/worksheet\" "
	    "Target=\"../data/three.xml\"/>"
	    "<Relationship Id=\"x\" Type=\"http://purl.oclc.org/ooxml/"
	    "officeDocument/relationships/hyperlink\" "
	    "Target=\"http://example.com/\" TargetMode=\"External\"/>"
	    "</Relationships>";
	static const char one[] = "<worksheet xmlns=\"http://purl.oclc.org/"
	    "ooxml/spreadsheetml/main\"><sheetData><row r=\"1\"><c r=\"A1\">"
	    "<v>1</v></c></row></sheetData></worksheet>";
	static const char two[] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>2"
	    "</v></c></row>" SHEET_TAIL;
	static const char three[] = SHEET_HEAD "<row r=\"5\"><c r=\"A5\"><v>3"
	    "</v></c></row>" SHEET_TAIL;
	struct book b = {0};
	char *path;
	zipFile z;

	path = tmp_path("package.xlsx");
	z = zcreate(path);
	zputs(z, "_rels/.rels", rels);
	zputs(z, "book/wb.xml", wb);
	zputs(z, "book/_rels/wb.xml.rels", wbrels);
	zputs(z, "DATA/Sheet 1.xml", one);
	zputs(z, "book/two.xml", two);
	zputs(z, "data\\three.xml", three);
	zipClose(z, NULL);
	book_load(&b, path, NULL, 1);
	ok(b.opened && b.rc == 0 && b.n == 2 &&
	    strcmp(b.sheets[0], "One") == 0 &&
	    strcmp(b.sheets[1], "Three") == 0,
	    "every visible sheet, in order, each row with its sheet");
	is_cell(&b, "One", "A1", CELL_NUMBER, "1");
	is_cell(&b, "Three", "A5", CELL_NUMBER, "3");
	book_load(&b, path, NULL, 0);
	ok(b.n == 1 && strcmp(b.sheets[0], "One") == 0,
	    "the first visible sheet by default");
	book_load(&b, path, "Two", 0);
	is_cell(&b, "Two", "A1", CELL_NUMBER, "2");
	book_load(&b, path, "4", 0);
	ok(!b.opened && strstr(errors(), "no sheet '4' in this workbook; "
	    "it has 'One', 'Two' (hidden), 'Three'") != NULL,
	    "--sheet 4 of 3 is an error listing the sheets");
	free(path);

	path = tmp_path("notabook.xlsx");
	z = zcreate(path);
	zputs(z, "hello.txt", "hello");
	zipClose(z, NULL);
	book_load(&b, path, NULL, 0);
	ok(!b.opened && strstr(errors(), "notabook.xlsx: error: not a valid "
	    "xlsx file: no workbook part") != NULL,
	    "a zip without a workbook is refused");
	free(path);

	/* Without xl/_rels/workbook.xml.rels the usual names are tried. */
	path = tmp_path("norels.xlsx");
	z = zcreate(path);
	zputs(z, "_rels/.rels", pkg_rels);
	zputs(z, "xl/workbook.xml", wb_one);
	zputs(z, "xl/worksheets/sheet1.xml", two);
	zipClose(z, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	is_cell(&b, "S", "A1", CELL_NUMBER, "2");
	book_free(&b);
}

/* Write a sheet of a million empty styled rows after three rows. */
static char *
empty_tail_fixture(void)
{
	struct buf xml = {0};
	zip_fileinfo zi;
	char *path;
	zipFile z;
	long i;

	path = tmp_path("tail.xlsx");
	z = zcreate(path);
	zpackage(z, NULL, NULL, "<styleSheet xmlns=\"" NS_MAIN "\">"
	    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
	    "</styleSheet>");
	memset(&zi, 0, sizeof(zi));
	zipOpenNewFileInZip64(z, "xl/worksheets/sheet1.xml", &zi, NULL, 0,
	    NULL, 0, NULL, Z_DEFLATED, 1, 1);
	buf_adds(&xml, "<worksheet xmlns=\"" NS_MAIN "\"><dimension "
	    "ref=\"A1:XFD1048576\"/><sheetData>");
	for (i = 1; i <= 3; i++)
		buf_addf(&xml, "<row r=\"%ld\"><c r=\"A%ld\"><v>%ld</v></c>"
		    "</row>", i, i, i);
	for (i = 4; i <= 1000003; i++) {
		buf_addf(&xml, "<row r=\"%ld\" s=\"1\" customFormat=\"1\">"
		    "<c r=\"A%ld\" s=\"1\"/></row>", i, i);
		if (xml.len > 60000) {
			zipWriteInFileInZip(z, xml.s, (unsigned)xml.len);
			buf_reset(&xml);
		}
	}
	buf_adds(&xml, "</sheetData></worksheet>");
	zipWriteInFileInZip(z, xml.s, (unsigned)xml.len);
	zipCloseFileInZip(z);
	zipClose(z, NULL);
	buf_free(&xml);
	return path;
}

/* A sheet part of about 100 MiB of blanks: deflate packs it 1000:1. */
static char *
bomb_fixture(void)
{
	zip_fileinfo zi;
	char *path, *blank;
	zipFile z;
	int i;

	path = tmp_path("bomb.xlsx");
	z = zcreate(path);
	zpackage(z, NULL, NULL, NULL);
	memset(&zi, 0, sizeof(zi));
	zipOpenNewFileInZip64(z, "xl/worksheets/sheet1.xml", &zi, NULL, 0,
	    NULL, 0, NULL, Z_DEFLATED, 9, 1);
	zipWriteInFileInZip(z, SHEET_HEAD, (unsigned)strlen(SHEET_HEAD));
	blank = xmalloc(1 << 20);
	memset(blank, ' ', 1 << 20);
	for (i = 0; i < 100; i++)
		zipWriteInFileInZip(z, blank, 1 << 20);
	zipWriteInFileInZip(z, SHEET_TAIL, (unsigned)strlen(SHEET_TAIL));
	zipCloseFileInZip(z);
	zipClose(z, NULL);
	free(blank);
	return path;
}

/* One inline string of 33 MiB: past the 32 MiB a cell may hold. */
static char *
long_text_fixture(void)
{
	static const char head[] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\" "
	    "t=\"inlineStr\"><is><t>";
	static const char tail[] = "</t></is></c></row>" SHEET_TAIL;
	zip_fileinfo zi;
	char *path, *text;
	zipFile z;
	int i;

	path = tmp_path("longtext.xlsx");
	z = zcreate(path);
	zpackage(z, NULL, NULL, NULL);
	memset(&zi, 0, sizeof(zi));
	zipOpenNewFileInZip64(z, "xl/worksheets/sheet1.xml", &zi, NULL, 0,
	    NULL, 0, NULL, Z_DEFLATED, 1, 1);
	zipWriteInFileInZip(z, head, (unsigned)strlen(head));
	text = xmalloc(1 << 20);
	memset(text, 'a', 1 << 20);
	for (i = 0; i < 33; i++)
		zipWriteInFileInZip(z, text, 1 << 20);
	zipWriteInFileInZip(z, tail, (unsigned)strlen(tail));
	zipCloseFileInZip(z);
	zipClose(z, NULL);
	free(text);
	return path;
}

/*
 * Names are read without namespace processing: a prefix, declared or
 * not, is dropped, and a namespace declaration is no attribute (the
 * xmlns:id below is not the sheet's relationship id).
 */
static void
test_prefixes(void)
{
	static const char rels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"a\" Type=\""
	    "http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
	    "</Relationships>";
	static const char wb[] =
	    "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas."
	    "openxmlformats.org/officeDocument/2006/relationships\">"
	    "<x:sheets><x:sheet xmlns:id=\"urn:not-an-id\" name=\"P\""
	    " sheetId=\"1\" r:id=\"s1\"/></x:sheets></x:workbook>";
	static const char wbrels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"s1\" Type=\""
	    "http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	    "</Relationships>";
	/* y: is declared nowhere. */
	static const char sheet[] = "<y:worksheet><y:sheetData>"
	    "<y:row r=\"1\"><y:c r=\"A1\" t=\"inlineStr\"><y:is><y:t>客户"
	    "</y:t></y:is></y:c><y:c r=\"B1\"><y:v>12.5</y:v></y:c></y:row>"
	    "</y:sheetData></y:worksheet>";
	struct book b = {0};
	char *path;
	zipFile z;

	path = tmp_path("prefixes.xlsx");
	z = zcreate(path);
	zputs(z, "_rels/.rels", rels);
	zputs(z, "xl/workbook.xml", wb);
	zputs(z, "xl/_rels/workbook.xml.rels", wbrels);
	zputs(z, "xl/worksheets/sheet1.xml", sheet);
	zipClose(z, NULL);
	book_load(&b, path, NULL, 0);
	ok(b.opened && b.rc == 0 && b.n == 1 && strcmp(b.sheets[0], "P") == 0,
	    "prefixed names, an undeclared prefix, xmlns:id beside r:id");
	is_cell(&b, "P", "A1", CELL_TEXT, "客户");
	is_cell(&b, "P", "B1", CELL_NUMBER, "12.5");
	book_free(&b);
	unlink(path);
	free(path);
}

static void
test_hostile(void)
{
	static const char laughs[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY l1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\">"
	    "<!ENTITY l3 \"&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;\">"
	    "<!ENTITY l4 \"&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;\">"
	    "<!ENTITY l5 \"&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;\">"
	    "<!ENTITY l6 \"&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;&l5;\">"
	    "<!ENTITY l7 \"&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;&l6;\">"
	    "<!ENTITY l8 \"&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;&l7;\">"
	    "<!ENTITY l9 \"&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;&l8;\">]>"
	    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
	    "<c r=\"A1\" t=\"inlineStr\"><is><t>&l9;</t></is></c></row>"
	    SHEET_TAIL;
	static const char xfe[] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1"
	    "</v></c><c r=\"XFE1\"><v>1</v></c></row>" SHEET_TAIL;
	static const char xfd[] = SHEET_HEAD "<row r=\"2\"><c r=\"XFD2\"><v>1"
	    "</v></c><c><v>2</v></c></row>" SHEET_TAIL;
	static const char deep[] = SHEET_HEAD "<row r=\"1048577\"><c><v>1</v>"
	    "</c></row>" SHEET_TAIL;
	static const char broken[] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\">"
	    "<v>1</v></c></rox>" SHEET_TAIL;
	struct book b = {0};
	struct stat st;
	const char *e;
	char *path, *data;
	double t;
	FILE *fp;
	long size, i;
	zipFile z;

	/* Billion laughs: refused at the DOCTYPE, before any expansion. */
	path = fixture("laughs.xlsx", laughs, NULL, NULL);
	t = now();
	book_load(&b, path, NULL, 0);
	free(path);
	e = errors();
	ok(b.rc == -1 && b.n == 0 && strstr(e, "laughs.xlsx:S: error: not "
	    "a valid xlsx file: xl/worksheets/sheet1.xml has a DOCTYPE "
	    "declaration (entity expansion attack?)") != NULL,
	    "a DOCTYPE in a sheet is an error");
	ok(now() - t < 5, "and a fast one");
	path = tmp_path("laughs-wb.xlsx");
	z = zcreate(path);
	zpackage(z, "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"b\">]>"
	    "<workbook/>", NULL, NULL);
	zipClose(z, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(!b.opened && strstr(errors(), "xl/workbook.xml has a DOCTYPE") !=
	    NULL, "a DOCTYPE in the workbook is an error at open");

	/* Truncated: the zip directory at the end is gone. */
	path = fixture("whole.xlsx", xfe, NULL, NULL);
	stat(path, &st);
	data = xmalloc((size_t)st.st_size);
	fp = fopen(path, "rb");
	size = (long)fread(data, 1, (size_t)st.st_size, fp);
	fclose(fp);
	free(path);
	path = tmp_path("truncated.xlsx");
	fp = fopen(path, "wb");
	fwrite(data, 1, (size_t)size * 2 / 3, fp);
	fclose(fp);
	book_load(&b, path, NULL, 0);
	ok(!b.opened && strstr(errors(), "truncated.xlsx: error: not a valid "
	    "xlsx file: cannot read the zip directory") != NULL,
	    "a truncated zip is refused at open, naming the file");
	free(path);
	free(data);

	/* A stored sheet with one byte changed: the CRC tells. */
	path = tmp_path("crc.xlsx");
	z = zcreate(path);
	zpackage(z, NULL, NULL, NULL);
	zput(z, "xl/worksheets/sheet1.xml", SHEET_HEAD "<row r=\"1\"><c "
	    "r=\"A1\" t=\"inlineStr\"><is><t>hello</t></is></c></row>"
	    SHEET_TAIL, strlen(SHEET_HEAD SHEET_TAIL) + 60, 0);
	zipClose(z, NULL);
	fp = fopen(path, "r+b");
	data = xmalloc(1 << 16);
	size = (long)fread(data, 1, 1 << 16, fp);
	for (e = NULL, i = 0; e == NULL && i + 5 <= size; i++)
		if (memcmp(data + i, "hello", 5) == 0)
			e = data + i;
	if (e != NULL) {
		fseek(fp, (long)(e - data), SEEK_SET);
		fputs("jello", fp);
	}
	fclose(fp);
	free(data);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(e != NULL && b.rc == -1 && strstr(errors(), "xl/worksheets/"
	    "sheet1.xml: CRC mismatch (damaged file)") != NULL,
	    "a damaged part is an error");

	/*
	 * A deflated sheet with a wrong CRC, with and without merged
	 * ranges.  The pass over the cells inflates without checking: the
	 * merge scan must have refused the part before any row.
	 */
	for (i = 0; i < 2; i++) {
		const char *xml = i == 0 ? SHEET_HEAD "<row r=\"1\"><c "
		    "r=\"A1\" t=\"inlineStr\"><is><t>hello</t></is></c>"
		    "</row>" SHEET_TAIL : SHEET_HEAD "<row r=\"1\"><c "
		    "r=\"A1\" t=\"inlineStr\"><is><t>hello</t></is></c>"
		    "</row></sheetData><mergeCells count=\"1\"><mergeCell "
		    "ref=\"A1:B1\"/></mergeCells></worksheet>";

		path = tmp_path("crc-deflated.xlsx");
		z = zcreate(path);
		zpackage(z, NULL, NULL, NULL);
		zput_crc(z, "xl/worksheets/sheet1.xml", xml,
		    crc32(0, (const Bytef *)xml, (uInt)strlen(xml)) ^ 1);
		zipClose(z, NULL);
		book_load(&b, path, NULL, 0);
		free(path);
		ok(b.rc == -1 && b.n == 0 && strstr(errors(), "xl/worksheets/"
		    "sheet1.xml: CRC mismatch (damaged file)") != NULL,
		    i == 0 ? "a deflated sheet with a wrong CRC yields no row" :
		    "a deflated sheet with merges and a wrong CRC yields no "
		    "row");
	}

	path = fixture("xfe.xlsx", xfe, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "xfe.xlsx:S: error: cell XFE1 is "
	    "past the last column XFD") != NULL,
	    "a cell past column XFD is an error naming it");
	path = fixture("xfd.xlsx", xfd, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "a cell after XFD2 is past the "
	    "last column XFD") != NULL,
	    "a cell without r after XFD is an error");
	path = fixture("deep.xlsx", deep, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "row 1048577 is past the last row "
	    "1048576") != NULL, "a row past 1048576 is an error");
	path = fixture("broken.xlsx", broken, NULL, NULL);
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "broken.xlsx:S: error: not a "
	    "valid xlsx file: xl/worksheets/sheet1.xml: line 1: mismatched "
	    "tag") != NULL, "malformed XML is an error with its line");

	/* A million styled empty rows cost little and yield nothing. */
	path = empty_tail_fixture();
	t = now();
	book_load(&b, path, NULL, 0);
	t = now() - t;
	free(path);
	ok(b.rc == 0 && b.n == 3 && b.rows[2].line == 3,
	    "a million empty styled rows after the data yield nothing");
	ok(t < 20, "and read quickly");
	printf("# a million empty rows read in %.2f s\n", t);

	path = long_text_fixture();
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "longtext.xlsx:S!A1: error: cell "
	    "text longer than 32 MiB (hostile file?)") != NULL,
	    "a cell text past 32 MiB is refused");

	path = bomb_fixture();
	t = now();
	book_load(&b, path, NULL, 0);
	free(path);
	ok(b.rc == -1 && strstr(errors(), "xl/worksheets/sheet1.xml inflates "
	    "to more than 1000 times its compressed size: refusing it (zip "
	    "bomb?)") != NULL, "a part that inflates 1000:1 is refused");
	ok(now() - t < 20, "before inflating it all");
	book_free(&b);
}

int
main(void)
{
	static const char *const cands[] = {
		"../shared", "../../shared", "../../../shared",
	};
	struct stat st;
	char probe[512];
	const char *env, *dir;
	size_t i;

	errfp = tmpfile();
	diag_init("t_xlsx", errfp);
	/* $SALES_SHARED, else ../shared from the repository's root. */
	env = getenv("SALES_SHARED");
	for (i = 0; shared == NULL && i <= sizeof(cands) / sizeof(cands[0]);
	    i++) {
		dir = i == 0 ? env : cands[i - 1];
		if (dir == NULL || *dir == '\0')
			continue;
		snprintf(probe, sizeof(probe), "%s/corpus/EXPECTED.md", dir);
		if (stat(probe, &st) == 0)
			shared = dir;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s/t_xlsx.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("t_xlsx: mkdtemp");
		return 1;
	}

	test_numfmt();
	if (shared != NULL) {
		test_corpus_tables();
		test_corpus_special();
		test_cases();
	} else {
		skip("corpus/EXPECTED.md xlsx rows", "no shared folder");
		skip("shared/cases B08 B10 B14 B16 B18 B20",
		    "no shared folder");
	}
	test_strings();
	test_numbers();
	test_formats();
	test_positions();
	test_merges();
	test_package();
	test_prefixes();
	test_hostile();

	snprintf(probe, sizeof(probe), "rm -rf '%s'", tmpdir);
	if (system(probe) != 0)
		fprintf(stderr, "t_xlsx: cannot remove %s\n", tmpdir);
	fclose(errfp);
	return tap_done();
}
