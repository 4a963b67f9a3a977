/*
 * The CSV reader against the public corpus (shared/corpus/EXPECTED.md,
 * when present) and against small files written here: encodings, BOMs,
 * delimiters, quoted newlines, record line numbers, undecodable bytes.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "row.h"
#include "textin.h"
#include "tap.h"

#define MAXREC 10000

struct table {
	struct row	 rows[MAXREC];
	int		 n;
	char		 enc[24];
	int		 failed;
};

static struct table t;
static char shared[512];

static void
load_opts(const char *path, const struct reader_opts *o)
{
	struct reader *r;
	int rc = 0;

	for (int i = 0; i < t.n; i++)
		row_free(&t.rows[i]);
	t.n = 0;
	t.failed = 0;
	t.enc[0] = '\0';
	if ((r = reader_open(path, FMT_CSV, o)) == NULL) {
		t.failed = 1;
		return;
	}
	snprintf(t.enc, sizeof(t.enc), "%s", r->encoding);
	row_init(&t.rows[0]);
	while (t.n < MAXREC && (rc = reader_next(r, &t.rows[t.n])) == 1)
		row_init(&t.rows[++t.n]);
	if (rc < 0)
		t.failed = 1;
	row_free(&t.rows[t.n]);
	reader_close(r);
}

static void
load(const char *path)
{
	struct reader_opts o;

	memset(&o, 0, sizeof(o));
	load_opts(path, &o);
}

/* Field f (1-based) of record rec (0 = header), "" when absent. */
static const char *
field(int rec, int f)
{
	if (rec < 0 || rec >= t.n)
		return "(no such record)";
	return row_text(&t.rows[rec], (size_t)f - 1);
}

