/*
 * The chat transcript reader and the mapping of messages to activities:
 * every expectation of the B32 fault case and of the chat files in the
 * public corpus (shared/corpus/EXPECTED.md, when present), plus small
 * transcripts written here for the error paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "hmap.h"
#include "kinds.h"
#include "map.h"
#include "norm.h"
#include "reader.h"
#include "row.h"
#include "tap.h"
#include "text.h"
#include "tz.h"
#include "vocab.h"

#define MAXREC 256

struct table {
	struct row	 rows[MAXREC];
	int		 n;
	long		 nsystem;
	char		 party[2][64];
	int		 fmt;
	int		 failed;
};

static struct table t;
static char shared[512];
static struct vocab *vocab;

static void
load(const char *path, enum fmt fmt)
{
	struct reader *r;
	int i, rc = 0;

	for (i = 0; i < t.n; i++)
		row_free(&t.rows[i]);
	memset(&t, 0, sizeof(t));
	if ((r = reader_open(path, fmt, NULL)) == NULL) {
		t.failed = 1;
		return;
	}
	t.fmt = r->fmt;
	row_init(&t.rows[0]);
	while (t.n < MAXREC - 1 && (rc = reader_next(r, &t.rows[t.n])) == 1)
		row_init(&t.rows[++t.n]);
	if (rc < 0)
		t.failed = 1;
	row_free(&t.rows[t.n]);
	t.nsystem = chat_system_lines(r);
	for (i = 0; i < 2; i++)
		snprintf(t.party[i], sizeof(t.party[i]), "%s",
		    r->party[i] != NULL ? r->party[i] : "");
	reader_close(r);
}

/* Text of cell col of data row i (row 0 is the header). */
static const char *
cell(int i, int col)
{
	return i < t.n ? row_text(&t.rows[i], (size_t)col) : "(no row)";
}

/* The records mapping makes of the loaded rows. */
struct mapped {
	char	 id[96], at[48], type[24], sender[64], party[16];
	char	 customer_id[32], rep_id[32], text[512];
	int	 rc;
};

static struct mapped recs[MAXREC];
static int nrecs;

static void
copy_col(char *dst, size_t n, const struct rec *r, const char *col)
{
	const char *s = rec_text(r, kind_col(r->kd, col));

	snprintf(dst, n, "%s", s != NULL ? s : "");
}

static void
map_all(const char *customer, const struct hmap *reps)
{
	struct rec main, cust, rep;
	struct issues is;
	struct mapper *m;
	const char *why;
	int i;

	nrecs = 0;
	memset(&is, 0, sizeof(is));
	if (t.n == 0 || (m = mapper_new(vocab, &t.rows[0], K_NONE, 0,
	    &why)) == NULL)
		return;
	m->customer = customer;
	m->reps = reps;
	rec_init(&main, m->kd);
	rec_init(&cust, kind_def(K_CUSTOMER));
	rec_init(&rep, kind_def(K_REP));
	for (i = 1; i < t.n && nrecs < MAXREC; i++) {
		struct mapped *x = &recs[nrecs++];

		issues_clear(&is);
		x->rc = map_row(m, &t.rows[i], &main, &cust, &rep, &is);
		snprintf(x->id, sizeof(x->id), "%s", main.id);
		copy_col(x->at, sizeof(x->at), &main, "at");
		copy_col(x->type, sizeof(x->type), &main, "type");
		copy_col(x->sender, sizeof(x->sender), &main, "sender");
		copy_col(x->party, sizeof(x->party), &main, "party");
		copy_col(x->customer_id, sizeof(x->customer_id), &main,
		    "customer_id");
		copy_col(x->rep_id, sizeof(x->rep_id), &main, "rep_id");
		copy_col(x->text, sizeof(x->text), &main, "text");
	}
	issues_free(&is);
	rec_free(&main);
	rec_free(&cust);
	rec_free(&rep);
	mapper_free(m);
}

