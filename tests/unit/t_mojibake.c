/*
 * Mojibake detection: what it flags, what it says the text was, and
 * that real text never trips it (generated Chinese, the shared corpus).
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "mojibake.h"
#include "reader.h"
#include "row.h"
#include "tap.h"

static char shared[512];

static enum mojibake
check(const char *s, struct buf *fixed)
{
	buf_reset(fixed);
	return mojibake_check(s, strlen(s), fixed);
}

static void
test_flagged(void)
{
	struct buf f = {0};

	is_int(check("OcÃ© Production", &f), MOJI_LATIN, "Ã© is CP1252");
	is_str(buf_str(&f), "Océ Production", "Ã© was é");
	is_int(check("Womenâ€™s", &f), MOJI_LATIN, "â€™ is CP1252");
	is_str(buf_str(&f), "Women’s", "â€™ was ’");
	is_int(check("Ã¤Â¸Â­", &f), MOJI_LATIN, "broken twice: one step shown");
	is_str(buf_str(&f), "ä¸­", "Ã¤Â¸Â­ was ä¸­");
	is_int(check("ä¸­æ–‡", &f), MOJI_LATIN, "Chinese read as CP1252");
	is_str(buf_str(&f), "中文", "ä¸­æ–‡ was 中文");
	is_int(check("M\xc3\x83\xc2\xbcller", &f), MOJI_LATIN,
	    "Latin-1 mojibake of ü");
	is_int(check("鎴戜滑", &f), MOJI_GBK, "鎴戜滑 is UTF-8 read as GBK");
	is_str(buf_str(&f), "我们", "鎴戜滑 was 我们");
	is_int(check("寮犱紵鎶ヤ环", &f), MOJI_GBK, "a name and a word");
	is_str(buf_str(&f), "张伟报价", "寮犱紵鎶ヤ环 was 张伟报价");
	is_int(check("客户：鎴戜滑", &f), MOJI_NONE,
	    "a run with real text in it is not taken apart");
	is_int(check("鎴戜滑 ok", &f), MOJI_GBK, "ASCII ends a run");
	is_int(check("锟斤拷", &f), MOJI_LOST, "锟斤拷 is U+FFFD read as GBK");
	is_int(check("数据\xef\xbf\xbd", &f), MOJI_REPLACED, "U+FFFD itself");
	is_int(check("\xe9\x8e\xb4\xe6\x88\x9c\xe6\xbb\x91\xe9\x90\xa8"
	    "\xe5\x8b\xab\xef\xbf\xbd\xe3\x88\xa1\xe5\x9f\x9b", &f), MOJI_GBK,
	    "odd length: a pair lost to U+FFFD, the runs around it");
	buf_free(&f);
}

static void
test_clean(void)
{
	static const char *const real[] = {
		"San José", "Zürich", "Müller GmbH", "À la carte", "Ærøskøbing",
		"“quoted” – dash…", "£100 ±5 °C ×2", "naïve café", "Señor",
		"约翰·史密斯", "你们售后太慢了", "价格太高了，需要领导审批",
		"华东区销售周报 2026年第10周", "合同金额(万元)", "示例甲公司",
		"ＡＢＣ１２３", "《报价单》", "北京市朝阳区", "张伟", "王芳",
		"©®™", "µs", "ß", "Ελληνικά", "Москва", "日本語テキスト",
		"한국어", "", "plain ASCII",
	};
	struct buf f = {0};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++)
		if (check(real[i], &f) != MOJI_NONE) {
			printf("# flagged: %s\n", real[i]);
			bad++;
		}
	is_int(bad, 0, "real text is never flagged");
	is_int(check("\xff\xfe", &f), MOJI_NONE, "invalid UTF-8 is not judged");
	buf_free(&f);
}

/*
 * Random Chinese from the 6763 GB2312 hanzi and common punctuation:
 * none of it may be flagged; the same texts once read as GBK must be.
 */