static int
corpus(const char *name)
{
	char path[1024];

	if (shared[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s/corpus/%s", shared, name);
	load(path);
	return 1;
}

static void
write_file(const char *path, const char *data)
{
	FILE *fp = fopen(path, "wb");

	fwrite(data, 1, strlen(data), fp);
	fclose(fp);
}

static void
test_corpus_crm(void)
{
	if (!corpus("crm/maven_sales_pipeline.csv")) {
		skip("maven CRM files", "no shared corpus");
		return;
	}
	is_int(t.n, 8801, "maven pipeline: 8800 records + header");
	is_str(t.enc, "UTF-8", "maven pipeline: UTF-8");
	is_str(field(0, 1), "opportunity_id", "maven pipeline header 1");
	is_str(field(1, 1), "1C1I7A6R", "maven pipeline 1/1");
	is_str(field(1, 8), "1054", "maven pipeline 1/8");
	is_str(field(2, 3), "GTXPro", "maven pipeline 2/3");
	is_str(field(8800, 1), "8I5ONXJX", "maven pipeline 8800/1");
	is_str(field(8800, 4), "", "maven pipeline 8800/4 empty");
	is_int(t.rows[8800].line, 8801, "maven pipeline: last record line");

	corpus("crm/maven_sales_pipeline_excel_resaved_usdates.csv");
	is_int(t.n, 8801, "maven us dates: 8800 records");
	is_str(field(1, 6), "10/20/2016", "maven us dates 1/6");
	is_str(field(1, 7), "3/1/2017", "maven us dates 1/7");

	corpus("crm/maven_accounts.csv");
	is_int(t.n, 86, "maven accounts: 85 records");
	is_str(field(1, 1), "Acme Corporation", "accounts 1/1");
	is_str(field(1, 2), "technolgy", "accounts 1/2 typo kept");
	is_str(field(1, 4), "1100.04", "accounts 1/4");
	is_str(field(85, 1), "Zumgoity", "accounts 85/1");

	corpus("crm/maven_products.csv");
	is_int(t.n, 8, "maven products: 7 records");
	is_str(field(2, 1), "GTX Pro", "products 2/1");
	is_str(field(2, 3), "4821", "products 2/3");
	is_str(field(7, 1), "GTK 500", "products 7/1");
	is_str(field(7, 3), "26768", "products 7/3");

	corpus("crm/maven_sales_teams.csv");
	is_int(t.n, 36, "maven teams: 35 records");
	is_str(field(1, 1), "Anna Snelling", "teams 1/1");
	is_str(field(1, 2), "Dustin Brinkmann", "teams 1/2");
	is_str(field(35, 3), "West", "teams 35/3");

	corpus("crm/maven_data_dictionary.csv");
	is_int(t.n, 22, "data dictionary: 21 records");
	is_str(field(18, 3),
	    "Sales pipeline stage (Prospecting > Engaging > Won / Lost)",
	    "data dictionary 18/3");
	is_str(field(19, 3),
	    "Date in which the \"Engaging\" deal stage was initiated",
	    "data dictionary 19/3 doubled quotes");
	is_str(field(15, 3), "Sales agent ", "data dictionary 15/3 space kept");

	corpus("crm/salesforce_wave_Opportunity_crlf.csv");
	is_int(t.n, 5198, "salesforce opportunities: 5197 records");
	is_str(field(0, 4), "Account.External_Id__c", "sf opp header 4");
	is_str(field(1, 1), "W_Opportunity.127", "sf opp 1/1");
	is_str(field(1, 3), "6406", "sf opp 1/3");
	is_str(field(1, 8), "Closed Won", "sf opp 1/8");
	{
		long long sum = 0;
		int i, mojibake = 0;

		for (i = 1; i < t.n; i++) {
			sum += atoll(field(i, 3));
			if (strcmp(field(i, 1), "W_Opportunity.6302") == 0)
				mojibake = strcmp(field(i, 6), "Oc\xc3\x83\xc2"
				    "\xa9 Production Printing Systems 112") == 0;
		}
		is_int(sum, 456577120, "sf opp SUM(Amount)");
		ok(mojibake, "sf opp 6302: mojibake bytes kept as they are");
	}

	corpus("crm/salesforce_wave_Lead_crlf.csv");
	is_int(t.n, 1308, "salesforce leads: 1307 records");
	is_str(field(1, 1), "W_Opportunity.907", "sf lead 1/1");
	is_str(field(1, 6), "2016-10-20 00:00:00", "sf lead 1/6");
	is_str(field(2, 1), "", "sf lead 2/1 empty");
	is_str(field(1307, 7), "W_Lead.1307", "sf lead 1307/7");

	corpus("crm/salesforce_wave_Product2.csv");
	is_int(t.n, 12, "salesforce products: 11 records");
	is_str(field(1, 2), "Tires & Wheels", "sf product 1/2");
	is_str(field(11, 1), "RV Shelters", "sf product 11/1");

	corpus("crm/suitecrm8_leads_export.csv");
	is_int(t.n, 2, "suitecrm: 1 record, no final newline");
	is_str(field(0, 1), "First Name", "suitecrm header 1");
	is_str(field(1, 7), "Gifted Holdings AG", "suitecrm 1/7");
	is_str(field(1, 31),
	    "I would like to request the prices of your products",
	    "suitecrm 1/31");
	is_int(t.rows[0].ncells, 61, "suitecrm: 61 columns");

	corpus("crm/odoo_o2m_customers_contacts.csv");
	is_int(t.n, 9, "odoo contacts: 8 records");
	is_str(field(1, 7), "San Jos\xc3\xa9", "odoo contacts 1/7");
	is_str(field(2, 3), "Aurora Shelves", "odoo contacts 2/3");
	is_str(field(8, 8), "D.C.", "odoo contacts 8/8");

	corpus("crm/odoo_m2m_customers_tags.csv");
	is_int(t.n, 6, "odoo tags: 5 records");
	is_str(field(1, 1), "Credit & Leasing", "odoo tags 1/1");
	is_str(field(3, 3), "Manufacturer,Retailer", "odoo tags 3/3");
	is_str(field(5, 6), "Shenzen", "odoo tags 5/6");
}

static void
test_corpus_encodings(void)
{
	if (!corpus("csv-encodings/cn_taobao_orders_gbk.csv")) {
		skip("csv-encodings files", "no shared corpus");
		return;
	}
	is_int(t.n, 51, "taobao gbk: 50 records");
	is_str(t.enc, "GB18030", "taobao gbk: detected GB18030");
	is_str(field(0, 5), "订单付款时间 ", "taobao gbk header 5");
	is_str(field(1, 3), "周某某", "taobao gbk 1/3");
	is_str(field(1, 5), "2018/5/16 9:41", "taobao gbk 1/5");
	is_str(field(50, 1), "mrhy50", "taobao gbk 50/1");

	corpus("csv-encodings/cn_taobao_orders_gbk_tab.txt");
	is_int(t.n, 51, "taobao tab: 50 records");
	is_str(field(1, 4), "零基础学Python", "taobao tab 1/4 (tab sniffed)");
	is_str(field(50, 2), "48.86", "taobao tab 50/2");

	corpus("csv-encodings/cn_jd_books_gbk.csv");
	is_int(t.n, 34, "jd books: 33 records");
	is_str(field(1, 1), "ASP.NET项目开发实战入门（全彩版）", "jd 1/1");
	is_str(field(1, 2), "编程语言与程序设计", "jd 1/2");
	is_str(field(33, 1), "Visual Basic精彩编程200例（全彩版）", "jd 33/1");

	corpus("csv-encodings/cn_scores_gbk_questionmark_sep.csv");
	is_int(t.n, 5, "scores: 4 records, ? sniffed");
	is_str(field(0, 1), "", "scores header 1 empty");
	is_str(field(0, 3), "语文", "scores header 3");
	is_str(field(1, 5), "99.0", "scores 1/5");
	is_str(field(4, 5), "", "scores 4/5 empty");

	corpus("csv-encodings/easyexcel_bom_utf16le.csv");
	is_int(t.n, 11, "utf16le: 10 records");
	is_str(t.enc, "UTF-16LE", "utf16le detected by BOM");
	is_str(field(0, 1), "姓名", "utf16le header 1");
	is_str(field(0, 2), "年纪", "utf16le header 2");
	is_str(field(10, 1), "姓名9", "utf16le 10/1");

	corpus("csv-encodings/easyexcel_bom_utf16be.csv");
	is_int(t.n, 11, "utf16be: 10 records");
	is_str(t.enc, "UTF-16BE", "utf16be detected by BOM");
	is_str(field(1, 1), "姓名0", "utf16be 1/1");
	is_str(field(10, 2), "9", "utf16be 10/2");

	corpus("csv-encodings/easyexcel_bom_utf8.csv");
	is_int(t.n, 11, "utf8 bom: 10 records");
	is_str(t.enc, "UTF-8-BOM", "utf8 bom detected");
	is_str(field(0, 1), "姓名", "utf8 bom: BOM not part of the header");
	is_str(field(5, 2), "4", "utf8 bom 5/2");

	corpus("csv-encodings/easyexcel_office_bom_utf8bom.csv");
	is_int(t.n, 11, "office bom: 10 records");
	is_str(field(0, 1), "姓名", "office bom header 1");
	is_str(field(1, 2), "20", "office bom 1/2");

	corpus("csv-encodings/easyexcel_no_bom_utf8.csv");
	is_int(t.n, 11, "no bom: 10 records");
	is_str(t.enc, "UTF-8", "no bom: UTF-8");
	is_str(field(10, 1), "姓名9", "no bom 10/1");

	corpus("csv-encodings/easyexcel_converter_utf8bom.csv");
	is_int(t.n, 2, "converter: 1 record");
	is_str(field(0, 3), "大数的字符串，大整数的布尔(不支持)", "converter h3");
	is_str(field(1, 7), "TRUE", "converter 1/7");
	is_str(field(1, 35), "#VALUE!", "converter 1/35");
	is_str(field(1, 37), "1测试", "converter 1/37");
	is_int(t.rows[0].ncells, 37, "converter: 37 header fields");
	/*
	 * EXPECTED.md says 37 fields in the data row too, but the row
	 * really has 38 (a trailing date); Python's csv module agrees.
	 */
	is_int(t.rows[1].ncells, 38, "converter: 38 data fields");

	corpus("csv-encodings/easyexcel_demo_utf8bom.csv");
	is_int(t.n, 11, "demo: 10 records");
	is_str(field(0, 2), "日期标题", "demo header 2");
	is_str(field(1, 2), "2020-01-01 01:01:00", "demo 1/2");
	is_str(field(10, 3), "10", "demo 10/3");

	corpus("csv-encodings/csvkit_utf16le_bom.csv");
	is_int(t.n, 3, "csvkit utf16: 2 records");
	is_str(field(2, 3), "\xca\xa4", "csvkit utf16 2/3");

	corpus("csv-encodings/csvkit_mac_cr_newlines_quoted.csv");
	is_int(t.n, 3, "mac CR: 2 records");
	is_str(field(2, 1), "Once upon\ra time", "mac CR 2/1");
	is_str(field(2, 3), "6", "mac CR 2/3");

	corpus("csv-encodings/csvkit_header_with_ctrl_chars_crlf.csv");
	is_int(t.n, 2, "ctrl header: 1 record");
	is_str(field(0, 1), "\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r",
	    "ctrl header 1 exact");
	is_str(field(1, 3), "f", "ctrl header 1/3");

	corpus("csv-encodings/csvkit_ragged_rows.csv");
	is_int(t.n, 4, "ragged: 3 records");
	is_str(field(1, 4), "I'm too long!", "ragged 1/4");
	is_str(field(2, 2), "I'm too short!", "ragged 2/2");
	is_int(t.rows[0].nfields, 3, "ragged: header 3 fields");
	is_int(t.rows[1].nfields, 4, "ragged: record 1 has 4");
	is_int(t.rows[2].nfields, 2, "ragged: record 2 has 2");
	is_int(t.rows[3].nfields, 3, "ragged: record 3 has 3");

	corpus("csv-encodings/csvkit_locale_comma_decimal.csv");
	is_str(field(1, 1), "1,7", "comma decimal 1/1");
	is_str(field(1, 2), "200.000.000", "comma decimal 1/2");
	is_str(field(1, 3), "", "comma decimal 1/3");

	corpus("csv-encodings/csvkit_leading_zeroes.csv");
	is_str(field(1, 1), "01", "leading zeroes 1/1");
	is_str(field(1, 2), "00.11", "leading zeroes 1/2");
	is_str(field(1, 3), "0.1", "leading zeroes 1/3");

	corpus("csv-encodings/csvkit_null_byte.csv");
	is_int(t.n, 2, "null byte: 1 record");
	is_int(t.rows[1].cells[0].len, 1, "null byte: field 1 is one byte");
	ok(field(1, 1)[0] == '\0', "null byte: field 1 is NUL");
	is_str(field(1, 2), "2", "null byte 1/2");

	corpus("csv-encodings/frictionless_semicolon_leading_zero.csv");
	is_str(field(0, 2), "fieldNameB", "semicolon header 2");
	is_str(field(1, 1), "0123", "semicolon 1/1");
	is_str(field(1, 2), "c", "semicolon 1/2");

	corpus("csv-encodings/csvspectrum_comma_in_quotes.csv");
	is_int(t.n, 2, "spectrum comma in quotes: 1 record");
	is_str(field(1, 5), "08123", "spectrum zip keeps its zero");
	is_str(field(1, 4), "Anytown, WW", "spectrum comma inside quotes");

	corpus("csv-encodings/csvspectrum_empty_crlf.csv");
	is_int(t.n, 3, "spectrum empty crlf: 2 records");
	is_str(field(1, 2), "", "spectrum empty 1/2");
	is_str(field(2, 3), "4", "spectrum empty 2/3");

	corpus("csv-encodings/csvspectrum_escaped_quotes.csv");
	is_int(t.n, 3, "spectrum escaped quotes: 2 records");
	is_str(field(1, 2), "ha \"ha\" ha", "spectrum escaped quotes");

	corpus("csv-encodings/csvspectrum_json.csv");
	is_str(field(1, 2),
	    "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}",
	    "spectrum json field");

	corpus("csv-encodings/csvspectrum_newlines_crlf.csv");
	is_int(t.n, 4, "spectrum newlines: 3 records");
	is_str(field(2, 1), "Once upon \r\na time", "spectrum CRLF in quotes");

	corpus("csv-encodings/csvspectrum_quotes_and_newlines.csv");
	is_int(t.n, 3, "spectrum quotes and newlines: 2 records");
	is_str(field(1, 2), "ha \n\"ha\" \nha", "spectrum quotes and newlines");
}

static void
test_cases(void)
{
	load("tests/data/cases/B04/crlf_multiline_ragged.csv");
	is_int(t.n, 6, "B04: header + 5 records");
	is_str(field(0, 4), "备注", "B04: last header has no CR");
	is_str(field(1, 4), "第一行\n第二行", "B04: LF inside quotes");
	is_str(field(2, 1), "示例\"星辰\"网络有限公司", "B04: doubled quotes");
	is_int(t.rows[3].nfields, 2, "B04: short record has 2 fields");
	is_int(t.rows[4].nfields, 5, "B04: long record has 5 fields");
	is_int(t.rows[4].line, 6, "B04: long record starts on line 6");
	is_int(t.rows[5].line, 7, "B04: last record starts on line 7");
	is_str(field(5, 4), "以逗号,结尾", "B04: last record without newline");

	load("tests/data/cases/B01/export_gbk.csv");
	is_str(t.enc, "GB18030", "B01: GBK detected as GB18030");
	is_str(field(0, 1), "客户名称", "B01: header 1");
	is_str(field(3, 1), "北京示例\xc2\xb7数据服务中心", "B01: middle dot kept");
	load("tests/data/cases/B01/export_gb18030_4byte.csv");
	is_str(field(1, 1), "\xf0\xa0\xae\xb7祥示例商贸有限公司",
	    "B01: 4-byte GB18030 to U+20BB7");
	load("tests/data/cases/B01/tiny_liantong_gbk.csv");
	is_str(field(1, 1), "联通", "B01: 联通 not mistaken for UTF-8");
}

/*
 * GBK and GB18030 pairs are decoded from a table that iconv fills a pair
 * at a time (textin.c gb_fast()), and iconv takes the rest.  Every pair
 * the encoding has, between ASCII and four-byte characters, read back
 * through textin_read() in outputs of several sizes, must be what one
 * iconv call makes of the whole file, and the first output as long as
 * iconv would make it.
 */
static void
test_gb_table(const char *dir)
{
	static const char *const encs[] = {"GB18030", "GBK", "CP936"};
	static const size_t caps[] = {65536, 4099, 1000, 8};
	char path[64], *in, *out, *ip, *op, *got;
	struct buf src = {0}, b = {0};
	struct textin *ti;
	size_t e, c, il, ol, k, first, fl;
	unsigned char pr[2];
	iconv_t cd;
	ssize_t n;
	int lead, trail, bad;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/gb.csv", dir);
	for (e = 0; e < sizeof(encs) / sizeof(encs[0]); e++) {
		cd = iconv_open("UTF-8", encs[e]);
		buf_reset(&src);
		k = 0;
		for (lead = 0x81; lead <= 0xfe; lead++)
			for (trail = 0x40; trail <= 0xfe; trail++) {
				char tmp[8];

				pr[0] = (unsigned char)lead;
				pr[1] = (unsigned char)trail;
				ip = (char *)pr;
				il = 2;
				op = tmp;
				ol = sizeof(tmp);
				iconv(cd, NULL, NULL, NULL, NULL);
				if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
					continue;
				buf_add(&src, (char *)pr, 2);
				/* ASCII, line ends and four-byte characters
				 * between the pairs, at every offset. */
				if (++k % 7 == 0)
					buf_add(&src, "a,b\n", k % 4 + 1);
				if (k % 301 == 0 && e == 0)
					buf_add(&src, k % 2 ? "\x81\x30\x81\x30" :
					    "\x95\x32\x82\x36", 4);
			}
		fp = fopen(path, "wb");
		fwrite(src.s, 1, src.len, fp);
		fclose(fp);
		/* The reference: iconv over all of it, and over the
		 * first 64 KiB into 64 KiB, as the first read takes it. */
		iconv(cd, NULL, NULL, NULL, NULL);
		in = src.s;
		il = src.len;
		out = malloc(4 * src.len);
		op = out;
		ol = 4 * src.len;
		bad = iconv(cd, &in, &il, &op, &ol) == (size_t)-1;
		iconv(cd, NULL, NULL, NULL, NULL);
		in = src.s;
		il = src.len < 65536 ? src.len : 65536;
		got = malloc(65536);
		ip = got;
		fl = 65536;
		iconv(cd, &in, &il, &ip, &fl);
		first = 65536 - fl;
		free(got);
		iconv_close(cd);
		for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
			got = malloc(caps[c]);
			buf_reset(&b);
			ti = textin_open(path, "gb.csv", encs[e]);
			k = 0;
			while (ti != NULL && (n = textin_read(ti, got,
			    caps[c])) > 0) {
				if (k++ == 0 && caps[c] == 65536 &&
				    (size_t)n != first)
					bad = 1;
				buf_add(&b, got, (size_t)n);
			}
			textin_close(ti);
			free(got);
			bad |= b.len != (size_t)(op - out) ||
			    memcmp(b.s, out, b.len) != 0;
		}
		free(out);
		snprintf(path, sizeof(path), "%s pairs read as iconv reads them",
		    encs[e]);
		ok(!bad && src.len > 40000, path);
		snprintf(path, sizeof(path), "%s/gb.csv", dir);
	}
	buf_free(&src);
	buf_free(&b);
	unlink(path);
}

static void
test_written(void)
{
	struct reader_opts o;
	char dir[] = "/tmp/t_csv.XXXXXX", path[64];
	FILE *err;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/a.csv", dir);

	write_file(path, "a;b;c\n1;2;3\n4;5;6\n");
	load(path);
	is_str(field(1, 2), "2", "semicolon sniffed");
	write_file(path, "a|b\n1|2\n");
	load(path);
	is_str(field(1, 2), "2", "pipe sniffed");
	write_file(path, "a,b\r\n1,2\r\n\x1a");
	load(path);
	is_int(t.n, 2, "Ctrl-Z at the end is not a record");
	write_file(path, "a,b\n1,2\r\n3,4\r5,6\n\n\n");
	load(path);
	is_int(t.n, 4, "mixed line endings, trailing empty lines");
	is_str(field(3, 2), "6", "mixed line endings: last record");
	is_int(t.rows[2].line, 3, "mixed line endings: CRLF line counted");
	is_int(t.rows[3].line, 4, "mixed line endings: lone CR counted");
	write_file(path, "a,b\r\n\"x\ry\",2\rq,3\n\nz,4");
	load(path);
	is_int(t.n, 4, "CR inside quotes, blank line, no final line end");
	is_str(field(1, 1), "x\ry", "CR inside quotes kept");
	is_int(t.rows[2].line, 4, "line after a quoted CR and a lone CR");
	is_int(t.rows[3].line, 6, "line after a blank line");
	/* A CR LF that the reader's 64 KiB chunks split is one line end. */
	{
		static char big[65536 + 64];
		size_t n;

		memcpy(big, "a,", 2);
		memset(big + 2, 'x', 65533);
		n = 65535;
		snprintf(big + n, sizeof(big) - n, "\r\nq,2\r\nr,3\n");
		write_file(path, big);
		load(path);
		is_int(t.n, 3, "CR LF across a chunk boundary: records");
		is_int(t.rows[1].line, 2, "CR LF across a chunk boundary: line");
		is_int(t.rows[2].line, 3, "CR LF across a chunk boundary: next");
	}
	write_file(path, "a,b\n  x , y \n");
	load(path);
	is_str(field(1, 1), "  x ", "spaces kept as typed");

	/* GBK bytes read as what the user says. */
	write_file(path, "\xbf\xcd\xbb\xa7,b\n1,2\n");
	memset(&o, 0, sizeof(o));
	o.encoding = "GBK";
	load_opts(path, &o);
	is_str(field(0, 1), "客户", "--encoding GBK honoured");
	is_str(t.enc, "GBK", "--encoding reported");

	/* Undecodable: an error naming the line, and no rows after it. */
	write_file(path, "a,b\n1,2\n\xff\xff,3\n");
	err = tmpfile();
	diag_init("t_csv", err);
	load(path);
	ok(t.failed, "undecodable bytes fail");
	{
		char msg[256] = "";

		rewind(err);
		if (fgets(msg, sizeof(msg), err) == NULL)
			msg[0] = '\0';
		ok(strstr(msg, "a.csv:3: error: invalid GB18030 byte sequence "
		    "'ff ff 2c 33'") != NULL, "undecodable bytes: message");
	}
	fclose(err);
	diag_init("t_csv", stderr);
	unlink(path);
	test_gb_table(dir);
	rmdir(dir);
}

int
main(void)
{
	const char *env;

	diag_init("t_csv", stderr);
	if ((env = getenv("SHARED")) != NULL && *env != '\0')
		snprintf(shared, sizeof(shared), "%s", env);
	else if (access("../shared/corpus", F_OK) == 0)
		snprintf(shared, sizeof(shared), "../shared");
	test_corpus_crm();
	test_corpus_encodings();
	test_cases();
	test_written();
	for (int i = 0; i < t.n; i++)
		row_free(&t.rows[i]);
	return tap_done();
}