static void
write_file(const char *path, const char *s)
{
	FILE *fp;

	if ((fp = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(s, fp);
	fclose(fp);
}

/* The first line diag wrote while f ran on path. */
static void
first_message(char *msg, size_t n, const char *path, enum fmt fmt)
{
	FILE *err;

	err = tmpfile();
	diag_init("t_chat", err);
	load(path, fmt);
	rewind(err);
	if (fgets(msg, (int)n, err) == NULL)
		msg[0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	fclose(err);
	diag_init("t_chat", stderr);
}

static void
test_b32_pc(void)
{
	static const char *const want[5][4] = {
		{"2026-03-05 09:15:02", "张三", "text",
		    "您好，我是示例科技的张三，想了解一下报价"},
		{"2026-03-05 09:16:40", "李四(示例网络)", "text",
		    "您好！报价单稍后发您。\n另外：交付周期大概 30 天"},
		{"2026-03-05 09:20:11", "张三", "image", "[图片]"},
		{"2026-03-05 21:03:45", "张三", "text",
		    "好的，合同金额按 12.5万 走"},
		{"2026-03-06 00:00:05", "张三", "text", "晚安"},
	};
	const char *path = "tests/data/cases/B32/wechat_pc_copy.txt";
	char name[96], cur[4];
	const char *why, *p;
	int64_t fen;
	int i, c;

	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CHAT, "B32 PC copy: sniffed as a chat");
	ok(!t.failed, "B32 PC copy: read without error");
	is_int(t.n, 6, "B32 PC copy: header row + exactly 5 messages");
	is_str(cell(0, 0), "time", "B32 PC copy: header names the columns");
	ok(t.rows[0].header, "B32 PC copy: header row flagged");
	is_int(t.nsystem, 3, "B32 PC copy: 3 system lines (banner, 以下为新消息, "
	    "recall)");
	for (i = 0; i < 5; i++)
		for (c = 0; c < 4; c++) {
			snprintf(name, sizeof(name), "B32 PC copy: message %d "
			    "column %d", i + 1, c + 1);
			is_str(cell(i + 1, c), want[i][c], name);
		}
	ok(strstr(cell(3, 3), "撤回") == NULL, "B32 PC copy: the recall is not "
	    "text of message 3");
	ok(strcmp(cell(2, 1), "另外") != 0 && strcmp(cell(3, 1), "另外") != 0,
	    "B32 PC copy: 另外： is not a sender");
	is_int(t.rows[4].line, 11, "B32 PC copy: message 4 starts on line 11");

	/* No free-text amount extractor yet: the money normalizer reads
	 * the amount message 4 states. */
	p = strstr(cell(4, 3), "12.5万");
	ok(p != NULL, "B32 message 4 keeps '12.5万' in its text");
	if (p != NULL) {
		is_int(norm_money(p, strlen("12.5万"), 1, &fen, cur, &why),
		    NORM_OK, "B32 message 4: 12.5万 is money");
		is_int(fen, 12500000, "B32 message 4: 125000.00 CNY in fen");
		is_str(cur, "CNY", "B32 message 4: currency CNY");
	}
}

static void
test_b32_phone(void)
{
	static const char *const want[4][3] = {
		{"2026-03-05 00:00:00", "张三", "这条是午夜零点"},
		{"2026-03-05 09:15:02", "张三", "早上好，报价收到了"},
		{"2026-03-05 12:30:00", "张三", "这条是中午"},
		{"2026-03-05 14:03:10", "李四", "第二版报价：\n标准版 2 套\n"
		    "实施服务 1 项"},
	};
	const char *path = "tests/data/cases/B32/phone_export_en_locale.txt";
	char name[96];
	int i, cr;

	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CHAT, "B32 phone: sniffed as a chat (U+202F)");
	is_int(t.n, 5, "B32 phone: header row + exactly 4 messages");
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "B32 phone: message %d time", i + 1);
		is_str(cell(i + 1, 0), want[i][0], name);
		snprintf(name, sizeof(name), "B32 phone: message %d sender",
		    i + 1);
		is_str(cell(i + 1, 1), want[i][1], name);
		snprintf(name, sizeof(name), "B32 phone: message %d text", i + 1);
		is_str(cell(i + 1, 3), want[i][2], name);
	}
	cr = 0;
	for (i = 1; i < t.n; i++)
		cr |= strchr(cell(i, 3), '\r') != NULL;
	ok(!cr, "B32 phone: no CR in any message text");
}