static void
test_generated(void)
{
	static const char *const punct[] = {"，", "。", "、", "：", "“",
		"”", "（", "）", "《", "》", "·"};
	iconv_t from = iconv_open("UTF-8", "GB2312");
	iconv_t gbk = iconv_open("UTF-8", "GBK");
	unsigned long x = 12345;
	struct buf s = {0}, f = {0};
	char gb[2], out[8], moji[256], *in, *o;
	size_t il, ol, len;
	int i, j, n, fp = 0, tp = 0, tested = 0;

	for (i = 0; i < 50000; i++) {
		buf_reset(&s);
		n = 2 + (int)(x % 11);
		for (j = 0; j < n; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			if ((x >> 33) % 10 == 0) {
				buf_adds(&s, punct[(x >> 40) % 11]);
				continue;
			}
			gb[0] = (char)(0xb0 + (x >> 33) % 0x48);
			gb[1] = (char)(0xa1 + (x >> 45) % 0x5e);
			in = gb;
			il = 2;
			o = out;
			ol = sizeof(out);
			iconv(from, NULL, NULL, NULL, NULL);
			if (iconv(from, &in, &il, &o, &ol) != (size_t)-1)
				buf_add(&s, out, (size_t)(o - out));
		}
		if (s.len == 0)
			continue;
		if (check(s.s, &f) != MOJI_NONE)
			fp++;
		/* The same text as GBK would show its UTF-8 bytes. */
		in = s.s;
		il = s.len;
		o = moji;
		ol = sizeof(moji) - 1;
		iconv(gbk, NULL, NULL, NULL, NULL);
		/* Only where every byte pair is a GBK character. */
		if (iconv(gbk, &in, &il, &o, &ol) == (size_t)-1)
			continue;
		len = (size_t)(o - moji);
		moji[len] = '\0';
		if (len > 0) {
			tested++;
			tp += mojibake_check(moji, len, NULL) != MOJI_NONE;
		}
	}
	is_int(fp, 0, "50000 generated Chinese texts: no false positive");
	ok(tested > 1000 && tp * 100 >= tested * 95,
	    "generated mojibake: at least 95% found");
	printf("# generated mojibake: %d of %d found\n", tp, tested);
	iconv_close(from);
	iconv_close(gbk);
	buf_free(&s);
	buf_free(&f);
}

static long
flagged_in(const char *name, long *cells)
{
	struct reader_opts o;
	struct reader *r;
	struct row row;
	char path[1024];
	long n = 0;
	size_t i;

	*cells = 0;
	snprintf(path, sizeof(path), "%s/%s", shared, name);
	memset(&o, 0, sizeof(o));
	o.all_sheets = 1;
	if ((r = reader_open(path, FMT_AUTO, &o)) == NULL)
		return -1;
	row_init(&row);
	while (reader_next(r, &row) == 1)
		for (i = 0; i < row.ncells; i++) {
			(*cells)++;
			n += mojibake_check(cell_text(&row, &row.cells[i]),
			    row.cells[i].len, NULL) != MOJI_NONE;
		}
	row_free(&row);
	reader_close(r);
	return n;
}

static void
test_corpus(void)
{
	/* Files with Chinese text: nothing in them is mojibake. */
	static const char *const chinese[] = {
		"corpus/csv-encodings/cn_jd_books_gbk.csv",
		"corpus/csv-encodings/cn_taobao_orders_gbk.csv",
		"corpus/csv-encodings/cn_taobao_orders_gbk_tab.txt",
		"corpus/csv-encodings/cn_scores_gbk_questionmark_sep.csv",
		"corpus/csv-encodings/easyexcel_bom_utf16be.csv",
		"corpus/csv-encodings/easyexcel_bom_utf16le.csv",
		"corpus/csv-encodings/easyexcel_converter_utf8bom.csv",
		"corpus/csv-encodings/easyexcel_demo_utf8bom.csv",
		"corpus/chat/wechat_csv_json_in_content.csv",
		"corpus/chat/wechat_memotrace_csv_private_chat.csv",
		"corpus/chat/wechat_memotrace_csv_synthetic_pii_values.csv",
		"corpus/crm/odoo_o2m_customers_contacts.csv",
		"cases/B01/export_gbk.csv",
		"cases/B01/export_gb18030_4byte.csv",
		"cases/B20/merged_headers.xlsx",
		"corpus/xlsx/cn_book_sales_2019_11815rows.xlsx",
		"corpus/xlsx/cn_taobao_orders_3sheets_excel2016.xlsx",
		"corpus/xlsx/cn_wps_partner_sales_ranking_shared_formulas.xlsx",
		"corpus/xlsx/easyexcel_t04_tencent_docs_ns2_prefix.xlsx",
	};
	char name[256];
	long n, cells;
	size_t i;

	if (shared[0] == '\0') {
		skip("mojibake in the corpus", "no shared corpus");
		return;
	}
	n = flagged_in("corpus/crm/salesforce_wave_Opportunity_crlf.csv",
	    &cells);
	is_int(n, 4, "salesforce opportunities: 3 OcÃ© and 1 â€™ flagged");
	for (i = 0; i < sizeof(chinese) / sizeof(chinese[0]); i++) {
		n = flagged_in(chinese[i], &cells);
		snprintf(name, sizeof(name), "%s: no false positive in %ld "
		    "cells", chinese[i], cells);
		ok(n == 0 && cells > 0, name);
	}
}

