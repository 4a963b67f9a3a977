/*
 * The RSS/Atom reader and the mapping of items to news records, on the
 * feeds of tests/data/news and on small feeds written here for dates,
 * markup, encodings and the error paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "kinds.h"
#include "map.h"
#include "reader.h"
#include "row.h"
#include "tap.h"
#include "tz.h"
#include "vocab.h"

#define MAXREC 64

enum { GUID, FEED, TITLE, LINK, PUBLISHED, TEXT };

static struct row rows[MAXREC];
static int nrows, failed, fmt;
static struct vocab *vocab;
static char dir[] = "/tmp/t_rss.XXXXXX";
static char path[64];

static void
load(const char *file)
{
	struct reader *r;
	int i, rc = 0;

	for (i = 0; i < nrows; i++)
		row_free(&rows[i]);
	nrows = failed = fmt = 0;
	if ((r = reader_open(file, FMT_AUTO, NULL)) == NULL) {
		failed = 1;
		return;
	}
	fmt = r->fmt;
	row_init(&rows[0]);
	while (nrows < MAXREC - 1 && (rc = reader_next(r, &rows[nrows])) == 1)
		row_init(&rows[++nrows]);
	if (rc < 0)
		failed = 1;
	row_free(&rows[nrows]);
	reader_close(r);
}

static const char *
cell(int i, int col)
{
	return i < nrows ? row_text(&rows[i], (size_t)col) : "(no row)";
}

static void
write_feed(const char *s)
{
	FILE *fp;

	if ((fp = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(s, fp);
	fclose(fp);
}

/* Load path and return the first message diag wrote. */
static void
load_msg(char *msg, size_t n)
{
	FILE *err;

	err = tmpfile();
	diag_init("t_rss", err);
	load(path);
	rewind(err);
	if (fgets(msg, (int)n, err) == NULL)
		msg[0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	fclose(err);
	diag_init("t_rss", stderr);
}

/* One item with the given inner XML, as an RSS 2.0 feed. */
static void
rss_item(const char *inner)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "<?xml version=\"1.0\"?>\n<rss version="
	    "\"2.0\"><channel><title>快讯</title>\n<item>%s</item>\n"
	    "</channel></rss>\n", inner);
	write_feed(buf);
	load(path);
}

static void
test_rss_file(void)
{
	load("tests/data/news/competitors-rss.xml");
	is_int(fmt, FMT_RSS, "RSS: sniffed from <?xml");
	ok(!failed, "RSS: read without error");
	is_int(nrows, 4, "RSS: header row + 3 items");
	ok(rows[0].header, "RSS: header row flagged");
	is_str(cell(0, PUBLISHED), "published", "RSS: header names columns");
	is_str(cell(1, GUID), "news-2026-0305-001", "RSS: guid");
	is_str(cell(1, FEED), "工业装备行业快讯", "RSS: feed title, not the "
	    "atom:link or an item title");
	is_str(cell(1, TITLE), "示例重工发布新一代螺杆压缩机，能效提升12%",
	    "RSS: item title");
	is_str(cell(1, LINK), "https://news.example.com/industry/2026/"
	    "0305-compressor.html", "RSS: link");
	is_str(cell(1, PUBLISHED), "2026-03-05T09:30:00+08:00", "RSS: RFC 822 "
	    "date with +0800 as ISO 8601");
	is_str(cell(1, TEXT), "示例重工今日在上海发布 SK-900 系列螺杆压缩机，"
	    "官方报价下调 8%，华东区经销商 3 月底前到货。", "RSS: CDATA HTML "
	    "stripped, line break between Chinese characters dropped");
	is_int(rows[1].line, 10, "RSS: item 1 starts on line 10");
	is_str(cell(2, GUID), "", "RSS: no guid");
	is_str(cell(2, PUBLISHED), "2026-03-04T18:05:00+00:00", "RSS: GMT");
	is_str(cell(2, TEXT), "框架协议金额约 2.3亿元，覆盖五轴加工中心 & "
	    "配套服务。", "RSS: escaped HTML stripped, &amp; decoded");
	is_str(cell(3, LINK), "https://news.example.com/industry/2026/"
	    "0302-funding.html", "RSS: a URL guid is the link");
	is_str(cell(3, PUBLISHED), "2026-03-02T23:40:00+08:00", "RSS: day "
	    "without zero, time without seconds");
	is_str(cell(3, TEXT), "融资将用于协作机器人产线扩建。", "RSS: "
	    "content:encoded when there is no description");
}