/* B32 through mapping: activities of the customer, rep and customer side. */
static void
test_b32_mapped(void)
{
	struct hmap *reps;
	struct buf key = {0};
	char id1[96];
	int i, distinct;

	reps = hmap_new();
	text_key(&key, "李四(示例网络)", strlen("李四(示例网络)"));
	hmap_put(reps, key.s, key.len, 1);
	buf_free(&key);
	load("tests/data/cases/B32/wechat_pc_copy.txt", FMT_AUTO);
	map_all("示例科技有限公司", reps);
	is_int(nrecs, 5, "B32 mapped: 5 activities");
	is_str(recs[0].at, "2026-03-05T09:15:02+08:00", "B32 mapped: local "
	    "time with offset");
	is_str(recs[4].at, "2026-03-06T00:00:05+08:00", "B32 mapped: after "
	    "midnight is the next day");
	is_str(recs[0].type, "wechat", "B32 mapped: a text message is a "
	    "wechat activity");
	is_str(recs[2].type, "image", "B32 mapped: [图片] is an image");
	is_str(recs[0].party, "customer", "B32 mapped: 张三 is the customer "
	    "side");
	is_str(recs[1].party, "rep", "B32 mapped: 李四(示例网络) is the rep");
	ok(recs[1].rep_id[0] == 'R' && recs[0].rep_id[0] == '\0',
	    "B32 mapped: rep_id only on the rep's message");
	ok(recs[0].customer_id[0] == 'C' &&
	    strcmp(recs[0].customer_id, recs[1].customer_id) == 0,
	    "B32 mapped: every message belongs to the customer");
	is_str(recs[3].text, "好的，合同金额按 12.5万 走", "B32 mapped: "
	    "message 4 text stored as written");
	distinct = 1;
	for (i = 1; i < nrecs; i++)
		distinct &= strcmp(recs[i].id, recs[0].id) != 0;
	ok(distinct, "B32 mapped: distinct IDs");
	snprintf(id1, sizeof(id1), "%s", recs[0].id);
	map_all("示例科技有限公司", NULL);
	is_str(recs[0].id, id1, "B32 mapped: the ID does not depend on who is "
	    "a rep");
	is_str(recs[1].party, "customer", "B32 mapped: unknown reps are the "
	    "customer side");
	map_all("示例网络有限公司", NULL);
	ok(strcmp(recs[0].id, id1) != 0, "B32 mapped: another customer, "
	    "another ID");
	hmap_free(reps);
}

static void
test_corpus_txt(void)
{
	static const char *const desk_time[5] = {
		"2023-09-16 14:51:00", "2023-09-16 14:51:00",
		"2023-09-16 15:06:00", "2023-09-16 15:06:00",
		"2023-09-16 15:06:00",
	};
	static const char *const mail[4][3] = {
		{"2026-04-06 16:21:00", "小红", "有点事，一会儿回"},
		{"2026-04-06 16:21:00", "小明", "好的"},
		{"2026-04-07 09:05:00", "小红", "昨天忘了回你"},
		{"2026-04-07 09:06:00", "小明", "没事"},
	};
	char path[600], name[96];
	int i, ntext;

	if (shared[0] == '\0') {
		skip("corpus chat .txt files", "no shared corpus");
		return;
	}
	snprintf(path, sizeof(path), "%s/corpus/chat/wechat_desktop_copy_"
	    "paste.txt", shared);
	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CHAT, "desktop copy: sniffed as a chat");
	is_int(t.n, 6, "desktop copy: 5 messages");
	ntext = 0;
	for (i = 1; i < t.n; i++)
		ntext += strcmp(cell(i, 2), "text") == 0;
	is_int(ntext, 4, "desktop copy: 4 text messages");
	is_str(cell(5, 2), "sticker", "desktop copy: [动画表情] is a sticker");
	is_str(cell(5, 3), "[动画表情]", "desktop copy: placeholder kept");
	is_str(cell(4, 3), "今天只干成了一件像样的事\n那就是想你",
	    "desktop copy: 4th message spans 2 lines");
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "desktop copy: message %d time",
		    i + 1);
		is_str(cell(i + 1, 0), desk_time[i], name);
	}

	snprintf(path, sizeof(path), "%s/corpus/chat/wechat_share_to_mail_"
	    "format.txt", shared);
	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CHAT, "share to mail: sniffed as a chat");
	is_int(t.n, 5, "share to mail: 4 messages");
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "share to mail: message %d", i + 1);
		ok(strcmp(cell(i + 1, 0), mail[i][0]) == 0 &&
		    strcmp(cell(i + 1, 1), mail[i][1]) == 0 &&
		    strcmp(cell(i + 1, 3), mail[i][2]) == 0, name);
	}
	is_str(t.party[0], "小明", "share to mail: header line names 小明");
	is_str(t.party[1], "小红", "share to mail: and 小红");
	/* Two date separators, 2026-04-06 and 2026/04/07, plus the header
	 * line: not messages. */
	is_int(t.nsystem, 3, "share to mail: header line and 2 separators");
}

