/*
 * gen: deterministic benchmark input.  Writes activities (CSV and JSON
 * lines) and deals (CSV and XLSX) shaped like the exports of a Chinese
 * B2B sales team: 300 reps, 20,000 customers, Chinese types and texts,
 * ISO instants with +08:00, amounts such as 12.5万 and ￥86,000.00 (the
 * full-width sign, which GBK can encode).
 * The same arguments always give the same bytes.
 *
 * usage: gen -a rows activities.csv activities.jsonl
 *        gen -d rows deals.csv deals.xlsx
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zip.h"

#define NREPS 300
#define NCUST 20000
#define NDEALS_MAX 100000 /* deals that activities refer to */

static uint64_t rng = 0x5eed5a1e5b00c4aULL;

/* splitmix64: fast, and the same on every machine. */
static uint32_t
rnd(uint32_t n)
{
	uint64_t z;

	rng += 0x9e3779b97f4a7c15ULL;
	z = rng;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (uint32_t)(((z >> 32) * n) >> 32);
}

static const char *const surnames[30] = {"张", "王", "李", "赵", "刘", "陈",
    "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
    "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
static const char *const given[10] = {
    "伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军"};
static const char *const cities[20] = {"北京", "上海", "深圳", "广州", "杭州",
    "苏州", "成都", "武汉", "南京", "西安", "天津", "重庆", "青岛", "宁波",
    "无锡", "长沙", "郑州", "合肥", "佛山", "东莞"};
static const char *const cores[40] = {"华信", "恒达", "盛泰", "鑫源", "宏图",
    "天成", "博远", "嘉禾", "瑞丰", "中科", "永昌", "金桥", "远航", "新锐",
    "汇通", "德润", "万象", "凯捷", "立达", "正泰", "海川", "东方", "长城",
    "银河", "星辰", "华胜", "同创", "联合", "卓越", "安泰", "富民", "广联",
    "晨光", "锦程", "智联", "明德", "康华", "润泽", "通达", "信和"};
static const char *const trades[25] = {"科技", "机械", "医疗器械", "汽车零部件",
    "电子", "自动化", "精密制造", "新材料", "物流", "食品", "化工", "环保设备",
    "软件", "电气", "仪器仪表", "五金", "包装", "纺织", "建材", "模具", "液压",
    "光电", "信息技术", "实业", "贸易"};
static const char *const types[10] = {"拜访", "电话", "微信", "邮件", "演示",
    "技术答疑", "报价", "上门拜访", "电话沟通", "企业微信"};
static const char *const products[12] = {"数控机床", "工业机器人", "激光切割机",
    "PLC控制柜", "伺服电机", "视觉检测系统", "空压机", "注塑机", "监护仪",
    "CRM系统", "ERP实施", "仓储货架"};
static const char *const lead_in[8] = {"与客户沟通", "向采购部介绍",
    "和技术负责人确认", "拜访客户讨论", "电话跟进", "微信回复客户关于",
    "邮件发送", "现场演示"};
static const char *const tails[12] = {"，客户表示需要领导审批",
    "，对方觉得价格太高了", "，客户反馈你们售后太慢了", "，下周再约",
    "，已发送资料", "，客户要求提供竞品对比", "，技术问题已解答",
    "，等待客户法务盖章", "，客户希望月底前签约", "，预算还在走流程",
    "，对交期比较关心", "，需要样品测试"};
static const char *const stages[8] = {"初步接触", "需求分析", "方案演示",
    "商务报价", "预计签约", "赢单", "输单", "谈判"};
static const char *const notes[6] = {
    "", "", "", "重点客户", "需主管跟进", "老客户转介绍"};

static void
rep_name(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "%s%s", surnames[i % 30], given[i / 30 % 10]);
}

static void
cust_name(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "%s%s%s有限公司", cities[i % 20], cores[i / 20 % 40],
	    trades[i / 800 % 25]);
}