/*
 * Most cells are decided before decoding them all (may_be_mojibake()).
 * The full check is what the same text followed by U+FFFD gets: a
 * replacement character is always looked at in full, ends the last run
 * where the text did, and only adds MOJI_REPLACED when nothing else was
 * found.  So on any text the answer must be that one, with REPLACED
 * read as NONE unless the text held a U+FFFD of its own.
 */
static void
test_prefilter(void)
{
	static const char *const bits[] = {
		"a", " ", "1", "中文", "王芳", "郑州盛泰新材料有限公司", "，",
		"。", "Ã©", "OcÃ© ", "â€™", "ä¸­æ–‡", "锟斤拷", "鎴戜滑",
		"浣犲ソ", "绾㈤洦", "銷售", "顧客", "Zürich", "José", "é",
		"ＡＢＣ１２３", "①", "𠀋", "\xef\xbf\xbd", "\xff", "\x80",
		"\xe4\xb8", "\xc3", "\xc3\xa9", "鐨", "勭", "鍚", "嶅",
		"瀛", "楃", "涓", "枃", "杩", "欐", "槸",
		"鎴戜滑鐨勪骇鍝佷环鏍煎緢鏈夌珵浜夊姏", "鐢佃瘽璺熻繘瀹㈡埛闇",
		"瀵逛氦鏈熸瘮杈冨叧蹇", "电话跟进", "电话跟进仓储货架需求，对交期",
		"我们的产品价格很有竞争力",
	};
	struct buf s = {0}, t = {0}, f = {0};
	enum mojibake got, full, want;
	long trials, bad, found;
	size_t k;

	srand(7);
	bad = found = 0;
	for (trials = 0; trials < 200000; trials++) {
		buf_reset(&s);
		for (k = (size_t)(rand() % 7); k > 0; k--)
			buf_adds(&s, bits[rand() % (sizeof(bits) /
			    sizeof(bits[0]))]);
		buf_reset(&t);
		buf_add(&t, s.s != NULL ? s.s : "", s.len);
		buf_adds(&t, "\xef\xbf\xbd");
		full = mojibake_check(t.s, t.len, NULL);
		want = full;
		if (full == MOJI_REPLACED && (s.len < 3 ||
		    strstr(buf_str(&s), "\xef\xbf\xbd") == NULL))
			want = MOJI_NONE;
		got = mojibake_check(buf_str(&s), s.len, NULL);
		bad += got != want;
		found += got != MOJI_NONE;
		buf_reset(&f);
		bad += mojibake_check(buf_str(&s), s.len, &f) != got;
	}
	is_int(bad, 0, "prefilter: random texts as the full check finds them");
	ok(found > 1000, "prefilter: the random texts hold mojibake");
	buf_free(&s);
	buf_free(&t);
	buf_free(&f);
}

int
main(void)
{
	const char *env;

	diag_init("t_mojibake", stderr);
	if ((env = getenv("SHARED")) != NULL && *env != '\0')
		snprintf(shared, sizeof(shared), "%s", env);
	else if (access("../shared/corpus", F_OK) == 0)
		snprintf(shared, sizeof(shared), "../shared");
	test_flagged();
	test_clean();
	test_generated();
	test_prefilter();
	test_corpus();
	return tap_done();
}