/* MemoTrace / WeChatMsg CSV exports: CSV rows mapped as activities. */
static void
test_corpus_csv(void)
{
	char path[600];
	json_error_t jerr;
	json_t *j;
	int i, n53, nwechat, nsticker, nimage, nsystem, found;

	if (shared[0] == '\0') {
		skip("corpus chat CSV exports", "no shared corpus");
		return;
	}
	snprintf(path, sizeof(path), "%s/corpus/chat/wechat_memotrace_csv_"
	    "private_chat.csv", shared);
	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CSV, "memotrace: stays CSV");
	is_int(t.n - 1, 96, "memotrace: 96 messages");
	is_str(cell(1, 1), "7437267147299592543", "memotrace: record 1 "
	    "MsgSvrID as text");
	is_str(cell(1, 8), "2024/10/4 11:42", "memotrace: record 1 CreateTime");
	n53 = -1;
	for (i = 1; i < t.n; i++)
		if (strcmp(cell(i, 0), "53") == 0)
			n53 = i;
	is_str(n53 > 0 ? cell(n53, 6) : "", "（我们两个人骑）\n\n[引用](2024-10-04 "
	    "21:25:04)联系人B:我之前租的时候 人家说这个没劲儿 租了个大的",
	    "memotrace: id=53 quoted multi-line reply");
	map_all("示例客户", NULL);
	is_int(nrecs, 96, "memotrace: 96 activities");
	is_str(recs[0].id, "7437267147299592543", "memotrace: MsgSvrID is the "
	    "activity ID, exact");
	is_str(recs[0].at, "2024-10-04T11:42:00+08:00", "memotrace: "
	    "CreateTime 2024/10/4 11:42");
	nwechat = nsticker = nimage = nsystem = 0;
	for (i = 0; i < nrecs; i++) {
		nwechat += strcmp(recs[i].type, "wechat") == 0;
		nsticker += strcmp(recs[i].type, "sticker") == 0;
		nimage += strcmp(recs[i].type, "image") == 0;
		nsystem += strcmp(recs[i].type, "system") == 0;
	}
	is_int(nwechat, 66, "memotrace: 文本 65 + 引用回复 1 are wechat");
	is_int(nsticker, 23, "memotrace: 动画表情 23");
	is_int(nimage, 5, "memotrace: 图片 5");
	is_int(nsystem, 2, "memotrace: 系统通知 2");
	found = 0;
	for (i = 1; i < t.n; i++)
		if (strcmp(cell(i, 0), "11") == 0)
			found = i;
	ok(found > 0 && strcmp(cell(found, 6), "") == 0 &&
	    recs[found - 1].rc == MAP_OK && recs[found - 1].text[0] == '\0',
	    "memotrace: id=11 empty message imports with no text");

	snprintf(path, sizeof(path), "%s/corpus/chat/wechat_csv_json_in_"
	    "content.csv", shared);
	load(path, FMT_AUTO);
	is_int(t.n - 1, 35, "json in content: 35 messages");
	j = json_loads(cell(2, 6), 0, &jerr);
	is_str(j != NULL ? json_string_value(json_object_get(j, "msg")) :
	    NULL, "哦吼", "json in content: record 2 content.msg");
	json_decref(j);
	map_all(NULL, NULL);
	is_int(nrecs, 35, "json in content: 35 activities");
	is_str(recs[0].at, "2023-08-12T23:22:41+08:00", "json in content: "
	    "first CreateTime");
	is_str(recs[34].at, "2023-08-13T14:15:14+08:00", "json in content: "
	    "last CreateTime");

	snprintf(path, sizeof(path), "%s/corpus/chat/wechat_memotrace_csv_"
	    "synthetic_pii_values.csv", shared);
	load(path, FMT_AUTO);
	is_int(t.n - 1, 62, "synthetic PII: 62 messages");
	map_all(NULL, NULL);
	for (i = 1; i < t.n; i++) {
		const char *id = cell(i, 0), *want = NULL;

		if (strcmp(id, "23") == 0)
			want = "110101199001011234";
		else if (strcmp(id, "11") == 0)
			want = "4532123456789012";
		else if (strcmp(id, "25") == 0)
			want = "021-62345678";
		else if (strcmp(id, "8") == 0)
			want = "FALSE";
		if (want != NULL) {
			char name[64];

			snprintf(name, sizeof(name), "synthetic PII: id=%s "
			    "stays text", id);
			is_str(recs[i - 1].text, want, name);
		}
	}
}