static void
test_atom_file(void)
{
	load("tests/data/news/competitors-atom.xml");
	is_int(fmt, FMT_RSS, "Atom: sniffed");
	is_int(nrows, 3, "Atom: header row + 2 entries");
	is_str(cell(1, FEED), "竞品观察 · 华东", "Atom: feed title");
	is_str(cell(1, GUID), "tag:watch.example.cn,2026-03-06:/post/118",
	    "Atom: id is the guid");
	is_str(cell(1, LINK), "https://watch.example.cn/post/118", "Atom: the "
	    "alternate link, not the edit link");
	is_str(cell(1, PUBLISHED), "2026-03-06T01:15:00Z", "Atom: published "
	    "wins over updated, RFC 3339 kept");
	is_str(cell(1, TEXT), "售后承诺从 24 小时缩短到 4 小时，覆盖苏州、无锡、"
	    "常州。", "Atom: html summary stripped");
	is_str(cell(2, TITLE), "示例激光 第四季度 营收同比增长 18%", "Atom: html "
	    "title stripped");
	is_str(cell(2, LINK), "https://watch.example.cn/post/117", "Atom: a "
	    "link without rel is the alternate");
	is_str(cell(2, PUBLISHED), "2026-03-01T23:30:00+08:00", "Atom: updated "
	    "when nothing was published");
	is_str(cell(2, TEXT), "光纤激光器出货量创新高。", "Atom: xhtml content "
	    "as text");
}

/* Items through mapping: news records, local dates, stable IDs. */
static void
test_mapped(void)
{
	struct rec main, cust, rep;
	struct issues is;
	struct mapper *m;
	const char *why;
	char id1[96];
	int i;

	load("tests/data/news/competitors-rss.xml");
	memset(&is, 0, sizeof(is));
	m = mapper_new(vocab, &rows[0], K_NONE, 0, &why);
	ok(m != NULL && m->kd->kind == K_NEWS, "mapped: the kind is news");
	if (m == NULL)
		return;
	rec_init(&main, m->kd);
	rec_init(&cust, kind_def(K_CUSTOMER));
	rec_init(&rep, kind_def(K_REP));
	is_int(map_row(m, &rows[2], &main, &cust, &rep, &is), MAP_OK,
	    "mapped: item 2 maps");
	is_str(rec_text(&main, kind_col(m->kd, "published_at")),
	    "2026-03-05T02:05:00+08:00", "mapped: 18:05 GMT is 02:05 local");
	is_str(rec_text(&main, kind_col(m->kd, "on_date")), "2026-03-05",
	    "mapped: on_date is the local date");
	is_str(rec_text(&main, kind_col(m->kd, "week")), "2026-W10",
	    "mapped: ISO week of the local date");
	is_str(rec_text(&main, kind_col(m->kd, "source")), "工业装备行业快讯",
	    "mapped: source is the feed title");
	ok(main.id[0] == 'N', "mapped: a news ID");
	snprintf(id1, sizeof(id1), "%s", main.id);
	map_row(m, &rows[1], &main, &cust, &rep, &is);
	ok(strcmp(main.id, id1) != 0, "mapped: items have their own IDs");
	map_row(m, &rows[2], &main, &cust, &rep, &is);
	is_str(main.id, id1, "mapped: the same item, the same ID");
	issues_clear(&is);

	/* A CST date is not guessed: stored empty with a warning. */
	rss_item("<title>示例</title><link>https://e.example/1</link>"
	    "<pubDate>Thu, 05 Mar 2026 09:30:00 CST</pubDate>");
	is_str(cell(1, PUBLISHED), "Thu, 05 Mar 2026 09:30:00 CST", "CST: "
	    "kept as written");
	mapper_free(m);
	m = mapper_new(vocab, &rows[0], K_NONE, 0, &why);
	is_int(map_row(m, &rows[1], &main, &cust, &rep, &is), MAP_OK,
	    "CST: the item still maps");
	ok(is.n == 1 && !is.v[0].reject, "CST: one warning");
	ok(rec_text(&main, kind_col(m->kd, "published_at")) == NULL,
	    "CST: published_at empty");
	issues_clear(&is);

	/* No title: the item is rejected. */
	rss_item("<link>https://e.example/2</link>");
	mapper_free(m);
	m = mapper_new(vocab, &rows[0], K_NEWS, 0, &why);
	is_int(map_row(m, &rows[1], &main, &cust, &rep, &is), MAP_REJECT,
	    "no title: rejected");
	for (i = 0; i < (int)is.n; i++)
		if (strcmp(is.v[i].reason, "missing title") == 0)
			break;
	ok(i < (int)is.n, "no title: the reason says so");
	issues_free(&is);
	rec_free(&main);
	rec_free(&cust);
	rec_free(&rep);
	mapper_free(m);
}