/* Year, month, day from days since 1970-01-01 (Hinnant's algorithm). */
static void
civil(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

#define DAY0 20089 /* 2025-01-01 */
#define NDAYS 546  /* through 2026-06-30 */

/* An amount as people type it; *fen is its value. */
static void
amount(char *buf, size_t n, int64_t *fen)
{
	uint32_t wan10 = 5 + rnd(3000); /* 0.5万 .. 300.4万 */
	int64_t yuan = (int64_t)wan10 * 1000;

	switch (rnd(4)) {
	case 0:
		snprintf(buf, n, "%u.%u万", wan10 / 10, wan10 % 10);
		break;
	case 1:
		if (yuan >= 1000000)
			snprintf(buf, n, "￥%lld,%03lld,%03lld.00",
			    (long long)(yuan / 1000000),
			    (long long)(yuan / 1000 % 1000),
			    (long long)(yuan % 1000));
		else
			snprintf(buf, n, "￥%lld,%03lld.00",
			    (long long)(yuan / 1000), (long long)(yuan % 1000));
		break;
	default:
		snprintf(buf, n, "%lld", (long long)yuan);
		break;
	}
	*fen = yuan * 100;
}

struct act {
	char id[24], at[48], rep[16], cust[64], deal[24], text[320];
	const char *type, *note;
};

static void
make_act(struct act *a, unsigned long i, unsigned long ndeals)
{
	char amt[32];
	int64_t fen;
	int y, mo, d, h, mi;
	unsigned c = rnd(NCUST);

	civil(DAY0 + (long)rnd(NDAYS), &y, &mo, &d);
	/* Mostly office hours; some early mornings (the UTC-date trap). */
	h = rnd(10) == 0 ? (int)rnd(8) : 8 + (int)rnd(12);
	mi = (int)rnd(60);
	snprintf(a->id, sizeof(a->id), "GJ%08lu", i + 1);
	snprintf(a->at, sizeof(a->at), "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y,
	    mo, d, h, mi, (int)rnd(60));
	rep_name(a->rep, sizeof(a->rep), rnd(NREPS));
	cust_name(a->cust, sizeof(a->cust), c);
	a->type = types[rnd(10)];
	if (rnd(3) == 0)
		a->deal[0] = '\0';
	else
		snprintf(a->deal, sizeof(a->deal), "SJ%06u",
		    1 + rnd((uint32_t)ndeals));
	if (rnd(5) == 0) {
		amount(amt, sizeof(amt), &fen);
		snprintf(a->text, sizeof(a->text), "%s%s方案，报价%s%s",
		    lead_in[rnd(8)], products[rnd(12)], amt, tails[rnd(12)]);
	} else
		snprintf(a->text, sizeof(a->text), "%s%s需求%s",
		    lead_in[rnd(8)], products[rnd(12)], tails[rnd(12)]);
	a->note = notes[rnd(6)];
}

static FILE *
xopen(const char *path)
{
	static char bufs[2][1 << 16];
	static int nb;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	setvbuf(fp, bufs[nb++ % 2], _IOFBF, sizeof(bufs[0]));
	return fp;
}

static void
xclose(FILE *fp, const char *path)
{
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static void
activities(unsigned long n, const char *csv, const char *jsonl)
{
	struct act a;
	FILE *c, *j;
	unsigned long i;

	c = xopen(csv);
	j = xopen(jsonl);
	fputs("跟进编号,跟进时间,销售,客户名称,跟进方式,跟进内容,商机编号,"
	      "备注\n",
	    c);
	for (i = 0; i < n; i++) {
		make_act(&a, i, NDEALS_MAX);
		/* The texts hold commas: quote them, as Excel does. */
		fprintf(c, "%s,%s,%s,%s,%s,\"%s\",%s,%s\n", a.id, a.at, a.rep,
		    a.cust, a.type, a.text, a.deal, a.note);
		fprintf(j,
		    "{\"跟进编号\":\"%s\",\"跟进时间\":\"%s\","
		    "\"销售\":\"%s\",\"客户名称\":\"%s\",\"跟进方式\":\"%s\","
		    "\"跟进内容\":\"%s\",\"商机编号\":\"%s\",\"备注\":\"%s\"}\n",
		    a.id, a.at, a.rep, a.cust, a.type, a.text, a.deal, a.note);
	}
	xclose(c, csv);
	xclose(j, jsonl);
}

struct deal {
	char id[24], name[96], rep[16], cust[64], amt[48];
	const char *product, *stage;
	unsigned repi, custi, prodi, stagei;
	long created, expected; /* days since 1970 */
	int64_t fen;
};

static void
make_deal(struct deal *d, unsigned long i)
{
	unsigned c = rnd(NCUST);

	snprintf(d->id, sizeof(d->id), "SJ%06lu", i + 1);
	d->custi = c;
	cust_name(d->cust, sizeof(d->cust), c);
	d->prodi = rnd(12);
	d->product = products[d->prodi];
	snprintf(d->name, sizeof(d->name), "%s%s%s项目", cities[c % 20],
	    cores[c / 20 % 40], d->product);
	d->repi = rnd(NREPS);
	rep_name(d->rep, sizeof(d->rep), d->repi);
	d->stagei = rnd(8);
	d->stage = stages[d->stagei];
	amount(d->amt, sizeof(d->amt), &d->fen);
	d->created = DAY0 + (long)rnd(NDAYS - 120);
	d->expected = d->created + 14 + (long)rnd(100);
}

static void
ymd(char *buf, size_t n, long days)
{
	int y, m, d;

	civil(days, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* A growing string, for the parts of the workbook. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((b->s = realloc(b->s, b->cap)) == NULL) {
			perror("gen");
			exit(1);
		}
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
zput(zipFile z, const char *name, const char *data, size_t len)
{
	zip_fileinfo zi;

	memset(&zi, 0, sizeof(zi));
	/* A fixed date keeps the bytes the same from run to run. */
	zi.tmz_date.tm_year = 2026;
	zi.tmz_date.tm_mon = 2;
	zi.tmz_date.tm_mday = 5;
	if (zipOpenNewFileInZip(z, name, &zi, NULL, 0, NULL, 0, NULL,
		Z_DEFLATED, Z_DEFAULT_COMPRESSION) != ZIP_OK ||
	    zipWriteInFileInZip(z, data, (unsigned)len) != ZIP_OK ||
	    zipCloseFileInZip(z) != ZIP_OK) {
		fprintf(stderr, "gen: cannot write %s\n", name);
		exit(1);
	}
}

static const char ct_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/><Default Extension="
    "\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/"
    "workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName="
    "\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>";
static const char rels_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
    "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char wb_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
    "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships\"><sheets><sheet name=\"商机\" sheetId=\"1\" r:id="
    "\"rId1\"/></sheets></workbook>";
static const char wbrels_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
    "openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type="
    "\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\""
    " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/></Relationships>";
/* Style 1 is a date (built-in format 14), style 2 money with ¥. */
static const char styles_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode="
    "\"&quot;¥&quot;#,##0.00\"/></numFmts><fonts count=\"1\"><font><sz val="
    "\"11\"/><name val=\"等线\"/></font></fonts><fills count=\"1\"><fill>"
    "<patternFill patternType=\"none\"/></fill></fills><borders count=\"1\">"
    "<border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/>"
    "</cellStyleXfs><cellXfs count=\"3\"><xf numFmtId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"14\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId="
    "\"164\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>";

static const char *const deal_hdr[9] = {"商机编号", "商机名称", "客户名称",
    "销售", "产品", "阶段", "合同金额", "创建日期", "预计签约日期"};

/*
 * Shared strings: the header, reps, customers, products and stages come
 * first, at indices known by construction; then each row's own ID and
 * name, in row order.
 */
#define SS_HDR 0
#define SS_REP (SS_HDR + 9)
#define SS_CUST (SS_REP + NREPS)
#define SS_PROD (SS_CUST + NCUST)
#define SS_STAGE (SS_PROD + 12)
#define SS_ROWS (SS_STAGE + 8)

static void
ss_item(struct sbuf *ss, const char *s)
{
	sb_str(ss, "<si><t>");
	sb_str(ss, s);
	sb_str(ss, "</t></si>");
}

static void
deals(unsigned long n, const char *csv, const char *xlsx)
{
	struct sbuf sh = {0}, ss = {0};
	struct deal d;
	char c1[16], c2[16], cell[256], tmp[96];
	const char *cols = "ABCDEFGHI";
	FILE *c;
	zipFile z;
	unsigned long i;
	unsigned k;

	c = xopen(csv);
	for (k = 0; k < 9; k++)
		fprintf(c, "%s%s", k ? "," : "", deal_hdr[k]);
	fputc('\n', c);

	snprintf(cell, sizeof(cell),
	    "<sst xmlns=\"http://schemas."
	    "openxmlformats.org/spreadsheetml/2006/main\" count=\"%lu\" "
	    "uniqueCount=\"%lu\">",
	    9 * (n + 1), SS_ROWS + 2 * n);
	sb_str(&ss,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\" "
	    "standalone=\"yes\"?>\n");
	sb_str(&ss, cell);
	for (k = 0; k < 9; k++)
		ss_item(&ss, deal_hdr[k]);
	for (k = 0; k < NREPS; k++) {
		rep_name(tmp, sizeof(tmp), k);
		ss_item(&ss, tmp);
	}
	for (k = 0; k < NCUST; k++) {
		cust_name(tmp, sizeof(tmp), k);
		ss_item(&ss, tmp);
	}
	for (k = 0; k < 12; k++)
		ss_item(&ss, products[k]);
	for (k = 0; k < 8; k++)
		ss_item(&ss, stages[k]);

	snprintf(cell, sizeof(cell),
	    "<?xml version=\"1.0\" encoding="
	    "\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas."
	    "openxmlformats.org/spreadsheetml/2006/main\"><dimension ref="
	    "\"A1:I%lu\"/><sheetData><row r=\"1\">",
	    n + 1);
	sb_str(&sh, cell);
	for (k = 0; k < 9; k++) {
		snprintf(cell, sizeof(cell),
		    "<c r=\"%c1\" t=\"s\"><v>%u</v>"
		    "</c>",
		    cols[k], SS_HDR + k);
		sb_str(&sh, cell);
	}
	sb_str(&sh, "</row>");

	for (i = 0; i < n; i++) {
		unsigned long r = i + 2;

		make_deal(&d, i);
		ymd(c1, sizeof(c1), d.created);
		ymd(c2, sizeof(c2), d.expected);
		fprintf(c, "%s,%s,%s,%s,%s,%s,\"%s\",%s,%s\n", d.id, d.name,
		    d.cust, d.rep, d.product, d.stage, d.amt, c1, c2);

		ss_item(&ss, d.id);
		ss_item(&ss, d.name);
		snprintf(cell, sizeof(cell),
		    "<row r=\"%lu\">"
		    "<c r=\"A%lu\" t=\"s\"><v>%lu</v></c>"
		    "<c r=\"B%lu\" t=\"s\"><v>%lu</v></c>"
		    "<c r=\"C%lu\" t=\"s\"><v>%u</v></c>"
		    "<c r=\"D%lu\" t=\"s\"><v>%u</v></c>",
		    r, r, SS_ROWS + 2 * i, r, SS_ROWS + 2 * i + 1, r,
		    SS_CUST + d.custi, r, SS_REP + d.repi);
		sb_str(&sh, cell);
		/* Excel serial days: 25569 is 1970-01-01. */
		snprintf(cell, sizeof(cell),
		    "<c r=\"E%lu\" t=\"s\"><v>%u</v></c>"
		    "<c r=\"F%lu\" t=\"s\"><v>%u</v></c>"
		    "<c r=\"G%lu\" s=\"2\"><v>%lld</v></c>"
		    "<c r=\"H%lu\" s=\"1\"><v>%ld</v></c>"
		    "<c r=\"I%lu\" s=\"1\"><v>%ld</v></c></row>",
		    r, SS_PROD + d.prodi, r, SS_STAGE + d.stagei, r,
		    (long long)(d.fen / 100), r, d.created + 25569, r,
		    d.expected + 25569);
		sb_str(&sh, cell);
	}
	sb_str(&sh, "</sheetData></worksheet>");
	sb_str(&ss, "</sst>");
	xclose(c, csv);

	if ((z = zipOpen(xlsx, APPEND_STATUS_CREATE)) == NULL) {
		fprintf(stderr, "gen: cannot create %s\n", xlsx);
		exit(1);
	}
	zput(z, "[Content_Types].xml", ct_xml, sizeof(ct_xml) - 1);
	zput(z, "_rels/.rels", rels_xml, sizeof(rels_xml) - 1);
	zput(z, "xl/workbook.xml", wb_xml, sizeof(wb_xml) - 1);
	zput(z, "xl/_rels/workbook.xml.rels", wbrels_xml,
	    sizeof(wbrels_xml) - 1);
	zput(z, "xl/styles.xml", styles_xml, sizeof(styles_xml) - 1);
	zput(z, "xl/sharedStrings.xml", ss.s, ss.len);
	zput(z, "xl/worksheets/sheet1.xml", sh.s, sh.len);
	if (zipClose(z, NULL) != ZIP_OK) {
		fprintf(stderr, "gen: cannot write %s\n", xlsx);
		exit(1);
	}
	free(sh.s);
	free(ss.s);
}

int
main(int argc, char *argv[])
{
	unsigned long n;

	if (argc != 5 ||
	    (strcmp(argv[1], "-a") != 0 && strcmp(argv[1], "-d") != 0)) {
		fputs("usage: gen -a rows activities.csv activities.jsonl\n"
		      "       gen -d rows deals.csv deals.xlsx\n",
		    stderr);
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	if (argv[1][1] == 'a')
		activities(n, argv[3], argv[4]);
	else
		deals(n, argv[3], argv[4]);
	return 0;
}