static void
test_sniff(void)
{
	static const struct {
		const char	*head;
		int		 fmt;
		const char	*name;
	} cases[] = {
		{"2026-03-05 14:22:10 张三\n你好\n", FMT_CHAT, "time then name"},
		{"[2026/3/5 14:22] 张三: 你好\n", FMT_CHAT, "bracketed"},
		{"张三 2026-03-05 14:22\n你好\n", FMT_CHAT, "name then time"},
		{"小明 和 小红 在微信上的聊天记录如下，请查收。\n", FMT_CHAT,
		    "header line"},
		{"time,sender,text\n2026-03-05 14:22,张三,你好\n", FMT_CSV,
		    "CSV with chat columns"},
		{"客户\t金额\n张三 2026-03-05 14:22\t1\n", FMT_CSV, "TSV"},
		{"date sender\n", FMT_CSV, "plain words"},
		{"备注, 2026-03-05 09:15\n", FMT_CSV, "CSV line ending in a "
		    "time"},
	};
	char path[600];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int(fmt_sniff("x.txt", (const unsigned char *)cases[i].head,
		    strlen(cases[i].head)), cases[i].fmt, cases[i].name);
	if (shared[0] == '\0') {
		skip("GBK TSV .txt stays CSV", "no shared corpus");
		return;
	}
	snprintf(path, sizeof(path), "%s/corpus/csv-encodings/cn_taobao_"
	    "orders_gbk_tab.txt", shared);
	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CSV, "GBK TSV .txt stays CSV");
}