static void
test_dates(void)
{
	static const struct {
		const char	*in, *want, *name;
	} cases[] = {
		{"05 Mar 2026 09:30:00 +0800", "2026-03-05T09:30:00+08:00",
		    "no day name"},
		{"Thu, 05 Mar 26 09:30:00 -0500", "2026-03-05T09:30:00-05:00",
		    "two-digit year, negative offset"},
		{"Thu, 05 mar 2026 09:30:00 UT", "2026-03-05T09:30:00+00:00",
		    "lower-case month, UT"},
		{"Thu, 05 Mar 2026 09:30:00 PST", "2026-03-05T09:30:00-08:00",
		    "PST"},
		{"Thu, 30 Feb 2026 09:30:00 +0800", "Thu, 30 Feb 2026 09:30:00 "
		    "+0800", "an impossible date is kept as written"},
		{"2026-03-05T09:30:00+08:00", "2026-03-05T09:30:00+08:00",
		    "ISO 8601 in pubDate kept"},
	};
	char inner[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(inner, sizeof(inner), "<title>t</title><pubDate>%s"
		    "</pubDate>", cases[i].in);
		rss_item(inner);
		is_str(cell(1, PUBLISHED), cases[i].want, cases[i].name);
	}
}

static void
test_errors(void)
{
	char msg[512];
	char *big;
	size_t i;

	write_feed("<?xml version=\"1.0\"?>\n<rss><channel><item><title>坏"
	    "</titel></item></channel></rss>\n");
	load_msg(msg, sizeof(msg));
	ok(failed, "malformed: fails");
	ok(strstr(msg, "f.xml:2:31: error: not a valid feed: mismatched tag")
	    != NULL, "malformed: message with line and column");

	write_feed("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a "
	    "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
	    "<rss><channel><item><title>&b;</title></item></channel></rss>\n");
	load_msg(msg, sizeof(msg));
	ok(failed, "DOCTYPE: refused");
	ok(strstr(msg, "f.xml:2:") != NULL && strstr(msg, "error: not a valid "
	    "feed: DOCTYPE declaration 'rss' refused (entity expansion "
	    "attack?)") != NULL, "DOCTYPE: message");

	write_feed("<?xml version=\"1.0\"?>\n<html><body>hi</body></html>\n");
	load_msg(msg, sizeof(msg));
	ok(failed, "not a feed: fails");
	ok(strstr(msg, "f.xml:2:1: error: not an RSS or Atom feed: the "
	    "document is <html>") != NULL, "not a feed: message");

	write_feed("<?xml version=\"1.0\"?>\n<rss><channel><title>空"
	    "</title></channel></rss>\n");
	load_msg(msg, sizeof(msg));
	ok(failed, "no items: fails");
	ok(strstr(msg, "f.xml: error: the feed has no items") != NULL,
	    "no items: message");

	/* Nesting and field size are capped. */
	{
		char deep[2048] = "<?xml version=\"1.0\"?><rss>";

		for (i = 0; i < 70; i++)
			strcat(deep, "<a>");
		write_feed(deep);
	}
	load_msg(msg, sizeof(msg));
	ok(failed && strstr(msg, "elements nested deeper than 64") != NULL,
	    "deep nesting: refused");
	big = malloc((2 << 20) + 200);
	strcpy(big, "<?xml version=\"1.0\"?><rss><channel><item><title>");
	for (i = strlen(big); i < (size_t)(2 << 20); i++)
		big[i] = 'x';
	strcpy(big + i, "</title></item></channel></rss>");
	write_feed(big);
	free(big);
	load_msg(msg, sizeof(msg));
	ok(failed && strstr(msg, "a feed field longer than 1 MiB") != NULL,
	    "huge field: refused");

	/* The item count is capped. */
	{
		FILE *fp;
		long k;

		if ((fp = fopen(path, "wb")) == NULL)
			exit(1);
		fputs("<?xml version=\"1.0\"?><rss><channel>\n", fp);
		for (k = 0; k <= 100000; k++)
			fputs("<item><title>t</title></item>\n", fp);
		fputs("</channel></rss>\n", fp);
		fclose(fp);
	}
	load_msg(msg, sizeof(msg));
	ok(failed && strstr(msg, "f.xml:100002:") != NULL &&
	    strstr(msg, "error: more than 100000 items (hostile file?)") !=
	    NULL, "too many items: refused at the item past the cap");

	/* A GB2312 feed is decoded as GB18030. */
	write_feed("<?xml version=\"1.0\" encoding=\"gb2312\"?>\n<rss><channel>"
	    "<title>\xbf\xec\xd1\xb6</title><item><title>\xca\xbe\xc0\xfd"
	    "</title></item></channel></rss>\n");
	load(path);
	ok(!failed, "GB2312 feed: read");
	is_str(cell(1, FEED), "快讯", "GB2312 feed: feed title decoded");
	is_str(cell(1, TITLE), "示例", "GB2312 feed: item title decoded");
}

int
main(void)
{
	int i;

	diag_init("t_rss", stderr);
	if (tz_init("Asia/Shanghai") < 0 ||
	    (vocab = vocab_load("share/rules")) == NULL)
		return 1;
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/f.xml", dir);
	test_rss_file();
	test_atom_file();
	test_mapped();
	test_dates();
	test_errors();
	for (i = 0; i < nrows; i++)
		row_free(&rows[i]);
	unlink(path);
	rmdir(dir);
	vocab_free(vocab);
	return tap_done();
}