static void
test_written(void)
{
	char dir[] = "/tmp/t_chat.XXXXXX", path[64], msg[512];
	struct hmap *reps;
	int i;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/c.txt", dir);

	/* 2026-03-05 14:22:10 张三 header lines, and the bracketed form. */
	write_file(path, "2026-03-05 14:22:10 张三\n样机下周到\n\n"
	    "2026-03-05 14:23:01 王芳\n[语音]\n");
	load(path, FMT_AUTO);
	is_int(t.n, 3, "time-first headers: 2 messages");
	is_str(cell(1, 1), "张三", "time-first headers: sender");
	is_str(cell(1, 3), "样机下周到", "time-first headers: text");
	is_str(cell(2, 2), "voice", "time-first headers: [语音] is voice");
	write_file(path, "[2026/3/5 14:22] 张三: 报价收到\n[2026/3/5 14:25] "
	    "王芳: 好的\n第二行\n");
	load(path, FMT_AUTO);
	is_int(t.n, 3, "bracketed: 2 messages");
	is_str(cell(1, 0), "2026-03-05 14:22:00", "bracketed: time");
	is_str(cell(2, 3), "好的\n第二行", "bracketed: continued lines");

	/* Chinese-locale clocks: 上午/下午 before or after the time. */
	write_file(path, "[2026/3/5 下午2:03] 李四: 报价已发\n"
	    "[2026/3/5 上午 12:05] 李四: 补充\n[2026/3/5 9:15 下午] 张三: 好\n");
	load(path, FMT_AUTO);
	is_int(t.n, 4, "上午/下午: 3 messages");
	is_str(cell(1, 0), "2026-03-05 14:03:00", "下午2:03 is 14:03");
	is_str(cell(2, 0), "2026-03-05 00:05:00", "上午 12:05 is 00:05");
	is_str(cell(3, 0), "2026-03-05 21:15:00", "9:15 下午 is 21:15");

	/* Once the file's style is known, a body line in another style is
	 * text. */
	write_file(path, "张三 2026-03-05 09:00:00\n会议改到\n"
	    "2026-03-06 14:00:00 下午三楼\n");
	load(path, FMT_AUTO);
	is_int(t.n, 2, "fixed style: one message");
	is_str(cell(1, 3), "会议改到\n2026-03-06 14:00:00 下午三楼",
	    "fixed style: the look-alike line stays text");

	/* Two identical messages in one second: two activities. */
	write_file(path, "[2026/3/5 14:22:10] 张三: 好\n[2026/3/5 14:22:10] "
	    "张三: 好\n[2026/3/5 14:22:11] 张三: 好\n");
	load(path, FMT_AUTO);
	map_all("示例科技", NULL);
	is_int(nrecs, 3, "duplicates: 3 messages");
	ok(strcmp(recs[0].id, recs[1].id) != 0, "duplicates: same second, "
	    "distinct IDs");
	{
		char a[96], b[96];

		snprintf(a, sizeof(a), "%s", recs[0].id);
		snprintf(b, sizeof(b), "%s", recs[1].id);
		map_all("示例科技", NULL);
		ok(strcmp(recs[0].id, a) == 0 && strcmp(recs[1].id, b) == 0,
		    "duplicates: IDs stable across imports");
	}

	/* Every placeholder's type is an activity type of enums.csv. */
	write_file(path, "[2026/3/5 14:22] 张三: [图片]\n[2026/3/5 14:23] 张三: "
	    "[语音]\n[2026/3/5 14:24] 张三: [视频]\n[2026/3/5 14:25] 张三: "
	    "[文件]\n[2026/3/5 14:26] 张三: [动画表情]\n[2026/3/5 14:27] 张三: "
	    "[Photo]\n");
	load(path, FMT_AUTO);
	map_all("示例科技", NULL);
	{
		static const char *const want[] = {"image", "voice", "video",
			"file", "sticker", "image"};
		char name[64];

		is_int(nrecs, 6, "placeholders: 6 messages");
		for (i = 0; i < 6 && i < nrecs; i++) {
			snprintf(name, sizeof(name), "placeholders: %s maps",
			    want[i]);
			ok(recs[i].rc == MAP_OK && strcmp(recs[i].type,
			    want[i]) == 0, name);
		}
	}

	/* Parties from the header line: the one who is not a rep. */
	reps = hmap_new();
	hmap_put(reps, "小明", strlen("小明"), 1);
	write_file(path, "小明 和 小红 在微信上的聊天记录如下\n\n"
	    "—————  2026-04-06  —————\n小红  16:21\n在吗\n小明  16:22\n在\n");
	load(path, FMT_AUTO);
	map_all(t.party[1], reps);
	is_str(recs[0].party, "customer", "parties: 小红 is the customer");
	is_str(recs[1].party, "rep", "parties: 小明 is the rep");
	hmap_free(reps);

	/* Errors name the file and line. */
	write_file(path, "张三 2026-02-30 09:00:00\n你好\n");
	first_message(msg, sizeof(msg), path, FMT_AUTO);
	ok(t.failed, "impossible date fails");
	ok(strstr(msg, "c.txt:1: error: message time '2026-02-30 09:00:00': "
	    "no such date") != NULL, "impossible date: message names line 1");
	write_file(path, "[05/03/2026 14:22] 张三: 你好\n");
	first_message(msg, sizeof(msg), path, FMT_CHAT);
	ok(t.failed, "ambiguous year-last date fails");
	ok(strstr(msg, "c.txt:1: error: ambiguous date '05/03/2026'") != NULL,
	    "ambiguous date: message");
	write_file(path, "[25/03/2026 14:22] 张三: 你好\n"
	    "[05/04/2026 09:00] 张三: 好\n");
	load(path, FMT_CHAT);
	is_str(cell(2, 0), "2026-04-05 09:00:00", "a day > 12 settles the "
	    "order for later messages");
	write_file(path, "just some notes\nwithout any header\n");
	first_message(msg, sizeof(msg), path, FMT_CHAT);
	ok(t.failed && t.n == 0, "no messages: fails with no rows");
	ok(strstr(msg, "c.txt: error: no chat messages found") != NULL,
	    "no messages: message");
	write_file(path, "张三 2026-03-05 09:00:00\n你好\n以下为新消息\n孤立的一行\n"
	    "张三 2026-03-05 09:01:00\n在\n");
	first_message(msg, sizeof(msg), path, FMT_AUTO);
	is_int(t.n, 3, "orphan line: both messages read");
	ok(strstr(msg, "c.txt:4: warning: line outside any message skipped "
	    "'孤立的一行'") != NULL, "orphan line: warned with its line");
	is_str(cell(1, 3), "你好", "orphan line: not glued to a message");

	/* A date banner naming no real day, and a line past 1 MiB. */
	write_file(path, "—————  2026-02-30  —————\n小红  16:21\n在吗\n");
	first_message(msg, sizeof(msg), path, FMT_AUTO);
	ok(t.failed, "bad separator date fails");
	ok(strstr(msg, "c.txt:1: error: date separator '2026-02-30': no such "
	    "date") != NULL, "bad separator date: message");
	{
		FILE *fp;
		long k;

		if ((fp = fopen(path, "wb")) == NULL)
			exit(1);
		fputs("张三 2026-03-05 09:00:00\n", fp);
		for (k = 0; k < (1L << 20) + 10; k++)
			fputc('x', fp);
		fputs("\n", fp);
		fclose(fp);
	}
	first_message(msg, sizeof(msg), path, FMT_AUTO);
	ok(t.failed, "line past 1 MiB fails");
	ok(strstr(msg, "c.txt:2: error: line longer than 1 MiB") != NULL,
	    "line past 1 MiB: message names the line");

	{
		FILE *fp;
		long k, l;

		if ((fp = fopen(path, "wb")) == NULL)
			exit(1);
		fputs("张三 2026-03-05 09:00:00\n", fp);
		for (l = 0; l < 9; l++) {
			for (k = 0; k < 1000000; k++)
				fputc('y', fp);
			fputc('\n', fp);
		}
		fclose(fp);
	}
	first_message(msg, sizeof(msg), path, FMT_AUTO);
	ok(t.failed && strstr(msg, "c.txt:1: error: message longer than 8 "
	    "MiB") != NULL, "message past 8 MiB: fails naming its first line");

	/* UTF-16 with a byte-order mark (Notepad's "Unicode"): sniffed
	 * through the BOM; a UTF-16 TSV stays CSV. */
	{
		static const char u16[] = "\xff\xfe\x20\x5f\x09\x4e\x20\x00"
		    "2\0000\0002\0006\000-\0000\0003\000-\0000\0005\000 \000"
		    "0\0009\000:\0000\0000\000\n\000\x7d\x59\n\000";
		static const char tsv[] = "\xff\xfe\xa2\x5b\x37\x62\t\000"
		    "1\000\n\000";
		FILE *fp;

		if ((fp = fopen(path, "wb")) == NULL)
			exit(1);
		fwrite(u16, 1, sizeof(u16) - 1, fp);
		fclose(fp);
		load(path, FMT_AUTO);
		is_int(t.fmt, FMT_CHAT, "UTF-16 transcript: sniffed");
		is_str(cell(1, 1), "张三", "UTF-16 transcript: sender");
		is_str(cell(1, 3), "好", "UTF-16 transcript: text");
		is_int(fmt_sniff("x.txt", (const unsigned char *)tsv,
		    sizeof(tsv) - 1), FMT_CSV, "UTF-16 TSV stays CSV");
	}

	/* GBK transcripts decode like GBK CSV. */
	write_file(path, "\xd5\xc5\xc8\xfd 2026-03-05 09:00:00\n\xc4\xe3\xba\xc3\n");
	load(path, FMT_AUTO);
	is_int(t.fmt, FMT_CHAT, "GBK transcript: sniffed");
	is_str(cell(1, 1), "张三", "GBK transcript: sender decoded");
	is_str(cell(1, 3), "你好", "GBK transcript: text decoded");
	for (i = 0; i < t.n; i++)
		row_free(&t.rows[i]);
	t.n = 0;
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const char *env;
	int i;

	diag_init("t_chat", stderr);
	if ((env = getenv("SHARED")) != NULL && *env != '\0')
		snprintf(shared, sizeof(shared), "%s", env);
	if (tz_init("Asia/Shanghai") < 0 ||
	    (vocab = vocab_load("share/rules")) == NULL)
		return 1;
	test_b32_pc();
	test_b32_phone();
	test_b32_mapped();
	test_corpus_txt();
	test_corpus_csv();
	test_sniff();
	test_written();
	for (i = 0; i < t.n; i++)
		row_free(&t.rows[i]);
	vocab_free(vocab);
	return tap_done();
}
